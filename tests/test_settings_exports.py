"""Settings (checked before anything is stored) and downloads (Excel and CSV that are safe to
open in Excel), read back as a user's Excel would."""

from __future__ import annotations

import datetime as dt
import io
import math
import zipfile

import openpyxl
import pandas as pd
import pytest
from conftest import csv_bytes, ingest

from samiksha import exports, queries, settings
from samiksha.errors import IntakeError
from samiksha.kinds import households

IND = "ayushman_cards"
D = dt.date


def snapshot(con) -> dict:
    return dict(con.execute("SELECT key, CAST(value AS VARCHAR) FROM settings ORDER BY key").fetchall())


@pytest.fixture
def configured(con):
    """A store with every setting entered once (valid values)."""
    settings.set_district_name(con, "Araria", "अररिया")
    settings.set_thresholds(con, 40, 70)
    settings.set_panchayat_minimum(con, 300)
    settings.set_plan(con, IND, 100000, D(2025, 6, 15))
    settings.set_drive(con, "Special drive", D(2025, 5, 20), D(2025, 5, 22))
    return con


def refused(con, change, *args) -> str:
    before = snapshot(con)
    with pytest.raises(IntakeError) as caught:
        change(con, *args)
    assert snapshot(con) == before, "a refused change stores nothing"
    assert "Nothing was changed" in caught.value.issue.text("en")
    return caught.value.issue.code


# ---------------------------------------------------------------- settings: refusals


@pytest.mark.parametrize("red, green", [(80, 50), (50, 50), (0, 50), (-10, 50), (50, 1001), (float("nan"), 80),
                                        (50, float("nan"))])
def test_bad_thresholds_are_refused(configured, red, green):
    assert refused(configured, settings.set_thresholds, red, green) == "bad_thresholds"
    assert settings.thresholds(configured) == settings.Thresholds(40, 70)


def test_refused_thresholds_leave_the_statuses_alone(configured):
    ingest(configured, csv_bytes([["Ayushman card report dated 27.05.2025"], ["Block", "Target", "Achieved"],
                                  ["Araria", "100", "45"], ["Palasi", "100", "75"]]), "r.csv")

    def statuses():
        return dict(queries.run(configured, "block_review", indicator=IND, as_of="2025-05-27")[["block", "status"]]
                    .itertuples(index=False))

    assert statuses() == {"Araria": "amber", "Palasi": "green"}  # red below 40, green from 70
    refused(configured, settings.set_thresholds, 90, 60)
    assert statuses() == {"Araria": "amber", "Palasi": "green"}


@pytest.mark.parametrize("minimum", [-1, -0.5, 2.5, "500"])
def test_bad_panchayat_minimum_is_refused(configured, minimum):
    assert refused(configured, settings.set_panchayat_minimum, minimum) == "bad_minimum"
    assert settings.panchayat_minimum(configured) == 300


@pytest.mark.parametrize("change, args", [
    (settings.set_panchayat_minimum, (float("nan"),)),
    (settings.set_panchayat_minimum, (float("inf"),)),
    (settings.set_plan, ("ayushman_cards", float("inf"), None)),
    (settings.set_plan, ("ayushman_cards", float("nan"), None)),
    (settings.set_thresholds, (float("nan"), 80.0)),
])
def test_non_numbers_are_refused_as_intake_errors(configured, change, args):
    refused(configured, change, *args)


@pytest.mark.parametrize("english, hindi", [("", ""), ("   ", "\t"), (" ", "")])
def test_an_empty_district_name_is_refused(configured, english, hindi):
    assert refused(configured, settings.set_district_name, english, hindi) == "bad_district_name"
    assert (settings.district_name(configured, "en"), settings.district_name(configured, "hi")) == ("Araria", "अररिया")


@pytest.mark.parametrize("start, end", [
    (None, D(2025, 5, 22)),
    (D(2025, 5, 20), None),
    (D(2025, 5, 22), D(2025, 5, 20)),  # the last day before the first
    (D(2025, 5, 1), D(2025, 7, 1)),    # 62 days
])
def test_a_bad_drive_is_refused(configured, start, end):
    assert refused(configured, settings.set_drive, "Drive", start, end) == "bad_drive"
    assert settings.drive(configured) == settings.Drive("Special drive", D(2025, 5, 20), D(2025, 5, 22))


