"""The store when several sessions write at once, when the disk is full and when it is read-only.

- Sessions of the app run in threads of one process and write through cursors of its one
  connection: uploads at the same moment are all stored, none fails with a DuckDB
  "write-write conflict" (store.transaction takes one write at a time in the process; the
  value macros are kept with their version, so staging a file writes nothing to the store).
- A full disk (simulated with RLIMIT_FSIZE, which works for any user anywhere; a real full
  tmpfs where mounting is allowed) stops the upload with a catalogue message naming the
  store, exit 1, no traceback, and the store afterwards holds exactly what it held.
- A read-only store (a file and folder an unprivileged user cannot write; a read-only
  filesystem where mounting is allowed) still answers queries, and an ingest says it is
  read-only, naming it.

"""

from __future__ import annotations

import contextlib
import errno
import gc
import json
import os
import resource
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import traceback
from pathlib import Path

import duckdb
import pytest
from conftest import ROOT, cli_env, csv_bytes

from samiksha import ingest, queries, store
from samiksha.errors import IntakeError
from samiksha.i18n import t

IND = "ayushman_cards"
GAZETTEER = csv_bytes([
    ["state_code", "state_name", "district_code", "district_name", "block_code", "block_name", "block_name_hi",
     "panchayat_code", "panchayat_name", "panchayat_name_hi"],
    ["10", "BIHAR", "230", "DARBHANGA", "2005", "MUSAHARI", "मुशहरी", "300501", "Panchayat 5", "पंचायत 5"],
    ["10", "BIHAR", "230", "DARBHANGA", "2005", "MUSAHARI", "मुशहरी", "300502", "Panchayat 6", "पंचायत 6"],
    ["10", "BIHAR", "230", "DARBHANGA", "2004", "GORA BAURAM", "गौड़ा बौराम", "300401", "Bauram", "बौराम"],
])


def report(day: int, extra: int = 0) -> bytes:
    """A block's daily report (two panchayats of Musahari and one of Gora Bauram)."""
    return csv_bytes([[f"Ayushman card daily report dated {day:02d}.05.2025"],
                      ["Block", "Panchayat", "Target", "Achieved Today", "Cumulative Achieved"],
                      ["Musahari", "Panchayat 5", 1000, 50, 300 + day + extra],
                      ["Musahari", "Panchayat 6", 800, 40, 200 + day + extra],
                      ["Gora Bauram", "Bauram", 900, 10, 100 + day + extra]])


def big_report(rows: int, day: int = 28) -> bytes:
    lines = [f"Ayushman card report dated {day:02d}.05.2025", "Block,Panchayat,Target,Achieved Today,Cumulative Achieved"]
    lines += [f"Block {n % 50},Panchayat {n},1000,5,{n % 997}" for n in range(rows)]
    return ("\r\n".join(lines) + "\r\n").encode()


def shapes() -> bytes:
    """Panchayat boundaries (GeoJSON boxes), stored before any gazetteer: they wait for the
    reports that name their places, and every progress upload matches them again."""
    boxes = [({"GP_NAME": "Panchayat 5", "BLOCK": "Musahari"}, (85.40, 26.10, 85.45, 26.15)),
             ({"GP_NAME": "Panchayt 6", "BLOCK": "Musahari"}, (85.45, 26.10, 85.50, 26.15)),
             ({"GP_NAME": "Bauram", "BLOCK": "Gora Bauram"}, (85.50, 26.10, 85.55, 26.15))]
    return json.dumps({"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": props,
         "geometry": {"type": "Polygon", "coordinates": [[[w, s], [e, s], [e, n], [w, n], [w, s]]]}}
        for props, (w, s, e, n) in boxes]}).encode()


