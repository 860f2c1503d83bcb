"""Spaces loaders: GLA Cultural Infrastructure Map CSVs and OpenStreetMap places of worship.

Unit tests write tiny files in the published layouts into tmp_path; real-data tests read each source once.
"""

from __future__ import annotations

import math
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest
from shapely.geometry import Point, Polygon, box

from cohesion_metrics import errors
from cohesion_metrics.extract.loaders import spaces

# ONS publishes the label point of Aldersgate ward with both coordinate pairs: WGS84 lon/lat and BNG metres.
TRUE_LON, TRUE_LAT, TRUE_E, TRUE_N = -0.096422, 51.51895, 532171.0, 181720.0
#: The same place as the CIM exports misstate it (see the spaces module docstring):
#: OSGB36 degrees of the right easting/northing (9 layers) ...
OSGB36_LON, OSGB36_LAT = -0.0948379, 51.5184349
#: ... and an easting/northing projected from the right lon/lat shifted the wrong way (4 layers).
SHIFTED_E, SHIFTED_N = 531946.44, 181828.15
#: pyproj without the OSTN15 grid uses a 7-parameter Helmert transformation (accuracy ~2 m in London).
HELMERT_TOLERANCE_M = 2.5
#: A consistent pair outside London (Reading), kept as it is.
READING = (471500.0, 173500.0, -0.9723293, 51.4559741)

#: Published header of each layer (column order differs between layers).
HEADERS = {
    "Community_centres.csv": "name,address1,address2,address3,borough_name,website,os_addressbase_uprn,borough_code,"
    "ward_2018_name,ward_2018_code,ward,latitude,longitude,contact_name,additional_contact_name,easting,northing,runtime",
    "Arts_centres.csv": "name,borough_name,website,borough_code,address1,address2,address3,os_addressbase_uprn,"
    "ward_2018_name,ward_2018_code,longitude,latitude,easting,northing,runtime",
    "Cinemas.csv": "name,borough_name,website,os_addressbase_uprn,borough_code,ward_2018_name,ward_2018_code,address1,"
    "address2,address3,easting,northing,longitude,latitude,runtime",
    "Commercial_galleries.csv": "name,borough_name,website,borough_code,address1,address2,address3,os_addressbase_uprn,"
    "ward_2018_name,ward_2018_code,easting,northing,longitude,latitude,runtime",
    "Dance_performance_venues.csv": "name,address1,address2,borough_name,website,os_addressbase_uprn,borough_code,"
    "ward_2018_name,ward_2018_code,address3,longitude,latitude,easting,northing,runtime",
    "Music_venues_all.csv": "name,borough_name,website,os_addressbase_uprn,borough_code,ward_2018_name,ward_2018_code,"
    "address1,address2,address3,easting,northing,longitude,latitude,runtime",
    "Outdoor_spaces_for_cultural_use.csv": "name,address1,address2,address3,borough_name,website,os_addressbase_uprn,"
    "borough_code,ward_2018_name,ward_2018_code,alternativenames,greenflagcommunityaward,easting,northing,longitude,"
    "latitude,runtime",
    "Skate_Parks.csv": "name,address1,address2,address3,borough_name,website,os_addressbase_uprn,borough_code,"
    "ward_2018_name,ward_2018_code,latitude,longitude,easting,northing,runtime",
}
STANDARD = (
    "name,address1,address2,address3,borough_name,website,os_addressbase_uprn,borough_code,ward_2018_name,"
    "ward_2018_code,easting,northing,longitude,latitude,runtime"
)
THEATRES = (
    "name,address1,address2,address3,borough_name,website,os_addressbase_uprn,borough_code,ward_2018_name,"
    "ward_2018_code,longitude,latitude,easting,northing,runtime"
)
for _name in ("Libraries.csv", "Pubs.csv", "Museums_and_public_galleries.csv"):
    HEADERS[_name] = STANDARD
for _name in ("Theatres.csv", "LGBT_night_time_venues.csv"):
    HEADERS[_name] = THEATRES
