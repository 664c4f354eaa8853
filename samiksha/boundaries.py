"""Boundary files as districts hold them: GeoJSON, a zipped Shapefile or a GeoPackage, read
into shapes in longitude/latitude (EPSG:4326), repaired where invalid, and their features
matched to places.

Reading and matching only (`shapes` stores them): zips are opened safely (no
entry written outside its folder, limits on count and size, no bombs), coordinates that are
really metres under a degrees label are recognised, and every refusal is an IntakeError
naming the file. Nothing here stores anything.
"""

from __future__ import annotations

import io
import re
import tempfile
import zipfile
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from samiksha import readers, values
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
            raise IntakeError("boundary_zip_unsafe", file=file_name, entry=values.clean_name(info.filename))
        total += info.file_size
        if total > MAX_UNZIPPED or info.file_size > MAX_RATIO * max(info.compress_size, 1) + 1024 * 1024:
            raise IntakeError("boundary_zip_too_big", file=file_name, entry=values.clean_name(info.filename))
    written = []
    root = folder.resolve()
    for info in entries:
        target = (root / info.filename.replace("\\", "/")).resolve()
        if root not in target.parents:
            raise IntakeError("boundary_zip_unsafe", file=file_name, entry=values.clean_name(info.filename))
        target.parent.mkdir(parents=True, exist_ok=True)
        with archive.open(info) as source, target.open("wb") as out:
            copied = 0
            while chunk := source.read(1 << 20):
                copied += len(chunk)
                if copied > info.file_size:  # the header lied about the size
                    raise IntakeError("boundary_zip_too_big", file=file_name, entry=values.clean_name(info.filename))
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
        raise IntakeError("boundary_many_layers", file=file_name, layers=", ".join(values.clean_name(p.name) for p in shapes))
    for suffix, kind in ((".gpkg", "geopackage"), (".geojson", "geojson"), (".json", "geojson")):
        found = [p for p in paths if p.suffix.lower() == suffix]
        if found:
            return found[0], kind
    raise IntakeError("boundary_no_layer", file=file_name)


def read(data: bytes, file_name: str) -> Boundaries:
    """The file's polygons in EPSG:4326, invalid ones repaired; their text as every upload's
    cells are kept (values.clean_text: Aadhaar numbers masked, control characters out)."""
    import geopandas as gpd

    readers.check_size(len(data))
    file_name = values.clean_name(file_name)  # (named in every message below)
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
    frame = _clean_attributes(frame)
    notes: list[tuple[str, dict]] = []
    frame, source = _to_degrees(frame, file_name, notes)
    frame = _polygons_only(frame, file_name, notes)
    return Boundaries(frame, kind, source, notes)


def _clean_attributes(frame):
    """Text columns (and the columns' names) as an upload's cells are kept."""
    def clean(value):
        return values.clean_text(value) if isinstance(value, str) else value

    for column in columns_of(frame):
        if frame[column].dtype == object or str(frame[column].dtype) in ("str", "string"):
            frame[column] = frame[column].map(clean)
    names = {c: values.clean_name(c) for c in columns_of(frame) if isinstance(c, str)}
    return frame.rename(columns={old: new for old, new in names.items() if new != old})


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


# ---------------------------------------------------------------- which columns, which places

LEVELS = ("block", "panchayat")
PARENT_LEVEL = {"block": "district", "panchayat": "block"}
CODE_AGREEMENT = 0.9  # share of features whose code and name agree for the code column to count
# LGD sub-districts (tehsil, circle, anchal): a list of its own, with codes of their own. Census
# and NIC boundary files of blocks are keyed by them; each such shape is the block of the
# sub-district's district that bears the sub-district's name.
SUBDISTRICT = "subdistrict"
BLOCK_LABEL = re.compile(r"[\s,-]*\b(?:c\.?\s*d\.?\s*)?block\b\.?\s*$", re.IGNORECASE)  # "Gaya Town C.D.Block"


@dataclass(frozen=True)
class Keys:
    """The columns that say which place a feature is."""

    level: str
    name: str | None
    code: str | None = None
    parent: str | None = None  # the parent's name or code (district for blocks, block for panchayats)
    code_level: str | None = None  # the list the codes are of, when not the level's own (SUBDISTRICT)