@pytest.mark.parametrize("target", [0, -5, 2.5])
def test_a_bad_target_is_refused(configured, target):
    assert refused(configured, settings.set_plan, IND, target, D(2025, 6, 30)) == "bad_target"
    assert settings.plan(configured, IND) == {"target": 100000, "deadline": D(2025, 6, 15)}


# ---------------------------------------------------------------- settings: what is kept


def test_defaults_on_a_new_store(con):
    assert settings.thresholds(con) == settings.Thresholds(50, 80)
    assert settings.panchayat_minimum(con) == 500
    assert settings.drive(con) is None
    assert settings.plan(con, IND) == {"target": None, "deadline": None}
    assert settings.district_name(con, "hi") == ""
    assert settings.indicator_name(con, IND, "en") == "Ayushman cards"
    assert list(snapshot(con)) == [households.SALT_KEY]  # nothing a person set: only the store's own salt


def test_the_district_is_named_by_the_gazetteer_until_settings_name_it(con, gazetteer):
    # The tiny gazetteer holds one district, DARBHANGA (no Hindi name): charts and the brief say so.
    assert store_setting(con, "district_name") is None
    assert (settings.district_name(con, "en"), settings.district_name(con, "hi")) == ("Darbhanga", "Darbhanga")
    settings.set_district_name(con, "Darbhanga (Sadar)", "दरभंगा")
    assert (settings.district_name(con, "en"), settings.district_name(con, "hi")) == ("Darbhanga (Sadar)", "दरभंगा")


def test_a_state_gazetteer_names_no_district_for_the_whole_store(con):
    rows = [["state_code", "state_name", "district_code", "district_name", "block_code", "block_name"],
            ["10", "BIHAR", "230", "DARBHANGA", "2005", "MUSAHARI"], ["10", "BIHAR", "231", "MADHUBANI", "2101", "BENIPATTI"]]
    assert ingest(con, csv_bytes(rows), "lgd_bihar.csv", kind="gazetteer").ok
    assert settings.district_name(con, "en") == ""  # the whole store is two districts
    assert settings.district_name(con, "en", "231") == "Madhubani"  # one picked


def store_setting(con, key):
    from samiksha import store

    return store.get_setting(con, key)


def test_settings_round_trip(configured):
    con = configured
    assert settings.thresholds(con) == settings.Thresholds(40.0, 70.0)
    assert settings.panchayat_minimum(con) == 300
    assert settings.plan(con, IND) == {"target": 100000, "deadline": D(2025, 6, 15)}
    drive = settings.drive(con)
    assert (drive.name, drive.start, drive.end, drive.days) == ("Special drive", D(2025, 5, 20), D(2025, 5, 22), 3)
    # Edge values that are allowed.
    settings.set_thresholds(con, 0.5, 1000)
    settings.set_panchayat_minimum(con, 0)
    settings.set_drive(con, "  Long drive ", D(2025, 5, 1), D(2025, 6, 30))  # 61 days
    assert settings.thresholds(con) == settings.Thresholds(0.5, 1000.0)
    assert settings.panchayat_minimum(con) == 0
    assert (settings.drive(con).name, settings.drive(con).days) == ("Long drive", 61)
    # Cleared.
    settings.set_drive(con, "", None, None)
    settings.set_plan(con, IND, None, None)
    assert settings.drive(con) is None
    assert settings.plan(con, IND) == {"target": None, "deadline": None}


def test_names_fall_back_to_the_other_language(con):
    settings.set_district_name(con, "", " अररिया ")
    assert (settings.district_name(con, "en"), settings.district_name(con, "hi")) == ("अररिया", "अररिया")
    settings.set_district_name(con, "Araria", "")
    assert (settings.district_name(con, "en"), settings.district_name(con, "hi")) == ("Araria", "Araria")
    settings.set_indicator_name(con, IND, "Golden cards", "")
    assert settings.indicator_name(con, IND, "hi") == "Golden cards"
    settings.set_indicator_name(con, IND, "", "")  # back to the built-in names
    assert settings.indicator_name(con, IND, "hi") == "आयुष्मान कार्ड"


