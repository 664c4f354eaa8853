"""Several commands on one store at 5 PM, and a laptop that dies mid-upload.

Commands that find the store open elsewhere wait for it (saying so) and then store their
file; a command that waits too long gives up with a clear message; an ingest killed with
SIGKILL at any moment leaves the store as it was before it (or, if it had committed, with
the whole upload), never half an upload.
"""

from __future__ import annotations

import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import duckdb
import pytest
from conftest import ROOT, cli, cli_env, csv_bytes

from samiksha import store


def report(day: int, blocks: int = 3) -> bytes:
    return csv_bytes([[f"Ayushman card report dated {day:02d}.05.2025"],
                      ["Block", "Target", "Achieved Today", "Cumulative Achieved"],
                      *[[f"Block {n}", 1000, 10 * day, 100 * day + n] for n in range(blocks)]])


def state(path: Path) -> tuple:
    """What the store holds: uploads (id, file, status) and the progress rows' count and sum."""
    con = duckdb.connect(str(path), read_only=True)
    try:
        uploads = con.execute("SELECT upload_id, file_name, status FROM uploads ORDER BY 1").fetchall()
        rows = con.execute("SELECT count(*), coalesce(sum(achieved), 0) FROM progress").fetchone()
        issues = con.execute("SELECT count(*) FROM upload_issues").fetchone()[0]
    finally:
        con.close()
    return tuple(uploads), rows, issues


def hold_store(path: Path, seconds: float, release: threading.Event | None = None) -> threading.Thread:
    """Keep the store open for writing in this process for `seconds`, or until `release` is
    set (as the app or another command would), in a thread."""
    opened = threading.Event()
    release = release or threading.Event()

    def keep():
        con = duckdb.connect(str(path))
        opened.set()
        release.wait(seconds)
        con.close()

    thread = threading.Thread(target=keep)
    thread.start()
    assert opened.wait(10)
    return thread


def start(*args, env_db: Path, extra_env: dict | None = None) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "samiksha", *map(str, args)], cwd=ROOT,
                            env=cli_env(env_db, extra_env),
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, encoding="utf-8")


@pytest.fixture
def db(tmp_path) -> Path:
    path = tmp_path / "store.duckdb"
    store.open_store(str(path)).close()  # created and migrated
    return path


def test_ingests_at_the_same_time_wait_for_each_other_and_all_are_stored(db, tmp_path):
    files = []
    for day in (26, 27, 28, 29):
        files.append(tmp_path / f"report_{day}.csv")
        files[-1].write_bytes(report(day))
    release = threading.Event()
    holder = hold_store(db, 90.0, release)  # the store is busy when they start...
    running = [start("ingest", path, env_db=db) for path in files]
    said = [waiting_said(process) for process in running]  # ...until each says it waits (however slow)
    release.set()
    outputs = [(out, first + err) for first, (out, err) in
               zip(said, (process.communicate(timeout=180) for process in running), strict=True)]
    holder.join()
    for process, (out, err) in zip(running, outputs, strict=True):
        assert process.returncode == 0, (out, err)
        assert "Traceback" not in out + err
        assert "in use by another command or the app: waiting for it" in err, err
        assert "stored as upload" in out, out
    uploads, rows, _ = state(db)
    assert sorted(name for _, name, _ in uploads) == sorted(path.name for path in files)
    assert rows == (12, sum(100 * day + n for day in (26, 27, 28, 29) for n in range(3)))


def waiting_said(process: subprocess.Popen, words: str = "waiting for it") -> str:
    """The command's first lines on stderr, up to the one saying it waits for the store."""
    lines = []
    while not lines or words not in lines[-1]:
        line = process.stderr.readline()
        assert line, ("no wait said", lines)
        lines.append(line)
    return "".join(lines)


def test_the_wait_is_said_in_hindi_too(db, tmp_path):
    path = tmp_path / "report.csv"
    path.write_bytes(report(26))
    release = threading.Event()
    holder = hold_store(db, 90.0, release)
    process = start("ingest", path, "--lang", "hi", env_db=db)
    assert "प्रतीक्षा" in waiting_said(process, "प्रतीक्षा")
    release.set()
    out, err = process.communicate(timeout=120)
    holder.join()
    assert process.returncode == 0, err


