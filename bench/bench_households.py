"""Household surveys at the size of Bihar: intake and the household queries (run by `make bench`).

Writes (with DuckDB's COPY, not a Python loop) a statewide gazetteer of 38 districts, 534 blocks and
15 panchayats each, and a door-to-door survey register of BENCH_HOUSEHOLD_ROWS households (default
2 crore), one file per district as the districts send them (a statewide file would be over the
upload limit), shaped like the district compilations: a title row, English headers, dd.mm.yyyy dates, the
block names unique in the state (no district column: each block is found in the statewide list), the
ration card number under "Ration Card No" (masked where the file is read, keyed by its salted
hash), social groups written several ways, every row valid. Then, in fresh processes, alternating,
BENCH_REPEATS times (default 3):
  baseline: DuckDB alone, read_csv of the district registers into one table of a new database file;
  samiksha: `ingest_file(kind="households")` of the same files, one by one, into a new store
            holding the gazetteer (and its caches brought up to date once, as a command does).
Both clocks start after the imports (and the gazetteer) and stop after a checkpoint. Prints median
wall time, peak memory and their ratios; the SHG register's ratio (bench_shg.py) is the bar. Then
on the last store each household query runs through samiksha.queries.run for one district (and
for the whole state, for information): median of BENCH_RUNS (default 5) runs after a warm-up
(target: under 1 s for one district).
"""

from __future__ import annotations

import datetime as dt
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

ROWS = int(os.environ.get("BENCH_HOUSEHOLD_ROWS", "20000000"))
REPEATS = int(os.environ.get("BENCH_REPEATS", "3"))
RUNS = int(os.environ.get("BENCH_RUNS", "5"))
DISTRICTS, BLOCKS, PANCHAYATS = 38, 534, 15
AS_OF = dt.date(2025, 5, 31)
DISTRICT = "District 07"
TARGET_S = 1.0
QUERIES = (("household_coverage", {"level": "block"}), ("household_coverage", {"level": "panchayat"}),
           ("household_coverage", {"level": "tola"}), ("tola_coverage", {}), ("shg_outreach", {}),
           ("household_summary", {}), ("household_workers", {}), ("households_left", {"block": "Block 090"}))
HEADER = ("Sl,Block,Panchayat,Village,Tola,Head of Household,Ration Card No,Social Group,Members,"
          "Members with Ayushman Card,SHG Member (Y/N),Surveyor ID,Survey Date")


