"""Tests for the IoD loaders: tiny workbooks in the published layouts (written here), bad inputs, and the real files."""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Callable
from pathlib import Path
from typing import Any

import openpyxl
import pandas as pd
import pytest

from cohesion_metrics import errors
from cohesion_metrics.extract.loaders import iod, iod_sheets

# ---------------------------------------------------------------------------------------------------------------------
# Published layouts (headers and sheet names exactly as in the official files, trailing spaces included)
# ---------------------------------------------------------------------------------------------------------------------

FILE1 = "File_1_-_IMD2019_Index_of_Multiple_Deprivation.xlsx"
FILE2 = "File_2_-_IoD2019_Domains_of_Deprivation.xlsx"
FILE10 = "File_10_-_IoD2019_Local_Authority_District_Summaries__lower-tier__.xlsx"
GLA = "ID 2019 for London.xlsx"
FILE1_25 = "File_1_IoD2025_Index_of_Multiple_Deprivation.xlsx"
FILE3_25 = "File_3_IoD2025_Supplementary_Indices_IDACI_and_IDAOPI.xlsx"

LAD19 = ["Local Authority District code (2019)", "Local Authority District name (2019)"]
AREA11 = ["LSOA code (2011)", "LSOA name (2011)", *LAD19]
LAD24 = ["Local Authority District code (2024)", "Local Authority District name (2024)"]
AREA21 = ["LSOA code (2021)", "LSOA name (2021)", *LAD24]

FILE1_HEADER = [*AREA11, "Index of Multiple Deprivation (IMD) Rank", "Index of Multiple Deprivation (IMD) Decile"]

DOMAIN_LABELS = [
    "Index of Multiple Deprivation (IMD)",
    "Income",
    "Employment",
    "Education, Skills and Training",
    "Health Deprivation and Disability",
    "Crime",
    "Barriers to Housing and Services",
    "Living Environment",
]
R = " Rank (where 1 is most deprived)"
D = " Decile (where 1 is most deprived 10% of LSOAs)"
FILE2_HEADER = [*AREA11, *(f"{label}{suffix}" for label in DOMAIN_LABELS for suffix in (R, D))]

GLA_SCORE_LABELS = {label: f"{label} Score" for label in DOMAIN_LABELS}
GLA_SCORE_LABELS["Income"] = "Income Score (rate)"
GLA_SCORE_LABELS["Employment"] = "Employment Score (rate)"
GLA_IMD_HEADER = [
    "geography code",  # as in the stored copy; the GLA original reads "LSOA code (2011)"
    *AREA11[1:],
    *(h for label in DOMAIN_LABELS for h in (GLA_SCORE_LABELS[label], label + R, label + D)),
]
SUBDOMAINS = [
    "Children and Young People",
    "Adult Skills",
    "Geographical Barriers",
    "Wider Barriers",
    "Indoors",
    "Outdoors",
]
GLA_SUB_HEADER = [*AREA11, *(f"{s} Sub-domain{x}" for s in SUBDOMAINS for x in (" Score", R, D))]
IDACI = "Income Deprivation Affecting Children Index (IDACI)"
IDAOPI = "Income Deprivation Affecting Older People (IDAOPI)"
GLA_IDACI_HEADER = [*AREA11, *(f"{s}{x}" for s in (IDACI, IDAOPI) for x in (" Score (rate)", R, D))]
GLA_POP_HEADER = [
    *AREA11,
    "Total population: mid 2015 (excluding prisoners)",
    "Dependent Children aged 0-15: mid 2015 (excluding prisoners)",
    "Population aged 16-59: mid 2015 (excluding prisoners)",
    "Older population aged 60 and over: mid 2015 (excluding prisoners)",
    "Working age population 18-59/64: for use with Employment Deprivation Domain (excluding prisoners) ",
]
GLA_UNDERLYING_HEADER = [
    *AREA11,
    "Income Domain numerator",
    "Income Deprivation Affecting Children Index (IDACI) numerator",
    "Income Deprivation Affecting Older People Index (IDAOPI) numerator",
    "Employment Domain numerator",
    "Staying on in education post 16 indicator",
    "Entry to higher education indicator",
    "Adult skills and English language proficiency indicator",
    "Years of potential life lost indicator",
    "Comparative illness and disability ratio indicator",
    "Acute morbidity indicator",
    "Mood and anxiety disorders indicator",
    "Road distance to a post office indicator (km)",
    "Road distance to a primary school indicator (km)",
    "Road distance to general store or supermarket indicator (km)",
    "Road distance to a GP surgery indicator (km)",
    "Household overcrowding indicator",
    "Homelessness indicator (rate per 1000 households)",
    "Owner-occupation affordability (component of housing affordability indicator)",
    "Private rental affordability (component of housing affordability indicator)",
    "Housing affordability indicator",
    "Housing in poor condition indicator",
    "Houses without central heating indicator",
    "Road traffic accidents indicator",
    "Nitrogen dioxide (component of air quality indicator)",
    "Benzene (component of air quality indicator)",
    "Sulphur dioxide (component of air quality indicator)",
    "Particulates (component of air quality indicator)",
    "Air quality indicator",
]
F10_IMD_HEADER = [
    *LAD19,
    "IMD - Average rank ",
    "IMD - Rank of average rank ",
    "IMD - Average score ",
    "IMD - Rank of average score ",
    "IMD - Proportion of LSOAs in most deprived 10% nationally ",
    "IMD - Rank of proportion of LSOAs in most deprived 10% nationally ",
    "IMD 2019 - Extent ",
    "IMD 2019 - Rank of extent ",
    "IMD 2019 - Local concentration ",
    "IMD 2019 - Rank of local concentration ",
]


