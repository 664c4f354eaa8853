"""Maps: the stored shapes of a level joined to that level's figures, classed for colour,
drawn as a plotly figure (no Streamlit here).

The figure is drawn on plain x/y axes (longitude, latitude; the y axis stretched by
1/cos(latitude) so shapes keep their proportions) as SVG: no map tiles, no WebGL, no
request leaves the machine, and Hindi labels are shaped by the browser like any other text.
Each class of a measure is one trace of filled shapes (so the legend names the classes);
the colours are one ramp from dark red (weak) to near white (strong), so the classes read
in greyscale as well, and places without figures are hatched. Hover and click work on one
invisible marker inside each place.
"""

from __future__ import annotations

import bisect
import math
from dataclasses import dataclass

import pandas as pd
import plotly.graph_objects as go

from samiksha import fmt, shapes
from samiksha.figures import DEFAULT_LIMITS, FONT, Context, lay_out
from samiksha.settings import Thresholds

MEASURES = ("pct", "achieved", "gap", "below_minimum")
SHG_MEASURES = ("shg_inactive_pct", "shg_ayushman_pct", "shg_insured_pct")  # from the SHG register
SHG_COLUMNS = ("shgs", "inactive", "inactive_pct", "ayushman_pct", "insured_pct")
HOUSEHOLD_MEASURES = ("household_pct",)  # from the household survey
HOUSEHOLD_COLUMNS = ("households", "pct", "some_left")
OWN_SOURCE = SHG_MEASURES + HOUSEHOLD_MEASURES  # measures whose figures are not the indicator's
# Dark (weak) to light (strong): lightness falls evenly, so the classes read without colour.
RAMP = ("#67000D", "#C2191F", "#F2603F", "#FCB499", "#FFF1EA")
NO_DATA = {"color": "#FFFFFF", "pattern": "x", "fg": "#8C8C8C"}
NO_TARGET = {"color": "#D9D9D9", "pattern": ".", "fg": "#555555"}
EDGE, OUTLINE = "#FFFFFF", "#262626"
MAX_LABELS = 80  # block names drawn on the map (a state's 534 would cover it)
COORD_PLACES = 4  # about 10 m: what the browser is sent


@dataclass
class MapClass:
    label: str
    color: str
    pattern: str = ""
    fg: str = ""


@dataclass
class MapData:
    """The places of one level with their shapes and figures, and what did not join."""

    level: str
    places: object  # GeoDataFrame: block, place, label, how, geometry and the measure columns
    outlines: object  # GeoDataFrame of block shapes (block, label, geometry)
    no_shape: pd.DataFrame  # places with figures and no shape: block, place, label
    no_data: pd.DataFrame  # shapes with no figures: written, place, block, how
    matched: int = 0  # shapes matched to a place
    total: int = 0  # shapes
    minimum: float = 500


def available_levels(con) -> list[str]:
    """Levels a map can be drawn at: each level with shapes; blocks also from panchayat shapes."""
    found = shapes.levels(con)
    return ["block", "panchayat"] if "panchayat" in found else found


def _key(block, place) -> tuple:
    return (block or "", place or "")


def measures(con) -> tuple[str, ...]:
    """The measures a map can show: the reports', the SHG register's and the household survey's
    when one is stored."""
    from samiksha import shg
    from samiksha.kinds import households

    return MEASURES + (SHG_MEASURES if shg.register_dates(con) else ()) + \
        (HOUSEHOLD_MEASURES if households.survey_span(con) else ())


def figures_of(con, indicator: str, as_of, level: str, district: str | None = None) -> pd.DataFrame:
    """The level's figures (block_review / panchayat_review) with, for blocks, the count of
    panchayats under the minimum."""
    from samiksha import queries

    panchayats = queries.run(con, "panchayat_review", indicator=indicator, as_of=as_of, district=district)
    if level == "panchayat":
        frame = panchayats.rename(columns={"panchayat": "place"})
        frame["below_minimum"] = frame["below_minimum"].astype("boolean").astype("Int64")
        return frame
    blocks = queries.run(con, "block_review", indicator=indicator, as_of=as_of, district=district)
    under = panchayats.groupby("block")["below_minimum"].sum().astype("Int64") if len(panchayats) else None
    blocks["below_minimum"] = blocks["block"].map(under) if under is not None else pd.NA
    blocks["place"] = blocks["block"]
    return blocks


