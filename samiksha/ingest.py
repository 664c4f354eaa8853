"""Storing uploads: one file, one transaction; undo and restore; confirmed place names.

Nothing of a refused file is stored. The same file again (same sha256) changes nothing.
A corrected report for the same indicator, date and place replaces the earlier one in the
figures (see the `progress_current` view); the earlier one stays and comes back on undo.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import pyarrow as pa

from samiksha import fmt, intake, places, readers, shapes, store, values
from samiksha.errors import WARNING, IntakeError, Issue

STORED, DUPLICATE, RESTORED, REFUSED, CHECKED = "stored", "duplicate", "restored", "refused", "checked"
UNDONE = "undone"


@dataclass
class UploadResult:
    """What became of one file."""

    file_name: str
    status: str
    upload_id: int | None = None
    staged: intake.Staged | None = None
    refusal: Issue | None = None
    previous: dict | None = None  # the earlier upload of the same file
    replaced: list[dict] = field(default_factory=list)  # earlier uploads whose rows this replaces

    @property
    def ok(self) -> bool:
        return self.status != REFUSED


_MATCHERS: dict[tuple, places.Matcher] = {}


def load_matcher(con) -> places.Matcher:
    """The gazetteer that stands, with the names people confirmed (cached while unchanged)."""
    # Hashes of the rows in order (an XOR of row hashes can cancel out: two changes look like none).
    signature = con.execute(
        "SELECT (SELECT hash(string_agg(concat_ws('|', level, code, name, name_hi, parent_code), ',' "
        "ORDER BY level, code, name)) FROM places_current), (SELECT count(*) FROM places_current), "
        "(SELECT hash(string_agg(concat_ws('|', level, parent_code, written_key, code, confirmed_at), ',' "
        "ORDER BY confirmed_at, level, written_key)) FROM place_aliases), "
        "(SELECT count(*) FROM place_aliases)").fetchall()[0]
    if signature not in _MATCHERS:
        if len(_MATCHERS) > 8:
            _MATCHERS.clear()
        _MATCHERS[signature] = _build_matcher(con)
    return _MATCHERS[signature]


def _build_matcher(con) -> places.Matcher:
    rows = con.execute("SELECT level, code, name, name_hi, parent_code FROM places_current").fetchall()
    gazetteer = [places.Place(*row) for row in rows]
    confirmed = {
        (level, parent, key): code
        for level, parent, key, code in con.execute(
            "SELECT level, parent_code, written_key, code FROM place_aliases "
            "QUALIFY row_number() OVER (PARTITION BY level, parent_code, written_key "
            "ORDER BY confirmed_at DESC) = 1").fetchall()
    }
    return places.Matcher(gazetteer, confirmed)


def check_file(con, data: bytes, file_name: str, **options) -> UploadResult:
    """Read and validate only (nothing stored): the `check` command and the preview."""
    file_name = values.clean_name(file_name)  # shown back and stored: no identifiers, no markup
    try:
        readers.check_size(len(data))
    except IntakeError as exc:
        return UploadResult(file_name, REFUSED, refusal=exc.issue)
    if _is_boundaries(data, options.get("kind")):
        try:
            return UploadResult(file_name, CHECKED, staged=shapes.stage(con, data, file_name, **options))
        except IntakeError as exc:
            return UploadResult(file_name, REFUSED, refusal=exc.issue)
    options = {k: v for k, v in options.items() if k not in SHAPE_OPTIONS}
    matcher = load_matcher(con) if _has_store(con) else None
    try:
        staged = intake.stage(con, data, file_name, matcher=matcher,
                              district_code=_district_code(con), **options)
    except IntakeError as exc:
        return UploadResult(file_name, REFUSED, refusal=exc.issue)
    return UploadResult(file_name, CHECKED, staged=staged)


SHAPE_OPTIONS = ("level", "name_column", "code_column", "parent_column")


def _is_boundaries(data: bytes, kind: str | None) -> bool:
    return kind == shapes.KIND or (kind is None and shapes.looks_like_boundaries(data))


def ingest_file(con, data: bytes, file_name: str, *, source: str = "upload",
                uploaded_at: dt.datetime | None = None, files: Path | None = None,
                **options) -> UploadResult:
    """Store one file, or refuse it whole. `con` should be a cursor of its own."""
    file_name = values.clean_name(file_name)  # shown back and stored: no identifiers, no markup
    try:
        readers.check_size(len(data))  # before it is hashed or copied beside the store
    except IntakeError as exc:
        return UploadResult(file_name, REFUSED, refusal=exc.issue)
    digest = intake.sha256(data)
    # The same file is the same upload; another sheet of the same workbook is not.
    earlier = store.records(con, "SELECT upload_id, file_name, status, uploaded_at FROM uploads "
                                 "WHERE sha256 = $sha AND ($sheet IS NULL OR sheet = $sheet) "
                                 "ORDER BY upload_id DESC LIMIT 1",
                            {"sha": digest, "sheet": options.get("sheet")})
    if earlier and earlier[0]["status"] == STORED:
        return UploadResult(file_name, DUPLICATE, earlier[0]["upload_id"], previous=earlier[0])
    if earlier:
        restore(con, earlier[0]["upload_id"])
        return UploadResult(file_name, RESTORED, earlier[0]["upload_id"], previous=earlier[0])
    try:
        raw_path, created = _keep_raw(files, digest, file_name, data)
    except OSError as exc:  # the disk is full, or the store's folder read-only: say so, naming the store
        raise store.storage_error(exc, store.path_of(con) or str(files)) from None
    result = check_file(con, data, file_name, saved_at=raw_path, digest=digest, **options)
    if not result.ok:
        _discard(raw_path if created else None)
        return result
    staged = result.staged
    try:
        if staged.kind == shapes.KIND:
            upload_id, replaced = shapes.store_staged(con, staged, raw_path, source, uploaded_at or fmt.now_ist()), []
        else:
            upload_id, replaced = _store(con, staged, raw_path, source, uploaded_at or fmt.now_ist())
    except BaseException:
        _discard(raw_path if created else None)
        raise
    finally:
        if staged.kind != shapes.KIND:
            # after a failed write DuckDB may have given the database up: never hide why
            with contextlib.suppress(duckdb.Error):
                intake.drop_staging(con, staged)
    if staged.kind == "gazetteer":
        rematch(con)
        shapes.rematch(con)
    elif staged.kind == "progress" and shapes.waiting_for_reports(con):
        shapes.rematch(con)  # shapes stored before the reports that name their places
    return UploadResult(file_name, STORED, upload_id, staged=staged, replaced=replaced)


def _has_store(con) -> bool:
    return bool(store.scalar(con, "SELECT count(*) FROM duckdb_tables() WHERE table_name = 'uploads'"))


def _district_code(con) -> str | None:
    return store.get_setting(con, "district_code") if _has_store(con) else None


def _keep_raw(files: Path | None, digest: str, file_name: str, data: bytes) -> tuple[Path | None, bool]:
    """The file as uploaded, beside the store (named by its sha256, so never overwritten);
    and whether this call wrote it (another sheet of a workbook shares the file)."""
    if files is None:
        return None, False
    files.mkdir(parents=True, exist_ok=True)
    path = files / f"{digest[:16]}_{store.safe_file_name(file_name)}"
    if path.exists():
        return path, False
    partial = path.with_name(path.name + ".part")
    try:
        partial.write_bytes(data)
        os.replace(partial, path)
    except OSError:
        partial.unlink(missing_ok=True)  # no half-written copy left behind
        raise
    return path, True


def _discard(path: Path | None) -> None:
    """A refused file leaves nothing behind."""
    if path is not None:
        path.unlink(missing_ok=True)


def _store(con, staged: intake.Staged, raw_path: Path | None, source: str, uploaded_at):
    with store.transaction(con):
        upload_id = store.scalar(con, "SELECT nextval('upload_id_seq')")
        if staged.kind == "progress":
            _warn_cumulative_down(con, staged)
        replaced = _replaced(con, staged)
        intake.count_rows(con, staged)
        con.execute(
            "INSERT INTO uploads VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [upload_id, staged.file_name, staged.sha256, staged.kind, staged.indicator,
             staged.report_date, staged.date_from, staged.date_to, uploaded_at,
             staged.rows_accepted, staged.rows_warned, staged.rows_rejected, STORED, uploaded_at,
             str(raw_path) if raw_path else None, staged.grid.file_format, staged.grid.sheet, staged.header_row, source,
             json.dumps(staged.reading(), default=str, ensure_ascii=False)])
        _insert_rows(con, staged, upload_id)
        _insert_issues(con, staged, upload_id)
        _insert_matches(con, staged, upload_id)
        _pause_before_commit()
    return upload_id, replaced


def _pause_before_commit() -> None:
    """For the kill test only (tests/test_concurrency.py): SAMIKSHA_PAUSE_BEFORE_COMMIT=N holds
    an upload for N seconds with every row written but not committed, so the test can kill
    the process exactly there. Unset, it does nothing."""
    seconds = os.environ.get("SAMIKSHA_PAUSE_BEFORE_COMMIT")
    if seconds:
        print("paused before commit", file=sys.stderr, flush=True)
        time.sleep(float(seconds))


def _insert_rows(con, staged: intake.Staged, upload_id: int) -> None:
    table = staged.table
    if staged.kind == "progress":
        con.execute(f"""INSERT INTO progress SELECT ?, row_number, indicator, report_date, block,
            block_code, block_written, panchayat, panchayat_code, panchayat_written, channel,
            camp_site, target, achieved_today, achieved FROM {table}""", [upload_id])
    elif staged.kind == "shg":
        con.execute(f"""INSERT INTO shg_register BY NAME SELECT ? AS upload_id, * FROM {table}""", [upload_id])
    elif staged.kind in ("workers", "worker_output"):
        con.execute(f"""INSERT INTO {staged.kind} BY NAME SELECT ? AS upload_id, * FROM {table}""", [upload_id])
    elif staged.kind == "targets":
        con.execute(f"""INSERT INTO targets SELECT ?, row_number, indicator,
            CASE WHEN district_level THEN NULL ELSE block END, block_code, block_written,
            panchayat, panchayat_code, panchayat_written, target, start_date, deadline
            FROM {table}""", [upload_id])
    else:
        con.execute(f"""INSERT INTO places SELECT ?, level, code, name, name_hi, parent_code
            FROM {table}""", [upload_id])


def _insert_issues(con, staged: intake.Staged, upload_id: int) -> None:
    con.execute(f"""INSERT INTO upload_issues SELECT ?, severity, code, params, row_number,
        column_name, value FROM {staged.issues_table}""", [upload_id])
    for note in staged.read_notes:
        con.execute("INSERT INTO upload_issues VALUES (?, ?, ?, ?, ?, ?, ?)",
                    [upload_id, note.severity, note.code,
                     json.dumps(note.params, default=str, ensure_ascii=False),
                     note.row, note.column, note.value])
    con.execute(f"INSERT INTO rejected_rows SELECT ?, row_number, cells FROM {staged.table}_rejected",
                [upload_id])


def _insert_matches(con, staged: intake.Staged, upload_id: int) -> None:
    if not staged.matches:
        return
    matches = staged.matches
    table = pa.table({
        "level": [m.level for m in matches],
        "written": [m.written for m in matches],
        "parent_code": pa.array([m.parent_code for m in matches], pa.string()),
        "name": [m.name for m in matches],
        "code": pa.array([m.code for m in matches], pa.string()),
        "how": [m.how for m in matches],
        "method": [m.method for m in matches],
        "score": pa.array([m.score for m in matches], pa.float64()),
        "candidates": [json.dumps(m.candidates, ensure_ascii=False) for m in matches],
        "rows": pa.array([m.rows for m in matches], pa.int64()),
    })
    con.register("matches_src", table)
    con.execute("INSERT INTO place_matches SELECT ?, level, written, parent_code, name, code, how, method, "
                "score, candidates, rows FROM matches_src", [upload_id])
    con.unregister("matches_src")


def _warn_cumulative_down(con, staged: intake.Staged) -> None:
    """A cumulative figure lower than the same place's previous report is suspicious. Only
    a previous report that gave its cumulative figure is compared (a figure worked out from
    daily ones would need the whole history read), and only the file's blocks are read."""
    con.execute(f"""
        INSERT INTO {staged.issues_table}
        SELECT row_number, CAST(report_date AS VARCHAR), NULL, CAST(achieved AS VARCHAR),
            '{WARNING}', 'cumulative_down',
            json_object('before', before, 'place', place, 'date', strftime(before_date, '%d-%m-%Y'))
        FROM (
            SELECT s.row_number, s.report_date, s.achieved, coalesce(s.panchayat, s.block) AS place,
                p.achieved AS before, p.report_date AS before_date
            FROM {staged.table} s
            JOIN (SELECT pr.* FROM progress pr JOIN uploads u USING (upload_id)
                  WHERE u.status = 'stored'
                    AND pr.indicator IN (SELECT DISTINCT indicator FROM {staged.table})
                    AND pr.block IN (SELECT DISTINCT block FROM {staged.table})) p
                ON p.indicator = s.indicator AND p.block = s.block
                AND p.panchayat IS NOT DISTINCT FROM s.panchayat
                AND p.channel IS NOT DISTINCT FROM s.channel
                AND p.camp_site IS NOT DISTINCT FROM s.camp_site
                AND p.report_date < s.report_date
            WHERE s.achieved IS NOT NULL
            QUALIFY row_number() OVER (PARTITION BY s.row_number, s.report_date
                                       ORDER BY p.report_date DESC, p.upload_id DESC) = 1
        ) WHERE before IS NOT NULL AND achieved < before
    """)


