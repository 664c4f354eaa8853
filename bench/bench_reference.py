"""The plain-pandas reference: the statewide progress files read and aggregated by hand (run by
`make bench`).

The statewide files of bench/statewide.py (the gazetteer, 38 targets files, 76 progress files:
38 districts x 2 indicators, BENCH_DAYS days, default 90; a title row, Indian digit grouping,
dd-mm-yyyy dates, the insurance files with Hindi headers and place names) are written once,
then each of these runs in fresh processes, alternating, BENCH_REPEATS times (default 3):
  duckdb:   bare DuckDB, read_csv of every file (past its title row) into a table of its own in
            a new database file, and a checkpoint (the baseline of the other benches);
  pandas:   the plain pandas way: pandas.read_csv of every file (skiprows for the title,
            thousands="," for 3,00,000), Hindi headers renamed, Hindi block and panchayat names
            turned into the gazetteer's English ones (exact names only), dates parsed; then,
            for each indicator, at its last date: each panchayat's cumulative at its latest
            report (channels summed), by block with the summed panchayat targets: block,
            target, achieved, pct (one decimal), achieved_today;
  samiksha: `ingest_file` of the same files into a new store (gazetteer, targets, progress;
            keeping the raw files), a checkpoint, then the named query block_progress for each
            indicator at its latest date.
Each clock starts after the imports. Prints median wall times, peak memory (max RSS) of each
process and the ratios: pandas over bare DuckDB, pandas over Samiksha's ingest + block_progress,
and Samiksha's ingest over bare DuckDB (target: within 2.5x; memory within 1 GB). The pandas
and Samiksha block figures are compared (they should agree: pandas does no matching of
spellings, no validation, no history; these files need none).
"""

from __future__ import annotations

import csv
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
PCT_TOLERANCE = 0.1 + 1e-9

DUCKDB = """
import duckdb, json, resource, sys, time
files = json.loads(open(sys.argv[1], encoding="utf-8").read())
start = time.perf_counter()
con = duckdb.connect(sys.argv[2])
rows = 0
for kind in ("gazetteer", "targets", "progress"):
    for n, path in enumerate(files[kind]):
        skip = 0 if kind == "gazetteer" else 1  # the gazetteer (an LGD download) has no title row
        con.execute(f"CREATE TABLE {kind}_{n} AS SELECT * FROM read_csv(?, skip={skip}, header=true)", [path])
        rows += con.execute(f"SELECT count(*) FROM {kind}_{n}").fetchall()[0][0]
con.execute("CHECKPOINT")
print(json.dumps({"seconds": time.perf_counter() - start, "rows": rows,
                  "rss_kib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss}))
"""

PANDAS = """
import json, resource, sys, time
from pathlib import Path
import pandas as pd
files = json.loads(open(sys.argv[1], encoding="utf-8").read())
HINDI = {"दिनांक": "Report Date", "जिला": "District", "प्रखंड": "Block", "पंचायत": "Panchayat", "माध्यम": "Channel",
         "आज की उपलब्धि": "Achieved Today", "कुल उपलब्धि": "Cumulative Achieved"}
start = time.perf_counter()
gazetteer = pd.read_csv(files["gazetteer"][0], dtype=str)
names_hi = gazetteer[["block_name_hi", "panchayat_name_hi", "block_name", "panchayat_name"]]
targets = pd.concat([pd.read_csv(p, skiprows=1, thousands=",") for p in files["targets"]], ignore_index=True)
targets["Deadline"] = pd.to_datetime(targets["Deadline"], format="%d-%m-%Y")
frames = []
for path in files["progress"]:
    frame = pd.read_csv(path, skiprows=1, thousands=",")
    if "दिनांक" in frame.columns:  # Hindi headers and place names: the gazetteer's English names
        frame = frame.rename(columns=HINDI).merge(names_hi, how="left", left_on=["Block", "Panchayat"],
                                                  right_on=["block_name_hi", "panchayat_name_hi"])
        assert frame["block_name"].notna().all(), path
        frame["Block"], frame["Panchayat"] = frame["block_name"], frame["panchayat_name"]
    frame["Indicator"] = Path(path).stem.removeprefix("progress_").rsplit("_", 1)[0]
    frames.append(frame[["Indicator", "Report Date", "Block", "Panchayat", "Channel", "Achieved Today",
                         "Cumulative Achieved"]])
progress = pd.concat(frames, ignore_index=True)
progress["Report Date"] = pd.to_datetime(progress["Report Date"], format="%d-%m-%Y")
read_s = time.perf_counter() - start
begun = time.perf_counter()
keys = ["Indicator", "Block", "Panchayat"]
results = []
for indicator, rows in progress.groupby("Indicator"):
    as_of = rows["Report Date"].max()
    latest = rows[rows["Report Date"] == rows.groupby(keys)["Report Date"].transform("max")]
    achieved = latest.groupby("Block")["Cumulative Achieved"].sum()
    today = rows[rows["Report Date"] == as_of].groupby("Block")["Achieved Today"].sum()
    target = targets[targets["Indicator"] == indicator].groupby("Block")["Target"].sum()
    block = pd.DataFrame({"target": target, "achieved": achieved, "achieved_today": today}).fillna(0)
    block["pct"] = (100 * block["achieved"] / block["target"]).round(1)
    block["indicator"], block["as_of"] = indicator, as_of.date().isoformat()
    results.append(block.rename_axis("block").reset_index())
result = pd.concat(results, ignore_index=True)
aggregate_s = time.perf_counter() - begun
result.to_csv(sys.argv[2], index=False)
print(json.dumps({"seconds": read_s + aggregate_s, "read_s": read_s, "aggregate_s": aggregate_s,
                  "rows": len(progress), "blocks": len(result),
                  "rss_kib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss}))
"""

