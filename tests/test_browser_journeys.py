"""Three journeys through the real app, served by Streamlit and driven in the system Chromium,
each as one person does it on a working day (screenshots of every key step go to
test-artifacts/journey_<name>_<step>.png):

1. the district data operator uploads the day's reports (a Hindi block-wise CSV with a title
   row, Indian digit grouping and a कुल row; an Excel report of another indicator), confirms the
   one misspelt block name on the Upload page, and sees that block's figures on Blocks and the
   district's on the Overview, the totals rows not counted;
2. the DM opens the Overview in meeting mode, finds the weakest block, drills into its
   panchayats, opens the Map and downloads its image for WhatsApp;
3. the DPM JEEViKA lists one block's inactive SHGs and downloads them as Excel;
4. the DPM downloads one block's households still to reach from the door-to-door survey, for
   its ASHAs.

No operator password is set for the servers started here (anyone may upload), and every request
leaving 127.0.0.1 is blocked (and the test fails if one was tried).
"""

from __future__ import annotations

import datetime as dt
import io
import os
import re
import shutil
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from conftest import csv_bytes, demo_file, xlsx_bytes
from playwright.sync_api import TimeoutError as PlaywrightTimeout
from playwright.sync_api import expect
from test_browser import ARTIFACTS, CHROMIUM, CHROMIUM_ARGS, pick, shot, start
from test_browser_sharing import MEETING_NAV, download, expect_nav, go, settled, switch

from samiksha import queries, shg, store
from samiksha.i18n import t

pytestmark = pytest.mark.browser
EN = "en"
WIDE = {"width": 1280, "height": 1400}  # the operator's and the DPM's laptop (tall: more in a screenshot)
MEETING = {"width": 1280, "height": 720}  # the shared screen of a video call

# ---------------------------------------------------------------- the operator's files of 31-05-2025
# The demo district's 14 blocks as the block offices write them in Hindi. Semrabad's office
# wrote "सिमराबाद": not sure enough to match, so the operator has to confirm it.
# (English name, as written, target, today's cards, cumulative cards): each cumulative is the
# demo's figure of 30-05-2025 plus the day's cards (Tilkuti, missing on the 30th, brings two days).
MISSPELT = "सिमराबाद"
AYUSHMAN = (
    ("Amlapur", "अमलापुर", "37,150", "870", "23,173"),
    ("Belahi Kalan", "बेलही कलां", "30,850", "1,010", "26,322"),
    ("Chandanpura", "चंदनपुरा", "28,400", "805", "21,616"),
    ("Dhusari", "धूसरी", "35,350", "1,690", "43,038"),
    ("Gopalbigha", "गोपालबीघा", "35,650", "1,275", "32,319"),
    ("Jamunigarh", "जमुनीगढ़", "32,950", "960", "26,571"),
    ("Kusumtola", "कुसुमटोला", "32,450", "1,120", "28,003"),
    ("Lohachak", "लोहाचक", "34,400", "915", "25,474"),
    ("Mahuapokhar", "महुआपोखर", "32,250", "830", "22,815"),
    ("Nimiadih", "निमियाडीह", "38,950", "1,640", "44,244"),
    ("Raunakpur", "रौनकपुर", "33,250", "845", "20,354"),
    ("Semrabad", MISSPELT, "31,750", "345", "8,901"),
    ("Tilkuti", "तिलकुटी", "39,200", "1,790", "27,463"),
    ("Urmilaganj", "उर्मिलागंज", "43,000", "590", "15,412"),
)
AYUSHMAN_TOTALS = ("4,85,600", "14,685", "3,65,705")  # the कुल row: target, today, cumulative
# Insurance enrolments, the same day, from the Excel sheet (numbers as Excel cells, English names).
INSURANCE = (
    ("Amlapur", 11890, 281, 7636), ("Belahi Kalan", 10340, 236, 6607), ("Chandanpura", 10040, 249, 6783),
    ("Dhusari", 11380, 495, 13133), ("Gopalbigha", 11860, 318, 9422), ("Jamunigarh", 11390, 322, 8691),
    ("Kusumtola", 11300, 255, 7082), ("Lohachak", 11330, 410, 10530), ("Mahuapokhar", 10620, 268, 7270),
    ("Nimiadih", 12700, 470, 13916), ("Raunakpur", 10700, 290, 8902), ("Semrabad", 10800, 169, 4265),
    ("Tilkuti", 13150, 362, 10299), ("Urmilaganj", 14330, 211, 5625),
)
CSV_NAME = "ayushman_pragati_31.05.2025.csv"
XLSX_NAME = "insurance_blockwise_31-05-2025.xlsx"


