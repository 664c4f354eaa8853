"""Turning an uploaded file into a grid of text cells in DuckDB, whatever its format.

CSV in UTF-8 (with or without BOM), UTF-16 and a single-byte fallback; comma, tab or
semicolon separated; XLSX with merged cells. The grid is a temp table with columns
c0..cN (VARCHAR) and `rownum`, the row number a person sees in the file.

Hostile files are stopped here, before anything else reads them: a file over the upload
limit, a workbook that is not what Excel writes (parts outside it, thousands of parts, a zip
bomb, millions of cells, a stray cell a million rows down), thousands of columns. In the
grid, control and text-direction characters are taken out, Aadhaar and ration card numbers
masked (`values.mask_personal`), tags and Markdown links defanged ("<a href" -> "‹a href",
"](" -> "] (") and cells longer than MAX_CELL_CHARS cut short, so no later step (storing, a
page, a chart, an image, a download) ever sees them whole.
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

from samiksha import values
from samiksha.errors import INFO, WARNING, IntakeError, Issue

HEAD_ROWS = 40
SNIFF_LINES = 60
SNIFF_BYTES = 1 << 16
MAX_LINE = 1 << 26  # a row may hold a very long remarks cell
DELIMITERS = (",", "\t", ";", "|")
MAX_UPLOAD_MB = 200  # the same as server.maxUploadSize in .streamlit/config.toml
MAX_UPLOAD_BYTES = MAX_UPLOAD_MB * 1024 * 1024
MAX_COLUMNS = 1000  # a year of day columns with target and achieved for each still fits
MAX_CELL_CHARS = 1000  # longer cells (a pasted paragraph) are cut short
MAX_WORKBOOK_PARTS = 1000  # an Excel workbook holds a few dozen
MAX_WORKBOOK_UNZIPPED_MB = 256
MAX_PART_RATIO = 100  # unzipped / zipped size of one part beyond its first MiB; Excel's are 5-15
MAX_WORKBOOK_CELLS = 3_000_000  # more is a state's export: CSV reads it, openpyxl would not
MAX_SHEET_CELLS = 10_000_000  # rows x columns of the sheet read (a stray cell at XFD1048576)
# Taken out of every cell: C0/C1 control characters (terminal escapes, Excel's illegal
# characters) but tab and line breaks, and the invisible text-direction and zero-width marks
# that make one name look like another (ZWJ/ZWNJ stay: Devanagari needs them). The same set as
# values.CONTROL_IN_TEXT, for DuckDB.
CONTROL_CHARS = ("[\\x01-\\x08\\x0b\\x0c\\x0e-\\x1f\\x7f-\\x{9f}\\x{200b}\\x{202a}-\\x{202e}\\x{2060}"
                 "\\x{2066}-\\x{2069}\\x{feff}]")
# An HTML tag's start and a Markdown link's "](" (values.MARKUP_IN_TEXT): defanged, not removed.
MARKUP_TAG, MARKDOWN_LINK = "<(/?[A-Za-z!?])", "\\]\\("
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
    # A temp table (rownum, col, id_key, last4) of the ration card numbers of columns headed so, as
    # compared (values.id_key_sql) and digested before the cells were masked (None: no such column).
    id_keys: str | None = None


def read_grid(con, data: bytes, file_name: str, sheet: str | None = None,
              saved_at: Path | None = None) -> Grid:
    """Read `data` (the file's bytes) into a grid on `con`, or raise IntakeError.

    `saved_at` is a copy of the same bytes on disk, which DuckDB may read directly.
    """
    check_size(len(data))
    if _NOTHING.fullmatch(data):  # (a match, not a stripped copy of a large file)
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


_NOTHING = re.compile(rb"[ \t\r\n\x00\xef\xbb\xbf\xff\xfe]*")


def check_size(size: int) -> None:
    """Refuse a file over the upload limit (the app's uploader has the same limit; the command
    line can check a file's size before reading it)."""
    if size > MAX_UPLOAD_BYTES:
        raise IntakeError("file_too_large", size=max(MAX_UPLOAD_MB + 1, round(size / 1024 / 1024)),
                          limit=MAX_UPLOAD_MB)


def _is_utf8(data: bytes) -> bool:
    """True when the bytes are valid UTF-8 (checked in chunks, without one big copy)."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) or b"\x00" in data:
        return False
    if data.isascii():  # most exports: valid UTF-8 without decoding them
        return True
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
    _check_width(ncols)
    table = f"grid_{next(_counter)}"
    if _BLANK_LINE.search(utf8, 0, _content_end(utf8)):
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


def _content_end(data: bytes) -> int:
    """Where the bytes end but for line breaks, spaces and tabs at the end (data.rstrip()'s
    length, without copying a large file)."""
    end = len(data)
    while end and data[end - 1] in b"\r\n \t":
        end -= 1
    return end


def _load_csv_python(con, table: str, utf8: bytes, delimiter: str) -> None:
    text = utf8.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    ncols = max((len(r) for r in rows), default=1) or 1
    _check_width(ncols)
    columns = {f"c{i}": [(r[i] or None) if i < len(r) else None for r in rows] for i in range(ncols)}
    columns["rownum"] = list(range(1, len(rows) + 1))
    _create_from_columns(con, table, columns, ncols)


def _check_width(ncols: int) -> None:
    if ncols > MAX_COLUMNS:
        raise IntakeError("file_too_wide", count=ncols, limit=MAX_COLUMNS)


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

    _check_workbook(data)
    try:
        book = openpyxl.load_workbook(io.BytesIO(data), data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError, TypeError, EOFError):
        raise IntakeError("bad_workbook") from None
    except Exception:  # openpyxl raises its own classes for broken XML parts
        raise IntakeError("bad_workbook") from None
    sheets = [ws for ws in book.worksheets if ws.max_row and _has_data(ws)]
    if sheet is not None:
        chosen = [ws for ws in book.worksheets if sheet in (ws.title, _title(ws))]
        if not chosen:
            raise IntakeError("no_such_sheet", sheet=values.clean_name(sheet),
                              sheets=", ".join(_title(ws) for ws in book.worksheets))
        ws = chosen[0]
    elif sheets:
        ws = sheets[0]
    else:
        raise IntakeError("empty_file")
    if ws.max_row * ws.max_column > MAX_SHEET_CELLS:
        raise IntakeError("sheet_too_large", sheet=_title(ws), rows=ws.max_row, columns=ws.max_column)
    _refuse_unsaved_formulas(data, ws)
    rows = _sheet_rows(ws)
    notes = [Issue(INFO, "read_sheet", {"sheet": _title(ws)})]
    others = [_title(s) for s in sheets if s is not ws]
    if others:
        notes.append(Issue(INFO, "other_sheets", {"sheets": ", ".join(others)}))
    hidden = [r for r, dim in ws.row_dimensions.items() if dim.hidden and r <= len(rows)]
    if hidden:
        notes.append(Issue(WARNING, "hidden_rows", {"count": len(hidden),
                                                     "rows": ", ".join(map(str, sorted(hidden)[:10]))}))
    # (a column empty all the way down, to the right of the last used one, is left out: a
    # sheet formatted to column XFD has no more columns than its data)
    ncols = max((_used_width(r) for r in rows), default=1) or 1
    _check_width(ncols)
    table = f"grid_{next(_counter)}"
    columns = {f"c{i}": [r[i] if i < len(r) else None for r in rows] for i in range(ncols)}
    columns["rownum"] = list(range(1, len(rows) + 1))
    _create_from_columns(con, table, columns, ncols)
    grid = _finish(con, table, ncols, "XLSX", notes, sheet=_title(ws))
    grid.other_sheets = others
    return grid


def _title(ws) -> str:
    """A sheet's name as shown and stored (an Aadhaar number in it masked)."""
    return values.clean_name(ws.title)



def _used_width(row: list) -> int:
    return next((i + 1 for i in range(len(row) - 1, -1, -1) if row[i] is not None), 0)


def _check_workbook(data: bytes) -> None:
    """Refuse, before openpyxl unpacks it, a workbook that is not what Excel writes: a part
    named outside the workbook (../, /, C:), thousands of parts, a part that unpacks to far
    more than its size or all parts past MAX_WORKBOOK_UNZIPPED_MB (a zip bomb), or more cells
    than openpyxl can hold. (zipfile never unpacks more than a part's stated size.)"""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        parts = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        raise IntakeError("bad_workbook") from None
    if len(parts) > MAX_WORKBOOK_PARTS:
        raise IntakeError("workbook_too_many_parts", count=len(parts), limit=MAX_WORKBOOK_PARTS)
    total = 0
    for info in parts:
        name = info.filename.replace("\\", "/")
        if name.startswith("/") or ".." in name.split("/") or ":" in name:
            raise IntakeError("workbook_unsafe_part", part=values.clean_name(info.filename))
        total += info.file_size
        inflates = info.file_size > MAX_PART_RATIO * max(info.compress_size, 1) + (1 << 20)
        if inflates or total > MAX_WORKBOOK_UNZIPPED_MB * 1024 * 1024:
            raise IntakeError("workbook_bomb", part=values.clean_name(info.filename), limit=MAX_WORKBOOK_UNZIPPED_MB)
    cells = 0
    for info in parts:
        if info.filename.lower().endswith(".xml"):
            cells += _count_cells(archive, info)
            if cells > MAX_WORKBOOK_CELLS:
                raise IntakeError("workbook_too_many_cells", limit=MAX_WORKBOOK_CELLS)


_CELL_TAG = re.compile(rb"<(?:\w{1,16}:)?c[\s/>]")


def _count_cells(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> int:
    """The <c> (cell) elements of one XML part, read a MiB at a time."""
    count, tail = 0, b""
    try:
        with archive.open(info) as part:
            while chunk := part.read(1 << 20):
                block = tail + chunk
                # a tag that ends in the carried-over tail was counted with the previous block
                count += sum(1 for m in _CELL_TAG.finditer(block) if m.end() > len(tail))
                tail = block[-24:]
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, NotImplementedError, RuntimeError):
        raise IntakeError("bad_workbook") from None
    return count


def _refuse_unsaved_formulas(data: bytes, ws) -> None:
    """Formulas whose results were never saved (files written by programs) read as blank:
    refuse rather than store blanks where the report has figures."""
    import openpyxl

    book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    formulas = book[ws.title]
    # bounded by the sheet's cells: a read-only sheet believes the <dimension> the file states
    bounded = formulas.iter_rows(max_row=ws.max_row, max_col=ws.max_column)
    for row_f, row_v in zip(bounded, ws.iter_rows(), strict=False):
        for cell_f, cell_v in zip(row_f, row_v, strict=False):
            if isinstance(cell_f.value, str) and cell_f.value.startswith("=") and cell_v.value is None:
                raise IntakeError("formulas_without_values", cell=cell_f.coordinate)


def _schema(ncols: int) -> pa.Schema:
    fields = [pa.field(f"c{i}", pa.string()) for i in range(ncols)]
    return pa.schema(fields + [pa.field("rownum", pa.int64())])


def _has_data(ws) -> bool:
    # the cells the sheet holds (openpyxl's own dict of them: iter_rows would visit every empty
    # cell of the sheet's whole area, a million rows for one stray cell)
    return any(cell.value is not None for cell in ws._cells.values())


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
    id_keys = _keep_id_keys(con, table, ncols)
    notes = notes + _protect(con, table, ncols)
    # (rows are numbered 1, 2, 3 ... in every reader: the first rows are found without a sort)
    head = con.execute(f"SELECT * EXCLUDE (rownum) FROM {table} WHERE rownum <= {HEAD_ROWS} "
                       f"ORDER BY rownum LIMIT {HEAD_ROWS}").fetchall()
    nrows = con.execute(f"SELECT count(*) FROM {table}").fetchall()[0][0]
    head_rows = [[_clean(v) for v in row] for row in head]
    return Grid(table, ncols, head_rows, nrows, file_format, notes=notes, id_keys=id_keys, **extra)


def _keep_id_keys(con, table: str, ncols: int) -> str | None:
    """Before a ration card column is masked: each number's digest (sha256 of its compared form,
    values.id_key_sql) and last four, for a register keyed by ration card (kinds/households.py
    salts the digest; neither the number nor the digest is ever stored). A cell with fewer than
    four digits ("NA", "नहीं") is no number."""
    cols = [f"c{i}" for i in range(ncols)]
    found = {i: rownum for i, rownum in _id_columns(con, table, cols).items()
             if values.is_ration_header(_header_text(con, table, cols[i], rownum))}
    if not found:
        return None
    keys = f"{table}_ids"
    parts = []
    for i, rownum in found.items():
        key = values.id_key_sql(cols[i])
        parts.append(f"SELECT rownum, {i} AS col, sha256(k) AS id_key, right(k, 4) AS last4 "
                     f"FROM (SELECT rownum, {key} AS k FROM {table} WHERE rownum > {rownum}) "
                     f"WHERE length(regexp_replace(k, '[^0-9]', '', 'g')) >= 4")
    con.execute(f"CREATE TEMP TABLE {keys} AS {' UNION ALL '.join(parts)}")
    return keys


def _header_text(con, table: str, column: str, rownum: int) -> str | None:
    return con.execute(f"SELECT {column} FROM {table} WHERE rownum = {int(rownum)}").fetchall()[0][0]


def _clean(value) -> str | None:
    if value is None:
        return None
    text = " ".join(str(value).split())
    return text or None


# ---------------------------------------------------------------- what no later step may see

def _protect(con, table: str, ncols: int) -> list[Issue]:
    """In the grid, before anything reads it: control and direction characters taken out, tags
    and Markdown links defanged, Aadhaar and ration card numbers masked (whole cells under an
    Aadhaar or ration card header), cells longer than MAX_CELL_CHARS cut short. Returns the
    notes saying so.

    One pass over whole rows sets the odd ones aside (a million-row report with nothing to
    change costs a fraction of a second); only those rows are then looked at cell by cell."""
    cols = [f"c{i}" for i in range(ncols)]
    odd = f"{table}_odd"
    params = {"control": CONTROL_CHARS, "tag": MARKUP_TAG, "link": MARKDOWN_LINK, "personal": values.PERSONAL_CANDIDATE}
    con.execute(f"""
        CREATE TEMP TABLE {odd} AS SELECT rownum, regexp_matches(r, $suspect) AS suspect, strlen(r) > {MAX_CELL_CHARS} AS wide
        FROM (SELECT rownum, concat_ws(chr(9), {', '.join(cols)}) AS r FROM {table})
        WHERE regexp_matches(r, $suspect) OR strlen(r) > {MAX_CELL_CHARS}
    """, {"suspect": "|".join((CONTROL_CHARS, MARKUP_TAG, MARKDOWN_LINK, values.PERSONAL_CANDIDATE))})
    any_odd = con.execute(f"SELECT count(*) FROM {odd}").fetchall()[0][0] > 0
    probes = ", ".join(f"bool_or(o.suspect AND regexp_matches({c}, $control)), "
                       f"bool_or(o.suspect AND (regexp_matches({c}, $tag) OR regexp_matches({c}, $link))), "
                       f"bool_or(o.suspect AND regexp_matches({c}, $personal)), "
                       f"bool_or(o.wide AND length({c}) > {MAX_CELL_CHARS})" for c in cols)
    found = con.execute(f"SELECT {probes} FROM {table} JOIN {odd} o USING (rownum)", params).fetchall()[0] \
        if any_odd else [None] * (4 * ncols)
    id_below = _id_columns(con, table, cols)
    suspect = f"rownum IN (SELECT rownum FROM {odd} WHERE suspect)"
    removed = defanged = masked = clipped = 0
    first_clipped = None
    for i, column in enumerate(cols):
        control, markup, personal, long = found[4 * i: 4 * i + 4]
        if control:
            removed += _changed(con, f"UPDATE {table} SET {column} = nullif(regexp_replace({column}, $control, '', 'g'), '') "
                                     f"WHERE {suspect} AND regexp_matches({column}, $control)", params)
        if markup:
            defanged += _changed(con, f"UPDATE {table} SET {column} = regexp_replace(regexp_replace({column}, $tag, "
                                      f"'‹\\1', 'g'), $link, '] (', 'g') WHERE {suspect} "
                                      f"AND (regexp_matches({column}, $tag) OR regexp_matches({column}, $link))", params)
        if control or personal or i in id_below:
            masked += _mask_column(con, table, column, id_below.get(i), suspect)
        if long:
            too_long = f"rownum IN (SELECT rownum FROM {odd} WHERE wide) AND length({column}) > {MAX_CELL_CHARS}"
            row_number = con.execute(f"SELECT min(rownum) FROM {table} WHERE {too_long}").fetchall()[0][0]
            first_clipped = min(first_clipped or row_number, row_number)
            clipped += _changed(con, f"UPDATE {table} SET {column} = left({column}, {MAX_CELL_CHARS}) || '…' "
                                     f"WHERE {too_long}")
    con.execute(f"DROP TABLE {odd}")
    notes = []
    if removed:
        notes.append(Issue(WARNING, "control_characters_removed", {"count": removed}))
    if defanged:
        notes.append(Issue(WARNING, "markup_defanged", {"count": defanged}))
    if masked:
        notes.append(Issue(WARNING, "personal_ids_masked", {"count": masked}))
    if clipped:
        notes.append(Issue(WARNING, "long_cells_clipped", {"count": clipped, "limit": MAX_CELL_CHARS,
                                                           "row": first_clipped}))
    return notes


def _changed(con, sql: str, params: dict | None = None) -> int:
    """Run an UPDATE (with those of `params` it names); the rows it changed."""
    used = {name: value for name, value in (params or {}).items() if f"${name}" in sql}
    return con.execute(sql, used).fetchall()[0][0]


def _id_columns(con, table: str, cols: list[str]) -> dict[int, int]:
    """Columns headed Aadhaar / ration card in the first rows: {column: the header's row}."""
    head = con.execute(f"SELECT rownum, {', '.join(cols)} FROM {table} WHERE rownum <= {HEAD_ROWS} "
                       f"ORDER BY rownum LIMIT {HEAD_ROWS}").fetchall()
    found: dict[int, int] = {}
    for rownum, *cells in head:
        for i, cell in enumerate(cells):
            if i not in found and cell and len(cell) < 80 and values.is_id_header(cell):
                found[i] = rownum
    return found


def _mask_column(con, table: str, column: str, id_below: int | None, suspect: str) -> int:
    """Mask one column's personal identifiers, in the `suspect` rows (SQL) or, under an
    Aadhaar or ration card header (row `id_below`), in every cell; each distinct text is
    masked once. Returns the cells changed."""
    whole = f"rownum > {id_below}" if id_below is not None else "false"
    plain = _plain_ids(column, id_below)
    texts = con.execute(f"SELECT DISTINCT {column}, {whole} FROM {table} WHERE {column} IS NOT NULL "
                        f"AND ({whole} OR ({suspect} AND regexp_matches({column}, $personal))) AND NOT ({plain})",
                        {"personal": values.PERSONAL_CANDIDATE}).fetchall()
    masked = 0
    if id_below is not None:  # the plain numbers of a whole column at once (a register's lakhs of cards)
        masked = _changed(con, f"UPDATE {table} SET {column} = {_mask_id_sql(column)} "
                               f"WHERE {plain} AND {_mask_id_sql(column)} <> {column}")
    changed = []
    for text, is_id in texts:
        shown = values.mask_id(values.mask_personal(text)) if is_id else values.mask_personal(text)
        if shown != text:
            changed.append((text, is_id, shown))
    if not changed:
        return masked
    masks = pa.table({"text": [c[0] for c in changed], "is_id": [c[1] for c in changed],
                      "shown": [c[2] for c in changed]})
    con.register(f"{table}_masks", masks)
    try:
        return masked + _changed(con, f"UPDATE {table} SET {column} = m.shown FROM {table}_masks m "
                                      f"WHERE {table}.{column} = m.text "
                                      f"AND ({whole.replace('rownum', table + '.rownum')}) = m.is_id")
    finally:
        con.unregister(f"{table}_masks")


_KEPT_FOUR = "^((?:[^0-9A-Za-z]*[0-9A-Za-z]){4})"  # (reversed) up to the fourth letter or digit
# In plain ASCII cells: what values.AADHAAR_IN_TEXT finds (RE2 has no look-arounds: the digits
# either side are matched instead), and any word "rc" or "ration card" (values.RATION_IN_TEXT's, widened).
_AADHAAR_ASCII = "(^|[^0-9])[2-9][0-9]{3}[ -]?[0-9]{4}[ -]?[0-9]{4}($|[^0-9])"
_RC_WORDS = "(?i)(ration\\s*card|\\brc\\b)"


def _plain_ids(column: str, id_below: int | None) -> str:
    """SQL: a cell under an identifier header that is plain ASCII, with four digits or more, no
    Aadhaar-like number and no "RC" in it: for such a cell values.mask_personal changes nothing
    and values.mask_id is `_mask_id_sql` (the other cells are masked one distinct text at a time)."""
    if id_below is None:
        return "false"
    return (f"(rownum > {id_below} AND {column} IS NOT NULL AND regexp_full_match({column}, '[ -~]*') "
            f"AND NOT regexp_matches({column}, '{_AADHAAR_ASCII}') AND NOT regexp_matches({column}, '{_RC_WORDS}') "
            f"AND length(regexp_replace({column}, '[^0-9]', '', 'g')) >= 4)")


def _mask_id_sql(column: str) -> str:
    """values.mask_id in SQL, for plain ASCII cells: every letter and digit but the last four an X."""
    rev = f"reverse({column})"
    return (f"CASE WHEN ltrim({column}, '0123456789') = '' THEN repeat('X', length({column}) - 4) || right({column}, 4) "
            f"ELSE reverse(regexp_extract({rev}, '{_KEPT_FOUR}', 1) "
            f"|| regexp_replace(regexp_replace({rev}, '{_KEPT_FOUR}', ''), '[0-9A-Za-z]', 'X', 'g')) END")
