"""Reporting: which blocks sent the day's report by the cut-off (5 PM), which came late, which
are missing; the last two weeks block by block, and a reminder to paste in the block
officers' WhatsApp group."""

import datetime as dt

import pandas as pd
import streamlit as st

from pages import _shared as ui
from samiksha import compliance, figures, fmt, queries

TABLE_COLUMNS = {"block": "text", "status_text": "text", "uploaded_at": "datetime", "late_by": "text",
                 "on_time_days": "int", "late_days": "int", "missing_days": "int"}
DAY_CHOICES = (7, 14, 30)

con = ui.chrome("reporting.title")
ui.guard_data(con)
lang = ui.lang()
row = st.columns([2, 1, 1, 2])
indicator = ui.pick_indicator(con, row[0])
now = fmt.now_ist()
shown_day = compliance.day_to_show(con, indicator, now.date())
if shown_day is None:
    st.info(ui.tr("blocks.no_reports", indicator=ui.indicator_name(indicator, con)))
    st.stop()
first = queries.report_dates(con, indicator)[-1]
report_date = row[1].date_input(ui.tr("reporting.date"), value=shown_day, min_value=first,
                                max_value=max(now.date(), shown_day), format="DD-MM-YYYY",
                                key=f"reporting_date_{indicator}")
days = row[2].selectbox(ui.tr("reporting.days"), DAY_CHOICES, index=1, key=ui.wkey("reporting_days"),
                        format_func=lambda n: ui.tr("reporting.days_n", days=n))
cutoff = compliance.cutoff(con)
cutoff_text = compliance.fmt_time(cutoff, lang)
label_of, _ = ui.block_label(con)
blocks_hi, _ = queries.place_labels(con, "hi")
today = compliance.day(con, indicator, report_date, now, ui.district(), run=ui.query)
name = ui.indicator_name(indicator, con)

# --- Today's blocks, named at the top --------------------------------------------------------------
if today.missing:
    names = ", ".join(label_of(b) for b in today.missing)
    key = "reporting.missing_after" if today.cutoff_passed else "reporting.missing_before"
    (st.error if today.cutoff_passed else st.warning)(
        ui.tr(key, count=len(today.missing), date=fmt.date(report_date), blocks=names, cutoff=cutoff_text,
              indicator=name), icon=":material/notification_important:")
elif today.holiday:
    st.info(ui.tr("reporting.holiday_day", date=fmt.date(report_date),
                  name=compliance.holidays(con).get(report_date, "")), icon=":material/event_busy:")
else:
    st.success(ui.tr("reporting.all_in", date=fmt.date(report_date), indicator=name), icon=":material/check_circle:")
if today.late:
    late = ", ".join(f"{label_of(b)} ({compliance.time_of(when)}, "
                     f"{compliance.late_by(when, report_date, cutoff, lang)})" for b, when in today.late)
    st.warning(ui.tr("reporting.late_list", count=len(today.late), blocks=late, cutoff=cutoff_text),
               icon=":material/schedule:")

cells = st.columns(4)
expected = len(today.on_time) + len(today.late) + len(today.missing)
cells[0].metric(ui.tr("reporting.on_time"), fmt.number(len(today.on_time)),
                ui.tr("reporting.of_blocks", count=fmt.number(expected)), delta_color="off", delta_arrow="off")
cells[1].metric(ui.tr("reporting.late"), fmt.number(len(today.late)))
cells[2].metric(ui.tr("reporting.missing"), fmt.number(len(today.missing)))
cells[3].metric(ui.tr("reporting.cutoff"), cutoff_text, help=ui.tr("reporting.cutoff_help"))

# --- The reminder for the WhatsApp group ---------------------------------------------------------
if today.missing and not ui.meeting():  # the operator's message for the group, not the shared screen's
    st.subheader(ui.tr("reporting.reminder"))
    which = st.radio(ui.tr("reporting.reminder_lang"), ("hi", "en"), index=0 if lang == "hi" else 1, horizontal=True,
                     format_func=lambda code: ui.LANG_NAMES[code], key=ui.wkey("reporting_reminder_lang"))
    text = compliance.reminder(con, indicator, today, which, blocks_hi if which == "hi" else {}, ui.district())
    st.code(text, language=None, wrap_lines=True)
    st.caption(ui.tr("reporting.reminder_help"))

# --- Blocks × days -----------------------------------------------------------------------------------
grid = compliance.grid(con, indicator, report_date, days, ui.district(), run=ui.query)
ctx = figures.Context(lang, name, report_date, compliance.uploaded_up_to(con, indicator, report_date),
                      ui.district_name(con), source_key="figure.reporting_source")
labels, _ = queries.place_labels(con, lang)
with ui.section():  # fails alone; the rest of the page is drawn
    ui.show_figure(figures.reporting_grid(grid, ctx, cutoff_text, labels), key="reporting_grid_chart")
first_shown = pd.Timestamp(grid["report_date"].min()).date()
holidays = {d: n for d, n in compliance.holidays(con).items() if first_shown <= d <= report_date}
if holidays:
    st.caption(ui.tr("reporting.holidays_shown", days=", ".join(f"{fmt.date(d)} {n}".strip() for d, n in holidays.items())))

# --- The table: the day, and the days shown ----------------------------------------------------------
counts = grid.pivot_table(index="block", columns="status", values="report_date", aggfunc="count", fill_value=0)
day_rows = grid[grid["report_date"] == pd.Timestamp(report_date)].set_index("block")
table = pd.DataFrame({"block": day_rows.index, "status": day_rows["status"].values,
                      "uploaded_at": day_rows["uploaded_at"].values})
table["status_text"] = table["status"].map(lambda s: f"{figures.REPORT_MARKS[s]} {ui.tr('reporting.status_' + s)}")
table["late_by"] = [compliance.late_by(pd.Timestamp(w).to_pydatetime(), report_date, cutoff, lang) if s == "late" else ""
                    for s, w in zip(table["status"], table["uploaded_at"], strict=True)]
for status in ("on_time", "late", "missing"):
    table[f"{status}_days"] = table["block"].map(counts.get(status, {})).fillna(0).astype(int)
# the day's status (missing first), then the blocks that missed and were late most
table["order"] = table["status"].map({"missing": 0, "late": 1, "holiday": 2, "on_time": 3})
table = table.sort_values(["order", "missing_days", "late_days", "block"],
                          ascending=[True, False, False, True]).reset_index(drop=True)
st.markdown(ui.tr("reporting.table_intro", date=fmt.date(report_date), days=fmt.number(grid["report_date"].nunique())))
shown = ui.labelled(con, table)
with ui.section():  # fails alone; the rest of the page is drawn
    ui.show_sortable(shown, TABLE_COLUMNS, key="reporting_table")
ui.download_excel({ui.tr("reporting.sheet"): shown}, TABLE_COLUMNS,
                  file_name=f"{ui.tr('reporting.file')}_{fmt.date(report_date)}.xlsx", key="reporting_excel")
st.caption(ctx.source())
if report_date == now.date() and not today.cutoff_passed:
    left = dt.datetime.combine(report_date, cutoff) - now
    st.caption(ui.tr("reporting.cutoff_in", hours=left.seconds // 3600, minutes=f"{left.seconds % 3600 // 60:02d}"))
