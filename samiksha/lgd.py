"""The built-in gazetteer: the Local Government Directory's lists of India's states, districts,
blocks and sub-districts (samiksha/lgd_data/, a snapshot of December 2022; English names only).

The operator picks the state and the district once (first start, or Settings): that district's
places are then stored as an upload of their own (source 'lgd'), so reports match its blocks
with no upload, and every page, command and rematch reads them like any gazetteer. A user's own
list adds to them and wins (views.sql: places_current). Sub-districts are kept as a level of
their own: boundary files from NIC and the Census are keyed by sub-district codes, which in
Bihar are another list than the block codes.

Source and licence: "Local Government Directory, Ministry of Panchayati Raj, Government of
India — Government Open Data License – India" (lgd_data/LICENSE-GODL-India.txt).
"""

from __future__ import annotations

import csv
import datetime as dt
import functools
import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

from samiksha import fmt, places, store

DATA = Path(__file__).with_name("lgd_data")
SOURCE = "lgd"  # uploads.source of the built-in lists
ATTRIBUTION = ("Local Government Directory, Ministry of Panchayati Raj, Government of India — "
               "Government Open Data License – India")
SNAPSHOT = dt.date(2022, 12, 1)


@dataclass(frozen=True)
class Unit:
    """One place of the LGD lists: its level, LGD code, name (as people write it, not in
    capitals) and the code of the place it lies in (a district's state, a block's district)."""

    level: str
    code: str
    name: str
    parent_code: str | None = None


def _rows(file_name: str) -> list[list[str]]:
    with (DATA / file_name).open(encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.reader(fh))
    return rows[1:]


def _name(text: str) -> str:
    return places.tidy(text.strip())


@functools.cache
def states() -> tuple[Unit, ...]:
    """Every state and UT, by name."""
    found = {row[1]: Unit("state", row[1], _name(row[3])) for row in _rows("lgd_1-state.csv") if row[1]}
    return tuple(sorted(found.values(), key=lambda u: u.name))


@functools.cache
def districts() -> tuple[Unit, ...]:
    """Every district, by state then name."""
    found = {row[2]: Unit("district", row[2], _name(row[3]), row[0]) for row in _rows("lgd_2-district.csv") if row[2]}
    names = {u.code: u.name for u in states()}
    return tuple(sorted(found.values(), key=lambda u: (names.get(u.parent_code, ""), u.name)))


@functools.cache
def _by_code() -> dict[tuple[str, str], Unit]:
    return {(u.level, u.code): u for u in (*states(), *districts())}


def state_name(code: str | None) -> str:
    unit = _by_code().get(("state", str(code))) if code else None
    return unit.name if unit else ""


def district(code: str | None) -> Unit | None:
    return _by_code().get(("district", str(code))) if code else None


def districts_of(state_code: str) -> list[Unit]:
    return [u for u in districts() if u.parent_code == str(state_code)]


@functools.cache
def _blocks() -> dict[str, tuple[Unit, ...]]:
    found: dict[str, dict[str, Unit]] = {}
    for row in _rows("lgd_blocks.csv"):
        if len(row) > 7 and row[5]:
            found.setdefault(row[3], {})[row[5]] = Unit("block", row[5], _name(row[7]), row[3])
    return {d: tuple(sorted(units.values(), key=lambda u: u.name)) for d, units in found.items()}


@functools.cache
def _subdistricts() -> dict[str, tuple[Unit, ...]]:
    found: dict[str, dict[str, Unit]] = {}
    for row in _rows("lgd_3-subdistrict.csv"):
        if len(row) > 7 and row[5]:
            found.setdefault(row[3], {})[row[5]] = Unit("subdistrict", row[5], _name(row[7]), row[3])
    return {d: tuple(sorted(units.values(), key=lambda u: u.name)) for d, units in found.items()}


def blocks_of(district_code: str) -> tuple[Unit, ...]:
    return _blocks().get(str(district_code), ())


def subdistricts_of(district_code: str) -> tuple[Unit, ...]:
    return _subdistricts().get(str(district_code), ())


