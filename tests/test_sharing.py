"""Sharing: every chart as an image in English and Hindi (PNG for WhatsApp, SVG to read its
text back), Hindi on a machine without a Devanagari font, the one-page review brief (its
sections, figures, PDF and PNG), the `brief` and `image` commands, and the charts' file
names and meeting-mode enlargement.

The demo store is the one test_pages builds once per run; this module works on its own
copy, opened read-only (as the commands open it). One warm renderer serves the process.
"""

from __future__ import annotations

import datetime as dt
import html
import io
import os
import re
import shutil
import struct
import subprocess
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pandas as pd
import plotly.graph_objects as go
import pypdf
import pytest
from conftest import ROOT, cli, csv_bytes, demo_file, gazetteer_bytes, ingest
from PIL import Image, ImageChops, ImageStat

from samiksha import brief, compliance, figures, images, queries, render, settings, shg, store, workers
from samiksha.i18n import t

IND = "ayushman_cards"
AS_OF = dt.date(2025, 5, 30)
AFTER = dt.datetime(2025, 5, 31, 10, 0)  # the next morning: the day's cut-off has passed
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
DEVANAGARI = re.compile("[\u0900-\u097f]")

# ---------------------------------------------------------------- helpers and fixtures


def png_size(data: bytes) -> tuple[int, int]:
    """(width, height) from a PNG's IHDR chunk."""
    assert data[:8] == PNG_SIGNATURE, "not a PNG"
    assert data[12:16] == b"IHDR"
    return struct.unpack(">II", data[16:24])


def gray(data: bytes) -> Image.Image:
    return Image.open(io.BytesIO(data)).convert("L")


def ink(image: Image.Image) -> tuple[int, tuple | None]:
    """How many dark pixels, and the box around them."""
    dark = image.point(lambda p: 255 if p < 160 else 0)
    return int(ImageStat.Stat(dark).sum[0] / 255), dark.getbbox()


def blurred_difference(first: Image.Image, second: Image.Image, factor: int = 8) -> float:
    """Mean grey difference of the two images shrunk `factor` times (a pixel's shift or a
    different hinting does not count; other glyphs do)."""
    def small(image):
        return image.resize((image.width // factor, image.height // factor), Image.BOX)

    return ImageStat.Stat(ImageChops.difference(small(first), small(second))).mean[0]


def svg_text(fig, height: int | None = None) -> str:
    """The figure drawn as SVG by the warm renderer, entities decoded."""
    data = render.renderer().figure(fig, "svg", width=images.WIDTH, height=height or int(fig.layout.height or 700))
    text = data.decode("utf-8")
    assert text.lstrip().startswith(("<svg", "<?xml")), text[:80]
    return html.unescape(text)


def flat(markup: str) -> str:
    """Text of an HTML fragment, tags dropped and white space collapsed."""
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", markup))).strip()


def sections(page: str) -> dict[str, str]:
    """{section id: its inner HTML} of the brief's page."""
    return dict(re.findall(r'<section id="([a-z_]+)">(.*?)</section>', page, re.S))


def table_rows(markup: str) -> list[list[str]]:
    """The body rows of the first table in `markup`, as cell texts."""
    rows = []
    for row in re.findall(r"<tr>(.*?)</tr>", markup, re.S):
        cells = [flat(c) for c in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)]
        if cells:
            rows.append(cells)
    return rows


def pdf_reader(data: bytes) -> pypdf.PdfReader:
    assert data[:5] == b"%PDF-", data[:20]
    return pypdf.PdfReader(io.BytesIO(data))


def assert_a4_one_page(data: bytes) -> pypdf.PdfReader:
    reader = pdf_reader(data)
    assert len(reader.pages) == 1
    box = reader.pages[0].mediabox
    assert abs(float(box.width) - 595.3) < 2 and abs(float(box.height) - 841.9) < 2, box
    return reader


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory) -> Path:
    """A copy of the run's demo store (nothing here writes to it)."""
    path = tmp_path_factory.mktemp("sharing") / "demo.duckdb"
    shutil.copy(demo_file(tmp_path_factory), path)
    return path


