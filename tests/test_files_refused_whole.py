"""Files refused as a whole, storing nothing: a second table stacked below, formulas without saved
values, a header with no rows, an HTML page saved as .xls.

Every awkward file is written inline. Figures are checked through the named queries
(block_progress, district_summary, panchayat_progress) and worked out by hand in comments;
row numbers are the rows a person sees in the file (title rows count).
"""

from __future__ import annotations

import datetime as dt
import io

import openpyxl
import pytest
from conftest import csv_bytes, refusal_code, run, store_is_empty, xlsx_bytes

IND = "ayushman_cards"

STACKED_ROWS = [
    ["अररिया जिला : आयुष्मान कार्ड प्रखंडवार प्रतिवेदन दिनांक - 27/05/2025"],
    ["क्रम", "प्रखंड", "लक्ष्य", "आज की उपलब्धि", "कुल उपलब्धि"],
    ["1", "Araria", "43,000", "1,406", "10,757"],
    ["2", "Bhargama", "25,000", "1,488", "7,640"],
    ["", "योग", "68,000", "2,894", "18,397"],
    [],
    ["अररिया जिला : बीमा नामांकन प्रखंडवार प्रतिवेदन दिनांक - 27/05/2025"],
    ["क्रम", "प्रखंड", "लक्ष्य", "आज की उपलब्धि", "कुल उपलब्धि"],
    ["1", "Palasi", "5,000", "100", "1,000"],
    ["2", "Sikti", "6,000", "200", "2,000"],
    ["", "योग", "11,000", "300", "3,000"],
]

STACKED = {
    "csv": ("stacked.csv", lambda: csv_bytes(STACKED_ROWS)),
    "xlsx": ("stacked.xlsx", lambda: xlsx_bytes([row or [None] for row in STACKED_ROWS])),
}


@pytest.mark.parametrize("kind", STACKED, ids=list(STACKED))
def test_a_second_table_stacked_below_refuses_the_file(con, tmp_path, kind):
    name, build = STACKED[kind]
    assert refusal_code(con, build(), name, files=tmp_path) == "second_table"
    assert store_is_empty(con)
    assert list(tmp_path.iterdir()) == []
    assert run(con, "block_progress", indicator=IND, as_of="2025-05-27") == []
    assert run(con, "block_progress", indicator="insurance", as_of="2025-05-27") == []


def test_formulas_without_saved_values_refuse_the_file(con):
    book = openpyxl.Workbook()
    sheet = book.active
    for row in (["Ayushman card report 27.05.2025"],
                ["Block", "Target", "Previous", "Today", "Cumulative"],
                ["Araria", 1000, 100, 10, "=C3+D3"],
                ["Bhargama", 2000, 200, 20, "=C4+D4"],
                ["Total", "=SUM(B3:B4)", "=SUM(C3:C4)", "=SUM(D3:D4)", "=SUM(E3:E4)"]):
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    assert refusal_code(con, out.getvalue(), "formula.xlsx") == "formulas_without_values"
    assert store_is_empty(con)


HEADER_ONLY = {
    "no-title": csv_bytes([["Block", "Target", "Cumulative"]]),
    "with-title": csv_bytes([["Ayushman card 26.05.2025"], ["Block", "Target", "Cumulative"]]),
    "hindi": csv_bytes([["प्रखंड", "लक्ष्य", "कुल उपलब्धि"]]),
}


@pytest.mark.parametrize("case", HEADER_ONLY, ids=list(HEADER_ONLY))
def test_a_header_only_file_is_refused_as_no_data_rows(con, case):
    code = refusal_code(con, HEADER_ONLY[case], "header_only.csv", indicator="ayushman_cards",
                        report_date=dt.date(2025, 5, 26))
    assert code == "no_data_rows"
    assert store_is_empty(con)


def test_a_header_only_workbook_is_refused_as_no_data_rows(con):
    data = xlsx_bytes([["Block", "Target", "Cumulative"]])
    code = refusal_code(con, data, "header_only.xlsx", indicator="ayushman_cards", report_date=dt.date(2025, 5, 26))
    assert code == "no_data_rows"


HTML_FILES = {
    "html": b"<html><body><table><tr><td>Block</td><td>Target</td><td>Cumulative</td></tr>"
            b"<tr><td>Araria</td><td>1000</td><td>100</td></tr></table></body></html>",
    "excel-html": b'<html xmlns:o="urn:schemas-microsoft-com:office:office"><head></head><body><table>'
                  b"<tr><td>Block</td><td>Cumulative</td></tr><tr><td>Araria</td><td>100</td></tr>"
                  b"</table></body></html>",
    "table": b"<table><tr><td>Block</td><td>Target</td><td>Cumulative</td></tr>"
             b"<tr><td>Araria</td><td>1000</td><td>100</td></tr></table>",
}


@pytest.mark.parametrize("case", HTML_FILES, ids=list(HTML_FILES))
def test_an_html_page_saved_as_xls_is_refused(con, case):
    code = refusal_code(con, HTML_FILES[case], "report.xls", indicator="ayushman_cards",
                        report_date=dt.date(2025, 5, 27))
    assert code == "html_file"
    assert store_is_empty(con)
