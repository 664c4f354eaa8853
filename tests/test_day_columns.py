"""Reports with a column (or a target and achieved pair) per day: one row per day stored, blank days
not rejections, days without a year.

Every awkward file is written inline. Figures are checked through the named queries
(block_progress, district_summary, panchayat_progress) and worked out by hand in comments;
row numbers are the rows a person sees in the file (title rows count).
"""

from __future__ import annotations

import datetime as dt

import pytest
from conftest import bp, bp_today, csv_bytes, rejected, stored, summary, xlsx_bytes

from samiksha import store

DAY_HEADS = {
    "text-dates": ["27.05.2025", "28.05.2025", "29.05.2025"],
    "excel-dates": [dt.datetime(2025, 5, 27), dt.datetime(2025, 5, 28), dt.datetime(2025, 5, 29)],
}


@pytest.mark.parametrize("heads", DAY_HEADS, ids=list(DAY_HEADS))
def test_a_camp_report_with_a_target_and_achieved_pair_per_day(con, heads):
    d1, d2, d3 = DAY_HEADS[heads]
    data = xlsx_bytes([
        ["आयुष्मान कार्ड 3 दिवसीय विशेष शिविर प्रतिवेदन", None, None, None, None, None, None, None],
        ["प्रखंड", d1, None, d2, None, d3, None, "कुल"],
        [None, "लक्ष्य", "उपलब्धि", "लक्ष्य", "उपलब्धि", "लक्ष्य", "उपलब्धि", None],
        ["Araria", 500, 120, 500, 130, 500, 150, 400],
        ["Palasi", 400, 100, 400, 90, 400, 80, 270],
        ["कुल", 900, 220, 900, 220, 900, 230, 670],
    ], merged=["A1:H1", "A2:A3", "B2:C2", "D2:E2", "F2:G2", "H2:H3"])
    result = stored(con, data, "camp.xlsx")  # no date given: the days are in the header
    got = con.execute("SELECT block, report_date, achieved_today FROM progress WHERE upload_id = ? "
                      "ORDER BY 1, 2", [result.upload_id]).fetchall()
    assert [(b, d.isoformat(), a) for b, d, a in got] == [
        ("Araria", "2025-05-27", 120), ("Araria", "2025-05-28", 130), ("Araria", "2025-05-29", 150),
        ("Palasi", "2025-05-27", 100), ("Palasi", "2025-05-28", 90), ("Palasi", "2025-05-29", 80)]
    assert rejected(con, result) == []
    # 120 + 130 + 150 = 400; 100 + 90 + 80 = 270.
    assert {b: a for b, (_, a) in bp(con, "2025-05-29").items()} == {"Araria": 400, "Palasi": 270}
    assert bp_today(con, "2025-05-29") == {"Araria": 150, "Palasi": 80}
    assert {b: a for b, (_, a) in bp(con, "2025-05-28").items()} == {"Araria": 250, "Palasi": 190}
    assert bp_today(con, "2025-05-27") == {"Araria": 120, "Palasi": 100}
    assert summary(con, "2025-05-29")[1:] == (670, 230)


def test_blank_day_cells_are_not_rejections(con):
    data = csv_bytes([
        ["Ayushman card special camp report"],
        ["Block", "Target", "27.05.2025", "28.05.2025", "29.05.2025"],
        ["Araria", "500", "120", "150", ""],
        ["Palasi", "400", "100", "", "60"],
    ])
    result = stored(con, data)
    assert rejected(con, result) == []
    assert store.scalar(con, "SELECT rows_rejected FROM uploads WHERE upload_id = ?", [result.upload_id]) == 0
    got = con.execute("SELECT block, report_date, achieved_today FROM progress WHERE upload_id = ? ORDER BY 1, 2",
                      [result.upload_id]).fetchall()
    assert [(b, d.isoformat(), a) for b, d, a in got] == [
        ("Araria", "2025-05-27", 120), ("Araria", "2025-05-28", 150), ("Palasi", "2025-05-27", 100),
        ("Palasi", "2025-05-29", 60)]
    assert {b: a for b, (_, a) in bp(con, "2025-05-28").items()} == {"Araria": 270, "Palasi": 100}
    assert bp_today(con, "2025-05-28") == {"Araria": 150, "Palasi": 0}
    assert {b: a for b, (_, a) in bp(con, "2025-05-29").items()} == {"Araria": 270, "Palasi": 160}
    assert bp_today(con, "2025-05-29") == {"Araria": 0, "Palasi": 60}


