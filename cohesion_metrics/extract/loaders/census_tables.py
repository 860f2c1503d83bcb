"""Census 2021 topic summaries declared: which Nomis columns we read, their tidy names, and the sums they keep.

Each table lists its published -> tidy columns and the totals and subtotals every row must add up to;
`check_numerator` refuses an indicator that adds a subtotal to one of its own parts.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from cohesion_metrics import errors

_COB = "Country of birth: "
_VAL = "; measures: Value"
_AGE = "Age: "
_GH = "General health: "
_UH = "Unemployment history: "
_HQ = "Highest level of qualification: "
_ETH = "Ethnic group: "


@dataclass(frozen=True)
class Table:
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

LSOA_TABLES: dict[str, Table] = {
    "ts004": Table(
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
    "ts006": Table(
        "census2021-ts006-lsoa.csv",
        {"Population Density: Persons per square kilometre; measures: Value": "persons_per_km2"},
        counts=False,
    ),
    "ts007a": Table(
        "census2021-ts007a-lsoa.csv",
        {f"{_AGE}Total": "residents_total"} | _AGE_COLUMNS | {f"{_AGE}Aged 85 years and over": "aged_85_plus"},
        (("residents_total", (*_AGE_COLUMNS.values(), "aged_85_plus")),),
    ),
    "ts037": Table(
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
    "ts065": Table(
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
    "ts067": Table(
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
    "ts003": Table(
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
    "ts011": Table(
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
    "ts019": Table(
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
    "ts025": Table(
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
    "ts029": Table(
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
    "ts038": Table(
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
    "ts039": Table(
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
    "ts052": Table(
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


def _descendants(spec: Table, column: str) -> set[str]:
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
            fix="name columns of the table's declaration (cohesion_metrics/extract/loaders/census_tables.py).",
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
TS021_MSOA = Table(
    "census2021-ts021-msoa.csv",
    {f"{_ETH}Total: All usual residents": "residents_total"} | _BROAD_ETHNIC_GROUPS,
    (("residents_total", tuple(_BROAD_ETHNIC_GROUPS.values())),),
)


#: Columns our loader adds to a table (sums of leaf categories, never of a subtotal with its parts).
DERIVED_COLUMNS = {"ts004": ("born_outside_uk",), "ts007a": ("aged_65_plus",)}
