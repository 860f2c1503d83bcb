"""Census 2021 topic summaries in the Nomis bulk layout (LSOA 2021 and MSOA 2021, England and Wales).

Every Nomis file starts with `date, geography, geography code`, then one column per category named as
Nomis names it (e.g. `Country of birth: Europe: United Kingdom; measures: Value`). We keep those names as
published when reading, then rename them to snake_case counts.

Geography choice: the files carry no local authority code, and LSOA/MSOA names ("Camden 001A") are not a
safe key, so these loaders return **all England and Wales rows** (35,672 LSOAs; 7,264 MSOAs) keyed by
`lsoa21_code` / `msoa21_code`. The build keeps London by joining to the London 2021 geographies (or the ONS
LSOA21 -> LAD lookup); this keeps the loader independent of any other source folder.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from cohesion_metrics import errors
from cohesion_metrics.extract import source_files, validate

#: Published rows: 33,755 English + 1,917 Welsh LSOAs (2021); 7,264 MSOAs.
LSOA21_ROWS = 35_672
MSOA21_ROWS = 7_264
CENSUS_DATE = 2021

_ID_COLUMNS = ("date", "geography", "geography code")

_COB = "Country of birth: "
_VAL = "; measures: Value"
_AGE = "Age: "
_GH = "General health: "
_UH = "Unemployment history: "
_HQ = "Highest level of qualification: "
_ETH = "Ethnic group: "


@dataclass(frozen=True)
class _Table:
    """One Nomis topic summary: its file, published -> tidy column names, and the sums it guarantees."""

    file: str
    columns: dict[str, str]
    #: (tidy total, tidy parts) pairs that must hold on every row.
    sums: tuple[tuple[str, tuple[str, ...]], ...] = ()
    counts: bool = True


_AGE_BANDS = [(0, 4), *((a, a + 4) for a in range(5, 85, 5))]
_AGE_COLUMNS = {f"{_AGE}Aged 4 years and under": "aged_0_4"} | {
    f"{_AGE}Aged {lo} to {hi} years": f"aged_{lo}_{hi}" for lo, hi in _AGE_BANDS[1:]
}

LSOA_TABLES: dict[str, _Table] = {
    "ts004": _Table(
        "census2021-ts004-lsoa.csv",
        {
            f"{_COB}Total{_VAL}": "residents_total",
            f"{_COB}Europe{_VAL}": "born_europe",
            f"{_COB}Europe: United Kingdom{_VAL}": "born_uk",
            f"{_COB}Europe: EU countries{_VAL}": "born_eu",
            f"{_COB}Europe: EU countries: European Union EU14{_VAL}": "born_eu14",
            f"{_COB}Europe: EU countries: European Union EU8{_VAL}": "born_eu8",
            f"{_COB}Europe: EU countries: European Union EU2{_VAL}": "born_eu2",
            f"{_COB}Europe: EU countries: All other EU countries{_VAL}": "born_eu_other",
            f"{_COB}Europe: Non-EU countries{_VAL}": "born_europe_non_eu",
            f"{_COB}Europe: Non-EU countries: All other non-EU countries{_VAL}": "born_europe_non_eu_other",
            f"{_COB}Africa{_VAL}": "born_africa",
            f"{_COB}Middle East and Asia{_VAL}": "born_middle_east_asia",
            f"{_COB}The Americas and the Caribbean{_VAL}": "born_americas_caribbean",
            f"{_COB}Antarctica and Oceania (including Australasia) and Other{_VAL}": "born_oceania_antarctica_other",
            # The space before ';' is in the published header.
            f"{_COB}British Overseas {_VAL}": "born_british_overseas",
        },
        (
            (
                "residents_total",
                (
                    "born_europe",
                    "born_africa",
                    "born_middle_east_asia",
                    "born_americas_caribbean",
                    "born_oceania_antarctica_other",
                    "born_british_overseas",
                ),
            ),
            ("born_europe", ("born_uk", "born_eu", "born_europe_non_eu")),
            ("born_eu", ("born_eu14", "born_eu8", "born_eu2", "born_eu_other")),
            ("born_europe_non_eu", ("born_europe_non_eu_other",)),
        ),
    ),
    "ts006": _Table(
        "census2021-ts006-lsoa.csv",
        {"Population Density: Persons per square kilometre; measures: Value": "persons_per_km2"},
        counts=False,
    ),
    "ts007a": _Table(
        "census2021-ts007a-lsoa.csv",
        {f"{_AGE}Total": "residents_total"} | _AGE_COLUMNS | {f"{_AGE}Aged 85 years and over": "aged_85_plus"},
        (("residents_total", (*_AGE_COLUMNS.values(), "aged_85_plus")),),
    ),
    "ts037": _Table(
        "census2021-ts037-lsoa.csv",
        {
            f"{_GH}Total: All usual residents": "residents_total",
            f"{_GH}Very good health": "health_very_good",
            f"{_GH}Good health": "health_good",
            f"{_GH}Fair health": "health_fair",
            f"{_GH}Bad health": "health_bad",
            f"{_GH}Very bad health": "health_very_bad",
        },
        (("residents_total", ("health_very_good", "health_good", "health_fair", "health_bad", "health_very_bad")),),
    ),
    "ts065": _Table(
        "census2021-ts065-lsoa.csv",
        {
            f"{_UH}Total: All usual residents aged 16 years and over not in employment the week before the census": (
                "not_in_employment_16_plus_total"
            ),
            f"{_UH}Not in employment: Worked in the last 12 months": "not_in_employment_worked_last_12_months",
            f"{_UH}Not in employment: Not worked in the last 12 months": "not_in_employment_not_worked_last_12_months",
            f"{_UH}Not in employment: Never worked": "not_in_employment_never_worked",
        },
        (
            (
                "not_in_employment_16_plus_total",
                (
                    "not_in_employment_worked_last_12_months",
                    "not_in_employment_not_worked_last_12_months",
                    "not_in_employment_never_worked",
                ),
            ),
        ),
    ),
    "ts067": _Table(
        "census2021-ts067-lsoa.csv",
        {
            f"{_HQ}Total: All usual residents aged 16 years and over": "residents_16_plus_total",
            f"{_HQ}No qualifications": "qual_none",
            f"{_HQ}Level 1 and entry level qualifications": "qual_level1_entry",
            f"{_HQ}Level 2 qualifications": "qual_level2",
            f"{_HQ}Apprenticeship": "qual_apprenticeship",
            f"{_HQ}Level 3 qualifications": "qual_level3",
            f"{_HQ}Level 4 qualifications and above": "qual_level4_plus",
            f"{_HQ}Other qualifications": "qual_other",
        },
        (
            (
                "residents_16_plus_total",
                (
                    "qual_none",
                    "qual_level1_entry",
                    "qual_level2",
                    "qual_apprenticeship",
                    "qual_level3",
                    "qual_level4_plus",
                    "qual_other",
                ),
            ),
        ),
    ),
}

_HC = "Household composition: "
_HD = "Household deprivation: "
_MI = "Migrant indicator: "
_HL = "Household language (English and Welsh): "
_ENG = "English in England, or English or Welsh in Wales as a main language"
_PE = "Proficiency in English language: "
_NOT_ENG = f"{_PE}Main language is not English (English or Welsh in Wales)"
_DIS = "Disability: "
_UC = "Provision of unpaid care: "
_OR = "Occupancy rating for bedrooms: "

# Tables of the 2026-12-02 addition. TS003, TS011 and TS019 quote every header and end it in "; measures: Value";
# the others do not. Subtotals (e.g. "One person household") are declared in `sums` with their parts, and the
# total with the top-level parts only, so no subtotal is ever added to its own parts.
LSOA_TABLES |= {
    "ts003": _Table(
        "census2021-ts003-lsoa.csv",
        {
            f"{_HC}Total{_VAL}": "households_total",
            f"{_HC}One person household{_VAL}": "one_person",
            f"{_HC}One person household: Aged 66 years and over{_VAL}": "one_person_66_plus",
            f"{_HC}One person household: Other{_VAL}": "one_person_other",
            f"{_HC}Single family household{_VAL}": "single_family",
            f"{_HC}Other household types{_VAL}": "other_household_types",
        },
        (
            ("households_total", ("one_person", "single_family", "other_household_types")),
            ("one_person", ("one_person_66_plus", "one_person_other")),
        ),
    ),
    "ts011": _Table(
        "census2021-ts011-lsoa.csv",
        {
            f"{_HD}Total: All households{_VAL}": "households_total",
            f"{_HD}Household is not deprived in any dimension{_VAL}": "deprived_0",
            f"{_HD}Household is deprived in one dimension{_VAL}": "deprived_1",
            f"{_HD}Household is deprived in two dimensions{_VAL}": "deprived_2",
            f"{_HD}Household is deprived in three dimensions{_VAL}": "deprived_3",
            f"{_HD}Household is deprived in four dimensions{_VAL}": "deprived_4",
        },
        (("households_total", ("deprived_0", "deprived_1", "deprived_2", "deprived_3", "deprived_4")),),
    ),
    "ts019": _Table(
        "census2021-ts019-lsoa.csv",
        {
            # Labelled "All usual residents" but excludes residents under 1 (they had no address a year before).
            f"{_MI}Total: All usual residents{_VAL}": "residents_1_plus_total",
            f"{_MI}Address one year ago is the same as the address of enumeration{_VAL}": "same_address",
            f"{_MI}Address one year ago is student term-time or boarding school address in the UK{_VAL}": (
                "student_address"
            ),
            f"{_MI}Migrant from within the UK: Address one year ago was in the UK{_VAL}": "migrant_within_uk",
            f"{_MI}Migrant from outside the UK: Address one year ago was outside the UK{_VAL}": "migrant_outside_uk",
        },
        (
            (
                "residents_1_plus_total",
                ("same_address", "student_address", "migrant_within_uk", "migrant_outside_uk"),
            ),
        ),
    ),
    "ts025": _Table(
        "census2021-ts025-lsoa.csv",
        {
            f"{_HL}Total: All households": "households_total",
            f"{_HL}All adults in household have {_ENG}": "all_adults_english",
            f"{_HL}At least one but not all adults in household have {_ENG}": "some_adults_english",
            f"{_HL}No adults in household, but at least one person aged 3 to 15 years, has English in England "
            "or English or Welsh in Wales as a main language": "no_adults_english_child_does",
            f"{_HL}No people in household have {_ENG}": "no_one_english",
        },
        (
            (
                "households_total",
                ("all_adults_english", "some_adults_english", "no_adults_english_child_does", "no_one_english"),
            ),
        ),
    ),
    "ts029": _Table(
        "census2021-ts029-lsoa.csv",
        {
            f"{_PE}Total: All usual residents aged 3 years and over": "residents_3_plus_total",
            f"{_PE}Main language is English (English or Welsh in Wales)": "main_language_english",
            _NOT_ENG: "main_language_not_english",
            f"{_NOT_ENG}: Can speak English very well": "speaks_english_very_well",
            f"{_NOT_ENG}: Can speak English well": "speaks_english_well",
            f"{_NOT_ENG}: Cannot speak English well": "cannot_speak_english_well",
            f"{_NOT_ENG}: Cannot speak English": "cannot_speak_english",
        },
        (
            ("residents_3_plus_total", ("main_language_english", "main_language_not_english")),
            (
                "main_language_not_english",
                (
                    "speaks_english_very_well",
                    "speaks_english_well",
                    "cannot_speak_english_well",
                    "cannot_speak_english",
                ),
            ),
        ),
    ),
    "ts038": _Table(
        "census2021-ts038-lsoa.csv",
        {
            f"{_DIS}Total: All usual residents": "residents_total",
            f"{_DIS}Disabled under the Equality Act": "disabled",
            f"{_DIS}Disabled under the Equality Act: Day-to-day activities limited a lot": "disabled_limited_a_lot",
            f"{_DIS}Disabled under the Equality Act: Day-to-day activities limited a little": (
                "disabled_limited_a_little"
            ),
            f"{_DIS}Not disabled under the Equality Act": "not_disabled",
            f"{_DIS}Not disabled under the Equality Act: Has long term physical or mental health condition but "
            "day-to-day activities are not limited": "not_disabled_condition_not_limiting",
            f"{_DIS}Not disabled under the Equality Act: No long term physical or mental health conditions": (
                "not_disabled_no_condition"
            ),
        },
        (
            ("residents_total", ("disabled", "not_disabled")),
            ("disabled", ("disabled_limited_a_lot", "disabled_limited_a_little")),
            ("not_disabled", ("not_disabled_condition_not_limiting", "not_disabled_no_condition")),
        ),
    ),
    "ts039": _Table(
        "census2021-ts039-lsoa.csv",
        {
            f"{_UC}Total: All usual residents aged 5 and over": "residents_5_plus_total",
            f"{_UC}Provides no unpaid care": "care_none",
            f"{_UC}Provides 19 hours or less unpaid care a week": "care_19h_or_less",
            f"{_UC}Provides 9 hours or less unpaid care a week": "care_9h_or_less",
            f"{_UC}Provides 10 to 19 hours unpaid care a week": "care_10_19h",
            f"{_UC}Provides 20 to 49 hours unpaid care a week": "care_20_49h",
            f"{_UC}Provides 20 to 34 hours unpaid care a week": "care_20_34h",
            f"{_UC}Provides 35 to 49 hours unpaid care a week": "care_35_49h",
            f"{_UC}Provides 50 or more hours unpaid care a week": "care_50h_plus",
        },
        (
            ("residents_5_plus_total", ("care_none", "care_19h_or_less", "care_20_49h", "care_50h_plus")),
            ("care_19h_or_less", ("care_9h_or_less", "care_10_19h")),
            ("care_20_49h", ("care_20_34h", "care_35_49h")),
        ),
    ),
    "ts052": _Table(
        "census2021-ts052-lsoa.csv",
        {
            f"{_OR}Total: All households": "households_total",
            f"{_OR}Occupancy rating of bedrooms: +2 or more": "occupancy_plus2",
            f"{_OR}Occupancy rating of bedrooms: +1": "occupancy_plus1",
            f"{_OR}Occupancy rating of bedrooms: 0": "occupancy_0",
            f"{_OR}Occupancy rating of bedrooms: -1": "occupancy_minus1",
            f"{_OR}Occupancy rating of bedrooms: -2 or less": "occupancy_minus2",
        },
        (
            (
                "households_total",
                ("occupancy_plus2", "occupancy_plus1", "occupancy_0", "occupancy_minus1", "occupancy_minus2"),
            ),
        ),
    ),
}


def _descendants(spec: _Table, column: str) -> set[str]:
    """Every column that is part of `column`'s subtotal, at any depth (empty for a leaf)."""
    parts = {p for total, ps in spec.sums if total == column for p in ps}
    return parts.union(*(_descendants(spec, p) for p in parts)) if parts else set()