def shg_figures_of(con, as_of, level: str, district: str | None = None) -> dict[tuple, object]:
    """{(block, place): SHG figures} from the SHG registers standing at the as-of date."""
    from samiksha import queries

    frame = queries.run(con, "shg_places", as_of=as_of, level=level, district=district)
    frame["place"] = frame["panchayat"] if level == "panchayat" else frame["block"]
    return {_key(r.block, r.place): r for r in frame.itertuples(index=False)}


def household_figures_of(con, as_of, level: str, district: str | None = None) -> dict[tuple, object]:
    """{(block, place): household coverage} from the surveys standing at the as-of date."""
    from samiksha import queries
    from samiksha.kinds import households

    if households.survey_span(con) is None:
        return {}
    frame = queries.run(con, "household_coverage", as_of=as_of, level=level, district=district)
    frame["place"] = frame["panchayat"] if level == "panchayat" else frame["block"]
    return {_key(r.block, r.place): r for r in frame.itertuples(index=False)}


def build(con, indicator: str, as_of, level: str, labels: tuple[dict, dict] = ({}, {}),
          minimum: float = 500, district: str | None = None) -> MapData | None:
    """Shapes of `level` joined to its figures (None when no shapes can be drawn there).
    Block shapes come from a block boundary file, else from the panchayat shapes merged.
    With `district` (a state's store), only the shapes of that district's blocks."""
    from samiksha import queries

    frame = figures_of(con, indicator, as_of, level, district)
    mine = queries.district_blocks(con, district)
    home = None if district is not None else _home_district(con)
    panchayats = _drawn(_within(shapes.current(con, "panchayat"), mine)) if "panchayat" in shapes.levels(con) else None
    merged = _merged_blocks(panchayats) if panchayats is not None and "block" not in shapes.levels(con) else None
    drawn = _shapes(con, level, panchayats, merged, mine, home)
    if drawn is None:
        return None
    block_labels, panchayat_labels = labels
    outlines = _block_shapes(con, merged, mine)
    outlines["label"] = [block_labels.get(b, b) for b in outlines["block"]]
    by_key = {_key(r.block, r.place): r for r in frame.itertuples(index=False)}
    places = drawn.copy()
    measure_columns = ["target", "achieved", "pct", "achieved_today", "gap", "below_minimum", "status"]
    for column in measure_columns:
        places[column] = [getattr(by_key.get(_key(b, p)), column, None) if _key(b, p) in by_key else None
                          for b, p in zip(places["block"], places["place"], strict=True)]
    places["has_data"] = [_key(b, p) in by_key for b, p in zip(places["block"], places["place"], strict=True)]
    shg_by_key = shg_figures_of(con, as_of, level, district)
    for column in SHG_COLUMNS:
        places[f"shg_{column}"] = [getattr(shg_by_key[_key(b, p)], column) if _key(b, p) in shg_by_key else None
                                   for b, p in zip(places["block"], places["place"], strict=True)]
    places["has_shg"] = [_key(b, p) in shg_by_key for b, p in zip(places["block"], places["place"], strict=True)]
    household_by_key = household_figures_of(con, as_of, level, district)
    for column in HOUSEHOLD_COLUMNS:
        places[f"household_{column}"] = [getattr(household_by_key[_key(b, p)], column)
                                         if _key(b, p) in household_by_key else None
                                         for b, p in zip(places["block"], places["place"], strict=True)]
    places["has_households"] = [_key(b, p) in household_by_key
                                for b, p in zip(places["block"], places["place"], strict=True)]
    places["label"] = [(block_labels.get(p, p) if level == "block" else panchayat_labels.get((b, p), p)) or w
                       for b, p, w in zip(places["block"], places["place"], places["written"], strict=True)]
    places["block_label"] = [block_labels.get(b, b) if b else "" for b in places["block"]]
    drawn_keys = {_key(b, p) for b, p in zip(places["block"], places["place"], strict=True) if p}
    no_shape = frame[[_key(b, p) not in drawn_keys for b, p in zip(frame["block"], frame["place"], strict=True)]] \
        if len(frame) else frame.reindex(columns=["block", "place", "achieved"])
    no_shape = pd.DataFrame({
        "block": [block_labels.get(b, b) for b in no_shape["block"]],
        "place": [block_labels.get(p, p) if level == "block" else panchayat_labels.get((b, p), p)
                  for b, p in zip(no_shape["block"], no_shape["place"], strict=True)],
        "achieved": no_shape["achieved"].tolist(),
    })
    lacking = places[~places["has_data"]]
    no_data = pd.DataFrame({"written": lacking["written"].fillna("").tolist(),
                            "place": lacking["label"].where(lacking["place"].notna(), "").tolist(),
                            "block": lacking["block_label"].tolist(), "how": lacking["how"].tolist()})
    matched = int(places["place"].notna().sum())
    return MapData(level, places, outlines, no_shape, no_data, matched, len(places), minimum)


