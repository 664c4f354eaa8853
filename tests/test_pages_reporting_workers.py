"""The Reporting and Workers pages (and their Settings forms) through AppTest, on the demo
district and on hand-made stores: what each page shows agrees with the named queries
(reporting_status, reporting_grid, worker_status, worker_review, worker_output_unknown).

The helpers and fixtures are those of test_pages.py (the demo store is built once per run).
"""
# ruff: noqa: F811 - the fixtures imported from test_pages are the tests' arguments

from __future__ import annotations

import csv
import datetime as dt
import io
import re

import openpyxl
import pytest
from streamlit.testing.v1 import AppTest
from test_pages import (  # noqa: F401 - fixtures are used by name
    APP,
    app,
    array,
    chart,
    download,
    downloads,
    make_store,
    metrics,
    ok,
    one_block_store,
    release,
    stored,
    submit,
    texts,
)

from samiksha import compliance, figures, fmt, ingest, store, workers

REPORTING, WORKERS, SETTINGS = "pages/reporting.py", "pages/workers.py", "pages/settings.py"
AYUSHMAN = "ayushman_cards"
LAST_DAY = dt.date(2025, 5, 30)
AS_OF = "2025-05-30"
DATE_KEY = f"reporting_date_{AYUSHMAN}"
DEVANAGARI = re.compile(r"[\u0900-\u097F]")
LATIN_WORD = re.compile(r"[A-Za-z]{3,}")


def hindi_blocks(path) -> dict[str, str]:
    """Block -> its Hindi name from the stored gazetteer."""
    from samiksha import queries

    release()
    con = store.open_store(str(path))
    try:
        blocks, _ = queries.place_labels(con, "hi")
    finally:
        con.close()
    return blocks


def on_store(path, action) -> None:
    """Change the store file the page reads (the page's cached connection released first)."""
    release()
    con = store.open_store(str(path))
    try:
        action(con)
    finally:
        con.close()
    release()


def reporting(lang: str = "en") -> object:
    return ok(app(lang, page=REPORTING))


def grid_cells(spec: dict) -> dict[tuple[str, str], tuple[int, str]]:
    """The heatmap as {(block label, dd-mm): (status code, cell text)}."""
    heat = next(trace for trace in spec["data"] if trace["type"] == "heatmap")
    ys, xs = array(heat["y"]), array(heat["x"])
    z = [array(row) for row in heat["z"]]
    return {(y, x): (int(z[i][j]), heat["text"][i][j]) for i, y in enumerate(ys) for j, x in enumerate(xs)}


def heat_axes(spec: dict) -> tuple[list[str], list[str]]:
    heat = next(trace for trace in spec["data"] if trace["type"] == "heatmap")
    return array(heat["y"]), array(heat["x"])


def code_texts(at) -> list[str]:
    return [c.value for c in at.code]


# ================================================================ Reporting


