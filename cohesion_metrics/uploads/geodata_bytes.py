"""GeoJSON and GeoPackage bytes read by GDAL in memory, never on the network and never from disk.

GDAL reads the bytes from its in-memory file system (``/vsimem``), so nothing is written to disk, and it never goes
on the network: a GeoJSON "crs" member is read only when it names a known EPSG code (a "link" CRS would make GDAL
fetch a URL), and GDAL's HTTP client and ``/vsicurl/`` are switched off for the whole process (`_no_network`).
A GeoPackage's features are counted in its table, not from its ``gpkg_ogr_contents`` (which a file may misstate),
before GDAL reads it.
"""

from __future__ import annotations

import io
import json
import re
import sqlite3
import time
import warnings
from typing import Any

import geopandas as gpd
import pyogrio
import pyogrio.errors
import pyogrio.raw
import pyproj
import pyproj.network
import shapely
import shapely.errors

from cohesion_metrics import errors
from cohesion_metrics.uploads.cells import clean_text
from cohesion_metrics.uploads.parsing import decode_text

EXPORT_FIX = "export the layer from QGIS (Export > Save Features As) as GeoPackage or GeoJSON."
#: What pyogrio and shapely raise for a file GDAL cannot read as a layer.
_READ_ERRORS = (
    pyogrio.errors.DataSourceError,
    pyogrio.errors.DataLayerError,
    pyogrio.errors.FieldError,
    pyogrio.errors.FeatureError,
    pyogrio.errors.GeometryError,
    pyogrio.errors.CRSError,
    shapely.errors.GEOSException,
)
#: GDAL and PROJ settings that keep every read off the network: HTTP goes to a closed local port (GDAL has no
#: "offline" switch; a proxy that refuses every connection is its equivalent), with no retries and a 1 s timeout;
#: ``/vsicurl/`` opens no file name (only the impossible extension below is allowed).
GDAL_NO_NETWORK = {
    "GDAL_HTTP_PROXY": "127.0.0.1:9",
    "GDAL_HTTPS_PROXY": "127.0.0.1:9",
    "GDAL_HTTP_TIMEOUT": "1",
    "GDAL_HTTP_CONNECTTIMEOUT": "1",
    "GDAL_HTTP_MAX_RETRY": "0",
    "CPL_VSIL_CURL_ALLOWED_EXTENSIONS": ".no-network",
    "GDAL_DISABLE_READDIR_ON_OPEN": "EMPTY_DIR",
}
#: "crs" names a GeoJSON may use: EPSG codes ("EPSG:27700", "urn:ogc:def:crs:EPSG::27700") and OGC CRS84.
_EPSG_NAME = re.compile(r"(?:urn:ogc:def:crs:)?EPSG:(?:[\d.]*:)?(\d{4,6})", re.IGNORECASE)
_CRS84_NAMES = {"urn:ogc:def:crs:ogc:1.3:crs84", "urn:ogc:def:crs:ogc::crs84", "ogc:crs84", "crs84"}
_CRS_FIX = "export the layer again with its coordinate system set to EPSG:27700 or EPSG:4326."


def _no_network() -> None:
    """Switch GDAL's and PROJ's network access off for this process (uploads are hostile input)."""
    pyogrio.set_gdal_config_options(dict(GDAL_NO_NETWORK))
    pyproj.network.set_network_enabled(False)


_no_network()


def _read_bytes(data: bytes, file_name: str, **options: Any) -> tuple[gpd.GeoDataFrame, dict[int, str]]:
    """Read a vector layer from bytes through GDAL's in-memory files.

    Returns the layer and, by feature position, why a geometry that is in the file could not be read (it is None
    in the layer). GDAL's and shapely's warnings are dropped: these reasons, given feature by feature, replace them.
    """
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            frame = pyogrio.read_dataframe(io.BytesIO(data), on_invalid="ignore", **options)
    except _READ_ERRORS as exc:
        raise errors.UploadError(
            f"the file cannot be read as a map layer ({str(exc).split(';')[0]}).", path=file_name, fix=EXPORT_FIX
        ) from exc
    if not isinstance(frame, gpd.GeoDataFrame):
        raise errors.UploadError("the file holds no geometries.", path=file_name, fix=EXPORT_FIX)
    unreadable: dict[int, str] = {}
    if frame.geometry.isna().any():
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            wkb = pyogrio.raw.read(io.BytesIO(data), columns=[], **options)[2]
        unreadable = {
            i: _unreadable(w)
            for i, w in enumerate(wkb)
            if w is not None and i < len(frame) and frame.geometry.iloc[i] is None
        }
    return frame, unreadable


