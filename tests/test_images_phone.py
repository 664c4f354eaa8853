"""Chart images read on a phone, and labels no line runs through.

1. The phone layout of every chart (`images.png(fig, layout="phone")`, the `image --layout
   phone` command, the "Image for phone" button's drawing): portrait, 1,080 to 1,200 pixels
   wide, every text at least 28 pixels tall in the image (the figure's fonts, unset ones
   inheriting the layout's, and the fonts of the SVG Chromium draws), nothing running off the
   image, bar labels apart from one another.
2. The district and target lines never run through a bar label: the labels' boxes as
   Chromium draws them against the lines' x, on the demo district and on bars ending just
   short of a line; on screen (the figure), in meeting mode (enlarged) and for a phone.
3. The district's name on every chart image and in the brief, also when only the
   gazetteer names it.

The demo store is the one test_pages builds once per run, opened read-only.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import shutil

import pandas as pd
import plotly.graph_objects as go
import pytest
from conftest import cli, cli_in_process, csv_bytes, demo_file, gazetteer_bytes, ingest
from PIL import Image
from test_sharing import KINDS, NAMES, page_figure, png_size

from samiksha import brief, figures, images, phone, render, store
from samiksha.i18n import t

IND = "ayushman_cards"
AS_OF = dt.date(2025, 5, 30)
MIN_PIXELS = 28  # the tallest a label may be not: every text at least this in the image's pixels


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory):
    path = tmp_path_factory.mktemp("phone") / "demo.duckdb"
    shutil.copy(demo_file(tmp_path_factory), path)
    return path


@pytest.fixture(scope="module")
def demo_con(demo_db):
    con = store.open_store(str(demo_db), read_only=True)
    yield con
    con.close()


@pytest.fixture(scope="module")
def figure_of(demo_con):
    built = {}

    def get(kind: str, lang: str):
        if (kind, lang) not in built:
            built[kind, lang] = page_figure(demo_con, kind, lang)
        return built[kind, lang]

    return get


# ---------------------------------------------------------------- reading a figure and its drawing


def text_sizes(fig: go.Figure) -> list[tuple[str, float]]:
    """(what, font size in CSS pixels) of every text the figure draws; a font left unset
    inherits the layout's (plotly's own default, 12, when that too is unset)."""
    layout = fig.layout
    base = layout.font.size or 12

    def size(font, fallback):
        return font.size if font is not None and font.size else fallback

    found = [("layout font", base)]
    if layout.title.text:
        found.append(("title", size(layout.title.font, base)))
    if layout.title.subtitle.text:
        found.append(("subtitle", size(layout.title.subtitle.font, base)))
    legend = size(layout.legend.font, base)
    if layout.showlegend is not False and any(tr.name and tr.showlegend is not False for tr in fig.data):
        found.append(("legend", legend))
        if layout.legend.title.text:
            found.append(("legend title", size(layout.legend.title.font, legend)))
    for name in layout:
        axis = layout[name]
        if name.startswith(("xaxis", "yaxis")) and axis and axis.visible is not False:
            found.append((f"{name} numbers", size(axis.tickfont, base)))
            if axis.title.text:
                found.append((f"{name} title", size(axis.title.font, base)))
    for note in layout.annotations:
        found.append((f"annotation {note.text[:30]!r}", size(note.font, base)))
    for trace in fig.data:
        texts = [x for x in (trace.text if isinstance(trace.text, tuple) else [trace.text]) if x]
        if isinstance(trace.text, tuple) and trace.text and isinstance(trace.text[0], tuple):
            texts = [x for row in trace.text for x in row if x]
        drawn = texts and (
            (trace.type == "bar" and trace.textposition != "none")
            or (trace.type == "scatter" and "text" in (trace.mode or ""))
            or (trace.type == "heatmap" and trace.texttemplate))
        if drawn:
            text = size(trace.textfont, base)
            found.append((f"{trace.type} {trace.name!r} text", text))
            if trace.type == "bar":
                found += [(f"bar {trace.name!r} inside", size(trace.insidetextfont, text)),
                          (f"bar {trace.name!r} outside", size(trace.outsidetextfont, text))]
    return found


def svg_of(fig: go.Figure, width: int) -> str:
    return render.renderer().figure(fig, "svg", width=width, height=int(fig.layout.height)).decode("utf-8")


BOX = re.compile(r'<g class="annotation" data-index="(\d+)"[^>]*><g class="annotation-text-g" transform="[^"]*">'
                 r'<g class="cursor-pointer" transform="translate\(([-\d.]+),([-\d.]+)\)"><rect class="bg" '
                 r'x="[-\d.]+" y="[-\d.]+" width="([\d.]+)" height="([\d.]+)"')
VLINE = re.compile(r'<g class="shape-group" data-index="(\d+)"[^>]*><path data-index="\d+" fill-rule="evenodd" '
                   r'd="M([-\d.]+),([-\d.]+)L([-\d.]+),([-\d.]+)"')


def annotation_boxes(fig: go.Figure, svg: str) -> list[tuple[object, tuple[float, float, float, float]]]:
    """(annotation, its box left, top, right, bottom) as drawn."""
    found = []
    for index, x, y, width, height in BOX.findall(svg):
        x, y = float(x), float(y)
        found.append((fig.layout.annotations[int(index)], (x, y, x + float(width), y + float(height))))
    return found


def vertical_lines(svg: str) -> list[float]:
    """The x of every vertical line shape as drawn (the district %, target and goal lines)."""
    return [float(x0) for _, x0, _, x1, _ in VLINE.findall(svg) if abs(float(x0) - float(x1)) < 0.01]


def overlap(a, b) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def dark_at_the_edges(png: bytes, band: int = 3) -> list[str]:
    """The edges of the image with dark pixels on them (text or lines running off the image)."""
    image = Image.open(io.BytesIO(png)).convert("L")
    w, h = image.size
    edges = {"top": (0, 0, w, band), "bottom": (0, h - band, w, h), "left": (0, 0, band, h), "right": (w - band, 0, w, h)}
    return [name for name, box in edges.items() if min(image.crop(box).getdata()) < 120]


# ================================================================ 1. the phone layout


def test_the_size_check_catches_small_type(figure_of):
    """The check below is no formality: today's wide image has type under 28 pixels."""
    wide = figure_of("block_progress", "en")
    small = [what for what, size in text_sizes(wide) if size * images.SCALE < MIN_PIXELS]
    assert any(what.startswith("annotation 'Source:") for what in small), small


