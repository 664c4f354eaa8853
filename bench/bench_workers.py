"""One lakh workers: roster and daily output intake against bare DuckDB (run by `make bench`).

Writes, for the statewide store's own places (bench/statewide.py: 38 districts, 534 blocks,
about 8,200 panchayats), one roster per district (BENCH_WORKERS workers in all, default one
lakh: ASHA, AWW and VLE; title row "... roster as on dd.mm.yyyy", a "Sl. No." column with Indian
digit grouping, English or Hindi headers and names) and one output file per district (cards
made per worker per day over the last BENCH_WORKER_DAYS days, default 30, of the progress;
dd.mm.yyyy dates). A store holding only the statewide gazetteer is made once (rosters are
matched to its blocks and panchayats). Then, each in fresh processes, alternating,
BENCH_REPEATS times (default 3):
  baseline: DuckDB alone: read_csv of each file (skip the title row) into a table of its own
            in a new database file; the rosters, a checkpoint, then the output files and a
            checkpoint;
  samiksha: `ingest_file(kind="workers")` of each roster, a checkpoint, then
            `ingest_file(kind="worker_output")` of each output file and a checkpoint, into a
            copy of the gazetteer store (copied before the clock starts), keeping the raw files
            as the product does. Every row must be accepted.
Last in each process (after the timing above), a one-row roster and a one-row output file (the
title, the header and the first row of the first file of each) are stored the same way: the
fixed cost of a file, whatever its size. Both clocks start after the imports. Prints the median
wall time of each phase, peak memory
(max RSS) of each process and the ratios (targets: time within 2.5x bare DuckDB, memory within
1 GB). The worker queries (worker_status, worker_review, worker_output_unknown) and the
Workers page are measured by bench_pages.py on the statewide store, which holds the same
workers.
"""

from __future__ import annotations

import datetime as dt
import json
import os
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
import statewide  # noqa: E402

REPEATS = int(os.environ.get("BENCH_REPEATS", "3"))
TARGET_RATIO, TARGET_MIB = 1.5, 1536

BASELINE = """
import duckdb, json, resource, sys, time
files = json.loads(open(sys.argv[1], encoding="utf-8").read())
start = time.perf_counter()
con = duckdb.connect(sys.argv[2])
out, rows = {}, {}
for kind in ("workers", "worker_output"):
    rows[kind] = 0
    for n, path in enumerate(files[kind]):
        con.execute(f"CREATE TABLE {kind}_{n} AS SELECT * FROM read_csv(?, skip=1, header=true)", [path])
        rows[kind] += con.execute(f"SELECT count(*) FROM {kind}_{n}").fetchall()[0][0]
    con.execute("CHECKPOINT")
    out[kind] = time.perf_counter() - start
    start = time.perf_counter()
tiny = {}
for kind in ("workers", "worker_output"):  # a one-row file of each kind: the fixed cost of a file
    start = time.perf_counter()
    con.execute(f"CREATE TABLE tiny_{kind} AS SELECT * FROM read_csv(?, skip=1, header=true)", [files["tiny"][kind]])
    con.execute("CHECKPOINT")
    tiny[kind] = time.perf_counter() - start
print(json.dumps({"seconds": out, "tiny": tiny, "rows": rows, "rejected": 0,
                  "rss_kib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss}))
"""

