"""Geography loaders: GLA 2011 boundaries, ONS 2021 boundaries, lookups and centroids.

Unit tests write tiny files in the published layouts into tmp_path (same field names, same .prj text);
real-data tests read each official file once per session.
"""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import pandas as pd
import pyproj
import pytest
import shapely
from shapely.geometry import Point, Polygon, box

from cohesion_metrics import errors
from cohesion_metrics.extract.loaders import geography
from cohesion_metrics.settings import LONDON_LAD_CODES

#: The .prj the GLA publishes (ESRI WKT; not EPSG-tagged, scale factor rounded).
ESRI_BNG_PRJ = (
    'PROJCS["British_National_Grid",GEOGCS["GCS_OSGB_1936",DATUM["D_OSGB_1936",SPHEROID["Airy_1830",6377563.396,'
    '299.3249646]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]],PROJECTION["Transverse_Mercator"],'
    'PARAMETER["False_Easting",400000.0],PARAMETER["False_Northing",-100000.0],PARAMETER["Central_Meridian",-2.0],'
    'PARAMETER["Scale_Factor",0.999601272],PARAMETER["Latitude_Of_Origin",49.0],UNIT["Meter",1.0]]'
)
BOROUGHS = "London_Borough_Excluding_MHW"
WARDS = "London_Ward_CityMerged"
LSOA11 = "LSOA_2011_London_gen_MHW"
MSOA11 = "MSOA_2011_London_gen_MHW"
LSOA11_LSOA21 = "LSOA_(2011)_to_LSOA_(2021)_to_Local_Authority_District_(2022)_Lookup_for_England_and_Wales.csv"
LSOA21_WARD23 = "Lower_Layer_Super_Output_Area_(2021)_to_Ward_(2023)_to_LAD_(2023)_Lookup_in_England_and_Wales.csv"
CENTROIDS = "LLSOA_Dec_2021_PWC_for_England_and_Wales_2022_6710512803259349539.csv"

CITY = box(531000, 180000, 533000, 182000)  # 400 ha
BARKING = box(543000, 182000, 549000, 188000)  # 3,600 ha
#: A bow-tie (self-intersecting ring): make_valid gives two triangles of 1,000,000 m2 each.
BOWTIE = Polygon([(543000, 182000), (545000, 184000), (545000, 182000), (543000, 184000)])


# ----------------------------------------------------------------------------------------------------------------
# Writers of published layouts
# ----------------------------------------------------------------------------------------------------------------


def write_shapefile(
    stem: Path, rows: dict[str, list], geoms: list, *, prj: str | None = ESRI_BNG_PRJ, crs: str = "EPSG:27700"
) -> Path:
    """Write a shapefile like the GLA's: attributes as given, the ESRI BNG .prj (or GDAL's own for `crs`)."""
    stem.parent.mkdir(parents=True, exist_ok=True)
    path = stem.with_suffix(".shp")
    gpd.GeoDataFrame(rows, geometry=geoms, crs=crs).to_file(path, driver="ESRI Shapefile")
    if prj is not None:
        path.with_suffix(".prj").write_text(prj)
    return path


def write_gla(
    folder: Path,
    *,
    lsoa_codes: tuple[str, ...] = ("E01000001", "E01000027", "E01000028"),
    lsoa_geoms: list | None = None,
) -> Path:
    """The four GLA layers: 2 boroughs, 2 wards (City merged), 3 LSOAs (one a bow-tie), 2 MSOAs."""
    esri = folder / "ESRI"
    write_shapefile(
        esri / BOROUGHS,
        {
            "NAME": ["Barking and Dagenham", "City of London"],
            "GSS_CODE": ["E09000002", "E09000001"],
            "HECTARES": [3779.934, 414.942],
            "NONLD_AREA": [179.934, 14.942],
            "ONS_INNER": ["F", "T"],
        },
        [BARKING, CITY],
    )
    write_shapefile(
        esri / WARDS,
        {
            "NAME": ["City of London", "Abbey"],
            "GSS_CODE": ["E09000001", "E05000026"],
            "HECTARES": [414.942, 3779.934],
            "NONLD_AREA": [14.942, 179.934],
            "LB_GSS_CD": ["E09000001", "E09000002"],
            "BOROUGH": ["City of London", "Barking and Dagenham"],
            "POLY_ID": [1, 2],
        },
        [CITY, BARKING],
    )
    write_shapefile(
        esri / LSOA11,
        {
            "LSOA11CD": list(lsoa_codes),
            "LSOA11NM": ["City of London 001A", "Barking and Dagenham 016A", "Barking and Dagenham 015A"],
            "MSOA11CD": ["E02000001", "E02000017", "E02000017"],
            "MSOA11NM": ["City of London 001", "Barking and Dagenham 016", "Barking and Dagenham 016"],
            "LAD11CD": ["E09000001", "E09000002", "E09000002"],
            "LAD11NM": ["City of London", "Barking and Dagenham", "Barking and Dagenham"],
            "RGN11CD": ["E12000007"] * 3,
            "RGN11NM": ["London"] * 3,
            "USUALRES": [1465, 1702, 1656],
            "HHOLDRES": [1465, 1702, 1656],
            "COMESTRES": [0, 0, 0],
            "POPDEN": [112.9, 62.9, 39.0],
            "HHOLDS": [876, 658, 603],
            "AVHHOLDSZ": [1.7, 2.6, 2.7],
        },
        lsoa_geoms if lsoa_geoms is not None else [CITY, box(546000, 182000, 549000, 188000), BOWTIE],
    )
    write_shapefile(
        esri / MSOA11,
        {
            "MSOA11CD": ["E02000017", "E02000001"],
            "MSOA11NM": ["Barking and Dagenham 016", "City of London 001"],
            "LAD11CD": ["E09000002", "E09000001"],
            "LAD11NM": ["Barking and Dagenham", "City of London"],
            "USUALRES": [7000, 7375],
        },
        [BARKING, CITY],
    )
    return folder


