"""Uploaded custom areas: polygons from GeoJSON or GeoPackage bytes, read in memory (see `parsing`).

GDAL reads the bytes from its in-memory file system (``/vsimem``), so nothing is written to disk, and it never goes
on the network: a GeoJSON "crs" member is read only when it names a known EPSG code (a "link" CRS would make GDAL
fetch a URL), and GDAL's HTTP client and ``/vsicurl/`` are switched off for the whole process (`_no_network`).
A GeoPackage's features are counted in its table, not from its ``gpkg_ogr_contents`` (which a file may misstate),
before GDAL reads it. The areas come
back in British National Grid, valid, polygonal and inside London, each with a name; a feature whose geometry
cannot be read (a ring that is not closed, too few points, coordinates that are not numbers) is rejected on its own.
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
import numpy as np
import pandas as pd
import pyogrio
import pyogrio.errors
import pyogrio.raw
import pyproj
import pyproj.network
import shapely
import shapely.errors
from shapely.geometry.base import BaseGeometry

from cohesion_metrics import errors
from cohesion_metrics.settings import ANALYSIS_CRS, DISPLAY_CRS, LONDON_BNG_BOUNDS
from cohesion_metrics.uploads.parsing import (
    UploadResult,
    check_size,
    clean_text,
    decode_text,
    find_column,
    reject_row,
    rejected_frame,
    sniff_binary,
)

#: Most areas in one upload.
MAX_AREA_FEATURES = 500
#: Areas smaller than this (square metres) are treated as having no area.
MIN_AREA_M2 = 1.0
_NAME = ("name", "area_name", "title", "label", "area", "site_name", "site", "neighbourhood", "place")
_POLYGONAL = ("Polygon", "MultiPolygon")
_EXPORT = "export the layer from QGIS (Export > Save Features As) as GeoPackage or GeoJSON."
_BNG = pyproj.CRS(ANALYSIS_CRS)
#: Britain's longitudes and latitudes (degrees), to recognise WGS84 coordinates and swapped axes.
_LON_RANGE, _LAT_RANGE = (-9.0, 2.5), (49.0, 61.0)
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
            f"the file cannot be read as a map layer ({str(exc).split(';')[0]}).", path=file_name, fix=_EXPORT
        ) from exc
    if not isinstance(frame, gpd.GeoDataFrame):
        raise errors.UploadError("the file holds no geometries.", path=file_name, fix=_EXPORT)
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


def _geojson(
    data: bytes, file_name: str, max_features: int, notes: list[str]
) -> tuple[gpd.GeoDataFrame, dict[int, str], bool]:
    """Read GeoJSON text: the layer, its unreadable geometries (`_read_bytes`), whether it declares a CRS ("crs")."""
    text, encoding_note = decode_text(data, file_name)
    if not text.lstrip().startswith("{"):
        head = text.lstrip()[:200].lower()
        what = "XML or HTML (KML and GML are not read)" if head.startswith("<") else "text that is not GeoJSON"
        raise errors.UploadError(f"this is {what}.", path=file_name, fix=_EXPORT)
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
            "the GeoJSON is nested too deeply to be map data.", path=file_name, fix=_EXPORT
        ) from exc
    except json.JSONDecodeError as exc:
        raise errors.UploadError(
            f"the GeoJSON is not valid JSON ({exc.msg} at line {exc.lineno}, column {exc.colno}).",
            path=file_name,
            fix=_EXPORT,
        ) from exc
    kind = obj.get("type") if isinstance(obj, dict) else None
    if kind not in {"FeatureCollection", "Feature", "Polygon", "MultiPolygon"}:
        raise errors.UploadError(
            "the JSON is not a GeoJSON FeatureCollection ("
            + (f"its type is {kind!r}" if kind else 'it has no "type" member')
            + ").",
            path=file_name,
            fix=_EXPORT,
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


def _geopackage(
    data: bytes, file_name: str, max_features: int, notes: list[str]
) -> tuple[gpd.GeoDataFrame, dict[int, str]]:
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=".*non conformant file extension", category=RuntimeWarning)
        try:
            layers = pyogrio.list_layers(io.BytesIO(data))
        except _READ_ERRORS as exc:
            raise errors.UploadError(
                f"the GeoPackage cannot be read ({str(exc).split(';')[0]}).", path=file_name, fix=_EXPORT
            ) from exc
    spatial = [(str(name), str(kind)) for name, kind in layers if kind]
    if not spatial:
        raise errors.UploadError("the GeoPackage has no layer with geometries.", path=file_name, fix=_EXPORT)
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
            fix=_EXPORT,
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


def _within(bounds: np.ndarray, xs: tuple[float, float], ys: tuple[float, float]) -> bool:
    return bool(xs[0] <= bounds[0] <= bounds[2] <= xs[1] and ys[0] <= bounds[1] <= bounds[3] <= ys[1])


def _finite(geoms: gpd.GeoSeries) -> np.ndarray:
    """Which geometries are there and have only finite coordinates (no NaN or infinity)."""
    return np.array([g is not None and bool(np.isfinite(shapely.get_coordinates(g)).all()) for g in geoms], dtype=bool)


def _infer_crs(frame: gpd.GeoDataFrame, file_name: str, declared: bool, notes: list[str]) -> gpd.GeoDataFrame:
    """Keep a declared CRS; without one, tell degrees from British National Grid metres by the coordinates."""
    finite = _finite(frame.geometry)
    bounds = frame.geometry[finite].total_bounds if finite.any() else np.full(4, np.nan)
    if not np.isfinite(bounds).all():
        return frame.set_crs(frame.crs or ANALYSIS_CRS, allow_override=True)
    degrees = _within(bounds, (-180, 180), (-90, 90))
    if _within(bounds, _LON_RANGE, _LAT_RANGE):
        return frame if declared else frame.set_crs(frame.crs or DISPLAY_CRS, allow_override=True)
    if _within(bounds, _LAT_RANGE, _LON_RANGE):
        raise errors.UploadError(
            "the coordinates look like latitude, longitude: GeoJSON and GeoPackage put longitude (x) first.",
            path=file_name,
            fix="swap the axes when exporting (in QGIS, export to GeoPackage with the layer's CRS set correctly).",
        )
    if declared:
        return frame
    if _within(bounds, (0, 700_000), (0, 1_300_000)) and bounds[2] - bounds[0] > 10:
        notes.append(
            "The file declares no coordinate system; its coordinates are metres in the range of British National "
            "Grid, so they were read as EPSG:27700."
        )
        return frame.set_crs(ANALYSIS_CRS, allow_override=True)
    if degrees:
        notes.append("The file declares no coordinate system; its coordinates were read as WGS84 degrees.")
        return frame.set_crs(DISPLAY_CRS, allow_override=True)
    raise errors.UploadError(
        f"the file declares no coordinate system and its coordinates ({', '.join(f'{v:.6g}' for v in bounds)}) "
        "are neither degrees nor British National Grid metres.",
        path=file_name,
        fix="export the layer with its coordinate system (EPSG:27700 or EPSG:4326).",
    )


def _polygonal(geom: BaseGeometry) -> BaseGeometry | None:
    """The polygonal part of a geometry (after repair a collection may hold lines), or None."""
    parts = [p for p in shapely.get_parts(geom) if p.geom_type in _POLYGONAL and not p.is_empty]
    if not parts:
        return None
    merged = shapely.union_all(parts)
    return merged if merged.geom_type in _POLYGONAL else None


def read_areas(
    data: bytes,
    file_name: str,
    *,
    london: BaseGeometry | None = None,
    max_features: int = MAX_AREA_FEATURES,
) -> UploadResult:
    """Read custom areas (GeoJSON or GeoPackage bytes) as valid polygons in EPSG:27700.

    The coordinate system is the file's; a GeoJSON without a "crs" member, or a GeoPackage layer without one, is
    read as WGS84 or British National Grid according to its coordinates (with a note). Invalid polygons are
    repaired with `shapely.make_valid` (listed in the notes and the `repaired` column); features that are empty,
    not polygons, without area or outside London (`london`: e.g. `upload_analysis.london_outline(con)`; else
    London's bounding box) are rejected. Names come from a name-like column, else "Area <n>".

    `valid` is a GeoDataFrame with columns area_id (feature number, from 1), name (unique), area_km2, repaired,
    repair_reason, geometry.
    """
    check_size(data, file_name)
    notes: list[str] = []
    declared = True
    if data.startswith(b"SQLite format 3\x00"):
        frame, unreadable = _geopackage(data, file_name, max_features, notes)
        declared = frame.crs is not None
    elif (binary := sniff_binary(data)) is not None:
        raise errors.UploadError(
            f"this is {binary}, not GeoJSON or GeoPackage"
            + (" (a zipped shapefile is not read)" if "ZIP" in binary else "")
            + ".",
            path=file_name,
            fix=_EXPORT,
        )
    else:
        frame, unreadable, declared = _geojson(data, file_name, max_features, notes)
    if frame.empty:
        raise errors.UploadError("the layer has no features.", path=file_name, fix="draw at least one area.")
    frame = _infer_crs(frame.reset_index(drop=True), file_name, declared, notes)
    return _check_features(frame, file_name, london, notes, unreadable)


def _clean(found: BaseGeometry | None, unreadable: str = "") -> tuple[BaseGeometry | None, str, str]:
    """Return the polygonal, valid geometry (in the file's CRS), the repair reason, and why it was rejected.

    `unreadable` is why a geometry in the file could not be read (`_read_bytes`), if it could not.
    """
    if found is None or found.is_empty:
        return None, "", unreadable or "the feature has no geometry"
    geom = shapely.force_2d(found)
    if not any(t in geom.geom_type for t in ("Polygon", "GeometryCollection")):
        return None, "", f"a {geom.geom_type}, not a polygon: draw the area as a polygon"
    if not np.isfinite(shapely.get_coordinates(geom)).all():
        return None, "", "a coordinate is not a number (NaN or infinity): fix the coordinates or redraw the area"
    reason = "" if geom.is_valid else shapely.is_valid_reason(geom)
    fixed = _polygonal(shapely.make_valid(geom) if reason else geom)
    if fixed is None or fixed.area <= 0:
        return None, reason, "the polygon has no area" + (" after repair" if reason else "")
    return fixed, reason, ""


def _check_features(
    frame: gpd.GeoDataFrame,
    file_name: str,
    london: BaseGeometry | None,
    notes: list[str],
    unreadable: dict[int, str],
) -> UploadResult:
    """Name, repair (in the file's CRS), reproject and place each feature; reject what cannot be an area."""
    columns = [str(c) for c in frame.columns if c != frame.geometry.name]
    name_col = find_column(columns, _NAME, role="area name", file_name=file_name)
    if name_col is None:
        notes.append("No name column (e.g. 'name'): the areas are numbered 'Area 1', 'Area 2', … in file order.")
    rejected: list[dict[str, object]] = []
    kept: list[dict[str, object]] = []
    for i, found in enumerate(frame.geometry):
        raw = frame[name_col].iloc[i] if name_col else None
        name = (clean_text(str(raw)) if raw is not None and not pd.isna(raw) else "") or f"Area {i + 1}"
        fixed, reason, problem = _clean(found, unreadable.get(i, ""))
        if problem:
            rejected.append(reject_row(i + 1, "geometry", name, problem))
        else:
            kept.append(
                {"area_id": i + 1, "name": name, "repaired": bool(reason), "repair_reason": reason, "geometry": fixed}
            )
    valid = gpd.GeoDataFrame(
        pd.DataFrame(kept, columns=["area_id", "name", "repaired", "repair_reason", "geometry"]),
        geometry="geometry",
        crs=frame.crs,
    )
    if frame.crs is not None and not frame.crs.equals(_BNG, ignore_axis_order=True):
        notes.append(f"Reprojected from {frame.crs.name} to British National Grid (EPSG:27700).")
        with np.errstate(invalid="ignore"):
            valid = valid.to_crs(ANALYSIS_CRS)
    valid = valid.set_crs(ANALYSIS_CRS, allow_override=True)
    # A declared CRS that does not fit the coordinates (e.g. WGS84 on British National Grid metres) gives infinities.
    finite = _finite(valid.geometry)
    valid["geometry"] = [
        None if not ok else g if g.is_valid else _polygonal(shapely.make_valid(g))
        for g, ok in zip(valid.geometry, finite, strict=True)
    ]
    placed = finite & valid.geometry.notna().to_numpy(dtype=bool)
    london_or_box = london if london is not None else shapely.box(*LONDON_BNG_BOUNDS)
    inside = placed & valid.geometry.intersects(london_or_box).to_numpy(dtype=bool)
    tiny = inside & (valid.geometry.area < MIN_AREA_M2).to_numpy(dtype=bool)
    crs_name = frame.crs.name if frame.crs is not None else "British National Grid"
    for area_id, name, geom, ok, small, fits, kept_shape in zip(
        valid["area_id"], valid["name"], valid.geometry, inside, tiny, finite, placed, strict=True
    ):
        if small:
            rejected.append(reject_row(area_id, "geometry", name, f"the polygon is smaller than {MIN_AREA_M2:g} m²"))
        elif not fits:
            reason = (
                f"outside London: check the file's coordinate system (the file declares {crs_name}, but these "
                "coordinates cannot be converted from it to British National Grid)"
            )
            rejected.append(reject_row(area_id, "geometry", name, reason))
        elif not kept_shape:
            reason = "the polygon has no area after conversion to British National Grid"
            rejected.append(reject_row(area_id, "geometry", name, reason))
        elif not ok:
            where = ", ".join(f"{v:,.0f}" for v in geom.bounds)
            rejected.append(reject_row(area_id, "geometry", name, f"outside London (bounds {where} in EPSG:27700)"))
    valid = _unique_names(valid[inside & ~tiny], notes)
    valid.insert(2, "area_km2", valid.geometry.area / 1e6)
    repaired = valid[valid["repaired"]]
    if len(repaired):
        listed = "; ".join(
            f"{n!r} (feature {a}: {r})"
            for a, n, r in repaired[["area_id", "name", "repair_reason"]].head(5).itertuples(index=False)
        )
        notes.append(
            f"Repaired {len(repaired)} invalid polygon(s): {listed}" + (" …" if len(repaired) > 5 else "") + "."
        )
    if london is not None and len(valid):
        outside = 1.0 - valid.geometry.intersection(london).area / valid.geometry.area
        if (outside > 0.01).any():
            notes.append(f"{int((outside > 0.01).sum())} area(s) extend beyond London; only the London part counts.")
    if valid.empty:
        notes.append("No area could be used: see the rejected features.")
    notes.append(f"{len(valid)} area(s) kept, {len({r['row'] for r in rejected})} rejected.")
    return UploadResult(valid.reset_index(drop=True), rejected_frame(rejected), notes)


def _unique_names(valid: gpd.GeoDataFrame, notes: list[str]) -> gpd.GeoDataFrame:
    repeated = valid["name"].duplicated(keep="first")
    if repeated.any():
        valid = valid.copy()
        valid.loc[repeated, "name"] = (
            valid.loc[repeated, "name"] + " (feature " + valid.loc[repeated, "area_id"].astype(str) + ")"
        )
        notes.append(f"{int(repeated.sum())} repeated name(s) were made unique with their feature number.")
    return valid
