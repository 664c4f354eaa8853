"""Sharing what a page shows, through AppTest on the demo district: the Image (PNG) button
under every chart, meeting mode (the switch, ?meeting=1, what it hides and what it keeps,
larger chart type), meeting mode in Hindi, an Excel download for every table (and what
the Excel and CSV files hold), and no hard-coded English on the pages.

The helpers and fixtures are those of test_pages.py (the demo store is built once per run).
"""
# ruff: noqa: F811 - the fixtures imported from test_pages are the tests' arguments

from __future__ import annotations

import ast
import csv
import datetime as dt
import io
import json
import re
import struct
from collections import Counter
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
import streamlit
from streamlit.runtime.media_file_manager import MediaFileManager
from streamlit.testing.v1 import AppTest
from streamlit.testing.v1 import app_test as app_test_module
from test_pages import (  # noqa: F401 - fixtures are used by name
    APP,
    PANCHAYAT_SHAPES,
    downloads,
    ok,
    one_block_store,
    release,
    shg_store,
)

from samiksha import exports, ingest, store
from samiksha.i18n import t

ROOT = Path(__file__).resolve().parent.parent
PAGES = (
    "overview", "blocks", "campaign", "map", "shg", "households", "reporting", "workers", "upload", "settings")
CHART_PAGES = PAGES[:8]  # the pages meeting mode shows (Households: tables, no chart)
LEFT_OUT = ("upload", "settings")  # by meeting mode
CHARTS = {
    "overview": {"trend_ayushman_cards", "trend_insurance"},
    "blocks": {"block_chart", "panchayat_chart", "block_trend"},
    "campaign": {"channel_share", "channel_stack", "drive_chart"},
    "map": {"place_map"},
    "shg": {"shg_block_chart", "shg_coverage_chart"},
    "households": set(),
    "reporting": {"reporting_grid_chart"},
    "workers": {"workers_chart"},
}
BRIEFS = {f"brief_{kind}_{indicator}" for kind in ("pdf", "png") for indicator in ("ayushman_cards", "insurance")}
AS_OF = "30-05-2025"  # the demo's latest report, register, roster and output date
DEVANAGARI = re.compile(r"[\u0900-\u097F]")
XLSX, CSV = ".xlsx", ".csv"
INDIAN_INT = "[>=10000000]##\\,##\\,##\\,##0;[>=100000]##\\,##\\,##0;##,##0"  # 1,23,45,678
INDIAN_DEC = "[>=10000000]##\\,##\\,##\\,##0.0;[>=100000]##\\,##\\,##0.0;##,##0.0"
LIST_SHOWN = 2_000  # a list's rows drawn on the page (pages/_shared.py LIST_SHOWN); the download holds all
FORMULAS = ('=HYPERLINK("http://x","click")', "+1", "-1+2", "@SUM(A1)", "\tx", "\rx")


# ---------------------------------------------------------------- helpers


@pytest.fixture(autouse=True)
def _release_after():
    """Close the page's cached store connection after each test (as test_pages.py does)."""
    yield
    release()


@pytest.fixture
def deferred(monkeypatch):
    """The files drawn when a button is clicked (chart images, briefs): {file id: (file name,
    mime type, the callable)}, for every AppTest run of the test."""
    made: dict[str, tuple[str, str, object]] = {}

    class Recording(MediaFileManager):
        def add_deferred(self, data_callable, mimetype, coordinates, file_name=None, *, element_id=""):
            file_id = super().add_deferred(data_callable, mimetype, coordinates, file_name, element_id=element_id)
            made[file_id] = (file_name, mimetype, data_callable)
            return file_id

    monkeypatch.setattr(app_test_module, "MediaFileManager", Recording)
    return made


@pytest.fixture
def navigation(monkeypatch):
    """What app.py handed st.navigation on each run: the pages' url paths ("" is the Overview)."""
    runs: list[list[str]] = []
    real = streamlit.navigation

    def recording(pages, *args, **kwargs):
        runs.append([page.url_path for page in pages])
        return real(pages, *args, **kwargs)

    monkeypatch.setattr(streamlit, "navigation", recording)
    return runs


ALL_PAGES = ["", "blocks", "campaign", "map", "shg", "households", "reporting", "workers", "upload", "settings"]
MEETING_PAGES = ALL_PAGES[:8]


def page_app(page: str = "overview", lang: str = "en", meeting: bool | None = None,
             query: dict | None = None) -> AppTest:
    """A new session opened on `page` (in `lang`; meeting mode set in the session, or by the
    address's query parameters)."""
    at = AppTest.from_file(APP, default_timeout=60)
    at.session_state["lang"] = lang
    if meeting is not None:
        at.session_state["meeting"] = meeting
    for name, value in (query or {}).items():
        at.query_params[name] = value
    if page != "overview":
        at.switch_page(f"pages/{page}.py")
    return ok(at.run())