def test_a_command_that_waits_too_long_gives_up_and_stores_nothing(db, tmp_path):
    path = tmp_path / "report.csv"
    path.write_bytes(report(26))
    before = state(db)
    release = threading.Event()
    holder = hold_store(db, 90.0, release)  # held until the command is done, however slow it starts
    started = time.monotonic()
    done = cli("ingest", path, env_db=db, extra_env={"SAMIKSHA_LOCK_WAIT": "1"}, timeout=60)
    took = time.monotonic() - started
    release.set()
    holder.join()
    assert done.returncode == 1
    assert "is still in use by another program" in done.stderr and str(db) in done.stderr
    assert took < 30  # gave up after its 1 s wait, not when the other let go (90 s)
    assert state(db) == before


def test_readers_wait_too(db, tmp_path):
    path = tmp_path / "report.csv"
    path.write_bytes(report(26))
    assert cli("ingest", path, env_db=db).returncode == 0
    release = threading.Event()
    holder = hold_store(db, 90.0, release)
    process = start("query", "block_progress", "--param", "indicator=ayushman_cards", "--param", "as_of=2025-05-26",
                    env_db=db)
    waiting_said(process)
    release.set()
    out, err = process.communicate(timeout=120)
    holder.join()
    assert process.returncode == 0, err
    assert out.splitlines()[0] == "block,target,achieved,pct,achieved_today,rank"


def big_report(rows: int) -> bytes:
    lines = ["Ayushman card report dated 28.05.2025", "Block,Panchayat,Target,Achieved Today,Cumulative Achieved"]
    lines += [f"Block {n % 500},Panchayat {n},1000,5,{n % 997}" for n in range(rows)]
    return ("\r\n".join(lines) + "\r\n").encode()


def test_an_ingest_killed_with_every_row_written_but_not_committed_leaves_the_store_as_before(db, tmp_path):
    """SIGKILL (a laptop dying) at the worst moment: the upload's rows, issues and name matches
    are all written but not committed (the process is held there by SAMIKSHA_PAUSE_BEFORE_COMMIT).
    The store afterwards is exactly as before, opens, and takes the file again."""
    first = tmp_path / "first.csv"
    first.write_bytes(report(26))
    assert cli("ingest", first, env_db=db).returncode == 0
    before = state(db)
    big = tmp_path / "big.csv"
    big.write_bytes(big_report(20_000))
    process = start("ingest", big, env_db=db, extra_env={"SAMIKSHA_PAUSE_BEFORE_COMMIT": "120"})
    line = process.stderr.readline()  # written inside the transaction, after every insert
    assert line.strip() == "paused before commit", line + process.stderr.read()
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=60)
    assert process.returncode == -signal.SIGKILL
    assert state(db) == before  # opens (replaying its log) with nothing of the killed upload
    done = cli("ingest", big, env_db=db, timeout=300)
    assert done.returncode == 0, done.stderr
    uploads, rows, _ = state(db)
    assert [name for _, name, _ in uploads] == ["first.csv", "big.csv"]
    assert rows[0] == before[1][0] + 20_000


def test_an_ingest_killed_at_other_moments_leaves_no_half_upload(db, tmp_path):
    """Kills at moments of a real ingest (reading, checking, storing): before or whole, never half."""
    first = tmp_path / "first.csv"
    first.write_bytes(report(26))
    assert cli("ingest", first, env_db=db).returncode == 0
    big = tmp_path / "big.csv"
    big.write_bytes(big_report(100_000))
    whole_db = tmp_path / "whole.duckdb"
    shutil.copy(db, whole_db)
    started = time.monotonic()
    assert cli("ingest", big, env_db=whole_db, timeout=300).returncode == 0
    duration = time.monotonic() - started
    before, after = state(db), state(whole_db)
    for fraction in (0.5, 0.9):
        copy = tmp_path / f"kill_{fraction}.duckdb"
        shutil.copy(db, copy)
        process = start("ingest", big, env_db=copy)
        time.sleep(duration * fraction)
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=60)
        assert state(copy) in (before, after), f"killed at {fraction:.0%}"  # never half an upload