@pytest.mark.parametrize("lang", ["en", "hi"])
@pytest.mark.parametrize("kind", KINDS)
def test_every_chart_laid_out_for_a_phone(figure_of, kind, lang):
    fig = figure_of(kind, lang)
    before = fig.to_json()
    laid = phone.phone(fig)
    assert fig.to_json() == before  # the screen's figure is left as it is

    small = [(what, size) for what, size in text_sizes(laid) if size * phone.SCALE < MIN_PIXELS]
    assert not small, f"{kind}: under {MIN_PIXELS} pixels in the image: {small}"

    png = images.png(fig, layout="phone")
    width, height = png_size(png)
    assert 1080 <= width <= 1200, width
    assert height > width, f"{kind}: not portrait ({width}×{height})"
    assert height == int(laid.layout.height * phone.SCALE)
    assert not dark_at_the_edges(png), f"{kind}: something runs off the image"

    svg = svg_of(laid, phone.WIDTH)
    sizes = [float(s) for s in re.findall(r"<text[^>]*font-size: ([\d.]+)px", svg)]
    assert sizes and min(sizes) * phone.SCALE >= MIN_PIXELS, sorted(set(sizes))[:5]
    scaled = [float(s) for s in re.findall(r'class="bartext[^"]*"[^>]*transform="[^"]*scale\(([\d.]+)', svg)]
    assert all(s >= 1 for s in scaled), f"{kind}: bar text shrunk to fit: {scaled}"

    # Every line of the title, the subtitle (place, date, units) and the source is on the image.
    drawn = re.sub(r"\s+", " ", " ".join(re.findall(r">([^<>]+)<", svg)).replace("&nbsp;", " "))
    source = next(a.text for a in laid.layout.annotations if a.name == figures.SOURCE_NAME)
    for text in (laid.layout.title.text, laid.layout.title.subtitle.text, source):
        for line in text.split("<br>"):
            assert line.replace("&", "&amp;") in drawn or line in drawn, f"{kind}: {line!r} not drawn"
    def words(text: str) -> list[str]:  # nothing lost in the breaking (a line break may stand for a " · ")
        return [w for w in re.sub(r"<br>|\s+", " ", text).split() if w != "·"]

    assert words(laid.layout.title.text) == words(fig.layout.title.text)
    assert words(laid.layout.title.subtitle.text) == words(fig.layout.title.subtitle.text)
    heading = " ".join(words(laid.layout.title.text + " " + laid.layout.title.subtitle.text))
    assert NAMES[lang]["district"] in heading

    # Bar labels: each in the image and clear of every other label.
    boxes = annotation_boxes(laid, svg)
    labels = [box for note, box in boxes if note.name == figures.LABEL_NAME]
    assert len(labels) == sum(1 for a in laid.layout.annotations if a.name == figures.LABEL_NAME)
    for box in (b for _, b in boxes):
        assert box[0] >= 0 and box[2] <= phone.WIDTH, f"{kind}: an annotation off the image: {box}"
    for i, box in enumerate(labels):
        assert not any(overlap(box, other) for other in labels[i + 1:]), f"{kind}: bar labels collide"