def key_of(element) -> str:
    """The key a page gave an element ("$$ID-<hash>-img_block_chart" -> "img_block_chart")."""
    return element.proto.id.rsplit("-", 1)[-1] if getattr(element.proto, "id", "") else ""


def in_order(at: AppTest) -> list[tuple[object, list, int]]:
    """Every element of the page in document order, with its block's elements and its place there."""
    found = []

    def walk(node):
        children = list(getattr(node, "children", {}).values())
        for index, child in enumerate(children):
            found.append((child, children, index))
            walk(child)

    walk(at._tree)
    return found


def specs(at: AppTest) -> dict[str, dict]:
    return {key_of(e): json.loads(e.proto.spec) for e in at.get("plotly_chart")}


def buttons(at: AppTest) -> dict[str, object]:
    return {key_of(b): b for b in at.get("download_button")}


def file_of(button, downloads: dict, deferred: dict) -> tuple[str, str]:
    """A download button's (file name, mime type): a file made at once or one drawn on click."""
    if button.proto.deferred_file_id:
        name, mime, _ = deferred[button.proto.deferred_file_id]
        return name, mime
    stored = downloads[button.proto.url]
    return stored.filename, stored.mimetype


def table_downloads(at: AppTest, downloads: dict, deferred: dict) -> dict[str, str]:
    """The Excel and CSV downloads on the page: {button key: file name}."""
    named = {key: file_of(b, downloads, deferred)[0] for key, b in buttons(at).items()}
    return {key: name for key, name in named.items() if name.endswith((XLSX, CSV))}


def meeting_switch(at: AppTest):
    """The meeting-mode switch (its key is per language: meeting_choice, meeting_choice_hi)."""
    [switch] = [toggle for toggle in at.toggle if (toggle.key or "").startswith("meeting_choice")]
    return switch


def markdown_texts(at: AppTest) -> list[str]:
    return [m.value for m in at.markdown]


def meeting_css_shown(at: AppTest) -> bool:
    from pages import _shared as ui

    assert "stSidebar" in ui.MEETING_CSS and "font-size" in ui.MEETING_CSS  # the CSS itself is not empty
    return any(ui.MEETING_CSS in text for text in markdown_texts(at))


def title_words(title: str) -> list[str]:
    """The words of a chart title a file name must keep (Devanagari runs in Hindi)."""
    return re.findall(r"[\u0900-\u097F]+" if DEVANAGARI.search(title) else r"[A-Za-z0-9]+", title)


def keeps_in_order(name: str, words: list[str]) -> bool:
    at = 0
    for word in words:
        at = name.find(word, at)
        if at < 0:
            return False
        at += len(word)
    return True


# ================================================================ 1. An image button under every chart


@pytest.mark.parametrize("lang", ["en", "hi"])
@pytest.mark.parametrize("page", CHART_PAGES)
def test_every_chart_has_an_image_button_right_after_it(demo_store, deferred, page, lang):
    at = page_app(page, lang)
    charts = specs(at)
    assert set(charts) == CHARTS[page], f"{page}: charts {sorted(charts)}"
    drawn = [(element, siblings, index) for element, siblings, index in in_order(at)
             if getattr(element, "type", "") == "plotly_chart"]
    assert len(drawn) == len(charts)
    for element, siblings, index in drawn:
        key = key_of(element)
        assert index + 1 < len(siblings), f"{page}: nothing after the chart {key}"
        row = siblings[index + 1]  # a row of two buttons: the image, and the image for a phone
        assert getattr(row, "type", "") == "flex_container", f"{page}: after {key} comes {row.type}"
        after, phone_button = list(row.children.values())
        assert getattr(after, "type", "") == "download_button", f"{page}: after {key} comes {after.type}"
        assert key_of(after) == f"img_{key}" and key_of(phone_button) == f"phone_{key}"
        assert after.proto.label == t("download.image", lang)
        assert after.proto.help == t("download.image_help", lang)
        assert phone_button.proto.label == t("download.image_phone", lang)
        assert phone_button.proto.help == t("download.image_phone_help", lang)
        title = charts[key]["layout"]["title"]["text"]
        for button, tag in ((after, ""), (phone_button, "_" + t("download.phone_file", lang))):
            assert button.proto.deferred_file_id, "the image is drawn when the button is clicked"
            name, mime, _ = deferred[button.proto.deferred_file_id]
            assert mime == "image/png"
            assert name.endswith(f"_{AS_OF}{tag}.png"), name
            assert "/" not in name and " " not in name and ":" not in name
            assert keeps_in_order(name, title_words(title)), (name, title)
            if lang == "hi":
                assert DEVANAGARI.search(button.proto.label) and DEVANAGARI.search(button.proto.help)
                assert DEVANAGARI.search(name), f"{page}: the image of {key} lost its Hindi title: {name}"
        if lang == "hi":
            assert DEVANAGARI.search(title), f"{page}: the Hindi page's chart {key} has an English title"


