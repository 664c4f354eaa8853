"""Every page through AppTest, on the demo district and on hand-made edge-case stores:
what each page shows (figures, charts, tables, downloads) and what its widgets change.

The demo store is built once per test run (in memory, then copied to a file: shared by the
xdist workers through a lock) and copied for each test, so a test may change it freely.
"""

from __future__ import annotations

import base64
import datetime as dt
import io
import json
import re
from pathlib import Path

import numpy as np
import openpyxl
import pytest
from streamlit.runtime.memory_media_file_storage import MemoryMediaFileStorage
from streamlit.testing.v1 import AppTest
from streamlit.testing.v1 import app_test as app_test_module

from samiksha import fmt, ingest, settings, store

ROOT = Path(__file__).resolve().parent.parent
APP = str(ROOT / "app.py")
AYUSHMAN, INSURANCE = "ayushman_cards", "insurance"
LATEST, EARLIER = dt.date(2025, 5, 30), dt.date(2025, 5, 20)

# ---------------------------------------------------------------- helpers


def release() -> None:
    """Close the cached store connection (the next test, or the test itself, opens the file)."""
    from pages import _shared

    _shared.forget_store()


@pytest.fixture(autouse=True)
def _release_after():
    yield
    release()


def app(lang: str = "en", page: str | None = None) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    at.session_state["lang"] = lang
    if page:
        at.switch_page(page)
    return at.run()


def ok(at: AppTest) -> AppTest:
    assert not at.exception, [e.value for e in at.exception]
    return at


def texts(at: AppTest) -> str:
    parts = [e.value for kind in ("markdown", "caption", "success", "info", "warning", "error", "title", "subheader")
             for e in getattr(at, kind)]
    return "\n".join(str(p) for p in parts)


def metrics(at: AppTest, first: int = 0, count: int | None = None) -> dict[str, str]:
    shown = list(at.metric)[first:None if count is None else first + count]
    return {m.label: m.value for m in shown}


def charts(at: AppTest) -> dict[str, dict]:
    """Every plotly chart on the page as its figure JSON, by its key (`block_chart`, ...)."""
    found = {}
    for element in at.get("plotly_chart"):
        key = element.proto.id.rsplit("-", 1)[-1] if element.proto.id else str(len(found))
        found[key] = json.loads(element.proto.spec)
    return found


def chart(at: AppTest, key: str) -> dict:
    found = charts(at)
    assert key in found, f"no chart {key!r} on the page; charts: {sorted(found)}"
    return found[key]


def title(spec: dict) -> str:
    return spec["layout"]["title"]["text"]


def subtitle(spec: dict) -> str:
    return spec["layout"]["title"]["subtitle"]["text"]


def bars(spec: dict) -> list[dict]:
    return [trace for trace in spec["data"] if trace.get("type") == "bar"]


def bar_order(spec: dict) -> list[str]:
    """Categories of a horizontal bar chart, top of the chart first."""
    return list(reversed(spec["layout"]["yaxis"]["categoryarray"]))


def array(value) -> list:
    """A figure JSON array as a list: plotly writes numeric arrays as typed arrays
    ({"dtype": "f8", "bdata": base64})."""
    if isinstance(value, dict) and "bdata" in value:
        return np.frombuffer(base64.b64decode(value["bdata"]), dtype=np.dtype(value["dtype"])).tolist()
    return list(value)


def bar_texts(spec: dict) -> dict[str, str]:
    return {y: text for trace in bars(spec) for y, text in zip(array(trace["y"]), array(trace["text"]), strict=True)}


def bar_values(spec: dict) -> dict[str, float]:
    return {y: x for trace in bars(spec) for y, x in zip(array(trace["y"]), array(trace["x"]), strict=True)}


def legend(spec: dict) -> list[str]:
    return [trace["name"] for trace in bars(spec)]


def achieved_of(label: str) -> int:
    """'8,556 / 31,750 · 26.9%' -> 8556."""
    return int(label.split(" / ")[0].replace(",", ""))


def target_of(label: str) -> int | None:
    target = label.split(" / ")[1].split(" · ")[0]
    return int(target.replace(",", "")) if target[0].isdigit() else None


def frame(at: AppTest, column: str):
    """The first table on the page with a column named `column` ('Rank', 'Panchayat', ...)."""
    for element in at.dataframe:
        if column in element.value.columns:
            return element.value
    raise AssertionError(f"no table with a column {column!r}: {[list(e.value.columns) for e in at.dataframe]}")


RANKED = re.compile(r"(\d+)\\?\. (.+?) — \*\*([\d.]+%)\*\*")


def ranked_list(at: AppTest, heading: str) -> list[tuple[int, str, str]]:
    """The first 'five lowest/highest blocks' list under `heading` as (rank, block, %)."""
    shown = [m.value for m in at.markdown]
    where = next(i for i, text in enumerate(shown) if heading in text)
    text = shown[where].split(heading, 1)[1]
    if not RANKED.search(text) and where + 1 < len(shown) and "**" not in text:  # the list in an element of its own
        text = shown[where + 1]
    return [(int(rank), name, pct) for rank, name, pct in RANKED.findall(text)]


def drill_picker(at: AppTest):
    """The drill-down's block picker (its key: "drill_choice", per language "drill_choice_hi")."""
    pickers = [box for box in at.selectbox if (box.key or "").startswith("drill_")]
    assert len(pickers) == 1, f"no single block picker: {[box.key for box in at.selectbox]}"
    return pickers[0]


def info_texts(at: AppTest) -> list[str]:
    return [i.value for i in at.info]


@pytest.fixture
def downloads(monkeypatch):
    """The files behind download buttons: {url: MemoryFile} of every AppTest run."""
    stored: dict[str, object] = {}

    class Recording(MemoryMediaFileStorage):
        def load_and_get_id(self, path_or_data, mimetype, kind, filename=None):
            file_id = super().load_and_get_id(path_or_data, mimetype, kind, filename)
            stored[self.get_url(file_id)] = self.get_file(file_id)
            return file_id

    monkeypatch.setattr(app_test_module, "MemoryMediaFileStorage", Recording)
    return stored


def download(at: AppTest, downloads: dict, key: str):
    button = next(b for b in at.get("download_button") if b.proto.id.endswith(key))
    assert button.proto.url in downloads, "the download's data was not recorded"
    return downloads[button.proto.url]


# ---------------------------------------------------------------- hand-made stores

GAZETTEER = (
    "state_code,state_name,district_code,district_name,block_code,block_name,block_name_hi,"
    "panchayat_code,panchayat_name,panchayat_name_hi\n"
    "10,BIHAR,230,DARBHANGA,2005,MUSAHARI,मुशहरी,300501,Panchayat 5,पंचायत 5\n"
    "10,BIHAR,230,DARBHANGA,2005,MUSAHARI,मुशहरी,300502,Panchayat 6,पंचायत 6\n"
    "10,BIHAR,230,DARBHANGA,2004,GORA BAURAM,गौड़ा बौराम,300401,Bauram,बौराम\n"
).encode()
WITH_TARGET = "Block,Panchayat,Target,Achieved Today,Cumulative Achieved"
NO_TARGET = "Block,Panchayat,Achieved Today,Cumulative Achieved"


def report(day: str, header: str, *rows: str) -> bytes:
    return (f"Ayushman card daily report dated {day}\n{header}\n" + "\n".join(rows) + "\n").encode()