def test_camp_site_day_columns_with_a_total_column_and_a_blank_day(con):
    data = csv_bytes([
        ["आयुष्मान कार्ड विशेष अभियान - शिविरवार प्रतिवेदन"],
        ["प्रखंड", "कैंप स्थल", "लक्ष्य", "27.05.2025", "28.05.2025", "29.05.2025", "कुल"],
        ["Araria", "Middle School Araria", "500", "120", "150", "", "270"],
        ["Araria", "Panchayat Bhawan Basantpur", "500", "80", "90", "100", "270"],
        ["Bhargama", "HSC Bhargama", "400", "100", "50", "60", "210"],
        ["कुल", "", "1400", "300", "290", "160", "750"],
    ])
    result = stored(con, data)
    assert rejected(con, result) == []
    # 27.05: 120 + 80 and 100; 28.05: + 150 + 90 and + 50; 29.05: + 100 and + 60.
    assert {b: a for b, (_, a) in bp(con, "2025-05-27").items()} == {"Araria": 200, "Bhargama": 100}
    assert {b: a for b, (_, a) in bp(con, "2025-05-28").items()} == {"Araria": 440, "Bhargama": 150}
    assert {b: a for b, (_, a) in bp(con, "2025-05-29").items()} == {"Araria": 540, "Bhargama": 210}
    assert bp_today(con, "2025-05-29") == {"Araria": 100, "Bhargama": 60}
    assert summary(con, "2025-05-29")[1:] == (750, 160)


def test_day_columns_without_a_year_take_the_titles_year(con):
    data = csv_bytes([
        ["Lakhpati Didi entries - day-wise camp report 2025"],
        ["Block", "Target", "30.05", "31.05", "01.06", "02.06", "Total"],
        ["Araria", "500", "8", "36", "48", "4", "96"],
        ["Bhargama", "500", "6", "", "40", "46", "92"],
    ])
    result = stored(con, data)
    assert rejected(con, result) == []
    got = con.execute("SELECT block, report_date, achieved_today FROM progress WHERE upload_id = ? ORDER BY 1, 2",
                      [result.upload_id]).fetchall()
    assert [(b, d.isoformat(), a) for b, d, a in got] == [
        ("Araria", "2025-05-30", 8), ("Araria", "2025-05-31", 36), ("Araria", "2025-06-01", 48),
        ("Araria", "2025-06-02", 4),
        ("Bhargama", "2025-05-30", 6), ("Bhargama", "2025-06-01", 40), ("Bhargama", "2025-06-02", 46)]
    # 8 + 36 + 48 = 92 and 6 + 40 = 46 by 01.06; the whole rows by 02.06.
    assert bp(con, "2025-06-01", "lakhpati_didi") == {"Araria": (500, 92), "Bhargama": (500, 46)}
    assert bp_today(con, "2025-06-01", "lakhpati_didi") == {"Araria": 48, "Bhargama": 40}
    assert summary(con, "2025-06-02", "lakhpati_didi") == (1000, 188, 50)
    assert bp(con, "2025-05-29", "lakhpati_didi") == {}


def test_a_month_of_day_columns_is_one_row_per_day(con):
    days = [dt.date(2025, 5, 1) + dt.timedelta(days=n) for n in range(31)]
    data = csv_bytes([
        ["Lakhpati Didi entries - day-wise camp report 2025"],
        ["Block", "Target", *[d.strftime("%d.%m") for d in days]],
        ["Araria", "1000", *[str(n + 1) for n in range(31)]],
    ])
    result = stored(con, data)
    assert store.scalar(con, "SELECT count(*) FROM progress WHERE upload_id = ?", [result.upload_id]) == 31
    # 1 + 2 + ... + 31 = 496; 1 + ... + 10 = 55.
    assert bp(con, "2025-05-31", "lakhpati_didi") == {"Araria": (1000, 496)}
    assert bp(con, "2025-05-10", "lakhpati_didi") == {"Araria": (1000, 55)}
    assert bp_today(con, "2025-05-10", "lakhpati_didi") == {"Araria": 10}
