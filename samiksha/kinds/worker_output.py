"""Workers' output: cards made per worker per day (the portal's export). A negative or
fractional count is reported with row and column and the row kept out; output for a worker ID
that no roster holds is stored and reported (it counts for no block until a roster names the
worker)."""

from __future__ import annotations

import datetime as dt

from samiksha import fmt, intake, places, store
from samiksha.errors import REJECTED, WARNING, IntakeError, Issue
from samiksha.kinds import common
from samiksha.kinds.workers import WORKER_ID, WORKER_NAME, file_day, issues, worker_id_sql
from samiksha.reading import Field

NAME = "worker_output"
FIELDS = (
    *common.PLACES,
    Field("output_date", "date", words=(("DATE",), ("CARD", "DATE"), ("ACHIEVE", "DATE")),
          not_words=("TRAIN", "JOIN")),
    WORKER_ID,
    WORKER_NAME,
    Field("cards", "count", words=(("CARD",), ("ACHIEVE",), ("CARD", "ACHIEVE"), ("CARD", "NUMBER")),
          not_words=("DATE", "REJECTED", "PENDING"), also=("TODAY", "AYUSHMAN", "ACHIEVE", "CARD"), measure=True),
)
TOLERATED = frozenset({"AYUSHMAN", "WORKER", "APPROVED", "NUMBER"})


def needs(fields, days) -> bool:
    return "worker_id" in fields and "cards" in fields


DETECT_BONUS = 2.0


def stage(con, staged: intake.Staged, matcher: places.Matcher, district_code, given: dt.date | None = None,
          if_missing: dt.date | None = None, indicator: str | None = None) -> None:
    """Read an output file's rows (date, worker ID, cards) into `staged.table`."""
    header = staged.header
    cell = lambda name: intake.cell(header, name)  # noqa: E731
    key = intake.Keys(header)
    has_date = "output_date" in header.fields
    if not has_date:
        staged.report_date = file_day(staged, given, if_missing, fallback_today=False)
        if staged.report_date is None:
            raise IntakeError("no_output_date")
    raws = {f"{name}_raw": f"CAST({cell(name)} AS VARCHAR)" for name in ("worker_id", "cards", "output_date")}
    name_cell = cell("worker_name")
    cells = intake.data_cells(con, staged, {**raws, "worker_name_cell": f"sk_text({name_cell})"})
    day = ("d.day" if has_date else f"DATE '{staged.report_date.isoformat()}'")
    con.execute(f"""
        CREATE TEMP TABLE {cells}_typed AS
        WITH days AS (SELECT text, sk_date(text) AS day FROM (SELECT DISTINCT output_date_raw AS text FROM {cells})),
        counts AS (SELECT text, sk_num(text) AS cards FROM (SELECT DISTINCT cards_raw AS text FROM {cells}))
        SELECT c.*, {worker_id_sql('c.worker_id_raw')} AS worker_id, sk_text(c.worker_id_raw) AS worker_id_written,
            {day} AS output_date, n.cards
        FROM {cells} c
        LEFT JOIN days d ON d.text IS NOT DISTINCT FROM c.output_date_raw
        LEFT JOIN counts n ON n.text IS NOT DISTINCT FROM c.cards_raw
    """)
    typed = f"{cells}_typed"
    checks = [
        f"SELECT row_number, {key.worker_id}, NULL, '{REJECTED}', 'worker_no_id' FROM {typed} WHERE worker_id IS NULL",
        f"SELECT row_number, {key.cards}, cards_raw, '{REJECTED}', 'bad_number' FROM {typed} "
        f"WHERE cards IS NULL AND NOT sk_is_blank(cards_raw)",
        f"SELECT row_number, {key.cards}, NULL, '{REJECTED}', 'no_cards_figure' FROM {typed} "
        f"WHERE sk_is_blank(cards_raw)",
        f"SELECT row_number, {key.cards}, cards_raw, '{REJECTED}', 'negative_number' FROM {typed} WHERE cards < 0",
        f"SELECT row_number, {key.cards}, cards_raw, '{REJECTED}', 'not_whole_number' FROM {typed} "
        f"WHERE cards >= 0 AND cards <> floor(cards)",
        f"SELECT row_number, {key.cards}, cards_raw, '{REJECTED}', 'number_too_large' FROM {typed} "
        f"WHERE cards >= 100000",
    ]
    if has_date:
        checks += [
            f"SELECT row_number, {key.output_date}, output_date_raw, '{REJECTED}', 'bad_date' FROM {typed} "
            f"WHERE output_date IS NULL AND NOT sk_is_blank(output_date_raw)",
            f"SELECT row_number, {key.output_date}, NULL, '{REJECTED}', 'no_output_date_cell' FROM {typed} "
            f"WHERE sk_is_blank(output_date_raw)",
        ]
    issues(con, staged, checks)
    intake.reject_masked_keys(con, staged, typed, "worker_id_raw", key.worker_id)
    names = {"block": "block_cell", "worker_id": "worker_id_raw", "worker_name": "worker_name_cell"}
    intake.reject_long_names(con, staged, typed, {cell: key[name] for name, cell in names.items()
                                                  if name in header.fields})
    con.execute(f"""
        CREATE TEMP TABLE {staged.table} AS
        SELECT c.row_number, c.output_date, c.worker_id, c.worker_id_written, CAST(c.cards AS INTEGER) AS cards,
            c.worker_name_cell AS name_written, c.block_cell AS block_written
        FROM {typed} c
        WHERE NOT EXISTS (SELECT 1 FROM {staged.issues_table} i
                          WHERE i.row_number = c.row_number AND i.severity = '{REJECTED}')
    """)
    intake.repeated_rows(con, staged, "worker_id, output_date", "cards",
                         ("output_conflicting_rows", "output_duplicate_row"), "worker_id_written", "worker")
    dates = con.execute(f"SELECT min(output_date), max(output_date) FROM {staged.table}").fetchall()[0]
    staged.date_from, staged.date_to = dates
    if dates[0] is not None and dates[0] == dates[1]:
        staged.report_date = dates[0]
    if has_date and dates[1] is not None and dates[1] > fmt.now_ist().date():
        staged.read_notes.append(Issue(WARNING, "date_in_future", {"date": dates[1]}))
    _unknown_workers(con, staged, key.worker_id)


