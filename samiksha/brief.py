"""The one-page review brief: an indicator's district figures at a date, the block ranking,
the five lowest blocks with their gaps, the blocks that have not reported, and the SHG and
worker headlines where there is data; one A4 page as PDF and PNG, in English or Hindi.

The page is HTML drawn by the renderer's Chromium (render.py), so Hindi is shaped as on
screen; the chart in it is the Blocks page's ranking, drawn as SVG.
"""

from __future__ import annotations

import datetime as dt
import html
from dataclasses import dataclass, field

import pandas as pd

from samiksha import compliance, demo, figures, fmt, images, queries, render, settings, shg, store, workers
from samiksha.i18n import t

SECTIONS = ("numbers", "ranking", "lowest", "not_reported", "shg", "workers")
LOWEST = 5
NAMES_SHOWN = 12  # names listed in a line; more are counted ("and 4 more")
CHART_WIDTH = 738  # CSS pixels: the A4 page less its margins
CHART_BUDGET = 500  # CSS pixels of the page the ranking may take


def required_text(summary, as_of: dt.date, lang: str) -> str:
    """Cards a day still needed; or that the deadline has passed with the target not reached."""
    deadline, required = summary["deadline"], summary["required_per_day"]
    if fmt.missing(required) and not fmt.missing(deadline) and not fmt.missing(summary["target"]) \
            and deadline.date() <= as_of and summary["achieved"] < summary["target"]:
        return t("overview.deadline_passed", lang)
    return fmt.number(required)


def finish_text(summary, lang: str) -> tuple[str, str | None, str]:
    """The projected finish date at the last 7 days' pace, a note, and the note's colour
    (green: before the deadline, red: after it or never at this pace)."""
    if fmt.missing(summary["target"]):
        return fmt.DASH, None, "off"
    if summary["achieved"] >= summary["target"]:
        return t("overview.target_reached", lang), None, "off"
    if fmt.missing(summary["pace_per_day"]):
        return fmt.DASH, t("overview.pace_unknown", lang), "gray"  # one report date: no pace yet
    if fmt.missing(summary["projected_finish"]):
        return fmt.DASH, t("overview.not_at_this_pace", lang), "red"
    finish, deadline = summary["projected_finish"].date(), summary["deadline"]
    if fmt.missing(deadline):
        return fmt.date(finish), None, "off"
    days = (deadline.date() - finish).days
    if days >= 0:
        return fmt.date(finish), t("overview.before_deadline", lang, days=days), "green"
    return fmt.date(finish), t("overview.after_deadline", lang, days=-days), "red"


@dataclass
class Brief:
    """What the brief says, in `lang`; every figure straight from the named queries."""

    lang: str
    indicator: str
    indicator_name: str
    as_of: dt.date
    district: str
    demo: bool
    summary: pd.Series
    blocks: pd.DataFrame  # block_review, names as the reader knows them
    chart: object  # the ranking figure
    day: compliance.Day
    labels: dict
    source: str
    shg: pd.Series | None = None
    shg_register: dt.date | None = None
    shg_limits: dict | None = None  # the SHG rules' thresholds (the days the reasons name)
    workers: dict | None = None
    made_at: dt.datetime = field(default_factory=fmt.now_ist)

    def tr(self, key: str, **params) -> str:
        return t(key, self.lang, **params)


def gather(con, indicator: str, as_of: dt.date, lang: str = "en", now: dt.datetime | None = None,
           district: str | None = None) -> Brief:
    """The brief's figures for an indicator at a date (of one district of a state's store when
    `district` is given)."""
    labels = queries.place_labels(con, lang)
    summary = queries.run(con, "district_review", indicator=indicator, as_of=as_of, district=district).iloc[0]
    blocks = queries.labelled(queries.run(con, "block_review", indicator=indicator, as_of=as_of, district=district),
                              labels)
    ctx = images.context(con, indicator, as_of, lang, district=district)
    chart = _compact(figures.block_ranking(blocks, ctx, summary["pct"], "pct", settings.thresholds(con)), ctx,
                     len(blocks))
    made = Brief(lang, indicator, ctx.indicator, as_of, ctx.district, bool(demo.demo_uploads(con)), summary, blocks,
                 chart, compliance.day(con, indicator, as_of, now, district), labels[0], ctx.source(),
                 made_at=now or fmt.now_ist())
    registers = [d for d in shg.register_dates(con) if d <= as_of]
    if registers:
        made.shg = queries.run(con, "shg_summary", as_of=registers[0], district=district).iloc[0]
        made.shg_register = registers[0]
        made.shg_limits = shg.thresholds(con)
    if workers.has_roster(con):
        status = queries.run(con, "worker_status", as_of=as_of, district=district)
        if len(status):
            made.workers = {name: int(status[name].sum()) for name in
                            ("workers", "id_active", "trained", "supervisors", "zero_output")}
            made.workers["deadlines"] = workers.deadlines(con)
    return made


