"""The chart builders (samiksha.figures), called without a browser: which traces, in which
order, with which values, labels, titles and source line."""

from __future__ import annotations

import datetime as dt
import math
import time

import pandas as pd
import pytest
from conftest import csv_bytes, ingest

from samiksha import figures, queries
from samiksha.settings import Thresholds

IND = "ayushman_cards"
D = dt.date
AS_OF = D(2025, 5, 30)
UPLOADED = dt.datetime(2025, 5, 30, 16, 34)


def context(lang: str = "en", uploaded=UPLOADED, district: str = "Sahyogpur", as_of=AS_OF) -> figures.Context:
    indicator = "आयुष्मान कार्ड" if lang == "hi" else "Ayushman cards"
    return figures.Context(lang, indicator, as_of, uploaded, district)


def blocks_frame() -> pd.DataFrame:
    """block_review-like rows: a big amber block, a small green one, a red one, one without a target."""
    return pd.DataFrame({
        "block": ["Amlapur", "Bhargama", "Chandanpura", "Dhusari"],
        "target": [485600, 1000, 200, None],
        "achieved": [352080, 900, 20, 50],
        "pct": [72.5, 90.0, 10.0, None],
        "achieved_today": [5000, 6, 7, 8],
        "rank": [2, 1, 3, 4],
        "gap": [133520, 100, 180, None],
    })


def bars(fig) -> dict:
    """{bar label on the y axis: (trace name, x, text)} over every bar trace."""
    found = {}
    for trace in fig.data:
        if trace.type != "bar":
            continue
        for i, y in enumerate(trace.y):
            text = trace.text[i] if isinstance(trace.text, tuple) else trace.text
            found[y] = (trace.name, float(trace.x[i]), text)
    return found


def column_labels(fig) -> dict:
    """{category on the y axis: its label in the label column} (a group's labels as a list,
    its lowest bar first)."""
    categories = list(fig.layout.yaxis.categoryarray)
    found: dict = {}
    for note in fig.layout.annotations:
        if note.name == figures.LABEL_NAME:
            found.setdefault(categories[round(note.y)], []).append((note.y, note.text))
    return {name: [text for _, text in sorted(items)] if len(items) > 1 else items[0][1]
            for name, items in found.items()}


def top_to_bottom(fig) -> list:
    return list(fig.layout.yaxis.categoryarray)[::-1]


def source_text(fig) -> str:
    sources = [a.text for a in fig.layout.annotations if a.text.startswith(("Source", "स्रोत"))]
    assert len(sources) == 1
    return sources[0]


def trace(fig, name: str):
    found = [t for t in fig.data if t.name == name]
    assert len(found) == 1, [t.name for t in fig.data]
    return found[0]


def names(fig) -> list:
    return [t.name for t in fig.data]


# ---------------------------------------------------------------- block ranking


@pytest.mark.parametrize("sort, order, unit", [
    ("pct", ["Bhargama", "Amlapur", "Chandanpura", "Dhusari"], "best first"),
    ("achieved", ["Amlapur", "Bhargama", "Dhusari", "Chandanpura"], "ordered by number achieved"),
    ("gap", ["Amlapur", "Chandanpura", "Bhargama", "Dhusari"], "largest gap to target first"),  # no target: last
])
def test_block_ranking_order_for_each_sort(sort, order, unit):
    fig = figures.block_ranking(blocks_frame(), context(), 65.2, sort=sort)
    assert top_to_bottom(fig) == order
    assert list(figures.sort_blocks(blocks_frame(), sort)["block"]) == order
    assert unit in fig.layout.title.subtitle.text
    # The same bars whatever the order.
    assert set(bars(fig)) == set(order)


def test_block_ranking_labels_in_indian_grouping():
    found = bars(figures.block_ranking(blocks_frame(), context(), 65.2))
    assert found["Amlapur"][2] == "3,52,080 / 4,85,600 · 72.5%"
    assert found["Bhargama"][2] == "900 / 1,000 · 90.0%"
    assert found["Chandanpura"][2] == "20 / 200 · 10.0%"
    assert found["Dhusari"][2] == "50 / no target"
    assert {block: x for block, (_, x, _) in found.items()} == {
        "Amlapur": 72.5, "Bhargama": 90.0, "Chandanpura": 10.0, "Dhusari": 0.0}  # no target: no bar length
    assert figures.bar_label(12345678, 20000000, 61.7, "en") == "1,23,45,678 / 2,00,00,000 · 61.7%"