LONLAT_LAYERS = {"Arts_centres.csv", "Dance_performance_venues.csv", "LGBT_night_time_venues.csv", "Theatres.csv"}


def cim_row(header: str, **values: object) -> str:
    """One CSV line in `header`'s column order; unnamed cells are empty, text with commas or newlines is quoted."""
    cells = []
    for col in header.split(","):
        text = str(values.get(col, ""))
        cells.append(f'"{text}"' if any(ch in text for ch in ',\n"') else text)
    return ",".join(cells)


def misstated(layer: str) -> dict[str, object]:
    """The Aldersgate point as the export of `layer` states it."""
    if layer in LONLAT_LAYERS:
        return {"easting": SHIFTED_E, "northing": SHIFTED_N, "longitude": TRUE_LON, "latitude": TRUE_LAT}
    return {"easting": TRUE_E, "northing": TRUE_N, "longitude": OSGB36_LON, "latitude": OSGB36_LAT}


def write_cim(folder: Path, extra: dict[str, list[dict[str, object]]] | None = None) -> Path:
    """All 13 layers, CRLF, one row each at the same place (plus `extra` rows), misstated as published."""
    folder.mkdir(parents=True, exist_ok=True)
    extra = extra or {}
    for layer in spaces.CIM_LAYERS:
        header = HEADERS[layer]
        rows = [
            {
                "name": f"{layer[:-4]} one",
                "address1": "1 Aldersgate Street",
                "address2": "NA",
                "borough_code": "E09000001",
                "runtime": "11/27/2022",
                **misstated(layer),
            },
            *extra.get(layer, []),
        ]
        lines = [header, *(cim_row(header, **row) for row in rows)]
        (folder / layer).write_bytes(("\r\n".join(lines) + "\r\n").encode("utf-8"))
    return folder


LIBRARY_ROWS = [
    {
        "name": " Wembley  Library ",
        "address1": "Brent Civic Centre",
        "address2": "Engineers Way",
        "address3": "NA",
        "borough_code": "",
        "os_addressbase_uprn": "1E+11",
        **misstated("Libraries.csv"),
    },
    {
        "name": "Reading Central Library",
        "address1": "Abbey Square",
        "address2": "",
        "borough_code": "NA",
        "easting": READING[0],
        "northing": READING[1],
        "longitude": READING[2],
        "latitude": READING[3],
    },
]
CINEMA_ROWS = [
    {
        "name": "Picture House",
        "address1": "Stadium Way\nWembley",
        "address2": "NA",
        "address3": "Brent",
        "borough_code": "E09000005",
        **misstated("Cinemas.csv"),
    },
]


@pytest.fixture
def cim_folder(tmp_path: Path) -> Path:
    return write_cim(tmp_path / "cim", {"Libraries.csv": LIBRARY_ROWS, "Cinemas.csv": CINEMA_ROWS})


# ----------------------------------------------------------------------------------------------------------------
# CIM: unit tests
# ----------------------------------------------------------------------------------------------------------------


def test_cim_tidy_output(cim_folder: Path) -> None:
    out = spaces.load_gla_cim(cim_folder, check_counts=False)
    assert list(out) == ["spaces"]
    table = out["spaces"]
    assert list(table.columns) == [
        "source_record",
        "name",
        "space_type",
        "address",
        "borough_code_reported",
        "easting",
        "northing",
        "lon",
        "lat",
        "coords_from",
    ]
    assert len(table) == 13 + 2 + 1
    assert table.groupby("space_type").size().to_dict() == {
        space_type: 3 if space_type == "library" else 2 if space_type == "cinema" else 1
        for space_type, _ in spaces.CIM_LAYERS.values()
    }
    libraries = table[table["space_type"] == "library"].reset_index(drop=True)
    assert libraries["source_record"].tolist() == ["Libraries.csv:row 2", "Libraries.csv:row 3", "Libraries.csv:row 4"]
    assert libraries["name"].tolist() == ["Libraries one", "Wembley Library", "Reading Central Library"]
    assert libraries["address"].tolist() == [
        "1 Aldersgate Street",
        "Brent Civic Centre, Engineers Way",
        "Abbey Square",
    ]
    assert libraries["borough_code_reported"].tolist()[0] == "E09000001"
    assert libraries["borough_code_reported"].isna().tolist() == [False, True, True]
    for col in ("easting", "northing", "lon", "lat"):
        assert str(table[col].dtype) == "float64"
    # A quoted line break stays inside its record; rows count records, as a spreadsheet shows them.
    cinema = table[table["source_record"] == "Cinemas.csv:row 3"].iloc[0]
    assert cinema["address"] == "Stadium Way Wembley, Brent"
    assert cinema["borough_code_reported"] == "E09000005"