ONE_BLOCK = (report("25/05/2025", WITH_TARGET, "Musahari,Panchayat 5,1000,50,350", "Musahari,Panchayat 6,800,40,260"),
             report("26/05/2025", WITH_TARGET, "Musahari,Panchayat 5,1000,50,400", "Musahari,Panchayat 6,800,40,300"))
NO_TARGETS = (report("25/05/2025", NO_TARGET, "Musahari,Panchayat 5,50,350", "Musahari,Panchayat 6,40,260"),
              report("26/05/2025", NO_TARGET, "Musahari,Panchayat 5,50,400", "Musahari,Panchayat 6,40,300"))
# Musahari reports panchayat by panchayat, Gora Bauram as a whole block (no panchayat).
WHOLE_BLOCK = (report("26/05/2025", WITH_TARGET, "Musahari,Panchayat 5,1000,50,400", "Musahari,Panchayat 6,800,40,300",
                      "Gora Bauram,,2000,100,900"),)


def make_store(path: Path, reports, monkeypatch) -> Path:
    con = store.open_store(str(path))
    assert ingest.ingest_file(con.cursor(), GAZETTEER, "lgd.csv", kind="gazetteer").ok
    for index, data in enumerate(reports):
        result = ingest.ingest_file(con.cursor(), data, f"report_{index}.csv", files=store.files_dir(str(path)))
        assert result.status == "stored", result.refusal and result.refusal.text()
    con.close()
    monkeypatch.setenv("SAMIKSHA_DB", str(path))
    return path


@pytest.fixture
def one_block_store(tmp_path, monkeypatch) -> Path:
    return make_store(tmp_path / "one.duckdb", ONE_BLOCK, monkeypatch)


@pytest.fixture
def no_target_store(tmp_path, monkeypatch) -> Path:
    return make_store(tmp_path / "notarget.duckdb", NO_TARGETS, monkeypatch)


@pytest.fixture
def whole_block_store(tmp_path, monkeypatch) -> Path:
    return make_store(tmp_path / "whole.duckdb", WHOLE_BLOCK, monkeypatch)


# ================================================================ Overview


def test_overview_cards_lists_and_trend_on_the_demo(demo_store):
    at = ok(app())
    assert at.title[0].value == "District overview · Sahyogpur (demo)"
    assert [s.value for s in at.subheader] == ["Ayushman cards · As of 30-05-2025",
                                               "Insurance enrolments · As of 30-05-2025"]
    cards = metrics(at, 0, 8)  # the Ayushman cards block comes first
    assert cards["Target"] == "4,85,600"
    assert cards["Achieved"] == "3,51,020"  # Tilkuti has not reported on 30-05 (its 29-05 figure stands)
    assert cards["% achieved"] == "72.3%"
    assert cards["Deadline"] == "15-06-2025"
    assert cards["Needed per day"] == "8,412"
    finish = next(m for m in list(at.metric)[:8] if m.label == "Target met at this pace on")
    assert re.fullmatch(r"\d\d-\d\d-2025", finish.value)
    assert dt.datetime.strptime(finish.value, "%d-%m-%Y").date() <= dt.date(2025, 6, 15)
    assert finish.value == "11-06-2025" and "4 days before the deadline" in finish.proto.delta
    assert metrics(at, 8, 8)["Target"] == "1,61,830"  # insurance has its own cards

    lowest = ranked_list(at, "Five lowest blocks")
    assert [name for _, name, _ in lowest] == ["Semrabad", "Urmilaganj", "Raunakpur", "Amlapur", "Tilkuti"]
    assert lowest[0] == (14, "Semrabad", "26.9%")
    assert ranked_list(at, "Five highest blocks")[0] == (1, "Dhusari", "117.0%")
    assert "13 of 14 blocks reported on 30-05-2025" in texts(at)

    trend = chart(at, f"trend_{AYUSHMAN}")
    assert title(trend) == "Ayushman cards in Sahyogpur (demo): cumulative against the target line"
    achieved, target_path, pace = trend["data"]
    days, cumulative = array(achieved["x"]), array(achieved["y"])
    assert len(days) == 30 and cumulative[-1] == 351020
    assert days[0].startswith("2025-05-01") and days[-1].startswith("2025-05-30")
    assert array(target_path["y"])[-1] == 485600 and array(target_path["x"])[-1].startswith("2025-06-15")
    assert "11,622 a day" in pace["name"]
    assert f"trend_{INSURANCE}" in charts(at)


def test_overview_in_hindi_on_the_demo(demo_store):
    at = ok(app("hi"))
    assert at.title[0].value == "ज़िले का सारांश · सहयोगपुर (डेमो)"
    assert at.subheader[0].value == "आयुष्मान कार्ड · तिथि 30-05-2025"
    cards = metrics(at, 0, 8)
    assert cards["लक्ष्य"] == "4,85,600"
    assert cards["उपलब्धि"] == "3,51,020"
    assert cards["% उपलब्धि"] == "72.3%"
    assert cards["प्रतिदिन आवश्यक"] == "8,412"
    assert cards["इस गति से लक्ष्य पूरा होगा"] == "11-06-2025"
    assert not any(label in cards for label in ("Target", "Achieved", "Needed per day"))
    lowest = ranked_list(at, "सबसे पीछे के पाँच प्रखंड")
    assert lowest[0] == (14, "सेमराबाद", "26.9%")  # the gazetteer's Hindi name of Semrabad
    trend = chart(at, f"trend_{AYUSHMAN}")
    assert title(trend) == "सहयोगपुर (डेमो) में आयुष्मान कार्ड: लक्ष्य रेखा के मुकाबले संचयी"
    assert trend["data"][0]["name"] == "उपलब्धि (संचयी)"


def test_overview_switches_to_hindi_with_the_radio(demo_store):
    at = ok(app())
    ok(at.radio(key="lang_choice").set_value("hi").run())
    assert at.session_state["lang"] == "hi"
    assert at.title[0].value.startswith("ज़िले का सारांश")


def test_overview_change_from_previous_day_names_a_date_not_a_time(demo_store):
    at = ok(app())
    added = next(m for m in at.metric if m.label == "Added on 30-05-2025")
    assert added.value == "12,912"
    assert added.proto.delta == "+44 vs 29-05-2025"


# ================================================================ Blocks


