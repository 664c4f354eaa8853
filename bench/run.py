"""`make bench`: every part of the statewide benchmark, each in a fresh process, and one table.

Parts, in order (each a script of its own in bench/, which prints its own detailed table and a
JSON last line; the whole output of each is kept in bench/.cache/<part>.log):
  store      statewide.py        the Bihar-sized store (38 districts, 534 blocks, about 8,200
                                 panchayats, 90 days of two indicators, one lakh workers and
                                 their output), built and cached, or reused;
  ingest     bench_ingest.py     a 1-million-row progress CSV: Samiksha's ingest against bare DuckDB;
  workers    bench_workers.py    one lakh workers' rosters and 30 days of their output: the same;
  reference  bench_reference.py  the statewide progress files: bare DuckDB, the plain-pandas
                                 read-and-aggregate, Samiksha's ingest + block_progress;
  pages      bench_pages.py      each named query (with and without `district`) and each page's
                                 server-side render, on the statewide store;
  shg        bench_shg.py        11.3 lakh SHGs: ingest against bare DuckDB, the SHG queries and page;
  households bench_households.py 2 crore surveyed households: ingest against bare DuckDB, the household
                                 queries for one district;
  map        bench_map.py        the panchayat and block maps: payload and draw time in Chromium;
  images     bench_images.py     chart images and the review brief.
Then one table, a row per measured thing: part, what, value, baseline, ratio (value over
baseline, both measured in the same run), target, met (yes / NO / — when there is no target,
? when the measurement is not a whole one), note; then each part's time, exit status, peak
memory (the largest process of the part: its own or a child's max RSS) and the load average
(1 min) over the part, since this machine is shared and other work inflates every time.

Run: python bench/run.py [PART ...]   (default: every part; BENCH_PARTS=a,b does the same)
Quick mode for development: BENCH_QUICK=1 (small sizes: BENCH_DAYS, BENCH_ROWS, BENCH_SHG_ROWS,
BENCH_WORKERS, BENCH_WORKER_DAYS, one repeat; any of them set explicitly wins).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"
CACHE_DIR = BENCH / ".cache"

PARTS = {
    "store": "statewide.py",
    "ingest": "bench_ingest.py",
    "workers": "bench_workers.py",
    "reference": "bench_reference.py",
    "pages": "bench_pages.py",
    "shg": "bench_shg.py",
    "households": "bench_households.py",
    "map": "bench_map.py",
    "images": "bench_images.py",
}
QUICK = {  # small sizes for development; a full run takes many minutes
    "BENCH_DAYS": "20", "BENCH_ROWS": "100000", "BENCH_SHG_ROWS": "50000", "BENCH_HOUSEHOLD_ROWS": "50000", "BENCH_WORKERS": "10000",
    "BENCH_WORKER_DAYS": "10", "BENCH_REPEATS": "1", "BENCH_RUNS": "2", "BENCH_DRAW_RUNS": "1",
    "BENCH_PAGE_BUDGET": "5", "BENCH_QUERY_BUDGET": "3",
}
# The bars of issue 20: ingest within 2.5x bare DuckDB, peak memory within 1 GB, a page warm
# within 1 s, its first render after an upload within 3 s, a query from the command line within 1 s.
RATIO_TARGET, MEMORY_TARGET_MIB, PAGE_TARGET_S, AFTER_TARGET_S, CLI_TARGET_S = 2.5, 1024, 1.0, 3.0, 1.0
WHAT_WIDTH = 52
PART_TIMEOUT_S = float(os.environ.get("BENCH_PART_TIMEOUT", "5400"))


# --- running the parts ----------------------------------------------------------------------

class LoadSampler(threading.Thread):
    """The 1-minute load average every few seconds while a part runs."""

    def __init__(self) -> None:
        super().__init__(daemon=True)
        self.samples = [os.getloadavg()[0]]
        self.stop = threading.Event()

    def run(self) -> None:
        while not self.stop.wait(5):
            self.samples.append(os.getloadavg()[0])


def run_part(name: str, env: dict) -> dict:
    """The part's script in a fresh process, its output into bench/.cache/<name>.log."""
    log = CACHE_DIR / f"{name}.log"
    sampler = LoadSampler()
    sampler.start()
    started = time.perf_counter()
    with log.open("w", encoding="utf-8") as out:
        out.write(f"# {name}: {PARTS[name]}, started {dt.datetime.now():%Y-%m-%d %H:%M:%S}\n")
        out.flush()
        proc = subprocess.Popen([sys.executable, str(BENCH / PARTS[name])], cwd=ROOT, stdout=out,
                                stderr=subprocess.STDOUT, env=env, start_new_session=True)
        timed_out = threading.Event()

        def stop_part() -> None:  # this part's own process group (it was started here), not a broad name
            timed_out.set()
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGKILL)

        timer = threading.Timer(PART_TIMEOUT_S, stop_part)
        timer.start()
        try:
            _, status, usage = os.wait4(proc.pid, 0)  # its rusage: max RSS of it or its largest child
        finally:
            timer.cancel()
        proc.returncode = os.waitstatus_to_exitcode(status)
    sampler.stop.set()
    sampler.join()
    sampler.samples.append(os.getloadavg()[0])
    seconds = time.perf_counter() - started
    text = log.read_text(encoding="utf-8", errors="replace")
    summary = None
    for line in reversed(text.splitlines()):
        if line.startswith("{"):
            try:
                summary = json.loads(line)
                break
            except json.JSONDecodeError:
                continue
    tail = [line for line in text.splitlines() if line.strip()][-1:] or [""]
    return {"name": name, "seconds": seconds, "exit": proc.returncode, "timed_out": timed_out.is_set(),
            "peak_mib": usage.ru_maxrss / 1024, "load": sampler.samples, "summary": summary,
            "log": log, "tail": tail[0][:160]}