def test_the_image_button_draws_the_chart_as_a_png_also_in_meeting_mode(demo_store, deferred):
    at = page_app("blocks", meeting=True)
    button = buttons(at)["img_block_chart"]
    name, mime, draw = deferred[button.proto.deferred_file_id]
    png = draw()
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", png[16:24])
    assert width == 1920 and height > 400
    assert name == f"Ayushman_cards_blocks_ranked_by_achievement_against_target_{AS_OF}.png"
    name, mime, draw = deferred[buttons(at)["phone_block_chart"].proto.deferred_file_id]
    png = draw()  # the same chart for a phone: portrait, 1,080 pixels wide
    width, height = struct.unpack(">II", png[16:24])
    assert png[:8] == b"\x89PNG\r\n\x1a\n" and width == 1080 and height > width
    assert name == f"Ayushman_cards_blocks_ranked_by_achievement_against_target_{AS_OF}_phone.png"


# ================================================================ 2. Meeting mode


@pytest.mark.parametrize("page", CHART_PAGES)
def test_meeting_switch_on_each_page_hides_table_downloads_and_enlarges_the_charts(
        demo_store, downloads, deferred, page):
    from pages import _shared as ui

    at = page_app(page)
    switch = at.toggle(key="meeting_choice")
    assert switch.label == "Meeting mode" and switch.value is False
    assert not meeting_css_shown(at)
    title = at.title[0].value
    normal, before = specs(at), set(buttons(at))
    tables = table_downloads(at, downloads, deferred)
    if page not in ("overview", "map"):
        assert tables, f"{page}: no Excel or CSV download in normal mode"
    images = {key for key in before if key.startswith("img_")}
    assert images == {f"img_{key}" for key in CHARTS[page]}

    ok(at.toggle(key="meeting_choice").set_value(True).run())
    assert at.session_state["meeting"] is True and at.toggle(key="meeting_choice").value is True
    assert at.query_params.get("meeting") == "1"
    assert at.title[0].value == title  # the same page, now for the shared screen
    assert meeting_css_shown(at)
    shown = set(buttons(at))
    assert not set(table_downloads(at, downloads, deferred)), f"{page}: table downloads left in meeting mode"
    assert shown == before - set(tables), f"{page}: meeting mode took away {sorted(before - shown)}"
    assert {key for key in shown if key.startswith("img_")} == images
    if page == "overview":
        assert shown >= BRIEFS
    enlarged = specs(at)
    assert set(enlarged) == set(normal)
    for key, spec in enlarged.items():
        size, was = spec["layout"]["font"]["size"], normal[key]["layout"]["font"]["size"]
        assert size == pytest.approx(was * ui.MEETING_SCALE, abs=0.1) and size > was, key
        title_font = normal[key]["layout"]["title"].get("font", {}).get("size")
        if title_font:
            assert spec["layout"]["title"]["font"]["size"] > title_font, key

    ok(at.toggle(key="meeting_choice").set_value(False).run())
    assert at.session_state["meeting"] is False and "meeting" not in at.query_params
    assert not meeting_css_shown(at)
    assert set(buttons(at)) == before and set(table_downloads(at, downloads, deferred)) == set(tables)
    assert {k: s["layout"]["font"]["size"] for k, s in specs(at).items()} == \
        {k: s["layout"]["font"]["size"] for k, s in normal.items()}


