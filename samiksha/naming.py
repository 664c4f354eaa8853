"""Place names in the store: the gazetteer that stands as a matcher, the names not yet matched,
a name a person confirms, and matching again what was stored before the gazetteer came.

Used by the intake of every kind (ingest) and of boundary files (shapes); it imports neither.
"""

from __future__ import annotations

from samiksha import fmt, places, store
from samiksha.kinds import registry

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
    written = _written_before(con)  # read once: part of the signature, and of the matcher
    signature += (tuple(written.get("block", ())),)
    if signature not in _MATCHERS:
        if len(_MATCHERS) > 8:
            _MATCHERS.clear()
        _MATCHERS[signature] = _build_matcher(con, written)
    return _MATCHERS[signature]


def _written_before(con) -> dict:
    """With no gazetteer of blocks: the block names stored so far, as written (tidied)."""
    if store.scalar(con, "SELECT count(*) FROM places_current WHERE level = 'block'"):
        return {}
    union = " UNION ".join(f"SELECT DISTINCT block FROM {t} WHERE block IS NOT NULL AND block_code IS NULL"
                           for t in registry.NAMED_PLACE_TABLES)
    return {"block": sorted(row[0] for row in con.execute(union).fetchall())}


def _build_matcher(con, written: dict) -> places.Matcher:
    rows = con.execute("SELECT level, code, name, name_hi, parent_code FROM places_current").fetchall()
    gazetteer = [places.Place(*row) for row in rows]
    confirmed = {
        (level, parent, key): code
        for level, parent, key, code in con.execute(
            "SELECT level, parent_code, written_key, code FROM place_aliases "
            "QUALIFY row_number() OVER (PARTITION BY level, parent_code, written_key "
            "ORDER BY confirmed_at DESC) = 1").fetchall()
    }
    return places.Matcher(gazetteer, confirmed, written)


def has_store(con) -> bool:
    return bool(store.scalar(con, "SELECT count(*) FROM duckdb_tables() WHERE table_name = 'uploads'"))


def district_code(con) -> str | None:
    return store.get_setting(con, "district_code") if has_store(con) else None


# ---------------------------------------------------------------- place names

def unmatched_names(con) -> list[dict]:
    """Names in stored uploads not matched to the gazetteer and not yet confirmed."""
    return store.records(con, """
        SELECT m.level, m.written, m.parent_code, any_value(m.candidates) AS candidates,
            sum(m.rows) AS rows, list(DISTINCT m.upload_id ORDER BY m.upload_id) AS uploads
        FROM place_matches m JOIN uploads u USING (upload_id)
        WHERE u.status = 'stored' AND m.how = 'unmatched'
          AND NOT EXISTS (SELECT 1 FROM place_aliases a WHERE a.level = m.level
                          AND a.parent_code IS NOT DISTINCT FROM m.parent_code AND NOT starts_with(a.code, '!')
                          AND a.written_key = lower(regexp_replace(trim(m.written), '\\s+', ' ', 'g'))
                          AND a.confirmed_at = (SELECT max(b.confirmed_at) FROM place_aliases b
                                                WHERE b.level = a.level AND b.written_key = a.written_key
                                                AND b.parent_code IS NOT DISTINCT FROM a.parent_code))
        GROUP BY m.level, m.written, m.parent_code
        ORDER BY m.level, m.written
    """)




def confirm_name(con, level: str, written: str, parent_code: str | None, code: str) -> int:
    """Remember that `written` means place `code` ('' = keep as written); apply it to stored rows."""
    key = places.exact_key(written)
    place = store.records(con, "SELECT name FROM places_current WHERE level = ? AND code = ?",
                          [level, code]) if code else []
    name = place[0]["name"] if place else places.tidy(written)
    stored_code = code or (places.kept_code(written) if level == "block" else None)
    with store.transaction(con):
        con.execute("INSERT INTO place_aliases VALUES (?, ?, ?, ?, ?, ?)",
                    [level, parent_code, key, written, code, fmt.now_ist()])
        con.execute("UPDATE place_matches SET how = 'confirmed', code = ?, name = ? WHERE level = ? "
                    "AND written = ? AND parent_code IS NOT DISTINCT FROM ? AND how IN ('unmatched', 'fuzzy') "
                    "OR (level = ? AND written = ? AND method = 'later')",
                    [code or None, name, level, written, parent_code, level, written])
        changed = _apply_name(con, level, written, parent_code, name, stored_code, replace=True)
    if level == "block" and code:
        changed += rematch(con)  # its panchayats can now be matched within it
    return changed


