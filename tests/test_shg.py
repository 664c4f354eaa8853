"""SHG registers (kind shg): reading a register, the inactive / stagnant rules and the named
queries built on them (inactive_shgs, stagnant_shgs, shg_blocks, shg_changes, shg_review).

Registers are small inline CSV files, one quirk each. Unless a test says otherwise the
as-of date is 30-05-2025; the default thresholds are 90 days (meeting, saving), overdue
above 0, registers 60 days apart for no_growth and 12 months for no_credit_linkage.
"""

from __future__ import annotations

import datetime as dt
import json

import pytest
from conftest import cli_in_process, csv_bytes, gazetteer_bytes, ingest, rejected, run, warning_codes, xlsx_bytes

from samiksha import ingest as ingest_module
from samiksha import queries, shg, store
from samiksha.errors import IntakeError

AS_OF = dt.date(2025, 5, 30)

# field -> header text of the plain English register used by most tests.
COLUMNS = {
    "code": "SHG Code", "name": "SHG Name", "block": "Block", "panchayat": "Panchayat", "village": "Village",
    "formed": "Formation Date", "members": "Members", "meeting": "Last Meeting", "savings": "Cumulative Saving",
    "saved": "Last Saving Date", "credit": "Credit Linkage", "overdue": "Overdue", "status": "Status",
}


def dmy(day: dt.date) -> str:
    return day.strftime("%d.%m.%Y")


def healthy(day: dt.date) -> dict:
    """An SHG that breaks no rule on its register's date: met and saved 10 days before,
    formed in 2024, credit-linked once, nothing overdue, Active."""
    recent = dmy(day - dt.timedelta(days=10))
    return {"name": "Laxmi Jeevika SHG", "block": "Araria", "panchayat": "Ujwa", "village": "Ujwa",
            "formed": "01.01.2024", "members": "10", "meeting": recent, "savings": "12,000", "saved": recent,
            "credit": "1st", "overdue": "0", "status": "Active"}


def shg_row(code: str, **cells) -> dict:
    return {"code": code, **cells}


def register(day: dt.date, *shgs: dict, columns: dict = COLUMNS, title: bool = True) -> bytes:
    """A register as on `day`: a title row, the header, one row per SHG (healthy unless told)."""
    rows = [[f"SHG register as on {dmy(day)}"]] if title else []
    rows.append(list(columns.values()))
    for cells in shgs:
        full = {**healthy(day), **cells}
        rows.append([full.get(name, "") for name in columns])
    return csv_bytes(rows)


def without(*names: str) -> dict:
    return {k: v for k, v in COLUMNS.items() if k not in names}


def load(con, data: bytes, name: str = "shg_register.csv", **options):
    result = ingest(con, data, name, kind="shg", **options)
    assert result.status == "stored", result.refusal and result.refusal.text()
    return result


def rows(con, query: str, as_of=AS_OF) -> list[dict]:
    """A named query's rows as plain Python (blank: None, dates as dates)."""
    return run(con, query, as_of=str(as_of))


def inactive(con, as_of=AS_OF) -> dict:
    return {r["shg_code"]: r["reasons"] for r in rows(con, "inactive_shgs", as_of)}


def stagnant(con, as_of=AS_OF) -> dict:
    return {r["shg_code"]: r["reasons"] for r in rows(con, "stagnant_shgs", as_of)}


def review(con, as_of=AS_OF) -> dict:
    return {r["shg_code"]: r for r in rows(con, "shg_review", as_of)}


def count(con, table: str) -> int:
    return store.scalar(con, f"SELECT count(*) FROM {table}")


# ---------------------------------------------------------------- the inactive rules


INACTIVE_CASES = {
    "healthy": ({}, None),
    "old-meeting": ({"meeting": "10.01.2025"}, "no_meeting"),
    "no-meeting-recorded": ({"meeting": ""}, "no_meeting"),
    "old-saving": ({"saved": "10.01.2025"}, "no_savings"),
    "no-saving-recorded": ({"saved": ""}, "no_savings"),
    "overdue": ({"overdue": "1"}, "loan_overdue"),
    "marked": ({"status": "Inactive"}, "marked_inactive"),
    "all-four": ({"meeting": "", "saved": "10.01.2025", "overdue": "250", "status": "Dormant"},
                 "no_meeting;no_savings;loan_overdue;marked_inactive"),
    "meeting-and-overdue": ({"meeting": "10.01.2025", "overdue": "250"}, "no_meeting;loan_overdue"),
    "saving-and-status": ({"status": "Defunct", "saved": ""}, "no_savings;marked_inactive"),
}


@pytest.mark.parametrize("case", INACTIVE_CASES, ids=list(INACTIVE_CASES))
def test_each_inactive_rule_and_the_order_of_reasons(con, case):
    cells, expected = INACTIVE_CASES[case]
    # A healthy SHG first (its numbers keep the header on row 2), the one under test after it.
    load(con, register(AS_OF, shg_row("OK1"), shg_row("T1", **cells)))
    assert inactive(con) == ({} if expected is None else {"T1": expected})
    assert set(review(con)) == {"OK1", "T1"}


def test_a_register_without_a_last_meeting_or_saving_column_never_gives_those_reasons(con):
    load(con, register(AS_OF, shg_row("S1"), shg_row("S2", overdue="100"),
                       columns=without("meeting", "saved")))
    assert inactive(con) == {"S2": "loan_overdue"}
    assert inactive(con, "2026-05-30") == {"S2": "loan_overdue"}  # however long after
    # The same SHGs with the columns there but blank: both reasons.
    load(con, register(AS_OF, shg_row("S1"), shg_row("S2", overdue="100", meeting="", saved="")),
         "corrected.csv")
    assert inactive(con) == {"S2": "no_meeting;no_savings;loan_overdue"}


