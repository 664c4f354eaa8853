"""The registry of the kinds of report (each a module of samiksha/kinds/): what the command
line's --kind and the Upload page offer, how a file's kind is found, where rows are stored."""


from __future__ import annotations

from samiksha import intake
from samiksha.kinds import gazetteer, households, progress, shg, targets, worker_output, workers

TABLE_KINDS = (progress, targets, shg, workers, worker_output, households, gazetteer)  # read from a table file
BOUNDARIES = "boundaries"  # read by samiksha/shapes.py (GeoJSON, Shapefile, GeoPackage)
NAMES = (*(kind.NAME for kind in TABLE_KINDS), BOUNDARIES)
BY_NAME = {kind.NAME: kind for kind in TABLE_KINDS}
# The store tables whose rows keep a place's name as written (matched again when names change).
NAMED_PLACE_TABLES = tuple(kind.TABLE for kind in TABLE_KINDS if getattr(kind, "NAMED_PLACES", False))


def get(name: str):
    return BY_NAME[name]


def stage(con, data: bytes, file_name: str, kind: str | None = None, **options):
    """Read and validate one table file (intake.stage) as the kind named, else as the kind whose
    fields its header names best."""
    return intake.stage(con, data, file_name, kind=BY_NAME[kind] if kind else None, kinds=TABLE_KINDS, **options)
