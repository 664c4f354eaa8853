"""SHGs: the inactive and stagnant self-help groups with the reasons for each, block by block
(for the DPM to send to each BPM), what changed since the previous register, and the
members' coverage: Ayushman card, insurance, credit linkage and bank account."""

import pandas as pd
import streamlit as st

from pages import _shared as ui
from samiksha import figures, fmt, queries, shg

ALL = ui.ALL
LIST_LIMIT = 60_000  # above this many SHGs (a state) the lists are shown one block at a time
INACTIVE_COLUMNS = {"block": "text", "panchayat": "text", "shg_name": "text", "reason_text": "text",
                    "shg_code": "text", "village": "text", "last_meeting": "date", "last_saving_date": "date",
                    "overdue": "int", "status": "text", "village_organisation": "text"}
STAGNANT_COLUMNS = {"block": "text", "panchayat": "text", "shg_name": "text", "reason_text": "text",
                    "shg_code": "text", "village": "text", "formation_date": "date", "savings": "int",
                    "compared_with": "date", "savings_before": "int", "credit_linkages": "int",
                    "village_organisation": "text"}
BLOCK_COLUMNS = {"block": "text", "shgs": "int", "inactive": "int", "inactive_pct": "pct", "stagnant": "int",
                 "stagnant_pct": "pct", "register_date": "date"}
COVERAGE_COLUMNS = {"block": "text", "shgs": "int", "members": "int", "members_ayushman": "int",
                    "ayushman_pct": "pct", "members_insured": "int", "insured_pct": "pct",
                    "not_credit_linked": "int", "no_bank_account": "int"}
CHANGE_COLUMNS = {"change_text": "text", "block": "text", "panchayat": "text", "village": "text",
                  "shg_code": "text", "shg_name": "text", "reason_text": "text", "reasons_before_text": "text"}
CHANGES = ("newly_inactive", "revived", "new", "gone")
LINKAGE_COLUMNS = {"block": "text", "panchayat": "text", "village": "text", "village_organisation": "text",
                   "shg_code": "text", "shg_name": "text", "formation_date": "date", "members": "int",
                   "bank_account_text": "text", "credit_linkages": "int", "savings": "int"}

con = ui.chrome("shg.title")
dates = shg.register_dates(con)
if not dates:
    ui.nothing_yet("shg.no_register", "shg.how_to_add")

ui.unmatched_warning(con)
pick = st.columns([1, 1, 1, 1])
as_of = pick[0].selectbox(ui.tr("shg.register"), dates, format_func=fmt.date, key="shg_as_of",
                          help=ui.tr("shg.register_help"))
lang = ui.lang()
summary = ui.query(con, "shg_summary", as_of=as_of).iloc[0]
blocks = ui.query(con, "shg_blocks", as_of=as_of)
changes = ui.query(con, "shg_changes", as_of=as_of)
label_of, _ = ui.block_label(con)
ctx = shg.context(con, as_of, lang, ui.district())

# --- The district at a glance ----------------------------------------------------------------
counts = changes["change"].value_counts() if len(changes) else pd.Series(dtype=int)
cells = st.columns(6)
cells[0].metric(ui.tr("shg.shgs"), fmt.number(summary["shgs"]), help=ui.tr("shg.shgs_help"))
cells[1].metric(ui.tr("shg.inactive"), fmt.number(summary["inactive"]), fmt.pct(summary["inactive_pct"]),
                delta_color="off", delta_arrow="off")
cells[2].metric(ui.tr("shg.stagnant"), fmt.number(summary["stagnant"]), fmt.pct(summary["stagnant_pct"]),
                delta_color="off", delta_arrow="off")
previous = summary["previous_register"]
since = ui.tr("shg.since", date=fmt.date(previous)) if not fmt.missing(previous) else ui.tr("shg.no_previous_short")
cells[3].metric(ui.tr("col.newly_inactive"), fmt.number(counts.get("newly_inactive", 0)) if len(changes) else "—",
                since, delta_color="off", delta_arrow="off")
cells[4].metric(ui.tr("col.revived"), fmt.number(counts.get("revived", 0)) if len(changes) else "—",
                since, delta_color="off", delta_arrow="off")
