"""Settings: the district's name, indicator names, targets and deadlines not uploaded,
status thresholds, the per-panchayat minimum and the campaign drive. Kept in the store."""

import datetime as dt

import streamlit as st

from pages import _shared as ui
from samiksha import compliance, fmt, queries, settings, shg, store, workers
from samiksha.errors import PAGE, IntakeError

con = ui.chrome("settings.title", with_district=False)
st.caption(ui.tr("settings.intro"))
if not ui.access_box():
    st.stop()  # settings change every figure: the operator's only


def save(*changes) -> bool:
    """Apply changes, each (action, *args), in one transaction: all or none. A refused one
    says why and nothing is changed."""
    try:
        with store.transaction(con):
            for action, *args in changes:
                action(con, *args)
    except IntakeError as exc:
        st.error(exc.issue.message(ui.lang(), PAGE))
        return False
    st.success(ui.tr("settings.saved"), icon=":material/check:")
    return True


# --- District -------------------------------------------------------------------------------
st.subheader(ui.tr("settings.lgd_title"))
st.caption(ui.tr("settings.lgd_intro"))
ui.district_picker(con)

with st.form("district_form"):
    st.subheader(ui.tr("settings.district"))
    names = {"en": settings.district_name(con, "en"), "hi": settings.district_name(con, "hi")}
    left, right = st.columns(2)
    english = left.text_input(ui.tr("settings.name_en"), names["en"], max_chars=80, key="district_en")
    hindi = right.text_input(ui.tr("settings.name_hi"), names["hi"], max_chars=80, key="district_hi")
    if st.form_submit_button(ui.tr("settings.save")):
        save((settings.set_district_name, english, hindi))

# --- Indicators: names, target and deadline -----------------------------------------------------
st.subheader(ui.tr("settings.indicators"))
for key in queries.indicators_with_data(con):
    uploaded, entered = settings.uploaded_plan(con, key), settings.plan(con, key)
    with st.form(f"indicator_form_{key}"):
        st.markdown(f"**{ui.indicator_name(key, con)}** · `{key}`")
        cols = st.columns(4)
        name_en = cols[0].text_input(ui.tr("settings.name_en"), settings.indicator_name(con, key, "en"),
                                     max_chars=80, key=f"ind_en_{key}")
        name_hi = cols[1].text_input(ui.tr("settings.name_hi"), settings.indicator_name(con, key, "hi"),
                                     max_chars=80, key=f"ind_hi_{key}")
        target = cols[2].number_input(ui.tr("settings.target"), min_value=0, step=1000, key=f"ind_target_{key}",
                                      value=int(entered["target"]) if entered["target"] else 0,
                                      help=ui.tr("settings.target_help"))
        deadline = cols[3].date_input(ui.tr("settings.deadline"), value=entered["deadline"], format="DD-MM-YYYY",
                                      key=f"ind_deadline_{key}", min_value=dt.date(2000, 1, 1))
        if uploaded["target"] is not None or uploaded["deadline"] is not None:
            st.caption(ui.tr("settings.uploaded_plan", target=fmt.number(uploaded["target"]),
                             deadline=fmt.date(uploaded["deadline"])))
        if st.form_submit_button(ui.tr("settings.save")):
            save((settings.set_indicator_name, key, name_en, name_hi),
                 (settings.set_plan, key, int(target) or None, deadline))

# --- Status colours and the per-panchayat minimum --------------------------------------------
with st.form("thresholds_form"):
    st.subheader(ui.tr("settings.thresholds"))
    current = settings.thresholds(con)
    cols = st.columns(3)
    red = cols[0].number_input(ui.tr("settings.red_below"), 1.0, 999.0, float(current.red_below), step=5.0,
                               key="red_below")
    green = cols[1].number_input(ui.tr("settings.green_from"), 1.0, 1000.0, float(current.green_from), step=5.0,
                                 key="green_from")
    minimum = cols[2].number_input(ui.tr("settings.minimum"), 0, 10_00_000, settings.panchayat_minimum(con), step=50,
                                   key="panchayat_minimum", help=ui.tr("settings.minimum_help"))
    if st.form_submit_button(ui.tr("settings.save")):
        save((settings.set_thresholds, red, green), (settings.set_panchayat_minimum, int(minimum)))

