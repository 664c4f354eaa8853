"""SHG registers: reading one register (kind `shg`) and the words for the rules' reasons.

A register is one row per self-help group as of a date (the `--date`, the title, or a date
in the file name). Each row is checked cell by cell: a date that is not a date, a meeting
before the group was formed, a Yes/No cell that says neither, members with a card above
the members are reported with row and column and the row is kept out, never guessed. A
blank cell stays blank ("not recorded"), never zero.

The rules themselves are SQL (`shg_status` in `sql/views.sql`), read by the named queries
`inactive_shgs` and `stagnant_shgs`, so the app and the CLI always agree; their thresholds
are settings (`THRESHOLDS`).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from samiksha import fmt, intake, places, store
from samiksha.errors import REJECTED, WARNING, IntakeError, Issue
from samiksha.i18n import t

INACTIVE_REASONS = ("no_meeting", "no_savings", "loan_overdue", "marked_inactive")
STAGNANT_REASONS = ("no_growth", "no_credit_linkage")

# A status that says the group is not functioning.
INACTIVE_STATUS = (r"(in ?active|not ?active|non ?active|dormant|defunct|non ?functional|not ?functional|closed|"
                   r"disbanded|निष्क्रिय|निष्क्रीय|अक्रिय|असक्रिय|अक्रियाशील|सक्रिय नहीं|बंद|भंग)( .*)?")
ORDINALS = {"first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5,
            "पहला": 1, "प्रथम": 1, "दूसरा": 2, "द्वितीय": 2, "तीसरा": 3, "तृतीय": 3, "चौथा": 4}
MAX_DOSES = 20  # a credit-linkage cell above this is an amount in rupees, not a count

DATE_FIELDS = ("formation_date", "last_meeting", "last_saving_date")
COUNT_FIELDS = ("members", "members_ayushman", "members_insured")
MONEY_FIELDS = ("savings", "loan_outstanding", "overdue")
YES_NO_FIELDS = ("bank_account",)
TEXT_FIELDS = ("shg_code", "shg_name", "village", "village_organisation", "status", "grade")


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


# ---------------------------------------------------------------- reading a register

def _credit(cell: str) -> tuple[str, str]:
    """(number of credit linkages, amount): Yes/No, 1st/2nd, first/दूसरा, a count or an amount."""
    folded = f"sk_label(sk_digits({cell}))"
    ordinal = " ".join(f"WHEN {folded} = '{w}' THEN {n}" for w, n in ORDINALS.items())
    count = (f"CASE WHEN sk_is_blank({cell}) THEN NULL WHEN {folded} IN ({intake.sql_words(intake.YES_WORDS)}) THEN 1 "
             f"WHEN {folded} IN ({intake.sql_words(intake.NO_WORDS)}) THEN 0 {ordinal} "
             f"WHEN regexp_full_match({folded}, '[0-9]{{1,2}} ?(st|nd|rd|th)?( dose| linkage| cl)?') "
             f"AND TRY_CAST(regexp_extract({folded}, '^[0-9]+') AS INTEGER) <= {MAX_DOSES} "
             f"THEN TRY_CAST(regexp_extract({folded}, '^[0-9]+') AS INTEGER) "
             f"WHEN sk_num({cell}) > {MAX_DOSES} THEN 1 END")
    amount = f"CASE WHEN sk_num({cell}) > {MAX_DOSES} THEN sk_num({cell}) END"
    return count, amount


def register_date_of(staged: intake.Staged, given: dt.date | None, if_missing: dt.date | None) -> dt.date:
    """--date, else the one date of the title, else a date in the file name, else the page's date."""
    found = intake.file_date(staged, given, if_missing)
    if found is None:
        raise IntakeError("no_register_date")
    return found


