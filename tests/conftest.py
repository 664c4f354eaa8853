"""Shared fixtures: an in-memory store, inline file builders and a tiny gazetteer."""

from __future__ import annotations

import contextlib
import csv
import fcntl
import io
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pandas as pd
import pytest

from samiksha import demo, queries, store
from samiksha import ingest as ingest_module
from samiksha.errors import REJECTED, WARNING

ROOT = Path(__file__).resolve().parents[1]
# An unexpected error on a page is said in one line and logged (pages/_shared.unexpected); in the
# tests it is raised again as well, so that AppTest's `at.exception` shows it and the test fails.
os.environ["SAMIKSHA_RAISE_ERRORS"] = "1"

try:  # a page draws in parts, and under a loaded run a part can follow the heading by seconds:
    from playwright.sync_api import expect  # every browser check waits up to 20 s, not Playwright's 5

    expect.set_options(timeout=20_000)
except ImportError:  # the browser tests skip themselves without Playwright
    pass


def cli_env(env_db: Path | None = None, extra_env: dict | None = None) -> dict:
    """The environment of a command as a person runs it: no store or language from this
    shell unless given."""
    env = {k: v for k, v in os.environ.items() if k not in ("SAMIKSHA_DB", "SAMIKSHA_LANG")}
    if env_db is not None:
        env["SAMIKSHA_DB"] = str(env_db)
    env.update(extra_env or {})
    return env


def cli(*args, env_db: Path | None = None, extra_env: dict | None = None,
        timeout: int = 120) -> subprocess.CompletedProcess:
    """`python -m samiksha ARGS` as a person runs it (`cli_env`); a traceback is always a failure."""
    env = cli_env(env_db, extra_env)
    done = subprocess.run([sys.executable, "-m", "samiksha", *map(str, args)], cwd=ROOT, env=env,
                          capture_output=True, text=True, encoding="utf-8", timeout=timeout)
    assert "Traceback" not in done.stdout + done.stderr, done.stderr
    return done


def cli_in_process(*args, env_db: Path | None = None, extra_env: dict | None = None) -> subprocess.CompletedProcess:
    """`cli`, with `samiksha.cli.main(ARGS)` run in this process: the same environment (`cli_env`),
    folder, exit code, stdout and stderr, without a second of starting Python and importing for
    each command. For the tests of what a command does; what only a process of its own shows
    (`python -m samiksha` itself, signals, waiting for a store another process has open, output
    written below Python) is tested through `cli`."""
    from samiksha import cli as command

    argv = [str(arg) for arg in args]
    env = cli_env(env_db, extra_env)
    changed = {key for key in (*env, *os.environ) if env.get(key) != os.environ.get(key)}
    saved = {key: os.environ.get(key) for key in changed}
    folder = os.getcwd()
    out, err = io.StringIO(), io.StringIO()
    # A command draws with a Chromium of its own and closes it at its end (cli.main): this
    # process's own, kept open for the tests that draw, is set aside meanwhile.
    render = sys.modules.get("samiksha.render")
    kept = render.renderer() if render else None
    if render:
        render._RENDERER = render.Renderer()
    try:
        for key in changed:
            if key in env:
                os.environ[key] = env[key]
            else:
                del os.environ[key]
        os.chdir(ROOT)
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            try:
                code = command.main(argv)
            except SystemExit as exc:  # argparse's usage errors (2) and --help (0), as Python exits
                code = exc.code if isinstance(exc.code, int) else int(exc.code is not None)
                if not isinstance(exc.code, int | None):
                    print(exc.code, file=sys.stderr)
    finally:
        if render:
            render._RENDERER = kept
        os.chdir(folder)
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
    done = subprocess.CompletedProcess([sys.executable, "-m", "samiksha", *argv], code, out.getvalue(), err.getvalue())
    assert "Traceback" not in done.stdout + done.stderr, done.stderr
    return done


SHARED = ROOT.parent / "shared"


def pytest_collection_modifyitems(items):
    """The browser tests first (each of them takes seconds to a minute), in their files' order:
    the xdist workers take the long tests while there is much left to share, and end on short
    ones, so that both finish at about the same time."""
    items.sort(key=lambda item: item.get_closest_marker("browser") is None)


@pytest.fixture(scope="session", autouse=True)
def _components_looked_up_once():
    """A served app looks through the installed packages for Streamlit components once, when it
    starts; AppTest does it for every new AppTest (reading each package's metadata: about 0.07 s,
    most of a short page's run). Here too it is done once per test process."""
    from streamlit.components.v2 import manifest_scanner

    scan = manifest_scanner.scan_component_manifests
    found = scan()
    manifest_scanner.scan_component_manifests = lambda *args, **kwargs: list(found)
    yield
    manifest_scanner.scan_component_manifests = scan


