"""`python -m samiksha demo` on a store: loading it again says it is there, --clear removes only the
demo, and commands on a store holding it say so.
"""

from __future__ import annotations

import csv
import io
import subprocess
from pathlib import Path

import pytest
from conftest import cli as run_cli
from conftest import csv_bytes

from samiksha import store

CLI_REPORT = csv_bytes([
    ["Ayushman card block-wise report dated 27.05.2025"],
    ["Block", "Target", "Today", "Achieved"],
    ["Araria", "300", "10", "100"],
    ["Bhargama", "200", "20", "150"],
    ["Total", "500", "30", "250"],
])

BP_HEADER = "block,target,achieved,pct,achieved_today,rank"


def cli(*args) -> subprocess.CompletedProcess:
    return run_cli(*args, timeout=300)  # the demo loads here: more time than one file


@pytest.fixture
def report_file(tmp_path) -> Path:
    path = tmp_path / "araria_27.csv"
    path.write_bytes(CLI_REPORT)
    return path


def _upload_names(db: Path) -> list[str]:
    done = cli("uploads", "--db", db)
    assert done.returncode == 0, done.stderr
    return [row["file_name"] for row in csv.DictReader(io.StringIO(done.stdout))]


def test_demo_on_a_store_holding_it_says_so_and_clear_removes_it(tmp_path):
    db = tmp_path / "x.duckdb"
    first = cli("demo", "--db", db)
    assert first.returncode == 0, first.stderr
    loaded = _upload_names(db)
    assert len(loaded) > 0
    again = cli("demo", "--db", db)
    assert again.returncode == 0, again.stderr
    assert "already" in again.stdout.lower()
    assert _upload_names(db) == loaded
    cleared = cli("demo", "--clear", "--db", db)
    assert cleared.returncode == 0, cleared.stderr
    assert str(len(loaded)) in cleared.stdout
    assert _upload_names(db) == []
    assert list(store.files_dir(str(db)).iterdir()) == []


def test_ingest_into_a_demo_store_notes_it_then_clear_leaves_only_mine(tmp_path, report_file):
    db = tmp_path / "x.duckdb"
    assert cli("demo", "--db", db).returncode == 0
    done = cli("ingest", report_file, "--db", db)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "demo" in done.stderr.lower()
    assert cli("demo", "--clear", "--db", db).returncode == 0
    assert _upload_names(db) == ["araria_27.csv"]
    query = cli("query", "block_progress", "--db", db, "--param", "indicator=ayushman", "--param", "as_of=2025-05-27")
    assert query.returncode == 0, query.stderr
    assert query.stdout.splitlines() == [BP_HEADER, "Bhargama,200,150,75.0,20,1", "Araria,300,100,33.3,10,2"]
    assert "demo" not in query.stderr.lower()
    kept = list(store.files_dir(str(db)).iterdir())
    assert len(kept) == 1 and kept[0].read_bytes() == CLI_REPORT
