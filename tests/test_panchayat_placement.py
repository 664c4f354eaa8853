"""Panchayat-wise reports with no block column: the block named in the title places every row;
otherwise a panchayat in one block only is placed there, never guessed.

Every awkward file is written inline. Figures are checked through the named queries
(block_progress, district_summary, panchayat_progress) and worked out by hand in comments;
row numbers are the rows a person sees in the file (title rows count).
"""

from __future__ import annotations

import pytest
from conftest import bp, csv_bytes, ingest, note_codes, refusal_code, rejected, run, stored, summary

from samiksha import ingest as ingest_module
from samiksha import store

IND = "ayushman_cards"

PANCHAYAT_GAZ = csv_bytes([
    ["state_code", "state_name", "district_code", "district_name", "block_code", "block_name",
     "panchayat_code", "panchayat_name", "panchayat_name_hi"],
    ["10", "BIHAR", "188", "ARARIA", "1624", "ARARIA", "95001", "Rampur", "रामपुर"],
    ["10", "BIHAR", "188", "ARARIA", "1624", "ARARIA", "95002", "Basantpur", "बसंतपुर"],
    ["10", "BIHAR", "188", "ARARIA", "1624", "ARARIA", "95003", "Madhubani", "मधुबनी"],
    ["10", "BIHAR", "188", "ARARIA", "1625", "BHARGAMA", "95011", "Rampur", "रामपुर"],
    ["10", "BIHAR", "188", "ARARIA", "1625", "BHARGAMA", "95012", "Shankarpur", "शंकरपुर"],
    ["10", "BIHAR", "188", "ARARIA", "1625", "BHARGAMA", "95013", "Khajuri", "खजुरी"],
    ["10", "BIHAR", "188", "ARARIA", "1626", "FORBESGANJ", "95021", "Purbi Bhag", "पूर्वी भाग"],
])


@pytest.fixture
def panchayat_gaz(con):
    assert ingest(con, PANCHAYAT_GAZ, "lgd_araria_panchayats.csv", kind="gazetteer").status == "stored"


def _panchayats(con, as_of: str, block=None) -> dict:
    rows = run(con, "panchayat_progress", indicator=IND, as_of=as_of, block=block)
    return {(r["block"], r["panchayat"]): (r["target"], r["achieved"]) for r in rows}


BLOCK_IN_TITLE = {
    "hindi": "प्रखंड अररिया - आयुष्मान कार्ड पंचायतवार प्रतिवेदन दिनांक 31.05.2025",
    "english": "Block: Araria - Ayushman card panchayat-wise report dated 31.05.2025",
}


@pytest.mark.parametrize("title", BLOCK_IN_TITLE, ids=list(BLOCK_IN_TITLE))
def test_the_block_named_in_the_title_places_every_row(con, panchayat_gaz, title):
    data = csv_bytes([
        [BLOCK_IN_TITLE[title]],
        ["पंचायत", "लक्ष्य", "कुल उपलब्धि"],
        ["रामपुर", "1500", "600"],  # Rampur is in Araria and in Bhargama: the title says Araria
        ["बसंतपुर", "1200", "320"],
        ["मधुबनी", "1300", "330"],
        ["कुल", "4000", "1250"],
    ])
    result = stored(con, data)
    assert [n.params["block"] for n in result.staged.read_notes if n.code == "block_from_title"] == ["Araria"]
    assert rejected(con, result) == []
    assert result.staged.rows_accepted == 3
    assert ingest_module.unmatched_names(con) == []
    # 600 + 320 + 330 = 1250; 1500 + 1200 + 1300 = 4000.
    assert bp(con, "2025-05-31") == {"Araria": (4000, 1250)}
    assert _panchayats(con, "2025-05-31", "Araria") == {
        ("Araria", "Rampur"): (1500, 600), ("Araria", "Basantpur"): (1200, 320),
        ("Araria", "Madhubani"): (1300, 330)}
    assert _panchayats(con, "2025-05-31", "Bhargama") == {}
    assert summary(con, "2025-05-31")[:2] == (4000, 1250)


def test_a_panchayat_in_one_block_only_is_placed_there(con, panchayat_gaz):
    data = csv_bytes([
        ["Ayushman card panchayat-wise report 31.05.2025"],
        ["Panchayat", "Target", "Cumulative"],
        ["Rampur", "1500", "600"],  # in Araria and in Bhargama: not guessed
        ["Basantpur", "1200", "320"],  # Araria only
        ["Shankarpur", "1000", "280"],  # Bhargama only
    ])
    result = stored(con, data)
    assert rejected(con, result) == [("panchayat_without_block", 3, "Panchayat", "Rampur")]
    assert (result.staged.rows_accepted, result.staged.rows_rejected) == (2, 1)
    assert "block_from_title" not in note_codes(result)
    assert bp(con, "2025-05-31") == {"Araria": (1200, 320), "Bhargama": (1000, 280)}
    assert _panchayats(con, "2025-05-31") == {("Araria", "Basantpur"): (1200, 320),
                                              ("Bhargama", "Shankarpur"): (1000, 280)}
    assert summary(con, "2025-05-31")[:2] == (2200, 600)


def test_a_file_of_only_panchayats_in_several_blocks_is_refused(con, panchayat_gaz):
    data = csv_bytes([["Ayushman card panchayat-wise report 31.05.2025"], ["Panchayat", "Target", "Cumulative"],
                      ["Rampur", "1500", "600"]])
    assert refusal_code(con, data, "rampur.csv") == "no_rows_accepted"
    assert store.scalar(con, "SELECT count(*) FROM progress") == 0