@dataclass
class FeatureMatch:
    """One feature: as written, what it was matched to and how (code, exact, fuzzy,
    confirmed, unmatched)."""

    name: str
    matched_name: str | None
    matched_code: str | None
    how: str
    note: str = ""
    parent_code: str | None = None  # the parent its parent column was matched to


def text_of(value) -> str:
    if value is None or (isinstance(value, float) and value != value):
        return ""
    text = str(value).strip()
    return text[:-2] if text.endswith(".0") and text[:-2].isdigit() else text


def columns_of(frame) -> list[str]:
    return [c for c in frame.columns if c != frame.geometry.name]


def _name_rate(frame, column: str, matcher, level: str) -> float:
    values = [text_of(v) for v in frame[column].head(400)]
    values = [v for v in values if v and not v.isdigit()]
    if not values:
        return 0.0
    # A name matched counts whole; one only close to a place of the level (a typo: offered to a
    # person) is still evidence of the level, half.
    found = [matcher.match(level, v) for v in values]
    return sum(1.0 if m.code else 0.5 if m.candidates else 0.0 for m in found) / len(values)


def _within_rate(frame, matcher, level: str, name: str, parent: str | None, sample: int = 200) -> float:
    """The share of features whose name is found under the parent its `parent` column gives
    (or anywhere, with no parent column)."""
    rows = frame.head(sample)
    names = [text_of(v) for v in rows[name]]
    parents = [_parent_code(v, matcher, PARENT_LEVEL[level]) for v in rows[parent]] if parent else [None] * len(rows)
    checked = [(n, p) for n, p in zip(names, parents, strict=True) if n]
    if not checked:
        return 0.0
    return sum(bool((p is not None or not parent) and matcher.match(level, n, p).code) for n, p in checked) / len(checked)


def _distinct_share(frame, column: str) -> float:
    values = [text_of(v) for v in frame[column]]
    values = [v for v in values if v]
    return len(set(values)) / len(values) if values else 0.0


def _code_rate(frame, column: str, matcher, level: str) -> float:
    values = [text_of(v) for v in frame[column].head(400)]
    values = [v for v in values if v]
    if not values or not all(v.isdigit() for v in values):
        return 0.0
    return sum((level, v) in matcher.by_code for v in values) / len(values)


def guess_keys(frame, matcher, level: str | None = None) -> Keys:
    """The level (block or panchayat), the name column, a code column whose codes agree with
    the names, and the parent column, judged by how the values match the gazetteer."""
    columns = columns_of(frame)
    levels = (level,) if level else LEVELS
    # A level's name column names a different place in (nearly) every feature: a panchayat
    # file's block column matches as well as its panchayat column, but repeats.
    scored = sorted(((_name_rate(frame, c, matcher, lv) * _distinct_share(frame, c), lv, c)
                     for lv in levels for c in columns), key=lambda item: item[0], reverse=True)
    rate, chosen_level, name = scored[0] if scored else (0.0, level or "block", None)
    if rate == 0:
        name = None
    # A column of the level's own codes (distinct in each feature) decides the level when it
    # is surer than the names (many places share names; codes do not).
    by_code = sorted(((_code_rate(frame, c, matcher, lv) * _distinct_share(frame, c), lv) for lv in levels
                      for c in columns), reverse=True)
    if by_code and by_code[0][0] >= 0.9 and by_code[0][0] > rate and by_code[0][1] != chosen_level:
        chosen_level = by_code[0][1]
        name = _best_name(frame, matcher, chosen_level, columns)[1]
    if not level and chosen_level != "block":
        # A column of sub-district codes (one a feature) makes it a file of blocks.
        block_name = next((c for r, lv, c in scored if lv == "block" and r > 0), None)
        sure, _ = _subdistrict_column(frame, matcher, block_name, [c for c in columns if c != block_name])
        if sure >= SUBDISTRICT_SURE and sure > rate:
            chosen_level, name = "block", block_name
    parent_level = PARENT_LEVEL[chosen_level]
    # A parent column must name the parents the features' names are found under: a column of
    # codes from another list (census district codes) can look like gazetteer codes and would
    # send every name to the wrong district.
    candidates = [c for c in columns if c != name and (_name_rate(frame, c, matcher, parent_level)
                                                       or _code_rate(frame, c, matcher, parent_level)) >= 0.5]
    parent = None
    if name and candidates:
        alone = _within_rate(frame, matcher, chosen_level, name, None)
        best_rate, best = max(((_within_rate(frame, matcher, chosen_level, name, c), c) for c in candidates),
                              key=lambda item: item[0])
        parent = best if best_rate > 0 and best_rate >= 0.8 * alone else None
    codes = sorted(((_code_rate(frame, c, matcher, chosen_level), c) for c in columns if c not in (name, parent)),
                   key=lambda item: item[0], reverse=True)
    code = codes[0][1] if codes and codes[0][0] >= 0.5 else None
    keys = Keys(chosen_level, name, code, parent)
    if code and name and _agreement(frame, matcher, keys) < CODE_AGREEMENT:
        keys = Keys(chosen_level, name, None, parent)  # codes of another list (e.g. census sub-districts)
    if keys.code is None and chosen_level == "block":
        sure, column = _subdistrict_column(frame, matcher, name, [c for c in columns if c not in (name, parent)])
        if sure >= SUBDISTRICT_SURE:
            keys = Keys(chosen_level, name, column, parent, SUBDISTRICT)
    return keys


