"""Workers rosters: one row per worker (ASHA, Anganwadi worker, VLE ...) as of a date: login ID
active, trained, training date, supervisor. Its fields, how a roster is read (each cell checked:
a Yes/No cell that says neither, a date that is not a date is reported with row and column and
the row kept out, never guessed) and stored."""

from __future__ import annotations

import datetime as dt

from samiksha import fmt, intake, places
from samiksha.errors import INFO, REJECTED, WARNING, IntakeError, Issue
from samiksha.kinds import common
from samiksha.reading import Field
from samiksha.workers import ROLES

NAME = "workers"
WORKER_ID = Field("worker_id", "id", words=(("WORKER", "ID"), ("ID",), ("LOGIN", "ID"), ("WORKER", "CODE"),
                                            ("SURVEY", "ID"), ("WORKER",)),
                  not_words=("NAME", "SUPERVISOR", "ACTIVE", "MOBILE", "SHG", "TRAIN", "ROLE", "STATUS"))
WORKER_NAME = Field("worker_name", "name", words=(("WORKER", "NAME"), ("NAME",)),
                    not_words=("SUPERVISOR", "ANM", "ID", "BLOCK", "PANCHAYAT", "DISTRICT", "VILLAGE", "FACILITY",
                               "OFFICER", "HEAD", "SHG", "VO", "CAMP", "TOLA", "STATE"))
FIELDS = (
    *common.PLACES,
    WORKER_ID,
    WORKER_NAME,
    Field("role", "name", words=(("ROLE",), ("CHANNEL",), ("WORKER", "ROLE")), not_words=("NUMBER", "ID")),
    Field("id_active", "yesno", words=(("ACTIVE",), ("ID", "ACTIVE"), ("LOGIN", "ACTIVE"), ("ID", "STATUS")),
          not_words=("TRAIN",)),
    Field("trained", "yesno", words=(("TRAIN",), ("TRAIN", "STATUS")), not_words=("DATE",)),
    Field("training_date", "date", words=(("TRAIN", "DATE"),)),
    Field("supervisor", "text", words=(("SUPERVISOR",), ("SUPERVISOR", "NAME"), ("SUPERVISOR", "ID")),
          lesser=(("ANM",), ("ANM", "NAME")), not_words=("MOBILE",), also=("WORKER", "ANM")),
)
TOLERATED = frozenset({"WORKER", "LOGIN", "AYUSHMAN"})

ROSTER_FIELDS = ("id_active", "trained", "training_date", "supervisor", "role")


def needs(fields, days) -> bool:
    """A worker ID, and where each worker works: a place column, or (a block's own roster, its
    block in the title) a column only a roster has."""
    return "worker_id" in fields and (common.has_place(fields) or any(f in fields for f in ROSTER_FIELDS))


DETECT_BONUS = 2.0


ACTIVE_WORDS = ("active", "activated", "activate", "enabled", "सक्रिय", "चालू", "एक्टिव")
INACTIVE_WORDS = ("inactive", "in active", "not active", "not activated", "deactivated", "disabled", "blocked",
                  "not created", "निष्क्रिय", "असक्रिय", "सक्रिय नहीं", "बंद", "इनएक्टिव")
TRAINED_WORDS = ("trained", "completed", "complete", "प्रशिक्षित", "हुआ", "पूर्ण")
UNTRAINED_WORDS = ("untrained", "not trained", "not done", "अप्रशिक्षित", "नहीं हुआ", "अपूर्ण", "बाकी")


# ---------------------------------------------------------------- reading the files

def worker_id_sql(cell: str) -> str:
    """A worker ID as the roster and the output files are matched on: upper case, ASCII digits,
    no spaces, an Excel number's '.0' gone."""
    return (f"nullif(regexp_replace(regexp_replace(upper(sk_digits(sk_text({cell}))), '\\s+', '', 'g'), "
            f"'^([0-9]+)\\.0+$', '\\1'), '')")


def _role(cell: str) -> str:
    folded = f"sk_label({cell})"
    whens = " ".join(f"WHEN {folded} IN ({intake.sql_words(words)}) THEN '{key}'" for key, words in ROLES.items())
    return f"CASE WHEN sk_is_blank({cell}) THEN NULL {whens} ELSE sk_text({cell}) END"


