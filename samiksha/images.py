"""Charts as PNG images (the `image` command): the same figures the pages draw, rendered
on this machine by kaleido (the system Chromium), with title, date, source and units on
the image.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from samiksha import figures, fmt, maps, queries, render, settings
from samiksha.errors import IntakeError

CHARTS = ("block_progress", "panchayat_progress", "map")
LAYOUTS = ("wide", "phone")  # wide: landscape, for a screen; phone: portrait, read on a phone (samiksha.phone)
WIDTH = 1280  # CSS pixels; WhatsApp keeps images 1080 wide or more
SCALE = 1.5


@dataclass
class Chart:
    figure: object
    map_data: maps.MapData | None = None


def context(con, indicator: str, as_of: dt.date, lang: str, source=None, district: str | None = None
            ) -> figures.Context:
    """What the chart says about itself (the pages pass their cached `data_source` row)."""
    if source is None:
        source = queries.run(con, "data_source", indicator=indicator, as_of=as_of, district=district).iloc[0]
    uploaded = None if fmt.missing(source["uploaded_up_to"]) else source["uploaded_up_to"].to_pydatetime()
    return figures.Context(lang, settings.indicator_name(con, indicator, lang), as_of, uploaded,
                           settings.district_name(con, lang, district))


def chart(con, name: str, indicator: str, as_of: dt.date, lang: str = "en", level: str = "panchayat",
          block: str | None = None, measure: str = "pct", district: str | None = None) -> Chart:
    """The figure of a chart kind for an indicator and date (of one district of a state's
    store when `district` is given)."""
    ctx = context(con, indicator, as_of, lang, district=district)
    limits = settings.thresholds(con)
    labels = queries.place_labels(con, lang)
    if name == "block_progress":
        blocks = queries.run(con, "block_review", indicator=indicator, as_of=as_of, district=district)
        whole = queries.run(con, "district_review", indicator=indicator, as_of=as_of, district=district).iloc[0]
        return Chart(figures.block_ranking(queries.labelled(blocks, labels), ctx, whole["pct"], "pct", limits))
    if name == "panchayat_progress":
        blocks = queries.run(con, "block_review", indicator=indicator, as_of=as_of, district=district)
        if block is None:  # the weakest block, as the Blocks page opens
            ranked = blocks.sort_values("rank", na_position="last")
            block = ranked["block"].iloc[-1] if len(ranked) else None
        if block is None or block not in set(blocks["block"]):
            raise IntakeError("image_no_block", block=block or "—", blocks=", ".join(sorted(blocks["block"]))[:400])
        panchayats = queries.run(con, "panchayat_review", indicator=indicator, as_of=as_of, block=block,
                                 district=district)
        return Chart(figures.panchayat_ranking(queries.labelled(panchayats, labels), ctx, labels[0].get(block, block),
                                               settings.panchayat_minimum(con), limits))
    data = maps.build(con, indicator, as_of, level, labels, settings.panchayat_minimum(con), district)
    if data is None:
        raise IntakeError("image_no_boundaries", level=level)
    if measure in maps.SHG_MEASURES:
        from samiksha import shg

        ctx = shg.context(con, as_of, lang, district)  # the register is the source
    return Chart(maps.place_map(data, measure, ctx, limits), data)


def png(figure, width: int = WIDTH, scale: float = SCALE, layout: str = "wide") -> bytes:
    """The figure as PNG bytes, drawn by the process's warm browser: `width` × `scale` pixels
    wide (1,920: WhatsApp keeps 1,080 or more); with layout "phone", laid out for a phone
    (portrait, 1,080 pixels wide, every text at least 30 pixels tall)."""
    if layout == "phone":
        from samiksha import phone

        figure, width, scale = phone.phone(figure), phone.WIDTH, phone.SCALE
    elif layout != "wide":
        raise ValueError(f"layout {layout!r}: one of {', '.join(LAYOUTS)}")
    return render.renderer().figure(figure, "png", width=width, height=int(figure.layout.height or 700), scale=scale)