def check_numerator(table: str, numerator: Sequence[str], *, indicator: str) -> None:
    """Raise SubtotalDoubleCountError if `numerator` adds a subtotal to one of its own parts, or names no column."""
    spec = LSOA_TABLES[table]
    known = set(spec.columns.values()) | set(DERIVED_COLUMNS.get(table, ()))
    unknown = [c for c in numerator if c not in known]
    if unknown:
        raise errors.SubtotalDoubleCountError(
            f"indicator {indicator!r} sums {unknown}, which table {table} does not have.",
            path=spec.file,
            column=unknown[0],
            fix="name columns of the table's loader (cohesion_metrics/extract/loaders/census.py).",
        )
    for column in numerator:
        overlap = sorted(_descendants(spec, column) & set(numerator))
        if overlap:
            raise errors.SubtotalDoubleCountError(
                f"indicator {indicator!r} sums the subtotal {column!r} together with its own part(s) {overlap}: "
                "those people would be counted twice.",
                path=spec.file,
                column=column,
                fix="sum either the subtotal or its parts, never both.",
            )


_BROAD_ETHNIC_GROUPS = {
    f"{_ETH}Asian, Asian British or Asian Welsh": "ethnic_asian",
    f"{_ETH}Black, Black British, Black Welsh, Caribbean or African": "ethnic_black",
    f"{_ETH}Mixed or Multiple ethnic groups": "ethnic_mixed",
    f"{_ETH}White": "ethnic_white",
    f"{_ETH}Other ethnic group": "ethnic_other",
}
TS021_MSOA = _Table(
    "census2021-ts021-msoa.csv",
    {f"{_ETH}Total: All usual residents": "residents_total"} | _BROAD_ETHNIC_GROUPS,
    (("residents_total", tuple(_BROAD_ETHNIC_GROUPS.values())),),
)


