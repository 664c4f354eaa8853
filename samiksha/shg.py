"""SHGs: the rules' thresholds and the words for their reasons (a register is read by
samiksha/kinds/shg.py).

The rules themselves are SQL (`shg_status` in `sql/views.sql`), read by the named queries
`inactive_shgs` and `stagnant_shgs`, so the app and the CLI always agree; their thresholds
are settings (`THRESHOLDS`).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from samiksha import fmt, store
from samiksha.errors import IntakeError
from samiksha.i18n import t

INACTIVE_REASONS = ("no_meeting", "no_savings", "loan_overdue", "marked_inactive")
STAGNANT_REASONS = ("no_growth", "no_credit_linkage")

@dataclass(frozen=True)
class Threshold:
    key: str       # the setting's key
    default: int
    low: int
    high: int


# The rules' thresholds (settings; defaults documented in the README and in sql/views.sql).
THRESHOLDS = (
    Threshold("shg_meeting_days", 90, 7, 730),      # no meeting in this many days: inactive
    Threshold("shg_saving_days", 90, 7, 730),       # no saving in this many days: inactive
    Threshold("shg_overdue_above", 0, 0, 10_00_000),  # overdue above this many rupees: inactive
    Threshold("shg_growth_gap_days", 60, 14, 730),  # registers at least this far apart for no_growth
    Threshold("shg_credit_months", 12, 1, 120),     # older than this and no credit linkage: stagnant
)


def thresholds(con) -> dict[str, int]:
    return {th.key: int(store.get_setting(con, th.key, th.default)) for th in THRESHOLDS}


def set_thresholds(con, chosen: dict[str, int]) -> None:
    """Set the thresholds given (the others stay); each is checked first, and a refused one
    changes nothing."""
    chosen = {**thresholds(con), **chosen}
    for th in THRESHOLDS:
        value = chosen[th.key]
        if not isinstance(value, int) or isinstance(value, bool) or not th.low <= value <= th.high:
            raise IntakeError("bad_shg_threshold", setting=t(f"shg.setting_{th.key}", "en"),
                              value=value, low=th.low, high=th.high)
    for th in THRESHOLDS:
        store.set_setting(con, th.key, int(chosen[th.key]))


# ---------------------------------------------------------------- reasons in words

# shg_summary's counts of the inactive SHGs by reason: a meeting or saving too long ago apart
# from none recorded (a blank cell), each with the threshold its words name.
REASON_COUNTS = (("no_meeting_since", "shg_meeting_days"), ("no_meeting_not_recorded", None),
                 ("no_savings_since", "shg_saving_days"), ("no_savings_not_recorded", None),
                 ("loan_overdue", None), ("marked_inactive", None))


def reason_counts(summary, limits: dict[str, int], lang: str) -> list[str]:
    """The inactive SHGs by reason in words, from a shg_summary row: "no meeting in 90 days (281)",
    "no meeting recorded (168)", ... (reasons no SHG has are left out)."""
    said = []
    for name, setting in REASON_COUNTS:
        count = summary.get(name)
        if count is None or fmt.missing(count) or not int(count):
            continue
        said.append(t(f"shg.count_{name}", lang, count=int(count), days=limits[setting] if setting else 0))
    return said


def reason_text(code: str, row: dict, lang: str, as_of: dt.date) -> str:
    """One SHG's reason `code` in plain words, with the dates and amounts behind it."""
    import pandas as pd

    return list(_words_for(code, pd.DataFrame([row]), lang, as_of))[0]


# ---------------------------------------------------------------- for the page and images

def register_dates(con) -> list[dt.date]:
    """The dates of the SHG registers that stand, latest first."""
    store.refresh_shg(con)
    rows = con.execute("SELECT DISTINCT register_date FROM shg_current ORDER BY 1 DESC").fetchall()
    return [r[0] for r in rows]