def _replaced(con, staged: intake.Staged) -> list[dict]:
    """Earlier uploads whose rows for the same date and place (an SHG register: the same
    register date and SHG) this file replaces."""
    if staged.kind == "shg":
        return store.records(con, f"""
            SELECT r.upload_id, any_value(u.file_name) AS file_name, count(*) AS rows
            FROM shg_register r JOIN uploads u USING (upload_id)
            JOIN {staged.table} s ON s.shg_code = r.shg_code AND s.register_date = r.register_date
            WHERE u.status = 'stored' GROUP BY r.upload_id ORDER BY r.upload_id""")
    if staged.kind in ("workers", "worker_output"):  # the same worker (and day, for output)
        table, day = ("workers", "roster_date") if staged.kind == "workers" else ("worker_output", "output_date")
        return store.records(con, f"""
            SELECT r.upload_id, any_value(u.file_name) AS file_name, count(*) AS rows
            FROM {table} r JOIN uploads u USING (upload_id)
            JOIN {staged.table} s ON s.worker_id = r.worker_id AND s.{day} = r.{day}
            WHERE u.status = 'stored' GROUP BY r.upload_id ORDER BY r.upload_id""")
    if staged.kind != "progress":
        return []
    return store.records(con, f"""
        WITH same_place AS (
            SELECT p.upload_id FROM progress p JOIN uploads u USING (upload_id)
            JOIN {staged.table} s
                ON p.indicator = s.indicator AND p.report_date = s.report_date AND p.block = s.block
                AND p.panchayat IS NOT DISTINCT FROM s.panchayat
                AND p.channel IS NOT DISTINCT FROM s.channel
                AND p.camp_site IS NOT DISTINCT FROM s.camp_site
            WHERE u.status = 'stored'
            QUALIFY row_number() OVER (PARTITION BY s.row_number, s.report_date
                                       ORDER BY p.upload_id DESC) = 1
        )
        SELECT upload_id, any_value(u.file_name) AS file_name, count(*) AS rows
        FROM same_place JOIN uploads u USING (upload_id)
        GROUP BY upload_id ORDER BY upload_id
    """)


