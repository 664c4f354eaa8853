"""Staging progress files: header, title, totals, layouts, bad values and refusals.

Each awkward file is written inline with one quirk. Row numbers are the rows a person sees
in the file (title rows count).
"""

from __future__ import annotations

import datetime as dt

import duckdb
import pytest
from conftest import csv_bytes, xlsx_bytes

from samiksha import intake
from samiksha.errors import REJECTED, WARNING, IntakeError
from samiksha.kinds import registry

D27, D28, D29 = dt.date(2025, 5, 27), dt.date(2025, 5, 28), dt.date(2025, 5, 29)
TITLE = "Ayushman card block-wise report dated 27.05.2025"
HEADER = ["Block", "Target", "Today", "Achieved"]


@pytest.fixture
def duck():
    con = duckdb.connect()
    yield con
    con.close()


def stage(con, data: bytes, name: str = "report.csv", **options) -> intake.Staged:
    return registry.stage(con, data, name, **options)


def refused(con, data: bytes, name: str = "report.csv", **options):
    with pytest.raises(IntakeError) as caught:
        registry.stage(con, data, name, **options)
    return caught.value.issue


def rows_of(con, staged) -> list[dict]:
    cursor = con.execute(f"SELECT * FROM {staged.table} ORDER BY row_number, report_date")
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def figures(con, staged) -> dict:
    """{block (or block/panchayat): (target, achieved_today, achieved)} of the staged rows."""
    out = {}
    for row in rows_of(con, staged):
        key = row["block"] if row["panchayat"] is None else f"{row['block']}/{row['panchayat']}"
        out[key] = (row["target"], row["achieved_today"], row["achieved"])
    return out


def codes(issues, severity=None) -> list[str]:
    return [i.code for i in issues if severity is None or i.severity == severity]


def report(*body, title=TITLE, header=HEADER) -> bytes:
    titles = [[t] for t in ([title] if isinstance(title, str) else title)]
    return csv_bytes([*titles, header, *body])


# ---------------------------------------------------------------- header and title


@pytest.mark.parametrize("titles", [
    [],
    ["Ayushman card report"],
    ["District Araria", "Ayushman card block-wise report"],
], ids=["no-title", "one-title-row", "two-title-rows"])
def test_header_found_under_title_rows(duck, titles):
    data = csv_bytes([*[[t] for t in titles], HEADER, ["Araria", "100", "5", "50"], ["Bhargama", "200", "6", "60"]])
    staged = stage(duck, data, report_date=D27, indicator=None if titles else "ayushman_cards")
    header_row = len(titles) + 1
    assert staged.header_row == header_row
    assert staged.title == titles
    assert [r["row_number"] for r in rows_of(duck, staged)] == [header_row + 1, header_row + 2]
    assert figures(duck, staged) == {"Araria": (100, 5, 50), "Bhargama": (200, 6, 60)}


def test_hindi_headers_and_indian_numbers(duck):
    data = csv_bytes([
        ["अररिया जिला : आयुष्मान कार्ड प्रखंडवार दैनिक प्रतिवेदन दिनांक - 27.05.2025"],
        ["क्रम", "प्रखंड", "लक्ष्य", "आज की उपलब्धि", "कुल उपलब्धि", "प्रतिशत"],
        ["1", "अररिया", "43,000", "1,406", "10,757", "25.0"],
        ["2", "भरगामा", "1,25,000", "१,४८८", "7,640", "6.1%"],
    ])
    staged = stage(duck, data)
    fields = staged.header.fields
    assert {name: fields[name] for name in ("serial", "block", "target", "achieved_today", "achieved")} == {
        "serial": 0, "block": 1, "target": 2, "achieved_today": 3, "achieved": 4}
    assert staged.indicator == "ayushman_cards"
    assert staged.report_date == D27
    assert figures(duck, staged) == {"अररिया": (43000, 1406, 10757), "भरगामा": (125000, 1488, 7640)}


