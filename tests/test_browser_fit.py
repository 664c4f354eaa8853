"""On the meeting screen (1280×720) no text is cut short: a metric's label, value and note
("4 days before the deadline", the workers' roles, a deadline and the days left) wrap onto
another line rather than end in an ellipsis. Every chart page in normal and meeting mode,
English and Hindi, in a real Chromium (the ellipsis is the browser's doing: AppTest cannot
see it).
"""

from __future__ import annotations

import shutil

import pytest
from conftest import demo_file
from test_browser import CHROMIUM, CHROMIUM_ARGS, shot, start

pytestmark = pytest.mark.browser
PAGES = ("", "blocks", "campaign", "map", "shg", "reporting", "workers")  # "" is the Overview

# Elements whose text overflows their box while the box hides the overflow (an ellipsis or a
# clip): text cut short. Charts (SVG) and the grids (canvas) are left out, and so are input
# boxes (a picker shows its choice as it fits).
CUT = """() => {
  const cut = [];
  const main = document.querySelector('[data-testid=stMain]') || document.body;
  for (const el of main.querySelectorAll('*')) {
    if (el.closest('[data-testid=stDataFrame], [data-testid=stPlotlyChart], svg, [data-baseweb=select], ' +
                   '[data-baseweb=popover], [data-testid=stDateInput], input, textarea')) continue;
    const text = el.textContent.trim();
    if (!text || text.length > 400) continue;
    const style = getComputedStyle(el);
    const hides = style.textOverflow === 'ellipsis' || style.overflow === 'hidden' || style.overflowX === 'hidden';
    if (hides && el.scrollWidth > el.clientWidth + 1) cut.push(text.slice(0, 80));
  }
  return cut;
}"""


@pytest.fixture(scope="module")
def demo_server(tmp_path_factory):
    """The app on a copy of the demo district, started once for this file: the tests only read."""
    path = tmp_path_factory.mktemp("fit_demo") / "demo.duckdb"
    shutil.copy(demo_file(tmp_path_factory), path)
    yield from start(path)


# Streamlit shows its status widget ("Running...") once a run asked for has gone on for 500 ms,
# and takes it away 200 ms after the run ends: 600 ms after the click (timed in the page, after
# Streamlit's own timer), a run still going shows it.
SHOWN_IF_RUNNING = "() => new Promise(done => setTimeout(done, 600))"
# The run over: the page asked for open, no status widget, no element of the last run left stale;
# then the fonts loaded and two frames drawn, so the layout measured is the final one.
SETTLED = """(path) => location.pathname === path && !document.querySelector('[data-testid=stStatusWidget]')
  && !document.querySelector('[data-stale=true]')"""
LAID_OUT = """() => document.fonts.ready.then(() => new Promise(
  done => requestAnimationFrame(() => requestAnimationFrame(() => done(true)))))"""


def open_page(page, name: str) -> None:
    """Go to a page through the app's own navigation (the session, and its language, stay),
    and wait for its run to be over."""
    page.evaluate("(name) => [...document.querySelectorAll('a')].find(a => new URL(a.href).pathname === '/' + name)"
                  ".click()", name)
    page.evaluate(SHOWN_IF_RUNNING)
    page.wait_for_function(SETTLED, arg="/" + name, timeout=90000)
    page.evaluate(LAID_OUT)


def test_the_meeting_screen_cuts_no_text_short(demo_server):
    from playwright.sync_api import sync_playwright

    found = {}
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        for meeting in (False, True):
            tab = browser.new_page(viewport={"width": 1280, "height": 720})
            tab.goto(demo_server + ("/?meeting=1" if meeting else "/"))
            tab.wait_for_selector('[data-testid="stMetricDelta"]', timeout=90000)
            for lang in ("en", "hi"):
                if lang == "hi":
                    open_page(tab, "")
                    tab.get_by_text("हिंदी").first.click()
                    tab.get_by_text("आयुष्मान कार्ड").first.wait_for(timeout=60000)
                for name in PAGES:
                    open_page(tab, name)
                    cut = tab.evaluate(CUT)
                    if cut:
                        found[f"{lang} {'meeting' if meeting else 'normal'} /{name}"] = cut
                        shot(tab, f"cut_{lang}_{int(meeting)}_{name or 'overview'}")
            tab.close()
        browser.close()
    assert not found, found