cells[5].metric(ui.tr("col.ayushman_pct"), fmt.pct(summary["ayushman_pct"]),
                ui.tr("shg.insured_delta", pct=fmt.pct(summary["insured_pct"])), delta_color="off", delta_arrow="off")

limits = shg.thresholds(con)
st.caption(ui.tr("shg.rules", meeting=limits["shg_meeting_days"], saving=limits["shg_saving_days"],
                 overdue=fmt.rupees(limits["shg_overdue_above"]), gap=limits["shg_growth_gap_days"],
                 months=limits["shg_credit_months"]))
why = shg.reason_counts(summary, limits, lang)  # no meeting in 90 days apart from none recorded
if why:
    st.caption(ui.tr("shg.why_inactive", reasons="; ".join(why)))
if summary["first_register"] != summary["last_register"]:
    st.caption(ui.tr("shg.registers_differ", first=fmt.date(summary["first_register"]),
                     last=fmt.date(summary["last_register"])))
# (no_growth without an older register is said in its own tab: it needs a register, not a column)
skipped = [code for code in (*shg.INACTIVE_REASONS, *shg.STAGNANT_REASONS)
           if not summary[f"rule_{code}"] and (code != "no_growth" or not summary["has_savings"])]
if skipped:
    st.warning(ui.tr("shg.rules_skipped", rules=", ".join(ui.tr(f"shg.reason_{c}_name") for c in skipped)),
               icon=":material/info:")

with ui.section():  # fails alone; the rest of the page is drawn
    ui.show_figure(figures.shg_blocks(ui.labelled(con, blocks), ctx), key="shg_block_chart")

# --- Filters for the lists ----------------------------------------------------------------------
names = list(blocks.sort_values("inactive_pct", ascending=False)["block"])
block = ui.pick_filter(pick[1], "shg_block", ui.tr("col.block"), [ALL, *names], ui.tr("shg.all_blocks"), label_of)
chosen = None if block == ALL else block
if chosen is None and summary["shgs"] > LIST_LIMIT:
    st.info(ui.tr("shg.pick_block", count=fmt.number(summary["shgs"])))
    st.stop()
review = ui.query(con, "shg_review", as_of=as_of, block=chosen)
panchayats = sorted(p for p in review["panchayat"].dropna().unique())
_, panchayat_labels = queries.place_labels(con, lang)
shown_name = {p: label for (_, p), label in panchayat_labels.items()}
panchayat = ui.pick_filter(pick[2], "shg_panchayat", ui.tr("col.panchayat"), [ALL, *panchayats],
                        ui.tr("shg.all_panchayats"), lambda p: shown_name.get(p, p))
if panchayat != ALL:
    review = review[review["panchayat"] == panchayat]
organisations = sorted(v for v in review["village_organisation"].dropna().unique())
organisation = ui.pick_filter(pick[3], "shg_vo", ui.tr("col.village_organisation"), [ALL, *organisations],
                           ui.tr("shg.all_organisations"))
if organisation != ALL:
    review = review[review["village_organisation"] == organisation]
review = ui.labelled(con, review)
where = " · ".join(x for x in (label_of(chosen) if chosen else "",
                               "" if panchayat == ALL else shown_name.get(panchayat, panchayat),
                               "" if organisation == ALL else organisation) if x)


def reason_filter(codes: tuple[str, ...], key: str) -> list[str]:
    ui.remember(key, None, codes)
    chosen = st.multiselect(ui.tr("shg.reason_filter"), codes, key=ui.wkey(key), placeholder=ui.tr("shg.any_reason"),
                            format_func=lambda c: ui.tr(f"shg.reason_{c}_name"))
    st.session_state[f"{key}_value"] = chosen
    return chosen


def with_codes(frame: pd.DataFrame, column: str, wanted: list[str]) -> pd.DataFrame:
    """SHGs with a reason in `column`, and with any of the `wanted` reasons when some are chosen."""
    frame = frame[frame[column].fillna("") != ""]
    if wanted:
        frame = frame[frame[column].str.split(";").map(lambda found: bool(set(found) & set(wanted)))]
    return frame


