"""Area geometries and lookups: GLA 2011 boundaries, ONS 2021 LSOAs and wards, LSOA lookups and centroids.

Every geometry returned is a GeoDataFrame in British National Grid (EPSG:27700), non-empty, valid and inside
London's bounding box. Invalid polygons are repaired with shapely's `make_valid` (polygonal parts kept, see
`boundary_layers`); each loader that returns geometries also returns a `geometry_repairs` table (table, code,
problem) listing them.

Shapefiles are checked for missing parts and truncation before reading (`source_files.check_shapefile`).
"""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import pandas as pd
import pyproj

from cohesion_metrics import errors
from cohesion_metrics.extract import source_files, validate
from cohesion_metrics.extract.loaders.boundary_layers import (
    finish_polygons,
    read_bng_shapefile,
    read_wgs84_vector,
    tidy_layer,
)
from cohesion_metrics.metadata.boroughs import CITY_OF_LONDON
from cohesion_metrics.metadata.levels import LEVELS_BY_CODE
from cohesion_metrics.settings import ANALYSIS_CRS, LONDON_LAD_CODES

_BNG = pyproj.CRS(ANALYSIS_CRS)
#: Great Britain in BNG metres (generous): coordinates outside are not British National Grid at all.
GB_BNG_BOUNDS = (0.0, 0.0, 700_000.0, 1_300_000.0)

#: GLA statistical boundaries: layer stem in ESRI/ and published feature count.
_GLA_LAYERS = {
    "boroughs": ("London_Borough_Excluding_MHW", LEVELS_BY_CODE["borough"].count),
    "wards": ("London_Ward_CityMerged", LEVELS_BY_CODE["ward"].count),
    "lsoa11": ("LSOA_2011_London_gen_MHW", LEVELS_BY_CODE["lsoa11"].count),
    "msoa11": ("MSOA_2011_London_gen_MHW", 983),
}

_LSOA11_LSOA21_FILE = "LSOA_(2011)_to_LSOA_(2021)_to_Local_Authority_District_(2022)_Lookup_for_England_and_Wales.csv"
_LSOA21_WARD23_FILE = (
    "Lower_Layer_Super_Output_Area_(2021)_to_Ward_(2023)_to_LAD_(2023)_Lookup_in_England_and_Wales.csv"
)
_CENTROIDS_FILE = "LLSOA_Dec_2021_PWC_for_England_and_Wales_2022_6710512803259349539.csv"
#: Lookup columns: published header -> output column, in output order.
_LSOA11_LSOA21_COLUMNS = {
    "F_LSOA11CD": "lsoa11_code",
    "LSOA11NM": "lsoa11_name",
    "LSOA21CD": "lsoa21_code",
    "LSOA21NM": "lsoa21_name",
    "CHGIND": "change",
    "LAD22CD": "lad22_code",
    "LAD22NM": "lad22_name",
}
_LSOA21_WARD23_COLUMNS = {
    "LSOA21CD": "lsoa21_code",
    "LSOA21NM": "lsoa21_name",
    "WD23CD": "ward23_code",
    "WD23NM": "ward23_name",
    "LAD23CD": "lad23_code",
    "LAD23NM": "lad23_name",
}
#: Published row counts: whole file (England and Wales) and London.
_LSOA11_LSOA21_ROWS, _LSOA11_LSOA21_LONDON_ROWS = 35_795, 5_016
_LSOA21_ROWS, _LSOA21_LONDON, _WARD23_LONDON = 35_672, LEVELS_BY_CODE["lsoa21"].count, 684
_WARD25_LONDON = 704
#: ONS change indicators: U unchanged, S split, M merged, X complex.
CHANGE_INDICATORS = ("U", "S", "M", "X")


# ----------------------------------------------------------------------------------------------------------------
# Loaders
# ----------------------------------------------------------------------------------------------------------------


