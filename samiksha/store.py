"""The store: one embedded DuckDB file, its schema migrations and derived views.

Migrations are `sql/NNN_*.sql`, applied in order once each and recorded in
`schema_migrations`. Views and table macros (`sql/views.sql`) are replaced whenever that
file changes. Raw uploads are kept in a folder beside the database file.
"""

from __future__ import annotations

import hashlib
import os
import re
import time
from contextlib import contextmanager
from pathlib import Path

import duckdb

from samiksha import fmt, values
from samiksha.errors import IntakeError

SQL_DIR = Path(__file__).with_name("sql")
ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DB = ROOT / "data" / "samiksha.duckdb"
MEMORY = ":memory:"
LOCK_POLL_S = 0.2  # how often a process waiting for the store tries again


def db_path(cli_value: str | None = None) -> str:
    """--db first, then SAMIKSHA_DB, then data/samiksha.duckdb."""
    return cli_value or os.environ.get("SAMIKSHA_DB") or str(DEFAULT_DB)


def files_dir(path: str) -> Path | None:
    """Where raw uploads are kept: `<store>_files/` beside the database file."""
    if path == MEMORY:
        return None
    db = Path(path)
    return db.with_name(db.stem + "_files")


def migrations() -> list[tuple[int, Path]]:
    found = []
    for path in sorted(SQL_DIR.glob("[0-9][0-9][0-9]_*.sql")):
        found.append((int(path.name[:3]), path))
    return found


def open_store(path: str | None = None, read_only: bool = False, wait: float = 0.0,
               on_wait=None) -> duckdb.DuckDBPyConnection:
    """Open (creating and migrating when needed) the store at `path`.

    A store file is open for writing in one process at a time. While another process has
    it, wait up to `wait` seconds (calling `on_wait()` once, to say so), then give up with
    `store_locked`."""
    path = db_path(path)
    if path != MEMORY:
        Path(path).parent.mkdir(parents=True, exist_ok=True)
    deadline, told = time.monotonic() + wait, False
    while True:
        try:
            con = duckdb.connect(path, read_only=read_only)
            break
        except duckdb.IOException as exc:
            if "lock" not in str(exc).lower():
                raise IntakeError("store_unreadable", path=path) from None
            if time.monotonic() >= deadline:
                raise IntakeError("store_locked", path=path) from None
            if on_wait is not None and not told:
                on_wait()
                told = True
            time.sleep(LOCK_POLL_S)
    if not read_only:
        migrate(con)
    return con


def migrate(con) -> list[int]:
    """Apply pending migrations, then refresh views when their definition changed."""
    con.execute(
        "CREATE TABLE IF NOT EXISTS schema_migrations "
        "(version INTEGER PRIMARY KEY, name VARCHAR, applied_at TIMESTAMP)"
    )
    done = {row[0] for row in con.execute("SELECT version FROM schema_migrations").fetchall()}
    applied = []
    for version, path in migrations():
        if version in done:
            continue
        with transaction(con):
            con.execute(path.read_text(encoding="utf-8"))
            con.execute("INSERT INTO schema_migrations VALUES (?, ?, ?)",
                        [version, path.name, fmt.now_ist()])
        applied.append(version)
    _refresh_views(con)
    return applied


def _refresh_views(con) -> None:
    text = values.VALUE_MACROS + (SQL_DIR / "views.sql").read_text(encoding="utf-8")
    digest = hashlib.sha256(text.encode()).hexdigest()
    con.execute("CREATE TABLE IF NOT EXISTS schema_views (digest VARCHAR)")
    rows = con.execute("SELECT digest FROM schema_views").fetchall()
    if rows and rows[0][0] == digest:
        return
    with transaction(con):
        con.execute(text)
        con.execute("DELETE FROM schema_views")
        con.execute("INSERT INTO schema_views VALUES (?)", [digest])


# What the series are made from: the view definitions, the stored progress rows (rows are
# only ever added or, with the demo, deleted: their count and last upload), every upload's
# status, and the count of place names applied to stored rows (ingest._apply_name). Any
# change (an upload, an undo, a confirmed name) changes it; it costs a few milliseconds.
SERIES_FINGERPRINT = """
SELECT concat_ws(':',
    (SELECT any_value(digest) FROM schema_views),
    (SELECT count(*) FROM progress), (SELECT max(upload_id) FROM progress),
    (SELECT hash(string_agg(concat(upload_id, '=', status), ',' ORDER BY upload_id)) FROM uploads),
    (SELECT any_value(CAST(value AS VARCHAR)) FROM settings WHERE key = $names_key))
"""
NAMES_KEY = "names_version"


def names_changed(con) -> None:
    """Stored rows were given other place names: the series must be worked out again."""
    con.execute("INSERT OR REPLACE INTO settings SELECT $key, "
                "to_json(coalesce((SELECT TRY_CAST(CAST(value AS VARCHAR) AS BIGINT) FROM settings "
                "WHERE key = $key), 0) + 1)", {"key": NAMES_KEY})


