"""The built-in LGD gazetteer, and names held apart until a person says where they belong: a
district picked (command, Settings, first start) matches reports with no upload; a user's own
list wins; a name not matched never adds to a total or a ranking and is said as pending; a
close match can be confirmed or rejected; a match made after the fact is listed, never silent."""

from __future__ import annotations

import pytest
from conftest import bp, cli_in_process, csv_bytes, ingest, run

from samiksha import lgd, naming, places, store

MUZAFFARPUR = "208"


def muzaffarpur_report(day: int = 20, names=("Aurai", "Mushahari", "Kanti", "Xyzpur")) -> bytes:
    rows = [[f"Ayushman card report {day:02d}.05.2025"], ["Block", "Target", "Cumulative"]]
    rows += [[name, "1,000", str(100 * (n + 1) + day)] for n, name in enumerate(names)]
    return csv_bytes(rows)


def test_the_lists_are_indias_and_a_district_is_found_as_typed():
    assert len(lgd.states()) == 36 and len(lgd.districts()) == 763
    bihar = next(u for u in lgd.states() if u.name == "Bihar")
    assert len(lgd.districts_of(bihar.code)) == 38
    assert sum(len(lgd.blocks_of(d.code)) for d in lgd.districts_of(bihar.code)) == 534
    assert [u.name for u in lgd.find_districts("muzaf", bihar.code)] == ["Muzaffarpur"]
    assert lgd.find_districts("मुजफ्फरपुर", bihar.code)[0].code == MUZAFFARPUR  # Hindi, read in Latin letters
    assert lgd.find_districts("Purnea", bihar.code)[0].name == "Purnia"  # a spelling variant
    assert lgd.district_label(lgd.district(MUZAFFARPUR)) == "Muzaffarpur (Bihar)"
    assert "Aurai" in {b.name for b in lgd.blocks_of(MUZAFFARPUR)}
    assert lgd.subdistricts_of(MUZAFFARPUR)  # kept as a level of their own


def test_picking_a_district_matches_reports_with_no_upload_and_names_stored_before(con):
    before = ingest(con, muzaffarpur_report(19), "d19.csv")  # no gazetteer yet: kept as written
    assert before.status == "stored"
    assert naming.pending(con)["count"] == 0  # nothing to match against: nothing is pending
    lgd.use(con, MUZAFFARPUR)
    assert store.get_setting(con, "district_code") == MUZAFFARPUR
    assert set(bp(con, "2025-05-19")) == {"Aurai", "Mushahari", "Kanti"}  # Xyzpur: pending, held apart
    listed = {(r["written"], r["name"], r["later"]) for r in naming.to_check(con)}
    assert ("Aurai", "Aurai", True) in listed  # matched after the fact: listed, not silent
    result = ingest(con, muzaffarpur_report(20), "d20.csv")
    assert {m.written: m.how for m in result.staged.matches}["Kanti"] == places.EXACT
    assert lgd.use(con, MUZAFFARPUR) == 0 and len(lgd.installed(con)) == 1  # picked again: nothing new


def test_a_name_not_matched_is_pending_never_in_a_total_or_the_ranking(con):
    lgd.use(con, MUZAFFARPUR)
    ingest(con, muzaffarpur_report(20), "d20.csv")
    blocks = run(con, "block_progress", indicator="ayushman_cards", as_of="2025-05-20")
    assert [r["block"] for r in blocks] == ["Kanti", "Mushahari", "Aurai"]
    [summary] = run(con, "district_summary", indicator="ayushman_cards", as_of="2025-05-20")
    assert (summary["target"], summary["achieved"]) == (3000, 120 + 220 + 320)
    found = naming.pending(con, "ayushman_cards", "2025-05-20")
    assert (found["count"], found["achieved"], found["names"][0]["written"]) == (1, 420, "Xyzpur")
    naming.confirm_name(con, "block", "Xyzpur", MUZAFFARPUR, "")  # a person: a block of its own, as written
    assert bp(con, "2025-05-20")["Xyzpur"] == (1000, 420)
    assert naming.pending(con)["count"] == 0