def test_meeting_mode_stays_on_across_pages_and_leaves_out_upload_and_settings(demo_store, downloads, deferred,
                                                                            navigation):
    at = page_app()
    assert navigation[-1] == ALL_PAGES
    ok(at.toggle(key="meeting_choice").set_value(True).run())
    assert navigation[-1] == MEETING_PAGES
    for page in LEFT_OUT:
        with pytest.raises(ValueError, match="Could not find a navigation page"):
            at.switch_page(f"pages/{page}.py")
    for page in CHART_PAGES[1:] + CHART_PAGES[:1]:
        ok(at.switch_page(f"pages/{page}.py").run())
        assert at.toggle(key="meeting_choice").value is True, f"meeting mode went off on {page}"
        assert at.session_state["meeting"] is True and at.query_params.get("meeting") == "1"
        assert meeting_css_shown(at), page
        assert navigation[-1] == MEETING_PAGES, page
        assert not table_downloads(at, downloads, deferred), page
        assert {k for k in buttons(at) if k.startswith("img_")} == {f"img_{k}" for k in CHARTS[page]}
    ok(at.switch_page("pages/workers.py").run())
    ok(at.toggle(key="meeting_choice").set_value(False).run())
    assert navigation[-1] == ALL_PAGES and not meeting_css_shown(at)
    assert table_downloads(at, downloads, deferred)
    ok(at.switch_page("pages/upload.py").run())  # back in the navigation
    assert at.title[0].value == "Upload & data"


@pytest.mark.parametrize("lang", ["en", "hi"])
def test_a_link_with_meeting_1_opens_in_meeting_mode(demo_store, downloads, deferred, navigation, lang):
    at = page_app("blocks", lang, query={"meeting": "1"})
    assert at.session_state["meeting"] is True and meeting_switch(at).value is True
    assert meeting_css_shown(at) and navigation[-1] == MEETING_PAGES
    assert at.title[0].value.startswith(t("blocks.title", lang) + " · ")
    assert not table_downloads(at, downloads, deferred)
    assert {k for k in buttons(at) if k.startswith("img_")} == {f"img_{k}" for k in CHARTS["blocks"]}


def test_a_link_without_meeting_1_opens_in_normal_mode(demo_store, downloads, deferred, navigation):
    at = page_app("blocks", query={"meeting": "0"})
    assert at.session_state["meeting"] is False and at.toggle(key="meeting_choice").value is False
    assert not meeting_css_shown(at) and navigation[-1] == ALL_PAGES
    assert set(table_downloads(at, downloads, deferred)) == {"block_excel", "panchayat_excel"}


@pytest.mark.parametrize("page", LEFT_OUT)
def test_meeting_switch_on_upload_or_settings_moves_to_the_overview(demo_store, navigation, page):
    at = page_app(page)
    assert at.title[0].value == t(f"{page}.title", "en")
    ok(at.toggle(key="meeting_choice").set_value(True).run())
    assert navigation[-1] == MEETING_PAGES
    assert at.title[0].value.startswith("District overview")
    assert at.toggle(key="meeting_choice").value is True and meeting_css_shown(at)


# ================================================================ 3. Meeting mode in Hindi


@pytest.mark.parametrize("page", CHART_PAGES)
def test_meeting_mode_in_hindi_runs_every_page(demo_store, downloads, deferred, navigation, page):
    at = page_app(page, "hi", meeting=True)
    switch = at.toggle(key="meeting_choice_hi")  # a widget key per language (ui.wkey)
    assert switch.label == t("app.meeting", "hi") == "बैठक मोड"
    assert DEVANAGARI.search(switch.help) and switch.value is True
    assert DEVANAGARI.search(at.title[0].value), at.title[0].value
    assert meeting_css_shown(at) and navigation[-1] == MEETING_PAGES
    assert not table_downloads(at, downloads, deferred)
    images = [b for key, b in buttons(at).items() if key.startswith("img_")]
    assert {key_of(b) for b in images} == {f"img_{k}" for k in CHARTS[page]}
    assert {b.proto.label for b in images} == ({"चित्र (PNG)"} if CHARTS[page] else set())
    if page == "overview":
        labels = {b.proto.label for key, b in buttons(at).items() if key.startswith("brief_")}
        assert labels == {t("download.brief_pdf", "hi"), t("download.brief_png", "hi")}
        assert all(DEVANAGARI.search(label) for label in labels)


def test_meeting_switch_in_hindi_turns_on_and_off(demo_store, navigation):
    at = page_app("overview", "hi")
    assert at.toggle(key="meeting_choice_hi").label == "बैठक मोड"  # a picker per language (ui.wkey)
    ok(at.toggle(key="meeting_choice_hi").set_value(True).run())
    assert at.session_state["meeting"] is True and meeting_css_shown(at) and navigation[-1] == MEETING_PAGES
    assert at.title[0].value.startswith("ज़िले का सारांश")
    ok(at.toggle(key="meeting_choice_hi").set_value(False).run())
    assert at.session_state["meeting"] is False and not meeting_css_shown(at) and navigation[-1] == ALL_PAGES


