"""`python -m samiksha ...` as scripts drive it: exit codes, messages, CSV out, --db and SAMIKSHA_DB.

A command of its own process (`cli`) where the process is what is looked at: each exit code (0, 1,
2 from the command and from argparse), CSV on a real stdout, Hindi on a real stdout, SAMIKSHA_DB
from the environment. The rest run the same `main` in this process (`cli_in_process`)."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from conftest import cli, cli_in_process, csv_bytes

from samiksha import queries, store
from samiksha.i18n import t

REPORT = csv_bytes([
    ["Ayushman card block-wise report dated 27.05.2025"],
    ["Block", "Target", "Today", "Achieved"],
    ["Araria", "300", "10", "100"],
    ["Bhargama", "200", "20", "150"],
    ["Total", "500", "30", "250"],
])
EN = "en"
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x04\x38"


@pytest.fixture
def files(tmp_path) -> dict[str, Path]:
    made = {"report": tmp_path / "araria_27.csv", "image": tmp_path / "photo.csv"}
    made["report"].write_bytes(REPORT)
    made["image"].write_bytes(PNG)
    return made


@pytest.fixture
def db(tmp_path) -> Path:
    return tmp_path / "x.duckdb"


def uploads_in(path: Path) -> list[tuple]:
    con = store.open_store(str(path), read_only=True)
    try:
        return con.execute("SELECT upload_id, file_name, status FROM uploads ORDER BY 1").fetchall()
    finally:
        con.close()


def test_ingest_stores_and_says_so(files, db):
    done = cli("ingest", files["report"], "--db", db)
    assert done.returncode == 0, done.stderr
    assert "araria_27.csv" in done.stdout
    assert "stored as upload #1" in done.stdout
    assert uploads_in(db) == [(1, "araria_27.csv", "stored")]
    # The raw file is kept beside the store.
    kept = list(store.files_dir(str(db)).iterdir())
    assert len(kept) == 1 and kept[0].read_bytes() == REPORT


def test_the_same_file_again_changes_nothing(files, db):
    assert cli_in_process("ingest", files["report"], "--db", db).returncode == 0
    again = cli_in_process("ingest", files["report"], "--db", db)
    assert again.returncode == 0
    assert "already stored as upload #1" in again.stdout
    assert uploads_in(db) == [(1, "araria_27.csv", "stored")]


def test_a_refused_file_exits_1_and_stores_nothing(files, db):
    done = cli("ingest", files["image"], "--db", db)
    assert done.returncode == 1
    out = done.stdout + done.stderr
    assert "photo.csv" in out
    assert "nothing of this file was stored" in out
    assert "PNG" in out
    assert uploads_in(db) == []


def test_one_refused_file_among_several(files, db):
    done = cli_in_process("ingest", files["report"], files["image"], "--db", db)
    assert done.returncode == 1
    assert "stored as upload #1" in done.stdout
    assert uploads_in(db) == [(1, "araria_27.csv", "stored")]


def test_given_options_are_used(tmp_path, db):
    plain = tmp_path / "plain.csv"
    plain.write_bytes(csv_bytes([["Block", "Achieved"], ["Araria", "7"]]))
    refused = cli_in_process("ingest", plain, "--db", db)  # no date, no indicator
    assert refused.returncode == 1
    assert t("report.refused", EN, file="plain.csv", reason=t("issue.no_indicator", EN)) in refused.stdout
    done = cli_in_process("ingest", plain, "--db", db, "--kind", "progress", "--indicator", "Ayushman cards",
                          "--date", "2025-05-27")
    assert done.returncode == 0, done.stdout + done.stderr
    rows = cli_in_process("query", "block_progress", "--db", db, "--param", "indicator=ayushman_cards",
                          "--param", "as_of=27-05-2025")
    assert list(csv.reader(io.StringIO(rows.stdout)))[1][:3] == ["Araria", "", "7"]


USAGE = "usage: python -m samiksha"  # argparse's own lines (English only) for a command line it cannot parse


@pytest.mark.parametrize(("args", "says"), [
    ([], [USAGE, "the following arguments are required: command"]),
    (["ingest"], [USAGE + " ingest", "the following arguments are required: FILE"]),
    (["ingest", "{report}", "--kind", "unknown"], [USAGE + " ingest", "argument --kind: invalid choice: 'unknown'"]),
    (["ingest", "{report}", "--date", "31.02.2025"], [t("cli.bad_date", EN, value="31.02.2025")]),
    (["ingest", "{report}", "--date", "tomorrow"], [t("cli.bad_date", EN, value="tomorrow")]),
    (["ingest", "{missing}"], [t("cli.no_file", EN, path="{missing}")]),
    (["check", "{missing}"], [t("cli.no_file", EN, path="{missing}")]),
    (["query"], [USAGE + " query", "the following arguments are required: name"]),
    (["query", "block_progress", "--param", "no-equals-sign"], [t("cli.bad_param", EN, value="no-equals-sign")]),
    (["no-such-command"], [USAGE, "argument command: invalid choice: 'no-such-command'"]),
], ids=["no-args", "no-files", "unknown-kind", "impossible-date", "word-date", "missing-file",
        "check-missing-file", "query-no-name", "bad-param", "unknown-command"])
def test_usage_errors_exit_2(files, db, tmp_path, args, says, request):
    names = {"report": files["report"], "missing": tmp_path / "not_there.csv"}
    # argparse's exit and the command's own, each through a process of its own once
    run = cli if request.node.callspec.id in ("no-args", "missing-file") else cli_in_process
    done = run(*[a.format(**names) for a in args], env_db=db)
    assert done.returncode == 2, done.stdout + done.stderr
    for words in says:
        assert words.format(**names) in done.stderr, done.stderr
    assert done.stdout == ""
    assert not db.exists()  # a usage error touches no store


def test_check_stores_nothing(files, db):
    assert cli_in_process("ingest", files["report"], "--db", db).returncode == 0
    other = files["report"].with_name("other.csv")
    other.write_bytes(REPORT.replace(b"27.05.2025", b"28.05.2025"))
    before = uploads_in(db)
    done = cli_in_process("check", other, "--db", db)
    assert done.returncode == 0, done.stderr
    assert "other.csv" in done.stdout and "nothing stored" in done.stdout
    assert uploads_in(db) == before
    refused = cli_in_process("check", files["image"], "--db", db)
    assert refused.returncode == 1
    assert t("issue.not_a_table_file", EN, what=t("filetype.png", EN)) in refused.stdout
    assert uploads_in(db) == before


def test_check_without_a_store_creates_none(files, tmp_path):
    db = tmp_path / "never.duckdb"
    done = cli_in_process("check", files["report"], "--db", db)
    assert done.returncode == 0
    assert not db.exists()


def test_query_prints_csv_with_the_header_row(files, db):
    assert cli_in_process("ingest", files["report"], "--db", db).returncode == 0
    done = cli("query", "block_progress", "--db", db, "--param", "indicator=ayushman_cards",
               "--param", "as_of=2025-05-27")
    assert done.returncode == 0, done.stderr
    rows = list(csv.reader(io.StringIO(done.stdout)))
    assert rows[0][:6] == ["block", "target", "achieved", "pct", "achieved_today", "rank"]  # the contract; more may follow
    assert rows[1:] == [["Bhargama", "200", "150", "75.0", "20", "1"],
                        ["Araria", "300", "100", "33.3", "10", "2"]]


def test_query_with_a_param_left_out_and_an_empty_result(files, db):
    assert cli_in_process("ingest", files["report"], "--db", db).returncode == 0
    done = cli_in_process("query", "panchayat_progress", "--db", db, "--param", "indicator=ayushman_cards",
                          "--param", "as_of=2025-05-27")
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == ["block,panchayat,target,achieved,pct"]


BLOCK_PROGRESS_PARAMS = ", ".join(queries.load("block_progress").params)  # indicator, as_of, district (optional)


@pytest.mark.parametrize(("args", "says"), [
    (["query", "no_such_query"], t("issue.no_such_query", EN, name="no_such_query", known=", ".join(queries.names()))),
    (["query", "block_progress", "--param", "indicator=ayushman_cards", "--param", "as_of=2025-05-27",
      "--param", "colour=red"],
     t("issue.unknown_query_param", EN, name="block_progress", param="colour", known=BLOCK_PROGRESS_PARAMS)),
    (["query", "block_progress", "--param", "indicator=ayushman_cards", "--param", "as_of=31.02.2025"],
     t("issue.bad_query_date", EN, param="as_of", value="31.02.2025")),
], ids=["unknown-query", "unknown-param", "bad-date-param"])
def test_query_errors_exit_2(db, args, says):
    """On a store that exists: the query is refused for what it asks, not for a missing store."""
    store.open_store(str(db)).close()
    done = cli_in_process(*args, "--db", db)
    assert done.returncode == 2
    assert done.stderr.strip() == says
    assert done.stdout == ""


def status_of(db: Path) -> list[tuple]:
    con = store.open_store(str(db), read_only=True)
    try:
        return con.execute("SELECT upload_id, status, status_at FROM uploads ORDER BY 1").fetchall()
    finally:
        con.close()


def test_undo_twice_says_already_undone(files, db):
    done = cli_in_process("ingest", files["report"], "--db", db)
    assert done.returncode == 0, done.stdout + done.stderr
    first = cli_in_process("undo", "1", "--db", db)
    assert first.returncode == 0, first.stderr
    after_first = status_of(db)
    assert [(u, s) for u, s, _ in after_first] == [(1, "undone")]
    again = cli_in_process("undo", "1", "--db", db)
    assert again.returncode == 0, again.stdout + again.stderr
    said = (again.stdout + again.stderr).lower()
    assert "already" in said and "undone" in said, said
    assert status_of(db) == after_first  # status and its time unchanged


def test_hindi_messages(files, db):
    refused = cli_in_process("--lang", "hi", "ingest", files["image"], "--db", db)
    assert refused.returncode == 1
    assert "अस्वीकार" in refused.stdout + refused.stderr
    stored = cli("ingest", files["report"], "--db", db, "--lang", "hi")
    assert stored.returncode == 0
    assert "सहेजा गया" in stored.stdout
    assert "stored as upload" not in stored.stdout


def test_samiksha_db_is_honoured(files, tmp_path):
    env_db = tmp_path / "from_env.duckdb"
    done = cli("ingest", files["report"], env_db=env_db)
    assert done.returncode == 0, done.stderr
    assert env_db.exists()
    assert uploads_in(env_db) == [(1, "araria_27.csv", "stored")]
    rows = cli_in_process("query", "district_summary", "--param", "indicator=ayushman_cards",
                          "--param", "as_of=2025-05-27", env_db=env_db)
    assert rows.returncode == 0
    summary = list(csv.DictReader(io.StringIO(rows.stdout)))
    assert summary[0]["achieved"] == "250" and summary[0]["target"] == "500"


def test_db_option_wins_over_samiksha_db(files, tmp_path):
    env_db, given = tmp_path / "env.duckdb", tmp_path / "given.duckdb"
    assert cli_in_process("ingest", files["report"], "--db", given, env_db=env_db).returncode == 0
    assert given.exists() and not env_db.exists()
