"""Samiksha: builds the navigation; the pages do the rest."""

import streamlit as st

from pages import _shared as ui

st.set_page_config(page_title="Samiksha · समीक्षा", page_icon="📊", layout="wide")
page = st.navigation([
    st.Page("pages/overview.py", title=ui.tr("nav.overview"), icon=":material/bar_chart:", default=True),
    st.Page("pages/upload.py", title=ui.tr("nav.upload"), icon=":material/upload_file:"),
])
page.run()
