"""Hostile input through the real intake path (samiksha.ingest.ingest_file and the command line).

Each file is refused with a catalogue message (row and column where it applies) or neutralised
(kept as inert text), the store stays exactly as it was (every row of every table compared
before and after) and nothing in the file is run. Personal identifiers (Aadhaar numbers, ration
card numbers) are never kept or shown in full: not in any table, named query, download or chart.

Large files are made cheaply: zeros in memory, a sparse file for the command line, zip parts of
one repeated byte; a few limits are lowered (monkeypatch) to prove a check without writing
millions of cells.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import json
import re
import signal
import tempfile
import tomllib
import uuid
import zipfile
from pathlib import Path

import openpyxl
import pytest
from conftest import (
    ROOT,
    cli_in_process,
    csv_bytes,
    gazetteer_bytes,
    ingest,
    rejected,
    stored,
    warning_codes,
    xlsx_bytes,
    zipped,
)

from samiksha import exports, figures, i18n, images, intake, naming, queries, readers, report, store, values
from samiksha import shg as shg_module

D27 = dt.date(2025, 5, 27)
IND = "ayushman_cards"
TITLE = "Ayushman card 27.05.2025"
HEADER = ["Block", "Target", "Cumulative"]
MB = 1024 * 1024


def report_csv(*rows, header=HEADER, title=TITLE) -> bytes:
    return csv_bytes([[title], header, *rows])


def snapshot(con) -> dict:
    """Every row of every table of the store (caches worked out from the stored rows aside)."""
    tables = [name for (name,) in con.execute(
        "SELECT table_name FROM duckdb_tables() WHERE NOT temporary "
        "AND table_name NOT IN ('series_cache', 'series_state', 'series_marks', 'shg_cache', 'shg_state') ORDER BY 1").fetchall()]
    assert {"uploads", "progress", "places", "upload_issues", "rejected_rows", "workers", "shg_register"} <= set(tables)
    return {name: con.execute(f"SELECT * FROM {name} ORDER BY ALL").fetchall() for name in tables}


@pytest.fixture
def before(con) -> dict:
    """A store with the gazetteer and a day's report: what no hostile file may change."""
    stored(con, gazetteer_bytes(), "lgd.csv", kind="gazetteer")
    stored(con, report_csv(["MUSAHARI", "1000", "400"], ["GORA BAURAM", "800", "300"]), "day1.csv")
    return snapshot(con)


def refused(con, before: dict, data: bytes, name: str, code: str, **options):
    """`name` is refused with `code`, the headline names the file, and the store is unchanged."""
    result = ingest(con, data, name, **options)
    assert result.status == "refused", f"{name} was {result.status}"
    assert result.refusal.code == code, result.refusal.text()
    assert f"issue.{code}" in i18n.catalogue() or f"{code}" in i18n.catalogue()
    for lang in ("en", "hi"):
        line = report.headline(result, lang)
        assert name in line and "{" not in line and "issue." not in line, line
    assert snapshot(con) == before
    return result


@contextlib.contextmanager
def deadline(seconds: int):
    """Fail (not hang) when the call inside takes longer: a regression here takes minutes."""
    def too_slow(*_):
        raise TimeoutError(f"still reading after {seconds} s")

    previous = signal.signal(signal.SIGALRM, too_slow)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def texts_of(con, result) -> dict[str, list]:
    """The stored text of one upload: its rows, issues, rejected cells and reading."""
    uid = result.upload_id
    return {
        "progress": con.execute("SELECT block, block_written, panchayat_written, camp_site FROM progress "
                                "WHERE upload_id = ? ORDER BY row_number", [uid]).fetchall(),
        "issues": con.execute("SELECT code, row_number, column_name, value, CAST(params AS VARCHAR) FROM upload_issues "
                              "WHERE upload_id = ? ORDER BY ALL", [uid]).fetchall(),
        "rejected": [json.loads(c) for (c,) in con.execute(
            "SELECT cells FROM rejected_rows WHERE upload_id = ? ORDER BY row_number", [uid]).fetchall()],
        "upload": con.execute("SELECT file_name, sheet, CAST(reading AS VARCHAR) FROM uploads WHERE upload_id = ?",
                              [uid]).fetchall(),
    }