def state(path: Path) -> tuple:
    """Everything a person stored: uploads, progress rows, issues, matches, shapes, settings."""
    con = duckdb.connect(str(path), read_only=True)
    try:
        uploads, progress, *rest = (con.execute(sql).fetchall() for sql in (
            "SELECT upload_id, file_name, sha256, status, rows_accepted FROM uploads ORDER BY 1",
            "SELECT count(*), coalesce(sum(achieved), 0), coalesce(sum(hash(block, panchayat, achieved)), 0) "
            "FROM progress",
            "SELECT count(*) FROM upload_issues", "SELECT count(*) FROM place_matches",
            "SELECT upload_id, feature, code, how FROM boundary_features ORDER BY 1, 2",
            "SELECT key, CAST(value AS VARCHAR) FROM settings WHERE key <> 'names_version' ORDER BY 1"))
        return (uploads, progress[0], *rest)
    finally:
        con.close()


def make_store(path: Path, *files: tuple[bytes, str]) -> Path:
    con = store.open_store(str(path))
    for data, name in files:
        result = ingest.ingest_file(con.cursor(), data, name, files=store.files_dir(str(path)))
        assert result.status == "stored", result.refusal and result.refusal.text()
    con.close()
    return path


def run(*args, env_db: Path | None = None, user: list[str] | None = None, limit: int | None = None,
        extra_env: dict | None = None) -> subprocess.CompletedProcess:
    """`python -m samiksha ARGS`, as another user (`user`: the command's prefix) or with files
    limited to `limit` bytes (RLIMIT_FSIZE: a write past it fails with EFBIG, as on a full disk)."""

    def limited():
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # fail the write (EFBIG), not kill the process
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, resource.getrlimit(resource.RLIMIT_FSIZE)[1]))

    env = cli_env(env_db, extra_env)
    if user:
        env["HOME"] = tempfile.gettempdir()
    return subprocess.run([*(user or []), sys.executable, "-m", "samiksha", *map(str, args)], cwd=ROOT, env=env,
                          capture_output=True, text=True, encoding="utf-8", timeout=120,
                          preexec_fn=limited if limit else None)


def no_traceback(done: subprocess.CompletedProcess) -> None:
    assert "Traceback" not in done.stdout + done.stderr, done.stderr
    assert "Something went wrong" not in done.stderr, done.stderr  # the last guard is not a message


# ================================================================ sessions writing at once


