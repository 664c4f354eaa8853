"""A report's columns read as a person would, asked where in doubt, and the operator's answer
remembered: questions and refusals (never a guess that changes a figure), --column on the
command line, `columns` and `--forget`, the same layout tomorrow read with no question; titles
naming the block in several words; several indicators in one file; warnings counted whole."""

from __future__ import annotations

import pytest
from conftest import bp, bp_today, cli_in_process, csv_bytes, gazetteer_bytes, ingest, xlsx_bytes

from samiksha import columns, store
from samiksha import ingest as ingest_module
from samiksha.errors import CLI, PAGE
from samiksha.i18n import t

IND = "ayushman_cards"


def hindi_report(day: int, today_head: str = "आज बने कार्ड", total_head: str = "पोर्टल पर दर्ज") -> bytes:
    """A Hindi block report whose running total is headed in words nobody listed ("पोर्टल पर
    दर्ज": entered on the portal), beside the day's figure."""
    return csv_bytes([[f"आयुष्मान कार्ड प्रगति प्रतिवेदन दिनांक {day:02d}.05.2025"],
                      ["प्रखंड", "लक्ष्य", today_head, total_head],
                      ["मुशहरी", "1,000", "50", f"{300 + day}"],
                      ["गौड़ा बौराम", "900", "10", f"{100 + day}"]])


@pytest.fixture
def store_with_places(con):
    assert ingest(con, gazetteer_bytes(), "lgd.csv", kind="gazetteer").ok
    return con


def test_an_unread_column_of_figures_is_asked_and_never_stored_as_if_absent(store_with_places):
    """The day's figure is read, the running total's heading is not: the file is refused whole
    (nothing stored), naming the column and the --column that would read it."""
    con = store_with_places
    before = store.scalar(con, "SELECT count(*) FROM progress")
    result = ingest(con, hindi_report(20), "day_20.csv")
    assert result.status == "refused" and result.refusal.code == "columns_unsure"
    said = result.refusal.text("en", CLI)
    assert "पोर्टल पर दर्ज" in said and '--column "पोर्टल पर दर्ज=achieved' in said
    assert "--column" not in result.refusal.text("en", PAGE)
    assert store.scalar(con, "SELECT count(*) FROM progress") == before


def test_the_operators_answer_is_stored_remembered_and_tomorrows_file_reads_right(store_with_places):
    con = store_with_places
    said = (columns.Given("achieved", header="पोर्टल पर दर्ज"),)
    first = ingest_module.ingest_file(con.cursor(), hindi_report(20), "day_20.csv", given=said, given_by="command")
    assert first.status == "stored", first.refusal and first.refusal.text()
    assert bp(con, "2025-05-20") == {"Musahari": (1000, 320), "Gora Bauram": (900, 120)}
    listed = columns.listed(con)
    assert [(r["header"], r["field"], r["scope"]) for r in listed] == [("पोर्टल पर दर्ज", "achieved", "header")]
    tomorrow = ingest(con, hindi_report(21), "day_21.csv")  # no answer given: remembered
    assert tomorrow.status == "stored", tomorrow.refusal and tomorrow.refusal.text()
    assert bp(con, "2025-05-21") == {"Musahari": (1000, 321), "Gora Bauram": (900, 121)}
    assert columns.forget(con, listed[0]["reading_id"])
    assert columns.listed(con) == []
    assert ingest(con, hindi_report(22), "day_22.csv").refusal.code == "columns_unsure"


def test_an_answer_given_on_the_page_is_remembered_for_the_layout(store_with_places):
    """The page says which column (by its place in this layout); a file of the same layout with
    another date reads that way, and so does any file with that header text."""
    con = store_with_places
    said = (columns.Given("achieved", column=3),)
    assert ingest_module.ingest_file(con.cursor(), hindi_report(20), "a.csv", given=said).status == "stored"
    scopes = sorted((r["scope"], r["field"]) for r in columns.listed(con))
    assert scopes == [("header", "achieved"), ("layout", "achieved")]
    assert ingest(con, hindi_report(21), "b.csv").status == "stored"