def test_a_long_place_name_breaks_at_spaces_or_ends_in_an_ellipsis():
    ctx = figures.Context("en", "Ayushman cards", AS_OF, dt.datetime(2025, 5, 30, 17, 0), "Darbhanga")
    rows = pd.DataFrame({
        "block": ["Kusheshwar Asthan Purbi Baruraj Motipur", "Ghanshyampurmahadevbhagalpurkalan", "Ujwa"],
        "target": [1000, 2000, 3000], "achieved": [990, 100, 3300], "pct": [99.0, 5.0, 110.0],
        "achieved_today": [1, 2, 3], "rank": [2, 3, 1], "gap": [10, 1900, -300]})
    fig = figures.block_ranking(rows, ctx, 60.0)
    laid = phone.phone(fig)
    shown = dict(zip(laid.layout.yaxis.tickvals, laid.layout.yaxis.ticktext))
    long, one_word = shown["Kusheshwar Asthan Purbi Baruraj Motipur"], shown["Ghanshyampurmahadevbhagalpurkalan"]
    assert "<br>" in long and long.replace("<br>", " ") == "Kusheshwar Asthan Purbi Baruraj Motipur"
    assert one_word.endswith("…") and "Ghanshyampurmahadevbhagalpurkalan".startswith(one_word[:-1])
    assert shown["Ujwa"] == "Ujwa"
    png = images.png(fig, layout="phone")
    assert png_size(png)[0] == 1080 and not dark_at_the_edges(png)
    # the full name is still there for anyone who points at the bar
    assert "Ghanshyampurmahadevbhagalpurkalan" in {y for tr in laid.data for y in tr.y}


def test_wrap_keeps_every_word_and_fits():
    text = "Sahyogpur (demo) · as of 30-05-2025 · bars: % of target, best first; labels: achieved / target"
    wrapped = figures.wrap(text, 15, 300)
    assert "<br>" in wrapped
    assert all(figures.text_width(line, 15) <= 300 for line in wrapped.split("<br>"))
    assert wrapped.replace("<br>", " · ").replace(" · ", " ").split() == text.replace(" · ", " ").split()
    assert figures.wrap("short", 15, 300) == "short"
    assert figures.shorten("Ghanshyampurmahadevbhagalpurkalan", 15, 100).endswith("…")


