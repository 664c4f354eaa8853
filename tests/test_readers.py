"""Reading uploaded bytes into a grid of text cells: encodings, separators, workbooks, refusals."""

from __future__ import annotations

import codecs
import random

import duckdb
import pytest
from conftest import csv_bytes, xlsx_bytes

from samiksha import readers
from samiksha.errors import IntakeError

ROWS = [
    ["प्रखंड", "लक्ष्य", "कुल उपलब्धि"],
    ["अररिया", "3,00,000", "10,757"],
    ["Bhargama", "25,000", "7,640"],
]


@pytest.fixture
def duck():
    con = duckdb.connect()
    yield con
    con.close()


def grid_rows(con, grid) -> list[tuple]:
    """Every row of the grid as (rownum, cells...) with trailing empty cells dropped."""
    rows = con.execute(f"SELECT * FROM {grid.table} ORDER BY rownum").fetchall()
    out = []
    for *cells, rownum in rows:
        while cells and cells[-1] is None:
            cells.pop()
        out.append((rownum, *cells))
    return out


def refusal(con, data: bytes, name: str, **kw):
    with pytest.raises(IntakeError) as caught:
        readers.read_grid(con, data, name, **kw)
    return caught.value.issue


EXPECTED = [(1, *ROWS[0]), (2, *ROWS[1]), (3, *ROWS[2])]


@pytest.mark.parametrize(("data", "encoding", "delimiter"), [
    (csv_bytes(ROWS), "UTF-8", ","),
    (codecs.BOM_UTF8 + csv_bytes(ROWS), "UTF-8 (BOM)", ","),
    # Excel's "Unicode text": UTF-16 LE with a BOM, tab-separated.
    (codecs.BOM_UTF16_LE + csv_bytes(ROWS, "utf-16-le", sep="\t"), "UTF-16", "\t"),
    (csv_bytes(ROWS, "utf-16-le", sep="\t"), "UTF-16", "\t"),
    (csv_bytes(ROWS, "utf-16-be", sep="\t"), "UTF-16", "\t"),
    (csv_bytes(ROWS, sep="\t"), "UTF-8", "\t"),
    (csv_bytes(ROWS, sep=";"), "UTF-8", ";"),
    (csv_bytes(ROWS).replace(b"\r\n", b"\n"), "UTF-8", ","),
], ids=["utf8", "utf8-bom", "utf16le-bom-tab", "utf16le-no-bom", "utf16be-no-bom", "tab", "semicolon", "lf"])
def test_text_encodings_and_separators(duck, data, encoding, delimiter):
    grid = readers.read_grid(duck, data, "report.csv")
    assert grid.file_format == "CSV"
    assert grid.encoding == encoding
    assert grid.delimiter == delimiter
    assert grid.ncols == 3
    assert grid.nrows == 3
    assert grid_rows(duck, grid) == EXPECTED
    assert grid.head[1] == ["अररिया", "3,00,000", "10,757"]
    assert "single_byte_encoding" not in [note.code for note in grid.notes]


def test_windows_1252_is_read_with_a_warning(duck):
    data = csv_bytes([["Block", "Remarks"], ["Araria", "Café – 5 camps"]], encoding="cp1252")
    grid = readers.read_grid(duck, data, "old_excel.csv")
    assert grid.encoding == "Windows-1252"
    assert "single_byte_encoding" in [note.code for note in grid.notes]
    assert grid_rows(duck, grid)[1] == (2, "Araria", "Café – 5 camps")


def test_quoted_newline_stays_in_its_cell(duck):
    data = csv_bytes([["Block", "Remarks", "Achieved"], ["Araria", "camp closed\nat 4 PM", "12"],
                      ["Bhargama", "", "7"]])
    grid = readers.read_grid(duck, data, "report.csv")
    assert grid.nrows == 3
    assert grid_rows(duck, grid) == [
        (1, "Block", "Remarks", "Achieved"),
        (2, "Araria", "camp closed\nat 4 PM", "12"),
        (3, "Bhargama", None, "7"),
    ]


def test_blank_lines_count_in_row_numbers(duck):
    """rownum is the row a person sees: a blank line between title and header is a row too."""
    data = b"Ayushman card report\r\n\r\nBlock,Target,Achieved\r\nAraria,100,50\r\n"
    grid = readers.read_grid(duck, data, "report.csv")
    rows = {row[1]: row[0] for row in grid_rows(duck, grid) if len(row) > 1}
    assert rows["Block"] == 3
    assert rows["Araria"] == 4


def test_a_row_wider_than_the_sniffed_width_is_refused_with_its_row(duck):
    rows = [["Block", "Target", "Achieved"]] + [[f"Block {i}", "10", "5"] for i in range(2, 81)]
    rows[69] = ["Block 70", "10", "5", "stray"]  # row 70, after the lines the sniffer looks at
    issue = refusal(duck, csv_bytes(rows), "report.csv")
    assert issue.code == "too_many_columns"
    assert issue.row == 70
    assert issue.params["expected"] == 3


