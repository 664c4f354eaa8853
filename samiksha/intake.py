"""Reading one uploaded file into typed, validated rows: the staging step of an upload.

`stage()` reads the bytes, finds the header under the title rows, reads the date and
indicator from the title when not given, sets totals rows aside and checks them against
the rows, turns one-column-per-day layouts into one row per day, parses every value,
matches place names, and records each problem with its row and column. It stores nothing:
`ingest.store_upload()` does that in one transaction. The heavy lifting is SQL on the
connection given, so a million-row file costs about what DuckDB needs to read it.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import itertools
import json
import re
from dataclasses import dataclass, field

from samiksha import fmt, headers, indicators, places, reading, values
from samiksha.errors import INFO, REJECTED, WARNING, IntakeError, Issue
from samiksha.i18n import t
from samiksha.readers import Grid, read_grid

PREVIEW_ROWS = 50
SHOWN_ISSUES = 200
_stage_ids = itertools.count()

# Totals rows, matched on the label as sk_label() folds it (lower case, brackets and
# punctuation gone): "TOTAL =", "G.Total", "Total (9 Blocks)", "कुल योग=", "<block> कुल".
_TOTAL_WORDS = (r"grand ?total|g ?total|sub ?total|overall total|district total|dist total|total|टोटल|"
                r"ग्रैंड टोटल|कुल योग|कुल जोड़|कुल|योग|महा ?योग|सर्व ?योग|जोड़|जिला योग|जिला कुल|का योग")
_OF_PLACES = r"( (blocks?|panchayats?|प्रखंड|प्रखण्ड|पंचायत|प्रखंडों|पंचायतों))?"
TOTALS_PATTERN = rf"^({_TOTAL_WORDS}){_OF_PLACES}$"
# A total of the whole file, even when it sits under a block's rows.
GRAND_PATTERN = (r"^(grand ?total|g ?total|overall total|district total|dist total|ग्रैंड टोटल|महा ?योग|"
                 r"सर्व ?योग|कुल योग|जिला योग|जिला कुल|(total|कुल|योग|टोटल) (blocks?|प्रखंड|प्रखण्ड|प्रखंडों))$")
# A block's subtotal: "<block> Total", "<block> कुल", "Total <block>".
SUBTOTAL_PATTERN = rf"^(.+) ({_TOTAL_WORDS})$"
SUBTOTAL_BEFORE_PATTERN = r"^(total|कुल|योग|टोटल) (.+)$"
TOTALS_HINT = "total|कुल|योग|जोड़|टोटल"  # cheap test before the full totals patterns

LABEL_FIELDS = ("serial", "district", "block", "panchayat")
# An SHG register's totals row may be labelled in its code or name column too.
SHG_LABEL_FIELDS = (*LABEL_FIELDS, "shg_code", "shg_name")
WORKER_LABEL_FIELDS = (*LABEL_FIELDS, "worker_id", "worker_name")
PROGRESS_MEASURES = ("target", "achieved_today", "achieved")
DISTRICT_WORDS = ("district", "district level", "जिला", "ज़िला", "जिला स्तर", "ज़िला स्तर")
MAX_COUNT = 10**15  # no campaign counts this many; larger is a typing or export error
MAX_NAME_CHARS = 200  # a place, SHG or worker name longer than this is a pasted paragraph
SHOWN_LABEL_CHARS = 100  # an ignored column's header is shown (and kept) this long at most


@dataclass(frozen=True)
class Question:
    """A column whose meaning is in doubt: what it was read as (None: nothing) and what else it
    could be. Nothing of the file is stored until a person says (the page's column table, or
    --column "HEADER=field"); a reading that could change a figure is never guessed."""

    column: int
    header: str
    field: str | None
    others: tuple[str, ...]
    why: str  # close (two readings are close), numbers (an unread column of figures)


@dataclass
class Staged:
    """What was read from one file, ready to be stored (or only shown, for `check`)."""

    file_name: str
    sha256: str
    kind: str
    grid: Grid
    header: headers.Header
    header_row: int
    title: list[str]
    table: str  # temp table of accepted, typed rows
    issues_table: str
    indicator: str | None = None
    report_date: dt.date | None = None
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    read_notes: list[Issue] = field(default_factory=list)
    totals: list[dict] = field(default_factory=list)
    matches: list[places.Match] = field(default_factory=list)
    rows_accepted: int = 0
    rows_warned: int = 0
    rows_rejected: int = 0
    issues: list[Issue] = field(default_factory=list)  # the first SHOWN_ISSUES, for display
    ambiguous_dates: list[dt.date] = field(default_factory=list)  # a title with several dates
    questions: list[Question] = field(default_factory=list)  # columns whose reading a person must say
    groups: dict = field(default_factory=dict)  # {group line: {field: column}}: a pair of columns per indicator
    rows_table: str = ""  # where the rows read are counted (the kind's ROWS after `table`)
    one_row_each: bool = False  # each row read is one row of `rows_table` (counted without DISTINCT)

    def reading(self) -> dict:
        """What was read, for the uploads table and the preview."""
        return {
            "columns": {name: self.header.labels[i] for name, i in self.header.fields.items()},
            "date_columns": {self.header.labels[i]: str(d) for i, d in self.header.date_columns.items()},
            "ignored_columns": [_shortened(label) for label in self.header.ignored],
            "title": self.title,
            "totals": self.totals,
            "notes": [{"code": n.code, "params": n.params} for n in self.read_notes],
        }

    def preview(self, con, limit: int = PREVIEW_ROWS):
        return con.execute(f"SELECT * FROM {self.table} ORDER BY row_number LIMIT {limit}").df()


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def stage(con, data: bytes, file_name: str, kind=None, kinds=(),
          indicator: str | None = None, report_date: dt.date | None = None,
          sheet: str | None = None, matcher: places.Matcher | None = None,
          district_code: str | None = None, saved_at=None, digest: str | None = None,
          date_if_missing: dt.date | None = None, remembered: dict | None = None) -> Staged:
    """Read and validate one file on `con`; raise IntakeError when it cannot be taken.

    `kind`: the kind of report (a module of samiksha/kinds), else the one of `kinds` whose
    fields the header names best. `remembered`: the operator's readings of columns
    (headers.Reading by layout and column, or by header text), which win over the words."""
    values.ensure_macros(con)
    grid = read_grid(con, data, file_name, sheet, saved_at)
    year = report_date.year if report_date else _title_year(grid.head)
    if sheet is None and grid.other_sheets and kind is None and \
            headers.detect_kind(grid.head, kinds, year, remembered)[0] is None:
        grid = _sheet_with_a_report(con, data, file_name, grid, kinds, remembered)  # a cover sheet first
        year = report_date.year if report_date else _title_year(grid.head)
    if kind is None:
        kind, header = headers.detect_kind(grid.head, kinds, year, remembered)
        if kind is None:
            raise IntakeError("no_header", expected="progress")
    else:
        header = headers.find_header(grid.head, kind, year, remembered, complete=False)
    if header is None or not header.complete:
        raise IntakeError("no_header" if header is None else "missing_columns", expected=kind.NAME)
    kind_module, kind = kind, kind.NAME
    header_row = _rownum_of(con, grid, header.row_index)
    title = [" ".join(v for v in row if v) for row in grid.head[: header.row_index] if any(row)]
    staged = Staged(file_name, digest or sha256(data), kind, grid, header, header_row + header.rows_used - 1,
                    title, table=f"staged_{next(_stage_ids)}", issues_table="")
    staged.issues_table = staged.table + "_issues"
    staged.read_notes = list(grid.notes) + _column_notes(header)
    staged.questions = questions(header, kind_module)
    if kind in ("progress", "targets"):
        staged.groups = header.groups()
    matcher = matcher or places.Matcher([])
    kind_module.stage(con, staged, matcher, district_code, report_date, date_if_missing, indicator)
    _label_issue_columns(con, staged)
    staged.rows_table = staged.table + getattr(kind_module, "ROWS", "")
    count_rows(con, staged)
    _keep_only_results(con, staged)
    if staged.rows_accepted == 0:
        rejected = [i for i in staged.issues if i.severity == REJECTED]
        raise IntakeError("no_rows_accepted", rejected=staged.rows_rejected,
                          first=rejected[0].text() if rejected else "")
    return staged


# ---------------------------------------------------------------- file-level reading

def _sheet_with_a_report(con, data: bytes, file_name: str, first: Grid, kinds, remembered) -> Grid:
    """The first sheet of a workbook whose header is recognised, when the first is not a report."""
    for name in first.other_sheets:
        grid = read_grid(con, data, file_name, name)
        if headers.detect_kind(grid.head, kinds, None, remembered)[0] is not None:
            grid.notes.append(Issue(INFO, "sheet_skipped", {"skipped": first.sheet, "sheet": name}))
            return grid
    return first


# A date right after a word that announces it: "as on 28-05-2025", "दिनांक - 27.05.2025".
_DATE_WORD = re.compile(r"(?:as\s+on|as\s+of|dated|date|dt\.?|दिनांक|तिथि|तारीख)\s*[:\-–.]?\s*$", re.IGNORECASE)


def _title_dates(text: str) -> list[dt.date]:
    """The report date(s) a title gives: the announced one when there is one, else all found."""
    announced, found = [], []
    cleaned = values.clean_date_text(text)
    for match in values.DATE_IN_TEXT.finditer(cleaned):
        day = values.dates_in_text(match.group(0))
        if not day:
            continue
        found.append(day[0])
        if _DATE_WORD.search(cleaned[:match.start()]):
            announced.append(day[0])
    for candidates in (announced, found):
        distinct = sorted(set(candidates))
        if distinct:
            return distinct
    return []


def _title_year(head) -> int | None:
    for row in head[:5]:
        for cell in row:
            found = values.dates_in_text(cell or "")
            if found:
                return found[0].year
    for row in head[:5]:  # a year alone: "day-wise camp report 2025"
        for cell in row:
            year = re.search(r"(?<!\d)(20\d\d)(?!\d)", values.to_ascii_digits(cell or ""))
            if year:
                return int(year.group(1))
    return None


def questions(header: headers.Header, kind) -> list[Question]:
    """The columns a person must say: a reading in doubt that decides a figure or what a row
    is (a close second, or a field named only weakly), and a column of figures left unread in
    a file that lacks one its kind needs for its figures (a running total under words nobody
    listed: never stored as if it were not there)."""
    found = []
    specs = {spec.name: spec for spec in kind.FIELDS}
    for col in header.columns:
        if col.sure or col.how != "words":
            continue
        deciding = [name for name in (col.field, *col.others) if name in specs]
        if deciding:
            found.append(Question(col.index, header.labels[col.index] or "", col.field,
                                  tuple(n for n in col.others if n != col.field), "close"))
    wanted = getattr(kind, "FIGURES_WANTED", ())
    missing = [name for name in wanted if name not in header.fields]
    if missing and not header.date_columns:
        for col in header.columns:
            label = header.labels[col.index]
            if col.field is None and label and col.how == "words" and col.numeric and \
                    not any(q.column == col.index for q in found):
                found.append(Question(col.index, label, None, tuple(missing), "numbers"))
    return found


def _rownum_of(con, grid: Grid, head_index: int) -> int:
    rows = con.execute(f"SELECT rownum FROM {grid.table} ORDER BY rownum LIMIT 1 OFFSET ?",
                       [head_index]).fetchall()
    return rows[0][0] if rows else head_index + 1


def _column_notes(header: headers.Header) -> list[Issue]:
    notes = [Issue(INFO, "column_read", {"header": header.labels[i], "field": name})
             for name, i in header.fields.items()]
    if header.date_columns:
        notes.append(Issue(INFO, "day_columns", {"count": len(header.date_columns)}))
    notes += [Issue(INFO, "column_ignored", {"header": _shortened(label)}) for label in header.ignored]
    notes += [Issue(WARNING, "column_repeated", {"header": label, "field": name})
              for label, name in header.repeated]
    return notes


def _shortened(text: str) -> str:
    return text if len(text) <= SHOWN_LABEL_CHARS else text[:SHOWN_LABEL_CHARS] + "…"


def _given_or_title_date(staged: Staged, given: dt.date | None) -> tuple[dt.date | None, list[dt.date]]:
    """The date given (said when the title says another), else the title's one date; and the
    title's dates."""
    title_dates = _title_dates(" ".join(staged.title))
    if given is not None:
        if title_dates and given not in title_dates:
            staged.read_notes.append(Issue(WARNING, "date_differs_from_title", {"given": given, "title": title_dates[0]}))
        return given, title_dates
    if len(title_dates) == 1:
        staged.read_notes.append(Issue(INFO, "date_from_title", {"date": title_dates[0]}))
        return title_dates[0], title_dates
    return None, title_dates