def test_days_are_counted_to_the_as_of_date(con):
    load(con, register(AS_OF, shg_row("S1", meeting="20.05.2025", saved="20.05.2025")))
    assert inactive(con) == {}
    assert inactive(con, "2025-08-18") == {}  # 90 days after 20-05-2025
    assert inactive(con, "2025-08-19") == {"S1": "no_meeting;no_savings"}


@pytest.mark.parametrize("field,reason", [("meeting", "no_meeting"), ("saved", "no_savings")])
def test_the_90_day_boundary(con, field, reason):
    edge = AS_OF - dt.timedelta(days=90)
    assert edge == dt.date(2025, 3, 1)
    load(con, register(AS_OF, shg_row("ON", **{field: dmy(edge)}),
                       shg_row("OVER", **{field: dmy(edge - dt.timedelta(days=1))})))
    assert inactive(con) == {"OVER": reason}


def test_a_changed_threshold_moves_the_boundary(con):
    load(con, register(AS_OF, shg_row("D30", meeting=dmy(AS_OF - dt.timedelta(days=30))),
                       shg_row("D31", meeting=dmy(AS_OF - dt.timedelta(days=31))),
                       shg_row("D95", meeting=dmy(AS_OF - dt.timedelta(days=95)), overdue="500"),
                       shg_row("OD", overdue="501")))
    assert inactive(con) == {"D95": "no_meeting;loan_overdue", "OD": "loan_overdue"}
    shg.set_thresholds(con, {"shg_meeting_days": 30, "shg_overdue_above": 500})
    assert shg.thresholds(con)["shg_meeting_days"] == 30
    assert inactive(con) == {"D31": "no_meeting", "D95": "no_meeting", "OD": "loan_overdue"}


@pytest.mark.parametrize("chosen", [
    {"shg_meeting_days": 30, "shg_saving_days": 6},     # below the range
    {"shg_meeting_days": 30, "shg_saving_days": 731},   # above it
    {"shg_meeting_days": 30, "shg_growth_gap_days": 45.5},
    {"shg_meeting_days": 30, "shg_credit_months": True},
    {"shg_meeting_days": "30"},
], ids=["low", "high", "fraction", "bool", "text"])
def test_an_out_of_range_threshold_is_refused_and_nothing_changes(con, chosen):
    shg.set_thresholds(con, {"shg_meeting_days": 60})
    load(con, register(AS_OF, shg_row("D70", meeting=dmy(AS_OF - dt.timedelta(days=70)))))
    assert inactive(con) == {"D70": "no_meeting"}
    before = shg.thresholds(con)
    with pytest.raises(IntakeError) as caught:
        shg.set_thresholds(con, chosen)
    assert caught.value.issue.code == "bad_shg_threshold"
    assert shg.thresholds(con) == before
    assert before["shg_meeting_days"] == 60
    assert inactive(con) == {"D70": "no_meeting"}


@pytest.mark.parametrize("cell,expected", [
    ("0", None), ("", None), ("1", "loan_overdue"), ("5,300", "loan_overdue"), ("0.00", None),
    ("₹ 1,200", "loan_overdue"),
])
def test_overdue(con, cell, expected):
    load(con, register(AS_OF, shg_row("OK1"), shg_row("T1", overdue=cell)))
    assert inactive(con) == ({} if expected is None else {"T1": expected})


def test_overdue_figures_are_stored_as_rupees_and_blank_stays_blank(con):
    load(con, register(AS_OF, shg_row("A", overdue="5,300"), shg_row("B", overdue=""),
                       shg_row("C", overdue="0")))
    figures = review(con)
    assert figures["A"]["overdue"] == 5300
    assert figures["B"]["overdue"] is None
    assert figures["C"]["overdue"] == 0


@pytest.mark.parametrize("status,marked", [
    ("Inactive", True), ("INACTIVE", True), ("in-active", True), ("Dormant", True), ("निष्क्रिय", True),
    ("Non Functional", True), ("Non-Functional", True), ("Defunct", True), ("Not Active", True),
    ("Active", False), ("ACTIVE", False), ("सक्रिय", False), ("Functional", False), ("", False),
])
def test_status_spellings(con, status, marked):
    load(con, register(AS_OF, shg_row("OK1"), shg_row("T1", status=status)))
    assert inactive(con) == ({"T1": "marked_inactive"} if marked else {})


@pytest.mark.parametrize("status", ["Non-Active", "असक्रिय", "सक्रिय नहीं"])
def test_more_status_spellings_that_say_inactive(con, status):
    load(con, register(AS_OF, shg_row("OK1"), shg_row("T1", status=status)))
    assert inactive(con) == {"T1": "marked_inactive"}


# ---------------------------------------------------------------- which register stands


def test_each_block_is_read_from_its_latest_register_on_or_before_the_date(con):
    march, may = dt.date(2025, 3, 1), AS_OF
    load(con, register(march, shg_row("A1", overdue="100"), shg_row("B1", block="Bhargama", overdue="100")))
    load(con, register(may, shg_row("A1"), shg_row("A2", status="Dormant")))
    assert inactive(con, "2025-04-15") == {"A1": "loan_overdue", "B1": "loan_overdue"}
    # Araria from May; Bhargama (no May register) still from March, its dates counted to the as-of date.
    assert inactive(con) == {"A2": "marked_inactive", "B1": "no_meeting;no_savings;loan_overdue"}
    assert inactive(con, "2025-02-28") == {}
    blocks = {r["block"]: (r["shgs"], r["inactive"], r["register_date"]) for r in rows(con, "shg_blocks")}
    assert blocks == {"Araria": (2, 1, may), "Bhargama": (1, 1, march)}