SAMIKSHA = """
import datetime as dt, json, resource, sys, time
from pathlib import Path
from samiksha import ingest, queries, store
files = json.loads(open(sys.argv[1], encoding="utf-8").read())
start = time.perf_counter()
con = store.open_store(sys.argv[2])
uploaded_at = dt.datetime.fromisoformat(sys.argv[3])
rows = 0
for kind in ("gazetteer", "targets", "progress"):
    for name in files[kind]:
        path = Path(name)
        result = ingest.ingest_file(con.cursor(), path.read_bytes(), path.name, kind=kind, uploaded_at=uploaded_at,
                                    files=store.files_dir(sys.argv[2]))
        assert result.ok and not result.staged.rows_rejected, (path.name, result.refusal and result.refusal.text())
        rows += result.staged.rows_accepted
con.execute("CHECKPOINT")
ingest_s = time.perf_counter() - start
begun = time.perf_counter()
frames = []
for indicator in ("ayushman_cards", "insurance"):
    as_of = queries.latest_date(con, indicator)
    frame = queries.run(con, "block_progress", indicator=indicator, as_of=as_of)
    frame["indicator"], frame["as_of"] = indicator, as_of.isoformat()
    frames.append(frame)
query_s = time.perf_counter() - begun
con.close()
import pandas as pd
pd.concat(frames, ignore_index=True).to_csv(sys.argv[4], index=False)
print(json.dumps({"seconds": ingest_s + query_s, "ingest_s": ingest_s, "query_s": query_s, "rows": rows,
                  "rss_kib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss}))
"""


