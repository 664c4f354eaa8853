"""Boundary files as districts hold them: GeoJSON, a zipped Shapefile or a GeoPackage, read
into shapes in longitude/latitude (EPSG:4326), repaired where invalid.

Reading only (the first layer of issue 4's boundaries kind): zips are opened safely (no
entry written outside its folder, limits on count and size, no bombs), coordinates that are
really metres under a degrees label are recognised, and every refusal is an IntakeError
naming the file. Nothing here stores anything.
"""

from __future__ import annotations

import io
import tempfile
import zipfile
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from samiksha.errors import IntakeError

MAX_ENTRIES = 2000
MAX_UNZIPPED = 500 * 1024 * 1024  # bytes, all entries together
MAX_RATIO = 200  # unzipped / zipped size of one entry: more is a zip bomb
INDIA = (66.0, 6.0, 99.0, 38.0)  # lon/lat box a district's shapes must fall in
# Projected systems Indian boundary files come in, tried when degrees are really metres.
METRE_CRS = ("EPSG:32645", "EPSG:32644", "EPSG:32643", "EPSG:32646", "EPSG:7755", "EPSG:24378", "EPSG:24379",
             "EPSG:3857")
SHAPE_PARTS = (".shp", ".shx", ".dbf", ".prj", ".cpg")


@dataclass
class Boundaries:
    """What was read: the shapes (EPSG:4326) and how they were read."""

    frame: object  # geopandas.GeoDataFrame
    file_format: str  # geojson | shapefile | geopackage
    source_crs: str
    notes: list[tuple[str, dict]] = field(default_factory=list)  # (catalogue key, params)

    @property
    def count(self) -> int:
        return len(self.frame)


def file_format(data: bytes, file_name: str) -> str:
    """geojson | zip | geopackage, from the bytes (a name can lie)."""
    head = data[:64].lstrip(b"\xef\xbb\xbf \t\r\n")
    if data[:4] == b"PK\x03\x04":
        return "zip"
    if data[:16] == b"SQLite format 3\x00":
        return "geopackage"
    if head.startswith(b"{"):
        return "geojson"
    raise IntakeError("boundary_format", file=file_name)


def safe_extract(data: bytes, file_name: str, folder: Path) -> list[Path]:
    """Extract a zip into `folder`, refusing entries that would land outside it, too many
    entries, too much data, or an entry that inflates like a bomb."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        raise IntakeError("boundary_bad_zip", file=file_name) from None
    entries = [info for info in archive.infolist() if not info.is_dir()]
    if len(entries) > MAX_ENTRIES:
        raise IntakeError("boundary_zip_too_many", file=file_name, count=len(entries), limit=MAX_ENTRIES)
    total = 0
    for info in entries:
        path = PurePosixPath(info.filename.replace("\\", "/"))
        if path.is_absolute() or ".." in path.parts or ":" in info.filename:
            raise IntakeError("boundary_zip_unsafe", file=file_name, entry=info.filename)
        total += info.file_size
        if total > MAX_UNZIPPED or info.file_size > MAX_RATIO * max(info.compress_size, 1) + 1024 * 1024:
            raise IntakeError("boundary_zip_too_big", file=file_name, entry=info.filename)
    written = []
    root = folder.resolve()
    for info in entries:
        target = (root / info.filename.replace("\\", "/")).resolve()
        if root not in target.parents:
            raise IntakeError("boundary_zip_unsafe", file=file_name, entry=info.filename)
        target.parent.mkdir(parents=True, exist_ok=True)
        with archive.open(info) as source, target.open("wb") as out:
            copied = 0
            while chunk := source.read(1 << 20):
                copied += len(chunk)
                if copied > info.file_size:  # the header lied about the size
                    raise IntakeError("boundary_zip_too_big", file=file_name, entry=info.filename)
                out.write(chunk)
        written.append(target)
    return written


def _layer_file(paths: list[Path], file_name: str) -> tuple[Path, str]:
    shapes = [p for p in paths if p.suffix.lower() == ".shp" and not p.name.startswith("._")]
    if len(shapes) == 1:
        missing = [ext for ext in (".shx", ".dbf") if not shapes[0].with_suffix(ext).exists()
                   and not shapes[0].with_suffix(ext.upper()).exists()]
        if missing:
            raise IntakeError("boundary_shapefile_parts", file=file_name, missing=", ".join(missing))
        return shapes[0], "shapefile"
    if len(shapes) > 1:
        raise IntakeError("boundary_many_layers", file=file_name, layers=", ".join(p.name for p in shapes))
    for suffix, kind in ((".gpkg", "geopackage"), (".geojson", "geojson"), (".json", "geojson")):
        found = [p for p in paths if p.suffix.lower() == suffix]
        if found:
            return found[0], kind
    raise IntakeError("boundary_no_layer", file=file_name)


def read(data: bytes, file_name: str) -> Boundaries:
    """The file's polygons in EPSG:4326, invalid ones repaired."""
    import geopandas as gpd

    kind = file_format(data, file_name)
    with tempfile.TemporaryDirectory(prefix="samiksha_shapes_") as tmp:
        folder = Path(tmp)
        if kind == "zip":
            path, kind = _layer_file(safe_extract(data, file_name, folder), file_name)
        else:
            path = folder / ("layer.gpkg" if kind == "geopackage" else "layer.geojson")
            path.write_bytes(data)
        try:
            frame = gpd.read_file(path, engine="pyogrio")
        except Exception:  # any reader failure is the file's: say so, never a traceback
            raise IntakeError("boundary_unreadable", file=file_name) from None
    if frame.empty:
        raise IntakeError("boundary_empty", file=file_name)
    notes: list[tuple[str, dict]] = []
    frame, source = _to_degrees(frame, file_name, notes)
    frame = _polygons_only(frame, file_name, notes)
    return Boundaries(frame, kind, source, notes)


