"""What a live user hit on the pages: destructive clicks ask first, an upload into a store that
still holds the demo says so, a refusal on the page names the page's own control (never a
command-line flag), an SHG with no meeting or saving recorded is told apart from one with none
in the last 90 days, the uploader speaks Hindi in the Hindi view, and the text copied out of
the Hindi PDF brief is what the README says it is."""

# ruff: noqa: F811 - the fixtures imported from test_pages are the tests' arguments

from __future__ import annotations

import datetime as dt
import io
import re
from pathlib import Path

import openpyxl
import pypdf
import pytest
from conftest import cli_in_process, csv_bytes
from pypdf.generic import ContentStream
from test_browser import chromium, page, server  # noqa: F401 - fixtures are used by name
from test_pages import (  # noqa: F401 - fixtures are used by name
    ONE_BLOCK,
    _release_after,
    app,
    download,
    downloads,
    make_store,
    ok,
    one_block_store,
    release,
    texts,
)

from samiksha import brief, ingest, queries, store
from samiksha.errors import PAGE, REFUSED, Issue
from samiksha.i18n import t

UPLOAD = "pages/upload.py"


def scalar(path: Path, sql: str):
    """One value from the store at `path` (the app's connection closed first)."""
    release()
    con = store.open_store(str(path))
    try:
        return store.scalar(con, sql)
    finally:
        con.close()


DEMO_UPLOADS = 76  # the demo district's files: reports, targets, lists, registers, rosters, surveys


def demo_count(path: Path) -> int:
    return scalar(path, "SELECT count(*) FROM uploads WHERE source = 'demo'")


def button_keys(at) -> set[str]:
    return {b.key for b in at.button if b.key}


def questions(at) -> list[str]:
    return [w.value for w in at.warning if w.icon == ":material/help:"]


# ================================================================ 1. destructive clicks ask first


@pytest.mark.parametrize("lang", ["en", "hi"])
def test_clearing_the_demo_asks_first_and_cancel_leaves_it(demo_store, lang):
    before = demo_count(demo_store)
    assert before == DEMO_UPLOADS
    at = ok(app(lang, page=UPLOAD))
    assert at.button(key="demo_clear").label == t("upload.demo_clear", lang)
    ok(at.button(key="demo_clear").click().run())
    assert demo_count(demo_store) == before  # one click removed nothing
    assert questions(at) == [t("upload.demo_clear_ask", lang, uploads=before)]
    yes = at.button(key="demo_clear_yes")
    assert yes.label == t("upload.demo_clear_yes", lang, uploads=before)
    assert yes.label == ("Yes, clear the demo (76 uploads)" if lang == "en" else "हाँ, डेमो हटाएँ (76 अपलोड)")
    assert "demo_clear" not in button_keys(at)  # the question replaces the first button
    ok(at.button(key="demo_clear_cancel").click().run())
    assert demo_count(demo_store) == before
    assert questions(at) == [] and "demo_clear_yes" not in button_keys(at) and "demo_clear" in button_keys(at)
    ok(at.run())  # a later run does not clear it either
    assert demo_count(demo_store) == before


def test_clearing_the_demo_happens_on_the_confirmation(demo_store):
    at = ok(app(page=UPLOAD))
    ok(at.button(key="demo_clear").click().run())
    ok(at.button(key="demo_clear_yes").click().run())
    assert demo_count(demo_store) == 0
    assert scalar(demo_store, "SELECT count(*) FROM uploads") == 0
    assert "demo_clear_yes" not in button_keys(at) and questions(at) == []


def stored_upload(path: Path) -> int:
    """A second upload in the one-block store (a day's report) that can be undone."""
    con = store.open_store(str(path))
    data = b"Ayushman card daily report dated 27/05/2025\nBlock,Panchayat,Achieved Today\nMusahari,Panchayat 5,20\n"
    result = ingest.ingest_file(con.cursor(), data, "day27.csv", files=store.files_dir(str(path)))
    assert result.status == "stored"
    con.close()
    return result.upload_id


def status(path: Path, upload_id: int) -> str:
    return scalar(path, f"SELECT status FROM uploads WHERE upload_id = {int(upload_id)}")