def test_not_used_is_an_answer_too(store_with_places):
    con = store_with_places
    data = csv_bytes([["Ayushman card report dated 20.05.2025"],
                      ["Block", "Target", "Cumulative", "Operators working"],
                      ["Musahari", "1,000", "320", "14"], ["Gora Bauram", "900", "120", "3"]])
    assert ingest(con, data, "a.csv").status == "stored"  # a target and a total: nothing to ask
    lacking = csv_bytes([["Ayushman card report dated 20.05.2025"], ["Block", "Today", "Operators working"],
                         ["Musahari", "50", "14"], ["Gora Bauram", "10", "3"]])
    asked = ingest(con, lacking, "b.csv")
    assert asked.refusal.code == "columns_unsure" and "Operators working" in asked.refusal.text()
    kept = ingest_module.ingest_file(con.cursor(), lacking, "b.csv", given=(columns.Given(None, header="Operators working"),))
    assert kept.status == "stored"


def test_the_command_line_takes_column_and_lists_and_forgets(tmp_path):
    db, report = tmp_path / "store.duckdb", tmp_path / "day_20.csv"
    report.write_bytes(hindi_report(20))
    (tmp_path / "lgd.csv").write_bytes(gazetteer_bytes())
    assert cli_in_process("ingest", tmp_path / "lgd.csv", "--kind", "gazetteer", env_db=db).returncode == 0
    refused = cli_in_process("ingest", report, env_db=db)
    assert refused.returncode == 1 and '--column "पोर्टल पर दर्ज=achieved"' in refused.stdout
    checked = cli_in_process("check", report, "--column", "पोर्टल पर दर्ज=achieved", env_db=db)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    stored = cli_in_process("ingest", report, env_db=db)  # the check's answer was remembered
    assert stored.returncode == 0, stored.stdout
    listed = cli_in_process("columns", env_db=db)
    rows = [line.split(",") for line in listed.stdout.strip().splitlines()]
    assert rows[0] == ["id", "kind", "scope", "header", "field", "saved_at", "said_by"]
    assert rows[1][1:5] == ["progress", "header", "पोर्टल पर दर्ज", "achieved"] and rows[1][6] == "command"
    forgot = cli_in_process("columns", "--forget", rows[1][0], env_db=db)
    assert forgot.returncode == 0 and cli_in_process("columns", env_db=db).stdout.strip().count("\n") == 0
    unknown = cli_in_process("columns", "--forget", "999", env_db=db)
    assert unknown.returncode == 2 and unknown.stderr.strip() == t("cli.no_column_reading", "en", id=999)
    bad = cli_in_process("ingest", report, "--column", "पोर्टल पर दर्ज=running_total", env_db=db)
    assert bad.returncode == 2 and "running_total" in bad.stderr and "achieved" in bad.stderr
    no_field = cli_in_process("ingest", report, "--column", "no equals sign", env_db=db)
    assert no_field.returncode == 2 and no_field.stderr.strip() == t("cli.bad_column", "en", value="no equals sign")


@pytest.mark.parametrize("title", ["Block: Kusheshwar Asthan Purbi, District: Darbhanga",
                                   "प्रखंड - कुशेश्वर स्थान पूर्वी, जिला दरभंगा",
                                   "Kusheshwar Asthan Purbi Block - panchayat-wise progress",
                                   "Ayushman card panchayat-wise report, KUSHESHWAR ASTHAN PURBI"])
def test_a_block_named_in_the_title_in_several_words_gets_its_panchayats(store_with_places, title):
    """A file for one block whose rows are panchayats: the block comes from its title, in one
    word or several, Hindi or English, never the block without "Purbi"."""
    con = store_with_places
    data = csv_bytes([[title], ["Date: 20.05.2025"], ["Panchayat", "Target", "Cumulative"],
                      ["Tilkeshwar", "500", "120"], ["Ujwa", "400", "90"]])
    result = ingest(con, data, "gp.csv", indicator=IND)
    assert result.status == "stored", result.refusal and result.refusal.text()
    rows = con.execute("SELECT DISTINCT block, panchayat FROM progress WHERE upload_id = ? ORDER BY 2",
                       [result.upload_id]).fetchall()
    assert rows == [("Kusheshwar Asthan Purbi", "Tilkeshwar"), ("Kusheshwar Asthan Purbi", "Ujwa")]


