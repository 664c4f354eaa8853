"""Real-browser journeys: the app served by Streamlit, driven in the system Chromium."""

from __future__ import annotations

import json
import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from conftest import demo_file
from playwright.sync_api import expect
from test_app import GAZETTEER, HINDI_REPORT

from samiksha import figures, ingest, queries, store

pytestmark = pytest.mark.browser
ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"
ARTIFACTS = ROOT / "test-artifacts"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def serve(path: Path, *reports: tuple[bytes, str]):
    """Start the app on a store holding the gazetteer (and `reports`); yield its address."""
    con = store.open_store(str(path))
    for data, name in ((GAZETTEER, "lgd.csv"), *reports):
        assert ingest.ingest_file(con.cursor(), data, name).ok
    con.close()
    yield from start(path)


def start(path: Path):
    """Start the app on the store at `path`; yield its address."""
    if not Path(CHROMIUM).exists():
        pytest.fail("Chromium is missing: `make test` installs it (scripts/system-packages.sh)")
    port = free_port()
    env = {**os.environ, "SAMIKSHA_DB": str(path)}
    # the server's output goes to a file: a pipe nobody reads would fill and stop the server
    log = open(Path(path).with_suffix(".server.log"), "w+b")  # noqa: SIM115 - closed below
    process = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", str(ROOT / "app.py"), "--server.headless", "true",
         "--server.address", "127.0.0.1", "--server.port", str(port), "--browser.gatherUsageStats", "false"],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url + "/_stcore/health", timeout=2) as answer:
                if answer.status == 200:
                    break
        except OSError:
            time.sleep(0.3)
    else:
        process.kill()
        log.seek(0)
        pytest.fail("the Streamlit server did not start: " + log.read().decode(errors="replace")[-2000:])
    try:
        yield url
    finally:
        process.terminate()
        process.wait(timeout=20)
        log.close()


@pytest.fixture
def server(tmp_path):
    yield from serve(tmp_path / "browser.duckdb")


@pytest.fixture
def server_with_report(tmp_path):
    yield from serve(tmp_path / "browser.duckdb", (HINDI_REPORT, "araria.csv"))


@pytest.fixture(scope="module")
def demo_server(tmp_path_factory):
    """The app on a copy of the demo district (built once per run, see conftest), started once
    for this file: the tests on it only read."""
    path = tmp_path_factory.mktemp("browser_demo") / "demo.duckdb"
    shutil.copy(demo_file(tmp_path_factory), path)
    yield from start(path)


