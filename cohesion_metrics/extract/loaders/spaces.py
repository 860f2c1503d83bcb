"""Inclusive spaces as points: GLA Cultural Infrastructure Map layers and OpenStreetMap places of worship.

Both loaders return one plain DataFrame, `spaces`, with coordinates in British National Grid (`easting`,
`northing`, metres) and WGS84 (`lon`, `lat`). Points outside London are kept: the build counts and reports them.
Only coordinates that are not numbers or lie outside Great Britain raise, and CIM rows whose two coordinate
pairs disagree in no recognised way (official files are expected to be clean, so the row is named, not guessed).

The CIM exports (November 2022) carry both coordinate pairs, but in every layer one pair was derived from the
other with the OSGB36/WGS84 datum shift missing or applied the wrong way:
- 9 layers give correct easting/northing and, as "longitude/latitude", OSGB36 (EPSG:4277) degrees (~120 m off);
- Arts_centres, Dance_performance_venues, LGBT_night_time_venues and Theatres give correct WGS84 lon/lat and an
  easting/northing projected from lon/lat shifted the wrong way (~250 m off).
Which pair is right was checked against the 2018 ward codes the GLA published with each row: the kept pair puts
every point in its ward, the other pair only 69-92% of them (large outdoor sites aside). The loader recognises
each pattern row by row, keeps the right pair, recomputes the other with pyproj, and says which it kept in
`coords_from`.
"""

from __future__ import annotations

import logging
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pyproj

from cohesion_metrics import errors
from cohesion_metrics.extract import source_files, validate
from cohesion_metrics.extract.loaders.boundary_layers import repair_polygons
from cohesion_metrics.extract.loaders.geography import GB_BNG_BOUNDS
from cohesion_metrics.settings import ANALYSIS_CRS, DISPLAY_CRS

log = logging.getLogger(__name__)

#: CIM layer file -> (space_type, published row count).
CIM_LAYERS: dict[str, tuple[str, int]] = {
    "Community_centres.csv": ("community_centre", 903),
    "Libraries.csv": ("library", 342),
    "Pubs.csv": ("pub", 4_098),
    "Music_venues_all.csv": ("music_venue", 797),
    "Theatres.csv": ("theatre", 264),
    "Arts_centres.csv": ("arts_centre", 26),
    "Cinemas.csv": ("cinema", 116),
    "Dance_performance_venues.csv": ("dance_venue", 189),
    "Museums_and_public_galleries.csv": ("museum_gallery", 163),
    "Commercial_galleries.csv": ("commercial_gallery", 306),
    "LGBT_night_time_venues.csv": ("lgbt_venue", 75),
    "Skate_Parks.csv": ("skate_park", 50),
    "Outdoor_spaces_for_cultural_use.csv": ("outdoor_cultural_space", 17),
}
_CIM_COLUMNS = [
    "name",
    "address1",
    "address2",
    "address3",
    "borough_code",
    "easting",
    "northing",
    "longitude",
    "latitude",
]

#: OSM layer stem -> (geometry_kind, published feature count).
OSM_LAYERS: dict[str, tuple[str, int]] = {
    "gis_osm_pofw_free_1": ("point", 779),
    "gis_osm_pofw_a_free_1": ("polygon", 2_135),
}
_OSM_COLUMNS = ["osm_id", "code", "fclass", "name"]
_OSM_FIX = "use Geofabrik's shapefile unchanged."

#: Great Britain in WGS84 degrees (generous): lon_min, lat_min, lon_max, lat_max.
GB_WGS84_BOUNDS = (-9.0, 49.0, 2.5, 61.0)
#: Two published coordinate pairs closer than this (metres) describe the same place.
COORD_TOLERANCE_M = 10.0

_WGS84_TO_BNG = pyproj.Transformer.from_crs(DISPLAY_CRS, ANALYSIS_CRS, always_xy=True)
_BNG_TO_WGS84 = pyproj.Transformer.from_crs(ANALYSIS_CRS, DISPLAY_CRS, always_xy=True)
_OSGB36_TO_BNG = pyproj.Transformer.from_crs("EPSG:4277", ANALYSIS_CRS, always_xy=True)
_OSGB36_TO_WGS84 = pyproj.Transformer.from_crs("EPSG:4277", DISPLAY_CRS, always_xy=True)