def _compact(fig, ctx: figures.Context, count: int):
    """The ranking sized for the page: no title or source line (the page has them), thinner
    bars and smaller type when there are many blocks."""
    bar = max(12, min(26, (CHART_BUDGET - 110) // max(count, 3)))
    height = 110 + bar * max(count, 3)
    small = bar < 20
    fig.layout.annotations = [a for a in fig.layout.annotations if a.text != ctx.source()]
    plot = height - 30 - 70
    fig.update_layout(title=None, height=height, width=CHART_WIDTH, margin={"l": 6, "r": 12, "t": 30, "b": 70},
                      font={"size": 11 if small else 12},
                      legend={"y": -34 / plot, "font": {"size": 11}}, bargap=0.2)
    for note in fig.layout.annotations:
        if note.name == figures.LABEL_NAME:
            note.font.size = 9 if small else 11
    fig.update_yaxes(tickfont={"size": 10 if small else 12})
    fig.update_xaxes(title={"text": ctx.tr("figure.pct_axis"), "font": {"size": 11}, "standoff": 4})
    return figures.fit_label_column(fig)


# --------------------------------------------------------------------------------- the page

CSS = """
@page { size: A4; margin: 0; }
* { box-sizing: border-box; }
html, body { margin: 0; padding: 0; }
body { width: 794px; height: 1122px; overflow: hidden; padding: 22px 28px 0 28px; color: #1A1A1A; background: white;
       font-family: 'Noto Sans', 'Noto Sans Devanagari', 'Liberation Sans', Arial, sans-serif; font-size: 12px;
       font-variant-ligatures: no-common-ligatures; }
header { border-bottom: 3px solid #1F4E79; padding-bottom: 6px; margin-bottom: 8px; display: flex;
         justify-content: space-between; align-items: flex-end; }
header h1 { font-size: 20px; margin: 0; color: #1F4E79; }
header .sub { font-size: 13px; margin-top: 2px; }
header .made { font-size: 10px; color: #444; text-align: right; }
.demo { background: #FFF3CD; border: 1px solid #E69F00; padding: 3px 8px; font-weight: 700; margin-bottom: 6px; }
.cards { display: grid; grid-template-columns: repeat(6, 1fr); gap: 6px; margin-bottom: 6px; }
.card { border: 1px solid #C8C8C8; border-radius: 4px; padding: 4px 6px; }
.card .label { font-size: 10px; color: #444; }
.card .value { font-size: 17px; font-weight: 700; }
.card .note { font-size: 10px; }
.note.red { color: #B2182B; } .note.green { color: #1A7F45; }
h2 { font-size: 13px; margin: 6px 0 3px 0; color: #1F4E79; }
.row { display: flex; gap: 14px; }
.row > section { flex: 1; }
table { border-collapse: collapse; width: 100%; font-size: 11px; }
th { background: #1F4E79; color: white; text-align: left; padding: 2px 4px; font-weight: 600; }
td { border-bottom: 1px solid #DDD; padding: 2px 4px; white-space: nowrap; }
th.num { white-space: normal; }
.row > section#lowest { flex: 1.25; }
td.num, th.num { text-align: right; }
p { margin: 2px 0; }
.muted { color: #555; }
footer { position: absolute; bottom: 14px; left: 28px; right: 28px; border-top: 1px solid #AAA; padding-top: 4px;
         font-size: 9.5px; color: #444; }
"""


def _e(text) -> str:
    return html.escape(str(text))


def _names(items: list[str], lang: str) -> str:
    shown = ", ".join(items[:NAMES_SHOWN])
    if len(items) > NAMES_SHOWN:
        shown += " " + t("brief.and_more", lang, count=len(items) - NAMES_SHOWN)
    return shown


def _card(label: str, value: str, note: str | None = None, colour: str = "") -> str:
    extra = f'<div class="note {colour}">{_e(note)}</div>' if note else ""
    return f'<div class="card"><div class="label">{_e(label)}</div><div class="value">{_e(value)}</div>{extra}</div>'


def _numbers(b: Brief) -> str:
    s = b.summary
    finish, note, colour = finish_text(s, b.lang)
    target = b.tr("overview.no_target") if fmt.missing(s["target"]) else fmt.number(s["target"])
    deadline = fmt.date(s["deadline"])
    cards = [
        _card(b.tr("overview.target"), target),
        _card(b.tr("overview.achieved"), fmt.number(s["achieved"]), fmt.pct(s["pct"])),
        _card(b.tr("overview.today", date=b.as_of), fmt.number(s["achieved_today"])),
        _card(b.tr("brief.gap"), fmt.number(s["gap"])),
        _card(b.tr("overview.required"), required_text(s, b.as_of, b.lang), b.tr("brief.deadline", date=deadline)),
        _card(b.tr("overview.finish"), finish, note, colour),
    ]
    return f'<section id="numbers"><div class="cards">{"".join(cards)}</div></section>'


def _lowest(b: Brief) -> str:
    ranked = b.blocks[b.blocks["pct"].notna()].sort_values(["rank", "block"]).tail(LOWEST).iloc[::-1]
    head = (f'<tr><th>{_e(b.tr("col.rank"))}</th><th>{_e(b.tr("col.block"))}</th>'
            f'<th class="num">{_e(b.tr("col.pct"))}</th><th class="num">{_e(b.tr("brief.achieved_of_target"))}</th>'
            f'<th class="num">{_e(b.tr("col.gap"))}</th><th class="num">{_e(b.tr("col.required_per_day"))}</th></tr>')
    rows = "".join(
        f'<tr><td>{int(r.rank)}</td><td>{_e(r.block)}</td><td class="num"><b>{fmt.pct(r.pct)}</b></td>'
        f'<td class="num">{fmt.number(r.achieved)} / {fmt.number(r.target)}</td><td class="num">{fmt.number(r.gap)}</td>'
        f'<td class="num">{fmt.number(r.required_per_day)}</td></tr>' for r in ranked.itertuples())
    body = f"<table>{head}{rows}</table>" if rows else f'<p class="muted">{_e(b.tr("overview.no_targets_yet"))}</p>'
    return f'<section id="lowest"><h2>{_e(b.tr("overview.lowest"))}</h2>{body}</section>'


def _not_reported(b: Brief) -> str:
    day, names = b.day, b.labels
    lines = []
    if day.holiday and not day.missing:
        lines.append(f"<p>{_e(b.tr('brief.holiday'))}</p>")
    if day.missing:
        key = "brief.missing" if day.cutoff_passed else "brief.not_yet"
        lines.append(f"<p><b>{_e(b.tr(key, count=len(day.missing)))}</b> "
                     f"{_e(_names([names.get(x, x) for x in day.missing], b.lang))}</p>")
    if day.late:
        lines.append(f"<p><b>{_e(b.tr('brief.late', count=len(day.late)))}</b> {_e(_late(b, day))}</p>")
    if not day.missing and not day.late and not day.holiday:
        lines.append(f"<p>{_e(b.tr('brief.all_on_time', count=len(day.on_time)))}</p>")
    elif day.on_time:
        lines.append(f'<p class="muted">{_e(b.tr("brief.reported_by_cutoff", count=len(day.on_time)))}</p>')
    return f'<section id="not_reported"><h2>{_e(b.tr("brief.not_reported_title", date=b.as_of))}</h2>{"".join(lines)}</section>'


def _late(b: Brief, day: compliance.Day) -> str:
    """"Lohachak (5:42 PM), Semrabad (7:05 PM)"; blocks that came in one upload share its time:
    "23-11-2026 11:45 AM: Banjariya, Bankatwa … and 13 more"."""
    by_time: dict[str, list[str]] = {}
    for block, when in day.late:
        by_time.setdefault(_when(when, day.report_date, b.lang), []).append(b.labels.get(block, block))
    parts = [f"{blocks[0]} ({time})" if len(blocks) == 1 else f"{time}: {_names(blocks, b.lang)}"
             for time, blocks in by_time.items()]
    return "; ".join(parts) if len(parts) > 1 and any(len(v) > 1 for v in by_time.values()) else ", ".join(parts)


def _when(uploaded_at, report_date: dt.date, lang: str) -> str:
    """The upload's time ("5:42 PM"); with its date when it came on a later day."""
    uploaded_at = pd.Timestamp(uploaded_at).to_pydatetime()
    time = compliance.fmt_time(uploaded_at, lang)
    return time if uploaded_at.date() == report_date else f"{fmt.date(uploaded_at.date())} {time}"


def _shg(b: Brief) -> str:
    title = f'<h2>{_e(b.tr("brief.shg_title"))}</h2>'
    if b.shg is None:
        return f'<section id="shg">{title}<p class="muted">{_e(b.tr("brief.no_shg"))}</p></section>'
    s = b.shg
    lines = [b.tr("brief.shg_line", shgs=int(s["shgs"]), date=b.shg_register),
             b.tr("brief.shg_inactive", count=int(s["inactive"]), pct=fmt.pct(s["inactive_pct"])),
             b.tr("brief.shg_stagnant", count=int(s["stagnant"]), pct=fmt.pct(s["stagnant_pct"]))]
    why = shg.reason_counts(s, b.shg_limits, b.lang)  # a meeting long ago apart from none recorded
    if why:
        lines.insert(2, b.tr("brief.shg_why", reasons="; ".join(why)))
    return f'<section id="shg">{title}{"".join(f"<p>{_e(x)}</p>" for x in lines)}</section>'


def _workers(b: Brief) -> str:
    title = f'<h2>{_e(b.tr("brief.workers_title"))}</h2>'
    if b.workers is None:
        return f'<section id="workers">{title}<p class="muted">{_e(b.tr("brief.no_workers"))}</p></section>'
    w = b.workers
    total = w["workers"]

    def share(part):
        return fmt.pct(100.0 * part / total) if total else fmt.DASH

    limits = w["deadlines"]
    lines = [b.tr("brief.workers_line", workers=total, supervisors=w["supervisors"]),
             b.tr("brief.workers_active", pct=share(w["id_active"]), count=w["id_active"],
                  deadline=fmt.date(limits.id_active) if limits.id_active else fmt.DASH),
             b.tr("brief.workers_trained", pct=share(w["trained"]), count=w["trained"],
                  deadline=fmt.date(limits.trained) if limits.trained else fmt.DASH),
             b.tr("brief.workers_zero", count=w["zero_output"])]
    return f'<section id="workers">{title}{"".join(f"<p>{_e(x)}</p>" for x in lines)}</section>'


def page_html(b: Brief, chart_svg: str) -> str:
    """The brief as one HTML page (A4)."""
    demo_line = f'<div class="demo">{_e(b.tr("brief.demo"))}</div>' if b.demo else ""
    sources = [b.source]
    if b.shg_register is not None:
        sources.append(b.tr("brief.shg_source", date=b.shg_register))
    if b.workers is not None:
        sources.append(b.tr("brief.workers_source"))
    return f"""<!DOCTYPE html>
<html lang="{b.lang}"><head><meta charset="utf-8"><title>{_e(b.tr("brief.title"))}</title>
<style>{render.font_face_css()}{CSS}</style></head>
<body>
<header><div><h1>{_e(b.tr("brief.heading", indicator=b.indicator_name))}</h1>
<div class="sub">{_e(b.district)}{" · " if b.district else ""}{_e(b.tr("figure.as_of", date=b.as_of))}</div></div>
<div class="made">{_e(b.tr("brief.made", time=b.made_at))}<br>{_e(b.tr("app.title"))} · {_e(b.tr("app.tagline"))}</div></header>
{demo_line}
{_numbers(b)}
<section id="ranking"><h2>{_e(b.tr("brief.ranking_title"))}</h2>{chart_svg}</section>
<div class="row">{_lowest(b)}{_not_reported(b)}</div>
<div class="row">{_shg(b)}{_workers(b)}</div>
<footer>{_e(" · ".join(sources))}<br>{_e(b.tr("brief.footnote"))}</footer>
</body></html>"""


def _svg_body(svg: str) -> str:
    """The chart's SVG element without the XML prolog (it goes inside the page)."""
    start = svg.find("<svg")
    return svg[start:] if start >= 0 else svg


def make(con, indicator: str, as_of: dt.date, lang: str = "en", formats=("pdf", "png"),
         now: dt.datetime | None = None, district: str | None = None) -> dict[str, bytes]:
    """The brief as {"pdf": bytes, "png": bytes} (the formats asked for)."""
    return render_brief(gather(con, indicator, as_of, lang, now, district), formats)


def render_brief(b: Brief, formats=("pdf", "png")) -> dict[str, bytes]:
    """A gathered brief drawn as {"pdf": bytes, "png": bytes} (needs no store)."""
    drawing = render.renderer()
    svg = drawing.figure(b.chart, "svg", width=CHART_WIDTH, height=int(b.chart.layout.height)).decode("utf-8")
    return drawing.page(page_html(b, _svg_body(svg)), pdf="pdf" in formats, png="png" in formats)


def file_name(indicator_name: str, as_of: dt.date, lang: str, suffix: str) -> str:
    """review_brief_<indicator>_<dd-mm-yyyy>.pdf (in the language's words; safe on any system)."""
    stem = store.UNSAFE_IN_FILE_NAME.sub("_", t("brief.file", lang, indicator=indicator_name, date=fmt.date(as_of)))
    return f"{stem.strip('_')}.{suffix}"