def test_reporting_page_names_the_missing_and_late_blocks_on_the_demo(demo_store, downloads):
    status = stored(demo_store, "reporting_status", indicator=AYUSHMAN, report_date=LAST_DAY)
    grid = stored(demo_store, "reporting_grid", indicator=AYUSHMAN, from_date=LAST_DAY - dt.timedelta(days=13),
                  to_date=LAST_DAY)
    blocks = sorted(status["block"])
    assert len(blocks) == 14
    by_status = status.groupby("status")["block"].apply(sorted).to_dict()
    assert by_status["missing"] == ["Tilkuti"] and by_status["late"] == ["Lohachak", "Semrabad"]

    at = reporting()
    assert at.title[0].value == "Reporting: who sent the day's report on time · Sahyogpur (demo)"
    assert [e.value for e in at.error] == [
        "Ayushman cards report for 30-05-2025 not received from 1 block(s) (cut-off 5:00 PM): Tilkuti"]
    late = [w.value for w in at.warning if "after the cut-off" in w.value]
    assert late == ["2 block(s) reported after the cut-off (5:00 PM): "
                    "Lohachak (17:42, 42 min late), Semrabad (19:05, 2 h 05 min late)"]
    assert metrics(at) == {"On time": "11", "Late": "2", "Not received": "1", "Cut-off": "5:00 PM"}
    assert at.metric[0].proto.delta == "of 14 blocks"

    # the reminder: English on the English page, naming exactly the missing block
    assert at.radio(key="reporting_reminder_lang").value == "en"
    [reminder] = code_texts(at)
    assert "30-05-2025" in reminder and "Tilkuti" in reminder and "1 block(s): Tilkuti." in reminder
    assert [b for b in blocks if b in reminder] == ["Tilkuti"]
    assert reminder.endswith("— District office, Sahyogpur (demo)")
    assert not DEVANAGARI.search(reminder)

    # the grid: the 14 blocks by 14 days, each cell the query's status (and time)
    spec = chart(at, "reporting_grid_chart")
    ys, xs = heat_axes(spec)
    assert sorted(ys) == blocks and len(ys) == 14
    assert xs == [(LAST_DAY - dt.timedelta(days=13 - i)).strftime("%d-%m") for i in range(14)]
    missed = grid[grid["status"] == "missing"].groupby("block").size()
    assert set(ys[:len(missed)]) == set(missed.index)  # blocks that missed a day come first
    codes = list(figures.REPORT_COLOURS)
    cells = grid_cells(spec)
    assert len(cells) == len(grid) == 14 * 14
    for row in grid.itertuples():
        code, text = cells[(row.block, row.report_date.strftime("%d-%m"))]
        assert codes[code] == row.status, (row.block, row.report_date)
        assert text.startswith(figures.REPORT_MARKS[row.status])
        if row.status in ("on_time", "late"):
            assert text.endswith(row.uploaded_at.strftime("%H:%M"))
        else:
            assert text == figures.REPORT_MARKS[row.status]
    assert cells[("Tilkuti", "30-05")] == (codes.index("missing"), "✗")
    assert cells[("Semrabad", "30-05")] == (codes.index("late"), "! 19:05")
    assert cells[("Raunakpur", "21-05")][0] == codes.index("missing")

    # the table: one row per block, the day's status and the record over the 14 days
    table = at.dataframe[0].value
    assert sorted(table["Block"]) == blocks
    assert list(table["Block"][:3]) == ["Tilkuti", "Semrabad", "Lohachak"]  # missing, then late
    words = {"on_time": "✓ on time", "late": "! late", "missing": "✗ not received"}
    shown = table.set_index("Block")
    for row in status.itertuples():
        assert shown.loc[row.block, "Status"] == words[row.status]
    assert shown.loc["Lohachak", "Late by"] == "42 min late"
    assert shown.loc["Semrabad", "Late by"] == "2 h 05 min late"
    assert shown.loc["Lohachak", "Uploaded (IST)"] == "30-05-2025 17:42 IST"
    counts = grid.pivot_table(index="block", columns="status", values="report_date", aggfunc="count", fill_value=0)
    for block in blocks:
        assert shown.loc[block, "Days on time"] == counts.loc[block].get("on_time", 0)
        assert shown.loc[block, "Days late"] == counts.loc[block].get("late", 0)
        assert shown.loc[block, "Days missing"] == counts.loc[block].get("missing", 0)
    assert shown.loc["Raunakpur", "Days missing"] == 1 and shown.loc["Semrabad", "Days late"] == 3

    excel = download(at, downloads, "reporting_excel")
    assert excel.filename == "reporting_30-05-2025.xlsx"
    rows = list(openpyxl.load_workbook(io.BytesIO(excel.content)).active.iter_rows(values_only=True))
    assert rows[0][:2] == ("Block", "Status")
    assert [r[0] for r in rows[1:]] == list(table["Block"])
    assert dict((r[0], r[1]) for r in rows[1:]) == dict(zip(table["Block"], table["Status"], strict=True))
    late_row = next(r for r in rows if r[0] == "Semrabad")
    assert late_row[2] == dt.datetime(2025, 5, 30, 19, 5)


