"""The boundary checks of `cohesion_metrics.extract.validate`: each raises its named error, naming file, sheet, column, row."""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import numpy as np
import openpyxl
import pandas as pd
import pyproj
import pytest
from shapely.geometry import LineString, Point, box

from cohesion_metrics import errors
from cohesion_metrics.extract import source_files, validate

#: The ESRI WKT the GLA publishes for British National Grid: not EPSG-tagged, scale factor rounded.
ESRI_BNG = pyproj.CRS("EPSG:27700").to_wkt("WKT1_ESRI").replace("0.9996012717", "0.999601272")
WHERE = {"path": "/data/file.xlsx", "sheet": "Data", "column": "code"}
WHERE_TEXT = "file 'file.xlsx', sheet 'Data', column 'code'"


def codes(*values: object) -> pd.Series:
    return pd.Series(values, dtype="object")


# --- reading files -------------------------------------------------------------------------------------------


def write_book(path: Path, rows: list[list[object]], sheet: str = "Data") -> Path:
    book = openpyxl.Workbook()
    data = book.active
    assert data is not None
    data.title = sheet
    for row in rows:
        data.append(row)
    book.save(path)
    return path


def test_require_file(tmp_path: Path) -> None:
    with pytest.raises(errors.MissingSourceFileError, match=r"file 'absent\.csv': the file is missing"):
        source_files.require_file(tmp_path / "absent.csv")
    assert source_files.require_file(write_book(tmp_path / "a.xlsx", [])) == tmp_path / "a.xlsx"


def test_read_sheet_missing_sheet_lists_the_sheets(tmp_path: Path) -> None:
    path = write_book(tmp_path / "book.xlsx", [["a"]], sheet="Notes")
    with pytest.raises(errors.SheetNotFoundError, match=r"file 'book\.xlsx', sheet 'Data'.*\['Notes'\]"):
        source_files.read_sheet(path, "Data")


def test_read_sheet_corrupt_workbook(tmp_path: Path) -> None:
    (tmp_path / "book.xlsx").write_bytes(b"PK\x03\x04 not a workbook")
    with pytest.raises(errors.CorruptFileError, match=r"file 'book\.xlsx': the workbook cannot be read"):
        source_files.read_sheet(tmp_path / "book.xlsx", "Data")


def test_read_sheet_keep_default_na(tmp_path: Path) -> None:
    path = write_book(tmp_path / "book.xlsx", [["value"], ["n/a"], [None], ["NA"], ["."]])
    guessed = source_files.read_sheet(path, "Data")["value"]
    assert guessed.isna().tolist() == [True, True, True, False]
    published = source_files.read_sheet(path, "Data", keep_default_na=False)["value"]
    assert published.isna().tolist() == [False, True, False, False]  # only the blank cell is missing
    assert published.dropna().tolist() == ["n/a", "NA", "."]


def test_read_csv_names_missing_columns_and_passes_options(tmp_path: Path) -> None:
    path = tmp_path / "table.csv"
    path.write_text("code,value\nE09000001,NA\n", encoding="utf-8")
    frame = source_files.read_csv(path, ["code"], dtype=str, keep_default_na=False)
    assert frame["value"].tolist() == ["NA"]
    with pytest.raises(errors.ColumnMismatchError, match=r"file 'table\.csv', column 'Value'.*found 'value'"):
        source_files.read_csv(path, ["code", "Value"])


def test_read_csv_unreadable(tmp_path: Path) -> None:
    path = tmp_path / "table.csv"
    path.write_bytes("code\nE09000001\n".encode("utf-16"))
    with pytest.raises(errors.CorruptFileError, match=r"file 'table\.csv': the CSV cannot be read.*To fix: again\."):
        source_files.read_csv(path, encoding="utf-8", fix="again.")


def test_read_vector_not_a_vector_file(tmp_path: Path) -> None:
    path = tmp_path / "layer.geojson"
    path.write_text("not json", encoding="utf-8")
    with pytest.raises(errors.CorruptFileError, match=r"file 'layer\.geojson': the file cannot be read"):
        source_files.read_vector(path)