def test_blocks_ranking_table_and_drill_down_on_the_demo(demo_store, downloads):
    at = ok(app(page="pages/blocks.py"))
    assert at.selectbox(key="indicator_choice").value == AYUSHMAN
    assert at.selectbox(key="as_of_choice").value == LATEST
    ranking = chart(at, "block_chart")
    assert title(ranking) == "Ayushman cards: blocks ranked by achievement against target"
    assert "as of 30-05-2025" in subtitle(ranking)
    order = bar_order(ranking)
    assert len(order) == 14 and order[0] == "Dhusari" and order[-1] == "Semrabad"
    values = bar_values(ranking)
    assert [values[b] for b in order] == sorted(values.values(), reverse=True)  # best % first
    assert bar_texts(ranking)["Semrabad"] == "8,556 / 31,750 · 26.9%"
    assert legend(ranking) == ["below 50%", "50–80%", "80% or more"]

    table = frame(at, "Rank")
    assert list(table["Block"]) == order
    assert table.iloc[-1]["Band"] == "below 50%"

    # the weakest block is opened first
    assert drill_picker(at).value == "Semrabad"
    assert title(chart(at, "panchayat_chart")) == "Ayushman cards in Semrabad block: panchayats against target"
    assert title(chart(at, "block_trend")) == "Ayushman cards in Semrabad block: cumulative against the target line"
    assert metrics(at)["Rank"] == "14 / 14"

    excel = download(at, downloads, "block_excel")
    assert excel.filename == "blocks_Ayushman_cards_30-05-2025.xlsx"
    sheet = openpyxl.load_workbook(io.BytesIO(excel.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:3] == ("Rank", "Block", "Target")
    assert [r[1] for r in rows[1:]] == order
    assert rows[-1][1:4] == ("Semrabad", 31750, 8556)


def test_blocks_indicator_and_as_of_change_the_chart(demo_store):
    at = ok(app(page="pages/blocks.py"))
    before = chart(at, "block_chart")
    at.selectbox(key="indicator_choice").set_value(INSURANCE)
    ok(at.run())
    insurance = chart(at, "block_chart")
    assert title(insurance) == "Insurance enrolments: blocks ranked by achievement against target"
    assert bar_order(insurance) != bar_order(before)
    assert bar_texts(insurance)["Dhusari"] == "12,638 / 11,380 · 111.1%"
    assert bar_order(insurance)[-2:] == ["Semrabad", "Urmilaganj"]
    assert at.selectbox(key="as_of_choice").value == LATEST

    at.selectbox(key="as_of_choice").set_value(EARLIER)
    ok(at.run())
    earlier = chart(at, "block_chart")
    assert "as of 20-05-2025" in subtitle(earlier)
    now, then = bar_texts(insurance), bar_texts(earlier)
    assert set(now) == set(then)
    assert all(achieved_of(then[b]) < achieved_of(now[b]) for b in now)  # cumulative: less by then
    assert all(bar_values(earlier)[b] < bar_values(insurance)[b] for b in now)
    # the rest of the page follows the picks
    assert at.session_state["indicator"] == INSURANCE and at.session_state["as_of"] == EARLIER
    assert "as of 20-05-2025" in subtitle(chart(at, "panchayat_chart"))
    trend = chart(at, "block_trend")
    assert array(trend["data"][0]["x"])[-1].startswith("2025-05-20")


def test_blocks_sort_radio_reorders_chart_and_table(demo_store):
    at = ok(app(page="pages/blocks.py"))
    by_pct = bar_order(chart(at, "block_chart"))
    at.radio(key="block_sort").set_value("achieved")
    ok(at.run())
    ranking = chart(at, "block_chart")
    by_achieved = bar_order(ranking)
    labels = bar_texts(ranking)
    assert by_achieved != by_pct
    assert [achieved_of(labels[b]) for b in by_achieved] == sorted((achieved_of(t) for t in labels.values()),
                                                                    reverse=True)
    assert "ordered by number achieved" in subtitle(ranking)
    assert list(frame(at, "Rank")["Block"]) == by_achieved

    at.radio(key="block_sort").set_value("gap")
    ok(at.run())
    ranking = chart(at, "block_chart")
    labels = bar_texts(ranking)
    gaps = [max(target_of(labels[b]) - achieved_of(labels[b]), 0) for b in bar_order(ranking)]  # ahead: no gap
    assert gaps == sorted(gaps, reverse=True)
    assert bar_order(ranking)[0] == "Urmilaganj"  # 43,000 - 14,822: the largest gap


def test_blocks_drill_down_follows_the_block_picker(demo_store, downloads):
    at = ok(app(page="pages/blocks.py"))
    semrabad = frame(at, "Panchayat")
    drill_picker(at).set_value("Dhusari")
    ok(at.run())
    panchayats = chart(at, "panchayat_chart")
    assert title(panchayats) == "Ayushman cards in Dhusari block: panchayats against target"
    assert title(chart(at, "block_trend")) == "Ayushman cards in Dhusari block: cumulative against the target line"
    table = frame(at, "Panchayat")
    assert set(table["Panchayat"]) == set(bar_values(panchayats))
    assert set(table["Panchayat"]).isdisjoint(set(semrabad["Panchayat"]))
    cells = metrics(at)
    assert cells["Rank"] == "1 / 14" and cells["% achieved"] == "117.0%" and cells["Achieved"] == "41,348"
    excel = download(at, downloads, "panchayat_excel")
    assert excel.filename == "panchayats_Dhusari_30-05-2025.xlsx"
    rows = list(openpyxl.load_workbook(io.BytesIO(excel.content))["Dhusari"].iter_rows(values_only=True))
    assert {r[0] for r in rows[1:]} == {"Dhusari"} and len(rows) - 1 == len(table)


def test_blocks_picks_survive_the_language_switch_and_other_pages(demo_store):
    at = ok(app(page="pages/blocks.py"))
    at.selectbox(key="indicator_choice").set_value(INSURANCE)
    at.selectbox(key="as_of_choice").set_value(EARLIER)
    at.radio(key="block_sort").set_value("gap")
    ok(at.run())
    drill_picker(at).set_value("Dhusari")
    ok(at.run())
    ok(at.radio(key="lang_choice").set_value("hi").run())
    ranking = chart(at, "block_chart")
    assert title(ranking).startswith("बीमा नामांकन:")
    assert "20-05-2025 तक" in subtitle(ranking) and "सबसे बड़ा अंतर ऊपर" in subtitle(ranking)
    assert title(chart(at, "panchayat_chart")).startswith("धूसरी प्रखंड में बीमा नामांकन")
    ok(at.switch_page("pages/campaign.py").run())
    assert title(chart(at, "channel_share")).startswith("बीमा नामांकन:")
    assert "20-05-2025 तक" in subtitle(chart(at, "channel_share"))
    ok(at.radio(key="lang_choice").set_value("en").run())
    ok(at.switch_page("pages/blocks.py").run())
    assert "as of 20-05-2025" in subtitle(chart(at, "block_chart"))
    assert title(chart(at, "panchayat_chart")) == "Insurance enrolments in Dhusari block: panchayats against target"


def test_blocks_in_hindi(demo_store):
    at = ok(app("hi", page="pages/blocks.py"))
    assert at.title[0].value == "लक्ष्य के मुकाबले प्रखंड · सहयोगपुर (डेमो)"
    ranking = chart(at, "block_chart")
    assert title(ranking) == "आयुष्मान कार्ड: लक्ष्य के मुकाबले उपलब्धि के अनुसार प्रखंडों का क्रम"
    assert legend(ranking) == ["50% से कम", "50–80%", "80% या अधिक"]


# ================================================================ Channels and camp days


def test_campaign_channels_and_the_drive_on_the_demo(demo_store, downloads):
    at = ok(app(page="pages/campaign.py"))
    assert at.title[0].value == "Channels and camp days · Sahyogpur (demo)"
    share = chart(at, "channel_share")
    assert title(share) == "Ayushman cards: the district's achievement by channel"
    channels = array(share["data"][0]["y"])
    assert set(channels) == {"ASHA", "VLE", "Ration dealer", "Camp"}
    assert sum(array(share["data"][0]["x"])) == pytest.approx(100, abs=0.5)
    stack = chart(at, "channel_stack")
    assert {trace["name"] for trace in bars(stack)} == set(channels)
    assert len(bar_order(stack)) == 14
    assert not any("do not say the channel" in i for i in info_texts(at))

    assert at.date_input(key="drive_range").value == (dt.date(2025, 5, 20), dt.date(2025, 5, 22))
    drive = chart(at, "drive_chart")
    assert title(drive) == "Ayushman cards: Special camp drive, each block day by day"
    assert [trace["name"] for trace in bars(drive)] == ["Day 1 (20-05-2025)", "Day 2 (21-05-2025)",
                                                        "Day 3 (22-05-2025)"]
    assert "20-05-2025 to 22-05-2025" in subtitle(drive)
    table = frame(at, "Drive total")
    assert list(table.columns[1:4]) == ["20-05-2025", "21-05-2025", "22-05-2025"]
    assert len(table) == 14
    excel = download(at, downloads, "drive_excel")
    assert excel.filename == "campaign_days_Ayushman_cards_20-05-2025_22-05-2025.xlsx"


def test_campaign_other_days_and_a_half_picked_period(demo_store):
    at = ok(app(page="pages/campaign.py"))
    at.date_input(key="drive_range").set_value((dt.date(2025, 5, 26), dt.date(2025, 5, 30)))
    ok(at.run())
    drive = chart(at, "drive_chart")
    assert title(drive) == "Ayushman cards: campaign days, each block day by day"  # not the named drive
    assert len(bars(drive)) == 5 and bars(drive)[0]["name"] == "Day 1 (26-05-2025)"
    at.date_input(key="drive_range").set_value((dt.date(2025, 5, 26),))
    ok(at.run())
    assert "Pick the last day of the period too." in info_texts(at)
    assert "drive_chart" not in charts(at)


def test_campaign_without_a_channel_column_says_so(one_block_store):
    at = ok(app(page="pages/campaign.py"))
    assert any("These reports do not say the channel" in i for i in info_texts(at))
    assert "channel_share" not in charts(at) and "channel_stack" not in charts(at)
    drive = chart(at, "drive_chart")  # no drive set: the last days reported
    assert [trace["name"] for trace in bars(drive)] == ["Day 1 (25-05-2025)", "Day 2 (26-05-2025)"]


# ================================================================ Settings


def submit(at: AppTest, form: str) -> AppTest:
    button = next(b for b in at.button if b.proto.form_id == form)
    return button.click().run()


def test_settings_thresholds_recolour_the_blocks(demo_store):
    at = ok(app(page="pages/settings.py"))
    at.number_input(key="red_below").set_value(60.0)
    at.number_input(key="green_from").set_value(90.0)
    ok(submit(at, "thresholds_form"))
    assert [s.value for s in at.success] == ["Saved."] and not at.error
    ok(at.switch_page("pages/blocks.py").run())
    ranking = chart(at, "block_chart")
    assert legend(ranking) == ["below 60%", "60–90%", "90% or more"]
    statuses = {name: trace["name"] for trace in bars(ranking) for name in array(trace["y"])}
    assert statuses["Kusumtola"] == "60–90%"  # 82.8%: green before, amber now
    assert statuses["Semrabad"] == "below 60%" and statuses["Dhusari"] == "90% or more"
    table = frame(at, "Rank").set_index("Block")
    assert table.loc["Kusumtola", "Band"] == "60–90%" and table.loc["Amlapur", "Band"] == "60–90%"
    assert table.loc["Raunakpur", "Band"] == "below 60%"  # 58.7%: amber before


def test_settings_bad_thresholds_are_refused_and_change_nothing(demo_store):
    at = ok(app(page="pages/settings.py"))
    at.number_input(key="red_below").set_value(90.0)
    at.number_input(key="green_from").set_value(60.0)
    ok(submit(at, "thresholds_form"))
    assert any("Red must be below green" in e.value and "Nothing was changed" in e.value for e in at.error)
    ok(at.switch_page("pages/blocks.py").run())
    assert legend(chart(at, "block_chart")) == ["below 50%", "50–80%", "80% or more"]
    release()
    con = store.open_store(str(demo_store))
    assert settings.thresholds(con) == settings.Thresholds(50.0, 80.0)
    con.close()


def test_settings_refused_thresholds_leave_the_minimum_as_it_was(demo_store):
    at = ok(app(page="pages/settings.py"))
    at.number_input(key="red_below").set_value(90.0)
    at.number_input(key="green_from").set_value(60.0)
    at.number_input(key="panchayat_minimum").set_value(800)
    ok(submit(at, "thresholds_form"))
    assert any("Nothing was changed" in e.value for e in at.error)
    release()
    con = store.open_store(str(demo_store))
    assert settings.panchayat_minimum(con) == 500  # is 800
    con.close()
    assert not at.success  # says "Saved." under the error


def test_settings_drive_shows_on_the_campaign_page(demo_store):
    at = ok(app(page="pages/settings.py"))
    at.text_input(key="drive_name").set_value("Mega camp")
    at.date_input(key="drive_dates").set_value((dt.date(2025, 5, 26), dt.date(2025, 5, 29)))
    ok(submit(at, "drive_form"))
    assert [s.value for s in at.success] == ["Saved."]
    ok(at.switch_page("pages/campaign.py").run())
    assert at.date_input(key="drive_range").value == (dt.date(2025, 5, 26), dt.date(2025, 5, 29))
    drive = chart(at, "drive_chart")
    assert title(drive) == "Ayushman cards: Mega camp, each block day by day"
    assert len(bars(drive)) == 4


def test_settings_district_name_shows_on_the_overview(demo_store):
    at = ok(app(page="pages/settings.py"))
    at.text_input(key="district_en").set_value("Darbhanga")
    at.text_input(key="district_hi").set_value("दरभंगा")
    ok(submit(at, "district_form"))
    assert [s.value for s in at.success] == ["Saved."]
    ok(at.switch_page("pages/overview.py").run())
    assert at.title[0].value == "District overview · Darbhanga"
    assert title(chart(at, f"trend_{AYUSHMAN}")).startswith("Ayushman cards in Darbhanga:")
    ok(at.radio(key="lang_choice").set_value("hi").run())
    assert at.title[0].value == "ज़िले का सारांश · दरभंगा"


def test_settings_target_and_deadline_show_on_the_overview(no_target_store):
    at = ok(app())
    assert metrics(at)["Target"] == "no target"
    ok(at.switch_page("pages/settings.py").run())
    at.number_input(key=f"ind_target_{AYUSHMAN}").set_value(5000)
    at.date_input(key=f"ind_deadline_{AYUSHMAN}").set_value(dt.date(2025, 6, 15))
    ok(submit(at, f"indicator_form_{AYUSHMAN}"))
    assert not at.error
    ok(at.switch_page("pages/overview.py").run())
    cards = metrics(at)
    assert cards["Target"] == "5,000"
    assert cards["Deadline"] == "15-06-2025"
    assert cards["% achieved"] == "14.0%"  # 700 of 5,000
    assert cards["Needed per day"] == "215"  # 4,300 left over the 20 days after 26-05-2025
    trend = chart(at, f"trend_{AYUSHMAN}")
    assert array(trend["data"][1]["y"])[-1] == 5000  # the straight line to the target


# ================================================================ Edge cases


def test_one_block_district_on_every_page(one_block_store):
    at = ok(app())
    cards = metrics(at)
    assert cards["Target"] == "1,800" and cards["Achieved"] == "700" and cards["% achieved"] == "38.9%"
    assert ranked_list(at, "Five lowest blocks") == [(1, "Musahari", "38.9%")]
    assert "1 of 1 blocks reported on 26-05-2025" in texts(at)
    ok(at.switch_page("pages/blocks.py").run())
    ranking = chart(at, "block_chart")
    assert sum(len(array(trace["y"])) for trace in bars(ranking)) == 1
    assert bar_texts(ranking) == {"Musahari": "700 / 1,800 · 38.9%"}
    assert metrics(at)["Rank"] == "1 / 1"
    assert set(bar_values(chart(at, "panchayat_chart"))) == {"Panchayat 5", "Panchayat 6"}
    for page in ("pages/campaign.py", "pages/settings.py", "pages/upload.py"):
        ok(at.switch_page(page).run())
        assert at.title


def test_no_targets_at_all(no_target_store):
    at = ok(app())
    cards = metrics(at)
    assert cards["Target"] == "no target"
    assert cards["% achieved"] == "—" and cards["Achieved"] == "700"
    assert "No block targets yet." in texts(at) and not ranked_list(at, "Five lowest blocks")
    ok(at.switch_page("pages/blocks.py").run())
    ranking = chart(at, "block_chart")
    assert legend(ranking) == ["no target"]
    assert bar_texts(ranking) == {"Musahari": "700 / no target"}
    assert frame(at, "Rank").iloc[0]["Band"] == "no target"
    assert all(t.endswith("no target · under 500") for t in bar_texts(chart(at, "panchayat_chart")).values())
    ok(at.switch_page("pages/campaign.py").run())
    ok(at.switch_page("pages/settings.py").run())


def test_a_block_reporting_as_a_whole(whole_block_store):
    at = ok(app(page="pages/blocks.py"))
    assert bar_order(chart(at, "block_chart")) == ["Gora Bauram", "Musahari"]
    assert drill_picker(at).value == "Musahari"  # the weakest
    assert "panchayat_chart" in charts(at)
    drill_picker(at).set_value("Gora Bauram")
    ok(at.run())
    assert "Gora Bauram reports as a whole block, not panchayat by panchayat." in info_texts(at)
    assert "panchayat_chart" not in charts(at)
    assert metrics(at)["Achieved"] == "900"
    assert "block_trend" in charts(at)


# ================================================================ Map


def geojson(features) -> bytes:
    """A FeatureCollection of boxes: (properties, (west, south, east, north))."""
    return json.dumps({"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": props,
         "geometry": {"type": "Polygon", "coordinates": [[[w, s], [e, s], [e, n], [w, n], [w, s]]]}}
        for props, (w, s, e, n) in features]}).encode()


