"""The named queries (queries/*.sql) on small in-memory stores built from tiny inline reports."""

from __future__ import annotations

import datetime as dt
import math
import re

import pandas as pd
import pytest
from conftest import csv_bytes, ingest

from samiksha import queries, store
from samiksha.errors import IntakeError

IND = "ayushman_cards"


def report(day: str, header, *body) -> bytes:
    return csv_bytes([[f"Ayushman card report dated {day}"], list(header), *body])


def load(con, *files):
    for number, data in enumerate(files):
        result = ingest(con, data, f"file_{number}.csv")
        assert result.status == "stored", result.refusal and result.refusal.text()


def targets_file(*rows) -> bytes:
    return csv_bytes([["Indicator", "Block", "Target", "Deadline"], *rows])


def run(con, name, **params) -> list[dict]:
    frame = queries.run(con, name, **params)
    return [{k: (None if _missing(v) else v) for k, v in row.items()} for row in frame.to_dict("records")]


def _missing(value) -> bool:
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def by_block(rows) -> dict:
    return {row["block"]: row for row in rows}


# ---------------------------------------------------------------- block_progress


def test_block_progress_columns_pct_and_rank(con):
    load(con, report("27.05.2025", ["Block", "Target", "Today", "Achieved"],
                     ["Araria", "300", "10", "100"], ["Bhargama", "200", "20", "150"],
                     ["Jokihat", "", "3", "30"], ["Palasi", "3", "1", "1"], ["Sikti", "0", "0", "5"]))
    frame = queries.run(con, "block_progress", indicator=IND, as_of="2025-05-27")
    assert list(frame.columns)[:6] == ["block", "target", "achieved", "pct", "achieved_today", "rank"]  # the contract; more may follow
    rows = by_block(run(con, "block_progress", indicator=IND, as_of="2025-05-27"))
    assert rows["Araria"]["pct"] == 33.3  # round(100 / 300 * 100, 1)
    assert rows["Bhargama"]["pct"] == 75.0
    assert rows["Palasi"]["pct"] == 33.3
    assert rows["Jokihat"]["target"] is None and rows["Jokihat"]["pct"] is None
    assert rows["Sikti"]["pct"] is None  # a zero target gives no %
    assert rows["Bhargama"]["rank"] == 1
    assert [r["block"] for r in sorted(rows.values(), key=lambda r: r["rank"])][0] == "Bhargama"
    ranked = [r for r in rows.values() if r["pct"] is not None]
    unranked = [r for r in rows.values() if r["pct"] is None]
    assert max(r["rank"] for r in ranked) < min(r["rank"] for r in unranked)  # no target: last
    assert {r["block"]: r["achieved_today"] for r in rows.values()} == {
        "Araria": 10, "Bhargama": 20, "Jokihat": 3, "Palasi": 1, "Sikti": 0}


def test_pct_is_rounded_to_one_decimal(con):
    load(con, report("27.05.2025", ["Block", "Target", "Achieved"],
                     ["A", "3", "2"], ["B", "7", "1"], ["C", "1000", "1005"], ["D", "8", "1"]))
    rows = by_block(run(con, "block_progress", indicator=IND, as_of="2025-05-27"))
    expected = {"A": 66.7, "B": 14.3, "C": 100.5, "D": 12.5}
    for block, pct in expected.items():
        assert rows[block]["pct"] == pytest.approx(pct)
    assert [rows[b]["rank"] for b in "CAB"] == [1, 2, 3]


def test_a_block_that_did_not_report_keeps_its_last_figure(con):
    header = ["Block", "Target", "Today", "Achieved"]
    load(con,
         report("26.05.2025", header, ["Araria", "100", "10", "40"], ["Bhargama", "100", "5", "25"]),
         report("27.05.2025", header, ["Araria", "100", "12", "52"]))
    rows = by_block(run(con, "block_progress", indicator=IND, as_of="2025-05-27"))
    assert (rows["Bhargama"]["achieved"], rows["Bhargama"]["achieved_today"]) == (25, 0)
    assert (rows["Araria"]["achieved"], rows["Araria"]["achieved_today"]) == (52, 12)
    # As of the day before, the later report does not count yet.
    earlier = by_block(run(con, "block_progress", indicator=IND, as_of="2025-05-26"))
    assert earlier["Araria"]["achieved"] == 40


def test_cumulative_from_daily_only_reports(con):
    header = ["Block", "Today"]
    load(con,
         report("26.05.2025", header, ["Araria", "3"], ["Bhargama", "1"]),
         report("27.05.2025", header, ["Araria", "4"], ["Bhargama", "2"]),
         report("28.05.2025", header, ["Araria", "5"]))
    expected = {
        "2025-05-26": {"Araria": (3, 3), "Bhargama": (1, 1)},
        "2025-05-27": {"Araria": (7, 4), "Bhargama": (3, 2)},
        "2025-05-28": {"Araria": (12, 5), "Bhargama": (3, 0)},
        "2025-05-30": {"Araria": (12, 0), "Bhargama": (3, 0)},
    }
    for as_of, figures in expected.items():
        rows = run(con, "block_progress", indicator=IND, as_of=as_of)
        assert {r["block"]: (r["achieved"], r["achieved_today"]) for r in rows} == figures, as_of


