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

from samiksha import fmt, intake, places, store
from samiksha.errors import INFO, REJECTED, WARNING, IntakeError, Issue
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
ACTIVE_WORDS = ("active", "activated", "activate", "enabled", "सक्रिय", "चालू", "एक्टिव")
INACTIVE_WORDS = ("inactive", "in active", "not active", "not activated", "deactivated", "disabled", "blocked",
                  "not created", "निष्क्रिय", "असक्रिय", "सक्रिय नहीं", "बंद", "इनएक्टिव")
TRAINED_WORDS = ("trained", "completed", "complete", "प्रशिक्षित", "हुआ", "पूर्ण")
UNTRAINED_WORDS = ("untrained", "not trained", "not done", "अप्रशिक्षित", "नहीं हुआ", "अपूर्ण", "बाकी")


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


# ---------------------------------------------------------------- reading the files

def _worker_id(cell: str) -> str:
    """A worker ID as the roster and the output files are matched on: upper case, ASCII digits,
    no spaces, an Excel number's '.0' gone."""
    return (f"nullif(regexp_replace(regexp_replace(upper(sk_digits(sk_text({cell}))), '\\s+', '', 'g'), "
            f"'^([0-9]+)\\.0+$', '\\1'), '')")


def _role(cell: str) -> str:
    folded = f"sk_label({cell})"
    whens = " ".join(f"WHEN {folded} IN ({intake.sql_words(words)}) THEN '{key}'" for key, words in ROLES.items())
    return f"CASE WHEN sk_is_blank({cell}) THEN NULL {whens} ELSE sk_text({cell}) END"


def _file_day(staged: intake.Staged, given, if_missing, fallback_today: bool) -> dt.date | None:
    found = intake.file_date(staged, given, if_missing)
    if found is None and fallback_today:
        found = fmt.now_ist().date()
        staged.read_notes.append(Issue(INFO, "roster_date_today", {"date": found}))
    if found is not None and found > fmt.now_ist().date():
        staged.read_notes.append(Issue(WARNING, "date_in_future", {"date": found}))
    return found


def _issues(con, staged: intake.Staged, checks: list[str]) -> None:
    con.execute(f"""
        CREATE TEMP TABLE {staged.issues_table} AS
        SELECT row_number, NULL AS date_cell, column_name, value, severity, code, NULL::JSON AS params
        FROM ({" UNION ALL ".join(checks)}) AS found(row_number, column_name, value, severity, code)
    """)


def stage_roster(con, staged: intake.Staged, matcher: places.Matcher, district_code,
                 given: dt.date | None, if_missing: dt.date | None) -> None:
    """Read a roster's rows into `staged.table`, every problem into `staged.issues_table`."""
    header = staged.header
    cell = lambda name: intake._cell(header, name)  # noqa: E731 - a column's cell, or NULL
    key = intake.Keys(header)  # key.<field>: the column named in an issue
    staged.report_date = _file_day(staged, given, if_missing, fallback_today=True)
    texts = {f"{name}_cell": f"sk_text({cell(name)})" for name in
             ("district", "block_code", "panchayat", "panchayat_code", "worker_name", "supervisor")}
    raws = {f"{name}_raw": f"CAST({cell(name)} AS VARCHAR)" for name in
            ("worker_id", "role", "id_active", "trained", "training_date")}
    cells = intake.data_cells(con, staged, {**texts, **raws})
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
        SELECT c.*, {_worker_id('c.worker_id_raw')} AS worker_id, sk_text(c.worker_id_raw) AS worker_id_written,
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
        checks.append(f"SELECT row_number, {key.id_active}, id_active_raw, '{REJECTED}', 'bad_yes_no' FROM {typed} "
                      f"WHERE id_active IS NULL AND NOT sk_is_blank(id_active_raw)")
    if "trained" in header.fields:
        checks.append(f"SELECT row_number, {key.trained}, trained_raw, '{REJECTED}', 'bad_yes_no' FROM {typed} "
                      f"WHERE trained IS NULL AND NOT sk_is_blank(trained_raw)")
    if "training_date" in header.fields:
        checks += [
            f"SELECT row_number, {key.training_date}, training_date_raw, '{REJECTED}', 'bad_date' FROM {typed} "
            f"WHERE training_date IS NULL AND NOT sk_is_blank(training_date_raw)",
            f"SELECT row_number, {key.training_date}, training_date_raw, '{WARNING}', 'trained_date_ahead' "
            f"FROM {typed} WHERE trained AND training_date > {roster_day}",
            f"SELECT row_number, {key.trained}, trained_raw, '{WARNING}', 'untrained_with_date' "
            f"FROM {typed} WHERE NOT trained AND training_date <= {roster_day}",
        ]
    _issues(con, staged, checks)
    intake.reject_masked_keys(con, staged, typed, "worker_id_raw", key.worker_id)
    names = {"district": "district_cell", "block": "block_cell", "block_code": "block_code_cell",
             "panchayat": "panchayat_cell", "panchayat_code": "panchayat_code_cell", "worker_id": "worker_id_raw",
             "worker_name": "worker_name_cell", "role": "role_raw", "supervisor": "supervisor_cell"}
    intake.reject_long_names(con, staged, typed, {cell: key[name] for name, cell in names.items()
                                                  if name in header.fields})
    intake._match_places(con, staged, cells, matcher, district_code)
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
    intake._reject_rows_without_block(con, staged)
    intake.repeated_rows(con, staged, "worker_id",
                         "worker_name, role, block, panchayat, id_active, trained, training_date, supervisor",
                         ("worker_conflicting_rows", "worker_duplicate_row"), "worker_id_written", "worker")


def stage_output(con, staged: intake.Staged, matcher: places.Matcher, district_code,
                 given: dt.date | None, if_missing: dt.date | None) -> None:
    """Read an output file's rows (date, worker ID, cards) into `staged.table`."""
    header = staged.header
    cell = lambda name: intake._cell(header, name)  # noqa: E731
    key = intake.Keys(header)
    has_date = "output_date" in header.fields
    if not has_date:
        staged.report_date = _file_day(staged, given, if_missing, fallback_today=False)
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
        SELECT c.*, {_worker_id('c.worker_id_raw')} AS worker_id, sk_text(c.worker_id_raw) AS worker_id_written,
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
    _issues(con, staged, checks)
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

def output_dates(con) -> list[dt.date]:
    """Days with output stored, latest first."""
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
