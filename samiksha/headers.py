"""Finding the header row under title rows, and what each column means.

Each kind of report declares its fields (samiksha/kinds/); a column's meaning is read from the
words of its header and from its values (samiksha/reading.py). The header is the row (or two
rows: a group line such as "Credit linkage" or a date above "Target | Achievement") among the
first rows whose reading names the most fields surely. Readings the operator confirmed, for
this layout or for a header's text, are taken as they are.
"""

from __future__ import annotations

import functools
import hashlib
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from samiksha import reading, values

ALIAS_DIR = Path(__file__).with_name("aliases")  # value lists: channels, indicators
HEADER_SCAN_ROWS = 30
SAMPLE_ROWS = 12  # rows under a header whose values are read as evidence

_DATE_LIKE = re.compile(
    r"^\D{0,12}[0-9०-९]{1,4}[./ -]([0-9०-९]{1,2}|[a-z]{3,9})([./ -]+[0-9०-९]{2,4})?$", re.IGNORECASE)


def normalise(text: str | None) -> str:
    """Text folded for comparison: case, punctuation, spacing, Unicode form (as reading.fold,
    keeping the percent sign)."""
    if not text:
        return ""
    text = unicodedata.normalize("NFC", str(text)).casefold()
    text = text.replace("\u200c", "").replace("\u200d", "")
    text = re.sub(r"['’`.]", "", text).replace("_", " ")
    text = text.replace("&", " and ")
    text = re.sub(r"[^\w%\u0900-\u097f]+", " ", text)
    return " ".join(text.split())


@functools.lru_cache(maxsize=4096)
def date_header(header: str | None, default_year: int | None) -> object | None:
    """A header that is a date (one column per day): 27.05.2025, 27/05, 27-May."""
    if not header or not _DATE_LIKE.match(header.strip()):
        return None
    text = values.to_ascii_digits(header).strip()
    text = re.sub(r"^(दिनांक|date|dt\.?)\s*[-:]?\s*", "", text, flags=re.IGNORECASE)
    try:
        return values.parse_date(text)
    except ValueError:
        pass
    if default_year and re.fullmatch(r"\d{1,2}[ -][a-z]{3,9}\.?", text, re.IGNORECASE):
        try:
            return values.parse_date(f"{text.rstrip('.')} {default_year}".replace("-", " "))
        except ValueError:
            return None
    short = re.fullmatch(r"(\d{1,2})[./-](\d{1,2})", text)
    if short and default_year:
        try:
            return values.parse_date(f"{short.group(1)}.{short.group(2)}.{default_year}")
        except ValueError:
            return None
    return None


@dataclass
class Header:
    """Where the header is and what each column means."""

    row_index: int  # index into the grid's head rows (0-based)
    rows_used: int  # 1, or 2 when a group line sits above the labels
    labels: list[str | None]  # each column's header as shown (a group line's text before it)
    fields: dict[str, int] = field(default_factory=dict)  # field -> column index (its first column)
    date_columns: dict[int, object] = field(default_factory=dict)  # column -> date (one column per day)
    ignored: list[str] = field(default_factory=list)
    repeated: list[tuple[str, str]] = field(default_factory=list)  # (header, field)
    columns: list[reading.Column] = field(default_factory=list)  # the reading of every column
    layout: str = ""  # the layout's key: its kind and header texts (remembered readings)
    score: float = 0.0
    complete: bool = True  # it names what its kind needs

    def unsure(self) -> list[reading.Column]:
        """Columns whose reading is in doubt: a field read unsurely, or no field where one is close."""
        return [c for c in self.columns if not c.sure]

    def groups(self) -> dict[str | None, dict[str, int]]:
        """{group line: {field: column}} of the fields that repeat per group (a pair of columns
        per indicator); {} for a header with one of each."""
        found: dict[str | None, dict[str, int]] = {}
        for col in self.columns:
            if col.field and col.group and col.day is None:
                found.setdefault(col.group, {})[col.field] = col.index
        return found if len(found) > 1 else {}