def test_the_check_sees_an_ellipsis(demo_server):
    """The check above is no formality: a metric's note made to end in an ellipsis is found."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        tab = browser.new_page(viewport={"width": 1280, "height": 720})
        tab.goto(demo_server + "/?meeting=1")
        tab.wait_for_selector('[data-testid="stMetricDelta"]', timeout=90000)
        tab.wait_for_timeout(1500)
        tab.add_style_tag(content='html body [data-testid="stMetricDelta"] [data-testid="stMarkdownContainer"], '
                                  'html body [data-testid="stMetricDelta"] [data-testid="stMarkdownContainer"] p '
                                  '{white-space: nowrap !important; overflow: hidden !important; '
                                  'text-overflow: ellipsis !important; max-width: 60px !important;}')
        assert any("before the deadline" in text for text in tab.evaluate(CUT))
        browser.close()


def test_image_for_phone_beside_image_png_downloads_a_portrait_png(demo_server, tmp_path):
    import struct

    from playwright.sync_api import expect, sync_playwright

    from samiksha.i18n import t

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        tab = browser.new_page(viewport={"width": 1280, "height": 720}, accept_downloads=True)
        tab.goto(demo_server + "/")
        tab.wait_for_selector('[data-testid="stMetricDelta"]', timeout=90000)
        open_page(tab, "blocks")
        wide = tab.locator(".st-key-img_block_chart").get_by_role("button", name=t("download.image", "en"), exact=True)
        phone = tab.locator(".st-key-phone_block_chart").get_by_role("button", name=t("download.image_phone", "en"),
                                                                       exact=True)
        expect(phone).to_be_visible(timeout=60000)
        a, b = wide.bounding_box(), phone.bounding_box()
        assert abs(a["y"] - b["y"]) < 4 and b["x"] > a["x"] + a["width"]  # side by side, under the chart
        with tab.expect_download(timeout=180000) as caught:
            phone.click()
        got = caught.value
        assert got.failure() is None
        assert got.suggested_filename.endswith("_30-05-2025_phone.png"), got.suggested_filename
        saved = tmp_path / "phone.png"
        got.save_as(saved)
        data = saved.read_bytes()
        width, height = struct.unpack(">II", data[16:24])
        assert data[:8] == b"\x89PNG\r\n\x1a\n" and 1080 <= width <= 1200 and height > width
        shot(tab, "blocks_image_buttons")
        browser.close()


BRIEF_CUT = """() => {
  const cut = [];
  for (const el of document.body.querySelectorAll('*')) {
    if (el.closest('svg')) continue;
    const box = el.getBoundingClientRect();
    if (el.scrollWidth > el.clientWidth + 1 && getComputedStyle(el).display !== 'inline') cut.push(el.textContent.trim().slice(0, 60));
    if (box.right > 795 || box.bottom > 1123) cut.push('off the page: ' + el.textContent.trim().slice(0, 60));
  }
  return cut;
}"""


@pytest.mark.parametrize("case", ["en", "hi", "long names and figures"])
def test_the_brief_cuts_no_text_short(tmp_path_factory, case):
    """The brief's page (A4, 794 CSS pixels wide) as Chromium lays it out: nothing wider than
    its box, nothing off the page; also with long block names and figures in crores."""
    import datetime as dt

    from playwright.sync_api import sync_playwright

    from samiksha import brief, render, store

    path = tmp_path_factory.mktemp("brief_fit") / "demo.duckdb"
    shutil.copy(demo_file(tmp_path_factory), path)
    con = store.open_store(str(path), read_only=True)
    made = brief.gather(con, "ayushman_cards", dt.date(2025, 5, 30), "hi" if case == "hi" else "en",
                        now=dt.datetime(2025, 5, 31, 10, 0))
    con.close()
    if case == "long names and figures":
        made.blocks["block"] = [f"Kusheshwar Asthan Purbi Baruraj Motipur {i}" for i in range(len(made.blocks))]
        made.summary["target"], made.summary["achieved"] = 123456789012, 98765432101
    svg = render.renderer().figure(made.chart, "svg", width=brief.CHART_WIDTH, height=int(made.chart.layout.height))
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        tab = browser.new_page(viewport={"width": 794, "height": 1123})
        tab.set_content(brief.page_html(made, brief._svg_body(svg.decode("utf-8"))))
        tab.wait_for_timeout(300)
        cut = tab.evaluate(BRIEF_CUT)
        if case == "long names and figures":  # the check sees a cell made too narrow for its text
            tab.add_style_tag(content="#lowest td:nth-child(2) {max-width: 40px; overflow: hidden;}")
            assert any("Kusheshwar" in text for text in tab.evaluate(BRIEF_CUT))
        browser.close()
    assert not cut, cut
