"""Gazetteers: the district's list of places with LGD codes and Hindi names (and LGD downloads)."""

from __future__ import annotations

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
