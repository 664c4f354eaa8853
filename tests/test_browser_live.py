"""Live use on a district server: the app serves browser sessions while the day's commands run on
the same store, and two copies of the app share one store.

The app holds the store only while a page runs (pages/_shared.cursor and release); a command
waiting for it leaves a mark that the page runs let go first (store.first_in_line). Here a
viewer keeps the app busy (a page run after another) while each command runs.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import threading
import time
from contextlib import contextmanager
from pathlib import Path

import pytest
from conftest import ROOT, cli_env, csv_bytes, gazetteer_bytes, ingest
from playwright.sync_api import expect
from test_browser import ARTIFACTS, CHROMIUM, CHROMIUM_ARGS, start
from test_browser_sharing import go, settled

from samiksha import store
from samiksha.i18n import t

pytestmark = pytest.mark.browser
EN = "en"
VIEWPORT = {"width": 1280, "height": 720}
WAIT_S = 20  # a command is given this long; it should need a page run's time at most


def report(day: int) -> bytes:
    return csv_bytes([[f"Ayushman card progress report dated {day:02d}.05.2025"],
                      ["Block", "Panchayat", "Target", "Achieved Today", "Cumulative Achieved"],
                      ["Musahari", "Panchayat 5", 1000, 50, 300 + 10 * day],
                      ["Musahari", "Panchayat 6", 800, 40, 200 + 9 * day],
                      ["Gora Bauram", "Bauram", 900, 10, 100 + 5 * day]])


def make_store(path: Path, days=(18, 19, 20)) -> Path:
    con = store.open_store(str(path))
    assert ingest(con, gazetteer_bytes(), "lgd.csv", kind="gazetteer").ok
    for day in days:
        assert ingest(con, report(day), f"day_{day}.csv").ok
    con.close()
    return path


@contextmanager
def tabs(count: int = 1):
    """`count` Chromium tabs, each a session of its own (one browser context each)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        try:
            yield [browser.new_context(viewport=VIEWPORT).new_page() for _ in range(count)]
        finally:
            browser.close()


@contextmanager
def tab():
    with tabs(1) as (page,):
        yield page


class BusyViewer(threading.Thread):
    """Another person in the meeting: opens the Blocks page, then the Overview, again and again
    (each visit a page run that opens the store), until told to stop."""

    def __init__(self, url: str):
        super().__init__(daemon=True)
        self.url, self.stop, self.visits, self.failures = url, threading.Event(), 0, []

    def run(self) -> None:
        try:
            with tab() as page:
                while not self.stop.is_set():
                    for path in ("/blocks", "/"):
                        page.goto(self.url + path)
                        expect(page.locator('[data-testid="stPlotlyChart"]').first).to_be_visible(timeout=60000)
                        settled(page)
                        self.visits += 1
        except Exception as exc:  # reported by the test
            self.failures.append(f"{type(exc).__name__}: {exc}")


def command(*args, db: Path, out: Path | None = None) -> tuple[subprocess.CompletedProcess, float]:
    """A command as cron or a script runs it, against the served store; and how long it took."""
    started = time.monotonic()
    done = subprocess.run([sys.executable, "-m", "samiksha", *map(str, args)], cwd=ROOT, capture_output=True,
                          text=True, encoding="utf-8", timeout=300,
                          env=cli_env(db, {"SAMIKSHA_LOCK_WAIT": str(WAIT_S)}))
    return done, time.monotonic() - started


