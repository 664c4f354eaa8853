"""Households: the door-to-door survey. Ayushman card coverage by block, panchayat and tola, the
tolas with the most families left (SC and ST tolas marked), each worker's survey progress, the
households left block by block (an Excel for the ASHAs), and the families not yet in an SHG.
Names of household heads are shown to the operator only."""

import datetime as dt

import streamlit as st

from pages import _shared as ui
from samiksha import figures, fmt, settings
from samiksha.kinds import households

ALL = ui.ALL
TOP_TOLAS = 25
COVERAGE_COLUMNS = {"block": "text", "panchayat": "text", "households": "int", "members": "int",
                    "members_carded": "int", "pct": "pct", "none_carded": "int", "some_left": "int"}
TOLA_COLUMNS = {"block": "text", "panchayat": "text", "tola": "text", "group_text": "text", "households": "int",
                "households_left": "int", "members_left": "int", "pct": "pct", "status_name": "text"}
WORKER_COLUMNS = {"worker_id": "text", "worker_name": "text", "block": "text", "panchayat": "text",
                  "households": "int", "members": "int", "pct": "pct", "households_left": "int",
                  "last_survey": "date"}
LEFT_COLUMNS = {"block": "text", "panchayat": "text", "village": "text", "tola": "text", "head_name": "text",
                "ration_card": "text", "group_text": "text", "members": "int", "members_left": "int",
                "worker_id": "text", "survey_date": "date"}
OUTREACH_COLUMNS = {"block": "text", "panchayat": "text", "households": "int", "not_in_shg": "int",
                    "not_in_shg_pct": "pct"}

con = ui.chrome("households.title")
span = households.survey_span(con)
if span is None:
    ui.nothing_yet("households.no_register", "households.how_to_add")
first, last = span
lang = ui.lang()
names_shown = ui.is_operator() and not ui.meeting()  # names of people: the operator's only
pick = st.columns([1, 1, 1, 1])
as_of = pick[0].date_input(ui.tr("households.as_of"), value=last, min_value=first,
                           max_value=max(last, dt.date.today()), format="DD-MM-YYYY", key=ui.wkey("households_as_of"),
                           help=ui.tr("households.as_of_help"))
district = ui.district()
summary = ui.query(con, "household_summary", as_of=as_of, district=district).iloc[0]
if not summary["households"]:
    st.info(ui.tr("households.none_by_then", date=fmt.date(as_of), first=fmt.date(first)))
    st.stop()
label_of, _ = ui.block_label(con)
limits = settings.thresholds(con)
group = lambda g: households.group_name(g, lang)  # noqa: E731 - a social group in words

# --- The district at a glance ----------------------------------------------------------------
cells = st.columns(6)
cells[0].metric(ui.tr("households.surveyed"), fmt.number(summary["households"]),
                ui.tr("households.members_delta", members=fmt.number(summary["members"])),
                delta_color="off", delta_arrow="off")
cells[1].metric(ui.tr("households.pct"), fmt.pct(summary["pct"]),
                ui.tr("households.carded_delta", carded=fmt.number(summary["members_carded"])),
                delta_color="off", delta_arrow="off", help=ui.tr("households.pct_help"))
cells[2].metric(ui.tr("col.some_left"), fmt.number(summary["some_left"]),
                ui.tr("households.members_left_delta", left=fmt.number(summary["members_left"])),
                delta_color="off", delta_arrow="off", help=ui.tr("households.some_left_help"))
cells[3].metric(ui.tr("col.none_carded"), fmt.number(summary["none_carded"]), help=ui.tr("households.none_help"))
cells[4].metric(ui.tr("households.sc_st_pct"), fmt.pct(summary["sc_st_pct"]),
                ui.tr("households.sc_st_delta", count=fmt.number(summary["sc_st_households"])),
                delta_color="off", delta_arrow="off")
cells[5].metric(ui.tr("col.not_in_shg"), fmt.number(summary["not_in_shg"]), help=ui.tr("households.shg_help"))
st.caption(ui.tr("households.source", first=fmt.date(summary["first_survey"]), last=fmt.date(summary["last_survey"]),
                 workers=fmt.number(summary["workers"]), date=fmt.date(as_of)))

tabs = st.tabs([ui.tr("households.tab_coverage"), ui.tr("households.tab_tolas", count=fmt.number(summary["tolas_red"])),
                ui.tr("households.tab_left", count=fmt.number(summary["some_left"])), ui.tr("households.tab_workers"),
                ui.tr("households.tab_shg")])