def test_the_block_in_the_file_name(store_with_places):
    con = store_with_places
    data = csv_bytes([["Ayushman card report 20.05.2025"], ["Panchayat", "Target", "Cumulative"],
                      ["Panchayat 5", "500", "120"], ["Panchayat 6", "400", "90"]])
    result = ingest(con, data, "musahari_gp_wise.csv")
    assert result.status == "stored", result.refusal and result.refusal.text()
    assert {r[0] for r in con.execute("SELECT block FROM progress WHERE upload_id = ?",
                                      [result.upload_id]).fetchall()} == {"Musahari"}


def test_several_indicators_in_one_file_each_stored(store_with_places):
    """A block-wise file with a pair of columns per indicator under a group line: each indicator
    stored, named from its group line; the totals row set aside for each."""
    con = store_with_places
    data = xlsx_bytes([["JEEViKA block-wise progress as on 20.05.2025"],
                       ["Block", "Credit linkage", None, "Insurance", None],
                       [None, "Target", "Achievement", "T", "A"],
                       ["Musahari", 100, 40, 900, 300],
                       ["Gora Bauram", 120, 60, 800, 250],
                       ["Total", 220, 100, 1700, 550]],
                      merged=["A2:A3", "B2:C2", "D2:E2"])
    result = ingest(con, data, "jeevika.xlsx")
    assert result.status == "stored", result.refusal and result.refusal.text()
    assert bp(con, "2025-05-20", "credit_linkage") == {"Musahari": (100, 40), "Gora Bauram": (120, 60)}
    assert bp(con, "2025-05-20", "insurance") == {"Musahari": (900, 300), "Gora Bauram": (800, 250)}
    assert result.staged.rows_rejected == 0


def test_a_lone_achievement_that_would_go_below_the_last_report_is_asked(store_with_places):
    con = store_with_places
    first = csv_bytes([["Ayushman card report 19.05.2025"], ["Block", "Target", "Cumulative"],
                       ["Musahari", "1,000", "300"], ["Gora Bauram", "900", "100"]])
    assert ingest(con, first, "d19.csv").status == "stored"
    daily = csv_bytes([["Ayushman card report 20.05.2025"], ["Block", "Target", "Achievement"],
                       ["Musahari", "1,000", "25"], ["Gora Bauram", "900", "12"]])
    asked = ingest(con, daily, "d20.csv")
    assert asked.refusal.code == "columns_unsure" and "Achievement" in asked.refusal.text()


def test_a_warning_about_the_whole_file_is_counted_and_said_whole(store_with_places):
    """A date given that differs from the title's: a warning about the file, no row of its own,
    counted beside the rows' and said whole."""
    import datetime as dt

    from samiksha import report

    con = store_with_places
    data = csv_bytes([["Ayushman card report dated 20.05.2025"], ["Block", "Target", "Cumulative"],
                      ["Musahari", "1,000", "320"], ["Gora Bauram", "900", "120"]])
    result = ingest(con, data, "a.csv", report_date=dt.date(2025, 5, 21))
    assert result.status == "stored"
    line = report.counts(result.staged, "en")
    assert line.endswith("; 1 warning(s) about the whole file"), line
    [whole] = report.file_warnings(result.staged)
    assert "20-05-2025" in whole.text("en") and "21-05-2025" in whole.text("en")