@functools.cache
def _district_matcher() -> places.Matcher:
    return places.Matcher([places.Place("district", u.code, u.name, None, u.parent_code) for u in districts()])


def find_districts(text: str, state_code: str | None = None, limit: int = 10) -> list[Unit]:
    """Districts for what the operator typed, in English or Hindi ("muzaf", "मुजफ्फरपुर",
    "Purnea"): names that start with it or hold it first, then the one the place matching reads
    it as (spelling variants, Devanagari read in Latin letters)."""
    typed = " ".join(str(text or "").split())
    pool = districts_of(state_code) if state_code else list(districts())
    if not typed:
        return pool[:limit]
    key = places.exact_key(typed)
    starts = [u for u in pool if places.exact_key(u.name).startswith(key)]
    inside = [u for u in pool if key in places.exact_key(u.name) and u not in starts]
    found = starts + inside
    match = _district_matcher().match("district", typed, state_code)
    codes = [match.code] if match.code else [code for _, code, _ in match.candidates]
    for code in codes:
        unit = district(code)
        if unit and unit in pool and unit not in found:
            found.append(unit)
    return found[:limit]


def district_label(unit: Unit) -> str:
    """'Muzaffarpur (Bihar)': a district as the picker shows it."""
    return f"{unit.name} ({state_name(unit.parent_code)})"


# ---------------------------------------------------------------- in the store

def installed(con) -> list[dict]:
    """The built-in lists stored, newest first: upload_id, district code and name."""
    return store.records(con, """
        SELECT u.upload_id, p.code, p.name FROM uploads u JOIN places p USING (upload_id)
        WHERE u.source = ? AND u.status = 'stored' AND p.level = 'district'
        ORDER BY u.upload_id DESC""", [SOURCE])


def install(con, district_code: str) -> int:
    """Store the LGD places of one district (the district, its blocks and sub-districts) as an
    upload of source 'lgd', make it the store's district, and match again the names stored
    before. Picking the district already stored changes nothing. Returns the upload's id."""
    unit = district(district_code)
    if unit is None:
        raise KeyError(district_code)
    for done in installed(con):
        if done["code"] == unit.code:
            store.set_setting(con, "district_code", unit.code)
            return done["upload_id"]
    rows = [("district", unit.code, unit.name, None, unit.parent_code),
            *(("block", b.code, b.name, None, b.parent_code) for b in blocks_of(unit.code)),
            *(("subdistrict", s.code, s.name, None, s.parent_code) for s in subdistricts_of(unit.code))]
    body = json.dumps(rows, ensure_ascii=False).encode()
    now = fmt.now_ist()
    file_name = f"LGD: {unit.name}, {state_name(unit.parent_code)}"
    reading = {"source": ATTRIBUTION, "snapshot": SNAPSHOT.isoformat()}
    with store.transaction(con):
        upload_id = store.scalar(con, "SELECT nextval('upload_id_seq')")
        con.execute("INSERT INTO uploads VALUES (?, ?, ?, 'gazetteer', NULL, NULL, NULL, NULL, ?, ?, 0, 0, 'stored', ?, "
                    "NULL, 'lgd', NULL, NULL, ?, ?)",
                    [upload_id, file_name, hashlib.sha256(body).hexdigest(), now, len(rows), now, SOURCE,
                     json.dumps(reading, ensure_ascii=False)])
        con.executemany("INSERT INTO places VALUES (?, ?, ?, ?, ?, ?)", [[upload_id, *row] for row in rows])
        store.set_setting(con, "district_code", unit.code)
    return upload_id


def use(con, district_code: str) -> int:
    """Pick the store's district: its built-in lists stored (once), then every name stored
    before matched again within it, and boundary files waiting for names matched. Returns the
    number of stored rows whose place changed."""
    from samiksha import naming, shapes  # they read the store's gazetteer; this one fills it

    install(con, district_code)
    changed = naming.rematch(con)
    shapes.rematch(con)
    return changed
