"""Numbers and dates as blocks type them: the SQL macros and their Python twins agree.

One table of cases drives both: `sk_num` / `sk_num_bad` / `sk_date` / `sk_date_bad` on a
DuckDB connection, and `values.parse_number` / `values.parse_date` in Python.
"""

from __future__ import annotations

import datetime as dt

import duckdb
import pytest

from samiksha import fmt, values

BLANK, BAD = "blank", "bad"

# (cell text, expected): a number, BLANK (no figure) or BAD (text that is no number).
NUMBER_CASES = [
    ("3,00,000", 300000),
    ("1,23,45,678", 12345678),
    ("१२३", 123),
    ("१,२३,४५६", 123456),
    ("₹ 1,500", 1500),
    ("₹1,500", 1500),
    ("Rs. 500", 500),
    ("Rs.1,00,000/-", 100000),
    ("500/-", 500),
    ("45.5%", 45.5),
    ("45.5 %", 45.5),
    (" 1 234 ", 1234),
    ("1\u00a0234", 1234),
    ("\u00a012\u00a0", 12),
    ("1,00,000.50", 100000.5),
    ("-12", -12),
    ("+7", 7),
    (".5", 0.5),
    ("0", 0),
    ("", BLANK),
    ("   ", BLANK),
    ("\t", BLANK),
    ("\u00a0", BLANK),
    ("-", BLANK),
    ("--", BLANK),
    ("—", BLANK),
    ("NA", BLANK),
    ("n/a", BLANK),
    ("Nil", BLANK),
    (None, BLANK),
    ("abc", BAD),
    ("12abc", BAD),
    ("1.2.3", BAD),
    ("(100)", BAD),
    ("₹", BAD),
    ("%", BAD),
]

D = dt.date(2025, 5, 27)
DATE_CASES = [
    ("27.05.2025", D),
    ("27/05/2025", D),
    ("27-05-2025", D),
    ("27-05-25", D),
    ("27.5.25", D),
    ("2025-05-27", D),
    ("2025-05-27 00:00:00", D),  # how openpyxl's datetimes reach the grid
    ("45804", D),  # Excel serial day number
    ("45804.0", D),
    ("२७.०५.२०२५", D),
    ("27-May-2025", D),
    ("27 May 2025", D),
    ("27-MAY-2025", D),
    (" 27.05.2025 ", D),
    ("5/6/2025", dt.date(2025, 6, 5)),  # day first, always
    ("", BLANK),
    ("-", BLANK),
    ("NA", BLANK),
    (None, BLANK),
    ("31.02.2025", BAD),
    ("32.01.2025", BAD),
    ("27.05.1925", BAD),  # outside the years reports are dated in
    ("00000", BAD),
    ("hello", BAD),
    ("123456", BAD),
]


@pytest.fixture(scope="module")
def duck():
    con = duckdb.connect()
    values.install_macros(con)
    yield con
    con.close()


def _ids(cases):
    return [repr(text) for text, _ in cases]


@pytest.mark.parametrize(("text", "expected"), NUMBER_CASES, ids=_ids(NUMBER_CASES))
def test_number_sql_macro(duck, text, expected):
    number, bad = duck.execute("SELECT sk_num(?), sk_num_bad(?)", [text, text]).fetchall()[0]
    if expected == BLANK:
        assert (number, bad) == (None, False)
    elif expected == BAD:
        assert (number, bad) == (None, True)
    else:
        assert bad is False
        assert number == pytest.approx(expected)


@pytest.mark.parametrize(("text", "expected"), NUMBER_CASES, ids=_ids(NUMBER_CASES))
def test_number_python_twin(text, expected):
    if expected == BAD:
        with pytest.raises(ValueError):
            values.parse_number(text)
    elif expected == BLANK:
        assert values.parse_number(text) is None
    else:
        assert values.parse_number(text) == pytest.approx(expected)


@pytest.mark.parametrize(("text", "expected"), DATE_CASES, ids=_ids(DATE_CASES))
def test_date_sql_macro(duck, text, expected):
    day, bad = duck.execute("SELECT sk_date(?), sk_date_bad(?)", [text, text]).fetchall()[0]
    if expected == BLANK:
        assert (day, bad) == (None, False)
    elif expected == BAD:
        assert (day, bad) == (None, True)
    else:
        assert (day, bad) == (expected, False)


@pytest.mark.parametrize(("text", "expected"), DATE_CASES, ids=_ids(DATE_CASES))
def test_date_python_twin(text, expected):
    if expected == BAD:
        with pytest.raises(ValueError):
            values.parse_date(text)
    elif expected == BLANK:
        assert values.parse_date(text) is None
    else:
        assert values.parse_date(text) == expected