def write_files(con, gazetteer: Path, register: Path, rows: int) -> None:
    """The gazetteer and the register, each by one COPY; the register's title and header written first."""
    con.execute(f"""COPY (
        SELECT '10' AS state_code, 'BIHAR' AS state_name, lpad(CAST(d AS VARCHAR), 3, '0') AS district_code,
            'District ' || lpad(CAST(d AS VARCHAR), 2, '0') AS district_name, CAST(20000 + b AS VARCHAR) AS block_code,
            'Block ' || lpad(CAST(b AS VARCHAR), 3, '0') AS block_name, '' AS block_name_hi,
            CAST(300000 + b * 100 + p AS VARCHAR) AS panchayat_code,
            'Panchayat ' || lpad(CAST(b AS VARCHAR), 3, '0') || '-' || lpad(CAST(p AS VARCHAR), 2, '0') AS panchayat_name,
            '' AS panchayat_name_hi
        FROM (SELECT b, (b - 1) * {DISTRICTS} // {BLOCKS} + 1 AS d FROM range(1, {BLOCKS} + 1) t(b)),
             range(1, {PANCHAYATS} + 1) u(p)
        ORDER BY b, p) TO '{gazetteer}' (HEADER, DELIMITER ',')""")
    register.mkdir(parents=True, exist_ok=True)
    body = register / "body.csv"
    con.execute(f"""COPY (
        WITH h AS (SELECT i, CAST(hash(i) % 1000000007 AS BIGINT) AS r, i * {BLOCKS} // {rows} + 1 AS b FROM range({rows}) t(i))
        SELECT i + 1,
            'Block ' || lpad(CAST(b AS VARCHAR), 3, '0'),
            'Panchayat ' || lpad(CAST(b AS VARCHAR), 3, '0') || '-' || lpad(CAST(r % {PANCHAYATS} + 1 AS VARCHAR), 2, '0'),
            'Village ' || (r // 16 % 6 + 1),
            ['Musahar Tola', 'Ravidas Tola', 'Santhal Tola', 'Yadav Tola', 'Ward 1', 'Ward 2', 'Bazar Tola'][r // 97 % 7 + 1],
            'Head ' || i,
            CASE WHEN r % 5 = 0 THEN '1020 ' || lpad(CAST(i AS VARCHAR), 10, '0')
                 ELSE '1020' || lpad(CAST(i AS VARCHAR), 10, '0') END,
            ['SC', 'अनुसूचित जाति', 'ST', 'आदिवासी', 'OBC', 'BC-II', 'General', ''][r // 7 % 8 + 1],
            r // 11 % 8 + 1 AS members,
            least(r // 11 % 8 + 1, r // 13 % 9),
            CASE WHEN r // 17 % 3 = 0 THEN 'N' ELSE 'Y' END,
            'ASHA-' || b || '-' || (r // 19 % 40),
            strftime(DATE '2025-05-01' + CAST(r // 23 % 30 AS INTEGER), '%d.%m.%Y')
        FROM h ORDER BY i) TO '{body}' (HEADER false, DELIMITER ',')""")
    # One register per district, as districts send them (a statewide file is over the upload limit):
    # the rows are in block order, so each district's are one run of lines.
    outs: dict[int, object] = {}
    with body.open("rb") as src:
        for i, line in enumerate(src):
            district = (i * BLOCKS // rows) * DISTRICTS // BLOCKS + 1
            out = outs.get(district)
            if out is None:
                for done in outs.values():
                    done.close()
                out = outs[district] = (register / f"household_survey_d{district:02d}_{AS_OF:%d.%m.%Y}.csv").open("wb")
                out.write(f"Door to door household survey register of District {district:02d} as on "
                          f"{AS_OF:%d.%m.%Y} (statewide benchmark)\n{HEADER}\n".encode())
            out.write(line)
    for out in outs.values():
        out.close()
    body.unlink()


BASELINE = """
import duckdb, resource, sys, time
start = time.perf_counter()
con = duckdb.connect(sys.argv[2])
for n, path in enumerate(sorted(__import__("pathlib").Path(sys.argv[1]).glob("*.csv"))):
    con.execute(("CREATE TABLE register AS " if n == 0 else "INSERT INTO register ")
                + "SELECT * FROM read_csv(?, skip=1, header=true)", [str(path)])
con.execute("CHECKPOINT")
rows = con.execute("SELECT count(*) FROM register").fetchall()[0][0]
print(rows, time.perf_counter() - start, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
"""

SAMIKSHA = """
import resource, sys, time
from pathlib import Path
from samiksha import ingest, store
con = store.open_store(sys.argv[2])
gazetteer = Path(sys.argv[3])
assert ingest.ingest_file(con.cursor(), gazetteer.read_bytes(), gazetteer.name, kind="gazetteer").ok
start = time.perf_counter()
accepted = 0
for path in sorted(Path(sys.argv[1]).glob("*.csv")):  # one register per district, as they come
    result = ingest.ingest_file(con.cursor(), path.read_bytes(), path.name, kind="households",
                                files=store.files_dir(sys.argv[2]))
    assert result.ok, (path.name, result.refusal)
    assert not result.staged.rows_rejected, (path.name, result.staged.issues[:5])
    accepted += result.staged.rows_accepted
store.refresh_caches(con)
con.execute("CHECKPOINT")
assert accepted == int(sys.argv[4]), accepted
print(accepted, time.perf_counter() - start, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
"""


def measure(code: str, csv_path: Path, db: Path, gazetteer: Path) -> tuple[float, float]:
    out = subprocess.run([sys.executable, "-c", code, str(csv_path), str(db), str(gazetteer), str(ROWS)],
                         cwd=ROOT, capture_output=True, text=True)
    if out.returncode:
        sys.exit(f"{csv_path.name} into {db.name} failed:\n{out.stderr[-3000:]}")
    rows, seconds, rss = out.stdout.split()[-3:]
    assert int(rows) == ROWS, (rows, ROWS)
    return float(seconds), int(rss) / 1024  # seconds, MiB


def timed(call) -> tuple[list[float], object]:
    """Wall times of RUNS calls after one warm-up call, and the last call's result."""
    result, times = call(), []
    for _ in range(RUNS):
        started = time.perf_counter()
        result = call()
        times.append(time.perf_counter() - started)
    return times, result


def main() -> None:

    started, load_start = time.perf_counter(), os.getloadavg()[0]
    table: list[tuple[str, str, str, str, str]] = []  # kind, what, seconds, memory/rows, note
    summary: dict = {"rows": ROWS, "queries_s": {}, "query_rows": {}, "state_queries_s": {}}
    with tempfile.TemporaryDirectory(prefix="samiksha_bench_households_") as tmp_name:
        tmp = Path(tmp_name)
        gazetteer, register = tmp / "lgd_bihar.csv", tmp / "registers"
        # Written by a process of its own: DuckDB's COPY of crores of rows takes gigabytes, and a
        # process started after it would report them as its own peak (Linux keeps the parent's
        # high-water mark across fork and exec).
        subprocess.run([sys.executable, "-c", "import sys, duckdb; sys.path.insert(0, sys.argv[1]); "
                        "import bench_households as b; from pathlib import Path; "
                        "con = duckdb.connect(); con.execute('SET enable_progress_bar = false'); "
                        "b.write_files(con, Path(sys.argv[2]), Path(sys.argv[3]), int(sys.argv[4]))",
                        str(ROOT / "bench"), str(gazetteer), str(register), str(ROWS)], check=True)
        files = sorted(register.glob("*.csv"))
        summary["mib"] = round(sum(f.stat().st_size for f in files) / 2**20)
        summary["files"] = len(files)
        print(f"registers: {ROWS:,} households in {len(files)} district files, {summary['mib']} MiB, written in "
              f"{time.perf_counter() - started:.1f} s", flush=True)
        runs: dict[str, list[tuple[float, float]]] = {"duckdb": [], "samiksha": []}
        for n in range(REPEATS):
            for name, code in (("duckdb", BASELINE), ("samiksha", SAMIKSHA)):
                db = tmp / f"{name}_{n}.duckdb"
                runs[name].append(measure(code, register, db, gazetteer))
                print(f"  run {n + 1} {name:9s} {runs[name][-1][0]:7.2f} s {runs[name][-1][1]:7.0f} MiB", flush=True)
                if n < REPEATS - 1 or name == "duckdb":
                    db.unlink(missing_ok=True)
        med = {name: (statistics.median(r[0] for r in v), max(r[1] for r in v)) for name, v in runs.items()}
        ratio_time, ratio_mem = med["samiksha"][0] / med["duckdb"][0], med["samiksha"][1] / med["duckdb"][1]
        table += [("ingest", f"{name} (register)", f"{seconds:.2f}", f"{mib:.0f} MiB", f"median of {REPEATS}")
                  for name, (seconds, mib) in med.items()]
        table.append(("ingest", "ratio samiksha / duckdb", f"{ratio_time:.2f}x", f"{ratio_mem:.2f}x",
                      "bar: the SHG register's ratio (bench_shg.py)"))
        summary.update(duckdb_s=round(med["duckdb"][0], 2), samiksha_s=round(med["samiksha"][0], 2),
                       time_ratio=round(ratio_time, 2), memory_ratio=round(ratio_mem, 2),
                       duckdb_mib=round(med["duckdb"][1]), samiksha_mib=round(med["samiksha"][1]))

        from samiksha import queries, store

        con = store.open_store(str(tmp / f"samiksha_{REPEATS - 1}.duckdb"))
        base, _ = timed(lambda: con.execute("SELECT block, count(*) FROM households GROUP BY block").df())
        summary["query_baseline_s"] = round(statistics.median(base), 4)
        table.append(("query", "baseline: count by block", f"{statistics.median(base):.3f}", "",
                      "bare duckdb on households, the whole state"))
        for name, params in QUERIES:
            label = name + "".join(f" {k}={v}" for k, v in params.items())
            for district, where in ((DISTRICT, "queries_s"), (None, "state_queries_s")):
                if district is None and "block" in params:
                    continue
                try:
                    times, frame = timed(lambda n=name, p=params, d=district: queries.run(
                        con, n, as_of=AS_OF, district=d, **p))
                except Exception as exc:  # reported, not fatal
                    table.append(("query", label, "—", "", f"FAILED {type(exc).__name__}: {str(exc)[:120]}"))
                    continue
                median = statistics.median(times)
                summary[where][label] = round(median, 3)
                if district:
                    summary["query_rows"][label] = len(frame)
                note = (f"{DISTRICT}: under 1 s: " + ("yes" if median < TARGET_S else "NO")) if district \
                    else "the whole state (for information)"
                table.append(("query", label + ("" if district else " (state)"), f"{median:.3f}",
                              f"{len(frame):,} rows", f"max {max(times):.3f} s; {note}"))
        con.close()

    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    width = max(len(what) for _, what, *_ in table) + 2
    print(f"{'':7} {'what':{width}} {'seconds':>9} {'memory/rows':>14}  note")
    for kind, what, seconds, memory, note in table:
        print(f"{kind:7} {what:{width}} {seconds:>9} {memory:>14}  {note}")
    load_end = os.getloadavg()[0]
    print(f"peak RSS of this process (queries) {peak:.0f} MiB; load average (1 min) {load_start:.1f} at start, "
          f"{load_end:.1f} at end on {os.cpu_count()} cores")
    summary.update(peak_rss_mib=round(peak), load_avg=[round(load_start, 1), round(load_end, 1)],
                   bench_s=round(time.perf_counter() - started, 1))
    print(json.dumps(summary, ensure_ascii=False))


if __name__ == "__main__":
    main()