def show_list(frame: pd.DataFrame, columns: dict[str, str], key: str) -> None:
    """A list on the page: its first rows (a district's thousands are for the download)."""
    ui.show_list(frame, columns, key, "shg.rows_shown")


def downloads(frame: pd.DataFrame, columns: dict[str, str], stem: str, key: str) -> None:
    """Excel with one sheet per block (for each BPM), and the same list as CSV."""
    ui.per_block_downloads(frame, columns, f"{stem}_{fmt.date(as_of)}", key, ui.tr("shg.excel_per_block"),
                           ui.tr("shg.sheet_empty"))


inactive_all = review[review["inactive_reasons"] != ""]
stagnant_all = review[review["stagnant_reasons"] != ""]
tabs = st.tabs([ui.tr("shg.tab_inactive", count=fmt.number(len(inactive_all))),
                ui.tr("shg.tab_stagnant", count=fmt.number(len(stagnant_all))),
                ui.tr("shg.tab_changes"), ui.tr("shg.tab_coverage")])

with tabs[0]:
    wanted = reason_filter(shg.INACTIVE_REASONS, "shg_reason_inactive")
    shown = shg.with_reasons(with_codes(review, "inactive_reasons", wanted), lang, as_of)
    shown["reason_codes"] = shown["inactive_reasons"]
    st.markdown(ui.tr("shg.list_count", count=fmt.number(len(shown)), where=where or ui.tr("shg.district")))
    show_list(shown, INACTIVE_COLUMNS, key="shg_inactive_table")
    downloads(shown, {**INACTIVE_COLUMNS, "reason_codes": "text"}, ui.tr("shg.file_inactive"), "shg_inactive")

with tabs[1]:
    wanted = reason_filter(shg.STAGNANT_REASONS, "shg_reason_stagnant")
    shown = shg.with_reasons(with_codes(review, "stagnant_reasons", wanted), lang, as_of, "stagnant_reasons")
    shown["reason_codes"] = shown["stagnant_reasons"]
    st.markdown(ui.tr("shg.list_count", count=fmt.number(len(shown)), where=where or ui.tr("shg.district")))
    if not summary["rule_no_growth"]:
        st.caption(ui.tr("shg.no_growth_needs", gap=limits["shg_growth_gap_days"]))
    show_list(shown, STAGNANT_COLUMNS, key="shg_stagnant_table")
    downloads(shown, {**STAGNANT_COLUMNS, "reason_codes": "text"}, ui.tr("shg.file_stagnant"), "shg_stagnant")

with tabs[2]:
    if fmt.missing(previous):
        st.info(ui.tr("shg.no_previous"))
    else:
        st.markdown(ui.tr("shg.changes_intro", before=fmt.date(previous), now=fmt.date(summary["last_register"])))
        by_block = changes.pivot_table(index="block", columns="change", values="shg_code", aggfunc="count",
                                       fill_value=0).reindex(columns=list(CHANGES), fill_value=0).reset_index()
        change_columns = {"block": "text", **{c: "int" for c in CHANGES}}
        with ui.section():  # fails alone; the rest of the page is drawn
            ui.show_sortable(ui.labelled(con, by_block), change_columns, key="shg_change_blocks")
        ui.download_excel({ui.tr("shg.sheet_change_blocks"): ui.labelled(con, by_block)}, change_columns,
                          file_name=f"{ui.tr('shg.file_change_blocks')}_{fmt.date(as_of)}.xlsx", key="shg_change_blocks_excel")
        kinds = st.multiselect(ui.tr("shg.change_filter"), CHANGES, default=["newly_inactive", "revived"],
                               format_func=lambda c: ui.tr(f"col.{c}"), key=ui.wkey("shg_change_kinds"))
        listed = changes[changes["change"].isin(kinds)]
        if chosen:
            listed = listed[listed["block"] == chosen]
        if panchayat != ALL:
            listed = listed[listed["panchayat"] == panchayat]
        listed = shg.with_reasons(listed.rename(columns={"reasons_now": "inactive_reasons"}), lang, as_of)
        then = listed.assign(inactive_reasons=listed["reasons_before"], last_meeting=listed["last_meeting_before"],
                             last_saving_date=listed["last_saving_date_before"], overdue=listed["overdue_before"],
                             status=listed["status_before"])
        listed["reasons_before_text"] = shg.with_reasons(then, lang, previous)["reason_text"]
        listed["change_text"] = listed["change"].map(lambda c: ui.tr(f"col.{c}"))
        listed = ui.labelled(con, listed)
        show_list(listed, CHANGE_COLUMNS, key="shg_change_table")
        downloads(listed, CHANGE_COLUMNS, ui.tr("shg.file_changes"), "shg_changes")