def _apply_name(con, level, written, parent_code, name, code, how: str | None = None, replace: bool = False) -> int:
    """Give the stored rows written `written` their place. `how`: matched after the fact (the
    Upload page lists it, method 'later'); `replace`: a person's word, over a match made by
    spelling as well as over no match."""
    if how:
        con.execute("UPDATE place_matches SET how = ?, code = ?, name = ?, method = 'later' WHERE level = ? "
                    "AND written = ? AND how IN ('unmatched', 'written')", [how, code, name, level, written])
    changed = 0
    for table in registry.NAMED_PLACE_TABLES:
        if level == "block":
            fixed = "true" if replace else "block_code IS NULL"
            sql = (f"UPDATE {table} SET block = ?, block_code = ? WHERE block_written = ? AND {fixed}")
            params = [name, code, written]
        else:
            fixed = "true" if replace else "panchayat_code IS NULL"
            sql = (f"UPDATE {table} SET panchayat = ?, panchayat_code = ? WHERE panchayat_written = ? "
                   f"AND {fixed} AND block_code IS NOT DISTINCT FROM ?")
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
    district = district_code(con)
    changed = 0
    tables = registry.NAMED_PLACE_TABLES  # only tables the kinds declare: never text from a file
    blocks = con.execute(" UNION ".join(f"SELECT DISTINCT block_written FROM {t} WHERE block_code IS NULL "
                                        f"AND block_written IS NOT NULL" for t in tables)).fetchall()
    with store.transaction(con):
        for (written,) in blocks:
            match = matcher.match("block", written, district)
            if match.code:
                changed += _apply_name(con, "block", written, None, match.name, match.code, match.how)
        pairs = con.execute(" UNION ".join(
            f"SELECT DISTINCT block_code, panchayat_written FROM {t} WHERE panchayat_code IS NULL "
            f"AND block_code IS NOT NULL AND panchayat_written IS NOT NULL" for t in tables)).fetchall()
        for block_code, written in pairs:
            match = matcher.match("panchayat", written, block_code)
            if match.code:
                changed += _apply_name(con, "panchayat", written, block_code, match.name, match.code,
                                       match.how)
    return changed


def pending(con, indicator: str | None = None, as_of=None, unmatched: list[dict] | None = None) -> dict:
    """The block names not yet matched, held apart from every figure: how many, and (for an
    indicator at a date) what they report as achieved, their last figure on or before it.
    With no gazetteer of blocks nothing is pending: every name counts as written.
    `unmatched`: unmatched_names(con), when the caller has it already."""
    names = [n for n in (unmatched_names(con) if unmatched is None else unmatched) if n["level"] == "block"]
    found = {"names": names, "count": len(names), "achieved": 0}
    if not names or indicator is None or as_of is None:
        return found
    found["achieved"] = store.scalar(con, """
        SELECT coalesce(sum(achieved), 0) FROM (
            SELECT arg_max(cumulative, report_date) AS achieved FROM progress_series
            WHERE indicator = ? AND report_date <= ? AND block_code IS NULL
              AND EXISTS (SELECT 1 FROM places_current WHERE level = 'block')
            GROUP BY block, panchayat, channel, camp_site)""", [indicator, as_of]) or 0
    return found


def reject_match(con, level: str, written: str, parent_code: str | None, code: str) -> int:
    """A person says `written` is not place `code` (a match by spelling, or made after the
    fact): its rows are pending again (held apart from the figures), it is asked on the Upload
    page, and no later file's same name is matched to that place."""
    name = places.tidy(written)
    with store.transaction(con):
        con.execute("INSERT INTO place_aliases VALUES (?, ?, ?, ?, ?, ?)",
                    [level, parent_code, places.exact_key(written), written, places.REJECTED + code, fmt.now_ist()])
        con.execute("UPDATE place_matches SET how = 'unmatched', code = NULL, name = ?, method = 'rejected' "
                    "WHERE level = ? AND written = ? AND code = ?", [name, level, written, code])
        changed = 0
        for table in registry.NAMED_PLACE_TABLES:
            column = "block" if level == "block" else "panchayat"
            changed += con.execute(f"UPDATE {table} SET {column} = ?, {column}_code = NULL "
                                   f"WHERE {column}_written = ? AND {column}_code = ?", [name, written, code]).fetchall()[0][0]
        if changed:
            store.names_changed(con)
    return changed


def to_check(con) -> list[dict]:
    """Names matched by spelling, or matched after the fact (a gazetteer came after the file),
    that no person has confirmed: listed on the Upload page to be confirmed or rejected."""
    return store.records(con, """
        SELECT m.level, m.written, m.parent_code, m.code, any_value(m.name) AS name, any_value(m.how) AS how,
            max(m.score) AS score, bool_or(m.method = 'later') AS later, sum(m.rows) AS rows
        FROM place_matches m JOIN uploads u USING (upload_id)
        WHERE u.status = 'stored' AND m.code IS NOT NULL AND (m.how = 'fuzzy' OR m.method = 'later')
          AND NOT EXISTS (SELECT 1 FROM place_aliases a WHERE a.level = m.level
                          AND a.written_key = lower(regexp_replace(trim(m.written), '\\s+', ' ', 'g')))
        GROUP BY m.level, m.written, m.parent_code, m.code
        ORDER BY m.level, m.written
    """)
