"""Reading boundary files: formats, coordinate systems, repairs and hostile zips (written inline)."""

from __future__ import annotations

import json
from pathlib import Path

import geopandas as gpd
import pytest
from conftest import zipped
from shapely.geometry import Polygon, box

from samiksha import boundaries
from samiksha.errors import IntakeError

REALDATA = Path(__file__).resolve().parent.parent.parent / "shared" / "realdata"
# Two panchayats side by side near Darbhanga (lon/lat).
SHAPES = [box(85.90, 26.10, 85.95, 26.15), box(85.95, 26.10, 86.00, 26.15)]
NAMES = ["Ujwa", "Itahar"]


def frame(crs="EPSG:4326", shapes=SHAPES):
    return gpd.GeoDataFrame({"pname": NAMES[:len(shapes)], "lgd_code": ["300101", "300102"][:len(shapes)]},
                            geometry=list(shapes), crs=crs)


def geojson_bytes(gdf) -> bytes:
    return gdf.to_json().encode()


def written(gdf, tmp_path: Path, driver: str, name: str) -> Path:
    path = tmp_path / name
    gdf.to_file(path, driver=driver, engine="pyogrio")
    return path


def shapefile_zip(gdf, tmp_path: Path, skip: tuple[str, ...] = ()) -> bytes:
    folder = tmp_path / "shp"
    folder.mkdir()
    written(gdf, folder, "ESRI Shapefile", "panchayats.shp")
    return zipped({f"boundaries/{p.name}": p.read_bytes() for p in folder.iterdir() if p.suffix not in skip})


def refusal(data: bytes, name: str = "f.zip") -> str:
    with pytest.raises(IntakeError) as caught:
        boundaries.read(data, name)
    assert "Nothing was stored" in caught.value.issue.text("en")
    return caught.value.issue.code


def test_geojson_in_degrees():
    read = boundaries.read(geojson_bytes(frame()), "p.geojson")
    assert read.file_format == "geojson" and read.count == 2
    assert read.frame.crs.to_epsg() == 4326
    assert list(read.frame["pname"]) == NAMES
    assert read.frame.geometry[0].bounds == pytest.approx((85.90, 26.10, 85.95, 26.15))


def test_zipped_shapefile_in_utm_is_reprojected(tmp_path):
    utm = frame().to_crs("EPSG:32645")
    read = boundaries.read(shapefile_zip(utm, tmp_path), "p.zip")
    assert read.file_format == "shapefile" and read.count == 2
    assert read.frame.geometry[0].bounds == pytest.approx((85.90, 26.10, 85.95, 26.15), abs=1e-6)
    assert ("boundaries.reprojected", {"crs": "EPSG:32645"}) in read.notes


def test_geopackage(tmp_path):
    path = written(frame().to_crs("EPSG:32644"), tmp_path, "GPKG", "p.gpkg")
    read = boundaries.read(path.read_bytes(), "p.gpkg")
    assert read.file_format == "geopackage" and read.count == 2
    assert read.frame.geometry[1].bounds == pytest.approx((85.95, 26.10, 86.00, 26.15), abs=1e-6)


def test_metres_under_a_degrees_label_are_recognised():
    metres = frame().to_crs("EPSG:32645")
    mislabelled = json.loads(metres.to_json())
    mislabelled["crs"] = {"type": "name", "properties": {"name": "urn:ogc:def:crs:OGC:1.3:CRS84"}}
    read = boundaries.read(json.dumps(mislabelled).encode(), "p.geojson")
    assert read.frame.geometry[0].bounds == pytest.approx((85.90, 26.10, 85.95, 26.15), abs=1e-6)
    assert read.notes[0][0] == "boundaries.metres_relabelled" and read.source_crs == "EPSG:32645"


def test_coordinates_in_no_known_system_are_refused():
    far = frame(shapes=[box(5e8, 5e8, 5e8 + 10, 5e8 + 10)])
    data = json.loads(far.to_json())
    data["crs"] = {"type": "name", "properties": {"name": "urn:ogc:def:crs:OGC:1.3:CRS84"}}
    assert refusal(json.dumps(data).encode(), "p.geojson") == "boundary_crs_unknown"