def test_block_ranking_status_traces_follow_the_thresholds():
    default = figures.block_ranking(blocks_frame(), context(), 65.2)
    assert {block: name for block, (name, _, _) in bars(default).items()} == {
        "Chandanpura": "below 50%", "Amlapur": "50–80%", "Bhargama": "80% or more", "Dhusari": "no target"}
    assert names(default) == ["below 50%", "50–80%", "80% or more", "no target"]
    moved = figures.block_ranking(blocks_frame(), context(), 65.2, limits=Thresholds(75, 85))
    assert {block: name for block, (name, _, _) in bars(moved).items()} == {
        "Chandanpura": "below 75%", "Amlapur": "below 75%", "Bhargama": "85% or more", "Dhusari": "no target"}
    assert "75–85%" not in names(moved)  # no block is amber any more
    assert list(trace(moved, "below 75%").y) == ["Amlapur", "Chandanpura"]  # in rank order


def test_each_status_has_its_own_pattern_and_colour():
    fig = figures.block_ranking(blocks_frame(), context(), 65.2)
    shapes = {t.name: t.marker.pattern.shape for t in fig.data}
    colours = {t.name: t.marker.color for t in fig.data}
    assert len(set(shapes.values())) == len(shapes) == 4
    assert len(set(colours.values())) == 4
    assert shapes == {"below 50%": "/", "50–80%": ".", "80% or more": "", "no target": "x"}


def test_block_ranking_title_subtitle_and_source():
    fig = figures.block_ranking(blocks_frame(), context(), 65.2)
    assert fig.layout.title.text == "Ayushman cards: blocks ranked by achievement against target"
    subtitle = fig.layout.title.subtitle.text
    assert subtitle.startswith("Sahyogpur · as of 30-05-2025 · ")
    assert source_text(fig) == "Source: block reports uploaded to Samiksha up to 30-05-2025 16:34 IST"
    nothing = figures.block_ranking(blocks_frame(), context(uploaded=None, district=""), None)
    assert source_text(nothing) == "Source: no block reports uploaded yet"
    assert nothing.layout.title.subtitle.text.startswith("as of 30-05-2025 · ")


def test_block_ranking_reference_lines():
    fig = figures.block_ranking(blocks_frame(), context(), 65.2)
    lines = {shape.x0: shape.line.dash for shape in fig.layout.shapes}
    assert lines == {100: None, 65.2: "dash"}  # the target (100%) and the district's %
    assert "District 65.2%" in [a.text for a in fig.layout.annotations]
    without = figures.block_ranking(blocks_frame(), context(), None)
    assert [shape.x0 for shape in without.layout.shapes] == [100]
    assert not any(a.text.startswith("District") for a in without.layout.annotations)
    # The axis reaches past the best block and past 100%.
    over = blocks_frame().assign(pct=[72.5, 150.0, 10.0, None])
    assert figures.block_ranking(over, context(), 65.2).layout.xaxis.range[1] >= 150


def test_block_ranking_in_hindi():
    fig = figures.block_ranking(blocks_frame(), context("hi", district="सहयोगपुर"), 65.2)
    assert fig.layout.title.text == "आयुष्मान कार्ड: लक्ष्य के मुकाबले उपलब्धि के अनुसार प्रखंडों का क्रम"
    assert fig.layout.title.subtitle.text.startswith("सहयोगपुर · 30-05-2025 तक · ")
    assert source_text(fig) == "स्रोत: 30-05-2025 16:34 IST तक समीक्षा में अपलोड की गई प्रखंड रिपोर्ट"
    found = bars(fig)
    assert found["Dhusari"][:1] + found["Dhusari"][2:] == ("लक्ष्य नहीं", "50 / लक्ष्य नहीं")
    assert found["Chandanpura"][0] == "50% से कम"
    assert "ज़िला 65.2%" in [a.text for a in fig.layout.annotations]


