"""The message catalogue: complete in English and Hindi, every key the code uses exists and
every key in it is used. Each check is one test that lists every key it finds wrong."""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pytest
from conftest import ROOT

from samiksha import i18n, places
from samiksha.errors import CLI, INFO, KEYED_PARAMS, PAGE, REFUSED, REJECTED, WARNING, Issue, page_key
from samiksha.kinds import registry

CATALOGUE = i18n.catalogue()
DEVANAGARI = re.compile(r"[\u0900-\u097f]")
LATIN_WORD = re.compile(r"[A-Za-z]{2,}")
PARAM = re.compile(r"\{(\w+)\}")


def sources() -> list[Path]:
    """Python that shows text to people: the package (with its subpackages), the pages and the app."""
    found = sorted((ROOT / "samiksha").rglob("*.py")) + sorted((ROOT / "pages").glob("*.py"))
    if (ROOT / "app.py").exists():
        found.append(ROOT / "app.py")
    return found


def package_sources() -> list[Path]:
    return sorted((ROOT / "samiksha").rglob("*.py"))


# t("key"...), t(f"prefix.{x}"...), t('prefix.' + x ...); the pages call it through their wrapper
# `tr` (`ui.tr` from app.py), the figures, maps and brief through `ctx.tr`, `b.tr`, `self.tr` and
# `ctx.subtitle` (a unit's key).
T_CALL = re.compile(r"""(?<![\w.])(?:\w+\.)?(?:t|tr|subtitle)\(\s*(f?)(["'])((?:(?!\2).)*)\2\s*(\+)?""")


def used_keys() -> list[tuple[str, str, str]]:
    """(file, kind, key or pattern) for every literal key passed to t()."""
    used = []
    for path in sources():
        for fstring, _, text, plus in T_CALL.findall(path.read_text(encoding="utf-8")):
            if fstring:
                pattern = "".join(".+" if part.startswith("{") else re.escape(part)
                                  for part in re.split(r"(\{[^}]*\})", text))
                used.append((path.name, "pattern", pattern))
            elif plus:
                used.append((path.name, "pattern", re.escape(text) + ".+"))
            else:
                used.append((path.name, "key", text))
    return used


def issue_codes() -> set[str]:
    """Every issue code raised or recorded in samiksha/, in Python or in generated SQL."""
    codes = set()
    for path in package_sources():
        text = path.read_text(encoding="utf-8")
        # IntakeError("code", ...) and IntakeError("a" if x else "b", ...)
        for head in re.findall(r"IntakeError\(([^,)]*)", text):
            codes.update(re.findall(r"""["']([a-z][a-z_]+)["']""", head))
        # Issue(SEVERITY, "code", ...)
        codes.update(re.findall(r"""Issue\(\s*[A-Z]+\s*,\s*["']([a-z][a-z_]+)["']""", text))
        # SQL literals such as 'bad_number' (column names passed to _cell/_label and
        # sequence names are not codes).
        codes.update(re.findall(r"(?<!header, )(?<!nextval\()'([a-z]+(?:_[a-z]+)+)'", text))
    return codes


def written_values() -> set[str]:
    """Every quoted word (or dotted name) in the code and the queries, and the canonical names of
    the alias lists: the values a key is built from (an issue code, a status, a file type...)."""
    texts = [path.read_text(encoding="utf-8") for path in sources()]
    texts += [path.read_text(encoding="utf-8") for path in sorted((ROOT / "queries").rglob("*.sql"))]
    found = {word for text in texts for word in re.findall(r"""["']([\w.-]+)["']""", text)}
    for path in sorted((ROOT / "samiksha" / "aliases").glob("*.csv")):
        with path.open(encoding="utf-8", newline="") as handle:
            found.update(row[0] for row in list(csv.reader(handle))[1:] if row)
    return found


# Keys the code builds in a way the scan does not read, each with the line that builds it (checked).
BUILT = {
    "workers.need_active_late": ("pages/workers.py", 'ui.tr(key + "_late"'),
    "workers.need_trained_late": ("pages/workers.py", 'ui.tr(key + "_late"'),
    "issue.last_meeting_before_formation": ("samiksha/kinds/shg.py", "'{name}_before_formation'"),
    "issue.last_saving_date_before_formation": ("samiksha/kinds/shg.py", "'{name}_before_formation'"),
}


