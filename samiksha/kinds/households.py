"""Household surveys: one row per household visited door to door (block, panchayat, village,
tola, head of household, ration card number, social group, members, members with an Ayushman
card, in an SHG or not, who surveyed it and when). Its fields, how a register is read (each
cell checked) and stored.

The ration card number is the household's key. It is compared as `values.id_key_sql` writes it
(case, spaces, hyphens, Devanagari digits folded) and kept only as a salted hash (the store's
own salt, `SALT_KEY` in settings) and a masked form (XXXX and the last four). The number is
read before the file's cells are masked (readers.Grid.id_keys); a column not headed as a ration
card column is masked here, so the rejected rows kept with the upload never hold it either.
"""

from __future__ import annotations

import datetime as dt
import re
import secrets

import duckdb

from samiksha import fmt, intake, places, store, values
from samiksha.errors import REJECTED, WARNING, IntakeError, Issue
from samiksha.kinds import common
from samiksha.kinds.workers import worker_id_sql
from samiksha.reading import Field, fold

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

SALT_KEY = "household_key_salt"  # settings: this store's salt for the household keys (sql/007)
MAX_MEMBERS = 99  # more in one household is a typing error
GROUPS = ("sc", "st", "obc", "general")

# ---------------------------------------------------------------- social group, by meaning

# Read on the folded text (lower case, punctuation and the Devanagari abbreviation sign "०"
# gone): whole-cell abbreviations first, then words that say the group anywhere in the cell.
# Scheduled Tribes before Scheduled Castes: "अनुसूचित जनजाति" holds "जाति".
_GROUP_ABBREVIATIONS = {
    "st": ("st", "sts", "एसटी", "अजजा", "अजज", "अज", "stribe"),
    "sc": ("sc", "scs", "एससी", "अजा", "sc mahadalit", "mahadalit", "महादलित"),
    "obc": ("obc", "obcs", "ओबीसी", "bc", "bc1", "bc2", "bci", "bcii", "bc i", "bc ii", "ebc", "mbc", "ईबीसी",
            "इबीसी", "बीसी", "अपिव", "पिव", "अपव", "अतिपिव"),
    "general": ("gen", "genl", "general", "gn", "ur", "ews", "oc", "जनरल", "जेनरल", "सामान्य", "सा", "अनारक्षित",
                "अना", "सवर्ण", "unreserved", "open", "forward"),
}
_GROUP_WORDS = (
    ("st", r"tribe|tribal|adivasi|adiwasi|aadivasi|vanvasi|banvasi|जनजाति|आदिवासी|वनवासी|जन जाति|"
           r"(^| )(अ|अनु)\S* ज\S* जा"),  # अनु. ज. जाति, अ. ज. जा.
    ("sc", r"scheduled caste|sched caste|sch caste|schedule caste|harijan|dalit|हरिजन|दलित|अनुसूचित जाति|"
           r"(^| )अनु\S* जा"),  # अनु. जाति
    ("obc", r"backward|पिछड|पिछड़|अति पिछड|अत्यंत पिछड|ati pichhda|pichhda|pichda|other backward"),
    ("general", r"general|unreserved|सामान्य|अनारक्षित|सवर्ण|forward caste|upper caste"),
)


def _group_fold(text: str) -> str:
    text = re.sub(r"[०.\-/()\[\]]", " ", str(text).replace("ज़", "ज").replace("ड़", "ड"))
    return fold(text)


def social_group(written: str | None) -> str | None:
    """The social group a cell names, by meaning: sc, st, obc or general (SC, S.C., Scheduled
    Caste, अनुसूचित जाति, अ.जा., हरिजन, महादलित; ST, अ.ज.जा., अनुसूचित जनजाति, आदिवासी, tribal; OBC,
    BC-I, EBC, पिछड़ा, अति पिछड़ा; General, UR, EWS, सामान्य), else the cell as written (a caste's
    own name, "SC/ST"); None when blank."""
    if written is None or not str(written).strip() or values.is_blank(str(written)):
        return None
    folded = _group_fold(written)
    compact = folded.replace(" ", "")
    if not folded:
        return None
    both = ("sc" in folded.split() or "अजा" in compact) and ("st" in folded.split() or "अजजा" in compact)
    if both:  # "SC/ST": one of two, not to be guessed
        return str(written).strip()
    for group, spellings in _GROUP_ABBREVIATIONS.items():
        if folded in spellings or compact in {s.replace(" ", "") for s in spellings}:
            return group
    for group, pattern in _GROUP_WORDS:
        if re.search(pattern, folded):
            return group
    return str(written).strip()


