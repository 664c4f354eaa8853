"""Matching place names as written to a hand-made gazetteer: sure matches only, never a wrong one."""

from __future__ import annotations

import pytest

from samiksha import places
from samiksha.places import Matcher, Place

ARARIA, DARBHANGA, SARAN = "188", "230", "250"
GAZETTEER = [
    Place("district", ARARIA, "Araria", "अररिया", "10"),
    Place("district", DARBHANGA, "Darbhanga", "दरभंगा", "10"),
    Place("district", SARAN, "Saran", "सारण", "10"),
    # Araria
    Place("block", "1624", "Araria", "अररिया", ARARIA),
    Place("block", "1625", "Bhargama", "भरगामा", ARARIA),
    Place("block", "1626", "Narpatganj", "नरपतगंज", ARARIA),
    Place("block", "1627", "Forbesganj", "फारबिसगंज", ARARIA),
    Place("block", "1628", "Rampur", None, ARARIA),  # also a block of Saran (below)
    # Darbhanga
    Place("block", "2001", "Kusheshwar Asthan", "कुशेश्वर स्थान", DARBHANGA),
    Place("block", "2002", "Kusheshwar Asthan Purbi", "कुशेश्वर स्थान पूर्वी", DARBHANGA),
    Place("block", "2003", "Baruraj (Motipur)", None, DARBHANGA),
    Place("block", "2004", "Gora Bauram", "गौड़ा बौराम", DARBHANGA),
    Place("block", "2005", "Musahari", "मुशहरी", DARBHANGA),
    Place("block", "2006", "Bahadurganj", None, DARBHANGA),
    # Saran
    Place("block", "2501", "Marhaura", "मढ़ौरा", SARAN),
    Place("block", "2502", "Rampur", None, SARAN),
    # Panchayats
    Place("panchayat", "300501", "Panchayat 5", None, "2005"),
    Place("panchayat", "300502", "Panchayat 6", None, "2005"),
    Place("panchayat", "162401", "Basaiti", "बसैटी", "1624"),
    Place("panchayat", "162501", "Sirsia", "सिरसिया", "1625"),
]


@pytest.fixture(scope="module")
def matcher():
    return Matcher(GAZETTEER)


def code_of(matcher, level, written, parent=None):
    return matcher.match(level, written, parent).code


@pytest.mark.parametrize(("written", "parent", "code", "method"), [
    # exact, English and Hindi
    ("Narpatganj", ARARIA, "1626", "exact"),
    ("नरपतगंज", ARARIA, "1626", "exact"),
    ("कुशेश्वर स्थान पूर्वी", DARBHANGA, "2002", "exact"),
    # case and spacing
    ("  NARPATGANJ ", ARARIA, "1626", "exact"),
    ("kusheshwar   asthan", DARBHANGA, "2001", "exact"),
    # spelling variants
    ("Mushahari", DARBHANGA, "2005", "normalised"),
    ("GAURABAURAM", DARBHANGA, "2004", "normalised"),
    ("Gaura Bauram", DARBHANGA, "2004", "normalised"),
    ("Bahadurgunj", DARBHANGA, "2006", "normalised"),
    ("Kusheswar Asthan", DARBHANGA, "2001", "normalised"),
    ("Kusheshwar Asthan East", DARBHANGA, "2002", "normalised"),
    ("KUSHESHWAR ASTHAN PURVI", DARBHANGA, "2002", "normalised"),
    ("Farbisganj", ARARIA, "1627", "normalised"),
    # bracketed alternate names
    ("Baruraj (Motipur)", DARBHANGA, "2003", "exact"),
    ("Baruraj", DARBHANGA, "2003", "normalised"),
    ("Motipur", DARBHANGA, "2003", "normalised"),
    # the same with the parent not known
    ("Narpatganj", None, "1626", "exact"),
    ("Mushahari", None, "2005", "normalised"),
])
def test_sure_matches(matcher, written, parent, code, method):
    match = matcher.match("block", written, parent)
    assert (match.code, match.how, match.method) == (code, places.EXACT, method)
    assert match.name == next(p.name for p in GAZETTEER if p.code == code)
    assert match.written == written


@pytest.mark.parametrize(("written", "code"), [
    ("MARHAURAH", "2501"),
    ("Marhaura", "2501"),
    ("मढ़ौरा", "2501"),
])
def test_marhaura_variants(matcher, written, code):
    match = matcher.match("block", written, SARAN)
    assert match.code == code
    assert match.how in (places.EXACT, places.FUZZY)


