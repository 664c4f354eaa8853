"""Charts as plain functions: query results in, plotly figure out (no Streamlit here).

Every figure carries, in itself, its title, the as-of date, the source ("block reports
uploaded up to <time>") and its units, so a screenshot or an exported image stands alone.
Status colours are never the only cue: bars are labelled and ordered, each status has its
own fill pattern, and the colours differ in lightness (readable in greyscale).
"""

from __future__ import annotations

import datetime as dt
import math
import re
from dataclasses import dataclass

import numpy as np
import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from samiksha import fmt, store
from samiksha.i18n import catalogue, t
from samiksha.settings import STATUSES, Thresholds

FONT = "Noto Sans, Noto Sans Devanagari, Arial, sans-serif"
# Dark red, light amber, mid green: three different greys when printed without colour.
STATUS_COLOURS = {"red": "#B2182B", "amber": "#E69F00", "green": "#1A7F45", None: "#8C8C8C"}
STATUS_PATTERNS = {"red": "/", "amber": ".", "green": "", None: "x"}
# Okabe-Ito (colour-blind safe), then greys; each channel also gets its own pattern.
CHANNEL_COLOURS = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442",
                   "#000000", "#999999", "#666666")
CHANNEL_PATTERNS = ("", "/", ".", "x", "\\", "-", "|", "+", "", "/")
DAY_COLOURS = ("#08306B", "#2171B5", "#6BAED6", "#C6DBEF", "#4292C6", "#9ECAE1", "#DEEBF7")
BAR_HEIGHT = 30  # pixels per bar in the ranked charts
DEFAULT_LIMITS = Thresholds()
ACHIEVED_COLOUR, TARGET_COLOUR, PACE_COLOUR = "#1F4E79", "#555555", "#B2182B"


@dataclass(frozen=True)
class Context:
    """What a chart says about itself: language, indicator, place, date and source."""

    lang: str
    indicator: str  # display name, in `lang`
    as_of: dt.date
    uploaded_up_to: dt.datetime | None = None
    district: str = ""
    source_key: str = "figure.source"  # what the figures come from (block reports, an SHG register)

    def tr(self, key: str, **params) -> str:
        return t(key, self.lang, **params)

    def subtitle(self, unit_key: str, **params) -> str:
        parts = [self.district] if self.district else []
        parts.append(self.tr("figure.as_of", date=self.as_of))
        parts.append(self.tr(unit_key, indicator=self.indicator, **params))
        return " · ".join(parts)

    def source(self) -> str:
        if self.uploaded_up_to is None:
            return self.tr("figure.source_none")
        return self.tr(self.source_key, time=self.uploaded_up_to)


MARGIN_TOP, MARGIN_BOTTOM = 90, 140  # pixels: title and subtitle above; axis, legend and source below

# --- Text sizes ---------------------------------------------------------------------------
# Advance widths of Noto Sans (the charts' font) for the printable ASCII characters, in
# hundredths of an em; Devanagari, shaped from several code points, is reckoned per code point.
_ASCII_WIDTHS = (26, 27, 41, 65, 57, 83, 73, 22, 30, 30, 55, 57, 27, 32, 27, 37, 57, 57, 57, 57, 57, 57, 57, 57,
                 57, 57, 27, 27, 57, 57, 57, 43, 90, 64, 65, 63, 73, 56, 52, 73, 74, 34, 27, 62, 52, 91, 76, 78,
                 60, 78, 62, 55, 56, 73, 60, 93, 59, 57, 57, 33, 37, 33, 57, 44, 28, 56, 62, 48, 62, 56, 34, 62,
                 62, 26, 26, 53, 26, 94, 62, 60, 62, 62, 41, 48, 36, 62, 51, 79, 53, 51, 47, 38, 55, 38, 57)
_TAGS = re.compile(r"<[^>]+>")


def _char_em(char: str) -> float:
    code = ord(char)
    if 32 <= code < 127:
        return _ASCII_WIDTHS[code - 32] / 100
    if 0x0900 <= code <= 0x097F:
        return 0.43  # measured 0.36-0.41 an em per code point over place names and titles
    if char in "·•":
        return 0.27
    return 0.8


def text_width(text: str, size: float, bold: bool = False) -> float:
    """The width in CSS pixels of the widest line of `text` (lines split at <br>; tags such as
    <b> left out) at font `size`: an estimate a little over what Chromium draws with Noto Sans."""
    lines = _TAGS.sub("", str(text).replace("<br>", "\n")).split("\n")
    widest = max(sum(_char_em(c) for c in line) for line in lines)
    return widest * size * (1.07 if bold or "<b>" in str(text) else 1.0) * 1.04


def lines_of(text) -> int:
    """How many lines a text is drawn on (plotly breaks lines at <br>)."""
    return str(text or "").count("<br>") + 1


def wrap(text: str, size: float, width: float, separators: tuple[str, ...] = (" · ", " ")) -> str:
    """`text` broken into lines (<br>) no wider than `width` pixels at font `size`: at the
    first separator that makes the pieces fit (" · " between parts of a label, then spaces).
    A single word wider than the line is shortened with an ellipsis, never cut mid-word without one."""
    if text_width(text, size) <= width:
        return text
    for sep in separators:
        pieces = text.split(sep)
        if len(pieces) < 2 and sep != separators[-1]:
            continue
        lines: list[str] = []
        for piece in pieces:
            joined = f"{lines[-1]}{sep}{piece}" if lines else piece
            if lines and text_width(joined, size) <= width:
                lines[-1] = joined
            else:
                lines.append(piece)
        if all(text_width(line, size) <= width for line in lines):
            return "<br>".join(line.strip() for line in lines)
        if sep != separators[-1]:  # a part too long for a line: broken at spaces as well
            return "<br>".join(wrap(line, size, width, separators[1:]) for line in lines)
        return "<br>".join(shorten(line, size, width) for line in lines)
    return shorten(text, size, width)


def shorten(text: str, size: float, width: float) -> str:
    """`text` if it fits in `width` pixels, else as much of it as fits followed by an ellipsis."""
    if text_width(text, size) <= width:
        return text
    kept = text
    while kept and text_width(kept.rstrip() + "…", size) > width:
        kept = kept[:-1]
    return kept.rstrip() + "…"