def test_two_line_header(duck):
    data = csv_bytes([
        [TITLE],
        ["प्रखंड", "लक्ष्य", "उपलब्धि", ""],
        ["", "", "आज", "कुल"],
        ["Araria", "100", "5", "50"],
        ["Bhargama", "200", "6", "60"],
    ])
    staged = stage(duck, data)
    assert staged.header.rows_used == 2
    assert staged.header_row == 3
    assert staged.header.fields["achieved_today"] == 2
    assert staged.header.fields["achieved"] == 3
    assert figures(duck, staged) == {"Araria": (100, 5, 50), "Bhargama": (200, 6, 60)}
    assert [r["row_number"] for r in rows_of(duck, staged)] == [4, 5]


@pytest.mark.parametrize(("title", "day"), [
    ("अररिया जिला : आयुष्मान कार्ड प्रतिवेदन दिनांक 27.05.2025", D27),
    ("Ayushman card progress as on 28-05-2025", D28),
    ("आयुष्मान कार्ड - दिनांक २९/०५/२०२५", D29),
    ("PM-JAY (Ayushman) cards, 27 May 2025", D27),
])
def test_date_and_indicator_from_title(duck, title, day):
    staged = stage(duck, report(["Araria", "100", "5", "50"], title=title))
    assert staged.report_date == day
    assert staged.indicator == "ayushman_cards"
    notes = {n.code: n.params for n in staged.read_notes}
    assert notes["date_from_title"] == {"date": day}
    assert notes["indicator_from_title"] == {"indicator": "ayushman_cards"}
    assert {r["report_date"] for r in rows_of(duck, staged)} == {day}


def test_given_date_differing_from_title_warns_and_wins(duck):
    staged = stage(duck, report(["Araria", "100", "5", "50"]), report_date=D28)
    assert staged.report_date == D28
    warning = [n for n in staged.read_notes if n.code == "date_differs_from_title"]
    assert len(warning) == 1 and warning[0].severity == WARNING
    assert warning[0].params == {"given": D28, "title": D27}
    assert {r["report_date"] for r in rows_of(duck, staged)} == {D28}


def test_given_date_equal_to_title_does_not_warn(duck):
    staged = stage(duck, report(["Araria", "100", "5", "50"]), report_date=D27)
    assert "date_differs_from_title" not in codes(staged.read_notes)


def test_given_indicator_wins_without_a_title(duck):
    data = csv_bytes([HEADER, ["Araria", "100", "5", "50"]])
    staged = stage(duck, data, indicator="Ayushman cards", report_date=D27)
    assert staged.indicator == "ayushman_cards"


# ---------------------------------------------------------------- totals


@pytest.mark.parametrize("label", ["Total", "Grand Total", "TOTAL:", "कुल", "योग", "कुल योग"])
def test_totals_row_is_set_aside_and_checked(duck, label):
    data = report(["Araria", "100", "5", "50"], ["Bhargama", "200", "6", "60"], [label, "300", "11", "110"])
    staged = stage(duck, data)
    assert set(figures(duck, staged)) == {"Araria", "Bhargama"}
    assert staged.rows_accepted == 2
    assert [(t["row"], t["label"]) for t in staged.totals] == [(5, label)]
    checked = {c["column"]: (c["stated"], c["rows"]) for c in staged.totals[0]["checked"]}
    assert checked == {"target": (300, 300), "achieved_today": (11, 11), "achieved": (110, 110)}
    assert "totals_mismatch" not in codes(staged.read_notes)


def test_totals_row_that_disagrees_warns_naming_the_row(duck):
    data = report(["Araria", "100", "5", "50"], ["Bhargama", "200", "6", "60"], ["योग", "300", "11", "120"])
    staged = stage(duck, data)
    mismatches = [n for n in staged.read_notes if n.code == "totals_mismatch"]
    assert len(mismatches) == 1
    only = mismatches[0]
    assert only.severity == WARNING
    assert (only.row, only.column) == (5, "Achieved")
    assert only.params == {"label": "योग", "stated": 120, "added": 110}
    assert set(figures(duck, staged)) == {"Araria", "Bhargama"}  # the rows still count