# ---------------------------------------------------------------- stagnant: no_growth

MARCH = dt.date(2025, 3, 1)  # 90 days before AS_OF


def two_registers(con, earlier: dt.date, before: list[dict], now: list[dict], columns=COLUMNS):
    load(con, register(earlier, *before, columns=columns), "earlier.csv")
    load(con, register(AS_OF, *now, columns=columns), "later.csv")


def test_no_growth_between_registers_60_days_apart(con):
    two_registers(con, MARCH, [
        shg_row("SAME", savings="12,000", members="10", credit="1st"),
        shg_row("FELL", savings="12,000", members="12", credit="1st"),
        shg_row("SAVED", savings="12,000", members="10", credit="1st"),
        shg_row("JOINED", savings="12,000", members="10", credit="1st"),
        shg_row("FIRST", savings="12,000", members="10", credit="No"),
        shg_row("SECOND", savings="12,000", members="10", credit="1st"),
        shg_row("OLD", savings="12,000"),
    ], [
        shg_row("SAME", savings="12,000", members="10", credit="1st"),
        shg_row("FELL", savings="11,500", members="11", credit="1st"),
        shg_row("SAVED", savings="12,001", members="10", credit="1st"),
        shg_row("JOINED", savings="12,000", members="11", credit="1st"),
        shg_row("FIRST", savings="12,000", members="10", credit="Yes"),
        shg_row("SECOND", savings="12,000", members="10", credit="2nd"),
        shg_row("NEW", savings="12,000"),
    ])
    assert stagnant(con) == {"SAME": "no_growth", "FELL": "no_growth"}
    figures = review(con)
    assert figures["SAME"]["compared_with"] == MARCH
    assert figures["FELL"]["savings_before"] == 12000 and figures["FELL"]["members_before"] == 12
    # As of a date before the later register, the earlier one stands alone: nothing to compare
    # (FIRST, not yet credit-linked then, is stagnant for that reason only).
    assert stagnant(con, "2025-05-29") == {"FIRST": "no_credit_linkage"}


@pytest.mark.parametrize("days_apart,compared", [(59, False), (60, True), (61, True)])
def test_registers_less_than_60_days_apart_are_not_compared(con, days_apart, compared):
    earlier = AS_OF - dt.timedelta(days=days_apart)
    two_registers(con, earlier, [shg_row("S1")], [shg_row("S1")])
    assert stagnant(con) == ({"S1": "no_growth"} if compared else {})


def test_the_comparison_is_with_the_latest_register_at_least_60_days_older(con):
    load(con, register(dt.date(2025, 2, 1), shg_row("S1", savings="1,000"), shg_row("S2", savings="1,000")), "feb.csv")
    load(con, register(dt.date(2025, 3, 15), shg_row("S1", savings="2,000"), shg_row("S2", savings="1,000")), "mar.csv")
    load(con, register(dt.date(2025, 4, 15), shg_row("S1", savings="1,500"), shg_row("S2", savings="1,000")), "apr.csv")
    load(con, register(AS_OF, shg_row("S1", savings="2,000"), shg_row("S2", savings="1,000")), "may.csv")
    # Against 15-03-2025 (76 days), not 15-04-2025 (45 days, too recent) nor 01-02-2025.
    assert stagnant(con) == {"S1": "no_growth", "S2": "no_growth"}
    assert review(con)["S1"]["compared_with"] == dt.date(2025, 3, 15)


def test_members_count_only_where_both_registers_give_them(con):
    two_registers(con, MARCH, [shg_row("S1"), shg_row("S2")], [shg_row("S1", members="14"), shg_row("S2")],
                  columns=without("members"))
    assert stagnant(con) == {"S1": "no_growth", "S2": "no_growth"}


def test_members_only_in_the_later_register_do_not_count_as_growth(con):
    load(con, register(MARCH, shg_row("S1"), shg_row("S2"), columns=without("members")), "earlier.csv")
    load(con, register(AS_OF, shg_row("S1", members="14"), shg_row("S2", savings="13,000")), "later.csv")
    assert stagnant(con) == {"S1": "no_growth"}


def test_the_growth_gap_is_a_setting(con):
    two_registers(con, AS_OF - dt.timedelta(days=45), [shg_row("S1")], [shg_row("S1")])
    assert stagnant(con) == {}
    shg.set_thresholds(con, {"shg_growth_gap_days": 45})
    assert stagnant(con) == {"S1": "no_growth"}
    shg.set_thresholds(con, {"shg_growth_gap_days": 46})
    assert stagnant(con) == {}


def test_an_shg_in_one_register_only_is_not_no_growth_and_blocks_compare_on_their_own(con):
    load(con, register(MARCH, shg_row("A1"), shg_row("GONE")), "earlier.csv")
    load(con, register(AS_OF, shg_row("A1"), shg_row("NEW"), shg_row("B1", block="Bhargama")), "later.csv")
    assert stagnant(con) == {"A1": "no_growth"}
    assert "GONE" not in review(con)


def test_both_stagnant_reasons_in_order(con):
    two_registers(con, MARCH, [shg_row("S1", formed="01.01.2023", credit="No")],
                  [shg_row("S1", formed="01.01.2023", credit="No")])
    assert stagnant(con) == {"S1": "no_growth;no_credit_linkage"}


# ---------------------------------------------------------------- stagnant: no_credit_linkage