# Cells read as "in an SHG" / "not in one", besides Yes/No.
SHG_YES = ("member", "shg member", "सदस्य", "जुड़ा", "जुड़ी", "जुड़े", "जुडा", "जुडी", "जुडे", "हाँ सदस्य", "joined")
SHG_NO = ("not member", "non member", "no shg", "सदस्य नहीं", "नहीं जुड़े", "नहीं जुड़ी", "not joined", "none")


# ---------------------------------------------------------------- reading a register

def _salt(con) -> str:
    """The store's salt (made once by its migration). A connection with no store (`check` of a
    file alone) gets one for this reading only: it stores nothing."""
    try:
        salt = store.get_setting(con, SALT_KEY)
    except duckdb.CatalogException:  # no settings table: not a store
        salt = None
    return salt or secrets.token_hex(32)


def _survey_day(staged: intake.Staged, given, if_missing) -> dt.date | None:
    """The file's own date (--date, the title, the file name, the page's date): the survey date of
    rows whose date cell is blank. With a survey date column it is needed only for those."""
    has_column = "survey_date" in staged.header.fields
    try:
        found = intake.file_date(staged, given, if_missing)
    except IntakeError:
        if has_column:
            return None
        raise
    if found is None and not has_column:
        raise IntakeError("no_survey_date")
    return found