def rezip(data: bytes, replace: dict | None = None, extra: dict | None = None) -> bytes:
    """A copy of a zip (a workbook) with some parts' bytes changed and parts added."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            body = source.read(info.filename)
            if replace and info.filename in replace:
                body = replace[info.filename](body)
            target.writestr(info.filename, body)
        for name, body in (extra or {}).items():
            target.writestr(name, body)
    return out.getvalue()


WORKBOOK = xlsx_bytes([[TITLE], HEADER, ["MUSAHARI", "1000", "450"]])
SHEET = "xl/worksheets/sheet1.xml"


# ---------------------------------------------------------------- the upload limit


def test_the_app_and_the_command_line_share_one_upload_limit():
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert config["server"]["maxUploadSize"] == readers.MAX_UPLOAD_MB == 200
    caption = i18n.catalogue()["upload.size_limit"]
    for lang in ("en", "hi"):
        assert "200" in i18n.t("upload.size_limit", lang, limit=readers.MAX_UPLOAD_MB)
        assert "{limit}" in caption[lang]


def test_a_file_over_the_limit_is_refused_before_it_is_read(con, before):
    """Zeros one byte over the limit: read, they would be an empty file; the size is said first."""
    data = bytes(readers.MAX_UPLOAD_BYTES + 1)
    for name, options in (("huge.csv", {}), ("huge.xlsx", {}), ("huge.geojson", {"kind": "boundaries"})):
        result = refused(con, before, data, name, "file_too_large", **options)
        assert "201 MB" in result.refusal.text("en") and "200 MB" in result.refusal.text("en")
    # exactly at the limit the file is read (and these zeros are an empty file)
    at_limit = memoryview(data)[:readers.MAX_UPLOAD_BYTES].tobytes()
    refused(con, before, at_limit, "just_fits.csv", "empty_file")


def test_the_command_line_refuses_a_500_mb_file_and_stores_nothing(tmp_path):
    big = tmp_path / "statewide_500mb.csv"
    with big.open("wb") as out:
        out.truncate(500 * MB)  # sparse: no time spent writing it
    db = tmp_path / "store.duckdb"
    done = cli_in_process("ingest", big, "--db", db)
    assert done.returncode == 1, done.stdout + done.stderr
    assert "statewide_500mb.csv" in done.stdout and "500 MB" in done.stdout and "200 MB" in done.stdout
    checked = cli_in_process("--lang", "hi", "check", big, "--db", db)
    assert checked.returncode == 1 and "statewide_500mb.csv" in checked.stdout and "200 MB तक" in checked.stdout
    con = store.open_store(str(db), read_only=True)
    try:
        assert store.scalar(con, "SELECT count(*) FROM uploads") == 0
    finally:
        con.close()
    kept = store.files_dir(str(db))
    assert not kept.exists() or not any(kept.iterdir())  # the raw copy was removed again


# ---------------------------------------------------------------- workbooks that are not what Excel writes


def test_a_workbook_zip_bomb_is_refused_without_unpacking_it(con, before):
    """A sheet padded with 64 MiB of spaces packs to ~64 KiB (ratio ~1000; Excel's are 5-15)."""
    head, tail = zipfile.ZipFile(io.BytesIO(WORKBOOK)).read(SHEET).split(b"</sheetData>")
    bomb = rezip(WORKBOOK, replace={SHEET: lambda _: head + b" " * (64 * MB) + b"</sheetData>" + tail})
    assert len(bomb) < 2 * MB
    with deadline(20):
        result = refused(con, before, bomb, "bomb.xlsx", "workbook_bomb")
    assert SHEET in result.refusal.text("en")


def test_a_workbook_unpacking_past_the_total_limit_is_refused(con, before, monkeypatch):
    monkeypatch.setattr(readers, "MAX_WORKBOOK_UNZIPPED_MB", 4)  # 5 parts of 1 MiB each pass the ratio check
    parts = {f"xl/media/part{i}.bin": bytes(MB) for i in range(5)}
    refused(con, before, rezip(WORKBOOK, extra=parts), "five_mb.xlsx", "workbook_bomb")


def test_a_workbook_of_thousands_of_parts_is_refused(con, before):
    data = rezip(WORKBOOK, extra={f"xl/junk/{i}.bin": b"" for i in range(1500)})
    result = refused(con, before, data, "many_parts.xlsx", "workbook_too_many_parts")
    assert "1,509" in result.refusal.text("en")


@pytest.mark.parametrize("part", ["../../evil.txt", "xl/../../evil.xml", "/etc/evil.xml", "C:/evil.xml",
                                  "xl\\..\\..\\evil.xml"])
def test_a_workbook_with_a_part_named_outside_it_is_refused(con, before, part):
    result = refused(con, before, rezip(WORKBOOK, extra={part: b"<x/>"}), "travel.xlsx", "workbook_unsafe_part")
    assert part in result.refusal.text("en")


def test_millions_of_cells_are_refused_before_openpyxl_reads_them(con, before, monkeypatch):
    monkeypatch.setattr(readers, "MAX_WORKBOOK_CELLS", 500)

    def never(*args, **kwargs):
        raise AssertionError("openpyxl was asked to load the workbook")

    monkeypatch.setattr(openpyxl, "load_workbook", never)
    rows = [[TITLE], HEADER] + [[f"Block {i}", "1000", str(i)] for i in range(200)]  # 603 cells
    refused(con, before, xlsx_bytes(rows), "cells.xlsx", "workbook_too_many_cells")


def test_a_stray_cell_a_million_rows_down_is_refused_at_once(con, before):
    far = b'<row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>x</t></is></c></row></sheetData>'
    data = rezip(WORKBOOK, replace={SHEET: lambda body: body.replace(b"</sheetData>", far)})
    with deadline(20):  # reading it cell by cell took minutes
        result = refused(con, before, data, "stray.xlsx", "sheet_too_large")
    assert "10,48,576" in result.refusal.text("en")


ENTITIES = b'<!DOCTYPE w [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">' + b"".join(
    b'<!ENTITY %s "%s">' % (bytes([c + 1]), b"".join(b"&%s;" % bytes([c]) for _ in range(10)))
    for c in range(ord("b"), ord("j"))) + b"]>"


@pytest.mark.parametrize(("prologue", "cell"), [
    (ENTITIES, b"&j;"),  # a billion laughs
    (b'<!DOCTYPE w [<!ENTITY x SYSTEM "file:///etc/passwd">]>', b"&x;"),  # a file of the machine
])
def test_xml_entities_in_a_workbook_are_never_expanded(con, before, prologue, cell):
    data = rezip(WORKBOOK, replace={SHEET: lambda body: prologue + body.replace(b"MUSAHARI", cell)})
    refused(con, before, data, "entities.xlsx", "bad_workbook")


def test_a_formula_with_a_saved_result_gives_its_result_and_is_never_kept(con, before):
    """Only the value Excel saved is read; the formula itself is not run and not stored."""
    formula = b'<c r="A3" t="str"><f>HYPERLINK("http://evil.example","x")</f><v>MUSAHARI</v></c>'
    data = rezip(WORKBOOK, replace={SHEET: lambda body: re.sub(
        rb'<c r="A3" t="inlineStr"><is><t>MUSAHARI</t></is></c>', formula, body)})
    assert b"HYPERLINK" in zipfile.ZipFile(io.BytesIO(data)).read(SHEET)
    result = stored(con, data, "formula.xlsx")
    assert [row[:2] for row in texts_of(con, result)["progress"]] == [("Musahari", "MUSAHARI")]
    assert "HYPERLINK" not in json.dumps(snapshot(con), default=str)


# ---------------------------------------------------------------- boundary zips


@pytest.mark.parametrize("shape", ["../{name}", "a/../../{name}", "/tmp/{name}", "C:/{name}", "a\\..\\..\\{name}"])
def test_a_boundary_zip_writing_outside_its_folder_is_refused(con, before, shape):
    name = f"evil_{uuid.uuid4().hex}.txt"
    data = zipped({"panchayats.shp": b"x", "panchayats.dbf": b"x", shape.format(name=name): b"x"})
    refused(con, before, data, "boundaries.zip", "boundary_zip_unsafe")
    # (the zip is unpacked in a folder of the temp folder: one level up is where ../ lands)
    assert not (Path(tempfile.gettempdir()) / name).exists() and not (Path("/tmp") / name).exists()


def test_a_boundary_zip_bomb_and_thousands_of_entries_are_refused(con, before):
    bomb = zipped({"panchayats.shp": b"x", "panchayats.dbf": bytes(60 * MB)})
    refused(con, before, bomb, "bomb.zip", "boundary_zip_too_big", kind="boundaries")
    many = zipped({"panchayats.shp": b"x", **{f"junk/{i}.txt": b"" for i in range(2100)}})
    refused(con, before, many, "many.zip", "boundary_zip_too_many")


# ---------------------------------------------------------------- cells that would run somewhere


FORMULAS = ['=HYPERLINK("http://evil.example","click")', "+1+2", "-2+3", "@SUM(A1)", "\t=1+1",
            "=cmd|' /C calc'!A0", "\uff1dSUM(A1)"]


def test_formula_text_is_stored_as_text_and_downloaded_as_text(con, before):
    data = report_csv(*[[name, "1000", str(100 + i)] for i, name in enumerate(FORMULAS)])
    result = stored(con, data, "formulas.csv")
    rows = texts_of(con, result)["progress"]
    assert [row[1] for row in rows] == [name.strip() for name in FORMULAS]  # as typed (a leading tab trimmed)
    blocks = [row[0] for row in rows]  # the names the figures use
    for match in result.staged.matches:  # names no gazetteer knows: a person keeps each as a block of its own
        naming.confirm_name(con, "block", match.written, match.parent_code, "")
    frame = queries.run(con, "block_progress", indicator=IND, as_of=D27)
    assert set(blocks) <= set(frame["block"])
    book = exports.excel_bytes({"blocks": frame})
    sheet_xml = zipfile.ZipFile(io.BytesIO(book)).read(SHEET)
    assert b"<f>" not in sheet_xml and b"<f " not in sheet_xml  # no formula anywhere in the download
    cells = [c for row in openpyxl.load_workbook(io.BytesIO(book)).active.iter_rows() for c in row]
    shown = {c.value: c for c in cells if c.value in blocks}
    assert set(shown) == set(blocks)
    assert all(c.data_type == "s" for c in shown.values())
    text = exports.csv_bytes(frame).decode("utf-8-sig").replace('""', '"')
    for name in blocks:
        assert ("'" + name) in text


def test_an_excel_cell_typed_as_a_formula_string_is_only_text(con, before):
    book = openpyxl.Workbook()
    sheet = book.active
    for row in ([TITLE], HEADER, ["x", "1000", "500"]):
        sheet.append(row)
    sheet["A3"].value = '=HYPERLINK("http://evil.example","click")'
    sheet["A3"].data_type = "s"  # a string cell, as a clerk's typing is saved
    out = io.BytesIO()
    book.save(out)
    result = stored(con, out.getvalue(), "typed.xlsx")
    assert texts_of(con, result)["progress"][0][1] == '=HYPERLINK("http://evil.example","click")'


SQL = ["'; DROP TABLE progress; --", "Robert'); DROP TABLE uploads;--", 'x" OR 1=1 --']


def test_sql_in_names_headers_and_sheet_names_is_only_data(con, before):
    header = [*HEADER, "Remarks'); DROP TABLE progress; --"]
    data = report_csv(*[[name, "1000", str(100 + i), name] for i, name in enumerate(SQL)], ["Bad", "x", "y", SQL[0]],
                      header=header)
    result = stored(con, data, "'; DROP TABLE uploads; --.csv")
    got = texts_of(con, result)
    assert [row[1] for row in got["progress"]] == SQL
    assert got["rejected"] == [["Bad", "x", "y", SQL[0]]]
    assert header[-1] in got["upload"][0][2]
    title = "a'; DROP TABLE uploads;--"
    sheet_result = stored(con, xlsx_bytes([[TITLE], HEADER, [SQL[1], "700", "70"]], sheet_title=title), "s.xlsx",
                          sheet=title)
    assert texts_of(con, sheet_result)["upload"][0][1] == title
    now = snapshot(con)
    assert set(now) == set(before)  # every table still there
    earlier = {row[0] for row in before["uploads"]}
    for table in now:  # and every row of the earlier uploads unchanged
        columns = [d[0] for d in con.execute(f"SELECT * FROM {table} LIMIT 0").description]
        if "upload_id" in columns:
            at = columns.index("upload_id")
            assert [r for r in now[table] if r[at] in earlier] == before[table], table


MARKUP = {
    "<script>alert(1)</script>": "‹script>alert(1)‹/script>",
    '<a href="https://evil.example/x">MUSAHARI</a>': '‹a href="https://evil.example/x">MUSAHARI‹/a>',
    "<img src=x onerror=alert(1)>": "‹img src=x onerror=alert(1)>",
    "![x](http://evil.example/p.png)": "![x] (http://evil.example/p.png)",
    "[click](http://evil.example)": "[click] (http://evil.example)",
    "Target <50% & 5 > 3": "Target <50% & 5 > 3",  # no tag, left alone
}


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_tags_and_markdown_links_are_kept_as_inert_text(con, before, kind):
    """A chart draws <a href> and <span> in names (plotly), a page draws Markdown links and
    images: both are defanged where the file is read, so no page, chart or brief acts on them."""
    rows = [[TITLE], HEADER, *[[name, "1000", str(10 + i)] for i, name in enumerate(MARKUP)]]
    data = csv_bytes(rows) if kind == "csv" else xlsx_bytes(rows)
    result = stored(con, data, f"markup.{kind}")
    assert [row[1] for row in texts_of(con, result)["progress"]] == list(MARKUP.values())
    assert "markup_defanged" in warning_codes(con, result)
    everything = json.dumps(snapshot(con), default=str, ensure_ascii=False)
    assert "<script" not in everything and "<a " not in everything and "](" not in everything
    figure = images.chart(con, "block_progress", IND, D27).figure.to_json().replace("\\u003c", "<")
    assert "<a " not in figure and "<script" not in figure and "](" not in figure


def test_control_and_direction_characters_are_taken_out(con, before):
    """A terminal escape, a bell and a right-to-left override that would show "AIRARA" as
    "ARARIA": taken out (Excel would refuse a download holding the bell)."""
    names = ["\x1b[2J\x1b[31mMUSAHARI\x07", "\u202eIRAHASUM", "GORA\u200b BAURAM"]
    result = stored(con, report_csv(*[[n, "1000", str(10 + i)] for i, n in enumerate(names)]), "controls.csv")
    assert [row[1] for row in texts_of(con, result)["progress"]] == ["[2J[31mMUSAHARI", "IRAHASUM", "GORA BAURAM"]
    assert "control_characters_removed" in warning_codes(con, result)
    texts = [cell for rows in snapshot(con).values() for row in rows for cell in row if isinstance(cell, str)]
    assert [text for text in texts if values.CONTROL_IN_TEXT.search(text)] == []
    frame = queries.run(con, "block_progress", indicator=IND, as_of=D27)
    exports.excel_bytes({"blocks": frame.assign(note="bell\x07 here")})  # and a download never fails on one


# ---------------------------------------------------------------- very long text


def test_a_10000_character_name_keeps_its_row_out(con, before):
    long_name = "B" * 10_000
    result = stored(con, report_csv([long_name, "1000", "500"], ["MUSAHARI", "1000", "600"]), "long.csv")
    assert [r[:3] for r in rejected(con, result)] == [("name_too_long", 3, "Block")]
    value = rejected(con, result)[0][3]
    assert value.startswith("BBBB") and len(value) <= 61
    message = [i for i in result.staged.issues if i.code == "name_too_long"][0]
    assert "200" in message.text("en") and "3" in message.text("en") and "Block" in message.text("en")
    assert "long_cells_clipped" in warning_codes(con, result)
    got = texts_of(con, result)
    assert [row[1] for row in got["progress"]] == ["MUSAHARI"]
    assert max(len(cell or "") for row in got["rejected"] for cell in row) <= readers.MAX_CELL_CHARS + 1


@pytest.mark.parametrize("kind", ["shg", "workers"])
def test_a_10000_character_name_in_a_register_or_roster_keeps_its_row_out(con, kind):
    if kind == "shg":
        header = ["SHG Code", "SHG Name", "Block", "Panchayat", "Members", "Last Meeting"]
        rows = [["S1", "N" * 10_000, "Musahari", "Panchayat 5", "10", "20.05.2025"],
                ["S2", "Laxmi SHG", "Musahari", "Panchayat 5", "10", "20.05.2025"]]
    else:
        header = ["Worker ID", "Name", "Block", "Panchayat", "Login ID Active", "Supervisor"]
        rows = [["W1", "Asha", "Musahari", "Panchayat 5", "Yes", "S" * 10_000],
                ["W2", "Asha Two", "Musahari", "Panchayat 5", "Yes", "Rekha"]]
    result = stored(con, csv_bytes([[f"{kind} as on 30.05.2025"], header, *rows]), f"{kind}.csv", kind=kind)
    assert [r[:2] for r in rejected(con, result)] == [("name_too_long", 3)]
    assert result.staged.rows_accepted == 1


def test_a_100000_character_header_is_cut_short(con, before):
    header = [*HEADER, "H" * 100_000]
    result = stored(con, report_csv(["MUSAHARI", "1000", "500", "x"], header=header), "wide_header.csv")
    got = texts_of(con, result)
    reading = json.loads(got["upload"][0][2])
    assert [len(label) for label in reading["ignored_columns"]] == [intake.SHOWN_LABEL_CHARS + 1]
    assert len(got["upload"][0][2]) < 20_000
    assert all(len(str(field or "")) <= readers.MAX_CELL_CHARS + 1 for row in got["issues"] for field in row)
    assert "long_cells_clipped" in warning_codes(con, result)
    shown = report.reading_lines(result.staged, "en")
    assert max(len(line) for line in shown) < 400


def test_thousands_of_columns_are_refused(con, before):
    header = [*HEADER, *[f"x{i}" for i in range(readers.MAX_COLUMNS)]]
    refused(con, before, report_csv(["MUSAHARI", "1000", "500", *["1"] * readers.MAX_COLUMNS], header=header),
            "wide.csv", "file_too_wide")
    refused(con, before, xlsx_bytes([[TITLE], header]), "wide.xlsx", "file_too_wide")


# ---------------------------------------------------------------- empty files and files that are not what they say


RANDOM = bytes((i * 7919 + 13) % 256 for i in range(4000))


@pytest.mark.parametrize(("data", "name", "code"), [
    (b"", "empty.csv", "empty_file"),
    (b" \r\n\t\r\n", "blank.csv", "empty_file"),
    (b"", "empty.xlsx", "empty_file"),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "report.csv", "not_a_table_file"),
    (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", "report.xlsx", "bad_workbook"),
    (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", "report.csv", "not_a_table_file"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(500), "old.csv", "not_a_table_file"),
    (b"\x1f\x8b\x08\x00" + bytes(100), "report.csv", "not_a_table_file"),
    (b"<html><body><table><tr><td>Block</td></tr></table></body></html>", "report.csv", "html_file"),
    (RANDOM, "report.csv", "binary_file"),
    (report_csv(["MUSAHARI", "1000", "500"]), "really_a_csv.xlsx", "bad_workbook"),
    (zipped({"report.csv": report_csv(["MUSAHARI", "1000", "500"])}), "zip_of_csv.xlsx", "bad_workbook"),
])
def test_an_empty_file_or_one_that_is_not_what_its_name_says_is_refused(con, before, data, name, code):
    refused(con, before, data, name, code)


# ---------------------------------------------------------------- personal identifiers


AADHAAR = ["234567890123", "3456 7890 1234", "4567-8901-2345", "५६७८ ९०१२ ३४५६", "678901234567", "789012345678",
           "890123456789", "901234567890"]
RATION = "10011920000123"  # a Bihar ration card number: 14 digits, from 1
PLANTED = [values.to_ascii_digits(re.sub(r"\D", "", values.to_ascii_digits(a)))[:8] for a in AADHAAR] + [RATION[:10]]
# An Aadhaar-like run anywhere (not a float's decimals, not part of a longer number)
AADHAAR_LIKE = re.compile(r"(?<![\d.])[2-9]\d{3}[ \-]?\d{4}[ \-]?\d{4}(?!\d)")


def leaks(text: str) -> list[str]:
    """Aadhaar-like runs, and any of the numbers planted in the files (their masked part)."""
    plain = values.to_ascii_digits(text)
    runs = re.findall(r"(?<![\d.])\d+", re.sub(r"(?<=\d)[ \-\u00a0](?=\d)", "", plain))
    return AADHAAR_LIKE.findall(plain) + [p for p in PLANTED for run in runs if p in run]


def _load_personal_files(con) -> dict:
    """A progress report, a roster, an output file, an SHG register and boundaries, with
    Aadhaar numbers in titles, names, sites, an Aadhaar column, a ration card column, a sheet
    name, a file name and rejected rows."""
    a = AADHAAR
    stored(con, gazetteer_bytes(), "lgd.csv", kind="gazetteer")
    results = {}
    results["progress"] = stored(con, csv_bytes([
        [f"Ayushman card 27.05.2025 (operator {a[0]})"],
        ["Block", "Panchayat", "Camp site", "Target", "Cumulative", "Aadhaar No", "Ration Card No", "Remarks"],
        ["MUSAHARI", "Panchayat 5", f"Camp at {a[1]} house", "1000", "500", a[2], RATION, "ok"],
        ["MUSAHARI", "Panchayat 6", "School", "1000", "not a number", a[3], RATION, f"RC No. {RATION}"],
        ["GORA BAURAM", "Bauram", f"Didi {a[4]}", "800", "300", "", "", ""],
    ]), f"camp_report_{a[5]}.csv")
    roster = [
        ["Worker ID", "Name", "Block", "Panchayat", "Login ID Active", "Trained", "Supervisor", "Aadhaar"],
        ["W1", f"Sunita {a[6]}", "Musahari", "Panchayat 5", "Yes", "Yes", "Rekha", a[0]],
        ["W2", "Meena", "Musahari", "Panchayat 5", "maybe", "Yes", "Rekha", a[7]],  # rejected: bad Yes/No
        [a[1], "Kavita", "Musahari", "Panchayat 6", "Yes", "No", f"Rekha {a[2]}", ""],  # an Aadhaar as the ID
    ]
    results["workers"] = stored(con, xlsx_bytes([["ASHA roster as on 30.05.2025"], *roster],
                                                sheet_title=f"Roster {a[3]}"), "roster.xlsx", kind="workers")
    results["output"] = stored(con, csv_bytes([["Date", "Worker ID", "Cards Made", "Name"],
                                               ["29.05.2025", "W1", "5", f"Sunita {a[6]}"],
                                               ["29.05.2025", "W9", "-1", f"Ghost {a[4]}"]]),
                               "output.csv", kind="worker_output")
    results["shg"] = stored(con, csv_bytes([
        ["SHG register as on 30.05.2025"],
        ["SHG Code", "SHG Name", "Block", "Panchayat", "Village", "Members", "Last Meeting", "Ration Card No",
         "Status"],
        ["S1", f"Laxmi {a[5]}", "Musahari", "Panchayat 5", f"Tola {a[6]}", "10", "20.05.2025", RATION, "Active"],
        ["S2", "Durga", "Musahari", "Panchayat 5", "Tola", "ten", "20.05.2025", f"राशन कार्ड संख्या {RATION}",
         "Inactive"],
        ["S3", "Jai Maa", "Musahari", "Panchayat 6", "Tola", "12", "20.05.2025", "", f"Dormant {a[7]}"],
    ]), "shg_register.csv", kind="shg")
    shapes = {"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"name": "Panchayat 5", "note": f"surveyed by {a[0]}"},
         "geometry": {"type": "Polygon", "coordinates": [[[85.9, 26.1], [86.0, 26.1], [86.0, 26.2], [85.9, 26.1]]]}},
        {"type": "Feature", "properties": {"name": f"Panchayat {a[2]}", "note": "x"},
         "geometry": {"type": "Polygon", "coordinates": [[[86.0, 26.1], [86.1, 26.1], [86.1, 26.2], [86.0, 26.1]]]}},
    ]}
    results["boundaries"] = stored(con, json.dumps(shapes).encode(), "panchayats.geojson", kind="boundaries",
                                   level="panchayat")
    return results


