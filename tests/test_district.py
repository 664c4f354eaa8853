"""One store holding a state: every named query takes an optional district (code, English or
Hindi name), and a district's figures are its own blocks' only."""

from __future__ import annotations

import pytest
from conftest import IND, csv_bytes, run, stored

from samiksha import queries
from samiksha.errors import IntakeError

AS_OF = "2025-05-27"
HEADER = ["state_code", "state_name", "district_code", "district_name", "district_name_hi", "block_code",
          "block_name", "block_name_hi", "panchayat_code", "panchayat_name", "panchayat_name_hi"]
# district code -> (English, Hindi, {block code: (English, Hindi, [panchayats])}); the LGD list
# is in capitals, the store names them as people write them
STATE = {
    "230": ("Darbhanga", "दरभंगा", {"2001": ("Biraul", "बिरौल", ["Supaul", "Pokhram"]),
                                    "2002": ("Ghanshyampur", "घनश्यामपुर", ["Lohna"])}),
    "231": ("Muzaffarpur", "मुजफ्फरपुर", {"3001": ("Kanti", "कांटी", ["Damodarpur"]),
                                          "3002": ("Saraiya", "सरैया", ["Rewa"]),
                                          "3003": ("Paroo", "पारू", ["Chochahi"])}),
}


def gazetteer() -> bytes:
    rows, code = [HEADER], 500001
    for d_code, (d_name, d_hi, blocks) in STATE.items():
        for b_code, (b_name, b_hi, panchayats) in blocks.items():
            for p_name in panchayats:
                rows.append(["10", "BIHAR", d_code, d_name.upper(), d_hi, b_code, b_name.upper(), b_hi, str(code),
                             p_name, p_name])
                code += 1
    return csv_bytes(rows)


# block -> (target, achieved) on 27.05.2025; Darbhanga 1,000 + 500, Muzaffarpur 2,000 + 400 + 600
FIGURES = {"Biraul": (1000, 800), "Ghanshyampur": (500, 100),
           "Kanti": (2000, 1000), "Saraiya": (400, 380), "Paroo": (600, 60)}


def report(blocks=tuple(FIGURES), day="27.05.2025", title="Ayushman card block-wise progress") -> bytes:
    rows = [[f"{title} dated {day}"], ["Block", "Target", "Cumulative Achieved"]]
    rows += [[b, f"{FIGURES[b][0]:,}", f"{FIGURES[b][1]:,}"] for b in blocks]
    return csv_bytes(rows)


@pytest.fixture
def state(con):
    stored(con, gazetteer(), "bihar_lgd.csv", kind="gazetteer")
    stored(con, report(), "state_progress.csv", indicator=IND)
    return con


def blocks(con, **params) -> dict:
    return {r["block"]: (r["achieved"], r["rank"])
            for r in run(con, "block_progress", indicator=IND, as_of=AS_OF, **params)}


@pytest.mark.parametrize("district", ["231", "MUZAFFARPUR", " muzaffarpur ", "मुजफ्फरपुर"])
def test_a_district_by_code_or_name_has_its_own_blocks_ranked_among_themselves(state, district):
    assert blocks(state, district=district) == {"Saraiya": (380, 1), "Kanti": (1000, 2), "Paroo": (60, 3)}


def test_without_a_district_every_block_of_the_store(state):
    got = blocks(state)
    assert set(got) == set(FIGURES)
    assert got["Saraiya"][1] == 1 and got["Paroo"][1] == 5


def test_the_district_summary_adds_only_its_blocks(state):
    (darbhanga,) = run(state, "district_summary", indicator=IND, as_of=AS_OF, district="230")
    assert (darbhanga["target"], darbhanga["achieved"], darbhanga["pct"]) == (1500, 900, 60.0)
    (muzaffarpur,) = run(state, "district_summary", indicator=IND, as_of=AS_OF, district="231")
    assert (muzaffarpur["target"], muzaffarpur["achieved"]) == (3000, 1440)
    (whole,) = run(state, "district_summary", indicator=IND, as_of=AS_OF)
    assert (whole["target"], whole["achieved"]) == (4500, 2340)


