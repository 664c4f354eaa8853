"""A report's date: from its title (in many spellings, spread over several cells, with the indicator),
a date column, the page's date or --date, and a date after today warned.

Every awkward file is written inline. Figures are checked through the named queries
(block_progress, district_summary, panchayat_progress) and worked out by hand in comments;
row numbers are the rows a person sees in the file (title rows count).
"""

from __future__ import annotations

import datetime as dt

import pytest
from conftest import (
    bp,
    bp_today,
    csv_bytes,
    note_codes,
    refusal_code,
    store_is_empty,
    stored,
    warning_codes,
    xlsx_bytes,
)

from samiksha import fmt, intake, store
from samiksha.kinds import registry

IND = "ayushman_cards"

D29 = dt.date(2025, 5, 29)

D31 = dt.date(2025, 5, 31)

UNDATED = csv_bytes([
    ["Ayushman card block-wise report"],
    ["Block", "Target", "Cumulative"],
    ["Araria", "4000", "1200"],
    ["Bhargama", "3000", "700"],
])

DATED_31 = csv_bytes([
    ["Ayushman card progress report as on 31-05-2025"],
    ["Block", "Target", "Cumulative"],
    ["Araria", "4000", "1300"],
    ["Bhargama", "3000", "800"],
])


# ---------------------------------------------------------------- the page's date, the given date and the title's date


def test_the_page_date_is_used_when_the_file_has_none(con):
    result = stored(con, UNDATED, date_if_missing=D29)
    assert result.staged.report_date == D29
    assert "date_given_used" in note_codes(result)
    assert bp(con, "2025-05-29") == {"Araria": (4000, 1200), "Bhargama": (3000, 700)}
    assert bp(con, "2025-05-28") == {}


def test_staging_takes_the_page_date_too(con):
    cursor = con.cursor()
    staged = registry.stage(cursor, UNDATED, "report.csv", date_if_missing=D29)
    try:
        assert staged.report_date == D29
        assert [n.params["date"] for n in staged.read_notes if n.code == "date_given_used"] == [D29]
    finally:
        intake.drop_staging(cursor, staged)


def test_without_any_date_the_file_is_refused(con):
    assert refusal_code(con, UNDATED, "report.csv") == "no_report_date"
    assert store_is_empty(con)


def test_the_title_date_wins_over_the_page_date(con):
    result = stored(con, DATED_31, date_if_missing=D29)
    assert result.staged.report_date == D31
    assert "date_given_used" not in note_codes(result)
    assert "date_differs_from_title" not in warning_codes(con, result)
    assert bp(con, "2025-05-29") == {}
    assert bp(con, "2025-05-31") == {"Araria": (4000, 1300), "Bhargama": (3000, 800)}


def test_a_date_column_wins_over_the_page_date(con):
    data = csv_bytes([
        ["Ayushman card block-wise report"],
        ["Date", "Block", "Target", "Cumulative"],
        ["28.05.2025", "Araria", "4000", "1100"],
        ["28.05.2025", "Bhargama", "3000", "650"],
    ])
    result = stored(con, data, date_if_missing=D29)
    assert "date_given_used" not in note_codes(result)
    assert store.scalar(con, "SELECT DISTINCT report_date FROM progress WHERE upload_id = ?",
                        [result.upload_id]) == dt.date(2025, 5, 28)
    assert bp(con, "2025-05-28") == {"Araria": (4000, 1100), "Bhargama": (3000, 650)}


def test_a_given_date_wins_over_the_title_with_a_warning(con):
    result = stored(con, DATED_31, report_date=D29)
    assert result.staged.report_date == D29
    assert "date_differs_from_title" in warning_codes(con, result)
    assert bp(con, "2025-05-29") == {"Araria": (4000, 1300), "Bhargama": (3000, 800)}
    assert bp(con, "2025-05-30") == {"Araria": (4000, 1300), "Bhargama": (3000, 800)}
    assert bp(con, "2025-05-28") == {}


def test_a_given_date_equal_to_the_titles_gives_no_warning(con):
    result = stored(con, DATED_31, report_date=D31, date_if_missing=D29)
    assert result.staged.report_date == D31
    assert "date_differs_from_title" not in warning_codes(con, result)


def test_a_report_date_after_today_is_warned(con):
    later = fmt.now_ist().date() + dt.timedelta(days=3)
    data = csv_bytes([[f"Ayushman card report dated {later.strftime('%d.%m.%Y')}"],
                      ["Block", "Target", "Cumulative"], ["Araria", "4000", "1200"]])
    result = stored(con, data)
    assert result.staged.report_date == later
    assert "date_in_future" in warning_codes(con, result)
    assert bp(con, later.isoformat()) == {"Araria": (4000, 1200)}


