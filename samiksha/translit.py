"""Devanagari place names written in Latin letters, the way they are usually spelled.

Two readings of each word are given: with every inherent 'a' kept but the last
(अररिया -> arariya) and with the usual Hindi medial schwa dropped (नरपतगंज -> narpatganj);
a name matches when either reading does. A word that starts with स्थ is read with and
without the 'a' Bihar spells before it (स्थान, Asthan).
"""

from __future__ import annotations

import re
import unicodedata

VOWELS = {
    "अ": "a", "आ": "aa", "इ": "i", "ई": "ee", "उ": "u", "ऊ": "oo", "ऋ": "ri", "ए": "e",
    "ऐ": "ai", "ओ": "o", "औ": "au", "ऑ": "o", "ऍ": "e",
}
MATRAS = {
    "ा": "aa", "ि": "i", "ी": "ee", "ु": "u", "ू": "oo", "ृ": "ri", "े": "e", "ै": "ai",
    "ो": "o", "ौ": "au", "ॉ": "o", "ॅ": "e",
}
CONSONANTS = {
    "क": "k", "ख": "kh", "ग": "g", "घ": "gh", "ङ": "n", "च": "ch", "छ": "chh", "ज": "j",
    "झ": "jh", "ञ": "n", "ट": "t", "ठ": "th", "ड": "d", "ढ": "dh", "ण": "n", "त": "t",
    "थ": "th", "द": "d", "ध": "dh", "न": "n", "प": "p", "फ": "ph", "ब": "b", "भ": "bh",
    "म": "m", "य": "y", "र": "r", "ल": "l", "व": "v", "श": "sh", "ष": "sh", "स": "s",
    "ह": "h", "ळ": "l",
}
NUKTA_FORMS = {"क": "q", "ख": "kh", "ग": "g", "ज": "z", "ड": "r", "ढ": "rh", "फ": "f", "य": "y"}
VIRAMA, NUKTA = "्", "़"
SIGNS = {"ं": "n", "ँ": "n", "ः": "h"}
DIGITS = dict(zip("०१२३४५६७८९", "0123456789", strict=True))


_DEVANAGARI = re.compile("[\u0900-\u097f]")


def is_devanagari(text: str) -> bool:
    return _DEVANAGARI.search(text) is not None


def _syllables(word: str) -> list[list]:
    """[consonant cluster, vowel, coda, the cluster's consonants] units; vowel 'A' marks an
    inherent schwa."""
    units: list[list] = []
    chars = unicodedata.normalize("NFD", word)
    i = 0
    while i < len(chars):
        ch = chars[i]
        nxt = chars[i + 1] if i + 1 < len(chars) else ""
        if ch in CONSONANTS:
            sound = NUKTA_FORMS.get(ch, CONSONANTS[ch]) if nxt == NUKTA else CONSONANTS[ch]
            i += 2 if nxt == NUKTA else 1
            if units and units[-1][1] == "" and units[-1][2] == "":
                units[-1][0] += sound  # after a virama: part of the same cluster
                units[-1][1] = "A"
                units[-1][3].append(sound)
            else:
                units.append([sound, "A", "", [sound]])
            continue
        if ch == VIRAMA and units:
            units[-1][1] = ""
        elif ch in MATRAS and units:
            units[-1][1] = MATRAS[ch]
        elif ch in VOWELS:
            units.append(["", VOWELS[ch], "", []])
        elif ch in SIGNS and units:
            units[-1][2] += SIGNS[ch]
        elif ch in DIGITS:
            units.append([DIGITS[ch], "", "", []])
        elif ch.isascii() and ch.isalnum():
            units.append([ch.lower(), "", "", []])
        i += 1
    return units


def _doubled(unit: list) -> bool:
    """A cluster of one consonant said twice, the second maybe aspirated (ट्ट, त्थ, च्छ)."""
    consonants = unit[3]
    return len(consonants) == 2 and consonants[1].startswith(consonants[0])


def _render(units: list[list], drop_medial: bool) -> str:
    """A word's letters; with drop_medial, a schwa after a single consonant is not said
    (नरपतगंज -> narpatganj, घनश्याम -> ghanshyam), but one after a cluster or before a doubled
    consonant is (उत्तरी -> uttari, not uttri; बाराचट्टी -> barachatti)."""
    out = []
    last = len(units) - 1
    kept_previous = True
    for index, (cluster, vowel, coda, consonants) in enumerate(units):
        if vowel == "A":
            final = index == last and not coda
            medial = (
                drop_medial
                and 0 < index < last
                and kept_previous
                and not coda
                and len(consonants) == 1
                and units[index + 1][0] != ""
                and not _doubled(units[index + 1])
                and units[index + 1][1] != ""
                and not (index + 1 == last and units[index + 1][1] == "A" and not units[index + 1][2])
            )
            vowel = "" if (final and index > 0) or medial else "a"
            kept_previous = vowel != ""
        else:
            kept_previous = True
        out.append(cluster + vowel + coda)
    return "".join(out)


def readings(text: str) -> list[str]:
    """Latin readings of a Devanagari name (full schwa, and medial schwa dropped); a word
    that starts with स्थ is also read with the 'a' Bihar spells before it (स्थान -> asthan, as in
    KUSHESHWAR ASTHAN)."""
    words = text.split()
    full = " ".join(_render(_syllables(w), drop_medial=False) for w in words)
    short = " ".join(_render(_syllables(w), drop_medial=True) for w in words)
    found = [full, short]
    found += [" ".join("a" + w if w.startswith("sth") else w for w in r.split(" ")) for r in found]
    return list(dict.fromkeys(found))