SUBTOTAL_LAYOUTS = {
    "<block> Total": lambda block: [f"{block} Total", ""],
    "<block> कुल": lambda block: [f"{block} कुल", ""],
    "<block> योग": lambda block: [f"{block} योग", ""],
    "block | Total": lambda block: [block, "Total"],
    "blank | कुल (grouped)": lambda block: ["", "कुल"],
}


def panchayat_report(subtotal, beta_achieved="3") -> bytes:
    return csv_bytes([
        [TITLE],
        ["Block", "Panchayat", "Target", "Achieved"],
        ["Alpha", "P1", "10", "5"],
        ["", "P2", "10", "6"],
        [*subtotal("Alpha"), "20", "11"],
        ["Beta", "Q1", "10", "1"],
        ["", "Q2", "10", "2"],
        [*subtotal("Beta"), "20", beta_achieved],
        ["Grand Total", "", "40", "14"],
    ])


@pytest.mark.parametrize("layout", SUBTOTAL_LAYOUTS, ids=list(SUBTOTAL_LAYOUTS))
def test_subtotals_are_checked_against_their_own_block(duck, layout):
    staged = stage(duck, panchayat_report(SUBTOTAL_LAYOUTS[layout]))
    assert [t["row"] for t in staged.totals] == [5, 8, 9]
    assert "totals_mismatch" not in codes(staged.read_notes)
    assert figures(duck, staged) == {
        "Alpha/P1": (10, None, 5), "Alpha/P2": (10, None, 6),
        "Beta/Q1": (10, None, 1), "Beta/Q2": (10, None, 2)}


@pytest.mark.parametrize("layout", SUBTOTAL_LAYOUTS, ids=list(SUBTOTAL_LAYOUTS))
def test_a_wrong_subtotal_is_named_alone(duck, layout):
    staged = stage(duck, panchayat_report(SUBTOTAL_LAYOUTS[layout], beta_achieved="30"))
    mismatches = [n for n in staged.read_notes if n.code == "totals_mismatch"]
    wrong = {(n.row, n.column, n.params["stated"], n.params["added"]) for n in mismatches}
    # Beta's subtotal (row 8) is wrong; the grand total (row 9) is right.
    assert wrong == {(8, "Achieved", 30, 3)}


# ---------------------------------------------------------------- layouts


def test_one_column_per_day_becomes_one_row_per_day(duck):
    data = csv_bytes([
        ["Ayushman card special camp report"],
        ["Block", "27.05.2025", "28.05.2025", "29.05.2025"],
        ["Araria", "100", "120", "90"],
        ["Bhargama", "80", "", "1,050"],
        ["Total", "180", "120", "1,140"],
    ])
    staged = stage(duck, data)
    assert sorted(staged.header.date_columns.values()) == [D27, D28, D29]
    got = {(r["block"], r["report_date"]): (r["achieved_today"], r["achieved"], r["row_number"])
           for r in rows_of(duck, staged)}
    assert got == {
        ("Araria", D27): (100, None, 3), ("Araria", D28): (120, None, 3), ("Araria", D29): (90, None, 3),
        ("Bhargama", D27): (80, None, 4), ("Bhargama", D29): (1050, None, 4),
    }
    assert (staged.date_from, staged.date_to) == (D27, D29)
    assert [t["row"] for t in staged.totals] == [5]
    assert "totals_mismatch" not in codes(staged.read_notes)


def test_blank_block_cells_are_filled_down(duck):
    data = csv_bytes([
        [TITLE],
        ["प्रखंड", "पंचायत", "लक्ष्य", "कुल उपलब्धि"],
        ["अररिया", "बसैटी", "500", "422"],
        ["", "हयातपुर", "500", "427"],
        [None, "रामपुर", "500", "383"],
        ["भरगामा", "रामपुर", "500", "454"],
    ])
    staged = stage(duck, data)
    assert figures(duck, staged) == {
        "अररिया/बसैटी": (500, None, 422), "अररिया/हयातपुर": (500, None, 427),
        "अररिया/रामपुर": (500, None, 383), "भरगामा/रामपुर": (500, None, 454)}
    filled = [n for n in staged.read_notes if n.code == "block_filled_down"]
    assert filled and filled[0].params == {"count": 2}