def file_day(staged: intake.Staged, given, if_missing, fallback_today: bool) -> dt.date | None:
    found = intake.file_date(staged, given, if_missing)
    if found is None and fallback_today:
        found = fmt.now_ist().date()
        staged.read_notes.append(Issue(INFO, "roster_date_today", {"date": found}))
    if found is not None and found > fmt.now_ist().date():
        staged.read_notes.append(Issue(WARNING, "date_in_future", {"date": found}))
    return found


def issues(con, staged: intake.Staged, checks: list[str]) -> None:
    con.execute(f"""
        CREATE TEMP TABLE {staged.issues_table} AS
        SELECT row_number, NULL AS date_cell, column_name, value, severity, code, NULL::JSON AS params
        FROM ({" UNION ALL ".join(checks)}) AS found(row_number, column_name, value, severity, code)
    """)


def stage(con, staged: intake.Staged, matcher: places.Matcher, district_code, given: dt.date | None = None,
          if_missing: dt.date | None = None, indicator: str | None = None) -> None:
    """Read a roster's rows into `staged.table`, every problem into `staged.issues_table`."""
    header = staged.header
    cell = lambda name: intake.cell(header, name)  # noqa: E731 - a column's cell, or NULL
    key = intake.Keys(header)  # key.<field>: the column named in an issue
    staged.report_date = file_day(staged, given, if_missing, fallback_today=True)
    texts = {f"{name}_cell": f"sk_text({cell(name)})" for name in
             ("district", "block_code", "panchayat", "panchayat_code", "worker_name", "supervisor")}
    raws = {f"{name}_raw": f"CAST({cell(name)} AS VARCHAR)" for name in
            ("worker_id", "role", "id_active", "trained", "training_date")}
    cells = intake.data_cells(con, staged, {**texts, **raws})
    if not common.has_place(header.fields):  # a block's own roster: the block is in its title
        block = intake.block_from_title(staged, matcher, district_code)
        if block is None:
            raise IntakeError("roster_no_place")
        staged.read_notes.append(Issue(INFO, "block_from_title", {"block": block.name}))
        intake.set_block(con, staged, block.name)
    roster_day = f"DATE '{staged.report_date.isoformat()}'"
    has_date_only = "trained" not in header.fields and "training_date" in header.fields
    # Few distinct texts in these columns: each is read once.
    active = intake.yes_no("text", ACTIVE_WORDS, INACTIVE_WORDS)
    trained = intake.yes_no("text", TRAINED_WORDS, UNTRAINED_WORDS)
    con.execute(f"""
        CREATE TEMP TABLE {cells}_typed AS
        WITH active AS (SELECT text, {active} AS id_active FROM (SELECT DISTINCT id_active_raw AS text FROM {cells})),
        trained AS (SELECT text, {trained} AS trained, sk_date(text) AS trained_on
                    FROM (SELECT DISTINCT trained_raw AS text FROM {cells})),
        days AS (SELECT text, sk_date(text) AS day FROM (SELECT DISTINCT training_date_raw AS text FROM {cells})),
        roles AS (SELECT text, {_role('text')} AS role FROM (SELECT DISTINCT role_raw AS text FROM {cells}))
        SELECT c.*, {worker_id_sql('c.worker_id_raw')} AS worker_id, sk_text(c.worker_id_raw) AS worker_id_written,
            r.role, a.id_active,
            -- a date in the Trained column says trained, and when; with no Trained column (or a
            -- blank cell) a training date on or before the roster's date says trained
            coalesce(t.trained, CASE WHEN t.trained_on IS NOT NULL THEN true END,
                     CASE WHEN coalesce(d.day, t.trained_on) IS NOT NULL THEN coalesce(d.day, t.trained_on) <= {roster_day}
                          WHEN {has_date_only} THEN false
                     END) AS trained,
            coalesce(d.day, t.trained_on) AS training_date
        FROM {cells} c
        LEFT JOIN active a ON a.text IS NOT DISTINCT FROM c.id_active_raw
        LEFT JOIN trained t ON t.text IS NOT DISTINCT FROM c.trained_raw
        LEFT JOIN days d ON d.text IS NOT DISTINCT FROM c.training_date_raw
        LEFT JOIN roles r ON r.text IS NOT DISTINCT FROM c.role_raw
    """)
    typed = f"{cells}_typed"
    checks = [
        f"SELECT row_number, {key.worker_id}, NULL, '{REJECTED}', 'worker_no_id' FROM {typed} WHERE worker_id IS NULL",
        f"SELECT row_number, {key.block}, NULL, '{REJECTED}', 'no_place' FROM {typed} "
        f"WHERE coalesce(block_cell, block_code_cell, panchayat_cell, panchayat_code_cell) IS NULL",
    ]
    if "id_active" in header.fields:
        checks.append(common.bad_yes_no(typed, key.id_active, "id_active", REJECTED))
    if "trained" in header.fields:
        checks.append(common.bad_yes_no(typed, key.trained, "trained", REJECTED))
    if "training_date" in header.fields:
        checks += [
            f"SELECT row_number, {key.training_date}, training_date_raw, '{REJECTED}', 'bad_date' FROM {typed} "
            f"WHERE training_date IS NULL AND NOT sk_is_blank(training_date_raw)",
            f"SELECT row_number, {key.training_date}, training_date_raw, '{WARNING}', 'trained_date_ahead' "
            f"FROM {typed} WHERE trained AND training_date > {roster_day}",
            f"SELECT row_number, {key.trained}, trained_raw, '{WARNING}', 'untrained_with_date' "
            f"FROM {typed} WHERE NOT trained AND training_date <= {roster_day}",
        ]
    issues(con, staged, checks)
    intake.reject_masked_keys(con, staged, typed, "worker_id_raw", key.worker_id)
    names = {"district": "district_cell", "block": "block_cell", "block_code": "block_code_cell",
             "panchayat": "panchayat_cell", "panchayat_code": "panchayat_code_cell", "worker_id": "worker_id_raw",
             "worker_name": "worker_name_cell", "role": "role_raw", "supervisor": "supervisor_cell"}
    intake.reject_long_names(con, staged, typed, {cell: key[name] for name, cell in names.items()
                                                  if name in header.fields})
    intake.match_places(con, staged, cells, matcher, district_code)
    con.execute(f"""
        CREATE TEMP TABLE {staged.table} AS
        SELECT c.row_number, {roster_day} AS roster_date, c.worker_id, c.worker_id_written,
            c.worker_name_cell AS worker_name, c.role,
            coalesce(b.block, p.block) AS block, coalesce(b.block_code, p.block_code) AS block_code,
            coalesce(c.block_cell, c.block_code_cell) AS block_written,
            p.panchayat, p.panchayat_code, c.panchayat_cell AS panchayat_written,
            c.id_active, c.trained, c.training_date,
            regexp_replace(c.supervisor_cell, '\\s+', ' ', 'g') AS supervisor
        FROM {typed} c
        {intake.place_joins(staged)}
        WHERE NOT EXISTS (SELECT 1 FROM {staged.issues_table} i
                          WHERE i.row_number = c.row_number AND i.severity = '{REJECTED}')
    """)
    intake.reject_rows_without_block(con, staged)
    intake.repeated_rows(con, staged, "worker_id",
                         "worker_name, role, block, panchayat, id_active, trained, training_date, supervisor",
                         ("worker_conflicting_rows", "worker_duplicate_row"), "worker_id_written", "worker")


# ---------------------------------------------------------------- storing

TABLE = "workers"
NAMED_PLACES = True


KEY = ("worker_id", "roster_date")  # a later row with the same key replaces the earlier one


def store_rows(con, staged: intake.Staged, upload_id: int) -> None:
    common.insert_by_name(con, TABLE, staged, upload_id)


def replaced(con, staged: intake.Staged) -> list[dict]:
    """Earlier uploads whose rows for the same worker and roster date this file replaces."""
    return common.replaced_by_key(con, TABLE, staged, KEY)
