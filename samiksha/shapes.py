"""Boundary uploads (kind `boundaries`): read, matched to places, stored, drawn.

A boundary file is read by `boundaries` (formats, safe zips, reprojection, repair), its key
columns found or chosen, and each shape matched to the gazetteer (or, where the district
has no gazetteer at that level, to the places named in its reports) by code first, then by
name within its parent. One upload is one transaction: nothing of a refused file is kept.
The newest stored boundary upload of a level is the one drawn; undo brings the one before
back. A person's correction of a match is remembered (as a confirmed place name, so later
boundary files and reports spelled the same way follow it).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from dataclasses import dataclass, field

import pyarrow as pa

from samiksha import boundaries, naming, places, store
from samiksha.boundaries import Keys
from samiksha.errors import INFO, WARNING, IntakeError, Issue

KIND = "boundaries"
REPORT_ONLY = "~"  # code prefix of a place known only from the reports (no gazetteer code)
DISPLAY_TOLERANCE = 0.0005  # degrees, about 50 m: the drawn copy


def report_code(block: str, panchayat: str | None = None) -> str:
    return REPORT_ONLY + block + ("" if panchayat is None else "/" + panchayat)


def shown_code(code: str | None) -> str:
    """A code as people see it: report-only places have none."""
    return "" if not code or code.startswith(REPORT_ONLY) else code


@dataclass
class StagedShapes:
    """A boundary file read and matched, ready to be stored (or only shown)."""

    file_name: str
    sha256: str
    read: boundaries.Boundaries
    keys: Keys
    features: list[boundaries.FeatureMatch]
    columns: list[str]
    kind: str = KIND
    indicator: str | None = None
    report_date: dt.date | None = None
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    matches: list = field(default_factory=list)  # report name matches: none here

    @property
    def rows_accepted(self) -> int:
        return len(self.features)

    @property
    def rows_warned(self) -> int:
        return sum(f.how == places.UNMATCHED for f in self.features)

    rows_rejected = 0

    @property
    def counts_by_how(self) -> dict[str, int]:
        found: dict[str, int] = {}
        for item in self.features:
            found[item.how] = found.get(item.how, 0) + 1
        return found

    @property
    def read_notes(self) -> list[Issue]:
        return [Issue(INFO, key, params) for key, params in self.read.notes]

    @property
    def issues(self) -> list[Issue]:
        return [Issue(WARNING, "boundary_unmatched", {"name": f.name or "—", "why": f.note or ""},
                      row=n, column=self.keys.name, value=f.name)
                for n, f in enumerate(self.features, start=1) if f.how == places.UNMATCHED]

    def reading(self) -> dict:
        return {"level": self.keys.level, "format": self.read.file_format, "source_crs": self.read.source_crs,
                "columns": {"name": self.keys.name, "code": self.keys.code, "parent": self.keys.parent,
                            **({"code_level": self.keys.code_level} if self.keys.code_level else {})},
                "features": len(self.features), "matched": self.counts_by_how,
                "notes": [{"code": key, "params": params} for key, params in self.read.notes]}

    def match_table(self):
        """name, matched_name, matched_code, how (as the CLI's --matches writes it), with the parent."""
        import pandas as pd

        frame = self.read.frame
        parents = [boundaries.text_of(v) for v in frame[self.keys.parent]] if self.keys.parent else [""] * len(frame)
        return pd.DataFrame({
            "feature": range(1, len(self.features) + 1),
            "name": [f.name for f in self.features],
            "parent": parents,
            "matched_name": [f.matched_name or "" for f in self.features],
            "matched_code": [shown_code(f.matched_code) for f in self.features],
            "how": [f.how for f in self.features],
        })

    def preview(self, con=None, limit: int | None = None):
        table = self.match_table()
        return table if limit is None else table.head(limit)


def looks_like_boundaries(data: bytes) -> bool:
    """A GeoJSON, GeoPackage or a zip holding a map layer (an .xlsx is a zip too)."""
    try:
        kind = boundaries.file_format(data, "")
    except IntakeError:
        return False
    if kind == "geopackage":
        return True
    if kind == "geojson":
        head = data[:4096].decode("utf-8", "ignore")
        return '"type"' in head and ("FeatureCollection" in head or '"Feature"' in head)
    import io
    import zipfile
    try:
        names = zipfile.ZipFile(io.BytesIO(data)).namelist()
    except zipfile.BadZipFile:
        return False
    return any(n.lower().endswith((".shp", ".gpkg", ".geojson")) for n in names)


def matcher_for(con, level: str) -> places.Matcher:
    """The gazetteer with confirmed names; where it has no places of this level, the places
    the reports name (codes marked report-only)."""
    matcher = naming.load_matcher(con)
    if matcher.has(level):
        return matcher
    rows = con.execute("SELECT DISTINCT block, panchayat FROM progress p JOIN uploads u USING (upload_id) "
                       "WHERE u.status = 'stored'").fetchall()
    known = list(matcher.places)
    blocks = sorted({b for b, _ in rows if b})
    if not matcher.has("block"):
        known += [places.Place("block", report_code(b), b, None, None) for b in blocks]
    if level == "panchayat":
        known += [places.Place("panchayat", report_code(b, p), p, None,
                               report_code(b) if not matcher.has("block") else _block_code(matcher, b))
                  for b, p in sorted({r for r in rows if r[0] and r[1]})]
    return places.Matcher(known, matcher.confirmed)


def _block_code(matcher: places.Matcher, block: str) -> str | None:
    found = [p.code for p in matcher.places if p.level == "block" and p.name == block]
    return found[0] if len(found) == 1 else None


def _hinted_level(columns: list[str]) -> str | None:
    text = " ".join(columns).lower()
    if any(word in text for word in ("panchayat", "gp_", "gram", "_gp", "gpname")):
        return "panchayat"
    if any(word in text for word in ("block", "subdist", "sub_dist", "tehsil", "prakhand", "cd_")):
        return "block"
    return None


def _name_column(frame, level: str) -> str | None:
    """With nothing matched to go by: the column called like the level's name."""
    columns = boundaries.columns_of(frame)
    words = {"panchayat": ("panchayat", "gp"), "block": ("block", "subdist", "tehsil")}[level]
    for column in columns:
        low = column.lower()
        if any(w in low for w in words) and "name" in low or low.endswith("_nm"):
            return column
    named = [c for c in columns if "name" in c.lower()]
    return named[0] if len(named) == 1 else None


def choose_keys(frame, matcher, level=None, name=None, code=None, parent=None, file_name="") -> Keys:
    """The columns found (by how their values match), with a person's choices on top."""
    columns = boundaries.columns_of(frame)
    for column in (name, code, parent):
        if column and column not in columns:
            raise IntakeError("boundary_no_column", file=file_name, name=column, columns=", ".join(columns))
    guessed = boundaries.guess_keys(frame, matcher, level)
    if guessed.name is None and guessed.code is None and not level:
        guessed = Keys(_hinted_level(columns) or guessed.level, None, None, guessed.parent)
    code_level = guessed.code_level
    if code:  # the person's code column: its codes say the level (sub-district codes: blocks)
        chosen, code_level = boundaries.code_level(frame, code, matcher, level)
        if not level and chosen and chosen != guessed.level:
            guessed = boundaries.guess_keys(frame, matcher, chosen)  # its names and parents at that level
        level = level or chosen
    level = level or guessed.level
    code_column = code if code is not None else guessed.code
    keys = Keys(level, name or guessed.name or _name_column(frame, level), code_column,
                parent if parent is not None else guessed.parent, code_level if code_column else None)
    if not keys.name and not keys.code:
        raise IntakeError("boundary_no_names", file=file_name, columns=", ".join(columns) or "—", choices=columns)
    return keys


def stage(con, data: bytes, file_name: str, *, level: str | None = None, name_column: str | None = None,
          code_column: str | None = None, parent_column: str | None = None, digest: str | None = None,
          **_ignored) -> StagedShapes:
    """Read and match a boundary file; nothing is stored."""
    from samiksha import intake

    read = boundaries.read(data, file_name)
    if level and level not in boundaries.LEVELS:
        raise IntakeError("boundary_level", file=file_name, given=level)
    base = matcher_for(con, level or "panchayat")
    keys = choose_keys(read.frame, base, level, name_column, code_column, parent_column, file_name)
    matcher = base if keys.level == (level or "panchayat") else matcher_for(con, keys.level)
    frame = read.frame
    if keys.level == "block" and not keys.parent:
        district = store.get_setting(con, "district_code")
        if district:  # the district the blocks are in, as the report intake assumes
            keys_frame = frame.assign(_district=district)
            read = boundaries.Boundaries(keys_frame, read.file_format, read.source_crs, read.notes)
            keys = dataclasses.replace(keys, parent="_district")
    features = boundaries.match_features(read.frame, matcher, keys)
    columns = [c for c in boundaries.columns_of(read.frame) if c != "_district"]
    return StagedShapes(file_name, digest or intake.sha256(data), read, keys, features, columns)


def display_shapes(geometries, tolerance: float = DISPLAY_TOLERANCE):
    """Lighter shapes for drawing. Neighbours keep their shared edges (a coverage
    simplification) when the shapes do not overlap; else each is simplified alone."""
    import shapely

    try:
        if shapely.coverage_is_valid(geometries):
            light = shapely.coverage_simplify(geometries, tolerance)
            if shapely.is_valid(light).all() and not shapely.is_empty(light).any():
                return light
    except Exception:  # a coverage the library cannot handle: shape by shape below
        pass
    return shapely.simplify(geometries, tolerance, preserve_topology=True)


def store_staged(con, staged: StagedShapes, raw_path, source: str, uploaded_at) -> int:
    """One transaction: the upload row, its issues, every shape."""
    import shapely

    frame = staged.read.frame
    geometries = frame.geometry.values
    shapes = shapely.to_wkb(geometries)
    light = shapely.to_wkb(display_shapes(geometries))
    keys = staged.keys
    parents = [boundaries.text_of(v) for v in frame[keys.parent]] if keys.parent else [None] * len(frame)
    table = pa.table({
        "feature": pa.array(range(1, len(frame) + 1), pa.int32()),
        "written": pa.array(_written(staged), pa.string()),
        "code_written": pa.array([boundaries.text_of(v) or None for v in frame[keys.code]] if keys.code
                                 else [None] * len(frame), pa.string()),
        "parent_written": pa.array([p or None for p in parents] if keys.parent != "_district"
                                   else [None] * len(frame), pa.string()),
        "parent_code": pa.array([f.parent_code for f in staged.features], pa.string()),
        "code": pa.array([f.matched_code for f in staged.features], pa.string()),
        "name": pa.array([f.matched_name for f in staged.features], pa.string()),
        "how": pa.array([f.how for f in staged.features], pa.string()),
        "note": pa.array([f.note or None for f in staged.features], pa.string()),
        "shape": pa.array(list(shapes), pa.binary()),
        "display": pa.array(list(light), pa.binary()),
    })
    with store.transaction(con):
        upload_id = store.scalar(con, "SELECT nextval('upload_id_seq')")
        con.execute(
            "INSERT INTO uploads VALUES (?, ?, ?, ?, NULL, NULL, NULL, NULL, ?, ?, ?, 0, 'stored', ?, ?, ?, NULL, "
            "NULL, ?, ?)",
            [upload_id, staged.file_name, staged.sha256, KIND, uploaded_at, staged.rows_accepted,
             staged.rows_warned, uploaded_at, str(raw_path) if raw_path else None, staged.read.file_format,
             source, json.dumps(staged.reading(), ensure_ascii=False)])
        con.register("shapes_src", table)
        con.execute("INSERT INTO boundary_features SELECT ?, feature, ?, written, code_written, parent_written, "
                    "parent_code, code, name, how, note, shape, display FROM shapes_src", [upload_id, keys.level])
        con.unregister("shapes_src")
        for issue in staged.read_notes + staged.issues:
            con.execute("INSERT INTO upload_issues VALUES (?, ?, ?, ?, ?, ?, ?)",
                        [upload_id, issue.severity, issue.code, json.dumps(issue.params, ensure_ascii=False),
                         issue.row, issue.column, issue.value])
    return upload_id


def _written(staged: StagedShapes) -> list[str | None]:
    """Each shape's name as written; with no name column, a shape keyed by a sub-district code
    goes by the sub-district's name (so a person can confirm its block)."""
    keys, frame = staged.keys, staged.read.frame
    if keys.name:
        return [boundaries.text_of(v) or None for v in frame[keys.name]]
    if keys.code_level == boundaries.SUBDISTRICT:
        codes = [boundaries.text_of(v) for v in frame[keys.code]]
        return [f.name if f.name and f.name != c else None for f, c in zip(staged.features, codes, strict=True)]
    return [None] * len(frame)


def current(con, level: str, display: bool = True):
    """The shapes drawn at a level: those of the newest stored boundary upload of that level,
    as a GeoDataFrame with the columns of the boundary_matches query and the geometry."""
    import geopandas as gpd
    import shapely

    from samiksha import queries

    matches = queries.run(con, "boundary_matches", level=level)
    column = "display" if display else "shape"
    if matches.empty:
        return gpd.GeoDataFrame(matches, geometry=[], crs="EPSG:4326")
    wkb = dict(con.execute(f"SELECT feature, {column} FROM boundary_features WHERE upload_id = ? AND level = ?",
                           [int(matches["upload_id"].iloc[0]), level]).fetchall())
    geometry = shapely.from_wkb([wkb[f] for f in matches["feature"]])
    return gpd.GeoDataFrame(matches, geometry=list(geometry), crs="EPSG:4326")


def levels(con) -> list[str]:
    """The levels that have stored boundaries."""
    rows = con.execute(f"""SELECT DISTINCT f.level FROM boundary_features f JOIN uploads u USING (upload_id)
                           WHERE u.status = 'stored' AND u.kind = '{KIND}'""").fetchall()
    return [lv for lv in boundaries.LEVELS if (lv,) in rows]


def waiting_for_reports(con) -> bool:
    """Shapes with no gazetteer at their level, not all matched to a place of the reports."""
    rows = con.execute("""SELECT f.level FROM boundary_features f JOIN uploads u USING (upload_id)
                          WHERE u.status = 'stored' AND f.how <> 'confirmed'
                            AND (f.code IS NULL OR f.code LIKE '~%')
                            AND NOT EXISTS (SELECT 1 FROM places_current p WHERE p.level = f.level)
                          LIMIT 1""").fetchall()
    return bool(rows)


def confirm(con, level: str, written: str, parent_code: str | None, code: str | None) -> int:
    """A person's match for a shape's name: `code` a place, or None for 'no place'. Kept as a
    confirmed name (reports spelled the same way follow it) and applied to every stored
    shape written so; returns the number of shapes changed."""
    place = store.records(con, "SELECT name FROM places_current WHERE level = ? AND code = ?",
                          [level, code]) if code else []
    if code and not place:
        raise IntakeError("boundary_no_place", level=level, place_code=code)
    if written:
        naming.confirm_name(con, level, written, parent_code, code or "")
    with store.transaction(con):
        changed = con.execute(
            "UPDATE boundary_features SET code = ?, name = ?, how = 'confirmed', note = NULL "
            "WHERE level = ? AND written = ? AND parent_code IS NOT DISTINCT FROM ?",
            [code, place[0]["name"] if place else None, level, written, parent_code]).fetchall()[0][0]
    return changed


def rematch(con) -> int:
    """After a gazetteer (or a confirmation) arrives: shapes not confirmed by a person are
    matched again. Returns the number of shapes whose match changed."""
    changed = 0
    for level in levels(con):
        rows = con.execute("""SELECT upload_id, feature, written, code_written, parent_written, code, how
                              FROM boundary_features WHERE level = ? AND how <> 'confirmed'
                              ORDER BY upload_id, feature""", [level]).fetchall()
        if not rows:
            continue
        import pandas as pd

        matcher = matcher_for(con, level)
        frame = pd.DataFrame(rows, columns=["upload_id", "feature", "written", "code_written", "parent_written",
                                            "code", "how"])
        updates = []
        for upload_id, part in frame.groupby("upload_id"):
            part = part.assign(_district=store.get_setting(con, "district_code") if level == "block" else None)
            parent = "parent_written" if part["parent_written"].notna().any() else \
                ("_district" if level == "block" else None)
            code = "code_written" if part["code_written"].notna().any() else None
            keys = Keys(level, "written", code, parent, boundaries.code_level(part, code, matcher, level)[1])
            found = boundaries.match_features(part, matcher, keys)
            for (_, row), item in zip(part.iterrows(), found, strict=True):
                if item.matched_code != row["code"] or item.how != row["how"]:
                    updates.append((item.matched_code, item.matched_name, item.how, item.note or None,
                                    int(upload_id), int(row["feature"])))
        if updates:
            with store.transaction(con):
                con.executemany("UPDATE boundary_features SET code = ?, name = ?, how = ?, note = ? "
                                "WHERE upload_id = ? AND feature = ?", updates)
            changed += len(updates)
    return changed