# Musahari's two panchayats; the second spelled as a close variant; a shape of a place with no report.
PANCHAYAT_SHAPES = geojson([
    ({"GP_NAME": "Panchayat 5", "BLOCK": "Musahari"}, (85.40, 26.10, 85.45, 26.15)),
    ({"GP_NAME": "Panchayt 6", "BLOCK": "Musahari"}, (85.45, 26.10, 85.50, 26.15)),
    ({"GP_NAME": "Bauram", "BLOCK": "Gora Bauram"}, (85.50, 26.10, 85.55, 26.15)),
])


def marker_trace(spec: dict) -> dict:
    """The map's one marker per place (hover and click)."""
    return next(t for t in spec["data"] if t.get("mode") == "markers")


def map_legend(spec: dict) -> list[str]:
    return [t["name"] for t in spec["data"] if t.get("fill") == "toself"]


def test_map_on_the_demo_panchayats_then_blocks(demo_store):
    at = ok(app(page="pages/map.py"))
    assert at.title[0].value == "Map: where are we weak · Sahyogpur (demo)"
    assert metrics(at)["Shapes matched to places"] == "292 / 292"
    spec = chart(at, "place_map")
    assert title(spec) == "Ayushman cards: % of target achieved by panchayat"
    assert len(array(marker_trace(spec)["x"])) == 292
    assert map_legend(spec)[:4] == ["under 50%", "50% to under 80%", "80% to under 100%", "100% or more"]
    assert any(t.get("name") == "block boundary" for t in spec["data"])
    assert len([a for a in spec["layout"]["annotations"] if a.get("xref") != "paper"]) == 14  # block names
    assert "Places with figures but no shape (0)" in texts(at) and "Shapes with no figures (0)" in texts(at)
    assert not any("http" in json.dumps(t) for t in spec["data"])  # nothing fetched: no tiles
    at.radio(key="map_level").set_value("block")
    ok(at.run())
    spec = chart(at, "place_map")
    assert title(spec) == "Ayushman cards: % of target achieved by block"
    assert len(array(marker_trace(spec)["x"])) == 14
    hover = "\n".join(array(marker_trace(spec)["text"]))
    assert "<b>Semrabad</b>" in hover and " / " in hover
    at.selectbox(key="map_measure").set_value("gap")
    ok(at.run())
    spec = chart(at, "place_map")
    assert spec["layout"]["legend"]["title"]["text"] == "Gap to target"
    assert map_legend(spec)[0].endswith("or more")  # the largest gap first, darkest