@pytest.mark.parametrize("lang", ["en", "hi"])
def test_undoing_an_upload_asks_first_and_cancel_leaves_it(one_block_store, lang):
    upload_id = stored_upload(one_block_store)
    at = ok(app(lang, page=UPLOAD))
    at.selectbox(key="detail_id").set_value(upload_id)
    ok(at.run())
    ok(at.button(key="undo").click().run())
    assert status(one_block_store, upload_id) == "stored"  # one click undid nothing
    asked = questions(at)
    assert asked == [t("upload.undo_ask", lang, upload=upload_id, file="day27.csv", rows=1)]
    assert at.button(key="undo_yes").label == t("upload.undo_yes", lang, upload=upload_id)
    ok(at.button(key="undo_cancel").click().run())
    assert status(one_block_store, upload_id) == "stored"
    assert questions(at) == [] and "undo" in button_keys(at)


def test_undoing_an_upload_happens_on_the_confirmation_for_the_upload_asked_about(one_block_store):
    upload_id = stored_upload(one_block_store)
    at = ok(app(page=UPLOAD))
    at.selectbox(key="detail_id").set_value(upload_id)
    ok(at.run())
    ok(at.button(key="undo").click().run())
    # Choosing another upload forgets the question: its Undo asks again, for itself.
    at.selectbox(key="detail_id").set_value(upload_id - 1)
    ok(at.run())
    assert questions(at) == [] and "undo_yes" not in button_keys(at)
    at.selectbox(key="detail_id").set_value(upload_id)
    ok(at.run())
    assert questions(at) == []
    ok(at.button(key="undo").click().run())
    ok(at.button(key="undo_yes").click().run())
    assert status(one_block_store, upload_id) == "undone"
    assert status(one_block_store, upload_id - 1) == "stored"
    assert "restore" in button_keys(at) and questions(at) == []


# ================================================================ 2. storing into a store with the demo

DAY_REPORT = b"Ayushman card daily report dated 31/05/2025\nBlock,Achieved Today\nSemrabad,20\n"


def elements_in_order(at) -> list:
    """The page's elements top to bottom (blocks opened), as AppTest holds them."""
    found = []

    def walk(node):
        children = getattr(node, "children", None)
        if children is None:
            found.append(node)
            return
        for child in children.values():
            walk(child)

    walk(at.main)
    return found


def shown(element) -> str | None:
    """A button's key, or a text element's text."""
    if getattr(element, "key", None):
        return element.key
    try:
        value = element.value
    except Exception:  # an element without a value
        return None
    return value if isinstance(value, str) else None


@pytest.mark.parametrize("lang", ["en", "hi"])
def test_storing_into_a_store_with_the_demo_says_so_above_the_store_button(demo_store, lang):
    at = ok(app(lang, page=UPLOAD))
    at.file_uploader[0].set_value(("day.csv", DAY_REPORT, "text/csv"))
    ok(at.run())
    said = t("upload.demo_mixes", lang, uploads=DEMO_UPLOADS)
    assert said in [w.value for w in at.warning]
    assert ("demo district" in said and "made-up" in said) if lang == "en" else ("डेमो ज़िला" in said)
    order = [shown(e) for e in elements_in_order(at)]
    assert order.index(said) == order.index("store_files") - 1  # right above the Store button
    assert demo_count(demo_store) == DEMO_UPLOADS  # nothing was stored by being told


def test_no_demo_warning_when_the_store_has_no_demo(one_block_store):
    at = ok(app(page=UPLOAD))
    at.file_uploader[0].set_value(("day.csv", DAY_REPORT.replace(b"Semrabad", b"Musahari"), "text/csv"))
    ok(at.run())
    assert "store_files" in button_keys(at)
    assert t("upload.demo_mixes", "en", uploads=0).split("(")[0] not in texts(at)


# ================================================================ 3. a refusal on the page names the page's control

FLAG = re.compile(r"--[a-z]")
# Each file is refused for a reason whose remedy on the command line is an option.
REFUSED_FILES = {
    "no_report_date": csv_bytes([["Ayushman card block-wise report"], ["Block", "Target", "Cumulative"],
                                 ["Musahari", "4000", "1200"]]),
    "title_dates_ambiguous": csv_bytes([["Ayushman card camp 27-05-2025 to 31-05-2025"],
                                        ["Block", "Target", "Achieved"], ["Musahari", "4000", "1200"]]),
    "no_indicator": csv_bytes([["Block-wise daily report dated 27.05.2025"], ["Block", "Target", "Achieved"],
                               ["Musahari", "4000", "1200"]]),
    "indicator_ambiguous": csv_bytes([["Ayushman card and insurance report dated 27.05.2025"],
                                      ["Block", "Target", "Achieved"], ["Musahari", "4000", "1200"]]),
    "no_register_date": csv_bytes([["SHG register"], ["SHG Code", "SHG Name", "Block", "Panchayat", "Members",
                                                      "Last Meeting"],
                                   ["S1", "Laxmi", "Musahari", "Panchayat 5", "10", "20.05.2025"]]),
    "no_output_date": csv_bytes([["Worker ID", "Cards Made"], ["W101", "3"]]),
}
PARAMS = {"title_dates_ambiguous": {"dates": "27-05-2025, 31-05-2025"},
          "indicator_ambiguous": {"found": "ayushman_cards, insurance"}}