# --- Bar labels in a column of their own ---------------------------------------------------
LABEL_NAME = "bar_label"  # the annotations that label bars (the label column)
SOURCE_NAME = "source"  # the annotation that is the source line
LABEL_GAP = 10  # pixels between the plot area and the label column
LABEL_SIZE = 13


_PENDING: dict[int, list[dict]] = {}  # id(figure) -> its bar labels, added by _layout last


def _label_column(fig: go.Figure, positions, labels, size: float = LABEL_SIZE) -> None:
    """Bar labels in a column right of the plot area (one annotation per bar, at its y
    position: a category's index, plus a grouped bar's offset), like a table's column: the
    reference lines (district %, target, goal) stay inside the plot area and can never run
    through a label, and no label is ever pushed off the chart by a long bar.

    The labels are added by `_layout`, after every other annotation: plotly checks all of a
    figure's annotations again each time one is added, which for a state's 534 blocks took a
    second per chart."""
    _PENDING[id(fig)] = [{"x": 1, "xref": "paper", "xanchor": "left", "xshift": LABEL_GAP, "y": float(y),
                          "yref": "y", "yanchor": "middle", "text": text, "showarrow": False, "align": "left",
                          "font": {"size": size}, "name": LABEL_NAME} for y, text in zip(positions, labels, strict=True)]


def fit_label_column(fig: go.Figure, notes: list[dict] | None = None) -> go.Figure:
    """The right margin as wide as the widest bar label (after their type is resized).
    `notes`: the labels as added (quicker to read than the figure's own copies)."""
    if notes is not None:
        widths = [text_width(a["text"], a["font"]["size"] or fig.layout.font.size or LABEL_SIZE) for a in notes]
    else:
        widths = [text_width(a.text, a.font.size or fig.layout.font.size or LABEL_SIZE)
                  for a in fig.layout.annotations if a.name == LABEL_NAME]
    if widths:
        fig.update_layout(margin={"r": math.ceil(LABEL_GAP + max(widths) + 10)})
    return fig


def rows_height(fig: go.Figure, name_lines: int = 1, notes: list[dict] | None = None) -> float:
    """The plot height a chart of bars by place needs so that no two labels of its label
    column touch: a row as tall as its label's lines (in a group, each bar's label), and as
    its name's `name_lines`. `notes`: the labels not yet added (else the figure's)."""
    rows = len(fig.layout.yaxis.categoryarray or ()) or 1
    if notes is None:
        notes = [{"text": a.text, "font": {"size": a.font.size}} for a in fig.layout.annotations
                 if a.name == LABEL_NAME]
    if not notes:
        return 0.0
    size = max(a["font"]["size"] or fig.layout.font.size or LABEL_SIZE for a in notes)
    label = max(lines_of(a["text"]) for a in notes) * size * 1.3 + 6
    group = sum(1 for t in fig.data if t.type == "bar") if fig.layout.barmode == "group" else 1
    gap = fig.layout.bargap if fig.layout.bargap is not None else 0.2
    name_size = fig.layout.yaxis.tickfont.size or fig.layout.font.size or LABEL_SIZE
    name = (name_lines - 1) * name_size * 1.3 + name_size * 1.2 + 4
    return rows * max(label if group == 1 else group * label / (1 - gap), name)


def _bar_positions(names_top_down: list, offsets: int = 1, index: int = 0, gap: float = 0.25) -> dict:
    """{category: y position} of the bars of one trace on a category axis ordered top down:
    the category's index from the bottom, moved by the trace's place in a group of `offsets`
    bars (the first trace of a horizontal group is drawn lowest)."""
    count = len(names_top_down)
    width = (1 - gap) / offsets
    shift = -(1 - gap) / 2 + width * (index + 0.5) if offsets > 1 else 0.0
    return {name: count - 1 - i + shift for i, name in enumerate(names_top_down)}


def _axis_top(*values) -> float:
    """The right end of a % axis: the longest bar or reference line, and a little room."""
    found = [float(v) for v in values if not fmt.missing(v)]
    return max(found or [1.0]) * 1.04


def lay_out(fig: go.Figure, ctx: Context, title: str, subtitle: str, height: int, kind: str = "chart") -> go.Figure:
    """Title, subtitle (place, date, units), legend and source line placed in pixels, so
    they never cover the bars whatever the chart's height. `kind` (bars, lines, grid, map)
    tells the phone layout (samiksha.phone) how the chart is built."""
    labels = _PENDING.pop(id(fig), None)
    if kind == "bars":  # rows tall enough for their labels
        height = max(height, math.ceil(MARGIN_TOP + MARGIN_BOTTOM + rows_height(fig, notes=labels)))
    plot_height = max(height - MARGIN_TOP - MARGIN_BOTTOM, 50)
    right = max(20, fig.layout.margin.r or 0)  # a label column keeps its width
    fig.update_layout(
        title={"text": title, "subtitle": {"text": subtitle, "font": {"size": 14, "color": "#444444"}},
               "x": 0.01, "xanchor": "left", "y": 1.0, "yref": "container", "yanchor": "top",
               "pad": {"t": 12}, "font": {"size": 20}},
        font={"family": FONT, "size": 14, "color": "#1A1A1A"},
        height=height, margin={"l": 10, "r": right, "t": MARGIN_TOP, "b": MARGIN_BOTTOM},
        paper_bgcolor="white", plot_bgcolor="white",
        legend={"orientation": "h", "yanchor": "top", "y": -62 / plot_height, "x": 0, "xanchor": "left",
                "font": {"size": 13}, "traceorder": "normal"},
        hoverlabel={"font": {"family": FONT}},
        meta={"file": title, "as_of": fmt.date(ctx.as_of), "kind": kind},  # the image's file name (pages)
    )
    fig.add_annotation(text=ctx.source(), xref="paper", yref="paper", x=0, y=0, yshift=-(MARGIN_BOTTOM - 8),
                       xanchor="left", yanchor="bottom", showarrow=False, name=SOURCE_NAME,
                       font={"size": 12, "color": "#444444"})
    if labels:  # the bar labels last: checked once
        fig.update_layout(annotations=[*fig.layout.annotations, *labels])
        fit_label_column(fig, labels)
    return fig