def test_map_in_hindi(demo_store):
    at = ok(app("hi", page="pages/map.py"))
    spec = chart(at, "place_map")
    assert title(spec) == "आयुष्मान कार्ड: पंचायत-वार लक्ष्य का % प्राप्त"
    labels = {a["text"] for a in spec["layout"]["annotations"] if a.get("xref") != "paper"}
    assert "<b>सेमराबाद</b>" in labels
    assert map_legend(spec)[0] == "50% से कम"


def test_map_without_boundaries_says_how_to_add_them(one_block_store):
    at = ok(app(page="pages/map.py"))
    assert "No boundaries are loaded yet" in texts(at)
    assert "--kind boundaries" in texts(at)
    assert not charts(at)


def test_map_lists_what_did_not_join_and_the_doubtful_matches(one_block_store):
    con = store.open_store(str(one_block_store))
    result = ingest.ingest_file(con.cursor(), PANCHAYAT_SHAPES, "gp.geojson")
    assert result.status == "stored" and result.staged.keys.level == "panchayat"
    con.close()
    at = ok(app(page="pages/map.py"))
    spec = chart(at, "place_map")
    assert len(array(marker_trace(spec)["x"])) == 3
    shown = texts(at)
    assert "Shapes with no figures (2)" in shown  # Bauram has a shape, no report; "Panchayt 6" is asked
    editor = at.get("arrow_data_editor") or at.get("data_editor")
    assert editor, "the match table is editable"
    hover = "\n".join(array(marker_trace(spec)["text"]))
    assert "400 / 1,000 · 40.0%" in hover


def test_upload_page_reads_a_boundary_file_and_stores_it(one_block_store):
    at = ok(app(page="pages/upload.py"))
    at.get("file_uploader")[0].set_value(("gp.geojson", PANCHAYAT_SHAPES, "application/geo+json"))
    ok(at.run())
    shown = texts(at)
    assert "3 shapes of panchayats read (geojson)" in "\n".join(str(m.value) for m in at.markdown) + shown
    assert any(s.label == "Name column" and s.value == "GP_NAME" for s in at.selectbox)
    ok(at.button(key="store_files").click().run())
    con = store.open_store(str(one_block_store))
    assert store.scalar(con, "SELECT count(*) FROM boundary_features") == 3
    con.close()


def test_upload_page_asks_for_the_key_column_of_a_boundary_file_it_cannot_read(one_block_store):
    """No column reads as the places' names or codes: the refusal points to the page's own
    choice (no command-line flag), which is there; once chosen, the file is read."""
    odd = geojson([({"F1": "17", "F2": "Alpha Tola"}, (85.40, 26.10, 85.45, 26.15)),
                   ({"F1": "18", "F2": "Beta Tola"}, (85.45, 26.10, 85.50, 26.15))])
    at = ok(app(page="pages/upload.py"))
    at.get("file_uploader")[0].set_value(("odd.geojson", odd, "application/geo+json"))
    ok(at.run())
    refusal = "\n".join(str(e.value) for e in at.error)
    assert "no column names the places (its columns: F1, F2)" in refusal and "“Name column”" in refusal
    assert "--" not in refusal
    name = next(s for s in at.selectbox if s.label == "Name column")
    assert name.options == ["—", "F1", "F2"]
    ok(name.set_value("F2").run())
    assert "2 shapes of" in "\n".join(str(m.value) for m in at.markdown) + texts(at)
    assert not at.error