def layout_key(kind: str, labels: list[str | None]) -> str:
    """The same layout: the same kind and the same header texts, whatever else differs (dates,
    figures, rows). Used to remember the operator's readings of a layout."""
    text = kind + "\x1f" + "\x1f".join(reading.fold(label) for label in labels)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def header_key(label: str | None) -> str:
    """A header's text as it is remembered (folded: case, spacing, punctuation)."""
    return reading.fold(label)


@dataclass(frozen=True)
class Reading:
    """What the operator said of a column: by its layout and position, or by its header text."""

    field: str | None  # None: not used
    how: str = "remembered"  # remembered (from the store), given (--column or the page, this file)


def _samples(head, start: int) -> list[list]:
    rows = [row for row in head[start:start + SAMPLE_ROWS * 2] if sum(1 for v in row if v) >= 2]
    return rows[:SAMPLE_ROWS]


def _is_subheader(below: list[str | None]) -> bool:
    """A row of labels only (no figures, no dates, no codes such as BR-ARA-001): a second
    header line."""
    texts = [v for v in below if v]
    return len(texts) >= 2 and not any(is_number(v) or values.DATE_IN_TEXT.search(v) or _CODE_LIKE.search(v)
                                       for v in texts)


_CODE_LIKE = re.compile(r"[A-Za-z][-/]?[0-9]{2,}|[0-9]{3,}")  # letters then digits, or 3+ digits


def is_number(text: str) -> bool:
    try:
        return values.parse_number(text) is not None
    except ValueError:
        return False


def _two_lines(top: list, below: list) -> tuple[list, list]:
    """Labels and groups of a header on two lines: a group's text (a merged cell) over the
    columns under it; a label merged down both lines is the column's own."""
    labels, groups, group = [], [], None
    width = max(len(top), len(below))
    for index in range(width):
        upper = top[index] if index < len(top) else None
        lower = below[index] if index < len(below) else None
        if upper:
            group = upper
        if lower and upper and lower == upper:  # merged down: one label
            labels.append(lower)
            groups.append(None)
            group = None
        elif lower:
            labels.append(lower)
            groups.append(group)
        else:
            labels.append(upper)
            groups.append(None)
            group = upper if upper else group
    return labels, groups


def read_header(labels, groups, samples, kind, default_year=None, remembered=None) -> Header:
    """The reading of one candidate header (a row, or two) as `kind` (a module of samiksha/kinds)."""
    labels = [label if label and str(label).strip() else None for label in labels]
    groups = list(groups) if groups else [None] * len(labels)
    read = reading.read_columns(labels, samples, kind.FIELDS, groups, kind.TOLERATED,
                                getattr(kind, "resolve", None))
    shown = [(f"{g} · {lb}" if g and lb else lb or g) for lb, g in zip(labels, groups, strict=True)]
    header = Header(0, 1, shown, columns=read.columns, layout=layout_key(kind.NAME, shown))
    _days(header, read, labels, groups, kind, default_year)
    if remembered:
        _apply_remembered(read, kind, shown, remembered)
    for col in read.columns:
        if col.field is None:
            if shown[col.index]:
                header.ignored.append(shown[col.index])
            continue
        if col.day is not None:
            header.date_columns[col.index] = col.day
            continue
        if col.field in header.fields and not any(s.name == col.field and s.repeats for s in kind.FIELDS):
            header.repeated.append((shown[col.index], col.field))
            continue
        header.fields.setdefault(col.field, col.index)
    header.score = sum((2.0 if c.sure else 1.0) for c in read.columns if c.field) \
        + sum(1.0 for c in read.columns if c.how == "day_target") \
        + (2.0 if len(header.date_columns) >= 2 else 0.0)
    return header


def _days(header: Header, read: reading.Reading, labels, groups, kind, default_year) -> None:
    """One column per day: a header that is a date ("27.05.2025", "30.05" with the title's year),
    or a figure under a date on a group line ("27.05.2025 | Achievement"), is that day's figure; a
    day's own target under its date is not used."""
    day_fields = getattr(kind, "DAY_FIELDS", ())
    for col in read.columns:
        own = date_header(labels[col.index], default_year) if labels[col.index] else None
        above = date_header(groups[col.index], default_year) if groups[col.index] else None
        if not day_fields or (own is None and above is None and col.day is None):
            col.day = None
            continue
        if own is not None:
            col.field, col.sure, col.day, col.how = day_fields[0], True, own, "day"
        elif above is not None and col.field in (*day_fields, "achieved"):
            col.field, col.sure, col.day, col.how = day_fields[0], True, above, "day"
        elif above is not None:
            col.field, col.sure, col.day, col.how = None, True, None, "day_target"  # that day's own target: not used
        elif col.field not in day_fields:
            col.day = None