def test_personal_identifiers_are_masked_where_the_file_is_read(con):
    results = _load_personal_files(con)
    progress = texts_of(con, results["progress"])
    assert progress["progress"][0][3] == "Camp at XXXX XXXX 1234 house"
    assert progress["rejected"][0][5:8] == ["XXXX XXXX ३४५६", "XXXXXXXXXX0123", "RC No. XXXXXXXXXX0123"]
    assert progress["upload"][0][0] == "camp_report_XXXX XXXX 5678.csv"
    assert "personal_ids_masked" in warning_codes(con, results["progress"])
    assert texts_of(con, results["workers"])["upload"][0][1] == "Roster XXXX XXXX ३४५६"
    ids = dict(con.execute("SELECT worker_id, worker_name FROM workers").fetchall())
    assert ids == {"W1": "Sunita XXXX XXXX 6789"}
    kept_out = rejected(con, results["workers"])
    assert ("personal_id_as_key", 5, "Worker ID", "XXXX XXXX 1234") in kept_out
    message = [i for i in results["workers"].staged.issues if i.code == "personal_id_as_key"][0]
    assert "XXXX XXXX 1234" in message.text("en") and "XXXX XXXX 1234" in message.text("hi")


def test_legitimate_numbers_are_not_masked(con):
    stored(con, gazetteer_bytes(), "lgd.csv", kind="gazetteer")
    result = stored(con, csv_bytes([
        ["Ayushman card 27.05.2025, years 2023 2024 2025"],
        ["Block Code", "Panchayat Code", "Camp site", "Target", "Cumulative"],
        ["2005", "300501", "Camp 9876543210 (ASHA's phone)", "3,00,000", "1,23,456"],
        ["2005", "300502", "Ref 123456789012", "२,००,०००", "१२३"],
    ]), "codes.csv")
    got = texts_of(con, result)
    assert [row[3] for row in got["progress"]] == ["Camp 9876543210 (ASHA's phone)", "Ref 123456789012"]
    assert "years 2023 2024 2025" in got["upload"][0][2]
    assert "personal_ids_masked" not in warning_codes(con, result)
    assert con.execute("SELECT target, achieved FROM progress WHERE upload_id = ? ORDER BY row_number",
                       [result.upload_id]).fetchall() == [(300000, 123456), (200000, 123)]