def test_upload_page_reads_an_shg_register_with_the_pages_date_and_stores_it(one_block_store):
    register = ("Sl,Block,Panchayat,SHG Name,SHG ID,Formation Date,No. of Members,Last Meeting,"
                "Cumulative Saving,Last Saving Date,Overdue,Status\n"
                "1,Musahari,Budhnagra,Laxmi,SHG001,26-05-2018,13,,\"20,270\",09/05/2025,0,Active\n"
                "2,Musahari,Budhnagra,Durga,SHG002,21-06-2015,12,31.02.2025,\"6,220\",01/05/2025,0,Inactive\n"
                "3,Musahari,Budhnagra,Ganga,SHG003,21-06-2015,12,20/05/2025,\"1,15,800\",12/05/2025,\"5,300\",Active\n")
    at = ok(app(page="pages/upload.py"))
    at.toggle(key="opt_use_date").set_value(True).run()  # the date picker is enabled by the toggle
    at.date_input(key="opt_date").set_value(dt.date(2025, 5, 30))
    at.get("file_uploader")[0].set_value(("shg.csv", register.encode(), "text/csv"))
    ok(at.run())
    shown = texts(at) + "\n".join(str(m.value) for m in at.markdown)
    assert "SHG register" in shown and "30-05-2025" in shown
    problems = "\n".join(str(frame.value.to_dict("records")) for frame in at.dataframe)
    assert "“31.02.2025” is not a date" in problems, shown  # row 3's meeting: kept out, named
    ok(at.button(key="store_files").click().run())
    con = store.open_store(str(one_block_store))
    rows = con.execute("SELECT shg_code, register_date FROM shg_register ORDER BY 1").fetchall()
    con.close()
    assert rows == [("SHG001", dt.date(2025, 5, 30)), ("SHG003", dt.date(2025, 5, 30))]


# ================================================================ SHGs

SHG_PAGE = "pages/shg.py"
SHG_AS_OF = "2025-05-30"
DMY = re.compile(r"\d\d-\d\d-\d{4}")


def shg_page(lang: str = "en") -> AppTest:
    return ok(app(lang, page=SHG_PAGE))


def stored(path: Path, name: str, **params):
    """A named query's answer on the store at `path` (what the page should show)."""
    from samiksha import queries

    release()
    con = store.open_store(str(path))
    try:
        return queries.run(con, name, **params)
    finally:
        con.close()


def inactive_by_code(path: Path, as_of: str = SHG_AS_OF):
    """The inactive_shgs query with each SHG's village organisation (from shg_review)."""
    inactive = stored(path, "inactive_shgs", as_of=as_of)
    review = stored(path, "shg_review", as_of=as_of).set_index("shg_code")
    inactive["village_organisation"] = inactive["shg_code"].map(review["village_organisation"])
    return inactive


def tab_table(at: AppTest, tab: int):
    """The first table in a tab of the SHG page (0: inactive, 1: stagnant, 2: changes, 3: coverage)."""
    tables = at.tabs[tab].dataframe
    assert len(tables), f"no table in tab {at.tabs[tab].label!r}"
    return tables[0].value


def shg_trace(spec: dict, name: str) -> dict[str, float]:
    """One named bar trace of an SHG chart as {block: %}."""
    trace = next(t for t in bars(spec) if t["name"] == name)
    return dict(zip(array(trace["y"]), array(trace["x"]), strict=True))


def codes_of(table) -> list[str]:
    return sorted(table["SHG code"])


def test_shg_page_figures_chart_and_inactive_list_on_the_demo(demo_store):
    inactive = stored(demo_store, "inactive_shgs", as_of=SHG_AS_OF)
    stagnant = stored(demo_store, "stagnant_shgs", as_of=SHG_AS_OF)
    review = stored(demo_store, "shg_review", as_of=SHG_AS_OF)
    assert (len(review), len(inactive), len(stagnant)) == (3569, 781, 963)  # the demo as documented
    at = shg_page()
    assert at.title[0].value == "SHGs · Sahyogpur (demo)"
    assert at.selectbox(key="shg_as_of").value == LATEST
    cells = metrics(at, 0, 3)
    assert cells == {"SHGs in the register": "3,569", "Inactive": fmt.number(len(inactive)),
                     "Stagnant": fmt.number(len(stagnant))}
    shgs = review.groupby("block").size()
    expected_pct = (100 * inactive.groupby("block").size().reindex(shgs.index, fill_value=0) / shgs).round(1)

    spec = chart(at, "shg_block_chart")
    order = bar_order(spec)
    assert len(order) == 14 and set(order) == set(shgs.index)
    shown = shg_trace(spec, "Inactive")
    assert shown == pytest.approx(expected_pct.to_dict())
    assert [shown[b] for b in order] == sorted(shown.values(), reverse=True)  # the worst at the top
    assert order[0] == expected_pct.idxmax() == "Mahuapokhar"
    assert set(shg_trace(spec, "Stagnant")) == set(order)

    assert at.tabs[0].label == f"Inactive SHGs ({fmt.number(len(inactive))})"
    table = tab_table(at, 0)
    assert len(table) == len(inactive)
    assert codes_of(table) == sorted(inactive["shg_code"])
    assert "**781** SHGs · the district" in texts(at)
    assert len(tab_table(at, 1)) == len(stagnant)


def test_shg_filters_block_panchayat_organisation_and_reason(demo_store):
    inactive = inactive_by_code(demo_store)
    overdue = inactive["reasons"].str.split(";").map(lambda found: "loan_overdue" in found)
    # a village organisation with SHGs inactive for a loan overdue and SHGs inactive for other reasons
    mixed = inactive.assign(overdue=overdue).groupby(["block", "panchayat", "village_organisation"])["overdue"]
    block, panchayat, organisation = next(k for k, v in mixed if v.any() and not v.all())
    at = shg_page()

    at.selectbox(key="shg_block").set_value(block)
    ok(at.run())
    in_block = inactive[inactive["block"] == block]
    table = tab_table(at, 0)
    assert set(table["Block"]) == {block}
    assert codes_of(table) == sorted(in_block["shg_code"]) and len(table) < len(inactive)
    assert f"**{len(in_block)}** SHGs · {block}" in texts(at)

    at.selectbox(key="shg_panchayat").set_value(panchayat)
    ok(at.run())
    in_panchayat = in_block[in_block["panchayat"] == panchayat]
    table = tab_table(at, 0)
    assert set(table["Panchayat"]) == {panchayat}
    assert codes_of(table) == sorted(in_panchayat["shg_code"]) and len(table) < len(in_block)
    assert set(at.selectbox(key="shg_vo").options[1:]) >= set(in_panchayat["village_organisation"])

    at.selectbox(key="shg_vo").set_value(organisation)
    ok(at.run())
    in_organisation = in_panchayat[in_panchayat["village_organisation"] == organisation]
    table = tab_table(at, 0)
    assert set(table["Village organisation"]) == {organisation}
    assert codes_of(table) == sorted(in_organisation["shg_code"])
    assert f"**{len(in_organisation)}** SHGs · {block} · {panchayat} · {organisation}" in texts(at)

    at.multiselect(key="shg_reason_inactive").select("loan_overdue")
    ok(at.run())
    with_overdue = in_organisation[in_organisation["reasons"].str.contains("loan_overdue")]
    table = tab_table(at, 0)
    assert 0 < len(table) < len(in_organisation)
    assert codes_of(table) == sorted(with_overdue["shg_code"])
    assert all("loan overdue ₹" in text for text in table["Reasons"])


