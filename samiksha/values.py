"""Reading the values block reports carry: numbers and dates as people type them.

Cells are parsed in DuckDB with the macros in `VALUE_MACROS` (vectorised, the same for a
ten-row report and a million-row export). `parse_date` is the same rule in Python, for
title rows and command-line arguments; tests hold the two to the same cases.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re

DEVANAGARI_DIGITS = "०१२३४५६७८९"
ASCII_DIGITS = "0123456789"
_TO_ASCII = str.maketrans(DEVANAGARI_DIGITS, ASCII_DIGITS)

# Cells that mean "no figure" rather than zero or an error.
BLANK_WORDS = ("", "-", "--", "—", "–", "na", "n/a", "nil", "null", "none", "nan", ".")

def is_blank(value) -> bool:
    """An empty cell, or one that says nothing ("-", "NA", "nil")."""
    return value is None or str(value).strip().lower() in BLANK_WORDS


# Short years are the 2000s; years outside this range are not report dates.
MIN_YEAR, MAX_YEAR = 2000, 2100

_SHORT_DATE = r"^\d{1,2}[./-]\d{1,2}[./-]\d{2}$"
_SERIAL = r"^\d{5}(\.0+)?$"
_LONG_FORMATS = [
    "%d.%m.%Y", "%d/%m/%Y", "%d-%m-%Y", "%Y-%m-%d", "%Y/%m/%d", "%d-%b-%Y", "%d %b %Y",
    "%d-%B-%Y", "%d %B %Y", "%d %b, %Y", "%d %B, %Y", "%Y-%m-%d %H:%M:%S", "%d.%m.%Y %H:%M",
    "%d/%m/%Y %H:%M", "%d-%m-%Y %H:%M", "%b %d, %Y",
]
_SHORT_FORMATS = ["%d.%m.%y", "%d/%m/%y", "%d-%m-%y"]
_SHORT_NAMED = r"^\d{1,2}[ -][A-Za-z]{3,9}[ -]\d{2}$"  # 29-May-25
_SHORT_NAMED_FORMATS = ["%d-%b-%y", "%d %b %y", "%d-%B-%y", "%d %B %y"]
_LONG_FORMATS += ["%b %d %Y", "%B %d %Y", "%B %d, %Y", "%d %b %Y %H:%M"]
HINDI_MONTHS = {
    "जनवरी": "Jan", "फरवरी": "Feb", "फ़रवरी": "Feb", "मार्च": "Mar", "अप्रैल": "Apr", "अप्रेल": "Apr",
    "मई": "May", "जून": "Jun", "जुलाई": "Jul", "अगस्त": "Aug", "सितंबर": "Sep", "सितम्बर": "Sep",
    "अक्टूबर": "Oct", "अक्तूबर": "Oct", "नवंबर": "Nov", "नवम्बर": "Nov", "दिसंबर": "Dec", "दिसम्बर": "Dec",
}


def clean_date_text(text: str) -> str:
    """"29th May 2025" -> "29 May 2025", "29 मई 2025" -> "29 May 2025", "31.05.2025 तक" -> "31.05.2025"."""
    text = to_ascii_digits(text)
    for hindi, english in HINDI_MONTHS.items():
        text = text.replace(hindi, english)
    text = re.sub(r"(?<=\d)(st|nd|rd|th)\b", "", text, flags=re.IGNORECASE)
    return re.sub(r"\s*तक\b", " ", text).strip()


def _sql_months(expr: str) -> str:
    """replace(...) of every Hindi month name by its English abbreviation, in SQL."""
    for hindi, english in HINDI_MONTHS.items():
        expr = f"replace({expr}, '{hindi}', '{english}')"
    return expr


def _sql_list(items: list[str]) -> str:
    return "[" + ", ".join("'" + item + "'" for item in items) + "]"


# A blank word, with any case and SPACES either side (lower(trim(s)) IN BLANK_WORDS, as one RE2
# match: trim() of a character list and an IN list cost several times more a cell).
_BLANKS_RE = "|".join(re.escape(word) for word in BLANK_WORDS)
# Digit grouping as written in India (3,00,000) or in the West (300,000); nothing else.
GROUPED = r"[0-9]{1,3}(,[0-9]{2})*,[0-9]{3}|[0-9]{1,3}(,[0-9]{3})+"
NUMBER_PATTERN = rf"[-+]?([0-9]+|{GROUPED})?(\.[0-9]+)?"
SPACES = " \t\r\n\u00a0"  # what trim() removes from a cell: spaces, tabs, newlines, NBSP
_SPACE = "[ \\t\\r\\n\\x{a0}]"  # one of SPACES, for RE2 (a cell without one at either end is as trimmed)

# DuckDB macros. sk_text: trimmed text or NULL; sk_num: a number or NULL when blank or
# unreadable; sk_num_bad: true where a cell has text that is not a number; sk_date likewise.
VALUE_MACROS = f"""
CREATE OR REPLACE MACRO sk_text(s) AS
    CASE WHEN regexp_matches(CAST(s AS VARCHAR), '^{_SPACE}|{_SPACE}$') THEN nullif(trim(CAST(s AS VARCHAR), '{SPACES}'), '')
         ELSE nullif(CAST(s AS VARCHAR), '') END;
