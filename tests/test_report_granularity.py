"""A block reported whole, split by channel or camp site, or panchayat by panchayat: which report
stands for the block, never two added together, and today's figure when a block switches.

Every awkward file is written inline. Figures are checked through the named queries
(block_progress, district_summary, panchayat_progress) and worked out by hand in comments;
row numbers are the rows a person sees in the file (title rows count).
"""

from __future__ import annotations

import pytest
from conftest import bp, bp_today, csv_bytes, run, stored, summary

IND = "ayushman_cards"

WHOLE = ["प्रखंड", "लक्ष्य", "आज की उपलब्धि", "कुल उपलब्धि"]

SPLIT_BY = {
    "channel": ("माध्यम", ["आशा", "VLE", "Camp"]),
    "camp-site": ("कैंप स्थल", ["Middle School Araria", "Panchayat Bhawan Basantpur", "HSC Araria"]),
}


# ---------------------------------------------------------------- whole-block and split reports


def _whole_report(day: str, araria=("5000", "100", "1100")) -> bytes:
    return csv_bytes([
        [f"आयुष्मान कार्ड प्रखंडवार प्रतिवेदन दिनांक {day}"],
        WHOLE,
        ["अररिया", *araria],
        ["पलासी", "4000", "50", "850"],
    ])


def _split_report(day: str, split: str) -> bytes:
    column, names = SPLIT_BY[split]
    return csv_bytes([
        [f"आयुष्मान कार्ड माध्यमवार प्रतिवेदन दिनांक {day}"],
        ["प्रखंड", column, "आज की उपलब्धि", "कुल उपलब्धि"],
        ["अररिया", names[0], "10", "100"],
        ["अररिया", names[1], "20", "200"],
        ["अररिया", names[2], "30", "300"],
        ["अररिया कुल", "", "60", "600"],
    ])


@pytest.mark.parametrize("split", SPLIT_BY, ids=list(SPLIT_BY))
@pytest.mark.parametrize("whole_first", [True, False], ids=["whole-then-split", "split-then-whole"])
def test_a_whole_and_a_split_report_of_one_day_are_not_added_the_whole_wins(con, split, whole_first):
    files = [(_whole_report("27.05.2025"), "whole.csv"), (_split_report("27.05.2025", split), "split.csv")]
    for data, name in files if whole_first else files[::-1]:
        stored(con, data, name)
    # A tie on the date: the whole-block figure (1100), never 1100 + 600.
    assert bp(con, "2025-05-27") == {"अररिया": (5000, 1100), "पलासी": (4000, 850)}
    assert bp_today(con, "2025-05-27") == {"अररिया": 100, "पलासी": 50}
    assert summary(con, "2025-05-27") == (9000, 1950, 150)


@pytest.mark.parametrize("split", SPLIT_BY, ids=list(SPLIT_BY))
def test_a_later_split_report_is_the_blocks_figure(con, split):
    stored(con, _whole_report("27.05.2025"), "whole.csv")
    stored(con, _split_report("28.05.2025", split), "split.csv")
    # 28.05: the most recent granularity is the split one: 100 + 200 + 300 = 600, today 10 + 20 + 30.
    assert {b: a for b, (_, a) in bp(con, "2025-05-28").items()} == {"अररिया": 600, "पलासी": 850}
    assert bp_today(con, "2025-05-28") == {"अररिया": 60, "पलासी": 0}
    assert summary(con, "2025-05-28")[1:] == (1450, 60)
    # 27.05: only the whole report counts yet.
    assert bp(con, "2025-05-27") == {"अररिया": (5000, 1100), "पलासी": (4000, 850)}
    assert summary(con, "2025-05-27")[1] == 1950


@pytest.mark.parametrize("split", SPLIT_BY, ids=list(SPLIT_BY))
def test_a_later_whole_report_is_the_blocks_figure(con, split):
    stored(con, _split_report("27.05.2025", split), "split.csv")
    stored(con, _whole_report("28.05.2025", araria=("5000", "50", "1200")), "whole.csv")
    assert bp(con, "2025-05-28") == {"अररिया": (5000, 1200), "पलासी": (4000, 850)}  # not 1200 + 600
    assert bp_today(con, "2025-05-28")["अररिया"] == 50
    assert {b: a for b, (_, a) in bp(con, "2025-05-27").items()} == {"अररिया": 600}
    assert summary(con, "2025-05-28")[1] == 2050


