"""The fields every kind of report may have (the places a row is about, a serial number), and
how a one-row-per-record kind stores its rows and finds the uploads it replaces."""

from __future__ import annotations

from samiksha import store
from samiksha.reading import Field

SERIAL = Field("serial", "count", words=(("SERIAL",),), not_words=("CODE", "ID"))
DISTRICT = Field("district", "name", words=(("DISTRICT",),), not_words=("CODE", "ID", "OFFICER", "FACILITY"))
DISTRICT_CODE = Field("district_code", "code", words=(("DISTRICT", "CODE"), ("DISTRICT", "ID")),
                      not_words=("BLOCK",))
BLOCK = Field("block", "name", words=(("BLOCK",),),
              not_words=("CODE", "ID", "OFFICER", "FACILITY", "VERSION", "DISTRICT", "MOBILE", "SIGN"))
BLOCK_CODE = Field("block_code", "code", words=(("BLOCK", "CODE"), ("BLOCK", "ID")),
                   weak=(("SUBDISTRICT", "CODE"),), not_words=("DISTRICT", "VERSION"))
PANCHAYAT = Field("panchayat", "name", words=(("PANCHAYAT",),),
                  not_words=("CODE", "ID", "OFFICER", "SIGN", "VERSION", "MOBILE", "TARGET", "ROLE"))
PANCHAYAT_CODE = Field("panchayat_code", "code", words=(("PANCHAYAT", "CODE"), ("PANCHAYAT", "ID")),
                       not_words=("VERSION", "ROLE", "DISTRICT", "BLOCK", "CENSUS", "PARENT"))
VILLAGE = Field("village", "name", words=(("VILLAGE",),),
                not_words=("CODE", "ID", "VO", "STATUS", "VERSION", "PANCHAYAT"))

PLACES = (SERIAL, DISTRICT, DISTRICT_CODE, BLOCK, BLOCK_CODE, PANCHAYAT, PANCHAYAT_CODE, VILLAGE)
PLACE_FIELDS = ("block", "panchayat", "block_code", "panchayat_code", "district")


def has_place(fields) -> bool:
    return any(f in fields for f in ("block", "panchayat", "block_code", "panchayat_code"))


# ---------------------------------------------------------------- storing (one row per record)

def insert_by_name(con, table: str, staged, upload_id: int) -> None:
    """The staged rows into the kind's store table, column by column name."""
    con.execute(f"INSERT INTO {table} BY NAME SELECT ? AS upload_id, * FROM {staged.table}", [upload_id])


def replaced_by_key(con, table: str, staged, keys: tuple[str, ...]) -> list[dict]:
    """Earlier uploads with rows of the same key (an SHG and register date, a worker and day)
    as the staged rows: those rows are replaced by this file's."""
    on = " AND ".join(f"s.{k} = r.{k}" for k in keys)
    return store.records(con, f"""
        SELECT r.upload_id, any_value(u.file_name) AS file_name, count(*) AS rows
        FROM {table} r JOIN uploads u USING (upload_id)
        JOIN {staged.table} s ON {on}
        WHERE u.status = 'stored' GROUP BY r.upload_id ORDER BY r.upload_id""")


def bad_yes_no(typed: str, column_key: str, name: str, severity: str | None = None) -> str:
    """SQL: the rows of `typed` whose `name` cell holds text that is neither yes nor no, as
    (row_number, column key, the text[, severity], 'bad_yes_no'), for a kind's row checks."""
    shown = f"'{severity}', " if severity else ""
    return (f"SELECT row_number, {column_key}, {name}_raw, {shown}'bad_yes_no' FROM {typed} "
            f"WHERE {name} IS NULL AND NOT sk_is_blank({name}_raw)")
