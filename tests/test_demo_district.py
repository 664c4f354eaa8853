"""The fictional demo district: deterministic, internally consistent files."""

from __future__ import annotations

import csv
import importlib.util
import json
from collections import defaultdict
from itertools import pairwise
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def _load_module():
    spec = importlib.util.spec_from_file_location(
        "demo_district", ROOT / "data" / "demo_district.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


demo = _load_module()


@pytest.fixture(scope="module")
def written(tmp_path_factory):
    return demo.generate(tmp_path_factory.mktemp("demo"))


@pytest.fixture(scope="module")
def gazetteer(written):
    with written["gazetteer"][0].open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def read_rows(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.reader(handle))


def read_progress(path: Path) -> tuple[str, list[str], list[list[str]]]:
    """(title, header, body rows) of one daily progress report."""
    title, header, *body = read_rows(path)
    assert len(title) == 1
    return title[0], header, body


def number(text: str) -> int:
    return int(text.replace(",", "")) if text else 0


def report_date_of(path: Path) -> str:
    return path.stem.rsplit("_", 1)[1]


def indicator_of(path: Path) -> str:
    """progress_<indicator>_<date>.csv, or a late block's <Block>_<indicator>_<date>.csv."""
    found = [key for key in demo.INDICATORS if f"_{key}_" in f"_{path.stem}"]
    assert len(found) == 1, path.name
    return found[0]


def is_hindi(path: Path) -> bool:
    return demo.REPORT_LAYOUTS[indicator_of(path)].hindi_names


def test_same_seed_gives_identical_bytes(written, tmp_path):
    again = demo.generate(tmp_path)
    assert written.keys() == again.keys()
    for kind in written:
        first, second = written[kind], again[kind]
        assert [p.name for p in first] == [p.name for p in second]
        for a, b in zip(first, second):
            assert a.read_bytes() == b.read_bytes(), a.name


def test_file_kinds_and_counts(written):
    assert len(written["progress"]) == len(demo.INDICATORS) * demo.DAYS + len(demo.LATE_REPORTS)
    assert len(written["shg"]) == 2
    for paths in written.values():
        assert paths and all(p.exists() and p.stat().st_size > 0 for p in paths)


def test_gazetteer_sizes_and_codes(gazetteer):
    blocks = {row["block_code"] for row in gazetteer}
    assert 12 <= len(blocks) <= 16
    assert 250 <= len(gazetteer) <= 350
    codes = [row["panchayat_code"] for row in gazetteer]
    assert len(set(codes)) == len(codes)
    assert all(code.isdigit() and code.startswith("99") for code in codes)
    assert {row["district_code"] for row in gazetteer} == {"999"}
    names = [(row["block_name"], row["panchayat_name"]) for row in gazetteer]
    assert len(set(names)) == len(names)


def test_indian_number_grouping():
    assert demo.indian_number(0) == "0"
    assert demo.indian_number(999) == "999"
    assert demo.indian_number(1000) == "1,000"
    assert demo.indian_number(123456) == "1,23,456"
    assert demo.indian_number(12345678) == "1,23,45,678"


def test_totals_equal_the_sums_of_their_rows(written):
    for path in written["progress"]:
        layout = demo.REPORT_LAYOUTS[indicator_of(path)]
        block_total_suffix = layout.block_total.format(block="")
        _, _, body = read_progress(path)
        block_sums, district_sums = [0, 0, 0], [0, 0, 0]
        for row in body:
            figures = [number(cell) for cell in row[5:8]]
            if row[1] == layout.grand_total:
                assert figures == district_sums, path.name
            elif row[1].endswith(block_total_suffix):
                assert figures == block_sums, (path.name, row[1])
                district_sums = [a + b for a, b in zip(district_sums, block_sums)]
                block_sums = [0, 0, 0]
            else:
                block_sums = [a + b for a, b in zip(block_sums, figures)]
        assert body[-1][1] == layout.grand_total


def test_cumulative_never_decreases(written):
    last_seen: dict[tuple, int] = {}
    for path in sorted(written["progress"], key=lambda p: (report_date_of(p), p.name)):
        _, _, body = read_progress(path)
        for row in body:
            if not row[2]:  # totals rows
                continue
            key = (indicator_of(path), row[1], row[2], row[3])
            cumulative = number(row[7])
            assert cumulative >= last_seen.get(key, 0), (path.name, key)
            last_seen[key] = cumulative


def test_cumulative_is_running_sum_of_today(written):
    running: dict[tuple, int] = defaultdict(int)
    for path in sorted(written["progress"], key=lambda p: (report_date_of(p), p.name)):
        _, _, body = read_progress(path)
        for row in body:
            if row[2]:
                key = (indicator_of(path), row[1], row[2], row[3])
                running[key] += number(row[6])
                assert number(row[7]) == running[key], (path.name, key)


def test_every_panchayat_is_in_the_gazetteer(written, gazetteer):
    english = {(r["block_name"], r["panchayat_name"]) for r in gazetteer}
    hindi = {(r["block_name_hi"], r["panchayat_name_hi"]) for r in gazetteer}
    for path in written["progress"]:
        _, _, body = read_progress(path)
        places = {(row[1], row[2]) for row in body if row[2]}
        assert places <= (hindi if is_hindi(path) else english), path.name
    targets = read_rows(written["targets"][0])
    assert targets[0] == list(demo.TARGETS_HEADER)
    assert {(row[1], row[2]) for row in targets[1:]} == english
    assert len(targets) - 1 == len(gazetteer) * len(demo.INDICATORS)


def test_missing_reports_are_absent(written, gazetteer):
    hindi_block = {r["block_name"]: r["block_name_hi"] for r in gazetteer}
    by_name = {p.name: p for p in written["progress"]}
    assert len(demo.MISSING_REPORTS) == 4
    for indicator, report_date, block in demo.MISSING_REPORTS:
        path = by_name[f"progress_{indicator}_{report_date.isoformat()}.csv"]
        label = hindi_block[block] if is_hindi(path) else block
        _, _, body = read_progress(path)
        blocks_present = {row[1] for row in body if row[2]}
        assert label not in blocks_present
        late = [b for ind, day, b, _ in demo.LATE_REPORTS if (ind, day) == (indicator, report_date)]
        assert len(blocks_present) == len(hindi_block) - 1 - len(late)
        assert not any(p.name.startswith(block.replace(" ", "-") + "_") and p.stem.endswith(report_date.isoformat())
                       for p in written["progress"])  # and in no file of its own


def test_late_reports_are_files_of_their_own(written, gazetteer):
    """A late block is not in the day's compiled file but in a file of its own, uploaded after
    5 PM by the demo loader."""
    by_name = {p.name: p for p in written["progress"]}
    hindi_block = {r["block_name"]: r["block_name_hi"] for r in gazetteer}
    for indicator, report_date, name, minutes in demo.LATE_REPORTS:
        compiled = by_name[f"progress_{indicator}_{report_date.isoformat()}.csv"]
        own = by_name[demo.late_file_name(indicator, name, report_date)]
        block = hindi_block[name] if is_hindi(own) else name
        _, _, body = read_progress(compiled)
        assert block not in {row[1] for row in body if row[2]}
        _, _, body = read_progress(own)
        assert {row[1] for row in body if row[2]} == {block}
        assert demo.late_minutes(own.name) == minutes > 0
    assert demo.late_minutes("progress_ayushman_cards_2025-05-30.csv") is None


def test_progress_layout(written):
    for path in written["progress"]:
        title, header, body = read_progress(path)
        layout = demo.REPORT_LAYOUTS[indicator_of(path)]
        day, month, year = report_date_of(path).split("-")[::-1]
        assert title.endswith(f"{day}.{month}.{year}")
        assert tuple(header) == layout.header
        for row in body:
            if not row[2]:
                continue
            camp = row[3] == layout.channel_labels[demo.CAMP_CHANNEL]
            assert bool(row[4]) == camp
            has_target = row[3] == layout.channel_labels[demo.TARGET_CHANNEL]
            assert bool(row[5]) == has_target


def test_camps_happen_on_drive_days(written):
    camp_today: dict[bool, list[int]] = {True: [], False: []}
    drive = {d.isoformat() for d in demo.DRIVE_DAYS}
    for path in written["progress"]:
        layout = demo.REPORT_LAYOUTS[indicator_of(path)]
        _, _, body = read_progress(path)
        total = sum(number(row[6]) for row in body
                    if row[3] == layout.channel_labels[demo.CAMP_CHANNEL])
        camp_today[report_date_of(path) in drive].append(total)
    assert min(camp_today[True]) > 10 * max(camp_today[False])


def ring_is_simple(ring: list[list[float]]) -> bool:
    """No two non-adjacent edges of the closed ring touch."""
    def cross(o, a, b):
        return (a[0] - o[0]) * (b[1] - o[1]) - (a[1] - o[1]) * (b[0] - o[0])

    edges = list(pairwise(ring))
    for i, (p1, p2) in enumerate(edges):
        for j in range(i + 2, len(edges)):
            if i == 0 and j == len(edges) - 1:
                continue
            q1, q2 = edges[j]
            if (cross(p1, p2, q1) * cross(p1, p2, q2) <= 0
                    and cross(q1, q2, p1) * cross(q1, q2, p2) <= 0):
                return False
    return True


def test_boundaries_are_one_closed_ccw_polygon_per_panchayat(written, gazetteer):
    collection = json.loads(written["boundaries"][0].read_text(encoding="utf-8"))
    assert collection["type"] == "FeatureCollection"
    codes = [f["properties"]["panchayat_code"] for f in collection["features"]]
    assert sorted(codes) == sorted(r["panchayat_code"] for r in gazetteer)
    west, south, east, north = demo.DISTRICT_BOUNDS
    total_area = 0.0
    for feature in collection["features"]:
        assert set(feature["properties"]) == {
            "block_code", "block_name", "panchayat_code", "panchayat_name"}
        geometry = feature["geometry"]
        assert geometry["type"] == "Polygon" and len(geometry["coordinates"]) == 1
        ring = geometry["coordinates"][0]
        assert ring[0] == ring[-1] and len(ring) >= 4
        assert all(west <= x <= east and south <= y <= north for x, y in ring)
        area = demo.signed_area([tuple(point) for point in ring[:-1]])
        assert area > 0  # counter-clockwise
        assert ring_is_simple(ring)
        total_area += area
    # Simple cells inside the rectangle whose areas add up to it: no gaps, no overlaps.
    assert total_area == pytest.approx((east - west) * (north - south), rel=1e-9)


def test_shg_registers(written):
    first, second = (read_rows(path) for path in written["shg"])
    for register in (first, second):
        assert tuple(register[0]) == demo.SHG_HEADER
        ids = [row[7] for row in register[1:]]
        assert len(set(ids)) == len(ids)
        assert 3000 <= len(ids) <= 4000
    first_ids = {row[7] for row in first[1:]}
    second_ids = {row[7] for row in second[1:]}
    assert first_ids < second_ids


def test_worker_files(written):
    roster = read_rows(written["workers"][0])
    assert tuple(roster[0]) == demo.ROSTER_HEADER
    active = {row[0] for row in roster[1:] if row[5] == "Yes"}
    assert {row[2] for row in roster[1:]} == {"ASHA", "AWW"}
    output = read_rows(written["worker_output"][0])
    assert tuple(output[0]) == demo.WORKER_OUTPUT_HEADER
    assert {row[1] for row in output[1:]} == active
    assert len(output) - 1 == len(active) * demo.DAYS