DATE_REMEDIES = ("no_report_date", "title_dates_ambiguous", "no_register_date", "no_output_date")
CONTROL = {code: "upload.use_date" if code in DATE_REMEDIES else "upload.indicator" for code in REFUSED_FILES}


def page_text(at) -> str:
    """Everything the page says in words, the problem tables included."""
    tables = "\n".join(frame.value.to_string() for frame in at.dataframe)
    return texts(at) + "\n" + tables + "\n" + "\n".join(e.value for e in at.expander)


def headline_of(at, name: str) -> str:
    found = [e.value for e in (*at.error, *at.success, *at.info) if e.value.startswith(f"{name}.csv: ")]
    assert len(found) == 1, (name, found)
    return found[0]


@pytest.mark.parametrize("lang", ["en", "hi"])
def test_refusals_on_the_upload_page_name_the_pages_controls_never_a_flag(one_block_store, lang):
    at = ok(app(lang, page=UPLOAD))
    at.file_uploader[0].set_value([(f"{code}.csv", data, "text/csv") for code, data in REFUSED_FILES.items()])
    ok(at.run())
    shown = page_text(at)
    assert not FLAG.search(shown), FLAG.search(shown) and shown[FLAG.search(shown).start() - 200:][:400]
    for code in REFUSED_FILES:
        said = headline_of(at, code)
        assert said in [e.value for e in at.error], code  # refused
        assert Issue(REFUSED, code, PARAMS.get(code, {})).text(lang, PAGE) in said, code  # the page's wording of the reason
        assert t(CONTROL[code], lang) in said, (code, said)  # names the control, as it is labelled
        assert ("above" if lang == "en" else "ऊपर") in said, (code, said)  # on this page, above
    assert "store_files" not in button_keys(at)

    # The remedy works: the date for files without one, then the indicator.
    at.toggle(key="opt_use_date").set_value(True).run()
    at.date_input(key="opt_date").set_value(dt.date(2025, 5, 27))
    ok(at.run())
    refused = {code for code in REFUSED_FILES if headline_of(at, code) in [e.value for e in at.error]}
    assert refused == {"no_indicator", "indicator_ambiguous"}
    at.selectbox(key="opt_indicator" if lang == "en" else "opt_indicator_hi").set_value("ayushman_cards")
    ok(at.run())
    assert not at.error, [e.value for e in at.error]
    assert at.button(key="store_files").label == t("upload.store", lang, count=len(REFUSED_FILES))


def test_the_command_line_still_names_its_options(tmp_path):
    paths = []
    for code, data in REFUSED_FILES.items():
        path = tmp_path / f"{code}.csv"
        path.write_bytes(data)
        paths.append(path)
    done = cli_in_process("check", *paths)
    assert done.returncode == 1
    lines = {line.split(".csv: ", 1)[0]: line for line in done.stdout.splitlines() if ".csv: " in line}
    for code in REFUSED_FILES:
        said = lines[code]
        assert Issue(REFUSED, code, PARAMS.get(code, {})).text("en") in said
        assert ("(--date)" if code in DATE_REMEDIES else "(--indicator)") in said, said
        assert "above" not in said and t(CONTROL[code], "en") not in said


# ================================================================ 4. SHGs: no meeting recorded, apart from none in 90 days