def test_daily_from_cumulative_only_reports(con):
    header = ["Block", "Achieved"]
    load(con,
         report("26.05.2025", header, ["Araria", "30"], ["Bhargama", "10"]),
         report("27.05.2025", header, ["Araria", "34"], ["Bhargama", "12"]),
         report("29.05.2025", header, ["Araria", "39"], ["Bhargama", "20"]))
    expected = {
        "2025-05-27": {"Araria": (34, 4), "Bhargama": (12, 2)},
        "2025-05-28": {"Araria": (34, 0), "Bhargama": (12, 0)},
        "2025-05-29": {"Araria": (39, 5), "Bhargama": (20, 8)},  # the difference from the previous report
    }
    for as_of, figures in expected.items():
        rows = run(con, "block_progress", indicator=IND, as_of=as_of)
        assert {r["block"]: (r["achieved"], r["achieved_today"]) for r in rows} == figures, as_of


def test_block_rows_win_over_panchayat_sums(con):
    load(con,
         report("27.05.2025", ["Block", "Panchayat", "Target", "Achieved"],
                ["Araria", "Basaiti", "10", "5"], ["Araria", "Hayatpur", "10", "6"],
                ["Bhargama", "Sirsia", "10", "1"], ["Bhargama", "Manullahpatti", "10", "2"]),
         report("27.05.2025", ["Block", "Target", "Achieved"], ["Araria", "25", "20"]))
    rows = by_block(run(con, "block_progress", indicator=IND, as_of="2025-05-27"))
    assert (rows["Araria"]["target"], rows["Araria"]["achieved"]) == (25, 20)
    assert (rows["Bhargama"]["target"], rows["Bhargama"]["achieved"]) == (20, 3)


def test_the_targets_file_wins_over_targets_in_reports(con):
    load(con, report("27.05.2025", ["Block", "Target", "Achieved"], ["Araria", "100", "34"], ["Bhargama", "100", "12"]))
    result = ingest(con, targets_file(["Ayushman card", "Araria", "200", "31.05.2025"]), "targets.csv", kind="targets")
    assert result.status == "stored"
    rows = by_block(run(con, "block_progress", indicator=IND, as_of="2025-05-27"))
    assert (rows["Araria"]["target"], rows["Araria"]["pct"]) == (200, 17.0)
    assert (rows["Bhargama"]["target"], rows["Bhargama"]["pct"]) == (100, 12.0)


def test_a_block_with_a_target_but_no_report_is_listed(con):
    load(con, report("27.05.2025", ["Block", "Target", "Achieved"], ["Araria", "100", "34"]))
    ingest(con, targets_file(["Ayushman card", "Araria", "200", "31.05.2025"],
                             ["Ayushman card", "Sikti", "100", "31.05.2025"]), "targets.csv", kind="targets")
    rows = by_block(run(con, "block_progress", indicator=IND, as_of="2025-05-27"))
    assert (rows["Sikti"]["target"], rows["Sikti"]["achieved"], rows["Sikti"]["pct"]) == (100, 0, 0.0)


def test_values_are_bound_not_pasted(con):
    load(con, report("27.05.2025", ["Block", "Panchayat", "Target", "Achieved"],
                     ["O'Brien Ganj", "D'Souza Tola", "10", "4"], ["Araria", "Basaiti", "10", "5"]))
    rows = run(con, "block_progress", indicator=IND, as_of="2025-05-27")
    assert "O'Brien Ganj" in {r["block"] for r in rows}
    rows = run(con, "panchayat_progress", indicator=IND, as_of="2025-05-27", block="O'Brien Ganj")
    assert [(r["block"], r["panchayat"], r["achieved"]) for r in rows] == [("O'Brien Ganj", "D'Souza Tola", 4)]
    assert run(con, "block_progress", indicator="x'; DROP TABLE uploads; --", as_of="2025-05-27") == []
    assert store.scalar(con, "SELECT count(*) FROM uploads") == 1


# ---------------------------------------------------------------- district_summary


def _summary(con, as_of):
    rows = run(con, "district_summary", indicator=IND, as_of=as_of)
    assert len(rows) == 1
    return rows[0]