def at_once(count: int, work) -> tuple[dict, dict]:
    """Run work(n) in `count` threads released together; ({n: result}, {n: traceback})."""
    gate = threading.Barrier(count)
    results, failures = {}, {}

    def one(n):
        gate.wait()
        try:
            results[n] = work(n)
        except Exception:
            failures[n] = traceback.format_exc()

    threads = [threading.Thread(target=one, args=(n,), daemon=True) for n in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    return results, failures


def upload_as_a_page_does(con, path: Path, data: bytes, name: str) -> str:
    """What the Upload page does for one session: its own cursor of the app's one connection,
    check, store, then the figures' version (the page shows them again)."""
    cur = con.cursor()
    result = ingest.ingest_file(cur, data, name, files=store.files_dir(str(path)))
    store.data_version(con.cursor())
    return result.status


def test_sessions_storing_reports_at_once_through_one_connection_are_all_stored(tmp_path):
    """Six sessions store six reports at the same moment into a store the app has just opened.
    (Before: all but one or two failed with "Catalog write-write conflict" on the value
    macros, which every session's first check wrote again.)"""
    path = tmp_path / "store.duckdb"
    store.open_store(str(path)).close()
    con = store.open_store(str(path))  # the app's one connection
    results, failures = at_once(6, lambda n: upload_as_a_page_does(con, path, report(10 + n), f"day_{n}.csv"))
    assert failures == {}, "\n".join(failures.values())
    assert results == {n: "stored" for n in range(6)}
    con.close()
    uploads, progress, *_ = state(path)
    assert sorted(name for _, name, _, _, _ in uploads) == [f"day_{n}.csv" for n in range(6)]
    assert progress[0] == 18


def test_sessions_storing_at_once_while_shapes_wait_for_their_reports_are_all_stored(tmp_path):
    """Boundaries stored before the gazetteer are matched again after every progress upload
    (an UPDATE of the same rows by each session): with the uploads' writes one at a time, all
    are stored and none fails. (Without store.WRITE_LOCK: "Conflict on update!" after the
    rows were stored, so the page said it failed when it had not.)"""
    path = make_store(tmp_path / "store.duckdb", (shapes(), "gp.geojson"))
    con = store.open_store(str(path))
    results, failures = at_once(6, lambda n: upload_as_a_page_does(con, path, report(10 + n), f"day_{n}.csv"))
    assert failures == {}, "\n".join(failures.values())
    assert results == {n: "stored" for n in range(6)}
    con.close()
    uploads, progress, *_ = state(path)
    assert len(uploads) == 7 and progress[0] == 18


def test_a_session_that_fails_to_write_lets_the_others_write(tmp_path):
    """A transaction that fails (here: a bad statement) is rolled back and gives the store
    back: the next session's upload is not kept waiting."""
    path = make_store(tmp_path / "store.duckdb")
    con = store.open_store(str(path))
    with pytest.raises(duckdb.Error), store.transaction(con.cursor()) as cur:
        cur.execute("INSERT INTO settings VALUES ('x', '1')")
        cur.execute("SELECT * FROM no_such_table")
    done = {}
    thread = threading.Thread(target=lambda: done.setdefault(
        "status", ingest.ingest_file(con.cursor(), report(12), "after.csv").status), daemon=True)
    thread.start()
    thread.join(30)
    assert done == {"status": "stored"}
    assert store.scalar(con, "SELECT count(*) FROM settings WHERE key = 'x'") == 0
    con.close()


@pytest.mark.browser
def test_four_app_sessions_uploading_at_the_same_moment_are_all_stored(tmp_path):
    """The real app (streamlit run) and four browsers, each on the Upload page with a report of
    its own: all four check their file and press Store at the same moment; each is told its
    file was stored, none sees an error, and the store (read after the app stops) holds all
    four with their rows. The store holds boundaries waiting for reports, so that every
    upload also rewrites the same rows (the shapes' matches)."""
    from playwright.sync_api import sync_playwright
    from test_browser import CHROMIUM, CHROMIUM_ARGS, start

    path = make_store(tmp_path / "app.duckdb", (shapes(), "gp.geojson"))
    files = []
    for n in range(4):
        files.append(tmp_path / f"block_report_{n}.csv")
        files[-1].write_bytes(report(20 + n, extra=n))
    server = start(path)
    url = next(server)
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
            tabs = [browser.new_context(viewport={"width": 1280, "height": 1400}).new_page() for _ in files]
            for tab in tabs:
                tab.goto(url + "/upload")
            for tab in tabs:  # the page drawn whole (its first run may rerun), uploader ready
                tab.locator('[data-testid="stFileUploaderDropzone"]').first.wait_for(timeout=120000)
                tab.wait_for_selector('[data-testid="stStatusWidget"]', state="hidden", timeout=120000)
            for tab, file in zip(tabs, files, strict=True):  # all four read and checked at once
                tab.locator('[data-testid="stFileUploader"] input[type="file"]').set_input_files(str(file))
            buttons = [tab.get_by_role("button", name="Store 1 file(s)") for tab in tabs]
            for n, (tab, button) in enumerate(zip(tabs, buttons, strict=True)):  # four checks at once: be patient
                try:
                    button.wait_for(timeout=180000)
                except Exception:
                    tab.screenshot(path=str(ROOT / "test-artifacts" / f"four_sessions_{n}.png"), full_page=True)
                    raise AssertionError(tab.locator("body").inner_text()[:3000]) from None
            for button in buttons:  # and stored at once
                button.click()
            for tab, file in zip(tabs, files, strict=True):
                tab.get_by_text(f"{file.name}: stored as upload #").wait_for(timeout=180000)
                assert tab.locator('[data-testid="stException"]').count() == 0
                assert "REFUSED" not in tab.locator("body").inner_text()
            browser.close()
    finally:
        next(server, None)  # stops the app (it keeps the store open)
    uploads, progress, *_ = state(path)
    assert sorted(name for _, name, _, status, _ in uploads if status == "stored") == \
        sorted(["gp.geojson", *(f.name for f in files)])
    assert progress[:2] == (12, sum(600 + 3 * (20 + n) + 3 * n for n in range(4)))


# ================================================================ a full disk

FULL = "the disk is full"


def test_a_full_disk_stops_the_ingest_with_a_message_and_loses_nothing(tmp_path):
    """Every write past a size fails (EFBIG, as ENOSPC on a full disk) when the upload commits:
    the command says the disk is full, naming the store, exits 1 with no traceback, and the
    store afterwards opens with exactly what it held; with room again the file is stored."""
    path = make_store(tmp_path / "store.duckdb", (GAZETTEER, "lgd.csv"), (report(20), "day_20.csv"))
    before, kept = state(path), sorted(store.files_dir(str(path)).iterdir())
    big = tmp_path / "big.csv"
    big.write_bytes(big_report(4000))  # its raw copy fits under the limit; its rows do not
    done = run("ingest", big, env_db=path, limit=big.stat().st_size + 100_000)
    no_traceback(done)
    assert done.returncode == 1, done.stdout + done.stderr
    assert str(path) in done.stderr and FULL in done.stderr, done.stderr
    assert state(path) == before
    assert sorted(store.files_dir(str(path)).iterdir()) == kept  # its raw copy is not kept
    again = run("ingest", big, env_db=path)
    assert again.returncode == 0, again.stderr
    assert len(state(path)[0]) == len(before[0]) + 1


def test_a_full_disk_is_said_in_hindi_too(tmp_path):
    path = make_store(tmp_path / "store.duckdb")
    big = tmp_path / "big.csv"
    big.write_bytes(big_report(4000))
    done = run("ingest", big, "--lang", "hi", env_db=path, limit=big.stat().st_size + 100_000)
    no_traceback(done)
    assert done.returncode == 1
    assert str(path) in done.stderr and "डिस्क भर गई है" in done.stderr, done.stderr


def test_a_disk_too_full_for_the_raw_copy_says_so_too(tmp_path):
    """The raw file is written beside the store first; when even that does not fit, the same
    message, and no half-written copy is left in <store>_files/."""
    path = make_store(tmp_path / "store.duckdb", (report(20), "day_20.csv"))
    before = state(path)
    kept = sorted(store.files_dir(str(path)).iterdir())
    big = tmp_path / "big.csv"
    big.write_bytes(big_report(4000))
    done = run("ingest", big, env_db=path, limit=big.stat().st_size // 2)
    no_traceback(done)
    assert done.returncode == 1
    assert str(path) in done.stderr and FULL in done.stderr, done.stderr
    assert state(path) == before
    assert sorted(store.files_dir(str(path)).iterdir()) == kept


@contextlib.contextmanager
def tmpfs(size: str):
    """A real small filesystem (tmpfs), where this container lets us mount one."""
    where = Path(tempfile.mkdtemp(prefix="samiksha_tmpfs_"))
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(where)],
                             capture_output=True, text=True) if shutil.which("mount") else None
    if mounted is None or mounted.returncode != 0:
        where.rmdir()
        pytest.skip("mounting a tmpfs is not permitted here (needs root with CAP_SYS_ADMIN); the "
                    "RLIMIT_FSIZE and unprivileged-user tests cover the same paths: "
                    + (mounted.stderr.strip() if mounted else "no mount command"))
    try:
        yield where
    finally:
        subprocess.run(["umount", "-l", str(where)], capture_output=True)
        shutil.rmtree(where, ignore_errors=True)


