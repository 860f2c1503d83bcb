"""GLA Borough Profiles and Ward Profiles: tiny workbooks in the published layout, bad inputs, real files."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from cohesion_metrics import errors
from cohesion_metrics.extract.loaders.profiles import (
    BOROUGH_COLUMNS,
    BOROUGH_FILE,
    WARD_COLUMNS,
    WARD_FILE,
    load_borough_profiles,
    load_ward_profiles,
)

TIDY_TO_BOROUGH = {tidy: published for published, tidy in BOROUGH_COLUMNS.items()}
TIDY_TO_WARD = {tidy: published for published, tidy in WARD_COLUMNS.items()}


def write_workbook(path: Path, sheets: dict[str, list[list[object]]]) -> Path:
    """Write an .xlsx with the given sheets (rows of cells). None is an empty cell."""
    book = openpyxl.Workbook()
    book.remove(book.active)
    for name, rows in sheets.items():
        sheet = book.create_sheet(name)
        for row in rows:
            sheet.append(row)
    path.parent.mkdir(parents=True, exist_ok=True)
    book.save(path)
    return path


# --- borough profiles --------------------------------------------------------------------------------------

BOROUGH_HEADER = [
    "Code",
    "New code",
    "Area_name",
    "Inner/ Outer London",
    *BOROUGH_COLUMNS,
    "Political control in council",
]


def borough_row(code: object, new_code: object, name: str, **values: object) -> list[object]:
    """One `Data` row; every indicator is 10 unless given by tidy name."""
    cells = [values.get(tidy, 10.0) for tidy in BOROUGH_COLUMNS.values()]
    return [code, new_code, name, "Outer London", *cells, "Lab"]


def borough_rows() -> list[list[object]]:
    return [
        BOROUGH_HEADER,
        borough_row(
            "E09000001",
            "E09000001",
            "City of London",
            population_2017=8800,
            pct_born_abroad_2015=".",
            pct_adults_volunteered_2010_13=".",
            turnout_2014_local_elections_pct=".",
            life_satisfaction_2011_14=6.59,
        ),
        borough_row(
            "E09000003",
            "E09000003",
            "Barnet",
            population_2017=389600,
            pct_born_abroad_2015=35.2,
            turnout_2014_local_elections_pct=40.48,
            life_satisfaction_2011_14=7.48,
        ),
        borough_row("#3", "E12000007", "London", population_2017=8835500, turnout_2014_local_elections_pct=38.87),
        borough_row("#4", "E92000001", "England", turnout_2014_local_elections_pct="."),
        borough_row(None, None, "National comparator"),
    ]


def write_borough_profiles(folder: Path, rows: list[list[object]] | None = None, sheet: str = "Data") -> Path:
    write_workbook(folder / BOROUGH_FILE, {"Profiles": [["London Borough Profiles"]], sheet: rows or borough_rows()})
    return folder


def test_borough_profiles_tidy_columns_and_markers(tmp_path: Path) -> None:
    tables = load_borough_profiles(write_borough_profiles(tmp_path), check_counts=False)
    boroughs = tables["boroughs"].set_index("borough_code")
    assert boroughs.index.tolist() == ["E09000001", "E09000003"]
    assert boroughs.loc["E09000003", "borough_name"] == "Barnet"
    assert boroughs.loc["E09000003", "population_2017"] == 389600
    assert boroughs.loc["E09000003", "pct_born_abroad_2015"] == 35.2
    assert boroughs.loc["E09000003", "turnout_2014_local_elections_pct"] == 40.48
    # "." is the published "not available" marker.
    city = boroughs.loc["E09000001"]
    assert pd.isna(city["pct_born_abroad_2015"])
    assert pd.isna(city["pct_adults_volunteered_2010_13"])
    assert city["life_satisfaction_2011_14"] == 6.59
    for tidy in (
        "pct_main_language_not_english_2011",
        "worthwhileness_2011_14",
        "happiness_2011_14",
        "anxiety_2011_14",
        "crime_rate_per_1000_2014_15",
    ):
        assert tidy in boroughs.columns


def test_borough_profiles_comparators_are_london_and_england(tmp_path: Path) -> None:
    comparators = load_borough_profiles(write_borough_profiles(tmp_path), check_counts=False)["comparators"]
    assert comparators["area_code"].tolist() == ["E12000007", "E92000001"]
    assert comparators["area_name"].tolist() == ["London", "England"]
    assert comparators["turnout_2014_local_elections_pct"].iloc[0] == 38.87
    assert pd.isna(comparators["turnout_2014_local_elections_pct"].iloc[1])


def test_borough_profiles_other_text_is_an_error(tmp_path: Path) -> None:
    rows = borough_rows()
    rows[2][BOROUGH_HEADER.index(TIDY_TO_BOROUGH["crime_rate_per_1000_2014_15"])] = "n/a"
    with pytest.raises(errors.NonNumericValueError) as info:
        load_borough_profiles(write_borough_profiles(tmp_path, rows), check_counts=False)
    message = str(info.value)
    assert BOROUGH_FILE in message
    assert "sheet 'Data'" in message
    assert "column 'Crime rates per thousand population 2014/15'" in message
    assert "row 3" in message
    assert "'n/a'" in message


def test_borough_profiles_blank_cell_is_an_error(tmp_path: Path) -> None:
    rows = borough_rows()
    rows[1][BOROUGH_HEADER.index(TIDY_TO_BOROUGH["happiness_2011_14"])] = None
    with pytest.raises(errors.NonNumericValueError, match=r"column 'Happiness score 2011-14 \(out of 10\)', row 2"):
        load_borough_profiles(write_borough_profiles(tmp_path, rows), check_counts=False)


def test_borough_profiles_wrong_sheet(tmp_path: Path) -> None:
    with pytest.raises(errors.SheetNotFoundError) as info:
        load_borough_profiles(write_borough_profiles(tmp_path, sheet="Data 2017"), check_counts=False)
    assert BOROUGH_FILE in str(info.value)
    assert "sheet 'Data'" in str(info.value)


def test_borough_profiles_missing_file(tmp_path: Path) -> None:
    with pytest.raises(errors.MissingSourceFileError, match=BOROUGH_FILE):
        load_borough_profiles(tmp_path)


def test_borough_profiles_renamed_column(tmp_path: Path) -> None:
    rows = borough_rows()
    pos = BOROUGH_HEADER.index("Turnout at 2014 local elections")
    rows[0] = [*BOROUGH_HEADER[:pos], "Turnout at 2014 local election", *BOROUGH_HEADER[pos + 1 :]]
    with pytest.raises(errors.ColumnMismatchError) as info:
        load_borough_profiles(write_borough_profiles(tmp_path, rows), check_counts=False)
    assert "'Turnout at 2014 local elections' (found 'Turnout at 2014 local election' instead)" in str(info.value)
    assert BOROUGH_FILE in str(info.value)


def test_borough_profiles_duplicate_code(tmp_path: Path) -> None:
    rows = borough_rows()
    rows.insert(3, borough_row("E09000003", "E09000003", "Barnet"))
    with pytest.raises(errors.DuplicateCodeError, match=r"column 'New code', row 4"):
        load_borough_profiles(write_borough_profiles(tmp_path, rows), check_counts=False)


def test_borough_profiles_name_must_match_code(tmp_path: Path) -> None:
    rows = borough_rows()
    rows[2][2] = "Bexley"
    with pytest.raises(errors.CodeFormatError, match=r"'E09000003' does not belong to 'Bexley'"):
        load_borough_profiles(write_borough_profiles(tmp_path, rows), check_counts=False)


def test_borough_profiles_out_of_range_percentage(tmp_path: Path) -> None:
    rows = borough_rows()
    rows[2][BOROUGH_HEADER.index(TIDY_TO_BOROUGH["pct_born_abroad_2015"])] = 135.2
    with pytest.raises(errors.ValueRangeError, match=r"column '% of resident population born abroad \(2015\)', row 3"):
        load_borough_profiles(write_borough_profiles(tmp_path, rows), check_counts=False)


def test_borough_profiles_row_count(tmp_path: Path) -> None:
    with pytest.raises(errors.RowCountError, match="found 5 rows, the published release has 39"):
        load_borough_profiles(write_borough_profiles(tmp_path))


# --- ward profiles -----------------------------------------------------------------------------------------

WARD_HEADER = ["Ward name", "Old code", "New code", *WARD_COLUMNS]


def ward_row(name: str, old: object, new: object, **values: object) -> list[object]:
    cells = [values.get(tidy, 20.0) for tidy in WARD_COLUMNS.values()]
    return [name, old, new, *cells]


def ward_rows() -> list[list[object]]:
    return [
        WARD_HEADER,
        ward_row("City of London", "00AA", "E09000001", population_2015=8100, turnout_mayoral_2012_pct=48.52),
        ward_row("Barnet - Brunswick Park", "00ACGA", "E05000043", population_2015=17000, pct_open_space_2014=12.5),
        ward_row("Barnet - Childs Hill", "00ACGB", "E05000044", turnout_mayoral_2012_pct=33.1),
        # The borough summary block repeats the City with slightly different values.
        ward_row("City of London", "00AA", "E09000001", population_2015=8100, turnout_mayoral_2012_pct=99.0),
        ward_row("Barnet", "00AC", "E09000003", population_2015=393200),
        ward_row("London", "H", "E12000007"),
        ward_row("England", "921", "E92000001"),
        ["Source:", None, None, "GLA SHLAA Trend based Population Projection data, and Mid year estimates"],
    ]


def write_ward_profiles(folder: Path, rows: list[list[object]] | None = None) -> Path:
    # The published file is BIFF .xls; we cannot write BIFF, so we write .xlsx bytes under the published name.
    # calamine (source_files.read_sheet) detects the format from the bytes, so the loader path is the same.
    write_workbook(folder / WARD_FILE, {"Profiles": [["Ward Profiles"]], "Data": rows or ward_rows(), "Sheet4": []})
    return folder


def test_ward_profiles_ward_block_and_city(tmp_path: Path) -> None:
    wards = load_ward_profiles(write_ward_profiles(tmp_path), check_counts=False)["wards"]
    assert wards["ward_code"].tolist() == ["E09000001", "E05000043", "E05000044"]
    assert wards["ward_name"].tolist() == ["City of London", "Brunswick Park", "Childs Hill"]
    assert wards["borough_name"].tolist() == ["City of London", "Barnet", "Barnet"]
    assert wards["borough_code"].tolist() == ["E09000001", "E09000003", "E09000003"]
    # The City's ward row (first), not its borough-summary repeat.
    assert wards["turnout_mayoral_2012_pct"].tolist() == [48.52, 20.0, 33.1]
    assert wards["population_2015"].tolist() == [8100, 17000, 20.0]
    assert wards["pct_open_space_2014"].iloc[1] == 12.5
    assert "pct_no_one_english_first_language_2011" in wards.columns


def test_ward_profiles_blank_value_is_an_error(tmp_path: Path) -> None:
    rows = ward_rows()
    rows[3][WARD_HEADER.index(TIDY_TO_WARD["pct_open_space_2014"])] = None
    with pytest.raises(errors.NonNumericValueError) as info:
        load_ward_profiles(write_ward_profiles(tmp_path, rows), check_counts=False)
    message = str(info.value)
    assert WARD_FILE in message
    assert "column '% area that is open space - 2014', row 4" in message


def test_ward_profiles_name_without_borough(tmp_path: Path) -> None:
    rows = ward_rows()
    rows[2][0] = "Brunswick Park"
    with pytest.raises(errors.ColumnMismatchError, match=r"column 'Ward name', row 3"):
        load_ward_profiles(write_ward_profiles(tmp_path, rows), check_counts=False)


def test_ward_profiles_unknown_borough(tmp_path: Path) -> None:
    rows = ward_rows()
    rows[3][0] = "Barnett - Childs Hill"
    with pytest.raises(errors.UnknownBoroughError) as info:
        load_ward_profiles(write_ward_profiles(tmp_path, rows), check_counts=False)
    assert "column 'Ward name', row 4" in str(info.value)
    assert WARD_FILE in str(info.value)


def test_ward_profiles_duplicate_ward(tmp_path: Path) -> None:
    rows = ward_rows()
    rows[3][2] = "E05000043"
    with pytest.raises(errors.DuplicateCodeError, match=r"column 'New code', row 4"):
        load_ward_profiles(write_ward_profiles(tmp_path, rows), check_counts=False)


def test_ward_profiles_row_count(tmp_path: Path) -> None:
    with pytest.raises(errors.RowCountError, match="the published release has 661"):
        load_ward_profiles(write_ward_profiles(tmp_path))


# --- real data ---------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def real_boroughs(shared_data: Path) -> dict[str, pd.DataFrame]:
    return load_borough_profiles(shared_data / "london_borough_profiles")


@pytest.fixture(scope="module")
def real_wards(shared_data: Path) -> pd.DataFrame:
    return load_ward_profiles(shared_data / "london_ward_profiles")["wards"]


@pytest.mark.real_data
def test_real_borough_profiles(real_boroughs: dict[str, pd.DataFrame]) -> None:
    boroughs = real_boroughs["boroughs"].set_index("borough_code")
    assert len(boroughs) == 33
    assert boroughs.loc["E09000003", "population_2017"] == 389_600
    assert boroughs.loc["E09000001", "life_satisfaction_2011_14"] == 6.59
    # The City of London's "." cells.
    assert boroughs["turnout_2014_local_elections_pct"].isna().sum() == 1
    assert pd.isna(boroughs.loc["E09000001", "pct_adults_volunteered_2010_13"])
    assert boroughs["life_satisfaction_2011_14"].between(6.5, 8).all()
    assert boroughs.drop(index="E09000001")["turnout_2014_local_elections_pct"].between(25, 50).all()
    assert real_boroughs["comparators"]["area_code"].tolist() == ["E12000007", "E92000001"]


@pytest.mark.real_data
def test_real_ward_profiles(real_wards: pd.DataFrame) -> None:
    assert len(real_wards) == 625
    assert real_wards["ward_code"].str.startswith("E05").sum() == 624
    assert real_wards["borough_code"].nunique() == 33
    city = real_wards.set_index("ward_code").loc["E09000001"]
    assert city["ward_name"] == "City of London"
    assert city["population_2015"] == 8100
    assert real_wards["turnout_mayoral_2012_pct"].between(19, 52).all()
    assert real_wards["pct_open_space_2014"].between(0, 100).all()
    assert real_wards["pct_no_one_english_first_language_2011"].notna().all()
