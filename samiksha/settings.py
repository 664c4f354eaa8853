"""Settings kept in the store: district name, indicator names, targets and deadlines not
uploaded, status thresholds, the per-panchayat minimum and the campaign drive.

The named queries read the same settings in SQL (`setting_number`, `district_target`,
`district_deadline` in `sql/views.sql`), so the app and the CLI always agree. Every change
is checked here first; a refused change raises IntakeError and stores nothing.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass

from samiksha import indicators, store
from samiksha.errors import IntakeError

# Defaults (documented in the README; the SQL macros carry the same fallbacks).
RED_BELOW = 50.0
GREEN_FROM = 80.0
PANCHAYAT_MINIMUM = 500
STATUSES = ("red", "amber", "green")


@dataclass(frozen=True)
class Thresholds:
    red_below: float = RED_BELOW
    green_from: float = GREEN_FROM

    def status(self, pct) -> str | None:
        if pct is None or pct != pct:
            return None
        if pct < self.red_below:
            return "red"
        return "green" if pct >= self.green_from else "amber"


@dataclass(frozen=True)
class Drive:
    name: str
    start: dt.date
    end: dt.date
    name_hi: str = ""

    def name_in(self, lang: str) -> str:
        return (self.name_hi if lang == "hi" else "") or self.name or self.name_hi

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1


def thresholds(con) -> Thresholds:
    return Thresholds(float(store.get_setting(con, "status_red_below", RED_BELOW)),
                      float(store.get_setting(con, "status_green_from", GREEN_FROM)))


def _whole(value) -> bool:
    """A finite whole number (NaN and infinity are not)."""
    return isinstance(value, (int, float)) and math.isfinite(value) and int(value) == value


def set_thresholds(con, red_below: float, green_from: float) -> None:
    if not all(isinstance(v, (int, float)) and math.isfinite(v) for v in (red_below, green_from)) \
            or not (0 < red_below < green_from <= 1000):
        raise IntakeError("bad_thresholds", red=red_below, green=green_from)
    store.set_setting(con, "status_red_below", float(red_below))
    store.set_setting(con, "status_green_from", float(green_from))


def panchayat_minimum(con) -> int:
    return int(store.get_setting(con, "panchayat_minimum", PANCHAYAT_MINIMUM))


def set_panchayat_minimum(con, minimum: int) -> None:
    if not _whole(minimum) or minimum < 0:
        raise IntakeError("bad_minimum", value=minimum)
    store.set_setting(con, "panchayat_minimum", int(minimum))


def district_name(con, lang: str, district: str | None = None) -> str:
    """The Settings name of the district; a district picked in a state's store (`district`: code
    or name) by its gazetteer name (Hindi in Hindi). With no name in Settings, the gazetteer's
    district when it holds just one: charts and the brief say which district they are of."""
    if district:
        rows = con.execute("SELECT p.name, p.name_hi FROM places_current p JOIN named_district($d) n USING (code) "
                           "WHERE p.level = 'district' ORDER BY p.code LIMIT 1", {"d": str(district)}).fetchall()
        if rows:
            name, name_hi = rows[0]
            return (name_hi if lang == "hi" and name_hi else name) or ""
    names = store.get_setting(con, "district_name") or {}
    if names.get(lang) or names.get("en"):
        return names.get(lang) or names.get("en")
    found = con.execute("SELECT name, name_hi FROM places_current WHERE level = 'district' LIMIT 2").fetchall()
    if len(found) != 1:
        return ""  # no gazetteer, or a state's: the whole store is no one district
    name, name_hi = found[0]
    return (name_hi if lang == "hi" and name_hi else name) or ""


def set_district_name(con, english: str, hindi: str) -> None:
    english, hindi = english.strip(), hindi.strip()
    if not english and not hindi:
        raise IntakeError("bad_district_name")
    store.set_setting(con, "district_name", {"en": english or hindi, "hi": hindi or english})


def indicator_name(con, key: str, lang: str) -> str:
    """The Settings name of an indicator, else the catalogue's."""
    names = (store.get_setting(con, "indicator_names") or {}).get(key) or {}
    return names.get(lang) or names.get("en") or indicators.display_name(key, lang)


def set_indicator_name(con, key: str, english: str, hindi: str) -> None:
    names = store.get_setting(con, "indicator_names") or {}
    english, hindi = english.strip(), hindi.strip()
    if english or hindi:
        names[key] = {"en": english or hindi, "hi": hindi or english}
    else:
        names.pop(key, None)  # back to the built-in names
    store.set_setting(con, "indicator_names", names)


def plan(con, key: str) -> dict:
    """{'target': int|None, 'deadline': date|None} entered in Settings for an indicator."""
    raw = store.get_setting(con, f"plan:{key}") or {}
    deadline = raw.get("deadline")
    return {"target": raw.get("target"),
            "deadline": dt.date.fromisoformat(deadline) if deadline else None}


def set_plan(con, key: str, target: int | None, deadline: dt.date | None) -> None:
    if target is not None and (not _whole(target) or target <= 0):
        raise IntakeError("bad_target", value=target)
    if target is None and deadline is None:
        con.execute("DELETE FROM settings WHERE key = ?", [f"plan:{key}"])
        return
    store.set_setting(con, f"plan:{key}", {"target": None if target is None else int(target),
                                           "deadline": deadline.isoformat() if deadline else None})


def uploaded_plan(con, key: str) -> dict:
    """The district target and deadline the latest targets file gives (they win over Settings;
    the same rule as the queries' district_target / district_deadline)."""
    rows = con.execute(
        "SELECT max(target) FILTER (WHERE block IS NULL AND panchayat IS NULL), "
        "coalesce(max(deadline) FILTER (WHERE block IS NULL AND panchayat IS NULL), max(deadline)) "
        "FROM targets_current WHERE indicator = $key AND upload_id = latest_targets($key)", {"key": key}).fetchall()
    return {"target": rows[0][0], "deadline": rows[0][1]}


def drive(con) -> Drive | None:
    raw = store.get_setting(con, "drive")
    if not raw:
        return None
    return Drive(raw.get("name", ""), dt.date.fromisoformat(raw["start"]), dt.date.fromisoformat(raw["end"]),
                 raw.get("name_hi", ""))


def set_drive(con, name: str, start: dt.date | None, end: dt.date | None, name_hi: str = "") -> None:
    if start is None and end is None:
        con.execute("DELETE FROM settings WHERE key = 'drive'")
        return
    if start is None or end is None or end < start or (end - start).days > 60:
        raise IntakeError("bad_drive", start=start or "", end=end or "")
    store.set_setting(con, "drive", {"name": name.strip(), "name_hi": name_hi.strip(),
                                     "start": start.isoformat(), "end": end.isoformat()})