def file_date(staged: Staged, given: dt.date | None, if_missing: dt.date | None) -> dt.date | None:
    """The date of a file that is as of one date (an SHG register, a roster, a day's output):
    --date, else the one date of the title, else a date in the file name, else the page's
    date; None when none of these says."""
    found, in_title = _given_or_title_date(staged, given)
    if found is not None:
        return found
    named = set(values.dates_in_text(re.sub(r"_+", " ", staged.file_name.rsplit(".", 1)[0])))
    if len(named) == 1 and not in_title:
        staged.read_notes.append(Issue(INFO, "date_from_file_name", {"date": next(iter(named))}))
        return next(iter(named))
    if if_missing is not None:
        staged.read_notes.append(Issue(INFO, "date_given_used", {"date": if_missing}))
        return if_missing
    if in_title:
        raise IntakeError("title_dates_ambiguous", dates=", ".join(fmt.date(d) for d in in_title))
    return None


def file_metadata(staged: Staged, indicator: str | None, report_date: dt.date | None,
                   date_if_missing: dt.date | None = None) -> None:
    """--indicator and --date, or what the title rows say (and say what was read).

    `report_date` (--date) wins over the title; `date_if_missing` (the upload page's date) is
    used only when neither the title nor a date column says.
    """
    text = " ".join(staged.title)
    staged.report_date, title_dates = _given_or_title_date(staged, report_date)
    if staged.report_date is None and len(title_dates) > 1:
        staged.ambiguous_dates = title_dates
    if staged.report_date is None and date_if_missing is not None and "report_date" not in staged.header.fields:
        staged.report_date = date_if_missing
        staged.ambiguous_dates = []
        staged.read_notes.append(Issue(INFO, "date_given_used", {"date": date_if_missing}))
    found = indicators.found_in(text)
    if indicator:
        staged.indicator = indicators.key_for(indicator)
        if staged.indicator not in indicators.known():
            staged.read_notes.append(Issue(WARNING, "indicator_new", {
                "given": indicator, "new_key": staged.indicator,
                "known": ", ".join(indicators.display_name(k) for k in indicators.known())}))
        if found and staged.indicator not in found:
            staged.read_notes.append(Issue(WARNING, "indicator_differs_from_title",
                                           {"given": staged.indicator, "title": found[0]}))
        return
    if staged.groups:  # a pair of columns per indicator: each group line names its own
        staged.read_notes.append(Issue(INFO, "indicators_from_groups", {
            "indicators": ", ".join(indicators.display_name(k) for k in _group_keys(staged))}))
        return
    other = indicators.another_scheme(text) if found else None
    if other:  # "Ayushman Vay Vandana card": not the Ayushman cards series
        raise IntakeError("indicator_other_scheme", scheme=other.title() if other.isascii() else other,
                          known=", ".join(indicators.display_name(k) for k in found))
    if not found:  # the file's name may say it: ayushman_daily_27.05.2025.csv
        found = indicators.found_in(re.sub(r"[_\-.]+", " ", staged.file_name.rsplit(".", 1)[0]))
    if len(found) == 1:
        staged.indicator = found[0]
        staged.read_notes.append(Issue(INFO, "indicator_from_title", {"indicator": found[0]}))
    elif len(found) > 1 and "indicator" not in staged.header.fields:
        raise IntakeError("indicator_ambiguous", found=", ".join(found))
    elif "indicator" not in staged.header.fields:
        raise IntakeError("no_indicator")


# ---------------------------------------------------------------- progress and targets

def cell(header: headers.Header, name: str) -> str:
    index = header.fields.get(name)
    return f"c{index}" if index is not None else "NULL"


def _key(header: headers.Header, name: str) -> str:
    """A column named in an issue, as our own key (the file's header text never enters SQL)."""
    index = header.fields.get(name)
    return f"'col:{index}'" if index is not None else f"'field:{name}'"


class Keys:
    """The key of a field's column in an issue (`key.block`, `key["members"]`)."""

    def __init__(self, header):
        self.header = header

    def __getattr__(self, name: str) -> str:
        return _key(self.header, name)

    def __getitem__(self, name: str) -> str:
        return _key(self.header, name)


def _label_issue_columns(con, staged: Staged) -> None:
    """Put the file's own header text in place of the column keys of the issues."""
    if not con.execute(f"SELECT count(*) FROM {staged.issues_table}").fetchall()[0][0]:
        return
    labels = [(f"col:{i}", label) for i, label in enumerate(staged.header.labels) if label]
    labels += [(f"field:{name}", t(f"field.{name}", "en")) for name in _ISSUE_FIELDS]
    register_rows(con, staged.table + "_labels", ["key", "label"], labels)
    con.execute(f"UPDATE {staged.issues_table} i SET column_name = l.label FROM {staged.table}_labels l "
                f"WHERE i.column_name = l.key")


_ISSUE_FIELDS = ("target", "achieved_today", "achieved", "report_date", "block", "panchayat", "deadline",
                 "start_date")


def _label(header: headers.Header, name: str) -> str:
    index = header.fields.get(name)
    return header.labels[index] if index is not None else name


def _label_fields(staged: Staged) -> tuple[str, ...]:
    if staged.kind in ("workers", "worker_output"):
        return WORKER_LABEL_FIELDS
    return SHG_LABEL_FIELDS if staged.kind == "shg" else LABEL_FIELDS


def _sql_text(text: str | None) -> str:
    """A constant of our own for generated SQL (dates we parsed, spellings from aliases/);
    text from an uploaded file is always bound as a parameter instead."""
    if text is None:
        return "NULL"
    return "'" + str(text).replace("'", "''") + "'"


# Cells read as Yes / No (after sk_label folding: lower case, punctuation gone).
YES_WORDS = ("yes", "y", "haan", "han", "ha", "हाँ", "हां", "हा", "true", "1", "done", "linked", "opened", "open",
             "available", "ok", "✓", "✔")
NO_WORDS = ("no", "n", "nahi", "nahin", "नहीं", "नही", "ना", "false", "0", "not linked", "not opened", "nil",
            "none", "pending", "na", "not available")


def sql_words(items) -> str:
    return ", ".join(_sql_text(w) for w in items)


def yes_no(cell: str, yes: tuple[str, ...] = (), no: tuple[str, ...] = ()) -> str:
    """SQL for a Yes/No cell: true, false, or NULL when blank or neither (words of a column's own
    added with `yes` and `no`)."""
    folded = f"sk_label({cell})"
    return (f"CASE WHEN sk_is_blank({cell}) THEN NULL WHEN {folded} IN ({sql_words(YES_WORDS + yes)}) THEN true "
            f"WHEN {folded} IN ({sql_words(NO_WORDS + no)}) THEN false END")