def test_cim_coordinates_are_reconciled(cim_folder: Path) -> None:
    table = spaces.load_gla_cim(cim_folder, check_counts=False)["spaces"]
    at_aldersgate = table[
        table["source_record"].str.endswith(":row 2")
        | table["source_record"].isin(["Libraries.csv:row 3", "Cinemas.csv:row 3"])
    ]
    assert len(at_aldersgate) == 15
    for row in at_aldersgate.itertuples():
        layer = row.source_record.split(":")[0]
        assert row.coords_from == ("lon_lat" if layer in LONLAT_LAYERS else "easting_northing"), layer
        assert math.hypot(row.easting - TRUE_E, row.northing - TRUE_N) < HELMERT_TOLERANCE_M, layer
        assert abs(row.lon - TRUE_LON) < 4e-5, layer  # 4e-5 degrees is 2.8 m east-west here
        assert abs(row.lat - TRUE_LAT) < 2.5e-5, layer  # 2.5e-5 degrees is 2.8 m north-south
    # The slips the loader undoes: about 120 m (OSGB36 degrees read as WGS84) and 250 m (shift applied backwards).
    published = table[table["coords_from"] == "easting_northing"].iloc[0]
    assert 110 < math.hypot((published["lon"] - OSGB36_LON) * 69_420, (published["lat"] - OSGB36_LAT) * 111_260) < 130
    assert math.hypot(SHIFTED_E - TRUE_E, SHIFTED_N - TRUE_N) == pytest.approx(250, abs=10)
    reading = table[table["source_record"] == "Libraries.csv:row 4"].iloc[0]
    assert reading["coords_from"] == "both"
    assert (reading["easting"], reading["northing"], reading["lon"], reading["lat"]) == READING


def test_cim_checks_published_counts(cim_folder: Path) -> None:
    with pytest.raises(errors.RowCountError, match=r"Community_centres\.csv.*found 1 rows.*903"):
        spaces.load_gla_cim(cim_folder)


def test_cim_missing_layer(cim_folder: Path) -> None:
    (cim_folder / "Skate_Parks.csv").unlink()
    with pytest.raises(errors.MissingSourceFileError, match=r"Skate_Parks\.csv.*missing"):
        spaces.load_gla_cim(cim_folder, check_counts=False)


def test_cim_renamed_column(cim_folder: Path) -> None:
    path = cim_folder / "Pubs.csv"
    path.write_bytes(path.read_bytes().replace(b"easting", b"Easting", 1))
    with pytest.raises(errors.ColumnMismatchError, match=r"Pubs\.csv.*'easting' \(found 'Easting' instead\)"):
        spaces.load_gla_cim(cim_folder, check_counts=False)


def test_cim_non_numeric_easting(tmp_path: Path) -> None:
    bad = {"name": "Typo", "borough_code": "E09000001", **misstated("Libraries.csv"), "easting": "5321O0"}
    folder = write_cim(tmp_path, {"Libraries.csv": [LIBRARY_ROWS[0], bad]})
    with pytest.raises(errors.NonNumericValueError, match=r"Libraries\.csv.*'easting', row 4.*'5321O0'"):
        spaces.load_gla_cim(folder, check_counts=False)