@pytest.mark.parametrize("formed,credit,flagged", [
    ("30.04.2024", "No", True),       # 13 months
    ("29.05.2024", "No", True),       # a day over 12 months
    ("30.05.2024", "No", False),      # exactly 12 months: not more than 12
    ("30.06.2024", "No", False),      # 11 months
    ("30.04.2024", "1st", False),
    ("30.04.2024", "Yes", False),
    ("30.04.2024", "", True),          # blank: no credit linkage recorded
    ("30.04.2024", "नहीं", True),
    ("30.04.2024", "N", True),
    ("30.04.2024", "2", False),
    ("30.04.2024", "1,50,000", False),  # an amount: linked
    ("", "No", False),                 # formation unknown
])
def test_no_credit_linkage(con, formed, credit, flagged):
    load(con, register(AS_OF, shg_row("OK1"), shg_row("T1", formed=formed, credit=credit)))
    assert stagnant(con) == ({"T1": "no_credit_linkage"} if flagged else {})


def test_a_register_without_a_credit_column_never_gives_no_credit_linkage(con):
    load(con, register(AS_OF, shg_row("S1", formed="01.01.2020"), columns=without("credit")))
    assert stagnant(con) == {}
    assert review(con)["S1"]["credit_linkages"] is None  # not recorded, not 0


def test_the_credit_months_are_a_setting(con):
    load(con, register(AS_OF, shg_row("S1", formed="15.10.2024", credit="No")))
    assert stagnant(con) == {}
    shg.set_thresholds(con, {"shg_credit_months": 6})
    assert stagnant(con) == {"S1": "no_credit_linkage"}


# ---------------------------------------------------------------- shg_changes


def test_changes_since_the_previous_register(con):
    load(con, register(MARCH, shg_row("A"), shg_row("B", overdue="100"), shg_row("C"), shg_row("E"),
                       shg_row("F", status="Dormant")), "earlier.csv")
    load(con, register(AS_OF, shg_row("A", overdue="100"), shg_row("B"), shg_row("D"), shg_row("E"),
                       shg_row("F", status="Dormant")), "later.csv")
    found = {r["shg_code"]: r for r in rows(con, "shg_changes")}
    assert {code: r["change"] for code, r in found.items()} == {
        "A": "newly_inactive", "B": "revived", "C": "gone", "D": "new"}
    assert found["A"]["reasons_now"] == "loan_overdue" and found["A"]["reasons_before"] == ""
    assert found["B"]["reasons_before"] == "loan_overdue" and found["B"]["reasons_now"] == ""
    assert found["D"]["register"] == AS_OF and found["C"]["previous_register"] == MARCH
    # With one register only there is nothing to compare.
    assert rows(con, "shg_changes", "2025-04-01") == []


# ---------------------------------------------------------------- reading: headers


HEADER_VARIANTS = {
    "english": ["SHG Code", "SHG Name", "Block", "Panchayat", "Village", "Formation Date", "Members",
                "Last Meeting", "Cumulative Saving", "Last Saving Date", "Bank Linkage", "Credit Linkage",
                "Loan O/S", "Overdue", "Status"],
    "english-2": ["SHG ID", "Name of SHG", "Block", "Panchayat", "Village Name", "Date of Formation",
                  "No. of Members", "Last Meeting Date", "Total Savings (Rs.)", "Date of Last Saving",
                  "Bank A/c (Y/N)", "Credit Linkage Status", "Loan Outstanding", "Overdue Amount", "SHG Status"],
    "hindi": ["एसएचजी कोड", "एसएचजी का नाम", "प्रखंड", "पंचायत", "गाँव", "गठन तिथि", "सदस्य संख्या",
              "अंतिम बैठक की तिथि", "कुल बचत", "अंतिम बचत की तिथि", "बैंक खाता", "क्रेडिट लिंकेज",
              "बकाया ऋण", "अतिदेय", "स्थिति"],
}
FIELDS_IN_ORDER = ["shg_code", "shg_name", "block", "panchayat", "village", "formation_date", "members",
                   "last_meeting", "savings", "last_saving_date", "bank_account", "credit_linkage",
                   "loan_outstanding", "overdue", "status"]


def header_register(variant: str) -> bytes:
    hindi = variant == "hindi"
    block, panchayat = ("मुशहरी", "पंचायत 5") if hindi else ("Musahari", "Panchayat 5")
    return csv_bytes([
        ["SHG register as on 30.05.2025"],
        HEADER_VARIANTS[variant],
        ["1001", "Laxmi", block, panchayat, "Rampur", "01.01.2024", "10", "20.05.2025", "1,15,800",
         "20.05.2025", "Yes", "1st", "50,000", "0", "Active"],
        ["1002", "Durga", block, panchayat, "Rampur", "01.01.2023", "12", "", "8,000",
         "10.01.2025", "No", "No", "20,000", "5,300", "Dormant"],
        ["1003", "Kali", block, panchayat, "Rampur", "01.02.2024", "11", "25.05.2025", "9,500",
         "25.05.2025", "Y", "", "", "", "Active"],
    ])


def test_header_spellings_all_read_to_the_same_result():
    results = {}
    for variant in HEADER_VARIANTS:
        con = store.open_store(store.MEMORY)
        try:
            ingest(con, gazetteer_bytes(), "lgd.csv", kind="gazetteer")
            result = load(con, header_register(variant), f"{variant}.csv")
            reading = json.loads(store.scalar(con, "SELECT reading FROM uploads WHERE upload_id = ?",
                                              [result.upload_id]))
            assert reading["columns"] == dict(zip(FIELDS_IN_ORDER, HEADER_VARIANTS[variant], strict=True)), variant
            figures = rows(con, "shg_review")
            results[variant] = (inactive(con), stagnant(con), figures)
        finally:
            con.close()
    english = results["english"]
    assert english[0] == {"1002": "no_meeting;no_savings;loan_overdue;marked_inactive"}
    assert english[1] == {"1002": "no_credit_linkage", "1003": "no_credit_linkage"}
    first = english[2][0]
    assert (first["block"], first["panchayat"], first["savings"], first["bank_account"],
            first["credit_linkages"], first["loan_outstanding"]) == ("Musahari", "Panchayat 5", 115800, True, 1, 50000)
    for variant, result in results.items():
        assert result == english, variant