@pytest.fixture(scope="module")
def runs(demo_db, tmp_path_factory):
    """The commands, two at a time, started as soon as the store exists (demo_con asks for
    them) so that they run while this process draws: {name: (future, file)}. Each command
    that draws starts its own Chromium; those go first."""
    out = tmp_path_factory.mktemp("cli")
    brief_args = ("brief", "--indicator", "Ayushman cards", "--as-of", "2025-05-30")
    commands = {
        "brief_hi_pdf": ((*brief_args, "--out", out / "brief.pdf", "--lang", "hi"), out / "brief.pdf"),
        "brief_png": ((*brief_args, "--out", out / "brief.png"), out / "brief.png"),
        "image_hi": (("image", "block_progress", "--out", out / "blocks.png", "--lang", "hi"), out / "blocks.png"),
        "bad_suffix": ((*brief_args, "--out", out / "brief.jpg"), out / "brief.jpg"),
        "unknown": (("brief", "--indicator", "Polio drops", "--as-of", "2025-05-30", "--out", out / "polio.pdf"),
                    out / "polio.pdf"),
        "too_early": (("brief", "--indicator", "Ayushman cards", "--as-of", "2025-04-30", "--out", out / "early.pdf"),
                      out / "early.pdf"),
        "too_early_hi": (("brief", "--indicator", "Ayushman cards", "--as-of", "2025-04-30", "--out",
                          out / "early_hi.pdf", "--lang", "hi"), out / "early_hi.pdf"),
    }
    # Written once here and inherited: the commands would otherwise each write the shared
    # fontconfig file while another's Chromium may be reading it.
    render.use_app_fonts()
    pool = ThreadPoolExecutor(max_workers=2)
    started = {name: (pool.submit(cli, *args, env_db=demo_db, timeout=180), path)
               for name, (args, path) in commands.items()}
    yield started
    pool.shutdown(wait=True)


@pytest.fixture(scope="module")
def demo_con(demo_db, runs):
    con = store.open_store(str(demo_db), read_only=True)
    yield con
    con.close()


@pytest.fixture(scope="module")
def progress_only_con():
    """A store with the tiny gazetteer and one day's progress report: no SHG register, no
    roster, not the demo."""
    con = store.open_store(store.MEMORY)
    assert ingest(con, gazetteer_bytes(), "lgd.csv", kind="gazetteer").status == "stored"
    report = csv_bytes([["Ayushman card daily report dated 30/05/2025"],
                        ["Block", "Panchayat", "Target", "Achieved Today", "Cumulative Achieved"],
                        ["Kusheshwar Asthan", "Ujwa", 1000, 50, 400], ["Kusheshwar Asthan", "Itahar", 800, 40, 300],
                        ["Musahari", "Panchayat 5", 1000, 100, 900], ["Musahari", "Panchayat 6", 600, 10, 90]])
    result = ingest(con, report, "report.csv")
    assert result.status == "stored", result.refusal and result.refusal.text()
    yield con
    con.close()


# ---------------------------------------------------------------- 1. every chart as an image

KINDS = ("block_progress", "panchayat_progress", "trend", "channel_stack", "channel_share", "drive_days",
         "shg_blocks", "shg_coverage", "reporting_grid", "worker_readiness", "map")
# What the demo district is called in each language, for the expected titles.
NAMES = {"en": {"indicator": "Ayushman cards", "district": "Sahyogpur (demo)", "weakest": "Semrabad",
                "drive": "Special camp drive", "cutoff": "5:00 PM"},
         "hi": {"indicator": "आयुष्मान कार्ड", "district": "सहयोगपुर (डेमो)", "weakest": "सेमराबाद",
                "drive": "विशेष शिविर अभियान", "cutoff": "शाम 5:00 बजे"}}


def expected_title(kind: str, lang: str) -> str:
    """The chart's title from the catalogue, in `lang`."""
    n = NAMES[lang]
    key, params = {
        "block_progress": ("figure.block_ranking_title", {"indicator": n["indicator"]}),
        "panchayat_progress": ("figure.panchayat_title", {"indicator": n["indicator"], "block": n["weakest"]}),
        "trend": ("figure.trend_title", {"indicator": n["indicator"], "place": n["district"]}),
        "channel_stack": ("figure.channel_title", {"indicator": n["indicator"]}),
        "channel_share": ("figure.channel_share_title", {"indicator": n["indicator"]}),
        "drive_days": ("figure.drive_title", {"indicator": n["indicator"], "drive": n["drive"]}),
        "shg_blocks": ("figure.shg_blocks_title", {}),
        "shg_coverage": ("figure.shg_coverage_title", {}),
        "reporting_grid": ("figure.reporting_title", {"cutoff": n["cutoff"]}),
        "worker_readiness": ("figure.workers_title", {}),
        "map": ("map.title_panchayat", {"indicator": n["indicator"], "measure": t("map.measure_pct", lang)}),
    }[kind]
    return t(key, lang, **params)