with tabs[3]:
    cover = st.columns(4)
    cover[0].metric(ui.tr("col.ayushman_pct"), fmt.pct(summary["ayushman_pct"]), help=ui.tr("shg.goal_help"))
    cover[1].metric(ui.tr("col.insured_pct"), fmt.pct(summary["insured_pct"]), help=ui.tr("shg.goal_help"))
    cover[2].metric(ui.tr("col.not_credit_linked"),
                    fmt.number(blocks["not_credit_linked"].sum()) if summary["has_credit"] else "—")
    cover[3].metric(ui.tr("col.no_bank_account"),
                    fmt.number(blocks["no_bank_account"].sum()) if summary["has_bank"] else "—")
    missing = [ui.tr(f"field.{f}") for f, has in (("members_ayushman", summary["has_ayushman"]),
                                                 ("members_insured", summary["has_insured"]),
                                                 ("credit_linkage", summary["has_credit"]),
                                                 ("bank_account", summary["has_bank"])) if not has]
    if missing:
        st.caption(ui.tr("shg.coverage_missing", columns=", ".join(missing)))
    if summary["has_ayushman"] or summary["has_insured"]:
        with ui.section():  # fails alone; the rest of the page is drawn
            ui.show_figure(figures.shg_coverage(ui.labelled(con, blocks), ctx), key="shg_coverage_chart")
    ordered = ui.labelled(con, blocks.sort_values(["ayushman_pct", "block"], na_position="last"))
    with ui.section():  # fails alone; the rest of the page is drawn
        ui.show_sortable(ordered.reset_index(drop=True), COVERAGE_COLUMNS, key="shg_coverage_table")
    ui.download_excel({ui.tr("shg.sheet_coverage"): ordered}, COVERAGE_COLUMNS,
                      file_name=f"{ui.tr('shg.file_coverage')}_{fmt.date(as_of)}.xlsx", key="shg_coverage_excel")
    if summary["has_credit"] or summary["has_bank"]:
        lists = [k for k, has in (("not_credit_linked", summary["has_credit"]),
                                  ("no_bank_account", summary["has_bank"])) if has]
        which = st.radio(ui.tr("shg.linkage_list"), lists, horizontal=True, key=ui.wkey("shg_linkage_list"),
                         format_func=lambda k: ui.tr(f"col.{k}"))
        if which == "not_credit_linked":
            listed = review[review["credit_linkages"].fillna(0) == 0]
        else:
            listed = review[review["bank_account"] == False]  # noqa: E712 - False, not blank
        listed = listed.assign(bank_account_text=listed["bank_account"].map(
            lambda v: "" if fmt.missing(v) else ui.tr("table.yes" if v else "table.no")))
        st.markdown(ui.tr("shg.list_count", count=fmt.number(len(listed)), where=where or ui.tr("shg.district")))
        show_list(listed, LINKAGE_COLUMNS, key="shg_linkage_table")
        downloads(listed, LINKAGE_COLUMNS, ui.tr(f"shg.file_{which}"), f"shg_{which}")

with st.expander(ui.tr("shg.blocks_table")):
    with ui.section():  # fails alone; the rest of the page is drawn
        ui.show_sortable(ui.labelled(con, blocks).reset_index(drop=True), BLOCK_COLUMNS, key="shg_block_table")
    ui.download_excel({ui.tr("shg.sheet_blocks"): ui.labelled(con, blocks)}, BLOCK_COLUMNS,
                      file_name=f"{ui.tr('shg.file_blocks')}_{fmt.date(as_of)}.xlsx", key="shg_blocks_excel")
    st.caption(ctx.source())