def load_gla_boundaries(folder: Path, *, check_counts: bool = True) -> dict[str, pd.DataFrame]:
    """Read the GLA statistical boundary shapefiles (`ESRI/*.shp`) as boroughs, wards, LSOA 2011 and MSOA 2011.

    Returns GeoDataFrames in EPSG:27700, sorted by code:
    - `boroughs`: borough_code, borough_name, area_ha (published HECTARES, which include non-land area),
      nonland_area_ha (published NONLD_AREA), geometry (excludes the Thames below mean high water). 33 rows.
    - `wards`: ward_code, ward_name, borough_code, borough_name, geometry. 625 rows; the City of London is one
      ward coded E09000001.
    - `lsoa11`: lsoa11_code, lsoa11_name, msoa11_code, borough_code, borough_name, usual_residents_2011,
      households_2011, geometry. 4,835 rows.
    - `msoa11`: msoa11_code, msoa11_name, borough_code, geometry. 983 rows.
    - `geometry_repairs`: table, code, problem for every polygon repaired with `make_valid`.
    """
    esri = Path(folder) / "ESRI"
    out: dict[str, pd.DataFrame] = {}
    repairs: list[pd.DataFrame] = []

    path = esri / f"{_GLA_LAYERS['boroughs'][0]}.shp"
    raw = read_bng_shapefile(path, ["GSS_CODE", "NAME", "HECTARES", "NONLD_AREA"])
    validate.check_codes(raw["GSS_CODE"], "borough", path=path, column="GSS_CODE", first_row=1)
    validate.check_london(raw["GSS_CODE"], path=path, column="GSS_CODE", first_row=1)
    raw = validate.to_numeric(raw, ["HECTARES", "NONLD_AREA"], path=path, first_row=1)
    validate.check_range(raw["HECTARES"], 0.0, 1e6, path=path, column="HECTARES", first_row=1)
    boroughs = tidy_layer(
        raw,
        {"GSS_CODE": "borough_code", "NAME": "borough_name", "HECTARES": "area_ha", "NONLD_AREA": "nonland_area_ha"},
    )
    out["boroughs"], rep = finish_polygons(boroughs, "borough_code", path=path, table="boroughs", column="GSS_CODE")
    repairs.append(rep)

    path = esri / f"{_GLA_LAYERS['wards'][0]}.shp"
    raw = read_bng_shapefile(path, ["GSS_CODE", "NAME", "LB_GSS_CD", "BOROUGH"])
    # The GLA ward layer merges the City of London's wards into one polygon coded as the borough.
    city = (raw["GSS_CODE"] == CITY_OF_LONDON) & (raw["LB_GSS_CD"] == CITY_OF_LONDON)
    ward_codes = raw.loc[~city, "GSS_CODE"]
    validate.on_file_rows(validate.check_codes, ward_codes, "ward", first_row=1, path=path, column="GSS_CODE")
    validate.check_codes(raw["LB_GSS_CD"], "borough", path=path, column="LB_GSS_CD", first_row=1)
    validate.check_london(raw["LB_GSS_CD"], path=path, column="LB_GSS_CD", first_row=1)
    wards = tidy_layer(
        raw, {"GSS_CODE": "ward_code", "NAME": "ward_name", "LB_GSS_CD": "borough_code", "BOROUGH": "borough_name"}
    )
    out["wards"], rep = finish_polygons(wards, "ward_code", path=path, table="wards", column="GSS_CODE")
    repairs.append(rep)

    path = esri / f"{_GLA_LAYERS['lsoa11'][0]}.shp"
    raw = read_bng_shapefile(path, ["LSOA11CD", "LSOA11NM", "MSOA11CD", "LAD11CD", "LAD11NM", "USUALRES", "HHOLDS"])
    validate.check_codes(raw["LSOA11CD"], "lsoa", path=path, column="LSOA11CD", first_row=1, vintage=2011)
    validate.check_codes(raw["MSOA11CD"], "msoa", path=path, column="MSOA11CD", first_row=1)
    validate.check_codes(raw["LAD11CD"], "borough", path=path, column="LAD11CD", first_row=1)
    validate.check_london(raw["LAD11CD"], path=path, column="LAD11CD", first_row=1)
    raw = validate.to_numeric(raw, ["USUALRES", "HHOLDS"], path=path, first_row=1)
    for col in ("USUALRES", "HHOLDS"):
        validate.check_range(raw[col], 0, 1e6, path=path, column=col, first_row=1)
    lsoa11 = tidy_layer(
        raw,
        {
            "LSOA11CD": "lsoa11_code",
            "LSOA11NM": "lsoa11_name",
            "MSOA11CD": "msoa11_code",
            "LAD11CD": "borough_code",
            "LAD11NM": "borough_name",
            "USUALRES": "usual_residents_2011",
            "HHOLDS": "households_2011",
        },
    )
    lsoa11 = lsoa11.astype({"usual_residents_2011": "int64", "households_2011": "int64"})
    out["lsoa11"], rep = finish_polygons(lsoa11, "lsoa11_code", path=path, table="lsoa11", column="LSOA11CD")
    repairs.append(rep)

    path = esri / f"{_GLA_LAYERS['msoa11'][0]}.shp"
    raw = read_bng_shapefile(path, ["MSOA11CD", "MSOA11NM", "LAD11CD"])
    validate.check_codes(raw["MSOA11CD"], "msoa", path=path, column="MSOA11CD", first_row=1)
    validate.check_codes(raw["LAD11CD"], "borough", path=path, column="LAD11CD", first_row=1)
    validate.check_london(raw["LAD11CD"], path=path, column="LAD11CD", first_row=1)
    msoa11 = tidy_layer(raw, {"MSOA11CD": "msoa11_code", "MSOA11NM": "msoa11_name", "LAD11CD": "borough_code"})
    out["msoa11"], rep = finish_polygons(msoa11, "msoa11_code", path=path, table="msoa11", column="MSOA11CD")
    repairs.append(rep)

    if check_counts:
        for table, (stem, expected) in _GLA_LAYERS.items():
            validate.check_row_count(out[table], expected, path=esri / f"{stem}.shp")
    out["geometry_repairs"] = pd.concat(repairs, ignore_index=True)
    return out


