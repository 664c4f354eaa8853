"""Turning an uploaded file into a grid of text cells in DuckDB, whatever its format.

CSV in UTF-8 (with or without BOM), UTF-16 and a single-byte fallback; comma, tab or
semicolon separated; XLSX with merged cells. The grid is a temp table with columns
c0..cN (VARCHAR) and `rownum`, the row number a person sees in the file.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
import itertools
import os
import re
import tempfile
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import pyarrow as pa

from samiksha.errors import INFO, WARNING, IntakeError, Issue

HEAD_ROWS = 40
SNIFF_LINES = 60
SNIFF_BYTES = 1 << 16
MAX_LINE = 1 << 26  # a row may hold a very long remarks cell
DELIMITERS = (",", "\t", ";", "|")
_MAGIC = {  # first bytes -> the kind of file (a key of the catalogue's [filetype] section)
    b"\x89PNG": "png",
    b"\xff\xd8\xff": "jpeg",
    b"%PDF": "pdf",
    b"GIF8": "gif",
    b"\xd0\xcf\x11\xe0": "xls",
    b"Rar!": "rar",
    b"\x1f\x8b": "gzip",
}
_counter = itertools.count()


@dataclass
class Grid:
    """A file read as rows of text cells, living in a temp table of a DuckDB connection."""

    table: str
    ncols: int
    head: list[list[str | None]]
    nrows: int
    file_format: str
    sheet: str | None = None
    encoding: str | None = None
    delimiter: str | None = None
    notes: list[Issue] = field(default_factory=list)
    other_sheets: list[str] = field(default_factory=list)  # other sheets of a workbook with data


def read_grid(con, data: bytes, file_name: str, sheet: str | None = None,
              saved_at: Path | None = None) -> Grid:
    """Read `data` (the file's bytes) into a grid on `con`, or raise IntakeError.

    `saved_at` is a copy of the same bytes on disk, which DuckDB may read directly.
    """
    if not data or not data.strip(b" \t\r\n\x00\xef\xbb\xbf\xff\xfe"):
        raise IntakeError("empty_file")
    if data[:4] == b"PK\x03\x04" or file_name.lower().endswith((".xlsx", ".xlsm")):
        return _read_xlsx(con, data, file_name, sheet)
    for magic, what in _MAGIC.items():
        if data.startswith(magic):
            raise IntakeError("not_a_table_file", what=what)
    opening = data[:512].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if opening.startswith((b"<html", b"<!doctype html", b"<table", b"<?xml", b"<meta", b"<head")):
        raise IntakeError("html_file")
    if _is_utf8(data):
        # Most reports: DuckDB reads the bytes as they are (a BOM is skipped).
        bom = data.startswith(codecs.BOM_UTF8)
        head = data[3 if bom else 0: SNIFF_BYTES].decode("utf-8", errors="ignore")
        return _read_csv(con, data, head, "UTF-8 (BOM)" if bom else "UTF-8", [], saved_at)
    text, encoding, notes = decode_text(data)
    return _read_csv(con, text.encode("utf-8"), text[:SNIFF_BYTES], encoding, notes)


def _is_utf8(data: bytes) -> bool:
    """True when the bytes are valid UTF-8 (checked in chunks, without one big copy)."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) or b"\x00" in data:
        return False
    decoder = codecs.getincrementaldecoder("utf-8")()
    try:
        for start in range(0, len(data), 1 << 20):
            decoder.decode(data[start:start + (1 << 20)])
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    return True


def decode_text(data: bytes) -> tuple[str, str, list[Issue]]:
    """Decode a CSV's bytes: BOMs first, UTF-16 without BOM, UTF-8, then Windows-1252."""
    if data.startswith(codecs.BOM_UTF8):
        return data[3:].decode("utf-8", errors="strict"), "UTF-8 (BOM)", []
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return _decode_utf16(data, "utf-16"), "UTF-16", []
    sample = data[:400]
    if sample.count(b"\x00") > len(sample) // 4:
        if sample[1::2].count(0) > len(sample[1::2]) * 0.6:
            return _decode_utf16(data, "utf-16-le"), "UTF-16", []
        if sample[0::2].count(0) > len(sample[0::2]) * 0.6:
            return _decode_utf16(data, "utf-16-be"), "UTF-16", []
    if b"\x00" in data:
        nuls = data.count(b"\x00")
        if nuls > max(8, len(data) // 1000):
            raise IntakeError("binary_file")
        text, encoding, notes = decode_text(data.replace(b"\x00", b""))
        return text, encoding, notes + [Issue(WARNING, "nul_bytes_removed", {"count": nuls})]
    try:
        return data.decode("utf-8"), "UTF-8", []
    except UnicodeDecodeError:
        pass
    text = data.decode("cp1252", errors="replace")
    return text, "Windows-1252", [Issue(WARNING, "single_byte_encoding")]


def _decode_utf16(data: bytes, codec: str) -> str:
    try:
        return data.decode(codec)
    except UnicodeDecodeError as exc:
        raise IntakeError("bad_encoding", encoding="UTF-16", offset=exc.start) from None


def sniff_delimiter(lines: list[str]) -> tuple[str, int]:
    """The delimiter that splits the most lines into the same number (>1) of fields."""
    best = (",", 1, -1)
    for delim in DELIMITERS:
        counts = [len(row) for row in csv.reader(lines, delimiter=delim) if any(row)]
        multi = [n for n in counts if n > 1]
        if not multi:
            continue
        mode = max(set(multi), key=multi.count)
        score = multi.count(mode) * 1000 + mode
        if score > best[2]:
            best = (delim, max(counts), score)
    return best[0], best[1]


def _read_csv(con, utf8: bytes, head: str, encoding: str, notes: list[Issue],
              saved_at: Path | None = None) -> Grid:
    lines = head.splitlines()[:SNIFF_LINES]
    delimiter, ncols = sniff_delimiter(lines)
    table = f"grid_{next(_counter)}"
    if _BLANK_LINE.search(utf8.rstrip(b"\r\n \t")):
        # DuckDB skips blank lines, which would shift every row number after them; the
        # csv module keeps them, so rows are numbered as a person sees them in the file.
        _load_csv_python(con, table, utf8, delimiter)
        ncols = max(ncols, _width(con, table))
    else:
        path = str(saved_at) if saved_at else _utf8_file(utf8)
        try:
            _load_csv(con, table, path, delimiter, ncols)
        finally:
            if not saved_at:
                os.unlink(path)
    notes = notes + [Issue(INFO, "read_csv", {"encoding": encoding, "delimiter": _name(delimiter)})]
    return _finish(con, table, ncols, "CSV", notes, encoding=encoding, delimiter=delimiter)


_BLANK_LINE = re.compile(rb"\n\r?\n")


def _load_csv_python(con, table: str, utf8: bytes, delimiter: str) -> None:
    text = utf8.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    ncols = max((len(r) for r in rows), default=1) or 1
    columns = {f"c{i}": [(r[i] or None) if i < len(r) else None for r in rows] for i in range(ncols)}
    columns["rownum"] = list(range(1, len(rows) + 1))
    _create_from_columns(con, table, columns, ncols)


def _width(con, table: str) -> int:
    return sum(1 for row in con.execute(f"DESCRIBE {table}").fetchall() if row[0] != "rownum")


def _create_from_columns(con, table: str, columns: dict, ncols: int) -> None:
    arrow = pa.table(columns, schema=_schema(ncols))
    con.register(f"{table}_src", arrow)
    con.execute(f"CREATE TEMP TABLE {table} AS SELECT * FROM {table}_src")
    con.unregister(f"{table}_src")


def _utf8_file(data: bytes) -> str:
    handle, path = tempfile.mkstemp(prefix="samiksha_", suffix=".csv")
    with os.fdopen(handle, "wb") as out:
        out.write(data)
    return path


def _load_csv(con, table: str, path: str, delimiter: str, ncols: int) -> None:
    columns = ", ".join(f"'c{i}': 'VARCHAR'" for i in range(ncols))
    for parallel in ("true", "false"):
        sql = (
            f"CREATE TEMP TABLE {table} AS SELECT *, row_number() OVER () AS rownum "
            f"FROM read_csv(?, header=false, auto_detect=false, all_varchar=true, delim=?, "
            f"quote='\"', escape='\"', null_padding=true, strict_mode=true, max_line_size={MAX_LINE}, "
            f"parallel={parallel}, columns={{{columns}}})"
        )
        try:
            con.execute(sql, [path, delimiter])
            return
        except Exception as exc:  # DuckDB raises several error classes for bad CSV
            message = str(exc)
            if "parallel" in message and parallel == "true":
                continue
            raise _csv_refusal(message) from None


def _csv_refusal(message: str) -> IntakeError:
    line = re.search(r"Line: (\d+)", message)
    row = int(line.group(1)) if line else None
    found = re.search(r"Expected Number of Columns: (\d+) Found: (\d+)", message)
    if found:
        return IntakeError("too_many_columns", row=row, expected=int(found.group(1)))
    return IntakeError("unreadable_csv", row=row)


def _name(delimiter: str) -> str:
    return {",": "comma", "\t": "tab", ";": "semicolon", "|": "pipe"}[delimiter]


def _read_xlsx(con, data: bytes, file_name: str, sheet: str | None) -> Grid:
    import openpyxl

    try:
        book = openpyxl.load_workbook(io.BytesIO(data), data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError, TypeError, EOFError):
        raise IntakeError("bad_workbook") from None
    except Exception:  # openpyxl raises its own classes for broken XML parts
        raise IntakeError("bad_workbook") from None
    sheets = [ws for ws in book.worksheets if ws.max_row and _has_data(ws)]
    if sheet is not None:
        chosen = [ws for ws in book.worksheets if ws.title == sheet]
        if not chosen:
            raise IntakeError("no_such_sheet", sheet=sheet, sheets=", ".join(book.sheetnames))
        ws = chosen[0]
    elif sheets:
        ws = sheets[0]
    else:
        raise IntakeError("empty_file")
    _refuse_unsaved_formulas(data, ws)
    rows = _sheet_rows(ws)
    notes = [Issue(INFO, "read_sheet", {"sheet": ws.title})]
    others = [s.title for s in sheets if s is not ws]
    if others:
        notes.append(Issue(INFO, "other_sheets", {"sheets": ", ".join(others)}))
    hidden = [r for r, dim in ws.row_dimensions.items() if dim.hidden and r <= len(rows)]
    if hidden:
        notes.append(Issue(WARNING, "hidden_rows", {"count": len(hidden),
                                                     "rows": ", ".join(map(str, sorted(hidden)[:10]))}))
    ncols = max((len(r) for r in rows), default=1) or 1
    table = f"grid_{next(_counter)}"
    columns = {f"c{i}": [r[i] if i < len(r) else None for r in rows] for i in range(ncols)}
    columns["rownum"] = list(range(1, len(rows) + 1))
    _create_from_columns(con, table, columns, ncols)
    grid = _finish(con, table, ncols, "XLSX", notes, sheet=ws.title)
    grid.other_sheets = others
    return grid


def _refuse_unsaved_formulas(data: bytes, ws) -> None:
    """Formulas whose results were never saved (files written by programs) read as blank:
    refuse rather than store blanks where the report has figures."""
    import openpyxl

    book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    formulas = book[ws.title]
    for row_f, row_v in zip(formulas.iter_rows(), ws.iter_rows(), strict=False):
        for cell_f, cell_v in zip(row_f, row_v, strict=False):
            if isinstance(cell_f.value, str) and cell_f.value.startswith("=") and cell_v.value is None:
                raise IntakeError("formulas_without_values", cell=cell_f.coordinate)


def _schema(ncols: int) -> pa.Schema:
    fields = [pa.field(f"c{i}", pa.string()) for i in range(ncols)]
    return pa.schema(fields + [pa.field("rownum", pa.int64())])


def _has_data(ws) -> bool:
    return any(cell is not None for row in ws.iter_rows(values_only=True) for cell in row)


def _sheet_rows(ws) -> list[list[str | None]]:
    """Cell texts; a vertical merge of text is filled down, any other merge kept once."""
    rows = [[_cell_text(v) for v in row] for row in ws.iter_rows(values_only=True)]
    for merged in ws.merged_cells.ranges:
        top, left = merged.min_row - 1, merged.min_col - 1
        if top >= len(rows) or left >= len(rows[top]):
            continue
        value = rows[top][left]
        vertical_text = merged.max_row > merged.min_row and not _looks_numeric(value)
        for r in range(merged.min_row - 1, merged.max_row):
            for c in range(merged.min_col - 1, merged.max_col):
                if (r, c) != (top, left) and r < len(rows) and c < len(rows[r]):
                    rows[r][c] = value if vertical_text and c == left else None
    while rows and not any(v not in (None, "") for v in rows[-1]):
        rows.pop()
    return rows


def _looks_numeric(value: str | None) -> bool:
    if value is None:
        return True
    try:
        float(value.replace(",", ""))
        return True
    except ValueError:
        return False


def _cell_text(value) -> str | None:
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, bool):
        return "Yes" if value else "No"
    text = str(value).strip()
    return text or None


def _finish(con, table: str, ncols: int, file_format: str, notes, **extra) -> Grid:
    head = con.execute(f"SELECT * EXCLUDE (rownum) FROM {table} ORDER BY rownum LIMIT {HEAD_ROWS}").fetchall()
    nrows = con.execute(f"SELECT count(*) FROM {table}").fetchall()[0][0]
    head_rows = [[_clean(v) for v in row] for row in head]
    return Grid(table, ncols, head_rows, nrows, file_format, notes=notes, **extra)


def _clean(value) -> str | None:
    if value is None:
        return None
    text = " ".join(str(value).split())
    return text or None