def context(con, as_of: dt.date, lang: str, district: str | None = None):
    """What an SHG chart says about itself: the register's date and when it was uploaded."""
    from samiksha import figures, settings

    uploaded = store.scalar(con, "SELECT max(u.uploaded_at) FROM uploads u JOIN shg_register r USING (upload_id) "
                                 "WHERE u.status = 'stored' AND r.register_date <= ?", [as_of])
    return figures.Context(lang, t("kind.shg", lang), as_of, uploaded, settings.district_name(con, lang, district),
                           source_key="figure.shg_source")


def with_reasons(frame, lang: str, as_of: dt.date, column: str = "inactive_reasons"):
    """The frame with `reason_text`: each SHG's reasons in plain words with their dates, in
    the rules' order, joined by '; ' (worked out per column, not per row: a state's lakhs of
    SHGs take well under a second)."""
    import pandas as pd

    out = frame.copy()
    codes = out[column].fillna("")
    parts = []
    for code in (*INACTIVE_REASONS, *STAGNANT_REASONS):
        has = codes.str.contains(rf"(?:^|;){code}(?:;|$)", regex=True)
        if not has.any():
            continue
        words = pd.Series("", index=out.index, dtype="object")
        words[has] = _words_for(code, out[has], lang, as_of)
        parts.append(words)
    joined = pd.Series("", index=out.index, dtype="object")
    for words in parts:
        joined = joined.where(words == "", joined.where(joined == "", joined + "; ") + words)
    out["reason_text"] = joined
    return out


def _words_for(code: str, rows, lang: str, as_of: dt.date) -> list[str]:
    """The reason `code` in words for each of `rows` (all of which have it)."""
    import pandas as pd

    def filled(key: str, **columns) -> list[str]:
        """The message `key` with each row's values (formatted per column) put in."""
        template = t(key, lang, **{name: f"\0{name}\0" for name in columns})
        texts = [template] * len(rows)
        for name, shown in columns.items():
            texts = [text.replace(f"\0{name}\0", value) for text, value in zip(texts, shown, strict=True)]
        return texts

    def days(column: str):
        return pd.to_datetime(rows[column].reset_index(drop=True))

    def since(column: str, key: str, blank_key: str) -> list[str]:
        """"... since 12-02-2025 (107 days)", or the words for none recorded."""
        when = days(column)
        counted = filled(key, date=[fmt.date(d) for d in when.dt.date.where(when.notna(), None)],
                         days=[fmt.number(n) for n in (pd.Timestamp(as_of) - when).dt.days])
        return [text if known else t(blank_key, lang) for text, known in zip(counted, when.notna(), strict=True)]

    def dates(column: str) -> list[str]:
        when = days(column)
        return [fmt.date(d) for d in when.dt.date.where(when.notna(), None)]

    def amounts(column: str, show=fmt.rupees) -> list[str]:
        return [show(v) for v in rows[column]]

    if code == "no_meeting":
        return since("last_meeting", "shg.reason_no_meeting", "shg.reason_no_meeting_recorded")
    if code == "no_savings":
        return since("last_saving_date", "shg.reason_no_savings", "shg.reason_no_savings_recorded")
    if code == "loan_overdue":
        return filled("shg.reason_loan_overdue", amount=amounts("overdue"))
    if code == "marked_inactive":
        return filled("shg.reason_marked_inactive", status=[str(v) if not fmt.missing(v) else "" for v in rows["status"]])
    if code == "no_growth":
        return filled("shg.reason_no_growth", since=dates("compared_with"), before=amounts("savings_before"),
                      savings=amounts("savings"), members_before=amounts("members_before", fmt.number),
                      members=amounts("members", fmt.number))
    if code == "no_credit_linkage":
        formed = days("formation_date")
        months = (as_of.year - formed.dt.year) * 12 + as_of.month - formed.dt.month
        return filled("shg.reason_no_credit_linkage", date=dates("formation_date"),
                      months=[fmt.number(m) for m in months.where(formed.notna(), 0)])
    return [code] * len(rows)