@pytest.mark.parametrize("page", LEFT_OUT)
def test_upload_and_settings_run_in_hindi_and_leave_the_meeting_navigation(demo_store, navigation, page):
    at = page_app(page, "hi")
    assert at.title[0].value == t(f"{page}.title", "hi") and DEVANAGARI.search(at.title[0].value)
    assert at.toggle(key="meeting_choice_hi").label == "बैठक मोड"
    ok(at.toggle(key="meeting_choice_hi").set_value(True).run())
    assert navigation[-1] == MEETING_PAGES
    assert at.title[0].value.startswith("ज़िले का सारांश")
    with pytest.raises(ValueError, match="Could not find a navigation page"):
        at.switch_page(f"pages/{page}.py")


# ================================================================ 4. Excel for every table


@pytest.fixture
def unmatched_map_store(one_block_store):
    """Musahari's report and three panchayat shapes, one of a place with no report (Bauram)."""
    con = store.open_store(str(one_block_store))
    assert ingest.ingest_file(con.cursor(), PANCHAYAT_SHAPES, "gp.geojson").status == "stored"
    con.close()
    return one_block_store


def sheets_of(data: bytes) -> list[tuple[list, list[tuple]]]:
    """An .xlsx file's sheets as (header row, data rows)."""
    book = openpyxl.load_workbook(io.BytesIO(data))
    found = []
    for sheet in book.worksheets:
        rows = list(sheet.iter_rows(values_only=True))
        found.append((list(rows[0]) if rows else [], rows[1:]))
    return found


def excel_files(at: AppTest, downloads: dict) -> dict[str, bytes]:
    """The page's Excel downloads (all made at once on these stores): {button key: bytes}."""
    found = {}
    for key, button in buttons(at).items():
        stored = downloads.get(button.proto.url) if button.proto.url else None
        if stored is not None and stored.filename.endswith(XLSX):
            found[key] = stored.content
    return found


def plain(value) -> str:
    """A cell as text, the same for the page's table and the Excel file."""
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, (pd.Timestamp, dt.datetime)):
        return value.date().isoformat() if value.time() == dt.time(0) else value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(getattr(value, "item", lambda: value)())


def shown_tables(at: AppTest) -> list:
    """The page's st.dataframe tables (not an st.data_editor: a form to correct matches)."""
    return [table for table in at.dataframe if table.proto.editing_mode == table.proto.EditingMode.READ_ONLY]


def tables_without_excel(at: AppTest, downloads: dict) -> list[list[str]]:
    """The page's tables (their headers) that no Excel download on the page holds: an Excel
    holds a table when a sheet has its columns, its rows (a list drawn in part: at least
    those) and the same first column."""
    files = {key: sheets_of(data) for key, data in excel_files(at, downloads).items()}
    missing = []
    for table in shown_tables(at):
        shown = table.value
        headers = [str(c) for c in shown.columns]
        held = False
        for sheets in files.values():
            fitting = [(h, rows) for h, rows in sheets if set(headers) <= {str(c) for c in h}]
            if not fitting:
                continue
            total = sum(len(rows) for _, rows in fitting)
            first = sum((Counter(plain(r[h.index(headers[0])]) for r in rows) for h, rows in fitting), Counter())
            wanted = Counter(plain(v) for v in shown.iloc[:, 0])
            if total == len(shown):
                held = held or first == wanted
            elif len(shown) == LIST_SHOWN and total > len(shown):
                held = True
            elif total > len(shown):  # a ranked few drawn (the 25 tolas with most left), all in the file
                held = held or not (wanted - first)
        if not held:
            missing.append(headers)
    return missing


@pytest.mark.parametrize("page", PAGES)
def test_every_table_on_a_page_has_an_excel_download(request, downloads, page):
    request.getfixturevalue("unmatched_map_store" if page == "map" else "demo_store")
    at = page_app(page)
    shown = [list(table.value.columns) for table in shown_tables(at)]
    if page in ("blocks", "campaign", "shg", "households", "reporting", "workers", "map", "upload"):
        assert shown, f"{page}: no table drawn, nothing checked"
    seen = sum((check_excel(data) for data in excel_files(at, downloads).values()), Counter())
    if page in ("blocks", "campaign", "reporting"):  # (the SHGs' and Workers' files: the test below)
        assert seen["number"] and seen["text"] and (seen["date"] or page == "campaign"), seen
    missing = tables_without_excel(at, downloads)
    assert not missing, f"{page}: tables with no Excel download: {missing}"


