"""Any chart laid out for a phone: the image shared on WhatsApp and read on a phone held upright.

`phone(fig)` takes a figure as samiksha.figures and samiksha.maps build it for the screen and
returns a new one 540 CSS pixels wide, drawn at twice the scale (1,080 pixels), portrait, with
every text at least 15 CSS pixels (30 pixels of the image):

- the title, subtitle, source line, axis titles and legend entries are broken into lines that
  fit the width; names on the axis and bar labels too (a word too long for its line is
  shortened with an ellipsis, never cut);
- a ranked bar chart gets the height its rows need (a row as tall as its name's and its
  label's lines), so labels never touch; the bar labels stay in their own column;
- a map keeps its proportions, with its legend above it; the reporting grid shows its last
  seven days (a day's cell must hold "✓ 16:32" at that size);
- the margins are worked out in pixels from the lines above and below the plot, and the
  image is made taller than wide when the chart alone would not be.
"""

from __future__ import annotations

import math

import plotly.graph_objects as go

from samiksha.figures import LABEL_NAME, SOURCE_NAME, fit_label_column, lines_of, text_width, wrap

WIDTH = 540  # CSS pixels
SCALE = 2.0  # 1,080 pixels wide
MIN_FONT = 15  # CSS pixels: 30 pixels in the image
TITLE_FONT = 20
SIDE = 10  # left and right margins, pixels
NAME_WIDTH = 150  # the widest a name on the y axis may be; longer ones break into lines
LABEL_WIDTH = 150  # the widest a bar label may be
MAP_LABEL_WIDTH = 80  # a place's name on a map
LINE = 1.3  # a line's height, in ems
PORTRAIT = 1.25  # the image is at least this much taller than wide
GRID_DAYS = 7  # the reporting grid's last days
_SIZED = ("font", "textfont", "tickfont", "insidetextfont", "outsidetextfont")


