"""Reading what a column means from the words of its header and from its values
(samiksha/reading.py and the kinds' field declarations), measured on a corpus of real-world
report headers (tests/corpus/headers.csv, see its README) and on the rules one by one."""

from __future__ import annotations

import collections
import csv
import importlib
from pathlib import Path

import pytest

from samiksha import reading
from samiksha.kinds import progress, shg, workers

CORPUS = Path(__file__).with_name("corpus") / "headers.csv"


def layouts() -> dict[str, list[dict]]:
    found: dict[str, list[dict]] = collections.OrderedDict()
    with CORPUS.open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            found.setdefault(row["layout"], []).append(row)
    return found


def read_layout(columns: list[dict]) -> reading.Reading:
    """A corpus layout read as the app reads a file: each column's own cell, the upper line of a
    two-line header as its group, and three values of each column."""
    kind = importlib.import_module(f"samiksha.kinds.{columns[0]['kind']}")
    labels, groups = [], []
    for column in columns:
        header = column["header"].replace("\\n", "\n")
        upper, _, lower = header.rpartition(" | ")
        labels.append(lower)
        groups.append(upper or None)
    cells = [[value.strip() for value in column["sample"].split(" ; ")] for column in columns]
    rows = [list(row) for row in zip(*cells, strict=True)]
    return reading.read_columns(labels, rows, kind.FIELDS, groups, kind.TOLERATED, getattr(kind, "resolve", None))


def test_the_corpus_is_read_right_and_never_confidently_wrong():
    """At least 97% of the corpus's columns read right and sure; none read surely wrong (a
    column read unsurely is asked of the operator, which is allowed for the rest)."""
    right, asked, wrong = [], [], []
    for name, columns in layouts().items():
        for column, got in zip(columns, read_layout(columns).columns, strict=True):
            expected = None if column["field"] == "-" else column["field"]
            entry = (name, column["header"], expected, got.field)
            (asked if not got.sure else right if got.field == expected else wrong).append(entry)
    total = len(right) + len(asked) + len(wrong)
    assert total >= 300
    assert wrong == [], f"read surely wrong: {wrong}"
    assert len(right) / total >= 0.97, f"right {len(right)} / {total}; asked: {asked}"


def test_the_corpus_has_what_its_readme_promises():
    rows = [row for columns in layouts().values() for row in columns]
    fields = collections.Counter(row["field"] for row in rows)
    kinds = {row["kind"] for row in rows}
    assert len(rows) >= 320 and len(layouts()) >= 45
    assert kinds == {"progress", "targets", "shg", "workers", "worker_output", "gazetteer", "households"}
    assert fields["-"] >= 30 and sum(" | " in row["header"] for row in rows) >= 10
    for kind in kinds:
        declared = {spec.name for spec in importlib.import_module(f"samiksha.kinds.{kind}").FIELDS}
        used = {row["field"] for row in rows if row["kind"] == kind} - {"-"}
        assert used <= declared, (kind, used - declared)


def one(labels, rows, kind=progress, groups=None) -> dict[str, tuple[str | None, bool]]:
    got = reading.read_columns(labels, rows, kind.FIELDS, groups, kind.TOLERATED, getattr(kind, "resolve", None))
    return {c.label: (c.field, c.sure) for c in got.columns}


@pytest.mark.parametrize("header", ["Achievement till date", "Till date achievement", "Cum. Achv.",
                                    "अब तक की कुल उपलब्धि", "कुल उपलब्धि अब तक", "Kul uplabdhi", "Progressive total",
                                    "Ayushman cards made so far", "Cards created (as on 27.05.2025)"])
def test_a_running_total_is_read_from_its_words_in_any_order(header):
    got = one(["Block", "Target", header], [["Kanti", "1,000", "345"], ["Musahari", "2,000", "1,210"]])
    assert got[header] == ("achieved", True)


@pytest.mark.parametrize("header", ["Achievement today", "Today's achievement", "Achievement during the day",
                                    "आज की उपलब्धि", "Aaj ka uplabdhi", "Achv. on 27.05.2025", "इस माह बीमित"])
def test_the_days_figure_is_read_from_its_words(header):
    got = one(["Block", "Target", header, "Cumulative"], [["Kanti", "1,000", "45", "345"], ["Musahari", "2,000", "10", "1,210"]])
    assert got[header] == ("achieved_today", True) and got["Cumulative"] == ("achieved", True)


def test_achievement_alone_is_the_days_beside_a_total_and_the_total_beside_the_days():
    beside_total = one(["Block", "Target", "Achievement", "Achievement till date"],
                       [["Kanti", "1,000", "45", "345"], ["Musahari", "2,000", "10", "1,210"]])
    assert beside_total["Achievement"] == ("achieved_today", True)
    beside_today = one(["Block", "Target", "Today", "Achievement"],
                       [["Kanti", "1,000", "45", "345"], ["Musahari", "2,000", "10", "1,210"]])
    assert beside_today["Achievement"] == ("achieved", True)
    under_target = one(["Block", "Target", "Achievement", "%"], [["Kanti", "1,000", "345", "34.5"],
                                                                 ["Musahari", "2,000", "1,210", "60.5"]])
    assert under_target["Achievement"] == ("achieved", True)