SUBDISTRICT_SURE = 0.8  # _subdistrict_rate at or above which a column is taken for sub-district codes


def _best_name(frame, matcher, level: str, columns: list[str]) -> tuple[float, str | None]:
    scored = sorted(((_name_rate(frame, c, matcher, level) * _distinct_share(frame, c), c) for c in columns),
                    reverse=True)
    return scored[0] if scored and scored[0][0] > 0 else (0.0, None)


def _subdistrict_rate(frame, column: str, matcher, name: str | None) -> float:
    """How surely a column holds the store's LGD sub-district codes, one a feature. With a name
    column: the share of the codes found in the sub-district list whose sub-district bears the
    feature's name (a column of another list hits some sub-district codes by chance, under other
    names), so a state's file keyed by sub-districts is recognised in a store of one district;
    with none, the share of features whose code is a sub-district's."""
    codes = [text_of(v) for v in frame[column].head(400)]
    given = [c for c in codes if c]
    if not given or not all(c.isdigit() for c in given):
        return 0.0
    names = [text_of(v) for v in frame[name].head(400)] if name else [""] * len(codes)
    known = [(matcher.by_code[(SUBDISTRICT, c)], n) for c, n in zip(codes, names, strict=True)
             if (SUBDISTRICT, c) in matcher.by_code]
    if not known or (name and len(known) < min(3, len(given))):
        return 0.0
    share = sum(_alike(n, place) for place, n in known) / len(known) if name else len(known) / len(given)
    return share * _distinct_share(frame, column)


def _subdistrict_column(frame, matcher, name: str | None, columns: list[str]) -> tuple[float, str | None]:
    if not any(p.level == SUBDISTRICT for p in matcher.places):
        return 0.0, None
    scored = sorted(((_subdistrict_rate(frame, c, matcher, name), c) for c in columns), reverse=True)
    return scored[0] if scored else (0.0, None)


def code_level(frame, column: str | None, matcher, level: str | None) -> tuple[str | None, str | None]:
    """For a code column a person chose: the level of its shapes and the list its codes are of
    (SUBDISTRICT, or None for the level's own), by which list holds more of its codes; with the
    level given, only whether its codes are sub-district codes rather than the level's own."""
    if not column:
        return level, None
    codes = [c for c in (text_of(v) for v in frame[column]) if c]
    hits = {lv: sum((lv, c) in matcher.by_code for c in codes) for lv in (*LEVELS, SUBDISTRICT)}
    if level:
        return level, SUBDISTRICT if level == "block" and hits[SUBDISTRICT] > hits["block"] else None
    best = max(hits, key=lambda lv: hits[lv])
    if not hits[best]:
        return None, None
    return ("block", SUBDISTRICT) if best == SUBDISTRICT else (best, None)


def _agreement(frame, matcher, keys: Keys) -> float:
    """The share of features whose code names the same place as their name."""
    pairs = [(text_of(c), text_of(n)) for c, n in zip(frame[keys.code], frame[keys.name], strict=True)]
    checked = [(c, matcher.match(keys.level, n).code) for c, n in pairs if c and n]
    checked = [(c, m) for c, m in checked if m]
    return sum(c == m for c, m in checked) / len(checked) if checked else 0.0


def _parent_code(value, matcher, level: str) -> str | None:
    text = text_of(value)
    if not text:
        return None
    if text.isdigit() and (level, text) in matcher.by_code:
        return text
    return matcher.match(level, text).code


