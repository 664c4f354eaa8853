"""Household surveys (kind households): reading awkward registers, the ration card kept only as a
salted hash and a masked form, the named queries (household_coverage, households_left,
tola_coverage, shg_outreach) against a hand computation, the command line, and the Households
page (AppTest) for the operator and a viewer, in English and Hindi.

Registers are small inline files, written as survey teams send them. The tiny gazetteer's
Musahari block (panchayats "Panchayat 5" and "Panchayat 6") is where the households live.
"""

from __future__ import annotations

import datetime as dt

import pytest
from conftest import cli_in_process, csv_bytes, gazetteer_bytes, ingest, rejected, run, warning_codes, xlsx_bytes
from streamlit.testing.v1 import AppTest
from test_pages import APP, _release_after, ok, texts  # noqa: F401 - fixtures

from samiksha import queries, roles, store
from samiksha.i18n import t
from samiksha.kinds import households
from samiksha.kinds.households import social_group

AS_OF = "2025-05-30"
HINDI_HEADER = ["क्र.सं.", "प्रखंड", "पंचायत", "गाँव", "टोला", "परिवार प्रमुख का नाम", "राशन कार्ड संख्या", "जाति वर्ग",
                "कुल सदस्य", "आयुष्मान कार्ड वाले सदस्य", "समूह से जुड़े (हाँ/नहीं)", "सर्वेकर्ता आईडी", "सर्वे तिथि"]


def hh(serial, panchayat, tola, head, card, group, members, carded, shg, worker, day, village="Rampur"):
    return [serial, "मुशहरी", panchayat, village, tola, head, card, group, members, carded, shg, worker, day]


def register(*rows, title="घर-घर सर्वे रजिस्टर, प्रखंड मुशहरी, दिनांक 30.05.2025", header=HINDI_HEADER) -> bytes:
    return csv_bytes([[title], header, *rows])


@pytest.fixture
def district(con, gazetteer):
    return con


def load(con, data: bytes, name: str = "survey.csv", **options):
    result = ingest(con, data, name, **options)
    assert result.status == "stored", result.refusal and result.refusal.text()
    return result


# The register the hand computation below is made from. Household A (card 1020 3000 0001, written
# three ways) is surveyed twice: 2 of 5 carded on the 27th, 4 of 5 on the 29th. B has no card at
# all; C is fully carded; D's social group is blank; E is surveyed after the as-of date.
AWKWARD = register(
    hh(1, "पंचायत 5", "मुसहर टोला", "Ram Das", "1020-3000-0001", "अ.जा.", "5", "2", "नहीं", "ASHA 101", "27.05.2025"),
    hh(2, "पंचायत 5", "मुसहर टोला", "Ram Das", "rc 1020 3000 0001", "अनुसूचित जाति", "5", "4", "हाँ", "asha101",
       "29.05.2025"),
    hh(3, "पंचायत 5", "मुसहर टोला", "Bhola Manjhi", "१०२० ३००० ०००२", "SC", "4", "0", "नहीं", "ASHA 101", "28.05.2025"),
    hh(4, "पंचायत 5", "यादव टोला", "Sunil Yadav", "102030000003", "पिछड़ा वर्ग", "6", "6", "हाँ", "ASHA 102",
       "28.05.2025"),
    hh(5, "पंचायत 6", "वार्ड 2", "Sita Devi", "102030000004", "", "3", "1", "नहीं", "ASHA 102", "28.05.2025"),
    hh(6, "पंचायत 6", "वार्ड 2", "Gita Devi", "102030000005", "आदिवासी", "४", "२", "हाँ", "ASHA 102", "31.05.2025"),
    ["", "कुल", "", "", "", "", "", "", "27", "15", "", "", ""],
)


def test_an_awkward_hindi_register_is_read_by_its_words(district):
    result = load(district, AWKWARD)
    assert result.staged.kind == "households"
    fields = result.staged.header.fields
    assert {"block", "panchayat", "village", "tola", "head_name", "ration_card", "social_group", "members",
            "members_carded", "in_shg", "worker_id", "survey_date"} <= set(fields)
    assert result.staged.rows_accepted == 6 and result.staged.rows_rejected == 0  # the कुल row set aside
    stored = district.execute("SELECT row_number, ration_card, social_group, members, members_carded, in_shg, "
                              "worker_id, survey_date FROM households ORDER BY row_number").fetchall()
    assert [r[1] for r in stored] == ["XXXX0001", "XXXX0001", "XXXX0002", "XXXX0003", "XXXX0004", "XXXX0005"]
    assert [r[2] for r in stored] == ["sc", "sc", "sc", "obc", None, "st"]  # the blank group stays blank
    assert stored[5][3:5] == (4, 2)  # Devanagari digits
    assert [r[6] for r in stored][:2] == ["ASHA101", "ASHA101"]
    keys = district.execute("SELECT household_key FROM households ORDER BY row_number").fetchall()
    assert keys[0] == keys[1] and len({k for k, in keys}) == 5  # one card written three ways is one household