def page_figure(con, kind: str, lang: str):
    """The figure a page draws for the demo at 30-05-2025 (built as the page builds it); the
    `image` command's three kinds through images.chart."""
    if kind in images.CHARTS:
        return images.chart(con, kind, IND, AS_OF, lang).figure
    labels = queries.place_labels(con, lang)

    def labelled(frame):
        return queries.labelled(frame, labels)

    ctx = images.context(con, IND, AS_OF, lang)
    if kind == "trend":  # the Overview
        summary = queries.run(con, "district_review", indicator=IND, as_of=AS_OF).iloc[0]
        trend = queries.run(con, "progress_trend", indicator=IND, as_of=AS_OF)
        return figures.trend(trend, ctx, target=summary["target"], pace=summary["pace_per_day"],
                             deadline=summary["deadline"].date(), start=queries.campaign_start(con, IND), daily=False)
    if kind == "channel_stack":  # the Campaign page
        return figures.channel_stack(labelled(queries.run(con, "channel_progress", indicator=IND, as_of=AS_OF)), ctx)
    if kind == "channel_share":
        return figures.channel_share(queries.run(con, "channel_share", indicator=IND, as_of=AS_OF), ctx)
    if kind == "drive_days":
        drive = settings.drive(con)
        days = labelled(queries.run(con, "drive_days", indicator=IND, from_date=drive.start, to_date=drive.end))
        return figures.drive_days(days, ctx, drive.name_in(lang))
    if kind in ("shg_blocks", "shg_coverage"):  # the SHG page, at the latest register
        register = shg.register_dates(con)[0]
        blocks = labelled(queries.run(con, "shg_blocks", as_of=register))
        return getattr(figures, kind)(blocks, shg.context(con, register, lang))
    if kind == "reporting_grid":  # the Reporting page, 14 days
        grid = compliance.grid(con, IND, AS_OF, 14)
        rctx = figures.Context(lang, settings.indicator_name(con, IND, lang), AS_OF,
                               compliance.uploaded_up_to(con, IND, AS_OF), settings.district_name(con, lang),
                               source_key="figure.reporting_source")
        return figures.reporting_grid(grid, rctx, compliance.fmt_time(compliance.cutoff(con), lang), labels[0])
    assert kind == "worker_readiness"  # the Workers page, at the latest output
    as_of = workers.output_dates(con)[0]
    status = queries.run(con, "worker_status", as_of=as_of)
    status["active_pct"] = [round(100.0 * a / w, 1) if w else None for a, w in zip(status["id_active"], status["workers"])]
    status["trained_pct"] = [round(100.0 * a / w, 1) if w else None for a, w in zip(status["trained"], status["workers"])]
    return figures.worker_readiness(labelled(status), workers.context(con, as_of, lang))


@pytest.fixture(scope="module")
def figure_of(demo_con):
    """page_figure for the demo, each figure built once (the tests only read them)."""
    built = {}

    def get(kind: str, lang: str):
        if (kind, lang) not in built:
            built[kind, lang] = page_figure(demo_con, kind, lang)
        return built[kind, lang]

    return get


@pytest.mark.parametrize("lang", ["en", "hi"])
@pytest.mark.parametrize("kind", KINDS)
def test_every_chart_is_an_image_with_its_title_and_date(figure_of, kind, lang):
    fig = figure_of(kind, lang)
    title = expected_title(kind, lang)
    assert fig.layout.title.text == title
    if lang == "hi":
        assert DEVANAGARI.search(title), title

    width, height = png_size(images.png(fig))
    assert width >= 1080 and width == images.WIDTH * images.SCALE
    assert height == int(fig.layout.height * images.SCALE)

    drawn = svg_text(fig)
    assert title in drawn
    subtitle = fig.layout.title.subtitle.text
    assert subtitle in drawn  # place, date and units
    if kind == "drive_days":  # the drive's own days; the as-of date is on the source line
        assert t("figure.drive_span", lang, start=dt.date(2025, 5, 20), end=dt.date(2025, 5, 22)) in subtitle
        assert "30-05-2025" in drawn
    else:
        assert t("figure.as_of", lang, date=AS_OF) in subtitle  # "as of 30-05-2025" / "30-05-2025 तक"
    sources = [a.text for a in fig.layout.annotations if a.text.startswith(("Source:", "स्रोत:"))]
    assert len(sources) == 1 and sources[0] in drawn
    assert sources[0].startswith("स्रोत:" if lang == "hi" else "Source:")
    if lang == "hi":  # no English left on a Hindi chart's title lines
        assert not re.search("[A-Za-z]{3,}", title + subtitle.replace("IST", "")), subtitle