def load_gla_cim(folder: Path, *, check_counts: bool = True) -> dict[str, pd.DataFrame]:
    """Read the 13 GLA Cultural Infrastructure Map layer CSVs into one tidy table of spaces.

    Returns `spaces`: source_record ("Libraries.csv:row 17", the spreadsheet row with the header as row 1),
    name, space_type (one per layer, see `CIM_LAYERS`), address (address1-3 joined with ", "),
    borough_code_reported (as published; blank for some rows), easting, northing (BNG metres), lon, lat (WGS84),
    coords_from ("easting_northing", "lon_lat" or "both": the published pair kept, see the module docstring).
    Blank cells (empty or the literal `NA`) become missing. `os_addressbase_uprn` is dropped: it holds
    spreadsheet-rounded numbers. All 13 files are required; `check_counts` checks each layer's published row count.
    """
    frames = [
        _read_cim_layer(Path(folder) / name, space_type, expected if check_counts else None)
        for name, (space_type, expected) in CIM_LAYERS.items()
    ]
    return {"spaces": pd.concat(frames, ignore_index=True)}


def load_osm_pofw(folder: Path, *, check_counts: bool = True) -> dict[str, pd.DataFrame]:
    """Read the Geofabrik OpenStreetMap places of worship (points and polygons, EPSG:4326).

    Returns `spaces`: osm_id, name (missing where OSM has none), space_type ("place_of_worship"), faith and
    denomination (from `fclass`: "christian_anglican" -> christian, anglican; missing denomination where none),
    geometry_kind ("point" or "polygon"), easting, northing (BNG metres), lon, lat (WGS84). A polygon becomes its
    representative point (inside the polygon), computed in EPSG:27700. Both layers are kept whole: a building
    mapped as a point and a polygon appears twice (the build deduplicates).
    """
    frames = []
    for stem, (kind, expected) in OSM_LAYERS.items():
        path = Path(folder) / f"{stem}.shp"
        raw = source_files.read_shapefile(path, _OSM_COLUMNS)
        raw = source_files.require_crs(raw, DISPLAY_CRS, path=path.with_suffix(".prj")).reset_index(drop=True)
        if check_counts:
            validate.check_row_count(raw, expected, path=path)
        frames.append(_tidy_osm_layer(raw, kind, path=path))
    return {"spaces": pd.concat(frames, ignore_index=True)}


# ----------------------------------------------------------------------------------------------------------------
# CIM
# ----------------------------------------------------------------------------------------------------------------


def _read_cim_layer(path: Path, space_type: str, expected: int | None) -> pd.DataFrame:
    raw = source_files.read_csv(
        path,
        _CIM_COLUMNS,
        dtype=str,
        encoding="utf-8",
        keep_default_na=False,
        na_values=["", "NA"],
        fix="download the layer again (UTF-8 CSV as exported).",
    )
    if expected is not None:
        validate.check_row_count(raw, expected, path=path)
    coords = validate.to_numeric(raw, ["easting", "northing", "longitude", "latitude"], path=path)
    for col, low, high in (
        ("easting", GB_BNG_BOUNDS[0], GB_BNG_BOUNDS[2]),
        ("northing", GB_BNG_BOUNDS[1], GB_BNG_BOUNDS[3]),
        ("longitude", GB_WGS84_BOUNDS[0], GB_WGS84_BOUNDS[2]),
        ("latitude", GB_WGS84_BOUNDS[1], GB_WGS84_BOUNDS[3]),
    ):
        validate.check_range(coords[col], low, high, path=path, column=col)
    borough = _clean_text(raw["borough_code"])
    validate.on_file_rows(validate.check_codes, borough.dropna(), "borough", path=path, column="borough_code")
    easting, northing, lon, lat, kept = _reconcile(coords, path=path)
    parts = [_clean_text(raw[c]) for c in ("address1", "address2", "address3")]
    address = [", ".join(p for p in row if isinstance(p, str)) or None for row in zip(*parts, strict=True)]
    return pd.DataFrame(
        {
            "source_record": [f"{path.name}:row {i + 2}" for i in range(len(raw))],
            "name": _clean_text(raw["name"]),
            "space_type": space_type,
            "address": pd.Series(address, dtype="str"),
            "borough_code_reported": borough,
            "easting": easting,
            "northing": northing,
            "lon": lon,
            "lat": lat,
            "coords_from": kept,
        }
    ).astype({"space_type": "str", "coords_from": "str"})


def _clean_text(values: pd.Series) -> pd.Series:
    """Trim and collapse whitespace (including line breaks inside quoted cells); blanks become missing."""
    text = values.astype("str").str.replace(r"\s+", " ", regex=True).str.strip()
    return text.mask(text == "")