def test_merged_block_cells_in_a_workbook(duck):
    data = xlsx_bytes([
        [TITLE, None, None, None],
        ["Block", "Panchayat", "Target", "Achieved"],
        ["Araria", "Basaiti", 500, 422],
        [None, "Hayatpur", 500, 427],
        ["Bhargama", "Rampur", 500, 454],
    ], merged=["A1:D1", "A3:A4"])
    staged = stage(duck, data, "report.xlsx")
    assert staged.header_row == 2
    assert figures(duck, staged) == {
        "Araria/Basaiti": (500, None, 422), "Araria/Hayatpur": (500, None, 427),
        "Bhargama/Rampur": (500, None, 454)}


# ---------------------------------------------------------------- rejected rows


@pytest.mark.parametrize(("cell", "code"), [
    ("-5", "negative_number"),
    ("abc", "bad_number"),
    ("2.5", "not_whole_number"),
    ("12 cards", "bad_number"),
])
def test_bad_figures_are_rejected_with_row_column_and_value(duck, cell, code):
    data = report(["Araria", "100", cell, "50"], ["Bhargama", "200", "6", "60"],
                  title=["District Araria", TITLE])
    staged = stage(duck, data)
    rejected = [i for i in staged.issues if i.severity == REJECTED]
    assert [(i.code, i.row, i.column, i.value) for i in rejected] == [(code, 4, "Today", cell)]
    assert staged.rows_rejected == 1 and staged.rows_accepted == 1
    assert set(figures(duck, staged)) == {"Bhargama"}  # the whole row is kept out, never guessed


@pytest.mark.parametrize(("cell", "code"), [("-5", "negative_number"), ("abc", "bad_number"),
                                            ("2.5", "not_whole_number")])
def test_rejection_text_shows_the_value(duck, cell, code):
    staged = stage(duck, report(["Araria", "100", cell, "50"], ["Bhargama", "200", "6", "60"]))
    issue = next(i for i in staged.issues if i.code == code)
    for lang in ("en", "hi"):
        text = issue.text(lang)
        assert cell in text
        assert "{" not in text and "}" not in text, text


def test_conflicting_duplicates_are_both_rejected(duck):
    data = report(["Araria", "100", "5", "50"], ["Bhargama", "200", "6", "60"], ["Araria", "100", "7", "52"])
    staged = stage(duck, data)
    conflicts = [i for i in staged.issues if i.code == "conflicting_rows"]
    assert sorted(i.row for i in conflicts) == [3, 5]
    assert all(i.severity == REJECTED for i in conflicts)
    assert conflicts[0].params["place"] == "Araria"
    assert set(figures(duck, staged)) == {"Bhargama"}  # never summed, never one picked


def test_identical_duplicates_count_once(duck):
    data = report(["Araria", "100", "5", "50"], ["Bhargama", "200", "6", "60"], ["Araria", "100", "5", "50"])
    staged = stage(duck, data)
    duplicates = [i for i in staged.issues if i.code == "duplicate_row"]
    assert [(i.severity, i.row) for i in duplicates] == [(WARNING, 5)]
    assert figures(duck, staged) == {"Araria": (100, 5, 50), "Bhargama": (200, 6, 60)}
    assert staged.rows_accepted == 2


def test_a_row_without_figures_is_rejected(duck):
    staged = stage(duck, report(["Araria", "100", "5", "50"], ["Bhargama", "200", "", "-"]))
    assert [(i.code, i.row) for i in staged.issues if i.severity == REJECTED] == [("no_figures", 4)]
    assert set(figures(duck, staged)) == {"Araria"}