def write_csv(path: Path, header: str, rows: list[str], *, bom: bool = True, newline: str = "\n") -> Path:
    """Write an ONS-style CSV: UTF-8 with BOM."""
    path.parent.mkdir(parents=True, exist_ok=True)
    text = newline.join([header, *rows]) + newline
    path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + text.encode("utf-8"))
    return path


def square(lon: float, lat: float, half: float = 0.0005) -> Polygon:
    return box(lon - half, lat - half, lon + half, lat + half)


# ONS ward (May 2025) label points as published with both coordinate pairs: (lon, lat) -> (BNG_E, BNG_N).
ALDERSGATE = (-0.096422, 51.51895, 532171, 181720)
ALDGATE = (-0.078969, 51.51376, 533397, 181175)
#: pyproj without the OSTN15 grid uses a 7-parameter Helmert transformation (accuracy ~2 m in London).
HELMERT_TOLERANCE_M = 2.5


def write_lsoa21_ward25(
    folder: Path,
    *,
    crs: str = "EPSG:4326",
    city_ladcd: str = "E09000001",
    barking_codes: tuple[str, ...] = ("E01000027",),
) -> Path:
    """Two borough LSOA files and a ward file, in CRS84 GeoJSON with the drkane/ONS properties."""
    lsoa_dir = folder / "lsoa21_by_borough"
    lsoa_dir.mkdir(parents=True)
    city = gpd.GeoDataFrame(
        {
            "FID": [1, 2],
            "LSOA21CD": ["E01000001", "E01000002"],
            "LSOA21NM": ["City of London 001A", "City of London 001B"],
            "GlobalID": ["a", "b"],
            "LADCD_ACTIVE": [city_ladcd, "E09000001"],
            "UTLACD": ["E09000001"] * 2,
            "CAUTHCD": [None, None],
            "RGNCD": ["E12000007"] * 2,
        },
        geometry=[square(*ALDERSGATE[:2]), square(*ALDGATE[:2])],
        crs="EPSG:4326",
    )
    barking = gpd.GeoDataFrame(
        {
            "FID": [3] * len(barking_codes),
            "LSOA21CD": list(barking_codes),
            "LSOA21NM": ["Barking and Dagenham 016A"] * len(barking_codes),
            "GlobalID": ["c"] * len(barking_codes),
            "LADCD_ACTIVE": ["E09000002"] * len(barking_codes),
            "UTLACD": ["E09000002"] * len(barking_codes),
            "CAUTHCD": [None] * len(barking_codes),
            "RGNCD": ["E12000007"] * len(barking_codes),
        },
        geometry=[square(0.1, 51.54)] * len(barking_codes),
        crs="EPSG:4326",
    )
    city.to_crs(crs).to_file(lsoa_dir / "E09000001.geojson", driver="GeoJSON")
    barking.to_file(lsoa_dir / "E09000002.geojson", driver="GeoJSON")
    (folder / "ward25").mkdir()
    gpd.GeoDataFrame(
        {
            "FID": [916, 917],
            "WD25CD": ["E05009288", "E05009289"],
            "WD25NM": ["Aldersgate", "Aldgate"],
            "WD25NMW": [" ", " "],
            "LAD25CD": ["E09000001", "E09000001"],
            "LAD25NM": ["City of London", "City of London"],
            "BNG_E": [ALDERSGATE[2], ALDGATE[2]],
            "BNG_N": [ALDERSGATE[3], ALDGATE[3]],
            "LONG": [ALDERSGATE[0], ALDGATE[0]],
            "LAT": [ALDERSGATE[1], ALDGATE[1]],
        },
        geometry=[square(*ALDERSGATE[:2]), square(*ALDGATE[:2])],
        crs="EPSG:4326",
    ).to_file(folder / "ward25" / "E12000007.geojson", driver="GeoJSON")
    return folder


