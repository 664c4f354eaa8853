"""Progress reports: target against achievement of one or more indicators, by block (and
panchayat, camp site, channel), for a day or one column per day."""

from __future__ import annotations

from samiksha import intake, places, store
from samiksha.errors import WARNING
from samiksha.kinds import common
from samiksha.reading import ANY, Field, Reading

NAME = "progress"
# The indicators' own words (an Ayushman card, an SHG's credit linkage, a Lakhpati Didi entry)
# qualify a figure's header without changing what the figure is.
INDICATOR_WORDS = frozenset({"CARD", "AYUSHMAN", "INSURANCE", "SHG", "LINKAGE", "CREDIT", "MEMBER", "LOAN", "AMOUNT",
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
    (already so: that reading was taken); alone it is the total so far (a "Target |
    Achievement | %" report)."""
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
        elif not sure_fields & {"achieved", "achieved_today"}:
            # "Target | Achievement | %", or "Achievement" alone: progress against the target so
            # far. (A figure that is the day's after all shows below the place's last report:
            # intake asks about it then.)
            col.field, col.sure = "achieved", True


DAY_FIELDS = ("achieved_today",)  # one column per day: each day's figure
# A file lacking one of these while a column of figures is left unread is asked about: that
# column may be the running total or the target under words nobody listed.
FIGURES_WANTED = ("achieved", "target")


def needs(fields, days) -> bool:
    """A place and a figure: an achievement (the day's or so far), or one column per day."""
    return common.has_place(fields) and ("achieved" in fields or "achieved_today" in fields or len(days) >= 1)


DETECT_BONUS = 1.0


def stage(con, staged: intake.Staged, matcher: places.Matcher, district_code, given=None, if_missing=None,
          indicator=None) -> None:
    """The indicator and date (given, else the title's or the file name's), then the figures."""
    intake.file_metadata(staged, indicator, given, if_missing)
    intake.stage_measures(con, staged, matcher, district_code)


# ---------------------------------------------------------------- storing

TABLE = "progress"
NAMED_PLACES = True  # its rows keep the block and panchayat as written (names matched again later)


def store_rows(con, staged: intake.Staged, upload_id: int) -> None:
    con.execute(f"""INSERT INTO progress SELECT ?, row_number, indicator, report_date, block,
        block_code, block_written, panchayat, panchayat_code, panchayat_written, channel,
        camp_site, target, achieved_today, achieved FROM {staged.table}""", [upload_id])


def before_store(con, staged: intake.Staged) -> None:
    """A cumulative figure lower than the same place's previous report is suspicious. Only
    a previous report that gave its cumulative figure is compared (a figure worked out from
    daily ones would need the whole history read), and only the file's blocks are read."""
    con.execute(f"""
        INSERT INTO {staged.issues_table}
        SELECT row_number, CAST(report_date AS VARCHAR), NULL, CAST(achieved AS VARCHAR),
            '{WARNING}', 'cumulative_down',
            json_object('before', before, 'place', place, 'date', strftime(before_date, '%d-%m-%Y'))
        FROM (
            SELECT s.row_number, s.report_date, s.achieved, coalesce(s.panchayat, s.block) AS place,
                p.achieved AS before, p.report_date AS before_date
            FROM {staged.table} s
            JOIN (SELECT pr.* FROM progress pr JOIN uploads u USING (upload_id)
                  WHERE u.status = 'stored'
                    AND pr.indicator IN (SELECT DISTINCT indicator FROM {staged.table})
                    AND pr.block IN (SELECT DISTINCT block FROM {staged.table})) p
                ON p.indicator = s.indicator AND p.block = s.block
                AND p.panchayat IS NOT DISTINCT FROM s.panchayat
                AND p.channel IS NOT DISTINCT FROM s.channel
                AND p.camp_site IS NOT DISTINCT FROM s.camp_site
                AND p.report_date < s.report_date
            WHERE s.achieved IS NOT NULL
            QUALIFY row_number() OVER (PARTITION BY s.row_number, s.report_date
                                       ORDER BY p.report_date DESC, p.upload_id DESC) = 1
        ) WHERE before IS NOT NULL AND achieved < before
    """)


def replaced(con, staged: intake.Staged) -> list[dict]:
    """Earlier uploads whose rows for the same indicator, date and place this file replaces."""
    return store.records(con, f"""
        WITH same_place AS (
            SELECT p.upload_id FROM progress p JOIN uploads u USING (upload_id)
            JOIN {staged.table} s
                ON p.indicator = s.indicator AND p.report_date = s.report_date AND p.block = s.block
                AND p.panchayat IS NOT DISTINCT FROM s.panchayat
                AND p.channel IS NOT DISTINCT FROM s.channel
                AND p.camp_site IS NOT DISTINCT FROM s.camp_site
            WHERE u.status = 'stored'
            QUALIFY row_number() OVER (PARTITION BY s.row_number, s.report_date
                                       ORDER BY p.upload_id DESC) = 1
        )
        SELECT upload_id, any_value(u.file_name) AS file_name, count(*) AS rows
        FROM same_place JOIN uploads u USING (upload_id)
        GROUP BY upload_id ORDER BY upload_id
    """)