def _unreadable(wkb: bytes) -> str:
    """Why GEOS refuses a geometry, in plain words (a rejection reason)."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            shapely.from_wkb(wkb)
    except shapely.errors.GEOSException as exc:
        problem = str(exc).split(": ", 1)[-1]
    else:
        problem = "unknown problem"
    if "closed linestring" in problem:
        return (
            "a ring of the polygon is not closed or has too few points (a ring needs at least 4 points, the last "
            "repeating the first): redraw the area or fix its geometry in QGIS"
        )
    if "number of points" in problem:
        return "a ring of the polygon has too few points (at least 4 are needed): redraw the area"
    return f"the geometry cannot be read ({problem}): redraw the area or fix its geometry in QGIS"


def read_geojson(
    data: bytes, file_name: str, max_features: int, notes: list[str]
) -> tuple[gpd.GeoDataFrame, dict[int, str], bool]:
    """Read GeoJSON text: the layer, its unreadable geometries (`_read_bytes`), whether it declares a CRS ("crs")."""
    text, encoding_note = decode_text(data, file_name)
    if not text.lstrip().startswith("{"):
        head = text.lstrip()[:200].lower()
        what = "XML or HTML (KML and GML are not read)" if head.startswith("<") else "text that is not GeoJSON"
        raise errors.UploadError(f"this is {what}.", path=file_name, fix=EXPORT_FIX)
    if not encoding_note.startswith("Text encoding: UTF-8"):
        notes.append(encoding_note)
    n_crs = [0]  # objects with a "crs" member

    def counting_crs(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
        n_crs[0] += any(key == "crs" for key, _ in pairs)
        return dict(pairs)

    try:
        # numbers parsed as one shared zero: the structure, types and "crs" members, at a fraction of the memory
        obj = json.loads(text, parse_float=_zero, parse_int=_zero, object_pairs_hook=counting_crs)
    except RecursionError as exc:
        raise errors.UploadError(
            "the GeoJSON is nested too deeply to be map data.", path=file_name, fix=EXPORT_FIX
        ) from exc
    except json.JSONDecodeError as exc:
        raise errors.UploadError(
            f"the GeoJSON is not valid JSON ({exc.msg} at line {exc.lineno}, column {exc.colno}).",
            path=file_name,
            fix=EXPORT_FIX,
        ) from exc
    kind = obj.get("type") if isinstance(obj, dict) else None
    if kind not in {"FeatureCollection", "Feature", "Polygon", "MultiPolygon"}:
        raise errors.UploadError(
            "the JSON is not a GeoJSON FeatureCollection ("
            + (f"its type is {kind!r}" if kind else 'it has no "type" member')
            + ").",
            path=file_name,
            fix=EXPORT_FIX,
        )
    features = obj.get("features") if kind == "FeatureCollection" else [obj]
    if not isinstance(features, list) or not features:
        raise errors.UploadError("the GeoJSON has no features.", path=file_name, fix="draw at least one area.")
    _check_count(len(features), file_name, max_features)
    declared = "crs" in obj
    _safe_crs(obj, file_name)  # raises for a CRS that is not a known name
    del obj, features
    if n_crs[0] > int(declared):  # "crs" members inside features or geometries: GDAL must not see them
        safe = _safe_crs(json.loads(text), file_name)
        data = json.dumps(safe).encode("utf-8")
    elif not encoding_note.startswith("Text encoding: UTF-8"):
        data = text.encode("utf-8")
    del text
    return (*_read_bytes(data, file_name), declared)


def _zero(_text: str) -> float:
    return 0.0


def _safe_crs(obj: dict[str, Any], file_name: str) -> dict[str, Any]:
    """The GeoJSON with only a CRS GDAL can resolve offline: a "name" naming an EPSG code or CRS84.

    Any other "crs" member (a "link" to a URL or file, an unknown name) is refused, as GDAL would try to fetch or
    open it; "crs" members of features and geometries (old GeoJSON) are dropped, the file's own CRS applies.
    """
    crs = obj.get("crs")
    if crs is not None:
        kind = crs.get("type") if isinstance(crs, dict) else None
        props = crs.get("properties") if isinstance(crs, dict) else None
        name = props.get("name") if kind == "name" and isinstance(props, dict) else None
        if not isinstance(name, str) or not _known_crs_name(name):
            what = f"a {kind!r} CRS" if isinstance(kind, str) else "a CRS"
            shown = f" ({clean_text(name, 60)!r})" if isinstance(name, str) else ""
            raise errors.UploadError(
                f'the file\'s "crs" member is {clean_text(what, 60)}{shown} that is not read: only named EPSG codes '
                "(e.g. EPSG:27700) or WGS84 are accepted, and nothing is fetched from the network.",
                path=file_name,
                fix=_CRS_FIX,
            )
    features = obj.get("features") if obj.get("type") == "FeatureCollection" else [obj]
    for item in features if isinstance(features, list) else []:
        if not isinstance(item, dict):
            continue
        if item is not obj:
            item.pop("crs", None)
        geometry = item.get("geometry") if item.get("type") == "Feature" else None
        if isinstance(geometry, dict):
            geometry.pop("crs", None)
    return obj


def _known_crs_name(name: str) -> bool:
    """Whether a GeoJSON CRS name is CRS84 or an EPSG code in PROJ's own (local) database."""
    if name.strip().lower() in _CRS84_NAMES:
        return True
    match = _EPSG_NAME.fullmatch(name.strip())
    if match is None:
        return False
    try:
        pyproj.CRS.from_epsg(int(match.group(1)))
    except pyproj.exceptions.CRSError:
        return False
    return True