def match_features(frame, matcher, keys: Keys) -> list[FeatureMatch]:
    """Each feature's place: by code when its name agrees (or it has none), else by name
    within its parent. A code and a name that point at two places, or two features claiming
    one place by fuzzy name, stay unmatched: a name is never drawn in a wrong shape."""
    from samiksha import places

    found: list[FeatureMatch] = []
    for _, row in frame.iterrows():
        name = text_of(row[keys.name]) if keys.name else ""
        code = text_of(row[keys.code]) if keys.code else ""
        parent = _parent_code(row[keys.parent], matcher, PARENT_LEVEL[keys.level]) if keys.parent else None
        if keys.code_level == SUBDISTRICT and code:
            found.append(_by_subdistrict(matcher, name, code, parent))
            continue
        by_name = matcher.match(keys.level, name, parent) if name else None
        place = matcher.by_code.get((keys.level, code)) if code else None
        if place and (by_name is None or by_name.code in (None, place.code)) \
                and (by_name is None or by_name.code == place.code or _alike(name, place)):
            found.append(FeatureMatch(name or code, place.name, place.code, places.CODE, "", parent))
        elif place and by_name and by_name.code and by_name.code != place.code:
            found.append(FeatureMatch(name, None, None, places.UNMATCHED, "code_name_disagree", parent))
        elif by_name and by_name.code:
            found.append(FeatureMatch(name, by_name.name, by_name.code, by_name.how, "", parent))
        else:
            found.append(FeatureMatch(name or code, None, None, places.UNMATCHED,
                                      "ambiguous" if by_name and by_name.method == "ambiguous" else "", parent))
    _no_shared_places(found)
    return found


def _by_subdistrict(matcher, name: str, code: str, parent: str | None) -> FeatureMatch:
    """A block shape keyed by an LGD sub-district code: the block of the sub-district's district
    named as the sub-district is (spelling variants as the matching reads them), else as the
    shape's own name says; a person's confirmation of that name comes first. A name that fits
    no block surely, or names that point to two blocks, stay unmatched (a person is asked). A
    code of no sub-district in the store is not matched by name: the shape may well lie in
    another district, with a block of the same name."""
    from samiksha import places

    sub = matcher.by_code.get((SUBDISTRICT, code))
    if sub is None:
        return FeatureMatch(name or code, None, None, places.UNMATCHED, "code_unknown", parent)
    written, district = name or sub.name, sub.parent_code
    own = matcher.match("block", written, district)
    if own.how == places.CONFIRMED:
        return FeatureMatch(written, own.name if own.code else None, own.code, places.CONFIRMED, "", district)
    by_sub = matcher.match("block", BLOCK_LABEL.sub("", sub.name) or sub.name, district)
    if by_sub.code and own.code and own.code != by_sub.code:
        return FeatureMatch(written, None, None, places.UNMATCHED, "code_name_disagree", district)
    chosen = by_sub if by_sub.code else own
    if chosen.code:
        return FeatureMatch(written, chosen.name, chosen.code, chosen.how, "", district)
    doubt = "ambiguous" if "ambiguous" in (by_sub.method, own.method) else "subdistrict_no_block"
    return FeatureMatch(written, None, None, places.UNMATCHED, doubt, district)


def _alike(name: str, place) -> bool:
    """A name that is not the place's but close to it (a spelling the matcher would suggest)."""
    from rapidfuzz import fuzz

    from samiksha import places

    if not name:
        return True
    mine = {places.fold(f) for f in places.latin_forms(name)}
    theirs = {places.fold(f) for w in (place.name, place.name_hi) if w for f in places.latin_forms(w)}
    return max((fuzz.ratio(a, b) for a in mine for b in theirs), default=0) >= places.SUGGEST_FROM


def _no_shared_places(found: list[FeatureMatch]) -> None:
    """Two features on one place: a fuzzy claim gives way (parts of one place written the
    same way, by code or exact name, are kept: a place in several pieces)."""
    from samiksha import places

    by_code: dict[str, list[FeatureMatch]] = {}
    for item in found:
        if item.matched_code:
            by_code.setdefault(item.matched_code, []).append(item)
    for claims in by_code.values():
        if len(claims) > 1 and len({c.name for c in claims}) > 1:
            for item in claims:
                if item.how == places.FUZZY:
                    item.matched_name, item.matched_code, item.how, item.note = None, None, places.UNMATCHED, "shared"
