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

from samiksha import columns, fmt, intake, naming, readers, shapes, store, values
from samiksha.errors import REFUSED as REFUSED_ISSUE
from samiksha.errors import IntakeError, Issue
from samiksha.kinds import registry
from samiksha.naming import confirm_name, load_matcher, rematch, unmatched_names  # noqa: F401 - said here too

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


def check_file(con, data: bytes, file_name: str, given: tuple = (), **options) -> UploadResult:
    """Read and validate only (nothing stored): the `check` command and the preview.

    `given`: what a person said this file's columns are (columns.Given), which wins over what
    the store remembers, which wins over the header's words."""
    with store.bounded_memory(con):
        return _check_file(con, data, file_name, given, **options)


def _check_file(con, data: bytes, file_name: str, given: tuple = (), **options) -> UploadResult:
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
    has_store = naming.has_store(con)
    matcher = naming.load_matcher(con) if has_store else None
    try:
        staged = registry.stage(con, data, file_name, matcher=matcher, district_code=naming.district_code(con),
                             remembered=columns.remembered(con if has_store else None, given), **options)
    except IntakeError as exc:
        return UploadResult(file_name, REFUSED, refusal=exc.issue)
    if has_store and staged.kind == "progress":
        _doubt_a_lone_achievement(con, staged)
    return UploadResult(file_name, CHECKED, staged=staged)


def _doubt_a_lone_achievement(con, staged: intake.Staged) -> None:
    """A column named only "Achievement" is read as the total so far; when most of its places
    would then go below their last report, it is the day's figure after all, or a mistake: a
    person is asked (the figures are never guessed)."""
    for col in staged.header.columns:
        if col.field != "achieved" or not col.weak or col.how != "words" or not col.sure:
            continue
        # Compared place by place; a block-wise file against a panchayat-wise history, block by
        # block (the block's own last row where there is one, else the sum of its panchayats').
        below, compared = store.scalar(con, f"""
            WITH last AS (
                SELECT pr.indicator, pr.block, pr.panchayat, pr.channel, pr.camp_site, arg_max(pr.achieved, pr.report_date)
                    AS achieved
                FROM progress pr JOIN uploads u USING (upload_id)
                WHERE u.status = 'stored' AND pr.achieved IS NOT NULL
                  AND pr.block IN (SELECT DISTINCT block FROM {staged.table})
                  AND pr.report_date < (SELECT min(report_date) FROM {staged.table})
                GROUP BY ALL),
            by_block AS (
                SELECT indicator, block, coalesce(
                    max(achieved) FILTER (WHERE panchayat IS NULL AND channel IS NULL AND camp_site IS NULL),
                    sum(achieved)) AS achieved
                FROM last GROUP BY ALL),
            pairs AS (
                SELECT s.achieved AS now, l.achieved AS before FROM {staged.table} s JOIN last l
                    ON l.indicator = s.indicator AND l.block = s.block AND l.panchayat IS NOT DISTINCT FROM s.panchayat
                    AND l.channel IS NOT DISTINCT FROM s.channel AND l.camp_site IS NOT DISTINCT FROM s.camp_site
                WHERE s.achieved IS NOT NULL
                UNION ALL
                SELECT s.achieved, l.achieved FROM {staged.table} s JOIN by_block l
                    ON l.indicator = s.indicator AND l.block = s.block
                WHERE s.achieved IS NOT NULL AND s.panchayat IS NULL AND s.channel IS NULL AND s.camp_site IS NULL
                  AND NOT EXISTS (SELECT 1 FROM last x WHERE x.indicator = s.indicator AND x.block = s.block
                                  AND x.panchayat IS NULL AND x.channel IS NULL AND x.camp_site IS NULL))
            SELECT [count(*) FILTER (WHERE now < before), count(*)] FROM pairs""") or (0, 0)
        if compared >= 2 and below / compared > 0.5:
            staged.questions.append(intake.Question(col.index, staged.header.labels[col.index] or "", "achieved",
                                                    ("achieved_today",), "history"))


SHAPE_OPTIONS = ("level", "name_column", "code_column", "parent_column")


def _is_boundaries(data: bytes, kind: str | None) -> bool:
    return kind == shapes.KIND or (kind is None and shapes.looks_like_boundaries(data))


def ingest_file(con, data: bytes, file_name: str, *, source: str = "upload",
                uploaded_at: dt.datetime | None = None, files: Path | None = None,
                given: tuple = (), given_by: str = "page", **options) -> UploadResult:
    """Store one file, or refuse it whole. `con` should be a cursor of its own. A file with a
    column whose meaning is in doubt is refused until a person says what it is (`given`, by
    the page's column table or `--column`); what was said is remembered for later files."""
    with store.bounded_memory(con):
        return _ingest_file(con, data, file_name, source=source, uploaded_at=uploaded_at, files=files,
                            given=given, given_by=given_by, **options)


