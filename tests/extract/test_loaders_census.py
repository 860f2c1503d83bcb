"""Census 2021 Nomis bulk CSVs: tiny files in the published layout, bad inputs, and the real release."""

from __future__ import annotations

import csv
from pathlib import Path

import pandas as pd
import pytest

from cohesion_metrics import errors
from cohesion_metrics.extract.loaders.census import load_census2021_lsoa, load_census2021_ts021_msoa
from cohesion_metrics.extract.loaders.census_tables import LSOA_TABLES, TS021_MSOA, check_numerator

# Three LSOAs (two English, one Welsh) with hand-made counts that satisfy every published sum.
CODES = [("E01000001", "City of London 001A"), ("E01035000", "Camden 030F"), ("W01000001", "Isle of Anglesey 001A")]
VALUES: dict[str, list[list[float]]] = {
    # total, Europe, UK, EU, EU14, EU8, EU2, other EU, non-EU, other non-EU, Africa, ME&Asia, Americas, Oceania, BOT
    "ts004": [
        [100, 80, 60, 15, 8, 4, 2, 1, 5, 5, 6, 7, 4, 2, 1],
        [50, 50, 50, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0],
        [10, 9, 8, 1, 1, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0],
    ],
    "ts006": [[5432.9], [12000.5], [80.1]],
    # total, then 18 bands 0-4 .. 85+ (the last five are 65+)
    "ts007a": [
        [190, *[10] * 13, 11, 12, 13, 14, 10],
        [18, *[1] * 18],
        [36, *[2] * 18],
    ],
    "ts037": [[20, 8, 6, 3, 2, 1], [10, 5, 5, 0, 0, 0], [5, 1, 1, 1, 1, 1]],
    "ts065": [[9, 2, 3, 4], [3, 1, 1, 1], [0, 0, 0, 0]],
    "ts067": [[70, 10, 10, 10, 10, 10, 10, 10], [7, 1, 1, 1, 1, 1, 1, 1], [1, 1, 0, 0, 0, 0, 0, 0]],
    # total, one person (subtotal), one person 66+, one person other, single family, other household types
    "ts003": [[10, 4, 1, 3, 5, 1], [6, 2, 2, 0, 3, 1], [3, 1, 0, 1, 1, 1]],
    "ts011": [[10, 4, 3, 2, 1, 0], [5, 5, 0, 0, 0, 0], [4, 1, 1, 1, 1, 0]],
    "ts019": [[20, 15, 1, 3, 1], [10, 10, 0, 0, 0], [5, 4, 0, 1, 0]],
    "ts025": [[10, 6, 2, 1, 1], [5, 5, 0, 0, 0], [4, 2, 1, 0, 1]],
    # total 3+, main English, main not English (subtotal), very well, well, cannot well, cannot
    "ts029": [[20, 12, 8, 3, 2, 2, 1], [10, 10, 0, 0, 0, 0, 0], [6, 4, 2, 1, 0, 1, 0]],
    # total, disabled (subtotal), a lot, a little, not disabled (subtotal), condition not limiting, no condition
    "ts038": [[20, 5, 2, 3, 15, 4, 11], [10, 1, 1, 0, 9, 0, 9], [5, 2, 1, 1, 3, 1, 2]],
    # total 5+, none, 19h or less (subtotal), 9h or less, 10-19h, 20-49h (subtotal), 20-34h, 35-49h, 50h+
    "ts039": [[20, 14, 3, 2, 1, 2, 1, 1, 1], [10, 10, 0, 0, 0, 0, 0, 0, 0], [6, 3, 1, 1, 0, 1, 0, 1, 1]],
    "ts052": [[10, 2, 3, 3, 1, 1], [5, 1, 1, 1, 1, 1], [4, 4, 0, 0, 0, 0]],
}
# Nomis quotes every field in TS004/TS006 and TS003/TS011/TS019 (whose headers end in "; measures: Value"), and
# nothing in the other files; we write them the same way.
QUOTED = {"ts004", "ts006", "ts003", "ts011", "ts019"}