# --- the table ------------------------------------------------------------------------------

def secs(value) -> str:
    if value is None:
        return "—"
    return f"{value:.3f} s" if value < 10 else f"{value:.1f} s"


def mib(value) -> str:
    return "—" if value is None else f"{value:,.0f} MiB"


def ratio(value, base) -> str:
    if value is None or not base:
        return "—"
    return f"{value / base:.2f}x"


def verdict(ok) -> str:
    return "—" if ok is None else ("?" if ok == "?" else ("yes" if ok else "NO"))


class Table:
    def __init__(self) -> None:
        self.rows: list[tuple[str, ...]] = []

    def add(self, part, what, value, baseline="—", ratio_="—", target="—", met=None, note="") -> None:
        if len(what) > WHAT_WIDTH and " (" in what:  # a long name's parenthesis goes to the note
            what, aside = what.split(" (", 1)
            note = f"({aside}; {note}" if note else f"({aside}"
        self.rows.append((part, what, value, baseline, ratio_, target, verdict(met), note))

    def ingest(self, part, what, value_s, base_s, note="") -> None:
        """An ingest time against bare DuckDB: target within RATIO_TARGET."""
        ok = None if value_s is None or not base_s else value_s / base_s <= RATIO_TARGET
        self.add(part, what, secs(value_s), secs(base_s), ratio(value_s, base_s), f"<= {RATIO_TARGET}x base", ok,
                 note)

    def memory(self, part, what, value_mib, base_mib, note="") -> None:
        """An ingest process's peak memory: target within 1 GB."""
        ok = None if value_mib is None else value_mib <= MEMORY_TARGET_MIB
        self.add(part, what, mib(value_mib), mib(base_mib), ratio(value_mib, base_mib), "<= 1 GB", ok, note)

    def print(self) -> None:
        header = ("part", "what", "value", "baseline", "ratio", "target", "met", "note")
        widths = [max(len(r[i]) for r in [header, *self.rows]) for i in range(7)]
        line = "  ".join(f"{h:{w}}" if i < 2 or i > 4 else f"{h:>{w}}" for i, (h, w) in enumerate(zip(header, widths)))
        print(line + "  note")
        print("-" * (len(line) + 6))
        for row in self.rows:
            cells = [f"{c:{w}}" if i < 2 or i > 4 else f"{c:>{w}}" for i, (c, w) in enumerate(zip(row, widths))]
            print("  ".join(cells) + "  " + row[7])