#: Columns our loader adds to a table (sums of leaf categories, never of a subtotal with its parts).
DERIVED_COLUMNS = {"ts004": ("born_outside_uk",), "ts007a": ("aged_65_plus",)}


def load_census2021_lsoa(folder: Path, *, check_counts: bool = True) -> dict[str, pd.DataFrame]:
    """Read the Census 2021 topic summaries of `LSOA_TABLES` at LSOA 2021: all England and Wales rows.

    Tables (one row per `lsoa21_code`, with `lsoa21_name`; counts are persons):
    "ts004" country of birth (plus derived `born_outside_uk`), "ts006" `persons_per_km2`, "ts007a" five-year
    age bands (plus derived `aged_65_plus`), "ts037" general health, "ts065" employment history of residents
    16+ not in employment, "ts067" highest qualification of residents 16+; "ts003" household composition,
    "ts011" household deprivation dimensions, "ts019" address one year ago (residents 1+), "ts025" household
    language, "ts029" English proficiency (residents 3+), "ts038" disability, "ts039" unpaid care (residents 5+),
    "ts052" bedroom occupancy rating. Each table keeps its own total: totals differ between tables.
    """
    tables: dict[str, pd.DataFrame] = {}
    for key, spec in LSOA_TABLES.items():
        tables[key] = _read_nomis(folder / spec.file, spec, "lsoa", LSOA21_ROWS if check_counts else None)
    ts004 = tables["ts004"]
    ts004["born_outside_uk"] = ts004["residents_total"] - ts004["born_uk"]
    ts007a = tables["ts007a"]
    ts007a["aged_65_plus"] = ts007a[["aged_65_69", "aged_70_74", "aged_75_79", "aged_80_84", "aged_85_plus"]].sum(
        axis=1
    )
    _check_same_codes(tables, folder, "lsoa21_code")
    return tables


