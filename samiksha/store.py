"""The store: one embedded DuckDB file, its schema migrations and derived views.

Migrations are `sql/NNN_*.sql`, applied in order once each and recorded in
`schema_migrations`. Views and table macros (`sql/views.sql`) are replaced whenever that
file changes. Raw uploads are kept in a folder beside the database file.
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import os
import re
import socket
import threading
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
    """The numbered schema files, in order; two files of one number would leave one never applied."""
    found = []
    for path in sorted(SQL_DIR.glob("[0-9][0-9][0-9]_*.sql")):
        found.append((int(path.name[:3]), path))
    numbers = [version for version, _ in found]
    if len(set(numbers)) != len(numbers):
        raise RuntimeError(f"two schema files share a number in {SQL_DIR}: " + ", ".join(
            path.name for version, path in found if numbers.count(version) > 1))
    return found


def open_store(path: str | None = None, read_only: bool = False, wait: float = 0.0,
               on_wait=None) -> duckdb.DuckDBPyConnection:
    """Open (creating and migrating when needed) the store at `path`.

    A store file is open for writing in one process at a time. While another process has
    it, wait up to `wait` seconds (calling `on_wait()` once, to say so), then give up with
    `store_locked`. A store that cannot be written (read-only file, folder or disk) gives
    `store_read_only` when opened for writing (open it with `read_only=True` to read it);
    a full disk gives `store_full`."""
    path = db_path(path)
    if path != MEMORY and not read_only:
        try:
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise storage_error(exc, path) from None
    deadline, told = time.monotonic() + wait, False
    while True:
        try:
            con = duckdb.connect(path, read_only=read_only)
            break
        except duckdb.IOException as exc:
            if not _held_elsewhere(exc):
                problem = None if read_only else _write_problem(exc, path)
                if problem is None or problem.issue.code == "store_write_failed":
                    problem = IntakeError("store_unreadable", path=path)  # not the disk's fault
                raise problem from None
            if time.monotonic() >= deadline:
                raise IntakeError("store_locked", path=path) from None
            if on_wait is not None and not told:
                on_wait()
                told = True
            time.sleep(LOCK_POLL_S)
    if read_only:
        _temporary_views(con)
    else:
        try:
            migrate(con)
        except IntakeError:
            con.close()
            raise
        except (duckdb.IOException, duckdb.TransactionException, duckdb.FatalException) as exc:
            con.close()
            problem = _write_problem(exc, path)
            if problem is None:
                raise
            raise problem from None
    return con


# ---------------------------------------------------------------- sharing the store
#
# DuckDB lets one process at a time have a store file open for writing (and then no other
# process may open it at all). So nobody keeps it open: the app opens it for one run of a
# page and closes it at the end of the run (pages/_shared.py), the commands open it for what
# they do and close it before any slow work that does not need it (drawing an image), and
# every write leaves the stored caches up to date (`refresh_caches`), so a reader never has
# to work them out. A command waiting for the store leaves a mark beside it
# (`<store>.waiting-<host>-<pid>`) while it waits and works: the app's page runs let it go
# first, so a busy app cannot keep a command waiting for more than a page run.

MARK = ".waiting-"
MARK_STALE_S = 15 * 60  # a mark this old from another machine is a crashed command's


def _marks(path: str) -> list[Path]:
    store_file = Path(path)
    return list(store_file.parent.glob(store_file.name + MARK + "*")) if path != MEMORY else []


def _live(mark: Path) -> bool:
    """A command's mark whose command still runs (on this machine: its process is alive;
    on another machine sharing the disk: the mark is recent)."""
    try:
        host, pid, _ = mark.read_text(encoding="utf-8").split("\t", 2)
        age = time.time() - mark.stat().st_mtime
    except (OSError, ValueError):
        return False
    if host != socket.gethostname():
        return age < MARK_STALE_S
    try:
        os.kill(int(pid), 0)
    except (ProcessLookupError, ValueError):
        with contextlib.suppress(OSError):
            mark.unlink()  # its command died without taking it away
        return False
    except PermissionError:
        return True  # alive, another user's
    return True


def commands_waiting(path: str) -> bool:
    """A command (in another process) waits for the store or works on it: the app lets it go first."""
    return any(_live(mark) for mark in _marks(path))


@contextmanager
def first_in_line(path: str):
    """While a command waits for the store and works on it, the app's page runs wait for it."""
    path = db_path(path)
    if path == MEMORY:
        yield
        return
    mark = Path(f"{path}{MARK}{socket.gethostname()}-{os.getpid()}")
    try:
        mark.write_text(f"{socket.gethostname()}\t{os.getpid()}\t{time.time()}", encoding="utf-8")
    except OSError:
        mark = None  # a read-only folder: the command waits like anyone else
    try:
        yield
    finally:
        if mark is not None:
            with contextlib.suppress(OSError):
                mark.unlink()