# ---------------------------------------------------------------- reading: values


VALUE_COLUMNS = {**COLUMNS, "bank": "Bank A/c (Y/N)"}


@pytest.mark.parametrize("cells,field,expected", [
    ({"savings": "1,15,800"}, "savings", 115800),
    ({"savings": "१,१५,८००"}, "savings", 115800),
    ({"savings": "115800.00"}, "savings", 115800),
    ({"members": "१२"}, "members", 12),
    ({"meeting": "27.05.2025"}, "last_meeting", dt.date(2025, 5, 27)),
    ({"meeting": "27/05/2025"}, "last_meeting", dt.date(2025, 5, 27)),
    ({"meeting": "27-05-25"}, "last_meeting", dt.date(2025, 5, 27)),
    ({"meeting": "२७.०५.२०२५"}, "last_meeting", dt.date(2025, 5, 27)),
    ({"formed": "5.1.24"}, "formation_date", dt.date(2024, 1, 5)),
    ({"bank": "Yes"}, "bank_account", True),
    ({"bank": "Y"}, "bank_account", True),
    ({"bank": "हाँ"}, "bank_account", True),
    ({"bank": "No"}, "bank_account", False),
    ({"bank": "N"}, "bank_account", False),
    ({"bank": "नहीं"}, "bank_account", False),
    ({"credit": "First"}, "credit_linkages", 1),
    ({"credit": "2nd"}, "credit_linkages", 2),
    ({"credit": "दूसरा"}, "credit_linkages", 2),
    ({"credit": "हाँ"}, "credit_linkages", 1),
    ({"credit": "No"}, "credit_linkages", 0),
], ids=lambda v: v if isinstance(v, str) else None)
def test_values(con, cells, field, expected):
    result = load(con, register(AS_OF, shg_row("OK1", bank="Yes"), shg_row("T1", **{"bank": "", **cells}),
                                columns=VALUE_COLUMNS))
    assert rejected(con, result) == []
    value = review(con)["T1"][field]
    assert value == expected


def test_a_blank_cell_stays_blank_never_zero(con):
    load(con, register(AS_OF, shg_row("OK1"), shg_row("T1", savings="", members=""), columns=VALUE_COLUMNS))
    stored = store.records(con, "SELECT savings, members, bank_account FROM shg_register WHERE shg_code = 'T1'")
    assert stored == [{"savings": None, "members": None, "bank_account": None}]


# ---------------------------------------------------------------- reading: row-level problems


def test_bad_rows_are_rejected_with_row_and_column_and_the_rest_stored(con):
    header = ["SHG Code", "SHG Name", "Block", "Formation Date", "Members", "Members with Ayushman Card",
              "Last Meeting", "Cumulative Saving", "Bank A/c", "Credit Linkage"]
    data = csv_bytes([
        ["SHG register as on 30.05.2025"],                                                        # row 1
        header,                                                                                    # row 2
        ["G1", "Good", "Araria", "01.01.2024", "10", "8", "20.05.2025", "5,000", "Yes", "1st"],    # row 3
        ["B1", "x", "Araria", "31.02.2025", "10", "8", "20.05.2025", "5,000", "Yes", "1st"],       # row 4
        ["B2", "x", "Araria", "01.01.2024", "10", "8", "soon", "5,000", "Yes", "1st"],             # row 5
        ["B3", "x", "Araria", "01.03.2025", "10", "8", "20.02.2025", "5,000", "Yes", "1st"],       # row 6
        ["B4", "x", "Araria", "01.01.2024", "10", "8", "02.06.2025", "5,000", "Yes", "1st"],       # row 7
        ["B5", "x", "Araria", "01.01.2024", "10", "12", "20.05.2025", "5,000", "Yes", "1st"],      # row 8
        ["B6", "x", "Araria", "01.01.2024", "10", "8", "20.05.2025", "5,000", "maybe", "1st"],     # row 9
        ["B7", "x", "Araria", "01.01.2024", "10", "8", "20.05.2025", "-500", "Yes", "1st"],        # row 10
        ["", "x", "Araria", "01.01.2024", "10", "8", "20.05.2025", "5,000", "Yes", "1st"],         # row 11
        ["B8", "x", "Araria", "01.01.2024", "10", "8", "20.05.2025", "5,000", "Yes", "sometimes"],  # row 12
        ["G2", "Good", "Araria", "01.01.2024", "10", "10", "", "", "", ""],                        # row 13
    ])
    result = load(con, data, "register.csv")
    assert sorted(rejected(con, result), key=lambda r: r[1]) == [
        ("bad_date", 4, "Formation Date", "31.02.2025"),
        ("bad_date", 5, "Last Meeting", "soon"),
        ("last_meeting_before_formation", 6, "Last Meeting", "20.02.2025"),
        ("date_after_register", 7, "Last Meeting", "02.06.2025"),
        ("more_than_members", 8, "Members with Ayushman Card", "12"),
        ("bad_yes_no", 9, "Bank A/c", "maybe"),
        ("negative_number", 10, "Cumulative Saving", "-500"),
        ("shg_no_code", 11, "SHG Code", None),
        ("bad_credit_linkage", 12, "Credit Linkage", "sometimes"),
    ]
    # The staged issues (what the upload page shows) say the same.
    assert {(i.code, i.row, i.column) for i in result.staged.issues if i.severity == "rejected"} == {
        (code, row, column) for code, row, column, _ in rejected(con, result)}
    assert sorted(r["shg_code"] for r in store.records(con, "SELECT shg_code FROM shg_register")) == ["G1", "G2"]
    upload = store.records(con, "SELECT rows_accepted, rows_rejected FROM uploads WHERE upload_id = ?",
                           [result.upload_id])[0]
    assert (upload["rows_accepted"], upload["rows_rejected"]) == (2, 9)
    kept_out = store.records(con, "SELECT row_number FROM rejected_rows WHERE upload_id = ? ORDER BY 1",
                             [result.upload_id])
    assert [r["row_number"] for r in kept_out] == list(range(4, 13))
    # A rejected row never reaches the rules: B2 would be no_meeting, B7 nothing.
    assert set(review(con)) == {"G1", "G2"}