# S1's last meeting is blank (none recorded); S2 last met on 01-01-2025 (149 days before the
# register's date, over the 90); S3 met and saved this month. S1 and S2 have the same reason
# code (no_meeting: the contract), and are told apart in words.
BLANK_AND_OLD = (
    b"SHG register as on 30.05.2025\n"
    b"SHG Code,SHG Name,Block,Panchayat,Village,Formation Date,Members,Last Meeting,Cumulative Saving,"
    b"Last Saving Date,Overdue,Status\n"
    b"S1,Laxmi SHG,Musahari,Panchayat 5,Gaon,01.01.2020,10,,12000,20.05.2025,0,Active\n"
    b"S2,Durga SHG,Musahari,Panchayat 6,Gaon,01.01.2020,12,01.01.2025,9000,20.05.2025,0,Active\n"
    b"S3,Ganga SHG,Musahari,Panchayat 6,Gaon,01.01.2020,11,25.05.2025,9900,25.05.2025,0,Active\n"
)
SAYS = {"en": {"S1": "no meeting recorded", "S2": "no meeting since 01-01-2025 (149 days)",
               "counts": "no meeting in 90 days (1); no meeting recorded (1)"},
        "hi": {"S1": "कोई बैठक दर्ज नहीं", "S2": "01-01-2025 से कोई बैठक नहीं (149 दिन)",
               "counts": "90 दिनों में बैठक नहीं (1); कोई बैठक दर्ज नहीं (1)"}}


@pytest.fixture
def blank_and_old(tmp_path, monkeypatch) -> Path:
    path = make_store(tmp_path / "shg.duckdb", ONE_BLOCK, monkeypatch)  # and a progress report, for the brief
    con = store.open_store(str(path))
    assert ingest.ingest_file(con.cursor(), BLANK_AND_OLD, "shg_register.csv", kind="shg").status == "stored"
    con.close()
    return path


def test_the_contract_keeps_one_code_for_both(blank_and_old):
    release()
    con = store.open_store(str(blank_and_old))
    rows = queries.run(con, "inactive_shgs", as_of="2025-05-30")[["shg_code", "reasons"]].values.tolist()
    summary = queries.run(con, "shg_summary", as_of="2025-05-30").iloc[0]
    con.close()
    assert rows == [["S1", "no_meeting"], ["S2", "no_meeting"]]
    assert (summary["no_meeting_since"], summary["no_meeting_not_recorded"]) == (1, 1)
    assert (summary["no_savings_since"], summary["no_savings_not_recorded"]) == (0, 0)


@pytest.mark.parametrize("lang", ["en", "hi"])
def test_shg_page_and_excel_tell_no_meeting_recorded_from_none_in_90_days(blank_and_old, downloads, lang):
    at = ok(app(lang, page="pages/shg.py"))
    says = SAYS[lang]
    table = at.tabs[0].dataframe[0].value
    code, reasons = t("col.shg_code", lang), t("col.reason_text", lang)
    shown = dict(zip(table[code], table[reasons], strict=True))
    assert shown == {"S1": says["S1"], "S2": says["S2"]}
    assert t("shg.why_inactive", lang, reasons=says["counts"]) in [c.value for c in at.caption]

    excel = download(at, downloads, "shg_inactive_excel")
    book = openpyxl.load_workbook(io.BytesIO(excel.content))
    rows = list(book[book.sheetnames[0]].iter_rows(values_only=True))
    column = {h: i for i, h in enumerate(rows[0])}
    written = {r[column[code]]: r[column[reasons]] for r in rows[1:]}
    assert written == {"S1": says["S1"], "S2": says["S2"]}
    assert {r[column[code]]: r[column[t("col.reason_codes", lang)]] for r in rows[1:]} == \
        {"S1": "no_meeting", "S2": "no_meeting"}  # the codes stay the contract's


@pytest.mark.parametrize("lang", ["en", "hi"])
def test_the_brief_tells_no_meeting_recorded_from_none_in_90_days(blank_and_old, lang):
    release()
    con = store.open_store(str(blank_and_old), read_only=True)
    try:
        made = brief.gather(con, "ayushman_cards", dt.date(2025, 5, 30), lang)
    finally:
        con.close()
    shg_section = re.search(r'<section id="shg">.*?</section>', brief.page_html(made, "<svg></svg>"), re.S).group(0)
    assert f"<p>{t('brief.shg_why', lang, reasons=SAYS[lang]['counts'])}</p>" in shg_section


# ================================================================ 6. the uploader's own words in Hindi

UPLOADER_WORDS = {"hi": ["फ़ाइलें चुनें", "हर फ़ाइल 200 MB तक", "फ़ाइलें यहाँ छोड़ें"]}


def uploader_css(at) -> list[str]:
    return [m.value for m in at.markdown if "stFileUploaderDropzone" in m.value]


