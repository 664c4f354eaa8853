"""The message catalogue: every string a user sees, in English and Hindi.

Messages live in `messages.toml` as `[section]` tables of `key = { en = "...", hi = "..." }`
and are looked up as "section.key". Parameters use `{name}`; numbers are shown in Indian
format and dates as dd-mm-yyyy.
"""

from __future__ import annotations

import datetime as dt
import functools
import os
import tomllib
from pathlib import Path

from samiksha import fmt

LANGUAGES = ("en", "hi")
CATALOGUE_PATH = Path(__file__).with_name("messages.toml")


@functools.cache
def catalogue() -> dict[str, dict[str, str]]:
    """{"section.key": {"en": ..., "hi": ...}} read once."""
    with CATALOGUE_PATH.open("rb") as fh:
        raw = tomllib.load(fh)
    flat: dict[str, dict[str, str]] = {}
    for section, entries in raw.items():
        for key, texts in entries.items():
            flat[f"{section}.{key}"] = texts
    return flat


def default_lang() -> str:
    lang = os.environ.get("SAMIKSHA_LANG", "en")
    return lang if lang in LANGUAGES else "en"


def _show(value, lang: str) -> str:
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int):
        return fmt.number(value)
    if isinstance(value, float):
        return fmt.number(value, 0 if value.is_integer() else 1)
    if isinstance(value, dt.datetime):
        return fmt.datetime_ist(value)
    if isinstance(value, dt.date):
        return fmt.date(value)
    return str(value)


def t(key: str, lang: str | None = None, **params) -> str:
    """The message `key` in `lang` with `params` filled in."""
    lang = lang or default_lang()
    texts = catalogue().get(key)
    if texts is None:
        return key
    template = texts.get(lang) or texts["en"]
    shown = {name: _show(value, lang) for name, value in params.items()}
    try:
        return template.format(**shown)
    except (KeyError, IndexError):
        return template
