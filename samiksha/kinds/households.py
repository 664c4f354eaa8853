"""Household surveys: one row per household visited door to door."""

from __future__ import annotations

from samiksha.kinds import common
from samiksha.reading import Field

NAME = "households"
FIELDS = (
    *common.PLACES,
    Field("tola", "text", words=(("TOLA",), ("TOLA", "NAME"), ("TOLA", "NUMBER")), not_words=("CODE",)),
    Field("head_name", "name", words=(("HEAD",), ("HEAD", "NAME"), ("HOUSEHOLD", "HEAD")), not_words=("ID",)),
    Field("ration_card", "id", words=(("RATION",), ("RATION", "NUMBER"), ("RATION", "CARD"))),
    Field("social_group", "name", words=(("SOCIAL",),)),
    Field("members", "count", words=(("MEMBER",), ("MEMBER", "NUMBER"), ("MEMBER", "CUMULATIVE"),
                                      ("HOUSEHOLD", "MEMBER")),
          not_words=("AYUSHMAN", "CARD", "WITHOUT", "REMAINING", "INSURANCE", "SHG"), measure=True),
    Field("members_carded", "count", words=(("MEMBER", "AYUSHMAN"), ("MEMBER", "CARD"), ("CARD", "ACHIEVE"),
                                             ("AYUSHMAN",)),
          not_words=("WITHOUT", "REMAINING"), also=("CARD", "ACHIEVE", "AYUSHMAN", "MEMBER"), measure=True),
    Field("in_shg", "yesno", words=(("SHG",), ("SHG", "JOIN"), ("SHG", "MEMBER")), not_words=("CODE", "NAME")),
    Field("worker_id", "id", words=(("SURVEY", "ID"), ("WORKER", "ID"), ("SURVEY", "WORKER"), ("WORKER",),
                                     ("SURVEY", "CHANNEL"), ("SURVEY", "WORKER", "ID")),
          not_words=("DATE", "NAME")),
    Field("survey_date", "date", words=(("SURVEY", "DATE"), ("DATE",), ("SURVEY",)), not_words=("ID", "WORKER")),
)
TOLERATED = frozenset({"HOUSEHOLD", "SURVEY"})


def needs(fields, days) -> bool:
    return ("ration_card" in fields or "head_name" in fields) and common.has_place(fields) and "members" in fields


DETECT_BONUS = 2.0