def file_name(fig: go.Figure, suffix: str = "png", tag: str = "") -> str:
    """The chart's download name: its title and as-of date ("Ayushman_cards_blocks_ranked_30-05-2025.png"),
    and a `tag` after the date when given ("..._30-05-2025_phone.png")."""
    meta = fig.layout.meta if isinstance(fig.layout.meta, dict) else {}
    title = meta.get("file") or (fig.layout.title.text or "chart")
    as_of = meta.get("as_of", "")
    title = store.UNSAFE_IN_FILE_NAME.sub("_", title).strip("_")[:100].rstrip("_")  # a long title is cut, never the date
    tag = store.UNSAFE_IN_FILE_NAME.sub("_", tag).strip("_")
    return "_".join(part for part in (title, as_of, tag) if part) + f".{suffix}"


_SIZED = ("font", "textfont", "tickfont", "insidetextfont", "outsidetextfont")


def enlarged(fig: go.Figure, factor: float) -> go.Figure:
    """The figure with its type and top and bottom margins scaled by `factor` (meeting mode:
    readable on a shared screen), its label column as wide as its larger labels; the original
    is left as it is (the image download uses it)."""
    spec = fig.to_dict()

    def scale(node, key=None):
        if isinstance(node, dict):
            for name, value in node.items():
                if name == "size" and key in _SIZED and isinstance(value, (int, float)):
                    node[name] = round(value * factor, 1)
                elif name in ("yshift", "xshift") and isinstance(value, (int, float)):
                    node[name] = value * factor
                else:
                    scale(value, name)
        elif isinstance(node, list):
            for item in node:
                scale(item, key)

    scale(spec)
    layout = spec.setdefault("layout", {})
    margin = layout.get("margin") or {}
    grown = {side: v * factor for side, v in margin.items() if side in ("t", "b") and isinstance(v, (int, float))}
    if layout.get("height"):  # the plot keeps its height; the title and source lines get their room
        layout["height"] = int(layout["height"] + sum(grown.values()) - sum(margin[side] for side in grown))
    layout["margin"] = {**margin, **grown}
    bigger = fit_label_column(go.Figure(spec))
    if bigger.layout.height:  # the rows as tall as their larger labels need
        top, bottom = bigger.layout.margin.t or 0, bigger.layout.margin.b or 0
        needed = math.ceil(rows_height(bigger) - (bigger.layout.height - top - bottom))
        if needed > 0:
            plot = bigger.layout.height - top - bottom
            bigger.update_layout(height=bigger.layout.height + needed)
            if bigger.layout.legend.y is not None and bigger.layout.legend.y < 0:  # the legend stays under the axis
                bigger.layout.legend.y = bigger.layout.legend.y * plot / (plot + needed)
    return bigger


def indian_ticks(top: float, lang: str = "en", count: int = 5) -> tuple[list[float], list[str]]:
    """Round tick values from 0 to at least `top`, labelled in Indian format (1,50,000)."""
    if not top or top <= 0 or math.isnan(top):
        return [0], ["0"]
    raw = top / count
    power = 10 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1, 2, 2.5, 5, 10) if m * power >= raw)
    values = [step * i for i in range(int(math.ceil(top / step)) + 1)]
    return values, [fmt.number(v) if v < 1e7 else fmt.short(v, lang) for v in values]


def status_name(status: str | None, lang: str, limits: Thresholds = DEFAULT_LIMITS) -> str:
    """'below 50%', '50–80%', '80% or more' (from the thresholds), or 'no target'."""
    if status is None or fmt.missing(status):
        return t("figure.no_target", lang)
    low, high = fmt.number(limits.red_below, 1).removesuffix(".0"), fmt.number(limits.green_from, 1).removesuffix(".0")
    return t(f"figure.status_{status}", lang, low=low, high=high)


def _by_status(ordered: pd.DataFrame, limits: Thresholds):
    """(status, its rows in order) for red, amber, green and no target, skipping empty ones:
    one bar trace each, so the legend names the bands."""
    statuses = ordered["pct"].map(limits.status)
    for status in (*STATUSES, None):
        rows = ordered[ordered["pct"].isna()] if status is None else ordered[statuses == status]
        if not rows.empty:
            yield status, rows


# --- Block ranking ----------------------------------------------------------------

SORTS = ("weakest", "pct", "achieved", "gap")


def sort_blocks(blocks: pd.DataFrame, sort: str = "pct") -> pd.DataFrame:
    """Top of the chart first: best % (or the weakest %, or most achieved, or largest gap) first.
    "weakest" puts the blocks that need the meeting's attention at the top (a shared screen
    shows the top of the chart first); a block without a target comes last either way."""
    if sort == "weakest":
        return blocks.sort_values(["pct", "block"], ascending=[True, True], kind="stable", na_position="last")
    if sort == "achieved":
        return blocks.sort_values(["achieved", "block"], ascending=[False, True], kind="stable")
    if sort == "gap":
        return blocks.sort_values(["gap", "block"], ascending=[False, True], kind="stable", na_position="last")
    return blocks.sort_values(["rank", "block"], kind="stable", na_position="last")


def bar_label(achieved, target, pct, lang: str) -> str:
    """'3,52,080 / 4,85,600 · 72.5%' (or '3,520 / no target')."""
    if fmt.missing(target):
        return f"{fmt.number(achieved)} / {t('figure.no_target', lang)}"
    return f"{fmt.number(achieved)} / {fmt.number(target)} · {fmt.pct(pct)}"