def rows_store(t: Table, s: dict) -> None:
    built = not s.get("cached")
    t.add("store", "statewide store", f"{s['store_mib']} MiB", note=(
        f"{s['districts']} districts, {s['blocks']} blocks, {s['panchayats']:,} panchayats; {s['progress_rows']:,} "
        f"progress rows ({s['first_date']} to {s['last_date']}), {s.get('workers', 0):,} workers, "
        f"{s.get('worker_output_rows', 0):,} output rows; {s['rows_rejected']} rejected, {s['unmatched_names']} unmatched"))
    when = "built in this run" if built else "cached: figures from when it was built"
    by_kind = ", ".join(f"{k} {v} s" for k, v in s.get("ingest_by_kind_s", {}).items())
    t.add("store", f"build: ingest of {sum(s['files'].values())} files", secs(s["ingest_s"]),
          note=f"{when}; {s['file_mib']} MiB; {by_kind}")
    if "build_peak_rss_mib" in s:
        t.memory("store", "build: peak memory", s["build_peak_rss_mib"], None, when)


def rows_ingest(t: Table, s: dict) -> None:
    what = f"progress CSV, {s['rows']:,} rows" + (f" ({s['mib']} MiB)" if "mib" in s else "")
    t.ingest("ingest", what, s["samiksha_s"], s["duckdb_s"],
             f"Samiksha ingest_file vs bare DuckDB read_csv; median of {s.get('repeats', '?')}, fresh processes")
    t.memory("ingest", "progress CSV: peak memory", s.get("samiksha_mib"), s.get("duckdb_mib"),
             "max RSS of the ingest process vs DuckDB's")


def rows_workers(t: Table, s: dict) -> None:
    n = s["files"] // 2
    t.ingest("workers", f"rosters: {n} files, {s['workers']:,} workers", s["roster"]["samiksha_s"],
             s["roster"]["duckdb_s"], f"median of {s['repeats']}, fresh processes; each file into its own table (DuckDB)")
    t.ingest("workers", f"output: {n} files, {s['output_rows']:,} rows", s["output"]["samiksha_s"],
             s["output"]["duckdb_s"], "cards per worker per day, dd.mm.yyyy")
    t.ingest("workers", f"rosters + output ({s['mib']} MiB)", s["both"]["samiksha_s"], s["both"]["duckdb_s"],
             "worker queries and the Workers page: see part pages")
    if "one_row" in s:
        one = s["one_row"]
        t.add("workers", "a one-row roster + a one-row output file", secs(one["samiksha_s"]), secs(one["duckdb_s"]),
              ratio(one["samiksha_s"], one["duckdb_s"]), note=(
                  f"the fixed cost of a file, whatever its size: x {n} of each = "
                  f"{one['samiksha_s'] * n:.1f} s of the {s['both']['samiksha_s']} s above"))
    t.memory("workers", "rosters + output: peak memory", s["samiksha_mib"], s["duckdb_mib"],
             f"warnings: {s['issues']}" if s.get("issues") else "")