DRAW_PIXELS = 1200  # the detail a map is drawn with: its longer side in (high-density) pixels


def _drawn(found):
    """Shapes simplified to what the map can show: about a pixel of the whole map (a state's
    panchayats need far fewer points than one district's), never finer than the stored copy."""
    if found is None or found.empty:
        return found
    west, south, east, north = found.total_bounds
    tolerance = max(shapes.DISPLAY_TOLERANCE, max(east - west, north - south) / DRAW_PIXELS)
    if tolerance <= shapes.DISPLAY_TOLERANCE * 1.5:
        return found
    light = found.copy()
    light["geometry"] = shapes.display_shapes(found.geometry.values, tolerance)
    return light


def _within(found, blocks: set[str] | None):
    """The shapes of those blocks (all when `blocks` is None): a block's own shape, a
    panchayat's by its block (boundary_matches' `block`)."""
    if blocks is None or found is None or found.empty:
        return found
    return found[found["block"].isin(blocks)]


def _home_district(con) -> str | None:
    """The one district a store's gazetteer holds (a district's store), else None."""
    rows = con.execute("SELECT code FROM places_current WHERE level = 'district' LIMIT 2").fetchall()
    return rows[0][0] if len(rows) == 1 else None


def _at_home(found, home: str | None):
    """A district's store given a state's boundary file: the shapes matched to the district's
    places, and the unmatched ones that lie among them (to be confirmed), not the rest of the
    state. (Where no shape matched, all of them: nothing tells where the district is.)"""
    import shapely

    if home is None or found is None or found.empty:
        return found
    matched = found["block"].notna()
    if not matched.any() or matched.all():
        return found
    hull = shapely.convex_hull(shapely.union_all(found.geometry.values[matched.values]))
    inside = shapely.contains(hull, shapely.point_on_surface(found.geometry.values))
    return found[matched.values | inside]


def _shapes(con, level: str, panchayats=None, merged=None, blocks: set[str] | None = None, home: str | None = None):
    """The shapes of a level as drawn: block, place, written, how, geometry."""
    if level in shapes.levels(con):
        found = panchayats if level == "panchayat" and panchayats is not None else \
            _drawn(_at_home(_within(shapes.current(con, level), blocks), home if level == "block" else None))
        return found.assign(place=found["matched_name"])[["block", "place", "name", "how", "feature", "geometry"]] \
            .rename(columns={"name": "written"})
    if level == "block" and merged is not None:
        return merged.assign(place=merged["block"], written=merged["block"], how="merged",
                             feature=range(1, len(merged) + 1))
    return None


def _merged_blocks(panchayats):
    """Block shapes made by merging each block's matched panchayat shapes."""
    import geopandas as gpd
    import shapely

    panchayats = panchayats[panchayats["block"].notna()]
    rows = []
    for block, part in panchayats.groupby("block", sort=True):
        # The general union: neighbours' edges seldom match vertex for vertex (a coverage
        # union would leave slivers where they do not).
        rows.append((block, shapely.union_all(part.geometry.values)))
    return gpd.GeoDataFrame({"block": [b for b, _ in rows]}, geometry=[g for _, g in rows], crs="EPSG:4326")


def _block_shapes(con, merged=None, blocks: set[str] | None = None):
    import geopandas as gpd

    if "block" in shapes.levels(con):
        found = _drawn(_within(shapes.current(con, "block"), blocks))
        found = found[found["matched_name"].notna()]
        return gpd.GeoDataFrame({"block": found["matched_name"].tolist()}, geometry=list(found.geometry),
                                crs="EPSG:4326")
    if merged is not None:
        return merged
    return gpd.GeoDataFrame({"block": []}, geometry=[], crs="EPSG:4326")


# --- classes ---------------------------------------------------------------------------

