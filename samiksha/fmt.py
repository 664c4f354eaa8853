"""Indian number format, dd-mm-yyyy dates and IST times, in English or Hindi."""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal

IST = dt.timezone(dt.timedelta(hours=5, minutes=30), "IST")
DASH = "—"
_UNITS = {"en": ("lakh", "crore"), "hi": ("लाख", "करोड़")}


def missing(value) -> bool:
    """None, NaN, NaT or pandas' NA: no value to show."""
    if value is None:
        return True
    try:
        return bool(value != value)
    except TypeError:  # pandas.NA refuses to be a bool
        return True


def now_ist() -> dt.datetime:
    """The current time in IST, without a zone (how the store keeps times)."""
    return dt.datetime.now(IST).replace(tzinfo=None)


def group_indian(digits: str) -> str:
    """'1234567' -> '12,34,567' (last three digits, then pairs)."""
    if len(digits) <= 3:
        return digits
    head, tail = digits[:-3], digits[-3:]
    pairs = []
    while len(head) > 2:
        pairs.insert(0, head[-2:])
        head = head[:-2]
    return ",".join([head, *pairs, tail])


def _round(value: float, places: int) -> Decimal:
    quantum = Decimal(1).scaleb(-places)
    return Decimal(str(value)).quantize(quantum, rounding=ROUND_HALF_UP)


def number(value, places: int = 0) -> str:
    """12,34,567 or 1,234.5: Indian grouping; a dash for no value."""
    if missing(value):
        return DASH
    if float(value) in (float("inf"), float("-inf")):
        return "∞" if float(value) > 0 else "-∞"
    rounded = _round(float(value), places)
    sign = "-" if rounded < 0 else ""
    text = f"{abs(rounded):.{places}f}"
    whole, _, frac = text.partition(".")
    return sign + group_indian(whole) + (f".{frac}" if frac else "")


def short(value, lang: str = "en") -> str:
    """1.2 lakh / 3.4 crore for large figures; plain grouping below one lakh."""
    if missing(value):
        return DASH
    lakh, crore = _UNITS.get(lang, _UNITS["en"])
    size = abs(float(value))
    if size >= 1e7:
        return f"{_trim(float(value) / 1e7)} {crore}"
    if size >= 1e5:
        return f"{_trim(float(value) / 1e5)} {lakh}"
    return number(value)


def _trim(value: float) -> str:
    text = f"{_round(value, 2):f}".rstrip("0").rstrip(".")
    return text


def pct(value, places: int = 1) -> str:
    if missing(value):
        return DASH
    return f"{_round(float(value), places):f}%"


def date(value) -> str:
    """dd-mm-yyyy; accepts a date, datetime or ISO string."""
    if missing(value):
        return DASH
    if isinstance(value, str):
        value = dt.date.fromisoformat(value[:10])
    return value.strftime("%d-%m-%Y")


def datetime_ist(value) -> str:
    """dd-mm-yyyy HH:MM IST for a time stored in IST."""
    if missing(value):
        return DASH
    if isinstance(value, str):
        value = dt.datetime.fromisoformat(value)
    if value.tzinfo is not None:
        value = value.astimezone(IST)
    return value.strftime("%d-%m-%Y %H:%M") + " IST"


def rupees(value) -> str:
    """₹12,34,567 (whole rupees, Indian grouping); a dash for no value."""
    if missing(value):
        return DASH
    return "₹" + number(value)
