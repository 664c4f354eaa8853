"""Targets files: each block's (or panchayat's, or the district's own) target for an indicator,
with its start and deadline."""

from __future__ import annotations

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
TOLERATED = frozenset({"CARD", "AYUSHMAN", "INSURANCE", "SHG", "LINKAGE", "CAMP", "AMOUNT", "MEMBER"})