def _ramp(count: int) -> list[str]:
    """`count` colours of the ramp, dark first, always including both ends."""
    if count <= 1:
        return [RAMP[0]]
    return [RAMP[round(i * (len(RAMP) - 1) / (count - 1))] for i in range(count)]


def nice_breaks(values, count: int = 4) -> list[float]:
    """Up to count-1 round break points at the quantiles of the values (two significant figures)."""
    numbers = sorted(float(v) for v in values if not fmt.missing(v))
    if len(set(numbers)) < 2:
        return []
    breaks = []
    for i in range(1, count):
        q = numbers[min(len(numbers) - 1, int(len(numbers) * i / count))]
        if q <= 0:
            continue
        power = 10 ** (math.floor(math.log10(q)) - 1)
        value = round(q / power) * power
        if numbers[0] < value <= numbers[-1] and value not in breaks:
            breaks.append(value)
    return sorted(breaks)


def classify(places, measure: str, lang: str, limits: Thresholds = DEFAULT_LIMITS, minimum: float = 500,
             tr=None, level: str = "panchayat") -> tuple[list[int], list[MapClass]]:
    """Each place's class (an index into the classes; -1 no figures, -2 no target) and the
    classes, weakest first (darkest first)."""
    from samiksha.i18n import t

    def say(key, **params):
        return (tr or (lambda k, **p: t(k, lang, **p)))(key, **params)

    values = list(places[measure]) if measure in places else [None] * len(places)
    has = list(places["has_shg"] if measure in SHG_MEASURES else
               places["has_households"] if measure in HOUSEHOLD_MEASURES else places["has_data"])
    unit = "%" if measure in OWN_SOURCE else ""
    if measure in ("pct", "shg_ayushman_pct", "shg_insured_pct", "household_pct"):
        bounds = [limits.red_below, limits.green_from, 100.0] if limits.green_from < 100 else [limits.red_below, 100.0]
        labels = [say("map.class_under", value=_n(bounds[0]) + "%")]
        labels += [say("map.class_between", low=_n(a) + "%", high=_n(b) + "%") for a, b in zip(bounds, bounds[1:])]
        labels.append(say("map.class_from", value="100%"))

        def which(v):
            return bisect.bisect_right(bounds, v)
    elif measure == "below_minimum" and level == "panchayat":
        labels = [say("map.class_below_minimum", minimum=_n(minimum)),
                  say("map.class_minimum_met", minimum=_n(minimum))]

        def which(v):
            return 0 if v else 1
    else:
        higher_is_worse = measure in ("gap", "below_minimum", "shg_inactive_pct")
        present = [float(v) for v, h in zip(values, has, strict=True) if h and not fmt.missing(v)]
        zero = higher_is_worse and 0.0 in present
        steps = nice_breaks([v for v in present if v > 0] if higher_is_worse else present)
        ranges = [say("map.class_under", value=_n(steps[0]) + unit)] if steps else \
            [say("map.class_all", value=_n(max(present, default=0)) + unit)]
        ranges += [say("map.class_between", low=_n(a) + unit, high=_n(b) + unit) for a, b in zip(steps, steps[1:])]
        ranges += [say("map.class_from", value=_n(steps[-1]) + unit)] if steps else []
        zero_key = {"below_minimum": "map.class_zero", "shg_inactive_pct": "map.class_no_inactive"}
        by_value = ([say(zero_key.get(measure, "map.class_gap_met"))] if zero else []) + ranges  # low values first

        def value_index(v):
            return 0 if zero and v == 0 else int(zero) + bisect.bisect_right(steps, v)

        if higher_is_worse:  # the largest gap is the weakest: first, darkest
            labels = by_value[::-1]

            def which(v):
                return len(labels) - 1 - value_index(v)
        else:
            labels = by_value
            which = value_index
    classes = [MapClass(label, colour) for label, colour in zip(labels, _ramp(len(labels)), strict=True)]
    found = []
    for v, h in zip(values, has, strict=True):
        if not h:
            found.append(-1)
        elif fmt.missing(v):
            found.append(-2)
        else:
            found.append(which(float(v)))
    return found, classes


def _n(value) -> str:
    return fmt.number(value, 1).removesuffix(".0") if not float(value).is_integer() else fmt.number(value)


# --- the figure ------------------------------------------------------------------------

def _rings(geometry) -> list[list[tuple[float, float]]]:
    """The outer rings of a (multi)polygon."""
    parts = getattr(geometry, "geoms", [geometry])
    return [list(part.exterior.coords) for part in parts if not part.is_empty]