def test_reporting_page_in_hindi_names_blocks_in_hindi(demo_store):
    hindi = hindi_blocks(demo_store)
    assert hindi["Tilkuti"] == "तिलकुटी"
    at = reporting("hi")
    assert at.title[0].value == "रिपोर्टिंग: किसने समय पर रिपोर्ट भेजी · सहयोगपुर (डेमो)"
    [error] = [e.value for e in at.error]
    assert error.endswith(": तिलकुटी") and "Tilkuti" not in error and "30-05-2025" in error
    late = next(w.value for w in at.warning if "समय-सीमा" in w.value)
    assert hindi["Lohachak"] in late and hindi["Semrabad"] in late and "42 मिनट देर" in late
    assert "Lohachak" not in late and "Semrabad" not in late
    assert metrics(at) == {"समय पर": "11", "देर से": "2", "नहीं आई": "1", "समय-सीमा": "शाम 5:00 बजे"}

    assert at.radio(key="reporting_reminder_lang_hi").value == "hi"
    [reminder] = code_texts(at)
    assert reminder.startswith("अनुस्मारक") and "तिलकुटी" in reminder and "30-05-2025" in reminder
    assert [name for name in hindi.values() if name in reminder] == ["तिलकुटी"]
    assert not LATIN_WORD.search(reminder), reminder  # all in Devanagari (digits and dates aside)

    ys, _ = heat_axes(chart(at, "reporting_grid_chart"))
    assert sorted(ys) == sorted(hindi.values())
    assert set(at.dataframe[0].value["प्रखंड"]) == set(hindi.values())



def test_reporting_reminder_in_english_from_the_hindi_page(demo_store):
    # (set before the run: AppTest formats the Hindi page's pickers outside the script, in English)
    at = AppTest.from_file(APP, default_timeout=60)
    at.session_state["lang"] = "hi"
    at.session_state["reporting_reminder_lang_hi"] = "en"
    at.switch_page(REPORTING)
    ok(at.run())
    assert at.radio(key="reporting_reminder_lang_hi").value == "en"
    [reminder] = code_texts(at)
    assert reminder.startswith("Reminder:") and reminder.count("Tilkuti") == 1 and "तिलकुटी" not in reminder
    assert "तिलकुटी" in at.error[0].value  # the page itself stays in Hindi


def test_reporting_another_day_names_its_missing_block(demo_store):
    at = reporting()
    at.date_input(key=DATE_KEY).set_value(dt.date(2025, 5, 21))
    ok(at.run())
    assert [e.value for e in at.error] == [
        "Ayushman cards report for 21-05-2025 not received from 1 block(s) (cut-off 5:00 PM): Raunakpur"]
    assert metrics(at) == {"On time": "13", "Late": "0", "Not received": "1", "Cut-off": "5:00 PM"}
    [reminder] = code_texts(at)
    assert "21-05-2025" in reminder and "Raunakpur" in reminder and "Tilkuti" not in reminder
    _, xs = heat_axes(chart(at, "reporting_grid_chart"))
    assert xs[-1] == "21-05" and xs[0] == "08-05"
    shown = at.dataframe[0].value.set_index("Block")
    assert shown.loc["Raunakpur", "Status"] == "✗ not received" and shown.index[0] == "Raunakpur"



def test_reporting_on_a_holiday_no_block_is_missing(demo_store):
    on_store(demo_store, lambda con: compliance.set_holidays(con, {dt.date(2025, 5, 21): "Buddha Purnima"}))
    at = app(page=REPORTING)
    at.date_input(key=DATE_KEY).set_value(dt.date(2025, 5, 21))
    ok(at.run())
    assert at.date_input(key=DATE_KEY).value == dt.date(2025, 5, 21)
    assert not at.error and not code_texts(at) and not at.subheader
    assert not [w for w in at.warning if "cut-off" in w.value]
    assert metrics(at) == {"On time": "13", "Late": "0", "Not received": "0", "Cut-off": "5:00 PM"}
    assert at.metric[0].proto.delta == "of 13 blocks"
    assert "Holidays in these days (no report expected): 21-05-2025 Buddha Purnima" in texts(at)
    shown = at.dataframe[0].value.set_index("Block")
    assert shown.loc["Raunakpur", "Status"] == "– holiday" and shown.loc["Raunakpur", "Days missing"] == 0
    cells = grid_cells(chart(at, "reporting_grid_chart"))
    assert cells[("Raunakpur", "21-05")] == (list(figures.REPORT_COLOURS).index("holiday"), "–")

    # a holiday on which no block sent anything: said as a holiday, no reminder
    on_store(demo_store, lambda con: compliance.set_holidays(con, {dt.date(2025, 5, 31): "Sunday"}))
    at.date_input(key=DATE_KEY).set_value(dt.date(2025, 5, 31))
    ok(at.run())
    assert [i.value for i in at.info] == ["31-05-2025 is a holiday (Sunday): no report expected."]
    assert not at.error and not code_texts(at) and not at.success
    assert metrics(at, 1, 2) == {"Late": "0", "Not received": "0"}
    cells = grid_cells(chart(at, "reporting_grid_chart"))
    assert {cells[(b, "31-05")][1] for b in shown.index} == {"–"}


