"""Indicators (what a campaign counts): their keys, display names and spellings.

Kept as data in `aliases/indicators.csv`; a name not listed there becomes a new indicator
key of its own (lower case, underscores), so any campaign can be tracked.
"""

from __future__ import annotations

import csv
import functools
import re

from samiksha.headers import ALIAS_DIR, normalise


@functools.cache
def known() -> dict[str, dict]:
    with (ALIAS_DIR / "indicators.csv").open(encoding="utf-8") as fh:
        return {row["indicator"]: row for row in csv.DictReader(fh)}


@functools.cache
def alias_table() -> list[tuple[str, str]]:
    """(normalised alias, key), longest first so 'ayushman card' wins over 'ayushman'."""
    pairs = []
    for key, row in known().items():
        for alias in [key, row["name_en"], row["name_hi"], *row["aliases"].split("|")]:
            pairs.append((normalise(alias), key))
    return sorted(set(pairs), key=lambda pair: -len(pair[0]))


def key_for(name: str) -> str:
    """The indicator key for a name as given (--indicator, a column, a title)."""
    text = normalise(name)
    for alias, key in alias_table():
        if text == alias:
            return key
    return re.sub(r"\s+", "_", text) or "indicator"


def found_in(text: str) -> list[str]:
    """Indicator keys whose names appear in free text such as a title row."""
    folded = f" {normalise(text)} "
    found = []
    for alias, key in alias_table():
        if alias and f" {alias} " in folded and key not in found:
            found.append(key)
            folded = folded.replace(f" {alias} ", " ")
    return found


def another_scheme(text: str) -> str | None:
    """The words of a title that name a scheme of their own around a known indicator's name:
    "Ayushman Vay Vandana card" holds the words of "Ayushman card" with others between them,
    so it is not Ayushman cards (a report of it read as that would add its figures to the
    wrong series). None when no known name is broken up so."""
    from samiksha.reading import CONCEPTS, NOISE

    known_words = {w for phrases in CONCEPTS.values() for phrase in phrases for w in normalise(phrase).split()}
    words = normalise(text).split()
    own_words: dict[str, set] = {}
    for alias, key in alias_table():
        own_words.setdefault(key, set()).update(alias.split())
    for alias, key in alias_table():
        parts = alias.split()
        if len(parts) < 2:
            continue
        first, last = parts[0], parts[-1]
        for start, word in enumerate(words):
            if word != first:
                continue
            for end in range(start + 2, min(start + len(parts) + 3, len(words))):
                if words[end] != last:
                    continue
                inside = words[start + 1:end]
                extra = [w for w in inside if w not in own_words[key]]  # "Ayushman Bharat card" is one
                if extra and all(not w.isdigit() and w not in NOISE and w not in known_words for w in extra):
                    return " ".join(words[start:end + 1])
    return None


def display_name(key: str, lang: str = "en") -> str:
    row = known().get(key)
    if row is None:
        return key.replace("_", " ").capitalize()
    return row["name_hi"] if lang == "hi" else row["name_en"]