def _stored_texts(con) -> list[tuple[str, str, str]]:
    """Every VARCHAR and JSON cell of every table: (table, column, text)."""
    found = []
    columns = con.execute("SELECT table_name, column_name FROM duckdb_columns() WHERE NOT internal "
                          "AND data_type IN ('VARCHAR', 'JSON') AND table_name IN "
                          "(SELECT table_name FROM duckdb_tables() WHERE NOT temporary)").fetchall()
    for table, column in columns:
        if column == "sha256":
            continue
        for (text,) in con.execute(f'SELECT DISTINCT CAST("{column}" AS VARCHAR) FROM "{table}" '
                                   f'WHERE "{column}" IS NOT NULL').fetchall():
            found.append((table, column, text))
    return found


PLAUSIBLE = {"indicator": IND, "as_of": "2025-05-30", "report_date": "2025-05-27", "from_date": "2025-05-20",
             "to_date": "2025-05-30", "level": "panchayat", "block": "Musahari"}


def test_no_table_query_download_or_chart_shows_a_personal_identifier(con):
    results = _load_personal_files(con)
    assert results["boundaries"].ok
    texts = _stored_texts(con)
    assert {table for table, _, _ in texts} >= {"uploads", "progress", "upload_issues", "rejected_rows",
                                                "place_matches", "workers", "worker_output", "shg_register",
                                                "boundary_features"}
    assert [(t, c, text) for t, c, text in texts if leaks(text)] == []
    for result in results.values():  # what the command line and the Upload page print
        assert [line for line in report.full(result, "en")[1:] if leaks(line)] == []
    frames = {}
    for name in queries.names():
        query = queries.load(name)
        params = {p: PLAUSIBLE[p] for p in query.params if p not in query.optional and p in PLAUSIBLE}
        if set(query.params) - set(query.optional) - set(params):
            pytest.fail(f"add a plausible value for {name}'s parameters {query.params}")
        frames[name] = queries.run(con, name, **params)
        assert leaks(frames[name].to_csv()) == [], name
    assert any(len(f) for f in frames.values())
    for name, frame in frames.items():
        book = zipfile.ZipFile(io.BytesIO(exports.excel_bytes({name: frame})))
        xml = "".join(book.read(part).decode("utf-8") for part in book.namelist() if part.endswith(".xml"))
        assert leaks(xml) == [] and leaks(exports.csv_bytes(frame).decode("utf-8-sig")) == [], name
    labels = queries.place_labels(con, "en")
    as_of = dt.date(2025, 5, 30)
    charts = [images.chart(con, "block_progress", IND, D27).figure,
              images.chart(con, "panchayat_progress", IND, D27, block="Musahari").figure,
              figures.shg_blocks(queries.labelled(frames["shg_blocks"], labels), shg_module.context(con, as_of, "en"))]
    for chart in charts:
        assert leaks(chart.to_json()) == []


