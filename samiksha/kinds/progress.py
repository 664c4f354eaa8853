"""Progress reports: target against achievement of one or more indicators, by block (and
panchayat, camp site, channel), for a day or one column per day."""

from __future__ import annotations

from samiksha.kinds import common
from samiksha.reading import ANY, Field, Reading

NAME = "progress"
# The indicators' own words (an Ayushman card, an SHG's credit linkage, a Lakhpati Didi entry)
# qualify a figure's header without changing what the figure is.
INDICATOR_WORDS = frozenset({"CARD", "AYUSHMAN", "INSURANCE", "SHG", "LINKAGE", "MEMBER", "LOAN", "AMOUNT",
                             "FORMATION", "HOUSEHOLD", "ELIGIBLE", "ENTRY", "BANK", "CAMP", "FIRST", "WORKER"})
_NOT_A_FIGURE = ("REMAINING", "REQUIRED", "RANK", "REJECTED", "APPROVED", "MOBILE", "OFFICER", "TIME", "WITHOUT",
                 "REMARKS", "SIGN", "DATE", "DEADLINE", "START", "WORKER")

FIELDS = (
    *common.PLACES,
    Field("report_date", "date", words=(("DATE",), ("REPORT", "DATE")),
          not_words=("DEADLINE", "START", "UNTIL", "TARGET", "ACHIEVE", "CARD", "CUMULATIVE", "TODAY", "FORMATION",
                     "MEETING", "SAVING", "TRAIN", "TRANSACTION", "SURVEY")),
    Field("indicator", "name", words=(("INDICATOR",),), not_words=("TARGET", "ACHIEVE", "PERCENT", "CODE")),
    Field("channel", "name", words=(("CHANNEL",),), not_words=("NUMBER", "TARGET", "ACHIEVE", "CODE", "ID"),
          also=("WORKER", "ROLE", "CARD")),
    Field("camp_site", "name", words=(("CAMP", "SITE"), ("SITE",), ("CAMP", "NAME")), weak=(("CAMP",),),
          not_words=("TARGET", "ACHIEVE", "OFFICER", "DATE", "UNTIL", "START", "NUMBER", "CODE")),
    Field("target", "number", words=(("TARGET",),), weak=(("ELIGIBLE",),),
          not_words=("PERCENT", "DEADLINE", "ACHIEVE", "REMAINING", "REQUIRED", "DATE"), also=(ANY,),
          measure=True, repeats=True),
    Field("achieved_today", "number",
          words=(("ACHIEVE", "TODAY"), ("CARD", "TODAY"), ("TODAY",), ("ACHIEVE", "DAY"), ("CARD", "DAY"), ("DAY",),
                 ("PROGRESS", "TODAY"), ("INSURANCE", "TODAY"), ("AYUSHMAN", "TODAY")),
          weak=(("ACHIEVE",), ("CARD",)),
          not_words=("CUMULATIVE", "PREVIOUS", "PERCENT", "TARGET", *_NOT_A_FIGURE), also=("PROGRESS", "ENTRY"),
          measure=True, repeats=True),
    Field("achieved", "number",
          words=(("ACHIEVE", "CUMULATIVE"), ("CARD", "CUMULATIVE"), ("PROGRESS",), ("CUMULATIVE",),
                 ("INSURANCE", "CUMULATIVE"), ("AYUSHMAN", "CUMULATIVE"), ("ENTRY", "CUMULATIVE")),
          weak=(("ACHIEVE",), ("CARD",)),
          not_words=("TODAY", "PREVIOUS", "PERCENT", "TARGET", "DAY", *_NOT_A_FIGURE), also=("UNTIL", "PROGRESS"),
          measure=True, repeats=True),
    Field("achieved_before", "number", words=(("ACHIEVE", "PREVIOUS"), ("PREVIOUS",)),
          not_words=("PERCENT", "TARGET", *_NOT_A_FIGURE), also=("UNTIL", "CUMULATIVE", "TODAY", "ENTRY")),
    Field("percent", "percent", words=(("PERCENT",),), also=(ANY,), repeats=True),
    Field("deadline", "date", words=(("DEADLINE",), ("UNTIL",), ("CAMP", "UNTIL")),
          not_words=("START", "CUMULATIVE", "PREVIOUS"), also=("TARGET", "ACHIEVE", "ENTRY", "DATE")),
)
TOLERATED = INDICATOR_WORDS


def resolve(reading: Reading, profiles: dict) -> None:
    """What the header as a whole says of a figure named only "Achievement" (or "Cards"):
    beside the day's figure it is the total so far; beside the total so far it is the day's
    (already so: that reading was taken); alone under a target it is the total so far (a
    "Target | Achievement | %" report); alone with no target it stays a question."""
    by_group: dict = {}
    for col in reading.columns:
        by_group.setdefault(col.group, []).append(col)
    for col in reading.columns:
        if col.sure or col.field not in ("achieved", "achieved_today") or not col.weak:
            continue
        mates = [c for c in by_group.get(col.group, []) if c is not col]
        if col.group is not None:
            mates += [c for c in by_group.get(None, []) if c.field in ("achieved", "achieved_today")]
        sure_fields = {c.field for c in mates if c.sure}
        if "achieved_today" in sure_fields and "achieved" not in sure_fields:
            col.field, col.sure = "achieved", True
        elif "achieved" in sure_fields and "achieved_today" not in sure_fields:
            col.field, col.sure = "achieved_today", True
        elif any(c.field == "target" for c in mates) and not sure_fields & {"achieved", "achieved_today"}:
            col.field, col.sure = "achieved", True