CREATE OR REPLACE MACRO sk_label(s) AS
    trim(regexp_replace(regexp_replace(lower(CAST(s AS VARCHAR)), '\\([^)]*\\)', ' ', 'g'),
                        '[^a-z0-9\\x{{0900}}-\\x{{097f}}]+', ' ', 'g'));
CREATE OR REPLACE MACRO sk_digits(s) AS
    translate(CAST(s AS VARCHAR), '{DEVANAGARI_DIGITS}', '{ASCII_DIGITS}');
CREATE OR REPLACE MACRO sk_num_text(s) AS
    regexp_replace(lower(sk_digits(s)), '/-|rs\\.?|inr|[\\s\xa0₹%]', '', 'g');
CREATE OR REPLACE MACRO sk_is_blank(s) AS
    s IS NULL OR regexp_full_match(CAST(s AS VARCHAR), '{_SPACE}*({_BLANKS_RE}){_SPACE}*', 'i');
CREATE OR REPLACE MACRO sk_num_cast(t) AS
    CASE WHEN regexp_full_match(t, '{NUMBER_PATTERN}') THEN TRY_CAST(replace(t, ',', '') AS DOUBLE) END;
CREATE OR REPLACE MACRO sk_num(s) AS
    CASE WHEN s IS NULL THEN NULL
         WHEN regexp_full_match(s, '\\s*[0-9]{{1,18}}\\s*') THEN CAST(CAST(s AS BIGINT) AS DOUBLE)
         WHEN regexp_full_match(s, '\\s*({GROUPED})\\s*')
         THEN CAST(CAST(replace(s, ',', '') AS BIGINT) AS DOUBLE)
         WHEN sk_is_blank(s) THEN NULL ELSE sk_num_cast(sk_num_text(s)) END;
CREATE OR REPLACE MACRO sk_num_bad(s) AS
    NOT sk_is_blank(s) AND sk_num(s) IS NULL;
CREATE OR REPLACE MACRO sk_date_clean(s) AS
    trim(regexp_replace(regexp_replace({_sql_months('sk_digits(s)')}, '([0-9])(st|nd|rd|th)\\b', '\\1', 'gi'),
                        '\\s*तक|\\s+', ' ', 'g'));
CREATE OR REPLACE MACRO sk_date_raw(s) AS
    CASE WHEN sk_is_blank(s) THEN NULL
         WHEN regexp_full_match(sk_date_clean(s), '{_SERIAL}')
         THEN DATE '1899-12-30' + CAST(CAST(sk_date_clean(s) AS DOUBLE) AS INTEGER)
         WHEN regexp_full_match(sk_date_clean(s), '{_SHORT_DATE}')
         THEN CAST(try_strptime(sk_date_clean(s), {_sql_list(_SHORT_FORMATS)}) AS DATE)
         WHEN regexp_full_match(sk_date_clean(s), '{_SHORT_NAMED}')
         THEN CAST(try_strptime(sk_date_clean(s), {_sql_list(_SHORT_NAMED_FORMATS)}) AS DATE)
         ELSE CAST(try_strptime(sk_date_clean(s), {_sql_list(_LONG_FORMATS)}) AS DATE) END;
