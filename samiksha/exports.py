"""Downloads: Excel workbooks and CSV files of any table, safe to open in Excel.

Excel: a bold, frozen header row, widths that fit, whole numbers in Indian grouping
(12,34,567), dates as dd-mm-yyyy, one sheet per table. A text cell that Excel would run as
a formula (starting with =, +, -, @, tab, CR or LF, or their full-width forms) is stored as
text, never as a formula; characters a workbook may not hold are left out and a cell is cut at
Excel's 32,767 characters (either would make Excel refuse the whole file).
CSV: UTF-8 with a BOM so that Excel shows Hindi; a formula-like cell starts with a '.
"""

from __future__ import annotations

import datetime as dt
import io
import re

import pandas as pd
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

# Indian grouping for whole numbers and one decimal (crore, lakh, thousand).
INDIAN_INT = '[>=10000000]##\\,##\\,##\\,##0;[>=100000]##\\,##\\,##0;##,##0'
INDIAN_DEC = '[>=10000000]##\\,##\\,##\\,##0.0;[>=100000]##\\,##\\,##0.0;##,##0.0'
DATE_FORMAT = "dd-mm-yyyy"
FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n", "\uff1d", "\uff0b", "\uff0d", "\uff20")
EXCEL_CELL_CHARS = 32767
HEADER_FILL = PatternFill("solid", fgColor="1F4E79")
SHEET_NAME_BAD = re.compile(r"[\[\]:*?/\\]")


def sheet_name(name: str, taken: set[str]) -> str:
    """A valid, unique sheet name (31 characters, no []:*?/\\)."""
    base = SHEET_NAME_BAD.sub(" ", str(name)).strip().strip("'").strip() or "Sheet"
    if base.lower() == "history":  # reserved by Excel
        base = f"{base} (1)"
    base = base[:31].rstrip("'")
    candidate, n = base, 2
    while candidate.lower() in taken:
        suffix = f" ({n})"
        candidate = base[:31 - len(suffix)] + suffix
        n += 1
    taken.add(candidate.lower())
    return candidate


def _cell_value(value):
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return None
    if isinstance(value, pd.Timestamp):
        return value.to_pydatetime().date() if value == value.normalize() else value.to_pydatetime()
    if hasattr(value, "item") and not isinstance(value, str):
        return value.item()
    if isinstance(value, str):
        return ILLEGAL_CHARACTERS_RE.sub("", value)[:EXCEL_CELL_CHARS]
    return value


def _write_sheet(ws, frame: pd.DataFrame, headers: list[str]) -> None:
    ws.append(headers)
    for cell in ws[1]:
        cell.font = Font(bold=True, color="FFFFFF")
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="center")
    widths = [max(len(str(h)), 6) for h in headers]
    for row in frame.itertuples(index=False):
        values = [_cell_value(v) for v in row]
        ws.append(values)
        current = ws.max_row
        for col, value in enumerate(values, start=1):
            cell = ws.cell(row=current, column=col)
            if isinstance(value, str):
                if value.startswith(FORMULA_START):
                    cell.data_type = "s"  # stored as a string: Excel shows it, never runs it
                    cell.quotePrefix = True
                widths[col - 1] = max(widths[col - 1], len(value))
            elif isinstance(value, bool):
                continue
            elif isinstance(value, int):
                cell.number_format = INDIAN_INT
                widths[col - 1] = max(widths[col - 1], len(str(value)) + 3)
            elif isinstance(value, float):
                cell.number_format = INDIAN_INT if value.is_integer() else INDIAN_DEC
                widths[col - 1] = max(widths[col - 1], len(f"{value:.1f}") + 3)
            elif isinstance(value, (dt.date, dt.datetime)):
                cell.number_format = DATE_FORMAT if not isinstance(value, dt.datetime) else "dd-mm-yyyy hh:mm"
                widths[col - 1] = max(widths[col - 1], 16 if isinstance(value, dt.datetime) else 11)
    for col, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(col)].width = min(width + 2, 60)
    ws.freeze_panes = "A2"


def excel_bytes(sheets: dict[str, pd.DataFrame], headers: dict[str, str] | None = None) -> bytes:
    """One sheet per table; `headers` maps column names to the words shown in row 1."""
    headers = headers or {}
    book = Workbook()
    book.remove(book.active)
    taken: set[str] = set()
    for name, frame in sheets.items():
        ws = book.create_sheet(sheet_name(name, taken))
        _write_sheet(ws, frame, [headers.get(c, c) for c in frame.columns])
    if not book.sheetnames:
        book.create_sheet("Sheet")
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def csv_bytes(frame: pd.DataFrame, headers: dict[str, str] | None = None) -> bytes:
    """UTF-8 with BOM (Excel then shows Hindi); formula-like text cells get a leading '."""
    shown = frame.rename(columns=headers or {}).copy()
    for col in shown.columns:
        if shown[col].dtype == object or pd.api.types.is_string_dtype(shown[col]):
            shown[col] = shown[col].map(lambda v: "'" + v if isinstance(v, str) and v.startswith(FORMULA_START) else v)
    # CRLF rows (as Excel writes them): a cell holding a CR or LF is then quoted, never split
    return shown.to_csv(index=False, lineterminator="\r\n").encode("utf-8-sig")