def count(text: str) -> int:
    """An Indian-grouped figure as written in the files ("3,65,705") as a number."""
    return int(text.replace(",", ""))


def ayushman_csv() -> bytes:
    """The block-wise Ayushman report as the IT manager's Excel saves it (UTF-8 with BOM): a
    title row with the date, Hindi headers, Indian grouping, a कुल row at the bottom."""
    rows = [["सहयोगपुर (डेमो) जिला : आयुष्मान कार्ड प्रखंडवार दैनिक प्रगति प्रतिवेदन दिनांक 31.05.2025"],
            ["क्र.सं.", "प्रखंड", "लक्ष्य", "आज की उपलब्धि", "कुल उपलब्धि"]]
    rows += [[n, written, target, today, total] for n, (_, written, target, today, total) in enumerate(AYUSHMAN, 1)]
    rows.append(["", "कुल", *AYUSHMAN_TOTALS])
    return csv_bytes(rows, encoding="utf-8-sig")


def insurance_xlsx() -> bytes:
    """The insurance report as an Excel sheet: a merged title, a blank row, a date column
    (real Excel dates), a Grand Total row."""
    day = dt.datetime(2025, 5, 31)
    rows = [["Sahyogpur (demo) district — Insurance enrolments (PMJJBY / PMSBY), block-wise progress"], [],
            ["Sl. No.", "Block", "Report Date", "Target", "Achieved Today", "Cumulative Achieved"]]
    rows += [[n, block, day, target, today, total] for n, (block, target, today, total) in enumerate(INSURANCE, 1)]
    rows.append([None, "Grand Total", None, *(sum(r[i] for r in INSURANCE) for i in (1, 2, 3))])
    return xlsx_bytes(rows, merged=["A1:F1"], sheet_title="Insurance")


# ---------------------------------------------------------------- the app and the browser


def open_app(path: Path, scratch: Path):
    """The app on the store at `path` (test_browser.start), with no operator password: none in
    the environment, and an empty secrets file instead of any .streamlit/secrets.toml (so a
    password configured on this machine does not put a sign-in in front of the upload)."""
    empty = scratch / "no_secrets.toml"
    empty.write_text("", encoding="utf-8")
    with pytest.MonkeyPatch.context() as env:
        for name in [n for n in os.environ if n.startswith("SAMIKSHA_OPERATOR")] + ["SAMIKSHA_LANG"]:
            env.delenv(name, raising=False)
        env.setenv("STREAMLIT_SECRETS_FILES", str(empty))
        env.setenv("STREAMLIT_SERVER_FILE_WATCHER_TYPE", "none")  # others edit the sources meanwhile
        server = start(path)
        url = next(server)  # the environment is read here, when the server starts
    try:
        yield url
    finally:
        next(server, None)  # stops the server


def demo_copy(tmp_path_factory, name: str) -> Path:
    path = tmp_path_factory.mktemp(name) / "demo.duckdb"
    shutil.copy(demo_file(tmp_path_factory), path)
    return path


@pytest.fixture(scope="module")
def demo_app(tmp_path_factory):
    """One server on a copy of the demo district for the journeys that only read."""
    yield from open_app(demo_copy(tmp_path_factory, "journeys_read"), tmp_path_factory.mktemp("journeys_env"))