def block_ranking(blocks: pd.DataFrame, ctx: Context, district_pct=None, sort: str = "pct",
                  limits: Thresholds = DEFAULT_LIMITS) -> go.Figure:
    """Every block's % of target as a horizontal bar, in the chosen order, best at the top.

    `blocks` has the columns of the block_progress query (block, target, achieved, pct,
    rank, gap, ...). Each bar is labelled achieved / target and %; the target (100%) and the
    district % are vertical lines.
    """
    ordered = sort_blocks(blocks, sort)
    names = list(ordered["block"])
    fig = go.Figure()
    for status, rows in _by_status(ordered, limits):
        fig.add_bar(
            y=rows["block"], x=rows["pct"].fillna(0), orientation="h",
            name=status_name(status, ctx.lang, limits),
            marker={"color": STATUS_COLOURS[status], "line": {"color": "#1A1A1A", "width": 0.5},
                    "pattern": {"shape": STATUS_PATTERNS[status], "fgcolor": "#FFFFFF", "size": 8, "fillmode": "overlay"}},
            text=[bar_label(a, tg, p, ctx.lang) for a, tg, p in zip(rows["achieved"], rows["target"], rows["pct"])],
            textposition="none",  # the labels are in their own column (_label_column)
            customdata=[[fmt.number(r.achieved_today) if "achieved_today" in rows else "", int(r.rank)
                         if not fmt.missing(r.rank) else ""] for r in rows.itertuples()],
            hovertemplate="<b>%{y}</b><br>%{text}<br>" + ctx.tr("figure.hover_today") + " %{customdata[0]}"
                          + "<br>" + ctx.tr("figure.hover_rank") + " %{customdata[1]}<extra></extra>",
        )
    at = _bar_positions(names)
    _label_column(fig, [at[b] for b in ordered["block"]],
                  [bar_label(a, tg, p, ctx.lang) for a, tg, p in zip(ordered["achieved"], ordered["target"], ordered["pct"])])
    fig.update_yaxes(categoryorder="array", categoryarray=names[::-1], automargin=True, title=None,
                     tickfont={"size": 14})
    fig.update_xaxes(range=[0, _axis_top(100, ordered["pct"].max(), district_pct)], title=ctx.tr("figure.pct_axis"),
                     ticksuffix="%", showgrid=True, gridcolor="#E5E5E5", zeroline=True, zerolinecolor="#1A1A1A")
    district_left = fmt.missing(district_pct) or float(district_pct) <= 100  # each line's name on its own side
    fig.add_vline(x=100, line={"color": TARGET_COLOUR, "width": 2}, layer="below",
                  annotation={"text": ctx.tr("figure.target_line"), "yanchor": "bottom", "font": {"size": 12}},
                  annotation_position="top right" if district_left else "top left")
    if not fmt.missing(district_pct):
        fig.add_vline(x=float(district_pct), line={"color": "#6B6B6B", "width": 1.5, "dash": "dash"}, layer="below",
                      annotation={"text": ctx.tr("figure.district_line", pct=fmt.pct(district_pct)),
                                  "yanchor": "bottom", "font": {"size": 12}},
                      annotation_position="top left" if district_left else "top right")
    fig.update_layout(barmode="overlay", bargap=0.25, showlegend=True)
    title = ctx.tr("figure.block_ranking_title", indicator=ctx.indicator)
    subtitle = ctx.subtitle(f"figure.unit_sort_{sort}")
    return lay_out(fig, ctx, title, subtitle, height=170 + BAR_HEIGHT * max(len(names), 3), kind="bars")


# --- Trend against the target line ---------------------------------------------------

def target_line(start: dt.date, start_value: float, deadline: dt.date | None, target) -> tuple[list, list]:
    """The straight line from the campaign's start to the target on the deadline."""
    if deadline is None or fmt.missing(target) or fmt.missing(deadline):
        return [], []
    return [start, deadline], [start_value, float(target)]


def pace_line(as_of: dt.date, achieved: float, pace, target, deadline=None) -> tuple[list, list]:
    """At the last 7 days' pace from the as-of date to the target (or to the deadline)."""
    if fmt.missing(pace) or pace <= 0 or fmt.missing(target) or achieved >= target:
        return [], []
    days = math.ceil((float(target) - achieved) / float(pace))
    if not fmt.missing(deadline) and deadline > as_of:
        days = min(days, max((deadline - as_of).days, 1) * 3)  # keep the chart readable
    end = as_of + dt.timedelta(days=days)
    return [as_of, end], [achieved, achieved + float(pace) * days]


def trend(series: pd.DataFrame, ctx: Context, *, target=None, deadline=None, start: dt.date | None = None,
          pace=None, place: str = "", daily: bool = True) -> go.Figure:
    """Cumulative achievement by report date against the straight target line to the
    deadline, with the projection at the recent pace; below it, each day's addition.

    `series` has the columns of the progress_trend query: report_date, achieved, achieved_today.
    """
    dates = [d.date() if hasattr(d, "date") else d for d in series["report_date"]]
    values = [float(v) for v in series["achieved"]]
    rows = 2 if daily else 1
    fig = make_subplots(rows=rows, cols=1, shared_xaxes=True, vertical_spacing=0.08,
                        row_heights=[0.7, 0.3] if daily else [1.0])
    fig.add_scatter(x=dates, y=values, mode="lines+markers", name=ctx.tr("figure.achieved_line"),
                    line={"color": ACHIEVED_COLOUR, "width": 3}, marker={"size": 5},
                    customdata=[fmt.number(v) for v in values],
                    hovertemplate="%{x|%d-%m-%Y}: %{customdata}<extra></extra>", row=1, col=1)
    first = dates[0] if dates else ctx.as_of
    line_x, line_y = target_line(start or first, 0.0 if start else (values[0] if values else 0.0), deadline, target)
    if line_x:
        fig.add_scatter(x=line_x, y=line_y, mode="lines+markers+text", name=ctx.tr("figure.target_path"),
                        line={"color": TARGET_COLOUR, "width": 2, "dash": "dash"},
                        text=["", ctx.tr("figure.target_point", target=fmt.number(target), date=deadline)],
                        textposition="top left", hoverinfo="skip", cliponaxis=False, row=1, col=1)
    achieved_now = values[-1] if values else 0.0
    pace_x, pace_y = pace_line(ctx.as_of, achieved_now, pace, target, deadline)
    if pace_x:
        fig.add_scatter(x=pace_x, y=pace_y, mode="lines", name=ctx.tr("figure.pace_line", pace=fmt.number(pace)),
                        line={"color": PACE_COLOUR, "width": 2, "dash": "dot"}, hoverinfo="skip", row=1, col=1)
    top = max([*values, *line_y, *pace_y, 1.0])
    ticks, labels = indian_ticks(top, ctx.lang)
    fig.update_yaxes(tickvals=ticks, ticktext=labels, range=[0, max(ticks[-1] * 1.05, top * 1.12)],  # room for the
                     title={"text": ctx.tr("figure.cumulative_axis"), "standoff": 10},  # target's label
                     gridcolor="#E5E5E5", automargin=True, row=1, col=1)
    if daily:
        today = [float(v) for v in series["achieved_today"].fillna(0)]
        fig.add_bar(x=dates, y=today, name=ctx.tr("figure.daily_bars"), marker={"color": "#6BAED6"},
                    customdata=[fmt.number(v) for v in today],
                    hovertemplate="%{x|%d-%m-%Y}: %{customdata}<extra></extra>", row=2, col=1)
        ticks2, labels2 = indian_ticks(max([*today, 1.0]), ctx.lang, count=3)
        fig.update_yaxes(tickvals=ticks2, ticktext=labels2, range=[0, ticks2[-1] * 1.05],
                         title=ctx.tr("figure.daily_axis"), gridcolor="#E5E5E5", automargin=True, row=2, col=1)
    span = [*dates, *line_x, *pace_x]
    if span and (max(span) - min(span)).days < 8:  # a few days: one tick a day, never repeated
        days = [min(span) + dt.timedelta(days=i) for i in range((max(span) - min(span)).days + 1)]
        fig.update_xaxes(tickvals=days, ticktext=[d.strftime("%d-%m") for d in days])
    fig.update_xaxes(tickformat="%d-%m", gridcolor="#F0F0F0")
    if not fmt.missing(deadline):
        fig.add_vline(x=deadline.isoformat(), line={"color": TARGET_COLOUR, "width": 1})  # a date, not a clock
    where = place or ctx.district
    title = ctx.tr("figure.trend_title", indicator=ctx.indicator, place=where) if where \
        else ctx.tr("figure.trend_title_plain", indicator=ctx.indicator)
    district = [ctx.district] if ctx.district and where != ctx.district else []  # a block's trend: its district too
    sub = " · ".join([*district, ctx.tr("figure.as_of", date=ctx.as_of), ctx.tr("figure.unit_count", indicator=ctx.indicator)])
    return lay_out(fig, ctx, title, sub, height=560 if daily else 440, kind="lines")