# --- shapefiles and CRS --------------------------------------------------------------------------------------


@pytest.fixture
def shapefile(tmp_path: Path) -> Path:
    """Two squares in BNG with the GLA's ESRI .prj."""
    path = tmp_path / "areas.shp"
    frame = gpd.GeoDataFrame({"CODE": ["E09000001", "E09000002"]}, geometry=[box(0, 0, 1, 1), box(1, 1, 2, 2)])
    frame.set_crs("EPSG:27700").to_file(path)
    path.with_suffix(".prj").write_text(ESRI_BNG)
    return path


def test_read_shapefile_accepts_the_esri_bng_prj(shapefile: Path) -> None:
    frame = source_files.require_crs(source_files.read_shapefile(shapefile, ["CODE"]), "EPSG:27700", path=shapefile)
    assert frame["CODE"].tolist() == ["E09000001", "E09000002"]
    assert frame.crs.to_epsg() == 27700


@pytest.mark.parametrize("part", [".shx", ".dbf", ".prj"])
def test_check_shapefile_missing_part(shapefile: Path, part: str) -> None:
    shapefile.with_suffix(part).unlink()
    with pytest.raises(errors.MissingSourceFileError, match=rf"file 'areas\{part}': the file is missing"):
        source_files.check_shapefile(shapefile)


def test_check_shapefile_truncated_shp(shapefile: Path) -> None:
    shapefile.write_bytes(shapefile.read_bytes()[:-10])
    with pytest.raises(errors.CorruptFileError, match=r"file 'areas\.shp': the file has \d+ bytes but its header says"):
        source_files.check_shapefile(shapefile)


def test_check_shapefile_short_dbf(shapefile: Path) -> None:
    dbf = shapefile.with_suffix(".dbf")
    dbf.write_bytes(dbf.read_bytes()[:-15])
    with pytest.raises(errors.CorruptFileError, match=r"file 'areas\.dbf': the attribute table has .* header needs"):
        source_files.check_shapefile(shapefile)


def test_read_shapefile_renamed_column(shapefile: Path) -> None:
    with pytest.raises(errors.ColumnMismatchError, match=r"file 'areas\.dbf', column 'CODES'"):
        source_files.read_shapefile(shapefile, ["CODES"])


def test_require_crs_mismatch_names_both(shapefile: Path) -> None:
    frame = source_files.read_shapefile(shapefile, ["CODE"])
    expected = r"file 'areas\.prj':.*British National Grid'; expected WGS 84 \(EPSG:4326\)"
    with pytest.raises(errors.CRSMismatchError, match=expected):
        source_files.require_crs(frame, "EPSG:4326", path=shapefile.with_suffix(".prj"))
    with pytest.raises(errors.CRSMismatchError, match=r"missing \(no \.prj or no crs member\)"):
        source_files.require_crs(frame.set_crs(None, allow_override=True), "EPSG:27700", path=shapefile)


# --- row checks ----------------------------------------------------------------------------------------------


def test_raise_at_first_names_the_row_of_the_first_bad_value() -> None:
    validate.raise_at_first(np.array([False, False]), errors.ValueRangeError, lambda n, i: "never", **WHERE)
    with pytest.raises(errors.ValueRangeError) as info:
        validate.raise_at_first(
            pd.Series([False, True, True]),
            errors.ValueRangeError,
            lambda n, i: f"{n} bad; first at position {i}.",
            first_row=3,
            fix="fix it.",
            **WHERE,
        )
    assert str(info.value) == f"{WHERE_TEXT}, row 4: 2 bad; first at position 1. To fix: fix it."
    assert info.value.row == 4


def test_on_file_rows_reports_the_row_in_the_file() -> None:
    values = pd.Series(["E09000001", "E9000002"], index=[4, 9])  # rows 6 and 11 of the file
    with pytest.raises(errors.CodeFormatError, match=r"column 'code', row 11: .*'E9000002'"):
        validate.on_file_rows(validate.check_codes, values, "borough", path="a.csv", column="code")


