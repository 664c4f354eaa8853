"""What every page shares: the store connection, language, guards and formatting helpers.

Pages stay thin: guard, call the core, render. Session-state keys are the constants below.
"""

from __future__ import annotations

import contextlib
import importlib
import os
import re
import sys
import tempfile
import threading
import time
import traceback
import uuid
from contextlib import contextmanager
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
import streamlit as st
from streamlit.runtime.pages_manager import PagesManager

from samiksha import demo, exports, figures, fmt, naming, queries, roles, settings, store
from samiksha.errors import PAGE, IntakeError
from samiksha.i18n import LANGUAGES, catalogue, t

LANG_KEY = "lang"
UPLOAD_KEY = "upload_nonce"
CHECKED_KEY = "checked_files"
RESULTS_KEY = "upload_results"
INDICATOR_KEY = "indicator"  # the indicator picked on one page stays picked on the others
AS_OF_KEY = "as_of"
BLOCK_KEY = "drill_block"  # the block opened in the drill-down (its picker: "drill_choice")
SORT_KEY = "block_sort_value"
RAN_KEY = "session_ran"
MEETING_KEY = "meeting"  # meeting mode: on for the session (and ?meeting=1 in the address)
DISTRICT_KEY = "district"  # a state's store: the district picked (LGD code; None: the whole store)
OPERATOR_KEY = "operator_signed_in"  # signed in with the operator password (this session)
FAILED_KEY = "operator_failed"  # failed sign-ins of this session: (count, time of the last)
MAX_TRIES, LOCKED_S = 5, 60  # after 5 wrong passwords a session waits a minute
MEETING_SCALE = 1.25  # charts' type in meeting mode
LANG_NAMES = {"en": "English", "hi": "हिंदी"}


def db_path() -> str:
    """`streamlit run app.py -- --db PATH`, else SAMIKSHA_DB, else the default."""
    args = sys.argv[1:]
    if "--db" in args and args.index("--db") + 1 < len(args):
        return store.db_path(args[args.index("--db") + 1])
    return store.db_path()


_STARTED: set[str] = set()  # stores whose first-start check ran in this process
_RUN = threading.local()  # the store as this thread's page run has it open (see cursor)
WAIT_S = 60.0  # how long a page run waits for the store another program is writing
DEFER_S = 5.0  # how long a page run lets a waiting command go first


def _open(path: str, wait: float):
    try:
        return store.open_store(path, wait=wait)
    except IntakeError as exc:
        if exc.issue.code != "store_read_only" or not Path(path).is_file():
            raise
    except duckdb.ConnectionException:  # another session of this process has it open read-only (below)
        pass
    return store.open_store(path, read_only=True, wait=wait)  # its figures can be seen; storing says read-only


def _open_for_run(path: str):
    """The store, opened for this page run. A command waiting for it goes first (for a few
    seconds at most); while another program writes it, the page waits, saying so."""
    if not store.commands_waiting(path):
        try:
            return _open(path, 0)
        except IntakeError as exc:
            if exc.issue.code != "store_locked":
                raise
    deadline = time.monotonic() + WAIT_S
    with st.spinner(tr("app.store_busy")):
        let_go = time.monotonic() + DEFER_S
        while store.commands_waiting(path) and time.monotonic() < let_go:
            time.sleep(0.1)
        return _open(path, max(0.0, deadline - time.monotonic()))


@st.cache_resource(show_spinner=False)
def _first_start(path: str) -> bool:
    """On an empty store, load the demo district once (so a newcomer sees a dashboard)."""
    con = _RUN.con
    if demo.has_data(con):
        return False
    demo.load(con, files=store.files_dir(path))
    return True


_OPENED: dict[int, tuple[threading.Thread, object]] = {}  # id(connection) -> (the run's thread, it)
_OPENED_LOCK = threading.Lock()


def _close_after_dead_runs() -> None:
    """Close the stores left open by runs that ended without app.py's `release` (a page run by
    Streamlit's pages-folder mode, which skips app.py: see _through_app_py)."""
    with _OPENED_LOCK:
        ended = [key for key, (thread, _) in _OPENED.items() if not thread.is_alive()]
        left = [_OPENED.pop(key)[1] for key in ended]
    for con in left:
        with contextlib.suppress(Exception):
            con.close()


def _watch_runs() -> None:
    while True:
        time.sleep(0.2)
        _close_after_dead_runs()


threading.Thread(target=_watch_runs, name="samiksha-store-watch", daemon=True).start()


def cursor():
    """The store for this page run: opened at its first use in the run and closed when the run
    ends (`release`, called by app.py; a run that skipped app.py, when its thread ends), so that
    no connection is held between runs and the commands and other copies of the app can use
    the store too (see store.py)."""
    path = db_path()
    con = getattr(_RUN, "con", None)
    if con is not None and getattr(_RUN, "path", None) != path:
        release()
        con = None
    if con is None:
        _close_after_dead_runs()
        con = _RUN.con = _open_for_run(path)
        _RUN.path = path
        with _OPENED_LOCK:
            _OPENED[id(con)] = (threading.current_thread(), con)
    if path not in _STARTED:
        with st.spinner(t("app.loading_demo", lang())):
            _first_start(path)
        _STARTED.add(path)
    return con