CREATE OR REPLACE MACRO sk_date(s) AS
    CASE WHEN year(sk_date_raw(s)) BETWEEN {MIN_YEAR} AND {MAX_YEAR} THEN sk_date_raw(s) END;
CREATE OR REPLACE MACRO sk_date_bad(s) AS
    NOT sk_is_blank(s) AND sk_date(s) IS NULL;
"""


MACROS_VERSION = hashlib.sha256(VALUE_MACROS.encode()).hexdigest()[:16]


def install_macros(con, temporary: bool = False) -> None:
    """Create the value macros in this connection's database (the store keeps them), or as
    temporary macros of this connection (a store opened read-only)."""
    sql = VALUE_MACROS + f"CREATE OR REPLACE MACRO sk_macros_version() AS '{MACROS_VERSION}';"
    if temporary:
        sql = sql.replace("CREATE OR REPLACE MACRO", "CREATE OR REPLACE TEMP MACRO")
    con.execute(sql)


def ensure_macros(con) -> None:
    """Make sure this connection sees the value macros of this version of the code."""
    import duckdb

    try:
        if con.execute("SELECT sk_macros_version()").fetchall()[0][0] == MACROS_VERSION:
            return
    except duckdb.CatalogException:
        pass
    try:
        install_macros(con)
    except (duckdb.InvalidInputException, duckdb.PermissionException, duckdb.CatalogException):
        install_macros(con, temporary=True)  # a read-only store


def to_ascii_digits(text: str) -> str:
    return text.translate(_TO_ASCII)


def parse_number(text) -> float | None:
    """The Python twin of sk_num: None for blanks; ValueError for text that is no number."""
    if text is None:
        return None
    if isinstance(text, (int, float)):
        return float(text)
    raw = str(text).strip()
    if raw.lower() in BLANK_WORDS:
        return None
    cleaned = re.sub(r"(/-|rs\.?|inr|₹|%|\s)", "", to_ascii_digits(raw).lower())
    if not re.fullmatch(NUMBER_PATTERN, cleaned) or not re.search(r"[0-9]", cleaned):
        raise ValueError(raw)
    return float(cleaned.replace(",", ""))


def parse_date(text) -> dt.date | None:
    """Day-first dates as blocks write them; None for blanks, ValueError otherwise."""
    if text is None:
        return None
    if isinstance(text, dt.datetime):
        return text.date()
    if isinstance(text, dt.date):
        return text
    raw = re.sub(r"\s+", " ", to_ascii_digits(str(text)).strip())
    if raw.lower() in BLANK_WORDS:
        return None
    found = _parse_date_text(raw)
    if found is None or not MIN_YEAR <= found.year <= MAX_YEAR:
        raise ValueError(raw)
    return found


def _parse_date_text(raw: str) -> dt.date | None:
    raw = re.sub(r"\s+", " ", clean_date_text(raw))
    if re.fullmatch(_SERIAL, raw):
        return dt.date(1899, 12, 30) + dt.timedelta(days=int(float(raw)))
    if re.fullmatch(_SHORT_DATE, raw):
        formats = _SHORT_FORMATS
    elif re.fullmatch(_SHORT_NAMED, raw):
        formats = _SHORT_NAMED_FORMATS
    else:
        formats = _LONG_FORMATS
    for form in formats:
        try:
            return dt.datetime.strptime(raw, form).date()
        except ValueError:
            continue
    return None


# A date inside free text such as a title row: 27.05.2025, 27/05/25, 2025-05-27, 27 May 2025.
_MONTH = r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?"
DATE_IN_TEXT = re.compile(
    r"(?<!\d)(\d{1,2}[./-]\d{1,2}[./-](?:\d{4}|\d{2})|\d{4}-\d{2}-\d{2}"
    rf"|\d{{1,2}}[ -]{_MONTH}[ ,-]*(?:\d{{4}}|\d{{2}})"
    rf"|{_MONTH} \d{{1,2}},? \d{{4}})(?!\d)",
    re.IGNORECASE,
)


def dates_in_text(text: str) -> list[dt.date]:
    """Every readable date in a piece of text, in order."""
    found = []
    for token in DATE_IN_TEXT.findall(clean_date_text(text)):
        try:
            found.append(parse_date(token.replace(",", " ")))
        except ValueError:
            continue
    return [day for day in found if day is not None]


# ---------------------------------------------------------------- personal identifiers

# Aadhaar: 12 digits, the first 2-9, written whole or 4-4-4 (space or hyphen), in ASCII or
# Devanagari digits. Kept as UIDAI's own masked Aadhaar shows it: "XXXX XXXX 1234".
_DIGIT = "[0-9\u0966-\u096f]"
AADHAAR_IN_TEXT = re.compile(
    rf"(?<!{_DIGIT})([2-9\u0968-\u096f]{_DIGIT}{{3}})[ \u00a0-]?({_DIGIT}{{4}})[ \u00a0-]?({_DIGIT}{{4}})(?!{_DIGIT})")
MASKED_AADHAAR = "XXXX XXXX "
# A ration card number after the words that announce it: "Ration card 10011920000123", "RC No.
# 2020 0012 3456", "राशन कार्ड संख्या- ..." (8 digits or more: "RC 2025-26" is not one).
RATION_IN_TEXT = re.compile(
    r"(ration\s*card|राशन\s*कार्ड|\brc\b(?=[\s.]*(?:no\b|number|num\b|संख्या|नंबर|नं|#|:|-)))"
    r"(\s*(?:no\b\.?|number|num\b|संख्या|नंबर|नं\.?|सं\.?|#)?\s*[:.=\-–]?\s*)"
    rf"((?:[A-Za-z]{{1,4}}[/\-]?)?{_DIGIT}(?:[/\- ]?{_DIGIT})*)", re.IGNORECASE)
# A superset of both, for DuckDB (RE2: no look-arounds) to find the cells worth looking at.
PERSONAL_CANDIDATE = ("[2-9\\x{0968}-\\x{096f}][0-9\\x{0966}-\\x{096f}]{3}[ \\x{00a0}-]?[0-9\\x{0966}-\\x{096f}]{4}"
                      "[ \\x{00a0}-]?[0-9\\x{0966}-\\x{096f}]{4}"
                      "|(?i:ration\\s*card|\\brc\\b[\\s.]*(?:no|num|#|:|-))|\\x{0930}\\x{093e}\\x{0936}\\x{0928}")
# A column of identifiers by its header: "Aadhaar No", "आधार संख्या", "Ration Card Number", "RC No".
_ID_HEADER = re.compile(
    r"^(?:(?:member|members|beneficiary|beneficiarys|didi|worker|asha|head|applicant|family|household|hh|"
    r"सदस्य|लाभार्थी|दीदी|परिवार|परिवार की|परिवार का)\s+)?"
    r"(?:(?:aadhaar|aadhar|adhaar|adhar|uid|uidai|आधार)(?:\s+(?:card|कार्ड))?|ration\s+card|राशन\s+कार्ड|"
    r"(?:rc|ration|राशन)(?=\s+(?:no|number|num|id|संख्या|नंबर|नं|सं)$))"
    r"(?:\s+(?:no|nos|number|num|id|संख्या|नंबर|नं|क्रमांक|सं))?$")


def _aadhaar_mask(match: re.Match) -> str:
    groups = [to_ascii_digits(g) for g in match.groups()]
    if all(1900 <= int(g) <= 2099 for g in groups):  # "2023 2024 2025": years, not a number
        return match.group(0)
    return MASKED_AADHAAR + match.group(3)


def _ration_mask(match: re.Match) -> str:
    number = match.group(3)
    if sum(ch.isdigit() for ch in number) < 8:
        return match.group(0)
    return match.group(1) + match.group(2) + mask_id(number)


def mask_personal(text: str | None) -> str | None:
    """Text with every Aadhaar-like number and announced ration card number masked (the last
    four digits kept): an upload's names, titles and cells are stored and shown only so."""
    if not text:
        return text
    return RATION_IN_TEXT.sub(_ration_mask, AADHAAR_IN_TEXT.sub(_aadhaar_mask, text))