def read_geopackage(
    data: bytes, file_name: str, max_features: int, notes: list[str]
) -> tuple[gpd.GeoDataFrame, dict[int, str]]:
    """Read the GeoPackage layer with polygons (else the first spatial one): the layer and its unreadable geometries."""
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=".*non conformant file extension", category=RuntimeWarning)
        try:
            layers = pyogrio.list_layers(io.BytesIO(data))
        except _READ_ERRORS as exc:
            raise errors.UploadError(
                f"the GeoPackage cannot be read ({str(exc).split(';')[0]}).", path=file_name, fix=EXPORT_FIX
            ) from exc
    spatial = [(str(name), str(kind)) for name, kind in layers if kind]
    if not spatial:
        raise errors.UploadError("the GeoPackage has no layer with geometries.", path=file_name, fix=EXPORT_FIX)
    name = next((n for n, k in spatial if "Polygon" in k), spatial[0][0])
    if len(spatial) > 1:
        notes.append(f"The GeoPackage has {len(spatial)} layers; read {clean_text(name, 60)!r}.")
    _check_count(_count_rows(data, name, file_name), file_name, max_features)
    return _read_bytes(data, file_name, layer=name)


def _count_rows(data: bytes, table: str, file_name: str) -> int:
    """The rows of a GeoPackage table, counted by SQLite in memory (not `gpkg_ogr_contents`), in bounded steps."""
    con = sqlite3.connect(":memory:")
    deadline = time.monotonic() + 5.0
    con.set_progress_handler(lambda: int(time.monotonic() > deadline), 1000)
    try:
        con.deserialize(data)
        con.execute("PRAGMA query_only = ON")
        row = con.execute('SELECT count(*) FROM "' + table.replace('"', '""') + '"').fetchone()
    except (sqlite3.Error, OverflowError) as exc:
        problem = "it takes too long" if "interrupt" in str(exc) else str(exc)
        raise errors.UploadError(
            f"the GeoPackage's layer {clean_text(table, 60)!r} cannot be counted ({problem}).",
            path=file_name,
            fix=EXPORT_FIX,
        ) from exc
    finally:
        con.close()
    return int(row[0]) if row else 0


def _check_count(count: int, file_name: str, max_features: int) -> None:
    if count > max_features:
        raise errors.UploadError(
            f"the file has {count:,} areas; the limit is {max_features:,}.",
            path=file_name,
            fix="keep the areas you need, or merge small ones.",
        )