def test_the_ration_card_is_kept_only_salted_and_masked(district, tmp_path):
    load(district, AWKWARD)
    salt = store.get_setting(district, households.SALT_KEY)
    assert salt and len(salt) == 64
    texts_stored = district.execute(
        "SELECT string_agg(CAST(h AS VARCHAR), ' ') FROM households h").fetchall()[0][0]
    texts_stored += " ".join(str(r) for r in district.execute(
        "SELECT cells FROM rejected_rows UNION ALL SELECT value FROM upload_issues WHERE value IS NOT NULL").fetchall())
    for number in ("102030000001", "1020 3000 0001", "102030000003", "१०२०"):
        assert number not in texts_stored
    # Not a plain hash of the number: another store (another salt) keys the same card otherwise.
    other = store.open_store(str(tmp_path / "other.duckdb"))
    assert ingest(other, gazetteer_bytes(), "lgd.csv", kind="gazetteer").ok
    load(other, AWKWARD)
    assert store.get_setting(other, households.SALT_KEY) != salt
    mine = {k for k, in district.execute("SELECT household_key FROM households").fetchall()}
    theirs = {k for k, in other.execute("SELECT household_key FROM households").fetchall()}
    assert not mine & theirs
    other.close()


def test_a_later_survey_of_the_same_card_replaces_the_earlier_and_each_counts_once(district):
    load(district, AWKWARD)
    on_28 = {r["tola"]: r for r in run(district, "household_coverage", as_of="2025-05-28", level="tola")}
    assert on_28["मुसहर टोला"]["members_carded"] == 2 + 0  # A's survey of the 27th
    on_30 = {r["tola"]: r for r in run(district, "household_coverage", as_of=AS_OF, level="tola")}
    assert on_30["मुसहर टोला"]["households"] == 2 and on_30["मुसहर टोला"]["members_carded"] == 4 + 0
    # A second register, a week on: D (Sita Devi) has her cards now; her household still counts once.
    later = register(hh(1, "पंचायत 6", "वार्ड 2", "Sita Devi", "1020 3000 0004", "", "3", "3", "नहीं", "ASHA 102",
                        "05.06.2025"), title="पुनः सर्वे दिनांक 05.06.2025")
    result = load(district, later, "revisit.csv")
    assert [r["file_name"] for r in result.replaced] == ["survey.csv"]
    june = run(district, "household_summary", as_of="2025-06-05")[0]
    assert (june["households"], june["members_carded"]) == (5, 11 + 2 + 2)  # D 1 -> 3, E's 2 counted
    assert run(district, "household_summary", as_of=AS_OF)[0]["households"] == 4


