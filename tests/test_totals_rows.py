"""Totals rows in a report: a grand total under any label, a block's subtotal, set aside and checked,
never stored.

Every awkward file is written inline. Figures are checked through the named queries
(block_progress, district_summary, panchayat_progress) and worked out by hand in comments;
row numbers are the rows a person sees in the file (title rows count).
"""

from __future__ import annotations

import pytest
from conftest import bp, csv_bytes, issues, run, stored, summary

from samiksha import store
from samiksha.errors import WARNING

IND = "ayushman_cards"

TOTAL_LABELS = ["TOTAL =", "Total :-", "कुल:-", "योग -", "कुल योग=", "G.Total", "Total (A)", "TOTAL.", "टोटल",
                "Total Blocks", "Total (9 Blocks)", "Grand-Total", "कुल प्रखंड"]


# ---------------------------------------------------------------- totals with odd labels


@pytest.mark.parametrize("label", TOTAL_LABELS)
def test_a_totals_row_with_an_odd_label_is_set_aside_not_stored(con, label):
    data = csv_bytes([
        ["आयुष्मान कार्ड दिनांक 26.05.2025"],
        ["प्रखंड", "लक्ष्य", "कुल उपलब्धि"],
        ["Araria", "1,000", "100"],
        ["Bhargama", "2,000", "200"],
        [label, "3,000", "300"],
    ])
    result = stored(con, data)
    assert [(t["row"], t["label"]) for t in result.staged.totals] == [(5, label)]
    assert result.staged.rows_accepted == 2
    assert store.scalar(con, "SELECT count(*) FROM progress WHERE upload_id = ?", [result.upload_id]) == 2
    assert "totals_mismatch" not in [i.code for i in issues(con, result)]
    assert bp(con, "2025-05-26") == {"Araria": (1000, 100), "Bhargama": (2000, 200)}
    # The district is the sum of the real blocks only: 1000 + 2000 and 100 + 200.
    assert summary(con, "2025-05-26")[:2] == (3000, 300)


# ---------------------------------------------------------------- a block's subtotal

SUBTOTAL_IN = {
    # "Total Araria" in the block column (the block's own subtotal, label first).
    "block-column": lambda block: [f"Total {block}", ""],
    # "Total Araria" in the panchayat column under the block's name.
    "panchayat-column": lambda block: [block, f"Total {block}"],
}


def _subtotal_report(subtotal, araria_total="30") -> bytes:
    return csv_bytes([
        ["Ayushman card 27.05.2025"],
        ["Block", "Panchayat", "Target", "Cumulative"],
        ["Araria", "P1", "100", "10"],
        ["Araria", "P2", "200", "20"],
        [*subtotal("Araria"), "300", araria_total],
        ["Palasi", "Q1", "400", "40"],
        [*subtotal("Palasi"), "400", "40"],
        ["Grand Total", "", "700", "70"],
    ])


@pytest.mark.parametrize("layout", SUBTOTAL_IN, ids=list(SUBTOTAL_IN))
def test_a_total_before_a_block_name_is_that_blocks_subtotal(con, layout):
    result = stored(con, _subtotal_report(SUBTOTAL_IN[layout]))
    assert [t["row"] for t in result.staged.totals] == [5, 7, 8]
    assert "totals_mismatch" not in [i.code for i in issues(con, result)]
    assert bp(con, "2025-05-27") == {"Araria": (300, 30), "Palasi": (400, 40)}
    assert summary(con, "2025-05-27")[:2] == (700, 70)
    panchayats = run(con, "panchayat_progress", indicator=IND, as_of="2025-05-27")
    assert {(r["block"], r["panchayat"]): r["achieved"] for r in panchayats} == {
        ("Araria", "P1"): 10, ("Araria", "P2"): 20, ("Palasi", "Q1"): 40}


@pytest.mark.parametrize("layout", SUBTOTAL_IN, ids=list(SUBTOTAL_IN))
def test_a_wrong_block_subtotal_is_checked_against_that_block_alone(con, layout):
    result = stored(con, _subtotal_report(SUBTOTAL_IN[layout], araria_total="35"))
    wrong = {(i.row, i.column, i.params["stated"], i.params["added"])
             for i in issues(con, result, WARNING) if i.code == "totals_mismatch"}
    # Araria's rows add up to 10 + 20 = 30 (not the whole file's 70); Palasi's and the grand total agree.
    assert wrong == {(5, "Cumulative", 35, 30)}
    assert bp(con, "2025-05-27") == {"Araria": (300, 30), "Palasi": (400, 40)}
