"""Samiksha: builds the navigation; the pages do the rest."""

import streamlit as st

from pages import _shared as ui

st.set_page_config(page_title="Samiksha · समीक्षा", page_icon="📊", layout="wide")
views = [
    st.Page("pages/overview.py", title=ui.tr("nav.overview"), icon=":material/dashboard:", default=True),
    st.Page("pages/blocks.py", title=ui.tr("nav.blocks"), icon=":material/leaderboard:"),
    st.Page("pages/campaign.py", title=ui.tr("nav.campaign"), icon=":material/campaign:"),
    st.Page("pages/map.py", title=ui.tr("nav.map"), icon=":material/map:"),
    st.Page("pages/shg.py", title=ui.tr("nav.shg"), icon=":material/groups:"),
    st.Page("pages/reporting.py", title=ui.tr("nav.reporting"), icon=":material/schedule:"),
    st.Page("pages/workers.py", title=ui.tr("nav.workers"), icon=":material/badge:"),
    st.Page("pages/upload.py", title=ui.tr("nav.upload"), icon=":material/upload_file:"),
    st.Page("pages/settings.py", title=ui.tr("nav.settings"), icon=":material/settings:"),
]
# Top bar: the whole width is left for the charts on a shared screen. Meeting mode shows
# only the pages a meeting looks at.
page = st.navigation(views[:-2] if ui.meeting() else views, position="top")
page.run()