@pytest.fixture(autouse=True)
def _pages_through_app_py(monkeypatch):
    """AppTest starts every run afresh in Streamlit's pages-folder mode (there is a pages/ folder),
    which runs a page without app.py; a served app is in that mode only for the first run after
    the server starts (pages/_shared._through_app_py). Here every run goes through app.py, as
    in the served app: its navigation, its error line and its letting go of the store."""
    from streamlit.runtime.pages_manager import PagesManager

    made = PagesManager.__init__

    def through_app_py(self, *args, **kwargs):
        made(self, *args, **kwargs)
        PagesManager.uses_pages_directory = False

    monkeypatch.setattr(PagesManager, "__init__", through_app_py)


# ---------------------------------------------------------------- file builders


def zipped(parts: dict[str, bytes]) -> bytes:
    """A zip (deflated) of {entry name: bytes}."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, body in parts.items():
            archive.writestr(name, body)
    return out.getvalue()


def csv_bytes(rows, encoding: str = "utf-8", sep: str = ",") -> bytes:
    """CSV text (as Excel writes it: quoted where needed, CRLF) from lists of cells."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=sep, lineterminator="\r\n")
    for row in rows:
        writer.writerow(["" if cell is None else cell for cell in row])
    return out.getvalue().encode(encoding)


def xlsx_bytes(rows, merged=(), sheet_title: str = "Sheet1", extra_sheets=None,
               empty_first: str | None = None) -> bytes:
    """An .xlsx workbook built with openpyxl: `rows` on one sheet, `merged` ranges ("A1:E1").

    `extra_sheets` is {title: rows} for sheets after it; `empty_first` puts an empty sheet
    of that name before it.
    """
    import openpyxl

    book = openpyxl.Workbook()
    first = book.active
    if empty_first:
        first.title = empty_first
        sheet = book.create_sheet(sheet_title)
    else:
        first.title = sheet_title
        sheet = first
    for row in rows:
        sheet.append(list(row))
    for cells in merged:
        sheet.merge_cells(cells)
    for title, more in (extra_sheets or {}).items():
        other = book.create_sheet(title)
        for row in more:
            other.append(list(row))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def ingest(con, data: bytes, name: str, **options):
    """Store one file's bytes through the real ingest path; returns the UploadResult."""
    return ingest_module.ingest_file(con.cursor(), data, name, **options)


# ---------------------------------------------------------------- the tiny gazetteer

GAZ_HEADER = ["state_code", "state_name", "district_code", "district_name", "block_code",
              "block_name", "block_name_hi", "panchayat_code", "panchayat_name", "panchayat_name_hi"]
DISTRICT_CODE = "230"
# block code -> (English, Hindi); LGD lists are in capitals.
BLOCKS = {
    "2001": ("KUSHESHWAR ASTHAN", "कुशेश्वर स्थान"),
    "2002": ("KUSHESHWAR ASTHAN PURBI", "कुशेश्वर स्थान पूर्वी"),
    "2003": ("BARURAJ (MOTIPUR)", "बरुराज (मोतीपुर)"),
    "2004": ("GORA BAURAM", "गौड़ा बौराम"),
    "2005": ("MUSAHARI", "मुशहरी"),
}
# panchayat code -> (block code, English, Hindi)
PANCHAYATS = {
    "300101": ("2001", "Ujwa", "उजवा"),
    "300102": ("2001", "Itahar", "इटहर"),
    "300201": ("2002", "Tilkeshwar", "तिलकेश्वर"),
    "300202": ("2002", "Ujwa", "उजवा"),  # the same name in another block
    "300301": ("2003", "Motipur", "मोतीपुर"),
    "300401": ("2004", "Bauram", "बौराम"),
    "300501": ("2005", "Panchayat 5", "पंचायत 5"),
    "300502": ("2005", "Panchayat 6", "पंचायत 6"),
}


def gazetteer_rows() -> list[list[str]]:
    rows = [GAZ_HEADER]
    for code, (block_code, name, name_hi) in PANCHAYATS.items():
        block_name, block_hi = BLOCKS[block_code]
        rows.append(["10", "BIHAR", DISTRICT_CODE, "DARBHANGA", block_code, block_name, block_hi,
                     code, name, name_hi])
    return rows


def gazetteer_bytes() -> bytes:
    return csv_bytes(gazetteer_rows())


# ---------------------------------------------------------------- fixtures


@pytest.fixture
def con():
    """A fresh, migrated in-memory store."""
    connection = store.open_store(store.MEMORY)
    yield connection
    connection.close()


@pytest.fixture
def gazetteer(con):
    """The tiny gazetteer stored in `con` (kind gazetteer); returns the UploadResult."""
    result = ingest(con, gazetteer_bytes(), "lgd_darbhanga.csv", kind="gazetteer")
    assert result.status == "stored", result.refusal
    return result