def test_issue_rows_are_the_rows_a_person_sees(duck):
    """Title rows count; so does a blank line (Excel shows it as a row)."""
    data = (b"District Araria\r\nAyushman card report dated 27.05.2025\r\n\r\n"
            b"Block,Target,Today,Achieved\r\nAraria,100,5,50\r\nBhargama,200,x,60\r\n")
    staged = stage(duck, data)
    assert staged.header_row == 4
    assert [(i.code, i.row) for i in staged.issues if i.severity == REJECTED] == [("bad_number", 6)]


# ---------------------------------------------------------------- refusals


def test_nothing_acceptable_is_refused(duck):
    issue = refused(duck, report(["Araria", "100", "x", "y"], ["Bhargama", "200", "-1", ""]))
    assert issue.code == "no_rows_accepted"
    assert issue.params["rejected"] == 2


def test_progress_without_an_achievement_column_is_refused(duck):
    data = report(["Araria", "100"], ["Bhargama", "200"], header=["Block", "Target"])
    assert refused(duck, data).code == "no_header"  # no kind given: no header of any kind is seen
    assert refused(duck, data, kind="progress").code == "missing_columns"  # a progress header, lacking a column


@pytest.mark.parametrize("data", [
    csv_bytes([["Name", "Colour", "Size"], ["a", "red", "3"], ["b", "blue", "4"]]),
    (b"[27/05/25, 5:02 PM] BPM Araria: Sir aaj 1,406 Ayushman card bane, total 10,757\n"
     b"[27/05/25, 5:03 PM] DM Araria: ok, Bhargama?\n"),
    (b"Good evening sir,\nAyushman card progress of Araria block on 27.05.2025:\n"
     b"today 1406, total 10757, target 43000.\nRegards, BPM\n"),
], ids=["unknown-columns", "whatsapp-chat", "whatsapp-message"])
def test_no_recognisable_header_is_refused(duck, data):
    assert refused(duck, data, "report.txt").code == "no_header"


def test_no_date_anywhere_is_refused(duck):
    data = report(["Araria", "100", "5", "50"], title="Ayushman card block-wise report")
    assert refused(duck, data).code == "no_report_date"


def test_no_indicator_is_refused(duck):
    data = report(["Araria", "100", "5", "50"], title="Block-wise daily report dated 27.05.2025")
    assert refused(duck, data).code == "no_indicator"


def test_a_date_column_with_repeated_dates_keeps_each_row_once(duck):
    data = csv_bytes([
        ["Ayushman card report"],
        ["Date", "Block", "Panchayat", "Achieved"],
        ["27.05.2025", "Alpha", "P1", "5"],
        ["27.05.2025", "Alpha", "P2", "6"],
        ["28.05.2025", "Alpha", "P1", "7"],
        [" 28.05.2025 ", "Alpha", "P2", "9"],
    ])
    staged = stage(duck, data)
    rows = duck.execute(f"SELECT row_number, report_date, achieved FROM {staged.table} ORDER BY 1").fetchall()
    assert [(r, d.isoformat(), a) for r, d, a in rows] == [
        (3, "2025-05-27", 5), (4, "2025-05-27", 6), (5, "2025-05-28", 7), (6, "2025-05-28", 9)]
    assert staged.rows_accepted == 4 and staged.rows_warned == 0
    assert (staged.date_from.isoformat(), staged.date_to.isoformat()) == ("2025-05-27", "2025-05-28")


def test_a_blank_date_cell_takes_the_titles_date(duck):
    data = csv_bytes([
        ["Ayushman card report dated 28.05.2025"],
        ["Date", "Block", "Achieved"],
        ["27.05.2025", "Alpha", "5"],
        ["", "Beta", "6"],
        ["not a date", "Gamma", "7"],
    ])
    staged = stage(duck, data)
    rows = duck.execute(f"SELECT block, report_date FROM {staged.table} ORDER BY 1").fetchall()
    assert [(b, d.isoformat()) for b, d in rows] == [("Alpha", "2025-05-27"), ("Beta", "2025-05-28")]
    assert [(i.code, i.row) for i in staged.issues if i.severity == "rejected"] == [("bad_date", 5)]
