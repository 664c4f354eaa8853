"""Real-browser journeys for sharing: meeting mode on a shared screen, a chart's image and the
review brief downloaded (PNG, PDF), Hindi drawn with the app's own Devanagari font, and no
request leaving the machine. One server on the demo district serves every test here (each
test has its own browser, so its own Streamlit session)."""

from __future__ import annotations

import io
import os
import re
import shutil
import struct
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from conftest import demo_file
from playwright.sync_api import expect
from test_browser import ARTIFACTS, CHROMIUM, CHROMIUM_ARGS, shot, start

from samiksha import fmt, queries, settings, store
from samiksha.i18n import t

pytestmark = pytest.mark.browser
VIEWPORT = {"width": 1280, "height": 720}  # the shared screen of a video call
INDICATOR = "ayushman_cards"
NAV = ("overview", "blocks", "campaign", "map", "shg", "households", "reporting", "workers", "upload", "settings")
MEETING_NAV = NAV[:-2]  # meeting mode leaves out Upload & data and Settings
FONT_FILE = "/app/static/fonts/NotoSansDevanagari-Regular.ttf"
LATIN_FONTS = Path("/usr/share/fonts/truetype/dejavu")  # DejaVu: no Devanagari glyphs
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


@pytest.fixture(scope="module")
def demo_app(tmp_path_factory):
    """The app on a copy of the demo district, started once for this file (its renderer
    stays warm between tests); the tests only read."""
    path = tmp_path_factory.mktemp("sharing") / "demo.duckdb"
    shutil.copy(demo_file(tmp_path_factory), path)
    yield from start(path)


@pytest.fixture(scope="module")
def demo_facts(tmp_path_factory) -> dict:
    """What the pages and files should show, from the demo store itself."""
    con = store.open_store(str(demo_file(tmp_path_factory)), read_only=True)
    as_of = queries.latest_date(con, INDICATOR)
    summary = queries.run(con, "district_review", indicator=INDICATOR, as_of=as_of).iloc[0]
    blocks = queries.run(con, "block_review", indicator=INDICATOR, as_of=as_of)
    weakest = blocks.sort_values("rank").iloc[-1]["block"]
    facts = {"date": fmt.date(as_of), "target": fmt.number(summary["target"]),
             "achieved": fmt.number(summary["achieved"]), "blocks": len(blocks),
             "indicator_hi": settings.indicator_name(con, INDICATOR, "hi"),
             "weakest_hi": queries.place_labels(con, "hi")[0].get(weakest, weakest)}
    con.close()
    return facts