def test_a_really_full_disk_no_space_left(tmp_path):
    """ENOSPC itself: the store on a tmpfs with room for the raw copy but not for the rows."""
    made = make_store(tmp_path / "store.duckdb", (report(20), "day_20.csv"))
    big = big_report(4000)
    size = made.stat().st_size + len(big) * 2 + 256 * 1024
    with tmpfs(f"{size // 1024}k") as disk:
        path = disk / "store.duckdb"
        shutil.copy(made, path)
        before = state(path)
        source = tmp_path / "big.csv"
        source.write_bytes(big)
        done = run("ingest", source, env_db=path)
        no_traceback(done)
        assert done.returncode == 1, done.stdout + done.stderr
        assert str(path) in done.stderr and FULL in done.stderr, done.stderr
        assert state(path) == before


def test_a_failed_commit_leaves_the_apps_connection_working(tmp_path):
    """In the app the connection stays open: after a commit the disk refused (raised as
    IntakeError store_full, nothing kept), the same connection stores the file once there is
    room, and what was stored before is unchanged."""
    path = make_store(tmp_path / "store.duckdb", (report(20), "day_20.csv"))
    before = state(path)
    con = store.open_store(str(path))
    data = big_report(4000)
    with limited_files(len(data) + 100_000), pytest.raises(IntakeError) as refused:
        ingest.ingest_file(con.cursor(), data, "big.csv", files=store.files_dir(str(path)))
    assert refused.value.issue.code == "store_full"
    assert refused.value.issue.params["path"] == str(path)
    assert FULL in refused.value.issue.text("en") and str(path) in refused.value.issue.text("en")
    assert store.scalar(con, "SELECT count(*) FROM uploads") == len(before[0])
    assert ingest.ingest_file(con.cursor(), data, "big.csv", files=store.files_dir(str(path))).status == "stored"
    con.close()
    assert state(path)[0][:-1] == before[0]