LSOA11_LSOA21_HEADER = "F_LSOA11CD,LSOA11NM,LSOA21CD,LSOA21NM,CHGIND,LAD22CD,LAD22NM,LAD22NMW,ObjectId"
LSOA11_LSOA21_ROWS = [
    "E01011949,Hartlepool 009A,E01011949,Hartlepool 009A,U,E06000001,Hartlepool,,1",
    "E01000027,Barking and Dagenham 016A,E01035001,Barking and Dagenham 016E,S,E09000002,Barking and Dagenham,,2",
    "E01000001,City of London 001A,E01000001,City of London 001A,U,E09000001,City of London,,3",
    "E01000027,Barking and Dagenham 016A,E01035000,Barking and Dagenham 016D,S,E09000002,Barking and Dagenham,,4",
    "W01000001,Isle of Anglesey 007A,W01000001,Isle of Anglesey 007A,U,W06000001,Isle of Anglesey,Ynys Môn,5",
    "E01000028,Barking and Dagenham 015A,E01035002,Barking and Dagenham 015F,M,E09000002,Barking and Dagenham,,6",
    "E01000029,Barking and Dagenham 015B,E01035002,Barking and Dagenham 015F,M,E09000002,Barking and Dagenham,,7",
]
WARD23_HEADER = "LSOA21CD,LSOA21NM,LSOA21NMW,WD23CD,WD23NM,WD23NMW,LAD23CD,LAD23NM,LAD23NMW,ObjectId"
WARD23_ROWS = [
    "E01012239,Stockton-on-Tees 018B,,E05014872,Mandale & Victoria,,E06000004,Stockton-on-Tees,,1",
    "E01000002,City of London 001B,,E05009302,Cripplegate,,E09000001,City of London,,2",
    "E01000001,City of London 001A,,E05009288,Aldersgate,,E09000001,City of London,,3",
    "W01000001,Isle of Anglesey 007A,Ynys Môn 007A,W05000001,Aberffraw,Aberffraw,W06000001,Isle of Anglesey,Ynys Môn,4",
]
CENTROID_HEADER = "FID,LSOA21CD,GlobalID,x,y"
CENTROID_ROWS = [
    "1,E01000001,38ad8fe8,532181.7642,181792.2818",
    "2,W01000001,0681c038,238611.5,383419.25",
    "3,E01012239,9c0f4d1e,444812.0,517501.5",
]


# ----------------------------------------------------------------------------------------------------------------
# GLA 2011 boundaries: unit tests
# ----------------------------------------------------------------------------------------------------------------


def test_gla_boundaries_tidy_output(tmp_path: Path) -> None:
    out = geography.load_gla_boundaries(write_gla(tmp_path), check_counts=False)

    assert list(out) == ["boroughs", "wards", "lsoa11", "msoa11", "geometry_repairs"]
    boroughs, wards, lsoa11, msoa11 = out["boroughs"], out["wards"], out["lsoa11"], out["msoa11"]
    assert list(boroughs.columns) == ["borough_code", "borough_name", "area_ha", "nonland_area_ha", "geometry"]
    assert boroughs["borough_code"].tolist() == ["E09000001", "E09000002"]
    assert boroughs["borough_name"].tolist() == ["City of London", "Barking and Dagenham"]
    assert boroughs["area_ha"].tolist() == [414.942, 3779.934]
    assert list(wards.columns) == ["ward_code", "ward_name", "borough_code", "borough_name", "geometry"]
    assert wards[["ward_code", "borough_code"]].values.tolist() == [
        ["E05000026", "E09000002"],
        ["E09000001", "E09000001"],
    ]
    assert list(lsoa11.columns) == [
        "lsoa11_code",
        "lsoa11_name",
        "msoa11_code",
        "borough_code",
        "borough_name",
        "usual_residents_2011",
        "households_2011",
        "geometry",
    ]
    assert lsoa11["lsoa11_code"].tolist() == ["E01000001", "E01000027", "E01000028"]
    assert lsoa11["usual_residents_2011"].tolist() == [1465, 1702, 1656]
    assert lsoa11["households_2011"].tolist() == [876, 658, 603]
    assert str(lsoa11["usual_residents_2011"].dtype) == "int64"
    assert list(msoa11.columns) == ["msoa11_code", "msoa11_name", "borough_code", "geometry"]
    assert msoa11["msoa11_code"].tolist() == ["E02000001", "E02000017"]
    for table in (boroughs, wards, lsoa11, msoa11):
        assert isinstance(table, gpd.GeoDataFrame)
        assert table.crs.to_epsg() == 27700
        assert table.crs.to_wkt() == gpd.GeoSeries([], crs="EPSG:27700").crs.to_wkt()
        assert table.is_valid.all()
    assert boroughs.area.tolist() == [4_000_000.0, 36_000_000.0]


