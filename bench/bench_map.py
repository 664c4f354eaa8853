"""Statewide maps: boundary intake, server time, payload and draw time in Chromium (run by
`make bench`, after bench_pages.py).

Issue: a panchayat map of about 8,200 polygons should send the browser under 3 MB and draw
in Chromium in under 3 s; the block map (534) as well.

The boundaries are made up for the statewide store's own places (bench/statewide.py: its
534 blocks, 8,219 panchayats, names and LGD-like codes), so they match its gazetteer and
figures. Block cells are a relaxed Voronoi diagram of Bihar's box (lon 83.3-88.3, lat
24.3-27.5); each block's panchayat seeds are spread inside its cell, and one Voronoi diagram
of every seed gives the panchayats (neighbours share their edges, as in a real coverage; a
block is the union of its panchayats). Each edge is cut into about 250 m pieces and every
point moved by one smooth field (so shared edges stay shared), giving about 70 points a
panchayat before the product simplifies them. The GeoJSON (properties block_name,
block_code, panchayat_name, panchayat_code) is cached under bench/.cache/.

Measured, all in the same process and run, on a copy of the statewide store:
  intake:  samiksha.ingest.ingest_file(kind="boundaries", level="panchayat") of the file,
           once (the level as a person sets it in the upload preview; what the intake
           proposes with no level chosen is printed when it differs); baseline the bare
           geopandas.read_file of the same file (median of 3); matched N/M;
  server:  samiksha.maps.build (indicator ayushman_cards, the latest date) and
           samiksha.maps.place_map (measure pct) per level, median of 3, and the payload:
           plotly.io.to_json(fig, validate=False) as st.plotly_chart sends it (less a little
           framing); baseline the same shapes as a bare GeoJSON string (GeoDataFrame.to_json);
  browser: Chromium (headless, /usr/bin/chromium) on a local page with the plotly.js of the
           installed plotly package: performance.now() around `await Plotly.newPlot(...)`
           ("draw s") and to the frame after it ("painted s"), median of BENCH_DRAW_RUNS
           (default 3; fewer, at least one, once they add up to BENCH_DRAW_BUDGET seconds,
           default 40); baseline a 10-bar chart drawn the same way. After each draw a
           screenshot is timed (it rasters every tile, which the frame timing may not wait
           for). Every request whose URL is not file:, data: or blob: is counted and blocked.
A map meets the target when its payload is under 3 MB and its painted time under 3 s.
Last: the peak memory (max RSS) of this Python process, Chromium's JS heap, and the load
average, since other work on the machine inflates every time.
"""

from __future__ import annotations

import hashlib
import json
import os
import resource
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
import statewide  # noqa: E402

from samiksha import queries, store  # noqa: E402

RUNS = 3
DRAW_RUNS = int(os.environ.get("BENCH_DRAW_RUNS", "3"))
DRAW_BUDGET_S = float(os.environ.get("BENCH_DRAW_BUDGET", "40"))
TARGET_MB, TARGET_S = 3.0, 3.0
INDICATOR, INDICATOR_NAME, MEASURE = "ayushman_cards", "Ayushman cards", "pct"
LEVEL_CHOSEN = "panchayat"  # the upload preview's level, as a person would set it for this file
CHROMIUM = os.environ.get("BENCH_CHROMIUM", "/usr/bin/chromium")
CHART_WIDTH_PX = 900  # about the map column of the wide layout on a 1280 px screen
MAP_PARAMS = {
    "seed": 4,
    "box": (83.3, 24.3, 88.3, 27.5),  # Bihar: west, south, east, north (degrees)
    "relax": 3,  # Lloyd iterations for the block cells, and (+1) for the seeds inside a block
    "segment": 0.0025,  # degrees (about 250 m): the longest piece of an edge
    "wiggle": ((0.0008, 353, 211, 0.0), (0.0005, -197, 633, 1.3)),  # amplitude, kx, ky, phase
    "precision": 1e-6,  # degrees: the grid the points are written on
}


# --- the boundary file ----------------------------------------------------------------

def _cells(points, frame):
    """Voronoi cells of `points` (in their order), clipped to the polygon `frame`."""
    import numpy as np
    import shapely

    cells = shapely.voronoi_polygons(shapely.multipoints(points), extend_to=frame, ordered=True)
    return shapely.intersection(np.array(list(cells.geoms)), frame)


def _relaxed(points, frame, rounds: int):
    """Points moved `rounds` times to the centroids of their cells: evenly spread."""
    import shapely

    for _ in range(rounds):
        points = shapely.get_coordinates(shapely.centroid(_cells(points, frame)))
    return points