# --- Panchayats of one block ---------------------------------------------------------

def panchayat_ranking(panchayats: pd.DataFrame, ctx: Context, block: str, minimum: int,
                      limits: Thresholds = DEFAULT_LIMITS) -> go.Figure:
    """A block's panchayats by % of target; those under the per-panchayat minimum are
    outlined and say so in their label. Columns of panchayat_progress."""
    frame = panchayats.copy()
    frame["rank"] = frame["pct"].rank(ascending=False, method="min")
    ordered = frame.sort_values(["pct", "achieved", "panchayat"], ascending=[False, False, True], na_position="last")
    fig = go.Figure()
    for status, rows in _by_status(ordered, limits):
        under = rows["achieved"] < minimum
        labels = [bar_label(a, tg, p, ctx.lang) + (ctx.tr("figure.under_minimum", minimum=fmt.number(minimum)) if u else "")
                  for a, tg, p, u in zip(rows["achieved"], rows["target"], rows["pct"], under)]
        fig.add_bar(y=rows["panchayat"], x=rows["pct"].fillna(0), orientation="h",
                    name=status_name(status, ctx.lang, limits), text=labels, textposition="none",
                    marker={"color": STATUS_COLOURS[status],
                            "line": {"color": ["#000000" if u else "#1A1A1A" for u in under],
                                     "width": [3 if u else 0.5 for u in under]},
                            "pattern": {"shape": STATUS_PATTERNS[status], "fgcolor": "#FFFFFF", "size": 8, "fillmode": "overlay"}},
                    hovertemplate="<b>%{y}</b><br>%{text}<extra></extra>")
    names = list(ordered["panchayat"])
    at = _bar_positions(names)
    under = ordered["achieved"] < minimum
    _label_column(fig, [at[p] for p in names],
                  [bar_label(a, tg, p, ctx.lang) + (ctx.tr("figure.under_minimum", minimum=fmt.number(minimum)) if u else "")
                   for a, tg, p, u in zip(ordered["achieved"], ordered["target"], ordered["pct"], under)])
    fig.update_yaxes(categoryorder="array", categoryarray=names[::-1], automargin=True, title=None)
    # The axis follows the panchayats: the best bar or the target line, whichever is further.
    fig.update_xaxes(range=[0, _axis_top(100, ordered["pct"].max())], title=ctx.tr("figure.pct_axis"), ticksuffix="%",
                     gridcolor="#E5E5E5")
    fig.add_vline(x=100, line={"color": TARGET_COLOUR, "width": 2}, layer="below",
                  annotation={"text": ctx.tr("figure.target_line"), "yanchor": "bottom", "font": {"size": 12}},
                  annotation_position="top left")
    fig.update_layout(barmode="overlay", bargap=0.25, showlegend=True)
    title = ctx.tr("figure.panchayat_title", indicator=ctx.indicator, block=block)
    sub = ctx.subtitle("figure.unit_panchayat", minimum=fmt.number(minimum))
    return lay_out(fig, ctx, title, sub, height=170 + 26 * max(len(ordered), 3), kind="bars")


# --- Channels ----------------------------------------------------------------------------

def channel_label(channel, lang: str) -> str:
    """A known channel in the reader's language (ASHA: आशा); another as reported."""
    if fmt.missing(channel) or channel == "":
        return t("figure.channel_unsplit", lang)
    return t(f"channel.{channel}", lang) if f"channel.{channel}" in catalogue() else str(channel)