def data_cells(con, staged: Staged, cells: dict[str, str], joins: str = "",
               derived: dict[str, str] | None = None) -> str:
    """A one-row-per-record file (an SHG register, a roster, output): its data rows (totals
    rows set aside and checked, the header again left out) with `cells` ({name: SQL on the
    raw cells c0, c1 ... and the tables of `joins`, each worked out once a row}) and `derived`
    ({name: SQL on those}) beside row_number, block_cell and panchayat_cell, as a view of the
    wide rows (wide_rows); returns its name."""
    own = {name: expr for name, expr in cells.items() if name not in _WIDE_COLUMNS}
    assert cells.get("panchayat_cell", _panchayat_text(staged)) == _panchayat_text(staged)
    wide = wide_rows(con, staged, own, joins, derived)
    measures = {staged.header.fields[name]: f"sk_num({name}_raw)" for name in _measure_fields(staged)
                if name in staged.header.fields and f"{name}_raw" in own}
    _check_totals(con, staged, wide, measures)
    view = staged.table + "_cells"
    names = ("row_number", "block_cell", "panchayat_cell", *own, *(derived or {}))
    con.execute(f"CREATE TEMP VIEW {view} AS SELECT {', '.join(names)} "
                f"FROM {wide} WHERE NOT is_total AND NOT is_header_again")
    staged.one_row_each = True
    return view


def distinct_texts(con, staged: Staged, name: str, columns: list[int], read: str) -> str:
    """A small table of each distinct text of the grid's `columns` under the header, with `read`
    (SQL on `text`): a text that repeats in lakhs of rows (a date, "Yes", "1st") is read once,
    and the wide rows join it. Returns its name."""
    table = f"{staged.table}_{name}"
    texts = " UNION ".join(f"SELECT c{i} FROM {staged.grid.table} WHERE rownum > {staged.header_row}"
                           for i in columns)
    con.execute(f"CREATE TEMP TABLE {table} AS SELECT text, {read} "
                f"FROM (SELECT DISTINCT text FROM ({texts}) AS t(text) WHERE text IS NOT NULL)")
    return table


def set_block(con, staged: Staged, block: str) -> None:
    """Every row of a file about one block (its title says which) is that block's."""
    con.execute(f"UPDATE {staged.table}{WIDE} SET block_cell = ?", [block])


def raw_rows(con, staged: Staged) -> str:
    """Non-blank rows under the header, each cell as text (c0, c1 ...), with the totals and
    header-again flags: a view of the grid, for a kind that reads the cells itself (a gazetteer)."""
    wide = wide_rows(con, staged, {}, fill_block=False)
    raw = staged.table + "_raw"
    con.execute(f"CREATE TEMP VIEW {raw} AS SELECT w.*, g.* EXCLUDE (rownum) "
                f"FROM {wide} w JOIN {staged.grid.table} g ON g.rownum = w.row_number")
    return raw


WIDE = "_wide"  # the table of a file's rows in wide form (wide_rows)
_WIDE_COLUMNS = ("row_number", "is_total", "is_header_again", "block_cell", "block_filled", "panchayat_cell")


def _panchayat_text(staged: Staged) -> str:  # the SQL of a standard column
    return f"sk_text({cell(staged.header, 'panchayat')})"


def wide_rows(con, staged: Staged, columns: dict[str, str], joins: str = "", derived: dict[str, str] | None = None,
              fill_block: bool = True, say_filled: bool = False) -> str:
    """Every non-blank row under the header, in one pass over the grid: its totals and
    header-again flags, its block and panchayat as written, and `columns` ({name: SQL on the
    grid's cells c0, c1 ... and the tables of `joins`}), each cell read once; then `derived`
    ({name: SQL on those names and the cells}). Returns the table's name.

    With `fill_block`, a blank block cell under a block name (merged or grouped cells in a
    panchayat-wise report) takes the block of the row above (`say_filled`: and a note says how
    many rows did). A second table stacked under the first is refused, and so is a file with no
    data rows."""
    header, grid = staged.header, staged.grid
    wide = staged.table + WIDE
    labels = [cell(header, f) for f in _label_fields(staged) if f in header.fields]
    label_list = "[" + ", ".join(f"sk_label({c})" for c in labels) + "]" if labels else "[]"
    joined = "concat_ws(' ', " + ", ".join(labels + ["''"]) + ")"  # (matched with any case: no lowered copy)
    # (a row is blank when no cell has more than spaces: the concatenation of its cells would be)
    written = " OR ".join(f"trim(c{i}) <> ''" for i in range(grid.ncols))
    repeated = [(i, v) for i, v in enumerate(header.labels) if v][:3]  # bound, never pasted
    repeat = " AND ".join(f"coalesce(trim(c{i}) = $h{i}, false)" for i, _ in repeated) or "false"
    own = "".join(f", {expr} AS {name}" for name, expr in columns.items())
    later = "".join(f", {expr} AS {name}" for name, expr in (derived or {}).items())
    cells = ", ".join(f"c{i}" for i in range(grid.ncols))
    con.execute(f"""
        CREATE TEMP TABLE {wide} AS
        SELECT * EXCLUDE ({cells}, rownum){later} FROM (
            SELECT g.*, g.rownum AS row_number,
                CASE WHEN regexp_matches({joined}, '{TOTALS_HINT}', 'i') THEN
                    len(list_filter({label_list}, lambda x: regexp_full_match(x, '{TOTALS_PATTERN}')
                        OR regexp_full_match(x, '{SUBTOTAL_PATTERN}')
                        OR regexp_full_match(x, '{SUBTOTAL_BEFORE_PATTERN}'))) > 0
                ELSE false END AS is_total,
                ({repeat}) AS is_header_again,
                sk_text({cell(header, 'block')}) AS block_cell, false AS block_filled,
                {_panchayat_text(staged)} AS panchayat_cell{own}
            FROM {grid.table} g {joins}
            WHERE g.rownum > {staged.header_row} AND ({written}))
    """, {f"h{i}": label for i, label in repeated})
    again, data, unplaced = con.execute(f"""
        SELECT count(*) FILTER (WHERE is_header_again), count(*) FILTER (WHERE NOT is_total AND NOT is_header_again),
            count(*) FILTER (WHERE block_cell IS NULL AND panchayat_cell IS NOT NULL)
        FROM {wide}""").fetchall()[0]
    filled = 0
    if fill_block and unplaced and "block" in header.fields:
        filled = _fill_block_down(con, wide)
    if again:
        _refuse_second_table(con, staged, wide)
        staged.read_notes.append(Issue(INFO, "header_repeated", {"count": again}))
    if not data:
        raise IntakeError("no_data_rows")
    if say_filled and filled:
        staged.read_notes.append(Issue(INFO, "block_filled_down", {"count": filled}))
    return wide


def _fill_block_down(con, wide: str) -> int:
    """A panchayat's blank block cell takes the block above it; returns the data rows so placed."""
    con.execute(f"""
        UPDATE {wide} SET block_cell = f.above, block_filled = true
        FROM (SELECT row_number, last_value(block_cell IGNORE NULLS) OVER (
                  ORDER BY row_number ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS above
              FROM {wide}) f
        WHERE {wide}.row_number = f.row_number AND {wide}.block_cell IS NULL
          AND {wide}.panchayat_cell IS NOT NULL AND f.above IS NOT NULL
    """)
    return con.execute(f"SELECT count(*) FROM {wide} WHERE block_filled AND NOT is_total AND NOT is_header_again"
                       ).fetchall()[0][0]


def _refuse_second_table(con, staged: Staged, wide: str) -> None:
    """The header again under a title row of its own: another report stacked below the first."""
    cells = ", ".join(f"sk_text(g.c{i})" for i in range(staged.grid.ncols))
    found = con.execute(f"""
        SELECT t.row_number, list_filter([{cells}], lambda x: x IS NOT NULL) AS texts
        FROM {wide} h JOIN {wide} t ON t.row_number = (
            SELECT max(x.row_number) FROM {wide} x WHERE x.row_number < h.row_number)
        JOIN {staged.grid.table} g ON g.rownum = t.row_number
        WHERE h.is_header_again ORDER BY t.row_number
    """).fetchall()
    for row_number, texts in found:
        title = texts[0] if len(texts) == 1 else ""
        if title and (indicators.found_in(title) or values.dates_in_text(title)):
            raise IntakeError("second_table", row=row_number, title=title[:80])


# The fields of a progress or targets file read as text, figures and dates.
_TEXT_FIELDS = ("block_code", "panchayat_code", "district", "channel", "camp_site", "indicator")
_NUMBER_FIELDS = ("target", "achieved_before", "achieved_today", "achieved")
_DATE_FIELDS = ("report_date", "deadline", "start_date")
_NAME_CELLS = ("block_cell", "block_code_cell", "panchayat_cell", "panchayat_code_cell", "channel_cell",
               "camp_site_cell", "indicator_cell")


def stage_measures(con, staged: Staged, matcher: places.Matcher, district_code) -> None:
    """Progress and targets: each cell is read once, in wide form (figures, dates, names); the
    rows of one place and date (and indicator) are made from the wide rows. Only the rows whose
    cells may fail a check are read again cell by cell, for the issues."""
    header = staged.header
    numbers = _number_columns(staged)
    wide = wide_rows(con, staged, *_measure_cells(con, staged, numbers), say_filled=True)
    _check_totals(con, staged, wide, {i: f"n{i}" for i in numbers})
    if header.date_columns:
        _check_row_totals(con, staged, wide)
    elif staged.kind == "progress" and "report_date" not in header.fields and staged.report_date is None:
        if staged.ambiguous_dates:
            raise IntakeError("title_dates_ambiguous",
                              dates=", ".join(d.strftime("%d-%m-%Y") for d in staged.ambiguous_dates))
        raise IntakeError("no_report_date")
    long = _long_rows(con, staged, wide)
    _parts_mismatch(con, staged, long)
    _unused_numbers(staged)
    suspect = _suspect_rows(con, staged, wide)
    _value_issues(con, staged, _long_cells(con, staged, suspect), suspect)
    match_places(con, staged, long, matcher, district_code)
    staged.one_row_each = not header.date_columns and not staged.groups
    _typed_rows(con, staged, long)


