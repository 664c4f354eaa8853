"""Overview: for each indicator, where the district stands at its latest report date."""

import streamlit as st

from pages import _shared as ui
from samiksha import brief, figures, fmt, queries, store
from samiksha.kinds import households

con = ui.chrome("overview.title")
if ui.is_operator() and not ui.meeting() and not store.scalar(con, "SELECT count(*) FROM places_current"):
    with st.container(border=True, key="first_district"):  # first start: no list of places at all
        st.markdown(f"**{ui.tr('overview.pick_district')}**")
        ui.district_picker(con, key="first_lgd")
ui.guard_data(con)


def household_line() -> None:
    """The household survey's headline, when a register is loaded."""
    span = households.survey_span(con)
    if span is None:
        return
    row = ui.query(con, "household_summary", as_of=span[1], district=ui.district()).iloc[0]
    if not row["households"]:
        return
    st.markdown(ui.tr("overview.households", date=fmt.date(span[1]), households=fmt.number(row["households"]),
                      pct=fmt.pct(row["pct"]), left=fmt.number(row["some_left"]), red=fmt.number(row["tolas_red"]),
                      tolas=fmt.number(row["tolas"])))
    ui.link("pages/households.py", ui.tr("nav.households"), ":material/home:")


def metrics(summary, as_of) -> None:
    target = summary["target"]
    first, second = st.columns(4), st.columns(4)
    first[0].metric(ui.tr("overview.target"), ui.tr("overview.no_target") if fmt.missing(target) else fmt.number(target))
    first[1].metric(ui.tr("overview.achieved"), fmt.number(summary["achieved"]))
    first[2].metric(ui.tr("overview.pct"), fmt.pct(summary["pct"]))
    change = summary["change_from_previous"]
    first[3].metric(ui.tr("overview.today", date=as_of), fmt.number(summary["achieved_today"]),
                    delta=None if fmt.missing(change) else ui.tr("overview.change", change=_signed(change),
                                                                   date=summary["previous_date"].date()),
                    delta_color="normal" if not fmt.missing(change) else "off")
    second[0].metric(ui.tr("overview.deadline"), fmt.date(summary["deadline"]))
    second[1].metric(ui.tr("overview.required"), brief.required_text(summary, as_of, ui.lang()))
    second[2].metric(ui.tr("overview.pace"), fmt.number(summary["pace_per_day"]))
    finish, note, colour = brief.finish_text(summary, ui.lang())
    second[3].metric(ui.tr("overview.finish"), finish, delta=note, delta_color=colour,
                     delta_arrow={"green": "up", "red": "down"}.get(colour, "off") if note else "auto")


def _signed(value) -> str:
    return ("+" if value > 0 else "") + fmt.number(value)


def block_lists(blocks) -> None:
    """The five lowest and five highest blocks by % achieved, named."""
    ranked = blocks[blocks["pct"].notna()]
    high = max(0, min(5, len(ranked) - 5))  # with fewer than ten blocks, none is in both lists
    for title, rows in (("overview.lowest", ranked.tail(5).iloc[::-1]), ("overview.highest", ranked.head(high))):
        if rows.empty and title == "overview.highest":
            continue
        lines = [f"{int(r.rank)}\\. {ui.md(r.block)} — **{fmt.pct(r.pct)}**" for r in rows.itertuples()]
        st.markdown(f"**{ui.tr(title)}**  \n" + ("  \n".join(lines) or ui.tr("overview.no_targets_yet")))


def indicator_card(indicator: str) -> None:
    as_of = queries.latest_date(con, indicator)
    if as_of is None:
        return
    summary = ui.query(con, "district_review", indicator=indicator, as_of=as_of).iloc[0]
    blocks = ui.labelled(con, ui.query(con, "block_review", indicator=indicator, as_of=as_of))
    trend = ui.query(con, "progress_trend", indicator=indicator, as_of=as_of)
    ctx = ui.figure_context(con, indicator, as_of)
    with st.container(border=True, key=f"indicator_{indicator}"):
        st.subheader(f"{ctx.indicator} · {ui.tr('overview.as_of')} {fmt.date(as_of)}")
        ui.unmatched_warning(con, indicator, as_of)
        figures_col, blocks_col = st.columns([3.5, 1] if ui.meeting() else [3, 1.25])  # meeting: larger numbers
        with figures_col, ui.section():
            metrics(summary, as_of)
        with blocks_col, ui.section():
            block_lists(blocks)
            reported = int((blocks["last_report"].dt.date == as_of).sum())
            st.caption(ui.tr("overview.blocks_reported", reported=reported, blocks=len(blocks), date=as_of))
            ui.link("pages/blocks.py", ui.tr("overview.open_blocks"), ":material/leaderboard:")
        with ui.section():
            ui.show_figure(figures.trend(trend, ctx, target=summary["target"], pace=summary["pace_per_day"],
                                         deadline=None if fmt.missing(summary["deadline"])
                                         else summary["deadline"].date(),
                                         start=queries.campaign_start(con, indicator), daily=False),
                           key=f"trend_{indicator}")
        st.caption(ui.tr("overview.caption", date=as_of, time=ctx.uploaded_up_to or ""))
        ui.brief_buttons(indicator, as_of, ctx.indicator)


for each in queries.indicators_with_data(con):
    with ui.section():  # one indicator's card fails alone
        indicator_card(each)
with ui.section():  # fails alone
    household_line()
