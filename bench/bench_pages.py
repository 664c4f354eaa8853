"""Query and page render speed on a statewide store (run by `make bench`, after bench_ingest.py).

The store (bench/statewide.py: 534 blocks, about 8,200 panchayats, 90 days of two indicators,
some blocks split by channel; one lakh workers and 30 days of their output) is built once and
cached under bench/.cache/. This script works on a copy of it, into which the panchayat
boundaries of bench_map.py (cached there too) are first stored, so that the Map page draws
the statewide panchayat map; it prints one table, all in the same process and run:
  baseline: bare DuckDB, `SELECT block, sum(achieved) FROM progress GROUP BY block`;
  query:    each named query in queries/*.sql via samiksha.queries.run (indicator
            ayushman_cards, as_of the latest date with data, district the gazetteer's first
            district (by code), block that district's first block with data, report_date
            as_of, from_date as_of - 2, to_date as_of, level panchayat); a query with optional parameters
            also runs with them all left out (for `district`: the whole state), and one whose
            optional parameters are `district` and others also with the district alone;
  page:     each page listed in app.py (st.Page("pages/...")), rendered server side with
            streamlit's AppTest in a fresh session: a first run switched to the page (the
            warm-up; the first page also opens the store), then the timed runs. A page whose
            timed runs add up to BENCH_PAGE_BUDGET seconds (default 20) stops early, after at
            least one (the note says how many). The target is under 1 s a page; a page that
            raised an exception is marked "?" (its time is not a whole render).
Times are the median (and max) of BENCH_RUNS (default 5) runs after one warm-up, wall clock;
a query whose runs add up to BENCH_QUERY_BUDGET seconds (default 10) stops after three.
"x base" is the median over the baseline's. Last: the peak memory (max RSS) of the process
and the load average, since other work on the machine inflates every time.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
import bench_map  # noqa: E402
import statewide  # noqa: E402

from samiksha import ingest, queries, store  # noqa: E402

RUNS = int(os.environ.get("BENCH_RUNS", "5"))
QUERY_BUDGET_S = float(os.environ.get("BENCH_QUERY_BUDGET", "10"))
PAGE_BUDGET_S = float(os.environ.get("BENCH_PAGE_BUDGET", "20"))
TARGET_S = 1.0
# The bars: a page warm, a page's first render after an upload, a query from the command line.
TARGETS = {"page": TARGET_S, "after": 3.0, "cli": 1.0}
INDICATOR = "ayushman_cards"
BASELINE_SQL = "SELECT block, sum(achieved) AS achieved FROM progress GROUP BY block"
PAGE_PATTERN = re.compile(r"""\(\s*["'](pages/[^"']+\.py)["']""")


def timed(call, budget: float = float("inf"), at_least: int = RUNS) -> list[float]:
    """Wall times of RUNS calls after one warm-up call; fewer (never under `at_least`) once
    they add up to `budget` seconds."""
    call()
    times: list[float] = []
    while len(times) < RUNS and (len(times) < at_least or sum(times) < budget):
        started = time.perf_counter()
        call()
        times.append(time.perf_counter() - started)
    return times


def query_values(con) -> dict:
    """The parameter values: `district` the gazetteer's first district (by code) when it has
    districts, `block` that district's first block with data (else the first block)."""
    as_of = queries.latest_date(con, INDICATOR)
    district = store.scalar(con, "SELECT min(code) FROM places_current WHERE level = 'district'")
    block = store.scalar(con, "SELECT min(p.block) FROM progress_current p JOIN places_current b "
                              "ON b.level = 'block' AND b.code = p.block_code "
                              "WHERE p.indicator = ? AND b.parent_code = ?", [INDICATOR, district])
    if block is None:
        block = store.scalar(con, "SELECT min(block) FROM progress_current WHERE indicator = ?", [INDICATOR])
    values = {"indicator": INDICATOR, "as_of": as_of, "block": block, "report_date": as_of, "date": as_of,
              "from_date": as_of - dt.timedelta(days=2), "to_date": as_of, "level": "panchayat"}
    if district is not None:
        values["district"] = district
    return values


def query_cases(values: dict) -> list[tuple[str, str, dict | None, str]]:
    """(label, query, params or None when it cannot run, note) for each query in queries/."""
    cases = []
    for name in queries.names():
        query = queries.load(name)
        unknown = [p for p in query.params if p not in values and p not in query.optional]
        if unknown:
            cases.append((name, name, None, "skipped: no value for " + ", ".join(unknown)))
            continue
        given = {p: values[p] for p in query.params if p in values}
        shown = ", ".join(f"{p}={given[p]}" for p in query.params if p in given and p not in ("indicator", "as_of"))
        cases.append((name, name, given, shown))
        left_out = [p for p in query.optional if p in given]
        others = [p for p in left_out if p != "district"]
        if "district" in left_out and others:  # one district of the state's store, as its page shows it
            cases.append((f"{name} (district only)", name, {p: v for p, v in given.items() if p not in others},
                          f"district={given['district']}; {', '.join(others)} left out"))
        if left_out:
            cases.append((f"{name} (no {', '.join(left_out)})", name,
                          {p: v for p, v in given.items() if p not in left_out},
                          "optional left out" + ("; the whole state" if "district" in left_out else "")))
    return cases


def discover_pages() -> list[str]:
    return PAGE_PATTERN.findall((ROOT / "app.py").read_text(encoding="utf-8"))


def render_page(page: str, upload=None) -> dict:
    """A fresh session opened on the page (its first run, which warms it up), then the timed runs;
    then, with `upload` (a call that stores a new report and returns its seconds), the page's
    first run after it in the same session ("after": the upload's seconds and the render's).

    Timed runs stop early, after at least one, once they add up to PAGE_BUDGET_S: a page
    that takes many seconds is far from the target either way, and the bench stays short.
    """
    import streamlit.logger
    from streamlit.testing.v1 import AppTest

    streamlit.logger.set_log_level("CRITICAL")  # the page's exceptions are printed under the table
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    problems: list[str] = []
    errors: list[str] = []

    def run() -> float:
        started = time.perf_counter()
        at.run()
        seconds = time.perf_counter() - started
        for exc in at.exception:
            text = f"{exc.value}\n      " + "\n      ".join(line.rstrip() for line in exc.stack_trace[-6:])
            if text not in problems:
                problems.append(text)
        for err in at.error:
            if err.value not in errors:
                errors.append(err.value)
        return seconds

    try:
        # Before the first run a page is found by its file name (st.Page's default url_path), so
        # the first run is on the page itself, not on the default page; switching again after it
        # finds the page by the navigation's own registry.
        at.switch_page(page)
        first = run()
        wanted = at._resolve_page_hash(page)
        if at._finished_page_script_hash != wanted:  # a custom url_path: the first run was elsewhere
            problems.clear()
            errors.clear()
            at.switch_page(page)
            run()
        times: list[float] = []
        while len(times) < RUNS and (not times or sum(times) < PAGE_BUDGET_S):
            times.append(run())  # the first run on the page was its warm-up
        after = None
        if upload is not None:
            stored_s = upload()
            after = (stored_s, run())
    except Exception as exc:  # a timeout or a failure of the test harness: reported, not fatal
        return {"times": [], "first": None, "problems": [f"{type(exc).__name__}: {exc}"], "errors": errors,
                "title": "", "after": None}
    titles = [t.value for t in at.title]
    return {"times": times, "first": first, "problems": problems, "errors": errors,
            "title": titles[0] if titles else "", "after": after}


class BlockReports:
    """One block's daily panchayat-wise report, a day later each time: stored as the Upload page
    stores it (ingest, then the caches brought up to date), through a connection of its own."""

    def __init__(self, path: Path, values: dict) -> None:
        self.path = path
        con = store.open_store(str(path))
        self.block = values["block"]
        self.panchayats = [row[0] for row in con.execute(
            "SELECT DISTINCT panchayat FROM progress_current WHERE indicator = ? AND block = ? "
            "AND panchayat IS NOT NULL ORDER BY 1", [INDICATOR, self.block]).fetchall()]
        self.day = store.scalar(con, "SELECT max(report_date) FROM progress WHERE indicator = ?", [INDICATOR])
        self.achieved = store.scalar(con, "SELECT max(achieved) FROM progress WHERE indicator = ? AND block = ?",
                                     [INDICATOR, self.block]) or 0
        con.close()
        self.times: list[tuple[float, float]] = []  # (ingest, caches) of each report

    def __call__(self) -> float:
        self.day += dt.timedelta(days=1)
        self.achieved += 50
        rows = [f"Ayushman card panchayat-wise report of {self.block} dated {self.day:%d.%m.%Y}",
                "Block,Panchayat,Target,Achieved Today,Cumulative Achieved"]
        rows += [f"{self.block},{name},5000,10,{self.achieved + n}" for n, name in enumerate(self.panchayats)]
        data = ("\n".join(rows) + "\n").encode()
        started = time.perf_counter()
        con = store.open_store(str(self.path))
        try:
            result = ingest.ingest_file(con.cursor(), data, f"block_{self.day:%Y%m%d}.csv", indicator=INDICATOR)
            if not result.ok:
                raise RuntimeError(f"block report refused: {result.refusal.code} {result.refusal.params}")
            stored = time.perf_counter()
            store.refresh_caches(con)
            self.times.append((stored - started, time.perf_counter() - stored))
        finally:
            con.close()
        return time.perf_counter() - started


def whole_refresh_s(path: Path) -> float:
    """The series of the whole store worked out again (as every upload did before they were
    worked out in place): the baseline of the refresh after one block's report."""
    con = store.open_store(str(path))
    try:
        store.names_changed(con)
        started = time.perf_counter()
        store.refresh_series(con)
        return time.perf_counter() - started
    finally:
        con.close()


def cli_times(args: list[str], runs: int = 3) -> list[float]:
    """Wall times of `python -m samiksha ARGS` in fresh processes (the process included)."""
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        done = subprocess.run([sys.executable, "-m", "samiksha", *args], cwd=ROOT, capture_output=True, text=True)
        times.append(time.perf_counter() - started)
        if done.returncode:
            raise RuntimeError(f"{' '.join(args[:2])}: exit {done.returncode}: {done.stderr.strip()[:200]}")
    return times


BARE_PROCESS = ("import duckdb, sys; con = duckdb.connect(sys.argv[1], read_only=True); "
                "con.execute('SELECT block, sum(achieved) FROM progress GROUP BY block').fetchall()")


def bare_process_times(path: Path, runs: int = 3) -> list[float]:
    """The baseline of a command: a fresh Python process that opens the store with bare DuckDB
    and sums achieved by block."""
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        subprocess.run([sys.executable, "-c", BARE_PROCESS, str(path)], check=True, capture_output=True)
        times.append(time.perf_counter() - started)
    return times


def main() -> None:
    started = time.perf_counter()
    load_start = os.getloadavg()[0]
    path, info = statewide.cached_store()
    build = ("cached" if info["cached"] else f"built in {info['build_s']:.1f} s") + \
        f" (generate {info['generate_s']} s, ingest {info['ingest_s']} s)"
    print(f"statewide store: {info['districts']} districts, {info['blocks']} blocks, {info['panchayats']:,} "
          f"panchayats, {info['progress_rows']:,} progress rows ({info['channel_rows']:,} by channel), "
          f"{info['first_date']} to {info['last_date']}, {info['store_mib']} MiB; {build}")

    rows = []  # (kind, what, times, note)
    with tempfile.TemporaryDirectory(prefix="samiksha_bench_pages_") as tmp:
        copy = Path(tmp) / "statewide.duckdb"
        shutil.copyfile(path, copy)

        con = store.open_store(str(copy))  # read-write: views refreshed to the current definitions
        geojson, shape_info = bench_map.cached_boundaries(statewide.cache_key())
        begun = time.perf_counter()
        shapes = ingest.ingest_file(con.cursor(), geojson.read_bytes(), "bihar_panchayats.geojson", kind="boundaries",
                                    level=bench_map.LEVEL_CHOSEN)
        if not shapes.ok:
            raise SystemExit(f"boundary file refused: {shapes.refusal.code} {shapes.refusal.params}")
        print(f"boundaries: {shape_info['panchayats']:,} panchayat polygons stored in {time.perf_counter() - begun:.1f} s "
              f"({'cached' if shape_info['cached'] else 'generated'}; for the Map page)")
        base = timed(lambda: con.execute(BASELINE_SQL).df())
        base_median = statistics.median(base)
        rows.append(("baseline", "bare duckdb: sum(achieved) of progress by block", base, BASELINE_SQL))
        values = query_values(con)
        print(f"parameters: indicator={values['indicator']}, as_of={values['as_of']}, "
              f"district={values.get('district')}, block={values['block']}, "
              f"from_date={values['from_date']}, to_date={values['to_date']}; {RUNS} runs after one warm-up")
        for label, name, params, note in query_cases(values):
            if params is None:
                rows.append(("query", label, [], note))
                continue
            try:
                frames: list = []
                times = timed(lambda name=name, params=params, frames=frames:
                              frames.append(queries.run(con, name, **params)), QUERY_BUDGET_S, 3)
                runs = f"{len(times)} runs; " if len(times) < RUNS else ""
                rows.append(("query", label, times, f"{runs}{len(frames[-1]):,} rows" + (f"; {note}" if note else "")))
            except Exception as exc:
                rows.append(("query", label, [], f"FAILED {type(exc).__name__}: {_error_text(exc)}"))
        con.close()

        # The four queries a script or another tool asks for, from the command line: a fresh
        # process each time (Python, the store's opening, the query, the CSV), against a fresh
        # process of bare DuckDB summing achieved by block.
        bare = bare_process_times(copy)
        rows.append(("cli-baseline", "bare DuckDB in a fresh Python process", bare, BARE_PROCESS))
        common = ["--db", str(copy), "--param", f"as_of={values['as_of']}"]
        cli_cases = {"block_progress": ["--param", f"indicator={INDICATOR}"],
                     "district_summary": ["--param", f"indicator={INDICATOR}"],
                     "reporting_status": ["--param", f"indicator={INDICATOR}", "--param",
                                          f"report_date={values['as_of']}"]}
        for name, extra in cli_cases.items():
            args = ["query", name, *common, *extra]
            if name == "reporting_status":
                args = ["query", name, "--db", str(copy), *extra]
            try:
                rows.append(("cli", f"python -m samiksha query {name}", cli_times(args), "the whole state"))
            except RuntimeError as exc:
                rows.append(("cli", f"python -m samiksha query {name}", [], f"FAILED {exc}"))
        reports = BlockReports(copy, values)
        reports()
        try:
            rows.append(("cli", "query block_progress, first after an upload", cli_times(
                ["query", "block_progress", "--db", str(copy), "--param", f"indicator={INDICATOR}",
                 "--param", f"as_of={reports.day}"], runs=1), f"one block's report of {reports.day} just stored"))
        except RuntimeError as exc:
            rows.append(("cli", "query block_progress, first after an upload", [], f"FAILED {exc}"))

        os.environ["SAMIKSHA_DB"] = str(copy)
        page_problems = []
        for page in discover_pages():
            result = render_page(page, upload=reports)
            if result.get("after"):
                stored_s, render_s = result["after"]
                rows.append(("after", page, [render_s], f"the upload before it: {stored_s:.2f} s (ingest "
                             f"{reports.times[-1][0]:.2f} s, caches {reports.times[-1][1]:.2f} s)"))
            if result["times"]:
                status = "ok" if not result["problems"] else "EXCEPTION"
                runs = len(result["times"])
                note = (f"{status}; first run {result['first']:.2f} s; " + (f"{runs} runs; " if runs < RUNS else "")
                        + f"title “{result['title'][:40]}”")
            else:
                note = "FAILED"
            if result["errors"]:
                note += f"; {len(result['errors'])} st.error"
            rows.append(("page", page, result["times"], note))
            page_problems += [(page, "exception", p) for p in result["problems"]]
            page_problems += [(page, "st.error", e) for e in result["errors"]]

        in_place = [caches for _, caches in reports.times]
        whole = [whole_refresh_s(copy) for _ in range(2)]
        rows.append(("refresh", f"caches after one block's report ({len(in_place)} reports)", in_place,
                     f"the series it touched worked out again; baseline: every series of the state "
                     f"(median {statistics.median(whole):.2f} s)"))
        refresh_base = statistics.median(whole)

    peak_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    load_end = os.getloadavg()[0]
    cli_base = next((statistics.median(times) for kind, _, times, _ in rows if kind == "cli-baseline"), None)
    print_table(rows, base_median, peak_mib, {"cli": cli_base, "cli-baseline": cli_base, "refresh": refresh_base})
    print(f"load average (1 min) at start {load_start:.1f}, at end {load_end:.1f} on {os.cpu_count()} cores"
          + ("  — other work was running: times are inflated" if max(load_start, load_end) > 1.5 * os.cpu_count()
             else ""))
    for page, kind, text in page_problems:
        print(f"{page} {kind}: {text}")
    summary = {label: round(statistics.median(times), 3) for _, label, times, _ in rows if times}
    over = [label for kind, label, times, _ in rows if kind == "page" and times and statistics.median(times) >= TARGET_S]
    detail = [{"kind": kind, "what": label, "median_s": round(statistics.median(times), 4) if times else None,
               "max_s": round(max(times), 4) if times else None, "runs": len(times), "note": note,
               "met": (None if kind not in TARGETS or not times else "?" if "EXCEPTION" in note or "FAILED" in note
                       else statistics.median(times) <= TARGETS[kind])}
              for kind, label, times, note in rows]
    print(json.dumps({"baseline_s": round(base_median, 3), "baseline_sql": BASELINE_SQL, "rows": detail,
                      "cli_baseline_s": cli_base and round(cli_base, 3), "refresh_baseline_s": round(refresh_base, 3),
                      "params": {k: str(v) for k, v in values.items()},
                      "page_problems": [[page, kind, text.splitlines()[0][:200]] for page, kind, text in page_problems],
                      "medians_s": summary, "pages_over_1s": over,
                      "peak_rss_mib": round(peak_mib), "load_avg": [round(load_start, 1), round(load_end, 1)],
                      "bench_s": round(time.perf_counter() - started, 1)},
                     ensure_ascii=False))


def _error_text(exc: Exception) -> str:
    issue = getattr(exc, "issue", None)
    if issue is not None:
        return f"{issue.code} {issue.params}"
    return str(exc).splitlines()[0][:160]


def print_table(rows, base_median: float, peak_mib: float, bases: dict | None = None) -> None:
    """Each row against its baseline (`bases` by kind; else bare DuckDB's sum by block) and its
    bar (TARGETS by kind)."""
    bases = bases or {}
    width = max(len(what) for _, what, _, _ in rows) + 2
    header = f"{'':12} {'what':{width}} {'median s':>9} {'max s':>7} {'x base':>7} {'bar':>6} {'met':>4}  note"
    print(header)
    print("-" * len(header))
    for kind, what, times, note in rows:
        if times:
            median = statistics.median(times)
            base = bases.get(kind) or base_median
            bar = f"{TARGETS[kind]:g} s" if kind in TARGETS else "—"
            met = ("yes" if median <= TARGETS[kind] else "NO") if kind in TARGETS else "—"
            met = "?" if "EXCEPTION" in note or "FAILED" in note else met  # cut short: not a render time
            print(f"{kind:12} {what:{width}} {median:9.3f} {max(times):7.3f} {median / base:6.1f}x "
                  f"{bar:>6} {met:>4}  {note}")
        else:
            print(f"{kind:12} {what:{width}} {'—':>9} {'—':>7} {'—':>7} {'—':>6} {'—':>4}  {note}")
    print(f"{'memory':12} {'peak RSS of this process':{width}} {peak_mib:8.0f} MiB")


if __name__ == "__main__":
    main()
