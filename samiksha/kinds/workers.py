"""Workers rosters: one row per worker (ASHA, Anganwadi worker, VLE ...) as of a date."""

from __future__ import annotations

from samiksha.kinds import common
from samiksha.reading import Field

NAME = "workers"
WORKER_ID = Field("worker_id", "id", words=(("WORKER", "ID"), ("ID",), ("LOGIN", "ID"), ("WORKER", "CODE"),
                                            ("SURVEY", "ID"), ("WORKER",)),
                  not_words=("NAME", "SUPERVISOR", "ACTIVE", "MOBILE", "SHG", "TRAIN", "ROLE", "STATUS"))
WORKER_NAME = Field("worker_name", "name", words=(("WORKER", "NAME"), ("NAME",)),
                    not_words=("SUPERVISOR", "ANM", "ID", "BLOCK", "PANCHAYAT", "DISTRICT", "VILLAGE", "FACILITY",
                               "OFFICER", "HEAD", "SHG", "VO", "CAMP", "TOLA", "STATE"))
FIELDS = (
    *common.PLACES,
    WORKER_ID,
    WORKER_NAME,
    Field("role", "name", words=(("ROLE",), ("CHANNEL",), ("WORKER", "ROLE")), not_words=("NUMBER", "ID")),
    Field("id_active", "yesno", words=(("ACTIVE",), ("ID", "ACTIVE"), ("LOGIN", "ACTIVE"), ("ID", "STATUS")),
          not_words=("TRAIN",)),
    Field("trained", "yesno", words=(("TRAIN",), ("TRAIN", "STATUS")), not_words=("DATE",)),
    Field("training_date", "date", words=(("TRAIN", "DATE"),)),
    Field("supervisor", "text", words=(("SUPERVISOR",), ("SUPERVISOR", "NAME"), ("SUPERVISOR", "ID")),
          lesser=(("ANM",), ("ANM", "NAME")), not_words=("MOBILE",), also=("WORKER", "ANM")),
)
TOLERATED = frozenset({"WORKER", "LOGIN", "AYUSHMAN"})