def test_require_columns_names_every_missing_column() -> None:
    frame = pd.DataFrame(columns=["Area_name", "New code"])
    with pytest.raises(errors.ColumnMismatchError) as info:
        validate.require_columns(frame, ["Area name", "New code", "Population"], path="a.xlsx", sheet="Data")
    message = str(info.value)
    assert "file 'a.xlsx', sheet 'Data', column 'Area name'" in message
    assert "'Area name' (found 'Area_name' instead), 'Population'" in message


@pytest.mark.parametrize(
    ("level", "good", "bad"),
    [
        ("lsoa", "E01000001", "E02000001"),
        ("msoa", "E02000001", "E01000001"),
        ("ward", "E05000026", "E09000001"),
        ("borough", "E09000033", "E9000033"),
        ("lad", "E06000001", "E10000001"),
    ],
)
def test_check_codes_patterns(level: str, good: str, bad: str) -> None:
    validate.check_codes(codes(good), level, **WHERE)
    with pytest.raises(errors.CodeFormatError, match=rf"{WHERE_TEXT}, row 3: 1 value\(s\) are not .*'{bad}'"):
        validate.check_codes(codes(good, bad), level, **WHERE)


def test_check_codes_names_lad_codes() -> None:
    with pytest.raises(errors.CodeFormatError, match=r"not local authority district codes \(pattern E0\[6-9\]"):
        validate.check_codes(codes("W06000001"), "lad", **WHERE)


def test_check_codes_welsh_codes_only_when_allowed() -> None:
    welsh = codes("E01035000", "W01000001")
    validate.check_codes(welsh, "lsoa", vintage=2021, allow_wales=True, **WHERE)
    with pytest.raises(errors.CodeFormatError, match=r"row 3: 1 value\(s\) are not lsoa21 codes .*'W01000001'"):
        validate.check_codes(welsh, "lsoa", vintage=2021, **WHERE)
    with pytest.raises(errors.CodeFormatError, match=r"msoa21 codes \(pattern \[EW\]02"):
        validate.check_codes(codes("S02000001"), "msoa", vintage=2021, allow_wales=True, **WHERE)


def test_check_codes_2021_lsoa_in_a_2011_column() -> None:
    validate.check_codes(codes("E01033768", "W01001958"), "lsoa", vintage=2011, allow_wales=True, **WHERE)
    with pytest.raises(errors.CodeVintageError, match=rf"{WHERE_TEXT}, row 3: 1 code\(s\) are 2021 .*'E01033769'"):
        validate.check_codes(codes("E01033768", "E01033769"), "lsoa", vintage=2011, **WHERE)


def test_require_some_lsoa21_codes() -> None:
    validate.require_some_lsoa21_codes(codes("E01000001", "E01035000"), **WHERE)
    with pytest.raises(errors.CodeVintageError, match=rf"{WHERE_TEXT}: no LSOA code is above E01033768"):
        validate.require_some_lsoa21_codes(codes("E01000001"), **WHERE)


def test_check_london() -> None:
    validate.check_london(codes("E09000001", "E09000033"), **WHERE)
    with pytest.raises(errors.CodeFormatError, match=rf"{WHERE_TEXT}, row 3: .*not London borough codes.*'E09000034'"):
        validate.check_london(codes("E09000001", "E09000034"), **WHERE)


def test_check_unique() -> None:
    validate.check_unique(codes("a", "b"), **WHERE)
    with pytest.raises(errors.DuplicateCodeError, match=rf"{WHERE_TEXT}, row 4: 1 duplicate code\(s\).*'a'"):
        validate.check_unique(codes("a", "b", "a"), **WHERE)