def check_excel(data: bytes) -> Counter:
    """The Excel rules for every sheet: a bold, frozen header row; whole numbers in Indian
    grouping, decimals with one place, dates dd-mm-yyyy; no formula. Returns what was checked."""
    seen: Counter = Counter()
    book = openpyxl.load_workbook(io.BytesIO(data))
    for sheet in book.worksheets:
        assert sheet.freeze_panes == "A2", sheet.title
        header = list(sheet[1])
        assert header and all(cell.font.b for cell in header), f"{sheet.title}: header not bold"
        for row in sheet.iter_rows(min_row=2):
            for cell in row:
                value = cell.value
                assert cell.data_type != "f", f"{sheet.title}!{cell.coordinate} is a formula: {value!r}"
                if isinstance(value, bool) or value is None:
                    continue
                if isinstance(value, int) or (isinstance(value, float) and value.is_integer()):
                    assert cell.number_format == INDIAN_INT, (sheet.title, cell.coordinate, cell.number_format)
                    seen["number"] += 1
                elif isinstance(value, float):
                    assert cell.number_format == INDIAN_DEC, (sheet.title, cell.coordinate, cell.number_format)
                    seen["decimal"] += 1
                elif isinstance(value, dt.datetime):
                    wanted = "dd-mm-yyyy" if value.time() == dt.time(0) else "dd-mm-yyyy hh:mm"
                    assert cell.number_format == wanted, (sheet.title, cell.coordinate, cell.number_format)
                    seen["date"] += 1
                elif isinstance(value, str):
                    assert cell.data_type == "s"
                    seen["text"] += 1
    return seen


@pytest.mark.parametrize("page", ["shg", "workers"])
def test_the_shg_and_workers_excel_files_follow_the_rules(request, downloads, page):
    request.getfixturevalue("demo_store")
    at = page_app(page)
    files = excel_files(at, downloads)
    seen = sum((check_excel(data) for data in files.values()), Counter())
    assert len(files) >= 3, f"{page}: Excel downloads {sorted(files)}"
    assert seen["number"] and seen["decimal"] and seen["date"] and seen["text"], seen


def formula_register(names=FORMULAS[:4]) -> bytes:
    """An SHG register (30-05-2025, Musahari) of inactive SHGs with these names, in a Hindi-named
    village. (A tab or CR at a cell's start is trimmed when a file is read: the four others.)"""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(["SHG register as on 30.05.2025"])
    writer.writerow(["SHG Code", "SHG Name", "Block", "Panchayat", "Village", "Formation Date", "Members",
                     "Last Meeting", "Cumulative Saving", "Last Saving Date", "Overdue", "Status"])
    for n, name in enumerate(names):
        writer.writerow([f"F{n}", name, "Musahari", "Panchayat 5", "रामपुर", "01.01.2020", 10, "01.01.2025", 1000,
                         "20.05.2025", 0, "Inactive"])
    return out.getvalue().encode()


def csv_rows(data: bytes) -> list[list[str]]:
    assert data.startswith(b"\xef\xbb\xbf"), "the CSV has no UTF-8 BOM (Excel would garble Hindi)"
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))


@pytest.mark.parametrize("lang", ["en", "hi"])
def test_formula_like_names_stay_text_in_the_shg_list_downloads(tmp_path, monkeypatch, downloads, lang):
    shg_store(tmp_path / "formulas.duckdb", monkeypatch, formula_register())
    at = page_app("shg", lang)
    files = {key: downloads[b.proto.url] for key, b in buttons(at).items() if b.proto.url}
    excel, text = files["shg_inactive_excel"], files["shg_inactive_csv"]
    name_header, village_header = t("col.shg_name", lang), t("col.village", lang)

    book = openpyxl.load_workbook(io.BytesIO(excel.content))
    names = []
    for sheet in book.worksheets:
        header = [cell.value for cell in sheet[1]]
        column = header.index(name_header) + 1
        for row in range(2, sheet.max_row + 1):
            cell = sheet.cell(row=row, column=column)
            assert cell.data_type == "s", f"{cell.value!r} is stored as {cell.data_type}, not text"
            names.append(cell.value)
            assert sheet.cell(row=row, column=header.index(village_header) + 1).value == "रामपुर"
    assert sorted(names) == sorted(FORMULAS[:4])
    check_excel(excel.content)

    rows = csv_rows(text.content)
    assert rows[0][:3] == [t("col.block", lang), t("col.panchayat", lang), name_header]
    if lang == "hi":
        assert all(DEVANAGARI.search(h) for h in rows[0][:6]), rows[0]
    by_header = [dict(zip(rows[0], row, strict=True)) for row in rows[1:]]
    assert sorted(r[name_header] for r in by_header) == sorted("'" + name for name in FORMULAS[:4])
    assert {r[village_header] for r in by_header} == {"रामपुर"}