def test_block_ranking_from_the_block_review_query(con):
    """Real query output (NaN, Int64, int32 columns) goes straight into the chart."""
    data = csv_bytes([["Ayushman card report dated 30.05.2025"], ["Block", "Target", "Today", "Achieved"],
                      ["Araria", "485600", "100", "352080"], ["Palasi", "1000", "5", "900"], ["Jokihat", "", "3", "50"]])
    assert ingest(con, data, "r.csv").status == "stored"
    review = queries.run(con, "block_review", indicator=IND, as_of=AS_OF)
    summary = queries.run(con, "district_summary", indicator=IND, as_of=AS_OF).iloc[0]
    fig = figures.block_ranking(review, context(), summary["pct"], limits=Thresholds())
    found = bars(fig)
    assert {block: (name, text) for block, (name, _, text) in found.items()} == {
        "Palasi": ("80% or more", "900 / 1,000 · 90.0%"),
        "Araria": ("50–80%", "3,52,080 / 4,85,600 · 72.5%"),
        "Jokihat": ("no target", "50 / no target")}
    assert top_to_bottom(fig) == ["Palasi", "Araria", "Jokihat"]
    # Jokihat has no target: the blocks' targets cover only part of the district, so there is
    # no district % (50 of Jokihat's would be set against the others' targets) and no line.
    assert summary["pct"] != summary["pct"] and summary["target"] != summary["target"]
    assert not [a.text for a in fig.layout.annotations if a.text.startswith("District")]


# ---------------------------------------------------------------- trend


FIRST_DAY = D(2025, 5, 1)


def series(values, today=None) -> pd.DataFrame:
    """progress_trend-like rows, one a day from the 1st of May."""
    dates = [pd.Timestamp(FIRST_DAY + dt.timedelta(days=i)) for i in range(len(values))]
    return pd.DataFrame({"report_date": dates, "achieved": values,
                         "achieved_today": today if today is not None else [0] * len(values)})


TREND_CTX = context(as_of=D(2025, 5, 3))


def test_trend_target_line_from_the_start_to_the_target_on_the_deadline():
    fig = figures.trend(series([100, 250, 400]), TREND_CTX, target=5000, deadline=D(2025, 5, 31),
                        start=D(2025, 4, 28), pace=150.0)
    line = trace(fig, "Straight line to the target")
    assert list(line.x) == [D(2025, 4, 28), D(2025, 5, 31)]
    assert list(line.y) == [0.0, 5000.0]  # from 0 at the campaign's start
    assert line.text[-1] == "target 5,000 by 31-05-2025"
    # Without a campaign start: from the first report and its figure.
    fig = figures.trend(series([100, 250, 400]), TREND_CTX, target=5000, deadline=D(2025, 5, 31))
    line = trace(fig, "Straight line to the target")
    assert (list(line.x), list(line.y)) == ([D(2025, 5, 1), D(2025, 5, 31)], [100.0, 5000.0])


def test_trend_achieved_and_daily_traces():
    fig = figures.trend(series([100, 250, 400], [0, 150, None]), TREND_CTX, target=5000, deadline=D(2025, 5, 31))
    achieved = trace(fig, "Achieved (cumulative)")
    assert list(achieved.x) == [D(2025, 5, 1), D(2025, 5, 2), D(2025, 5, 3)]
    assert list(achieved.y) == [100.0, 250.0, 400.0]
    daily = trace(fig, "Added each day")
    assert daily.type == "bar" and list(daily.y) == [0.0, 150.0, 0.0]
    assert daily.yaxis == "y2"
    assert "Added each day" not in names(figures.trend(series([100, 250, 400]), TREND_CTX, daily=False))


def test_trend_pace_line_when_behind():
    fig = figures.trend(series([100, 250, 400]), TREND_CTX, target=5000, deadline=D(2025, 5, 31), pace=150.0)
    pace = trace(fig, "At the last 7 days' pace (150 a day)")
    days = math.ceil((5000 - 400) / 150)  # 31, within three times the 28 days left
    assert list(pace.x) == [D(2025, 5, 3), D(2025, 5, 3) + dt.timedelta(days=days)]
    assert list(pace.y) == [400.0, 400.0 + 150 * days]
    # A slow pace is drawn for at most three times the days left, to keep the chart readable.
    slow = trace(figures.trend(series([100, 250, 400]), TREND_CTX, target=5000, deadline=D(2025, 5, 31), pace=10.0),
                 "At the last 7 days' pace (10 a day)")
    assert list(slow.x) == [D(2025, 5, 3), D(2025, 5, 3) + dt.timedelta(days=3 * 28)]
    assert list(slow.y) == [400.0, 400.0 + 10 * 84]