def test_the_upload_page_asks_about_a_column_and_remembers_the_answer(tmp_path, monkeypatch):
    """The operator uploads the Hindi report: the column in doubt is marked and the file cannot
    be stored; they choose "achieved (cumulative)" for it, check again, store; the next day's
    file of the same layout is stored with no question."""
    from streamlit.testing.v1 import AppTest
    from test_pages import APP, release

    path = tmp_path / "store.duckdb"
    con = store.open_store(str(path))
    assert ingest(con, gazetteer_bytes(), "lgd.csv", kind="gazetteer").ok
    con.close()
    monkeypatch.setenv("SAMIKSHA_DB", str(path))
    try:
        at = AppTest.from_file(APP, default_timeout=60)
        at.switch_page("pages/upload.py").run()
        at.file_uploader[0].set_value(("day_20.csv", hindi_report(20), "text/csv")).run()
        assert not at.exception, [e.value for e in at.exception]
        asked = [s for s in at.selectbox if s.label.startswith("❓")]
        assert [s.label for s in asked] == ["❓ पोर्टल पर दर्ज"] and asked[0].value == "-"
        assert not [b for b in at.button if b.key == "store_files"], "nothing to store while a column is in doubt"
        asked[0].set_value("achieved")
        next(b for b in at.button if (b.key or "").startswith("recheck_")).click().run()
        assert not [s for s in at.selectbox if s.label.startswith("❓")]
        at.button(key="store_files").click().run()
        assert not at.exception, [e.value for e in at.exception]
        at.file_uploader[0].set_value(("day_21.csv", hindi_report(21), "text/csv")).run()
        assert not [s for s in at.selectbox if s.label.startswith("❓")]
        at.button(key="store_files").click().run()
    finally:
        release()
    con = store.open_store(str(path), read_only=True)
    assert bp(con, "2025-05-21") == {"Musahari": (1000, 321), "Gora Bauram": (900, 121)}
    con.close()


def test_a_channel_is_read_the_same_way_however_it_is_written(store_with_places):
    con = store_with_places
    data = csv_bytes([["Ayushman card report 20.05.2025"], ["Block", "Made by", "Cards made today"],
                      ["Musahari", "P.D.S. Dealer", "5"], ["Musahari", "A.S.H.A.", "7"], ["Musahari", "c s c", "3"],
                      ["Gora Bauram", "Ration dealer", "2"]])
    result = ingest(con, data, "channels.csv")
    assert result.status == "stored", result.refusal and result.refusal.text()
    got = con.execute("SELECT block, channel, achieved_today FROM progress WHERE upload_id = ? ORDER BY 1, 2",
                      [result.upload_id]).fetchall()
    assert got == [("Gora Bauram", "Ration dealer", 2), ("Musahari", "ASHA", 7), ("Musahari", "Ration dealer", 5),
                   ("Musahari", "VLE", 3)]


def test_several_indicators_under_hindi_abbreviations_each_stored(store_with_places):
    """"बीमा | ल. | उ.": the one-letter Hindi abbreviations of target and achievement under an
    indicator's name are read, not left unused."""
    con = store_with_places
    data = xlsx_bytes([["जीविका समीक्षा, दिनांक 20.05.2025"],
                       ["प्रखंड", "क्रेडिट लिंकेज", None, "बीमा", None],
                       [None, "लक्ष्य", "उपलब्धि", "ल.", "उ."],
                       ["मुशहरी", 100, 40, 900, 300],
                       ["गौड़ा बौराम", 120, 60, 800, 250]],
                      merged=["A2:A3", "B2:C2", "D2:E2"])
    result = ingest(con, data, "jeevika_hi.xlsx")
    assert result.status == "stored", result.refusal and result.refusal.text()
    assert bp(con, "2025-05-20", "credit_linkage") == {"Musahari": (100, 40), "Gora Bauram": (120, 60)}
    assert bp(con, "2025-05-20", "insurance") == {"Musahari": (900, 300), "Gora Bauram": (800, 250)}


