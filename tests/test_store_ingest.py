"""Storing uploads in an in-memory store: history, duplicates, replacement, undo, refusals, names."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import random

import pytest
from conftest import BLOCKS, DISTRICT_CODE, csv_bytes, gazetteer_bytes, ingest, xlsx_bytes

from samiksha import fmt, places, queries, store
from samiksha import ingest as ingest_module

D27, D28 = dt.date(2025, 5, 27), dt.date(2025, 5, 28)
HEADER = ["Block", "Target", "Today", "Achieved"]


def report(day: str, *body, header=HEADER, title="Ayushman card block-wise report dated {day}") -> bytes:
    return csv_bytes([[title.format(day=day)], header, *body])


def snapshot(con) -> dict:
    """Every row of every table of the store (temp staging tables aside, and the series and
    SHG registers worked out from the stored rows: caches, rebuilt whenever they change)."""
    tables = [name for (name,) in con.execute(
        "SELECT table_name FROM duckdb_tables() WHERE NOT temporary "
        "AND table_name NOT IN ('series_cache', 'series_state', 'series_marks', 'shg_cache', 'shg_state') ORDER BY 1").fetchall()]
    assert {"uploads", "progress", "targets", "places", "upload_issues", "rejected_rows"} <= set(tables)
    return {name: con.execute(f"SELECT * FROM {name} ORDER BY ALL").fetchall() for name in tables}


def block_progress(con, as_of="2025-05-27") -> list[dict]:
    return queries.run(con, "block_progress", indicator="ayushman_cards", as_of=as_of).to_dict("records")


def achieved(con, as_of="2025-05-27") -> dict:
    return {row["block"]: row["achieved"] for row in block_progress(con, as_of)}


def upload_row(con, upload_id: int) -> dict:
    return store.records(con, "SELECT * FROM uploads WHERE upload_id = ?", [upload_id])[0]


# ---------------------------------------------------------------- the uploads table


def test_an_upload_is_recorded(con):
    data = report("27.05.2025", ["Araria", "100", "5", "50"], ["Bhargama", "200", "x", "60"],
                  ["Forbesganj", "300", "7", "70"], ["Araria", "100", "5", "50"])
    before = fmt.now_ist()
    result = ingest(con, data, "araria_27.csv")
    after = fmt.now_ist()
    assert result.status == "stored" and result.ok
    row = upload_row(con, result.upload_id)
    assert row["file_name"] == "araria_27.csv"
    assert row["sha256"] == hashlib.sha256(data).hexdigest()
    assert row["kind"] == "progress"
    assert row["indicator"] == "ayushman_cards"
    assert row["report_date"] == D27
    assert before <= row["uploaded_at"] <= after  # IST wall-clock time
    assert (row["rows_accepted"], row["rows_warned"], row["rows_rejected"]) == (2, 1, 1)
    assert row["status"] == "stored"
    assert row["file_format"] == "CSV"
    assert row["header_row"] == 2
    assert json.loads(row["reading"])["columns"]["achieved"] == "Achieved"


def test_uploaded_at_can_be_given(con):
    when = dt.datetime(2025, 5, 27, 16, 5)
    result = ingest(con, report("27.05.2025", ["Araria", "100", "5", "50"]), "a.csv", uploaded_at=when)
    assert upload_row(con, result.upload_id)["uploaded_at"] == when


def test_same_bytes_again_change_nothing(con):
    data = report("27.05.2025", ["Araria", "100", "5", "50"], ["Bhargama", "200", "6", "60"])
    first = ingest(con, data, "araria_27.csv")
    before = snapshot(con)
    again = ingest(con, data, "araria_27 (1).csv")
    assert again.status == "duplicate"
    assert again.upload_id == first.upload_id
    assert again.previous["file_name"] == "araria_27.csv"
    assert snapshot(con) == before


# ---------------------------------------------------------------- replacement, undo, restore


def test_a_corrected_report_replaces_the_earlier_one_and_undo_brings_it_back(con):
    first = ingest(con, report("27.05.2025", ["Araria", "100", "5", "50"], ["Bhargama", "200", "6", "60"]),
                   "araria_27.csv")
    assert first.replaced == []
    corrected = ingest(con, report("27.05.2025", ["Araria", "100", "7", "52"]), "araria_27_corrected.csv")
    assert corrected.status == "stored"
    assert corrected.replaced == [{"upload_id": first.upload_id, "file_name": "araria_27.csv", "rows": 1}]
    assert achieved(con) == {"Araria": 52, "Bhargama": 60}
    # Both stay in the history.
    assert store.scalar(con, "SELECT count(*) FROM progress") == 3

    assert ingest_module.undo(con, corrected.upload_id) is True
    assert upload_row(con, corrected.upload_id)["status"] == "undone"
    assert achieved(con) == {"Araria": 50, "Bhargama": 60}

    assert ingest_module.restore(con, corrected.upload_id) is True
    assert achieved(con) == {"Araria": 52, "Bhargama": 60}


def test_undo_of_an_unknown_upload(con):
    assert ingest_module.undo(con, 999) is False


def test_undo_then_the_same_bytes_again_restore_the_upload(con):
    ingest(con, report("27.05.2025", ["Araria", "100", "5", "50"]), "first.csv")
    data = report("27.05.2025", ["Araria", "100", "7", "52"])
    corrected = ingest(con, data, "corrected.csv")
    ingest_module.undo(con, corrected.upload_id)
    assert achieved(con) == {"Araria": 50}
    uploads_before = store.scalar(con, "SELECT count(*) FROM uploads")
    again = ingest(con, data, "corrected.csv")
    assert again.status == "restored"
    assert again.upload_id == corrected.upload_id
    assert upload_row(con, corrected.upload_id)["status"] == "stored"
    assert store.scalar(con, "SELECT count(*) FROM uploads") == uploads_before
    assert achieved(con) == {"Araria": 52}


# ---------------------------------------------------------------- refused files store nothing

_WORKBOOK = xlsx_bytes([["Ayushman card report dated 27.05.2025"], HEADER, ["Araria", 100, 5, 50]])
REFUSED = {
    "empty": (b"", "empty.csv", "empty_file"),
    "header-only": (report("27.05.2025"), "header_only.csv", "no_data_rows"),
    "png-named-csv": (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x04\x38", "report.csv", "not_a_table_file"),
    "random-xlsx": (random.Random(3).randbytes(4096), "report.xlsx", "bad_workbook"),
    "truncated-xlsx": (_WORKBOOK[: len(_WORKBOOK) // 2], "report.xlsx", "bad_workbook"),
    "no-known-columns": (csv_bytes([["Name", "Colour", "Size"], ["a", "red", "3"]]), "other.csv", "no_header"),
    "whatsapp-text": (b"[27/05/25, 5:02 PM] BPM Araria: Sir aaj 1,406 Ayushman card bane, total 10,757\n"
                      b"[27/05/25, 5:03 PM] DM: ok\n", "chat.txt", "no_header"),
    "no-achievement-column": (report("27.05.2025", ["Araria", "100"], header=["Block", "Target"]), "targets.csv",
                              "no_header"),
    "nothing-acceptable": (report("27.05.2025", ["Araria", "100", "x", "-1"]), "bad.csv", "no_rows_accepted"),
}


@pytest.mark.parametrize("case", REFUSED, ids=list(REFUSED))
def test_a_refused_file_stores_nothing(con, gazetteer, tmp_path, case):
    data, name, code = REFUSED[case]
    ingest(con, report("27.05.2025", ["Musahari", "100", "5", "50"]), "earlier.csv")
    before, figures_before = snapshot(con), block_progress(con)
    result = ingest(con, data, name, files=tmp_path)
    assert result.status == "refused" and not result.ok
    assert result.upload_id is None
    assert result.refusal.code == code
    assert snapshot(con) == before
    assert block_progress(con) == figures_before
    assert list(tmp_path.iterdir()) == []  # no raw file kept either


# ---------------------------------------------------------------- rejected rows and warnings


def test_rejected_rows_are_kept_with_their_cells_and_reasons(con):
    data = report("27.05.2025", ["Araria", "100", "5", "50"], ["Bhargama", "200", "-3", "60"],
                  ["Forbesganj", "300", "2.5", "70"], ["Jokihat", "", "", ""])
    result = ingest(con, data, "a.csv")
    uid = result.upload_id
    cells = {row: json.loads(text) for row, text in con.execute(
        "SELECT row_number, cells FROM rejected_rows WHERE upload_id = ? ORDER BY 1", [uid]).fetchall()}
    assert cells == {4: ["Bhargama", "200", "-3", "60"], 5: ["Forbesganj", "300", "2.5", "70"],
                     6: ["Jokihat", None, None, None]}
    issues = con.execute("SELECT row_number, code, column_name, value FROM upload_issues "
                         "WHERE upload_id = ? AND severity = 'rejected' ORDER BY 1", [uid]).fetchall()
    assert issues == [(4, "negative_number", "Today", "-3"), (5, "not_whole_number", "Today", "2.5"),
                      (6, "no_figures", None, None)]
    assert [i.code for i in ingest_module.upload_issues(con, uid) if i.severity == "rejected"] == [
        "negative_number", "not_whole_number", "no_figures"]
    assert store.scalar(con, "SELECT count(*) FROM progress WHERE upload_id = ?", [uid]) == 1


def test_cumulative_lower_than_the_day_before_warns(con):
    ingest(con, report("27.05.2025", ["Araria", "100", "5", "52"], ["Bhargama", "200", "6", "60"]), "27.csv")
    result = ingest(con, report("28.05.2025", ["Araria", "100", "0", "40"], ["Bhargama", "200", "6", "66"]), "28.csv")
    assert result.status == "stored"
    down = [i for i in ingest_module.upload_issues(con, result.upload_id) if i.code == "cumulative_down"]
    assert [(i.severity, i.row, i.value) for i in down] == [("warning", 3, "40")]
    assert down[0].params["before"] == 52 and down[0].params["place"] == "Araria"
    assert upload_row(con, result.upload_id)["rows_warned"] == 1
    assert achieved(con, "2025-05-28") == {"Araria": 40, "Bhargama": 66}  # warned, still counted


def test_cumulative_going_down_inside_one_file_warns(con):
    data = csv_bytes([["Ayushman card report"], ["Date", "Block", "Achieved"],
                      ["27.05.2025", "Araria", "50"], ["28.05.2025", "Araria", "45"],
                      ["27.05.2025", "Bhargama", "10"], ["28.05.2025", "Bhargama", "12"]])
    result = ingest(con, data, "two_days.csv")
    assert result.status == "stored"
    down = [i for i in ingest_module.upload_issues(con, result.upload_id) if i.code == "cumulative_down"]
    assert [(i.row, i.value) for i in down] == [(4, "45")]


# ---------------------------------------------------------------- place names


def test_gazetteer_is_stored_with_tidy_names(con, gazetteer):
    names = dict(con.execute("SELECT code, name FROM places_current WHERE level = 'block'").fetchall())
    assert names == {
        "2001": "Kusheshwar Asthan", "2002": "Kusheshwar Asthan Purbi", "2003": "Baruraj (Motipur)",
        "2004": "Gora Bauram", "2005": "Musahari"}
    assert store.scalar(con, "SELECT count(*) FROM places_current WHERE level = 'panchayat'") == 8
    assert store.scalar(con, "SELECT parent_code FROM places_current WHERE code = '300202'") == "2002"


def test_names_are_matched_against_the_gazetteer(con, gazetteer):
    data = report("27.05.2025", ["मुशहरी", "100", "5", "50"], ["Kusheshwar Asthan East", "100", "5", "51"],
                  ["Kusheshwar Asthan", "100", "5", "52"], ["GAURABAURAM", "100", "5", "53"],
                  ["Baruraj", "100", "5", "54"], ["KA Purbi", "100", "5", "55"])
    result = ingest(con, data, "a.csv")
    stored = dict(con.execute("SELECT block_written, block_code FROM progress WHERE upload_id = ?",
                              [result.upload_id]).fetchall())
    assert stored == {"मुशहरी": "2005", "Kusheshwar Asthan East": "2002", "Kusheshwar Asthan": "2001",
                      "GAURABAURAM": "2004", "Baruraj": "2003", "KA Purbi": None}
    how = dict(con.execute("SELECT written, how FROM place_matches WHERE upload_id = ?",
                           [result.upload_id]).fetchall())
    assert how["KA Purbi"] == "unmatched" and how["मुशहरी"] == "exact"
    unmatched = ingest_module.unmatched_names(con)
    assert [(u["level"], u["written"]) for u in unmatched] == [("block", "KA Purbi")]
    assert achieved(con)["Kusheshwar Asthan Purbi"] == 51
    assert achieved(con)["Kusheshwar Asthan"] == 52


def test_a_confirmed_name_updates_stored_rows_and_is_remembered(con, gazetteer):
    first = ingest(con, report("27.05.2025", ["KA Purbi", "100", "5", "55"], ["Musahari", "100", "5", "50"]),
                   "27.csv")
    assert "KA Purbi" not in achieved(con)  # pending: out of the figures until confirmed
    changed = ingest_module.confirm_name(con, "block", "KA Purbi", DISTRICT_CODE, "2002")
    assert changed == 1
    row = con.execute("SELECT block, block_code FROM progress WHERE upload_id = ? AND block_written = 'KA Purbi'",
                      [first.upload_id]).fetchall()
    assert row == [("Kusheshwar Asthan Purbi", "2002")]
    assert ingest_module.unmatched_names(con) == []
    assert achieved(con) == {"Kusheshwar Asthan Purbi": 55, "Musahari": 50}

    second = ingest(con, report("28.05.2025", ["ka purbi", "100", "6", "61"]), "28.csv")
    match = next(m for m in second.staged.matches if m.level == "block")
    assert (match.how, match.code) == ("confirmed", "2002")
    assert achieved(con, "2025-05-28") == {"Kusheshwar Asthan Purbi": 61, "Musahari": 50}


def test_confirming_a_block_lets_its_panchayats_count_once(con, gazetteer):
    header = ["Block", "Panchayat", "Target", "Achieved"]
    ingest(con, report("27.05.2025", ["KA Purbi", "Ujwa", "10", "5"], header=header), "27.csv")
    ingest_module.confirm_name(con, "block", "KA Purbi", DISTRICT_CODE, "2002")
    ingest(con, report("28.05.2025", ["KA Purbi", "Ujwa", "10", "6"], header=header), "28.csv")
    rows = queries.run(con, "panchayat_progress", indicator="ayushman_cards", as_of="2025-05-28",
                       block="Kusheshwar Asthan Purbi").to_dict("records")
    # Ujwa's cumulative figure on the 28th is 6 (not 5 + 6).
    assert [(r["panchayat"], r["achieved"]) for r in rows] == [("Ujwa", 6)]


def test_keeping_a_name_as_written(con, gazetteer):
    ingest(con, report("27.05.2025", ["Nagar Parishad", "100", "5", "55"]), "27.csv")
    ingest_module.confirm_name(con, "block", "Nagar Parishad", DISTRICT_CODE, "")
    assert ingest_module.unmatched_names(con) == []
    second = ingest(con, report("28.05.2025", ["Nagar Parishad", "100", "6", "61"]), "28.csv")
    match = next(m for m in second.staged.matches if m.level == "block")
    assert (match.how, match.code) == ("confirmed", places.kept_code("Nagar Parishad"))
    assert achieved(con, "2025-05-28")["Nagar Parishad"] == 61  # a block of its own: counted


def test_rematch_when_the_gazetteer_arrives_later(con):
    header = ["Block", "Panchayat", "Target", "Achieved"]
    early = ingest(con, report("27.05.2025", ["Mushahari", "Panchayat 6", "10", "5"],
                               ["Kusheshwar Asthan", "Ujwa", "10", "6"],
                               ["Kusheshwar Asthan Purbi", "Ujwa", "10", "7"], header=header), "27.csv")
    assert {m.how for m in early.staged.matches} == {"written"}
    ingest(con, gazetteer_bytes(), "lgd.csv", kind="gazetteer")
    stored = con.execute("SELECT block_written, block_code, block, panchayat_code FROM progress "
                         "WHERE upload_id = ? ORDER BY 1", [early.upload_id]).fetchall()
    assert stored == [
        ("Kusheshwar Asthan", "2001", "Kusheshwar Asthan", "300101"),
        ("Kusheshwar Asthan Purbi", "2002", "Kusheshwar Asthan Purbi", "300202"),
        ("Mushahari", "2005", "Musahari", "300502"),
    ]
    assert achieved(con) == {"Musahari": 5, "Kusheshwar Asthan": 6, "Kusheshwar Asthan Purbi": 7}
    assert ingest_module.unmatched_names(con) == []


def test_every_gazetteer_block_is_a_block(gazetteer, con):
    assert set(BLOCKS) == {code for (code,) in con.execute(
        "SELECT code FROM places_current WHERE level = 'block'").fetchall()}


# ---------------------------------------------------------------- raw files and migrations


def test_the_raw_file_is_kept(con, tmp_path):
    data = report("27.05.2025", ["Araria", "100", "5", "50"])
    result = ingest(con, data, "अररिया report 27.csv", files=tmp_path)
    raw_path = upload_row(con, result.upload_id)["raw_path"]
    assert raw_path is not None
    kept = [p for p in tmp_path.iterdir()]
    assert [str(p) for p in kept] == [raw_path]
    assert kept[0].read_bytes() == data
    assert kept[0].name.endswith(".csv")


def test_no_raw_file_without_a_folder(con):
    result = ingest(con, report("27.05.2025", ["Araria", "100", "5", "50"]), "a.csv")
    assert upload_row(con, result.upload_id)["raw_path"] is None


def test_migrations_are_recorded_once(tmp_path):
    path = str(tmp_path / "samiksha.duckdb")
    expected = [(version, file.name) for version, file in store.migrations()]
    assert expected and expected[0][0] == 1
    first = store.open_store(path)
    assert first.execute("SELECT version, name FROM schema_migrations ORDER BY 1").fetchall() == expected
    ingest(first, report("27.05.2025", ["Araria", "100", "5", "50"]), "a.csv")
    first.close()

    second = store.open_store(path)
    assert second.execute("SELECT version, name FROM schema_migrations ORDER BY 1").fetchall() == expected
    assert store.migrate(second) == []
    assert store.scalar(second, "SELECT count(*) FROM uploads") == 1
    assert achieved(second) == {"Araria": 50}
    second.close()


def test_files_dir_is_beside_the_store(tmp_path):
    assert store.files_dir(str(tmp_path / "x.duckdb")) == tmp_path / "x_files"
    assert store.files_dir(store.MEMORY) is None