def channel_stack(by_channel: pd.DataFrame, ctx: Context) -> go.Figure:
    """Each block's achievement stacked by channel, most achieved at the top; each segment
    labelled with its share of the block. Columns of channel_progress."""
    frame = by_channel.copy()
    frame["label"] = [channel_label(c, ctx.lang) for c in frame["channel"]]
    totals = frame.groupby("block")["achieved"].sum().sort_values(ascending=False)
    order = list(totals.index)
    channels = list(frame.groupby("label")["achieved"].sum().sort_values(ascending=False).index)
    fig = go.Figure()
    for i, label in enumerate(channels):
        rows = frame[frame["label"] == label]
        fig.add_bar(y=rows["block"], x=rows["achieved"], orientation="h", name=label,
                    marker={"color": CHANNEL_COLOURS[i % len(CHANNEL_COLOURS)], "line": {"color": "white", "width": 1},
                            "pattern": {"shape": CHANNEL_PATTERNS[i % len(CHANNEL_PATTERNS)], "fgcolor": "white", "size": 7, "fillmode": "overlay"}},
                    text=[fmt.pct(s, 0) if not fmt.missing(s) and s >= 8 else "" for s in rows["share_pct"]],
                    textposition="inside", insidetextanchor="middle",
                    customdata=[[fmt.number(a), fmt.pct(s)] for a, s in zip(rows["achieved"], rows["share_pct"])],
                    hovertemplate="<b>%{y}</b> · " + label + ": %{customdata[0]} (%{customdata[1]})<extra></extra>")
    at = _bar_positions(order)
    _label_column(fig, [at[b] for b in order], [fmt.number(v) for v in totals.values])
    top = float(totals.max()) if len(totals) else 1.0
    ticks, labels = indian_ticks(top, ctx.lang)
    fig.update_xaxes(tickvals=ticks, ticktext=labels, range=[0, max(ticks[-1], top * 1.03)],
                     title=ctx.tr("figure.count_axis"), gridcolor="#E5E5E5")
    fig.update_yaxes(categoryorder="array", categoryarray=order[::-1], automargin=True, title=None)
    fig.update_layout(barmode="stack", bargap=0.25)
    title = ctx.tr("figure.channel_title", indicator=ctx.indicator)
    return lay_out(fig, ctx, title, ctx.subtitle("figure.unit_channel"), height=170 + BAR_HEIGHT * max(len(order), 3),
                   kind="bars")


def channel_share(shares: pd.DataFrame, ctx: Context) -> go.Figure:
    """The district's achievement by channel: one bar each, labelled with count and share.
    Columns of channel_share."""
    frame = shares.copy()
    frame["label"] = [channel_label(c, ctx.lang) for c in frame["channel"]]
    fig = go.Figure()
    fig.add_bar(y=frame["label"], x=frame["share_pct"].fillna(0), orientation="h",
                marker={"color": [CHANNEL_COLOURS[i % len(CHANNEL_COLOURS)] for i in range(len(frame))],
                        "pattern": {"shape": [CHANNEL_PATTERNS[i % len(CHANNEL_PATTERNS)] for i in range(len(frame))],
                                    "fgcolor": "white", "size": 7, "fillmode": "overlay"}},
                text=[f"{fmt.pct(s)} · {fmt.number(a)}" for s, a in zip(frame["share_pct"], frame["achieved"])],
                textposition="none", showlegend=False,
                hovertemplate="<b>%{y}</b>: %{text}<extra></extra>")
    at = _bar_positions(list(frame["label"]))
    _label_column(fig, [at[c] for c in frame["label"]],
                  [f"{fmt.pct(s)} · {fmt.number(a)}" for s, a in zip(frame["share_pct"], frame["achieved"])])
    fig.update_yaxes(categoryorder="array", categoryarray=list(frame["label"])[::-1], automargin=True, title=None)
    top = frame["share_pct"].max() if frame["share_pct"].notna().any() else 0.0
    fig.update_xaxes(range=[0, _axis_top(max(float(top), 1.0))], ticksuffix="%",
                     title=ctx.tr("figure.share_axis"), gridcolor="#E5E5E5")
    title = ctx.tr("figure.channel_share_title", indicator=ctx.indicator)
    return lay_out(fig, ctx, title, ctx.subtitle("figure.unit_share"), height=170 + 40 * max(len(frame), 2), kind="bars")


# --- Campaign drive days ---------------------------------------------------------------

def drive_days(days: pd.DataFrame, ctx: Context, drive_name: str = "") -> go.Figure:
    """Each block's cards on each day of a drive, stacked, against its drive target (a
    marker); labelled total / target and %. Columns of drive_days."""
    frame = days.copy()
    frame["report_date"] = [d.date() if hasattr(d, "date") else d for d in frame["report_date"]]
    totals = frame.groupby("block").agg(total=("achieved_day", "sum"), target=("drive_target", "max"))
    totals["pct"] = [round(a * 100.0 / tg, 1) if not fmt.missing(tg) and tg > 0 else None
                     for a, tg in zip(totals["total"], totals["target"])]
    totals = totals.sort_values(["pct", "total"], ascending=False, na_position="last")
    order = list(totals.index)
    dates = sorted(frame["report_date"].unique())
    fig = go.Figure()
    for i, day in enumerate(dates):
        rows = frame[frame["report_date"] == day]
        fig.add_bar(y=rows["block"], x=rows["achieved_day"], orientation="h",
                    name=ctx.tr("figure.drive_day", n=i + 1, date=day),
                    marker={"color": DAY_COLOURS[i % len(DAY_COLOURS)], "line": {"color": "white", "width": 1}},
                    customdata=[fmt.number(v) for v in rows["achieved_day"]],
                    hovertemplate="<b>%{y}</b> · " + fmt.date(day) + ": %{customdata}<extra></extra>")
    has_target = totals["target"].notna().any()
    if has_target:
        fig.add_scatter(y=order, x=[float(v) if not fmt.missing(v) else None for v in totals["target"]], mode="markers",
                        name=ctx.tr("figure.drive_target"),
                        marker={"symbol": "line-ns", "size": 26, "line": {"width": 4, "color": "#1A1A1A"}},
                        customdata=[fmt.number(v) for v in totals["target"]],
                        hovertemplate="<b>%{y}</b> · " + ctx.tr("figure.drive_target") + ": %{customdata}<extra></extra>")
    labels = [bar_label(a, tg, p, ctx.lang) for a, tg, p in zip(totals["total"], totals["target"], totals["pct"])]
    ends = [max(float(a), float(tg) if not fmt.missing(tg) else 0.0) for a, tg in zip(totals["total"], totals["target"])]
    at = _bar_positions(order)
    _label_column(fig, [at[b] for b in order], labels)
    top = max(ends, default=1.0) or 1.0
    ticks, tick_labels = indian_ticks(top, ctx.lang)
    fig.update_xaxes(tickvals=ticks, ticktext=tick_labels, range=[0, max(ticks[-1], top * 1.04)],
                     title=ctx.tr("figure.drive_axis"), gridcolor="#E5E5E5")
    fig.update_yaxes(categoryorder="array", categoryarray=order[::-1], automargin=True, title=None)
    fig.update_layout(barmode="stack", bargap=0.25)
    span = ctx.tr("figure.drive_span", start=dates[0], end=dates[-1]) if dates else ""
    title = ctx.tr("figure.drive_title", indicator=ctx.indicator, drive=drive_name or ctx.tr("figure.drive_default"))
    sub = " · ".join(p for p in [ctx.district, span, ctx.tr("figure.unit_drive", indicator=ctx.indicator)] if p)
    return lay_out(fig, ctx, title, sub, height=190 + BAR_HEIGHT * max(len(order), 3), kind="bars")