@contextmanager
def connected(path: str | None = None, read_only: bool = False, wait: float = 0.0, on_wait=None):
    """The store open for a short while: closed when the block ends (see `open_store`)."""
    con = open_store(path, read_only=read_only, wait=wait, on_wait=on_wait)
    try:
        yield con
    finally:
        con.close()


def refresh_caches(con) -> None:
    """After a write: the stored caches (the progress series, the SHG registers that stand) are
    worked out again where what they are made from changed, so that readers (the app, read-only
    commands) find them valid. On a read-only connection nothing is written."""
    refresh_series(con)
    refresh_shg(con)


def _held_elsewhere(exc: BaseException) -> bool:
    """DuckDB says another process has the file open (its file lock), not that it cannot
    open it. (Not just "lock": a store in a folder named "blocks" would match.)"""
    text = str(exc).lower()
    return "could not set lock" in text or "conflicting lock" in text


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


def _views() -> tuple[str, str]:
    """The views' SQL and its digest (kept in schema_views: the views are replaced when it differs).
    The value macros come with their version (values.ensure_macros finds them and writes nothing:
    sessions of the app staging files at once would otherwise all replace them, and conflict)."""
    text = (values.VALUE_MACROS + f"CREATE OR REPLACE MACRO sk_macros_version() AS '{values.MACROS_VERSION}';\n"
            + (SQL_DIR / "views.sql").read_text(encoding="utf-8"))
    return text, hashlib.sha256(text.encode()).hexdigest()


def _temporary_views(con) -> None:
    """A store opened read-only whose views an older Samiksha wrote: this connection's own
    temporary copies of the current views stand in for them (they come first in DuckDB's
    search path), so queries answer as a writable open would. Cursors do not share them: a
    read-only store is read through the connection itself (the commands)."""
    text, digest = _views()
    try:
        rows = con.execute("SELECT digest FROM schema_views").fetchall()
    except duckdb.CatalogException:
        rows = []
    if rows and rows[0][0] == digest:
        return
    temporary = re.sub(r"^CREATE OR REPLACE (VIEW|MACRO) ", r"CREATE OR REPLACE TEMP \1 ", text, flags=re.MULTILINE)
    # the stored caches stay (a missing one is made as a temporary table by _refresh)
    temporary = re.sub(r"^CREATE TABLE IF NOT EXISTS [^;]*;", "", temporary, flags=re.MULTILINE)
    con.execute(temporary)


def _refresh_views(con) -> None:
    text, digest = _views()
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
# status, and the count of place names applied to stored rows (naming (a confirmed name applied)). Any
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
    (cheap when nothing changed): only the series the uploads added, undone or removed since
    then touch, unless the views or the place names changed. A store opened read-only gets a
    private copy instead."""
    return _refresh(con, SERIES_FINGERPRINT, "series_cache", "series_state", "progress_series_live",
                    in_place=_series_in_place, after=_series_marked)


# What the series were made with: when it differs, every series is worked out again.
SERIES_BASE = """
SELECT concat_ws(':', (SELECT any_value(digest) FROM schema_views),
    (SELECT any_value(CAST(value AS VARCHAR)) FROM settings WHERE key = $names_key))