def _f10_domain(label: str, prop_end: str = " ") -> list[str]:
    return [
        *LAD19,
        f"{label} - Average rank ",
        f"{label} - Rank of average rank ",
        f"{label} - Average score ",
        f"{label} - Rank of average score ",
        f"{label} - Proportion of LSOAs in most deprived 10% nationally{prop_end}",
        f"{label} - Rank of proportion of LSOAs in most deprived 10% nationally{prop_end}",
    ]


F10_DOMAIN_HEADERS = {
    "Income": [*_f10_domain("Income"), "Income scale", "Rank of Income Scale"],
    "Employment": [*_f10_domain("Employment"), "Employment scale ", "Rank of Employment Scale"],
    "Education": _f10_domain("Education, Skills and Training", prop_end=""),
    "Health": _f10_domain("Health Deprivation and Disability"),
    "Crime": _f10_domain("Crime"),
    "Barriers": _f10_domain("Barriers to Housing and Services"),
    "Living": _f10_domain("Living Environment"),
    "IDACI": _f10_domain("IDACI"),
    "IDAOPI": _f10_domain("IDAOPI"),
}
FILE1_25_HEADER = [
    *AREA21,
    "Index of Multiple Deprivation (IMD) Rank (where 1 is most deprived)",
    "Index of Multiple Deprivation (IMD) Decile (where 1 is most deprived 10% of LSOA",  # cut short as published
]
FILE3_25_HEADER = [*AREA21, *(f"{s}{x}" for s in (DOMAIN_LABELS[0], IDACI, IDAOPI) for x in (R, D))]

# ---------------------------------------------------------------------------------------------------------------------
# Tiny fixture data: four London LSOAs in two boroughs and one LSOA outside London (national files only).
# Deciles follow the published rule decile = ceil(10 * rank / N).
# ---------------------------------------------------------------------------------------------------------------------

N11, N21 = 32_844, 33_755
LSOAS = [
    ("E01000001", "City of London 001A", "E09000001", "City of London"),
    ("E01000002", "City of London 001B", "E09000001", "City of London"),
    ("E01000027", "Barking and Dagenham 001A", "E09000002", "Barking and Dagenham"),
    ("E01000028", "Barking and Dagenham 001B", "E09000002", "Barking and Dagenham"),
]
ELSEWHERE = ("E01011949", "Hartlepool 001A", "E06000001", "Hartlepool")
RANKS = [100, 5_000, 20_000, 32_000]  # deciles 1, 2, 7, 10
ELSEWHERE_RANK = 3_285  # decile 2


def dec(rank: int, n: int = N11) -> int:
    return math.ceil(10 * rank / n)


Rows = list[list[Any]]