def mask_id(text: str | None) -> str | None:
    """A whole identifier (a cell of an Aadhaar or ration card column): every letter and digit
    but the last four becomes X ("10011920000123" -> "XXXXXXXXXX0123"). A cell with fewer than
    four digits ("Not available", "NA") is no number and stays."""
    if not text or sum(ch.isdigit() for ch in text) < 4:
        return text
    keep = 4
    out = []
    for ch in reversed(text):
        if ch.isalnum() and ch != "X":
            if keep:
                keep -= 1
            else:
                ch = "X"
        elif ch == "X" and keep:
            keep -= 1
        out.append(ch)
    return "".join(reversed(out))


def is_id_header(text: str | None) -> bool:
    """A header naming a column of personal identifiers (Aadhaar, ration card)."""
    if not text:
        return False
    folded = re.sub(r"[^\w\u0900-\u097f]+", " ", str(text).casefold().replace(".", "")).replace("_", " ")
    return bool(_ID_HEADER.match(" ".join(folded.split())))


def is_ration_header(text: str | None) -> bool:
    """A header naming a column of ration card numbers ("Ration Card No", "राशन कार्ड संख्या", "RC No")."""
    return is_id_header(text) and bool(re.search(r"ration|राशन|\brc\b", str(text).casefold().replace(".", " ")))