# --- SHG registers -------------------------------------------------------------------

# The %-of-a-block bars (SHGs and workers), by measure: colour and fill pattern.
PCT_COLOURS = {"inactive": "#B2182B", "stagnant": "#E69F00", "ayushman": "#1F4E79", "insured": "#6BAED6",
               "active": "#1F4E79", "trained": "#6BAED6"}
PCT_PATTERNS = {"inactive": "/", "stagnant": ".", "ayushman": "", "insured": "x", "active": "", "trained": "x"}


def _pct_bars(fig: go.Figure, rows: pd.DataFrame, measures: list[tuple[str, str, tuple[str, str] | None]],
              lang: str) -> None:
    """For each (% column, name, (count, total) columns), one bar per block, grouped; each bar
    labelled '27.7% (67 of 242)' in the label column, beside its bar. The first named is drawn
    lowest in each group."""
    names = list(rows["block"])
    positions, labels = [], []
    for index, (measure, name, counts) in enumerate(measures):
        def label(r, measure=measure, counts=counts) -> str:
            if counts is None or fmt.missing(getattr(r, counts[0])):
                return fmt.pct(getattr(r, measure))
            return t("figure.shg_bar_label", lang, pct=fmt.pct(getattr(r, measure)),
                     count=fmt.number(getattr(r, counts[0])), total=fmt.number(getattr(r, counts[1])))

        texts = [label(r) for r in rows.itertuples()]
        fig.add_bar(y=rows["block"], x=rows[measure].fillna(0), orientation="h", name=name,
                    marker={"color": PCT_COLOURS[measure.removesuffix("_pct")], "line": {"color": "#1A1A1A", "width": 0.5},
                            "pattern": {"shape": PCT_PATTERNS[measure.removesuffix("_pct")], "fgcolor": "#FFFFFF",
                                        "size": 8, "fillmode": "overlay"}},
                    text=texts, textposition="none", hovertemplate="<b>%{y}</b><br>" + name + ": %{text}<extra></extra>")
        at = _bar_positions(names, len(measures), index)
        positions += [at[b] for b in names]
        labels += texts
    _label_column(fig, positions, labels)


def shg_blocks(blocks: pd.DataFrame, ctx: Context) -> go.Figure:
    """% of each block's SHGs inactive and stagnant, the worst (most inactive) block at the top.

    `blocks` has the columns of the shg_blocks query (block, shgs, inactive, inactive_pct,
    stagnant, stagnant_pct, ...)."""
    ordered = blocks.sort_values(["inactive_pct", "stagnant_pct", "block"], ascending=[False, False, True],
                                 kind="stable")
    names = list(ordered["block"])
    fig = go.Figure()
    # Horizontal groups stack their first trace at the bottom: the second named is drawn first.
    _pct_bars(fig, ordered, [("stagnant_pct", ctx.tr("figure.shg_stagnant"), ("stagnant", "shgs")),
                             ("inactive_pct", ctx.tr("figure.shg_inactive"), ("inactive", "shgs"))], ctx.lang)
    top = max([float(v) for v in (*ordered["inactive_pct"], *ordered["stagnant_pct"]) if not fmt.missing(v)] or [10])
    fig.update_yaxes(categoryorder="array", categoryarray=names[::-1], automargin=True, title=None,
                     tickfont={"size": 14})
    top = min(top, 100.0)
    step = 5 if top <= 20 else 10 if top <= 50 else 20
    ticks = list(range(0, min(100, int(top) + step) + 1, step))
    fig.update_xaxes(range=[0, _axis_top(top)], tickvals=ticks, ticktext=[f"{v}%" for v in ticks],  # never past 100%
                     title=ctx.tr("figure.shg_pct_axis"), showgrid=True, gridcolor="#E5E5E5",
                     zeroline=True, zerolinecolor="#1A1A1A")
    fig.update_layout(barmode="group", bargap=0.25, bargroupgap=0.05, showlegend=True)
    title = ctx.tr("figure.shg_blocks_title")
    fig = lay_out(fig, ctx, title, ctx.subtitle("figure.shg_blocks_unit"), height=170 + 2 * BAR_HEIGHT * max(len(names), 2),
                  kind="bars")
    fig.update_layout(legend={"traceorder": "reversed"})  # the legend in reading order: inactive first
    return fig


def shg_coverage(blocks: pd.DataFrame, ctx: Context) -> go.Figure:
    """% of each block's SHG members with an Ayushman card and insured, against the 100%
    goal; the block furthest from it at the top."""
    ordered = blocks.sort_values(["ayushman_pct", "insured_pct", "block"], ascending=[True, True, True],
                                 kind="stable", na_position="last")
    fig = go.Figure()
    _pct_bars(fig, ordered, [("insured_pct", ctx.tr("figure.shg_insured"), ("members_insured", "members")),
                             ("ayushman_pct", ctx.tr("figure.shg_ayushman"), ("members_ayushman", "members"))], ctx.lang)
    return _against_goal(fig, list(ordered["block"]), ctx, "figure.shg_members_axis", "figure.shg_coverage_title",
                         "figure.shg_coverage_unit")