def load_census2021_ts021_msoa(folder: Path, *, check_counts: bool = True) -> dict[str, pd.DataFrame]:
    """Read TS021 ethnic group at MSOA 2021: all England and Wales rows.

    Table "ts021": `msoa21_code`, `msoa21_name`, `residents_total` and the five broad groups `ethnic_asian`,
    `ethnic_black`, `ethnic_mixed`, `ethnic_white`, `ethnic_other` (persons), which sum to the total.
    Context only: diversity is never scored as a deficit.
    """
    path = folder / TS021_MSOA.file
    return {"ts021": _read_nomis(path, TS021_MSOA, "msoa", MSOA21_ROWS if check_counts else None)}


def _read_nomis(path: Path, spec: _Table, geography: str, rows: int | None) -> pd.DataFrame:
    """Read one Nomis bulk CSV of `geography` ("lsoa" or "msoa"), validate it, and return tidy columns."""
    published = list(spec.columns)
    raw = source_files.read_csv(
        path,
        [*_ID_COLUMNS, *published],
        dtype={"geography": "string", "geography code": "string"},
        encoding="utf-8",
        fix="download the Nomis bulk file again.",
    )
    if rows is not None:
        validate.check_row_count(raw, rows, path=path)
    codes = raw["geography code"]
    validate.check_codes(codes, geography, path=path, column="geography code", vintage=CENSUS_DATE, allow_wales=True)
    validate.check_unique(codes, path=path, column="geography code")
    validate.raise_at_first(
        (pd.to_numeric(raw["date"], errors="coerce") != CENSUS_DATE).to_numpy(),
        errors.CodeVintageError,
        lambda _, i: f"the date is {raw['date'].iloc[i]!r}, not {CENSUS_DATE}.",
        path=path,
        column="date",
        fix="use the Census 2021 release of this table.",
    )
    values = validate.to_numeric(raw, published, path=path)
    level = f"{geography}21"
    out = pd.DataFrame({f"{level}_code": codes, f"{level}_name": raw["geography"]})
    for pub, tidy in spec.columns.items():
        column = values[pub]
        if spec.counts:
            validate.check_range(column, 0, 10_000_000, path=path, column=pub)
            out[tidy] = _as_int(column, path, pub)
        else:
            validate.check_range(column, 0, 1_000_000, path=path, column=pub)
            out[tidy] = column
    tidy_to_pub = {tidy: pub for pub, tidy in spec.columns.items()}
    for total, parts in spec.sums:
        validate.check_sum(out, total, parts, path=path, column=tidy_to_pub[total], key=f"{level}_code")
    return out


def _as_int(column: pd.Series, path: Path, name: str) -> pd.Series:
    """Return counts as int64; a fractional count is a NonNumericValueError."""
    validate.raise_at_first(
        (column % 1 != 0).to_numpy(),
        errors.NonNumericValueError,
        lambda _, i: f"counts must be whole numbers; found {column.iloc[i]!r}.",
        path=path,
        column=name,
        fix="use the Nomis bulk file unchanged.",
    )
    return column.astype("int64")


def _check_same_codes(tables: dict[str, pd.DataFrame], folder: Path, key: str) -> None:
    """All six tables must cover the same LSOAs."""
    first_name = next(iter(tables))
    reference = set(tables[first_name][key])
    for name, frame in tables.items():
        extra = sorted(set(frame[key]) ^ reference)
        if extra:
            raise errors.CodeVintageError(
                f"{len(extra)} LSOA code(s) differ from {LSOA_TABLES[first_name].file}; first is {extra[0]!r}.",
                path=folder / LSOA_TABLES[name].file,
                column="geography code",
                fix="use files from the same Nomis bulk release.",
            )