@pytest.fixture
def shared_realdata() -> Path:
    path = SHARED / "realdata"
    if not path.is_dir():
        pytest.skip("../shared/realdata not present")
    return path


# ---------------------------------------------------------------- reading figures back (regression tests)

IND = "ayushman_cards"


def _plain(value):
    """Query cells as plain Python: NaN/NA -> None, whole floats -> int."""
    if value is None:
        return None
    try:
        if pd.isna(value):
            return None
    except (TypeError, ValueError):
        pass
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if hasattr(value, "item"):  # numpy scalars
        return _plain(value.item())
    if isinstance(value, pd.Timestamp):
        return value.date()
    return value


def run(con, name: str, **params) -> list[dict]:
    frame = queries.run(con, name, **params)
    return [{k: _plain(v) for k, v in row.items()} for row in frame.to_dict("records")]


def bp(con, as_of: str, indicator: str = IND) -> dict:
    """block_progress as {block: (target, achieved)}."""
    return {r["block"]: (r["target"], r["achieved"])
            for r in run(con, "block_progress", indicator=indicator, as_of=as_of)}


def bp_today(con, as_of: str, indicator: str = IND) -> dict:
    """block_progress as {block: achieved_today}."""
    return {r["block"]: r["achieved_today"] for r in run(con, "block_progress", indicator=indicator, as_of=as_of)}


def summary(con, as_of: str, indicator: str = IND) -> tuple:
    """district_summary as (target, achieved, achieved_today)."""
    rows = run(con, "district_summary", indicator=indicator, as_of=as_of)
    assert len(rows) == 1
    return rows[0]["target"], rows[0]["achieved"], rows[0]["achieved_today"]


def summary_row(con, as_of: str, indicator: str = IND) -> dict:
    rows = run(con, "district_summary", indicator=indicator, as_of=as_of)
    assert len(rows) == 1
    return rows[0]


def stored(con, data: bytes, name: str = "report.csv", **options):
    result = ingest(con, data, name, **options)
    assert result.status == "stored", result.refusal and result.refusal.text()
    return result


def refusal_code(con, data: bytes, name: str, **options) -> str:
    result = ingest(con, data, name, **options)
    assert result.status == "refused", f"{name} was {result.status}, not refused"
    assert result.upload_id is None
    return result.refusal.code


def issues(con, result, severity=None) -> list:
    return [i for i in ingest_module.upload_issues(con, result.upload_id)
            if severity is None or i.severity == severity]


def rejected(con, result) -> list[tuple]:
    return [(i.code, i.row, i.column, i.value) for i in issues(con, result, REJECTED)]


def warning_codes(con, result) -> list[str]:
    return [i.code for i in issues(con, result, WARNING)]


def note_codes(result) -> list[str]:
    return [n.code for n in result.staged.read_notes]


def store_is_empty(con) -> bool:
    return (store.scalar(con, "SELECT count(*) FROM uploads") == 0
            and store.scalar(con, "SELECT count(*) FROM progress") == 0
            and store.scalar(con, "SELECT count(*) FROM upload_issues") == 0)


# ---------------------------------------------------------------- the demo store (built once per run)


def copy_store(source: Path, target: Path) -> Path:
    shutil.copy(source, target)
    files = store.files_dir(str(source))
    if files and files.is_dir():
        shutil.copytree(files, store.files_dir(str(target)))
    return target


def _shared_root(tmp_path_factory) -> Path:
    """One folder for the whole run, shared by the xdist workers."""
    base = tmp_path_factory.getbasetemp()
    return base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base


def demo_file(tmp_path_factory) -> Path:
    """The demo district in a store file, loaded once per run (the xdist workers share it):
    in memory, which is fast, then copied to the file. Copy it before changing it."""
    root = _shared_root(tmp_path_factory)
    path = root / "pages_demo.duckdb"
    with open(root / "pages_demo.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not path.exists():
            building = root / "pages_demo_building.duckdb"
            building.unlink(missing_ok=True)  # left by a build that failed
            con = store.open_store(store.MEMORY)
            demo.load(con)
            con.execute(f"ATTACH '{building}' AS built")
            con.execute("COPY FROM DATABASE memory TO built")
            con.execute("DETACH built")
            con.close()
            building.rename(path)
    return path


@pytest.fixture(scope="session")
def demo_master(tmp_path_factory) -> Path:
    return demo_file(tmp_path_factory)


@pytest.fixture
def demo_store(demo_master, tmp_path, monkeypatch) -> Path:
    path = copy_store(demo_master, tmp_path / "demo.duckdb")
    monkeypatch.setenv("SAMIKSHA_DB", str(path))
    return path