def _xy(geometries, places: int = COORD_PLACES) -> tuple:
    """Every ring of every shape as one x/y path, rings separated by gaps (numpy arrays:
    plotly takes them whole, not point by point)."""
    import numpy as np

    rings = [ring for geometry in geometries if geometry is not None and not geometry.is_empty
             for ring in _rings(geometry)]
    if not rings:
        return np.array([np.nan]), np.array([np.nan])
    gap = np.array([[np.nan, np.nan]])
    joined = np.concatenate([part for ring in rings for part in (np.round(np.asarray(ring)[:, :2], places), gap)])
    return joined[:, 0].astype("float32"), joined[:, 1].astype("float32")  # sent as 4-byte binary


def _hover(row, level: str, ctx: Context, minimum: float, measure: str = "pct") -> str:
    """Short (a state's 8,000 panchayats each carry one): name · block, achieved / target · %,
    gap · the day's addition, and whether it is under the minimum (an SHG measure: the SHGs,
    % inactive, and members' coverage)."""
    head = f"<b>{row.label}</b>"
    if level == "panchayat" and row.block_label:
        head += " · " + ctx.tr("map.hover_block", block=row.block_label)
    lines = [head]
    if measure in SHG_MEASURES:
        if not row.has_shg:
            lines.append(ctx.tr("map.hover_no_shg"))
        else:
            lines.append(ctx.tr("map.hover_shg", shgs=fmt.number(row.shg_shgs), inactive=fmt.number(row.shg_inactive),
                                pct=fmt.pct(row.shg_inactive_pct)))
            lines.append(ctx.tr("map.hover_shg_cover", ayushman=fmt.pct(row.shg_ayushman_pct),
                                insured=fmt.pct(row.shg_insured_pct)))
        return "<br>".join(lines)
    if measure in HOUSEHOLD_MEASURES:
        if not row.has_households:
            lines.append(ctx.tr("map.hover_no_households"))
        else:
            lines.append(ctx.tr("map.hover_households", households=fmt.number(row.household_households),
                                pct=fmt.pct(row.household_pct), left=fmt.number(row.household_some_left)))
        return "<br>".join(lines)
    if not row.has_data:
        lines.append(ctx.tr("map.hover_no_data"))
        return "<br>".join(lines)
    if fmt.missing(row.target):
        lines.append(ctx.tr("map.hover_no_target", achieved=fmt.number(row.achieved)))
    else:
        lines.append(ctx.tr("map.hover_figures", achieved=fmt.number(row.achieved), target=fmt.number(row.target),
                            pct=fmt.pct(row.pct)))
    extra = [] if fmt.missing(row.target) else [ctx.tr("map.hover_gap", gap=fmt.number(row.gap))]
    if not fmt.missing(row.achieved_today):
        extra.append(ctx.tr("map.hover_today", today=fmt.number(row.achieved_today)))
    if level == "panchayat" and not fmt.missing(row.below_minimum) and row.below_minimum:
        extra.append(ctx.tr("map.hover_under", minimum=fmt.number(minimum)))
    elif level == "block" and not fmt.missing(row.below_minimum):
        extra.append(ctx.tr("map.hover_under_count", count=fmt.number(row.below_minimum), minimum=fmt.number(minimum)))
    if extra:
        lines.append(" · ".join(extra))
    return "<br>".join(lines)