def test_xlsx_first_sheet_with_data(duck):
    data = xlsx_bytes(ROWS, sheet_title="Report", empty_first="Cover",
                      extra_sheets={"Notes": [["note", "text"], ["a", "b"]]})
    grid = readers.read_grid(duck, data, "report.xlsx")
    assert grid.file_format == "XLSX"
    assert grid.sheet == "Report"
    assert grid_rows(duck, grid) == EXPECTED
    other = [note for note in grid.notes if note.code == "other_sheets"]
    assert other and "Notes" in other[0].params["sheets"]


def test_xlsx_numbers_and_dates_become_text(duck):
    import datetime as dt

    data = xlsx_bytes([["Block", "Target", "Date", "Share"],
                       ["Araria", 43000, dt.datetime(2025, 5, 27), 0.25]])
    grid = readers.read_grid(duck, data, "report.xlsx")
    assert grid_rows(duck, grid)[1] == (2, "Araria", "43000", "2025-05-27", "0.25")


def test_xlsx_chosen_sheet(duck):
    data = xlsx_bytes(ROWS, extra_sheets={"28.05": [["Block", "Achieved"], ["Araria", 99]]})
    grid = readers.read_grid(duck, data, "report.xlsx", sheet="28.05")
    assert grid.sheet == "28.05"
    assert grid_rows(duck, grid) == [(1, "Block", "Achieved"), (2, "Araria", "99")]


def test_xlsx_no_such_sheet(duck):
    data = xlsx_bytes(ROWS, sheet_title="Report")
    issue = refusal(duck, data, "report.xlsx", sheet="Summary")
    assert issue.code == "no_such_sheet"
    assert issue.params["sheet"] == "Summary"
    assert "Report" in issue.params["sheets"]


def test_xlsx_merged_title_and_merged_block_cells(duck):
    rows = [
        ["District Araria - Panchayat wise Ayushman Card status as on 26.05.2025", None, None, None, None],
        ["Block", "Panchayat", "Target", "Achievement", "%"],
        ["Araria", "Araria Panchayat 1", 500, 422, 84.4],
        [None, "Araria Panchayat 2", None, 427, 85.4],
        [None, "Araria Panchayat 3", 500, 383, 76.6],
        ["Bhargama", "Bhargama Panchayat 1", 500, 454, 90.8],
    ]
    # Title across A1:E1; block name merged down A3:A5; a target merged down C3:C4.
    data = xlsx_bytes(rows, merged=["A1:E1", "A3:A5", "C3:C4"])
    grid = readers.read_grid(duck, data, "panchayatwise.xlsx")
    got = grid_rows(duck, grid)
    assert got[0] == (1, rows[0][0])  # the title once, not copied across
    assert [row[1] for row in got[2:]] == ["Araria", "Araria", "Araria", "Bhargama"]
    assert got[2][3] == "500"
    assert got[3][3] is None  # a merged number is kept once, never duplicated
    assert got[4][3] == "500"


@pytest.mark.parametrize(("data", "name", "code"), [
    (b"", "report.csv", "empty_file"),
    (b"  \r\n\r\n ", "report.csv", "empty_file"),
    (codecs.BOM_UTF8, "report.csv", "empty_file"),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x04\x38", "report.csv", "not_a_table_file"),
    (b"\xff\xd8\xff\xe0\x00\x10JFIF", "photo.csv", "not_a_table_file"),
    (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", "report.csv", "not_a_table_file"),
    (random.Random(7).randbytes(3000), "report.xlsx", "bad_workbook"),
    (b"Block,Target\r\nAraria,1\x00\x00\x07\x00\x00\x00\x00\x00\x00\x00\x00\xff\xfe", "report.csv", "binary_file"),
], ids=["empty", "whitespace", "bom-only", "png-as-csv", "jpeg-as-csv", "pdf-as-csv", "random-xlsx", "nul-bytes"])
def test_refusals(duck, data, name, code):
    assert refusal(duck, data, name).code == code


def test_truncated_workbook_is_refused(duck):
    whole = xlsx_bytes(ROWS)
    assert readers.read_grid(duck, whole, "report.xlsx").nrows == 3
    assert refusal(duck, whole[: len(whole) // 2], "report.xlsx").code == "bad_workbook"


def test_workbook_named_csv_is_still_read_as_a_workbook(duck):
    grid = readers.read_grid(duck, xlsx_bytes(ROWS), "report.csv")
    assert grid.file_format == "XLSX"
    assert grid_rows(duck, grid) == EXPECTED


def test_empty_workbook_is_refused(duck):
    assert refusal(duck, xlsx_bytes([]), "report.xlsx").code == "empty_file"


def test_refusal_text_never_shows_a_traceback(duck):
    issue = refusal(duck, b"\x89PNG\r\n\x1a\n", "report.csv")
    text = issue.text("en")
    assert "PNG" in text and "Traceback" not in text