def test_a_self_intersecting_ring_is_repaired_keeping_its_area():
    bowtie = Polygon([(85.90, 26.10), (86.00, 26.20), (86.00, 26.10), (85.90, 26.20), (85.90, 26.10)])
    assert not bowtie.is_valid
    read = boundaries.read(geojson_bytes(frame(shapes=[bowtie, SHAPES[1]])), "p.geojson")
    assert read.frame.geometry.is_valid.all() and read.count == 2
    assert read.frame.geometry[0].area == pytest.approx(0.005, rel=1e-6)  # two triangles, both kept
    assert ("boundaries.repaired", {"count": 1}) in read.notes


def test_points_are_not_boundaries():
    from shapely.geometry import Point
    assert refusal(geojson_bytes(frame(shapes=[Point(85.9, 26.1), Point(86.0, 26.1)])), "p.geojson") \
        == "boundary_not_polygons"


@pytest.mark.parametrize("entry", ["../evil.shp", "a/../../evil.txt", "/etc/evil", "C:/evil.txt", "a\\..\\..\\evil"])
def test_a_zip_writing_outside_its_folder_is_refused(tmp_path, entry):
    data = zipped({"p.shp": b"x", entry: b"x"})
    assert refusal(data) == "boundary_zip_unsafe"
    assert not (tmp_path.parent / "evil.shp").exists()


def test_a_zip_bomb_is_refused():
    data = zipped({"p.geojson": b"0" * (60 * 1024 * 1024)})  # 60 MB of zeros packs to ~60 KB
    assert len(data) < 1024 * 1024
    assert refusal(data) == "boundary_zip_too_big"


def test_too_many_entries_are_refused():
    assert refusal(zipped({f"f{i}.txt": b"" for i in range(boundaries.MAX_ENTRIES + 1)})) == "boundary_zip_too_many"


def test_a_shapefile_without_its_dbf_is_refused(tmp_path):
    assert refusal(shapefile_zip(frame(), tmp_path, skip=(".dbf",))) == "boundary_shapefile_parts"


@pytest.mark.parametrize("data, code", [
    (b"PK\x03\x04 not really a zip", "boundary_bad_zip"),
    (b"\x89PNG\r\n\x1a\n....", "boundary_format"),
    (b'{"type": "FeatureCollection", "features": [', "boundary_unreadable"),
    (b'{"type": "FeatureCollection", "features": []}', "boundary_empty"),
])
def test_broken_files_are_refused_with_a_message(data, code):
    assert refusal(data, "broken.geojson") == code


def test_the_display_copy_is_lighter_and_valid():
    wiggly = Polygon([(85.9 + i * 0.0001, 26.1 + (i % 2) * 0.00001) for i in range(500)]
                     + [(85.95, 26.2), (85.9, 26.2)])
    light = boundaries.display_copy(gpd.GeoDataFrame(geometry=[wiggly], crs="EPSG:4326"))
    assert len(light.geometry[0].exterior.coords) < 50 and light.geometry.is_valid.all()


@pytest.mark.skipif(not (REALDATA / "bihar_blocks_lgd.geojson").exists(), reason="../shared/realdata is not here")
def test_real_bihar_block_boundaries():
    read = boundaries.read((REALDATA / "bihar_blocks_lgd.geojson").read_bytes(), "bihar_blocks_lgd.geojson")
    assert read.count >= 534
    west, south, east, north = read.frame.total_bounds
    assert 83 < west < east < 89 and 24 < south < north < 28  # Bihar
    assert read.frame.geometry.is_valid.all()


# ---------------------------------------------------------------- keys and matching

from conftest import gazetteer_bytes  # noqa: E402

from samiksha import ingest, store  # noqa: E402


@pytest.fixture(scope="module")
def matcher():
    con = store.open_store(store.MEMORY)
    assert ingest.ingest_file(con, gazetteer_bytes(), "lgd.csv").ok
    yield ingest.load_matcher(con)
    con.close()


def blocks_frame(rows):
    """rows: (name, code, district) per feature; one small square each."""
    shapes = [box(86 + i * 0.1, 26, 86.05 + i * 0.1, 26.05) for i in range(len(rows))]
    return gpd.GeoDataFrame({"BLOCK_NM": [r[0] for r in rows], "Subdt_LGD": [r[1] for r in rows],
                             "DIST_NAME": [r[2] for r in rows]}, geometry=shapes, crs="EPSG:4326")


def test_keys_are_found_from_how_the_values_match(matcher):
    gdf = blocks_frame([("Kusheshwar Asthan", 2001, "Darbhanga"), ("Musahari", 2005, "DARBHANGA"),
                        ("Gora Bauram", 2004, "Darbhanga")])
    assert boundaries.guess_keys(gdf, matcher) == boundaries.Keys("block", "BLOCK_NM", "Subdt_LGD", "DIST_NAME")