def place_map(data: MapData, measure: str, ctx: Context, limits: Thresholds = DEFAULT_LIMITS,
              height: int = 680, labels: bool = True, highlight: int | None = None) -> go.Figure:
    """The choropleth: one filled trace per class (weakest first in the legend), block
    outlines over panchayats, block names, and one invisible marker per place for hover and
    click (its customdata is the place's row number in `data.places`)."""
    import shapely

    places = data.places
    west, south, east, north = places.total_bounds
    decimals = 3 if max(east - west, north - south) > 2 else COORD_PLACES  # a state: 100 m is a pixel
    found, classes = classify(places, measure, ctx.lang, limits, data.minimum, tr=ctx.tr, level=data.level)
    fig = go.Figure()
    styles = [(i, c.label, c.color, "", "") for i, c in enumerate(classes)]
    styles += [(-2, ctx.tr("figure.no_target"), NO_TARGET["color"], NO_TARGET["pattern"], NO_TARGET["fg"]),
               (-1, ctx.tr("map.no_shg" if measure in SHG_MEASURES else
                           "map.no_households" if measure in HOUSEHOLD_MEASURES else "map.no_data"), NO_DATA["color"],
                NO_DATA["pattern"], NO_DATA["fg"])]
    edge_width = 0.6 if data.level == "panchayat" else 1.0
    for index, label, colour, pattern, fg in styles:
        chosen = [g for g, k in zip(places.geometry, found, strict=True) if k == index]
        if not chosen and index < 0:
            continue
        xs, ys = _xy(chosen, decimals)
        fig.add_scatter(x=xs, y=ys, mode="lines", fill="toself", name=label,
                        fillcolor=colour, line={"color": "#BDBDBD" if colour == RAMP[-1] else EDGE,
                                                "width": edge_width},
                        fillpattern={"shape": pattern, "fgcolor": fg, "size": 6} if pattern else None,
                        hoverinfo="skip", legendgroup=str(index))
    if data.level == "panchayat" and len(data.outlines):
        xs, ys = _xy(data.outlines.geometry, decimals)
        fig.add_scatter(x=xs, y=ys, mode="lines", line={"color": OUTLINE, "width": 1.6}, hoverinfo="skip",
                        name=ctx.tr("map.block_outline"))
    if highlight is not None and 0 <= highlight < len(places):  # the place clicked, outlined
        xs, ys = _xy([places.geometry.iloc[highlight]])
        fig.add_scatter(x=xs, y=ys, mode="lines", line={"color": "#000000", "width": 3.5}, hoverinfo="skip",
                        showlegend=False, name="")
    points = shapely.point_on_surface(places.geometry.values)
    rows = list(places.itertuples(index=False))
    fig.add_scatter(
        x=[round(p.x, decimals) for p in points], y=[round(p.y, decimals) for p in points],
        mode="markers", marker={"size": 14, "color": "rgba(0,0,0,0)"}, showlegend=False, name="",
        customdata=list(range(len(rows))), text=[_hover(r, data.level, ctx, data.minimum, measure) for r in rows],
        hovertemplate="%{text}<extra></extra>")
    if labels and 0 < len(data.outlines) <= MAX_LABELS:
        for label, point in zip(data.outlines["label"], shapely.point_on_surface(data.outlines.geometry.values),
                                strict=True):
            fig.add_annotation(x=point.x, y=point.y, text=f"<b>{label}</b>", showarrow=False,
                               font={"size": 12 if data.level == "panchayat" else 13, "color": "#111111"},
                               bgcolor="rgba(255,255,255,0.72)", borderpad=1)
    middle = (south + north) / 2
    pad_x, pad_y = (east - west) * 0.02 or 0.01, (north - south) * 0.02 or 0.01
    fig.update_xaxes(visible=False, range=[west - pad_x, east + pad_x], constrain="domain")
    fig.update_yaxes(visible=False, range=[south - pad_y, north + pad_y], scaleanchor="x",
                     scaleratio=1 / math.cos(math.radians(middle)), constrain="domain")
    fig.update_layout(hovermode="closest", hoverdistance=40, dragmode="pan", showlegend=True,
                      legend={"title": {"text": ctx.tr(f"map.legend_{measure}")}})
    if measure in OWN_SOURCE:  # from the SHG register or the survey, whatever the indicator
        title = ctx.tr(f"map.title_shg_{data.level}", measure=ctx.tr(f"map.measure_{measure}"))
    else:
        title = ctx.tr(f"map.title_{data.level}", indicator=ctx.indicator, measure=ctx.tr(f"map.measure_{measure}"))
    subtitle = ctx.subtitle(f"map.unit_{measure}", minimum=fmt.number(data.minimum))
    fig = lay_out(fig, ctx, title, subtitle, height, kind="map")
    # The legend in one row between the subtitle and the map: the map keeps the full width.
    fig.update_layout(legend={"orientation": "h", "x": 0, "xanchor": "left", "y": 1.0, "yanchor": "bottom",
                              "font": {"size": 13}, "title": {"font": {"size": 13}, "side": "left"}},
                      margin={"l": 10, "r": 10, "t": 130, "b": 40}, font={"family": FONT})
    for note in fig.layout.annotations:
        if note.xref == "paper":  # the source line, just under the map
            note.update(yshift=-32)
    return fig