def test_a_checkpoint_the_disk_refuses_is_said_and_the_store_opens_again_unchanged(tmp_path):
    """A commit that writes the database file itself (a checkpoint: DuckDB makes one when its
    log grows past a threshold, here made tiny) and finds no room: DuckDB gives the database up
    for this process. The transaction says the disk is full, naming the store; the connection
    says it is unusable (store.invalidated), and the store opened again holds what it held."""
    path = make_store(tmp_path / "store.duckdb", (report(20), "day_20.csv"))
    before = state(path)
    con = store.open_store(str(path))
    con.execute("CHECKPOINT")
    con.execute("SET checkpoint_threshold = '1KB'")
    assert not store.invalidated(con)
    cur = con.cursor()
    with limited_files(path.stat().st_size), pytest.raises(IntakeError) as refused, store.transaction(cur):
        cur.execute("INSERT INTO settings SELECT 'k' || range, to_json(repeat('x', 100)) FROM range(20000)")
    assert refused.value.issue.code == "store_full"
    assert refused.value.issue.params["path"] == str(path)
    assert store.invalidated(con)
    con.close()
    gc.collect()
    assert state(path) == before
    again = store.open_store(str(path))
    assert ingest.ingest_file(again.cursor(), report(21), "day_21.csv").status == "stored"
    again.close()


def test_an_upload_whose_checkpoint_the_disk_refuses_says_the_disk_is_full(tmp_path):
    path = make_store(tmp_path / "store.duckdb", (report(20), "day_20.csv"))
    con = store.open_store(str(path))
    con.execute("CHECKPOINT")
    con.execute("SET checkpoint_threshold = '1KB'")
    try:
        with limited_files(path.stat().st_size), pytest.raises(IntakeError) as refused:
            ingest.ingest_file(con.cursor(), big_report(4000), "big.csv")
        assert refused.value.issue.code == "store_full"
    finally:
        con.close()


@contextlib.contextmanager
def limited_files(limit: int):
    """In this process: a write past `limit` bytes fails (EFBIG) until the block ends."""
    soft, hard = resource.getrlimit(resource.RLIMIT_FSIZE)
    handler = signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_FSIZE, (limit, hard))
    try:
        yield
    finally:
        resource.setrlimit(resource.RLIMIT_FSIZE, (soft, hard))
        signal.signal(signal.SIGXFSZ, handler)