def unused_keys() -> list[str]:
    """Catalogue keys no code says: not passed to t() (nor written out whole), not matched by a
    t(f"prefix.{x}") whose x is a value written somewhere, not an issue code nor a keyed parameter."""
    used = used_keys()
    literal = {key for _, kind, key in used if kind == "key"}
    # t(f"{section}.{value}") (errors.py, the keyed parameters) would match every key: those
    # sections are checked against their values below.
    patterns = {pattern for _, kind, pattern in used if kind == "pattern" and not pattern.startswith(".+")}
    values = written_values()

    def said(key: str) -> bool:
        section, _, name = key.partition(".")
        if key in literal or key in values or key in BUILT:
            return True
        for pattern in patterns:
            if re.fullmatch(pattern, key):
                if not pattern.endswith(".+"):  # a fixed ending too: t(f"cli.{command}_done")
                    return True
                if key[len(re.sub(r"\\(.)", r"\1", pattern[:-2])):] in values:  # the open end is a value
                    return True
        if section == "issue" or section in KEYED_PARAMS.values():
            return name in values
        if section.endswith("_page"):  # a page's wording of a message (errors.page_key)
            return said(f"{section[:-len('_page')]}.{name}")
        return False

    return sorted(key for key in CATALOGUE if not said(key))


def test_catalogue_is_not_empty():
    assert len(CATALOGUE) > 100


def test_every_message_has_english_and_hindi():
    incomplete = sorted(key for key, texts in CATALOGUE.items()
                        if set(texts) != {"en", "hi"} or not all(str(text).strip() for text in texts.values()))
    assert incomplete == [], f"not in both languages: {incomplete}"


def test_hindi_messages_are_in_devanagari():
    """A message with English words has Devanagari in its Hindi (not the English left in)."""
    latin = sorted(key for key, texts in CATALOGUE.items()
                   if LATIN_WORD.search(PARAM.sub("", texts.get("en", ""))) and not DEVANAGARI.search(texts.get("hi", "")))
    assert latin == [], f"Hindi without Devanagari: {latin}"


def test_both_languages_take_the_same_parameters():
    differ = {key: (sorted(set(PARAM.findall(texts.get("en", "")))), sorted(set(PARAM.findall(texts.get("hi", "")))))
              for key, texts in CATALOGUE.items()}
    wrong = {key: both for key, both in differ.items() if both[0] != both[1]}
    assert wrong == {}, f"parameters (en, hi) differ: {wrong}"


def test_every_key_in_the_catalogue_is_used():
    unused = unused_keys()
    assert unused == [], f"in the catalogue, said by no code: {unused}"


def test_the_unused_scan_finds_a_key_no_code_says(monkeypatch):
    """The scan is not blind: a key added to the catalogue and said nowhere is reported, and so is
    a page wording whose message is unused; the keys built out of its sight are where BUILT says."""
    before = set(unused_keys())
    monkeypatch.setitem(CATALOGUE, "overview.never_said", {"en": "Never said", "hi": "कभी नहीं कहा"})
    monkeypatch.setitem(CATALOGUE, "issue_page.never_raised", {"en": "Never raised", "hi": "कभी नहीं"})
    monkeypatch.setitem(CATALOGUE, "channel.Postman", {"en": "Postman", "hi": "डाकिया"})
    assert set(unused_keys()) - before == {"channel.Postman", "issue_page.never_raised", "overview.never_said"}
    for key, (file, line) in BUILT.items():
        assert key in CATALOGUE, key
        assert line in (ROOT / file).read_text(encoding="utf-8"), (key, file)


def test_the_scan_finds_the_keys_the_code_uses():
    found = used_keys()
    kinds = {kind for _, kind, _ in found}
    assert kinds == {"key", "pattern"}
    assert ("errors.py", "key", "issue.at_row") in found
    if (ROOT / "app.py").exists():
        assert {file for file, _, _ in found} >= {"app.py", "cli.py", "report.py"}


def test_every_key_used_in_the_code_exists():
    missing = []
    for file, kind, key in used_keys():
        if kind == "key" and key not in CATALOGUE:
            missing.append((file, key))
        if kind == "pattern" and not any(re.fullmatch(key, known) for known in CATALOGUE):
            missing.append((file, key))
    assert missing == []


def test_the_issue_scan_finds_codes_from_python_and_sql():
    codes = issue_codes()
    assert {"empty_file", "no_header", "missing_columns", "single_byte_encoding", "totals_mismatch",
            "bad_number", "conflicting_rows", "cumulative_down"} <= codes


def test_every_issue_code_has_a_message():
    missing = sorted(code for code in issue_codes() if f"issue.{code}" not in CATALOGUE)
    assert missing == []


@pytest.mark.parametrize("group", ["field", "how", "severity", "kind", "level"])
def test_every_shown_name_has_a_message(group):
    """Names the report builds keys from: fields, how a name matched, severities, kinds, levels."""
    names = {
        "field": {spec.name for kind in registry.TABLE_KINDS for spec in kind.FIELDS} | {"not_used"},
        "how": {places.CODE, places.EXACT, places.FUZZY, places.CONFIRMED, places.UNMATCHED, places.WRITTEN},
        "severity": {REFUSED, REJECTED, WARNING, INFO},
        "kind": set(registry.NAMES),
        "level": {"district", "block", "panchayat", "village"},
    }[group]
    missing = sorted(name for name in names if f"{group}.{name}" not in CATALOGUE)
    assert missing == []