def rows_reference(t: Table, s: dict) -> None:
    files = f"{s['mib']} MiB, {s['progress_rows']:,} progress rows, {s['days']} days"
    t.ingest("reference", f"Samiksha ingest of {s['files']} statewide files", s["samiksha_ingest_s"], s["duckdb_s"],
             f"{files}: gazetteer, targets, progress; median of {s['repeats']}, fresh processes")
    t.memory("reference", "Samiksha ingest: peak memory", s["samiksha_mib"], s["duckdb_mib"],
             "incl. block_progress of both indicators")
    t.add("reference", "pandas read + aggregate vs bare DuckDB", secs(s["pandas_s"]), secs(s["duckdb_s"]),
          ratio(s["pandas_s"], s["duckdb_s"]), note=f"read {s['pandas_read_s']} s, aggregate {s['pandas_aggregate_s']} s "
          "(block target/achieved/% at the last date, both indicators)")
    t.add("reference", "pandas vs Samiksha ingest + block_progress", secs(s["pandas_s"]), secs(s["samiksha_s"]),
          ratio(s["pandas_s"], s["samiksha_s"]),
          note=f"Samiksha: ingest {s['samiksha_ingest_s']} s + block_progress {s['samiksha_query_s']} s")
    t.add("reference", "pandas: peak memory vs bare DuckDB", mib(s["pandas_mib"]), mib(s["duckdb_mib"]),
          ratio(s["pandas_mib"], s["duckdb_mib"]))
    t.add("reference", "pandas: peak memory vs Samiksha", mib(s["pandas_mib"]), mib(s["samiksha_mib"]),
          ratio(s["pandas_mib"], s["samiksha_mib"]))
    t.add("reference", "pandas and block_progress agree", f"{s['agree']}/{s['blocks']} blocks", target="all",
          met=s["agree"] == s["blocks"], note="; ".join(s.get("differences", [])[:2]) or
          "target, achieved exact; pct to 0.1 (pandas rounds halves to even)")


def rows_pages(t: Table, s: dict) -> None:
    base, cli_base, refresh_base = s["baseline_s"], s.get("cli_baseline_s"), s.get("refresh_baseline_s")
    t.add("pages", "baseline: bare DuckDB sum(achieved) by block", secs(base), note=s.get("baseline_sql", ""))
    bars = {"page": ("<= 1 s warm", base), "after": ("<= 3 s", base), "cli": ("<= 1 s", cli_base)}
    for row in s.get("rows", []):
        kind = row["kind"]
        if kind == "baseline":
            continue
        what = {"query": "query ", "page": "page ", "after": "after an upload: page "}.get(kind, "") + row["what"]
        note = row["note"]
        if kind == "cli-baseline":
            t.add("pages", "baseline: " + row["what"], secs(row["median_s"]), note="for the command-line rows")
            continue
        if row["median_s"] is None:
            t.add("pages", what, "—", note=note, met="?" if kind in bars else None)
            continue
        runs = "" if f"{row['runs']} runs" in note else f", {row['runs']} runs"
        note = f"max {row['max_s']:.3f} s{runs}; {note}"
        said = [f"{k}: {text}" for page, k, text in s.get("page_problems", []) if page == row["what"]]
        if said and kind in ("page", "after"):
            note += "; " + said[0] + (f" (+{len(said) - 1} more)" if len(said) > 1 else "")
        if kind in bars:
            target, against = bars[kind]
            t.add("pages", what, secs(row["median_s"]), secs(against), ratio(row["median_s"], against), target,
                  row["met"], note)
        elif kind == "refresh":
            t.add("pages", what, secs(row["median_s"]), secs(refresh_base), ratio(row["median_s"], refresh_base),
                  "< whole", None if not refresh_base else row["median_s"] < refresh_base, note)
        else:
            t.add("pages", what, secs(row["median_s"]), secs(base), ratio(row["median_s"], base), note=note)
    if "peak_rss_mib" in s:
        t.add("pages", "peak memory (queries + pages process)", mib(s["peak_rss_mib"]))