@pytest.mark.parametrize(("written", "code"), [
    ("नरपतगंज", "1626"),
    ("भरगामा", "1625"),
    ("अररिया", "1624"),
])
def test_devanagari_read_in_latin_letters(written, code):
    """With no Hindi names in the gazetteer, Devanagari is transliterated and matched."""
    latin_only = Matcher([Place(p.level, p.code, p.name, None, p.parent_code) for p in GAZETTEER])
    match = latin_only.match("block", written, ARARIA)
    assert match.code == code
    assert match.how in (places.EXACT, places.FUZZY)


def test_devanagari_too_far_from_the_english_spelling_is_only_suggested():
    latin_only = Matcher([Place(p.level, p.code, p.name, None, p.parent_code) for p in GAZETTEER])
    match = latin_only.match("block", "फारबिसगंज", ARARIA)  # Forbesganj
    assert (match.code, match.how) == (None, places.UNMATCHED)  # not matched: a person is asked
    assert match.candidates[0][:2] == ("Forbesganj", "1627")  # the first suggestion


@pytest.mark.parametrize(("text", "reading"), [
    ("नरपतगंज", "narpatganj"),
    ("भरगामा", "bhargaamaa"),
    ("अररिया", "arariyaa"),
])
def test_transliteration_readings(text, reading):
    from samiksha.translit import readings

    assert reading in readings(text)


# ---------------------------------------------------------------- traps: zero wrong matches

BOTH_KUSHESHWAR = [p for p in GAZETTEER if p.code in ("2001", "2002")]
ONLY_PLAIN = [p for p in GAZETTEER if p.code == "2001"]
ONLY_PURBI = [p for p in GAZETTEER if p.code == "2002"]
BAGAHA = [Place("block", "1928", "BAGAHA-I", None, "211"), Place("block", "1929", "BAGAHA-II", None, "211")]
PANCHAYATS_5_6 = [p for p in GAZETTEER if p.code in ("300501", "300502")]
ONLY_5 = [p for p in GAZETTEER if p.code == "300501"]

