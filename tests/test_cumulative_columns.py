"""Reports that give the figures as previous, today and total columns: which is the cumulative, and
when the parts disagree.

Every awkward file is written inline. Figures are checked through the named queries
(block_progress, district_summary, panchayat_progress) and worked out by hand in comments;
row numbers are the rows a person sees in the file (title rows count).
"""

from __future__ import annotations

import pytest
from conftest import bp, bp_today, csv_bytes, issues, stored, summary

from samiksha.errors import WARNING

PREV_TODAY_TOTAL = {
    "hindi-purv-aaj-kul": ["प्रखंड", "लक्ष्य", "पूर्व की उपलब्धि", "आज की उपलब्धि", "कुल"],
    "english-till-yesterday-today-total": ["Block", "Target", "Till Yesterday", "Today", "Total"],
}


@pytest.mark.parametrize("layout", PREV_TODAY_TOTAL, ids=list(PREV_TODAY_TOTAL))
def test_previous_today_and_total_store_the_total_as_the_cumulative(con, layout):
    data = csv_bytes([
        ["आयुष्मान कार्ड प्रतिवेदन दिनांक 27.05.2025"],
        PREV_TODAY_TOTAL[layout],
        ["Araria", "5000", "1000", "100", "1100"],
        ["Palasi", "4000", "800", "50", "850"],
    ])
    result = stored(con, data)
    assert result.staged.rows_accepted == 2 and result.staged.rows_rejected == 0
    assert bp(con, "2025-05-27") == {"Araria": (5000, 1100), "Palasi": (4000, 850)}
    assert bp_today(con, "2025-05-27") == {"Araria": 100, "Palasi": 50}
    assert summary(con, "2025-05-27") == (9000, 1950, 150)
    # The parts agree (1000 + 100 = 1100, 800 + 50 = 850): no warning names either row.
    assert {i.row for i in issues(con, result, WARNING)} & {3, 4} == set()


def test_achievement_till_date_is_the_cumulative(con):
    data = csv_bytes([
        ["Ayushman card report 27.05.2025"],
        ["Block", "Target", "Today", "Achievement Till Date"],
        ["Araria", "5000", "100", "1100"],
        ["Palasi", "4000", "50", "850"],
    ])
    stored(con, data)
    assert bp(con, "2025-05-27") == {"Araria": (5000, 1100), "Palasi": (4000, 850)}
    assert bp_today(con, "2025-05-27") == {"Araria": 100, "Palasi": 50}


PREV_TODAY_ONLY = {
    "english": ["Block", "Target", "Till Yesterday", "Today"],
    "hindi": ["प्रखंड", "लक्ष्य", "पूर्व की उपलब्धि", "आज की उपलब्धि"],
}


@pytest.mark.parametrize("layout", PREV_TODAY_ONLY, ids=list(PREV_TODAY_ONLY))
def test_previous_and_today_alone_add_up_to_the_cumulative(con, layout):
    data = csv_bytes([
        ["Ayushman card report 27.05.2025"],
        PREV_TODAY_ONLY[layout],
        ["Araria", "5000", "1000", "100"],
        ["Palasi", "4000", "800", "50"],
    ])
    stored(con, data)
    # 1000 + 100 and 800 + 50.
    assert bp(con, "2025-05-27") == {"Araria": (5000, 1100), "Palasi": (4000, 850)}
    assert bp_today(con, "2025-05-27") == {"Araria": 100, "Palasi": 50}
    assert summary(con, "2025-05-27") == (9000, 1950, 150)


def test_previous_plus_today_not_equal_to_the_total_warns_naming_the_row(con):
    data = csv_bytes([
        ["Ayushman card report 27.05.2025"],
        ["Block", "Target", "Till Yesterday", "Today", "Total"],
        ["Araria", "5000", "1000", "100", "1200"],  # 1000 + 100 = 1100, not 1200
        ["Palasi", "4000", "800", "50", "850"],
    ])
    result = stored(con, data)
    warned = {i.row for i in issues(con, result, WARNING)}
    assert 3 in warned
    assert 4 not in warned
    assert result.staged.rows_accepted == 2  # warned, still counted
    # The total column is the cumulative stored.
    assert bp(con, "2025-05-27") == {"Araria": (5000, 1200), "Palasi": (4000, 850)}