@pytest.mark.parametrize("pct, status", [(None, None), (float("nan"), None), (49.9, "red"), (50, "amber"),
                                         (79.9, "amber"), (80, "green"), (250, "green")])
def test_python_status_rule(pct, status):
    assert settings.Thresholds().status(pct) == status


# ---------------------------------------------------------------- Excel


def workbook(data: bytes):
    return openpyxl.load_workbook(io.BytesIO(data))


def table() -> pd.DataFrame:
    return pd.DataFrame({
        "block": ['=HYPERLINK("http://x","y")', "+1", "-2", "@x", "अररिया"],
        "achieved": [352080, 10, 0, 12345678, 5],
        "pct": [72.5, 100.0, None, 1.25, 3.0],
        "report_date": pd.to_datetime(["2025-05-30"] * 5),
        "uploaded_at": pd.to_datetime(["2025-05-30 16:34"] * 5),
        "below_minimum": [True, False, True, False, True],
    })


def test_excel_header_is_bold_and_frozen():
    ws = workbook(exports.excel_bytes({"Blocks": table()}, {"block": "Block", "pct": "% achieved"})).active
    assert [c.value for c in ws[1]] == ["Block", "achieved", "% achieved", "report_date", "uploaded_at",
                                        "below_minimum"]
    assert all(c.font.b for c in ws[1])
    assert not any(c.font.b for c in ws[2])
    assert ws.freeze_panes == "A2"
    assert ws.max_row == 6


def test_excel_numbers_in_indian_format_and_dates_dd_mm_yyyy():
    ws = workbook(exports.excel_bytes({"Blocks": table()})).active
    achieved = [ws.cell(row=r, column=2) for r in range(2, 7)]
    assert [c.value for c in achieved] == [352080, 10, 0, 12345678, 5]
    assert {c.number_format for c in achieved} == {exports.INDIAN_INT}
    assert "[>=100000]##\\,##\\,##0" in exports.INDIAN_INT and "[>=10000000]" in exports.INDIAN_INT  # lakh, crore
    pct = {ws.cell(row=r, column=3).value: ws.cell(row=r, column=3).number_format for r in range(2, 7)}
    assert pct == {72.5: exports.INDIAN_DEC, 100: exports.INDIAN_INT, None: "General", 1.25: exports.INDIAN_DEC,
                   3: exports.INDIAN_INT}
    dates = [ws.cell(row=r, column=4) for r in range(2, 7)]
    assert {c.value for c in dates} == {dt.datetime(2025, 5, 30)}
    assert {c.number_format for c in dates} == {"dd-mm-yyyy"}
    times = [ws.cell(row=r, column=5) for r in range(2, 7)]
    assert {c.value for c in times} == {dt.datetime(2025, 5, 30, 16, 34)}
    assert {c.number_format for c in times} == {"dd-mm-yyyy hh:mm"}
    flags = [ws.cell(row=r, column=6) for r in range(2, 7)]
    assert [c.value for c in flags] == [True, False, True, False, True]
    assert {c.number_format for c in flags} == {"General"}


def test_excel_text_that_looks_like_a_formula_stays_text():
    data = exports.excel_bytes({"Blocks": table()})
    ws = workbook(data).active
    cells = [ws.cell(row=r, column=1) for r in range(2, 7)]
    assert [c.value for c in cells] == ['=HYPERLINK("http://x","y")', "+1", "-2", "@x", "अररिया"]
    assert {c.data_type for c in cells} == {"s"}
    assert [c.quotePrefix for c in cells] == [True, True, True, True, False]
    # Nothing in the file is a formula.
    with zipfile.ZipFile(io.BytesIO(data)) as book:
        sheet = book.read("xl/worksheets/sheet1.xml").decode("utf-8")
    assert "<f>" not in sheet and "<f " not in sheet
    assert all(c.data_type != "f" for row in ws.iter_rows() for c in row)


@pytest.mark.parametrize("text", ["\tcmd", "\r=1+1", "=1+1", "-1+1", "+A1"])
def test_every_formula_start_is_kept_as_text(text):
    ws = workbook(exports.excel_bytes({"x": pd.DataFrame({"note": [text]})})).active
    cell = ws["A2"]
    assert cell.data_type == "s"
    assert cell.value == text.replace("\r", "\n")  # (XML reads a CR back as LF)


