"""Boundary layers: reading a vector file in its CRS, keeping its columns, and finishing its polygons.

Finishing checks codes are unique and polygons present, repairs invalid polygons with shapely's `make_valid`
(polygonal parts kept) and lists the repairs, and checks every polygon lies in London's bounding box.
"""

from __future__ import annotations

import logging
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from shapely.geometry import MultiPolygon
from shapely.geometry.base import BaseGeometry

from cohesion_metrics import errors
from cohesion_metrics.extract import source_files, validate
from cohesion_metrics.settings import ANALYSIS_CRS, DISPLAY_CRS, LONDON_BNG_BOUNDS

log = logging.getLogger(__name__)

_POLYGONS = ("Polygon", "MultiPolygon")


def read_bng_shapefile(path: Path, columns: list[str]) -> gpd.GeoDataFrame:
    """Read a shapefile's `columns` and check its .prj is British National Grid."""
    frame = source_files.read_shapefile(path, columns)
    return source_files.require_crs(frame, ANALYSIS_CRS, path=path.with_suffix(".prj"))


def read_wgs84_vector(path: Path, columns: list[str]) -> gpd.GeoDataFrame:
    """Read a GeoJSON or other vector file, check it has `columns` and is in WGS84 (CRS84)."""
    frame = source_files.read_vector(source_files.require_file(path))
    validate.require_columns(frame, columns, path=path)
    return source_files.require_crs(frame, DISPLAY_CRS, path=path)


def tidy_layer(raw: gpd.GeoDataFrame, names: dict[str, str]) -> gpd.GeoDataFrame:
    """Keep and rename the attribute columns (in `names` order) plus the geometry."""
    out = raw[[*names, "geometry"]].rename(columns=names)
    return gpd.GeoDataFrame(out, geometry="geometry", crs=raw.crs)


def finish_polygons(
    frame: gpd.GeoDataFrame, code_col: str, *, path: Path, table: str, column: str
) -> tuple[gpd.GeoDataFrame, pd.DataFrame]:
    """Check codes are unique and polygons present, repair invalid ones, check London bounds; sort by code.

    `frame` is in file order (errors name the feature's row, 1 = first feature); `column` is the published name of
    the code column.
    """
    frame = frame.reset_index(drop=True)
    codes = frame[code_col]
    validate.check_unique(codes, path=path, column=column, first_row=1)
    fix = "every area needs its boundary: download the source again."
    validate.check_geometries(frame.geometry, codes, _POLYGONS, path=path, fix=fix)
    geoms, invalid = repair_polygons(frame.geometry)
    repairs = pd.DataFrame(
        {
            "table": pd.Series([table] * int(invalid.sum()), dtype="str"),
            "code": pd.Series(codes[invalid].to_numpy(), dtype="str"),
            "problem": pd.Series(shapely.is_valid_reason(frame.geometry[invalid].to_numpy()), dtype="str"),
        }
    )
    if invalid.any():
        fixed = geoms[invalid]
        bad = (fixed.is_empty | ~fixed.is_valid).to_numpy()
        if bad.any():
            raise errors.InvalidGeometryError(
                f"the geometry of {repairs['code'].iloc[int(bad.nonzero()[0][0])]!r} is invalid and cannot be "
                "repaired.",
                path=path,
            )
        frame = frame.set_geometry(geoms)
        names = ", ".join(repairs["code"])
        log.info("%s: repaired %d invalid geometries in %s (%s)", table, len(fixed), path.name, names)
    validate.check_within(
        frame.geometry,
        codes,
        LONDON_BNG_BOUNDS,
        path=path,
        what="London's bounding box",
        fix="check the layer's coordinate reference system and that it is the London extract.",
    )
    return frame.sort_values(code_col, ignore_index=True), repairs


def repair_polygons(geoms: gpd.GeoSeries) -> tuple[gpd.GeoSeries, np.ndarray]:
    """Repair invalid polygons with `make_valid`, keeping their polygonal part; also return which were invalid."""
    invalid = (~geoms.is_valid).to_numpy()
    if not invalid.any():
        return geoms, invalid
    repaired = geoms.to_numpy().copy()
    repaired[invalid] = [polygonal_part(g) for g in shapely.make_valid(repaired[invalid])]
    return gpd.GeoSeries(repaired, index=geoms.index, crs=geoms.crs), invalid


def polygonal_part(geom: BaseGeometry) -> BaseGeometry:
    """Return the polygonal part of a `make_valid` result (which may mix in lines or points)."""
    if geom.geom_type in _POLYGONS:
        return geom
    polygons = [
        poly
        for part in shapely.get_parts(geom)
        for poly in shapely.get_parts(part)
        if poly.geom_type == "Polygon" and not poly.is_empty
    ]
    return polygons[0] if len(polygons) == 1 else MultiPolygon(polygons)