def test_achievement_alone_is_the_total_so_far():
    got = one(["Block", "Achievement"], [["Kanti", "345"], ["Musahari", "1,210"]])
    assert got["Achievement"] == ("achieved", True)


def test_annual_target_and_target_with_a_year_are_targets():
    got = one(["Block", "Annual target (2025-26)", "वार्षिक लक्ष्य", "Achievement"],
              [["Kanti", "1,000", "900", "345"], ["Musahari", "2,000", "1,500", "1,210"]])
    assert got["Annual target (2025-26)"][0] == "target"


def test_noise_words_and_brackets_do_not_change_the_reading():
    got = one(["Name of the Block", "Lakshya (Target)", "Cumulative Achievement (Nos.)", "% of Achievement (%)"],
              [["Kanti", "1,000", "345", "34.5"], ["Musahari", "2,000", "1,210", "60.5"]])
    assert got == {"Name of the Block": ("block", True), "Lakshya (Target)": ("target", True),
                   "Cumulative Achievement (Nos.)": ("achieved", True), "% of Achievement (%)": ("percent", True)}


def test_values_rule_a_field_out():
    """"No. of operators working" holds counts: it is no channel ("operator" names one) and no
    figure of the campaign; a column of dates under "Date" is the report date, of names is no target."""
    got = one(["Date", "Block", "Operators", "No. of operators working", "Cards made today"],
              [["27.05.2025", "Kanti", "ASHA", "14", "188"], ["27.05.2025", "Kanti", "VLE", "2", "64"],
               ["28.05.2025", "Musahari", "Dealer", "3", "41"]])
    assert got["Date"] == ("report_date", True)
    assert got["No. of operators working"][0] is None
    assert got["Cards made today"] == ("achieved_today", True)


def test_one_meaning_per_column_across_the_header():
    """Two columns that could both be the total so far: the one that says so most gets it, and
    a close second is asked, never given the same field."""
    got = one(["Block", "Target", "Total", "Total achievement till date"],
              [["Kanti", "1,000", "345", "345"], ["Musahari", "2,000", "1,210", "1,210"]])
    assert got["Total achievement till date"] == ("achieved", True)
    assert got["Total"][0] != "achieved"


def test_a_pair_of_columns_per_indicator_is_read_per_indicator():
    labels = ["Block", "Target", "Achievement", "T", "A"]
    groups = [None, "Credit linkage", "Credit linkage", "Insurance", "Insurance"]
    got = reading.read_columns(labels, [["Kanti", "100", "40", "900", "300"], ["Musahari", "120", "60", "800", "250"]],
                               progress.FIELDS, groups, progress.TOLERATED, progress.resolve)
    fields = [(c.group, c.field, c.sure) for c in got.columns[1:]]
    assert fields == [("Credit linkage", "target", True), ("Credit linkage", "achieved", True),
                      ("Insurance", "target", True), ("Insurance", "achieved", True)]


def test_yes_no_flags_and_dates_in_registers_and_rosters():
    got = one(["SHG Code", "SHG Name", "Date of last transaction", "First credit linkage date", "Status"],
              [["SHG001", "Laxmi", "12.04.2025", "01.02.2024", "Active"],
               ["SHG002", "Durga", "01.01.2025", "", "Inactive"]], kind=shg)
    assert got == {"SHG Code": ("shg_code", True), "SHG Name": ("shg_name", True),
                   "Date of last transaction": ("last_saving_date", True),
                   "First credit linkage date": ("credit_linkage", True), "Status": ("status", True)}
    roster = one(["ASHA ID", "ASHA Name", "Login ID (Active Y/N)", "Trained (Y/N)", "ANM / Supervisor"],
                 [["A101", "Sunita", "Y", "N", "Meena"], ["A102", "Rekha", "N", "Y", "Meena"]], kind=workers)
    assert roster == {"ASHA ID": ("worker_id", True), "ASHA Name": ("worker_name", True),
                      "Login ID (Active Y/N)": ("id_active", True), "Trained (Y/N)": ("trained", True),
                      "ANM / Supervisor": ("supervisor", True)}


def test_a_header_nobody_reads_is_no_field():
    got = one(["Block", "Target", "Cumulative", "Remarks", "Mobile No."],
              [["Kanti", "1,000", "345", "ok", "94311xxxxx"], ["Musahari", "2,000", "1,210", "", "70045xxxxx"]])
    assert got["Remarks"] == (None, True) and got["Mobile No."] == (None, True)


@pytest.mark.parametrize(("text", "concepts"), [
    ("ग्राम पंचायत का नाम", {"PANCHAYAT", "NAME"}),  # the longer phrase wins: no village
    ("Achievement till date", {"ACHIEVE", "CUMULATIVE"}),  # "till date" is no date
    ("ज़िला", {"DISTRICT"}),  # nukta folded
    ("Login ID (Active Y/N)", {"ID", "ACTIVE"}),  # "login id" is one phrase: an ID
])
def test_words_become_concepts(text, concepts):
    assert reading.words_of(text).concepts == concepts