def load_lsoa21_ward25_boundaries(folder: Path, *, check_counts: bool = True) -> dict[str, pd.DataFrame]:
    """Read the London cut of ONS LSOA (Dec 2021) and ward (May 2025) boundaries (GeoJSON, CRS84).

    Returns GeoDataFrames reprojected to EPSG:27700, sorted by code:
    - `lsoa21`: lsoa21_code, lsoa21_name, borough_code (the file name, checked against LADCD_ACTIVE), geometry.
      4,994 rows from `lsoa21_by_borough/E090000NN.geojson`.
    - `ward25`: ward25_code, ward25_name, borough_code, borough_name, geometry. 704 rows from
      `ward25/E12000007.geojson`.
    - `geometry_repairs`: table, code, problem for every polygon repaired with `make_valid`.

    With `check_counts`, all 33 borough files must be present; without, the `E09*.geojson` files found are read.
    """
    folder = Path(folder)
    lsoa_dir = folder / "lsoa21_by_borough"
    if check_counts:
        paths = [source_files.require_file(lsoa_dir / f"{code}.geojson") for code in LONDON_LAD_CODES]
    else:
        paths = sorted(lsoa_dir.glob("E09*.geojson"))
        if not paths:
            source_files.require_file(lsoa_dir / f"{LONDON_LAD_CODES[0]}.geojson")
    parts, repairs = [], []
    for path in paths:
        part, rep = _read_lsoa21_file(path)
        parts.append(part)
        repairs.append(rep)
    lsoa21 = gpd.GeoDataFrame(pd.concat(parts, ignore_index=True), geometry="geometry", crs=_BNG)
    duplicated = lsoa21["lsoa21_code"].duplicated(keep="first").to_numpy()
    if duplicated.any():
        code = lsoa21["lsoa21_code"].iloc[int(duplicated.nonzero()[0][0])]
        files = sorted(lsoa21.loc[lsoa21["lsoa21_code"] == code, "borough_code"])
        raise errors.DuplicateCodeError(
            f"{int(duplicated.sum())} LSOA code(s) appear in more than one file; {code!r} is in "
            f"{', '.join(f + '.geojson' for f in files)}.",
            path=lsoa_dir,
            column="LSOA21CD",
            fix="each LSOA must appear in one borough file only.",
        )
    lsoa21 = lsoa21.sort_values("lsoa21_code", ignore_index=True)

    path = folder / "ward25" / "E12000007.geojson"
    raw = read_wgs84_vector(path, ["WD25CD", "WD25NM", "LAD25CD", "LAD25NM"])
    validate.check_codes(raw["WD25CD"], "ward", path=path, column="WD25CD", first_row=1)
    validate.check_codes(raw["LAD25CD"], "borough", path=path, column="LAD25CD", first_row=1)
    validate.check_london(raw["LAD25CD"], path=path, column="LAD25CD", first_row=1)
    ward25 = tidy_layer(
        raw, {"WD25CD": "ward25_code", "WD25NM": "ward25_name", "LAD25CD": "borough_code", "LAD25NM": "borough_name"}
    )
    ward25, rep = finish_polygons(ward25.to_crs(_BNG), "ward25_code", path=path, table="ward25", column="WD25CD")
    repairs.append(rep)

    if check_counts:
        validate.check_row_count(lsoa21, _LSOA21_LONDON, path=lsoa_dir)
        validate.check_row_count(ward25, _WARD25_LONDON, path=path)
        _check_distinct(ward25["borough_code"], len(LONDON_LAD_CODES), what="boroughs", path=path)
    return {"lsoa21": lsoa21, "ward25": ward25, "geometry_repairs": pd.concat(repairs, ignore_index=True)}