def write_book(path: Path, sheets: dict[str, Rows]) -> Path:
    """Write a workbook with a Notes sheet first, as the publishers do, then `sheets` (first row = header)."""
    book = openpyxl.Workbook()
    notes = book.active
    assert notes is not None
    notes.title = "Notes"
    notes.append(["Written by the test suite in the published layout."])
    for name, rows in sheets.items():
        sheet = book.create_sheet(name)
        for row in rows:
            sheet.append(row)
    book.save(path)
    return path


def file1_rows(national: bool = True) -> Rows:
    rows: Rows = [FILE1_HEADER]
    rows += [[*area, r, dec(r)] for area, r in zip(LSOAS, RANKS, strict=True)]
    if national:
        rows.append([*ELSEWHERE, ELSEWHERE_RANK, dec(ELSEWHERE_RANK)])
    return rows


def file2_rows() -> Rows:
    rows: Rows = [FILE2_HEADER]
    for k, (area, r) in enumerate([*zip(LSOAS, RANKS, strict=True), (ELSEWHERE, ELSEWHERE_RANK)]):
        ranks = [r if d == 0 else 1 + (r * (d + 1) + 7 * k) % N11 for d in range(8)]  # IMD rank first
        rows.append([*area, *(v for rk in ranks for v in (rk, dec(rk)))])
    return rows


def lad_rows(header: list[str], *, rows_per_lad: Callable[[int], list[Any]]) -> Rows:
    lads = [("E09000001", "City of London"), ("E09000002", "Barking and Dagenham"), ("E06000001", "Hartlepool")]
    return [header, *([*lad, *rows_per_lad(k)] for k, lad in enumerate(lads))]


def f10_imd_values(k: int) -> list[Any]:
    return [
        12420.52 + k,
        208 - k,
        14.72 + k,
        212 - k,
        0.1 * k,
        195 - k,
        0.0322 * (k + 1),
        220 - k,
        24167.0 + k,
        236 - k,
    ]


def f10_domain_values(n_extra: int) -> Callable[[int], list[Any]]:
    return lambda k: [8079.96 + k, 292 - k, 0.065, 280 - k, 0.0, 201 - k, *([431 + k, 316 - k][:n_extra])]


def file10_sheets(imd_header: list[str] | None = None) -> dict[str, Rows]:
    sheets = {"IMD": lad_rows(imd_header or F10_IMD_HEADER, rows_per_lad=f10_imd_values)}
    for sheet, header in F10_DOMAIN_HEADERS.items():
        sheets[sheet] = lad_rows(header, rows_per_lad=f10_domain_values(len(header) - 8))
    return sheets


def write_iod2019(folder: Path, **overrides: Rows) -> Path:
    """Write Files 1, 2 and 10 into `folder`; `overrides` replaces File 1 ("file1") or File 2 ("file2") rows."""
    write_book(folder / FILE1, {"IMD2019": overrides.get("file1", file1_rows())})
    write_book(folder / FILE2, {"IoD2019 Domains": overrides.get("file2", file2_rows())})
    write_book(folder / FILE10, file10_sheets())
    return folder


def gla_imd_rows(first_header: str = "geography code") -> Rows:
    rows: Rows = [[first_header, *GLA_IMD_HEADER[1:]]]
    for k, (area, r) in enumerate(zip(LSOAS, RANKS, strict=True)):
        cells: list[Any] = list(area)
        for d in range(8):
            rk = r if d == 0 else 1 + (r * (d + 2) + 11 * k) % N11
            cells += [round(40.0 - 9 * k + d, 3), rk, dec(rk)]
        rows.append(cells)
    return rows


