"""Targets files: each block's (or panchayat's, or the district's own) target for an indicator,
with its start and deadline."""

from __future__ import annotations

from samiksha import intake, places
from samiksha.kinds import common
from samiksha.reading import Field

NAME = "targets"
FIELDS = (
    *common.PLACES,
    Field("indicator", "name", words=(("INDICATOR",),), not_words=("TARGET", "CODE")),
    Field("target", "number", words=(("TARGET",),), weak=(("ELIGIBLE",),),
          not_words=("PERCENT", "DEADLINE", "DATE", "ACHIEVE", "REMAINING", "START"), measure=True, repeats=True),
    Field("start_date", "date", words=(("START",), ("START", "DATE")), not_words=("DEADLINE",)),
    Field("deadline", "date", words=(("DEADLINE",), ("UNTIL",), ("CAMP", "UNTIL"), ("TARGET", "DATE")),
          not_words=("START",)),
)
TOLERATED = frozenset({"CARD", "AYUSHMAN", "INSURANCE", "SHG", "LINKAGE", "CREDIT", "CAMP", "AMOUNT", "MEMBER"})


def needs(fields, days) -> bool:
    """A target, and the place it is of (a row naming no place is the district's own)."""
    return "target" in fields and (common.has_place(fields) or "district" in fields)


DETECT_BONUS = 0.0


def detectable(fields) -> bool:
    """A file is taken for a targets file unasked when it says the deadline or start too (a
    "Block | Target" sheet may be the first columns of a progress report)."""
    return "deadline" in fields or "start_date" in fields


def stage(con, staged: intake.Staged, matcher: places.Matcher, district_code, given=None, if_missing=None,
          indicator=None) -> None:
    """The indicator and date (given, else the title's or the file name's), then the figures."""
    intake.file_metadata(staged, indicator, given, if_missing)
    intake.stage_measures(con, staged, matcher, district_code)


# ---------------------------------------------------------------- storing

TABLE = "targets"
NAMED_PLACES = True


def store_rows(con, staged: intake.Staged, upload_id: int) -> None:
    con.execute(f"""INSERT INTO targets SELECT ?, row_number, indicator,
        CASE WHEN district_level THEN NULL ELSE block END, block_code, block_written,
        panchayat, panchayat_code, panchayat_written, target, start_date, deadline
        FROM {staged.table}""", [upload_id])


def replaced(con, staged: intake.Staged) -> list[dict]:
    return []  # the targets that stand are the latest upload's, place by place (views.sql)