@pytest.mark.parametrize("kwargs", [
    {"target": 5000, "deadline": D(2025, 5, 31), "pace": 0},
    {"target": 5000, "deadline": D(2025, 5, 31), "pace": None},
    {"target": 5000, "deadline": D(2025, 5, 31), "pace": float("nan")},
    {"target": 5000, "deadline": D(2025, 5, 31), "pace": -20.0},
    {"target": 300, "deadline": D(2025, 5, 31), "pace": 150.0},  # already past the target
    {"target": None, "deadline": D(2025, 5, 31), "pace": 150.0},  # no target: nowhere to head for
    {"target": None, "deadline": None, "pace": 150.0},
], ids=["zero", "none", "nan", "negative", "reached", "no-target", "nothing"])
def test_trend_without_a_pace_line(kwargs):
    fig = figures.trend(series([100, 250, 400]), TREND_CTX, **kwargs)
    assert not any(str(n).startswith("At the last 7 days") for n in names(fig))


def test_trend_without_a_deadline_has_no_target_line_but_a_pace_line():
    fig = figures.trend(series([100, 250, 400]), TREND_CTX, target=5000, deadline=None, pace=150.0)
    assert "Straight line to the target" not in names(fig)
    assert len(fig.layout.shapes) == 0  # no deadline marker
    assert "At the last 7 days' pace (150 a day)" in names(fig)  # projection needs no deadline
    no_target = figures.trend(series([100, 250, 400]), TREND_CTX, target=None, deadline=D(2025, 5, 31))
    assert "Straight line to the target" not in names(no_target)


@pytest.fixture
def india_time(monkeypatch):
    """The server's clock in IST (as on a machine in the district office)."""
    monkeypatch.setenv("TZ", "Asia/Kolkata")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


def _deadline_marks(fig) -> set:
    # A date string is a calendar date to plotly.js; a number would be milliseconds in UTC.
    return {dt.datetime.fromisoformat(shape.x0) if isinstance(shape.x0, str)
            else dt.datetime.fromtimestamp(shape.x0 / 1000, dt.UTC).replace(tzinfo=None) for shape in fig.layout.shapes}


def test_trend_deadline_mark_on_a_utc_clock(monkeypatch):
    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    try:
        fig = figures.trend(series([100, 250, 400]), TREND_CTX, target=5000, deadline=D(2025, 5, 31))
        assert _deadline_marks(fig) == {dt.datetime(2025, 5, 31)}
        assert {shape.xref for shape in fig.layout.shapes} == {"x", "x2"}  # both panels
    finally:
        monkeypatch.undo()
        time.tzset()


def test_trend_deadline_mark_on_an_indian_clock(india_time):
    fig = figures.trend(series([100, 250, 400]), TREND_CTX, target=5000, deadline=D(2025, 5, 31))
    assert _deadline_marks(fig) == {dt.datetime(2025, 5, 31)}


def test_trend_axis_ticks_in_indian_format():
    fig = figures.trend(series([100000, 250000, 400000]), TREND_CTX, target=485600, deadline=D(2025, 5, 31))
    assert list(fig.layout.yaxis.tickvals) == [0, 100000, 200000, 300000, 400000, 500000]
    assert list(fig.layout.yaxis.ticktext) == ["0", "1,00,000", "2,00,000", "3,00,000", "4,00,000", "5,00,000"]
    assert fig.layout.yaxis.range[1] >= 485600