def test_reporting_day_after_the_last_report_names_every_block(demo_store):
    at = reporting()
    at.date_input(key=DATE_KEY).set_value(dt.date(2025, 5, 31))
    ok(at.run())
    [error] = [e.value for e in at.error]
    assert "not received from 14 block(s)" in error
    assert metrics(at, 2, 1) == {"Not received": "14"}
    [reminder] = code_texts(at)
    assert "31-05-2025" in reminder and "Tilkuti" in reminder and "Amlapur" in reminder


def test_reporting_page_with_no_progress_says_nothing_yet(tmp_path, monkeypatch):
    make_store(tmp_path / "gazetteer_only.duckdb", (), monkeypatch)
    at = reporting()
    assert [i.value for i in at.info] == ["No reports yet. Upload the day's reports on the Upload & data page."]
    assert not at.metric and not at.code and not at.error and not at.get("plotly_chart")
    assert len(at.get("page_link")) == 1


# ================================================================ Workers


def workers_page(lang: str = "en"):
    return ok(app(lang, page=WORKERS))


def tab_table(at, tab: int):
    tables = at.tabs[tab].dataframe
    assert len(tables), f"no table in tab {at.tabs[tab].label!r}"
    return tables[0].value


def zero_ids(review, block: str | None = None) -> list[str]:
    picked = review[review["zero_output"]]
    if block:
        picked = picked[picked["block"] == block]
    return sorted(picked["worker_id"])