# ---------------------------------------------------------------- 2. Hindi with no Devanagari font

FONTLESS_SCRIPT = r"""
import sys
import plotly.io as pio

fig = pio.read_json(sys.argv[1])
size = {"width": 900, "height": 260, "scale": 1}
with open(sys.argv[2], "wb") as out:  # plain kaleido: the machine's fonts only
    out.write(fig.to_image(format="png", **size))
from samiksha import render

with open(sys.argv[3], "wb") as out:  # the app's renderer: with the shipped font
    out.write(render.renderer().figure(fig, "png", **size))
"""


LATIN_FONTS = (Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"),
               Path("/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf"))


def big_hindi_title() -> go.Figure:
    fig = go.Figure()
    fig.update_layout(title={"text": "कार्ड प्रति प्रखंड", "font": {"size": 72}, "x": 0.5, "xanchor": "center"},
                      font={"family": figures.FONT}, width=900, height=260, margin={"t": 150, "b": 0, "l": 0, "r": 0},
                      xaxis={"visible": False}, yaxis={"visible": False}, paper_bgcolor="white", plot_bgcolor="white")
    return fig


@pytest.fixture
def short_tmp():
    """A temp folder with a short path: Chromium will not start when its socket's path, under
    TMPDIR, is too long (pytest's tmp_path can be)."""
    path = Path(tempfile.mkdtemp(prefix="skf-", dir="/tmp"))
    yield path
    shutil.rmtree(path, ignore_errors=True)


def test_hindi_renders_with_the_shipped_font_where_the_machine_has_none(tmp_path, short_tmp):
    fonts, cache, temp = tmp_path / "fonts", tmp_path / "fontcache", short_tmp
    for folder in (fonts, cache):
        folder.mkdir()
    latin = next(path for path in LATIN_FONTS if path.is_file())
    shutil.copy(latin, fonts)
    conf = tmp_path / "fonts.conf"
    conf.write_text('<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "urn:fontconfig:fonts.dtd">\n<fontconfig>\n'
                    f"  <dir>{fonts}</dir>\n  <cachedir>{cache}</cachedir>\n</fontconfig>\n", encoding="utf-8")
    fig = big_hindi_title()
    spec = tmp_path / "figure.json"
    spec.write_text(fig.to_json(), encoding="utf-8")
    tofu_file, shipped_file = tmp_path / "plain.png", tmp_path / "app.png"
    # A fresh Python (its own Chromium) seeing one Latin font; its own temp folder, so the
    # fontconfig file samiksha writes there is not the one this process's browser uses.
    env = {**os.environ, "FONTCONFIG_FILE": str(conf), "TMPDIR": str(temp)}
    env.pop("SAMIKSHA_DB", None)
    done = subprocess.run([sys.executable, "-c", FONTLESS_SCRIPT, spec, tofu_file, shipped_file], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=180)
    assert done.returncode == 0, done.stderr

    written = next(temp.glob("samiksha-render-*/fonts-*.conf")).read_text(encoding="utf-8")
    assert str(conf) in written and str(render.FONTS_DIR) in written  # the machine's fonts, and the app's

    tofu, shipped = gray(tofu_file.read_bytes()), gray(shipped_file.read_bytes())
    normal = gray(render.renderer().figure(fig, "png", width=900, height=260, scale=1))
    assert tofu.size == shipped.size == normal.size == (900, 260)
    same = tofu_file.read_bytes() == shipped_file.read_bytes()
    assert not same, "the app's renderer drew the very image plain kaleido drew"
    # Boxes are far from the shaped text; the shipped font draws what an installed one draws.
    assert blurred_difference(tofu, normal) > 4, "the Latin-only machine drew Devanagari: the test proves nothing"
    assert blurred_difference(shipped, tofu) > 4
    assert blurred_difference(shipped, normal) < 1.5
    (shipped_ink, shipped_box), (normal_ink, normal_box) = ink(shipped), ink(normal)
    assert shipped_box is not None and normal_box is not None
    assert all(abs(a - b) <= 3 for a, b in zip(shipped_box, normal_box)), (shipped_box, normal_box)
    assert abs(shipped_ink - normal_ink) <= 0.05 * normal_ink
    tofu_box = ink(tofu)[1]
    assert tofu_box[2] - tofu_box[0] > normal_box[2] - normal_box[0] + 100  # a box per letter: a longer line