def rows_shg(t: Table, s: dict) -> None:
    t.ingest("shg", f"SHG register, {s['rows']:,} SHGs", s["samiksha_s"], s["duckdb_s"],
             "first register; median of fresh processes")
    t.memory("shg", "SHG register: peak memory", s.get("samiksha_mib"), s.get("duckdb_mib"))
    t.add("shg", "second register (61 days on), into the same store", secs(s.get("second_register_s")),
          note="one run")
    base = s.get("query_baseline_s")
    for name, seconds in s.get("queries_s", {}).items():
        rows = s.get("query_rows", {}).get(name)
        t.add("shg", f"query {name}", secs(seconds), secs(base), ratio(seconds, base),
              note="baseline: bare DuckDB count by block" + (f"; {rows:,} rows" if rows is not None else ""))
    if s.get("cli_s") is not None:
        t.add("shg", "python -m samiksha query shg_blocks", secs(s["cli_s"]), secs(s["cli_baseline_s"]),
              ratio(s["cli_s"], s["cli_baseline_s"]), "<= 1 s", s["cli_s"] <= CLI_TARGET_S,
              "a fresh process; baseline: bare DuckDB counting SHGs by block in a fresh process")
    if s.get("page_s"):
        cold, warm = s["page_s"]
        problem = "EXCEPTION" in s.get("page_note", "") or "FAILED" in s.get("page_note", "")
        t.add("shg", "page pages/shg.py, first render after a register", secs(cold), target="<= 3 s",
              met="?" if problem or cold is None else cold <= AFTER_TARGET_S,
              note="a fresh session, after the second register was stored")
        t.add("shg", "page pages/shg.py, second render", secs(warm), target="<= 1 s warm",
              met="?" if problem or warm is None else warm < PAGE_TARGET_S, note=s.get("page_note", ""))


def rows_households(t: Table, s: dict) -> None:
    t.ingest("households", f"household survey, {s['rows']:,} households", s["samiksha_s"], s["duckdb_s"],
             f"{s.get('mib', '?')} MiB; median of fresh processes; the bar is the SHG register's ratio")
    t.memory("households", "household survey: peak memory", s.get("samiksha_mib"), s.get("duckdb_mib"))
    base = s.get("query_baseline_s")
    for name, seconds in s.get("queries_s", {}).items():
        t.add("households", f"query {name} (one district)", secs(seconds), secs(base), ratio(seconds, base), "< 1 s",
              seconds < PAGE_TARGET_S, f"{s.get('query_rows', {}).get(name, '?')} rows; baseline: count by block, state")


def rows_map(t: Table, s: dict) -> None:
    t.add("map", f"boundary intake, {s['shapes']:,} panchayat shapes", secs(s["ingest_s"]), secs(s["read_file_s"]),
          ratio(s["ingest_s"], s["read_file_s"]), note=f"baseline geopandas.read_file; matched {s['matched']:,}")
    base = s["baseline_painted_s"]
    for level, m in s["maps"].items():
        geo = m.get("geojson_mb")
        t.add("map", f"{level} map ({m['polygons']:,}): payload", f"{m['payload_mb']:.2f} MB",
              "—" if geo is None else f"{geo:.2f} MB", "—" if not geo else f"{m['payload_mb'] / geo:.2f}x", "< 3 MB",
              m["payload_mb"] < 3, "baseline: the same shapes as bare GeoJSON")
        t.add("map", f"{level} map: painted in Chromium", secs(m["painted_s"]), secs(base), ratio(m["painted_s"], base),
              "< 3 s", m["painted_s"] < 3, f"Plotly.newPlot {m['draw_s']} s; baseline a 10-bar chart; "
              f"{m.get('draw_runs', '?')} runs")
        t.add("map", f"{level} map: server build + figure", secs(m["build_s"] + m["figure_s"]),
              note=f"maps.build {m['build_s']} s, place_map {m['figure_s']} s, to_json {m.get('json_s', '?')} s")
    if s.get("requests_left"):
        t.add("map", "requests that would have left the machine", str(s["requests_left"]), target="0", met=False)


def rows_images(t: Table, s: dict) -> None:
    for row in s["rows"]:
        target = row.get("target_s")
        t.add("images", row["what"], secs(row["median_s"]), secs(row["base_s"]),
              ratio(row["median_s"], row["base_s"]), "—" if target is None else f"< {target:g} s", row.get("met"),
              f"max {row['max_s']:.3f} s, {row['runs']} runs" + ("; baseline: plotly to_image" if row["base_s"] else ""))


