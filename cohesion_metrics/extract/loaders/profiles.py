"""GLA London Borough Profiles (2017 edition) and Ward Profiles (2015 edition), sheet `Data` of each workbook.

Missing values: the borough workbook writes "." where a value is not available (e.g. the City of London's
share born abroad, volunteering, crime rate, tenure and 2014 turnout; some regional rows). That exact
marker (the only one in the columns kept; "n/a" does not occur) becomes missing; any other text in a numeric
column, or a blank cell, is a NonNumericValueError. Cell text is read as published (no pandas NA guessing,
`keep_default_na=False`), so a message shows the exact text. The ward columns kept have no missing values in
the 2015 edition.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from cohesion_metrics import errors
from cohesion_metrics.extract import source_files, validate
from cohesion_metrics.metadata.boroughs import BOROUGHS, CITY_OF_LONDON, borough_codes_for, check_names_match_codes
from cohesion_metrics.metadata.levels import LEVELS_BY_CODE

BOROUGH_FILE = "london-borough-profiles.xlsx"
WARD_FILE = "ward-profiles-excel-version.xls"
SHEET = "Data"

#: Rows of sheet `Data`: 33 boroughs, Inner/Outer London, London, England, United Kingdom, National comparator.
BOROUGH_PROFILE_ROWS = 39
#: Rows of sheet `Data`: 625 wards (624 E05 + the City of London), 33 boroughs, London, England, a source note.
WARD_PROFILE_ROWS = 661
WARD_ROWS = LEVELS_BY_CODE["ward"].count

#: The only missing-value marker the borough workbook uses in the columns kept here.
MISSING_MARKERS = frozenset({"."})
#: Comparator rows kept from the borough workbook (by `New code`).
COMPARATORS = {"E12000007": "London", "E92000001": "England"}

#: Published header -> tidy column. Units and years are in the names; `pct_` columns are percentages (0-100).
BOROUGH_COLUMNS: dict[str, str] = {
    "GLA Population Estimate 2017": "population_2017",
    "Inland Area (Hectares)": "inland_area_ha",
    "Population density (per hectare) 2017": "population_per_ha_2017",
    "Proportion of population aged 65 and over, 2015": "pct_aged_65_plus_2015",
    "% of resident population born abroad (2015)": "pct_born_abroad_2015",
    "% of population from BAME groups (2016)": "pct_bame_2016",
    "% people aged 3+ whose main language is not English (2011 Census)": "pct_main_language_not_english_2011",
    "Employment rate (%) (2015)": "employment_rate_pct_2015",
    "Unemployment rate (2015)": "unemployment_rate_pct_2015",
    "Proportion of the working-age population who claim out-of-work benefits (%) (May-2016)": (
        "pct_working_age_out_of_work_benefits_2016"
    ),
    "% working-age with a disability (2015)": "pct_working_age_disabled_2015",
    "Modelled Household median income estimates 2012/13": "median_household_income_gbp_2012_13",
    "Gross Annual Pay, (2016)": "gross_annual_pay_gbp_2016",
    "% adults that volunteered in past 12 months (2010/11 to 2012/13)": "pct_adults_volunteered_2010_13",
    "Crime rates per thousand population 2014/15": "crime_rate_per_1000_2014_15",
    "Homes Owned outright, (2014) %": "pct_homes_owned_outright_2014",
    "Being bought with mortgage or loan, (2014) %": "pct_homes_mortgaged_2014",
    "Rented from Local Authority or Housing Association, (2014) %": "pct_homes_social_rented_2014",
    "Rented from Private landlord, (2014) %": "pct_homes_private_rented_2014",
    "% children living in out-of-work households (2015)": "pct_children_out_of_work_households_2015",
    "Life satisfaction score 2011-14 (out of 10)": "life_satisfaction_2011_14",
    "Worthwhileness score 2011-14 (out of 10)": "worthwhileness_2011_14",
    "Happiness score 2011-14 (out of 10)": "happiness_2011_14",
    "Anxiety score 2011-14 (out of 10)": "anxiety_2011_14",
    "Turnout at 2014 local elections": "turnout_2014_local_elections_pct",
}

WARD_COLUMNS: dict[str, str] = {
    "Population - 2015": "population_2015",
    "% All Older people aged 65+ - 2015": "pct_aged_65_plus_2015",
    "Area - Square Kilometres": "area_km2",
    "% BAME - 2011": "pct_bame_2011",
    "% Not Born in UK - 2011": "pct_not_born_uk_2011",
    "% English is First Language of no one in household - 2011": "pct_no_one_english_first_language_2011",
    "Male life expectancy -2009-13": "male_life_expectancy_years_2009_13",
    # The trailing space is in the published header.
    "Female life expectancy -2009-13 ": "female_life_expectancy_years_2009_13",
    "Employment rate (16-64) - 2011": "employment_rate_16_64_pct_2011",
    "Median Household income estimate (2012/13)": "median_household_income_gbp_2012_13",
    "% Households Owned - 2011": "pct_households_owned_2011",
    "% Households Social Rented - 2011": "pct_households_social_rented_2011",
    "% Households Private Rented - 2011": "pct_households_private_rented_2011",
    "Claimant rate of key out-of-work benefits (working age client group) (2014)": (
        "out_of_work_benefits_claimant_rate_pct_2014"
    ),
    "% dependent children (0-18) in out-of-work households - 2014": "pct_children_out_of_work_households_2014",
    "% with no qualifications - 2011": "pct_no_qualifications_2011",
    "Crime rate - 2014/15": "crime_rate_per_1000_2014_15",
    "% area that is open space - 2014": "pct_open_space_2014",
    "Average Public Transport Accessibility score - 2014": "public_transport_access_score_2014",
    "Turnout at Mayoral election - 2012": "turnout_mayoral_2012_pct",
}

#: Tidy columns checked against 0..10 (well-being scores); every `pct` column is checked against 0..100.
_SCORES = ("life_satisfaction_2011_14", "worthwhileness_2011_14", "happiness_2011_14", "anxiety_2011_14")


def load_borough_profiles(folder: Path, *, check_counts: bool = True) -> dict[str, pd.DataFrame]:
    """Read sheet `Data` of the Borough Profiles: "boroughs" (33 rows) and "comparators" (London, England).

    "boroughs": `borough_code`, `borough_name` and the tidy columns of BOROUGH_COLUMNS (missing where the
    workbook has "."). "comparators": `area_code` (E12000007, E92000001), `area_name` and the same columns.
    """
    path = folder / BOROUGH_FILE
    raw = _read_data(path, ["Code", "New code", "Area_name", *BOROUGH_COLUMNS], BOROUGH_PROFILE_ROWS, check_counts)
    codes = raw["New code"].astype("string")
    values = _numeric_with_markers(raw, list(BOROUGH_COLUMNS), path=path, sheet=SHEET)
    _check_ranges(values.rename(columns=BOROUGH_COLUMNS), BOROUGH_COLUMNS, path=path, sheet=SHEET)

    is_borough = codes.str.startswith("E09").fillna(False).to_numpy(dtype=bool)
    boroughs = raw.loc[is_borough]
    first_row = 2 + int(is_borough.nonzero()[0][0]) if is_borough.any() else 2
    new_codes = boroughs["New code"]
    validate.check_codes(new_codes, "borough", path=path, sheet=SHEET, column="New code", first_row=first_row)
    validate.check_unique(new_codes, path=path, sheet=SHEET, column="New code", first_row=first_row)
    check_names_match_codes(
        boroughs["Area_name"],
        new_codes,
        path=path,
        sheet=SHEET,
        name_column="Area_name",
        code_column="New code",
        first_row=first_row,
    )
    if check_counts:
        _require_all_boroughs(boroughs["New code"], path=path, sheet=SHEET, column="New code")

    out = values.loc[is_borough, list(BOROUGH_COLUMNS)].rename(columns=BOROUGH_COLUMNS)
    out.insert(0, "borough_name", boroughs["Area_name"].astype("string"))
    out.insert(0, "borough_code", boroughs["New code"].astype("string"))

    is_comparator = codes.isin(list(COMPARATORS)).fillna(False).to_numpy(dtype=bool)
    comp = values.loc[is_comparator, list(BOROUGH_COLUMNS)].rename(columns=BOROUGH_COLUMNS)
    comp.insert(0, "area_name", raw.loc[is_comparator, "Area_name"].astype("string"))
    comp.insert(0, "area_code", codes[is_comparator])
    if check_counts and len(comp) != len(COMPARATORS):
        raise errors.RowCountError(
            f"expected one row each for {COMPARATORS} in column 'New code', found {len(comp)}.",
            path=path,
            sheet=SHEET,
            fix="use the publisher's workbook unchanged.",
        )
    return {"boroughs": out.reset_index(drop=True), "comparators": comp.reset_index(drop=True)}


def load_ward_profiles(folder: Path, *, check_counts: bool = True) -> dict[str, pd.DataFrame]:
    """Read sheet `Data` of the Ward Profiles: "wards", the 625 rows of the ward block.

    The ward block is the 624 E05 wards plus the City of London, which the GLA gives as one "ward" coded
    E09000001 (as in the `London_Ward_CityMerged` boundaries). The City appears a second time among the 33
    borough summary rows below the wards; that copy is dropped with the other borough rows (the two City rows
    differ slightly: housing benefit claimant rate 5.27 vs 5.29). Ward names are published as
    "<Borough> - <Ward>": `borough_name` and `ward_name` are the two parts (both "City of London" for the City).

    Columns: `ward_code`, `ward_name`, `borough_code`, `borough_name` and the tidy columns of WARD_COLUMNS.
    """
    path = folder / WARD_FILE
    raw = _read_data(path, ["Ward name", "Old code", "New code", *WARD_COLUMNS], WARD_PROFILE_ROWS, check_counts)
    codes = raw["New code"].astype("string")
    keep = codes.str.startswith("E05").fillna(False).to_numpy(dtype=bool)
    city_rows = (codes == CITY_OF_LONDON).fillna(False).to_numpy(dtype=bool).nonzero()[0]
    if len(city_rows):
        # Keep the first City row (the single-"ward" City at the top of the ward block).
        keep[city_rows[0]] = True
    wards = raw.loc[keep].copy()
    if check_counts:
        validate.check_row_count(wards, WARD_ROWS, path=path, sheet=SHEET)
    # Rows in the sheet: the frame index + 2 (one header row); the ward block is contiguous from row 2.
    first_row = 2 + int(keep.nonzero()[0][0]) if keep.any() else 2
    validate.check_unique(wards["New code"], path=path, sheet=SHEET, column="New code", first_row=first_row)
    values = validate.to_numeric(wards, list(WARD_COLUMNS), path=path, sheet=SHEET, first_row=first_row)
    _check_ranges(values.rename(columns=WARD_COLUMNS), WARD_COLUMNS, path=path, sheet=SHEET, first_row=first_row)

    names = wards["Ward name"].astype("string").str.strip()
    split = names.str.split(" - ", n=1, expand=True, regex=False)
    if split.shape[1] < 2:
        split[1] = pd.NA
    is_city = (wards["New code"].astype("string") == CITY_OF_LONDON).to_numpy(dtype=bool)
    borough_name = split[0].where(~is_city, BOROUGHS[CITY_OF_LONDON])
    ward_name = split[1].where(~is_city, BOROUGHS[CITY_OF_LONDON])
    validate.raise_at_first(
        ward_name.isna().to_numpy(dtype=bool),
        errors.ColumnMismatchError,
        lambda _, i: f"ward name {names.iloc[i]!r} is not in the published form '<Borough> - <Ward>'.",
        path=path,
        sheet=SHEET,
        column="Ward name",
        first_row=first_row,
        fix="use the publisher's workbook unchanged.",
    )
    borough_code = borough_codes_for(borough_name, path=path, sheet=SHEET, column="Ward name", first_row=first_row)
    out = values[list(WARD_COLUMNS)].rename(columns=WARD_COLUMNS)
    out.insert(0, "borough_name", borough_name.astype("string"))
    out.insert(0, "borough_code", borough_code)
    out.insert(0, "ward_name", ward_name.astype("string"))
    out.insert(0, "ward_code", wards["New code"].astype("string"))
    if check_counts:
        _require_all_boroughs(out["borough_code"], path=path, sheet=SHEET, column="Ward name")
    return {"wards": out.reset_index(drop=True)}


def _read_data(path: Path, columns: list[str], rows: int, check_counts: bool) -> pd.DataFrame:
    """Sheet `Data` with cell text as published (only blank cells missing); check its headers and row count."""
    raw = source_files.read_sheet(path, SHEET, keep_default_na=False)
    validate.require_columns(raw, columns, path=path, sheet=SHEET)
    if check_counts:
        validate.check_row_count(raw, rows, path=path, sheet=SHEET)
    return raw


def _numeric_with_markers(
    frame: pd.DataFrame, columns: list[str], *, path: Path, sheet: str, first_row: int = 2
) -> pd.DataFrame:
    """Like validate.to_numeric, but the exact MISSING_MARKERS become missing; other text or blanks raise."""
    markers = frame[columns].apply(lambda col: col.map(lambda v: isinstance(v, str) and v.strip() in MISSING_MARKERS))
    # Markers stand in as 0 for the strict check (which names the first bad cell), then become missing.
    stand_in = frame.copy()
    stand_in[columns] = frame[columns].mask(markers, 0)
    checked = validate.to_numeric(stand_in, columns, path=path, sheet=sheet, first_row=first_row)
    checked[columns] = checked[columns].mask(markers)
    return checked


def _check_ranges(frame: pd.DataFrame, columns: dict[str, str], *, path: Path, sheet: str, first_row: int = 2) -> None:
    """Percentages in 0..100, well-being scores in 0..10, everything else non-negative."""
    for published, tidy in columns.items():
        if tidy.startswith("pct_") or tidy.endswith("_pct") or "_pct_" in tidy:
            low, high = 0.0, 100.0
        elif tidy in _SCORES:
            low, high = 0.0, 10.0
        else:
            low, high = 0.0, 1e12
        validate.check_range(frame[tidy], low, high, path=path, sheet=sheet, column=published, first_row=first_row)


def _require_all_boroughs(codes: pd.Series, *, path: Path, sheet: str, column: str) -> None:
    """Every one of the 33 boroughs must be present."""
    missing = sorted(set(BOROUGHS) - set(codes.dropna()))
    if missing:
        raise errors.RowCountError(
            f"{len(missing)} borough(s) missing: {', '.join(f'{c} {BOROUGHS[c]}' for c in missing)}.",
            path=path,
            sheet=sheet,
            fix=f"check column {column!r}; use the publisher's workbook unchanged.",
        )