def test_traps_are_matched_right_or_left_unmatched(matcher):
    gdf = blocks_frame([("Kusheshwar Asthan", None, "Darbhanga"), ("KUSHESHWAR ASTHAN PURBI", None, "Darbhanga"),
                        ("Baruraj", None, "Darbhanga"), ("GAURABAURAM", None, "Darbhanga"),
                        ("Musahri", None, "Darbhanga"), ("KUSHESHWAR ASTHAN (EAST)", None, "Darbhanga"),
                        ("Darbhanga Sadar", None, "Darbhanga")])
    keys = boundaries.Keys("block", "BLOCK_NM", None, "DIST_NAME")
    found = [(m.name, m.matched_code, m.how) for m in boundaries.match_features(gdf, matcher, keys)]
    assert found == [("Kusheshwar Asthan", "2001", "exact"), ("KUSHESHWAR ASTHAN PURBI", "2002", "exact"),
                     ("Baruraj", "2003", "exact"), ("GAURABAURAM", "2004", "exact"),
                     ("Musahri", "2005", "fuzzy"),
                     ("KUSHESHWAR ASTHAN (EAST)", None, "unmatched"),  # East or not? a person says
                     ("Darbhanga Sadar", None, "unmatched")]


def test_a_code_that_names_another_place_than_the_name_is_not_trusted(matcher):
    gdf = blocks_frame([("Kusheshwar Asthan", 2002, "Darbhanga"), ("Musahari", 2005, "Darbhanga"),
                        ("Musahari", 2005, "Darbhanga")])
    keys = boundaries.Keys("block", "BLOCK_NM", "Subdt_LGD", "DIST_NAME")
    found = boundaries.match_features(gdf, matcher, keys)
    assert (found[0].matched_code, found[0].how, found[0].note) == (None, "unmatched", "code_name_disagree")
    assert [(m.matched_code, m.how) for m in found[1:]] == [("2005", "code"), ("2005", "code")]  # one place, 2 parts


def test_codes_of_another_list_are_set_aside(matcher):
    """Census sub-district codes look like LGD codes but name other places: not used."""
    gdf = blocks_frame([("Kusheshwar Asthan", 2005, "Darbhanga"), ("Musahari", 2001, "Darbhanga"),
                        ("Gora Bauram", 2003, "Darbhanga")])
    keys = boundaries.guess_keys(gdf, matcher)
    assert keys.code is None and keys.name == "BLOCK_NM"
    found = boundaries.match_features(gdf, matcher, keys)
    assert [m.matched_code for m in found] == ["2001", "2005", "2004"]


def test_two_names_claiming_one_place_by_fuzzy_match_give_way(matcher):
    gdf = blocks_frame([("Musahari", None, "Darbhanga"), ("Musahri", None, "Darbhanga")])
    found = boundaries.match_features(gdf, matcher, boundaries.Keys("block", "BLOCK_NM", None, "DIST_NAME"))
    assert [(m.matched_code, m.how) for m in found] == [("2005", "exact"), (None, "unmatched")]


@pytest.mark.skipif(not (REALDATA / "bihar_blocks_lgd.geojson").exists(), reason="../shared/realdata is not here")
def test_real_bihar_blocks_match_the_lgd_block_list_per_district():
    con = store.open_store(store.MEMORY)
    assert ingest.ingest_file(con, (REALDATA / "lgd_bihar_blocks.csv").read_bytes(), "lgd_bihar_blocks.csv").ok
    matcher = ingest.load_matcher(con)
    read = boundaries.read((REALDATA / "bihar_blocks_lgd.geojson").read_bytes(), "bihar_blocks_lgd.geojson")
    keys = boundaries.guess_keys(read.frame, matcher)
    assert keys.level == "block" and keys.name == "sdtname"
    assert keys.code is None  # Subdt_LGD are sub-district codes, not the block list's codes
    found = boundaries.match_features(read.frame, matcher, keys)
    matched = [m for m in found if m.matched_code]
    rate = len(matched) / len(found)
    print(f"real Bihar blocks: matched {len(matched)}/{len(found)} ({rate:.1%})")
    assert rate > 0.8
    # no place drawn twice under different names
    names_per_code: dict[str, set] = {}
    for m in matched:
        names_per_code.setdefault(m.matched_code, set()).add(m.name)
    assert all(len(v) == 1 for v in names_per_code.values())