def release() -> None:
    """The end of a page run: after a write the stored caches are brought up to date (readers
    in other processes find them valid), and the store is closed."""
    con = getattr(_RUN, "con", None)
    _RUN.con = None
    _RUN.version_mark = None  # the next run works the data version out again (a command may have stored)
    if con is None:
        return
    with _OPENED_LOCK:
        _OPENED.pop(id(con), None)
    try:
        if store.wrote():
            store.refresh_caches(con)
            store.wrote()
    except Exception as exc:  # the next writer or reader works them out
        log_error(exc)
    finally:
        with contextlib.suppress(Exception):
            con.close()


def forget_store() -> None:
    """Close this thread's store and forget the first-start check (tests, between stores)."""
    release()
    _first_start.clear()
    _STARTED.clear()


@st.cache_data(show_spinner=False, max_entries=1000)
def _cached_query(path: str, version: str, name: str, params: tuple):
    return queries.run(cursor(), name, **dict(params))


def query(con, name: str, **params) -> pd.DataFrame:
    """A named query's answer, kept while the data it depends on stays the same (the store's
    data version: uploads, undo, names, targets, settings), so reruns and other sessions
    do not work it out again. A query that takes a district gets the one picked."""
    if "district" in queries.load(name).params:
        params.setdefault("district", district())
    return _cached_query(db_path(), data_version(con), name, tuple(sorted(params.items())))


@st.cache_data(show_spinner=False, max_entries=256)
def _cached_call(path: str, version: str, module: str, name: str, args: tuple):
    return getattr(importlib.import_module(module), name)(cursor(), *args)


def known(con, fn, *args):
    """`fn(con, *args)`, a function of the core that only reads the store, kept while the data
    it reads stays the same (as `query` keeps a named query's answer)."""
    return _cached_call(db_path(), data_version(con), fn.__module__, fn.__name__, args)


def data_version(con) -> str:
    """The store's data version (store.data_version), worked out once per page run (and again
    after this run writes): every cached query and map of the run is keyed by it."""
    mark = (id(con), store.writes())
    if getattr(_RUN, "version_mark", None) != mark:
        _RUN.version, _RUN.version_mark = store.data_version(con), mark
    return _RUN.version


@st.cache_data(show_spinner=False, max_entries=16)
def _districts(path: str, version: str) -> list[tuple[str, str, str]]:
    return queries.districts(cursor())


def district() -> str | None:
    """The district picked in a state's store (its LGD code), else None: the whole store."""
    return st.session_state.get(DISTRICT_KEY)


def _district_picker(con) -> None:
    """In a store holding more than one district (a state's), a picker under the title: one
    district, or all of them. Kept for the session and in the address (?district=CODE)."""
    found = _districts(db_path(), data_version(con))
    if len(found) < 2:
        st.session_state[DISTRICT_KEY] = None
        return
    codes = [code for code, *_ in found]
    names = {code: (hi if lang() == "hi" else en) for code, en, hi in found}
    if DISTRICT_KEY not in st.session_state:
        asked = st.query_params.get("district")
        home = store.get_setting(con, "district_code")
        st.session_state[DISTRICT_KEY] = asked if asked in codes else (home if home in codes else None)
    current = st.session_state[DISTRICT_KEY]
    options = [None, *codes]
    where, _ = st.columns([1, 2])
    choice = where.selectbox(tr("pick.district"), options, index=options.index(current) if current in options else 0,
                          format_func=lambda code: names[code] if code else tr("pick.all_districts",
                                                                               count=fmt.number(len(codes))),
                          key=wkey("district_choice"), help=tr("pick.district_help"))
    st.session_state[DISTRICT_KEY] = choice
    if choice:
        st.query_params["district"] = choice
    else:
        st.query_params.pop("district", None)


def lang() -> str:
    return st.session_state.get(LANG_KEY, "en")


def tr(key: str, **params) -> str:
    return t(key, lang(), **params)


# Less empty space above the page and a smaller title, so the figures that matter are
# above the fold on a 1280×720 shared screen. A metric's label, value and note wrap onto
# another line instead of being cut short with an ellipsis ("4 days before the deadl…").
COMPACT_CSS = """<style>
.block-container, [data-testid="stMainBlockContainer"] {padding-top: 3.2rem; padding-bottom: 2rem;}
h1 {font-size: 2rem !important; padding: 0.2rem 0 0.4rem 0 !important;}
[data-testid="stMetric"] [data-testid="stMarkdownContainer"], [data-testid="stMetric"] [data-testid="stMarkdownContainer"] p,
[data-testid="stMetricValue"], [data-testid="stMetricValue"] div {white-space: normal !important; overflow: visible !important;
  text-overflow: clip !important; overflow-wrap: anywhere;}
[data-testid="stMetricDelta"] {height: auto !important; align-items: flex-start;}
</style>"""