"""
# The uploads whose status differs from the series' marks (added, undone, restored, removed).
CHANGED_UPLOADS = """
SELECT upload_id FROM (
    (SELECT upload_id, status FROM uploads EXCEPT SELECT upload_id, status FROM series_marks)
    UNION ALL
    (SELECT upload_id, status FROM series_marks EXCEPT SELECT upload_id, status FROM uploads))
"""
SERIES_KEY = "indicator, block, panchayat, channel, camp_site"


def _series_in_place(con) -> bool:
    """Work out again only the series whose rows belong to a changed upload (its rows in
    `progress`, or, for an upload removed, its rows in the series); False when the series were
    made with other views or place names (then the whole store is worked out)."""
    try:
        base = scalar(con, "SELECT any_value(base) FROM series_state")
    except duckdb.Error:  # a store from before 008 opened read-only
        return False
    if base is None or base != scalar(con, SERIES_BASE, {"names_key": NAMES_KEY}):
        return False
    touched, rows = "series_touched", "series_touched_rows"  # this connection's own
    con.execute(f"""CREATE OR REPLACE TEMP TABLE {touched} AS
        WITH changed AS ({CHANGED_UPLOADS})
        SELECT DISTINCT {SERIES_KEY} FROM progress WHERE upload_id IN (SELECT upload_id FROM changed)
        UNION SELECT DISTINCT {SERIES_KEY} FROM series_cache WHERE upload_id IN (SELECT upload_id FROM changed)""")
    con.execute(f"CREATE OR REPLACE TEMP VIEW {rows} AS SELECT * FROM stored_rows_of('{touched}')")
    same = " AND ".join(f"c.{key} IS NOT DISTINCT FROM t.{key}" for key in SERIES_KEY.split(", "))
    con.execute(f"DELETE FROM series_cache c USING {touched} t WHERE {same}")
    con.execute(f"INSERT INTO series_cache SELECT * FROM series_of('{rows}')")
    con.execute(f"DROP VIEW {rows}")
    con.execute(f"DROP TABLE {touched}")
    return True


def _series_marked(con) -> None:
    """Remember the uploads' status and what the series were made with."""
    con.execute("DELETE FROM series_marks")
    con.execute("INSERT INTO series_marks SELECT upload_id, status FROM uploads")
    con.execute(f"UPDATE series_state SET base = ({SERIES_BASE})", {"names_key": NAMES_KEY})


def _refresh(con, fingerprint_sql: str, cache: str, state: str, live: str, replace: bool = False,
             in_place=None, after=None) -> bool:
    """Fill the table `cache` from the view `live` when `fingerprint_sql` says its stored rows
    changed (kept in `state`); `replace` makes the table afresh (its columns follow the view);
    `in_place(con)` may bring the table up to date itself (True) instead; `after(con)` records
    what the next `in_place` needs, in the same transaction."""
    fingerprint = scalar(con, fingerprint_sql, {"names_key": NAMES_KEY} if "$names_key" in fingerprint_sql else None)
    if scalar(con, f"SELECT any_value(fingerprint) FROM {state}") == fingerprint:
        return False
    try:
        with transaction(con):
            if in_place is not None and in_place(con):
                pass
            elif replace:
                con.execute(f"CREATE OR REPLACE TABLE {cache} AS SELECT * FROM {live}")
            else:
                con.execute(f"DELETE FROM {cache}")
                con.execute(f"INSERT INTO {cache} SELECT * FROM {live}")
            con.execute(f"UPDATE {state} SET fingerprint = ?" if scalar(con, f"SELECT count(*) FROM {state}")
                        else f"INSERT INTO {state} (fingerprint) VALUES (?)", [fingerprint])
            if after is not None:
                after(con)
    except duckdb.TransactionException:
        # another session is refreshing at the same moment: wait for theirs, never read the old
        for _ in range(300):
            time.sleep(0.05)
            if scalar(con, f"SELECT any_value(fingerprint) FROM {state}") == fingerprint:
                return False
        return _refresh(con, fingerprint_sql, cache, state, live, replace, in_place, after)
    except (duckdb.InvalidInputException, duckdb.PermissionException, IntakeError):
        # read-only (or the disk refused the write): temporary tables of this connection stand in
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