def test_a_fuzzy_match_rejected_goes_back_to_pending(con):
    """Through a hand-made gazetteer, so the close spelling is certain."""
    from conftest import gazetteer_bytes

    assert ingest(con, gazetteer_bytes(), "lgd.csv", kind="gazetteer").ok
    data = csv_bytes([["Ayushman card report 20.05.2025"], ["Block", "Target", "Cumulative"],
                      ["Musahari", "1,000", "320"], ["Kusheshwar Asthn", "900", "120"]])
    result = ingest(con, data, "a.csv")
    assert {m.written: m.how for m in result.staged.matches}["Kusheshwar Asthn"] == places.FUZZY
    assert bp(con, "2025-05-20") == {"Musahari": (1000, 320), "Kusheshwar Asthan": (900, 120)}
    [check] = naming.to_check(con)
    assert (check["written"], check["name"], check["later"]) == ("Kusheshwar Asthn", "Kusheshwar Asthan", False)
    assert naming.reject_match(con, "block", check["written"], check["parent_code"], check["code"]) == 1
    assert bp(con, "2025-05-20") == {"Musahari": (1000, 320)}  # out of the totals, pending
    assert naming.pending(con, "ayushman_cards", "2025-05-20")["achieved"] == 120
    assert naming.to_check(con) == []
    again = ingest(con, csv_bytes([["Ayushman card report 21.05.2025"], ["Block", "Target", "Cumulative"],
                                   ["Kusheshwar Asthn", "900", "130"]]), "b.csv")
    assert [(m.how, m.method) for m in again.staged.matches] == [(places.UNMATCHED, "rejected")]
    naming.confirm_name(con, "block", "Kusheshwar Asthn", check["parent_code"], "2002")  # the person's choice
    assert bp(con, "2025-05-21")["Kusheshwar Asthan Purbi"] == (900, 130)


def test_a_users_own_list_wins_over_the_built_in_one(con):
    lgd.use(con, MUZAFFARPUR)
    own = csv_bytes([["district_code", "district_name", "block_code", "block_name", "block_name_hi"],
                     [MUZAFFARPUR, "MUZAFFARPUR", "1878", "Aurai Block", "औराई"],
                     [MUZAFFARPUR, "MUZAFFARPUR", "9001", "Newblock", "नया प्रखंड"]])
    assert ingest(con, own, "own.csv", kind="gazetteer").ok
    blocks = {r[0]: r[1] for r in con.execute("SELECT code, name FROM places_current WHERE level = 'block'").fetchall()}
    assert blocks["1878"] == "Aurai Block" and blocks["9001"] == "Newblock"  # the user's spelling; one added
    assert blocks["1882"] == "Kanti" and len(blocks) == 17  # the built-in others stay
    ingest(con, muzaffarpur_report(20, names=("औराई", "Newblock", "Kanti")), "d20.csv")
    assert set(bp(con, "2025-05-20")) == {"Aurai Block", "Newblock", "Kanti"}


def test_the_command_picks_a_district_or_lists_those_a_name_could_be(tmp_path):
    db = tmp_path / "s.duckdb"
    listed = cli_in_process("district", "muzaf", env_db=db)
    assert listed.returncode == 1 and "208,Muzaffarpur,Bihar" in listed.stdout and "Muzaffarnagar" in listed.stdout
    used = cli_in_process("district", "मुजफ्फरपुर", "--state", "Bihar", env_db=db)
    assert used.returncode == 0 and "Muzaffarpur (Bihar)" in used.stdout and "Government Open Data License" in used.stdout
    unknown = cli_in_process("district", "Atlantis", env_db=db)
    assert unknown.returncode == 2 and "Atlantis" in unknown.stderr
    report = tmp_path / "d20.csv"
    report.write_bytes(muzaffarpur_report(20))
    assert cli_in_process("ingest", report, env_db=db).returncode == 0
    queried = cli_in_process("query", "district_summary", "--param", "indicator=ayushman_cards",
                             "--param", "as_of=2025-05-20", env_db=db)
    assert queried.stdout.splitlines()[1].startswith("3000,660,")
    assert "pending: 1 block name(s)" in queried.stderr and "Xyzpur" in queried.stderr and "420 achieved" in queried.stderr


# ---------------------------------------------------------------- on the pages