def measure(args: list[str]) -> dict:
    out = subprocess.run([sys.executable, "-c", *args], cwd=ROOT, capture_output=True, text=True)
    if out.returncode:
        sys.exit(f"a run failed:\n{out.stderr[-3000:]}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def compare(pandas_csv: Path, samiksha_csv: Path) -> tuple[int, int, list[str]]:
    """(blocks that agree, blocks in all, the first differences): target and achieved exact, pct
    within 0.1 (pandas' round(1) takes a half to the even digit, 94.05 -> 94.0, where the
    product's SQL gives 94.1; with target and achieved equal, pct can differ only so)."""
    def rows(path: Path) -> dict:
        with path.open(encoding="utf-8") as f:
            return {(r["indicator"], r["block"]): r for r in csv.DictReader(f)}

    mine, theirs = rows(pandas_csv), rows(samiksha_csv)
    differ = []
    for key in sorted(set(mine) | set(theirs)):
        a, b = mine.get(key), theirs.get(key)
        if a is None or b is None:
            differ.append(f"{key}: only in {'samiksha' if a is None else 'pandas'}")
            continue
        same = (float(a["target"]) == float(b["target"] or 0) and float(a["achieved"]) == float(b["achieved"] or 0)
                and abs(float(a["pct"]) - float(b["pct"] or 0)) <= PCT_TOLERANCE and a["as_of"] == b["as_of"])
        if not same:
            differ.append(f"{key}: pandas {a['target']}/{a['achieved']}/{a['pct']}, "
                          f"samiksha {b['target']}/{b['achieved']}/{b['pct']}")
    total = len(set(mine) | set(theirs))
    return total - len(differ), total, differ[:5]


def main() -> None:
    started, load_start = time.perf_counter(), os.getloadavg()[0]
    params = statewide.PARAMS
    with tempfile.TemporaryDirectory(prefix="samiksha_bench_reference_") as tmp_name:
        tmp = Path(tmp_name)
        written = statewide.write_files(tmp / "files", params)
        mib = sum(p.stat().st_size for ps in written.values() for p in ps) / 2**20
        print(f"files: {sum(len(v) for v in written.values())} ({', '.join(f'{k} {len(v)}' for k, v in written.items())}),"
              f" {mib:.1f} MiB, {params['days']} days; written in {time.perf_counter() - started:.1f} s", flush=True)
        list_path = tmp / "files.json"
        list_path.write_text(json.dumps({k: [str(p) for p in v] for k, v in written.items()}), encoding="utf-8")
        uploaded_at = f"{params['first_day']}T11:00:00"
        runs: dict[str, list[dict]] = {"duckdb": [], "pandas": [], "samiksha": []}
        for n in range(REPEATS):
            for name in runs:
                db = tmp / f"{name}_{n}.duckdb"
                args = {"duckdb": [DUCKDB, str(list_path), str(db)],
                        "pandas": [PANDAS, str(list_path), str(tmp / "pandas.csv")],
                        "samiksha": [SAMIKSHA, str(list_path), str(db), uploaded_at, str(tmp / "samiksha.csv")]}[name]
                run = measure(args)
                runs[name].append(run)
                extra = {"pandas": lambda r: f" (read {r['read_s']:.2f} s, aggregate {r['aggregate_s']:.2f} s)",
                         "samiksha": lambda r: f" (ingest {r['ingest_s']:.2f} s, block_progress {r['query_s']:.2f} s)"}
                print(f"  run {n + 1} {name:9s} {run['seconds']:7.2f} s {run['rss_kib'] / 1024:6.0f} MiB"
                      f"{extra.get(name, lambda r: '')(run)}", flush=True)
                db.unlink(missing_ok=True)
                shutil.rmtree(tmp / f"{name}_{n}_files", ignore_errors=True)
        agree, blocks, differ = compare(tmp / "pandas.csv", tmp / "samiksha.csv")

    med = {name: statistics.median(r["seconds"] for r in v) for name, v in runs.items()}
    peak = {name: max(r["rss_kib"] for r in v) / 1024 for name, v in runs.items()}
    ingest_s = statistics.median(r["ingest_s"] for r in runs["samiksha"])
    query_s = statistics.median(r["query_s"] for r in runs["samiksha"])
    read_s = statistics.median(r["read_s"] for r in runs["pandas"])
    aggregate_s = statistics.median(r["aggregate_s"] for r in runs["pandas"])
    print(f"{'':34} {'median s':>9} {'peak MiB':>9}")
    print(f"{'duckdb: read_csv of every file':34} {med['duckdb']:9.2f} {peak['duckdb']:9.0f}")
    print(f"{'pandas: read + aggregate':34} {med['pandas']:9.2f} {peak['pandas']:9.0f}  "
          f"(read {read_s:.2f} s, aggregate {aggregate_s:.2f} s)")
    print(f"{'samiksha: ingest + block_progress':34} {med['samiksha']:9.2f} {peak['samiksha']:9.0f}  "
          f"(ingest {ingest_s:.2f} s, block_progress {query_s:.2f} s)")
    print(f"ratios: pandas / duckdb {med['pandas'] / med['duckdb']:.2f}x time, {peak['pandas'] / peak['duckdb']:.2f}x "
          f"memory; pandas / samiksha {med['pandas'] / med['samiksha']:.2f}x time, "
          f"{peak['pandas'] / peak['samiksha']:.2f}x memory; samiksha ingest / duckdb {ingest_s / med['duckdb']:.2f}x "
          f"(target {TARGET_RATIO}x: {'yes' if ingest_s / med['duckdb'] <= TARGET_RATIO else 'NO'})")
    print(f"pandas and block_progress agree on {agree}/{blocks} blocks (both indicators)"
          + ("; differences: " + "; ".join(differ) if differ else ""))
    load_end = os.getloadavg()[0]
    print(f"load average (1 min) at start {load_start:.1f}, at end {load_end:.1f} on {os.cpu_count()} cores")
    print(json.dumps({
        "days": params["days"], "files": sum(len(v) for v in written.values()), "mib": round(mib, 1),
        "progress_rows": runs["pandas"][-1]["rows"], "repeats": REPEATS,
        "duckdb_s": round(med["duckdb"], 2), "pandas_s": round(med["pandas"], 2),
        "pandas_read_s": round(read_s, 2), "pandas_aggregate_s": round(aggregate_s, 2),
        "samiksha_s": round(med["samiksha"], 2), "samiksha_ingest_s": round(ingest_s, 2),
        "samiksha_query_s": round(query_s, 3),
        "duckdb_mib": round(peak["duckdb"]), "pandas_mib": round(peak["pandas"]), "samiksha_mib": round(peak["samiksha"]),
        "agree": agree, "blocks": blocks, "differences": differ,
        "peak_rss_mib": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
        "load_avg": [round(load_start, 1), round(load_end, 1)], "bench_s": round(time.perf_counter() - started, 1),
    }, ensure_ascii=False))


if __name__ == "__main__":
    main()
