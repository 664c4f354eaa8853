"""Matching place names as written in reports to the district's gazetteer.

In order, within the parent place (district, then block): a code; a name confirmed earlier
by a person; the exact name (English or Hindi); the name normalised (case, spacing,
punctuation, common spelling variants); Devanagari read in Latin letters; and last a fuzzy
score with a threshold and a margin over the next candidate. Anything doubtful stays
unmatched, kept as written, and is shown to a person: a name is never assigned to a place
it might not be.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field

from rapidfuzz import fuzz

from samiksha.translit import is_devanagari, readings

FUZZY_SURE = 90  # score (0-100) at or above which a unique fuzzy candidate is matched
FUZZY_MARGIN = 8  # lead the best candidate needs over the next one
SUGGEST_FROM = 75  # candidates at or above this are offered to the person

# Vowel length is folded first, so that the long vowels of a Devanagari reading (औराई ->
# auraaee) meet the short English spelling (AURAI) before the two-letter rules read them.
VOWEL_LENGTH = [("aa", "a"), ("ii", "i"), ("ee", "i"), ("uu", "u"), ("oo", "u")]
# Then the two-letter rules, in this order: Singh as सिंह is read (sinh), aspirates and the
# like, y read as i (Gayghat / GAIGHAT, Raydih / RAIDIH) before the vowel pairs, read last.
PHONETIC = [
    ("gunj", "ganj"), ("ngh", "nh"), ("chh", "c"), ("ch", "c"), ("sh", "s"), ("bh", "b"),
    ("dh", "d"), ("th", "t"), ("kh", "k"), ("gh", "g"), ("ph", "p"), ("jh", "j"), ("f", "p"),
    ("w", "v"), ("z", "j"), ("q", "k"), ("ck", "k"), ("ey", "e"), ("y", "i"), ("ou", "o"),
    ("au", "o"), ("ai", "e"), ("ea", "ia"), ("mp", "np"), ("mb", "nb"),
]


def _spelling(text: str) -> str:
    """Letters folded: vowel length, then the two-letter rules, then doubled letters."""
    for old, new in VOWEL_LENGTH + PHONETIC:
        text = text.replace(old, new)
    return re.sub(r"([a-z])\1+", r"\1", text)


# Words that tell two places apart and must agree exactly (Kusheshwar Asthan vs ... Purbi),
# as English offices spell them and as Devanagari is read (पूर्वी -> poorvee). They are kept
# by their folded spelling, so that every spelling that folds alike is the same word.
DIRECTION_SPELLINGS = {
    "east": ["east", "purbi", "purvi", "poorvi", "poorbi", "purwi", "purv", "purb", "purab",
             "purba", "purva"],
    "west": ["west", "paschim", "pashchim", "paschimi", "pashchimi", "pachhim", "pachhimi"],
    "north": ["north", "uttar", "uttari"],
    "south": ["south", "dakshin", "dakshini", "dachhin", "dachhini"],
    "kalan": ["kalan", "kala"],
    "khurd": ["khurd", "khurda"],
}
DIRECTION_WORDS = {_spelling(spelt): word
                   for word, spellings in DIRECTION_SPELLINGS.items() for spelt in spellings}
CODE, EXACT, FUZZY, CONFIRMED, UNMATCHED = "code", "exact", "fuzzy", "confirmed", "unmatched"
WRITTEN = "written"  # no gazetteer: kept as written
REJECTED = "!"  # a confirmation "!<code>": a person said the name is not that place
KEPT = "~"  # a block a person keeps as written (no gazetteer block): code "~<name>", counted
ANY_PARENT = "*"  # scope of a level when the parent is not known


@dataclass(frozen=True)
class Place:
    level: str  # district, block, panchayat, village
    code: str
    name: str
    name_hi: str | None = None
    parent_code: str | None = None


@dataclass
class Match:
    written: str
    level: str
    parent_code: str | None
    code: str | None
    name: str
    how: str
    method: str = ""
    score: float | None = None
    candidates: list[tuple[str, str, float]] = field(default_factory=list)
    rows: int | None = None  # how many rows of the upload carry this name


def kept_code(name: str) -> str:
    """The code of a block a person kept as written: it counts in the figures as its own place."""
    return KEPT + tidy(name)


def tidy(name: str) -> str:
    """A name kept as written: trimmed, single spaces, one casing for Latin letters."""
    text = " ".join(unicodedata.normalize("NFC", str(name)).split())
    if not is_devanagari(text) and (text.isupper() or text.islower()):
        text = text.title()
    return text


def exact_key(name: str) -> str:
    return " ".join(unicodedata.normalize("NFC", str(name)).casefold().split())


DIRECTION_LETTERS = {"e": "east", "w": "west", "n": "north", "s": "south"}
ROMAN = {"i": "1", "ii": "2", "iii": "3", "iv": "4", "v": "5", "vi": "6"}


def _tokens(latin: str) -> list[str]:
    """Words and numbers; a last one-letter word such as "E." is read as a direction, and a
    Roman numeral after the name as its number (BAGAHA-II is Bagaha 2, never Bagaha-I)."""
    tokens = re.findall(r"[a-z]+|\d+", latin.lower())
    if len(tokens) > 1 and tokens[-1] in DIRECTION_LETTERS:
        tokens[-1] = DIRECTION_LETTERS[tokens[-1]]
    return tokens[:1] + [ROMAN.get(tok, tok) for tok in tokens[1:]]


@functools.lru_cache(maxsize=65536)
def direction(token: str) -> str | None:
    """The direction (or Kalan/Khurd) a word names, however it is spelt: Poorvee, Purbi, East."""
    return DIRECTION_WORDS.get(_spelling(token))


def guard(latin: str) -> tuple:
    """What must agree exactly between two names: direction words and numbers."""
    tokens = _tokens(latin)
    return tuple(sorted(tok if tok.isdigit() else direction(tok) for tok in tokens
                        if tok.isdigit() or direction(tok)))


@functools.lru_cache(maxsize=65536)
def fold(latin: str) -> str:
    """Spelling-variant folding: Mushahari/Musahari, Gora Bauram/GAURABAURAM, ganj/gunj,
    औराई (auraaee)/AURAI; a direction word becomes the direction it names."""
    return _spelling("".join(direction(tok) or tok for tok in _tokens(latin)))


@functools.lru_cache(maxsize=65536)
def latin_forms(name: str) -> tuple[str, ...]:
    """The Latin spellings a name can be compared in (with bracketed parts split off)."""
    base = unicodedata.normalize("NFC", name)
    pieces = [base]
    inner = re.findall(r"\((.*?)\)", base)
    if inner:
        pieces.append(re.sub(r"\(.*?\)", " ", base))
        pieces.extend(inner)
    forms = []
    for piece in pieces:
        forms.extend(readings(piece) if is_devanagari(piece) else [piece])
    return tuple(f for f in forms if f.strip())


def name_guard(name: str) -> tuple:
    """The guard of a whole name, bracketed parts included: each of its forms is compared under
    it, so that Kusheshwar Asthan (Purbi), split into Kusheshwar Asthan and Purbi, is never
    Kusheshwar Asthan."""
    forms = latin_forms(name)
    return guard(forms[0]) if forms else ()


class Matcher:
    """Matches names to one level of the gazetteer, within a parent."""

    def __init__(self, places: list[Place], confirmed: dict | None = None, written: dict | None = None):
        self.places = places
        # With no gazetteer for a level: the names stored before ({level: [name]}), so that the
        # same place written in another script, spelling, case or spacing stays one place.
        self.written = {level: Matcher([Place(level, name, name) for name in names])
                        for level, names in (written or {}).items() if names}
        self.by_code = {(p.level, p.code): p for p in places}
        self.confirmed = confirmed or {}  # (level, parent_code, exact_key) -> code or ""
        self.exact: dict[tuple, set] = defaultdict(set)
        self.folded: dict[tuple, set] = defaultdict(set)
        self.forms: dict[tuple, list[tuple[str, tuple]]] = defaultdict(list)
        self.guards: dict[tuple, set[tuple]] = defaultdict(set)
        self.scopes: dict[tuple, list[Place]] = defaultdict(list)
        for place in places:
            # Each place is found within its parent, and (parent unknown) among all of its level.
            for scope in ((place.level, place.parent_code), (place.level, ANY_PARENT)):
                self.scopes[scope].append(place)
                for written in filter(None, (place.name, place.name_hi)):
                    self.exact[scope + (exact_key(written),)].add(place.code)
                    for form in latin_forms(written):
                        self.folded[scope + (fold(form),)].add(place.code)
            for written in filter(None, (place.name, place.name_hi)):
                tells = name_guard(written)
                self.guards[(place.level, place.code)].add(tells)
                self.forms[(place.level, place.code)] += [(fold(form), tells) for form in latin_forms(written)]

    def has(self, level: str) -> bool:
        return any(p.level == level for p in self.places)

    def match(self, level: str, written: str, parent_code: str | None = None,
              code: str | None = None) -> Match:
        name = tidy(written)
        if not self.has(level):
            return self._as_stored(written, level, parent_code, name)
        if code and (level, str(code)) in self.by_code:
            place = self.by_code[(level, str(code))]
            return self._made(written, place, CODE, "code")
        key = (level, parent_code, exact_key(written))
        if key not in self.confirmed and parent_code is None:
            # The parent is not known: a confirmation made under one parent only still holds.
            under = [k for k in self.confirmed if k[0] == level and k[2] == key[2]]
            key = under[0] if len(under) == 1 else key
        if key in self.confirmed:
            chosen = self.confirmed[key]
            if chosen.startswith(REJECTED):  # a person said it is not that place: asked again
                made = self._fuzzy(written, level, parent_code, name, not_code=chosen[len(REJECTED):])
                made.how, made.code, made.name, made.method = UNMATCHED, None, name, "rejected"
                return made
            if chosen and (level, chosen) in self.by_code:
                return self._made(written, self.by_code[(level, chosen)], CONFIRMED, "confirmed")
            return Match(written, level, parent_code, kept_code(name) if level == "block" else None, name,
                         CONFIRMED, "kept as written")
        scope = (level, parent_code if parent_code is not None else ANY_PARENT)
        for method, codes in self._deterministic(scope, written):
            if len(codes) == 1:
                return self._made(written, self.by_code[(level, next(iter(codes)))], EXACT, method)
            if len(codes) > 1:
                return self._unmatched(written, level, parent_code, name, "ambiguous", codes)
        return self._fuzzy(written, level, parent_code, name)

    def find_in(self, text: str, level: str, parent_code: str | None = None, longest: int = 5) -> list[Place]:
        """The places of a level whose names stand in free text (a title row, a file name), whole
        words, in English or Hindi, spelt as the matching reads them ("Block: Kusheshwar Asthan
        Purbi", "प्रखंड मुशहरी", "musahari_daily"). A name inside a longer one found at the same
        place in the text (Kusheshwar Asthan in Kusheshwar Asthan Purbi) is not counted."""
        words = re.findall(r"[A-Za-z]+|[\u0900-\u097f]+", unicodedata.normalize("NFC", str(text)))
        scope = (level, parent_code if parent_code is not None else ANY_PARENT)
        found: list[tuple[int, int, str]] = []  # (start, end, code)
        for size in range(min(longest, len(words)), 0, -1):
            for start in range(len(words) - size + 1):
                window = " ".join(words[start:start + size])
                codes = set(self.exact.get(scope + (exact_key(window),), set()))
                for form in latin_forms(window):
                    if len(fold(form)) >= 3:
                        codes |= self.folded.get(scope + (fold(form),), set())
                if len(codes) != 1:
                    continue
                code = next(iter(codes))
                if name_guard(window) not in self.guards[(level, code)]:
                    continue  # a part of a name that has a direction word or number the text lacks
                if any(s <= start and start + size <= e for s, e, _ in found):
                    continue  # inside a longer name already found there
                found.append((start, start + size, code))
        codes = list(dict.fromkeys(code for _, _, code in found))
        return [self.by_code[(level, code)] for code in codes]

    def _deterministic(self, scope, written):
        yield "exact", self.exact.get(scope + (exact_key(written),), set())
        folded = set()
        for form in latin_forms(written):
            folded |= self.folded.get(scope + (fold(form),), set())
        if len(folded) == 1 and name_guard(written) not in self.guards[(scope[0], next(iter(folded)))]:
            folded = set()  # found by a part of the name only, leaving out a direction word or number
        yield ("transliterated" if is_devanagari(written) else "normalised"), folded

    def _fuzzy(self, written, level, parent_code, name, not_code: str | None = None) -> Match:
        tells = name_guard(written)
        mine = [(fold(f), tells) for f in latin_forms(written)]
        scored = []
        scope = (level, parent_code if parent_code is not None else ANY_PARENT)
        for place in self.scopes.get(scope, []):
            if place.code == not_code:
                continue
            theirs = self.forms[(level, place.code)]
            best = max((fuzz.ratio(a, b) for a, ga in mine for b, gb in theirs if ga == gb),
                       default=0.0)
            scored.append((best, place))
        scored.sort(key=lambda item: (-item[0], item[1].name))
        candidates = [(p.name, p.code, round(s, 1)) for s, p in scored[:3] if s >= SUGGEST_FROM]
        if scored and scored[0][0] >= FUZZY_SURE:
            runner_up = scored[1][0] if len(scored) > 1 else 0.0
            if scored[0][0] - runner_up >= FUZZY_MARGIN:
                made = self._made(written, scored[0][1], FUZZY, "fuzzy")
                made.score = round(scored[0][0], 1)
                made.candidates = candidates
                return made
        return Match(written, level, parent_code, None, name, UNMATCHED, "", None, candidates)

    def _as_stored(self, written, level, parent_code, name) -> Match:
        """No gazetteer: a name that surely is one stored before (the same words read in Latin
        letters, spelling variants folded) takes that name; a close one is kept as written, with
        the stored name it may be given as a candidate to ask about."""
        before = self.written.get(level)
        if before is None:
            return Match(written, level, parent_code, None, name, WRITTEN)
        found = before.match(level, written)
        if found.how == EXACT:
            return Match(written, level, parent_code, None, found.name, WRITTEN,
                         "" if exact_key(found.name) == exact_key(name) else "same as stored")
        candidates = [(n, "", score) for n, _, score in found.candidates if exact_key(n) != exact_key(name)]
        return Match(written, level, parent_code, None, name, WRITTEN, "like stored" if candidates else "", None,
                     candidates)

    def _unmatched(self, written, level, parent_code, name, method, codes) -> Match:
        candidates = [(self.by_code[(level, c)].name, c, 100.0) for c in sorted(codes)]
        return Match(written, level, parent_code, None, name, UNMATCHED, method, None, candidates)

    @staticmethod
    def _made(written: str, place: Place, how: str, method: str) -> Match:
        return Match(written, place.level, place.parent_code, place.code, place.name, how, method)
