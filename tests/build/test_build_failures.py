"""A failed build leaves the previous database unchanged: builds from our synthetic raw folder, broken one way each."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from openpyxl import Workbook

from cohesion_metrics import errors
from cohesion_metrics.build.pipeline import build_database
from cohesion_metrics.metadata.catalogue import SOURCES

FILE_1_HEADER = [
    "LSOA code (2011)",
    "LSOA name (2011)",
    "Local Authority District code (2019)",
    "Local Authority District name (2019)",
    "Index of Multiple Deprivation (IMD) Rank",
    "Index of Multiple Deprivation (IMD) Decile",
]
FILE_1_ROW: list[object] = ["E01000001", "City of London 001A", "E09000001", "City of London", 29199, 9]


def _synthetic_raw(fixtures: Path, dest: Path) -> Path:
    """A copy of tests/fixtures, our files in the official layouts (4 LSOAs in 2 boroughs) for the sources the
    build reads first; every other catalogued file is an empty placeholder, which these builds never reach."""
    shutil.copytree(fixtures, dest)
    for source in SOURCES:
        for f in source.files:
            path = dest / source.folder / f.name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.touch()
    return dest


def _replace_file_1(raw: Path, sheet: str, header: list[str]) -> None:
    """Swap IoD2019 File 1 (the first file the build reads) for a one-row workbook."""
    book = Workbook()
    assert book.active is not None
    book.active.title = sheet
    book.active.append(header)
    book.active.append(FILE_1_ROW)
    book.save(raw / "iod2019" / "File_1_-_IMD2019_Index_of_Multiple_Deprivation.xlsx")


@pytest.mark.parametrize(
    "case", ["missing_file", "truncated_shapefile", "wrong_sheet", "renamed_column", "truncated_workbook"]
)
def test_failed_build_leaves_database_unchanged(case: str, fixtures_dir: Path, tmp_path: Path) -> None:
    target = tmp_path / "cohesion.duckdb"
    target.write_bytes(b"previous database")
    raw = _synthetic_raw(fixtures_dir, tmp_path / "raw")
    check_counts = False  # the fixtures hold a handful of rows, not the published counts
    if case == "missing_file":
        shutil.rmtree(raw / "iod2025")
        (raw / "iod2025").mkdir()
        expected: type[Exception] = errors.MissingSourceFileError
        names = "iod2025_mhclg"
    elif case == "truncated_shapefile":
        shp = raw / "london_statistical_gis_boundaries" / "ESRI" / "London_Borough_Excluding_MHW.shp"
        shp.write_bytes(shp.read_bytes()[: shp.stat().st_size // 2])
        expected = errors.CorruptFileError
        names = shp.name  # not a placeholder: the build read our IoD fixtures before it
    elif case == "wrong_sheet":
        _replace_file_1(raw, "Sheet1", FILE_1_HEADER)
        expected = errors.SheetNotFoundError
        names = "File_1_"
    elif case == "renamed_column":
        _replace_file_1(raw, "IMD2019", ["LSOA code", *FILE_1_HEADER[1:]])
        expected = errors.ColumnMismatchError
        names = "File_1_"
    else:
        _replace_file_1(raw, "IMD2019", FILE_1_HEADER)
        check_counts = True  # a build checks the published counts: one row is not England's 32,844
        expected = errors.RowCountError  # the 2021-code and duplicate checks are tested on the loaders
        names = "File_1_"
    with pytest.raises(expected, match=names):
        build_database(raw, target, log=lambda _: None, check_counts=check_counts)
    assert target.read_bytes() == b"previous database"
    assert not (tmp_path / "cohesion.duckdb.tmp").exists()