# --- Coverage by block and panchayat ---------------------------------------------------------------
with tabs[0]:
    blocks = ui.query(con, "household_coverage", as_of=as_of, level="block", district=district)
    blocks = blocks.sort_values(["pct", "block"], na_position="last").reset_index(drop=True)
    st.markdown(ui.tr("households.blocks_intro"))
    with ui.section():  # fails alone; the rest of the page is drawn
        ui.show_sortable(ui.labelled(con, blocks), {k: v for k, v in COVERAGE_COLUMNS.items() if k != "panchayat"},
                         key="households_block_table")
    ui.download_excel({ui.tr("households.sheet_blocks"): ui.labelled(con, blocks)}, COVERAGE_COLUMNS,
                      file_name=f"{ui.tr('households.file_blocks')}_{fmt.date(as_of)}.xlsx",
                      key="households_blocks_excel")
    names = list(blocks["block"])
    chosen = ui.pick_filter(st, "households_block", ui.tr("col.block"), [ALL, *names],
                            ui.tr("households.all_blocks"), label_of)
    panchayats = ui.query(con, "household_coverage", as_of=as_of, level="panchayat", district=district)
    if chosen != ALL:
        panchayats = panchayats[panchayats["block"] == chosen]
    panchayats = panchayats.sort_values(["pct", "block", "panchayat"], na_position="last").reset_index(drop=True)
    with ui.section():  # fails alone; the rest of the page is drawn
        ui.show_sortable(ui.labelled(con, panchayats), COVERAGE_COLUMNS, key="households_panchayat_table")
    ui.download_excel({ui.tr("households.sheet_panchayats"): ui.labelled(con, panchayats)}, COVERAGE_COLUMNS,
                      file_name=f"{ui.tr('households.file_panchayats')}_{fmt.date(as_of)}.xlsx",
                      key="households_panchayats_excel")

# --- Tolas with the most families left --------------------------------------------------------------
with tabs[1]:
    tolas = ui.query(con, "tola_coverage", as_of=as_of, district=district)
    tolas = tolas.assign(group_text=[("● " if g in ("sc", "st") else "") + group(g) for g in tolas["social_group"]],
                         status_name=[figures.status_name(s, lang, limits) for s in tolas["status"]])
    ranked = tolas.sort_values(["households_left", "pct"], ascending=[False, True], na_position="last")
    ranked = ranked[ranked["households_left"] > 0].head(TOP_TOLAS).reset_index(drop=True)
    st.markdown(ui.tr("households.tolas_intro", count=len(ranked), tolas=fmt.number(summary["tolas"]),
                      red=fmt.number(summary["tolas_red"])))
    with ui.section():  # fails alone; the rest of the page is drawn
        ui.show_sortable(ui.labelled(con, ranked), TOLA_COLUMNS, key="households_tola_table",
                         highlight=[g in ("sc", "st") for g in ranked["social_group"]])
    st.caption(ui.tr("households.tolas_marked"))
    ui.download_excel({ui.tr("households.sheet_tolas"): ui.labelled(con, tolas)}, TOLA_COLUMNS,
                      file_name=f"{ui.tr('households.file_tolas')}_{fmt.date(as_of)}.xlsx",
                      key="households_tolas_excel")

# --- Households left, block by block (for the ASHAs) ------------------------------------------------
with tabs[2]:
    left_block = ui.pick_filter(st, "households_left_block", ui.tr("households.left_block"),
                                [ALL, *sorted(names, key=label_of)],
                                ui.tr("households.all_blocks"), label_of)
    left = ui.query(con, "households_left", as_of=as_of, block=None if left_block == ALL else left_block,
                    district=district)
    left = ui.labelled(con, left.assign(group_text=left["social_group"].map(group)))
    columns = LEFT_COLUMNS if names_shown else {k: v for k, v in LEFT_COLUMNS.items() if k != "head_name"}
    where = label_of(left_block) if left_block != ALL else ui.tr("households.district")
    st.markdown(ui.tr("households.left_intro", count=fmt.number(len(left)), where=where,
                      members=fmt.number(int(left["members_left"].sum()) if len(left) else 0)))
    if not names_shown:
        st.caption(ui.tr("households.names_operator_only"))
    ui.show_list(left, columns, "households_left_table", "households.rows_shown")
    ui.per_block_downloads(left, columns, f"{ui.tr('households.file_left')}_{fmt.date(as_of)}", "households_left",
                           ui.tr("households.excel_per_block"), ui.tr("households.sheet_empty"))

# --- Each worker's survey progress -------------------------------------------------------------------
with tabs[3]:
    workers = ui.query(con, "household_workers", as_of=as_of, district=district)
    columns = WORKER_COLUMNS if names_shown else {k: v for k, v in WORKER_COLUMNS.items() if k != "worker_name"}
    st.markdown(ui.tr("households.workers_intro", count=fmt.number(len(workers))))
    with ui.section():  # fails alone; the rest of the page is drawn
        ui.show_sortable(ui.labelled(con, workers), columns, key="households_worker_table")
    ui.per_block_downloads(ui.labelled(con, workers), columns, f"{ui.tr('households.file_workers')}_{fmt.date(as_of)}",
                           "households_workers", ui.tr("households.excel_per_block"), ui.tr("households.sheet_empty"))

# --- Families not in an SHG ---------------------------------------------------------------------------
with tabs[4]:
    outreach = ui.query(con, "shg_outreach", as_of=as_of, district=district)
    outreach = outreach.sort_values(["not_in_shg", "block", "panchayat"], ascending=[False, True, True])
    st.markdown(ui.tr("households.shg_intro", count=fmt.number(summary["not_in_shg"])))
    with ui.section():  # fails alone; the rest of the page is drawn
        ui.show_sortable(ui.labelled(con, outreach).reset_index(drop=True), OUTREACH_COLUMNS,
                         key="households_shg_table")
    ui.download_excel({ui.tr("households.sheet_shg"): ui.labelled(con, outreach)}, OUTREACH_COLUMNS,
                      file_name=f"{ui.tr('households.file_shg')}_{fmt.date(as_of)}.xlsx", key="households_shg_excel")