def test_macros_give_the_same_answers_over_a_whole_column(duck):
    """The macros are vectorised: one query over a column answers as cell-by-cell calls do."""
    texts = [text for text, _ in NUMBER_CASES + DATE_CASES]
    column = duck.execute("SELECT sk_num(t), sk_num_bad(t), sk_date(t), sk_date_bad(t) "
                          "FROM unnest(?) WITH ORDINALITY AS u(t, i) ORDER BY i", [texts]).fetchall()
    one_by_one = [duck.execute("SELECT sk_num(?), sk_num_bad(?), sk_date(?), sk_date_bad(?)",
                               [text] * 4).fetchall()[0] for text in texts]
    assert column == one_by_one


def test_python_twin_takes_typed_cells():
    assert values.parse_number(42) == 42.0
    assert values.parse_number(2.5) == 2.5
    assert values.parse_date(dt.datetime(2025, 5, 27, 16, 5)) == D
    assert values.parse_date(D) == D


@pytest.mark.parametrize(("text", "expected"), [
    ("अररिया जिला : आयुष्मान कार्ड प्रतिवेदन दिनांक - 26/05/2025", [dt.date(2025, 5, 26)]),
    ("Ayushman card progress as on 28-05-2025", [dt.date(2025, 5, 28)]),
    ("दिनांक २७.०५.२०२५ की रिपोर्ट", [D]),
    ("Report of 27 May 2025", [D]),
    ("from 26.05.2025 to 28.05.2025", [dt.date(2025, 5, 26), dt.date(2025, 5, 28)]),
    ("Block-wise report, 350 camps, 3,00,000 cards", []),
    ("31.02.2025", []),
])
def test_dates_in_title_text(text, expected):
    assert values.dates_in_text(text) == expected


# ---------------------------------------------------------------- fmt

@pytest.mark.parametrize(("value", "places", "expected"), [
    (0, 0, "0"),
    (999, 0, "999"),
    (1000, 0, "1,000"),
    (123456, 0, "1,23,456"),
    (1234567, 0, "12,34,567"),
    (123456789, 0, "12,34,56,789"),
    (-1234567, 0, "-12,34,567"),
    (1234.5, 1, "1,234.5"),
    (1234567.25, 0, "12,34,567"),
    (2.5, 0, "3"),  # half up, as people round, not to even
    (None, 0, fmt.DASH),
    (float("nan"), 0, fmt.DASH),
])
def test_number_indian_grouping(value, places, expected):
    assert fmt.number(value, places) == expected


@pytest.mark.parametrize(("value", "lang", "expected"), [
    (300000, "en", "3 lakh"),
    (150000, "en", "1.5 lakh"),
    (12345678, "en", "1.23 crore"),
    (10000000, "en", "1 crore"),
    (99999, "en", "99,999"),
    (300000, "hi", "3 लाख"),
    (12345678, "hi", "1.23 करोड़"),
    (None, "hi", fmt.DASH),
])
def test_short_lakh_crore(value, lang, expected):
    assert fmt.short(value, lang) == expected


@pytest.mark.parametrize(("value", "expected"), [
    (45.67, "45.7%"),
    (12.25, "12.3%"),
    (100, "100.0%"),
    (0, "0.0%"),
    (None, fmt.DASH),
])
def test_pct(value, expected):
    assert fmt.pct(value) == expected


@pytest.mark.parametrize(("value", "expected"), [
    (D, "27-05-2025"),
    (dt.datetime(2025, 5, 27, 16, 5), "27-05-2025"),
    ("2025-05-27", "27-05-2025"),
    (None, fmt.DASH),
])
def test_date_dd_mm_yyyy(value, expected):
    assert fmt.date(value) == expected


def test_datetime_ist():
    assert fmt.datetime_ist(dt.datetime(2025, 5, 27, 16, 5)) == "27-05-2025 16:05 IST"
    utc = dt.datetime(2025, 5, 27, 10, 35, tzinfo=dt.UTC)
    assert fmt.datetime_ist(utc) == "27-05-2025 16:05 IST"
    assert fmt.datetime_ist("2025-05-27 16:05:00") == "27-05-2025 16:05 IST"
    assert fmt.datetime_ist(None) == fmt.DASH


def test_now_ist_is_india_time():
    utc_now = dt.datetime.now(dt.UTC).replace(tzinfo=None)
    offset = fmt.now_ist() - utc_now
    assert abs(offset - dt.timedelta(hours=5, minutes=30)) < dt.timedelta(minutes=1)