def gla_sheets(overrides: dict[str, Rows] | None = None) -> dict[str, Rows]:
    def triples(k: int, n: int) -> list[Any]:
        out: list[Any] = []
        for d in range(n):
            rk = 1 + (RANKS[k] * (d + 3) + 13 * k) % N11
            out += [round(0.1 * k + d, 3), rk, dec(rk)]
        return out

    pop: Rows = [[*GLA_POP_HEADER, None, None, None]]  # unlabelled trailing columns, as published
    underlying: Rows = [GLA_UNDERLYING_HEADER]
    for k, area in enumerate(LSOAS):
        total = [1296, 1500, 1800, 2100][k]
        note = "Mid-2015 Population At Risk Estimates" if k == 1 else None
        pop.append([*area, total, 175 + k, 656 + k, 465 - k, 715 + k, None, None, note])
        values: list[Any] = [0.5 + j / 100 for j in range(28)]
        if k == 0:
            values[0:4] = [None, None, None, None]  # suppressed numerators (counts under 10)
            values[5] = None  # entry to higher education suppressed
        underlying.append([*area, *values])
    sheets = {
        "IMD 2019": gla_imd_rows(),
        "Sub domains": [GLA_SUB_HEADER, *([*a, *triples(k, 6)] for k, a in enumerate(LSOAS))],
        "IDACI and IDAOPI": [GLA_IDACI_HEADER, *([*a, *triples(k, 2)] for k, a in enumerate(LSOAS))],
        "Borough summary measures": lad_rows(F10_IMD_HEADER, rows_per_lad=f10_imd_values)[:3],
        "Population figures": pop,
        "Underlying indicators": underlying,
    }
    sheets.update(overrides or {})
    return sheets


def write_gla(folder: Path, overrides: dict[str, Rows] | None = None) -> Path:
    """Write the GLA workbook into `folder`; `overrides` replaces whole sheets (sheet name -> rows)."""
    write_book(folder / GLA, gla_sheets(overrides))
    return folder


def file1_25_rows() -> Rows:
    areas = [("E01035000", "City of London 001G", "E09000001", "City of London"), *LSOAS[1:]]
    rows: Rows = [FILE1_25_HEADER, *([*a, r, dec(r, N21)] for a, r in zip(areas, RANKS, strict=True))]
    rows.append([*ELSEWHERE, ELSEWHERE_RANK, dec(ELSEWHERE_RANK, N21)])
    return rows


def write_iod2025(folder: Path) -> Path:
    file1 = file1_25_rows()
    write_book(folder / FILE1_25, {"IMD25": file1})
    rows: Rows = [FILE3_25_HEADER]
    for row in file1[1:]:
        idaci, idaopi = 1 + (row[4] * 3) % N21, 1 + (row[4] * 5) % N21
        rows.append([*row[:4], row[4], row[5], idaci, dec(idaci, N21), idaopi, dec(idaopi, N21)])
    write_book(folder / FILE3_25, {"IoD2025 IDACI & IDAOPI": rows})
    return folder


def with_cell(rows: Rows, row: int, column: str, value: Any) -> Rows:
    """Copy of `rows` with the cell at spreadsheet row `row` (header = 1) in `column` set to `value`."""
    out = [list(r) for r in rows]
    out[row - 1][out[0].index(column)] = value
    return out


# ---------------------------------------------------------------------------------------------------------------------
# Unit tests on the fixtures
# ---------------------------------------------------------------------------------------------------------------------

DOMAINS = ["imd", "income", "employment", "education", "health", "crime", "barriers", "living_env"]
SUMMARY_COLS = [
    "lad19_code",
    "lad19_name",
    "imd_avg_rank",
    "imd_rank_of_avg_rank",
    "imd_avg_score",
    "imd_rank_of_avg_score",
    "imd_prop_most_deprived_10pct",
    "imd_rank_of_prop_most_deprived_10pct",
    "imd_extent",
    "imd_rank_of_extent",
    "imd_local_concentration",
    "imd_rank_of_local_concentration",
]