def _number_columns(staged: Staged) -> list[int]:
    """The columns read as figures: each measure's, each group's own and each day's."""
    header = staged.header
    found = {header.fields[name] for name in _NUMBER_FIELDS if name in header.fields}
    for own in staged.groups.values():
        found |= {index for name, index in own.items() if name in _NUMBER_FIELDS}
    return sorted(found | set(header.date_columns))


def _measure_cells(con, staged: Staged, numbers: list[int]) -> tuple[dict, str, dict]:
    """What wide_rows reads of a progress or targets file: (columns, joins, derived). Names as
    text, figures as numbers (`n<column>`), dates as dates (each distinct text parsed once, from
    a small table); `k<column>` for a day's column that is not blank; and `odd`, true where a
    cell may fail a check of _value_issues (it may say so of a good cell, never the other way)."""
    header, grid = staged.header, staged.grid
    columns = {f"{name}_cell": f"sk_text({cell(header, name)})" for name in _TEXT_FIELDS if name in header.fields}
    columns |= {f"n{i}": f"sk_num(c{i})" for i in numbers}
    odd = [f"NOT (c{i} IS NULL OR CASE WHEN n{i} IS NULL THEN sk_is_blank(c{i}) "
           f"ELSE n{i} >= 0 AND n{i} < {MAX_COUNT // 2} AND n{i} = floor(n{i}) AND NOT contains(c{i}, '%') END)"
           for i in numbers]  # (two figures below half the limit add up to less than it)
    derived = {f"k{i}": f"CASE WHEN n{i} IS NOT NULL THEN true ELSE NOT sk_is_blank(c{i}) END"
               for i in header.date_columns}
    present = [name for name in _DATE_FIELDS if name in header.fields]
    joins = ""
    if present:
        file_date = _sql_text(staged.report_date.isoformat()) if staged.report_date else "NULL"
        texts = " UNION ALL ".join(f"SELECT c{header.fields[name]} FROM {grid.table} WHERE rownum > "
                                   f"{staged.header_row}" for name in present)
        dates = staged.table + "_dates"
        con.execute(f"CREATE TEMP TABLE {dates} AS SELECT text, sk_date(text) AS value FROM (SELECT DISTINCT text "
                    f"FROM ({texts} UNION ALL SELECT {file_date}) AS t(text) WHERE text IS NOT NULL)")
        joins = " ".join(f"LEFT JOIN {dates} d_{name} ON d_{name}.text = g.c{header.fields[name]}" for name in present)
        for name in present:
            raw = f"c{header.fields[name]}"
            if name == "report_date":  # a blank date cell is the file's date
                columns["date_value"] = f"CASE WHEN {raw} IS NULL THEN sk_date({file_date}) ELSE d_{name}.value END"
                odd.append("date_value IS NULL")
            else:
                columns[f"{name}_value"] = f"d_{name}.value"
                odd.append(f"({raw} IS NOT NULL AND {name}_value IS NULL)")
    odd += [f"c{i} IS NOT NULL" for i in _beyond_header(staged)]
    derived["odd"] = " OR ".join(odd) or "false"
    return columns, joins, derived


def _beyond_header(staged: Staged) -> list[int]:
    """In a CSV file, the columns to the right of the header's last: a row with text there has its
    cells shifted (e.g. 1,00,000 unquoted)."""
    if staged.grid.file_format != "CSV":
        return []
    width = max((i for i, label in enumerate(staged.header.labels) if label), default=-1) + 1
    return list(range(width, staged.grid.ncols))


def _suspect_rows(con, staged: Staged, wide: str) -> str:
    """The data rows (with their cells, as in the grid) that a check of _value_issues may find
    fault with: a cell `odd`, a name too long, no place, no figure (progress) or no target
    (targets). Usually a few rows of a large file; returns the table's name."""
    header = staged.header
    present = [name for name in _NAME_CELLS if name[:-5] in header.fields or name in _WIDE_COLUMNS]
    checks = ["odd", *(f"length({name}) > {MAX_NAME_CHARS}" for name in present)]
    groups = [{}] if not staged.groups else list(staged.groups.values())
    number = lambda own, name: own.get(name, header.fields.get(name))  # noqa: E731 - a group's column
    if staged.kind == "progress":
        places_named = [name for name in ("block_cell", "block_code_cell", "panchayat_cell", "panchayat_code_cell")
                        if name in present]
        checks.append(f"coalesce({', '.join(places_named)}) IS NULL")
        if not header.date_columns:
            for own in groups:
                figures = [f"n{number(own, name)} IS NULL" for name in ("achieved", "achieved_today")
                           if number(own, name) is not None]
                checks.append(" AND ".join(figures) or "true")
    else:
        checks += [f"n{number(own, 'target')} IS NULL" if number(own, "target") is not None else "true"
                   for own in groups]
    table = staged.table + "_suspect"
    con.execute(f"""
        CREATE TEMP TABLE {table} AS
        SELECT w.row_number, w.block_cell, w.is_total, w.is_header_again, g.* EXCLUDE (rownum)
        FROM {wide} w JOIN {staged.grid.table} g ON g.rownum = w.row_number
        WHERE NOT w.is_total AND NOT w.is_header_again AND ({" OR ".join(f"({c})" for c in checks)})
    """)
    return table


def _measure_fields(staged: Staged) -> tuple[str, ...]:
    """The columns a totals row is checked on."""
    if staged.kind == "shg":
        return ("members", "savings", "members_ayushman", "members_insured")
    if staged.kind in ("workers", "worker_output"):
        return ("cards",)
    return PROGRESS_MEASURES if staged.kind == "progress" else ("target",)


def _check_totals(con, staged: Staged, wide: str, typed: dict[int, str]) -> None:
    """Totals rows are set aside; each is compared with the sum of the rows it covers.

    `typed`: {column: SQL on the wide rows for its figure} (sk_num of the cell, worked out
    already); any other measure's cells are read from the grid."""
    header, grid = staged.header, staged.grid
    measures = [(name, header.fields[name]) for name in _measure_fields(staged) if name in header.fields]
    measures += [(f"day:{day}", i) for i, day in header.date_columns.items()]
    if not measures:
        return
    labels = [cell(header, f) for f in _label_fields(staged) if f in header.fields]
    first_text = "coalesce(" + ", ".join([f"sk_text({c})" for c in labels] + ["NULL"]) + ")"
    label_list = "[" + ", ".join(f"sk_label({c})" for c in labels) + "]" if labels else "[]"
    first = "sk_label(first_label)"
    totals = con.execute(f"""
        SELECT row_number, first_label,
            CASE WHEN len(list_filter(labels, lambda x: regexp_full_match(x, '{GRAND_PATTERN}'))) > 0
                 THEN NULL
                 WHEN regexp_full_match({first}, '{SUBTOTAL_PATTERN}')
                      AND NOT regexp_full_match({first}, '{TOTALS_PATTERN}')
                 THEN regexp_extract({first}, '{SUBTOTAL_PATTERN}', 1)
                 WHEN regexp_full_match({first}, '{SUBTOTAL_BEFORE_PATTERN}')
                      AND NOT regexp_full_match({first}, '{TOTALS_PATTERN}')
                 THEN regexp_extract({first}, '{SUBTOTAL_BEFORE_PATTERN}', 2)
                 WHEN block_cell IS NOT NULL AND NOT regexp_full_match(sk_label(block_cell), '{TOTALS_PATTERN}')
                 THEN sk_label(block_cell)
            END AS scope, stated
        FROM (SELECT w.row_number, w.block_cell, {first_text} AS first_label, {label_list} AS labels,
                  [{", ".join(f"sk_num(c{i})" for _, i in measures)}] AS stated
              FROM {wide} w JOIN {grid.table} g ON g.rownum = w.row_number
              WHERE w.is_total AND NOT w.is_header_again)
        ORDER BY row_number
    """).fetchall()
    if not totals:
        return
    cells = "" if all(i in typed for _, i in measures) else f" JOIN {grid.table} g ON g.rownum = w.row_number"
    sums = con.execute(f"""
        SELECT sk_label(block_cell), grouping(sk_label(block_cell)) = 1,
            [{", ".join(f"sum({typed.get(i, f'sk_num(c{i})')})" for _, i in measures)}]
        FROM {wide} w{cells} WHERE NOT is_total AND NOT is_header_again
        GROUP BY GROUPING SETS ((sk_label(block_cell)), ())
    """).fetchall()
    grand = [sums_row for _, is_grand, sums_row in sums if is_grand]
    by_block = {key: sums_row for key, is_grand, sums_row in sums if not is_grand}
    empty = [None] * len(measures)
    rows = [(row_number, label, stated,
             by_block.get(scope, empty) if scope else (grand[-1] if grand else empty))
            for row_number, label, scope, stated in totals]
    for row_number, label, stated, summed in rows:
        entry = {"row": row_number, "label": label, "checked": []}
        for (name, _), said, added in zip(measures, stated, summed, strict=True):
            if said is None:
                continue
            added = added or 0.0
            entry["checked"].append({"column": name, "stated": said, "rows": added})
            if abs(said - added) > 0.5:
                column = name[4:] if name.startswith("day:") else _label(header, name)
                staged.read_notes.append(Issue(
                    WARNING, "totals_mismatch",
                    {"label": label, "stated": _num(said), "added": _num(added)},
                    row=row_number, column=column))
        staged.totals.append(entry)


def _num(value: float) -> int | float:
    return int(value) if float(value).is_integer() else round(value, 2)


