"""Loaders for the English Indices of Deprivation (IoD2019 and IoD2025), read in the publishers' layouts.

- `load_iod2019_mhclg`: MHCLG IoD2019 Files 1, 2 and 10 (national; London rows kept).
- `load_iod2019_gla`: the GLA's "ID 2019 for London" workbook (London only; the only source of LSOA scores).
- `load_iod2025_mhclg`: MHCLG IoD2025 Files 1 and 3 (national; London rows kept).

Each sheet is declared once below (published header -> output column, and what the column must hold); one
routine reads and validates every sheet the same way: sheet present, headers as published, LSOA/LAD codes of the
right pattern and vintage, unique keys, numeric values, ranks in 1..N and deciles in 1..10 that agree with the rank
(decile = ceil(10 * rank / N), true of every published sheet), the published England row count, then London only
(LAD E09000001..E09000033) and the published London row count. Ranks keep the publisher's convention (1 = most
deprived); IoD2019 has a few tied ranks (e.g. 26 pairs of equal IMD ranks), so ranks are not unique.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from cohesion_metrics.extract.loaders.iod_sheets import (
    Col,
    Table,
    decile_col,
    join_lad_sheets,
    load_table,
    num_col,
    rank_col,
    text_col,
)
from cohesion_metrics.metadata.levels import LEVELS_BY_CODE

#: Published row counts.
N_LSOA11_ENGLAND = 32_844
N_LSOA11_LONDON = LEVELS_BY_CODE["lsoa11"].count
N_LSOA21_ENGLAND = 33_755
N_LSOA21_LONDON = LEVELS_BY_CODE["lsoa21"].count
N_LAD19_ENGLAND = 317
N_LONDON_BOROUGHS = 33

#: Output prefixes of the IMD and its seven domains, in the publishers' order.
DOMAINS = ("imd", "income", "employment", "education", "health", "crime", "barriers", "living_env")

_FILE1_2019 = "File_1_-_IMD2019_Index_of_Multiple_Deprivation.xlsx"
_FILE2_2019 = "File_2_-_IoD2019_Domains_of_Deprivation.xlsx"
_FILE10_2019 = "File_10_-_IoD2019_Local_Authority_District_Summaries__lower-tier__.xlsx"
_GLA_2019 = "ID 2019 for London.xlsx"
_FILE1_2025 = "File_1_IoD2025_Index_of_Multiple_Deprivation.xlsx"
_FILE3_2025 = "File_3_IoD2025_Supplementary_Indices_IDACI_and_IDAOPI.xlsx"


def _area_cols(year: int, lad_year: int, *, names: bool = True) -> tuple[Col, ...]:
    """Return the four leading columns of every LSOA-level IoD sheet (names dropped where `names` is False)."""
    lsoa, lad = f"lsoa{year % 100:02d}", f"lad{lad_year % 100:02d}"
    return (
        text_col(f"LSOA code ({year})", f"{lsoa}_code"),
        text_col(f"LSOA name ({year})", f"{lsoa}_name", keep=names),
        text_col(f"Local Authority District code ({lad_year})", f"{lad}_code", keep=names),
        text_col(f"Local Authority District name ({lad_year})", f"{lad}_name", keep=names),
    )


def _lsoa_table(
    file: str,
    sheet: str,
    year: int,
    cols: tuple[Col, ...],
    *,
    names: bool = True,
    national: bool = True,
    aliases: dict[str, str] | None = None,
) -> Table:
    """Declare an LSOA-level sheet: 2011 LSOAs with LAD 2019 (IoD2019), or 2021 LSOAs with LAD 2024 (IoD2025)."""
    if year == 2011:
        lad_year, n, london = 2019, N_LSOA11_ENGLAND, N_LSOA11_LONDON
    else:
        lad_year, n, london = 2024, N_LSOA21_ENGLAND, N_LSOA21_LONDON
    return Table(
        file=file,
        sheet=sheet,
        level="lsoa",
        lad_header=f"Local Authority District code ({lad_year})",
        columns=(*_area_cols(year, lad_year, names=names), *cols),
        vintage=year,
        n_ranked=n,
        national_rows=n if national else None,
        london_rows=london,
        aliases=aliases or {},
    )


_WHERE_RANK = " (where 1 is most deprived)"
_WHERE_DECILE = " (where 1 is most deprived 10% of LSOAs)"


def _rank_decile(label: str, name: str, n: int) -> tuple[Col, Col]:
    return (
        rank_col(f"{label} Rank{_WHERE_RANK}", f"{name}_rank", n),
        decile_col(f"{label} Decile{_WHERE_DECILE}", f"{name}_decile"),
    )


# ---------------------------------------------------------------------------------------------------------------------
# IoD2019, MHCLG Files 1, 2 and 10
# ---------------------------------------------------------------------------------------------------------------------

#: File 2 and the GLA workbook label each domain like this (scores: the GLA adds "(rate)" for income and employment).
_DOMAIN_LABELS_2019 = {
    "imd": "Index of Multiple Deprivation (IMD)",
    "income": "Income",
    "employment": "Employment",
    "education": "Education, Skills and Training",
    "health": "Health Deprivation and Disability",
    "crime": "Crime",
    "barriers": "Barriers to Housing and Services",
    "living_env": "Living Environment",
}
_RATE_SCORES = {"income", "employment"}

_IOD2019_FILE1 = _lsoa_table(
    _FILE1_2019,
    "IMD2019",
    2011,
    (
        rank_col("Index of Multiple Deprivation (IMD) Rank", "imd_rank", N_LSOA11_ENGLAND),
        decile_col("Index of Multiple Deprivation (IMD) Decile", "imd_decile"),
    ),
)
_IOD2019_FILE2 = _lsoa_table(
    _FILE2_2019,
    "IoD2019 Domains",
    2011,
    tuple(c for d, label in _DOMAIN_LABELS_2019.items() for c in _rank_decile(label, d, N_LSOA11_ENGLAND)),
    names=False,
)


def _summary_cols(
    label: str, name: str, *, space: str = " ", prop_space: str | None = None, extent_label: str | None = None
) -> tuple[Col, ...]:
    """File 10 summary columns for one domain; most published headers end in a space (`space`)."""
    p = space if prop_space is None else prop_space
    cols = [
        num_col(f"{label} - Average rank{space}", f"{name}_avg_rank", low=1, high=N_LSOA11_ENGLAND),
        rank_col(f"{label} - Rank of average rank{space}", f"{name}_rank_of_avg_rank", N_LAD19_ENGLAND),
        num_col(f"{label} - Average score{space}", f"{name}_avg_score"),
        rank_col(f"{label} - Rank of average score{space}", f"{name}_rank_of_avg_score", N_LAD19_ENGLAND),
        num_col(
            f"{label} - Proportion of LSOAs in most deprived 10% nationally{p}",
            f"{name}_prop_most_deprived_10pct",
            low=0,
            high=1,
        ),
        rank_col(
            f"{label} - Rank of proportion of LSOAs in most deprived 10% nationally{p}",
            f"{name}_rank_of_prop_most_deprived_10pct",
            N_LAD19_ENGLAND,
        ),
    ]
    if extent_label is not None:
        cols += [
            num_col(f"{extent_label} - Extent{space}", f"{name}_extent", low=0, high=1),
            rank_col(f"{extent_label} - Rank of extent{space}", f"{name}_rank_of_extent", N_LAD19_ENGLAND),
            num_col(
                f"{extent_label} - Local concentration{space}",
                f"{name}_local_concentration",
                low=1,
                high=N_LSOA11_ENGLAND,
            ),
            rank_col(
                f"{extent_label} - Rank of local concentration{space}",
                f"{name}_rank_of_local_concentration",
                N_LAD19_ENGLAND,
            ),
        ]
    return tuple(cols)


_LAD19_CODE = "Local Authority District code (2019)"
_LAD19_NAME = "Local Authority District name (2019)"


def _lad_table(file: str, sheet: str, cols: tuple[Col, ...], *, names: bool, national: bool) -> Table:
    return Table(
        file=file,
        sheet=sheet,
        level="lad",
        lad_header=_LAD19_CODE,
        columns=(text_col(_LAD19_CODE, "lad19_code"), text_col(_LAD19_NAME, "lad19_name", keep=names), *cols),
        vintage=2011,
        n_ranked=N_LSOA11_ENGLAND,
        national_rows=N_LAD19_ENGLAND if national else None,
        london_rows=N_LONDON_BOROUGHS,
    )


_IMD_SUMMARY_COLS = _summary_cols("IMD", "imd", extent_label="IMD 2019")
_IOD2019_FILE10_IMD = _lad_table(_FILE10_2019, "IMD", _IMD_SUMMARY_COLS, names=True, national=True)

#: File 10's domain sheets: sheet -> column groups. Headers exactly as published (trailing spaces vary by sheet).
_FILE10_DOMAIN_SHEETS: dict[str, tuple[tuple[Col, ...], ...]] = {
    "Income": (
        _summary_cols("Income", "income"),
        (
            num_col("Income scale", "income_scale_people", low=0),
            rank_col("Rank of Income Scale", "income_rank_of_scale", N_LAD19_ENGLAND),
        ),
    ),
    "Employment": (
        _summary_cols("Employment", "employment"),
        (
            num_col("Employment scale ", "employment_scale_people", low=0),
            rank_col("Rank of Employment Scale", "employment_rank_of_scale", N_LAD19_ENGLAND),
        ),
    ),
    "Education": (_summary_cols("Education, Skills and Training", "education", prop_space=""),),
    "Health": (_summary_cols("Health Deprivation and Disability", "health"),),
    "Crime": (_summary_cols("Crime", "crime"),),
    "Barriers": (_summary_cols("Barriers to Housing and Services", "barriers"),),
    "Living": (_summary_cols("Living Environment", "living_env"),),
    "IDACI": (_summary_cols("IDACI", "idaci"),),
    "IDAOPI": (_summary_cols("IDAOPI", "idaopi"),),
}
_IOD2019_FILE10_DOMAINS = tuple(
    _lad_table(_FILE10_2019, sheet, tuple(c for part in parts for c in part), names=False, national=True)
    for sheet, parts in _FILE10_DOMAIN_SHEETS.items()
)


def load_iod2019_mhclg(folder: Path, *, check_counts: bool = True) -> dict[str, pd.DataFrame]:
    """Read IoD2019 Files 1, 2 and 10 from `folder`; London rows only.

    Tables:
    - "imd_ranks" (File 1): lsoa11_code, lsoa11_name, lad19_code, lad19_name, imd_rank, imd_decile.
    - "domain_ranks" (File 2): lsoa11_code, then `<d>_rank`, `<d>_decile` for d in `DOMAINS`.
    - "lad_summaries" (File 10, sheet IMD): lad19_code, lad19_name and the ten IMD summary measures
      (imd_avg_rank, imd_rank_of_avg_rank, imd_avg_score, ..., imd_local_concentration,
      imd_rank_of_local_concentration). Average rank uses ranks where 32,844 is the most deprived;
      the "rank of" columns rank the 317 districts of England, 1 = most deprived.
    - "lad_domain_summaries" (File 10, the other nine sheets): lad19_code, then for d in income, employment,
      education, health, crime, barriers, living_env, idaci, idaopi: `<d>_avg_rank`, `<d>_rank_of_avg_rank`,
      `<d>_avg_score`, `<d>_rank_of_avg_score`, `<d>_prop_most_deprived_10pct`,
      `<d>_rank_of_prop_most_deprived_10pct`; plus income_scale_people, income_rank_of_scale,
      employment_scale_people, employment_rank_of_scale.
    """
    tables = {
        "imd_ranks": load_table(folder, _IOD2019_FILE1, check_counts=check_counts),
        "domain_ranks": load_table(folder, _IOD2019_FILE2, check_counts=check_counts),
        "lad_summaries": load_table(folder, _IOD2019_FILE10_IMD, check_counts=check_counts),
    }
    tables["lad_domain_summaries"] = join_lad_sheets(
        folder, _IOD2019_FILE10_DOMAINS, tables["lad_summaries"]["lad19_code"], check_counts=check_counts
    )
    return tables


# ---------------------------------------------------------------------------------------------------------------------
# IoD2019, the GLA's "ID 2019 for London" workbook
# ---------------------------------------------------------------------------------------------------------------------


def _score_rank_decile(label: str, name: str, *, score_suffix: str = "") -> tuple[Col, ...]:
    return (num_col(f"{label} Score{score_suffix}", f"{name}_score"), *_rank_decile(label, name, N_LSOA11_ENGLAND))


def _gla_table(
    sheet: str, cols: tuple[Col, ...], *, names: bool = False, aliases: dict[str, str] | None = None
) -> Table:
    return _lsoa_table(_GLA_2019, sheet, 2011, cols, names=names, national=False, aliases=aliases)


_GLA_SCORES = _gla_table(
    "IMD 2019",
    tuple(
        c
        for d, label in _DOMAIN_LABELS_2019.items()
        for c in _score_rank_decile(label, d, score_suffix=" (rate)" if d in _RATE_SCORES else "")
    ),
    names=True,
    # The stored copy's first header was renamed by a third party (SOURCES.md); the GLA original is accepted too.
    aliases={"LSOA code (2011)": "geography code"},
)

_GLA_SUBDOMAINS = _gla_table(
    "Sub domains",
    tuple(
        c
        for label, name in (
            ("Children and Young People", "children_young_people"),
            ("Adult Skills", "adult_skills"),
            ("Geographical Barriers", "geographical_barriers"),
            ("Wider Barriers", "wider_barriers"),
            ("Indoors", "indoors"),
            ("Outdoors", "outdoors"),
        )
        for c in _score_rank_decile(f"{label} Sub-domain", name)
    ),
)

_GLA_IDACI_IDAOPI = _gla_table(
    "IDACI and IDAOPI",
    (
        *_score_rank_decile("Income Deprivation Affecting Children Index (IDACI)", "idaci", score_suffix=" (rate)"),
        *_score_rank_decile("Income Deprivation Affecting Older People (IDAOPI)", "idaopi", score_suffix=" (rate)"),
    ),
)

_GLA_POPULATION = _gla_table(
    "Population figures",
    (
        num_col("Total population: mid 2015 (excluding prisoners)", "pop_total_mid2015", low=0),
        num_col("Dependent Children aged 0-15: mid 2015 (excluding prisoners)", "pop_children_0_15_mid2015", low=0),
        num_col("Population aged 16-59: mid 2015 (excluding prisoners)", "pop_16_59_mid2015", low=0),
        num_col("Older population aged 60 and over: mid 2015 (excluding prisoners)", "pop_60_plus_mid2015", low=0),
        num_col(
            "Working age population 18-59/64: for use with Employment Deprivation Domain (excluding prisoners) ",
            "pop_working_age_mid2015",
            low=0,
        ),
    ),
)

#: `Underlying indicators`: published header -> our name. Units: `_km` road distance in kilometres;
#: `_per_1000...` rates; `_count` people (rounded to 5 by the publisher); the rest are proportions, standardised
#: ratios or scores as described in the sheet `Underlying indicators notes`.
_UNDERLYING = {
    "Income Domain numerator": "income_numerator_count",
    "Income Deprivation Affecting Children Index (IDACI) numerator": "idaci_numerator_count",
    "Income Deprivation Affecting Older People Index (IDAOPI) numerator": "idaopi_numerator_count",
    "Employment Domain numerator": "employment_numerator_count",
    "Staying on in education post 16 indicator": "staying_on_post16",
    "Entry to higher education indicator": "entry_to_higher_education",
    "Adult skills and English language proficiency indicator": "adult_skills_english_proficiency",
    "Years of potential life lost indicator": "years_potential_life_lost",
    "Comparative illness and disability ratio indicator": "comparative_illness_disability_ratio",
    "Acute morbidity indicator": "acute_morbidity",
    "Mood and anxiety disorders indicator": "mood_anxiety_disorders",
    "Road distance to a post office indicator (km)": "road_distance_post_office_km",
    "Road distance to a primary school indicator (km)": "road_distance_primary_school_km",
    "Road distance to general store or supermarket indicator (km)": "road_distance_general_store_km",
    "Road distance to a GP surgery indicator (km)": "road_distance_gp_km",
    "Household overcrowding indicator": "household_overcrowding",
    "Homelessness indicator (rate per 1000 households)": "homelessness_per_1000_households",
    "Owner-occupation affordability (component of housing affordability indicator)": "owner_occupation_affordability",
    "Private rental affordability (component of housing affordability indicator)": "private_rental_affordability",
    "Housing affordability indicator": "housing_affordability",
    "Housing in poor condition indicator": "housing_poor_condition",
    "Houses without central heating indicator": "houses_without_central_heating",
    "Road traffic accidents indicator": "road_traffic_accidents_per_1000",
    "Nitrogen dioxide (component of air quality indicator)": "nitrogen_dioxide",
    "Benzene (component of air quality indicator)": "benzene",
    "Sulphur dioxide (component of air quality indicator)": "sulphur_dioxide",
    "Particulates (component of air quality indicator)": "particulates",
    "Air quality indicator": "air_quality",
}
#: Underlying indicators the publisher leaves blank in places: the four benefit numerators (counts under 10
#: suppressed; 5, 387, 84 and 37 London blanks) and entry to higher education (suppressed where fewer than 23
#: young people are at risk; 1 London blank). Every other indicator must be present for every LSOA.
UNDERLYING_MAY_BE_BLANK = frozenset(
    {
        "income_numerator_count",
        "idaci_numerator_count",
        "idaopi_numerator_count",
        "employment_numerator_count",
        "entry_to_higher_education",
    }
)
_GLA_UNDERLYING = _gla_table(
    "Underlying indicators",
    tuple(
        num_col(h, n, low=0 if n.endswith(("_count", "_km")) else None, missing=n in UNDERLYING_MAY_BE_BLANK)
        for h, n in _UNDERLYING.items()
    ),
)

_GLA_BOROUGHS = _lad_table(_GLA_2019, "Borough summary measures", _IMD_SUMMARY_COLS, names=True, national=False)


def load_iod2019_gla(folder: Path, *, check_counts: bool = True) -> dict[str, pd.DataFrame]:
    """Read the GLA's "ID 2019 for London.xlsx" from `folder` (London's 4,835 LSOAs, 2011 codes).

    Tables (LSOA tables keyed by lsoa11_code):
    - "lsoa_scores" (`IMD 2019`): lsoa11_code, lsoa11_name, lad19_code, lad19_name, then `<d>_score`, `<d>_rank`,
      `<d>_decile` for d in `DOMAINS` (income and employment scores are rates 0..1). The sheet's first header may
      read `LSOA code (2011)` (GLA original) or `geography code` (the stored copy); nothing else.
    - "subdomains" (`Sub domains`): lsoa11_code, then score/rank/decile for children_young_people, adult_skills,
      geographical_barriers, wider_barriers, indoors, outdoors.
    - "idaci_idaopi" (`IDACI and IDAOPI`): lsoa11_code, idaci_score, idaci_rank, idaci_decile, idaopi_score,
      idaopi_rank, idaopi_decile (scores are rates 0..1).
    - "population" (`Population figures`): lsoa11_code, pop_total_mid2015, pop_children_0_15_mid2015,
      pop_16_59_mid2015, pop_60_plus_mid2015, pop_working_age_mid2015 (all excluding prisoners; the working-age
      denominator blends mid-2015 and mid-2016). The sheet's unlabelled trailing columns (ONS notes) are ignored.
    - "underlying_indicators" (`Underlying indicators`): lsoa11_code and the 28 indicators named in `_UNDERLYING`;
      blanks allowed only in `UNDERLYING_MAY_BE_BLANK`.
    - "borough_summaries" (`Borough summary measures`): the 33 boroughs, same columns as File 10's "lad_summaries".
    """
    return {
        "lsoa_scores": load_table(folder, _GLA_SCORES, check_counts=check_counts),
        "subdomains": load_table(folder, _GLA_SUBDOMAINS, check_counts=check_counts),
        "idaci_idaopi": load_table(folder, _GLA_IDACI_IDAOPI, check_counts=check_counts),
        "population": load_table(folder, _GLA_POPULATION, check_counts=check_counts),
        "underlying_indicators": load_table(folder, _GLA_UNDERLYING, check_counts=check_counts),
        "borough_summaries": load_table(folder, _GLA_BOROUGHS, check_counts=check_counts),
    }


# ---------------------------------------------------------------------------------------------------------------------
# IoD2025, MHCLG Files 1 and 3
# ---------------------------------------------------------------------------------------------------------------------

_IMD_LABEL = "Index of Multiple Deprivation (IMD)"

_IOD2025_FILE1 = _lsoa_table(
    _FILE1_2025,
    "IMD25",
    2021,
    (
        rank_col(f"{_IMD_LABEL} Rank{_WHERE_RANK}", "imd_rank", N_LSOA21_ENGLAND),
        # Cut short like this in the published file.
        decile_col(f"{_IMD_LABEL} Decile (where 1 is most deprived 10% of LSOA", "imd_decile"),
    ),
)
_IOD2025_FILE3 = _lsoa_table(
    _FILE3_2025,
    "IoD2025 IDACI & IDAOPI",
    2021,
    (
        *_rank_decile(_IMD_LABEL, "imd", N_LSOA21_ENGLAND),
        *_rank_decile("Income Deprivation Affecting Children Index (IDACI)", "idaci", N_LSOA21_ENGLAND),
        *_rank_decile("Income Deprivation Affecting Older People (IDAOPI)", "idaopi", N_LSOA21_ENGLAND),
    ),
    names=False,
)


def load_iod2025_mhclg(folder: Path, *, check_counts: bool = True) -> dict[str, pd.DataFrame]:
    """Read IoD2025 Files 1 and 3 from `folder` (LSOA 2021 codes, LAD 2024); London rows only.

    Tables:
    - "imd" (File 1, `IMD25`): lsoa21_code, lsoa21_name, lad24_code, lad24_name, imd_rank, imd_decile.
    - "idaci_idaopi" (File 3): lsoa21_code, imd_rank, imd_decile, idaci_rank, idaci_decile, idaopi_rank,
      idaopi_decile.
    No scores are published in these files. With `check_counts`, a file must also hold some LSOA codes created
    in 2021 (above E01033768), so a 2011-geography file is refused.
    """
    return {
        "imd": load_table(folder, _IOD2025_FILE1, check_counts=check_counts),
        "idaci_idaopi": load_table(folder, _IOD2025_FILE3, check_counts=check_counts),
    }


# ---------------------------------------------------------------------------------------------------------------------