def _inside_india(bounds) -> bool:
    west, south, east, north = bounds
    return INDIA[0] <= west and east <= INDIA[2] and INDIA[1] <= south and north <= INDIA[3]


def _to_degrees(frame, file_name: str, notes: list):
    """Reproject to EPSG:4326; coordinates labelled degrees (or unlabelled) that are really
    metres are read in the projected system that puts them in India."""
    source = frame.crs.to_string() if frame.crs is not None else ""
    looks_like_degrees = all(abs(v) <= 180 for v in frame.total_bounds)
    if frame.crs is None or frame.crs.is_geographic:
        if looks_like_degrees:
            if frame.crs is None:
                notes.append(("boundaries.assumed_degrees", {}))
            return frame.set_crs("EPSG:4326", allow_override=True), source or "EPSG:4326"
        for crs in METRE_CRS:
            candidate = frame.set_crs(crs, allow_override=True).to_crs("EPSG:4326")
            if _inside_india(candidate.total_bounds):
                notes.append(("boundaries.metres_relabelled", {"label": source or "—", "crs": crs}))
                return candidate, crs
        raise IntakeError("boundary_crs_unknown", file=file_name)
    moved = frame.to_crs("EPSG:4326")
    notes.append(("boundaries.reprojected", {"crs": source}))
    return moved, source


def _polygons_only(frame, file_name: str, notes: list):
    """Repair invalid rings (make_valid keeps their area), keep the polygons."""
    import shapely

    invalid = ~frame.geometry.is_valid & frame.geometry.notna()
    if invalid.any():
        frame = frame.copy()
        frame.loc[invalid, "geometry"] = shapely.make_valid(frame.loc[invalid, "geometry"].values)
        frame["geometry"] = frame.geometry.apply(_polygon_part)
        notes.append(("boundaries.repaired", {"count": int(invalid.sum())}))
    kinds = set(frame.geometry.geom_type.dropna())
    if not kinds & {"Polygon", "MultiPolygon"}:
        raise IntakeError("boundary_not_polygons", file=file_name, kinds=", ".join(sorted(kinds)) or "—")
    keep = frame.geometry.geom_type.isin(["Polygon", "MultiPolygon"]) & ~frame.geometry.is_empty
    if (~keep).any():
        notes.append(("boundaries.dropped", {"count": int((~keep).sum())}))
    return frame[keep].reset_index(drop=True)


def _polygon_part(geometry):
    """From a repaired shape (possibly a collection), the polygonal part."""
    import shapely
    from shapely.geometry import GeometryCollection, MultiPolygon, Polygon

    if geometry is None or isinstance(geometry, (Polygon, MultiPolygon)):
        return geometry
    if isinstance(geometry, GeometryCollection):
        parts = [g for g in geometry.geoms if isinstance(g, (Polygon, MultiPolygon))]
        return shapely.union_all(parts) if parts else geometry
    return geometry


def display_copy(frame, tolerance: float = 0.0005):
    """A lighter copy for drawing: each shape simplified (about 50 m), kept valid."""
    light = frame.copy()
    light["geometry"] = light.geometry.simplify(tolerance, preserve_topology=True)
    return light