def test_workers_page_on_the_demo(demo_store, downloads):
    status = stored(demo_store, "worker_status", as_of=AS_OF)
    review = stored(demo_store, "worker_review", as_of=AS_OF, block=None)
    total, active = int(status["workers"].sum()), int(status["id_active"].sum())
    trained, zero = int(status["trained"].sum()), int(status["zero_output"].sum())
    assert total == 1516 and len(review) == total and zero == review["zero_output"].sum() > 0

    at = workers_page()
    assert at.title[0].value == "Workers: login IDs, training and output · Sahyogpur (demo)"
    assert at.selectbox(key="workers_as_of").value == LAST_DAY
    cells = {m.label: m for m in at.metric}
    assert cells["Workers"].value == "1,516"
    assert cells["% ID active"].value == fmt.pct(round(100 * active / total, 1))
    assert cells["% trained"].value == fmt.pct(round(100 * trained / total, 1))
    assert cells["No card in 7 days"].value == fmt.number(zero)
    assert cells["No card in 7 days"].proto.delta == f"of {fmt.number(active)} with an active ID"
    assert cells["% ID active"].proto.delta == "deadline 05-06-2025: 6 days left"
    assert cells["% trained"].proto.delta == "deadline 10-06-2025: 11 days left"
    assert f"{fmt.number(total - active)} login IDs still to activate by 05-06-2025" in texts(at)

    # the span: blocks above 20 workers per supervisor named with their ratio
    over = status[status["workers_per_supervisor"] > 20]
    assert sorted(over["block"]) == ["Chandanpura", "Urmilaganj"]
    [span] = [w.value for w in at.warning if w.value.startswith("More than")]
    assert span == "More than 20 workers per supervisor: " + ", ".join(
        f"{b} ({fmt.number(v, 1)})" for b, v in zip(over["block"], over["workers_per_supervisor"], strict=True))
    assert "Chandanpura (23.3)" in span and "Urmilaganj (22.2)" in span

    # the block table: the query's figures, the most zero-output first
    table = at.dataframe[0].value
    assert len(table) == 14 and sorted(table["Block"]) == sorted(status["block"])
    assert list(table["No card in 7 days"]) == sorted(table["No card in 7 days"], reverse=True)
    shown = table.set_index("Block")
    for row in status.itertuples():
        assert shown.loc[row.block, "Workers"] == row.workers
        assert shown.loc[row.block, "Login ID active"] == row.id_active
        assert shown.loc[row.block, "Trained"] == row.trained
        assert shown.loc[row.block, "Supervisors"] == row.supervisors
        assert shown.loc[row.block, "No card in 7 days"] == row.zero_output
        assert shown.loc[row.block, "% ID active"] == pytest.approx(round(100 * row.id_active / row.workers, 1))
        flag = "⚠ " if row.workers_per_supervisor > 20 else ""
        assert shown.loc[row.block, "Workers per supervisor"] == flag + fmt.number(row.workers_per_supervisor, 1)
    spec = chart(at, "workers_chart")
    assert {y for trace in spec["data"] if trace.get("type") == "bar" for y in array(trace["y"])} == set(status["block"])

    # the zero-output tab: exactly the query's workers with zero output
    assert at.tabs[0].label == f"No card in 7 days ({fmt.number(zero)})"
    zero_table = tab_table(at, 0)
    assert sorted(zero_table["Worker ID"]) == zero_ids(review)
    assert f"{fmt.number(zero)} workers in the district with an active login ID made no card" in texts(at)
    excel = download(at, downloads, "workers_zero_excel")
    assert excel.filename == "no_card_in_7_days_30-05-2025.xlsx"
    book = openpyxl.load_workbook(io.BytesIO(excel.content))
    with_zero = sorted(review[review["zero_output"]]["block"].unique())
    assert book.sheetnames == with_zero
    for name in book.sheetnames:
        header, *body = list(book[name].iter_rows(values_only=True))
        assert header[:4] == ("Block", "Panchayat", "Name", "Worker ID")
        assert {r[0] for r in body} == {name}
        assert sorted(r[3] for r in body) == zero_ids(review, name)
    csv_file = download(at, downloads, "workers_zero_csv")
    assert csv_file.filename == "no_card_in_7_days_30-05-2025.csv"
    lines = list(csv.reader(io.StringIO(csv_file.content.decode("utf-8-sig"))))
    assert lines[0][:4] == ["Block", "Panchayat", "Name", "Worker ID"]
    assert sorted(line[3] for line in lines[1:]) == zero_ids(review)

    pending = review[~review["is_active"] | ~review["is_trained"]]
    assert at.tabs[2].label == f"ID or training pending ({fmt.number(len(pending))})"
    assert sorted(tab_table(at, 2)["Worker ID"]) == sorted(pending["worker_id"])
    top = tab_table(at, 1)
    assert len(top) == workers.TOP_SHOWN
    assert list(top["Cards in 7 days"]) == sorted(top["Cards in 7 days"], reverse=True)
    assert top["Cards in 7 days"].iloc[0] == review["cards_7d"].max()
    supervisors = tab_table(at, 3)
    assert supervisors["Workers"].sum() == total
    assert set(supervisors[supervisors["Over the span"] != ""]["Block"]) <= {"Chandanpura", "Urmilaganj"}
    assert at.tabs[4].label == "IDs in no roster (0)"
    assert "Every worker ID in the output is in a roster." in texts(at)


def test_workers_supervisors_metric_is_the_sum_of_the_blocks(demo_store):
    status = stored(demo_store, "worker_status", as_of=AS_OF)
    at = workers_page()
    supervisors = int(status["supervisors"].sum())
    assert len(tab_table(at, 3)) == supervisors
    assert metrics(at)["Supervisors"] == fmt.number(supervisors)


