"""Overview: for each indicator, where the district stands at the latest report date."""

import streamlit as st

from pages import _shared as ui
from samiksha import fmt, ingest, queries

con = ui.chrome()
st.title(ui.tr("overview.title") + (f" · {ui.district_name(con)}" if ui.district_name(con) else ""))
ui.guard_data(con)
pending = ingest.unmatched_names(con)
if pending:
    names = ", ".join(f"“{item['written']}”" for item in pending[:5]) + (" …" if len(pending) > 5 else "")
    st.warning(ui.tr("overview.unmatched", count=len(pending), names=names), icon=":material/help:")
    st.page_link("pages/upload.py", label=ui.tr("app.go_upload"), icon=":material/upload_file:")



def required_text(summary, as_of) -> str:
    """Cards a day still needed; or that the deadline has passed with the target not reached."""
    deadline, required = summary["deadline"], summary["required_per_day"]
    if fmt.missing(required) and not fmt.missing(deadline) and not fmt.missing(summary["target"]) \
            and deadline.date() <= as_of and summary["achieved"] < summary["target"]:
        return ui.tr("overview.deadline_passed")
    return fmt.number(required)


for indicator in queries.indicators_with_data(con):
    as_of = queries.latest_date(con, indicator)
    if as_of is None:
        continue
    summary = queries.run(con, "district_summary", indicator=indicator, as_of=as_of).iloc[0]
    with st.container(border=True, key=f"indicator_{indicator}"):
        st.subheader(f"{ui.indicator_name(indicator)} · {ui.tr('overview.as_of')} {fmt.date(as_of)}")
        target = summary["target"]
        top, bottom = st.columns(3), st.columns(3)
        top[0].metric(ui.tr("overview.target"),
                      ui.tr("overview.no_target") if fmt.missing(target) else fmt.number(target))
        top[1].metric(ui.tr("overview.achieved"), fmt.number(summary["achieved"]))
        top[2].metric(ui.tr("overview.pct"), fmt.pct(summary["pct"]))
        bottom[0].metric(ui.tr("overview.today", date=as_of), fmt.number(summary["achieved_today"]))
        bottom[1].metric(ui.tr("overview.deadline"), fmt.date(summary["deadline"]))
        bottom[2].metric(ui.tr("overview.required"), required_text(summary, as_of))
        st.caption(ui.tr("overview.caption", date=as_of))