def test_cli_image_for_a_phone(demo_db, tmp_path):
    out = tmp_path / "blocks_phone.png"
    done = cli("image", "block_progress", "--out", out, "--layout", "phone", "--lang", "hi", env_db=demo_db, timeout=180)
    assert done.returncode == 0, done.stderr
    assert str(out) in done.stdout
    width, height = png_size(out.read_bytes())
    assert 1080 <= width <= 1200 and height > width


def test_cli_image_with_an_unknown_layout_is_a_usage_error(demo_db, tmp_path):
    out = tmp_path / "x.png"
    done = cli_in_process("image", "block_progress", "--out", out, "--layout", "tall", env_db=demo_db)
    assert done.returncode == 2
    assert "--layout" in done.stderr and "'wide'" in done.stderr and "'phone'" in done.stderr, done.stderr
    assert not out.exists()


# ================================================================ 2. no line through a label


def adversarial_blocks() -> pd.DataFrame:
    """Bars ending just short of the target (99.6%) and of the district % (64.9% against 65.0%),
    one past the axis's 100%, one with no target, and a long label."""
    return pd.DataFrame({
        "block": ["Amlapur", "Bhargama", "Chandanpura", "Dhusari", "Ekma"],
        "target": [123900000, 1000, 200, None, 1000],
        "achieved": [123404400, 649, 300, 50, 651],
        "pct": [99.6, 64.9, 150.0, None, 65.1],
        "achieved_today": [5, 6, 7, 8, 9], "rank": [2, 4, 1, 5, 3], "gap": [495600, 351, -100, None, 349]})


def adversarial_panchayats() -> pd.DataFrame:
    return pd.DataFrame({"block": ["Araria"] * 3, "panchayat": ["Basaiti", "Hayatpur", "Kamalpur"],
                         "target": [1000, 800, 600], "achieved": [995, 300, 700], "pct": [99.5, 37.5, 116.7]})


def _labels_clear_of_lines(fig: go.Figure, width: int, what: str) -> None:
    svg = svg_of(fig, width)
    lines = vertical_lines(svg)
    assert lines, f"{what}: no reference line drawn"
    boxes = annotation_boxes(fig, svg)
    labels = [(note, box) for note, box in boxes if note.name == figures.LABEL_NAME]
    assert len(labels) == sum(1 for a in fig.layout.annotations if a.name == figures.LABEL_NAME) > 0
    for note, (left, _, right, _) in labels:
        for x in lines:
            assert not left <= x <= right, f"{what}: the line at x={x} runs through the label {note.text!r}"
        assert right <= width, f"{what}: {note.text!r} runs off the chart"
    named = [box for _, box in boxes]  # labels, the lines' names, the source: none over another
    assert not [(a, b) for i, a in enumerate(named) for b in named[i + 1:] if overlap(a, b)], what


def test_the_line_check_catches_a_label_across_a_line():
    """The check is no formality: a label moved onto the target line is caught."""
    ctx = figures.Context("en", "Ayushman cards", AS_OF, None, "Darbhanga")
    fig = figures.block_ranking(adversarial_blocks(), ctx, 65.0)
    moved = next(a for a in fig.layout.annotations if a.name == figures.LABEL_NAME)
    moved.update(xref="x", x=99.6, xshift=2)  # where a label beside its bar (99.6%) would start
    with pytest.raises(AssertionError, match="runs through the label"):
        _labels_clear_of_lines(fig, images.WIDTH, "a label beside its bar")