def write_nomis(folder: Path, file: str, columns: list[str], rows: list[list[object]], *, quoted: bool) -> Path:
    """Write a CSV in the Nomis bulk layout: date, geography, geography code, then the published columns."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / file
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, quoting=csv.QUOTE_NONNUMERIC if quoted else csv.QUOTE_MINIMAL)
        writer.writerow(["date", "geography", "geography code", *columns])
        writer.writerows(rows)
    return path


def nomis_rows(key: str, year: int = 2021) -> list[list[object]]:
    """The rows of table `key` for CODES: date, geography, geography code, then VALUES."""
    return [[year, name, code, *values] for (code, name), values in zip(CODES, VALUES[key], strict=True)]


def write_lsoa_tables(folder: Path, overrides: dict[str, list[list[object]]] | None = None) -> Path:
    for key, spec in LSOA_TABLES.items():
        rows = (overrides or {}).get(key) or nomis_rows(key)
        write_nomis(folder, spec.file, list(spec.columns), rows, quoted=key in QUOTED)
    return folder


@pytest.fixture
def lsoa_folder(tmp_path: Path) -> Path:
    return write_lsoa_tables(tmp_path / "census2021_nomis_lsoa")


def test_loads_every_table_with_tidy_columns(lsoa_folder: Path) -> None:
    tables = load_census2021_lsoa(lsoa_folder, check_counts=False)
    assert set(tables) == {"ts004", "ts006", "ts007a", "ts037", "ts065", "ts067"} | {
        f"ts0{n}" for n in ("03", "11", "19", "25", "29", "38", "39", "52")
    }
    for frame in tables.values():
        assert frame["lsoa21_code"].tolist() == [c for c, _ in CODES]
        assert frame["lsoa21_name"].iloc[1] == "Camden 030F"
    ts004 = tables["ts004"]
    assert ts004.columns[:4].tolist() == ["lsoa21_code", "lsoa21_name", "residents_total", "born_europe"]
    assert ts004["born_uk"].tolist() == [60, 50, 8]
    assert ts004["born_outside_uk"].tolist() == [40, 0, 2]  # 100-60, 50-50, 10-8
    assert ts004["born_british_overseas"].tolist() == [1, 0, 0]
    assert ts004["residents_total"].dtype == "int64"
    assert tables["ts006"]["persons_per_km2"].tolist() == [5432.9, 12000.5, 80.1]
    ts007a = tables["ts007a"]
    assert ts007a["aged_65_plus"].tolist() == [60, 5, 10]  # 11+12+13+14+10, 5*1, 5*2
    assert ts007a["aged_0_4"].tolist() == [10, 1, 2]
    assert ts007a["aged_85_plus"].tolist() == [10, 1, 2]
    assert tables["ts037"]["health_very_bad"].tolist() == [1, 0, 1]
    assert tables["ts065"]["not_in_employment_never_worked"].tolist() == [4, 1, 0]
    assert tables["ts067"]["qual_level4_plus"].tolist() == [10, 1, 0]


def test_welsh_lsoas_are_kept(lsoa_folder: Path) -> None:
    tables = load_census2021_lsoa(lsoa_folder, check_counts=False)
    assert "W01000001" in set(tables["ts037"]["lsoa21_code"])


def test_parts_not_summing_to_total_names_file_column_row_and_code(tmp_path: Path) -> None:
    bad = nomis_rows("ts037")
    bad[1][3] = 11  # total 11, parts sum to 10
    folder = write_lsoa_tables(tmp_path, {"ts037": bad})
    with pytest.raises(errors.ValueRangeError) as info:
        load_census2021_lsoa(folder, check_counts=False)
    message = str(info.value)
    assert "census2021-ts037-lsoa.csv" in message
    assert "General health: Total: All usual residents" in message
    assert "row 3" in message
    assert "E01035000 (total 11, parts 10)" in message


def test_missing_file(lsoa_folder: Path) -> None:
    (lsoa_folder / "census2021-ts065-lsoa.csv").unlink()
    with pytest.raises(errors.MissingSourceFileError, match=r"census2021-ts065-lsoa\.csv"):
        load_census2021_lsoa(lsoa_folder, check_counts=False)


def test_renamed_column_is_named(tmp_path: Path) -> None:
    spec = LSOA_TABLES["ts067"]
    columns = [c.replace("No qualifications", "No qualification") for c in spec.columns]
    folder = write_lsoa_tables(tmp_path)
    rows = nomis_rows("ts067")
    write_nomis(folder, spec.file, columns, rows, quoted=False)
    with pytest.raises(errors.ColumnMismatchError) as info:
        load_census2021_lsoa(folder, check_counts=False)
    assert "census2021-ts067-lsoa.csv" in str(info.value)
    assert "'Highest level of qualification: No qualifications'" in str(info.value)


def test_non_numeric_value_names_column_and_row(tmp_path: Path) -> None:
    rows = nomis_rows("ts006")
    rows[2][3] = "c"  # a suppression-style marker Nomis does not use
    folder = write_lsoa_tables(tmp_path, {"ts006": rows})
    with pytest.raises(errors.NonNumericValueError) as info:
        load_census2021_lsoa(folder, check_counts=False)
    message = str(info.value)
    assert "census2021-ts006-lsoa.csv" in message
    assert "Population Density: Persons per square kilometre; measures: Value" in message
    assert "row 4" in message


def test_duplicate_code(tmp_path: Path) -> None:
    rows = nomis_rows("ts004")
    rows[2][2] = "E01000001"
    folder = write_lsoa_tables(tmp_path, {"ts004": rows})
    with pytest.raises(errors.DuplicateCodeError) as info:
        load_census2021_lsoa(folder, check_counts=False)
    assert "census2021-ts004-lsoa.csv" in str(info.value)
    assert "column 'geography code', row 4" in str(info.value)


def test_msoa_code_in_lsoa_file(tmp_path: Path) -> None:
    rows = nomis_rows("ts037")
    rows[0][2] = "E02000001"
    folder = write_lsoa_tables(tmp_path, {"ts037": rows})
    with pytest.raises(errors.CodeFormatError, match=r"ts037-lsoa\.csv.*column 'geography code', row 2"):
        load_census2021_lsoa(folder, check_counts=False)


def test_wrong_census_year(tmp_path: Path) -> None:
    rows = nomis_rows("ts065", year=2011)
    folder = write_lsoa_tables(tmp_path, {"ts065": rows})
    with pytest.raises(errors.CodeVintageError, match=r"ts065-lsoa\.csv.*column 'date', row 2"):
        load_census2021_lsoa(folder, check_counts=False)


def test_tables_covering_different_lsoas(tmp_path: Path) -> None:
    rows = nomis_rows("ts067")
    rows[1][2] = "E01035001"
    folder = write_lsoa_tables(tmp_path, {"ts067": rows})
    with pytest.raises(errors.CodeVintageError, match=r"ts067-lsoa\.csv.*E01035000"):
        load_census2021_lsoa(folder, check_counts=False)


def test_row_count_is_checked(lsoa_folder: Path) -> None:
    with pytest.raises(errors.RowCountError, match=r"found 3 rows, the published release has 35672"):
        load_census2021_lsoa(lsoa_folder)


_E = "Ethnic group: "
_A, _B, _M, _W, _O = (
    "Asian, Asian British or Asian Welsh",
    "Black, Black British, Black Welsh, Caribbean or African",
    "Mixed or Multiple ethnic groups",
    "White",
    "Other ethnic group",
)
# The full published TS021 header: each broad group followed by its sub-groups.
TS021_COLUMNS = [
    f"{_E}Total: All usual residents",
    f"{_E}{_A}",
    *(f"{_E}{_A}: {s}" for s in ("Bangladeshi", "Chinese", "Indian", "Pakistani", "Other Asian")),
    f"{_E}{_B}",
    *(f"{_E}{_B}: {s}" for s in ("African", "Caribbean", "Other Black")),
    f"{_E}{_M}",
    *(
        f"{_E}{_M}: {s}"
        for s in (
            "White and Asian",
            "White and Black African",
            "White and Black Caribbean",
            "Other Mixed or Multiple ethnic groups",
        )
    ),
    f"{_E}{_W}",
    *(
        f"{_E}{_W}: {s}"
        for s in (
            "English, Welsh, Scottish, Northern Irish or British",
            "Irish",
            "Gypsy or Irish Traveller",
            "Roma",
            "Other White",
        )
    ),
    f"{_E}{_O}",
    *(f"{_E}{_O}: {s}" for s in ("Arab", "Any other ethnic group")),
]
WHITE = 19  # position of the broad White column in a row (3 id columns + 16)


def ts021_rows() -> list[list[object]]:
    # total | Asian + 5 | Black + 3 | Mixed + 4 | White + 5 | Other + 2
    return [
        [2021, "City of London 001", "E02000001", 100, 20, 4, 4, 4, 4, 4, 10, 5, 3, 2, 5, 2, 1, 1, 1,
         60, 50, 4, 1, 1, 4, 5, 2, 3],
        [2021, "Cardiff 001", "W02000001", 50, 5, 1, 1, 1, 1, 1, 5, 3, 1, 1, 5, 1, 1, 2, 1,
         30, 26, 1, 1, 1, 1, 5, 4, 1],
    ]  # fmt: skip


def test_ts021_broad_groups(tmp_path: Path) -> None:
    write_nomis(tmp_path, TS021_MSOA.file, TS021_COLUMNS, ts021_rows(), quoted=False)
    frame = load_census2021_ts021_msoa(tmp_path, check_counts=False)["ts021"]
    assert frame.columns.tolist() == [
        "msoa21_code",
        "msoa21_name",
        "residents_total",
        "ethnic_asian",
        "ethnic_black",
        "ethnic_mixed",
        "ethnic_white",
        "ethnic_other",
    ]
    assert frame["ethnic_white"].tolist() == [60, 30]
    assert frame["msoa21_code"].tolist() == ["E02000001", "W02000001"]


def test_ts021_groups_must_sum_to_total(tmp_path: Path) -> None:
    rows = ts021_rows()
    rows[1][WHITE] = 31
    write_nomis(tmp_path, TS021_MSOA.file, TS021_COLUMNS, rows, quoted=False)
    with pytest.raises(errors.ValueRangeError) as info:
        load_census2021_ts021_msoa(tmp_path, check_counts=False)
    assert "census2021-ts021-msoa.csv" in str(info.value)
    assert "Ethnic group: Total: All usual residents" in str(info.value)
    assert "row 3" in str(info.value)


def test_ts021_rejects_lsoa_codes(tmp_path: Path) -> None:
    rows = ts021_rows()
    rows[0][2] = "E01000001"
    write_nomis(tmp_path, TS021_MSOA.file, TS021_COLUMNS, rows, quoted=False)
    with pytest.raises(errors.CodeFormatError, match="msoa21 codes"):
        load_census2021_ts021_msoa(tmp_path, check_counts=False)


# --- real data ---------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def real_lsoa(shared_data: Path) -> dict[str, pd.DataFrame]:
    return load_census2021_lsoa(shared_data / "census2021_nomis_lsoa")


@pytest.mark.real_data
def test_real_lsoa_tables_have_every_england_and_wales_lsoa(real_lsoa: dict[str, pd.DataFrame]) -> None:
    for frame in real_lsoa.values():
        assert len(frame) == 35_672
        assert frame["lsoa21_code"].str[:3].value_counts().to_dict() == {"E01": 33_755, "W01": 1_917}


@pytest.mark.real_data
def test_real_lsoa_values_hand_checked(real_lsoa: dict[str, pd.DataFrame]) -> None:
    ts007a = real_lsoa["ts007a"].set_index("lsoa21_code")
    # City of London 001A: 65-69 119, 70-74 102, 75-79 57, 80-84 57, 85+ 35.
    assert ts007a.loc["E01000001", "residents_total"] == 1473
    assert ts007a.loc["E01000001", "aged_65_plus"] == 370
    ts004 = real_lsoa["ts004"].set_index("lsoa21_code")
    # Hartlepool 001A: total 2283, born in the UK 2232.
    assert ts004.loc["E01011954", "born_outside_uk"] == 51
    assert real_lsoa["ts006"].set_index("lsoa21_code").loc["E01011954", "persons_per_km2"] == 5432.9


@pytest.mark.real_data
def test_real_lsoa_tables_cover_the_4994_london_lsoas(
    real_lsoa: dict[str, pd.DataFrame], real_lsoa21_ward23: pd.DataFrame
) -> None:
    lookup = real_lsoa21_ward23  # London rows of the ONS LSOA 2021 -> ward -> LAD lookup
    london = set(lookup.loc[lookup["lad23_code"].str.startswith("E09"), "lsoa21_code"])
    assert len(london) == 4_994
    assert london <= set(real_lsoa["ts067"]["lsoa21_code"])


@pytest.mark.real_data
def test_real_ts021_msoa(shared_data: Path) -> None:
    frame = load_census2021_ts021_msoa(shared_data / "census2021_nomis_msoa")["ts021"]
    assert len(frame) == 7_264
    city = frame.set_index("msoa21_code").loc["E02000001"]
    assert (city["residents_total"], city["ethnic_white"], city["ethnic_asian"]) == (8584, 5955, 1445)


def test_new_tables_keep_their_own_totals_and_parts(lsoa_folder: Path) -> None:
    tables = load_census2021_lsoa(lsoa_folder, check_counts=False)
    assert tables["ts003"]["one_person_66_plus"].tolist() == [1, 2, 0]
    assert tables["ts011"]["households_total"].tolist() == [10, 5, 4]
    assert tables["ts019"]["residents_1_plus_total"].tolist() == [20, 10, 5]
    assert tables["ts029"]["cannot_speak_english_well"].tolist() == [2, 0, 1]
    assert tables["ts038"]["disabled"].tolist() == [5, 1, 2]  # the subtotal, kept beside its parts
    assert tables["ts039"]["care_50h_plus"].tolist() == [1, 0, 1]
    assert tables["ts052"]["occupancy_minus2"].tolist() == [1, 1, 0]


def test_census_total_column_missing_is_named(tmp_path: Path) -> None:
    spec = LSOA_TABLES["ts039"]
    folder = write_lsoa_tables(tmp_path)
    columns, rows = list(spec.columns)[1:], [r[:3] + r[4:] for r in nomis_rows("ts039")]
    write_nomis(folder, spec.file, columns, rows, quoted=False)
    with pytest.raises(errors.ColumnMismatchError) as info:
        load_census2021_lsoa(folder, check_counts=False)
    assert "census2021-ts039-lsoa.csv" in str(info.value)
    assert "Provision of unpaid care: Total: All usual residents aged 5 and over" in str(info.value)


def test_subtotal_that_differs_from_its_parts_names_row(tmp_path: Path) -> None:
    rows = nomis_rows("ts038")
    rows[1][4] = 2  # "Disabled under the Equality Act" 2, but its parts are 1 + 0 (and the total no longer adds up)
    folder = write_lsoa_tables(tmp_path, {"ts038": rows})
    with pytest.raises(errors.InconsistentTotalsError) as info:
        load_census2021_lsoa(folder, check_counts=False)
    assert "census2021-ts038-lsoa.csv" in str(info.value) and "row 3" in str(info.value)


def test_numerator_summing_a_subtotal_with_its_part_is_a_named_error() -> None:
    check_numerator("ts038", ("disabled_limited_a_lot", "disabled_limited_a_little"), indicator="ok")
    check_numerator("ts039", ("care_20_49h", "care_50h_plus"), indicator="ok")  # siblings, not parts
    with pytest.raises(errors.SubtotalDoubleCountError, match=r"subtotal 'disabled'.*disabled_limited_a_lot"):
        check_numerator("ts038", ("disabled", "disabled_limited_a_lot"), indicator="bad")
    with pytest.raises(errors.SubtotalDoubleCountError, match=r"care_35_49h"):  # a part two levels down
        check_numerator("ts039", ("care_35_49h", "care_20_49h"), indicator="bad")
    with pytest.raises(errors.SubtotalDoubleCountError, match=r"census2021-ts029-lsoa\.csv.*does not have"):
        check_numerator("ts029", ("no_such_column",), indicator="bad")


def test_no_registry_rate_sums_a_subtotal_with_its_own_parts() -> None:
    from cohesion_metrics.metadata.indicators import INDICATORS

    rates = [i for i in INDICATORS if i.numerator]
    assert len(rates) >= 10
    for ind in rates:
        assert ind.table is not None
        check_numerator(ind.table, ind.numerator, indicator=ind.id)