def test_trend_titles():
    fig = figures.trend(series([1, 2, 3]), TREND_CTX, target=50, deadline=D(2025, 5, 31))
    assert fig.layout.title.text == "Ayushman cards in Sahyogpur: cumulative against the target line"
    assert fig.layout.title.subtitle.text == "as of 03-05-2025 · Ayushman cards, cumulative number"
    assert source_text(fig) == "Source: block reports uploaded to Samiksha up to 30-05-2025 16:34 IST"
    block = figures.trend(series([1, 2, 3]), TREND_CTX, place="Araria block")
    assert block.layout.title.text == "Ayushman cards in Araria block: cumulative against the target line"
    plain = figures.trend(series([1, 2, 3]), context(district="", as_of=D(2025, 5, 3)))
    assert plain.layout.title.text == "Ayushman cards: cumulative against the target line"
    hindi = figures.trend(series([1, 2, 3]), context("hi", district="सहयोगपुर", as_of=D(2025, 5, 3)))
    assert hindi.layout.title.text == "सहयोगपुर में आयुष्मान कार्ड: लक्ष्य रेखा के मुकाबले संचयी"
    assert hindi.layout.title.subtitle.text.startswith("03-05-2025 तक")


def test_trend_of_nothing_yet():
    fig = figures.trend(series([]), TREND_CTX, target=5000, deadline=D(2025, 5, 31), pace=None)
    assert list(trace(fig, "Achieved (cumulative)").y) == []
    assert list(trace(fig, "Straight line to the target").x) == [D(2025, 5, 3), D(2025, 5, 31)]


@pytest.mark.parametrize("top, lang, values, labels", [
    (485600, "en", [0, 100000, 200000, 300000, 400000, 500000],
     ["0", "1,00,000", "2,00,000", "3,00,000", "4,00,000", "5,00,000"]),
    (1234, "en", [0, 250, 500, 750, 1000, 1250], ["0", "250", "500", "750", "1,000", "1,250"]),
    (3.2e7, "en", [0, 1e7, 2e7, 3e7, 4e7], ["0", "1 crore", "2 crore", "3 crore", "4 crore"]),
    (3.2e7, "hi", [0, 1e7, 2e7, 3e7, 4e7], ["0", "1 करोड़", "2 करोड़", "3 करोड़", "4 करोड़"]),
    (0, "en", [0], ["0"]),
    (float("nan"), "en", [0], ["0"]),
])
def test_indian_ticks(top, lang, values, labels):
    got_values, got_labels = figures.indian_ticks(top, lang)
    assert got_values == values and got_labels == labels
    assert got_values[-1] >= (top if top == top else 0)


# ---------------------------------------------------------------- panchayats


def panchayats_frame() -> pd.DataFrame:
    return pd.DataFrame({"block": ["Araria"] * 5, "panchayat": ["Basaiti", "Hayatpur", "Kamalpur", "Sirsia", "Tola"],
                         "target": [1000, 800, 600, 2000, None], "achieved": [900, 300, 700, 1000, 40],
                         "pct": [90.0, 37.5, 116.7, 50.0, None]})


def test_panchayat_ranking_marks_those_under_the_minimum():
    fig = figures.panchayat_ranking(panchayats_frame(), context(), "Araria", 500)
    found = bars(fig)
    assert {p: text for p, (_, _, text) in found.items()} == {
        "Kamalpur": "700 / 600 · 116.7%", "Basaiti": "900 / 1,000 · 90.0%", "Sirsia": "1,000 / 2,000 · 50.0%",
        "Hayatpur": "300 / 800 · 37.5% · under 500", "Tola": "40 / no target · under 500"}
    widths = {}
    for t in fig.data:
        for y, width, colour in zip(t.y, t.marker.line.width, t.marker.line.color):
            widths[y] = (width, colour)
    assert {p for p, (width, _) in widths.items() if width == 3} == {"Hayatpur", "Tola"}
    assert {width for p, (width, _) in widths.items() if p not in ("Hayatpur", "Tola")} == {0.5}
    assert top_to_bottom(fig) == ["Kamalpur", "Basaiti", "Sirsia", "Hayatpur", "Tola"]
    assert fig.layout.title.text == "Ayushman cards in Araria block: panchayats against target"
    assert "under the minimum of 500 per panchayat" in fig.layout.title.subtitle.text
    assert {p: name for p, (name, _, _) in found.items()}["Sirsia"] == "50–80%"  # 50% itself is amber