def phone(fig: go.Figure) -> go.Figure:
    """The figure laid out for a phone (the original is left as it is)."""
    spec = fig.to_dict()
    _raise_fonts(spec)
    out = go.Figure(spec)
    layout = out.layout
    meta = dict(layout.meta) if isinstance(layout.meta, dict) else {}
    kind = meta.get("kind", "chart")
    width = WIDTH - 2 * SIDE  # the lines of text
    layout.update(width=WIDTH, uniformtext={"minsize": MIN_FONT, "mode": "hide"},  # text too big for its bar: hidden
                  meta={**meta, "layout": "phone"})
    layout.margin.update(l=SIDE, r=SIDE)
    for trace in out.data:
        if trace.type == "bar":
            trace.constraintext = "inside"  # a label beside a bar keeps its size
    if kind == "grid":
        _last_days(out)

    title_size = max(layout.title.font.size or TITLE_FONT, TITLE_FONT)
    layout.title.font.size = title_size
    layout.title.text = wrap(layout.title.text or "", title_size, width, (" ",))
    subtitle_size = layout.title.subtitle.font.size or MIN_FONT
    layout.title.subtitle.text = wrap(layout.title.subtitle.text or "", subtitle_size, width)
    for axis in _axes(out):
        if axis.title.text:
            axis.title.text = wrap(axis.title.text, axis.title.font.size or MIN_FONT * 1.2, width, (" ",))
    for trace in out.data:
        if trace.name and trace.showlegend is not False:
            trace.name = wrap(trace.name, _legend_size(out), width - 50, (" ",))
    source_lines = 0
    for note in layout.annotations:
        size = note.font.size or MIN_FONT
        if note.name == SOURCE_NAME:
            note.update(text=wrap(note.text, size, width), align="left")
            source_lines = lines_of(note.text)
        elif note.name == LABEL_NAME:
            note.text = wrap(note.text, size, LABEL_WIDTH)
        elif kind == "map":
            note.text = _map_label(note.text, size)
    fit_label_column(out)
    name_lines = _wrap_names(out, kind)
    left = _left_margin(out, kind)
    layout.margin.l = left
    if lines_of(layout.title.text) > 1:  # plotly sets a title's first line on its top edge: moved down a line
        layout.title.pad.t = 12 + 0.7 * title_size

    plot = _plot_height(out, kind, name_lines)
    top = _heading_height(lines_of(layout.title.text), title_size, lines_of(layout.title.subtitle.text), subtitle_size)
    if any(_above_plot(note) for note in layout.annotations):  # the reference lines' names
        top += MIN_FONT * LINE + 6
    if kind == "grid":  # the days along the top
        top += MIN_FONT * LINE + 8
    legend = _legend_height(out)
    if kind == "map":
        top += legend
        below = 0.0
    else:
        below = _axis_band(out)
    bottom = below + (legend + 10 if kind != "map" and legend else 0) + source_lines * MIN_FONT * LINE + 16
    height = top + plot + bottom
    if height < WIDTH * PORTRAIT:
        plot += WIDTH * PORTRAIT - height
        height = WIDTH * PORTRAIT
    top, bottom, plot = math.ceil(top), math.ceil(bottom), math.ceil(plot)
    layout.update(height=top + plot + bottom)
    layout.margin.update(t=top, b=bottom)
    # The legend and the source line start at the image's left edge, not the plot's (a legend
    # placed by the container would widen the left margin).
    start = -(left - SIDE) / max(WIDTH - left - (layout.margin.r or SIDE), 1)
    if kind == "map":  # the legend between the subtitle and the map, its title on a line of its own
        layout.legend.update(orientation="h", xref="paper", x=start, xanchor="left", y=1.0, yanchor="bottom",
                             title={"side": "top"})
    else:
        layout.legend.update(orientation="h", xref="paper", x=start, xanchor="left", y=-below / plot, yanchor="top")
    for note in layout.annotations:
        if note.name == SOURCE_NAME:
            note.update(x=0, y=0, xref="paper", yref="paper", xanchor="left", yanchor="bottom", yshift=-(bottom - 8),
                        xshift=-(left - SIDE))
    _thin_ticks(out)
    if kind == "map":
        _part_map_labels(out, plot)
    return out


def _heading_height(title_lines: int, title_size: float, subtitle_lines: int, subtitle_size: float) -> float:
    """Where the plot may start: under the title and subtitle as plotly sets them (the title's
    first baseline 26 pixels down; the subtitle 44 pixels under the title's top, its first
    baseline 0.7 em lower when it is one line), and a gap."""
    first = 56 + (title_lines - 1) * title_size * LINE + (0.7 * subtitle_size if subtitle_lines == 1 else 0)
    return first + (subtitle_lines - 1) * subtitle_size * LINE + 0.35 * subtitle_size + 14


def _raise_fonts(spec: dict) -> None:
    """Every font at least MIN_FONT (the layout's font too: what is left unset inherits it)."""
    def walk(node, key=None):
        if isinstance(node, dict):
            if key in _SIZED and isinstance(node.get("size"), (int, float)):
                node["size"] = max(node["size"], MIN_FONT)
            for name, value in node.items():
                walk(value, name)
        elif isinstance(node, list):
            for item in node:
                walk(item, key)

    walk(spec)
    layout = spec.setdefault("layout", {})
    font = layout.setdefault("font", {})
    font["size"] = max(font.get("size") or 0, MIN_FONT)


def _axes(fig: go.Figure) -> list:
    return [fig.layout[name] for name in fig.layout if name.startswith(("xaxis", "yaxis")) and fig.layout[name]]


def _legend_size(fig: go.Figure) -> float:
    return fig.layout.legend.font.size or fig.layout.font.size or MIN_FONT