def test_district_summary_columns_and_required_per_day(con):
    load(con,
         report("26.05.2025", ["Block", "Target", "Achieved"], ["Araria", "100", "30"], ["Bhargama", "100", "10"]),
         report("27.05.2025", ["Block", "Target", "Achieved"], ["Araria", "100", "34"], ["Bhargama", "100", "12"]),
         report("28.05.2025", ["Block", "Target", "Achieved"], ["Araria", "100", "39"]))
    frame = queries.run(con, "district_summary", indicator=IND, as_of="2025-05-27")
    assert list(frame.columns) == ["target", "achieved", "pct", "achieved_today", "deadline", "required_per_day"]
    no_deadline = _summary(con, "2025-05-27")
    assert (no_deadline["target"], no_deadline["achieved"], no_deadline["pct"]) == (200, 46, 23.0)
    assert no_deadline["achieved_today"] == 6
    assert no_deadline["deadline"] is None and no_deadline["required_per_day"] is None

    ingest(con, targets_file(["Ayushman card", "Araria", "200", "31.05.2025"],
                             ["Ayushman card", "Bhargama", "50", "31.05.2025"]), "targets.csv", kind="targets")
    summary = _summary(con, "2025-05-28")
    assert (summary["target"], summary["achieved"], summary["achieved_today"]) == (250, 51, 5)
    assert pd.Timestamp(summary["deadline"]).date() == dt.date(2025, 5, 31)
    assert summary["required_per_day"] == math.ceil((250 - 51) / 3)  # 3 days from the 28th to the 31st
    assert _summary(con, "2025-05-27")["required_per_day"] == math.ceil((250 - 46) / 4)


def test_required_per_day_is_zero_once_the_target_is_reached(con):
    load(con, report("27.05.2025", ["Block", "Achieved"], ["Araria", "250"]))
    ingest(con, targets_file(["Ayushman card", "Araria", "200", "31.05.2025"]), "targets.csv", kind="targets")
    summary = _summary(con, "2025-05-27")
    assert (summary["target"], summary["achieved"], summary["pct"]) == (200, 250, 125.0)
    assert summary["required_per_day"] == 0


def test_district_summary_on_an_empty_store(con):
    summary = _summary(con, "2025-05-27")
    assert summary["achieved"] == 0 and summary["target"] is None and summary["required_per_day"] is None


# ---------------------------------------------------------------- panchayat_progress


def test_panchayat_progress_with_and_without_block(con):
    load(con, report("27.05.2025", ["Block", "Panchayat", "Target", "Achieved"],
                     ["Araria", "Basaiti", "10", "5"], ["Araria", "Hayatpur", "10", "6"],
                     ["Bhargama", "Sirsia", "4", "1"], ["Bhargama", "Manullahpatti", "", "2"]))
    frame = queries.run(con, "panchayat_progress", indicator=IND, as_of="2025-05-27")
    assert list(frame.columns) == ["block", "panchayat", "target", "achieved", "pct"]
    everyone = run(con, "panchayat_progress", indicator=IND, as_of="2025-05-27")
    assert {(r["block"], r["panchayat"]): (r["target"], r["achieved"], r["pct"]) for r in everyone} == {
        ("Araria", "Basaiti"): (10, 5, 50.0), ("Araria", "Hayatpur"): (10, 6, 60.0),
        ("Bhargama", "Sirsia"): (4, 1, 25.0), ("Bhargama", "Manullahpatti"): (None, 2, None)}
    one = run(con, "panchayat_progress", indicator=IND, as_of="2025-05-27", block="Bhargama")
    assert {r["block"] for r in one} == {"Bhargama"} and len(one) == 2
    assert run(con, "panchayat_progress", indicator=IND, as_of="2025-05-27", block="Nowhere") == []


# ---------------------------------------------------------------- every named query

PLAUSIBLE = {"indicator": IND, "as_of": "2025-05-27", "report_date": "2025-05-27", "block": "Araria"}


def test_there_are_named_queries():
    assert {"block_progress", "district_summary", "panchayat_progress"} <= set(queries.names())


@pytest.mark.parametrize("name", queries.names())
def test_every_named_query_is_documented_and_runs_on_an_empty_store(con, name):
    text = (queries.QUERY_DIR / f"{name}.sql").read_text(encoding="utf-8")
    assert re.findall(r"^-- name:\s*(\S+)\s*$", text, re.MULTILINE) == [name]
    query = queries.load(name)
    assert len(query.doc) > 20, "a comment saying what the query answers"
    assert query.params, "parameters are bound ($name), never pasted"
    params = {param: PLAUSIBLE.get(param, "") for param in query.params}
    columns, rows = queries.run_rows(con, name, **params)
    assert columns and rows is not None


def test_unknown_query_and_parameter_are_refused(con):
    with pytest.raises(IntakeError) as caught:
        queries.run(con, "no_such_query")
    assert caught.value.issue.code == "no_such_query"
    with pytest.raises(IntakeError) as caught:
        queries.run(con, "block_progress", indicator=IND, as_of="2025-05-27", region="x")
    assert caught.value.issue.code == "unknown_query_param"
    with pytest.raises(IntakeError) as caught:
        queries.run(con, "block_progress", indicator=IND, as_of="2025-05-27", district="Nowhere")
    assert caught.value.issue.code == "unknown_district"
    with pytest.raises(IntakeError) as caught:
        queries.run(con, "block_progress", indicator=IND, as_of="31.02.2025")
    assert caught.value.issue.code == "bad_query_date"


def test_date_parameters_take_the_forms_people_type(con):
    load(con, report("27.05.2025", ["Block", "Achieved"], ["Araria", "5"]))
    for as_of in ("2025-05-27", "27.05.2025", "27-05-2025", dt.date(2025, 5, 27)):
        assert run(con, "block_progress", indicator=IND, as_of=as_of)[0]["achieved"] == 5