def test_the_uploader_speaks_hindi_in_the_hindi_view(one_block_store):
    at = ok(app("hi", page=UPLOAD))
    uploader = at.file_uploader[0]
    assert uploader.label == "रिपोर्ट फ़ाइलें" and uploader.help == t("upload.files_help", "hi")
    css = uploader_css(at)
    assert len(css) == 1
    for words in UPLOADER_WORDS["hi"]:  # put in place of "Upload", "200MB per file", "Drag and drop files here"
        assert f'content: "{words}";' in css[0]
    assert css[0].count("font-size: 0 !important") == 1
    captions = [c.value for c in at.caption]
    assert t("upload.how_to_choose", "hi") in captions  # the same in a caption, should the CSS not take
    assert "फ़ाइलें चुनें" in t("upload.how_to_choose", "hi") and "200 MB" in t("upload.size_limit", "hi", limit=200)


def test_the_uploader_keeps_streamlits_words_in_english(one_block_store):
    at = ok(app("en", page=UPLOAD))
    assert uploader_css(at) == []
    assert at.file_uploader[0].label == "Report files"
    assert t("upload.how_to_choose", "en") not in [c.value for c in at.caption]


DROPZONE_WORDS = """() => {
  const zone = document.querySelector('[data-testid="stFileUploaderDropzone"]');
  const button = zone.querySelector('[data-testid="stBaseButton-secondary"] [data-testid="stMarkdownContainer"] p');
  const limit = zone.querySelector('[data-testid="stFileUploaderDropzoneInstructions"] span');
  const said = (e) => ({size: getComputedStyle(e).fontSize, after: getComputedStyle(e, '::after').content,
                        afterSize: getComputedStyle(e, '::after').fontSize, text: e.textContent});
  return {button: said(button), limit: said(limit)};
}"""


@pytest.mark.browser
def test_the_uploader_shows_hindi_words_in_a_browser(server, page):
    """Streamlit draws "Upload" and "200MB per file" itself: in the Hindi view they are sized 0
    and the Hindi words drawn instead (this fails if a Streamlit upgrade renames what the CSS
    selects)."""
    page.goto(server + "/upload")
    page.locator('[data-testid="stFileUploaderDropzone"]').first.wait_for(timeout=30000)
    english = page.evaluate(DROPZONE_WORDS)
    assert english["button"]["text"] == "Upload" and english["button"]["after"] in ("none", "normal")
    assert english["limit"]["text"] == "200MB per file" and english["button"]["size"] == "14px"
    page.get_by_text("हिंदी").first.click()
    page.get_by_text("अपलोड और डेटा").first.wait_for(timeout=30000)
    page.wait_for_function("() => getComputedStyle(document.querySelector("
                           "'[data-testid=stFileUploaderDropzoneInstructions] span'), '::after').content !== 'none'",
                           timeout=30000)
    hindi = page.evaluate(DROPZONE_WORDS)
    assert hindi["button"]["size"] == "0px" and hindi["button"]["after"] == '"फ़ाइलें चुनें"'
    assert hindi["button"]["afterSize"] == "14px"
    assert hindi["limit"]["size"] == "0px" and hindi["limit"]["after"] == '"हर फ़ाइल 200 MB तक"'
    zone = page.locator('[data-testid="stFileUploaderDropzone"]').first
    dragged = page.evaluate_handle("() => { const d = new DataTransfer(); "
                                   "d.items.add(new File(['a'], 'a.csv', {type: 'text/csv'})); return d; }")
    zone.dispatch_event("dragenter", {"dataTransfer": dragged})
    overlay = zone.locator(":scope > div:not([data-testid]) span").first
    overlay.wait_for(timeout=10000)
    assert overlay.evaluate("e => [getComputedStyle(e).fontSize, getComputedStyle(e, '::after').content]") == \
        ["0px", '"फ़ाइलें यहाँ छोड़ें"']


# ================================================================ 7. text copied out of the Hindi PDF brief

HEX = re.compile(rb"<([0-9A-Fa-f]+)>")