def _wiggle(xy, waves):
    """One smooth displacement of every point (the same point always moves the same way)."""
    import numpy as np

    x, y = xy[:, 0], xy[:, 1]
    dx = sum(a * np.sin(kx * x + ky * y + phase) for a, kx, ky, phase in waves)
    dy = sum(a * np.sin(ky * x - kx * y + phase + 2.1) for a, kx, ky, phase in waves)
    return np.column_stack([x + dx, y + dy])


def make_boundaries(path: Path, params: dict = MAP_PARAMS) -> dict:
    """Write the panchayat GeoJSON of the statewide store's places; its sizes."""
    import geopandas as gpd
    import numpy as np
    import shapely

    blocks = statewide.build_places(statewide.PARAMS)
    rng = np.random.default_rng(params["seed"])
    west, south, east, north = params["box"]
    state = shapely.box(west, south, east, north)
    centres = rng.uniform([west, south], [east, north], size=(len(blocks), 2))
    block_cells = _cells(_relaxed(centres, state, params["relax"]), state)
    seeds, rows = [], []
    for block, cell in zip(blocks, block_cells, strict=True):
        count = len(block.panchayats)
        x0, y0, x1, y1 = cell.bounds
        inside = np.empty((0, 2))
        while len(inside) < count:
            tries = rng.uniform([x0, y0], [x1, y1], size=(count * 4, 2))
            inside = np.vstack([inside, tries[shapely.contains_xy(cell, tries[:, 0], tries[:, 1])]])
        seeds.append(_relaxed(inside[:count], cell, params["relax"] + 1))
        rows += [(block.place.name, block.place.code, p.name, p.code) for p in block.panchayats]
    polygons = _cells(np.vstack(seeds), state)
    polygons = shapely.segmentize(polygons, params["segment"])
    polygons = shapely.transform(polygons, lambda xy: _wiggle(xy, params["wiggle"]))
    polygons = shapely.set_precision(polygons, params["precision"])
    frame = gpd.GeoDataFrame(
        {"block_name": [r[0] for r in rows], "block_code": [r[1] for r in rows],
         "panchayat_name": [r[2] for r in rows], "panchayat_code": [r[3] for r in rows]},
        geometry=list(polygons), crs="EPSG:4326")
    frame.to_file(path, driver="GeoJSON", engine="pyogrio", layer_options={"COORDINATE_PRECISION": 6})
    points = shapely.get_num_coordinates(polygons)
    return {"panchayats": len(frame), "blocks": len(blocks), "points": int(points.sum()),
            "points_median": int(np.median(points)), "valid": bool(shapely.is_valid(polygons).all()),
            "coverage": bool(shapely.coverage_is_valid(polygons)), "mb": path.stat().st_size / 1e6}


def cached_boundaries(store_key: str) -> tuple[Path, dict]:
    """The GeoJSON (made now when not cached under bench/.cache/) and its sizes."""
    key = hashlib.sha256("\n".join([store_key, json.dumps(MAP_PARAMS, sort_keys=True),
                                    Path(__file__).read_text(encoding="utf-8")]).encode()).hexdigest()[:12]
    path = statewide.CACHE_DIR / f"boundaries_{key}.geojson"
    info_path = path.with_suffix(".json")
    if path.exists() and info_path.exists():
        return path, {**json.loads(info_path.read_text(encoding="utf-8")), "cached": True}
    statewide.CACHE_DIR.mkdir(parents=True, exist_ok=True)
    for old in statewide.CACHE_DIR.glob("boundaries_*"):
        old.unlink()
    partial = statewide.CACHE_DIR / f"building_boundaries_{os.getpid()}.geojson"
    started = time.perf_counter()
    try:
        info = make_boundaries(partial)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    info["generate_s"] = round(time.perf_counter() - started, 2)
    os.replace(partial, path)
    info_path.write_text(json.dumps(info, indent=1), encoding="utf-8")
    return path, {**info, "cached": False}


# --- server side ------------------------------------------------------------------------

def timed(call, runs: int = RUNS) -> tuple[list[float], object]:
    """Wall times of `runs` calls (no warm-up: the first is what a fresh session pays) and
    the last result."""
    times, result = [], None
    for _ in range(runs):
        started = time.perf_counter()
        result = call()
        times.append(time.perf_counter() - started)
    return times, result


