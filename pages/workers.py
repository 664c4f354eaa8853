"""Workers: ASHA and Anganwadi workers' login IDs and training against the deadlines, the
supervisors' spans, who made no card in the last 7 days (block by block, for the MOICs) and
who made the most."""

import pandas as pd
import streamlit as st

from pages import _shared as ui
from samiksha import figures, fmt, workers

ALL = ui.ALL
BLOCK_COLUMNS = {"block": "text", "workers": "int", "id_active": "int", "active_pct": "pct", "trained": "int",
                 "trained_pct": "pct", "supervisors": "int", "workers_per_supervisor": "text", "zero_output": "int",
                 "cards_7d": "int"}
ZERO_COLUMNS = {"block": "text", "panchayat": "text", "worker_name": "text", "worker_id": "text", "role_text": "text",
                "supervisor": "text", "last_card_date": "date", "cards_total": "int"}
TOP_COLUMNS = {"block": "text", "panchayat": "text", "worker_name": "text", "worker_id": "text", "role_text": "text",
               "supervisor": "text", "cards_7d": "int", "cards_total": "int"}
PENDING_COLUMNS = {"block": "text", "panchayat": "text", "worker_name": "text", "worker_id": "text", "role_text": "text",
                   "supervisor": "text", "active_text": "text", "trained_text": "text", "training_date": "date"}
SUPERVISOR_COLUMNS = {"block": "text", "supervisor": "text", "workers": "int", "zero_output": "int", "cards_7d": "int",
                      "span_flag": "text"}
UNKNOWN_COLUMNS = {"worker_id": "text", "worker_name": "text", "block_written": "text", "cards": "int", "days": "int",
                   "first_date": "date", "last_date": "date"}

con = ui.chrome("workers.title")
if not workers.has_roster(con):
    ui.nothing_yet("workers.no_roster", "workers.how_to_add")
lang = ui.lang()
dates = ui.known(con, workers.output_dates) or [fmt.now_ist().date()]
pick = st.columns([1, 1, 2])
as_of = pick[0].selectbox(ui.tr("pick.as_of"), dates, format_func=fmt.date, key="workers_as_of",
                          help=ui.tr("workers.as_of_help"))
status = ui.query(con, "worker_status", as_of=as_of)
review = ui.query(con, "worker_review", as_of=as_of, block=None)
unknown = ui.query(con, "worker_output_unknown", as_of=as_of)
limits = workers.deadlines(con)
label_of, _ = ui.block_label(con)
ctx = workers.context(con, as_of, lang, ui.district())


def pct(part, whole):
    return None if not whole else round(100.0 * part / whole, 1)


def deadline_line(deadline) -> str:
    if deadline is None:
        return ui.tr("workers.no_deadline")
    left = workers.days_left(deadline, as_of)
    key = "workers.days_left" if left > 0 else ("workers.due_today" if left == 0 else "workers.deadline_passed")
    return ui.tr(key, date=fmt.date(deadline), days=fmt.number(abs(left)))


# --- The district at a glance ---------------------------------------------------------------------
total = int(status["workers"].sum())
active, trained, zero = int(status["id_active"].sum()), int(status["trained"].sum()), int(status["zero_output"].sum())
supervisors = int(status["supervisors"].sum())  # per block, as worker_status counts them
cells = st.columns(5)
cells[0].metric(ui.tr("col.workers"), fmt.number(total), ui.tr("workers.roles", roles=", ".join(
    f"{workers.role_name(r, lang)} {fmt.number(n)}" for r, n in review["role"].fillna("").value_counts().items() if r)),
    delta_color="off", delta_arrow="off")
cells[1].metric(ui.tr("col.active_pct"), fmt.pct(pct(active, total)), deadline_line(limits.id_active),
                delta_color="off", delta_arrow="off", help=ui.tr("workers.count_of", count=fmt.number(active)))
cells[2].metric(ui.tr("col.trained_pct"), fmt.pct(pct(trained, total)), deadline_line(limits.trained),
                delta_color="off", delta_arrow="off", help=ui.tr("workers.count_of", count=fmt.number(trained)))
cells[3].metric(ui.tr("col.supervisors"), fmt.number(supervisors),
                ui.tr("workers.per_supervisor", ratio=fmt.number(total / supervisors, 1) if supervisors else "—"),
                delta_color="off", delta_arrow="off")