# (gazetteer, level, written, parent, acceptable codes): anything else is a wrong match.
TRAPS = [
    (BOTH_KUSHESHWAR, "block", "Kusheshwar Asthan", DARBHANGA, {"2001"}),
    (BOTH_KUSHESHWAR, "block", "KUSHESHWAR ASTHAN", None, {"2001"}),
    (BOTH_KUSHESHWAR, "block", "कुशेश्वर स्थान", DARBHANGA, {"2001"}),
    (BOTH_KUSHESHWAR, "block", "Kusheshwar Asthan Purbi", DARBHANGA, {"2002"}),
    (BOTH_KUSHESHWAR, "block", "Kusheshwar Asthan East", DARBHANGA, {"2002"}),
    (BOTH_KUSHESHWAR, "block", "Kusheshwar Asthan Poorvi", DARBHANGA, {"2002", None}),
    (BOTH_KUSHESHWAR, "block", "कुशेश्वर स्थान पूर्वी", DARBHANGA, {"2002"}),
    (BOTH_KUSHESHWAR, "block", "Kusheshwar Asthan (Purbi)", DARBHANGA, {"2002", None}),
    (BOTH_KUSHESHWAR, "block", "Kusheshwar Asthan E.", DARBHANGA, {"2002", None}),
    (BOTH_KUSHESHWAR, "block", "कुशेश्वर स्थान (पूर्वी)", DARBHANGA, {"2002", None}),
    (BOTH_KUSHESHWAR, "block", "Kusheshwar Asthan West", DARBHANGA, {None}),
    (BOTH_KUSHESHWAR, "block", "Kusheshwar", DARBHANGA, {None}),
    (ONLY_PURBI, "block", "Kusheshwar Asthan", DARBHANGA, {None}),
    (ONLY_PURBI, "block", "KUSHESHWAR ASTHAN", DARBHANGA, {None}),
    (ONLY_PURBI, "block", "Kusheswar Asthan", DARBHANGA, {None}),
    (ONLY_PURBI, "block", "कुशेश्वर स्थान", DARBHANGA, {None}),
    (ONLY_PLAIN, "block", "Kusheshwar Asthan Purbi", DARBHANGA, {None}),
    (ONLY_PLAIN, "block", "Kusheshwar Asthan East", DARBHANGA, {None}),
    (ONLY_PLAIN, "block", "Kusheshwar Asthan Purvi", DARBHANGA, {None}),
    (ONLY_PLAIN, "block", "कुशेश्वर स्थान पूर्वी", DARBHANGA, {None}),
    (ONLY_PLAIN, "block", "Kusheshwar Asthan (Purbi)", DARBHANGA, {None}),
    (ONLY_PLAIN, "block", "कुशेश्वर स्थान (पूर्वी)", DARBHANGA, {None}),
    ([Place("block", "2002", "Kusheshwar Asthan (East)", None, DARBHANGA)], "block", "Kusheshwar Asthan",
     DARBHANGA, {None}),
    ([Place("block", "2002", "Kusheshwar Asthan (East)", None, DARBHANGA)], "block", "Kusheshwar Asthan Purbi",
     DARBHANGA, {"2002"}),
    (BAGAHA, "block", "Bagaha-I", "211", {"1928"}),
    (BAGAHA, "block", "BAGAHA-II", "211", {"1929"}),
    (BAGAHA, "block", "Bagaha 2", "211", {"1929"}),
    (BAGAHA, "block", "बगहा-२", "211", {"1929"}),
    (BAGAHA, "block", "बगहा 1", "211", {"1928"}),
    (BAGAHA, "block", "Bagaha", "211", {None}),
    (BAGAHA, "block", "Bagaha-III", "211", {None}),
    (BAGAHA[1:], "block", "Bagaha-I", "211", {None}),
    (PANCHAYATS_5_6, "panchayat", "Panchayat 5", "2005", {"300501"}),
    (PANCHAYATS_5_6, "panchayat", "Panchayat 6", "2005", {"300502"}),
    (PANCHAYATS_5_6, "panchayat", "panchayat-6", "2005", {"300502"}),
    (PANCHAYATS_5_6, "panchayat", "पंचायत ६", "2005", {"300502"}),
    (PANCHAYATS_5_6, "panchayat", "Panchayat 7", "2005", {None}),
    (PANCHAYATS_5_6, "panchayat", "Panchayat 56", "2005", {None}),
    (ONLY_5, "panchayat", "Panchayat 6", "2005", {None}),
    (ONLY_5, "panchayat", "Panchayat 05", "2005", {None, "300501"}),
    (ONLY_5, "panchayat", "Panchayat 55", "2005", {None}),
]


def _trap_id(trap):
    gazetteer, _, written, parent, _ = trap
    return f"{written}|{'+'.join(p.code for p in gazetteer)}|{parent}"


@pytest.mark.parametrize("trap", TRAPS, ids=[_trap_id(t) for t in TRAPS])
def test_trap(trap):
    gazetteer, level, written, parent, acceptable = trap
    match = Matcher(gazetteer).match(level, written, parent)
    assert match.code in acceptable, (written, match)
    if match.code is None:
        assert match.how == places.UNMATCHED
        assert match.name == places.tidy(written)  # kept as written


def test_zero_wrong_matches_across_all_traps():
    wrong = []
    for gazetteer, level, written, parent, acceptable in TRAPS:
        match = Matcher(gazetteer).match(level, written, parent)
        if match.code not in acceptable:
            wrong.append((written, match.name, match.how))
    assert wrong == []


# ---------------------------------------------------------------- doubtful names stay unmatched


def test_same_name_in_two_districts_with_parent_unknown_is_ambiguous(matcher):
    match = matcher.match("block", "Rampur")
    assert match.how == places.UNMATCHED and match.code is None
    assert sorted(code for _, code, _ in match.candidates) == ["1628", "2502"]
    assert matcher.match("block", "Rampur", SARAN).code == "2502"
    assert matcher.match("block", "Rampur", ARARIA).code == "1628"


def test_matching_is_scoped_to_the_parent(matcher):
    # Basaiti is a panchayat of Araria block, Sirsia of Bhargama.
    assert matcher.match("panchayat", "Basaiti", "1624").code == "162401"
    outside = matcher.match("panchayat", "Basaiti", "1625")
    assert outside.code is None and outside.how == places.UNMATCHED
    assert matcher.match("block", "Narpatganj", DARBHANGA).code is None
    assert matcher.match("block", "Kusheshwar Asthan", ARARIA).code is None