def test_a_page_date_after_today_is_warned(con):
    later = fmt.now_ist().date() + dt.timedelta(days=1)
    result = stored(con, UNDATED, date_if_missing=later)
    assert "date_in_future" in warning_codes(con, result)


def test_a_past_report_date_is_not_warned(con):
    result = stored(con, DATED_31)
    assert "date_in_future" not in warning_codes(con, result)


# ---------------------------------------------------------------- dates written in titles

TITLE_DATES = ["29th May 2025", "29th May, 2025", "May 29, 2025", "29-May-25", "29 मई 2025", "Date:29.05.2025",
               "दिनांक: 29/05/25"]


@pytest.mark.parametrize("written", TITLE_DATES)
def test_title_dates_in_many_spellings(con, written):
    data = csv_bytes([[f"Ayushman card block-wise progress report {written}"], ["Block", "Target", "Achieved"],
                      ["Araria", "4000", "1200"], ["Bhargama", "3000", "700"]])
    result = stored(con, data)
    assert result.staged.report_date == D29
    assert bp(con, "2025-05-29") == {"Araria": (4000, 1200), "Bhargama": (3000, 700)}
    assert bp(con, "2025-05-28") == {}


ANNOUNCED = {
    "as-on": "Ayushman card camp 27-05-2025 to 31-05-2025, status as on 29-05-2025",
    "dinank": "आयुष्मान कार्ड शिविर 27.05.2025 से 31.05.2025 तक, दिनांक 29.05.2025",
}


@pytest.mark.parametrize("title", ANNOUNCED, ids=list(ANNOUNCED))
def test_the_announced_title_date_wins(con, title):
    data = csv_bytes([[ANNOUNCED[title]], ["Block", "Target", "Achieved"], ["Araria", "4000", "1200"]])
    result = stored(con, data)
    assert result.staged.report_date == D29
    assert bp(con, "2025-05-29") == {"Araria": (4000, 1200)}
    assert bp(con, "2025-05-28") == {}


def test_several_title_dates_none_announced_is_refused(con):
    data = csv_bytes([["Ayushman card camp 27-05-2025 to 31-05-2025"], ["Block", "Target", "Achieved"],
                      ["Araria", "4000", "1200"]])
    assert refusal_code(con, data, "camp.csv") == "title_dates_ambiguous"
    assert store_is_empty(con)


# ---------------------------------------------------------------- a title spread over several cells

D27 = dt.date(2025, 5, 27)

SPLIT_TITLE = {
    "xlsx": ("report.xlsx", lambda rows: xlsx_bytes(rows)),
    "csv": ("report.csv", lambda rows: csv_bytes(rows)),
}


@pytest.mark.parametrize("kind", SPLIT_TITLE, ids=list(SPLIT_TITLE))
def test_a_title_over_several_cells_gives_the_indicator_and_date(con, kind):
    name, build = SPLIT_TITLE[kind]
    rows = [
        ["Araria District", "Ayushman Card Report", None, "Date: 27.05.2025"],
        ["Block", "Target", "Today", "Cumulative"],
        ["Araria", 5000, 100, 1100],
        ["Palasi", 4000, 50, 850],
    ]
    result = stored(con, build(rows), name)
    assert result.staged.indicator == IND
    assert result.staged.report_date == D27
    assert result.staged.header_row == 2
    assert bp(con, "2025-05-27") == {"Araria": (5000, 1100), "Palasi": (4000, 850)}
    assert bp_today(con, "2025-05-27") == {"Araria": 100, "Palasi": 50}


def test_a_hindi_title_over_several_csv_cells_gives_the_indicator_and_date(con):
    data = csv_bytes([
        ["अररिया जिला", "आयुष्मान कार्ड प्रतिवेदन", "दिनांक 27.05.2025", ""],
        ["प्रखंड", "लक्ष्य", "आज की उपलब्धि", "कुल उपलब्धि"],
        ["Araria", "5000", "100", "1100"],
        ["Palasi", "4000", "50", "850"],
    ])
    result = stored(con, data)
    assert (result.staged.indicator, result.staged.report_date) == (IND, D27)
    assert bp(con, "2025-05-27") == {"Araria": (5000, 1100), "Palasi": (4000, 850)}