def test_gla_boundaries_repairs_invalid_polygon(tmp_path: Path) -> None:
    out = geography.load_gla_boundaries(write_gla(tmp_path), check_counts=False)

    repairs = out["geometry_repairs"]
    assert repairs[["table", "code"]].values.tolist() == [["lsoa11", "E01000028"]]
    assert repairs["problem"].iloc[0].startswith("Self-intersection")
    fixed = out["lsoa11"].set_index("lsoa11_code").geometry["E01000028"]
    assert fixed.is_valid
    assert fixed.geom_type == "MultiPolygon"
    assert fixed.area == pytest.approx(2_000_000.0)


def test_gla_boundaries_accepts_epsg_prj(tmp_path: Path) -> None:
    folder = write_gla(tmp_path)
    (folder / "ESRI" / f"{WARDS}.prj").write_text(pyproj.CRS("EPSG:27700").to_wkt("WKT1_GDAL"))
    out = geography.load_gla_boundaries(folder, check_counts=False)
    assert out["wards"].crs.to_epsg() == 27700


def test_gla_boundaries_checks_published_counts(tmp_path: Path) -> None:
    with pytest.raises(errors.RowCountError, match=rf"{BOROUGHS}\.shp.*found 2 rows.*33"):
        geography.load_gla_boundaries(write_gla(tmp_path))


