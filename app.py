"""Samiksha: builds the navigation; the pages do the rest."""

import streamlit as st

from pages import _shared as ui

st.set_page_config(page_title="Samiksha · समीक्षा", page_icon="📊", layout="wide")
PAGES = (  # file, title, icon (the titles in the reader's language)
    ("pages/overview.py", ui.tr("nav.overview"), ":material/dashboard:"),
    ("pages/blocks.py", ui.tr("nav.blocks"), ":material/leaderboard:"),
    ("pages/campaign.py", ui.tr("nav.campaign"), ":material/campaign:"),
    ("pages/map.py", ui.tr("nav.map"), ":material/map:"),
    ("pages/shg.py", ui.tr("nav.shg"), ":material/groups:"),
    ("pages/households.py", ui.tr("nav.households"), ":material/home:"),
    ("pages/reporting.py", ui.tr("nav.reporting"), ":material/schedule:"),
    ("pages/workers.py", ui.tr("nav.workers"), ":material/badge:"),
    ("pages/upload.py", ui.tr("nav.upload"), ":material/upload_file:"),
    ("pages/settings.py", ui.tr("nav.settings"), ":material/settings:"),
)
# Top bar: the whole width is left for the charts on a shared screen. Meeting mode shows
# only the pages a meeting looks at.
views = [st.Page(path, title=title, icon=icon, default=number == 0)
         for number, (path, title, icon) in enumerate(PAGES) if ui.page_shown(path)]
page = st.navigation(views, position="top")
try:
    page.run()
except Exception as exc:  # said in one line with an id; the traceback goes to the log beside the store
    ui.unexpected(exc)
finally:
    ui.release()  # the store is let go between runs: commands and other copies of the app use it too
