"""Channels and camp days: who makes the cards (ASHA, VLE, camp, ration dealer …) block by
block, and a campaign period (such as a 3-day special drive) day by day."""

import datetime as dt

import pandas as pd
import streamlit as st

from pages import _shared as ui
from samiksha import figures, fmt, queries, settings, store

CHANNEL_COLUMNS = {"block": "text", "channel_name": "text", "achieved": "int", "share_pct": "pct",
                   "achieved_today": "int"}
DRIVE_KEY = "drive_range"

con = ui.chrome("campaign.title")
ui.guard_data(con)
indicator, as_of, spare = ui.pickers(con)
ctx = ui.figure_context(con, indicator, as_of)

# --- Channels ------------------------------------------------------------------------------
st.subheader(ui.tr("campaign.channels"))
by_channel = ui.labelled(con, ui.query(con, "channel_progress", indicator=indicator, as_of=as_of))
if by_channel["channel"].isna().all():
    st.info(ui.tr("campaign.no_channels"))
else:
    shares = ui.query(con, "channel_share", indicator=indicator, as_of=as_of)
    with ui.section():  # fails alone; the rest of the page is drawn
        ui.show_figure(figures.channel_share(shares, ctx), key="channel_share")
    with ui.section():  # fails alone; the rest of the page is drawn
        ui.show_figure(figures.channel_stack(by_channel, ctx), key="channel_stack")
    by_channel["channel_name"] = [figures.channel_label(c, ui.lang()) for c in by_channel["channel"]]
    with st.expander(ui.tr("campaign.channel_table")):
        with ui.section():  # fails alone; the rest of the page is drawn
            ui.show_sortable(by_channel, CHANNEL_COLUMNS, key="channel_table")
        ui.download_excel({ui.tr("campaign.channel_sheet"): by_channel}, CHANNEL_COLUMNS,
                          file_name=f"{ui.tr('campaign.channel_file')}_{store.safe_file_name(ui.indicator_name(indicator, con))}_{fmt.date(as_of)}.xlsx",
                          key="channel_excel")

# --- Campaign days -------------------------------------------------------------------------
st.divider()
st.subheader(ui.tr("campaign.drive"))
dates = sorted(queries.report_dates(con, indicator))
drive = settings.drive(con)
if drive and dates[0] <= drive.end and drive.start <= dates[-1]:
    default = (max(drive.start, dates[0]), min(drive.end, dates[-1]))
else:
    default = (max(dates[0], as_of - dt.timedelta(days=2)), as_of)
    drive = None
picked = st.date_input(ui.tr("campaign.drive_dates"), value=default, min_value=dates[0], max_value=dates[-1],
                       format="DD-MM-YYYY", key=DRIVE_KEY, help=ui.tr("campaign.drive_help"))
if not isinstance(picked, (tuple, list)) or len(picked) != 2:
    st.info(ui.tr("campaign.pick_end"))
    st.stop()
start, end = picked
name = drive.name_in(ui.lang()) if drive and (start, end) == (drive.start, drive.end) else ""
days = ui.labelled(con, ui.query(con, "drive_days", indicator=indicator, from_date=start, to_date=end))
if days.empty:
    st.info(ui.tr("campaign.no_drive_data"))
    st.stop()
with ui.section():  # fails alone; the rest of the page is drawn
    ui.show_figure(figures.drive_days(days, ctx, name), key="drive_chart")
st.caption(ui.tr("campaign.drive_target_help", minimum=settings.panchayat_minimum(con)))

wide = days.pivot_table(index="block", columns="report_date", values="achieved_day", aggfunc="sum")
day_columns = {}
for day in wide.columns:
    label = fmt.date(pd.Timestamp(day).date())
    day_columns[label] = wide[day]
table = pd.DataFrame(day_columns)
totals = days.groupby("block").agg(drive_achieved=("drive_achieved", "max"), drive_target=("drive_target", "max"))
table = table.join(totals)
table["pct"] = [round(a * 100.0 / t, 1) if not fmt.missing(t) and t else None
                for a, t in zip(table["drive_achieved"], table["drive_target"])]
table = table.reset_index().sort_values("pct", ascending=False, na_position="last")
shown = {"block": "text", **{label: "int" for label in day_columns}, "drive_achieved": "int",
         "drive_target": "int", "pct": "pct"}
with ui.section():  # fails alone; the rest of the page is drawn
    ui.show_sortable(table, shown, key="drive_table")
ui.download_excel({ui.tr("campaign.drive_sheet"): table}, shown,
                  file_name=f"{ui.tr('campaign.drive_file')}_{store.safe_file_name(ui.indicator_name(indicator, con))}_{fmt.date(start)}_{fmt.date(end)}.xlsx",
                  key="drive_excel")