def test_cim_blank_coordinate(tmp_path: Path) -> None:
    bad = {"name": "No place", **misstated("Theatres.csv"), "latitude": "NA"}
    folder = write_cim(tmp_path, {"Theatres.csv": [bad]})
    with pytest.raises(errors.NonNumericValueError, match=r"Theatres\.csv.*'latitude', row 3"):
        spaces.load_gla_cim(folder, check_counts=False)


def test_cim_coordinates_outside_great_britain(tmp_path: Path) -> None:
    bad = {"name": "Swapped", **misstated("Pubs.csv"), "easting": TRUE_N * 10}
    folder = write_cim(tmp_path, {"Pubs.csv": [bad]})
    with pytest.raises(errors.ValueRangeError, match=r"Pubs\.csv.*'easting', row 3"):
        spaces.load_gla_cim(folder, check_counts=False)


def test_cim_pairs_that_disagree(tmp_path: Path) -> None:
    bad = {"name": "Moved", **misstated("Pubs.csv"), "easting": TRUE_E + 1_000}
    folder = write_cim(tmp_path, {"Pubs.csv": [bad]})
    with pytest.raises(errors.ValueRangeError, match=r"Pubs\.csv.*row 3.*8\d\d m apart and match no known datum slip"):
        spaces.load_gla_cim(folder, check_counts=False)


def test_cim_malformed_borough_code(tmp_path: Path) -> None:
    bad = {"name": "Typo", **misstated("Pubs.csv"), "borough_code": "E9000001"}
    folder = write_cim(tmp_path, {"Pubs.csv": [LIBRARY_ROWS[1], bad]})
    with pytest.raises(errors.CodeFormatError, match=r"Pubs\.csv.*'borough_code', row 4.*'E9000001'"):
        spaces.load_gla_cim(folder, check_counts=False)


# ----------------------------------------------------------------------------------------------------------------
# OSM: unit tests
# ----------------------------------------------------------------------------------------------------------------

#: A bow-tie polygon (invalid) whose valid part is two triangles left and right of its crossing point.
BOWTIE = Polygon([(-0.080, 51.513), (-0.078, 51.515), (-0.078, 51.513), (-0.080, 51.515)])


def write_osm(
    folder: Path,
    *,
    points: list | None = None,
    point_crs: str = "EPSG:4326",
    fclass: tuple[str, str] = ("christian_anglican", "muslim"),
) -> Path:
    """Geofabrik's two pofw layers: 2 points, 2 polygons, EPSG:4326 with .cpg."""
    folder.mkdir(parents=True, exist_ok=True)
    pts = points if points is not None else [Point(TRUE_LON, TRUE_LAT), Point(READING[2], READING[3])]
    gpd.GeoDataFrame(
        {"osm_id": ["699763", "10806290"], "code": [3101, 3300], "fclass": list(fclass), "name": ["St Botolph", None]},
        geometry=pts,
        crs="EPSG:4326",
    ).to_crs(point_crs).to_file(folder / "gis_osm_pofw_free_1.shp")
    gpd.GeoDataFrame(
        {
            "osm_id": ["4001091", "4076420"],
            "code": [3200, 3100],
            "fclass": ["jewish", "christian"],
            "name": ["Bevis Marks Synagogue", "St Brides"],
        },
        geometry=[box(TRUE_LON - 0.0005, TRUE_LAT - 0.0005, TRUE_LON + 0.0005, TRUE_LAT + 0.0005), BOWTIE],
        crs="EPSG:4326",
    ).to_file(folder / "gis_osm_pofw_a_free_1.shp")
    return folder