def _against_goal(fig: go.Figure, names: list[str], ctx: Context, axis_key: str, title_key: str,
                  unit_key: str) -> go.Figure:
    """Grouped horizontal % bars of blocks (`names` from the top down) against the 100% goal."""
    fig.update_yaxes(categoryorder="array", categoryarray=names[::-1], automargin=True, title=None,
                     tickfont={"size": 14})
    longest = max([float(x) for trace in fig.data for x in trace.x if not fmt.missing(x)] or [0.0])
    fig.update_xaxes(range=[0, _axis_top(100, longest)], ticksuffix="%", tickvals=[0, 25, 50, 75, 100],
                     title=ctx.tr(axis_key), showgrid=True, gridcolor="#E5E5E5",
                     zeroline=True, zerolinecolor="#1A1A1A")
    fig.add_vline(x=100, line={"color": TARGET_COLOUR, "width": 2}, layer="below",
                  annotation={"text": ctx.tr("figure.shg_goal"), "yanchor": "bottom", "font": {"size": 12}},
                  annotation_position="top left")
    fig.update_layout(barmode="group", bargap=0.25, bargroupgap=0.05, showlegend=True)
    fig = lay_out(fig, ctx, ctx.tr(title_key), ctx.subtitle(unit_key), height=170 + 2 * BAR_HEIGHT * max(len(names), 2),
                  kind="bars")
    fig.update_layout(legend={"traceorder": "reversed"})  # the legend in reading order
    return fig


# ---------------------------------------------------------------- reporting and workers

REPORT_COLOURS = {"on_time": "#1A7F45", "late": "#E69F00", "missing": "#B2182B", "holiday": "#D9D9D9"}
REPORT_MARKS = {"on_time": "✓", "late": "!", "missing": "✗", "holiday": "–"}


def reporting_grid(cells: pd.DataFrame, ctx: Context, cutoff: str, labels: dict | None = None) -> go.Figure:
    """Blocks × days: each cell coloured by status and saying it in text too (✓ 16:32, ! 18:10,
    ✗), the blocks that missed most at the top. `cells` has the reporting_grid query's columns."""
    labels = labels or {}
    days = sorted(cells["report_date"].unique())
    score = cells.assign(bad=cells["status"].map({"missing": 100, "late": 1}).fillna(0)).groupby("block")["bad"].sum()
    blocks = sorted(score.index, key=lambda b: (-score[b], labels.get(b, b)))
    codes = {status: i for i, status in enumerate(REPORT_COLOURS)}
    words = {status: t("reporting.status_" + status, ctx.lang) for status in REPORT_COLOURS}
    # a state's 534 blocks × 28 days: each cell's words worked out from whole columns, not cell by cell
    when = pd.to_datetime(cells["uploaded_at"])
    day = pd.to_datetime(cells["report_date"])
    shown = when.dt.strftime("%H:%M").where(when.dt.normalize() == day.dt.normalize(), when.dt.strftime("%d-%m"))
    cell = cells.assign(shown=shown.where(when.notna(), ""),
                        stamp=[fmt.datetime_ist(w) if not fmt.missing(w) else "" for w in cells["uploaded_at"]])
    table = cell.set_index(["block", "report_date"])
    index = pd.MultiIndex.from_product([blocks, days], names=["block", "report_date"])
    table = table.reindex(index)  # the query gives every block and day
    statuses, shown_at, stamps = (table[c].to_numpy().reshape(len(blocks), len(days)) for c in ("status", "shown", "stamp"))
    day_words = [fmt.date(d) for d in days]
    # the texts as arrays, not lists of lists: plotly checks a list cell by cell (half a second
    # for a state); the codes stay a list, written out as numbers in the figure's JSON
    z = [[codes[s] for s in row] for row in statuses]
    text = np.array([[f"{REPORT_MARKS[s]} {w}".strip() for s, w in zip(row, when_row, strict=True)]
                     for row, when_row in zip(statuses, shown_at, strict=True)], dtype=object).reshape(len(blocks), len(days))
    hover = np.array([[f"{labels.get(block, block)} · {day_words[j]}<br>{words[s]}"
                       + (f" · {stamps[i][j]}" if shown_at[i][j] else "") for j, s in enumerate(row)]
                      for i, (block, row) in enumerate(zip(blocks, statuses, strict=True))], dtype=object).reshape(len(blocks), len(days))
    n = len(REPORT_COLOURS)
    scale = []
    for i, colour in enumerate(REPORT_COLOURS.values()):
        scale += [[i / n, colour], [(i + 1) / n, colour]]
    x_labels = [pd.Timestamp(d).strftime("%d-%m") for d in days]
    y_labels = [labels.get(b, b) for b in blocks]
    fig = go.Figure(go.Heatmap(z=z, x=x_labels, y=y_labels, zmin=-0.5, zmax=n - 0.5, colorscale=scale,
                               showscale=False, xgap=2, ygap=2, text=text, texttemplate="%{text}",
                               textfont={"size": 12, "color": "white"}, customdata=hover,
                               hovertemplate="%{customdata}<extra></extra>"))
    for status, colour in REPORT_COLOURS.items():  # a legend: mark and words, not colour alone
        fig.add_scatter(x=[None], y=[None], mode="markers", name=f"{REPORT_MARKS[status]} {t('reporting.status_' + status, ctx.lang)}",
                        marker={"color": colour, "size": 14, "symbol": "square"})
    fig.update_yaxes(autorange="reversed", automargin=True, tickfont={"size": 14}, title=None, showgrid=False)
    fig.update_xaxes(side="top", tickfont={"size": 13}, title=None, showgrid=False, type="category")
    fig.update_layout(showlegend=True)
    fig = lay_out(fig, ctx, ctx.tr("figure.reporting_title", cutoff=cutoff),
                  ctx.subtitle("figure.reporting_unit", cutoff=cutoff), height=200 + 34 * max(len(blocks), 2), kind="grid")
    fig.update_layout(margin={"t": MARGIN_TOP + 30})
    return fig


def worker_readiness(blocks: pd.DataFrame, ctx: Context) -> go.Figure:
    """% of each block's workers with an active login ID and trained, against the 100% goal;
    the block furthest from it at the top. `blocks` has block, workers, id_active, trained,
    active_pct, trained_pct."""
    ordered = blocks.sort_values(["active_pct", "trained_pct", "block"], kind="stable")
    fig = go.Figure()
    _pct_bars(fig, ordered, [("trained_pct", ctx.tr("figure.workers_trained"), ("trained", "workers")),
                             ("active_pct", ctx.tr("figure.workers_active"), ("id_active", "workers"))], ctx.lang)
    return _against_goal(fig, list(ordered["block"]), ctx, "figure.workers_axis", "figure.workers_title",
                         "figure.workers_unit")