def test_the_named_queries_agree_with_a_hand_computation(district):
    """As of 30-05-2025 (E, surveyed on the 31st, not yet): A 5/4, B 4/0 (Panchayat 5, मुसहर टोला),
    C 6/6 (Panchayat 5, यादव टोला), D 3/1 (Panchayat 6, वार्ड 2, group blank)."""
    load(district, AWKWARD)
    block = run(district, "household_coverage", as_of=AS_OF, level="block")
    assert block == [{"block": "Musahari", "panchayat": None, "tola": None, "households": 4, "members": 18,
                      "members_carded": 11, "pct": round(100 * 11 / 18, 1), "none_carded": 1, "some_left": 3}]
    by_panchayat = {r["panchayat"]: r for r in run(district, "household_coverage", as_of=AS_OF, level="panchayat")}
    assert by_panchayat["Panchayat 5"]["pct"] == round(100 * 10 / 15, 1) and by_panchayat["Panchayat 5"]["tola"] is None
    assert (by_panchayat["Panchayat 6"]["households"], by_panchayat["Panchayat 6"]["pct"]) == (1, 33.3)
    left = run(district, "households_left", as_of=AS_OF)
    assert [(r["ration_card"], r["members_left"], r["survey_date"]) for r in left] == [
        ("XXXX0002", 4, dt.date(2025, 5, 28)), ("XXXX0001", 1, dt.date(2025, 5, 29)),
        ("XXXX0004", 2, dt.date(2025, 5, 28))]
    assert list(left[0])[:10] == ["block", "panchayat", "village", "tola", "ration_card", "social_group", "members",
                                  "members_left", "worker_id", "survey_date"]
    assert [r["ration_card"] for r in run(district, "households_left", as_of=AS_OF, panchayat="Panchayat 6")] == [
        "XXXX0004"]
    tolas = run(district, "tola_coverage", as_of=AS_OF)
    assert [(r["tola"], r["social_group"], r["pct"], r["status"]) for r in tolas] == [
        ("मुसहर टोला", "sc", round(100 * 4 / 9, 1), "red"),  # SC first
        ("वार्ड 2", None, 33.3, "red"), ("यादव टोला", "obc", 100.0, "green")]
    outreach = {r["panchayat"]: r for r in run(district, "shg_outreach", as_of=AS_OF)}
    assert (outreach["Panchayat 5"]["households"], outreach["Panchayat 5"]["not_in_shg"]) == (3, 1)  # B (A joined)
    assert outreach["Panchayat 5"]["not_in_shg_pct"] == 33.3 and outreach["Panchayat 6"]["not_in_shg_pct"] == 100.0
    workers = {r["worker_id"]: r for r in run(district, "household_workers", as_of=AS_OF)}
    assert (workers["ASHA101"]["households"], workers["ASHA101"]["households_left"]) == (2, 2)


@pytest.mark.parametrize(("written", "group"), [
    ("SC", "sc"), ("S.C.", "sc"), ("Scheduled Caste", "sc"), ("अनुसूचित जाति", "sc"), ("अ.जा.", "sc"), ("अ० जा०", "sc"),
    ("हरिजन", "sc"), ("Mahadalit", "sc"), ("अनु. जाति", "sc"), ("अनु० जनजाति", "st"), ("अनु. ज. जाति", "st"), ("ST", "st"), ("S.T.", "st"), ("अनुसूचित जनजाति", "st"), ("अ.ज.जा.", "st"),
    ("आदिवासी", "st"), ("Tribal", "st"), ("Scheduled Tribe", "st"), ("OBC", "obc"), ("BC-I", "obc"), ("EBC", "obc"),
    ("पिछड़ा वर्ग", "obc"), ("अति पिछड़ा", "obc"), ("अत्यंत पिछड़ा वर्ग", "obc"), ("Other Backward Class", "obc"),
    ("General", "general"), ("GEN", "general"), ("सामान्य", "general"), ("UR", "general"), ("EWS", "general"),
    ("SC/ST", "SC/ST"), ("Yadav", "Yadav"), ("", None), ("-", None),
])
def test_social_groups_are_read_by_meaning_and_others_kept_as_written(written, group):
    assert social_group(written) == group


def test_bad_cells_are_named_by_row_and_column_and_the_rest_is_stored(district):
    data = register(
        hh(1, "पंचायत 5", "टोला 1", "A", "102030000011", "SC", "4", "6", "नहीं", "W1", "28.05.2025"),  # 6 of 4
        hh(2, "पंचायत 5", "टोला 1", "B", "102030000012", "SC", "4", "1", "शायद", "W1", "28.05.2025"),  # not yes/no
        hh(3, "पंचायत 5", "टोला 1", "C", "102030000013", "SC", "0", "0", "नहीं", "W1", "28.05.2025"),  # no members
        hh(4, "पंचायत 5", "टोला 1", "D", "102030000014", "SC", "4", "1", "नहीं", "W1", "31.02.2025"),  # no date
        hh(5, "पंचायत 5", "टोला 1", "E", "102030000015", "SC", "4", "1", "नहीं", "W1", "28.05.2025"),
        hh(6, "पंचायत 5", "टोला 1", "F", "102030000015", "SC", "5", "1", "नहीं", "W1", "28.05.2025"),  # E again, other
        hh(7, "पंचायत 5", "टोला 1", "G", "NA", "SC", "3", "1", "नहीं", "W1", "28.05.2025"),  # no card: by name
        hh(8, "पंचायत 5", "टोला 1", "H", "102030000018", "SC", "3", "1", "नहीं", "W1", "28.05.2025"))
    result = load(district, data)
    found = {(code, row, column) for code, row, column, _ in rejected(district, result)}
    assert found >= {("household_more_carded", 3, "आयुष्मान कार्ड वाले सदस्य"),
                     ("bad_yes_no", 4, "समूह से जुड़े (हाँ/नहीं)"), ("household_no_members", 5, "कुल सदस्य"),
                     ("bad_date", 6, "सर्वे तिथि"), ("household_conflicting_rows", 7, None),
                     ("household_conflicting_rows", 8, None)}
    assert "household_keyed_by_name" in warning_codes(district, result)
    assert result.staged.rows_accepted == 2
    assert {r[0] for r in district.execute("SELECT head_name FROM households").fetchall()} == {"G", "H"}
    message = next(i for i in result.staged.issues if i.code == "household_conflicting_rows").text("en")
    assert "XXXX0015" in message and "102030000015" not in message


