"""Samiksha: builds the navigation; the pages do the rest."""

import streamlit as st

from pages import _shared as ui

st.set_page_config(page_title="Samiksha · समीक्षा", page_icon="📊", layout="wide")
PAGES = (  # file, title, icon
    ("pages/overview.py", "nav.overview", ":material/dashboard:"),
    ("pages/blocks.py", "nav.blocks", ":material/leaderboard:"),
    ("pages/campaign.py", "nav.campaign", ":material/campaign:"),
    ("pages/map.py", "nav.map", ":material/map:"),
    ("pages/shg.py", "nav.shg", ":material/groups:"),
    ("pages/reporting.py", "nav.reporting", ":material/schedule:"),
    ("pages/workers.py", "nav.workers", ":material/badge:"),
    ("pages/upload.py", "nav.upload", ":material/upload_file:"),
    ("pages/settings.py", "nav.settings", ":material/settings:"),
)
# Top bar: the whole width is left for the charts on a shared screen. Meeting mode shows
# only the pages a meeting looks at.
views = [st.Page(path, title=ui.tr(title), icon=icon, default=number == 0)
         for number, (path, title, icon) in enumerate(PAGES) if ui.page_shown(path)]
page = st.navigation(views, position="top")
try:
    page.run()
except Exception as exc:  # said in one line with an id; the traceback goes to the log beside the store
    ui.unexpected(exc)
finally:
    ui.release()  # the store is let go between runs: commands and other copies of the app use it too
