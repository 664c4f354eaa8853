"""Gazetteers: the district's list of places with LGD codes and Hindi names (and LGD downloads).
Its fields, how a list is read (one row per code and level; a code with two spellings is a
warning; LGD's capitals made readable) and stored."""

from __future__ import annotations

from samiksha import intake, places
from samiksha.errors import REJECTED, WARNING, IntakeError, Issue
from samiksha.kinds import common
from samiksha.reading import Field, Reading, words_of

NAME = "gazetteer"
_CODES = ("CODE", "ID")


def _level(level: str, concept: str, also: tuple = ()) -> tuple[Field, ...]:
    others = tuple(c for c in ("STATE", "DISTRICT", "SUBDISTRICT", "BLOCK", "PANCHAYAT", "VILLAGE") if c != concept)
    others = tuple(c for c in others if c not in also)
    return (
        Field(f"{level}_code", "code", words=((concept, "CODE"),), weak=tuple((c, "CODE") for c in also),
              not_words=others + ("VERSION", "ROLE", "CENSUS", "PARENT")),
        Field(f"{level}_name", "name_en", words=((concept,), (concept, "NAME"), (concept, "ENGLISH")),
              weak=tuple((c,) for c in also),
              not_words=others + _CODES + ("LOCAL", "VERSION", "ROLE", "STATUS")),
        Field(f"{level}_name_hi", "name_hi", words=((concept, "LOCAL"), (concept, "NAME", "LOCAL")),
              weak=((concept,), (concept, "NAME")) + tuple((c, "LOCAL") for c in also),
              not_words=others + _CODES + ("ENGLISH", "VERSION")),
    )


FIELDS = (
    common.SERIAL,
    Field("state_code", "code", words=(("STATE", "CODE"),), not_words=("DISTRICT", "BLOCK", "VILLAGE")),
    Field("state_name", "name", words=(("STATE",), ("STATE", "NAME")), not_words=_CODES + ("DISTRICT", "BLOCK")),
    *_level("district", "DISTRICT"),
    *_level("block", "BLOCK", also=("SUBDISTRICT",)),
    *_level("panchayat", "PANCHAYAT"),
    *_level("village", "VILLAGE"),
)
TOLERATED = frozenset({"ENGLISH"})


def resolve(reading: Reading, profiles: dict) -> None:
    """An LGD list of sub-districts (no block columns at all) names the blocks by their
    sub-district: its code and names stand for the block's (in Bihar and Jharkhand a block
    and its sub-district share the LGD lists' names)."""
    if any("BLOCK" in words_of(c.label, None).concepts for c in reading.columns if c.label):
        return
    for col in reading.columns:
        if col.field in ("block_code", "block_name", "block_name_hi") and not col.sure:
            col.sure = True


def needs(fields, days) -> bool:
    return any(f.endswith("_code") for f in fields) and any(f.endswith("_name") for f in fields)


DETECT_BONUS = 0.0



GAZETTEER_LEVELS = (
    ("state", "state_code", "state_name", None, None),
    ("district", "district_code", "district_name", "district_name_hi", "state_code"),
    ("block", "block_code", "block_name", "block_name_hi", "district_code"),
    ("panchayat", "panchayat_code", "panchayat_name", "panchayat_name_hi", "block_code"),
    ("village", "village_code", "village_name", "village_name_hi", "panchayat_code"),
)


def _code_expr(cell: str) -> str:
    return f"regexp_replace(sk_digits(sk_text({cell})), '\\.0+$', '')"


def stage(con, staged: intake.Staged, matcher: places.Matcher, district_code, given=None, if_missing=None,
          indicator=None) -> None:
    """Read the places: each level whose code and name columns are there, one row per code."""
    header = staged.header
    raw = intake.raw_rows(con, staged)
    parts, checks = [], []
    for level, code, name, name_hi, parent in GAZETTEER_LEVELS:
        if code not in header.fields or name not in header.fields:
            if (code in header.fields) != (name in header.fields) and level != "state":
                staged.read_notes.append(Issue(WARNING, "gazetteer_level_incomplete", {"level": level}))
            continue
        parent_expr = _code_expr(intake.cell(header, parent)) if parent and parent in header.fields else "NULL"
        hi = f"sk_text({intake.cell(header, name_hi)})" if name_hi and name_hi in header.fields else "NULL"
        parts.append(f"SELECT row_number, '{level}' AS level, {_code_expr(intake.cell(header, code))} AS code, "
                     f"sk_text({intake.cell(header, name)}) AS name, {hi} AS name_hi, {parent_expr} AS parent_code "
                     f"FROM {raw} WHERE NOT is_total AND NOT is_header_again")
        checks.append(f"SELECT row_number, NULL, 'col:{header.fields[code]}', "
                      f"CAST({intake.cell(header, code)} AS VARCHAR), 'bad_code' FROM {raw} "
                      f"WHERE NOT is_total AND NOT is_header_again AND sk_text({intake.cell(header, name)}) IS NOT NULL "
                      f"AND NOT regexp_full_match(coalesce({_code_expr(intake.cell(header, code))}, ''), '\\d+')")
    if not parts:
        raise IntakeError("missing_columns", expected="gazetteer")
    con.execute(f"""
        CREATE TEMP TABLE {staged.issues_table} AS
        SELECT row_number, date_cell, column_name, value, '{REJECTED}' AS severity, code, NULL::JSON AS params
        FROM ({" UNION ALL ".join(checks)}) AS found(row_number, date_cell, column_name, value, code)
    """)
    con.execute(f"""
        CREATE TEMP TABLE {staged.table}_rows AS
        SELECT * FROM ({" UNION ALL ".join(parts)})
        WHERE regexp_full_match(coalesce(code, ''), '\\d+') AND name IS NOT NULL
    """)
    con.execute(f"""
        CREATE TEMP TABLE {staged.table} AS
        SELECT level, code, any_value(name ORDER BY row_number) AS name,
            any_value(name_hi ORDER BY row_number) AS name_hi,
            any_value(parent_code ORDER BY row_number) AS parent_code,
            min(row_number) AS row_number, count(DISTINCT name) AS spellings
        FROM {staged.table}_rows GROUP BY level, code
    """)
    con.execute(f"""
        INSERT INTO {staged.issues_table}
        SELECT row_number, NULL, level, code, '{WARNING}', 'code_two_names', json_object('level', level, 'name', name)
        FROM {staged.table} WHERE spellings > 1
    """)
    # LGD lists are in capitals: 'BARURAJ (MOTIPUR)' -> 'Baruraj (Motipur)' (Hindi untouched).
    shouting = con.execute(f"SELECT DISTINCT name FROM {staged.table} "
                           f"WHERE upper(name) = name OR lower(name) = name").fetchall()
    if shouting:
        intake.register_rows(con, staged.table + "_names", ["written", "tidy"],
                  [(name, places.tidy(name)) for (name,) in shouting])
        con.execute(f"UPDATE {staged.table} t SET name = n.tidy FROM {staged.table}_names n "
                    f"WHERE t.name = n.written")


# ---------------------------------------------------------------- storing

TABLE = "places"
REMATCH_AFTER = True  # names stored before the gazetteer came are matched again
ROWS = "_rows"  # its rows are counted before one row per code is kept


def store_rows(con, staged: intake.Staged, upload_id: int) -> None:
    con.execute(f"""INSERT INTO places SELECT ?, level, code, name, name_hi, parent_code
        FROM {staged.table}""", [upload_id])


def replaced(con, staged: intake.Staged) -> list[dict]:
    return []  # the places that stand are the latest upload's, code by code (views.sql)