def refresh_series(con) -> bool:
    """Work the progress series out again when the stored rows changed since the last time
    (cheap when nothing changed). A store opened read-only gets a private copy instead."""
    return _refresh(con, SERIES_FINGERPRINT, "series_cache", "series_state", "progress_series_live")


def _refresh(con, fingerprint_sql: str, cache: str, state: str, live: str, replace: bool = False) -> bool:
    """Fill the table `cache` from the view `live` when `fingerprint_sql` says its stored rows
    changed (kept in `state`); `replace` makes the table afresh (its columns follow the view)."""
    fingerprint = scalar(con, fingerprint_sql, {"names_key": NAMES_KEY})
    if scalar(con, f"SELECT any_value(fingerprint) FROM {state}") == fingerprint:
        return False
    try:
        with transaction(con):
            if replace:
                con.execute(f"CREATE OR REPLACE TABLE {cache} AS SELECT * FROM {live}")
            else:
                con.execute(f"DELETE FROM {cache}")
                con.execute(f"INSERT INTO {cache} SELECT * FROM {live}")
            con.execute(f"DELETE FROM {state}")
            con.execute(f"INSERT INTO {state} VALUES (?)", [fingerprint])
    except duckdb.TransactionException:
        # another session is refreshing at the same moment: wait for theirs, never read the old
        for _ in range(300):
            time.sleep(0.05)
            if scalar(con, f"SELECT any_value(fingerprint) FROM {state}") == fingerprint:
                return False
        return _refresh(con, fingerprint_sql, cache, state, live, replace)
    except (duckdb.InvalidInputException, duckdb.PermissionException):
        # read-only: temporary tables of this connection stand in for the stored ones
        con.execute(f"CREATE OR REPLACE TEMP TABLE {cache} AS SELECT * FROM {live}")
        con.execute(f"CREATE OR REPLACE TEMP TABLE {state} AS SELECT ? AS fingerprint", [fingerprint])
    return True


# What the SHG registers standing are made from: the views, the stored register rows, the SHG
# uploads' status and the place names applied.
SHG_FINGERPRINT = """
SELECT concat_ws(':',
    (SELECT any_value(digest) FROM schema_views),
    (SELECT count(*) FROM shg_register), (SELECT max(upload_id) FROM shg_register),
    (SELECT hash(string_agg(concat(upload_id, '=', status), ',' ORDER BY upload_id)) FROM uploads WHERE kind = 'shg'),
    (SELECT any_value(CAST(value AS VARCHAR)) FROM settings WHERE key = $names_key))
"""


def refresh_shg(con) -> bool:
    """Work out the SHG registers that stand (shg_cache) again when the registers changed."""
    return _refresh(con, SHG_FINGERPRINT, "shg_cache", "shg_state", "shg_current_live", replace=True)


def data_version(con) -> str:
    """A fingerprint of everything a named query's answer depends on (the series, targets,
    settings, the shapes' matches): equal fingerprints, equal answers. Refreshes the series first."""
    refresh_series(con)
    rows = con.execute(
        "SELECT (SELECT any_value(fingerprint) FROM series_state), "
        "(SELECT concat(count(*), '/', max(upload_id)) FROM targets), "
        "(SELECT concat(count(*), '/', max(upload_id)) FROM shg_register), "
        "(SELECT hash(string_agg(concat(key, '=', CAST(value AS VARCHAR)), ',' ORDER BY key)) FROM settings), "
        "(SELECT hash(string_agg(concat(upload_id, ':', feature, '=', code, '/', how), ',' "
        "ORDER BY upload_id, feature)) FROM boundary_features)").fetchall()
    return ":".join(str(v) for v in rows[0])


@contextmanager
def transaction(con):
    """BEGIN ... COMMIT, rolled back on any error."""
    con.execute("BEGIN TRANSACTION")
    try:
        yield con
    except BaseException:
        con.execute("ROLLBACK")
        raise
    con.execute("COMMIT")


def scalar(con, sql: str, params=None):
    """The first value of a query's first row (fetching the whole result, as DuckDB needs)."""
    rows = con.execute(sql, params or []).fetchall()
    return rows[0][0] if rows else None


def records(con, sql: str, params=None) -> list[dict]:
    cursor = con.execute(sql, params or [])
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


UNSAFE_IN_FILE_NAME = re.compile(r"[^\w.\-\u0900-\u097f]+")  # kept: letters, digits, Devanagari, _ . -


def safe_file_name(name: str) -> str:
    return UNSAFE_IN_FILE_NAME.sub("_", Path(name).name)[:120] or "upload"


def get_setting(con, key: str, default=None):
    import json

    raw = scalar(con, "SELECT value FROM settings WHERE key = ?", [key])
    return default if raw is None else json.loads(raw)


def set_setting(con, key: str, value) -> None:
    import json

    con.execute("INSERT OR REPLACE INTO settings VALUES (?, ?)", [key, json.dumps(value)])