def stage_register(con, staged: intake.Staged, matcher: places.Matcher, district_code,
                   given: dt.date | None, if_missing: dt.date | None) -> None:
    """Read the register's rows into `staged.table`, every problem into `staged.issues_table`."""
    header = staged.header
    cell = lambda name: intake._cell(header, name)  # noqa: E731 - a column's cell, or NULL
    key = intake.Keys(header)  # key.<field>: the column named in an issue
    staged.report_date = register_date_of(staged, given, if_missing)
    if staged.report_date > fmt.now_ist().date():
        staged.read_notes.append(Issue(WARNING, "date_in_future", {"date": staged.report_date}))
    texts = {f"{name}_cell": f"sk_text({cell(name)})" for name in
             ("district", "block_code", "panchayat", "panchayat_code", *TEXT_FIELDS)}
    raw_cells = {f"{name}_raw": f"CAST({cell(name)} AS VARCHAR)" for name in
                 (*DATE_FIELDS, *COUNT_FIELDS, *MONEY_FIELDS, *YES_NO_FIELDS, "credit_linkage")}
    cells = intake.data_cells(con, staged, {**texts, **raw_cells})
    # Date cells repeat: each distinct text is parsed once.
    present_dates = [name for name in DATE_FIELDS if name in header.fields]
    if present_dates:
        union = " UNION ".join(f"SELECT {name}_raw FROM {cells}" for name in present_dates)
        con.execute(f"CREATE TEMP TABLE {cells}_dates AS SELECT text, sk_date(text) AS value "
                    f"FROM (SELECT DISTINCT text FROM ({union}) AS t(text) WHERE NOT sk_is_blank(text))")
    joins = [f"LEFT JOIN {cells}_dates d_{name} ON d_{name}.text = c.{name}_raw" for name in present_dates]
    dates = ", ".join(f"{'d_' + name + '.value' if name in present_dates else 'NULL::DATE'} AS {name}"
                      for name in DATE_FIELDS)
    # Cells with few distinct values (counts of members, Yes/No, credit linkage, status) are
    # parsed once per distinct text too; money is parsed cell by cell.
    credit_count, credit_amount = _credit("text")
    few = {"bank_account": (f"{intake.yes_no('text')} AS bank_account",),
           "credit_linkage": (f"{credit_count} AS credit_linkages", f"{credit_amount} AS credit_amount"),
           **{name: (f"sk_num(text) AS {name}",) for name in COUNT_FIELDS}}
    picks = []
    for name, exprs in few.items():
        con.execute(f"CREATE TEMP TABLE {cells}_{name} AS SELECT text, {', '.join(exprs)} "
                    f"FROM (SELECT DISTINCT {name}_raw AS text FROM {cells})")
        joins.append(f"LEFT JOIN {cells}_{name} l_{name} ON l_{name}.text = c.{name}_raw")
        picks += [f"l_{name}.{expr.rsplit(' AS ', 1)[1]}" for expr in exprs]
    con.execute(f"CREATE TEMP TABLE {cells}_status AS SELECT text, regexp_full_match(sk_label(text), "
                f"'{INACTIVE_STATUS}') AS marked_inactive FROM (SELECT DISTINCT status_cell AS text FROM {cells})")
    joins.append(f"LEFT JOIN {cells}_status l_status ON l_status.text = c.status_cell")
    nums = ", ".join(f"sk_num(c.{name}_raw) AS {name}" for name in MONEY_FIELDS)
    con.execute(f"""
        CREATE TEMP TABLE {cells}_typed AS
        SELECT c.*, {dates}, {nums}, {", ".join(picks)}, l_status.marked_inactive,
            regexp_replace(c.shg_code_cell, '^([0-9]+)\\.0+$', '\\1') AS shg_code
        FROM {cells} c {" ".join(joins)}
    """)
    _row_checks(con, staged, f"{cells}_typed", key)
    # Places: the same matching as progress reports (block, then panchayat within it).
    intake._match_places(con, staged, cells, matcher, district_code)
    con.execute(f"""
        CREATE TEMP TABLE {staged.table} AS
        SELECT c.row_number, DATE '{staged.report_date.isoformat()}' AS register_date,
            coalesce(b.block, p.block) AS block, coalesce(b.block_code, p.block_code) AS block_code,
            coalesce(c.block_cell, c.block_code_cell) AS block_written,
            p.panchayat, p.panchayat_code, c.panchayat_cell AS panchayat_written,
            c.village_cell AS village, c.village_organisation_cell AS village_organisation,
            c.shg_code, c.shg_name_cell AS shg_name, c.formation_date,
            CAST(c.members AS INTEGER) AS members, c.last_meeting, c.savings, c.last_saving_date,
            c.bank_account, c.credit_linkages, c.credit_amount, c.loan_outstanding, c.overdue,
            CAST(c.members_ayushman AS INTEGER) AS members_ayushman,
            CAST(c.members_insured AS INTEGER) AS members_insured,
            c.status_cell AS status, c.marked_inactive,
            c.grade_cell AS grade
        FROM {cells}_typed c
        {intake.place_joins(staged)}
        WHERE NOT EXISTS (SELECT 1 FROM {staged.issues_table} i
                          WHERE i.row_number = c.row_number AND i.severity = '{REJECTED}')
    """)
    intake._reject_rows_without_block(con, staged)
    figures = ("block, panchayat, village, village_organisation, shg_name, formation_date, members, last_meeting, "
               "savings, last_saving_date, bank_account, credit_linkages, credit_amount, loan_outstanding, overdue, "
               "members_ayushman, members_insured, status, grade")
    intake.repeated_rows(con, staged, "shg_code", figures, ("shg_conflicting_rows", "shg_duplicate_row"),
                         "shg_code", "shg")