ROWS = {"store": rows_store, "ingest": rows_ingest, "workers": rows_workers, "reference": rows_reference,
        "pages": rows_pages, "shg": rows_shg, "households": rows_households, "map": rows_map,
        "images": rows_images}


def main() -> None:
    wanted = sys.argv[1:] or [p for p in os.environ.get("BENCH_PARTS", "").split(",") if p] or list(PARTS)
    unknown = [p for p in wanted if p not in PARTS]
    if unknown:
        sys.exit(f"unknown part(s): {', '.join(unknown)}; known: {', '.join(PARTS)}")
    env = dict(os.environ)
    quick = env.get("BENCH_QUICK", "") not in ("", "0")
    if quick:
        for key, value in QUICK.items():
            env.setdefault(key, value)
    env["PYTHONUNBUFFERED"] = "1"
    CACHE_DIR.mkdir(parents=True, exist_ok=True)
    started, load_start = time.perf_counter(), os.getloadavg()
    results = []
    for n, name in enumerate(wanted, 1):
        print(f"[{n}/{len(wanted)}] {name} ({PARTS[name]}) ...", end="", file=sys.stderr, flush=True)
        result = run_part(name, env)
        results.append(result)
        print(f" {result['seconds']:.0f} s, exit {result['exit']}, log {result['log'].relative_to(ROOT)}",
              file=sys.stderr, flush=True)

    table = Table()
    for result in results:
        summary, name = result["summary"], result["name"]
        if result["exit"] or summary is None:
            why = "timed out" if result["timed_out"] else f"exit {result['exit']}"
            table.add(name, "FAILED", "—", met="?", note=f"{why}: {result['tail']} (see {result['log'].relative_to(ROOT)})")
            if summary is None:
                continue
        try:
            ROWS[name](table, summary)
        except (KeyError, TypeError, ValueError) as exc:  # a part whose JSON lacks a figure: said, not fatal
            table.add(name, "summary unreadable", "—", met="?", note=f"{type(exc).__name__}: {exc}")

    head = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True).stdout
    dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"], cwd=ROOT, capture_output=True,
                           text=True).stdout
    print(f"Samiksha statewide benchmark, {dt.datetime.now():%Y-%m-%d %H:%M}, commit {head.strip() or '?'}"
          + (" with uncommitted changes" if dirty.strip() else "") + (", QUICK mode (small sizes)" if quick else "")
          + f"; {os.cpu_count()} cores; ratios are value / baseline, both measured in this run")
    table.print()
    print()
    print(f"{'part':10} {'seconds':>8} {'exit':>5} {'peak RSS':>10}  {'load avg (1 min): start / max / end':36}  log")
    for r in results:
        load = r["load"]
        print(f"{r['name']:10} {r['seconds']:8.0f} {r['exit']:5d} {mib(r['peak_mib']):>10}  "
              f"{load[0]:5.1f} / {max(load):5.1f} / {load[-1]:5.1f}{'':17}  {r['log'].relative_to(ROOT)}")
    load_end = os.getloadavg()
    busy = max(max(r["load"]) for r in results) if results else 0
    print(f"whole run {time.perf_counter() - started:.0f} s; load average (1/5/15 min) at start "
          f"{load_start[0]:.1f}/{load_start[1]:.1f}/{load_start[2]:.1f}, at end "
          f"{load_end[0]:.1f}/{load_end[1]:.1f}/{load_end[2]:.1f} on {os.cpu_count()} cores"
          + (" — other work was running: absolute times are inflated, ratios less so" if busy > os.cpu_count() else ""))
    print("peak RSS: the largest process of the part (the part's own or a child's); targets met: "
          f"{sum(r[6] == 'yes' for r in table.rows)}, not met: {sum(r[6] == 'NO' for r in table.rows)}, "
          f"unsure: {sum(r[6] == '?' for r in table.rows)}")
    sys.exit(1 if any(r["exit"] for r in results) else 0)


if __name__ == "__main__":
    main()