def _legend_height(fig: go.Figure) -> float:
    """The legend's height, its entries laid out in rows of the image's width."""
    if fig.layout.showlegend is False:
        return 0.0
    size = _legend_size(fig)
    entries = [t for t in fig.data if t.name and t.showlegend is not False]
    if not entries:
        return 0.0
    used, tallest, height = 0.0, 1, 12.0  # the legend's padding
    for trace in entries:
        wide = 70 + text_width(trace.name, size)  # the symbol and the gap to the next
        if used and used + wide > WIDTH - 2 * SIDE:
            height += size * 1.55 + (tallest - 1) * size * LINE
            used, tallest = 0.0, 1
        used += wide
        tallest = max(tallest, lines_of(trace.name))
    height += size * 1.55 + (tallest - 1) * size * LINE
    if fig.layout.legend.title.text:
        height += (fig.layout.legend.title.font.size or size) * 1.55
    return height


def _axis_band(fig: go.Figure) -> float:
    """Below the plot: the x axis's numbers and its title (plotly sets the title's first
    line about 3.6 of its ems under the plot)."""
    axis = fig.layout.xaxis
    if axis.visible is False or axis.side == "top":
        return 8.0
    if not axis.title.text:
        return MIN_FONT * LINE + 16
    size = axis.title.font.size or MIN_FONT * 1.2
    return size * 3.6 + (lines_of(axis.title.text) - 1) * size * LINE + 14


def _left_margin(fig: go.Figure, kind: str) -> int:
    """The left margin: room for the names or numbers on the y axis (the axis may widen it)."""
    axis = fig.layout.yaxis
    size = axis.tickfont.size or fig.layout.font.size
    if kind == "map" or axis.visible is False:
        return SIDE
    texts = axis.ticktext if axis.ticktext is not None else (
        axis.categoryarray if axis.categoryarray is not None else (fig.data[0].y if kind == "grid" else ()))
    widest = max((text_width(str(t), size) for t in texts), default=0.0)
    if kind not in ("bars", "grid"):  # numbers, and the axis's title turned on its side
        widest = max(widest, 60.0) + (fig.layout.yaxis.title.font.size or size * 1.2) * LINE + 10
    return math.ceil(SIDE + widest + 10)


def _above_plot(note) -> bool:
    """A reference line's name, drawn just above the plot."""
    return note.yref in ("y domain", "paper") and note.y == 1 and note.yanchor == "bottom" and note.name != SOURCE_NAME


def _wrap_names(fig: go.Figure, kind: str) -> int:
    """Place names on the y axis broken into lines no wider than NAME_WIDTH; returns the most lines."""
    axis = fig.layout.yaxis
    if kind == "bars" and axis.categoryarray is not None:
        names = list(axis.categoryarray)
    elif kind == "grid" and fig.data:
        names = list(fig.data[0].y)
    else:
        return 1
    size = axis.tickfont.size or fig.layout.font.size
    shown = [wrap(str(name), size, NAME_WIDTH, (" ",)) for name in names]
    if shown != [str(n) for n in names]:
        axis.update(tickmode="array", tickvals=names, ticktext=shown)
    return max((lines_of(s) for s in shown), default=1)


def _plot_height(fig: go.Figure, kind: str, name_lines: int) -> float:
    line = MIN_FONT * LINE
    if kind == "bars":
        rows = len(fig.layout.yaxis.categoryarray or ()) or 1
        bars = [t for t in fig.data if t.type == "bar"]
        group = len(bars) if fig.layout.barmode == "group" else 1
        label_lines = max((lines_of(a.text) for a in fig.layout.annotations if a.name == LABEL_NAME), default=1)
        gap = fig.layout.bargap if fig.layout.bargap is not None else 0.2
        row = max(name_lines * line + 10, group * (label_lines * line + 6) / (1 - gap), 34)
        return rows * row
    if kind == "grid":
        return max(len(fig.data[0].y) if fig.data else 1, 2) * max(name_lines * line + 10, 38)
    if kind == "map":
        x0, x1 = fig.layout.xaxis.range
        y0, y1 = fig.layout.yaxis.range
        ratio = fig.layout.yaxis.scaleratio or 1.0
        return max((WIDTH - 2 * SIDE) * (y1 - y0) * ratio / max(x1 - x0, 1e-9), 260)
    subplots = sum(1 for name in fig.layout if name.startswith("yaxis") and fig.layout[name])
    return 420 if subplots < 2 else 540