def _unknown_workers(con, staged: intake.Staged, column_key: str) -> None:
    """Output for a worker ID no stored roster holds: stored, and said row by row (or once,
    when there is no roster yet)."""
    rosters = store.scalar(con, "SELECT count(*) FROM duckdb_tables() WHERE table_name = 'workers'") and \
        store.scalar(con, "SELECT count(*) FROM workers w JOIN uploads u USING (upload_id) WHERE u.status = 'stored'")
    if not rosters:
        staged.read_notes.append(Issue(WARNING, "no_roster_yet", {}))
        return
    con.execute(f"""
        INSERT INTO {staged.issues_table}
        SELECT s.row_number, NULL, {column_key}, s.worker_id_written, '{WARNING}', 'worker_not_in_roster', NULL
        FROM {staged.table} s
        WHERE s.worker_id NOT IN (SELECT w.worker_id FROM workers w JOIN uploads u USING (upload_id)
                                  WHERE u.status = 'stored')
    """)


# ---------------------------------------------------------------- for the page


# ---------------------------------------------------------------- storing

TABLE = "worker_output"


KEY = ("worker_id", "output_date")  # a later row with the same key replaces the earlier one


def store_rows(con, staged: intake.Staged, upload_id: int) -> None:
    common.insert_by_name(con, TABLE, staged, upload_id)


def replaced(con, staged: intake.Staged) -> list[dict]:
    """Earlier uploads whose rows for the same worker and day this file replaces."""
    return common.replaced_by_key(con, TABLE, staged, KEY)
