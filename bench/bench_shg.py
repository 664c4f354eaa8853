"""SHG registers at the size of Bihar: intake, the SHG queries and the SHG page (run by `make bench`).

Writes two statewide SHG registers (seeded random, shaped like the JEEViKA exports: title row,
Indian digit grouping, day-first dates) of BENCH_SHG_ROWS SHGs (default 11.3 lakh) in 38
districts and 534 blocks, the second 61 days after the first (savings grown for most), every
row valid. Then, each in fresh processes, alternating, BENCH_REPEATS times (default 3):
  baseline: DuckDB alone, read_csv of the first register into a table of a new database file;
  samiksha: `ingest_file(kind="shg")` of the same file into a new store.
Both clocks start after the imports and stop after a checkpoint. Prints median wall time,
peak memory (max RSS) and their ratios (targets: time within 2.5x, memory within 1 GB). The second register then
goes into the last samiksha store, and on that store, in this process, each SHG query runs
through samiksha.queries.run (as_of the second register's date): median of BENCH_RUNS
(default 5) runs after one warm-up (target: under 1 s). Last, pages/shg.py (when present) is
rendered server side with streamlit's AppTest: the first render and a second (warm) one.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from samiksha.fmt import group_indian  # noqa: E402

ROWS = int(os.environ.get("BENCH_SHG_ROWS", "1130000"))
REPEATS = int(os.environ.get("BENCH_REPEATS", "3"))
RUNS = int(os.environ.get("BENCH_RUNS", "5"))
DISTRICTS, BLOCKS = 38, 534
FIRST, SECOND = dt.date(2025, 5, 30), dt.date(2025, 7, 30)
QUERIES = ("inactive_shgs", "stagnant_shgs", "shg_blocks", "shg_changes", "shg_review")
PAGE = "pages/shg.py"
TARGET_S = 1.0
HEADER = ("Sl,District,Block,Panchayat,Village,Village Organisation,SHG Name,SHG ID,Formation Date,"
          "No. of Members,Last Meeting,Cumulative Saving,Last Saving Date,Bank A/c (Y/N),Credit Linkage,"
          "Loan O/S,Overdue,Members with Ayushman Card,Members Insured,Status")
NAMES = ("Laxmi", "Durga", "Saraswati", "Sita", "Gauri", "Jai Maa Kali", "Parvati", "Radha", "Jeevika",
         "Ujala", "Pragati", "Savitri", "Ganga", "Chandni", "Mamta", "Suraj", "Kiran", "Roshni")


def write_registers(first: Path, second: Path, rows: int) -> None:
    """The same SHGs in two registers, FIRST and SECOND; every row valid in both."""
    rng = random.Random(11)
    # (district, block, panchayat, villages): 12 to 20 panchayats in each block, 3 to 8 villages in each.
    where = [(f"District {(b - 1) * DISTRICTS // BLOCKS + 1:02d}", f"Block {b:03d}", f"Panchayat {b:03d}-{p:02d}",
              rng.randint(3, 8)) for b in range(1, BLOCKS + 1) for p in range(1, rng.randint(12, 20) + 1)]
    day_text: dict[int, tuple[str, str]] = {}

    def day(ordinal: int | None) -> str:
        if ordinal is None:
            return ""
        if ordinal not in day_text:
            d = dt.date.fromordinal(ordinal)
            day_text[ordinal] = (f"{d.day:02d}-{d.month:02d}-{d.year}", f"{d.day:02d}/{d.month:02d}/{d.year}")
        return day_text[ordinal][rng.random() < 0.1]  # a few registers' clerks write dd/mm/yyyy

    def money(value: int) -> str:
        text = group_indian(str(value))
        return f'"{text}"' if "," in text else text

    start, one, two = dt.date(2008, 1, 1).toordinal(), FIRST.toordinal(), SECOND.toordinal()
    with first.open("w", encoding="utf-8", newline="") as a, second.open("w", encoding="utf-8", newline="") as b:
        for out, when in ((a, FIRST), (b, SECOND)):
            out.write(f"JEEViKA SHG register as on {when:%d.%m.%Y} (statewide benchmark)\n{HEADER}\n")
        for i in range(rows):
            district, block, panchayat, villages = where[i * len(where) // rows]
            v = rng.randint(1, villages)
            village = f"{panchayat.replace('Panchayat', 'Village')}-{v}"
            place = (f"{district},{block},{panchayat},{village},VO {village[8:]}-{rng.randint(1, 2)},"
                     f"{rng.choice(NAMES)} Jeevika SHG,1{block[-3:]}{i:07d}")
            formed = rng.randint(start, one - 30)
            members = rng.randint(10, 15)
            back = 45 if rng.random() < 0.88 else 200  # most met and saved lately, some long ago
            met = None if rng.random() < 0.05 else rng.randint(max(formed, one - back), one)
            saved_on = rng.randint(max(formed, one - back), one)
            savings = ((one - formed) // 30 + 1) * members * rng.randint(40, 110)
            bank = "Yes" if rng.random() < 0.96 else "No"
            credit = rng.choices(("No", "1st", "2nd"), (40, 45, 15))[0]
            loan = rng.randint(20, 300) * 1000 if credit != "No" else 0
            overdue = rng.randint(1, loan // 1000) * 1000 if loan and rng.random() < 0.1 else 0
            cards, insured = rng.randint(0, members), rng.randint(0, members)
            status = "Inactive" if rng.random() < 0.07 else "Active"
            a.write(f"{i + 1},{place},{day(formed)},{members},{day(met)},{money(savings)},{day(saved_on)},{bank},"
                    f"{credit},{money(loan)},{money(overdue)},{cards},{insured},{status}\n")
            # 61 days on: most met and saved again; a tenth saved nothing (no growth).
            if met is not None and rng.random() < 0.85:
                met = rng.randint(one + 1, two)
            if rng.random() < 0.9:
                savings += members * rng.randint(50, 200) * 2
                saved_on = rng.randint(one + 1, two)
            if credit == "No" and rng.random() < 0.03:
                credit, loan = "1st", rng.randint(20, 100) * 1000
            loan = max(loan - rng.randint(0, 10) * 1000, overdue)
            cards = min(members, cards + rng.randint(0, 2))
            b.write(f"{i + 1},{place},{day(formed)},{members},{day(met)},{money(savings)},{day(saved_on)},{bank},"
                    f"{credit},{money(loan)},{money(overdue)},{cards},{insured},{status}\n")


BASELINE = """
import duckdb, resource, sys, time
start = time.perf_counter()
con = duckdb.connect(sys.argv[2])
con.execute("CREATE TABLE register AS SELECT * FROM read_csv(?, skip=1, header=true)", [sys.argv[1]])
con.execute("CHECKPOINT")
rows = con.execute("SELECT count(*) FROM register").fetchall()[0][0]
print(rows, time.perf_counter() - start, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
"""

SAMIKSHA = """
import datetime, resource, sys, time
from pathlib import Path
from samiksha import ingest, store
start = time.perf_counter()
con = store.open_store(sys.argv[2])
path = Path(sys.argv[1])
result = ingest.ingest_file(con.cursor(), path.read_bytes(), path.name, kind="shg",
                            report_date=datetime.date.fromisoformat(sys.argv[3]), files=store.files_dir(sys.argv[2]))
con.execute("CHECKPOINT")
assert result.ok, result.refusal
staged = result.staged
assert staged.rows_accepted == int(sys.argv[4]) and not staged.rows_rejected, (staged.rows_accepted, staged.issues[:5])
print(staged.rows_accepted, time.perf_counter() - start, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
"""


BARE_PROCESS = ("import duckdb, sys; duckdb.connect(sys.argv[1], read_only=True)"
                ".execute('SELECT block, count(*) FROM shg_register GROUP BY block').fetchall()")


def measure(code: str, csv_path: Path, db: Path, date: dt.date) -> tuple[float, float]:
    out = subprocess.run([sys.executable, "-c", code, str(csv_path), str(db), date.isoformat(), str(ROWS)],
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


def render_page(db: Path) -> tuple[float | None, float | None, str]:
    """The SHG page in a fresh AppTest session: its first render and a second (warm) one."""
    import streamlit.logger
    from streamlit.testing.v1 import AppTest

    os.environ["SAMIKSHA_DB"] = str(db)
    streamlit.logger.set_log_level("CRITICAL")
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=600)
    problems: list[str] = []

    def run() -> float:
        started = time.perf_counter()
        at.run()
        streamlit.logger.set_log_level("CRITICAL")  # a run resets it from the config
        problems.extend({f"EXCEPTION {e.value}"[:160] for e in at.exception} - set(problems))
        return time.perf_counter() - started

    try:
        at.switch_page(PAGE)  # before the first run a page is found by its file name (as bench_pages.py)
        times = [run()]
        if at._finished_page_script_hash != at._resolve_page_hash(PAGE):  # the first run was elsewhere
            problems.append("first run on another page")
            at.switch_page(PAGE)
            times = [run()]
        times.append(run())
    except Exception as exc:  # a timeout or a failure of the harness: reported, not fatal
        return None, None, f"FAILED {type(exc).__name__}: {str(exc)[:120]}"
    note = "; ".join(problems) or "ok"
    titles = [t.value for t in at.title]
    return times[0], times[1], note + f"; {len(at.error)} st.error" * bool(at.error) + \
        (f"; title “{titles[0][:40]}”" if titles else "")


def main() -> None:
    started, load_start = time.perf_counter(), os.getloadavg()[0]
    table: list[tuple[str, str, str, str, str]] = []  # kind, what, seconds, memory, note
    summary: dict = {"rows": ROWS}
    with tempfile.TemporaryDirectory(prefix="samiksha_bench_shg_") as tmp_name:
        tmp = Path(tmp_name)
        first, second = tmp / "shg_register_30.05.2025.csv", tmp / "shg_register_30.07.2025.csv"
        write_registers(first, second, ROWS)
        print(f"registers: {ROWS:,} SHGs each, {first.stat().st_size / 2**20:.0f} + "
              f"{second.stat().st_size / 2**20:.0f} MiB, written in {time.perf_counter() - started:.1f} s")

        runs: dict[str, list[tuple[float, float]]] = {"duckdb": [], "samiksha": []}
        for n in range(REPEATS):
            for name, code in (("duckdb", BASELINE), ("samiksha", SAMIKSHA)):
                db = tmp / f"{name}_{n}.duckdb"
                runs[name].append(measure(code, first, db, FIRST))
                print(f"  run {n + 1} {name:9s} {runs[name][-1][0]:7.2f} s {runs[name][-1][1]:7.0f} MiB", flush=True)
        med = {name: (statistics.median(r[0] for r in v), max(r[1] for r in v)) for name, v in runs.items()}
        ratio_time, ratio_mem = (med["samiksha"][0] / med["duckdb"][0], med["samiksha"][1] / med["duckdb"][1])
        table += [("ingest", f"{name} (first register)", f"{seconds:.2f}", f"{mib:.0f} MiB", f"median of {REPEATS}")
                  for name, (seconds, mib) in med.items()]
        table.append(("ingest", "ratio samiksha / duckdb", f"{ratio_time:.2f}x", f"{ratio_mem:.2f}x",
                      "target: time within 2.5x: " + ("yes" if ratio_time <= 2.5 else "NO")))
        seconds, mib = measure(SAMIKSHA, second, db, SECOND)  # into the last samiksha store
        table.append(("ingest", "samiksha (second register)", f"{seconds:.2f}", f"{mib:.0f} MiB",
                      "into the store holding the first"))
        summary.update(duckdb_s=round(med["duckdb"][0], 2), samiksha_s=round(med["samiksha"][0], 2),
                       time_ratio=round(ratio_time, 2), memory_ratio=round(ratio_mem, 2),
                       duckdb_mib=round(med["duckdb"][1]), samiksha_mib=round(med["samiksha"][1]),
                       second_register_s=round(seconds, 2), queries_s={})

        from samiksha import queries, store

        con = store.open_store(str(db))
        base, _ = timed(lambda: con.execute("SELECT block, count(*) FROM shg_register GROUP BY block").df())
        summary["query_baseline_s"] = round(statistics.median(base), 4)
        summary["query_rows"] = {}
        table.append(("query", "baseline: count by block", f"{statistics.median(base):.3f}", "",
                      "bare duckdb on shg_register"))
        for name in QUERIES:
            try:
                times, frame = timed(lambda name=name: queries.run(con, name, as_of=SECOND))
            except Exception as exc:
                table.append(("query", name, "—", "", f"FAILED {type(exc).__name__}: {str(exc)[:120]}"))
                continue
            median = statistics.median(times)
            summary["queries_s"][name] = round(median, 3)
            summary["query_rows"][name] = len(frame)
            table.append(("query", name, f"{median:.3f}", f"{len(frame):,} rows",
                          f"max {max(times):.3f} s; under 1 s: " + ("yes" if median < TARGET_S else "NO")))
        con.close()

        # shg_blocks from the command line (a fresh process: Python, the store's opening, the
        # query, the CSV) against a fresh process of bare DuckDB counting SHGs by block.
        def process_s(args: list[str]) -> float:
            begun = time.perf_counter()
            subprocess.run(args, cwd=ROOT, check=True, capture_output=True)
            return time.perf_counter() - begun

        bare = [process_s([sys.executable, "-c", BARE_PROCESS, str(db)]) for _ in range(3)]
        cli = [process_s([sys.executable, "-m", "samiksha", "query", "shg_blocks", "--db", str(db),
                          "--param", f"as_of={SECOND}"]) for _ in range(3)]
        summary.update(cli_s=round(statistics.median(cli), 3), cli_baseline_s=round(statistics.median(bare), 3))
        table.append(("cli", "python -m samiksha query shg_blocks", f"{statistics.median(cli):.3f}", "",
                      f"bare DuckDB process {statistics.median(bare):.3f} s; under 1 s: "
                      + ("yes" if statistics.median(cli) <= 1 else "NO")))

        if (ROOT / PAGE).exists():
            cold, warm, note = render_page(db)
            table += [("page", f"{PAGE} {label}", "—" if s is None else f"{s:.2f}", "", note * (label[0] == "s"))
                      for label, s in (("first render", cold), ("second render", warm))]
            summary["page_s"] = [None if s is None else round(s, 2) for s in (cold, warm)]
            summary["page_note"] = note
        else:
            print(f"page: {PAGE} not present")
            summary["page_s"] = None

    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    width = max(len(what) for _, what, *_ in table) + 2
    print(f"{'':7} {'what':{width}} {'seconds':>9} {'memory/rows':>14}  note")
    for kind, what, seconds, memory, note in table:
        print(f"{kind:7} {what:{width}} {seconds:>9} {memory:>14}  {note}")
    load_end = os.getloadavg()[0]
    print(f"peak RSS of this process (queries, page) {peak:.0f} MiB; load average (1 min) {load_start:.1f} "
          f"at start, {load_end:.1f} at end on {os.cpu_count()} cores")
    summary.update(peak_rss_mib=round(peak), load_avg=[round(load_start, 1), round(load_end, 1)],
                   bench_s=round(time.perf_counter() - started, 1))
    print(json.dumps(summary, ensure_ascii=False))


if __name__ == "__main__":
    main()