def test_osm_tidy_output(tmp_path: Path) -> None:
    out = spaces.load_osm_pofw(write_osm(tmp_path), check_counts=False)
    assert list(out) == ["spaces"]
    table = out["spaces"]
    assert list(table.columns) == [
        "osm_id",
        "name",
        "space_type",
        "faith",
        "denomination",
        "geometry_kind",
        "easting",
        "northing",
        "lon",
        "lat",
    ]
    assert table["osm_id"].tolist() == ["699763", "10806290", "4001091", "4076420"]
    assert table["geometry_kind"].tolist() == ["point", "point", "polygon", "polygon"]
    assert (table["space_type"] == "place_of_worship").all()
    assert table["faith"].tolist() == ["christian", "muslim", "jewish", "christian"]
    assert table["denomination"].tolist()[0] == "anglican"
    assert table["denomination"].isna().tolist() == [False, True, True, True]
    assert table["name"].isna().tolist() == [False, True, False, False]
    # Points keep their lon/lat; BNG from pyproj, checked against ONS's published pair.
    first = table.iloc[0]
    assert (first["lon"], first["lat"]) == (TRUE_LON, TRUE_LAT)
    assert math.hypot(first["easting"] - TRUE_E, first["northing"] - TRUE_N) < HELMERT_TOLERANCE_M
    # Outside London: kept.
    assert table.iloc[1]["lon"] == READING[2]
    assert math.hypot(table.iloc[1]["easting"] - READING[0], table.iloc[1]["northing"] - READING[1]) < 5


def test_osm_polygon_becomes_point_inside_it(tmp_path: Path) -> None:
    table = spaces.load_osm_pofw(write_osm(tmp_path), check_counts=False)["spaces"].set_index("osm_id")
    # A square centred on the Aldersgate point: its representative point is its centre (central symmetry).
    square = table.loc["4001091"]
    assert math.hypot(square["easting"] - TRUE_E, square["northing"] - TRUE_N) < HELMERT_TOLERANCE_M
    assert square["lon"] == pytest.approx(TRUE_LON, abs=1e-6)
    assert square["lat"] == pytest.approx(TRUE_LAT, abs=1e-6)
    # The bow-tie is repaired into two triangles; the point lies inside one of them.
    bowtie = table.loc["4076420"]
    triangles = gpd.GeoSeries([BOWTIE], crs="EPSG:4326").make_valid().to_crs("EPSG:27700").iloc[0]
    assert triangles.geom_type == "MultiPolygon"
    assert triangles.contains(Point(bowtie["easting"], bowtie["northing"]))


def test_osm_checks_published_counts(tmp_path: Path) -> None:
    with pytest.raises(errors.RowCountError, match=r"gis_osm_pofw_free_1\.shp.*found 2 rows.*779"):
        spaces.load_osm_pofw(write_osm(tmp_path))


def test_osm_layer_in_bng_is_crs_mismatch(tmp_path: Path) -> None:
    folder = write_osm(tmp_path, point_crs="EPSG:27700")
    with pytest.raises(errors.CRSMismatchError, match=r"gis_osm_pofw_free_1\.prj.*British National Grid.*EPSG:4326"):
        spaces.load_osm_pofw(folder, check_counts=False)


def test_osm_truncated_shapefile(tmp_path: Path) -> None:
    folder = write_osm(tmp_path)
    shp = folder / "gis_osm_pofw_a_free_1.shp"
    shp.write_bytes(shp.read_bytes()[:-20])
    with pytest.raises(errors.CorruptFileError, match=r"gis_osm_pofw_a_free_1\.shp.*header says"):
        spaces.load_osm_pofw(folder, check_counts=False)


def test_osm_empty_geometry_names_the_feature(tmp_path: Path) -> None:
    folder = write_osm(tmp_path, points=[Point(TRUE_LON, TRUE_LAT), None])
    with pytest.raises(errors.InvalidGeometryError, match=r"gis_osm_pofw_free_1\.shp.*row 2.*osm_id '10806290'"):
        spaces.load_osm_pofw(folder, check_counts=False)


def test_osm_point_outside_great_britain(tmp_path: Path) -> None:
    folder = write_osm(tmp_path, points=[Point(TRUE_LON, TRUE_LAT), Point(TRUE_LAT, TRUE_LON)])
    with pytest.raises(errors.ValueRangeError, match=r"gis_osm_pofw_free_1\.shp.*outside Great Britain.*'10806290'"):
        spaces.load_osm_pofw(folder, check_counts=False)


