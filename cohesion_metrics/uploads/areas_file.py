"""Uploaded custom areas: polygons from GeoJSON or GeoPackage bytes, read in memory (see `parsing`).

The bytes are read by `geodata_bytes` (in memory, never on the network). The areas come back in British National
Grid, valid, polygonal and inside London, each with a name; a feature whose geometry cannot be read (a ring that is
not closed, too few points, coordinates that are not numbers) is rejected on its own.
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import pyproj
import pyproj.network
import shapely
import shapely.errors
from shapely.geometry.base import BaseGeometry

from cohesion_metrics import errors
from cohesion_metrics.settings import ANALYSIS_CRS, DISPLAY_CRS, LONDON_BNG_BOUNDS
from cohesion_metrics.uploads.cells import UploadResult, clean_text, find_column, reject_row, rejected_frame
from cohesion_metrics.uploads.geodata_bytes import EXPORT_FIX, read_geojson, read_geopackage
from cohesion_metrics.uploads.parsing import check_size, sniff_binary

#: Most areas in one upload.
MAX_AREA_FEATURES = 500
#: Areas smaller than this (square metres) are treated as having no area.
MIN_AREA_M2 = 1.0
_NAME = ("name", "area_name", "title", "label", "area", "site_name", "site", "neighbourhood", "place")
_POLYGONAL = ("Polygon", "MultiPolygon")
_BNG = pyproj.CRS(ANALYSIS_CRS)
#: Britain's longitudes and latitudes (degrees), to recognise WGS84 coordinates and swapped axes.
_LON_RANGE, _LAT_RANGE = (-9.0, 2.5), (49.0, 61.0)


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
        frame, unreadable = read_geopackage(data, file_name, max_features, notes)
        declared = frame.crs is not None
    elif (binary := sniff_binary(data)) is not None:
        raise errors.UploadError(
            f"this is {binary}, not GeoJSON or GeoPackage"
            + (" (a zipped shapefile is not read)" if "ZIP" in binary else "")
            + ".",
            path=file_name,
            fix=EXPORT_FIX,
        )
    else:
        frame, unreadable, declared = read_geojson(data, file_name, max_features, notes)
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