def _apply_remembered(read: reading.Reading, kind, shown: list, remembered: dict) -> None:
    """The operator's readings win: given for this file (by column, then by header text), then
    remembered for this layout and column, then for the header's text."""
    by_layout = remembered.get(("layout", layout_key(kind.NAME, shown)), {})
    given = remembered.get(("given_column",), {})
    repeats = {s.name for s in kind.FIELDS if s.repeats}
    for col in read.columns:
        key = header_key(shown[col.index]) if shown[col.index] else None
        said = given.get(col.index) or (remembered.get(("header", "*", key)) if key else None) \
            or by_layout.get(col.index) or (remembered.get(("header", kind.NAME, key)) if key else None)
        if said is None or (said.field is not None and said.field not in {s.name for s in kind.FIELDS}):
            continue
        if said.field is not None and said.field not in repeats:
            for other in read.columns:  # a field taken by the operator's column is no other column's
                if other is not col and other.field == said.field:
                    other.field, other.sure = None, True
        col.field, col.sure, col.how = said.field, True, said.how
        if said.field is None:
            col.day = None


def _unread(header: Header) -> int:
    """Labelled columns read as nothing (a day's own target, ruled out on purpose, is read)."""
    return sum(1 for c in header.columns if c.field is None and c.how != "day_target" and header.labels[c.index])


def _read(header: Header) -> int:
    return sum(1 for c in header.columns if c.field is not None or c.how == "day_target")


def find_header(head: list[list[str | None]], kind, default_year: int | None = None,
                remembered: dict | None = None, complete: bool = True) -> Header | None:
    """The best header row (or two) among the first rows as `kind`; None when none names what
    the kind needs (with `complete=False`: the best that names two fields or more, needed or not)."""
    best: Header | None = None
    for index, row in enumerate(head[:HEADER_SCAN_ROWS]):
        if sum(1 for v in row if v) < 2:
            continue
        candidates = []
        one = read_header(list(row), None, _samples(head, index + 1), kind, default_year, remembered)
        one.row_index = index
        candidates.append(one)
        if index + 1 < len(head) and _is_subheader(head[index + 1]):
            labels, groups = _two_lines(list(row), list(head[index + 1]))
            two = read_header(labels, groups, _samples(head, index + 2), kind, default_year, remembered)
            two.row_index, two.rows_used = index, 2
            lower = read_header(list(head[index + 1]), None, _samples(head, index + 2), kind, default_year, remembered)
            # Two lines when the upper one adds meaning the lower lacks alone (the same label under
            # each indicator or day, "T" and "A" under an indicator's name): not a title split over
            # cells above a header that reads well alone, nor a roster's first worker under its header.
            if two.score > one.score and (lower.repeated or _unread(lower) > _unread(two) or _read(two) > _read(lower)):
                candidates.append(two)
        for candidate in candidates:
            candidate.complete = kind.needs(candidate.fields, candidate.date_columns)
            if complete and not candidate.complete:
                continue
            if len(candidate.fields) + len(candidate.date_columns) < 2:
                continue
            if best is None or (candidate.complete, candidate.score) > (best.complete, best.score):
                best = candidate
    return best


def detect_kind(head: list[list[str | None]], kinds, default_year: int | None = None,
                remembered: dict | None = None):
    """The kind (a module of samiksha/kinds) whose fields the header names best, and its header;
    (None, None) when no kind's header is found."""
    scored = []
    for kind in kinds:
        header = find_header(head, kind, default_year, remembered)
        if header is not None and getattr(kind, "detectable", lambda fields: True)(header.fields):
            scored.append((header.score + getattr(kind, "DETECT_BONUS", 0.0), kind, header))
    if not scored:
        return None, None
    _, kind, header = max(scored, key=lambda item: item[0])
    return kind, header