def test_a_register_with_no_date_anywhere_is_refused_and_stores_nothing(district):
    header = [h for h in HINDI_HEADER if h != "सर्वे तिथि"]
    data = csv_bytes([header, hh(1, "पंचायत 5", "टोला 1", "A", "102030000011", "SC", "4", "1", "नहीं", "W1", "")[:-1]])
    before = store.scalar(district, "SELECT count(*) FROM uploads")
    result = ingest(district, data, "survey.csv")
    assert result.status == "refused" and result.refusal.code == "no_survey_date"
    assert store.scalar(district, "SELECT count(*) FROM uploads") == before
    assert store.scalar(district, "SELECT count(*) FROM households") == 0
    assert load(district, data, report_date=dt.date(2025, 5, 28)).staged.rows_accepted == 1


def test_an_english_excel_register_with_merged_block_cells_and_a_title(district):
    rows = [["Door to door survey — Musahari block"], ["as on 29-05-2025"],
            ["Sl No", "Block", "Panchayat", "Village", "Ward No", "Head of Family", "RC No", "Caste Category",
             "Family Members", "Members having Ayushman Card", "SHG Member (Y/N)", "Surveyor ID", "Date of Survey"],
            [1, "Musahari", "Panchayat 5", "Rampur", "Ward 3", "Lalan Ram", 102030000021, "S.C.", 5, 1, "N", "A-7",
             dt.datetime(2025, 5, 29)],
            [2, None, "Panchayat 5", "Rampur", "Ward 3", "Mohan Ram", "1020 3000 0022", "ST", 3, 3, "Y", "A-7",
             dt.datetime(2025, 5, 29)],
            [3, None, "Panchayat 6", "Rampur", "Ward 3", "Jagdish Paswan", "1020-3000-0023", "Gen", 2, 0, "N", "A-8",
             dt.datetime(2025, 5, 29)]]
    result = load(district, xlsx_bytes(rows, merged=["B4:B6"]), "survey.xlsx", kind="households")
    assert result.staged.rows_accepted == 3
    assert run(district, "household_coverage", as_of=AS_OF, level="block")[0]["members_carded"] == 4
    assert [r["ration_card"] for r in run(district, "households_left", as_of=AS_OF)] == ["XXXX0021", "XXXX0023"]


def test_the_command_line_ingests_a_survey_and_answers_the_queries(tmp_path):
    db = tmp_path / "store.duckdb"
    gaz, survey = tmp_path / "lgd.csv", tmp_path / "survey.csv"
    gaz.write_bytes(gazetteer_bytes())
    survey.write_bytes(AWKWARD)
    assert cli_in_process("ingest", gaz, "--kind", "gazetteer", env_db=db).returncode == 0
    done = cli_in_process("ingest", survey, "--kind", "households", env_db=db)
    assert done.returncode == 0, done.stdout + done.stderr
    done = cli_in_process("query", "household_coverage", "--param", f"as_of={AS_OF}", "--param", "level=panchayat",
                          env_db=db)
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0] == "block,panchayat,tola,households,members,members_carded,pct,none_carded,some_left"
    assert "Musahari,Panchayat 5,,3,15,10,66.7,1,2" in lines
    left = cli_in_process("query", "households_left", "--param", f"as_of={AS_OF}", "--param", "block=Musahari",
                          env_db=db)
    assert "102030000" not in left.stdout and "XXXX0002" in left.stdout
    for name in ("tola_coverage", "shg_outreach"):
        assert cli_in_process("query", name, "--param", f"as_of={AS_OF}", env_db=db).returncode == 0


# ---------------------------------------------------------------- the page


def page(lang: str = "en", secrets: dict | None = None) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=90)
    at.session_state["lang"] = lang
    for key, value in (secrets or {}).items():
        at.secrets[key] = value
    at.switch_page("pages/households.py")
    return ok(at.run())


