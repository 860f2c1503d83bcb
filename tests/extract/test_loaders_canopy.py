"""GLA Curio Canopy CSV: a tiny file in the published layout, bad inputs, and the real file."""

from __future__ import annotations

from pathlib import Path

import pytest

from cohesion_metrics import errors
from cohesion_metrics.extract.loaders.canopy import FILE, area_weighted_canopy_pct, load_tree_canopy

HEADER = "lsoa_cd,lsoa_nm,lsoa_kmsq,canopy_kmsq,canopy_per,la_cd,la_nm"
ROWS = [
    "E01000001,City of London 001A,129865,7498.801,5.774,E09000001,City of London",
    "E01000115,Barnet 001A,200000,60000,30,E09000003,Barnet",
    "E01033583,Westminster 024E,70135,2501.199,3.566,E09000033,Westminster",
]


def write_canopy(folder: Path, rows: list[str] = ROWS, header: str = HEADER) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / FILE).write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
    return folder


def test_canopy_columns_units_and_values(tmp_path: Path) -> None:
    frame = load_tree_canopy(write_canopy(tmp_path), check_counts=False)["lsoa_canopy"]
    assert frame.columns.tolist() == [
        "lsoa11_code",
        "lsoa11_name",
        "borough_code",
        "area_m2",
        "canopy_m2",
        "canopy_pct",
    ]
    assert frame["area_m2"].tolist() == [129_865, 200_000, 70_135]
    assert frame["borough_code"].tolist() == ["E09000001", "E09000003", "E09000033"]
    assert frame["canopy_pct"].tolist() == [5.774, 30.0, 3.566]


def test_area_weighted_canopy_by_hand(tmp_path: Path) -> None:
    frame = load_tree_canopy(write_canopy(tmp_path), check_counts=False)["lsoa_canopy"]
    # (7,498.801 + 60,000 + 2,501.199) / (129,865 + 200,000 + 70,135) = 70,000 / 400,000
    assert area_weighted_canopy_pct(frame) == pytest.approx(17.5)


def test_areas_in_square_kilometres_are_caught(tmp_path: Path) -> None:
    rows = [*ROWS[:1], "E01000115,Barnet 001A,0.2,0.06,30,E09000003,Barnet", ROWS[2]]
    with pytest.raises(errors.ValueRangeError) as info:
        load_tree_canopy(write_canopy(tmp_path, rows), check_counts=False)
    assert FILE in str(info.value)
    assert "column 'lsoa_kmsq', row 3" in str(info.value)


def test_2021_lsoa_code_is_a_vintage_error(tmp_path: Path) -> None:
    rows = [*ROWS[:2], ROWS[2].replace("E01033583", "E01035000")]
    with pytest.raises(errors.CodeVintageError, match=r"column 'lsoa_cd', row 4"):
        load_tree_canopy(write_canopy(tmp_path, rows), check_counts=False)


def test_duplicate_lsoa(tmp_path: Path) -> None:
    rows = [*ROWS, ROWS[1]]
    with pytest.raises(errors.DuplicateCodeError, match=r"gla-canopy-lsoas\.csv', column 'lsoa_cd', row 5"):
        load_tree_canopy(write_canopy(tmp_path, rows), check_counts=False)


def test_renamed_column(tmp_path: Path) -> None:
    with pytest.raises(errors.ColumnMismatchError, match=r"'canopy_per' \(found 'canopy_pct' instead\)"):
        load_tree_canopy(write_canopy(tmp_path, header=HEADER.replace("canopy_per", "canopy_pct")), check_counts=False)


def test_non_numeric_canopy(tmp_path: Path) -> None:
    rows = [*ROWS[:2], ROWS[2].replace("2501.199", "n.a.")]
    with pytest.raises(errors.NonNumericValueError, match=r"column 'canopy_kmsq', row 4"):
        load_tree_canopy(write_canopy(tmp_path, rows), check_counts=False)


def test_published_percentage_must_match_areas(tmp_path: Path) -> None:
    rows = [*ROWS[:1], ROWS[1].replace(",30,", ",35,"), ROWS[2]]
    with pytest.raises(errors.ValueRangeError, match=r"column 'canopy_per', row 3"):
        load_tree_canopy(write_canopy(tmp_path, rows), check_counts=False)


def test_borough_name_must_match_code(tmp_path: Path) -> None:
    rows = [*ROWS[:1], ROWS[1].replace("E09000003", "E09000004"), ROWS[2]]
    with pytest.raises(errors.CodeFormatError, match=r"column 'la_cd', row 3"):
        load_tree_canopy(write_canopy(tmp_path, rows), check_counts=False)


def test_unknown_borough_name(tmp_path: Path) -> None:
    rows = [*ROWS[:1], ROWS[1].replace(",Barnet", ",Barnett"), ROWS[2]]
    with pytest.raises(errors.UnknownBoroughError, match=r"column 'la_nm', row 3"):
        load_tree_canopy(write_canopy(tmp_path, rows), check_counts=False)


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(errors.MissingSourceFileError, match=r"gla-canopy-lsoas\.csv"):
        load_tree_canopy(tmp_path)


def test_row_count(tmp_path: Path) -> None:
    with pytest.raises(errors.RowCountError, match="found 3 rows, the published release has 4835"):
        load_tree_canopy(write_canopy(tmp_path))


@pytest.mark.real_data
def test_real_canopy(shared_data: Path) -> None:
    frame = load_tree_canopy(shared_data / "gla_tree_canopy_lsoa")["lsoa_canopy"]
    assert len(frame) == 4_835
    assert frame["borough_code"].nunique() == 33
    assert frame.set_index("lsoa11_code").loc["E01000001", "area_m2"] == 129_865  # square metres
    assert round(area_weighted_canopy_pct(frame), 2) == 21.06  # SOURCES.md
