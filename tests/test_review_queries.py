"""The review queries (block_review, district_review, panchayat_review, progress_trend, channel_*,
drive_days, data_source) and the contract queries built on the same SQL macros, on small
hand-made stores and on the demo district."""

from __future__ import annotations

import datetime as dt
import math
from fractions import Fraction

import pytest
from conftest import csv_bytes, gazetteer_bytes, ingest, run

from samiksha import demo, queries, settings, store
from samiksha import ingest as ingest_module

IND = "ayushman_cards"
D = dt.date

BLOCK_PROGRESS = ["block", "target", "achieved", "pct", "achieved_today", "rank"]
DISTRICT_SUMMARY = ["target", "achieved", "pct", "achieved_today", "deadline", "required_per_day"]
PANCHAYAT_PROGRESS = ["block", "panchayat", "target", "achieved", "pct"]


def report(day: str, header, *body, title: str = "Ayushman card report dated") -> bytes:
    return csv_bytes([[f"{title} {day}"], list(header), *body])


def stored(con, data: bytes, name: str = "report.csv", **options):
    result = ingest(con, data, name, **options)
    assert result.status == "stored", result.refusal and result.refusal.text()
    return result


def load(con, *files):
    for number, data in enumerate(files):
        stored(con, data, f"file_{number}.csv")


def targets_file(*rows) -> bytes:
    return csv_bytes([["Indicator", "Block", "Target", "Deadline"], *rows])


def district(con, as_of, name: str = "district_review", indicator: str = IND) -> dict:
    rows = run(con, name, indicator=indicator, as_of=as_of)
    assert len(rows) == 1
    return rows[0]


def blocks(con, as_of, name: str = "block_review", indicator: str = IND) -> dict:
    return {row["block"]: row for row in run(con, name, indicator=indicator, as_of=as_of)}


def columns(con, name: str, **params) -> list[str]:
    return list(queries.run(con, name, **params).columns)


def required(gap: int, as_of: dt.date, deadline: dt.date) -> int:
    return math.ceil(Fraction(gap, (deadline - as_of).days))


def projected(as_of: dt.date, gap: int, pace: Fraction) -> dt.date:
    return as_of + dt.timedelta(days=math.ceil(gap / pace))


# ---------------------------------------------------------------- the demo district


# The demo district is loaded once per run (conftest `demo_store`, a copy of it): one test runs
# every check on it.