@contextmanager
def browser_page(env: dict | None = None):
    """A Chromium tab at 1280×720 that records every request it makes and every answer."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS, env=env)
        try:
            tab = browser.new_page(viewport=VIEWPORT, accept_downloads=True)
            tab.requests, tab.responses = [], []
            tab.on("request", lambda r: tab.requests.append(r.url))
            tab.on("response", lambda r: tab.responses.append((r.url, r.status)))
            yield tab
        finally:
            browser.close()


@pytest.fixture
def page():
    with browser_page() as tab:
        yield tab


def outside(page) -> list[str]:
    """The requests that went anywhere but 127.0.0.1 (data: and blob: stay in the page)."""
    return [u for u in page.requests
            if urlsplit(u).scheme not in ("data", "blob") and urlsplit(u).hostname != "127.0.0.1"]


def switch(page, lang: str):
    return page.get_by_role("switch", name=t("app.meeting", lang), exact=True)


def nav_links(page):
    return page.locator('[data-testid="stTopNavLink"]')


def expect_nav(page, keys: tuple[str, ...], lang: str) -> None:
    """The top navigation lists exactly these pages, in this order (each link's text is
    its icon's name, then its title)."""
    titles = [re.compile(re.escape(t(f"nav.{key}", lang)) + r"\s*$") for key in keys]
    expect(nav_links(page)).to_have_text(titles, timeout=30000)


def go(page, key: str, lang: str) -> None:
    """Click a page's link in the top navigation."""
    nav_links(page).filter(has_text=t(f"nav.{key}", lang)).click()


def choose_language(page, lang: str) -> None:
    """Click the language switch; wait until the navigation is drawn in that language."""
    page.get_by_text("हिंदी" if lang == "hi" else "English", exact=True).first.click()
    overview = re.compile(re.escape(t("nav.overview", lang)) + r"\s*$")
    expect(nav_links(page).first).to_have_text(overview, timeout=30000)


def settled(page) -> None:
    """The page's rerun is over (Streamlit's running indicator is gone)."""
    page.wait_for_selector('[data-testid="stStatusWidget"]', state="hidden", timeout=60000)


def blocks_drawn(page) -> None:
    """The Blocks page is drawn to its end (its last chart's image button): what is not
    there now is left out, not still to come."""
    expect(page.locator(".st-key-img_block_trend")).to_be_attached(timeout=60000)
    settled(page)


def download(page, key: str, label: str, tmp_path: Path) -> tuple[str, bytes]:
    """Click the download button of widget `key`; the suggested file name and the bytes."""
    button = page.locator(f".st-key-{key}").get_by_role("button", name=label, exact=True)
    expect(button).to_be_visible(timeout=60000)
    settled(page)
    with page.expect_download(timeout=120000) as caught:
        button.click()
    got = caught.value
    assert got.failure() is None
    saved = tmp_path / f"{key}{Path(got.suggested_filename).suffix}"
    got.save_as(saved)
    return got.suggested_filename, saved.read_bytes()


def png_size(data: bytes) -> tuple[int, int]:
    """Width and height from a PNG's header (its IHDR chunk)."""
    assert data[:8] == PNG_SIGNATURE, data[:16]
    assert data[12:16] == b"IHDR"
    return struct.unpack(">II", data[16:24])


def keep(name: str, data: bytes) -> None:
    """A downloaded file kept beside the screenshots, to look at after the run."""
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / name).write_bytes(data)


def test_meeting_mode_stays_on_across_pages_and_languages_until_turned_off(demo_app, page):
    """The DM shares the screen: meeting mode on from the Overview (larger type, a short
    navigation, ?meeting=1 in the address), still on in Blocks and Map and after switching
    to Hindi; turned off, the navigation has Upload & data and Settings again."""
    page.goto(demo_app)
    label = page.locator('[data-testid="stMetricLabel"] p').first
    expect(label).to_be_visible(timeout=60000)
    expect_nav(page, NAV, "en")
    expect(switch(page, "en")).not_to_be_checked()
    expect(page.locator("html")).to_have_css("font-size", "16px")
    label_before = float(label.evaluate("e => parseFloat(getComputedStyle(e).fontSize)"))
    shot(page, "sharing_meeting_1_off_overview")

    switch(page, "en").click(force=True)  # the input is drawn as a switch; its box is hidden
    expect_nav(page, MEETING_NAV, "en")
    expect(page).to_have_url(re.compile(r"[?&]meeting=1(&|$)"))
    expect(switch(page, "en")).to_be_checked()
    expect(page.locator("html")).to_have_css("font-size", "18px")  # MEETING_CSS: larger type
    expect(page.locator('[data-testid="stMetricValue"]').first).to_have_css("font-weight", "700")
    assert float(label.evaluate("e => parseFloat(getComputedStyle(e).fontSize)")) > label_before
    expect(nav_links(page).filter(has_text=t("nav.upload", "en"))).to_have_count(0)
    expect(nav_links(page).filter(has_text=t("nav.settings", "en"))).to_have_count(0)
    shot(page, "sharing_meeting_2_on_overview")

    go(page, "blocks", "en")
    expect(page.locator(".st-key-block_chart .bars path").first).to_be_visible(timeout=60000)
    expect(page).to_have_url(re.compile(r"/blocks\?(.*&)?meeting=1(&|$)"))
    expect(switch(page, "en")).to_be_checked()
    expect_nav(page, MEETING_NAV, "en")
    expect(page.locator(".st-key-img_block_chart").get_by_role("button", name="Image (PNG)")).to_be_visible()
    blocks_drawn(page)
    expect(page.locator(".st-key-block_excel")).to_have_count(0)  # no table downloads in a meeting
    shot(page, "sharing_meeting_3_blocks")

    go(page, "map", "en")
    expect(page.locator(".st-key-place_map .scatterlayer path").first).to_be_attached(timeout=60000)
    expect(page).to_have_url(re.compile(r"/map\?(.*&)?meeting=1(&|$)"))
    expect(switch(page, "en")).to_be_checked()
    expect_nav(page, MEETING_NAV, "en")
    shot(page, "sharing_meeting_4_map")

    choose_language(page, "hi")
    expect(switch(page, "hi")).to_be_checked()
    expect_nav(page, MEETING_NAV, "hi")
    expect(page).to_have_url(re.compile(r"/map\?(.*&)?meeting=1(&|$)"))
    expect(page.locator("html")).to_have_css("font-size", "18px")
    shot(page, "sharing_meeting_5_map_hindi")

    go(page, "blocks", "hi")
    expect(page.locator(".st-key-block_chart .bars path").first).to_be_visible(timeout=60000)
    expect(switch(page, "hi")).to_be_checked()
    expect_nav(page, MEETING_NAV, "hi")
    switch(page, "hi").click(force=True)
    expect_nav(page, NAV, "hi")
    expect(switch(page, "hi")).not_to_be_checked()
    expect(page).not_to_have_url(re.compile(r"meeting="))
    expect(page.locator("html")).to_have_css("font-size", "16px")
    expect(page.locator(".st-key-block_excel").get_by_role("button")).to_be_visible(timeout=30000)
    shot(page, "sharing_meeting_6_off_blocks_hindi")

    go(page, "upload", "hi")
    expect(page.locator('[data-testid="stFileUploader"]').first).to_be_visible(timeout=60000)
    expect(page).to_have_url(re.compile(r"/upload$"))
    expect(switch(page, "hi")).not_to_be_checked()
    shot(page, "sharing_meeting_7_upload_hindi")
    assert outside(page) == []