def test_panchayat_ranking_minimum_follows_settings():
    fig = figures.panchayat_ranking(panchayats_frame(), context(), "Araria", 0)
    assert not any("under" in text for _, _, text in bars(fig).values())
    assert {w for t in fig.data for w in t.marker.line.width} == {0.5}
    high = figures.panchayat_ranking(panchayats_frame(), context(), "Araria", 1000)
    under = {p for p, (_, _, text) in bars(high).items() if text.endswith(" · under 1,000")}
    assert under == {"Basaiti", "Hayatpur", "Kamalpur", "Tola"}  # Sirsia has 1,000: not under
    hindi = figures.panchayat_ranking(panchayats_frame(), context("hi"), "अररिया", 500)
    assert bars(hindi)["Hayatpur"][2] == "300 / 800 · 37.5% · 500 से कम"
    assert hindi.layout.title.text == "अररिया प्रखंड में आयुष्मान कार्ड: लक्ष्य के मुकाबले पंचायतें"


# ---------------------------------------------------------------- channels


def channel_frame() -> pd.DataFrame:
    return pd.DataFrame({"block": ["Araria", "Araria", "Araria", "Araria", "Palasi", "Jokihat", "Jokihat"],
                         "channel": ["ASHA", "VLE", "Camp", "Ration dealer", None, "ASHA", "VLE"],
                         "achieved": [70, 40, 10, 6, 50, 22, 33],
                         "achieved_today": [7, 4, 1, 0, 0, 2, 3],
                         "share_pct": [55.6, 31.7, 7.9, 4.8, 100.0, 40.0, 60.0]})


def test_channel_stack_traces_and_values():
    fig = figures.channel_stack(channel_frame(), context())
    bar_traces = [t for t in fig.data if t.type == "bar"]
    assert [t.name for t in bar_traces] == ["ASHA", "VLE", "Not split by channel", "Camp", "Ration dealer"]  # largest first
    got = {(t.name, y): (int(x), text) for t in bar_traces for y, x, text in zip(t.y, t.x, t.text)}
    assert got == {("ASHA", "Araria"): (70, "56%"), ("ASHA", "Jokihat"): (22, "40%"),
                   ("VLE", "Araria"): (40, "32%"), ("VLE", "Jokihat"): (33, "60%"),
                   ("Not split by channel", "Palasi"): (50, "100%"),
                   ("Camp", "Araria"): (10, ""), ("Ration dealer", "Araria"): (6, "")}  # under 8%: no label
    assert not [t for t in fig.data if t.type == "scatter"]  # the totals are in the label column
    assert column_labels(fig) == {"Araria": "126", "Jokihat": "55", "Palasi": "50"}
    assert top_to_bottom(fig) == ["Araria", "Jokihat", "Palasi"]
    assert fig.layout.barmode == "stack"
    assert len({t.marker.pattern.shape for t in bar_traces}) == len(bar_traces)
    assert fig.layout.title.text == "Ayushman cards: each block's achievement by channel"


def test_channel_share_traces_and_values():
    shares = pd.DataFrame({"channel": ["ASHA", None, "VLE", "Camp"], "achieved": [92000, 50000, 73000, 10000],
                           "achieved_today": [9, 0, 7, 1], "share_pct": [40.9, 22.2, 32.4, 4.4]})
    fig = figures.channel_share(shares, context())
    assert len(fig.data) == 1
    bar = fig.data[0]
    assert list(bar.y) == ["ASHA", "Not split by channel", "VLE", "Camp"]
    assert [float(x) for x in bar.x] == [40.9, 22.2, 32.4, 4.4]
    assert list(bar.text) == ["40.9% · 92,000", "22.2% · 50,000", "32.4% · 73,000", "4.4% · 10,000"]
    assert len(set(bar.marker.pattern.shape)) == 4
    assert top_to_bottom(fig) == ["ASHA", "Not split by channel", "VLE", "Camp"]
    assert fig.layout.xaxis.range[1] >= 40.9
    assert fig.layout.title.text == "Ayushman cards: the district's achievement by channel"
    hindi = figures.channel_share(shares, context("hi"))
    assert list(hindi.data[0].y)[1] == "माध्यम-वार नहीं"