def test_the_upload_page_says_the_disk_is_full(tmp_path, monkeypatch):
    from streamlit.testing.v1 import AppTest

    from pages import _shared

    path = make_store(tmp_path / "store.duckdb", (report(20), "day_20.csv"))
    before = state(path)
    monkeypatch.setenv("SAMIKSHA_DB", str(path))
    data = big_report(4000)
    try:
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
        at.switch_page("pages/upload.py").run()
        at.file_uploader[0].set_value(("big.csv", data, "text/csv")).run()
        assert not at.exception
        with limited_files(len(data) + 100_000):
            next(b for b in at.button if b.label.startswith("Store")).click().run()
        assert not at.exception, [e.value for e in at.exception]
        shown = "\n".join(e.value for e in at.error)
        assert FULL in shown and str(path) in shown, shown
    finally:
        release_app(_shared)
    assert state(path) == before


def release_app(shared) -> None:
    """Close the app's cached connection (AppTest runs the pages in this process), so that the
    store can be opened again here (read-only, or unmounted)."""
    shared.forget_store()
    gc.collect()


# ================================================================ a read-only store


def unprivileged() -> list[str]:
    """A command prefix that runs as a user the store's files do not let write (root writes
    through any chmod): nothing when not root; else setpriv or runuser to nobody, when they
    can run this Python and the package as that user."""
    if os.geteuid() != 0:
        return []
    for prefix in (["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"], ["runuser", "-u", "nobody", "--"]):
        if shutil.which(prefix[0]) is None:
            continue
        probe = subprocess.run([*prefix, sys.executable, "-c", "import duckdb, samiksha"], cwd=ROOT,
                               capture_output=True, text=True, env=cli_env())
        if probe.returncode == 0:
            return prefix
    pytest.skip("running as root and cannot run this Python as an unprivileged user (no setpriv or runuser, "
                "or the interpreter is not readable by nobody): a read-only file would not stop root")


@pytest.fixture
def shared_dir():
    """A folder another user may enter (pytest's tmp folders are private to their user)."""
    where = Path(tempfile.mkdtemp(prefix="samiksha_ro_"))
    where.chmod(0o755)
    yield where
    for path in (where, *where.rglob("*")):
        path.chmod(0o755 if path.is_dir() else 0o644)
    shutil.rmtree(where, ignore_errors=True)


def read_only_store(folder: Path) -> Path:
    """A store (and its raw files and folders) nobody but root may write; beside it the next
    day's report (day_21.csv), readable by all."""
    path = make_store(folder / "store.duckdb", (GAZETTEER, "lgd.csv"), (report(20), "day_20.csv"))
    (folder / "day_21.csv").write_bytes(report(21))
    for item in (path, folder / "day_21.csv", *store.files_dir(str(path)).iterdir()):
        item.chmod(0o444)
    store.files_dir(str(path)).chmod(0o555)
    folder.chmod(0o555)
    return path


QUERY = ("query", "block_progress", "--param", f"indicator={IND}", "--param", "as_of=2025-05-20")


def test_a_read_only_store_answers_queries_and_refuses_an_ingest_by_name(shared_dir):
    """Store file 444, its folder 555, run as an unprivileged user: `query` (which opens it
    read-only) answers; `ingest` says the store is read-only, naming it, exit 1."""
    user = unprivileged()
    path = read_only_store(shared_dir)
    before = state(path)
    answer = run(*QUERY, env_db=path, user=user)
    no_traceback(answer)
    assert answer.returncode == 0, answer.stderr
    assert answer.stdout.splitlines()[0].startswith("block,target,achieved")
    assert "Musahari" in answer.stdout or "MUSAHARI" in answer.stdout
    done = run("ingest", shared_dir / "day_21.csv", env_db=path, user=user)
    no_traceback(done)
    assert done.returncode == 1, done.stdout + done.stderr
    assert done.stderr.strip() == t("issue.store_read_only", "en", path=str(path)), done.stderr
    assert state(path) == before