def _reconcile(coords: pd.DataFrame, *, path: Path) -> tuple[np.ndarray, ...]:
    """Decide row by row which published coordinate pair is right; return easting, northing, lon, lat, pair kept."""
    east, north = coords["easting"].to_numpy(), coords["northing"].to_numpy()
    lon, lat = coords["longitude"].to_numpy(), coords["latitude"].to_numpy()
    # The pairs agree.
    x, y = _WGS84_TO_BNG.transform(lon, lat)
    agree = np.hypot(x - east, y - north)
    # "longitude/latitude" are OSGB36 degrees of the (right) easting/northing.
    x, y = _OSGB36_TO_BNG.transform(lon, lat)
    lonlat_osgb36 = np.hypot(x - east, y - north)
    # easting/northing were projected from WGS84 lon/lat shifted the wrong way (treated as OSGB36 degrees).
    x, y = _OSGB36_TO_BNG.transform(*_OSGB36_TO_WGS84.transform(lon, lat))
    bng_shifted = np.hypot(x - east, y - north)
    kept = np.select(
        [agree <= COORD_TOLERANCE_M, lonlat_osgb36 <= COORD_TOLERANCE_M, bng_shifted <= COORD_TOLERANCE_M],
        ["both", "easting_northing", "lon_lat"],
        default="",
    )
    validate.raise_at_first(
        kept == "",
        errors.ValueRangeError,
        lambda n, i: (
            f"{n} row(s) give easting/northing and longitude/latitude that are {agree[i]:,.0f} m apart "
            "and match no known datum slip, so the place is uncertain."
        ),
        path=path,
        column="easting",
        fix="check the row's coordinates against the GLA's map and correct one pair.",
    )
    use_bng = kept == "easting_northing"
    use_wgs84 = kept == "lon_lat"
    new_lon, new_lat = _BNG_TO_WGS84.transform(east, north)
    new_east, new_north = _WGS84_TO_BNG.transform(lon, lat)
    return (
        np.where(use_wgs84, new_east, east),
        np.where(use_wgs84, new_north, north),
        np.where(use_bng, new_lon, lon),
        np.where(use_bng, new_lat, lat),
        kept,
    )


# ----------------------------------------------------------------------------------------------------------------
# OSM
# ----------------------------------------------------------------------------------------------------------------


def _tidy_osm_layer(raw: gpd.GeoDataFrame, kind: str, *, path: Path) -> pd.DataFrame:
    dbf = path.with_suffix(".dbf")
    osm_id = raw["osm_id"].astype("str")
    validate.raise_at_first(
        (~osm_id.str.fullmatch(r"\d+")).to_numpy(),
        errors.CodeFormatError,
        lambda n, i: f"{n} value(s) are not OSM ids (digits); first is {osm_id.iloc[i]!r}.",
        path=dbf,
        column="osm_id",
        first_row=1,
        fix=_OSM_FIX,
    )
    validate.check_unique(osm_id, path=dbf, column="osm_id", first_row=1)
    fclass = raw["fclass"].astype("str")
    validate.raise_at_first(
        (~fclass.str.fullmatch(r"[a-z]+(_[a-z]+)*")).to_numpy(),
        errors.ValueRangeError,
        lambda n, i: (
            f"{n} value(s) are not place-of-worship classes like 'christian_anglican'; first is {fclass.iloc[i]!r}."
        ),
        path=dbf,
        column="fclass",
        first_row=1,
        fix=_OSM_FIX,
    )
    faith = fclass.str.partition("_")

    geoms = _checked_geometries(raw, osm_id, kind, path=path)
    bng = geoms.to_crs(ANALYSIS_CRS)
    if kind == "polygon":
        points_bng = bng.representative_point()
        points_wgs84 = points_bng.to_crs(DISPLAY_CRS)
    else:
        points_bng, points_wgs84 = bng, geoms
    return pd.DataFrame(
        {
            "osm_id": osm_id,
            "name": _clean_text(raw["name"]),
            "space_type": "place_of_worship",
            "faith": faith[0],
            "denomination": faith[2].mask(faith[2] == ""),
            "geometry_kind": kind,
            "easting": points_bng.x.to_numpy(),
            "northing": points_bng.y.to_numpy(),
            "lon": points_wgs84.x.to_numpy(),
            "lat": points_wgs84.y.to_numpy(),
        }
    ).astype({"space_type": "str", "geometry_kind": "str"})


def _checked_geometries(raw: gpd.GeoDataFrame, osm_id: pd.Series, kind: str, *, path: Path) -> gpd.GeoSeries:
    """Non-empty points or polygons inside Great Britain; invalid polygons repaired (polygonal part kept)."""
    kinds = ("Point",) if kind == "point" else ("Polygon", "MultiPolygon")
    validate.check_geometries(raw.geometry, osm_id, kinds, path=path, label="osm_id ", fix=_OSM_FIX)
    validate.check_within(
        raw.geometry,
        osm_id,
        GB_WGS84_BOUNDS,
        path=path,
        what="Great Britain",
        label="osm_id ",
        error=errors.ValueRangeError,
        fix="check the layer is the Greater London extract in EPSG:4326.",
    )
    geoms, invalid = repair_polygons(raw.geometry)
    if invalid.any():
        names = ", ".join(osm_id[invalid])
        log.info("%s: repaired %d invalid polygons (osm_id %s)", path.name, int(invalid.sum()), names)
    return geoms