def _long_cells(con, staged: Staged, filled: str) -> str:
    """The cells of the rows of `filled` (_suspect_rows) one row per place and date, as text and
    as read, for _value_issues: day columns become rows (wide camp reports)."""
    header = staged.header
    cells = staged.table + "_cells"
    common = {
        "panchayat_cell": f"sk_text({cell(header, 'panchayat')})",
        "block_code_cell": f"sk_text({cell(header, 'block_code')})",
        "panchayat_code_cell": f"sk_text({cell(header, 'panchayat_code')})",
        "district_cell": f"sk_text({cell(header, 'district')})",
        "channel_cell": f"sk_text({cell(header, 'channel')})",
        "camp_site_cell": f"sk_text({cell(header, 'camp_site')})",
        "indicator_cell": f"sk_text({cell(header, 'indicator')})",
        "target_cell": cell(header, "target"),
        "achieved_before_cell": cell(header, "achieved_before"),
        "deadline_cell": cell(header, "deadline"),
        "start_date_cell": cell(header, "start_date"),
    }
    base = ", ".join(f"{expr} AS {name}" for name, expr in common.items())
    block_sel = "block_cell, "
    if staged.kind == "targets":  # "जिला" / "District" in the block column: the district's own row
        words = ", ".join(_sql_text(w) for w in DISTRICT_WORDS)
        block_sel = f"CASE WHEN sk_label(block_cell) IN ({words}) THEN NULL ELSE block_cell END AS block_cell, "
    file_date = _sql_text(staged.report_date.isoformat()) if staged.report_date else "NULL"
    if header.date_columns:
        parts = [
            f"SELECT row_number, {block_sel}{base}, {_sql_text(day.isoformat())} AS date_cell, "
            f"DATE '{day.isoformat()}' AS date_value, "
            f"'col:{i}' AS date_label, c{i} AS achieved_today_cell, "
            f"'col:{i}' AS achieved_today_label, NULL AS achieved_cell, {_key(header, 'achieved')} AS achieved_label, "
            f"{_key(header, 'target')} AS target_label "
            f"FROM {filled} WHERE NOT is_total AND NOT sk_is_blank(c{i})"  # a blank day: nothing that day
            for i, day in sorted(header.date_columns.items(), key=lambda item: item[1])
        ]
        body = " UNION ALL ".join(parts)
    else:
        date_cell = cell(header, "report_date")
        file_day = f"DATE '{staged.report_date.isoformat()}'" if staged.report_date else "NULL::DATE"
        day_value = "NULL::DATE" if "report_date" in header.fields else file_day
        # A pair of columns per indicator ("Credit linkage | Target | Achievement", "Insurance | T
        # | A"): one row per place and indicator, the indicator named by its group line.
        groups = [(None, {})] if not staged.groups else list(staged.groups.items())
        parts = []
        for n, (_, own) in enumerate(groups):
            target, before, today, total = (f"c{own[name]}" if name in own else cell(header, name)
                                            for name in ("target", "achieved_before", "achieved_today", "achieved"))
            target_key, today_key, total_key = (f"'col:{own[name]}'" if name in own else _key(header, name)
                                                for name in ("target", "achieved_today", "achieved"))
            named = base if not own else base.replace(
                f"sk_text({cell(header, 'indicator')}) AS indicator_cell", f"$group_{n} AS indicator_cell").replace(
                f"{cell(header, 'target')} AS target_cell", f"{target} AS target_cell").replace(
                f"{cell(header, 'achieved_before')} AS achieved_before_cell",
                f"{before} AS achieved_before_cell")
            parts.append(
                f"SELECT row_number, {block_sel}{named}, coalesce({date_cell}, {file_date}) AS date_cell, "
                f"{day_value} AS date_value, "
                f"{_key(header, 'report_date')} AS date_label, "
                f"{today} AS achieved_today_cell, {today_key} AS achieved_today_label, "
                f"{total} AS achieved_cell, {total_key} AS achieved_label, "
                f"{target_key} AS target_label FROM {filled} WHERE NOT is_total")
        body = " UNION ALL ".join(parts)
    # Date columns repeat the same few texts: each distinct text is parsed once (into a small
    # table, so the parse cannot be planned per row), and only for the date columns present.
    sources = {"date_value": ("report_date", "date_cell"), "deadline_value": ("deadline", "deadline_cell"),
               "start_date_value": ("start_date", "start_date_cell")}
    present = [name for name, (field_name, _) in sources.items() if field_name in header.fields]
    if present:
        texts = " UNION ".join(f"SELECT {cell(header, sources[name][0])} FROM {filled}" for name in present)
        texts += f" UNION SELECT {file_date}"  # a blank date cell falls back to the file's date
        con.execute(f"CREATE TEMP TABLE {cells}_dates AS SELECT text, sk_date(text) AS value "
                    f"FROM (SELECT DISTINCT text FROM ({texts}) AS t(text) WHERE text IS NOT NULL)")
    joins, picks = [], []
    for n, (name, (_, source_cell)) in enumerate(sources.items()):
        if name in present:
            joins.append(f"LEFT JOIN {cells}_dates d{n} ON d{n}.text = body.{source_cell}")
            picks.append(f"coalesce(d{n}.value, body.date_value) AS {name}" if name == "date_value"
                         else f"d{n}.value AS {name}")
        elif name != "date_value":
            picks.append(f"NULL::DATE AS {name}")
    exclude = "EXCLUDE (date_value)" if "date_value" in present else ""
    con.execute(f"""
        CREATE TEMP TABLE {cells} AS
        WITH body AS ({body})
        SELECT body.* {exclude},
            sk_num(target_cell) AS target_num, sk_num(achieved_today_cell) AS achieved_today_num,
            coalesce(sk_num(achieved_cell), sk_num(achieved_before_cell) + sk_num(achieved_today_cell))
                AS achieved_num,
            sk_num(achieved_before_cell) AS achieved_before_num{"".join(", " + p for p in picks)}
        FROM body {" ".join(joins)}
    """, {f"group_{n}": key for n, key in enumerate(_group_keys(staged))} if "$group_" in body else {})
    return cells


def _group_keys(staged: Staged) -> list[str]:
    """Each group line's indicator (in the order of staged.groups): a known indicator it names,
    else its own words as a new one ("No. of SHG credit linked with banks")."""
    keys = []
    for group in staged.groups:
        found = indicators.found_in(group)
        keys.append(found[0] if len(found) == 1 else indicators.key_for(group))
    return keys


def _check_row_totals(con, staged: Staged, wide: str) -> None:
    """In a one-column-per-day report, a row's own total must equal its days added up."""
    header = staged.header
    if "achieved" not in header.fields:
        return
    days = " + ".join(f"coalesce(n{i}, 0)" for i in header.date_columns)
    total = f"n{header.fields['achieved']}"
    rows = con.execute(f"""
        SELECT row_number, {total}, {days} FROM {wide}
        WHERE NOT is_total AND NOT is_header_again AND {total} IS NOT NULL AND abs({total} - ({days})) > 0.5
        ORDER BY row_number LIMIT {SHOWN_ISSUES}
    """).fetchall()
    for row_number, said, added in rows:
        staged.read_notes.append(Issue(WARNING, "row_total_mismatch",
                                       {"stated": _num(said), "added": _num(added)},
                                       row=row_number, column=_label(header, "achieved")))


def _value_issues(con, staged: Staged, cells: str, rows: str) -> None:
    """Every bad value, with row, column and value: the row is kept out, never guessed. `cells`:
    the long cells (_long_cells) of `rows`, the rows that may have one (_suspect_rows)."""
    checks = []
    numeric = [("target", "target_cell", "target_label")]
    if staged.kind == "progress":
        numeric += [("achieved_today", "achieved_today_cell", "achieved_today_label"),
                    ("achieved", "achieved_cell", "achieved_label")]
    for name, cell, label in numeric:
        num = f"{name}_num"
        checks += [
            f"SELECT row_number, date_cell, {label}, CAST({cell} AS VARCHAR), 'percent_in_count' "
            f"FROM {cells} WHERE contains(CAST({cell} AS VARCHAR), '%')",
            f"SELECT row_number, date_cell, {label}, CAST({cell} AS VARCHAR), 'number_too_large' "
            f"FROM {cells} WHERE abs({num}) >= {MAX_COUNT}",
            f"SELECT row_number, date_cell, {label}, CAST({cell} AS VARCHAR), 'bad_number' "
            f"FROM {cells} WHERE {num} IS NULL AND NOT sk_is_blank({cell})",
            f"SELECT row_number, date_cell, {label}, CAST({cell} AS VARCHAR), 'negative_number' "
            f"FROM {cells} WHERE {num} < 0",
            f"SELECT row_number, date_cell, {label}, CAST({cell} AS VARCHAR), 'not_whole_number' "
            f"FROM {cells} WHERE {num} >= 0 AND {num} <> floor({num})",
        ]
    checks += _extra_cell_checks(staged, rows)
    date_label = "date_label"
    checks.append(f"SELECT row_number, date_cell, {date_label}, CAST(date_cell AS VARCHAR), 'bad_date' "
                  f"FROM {cells} WHERE date_value IS NULL AND NOT sk_is_blank(date_cell)")
    if staged.kind == "targets":
        for name in ("deadline", "start_date"):
            label = _key(staged.header, name)
            checks.append(f"SELECT row_number, date_cell, {label}, CAST({name}_cell AS VARCHAR), "
                          f"'bad_date' FROM {cells} WHERE {name}_value IS NULL "
                          f"AND NOT sk_is_blank({name}_cell)")
        checks.append(f"SELECT row_number, date_cell, {_key(staged.header, 'target')}, "
                      f"NULL, 'no_target' FROM {cells} WHERE sk_is_blank(target_cell)")
        place = "'district'"  # a row naming no place is the district's own target
    else:
        checks.append(f"SELECT row_number, date_cell, NULL, NULL, 'no_figures' FROM {cells} "
                      f"WHERE achieved_num IS NULL AND achieved_today_num IS NULL "
                      f"AND sk_is_blank(achieved_cell) AND sk_is_blank(achieved_today_cell)")
        checks.append(f"SELECT row_number, date_cell, {date_label}, NULL, 'row_no_date' FROM {cells} "
                      f"WHERE sk_is_blank(date_cell)")
        place = "coalesce(block_cell, block_code_cell, panchayat_cell, panchayat_code_cell)"
    checks.append(f"SELECT row_number, date_cell, {_key(staged.header, 'block')}, NULL, "
                  f"'no_place' FROM {cells} WHERE {place} IS NULL")
    con.execute(f"""
        CREATE TEMP TABLE {staged.issues_table} AS
        SELECT row_number, date_cell, column_name, value, '{REJECTED}' AS severity, code,
            NULL::JSON AS params
        FROM ({" UNION ALL ".join(checks)}) AS found(row_number, date_cell, column_name, value, code)
    """)
    names = {"block": "block_cell", "block_code": "block_code_cell", "panchayat": "panchayat_cell",
             "panchayat_code": "panchayat_code_cell", "channel": "channel_cell", "camp_site": "camp_site_cell",
             "indicator": "indicator_cell"}
    reject_long_names(con, staged, cells, {cell: _key(staged.header, name) for name, cell in names.items()
                                           if name in staged.header.fields})