def test_the_issue_text_names_row_and_column(con):
    result = load(con, register(AS_OF, shg_row("OK1"), shg_row("T1", saved="soon")))
    texts = [i.text("en") for i in ingest_module.upload_issues(con, result.upload_id) if i.severity == "rejected"]
    assert len(texts) == 1
    assert "row 4" in texts[0] and "Last Saving Date" in texts[0] and "soon" in texts[0]


def test_a_file_refused_as_a_whole_stores_nothing(con):
    load(con, register(MARCH, shg_row("S1")), "earlier.csv")
    counts = {t: count(con, t) for t in ("uploads", "shg_register", "upload_issues", "rejected_rows")}
    no_code_column = csv_bytes([["SHG register as on 30.05.2025"], ["SHG Name", "Block", "Last Meeting"],
                                ["Laxmi", "Araria", "20.05.2025"]])
    no_date = csv_bytes([["SHG register"]]) + register(AS_OF, shg_row("S2"), title=False)
    for data, name, code in [(no_code_column, "register.csv", "missing_columns"),
                             (no_date, "register.csv", "no_register_date")]:
        result = ingest(con, data, name, kind="shg")
        assert result.status == "refused" and result.upload_id is None, name
        assert result.refusal.code == code
        assert {t: count(con, t) for t in counts} == counts
    assert set(review(con)) == {"S1"}


# ---------------------------------------------------------------- the register date


def test_the_register_date_from_title_file_name_or_option(con):
    body = register(AS_OF, shg_row("S1"), title=False)
    load(con, body, "shg_register_2025-05-30.csv")
    assert store.scalar(con, "SELECT max(register_date) FROM shg_register") == AS_OF
    load(con, register(dt.date(2025, 5, 20), shg_row("S2")), "register.csv")  # the title
    load(con, register(AS_OF, shg_row("S3"), title=False), "register.csv",
         report_date=dt.date(2025, 5, 25))
    dates = {r["shg_code"]: r["register_date"] for r in
             store.records(con, "SELECT shg_code, register_date FROM shg_register")}
    assert dates == {"S1": AS_OF, "S2": dt.date(2025, 5, 20), "S3": dt.date(2025, 5, 25)}


def test_a_given_date_beats_the_title_with_a_warning(con):
    result = load(con, register(dt.date(2025, 5, 20), shg_row("S1")), "register.csv", report_date=AS_OF)
    assert store.scalar(con, "SELECT register_date FROM shg_register") == AS_OF
    assert "date_differs_from_title" in warning_codes(con, result)


# ---------------------------------------------------------------- totals and repeated SHGs


SERIAL_COLUMNS = {"serial": "Sl. No.", **COLUMNS}


def with_totals_row(*cells: str) -> bytes:
    """Two healthy Araria SHGs (10 members, 12,000 saved each: 20 and 24,000 in all), then a totals row."""
    data = register(AS_OF, shg_row("S1", serial="1"), shg_row("S2", serial="2"), columns=SERIAL_COLUMNS)
    return data + csv_bytes([list(cells)])


@pytest.mark.parametrize("label,block", [("Total", ""), ("कुल", ""), ("Araria Total", ""), ("Total", "Araria")])
def test_a_totals_row_is_not_an_shg(con, label, block):
    result = load(con, with_totals_row(label, "", "", block, "", "", "", "20", "", "24,000", "", "", "0", ""))
    assert [t["row"] for t in result.staged.totals] == [5]
    assert rejected(con, result) == []
    assert "totals_mismatch" not in warning_codes(con, result)
    assert count(con, "shg_register") == 2
    assert [(r["block"], r["shgs"]) for r in rows(con, "shg_blocks")] == [("Araria", 2)]


def test_a_totals_row_that_does_not_add_up_is_a_warning(con):
    result = load(con, with_totals_row("कुल", "", "", "", "", "", "", "21", "", "24,000", "", "", "", ""))
    mismatches = [(i.row, i.column, i.params) for i in ingest_module.upload_issues(con, result.upload_id)
                  if i.code == "totals_mismatch"]
    assert mismatches == [(5, "Members", {"label": "कुल", "stated": 21, "added": 20})]
    assert count(con, "shg_register") == 2


def test_a_totals_row_labelled_in_the_block_column_is_checked(con):
    result = load(con, with_totals_row("", "", "", "Total", "", "", "", "21", "", "24,000", "", "", "0", ""))
    assert [t["row"] for t in result.staged.totals] == [5]
    assert "totals_mismatch" in warning_codes(con, result)