def test_workers_block_picker_filters_the_lists(demo_store, downloads):
    review = stored(demo_store, "worker_review", as_of=AS_OF, block=None)
    semrabad = review[review["block"] == "Semrabad"]
    at = workers_page()
    at.selectbox(key="workers_block").set_value("Semrabad")
    ok(at.run())
    expected = zero_ids(review, "Semrabad")
    assert expected and len(expected) < len(zero_ids(review))
    assert at.tabs[0].label == f"No card in 7 days ({len(expected)})"
    zero_table = tab_table(at, 0)
    assert set(zero_table["Block"]) == {"Semrabad"} and sorted(zero_table["Worker ID"]) == expected
    assert f"{len(expected)} workers in Semrabad with an active login ID made no card" in texts(at)
    pending = semrabad[~semrabad["is_active"] | ~semrabad["is_trained"]]
    assert sorted(tab_table(at, 2)["Worker ID"]) == sorted(pending["worker_id"])
    assert set(tab_table(at, 1)["Block"]) == {"Semrabad"}
    supervisors = tab_table(at, 3)
    assert set(supervisors["Block"]) == {"Semrabad"} and supervisors["Workers"].sum() == len(semrabad)
    book = openpyxl.load_workbook(io.BytesIO(download(at, downloads, "workers_zero_excel").content))
    assert book.sheetnames == ["Semrabad"]
    assert len(at.dataframe[0].value) == 14  # the block table stays whole
    assert metrics(at)["Workers"] == "1,516"

    at.selectbox(key="workers_block").set_value("__all__")
    ok(at.run())
    assert sorted(tab_table(at, 0)["Worker ID"]) == zero_ids(review)


def test_workers_page_in_hindi(demo_store, downloads):
    hindi = hindi_blocks(demo_store)
    status = stored(demo_store, "worker_status", as_of=AS_OF)
    review = stored(demo_store, "worker_review", as_of=AS_OF, block=None)
    total, active = int(status["workers"].sum()), int(status["id_active"].sum())
    english = chart(workers_page(), "workers_chart")  # the chart is kept for the data, not for the language
    at = workers_page("hi")
    spec = chart(at, "workers_chart")
    assert DEVANAGARI.search(spec["layout"]["title"]["text"]) and not DEVANAGARI.search(english["layout"]["title"]["text"])
    assert set(array(spec["data"][0]["y"])) == {hindi[b] for b in status["block"]}
    assert at.title[0].value == "कर्मी: लॉगिन आईडी, प्रशिक्षण और कार्य · सहयोगपुर (डेमो)"
    cells = {m.label: m for m in at.metric}
    assert cells["कर्मी"].value == "1,516"
    assert cells["% आईडी सक्रिय"].value == fmt.pct(round(100 * active / total, 1))
    assert cells["% आईडी सक्रिय"].proto.delta == "अंतिम तिथि 05-06-2025: 6 दिन बाकी"
    assert cells["7 दिन में कोई कार्ड नहीं"].value == fmt.number(int(status["zero_output"].sum()))
    [span] = [w.value for w in at.warning if w.value.startswith("प्रति पर्यवेक्षक")]
    assert f"{hindi['Chandanpura']} (23.3)" in span and f"{hindi['Urmilaganj']} (22.2)" in span
    assert "Chandanpura" not in span
    assert set(at.dataframe[0].value["प्रखंड"]) == {hindi[b] for b in status["block"]}
    zero_table = tab_table(at, 0)
    assert sorted(zero_table["कर्मी आईडी"]) == zero_ids(review)
    assert set(zero_table["प्रखंड"]) == {hindi[b] for b in review[review["zero_output"]]["block"]}
    book = openpyxl.load_workbook(io.BytesIO(download(at, downloads, "workers_zero_excel").content))
    assert set(book.sheetnames) == {hindi[b] for b in review[review["zero_output"]]["block"]}
    header, *body = list(book[hindi["Semrabad"]].iter_rows(values_only=True))
    assert header[:4] == ("प्रखंड", "पंचायत", "नाम", "कर्मी आईडी")
    assert {r[0] for r in body} == {hindi["Semrabad"]}
    assert sorted(r[3] for r in body) == zero_ids(review, "Semrabad")

    at.selectbox(key="workers_block_hi").set_value("Semrabad")
    ok(at.run())
    assert set(tab_table(at, 0)["प्रखंड"]) == {hindi["Semrabad"]}
    assert sorted(tab_table(at, 0)["कर्मी आईडी"]) == zero_ids(review, "Semrabad")


def test_workers_page_without_a_roster_says_so(one_block_store):
    at = workers_page()
    assert [i.value for i in at.info] == ["No workers roster yet."]
    assert "--kind workers" in texts(at)
    assert not at.metric and not at.tabs and not at.get("plotly_chart") and not at.dataframe
    assert len(at.get("page_link")) == 1