@pytest.mark.parametrize("total_head", ["Total cards generated since launch", "अभियान प्रारंभ से बने कार्ड"])
def test_a_running_total_since_the_start_is_the_cumulative(store_with_places, total_head):
    """"since launch", "प्रारंभ से": the campaign's start is where a running total counts from,
    not a start date."""
    con = store_with_places
    data = csv_bytes([["Ayushman card report as on 20.05.2025"],
                      ["Block", "Goal", "Cards generated during the day", total_head],
                      ["Musahari", "1,000", "25", "320"], ["Gora Bauram", "900", "12", "120"]])
    result = ingest(con, data, "d20.csv")
    assert result.status == "stored", result.refusal and result.refusal.text()
    assert bp(con, "2025-05-20") == {"Musahari": (1000, 320), "Gora Bauram": (900, 120)}


def test_a_date_of_credit_linkage_means_linked(con):
    """An SHG register's "Date of first credit linkage": a date is one linkage at least, a blank
    is not recorded; no row is refused for holding a date."""
    data = csv_bytes([["SHG register 30.05.2025"],
                      ["Block", "SHG Name", "SHG Code", "Members", "प्रथम क्रेडिट लिंकेज तिथि"],
                      ["Musahari", "Durga", "S1", "12", "15.06.2024"],
                      ["Musahari", "Laxmi", "S2", "10", ""],
                      ["Musahari", "Sita", "S3", "11", "Yes"]])
    result = ingest(con, data, "shg.csv", kind="shg")
    assert result.status == "stored", result.refusal and result.refusal.text()
    assert result.staged.rows_rejected == 0
    got = dict(con.execute("SELECT shg_code, credit_linkages FROM shg_register").fetchall())
    assert got == {"S1": 1, "S2": None, "S3": 1}


def test_a_blocks_roster_with_no_place_column_takes_the_block_from_its_title(store_with_places):
    """A block's own ASHA roster: no block column, the block named in the title; supervisor and
    login read from headers nobody listed whole ("ANM/Supervisor", "ID activated (Y/N)")."""
    con = store_with_places
    data = csv_bytes([["ASHA login status as on 30-05-2025, Block Musahari"],
                      ["Sl", "ASHA Name", "ASHA ID", "ANM/Supervisor", "ID activated (Y/N)", "Mobile No."],
                      ["1", "Rita", "A-1", "Indu", "Y", "9800000001"],
                      ["2", "Gita", "A-2", "Indu", "N", "9800000002"]])
    result = ingest(con, data, "asha.csv")
    assert result.status == "stored" and result.staged.kind == "workers", result.refusal and result.refusal.text()
    rows = con.execute("SELECT worker_id, block, supervisor, id_active FROM workers ORDER BY 1").fetchall()
    assert rows == [("A-1", "Musahari", "Indu", True), ("A-2", "Musahari", "Indu", False)]
    nowhere = csv_bytes([["ASHA login status as on 30-05-2025"],
                         ["Sl", "ASHA Name", "ASHA ID", "ANM/Supervisor", "ID activated (Y/N)"],
                         ["1", "Rita", "A-1", "Indu", "Y"]])
    refused = ingest(con, nowhere, "asha2.csv")
    assert refused.refusal.code == "roster_no_place"
    assert store.scalar(con, "SELECT count(*) FROM workers") == 2


def test_a_lone_achievement_is_compared_block_by_block_with_a_panchayat_wise_history(store_with_places):
    """The history is panchayat-wise, today's file block-wise: "Achievement" far below the sum of
    the block's panchayats is asked about, not stored as the total so far."""
    con = store_with_places
    first = csv_bytes([["Ayushman card report 19.05.2025"], ["Block", "Panchayat", "Target", "Cumulative"],
                       ["Musahari", "Panchayat 5", "500", "300"], ["Musahari", "Panchayat 6", "400", "200"],
                       ["Gora Bauram", "Panchayat 7", "900", "100"]])
    assert ingest(con, first, "d19.csv").status == "stored"
    daily = csv_bytes([["Ayushman card report 20.05.2025"], ["Block", "Target", "Achievement"],
                       ["Musahari", "900", "25"], ["Gora Bauram", "900", "12"]])
    asked = ingest(con, daily, "d20.csv")
    assert asked.refusal and asked.refusal.code == "columns_unsure", asked.status
    running = csv_bytes([["Ayushman card report 20.05.2025"], ["Block", "Target", "Achievement"],
                         ["Musahari", "900", "525"], ["Gora Bauram", "900", "12"]])
    assert ingest(con, running, "d20b.csv").status == "stored"


