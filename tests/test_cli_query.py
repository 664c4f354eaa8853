"""`python -m samiksha query`: CSV on stdout, notes (no data, pending names) on stderr, indicator
aliases, usage errors that create no store.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from conftest import cli_in_process, csv_bytes

from samiksha.i18n import t

CLI_REPORT = csv_bytes([
    ["Ayushman card block-wise report dated 27.05.2025"],
    ["Block", "Target", "Today", "Achieved"],
    ["Araria", "300", "10", "100"],
    ["Bhargama", "200", "20", "150"],
    ["Total", "500", "30", "250"],
])

BP_HEADER = "block,target,achieved,pct,achieved_today,rank"
EN = "en"


@pytest.fixture
def cli_db(tmp_path) -> Path:
    """A store holding CLI_REPORT as upload #1."""
    report = tmp_path / "araria_27.csv"
    report.write_bytes(CLI_REPORT)
    db = tmp_path / "x.duckdb"
    done = cli_in_process("ingest", report, "--db", db)
    assert done.returncode == 0, done.stdout + done.stderr
    return db


def test_query_without_as_of_is_a_usage_error(cli_db):
    done = cli_in_process("query", "block_progress", "--db", cli_db, "--param", "indicator=ayushman_cards")
    assert done.returncode == 2, done.stdout + done.stderr
    assert done.stderr.strip() == t("cli.missing_param", EN, name="block_progress", params="as_of")
    assert done.stdout.strip() == ""


def test_query_without_as_of_and_without_a_store_creates_none(tmp_path):
    db = tmp_path / "none.duckdb"
    done = cli_in_process("query", "block_progress", "--db", db, "--param", "indicator=ayushman_cards")
    assert done.returncode == 2
    assert done.stderr.strip() == t("cli.missing_param", EN, name="block_progress", params="as_of")
    assert not db.exists()


def test_query_on_a_store_in_a_missing_folder_creates_neither(tmp_path):
    db = tmp_path / "nonexistent" / "x.duckdb"
    done = cli_in_process("query", "block_progress", "--db", db, "--param", "indicator=ayushman_cards",
                          "--param", "as_of=2025-05-27")
    assert done.returncode == 2, done.stdout + done.stderr
    assert done.stderr.strip() == t("cli.no_store", EN, path=db)
    assert not db.exists() and not db.parent.exists()


def test_query_by_an_indicator_alias_gives_the_same_rows(cli_db):
    expected = [["block", "target", "achieved", "pct", "achieved_today", "rank"],
                ["Bhargama", "200", "150", "75.0", "20", "1"],
                ["Araria", "300", "100", "33.3", "10", "2"]]
    for indicator in ("ayushman_cards", "ayushman", "Ayushman cards"):
        done = cli_in_process("query", "block_progress", "--db", cli_db, "--param", f"indicator={indicator}",
                              "--param", "as_of=2025-05-27")
        assert done.returncode == 0, done.stderr
        assert [row[:6] for row in csv.reader(io.StringIO(done.stdout))] == expected, indicator
    summary_rows = cli_in_process("query", "district_summary", "--db", cli_db, "--param", "indicator=ayushman",
                                  "--param", "as_of=2025-05-27")
    assert list(csv.DictReader(io.StringIO(summary_rows.stdout)))[0]["achieved"] == "250"


@pytest.fixture
def report_file(tmp_path) -> Path:
    path = tmp_path / "araria_27.csv"
    path.write_bytes(CLI_REPORT)
    return path


def test_query_for_an_indicator_with_no_data_prints_the_header_and_a_note(tmp_path, report_file):
    db = tmp_path / "x.duckdb"
    assert cli_in_process("ingest", report_file, "--db", db).returncode == 0
    done = cli_in_process("query", "block_progress", "--db", db, "--param", "indicator=nonexistent",
                          "--param", "as_of=2025-05-27")
    assert done.returncode == 0, done.stderr
    assert done.stdout == BP_HEADER + "\n"
    assert "nonexistent" in done.stderr


ARARIA_GAZ = csv_bytes([
    ["state_code", "state_name", "district_code", "district_name", "block_code", "block_name"],
    ["10", "BIHAR", "188", "ARARIA", "1624", "ARARIA"],
    ["10", "BIHAR", "188", "ARARIA", "1626", "FORBESGANJ"],
])


def test_query_notes_pending_names_on_stderr_and_keeps_stdout_csv(tmp_path):
    """A block name not in the gazetteer is pending: out of the rows and the district's figures,
    named on stderr with what it achieved; stdout stays the CSV."""
    gaz, report, db = tmp_path / "lgd.csv", tmp_path / "hindi_27.csv", tmp_path / "x.duckdb"
    gaz.write_bytes(ARARIA_GAZ)
    report.write_bytes(csv_bytes([["आयुष्मान कार्ड दिनांक 27.05.2025"],
                                  ["प्रखंड", "लक्ष्य", "आज की उपलब्धि", "कुल उपलब्धि"],
                                  ["फारबिसगंज", "5000", "50", "1000"], ["अररिया", "4000", "40", "900"]]))
    assert cli_in_process("ingest", gaz, "--db", db, "--kind", "gazetteer").returncode == 0
    assert cli_in_process("ingest", report, "--db", db).returncode == 0
    done = cli_in_process("query", "block_progress", "--db", db, "--param", "indicator=ayushman_cards",
                          "--param", "as_of=2025-05-27")
    assert done.returncode == 0, done.stderr
    pending = t("cli.unmatched_in_figures", EN, count=1, names="फारबिसगंज", achieved="1,000")
    assert pending in done.stderr
    # Pending, not counted: Araria alone, 900 / 4000 = 22.5 %.
    assert done.stdout.splitlines() == [BP_HEADER, "Araria,4000,900,22.5,40,1"]
    summary_out = cli_in_process("query", "district_summary", "--db", db, "--param", "indicator=ayushman_cards",
                                 "--param", "as_of=2025-05-27")
    assert pending in summary_out.stderr
    assert list(csv.reader(io.StringIO(summary_out.stdout)))[0] == [
        "target", "achieved", "pct", "achieved_today", "deadline", "required_per_day"]
    assert len(summary_out.stdout.splitlines()) == 2
    [district] = csv.DictReader(io.StringIO(summary_out.stdout))
    assert (district["target"], district["achieved"]) == ("4000", "900")  # the pending 5,000 and 1,000 left out
