"""Targets files: deadline cells in many spellings, and the district's own target beside its blocks'.

Every awkward file is written inline. Figures are checked through the named queries
(block_progress, district_summary, panchayat_progress) and worked out by hand in comments;
row numbers are the rows a person sees in the file (title rows count).
"""

from __future__ import annotations

import datetime as dt

import pytest
from conftest import bp, csv_bytes, rejected, stored, summary, summary_row

D31 = dt.date(2025, 5, 31)


@pytest.mark.parametrize("deadline", ["31st May 2025", "31.05.2025 तक", "May 31, 2025"])
def test_deadline_cells_in_a_targets_file_are_dates(con, deadline):
    targets = csv_bytes([["Ayushman card targets"], ["Block", "Target", "Deadline"],
                         ["Araria", "4000", deadline], ["Bhargama", "3000", "31.05.2025"]])
    result = stored(con, targets, "targets.csv", kind="targets")
    assert rejected(con, result) == []
    got = con.execute("SELECT block, deadline FROM targets WHERE upload_id = ? ORDER BY 1",
                      [result.upload_id]).fetchall()
    assert got == [("Araria", D31), ("Bhargama", D31)]
    stored(con, csv_bytes([["Ayushman card report 29.05.2025"], ["Block", "Cumulative"],
                           ["Araria", "1000"], ["Bhargama", "500"]]))
    row = summary_row(con, "2025-05-29")
    # (7000 - 1500) over the 2 days 30.05 and 31.05 = 2750 a day.
    assert (row["target"], row["achieved"], row["deadline"], row["required_per_day"]) == (7000, 1500, D31, 2750)


def _targets(district_cell, with_district_row: bool = True) -> bytes:
    rows = [["आयुष्मान कार्ड विशेष अभियान - लक्ष्य"], ["प्रखंड", "पंचायत", "लक्ष्य", "अंतिम तिथि"]]
    if with_district_row:
        rows.append([district_cell, "", "10,000", "31.05.2025"])
    rows += [["Araria", "", "4,000", "31.05.2025"], ["Bhargama", "", "3,000", "31.05.2025"],
             ["Araria", "Rampur", "1,500", "31.05.2025"]]
    return csv_bytes(rows)


PROGRESS_29 = csv_bytes([["Ayushman card report 29.05.2025"], ["Block", "Cumulative"],
                         ["Araria", "1000"], ["Bhargama", "500"]])


@pytest.mark.parametrize("district_cell", ["", "जिला", "District"], ids=["blank", "jila", "district"])
def test_a_row_naming_no_block_is_the_districts_own_target(con, district_cell):
    result = stored(con, _targets(district_cell), "targets.csv", kind="targets")
    assert rejected(con, result) == []
    stored(con, PROGRESS_29)
    row = summary_row(con, "2025-05-29")
    # The district's own 10,000, not 4,000 + 3,000; (10000 - 1500) / 2 days = 4250.
    assert (row["target"], row["achieved"], row["pct"], row["required_per_day"]) == (10000, 1500, 15.0, 4250)
    assert bp(con, "2025-05-29") == {"Araria": (4000, 1000), "Bhargama": (3000, 500)}
    assert "जिला" not in bp(con, "2025-05-29") and "District" not in bp(con, "2025-05-29")


def test_without_a_district_row_the_target_is_the_sum_of_blocks(con):
    stored(con, _targets("", with_district_row=False), "targets.csv", kind="targets")
    stored(con, PROGRESS_29)
    assert summary(con, "2025-05-29")[:2] == (7000, 1500)