def payload_parts(fig) -> dict[str, int]:
    """Bytes of the figure's JSON by part: filled shapes, block outlines, hover points
    (their coordinates and ids; their hover text apart), layout."""
    from plotly.io.json import to_json_plotly

    parts = {"fills": 0, "outlines": 0, "hover points": 0, "hover text": 0, "layout": 0}
    for trace in fig.data:
        size = len(to_json_plotly(trace.to_plotly_json()).encode())
        if trace.mode == "markers":
            text = len(to_json_plotly(list(trace.text or [])).encode())
            parts["hover text"] += text
            parts["hover points"] += size - text
        else:
            parts["fills" if trace.fill == "toself" else "outlines"] += size
    parts["layout"] = len(to_json_plotly(fig.layout.to_plotly_json()).encode())
    return parts


def server_side(con, level: str, as_of) -> dict:
    import geopandas as gpd
    import plotly.io

    from samiksha import figures, maps

    ctx = figures.Context("en", INDICATOR_NAME, as_of, None, "Bihar")
    build_times, data = timed(lambda: maps.build(con, INDICATOR, as_of, level, labels=({}, {}), minimum=500))
    figure_times, fig = timed(lambda: maps.place_map(data, MEASURE, ctx))
    json_times, spec = timed(lambda: plotly.io.to_json(fig, validate=False))
    bare = gpd.GeoDataFrame(geometry=data.places.geometry.values, crs="EPSG:4326").to_json()
    sent = [x for trace in fig.data if trace.fill == "toself" for x in trace.x]
    return {"level": level, "polygons": len(data.places), "matched": data.matched, "total": data.total,
            "points": sum(x is not None for x in sent), "build": build_times, "figure": figure_times,
            "json": json_times, "spec": spec, "payload_mb": len(spec.encode()) / 1e6,
            "geojson_mb": len(bare.encode()) / 1e6, "traces": len(fig.data), "parts": payload_parts(fig),
            "no_shape": len(data.no_shape), "no_data": len(data.no_data)}


# --- the browser ------------------------------------------------------------------------

PAGE = """<!doctype html>
<html><head><meta charset="utf-8"><script src="{plotly}"></script></head>
<body style="margin:0"><div id="chart" style="width:{width}px"></div>
<script>
window.SPEC = null;
window.draw = async (config) => {{
  const div = document.getElementById("chart");
  Plotly.purge(div);
  const t0 = performance.now();
  const spec = JSON.parse(window.SPEC);
  const t1 = performance.now();
  await Plotly.newPlot(div, spec.data, spec.layout, config);
  const t2 = performance.now();
  await new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done)));
  const t3 = performance.now();
  const heap = performance.memory ? performance.memory.usedJSHeapSize : 0;
  return {{parse: (t1 - t0) / 1000, draw: (t2 - t1) / 1000, painted: (t3 - t1) / 1000,
           paths: div.querySelectorAll("path").length, heap: heap}};
}};
</script></body></html>
"""
BARS = {"data": [{"type": "bar", "x": [f"Block {i}" for i in range(1, 11)], "y": [3 + i % 4 for i in range(10)]}],
        "layout": {"height": 680, "title": {"text": "10 bars"}}}
LOCAL = ("file:", "data:", "blob:", "about:")


def draw_all(specs: dict[str, str]) -> dict:
    """Each spec drawn DRAW_RUNS times in one Chromium page (the same page for all)."""
    import plotly
    from playwright.sync_api import sync_playwright

    plotly_js = Path(plotly.__file__).parent / "package_data" / "plotly.min.js"
    left: list[str] = []  # requests that would have left the machine
    errors: list[str] = []
    results: dict = {}
    with tempfile.TemporaryDirectory(prefix="samiksha_bench_map_") as tmp, sync_playwright() as p:
        page_path = Path(tmp) / "map.html"
        page_path.write_text(PAGE.format(plotly=plotly_js.as_uri(), width=CHART_WIDTH_PX), encoding="utf-8")
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=["--no-sandbox"])
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 900})

            def route(r):
                if r.request.url.startswith(LOCAL):
                    r.continue_()
                else:
                    left.append(r.request.url)
                    r.abort()

            page.route("**/*", route)
            page.on("pageerror", lambda exc: errors.append(str(exc)))
            page.goto(page_path.as_uri())
            page.wait_for_function("typeof Plotly !== 'undefined'")
            results["plotly_js"] = page.evaluate("Plotly.version")
            for label, spec in specs.items():
                page.evaluate("text => { window.SPEC = text; }", spec)
                page.evaluate("config => draw(config)", {"displaylogo": False})  # warm-up
                runs: list[dict] = []
                while len(runs) < DRAW_RUNS and (not runs or sum(r["painted"] for r in runs) < DRAW_BUDGET_S):
                    run = page.evaluate("config => draw(config)", {"displaylogo": False})
                    begun = time.perf_counter()
                    page.screenshot(type="jpeg", quality=50)  # every tile rastered: the drawn map as seen
                    run["shot"] = time.perf_counter() - begun
                    runs.append(run)
                results[label] = runs
            results["heap_mb"] = max(r["heap"] for label in specs for r in results[label]) / 1e6
        finally:
            browser.close()
    results["left"] = left
    results["errors"] = errors
    return results


