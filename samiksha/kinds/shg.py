"""SHG registers: one row per self-help group as of a date."""

from __future__ import annotations

from samiksha.kinds import common
from samiksha.reading import Field

NAME = "shg"
_NOT_NAME = ("CODE", "ID", "ROLE", "MEMBER", "VO", "FORMATION", "MEETING", "SAVING", "BANK", "ACCOUNT", "LINKAGE",
             "LOAN", "STATUS", "GRADE", "NUMBER", "JOIN", "DATE", "OFFICER", "MOBILE", "REMARKS")
FIELDS = (
    *common.PLACES,
    Field("shg_code", "code", words=(("SHG", "CODE"), ("SHG", "ID"), ("SHG", "CODE", "ID")),
          not_words=("NAME", "VO", "BANK", "ACCOUNT", "MOBILE")),
    Field("shg_name", "name", words=(("SHG", "NAME"), ("SHG",)), not_words=_NOT_NAME[:-4] + ("OFFICER", "MOBILE")),
    Field("village_organisation", "name", words=(("VO",), ("VO", "NAME")), not_words=("CODE", "ID")),
    Field("formation_date", "date", words=(("FORMATION",), ("FORMATION", "DATE")), not_words=("MEMBER",)),
    Field("members", "count", words=(("MEMBER",), ("MEMBER", "CUMULATIVE"), ("MEMBER", "NUMBER")),
          not_words=("AYUSHMAN", "INSURANCE", "CARD", "WITHOUT", "REMAINING", "MEETING", "SAVING"), measure=True),
    Field("last_meeting", "date", words=(("MEETING",), ("MEETING", "DATE"), ("MEETING", "PREVIOUS")),
          not_words=("NUMBER",)),
    Field("savings", "money", words=(("SAVING",), ("SAVING", "AMOUNT"), ("SAVING", "CUMULATIVE")),
          not_words=("DATE", "ACCOUNT", "BANK", "TRANSACTION", "PREVIOUS"), measure=True),
    Field("last_saving_date", "date",
          words=(("SAVING", "DATE"), ("SAVING", "PREVIOUS"), ("TRANSACTION",), ("TRANSACTION", "DATE")),
          not_words=("AMOUNT",)),
    Field("bank_account", "account", words=(("BANK", "ACCOUNT"), ("ACCOUNT",), ("BANK",)),
          not_words=("LINKAGE", "LOAN", "CODE"), also=("SAVING", "NUMBER", "NAME", "SHG")),
    Field("credit_linkage", "credit", words=(("LINKAGE",), ("LINKAGE", "DATE"), ("BANK", "LINKAGE"), ("LOAN", "FIRST"),
                                             ("LINKAGE", "FIRST")),
          not_words=("OUTSTANDING", "OVERDUE", "AMOUNT"), also=("FIRST", "DATE", "BANK", "LOAN", "ACHIEVE")),
    Field("loan_outstanding", "money", words=(("OUTSTANDING",), ("LOAN", "OUTSTANDING"), ("LOAN", "REMAINING")),
          not_words=("OVERDUE",), also=("LINKAGE", "LOAN", "AMOUNT")),
    Field("overdue", "money", words=(("OVERDUE",),), also=("LINKAGE", "LOAN", "AMOUNT", "OUTSTANDING")),
    Field("members_ayushman", "count", words=(("MEMBER", "AYUSHMAN"), ("MEMBER", "CARD"), ("AYUSHMAN",)),
          not_words=("WITHOUT", "INSURANCE"), also=("CARD", "ACHIEVE")),
    Field("members_insured", "count", words=(("MEMBER", "INSURANCE"), ("INSURANCE",)), also=("ACHIEVE",)),
    Field("status", "status", words=(("STATUS",), ("ACTIVE",)), not_words=("REMARKS", "ID"), also=("ACTIVE",)),
    Field("grade", "status", words=(("GRADE",),)),
)
TOLERATED = frozenset({"SHG", "AMOUNT", "CUMULATIVE"})
