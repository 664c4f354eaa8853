"""Named queries: one `.sql` file each under `queries/`, run with bound parameters.

A query file starts with `-- name: NAME` and a comment saying what it answers. Parameters
are written `$name` in the SQL and always bound by DuckDB, never pasted into the text.
A parameter the caller leaves out is bound as NULL (for optional filters).
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from dataclasses import dataclass
from pathlib import Path

from samiksha import indicators, store, values
from samiksha.errors import IntakeError

QUERY_DIR = Path(__file__).resolve().parent.parent / "queries"
DATE_PARAMS = ("as_of", "report_date", "date", "from_date", "to_date")


@dataclass(frozen=True)
class Query:
    name: str
    doc: str
    sql: str
    params: tuple[str, ...]
    optional: tuple[str, ...] = ()  # from a "-- optional: a, b" line; the others are required


@functools.cache
def load(name: str) -> Query:
    path = QUERY_DIR / f"{name}.sql"
    if not re.fullmatch(r"[a-z_][a-z0-9_]*", name) or not path.exists():
        raise IntakeError("no_such_query", name=name, known=", ".join(names()))
    text = path.read_text(encoding="utf-8")
    doc = " ".join(line[2:].strip() for line in text.splitlines()
                   if line.startswith("--") and not line.startswith(("-- name:", "-- optional:")))
    params = tuple(dict.fromkeys(re.findall(r"\$([a-z_][a-z0-9_]*)", _strip_comments(text))))
    optional = re.search(r"^-- optional:(.*)$", text, re.MULTILINE)
    names_optional = tuple(p.strip() for p in optional.group(1).split(",")) if optional else ()
    return Query(name, doc, text, params, names_optional)


def _strip_comments(sql: str) -> str:
    return "\n".join(line.split("--", 1)[0] for line in sql.splitlines())


def names() -> list[str]:
    return sorted(p.stem for p in QUERY_DIR.glob("*.sql"))


def bind(query: Query, given: dict) -> dict:
    """Exactly the parameters the query uses; dates read in any accepted form."""
    unknown = set(given) - set(query.params)
    if unknown:
        raise IntakeError("unknown_query_param", name=query.name, param=", ".join(sorted(unknown)),
                          known=", ".join(query.params))
    bound = {}
    for param in query.params:
        value = given.get(param)
        if param == "indicator" and isinstance(value, str) and value:
            value = indicators.key_for(value)
        if param in DATE_PARAMS and isinstance(value, str) and value:
            try:
                value = values.parse_date(value)
            except ValueError:
                raise IntakeError("bad_query_date", param=param, value=value) from None
        if isinstance(value, dt.date):
            value = value.isoformat()
        bound[param] = value if value != "" else None
    return bound


def missing(query: Query, given: dict) -> list[str]:
    """Required parameters not given (the CLI refuses to run without them)."""
    return [p for p in query.params if p not in query.optional and given.get(p) in (None, "")]


def _refresh(con, query: Query) -> None:
    """Work out again what the query reads, if its stored rows changed: the series, for the SHG
    queries the registers that stand, and for the workers' queries their output."""
    store.refresh_series(con)
    if "shg_" in query.sql:
        store.refresh_shg(con)
    if "worker_" in query.sql:
        store.refresh_worker_output(con)


def run(con, name: str, **params):
    """The named query's result as a pandas DataFrame."""
    query = load(name)
    bound = bind(query, params)
    _refresh(con, query)
    _check_district(con, bound)
    return con.execute(query.sql, bound).df()


def run_rows(con, name: str, **params) -> tuple[list[str], list[tuple]]:
    query = load(name)
    bound = bind(query, params)
    _refresh(con, query)
    _check_district(con, bound)
    cursor = con.execute(query.sql, bound)
    columns = [d[0] for d in cursor.description]
    return columns, cursor.fetchall()


def _check_district(con, bound: dict) -> None:
    if bound.get("district") is not None:
        check_district(con, bound["district"])


def check_district(con, district) -> None:
    """A district the store does not know is refused (an empty answer would look like no work)."""
    if not con.execute("SELECT count(*) FROM named_district($d)", {"d": str(district)}).fetchall()[0][0]:
        raise IntakeError("unknown_district", district=district,
                          known=", ".join(f"{name} ({code})" for code, name, _ in districts(con)) or "—")