def to_unicode(font) -> dict[int, str]:
    """A PDF font's ToUnicode CMap as {glyph code: text} (its bfchar and bfrange entries)."""
    found: dict[int, str] = {}
    if "/ToUnicode" not in font:
        return found
    cmap = font["/ToUnicode"].get_object().get_data()
    for block in re.findall(rb"beginbfchar(.*?)endbfchar", cmap, re.S):
        codes = HEX.findall(block)
        for source, target in zip(codes[::2], codes[1::2], strict=True):
            found[int(source, 16)] = bytes.fromhex(target.decode()).decode("utf-16-be")
    for block in re.findall(rb"beginbfrange(.*?)endbfrange", cmap, re.S):
        for line in block.strip().splitlines():
            low, high, *targets = HEX.findall(line)
            for n in range(int(high, 16) - int(low, 16) + 1):
                found[int(low, 16) + n] = (bytes.fromhex(targets[n].decode()).decode("utf-16-be") if b"[" in line
                                           else chr(int(targets[0], 16) + n))
    return found


def text_as_copied(pdf: bytes) -> str:
    """The page's text as a reader that honours /ActualText gets it (Acrobat, Chrome's PDFium):
    a marked-content span's ActualText stands for its glyphs, other glyphs read through their
    font's ToUnicode map; a new line where the text matrix moves to another line. (pypdf's own
    extract_text ignores ActualText.)"""
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    page = reader.pages[0]
    fonts = {name: to_unicode(font.get_object()) for name, font in page["/Resources"]["/Font"].items()}
    out: list[str] = []
    spans: list[list[str] | None] = []
    font: dict[int, str] = {}
    line = None
    for operands, operator in ContentStream(page.get_contents(), reader).operations:
        if operator == b"Tf":
            font = fonts.get(operands[0], {})
        elif operator == b"Tm":
            if line is not None and float(operands[5]) != line:
                out.append("\n")
            line = float(operands[5])
        elif operator == b"BDC":
            actual = operands[1].get("/ActualText") if isinstance(operands[1], dict) else None
            spans.append(None if actual is None else [str(actual)])
        elif operator == b"BMC":
            spans.append(None)
        elif operator == b"EMC":
            spans.pop()
        elif operator in (b"Tj", b"TJ"):
            replaced = next((span for span in spans if span is not None), None)
            if replaced is not None:  # glyphs with an ActualText: its text, once
                out += replaced[:1]
                replaced.clear()
                continue
            for item in operands[0] if operator == b"TJ" else operands:
                if isinstance(item, (bytes, str)):
                    raw = item if isinstance(item, bytes) else item.original_bytes
                    out += [font.get(int.from_bytes(raw[i:i + 2], "big"), "\ufffd") for i in range(0, len(raw), 2)]
    return "".join(out)


def test_text_copied_out_of_the_hindi_brief(blank_and_old):
    """README (the brief): the Hindi PDF holds its text as written, each syllable drawn with
    ligatures or a reordered ि carrying it as ActualText; a reader honouring it copies it right,
    pypdf's extract_text (which ignores it) does not; English comes out exactly either way."""
    release()
    con = store.open_store(str(blank_and_old), read_only=True)
    try:
        made = {lang: brief.make(con, "ayushman_cards", dt.date(2025, 5, 30), lang, formats=("pdf",))["pdf"]
                for lang in ("en", "hi")}
    finally:
        con.close()
    hindi = [t("brief.heading", "hi", indicator="आयुष्मान कार्ड"), t("brief.shg_title", "hi"),
             t("brief.shg_why", "hi", reasons=SAYS["hi"]["counts"]), t("brief.footnote", "hi")]
    assert "समीक्षा" in hindi[0] and "उपलब्धि" in hindi[3] and "ज़िला" not in hindi[3]  # conjuncts, ि
    copied = text_as_copied(made["hi"]).splitlines()
    for line in hindi:
        assert line in copied, (line, copied)
    assert "\ufffd" not in "".join(copied)
    assert any("मुशहरी" in line for line in copied)  # the block, in the table and the chart

    plain = pypdf.PdfReader(io.BytesIO(made["hi"])).pages[0].extract_text()
    assert hindi[3] not in plain and "उपलब्धि" not in plain and "समीक्षा" not in plain  # as the README says
    assert "30-05-2025" in plain  # digits and Latin text come out

    english = re.sub(r"\s+", " ", pypdf.PdfReader(io.BytesIO(made["en"])).pages[0].extract_text())
    for line in (t("brief.heading", "en", indicator="Ayushman cards"), t("brief.footnote", "en"),
                 t("brief.shg_why", "en", reasons=SAYS["en"]["counts"])):
        assert line in english, (line, english)