def test_a_store_whose_folder_is_read_only_refuses_the_upload_when_it_commits(shared_dir):
    """The file may be written but not its folder (DuckDB writes its log, <store>.wal, there):
    the upload is refused when it commits, with the same message, and nothing is kept."""
    user = unprivileged()
    path = make_store(shared_dir / "store.duckdb", (report(20), "day_20.csv"))
    before = state(path)
    path.chmod(0o666)
    store.files_dir(str(path)).chmod(0o777)  # the raw copy can be kept; the log cannot be written
    new = shared_dir / "day_21.csv"
    new.write_bytes(report(21))
    new.chmod(0o644)
    shared_dir.chmod(0o555)
    done = run("ingest", new, env_db=path, user=user)
    no_traceback(done)
    assert done.returncode == 1, done.stdout + done.stderr
    assert t("issue.store_read_only", "en", path=str(path)) in done.stderr, done.stderr
    assert state(path) == before
    assert [p.name for p in store.files_dir(str(path)).iterdir() if "day_21" in p.name] == []


def test_a_store_on_a_read_only_filesystem(tmp_path):
    """EROFS (a read-only mount: even root cannot write): queries answer, an ingest says the
    store is read-only, naming it."""
    made = read_only_store_files(tmp_path)
    with tmpfs("32m") as disk:
        path = disk / "store.duckdb"
        shutil.copy(made, path)
        shutil.copytree(store.files_dir(str(made)), store.files_dir(str(path)))
        remount = subprocess.run(["mount", "-o", "remount,ro", str(disk)], capture_output=True, text=True)
        if remount.returncode != 0:
            pytest.skip("remounting read-only is not permitted here: " + remount.stderr.strip())
        answer = run(*QUERY, env_db=path)
        no_traceback(answer)
        assert answer.returncode == 0, answer.stderr
        new = tmp_path / "day_21.csv"
        new.write_bytes(report(21))
        done = run("ingest", new, env_db=path)
        no_traceback(done)
        assert done.returncode == 1
        assert done.stderr.strip() == t("issue.store_read_only", "en", path=str(path)), done.stderr
        with pytest.raises(IntakeError) as refused:
            store.open_store(str(path))
        assert refused.value.issue.code == "store_read_only"
        store.open_store(str(path), read_only=True).close()


def test_the_app_on_a_read_only_store_shows_its_figures_and_says_uploads_cannot_be_stored(tmp_path, monkeypatch):
    from streamlit.testing.v1 import AppTest

    from pages import _shared

    made = read_only_store_files(tmp_path)
    with tmpfs("32m") as disk:
        path = disk / "store.duckdb"
        shutil.copy(made, path)
        shutil.copytree(store.files_dir(str(made)), store.files_dir(str(path)))
        if subprocess.run(["mount", "-o", "remount,ro", str(disk)], capture_output=True).returncode != 0:
            pytest.skip("remounting read-only is not permitted here")
        monkeypatch.setenv("SAMIKSHA_DB", str(path))
        try:
            at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60).run()
            assert not at.exception, [e.value for e in at.exception]
            assert not at.error, [e.value for e in at.error]
            assert at.metric, "the overview shows the stored figures"
            at.switch_page("pages/upload.py").run()
            at.file_uploader[0].set_value(("day_21.csv", report(21), "text/csv")).run()
            next(b for b in at.button if b.label.startswith("Store")).click().run()
            assert not at.exception, [e.value for e in at.exception]
            shown = "\n".join(e.value for e in at.error)
            assert t("issue.store_read_only", "en", path=str(path)) in shown, shown
        finally:
            release_app(_shared)


def read_only_store_files(folder: Path) -> Path:
    return make_store(folder / "made.duckdb", (GAZETTEER, "lgd.csv"), (report(20), "day_20.csv"))


def test_a_write_on_a_store_opened_read_only_says_it_is_read_only(tmp_path):
    """The store opened read-only (as `query` and `check` do, and the app would on a read-only
    store): the figures are worked out (in this connection's temporary tables), and storing a
    file says the store is read-only, naming it."""
    path = make_store(tmp_path / "store.duckdb", (GAZETTEER, "lgd.csv"), (report(20), "day_20.csv"))
    before = state(path)
    con = store.open_store(str(path), read_only=True)
    assert store.data_version(con.cursor())
    assert store.path_of(con) == str(path)
    with pytest.raises(IntakeError) as refused:
        ingest.ingest_file(con.cursor(), report(21), "day_21.csv")
    assert refused.value.issue.code == "store_read_only"
    assert refused.value.issue.text("en") == t("issue.store_read_only", "en", path=str(path))
    con.close()
    assert state(path) == before