def test_truncated_shapefile_is_corrupt(tmp_path: Path) -> None:
    folder = write_gla(tmp_path)
    shp = folder / "ESRI" / f"{LSOA11}.shp"
    data = shp.read_bytes()
    shp.write_bytes(data[: len(data) // 2])
    with pytest.raises(errors.CorruptFileError, match=rf"{LSOA11}\.shp.*bytes but its header says"):
        geography.load_gla_boundaries(folder, check_counts=False)


def test_truncated_dbf_is_corrupt(tmp_path: Path) -> None:
    folder = write_gla(tmp_path)
    dbf = folder / "ESRI" / f"{WARDS}.dbf"
    dbf.write_bytes(dbf.read_bytes()[:-40])
    with pytest.raises(errors.CorruptFileError, match=rf"{WARDS}\.dbf.*attribute table"):
        geography.load_gla_boundaries(folder, check_counts=False)


@pytest.mark.parametrize("part", [".dbf", ".shx", ".prj"])
def test_missing_shapefile_part(tmp_path: Path, part: str) -> None:
    folder = write_gla(tmp_path)
    (folder / "ESRI" / f"{MSOA11}{part}").unlink()
    with pytest.raises(errors.MissingSourceFileError, match=rf"{MSOA11}\{part}.*missing"):
        geography.load_gla_boundaries(folder, check_counts=False)


def test_layer_in_wgs84_is_crs_mismatch(tmp_path: Path) -> None:
    folder = write_gla(tmp_path)
    wgs84 = gpd.GeoSeries([CITY, BARKING], crs="EPSG:27700").to_crs("EPSG:4326")
    write_shapefile(
        folder / "ESRI" / BOROUGHS,
        {
            "NAME": ["City of London", "Barking and Dagenham"],
            "GSS_CODE": ["E09000001", "E09000002"],
            "HECTARES": [414.9, 3779.9],
            "NONLD_AREA": [14.9, 179.9],
        },
        list(wgs84),
        prj=None,
        crs="EPSG:4326",
    )
    with pytest.raises(errors.CRSMismatchError) as info:
        geography.load_gla_boundaries(folder, check_counts=False)
    message = str(info.value)
    assert f"{BOROUGHS}.prj" in message
    assert "WGS 84" in message
    assert "EPSG:27700" in message


def test_empty_geometry_names_the_code(tmp_path: Path) -> None:
    folder = write_gla(tmp_path, lsoa_geoms=[CITY, None, BOWTIE])
    with pytest.raises(errors.InvalidGeometryError, match=rf"{LSOA11}\.shp.*row 2.*'E01000027'"):
        geography.load_gla_boundaries(folder, check_counts=False)


def test_geometry_outside_london_names_the_code(tmp_path: Path) -> None:
    folder = write_gla(tmp_path, lsoa_geoms=[CITY, box(446000, 382000, 449000, 388000), BOWTIE])
    with pytest.raises(errors.InvalidGeometryError, match=r"outside London's bounding box.*'E01000027'"):
        geography.load_gla_boundaries(folder, check_counts=False)


def test_duplicate_code(tmp_path: Path) -> None:
    folder = write_gla(tmp_path, lsoa_codes=("E01000001", "E01000027", "E01000027"))
    with pytest.raises(errors.DuplicateCodeError, match=rf"{LSOA11}\.shp.*'LSOA11CD', row 3.*'E01000027'"):
        geography.load_gla_boundaries(folder, check_counts=False)


def test_2021_lsoa_code_in_2011_layer(tmp_path: Path) -> None:
    folder = write_gla(tmp_path, lsoa_codes=("E01000001", "E01035000", "E01000028"))
    with pytest.raises(errors.CodeVintageError, match=rf"{LSOA11}\.shp.*'LSOA11CD', row 2.*'E01035000'"):
        geography.load_gla_boundaries(folder, check_counts=False)


def test_renamed_shapefile_column(tmp_path: Path) -> None:
    folder = write_gla(tmp_path)
    write_shapefile(
        folder / "ESRI" / MSOA11,
        {"MSOA11CD": ["E02000001"], "MSOA11NM": ["City of London 001"], "LAD_CODE": ["E09000001"]},
        [CITY],
    )
    with pytest.raises(errors.ColumnMismatchError, match=rf"{MSOA11}\.dbf.*'LAD11CD'"):
        geography.load_gla_boundaries(folder, check_counts=False)


# ----------------------------------------------------------------------------------------------------------------
# LSOA 2021 / ward 2025 GeoJSON: unit tests
# ----------------------------------------------------------------------------------------------------------------


def test_lsoa21_ward25_tidy_and_reprojected(tmp_path: Path) -> None:
    out = geography.load_lsoa21_ward25_boundaries(write_lsoa21_ward25(tmp_path), check_counts=False)

    lsoa21, ward25 = out["lsoa21"], out["ward25"]
    assert list(lsoa21.columns) == ["lsoa21_code", "lsoa21_name", "borough_code", "geometry"]
    assert lsoa21[["lsoa21_code", "borough_code"]].values.tolist() == [
        ["E01000001", "E09000001"],
        ["E01000002", "E09000001"],
        ["E01000027", "E09000002"],
    ]
    assert list(ward25.columns) == ["ward25_code", "ward25_name", "borough_code", "borough_name", "geometry"]
    assert ward25[["ward25_code", "ward25_name", "borough_name"]].values.tolist() == [
        ["E05009288", "Aldersgate", "City of London"],
        ["E05009289", "Aldgate", "City of London"],
    ]
    assert lsoa21.crs.to_epsg() == 27700
    assert ward25.crs.to_epsg() == 27700
    assert out["geometry_repairs"].empty
    # The squares are centred on ONS label points; ONS publishes their BNG coordinates too.
    for table, code_col in ((lsoa21, "lsoa21_code"), (ward25, "ward25_code")):
        centres = table.set_index(code_col).geometry.centroid
        first = "E01000001" if code_col == "lsoa21_code" else "E05009288"
        assert centres[first].distance(Point(ALDERSGATE[2:])) < HELMERT_TOLERANCE_M
    aldgate = ward25.set_index("ward25_code").geometry["E05009289"].centroid
    assert aldgate.distance(Point(ALDGATE[2:])) < HELMERT_TOLERANCE_M
    # A 0.001 degree square at 51.519 N: 69.42 m x 111.26 m on the WGS84 ellipsoid, times BNG's scale factor
    # squared there (0.99981 ** 2) = 7,721 m2.
    assert ward25.area.iloc[0] == pytest.approx(7_721, rel=0.002)


def test_lsoa21_requires_all_33_borough_files(tmp_path: Path) -> None:
    with pytest.raises(errors.MissingSourceFileError, match=r"E09000003\.geojson.*missing"):
        geography.load_lsoa21_ward25_boundaries(write_lsoa21_ward25(tmp_path))


def test_lsoa21_geojson_in_bng_is_crs_mismatch(tmp_path: Path) -> None:
    folder = write_lsoa21_ward25(tmp_path, crs="EPSG:27700")
    with pytest.raises(errors.CRSMismatchError, match=r"E09000001\.geojson.*British National Grid.*EPSG:4326"):
        geography.load_lsoa21_ward25_boundaries(folder, check_counts=False)


def test_lsoa21_feature_in_wrong_borough_file(tmp_path: Path) -> None:
    folder = write_lsoa21_ward25(tmp_path, city_ladcd="E09000033")
    with pytest.raises(errors.CodeFormatError, match=r"E09000001\.geojson.*'LADCD_ACTIVE', row 1.*'E09000033'"):
        geography.load_lsoa21_ward25_boundaries(folder, check_counts=False)


def test_lsoa21_code_in_two_files(tmp_path: Path) -> None:
    folder = write_lsoa21_ward25(tmp_path, barking_codes=("E01000002",))
    with pytest.raises(errors.DuplicateCodeError, match=r"'E01000002' is in E09000001\.geojson, E09000002\.geojson"):
        geography.load_lsoa21_ward25_boundaries(folder, check_counts=False)


def test_lsoa21_duplicate_within_file(tmp_path: Path) -> None:
    folder = write_lsoa21_ward25(tmp_path, barking_codes=("E01000027", "E01000027"))
    with pytest.raises(errors.DuplicateCodeError, match=r"E09000002\.geojson.*row 2.*'E01000027'"):
        geography.load_lsoa21_ward25_boundaries(folder, check_counts=False)


# ----------------------------------------------------------------------------------------------------------------
# Lookups and centroids: unit tests
# ----------------------------------------------------------------------------------------------------------------


def test_lsoa11_lsoa21_lookup_keeps_london(tmp_path: Path) -> None:
    write_csv(tmp_path / LSOA11_LSOA21, LSOA11_LSOA21_HEADER, LSOA11_LSOA21_ROWS)
    out = geography.load_lsoa11_lsoa21_lookup(tmp_path, check_counts=False)["lsoa11_lsoa21"]

    assert list(out.columns) == [
        "lsoa11_code",
        "lsoa11_name",
        "lsoa21_code",
        "lsoa21_name",
        "change",
        "lad22_code",
        "lad22_name",
    ]
    assert out[["lsoa11_code", "lsoa21_code", "change", "lad22_code"]].values.tolist() == [
        ["E01000001", "E01000001", "U", "E09000001"],
        ["E01000027", "E01035000", "S", "E09000002"],
        ["E01000027", "E01035001", "S", "E09000002"],
        ["E01000028", "E01035002", "M", "E09000002"],
        ["E01000029", "E01035002", "M", "E09000002"],
    ]
    assert out["lsoa21_name"].iloc[1] == "Barking and Dagenham 016D"


def test_lsoa11_lsoa21_lookup_checks_counts(tmp_path: Path) -> None:
    write_csv(tmp_path / LSOA11_LSOA21, LSOA11_LSOA21_HEADER, LSOA11_LSOA21_ROWS)
    with pytest.raises(errors.RowCountError, match=r"found 7 rows, the published release has 35795"):
        geography.load_lsoa11_lsoa21_lookup(tmp_path)


def test_lsoa11_lsoa21_lookup_unknown_change_indicator(tmp_path: Path) -> None:
    rows = [*LSOA11_LSOA21_ROWS]
    rows[2] = rows[2].replace(",U,", ",Z,")
    write_csv(tmp_path / LSOA11_LSOA21, LSOA11_LSOA21_HEADER, rows)
    with pytest.raises(errors.ValueRangeError, match=r"'CHGIND', row 4.*'Z'"):
        geography.load_lsoa11_lsoa21_lookup(tmp_path, check_counts=False)


def test_lsoa11_lsoa21_lookup_2021_code_as_2011_names_file_row(tmp_path: Path) -> None:
    rows = [*LSOA11_LSOA21_ROWS]
    rows[5] = rows[5].replace("E01000028,", "E01035009,", 1)
    write_csv(tmp_path / LSOA11_LSOA21, LSOA11_LSOA21_HEADER, rows)
    with pytest.raises(errors.CodeVintageError, match=r"Lookup_for_England_and_Wales\.csv.*'F_LSOA11CD', row 7"):
        geography.load_lsoa11_lsoa21_lookup(tmp_path, check_counts=False)


def test_lsoa11_lsoa21_lookup_best_fit_file_header(tmp_path: Path) -> None:
    # The "Version 2" best-fit file names the column LSOA11CD: it is not the exact-fit lookup.
    write_csv(tmp_path / LSOA11_LSOA21, LSOA11_LSOA21_HEADER.replace("F_LSOA11CD", "LSOA11CD"), LSOA11_LSOA21_ROWS)
    with pytest.raises(errors.ColumnMismatchError, match=r"Lookup_for_England_and_Wales\.csv.*'F_LSOA11CD'"):
        geography.load_lsoa11_lsoa21_lookup(tmp_path, check_counts=False)


def test_lookup_missing_file(tmp_path: Path) -> None:
    with pytest.raises(errors.MissingSourceFileError, match=r"Ward_\(2023\).*missing"):
        geography.load_lsoa21_ward23_lookup(tmp_path)


def test_lsoa21_ward23_lookup_keeps_london(tmp_path: Path) -> None:
    write_csv(tmp_path / LSOA21_WARD23, WARD23_HEADER, WARD23_ROWS)
    out = geography.load_lsoa21_ward23_lookup(tmp_path, check_counts=False)["lsoa21_ward23"]
    assert list(out.columns) == ["lsoa21_code", "lsoa21_name", "ward23_code", "ward23_name", "lad23_code", "lad23_name"]
    assert out.values.tolist() == [
        ["E01000001", "City of London 001A", "E05009288", "Aldersgate", "E09000001", "City of London"],
        ["E01000002", "City of London 001B", "E05009302", "Cripplegate", "E09000001", "City of London"],
    ]


def test_lsoa21_ward23_lookup_duplicate_lsoa(tmp_path: Path) -> None:
    write_csv(tmp_path / LSOA21_WARD23, WARD23_HEADER, [*WARD23_ROWS, WARD23_ROWS[1]])
    with pytest.raises(errors.DuplicateCodeError, match=r"'LSOA21CD', row 6.*'E01000002'"):
        geography.load_lsoa21_ward23_lookup(tmp_path, check_counts=False)


def test_lsoa21_centroids(tmp_path: Path) -> None:
    write_csv(tmp_path / CENTROIDS, CENTROID_HEADER, CENTROID_ROWS, newline="\r\n")
    out = geography.load_lsoa21_centroids(tmp_path, check_counts=False)["lsoa21_centroids"]
    assert list(out.columns) == ["lsoa21_code", "easting", "northing"]
    assert out.values.tolist() == [
        ["E01000001", 532181.7642, 181792.2818],
        ["E01012239", 444812.0, 517501.5],
        ["W01000001", 238611.5, 383419.25],
    ]
    assert str(out["easting"].dtype) == "float64"


def test_lsoa21_centroids_non_numeric(tmp_path: Path) -> None:
    rows = [*CENTROID_ROWS]
    rows[1] = rows[1].replace("238611.5", "238611.5m")
    write_csv(tmp_path / CENTROIDS, CENTROID_HEADER, rows, newline="\r\n")
    with pytest.raises(errors.NonNumericValueError, match=r"LLSOA_Dec_2021.*\.csv.*'x', row 3.*'238611\.5m'"):
        geography.load_lsoa21_centroids(tmp_path, check_counts=False)


def test_lsoa21_centroids_bad_code(tmp_path: Path) -> None:
    write_csv(tmp_path / CENTROIDS, CENTROID_HEADER, [*CENTROID_ROWS, "4,S01000001,x,300000,700000"])
    with pytest.raises(errors.CodeFormatError, match=r"'LSOA21CD', row 5.*'S01000001'"):
        geography.load_lsoa21_centroids(tmp_path, check_counts=False)


# ----------------------------------------------------------------------------------------------------------------
# Real data (each source read once per session; the GLA boundaries and the ward lookup come from conftest.py)
# ----------------------------------------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def real_2021(shared_data: Path) -> dict[str, pd.DataFrame]:
    return geography.load_lsoa21_ward25_boundaries(shared_data / "lsoa2021_ward2025_london_geojson")


@pytest.fixture(scope="session")
def real_lsoa11_lsoa21(shared_data: Path) -> pd.DataFrame:
    return geography.load_lsoa11_lsoa21_lookup(shared_data / "ons_lookups")["lsoa11_lsoa21"]


@pytest.fixture(scope="session")
def real_centroids(shared_data: Path) -> pd.DataFrame:
    return geography.load_lsoa21_centroids(shared_data / "ons_lsoa2021_centroids")["lsoa21_centroids"]


@pytest.mark.real_data
def test_real_gla_counts_and_geometry(real_gla_boundaries: dict[str, pd.DataFrame]) -> None:
    assert {name: len(real_gla_boundaries[name]) for name in ("boroughs", "wards", "lsoa11", "msoa11")} == {
        "boroughs": 33,
        "wards": 625,
        "lsoa11": 4_835,
        "msoa11": 983,
    }
    for name in ("boroughs", "wards", "lsoa11", "msoa11"):
        table = real_gla_boundaries[name]
        assert table.crs.to_epsg() == 27700
        assert table.is_valid.all(), name
        assert not table.is_empty.any(), name
    assert sorted(real_gla_boundaries["boroughs"]["borough_code"]) == list(LONDON_LAD_CODES)
    repairs = real_gla_boundaries["geometry_repairs"]
    assert repairs.groupby("table").size().to_dict() == {"lsoa11": 8, "msoa11": 4}
    assert repairs["problem"].str.startswith("Ring Self-intersection").all()


@pytest.mark.real_data
def test_real_gla_areas_add_up(real_gla_boundaries: dict[str, pd.DataFrame]) -> None:
    boroughs = real_gla_boundaries["boroughs"]
    borough_m2 = boroughs.area.sum()
    # Greater London's land area is about 1,572 km2.
    assert borough_m2 / 1e6 == pytest.approx(1_572, rel=0.01)
    assert real_gla_boundaries["lsoa11"].area.sum() == pytest.approx(borough_m2, rel=0.01)
    assert real_gla_boundaries["msoa11"].area.sum() == pytest.approx(borough_m2, rel=0.01)
    # Published HECTARES include non-land area (the tidal Thames): land = HECTARES - NONLD_AREA.
    land_ha = boroughs["area_ha"] - boroughs["nonland_area_ha"]
    assert (land_ha * 1e4).sum() == pytest.approx(borough_m2, rel=0.01)
    assert ((land_ha * 1e4 - boroughs.area).abs() / boroughs.area).max() < 0.01
    # The ward layer includes the river, so its area matches the published HECTARES.
    assert real_gla_boundaries["wards"].area.sum() == pytest.approx(boroughs["area_ha"].sum() * 1e4, rel=0.01)


@pytest.mark.real_data
def test_real_gla_hierarchy(real_gla_boundaries: dict[str, pd.DataFrame]) -> None:
    boroughs = set(real_gla_boundaries["boroughs"]["borough_code"])
    assert set(real_gla_boundaries["wards"]["borough_code"]) == boroughs
    assert set(real_gla_boundaries["lsoa11"]["borough_code"]) == boroughs
    assert set(real_gla_boundaries["lsoa11"]["msoa11_code"]) == set(real_gla_boundaries["msoa11"]["msoa11_code"])
    # Census 2011 London usual residents
    assert real_gla_boundaries["lsoa11"]["usual_residents_2011"].sum() == 8_173_941


@pytest.mark.real_data
def test_real_lsoa21_ward25(real_2021: dict[str, pd.DataFrame], real_gla_boundaries: dict[str, pd.DataFrame]) -> None:
    lsoa21, ward25 = real_2021["lsoa21"], real_2021["ward25"]
    assert len(lsoa21) == 4_994
    assert len(ward25) == 704
    assert lsoa21["borough_code"].nunique() == 33
    assert ward25["borough_code"].nunique() == 33
    for table in (lsoa21, ward25):
        assert table.crs.to_epsg() == 27700
        assert table.is_valid.all()
    assert real_2021["geometry_repairs"].empty
    # Both cuts cover London's land as the GLA 2011 boroughs do.
    assert lsoa21.area.sum() == pytest.approx(real_gla_boundaries["boroughs"].area.sum(), rel=0.01)
    assert ward25.area.sum() == pytest.approx(real_gla_boundaries["boroughs"].area.sum(), rel=0.01)


@pytest.mark.real_data
def test_real_lookups(
    real_lsoa11_lsoa21: pd.DataFrame,
    real_lsoa21_ward23: pd.DataFrame,
    real_2021: dict[str, pd.DataFrame],
    real_gla_boundaries: dict[str, pd.DataFrame],
) -> None:
    assert len(real_lsoa11_lsoa21) == 5_016
    assert real_lsoa11_lsoa21["change"].value_counts().to_dict() == {"U": 4_659, "S": 313, "M": 44}
    assert set(real_lsoa11_lsoa21["lsoa11_code"]) == set(real_gla_boundaries["lsoa11"]["lsoa11_code"])
    london21 = set(real_2021["lsoa21"]["lsoa21_code"])
    assert set(real_lsoa11_lsoa21["lsoa21_code"]) == london21
    assert len(real_lsoa21_ward23) == 4_994
    assert real_lsoa21_ward23["ward23_code"].nunique() == 684
    assert set(real_lsoa21_ward23["lsoa21_code"]) == london21


@pytest.mark.real_data
def test_real_centroids(real_centroids: pd.DataFrame, real_2021: dict[str, pd.DataFrame]) -> None:
    assert len(real_centroids) == 35_672
    assert real_centroids["lsoa21_code"].str[:3].value_counts().to_dict() == {"E01": 33_755, "W01": 1_917}
    london = real_centroids.merge(real_2021["lsoa21"], on="lsoa21_code")
    assert len(london) == 4_994
    points = gpd.GeoSeries(gpd.points_from_xy(london["easting"], london["northing"]), crs="EPSG:27700")
    inside = gpd.GeoSeries(london["geometry"], crs="EPSG:27700").contains(points)
    # Population-weighted centroids against generalised boundaries: a few fall just outside.
    assert inside.mean() > 0.99
    assert shapely.distance(points[~inside].to_numpy(), london.loc[~inside, "geometry"].to_numpy()).max() < 200
