"""What the operator said columns mean, remembered in the store for later files.

A reading given on the Upload page (the column table) is remembered for the file's layout and
column and for the header's text; one given with `--column "HEADER=field"` for the header's
text. The next file of the same layout (tomorrow's report from the same block) or with the
same header reads that way with no question. `python -m samiksha columns` lists them and
`--forget ID` removes one.
"""

from __future__ import annotations

from dataclasses import dataclass

from samiksha import fmt, headers, store

TABLE = "column_readings"
NOT_USED = "-"  # what a person writes for "this column is not used" (--column "Remarks=-")


@dataclass(frozen=True)
class Given:
    """A reading said for this file: by column (the page) or by header text (--column)."""

    field: str | None  # None: not used
    column: int | None = None
    header: str | None = None


def _exists(con) -> bool:
    return bool(store.scalar(con, "SELECT count(*) FROM duckdb_tables() WHERE table_name = ?", [TABLE]))


def remembered(con, given: list[Given] | tuple = ()) -> dict:
    """The readings to apply (headers.find_header's `remembered`): the store's, then those given
    for this file, which win. {("layout", key): {column: Reading}, ("header", kind, key): Reading}
    with kind "*" for a header given for any kind."""
    found: dict = {}
    if con is not None and _exists(con):
        rows = con.execute("SELECT kind, scope, layout, column_index, header_key, field FROM column_readings "
                           "ORDER BY reading_id").fetchall()
        for kind, scope, layout, column, key, field in rows:
            said = headers.Reading(field, "remembered")
            if scope == "layout":
                found.setdefault(("layout", layout), {})[column] = said
            else:
                found[("header", kind, key)] = said
    for item in given:
        said = headers.Reading(item.field, "given")
        if item.column is not None:
            found.setdefault(("given_column",), {})[item.column] = said
        if item.header is not None:
            found[("header", "*", headers.header_key(item.header))] = said
    return found


def save(con, kind: str, header: headers.Header, given: list[Given], source: str) -> int:
    """Remember what was said of this file's columns: by the layout and column (when said by
    column) and by the header's text. Returns how many were saved."""
    now = fmt.now_ist()
    saved = 0
    for item in given:
        if item.column is not None and item.column < len(header.labels) and header.labels[item.column]:
            text = header.labels[item.column]
            con.execute("INSERT INTO column_readings (kind, scope, layout, column_index, header, header_key, field, "
                        "saved_at, source) VALUES (?, 'layout', ?, ?, ?, ?, ?, ?, ?)",
                        [kind, header.layout, item.column, text, headers.header_key(text), item.field, now, source])
            saved += 1
        text = item.header if item.header is not None else (
            header.labels[item.column] if item.column is not None and item.column < len(header.labels) else None)
        if text:
            con.execute("INSERT INTO column_readings (kind, scope, layout, column_index, header, header_key, field, "
                        "saved_at, source) VALUES (?, 'header', NULL, NULL, ?, ?, ?, ?, ?)",
                        [kind, text, headers.header_key(text), item.field, now, source])
            saved += 1
    return saved


def listed(con) -> list[dict]:
    """The remembered readings that stand (the latest for each layout column and header), newest first."""
    if not _exists(con):
        return []
    return store.records(con, """
        SELECT reading_id, kind, scope, header, field, saved_at, source, layout, column_index FROM column_readings
        QUALIFY row_number() OVER (PARTITION BY kind, scope, coalesce(layout, ''), coalesce(column_index, -1),
                                   header_key ORDER BY reading_id DESC) = 1
        ORDER BY reading_id DESC""")


def forget(con, reading_id: int) -> bool:
    """Remove a remembered reading (and the older ones it stood for)."""
    row = store.records(con, "SELECT kind, scope, layout, column_index, header_key FROM column_readings "
                             "WHERE reading_id = ?", [reading_id])
    if not row:
        return False
    r = row[0]
    with store.transaction(con):
        con.execute("DELETE FROM column_readings WHERE kind = ? AND scope = ? AND coalesce(layout, '') = ? "
                    "AND coalesce(column_index, -1) = ? AND header_key = ?",
                    [r["kind"], r["scope"], r["layout"] or "", r["column_index"] if r["column_index"] is not None
                     else -1, r["header_key"]])
    return True