def district_blocks(con, district: str | None) -> set[str] | None:
    """The names of a district's blocks in the gazetteer (None: no district picked)."""
    if district is None:
        return None
    rows = con.execute("SELECT name FROM places_current WHERE level = 'block' AND parent_code IN "
                       "(SELECT code FROM named_district($d))", {"d": str(district)}).fetchall()
    return {name for (name,) in rows}


def districts(con) -> list[tuple[str, str, str]]:
    """The districts of the gazetteer that stands: (code, name, Hindi name), by name."""
    return con.execute("SELECT code, name, coalesce(nullif(name_hi, ''), name) FROM places_current "
                       "WHERE level = 'district' ORDER BY name, code").fetchall()


def latest_date(con, indicator: str | None = None):
    """The latest report date with data (for one indicator, or any)."""
    store.refresh_series(con)
    rows = con.execute("SELECT max(report_date) FROM progress_series "
                       "WHERE $indicator IS NULL OR indicator = $indicator",
                       {"indicator": indicator}).fetchall()
    return rows[0][0] if rows else None


def report_dates(con, indicator: str) -> list:
    """The dates with reports of an indicator, latest first."""
    store.refresh_series(con)
    rows = con.execute("SELECT DISTINCT report_date FROM progress_series WHERE indicator = $indicator "
                       "ORDER BY 1 DESC", {"indicator": indicator}).fetchall()
    return [r[0] for r in rows]


def place_labels(con, lang: str) -> tuple[dict, dict]:
    """Names to show for blocks ({block: label}) and panchayats ({(block, panchayat): label}):
    the gazetteer's Hindi name in Hindi, else the name as stored."""
    if lang != "hi":
        return {}, {}
    blocks = dict(con.execute("SELECT name, name_hi FROM places_current WHERE level = 'block' "
                              "AND name_hi IS NOT NULL AND name_hi <> ''").fetchall())
    # A list with no Hindi names (the built-in LGD lists): the Hindi spelling the block offices
    # write, from reports matched to that block for sure (not by a close spelling).
    written = con.execute(r"""
        SELECT p.name, arg_max(m.written, m.rows) FROM places_current p
        JOIN place_matches m ON m.level = 'block' AND m.code = p.code AND m.how IN ('exact', 'confirmed')
        JOIN uploads u ON u.upload_id = m.upload_id AND u.status = 'stored'
        WHERE p.level = 'block' AND coalesce(p.name_hi, '') = '' AND regexp_matches(m.written, '\p{Devanagari}')
        GROUP BY p.name""").fetchall()
    blocks.update({name: label for name, label in written if name not in blocks})
    rows = con.execute("SELECT b.name, p.name, p.name_hi FROM places_current p JOIN places_current b "
                       "ON b.level = 'block' AND p.parent_code = b.code WHERE p.level = 'panchayat' "
                       "AND p.name_hi IS NOT NULL AND p.name_hi <> ''").fetchall()
    return blocks, {(block, name): label for block, name, label in rows}


def labelled(frame, labels: tuple[dict, dict]):
    """The frame with block and panchayat names as the reader knows them (`place_labels`);
    a name without a label stays as written."""
    blocks, panchayats = labels
    if not blocks and not panchayats:
        return frame
    shown = frame.copy()
    if "panchayat" in shown and "block" in shown:
        shown["panchayat"] = [panchayats.get((b, p), p) for b, p in zip(shown["block"], shown["panchayat"], strict=True)]
    if "block" in shown:
        shown["block"] = [blocks.get(b, b) for b in shown["block"]]
    return shown


def campaign_start(con, indicator: str):
    """The campaign's start date from the targets file, if it gives one."""
    rows = con.execute("SELECT min(start_date) FROM targets_current WHERE indicator = $indicator",
                       {"indicator": indicator}).fetchall()
    return rows[0][0] if rows else None


def indicators_with_data(con) -> list[str]:
    store.refresh_series(con)
    rows = con.execute("SELECT DISTINCT indicator FROM progress_series UNION "
                       "SELECT DISTINCT indicator FROM targets_current ORDER BY 1").fetchall()
    return [r[0] for r in rows]