def test_iod2019_mhclg_reads_published_layout_and_keeps_london(tmp_path: Path) -> None:
    tables = iod.load_iod2019_mhclg(write_iod2019(tmp_path), check_counts=False)
    assert set(tables) == {"imd_ranks", "domain_ranks", "lad_summaries", "lad_domain_summaries"}

    imd = tables["imd_ranks"]
    assert list(imd.columns) == ["lsoa11_code", "lsoa11_name", "lad19_code", "lad19_name", "imd_rank", "imd_decile"]
    assert imd["lsoa11_code"].tolist() == [a[0] for a in LSOAS]  # Hartlepool dropped
    assert imd["imd_rank"].tolist() == RANKS
    assert imd["imd_decile"].tolist() == [1, 2, 7, 10]
    assert imd["imd_rank"].dtype == "int64"

    ranks = tables["domain_ranks"]
    assert list(ranks.columns) == ["lsoa11_code", *(f"{d}_{x}" for d in DOMAINS for x in ("rank", "decile"))]
    assert ranks["imd_rank"].tolist() == RANKS

    lads = tables["lad_summaries"]
    assert list(lads.columns) == SUMMARY_COLS
    assert lads["lad19_code"].tolist() == ["E09000001", "E09000002"]
    assert lads["imd_avg_rank"].tolist() == [12420.52, 12421.52]
    assert lads["imd_local_concentration"].tolist() == [24167.0, 24168.0]

    dom = tables["lad_domain_summaries"]
    assert dom["lad19_code"].tolist() == ["E09000001", "E09000002"]
    assert "idaopi_rank_of_prop_most_deprived_10pct" in dom
    assert dom["income_scale_people"].tolist() == [431, 432]
    assert dom["employment_rank_of_scale"].tolist() == [316, 315]
    assert dom.shape == (2, 1 + 9 * 6 + 4)


@pytest.mark.parametrize("first_header", ["geography code", "LSOA code (2011)"])
def test_iod2019_gla_reads_all_sheets(tmp_path: Path, first_header: str) -> None:
    write_gla(tmp_path, {"IMD 2019": gla_imd_rows(first_header)})
    tables = iod.load_iod2019_gla(tmp_path, check_counts=False)
    assert set(tables) == {
        "lsoa_scores",
        "subdomains",
        "idaci_idaopi",
        "population",
        "underlying_indicators",
        "borough_summaries",
    }
    scores = tables["lsoa_scores"]
    assert list(scores.columns) == [
        "lsoa11_code",
        "lsoa11_name",
        "lad19_code",
        "lad19_name",
        *(f"{d}_{x}" for d in DOMAINS for x in ("score", "rank", "decile")),
    ]
    assert scores["imd_score"].tolist() == [40.0, 31.0, 22.0, 13.0]
    assert scores["imd_rank"].tolist() == RANKS

    sub = tables["subdomains"]
    assert list(sub.columns)[:4] == [
        "lsoa11_code",
        "children_young_people_score",
        "children_young_people_rank",
        "children_young_people_decile",
    ]
    assert list(sub.columns)[-1] == "outdoors_decile"
    assert list(tables["idaci_idaopi"].columns) == [
        "lsoa11_code",
        "idaci_score",
        "idaci_rank",
        "idaci_decile",
        "idaopi_score",
        "idaopi_rank",
        "idaopi_decile",
    ]

    pop = tables["population"]
    assert list(pop.columns) == [
        "lsoa11_code",
        "pop_total_mid2015",
        "pop_children_0_15_mid2015",
        "pop_16_59_mid2015",
        "pop_60_plus_mid2015",
        "pop_working_age_mid2015",
    ]  # the unlabelled trailing columns (notes) are ignored
    assert pop["pop_total_mid2015"].tolist() == [1296, 1500, 1800, 2100]

    ind = tables["underlying_indicators"]
    assert len(ind.columns) == 29
    assert {
        "road_distance_gp_km",
        "homelessness_per_1000_households",
        "household_overcrowding",
        "housing_affordability",
        "air_quality",
        "nitrogen_dioxide",
    } <= set(ind.columns)
    blank = ind.columns[ind.isna().any()].tolist()
    assert set(blank) == iod.UNDERLYING_MAY_BE_BLANK
    assert list(tables["borough_summaries"].columns) == SUMMARY_COLS


def test_iod2025_reads_published_layout_with_cut_short_header(tmp_path: Path) -> None:
    tables = iod.load_iod2025_mhclg(write_iod2025(tmp_path), check_counts=False)
    imd = tables["imd"]
    assert list(imd.columns) == ["lsoa21_code", "lsoa21_name", "lad24_code", "lad24_name", "imd_rank", "imd_decile"]
    assert imd["lsoa21_code"].tolist() == ["E01035000", *(a[0] for a in LSOAS[1:])]
    assert imd["imd_decile"].tolist() == [dec(r, N21) for r in RANKS]
    idaci = tables["idaci_idaopi"]
    assert list(idaci.columns) == [
        "lsoa21_code",
        "imd_rank",
        "imd_decile",
        "idaci_rank",
        "idaci_decile",
        "idaopi_rank",
        "idaopi_decile",
    ]
    assert idaci["imd_rank"].tolist() == RANKS