# What the workers' output standing is made from: the views, the stored output rows and the
# output uploads' status.
OUTPUT_KIND = "worker_output"
WORKER_OUTPUT_FINGERPRINT = f"""
SELECT concat_ws(':',
    (SELECT any_value(digest) FROM schema_views),
    (SELECT count(*) FROM worker_output), (SELECT max(upload_id) FROM worker_output),
    (SELECT hash(string_agg(concat(upload_id, '=', status), ',' ORDER BY upload_id)) FROM uploads
     WHERE kind = '{OUTPUT_KIND}'))
"""


def refresh_worker_output(con) -> bool:
    """Work out each worker's figure of each day (worker_output_cache) again when the output
    changed."""
    return _refresh(con, WORKER_OUTPUT_FINGERPRINT, "worker_output_cache", "worker_output_state",
                    "worker_output_live", replace=True)


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


# A file is read within a bounded memory: what DuckDB's work over it needs beyond this is kept
# in the store's temporary folder on disk, so a register of lakhs of rows does not take gigabytes
# (a statewide SHG register: about 2.2 GB without it, under 1 GB with it, in the same time).
STAGING_MEMORY = "512MB"
_STAGING = threading.Lock()
_staging = {"files": 0, "before": None}


@contextlib.contextmanager
def bounded_memory(con):
    """While a file is read and stored, DuckDB's memory is held to STAGING_MEMORY (the setting
    is the whole process's: it returns when the last file being read is done). A store in
    memory has no folder to spill to and is left as it is."""
    if path_of(con) in (None, MEMORY):
        yield
        return
    with _STAGING:
        if not _staging["files"]:
            _staging["before"] = scalar(con, "SELECT value FROM duckdb_settings() WHERE name = ?", ["memory_limit"])
            con.execute(f"SET memory_limit = '{STAGING_MEMORY}'")
        _staging["files"] += 1
    try:
        yield
    finally:
        with _STAGING:
            _staging["files"] -= 1
            if not _staging["files"]:
                with contextlib.suppress(duckdb.Error):  # a store DuckDB gave up: its next open sets it afresh
                    con.execute(f"SET memory_limit = '{_staging['before']}'")


# One write transaction at a time in this process. The app keeps one connection and its
# sessions (threads) write through cursors of it: DuckDB would refuse the second of two
# transactions that change the same thing ("write-write conflict") instead of waiting.
# Commands in other processes are kept apart by the file lock (open_store).
WRITE_LOCK = threading.RLock()
_WROTE = threading.local()  # this thread committed a write (the app brings the caches up to date after its run)


def writes() -> int:
    """How many write transactions this thread has committed (a cache of what the store held
    stays good while this does not change)."""
    return getattr(_WROTE, "count", 0)


def wrote(forget: bool = True) -> bool:
    """Whether this thread committed a write transaction (since the last time it was asked)."""
    written = getattr(_WROTE, "flag", False)
    if forget:
        _WROTE.flag = False
    return written


@contextmanager
def transaction(con):
    """BEGIN ... COMMIT, rolled back on any error; one at a time in this process (WRITE_LOCK).

    A write the disk refuses (full, read-only, failing) raises IntakeError `store_full`,
    `store_read_only` or `store_write_failed` naming the store, with nothing of the
    transaction kept."""
    with WRITE_LOCK:
        con.execute("BEGIN TRANSACTION")
        try:
            yield con
        except BaseException as exc:
            _rollback(con)
            problem = _write_problem(exc, None, con)
            if problem is None:
                raise
            raise problem from exc
        try:
            con.execute("COMMIT")
        except (duckdb.IOException, duckdb.TransactionException, duckdb.FatalException) as exc:
            _rollback(con)  # DuckDB has dropped the transaction already; make sure
            problem = _write_problem(exc, None, con)
            if problem is None:
                raise
            raise problem from exc
        _WROTE.flag = True
        _WROTE.count = getattr(_WROTE, "count", 0) + 1


def _rollback(con) -> None:
    with contextlib.suppress(duckdb.Error):  # no transaction left to roll back (a failed COMMIT ends it)
        con.execute("ROLLBACK")