def stage(con, staged: intake.Staged, matcher: places.Matcher, district_code, given: dt.date | None = None,
          if_missing: dt.date | None = None, indicator: str | None = None) -> None:
    """Read a survey register's rows into `staged.table`, every problem into `staged.issues_table`.

    Each row is a household as of its survey date (the row's date, else the file's). A cell that
    is not what its column needs (a count that is not a count, members with a card above the
    members, a Yes/No that says neither) is reported with row and column and the row kept out.
    The same ration card twice with different figures on the same day is kept out both times;
    two surveys of it on different days are both kept (the later one counts from its date)."""
    header = staged.header
    cell = lambda name: intake.cell(header, name)  # noqa: E731 - a column's cell, or NULL
    key = intake.Keys(header)  # key.<field>: the column named in an issue
    file_day = _survey_day(staged, given, if_missing)
    staged.report_date = file_day
    texts = {f"{name}_cell": f"sk_text({cell(name)})" for name in
             ("district", "block_code", "panchayat", "panchayat_code", "village", "tola", "head_name")}
    raws = {f"{name}_raw": f"CAST({cell(name)} AS VARCHAR)" for name in
            ("social_group", "members", "members_carded", "in_shg", "worker_id", "survey_date")}
    # Each date, count, Yes/No and social group text is read once (a small table of the distinct
    # texts, joined by the wide rows).
    columns, joins, derived = _ration_numbers(staged)
    surveyed_cell, shg_cell = cell("survey_date"), cell("in_shg")
    day = f"DATE '{file_day.isoformat()}'" if file_day else "NULL::DATE"
    if "survey_date" in header.fields:
        days = intake.distinct_texts(con, staged, "days", [header.fields["survey_date"]], "sk_date(text) AS day")
        joins.append(f"LEFT JOIN {days} d_survey ON d_survey.text = {surveyed_cell}")
    surveyed = "d_survey.day" if "survey_date" in header.fields else "NULL::DATE"
    columns["survey_date"] = f"coalesce({surveyed}, CASE WHEN sk_is_blank({surveyed_cell}) THEN {day} END)"
    counted = [name for name in ("members", "members_carded") if name in header.fields]
    if counted:
        counts = intake.distinct_texts(con, staged, "counts", [header.fields[n] for n in counted], "sk_num(text) AS n")
        joins += [f"LEFT JOIN {counts} l_{name} ON l_{name}.text = {cell(name)}" for name in counted]
    columns |= {name: f"l_{name}.n" if name in counted else "sk_num(NULL::VARCHAR)" for name in ("members", "members_carded")}
    if "in_shg" in header.fields:
        shg = intake.distinct_texts(con, staged, "in_shg", [header.fields["in_shg"]],
                                    f"{intake.yes_no('text', SHG_YES, SHG_NO)} AS in_shg")
        joins.append(f"LEFT JOIN {shg} l_in_shg ON l_in_shg.text = {shg_cell}")
    columns["in_shg"] = "l_in_shg.in_shg" if "in_shg" in header.fields else intake.yes_no("NULL::VARCHAR", SHG_YES, SHG_NO)
    if "social_group" in header.fields:
        index = header.fields["social_group"]
        written = [row[0] for row in con.execute(f"SELECT DISTINCT c{index} FROM {staged.grid.table} "
                                                 f"WHERE rownum > {staged.header_row} AND c{index} IS NOT NULL").fetchall()]
        intake.register_rows(con, f"{staged.table}_groups", ["text", "social_group"],
                             [(g, social_group(g)) for g in written])
        joins.append(f"LEFT JOIN {staged.table}_groups l_groups ON l_groups.text = c{index}")
    columns["social_group"] = "l_groups.social_group" if "social_group" in header.fields else "NULL::VARCHAR"
    derived["worker_id"] = worker_id_sql("worker_id_raw")
    cells = intake.data_cells(con, staged, {**texts, **raws, **columns}, " ".join(joins), derived)
    _mask_ration_cards(con, staged)
    _row_checks(con, staged, cells, key)
    names = {"block": "block_cell", "panchayat": "panchayat_cell", "village": "village_cell", "tola": "tola_cell",
             "head_name": "head_name_cell", "worker_id": "worker_id_raw"}
    intake.reject_long_names(con, staged, cells, {c: key[name] for name, c in names.items()
                                                  if name in header.fields})
    intake.match_places(con, staged, cells, matcher, district_code)
    con.execute(f"""
        CREATE TEMP TABLE {staged.table} AS
        WITH placed AS (
            SELECT c.*, coalesce(b.block, p.block) AS block, coalesce(b.block_code, p.block_code) AS block_code,
                p.panchayat, p.panchayat_code
            FROM {cells} c {intake.place_joins(staged)}
            WHERE NOT EXISTS (SELECT 1 FROM {staged.issues_table} i
                              WHERE i.row_number = c.row_number AND i.severity = '{REJECTED}'))
        SELECT row_number, survey_date,
            CASE WHEN rc_key IS NOT NULL THEN sha256(concat($salt, ':rc:', rc_key))
                 ELSE sha256(concat($salt, ':name:', lower(concat_ws('|', coalesce(block, block_cell),
                     coalesce(panchayat, panchayat_cell), village_cell, tola_cell,
                     regexp_replace(head_name_cell, '\\s+', ' ', 'g')))))
            END AS household_key,
            rc_masked AS ration_card,
            block, block_code, coalesce(block_cell, block_code_cell) AS block_written,
            panchayat, panchayat_code, panchayat_cell AS panchayat_written,
            village_cell AS village, tola_cell AS tola, head_name_cell AS head_name, social_group,
            CAST(members AS INTEGER) AS members, CAST(members_carded AS INTEGER) AS members_carded,
            in_shg, worker_id
        FROM placed
    """, {"salt": _salt(con)})
    intake.reject_rows_without_block(con, staged)
    intake.repeated_rows(con, staged, "household_key, survey_date",
                         "block, panchayat, village, tola, head_name, social_group, members, members_carded, "
                         "in_shg, worker_id", ("household_conflicting_rows", "household_duplicate_row"),
                         "ration_card", "household")
    dates = con.execute(f"SELECT min(survey_date), max(survey_date) FROM {staged.table}").fetchall()[0]
    staged.date_from, staged.date_to = dates
    staged.report_date = dates[1] or file_day
    if dates[1] is not None and dates[1] > fmt.now_ist().date():
        staged.read_notes.append(Issue(WARNING, "date_in_future", {"date": dates[1]}))