def test_shg_inactive_excel_has_one_sheet_per_block_and_the_csv_a_bom(demo_store, downloads):
    inactive = stored(demo_store, "inactive_shgs", as_of=SHG_AS_OF)
    review = stored(demo_store, "shg_review", as_of=SHG_AS_OF).set_index("shg_code")
    at = shg_page()
    excel = download(at, downloads, "shg_inactive_excel")
    assert excel.filename == "inactive_shgs_30-05-2025.xlsx"
    book = openpyxl.load_workbook(io.BytesIO(excel.content))
    blocks = sorted(inactive["block"].unique())
    assert len(blocks) == 14 and book.sheetnames == blocks
    dated = 0
    for name in blocks:
        sheet = book[name]
        assert sheet.freeze_panes == "A2"
        rows = list(sheet.iter_rows(values_only=True))
        header, body = rows[0], rows[1:]
        assert header[:4] == ("Block", "Panchayat", "SHG", "Reasons")
        column = {h: i for i, h in enumerate(header)}
        expected = inactive[inactive["block"] == name]
        assert sorted(r[column["SHG code"]] for r in body) == sorted(expected["shg_code"])
        assert {r[column["Block"]] for r in body} == {name}
        assert dict((r[column["SHG code"]], r[column["Reason codes"]]) for r in body) == \
            dict(zip(expected["shg_code"], expected["reasons"], strict=True))
        for number, r in enumerate(body, start=2):
            reasons, meeting = r[column["Reasons"]], review.loc[r[column["SHG code"]], "last_meeting"]
            assert reasons and not re.search(r"\d{4}-\d\d-\d\d", reasons)  # words, never ISO dates
            if "no_meeting" in r[column["Reason codes"]] and not fmt.missing(meeting):
                assert f"no meeting since {meeting:%d-%m-%Y} (" in reasons
                dated += 1
            for day in DMY.findall(reasons):
                dt.datetime.strptime(day, "%d-%m-%Y")  # a real day, written dd-mm-yyyy
            if r[column["Last meeting"]] is not None:  # a date cell shown dd-mm-yyyy, not text
                assert r[column["Last meeting"]].date() == meeting.date()
                assert sheet.cell(row=number, column=column["Last meeting"] + 1).number_format == "dd-mm-yyyy"
    assert dated > 0

    csv_file = download(at, downloads, "shg_inactive_csv")
    assert csv_file.filename == "inactive_shgs_30-05-2025.csv"
    assert csv_file.content.startswith(b"\xef\xbb\xbf")
    import csv as csv_module

    lines = list(csv_module.reader(io.StringIO(csv_file.content.decode("utf-8-sig"))))
    assert lines[0][:4] == ["Block", "Panchayat", "SHG", "Reasons"] and len(lines) - 1 == len(inactive)


def test_shg_page_in_hindi_after_the_language_switch(demo_store, downloads):
    from samiksha import queries

    release()
    con = store.open_store(str(demo_store))
    hindi_blocks, _ = queries.place_labels(con, "hi")
    con.close()
    inactive = stored(demo_store, "inactive_shgs", as_of=SHG_AS_OF)
    at = shg_page()
    ok(at.radio(key="lang_choice").set_value("hi").run())
    assert at.title[0].value == "एसएचजी · सहयोगपुर (डेमो)"
    cells = metrics(at, 0, 3)
    assert cells == {"रजिस्टर में एसएचजी": "3,569", "निष्क्रिय": fmt.number(len(inactive)), "ठहरे हुए": "963"}
    assert at.tabs[0].label == f"निष्क्रिय एसएचजी ({fmt.number(len(inactive))})"
    table = tab_table(at, 0)
    assert list(table.columns[:4]) == ["प्रखंड", "पंचायत", "एसएचजी", "कारण"]
    assert set(table["प्रखंड"]) == {hindi_blocks[b] for b in inactive["block"].unique()}
    assert "सेमराबाद" in set(table["प्रखंड"]) and "Semrabad" not in set(table["प्रखंड"])
    reasons = "\n".join(table["कारण"])
    assert "बैठक" in reasons and "ऋण अतिदेय ₹" in reasons
    assert not re.search(r"\bno meeting\b|\bloan overdue\b|\bno saving\b", reasons)
    order = bar_order(chart(at, "shg_block_chart"))
    assert order[0] == "महुआपोखर" and set(order) == set(hindi_blocks.values())
    assert title(chart(at, "shg_block_chart")).startswith("प्रखंड-वार निष्क्रिय")
    picker = at.selectbox(key="shg_block_hi")
    assert picker.options[0] == "सभी प्रखंड" and "सेमराबाद" in picker.options
    assert at.multiselect(key="shg_reason_inactive_hi").options[0] == "बैठक नहीं"
    excel = download(at, downloads, "shg_inactive_excel")  # each BPM's sheet named in Hindi too
    assert excel.filename == "निष्क्रिय_एसएचजी_30-05-2025.xlsx"
    book = openpyxl.load_workbook(io.BytesIO(excel.content))
    assert set(book.sheetnames) == {hindi_blocks[b] for b in inactive["block"].unique()}
    rows = list(book["सेमराबाद"].iter_rows(values_only=True))
    assert rows[0][:4] == ("प्रखंड", "पंचायत", "एसएचजी", "कारण")
    assert len(rows) - 1 == (inactive["block"] == "Semrabad").sum()
    assert {r[0] for r in rows[1:]} == {"सेमराबाद"}


def test_shg_change_tab_counts_follow_the_changes_query(demo_store):
    changes = stored(demo_store, "shg_changes", as_of=SHG_AS_OF)
    counts = changes["change"].value_counts()
    assert counts["newly_inactive"] and counts["revived"]
    at = shg_page()
    cells = metrics(at, 3, 2)
    assert cells == {"Newly inactive": fmt.number(counts["newly_inactive"]),
                     "Revived": fmt.number(counts["revived"])}
    assert all(m.proto.delta == "since 31-03-2025" for m in list(at.metric)[3:5])
    assert "From the register of 31-03-2025 to that of 30-05-2025, by block:" in texts(at)
    by_block = at.tabs[2].dataframe[0].value
    assert len(by_block) == changes["block"].nunique()
    assert by_block["Newly inactive"].sum() == counts["newly_inactive"]
    assert by_block["Revived"].sum() == counts["revived"]
    listed = at.tabs[2].dataframe[1].value
    assert len(listed) == counts["newly_inactive"] + counts["revived"]  # the two kinds shown first
    assert set(listed["Change"]) == {"Newly inactive", "Revived"}
    picked = changes[changes["change"] == "revived"]
    at.multiselect(key="shg_change_kinds").set_value(["revived"])
    ok(at.run())
    listed = at.tabs[2].dataframe[1].value
    assert codes_of(listed) == sorted(picked["shg_code"])
    assert (listed["Reasons"] == "").all() and (listed["Reasons then"] != "").all()

    at.selectbox(key="shg_as_of").set_value(dt.date(2025, 3, 31))  # the first register: nothing before it
    ok(at.run())
    earlier = stored(demo_store, "inactive_shgs", as_of="2025-03-31")
    assert metrics(at, 1, 1) == {"Inactive": fmt.number(len(earlier))}
    assert metrics(at, 3, 2) == {"Newly inactive": "—", "Revived": "—"}
    assert any(i.startswith("There is only one register up to this date") for i in info_texts(at))
    assert len(at.tabs[2].dataframe) == 0