def test_each_districts_own_target_row_stands_and_a_state_has_none(state):
    for code, target in (("230", "9,000"), ("231", "12,000")):
        names = [b[0] for b in STATE[code][2].values()]
        rows = [["Indicator", "Block", "Target", "Deadline"], ["ayushman_cards", "", target, "15.06.2025"]]
        rows += [["ayushman_cards", b, f"{FIGURES[b][0]:,}", "15.06.2025"] for b in names]
        stored(state, csv_bytes(rows), f"targets_{code}.csv", kind="targets")
    targets = {code: run(state, "district_summary", indicator=IND, as_of=AS_OF, district=code)[0]["target"]
               for code in ("230", "231")}
    # the second district's file does not replace the first's own row
    assert targets == {"230": 9000, "231": 12000}
    # the state has no target of its own: its blocks' targets add up
    assert run(state, "district_summary", indicator=IND, as_of=AS_OF)[0]["target"] == 4500


def test_panchayats_trend_and_channels_keep_to_the_district(state):
    stored(state, csv_bytes([["Panchayat-wise report dated 27.05.2025"], ["Block", "Panchayat", "Achieved"],
                             ["Biraul", "Supaul", "7"], ["Kanti", "Damodarpur", "11"]]), "panchayats.csv",
           indicator="insurance")
    got = run(state, "panchayat_progress", indicator="insurance", as_of=AS_OF, district="Darbhanga")
    assert [(r["block"], r["panchayat"], r["achieved"]) for r in got] == [("Biraul", "Supaul", 7)]
    trend = run(state, "progress_trend", indicator="insurance", as_of=AS_OF, district="231")
    assert [r["achieved"] for r in trend] == [11]


def test_reporting_status_lists_the_districts_blocks_only(state):
    stored(state, report(("Biraul", "Kanti"), day="28.05.2025"), "day2.csv", indicator=IND)
    got = {r["block"]: r["status"] for r in run(state, "reporting_status", indicator=IND,
                                                   report_date="2025-05-28", district="231")}
    assert set(got) == {"Kanti", "Saraiya", "Paroo"}
    assert got["Saraiya"] == got["Paroo"] == "missing"


def test_shgs_and_workers_keep_to_the_district(state):
    shgs = [["SHG register as on 27.05.2025"],
            ["SHG Code", "SHG Name", "Block", "Panchayat", "Last Meeting", "Status"],
            ["S1", "Laxmi", "Biraul", "Supaul", "01.01.2025", "Active"],
            ["S2", "Durga", "Kanti", "Damodarpur", "01.01.2025", "Active"],
            ["S3", "Sita", "Kanti", "Damodarpur", "20.05.2025", "Inactive"]]
    stored(state, csv_bytes(shgs), "shg.csv", kind="shg")
    got = run(state, "inactive_shgs", as_of=AS_OF, district="मुजफ्फरपुर")
    assert [(r["shg_code"], r["block"]) for r in got] == [("S2", "Kanti"), ("S3", "Kanti")]
    assert len(run(state, "inactive_shgs", as_of=AS_OF)) == 3
    roster = [["Worker roster as on 27.05.2025"], ["Worker ID", "Name", "Role", "Block", "Login ID Active"],
              ["W1", "Asha One", "ASHA", "Biraul", "Yes"], ["W2", "Asha Two", "ASHA", "Paroo", "Yes"],
              ["W3", "Asha Three", "ASHA", "Paroo", "No"]]
    stored(state, csv_bytes(roster), "roster.csv", kind="workers")
    got = run(state, "worker_status", as_of=AS_OF, district="231")
    assert [(r["block"], r["workers"], r["id_active"]) for r in got] == [("Paroo", 2, 1)]


def test_every_figure_query_takes_a_district(state):
    takes = {name for name in queries.names() if "district" in queries.load(name).optional}
    assert takes >= {"block_progress", "panchayat_progress", "district_summary", "inactive_shgs",
                     "stagnant_shgs", "reporting_status", "worker_status", "block_review", "district_review",
                     "progress_trend", "channel_share", "channel_progress", "reporting_grid", "shg_summary",
                     "shg_blocks", "shg_review", "shg_changes", "shg_places", "worker_review", "drive_days",
                     "data_source", "panchayat_review"}


def test_an_unknown_district_is_refused_naming_the_known_ones(state):
    with pytest.raises(IntakeError) as caught:
        queries.run(state, "block_progress", indicator=IND, as_of=AS_OF, district="Patna")
    assert caught.value.issue.code == "unknown_district"
    assert "Darbhanga (230)" in caught.value.issue.text() and "Muzaffarpur (231)" in caught.value.issue.text()