def reject_long_names(con, staged: Staged, table: str, columns: dict[str, str]) -> None:
    """A name longer than MAX_NAME_CHARS (a pasted paragraph, a whole row in one cell) is no
    name: its row is kept out, with the name's start shown. `columns`: {a text column of
    `table`: the key of its column in the issue}. Call once the issues table exists."""
    for column, key in columns.items():
        con.execute(f"""
            INSERT INTO {staged.issues_table}
            SELECT DISTINCT row_number, NULL, {key}, left({column}, 60) || '…', '{REJECTED}', 'name_too_long',
                json_object('limit', {MAX_NAME_CHARS})
            FROM {table} WHERE length({column}) > {MAX_NAME_CHARS}
        """)


# What values.mask_personal leaves of an Aadhaar number (RE2; upper case as it writes it).
MASKED_AADHAAR_SQL = "XXXX ?XXXX ?[0-9\\x{0966}-\\x{096f}]{4}"


def reject_masked_keys(con, staged: Staged, table: str, column: str, key: str) -> None:
    """An Aadhaar number used as a worker ID or SHG code: it is kept only masked, and masked
    numbers cannot tell one worker from another, so the row is kept out, saying why."""
    con.execute(f"""
        INSERT INTO {staged.issues_table}
        SELECT row_number, NULL, {key}, {column}, '{REJECTED}', 'personal_id_as_key', NULL
        FROM {table} WHERE regexp_matches({column}, $masked)
    """, {"masked": MASKED_AADHAAR_SQL})


def _extra_cell_checks(staged: Staged, rows: str) -> list[str]:
    """A CSV row with text beyond the header's last column: cells shifted (e.g. 1,00,000 unquoted)."""
    beyond = [f"c{i}" for i in _beyond_header(staged)]
    if not beyond:
        return []
    found = " OR ".join(f"NOT sk_is_blank({c})" for c in beyond)
    shown = "concat_ws(' | ', " + ", ".join(beyond) + ")"
    return [f"SELECT row_number, NULL, NULL, {shown}, 'extra_cells' FROM {rows} "
            f"WHERE NOT is_total AND NOT is_header_again AND ({found})"]


def _parts_mismatch(con, staged: Staged, cells: str) -> None:
    """Previous + today should make the total: a row where they do not is suspicious."""
    if not {"achieved_before", "achieved_today", "achieved"} <= set(staged.header.fields):
        return
    rows = con.execute(f"""
        SELECT row_number, achieved_before_num, achieved_today_num, achieved_total_num FROM {cells}
        WHERE abs(achieved_before_num + achieved_today_num - achieved_total_num) > 0.5
        ORDER BY row_number LIMIT {SHOWN_ISSUES}""").fetchall()
    for row_number, before, today, total in rows:
        staged.read_notes.append(Issue(WARNING, "parts_mismatch",
                                       {"before": _num(before), "today": _num(today), "stated": _num(total)},
                                       row=row_number, column=_label(staged.header, "achieved")))