def page_column_sets() -> dict[str, dict[str, str]]:
    """Every `*_COLUMNS` table of the pages (column -> kind), read from their source."""
    found = {}
    for path in sorted(ROOT.glob("pages/*.py")):
        for node in ast.parse(path.read_text(encoding="utf-8")).body:
            if (isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name)
                    and node.targets[0].id.endswith("_COLUMNS")):
                found[f"{path.stem}.{node.targets[0].id}"] = ast.literal_eval(node.value)
    return found


SAMPLE = {"int": 1234567, "pct": 12.5, "date": dt.date(2025, 5, 30), "datetime": dt.datetime(2025, 5, 30, 17, 42),
          "bool": True}


@pytest.mark.parametrize("lang", ["en", "hi"])
def test_excel_and_csv_of_every_page_table_keep_formula_like_text_as_text(lang):
    sets = page_column_sets()
    assert len(sets) >= 15 and "shg.INACTIVE_COLUMNS" in sets and "blocks.BLOCK_COLUMNS" in sets
    for name, columns in sets.items():
        frame = pd.DataFrame([{c: (text if kind == "text" else SAMPLE[kind]) for c, kind in columns.items()}
                              for text in FORMULAS])
        headers = {c: t(f"col.{c}", lang) for c in columns}
        book = openpyxl.load_workbook(io.BytesIO(exports.excel_bytes({"sheet": frame}, headers)))
        sheet = book.active
        assert [cell.value for cell in sheet[1]] == list(headers.values()), name
        seen = check_excel(exports.excel_bytes({"sheet": frame}, headers))
        assert seen["text"] > 0, name
        if set(columns.values()) - {"text", "bool"}:
            assert seen["number"] + seen["decimal"] + seen["date"] > 0, name
        for index, (column, kind) in enumerate(columns.items(), start=1):
            cells = [sheet.cell(row=row, column=index) for row in range(2, len(FORMULAS) + 2)]
            if kind == "text":
                # (an XML reader gives a CR in a cell back as LF)
                assert [c.value for c in cells] == [f.replace("\r", "\n") for f in FORMULAS], (name, column)
                assert {c.data_type for c in cells} == {"s"}, (name, column)
            elif kind == "date":
                assert {c.number_format for c in cells} == {"dd-mm-yyyy"}, (name, column)
            elif kind == "int":
                assert {c.number_format for c in cells} == {INDIAN_INT}, (name, column)
        rows = csv_rows(exports.csv_bytes(frame, headers))
        assert rows[0] == list(headers.values())
        if lang == "hi":
            assert any(DEVANAGARI.search(h) for h in rows[0]), name
        text_columns = [i for i, kind in enumerate(columns.values()) if kind == "text"]
        for row, formula in zip(rows[1:], [f for f in FORMULAS if "\r" not in f], strict=False):
            assert all(row[i] == "'" + formula for i in text_columns), (name, row)


def test_csv_keeps_a_cell_with_a_carriage_return_in_its_row(tmp_path, monkeypatch, downloads):
    shg_store(tmp_path / "cr.duckdb", monkeypatch, formula_register(["Ram\r=1+2"]))  # kept as written
    at = page_app("shg")
    text = downloads[buttons(at)["shg_inactive_csv"].proto.url].content
    rows = csv_rows(text)
    assert all(len(row) == len(rows[0]) for row in rows), rows
    assert not any(cell.startswith(exports.FORMULA_START) for row in rows[1:] for cell in row), rows
    frame = pd.DataFrame({"shg_name": ["\rx", "a\r=1+2"], "members": [1, 2]})
    assert csv_rows(exports.csv_bytes(frame)) == [["shg_name", "members"], ["'\rx", "1"], ["a\r=1+2", "2"]]


# ================================================================ 5. No hard-coded English on the pages

VISIBLE_CALLS = {
    "title", "header", "subheader", "markdown", "caption", "info", "warning", "error", "success", "exception",
    "write", "text", "latex", "button", "download_button", "form_submit_button", "link_button", "page_link",
    "selectbox", "multiselect", "radio", "toggle", "checkbox", "slider", "select_slider", "text_input", "text_area",
    "number_input", "date_input", "time_input", "file_uploader", "color_picker", "metric", "tabs", "expander",
    "popover", "toast", "spinner", "status", "progress", "Page", "form", "CheckboxColumn", "SelectboxColumn",
    "TextColumn", "NumberColumn", "DateColumn", "Column",
}
PATH_FIRST = {"Page", "page_link", "form"}  # their first argument is a page file or a form's key, not shown
LABEL_KEYWORDS = {"label", "body", "title", "text", "value", "delta"}
HINT_KEYWORDS = {"help", "placeholder", "caption"}
ENGLISH = re.compile(r"[A-Za-z]{2,}")


