"""Indicator declarations computed from Census 2021: its rates, and the inclusive-space catchments on its populations."""

from __future__ import annotations

from cohesion_metrics.metadata.indicator_type import AGGREGATED, CURRENT, Indicator
from cohesion_metrics.metadata.spaces import SPACE_GROUP_LABELS

_CENSUS = "census2021_lsoa"
_EXACT_2021 = (
    "Computed at LSOA 2021 from counts, with the table's own total as denominator; current wards from the summed "
    "counts of their LSOAs (ONS best fit); LSOA 2011 values use the ONS exact lookup (unchanged and split LSOAs "
    "only; merged LSOAs are left missing); 2014 wards by the ward holding each LSOA 2021's population-weighted "
    "centroid; boroughs exactly."
)
_CATCHMENT = (
    "Straight-line distance in British National Grid from each LSOA 2021 population-weighted centroid (ONS) to "
    "the nearest space; residents (Census 2021) counted as within reach when their LSOA's centroid is. "
    + _EXACT_2021.split(" as denominator; ", 1)[1]
)

CATCHMENT_DISTANCES_M = (400, 800, 1200)


def spaces() -> list[Indicator]:
    """The inclusive-space catchment and two-step floating catchment indicators, per space group."""
    out: list[Indicator] = []
    for group, label in SPACE_GROUP_LABELS.items():
        short = label.removeprefix("a ").removeprefix("an ")
        for d in CATCHMENT_DISTANCES_M:
            out.append(
                Indicator(
                    f"pop_within_{d}m_pct_{group}",
                    f"Residents within {d} m of {label}",
                    f"Share of residents living within {d} m (straight line) of {label}.",
                    "inclusive_spaces",
                    False,
                    "% of residents",
                    "gla_cim",
                    "spaces 2019-2022; residents Census 2021",
                    ("lsoa21", "ward22", *AGGREGATED),
                    scale=100.0,
                    in_composite=(d, group) == (800, "community"),
                    method=_CATCHMENT,
                    note="Straight-line distance understates walking distance; spaces data may be incomplete.",
                )
            )
        out.append(
            Indicator(
                f"nearest_space_m_{group}",
                f"Distance to the nearest {label.removeprefix('a ').removeprefix('an ')}",
                f"Population-weighted mean straight-line distance from where residents live to {label}.",
                "context",
                True,
                "metres",
                "gla_cim",
                "spaces 2019-2022; residents Census 2021",
                ("lsoa21", "ward22", *AGGREGATED),
                method=_CATCHMENT,
                note="A display measure, never in the default: it mostly measures density.",
            )
        )
        out.append(
            Indicator(
                f"spaces_per_10k_{group}",
                f"Spaces per 10,000 residents: {label.removeprefix('a ').removeprefix('an ')}",
                f"Number of {label.removeprefix('a ').removeprefix('an ')} venues per 10,000 residents (Census 2021).",
                "inclusive_spaces",
                False,
                "per 10,000 residents",
                "gla_cim",
                "spaces 2019-2022; residents Census 2021",
                ("ward", "ward22", "borough"),
                method="Spaces counted by the polygon they lie in; residents as in the catchments.",
                note="Counts say nothing of opening hours, capacity or who feels welcome.",
            )
        )
        out.append(
            Indicator(
                f"spaces_per_1k_800m_{group}",
                f"Spaces within 800 m per 1,000 residents who share them: {short}",
                f"Supply of {label} within 800 m, shared among everyone within 800 m of each space (two-step "
                "floating catchment): higher = more spaces per resident in reach.",
                "inclusive_spaces",
                False,
                "spaces per 1,000 residents",
                "gla_cim",
                "spaces 2019-2022; residents Census 2021",
                CURRENT,
                in_composite=group != "any",
                method=_2SFCA,
                note="Counts say nothing of opening hours, capacity or who feels welcome.",
            )
        )
    return out


_2SFCA = (
    "Two-step floating catchment at 800 m (straight line) between ONS LSOA 2021 population-weighted centroids and "
    "spaces: for each space j, R_j = 1 / residents (Census 2021) of the LSOAs whose centroid is within 800 m; for "
    "each LSOA i, A_i = 1,000 x the sum of R_j over the spaces within 800 m of its centroid. Current wards and "
    "boroughs: Census-2021-population-weighted mean of A_i."
)


def _rate(  # noqa: PLR0917 - mirrors the Indicator fields, in order
    id_: str,
    label: str,
    definition: str,
    pillar: str,
    more_need: bool | None,
    table: str,
    numerator: tuple[str, ...],
    denominator: str,
    *,
    in_composite: bool = False,
    unit: str = "% of residents",
    note: str = "",
) -> Indicator:
    return Indicator(
        id_,
        label,
        definition,
        pillar,
        more_need,
        unit,
        _CENSUS,
        "Census 2021",
        ("lsoa21", "ward22", *AGGREGATED),
        table=table,
        numerator=numerator,
        denominator=denominator,
        scale=100.0,
        in_composite=in_composite,
        method=_EXACT_2021,
        note=note,
    )