def test_workers_long_list_draws_its_first_rows_and_says_how_many_more(one_block_store, downloads):
    """A block's roster of 2,150 workers, none trained: the pending tab counts all 2,150, its
    table draws the first 2,000 in the list's order and says so; the CSV holds all 2,150."""
    lines = ["Worker ID,Name,Role,Block,Panchayat,Login ID Active,Trained,Supervisor"]
    lines += [f"W{n:04d},Asha {n},ASHA,Musahari,Panchayat {5 + n % 2},Yes,No,Supervisor {n % 40}" for n in range(2150)]

    def add(con):
        result = ingest.ingest_file(con.cursor(), ("\n".join(lines) + "\n").encode(), "musahari_roster.csv",
                                    kind="workers")
        assert result.status == "stored", result.refusal and result.refusal.text()

    on_store(one_block_store, add)
    at = workers_page()
    assert at.tabs[2].label == "ID or training pending (2,150)"
    shown = tab_table(at, 2)
    review = stored(one_block_store, "worker_review", as_of=fmt.now_ist().date(), block=None)  # no output: today
    assert len(review) == 2150 and list(shown["Worker ID"]) == list(review["worker_id"][:2000])  # the list's order
    assert ("The first 2,000 of 2,150 rows are shown here; the Excel and CSV downloads hold all of them. "
            "Choose a block to narrow the list.") in [c.value for c in at.tabs[2].caption]
    assert len(tab_table(at, 3)) == 40  # the supervisors: every one drawn
    assert not [c.value for c in at.tabs[3].caption if "The first" in c.value]


UNKNOWN_OUTPUT = b"Date,Worker ID,Name,Cards Made\n29-05-2025,SHP-ZZ-99999,Rekha Devi,5\n30-05-2025,SHP-ZZ-99999,Rekha Devi,7\n"


def test_workers_output_of_an_unknown_id_is_listed(demo_store):
    before = stored(demo_store, "worker_status", as_of=AS_OF)

    def add(con):
        result = ingest.ingest_file(con.cursor(), UNKNOWN_OUTPUT, "extra_output.csv", kind="worker_output")
        assert result.status == "stored", result.refusal and result.refusal.text()

    on_store(demo_store, add)
    unknown = stored(demo_store, "worker_output_unknown", as_of=AS_OF)
    assert list(unknown["worker_id"]) == ["SHP-ZZ-99999"] and unknown["cards"].sum() == 12
    at = workers_page()
    [warning] = [w.value for w in at.warning if "in no roster" in w.value]
    assert warning == ("Output of 1 worker IDs that are in no roster (12 cards) is counted for no block: "
                       "see the last tab.")
    assert at.tabs[4].label == "IDs in no roster (1)"
    listed = tab_table(at, 4)
    assert list(listed["Worker ID"]) == ["SHP-ZZ-99999"]
    assert list(listed["Name"]) == ["Rekha Devi"] and list(listed["Cards"]) == [12] and list(listed["Days"]) == [2]
    assert metrics(at)["Workers"] == "1,516"  # counted for no block
    assert metrics(at)["No card in 7 days"] == fmt.number(int(before["zero_output"].sum()))


# ================================================================ Settings


def settings_page():
    return ok(app(page=SETTINGS))


def saved_reporting(path) -> tuple:
    found = {}
    on_store(path, lambda con: found.update(cutoff=compliance.cutoff(con), holidays=compliance.holidays(con)))
    return found["cutoff"], found["holidays"]


def test_settings_cutoff_of_8_pm_makes_the_late_blocks_on_time(demo_store):
    at = settings_page()
    assert at.time_input(key="report_cutoff").value == dt.time(17, 0)
    assert at.text_area(key="report_holidays").value == ""
    at.time_input(key="report_cutoff").set_value(dt.time(20, 0))
    ok(submit(at, "reporting_form"))
    assert [s.value for s in at.success] == ["Saved."] and not at.error
    assert saved_reporting(demo_store) == (dt.time(20, 0), {})

    ok(at.switch_page(REPORTING).run())
    assert metrics(at) == {"On time": "13", "Late": "0", "Not received": "1", "Cut-off": "8:00 PM"}
    assert not [w for w in at.warning if "after the cut-off" in w.value]
    assert [e.value for e in at.error] == [
        "Ayushman cards report for 30-05-2025 not received from 1 block(s) (cut-off 8:00 PM): Tilkuti"]
    shown = at.dataframe[0].value.set_index("Block")
    assert shown.loc["Lohachak", "Status"] == "✓ on time" and shown.loc["Semrabad", "Status"] == "✓ on time"
    assert shown.loc["Semrabad", "Days late"] == 0 and shown.loc["Raunakpur", "Days late"] == 0
    [reminder] = code_texts(at)
    assert "8:00 PM" in reminder and "5:00 PM" not in reminder