def shown_literals(node, constants: dict[str, str]):
    """The string literals an argument puts on the screen as they are: not those inside another
    call (the catalogue's keys in tr("..."), a column name in row["..."]) or a subscript."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        yield node.value
    elif isinstance(node, ast.Name) and node.id in constants:
        yield constants[node.id]
    elif isinstance(node, ast.JoinedStr):
        for part in node.values:
            if isinstance(part, ast.Constant):
                yield part.value
            elif isinstance(part, ast.FormattedValue):
                yield from shown_literals(part.value, constants)
    elif isinstance(node, ast.BinOp):
        yield from shown_literals(node.left, constants)
        yield from shown_literals(node.right, constants)
    elif isinstance(node, ast.IfExp):
        yield from shown_literals(node.body, constants)
        yield from shown_literals(node.orelse, constants)
    elif isinstance(node, ast.BoolOp):
        for value in node.values:
            yield from shown_literals(value, constants)
    elif isinstance(node, (ast.List, ast.Tuple)):
        for value in node.elts:
            yield from shown_literals(value, constants)
    elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "format":
        yield from shown_literals(node.func.value, constants)


def called_names(func) -> list[str]:
    if isinstance(func, ast.Attribute):
        return [func.attr]
    if isinstance(func, ast.Name):
        return [func.id]
    if isinstance(func, ast.IfExp):  # (st.error if late else st.warning)(...)
        return called_names(func.body) + called_names(func.orelse)
    return []


def english_in(source: str, keywords: set[str], positional: bool) -> list[tuple[int, str, str]]:
    """(line, call, text) for each English literal a Streamlit call of `source` shows: its
    first argument (a metric's first three) when `positional`, and these keyword arguments."""
    tree = ast.parse(source)
    constants = {node.targets[0].id: node.value.value for node in tree.body
                 if isinstance(node, ast.Assign) and len(node.targets) == 1
                 and isinstance(node.targets[0], ast.Name) and isinstance(node.value, ast.Constant)
                 and isinstance(node.value.value, str)}
    found = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        called = [name for name in called_names(node.func) if name in VISIBLE_CALLS]
        if not called:
            continue
        shown = []
        if positional and not set(called) & PATH_FIRST:
            shown += node.args[:3] if "metric" in called else node.args[:1]
        shown += [k.value for k in node.keywords if k.arg in keywords]
        for argument in shown:
            for text in shown_literals(argument, constants):
                if ENGLISH.search(text) and not text.lstrip().startswith("<style>"):  # CSS is not shown
                    found.append((node.lineno, called[0], text))
    return sorted(found)


def hard_coded_english(keywords: set[str], positional: bool) -> list[str]:
    """`file:line call: 'text'` for each English literal shown by a Streamlit call of app.py or a page."""
    return [f"{path.relative_to(ROOT)}:{line} {call}: {text!r}"
            for path in sorted([ROOT / "app.py", *ROOT.glob("pages/*.py")])
            for line, call, text in english_in(path.read_text(encoding="utf-8"), keywords, positional)]


def test_no_page_shows_a_hard_coded_english_label_or_text():
    found = hard_coded_english(LABEL_KEYWORDS, positional=True)
    assert not found, "labels and texts not from the catalogue:\n" + "\n".join(found)


def test_no_page_shows_a_hard_coded_english_help_or_placeholder():
    found = hard_coded_english(HINT_KEYWORDS, positional=False)
    assert not found, "help texts and placeholders not from the catalogue:\n" + "\n".join(found)


def test_the_scan_flags_english_literals_and_lets_the_rest_pass():
    source = ('import streamlit as st\nNOTE = "Save the file"\nst.title(tr("x.title"))\nst.caption(f"{a} · {b}")\n'
              'st.markdown(f"**{name}** — {value}")\nst.button("Save")\nst.info(NOTE)\ncols[0].metric("Target", v)\n'
              'st.markdown(COMPACT_CSS)\nst.page_link("pages/upload.py", label=tr("app.go"))\n'
              '(st.error if x else st.warning)(f"Late: {x}")\nst.toggle(tr("a"), help="Turn on")\n'
              'st.subheader(row["label"] + " · " + ui.tr("k", n=row["count"]))\nst.tabs([tr("a"), "Totals"])\n'
              'st.markdown(f"- {text}" if x else "")\nst.write(", ".join(names))\n')
    assert english_in(source, LABEL_KEYWORDS | HINT_KEYWORDS, positional=True) == [
        (6, "button", "Save"), (7, "info", "Save the file"), (8, "metric", "Target"), (11, "error", "Late: "),
        (12, "toggle", "Turn on"), (14, "tabs", "Totals")]