def census() -> list[Indicator]:
    """The Census 2021 rates (LSOA 2021, carried to the other levels)."""
    return [
        _rate(
            "aged_65_plus_pct",
            "Residents aged 65 and over",
            "Share of usual residents aged 65 or over.",
            "vulnerability",
            True,
            "ts007a",
            ("aged_65_plus",),
            "residents_total",
            in_composite=True,
            note="Age is not a deficit: older residents are more exposed to isolation in an emergency, which "
            "networks can reach.",
        ),
        _rate(
            "bad_health_pct",
            "Residents in bad or very bad health",
            "Share of usual residents reporting bad or very bad general health.",
            "vulnerability",
            True,
            "ts037",
            ("health_bad", "health_very_bad"),
            "residents_total",
            in_composite=True,
        ),
        _rate(
            "disabled_pct",
            "Residents disabled under the Equality Act",
            "Share of usual residents whose day-to-day activities are limited a lot or a little by a long-term "
            "condition (TS038; the parts, not the 'disabled' subtotal, are summed).",
            "vulnerability",
            True,
            "ts038",
            ("disabled_limited_a_lot", "disabled_limited_a_little"),
            "residents_total",
            in_composite=True,
        ),
        _rate(
            "unpaid_care_50h_pct",
            "Residents aged 5+ giving 50+ hours of unpaid care a week",
            "Share of usual residents aged 5 and over who provide 50 or more hours of unpaid care a week (TS039).",
            "vulnerability",
            True,
            "ts039",
            ("care_50h_plus",),
            "residents_5_plus_total",
            in_composite=True,
            unit="% of residents aged 5+",
        ),
        _rate(
            "older_living_alone_pct",
            "Households of one person aged 66 or over",
            "Share of households that are one person aged 66 or over living alone (TS003).",
            "vulnerability",
            True,
            "ts003",
            ("one_person_66_plus",),
            "households_total",
            in_composite=True,
            unit="% of households",
        ),
        _rate(
            "hh_deprived_2plus_pct",
            "Households deprived in two or more dimensions",
            "Share of households deprived in two, three or four of the Census dimensions (employment, education, "
            "health and disability, housing), TS011.",
            "urgent_needs",
            True,
            "ts011",
            ("deprived_2", "deprived_3", "deprived_4"),
            "households_total",
            in_composite=True,
            unit="% of households",
        ),
        _rate(
            "overcrowded_hh_pct",
            "Overcrowded households (too few bedrooms)",
            "Share of households with an occupancy rating for bedrooms of -1 or less (fewer bedrooms than the "
            "household needs), TS052.",
            "urgent_needs",
            True,
            "ts052",
            ("occupancy_minus1", "occupancy_minus2"),
            "households_total",
            in_composite=True,
            unit="% of households",
        ),
        _rate(
            "same_address_1y_pct",
            "Residents at the same address a year before (residential stability)",
            "Share of usual residents aged 1 and over whose address a year before the census was the same "
            "(TS019; the table's total excludes babies under 1). Higher = more stable = more capacity.",
            "connections",
            False,
            "ts019",
            ("same_address",),
            "residents_1_plus_total",
            in_composite=True,
            unit="% of residents aged 1+",
            note="Churn is not a failing of residents: it marks where networks have to be rebuilt more often.",
        ),
        _rate(
            "cannot_speak_english_well_pct",
            "Residents aged 3+ who cannot speak English well or at all",
            "Share of usual residents aged 3 and over whose main language is not English and who cannot speak "
            "English well or cannot speak it (TS029). Higher = a larger language barrier to connection.",
            "connections",
            True,
            "ts029",
            ("cannot_speak_english_well", "cannot_speak_english"),
            "residents_3_plus_total",
            in_composite=True,
            unit="% of residents aged 3+",
            note="A barrier services (ESOL, interpreting, outreach) address, never a deficit of the community.",
        ),
        _rate(
            "no_adult_english_hh_pct",
            "Households where no adult has English as a main language",
            "Share of households in which no adult has English (or Welsh in Wales) as a main language, whether or "
            "not a child does (TS025). Higher = a larger language barrier to connection.",
            "connections",
            True,
            "ts025",
            ("no_adults_english_child_does", "no_one_english"),
            "households_total",
            in_composite=True,
            unit="% of households",
            note="A barrier services (ESOL, interpreting, outreach) address, never a deficit of the community.",
        ),
        _rate(
            "no_qualifications_pct",
            "Residents 16+ with no qualifications",
            "Share of residents aged 16 and over with no qualifications.",
            "context",
            True,
            "ts067",
            ("qual_none",),
            "residents_16_plus_total",
        ),
        _rate(
            "born_outside_uk_pct",
            "Residents born outside the UK",
            "Share of usual residents born outside the UK.",
            "context",
            None,
            "ts004",
            ("born_outside_uk",),
            "residents_total",
            note="Context only: diversity is never scored as a deficit.",
        ),
    ]
