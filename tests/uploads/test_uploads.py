"""Session uploads: a catalogue of bad files, each with the message shown and the rows rejected, and good paths.

Every catalogue case runs against the app database (real LSOA, ward and borough geometry) and checks that the
database file and its tables are unchanged afterwards: uploads live only in memory.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import geopandas as gpd
import pytest
import shapely

from cohesion_metrics import errors
from cohesion_metrics.metadata import schema
from cohesion_metrics.uploads import analysis as ua
from cohesion_metrics.uploads.areas_file import MAX_AREA_FEATURES, read_areas
from cohesion_metrics.uploads.cells import (
    MAX_NAME_CHARS,
    MAX_ROWS,
    MAX_UPLOAD_BYTES,
    UploadResult,
    comma_is_decimal,
    parse_number,
    rejected_frame,
)
from cohesion_metrics.uploads.indicator_csv import read_indicator_csv
from cohesion_metrics.uploads.parsing import read_table
from cohesion_metrics.uploads.spaces_csv import read_spaces_csv, space_type

# A community centre in the City of London (E01032739) and a place of worship in Westminster.
HUB = "Hub,community centre,51.5155,-0.0922"
HUB_BNG = (532476, 181345)
WORSHIP = "St Mary,place of worship,51.5200,-0.1000"
HEADER = "name,type,latitude,longitude"


@dataclass(frozen=True)
class Ctx:
    lsoas: gpd.GeoDataFrame
    known: dict[str, frozenset[str]]
    london: Any


@pytest.fixture(scope="module")
def ctx(con) -> Ctx:
    return Ctx(ua.lsoa_polygons(con), ua.area_codes(con), ua.london_outline(con))


def _db_state(path: Path, con) -> tuple[str, dict[str, int]]:
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    counts = {t.name: con.execute(f"SELECT count(*) FROM {t.name}").fetchone()[0] for t in schema.TABLES}
    return digest, counts


@pytest.fixture(scope="module")
def db_before(app_db: Path, con) -> tuple[str, dict[str, int]]:
    return _db_state(app_db, con)


def text(*rows: str, header: str = HEADER) -> bytes:
    return ("\n".join([header, *rows]) + "\n").encode()


def feature(coords: Any, kind: str = "Polygon", **props: Any) -> dict[str, Any]:
    return {
        "type": "Feature",
        "properties": props,
        "geometry": None if coords is None else {"type": kind, "coordinates": coords},
    }


def square(x: float, y: float, size: float) -> list[list[list[float]]]:
    return [[[x, y], [x + size, y], [x + size, y + size], [x, y + size], [x, y]]]


def geojson(*features: dict[str, Any], crs: str | None = None) -> bytes:
    obj: dict[str, Any] = {"type": "FeatureCollection", "features": list(features)}
    if crs:
        obj["crs"] = {"type": "name", "properties": {"name": crs}}
    return json.dumps(obj).encode()


CITY = square(-0.095, 51.513, 0.004)  # WGS84, in the City of London


# --------------------------------------------------------------------------------------------------------------
# The bad-input catalogue: (kind, bytes, message phrase for a whole-file error, or the rows rejected)
# --------------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Case:
    kind: str  # spaces, indicator or areas
    data: Callable[[], bytes]
    message: str | None = None  # key phrase of the UploadError
    rejected: tuple[tuple[int, str, str], ...] = ()  # (row, column, reason phrase)
    n_valid: int = 0


CATALOGUE: dict[str, Case] = {
    # --- whole-file problems, any CSV
    "empty file": Case("spaces", lambda: b"", "the file is empty."),
    "blank lines only": Case("spaces", lambda: b"\r\n  \n\t\n", "the file is empty."),
    "byte-order mark only": Case("spaces", lambda: b"\xef\xbb\xbf", "the file is empty."),
    "byte-order mark and blank lines": Case("indicator", lambda: b"\xef\xbb\xbf \r\n\t\n", "the file is empty."),
    "areas: byte-order mark only": Case("areas", lambda: b"\xef\xbb\xbf\n", "the file is empty."),
    "over the size limit": Case(
        "spaces", lambda: text(HUB) + b" " * MAX_UPLOAD_BYTES, "the limit is 20 MB. To fix: remove unused columns"
    ),
    "over the row limit": Case(
        "spaces",
        lambda: text(*([HUB] * (MAX_ROWS + 1))),
        f"the file has {MAX_ROWS + 1:,} data rows; the limit is {MAX_ROWS:,}.",
    ),
    "excel workbook as csv": Case(
        "spaces",
        lambda: b"PK\x03\x04\x14\x00\x06\x00" + b"\x00" * 64,
        "this is a ZIP archive or an Excel workbook (.xlsx), not a CSV text file. To fix: open it in Excel",
    ),
    "binary junk": Case("spaces", lambda: bytes(range(256)) * 8, "this is binary data, not a CSV text file."),
    "bytes neither utf-8 nor cp1252": Case(
        "spaces", lambda: text(HUB) + b"caf\x81\x8d\x8f\x90\x9d", "neither UTF-8 nor Windows-1252"
    ),
    "html page saved as csv": Case(
        "spaces",
        lambda: b"<!DOCTYPE html><html><body><table><tr><td>Hub</td></tr></table></body></html>",
        "this is a web page (HTML/XML)",
    ),
    "json as csv": Case("spaces", lambda: b'[{"name": "Hub", "lat": 51.5}]', "this is JSON, not a CSV file."),
    "geojson as csv": Case(
        "spaces",
        lambda: geojson(feature(CITY, name="x")),
        "this is JSON (GeoJSON), not a CSV file. To fix: upload GeoJSON as custom areas",
    ),
    "header only": Case("spaces", text, "the file has a header but no data rows."),
    "the only data row has an unquoted comma": Case(
        "spaces",
        lambda: text("Smith, Jones Hall,community centre,51.52,-0.1"),
        "row 2: the only data row cannot be read: the row has 5 cells but the header has 4: a name may contain an "
        "unquoted ','. To fix: put quotes around values that contain a comma",
    ),
    "one column only": Case("spaces", lambda: b"name\nHub\nLibrary\n", "no header row with at least two column names"),
    # --- whole-file problems, spaces
    "no type column": Case("spaces", lambda: text("Hub,51.5,-0.1", header="name,lat,lon"), "no type column"),
    "no coordinate columns": Case("spaces", lambda: text("Hub,library", header="name,type"), "no coordinate columns"),
    "latitude without longitude": Case(
        "spaces",
        lambda: text("Hub,library,51.5", header="name,type,lat"),
        "there is a latitude column ('lat') but no longitude column.",
    ),
    "two latitude columns": Case(
        "spaces",
        lambda: text("Hub,library,51.5,51.5,-0.1", header="name,type,lat,Latitude,lon"),
        "2 columns could be the latitude: 'lat', 'Latitude'.",
    ),
    "lat/lon swapped": Case(
        "spaces",
        lambda: text("Hub,library,-0.0922,51.5155", "B,library,-0.1,51.52"),
        "the latitude and longitude look swapped",
    ),
    "bng metres in lat/lon columns": Case(
        "spaces",
        lambda: text("Hub,library,532476,181345"),
        "these are British National Grid metres, not degrees. To fix: rename 'latitude' and 'longitude' to 'easting' and 'northing'",
    ),
    "degrees in easting/northing columns": Case(
        "spaces",
        lambda: text("Hub,library,-0.09,51.5", header="name,type,easting,northing"),
        "these are degrees (latitude/longitude)",
    ),
    "easting/northing swapped": Case(
        "spaces",
        lambda: text("Hub,library,181345,532476", header="name,type,easting,northing"),
        "the easting and northing look swapped",
    ),
    "x/y neither degrees nor metres": Case(
        "spaces",
        lambda: text("Hub,library,12345678,5", header="name,type,x,y"),
        "are neither London longitude/latitude nor London easting/northing",
    ),
    # --- rows rejected, spaces (one good row kept in each)
    "blank name": Case(
        "spaces", lambda: text(HUB, ",library,51.52,-0.1"), rejected=((3, "name", "name is blank"),), n_valid=1
    ),
    "unknown type": Case(
        "spaces",
        lambda: text(HUB, "Gym,gym,51.52,-0.1"),
        rejected=(
            (
                3,
                "type",
                "unknown type 'gym'; use one of: community centre, library, youth centre, place of worship, arts centre",
            ),
        ),
        n_valid=1,
    ),
    "blank type": Case(
        "spaces",
        lambda: text(HUB, "Hall,,51.52,-0.1"),
        rejected=((3, "type", "type is blank; use one of:"),),
        n_valid=1,
    ),
    "non-numeric latitude": Case(
        "spaces",
        lambda: text(HUB, "Hall,library,51.52N,-0.1"),
        rejected=((3, "latitude", "latitude is not a number"),),
        n_valid=1,
    ),
    "nan and inf coordinates": Case(
        "spaces",
        lambda: text(HUB, "Hall,library,nan,inf"),
        rejected=((3, "latitude", "latitude is not a number"), (3, "longitude", "longitude is not a number")),
        n_valid=1,
    ),
    "blank longitude": Case(
        "spaces",
        lambda: text(HUB, "Hall,library,51.52,"),
        rejected=((3, "longitude", "longitude is blank"),),
        n_valid=1,
    ),
    "outside london (paris)": Case(
        "spaces",
        lambda: text(HUB, "Louvre,museum,48.8606,2.3376"),
        rejected=((3, "latitude/longitude", "outside London"),),
        n_valid=1,
    ),
    "inside the box, outside london (dartford)": Case(
        "spaces",
        lambda: text(HUB, "Dartford Library,library,51.4452,0.2176"),
        rejected=((3, "latitude/longitude", "outside London"),),
        n_valid=1,
    ),
    "one row swapped": Case(
        "spaces",
        lambda: text(HUB, WORSHIP, "Hall,library,-0.1,51.52"),
        rejected=((4, "latitude/longitude", "outside London: latitude and longitude look swapped"),),
        n_valid=2,
    ),
    "duplicate row": Case(
        "spaces", lambda: text(HUB, WORSHIP, HUB.upper()), rejected=((4, "name", "duplicate of row 2"),), n_valid=2
    ),
    "unquoted comma in a name": Case(
        "spaces",
        lambda: text(HUB, "Smith, Jones Hall,community centre,51.52,-0.1"),
        rejected=((3, "", "the row has 5 cells but the header has 4: a name may contain an unquoted ','"),),
        n_valid=1,
    ),
    # --- indicator CSVs
    "indicator: no code column": Case(
        "indicator", lambda: text("Camden,3", header="borough,score"), "no column of area codes found"
    ),
    "indicator: codes outside london": Case(
        "indicator",
        lambda: text("E01005000,3", "E01005001,4", header="code,score"),
        "none of the codes in 'code' is a London LSOA 2011 (neighbourhood), ward, LSOA 2021 or 2022 ward code "
        "(first: 'E01005000').",
    ),
    "indicator: 2021 lsoa codes outside london": Case(  # LSOA 2021 codes are accepted: no "the map uses 2011" hint
        "indicator",
        lambda: text("E01035000,3", "E01035001,4", header="code,score"),
        "none of the codes in 'code' is a London LSOA 2011 (neighbourhood), ward, LSOA 2021 or 2022 ward code "
        "(first: 'E01035000').",
    ),
    "indicator: no numeric column": Case(
        "indicator",
        lambda: text("E01000001,high", "E01000002,low", header="code,band"),
        "no column of numbers besides the codes in 'code'",
    ),
    "indicator: rows rejected": Case(
        "indicator",
        lambda: text(
            "E01000001,12.5",
            "E01035000,3",  # created in 2021
            "E01005000,3",  # Manchester
            "E01000002,n/a",
            "E01000003,",
            "E05000026,4",  # a ward code
            "Camden,4",
            "E01000005,1",
            "E01000005,2",
            "E01000006,7",
            "E01000006,7",
            header="LSOA code,value",
        ),
        rejected=(
            (3, "LSOA code", "a 2021 LSOA code (created in 2021); the map uses 2011 LSOAs"),
            (4, "LSOA code", "not a London LSOA 2011 code"),
            (5, "value", "value is not a number"),
            (6, "value", "value is blank"),
            (7, "LSOA code", "a ward code in a file read as LSOA 2011 (neighbourhood) codes"),
            (8, "LSOA code", "not an area code"),
            (9, "LSOA code", "code given more than once with different values (rows 9, 10); keep one"),
            (10, "LSOA code", "code given more than once with different values (rows 9, 10); keep one"),
            (12, "LSOA code", "duplicate of row 11"),
        ),
        n_valid=2,
    ),
    # --- custom areas
    "areas: not json": Case(
        "areas", lambda: b'{"type": "FeatureCollection", "features": [', "the GeoJSON is not valid JSON"
    ),
    "areas: json that is not geojson": Case(
        "areas", lambda: b'{"rows": [1, 2]}', 'the JSON is not a GeoJSON FeatureCollection (it has no "type" member).'
    ),
    "areas: no features": Case("areas", geojson, "the GeoJSON has no features."),
    "areas: too many features": Case(
        "areas",
        lambda: geojson(*[feature(CITY, name=str(i)) for i in range(MAX_AREA_FEATURES + 1)]),
        f"the file has {MAX_AREA_FEATURES + 1:,} areas; the limit is {MAX_AREA_FEATURES:,}.",
    ),
    "areas: zipped shapefile": Case(
        "areas", lambda: b"PK\x03\x04" + b"\x00" * 64, "not GeoJSON or GeoPackage (a zipped shapefile is not read)"
    ),
    "areas: damaged geopackage": Case(
        "areas",
        lambda: b"SQLite format 3\x00" + b"\x00" * 200,
        "the GeoPackage cannot be read (file is not a database).",
    ),
    "areas: csv uploaded as areas": Case("areas", lambda: text(HUB), "this is text that is not GeoJSON."),
    "areas: kml": Case("areas", lambda: b'<?xml version="1.0"?><kml><Placemark/></kml>', "KML and GML are not read"),
    "areas: lat/lon order": Case(
        "areas",
        lambda: geojson(feature([[[y, x] for x, y in ring] for ring in CITY], name="swapped")),
        "the coordinates look like latitude, longitude",
    ),
    "areas: unknown coordinate system": Case(
        "areas",
        lambda: geojson(feature(square(5e6, 5e6, 100), name="far")),
        "are neither degrees nor British National Grid metres",
    ),
    "areas: ring not closed": Case(
        "areas",
        lambda: geojson(feature(CITY, name="City block"), feature([CITY[0][:-1]], name="Open ring")),
        rejected=((2, "geometry", "a ring of the polygon is not closed or has too few points"),),
        n_valid=1,
    ),
    "areas: ring of two points": Case(
        "areas",
        lambda: geojson(feature(CITY, name="City block"), feature([CITY[0][:2]], name="Two points")),
        rejected=((2, "geometry", "a ring of the polygon is not closed or has too few points"),),
        n_valid=1,
    ),
    "areas: NaN coordinate": Case(
        "areas",
        lambda: geojson(
            feature(CITY, name="City block"),
            feature([[[-0.1, 51.5], [float("nan"), 51.5], [-0.09, 51.51], [-0.1, 51.5]]], name="NaN"),
        ),
        rejected=((2, "geometry", "a coordinate is not a number (NaN or infinity)"),),
        n_valid=1,
    ),
    "areas: declared WGS84 on British National Grid metres": Case(
        "areas",
        lambda: geojson(feature(square(531_000, 181_000, 500), name="Estate"), crs="urn:ogc:def:crs:OGC:1.3:CRS84"),
        rejected=((1, "geometry", "outside London: check the file's coordinate system (the file declares WGS 84"),),
    ),
    "areas: features rejected": Case(
        "areas",
        lambda: geojson(
            feature(CITY, name="City block"),
            feature([-0.1, 51.5], "Point", name="A point"),
            feature(None, name="No shape"),
            feature(square(-2.25, 53.47, 0.01), name="Manchester"),
            feature([[[-0.1, 51.5], [-0.09, 51.5], [-0.08, 51.5], [-0.1, 51.5]]], name="Flat"),
        ),
        rejected=(
            (2, "geometry", "a Point, not a polygon"),
            (3, "geometry", "the feature has no geometry"),
            (4, "geometry", "outside London"),
            (5, "geometry", "the polygon has no area after repair"),
        ),
        n_valid=1,
    ),
}


# --------------------------------------------------------------------------------------------------------------
# Hostile inputs: each rejected with a clear message (or its rows), bounded in time and memory
# (benchmarks/hostile_inputs.py times every catalogue case)
# --------------------------------------------------------------------------------------------------------------


def _gpkg(n: int, *, claimed: int | None = None, layer: str = "areas", name: str = "x") -> bytes:
    """A GeoPackage of `n` small squares in the City; `claimed` overwrites gpkg_ogr_contents.feature_count."""
    import sqlite3
    import tempfile

    import pyogrio

    frame = gpd.GeoDataFrame(
        {"name": [f"{name} {i}" for i in range(n)]},
        geometry=[shapely.box(-0.095 + i * 1e-5, 51.513, -0.0949 + i * 1e-5, 51.5131) for i in range(n)],
        crs="EPSG:4326",
    )
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "a.gpkg"
        pyogrio.write_dataframe(frame, path, layer=layer)
        if claimed is not None:
            with sqlite3.connect(path) as con:
                con.execute("UPDATE gpkg_ogr_contents SET feature_count = ?", (claimed,))
        return path.read_bytes()


def _crs(crs: Any) -> bytes:
    obj = json.loads(geojson(feature(CITY, name="Block")))
    obj["crs"] = crs
    return json.dumps(obj).encode()


def wide(header: list[str], row: list[str]) -> bytes:
    return (",".join(header) + "\n" + ",".join(row) + "\n").encode()


LINK = {"type": "link", "properties": {"href": "http://127.0.0.1:9/crs.wkt", "type": "ogcwkt"}}
PAYLOAD = ":red[**HACKED**] [click](http://127.0.0.1:9/x) ![](http://127.0.0.1:9/p.png)"
HOSTILE: dict[str, Case] = {
    "4,000 identical column names (16 KB header)": Case(
        "spaces",
        lambda: wide(["name"] * 4000, ["Hub"]),
        "the header row has 4,000 columns; the limit is 500.",
    ),
    "32,000 distinct column names": Case(
        "indicator",
        lambda: wide([f"c{i}" for i in range(32_000)], ["1"] * 32_000),
        "the header row has 32,000 columns; the limit is 500.",
    ),
    "501 columns": Case(
        "spaces",
        lambda: wide([f"c{i}" for i in range(501)], ["x"] * 501),
        "the header row has 501 columns",
    ),
    "12 latitude columns (the message lists 10)": Case(
        "spaces",
        lambda: text(
            "Hub,library,-0.1" + ",51.5" * 12,
            header="name,type,longitude," + ",".join(f"Latitude {c}" for c in "ABCDEFGHIJKL"),
        ),
        "12 columns could be the latitude: 'Latitude A', 'Latitude B', 'Latitude C', 'Latitude D', 'Latitude E', 'Latitude F', 'Latitude G', 'Latitude H', 'Latitude I', 'Latitude J', … and 2 more.",
    ),
    "a 200 KB cell": Case(
        "spaces",
        lambda: text(HUB, f"{'x' * 200_000},library,51.52,-0.1"),
        "the CSV cannot be read (field larger than field limit",
    ),
    "one 1 MB line without a delimiter": Case(
        "spaces", lambda: b"x" * 1_000_000, "row 1: the CSV cannot be read (field larger than field limit"
    ),
    "indicator: 6 title rows": Case(
        "indicator", lambda: b"t\n" * 6 + b"code,value\nE01000001,1\n", "only 5 title rows above it are skipped"
    ),
    "indicator: empty file": Case("indicator", lambda: b"", "the file is empty."),
    "indicator: excel workbook": Case(
        "indicator", lambda: b"PK\x03\x04" + b"\x00" * 64, "this is a ZIP archive or an Excel workbook (.xlsx)"
    ),
    "indicator: over the size limit": Case(
        "indicator", lambda: text("E01000001,1", header="code,value") + b" " * MAX_UPLOAD_BYTES, "the limit is 20 MB."
    ),
    "areas: over the size limit": Case(
        "areas", lambda: geojson(feature(CITY, name="x")) + b" " * MAX_UPLOAD_BYTES, "the limit is 20 MB."
    ),
    "areas: empty file": Case("areas", lambda: b"", "the file is empty."),
    "areas: pdf": Case(
        "areas", lambda: b"%PDF-1.7\n" + b"\x00" * 64, "this is a PDF document, not GeoJSON or GeoPackage."
    ),
    "areas: png": Case(
        "areas", lambda: b"\x89PNG\r\n\x1a\n" + b"\x00" * 64, "this is a PNG image, not GeoJSON or GeoPackage."
    ),
    "areas: a 'link' crs (fetches a URL)": Case(
        "areas", lambda: _crs(LINK), "the file's \"crs\" member is a 'link' CRS that is not read"
    ),
    "areas: a url as crs name": Case(
        "areas", lambda: _crs({"type": "name", "properties": {"name": "http://127.0.0.1:9/x"}}), "only named EPSG codes"
    ),
    "areas: an unknown epsg code": Case(
        "areas",
        lambda: _crs({"type": "name", "properties": {"name": "EPSG:999999"}}),
        "('EPSG:999999') that is not read",
    ),
    "areas: crs as a string": Case(
        "areas", lambda: _crs("EPSG:4326"), 'the file\'s "crs" member is a CRS that is not read'
    ),
    "areas: old-style EPSG crs object": Case(
        "areas", lambda: _crs({"type": "EPSG", "properties": {"code": 4326}}), "'EPSG' CRS that is not read"
    ),
    "areas: a file path as crs": Case(
        "areas", lambda: _crs({"type": "link", "properties": {"href": "/etc/passwd"}}), "'link' CRS that is not read"
    ),
    "areas: geopackage understating its feature count": Case(
        "areas",
        lambda: _gpkg(MAX_AREA_FEATURES + 100, claimed=1),
        f"the file has {MAX_AREA_FEATURES + 100:,} areas; the limit is {MAX_AREA_FEATURES:,}.",
    ),
    "areas: nested 100,000 deep": Case(
        "areas",
        lambda: b'{"type": "FeatureCollection", "features": ' + b"[" * 100_000 + b"]" * 100_000 + b"}",
        "nested too deeply",
    ),
    "areas: topojson": Case(
        "areas", lambda: b'{"type": "Topology", "objects": {}, "arcs": []}', "its type is 'Topology'"
    ),
    "areas: a json array": Case("areas", lambda: b"[1, 2, 3]", "this is text that is not GeoJSON."),
    "areas: features is not a list": Case(
        "areas", lambda: b'{"type": "FeatureCollection", "features": {"a": 1}}', "the GeoJSON has no features."
    ),
    "markdown payload as a space type": Case(
        "spaces", lambda: text(HUB, f'Hall,"{PAYLOAD}",51.52,-0.1'), rejected=((3, "type", "unknown type"),), n_valid=1
    ),
    "bidi override hides a duplicate": Case(
        "spaces",
        lambda: text(HUB, "\u202eHub,community centre,51.5155,-0.0922"),
        rejected=((3, "name", "duplicate of row 2"),),
        n_valid=1,
    ),
    "NFC and NFD spellings of one name": Case(
        "spaces",
        lambda: text("Caf\u00e9 Hall,library,51.52,-0.1", "Cafe\u0301 Hall,library,51.52,-0.1"),
        rejected=((3, "name", "duplicate of row 2"),),
        n_valid=1,
    ),
    "zero-width space hides a duplicate": Case(
        "spaces",
        lambda: text(HUB, "Hu\u200bb,community centre,51.5155,-0.0922"),
        rejected=((3, "name", "duplicate of row 2"),),
        n_valid=1,
    ),
    "formula in a coordinate": Case(
        "spaces",
        lambda: text(HUB, "Hall,library,=51.52,-0.1"),
        rejected=((3, "latitude", "latitude is not a number"),),
        n_valid=1,
    ),
    "a row of 10,000 cells": Case(
        "spaces",
        lambda: text(HUB, "Hall,library,51.52,-0.1" + ",x" * 10_000),
        rejected=((3, "", "the row has 10004 cells but the header has 4"),),
        n_valid=1,
    ),
    "coordinates of 1e308": Case(
        "spaces", lambda: text("Hall,library,1e308,1e308"), "hold values around 1e+308 and 1e+308"
    ),
    "indicator: infinity and nan values": Case(
        "indicator",
        lambda: text(
            "E01000001,1", "E01000005,2", "E01000006,3", "E01000002,Infinity", "E01000003,NaN", header="code,value"
        ),
        rejected=((5, "value", "value is not a number"), (6, "value", "value is not a number")),
        n_valid=3,
    ),
    "indicator: formula values": Case(
        "indicator",
        lambda: text(
            "E01000001,1", "E01000005,2", "E01000006,3", "E01000002,=1+1", "E01000003,@SUM(A1)", header="code,value"
        ),
        rejected=((5, "value", "value is not a number"), (6, "value", "value is not a number")),
        n_valid=3,
    ),
    "areas: a point collection": Case(
        "areas",
        lambda: geojson(
            feature(CITY, name="Block"),
            {
                "type": "Feature",
                "properties": {"name": "Points"},
                "geometry": {
                    "type": "GeometryCollection",
                    "geometries": [{"type": "Point", "coordinates": [-0.1, 51.5]}],
                },
            },
        ),
        rejected=((2, "geometry", "the polygon has no area"),),
        n_valid=1,
    ),
}
CATALOGUE.update(HOSTILE)


def _parse(kind: str, data: bytes, ctx: Ctx) -> UploadResult:
    if kind == "spaces":
        return read_spaces_csv(data, "my upload.csv", ctx.lsoas)
    if kind == "indicator":
        return read_indicator_csv(data, "my upload.csv", ctx.known)
    return read_areas(data, "my upload.csv", london=ctx.london)


@pytest.mark.parametrize("case", CATALOGUE.values(), ids=CATALOGUE.keys())
def test_bad_input(case: Case, ctx: Ctx, app_db: Path, con, db_before) -> None:
    data = case.data()
    if case.message is not None:
        with pytest.raises(errors.UploadError) as caught:
            _parse(case.kind, data, ctx)
        message = str(caught.value)
        assert message.startswith("file 'my upload.csv'")
        assert case.message in message
        assert "To fix: " in message
    else:
        result = _parse(case.kind, data, ctx)
        got = list(result.rejected[["row", "column"]].itertuples(index=False, name=None))
        assert got == [(row, column) for row, column, _ in case.rejected]
        for reason, (_, _, phrase) in zip(result.rejected["reason"], case.rejected, strict=True):
            assert phrase in reason
        assert len(result.valid) == case.n_valid
        assert set(result.rejected.columns) == {"row", "column", "value", "reason"}
    assert _db_state(app_db, con) == db_before


# --------------------------------------------------------------------------------------------------------------
# Good paths: spaces
# --------------------------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def real_spaces(con):
    return con.execute("""SELECT name, space_type, easting, northing, lon, lat, lsoa11_code, borough_code
        FROM core_spaces__inclusive WHERE name <> '' ORDER BY hash(space_id) LIMIT 40""").df()


def _csv(rows: list[list[object]]) -> bytes:
    out = io.StringIO()
    csv.writer(out).writerows(rows)
    return out.getvalue().encode()


def test_latlon_and_bng_give_the_same_lsoas(real_spaces, ctx: Ctx) -> None:
    latlon = _csv(
        [["Name", "Type", "Lat", "Lng"]]
        + [[r.name, r.space_type, repr(r.lat), repr(r.lon)] for r in real_spaces.itertuples()]
    )
    bng = _csv(
        [["Site name", "Category", "Easting", "Northing"]]
        + [[r.name, r.space_type, r.easting, r.northing] for r in real_spaces.itertuples()]
    )
    a = read_spaces_csv(latlon, "a.csv", ctx.lsoas)
    b = read_spaces_csv(bng, "b.csv", ctx.lsoas)
    assert a.rejected.empty and b.rejected.empty
    assert a.valid["lsoa11_code"].tolist() == b.valid["lsoa11_code"].tolist() == real_spaces["lsoa11_code"].tolist()
    assert b.valid["borough_code"].tolist() == real_spaces["borough_code"].tolist()
    assert (a.valid["easting"] - b.valid["easting"]).abs().max() < 1.0
    assert a.valid.crs.to_epsg() == 27700
    assert "WGS84 latitude/longitude" in a.notes[-1] and "British National Grid" in b.notes[-1]


def test_bom_and_cp1252_files_give_the_same_names(ctx: Ctx) -> None:
    rows = (
        "name,type,latitude,longitude\r\nCafé Hub,community centre,51.5155,-0.0922\r\nSt Mary’s,church,51.52,-0.1\r\n"
    )
    bom = read_spaces_csv(b"\xef\xbb\xbf" + rows.encode("utf-8"), "bom.csv", ctx.lsoas)
    ansi = read_spaces_csv(rows.encode("cp1252"), "ansi.csv", ctx.lsoas)
    utf16 = read_spaces_csv(rows.encode("utf-16"), "u16.csv", ctx.lsoas)
    assert bom.valid["name"].tolist() == ansi.valid["name"].tolist() == utf16.valid["name"].tolist()
    assert bom.valid["name"].tolist() == ["Café Hub", "St Mary’s"]
    assert bom.notes[0] == "Text encoding: UTF-8 with a byte-order mark."
    assert ansi.notes[0] == "Text encoding: Windows-1252. Check that accented letters (e.g. 'Café') look right."
    assert utf16.notes[0] == "Text encoding: UTF-16."


def test_formulas_stay_text_and_long_names_are_cut(ctx: Ctx) -> None:
    long = "A" * 500
    data = text('"=HYPERLINK(""http://example.com"",""x"")",library,51.51,-0.12', f"{long},library,51.52,-0.1")
    result = read_spaces_csv(data, "f.csv", ctx.lsoas)
    assert result.valid["name"].iloc[0] == '=HYPERLINK("http://example.com","x")'
    assert any("never evaluated" in n for n in result.notes)
    cut = result.valid["name"].iloc[1]
    assert len(cut) == MAX_NAME_CHARS and cut.endswith("…")
    assert any("were cut" in n for n in result.notes)


def test_semicolons_decimal_commas_title_rows_and_xy(ctx: Ctx) -> None:
    data = b"My spaces export\n\nNAME;TYPE;LATITUDE;LONGITUDE\nHub;Community Centres;51,5155;-0,0922\n"
    result = read_spaces_csv(data, "s.csv", ctx.lsoas)
    assert result.valid["lsoa11_code"].tolist() == ["E01032739"]
    assert "Columns are separated by semicolons." in result.notes
    assert "Skipped 2 title row(s) above the header in row 3." in result.notes
    xy = read_spaces_csv(text(f"Hub,library,{HUB_BNG[0]},{HUB_BNG[1]}", header="name,type,X,Y"), "xy.csv", ctx.lsoas)
    assert xy.valid["lsoa11_code"].tolist() == ["E01032739"]
    assert any("easting/northing (metres), from their values" in n for n in xy.notes)
    lonlat = read_spaces_csv(text("Hub,library,-0.0922,51.5155", header="name,type,x,y"), "xy.csv", ctx.lsoas)
    assert lonlat.valid["lsoa11_code"].tolist() == ["E01032739"]


def test_delimiter_comes_from_the_header_not_a_comma_in_a_value(ctx: Ctx) -> None:
    semicolons = read_indicator_csv(b"ward_code;score\nE05000026;0,5\n", "i.csv", ctx.known)
    assert semicolons.series().to_dict() == {"E05000026": 0.5}
    assert "Columns are separated by semicolons." in semicolons.notes
    tabs = read_spaces_csv(
        b"name\ttype\tlatitude\tlongitude\nSmith, Jones Hall\tcommunity centre\t51.5155\t-0.0922\n", "t.csv", ctx.lsoas
    )
    assert tabs.rejected.empty
    assert tabs.valid["name"].tolist() == ["Smith, Jones Hall"]
    assert tabs.valid["lsoa11_code"].tolist() == ["E01032739"]
    titled = read_table(b"Spaces export, March 2024\nname;type;lat;lon\nHub;library;51,5;-0,1\n", "t.csv")
    assert titled.delimiter == ";" and titled.header == ["name", "type", "lat", "lon"]


def test_decimal_commas_only_where_they_cannot_be_thousands(ctx: Ctx) -> None:
    def values(data: bytes) -> list[float]:
        return read_indicator_csv(data, "i.csv", ctx.known).valid["value"].tolist()

    assert values(b"ward_code\tscore\nE05000026\t1,234\nE05000027\t12,345.5\n") == [1234.0, 12345.5]
    assert values(b"ward_code\tscore\nE05000026\t0,5\nE05000027\t1,234\n") == [0.5, 1.234]
    assert values(b"ward_code|score\nE05000026|51,5155\n") == [51.5155]
    assert values(b"ward_code;score\nE05000026;1,234\n") == [1.234]
    assert values(b'ward_code,score\nE05000026,"1,234"\nE05000027,"2,000"\n') == [1234.0, 2000.0]
    assert comma_is_decimal(";", ["1,234"]) and not comma_is_decimal("\t", ["1,234", "12,345.5", "7"])
    assert comma_is_decimal("\t", ["1,234", "0,5"]) and comma_is_decimal(",", ["12,5%"])


def test_quoted_thousands_in_xy_columns_of_a_comma_file(ctx: Ctx) -> None:
    data = text(f'Hub,library,"{HUB_BNG[0]:,}","{HUB_BNG[1]:,}"', header="name,type,x,y")
    result = read_spaces_csv(data, "xy.csv", ctx.lsoas)
    assert result.rejected.empty
    assert result.valid["lsoa11_code"].tolist() == ["E01032739"]
    assert (result.valid["easting"].iloc[0], result.valid["northing"].iloc[0]) == HUB_BNG


def test_every_row_rejected_is_named_in_the_message() -> None:
    with pytest.raises(errors.UploadError) as caught:
        read_table(text("A, B,library,51.5,-0.1", "C, D,library,51.5,-0.1"), "r.csv")
    assert str(caught.value).startswith(
        "file 'r.csv', row 2: none of the 2 data rows can be read; the first: the row has 5 cells but the header has 4"
    )


def test_space_types_map_to_the_app_groups(ctx: Ctx) -> None:
    assert space_type("Community Centres") == "community_centre"
    assert space_type("Mosque") == "place_of_worship"
    assert space_type("LGBTQ+") == "lgbt_venue"
    assert space_type("gym") is None
    result = read_spaces_csv(text(HUB, WORSHIP, "The Bell,pub,51.51,-0.12"), "t.csv", ctx.lsoas)
    assert result.valid["group"].tolist() == ["community", "faith", "not_counted"]
    assert result.valid["counted"].tolist() == [True, True, False]
    assert result.valid["space_id"].tolist() == ["upload:2", "upload:3", "upload:4"]


def test_parse_number() -> None:
    assert parse_number("1,234.5") == 1234.5
    assert parse_number("51,5", decimal_comma=True) == 51.5
    assert parse_number("-0.1") == -0.1
    assert parse_number(" 1e3 ") == 1000.0
    for bad in ("nan", "inf", "1e999", "=1+1", "51.5N", "", "1,2,3"):
        assert parse_number(bad) is None, bad


# --------------------------------------------------------------------------------------------------------------
# Good paths: indicators
# --------------------------------------------------------------------------------------------------------------


def test_indicator_detects_level_and_coverage(ctx: Ctx) -> None:
    result = read_indicator_csv(
        text("E01000001,12.5%,3", "E01000002,7,4", header="LSOA11CD,Score,Other"), "i.csv", ctx.known
    )
    assert result.level == "lsoa11"
    assert result.code_column == "LSOA11CD" and result.value_column == "Score"
    assert result.value_columns == ("Score", "Other")
    assert result.series().to_dict() == {"E01000001": 12.5, "E01000002": 7.0}
    assert "2 of London's 4,835 areas covered" in result.notes[-1]
    assert any("Percent signs were removed" in n for n in result.notes)
    other = read_indicator_csv(
        text("E01000001,12.5,3", header="LSOA11CD,Score,Other"), "i.csv", ctx.known, value_column="Other"
    )
    assert other.series().to_dict() == {"E01000001": 3.0}


def test_indicator_by_ward(ctx: Ctx) -> None:
    wards = sorted(ctx.known["ward"])[:3]
    result = read_indicator_csv(
        text(*(f"{w},{k}" for k, w in enumerate(wards)), "E05999999,9", header="ward,count"), "w.csv", ctx.known
    )
    assert result.level == "ward"
    assert result.n_covered == 3 and result.n_total == 625
    assert "Read as ward codes" in result.notes[-1]
    assert result.rejected["reason"].tolist() == [
        "not one of the app's London ward codes (wards as at 2014, from the GLA statistical GIS boundaries)"
    ]


def test_indicator_code_column_is_the_one_with_most_london_codes(ctx: Ctx, con) -> None:
    rows = con.execute(
        "SELECT borough_code, min(lsoa11_code) AS lsoa FROM core_geo__lsoa11 GROUP BY 1 ORDER BY 1 LIMIT 3"
    ).fetchall()
    assert rows[0][0] == "E09000001"  # the City's borough code is also its (merged) ward code
    by_lad = read_indicator_csv(
        text(*(f"{b},{lsoa},{k}" for k, (b, lsoa) in enumerate(rows)), header="LAD code,LSOA code,value"),
        "l.csv",
        ctx.known,
    )
    assert (by_lad.code_column, by_lad.level, by_lad.n_covered) == ("LSOA code", "lsoa11", 3)
    city_only = read_indicator_csv(
        text(f"{rows[0][0]},{rows[0][1]},1", header="LAD code,LSOA code,value"), "c.csv", ctx.known
    )
    assert (city_only.code_column, city_only.level) == ("LSOA code", "lsoa11")
    split = con.execute(
        "SELECT lsoa11_code, lsoa21_code FROM core_geo__lsoa11_lsoa21 WHERE change = 'S' ORDER BY 1 LIMIT 1"
    ).fetchone()
    both = ["E01000001,E01000001,1", f"{split[1]},{split[0]},2"]
    for data in (text(*both, header="LSOA21CD,LSOA11CD,value"), text(both[0], header="LSOA21CD,LSOA11CD,value")):
        result = read_indicator_csv(data, "v.csv", ctx.known)
        assert (result.code_column, result.level) == ("LSOA11CD", "lsoa11")
        assert result.rejected.empty


# --------------------------------------------------------------------------------------------------------------
# Good paths: areas
# --------------------------------------------------------------------------------------------------------------


def test_areas_geojson_wgs84_is_reprojected(ctx: Ctx) -> None:
    result = read_areas(geojson(feature(CITY, name="Block")), "a.geojson", london=ctx.london)
    assert result.valid.crs.to_epsg() == 27700
    assert result.valid["name"].tolist() == ["Block"]
    assert 531_000 < result.valid.geometry.iloc[0].centroid.x < 534_000
    assert any("Reprojected from WGS 84" in n for n in result.notes)


def test_areas_without_crs_in_metres_are_bng(ctx: Ctx) -> None:
    result = read_areas(geojson(feature(square(531_000, 181_000, 500), NAME="Block")), "a.geojson", london=ctx.london)
    assert result.valid.geometry.iloc[0].bounds == (531_000, 181_000, 531_500, 181_500)
    assert result.valid["area_km2"].iloc[0] == pytest.approx(0.25)
    assert any("read as EPSG:27700" in n for n in result.notes)


def test_areas_invalid_polygons_are_repaired_and_named(ctx: Ctx) -> None:
    bowtie = [[[531_000, 181_000], [531_500, 181_500], [531_500, 181_000], [531_000, 181_500], [531_000, 181_000]]]
    data = geojson(feature(bowtie), feature(square(531_000, 182_000, 300)), crs="urn:ogc:def:crs:EPSG::27700")
    result = read_areas(data, "a.geojson", london=ctx.london)
    assert result.valid["name"].tolist() == ["Area 1", "Area 2"]
    assert result.valid["repaired"].tolist() == [True, False]
    assert result.valid.geometry.is_valid.all()
    assert result.valid["area_km2"].iloc[0] == pytest.approx(0.125)
    assert any(
        n.startswith("Repaired 1 invalid polygon(s): 'Area 1' (feature 1: Self-intersection") for n in result.notes
    )
    assert any("numbered 'Area 1'" in n for n in result.notes)


def test_areas_geopackage_with_z_and_repeated_names(ctx: Ctx) -> None:
    polys = [shapely.force_3d(shapely.box(531_000, 181_000 + k * 600, 531_500, 181_500 + k * 600)) for k in range(2)]
    frame = gpd.GeoDataFrame({"Name": ["Estate", "Estate"]}, geometry=polys, crs="EPSG:27700")
    buf = io.BytesIO()
    frame.to_file(buf, driver="GPKG", layer="estates")
    result = read_areas(buf.getvalue(), "a.gpkg", london=ctx.london)
    assert result.valid["name"].tolist() == ["Estate", "Estate (feature 2)"]
    assert not result.valid.geometry.has_z.any()
    assert any("made unique" in n for n in result.notes)


def test_areas_geopackage_without_crs_is_read_by_its_coordinates(ctx: Ctx) -> None:
    frame = gpd.GeoDataFrame({"label": ["Estate"]}, geometry=[shapely.box(531_000, 181_000, 531_500, 181_500)])
    buf = io.BytesIO()
    with pytest.warns(UserWarning, match="'crs' was not provided"):
        frame.to_file(buf, driver="GPKG", layer="nocrs")
    result = read_areas(buf.getvalue(), "a.gpkg", london=ctx.london)
    assert result.valid["name"].tolist() == ["Estate"]
    assert result.valid.geometry.iloc[0].bounds == (531_000, 181_000, 531_500, 181_500)
    assert any("declares no coordinate system" in n for n in result.notes)


def test_areas_crossing_the_thames_are_inside_london(ctx: Ctx) -> None:
    # The borough boundaries stop at mean high water: this box is a quarter river, by Westminster Bridge.
    river = read_areas(
        geojson(feature(square(530_000, 180_000, 1000), name="Riverside")), "r.geojson", london=ctx.london
    )
    assert river.valid["name"].tolist() == ["Riverside"]
    assert not any("extend beyond London" in n for n in river.notes)
    edge = read_areas(geojson(feature(square(561_000, 185_000, 3000), name="Edge")), "e.geojson", london=ctx.london)
    assert any(n.startswith("1 area(s) extend beyond London") for n in edge.notes)
    assert ctx.london.geom_type == "Polygon" and not ctx.london.interiors


def test_indicator_value_column_must_exist(ctx: Ctx) -> None:
    with pytest.raises(errors.UploadError, match=r"there is no column 'rate'; the columns are \['code', 'score'\]"):
        read_indicator_csv(text("E01000001,3", header="code,score"), "i.csv", ctx.known, value_column="rate")


def test_rejected_rows_are_counted_once() -> None:
    rejected = rejected_frame(
        {"row": r, "column": "x", "value": "", "reason": why} for r, why in [(5, "c"), (3, "a"), (3, "b")]
    )
    assert list(rejected.columns) == ["row", "column", "value", "reason"]
    assert rejected["row"].tolist() == [3, 3, 5]
    assert UploadResult(gpd.GeoDataFrame(), rejected, []).n_rejected_rows == 2


def test_a_huge_header_is_refused_in_a_short_message() -> None:
    data = (",".join(f"column {i}" for i in range(32_000)) + "\n" + ",".join(["1"] * 32_000) + "\n").encode()
    with pytest.raises(errors.UploadError) as caught:
        read_table(data, "wide.csv")
    assert len(str(caught.value)) < 300 and "column 31999" not in str(caught.value)


def test_repeated_headers_are_numbered_in_order() -> None:
    table = read_table(b"a,a,a (2),a,,b\n1,2,3,4,5,6\n", "x.csv")
    assert table.header == ["a", "a (2)", "a (2) (2)", "a (3)", "column 5", "b"]


def test_streamlit_upload_limit_is_the_parsers_limit() -> None:
    """One number: .streamlit/config.toml's server.maxUploadSize (MB of 1,000,000 bytes, as Streamlit counts)."""
    import tomllib

    from cohesion_metrics.uploads.cells import MAX_UPLOAD_MB

    config = tomllib.loads((Path(__file__).parents[2] / ".streamlit" / "config.toml").read_text())
    assert config["server"]["maxUploadSize"] == MAX_UPLOAD_MB
    assert MAX_UPLOAD_BYTES == MAX_UPLOAD_MB * 1_000_000


def test_catalogue_has_at_least_90_cases() -> None:
    assert len(CATALOGUE) >= 90


def test_2021_codes_in_a_2011_only_reading_get_the_hint() -> None:
    from cohesion_metrics import errors
    from cohesion_metrics.uploads.indicator_csv import read_indicator_csv

    data = b"code,score\nE01035000,3\nE01035001,4\n"
    with pytest.raises(errors.UploadError, match="Many are 2021 LSOA codes; the map uses 2011 LSOAs"):
        read_indicator_csv(data, "x.csv", {"lsoa11": {"E01000001"}, "ward": {"E05000026"}})
