"""SHG registers: one row per self-help group as of a date. Its fields, how a register is read
(each cell checked) and stored."""

from __future__ import annotations

import datetime as dt

from samiksha import fmt, intake, places
from samiksha.errors import REJECTED, WARNING, IntakeError, Issue
from samiksha.kinds import common
from samiksha.reading import Field, Reading, words_of

NAME = "shg"
_NOT_NAME = ("CODE", "ID", "ROLE", "MEMBER", "VO", "FORMATION", "MEETING", "SAVING", "BANK", "ACCOUNT", "LINKAGE",
             "LOAN", "STATUS", "GRADE", "NUMBER", "JOIN", "DATE", "OFFICER", "MOBILE", "REMARKS")
FIELDS = (
    *common.PLACES,
    Field("shg_code", "code", words=(("SHG", "CODE"), ("SHG", "ID"), ("SHG", "CODE", "ID")),
          not_words=("NAME", "VO", "BANK", "ACCOUNT", "MOBILE")),
    Field("shg_name", "name", words=(("SHG", "NAME"), ("SHG",)), not_words=_NOT_NAME[:-4] + ("OFFICER", "MOBILE")),
    Field("village_organisation", "name", words=(("VO",), ("VO", "NAME")), not_words=("CODE", "ID")),
    Field("formation_date", "date", words=(("FORMATION",), ("FORMATION", "DATE")), not_words=("MEMBER",)),
    Field("members", "count", words=(("MEMBER",), ("MEMBER", "CUMULATIVE"), ("MEMBER", "NUMBER")),
          not_words=("AYUSHMAN", "INSURANCE", "CARD", "WITHOUT", "REMAINING", "MEETING", "SAVING"), measure=True),
    Field("last_meeting", "date", words=(("MEETING",), ("MEETING", "DATE"), ("MEETING", "PREVIOUS")),
          not_words=("NUMBER",)),
    Field("savings", "money", words=(("SAVING",), ("SAVING", "AMOUNT"), ("SAVING", "CUMULATIVE")),
          not_words=("DATE", "ACCOUNT", "BANK", "TRANSACTION", "PREVIOUS"), measure=True),
    Field("last_saving_date", "date",
          words=(("SAVING", "DATE"), ("SAVING", "PREVIOUS"), ("TRANSACTION",), ("TRANSACTION", "DATE")),
          not_words=("AMOUNT",)),
    Field("bank_account", "account", words=(("BANK", "ACCOUNT"), ("ACCOUNT",), ("BANK",)),
          not_words=("LINKAGE", "LOAN", "CODE"), also=("SAVING", "NUMBER", "NAME", "SHG")),
    Field("credit_linkage", "credit", words=(("LINKAGE",), ("CREDIT", "LINKAGE"), ("CREDIT",), ("LINKAGE", "DATE"),
                                             ("BANK", "LINKAGE"), ("LOAN", "FIRST"), ("LINKAGE", "FIRST")),
          not_words=("OUTSTANDING", "OVERDUE", "AMOUNT"),
          also=("FIRST", "DATE", "BANK", "LOAN", "ACHIEVE", "CREDIT", "STATUS")),
    Field("loan_outstanding", "money", words=(("OUTSTANDING",), ("LOAN", "OUTSTANDING"), ("LOAN", "REMAINING")),
          not_words=("OVERDUE",), also=("LINKAGE", "LOAN", "AMOUNT", "CREDIT")),
    Field("overdue", "money", words=(("OVERDUE",),), also=("LINKAGE", "LOAN", "AMOUNT", "OUTSTANDING", "CREDIT")),
    Field("members_ayushman", "count", words=(("MEMBER", "AYUSHMAN"), ("MEMBER", "CARD"), ("AYUSHMAN",)),
          not_words=("WITHOUT", "INSURANCE"), also=("CARD", "ACHIEVE")),
    Field("members_insured", "count", words=(("MEMBER", "INSURANCE"), ("INSURANCE",)), also=("ACHIEVE",)),
    Field("status", "status", words=(("STATUS",), ("ACTIVE",)), not_words=("REMARKS", "ID"), also=("ACTIVE",)),
    Field("grade", "status", words=(("GRADE",),)),
)
TOLERATED = frozenset({"SHG", "AMOUNT", "CUMULATIVE"})


