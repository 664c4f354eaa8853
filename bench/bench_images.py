"""Chart images and the review brief: first and warm times (run by `make bench`).

On a demo-district store built in a temporary directory, in one process and run:
  baseline: plotly's own `fig.to_image` of the block ranking, which starts a fresh Chromium
            for every image (what the app would do without a warm renderer);
  first:    the first image through samiksha.render (starts the renderer's Chromium);
  warm:     each chart kind of the `image` command (block_progress, panchayat_progress, map)
            in English and Hindi, through the warm renderer: median and max of BENCH_RUNS
            (default 5) runs;
  brief:    the review brief (PDF and PNG) warm, in both languages, and a cold
            `python -m samiksha brief` from process start (a new Python and Chromium).
Targets (issue 7): a warm image under 0.5 s, the brief under 5 s. "x base" is the time over
the baseline's median. Last: peak memory (max RSS) and the load average (other work on this
shared machine inflates every time).
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

from samiksha import brief, demo, images, render, store  # noqa: E402

RUNS = int(os.environ.get("BENCH_RUNS", "5"))
INDICATOR = "ayushman_cards"
WARM_TARGET_S, BRIEF_TARGET_S = 0.5, 5.0
RECORDS: list[dict] = []  # every row, for the JSON last line (bench/run.py)


def timed(call, runs: int = RUNS) -> list[float]:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        call()
        times.append(time.perf_counter() - started)
    return times


def row(what: str, times: list[float], base: float | None, target: float | None = None) -> str:
    median = statistics.median(times)
    RECORDS.append({"what": what, "median_s": round(median, 4), "max_s": round(max(times), 4), "runs": len(times),
                    "base_s": round(base, 4) if base else None, "target_s": target,
                    "met": None if target is None else median < target})
    ratio = f"{median / base:.2f}" if base else ""
    verdict = "" if target is None else ("met" if median < target else "NOT MET")
    return f"| {what} | {median:.3f} | {max(times):.3f} | {len(times)} | {ratio} | {verdict} |"


def main() -> None:
    work = Path(tempfile.mkdtemp(prefix="samiksha-bench-images-"))
    path = work / "demo.duckdb"
    con = store.open_store(str(path))
    demo.load(con, files=work / "files")
    con.close()
    con = store.open_store(str(path), read_only=True)
    as_of = dt.date(2025, 5, 30)
    figure = images.chart(con, "block_progress", INDICATOR, as_of, "en").figure
    height = int(figure.layout.height)

    base_times = timed(lambda: figure.to_image(format="png", width=images.WIDTH, height=height,
                                              scale=images.SCALE), runs=3)
    base = statistics.median(base_times)
    lines = ["| what | median s | max s | runs | x base | target |", "|---|---|---|---|---|---|",
             row("baseline: plotly to_image (a new Chromium each image)", base_times, base)]
    started = time.perf_counter()
    images.png(figure)
    lines.append(row("first image (starts the warm renderer)", [time.perf_counter() - started], base))
    for lang in ("en", "hi"):
        for name in images.CHARTS:
            made = images.chart(con, name, INDICATOR, as_of, lang).figure
            lines.append(row(f"warm image: {name} ({lang}, {len(images.png(made)):,} bytes)",
                             timed(lambda made=made: images.png(made)), base, WARM_TARGET_S))
    for lang in ("en", "hi"):
        lines.append(row(f"brief PDF + PNG, warm ({lang})",
                         timed(lambda lang=lang: brief.make(con, INDICATOR, as_of, lang), runs=3), base, BRIEF_TARGET_S))
    con.close()
    cold = []
    for _ in range(2):
        started = time.perf_counter()
        subprocess.run([sys.executable, "-m", "samiksha", "brief", "--db", str(path), "--indicator", INDICATOR,
                        "--as-of", as_of.isoformat(), "--out", str(work / "brief.pdf")], cwd=ROOT, check=True,
                       capture_output=True)
        cold.append(time.perf_counter() - started)
    lines.append(row("brief PDF, cold `python -m samiksha brief` (process start to file)", cold, base, BRIEF_TARGET_S))
    render.renderer().close()
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print("\n## Chart images and the review brief (bench/bench_images.py)\n")
    print("\n".join(lines))
    print(f"\npeak memory of this process {peak:,.0f} MiB (Chromium's own processes not included); "
          f"load average {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores")
    print(json.dumps({"rows": RECORDS, "peak_rss_mib": round(peak), "load_avg": round(os.getloadavg()[0], 1)},
                     ensure_ascii=False))


if __name__ == "__main__":
    main()