def _map_label(text: str, size: float) -> str:
    """A place's name on a map on two lines when it is long ("<b>Belahi Kalan</b>")."""
    bold = text.startswith("<b>") and text.endswith("</b>")
    plain = text[3:-4] if bold else text
    shown = wrap(plain, size * 1.07 if bold else size, MAP_LABEL_WIDTH, (" ",)) if " " in plain else plain
    return f"<b>{shown}</b>" if bold else shown


def _part_map_labels(fig: go.Figure, plot: float) -> None:
    """Place names on a map that would overlap moved apart (down, a little at a time), each as
    its box is estimated."""
    layout = fig.layout
    x0, x1 = layout.xaxis.range
    y0, y1 = layout.yaxis.range
    ratio = layout.yaxis.scaleratio or 1.0
    # The map keeps its proportions inside the plot area: one scale for both axes, centred.
    wide, tall = WIDTH - (layout.margin.l or 0) - (layout.margin.r or 0), plot
    scale = min(wide / max(x1 - x0, 1e-9), tall / max((y1 - y0) * ratio, 1e-9))
    placed: list[tuple[float, float, float, float]] = []
    notes = [n for n in layout.annotations if n.xref in ("x", None) and n.yref in ("y", None) and n.name != SOURCE_NAME]
    for note in sorted(notes, key=lambda n: (-n.y, n.x)):
        size = note.font.size or MIN_FONT
        half_w = text_width(note.text, size) / 2 + 5
        half_h = lines_of(note.text) * size * LINE / 2 + 3
        cx, cy = (note.x - x0) * scale, (y1 - note.y) * ratio * scale
        shift = 0.0
        for _ in range(12):
            box = (cx - half_w, cy + shift - half_h, cx + half_w, cy + shift + half_h)
            clash = [b for b in placed if box[0] < b[2] and b[0] < box[2] and box[1] < b[3] and b[1] < box[3]]
            if not clash:
                break
            shift = max(b[3] for b in clash) + half_h - cy + 1
        placed.append((cx - half_w, cy + shift - half_h, cx + half_w, cy + shift + half_h))
        if shift:
            note.yshift = -shift


def _last_days(fig: go.Figure) -> None:
    """The reporting grid's last GRID_DAYS days (a cell must hold a mark and a time)."""
    for trace in fig.data:
        if trace.type == "heatmap" and trace.x is not None and len(trace.x) > GRID_DAYS:
            keep = slice(len(trace.x) - GRID_DAYS, None)
            trace.update(x=list(trace.x)[keep], z=[list(row)[keep] for row in trace.z],
                         text=[list(row)[keep] for row in trace.text] if trace.text is not None else None,
                         customdata=[list(row)[keep] for row in trace.customdata]
                         if trace.customdata is not None else None)


def _thin_ticks(fig: go.Figure) -> None:
    """Numbers given for the x axis (Indian format: 1,50,000) kept one in two, or fewer, when
    they would not fit side by side."""
    axis = fig.layout.xaxis
    if axis.tickvals is None or axis.ticktext is None or axis.type == "category" or fig.layout.meta.get("kind") == "grid":
        return
    values, texts = list(axis.tickvals), list(axis.ticktext)
    size = axis.tickfont.size or fig.layout.font.size
    room = WIDTH - 2 * SIDE - (fig.layout.margin.r or 0) - NAME_WIDTH
    widest = max(text_width(str(t), size) for t in texts) + 14
    step = 1
    while len(values[::step]) * widest > room and step < len(values):
        step += 1
    if step > 1:
        axis.update(tickvals=values[::step], ticktext=texts[::step])