def test_fuzzy_below_the_threshold_is_unmatched_with_suggestions(matcher):
    match = matcher.match("block", "Forbisgang", ARARIA)
    assert match.code is None and match.how == places.UNMATCHED
    assert match.candidates and match.candidates[0][:2] == ("Forbesganj", "1627")
    assert all(score < places.FUZZY_SURE for _, _, score in match.candidates)


def test_a_close_misspelling_is_a_fuzzy_match_with_its_score(matcher):
    match = matcher.match("block", "Narpatgnj", ARARIA)
    assert (match.code, match.how) == ("1626", places.FUZZY)
    assert places.FUZZY_SURE <= match.score <= 100


def test_nothing_alike_has_no_suggestions(matcher):
    match = matcher.match("block", "Xyzqwv", ARARIA)
    assert (match.code, match.how, match.candidates) == (None, places.UNMATCHED, [])


# ---------------------------------------------------------------- confirmed, code, no gazetteer


def test_confirmed_names_win():
    confirmed = {
        ("block", DARBHANGA, "k. asthan"): "2001",
        ("block", DARBHANGA, "new block"): "",  # keep as written
    }
    matcher = Matcher(GAZETTEER, confirmed=confirmed)
    match = matcher.match("block", "  K. ASTHAN ", DARBHANGA)
    assert (match.code, match.how, match.name) == ("2001", places.CONFIRMED, "Kusheshwar Asthan")
    kept = matcher.match("block", "New Block", DARBHANGA)  # a block of its own: counted, under a code of its own
    assert (kept.code, kept.how, kept.name) == (places.kept_code("New Block"), places.CONFIRMED, "New Block")
    # A confirmation is for its parent only.
    assert matcher.match("block", "K. Asthan", ARARIA).how == places.UNMATCHED


def test_code_match_wins_over_the_name(matcher):
    match = matcher.match("block", "Anything At All", DARBHANGA, code="2002")
    assert (match.code, match.how, match.name) == ("2002", places.CODE, "Kusheshwar Asthan Purbi")


def test_unknown_code_falls_back_to_the_name(matcher):
    match = matcher.match("block", "Bhargama", ARARIA, code="999999")
    assert (match.code, match.how) == ("1625", places.EXACT)


@pytest.mark.parametrize(("written", "name"), [
    ("  NARPATGANJ  ", "Narpatganj"),
    ("kusheshwar   asthan purbi", "Kusheshwar Asthan Purbi"),
    ("Baruraj (Motipur)", "Baruraj (Motipur)"),
    ("नरपतगंज", "नरपतगंज"),
])
def test_no_gazetteer_keeps_names_as_written_tidily(written, name):
    match = Matcher([]).match("block", written)
    assert (match.code, match.how, match.name) == (None, places.WRITTEN, name)


# ---------------------------------------------------------------- real LGD codes (when present)

# Names as blocks write them -> acceptable LGD block codes of Bihar (None: left unmatched).
REAL_NAMES = [
    ("अररिया", "188", {"1624"}),
    ("भरगामा", "188", {"1625"}),
    ("फारबिसगंज", "188", {"1626", None}),
    ("जोकीहाट", "188", {"1627"}),
    ("नरपतगंज", "188", {"1629"}),
    ("सिकटी", "188", {"1632"}),
    ("Musahari", "208", {"1889"}),
    ("Kusheshwar Asthan", "195", {"1727"}),
    ("Kusheshwar Asthan East", "195", {"1728"}),
    ("Kusheshwar Asthan Purbi", "195", {"1728", None}),
    ("Gaura Bauram", "195", {"1720"}),
    ("Marhaura", "218", {"2071"}),
]


def test_real_lgd_block_list(shared_realdata, con):
    from conftest import ingest

    from samiksha import ingest as ingest_module

    data = (shared_realdata / "lgd_bihar_blocks.csv").read_bytes()
    result = ingest(con, data, "lgd_bihar_blocks.csv", kind="gazetteer")
    assert result.status == "stored"
    assert result.staged.rows_accepted == 534
    matcher = ingest_module.load_matcher(con)
    wrong = []
    for written, district, acceptable in REAL_NAMES:
        match = matcher.match("block", written, district)
        if match.code not in acceptable:
            wrong.append((written, match.code, match.name, match.how))
    assert wrong == []