def _ration_numbers(staged: intake.Staged) -> tuple[dict, list, dict]:
    """What the wide rows read of the ration card column, as (columns, joins, derived): each
    row's card as compared (`rc_key`: the digest of the number as values.id_key_sql writes it,
    from before the file was masked where the reader kept it) and as shown (`rc_masked`: XXXX
    and the last four; `ration_card_raw`: that, or the cell as written)."""
    index = staged.header.fields.get("ration_card")
    kept = staged.grid.id_keys if index is not None else None
    raw = f"CAST(c{index} AS VARCHAR)" if index is not None else "NULL::VARCHAR"
    columns = {"rc_written": raw, "rc_compared": values.id_key_sql(raw),  # worked out once a row
               "rc_kept_key": "ids.id_key" if kept else "NULL::VARCHAR",
               "rc_kept_last4": "ids.last4" if kept else "NULL::VARCHAR"}
    joins = [f"LEFT JOIN {kept} ids ON ids.rownum = g.rownum AND ids.col = {index}"] if kept else []
    masked_before = "contains(upper(rc_written), 'XXXX')"
    read_here = f"length(regexp_replace(rc_compared, '[^0-9]', '', 'g')) >= 4 AND NOT {masked_before}"
    masked = f"coalesce('XXXX' || rc_kept_last4, CASE WHEN {read_here} THEN 'XXXX' || right(rc_compared, 4) END)"
    derived = {"rc_key": f"coalesce(rc_kept_key, CASE WHEN {read_here} THEN sha256(rc_compared) END)",
               "rc_masked": masked,
               "rc_was_masked": f"rc_kept_key IS NULL AND coalesce({masked_before}, false)",
               "ration_card_raw": f"coalesce({masked}, rc_written)"}
    return columns, joins, derived


def _mask_ration_cards(con, staged: intake.Staged) -> None:
    """A ration card column the reader did not mask is masked in the grid here (its cells are
    kept for the rejected rows); the reader's digests are dropped once read."""
    index = staged.header.fields.get("ration_card")
    kept = staged.grid.id_keys if index is not None else None
    if index is not None and not kept:
        cleared = values.id_key_sql(f"c{index}")
        con.execute(f"UPDATE {staged.grid.table} SET c{index} = 'XXXX' || right({cleared}, 4) "
                    f"WHERE rownum > {staged.header_row} AND length(regexp_replace({cleared}, '[^0-9]', '', 'g')) >= 4 "
                    f"AND NOT contains(upper(c{index}), 'XXXX')")
    if kept:
        con.execute(f"DROP TABLE IF EXISTS {kept}")