def test_shg_page_without_a_register_says_how_to_add_one(one_block_store):
    at = shg_page()
    assert info_texts(at) == ["No SHG register has been uploaded yet."]
    assert "--kind shg" in texts(at)
    links = at.get("page_link")
    assert len(links) == 1 and "upload" in links[0].proto.page
    assert not at.metric and not charts(at) and not at.tabs


TINY_REGISTER = (
    b"SHG register as on 30.05.2025\n"
    b"SHG Code,SHG Name,Block,Panchayat,Village,Formation Date,Members,Last Meeting,Cumulative Saving,"
    b"Last Saving Date,Overdue,Status\n"
    b"S1,Laxmi SHG,Musahari,Panchayat 5,Gaon,01.01.2020,10,20.05.2025,12000,20.05.2025,0,Active\n"
    b"S2,Durga SHG,Musahari,Panchayat 6,Gaon,01.01.2020,12,01.01.2025,9000,20.05.2025,0,Active\n"
)


def shg_store(path: Path, monkeypatch, *registers: bytes) -> Path:
    """The small gazetteer and these SHG registers (kind shg), each dated by its title."""
    make_store(path, (), monkeypatch)
    con = store.open_store(str(path))
    for index, data in enumerate(registers):
        result = ingest.ingest_file(con.cursor(), data, f"shg_register_{index}.csv", kind="shg")
        assert result.status == "stored", result.refusal and result.refusal.text()
    con.close()
    return path


def test_shg_register_without_credit_linkage_says_the_rule_was_not_applied(tmp_path, monkeypatch):
    shg_store(tmp_path / "shg.duckdb", monkeypatch, TINY_REGISTER)
    at = shg_page()
    assert metrics(at, 0, 2) == {"SHGs in the register": "2", "Inactive": "1"}  # S2: no meeting since January
    skipped = [w.value for w in at.warning if w.value.startswith("Not applied")]
    assert len(skipped) == 1 and "no credit linkage" in skipped[0]
    assert codes_of(tab_table(at, 0)) == ["S2"]
    assert not len(at.tabs[1].dataframe) or len(tab_table(at, 1)) == 0  # no rule could make one stagnant
    assert "credit linkage" in next(c.value for c in at.caption if c.value.startswith("The register has no column"))


def test_shg_meeting_threshold_set_in_settings_changes_the_inactive_count(demo_store):
    before = stored(demo_store, "inactive_shgs", as_of=SHG_AS_OF)
    at = ok(app(page="pages/settings.py"))
    assert at.number_input(key="shg_meeting_days").value == 90
    at.number_input(key="shg_meeting_days").set_value(7)  # the demo's active SHGs met in the last 14 days
    ok(submit(at, "shg_rules_form"))
    assert [s.value for s in at.success] == ["Saved."] and not at.error
    ok(at.switch_page(SHG_PAGE).run())
    shown = metrics(at, 0, 3)["Inactive"]
    assert "no meeting in 7 days" in texts(at)
    after = stored(demo_store, "inactive_shgs", as_of=SHG_AS_OF)
    assert len(after) > len(before)
    assert shown == fmt.number(len(after))
    assert at.tabs[0].label == f"Inactive SHGs ({fmt.number(len(after))})"


def test_map_offers_the_shg_measures_when_a_register_is_stored(demo_store):
    at = ok(app(page="pages/map.py"))
    measure = at.selectbox(key="map_measure")
    assert "SHGs inactive (%)" in measure.options
    assert {"SHG members with an Ayushman card (%)", "SHG members insured (%)"} <= set(measure.options)
    measure.set_value("shg_inactive_pct")
    ok(at.run())
    assert title(chart(at, "place_map")) == "SHGs inactive (%) by panchayat"
    at.radio(key="map_level").set_value("block")
    ok(at.run())
    spec = chart(at, "place_map")
    assert title(spec) == "SHGs inactive (%) by block"
    hover = "\n".join(array(marker_trace(spec)["text"]))
    blocks = stored(demo_store, "shg_blocks", as_of=SHG_AS_OF)
    assert len(blocks) == 14
    for row in blocks.itertuples():
        assert (f"<b>{row.block}</b><br>{fmt.number(row.shgs)} SHGs · {fmt.number(row.inactive)} inactive "
                f"({fmt.pct(row.inactive_pct)})") in hover


def test_map_without_an_shg_register_offers_no_shg_measure(one_block_store):
    con = store.open_store(str(one_block_store))
    assert ingest.ingest_file(con.cursor(), PANCHAYAT_SHAPES, "gp.geojson").status == "stored"
    con.close()
    at = ok(app(page="pages/map.py"))
    assert "% of target achieved" in at.selectbox(key="map_measure").options
    assert not any("SHG" in option for option in at.selectbox(key="map_measure").options)


TWO_REGISTERS_HEADER = ("SHG Code,SHG Name,Block,Panchayat,Village,Formation Date,Members,Last Meeting,"
                        "Cumulative Saving,Last Saving Date,Credit Linkage,Overdue,Status\n")
# R1 was inactive on 31-03-2025 (a meeting in December, ₹5,000 overdue, marked Inactive) and is
# active again on 30-05-2025; S1 is active in both.
EARLIER_REGISTER = ("SHG register as on 31.03.2025\n" + TWO_REGISTERS_HEADER +
                    "R1,Sita SHG,Musahari,Panchayat 5,Gaon,01.01.2020,10,01.12.2024,8000,20.03.2025,1st,5000,Inactive\n"
                    "S1,Laxmi SHG,Musahari,Panchayat 6,Gaon,01.01.2020,10,25.03.2025,9000,25.03.2025,1st,0,Active\n"
                    ).encode()
LATER_REGISTER = ("SHG register as on 30.05.2025\n" + TWO_REGISTERS_HEADER +
                  "R1,Sita SHG,Musahari,Panchayat 5,Gaon,01.01.2020,10,20.05.2025,9500,20.05.2025,1st,0,Active\n"
                  "S1,Laxmi SHG,Musahari,Panchayat 6,Gaon,01.01.2020,11,25.05.2025,9900,25.05.2025,2nd,0,Active\n"
                  ).encode()


def test_shg_change_list_says_the_reasons_of_the_earlier_register(tmp_path, monkeypatch):
    path = shg_store(tmp_path / "two.duckdb", monkeypatch, EARLIER_REGISTER, LATER_REGISTER)
    changes = stored(path, "shg_changes", as_of=SHG_AS_OF)
    assert changes[["change", "shg_code", "reasons_before"]].values.tolist() == [
        ["revived", "R1", "no_meeting;loan_overdue;marked_inactive"]]
    at = shg_page()
    assert metrics(at, 3, 2) == {"Newly inactive": "0", "Revived": "1"}
    listed = at.tabs[2].dataframe[1].value
    assert listed["SHG code"].tolist() == ["R1"]
    then = listed["Reasons then"].iloc[0]
    assert "no meeting since 01-12-2024" in then  # shows "no meeting recorded"
    assert "loan overdue ₹5,000" in then  # shows today's ₹0
    assert "“Inactive”" in then  # shows “Active”, today's status


def test_shg_block_filter_survives_the_language_switch(demo_store):
    at = shg_page()
    at.selectbox(key="shg_block").set_value("Semrabad")
    ok(at.run())
    assert set(tab_table(at, 0)["Block"]) == {"Semrabad"}
    ok(at.radio(key="lang_choice").set_value("hi").run())
    assert set(tab_table(at, 0)["प्रखंड"]) == {"सेमराबाद"}