SHG_MEASURES = ("last_meeting", "savings", "members", "formation_date", "last_saving_date", "overdue")


def needs(fields, days) -> bool:
    return "shg_code" in fields and (common.has_place(fields) or "district" in fields)


DETECT_BONUS = 2.0


def resolve(reading: Reading, profiles: dict) -> None:
    """A register with a "Credit linkage" column and a "Bank linkage" one: the credit linkage
    is the column that says credit, and the bank's is the bank account (alone, "Bank linkage"
    is the credit linkage)."""
    credit = [c for c in reading.columns if c.label and "CREDIT" in words_of(c.label).concepts
              and "LINKAGE" in words_of(c.label).concepts]
    bank = [c for c in reading.columns if c.label and {"BANK", "LINKAGE"} <= words_of(c.label).concepts
            and "CREDIT" not in words_of(c.label).concepts]
    if len(credit) != 1 or len(bank) != 1 or any(c.field == "bank_account" and c is not bank[0]
                                                  for c in reading.columns):
        return
    for col in reading.columns:
        if col.field == "credit_linkage" and col is not credit[0]:
            col.field = None
    credit[0].field, credit[0].sure = "credit_linkage", True
    bank[0].field, bank[0].sure = "bank_account", True


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


# ---------------------------------------------------------------- reading a register

def _credit(cell: str) -> tuple[str, str]:
    """(number of credit linkages, amount): Yes/No, 1st/2nd, first/दूसरा, a count, an amount, or the
    date of the (first) linkage: a date means linked once at least."""
    folded = f"sk_label(sk_digits({cell}))"
    ordinal = " ".join(f"WHEN {folded} = '{w}' THEN {n}" for w, n in ORDINALS.items())
    count = (f"CASE WHEN sk_is_blank({cell}) THEN NULL WHEN {folded} IN ({intake.sql_words(intake.YES_WORDS)}) THEN 1 "
             f"WHEN {folded} IN ({intake.sql_words(intake.NO_WORDS)}) THEN 0 {ordinal} "
             f"WHEN regexp_full_match({folded}, '[0-9]{{1,2}} ?(st|nd|rd|th)?( dose| linkage| cl)?') "
             f"AND TRY_CAST(regexp_extract({folded}, '^[0-9]+') AS INTEGER) <= {MAX_DOSES} "
             f"THEN TRY_CAST(regexp_extract({folded}, '^[0-9]+') AS INTEGER) "
             f"WHEN sk_num({cell}) IS NULL AND sk_date({cell}) IS NOT NULL THEN 1 "
             f"WHEN sk_num({cell}) > {MAX_DOSES} THEN 1 END")
    amount = f"CASE WHEN sk_num({cell}) > {MAX_DOSES} THEN sk_num({cell}) END"
    return count, amount


def register_date_of(staged: intake.Staged, given: dt.date | None, if_missing: dt.date | None) -> dt.date:
    """--date, else the one date of the title, else a date in the file name, else the page's date."""
    found = intake.file_date(staged, given, if_missing)
    if found is None:
        raise IntakeError("no_register_date")
    return found