def test_sheet_names_are_made_valid_and_unique():
    frame = pd.DataFrame({"a": [1]})
    long = "Panchayats of Kusheshwar Asthan Purbi"
    book = workbook(exports.excel_bytes({"a/b:c?": frame, "A B C": frame, long: frame, long + " again": frame,
                                         "[]": frame, "*": frame}))
    assert book.sheetnames == ["a b c", "A B C (2)", long[:31], long[:27] + " (2)", "Sheet", "Sheet (2)"]
    assert all(len(name) <= 31 for name in book.sheetnames)
    assert workbook(exports.excel_bytes({})).sheetnames == ["Sheet"]
    taken: set[str] = set()
    assert [exports.sheet_name(n, taken) for n in ("Araria", "araria", "ARARIA")] == ["Araria", "araria (2)",
                                                                                      "ARARIA (3)"]


def test_excel_of_real_query_output(con):
    data = csv_bytes([["Ayushman card report dated 27.05.2025"], ["Block", "Target", "Today", "Achieved"],
                      ["अररिया", "485600", "100", "352080"], ["=cmd|' /C calc'!A0", "", "3", "50"]])
    assert ingest(con, data, "r.csv").status == "stored"
    assert ingest(con, csv_bytes([["Indicator", "Block", "Target", "Deadline"],
                                  ["Ayushman card", "", "500000", "15.06.2025"]]), "t.csv", kind="targets").ok
    review = queries.run(con, "block_review", indicator=IND, as_of="2025-05-27")
    ws = workbook(exports.excel_bytes({"Blocks": review})).active
    header = [c.value for c in ws[1]]
    rows = {ws.cell(row=r, column=1).value: {h: ws.cell(row=r, column=i + 1) for i, h in enumerate(header)}
            for r in range(2, ws.max_row + 1)}
    assert set(rows) == {"अररिया", "=cmd|' /C calc'!A0"}
    araria, odd = rows["अररिया"], rows["=cmd|' /C calc'!A0"]
    assert (araria["achieved"].value, araria["achieved"].number_format) == (352080, exports.INDIAN_INT)
    assert (araria["pct"].value, araria["pct"].number_format) == (72.5, exports.INDIAN_DEC)
    assert (araria["deadline"].value, araria["deadline"].number_format) == (dt.datetime(2025, 6, 15), "dd-mm-yyyy")
    assert araria["required_per_day"].value == math.ceil((485600 - 352080) / 19)
    assert odd["block"].data_type == "s" and odd["target"].value is None and odd["required_per_day"].value is None
    assert odd["rank"].value == 2


# ---------------------------------------------------------------- CSV


def test_csv_has_a_bom_and_keeps_hindi():
    frame = pd.DataFrame({"प्रखंड": ["अररिया", "पलासी"], "achieved": [352080, -2], "note": ["ठीक", None]})
    data = exports.csv_bytes(frame, {"achieved": "कुल उपलब्धि"})
    assert data.startswith(b"\xef\xbb\xbf")
    text = data.decode("utf-8-sig")
    assert text.splitlines()[0] == "प्रखंड,कुल उपलब्धि,note"
    back = pd.read_csv(io.BytesIO(data), encoding="utf-8-sig")
    assert list(back["प्रखंड"]) == ["अररिया", "पलासी"]
    assert list(back["कुल उपलब्धि"]) == [352080, -2]  # numbers are left alone


def test_csv_formula_like_text_gets_a_leading_quote():
    data = exports.csv_bytes(pd.DataFrame({"block": ['=HYPERLINK("http://x","y")', "+1", "-2", "@x", "Araria"]}))
    lines = data.decode("utf-8-sig").splitlines()
    assert lines[1:] == ['"\'=HYPERLINK(""http://x"",""y"")"', "'+1", "'-2", "'@x", "Araria"]


@pytest.mark.parametrize("name, shown", [("'quoted'", "quoted"), ("'", "Sheet"), ("History", "History (1)"),
                                         ("a/b:c", "a b c")])
def test_sheet_names_excel_accepts(name, shown):
    assert exports.sheet_name(name, set()) == shown
    data = exports.excel_bytes({name: pd.DataFrame({"block": ["x"]})})
    assert openpyxl.load_workbook(io.BytesIO(data)).sheetnames == [shown]