# --- the run ----------------------------------------------------------------------------

def main() -> None:
    import geopandas as gpd

    from samiksha import ingest, shapes

    started = time.perf_counter()
    load_start = os.getloadavg()[0]
    path, info = statewide.cached_store()
    build = "cached" if info["cached"] else f"built in {info['build_s']:.1f} s"
    print(f"statewide store: {info['blocks']} blocks, {info['panchayats']:,} panchayats, "
          f"{info['progress_rows']:,} progress rows; {build}")
    geojson, shape_info = cached_boundaries(statewide.cache_key())
    made = "cached" if shape_info["cached"] else f"generated in {shape_info['generate_s']:.1f} s"
    print(f"boundaries: {shape_info['panchayats']:,} panchayat polygons in {shape_info['blocks']} blocks, "
          f"{shape_info['points_median']} points each (median; {shape_info['points']:,} in all), "
          f"valid {shape_info['valid']}, a coverage {shape_info['coverage']}; GeoJSON "
          f"{shape_info['mb']:.1f} MB; {made}")

    data = geojson.read_bytes()
    read_times, frame = timed(lambda: gpd.read_file(geojson, engine="pyogrio"))
    read_s = statistics.median(read_times)
    maps_rows = []
    with tempfile.TemporaryDirectory(prefix="samiksha_bench_map_") as tmp:
        copy = Path(tmp) / "statewide.duckdb"
        shutil.copyfile(path, copy)
        con = store.open_store(str(copy))
        # What the upload preview proposes with nothing chosen; the person then picks the level
        # (the preview's level box), as the ingest below does.
        guessed = shapes.choose_keys(frame, shapes.matcher_for(con, "panchayat"))
        begun = time.perf_counter()
        result = ingest.ingest_file(con.cursor(), data, "bihar_panchayats.geojson", kind="boundaries",
                                    level=LEVEL_CHOSEN)
        ingest_s = time.perf_counter() - begun
        if not result.ok:
            raise SystemExit(f"boundary file refused: {result.refusal.code} {result.refusal.params}")
        by_how = result.staged.counts_by_how
        matched = sum(n for how, n in by_how.items() if how != "unmatched")
        print(f"intake: baseline geopandas.read_file {read_s:.2f} s (median of {RUNS}); ingest_file (level "
              f"{LEVEL_CHOSEN}) {ingest_s:.2f} s ({ingest_s / read_s:.1f}x, 1 run); matched "
              f"{matched:,}/{result.staged.rows_accepted:,} ({', '.join(f'{k} {v:,}' for k, v in by_how.items())}); "
              f"columns: {_keys(result.staged.keys)}")
        if guessed != result.staged.keys:
            print(f"{'':8} with no level chosen the intake proposes {_keys(guessed)}")
        as_of = queries.latest_date(con, INDICATOR)
        for level in ("panchayat", "block"):
            maps_rows.append(server_side(con, level, as_of))
        con.close()
    print(f"figures: indicator {INDICATOR}, as_of {as_of}, measure {MEASURE}; server times median of {RUNS} "
          f"(max in brackets)")

    specs = {"bars": json.dumps(BARS)} | {row["level"]: row["spec"] for row in maps_rows}
    drawn = draw_all(specs)
    base_runs = drawn["bars"]
    base_painted = statistics.median(r["painted"] for r in base_runs)
    for row in maps_rows:
        row["drawn"] = drawn[row["level"]]
    peak_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    load_end = os.getloadavg()[0]

    print_table(maps_rows, base_runs)
    print(f"{'':8} plotly.js {drawn['plotly_js']} (of the installed plotly package; Streamlit bundles its own), "
          f"chart {CHART_WIDTH_PX} px wide; draw s: Plotly.newPlot; painted s: to the frame after it; "
          f"JSON.parse apart")
    for row in maps_rows:
        parts = row["parts"]
        total = sum(parts.values())
        shares = ", ".join(f"{name} {size / 1e6:.2f} MB ({size / total:.0%})" for name, size in parts.items())
        print(f"payload {row['level']}: {shares}; {row['points']:,} shape points sent in {row['traces']} traces")
    print(f"network: {len(drawn['left'])} request(s) would have left the machine (blocked)"
          + (": " + ", ".join(drawn["left"][:5]) if drawn["left"] else ""))
    for error in drawn["errors"]:
        print(f"page error: {error}")
    print(f"memory: peak RSS of this process {peak_mib:.0f} MiB; Chromium JS heap up to {drawn['heap_mb']:.0f} MB")
    print(f"load average (1 min) at start {load_start:.1f}, at end {load_end:.1f} on {os.cpu_count()} cores"
          + ("  — other work was running: times are inflated" if max(load_start, load_end) > 1.5 * os.cpu_count()
             else ""))
    summary = {row["level"]: {
        "polygons": row["polygons"], "build_s": round(statistics.median(row["build"]), 3),
        "figure_s": round(statistics.median(row["figure"]), 3), "payload_mb": round(row["payload_mb"], 2),
        "geojson_mb": round(row["geojson_mb"], 2), "json_s": round(statistics.median(row["json"]), 3),
        "matched": row["matched"], "total": row["total"], "draw_runs": len(row["drawn"]),
        "draw_s": round(statistics.median(r["draw"] for r in row["drawn"]), 3),
        "painted_s": round(statistics.median(r["painted"] for r in row["drawn"]), 3),
        "target_met": met(row)} for row in maps_rows}
    print(json.dumps({"ingest_s": round(ingest_s, 2), "read_file_s": round(read_s, 3), "matched": matched,
                      "shapes": result.staged.rows_accepted, "maps": summary,
                      "baseline_painted_s": round(base_painted, 3), "requests_left": len(drawn["left"]),
                      "peak_rss_mib": round(peak_mib), "load_avg": [round(load_start, 1), round(load_end, 1)],
                      "bench_s": round(time.perf_counter() - started, 1)}, ensure_ascii=False))