cells[4].metric(ui.tr("col.zero_output"), fmt.number(zero), ui.tr("workers.zero_of_active", count=fmt.number(active)),
                delta_color="off", delta_arrow="off", help=ui.tr("workers.zero_help"))

# Needed per day to meet the deadlines.
for deadline, done, key in ((limits.id_active, active, "workers.need_active"), (limits.trained, trained, "workers.need_trained")):
    left = workers.days_left(deadline, as_of)
    if deadline is not None and done < total:
        if left > 0:
            st.caption(ui.tr(key, count=fmt.number(total - done), date=fmt.date(deadline), days=fmt.number(left),
                             per_day=fmt.number(-(-(total - done) // left))))
        else:
            st.caption(ui.tr(key + "_late", count=fmt.number(total - done), date=fmt.date(deadline)))

days_with_output = int(review["days_reported_7d"].max()) if len(review) else 0
if days_with_output < workers.ZERO_OUTPUT_DAYS:
    st.warning(ui.tr("workers.output_short", days=days_with_output, date=fmt.date(as_of)), icon=":material/info:")
if len(unknown):
    st.warning(ui.tr("workers.unknown_ids", count=fmt.number(len(unknown)), cards=fmt.number(unknown["cards"].sum())),
               icon=":material/person_search:")

# --- By block --------------------------------------------------------------------------------------
blocks = status.copy()
blocks["active_pct"] = [pct(a, w) for a, w in zip(blocks["id_active"], blocks["workers"], strict=True)]
blocks["trained_pct"] = [pct(a, w) for a, w in zip(blocks["trained"], blocks["workers"], strict=True)]
blocks["cards_7d"] = blocks["block"].map(review.groupby("block")["cards_7d"].sum()).fillna(0).astype(int)
over = blocks["workers_per_supervisor"] > limits.span
blocks["workers_per_supervisor"] = [("⚠ " if flag else "") + (fmt.number(v, 1) if not fmt.missing(v) else "—")
                                    for v, flag in zip(status["workers_per_supervisor"], over, strict=True)]
with ui.section():  # fails alone; the rest of the page is drawn
    ui.show_chart("workers_chart", figures.worker_readiness, ui.labelled(con, blocks), ctx)
if over.any():
    st.warning(ui.tr("workers.span_over", span=limits.span,
                     blocks=", ".join(f"{label_of(b)} ({fmt.number(v, 1)})" for b, v in
                                      zip(status["block"][over], status["workers_per_supervisor"][over], strict=True))),
               icon=":material/group:")
ordered = blocks.sort_values(["zero_output", "block"], ascending=[False, True]).reset_index(drop=True)
with ui.section():  # fails alone; the rest of the page is drawn
    ui.show_sortable(ui.labelled(con, ordered), BLOCK_COLUMNS, key="workers_block_table")
ui.download_excel({ui.tr("workers.sheet_blocks"): ui.labelled(con, ordered)}, BLOCK_COLUMNS,
                  file_name=f"{ui.tr('workers.file_blocks')}_{fmt.date(as_of)}.xlsx", key="workers_blocks_excel")

# --- Lists ---------------------------------------------------------------------------------------------
TRAINED_WORDS = {(True, True): ui.tr("workers.trained_yes"), (True, False): ui.tr("workers.trained_yes"),
                 (False, True): ui.tr("workers.trained_later"), (False, False): ui.tr("workers.trained_no")}
names = sorted(status["block"], key=label_of)
block = ui.pick_filter(pick[1], "workers_block", ui.tr("col.block"), [ALL, *names], ui.tr("workers.all_blocks"),
                       label_of)
listed = review if block == ALL else review[review["block"] == block]


def worded(column: pd.Series, words) -> pd.Series:
    """Each value's words, worked out once per distinct value (a state's lakh of workers has a
    handful of roles and flags)."""
    return column.map({value: words(value) for value in column.drop_duplicates()})


listed = listed.assign(role_text=worded(listed["role"], lambda r: workers.role_name(r, lang)),
                       active_text=worded(listed["id_active"], lambda v: ui.tr("workers.active_" + str(v).lower())
                                          if not fmt.missing(v) else ui.tr("workers.not_recorded")),
                       trained_text=[TRAINED_WORDS[(bool(t), tr_ is True)]
                                     for t, tr_ in zip(listed["is_trained"], listed["trained"], strict=True)])
where = label_of(block) if block != ALL else ui.tr("workers.district")
zero_list = listed[listed["zero_output"]]
pending = listed[~listed["is_active"] | ~listed["is_trained"]]


tabs = st.tabs([ui.tr("workers.tab_zero", count=fmt.number(len(zero_list))), ui.tr("workers.tab_top"),
                ui.tr("workers.tab_pending", count=fmt.number(len(pending))), ui.tr("workers.tab_supervisors"),
                ui.tr("workers.tab_unknown", count=fmt.number(len(unknown)))])
with tabs[0]:
    st.markdown(ui.tr("workers.zero_intro", count=fmt.number(len(zero_list)), where=where, date=fmt.date(as_of)))
    shown = ui.labelled(con, zero_list).reset_index(drop=True)
    ui.show_list(shown, ZERO_COLUMNS, "workers_zero_table", "workers.rows_shown")
    ui.per_block_downloads(shown, ZERO_COLUMNS, f"{ui.tr('workers.file_zero')}_{fmt.date(as_of)}", "workers_zero",
                           ui.tr("workers.excel_per_block"), ui.tr("workers.sheet_empty"))

with tabs[1]:
    top = listed[listed["cards_7d"] > 0].sort_values(["cards_7d", "cards_total", "worker_id"],
                                                     ascending=[False, False, True]).head(workers.TOP_SHOWN)
    st.markdown(ui.tr("workers.top_intro", count=len(top), where=where, date=fmt.date(as_of)))
    with ui.section():  # fails alone; the rest of the page is drawn
        ui.show_sortable(ui.labelled(con, top).reset_index(drop=True), TOP_COLUMNS, key="workers_top_table")
    ui.download_excel({ui.tr("workers.sheet_top"): ui.labelled(con, top)}, TOP_COLUMNS,
                      file_name=f"{ui.tr('workers.file_top')}_{fmt.date(as_of)}.xlsx", key="workers_top_excel")

with tabs[2]:
    st.markdown(ui.tr("workers.pending_intro", where=where, active=fmt.number(int((~listed["is_active"]).sum())),
                      trained=fmt.number(int((~listed["is_trained"]).sum()))))
    shown = ui.labelled(con, pending).reset_index(drop=True)
    ui.show_list(shown, PENDING_COLUMNS, "workers_pending_table", "workers.rows_shown")
    ui.download_excel({ui.tr("workers.sheet_pending"): shown}, PENDING_COLUMNS,
                      file_name=f"{ui.tr('workers.file_pending')}_{fmt.date(as_of)}.xlsx", key="workers_pending_excel")

with tabs[3]:
    spans = (listed.assign(supervisor=listed["supervisor"].fillna(ui.tr("col.no_supervisor")))
             .groupby(["block", "supervisor"], as_index=False)
             .agg(workers=("worker_id", "count"), zero_output=("zero_output", "sum"), cards_7d=("cards_7d", "sum")))
    spans["span_flag"] = (spans["workers"] > limits.span).map({True: ui.tr("workers.over_span", span=limits.span),
                                                               False: ""})
    spans = spans.sort_values(["workers", "block"], ascending=[False, True]).reset_index(drop=True)
    st.markdown(ui.tr("workers.supervisors_intro", span=limits.span, where=where))
    ui.show_list(ui.labelled(con, spans), SUPERVISOR_COLUMNS, "workers_supervisor_table", "workers.rows_shown")
    ui.download_excel({ui.tr("workers.sheet_supervisors"): ui.labelled(con, spans)}, SUPERVISOR_COLUMNS,
                      file_name=f"{ui.tr('workers.file_supervisors')}_{fmt.date(as_of)}.xlsx",
                      key="workers_supervisor_excel")

with tabs[4]:
    if len(unknown):
        st.markdown(ui.tr("workers.unknown_intro"))
        ui.show_list(unknown, UNKNOWN_COLUMNS, "workers_unknown_table", "workers.rows_shown")
        ui.download_excel({ui.tr("workers.sheet_unknown"): unknown}, UNKNOWN_COLUMNS,
                          file_name=f"{ui.tr('workers.file_unknown')}_{fmt.date(as_of)}.xlsx", key="workers_unknown_excel")
    else:
        st.markdown(ui.tr("workers.unknown_none"))
st.caption(ctx.source())