@pytest.fixture
def operator_app(tmp_path_factory):
    """A server of its own on a fresh copy of the demo district: the operator stores files."""
    path = demo_copy(tmp_path_factory, "journeys_operator")
    yield from open_app(path, tmp_path_factory.mktemp("journeys_operator_env"))


def is_local(url: str) -> bool:
    parts = urlsplit(url)
    return parts.scheme in ("data", "blob", "about") or parts.hostname == "127.0.0.1"


@contextmanager
def chromium(viewport: dict):
    """A Chromium tab in which every request leaving 127.0.0.1 is blocked and recorded
    (`tab.blocked`)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        try:
            context = browser.new_context(viewport=viewport, accept_downloads=True)
            blocked: list[str] = []

            def refuse(route):
                blocked.append(route.request.url)
                route.abort("blockedbyclient")

            context.route(lambda url: not is_local(url), refuse)
            tab = context.new_page()
            tab.blocked = blocked
            yield tab
        finally:
            browser.close()


def metric(scope, label: str):
    """The value of the metric labelled exactly `label` within `scope` (a page or a part of one)."""
    page = getattr(scope, "page", scope)
    return scope.locator('[data-testid="stMetric"]').filter(
        has=page.locator('[data-testid="stMetricLabel"]').get_by_text(label, exact=True)
    ).locator('[data-testid="stMetricValue"]')


def result_box(page, headline: str):
    """The bordered box of one file's check or store result (the innermost block holding its
    headline: the boxes of other files come after it and do not hold it)."""
    return page.locator('[data-testid="stVerticalBlock"]').filter(has_text=headline).last


def step(page, journey: str, name: str) -> None:
    shot(page, f"journey_{journey}_{name}")


# ---------------------------------------------------------------- 1. the operator


def test_operator_uploads_the_days_reports_confirms_a_misspelt_block_and_sees_its_figures(operator_app, tmp_path):
    """The IT manager uploads the day's Hindi CSV (Ayushman cards) and an Excel sheet (insurance)
    through the file input, checks what was read, stores both, confirms “सिमराबाद” as Semrabad on
    the Upload page, then finds Semrabad's 8,901 cards on Blocks and the district's 3,65,705 (the
    कुल and Grand Total rows set aside) on the Overview."""
    # What the files say, worked out here: the assertions below are these numbers.
    assert sum(count(r[4]) for r in AYUSHMAN) == count(AYUSHMAN_TOTALS[2]) == 365_705
    assert sum(count(r[2]) for r in AYUSHMAN) == count(AYUSHMAN_TOTALS[0]) == 485_600
    assert sum(count(r[3]) for r in AYUSHMAN) == count(AYUSHMAN_TOTALS[1]) == 14_685
    assert sum(r[3] for r in INSURANCE) == 120_161 and sum(r[1] for r in INSURANCE) == 161_830
    ranked = sorted(AYUSHMAN, key=lambda r: count(r[4]) / count(r[2]))  # weakest first
    assert ranked[0][0] == "Semrabad" and round(8901 / 31750 * 100, 1) == 28.0

    csv_file, xlsx_file = tmp_path / CSV_NAME, tmp_path / XLSX_NAME
    csv_file.write_bytes(ayushman_csv())
    xlsx_file.write_bytes(insurance_xlsx())

    with chromium(WIDE) as page:
        page.goto(operator_app + "/upload")
        uploader = page.locator('[data-testid="stFileUploader"]').filter(has_text=t("upload.files", EN))
        expect(uploader).to_be_visible(timeout=60000)  # no sign-in in front of it: no password is set
        expect(page.get_by_text(t("access.open", EN))).to_be_visible()  # and the page says anyone may upload
        uploader.locator('input[type="file"]').set_input_files([str(csv_file), str(xlsx_file)])

        # Checked, nothing stored yet: what was read from each file.
        checked_csv = result_box(page, f"{CSV_NAME}: can be stored")
        checked_xlsx = result_box(page, f"{XLSX_NAME}: can be stored")
        expect(checked_csv).to_contain_text("progress report, Ayushman cards, dated 31-05-2025", timeout=60000)
        expect(checked_xlsx).to_contain_text("progress report, Insurance enrolments, dated 31-05-2025", timeout=60000)
        for box in (checked_csv, checked_xlsx):
            expect(box).to_contain_text(t("report.counts", EN, accepted=14, warned=0, rejected=0))
        expect(checked_csv).to_contain_text("14 block names: exact 13, unmatched 1")
        expect(checked_csv).to_contain_text(t("report.unmatched_hint", EN, name=MISSPELT, hint="Semrabad"))
        expect(checked_xlsx).to_contain_text("14 block names: exact 14")
        preview = checked_csv.locator('[data-testid="stTable"]')
        for shown in (MISSPELT, "अमलापुर", "Amlapur", "8,901", "44,244"):
            expect(preview).to_contain_text(shown)
        expect(preview).not_to_contain_text("कुल")  # the totals row is not a data row
        expect(preview).not_to_contain_text("3,65,705")
        for box, row, label in ((checked_csv, 17, "कुल"), (checked_xlsx, 18, "Grand Total")):
            box.get_by_text(t("upload.what_was_read", EN)).click()
            expect(box).to_contain_text(t("report.totals_row", EN, row=row, label=label))
        step(page, "operator", "1_checked")

        page.get_by_role("button", name=t("upload.store", EN, count=2)).click()
        expect(page.get_by_text(re.compile(re.escape(CSV_NAME) + r": stored as upload #\d+"))).to_be_visible(
            timeout=60000)
        expect(page.get_by_text(re.compile(re.escape(XLSX_NAME) + r": stored as upload #\d+"))).to_be_visible()

        # The misspelt block waits on the Upload page for a person: confirm it as Semrabad.
        label = t("upload.choose_place", EN, level=t("level.block", EN), name=MISSPELT, rows=1)
        expect(page.locator('[data-testid="stSelectbox"]').filter(has_text=label)).to_be_visible(timeout=30000)
        step(page, "operator", "2_stored_name_to_confirm")
        choose(page, label, "Semrabad")  # the suggestion, "Semrabad (<its LGD code>)"
        page.get_by_role("button", name=t("upload.confirm", EN), exact=True).click()
        expect(page.get_by_text(t("upload.all_matched", EN))).to_be_visible(timeout=60000)
        step(page, "operator", "3_name_confirmed")

        # Blocks: Semrabad's figures are the fixed row's; 14 blocks, no कुल, no “सिमराबाद”.
        go(page, "blocks", EN)
        ticks = page.locator(".st-key-block_chart .ytick text")
        expect(ticks).to_have_text([r[0] for r in ranked], timeout=60000)  # bottom up: the weakest first
        expect(page.locator(".st-key-block_chart .g-gtitle")).to_contain_text("as of 31-05-2025")
        labels = page.locator(".st-key-block_chart text.annotation-text").filter(has_text=" / ")  # the label column
        expect(labels).to_have_count(14)
        expect(labels.filter(has_text="8,901 / 31,750 · 28.0%")).to_have_count(1)
        expect(labels.filter(has_text="44,244 / 38,950 · 113.6%")).to_have_count(1)  # Nimiadih
        picker = page.locator('[data-testid="stSelectbox"]').filter(has_text=t("blocks.pick_block", EN)).last
        if picker.locator("input").input_value() != "Semrabad":
            pick(page, t("blocks.pick_block", EN), "Semrabad")
        expect(picker.locator("input")).to_have_value("Semrabad")
        expect(metric(page, t("overview.achieved", EN))).to_have_text("8,901", timeout=30000)
        expect(metric(page, t("overview.target", EN))).to_have_text("31,750")
        expect(metric(page, t("overview.pct", EN))).to_have_text("28.0%")
        expect(metric(page, t("blocks.rank", EN))).to_have_text("14 / 14")
        expect(page.get_by_text(t("overview.pending_names", EN, count=1, names=f"“{MISSPELT}”"))).to_have_count(0)
        settled(page)
        page.locator(".st-key-block_chart").scroll_into_view_if_needed()
        step(page, "operator", "4_blocks_semrabad")

        # Overview: the district as the files add up, each totals row counted zero times.
        go(page, "overview", EN)
        ayushman = page.locator(".st-key-indicator_ayushman_cards")
        expect(ayushman).to_contain_text("Ayushman cards · As of 31-05-2025", timeout=60000)
        expect(metric(ayushman, t("overview.achieved", EN))).to_have_text("3,65,705")  # not 7,31,410
        expect(metric(ayushman, t("overview.target", EN))).to_have_text("4,85,600")
        expect(metric(ayushman, t("overview.pct", EN))).to_have_text("75.3%")
        expect(metric(ayushman, t("overview.today", EN, date=dt.date(2025, 5, 31)))).to_have_text("14,685")
        expect(ayushman).to_contain_text("14. Semrabad — 28.0%")
        insurance = page.locator(".st-key-indicator_insurance")
        expect(insurance).to_contain_text("Insurance enrolments · As of 31-05-2025")
        expect(metric(insurance, t("overview.achieved", EN))).to_have_text("1,20,161")  # not 2,40,322
        expect(metric(insurance, t("overview.target", EN))).to_have_text("1,61,830")
        expect(metric(insurance, t("overview.today", EN, date=dt.date(2025, 5, 31)))).to_have_text("4,336")
        expect(page.get_by_text(t("overview.pending_names", EN, count=1, names=f"“{MISSPELT}”"))).to_have_count(0)
        settled(page)
        step(page, "operator", "5_overview")
        assert page.blocked == []


def choose(page, label: str, name: str) -> None:
    """In the selectbox labelled `label` (inside a form: no rerun on a choice), choose the
    option that starts with the place `name`."""
    box = page.locator('[data-testid="stSelectbox"]').filter(has_text=label)
    option = page.locator('[role="option"]').filter(has_text=re.compile("^" + re.escape(name) + r"\b")).first
    for _ in range(4):  # a rerun still drawing the page can close the list it opened: open it again
        settled(page)
        box.click()
        try:
            option.wait_for(timeout=10000)
            option.click()
            break
        except PlaywrightTimeout:
            page.keyboard.press("Escape")
    expect(box.locator("input")).to_have_value(re.compile("^" + re.escape(name) + r"\b"), timeout=10000)


# ---------------------------------------------------------------- 2. the DM in the review meeting


def click_bar_of(page, chart_key: str, name: str) -> None:
    """Click the bar of the chart's row `name` (a horizontal bar chart: the bar level with its
    tick label), as the DM does with the mouse."""
    box = page.evaluate("""([key, name]) => {
        const chart = document.querySelector('.st-key-' + key);
        const tick = [...chart.querySelectorAll('.ytick text')].find(t => t.textContent === name);
        if (!tick) return null;
        const r = tick.getBoundingClientRect(), y = r.top + r.height / 2;
        const bar = [...chart.querySelectorAll('.bars path')].map(p => p.getBoundingClientRect())
            .find(b => b.height > 0 && b.top <= y && y <= b.bottom);
        return bar ? {x: bar.left + Math.max(2, bar.width / 2), y} : null;
    }""", [chart_key, name])
    assert box, f"no bar for {name} in {chart_key}"
    page.mouse.click(box["x"], box["y"])


def test_dm_in_meeting_mode_finds_the_weakest_block_drills_in_and_shares_the_map(demo_app, tmp_path_factory,
                                                                                  tmp_path):
    """The DM shares the screen with a ?meeting=1 link: the Overview names the weakest block
    (the last of block_progress on the demo store); from there into Blocks, the weakest block's
    bar is clicked and its panchayats are shown; then the Map, whose image is downloaded for
    WhatsApp: a PNG at least 1,080 pixels wide, named with the dd-mm-yyyy date."""
    from PIL import Image

    con = store.open_store(str(demo_file(tmp_path_factory)), read_only=True)
    try:
        as_of = queries.latest_date(con, "ayushman_cards")
        blocks = queries.run(con, "block_progress", indicator="ayushman_cards", as_of=as_of)
        weakest = blocks.sort_values("pct").iloc[0]
        panchayats = queries.run(con, "panchayat_progress", indicator="ayushman_cards", as_of=as_of,
                                 block=weakest["block"])
    finally:
        con.close()
    name, day = weakest["block"], as_of.strftime("%d-%m-%Y")
    assert int(weakest["rank"]) == len(blocks) == 14 and (name, day) == ("Semrabad", "30-05-2025")
    assert (int(weakest["achieved"]), float(weakest["pct"])) == (8556, 26.9)
    pct = "26.9%"

    with chromium(MEETING) as page:
        page.goto(demo_app + "/?meeting=1")
        ayushman = page.locator(".st-key-indicator_ayushman_cards")
        expect(ayushman).to_contain_text(f"Ayushman cards · As of {day}", timeout=60000)
        expect(switch(page, EN)).to_be_checked()
        expect_nav(page, MEETING_NAV, EN)  # no Upload or Settings on the shared screen
        lowest = ayushman.locator('[data-testid="stMarkdownContainer"]').filter(has_text=t("overview.lowest", EN))
        expect(lowest).to_contain_text(f"{t('overview.lowest', EN)}\n14. {name} — {pct}", use_inner_text=True)
        settled(page)
        step(page, "dm", "1_overview_meeting")

        ayushman.get_by_role("link", name=t("overview.open_blocks", EN)).click()
        expect(page).to_have_url(re.compile(r"/blocks\?(.*&)?meeting=1(&|$)"), timeout=30000)
        bars = page.locator(".st-key-block_chart .bars path")
        expect(bars).to_have_count(14, timeout=60000)
        # meeting mode puts the weakest first: the top row, on screen at 1280x720 without scrolling
        top_row = page.locator(".st-key-block_chart .ytick text").last
        expect(top_row).to_have_text(name)
        assert top_row.bounding_box()["y"] + top_row.bounding_box()["height"] <= MEETING["height"]
        expect(page.locator(".st-key-block_excel")).to_have_count(0)  # no table downloads in a meeting
        settled(page)
        click_bar_of(page, "block_chart", name)
        picker = page.locator('[data-testid="stSelectbox"]').filter(has_text=t("blocks.pick_block", EN)).last
        expect(picker.locator("input")).to_have_value(name, timeout=30000)
        titles = page.locator(".st-key-panchayat_chart .g-gtitle")
        expect(titles.filter(has_text=f"in {name} block")).to_have_count(1, timeout=30000)
        expect(titles).to_have_count(1, timeout=30000)  # the old chart is gone
        expect(page.locator(".st-key-panchayat_chart .ytick text")).to_have_count(len(panchayats))
        expect(metric(page, t("overview.achieved", EN))).to_have_text("8,556")
        expect(metric(page, t("overview.pct", EN))).to_have_text(pct)
        expect(metric(page, t("blocks.rank", EN))).to_have_text("14 / 14")
        lowest_panchayat = panchayats.sort_values("pct").iloc[0]["panchayat"]
        expect(page.locator(".st-key-panchayat_chart .ytick text").filter(has_text=lowest_panchayat)).to_have_count(1)
        settled(page)
        page.locator(".st-key-panchayat_chart").scroll_into_view_if_needed()
        step(page, "dm", "2_weakest_block_panchayats")

        go(page, "map", EN)
        expect(page).to_have_url(re.compile(r"/map\?(.*&)?meeting=1(&|$)"), timeout=30000)
        expect(page.locator(".st-key-place_map .scatterlayer path").first).to_be_attached(timeout=60000)
        expect(page.locator(".st-key-place_map .annotation-text").filter(has_text=name)).to_have_count(1)
        expect(switch(page, EN)).to_be_checked()
        step(page, "dm", "3_map")
        file_name, png = download(page, "img_place_map", t("download.image", EN), tmp_path)
        image = Image.open(io.BytesIO(png))
        assert image.format == "PNG" and image.width >= 1080, (image.format, image.size)
        assert len(image.convert("RGB").getcolors(1 << 24)) > 20  # a drawn map, not a blank page
        assert re.search(r"_\d{2}-\d{2}-\d{4}\.png$", file_name) and file_name.endswith(f"_{day}.png"), file_name
        step(page, "dm", "4_map_image_downloaded")
        (ARTIFACTS / "journey_dm_5_downloaded_map_image.png").write_bytes(png)  # the image itself, to look at
        assert page.blocked == []


# ---------------------------------------------------------------- 3. the DPM JEEViKA

GRID_ROWS = """async (grid) => {
    // The table is drawn on a canvas; its accessible twin holds the rows in view. Scroll
    // through it and keep every row by its index.
    const scroller = grid.querySelector('.dvn-scroller');
    const heads = Object.fromEntries([...grid.querySelectorAll('th')].map(th =>
        [th.getAttribute('aria-colindex'), th.textContent]));
    const first = () => grid.querySelector('tbody tr')?.getAttribute('aria-rowindex');
    const rows = {};
    for (let top = 0; ; top += Math.max(100, scroller.clientHeight - 80)) {
        const before = first();
        scroller.scrollTop = top;
        for (let waited = 0; top > 0 && first() === before && waited < 3000; waited += 50) {
            await new Promise(done => setTimeout(done, 50));  // the twin follows the scroll a little later
        }
        for (const tr of grid.querySelectorAll('tbody tr')) {
            const cells = {};
            for (const td of tr.querySelectorAll('td')) cells[heads[td.getAttribute('aria-colindex')]] = td.textContent;
            rows[tr.getAttribute('aria-rowindex')] = cells;
        }
        if (top + scroller.clientHeight >= scroller.scrollHeight) break;
    }
    scroller.scrollTop = 0;
    return Object.values(rows);
}"""


def test_dpm_lists_one_blocks_inactive_shgs_and_downloads_them_as_excel(demo_app, tmp_path_factory, tmp_path):
    """The DPM JEEViKA opens the SHG page, picks one block in the Block filter: the inactive
    list shows that block's SHGs only (every row of the table, scrolled through), as many as
    `inactive_shgs` finds for it; the Excel download holds exactly those SHGs, one sheet, every
    row of that block."""
    import openpyxl

    block = "Raunakpur"
    con = store.open_store(str(demo_file(tmp_path_factory)), read_only=True)
    try:
        as_of = shg.register_dates(con)[0]
        inactive = queries.run(con, "inactive_shgs", as_of=as_of)
        by_block = queries.run(con, "shg_blocks", as_of=as_of).set_index("block")
    finally:
        con.close()
    mine = inactive[inactive["block"] == block]
    codes = sorted(mine["shg_code"])
    assert 10 < len(codes) < len(inactive) and len(set(codes)) == len(codes)
    assert int(by_block.loc[block, "inactive"]) == len(codes)
    shgs = int(by_block.loc[block, "shgs"])
    day = as_of.strftime("%d-%m-%Y")

    with chromium(WIDE) as page:
        page.goto(demo_app + "/shg")
        expect(page.get_by_role("tab", name=t("shg.tab_inactive", EN, count=f"{len(inactive):,}"))).to_be_visible(
            timeout=60000)
        settled(page)
        step(page, "dpm", "1_shg_district")

        pick(page, t("col.block", EN), block)
        tab = t("shg.tab_inactive", EN, count=len(codes))
        expect(page.get_by_role("tab", name=tab)).to_be_visible(timeout=30000)
        panel = page.get_by_role("tabpanel", name=tab)
        expect(panel.get_by_text(f"{len(codes)} SHGs · {block}")).to_be_visible(timeout=30000)
        grid = panel.locator('[data-testid="stDataFrame"]')
        expect(grid.locator("table")).to_have_attribute("aria-rowcount", str(len(codes) + 1), timeout=30000)
        settled(page)
        rows = grid.evaluate(GRID_ROWS)
        assert len(rows) == len(codes), (len(rows), len(codes))
        column = {key: t(f"col.{key}", EN) for key in ("block", "shg_code", "reason_text")}
        assert {r[column["block"]] for r in rows} == {block}
        assert sorted(r[column["shg_code"]] for r in rows) == codes
        assert all(r[column["reason_text"]] for r in rows)  # each with its reasons in words
        bar_labels = page.locator(".st-key-shg_block_chart text.annotation-text")  # the label column
        expect(bar_labels.filter(has_text=f"({len(codes)} of {shgs})")).to_have_count(1)  # the chart agrees
        grid.scroll_into_view_if_needed()
        step(page, "dpm", "2_inactive_one_block")

        for attempt in range(3):  # on a loaded machine the button may still hold the last run's file
            name, data = download(page, "shg_inactive_excel", t("shg.excel_per_block", EN), tmp_path)
            book = openpyxl.load_workbook(io.BytesIO(data))
            if book.sheetnames == [block] or attempt == 2:
                break
            page.wait_for_timeout(2000)
        assert name == f"inactive_shgs_{day}.xlsx", name
        assert book.sheetnames == [block]
        header, *body = list(book[block].iter_rows(values_only=True))
        assert header[0] == t("col.block", EN) and t("col.shg_code", EN) in header, header
        assert len(body) == len(codes)
        assert {row[0] for row in body} == {block}
        assert sorted(row[header.index(t("col.shg_code", EN))] for row in body) == codes
        step(page, "dpm", "3_excel_downloaded")
        assert page.blocked == []


# ---------------------------------------------------------------- 4. the DPM and the household survey


def test_dpm_downloads_one_blocks_households_left_for_its_ashas(demo_app, tmp_path_factory, tmp_path):
    """The DPM opens Households, the tab of the households left, picks Raunakpur: the Excel holds
    one sheet, Raunakpur, with exactly the households `households_left` finds there (ration
    cards masked), the head of household's name for the operator (no password: anyone is)."""
    import openpyxl

    block = "Raunakpur"
    con = store.open_store(str(demo_file(tmp_path_factory)), read_only=True)
    try:
        as_of = con.execute("SELECT max(survey_date) FROM households_stored").fetchall()[0][0]
        everywhere = queries.run(con, "households_left", as_of=as_of)
        left = queries.run(con, "households_left", as_of=as_of, block=block)
    finally:
        con.close()
    assert 50 < len(left) < len(everywhere)
    cards = sorted(left["ration_card"])

    with chromium(WIDE) as page:
        page.goto(demo_app + "/households")
        tab = page.get_by_role("tab", name=t("households.tab_left", EN, count=f"{len(everywhere):,}"))
        expect(tab).to_be_visible(timeout=60000)
        settled(page)
        step(page, "households", "1_page")
        tab.click()
        pick(page, t("households.left_block", EN), block)
        panel = page.get_by_role("tabpanel", name=t("households.tab_left", EN, count=f"{len(everywhere):,}"))
        expect(panel.get_by_text(f"{len(left):,} households in {block}")).to_be_visible(timeout=30000)
        settled(page)
        step(page, "households", "2_one_block_left")
        for attempt in range(3):  # on a loaded machine the button may still hold the last run's file
            name, data = download(page, "households_left_excel", t("households.excel_per_block", EN), tmp_path)
            book = openpyxl.load_workbook(io.BytesIO(data))
            if book.sheetnames == [block] or attempt == 2:
                break
            page.wait_for_timeout(2000)
        assert name == f"households_left_{as_of:%d-%m-%Y}.xlsx", name
        assert book.sheetnames == [block]
        header, *body = list(book[block].iter_rows(values_only=True))
        assert header[0] == t("col.block", EN) and t("col.head_name", EN) in header, header
        assert len(body) == len(left) and {row[0] for row in body} == {block}
        column = header.index(t("col.ration_card", EN))
        assert sorted(row[column] for row in body) == cards
        assert all(re.fullmatch(r"XXXX\d{4}", row[column]) for row in body)
        step(page, "households", "3_excel_downloaded")
        assert page.blocked == []
