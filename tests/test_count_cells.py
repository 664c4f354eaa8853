"""Cells of counts: a percent, digit grouping (Indian, western, wrong), a number too large, more cells
than the header: the row is rejected with its reason, the rest stored.

Every awkward file is written inline. Figures are checked through the named queries
(block_progress, district_summary, panchayat_progress) and worked out by hand in comments;
row numbers are the rows a person sees in the file (title rows count).
"""

from __future__ import annotations

import pytest
from conftest import bp, csv_bytes, rejected, stored


def _counts(cell: str, column: str) -> bytes:
    today, cumulative = (cell, "1100") if column == "Today" else ("100", cell)
    return csv_bytes([
        ["Ayushman card 27.05.2025"],
        ["Block", "Target", "Today", "Cumulative"],
        ["Araria", "5000", today, cumulative],
        ["Palasi", "4000", "50", "850"],
    ])


@pytest.mark.parametrize("column", ["Today", "Cumulative"])
@pytest.mark.parametrize(("cell", "code"), [("25%", "percent_in_count"), ("1,5", "bad_number")],
                         ids=["percent", "bad-grouping"])
def test_a_percent_or_a_bad_digit_grouping_in_a_count_rejects_its_row(con, cell, code, column):
    result = stored(con, _counts(cell, column))
    assert rejected(con, result) == [(code, 3, column, cell)]
    assert result.staged.rows_rejected == 1 and result.staged.rows_accepted == 1
    assert bp(con, "2025-05-27") == {"Palasi": (4000, 850)}


@pytest.mark.parametrize(("cell", "number"), [("1,00,000", 100000), ("100,000", 100000), ("3,00,000", 300000)])
def test_indian_and_western_digit_groupings_are_read(con, cell, number):
    result = stored(con, _counts(cell, "Cumulative"))
    assert rejected(con, result) == []
    assert bp(con, "2025-05-27") == {"Araria": (5000, number), "Palasi": (4000, 850)}


@pytest.mark.parametrize("column", ["Target", "Cumulative"])
def test_a_number_too_large_rejects_its_row_only(con, column):
    big = "12345678901234567890"
    araria = ["Araria", big, "1100"] if column == "Target" else ["Araria", "1000", big]
    data = csv_bytes([["Ayushman card 27.05.2025"], ["Block", "Target", "Cumulative"], araria,
                      ["Palasi", "1000", "200"]])
    result = stored(con, data)
    assert rejected(con, result) == [("number_too_large", 3, column, big)]
    assert result.staged.rows_accepted == 1
    assert bp(con, "2025-05-27") == {"Palasi": (1000, 200)}


def test_a_row_with_more_cells_than_the_header_is_rejected_the_rest_stored(con):
    data = (b"Ayushman card 27.05.2025\r\n"
            b"Block,Target,Cumulative\r\n"
            b"Araria,1,00,000,500\r\n"      # unquoted Indian grouping: 5 cells under 3 columns
            b"Palasi,4000,800\r\n"
            b"Bhargama,2000,300,\r\n")      # a trailing empty cell is not an extra cell
    result = stored(con, data)
    assert [(code, row) for code, row, _, _ in rejected(con, result)] == [("extra_cells", 3)]
    assert result.staged.rows_accepted == 2
    assert bp(con, "2025-05-27") == {"Palasi": (4000, 800), "Bhargama": (2000, 300)}