def test_a_row_without_code_name_or_village_is_rejected_not_dropped(con):
    data = csv_bytes([["SHG register as on 30.05.2025"],
                      ["SHG Code", "SHG Name", "Village", "Block", "Members", "Cumulative Saving"],
                      ["S1", "Laxmi", "Rampur", "Araria", "10", "1,000"],
                      ["", "", "", "Araria", "12", "2,000"]])
    result = load(con, data)
    assert rejected(con, result) == [("shg_no_code", 4, "SHG Code", None)]


def test_a_totals_row_in_the_code_column_is_not_an_shg(con):
    data = csv_bytes([["SHG register as on 30.05.2025"], ["SHG Code", "Block", "Members", "Cumulative Saving"],
                      ["S1", "Araria", "10", "1,000"], ["S2", "Araria", "12", "2,000"],
                      ["Total", "Araria", "22", "3,000"]])
    load(con, data)
    assert sorted(r["shg_code"] for r in store.records(con, "SELECT shg_code FROM shg_register")) == ["S1", "S2"]


def test_the_same_shg_twice(con):
    data = register(AS_OF,
                    shg_row("S1"),                          # row 3
                    shg_row("DUP", overdue="", status=""),  # row 4
                    shg_row("DUP", overdue="", status=""),  # row 5: the same again, blanks and all
                    shg_row("CONF", savings="5,000"),       # row 6
                    shg_row("CONF", savings="6,000"))       # row 7: different figures
    result = load(con, data)
    assert sorted(store.scalar(con, "SELECT list(shg_code) FROM shg_register")) == ["DUP", "S1"]
    assert sorted(rejected(con, result)) == [("shg_conflicting_rows", 6, None, "CONF"),
                                             ("shg_conflicting_rows", 7, None, "CONF")]
    dup = [i for i in ingest_module.upload_issues(con, result.upload_id) if i.code == "shg_duplicate_row"]
    assert [(i.severity, i.row) for i in dup] == [("warning", 5)]
    assert [r["shgs"] for r in rows(con, "shg_blocks")] == [2]


def test_the_same_shg_twice_with_one_blank_cell_differing_is_a_conflict(con):
    result = load(con, register(AS_OF, shg_row("S1"), shg_row("D", status="Active"), shg_row("D", status="")))
    assert sorted(code for code, *_ in rejected(con, result)) == ["shg_conflicting_rows"] * 2
    assert set(review(con)) == {"S1"}


def test_the_same_shg_twice_with_different_credit_amounts_is_a_conflict(con):
    result = load(con, register(AS_OF, shg_row("S1"), shg_row("D", credit="50,000"), shg_row("D", credit="80,000")))
    assert sorted(code for code, *_ in rejected(con, result)) == ["shg_conflicting_rows"] * 2


def test_a_first_row_of_text_only_is_an_shg_not_a_header_line(con):
    data = csv_bytes([["SHG register as on 30.05.2025"],
                      ["SHG Code", "SHG Name", "Block", "Panchayat", "Status", "Cumulative Saving"],
                      ["BR-ARA-001", "Laxmi", "Araria", "Ujwa", "Active", ""],
                      ["BR-ARA-002", "Durga", "Araria", "Ujwa", "Inactive", "2,000"]])
    result = load(con, data)
    assert store.scalar(con, "SELECT header_row FROM uploads WHERE upload_id = ?", [result.upload_id]) == 2
    assert sorted(store.scalar(con, "SELECT list(shg_code) FROM shg_register")) == ["BR-ARA-001", "BR-ARA-002"]


# ---------------------------------------------------------------- replacement, undo, block-wise registers


def test_a_later_upload_of_the_same_date_replaces_the_same_shgs_and_undo_brings_them_back(con):
    first = load(con, register(AS_OF, shg_row("S1"), shg_row("S2")), "first.csv")
    corrected = load(con, register(AS_OF, shg_row("S1", overdue="100")), "corrected.csv")
    assert corrected.replaced == [{"upload_id": first.upload_id, "file_name": "first.csv", "rows": 1}]
    assert inactive(con) == {"S1": "loan_overdue"}
    assert set(review(con)) == {"S1", "S2"}  # S2 is not in the corrected file: it stays
    assert count(con, "shg_register") == 3  # both uploads stay in the history
    assert ingest_module.undo(con, corrected.upload_id) is True
    assert inactive(con) == {}
    assert ingest_module.restore(con, corrected.upload_id) is True
    assert inactive(con) == {"S1": "loan_overdue"}


def test_block_wise_registers_of_one_date_add_up(con):
    first = load(con, register(AS_OF, shg_row("A1"), shg_row("A2", overdue="10")), "araria.csv")
    other = load(con, register(AS_OF, shg_row("B1", block="Bhargama"), shg_row("B2", block="Bhargama"),
                               shg_row("B3", block="Bhargama", status="Dormant")), "bhargama.csv")
    assert other.replaced == [] and first.replaced == []
    assert {r["block"]: (r["shgs"], r["inactive"], r["inactive_pct"]) for r in rows(con, "shg_blocks")} == {
        "Araria": (2, 1, 50.0), "Bhargama": (3, 1, 33.3)}
    assert inactive(con) == {"A2": "loan_overdue", "B3": "marked_inactive"}


# ---------------------------------------------------------------- the command line


