"""Ingest speed and memory against bare DuckDB loading the same file (run by `make bench`).

Generates a 1-million-row progress CSV (a statewide panchayat-wise daily report: title row,
Indian digit grouping), then in fresh processes, alternating, several times:
  baseline: DuckDB alone, read_csv of the same file into a table of a new database file;
  samiksha: `ingest_file` of the same file into a new store (reading, validating, matching,
            storing, keeping the raw file).
Both clocks start after the libraries are imported and stop after a checkpoint to disk.
Prints the median wall time and peak memory (max RSS) of each and their ratios (targets: time
within 2.5x bare DuckDB, memory within 1 GB).
"""

from __future__ import annotations

import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from samiksha.fmt import group_indian

ROOT = Path(__file__).resolve().parent.parent
ROWS = int(os.environ.get("BENCH_ROWS", "1000000"))
REPEATS = int(os.environ.get("BENCH_REPEATS", "3"))
TARGET = group_indian("250000")
BLOCKS, PANCHAYATS_PER_BLOCK, CHANNELS = 534, 16, ("ASHA", "VLE", "Camp", "Ration dealer")


def write_file(path: Path, rows: int) -> None:
    rng = random.Random(7)
    places = [(f"Block {b:03d}", f"Panchayat {b:03d}-{p:02d}")
              for b in range(1, BLOCKS + 1) for p in range(1, PANCHAYATS_PER_BLOCK + 1)]
    per_day = len(places) * len(CHANNELS)
    days = -(-rows // per_day)
    cumulative: dict[tuple, int] = {}
    written = 0
    with path.open("w", encoding="utf-8", newline="") as out:
        out.write("Bihar : Ayushman card panchayat-wise daily report (benchmark)\n")
        out.write("Date,Block,Panchayat,Channel,Target,Achieved Today,Cumulative Achieved\n")
        for day in range(days):
            date = f"{day % 28 + 1:02d}.{day // 28 % 12 + 1:02d}.2025"
            for block, panchayat in places:
                for channel in CHANNELS:
                    if written == rows:
                        return
                    today = rng.randint(0, 1500)
                    key = (block, panchayat, channel)
                    cumulative[key] = cumulative.get(key, 0) + today
                    out.write(f'{date},{block},{panchayat},{channel},"{TARGET}",'
                              f'{today},"{group_indian(str(cumulative[key]))}"\n')
                    written += 1


BASELINE = """
import duckdb, resource, sys, time
start = time.perf_counter()
con = duckdb.connect(sys.argv[2])
con.execute("CREATE TABLE report AS SELECT * FROM read_csv(?, skip=1, header=true)", [sys.argv[1]])
con.execute("CHECKPOINT")
rows = con.execute("SELECT count(*) FROM report").fetchall()[0][0]
print(rows, time.perf_counter() - start, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
"""

SAMIKSHA = """
import resource, sys, time
from pathlib import Path
from samiksha import ingest, store
start = time.perf_counter()
con = store.open_store(sys.argv[2])
path = Path(sys.argv[1])
result = ingest.ingest_file(con.cursor(), path.read_bytes(), path.name, indicator="ayushman_cards",
                            files=store.files_dir(sys.argv[2]))
con.execute("CHECKPOINT")
assert result.ok, result.refusal
print(result.staged.rows_accepted, time.perf_counter() - start, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
"""


def measure(code: str, csv_path: Path, tmp: Path, n: int) -> tuple[int, float, float]:
    db = tmp / f"run_{n}.duckdb"
    # the last three words: DuckDB draws a progress bar above them when a query takes seconds
    out = subprocess.run([sys.executable, "-c", code, str(csv_path), str(db)], cwd=ROOT, check=True,
                         capture_output=True, text=True).stdout.split()[-3:]
    return int(out[0]), float(out[1]), int(out[2]) / 1024  # rows, seconds, MiB


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="samiksha_bench_") as tmp_name:
        tmp = Path(tmp_name)
        csv_path = tmp / "statewide_progress.csv"
        started = time.perf_counter()
        write_file(csv_path, ROWS)
        size = csv_path.stat().st_size / 2**20
        print(f"file: {ROWS:,} rows, {size:.0f} MiB, written in {time.perf_counter() - started:.1f} s")
        runs = {"duckdb": [], "samiksha": []}
        for _ in range(REPEATS):
            for name, code in (("duckdb", BASELINE), ("samiksha", SAMIKSHA)):
                rows, seconds, mib = measure(code, csv_path, tmp, len(runs["duckdb"]) + len(runs["samiksha"]))
                runs[name].append((seconds, mib, rows))
        med = {name: (statistics.median(r[0] for r in v), max(r[1] for r in v), v[0][2]) for name, v in runs.items()}
        for name, (seconds, mib, rows) in med.items():
            print(f"{name:9s} rows {rows:>9,}  median {seconds:6.2f} s  peak {mib:7.0f} MiB")
        ratio_time = med["samiksha"][0] / med["duckdb"][0]
        ratio_mem = med["samiksha"][1] / med["duckdb"][1]
        print(f"ratio samiksha / bare duckdb: time {ratio_time:.2f}x, peak memory {ratio_mem:.2f}x "
              f"(targets: time within 2.5x, memory within 1 GB)")
        print(json.dumps({"rows": ROWS, "mib": round(size, 1), "repeats": REPEATS, "time_ratio": round(ratio_time, 2),
                          "memory_ratio": round(ratio_mem, 2), "duckdb_s": round(med["duckdb"][0], 2),
                          "samiksha_s": round(med["samiksha"][0], 2), "duckdb_mib": round(med["duckdb"][1]),
                          "samiksha_mib": round(med["samiksha"][1])}))


if __name__ == "__main__":
    main()