def _keys(keys) -> str:
    return f"level {keys.level}, name {keys.name}, code {keys.code}, parent {keys.parent}"


def met(row) -> bool:
    painted = statistics.median(r["painted"] for r in row["drawn"])
    return row["payload_mb"] < TARGET_MB and painted < TARGET_S


def print_table(rows, base_runs) -> None:
    def seconds(times) -> str:
        return f"{statistics.median(times):6.2f} ({max(times):5.2f})"

    base_draw = statistics.median(r["draw"] for r in base_runs)
    base_painted = statistics.median(r["painted"] for r in base_runs)
    header = (f"{'map':10} {'polygons':>8} {'build s':>14} {'figure s':>14} {'to_json s':>9} {'payload MB':>10} "
              f"{'GeoJSON MB':>10} {'x GeoJSON':>9} {'draw s':>7} {'painted s':>9} {'base s':>6} {'x base':>7} "
              f"{'met':>4}  note")
    print(header)
    print("-" * len(header))
    for row in rows:
        draws, painted = [r["draw"] for r in row["drawn"]], [r["painted"] for r in row["drawn"]]
        painted_s = statistics.median(painted)
        reasons = [f"payload {row['payload_mb'] / TARGET_MB:.1f}x 3 MB"] if row["payload_mb"] >= TARGET_MB else []
        reasons += [f"painted {painted_s / TARGET_S:.1f}x 3 s"] if painted_s >= TARGET_S else []
        runs = len(row["drawn"])
        note = (f"matched {row['matched']:,}/{row['total']:,}; {row['no_shape']} without shape, "
                f"{row['no_data']} without figures; JSON.parse {statistics.median(r['parse'] for r in row['drawn']):.2f} s, "
                f"screenshot {statistics.median(r['shot'] for r in row['drawn']):.2f} s "
                f"(bars {statistics.median(r['shot'] for r in base_runs):.2f})"
                + (f"; {runs} draw runs" if runs < DRAW_RUNS else "") + ("; over: " + ", ".join(reasons) if reasons
                                                                          else ""))
        print(f"{row['level']:10} {row['polygons']:8,} {seconds(row['build']):>14} {seconds(row['figure']):>14} "
              f"{statistics.median(row['json']):9.2f} {row['payload_mb']:10.2f} {row['geojson_mb']:10.2f} "
              f"{row['payload_mb'] / row['geojson_mb']:8.2f}x {statistics.median(draws):7.2f} {painted_s:9.2f} "
              f"{base_painted:6.2f} {painted_s / base_painted:6.1f}x {'yes' if met(row) else 'NO':>4}  {note}")
    print(f"{'baseline':10} {'10 bars':>8} {'':>14} {'':>14} {'':>9} {len(json.dumps(BARS)) / 1e6:10.4f} "
          f"{'':>10} {'':>9} {base_draw:7.3f} {base_painted:9.3f}  median of {len(base_runs)} in the same page")


if __name__ == "__main__":
    main()