# ---------------------------------------------------------------- block-wise and panchayat-wise reports


def test_block_wise_then_panchayat_wise_reports_use_the_most_recent(con):
    stored(con, csv_bytes([["Ayushman card blockwise 26.05.2025"], ["Block", "Target", "Cumulative"],
                           ["Araria", "5000", "1000"], ["Palasi", "4000", "800"]]), "blocks_26.csv")
    stored(con, csv_bytes([["Ayushman card panchayatwise 27.05.2025"],
                           ["Block", "Panchayat", "Target", "Today", "Cumulative"],
                           ["Araria", "P1", "2500", "300", "700"],
                           ["Araria", "P2", "2500", "200", "800"]]), "panchayats_27.csv")
    # 27.05: Araria's panchayats, 700 + 800 (the block row of the 26th no longer stands).
    assert bp(con, "2025-05-27") == {"Araria": (5000, 1500), "Palasi": (4000, 800)}
    assert bp_today(con, "2025-05-27") == {"Araria": 500, "Palasi": 0}
    assert summary(con, "2025-05-27")[:2] == (9000, 2300)
    # 26.05: the block row.
    assert bp(con, "2025-05-26") == {"Araria": (5000, 1000), "Palasi": (4000, 800)}
    panchayats = run(con, "panchayat_progress", indicator=IND, as_of="2025-05-27", block="Araria")
    assert {r["panchayat"]: (r["target"], r["achieved"]) for r in panchayats} == {"P1": (2500, 700),
                                                                                   "P2": (2500, 800)}


def test_panchayat_wise_then_block_wise_reports_use_the_most_recent(con):
    stored(con, csv_bytes([["Ayushman card panchayatwise 26.05.2025"], ["Block", "Panchayat", "Target", "Cumulative"],
                           ["Araria", "P1", "2500", "700"], ["Araria", "P2", "2500", "800"]]), "panchayats_26.csv")
    stored(con, csv_bytes([["Ayushman card blockwise 27.05.2025"], ["Block", "Target", "Cumulative"],
                           ["Araria", "5000", "1600"]]), "blocks_27.csv")
    assert bp(con, "2025-05-26") == {"Araria": (5000, 1500)}
    assert bp(con, "2025-05-27") == {"Araria": (5000, 1600)}


def _panchayat_report(day: str, p1: str, p2: str) -> bytes:
    return csv_bytes([[f"Ayushman card panchayat-wise report {day}"], ["Block", "Panchayat", "Target", "Cumulative"],
                      ["Araria", "P1", "2500", p1], ["Araria", "P2", "2500", p2]])


def _block_report(day: str, *rows) -> bytes:
    return csv_bytes([[f"Ayushman card block-wise report {day}"], ["Block", "Target", "Cumulative"], *rows])


def test_panchayat_wise_then_block_wise_todays_figure_is_the_difference(con):
    stored(con, _panchayat_report("28.05.2025", "500", "510"), "araria_28.csv")
    stored(con, _block_report("28.05.2025", ["Bhargama", "3000", "300"]), "bhargama_28.csv")
    stored(con, _block_report("29.05.2025", ["Araria", "5000", "1200"], ["Bhargama", "3000", "350"]), "blocks_29.csv")
    assert bp(con, "2025-05-28") == {"Araria": (5000, 1010), "Bhargama": (3000, 300)}
    assert bp(con, "2025-05-29") == {"Araria": (5000, 1200), "Bhargama": (3000, 350)}
    # Araria: 1200 - (500 + 510) = 190; Bhargama: 350 - 300 = 50.
    assert bp_today(con, "2025-05-29") == {"Araria": 190, "Bhargama": 50}
    assert summary(con, "2025-05-29") == (8000, 1550, 240)


def test_block_wise_then_panchayat_wise_todays_figure_is_the_difference(con):
    stored(con, _block_report("28.05.2025", ["Araria", "5000", "1000"]), "araria_28.csv")
    stored(con, _panchayat_report("29.05.2025", "600", "550"), "araria_29.csv")
    assert bp(con, "2025-05-29") == {"Araria": (5000, 1150)}
    assert bp_today(con, "2025-05-29") == {"Araria": 150}  # (600 + 550) - 1000
    assert summary(con, "2025-05-29") == (5000, 1150, 150)