def _page_store(tmp_path, monkeypatch, pick: bool = True, report: bool = True):
    from samiksha import demo

    path = tmp_path / "app.duckdb"
    con = store.open_store(str(path))
    store.set_setting(con, demo.CLEARED_KEY, True)  # the demo cleared: a real office's first start
    if pick:
        lgd.use(con, MUZAFFARPUR)
    if report:
        assert ingest(con, muzaffarpur_report(20), "d20.csv").ok
    con.close()
    monkeypatch.setenv("SAMIKSHA_DB", str(path))
    return path


def _run(page: str, lang: str = "en", meeting: bool = False):
    from conftest import ROOT
    from streamlit.testing.v1 import AppTest

    from pages import _shared

    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=90)
    at.session_state["lang"] = lang
    at.session_state[_shared.MEETING_KEY] = meeting
    try:
        at.switch_page(page).run()
    finally:
        _shared.forget_store()
    assert not at.exception, [e.value for e in at.exception]
    return at


@pytest.mark.parametrize("page", ["pages/overview.py", "pages/blocks.py"])
def test_the_pending_names_are_said_with_their_figure_and_a_link_that_meeting_mode_shows_as_text(
        page, tmp_path, monkeypatch):
    from samiksha.i18n import t

    _page_store(tmp_path, monkeypatch)
    at = _run(page)
    said = t("overview.pending", "en", count=1, achieved="420", names="“Xyzpur”")
    assert said in [w.value for w in at.warning]
    assert any("upload" in link.proto.page for link in at.get("page_link"))
    meeting = _run(page, meeting=True)
    assert said in [w.value for w in meeting.warning]
    assert t("overview.pending_where", "en") in [c.value for c in meeting.caption]
    assert not any("upload" in link.proto.page for link in meeting.get("page_link"))
    hindi = _run(page, lang="hi")
    assert t("overview.pending", "hi", count=1, achieved="420", names="“Xyzpur”") in [w.value for w in hindi.warning]


def test_settings_picks_the_district_typed_in_hindi(tmp_path, monkeypatch):
    from samiksha.i18n import t

    path = _page_store(tmp_path, monkeypatch, pick=False, report=False)
    at = _run("pages/settings.py")
    at.text_input(key="lgd_search").set_value("मुजफ्फरपुर").run()
    assert at.selectbox(key="lgd_district").value.code == MUZAFFARPUR
    at.button(key="lgd_use").click().run()
    from pages import _shared

    _shared.forget_store()
    assert not at.exception
    assert any(s.value.startswith("Muzaffarpur (Bihar): 16 blocks") for s in at.success)
    assert t("settings.lgd_source", "en") in [c.value for c in at.caption]
    con = store.open_store(str(path))
    assert store.get_setting(con, "district_code") == MUZAFFARPUR
    con.close()


def test_the_first_start_asks_for_the_district_on_the_overview(tmp_path, monkeypatch):
    from samiksha.i18n import t

    _page_store(tmp_path, monkeypatch, pick=False, report=False)
    at = _run("pages/overview.py")
    assert any(t("overview.pick_district", "en") in m.value for m in at.markdown)
    assert at.selectbox(key="first_lgd_state").value.name == "Bihar"


def test_without_any_gazetteer_one_place_in_two_scripts_or_spellings_is_one_place(con):
    """No list at all: "मुशहरी", "MUSHAHARI" and "Musahari" are the block stored first; a name
    only close to one is kept apart and said, never merged."""
    first = csv_bytes([["Ayushman card report 19.05.2025"], ["Block", "Target", "Cumulative"],
                       ["Musahari", "1,000", "300"], ["Kanti", "800", "100"]])
    assert ingest(con, first, "d19.csv").ok
    second = csv_bytes([["आयुष्मान कार्ड प्रतिवेदन 20.05.2025"], ["प्रखंड", "लक्ष्य", "कुल उपलब्धि"],
                        ["मुशहरी", "1,000", "320"], ["KANTI", "800", "110"], ["Kantee Bazar", "500", "50"]])
    result = ingest(con, second, "d20.csv")
    assert result.ok
    assert bp(con, "2025-05-20") == {"Musahari": (1000, 320), "Kanti": (800, 110), "Kantee Bazar": (500, 50)}
    from samiksha import report

    lines = "\n".join(report.match_lines(result, "en"))
    assert "“मुशहरी” is the block stored before as Musahari" in lines
    [summary] = run(con, "district_summary", indicator="ayushman_cards", as_of="2025-05-20")
    assert summary["target"] == 2300  # counted once each, never twice