def set_status(con, upload_id: int, status: str) -> bool:
    with store.transaction(con):
        found = store.scalar(con, "SELECT count(*) FROM uploads WHERE upload_id = ?", [upload_id])
        if found:
            con.execute("UPDATE uploads SET status = ?, status_at = ? WHERE upload_id = ?",
                        [status, fmt.now_ist(), upload_id])
    return bool(found)


def undo(con, upload_id: int) -> bool:
    """Take an upload out of the figures; what it replaced comes back."""
    return set_status(con, upload_id, UNDONE)


def restore(con, upload_id: int) -> bool:
    return set_status(con, upload_id, STORED)


def uploads(con, limit: int = 500) -> list[dict]:
    """The latest uploads; `indicators` lists every indicator a file held (some hold several)."""
    return store.records(con, """
        SELECT u.* EXCLUDE (reading),
            coalesce(u.indicator, (SELECT string_agg(DISTINCT p.indicator, ', ' ORDER BY p.indicator)
                                   FROM progress p WHERE p.upload_id = u.upload_id)) AS indicators
        FROM uploads u ORDER BY u.upload_id DESC LIMIT ?""", [limit])


def upload_issues(con, upload_id: int, limit: int = 1000) -> list[Issue]:
    rows = con.execute("SELECT severity, code, params, row_number, column_name, value FROM upload_issues "
                       "WHERE upload_id = ? ORDER BY row_number NULLS FIRST LIMIT ?",
                       [upload_id, limit]).fetchall()
    return [Issue(s, c, json.loads(p) if p else {}, row=r, column=col, value=v)
            for s, c, p, r, col, v in rows]