def _ingest_file(con, data: bytes, file_name: str, *, source: str, uploaded_at: dt.datetime | None,
                 files: Path | None, given: tuple, given_by: str, **options) -> UploadResult:
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
    result = check_file(con, data, file_name, saved_at=raw_path, digest=digest, given=given, **options)
    if result.ok and result.staged.kind != shapes.KIND and result.staged.questions:
        intake.drop_staging(con, result.staged)
        result = UploadResult(file_name, REFUSED, refusal=unsure_columns(result.staged))
    if not result.ok:
        _discard(raw_path if created else None)
        return result
    staged = result.staged
    try:
        if staged.kind == shapes.KIND:
            upload_id, replaced = shapes.store_staged(con, staged, raw_path, source, uploaded_at or fmt.now_ist()), []
        else:
            upload_id, replaced = _store(con, staged, raw_path, source, uploaded_at or fmt.now_ist(), given,
                                         given_by)
    except BaseException:
        _discard(raw_path if created else None)
        raise
    finally:
        if staged.kind != shapes.KIND:
            # after a failed write DuckDB may have given the database up: never hide why
            with contextlib.suppress(duckdb.Error):
                intake.drop_staging(con, staged)
    if getattr(registry.get(staged.kind), "REMATCH_AFTER", False) if staged.kind in registry.BY_NAME else False:
        naming.rematch(con)  # names stored before this gazetteer came can be matched now
        shapes.rematch(con)
    elif staged.kind == "progress" and shapes.waiting_for_reports(con):
        shapes.rematch(con)  # shapes stored before the reports that name their places
    return UploadResult(file_name, STORED, upload_id, staged=staged, replaced=replaced)


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


def unsure_columns(staged: intake.Staged) -> Issue:
    """The refusal of a file with columns in doubt: each column, what it was read as and what
    else it could be."""
    return Issue(REFUSED_ISSUE, "columns_unsure", {"columns": [
        {"header": q.header, "field": q.field, "others": list(q.others), "why": q.why} for q in staged.questions]})


def _store(con, staged: intake.Staged, raw_path: Path | None, source: str, uploaded_at, given: tuple = (),
           given_by: str = "page"):
    with store.transaction(con):
        if given:
            columns.save(con, staged.kind, staged.header, list(given), given_by)
        upload_id = store.scalar(con, "SELECT nextval('upload_id_seq')")
        kind = registry.get(staged.kind)
        if hasattr(kind, "before_store"):
            kind.before_store(con, staged)  # checks against what is stored (a cumulative going down)
        replaced = kind.replaced(con, staged)
        intake.count_issues(con, staged)  # with those of the checks against the store
        con.execute(
            "INSERT INTO uploads VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [upload_id, staged.file_name, staged.sha256, staged.kind, staged.indicator,
             staged.report_date, staged.date_from, staged.date_to, uploaded_at,
             staged.rows_accepted, staged.rows_warned, staged.rows_rejected, STORED, uploaded_at,
             str(raw_path) if raw_path else None, staged.grid.file_format, staged.grid.sheet, staged.header_row, source,
             json.dumps(staged.reading(), default=str, ensure_ascii=False)])
        kind.store_rows(con, staged, upload_id)
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
    columns = {  # each bound as a list (through pyarrow, a process would import pandas for it)
        "level": ("VARCHAR", [m.level for m in matches]),
        "written": ("VARCHAR", [m.written for m in matches]),
        "parent_code": ("VARCHAR", [m.parent_code for m in matches]),
        "name": ("VARCHAR", [m.name for m in matches]),
        "code": ("VARCHAR", [m.code for m in matches]),
        "how": ("VARCHAR", [m.how for m in matches]),
        "method": ("VARCHAR", [m.method for m in matches]),
        "score": ("DOUBLE", [m.score for m in matches]),
        "candidates": ("VARCHAR", [json.dumps(m.candidates, ensure_ascii=False) if m.candidates else "[]"
                                   for m in matches]),
        "rows": ("BIGINT", [m.rows for m in matches]),
    }
    select = ", ".join(f"unnest(${name}::{kind}[])" for name, (kind, _) in columns.items())
    con.execute(f"INSERT INTO place_matches SELECT $upload_id, {select}",
                {"upload_id": upload_id, **{name: values for name, (_, values) in columns.items()}})


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