# ---------------------------------------------------------------------------------------------------------------------
# Bad inputs: each raises its named error, and the message says where
# ---------------------------------------------------------------------------------------------------------------------


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(errors.MissingSourceFileError, match=r"file 'File_1_-_IMD2019_Index_of_Multiple_Dep.*missing"):
        iod.load_iod2019_mhclg(tmp_path, check_counts=False)


def test_wrong_sheet(tmp_path: Path) -> None:
    write_book(tmp_path / FILE1, {"IMD 2019": file1_rows()})
    with pytest.raises(errors.SheetNotFoundError) as info:
        iod.load_iod2019_mhclg(tmp_path, check_counts=False)
    assert "sheet 'IMD2019'" in str(info.value)
    assert "'IMD 2019'" in str(info.value)  # lists the sheets it found


def test_renamed_column_is_named_with_near_miss(tmp_path: Path) -> None:
    rows = file2_rows()
    renamed = "Income Rank (where 1 is the most deprived)"
    rows[0] = [(renamed if h == "Income Rank (where 1 is most deprived)" else h) for h in rows[0]]
    write_iod2019(tmp_path, file2=rows)
    with pytest.raises(errors.ColumnMismatchError) as info:
        iod.load_iod2019_mhclg(tmp_path, check_counts=False)
    message = str(info.value)
    assert "column 'Income Rank (where 1 is most deprived)'" in message
    assert f"found {renamed!r} instead" in message
    assert "sheet 'IoD2019 Domains'" in message


def test_file10_headers_must_keep_their_trailing_spaces(tmp_path: Path) -> None:
    write_iod2019(tmp_path)
    sheets = file10_sheets([h.rstrip() for h in F10_IMD_HEADER])
    write_book(tmp_path / FILE10, sheets)
    near_miss = r"'IMD - Average rank ' \(found 'IMD - Average rank' instead\)"
    with pytest.raises(errors.ColumnMismatchError, match=near_miss):
        iod.load_iod2019_mhclg(tmp_path, check_counts=False)


def test_gla_first_header_accepts_only_the_two_known_names(tmp_path: Path) -> None:
    write_gla(tmp_path, {"IMD 2019": gla_imd_rows("LSOA code")})
    with pytest.raises(errors.ColumnMismatchError, match=r"column 'LSOA code \(2011\)'.*'LSOA code \(2011\)'"):
        iod.load_iod2019_gla(tmp_path, check_counts=False)


def test_non_numeric_score_names_row(tmp_path: Path) -> None:
    rows = with_cell(gla_imd_rows(), 4, "Crime Score", "suppressed")
    write_gla(tmp_path, {"IMD 2019": rows})
    with pytest.raises(errors.NonNumericValueError) as info:
        iod.load_iod2019_gla(tmp_path, check_counts=False)
    assert info.value.row == 4
    assert "sheet 'IMD 2019', column 'Crime Score', row 4" in str(info.value)
    assert "'suppressed'" in str(info.value)


def test_blank_where_publisher_never_leaves_blanks(tmp_path: Path) -> None:
    rows = with_cell(gla_sheets()["Underlying indicators"], 3, "Air quality indicator", None)
    write_gla(tmp_path, {"Underlying indicators": rows})
    with pytest.raises(errors.NonNumericValueError, match=r"column 'Air quality indicator', row 3"):
        iod.load_iod2019_gla(tmp_path, check_counts=False)


def test_duplicate_code(tmp_path: Path) -> None:
    rows = file1_rows()
    rows.append(list(rows[2]))  # E01000002 again, spreadsheet row 7
    write_iod2019(tmp_path, file1=rows)
    with pytest.raises(errors.DuplicateCodeError) as info:
        iod.load_iod2019_mhclg(tmp_path, check_counts=False)
    assert "column 'LSOA code (2011)', row 7" in str(info.value)
    assert "'E01000002'" in str(info.value)


def test_2021_code_in_2011_file(tmp_path: Path) -> None:
    write_iod2019(tmp_path, file1=with_cell(file1_rows(), 3, "LSOA code (2011)", "E01035000"))
    with pytest.raises(errors.CodeVintageError) as info:
        iod.load_iod2019_mhclg(tmp_path, check_counts=False)
    assert "row 3" in str(info.value)
    assert "'E01035000'" in str(info.value)


