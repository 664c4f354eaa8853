"""Real-browser journeys: the app served by Streamlit, driven in the system Chromium."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from playwright.sync_api import expect
from test_app import GAZETTEER, HINDI_REPORT

from samiksha import ingest, store

pytestmark = pytest.mark.browser
ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"
ARTIFACTS = ROOT / "test-artifacts"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def serve(path: Path, *reports: tuple[bytes, str]):
    """Start the app on a store holding the gazetteer (and `reports`); yield its address."""
    if not Path(CHROMIUM).exists():
        pytest.fail("Chromium is missing: `make test` installs it (scripts/system-packages.sh)")
    con = store.open_store(str(path))
    for data, name in ((GAZETTEER, "lgd.csv"), *reports):
        assert ingest.ingest_file(con.cursor(), data, name).ok
    con.close()
    port = free_port()
    env = {**os.environ, "SAMIKSHA_DB": str(path)}
    process = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", str(ROOT / "app.py"), "--server.headless", "true",
         "--server.address", "127.0.0.1", "--server.port", str(port), "--browser.gatherUsageStats", "false"],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url + "/_stcore/health", timeout=2) as answer:
                if answer.status == 200:
                    break
        except OSError:
            time.sleep(0.3)
    else:
        process.kill()
        pytest.fail("the Streamlit server did not start: " + process.stdout.read().decode()[-2000:])
    yield url
    process.terminate()
    process.wait(timeout=20)


@pytest.fixture
def server(tmp_path):
    yield from serve(tmp_path / "browser.duckdb")


@pytest.fixture
def server_with_report(tmp_path):
    yield from serve(tmp_path / "browser.duckdb", (HINDI_REPORT, "araria.csv"))


@pytest.fixture
def page():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        tab = browser.new_page(viewport={"width": 1280, "height": 1400})
        requests = []
        tab.on("request", lambda r: requests.append(r.url))
        tab.requests = requests
        yield tab
        browser.close()


def shot(page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"))


def test_upload_a_hindi_report_and_see_its_rows_and_matched_names(server, page, tmp_path):
    report = tmp_path / "araria_hindi.csv"
    report.write_bytes(HINDI_REPORT)
    page.goto(server + "/upload")
    page.get_by_text("Upload & data", exact=True).first.wait_for(timeout=30000)
    page.locator('[data-testid="stFileUploader"] input[type="file"]').set_input_files(str(report))
    page.get_by_text("araria_hindi.csv: can be stored").wait_for(timeout=30000)
    table = page.locator('[data-testid="stTable"]').first
    for text in ("अररिया", "Araria", "भरगामा", "Bhargama", "फारबिसगंज", "43,000", "10,757"):
        expect(table).to_contain_text(text)
    expect(table).not_to_contain_text("योग")  # the totals row is not a data row
    expect(page.get_by_text("4 block names: exact 3, unmatched 1")).to_be_visible()
    expect(page.get_by_text("“फारबिसगंज” not matched (maybe Forbesganj")).to_be_visible()
    shot(page, "upload_checked")
    page.get_by_role("button", name="Store 1 file(s)").click()
    page.get_by_text("araria_hindi.csv: stored as upload #2").wait_for(timeout=30000)
    shot(page, "upload_stored")
    outside = [u for u in page.requests if not u.startswith(server) and not u.startswith("data:")]
    assert outside == []


def test_overview_in_hindi(server_with_report, page):
    page.goto(server_with_report)
    expect(page.get_by_text("Ayushman cards · As of 26-05-2025")).to_be_visible(timeout=30000)
    page.get_by_text("हिंदी").first.click()
    page.get_by_text("आयुष्मान कार्ड").first.wait_for(timeout=30000)
    expect(page.locator('[data-testid="stMetric"]')).to_have_count(6)
    expect(page.get_by_text("1,36,200")).to_be_visible()
    expect(page.get_by_text("लक्ष्य", exact=True)).to_be_visible()
    shot(page, "overview_hindi")
