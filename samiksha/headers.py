"""Finding the header row under title rows, and what each column means.

Header spellings are data: `aliases/<kind>.csv` lists `field,alias` pairs (English and
Hindi), with `aliases/common.csv` shared by every kind. A new spelling is one line there.
"""

from __future__ import annotations

import csv
import functools
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from samiksha import values

ALIAS_DIR = Path(__file__).with_name("aliases")
KINDS = ("progress", "targets", "gazetteer", "shg", "workers", "worker_output")
ROSTER_FIELDS = ("id_active", "trained", "training_date", "supervisor", "role")
SHG_MEASURES = ("last_meeting", "savings", "members", "formation_date", "last_saving_date", "overdue")
HEADER_SCAN_ROWS = 30

# What a file of each kind must have for its header row to be recognised.
PLACE_FIELDS = ("block", "panchayat", "block_code", "panchayat_code", "district")
_DATE_LIKE = re.compile(
    r"^\D{0,12}[0-9०-९]{1,4}[./ -]([0-9०-९]{1,2}|[a-z]{3,9})([./ -]+[0-9०-९]{2,4})?$", re.IGNORECASE)


def normalise(text: str | None) -> str:
    """Header text folded for comparison: case, punctuation, spacing, Unicode form."""
    if not text:
        return ""
    text = unicodedata.normalize("NFC", str(text)).casefold()
    text = text.replace("\u200c", "").replace("\u200d", "")
    text = re.sub(r"['’`.]", "", text).replace("_", " ")
    text = text.replace("&", " and ")
    text = re.sub(r"[^\w%\u0900-\u097f]+", " ", text)
    return " ".join(text.split())


@functools.cache
def aliases(kind: str) -> dict[str, str]:
    """{normalised alias: field} for a kind: its own file first, then the common one."""
    table: dict[str, str] = {}
    for name in (kind, "common"):
        with (ALIAS_DIR / f"{name}.csv").open(encoding="utf-8") as fh:
            for row in csv.DictReader(fh):
                table.setdefault(normalise(row["alias"]), row["field"])
    return table


def field_for(header: str | None, kind: str) -> str | None:
    """The field a header names, trying it whole and then without bracketed notes."""
    if not header:
        return None
    table = aliases(kind)
    key = normalise(header)
    if key in table:
        return table[key]
    unbracketed = normalise(re.sub(r"\(.*?\)|\[.*?\]", " ", header))
    return table.get(unbracketed)


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
    rows_used: int  # 1, or 2 when a second header line splits a merged group
    labels: list[str | None]
    fields: dict[str, int] = field(default_factory=dict)  # field -> column index
    date_columns: dict[int, object] = field(default_factory=dict)  # column -> date
    ignored: list[str] = field(default_factory=list)
    repeated: list[tuple[str, str]] = field(default_factory=list)  # (header, field)


def map_columns(labels: list[str | None], kind: str, default_year: int | None = None) -> Header:
    header = Header(0, 1, labels)
    for index, label in enumerate(labels):
        if not label:
            continue
        name = field_for(label, kind)
        if name is None and kind == "progress":
            day = date_header(label, default_year)
            if day is not None:
                header.date_columns[index] = day
                continue
        if name is None:
            header.ignored.append(label)
        elif name in header.fields:
            header.repeated.append((label, name))
        else:
            header.fields[name] = index
    return header


def _score(header: Header) -> int:
    return len(header.fields) + (2 if len(header.date_columns) >= 2 else 0)


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


def find_header(head: list[list[str | None]], kind: str, default_year: int | None = None) -> Header | None:
    """The best header row among the first rows, or None when nothing is recognisable."""
    best: Header | None = None
    for index, row in enumerate(head[:HEADER_SCAN_ROWS]):
        if sum(1 for v in row if v) < 2:
            continue
        candidate = map_columns(row, kind, default_year)
        candidate.row_index = index
        if index + 1 < len(head) and _is_subheader(head[index + 1]):
            # Two header lines only when the upper one adds meaning to the lower one (a group
            # label such as "उपलब्धि" or a date); a title split over cells adds none.
            two = _map_two_lines(row, head[index + 1], kind, default_year)
            lower_alone = map_columns(head[index + 1], kind, default_year)
            # (equal scores with the same fields: the lower row adds no meaning, it is data,
            # e.g. a roster's first worker "A7 | Sunita | ASHA | Yes")
            adds = _score(two) > _score(candidate) or (_score(two) == _score(candidate)
                                                        and (two.fields, two.date_columns) != (candidate.fields, candidate.date_columns))
            if adds and _score(two) > _score(lower_alone):
                two.row_index, two.rows_used = index, 2
                candidate = two
        if best is None or _score(candidate) > _score(best):
            best = candidate
    if best is None or _score(best) < 2:
        return None
    return best


def _map_two_lines(top, below, kind, default_year) -> Header:
    """Per column: the lower label when it names a field, else 'upper lower', else upper.

    Under a date in the upper line (a camp report with "लक्ष्य | उपलब्धि" for each day), the
    achievement column is that day's figure and the day's own target is not used.
    """
    labels, days, ignored = [], {}, []
    group = None
    for index, (upper, lower) in enumerate(zip(top, below, strict=False)):
        group = upper or group
        day = date_header(group, default_year) if kind == "progress" and lower else None
        if day is not None:
            named = field_for(lower, kind)
            if named in ("achieved", "achieved_today"):
                days[index] = day
            else:
                ignored.append(f"{group} {lower}")
            labels.append(None)
            continue
        tries = [lower, f"{group} {lower}", f"{lower} {group}"] if lower else []
        named = [label for label in tries if field_for(label, kind)]
        labels.append(named[0] if named else (upper or lower))
    header = map_columns(labels, kind, default_year)
    for index, day in days.items():
        header.labels[index] = f"{day.strftime('%d-%m-%Y')} {below[index]}"
        header.date_columns[index] = day
    header.ignored += ignored
    return header


def detect_kind(head: list[list[str | None]], default_year: int | None = None) -> str | None:
    """The kind whose headers fit best: progress, targets, gazetteer, an SHG register, a workers
    roster or workers' output."""
    scores = {}
    for kind in KINDS:
        header = find_header(head, kind, default_year)
        if header is None:
            continue
        fields = header.fields
        has_place = any(f in fields for f in PLACE_FIELDS)
        if kind == "progress" and has_place and (
            "achieved" in fields or "achieved_today" in fields or len(header.date_columns) >= 2
        ):
            scores[kind] = _score(header) + 1
        elif kind == "targets" and has_place and "target" in fields and "deadline" in fields or kind == "shg" and "shg_code" in fields and any(f in fields for f in SHG_MEASURES) or kind == "workers" and "worker_id" in fields and has_place and any(f in fields for f in ROSTER_FIELDS) or kind == "worker_output" and "worker_id" in fields and "cards" in fields:
            scores[kind] = _score(header) + 2
        elif kind == "gazetteer" and any(f.endswith("_code") for f in fields) and any(
            f.endswith("_name") for f in fields
        ):
            scores[kind] = _score(header)
    if not scores:
        return None
    return max(scores, key=scores.get)