def test_not_an_lsoa_code(tmp_path: Path) -> None:
    write_iod2019(tmp_path, file1=with_cell(file1_rows(), 2, "LSOA code (2011)", "E02000001"))
    with pytest.raises(errors.CodeFormatError, match=r"column 'LSOA code \(2011\)', row 2.*'E02000001'"):
        iod.load_iod2019_mhclg(tmp_path, check_counts=False)


def test_truncated_file_row_count(tmp_path: Path) -> None:
    write_iod2019(tmp_path)
    with pytest.raises(errors.RowCountError) as info:
        iod.load_iod2019_mhclg(tmp_path)  # check_counts=True: the published England count
    assert "sheet 'IMD2019'" in str(info.value)
    assert "found 5 rows, the published release has 32844" in str(info.value)


def test_london_row_count_checked_after_the_england_count(tmp_path: Path) -> None:
    write_iod2019(tmp_path)
    spec = dataclasses.replace(iod._IOD2019_FILE1, national_rows=5)  # pretend 5 rows is the full release
    with pytest.raises(errors.RowCountError, match=r"found 4 London rows .*published release has 4835"):
        iod_sheets.load_table(tmp_path, spec, check_counts=True)


def test_2011_codes_in_a_full_2021_file(tmp_path: Path) -> None:
    rows = with_cell(file1_25_rows(), 2, "LSOA code (2021)", "E01000001")  # every code is now a 2011 code
    write_book(tmp_path / FILE1_25, {"IMD25": rows})
    spec = dataclasses.replace(iod._IOD2025_FILE1, national_rows=5)
    with pytest.raises(errors.CodeVintageError, match=r"2011 LSOA codes where 2021 codes are expected"):
        iod_sheets.load_table(tmp_path, spec, check_counts=True)


def test_decile_must_agree_with_rank(tmp_path: Path) -> None:
    write_iod2019(tmp_path, file1=with_cell(file1_rows(), 3, "Index of Multiple Deprivation (IMD) Decile", 3))
    with pytest.raises(errors.ValueRangeError, match=r"Decile', row 3: 1 decile\(s\) disagree with the rank"):
        iod.load_iod2019_mhclg(tmp_path, check_counts=False)


@pytest.mark.parametrize("rank", [0, 32_845, 12.5])
def test_rank_outside_1_to_n(tmp_path: Path, rank: float) -> None:
    write_iod2019(tmp_path, file1=with_cell(file1_rows(), 2, "Index of Multiple Deprivation (IMD) Rank", rank))
    with pytest.raises(errors.ValueRangeError, match=r"column 'Index of Multiple Deprivation \(IMD\) Rank', row 2"):
        iod.load_iod2019_mhclg(tmp_path, check_counts=False)


def test_london_workbook_with_a_row_outside_london(tmp_path: Path) -> None:
    rows = with_cell(gla_imd_rows(), 5, "Local Authority District code (2019)", "E06000001")
    write_gla(tmp_path, {"IMD 2019": rows})
    with pytest.raises(errors.ValueRangeError, match=r"row 5: 1 row\(s\) are outside London"):
        iod.load_iod2019_gla(tmp_path, check_counts=False)


def test_corrupt_workbook(tmp_path: Path) -> None:
    (tmp_path / FILE1).write_bytes(b"PK\x03\x04 not really a workbook")
    with pytest.raises(errors.CorruptFileError, match="cannot be read"):
        iod.load_iod2019_mhclg(tmp_path, check_counts=False)


# ---------------------------------------------------------------------------------------------------------------------
# Real files: the IoD2019 workbooks come from session fixtures in conftest.py (shared with test_deprivation)
# ---------------------------------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def mhclg25(shared_data: Path) -> dict[str, pd.DataFrame]:
    return iod.load_iod2025_mhclg(shared_data / "iod2025")


def _codes(frame: pd.DataFrame, col: str) -> set[str]:
    return set(frame[col])