def test_meeting_mode_makes_the_overview_numbers_larger(demo_app, page):
    """"Larger type and numbers" on a shared screen: the metric values grow in meeting mode."""
    page.goto(demo_app)
    value = page.locator('[data-testid="stMetricValue"]').first
    expect(value).to_be_visible(timeout=60000)
    measure = "e => [parseFloat(getComputedStyle(e).fontSize), e.getBoundingClientRect().height]"
    before = value.evaluate(measure)
    switch(page, "en").click(force=True)
    expect_nav(page, MEETING_NAV, "en")
    expect(value).to_have_css("font-weight", "700")  # MEETING_CSS's rule for the values is in force
    after = value.evaluate(measure)
    value.scroll_into_view_if_needed()
    shot(page, "sharing_meeting_metric_values")
    assert outside(page) == []
    assert after[0] > before[0], f"metric value font-size {before[0]}px before, {after[0]}px in meeting mode"
    assert after[1] > before[1]


def test_chart_images_download_from_blocks_in_hindi_meeting_mode(demo_app, demo_facts, page, tmp_path):
    """A link with ?meeting=1 opens Blocks in meeting mode; in Hindi the DM downloads the
    ranking chart's image for WhatsApp (a PNG at least 1080 wide, named with its date), then
    the weakest block's panchayat chart's."""
    page.goto(demo_app + "/blocks?meeting=1")
    expect(page.locator(".st-key-block_chart .bars path")).to_have_count(demo_facts["blocks"], timeout=60000)
    expect(switch(page, "en")).to_be_checked()
    choose_language(page, "hi")
    expect(switch(page, "hi")).to_be_checked()
    expect_nav(page, MEETING_NAV, "hi")
    ticks = page.locator(".st-key-block_chart .ytick text")
    expect(ticks.filter(has_text=demo_facts["weakest_hi"])).to_have_count(1, timeout=30000)
    blocks_drawn(page)
    expect(page.locator(".st-key-block_excel")).to_have_count(0)
    shot(page, "sharing_blocks_hindi_meeting")

    label = t("download.image", "hi")
    name, ranking = download(page, "img_block_chart", label, tmp_path)
    keep("sharing_download_ranking_hi.png", ranking)
    width, height = png_size(ranking)
    assert width >= 1080 and height >= 400, (width, height)
    assert name.endswith(".png") and demo_facts["date"] in name, name
    assert demo_facts["indicator_hi"].replace(" ", "_") in name, name  # the chart's Hindi title

    name_2, panchayats = download(page, "img_panchayat_chart", label, tmp_path)
    keep("sharing_download_panchayats_hi.png", panchayats)
    width_2, height_2 = png_size(panchayats)
    assert width_2 >= 1080 and height_2 >= 400, (width_2, height_2)
    assert name_2.endswith(".png") and demo_facts["date"] in name_2, name_2
    assert demo_facts["weakest_hi"] in name_2 and name_2 != name, name_2
    assert panchayats != ranking
    page.locator(".st-key-img_panchayat_chart").scroll_into_view_if_needed()
    shot(page, "sharing_blocks_hindi_images_downloaded")
    assert outside(page) == []