@pytest.mark.parametrize("case", ["demo blocks", "demo panchayats", "blocks short of a line", "panchayats short of a line"])
def test_no_reference_line_runs_through_a_bar_label(figure_of, case):
    ctx = figures.Context("en", "Ayushman cards", AS_OF, dt.datetime(2025, 5, 30, 17, 0), "Darbhanga")
    fig = {"demo blocks": lambda: figure_of("block_progress", "en"),
           "demo panchayats": lambda: figure_of("panchayat_progress", "en"),
           "blocks short of a line": lambda: figures.block_ranking(adversarial_blocks(), ctx, 65.0),
           "panchayats short of a line": lambda: figures.panchayat_ranking(adversarial_panchayats(), ctx, "Araria", 500),
           }[case]()
    if case == "blocks short of a line":  # the bars do end just short of the lines
        pct = dict(zip(adversarial_blocks()["block"], adversarial_blocks()["pct"]))
        assert 0 < 100 - pct["Amlapur"] < 1 and 0 < 65.0 - pct["Bhargama"] < 1
    _labels_clear_of_lines(fig, images.WIDTH, f"{case}, image")
    _labels_clear_of_lines(fig, 900, f"{case}, a narrow screen")
    _labels_clear_of_lines(figures.enlarged(fig, 1.25), images.WIDTH, f"{case}, meeting mode")
    _labels_clear_of_lines(phone.phone(fig), phone.WIDTH, f"{case}, phone")


# ================================================================ 3. the district's name


@pytest.fixture(scope="module")
def gazetteer_only_con():
    """The tiny gazetteer (district DARBHANGA) and one report; no district name in Settings."""
    con = store.open_store(store.MEMORY)
    assert ingest(con, gazetteer_bytes(), "lgd.csv", kind="gazetteer").status == "stored"
    report = csv_bytes([["Ayushman card daily report dated 30/05/2025"],
                        ["Block", "Panchayat", "Target", "Achieved Today", "Cumulative Achieved"],
                        ["Kusheshwar Asthan", "Ujwa", 1000, 50, 400], ["Musahari", "Panchayat 5", 1000, 100, 900]])
    assert ingest(con, report, "report.csv").ok
    yield con
    con.close()


@pytest.mark.parametrize("lang", ["en", "hi"])
def test_every_chart_image_names_the_district(figure_of, lang):
    for kind in KINDS:
        fig = figure_of(kind, lang)
        assert NAMES[lang]["district"] in fig.layout.title.text + " " + fig.layout.title.subtitle.text, kind


@pytest.mark.parametrize("kind", ["block_progress", "panchayat_progress"])
def test_the_gazetteers_district_names_the_images_and_the_brief_when_settings_do_not(gazetteer_only_con, kind):
    from samiksha import settings

    assert store.get_setting(gazetteer_only_con, "district_name") is None
    assert settings.district_name(gazetteer_only_con, "en") == "Darbhanga"
    fig = images.chart(gazetteer_only_con, kind, IND, AS_OF, "en").figure
    assert fig.layout.title.subtitle.text.startswith("Darbhanga · as of 30-05-2025 · ")
    made = brief.gather(gazetteer_only_con, IND, AS_OF, "en", now=dt.datetime(2025, 5, 31, 10, 0))
    assert '<div class="sub">Darbhanga · as of 30-05-2025</div>' in brief.page_html(made, "<svg></svg>")


def test_a_blocks_trend_names_its_district():
    ctx = figures.Context("hi", "आयुष्मान कार्ड", AS_OF, None, "दरभंगा")
    series = pd.DataFrame({"report_date": pd.to_datetime(["2025-05-29", "2025-05-30"]), "achieved": [10, 20],
                           "achieved_today": [10, 10]})
    fig = figures.trend(series, ctx, place=t("blocks.block_place", "hi", block="मुशहरी"))
    assert "मुशहरी" in fig.layout.title.text
    assert fig.layout.title.subtitle.text.startswith("दरभंगा · 30-05-2025 तक")
    district = figures.trend(series, ctx)  # the district's own trend names it in its title, once
    assert "दरभंगा" in district.layout.title.text and "दरभंगा" not in district.layout.title.subtitle.text