@pytest.mark.parametrize("lang", ["en", "hi"])
def test_parameters_are_filled_in(lang):
    text = i18n.t("report.counts", lang, accepted=1234567, warned=0, rejected=3)
    assert "12,34,567" in text and "{" not in text
    assert bool(DEVANAGARI.search(text)) is (lang == "hi")
    issue = Issue(REJECTED, "no_figures", row=7)
    assert "7" in issue.text(lang) and "{" not in issue.text(lang)


def test_an_unknown_key_shows_the_key():
    assert i18n.t("no.such_key", "hi") == "no.such_key"


STAGNANT_HI = "ठहर"  # ठहरे हुए / ठहरा हुआ: "stagnant" (स्थिर reads as "stable", which sounds good)


def test_hindi_says_stagnant_one_way_only():
    """"Stagnant" is ठहरे हुए everywhere (page, brief, Excel): never स्थिर, which means stable."""
    assert [key for key, texts in CATALOGUE.items() if "स्थिर" in texts["hi"]] == []
    stagnant = {key: texts["hi"] for key, texts in CATALOGUE.items()
                if re.search(r"\bstagnant\b", re.sub(r"stagnant_shgs", "", texts["en"]), re.I)}
    assert len(stagnant) >= 8  # the page's metric, tab, column, chart, Excel file, brief, rules, settings
    assert {key: hi for key, hi in stagnant.items() if STAGNANT_HI not in hi} == {}


FLAG = re.compile(r"--[a-z]+")
# The page's control for each option a remedy names (None: no control, the page says another way).
CONTROLS = {"--date": "upload.use_date", "--indicator": "upload.indicator", "--db": None, "--kind": None,
            "--column": None,  # the page names its column table
            "--name": "upload.shape_name", "--code": "upload.shape_code"}  # --name-column, --code-column


def shown_on_pages(key: str) -> bool:
    """Every message but the command line's own ([cli]) and the pages' how-to-add help, which
    gives the page's way first and names the command as the other way, on purpose."""
    return not key.startswith(("cli.", "issue_page.")) and not key.endswith(".how_to_add")


def test_every_message_naming_a_flag_has_a_page_wording_without_one():
    """A refusal shown on a page gives the page's remedy: each message whose remedy is a
    command-line option has a page variant (errors.page_key) that names the page's control."""
    flagged = {key: texts for key, texts in CATALOGUE.items()
               if shown_on_pages(key) and any(FLAG.search(text) for text in texts.values())}
    assert {"issue.no_report_date", "issue.no_register_date", "issue.no_output_date", "issue.indicator_ambiguous",
            "issue.no_indicator", "issue.title_dates_ambiguous", "issue.store_locked"} <= set(flagged)
    for key, texts in flagged.items():
        page = CATALOGUE.get(page_key(key))
        assert page is not None, f"{key} names {FLAG.findall(texts['en'])} but has no page wording"
        for lang in ("en", "hi"):
            assert not FLAG.search(page[lang]), (key, lang, page[lang])
            assert set(re.findall(r"\{(\w+)\}", page[lang])) == set(re.findall(r"\{(\w+)\}", texts["en"])), key
            for flag in FLAG.findall(texts["en"]):
                if CONTROLS[flag]:
                    assert i18n.t(CONTROLS[flag], lang) in page[lang], (key, lang, flag)
            assert FLAG.findall(texts[lang]) == FLAG.findall(texts["en"]), (key, lang)  # the CLI names it in both


def test_an_issue_says_its_page_wording_only_on_a_page():
    issue = Issue(REFUSED, "no_register_date")
    assert "(--date)" in issue.text("en") and "(--date)" in issue.text("hi", CLI)
    assert issue.text("en", PAGE) == i18n.t("issue_page.no_register_date", "en")
    assert "Date for files without one" in issue.text("en", PAGE)
    plain = Issue(REFUSED, "empty_file")  # no page wording: the same everywhere
    assert plain.text("hi", PAGE) == plain.text("hi", CLI) == i18n.t("issue.empty_file", "hi")


ISSUE_SAID = re.compile(r"(?:issue\.text|issue\.message|\bi\.message|report\.(?:headline|reading_lines|shape_lines|"
                        r"issue_lines|full))\(((?:[^()]|\([^()]*\))*)\)")


def test_the_pages_say_issues_in_their_page_wording():
    """Every place a page shows an issue or an upload's report asks for the PAGE wording."""
    said = [(path.name, args) for path in sorted((ROOT / "pages").glob("*.py"))
            for args in ISSUE_SAID.findall(path.read_text(encoding="utf-8"))]
    assert len(said) >= 10 and {name for name, _ in said} >= {"upload.py", "settings.py", "map.py", "_shared.py"}
    assert [(name, args) for name, args in said if not re.search(r"\bPAGE\b", args)] == []