# ---------------------------------------------------------------- place names

def unmatched_names(con) -> list[dict]:
    """Names in stored uploads not matched to the gazetteer and not yet confirmed."""
    return store.records(con, """
        SELECT m.level, m.written, m.parent_code, any_value(m.candidates) AS candidates,
            sum(m.rows) AS rows, list(DISTINCT m.upload_id ORDER BY m.upload_id) AS uploads
        FROM place_matches m JOIN uploads u USING (upload_id)
        WHERE u.status = 'stored' AND m.how = 'unmatched'
          AND NOT EXISTS (SELECT 1 FROM place_aliases a WHERE a.level = m.level
                          AND a.parent_code IS NOT DISTINCT FROM m.parent_code
                          AND a.written_key = lower(regexp_replace(trim(m.written), '\\s+', ' ', 'g')))
        GROUP BY m.level, m.written, m.parent_code
        ORDER BY m.level, m.written
    """)




def confirm_name(con, level: str, written: str, parent_code: str | None, code: str) -> int:
    """Remember that `written` means place `code` ('' = keep as written); apply it to stored rows."""
    key = places.exact_key(written)
    place = store.records(con, "SELECT name FROM places_current WHERE level = ? AND code = ?",
                          [level, code]) if code else []
    name = place[0]["name"] if place else places.tidy(written)
    with store.transaction(con):
        con.execute("INSERT INTO place_aliases VALUES (?, ?, ?, ?, ?, ?)",
                    [level, parent_code, key, written, code, fmt.now_ist()])
        con.execute("UPDATE place_matches SET how = 'confirmed', code = ?, name = ? WHERE level = ? "
                    "AND written = ? AND parent_code IS NOT DISTINCT FROM ? AND how = 'unmatched'",
                    [code or None, name, level, written, parent_code])
        changed = _apply_name(con, level, written, parent_code, name, code or None)
    if level == "block" and code:
        changed += rematch(con)  # its panchayats can now be matched within it
    return changed


