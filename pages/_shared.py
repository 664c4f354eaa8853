"""What every page shares: the store connection, language, guards and formatting helpers.

Pages stay thin: guard, call the core, render. Session-state keys are the constants below.
"""

from __future__ import annotations

import sys

import pandas as pd
import streamlit as st

from samiksha import demo, fmt, indicators, store
from samiksha.errors import IntakeError
from samiksha.i18n import LANGUAGES, t

LANG_KEY = "lang"
UPLOAD_KEY = "upload_nonce"
CHECKED_KEY = "checked_files"
RESULTS_KEY = "upload_results"
LANG_NAMES = {"en": "English", "hi": "हिंदी"}


def db_path() -> str:
    """`streamlit run app.py -- --db PATH`, else SAMIKSHA_DB, else the default."""
    args = sys.argv[1:]
    if "--db" in args and args.index("--db") + 1 < len(args):
        return store.db_path(args[args.index("--db") + 1])
    return store.db_path()


_STARTED: set[str] = set()  # stores whose first-start check ran in this process


@st.cache_resource(show_spinner=False)
def _connection(path: str):
    return store.open_store(path)


@st.cache_resource(show_spinner=False)
def _first_start(path: str) -> bool:
    """On an empty store, load the demo district once (so a newcomer sees a dashboard)."""
    con = _connection(path).cursor()
    if demo.has_data(con):
        return False
    demo.load(con, files=store.files_dir(path))
    return True


def cursor():
    """A cursor of the one shared connection (each use gets its own: threads)."""
    path = db_path()
    if path not in _STARTED:
        with st.spinner(t("app.loading_demo", lang())):
            _first_start(path)
        _STARTED.add(path)
    return _connection(path).cursor()


def lang() -> str:
    return st.session_state.get(LANG_KEY, "en")


def tr(key: str, **params) -> str:
    return t(key, lang(), **params)


def chrome():
    """Language switch and the demo banner, at the top of every page; returns a cursor.

    (The switch lives in the page, not in app.py: a widget drawn before st.navigation
    does not rerun the app when it changes.)
    """
    current = lang()
    choice = st.sidebar.radio(t("app.language", current), LANGUAGES, index=LANGUAGES.index(current),
                              format_func=LANG_NAMES.get, horizontal=True, key="lang_choice")
    if choice != current:
        st.session_state[LANG_KEY] = choice
        st.rerun()
    try:
        con = cursor()
    except IntakeError as exc:
        st.error(t("app.store_locked", choice, path=exc.issue.params.get("path", "")))
        st.stop()
    if demo.demo_uploads(con):
        st.warning(tr("app.demo_banner", district=district_name(con)), icon=":material/science:")
    return con


def district_name(con) -> str:
    names = store.get_setting(con, "district_name") or {}
    return names.get(lang()) or names.get("en") or ""


def indicator_name(key: str) -> str:
    return indicators.display_name(key, lang())


def guard_data(con) -> None:
    """Stop the page with a pointer to the upload page when there is nothing to show."""
    if not store.scalar(con, "SELECT count(*) FROM progress_current"):
        st.info(tr("app.no_data"))
        st.page_link("pages/upload.py", label=tr("app.go_upload"), icon=":material/upload_file:")
        st.stop()


def show_table(frame: pd.DataFrame, columns: dict[str, str], key: str | None = None,
               static: bool = False) -> None:
    """A table with catalogue column names, numbers in Indian format and dates dd-mm-yyyy.

    `static` draws a plain HTML table (short tables a person reads, e.g. a preview).
    """
    shown = pd.DataFrame()
    for name, kind in columns.items():
        if name not in frame:
            continue
        series = frame[name]
        if kind == "int":
            series = series.map(lambda v: fmt.number(None if pd.isna(v) else v))
        elif kind == "pct":
            series = series.map(lambda v: fmt.pct(None if pd.isna(v) else v))
        elif kind == "date":
            series = series.map(lambda v: fmt.date(None if pd.isna(v) else v))
        elif kind == "datetime":
            series = series.map(lambda v: fmt.datetime_ist(None if pd.isna(v) else v))
        else:
            series = series.map(lambda v: "" if v is None or (isinstance(v, float) and pd.isna(v)) else str(v))
        shown[tr(f"col.{name}")] = series
    if static:
        filled = [c for c in shown.columns if (shown[c] != "").any()]
        shown = shown[filled]
        st.table(shown.set_index(shown.columns[0]))
    else:
        st.dataframe(shown, hide_index=True, width="stretch", key=key)

