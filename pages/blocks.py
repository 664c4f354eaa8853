"""Blocks: every block ranked against its target, the table behind it, and a drill-down
into one block's panchayats and its day-by-day trend."""

import pandas as pd
import streamlit as st

from pages import _shared as ui
from samiksha import figures, fmt, queries, settings, store

BLOCK_COLUMNS = {"rank": "int", "block": "text", "target": "int", "achieved": "int", "pct": "pct",
                 "achieved_today": "int", "gap": "int", "required_per_day": "int", "status_name": "text",
                 "last_report": "date"}
PANCHAYAT_COLUMNS = {"panchayat": "text", "target": "int", "achieved": "int", "pct": "pct",
                     "achieved_today": "int", "gap": "int", "below_minimum": "bool", "status_name": "text"}
CLICK_KEY = "block_chart_click"  # the last bar click applied to the block picker

con = ui.chrome("blocks.title")
ui.guard_data(con)
indicator, as_of, spare = ui.pickers(con)
ui.unmatched_warning(con, indicator, as_of)
sort_names = {key: ui.tr(f"blocks.sort_{key}") for key in figures.SORTS}
# On a shared screen the weakest blocks come first: the top of the chart is what 1280×720 shows.
default_sort = "weakest" if ui.meeting() else "pct"
sort = spare.radio(ui.tr("blocks.sort"), figures.SORTS, format_func=sort_names.get, horizontal=True,
                   index=figures.SORTS.index(st.session_state.get(ui.SORT_KEY, default_sort)), key=ui.wkey("block_sort"))
if sort != default_sort or ui.SORT_KEY in st.session_state:
    st.session_state[ui.SORT_KEY] = sort
limits = settings.thresholds(con)
blocks = ui.query(con, "block_review", indicator=indicator, as_of=as_of)
blocks["status_name"] = [figures.status_name(s, ui.lang(), limits) for s in blocks["status"]]
summary = ui.query(con, "district_review", indicator=indicator, as_of=as_of).iloc[0]
ctx = ui.figure_context(con, indicator, as_of)
label_of, name_of = ui.block_label(con)  # Hindi names in the Hindi view

event = None
with ui.section():  # a chart that fails does not take the table and the drill-down with it
    event = ui.show_figure(figures.block_ranking(ui.labelled(con, blocks), ctx, summary["pct"], sort, limits),
                           key="block_chart", select=True)
points = (event or {}).get("selection", {}).get("points", []) if event else []
clicked = name_of.get(points[0].get("y"), points[0].get("y")) if points else None
if clicked and clicked != st.session_state.get(CLICK_KEY) and clicked in set(blocks["block"]):
    st.session_state[ui.BLOCK_KEY] = clicked
    st.session_state[ui.wkey("drill_choice")] = clicked  # the picker follows the click
st.session_state[CLICK_KEY] = clicked
st.caption(ui.tr("blocks.chart_help", district=fmt.pct(summary["pct"])))

with ui.section():
    ordered = ui.labelled(con, figures.sort_blocks(blocks, sort))
    ui.show_sortable(ordered, BLOCK_COLUMNS, key="block_table", every_row=True)
    ui.download_excel({ui.tr("blocks.sheet"): ordered}, BLOCK_COLUMNS,
                      file_name=f"{ui.tr('blocks.file')}_{store.safe_file_name(ui.indicator_name(indicator, con))}"
                                f"_{fmt.date(as_of)}.xlsx", key="block_excel")

# --- Drill-down: one block ------------------------------------------------------------
st.divider()
st.subheader(ui.tr("blocks.drill_title"))
names = list(blocks.sort_values("rank", na_position="last")["block"])
current = st.session_state.get(ui.BLOCK_KEY)
if st.session_state.get(ui.wkey("drill_choice")) not in names:  # first visit, other language, other data
    st.session_state[ui.wkey("drill_choice")] = current if current in names else names[-1]  # the weakest first
block = st.selectbox(ui.tr("blocks.pick_block"), names, key=ui.wkey("drill_choice"),
                     format_func=label_of, help=ui.tr("blocks.pick_block_help"))
st.session_state[ui.BLOCK_KEY] = block
row = blocks[blocks["block"] == block].iloc[0]
cells = st.columns(5)
cells[0].metric(ui.tr("overview.target"), fmt.number(row["target"]))
cells[1].metric(ui.tr("overview.achieved"), fmt.number(row["achieved"]))
cells[2].metric(ui.tr("overview.pct"), fmt.pct(row["pct"]), help=row["status_name"])
cells[3].metric(ui.tr("blocks.rank"), f"{int(row['rank'])} / {len(blocks)}")
cells[4].metric(ui.tr("overview.required"), fmt.number(row["required_per_day"]))

minimum = settings.panchayat_minimum(con)
panchayats = ui.query(con, "panchayat_review", indicator=indicator, as_of=as_of, block=block)
if panchayats.empty:
    st.info(ui.tr("blocks.no_panchayats", block=label_of(block)))
else:
    panchayats["status_name"] = [figures.status_name(s, ui.lang(), limits) for s in panchayats["status"]]
    under = int(panchayats["below_minimum"].sum())
    st.markdown(ui.tr("blocks.under_minimum", count=under, total=len(panchayats), minimum=minimum))
    panchayats = ui.labelled(con, panchayats)
    with ui.section():
        ui.show_figure(figures.panchayat_ranking(panchayats, ctx, label_of(block), minimum, limits),
                       key="panchayat_chart")
    shown = panchayats.sort_values(["below_minimum", "pct"], ascending=[False, True], na_position="last")
    ui.show_sortable(shown.reset_index(drop=True), PANCHAYAT_COLUMNS, key="panchayat_table",
                     highlight=shown["below_minimum"].fillna(False).tolist())
    ui.download_excel({block: shown}, {"block": "text", **PANCHAYAT_COLUMNS},
                      file_name=f"{ui.tr('blocks.panchayat_file')}_{store.safe_file_name(block)[:60]}_{fmt.date(as_of)}.xlsx", key="panchayat_excel")

trend = ui.query(con, "progress_trend", indicator=indicator, as_of=as_of, block=block)
if not trend.empty:
    deadline = row["deadline"]
    with ui.section():
        ui.show_figure(figures.trend(trend, ctx, target=row["target"],
                                     place=ui.tr("blocks.block_place", block=label_of(block)),
                                     deadline=None if fmt.missing(deadline) else pd.Timestamp(deadline).date(),
                                     start=queries.campaign_start(con, indicator)),
                       key="block_trend")
