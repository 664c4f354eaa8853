"""Workers: reading a roster (kind `workers`) and their output (kind `worker_output`), the
deadlines and the supervisor span, and what the Workers page shows about itself.

A roster is one row per worker (ASHA, Anganwadi worker, VLE ...) as of a date: login ID
active, trained, training date, supervisor. An output file is cards made per worker per day.
Each cell is checked: a Yes/No cell that says neither, a date that is not a date, a negative
or fractional count are reported with row and column and the row is kept out, never guessed.
Output for a worker ID that no roster holds is stored and reported (it counts for no block
until a roster names the worker).

The status itself is SQL (`worker_week` in `sql/views.sql`, read by the named query
`worker_status`), so the app and the CLI agree.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from samiksha import fmt, store
from samiksha.errors import IntakeError
from samiksha.i18n import t

ZERO_OUTPUT_DAYS = 7  # PRODUCT.md: no card in the 7 days up to the as-of date
SUPERVISOR_SPAN = 20  # workers per supervisor above this are flagged (a setting)
TOP_SHOWN = 10

# Roles, matched on the folded cell (sk_label); anything else is kept as written.
ROLES = {
    "asha": ("asha", "asha worker", "asha karyakarta", "sahiya", "sahiyaa", "आशा", "आशा कार्यकर्ता", "आशा कार्यकर्ती",
             "सहिया", "आशा सहिया"),
    "aww": ("aww", "anganwadi", "anganwadi worker", "anganwadi sevika", "anganbadi sevika", "awc worker", "sevika",
            "आंगनबाड़ी", "आंगनवाड़ी", "आंगनबाड़ी सेविका", "आंगनवाड़ी सेविका", "आँगनबाड़ी सेविका", "सेविका"),
    "vle": ("vle", "csc vle", "csc", "village level entrepreneur", "वीएलई", "वी एल ई"),
    "pea": ("pea", "panchayat executive assistant", "executive assistant", "कार्यपालक सहायक",
            "पंचायत कार्यपालक सहायक"),
    "ration_dealer": ("ration dealer", "pds dealer", "fps dealer", "dealer", "डीलर", "राशन डीलर",
                      "जन वितरण प्रणाली विक्रेता", "जन वितरण विक्रेता"),
}
@dataclass(frozen=True)
class Deadlines:
    id_active: dt.date | None
    trained: dt.date | None
    span: int


def deadlines(con) -> Deadlines:
    def day(key):
        value = store.get_setting(con, key)
        return dt.date.fromisoformat(value) if value else None

    return Deadlines(day("worker_id_deadline"), day("worker_training_deadline"),
                     int(store.get_setting(con, "worker_supervisor_span", SUPERVISOR_SPAN)))


def set_deadlines(con, id_active: dt.date | None, trained: dt.date | None, span: int) -> None:
    """The ID-activation and training deadlines (either may be None) and the workers per
    supervisor above which a block is flagged."""
    if isinstance(span, bool) or not isinstance(span, int) or not 1 <= span <= 500:
        raise IntakeError("bad_supervisor_span", value=span)
    for key, day in (("worker_id_deadline", id_active), ("worker_training_deadline", trained)):
        if day is None:
            con.execute("DELETE FROM settings WHERE key = ?", [key])
        else:
            store.set_setting(con, key, day.isoformat())
    store.set_setting(con, "worker_supervisor_span", span)


def days_left(deadline: dt.date | None, as_of: dt.date) -> int | None:
    return None if deadline is None else (deadline - as_of).days


def output_dates(con) -> list[dt.date]:
    """Days with output stored, latest first."""
    store.refresh_worker_output(con)
    rows = con.execute("SELECT DISTINCT output_date FROM worker_output_current ORDER BY 1 DESC").fetchall()
    return [r[0] for r in rows]


def has_roster(con) -> bool:
    return bool(store.scalar(con, "SELECT count(*) FROM workers_stored"))


def context(con, as_of: dt.date, lang: str, district: str | None = None):
    """What a workers chart says about itself: the roster and output behind it."""
    from samiksha import figures, settings

    uploaded = store.scalar(con, "SELECT max(uploaded_at) FROM uploads WHERE status = 'stored' AND kind IN (?, ?)",
                            ["workers", "worker_output"])
    return figures.Context(lang, t("kind.workers", lang), as_of, uploaded, settings.district_name(con, lang, district),
                           source_key="figure.workers_source")


def role_name(role, lang: str) -> str:
    if fmt.missing(role) or role == "":
        return ""
    return t(f"role.{role}", lang) if role in ROLES else str(role)