# --- SHG rules -----------------------------------------------------------------------------------
with st.form("shg_rules_form"):
    st.subheader(ui.tr("settings.shg_rules"))
    st.caption(ui.tr("settings.shg_rules_help"))
    current = shg.thresholds(con)
    cols = st.columns(len(shg.THRESHOLDS))
    chosen = {th.key: cols[i].number_input(ui.tr(f"shg.setting_{th.key}"), th.low, th.high, current[th.key],
                                           step=1, key=th.key, help=ui.tr("settings.default", value=fmt.number(th.default)))
              for i, th in enumerate(shg.THRESHOLDS)}
    if st.form_submit_button(ui.tr("settings.save")):
        save((shg.set_thresholds, {key: int(value) for key, value in chosen.items()}))

# --- Reporting: the cut-off and holidays -------------------------------------------------------------
with st.form("reporting_form"):
    st.subheader(ui.tr("settings.reporting"))
    cols = st.columns([1, 3])
    cutoff = cols[0].time_input(ui.tr("settings.cutoff"), compliance.cutoff(con), step=dt.timedelta(minutes=15),
                                key="report_cutoff", help=ui.tr("settings.cutoff_help"))
    holidays = cols[1].text_area(ui.tr("settings.holidays"), compliance.holidays_text(compliance.holidays(con)),
                                 key="report_holidays", height=100, help=ui.tr("settings.holidays_help"),
                                 placeholder=ui.tr("settings.holidays_placeholder"))
    if st.form_submit_button(ui.tr("settings.save")):
        try:
            days = compliance.parse_holidays(holidays)
        except IntakeError as exc:
            st.error(exc.issue.message(ui.lang(), PAGE))
        else:
            save((compliance.set_cutoff, cutoff), (compliance.set_holidays, days))

# --- Workers: deadlines and the supervisor span ---------------------------------------------------------
with st.form("workers_form"):
    st.subheader(ui.tr("settings.workers"))
    current = workers.deadlines(con)
    cols = st.columns(3)
    id_deadline = cols[0].date_input(ui.tr("settings.id_deadline"), value=current.id_active, format="DD-MM-YYYY",
                                     key="worker_id_deadline", min_value=dt.date(2000, 1, 1))
    training = cols[1].date_input(ui.tr("settings.training_deadline"), value=current.trained, format="DD-MM-YYYY",
                                  key="worker_training_deadline", min_value=dt.date(2000, 1, 1))
    span = cols[2].number_input(ui.tr("settings.supervisor_span"), 1, 500, current.span, step=1,
                                key="worker_supervisor_span", help=ui.tr("settings.default", value=workers.SUPERVISOR_SPAN))
    if st.form_submit_button(ui.tr("settings.save")):
        save((workers.set_deadlines, id_deadline, training, int(span)))

# --- The campaign drive ---------------------------------------------------------------------------
with st.form("drive_form"):
    st.subheader(ui.tr("settings.drive"))
    drive = settings.drive(con)
    cols = st.columns(3)
    name = cols[0].text_input(ui.tr("settings.name_en"), drive.name if drive else "", max_chars=80, key="drive_name")
    name_hi = cols[1].text_input(ui.tr("settings.name_hi"), drive.name_hi if drive else "", max_chars=80,
                                 key="drive_name_hi")
    span = cols[2].date_input(ui.tr("settings.drive_dates"), value=(drive.start, drive.end) if drive else (),
                              format="DD-MM-YYYY", key="drive_dates", min_value=dt.date(2000, 1, 1))
    if st.form_submit_button(ui.tr("settings.save")):
        if isinstance(span, (tuple, list)) and len(span) == 2:
            save((settings.set_drive, name, span[0], span[1], name_hi))
        elif not span:
            save((settings.set_drive, name, None, None, name_hi))
        else:
            st.error(ui.tr("settings.drive_needs_end"))