def _unused_numbers(staged: Staged) -> None:
    """Only today's figures were read, yet other columns hold numbers: say so loudly."""
    header = staged.header
    if staged.kind != "progress" or {"achieved", "achieved_before"} & set(header.fields) or header.date_columns:
        return
    below = staged.grid.head[header.row_index + header.rows_used:][:10]
    unused = []
    for index, label in enumerate(header.labels):
        if not label or index in header.fields.values():
            continue
        numbers = [row[index] for row in below if index < len(row) and row[index] and headers.is_number(row[index])]
        if below and len(numbers) >= max(1, len(below) // 2):
            unused.append(label)
    if unused:
        staged.read_notes.append(Issue(WARNING, "unused_numeric_columns", {"columns": ", ".join(unused)}))


def match_places(con, staged: Staged, cells: str, matcher: places.Matcher, district_code) -> None:
    """Match each distinct block, then each panchayat within its block; never a guess."""
    district_code = district_code or _district_from_file(con, staged, cells, matcher)
    names = con.execute(f"""
        SELECT block_cell, block_code_cell, count(*) FROM {cells}
        WHERE coalesce(block_cell, block_code_cell) IS NOT NULL GROUP BY ALL ORDER BY 1
    """).fetchall()
    found = [(written, code, n, matcher.match("block", written or code, district_code, code))
             for written, code, n in names]
    if district_code is None:
        # The district was not said, but the names that matched all lie in one: look for the
        # rest there (fewer ambiguous names, and suggestions from the right district).
        districts = {m.parent_code for *_, m in found if m.code}
        if len(districts) == 1:
            district_code = districts.pop()
            found = [(w, c, n, m if m.code else matcher.match("block", w or c, district_code, c))
                     for w, c, n, m in found]
    block_rows = []
    for written, code, n, match in found:
        match.rows = n
        staged.matches.append(match)
        block_rows.append((written, code, match.name, match.code))
    pairs = con.execute(f"""
        SELECT block_cell, block_code_cell, panchayat_cell, panchayat_code_cell, count(*) FROM {cells}
        WHERE panchayat_cell IS NOT NULL OR panchayat_code_cell IS NOT NULL GROUP BY ALL ORDER BY 1, 3
    """).fetchall()
    block_code_of = {(w, c): code for w, c, _, code in block_rows}
    panchayat_rows = []
    blocks_of_district = {p.code: p for p in matcher.places if p.level == "block"}
    title_block = block_from_title(staged, matcher, district_code) if not block_rows else None
    if title_block:
        staged.read_notes.append(Issue(INFO, "block_from_title", {"block": title_block.name}))
    for block_written, block_code_cell, written, code, n in pairs:
        parent = block_code_of.get((block_written, block_code_cell))
        block, block_code = None, None
        if block_written is None and block_code_cell is None and title_block:
            match = matcher.match("panchayat", written or code, title_block.code, code)
            block, block_code = title_block.name, title_block.code
        elif block_written is None and block_code_cell is None and matcher.has("panchayat"):
            # No block column: a panchayat name found in exactly one block of the district
            # places the row there; one found in several blocks is not guessed.
            match = matcher.match("panchayat", written or code, None, code)
            owner = blocks_of_district.get(match.parent_code) if match.code else None
            if owner is None or (district_code and owner.parent_code != district_code):
                match = places.Match(written or code, "panchayat", None, None, places.tidy(written or code),
                                     places.UNMATCHED, "no block", None, match.candidates)
            else:
                block, block_code = owner.name, owner.code
        elif matcher.has("panchayat") and parent is None:
            match = places.Match(written or code, "panchayat", None, None, places.tidy(written or code),
                                 places.UNMATCHED, "block unmatched")
        else:
            match = matcher.match("panchayat", written or code, parent, code)
        match.rows = n
        staged.matches.append(match)
        panchayat_rows.append((block_written, block_code_cell, written, code, match.name, match.code,
                               block, block_code))
    register_rows(con, staged.table + "_blocks",
              ["block_cell", "block_code_cell", "block", "block_code"], block_rows)
    register_rows(con, staged.table + "_panchayats",
              ["block_cell", "block_code_cell", "panchayat_cell", "panchayat_code_cell",
               "panchayat", "panchayat_code", "block", "block_code"], panchayat_rows)
    unmatched = [m for m in staged.matches if m.how == places.UNMATCHED]
    if unmatched:
        staged.read_notes.append(Issue(WARNING, "names_unmatched", {"count": len(unmatched)}))


_BLOCK_WORD = re.compile(r"(?:प्रखंड|प्रखण्ड|ब्लॉक|ब्लाक|\bblock\b|\bblk\b)", re.IGNORECASE)


def _title_text(staged: Staged) -> str:
    """The title rows and the file's name (its words): where a file says what it is about."""
    return " ".join(staged.title) + " " + re.sub(r"[_\-.]+", " ", staged.file_name.rsplit(".", 1)[0])


def block_from_title(staged: Staged, matcher: places.Matcher, district_code) -> places.Place | None:
    """A block's own report names the block in its title or file name, in one word or several,
    in Hindi or English ("Block: Kusheshwar Asthan Purbi", "प्रखंड - मुशहरी", "Araria Block",
    "musahari_daily.xlsx"). One block found is that block; a name that is also the district's
    counts only beside a word for block ("जिला अररिया" is the district)."""
    if not matcher.has("block"):
        return None
    text = _title_text(staged)
    found = matcher.find_in(text, "block", district_code)
    if not _BLOCK_WORD.search(text):
        districts = {places.exact_key(p.name) for p in matcher.find_in(text, "district")}
        found = [p for p in found if places.exact_key(p.name) not in districts]
    return found[0] if len(found) == 1 else None


def _district_from_file(con, staged, cells, matcher: places.Matcher) -> str | None:
    """The district the file is about: its district column, its title or file name, or the only one."""
    districts = [p for p in matcher.places if p.level == "district"]
    if len(districts) == 1:
        return districts[0].code
    written = con.execute(f"SELECT DISTINCT district_cell FROM {cells} WHERE district_cell IS NOT NULL").fetchall()
    for (name,) in written:
        match = matcher.match("district", name)
        if match.code:
            return match.code
    named = matcher.find_in(_title_text(staged), "district")
    return named[0].code if len(named) == 1 else None


def register_rows(con, name: str, columns: list[str], rows: list[tuple]) -> None:
    """A temp table of text columns from rows made here (names matched, channels read): each
    column bound as a list (through pyarrow, a process would import pandas for it)."""
    lists = {f"c{i}": [str(r[i]) if r[i] is not None else None for r in rows] for i in range(len(columns))}
    select = ", ".join(f"unnest($c{i}::VARCHAR[]) AS {column}" for i, column in enumerate(columns))
    con.execute(f"CREATE TEMP TABLE {name} AS SELECT {select}", lists)


def _long_rows(con, staged: Staged, wide: str) -> str:
    """One row per place and date (and indicator), from the wide rows' figures: a day's column
    (one column per day; a blank day is no row) or a group's (a pair of columns per indicator).
    A view of the wide rows when each row is one (no day columns, no groups), else a table;
    returns its name."""
    header = staged.header
    long = staged.table + "_long"
    texts = ", ".join(f"{name}_cell" if name in header.fields else f"NULL::VARCHAR AS {name}_cell"
                      for name in _TEXT_FIELDS if name != "indicator")
    block = "block_cell"
    if staged.kind == "targets":  # "जिला" / "District" in the block column: the district's own row
        words = ", ".join(_sql_text(w) for w in DISTRICT_WORDS)
        block = f"CASE WHEN sk_label(block_cell) IN ({words}) THEN NULL ELSE block_cell END AS block_cell"
    dates = ", ".join(f"{name}_value" if name in header.fields else f"NULL::DATE AS {name}_value"
                      for name in ("deadline", "start_date"))
    base = f"row_number, {block}, panchayat_cell, {texts}, {dates}"
    rows = f"FROM {wide} WHERE NOT is_total AND NOT is_header_again"
    indicator = "indicator_cell" if "indicator" in header.fields else "NULL::VARCHAR"

    def number(own: dict, name: str) -> str:
        index = own.get(name, header.fields.get(name))
        return f"n{index}" if index is not None else "NULL::DOUBLE"

    parts = []
    if header.date_columns:
        target, before = number({}, "target"), number({}, "achieved_before")
        for i, day in sorted(header.date_columns.items(), key=lambda item: item[1]):
            parts.append(
                f"SELECT {base}, {indicator} AS indicator_cell, {_sql_text(day.isoformat())} AS date_cell, "
                f"DATE '{day.isoformat()}' AS date_value, {target} AS target_num, n{i} AS achieved_today_num, "
                f"NULL::DOUBLE AS achieved_total_num, {before} + n{i} AS achieved_num, {before} AS achieved_before_num "
                f"{rows} AND k{i}")  # a blank day: nothing that day
    else:
        file_day = f"DATE '{staged.report_date.isoformat()}'" if staged.report_date else "NULL::DATE"
        day = "date_value" if "report_date" in header.fields else file_day
        groups = [{}] if not staged.groups else list(staged.groups.values())
        for n, own in enumerate(groups):
            named = f"$group_{n}" if own else indicator
            today, total, before = (number(own, name) for name in ("achieved_today", "achieved", "achieved_before"))
            parts.append(
                f"SELECT {base}, {named} AS indicator_cell, NULL::VARCHAR AS date_cell, {day} AS date_value, "
                f"{number(own, 'target')} AS target_num, {today} AS achieved_today_num, {total} AS achieved_total_num, "
                f"coalesce({total}, {before} + {today}) AS achieved_num, {before} AS achieved_before_num {rows}")
    body = " UNION ALL ".join(parts)
    if len(parts) == 1 and "$group_" not in body:
        con.execute(f"CREATE TEMP VIEW {long} AS {body}")
    else:
        keys = _group_keys(staged) if "$group_" in body else []
        con.execute(f"CREATE TEMP TABLE {long} AS {body}", {f"group_{n}": key for n, key in enumerate(keys)})
    return long


def _typed_rows(con, staged: Staged, cells: str) -> None:
    """Typed rows with canonical names; conflicting duplicates rejected, never summed."""
    typed = staged.table
    header = staged.header
    channel, joins = "NULL::VARCHAR", []
    if "channel" in header.fields:
        written = [row[0] for row in con.execute(f"SELECT DISTINCT channel_cell FROM {cells} "
                                                  f"WHERE channel_cell IS NOT NULL").fetchall()]
        register_rows(con, f"{typed}_channels", ["channel_cell", "channel"], [(w, channel_of(w)) for w in written])
        channel = "ch.channel"
        joins.append(f"LEFT JOIN {typed}_channels ch ON ch.channel_cell = c.channel_cell")
    indicator = "$indicator"
    if "indicator" in header.fields or staged.groups:
        indicator, named = "n.indicator", _indicator_case("indicator_cell")
        joins.append(f"LEFT JOIN (SELECT DISTINCT indicator_cell, {named} AS indicator "
                     f"FROM {cells}) n ON coalesce(n.indicator_cell, '') = coalesce(c.indicator_cell, '')")
    is_progress = staged.kind == "progress"
    measures = (
        "CAST(c.achieved_today_num AS BIGINT) AS achieved_today, "
        "CAST(c.achieved_num AS BIGINT) AS achieved"
        if is_progress else
        "c.deadline_value AS deadline, c.start_date_value AS start_date"
    )
    district_level = "" if is_progress else ("(c.block_cell IS NULL AND c.block_code_cell IS NULL "
                                             "AND c.panchayat_cell IS NULL) AS district_level, ")
    # An issue keeps its row out; in a one-column-per-day report, an issue of a day's cell only
    # that day (each a plain anti-join: a correlated OR would be worked out row by row).
    kept_out = f"NOT EXISTS (SELECT 1 FROM {staged.issues_table} i WHERE i.row_number = c.row_number)"
    if header.date_columns:
        kept_out = (f"NOT EXISTS (SELECT 1 FROM {staged.issues_table} i WHERE i.row_number = c.row_number "
                    f"AND i.date_cell IS NULL) AND NOT EXISTS (SELECT 1 FROM {staged.issues_table} i "
                    f"WHERE i.row_number = c.row_number AND i.date_cell = c.date_cell)")
    con.execute(f"""
        CREATE TEMP TABLE {typed} AS
        SELECT c.row_number, {indicator} AS indicator, c.date_value AS report_date,
            coalesce(b.block, p.block) AS block, coalesce(b.block_code, p.block_code) AS block_code,
            coalesce(c.block_cell, c.block_code_cell) AS block_written,
            p.panchayat, p.panchayat_code, c.panchayat_cell AS panchayat_written,
            {channel} AS channel, c.camp_site_cell AS camp_site,
            CAST(c.target_num AS BIGINT) AS target, {district_level}{measures}
        FROM {cells} c
        {" ".join(joins)}
        {place_joins(staged)}
        WHERE {kept_out}
    """, {"indicator": staged.indicator})
    reject_rows_without_block(con, staged)
    key = "indicator, report_date, block, panchayat, channel, camp_site"
    figures = "target, achieved_today, achieved" if is_progress else "target, deadline, start_date"
    if not is_progress:
        key = "indicator, block, panchayat"
    same = " AND ".join(f"g.{k} IS NOT DISTINCT FROM t.{k}" for k in key.split(", "))
    repeated = con.execute(f"""
        INSERT INTO {staged.issues_table}
        WITH repeated AS (
            SELECT hash({key}) AS place_hash FROM {typed} GROUP BY place_hash HAVING count(*) > 1
        ), groups AS (
            SELECT {key}, count(DISTINCT ({figures})) AS variants,
                list(row_number ORDER BY row_number) AS all_rows
            FROM {typed} WHERE hash({key}) IN (SELECT place_hash FROM repeated)
            GROUP BY {key} HAVING count(*) > 1
        )
        SELECT t.row_number, CAST(t.report_date AS VARCHAR), NULL, NULL,
            CASE WHEN g.variants > 1 THEN '{REJECTED}' ELSE '{WARNING}' END,
            CASE WHEN g.variants > 1 THEN 'conflicting_rows' ELSE 'duplicate_row' END,
            json_object('rows', array_to_string(list_transform(g.all_rows, lambda x: CAST(x AS VARCHAR)), ', '),
                        'place', coalesce(t.panchayat, t.block))
        FROM {typed} t JOIN groups g ON {same}
        WHERE g.variants > 1 OR t.row_number <> g.all_rows[1]
    """).fetchall()[0][0]
    if repeated:
        con.execute(f"""
            DELETE FROM {typed} t WHERE EXISTS (
                SELECT 1 FROM {staged.issues_table} i
                WHERE i.row_number = t.row_number AND i.code IN ('conflicting_rows', 'duplicate_row')
                  AND i.date_cell IS NOT DISTINCT FROM CAST(t.report_date AS VARCHAR))
        """)
    if indicator != "$indicator":  # an Indicator column (or a group line) says which
        held = [r[0] for r in con.execute(f"SELECT DISTINCT indicator FROM {staged.table}").fetchall()]
        if len(held) > 1 or (held and held[0] != staged.indicator):
            staged.indicator = held[0] if len(held) == 1 else None
    if is_progress:
        dates = con.execute(f"SELECT min(report_date), max(report_date) FROM {staged.table}").fetchall()[0]
        staged.date_from, staged.date_to = dates
        if dates[1] is not None and dates[1] > fmt.now_ist().date():
            staged.read_notes.append(Issue(WARNING, "date_in_future", {"date": dates[1]}))
        if dates[0] is not None and dates[0] == dates[1]:
            staged.report_date = dates[0]
        elif dates[0] is not None:
            staged.report_date = None
            _cumulative_down_in_file(con, staged)


def place_joins(staged: Staged) -> str:
    """The joins that give each row `c` its matched block `b` and panchayat `p` (_match_places)."""
    return f"""LEFT JOIN {staged.table}_blocks b
            ON coalesce(b.block_cell, '') = coalesce(c.block_cell, '')
            AND coalesce(b.block_code_cell, '') = coalesce(c.block_code_cell, '')
        LEFT JOIN {staged.table}_panchayats p
            ON coalesce(p.block_cell, '') = coalesce(c.block_cell, '')
            AND coalesce(p.block_code_cell, '') = coalesce(c.block_code_cell, '')
            AND coalesce(p.panchayat_cell, '') = coalesce(c.panchayat_cell, '')
            AND coalesce(p.panchayat_code_cell, '') = coalesce(c.panchayat_code_cell, '')"""


def reject_rows_without_block(con, staged: Staged) -> None:
    """A panchayat whose block the file does not give and the gazetteer cannot tell. (A targets
    row naming no place at all is the district's own target.)"""
    unplaced = "panchayat_written IS NOT NULL" if staged.kind == "targets" else "true"
    day = "CAST(report_date AS VARCHAR)" if staged.kind in ("progress", "targets") else "NULL"
    kept_out = con.execute(f"""
        INSERT INTO {staged.issues_table}
        SELECT row_number, {day}, {_key(staged.header, 'panchayat')},
            panchayat_written, '{REJECTED}', 'panchayat_without_block', NULL
        FROM {staged.table} WHERE block IS NULL AND {unplaced}
    """).fetchall()[0][0]
    if kept_out:
        con.execute(f"DELETE FROM {staged.table} WHERE block IS NULL AND {unplaced}")


def repeated_rows(con, staged: Staged, key: str, figures: str, codes: tuple[str, str], shown: str,
                  param: str) -> None:
    """The same thing (`key`: an SHG, a worker and day) twice in one file: the same row again is
    taken once (a warning); rows with different `figures` are all kept out (which one is right
    cannot be told). `shown` is the column named in the message, as its parameter `param`."""
    table, issues = staged.table, staged.issues_table
    conflict, duplicate = codes
    found = con.execute(f"""
        INSERT INTO {issues}
        WITH repeated AS (  -- (a hash first: the figures are compared only where a key repeats)
            SELECT hash({key}) AS key_hash FROM {table} GROUP BY key_hash HAVING count(*) > 1
        ), groups AS (
            SELECT {key}, count(DISTINCT ({figures})) AS variants, list(row_number ORDER BY row_number) AS all_rows
            FROM {table} WHERE hash({key}) IN (SELECT key_hash FROM repeated) GROUP BY {key} HAVING count(*) > 1
        )
        SELECT t.row_number, NULL, NULL, t.{shown},
            CASE WHEN g.variants > 1 THEN '{REJECTED}' ELSE '{WARNING}' END,
            CASE WHEN g.variants > 1 THEN '{conflict}' ELSE '{duplicate}' END,
            json_object('rows', array_to_string(list_transform(g.all_rows, lambda x: CAST(x AS VARCHAR)), ', '),
                        {_sql_text(param)}, t.{shown})
        FROM {table} t JOIN groups g USING ({key})
        WHERE g.variants > 1 OR t.row_number <> g.all_rows[1]
    """).fetchall()[0][0]
    if found:
        con.execute(f"""DELETE FROM {table} t WHERE EXISTS (
            SELECT 1 FROM {issues} i WHERE i.row_number = t.row_number AND i.code IN ('{conflict}', '{duplicate}'))""")


def _cumulative_down_in_file(con, staged: Staged) -> None:
    con.execute(f"""
        INSERT INTO {staged.issues_table}
        SELECT row_number, CAST(report_date AS VARCHAR), NULL, CAST(achieved AS VARCHAR), '{WARNING}',
            'cumulative_down', json_object('before', previous, 'place', coalesce(panchayat, block))
        FROM (SELECT row_number, report_date, achieved, panchayat, block,
                  lag(achieved) OVER (PARTITION BY place ORDER BY report_date) AS previous
              FROM (SELECT row_number, report_date, achieved, panchayat, block,
                        hash(indicator, block, panchayat, channel, camp_site) AS place FROM {staged.table}))
        WHERE achieved < previous
    """)


def _channel_key(text: str) -> str:
    """A channel as written, folded the same way for the file and for the list of spellings:
    case, punctuation and spacing, and letters written apart joined ("P.D.S." = "PDS")."""
    merged, run = [], ""
    for word in reading.fold(text).split():
        if len(word) == 1 and word.isalpha():
            run += word
            continue
        if run:
            merged.append(run)
            run = ""
        merged.append(word)
    if run:
        merged.append(run)
    return " ".join(merged)


@functools.cache
def _channel_spellings() -> dict[str, str]:
    import csv

    with (headers.ALIAS_DIR / "channels.csv").open(encoding="utf-8") as fh:
        return {_channel_key(r["alias"]): r["channel"] for r in csv.DictReader(fh)}


def channel_of(written: str) -> str:
    """The channel a cell names (ASHA, VLE, Camp, Ration dealer ...), else as written."""
    return _channel_spellings().get(_channel_key(written), written)


def _indicator_case(cell: str) -> str:
    pairs = [(alias, key) for alias, key in indicators.alias_table()]
    whens = " ".join(f"WHEN {_sql_text(a)} THEN {_sql_text(k)}" for a, k in pairs)
    folded = f"trim(regexp_replace(lower({cell}), '[^\\w%\\x{{0900}}-\\x{{097f}}]+', ' ', 'g'))"
    fallback = f"regexp_replace({folded}, '\\s+', '_', 'g')"
    return f"coalesce(CASE {folded} {whens} ELSE {fallback} END, $indicator)"


# ---------------------------------------------------------------- counting

def count_rows(con, staged: Staged) -> None:
    """The rows accepted, warned and rejected, and the first issues to show."""
    source = staged.rows_table or staged.table  # the rows read (a gazetteer keeps one per code after)
    rows = "count(*)" if staged.one_row_each else "count(DISTINCT row_number)"
    staged.rows_accepted = con.execute(f"SELECT {rows} FROM {source}").fetchall()[0][0]
    count_issues(con, staged)


def count_issues(con, staged: Staged) -> None:
    """The rows warned and rejected, and the first issues to show (again after checks against
    the store: the rows accepted stay the same)."""
    issues = staged.issues_table
    rejected_rows = con.execute(f"SELECT count(DISTINCT row_number) FROM {issues} WHERE severity = '{REJECTED}'").fetchall()[0][0]
    warned_rows = {i.row for i in staged.read_notes if i.severity == WARNING and i.row is not None}
    warned_sql = con.execute(f"SELECT list(DISTINCT row_number) FROM {issues} WHERE severity = '{WARNING}'").fetchall()[0][0] or []
    staged.rows_rejected = rejected_rows
    staged.rows_warned = len(warned_rows | set(warned_sql))
    shown = con.execute(f"""
        SELECT severity, code, params, row_number, column_name, value FROM {issues}
        ORDER BY row_number, severity LIMIT {SHOWN_ISSUES}
    """).fetchall()
    staged.issues = [i for i in staged.read_notes if i.severity != INFO]
    for severity, code, params, row, column, value in shown:
        staged.issues.append(Issue(severity, code, json.loads(params) if params else {},
                                   row=row, column=column, value=value))


def _keep_only_results(con, staged: Staged) -> None:
    """Free the intermediate copies of a large file (and the grid): keep the rows, issues and
    rejected rows' cells."""
    grid = staged.grid
    cells = ", ".join(f"c{i}" for i in range(grid.ncols))
    con.execute(f"""CREATE TEMP TABLE {staged.table}_rejected AS
        SELECT rownum AS row_number, to_json(list_value({cells})) AS cells FROM {grid.table}
        WHERE rownum IN (SELECT row_number FROM {staged.issues_table} WHERE severity = '{REJECTED}')""")
    _drop_temporaries(con, staged.table, keep={staged.table, staged.issues_table,
                                                f"{staged.table}_rejected", staged.rows_table})
    con.execute(f"DROP TABLE IF EXISTS {grid.table}")


def _drop_temporaries(con, prefix: str, keep: frozenset | set = frozenset()) -> None:
    """Drop the temp views, then the temp tables (but `keep`), whose names start with `prefix`."""
    views = con.execute("SELECT view_name FROM duckdb_views() WHERE temporary AND starts_with(view_name, ?)",
                        [prefix]).fetchall()
    for (name,) in views:
        con.execute(f"DROP VIEW IF EXISTS {name}")
    tables = con.execute("SELECT table_name FROM duckdb_tables() WHERE temporary AND starts_with(table_name, ?)",
                         [prefix]).fetchall()
    for (name,) in tables:
        if name not in keep:
            con.execute(f"DROP TABLE IF EXISTS {name}")


def drop_staging(con, staged: Staged) -> None:
    """Remove the temp views and tables of one staged file."""
    _drop_temporaries(con, staged.table)
    con.execute(f"DROP TABLE IF EXISTS {staged.grid.table}")