def _apply_name(con, level, written, parent_code, name, code, how: str | None = None) -> int:
    if how:
        con.execute("UPDATE place_matches SET how = ?, code = ?, name = ? WHERE level = ? AND written = ? "
                    "AND how IN ('unmatched', 'written')", [how, code, name, level, written])
    changed = 0
    for table in ("progress", "targets", "shg_register", "workers"):
        if level == "block":
            sql = (f"UPDATE {table} SET block = ?, block_code = ? WHERE block_written = ? "
                   f"AND block_code IS NULL")
            params = [name, code, written]
        else:
            sql = (f"UPDATE {table} SET panchayat = ?, panchayat_code = ? WHERE panchayat_written = ? "
                   f"AND panchayat_code IS NULL AND block_code IS NOT DISTINCT FROM ?")
            params = [name, code, written, parent_code]
        changed += con.execute(sql, params).fetchall()[0][0]
    if changed:
        store.names_changed(con)  # the figures are worked out again with the new names
    return changed


def rematch(con) -> int:
    """After a gazetteer arrives, match stored names that had no gazetteer to match."""
    matcher = load_matcher(con)
    if not matcher.has("block"):
        return 0
    district = _district_code(con)
    changed = 0
    blocks = con.execute("SELECT DISTINCT block_written FROM progress WHERE block_code IS NULL "
                         "UNION SELECT DISTINCT block_written FROM targets WHERE block_code IS NULL "
                         "AND block_written IS NOT NULL "
                         "UNION SELECT DISTINCT block_written FROM shg_register WHERE block_code IS NULL "
                         "AND block_written IS NOT NULL "
                         "UNION SELECT DISTINCT block_written FROM workers WHERE block_code IS NULL "
                         "AND block_written IS NOT NULL").fetchall()
    with store.transaction(con):
        for (written,) in blocks:
            match = matcher.match("block", written, district)
            if match.code:
                changed += _apply_name(con, "block", written, None, match.name, match.code, match.how)
        pairs = con.execute("SELECT DISTINCT block_code, panchayat_written FROM progress "
                            "WHERE panchayat_code IS NULL AND block_code IS NOT NULL "
                            "AND panchayat_written IS NOT NULL "
                            "UNION SELECT DISTINCT block_code, panchayat_written FROM shg_register "
                            "WHERE panchayat_code IS NULL AND block_code IS NOT NULL "
                            "AND panchayat_written IS NOT NULL "
                            "UNION SELECT DISTINCT block_code, panchayat_written FROM workers "
                            "WHERE panchayat_code IS NULL AND block_code IS NOT NULL "
                            "AND panchayat_written IS NOT NULL").fetchall()
        for block_code, written in pairs:
            match = matcher.match("panchayat", written, block_code)
            if match.code:
                changed += _apply_name(con, "panchayat", written, block_code, match.name, match.code,
                                       match.how)
    return changed