# ---------------------------------------------------------------- 3. the review brief

LOWEST = {"en": ["Semrabad", "Urmilaganj", "Raunakpur", "Amlapur", "Tilkuti"],
          "hi": ["सेमराबाद", "उर्मिलागंज", "रौनकपुर", "अमलापुर", "तिलकुटी"]}


def headings(lang: str, indicator: str) -> dict[str, str]:
    return {"title": t("brief.heading", lang, indicator=indicator), "ranking": t("brief.ranking_title", lang),
            "lowest": t("overview.lowest", lang), "not_reported": t("brief.not_reported_title", lang, date=AS_OF),
            "shg": t("brief.shg_title", lang), "workers": t("brief.workers_title", lang)}


@pytest.mark.parametrize("lang", ["en", "hi"])
def test_brief_page_has_every_section_with_the_demo_figures(demo_con, lang):
    made = brief.gather(demo_con, IND, AS_OF, lang, now=AFTER)
    page = brief.page_html(made, '<svg id="dummy-chart"></svg>')
    found = sections(page)
    assert list(found) == list(brief.SECTIONS)
    assert '<svg id="dummy-chart"></svg>' in found["ranking"]

    names = NAMES[lang]
    heads = headings(lang, names["indicator"])
    assert f"<h1>{heads['title']}</h1>" in page
    assert [flat(h) for h in re.findall(r"<h2>(.*?)</h2>", page)] == [
        heads["ranking"], heads["lowest"], heads["not_reported"], heads["shg"], heads["workers"]]
    assert f'lang="{lang}"' in page
    assert t("figure.as_of", lang, date=AS_OF) in page and names["district"] in page
    assert t("brief.demo", lang) in flat(page)  # the demo is labelled

    numbers = flat(found["numbers"])
    for label, value in ((t("overview.target", lang), "4,85,600"), (t("overview.achieved", lang), "3,51,020 72.3%")):
        assert f"{label} {value}" in numbers, numbers

    rows = table_rows(found["lowest"])
    assert [r[1] for r in rows] == LOWEST[lang]  # the five lowest, the lowest first
    assert [r[0] for r in rows] == ["14", "13", "12", "11", "10"]
    assert rows[0][2] == "26.9%" and rows[0][3] == "8,556 / 31,750"

    reports = flat(found["not_reported"])
    tilkuti, lohachak, semrabad = ("Tilkuti", "Lohachak", "Semrabad") if lang == "en" else ("तिलकुटी", "लोहाचक", "सेमराबाद")
    assert f"{t('brief.missing', lang, count=1)} {tilkuti}" in reports, reports
    assert re.search(re.escape(t("brief.late", lang, count=2)) + rf" {lohachak} \([^)]*(17:42|5:42)[^)]*\), "
                     rf"{semrabad} \([^)]*(19:05|7:05)[^)]*\)", reports), reports

    shgs, staff = flat(found["shg"]), flat(found["workers"])
    assert t("brief.shg_line", lang, shgs=3569, date=AS_OF) in shgs  # "3,569 SHGs in the register of 30-05-2025."
    assert t("brief.shg_inactive", lang, count=781, pct="21.9%") in shgs
    assert t("brief.workers_line", lang, workers=1516, supervisors=88) in staff  # "1,516 workers, 88 supervisors."
    if lang == "hi":
        for english in ("Five lowest blocks", "Self-help groups", "Not received", "workers"):
            assert english not in flat(page)