def stage(con, staged: intake.Staged, matcher: places.Matcher, district_code, given: dt.date | None = None,
          if_missing: dt.date | None = None, indicator: str | None = None) -> None:
    """Read the register's rows into `staged.table`, every problem into `staged.issues_table`.

    A register is one row per self-help group as of a date (the `--date`, the title, or a date
    in the file name). Each row is checked cell by cell: a date that is not a date, a meeting
    before the group was formed, a Yes/No cell that says neither, members with a card above
    the members are reported with row and column and the row is kept out, never guessed. A
    blank cell stays blank ("not recorded"), never zero."""
    header = staged.header
    cell = lambda name: intake.cell(header, name)  # noqa: E731 - a column's cell, or NULL
    key = intake.Keys(header)  # key.<field>: the column named in an issue
    staged.report_date = register_date_of(staged, given, if_missing)
    if staged.report_date > fmt.now_ist().date():
        staged.read_notes.append(Issue(WARNING, "date_in_future", {"date": staged.report_date}))
    texts = {f"{name}_cell": f"sk_text({cell(name)})" for name in
             ("district", "block_code", "panchayat", "panchayat_code", *TEXT_FIELDS)}
    raw_cells = {f"{name}_raw": f"CAST({cell(name)} AS VARCHAR)" for name in
                 (*DATE_FIELDS, *COUNT_FIELDS, *MONEY_FIELDS, *YES_NO_FIELDS, "credit_linkage")}
    # Each date, count, Yes/No, credit linkage and status text is read once (a small table of
    # the distinct texts, joined by the wide rows); money is read cell by cell.
    joins, typed = [], {}
    present_dates = [name for name in DATE_FIELDS if name in header.fields]
    if present_dates:
        dates = intake.distinct_texts(con, staged, "dates", [header.fields[n] for n in present_dates],
                                      "sk_date(text) AS value")
        joins += [f"LEFT JOIN {dates} d_{name} ON d_{name}.text = {cell(name)}" for name in present_dates]
    typed |= {name: f"d_{name}.value" if name in present_dates else "NULL::DATE" for name in DATE_FIELDS}
    few = {"bank_account": lambda text: {"bank_account": intake.yes_no(text)},
           "credit_linkage": lambda text: dict(zip(("credit_linkages", "credit_amount"), _credit(text), strict=True)),
           "status": lambda text: {"marked_inactive": f"regexp_full_match(sk_label(sk_text({text})), '{INACTIVE_STATUS}')"},
           **{name: (lambda text, name=name: {name: f"sk_num({text})"}) for name in COUNT_FIELDS}}
    for name, exprs in few.items():
        if name not in header.fields:  # each as it reads a blank cell: NULL
            typed |= exprs("NULL::VARCHAR")
            continue
        read = exprs("text")
        table = intake.distinct_texts(con, staged, name, [header.fields[name]],
                                      ", ".join(f"{expr} AS {column}" for column, expr in read.items()))
        joins.append(f"LEFT JOIN {table} l_{name} ON l_{name}.text = {cell(name)}")
        typed |= {column: f"l_{name}.{column}" for column in read}
    typed |= {name: f"sk_num({cell(name)})" for name in MONEY_FIELDS}
    cells = intake.data_cells(con, staged, {**texts, **raw_cells, **typed}, " ".join(joins),
                              {"shg_code": "regexp_replace(shg_code_cell, '^([0-9]+)\\.0+$', '\\1')"})
    _row_checks(con, staged, cells, key)
    # Places: the same matching as progress reports (block, then panchayat within it).
    intake.match_places(con, staged, cells, matcher, district_code)
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
        FROM {cells} c
        {intake.place_joins(staged)}
        WHERE NOT EXISTS (SELECT 1 FROM {staged.issues_table} i
                          WHERE i.row_number = c.row_number AND i.severity = '{REJECTED}')
    """)
    intake.reject_rows_without_block(con, staged)
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
        checks.append(common.bad_yes_no(typed, key.bank_account, "bank_account"))
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


# ---------------------------------------------------------------- storing

TABLE = "shg_register"
NAMED_PLACES = True


KEY = ("shg_code", "register_date")  # a later row with the same key replaces the earlier one


def store_rows(con, staged: intake.Staged, upload_id: int) -> None:
    common.insert_by_name(con, TABLE, staged, upload_id)


def replaced(con, staged: intake.Staged) -> list[dict]:
    """Earlier uploads whose rows for the same register date and SHG this file replaces."""
    return common.replaced_by_key(con, TABLE, staged, KEY)