def test_a_figure_headed_with_a_day_and_month_is_the_days(store_with_places):
    """"31.05 को बने" (made on 31.05): that day's figure, never the running total."""
    con = store_with_places
    data = csv_bytes([["प्रखंडवार आयुष्मान कार्ड स्थिति 20-05-2025"],
                      ["प्रखंड", "वार्षिक लक्ष्य", "20.05 को बने", "सकल योग"],
                      ["मुशहरी", "1,000", "25", "320"], ["गौड़ा बौराम", "900", "12", "120"]])
    result = ingest(con, data, "d20.csv")
    assert result.status == "stored", result.refusal and result.refusal.text()
    assert bp(con, "2025-05-20") == {"Musahari": (1000, 320), "Gora Bauram": (900, 120)}
    assert bp_today(con, "2025-05-20") == {"Musahari": 25, "Gora Bauram": 12}


@pytest.mark.parametrize("title", ["Ayushman Vay Vandana card - block wise position as on 20.05.2025",
                                   "आयुष्मान वय वंदना कार्ड प्रगति 20.05.2025"])
def test_a_title_naming_another_scheme_around_a_known_name_is_asked_never_read_as_it(store_with_places, title):
    """"Ayushman Vay Vandana card" holds the words of "Ayushman card" with others between them:
    another scheme. Read as Ayushman cards it would add to the wrong series: the file is refused,
    naming the scheme, until the indicator is given; "Ayushman Bharat card" is Ayushman cards."""
    con = store_with_places
    rows = [[title], ["Block", "Target", "Cumulative"], ["Musahari", "1,000", "320"], ["Gora Bauram", "900", "120"]]
    refused = ingest(con, csv_bytes(rows), "vv.csv")
    assert refused.refusal and refused.refusal.code == "indicator_other_scheme"
    assert "vay" in refused.refusal.text("en").lower() or "वय" in refused.refusal.text("en")
    assert store.scalar(con, "SELECT count(*) FROM progress") == 0
    given = ingest(con, csv_bytes(rows), "vv.csv", indicator="Ayushman Vay Vandana")
    assert given.status == "stored" and given.staged.indicator == "ayushman_vay_vandana"
    bharat = [["Ayushman Bharat card progress 20.05.2025"], *rows[1:]]
    assert ingest(con, csv_bytes(bharat), "ab.csv").staged.indicator == IND


def test_on_the_upload_page_the_other_scheme_is_said_and_its_indicator_can_be_typed(tmp_path, monkeypatch):
    """The page says which scheme the title names and where to give its indicator; the
    indicator picker takes a name typed in (a scheme not yet known)."""
    from streamlit.testing.v1 import AppTest
    from test_pages import APP, release

    from samiksha.i18n import t

    path = tmp_path / "store.duckdb"
    con = store.open_store(str(path))
    assert ingest(con, gazetteer_bytes(), "lgd.csv", kind="gazetteer").ok
    con.close()
    monkeypatch.setenv("SAMIKSHA_DB", str(path))
    data = csv_bytes([["Ayushman Vay Vandana card - block wise position as on 20.05.2025"],
                      ["Block", "Target", "Cumulative"], ["Musahari", "1,000", "320"]])
    try:
        at = AppTest.from_file(APP, default_timeout=60)
        at.switch_page("pages/upload.py").run()
        at.file_uploader[0].set_value(("vv.csv", data, "text/csv")).run()
        assert not at.exception, [e.value for e in at.exception]
        said = t("issue_page.indicator_other_scheme", "en", scheme="Ayushman Vay Vandana Card", known="Ayushman cards")
        assert any(said in e.value for e in at.error), [e.value for e in at.error]
        assert at.selectbox(key="opt_indicator").proto.accept_new_options
    finally:
        release()
