"""A block name not in the gazetteer: pending (held out of the totals) and listed until a person
confirms which block it is; then counted once, and remembered.

Every awkward file is written inline. Figures are checked through the named queries
(block_progress, district_summary, panchayat_progress) and worked out by hand in comments;
row numbers are the rows a person sees in the file (title rows count).
"""

from __future__ import annotations

import pytest
from conftest import bp, bp_today, csv_bytes, ingest, run, stored, summary

from samiksha import ingest as ingest_module
from samiksha import naming

IND = "ayushman_cards"

ARARIA_GAZ = csv_bytes([
    ["state_code", "state_name", "district_code", "district_name", "block_code", "block_name"],
    ["10", "BIHAR", "188", "ARARIA", "1624", "ARARIA"],
    ["10", "BIHAR", "188", "ARARIA", "1626", "FORBESGANJ"],
    ["10", "BIHAR", "188", "ARARIA", "1630", "PALASI"],
])

HINDI_26 = csv_bytes([["आयुष्मान कार्ड दिनांक 26.05.2025"], ["प्रखंड", "लक्ष्य", "कुल उपलब्धि"],
                      ["फारबिसगंज", "5000", "1000"], ["अररिया", "4000", "800"]])

ENGLISH_27 = csv_bytes([["Ayushman card report 27.05.2025"], ["Block", "Target", "Cumulative"],
                        ["Forbesganj", "5000", "1200"], ["Araria", "4000", "900"]])


@pytest.fixture
def araria_gaz(con):
    assert ingest(con, ARARIA_GAZ, "lgd_araria.csv", kind="gazetteer").status == "stored"


def test_an_unmatched_name_is_pending_and_listed_until_confirmed(con, araria_gaz):
    stored(con, HINDI_26, "hindi_26.csv")
    assert [(u["level"], u["written"]) for u in ingest_module.unmatched_names(con)] == [("block", "फारबिसगंज")]
    # Pending: held apart from the totals and the ranking until a person says which block it is.
    assert bp(con, "2025-05-26") == {"Araria": (4000, 800)}
    assert summary(con, "2025-05-26")[:2] == (4000, 800)
    assert naming.pending(con, IND, "2025-05-26")["achieved"] == 1000

    ingest_module.confirm_name(con, "block", "फारबिसगंज", "188", "1626")
    assert ingest_module.unmatched_names(con) == []
    stored(con, ENGLISH_27, "english_27.csv")
    assert bp(con, "2025-05-27") == {"Forbesganj": (5000, 1200), "Araria": (4000, 900)}
    assert summary(con, "2025-05-27")[:2] == (9000, 2100)
    assert bp(con, "2025-05-26") == {"Forbesganj": (5000, 1000), "Araria": (4000, 800)}


def test_confirming_after_the_english_report_leaves_one_block(con, araria_gaz):
    stored(con, HINDI_26, "hindi_26.csv")
    stored(con, ENGLISH_27, "english_27.csv")
    # Before confirming, the Hindi name is pending: never a second Forbesganj in the totals.
    assert bp(con, "2025-05-27") == {"Forbesganj": (5000, 1200), "Araria": (4000, 900)}
    assert summary(con, "2025-05-27")[:2] == (9000, 2100)
    assert [u["written"] for u in ingest_module.unmatched_names(con)] == ["फारबिसगंज"]

    ingest_module.confirm_name(con, "block", "फारबिसगंज", "188", "1626")
    rows = run(con, "block_progress", indicator=IND, as_of="2025-05-27")
    assert [r["block"] for r in rows].count("Forbesganj") == 1
    assert bp(con, "2025-05-27") == {"Forbesganj": (5000, 1200), "Araria": (4000, 900)}
    assert bp_today(con, "2025-05-27")["Forbesganj"] == 200  # 1200 - 1000
    assert summary(con, "2025-05-27")[:2] == (9000, 2100)
    assert ingest_module.unmatched_names(con) == []


def test_confirming_as_the_upload_page_does_with_a_two_district_gazetteer(con):
    two_districts = csv_bytes([
        ["state_code", "state_name", "district_code", "district_name", "block_code", "block_name"],
        ["10", "BIHAR", "188", "ARARIA", "1624", "ARARIA"],
        ["10", "BIHAR", "188", "ARARIA", "1626", "FORBESGANJ"],
        ["10", "BIHAR", "230", "PATNA", "1963", "PALIGANJ"],
    ])
    assert ingest(con, two_districts, "lgd_bihar.csv", kind="gazetteer").status == "stored"
    stored(con, HINDI_26, "hindi_26.csv")
    stored(con, ENGLISH_27, "english_27.csv")
    assert summary(con, "2025-05-27")[1] == 1200 + 900  # the Hindi name pending: not counted twice
    [item] = ingest_module.unmatched_names(con)
    assert (item["level"], item["written"]) == ("block", "फारबिसगंज")
    ingest_module.confirm_name(con, item["level"], item["written"], item["parent_code"], "1626")
    assert ingest_module.unmatched_names(con) == []
    assert bp(con, "2025-05-27") == {"Forbesganj": (5000, 1200), "Araria": (4000, 900)}
    # The confirmation is remembered: the Hindi name next day is the same block.
    later = stored(con, csv_bytes([["आयुष्मान कार्ड दिनांक 28.05.2025"], ["प्रखंड", "लक्ष्य", "कुल उपलब्धि"],
                                   ["फारबिसगंज", "5000", "1300"]]), "hindi_28.csv")
    assert [(m.how, m.code) for m in later.staged.matches if m.written == "फारबिसगंज"] == [("confirmed", "1626")]
    assert bp(con, "2025-05-28") == {"Forbesganj": (5000, 1300), "Araria": (4000, 900)}