def id_key_sql(cell: str) -> str:
    """SQL for an identifier as it is compared: Devanagari digits as ASCII, case, spaces, hyphens,
    slashes and dots gone, an Excel number's ".0" dropped, and an "RC" or "RC No." written
    before the digits ("RC-1234 5678", "rc no. 12345678", "1234-5678", "१२३४५६७८" are one number)."""
    ascii_digits = f"translate(CAST({cell} AS VARCHAR), '०१२३४५६७८९', '0123456789')"
    whole = f"regexp_replace(trim({ascii_digits}), '^([0-9]+)\\.0+$', '\\1')"
    compact = f"upper(regexp_replace({whole}, '[\\s\\-‐‑–—_./\\\\,:#]+', '', 'g'))"
    text = f"CAST({cell} AS VARCHAR)"
    return (f"CASE WHEN ltrim({text}, '0123456789') = '' THEN {text} "  # digits only, the common case: as it is
            f"ELSE regexp_replace({compact}, '^(RATIONCARD|RC)(NO|NUMBER)?([0-9]+)$', '\\3') END")


# Control characters (but tab and line breaks), text-direction and zero-width marks: taken out
# of uploaded text (readers.CONTROL_CHARS is the same set for DuckDB).
CONTROL_IN_TEXT = re.compile("[\x01-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u200b\u202a-\u202e\u2060\u2066-\u2069\ufeff]")


# Markup a chart or a page would act on: an HTML tag's "<" (plotly draws <a href>, <span
# style> ... in names) becomes "‹", a Markdown link's or image's "](" becomes "] (" (the same as
# readers.MARKUP_TAG and MARKDOWN_LINK, for DuckDB). A name never needs either.
MARKUP_IN_TEXT = re.compile(r"<(?=/?[A-Za-z!?])|\]\(")


def defang(text: str) -> str:
    """Text whose tags and links show as written and do nothing."""
    return MARKUP_IN_TEXT.sub(lambda m: "‹" if m.group(0) == "<" else "] (", text)


def clean_text(text: str, limit: int = 1000) -> str:
    """Uploaded text as it may be kept and shown: control characters out, markup defanged,
    personal identifiers masked, cut short after `limit` characters."""
    text = mask_personal(defang(CONTROL_IN_TEXT.sub("", text)))
    return text if len(text) <= limit else text[:limit] + "…"


NAME_CHARS = 200  # a name from the file (its own, a sheet's, a zip entry's) is shown this long at most


def clean_name(name) -> str:
    """A name the file gives (the file's own, a sheet's, a zip entry's) as kept and shown."""
    return clean_text(str(name), NAME_CHARS)