def test_the_cli_ingests_a_register_and_prints_the_inactive_list(tmp_path):
    path = tmp_path / "register.csv"
    path.write_bytes(register(AS_OF, shg_row("S1"), shg_row("S2", meeting="", overdue="5,300"),
                              shg_row("S3", saved="soon"), title=False))
    db = tmp_path / "store.duckdb"
    done = cli_in_process("ingest", path, "--kind", "shg", "--date", "2025-05-30", env_db=db)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "row 4" in done.stdout and "Last Saving Date" in done.stdout  # no title: the header is row 1
    done = cli_in_process("query", "inactive_shgs", "--param", "as_of=2025-05-30", env_db=db)
    assert done.returncode == 0, done.stderr
    lines = done.stdout.strip().splitlines()
    assert lines[0] == "shg_code,shg_name,block,panchayat,village,reasons"
    assert lines[1:] == ["S2,Laxmi Jeevika SHG,Araria,Ujwa,Ujwa,no_meeting;loan_overdue"]
    done = cli_in_process("query", "stagnant_shgs", "--param", "as_of=2025-05-30", env_db=db)
    assert done.stdout.strip().splitlines() == ["shg_code,shg_name,block,panchayat,village,reasons"]


def test_the_cli_refuses_a_register_without_a_date(tmp_path):
    path = tmp_path / "register.csv"
    path.write_bytes(register(AS_OF, shg_row("S1"), title=False))
    done = cli_in_process("ingest", path, "--kind", "shg", env_db=tmp_path / "store.duckdb")
    assert done.returncode == 1
    assert "REFUSED" in done.stdout + done.stderr


# ---------------------------------------------------------------- reasons in words


REASON_ROW = {"last_meeting": dt.date(2025, 2, 12), "last_saving_date": dt.date(2025, 1, 1),
              "overdue": 5300.0, "status": "Dormant", "formation_date": dt.date(2024, 1, 15)}


@pytest.mark.parametrize("lang", ["en", "hi"])
def test_reason_text_gives_the_date_and_the_days(lang):
    meeting = shg.reason_text("no_meeting", REASON_ROW, lang, AS_OF)
    saving = shg.reason_text("no_savings", REASON_ROW, lang, AS_OF)
    assert "12-02-2025" in meeting and "107" in meeting  # 12-02-2025 to 30-05-2025
    assert "01-01-2025" in saving and "149" in saving
    assert not meeting.startswith("shg.") and not saving.startswith("shg.")
    if lang == "en":
        assert "no meeting since 12-02-2025" in meeting
    else:
        assert any("\u0900" <= ch <= "\u097f" for ch in meeting + saving)  # Devanagari words
    overdue = shg.reason_text("loan_overdue", REASON_ROW, lang, AS_OF)
    assert "5,300" in overdue
    assert shg.reason_text("no_meeting", {**REASON_ROW, "last_meeting": None}, lang, AS_OF) != meeting


def test_the_other_reasons_in_words():
    row = {**REASON_ROW, "compared_with": dt.date(2025, 3, 1), "savings": 12000.0, "savings_before": 12000.0,
           "members": 10, "members_before": 11, "formation_date": dt.date(2024, 4, 15)}
    for lang in ("en", "hi"):
        growth = shg.reason_text("no_growth", row, lang, AS_OF)
        credit = shg.reason_text("no_credit_linkage", row, lang, AS_OF)
        marked = shg.reason_text("marked_inactive", row, lang, AS_OF)
        assert "01-03-2025" in growth and "12,000" in growth and "{" not in growth, growth
        assert "15-04-2024" in credit and "13" in credit and "{" not in credit, credit
        assert "Dormant" in marked


def test_reason_texts_from_the_review_rows(con):
    """The SHG page's way: the rows of shg_review (pandas dates), the reasons in their order."""
    load(con, register(AS_OF, shg_row("S1"), shg_row("S2", meeting="12.02.2025", overdue="5,300",
                                                     saved="")))
    frame = queries.run(con, "shg_review", as_of=str(AS_OF))
    row = frame[frame["shg_code"] == "S2"].to_dict("records")[0]
    assert row["inactive_reasons"] == "no_meeting;no_savings;loan_overdue"
    worded = shg.with_reasons(frame, "en", AS_OF).set_index("shg_code")["reason_text"]
    texts = worded["S2"].split("; ")
    assert len(texts) == 3
    assert "no meeting since 12-02-2025" in texts[0] and "107" in texts[0]
    assert texts[1] == shg.reason_text("no_savings", {"last_saving_date": None}, "en", AS_OF)
    assert "5,300" in texts[2]
    # Only the codes asked for: the stagnant ones of an inactive row are none.
    assert shg.with_reasons(frame, "en", AS_OF, "stagnant_reasons").set_index("shg_code")["reason_text"]["S2"] == ""


# ---------------------------------------------------------------- Excel


def test_an_excel_register_with_typed_cells(con):
    """Codes as numbers (1002.0), dates as Excel dates, a merged title, a totals row under Block."""
    data = xlsx_bytes([
        ["SHG register as on 30.05.2025"],
        ["SHG Code", "Block", "Formation Date", "Members", "Last Meeting", "Cumulative Saving", "Overdue",
         "Credit Linkage"],
        [1001, "Araria", dt.datetime(2024, 1, 1), 10, dt.datetime(2025, 5, 20), 115800, 0, 1],
        [1002.0, "Araria", dt.datetime(2023, 1, 1), 12, None, 8000.5, 5300, "No"],
        [None, "Total", None, 22, None, 123800.5, 5300, None],
    ], merged=["A1:H1"])
    result = load(con, data, "register.xlsx")
    assert rejected(con, result) == []
    assert [t["row"] for t in result.staged.totals] == [5]
    figures = review(con)
    assert set(figures) == {"1001", "1002"}
    assert (figures["1001"]["formation_date"], figures["1001"]["last_meeting"], figures["1001"]["savings"]) == (
        dt.date(2024, 1, 1), dt.date(2025, 5, 20), 115800)
    assert figures["1002"]["savings"] == 8000.5
    assert inactive(con) == {"1002": "no_meeting;loan_overdue"}
    assert stagnant(con) == {"1002": "no_credit_linkage"}