def test_review_brief_downloads_as_one_a4_page_pdf_and_as_png_in_hindi(demo_app, demo_facts, page, tmp_path):
    """On the Overview, in Hindi, the DM downloads the review brief: a one-page A4 PDF with
    the district's figures in the app's Devanagari font, and the same page as a PNG."""
    import pypdf

    page.goto(demo_app)
    expect(page.locator('[data-testid="stMetricValue"]').first).to_be_visible(timeout=60000)
    choose_language(page, "hi")
    expect(page.get_by_role("heading", name=t("overview.title", "hi")).first).to_be_visible(timeout=30000)
    shot(page, "sharing_overview_hindi")

    name, pdf = download(page, f"brief_pdf_{INDICATOR}", t("download.brief_pdf", "hi"), tmp_path)
    keep("sharing_download_brief_hi.pdf", pdf)
    assert name.endswith(".pdf") and demo_facts["date"] in name and name.startswith("समीक्षा_सार"), name
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) == 1
    sheet = reader.pages[0].mediabox
    assert abs(float(sheet.width) - 595.3) < 2 and abs(float(sheet.height) - 841.9) < 2, sheet  # A4 in points
    text = reader.pages[0].extract_text()
    for shown in (demo_facts["target"], demo_facts["achieved"], demo_facts["date"]):
        assert shown in text, shown
    fonts = reader.pages[0]["/Resources"]["/Font"]
    assert any("NotoSansDevanagari" in fonts[k].get_object()["/BaseFont"] for k in fonts)

    name_png, png = download(page, f"brief_png_{INDICATOR}", t("download.brief_png", "hi"), tmp_path)
    keep("sharing_download_brief_hi.png", png)
    assert name_png.endswith(".png") and demo_facts["date"] in name_png, name_png
    assert name_png.removesuffix(".png") == name.removesuffix(".pdf")
    width, height = png_size(png)
    assert width >= 1080 and abs(height / width - 1123 / 794) < 0.03, (width, height)  # an A4 page
    shot(page, "sharing_overview_hindi_brief_downloaded")
    assert outside(page) == []


FONT_PROBE = """async () => {
    await document.fonts.ready;
    const faces = [...document.fonts].filter(f => f.family.replace(/["']/g, '') === 'Noto Sans Devanagari');
    return faces.map(f => [String(f.weight), f.status]);
}"""


def fonts_used(page, selector: str) -> list[dict]:
    """The fonts Chromium drew the element's text with (DevTools: its family, PostScript
    name, whether a web font (`isCustomFont`), and how many glyphs)."""
    cdp = page.context.new_cdp_session(page)
    try:
        cdp.send("DOM.enable")
        cdp.send("CSS.enable")
        root = cdp.send("DOM.getDocument", {"depth": 0})["root"]["nodeId"]
        node = cdp.send("DOM.querySelector", {"nodeId": root, "selector": selector})["nodeId"]
        assert node, selector
        return cdp.send("CSS.getPlatformFontsForNode", {"nodeId": node})["fonts"]
    finally:
        cdp.detach()


def assert_drawn_in_web_font(page) -> None:
    """The Hindi title (bold) and a metric's label (regular) are drawn with the app's web
    font, and no Devanagari glyph comes from a font of the machine."""
    for selector, face in (("h1", "NotoSansDevanagari-Bold"),
                           ('[data-testid="stMetricLabel"] p', "NotoSansDevanagari-Regular")):
        fonts = fonts_used(page, selector)
        devanagari = [f for f in fonts if "Devanagari" in f["familyName"]]
        assert any(f["postScriptName"] == face and f["isCustomFont"] and f["glyphCount"] > 0 for f in devanagari), \
            (selector, fonts)
        assert all(f["isCustomFont"] for f in devanagari), (selector, fonts)