@pytest.mark.parametrize("lang", ["en", "hi"])
def test_brief_without_shg_register_or_roster_says_so(progress_only_con, lang):
    made = brief.gather(progress_only_con, IND, AS_OF, lang, now=AFTER)
    page = brief.page_html(made, "<svg></svg>")
    found = sections(page)
    assert list(found) == list(brief.SECTIONS)  # nothing dropped
    assert t("brief.no_shg", lang) in flat(found["shg"])
    assert t("brief.no_workers", lang) in flat(found["workers"])
    assert t("brief.shg_title", lang) in flat(found["shg"]) and t("brief.workers_title", lang) in flat(found["workers"])
    assert "3,51,020" not in page and t("brief.demo", lang) not in flat(page)  # not the demo, not labelled so
    numbers = flat(found["numbers"])
    assert f"{t('overview.target', lang)} 3,400" in numbers  # 1,000 + 800 + 1,000 + 600
    assert f"{t('overview.achieved', lang)} 1,690" in numbers  # 400 + 300 + 900 + 90


@pytest.fixture(scope="module")
def made_briefs(demo_con):
    return {lang: brief.make(demo_con, IND, AS_OF, lang, now=AFTER) for lang in ("en", "hi")}


@pytest.mark.parametrize("lang", ["en", "hi"])
def test_brief_is_one_a4_page_and_a_wide_png(made_briefs, lang):
    made = made_briefs[lang]
    assert set(made) == {"pdf", "png"}
    reader = assert_a4_one_page(made["pdf"])
    width, height = png_size(made["png"])
    assert width >= 1080
    assert abs(height / width - 841.9 / 595.3) < 0.02  # the page as drawn, A4 upright
    text = reader.pages[0].extract_text()
    for figure in ("4,85,600", "3,51,020", "72.3%", "30-05-2025", "8,556 / 31,750"):
        assert figure in text


def test_brief_pdf_text_has_the_headings_and_the_demo_label(made_briefs):
    text = re.sub(r"\s+", " ", pdf_reader(made_briefs["en"]["pdf"]).pages[0].extract_text())
    for heading in headings("en", "Ayushman cards").values():
        assert heading in text, heading
    assert "DEMO DATA" in text
    assert "Not received (1): Tilkuti" in text
    assert "Dhusari" in text and "Nimiadih" in text  # the ranking chart is on the page (the best blocks)
    assert "3,569 SHGs" in text and "1,516 workers" in text
    assert "Achieved is cumulative" in text  # the footer


def test_brief_file_names():
    assert brief.file_name("Ayushman cards", AS_OF, "en", "pdf") == "review_brief_Ayushman_cards_30-05-2025.pdf"
    assert brief.file_name("आयुष्मान कार्ड", AS_OF, "hi", "png") == "समीक्षा_सार_आयुष्मान_कार्ड_30-05-2025.png"


# ---------------------------------------------------------------- 4. the commands


def test_cli_brief_in_hindi_writes_a_one_page_pdf(runs):
    future, path = runs["brief_hi_pdf"]
    done = future.result()
    assert done.returncode == 0, done.stderr
    assert str(path) in done.stdout
    text = assert_a4_one_page(path.read_bytes()).pages[0].extract_text()
    assert "3,51,020" in text and "30-05-2025" in text
    assert DEVANAGARI.search(text)


def test_cli_brief_as_png(runs):
    future, path = runs["brief_png"]
    done = future.result()
    assert done.returncode == 0, done.stderr
    width, _ = png_size(path.read_bytes())
    assert width >= 1080


@pytest.mark.parametrize("name, says", [
    ("bad_suffix", [".pdf", ".png", "brief.jpg"]),
    ("unknown", ["Polio drops", "ayushman_cards"]),
    ("too_early", ["no reports", "up to that date"]),
])
def test_cli_brief_usage_errors_exit_2_with_a_message(runs, name, says):
    future, path = runs[name]
    done = future.result()  # `cli` fails on a traceback
    assert done.returncode == 2, done.stdout + done.stderr
    for words in says:
        assert words in done.stderr, done.stderr
    assert done.stdout == ""
    assert not path.exists()


def test_cli_brief_too_early_names_the_indicator_as_the_user_knows_it(runs):
    english, hindi = runs["too_early"][0].result(), runs["too_early_hi"][0].result()
    assert hindi.returncode == 2 and "उस तिथि तक" in hindi.stderr
    assert "Ayushman cards" in english.stderr
    assert "आयुष्मान कार्ड" in hindi.stderr