def _row_checks(con, staged: intake.Staged, typed: str, key: intake.Keys) -> None:
    """Every bad cell with its row, column and value; such a row is kept out."""
    header = staged.header
    checks = [
        f"SELECT row_number, {key.block}, NULL, '{REJECTED}', 'no_place' FROM {typed} "
        f"WHERE coalesce(block_cell, block_code_cell, panchayat_cell, panchayat_code_cell) IS NULL",
        f"SELECT row_number, {key.ration_card}, NULL, '{REJECTED}', 'household_no_key' FROM {typed} "
        f"WHERE rc_key IS NULL AND NOT rc_was_masked AND head_name_cell IS NULL",
        f"SELECT row_number, {key.ration_card}, ration_card_raw, '{REJECTED}', 'personal_id_as_key' FROM {typed} "
        f"WHERE rc_was_masked",
        f"SELECT row_number, {key.ration_card}, ration_card_raw, '{WARNING}', 'household_keyed_by_name' "
        f"FROM {typed} WHERE rc_key IS NULL AND NOT rc_was_masked AND head_name_cell IS NOT NULL",
        f"SELECT row_number, {key.members}, members_raw, '{REJECTED}', 'household_no_members' FROM {typed} "
        f"WHERE sk_is_blank(members_raw) OR members = 0",
        f"SELECT row_number, {key.survey_date}, survey_date_raw, '{REJECTED}', "
        f"CASE WHEN sk_is_blank(survey_date_raw) THEN 'household_no_survey_date' ELSE 'bad_date' END "
        f"FROM {typed} WHERE survey_date IS NULL",
    ]
    for name in ("members", "members_carded"):
        if name not in header.fields:
            continue
        checks += [
            f"SELECT row_number, {key[name]}, {name}_raw, '{REJECTED}', 'bad_number' FROM {typed} "
            f"WHERE {name} IS NULL AND NOT sk_is_blank({name}_raw)",
            f"SELECT row_number, {key[name]}, {name}_raw, '{REJECTED}', 'negative_number' FROM {typed} "
            f"WHERE {name} < 0",
            f"SELECT row_number, {key[name]}, {name}_raw, '{REJECTED}', 'not_whole_number' FROM {typed} "
            f"WHERE {name} >= 0 AND {name} <> floor({name})",
            f"SELECT row_number, {key[name]}, {name}_raw, '{REJECTED}', 'household_too_many_members' FROM {typed} "
            f"WHERE {name} > {MAX_MEMBERS}",
        ]
    if "members_carded" in header.fields:
        checks.append(f"SELECT row_number, {key.members_carded}, members_carded_raw, '{REJECTED}', "
                      f"'household_more_carded' FROM {typed} WHERE members_carded > members")
    if "in_shg" in header.fields:
        checks.append(common.bad_yes_no(typed, key.in_shg, "in_shg", REJECTED))
    con.execute(f"""
        CREATE TEMP TABLE {staged.issues_table} AS
        SELECT row_number, NULL AS date_cell, column_name, value, severity, code, NULL::JSON AS params
        FROM ({" UNION ALL ".join(checks)}) AS found(row_number, column_name, value, severity, code)
    """)


# ---------------------------------------------------------------- storing

TABLE = "households"
NAMED_PLACES = True


def store_rows(con, staged: intake.Staged, upload_id: int) -> None:
    common.insert_by_name(con, TABLE, staged, upload_id)


def replaced(con, staged: intake.Staged) -> list[dict]:
    """Earlier uploads holding a survey of a household this file surveys again, on the same day
    or later: from this file's survey date on, its row counts instead."""
    return store.records(con, f"""
        SELECT r.upload_id, any_value(u.file_name) AS file_name, count(*) AS rows
        FROM {TABLE} r JOIN uploads u USING (upload_id)
        JOIN {staged.table} s ON s.household_key = r.household_key AND s.survey_date >= r.survey_date
        WHERE u.status = 'stored' GROUP BY r.upload_id ORDER BY r.upload_id""")


# ---------------------------------------------------------------- for the pages

def survey_span(con) -> tuple[dt.date, dt.date] | None:
    """The first and last survey dates stored (None: no survey register yet)."""
    first, last = con.execute("SELECT min(survey_date), max(survey_date) FROM households_stored").fetchall()[0]
    return (first, last) if first is not None else None


def group_name(group, lang: str) -> str:
    """A social group in words (SC, ST, OBC, General; a group written otherwise as written)."""
    from samiksha.i18n import t

    if group is None or fmt.missing(group) or group == "":
        return t("households.group_none", lang)
    return t(f"households.group_{group}", lang) if group in GROUPS else str(group)


def context(con, as_of: dt.date, lang: str, district: str | None = None):
    """What a survey chart (the map's % covered) says about itself: its date and when the
    surveys were uploaded."""
    from samiksha import figures, settings
    from samiksha.i18n import t

    uploaded = store.scalar(con, "SELECT max(u.uploaded_at) FROM uploads u JOIN households h USING (upload_id) "
                                 "WHERE u.status = 'stored' AND h.survey_date <= ?", [as_of])
    return figures.Context(lang, t("kind.households", lang), as_of, uploaded,
                           settings.district_name(con, lang, district), source_key="figure.households_source")