@pytest.mark.parametrize(("text", "shown"), [
    ("234567890123", "XXXX XXXX 0123"),
    ("Aadhaar 2345 6789 0123 verified", "Aadhaar XXXX XXXX 0123 verified"),
    ("2345-6789-0123", "XXXX XXXX 0123"),
    ("२३४५ ६७८९ ०१२३", "XXXX XXXX ०१२३"),
    ("234567890123,345678901234", "XXXX XXXX 0123,XXXX XXXX 1234"),
    ("RC No. 10011920000123", "RC No. XXXXXXXXXX0123"),
    ("Ration card: 2020 0012 3456 7", "Ration card: XXXX XXXX 3456 7"),
    ("123456789012", "123456789012"),  # an Aadhaar number never starts with 0 or 1
    ("9876543210", "9876543210"),  # a phone number
    ("12345678901234567890", "12345678901234567890"),  # a long number, not an Aadhaar inside it
    ("2023 2024 2025", "2023 2024 2025"),  # years
    ("300501", "300501"),  # an LGD code
    ("27.05.2025", "27.05.2025"),
    ("Ration dealer", "Ration dealer"),
    ("RC 2025-26", "RC 2025-26"),
])
def test_what_is_masked_and_what_is_not(text, shown):
    assert values.mask_personal(text) == shown


