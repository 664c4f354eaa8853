"""Workers' output: cards made per worker per day (the portal's export)."""

from __future__ import annotations

from samiksha.kinds import common
from samiksha.kinds.workers import WORKER_ID, WORKER_NAME
from samiksha.reading import Field

NAME = "worker_output"
FIELDS = (
    *common.PLACES,
    Field("output_date", "date", words=(("DATE",), ("CARD", "DATE"), ("ACHIEVE", "DATE")),
          not_words=("TRAIN", "JOIN")),
    WORKER_ID,
    WORKER_NAME,
    Field("cards", "count", words=(("CARD",), ("ACHIEVE",), ("CARD", "ACHIEVE"), ("CARD", "NUMBER")),
          not_words=("DATE", "REJECTED", "PENDING"), also=("TODAY", "AYUSHMAN", "ACHIEVE", "CARD"), measure=True),
)
TOLERATED = frozenset({"AYUSHMAN", "WORKER", "APPROVED", "NUMBER"})