def _read_lsoa21_file(path: Path) -> tuple[gpd.GeoDataFrame, pd.DataFrame]:
    """One borough's LSOA 2021 GeoJSON, named after its LAD code; return the tidy layer and its repairs."""
    raw = read_wgs84_vector(path, ["LSOA21CD", "LSOA21NM", "LADCD_ACTIVE"])
    borough = path.stem
    validate.check_london(pd.Series([borough]), path=path, column="file name", first_row=1)
    validate.raise_at_first(
        (raw["LADCD_ACTIVE"] != borough).to_numpy(),
        errors.CodeFormatError,
        lambda n, i: (
            f"{n} feature(s) belong to another borough than the file name says ({borough}); "
            f"first is {raw['LADCD_ACTIVE'].iloc[i]!r}."
        ),
        path=path,
        column="LADCD_ACTIVE",
        first_row=1,
        fix="keep each borough's LSOAs in the file named after its code.",
    )
    validate.check_codes(raw["LSOA21CD"], "lsoa", path=path, column="LSOA21CD", first_row=1)
    part = tidy_layer(raw, {"LSOA21CD": "lsoa21_code", "LSOA21NM": "lsoa21_name"}).assign(borough_code=borough)
    part, rep = finish_polygons(part.to_crs(_BNG), "lsoa21_code", path=path, table="lsoa21", column="LSOA21CD")
    return part[["lsoa21_code", "lsoa21_name", "borough_code", "geometry"]], rep


def load_lsoa11_lsoa21_lookup(folder: Path, *, check_counts: bool = True) -> dict[str, pd.DataFrame]:
    """Read the ONS exact-fit LSOA 2011 -> LSOA 2021 -> LAD 2022 lookup and keep London's rows.

    Returns `lsoa11_lsoa21`: lsoa11_code, lsoa11_name, lsoa21_code, lsoa21_name, change (CHGIND: U unchanged,
    S split, M merged, X complex), lad22_code, lad22_name; one row per (LSOA 2011, LSOA 2021) pair.
    Published: 35,795 rows in England and Wales, 5,016 in London (4,835 LSOA 2011, 4,994 LSOA 2021).
    """
    path = Path(folder) / _LSOA11_LSOA21_FILE
    raw = _read_csv(path, list(_LSOA11_LSOA21_COLUMNS))
    if check_counts:
        validate.check_row_count(raw, _LSOA11_LSOA21_ROWS, path=path)
    _check_values_in(
        raw["CHGIND"], CHANGE_INDICATORS, path=path, column="CHGIND", error=errors.UnknownChangeIndicatorError
    )
    london = raw[raw["LAD22CD"].isin(LONDON_LAD_CODES)]
    validate.on_file_rows(
        validate.check_codes, london["F_LSOA11CD"], "lsoa", path=path, column="F_LSOA11CD", vintage=2011
    )
    validate.on_file_rows(validate.check_codes, london["LSOA21CD"], "lsoa", path=path, column="LSOA21CD")
    pairs = london["F_LSOA11CD"] + ">" + london["LSOA21CD"]
    validate.on_file_rows(validate.check_unique, pairs, path=path, column="F_LSOA11CD, LSOA21CD")
    if check_counts:
        validate.check_row_count(london, _LSOA11_LSOA21_LONDON_ROWS, path=path)
        _check_distinct(london["F_LSOA11CD"], _GLA_LAYERS["lsoa11"][1], what="London LSOA 2011 codes", path=path)
        _check_distinct(london["LSOA21CD"], _LSOA21_LONDON, what="London LSOA 2021 codes", path=path)
    out = london[list(_LSOA11_LSOA21_COLUMNS)].rename(columns=_LSOA11_LSOA21_COLUMNS)
    return {"lsoa11_lsoa21": out.sort_values(["lsoa11_code", "lsoa21_code"], ignore_index=True)}