def test_channel_share_when_nothing_is_achieved_yet(con):
    data = csv_bytes([["Ayushman card report dated 27.05.2025"], ["Block", "Channel", "Target", "Achieved"],
                      ["Araria", "ASHA", "100", "0"], ["Palasi", "", "50", "0"]])
    assert ingest(con, data, "zero.csv").status == "stored"
    shares = queries.run(con, "channel_share", indicator=IND, as_of="2025-05-27")
    assert shares["share_pct"].isna().all()
    fig = figures.channel_share(shares, context(as_of=D(2025, 5, 27)))
    assert all(math.isfinite(v) for v in fig.layout.xaxis.range)


def test_channel_charts_from_the_queries(con):
    for day, header, rows in (
            ("26.05.2025", ["Block", "Today", "Achieved"], [["Araria", "10", "100"], ["Palasi", "5", "50"]]),
            ("27.05.2025", ["Block", "Channel", "Today", "Achieved"],
             [["Araria", "ASHA", "7", "70"], ["Araria", "VLE", "4", "40"], ["Araria", "Camp", "1", "10"]])):
        assert ingest(con, csv_bytes([[f"Ayushman card report dated {day}"], header, *rows]), f"{day}.csv").ok
    ctx = context(as_of=D(2025, 5, 27))
    stack = figures.channel_stack(queries.run(con, "channel_progress", indicator=IND, as_of="2025-05-27"), ctx)
    assert column_labels(stack) == {"Araria": "120", "Palasi": "50"}  # the whole report of the 26th: not added
    share = figures.channel_share(queries.run(con, "channel_share", indicator=IND, as_of="2025-05-27"), ctx)
    assert list(share.data[0].y) == ["ASHA", "Not split by channel", "VLE", "Camp"]
    assert list(share.data[0].text) == ["41.2% · 70", "29.4% · 50", "23.5% · 40", "5.9% · 10"]


# ---------------------------------------------------------------- drive days


def drive_frame(targets=(1000, 1000)) -> pd.DataFrame:
    dates = pd.to_datetime(["2025-05-26", "2025-05-27", "2025-05-28"])
    return pd.DataFrame({"block": ["Araria"] * 3 + ["Palasi"] * 3, "report_date": list(dates) * 2,
                         "achieved_day": [10, 0, 20, 300, 400, 500], "drive_achieved": [30] * 3 + [1200] * 3,
                         "drive_target": pd.array([targets[0]] * 3 + [targets[1]] * 3, dtype="Int64"),
                         "panchayats": [2] * 6})


def test_drive_days_traces_and_values():
    fig = figures.drive_days(drive_frame(), context(), "Special camp drive")
    days = [t for t in fig.data if t.type == "bar"]
    assert [t.name for t in days] == ["Day 1 (26-05-2025)", "Day 2 (27-05-2025)", "Day 3 (28-05-2025)"]
    assert [dict(zip(t.y, (int(x) for x in t.x))) for t in days] == [
        {"Araria": 10, "Palasi": 300}, {"Araria": 0, "Palasi": 400}, {"Araria": 20, "Palasi": 500}]
    target = trace(fig, "Drive target")
    assert dict(zip(target.y, target.x)) == {"Palasi": 1000.0, "Araria": 1000.0}
    assert column_labels(fig) == {"Palasi": "1,200 / 1,000 · 120.0%", "Araria": "30 / 1,000 · 3.0%"}
    assert top_to_bottom(fig) == ["Palasi", "Araria"]  # best % first
    assert fig.layout.barmode == "stack"
    assert fig.layout.title.text == "Ayushman cards: Special camp drive, each block day by day"
    assert fig.layout.title.subtitle.text == ("Sahyogpur · 26-05-2025 to 28-05-2025 · "
                                              "Ayushman cards reported each day; marker: drive target")
    assert source_text(fig) == "Source: block reports uploaded to Samiksha up to 30-05-2025 16:34 IST"


def test_drive_days_without_targets():
    fig = figures.drive_days(drive_frame(targets=(None, None)), context())
    assert "Drive target" not in names(fig)
    assert column_labels(fig) == {"Palasi": "1,200 / no target", "Araria": "30 / no target"}
    assert "campaign days" in fig.layout.title.text
    mixed = figures.drive_days(drive_frame(targets=(100, None)), context())
    assert top_to_bottom(mixed) == ["Araria", "Palasi"]  # a block with a target before one without
    assert dict(zip(trace(mixed, "Drive target").y, trace(mixed, "Drive target").x)) == {"Araria": 100.0,
                                                                                          "Palasi": None}