def test_the_demo_district_is_internally_consistent(demo_store):
    con = store.open_store(str(demo_store))
    try:
        dates = sorted(queries.report_dates(con, IND))
        chosen = [dates[0], dates[len(dates) // 2], dates[-1]]
        _demo_blocks_add_up_to_the_district(con, chosen)
        _demo_trend_matches_the_summaries(con, chosen)
        _demo_pace_projection_and_requirement_by_hand(con, chosen[-1])
        _demo_channels_panchayats_and_drive_add_up(con, chosen[-1])
    finally:
        con.close()


def _demo_blocks_add_up_to_the_district(demo_store, demo_dates):
    for as_of in demo_dates:
        rows = run(demo_store, "block_review", indicator=IND, as_of=as_of)
        summary = district(demo_store, as_of)
        assert sum(r["achieved"] for r in rows) == summary["achieved"], as_of
        assert sum(r["achieved_today"] for r in rows) == summary["achieved_today"], as_of
        assert sum(r["target"] for r in rows) == summary["target"], as_of
        assert sorted(r["rank"] for r in rows) == list(range(1, len(rows) + 1)), as_of
        ranked = sorted(rows, key=lambda r: r["rank"])
        assert [r["pct"] for r in ranked] == sorted((r["pct"] for r in rows), reverse=True)
        assert summary["pct"] == round(summary["achieved"] * 100 / summary["target"], 1)
        limits = settings.thresholds(demo_store)
        assert all(r["status"] == limits.status(r["pct"]) for r in rows)
        assert all(r["gap"] == max(r["target"] - r["achieved"], 0) for r in rows)


def _demo_trend_matches_the_summaries(demo_store, demo_dates):
    as_of = demo_dates[-1]
    rows = trend(demo_store, as_of)
    assert rows[-1]["report_date"] == as_of
    assert rows[-1]["achieved"] == district(demo_store, as_of, "district_summary")["achieved"]
    by_date = {r["report_date"]: r["achieved"] for r in rows}
    for day in demo_dates[:-1]:
        assert by_date[day] == district(demo_store, day, "district_summary")["achieved"], day
    assert [r["achieved"] for r in rows] == sorted(r["achieved"] for r in rows)  # cumulative never falls
    for block, row in list(blocks(demo_store, as_of, "block_progress").items())[:3]:
        assert trend(demo_store, as_of, block=block)[-1]["achieved"] == row["achieved"], block


def _demo_pace_projection_and_requirement_by_hand(demo_store, as_of):
    summary = district(demo_store, as_of)
    by_date = {r["report_date"]: r["achieved"] for r in trend(demo_store, as_of)}
    start = max(as_of - dt.timedelta(days=7), min(by_date))
    pace = Fraction(summary["achieved"] - by_date[max(d for d in by_date if d <= start)], (as_of - start).days)
    assert summary["pace_per_day"] == pytest.approx(float(pace), abs=0.051)
    assert summary["gap"] == summary["target"] - summary["achieved"] > 0
    assert summary["projected_finish"] == projected(as_of, summary["gap"], pace)
    assert summary["required_per_day"] == required(summary["gap"], as_of, summary["deadline"])
    previous = max(d for d in by_date if d < as_of)
    assert summary["previous_date"] == previous
    assert summary["achieved_previous"] == district(demo_store, previous, "district_summary")["achieved_today"]


def _demo_channels_panchayats_and_drive_add_up(demo_store, as_of):
    achieved = district(demo_store, as_of, "district_summary")["achieved"]
    shares = run(demo_store, "channel_share", indicator=IND, as_of=as_of)
    assert sum(r["achieved"] for r in shares) == achieved
    assert sum(r["share_pct"] for r in shares) == pytest.approx(100, abs=0.3)
    per_block = run(demo_store, "channel_progress", indicator=IND, as_of=as_of)
    block_rows = blocks(demo_store, as_of, "block_progress")
    for block, row in block_rows.items():
        mine = [r for r in per_block if r["block"] == block]
        assert sum(r["achieved"] for r in mine) == row["achieved"], block
        assert sum(r["share_pct"] for r in mine) == pytest.approx(100, abs=0.3), block
    panchayats = run(demo_store, "panchayat_review", indicator=IND, as_of=as_of)
    assert sum(r["achieved"] for r in panchayats) == achieved
    assert all(r["below_minimum"] == (r["achieved"] < 500) for r in panchayats)
    plan = settings.drive(demo_store)
    days = drive(demo_store, plan.start, plan.end)
    assert len(days) == len(block_rows) * plan.days
    listed = {row["block"]: row["n"] for row in store.records(
        demo_store, "SELECT pc.block, count(DISTINCT p.code) AS n FROM progress_current pc "
                    "JOIN places_current p ON p.level = 'panchayat' AND p.parent_code = pc.block_code "
                    "WHERE pc.indicator = ? GROUP BY pc.block", [IND])}
    assert set(listed) == set(block_rows)  # every demo block is in its gazetteer
    for block in block_rows:
        mine = [r for r in days if r["block"] == block]
        assert {r["drive_achieved"] for r in mine} == {sum(r["achieved_day"] for r in mine)}
        assert {r["drive_target"] for r in mine} == {500 * mine[0]["panchayats"]}
        assert mine[0]["panchayats"] == listed[block], block


# ---------------------------------------------------------------- a varied store for the contract


@pytest.fixture
def varied(con):
    """Two days of reports: blocks with and without targets, panchayats, a block that skips a day."""
    load(con,
         report("26.05.2025", ["Block", "Panchayat", "Target", "Today", "Achieved"],
                ["Araria", "Basaiti", "100", "10", "40"], ["Araria", "Hayatpur", "100", "5", "25"],
                ["Bhargama", "Sirsia", "50", "2", "20"], ["Jokihat", "Kamalpur", "", "1", "7"]),
         report("27.05.2025", ["Block", "Panchayat", "Target", "Today", "Achieved"],
                ["Araria", "Basaiti", "100", "12", "52"], ["Araria", "Hayatpur", "100", "9", "34"],
                ["Jokihat", "Kamalpur", "", "3", "10"]))
    stored(con, targets_file(["Ayushman card", "Araria", "250", "10.06.2025"],
                             ["Ayushman card", "", "500", "31.05.2025"]), "targets.csv", kind="targets")
    return con


def test_contract_queries_have_exactly_their_columns(varied):
    assert columns(varied, "block_progress", indicator=IND, as_of="2025-05-27") == BLOCK_PROGRESS
    assert columns(varied, "district_summary", indicator=IND, as_of="2025-05-27") == DISTRICT_SUMMARY
    assert columns(varied, "panchayat_progress", indicator=IND, as_of="2025-05-27") == PANCHAYAT_PROGRESS
    assert columns(varied, "panchayat_progress", indicator=IND, as_of="2025-05-27", block="Araria") \
        == PANCHAYAT_PROGRESS


def test_contract_columns_on_an_empty_store(con):
    assert columns(con, "block_progress", indicator=IND, as_of="2025-05-27") == BLOCK_PROGRESS
    assert columns(con, "district_summary", indicator=IND, as_of="2025-05-27") == DISTRICT_SUMMARY
    assert columns(con, "panchayat_progress", indicator=IND, as_of="2025-05-27") == PANCHAYAT_PROGRESS


@pytest.mark.parametrize("as_of", ["2025-05-26", "2025-05-27", "2025-05-29"])
def test_review_queries_start_with_the_contract_columns_and_agree(varied, as_of):
    pairs = [("block_progress", "block_review", {}), ("district_summary", "district_review", {}),
             ("panchayat_progress", "panchayat_review", {}),
             ("panchayat_progress", "panchayat_review", {"block": "Araria"})]
    for contract, review, extra in pairs:
        contract_columns = columns(varied, contract, indicator=IND, as_of=as_of, **extra)
        review_columns = columns(varied, review, indicator=IND, as_of=as_of, **extra)
        assert review_columns[:len(contract_columns)] == contract_columns, review
        assert len(review_columns) > len(contract_columns), review
        contract_rows = run(varied, contract, indicator=IND, as_of=as_of, **extra)
        review_rows = [{c: row[c] for c in contract_columns}
                       for row in run(varied, review, indicator=IND, as_of=as_of, **extra)]
        assert review_rows == contract_rows, (review, as_of)
        assert contract_rows, (contract, as_of)


def test_varied_store_figures(varied):
    rows = blocks(varied, "2025-05-27")
    # Araria: its own target (targets file, 250) and deadline; panchayats add up to 86.
    assert {k: rows["Araria"][k] for k in ("target", "achieved", "pct", "achieved_today", "gap", "deadline")} == {
        "target": 250, "achieved": 86, "pct": 34.4, "achieved_today": 21, "gap": 164, "deadline": D(2025, 6, 10)}
    assert rows["Araria"]["required_per_day"] == required(164, D(2025, 5, 27), D(2025, 6, 10))
    # Bhargama did not report on the 27th: keeps 20, added 0; the district's deadline.
    assert (rows["Bhargama"]["achieved"], rows["Bhargama"]["achieved_today"]) == (20, 0)
    assert rows["Bhargama"]["last_report"] == D(2025, 5, 26)
    assert rows["Bhargama"]["deadline"] == D(2025, 5, 31)
    assert rows["Bhargama"]["required_per_day"] == required(30, D(2025, 5, 27), D(2025, 5, 31))
    # Jokihat has no target: no %, no gap, no status, ranked last.
    assert (rows["Jokihat"]["pct"], rows["Jokihat"]["gap"], rows["Jokihat"]["status"],
            rows["Jokihat"]["required_per_day"]) == (None, None, None, None)
    assert [rows[b]["rank"] for b in ("Bhargama", "Araria", "Jokihat")] == [1, 2, 3]
    summary = district(varied, "2025-05-27")
    assert (summary["target"], summary["achieved"], summary["achieved_today"]) == (500, 116, 24)
    assert summary["deadline"] == D(2025, 5, 31)
    assert summary["required_per_day"] == required(500 - 116, D(2025, 5, 27), D(2025, 5, 31))


# ---------------------------------------------------------------- run rate and projection

# District cumulative by report date in the ten-day store (block B does not report on the
# 6th and keeps 20; there are no reports on the 4th and 7th).
TEN_DAYS = {1: (10, 5), 2: (20, 9), 3: (30, 12), 5: (50, 20), 6: (60, None), 8: (80, 30), 9: (95, 33),
            10: (100, 40)}
TARGET = 1500  # 1000 + 500


def district_on(day: int) -> int:
    """The district's cumulative on a calendar day of May, each block keeping its last figure."""
    last = {"A": 0, "B": 0}
    for report_day, (a, b) in sorted(TEN_DAYS.items()):
        if report_day > day:
            break
        last["A"] = a
        if b is not None:
            last["B"] = b
    return last["A"] + last["B"]


def expected_pace(as_of_day: int) -> Fraction | None:
    """Cards a day over the last 7 calendar days, or since the first report when shorter."""
    start = max(as_of_day - 7, min(TEN_DAYS))
    if start >= as_of_day:
        return None
    return Fraction(district_on(as_of_day) - district_on(start), as_of_day - start)


def _ten_days_store(deadline: str | None = None):
    con = store.open_store(store.MEMORY)
    for day, (a, b) in TEN_DAYS.items():
        rows = [["A", "1000", str(a)]]
        if b is not None:
            rows.append(["B", "500", str(b)])
        stored(con, report(f"{day:02d}.05.2025", ["Block", "Target", "Achieved"], *rows), f"day_{day}.csv")
    if deadline:
        stored(con, targets_file(["Ayushman card", "", str(TARGET), deadline]), "targets.csv", kind="targets")
    return con


@pytest.fixture(scope="module")
def ten_days():
    """Read-only for the tests that use it (shared by the module)."""
    con = _ten_days_store()
    yield con
    con.close()


@pytest.fixture(scope="module")
def ten_days_deadline():
    """The ten-day store with a targets file: the district's 1500 by 31.05.2025 (read-only)."""
    con = _ten_days_store("31.05.2025")
    yield con
    con.close()


@pytest.mark.parametrize("day", [2, 3, 6, 7, 9, 10, 12])
def test_pace_and_projected_finish_without_a_deadline(ten_days, day):
    as_of = D(2025, 5, day)
    summary = district(ten_days, as_of)
    achieved = district_on(day)
    assert summary["achieved"] == achieved
    assert summary["gap"] == TARGET - achieved
    pace = expected_pace(day)
    assert summary["pace_per_day"] == pytest.approx(float(pace), abs=0.051)
    assert summary["projected_finish"] == projected(as_of, TARGET - achieved, pace)
    assert summary["deadline"] is None and summary["required_per_day"] is None  # no deadline: no need per day
    assert summary["first_date"] == D(2025, 5, 1)


def test_pace_by_hand_on_three_dates(ten_days):
    # 12th: the last 7 days are the 5th to the 12th: (140 - 70) / 7 = 10 a day; gap 1360 -> 136 days.
    summary = district(ten_days, "2025-05-12")
    assert (summary["achieved"], summary["pace_per_day"]) == (140, 10)
    assert summary["projected_finish"] == D(2025, 5, 12) + dt.timedelta(days=136)
    # 7th: the first report (1st) is nearer than 7 days back: (80 - 15) / 6 = 10.83.
    summary = district(ten_days, "2025-05-07")
    assert (summary["achieved"], summary["pace_per_day"]) == (80, 10.8)
    assert summary["projected_finish"] == D(2025, 5, 7) + dt.timedelta(days=math.ceil(1420 * 6 / 65))
    # 10th: from the 3rd (42) to the 10th (140): 14 a day.
    assert district(ten_days, "2025-05-10")["pace_per_day"] == 14


def test_first_report_day_has_no_pace_and_no_previous(ten_days):
    summary = district(ten_days, "2025-05-01")
    assert summary["achieved"] == 15
    assert summary["pace_per_day"] is None and summary["projected_finish"] is None
    assert summary["previous_date"] is None and summary["achieved_previous"] is None
    assert summary["change_from_previous"] is None


@pytest.mark.parametrize("as_of", ["2025-04-20", "2025-04-30"])
def test_before_the_first_report_there_is_nothing_to_project(ten_days, as_of):
    summary = district(ten_days, as_of)
    assert (summary["achieved"], summary["achieved_today"], summary["target"]) == (0, 0, None)
    assert (summary["pace_per_day"], summary["projected_finish"], summary["previous_date"],
            summary["first_date"], summary["status"]) == (None, None, None, None, None)
    assert trend(ten_days, as_of) == []


def test_district_review_on_an_empty_store(con):
    summary = district(con, "2025-05-27")
    assert {k: v for k, v in summary.items() if v is not None} == {"achieved": 0, "achieved_today": 0}


@pytest.mark.parametrize("day", [3, 8, 12, 30])
def test_required_per_day_and_projection_against_a_deadline(ten_days_deadline, day):
    as_of = D(2025, 5, day)
    summary = district(ten_days_deadline, as_of)
    gap = TARGET - district_on(day)
    assert summary["deadline"] == D(2025, 5, 31)
    assert summary["required_per_day"] == required(gap, as_of, D(2025, 5, 31))
    pace = expected_pace(day)
    if pace:
        assert summary["projected_finish"] == projected(as_of, gap, pace)
    else:  # the 30th: nothing reported in the last 7 days
        assert summary["pace_per_day"] == 0 and summary["projected_finish"] is None


def test_target_already_met(con):
    load(con,
         report("26.05.2025", ["Block", "Target", "Achieved"], ["Araria", "100", "90"], ["Palasi", "50", "45"]),
         report("27.05.2025", ["Block", "Target", "Achieved"], ["Araria", "100", "120"], ["Palasi", "50", "60"]))
    stored(con, targets_file(["Ayushman card", "", "150", "31.05.2025"]), "targets.csv", kind="targets")
    summary = district(con, "2025-05-27")
    assert (summary["target"], summary["achieved"], summary["pct"]) == (150, 180, 120.0)
    assert summary["required_per_day"] == 0
    assert summary["gap"] == 0
    assert summary["projected_finish"] is None  # reached: nothing to project
    assert summary["pace_per_day"] == 45  # (180 - 135) / 1
    assert summary["status"] == "green"
    rows = blocks(con, "2025-05-27")
    assert {b: (r["gap"], r["required_per_day"]) for b, r in rows.items()} == {"Araria": (0, 0), "Palasi": (0, 0)}


def test_deadline_passed(con):
    load(con, *(report(f"{day:02d}.05.2025", ["Block", "Target", "Achieved"], ["Araria", "1000", str(100 * day)])
                for day in range(1, 9)))
    stored(con, targets_file(["Ayushman card", "", "1000", "05.05.2025"]), "targets.csv", kind="targets")
    summary = district(con, "2025-05-08")
    assert summary["deadline"] == D(2025, 5, 5)
    assert summary["required_per_day"] is None  # nothing left to spread over
    assert summary["pace_per_day"] == 100  # (800 - 100) / 7
    assert summary["projected_finish"] == D(2025, 5, 10)  # ceil(200 / 100) = 2 days on
    assert blocks(con, "2025-05-08")["Araria"]["required_per_day"] is None
    # On the deadline itself no day is left after it either.
    assert district(con, "2025-05-05")["required_per_day"] is None
    # The day before: 600 to go in one day.
    assert district(con, "2025-05-04")["required_per_day"] == 600
    # Reached after the deadline: 0, not empty.
    stored(con, report("09.05.2025", ["Block", "Target", "Achieved"], ["Araria", "1000", "1001"]), "late.csv")
    late = district(con, "2025-05-09")
    assert (late["required_per_day"], late["projected_finish"], late["gap"]) == (0, None, 0)


def test_zero_pace_gives_no_projected_finish(con):
    load(con,
         report("01.05.2025", ["Block", "Target", "Achieved"], ["Araria", "1000", "300"]),
         report("02.05.2025", ["Block", "Target", "Achieved"], ["Araria", "1000", "400"]),
         report("09.05.2025", ["Block", "Target", "Achieved"], ["Araria", "1000", "400"]),
         report("10.05.2025", ["Block", "Target", "Achieved"], ["Araria", "1000", "400"]))
    stored(con, targets_file(["Ayushman card", "", "1000", "31.05.2025"]), "targets.csv", kind="targets")
    summary = district(con, "2025-05-10")
    assert summary["pace_per_day"] == 0  # 400 on the 3rd (kept from the 2nd) and on the 10th
    assert summary["projected_finish"] is None
    assert summary["required_per_day"] == required(600, D(2025, 5, 10), D(2025, 5, 31))
    # On the 9th the window starts on the 2nd: still 0.
    assert district(con, "2025-05-09")["projected_finish"] is None
    # On the 8th the window reaches back to the 1st (300): 100 in 7 days.
    eighth = district(con, "2025-05-08")
    assert eighth["pace_per_day"] == pytest.approx(100 / 7, abs=0.051)
    assert eighth["projected_finish"] == projected(D(2025, 5, 8), 600, Fraction(100, 7))


# ---------------------------------------------------------------- previous day


@pytest.fixture
def daily_reports(con):
    header = ["Block", "Today", "Achieved"]
    load(con,
         report("01.05.2025", header, ["A", "5", "5"], ["B", "3", "3"]),
         report("02.05.2025", header, ["A", "7", "12"], ["B", "4", "7"]),
         report("04.05.2025", header, ["A", "9", "21"]))  # no reports on the 3rd; B skips the 4th
    return con


@pytest.mark.parametrize("as_of, today, previous, previous_today", [
    ("2025-05-02", 11, D(2025, 5, 1), 8),
    ("2025-05-03", 0, D(2025, 5, 2), 11),   # a day with no reports: nothing added
    ("2025-05-04", 9, D(2025, 5, 2), 11),   # the 3rd is missing: the last earlier report date
    ("2025-05-06", 0, D(2025, 5, 4), 9),
])
def test_change_from_the_previous_report_date(daily_reports, as_of, today, previous, previous_today):
    summary = district(daily_reports, as_of)
    assert summary["achieved_today"] == today
    assert summary["previous_date"] == previous
    assert summary["achieved_previous"] == previous_today
    assert summary["change_from_previous"] == today - previous_today
    # The previous day's addition is what district_summary said on that day.
    assert district(daily_reports, previous, "district_summary")["achieved_today"] == previous_today


# ---------------------------------------------------------------- settings


@pytest.fixture
def two_blocks(con):
    load(con, report("27.05.2025", ["Block", "Target", "Achieved"], ["Araria", "100", "30"], ["Bhargama", "100", "10"]))
    return con


def test_settings_plan_is_used_without_a_targets_file(two_blocks):
    con = two_blocks
    before = district(con, "2025-05-27", "district_summary")
    assert (before["target"], before["deadline"], before["required_per_day"]) == (200, None, None)
    settings.set_plan(con, IND, 1000, D(2025, 6, 6))
    summary = district(con, "2025-05-27", "district_summary")
    assert (summary["target"], summary["achieved"], summary["pct"]) == (1000, 40, 4.0)
    assert summary["deadline"] == D(2025, 6, 6)
    assert summary["required_per_day"] == required(960, D(2025, 5, 27), D(2025, 6, 6))
    rows = blocks(con, "2025-05-27")
    assert {b: r["deadline"] for b, r in rows.items()} == {"Araria": D(2025, 6, 6), "Bhargama": D(2025, 6, 6)}
    assert rows["Araria"]["required_per_day"] == required(70, D(2025, 5, 27), D(2025, 6, 6))
    assert rows["Araria"]["target"] == 100  # the blocks keep their own targets


def test_settings_deadline_alone_keeps_the_blocks_target_sum(two_blocks):
    settings.set_plan(two_blocks, IND, None, D(2025, 5, 31))
    summary = district(two_blocks, "2025-05-27", "district_summary")
    assert (summary["target"], summary["deadline"]) == (200, D(2025, 5, 31))
    assert summary["required_per_day"] == required(160, D(2025, 5, 27), D(2025, 5, 31))
    settings.set_plan(two_blocks, IND, None, None)  # cleared
    assert district(two_blocks, "2025-05-27", "district_summary")["deadline"] is None


def test_an_uploaded_district_row_wins_over_settings(two_blocks):
    con = two_blocks
    settings.set_plan(con, IND, 1000, D(2025, 6, 6))
    stored(con, targets_file(["Ayushman card", "", "5000", "31.05.2025"]), "targets.csv", kind="targets")
    summary = district(con, "2025-05-27", "district_summary")
    assert (summary["target"], summary["deadline"]) == (5000, D(2025, 5, 31))
    assert summary["required_per_day"] == required(4960, D(2025, 5, 27), D(2025, 5, 31))
    assert {r["deadline"] for r in blocks(con, "2025-05-27").values()} == {D(2025, 5, 31)}
    # What Settings shows: the entered plan is kept, the uploaded one is reported beside it.
    assert settings.plan(con, IND) == {"target": 1000, "deadline": D(2025, 6, 6)}
    assert settings.uploaded_plan(con, IND) == {"target": 5000, "deadline": D(2025, 5, 31)}


def test_a_blocks_own_deadline_is_used_for_that_block(con):
    load(con, report("27.05.2025", ["Block", "Achieved"], ["Araria", "100"], ["Bhargama", "50"]))
    stored(con, targets_file(["Ayushman card", "", "1000", "31.05.2025"],
                             ["Ayushman card", "Araria", "600", "10.06.2025"],
                             ["Ayushman card", "Bhargama", "400", ""]), "targets.csv", kind="targets")
    rows = blocks(con, "2025-05-27")
    assert (rows["Araria"]["deadline"], rows["Araria"]["required_per_day"]) == (
        D(2025, 6, 10), required(500, D(2025, 5, 27), D(2025, 6, 10)))
    assert (rows["Bhargama"]["deadline"], rows["Bhargama"]["required_per_day"]) == (
        D(2025, 5, 31), required(350, D(2025, 5, 27), D(2025, 5, 31)))
    summary = district(con, "2025-05-27", "district_summary")
    assert (summary["target"], summary["deadline"]) == (1000, D(2025, 5, 31))
    assert summary["required_per_day"] == required(850, D(2025, 5, 27), D(2025, 5, 31))


@pytest.fixture
def five_percentages(con):
    load(con, report("27.05.2025", ["Block", "Target", "Achieved"],
                     ["A", "1000", "499"], ["B", "1000", "500"], ["C", "1000", "799"], ["D", "1000", "800"],
                     ["E", "1000", "1000"], ["F", "", "10"]))
    return con


def statuses(con) -> dict:
    return {b: r["status"] for b, r in blocks(con, "2025-05-27").items()}


def test_default_status_thresholds(five_percentages):
    assert statuses(five_percentages) == {"A": "red", "B": "amber", "C": "amber", "D": "green", "E": "green",
                                          "F": None}


@pytest.mark.parametrize("red, green, expected", [
    (40, 60, {"A": "amber", "B": "amber", "C": "green", "D": "green", "E": "green"}),
    (50.5, 99, {"A": "red", "B": "red", "C": "amber", "D": "amber", "E": "green"}),
    (80, 100, {"A": "red", "B": "red", "C": "red", "D": "amber", "E": "green"}),
])
def test_thresholds_from_settings_change_status(five_percentages, red, green, expected):
    con = five_percentages
    settings.set_thresholds(con, red, green)
    rows = blocks(con, "2025-05-27")
    assert {b: r["status"] for b, r in rows.items() if b != "F"} == expected
    assert rows["F"]["status"] is None
    limits = settings.thresholds(con)
    assert (limits.red_below, limits.green_from) == (red, green)
    # The SQL and the Python rule agree on every block.
    assert all(limits.status(r["pct"]) == r["status"] for r in rows.values())
    summary = district(con, "2025-05-27")
    # F reports without a target: no district target or % (its cards would count against the
    # others' targets), and no district status.
    assert (summary["target"], summary["achieved"], summary["pct"], summary["status"]) == (None, 3608, None, None)


def test_panchayat_minimum_from_settings_changes_below_minimum(con):
    load(con, report("27.05.2025", ["Block", "Panchayat", "Target", "Achieved"],
                     ["Araria", "Basaiti", "1000", "499"], ["Araria", "Hayatpur", "1000", "500"],
                     ["Araria", "Kamalpur", "1000", "10"]))

    def below():
        return {r["panchayat"]: r["below_minimum"]
                for r in run(con, "panchayat_review", indicator=IND, as_of="2025-05-27", block="Araria")}

    assert below() == {"Basaiti": True, "Hayatpur": False, "Kamalpur": True}  # the default, 500
    settings.set_panchayat_minimum(con, 10)
    assert below() == {"Basaiti": False, "Hayatpur": False, "Kamalpur": False}
    settings.set_panchayat_minimum(con, 501)
    assert below() == {"Basaiti": True, "Hayatpur": True, "Kamalpur": True}
    settings.set_panchayat_minimum(con, 0)
    assert set(below().values()) == {False}
    assert settings.panchayat_minimum(con) == 0


def test_panchayat_review_status_follows_the_thresholds(con):
    load(con, report("27.05.2025", ["Block", "Panchayat", "Target", "Achieved"],
                     ["Araria", "Basaiti", "100", "45"], ["Araria", "Hayatpur", "100", "85"]))
    rows = {r["panchayat"]: r for r in run(con, "panchayat_review", indicator=IND, as_of="2025-05-27")}
    assert (rows["Basaiti"]["status"], rows["Hayatpur"]["status"]) == ("red", "green")
    assert (rows["Basaiti"]["gap"], rows["Hayatpur"]["gap"]) == (55, 15)
    settings.set_thresholds(con, 40, 90)
    rows = {r["panchayat"]: r for r in run(con, "panchayat_review", indicator=IND, as_of="2025-05-27")}
    assert (rows["Basaiti"]["status"], rows["Hayatpur"]["status"]) == ("amber", "amber")


# ---------------------------------------------------------------- progress_trend


def trend(con, as_of, **params) -> list[dict]:
    return run(con, "progress_trend", indicator=IND, as_of=as_of, **params)


def test_trend_is_the_district_day_by_day(ten_days):
    rows = trend(ten_days, "2025-05-10")
    assert [r["report_date"] for r in rows] == [D(2025, 5, day) for day in sorted(TEN_DAYS)]
    assert {r["report_date"].day: r["achieved"] for r in rows} == {day: district_on(day) for day in TEN_DAYS}
    # The 6th: B did not report and keeps 20 (A 60 + B 20), not 60.
    assert rows[4]["achieved"] == 80


@pytest.mark.parametrize("as_of", ["2025-05-01", "2025-05-06", "2025-05-07", "2025-05-10", "2025-05-20"])
def test_trend_last_row_equals_the_summary_and_block_progress(ten_days, as_of):
    rows = trend(ten_days, as_of)
    assert rows[-1]["achieved"] == district(ten_days, as_of, "district_summary")["achieved"]
    for block, (_, achieved) in {b: (r["target"], r["achieved"])
                                 for b, r in blocks(ten_days, as_of, "block_progress").items()}.items():
        block_rows = trend(ten_days, as_of, block=block)
        assert block_rows[-1]["achieved"] == achieved, (block, as_of)
        assert all(r["report_date"] <= D.fromisoformat(as_of) for r in block_rows)


def test_every_trend_row_equals_the_summary_on_that_day(ten_days):
    for row in trend(ten_days, "2025-05-10"):
        assert row["achieved"] == district(ten_days, row["report_date"], "district_summary")["achieved"]


def test_a_block_trend_has_only_its_own_report_dates(ten_days):
    rows = trend(ten_days, "2025-05-10", block="B")
    assert [r["report_date"].day for r in rows] == [1, 2, 3, 5, 8, 9, 10]  # not the 6th
    assert [r["achieved"] for r in rows] == [5, 9, 12, 20, 30, 33, 40]
    assert trend(ten_days, "2025-05-10", block="Nowhere") == []


def test_trend_achieved_today_from_daily_figures(daily_reports):
    rows = trend(daily_reports, "2025-05-04")
    assert [(r["report_date"].day, r["achieved"], r["achieved_today"]) for r in rows] == [
        (1, 8, 8), (2, 19, 11), (4, 28, 9)]


def _switching_store(con):
    load(con,
         csv_bytes([["Ayushman card blockwise 26.05.2025"], ["Block", "Target", "Cumulative"],
                    ["Araria", "5000", "1000"], ["Palasi", "4000", "800"]]),
         csv_bytes([["Ayushman card panchayatwise 27.05.2025"], ["Block", "Panchayat", "Target", "Today", "Cumulative"],
                    ["Araria", "P1", "2500", "300", "700"], ["Araria", "P2", "2500", "200", "800"]]))


def test_a_block_switching_to_panchayat_reports_keeps_the_summaries_right(con):
    _switching_store(con)
    assert district(con, "2025-05-26", "district_summary")["achieved"] == 1800
    assert district(con, "2025-05-27", "district_summary")["achieved"] == 2300
    assert trend(con, "2025-05-27")[-1]["achieved"] == 2300


def test_trend_and_pace_after_a_block_switches_how_it_reports(con):
    _switching_store(con)
    rows = trend(con, "2025-05-27")
    # As of the 26th the district had 1800 (Araria 1000 + Palasi 800), as district_summary says.
    assert [(r["report_date"], r["achieved"]) for r in rows] == [(D(2025, 5, 26), 1800), (D(2025, 5, 27), 2300)]
    # So the pace over the one day since the first report is 500, not 1500.
    summary = district(con, "2025-05-27")
    assert summary["pace_per_day"] == 500
    assert summary["projected_finish"] == projected(D(2025, 5, 27), 9000 - 2300, Fraction(500))


# ---------------------------------------------------------------- channels


@pytest.fixture
def channels(con):
    load(con,
         report("26.05.2025", ["Block", "Today", "Achieved"],
                ["Araria", "10", "100"], ["Palasi", "5", "50"], ["Jokihat", "3", "30"]),
         report("27.05.2025", ["Block", "Channel", "Today", "Achieved"],
                ["Araria", "ASHA", "7", "70"], ["Araria", "VLE", "4", "40"], ["Araria", "Camp", "1", "10"],
                ["Jokihat", "आशा", "2", "22"], ["Jokihat", "CSC", "3", "33"]))
    return con


def test_channel_progress_shares_add_up_per_block(channels):
    rows = run(channels, "channel_progress", indicator=IND, as_of="2025-05-27")
    assert list(queries.run(channels, "channel_progress", indicator=IND, as_of="2025-05-27").columns) == [
        "block", "channel", "achieved", "achieved_today", "share_pct"]
    got = {(r["block"], r["channel"]): (r["achieved"], r["achieved_today"], r["share_pct"]) for r in rows}
    assert got == {
        ("Araria", "ASHA"): (70, 7, 58.3), ("Araria", "VLE"): (40, 4, 33.3), ("Araria", "Camp"): (10, 1, 8.3),
        ("Jokihat", "ASHA"): (22, 2, 40.0), ("Jokihat", "VLE"): (33, 3, 60.0),  # aliases: आशा, CSC
        ("Palasi", None): (50, 0, 100.0),  # reported whole: no channel
    }
    for block in ("Araria", "Jokihat", "Palasi"):
        assert sum(r["share_pct"] for r in rows if r["block"] == block) == pytest.approx(100, abs=0.2)
    # Araria's whole report of the 26th (100) is not added to its channel-wise one (120).
    by_block = blocks(channels, "2025-05-27", "block_progress")
    for block, row in by_block.items():
        assert sum(r["achieved"] for r in rows if r["block"] == block) == row["achieved"]
    assert by_block["Araria"]["achieved"] == 120


def test_channel_share_adds_up_for_the_district(channels):
    rows = run(channels, "channel_share", indicator=IND, as_of="2025-05-27")
    assert [(r["channel"], r["achieved"], r["achieved_today"]) for r in rows] == [
        ("ASHA", 92, 9), ("VLE", 73, 7), (None, 50, 0), ("Camp", 10, 1)]  # largest first
    assert sum(r["share_pct"] for r in rows) == pytest.approx(100, abs=0.2)
    assert [r["share_pct"] for r in rows] == [round(a * 100 / 225, 1) for a in (92, 73, 50, 10)]
    assert sum(r["achieved"] for r in rows) == district(channels, "2025-05-27", "district_summary")["achieved"] == 225


def test_channels_before_the_split(channels):
    rows = run(channels, "channel_share", indicator=IND, as_of="2025-05-26")
    assert [(r["channel"], r["achieved"], r["share_pct"]) for r in rows] == [(None, 180, 100.0)]
    per_block = run(channels, "channel_progress", indicator=IND, as_of="2025-05-26")
    assert {(r["block"], r["channel"]) for r in per_block} == {("Araria", None), ("Palasi", None), ("Jokihat", None)}


def test_a_whole_report_after_a_split_one_is_not_added(channels):
    stored(channels, report("28.05.2025", ["Block", "Today", "Achieved"], ["Araria", "5", "125"]), "whole.csv")
    rows = [r for r in run(channels, "channel_progress", indicator=IND, as_of="2025-05-28") if r["block"] == "Araria"]
    assert [(r["channel"], r["achieved"], r["share_pct"]) for r in rows] == [(None, 125, 100.0)]


def test_channels_on_an_empty_store(con):
    assert run(con, "channel_share", indicator=IND, as_of="2025-05-27") == []
    assert run(con, "channel_progress", indicator=IND, as_of="2025-05-27") == []


# ---------------------------------------------------------------- drive_days


def drive(con, start, end, indicator: str = IND) -> list[dict]:
    return run(con, "drive_days", indicator=indicator, from_date=start, to_date=end)


@pytest.fixture
def with_gazetteer(con, gazetteer):
    header = ["Block", "Panchayat", "Today", "Achieved"]
    load(con,
         report("26.05.2025", header, ["Kusheshwar Asthan", "Ujwa", "5", "50"],
                ["Kusheshwar Asthan", "Itahar", "6", "60"], ["Musahari", "Panchayat 5", "7", "70"],
                ["Nowhere Block", "Far Tola", "4", "40"]),
         report("28.05.2025", header, ["Kusheshwar Asthan", "Ujwa", "10", "60"], ["Musahari", "Panchayat 5", "3", "73"]))
    return con


def test_drive_days_one_row_per_block_and_day(with_gazetteer):
    rows = drive(with_gazetteer, "2025-05-25", "2025-05-29")
    assert list(queries.run(with_gazetteer, "drive_days", indicator=IND, from_date="2025-05-25",
                            to_date="2025-05-29").columns) == [
        "block", "report_date", "achieved_day", "drive_achieved", "drive_target", "panchayats"]
    days = [D(2025, 5, d) for d in range(25, 30)]
    got = {}
    for row in rows:
        got.setdefault(row["block"], []).append((row["report_date"], row["achieved_day"]))
    assert got == {
        "Kusheshwar Asthan": list(zip(days, [0, 11, 0, 10, 0])),
        "Musahari": list(zip(days, [0, 7, 0, 3, 0])),
    }  # "Nowhere Block" matched no block of the gazetteer: pending, in no drive figure
    per_block = {r["block"]: (r["drive_achieved"], r["drive_target"], r["panchayats"]) for r in rows}
    # The gazetteer lists 2 panchayats under each matched block (Musahari reported only one).
    assert per_block == {"Kusheshwar Asthan": (21, 1000, 2), "Musahari": (10, 1000, 2)}
    for block, (total, _, _) in per_block.items():
        assert total == sum(r["achieved_day"] for r in rows if r["block"] == block)


def test_drive_target_follows_the_panchayat_minimum(with_gazetteer):
    settings.set_panchayat_minimum(with_gazetteer, 300)
    rows = drive(with_gazetteer, "2025-05-27", "2025-05-28")
    assert {r["block"]: (r["drive_achieved"], r["drive_target"]) for r in rows} == {
        "Kusheshwar Asthan": (10, 600), "Musahari": (3, 600)}
    assert len(rows) == 4


def test_drive_days_without_a_gazetteer(con):
    header = ["Block", "Panchayat", "Today", "Achieved"]
    load(con,
         report("26.05.2025", header, ["Araria", "P1", "5", "5"], ["Araria", "P2", "6", "6"]),
         report("27.05.2025", header, ["Araria", "P1", "1", "6"], ["Araria", "P3", "2", "2"]),
         report("27.05.2025", ["Block", "Today", "Achieved"], ["Palasi", "9", "90"], title="Ayushman blockwise"))
    rows = drive(con, "2025-05-26", "2025-05-27")
    got = {(r["block"], r["report_date"]): (r["achieved_day"], r["drive_achieved"], r["drive_target"], r["panchayats"])
           for r in rows}
    assert got == {
        ("Araria", D(2025, 5, 26)): (11, 14, 1500, 3), ("Araria", D(2025, 5, 27)): (3, 14, 1500, 3),
        # A block reported only as a whole: no panchayats, so no drive target.
        ("Palasi", D(2025, 5, 26)): (0, 9, None, None), ("Palasi", D(2025, 5, 27)): (9, 9, None, None),
    }
    assert drive(con, "2025-05-28", "2025-05-27") == []  # an empty range


# ---------------------------------------------------------------- totals rows


@pytest.mark.parametrize("label", ["कुल योग", "Grand Total"])
def test_a_totals_row_is_never_counted(con, label):
    stored(con, csv_bytes([["आयुष्मान कार्ड प्रखंडवार प्रतिवेदन दिनांक 27.05.2025"],
                           ["प्रखंड", "माध्यम", "लक्ष्य", "आज की उपलब्धि", "कुल उपलब्धि"],
                           ["अररिया", "आशा", "100", "5", "50"], ["अररिया", "VLE", "", "2", "20"],
                           ["पलासी", "", "200", "6", "60"],
                           [label, "", "300", "13", "130"]]), "with_total.csv")
    rows = blocks(con, "2025-05-27", "block_progress")
    assert set(rows) == {"अररिया", "पलासी"}
    assert {b: (r["target"], r["achieved"], r["achieved_today"]) for b, r in rows.items()} == {
        "अररिया": (100, 70, 7), "पलासी": (200, 60, 6)}
    summary = district(con, "2025-05-27")
    assert (summary["target"], summary["achieved"], summary["achieved_today"]) == (300, 130, 13)  # not 260
    assert sum(r["achieved"] for r in run(con, "channel_share", indicator=IND, as_of="2025-05-27")) == 130
    assert trend(con, "2025-05-27")[-1]["achieved"] == 130
    assert {r["block"] for r in drive(con, "2025-05-27", "2025-05-27")} == {"अररिया", "पलासी"}


# ---------------------------------------------------------------- data_source


def source(con, as_of, indicator: str = IND) -> dict:
    """data_source's one row, as DuckDB gives it (uploaded_up_to keeps its time)."""
    names, rows = queries.run_rows(con, "data_source", indicator=indicator, as_of=as_of)
    assert len(rows) == 1
    return dict(zip(names, rows[0]))


def test_data_source_counts_uploads_up_to_the_as_of_date(con):
    header = ["Block", "Achieved"]
    up = {}
    for day, hour in ((26, 17), (27, 16), (28, 15)):
        up[day] = stored(con, report(f"{day}.05.2025", header, ["Araria", str(day * 10)]), f"r{day}.csv",
                         uploaded_at=dt.datetime(2025, 5, day, hour, 5))
    stored(con, report("27.05.2025", header, ["Araria", "7"], title="Report dated"), "insurance.csv",
           indicator="insurance", uploaded_at=dt.datetime(2025, 5, 29, 9, 0))
    stored(con, targets_file(["Ayushman card", "", "1000", "31.05.2025"]), "targets.csv", kind="targets",
           uploaded_at=dt.datetime(2025, 5, 30, 9, 0))
    assert list(queries.run(con, "data_source", indicator=IND, as_of="2025-05-27").columns) == [
        "uploads", "first_date", "last_date", "uploaded_up_to"]
    assert source(con, "2025-05-27") == {"uploads": 2, "first_date": D(2025, 5, 26), "last_date": D(2025, 5, 27),
                                         "uploaded_up_to": dt.datetime(2025, 5, 27, 16, 5)}
    assert source(con, "2025-05-31")["uploads"] == 3
    assert source(con, "2025-05-31")["uploaded_up_to"] == dt.datetime(2025, 5, 28, 15, 5)
    assert source(con, "2025-05-27", "insurance")["uploads"] == 1
    assert source(con, "2025-05-25") == {"uploads": 0, "first_date": None, "last_date": None, "uploaded_up_to": None}
    # An undone upload is not a source; a correction replacing a report is counted in its place.
    ingest_module.undo(con, up[28].upload_id)
    assert (source(con, "2025-05-31")["uploads"], source(con, "2025-05-31")["last_date"]) == (2, D(2025, 5, 27))
    stored(con, report("27.05.2025", header, ["Araria", "275"]), "r27_corrected.csv",
           uploaded_at=dt.datetime(2025, 5, 30, 10, 30))
    assert source(con, "2025-05-27") == {"uploads": 2, "first_date": D(2025, 5, 26), "last_date": D(2025, 5, 27),
                                         "uploaded_up_to": dt.datetime(2025, 5, 30, 10, 30)}


def test_every_trend_point_equals_the_summary_of_its_own_date(con):
    """The trend is exact on every date, not only the last: a block that switches from whole
    to panchayat-wise, and a place that switches to channel-wise, counted each day as then."""
    _switching_store(con)
    load(con, csv_bytes([["Ayushman card channelwise 28.05.2025"], ["Block", "Channel", "Target", "Cumulative"],
                         ["Palasi", "ASHA", "4000", "600"], ["Palasi", "VLE", "", "350"]]),
         csv_bytes([["Ayushman card blockwise 29.05.2025"], ["Block", "Target", "Cumulative"],
                    ["Araria", "5000", "1900"]]))
    points = trend(con, "2025-05-29")
    assert [p["report_date"].day for p in points] == [26, 27, 28, 29]
    for point in points:
        summary = district(con, point["report_date"].isoformat(), "district_summary")
        assert point["achieved"] == summary["achieved"], point
    assert [p["achieved"] for p in points] == [1800, 2300, 2450, 2850]


# ---------------------------------------------------------------- the series cache is never stale

def _araria(day: str, achieved: str, block: str = "Musahari") -> bytes:
    return csv_bytes([[f"Ayushman card blockwise {day}"], ["Block", "Target", "Cumulative"], [block, "5000", achieved]])


def test_the_series_follow_every_change_of_the_stored_rows(con, gazetteer):
    first = ingest(con, _araria("26.05.2025", "1000"), "a.csv")
    assert district(con, "2025-05-26", "district_summary")["achieved"] == 1000
    second = ingest(con, _araria("26.05.2025", "1200"), "b.csv")  # a corrected report replaces it
    assert district(con, "2025-05-26", "district_summary")["achieved"] == 1200
    ingest_module.undo(con, second.upload_id)
    assert district(con, "2025-05-26", "district_summary")["achieved"] == 1000
    ingest_module.restore(con, second.upload_id)
    assert district(con, "2025-05-26", "district_summary")["achieved"] == 1200
    ingest_module.undo(con, first.upload_id)
    ingest_module.undo(con, second.upload_id)
    assert district(con, "2025-05-26", "district_summary")["achieved"] == 0


def test_the_series_follow_a_confirmed_name(con, gazetteer):
    ingest(con, _araria("26.05.2025", "1000", block="Musahari"), "a.csv")
    ingest(con, _araria("27.05.2025", "1300", block="Mooshahree Prakhand"), "b.csv")  # unmatched: pending
    before = {r["block"] for r in run(con, "block_progress", indicator=IND, as_of="2025-05-27")}
    assert before == {"Musahari"}  # held apart: never a second Musahari
    pending = [n for n in ingest_module.unmatched_names(con) if n["written"] == "Mooshahree Prakhand"][0]
    ingest_module.confirm_name(con, "block", "Mooshahree Prakhand", pending["parent_code"], "2005")
    rows = run(con, "block_progress", indicator=IND, as_of="2025-05-27")
    assert [(r["block"], r["achieved"]) for r in rows] == [("Musahari", 1300)]


def test_a_read_only_store_never_reads_stale_series(tmp_path, gazetteer):
    path = str(tmp_path / "s.duckdb")
    writer = store.open_store(path)
    for data, name in ((gazetteer_bytes(), "lgd.csv"), (_araria("26.05.2025", "1000"), "a.csv")):
        assert ingest_module.ingest_file(writer, data, name).ok
    queries.run(writer, "district_summary", indicator=IND, as_of="2025-05-26")  # series worked out: 1000
    assert ingest_module.ingest_file(writer, _araria("26.05.2025", "1500"), "b.csv").ok  # changed, not yet worked out
    writer.close()
    reader = store.open_store(path, read_only=True)
    assert queries.run(reader, "district_summary", indicator=IND, as_of="2025-05-26").iloc[0]["achieved"] == 1500
    reader.close()


def test_no_district_percent_when_a_reporting_block_has_no_target(con):
    """A block without a target would inflate the district % (its cards against the others'
    targets): the district has no target until every reporting block has one, or the
    district's own target is given."""
    stored(con, report("26.05.2025", ["Block", "Target", "Achieved"], ["A", "100", "50"], ["B", "", "500"]), "a.csv")
    stored(con, report("27.05.2025", ["Block", "Target", "Achieved"], ["A", "100", "60"], ["B", "", "600"]), "b.csv")
    summary = district(con, "2025-05-27")
    assert (summary["target"], summary["achieved"], summary["pct"], summary["gap"]) == (None, 660, None, None)
    assert summary["required_per_day"] is None and summary["status"] is None
    settings.set_plan(con, IND, 2000, None)  # the district's own target, entered in Settings
    summary = district(con, "2025-05-27")
    assert (summary["target"], summary["pct"]) == (2000, 33.0)


def test_a_later_targets_file_without_a_district_row_sets_the_old_one_aside(con):
    stored(con, report("26.05.2025", ["Block", "Target", "Achieved"], ["A", "", "500"], ["B", "", "500"]), "r.csv")
    stored(con, targets_file(["Ayushman card", "", "1500", "31.05.2025"], ["Ayushman card", "A", "1000", ""],
                             ["Ayushman card", "B", "500", ""]), "t1.csv", kind="targets")
    assert (district(con, "2025-05-26")["target"], district(con, "2025-05-26")["deadline"]) == (1500, D(2025, 5, 31))
    stored(con, targets_file(["Ayushman card", "A", "2000", "30.06.2025"], ["Ayushman card", "B", "2000", "30.06.2025"]),
           "t2.csv", kind="targets")
    summary = district(con, "2025-05-26")
    assert (summary["target"], summary["pct"], summary["deadline"]) == (4000, 25.0, D(2025, 6, 30))
    # the Settings page says the same of the uploaded file
    assert settings.uploaded_plan(con, IND) == {"target": None, "deadline": D(2025, 6, 30)}


def test_a_first_report_with_a_backlog_is_not_pace(con):
    """B starts reporting on day 10 with 5,000 made before: the pace stays A's 10 a day."""
    for day in range(1, 11):
        rows = [["A", "", "10", str(10 * day)]]
        if day == 10:
            rows.append(["B", "", "0", "5000"])
        stored(con, report(f"{day:02d}.05.2025", ["Block", "Target", "Today", "Achieved"], *rows), f"d{day}.csv")
    settings.set_plan(con, IND, 20000, D(2025, 6, 30))
    summary = district(con, "2025-05-10")
    assert summary["achieved"] == 5100 and summary["pace_per_day"] == 10.0
    assert summary["projected_finish"] == D(2025, 5, 10) + dt.timedelta(days=1490)


def test_a_cleared_demo_does_not_come_back_on_the_next_start(demo_store, monkeypatch):
    con = store.open_store(str(demo_store))
    try:
        again = ("gazetteer", "targets")
        uploads = store.scalar(con, "SELECT count(*) FROM uploads")
        of_kinds = store.scalar(con, "SELECT count(*) FROM uploads WHERE kind IN (SELECT unnest(?))", [list(again)])
        cleared = demo.clear(con)
        assert cleared == uploads > of_kinds > 0  # every upload was the demo's
        assert not store.scalar(con, "SELECT count(*) FROM uploads")
        assert demo.has_data(con)  # so the app's first start does not load it again
        # Loading it on purpose still works, and clears the mark: two kinds of its files are enough
        # to see that (the whole demo is loaded once per run for demo_store).
        monkeypatch.setattr(demo, "KINDS_IN_ORDER", again)
        assert demo.load(con)["uploads"] == of_kinds  # each stored again, none taken for a cleared one
        assert store.get_setting(con, demo.CLEARED_KEY) is None
    finally:
        con.close()
