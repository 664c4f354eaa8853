"""`python -m samiksha demo` on a store: loading it keeps each file beside the store, loading it again
says it is there, --clear removes only the demo (and its kept files), and commands on a store
holding it say so.

The demo district is built once per run (conftest `demo_store`, a copy to change); the command's
own loading is run on a part of the demo's files, in this process.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from conftest import cli_in_process, csv_bytes

from samiksha import cli as samiksha_cli
from samiksha import demo, store
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
def report_file(tmp_path) -> Path:
    path = tmp_path / "araria_27.csv"
    path.write_bytes(CLI_REPORT)
    return path


def _upload_names(db: Path) -> list[str]:
    done = cli_in_process("uploads", "--db", db)
    assert done.returncode == 0, done.stderr
    return [row["file_name"] for row in csv.DictReader(io.StringIO(done.stdout))]


def _kept(db: Path) -> list[Path]:
    folder = store.files_dir(str(db))
    return sorted(folder.iterdir()) if folder.is_dir() else []


def test_demo_loads_keeping_each_file_then_says_so_again_and_clear_removes_the_files(tmp_path, monkeypatch, capsys):
    """The command's loading: file by file, each file kept beside the store. Two kinds of the demo's
    files are enough here; the whole demo is loaded once per run for the shared store."""
    monkeypatch.setattr(demo, "KINDS_IN_ORDER", ("gazetteer", "targets"))
    db = tmp_path / "x.duckdb"

    def command(*args) -> tuple[int, str, str]:
        code = samiksha_cli.main(["--lang", EN, *args, "--db", str(db)])
        said = capsys.readouterr()
        assert (code, said.err) == (0, "")
        return said.out.strip()

    said = command("demo")
    loaded = _upload_names(db)
    assert len(loaded) >= 2  # the gazetteer and the targets
    summary = {"district": demo.generator().DISTRICT_NAME, "uploads": len(loaded), "blocks": 14, "panchayats": 292}
    assert said == t("cli.demo_loaded", EN, **summary)
    con = store.open_store(str(db), read_only=True)
    try:
        raw = [Path(path) for (path,) in con.execute("SELECT raw_path FROM uploads ORDER BY raw_path").fetchall()]
    finally:
        con.close()
    assert raw == _kept(db) and len(raw) == len(loaded)  # each upload's file, kept beside the store

    assert command("demo") == t("cli.demo_already", EN, uploads=len(loaded))
    assert _upload_names(db) == loaded

    assert command("demo", "--clear") == t("cli.demo_cleared", EN, uploads=len(loaded))
    assert _upload_names(db) == []
    assert _kept(db) == []


def test_demo_on_a_store_holding_it_says_so_and_clear_removes_it(demo_store):
    db = demo_store
    loaded = _upload_names(db)
    assert len(loaded) > 0
    again = cli_in_process("demo", "--db", db)
    assert again.returncode == 0, again.stderr
    assert again.stdout.strip() == t("cli.demo_already", EN, uploads=len(loaded))
    assert _upload_names(db) == loaded
    cleared = cli_in_process("demo", "--clear", "--db", db)
    assert cleared.returncode == 0, cleared.stderr
    assert cleared.stdout.strip() == t("cli.demo_cleared", EN, uploads=len(loaded))
    assert _upload_names(db) == []
    assert _kept(db) == []


def test_ingest_into_a_demo_store_notes_it_then_clear_leaves_only_mine(demo_store, report_file):
    db = demo_store
    done = cli_in_process("ingest", report_file, "--db", db)
    assert done.returncode == 0, done.stdout + done.stderr
    assert t("cli.demo_in_store", EN) in done.stderr
    assert cli_in_process("demo", "--clear", "--db", db).returncode == 0
    assert _upload_names(db) == ["araria_27.csv"]
    query = cli_in_process("query", "block_progress", "--db", db, "--param", "indicator=ayushman",
                           "--param", "as_of=2025-05-27")
    assert query.returncode == 0, query.stderr
    assert query.stdout.splitlines() == [BP_HEADER, "Bhargama,200,150,75.0,20,1", "Araria,300,100,33.3,10,2"]
    assert "demo" not in query.stderr.lower()
    kept = _kept(db)
    assert len(kept) == 1 and kept[0].read_bytes() == CLI_REPORT