# Meeting mode: a shared screen at 1280×720 in a video call. Larger type and numbers, black
# on white, no sidebar or toolbar, the page's full width; the pages leave out downloads of
# tables and the Upload and Settings pages leave the navigation.
MEETING_CSS = """<style>
html {font-size: 18px;}
[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"], [data-testid="stDecoration"],
[data-testid="stToolbarActions"], [data-testid="stMainMenu"] {display: none !important;}
.block-container, [data-testid="stMainBlockContainer"] {max-width: 100% !important; padding-left: 1rem !important;
  padding-right: 1rem !important;}
[data-testid="stMainBlockContainer"], [data-testid="stMainBlockContainer"] p, [data-testid="stMainBlockContainer"] li,
[data-testid="stCaptionContainer"] {color: #000 !important;}
[data-testid="stMetricValue"] {font-size: 2.25rem !important; letter-spacing: -0.01em; font-weight: 700 !important; color: #000 !important;}
[data-testid="stMetricLabel"] p {font-size: 1.05rem !important; font-weight: 600 !important;}
[data-testid="stMetricDelta"] {font-size: 1rem !important;}
[data-testid="stCaptionContainer"] {font-size: 0.95rem !important;}
[data-testid="stCaptionContainer"] * {color: #111 !important;}
h1 {font-size: 2.2rem !important;}
h3 {font-size: 1.6rem !important;}
[data-testid="stVerticalBlockBorderWrapper"] {border-color: #000 !important;}
</style>"""


def meeting() -> bool:
    """Meeting mode is on (the switch on every page; a link with ?meeting=1 opens in it)."""
    if MEETING_KEY not in st.session_state:
        st.session_state[MEETING_KEY] = st.query_params.get("meeting") == "1"
    return bool(st.session_state[MEETING_KEY])


def _meeting_switch(where) -> None:
    on = where.toggle(tr("app.meeting"), value=meeting(), key=wkey("meeting_choice"), help=tr("app.meeting_help"))
    if on != meeting():
        st.session_state[MEETING_KEY] = on
        if on:
            st.query_params["meeting"] = "1"
        else:
            st.query_params.pop("meeting", None)
        st.rerun()  # app.py draws the navigation again (meeting mode leaves out Upload and Settings)
    if on and st.query_params.get("meeting") != "1":
        st.query_params["meeting"] = "1"  # kept in the address when moving between pages


def _through_app_py() -> None:
    """A link to a page (/blocks) opened first after the server starts is run by
    Streamlit's old pages-folder mode, which runs the page without app.py (app.py's
    st.navigation turns that mode off): no top bar, every file in pages/ listed. Turn the
    mode off and, on a session's first run (nothing of the person's to lose), run again so
    that app.py's navigation serves the page."""
    first_run = not st.session_state.get(RAN_KEY)
    st.session_state[RAN_KEY] = True
    if PagesManager.uses_pages_directory:
        PagesManager.uses_pages_directory = False
        if first_run:
            st.rerun()


def chrome(title_key: str, with_district: bool = True):
    """Title, language switch and demo banner at the top of every page; returns a cursor.

    (The switch lives in the page, not in app.py: a widget drawn before st.navigation
    does not rerun the app when it changes.)
    """
    _through_app_py()
    st.markdown(COMPACT_CSS + (MEETING_CSS if meeting() else ""), unsafe_allow_html=True)
    current = lang()
    heading, switch, corner = st.columns([5, 1.1, 1], vertical_alignment="center")
    _meeting_switch(switch)
    choice = corner.radio(t("app.language", current), LANGUAGES, index=LANGUAGES.index(current),
                          format_func=LANG_NAMES.get, horizontal=True, key="lang_choice",
                          label_visibility="collapsed")
    if choice != current:
        st.session_state[LANG_KEY] = choice
        st.rerun()
    try:
        con = cursor()
    except IntakeError as exc:
        st.error(exc.issue.text(choice, PAGE))
        st.stop()
    _district_picker(con)
    district = district_name(con) if with_district else ""
    heading.title(tr(title_key) + (f" · {district}" if district else ""))
    if demo.demo_uploads(con):
        st.warning(tr("app.demo_banner_meeting" if meeting() else "app.demo_banner", district=district_name(con)),
                   icon=":material/science:")
    return con


def district_name(con) -> str:
    """The district shown: the one picked in a state's store, else the Settings name."""
    return settings.district_name(con, lang(), district())


def indicator_name(key: str, con=None) -> str:
    return settings.indicator_name(con or cursor(), key, lang())


def wkey(base: str) -> str:
    """A widget key per language: a picker whose labels are translated is drawn afresh when
    the language changes (else the browser keeps showing the old labels). The choice itself
    is kept in a session key of its own."""
    return base if lang() == "en" else f"{base}_{lang()}"


def pick_indicator(con, where=st) -> str | None:
    """The indicator picker (every indicator with data); the choice is kept across pages."""
    keys = queries.indicators_with_data(con)
    if not keys:
        return None
    current = st.session_state.get(INDICATOR_KEY)
    names = {key: indicator_name(key, con) for key in keys}
    choice = where.selectbox(tr("pick.indicator"), keys, index=keys.index(current) if current in keys else 0,
                             format_func=names.get, key=wkey(f"{INDICATOR_KEY}_choice"))
    st.session_state[INDICATOR_KEY] = choice
    return choice