def test_to_numeric() -> None:
    where = {"path": "/data/file.xlsx", "sheet": "Data"}
    frame = pd.DataFrame({"code": ["1", 2.5, None]})
    assert validate.to_numeric(frame, ["code"], allow_missing=True, **where)["code"].tolist()[:2] == [1.0, 2.5]
    with pytest.raises(errors.NonNumericValueError, match=rf"{WHERE_TEXT}, row 4: 1 value\(s\) are not numbers"):
        validate.to_numeric(frame, ["code"], **where)
    text = pd.DataFrame({"code": [1, "n/a"]})
    with pytest.raises(errors.NonNumericValueError, match=rf"{WHERE_TEXT}, row 3: .*first is 'n/a'"):
        validate.to_numeric(text, ["code"], allow_missing=True, **where)


def test_check_range() -> None:
    validate.check_range(pd.Series([0.0, 100.0, np.nan]), 0, 100, **WHERE)
    with pytest.raises(errors.ValueRangeError, match=rf"{WHERE_TEXT}, row 3: 1 value\(s\) outside 0\.\.100; .*101"):
        validate.check_range(pd.Series([50.0, 101.0]), 0, 100, **WHERE)


def test_check_sum_names_rows_codes_and_both_sides() -> None:
    frame = pd.DataFrame({"area": ["A", "B", "C"], "total": [3, 5, 7], "x": [1, 2, 3], "y": [2, 2, 4]})
    validate.check_sum(frame.iloc[[0, 2]], "total", ["x", "y"], key="area", **WHERE)
    with pytest.raises(errors.InconsistentTotalsError) as info:
        validate.check_sum(frame, "total", ["x", "y"], key="area", **WHERE)
    assert isinstance(info.value, errors.ValueRangeError)
    assert str(info.value).startswith(f"{WHERE_TEXT}, row 3: 1 row(s) where the 2 parts do not sum to the total: ")
    assert "row 3 B (total 5, parts 4)" in str(info.value)


def test_check_row_count() -> None:
    validate.check_row_count(pd.DataFrame({"a": [1, 2]}), 2, path="a.csv")
    with pytest.raises(errors.RowCountError, match=r"file 'a\.csv', sheet 'Data': found 2 rows, .* has 3"):
        validate.check_row_count(pd.DataFrame({"a": [1, 2]}), 3, path="a.csv", sheet="Data")


# --- geometry checks -----------------------------------------------------------------------------------------


def test_check_geometries() -> None:
    ids = pd.Series(["a", "b"])
    polygons = gpd.GeoSeries([box(0, 0, 1, 1), Point(0, 0).buffer(1)])
    validate.check_geometries(polygons, ids, ["Polygon"], path=Path("x.shp"), fix="f")
    with pytest.raises(errors.InvalidGeometryError, match=r"file 'x\.shp', row 2: .*null or empty.*osm_id 'b'"):
        validate.check_geometries(
            gpd.GeoSeries([Point(0, 0), None]), ids, ["Point"], path=Path("x.shp"), label="osm_id ", fix="f"
        )
    with pytest.raises(errors.InvalidGeometryError, match=r"row 2: 1 feature\(s\) are not Point; .*'b' \(LineString\)"):
        validate.check_geometries(
            gpd.GeoSeries([Point(0, 0), LineString([(0, 0), (1, 1)])]), ids, ["Point"], path=Path("x.shp"), fix="f"
        )


def test_check_within() -> None:
    ids = pd.Series(["a", "b"])
    geoms = gpd.GeoSeries([box(0, 0, 1, 1), box(5, 5, 20, 6)])
    validate.check_within(geoms.iloc[:1], ids, (0, 0, 10, 10), path=Path("x.shp"), what="the box")
    outside = r"row 2: .*outside the box \(0, 0, 10, 10\); first is 'b' with bounds \(5, 5, 20, 6\)"
    with pytest.raises(errors.InvalidGeometryError, match=outside):
        validate.check_within(geoms, ids, (0, 0, 10, 10), path=Path("x.shp"), what="the box")
    with pytest.raises(errors.ValueRangeError, match=r"file 'x\.shp', row 2"):
        validate.check_within(
            geoms, ids, (0, 0, 10, 10), path=Path("x.shp"), what="the box", error=errors.ValueRangeError
        )