# ================================================================ what open_store says


def test_a_file_that_is_no_store_is_said_at_once_even_in_a_folder_named_blocks(tmp_path):
    """Only DuckDB's own lock message means "wait for the other program": a store in a folder
    whose name contains "lock" (blocks/) that cannot be opened is said to be so at once."""
    path = tmp_path / "blocks" / "not_a_store.duckdb"
    path.parent.mkdir()
    path.write_bytes(b"this is not a database" * 100)
    with pytest.raises(IntakeError) as refused:
        store.open_store(str(path), wait=30)
    assert refused.value.issue.code == "store_unreadable"


def test_storage_errors_name_the_store_and_the_cause():
    full = store.storage_error(OSError(errno.ENOSPC, "No space left on device"), "/data/s.duckdb")
    assert full.issue.code == "store_full" and "/data/s.duckdb" in full.issue.text("hi")
    assert store.storage_error(OSError(errno.EROFS, "Read-only file system"), "/x").issue.code == "store_read_only"
    assert store.storage_error(PermissionError(errno.EACCES, "Permission denied"), "/x").issue.code == \
        "store_read_only"
    other = store.storage_error(OSError(errno.EIO, "Input/output error"), "/x")
    assert other.issue.code == "store_write_failed" and "Input/output error" in other.issue.text("en")
    assert store._write_problem(FileNotFoundError(errno.ENOENT, "No such file"), "/x") is None
    assert store.storage_error(FileNotFoundError(errno.ENOENT, "No such file"), "/x").issue.code == \
        "store_write_failed"  # a caller that was writing the store's files says so
    wal = duckdb.TransactionException('TransactionContext Error: Failed to commit: Could not write file '
                                      '"/data/s.duckdb.wal": No space left on device')
    assert store._write_problem(wal, None).issue.params["path"] == "/data/s.duckdb"
    conflict = duckdb.TransactionException('TransactionContext Error: Catalog write-write conflict on alter')
    assert store._write_problem(conflict, "/x") is None  # not the disk's: raised as it is


def test_a_store_whose_views_are_older_answers_read_only_with_the_current_ones(tmp_path):
    """A store last written by an older Samiksha, opened read-only (query, image, brief): the
    current views stand in on the connection, so a newer query's parameters work."""
    path = make_store(tmp_path / "store.duckdb", (report(20), "day_20.csv"))
    con = store.open_store(str(path))
    con.execute("CREATE OR REPLACE MACRO block_review(ind, as_of) AS TABLE SELECT 'old' AS block")
    con.execute("UPDATE schema_views SET digest = 'older'")
    con.close()
    reader = store.open_store(str(path), read_only=True)
    got = queries.run(reader, "block_progress", indicator="ayushman_cards", as_of="2025-05-20")
    assert "old" not in set(got["block"]) and len(got) > 0
    assert store.scalar(reader, "SELECT digest FROM schema_views") == "older"  # nothing written


def test_asking_whether_the_store_was_given_up_works_while_another_session_uses_the_connection(tmp_path):
    """The app asks on every page run (pages/_shared.cursor) while other sessions' threads use the
    one connection: the question goes through a cursor of its own, not the busy connection."""
    import threading
    import time

    con = store.open_store(str(tmp_path / "store.duckdb"))
    errors = []

    def busy():
        try:
            con.execute("SELECT count(*) FROM range(200000000)").fetchall()
        except Exception as exc:  # recorded for the assertion
            errors.append(exc)

    worker = threading.Thread(target=busy)
    worker.start()
    time.sleep(0.2)
    assert store.invalidated(con) is False
    worker.join()
    assert errors == []