SAMIKSHA = """
import datetime as dt, json, resource, shutil, sys, time
from pathlib import Path
files = json.loads(open(sys.argv[1], encoding="utf-8").read())
shutil.copyfile(sys.argv[3], sys.argv[2])  # the gazetteer store, before the clock starts
from samiksha import ingest, store
start = time.perf_counter()
con = store.open_store(sys.argv[2])
uploaded_at = dt.datetime.fromisoformat(sys.argv[4])
out, rows, rejected, issues = {}, {}, 0, {}
for kind in ("workers", "worker_output"):
    rows[kind] = 0
    for name in files[kind]:
        path = Path(name)
        result = ingest.ingest_file(con.cursor(), path.read_bytes(), path.name, kind=kind, uploaded_at=uploaded_at,
                                    files=store.files_dir(sys.argv[2]))
        assert result.ok, (path.name, result.refusal and result.refusal.text())
        rows[kind] += result.staged.rows_accepted
        rejected += result.staged.rows_rejected
        for issue in [*result.staged.issues, *result.staged.read_notes]:
            if issue.severity != "info":
                issues[issue.code] = issues.get(issue.code, 0) + 1
    con.execute("CHECKPOINT")
    out[kind] = time.perf_counter() - start
    start = time.perf_counter()
tiny = {}
for kind in ("workers", "worker_output"):  # a one-row file of each kind: the fixed cost of a file
    path = Path(files["tiny"][kind])
    start = time.perf_counter()
    result = ingest.ingest_file(con.cursor(), path.read_bytes(), path.name, kind=kind, uploaded_at=uploaded_at,
                                files=store.files_dir(sys.argv[2]))
    con.execute("CHECKPOINT")
    tiny[kind] = time.perf_counter() - start
    assert result.ok and result.staged.rows_accepted == 1, (path.name, result.refusal and result.refusal.text())
con.close()
print(json.dumps({"seconds": out, "tiny": tiny, "rows": rows, "rejected": rejected, "issues": issues,
                  "rss_kib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss}))
"""