@pytest.mark.real_data
def test_real_iod2019_mhclg_shapes(real_iod2019_mhclg: dict[str, pd.DataFrame]) -> None:
    assert {k: v.shape for k, v in real_iod2019_mhclg.items()} == {
        "imd_ranks": (4_835, 6),
        "domain_ranks": (4_835, 17),
        "lad_summaries": (33, 12),
        "lad_domain_summaries": (33, 59),
    }
    assert list(real_iod2019_mhclg["lad_summaries"].columns) == SUMMARY_COLS
    assert sorted(real_iod2019_mhclg["lad_summaries"]["lad19_code"]) == [f"E09{n:06d}" for n in range(1, 34)]
    assert not real_iod2019_mhclg["lad_domain_summaries"].isna().any().any()
    imd = real_iod2019_mhclg["imd_ranks"].set_index("lsoa11_code")["imd_rank"]
    f2 = real_iod2019_mhclg["domain_ranks"].set_index("lsoa11_code")["imd_rank"]
    pd.testing.assert_series_equal(imd, f2)  # File 1 and File 2 agree on the IMD


@pytest.mark.real_data
def test_real_gla_has_every_score_rank_and_decile(real_iod2019_gla: dict[str, pd.DataFrame]) -> None:
    scores = real_iod2019_gla["lsoa_scores"]
    assert len(scores) == 4_835
    assert scores["lsoa11_code"].is_unique
    assert set(scores["lad19_code"]) == {f"E09{n:06d}" for n in range(1, 34)}
    cols = [f"{d}_{x}" for d in DOMAINS for x in ("score", "rank", "decile")]
    assert scores[cols].notna().all().all()
    assert scores[[c for c in cols if c.endswith("_decile")]].isin(range(1, 11)).all().all()
    for name in ("subdomains", "idaci_idaopi", "population", "underlying_indicators"):
        assert _codes(real_iod2019_gla[name], "lsoa11_code") == _codes(scores, "lsoa11_code"), name
    assert (real_iod2019_gla["population"]["pop_total_mid2015"] > 0).all()


@pytest.mark.real_data
def test_real_gla_blanks_only_where_published(real_iod2019_gla: dict[str, pd.DataFrame]) -> None:
    blanks = real_iod2019_gla["underlying_indicators"].isna().sum()
    assert blanks[blanks > 0].to_dict() == {
        "income_numerator_count": 5,
        "idaci_numerator_count": 387,
        "idaopi_numerator_count": 84,
        "employment_numerator_count": 37,
        "entry_to_higher_education": 1,
    }
    for name in ("lsoa_scores", "subdomains", "idaci_idaopi", "population", "borough_summaries"):
        assert not real_iod2019_gla[name].isna().any().any(), name


@pytest.mark.real_data
def test_real_gla_ranks_equal_file2(
    real_iod2019_gla: dict[str, pd.DataFrame], real_iod2019_mhclg: dict[str, pd.DataFrame]
) -> None:
    gla = real_iod2019_gla["lsoa_scores"].set_index("lsoa11_code").sort_index()
    f2 = real_iod2019_mhclg["domain_ranks"].set_index("lsoa11_code").sort_index()
    assert gla.index.equals(f2.index)
    for d in DOMAINS:
        for x in ("rank", "decile"):
            pd.testing.assert_series_equal(gla[f"{d}_{x}"], f2[f"{d}_{x}"])


@pytest.mark.real_data
def test_real_gla_borough_summaries_equal_file10(
    real_iod2019_gla: dict[str, pd.DataFrame], real_iod2019_mhclg: dict[str, pd.DataFrame]
) -> None:
    pd.testing.assert_frame_equal(real_iod2019_gla["borough_summaries"], real_iod2019_mhclg["lad_summaries"])


@pytest.mark.real_data
def test_real_iod2025(mhclg25: dict[str, pd.DataFrame]) -> None:
    imd, supp = mhclg25["imd"], mhclg25["idaci_idaopi"]
    assert len(imd) == len(supp) == 4_994
    assert set(imd["lad24_code"]) == {f"E09{n:06d}" for n in range(1, 34)}
    assert (imd["lsoa21_code"] > "E01033768").any()  # 2021 geography
    pd.testing.assert_series_equal(imd.set_index("lsoa21_code")["imd_rank"], supp.set_index("lsoa21_code")["imd_rank"])
    assert supp.notna().all().all()