def test_hindi_is_drawn_with_the_apps_own_devanagari_font(demo_app, page):
    """The Hindi view loads Noto Sans Devanagari from the app itself (static/fonts through
    the theme's fontFaces) and draws its text with it, so it does not depend on the
    viewer's fonts."""
    page.goto(demo_app)
    expect(switch(page, "en")).to_be_visible(timeout=60000)
    choose_language(page, "hi")
    expect(page.get_by_role("heading", name=t("overview.title", "hi")).first).to_be_visible(timeout=30000)
    expect(page.locator('[data-testid="stMetricLabel"] p').first).to_have_text(t("overview.target", "hi"))
    assert ["400", "loaded"] in page.evaluate(FONT_PROBE)
    assert_drawn_in_web_font(page)
    served = [(u, status) for u, status in page.responses if u.endswith(FONT_FILE)]
    assert served and all(u.startswith(demo_app) and status == 200 for u, status in served), served
    shot(page, "sharing_font_hindi")
    assert outside(page) == []


WIDTHS = """async (text) => {
    await document.fonts.ready;
    // the machine's own Noto Sans Devanagari, by name: unreachable when fontconfig hides it
    const local = new FontFace('ProbeLocal', "local('Noto Sans Devanagari Regular'), local('NotoSansDevanagari-Regular')");
    const system = await local.load().then(() => 'found', () => 'hidden');
    const heading = getComputedStyle(document.querySelector('h1'));
    const width = (family) => {
        const span = document.createElement('span');
        span.textContent = text;
        span.style.cssText = `position: absolute; white-space: nowrap; font-size: ${heading.fontSize};
                              font-weight: ${heading.fontWeight}; font-family: ${family}`;
        document.body.appendChild(span);
        const w = span.getBoundingClientRect().width;
        span.remove();
        return w;
    };
    return {system, page: width(heading.fontFamily), web: width("'Noto Sans Devanagari'"),
            latin: width("'DejaVu Sans'")};
}"""


def test_hindi_shows_in_the_web_font_on_a_machine_without_devanagari_fonts(demo_app, tmp_path):
    """A viewer's machine with Latin fonts only (fontconfig lists the DejaVu folder alone):
    the Hindi heading is still shaped with the app's web font, not drawn as empty boxes."""
    if not LATIN_FONTS.is_dir():
        pytest.skip(f"{LATIN_FONTS} is missing: no Latin-only font folder to show Chromium")
    conf = tmp_path / "fonts.conf"
    conf.write_text('<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "urn:fontconfig:fonts.dtd">\n<fontconfig>\n'
                    f"  <dir>{LATIN_FONTS}</dir>\n  <cachedir>{tmp_path / 'fontcache'}</cachedir>\n</fontconfig>\n",
                    encoding="utf-8")
    with browser_page(env={**os.environ, "FONTCONFIG_FILE": str(conf)}) as page:
        page.goto(demo_app)
        expect(switch(page, "en")).to_be_visible(timeout=60000)
        choose_language(page, "hi")
        title = t("overview.title", "hi")
        heading = page.get_by_role("heading", name=title).first
        expect(heading).to_be_visible(timeout=30000)
        expect(page.locator('[data-testid="stMetricLabel"] p').first).to_have_text(t("overview.target", "hi"))
        words = re.sub(r"[^\u0900-\u097F]", "", title)  # Devanagari only: no Latin glyph in the width
        widths = page.evaluate(WIDTHS, words)
        assert widths["system"] == "hidden", "the machine's Devanagari font is still visible to Chromium"
        assert ["400", "loaded"] in page.evaluate(FONT_PROBE)
        assert_drawn_in_web_font(page)
        assert abs(widths["page"] - widths["web"]) < 0.5, widths  # every glyph from the web font
        assert abs(widths["page"] - widths["latin"]) > 0.05 * widths["latin"], widths  # not DejaVu's boxes
        heading.scroll_into_view_if_needed()
        shot(page, "sharing_font_hindi_latin_only_machine")
        assert outside(page) == []