def _row_checks(con, staged: intake.Staged, typed: str, key: intake.Keys) -> None:
    """Every bad cell with its row, column and value; such a row is kept out."""
    header = staged.header
    register_day = f"DATE '{staged.report_date.isoformat()}'"
    checks = [f"SELECT row_number, {key.shg_code}, NULL, 'shg_no_code' FROM {typed} WHERE shg_code IS NULL",
              f"SELECT row_number, {key.block}, NULL, 'no_place' FROM {typed} "
              f"WHERE coalesce(block_cell, block_code_cell, panchayat_cell, panchayat_code_cell) IS NULL"]
    for name in DATE_FIELDS:
        if name not in header.fields:
            continue
        checks += [
            f"SELECT row_number, {key[name]}, {name}_raw, 'bad_date' FROM {typed} "
            f"WHERE {name} IS NULL AND NOT sk_is_blank({name}_raw)",
            f"SELECT row_number, {key[name]}, {name}_raw, 'date_after_register' FROM {typed} "
            f"WHERE {name} > {register_day}",
        ]
    for name in ("last_meeting", "last_saving_date"):
        if name in header.fields and "formation_date" in header.fields:
            checks.append(f"SELECT row_number, {key[name]}, {name}_raw, '{name}_before_formation' FROM {typed} "
                          f"WHERE {name} < formation_date")
    for name in (*COUNT_FIELDS, *MONEY_FIELDS):
        if name not in header.fields:
            continue
        checks += [
            f"SELECT row_number, {key[name]}, {name}_raw, 'bad_number' FROM {typed} "
            f"WHERE {name} IS NULL AND NOT sk_is_blank({name}_raw)",
            f"SELECT row_number, {key[name]}, {name}_raw, 'negative_number' FROM {typed} WHERE {name} < 0",
            f"SELECT row_number, {key[name]}, {name}_raw, 'number_too_large' FROM {typed} "
            f"WHERE abs({name}) >= {intake.MAX_COUNT}",
        ]
        if name in COUNT_FIELDS:
            checks.append(f"SELECT row_number, {key[name]}, {name}_raw, 'not_whole_number' FROM {typed} "
                          f"WHERE {name} >= 0 AND {name} <> floor({name})")
    for name in ("members_ayushman", "members_insured"):
        if name in header.fields and "members" in header.fields:
            checks.append(f"SELECT row_number, {key[name]}, {name}_raw, 'more_than_members' FROM {typed} "
                          f"WHERE {name} > members")
    if "bank_account" in header.fields:
        checks.append(f"SELECT row_number, {key.bank_account}, bank_account_raw, 'bad_yes_no' FROM {typed} "
                      f"WHERE bank_account IS NULL AND NOT sk_is_blank(bank_account_raw)")
    if "credit_linkage" in header.fields:
        checks.append(f"SELECT row_number, {key.credit_linkage}, credit_linkage_raw, 'bad_credit_linkage' "
                      f"FROM {typed} WHERE credit_linkages IS NULL AND NOT sk_is_blank(credit_linkage_raw)")
    con.execute(f"""
        CREATE TEMP TABLE {staged.issues_table} AS
        SELECT row_number, NULL AS date_cell, column_name, value, '{REJECTED}' AS severity, code,
            NULL::JSON AS params
        FROM ({" UNION ALL ".join(checks)}) AS found(row_number, column_name, value, code)
    """)
    intake.reject_masked_keys(con, staged, typed, "shg_code_cell", key.shg_code)
    names = ("district", "block", "block_code", "panchayat", "panchayat_code", *TEXT_FIELDS)
    intake.reject_long_names(con, staged, typed, {f"{name}_cell": key[name] for name in names
                                                  if name in header.fields})
    if "overdue" in header.fields and "loan_outstanding" in header.fields:
        con.execute(f"""
            INSERT INTO {staged.issues_table}
            SELECT row_number, NULL, {key.overdue}, overdue_raw, '{WARNING}', 'overdue_above_outstanding',
                json_object('outstanding', loan_outstanding_raw)
            FROM {typed} WHERE overdue > loan_outstanding
        """)


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