@pytest.mark.parametrize(("header", "is_id"), [
    ("Aadhaar No", True), ("Aadhar Number", True), ("आधार संख्या", True), ("Member Aadhaar No.", True),
    ("Ration Card No", True), ("राशन कार्ड संख्या", True), ("RC No", True), ("UID", True),
    ("Aadhaar seeded", False), ("Members with Aadhaar", False), ("RC", False), ("Ration dealer", False),
    ("ASHA ID", False), ("Worker ID", False),
])
def test_identifier_columns_are_known_by_their_header(header, is_id):
    assert values.is_id_header(header) is is_id


def test_an_aadhaar_number_in_the_file_name_is_masked_where_the_name_is_shown_and_kept(con):
    data = csv_bytes([["Report dated 27.05.2025"], ["Block", "Achieved"], ["Araria", "5"]])
    result = ingest(con, data, "ayushman 2345 6789 1234 <b>x</b>.csv", indicator="ayushman_cards")
    assert result.status == "stored"
    shown = report.headline(result, "en") + "\n".join(report.full(result, "en"))
    kept = store.scalar(con, "SELECT file_name FROM uploads WHERE upload_id = ?", [result.upload_id])
    for text in (shown, kept, result.file_name):
        assert "2345 6789 1234" not in text and "234567891234" not in text
        assert "1234" in text and "<b>" not in text