@pytest.fixture(scope="module")
def chromium():
    """One Chromium for this file; each test has a context (cookies, storage, session) of its own."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(chromium):
    context = chromium.new_context(viewport={"width": 1280, "height": 1400})
    tab = context.new_page()
    requests = []
    tab.on("request", lambda r: requests.append(r.url))
    tab.requests = requests
    yield tab
    context.close()


def shot(page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"))


def test_upload_a_hindi_report_and_see_its_rows_and_matched_names(server, page, tmp_path):
    report = tmp_path / "araria_hindi.csv"
    report.write_bytes(HINDI_REPORT)
    page.goto(server + "/upload")
    page.get_by_text("Upload & data", exact=True).first.wait_for(timeout=30000)
    page.locator('[data-testid="stFileUploader"] input[type="file"]').set_input_files(str(report))
    page.get_by_text("araria_hindi.csv: can be stored").wait_for(timeout=30000)
    table = page.locator('[data-testid="stTable"]').first
    for text in ("अररिया", "Araria", "भरगामा", "Bhargama", "फारबिसगंज", "43,000", "10,757"):
        expect(table).to_contain_text(text)
    expect(table).not_to_contain_text("योग")  # the totals row is not a data row
    expect(page.get_by_text("4 block names: exact 3, unmatched 1")).to_be_visible()
    expect(page.get_by_text("“फारबिसगंज” not matched (maybe Forbesganj")).to_be_visible()
    shot(page, "upload_checked")
    page.get_by_role("button", name="Store 1 file(s)").click()
    page.get_by_text("araria_hindi.csv: stored as upload #2").wait_for(timeout=30000)
    shot(page, "upload_stored")
    outside = [u for u in page.requests if not u.startswith(server) and not u.startswith("data:")]
    assert outside == []


def test_overview_in_hindi(server_with_report, page):
    page.goto(server_with_report)
    expect(page.get_by_text("Ayushman cards · As of 26-05-2025")).to_be_visible(timeout=30000)
    page.get_by_text("हिंदी").first.click()
    page.get_by_text("आयुष्मान कार्ड").first.wait_for(timeout=30000)
    expect(page.locator('[data-testid="stMetric"]')).to_have_count(8)
    expect(page.get_by_text("93,600")).to_be_visible()  # फारबिसगंज pending: out of the total
    expect(page.get_by_text("लक्ष्य", exact=True)).to_be_visible()
    expect(page.get_by_text(re.compile("^लंबित: 1 प्रखंड नाम, 13,020 उपलब्धि, कुल में शामिल नहीं"))).to_be_visible()
    shot(page, "overview_hindi")


def ranking_texts(page) -> dict:
    """What the Blocks ranking chart shows: its subtitle, the bar count and the bar labels."""
    return page.evaluate("""() => {
        const chart = document.querySelector('.st-key-block_chart');
        if (!chart) return null;
        const texts = (sel) => [...chart.querySelectorAll(sel)].map(t => t.textContent);
        return {subtitle: texts('.g-gtitle text')[1] || '', bars: chart.querySelectorAll('.bars path').length,
                labels: texts('text.annotation-text').filter(t => t.includes(' / ')),  // the label column
                blocks: texts('.ytick text')};
    }""")


def wait_for_ranking(page, subtitle_part: str, labels: list[str]) -> dict:
    """Wait until the ranking chart is redrawn with these bar labels (Streamlit reruns, draws
    the new chart beside the old for a moment, then removes the old: no fixed sleep)."""
    page.wait_for_function("""([part, labels]) => {
        const charts = document.querySelectorAll('.st-key-block_chart');
        if (charts.length !== 1) return false;  // while redrawing, the old chart is still there
        const chart = charts[0];
        const sub = [...chart.querySelectorAll('.g-gtitle text')].map(t => t.textContent).join(' ');
        const shown = [...chart.querySelectorAll('text.annotation-text')].map(t => t.textContent)
            .filter(t => t.includes(' / ')).sort();  // the bar labels, in their column
        return sub.includes(part) && JSON.stringify(shown) === JSON.stringify([...labels].sort());
    }""", arg=[subtitle_part, labels], timeout=30000)
    return ranking_texts(page)


def pick(page, label: str, option: str) -> None:
    """Choose `option` in the Streamlit selectbox labelled `label` (open it, click the option)."""
    box = page.locator('[data-testid="stSelectbox"]').filter(has_text=label)
    for attempt in range(4):  # a click landing while the page reruns is lost: try again
        box.click()
        choice = page.locator('[role="option"]').filter(has_text=option)
        if not choice.count():  # a long list may show only its first options: type to narrow it
            box.locator("input").fill(option)
        choice.first.click()
        try:
            expect(box.locator("input")).to_have_value(option, timeout=20000)
            return
        except AssertionError:  # on a loaded machine a rerun can take a while
            if attempt == 3:
                raise
            page.keyboard.press("Escape")


def expected_labels(path: Path, indicator: str, as_of: str) -> list[str]:
    con = store.open_store(str(path), read_only=True)
    blocks = queries.run(con, "block_review", indicator=indicator, as_of=as_of)
    con.close()
    return [figures.bar_label(a, t, p, "en") for a, t, p in zip(blocks["achieved"], blocks["target"], blocks["pct"])]


def test_blocks_chart_follows_the_indicator_and_as_of_pickers(demo_server, tmp_path_factory, page):
    source = demo_file(tmp_path_factory)
    insurance_then = expected_labels(source, "insurance", "2025-05-20")
    ayushman_now = expected_labels(source, "ayushman_cards", "2025-05-30")
    insurance_now = expected_labels(source, "insurance", "2025-05-30")
    assert len(set(map(json.dumps, (insurance_then, ayushman_now, insurance_now)))) == 3
    page.goto(demo_server + "/blocks")
    first = wait_for_ranking(page, "as of 30-05-2025", ayushman_now)
    assert first["bars"] == 14 and len(first["labels"]) == 14
    assert "8,556 / 31,750 · 26.9%" in first["labels"]  # Semrabad, the lowest
    assert first["blocks"][0] == "Semrabad"  # plotly lists the y ticks bottom up: the lowest first

    pick(page, "Indicator", "Insurance enrolments")
    insurance = wait_for_ranking(page, "as of 30-05-2025", insurance_now)
    assert "12,638 / 11,380 · 111.1%" in insurance["labels"]  # Dhusari
    assert insurance["labels"] != first["labels"] and insurance["bars"] == 14
    expect(page.locator(".st-key-block_chart .g-gtitle")).to_contain_text("Insurance enrolments")

    pick(page, "As of", "20-05-2025")
    earlier = wait_for_ranking(page, "as of 20-05-2025", insurance_then)
    assert earlier["bars"] == 14 and set(earlier["labels"]).isdisjoint(insurance["labels"])
    page.locator(".st-key-block_chart").scroll_into_view_if_needed()
    shot(page, "blocks_insurance_20-05-2025")
    page.locator(".st-key-block_chart").screenshot(path=str(ARTIFACTS / "blocks_chart_insurance_20-05-2025.png"))


def test_a_deep_link_opened_first_after_a_start_gets_the_app_navigation(server_with_report, page):
    """The first visitor after a (re)start opens a bookmarked /blocks: the page is served
    through app.py's navigation (top bar, translated titles), not Streamlit's old
    pages-folder mode (a sidebar listing every file in pages/, _shared included)."""
    page.goto(server_with_report + "/blocks")
    expect(page.get_by_text("Blocks against target")).to_be_visible(timeout=60000)
    expect(page.get_by_role("link", name="Channels & camp days")).to_be_visible()
    expect(page.get_by_text("shared", exact=True)).to_have_count(0)
    expect(page.locator('[data-testid="stSidebarNav"]')).to_have_count(0)
    expect(page.locator('[data-testid="stPlotlyChart"] .bars path').first).to_be_visible(timeout=30000)
    shot(page, "deep_link_blocks_first")


def test_clicking_a_blocks_bar_opens_that_block_below(demo_server, page):
    """The DM clicks the lagging block's bar while the BDO is on the call: the drill-down
    below switches to that block (its panchayats and its days)."""
    page.goto(demo_server + "/blocks")
    bars = page.locator(".st-key-block_chart .bars path")
    expect(bars).to_have_count(14, timeout=60000)
    picker = page.locator('[data-testid="stSelectbox"]').filter(has_text="Block").last.locator("input")
    expect(picker).to_have_value("Semrabad")  # the weakest block is open first
    # The first bar drawn is the first of the red (below 50%) bars, ordered best first: Urmilaganj.
    bars.first.click(force=True)
    expect(picker).to_have_value("Urmilaganj", timeout=30000)
    titles = page.locator(".st-key-panchayat_chart .g-gtitle")
    expect(titles.filter(has_text="in Urmilaganj block")).to_have_count(1, timeout=30000)
    expect(titles).to_have_count(1, timeout=30000)  # while redrawing, the old chart stands beside the new
    shot(page, "blocks_clicked_bar_drill_down")


def test_the_map_is_drawn_offline_hovered_and_clicked(demo_server, page):
    """The DM opens the map: the panchayats are drawn with no request leaving the machine;
    hovering a place shows its figures; clicking it shows its details below; Hindi works."""
    page.goto(demo_server + "/map")
    chart = page.locator(".st-key-place_map")
    filled = chart.locator(".scatterlayer .trace path.js-fill")
    expect(filled.first).to_be_visible(timeout=60000)
    assert filled.count() >= 4  # one filled path per class
    expect(chart.locator(".annotation-text").filter(has_text="Semrabad")).to_have_count(1)
    box = chart.locator(".nsewdrag").first.bounding_box()
    # Semrabad is the second block of the bottom row: a point inside it.
    x, y = box["x"] + box["width"] * 0.40, box["y"] + box["height"] * 0.85
    page.mouse.move(x, y)
    hover = page.locator(".hoverlayer .hovertext")
    expect(hover).to_contain_text("Semrabad block", timeout=10000)
    page.mouse.click(x, y)
    expect(page.get_by_role("heading").filter(has_text="· Semrabad block")).to_have_count(1, timeout=30000)
    shot(page, "map_clicked_panchayat")
    page.get_by_text("हिंदी").first.click()
    expect(chart.locator(".annotation-text").filter(has_text="सेमराबाद")).to_have_count(1, timeout=30000)
    shot(page, "map_hindi")
    outside = [u for u in page.requests if not u.startswith(demo_server) and not u.startswith(("data:", "blob:"))]
    assert outside == []


def test_shg_inactive_list_downloads_as_excel_one_sheet_per_block(demo_server, tmp_path_factory, page, tmp_path):
    """The DPM opens the SHG page and downloads the inactive SHGs, one sheet per block (one
    for each BPM): every block's sheet holds exactly that block's inactive SHGs, under a
    frozen header; then one block picked: one sheet, its SHGs only. Nothing leaves localhost."""
    import openpyxl

    con = store.open_store(str(demo_file(tmp_path_factory)), read_only=True)
    inactive = queries.run(con, "inactive_shgs", as_of="2025-05-30")
    con.close()
    expected = {block: sorted(part["shg_code"]) for block, part in inactive.groupby("block")}
    assert len(expected) == 14

    def excel(name: str) -> openpyxl.Workbook:
        # the one shown: the stagnant and change lists' buttons of that name are in hidden tabs
        shown = page.get_by_role("button", name="Excel, one sheet per block")
        expect(shown).to_have_count(1, timeout=30000)
        button = page.locator(".st-key-shg_inactive_excel").get_by_role("button", name="Excel, one sheet per block")
        expect(button).to_be_visible()
        with page.expect_download(timeout=30000) as caught:
            button.click()
        download = caught.value
        assert download.failure() is None
        assert download.suggested_filename == "inactive_shgs_30-05-2025.xlsx"
        saved = tmp_path / name
        download.save_as(saved)
        return openpyxl.load_workbook(saved)

    def codes(sheet) -> list[str]:
        header, *body = list(sheet.iter_rows(values_only=True))
        assert header[:4] == ("Block", "Panchayat", "SHG", "Reasons")
        assert {row[0] for row in body} == {sheet.title}
        return sorted(row[header.index("SHG code")] for row in body)

    page.goto(demo_server + "/shg")
    expect(page.get_by_text(f"Inactive SHGs ({len(inactive)})")).to_be_visible(timeout=60000)
    book = excel("all_blocks.xlsx")
    assert book.sheetnames == sorted(expected)
    for name in book.sheetnames:
        assert book[name].freeze_panes == "A2"
        assert codes(book[name]) == expected[name]
    shot(page, "shg_inactive_list")

    pick(page, "Block", "Semrabad")
    count = len(expected["Semrabad"])
    expect(page.get_by_text(f"{count} SHGs · Semrabad").first).to_be_visible(timeout=30000)
    expect(page.get_by_text(f"Inactive SHGs ({count})")).to_be_visible(timeout=30000)
    expect(page.locator('[data-testid="stStatusWidget"]')).to_be_hidden(timeout=30000)  # the rerun is over
    for attempt in range(3):  # under load the button can still hold the last run's file for a moment
        book = excel(f"semrabad_{attempt}.xlsx")
        if book.sheetnames == ["Semrabad"]:
            break
        page.wait_for_timeout(3000)
    assert book.sheetnames == ["Semrabad"] and book["Semrabad"].freeze_panes == "A2"
    assert codes(book["Semrabad"]) == expected["Semrabad"]
    shot(page, "shg_inactive_semrabad")
    outside = [u for u in page.requests if not u.startswith(demo_server) and not u.startswith(("data:", "blob:"))]
    assert outside == []


def test_civil_surgeon_sees_missing_blocks_and_workers_without_cards(demo_server, tmp_path_factory, page, tmp_path):
    """The civil surgeon opens Reporting: the block with no report is named at the top and in
    the reminder (English, then Hindi); then Workers: the zero-output list downloads as Excel
    with one sheet per block holding exactly that block's workers."""
    import openpyxl

    con = store.open_store(str(demo_file(tmp_path_factory)), read_only=True)
    review = queries.run(con, "worker_review", as_of="2025-05-30")
    con.close()
    zero = review[review["zero_output"]]
    expected = {block: sorted(part["worker_id"]) for block, part in zero.groupby("block")}

    page.goto(demo_server + "/reporting")
    expect(page.get_by_text("not received from 1 block(s) (cut-off 5:00 PM): Tilkuti")).to_be_visible(timeout=60000)
    # the page draws in parts: under load the reminder box and chart can follow the heading by seconds
    expect(page.get_by_text("Lohachak (17:42, 42 min late)", exact=False)).to_be_visible(timeout=30000)
    code = page.locator('[data-testid="stCode"]').first
    expect(code).to_contain_text("has not been received from 1 block(s): Tilkuti", timeout=30000)
    expect(page.locator(".js-plotly-plot").first).to_be_visible(timeout=30000)
    shot(page, "reporting_en")
    page.get_by_text("हिंदी").first.click()
    expect(page.get_by_text("रिपोर्टिंग: किसने समय पर रिपोर्ट भेजी")).to_be_visible(timeout=60000)
    expect(page.locator('[data-testid="stCode"]').first).to_contain_text("तिलकुटी", timeout=30000)
    shot(page, "reporting_hi")
    page.get_by_text("English").first.click()
    expect(page.get_by_text("Reporting: who sent the day's report on time")).to_be_visible(timeout=60000)

    page.goto(demo_server + "/workers")
    expect(page.get_by_text(f"No card in 7 days ({len(zero)})")).to_be_visible(timeout=60000)
    expect(page.get_by_text("Chandanpura (23.3)", exact=False)).to_be_visible(timeout=30000)
    shot(page, "workers_en")
    page.wait_for_selector('[data-testid="stStatusWidget"]', state="hidden", timeout=60000)
    button = page.locator(".st-key-workers_zero_excel").get_by_role("button")
    with page.expect_download(timeout=30000) as caught:
        button.click()
    assert caught.value.suggested_filename == "no_card_in_7_days_30-05-2025.xlsx"
    saved = tmp_path / "zero.xlsx"
    caught.value.save_as(saved)
    book = openpyxl.load_workbook(saved)
    assert book.sheetnames == sorted(expected)
    for name in book.sheetnames:
        header, *body = list(book[name].iter_rows(values_only=True))
        assert {row[0] for row in body} == {name}
        assert sorted(row[header.index("Worker ID")] for row in body) == expected[name]