def pick_as_of(con, indicator: str, where=st):
    """The as-of date picker: the dates with data, latest first (the default)."""
    dates = queries.report_dates(con, indicator)
    if not dates:
        return None
    current = st.session_state.get(AS_OF_KEY)
    choice = where.selectbox(tr("pick.as_of"), dates, index=dates.index(current) if current in dates else 0,
                             format_func=fmt.date, key=f"{AS_OF_KEY}_choice")
    st.session_state[AS_OF_KEY] = choice
    return choice


def labelled(con, frame: pd.DataFrame) -> pd.DataFrame:
    """The frame with block and panchayat names as the reader knows them (Hindi names from
    the gazetteer in the Hindi view; a name without one stays as written)."""
    return queries.labelled(frame, queries.place_labels(con, lang()))


def block_label(con):
    """name -> the name shown (for pickers); and its inverse (for chart clicks)."""
    blocks, _ = queries.place_labels(con, lang())
    return lambda name: blocks.get(name, name), {label: name for name, label in blocks.items()}


def pickers(con):
    """The indicator and as-of pickers in one row; returns (indicator, as_of, the row's
    spare column). Stops the page when the indicator has no reports yet."""
    row = st.columns([2, 1, 3])
    indicator = pick_indicator(con, row[0])
    as_of = pick_as_of(con, indicator, row[1])
    if as_of is None:
        st.info(tr("blocks.no_reports", indicator=indicator_name(indicator, con)))
        st.stop()
    return indicator, as_of, row[2]


def figure_context(con, indicator: str, as_of) -> figures.Context:
    from samiksha import images

    return images.context(con, indicator, as_of, lang(),
                          source=query(con, "data_source", indicator=indicator, as_of=as_of).iloc[0],
                          district=district())


def show_figure(fig, key: str, select: bool = False, shown=None):
    """A chart, full width, with a button under it for the chart as a PNG image (drawn on the
    server when clicked: title, date, source and units on it, 1,920 pixels wide). In meeting
    mode the chart's type is larger (`shown`: that larger chart, made already). With `select`,
    clicking a bar reruns the page with the selection."""
    shown = shown or (figures.enlarged(fig, MEETING_SCALE) if meeting() else fig)
    options = {"on_select": "rerun", "selection_mode": "points"} if select else {}
    event = st.plotly_chart(shown, key=key, width="stretch", config={"displaylogo": False}, theme=None, **options)
    image_button(fig, f"img_{key}")
    return event


@st.cache_resource(show_spinner=False, max_entries=32)
def _chart(module: str, name: str, args: tuple):
    fig = getattr(importlib.import_module(module), name)(*args)
    return fig, figures.enlarged(fig, MEETING_SCALE)


def show_chart(key: str, make, *args) -> None:
    """`show_figure` of the chart `make(*args)` makes (a function of samiksha.figures: the same
    inputs, the same chart), made once for the same inputs: a state's chart of 534 blocks, each
    bar labelled, takes about a second to make, and its meeting-mode copy as long again. The
    charts are shared by sessions and never changed."""
    fig, enlarged = _chart(make.__module__, make.__name__, args)
    show_figure(fig, key, shown=enlarged if meeting() else fig)


def image_button(fig, key: str) -> None:
    """The chart as a PNG, and beside it the chart laid out for a phone (portrait, large
    type: the image shared on WhatsApp), each drawn by the server's browser when its button
    is clicked."""
    from samiksha import images, render

    if not render.available():
        st.caption(tr("download.image_unavailable"))
        return
    row = st.container(horizontal=True, gap="medium", key=f"{key}_row")
    row.download_button(tr("download.image"), lambda: images.png(fig), file_name=figures.file_name(fig),
                        mime="image/png", key=key, icon=":material/image:", on_click="ignore", type="tertiary",
                        help=tr("download.image_help"))
    row.download_button(tr("download.image_phone"), lambda: images.png(fig, layout="phone"),
                        file_name=figures.file_name(fig, tag=tr("download.phone_file")), mime="image/png",
                        key=f"phone_{key.removeprefix('img_')}", icon=":material/smartphone:", on_click="ignore",
                        type="tertiary", help=tr("download.image_phone_help"))


def brief_buttons(indicator: str, as_of, indicator_label: str) -> None:
    """The one-page review brief of an indicator and date, as PDF and PNG, in the page's
    language; drawn by the server's browser when a button is clicked."""
    from samiksha import brief, render

    if not render.available():
        return
    path, language, place = db_path(), lang(), district()

    def made(kind: str):
        def draw() -> bytes:  # run when clicked, in a thread of its own: the store opened for a moment
            con = _open(path, WAIT_S)
            try:
                gathered = brief.gather(con, indicator, as_of, language, district=place)
            finally:
                con.close()
            return brief.render_brief(gathered, formats=(kind,))[kind]
        return draw

    left, right, _ = st.columns([1, 1, 3])
    for where, kind, mime in ((left, "pdf", "application/pdf"), (right, "png", "image/png")):
        where.download_button(tr(f"download.brief_{kind}"), made(kind), key=f"brief_{kind}_{indicator}",
                              file_name=brief.file_name(indicator_label, as_of, language, kind), mime=mime,
                              icon=":material/summarize:", on_click="ignore", help=tr("download.brief_help"))