def test_reporting_title_follows_the_cutoff_setting(demo_store):
    on_store(demo_store, lambda con: compliance.set_cutoff(con, dt.time(20, 0)))
    at = reporting()
    assert metrics(at)["Cut-off"] == "8:00 PM"
    assert "5 PM" not in at.title[0].value


def test_settings_saves_holidays(demo_store):
    at = settings_page()
    at.text_area(key="report_holidays").set_value("21-05-2025 Buddha Purnima\n15/08/2025\tIndependence Day")
    ok(submit(at, "reporting_form"))
    assert [s.value for s in at.success] == ["Saved."] and not at.error
    assert saved_reporting(demo_store) == (dt.time(17, 0), {dt.date(2025, 5, 21): "Buddha Purnima",
                                                            dt.date(2025, 8, 15): "Independence Day"})
    release()
    at = settings_page()  # a new session reads them back, dd-mm-yyyy
    assert at.text_area(key="report_holidays").value == "21-05-2025 Buddha Purnima\n15-08-2025 Independence Day"


def test_settings_holiday_shows_on_the_reporting_page(demo_store):
    at = settings_page()
    at.text_area(key="report_holidays").set_value("30-05-2025 Local holiday")
    ok(submit(at, "reporting_form"))
    ok(at.switch_page(REPORTING).run())
    assert not at.error and not code_texts(at)
    assert metrics(at) == {"On time": "11", "Late": "2", "Not received": "0", "Cut-off": "5:00 PM"}
    assert at.dataframe[0].value.set_index("Block").loc["Tilkuti", "Status"] == "– holiday"


def test_settings_bad_holiday_line_changes_nothing(demo_store):
    at = settings_page()
    at.time_input(key="report_cutoff").set_value(dt.time(20, 0))
    at.text_area(key="report_holidays").set_value("15-08-2025 Independence Day\nDiwali 2025")
    ok(submit(at, "reporting_form"))
    assert [e.value for e in at.error] == [
        "Line 2 of the holidays, “Diwali 2025”, does not start with a date (dd-mm-yyyy). Nothing was changed."]
    assert not at.success
    assert saved_reporting(demo_store) == (dt.time(17, 0), {})
    ok(at.switch_page(REPORTING).run())
    assert metrics(at) == {"On time": "11", "Late": "2", "Not received": "1", "Cut-off": "5:00 PM"}


def test_settings_supervisor_span_of_25_flags_no_block(demo_store):
    at = settings_page()
    assert at.date_input(key="worker_id_deadline").value == dt.date(2025, 6, 5)
    assert at.date_input(key="worker_training_deadline").value == dt.date(2025, 6, 10)
    assert at.number_input(key="worker_supervisor_span").value == 20
    at.number_input(key="worker_supervisor_span").set_value(25)
    ok(submit(at, "workers_form"))
    assert [s.value for s in at.success] == ["Saved."] and not at.error
    found = {}
    on_store(demo_store, lambda con: found.update(limits=workers.deadlines(con)))
    assert found["limits"] == workers.Deadlines(dt.date(2025, 6, 5), dt.date(2025, 6, 10), 25)

    ok(at.switch_page(WORKERS).run())
    assert not [w for w in at.warning if w.value.startswith("More than")]
    table = at.dataframe[0].value
    assert not table["Workers per supervisor"].str.contains("⚠").any()
    assert "Chandanpura" in set(table["Block"])
    assert (tab_table(at, 3)["Over the span"] == "").all()
    assert "(about 25 each is the norm)" in texts(at)
    assert metrics(at)["% ID active"] == "84.6%"  # the deadlines kept
    assert {m.label: m.proto.delta for m in at.metric}["% ID active"] == "deadline 05-06-2025: 6 days left"