def test_cli_image_in_hindi_still_works(runs, figure_of):
    future, path = runs["image_hi"]
    done = future.result()
    assert done.returncode == 0, done.stderr
    assert str(path) in done.stdout
    written = path.read_bytes()
    width, _ = png_size(written)
    assert width >= 1080
    # The chart the app shows in Hindi, not the English one: the title and subtitle band
    # (the plot below may settle a pixel apart between browsers: plotly's automargin).
    band = (0, 0, width, 130)
    drawn = gray(written).crop(band)
    hindi, english = (gray(images.png(figure_of("block_progress", lang))).crop(band) for lang in ("hi", "en"))
    assert blurred_difference(drawn, hindi) < 0.5
    assert blurred_difference(drawn, english) > 4


# ---------------------------------------------------------------- 5. file names and meeting mode


@pytest.mark.parametrize("lang, expected", [
    ("en", "Ayushman_cards_blocks_ranked_by_achievement_against_target_30-05-2025"),
    ("hi", "आयुष्मान_कार्ड_लक्ष्य_के_मुकाबले_उपलब्धि_के_अनुसार_प्रखंडों_का_क्रम_30-05-2025"),
])
def test_chart_file_name_is_its_title_and_date(figure_of, lang, expected):
    fig = figure_of("block_progress", lang)
    assert figures.file_name(fig) == f"{expected}.png"
    assert figures.file_name(fig, "svg") == f"{expected}.svg"


def test_chart_file_names_of_every_kind_end_with_the_date(figure_of):
    for kind in KINDS:
        for lang in ("en", "hi"):
            name = figures.file_name(figure_of(kind, lang))
            assert name.endswith("_30-05-2025.png"), name
            assert not re.search(r"[\s/\\:*?\"<>|%]", name), name
            assert DEVANAGARI.search(name) if lang == "hi" else not DEVANAGARI.search(name)


def test_chart_file_name_of_a_long_title_keeps_the_date():
    ctx = figures.Context("en", "Pradhan Mantri Jan Arogya Yojana (PM-JAY) cards made by ASHA and Anganwadi workers",
                          AS_OF, None, "Darbhanga")
    rows = pd.DataFrame({"block": ["B"], "panchayat": ["P"], "target": [1000], "achieved": [500], "pct": [50.0]})
    fig = figures.panchayat_ranking(rows, ctx, "Kusheshwar Asthan Purbi", 500)
    name = figures.file_name(fig)
    assert name.startswith("Pradhan_Mantri_Jan_Arogya_Yojana")
    assert name.endswith("_30-05-2025.png"), name


@pytest.mark.parametrize("kind", ["block_progress", "reporting_grid"])
def test_enlarged_scales_the_type_and_leaves_the_original(figure_of, kind):
    fig = figure_of(kind, "hi")
    before = fig.to_json()
    big = figures.enlarged(fig, 1.25)
    assert fig.to_json() == before  # the image download keeps using the original

    def grown(old, new):
        return new == round(old * 1.25, 1)

    old, new = fig.layout, big.layout
    assert grown(old.title.font.size, new.title.font.size) and new.title.font.size > old.title.font.size
    assert grown(old.title.subtitle.font.size, new.title.subtitle.font.size)
    assert grown(old.font.size, new.font.size) and grown(old.legend.font.size, new.legend.font.size)
    assert grown(old.yaxis.tickfont.size, new.yaxis.tickfont.size)
    assert len(new.annotations) == len(old.annotations)
    for a, b in zip(old.annotations, new.annotations):
        assert a.text == b.text and grown(a.font.size, b.font.size)
        if a.yshift:
            assert b.yshift == pytest.approx(a.yshift * 1.25)
    for a, b in zip(fig.data, big.data):
        if a.textfont.size:
            assert grown(a.textfont.size, b.textfont.size)
    assert new.margin.t == pytest.approx(old.margin.t * 1.25) and new.margin.b == pytest.approx(old.margin.b * 1.25)
    assert new.margin.l == old.margin.l
    labels = [a for a in new.annotations if a.name == figures.LABEL_NAME]
    if labels:  # the label column grows with its type: the widest label still fits
        widest = max(figures.text_width(a.text, a.font.size) for a in labels)
        assert new.margin.r >= figures.LABEL_GAP + widest > old.margin.r
    else:
        assert new.margin.r == old.margin.r
    # The plot keeps its height (the extra room goes to the title and source lines), unless its
    # rows need more for their larger labels.
    plot, bigger = old.height - old.margin.t - old.margin.b, new.height - new.margin.t - new.margin.b
    assert abs(bigger - max(plot, figures.rows_height(big))) <= 1
    assert new.title.text == old.title.text and new.meta == old.meta  # same title and file name