EAGER_CELLS = 5_000  # an Excel of more cells is written when its button is clicked


@st.cache_data(show_spinner=False, max_entries=64)
def _excel(tables: dict[str, pd.DataFrame], headers: dict[str, str]) -> bytes:
    """An Excel of tables, written once while they stay the same (not again on every rerun)."""
    return exports.excel_bytes(tables, headers)


def download_excel(sheets: dict[str, pd.DataFrame], columns: dict[str, str], file_name: str, key: str) -> None:
    """An Excel download of tables, with the catalogue's column names (not in meeting mode)."""
    if meeting():
        return
    headers = {name: col_label(name) for name in columns}
    tables = {sheet: frame[[c for c in columns if c in frame]] for sheet, frame in sheets.items()}
    # a long table is written when the button is clicked, not on every run of the page (a
    # state's 534 blocks: 0.1 s a run); a district's is written at once
    big = sum(frame.size for frame in tables.values()) > EAGER_CELLS
    data = (lambda: exports.excel_bytes(tables, headers)) if big else _excel(tables, headers)
    st.download_button(tr("download.excel"), data, file_name=file_name, key=key, icon=":material/download:",
                       on_click="ignore" if big else "rerun",
                       mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")


ALL = "__all__"  # a filter's "all" choice


def remember(key: str, options: list | None, multi: tuple | None = None) -> None:
    """A filter's widget has a key per language (its labels are translated); its choice is
    kept under a key of its own, so it survives the language switch and other pages."""
    saved = st.session_state.get(f"{key}_value")
    widget = wkey(key)
    if multi is not None:
        if widget not in st.session_state and isinstance(saved, list):
            st.session_state[widget] = [c for c in saved if c in multi]
    elif st.session_state.get(widget) not in options:
        st.session_state[widget] = saved if saved in options else options[0]


def pick_filter(where, key: str, label: str, options: list, all_label: str, shown=lambda v: v):
    """A filter selectbox whose choice survives the language switch (`remember`); ALL shows as `all_label`."""
    remember(key, options)
    choice = where.selectbox(label, options, key=wkey(key), format_func=lambda v: all_label if v == ALL else shown(v))
    st.session_state[f"{key}_value"] = choice
    return choice


EAGER_ROWS = 3_000  # a longer list's files are written when their button is clicked


@st.cache_data(show_spinner=False, max_entries=24)
def _per_block_files(frame: pd.DataFrame, headers: dict[str, str], empty: str) -> tuple[bytes, bytes]:
    """A list as Excel (one sheet per block) and CSV, made once per list shown (a district's
    lists are thousands of rows: not written again on every rerun of the page)."""
    sheets = {name: part for name, part in frame.groupby("block", sort=True)} if len(frame) else {empty: frame}
    return exports.excel_bytes(sheets, headers), exports.csv_bytes(frame, headers)


def per_block_downloads(frame: pd.DataFrame, columns: dict[str, str], stem: str, key: str, excel_label: str,
                        empty_sheet: str) -> None:
    """A list as Excel with one sheet per block (one for each block's officer) and as CSV:
    `stem`.xlsx and `stem`.csv, buttons keyed `key`_excel and `key`_csv."""
    if meeting():
        return
    headers = {name: col_label(name) for name in columns}
    table = frame[list(columns)].reset_index(drop=True)
    if len(table) > EAGER_ROWS:  # written when the button is clicked, not on every rerun
        excel, csv = (lambda: _per_block_files(table, headers, empty_sheet)[0]), \
            (lambda: _per_block_files(table, headers, empty_sheet)[1])
    else:
        excel, csv = _per_block_files(table, headers, empty_sheet)
    left, right, _ = st.columns([2, 1, 3])
    left.download_button(excel_label, excel, file_name=f"{stem}.xlsx", key=f"{key}_excel", icon=":material/download:",
                         mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    right.download_button(tr("download.csv"), csv, file_name=f"{stem}.csv", key=f"{key}_csv",
                          icon=":material/download:", mime="text/csv")


_MARKDOWN = re.compile(r"([\\`*_\[\]#|~<>$])")  # what formats mid-line (file text is never at a line's start)


def md(text) -> str:
    """Text from a file, shown inside Markdown as written (no bold, links, maths or headings)."""
    return _MARKDOWN.sub(r"\\\1", str(text))


# ---------------------------------------------------------------- errors and links

RAISE_ENV = "SAMIKSHA_RAISE_ERRORS"  # set (the tests): an unexpected error is raised again once logged
HIDDEN_IN_MEETING = ("pages/upload.py", "pages/settings.py")  # the operator's pages


def error_log() -> Path:
    """The log of unexpected errors, beside the store (`<store>_errors.log`)."""
    path = db_path()
    if path == store.MEMORY:
        return Path(tempfile.gettempdir()) / "samiksha_errors.log"
    return Path(path).with_name(Path(path).stem + "_errors.log")


def log_error(exc: BaseException) -> str:
    """Write the error's traceback to the log with a short id; returns the id."""
    known = getattr(exc, "samiksha_error_id", None)
    if known:
        return known
    error_id = uuid.uuid4().hex[:8]
    with contextlib.suppress(AttributeError):
        exc.samiksha_error_id = error_id
    page = st.session_state.get("_page", "")
    text = f"--- {fmt.now_ist():%Y-%m-%d %H:%M:%S} IST  error {error_id}  {page}\n" + \
        "".join(traceback.format_exception(exc)) + "\n"
    try:
        with error_log().open("a", encoding="utf-8") as out:
            out.write(text)
    except OSError:
        print(text, file=sys.stderr)  # the server's own log, when the store's folder cannot be written
    return error_id


def unexpected(exc: BaseException) -> None:
    """An error nobody foresaw: one line in the page's language with its id (the traceback goes
    to the log beside the store); the page goes on."""
    first = not getattr(exc, "samiksha_error_id", None)
    error_id = log_error(exc)
    if first:
        st.error(tr("app.unexpected", id=error_id), icon=":material/error:")
    if os.environ.get(RAISE_ENV):
        raise exc


@contextmanager
def section():
    """A part of a page that fails on its own: an unexpected error there is said in one line,
    and the rest of the page is still drawn."""
    try:
        yield
    except Exception as exc:
        unexpected(exc)


def page_shown(page: str) -> bool:
    """The page is in the navigation now (meeting mode leaves out the operator's pages)."""
    return not (meeting() and page in HIDDEN_IN_MEETING)


def link(page: str, label: str, icon: str | None = None) -> None:
    """A link to another page, drawn only when that page is in the navigation."""
    if page_shown(page):
        st.page_link(page, label=label, icon=icon)


def unmatched_warning(con, indicator: str | None = None, as_of=None) -> None:
    """Block names not matched to the gazetteer are pending: held apart from every total and
    ranking, said here with what they report, until a person confirms each (a link to the
    Upload page; in meeting mode, where that page is hidden, the same words as text)."""
    unmatched = naming.unmatched_names(con)
    found = naming.pending(con, indicator, as_of, unmatched)
    if found["count"]:
        names = ", ".join(f"“{md(item['written'])}”" for item in found["names"][:5]) + \
            (" …" if found["count"] > 5 else "")
        key = "overview.pending" if indicator is not None and as_of is not None else "overview.pending_names"
        st.warning(tr(key, count=found["count"], achieved=fmt.number(found["achieved"]), names=names),
                   icon=":material/pending:")
        if page_shown("pages/upload.py"):
            link("pages/upload.py", tr("app.go_upload"), ":material/upload_file:")
        else:
            st.caption(tr("overview.pending_where"))
    panchayats = [n for n in unmatched if n["level"] != "block"]
    if panchayats and not meeting():
        names = ", ".join(f"“{md(item['written'])}”" for item in panchayats[:5]) + (" …" if len(panchayats) > 5 else "")
        st.caption(tr("overview.unmatched_panchayats", count=len(panchayats), names=names))


def nothing_yet(message_key: str, how_key: str | None = None) -> None:
    """Stop the page: say what is missing, how to add it, and point to the upload page."""
    st.info(tr(message_key))
    if how_key and not meeting():  # how to add it: the operator's business, not the meeting's
        st.markdown(tr(how_key))
    link("pages/upload.py", tr("app.go_upload"), ":material/upload_file:")
    st.stop()


def guard_data(con) -> None:
    """Stop the page with a pointer to the upload page when there is nothing to show."""
    if not queries.latest_date(con):
        nothing_yet("app.no_data")


def col_label(name: str) -> str:
    """The catalogue's column name; a column made from data (a date) shows as it is."""
    return tr(f"col.{name}") if f"col.{name}" in catalogue() else name


def _text(value) -> str:
    """A text cell: the empty-value sign for no value (never "None", "nan", "NaT" or "<NA>")."""
    return fmt.DASH if fmt.missing(value) or str(value).strip() == "" else str(value)


FORMATTERS = {
    "int": lambda v: fmt.number(None if pd.isna(v) else v),
    "pct": lambda v: fmt.pct(None if pd.isna(v) else v),
    "date": lambda v: fmt.date(None if pd.isna(v) else v),
    "datetime": lambda v: fmt.datetime_ist(None if pd.isna(v) else v),
    "bool": lambda v: (tr("table.yes") if v else tr("table.no")) if isinstance(v, (bool, np.bool_)) else
    (fmt.DASH if fmt.missing(v) else v),
    "text": _text,
}


LONG_TEXT = 48  # characters: a text column with a longer value is drawn wide, its rows tall enough to wrap
LINE_CHARS = 50  # characters on a line of a wide ("large", 400 px) column
ROW_LINE, MAX_LINES = 21, 6  # pixels of a line of a cell; the most lines a row is made tall for


def _long_text(shown: pd.DataFrame, texts: list[str]) -> tuple[dict, int | None]:
    """Column settings that keep long texts whole (an SHG's reasons, a file's problem): such a
    column drawn wide and the rows tall enough for its longest text to wrap instead of being
    cut; (column_config, row_height or None)."""
    config, lines = {}, 1
    for name in texts:
        longest = int(shown[name].map(lambda v: 0 if fmt.missing(v) else len(str(v))).max()) if len(shown) else 0
        if longest > LONG_TEXT:
            config[name] = st.column_config.TextColumn(width="large")
            lines = max(lines, min(MAX_LINES, -(-longest // LINE_CHARS)))
    return config, (10 + ROW_LINE * lines if lines > 1 else None)


ROW_PX, HEAD_PX, TALLEST_ROWS = 35, 38, 60  # st.dataframe's row and header height; the most rows drawn at once


def show_sortable(frame: pd.DataFrame, columns: dict[str, str], key: str, highlight=None, height=None,
                  every_row: bool = False) -> None:
    """A table a person can sort by clicking a header: the values stay numbers (so they sort
    as numbers) and are shown in Indian format / dd-mm-yyyy; a cell with no value shows the
    empty-value sign (the grid's placeholder: it shows "None" for any missing value whatever
    the format says). `highlight`: rows to mark. `every_row`: tall enough for every row (up
    to TALLEST_ROWS; a longer table says how many more rows there are to scroll to)."""
    if every_row and len(frame) > TALLEST_ROWS:
        st.caption(tr("table.more_rows", shown=fmt.number(TALLEST_ROWS), more=fmt.number(len(frame) - TALLEST_ROWS)))
    shown = frame[[c for c in columns if c in frame]].copy()
    for name, kind in columns.items():
        if kind == "bool" and name in shown:
            shown[name] = shown[name].map(lambda v: tr("table.yes") if v is True else fmt.DASH if fmt.missing(v) else "")
        elif kind in ("date", "datetime") and name in shown and shown[name].isna().any():
            # the grid shows a blank date as "None" whatever the format says: written out instead
            shown[name] = shown[name].map(FORMATTERS[kind])
            columns = {**columns, name: "text"}
    shown.columns = [col_label(c) for c in shown.columns]
    styler = shown.style.format({col_label(c): FORMATTERS[k] for c, k in columns.items()
                                 if k in FORMATTERS and c in frame}, na_rep=fmt.DASH)
    if highlight is not None:
        marks = list(highlight)
        styler = styler.apply(lambda row: ["background-color: #FDE2E1; font-weight: 600" if marks[row.name] else ""
                                           for _ in row], axis=1)
    config, row_height = _long_text(shown, [col_label(c) for c, k in columns.items() if k == "text" and c in frame])
    if every_row:
        height = HEAD_PX + (row_height or ROW_PX) * min(len(frame), TALLEST_ROWS) + 2
    # a state's lists (a lakh of workers) pass pandas' default limit of styled cells (262,144)
    with pd.option_context("styler.render.max_elements", max(shown.size + 1, 262_144)):
        st.dataframe(styler, hide_index=True, width="stretch", key=key, height=height or "auto", placeholder=fmt.DASH,
                     column_config=config or None, row_height=row_height)


LIST_SHOWN = 2_000  # rows of a long list drawn on a page (a state's lakh of workers or SHGs): the downloads hold them all


def show_list(frame: pd.DataFrame, columns: dict[str, str], key: str, shown_key: str, highlight=None) -> None:
    """A list that can run to a state's lakhs of rows: its first LIST_SHOWN rows in the list's
    own order, sortable, and under them `shown_key` ({shown} of {count}) when there are more.
    Drawing every row would take seconds a run and nobody reads them on a screen."""
    with section():  # fails alone; the rest of the page is drawn
        show_sortable(frame.head(LIST_SHOWN).reset_index(drop=True), columns, key=key,
                      highlight=None if highlight is None else list(highlight)[:LIST_SHOWN])
    if len(frame) > LIST_SHOWN:
        st.caption(tr(shown_key, shown=fmt.number(LIST_SHOWN), count=fmt.number(len(frame))))


def show_table(frame: pd.DataFrame, columns: dict[str, str], key: str | None = None,
               static: bool = False) -> None:
    """A table with catalogue column names, numbers in Indian format and dates dd-mm-yyyy.

    `static` draws a plain HTML table (short tables a person reads, e.g. a preview).
    """
    shown = pd.DataFrame()
    for name, kind in columns.items():
        if name not in frame:
            continue
        shown[tr(f"col.{name}")] = frame[name].map(FORMATTERS.get(kind, _text))
    if static:
        filled = [c for c in shown.columns if (~shown[c].isin(["", fmt.DASH])).any()]  # columns with something in them
        shown = shown[filled]
        st.table(shown.set_index(shown.columns[0]))
    else:
        config, row_height = _long_text(shown, [tr(f"col.{c}") for c, k in columns.items()
                                                if c in frame and k not in ("int", "pct", "date", "datetime")])
        st.dataframe(shown, hide_index=True, width="stretch", key=key, placeholder=fmt.DASH,
                     column_config=config or None, row_height=row_height)



# ---------------------------------------------------------------- roles

def _secrets() -> dict:
    try:
        return st.secrets.to_dict()
    except (FileNotFoundError, KeyError, st.errors.StreamlitSecretNotFoundError):
        return {}


def _access() -> tuple[str, IntakeError | None]:
    """How the operator is known (roles.OPEN, PASSWORD, OIDC); a password set wrongly (not
    hashed) closes the store to changes until it is mended, and says why."""
    try:
        return roles.mode(_secrets()), None
    except IntakeError as exc:
        return roles.PASSWORD, exc


def is_operator() -> bool:
    """This person may change the store: upload, undo, confirm names, change settings."""
    how, problem = _access()
    if how == roles.OPEN:
        return True
    if how == roles.OIDC:
        return roles.oidc_operator(_secrets(), bool(st.user.get("is_logged_in", False)), st.user.get("email"))
    return problem is None and st.session_state.get(OPERATOR_KEY) is True


def access_box() -> bool:
    """At the top of the pages that change the store: who may change it and, for a viewer, the
    sign-in. Returns whether this person is the operator."""
    how, problem = _access()
    if problem is not None:
        st.error(problem.issue.message(lang(), PAGE), icon=":material/lock:")
        return False
    if how == roles.OPEN:
        st.warning(tr("access.open"), icon=":material/lock_open:")
        return True
    if how == roles.OIDC:
        return _oidc_box()
    if st.session_state.get(OPERATOR_KEY) is True:
        left, right = st.columns([5, 1], vertical_alignment="center")
        left.caption(tr("access.signed_in"))
        if right.button(tr("access.sign_out"), key="operator_sign_out"):
            st.session_state[OPERATOR_KEY] = False
            st.rerun()
        return True
    st.info(tr("access.viewer"), icon=":material/visibility:")
    _password_form()
    return False


def _password_form() -> None:
    failed, last = st.session_state.get(FAILED_KEY, (0, 0.0))
    wait = int(LOCKED_S - (time.monotonic() - last))
    with st.form("operator_sign_in", clear_on_submit=True):
        password = st.text_input(tr("access.password"), type="password", key="operator_password")
        pressed = st.form_submit_button(tr("access.sign_in"), type="primary")
    if not pressed:
        return
    if failed >= MAX_TRIES and wait > 0:
        st.error(tr("access.locked", seconds=wait))
        return
    stored = roles.password_hash(_secrets())
    if stored and roles.verify(password, stored):
        st.session_state[OPERATOR_KEY] = True
        st.session_state.pop(FAILED_KEY, None)
        st.rerun()
    time.sleep(1)  # slows guessing
    st.session_state[FAILED_KEY] = (failed + 1 if failed < MAX_TRIES else 1, time.monotonic())
    st.error(tr("access.wrong_password"))


def _oidc_box() -> bool:
    if not st.user.get("is_logged_in", False):
        st.info(tr("access.viewer_oidc"), icon=":material/visibility:")
        if st.button(tr("access.sign_in"), type="primary", key="oidc_sign_in"):
            st.login()
        return False
    email = st.user.get("email") or st.user.get("name") or ""
    operator = roles.oidc_operator(_secrets(), True, st.user.get("email"))
    left, right = st.columns([5, 1], vertical_alignment="center")
    if operator:
        left.caption(tr("access.signed_in_as", who=email))
    else:
        left.warning(tr("access.not_operator", who=email), icon=":material/visibility:")
    if right.button(tr("access.sign_out"), key="oidc_sign_out"):
        st.logout()
    return operator


def district_picker(con, key: str = "lgd") -> None:
    """The store's district from the built-in LGD lists: a state, then a district found by
    what the operator types (Hindi or English), then "Use this district"."""
    from samiksha import lgd

    current = lgd.installed(con)
    if current:
        st.caption(tr("settings.lgd_current", district=", ".join(
            lgd.district_label(lgd.district(c["code"])) for c in current if lgd.district(c["code"]))))
    states = list(lgd.states())
    chosen = lgd.district(current[0]["code"]) if current else None
    home = next((i for i, u in enumerate(states) if chosen and u.code == chosen.parent_code),
                next((i for i, u in enumerate(states) if u.name == "Bihar"), 0))
    left, middle, right = st.columns([1, 1, 1.4])
    state = left.selectbox(tr("settings.lgd_state"), states, index=home, format_func=lambda u: u.name,
                           key=wkey(f"{key}_state"))
    typed = middle.text_input(tr("settings.lgd_search"), key=wkey(f"{key}_search"))
    found = lgd.find_districts(typed, state.code, limit=60)
    if not found:
        right.info(tr("settings.lgd_none"))
        return
    unit = right.selectbox(tr("settings.lgd_district"), found, format_func=lambda u: u.name,
                           key=wkey(f"{key}_district"))
    if st.button(tr("settings.lgd_use"), key=f"{key}_use", type="primary", icon=":material/location_on:"):
        changed = lgd.use(con, unit.code)
        st.success(tr("settings.lgd_used", district=lgd.district_label(unit), blocks=len(lgd.blocks_of(unit.code)),
                      changed=fmt.number(changed)), icon=":material/check:")
    st.caption(tr("settings.lgd_source"))