def load_lsoa21_ward23_lookup(folder: Path, *, check_counts: bool = True) -> dict[str, pd.DataFrame]:
    """Read the ONS best-fit LSOA 2021 -> ward (May 2023) -> LAD 2023 lookup and keep London's rows.

    Returns `lsoa21_ward23`: lsoa21_code, lsoa21_name, ward23_code, ward23_name, lad23_code, lad23_name; one row per
    LSOA. Published: 35,672 rows in England and Wales; London 4,994 LSOAs in 684 wards.
    """
    path = Path(folder) / _LSOA21_WARD23_FILE
    raw = _read_csv(path, list(_LSOA21_WARD23_COLUMNS))
    if check_counts:
        validate.check_row_count(raw, _LSOA21_ROWS, path=path)
    validate.check_unique(raw["LSOA21CD"], path=path, column="LSOA21CD")
    london = raw[raw["LAD23CD"].isin(LONDON_LAD_CODES)]
    validate.on_file_rows(validate.check_codes, london["LSOA21CD"], "lsoa", path=path, column="LSOA21CD")
    validate.on_file_rows(validate.check_codes, london["WD23CD"], "ward", path=path, column="WD23CD")
    if check_counts:
        validate.check_row_count(london, _LSOA21_LONDON, path=path)
        _check_distinct(london["WD23CD"], _WARD23_LONDON, what="London wards", path=path)
    out = london[list(_LSOA21_WARD23_COLUMNS)].rename(columns=_LSOA21_WARD23_COLUMNS)
    return {"lsoa21_ward23": out.sort_values("lsoa21_code", ignore_index=True)}


def load_lsoa21_centroids(folder: Path, *, check_counts: bool = True) -> dict[str, pd.DataFrame]:
    """Read the ONS LSOA (Dec 2021) population-weighted centroids (England and Wales, BNG `x`, `y`).

    Returns `lsoa21_centroids`: lsoa21_code, easting, northing (metres, EPSG:27700), all 35,672 rows; the build
    keeps London's by joining to London's LSOAs.
    """
    path = Path(folder) / _CENTROIDS_FILE
    raw = _read_csv(path, ["LSOA21CD", "x", "y"])
    if check_counts:
        validate.check_row_count(raw, _LSOA21_ROWS, path=path)
    validate.check_codes(raw["LSOA21CD"], "lsoa", path=path, column="LSOA21CD", vintage=2021, allow_wales=True)
    validate.check_unique(raw["LSOA21CD"], path=path, column="LSOA21CD")
    raw = validate.to_numeric(raw, ["x", "y"], path=path)
    validate.check_range(raw["x"], GB_BNG_BOUNDS[0], GB_BNG_BOUNDS[2], path=path, column="x")
    validate.check_range(raw["y"], GB_BNG_BOUNDS[1], GB_BNG_BOUNDS[3], path=path, column="y")
    out = raw.rename(columns={"LSOA21CD": "lsoa21_code", "x": "easting", "y": "northing"})
    out = out[["lsoa21_code", "easting", "northing"]].sort_values("lsoa21_code", ignore_index=True)
    return {"lsoa21_centroids": out}


# ----------------------------------------------------------------------------------------------------------------
# Reading and checking
# ----------------------------------------------------------------------------------------------------------------


def _read_csv(path: Path, columns: list[str]) -> pd.DataFrame:
    """Read an ONS CSV (UTF-8, maybe with BOM) as text, keeping blanks as empty strings; check `columns`."""
    return source_files.read_csv(
        path,
        columns,
        dtype=str,
        encoding="utf-8-sig",
        keep_default_na=False,
        fix="download the file again (UTF-8 CSV as published).",
    )


def _check_values_in(
    values: pd.Series,
    allowed: tuple[str, ...],
    *,
    path: Path,
    column: str,
    error: type[errors.SourceError] = errors.ValueRangeError,
) -> None:
    validate.raise_at_first(
        (~values.isin(allowed)).to_numpy(),
        error,
        lambda n, i: f"{n} value(s) are not one of {list(allowed)}; first is {values.iloc[i]!r}.",
        path=path,
        column=column,
        fix="use the publisher's file unchanged.",
    )


def _check_distinct(values: pd.Series, expected: int, *, what: str, path: Path) -> None:
    found = values.nunique()
    if found != expected:
        raise errors.RowCountError(
            f"found {found:,} distinct {what}, the published release has {expected:,}.",
            path=path,
            fix="the file looks truncated or filtered: download it again.",
        )