def test_the_days_commands_run_on_the_store_the_app_serves_and_the_page_shows_the_new_day(tmp_path):
    db = make_store(tmp_path / "store.duckdb")
    (tmp_path / "day_21.csv").write_bytes(report(21))
    server = start(db)
    url = next(server)
    viewer = BusyViewer(url)
    times = {}
    try:
        with tab() as page:
            page.goto(url)
            heading = page.get_by_text(f"{t('overview.as_of', EN)} 20-05-2025")
            expect(heading.first).to_be_visible(timeout=60000)
            viewer.start()
            while viewer.visits < 2 and not viewer.failures:  # the app is busy before the commands start
                time.sleep(0.2)
            runs = [
                ("ingest", ("ingest", tmp_path / "day_21.csv")),
                ("query", ("query", "block_progress", "--param", "indicator=ayushman_cards",
                           "--param", "as_of=2025-05-21")),
                ("image", ("image", "block_progress", "--out", tmp_path / "blocks.png")),
                ("brief", ("brief", "--out", tmp_path / "brief.pdf")),
                ("uploads", ("uploads",)),
                ("undo", ("undo", 3)),
                ("restore", ("restore", 3)),
                ("demo", ("demo", "--clear")),
            ]
            for name, args in runs:
                done, times[name] = command(*args, db=db)
                assert done.returncode == 0, (name, done.stdout, done.stderr)
                assert "Traceback" not in done.stdout + done.stderr
                assert t("issue.store_locked", EN, path=str(db)) not in done.stderr
                if name == "ingest":
                    assert "day_21.csv: stored" in done.stdout, done.stdout
                if name == "query":
                    assert re.search(r"^MUSAHARI,1800,899,", done.stdout, re.MULTILINE | re.IGNORECASE), done.stdout
            assert (tmp_path / "blocks.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
            assert (tmp_path / "brief.pdf").read_bytes()[:5] == b"%PDF-"
            viewer.stop.set()
            viewer.join(120)
            assert not viewer.failures, viewer.failures
            assert viewer.visits >= 4, "the viewer's page runs went on while the commands ran"

            # The session that was open all along: after a rerun it shows the new day, no restart.
            go(page, "blocks", EN)
            settled(page)
            go(page, "overview", EN)
            expect(page.get_by_text(f"{t('overview.as_of', EN)} 21-05-2025").first).to_be_visible(timeout=60000)
            ARTIFACTS.mkdir(exist_ok=True)
            page.screenshot(path=str(ARTIFACTS / "live_overview_after_cron_ingest.png"))
    finally:
        viewer.stop.set()
        next(server, None)
    report_times = ", ".join(f"{name} {seconds:.1f} s" for name, seconds in times.items())
    print(f"commands on a served store: {report_times}")
    assert all(seconds < WAIT_S for seconds in times.values()), report_times


def upload(page, url: str, file: Path) -> None:
    page.goto(url + "/upload")
    uploader = page.locator('[data-testid="stFileUploader"]')
    expect(uploader).to_be_visible(timeout=60000)
    uploader.locator('input[type="file"]').set_input_files(str(file))
    expect(page.get_by_text(f"{file.name}: can be stored")).to_be_visible(timeout=60000)
    page.get_by_role("button", name=t("upload.store", EN, count=1)).click()
    expect(page.get_by_text(re.compile(re.escape(file.name) + r": stored as upload #\d+"))).to_be_visible(
        timeout=60000)


def test_two_copies_of_the_app_on_one_store_both_work_and_keep_each_others_uploads(tmp_path):
    db = make_store(tmp_path / "store.duckdb", days=(18,))
    for day in (19, 20):
        (tmp_path / f"day_{day}.csv").write_bytes(report(day))
    first, second = start(db), start(db)
    first_url, second_url = next(first), next(second)
    try:
        with tabs(2) as (one, two):
            upload(one, first_url, tmp_path / "day_19.csv")
            upload(two, second_url, tmp_path / "day_20.csv")
            for page, url in ((one, first_url), (two, second_url)):
                page.goto(url)
                expect(page.get_by_text(f"{t('overview.as_of', EN)} 20-05-2025").first).to_be_visible(
                    timeout=60000)
    finally:
        next(first, None)
        next(second, None)
    done, _ = command("uploads", db=db)
    assert done.returncode == 0, done.stderr
    names = [line.split(",")[1] for line in done.stdout.splitlines()[1:]]
    assert {"day_18.csv", "day_19.csv", "day_20.csv"} <= set(names), names
    assert not list(db.parent.glob(db.name + store.MARK + "*")), "no command's mark is left behind"
    assert os.path.exists(db)
