"""Reporting compliance: which blocks sent the day's report by the cut-off, which were late,
which are missing; the cut-off and holidays (settings) and the reminder for the WhatsApp group.

The status itself is SQL (`reporting_grid` in `sql/views.sql`, read by the named queries
`reporting_status` and `reporting_grid`), so the app and the CLI agree. A block's time is
that of the first stored upload holding its rows for the indicator and day (IST).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from samiksha import fmt, queries, settings, store, values
from samiksha.errors import IntakeError
from samiksha.i18n import t

CUTOFF = dt.time(17, 0)  # PRODUCT.md: every block sends its progress by 5 PM
STATUSES = ("on_time", "late", "missing", "holiday")
RECENT_DAYS = 14  # days in the page's grid


def cutoff(con) -> dt.time:
    minutes = int(store.get_setting(con, "report_cutoff_minutes", CUTOFF.hour * 60 + CUTOFF.minute))
    return dt.time(minutes // 60, minutes % 60)


def set_cutoff(con, when: dt.time) -> None:
    if not isinstance(when, dt.time):
        raise IntakeError("bad_cutoff", value=when)
    store.set_setting(con, "report_cutoff_minutes", when.hour * 60 + when.minute)


def holidays(con) -> dict[dt.date, str]:
    """Days no report is expected, with their names: {date: name}."""
    raw = store.get_setting(con, "report_holidays") or {}
    return {dt.date.fromisoformat(day): name for day, name in sorted(raw.items())}


def parse_holidays(text: str) -> dict[dt.date, str]:
    """Lines such as "15-08-2025 Independence Day" (a date, then an optional name)."""
    found = {}
    for number, line in enumerate(text.splitlines(), start=1):
        line = line.strip()
        if not line:
            continue
        head, *rest = line.split(maxsplit=1)  # a space or a tab (two columns pasted from Excel)
        name = rest[0] if rest else ""
        try:
            day = values.parse_date(head.strip(",;"))
        except ValueError:
            raise IntakeError("bad_holiday", line=number, value=line[:40]) from None
        if day is None:
            raise IntakeError("bad_holiday", line=number, value=line[:40])
        found[day] = name.strip(" -–,;")
    return found


def set_holidays(con, days: dict[dt.date, str]) -> None:
    store.set_setting(con, "report_holidays", {day.isoformat(): name for day, name in sorted(days.items())})


def holidays_text(days: dict[dt.date, str]) -> str:
    return "\n".join(f"{fmt.date(day)} {name}".strip() for day, name in days.items())


# ---------------------------------------------------------------- what the page shows

def day_to_show(con, indicator: str, today: dt.date) -> dt.date | None:
    """Today while the indicator is being reported (a report in the last week), else its
    latest report date (an old campaign, or the demo)."""
    latest = queries.latest_date(con, indicator)
    if latest is None:
        return None
    return today if (today - latest).days <= 7 and latest <= today else latest


def grid(con, indicator: str, last_day: dt.date, days: int = RECENT_DAYS, district: str | None = None,
         run=queries.run):
    """Each block and day over `days` days up to `last_day` (not before the indicator's first
    report): the reporting_grid query's rows. `run` runs a named query (a page passes its cached
    runner)."""
    first = store.scalar(con, "SELECT min(report_date) FROM progress_stored WHERE indicator = ?", [indicator])
    start = last_day - dt.timedelta(days=days - 1)
    if first is not None and first > start:
        start = min(first, last_day)
    return run(con, "reporting_grid", indicator=indicator, from_date=start, to_date=last_day, district=district)


@dataclass(frozen=True)
class Day:
    """One day's reporting: the blocks by status, and whether the cut-off has passed."""

    report_date: dt.date
    on_time: list[str]
    late: list[tuple[str, dt.datetime]]
    missing: list[str]
    holiday: bool
    cutoff_passed: bool


def day(con, indicator: str, report_date: dt.date, now: dt.datetime | None = None, district: str | None = None,
        run=queries.run) -> Day:
    """The blocks of `report_date` by status (`run` runs a named query; a page passes its cached
    runner), and whether the cut-off has passed by `now`."""
    now = now or fmt.now_ist()
    rows = run(con, "reporting_status", indicator=indicator, report_date=report_date, district=district)
    by = {status: rows[rows["status"] == status] for status in STATUSES}
    return Day(report_date, list(by["on_time"]["block"]),
               list(zip(by["late"]["block"], by["late"]["uploaded_at"], strict=True)),
               list(by["missing"]["block"]), len(by["holiday"]) > 0,
               now > dt.datetime.combine(report_date, cutoff(con)))


def reminder(con, indicator: str, today: Day, lang: str, block_names: dict | None = None,
             district: str | None = None) -> str:
    """The message for the block officers' WhatsApp group naming the blocks whose report has not
    come, in `lang` (block names as the reader knows them: `block_names`)."""
    if not today.missing:
        return ""
    names = [(block_names or {}).get(block, block) for block in today.missing]
    params = {"indicator": settings.indicator_name(con, indicator, lang), "date": fmt.date(today.report_date),
              "count": len(names), "blocks": ", ".join(names), "cutoff": fmt_time(cutoff(con), lang),
              "district": settings.district_name(con, lang, district)}
    key = "reporting.reminder_after" if today.cutoff_passed else "reporting.reminder_before"
    text = t(key, lang, **params)
    signed = t("reporting.reminder_sign", lang, **params) if params["district"] else ""
    return f"{text}\n{signed}".strip()


def fmt_time(when: dt.time | dt.datetime, lang: str = "en") -> str:
    """17:00 as "5:00 PM" (English) or "शाम 5:00 बजे" (Hindi)."""
    hour, minute = when.hour, when.minute
    twelve = (hour % 12) or 12
    if lang == "hi":
        part = "सुबह" if hour < 12 else ("दोपहर" if hour < 16 else ("शाम" if hour < 20 else "रात"))
        return f"{part} {twelve}:{minute:02d} बजे"
    return f"{twelve}:{minute:02d} {'AM' if hour < 12 else 'PM'}"


def late_by(uploaded_at: dt.datetime, report_date: dt.date, when: dt.time, lang: str) -> str:
    """How late a report came: "42 min", "2 h 05 min", "3 days"."""
    minutes = int((uploaded_at - dt.datetime.combine(report_date, when)).total_seconds() // 60)
    if minutes >= 24 * 60:
        return t("reporting.late_days", lang, days=minutes // (24 * 60))
    if minutes >= 60:
        return t("reporting.late_hours", lang, hours=minutes // 60, minutes=f"{minutes % 60:02d}")
    return t("reporting.late_minutes", lang, minutes=max(minutes, 1))


def uploaded_up_to(con, indicator: str, report_date: dt.date):
    """The latest upload time of the indicator's reports up to the day (the grid's source)."""
    return store.scalar(con, "SELECT max(u.uploaded_at) FROM uploads u WHERE u.status = 'stored' AND u.upload_id IN "
                             "(SELECT upload_id FROM progress WHERE indicator = ? AND report_date <= ?)",
                        [indicator, report_date])


def time_of(value) -> str:
    """An upload's time of day as HH:MM (IST)."""
    return "" if fmt.missing(value) else value.strftime("%H:%M")
