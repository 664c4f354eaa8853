"""The demo district: generated report files (data/demo_district.py) loaded as uploads.

The demo goes through the same intake as any upload, so every figure on screen traces to
a file. Its uploads are marked `source = 'demo'`, the app shows a banner while they are in
the store, and `clear()` removes them.
"""

from __future__ import annotations

import datetime as dt
import importlib.util
import sys
import tempfile
from pathlib import Path

from samiksha import ingest, store

GENERATOR = store.ROOT / "data" / "demo_district.py"
KINDS_IN_ORDER = ("gazetteer", "targets", "progress", "shg", "workers", "worker_output", "households", "boundaries")
SUBMITTED_AT = dt.time(16, 5)  # blocks send the day's report before 5 PM
CUTOFF = dt.time(17, 0)


def generator():
    """The demo generator module, loaded from data/ (it is not part of the package)."""
    name = "samiksha_demo_district"
    if name not in sys.modules:
        spec = importlib.util.spec_from_file_location(name, GENERATOR)
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        spec.loader.exec_module(module)
    return sys.modules[name]


def _uploaded_at(kind: str, path: Path, index: int, module) -> dt.datetime:
    last_day = module.REPORT_DATES[-1]
    if kind == "shg":  # the register's own date, sent in the afternoon
        return dt.datetime.combine(dt.date.fromisoformat(path.stem[-10:]), dt.time(15, 30))
    if kind == "households":  # the survey register, compiled the evening of its date
        return dt.datetime.combine(dt.date.fromisoformat(path.stem[-10:]), dt.time(18, 0))
    if kind == "workers":  # the roster as of the last day, sent that morning
        return dt.datetime.combine(last_day, dt.time(11, 0))
    if kind == "worker_output":  # the portal's export, taken that evening
        return dt.datetime.combine(last_day, dt.time(19, 30))
    if kind != "progress":
        return dt.datetime.combine(module.CAMPAIGN_START - dt.timedelta(days=1), dt.time(11, 0))
    day = dt.date.fromisoformat(path.stem[-10:])
    late = module.late_minutes(path.name)
    if late is not None:  # a block's report that came after the cut-off
        return dt.datetime.combine(day, CUTOFF) + dt.timedelta(minutes=late)
    return dt.datetime.combine(day, SUBMITTED_AT) + dt.timedelta(minutes=index % 50)


def load(con=None, files: Path | None = None, connect=None) -> dict:
    """Generate the demo district's files and store them as demo uploads: through `con`, or
    file by file through a store opened for each by `connect()` (a context manager), so that
    others using the store (the app's pages) go on between the files."""
    from contextlib import nullcontext

    def using():
        return nullcontext(con) if connect is None else connect()

    module = generator()
    results = []
    with tempfile.TemporaryDirectory(prefix="samiksha_demo_") as tmp:
        written = module.generate(Path(tmp))
        for kind in KINDS_IN_ORDER:
            for index, path in enumerate(sorted(written[kind])):
                when = _uploaded_at(kind, path, index, module)
                with using() as each:
                    result = ingest.ingest_file(each.cursor(), path.read_bytes(), path.name, kind=kind,
                                                source="demo", uploaded_at=when, files=files,
                                                report_date=module.REPORT_DATES[-1] if kind == "workers" else None)
                results.append(result)
    with using() as last:
        last.execute("DELETE FROM settings WHERE key = ?", [CLEARED_KEY])
        store.set_setting(last, "district_name", {"en": module.DISTRICT_NAME, "hi": module.DISTRICT_NAME_HI})
        store.set_setting(last, "district_code", module.DISTRICT_CODE)
        store.set_setting(last, "drive", {"name": module.DRIVE_NAME, "name_hi": module.DRIVE_NAME_HI,
                                          "start": module.DRIVE_DAYS[0].isoformat(),
                                          "end": module.DRIVE_DAYS[-1].isoformat()})
        store.set_setting(last, "worker_id_deadline", module.ID_DEADLINE.isoformat())
        store.set_setting(last, "worker_training_deadline", module.TRAINING_DEADLINE.isoformat())
        counts = store.records(last, "SELECT level, count(*) AS n FROM places_current GROUP BY level")
    by_level = {row["level"]: row["n"] for row in counts}
    return {"district": module.DISTRICT_NAME, "uploads": sum(r.ok for r in results),
            "blocks": by_level.get("block", 0), "panchayats": by_level.get("panchayat", 0)}


DEMO_SETTINGS = ("district_name", "district_code", "drive", "worker_id_deadline", "worker_training_deadline")  # what clear() removes with the demo
CLEARED_KEY = "demo_cleared"  # set by clear(): an empty store then stays empty on the next start


def demo_uploads(con) -> int:
    return store.scalar(con, "SELECT count(*) FROM uploads WHERE source = 'demo'") or 0


def has_data(con) -> bool:
    """Something was ever stored, or the demo was cleared (then it does not come back)."""
    return bool(store.scalar(con, "SELECT count(*) FROM uploads")) or bool(store.get_setting(con, CLEARED_KEY))


def clear(con) -> int:
    """Remove every demo upload, its rows and its kept files; other uploads stay."""
    ids = [row[0] for row in con.execute("SELECT upload_id FROM uploads WHERE source = 'demo'").fetchall()]
    paths = [row[0] for row in con.execute(
        "SELECT raw_path FROM uploads WHERE source = 'demo' AND raw_path IS NOT NULL").fetchall()]
    with store.transaction(con):
        for table in ("progress", "targets", "places", "upload_issues", "rejected_rows",
                      "place_matches", "boundary_features", "shg_register", "workers",
                      "worker_output", "households", "uploads"):
            con.execute(f"DELETE FROM {table} WHERE upload_id IN (SELECT unnest(?))", [ids])
        for key in DEMO_SETTINGS:
            con.execute("DELETE FROM settings WHERE key = ?", [key])
        store.set_setting(con, CLEARED_KEY, True)
    for path in paths:
        Path(path).unlink(missing_ok=True)
    return len(ids)