# ---------------------------------------------------------------- the label column and the axis


def test_bar_labels_stand_in_their_own_column_beside_their_bars():
    fig = figures.block_ranking(blocks_frame(), context(), 65.2)
    assert column_labels(fig) == {block: text for block, (_, _, text) in bars(fig).items()}
    assert all(t.textposition == "none" for t in fig.data)  # nothing drawn at the bars' ends
    notes = [a for a in fig.layout.annotations if a.name == figures.LABEL_NAME]
    assert {(a.xref, a.x, a.xanchor) for a in notes} == {("paper", 1, "left")}  # right of the plot area
    widest = max(figures.text_width(a.text, a.font.size) for a in notes)
    assert fig.layout.margin.r >= figures.LABEL_GAP + widest  # and the column holds the widest label
    panchayats = figures.panchayat_ranking(panchayats_frame(), context(), "Araria", 500)
    assert column_labels(panchayats)["Hayatpur"] == "300 / 800 · 37.5% · under 500"


def test_grouped_bars_each_have_their_label_beside_them():
    blocks = pd.DataFrame({"block": ["Araria", "Palasi"], "shgs": [100, 50], "inactive": [30, 5],
                           "inactive_pct": [30.0, 10.0], "stagnant": [10, 20], "stagnant_pct": [10.0, 40.0]})
    fig = figures.shg_blocks(blocks, context())
    # the first trace of a horizontal group is the lower bar: Stagnant under Inactive
    assert column_labels(fig) == {"Araria": ["10.0% (10 of 100)", "30.0% (30 of 100)"],
                                  "Palasi": ["40.0% (20 of 50)", "10.0% (5 of 50)"]}
    assert [t.name for t in fig.data] == ["Stagnant", "Inactive"]
    assert fig.layout.xaxis.range[1] == pytest.approx(40.0 * 1.04)  # the longest bar and a little room


@pytest.mark.parametrize("pcts, district, low, high", [
    ([32.0, 20.0, 10.0, 30.0, None], None, 100, 105),  # every panchayat under 33%: to the target line, not 160
    ([90.0, 37.5, 116.7, 50.0, None], None, 116.7, 125),  # the best panchayat past the target
])
def test_the_panchayat_axis_follows_its_panchayats(pcts, district, low, high):
    frame = panchayats_frame().assign(pct=pcts)
    end = figures.panchayat_ranking(frame, context(), "Araria", 500).layout.xaxis.range[1]
    assert low < end <= high, end


@pytest.mark.parametrize("pcts, district, low, high", [
    ([40.0, 30.0, 10.0, None], 35.0, 100, 105),  # the target line is the furthest
    ([72.5, 150.0, 10.0, None], 65.2, 150, 160),  # the best block
    ([72.5, 90.0, 10.0, None], 120.0, 120, 126),  # the district past every block
])
def test_the_block_axis_follows_the_bars_and_lines(pcts, district, low, high):
    end = figures.block_ranking(blocks_frame().assign(pct=pcts), context(), district).layout.xaxis.range[1]
    assert low < end <= high, end


def test_each_reference_lines_name_is_on_its_own_side():
    names = {a.text: a.xanchor for a in figures.block_ranking(blocks_frame(), context(), 65.2).layout.annotations
             if a.yref == "y domain"}
    assert names == {"Target": "left", "District 65.2%": "right"}  # apart, however close the lines
    past = {a.text: a.xanchor for a in figures.block_ranking(blocks_frame(), context(), 104.0).layout.annotations
            if a.yref == "y domain"}
    assert past == {"Target": "right", "District 104.0%": "left"}


def test_rows_are_tall_enough_for_their_labels():
    few = figures.panchayat_ranking(panchayats_frame().head(2), context(), "Araria", 500)
    plot = few.layout.height - few.layout.margin.t - few.layout.margin.b
    assert plot >= 2 * (13 * 1.3 + 6)  # two labels of 13 px never touch
    big = figures.enlarged(few, 1.25)
    assert big.layout.height - big.layout.margin.t - big.layout.margin.b >= 2 * (16.2 * 1.3 + 6)