# How the operating system says a write failed, as DuckDB passes it on (in English).
FULL_WORDS = ("no space left", "file too large", "disk quota exceeded", "disk full", "disk is full")
READ_ONLY_WORDS = ("read-only file system", "permission denied", "operation not permitted")
WRITE_WORDS = ("could not write", "failed to commit", "input/output error", "could not fsync", "could not truncate")
FULL_ERRNOS = {errno.ENOSPC, errno.EFBIG, errno.EDQUOT}
READ_ONLY_ERRNOS = {errno.EROFS, errno.EACCES, errno.EPERM}


def storage_error(exc: BaseException, path: str) -> IntakeError:
    """The message for a write to the store `path`, or beside it (its raw files), that failed:
    the disk is full (`store_full`), the store cannot be written (`store_read_only`), or the
    write failed otherwise (`store_write_failed`, with the system's words). For code that
    writes the store's files itself:

        except OSError as exc:
            raise store.storage_error(exc, path) from None
    """
    return _write_problem(exc, path) or IntakeError("store_write_failed", path=path, error=_short(exc))


def _write_problem(exc: BaseException, path: str | None, con=None) -> IntakeError | None:
    """`exc` as a store message when the store could not be written (the disk refused, or the
    store was opened read-only), else None (a write-write conflict, a bad statement)."""
    if isinstance(exc, OSError) and exc.errno is not None:
        if exc.errno in FULL_ERRNOS:
            code = "store_full"
        elif exc.errno in READ_ONLY_ERRNOS:
            code = "store_read_only"
        elif exc.errno == errno.EIO:
            code = "store_write_failed"
        else:
            return None  # e.g. a file not found: not a write the disk refused
    elif isinstance(exc, duckdb.InvalidInputException) and "read-only mode" in str(exc):
        code = "store_read_only"  # a write on a store opened read-only
    elif isinstance(exc, (duckdb.IOException, duckdb.TransactionException, duckdb.FatalException)):
        text = str(exc).lower()
        if any(word in text for word in FULL_WORDS):
            code = "store_full"
        elif any(word in text for word in READ_ONLY_WORDS):
            code = "store_read_only"
        elif any(word in text for word in WRITE_WORDS) and "conflict" not in text:
            code = "store_write_failed"
        else:
            return None
    else:
        return None
    path = path or _store_path(con, exc)
    if code == "store_write_failed":
        return IntakeError(code, path=path, error=_short(exc))
    return IntakeError(code, path=path)


def path_of(con) -> str | None:
    """The file of the store `con` (a connection or cursor) is connected to; `:memory:` for
    a store in memory; None when the connection cannot say."""
    try:
        found = con.execute("SELECT path FROM duckdb_databases() WHERE database_name = current_database()").fetchall()
    except (duckdb.Error, AttributeError):
        return None
    return (found[0][0] or MEMORY) if found else None


def _store_path(con, exc: BaseException) -> str:
    """The store's file, for a message: from the connection, else the file DuckDB names."""
    found = path_of(con)
    if found:
        return found
    named = re.search(r'file "([^"]+?)(?:\.wal)?"', str(exc))  # DuckDB names the file it could not write
    return named.group(1) if named else db_path()


def invalidated(con) -> bool:
    """DuckDB gave the database up (FatalException "database has been invalidated") after a
    checkpoint the disk refused: nothing more can be done through `con` or its cursors.
    The store on disk is as it was before the failed upload; close `con` and open the store
    again (the app must, once: it keeps one connection)."""
    try:
        # a cursor of its own: the app's sessions share `con`, and DuckDB refuses a second call
        # on a connection that is busy ("connection is busy with another call")
        probe = con.cursor()
        try:
            probe.execute("SELECT 1").fetchall()
        finally:
            probe.close()
    except duckdb.FatalException:
        return True
    return False


def _short(exc: BaseException) -> str:
    """The operating system's words from an error (without DuckDB's prefixes)."""
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return re.sub(r"^(?:TransactionContext Error: |IO Error: |Failed to commit: )+", "", text)


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