def measure(code: str, list_path: Path, db: Path, base: Path, uploaded_at: str) -> dict:
    out = subprocess.run([sys.executable, "-c", code, str(list_path), str(db), str(base), uploaded_at],
                         cwd=ROOT, capture_output=True, text=True)
    if out.returncode:
        sys.exit(f"{db.name} failed:\n{out.stderr[-3000:]}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def gazetteer_store(path: Path, blocks) -> float:
    """A new store holding only the statewide gazetteer; seconds taken."""
    from samiksha import ingest, store

    started = time.perf_counter()
    gazetteer = statewide.write_gazetteer(path.parent, blocks)
    con = store.open_store(str(path))
    result = ingest.ingest_file(con.cursor(), gazetteer.read_bytes(), gazetteer.name, kind="gazetteer")
    assert result.ok, result.refusal and result.refusal.text()
    con.execute("CHECKPOINT")
    con.close()
    return time.perf_counter() - started


def main() -> None:
    started, load_start = time.perf_counter(), os.getloadavg()[0]
    params = statewide.PARAMS
    first, last = statewide.worker_period(params)
    with tempfile.TemporaryDirectory(prefix="samiksha_bench_workers_") as tmp_name:
        tmp = Path(tmp_name)
        blocks = statewide.build_places(params)
        written = statewide.write_worker_files(tmp / "files", params, blocks)
        sizes = {kind: sum(p.stat().st_size for p in paths) / 2**20 for kind, paths in written.items()}
        lines = {kind: sum(sum(1 for _ in p.open(encoding="utf-8")) - 2 for p in paths)
                 for kind, paths in written.items()}
        print(f"files: {len(written['workers'])} rosters, {lines['workers']:,} workers, {sizes['workers']:.1f} MiB; "
              f"{len(written['worker_output'])} output files, {lines['worker_output']:,} rows "
              f"({first:%d-%m-%Y} to {last:%d-%m-%Y}), {sizes['worker_output']:.1f} MiB; "
              f"written in {time.perf_counter() - started:.1f} s")
        tiny = {}
        for kind, paths in written.items():  # the title, the header and the first row of the first file
            tiny[kind] = tmp / f"one_row_{paths[0].name}"
            with paths[0].open(encoding="utf-8") as f:
                tiny[kind].write_text("".join(next(f) for _ in range(3)), encoding="utf-8")
        list_path = tmp / "files.json"
        list_path.write_text(json.dumps({**{k: [str(p) for p in v] for k, v in written.items()},
                                         "tiny": {k: str(p) for k, p in tiny.items()}}), encoding="utf-8")
        base = tmp / "gazetteer.duckdb"
        print(f"gazetteer store: {gazetteer_store(base, blocks):.1f} s", flush=True)
        uploaded_at = dt.datetime.combine(last, dt.time(17, 30)).isoformat()

        runs: dict[str, list[dict]] = {"duckdb": [], "samiksha": []}
        for n in range(REPEATS):
            for name, code in (("duckdb", BASELINE), ("samiksha", SAMIKSHA)):
                db = tmp / f"{name}_{n}.duckdb"
                run = measure(code, list_path, db, base, uploaded_at)
                runs[name].append(run)
                print(f"  run {n + 1} {name:9s} roster {run['seconds']['workers']:6.2f} s, output "
                      f"{run['seconds']['worker_output']:6.2f} s, {run['rss_kib'] / 1024:6.0f} MiB", flush=True)
                db.unlink(missing_ok=True)
                shutil.rmtree(tmp / f"{name}_{n}_files", ignore_errors=True)
        last_run = runs["samiksha"][-1]
        for kind in ("workers", "worker_output"):
            if last_run["rows"][kind] != lines[kind] or last_run["rejected"]:
                sys.exit(f"samiksha stored {last_run['rows'][kind]:,} of {lines[kind]:,} {kind} rows "
                         f"({last_run['rejected']} rejected; issues {last_run['issues']})")

    def median(name: str, kind: str | None) -> float:
        return statistics.median(sum(r["seconds"].values()) if kind is None else r["seconds"][kind]
                                 for r in runs[name])

    summary: dict = {"workers": lines["workers"], "output_rows": lines["worker_output"],
                     "files": len(written["workers"]) + len(written["worker_output"]),
                     "mib": round(sum(sizes.values()), 1), "repeats": REPEATS,
                     "issues": last_run["issues"]}
    print(f"{'':10} {'duckdb s':>9} {'samiksha s':>11} {'ratio':>7}  target {TARGET_RATIO}x")
    for label, kind in (("roster", "workers"), ("output", "worker_output"), ("both", None)):
        d, s = median("duckdb", kind), median("samiksha", kind)
        print(f"{label:10} {d:9.2f} {s:11.2f} {s / d:6.2f}x  {'yes' if s / d <= TARGET_RATIO else 'NO'}")
        summary[label] = {"duckdb_s": round(d, 2), "samiksha_s": round(s, 2), "time_ratio": round(s / d, 2)}
    fixed = {name: statistics.median(sum(r["tiny"].values()) for r in v) for name, v in runs.items()}
    files = len(written["workers"]) + len(written["worker_output"])
    print(f"{'one-row':10} {fixed['duckdb']:9.2f} {fixed['samiksha']:11.2f} {fixed['samiksha'] / fixed['duckdb']:6.2f}x"
          f"  a one-row roster and a one-row output file: the fixed cost of a file; x {files // 2} of each = "
          f"{fixed['samiksha'] * files / 2:.1f} s of samiksha's {median('samiksha', None):.1f} s")
    summary["one_row"] = {"duckdb_s": round(fixed["duckdb"], 3), "samiksha_s": round(fixed["samiksha"], 3)}
    mib = {name: max(r["rss_kib"] for r in v) / 1024 for name, v in runs.items()}
    print(f"peak memory: duckdb {mib['duckdb']:.0f} MiB, samiksha {mib['samiksha']:.0f} MiB "
          f"({mib['samiksha'] / mib['duckdb']:.2f}x; target under {TARGET_MIB} MiB: "
          f"{'yes' if mib['samiksha'] < TARGET_MIB else 'NO'})")
    if last_run["issues"]:
        print(f"samiksha warnings: {last_run['issues']}")
    load_end = os.getloadavg()[0]
    print(f"load average (1 min) at start {load_start:.1f}, at end {load_end:.1f} on {os.cpu_count()} cores")
    summary.update(duckdb_mib=round(mib["duckdb"]), samiksha_mib=round(mib["samiksha"]),
                   memory_ratio=round(mib["samiksha"] / mib["duckdb"], 2),
                   peak_rss_mib=round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
                   load_avg=[round(load_start, 1), round(load_end, 1)],
                   bench_s=round(time.perf_counter() - started, 1))
    print(json.dumps(summary, ensure_ascii=False))


if __name__ == "__main__":
    main()