def test_osm_unexpected_fclass(tmp_path: Path) -> None:
    folder = write_osm(tmp_path, fclass=("christian_anglican", "Muslim Sunni"))
    with pytest.raises(errors.ValueRangeError, match=r"gis_osm_pofw_free_1\.dbf.*'fclass', row 2.*'Muslim Sunni'"):
        spaces.load_osm_pofw(folder, check_counts=False)


# ----------------------------------------------------------------------------------------------------------------
# Real data (each source read once per session)
# ----------------------------------------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def real_cim(shared_data: Path) -> pd.DataFrame:
    return spaces.load_gla_cim(shared_data / "gla_cultural_infrastructure_map")["spaces"]


@pytest.fixture(scope="session")
def real_osm(shared_data: Path) -> pd.DataFrame:
    return spaces.load_osm_pofw(shared_data / "osm_geofabrik_greater_london_2019")["spaces"]


@pytest.fixture(scope="session")
def real_wards(real_gla_boundaries: dict[str, pd.DataFrame]) -> gpd.GeoDataFrame:
    """GLA wards (which include the Thames): the borough each point falls in."""
    return real_gla_boundaries["wards"]


@pytest.mark.real_data
def test_real_cim_layer_counts(real_cim: pd.DataFrame) -> None:
    assert real_cim["space_type"].value_counts().to_dict() == {
        space_type: expected for space_type, expected in spaces.CIM_LAYERS.values()
    }
    assert len(real_cim) == 7_346
    assert real_cim["source_record"].is_unique
    assert real_cim["name"].notna().all()


@pytest.mark.real_data
def test_real_cim_coordinate_pairs(real_cim: pd.DataFrame) -> None:
    kept = real_cim.groupby("space_type")["coords_from"].unique().map(list).to_dict()
    assert kept == {
        space_type: ["lon_lat" if layer in LONLAT_LAYERS else "easting_northing"]
        for layer, (space_type, _) in spaces.CIM_LAYERS.items()
    }


@pytest.mark.real_data
def test_real_cim_points_fall_in_their_reported_borough(real_cim: pd.DataFrame, real_wards: gpd.GeoDataFrame) -> None:
    points = gpd.GeoDataFrame(
        real_cim, geometry=gpd.points_from_xy(real_cim["easting"], real_cim["northing"]), crs="EPSG:27700"
    )
    joined = points.sjoin(real_wards[["borough_code", "geometry"]], how="left", predicate="within")
    assert joined.index.is_unique
    assert joined["borough_code"].notna().all()  # every CIM point is in London
    reported = joined["borough_code_reported"].notna()
    assert reported.sum() == 7_346 - 53
    assert (joined.loc[reported, "borough_code"] == joined.loc[reported, "borough_code_reported"]).all()


@pytest.mark.real_data
def test_real_osm(real_osm: pd.DataFrame, real_wards: gpd.GeoDataFrame) -> None:
    assert real_osm["geometry_kind"].value_counts().to_dict() == {"polygon": 2_135, "point": 779}
    assert real_osm.groupby("geometry_kind")["name"].count().to_dict() == {"point": 730, "polygon": 2_003}
    assert set(real_osm["faith"]) == {"christian", "muslim", "jewish", "hindu", "sikh", "buddhist"}
    assert real_osm["denomination"].value_counts().to_dict()["anglican"] == 766
    points = gpd.GeoDataFrame(
        real_osm, geometry=gpd.points_from_xy(real_osm["easting"], real_osm["northing"]), crs="EPSG:27700"
    )
    joined = points.sjoin(real_wards[["borough_code", "geometry"]], how="left", predicate="within")
    outside = joined[joined["borough_code"].isna()]
    assert outside["geometry_kind"].value_counts().to_dict() == {"point": 2, "polygon": 2}