def test_an_lgd_download_with_in_local_names_at_every_level_adds_to_the_built_in_list(con):
    lgd.use(con, MUZAFFARPUR)
    header = ["S.No.", "State Code", "State Name (In English)", "District Code", "District Name (In English)",
              "District Name (In Local)", "Block Code", "Block Name (In English)", "Block Name (In Local)",
              "Gram Panchayat Code", "Gram Panchayat Name (In English)", "Gram Panchayat Name (In Local)",
              "Village Code", "Village Name (In English)", "Village Name (In Local)"]
    rows = [header,
            ["1", "10", "BIHAR", "208", "MUZAFFARPUR", "मुजफ्फरपुर", "1878", "AURAI", "औराई", "95001", "BASANT",
             "बसंत", "230001", "BASANT", "बसंत"],
            ["2", "10", "BIHAR", "208", "MUZAFFARPUR", "मुजफ्फरपुर", "1878", "AURAI", "औराई", "95002", "RAMPUR",
             "रामपुर", "230002", "RAMPUR KHURD", "रामपुर खुर्द"]]
    assert ingest(con, csv_bytes(rows), "lgd_villages.csv", kind="gazetteer").ok
    got = set(con.execute("SELECT level, name, name_hi FROM places_current WHERE level <> 'subdistrict'").fetchall())
    assert {("district", "Muzaffarpur", "मुजफ्फरपुर"), ("block", "Aurai", "औराई"), ("panchayat", "Rampur", "रामपुर"),
            ("village", "Rampur Khurd", "रामपुर खुर्द")} <= got
    report = csv_bytes([["आयुष्मान कार्ड, प्रखंड औराई, 20.05.2025"], ["पंचायत", "लक्ष्य", "कुल उपलब्धि"],
                        ["रामपुर", "500", "120"], ["बसंत", "400", "80"]])
    result = ingest(con, report, "aurai_gp.csv")
    assert result.ok and {m.how for m in result.staged.matches if m.level == "panchayat"} == {places.EXACT}
    assert bp(con, "2025-05-20") == {"Aurai": (900, 200)}


def test_with_no_hindi_names_in_the_list_the_hindi_view_uses_the_offices_hindi_spelling(con):
    from samiksha import queries

    lgd.use(con, MUZAFFARPUR)
    hindi = csv_bytes([["आयुष्मान कार्ड प्रतिवेदन 20.05.2025"], ["प्रखंड", "लक्ष्य", "कुल उपलब्धि"],
                       ["मुशहरी", "1,000", "320"], ["कांटी", "800", "110"]])
    assert ingest(con, hindi, "d20.csv").ok
    blocks, _ = queries.place_labels(con, "hi")
    assert blocks["Mushahari"] == "मुशहरी" and blocks["Kanti"] == "कांटी"
    assert "Aurai" not in blocks  # no report wrote it in Hindi: its English name stays
    assert queries.place_labels(con, "en") == ({}, {})


def test_a_districts_map_leaves_out_the_rest_of_a_states_boundary_file():
    """Shapes matched to the district's blocks, and unmatched ones among them (to confirm), are
    drawn; an unmatched shape far away (another district of a state's file) is not."""
    import geopandas as gpd
    from shapely.geometry import box

    from samiksha import maps

    found = gpd.GeoDataFrame({"block": ["Aurai", "Kanti", None, None]},
                             geometry=[box(0, 0, 1, 1), box(2, 0, 3, 1), box(1, 0, 2, 1), box(50, 50, 51, 51)],
                             crs="EPSG:4326")
    kept = maps._at_home(found, MUZAFFARPUR)
    assert kept.geometry.bounds["minx"].tolist() == [0, 2, 1]
    assert len(maps._at_home(found, None)) == 4  # a state's store: every shape