def table(at: AppTest, column_key: str, lang: str = "en"):
    """The first table of the page with the column `column_key` (the tables are drawn styled: no key)."""
    return next(d for d in at.dataframe if t(column_key, lang) in d.value.columns)


@pytest.mark.usefixtures("demo_store")
def test_the_page_shows_the_demo_survey_to_the_operator_with_names(monkeypatch):
    monkeypatch.delenv(roles.HASH_ENV, raising=False)
    at = page()
    assert at.title[0].value.startswith(t("households.title", "en"))
    shown = {m.label: m.value for m in at.metric}
    assert shown[t("households.surveyed", "en")] and shown[t("households.pct", "en")].endswith("%")
    left = table(at, "col.ration_card").value
    assert t("col.head_name", "en") in left.columns and t("col.ration_card", "en") in left.columns
    assert left[t("col.ration_card", "en")].str.fullmatch(r"XXXX\d{4}").all()
    tolas = table(at, "col.group_text").value
    assert tolas[t("col.group_text", "en")].str.startswith("● ").any()  # SC/ST tolas marked
    buttons = [b.proto.id for b in at.get("download_button")]
    assert any(i.endswith("households_left_excel") for i in buttons) and any(i.endswith("households_left_csv")
                                                                             for i in buttons)


@pytest.mark.usefixtures("demo_store")
def test_a_viewer_sees_no_names_and_hindi_reads(monkeypatch):
    from test_roles import HASHED

    monkeypatch.setenv(roles.HASH_ENV, HASHED)
    at = page()
    assert t("col.head_name", "en") not in table(at, "col.ration_card").value.columns
    assert t("col.worker_name", "en") not in table(at, "col.worker_id").value.columns
    assert t("households.names_operator_only", "en") in texts(at)
    hindi = page("hi", {})
    assert hindi.title[0].value.startswith(t("households.title", "hi"))
    assert t("col.head_name", "hi") not in table(hindi, "col.ration_card", "hi").value.columns


@pytest.mark.usefixtures("demo_store")
def test_the_overview_says_the_survey_in_one_line():
    at = AppTest.from_file(APP, default_timeout=90)
    at.run()
    ok(at)
    said = [m.value for m in at.markdown if m.value.startswith(t("overview.households", "en").split("{")[0])]
    assert len(said) == 1 and "households" in said[0]


def test_a_store_with_no_survey_says_how_to_add_one(con, monkeypatch, tmp_path):
    path = tmp_path / "empty.duckdb"
    made = store.open_store(str(path))
    assert ingest(made, gazetteer_bytes(), "lgd.csv", kind="gazetteer").ok
    made.close()
    monkeypatch.setenv("SAMIKSHA_DB", str(path))
    at = page()
    assert t("households.no_register", "en") in [i.value for i in at.info]
    assert not queries.run(con, "household_summary", as_of=AS_OF)["households"].iloc[0]


@pytest.mark.usefixtures("demo_store")
def test_the_map_colours_panchayats_by_the_share_of_surveyed_members_with_a_card(demo_store):
    import json

    from samiksha import maps
    from samiksha.figures import Context

    con = store.open_store(str(demo_store), read_only=True)
    try:
        assert "household_pct" in maps.measures(con)
        as_of = dt.date(2025, 5, 30)
        data = maps.build(con, "ayushman_cards", as_of, "panchayat")
        coverage = run(con, "household_coverage", as_of=str(as_of), level="panchayat")
    finally:
        con.close()
    drawn = data.places[data.places["has_households"]]
    assert len(drawn) == len(coverage) > 40  # every surveyed panchayat has its shape
    expected = {(r["block"], r["panchayat"]): r["pct"] for r in coverage}
    assert {(b, p): v for b, p, v in zip(drawn["block"], drawn["place"], drawn["household_pct"], strict=True)} == expected
    fig = maps.place_map(data, "household_pct", Context("en", t("kind.households", "en"), as_of))
    spec = json.loads(fig.to_json())
    names = [trace.get("name") for trace in spec["data"]]
    assert t("map.no_households", "en") in names  # the panchayats not surveyed, hatched
    assert t("map.measure_household_pct", "en") in spec["layout"]["title"]["text"]
    at = AppTest.from_file(APP, default_timeout=90)
    at.session_state["map_measure_value"] = "household_pct"
    at.switch_page("pages/map.py")
    ok(at.run())
    titles = [json.loads(c.proto.spec)["layout"]["title"]["text"] for c in at.get("plotly_chart")]
    assert any(t("map.measure_household_pct", "en") in title for title in titles), titles
