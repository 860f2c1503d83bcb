"""The indicator registry: every indicator declared once, with its meaning, pillar, direction, unit and source.

Pages, the composite and the data dictionary read this registry; none hard-codes an indicator name.
An indicator with `table`/`column` is read from a raw table at its native level by the build; the others
are computed by our code (borough summaries, catchments) and say so in `method`.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from cohesion_metrics.metadata.spaces import SPACE_GROUP_LABELS


@dataclass(frozen=True)
class Pillar:
    """A pillar of the report's framework: its axis (role) and the recommendation 5 action it points to."""

    id: str
    label: str
    description: str
    #: The axis the pillar belongs to: "need", "capacity", "hazard" or "context" (shown, never scored).
    role: str
    #: Recommendation 5 letter: (a) spaces, (b) networks, (c) trust, (d) participation, (e) urgent needs; "" for none.
    letter: str

    @property
    def action(self) -> str:
        """The recommendation 5 action, e.g. "(a) inclusive spaces"."""
        return f"({self.letter}) {RECOMMENDATION_5[self.letter]}" if self.letter else ""

    @property
    def is_capacity(self) -> bool:
        """True for the cohesion-capacity pillars."""
        return self.role == "capacity"


#: Recommendation 5 of the report: what to fund.
RECOMMENDATION_5 = {
    "a": "inclusive spaces",
    "b": "network building",
    "c": "trust",
    "d": "participatory decision making",
    "e": "urgent needs and root causes",
    "f": "capacity building",
}
ROLES = ("need", "capacity", "hazard", "context")

PILLARS: tuple[Pillar, ...] = (
    Pillar(
        "urgent_needs",
        "Urgent needs and root causes",
        "Economic insecurity, housing and access to services.",
        "need",
        "e",
    ),
    Pillar(
        "vulnerability",
        "Vulnerability",
        "People an emergency hits hardest: poor health, disability, heavy caring, older people living alone.",
        "need",
        "e",
    ),
    Pillar(
        "inclusive_spaces", "Inclusive spaces", "Places people can reach to meet across differences.", "capacity", "a"
    ),
    Pillar(
        "connections",
        "Connections and networks",
        "Conditions for everyday connection: residential stability and language barriers services can lower.",
        "capacity",
        "b",
    ),
    Pillar(
        "trust", "Trust", "Trust in local institutions (only police-trust measures are available).", "capacity", "c"
    ),
    Pillar(
        "participation",
        "Participation and community ownership",
        "Taking part in local decisions and civic life.",
        "capacity",
        "d",
    ),
    Pillar(
        "hazard_flood",
        "Flood exposure",
        "Residents in Flood Zone 3 (rivers and sea, defences ignored).",
        "hazard",
        "",
    ),
    Pillar("hazard_heat", "Heat exposure", "Low tree canopy, a proxy for heat exposure.", "hazard", ""),
    Pillar("hazard_air", "Air pollution", "Pollutant concentrations (IoD2019 air quality indicator).", "hazard", ""),
    Pillar("context", "Context", "Descriptive figures shown for context, never scored.", "context", ""),
)
PILLARS_BY_ID = {p.id: p for p in PILLARS}


def pillars_with_role(role: str) -> tuple[str, ...]:
    """The ids of the pillars on one axis ("need", "capacity", "hazard"), in registry order."""
    if role not in ROLES:
        raise ValueError(f"unknown role {role!r}; roles are {list(ROLES)}")
    return tuple(p.id for p in PILLARS if p.role == role)


@dataclass(frozen=True)
class Indicator:
    """One indicator and everything needed to read, score and explain it."""

    id: str
    label: str
    definition: str
    pillar: str
    #: True where a higher value means more need; None for context measures (ranks/deciles shown as published).
    higher_is_more_need: bool | None
    unit: str
    source_id: str
    vintage: str
    #: Levels at which values exist (the first is the native level).
    levels: tuple[str, ...]
    #: Raw table and column for indicators read directly, e.g. table "lsoa_scores", column "income_score".
    table: str | None = None
    column: str | None = None
    #: Row filter for long raw tables, e.g. {"measure": "anxiety", "period": "2018/19"}.
    where: tuple[tuple[str, str], ...] = ()
    #: For Census 2021 rates computed at LSOA 2021: numerator columns and the denominator column of `table`.
    numerator: tuple[str, ...] = ()
    denominator: str | None = None
    #: Multiplier applied to a ratio (100 for percentages).
    scale: float = 1.0
    #: Part of the default composite (pillar indicators with a direction).
    in_composite: bool = False
    method: str = "As published."
    note: str = ""


_IOD_DOMAINS: tuple[tuple[str, str, str, str], ...] = (
    # key, label, score unit, what the score measures
    (
        "imd",
        "Index of Multiple Deprivation",
        "score",
        "The overall IMD score: a weighted combination of the seven domains (income 22.5%, employment 22.5%, "
        "education 13.5%, health 13.5%, crime 9.3%, barriers 9.3%, living environment 9.3%).",
    ),
    (
        "income",
        "Income deprivation",
        "proportion of residents",
        "The proportion of the population experiencing deprivation relating to low income.",
    ),
    (
        "employment",
        "Employment deprivation",
        "proportion of working-age residents",
        "The proportion of the working-age population involuntarily excluded from the labour market.",
    ),
    (
        "education",
        "Education, skills and training deprivation",
        "score",
        "Lack of attainment and skills among children, young people and adults.",
    ),
    (
        "health",
        "Health deprivation and disability",
        "score",
        "Risk of premature death and impaired quality of life through poor physical or mental health.",
    ),
    ("crime", "Crime", "score", "Risk of personal and material victimisation (recorded crime)."),
    (
        "barriers",
        "Barriers to housing and services",
        "score",
        "Physical and financial accessibility of housing and local services.",
    ),
    (
        "living_env",
        "Living environment deprivation",
        "score",
        "Quality of the local environment: housing condition, air quality, road traffic accidents.",
    ),
)


#: IoD2019 domains in the need axis: economic insecurity, housing and services (urgent needs) and health
#: (vulnerability); the others are context.
_DOMAIN_PILLARS = {
    "income": "urgent_needs",
    "employment": "urgent_needs",
    "barriers": "urgent_needs",
    "health": "vulnerability",
}
_AGGREGATED = ("lsoa11", "ward", "borough")
_POP_MEAN = "Ward and borough values: population-weighted mean of the LSOA values (mid-2015 denominators)."
#: Current levels: LSOA 2021, current wards (2022 boundaries), boroughs.
_CURRENT = ("lsoa21", "ward22", "borough")
#: LSOA 2011 values carried to LSOA 2021 (native level first).
_CARRIED = ("lsoa11", "ward", "lsoa21", "ward22", "borough")
_CARRY = (
    "Published for LSOA 2011. LSOA 2021 values through the ONS exact lookup: unchanged and split LSOAs carry the "
    "2011 value, merged ones the mean of their parents weighted by mid-2015 population, complex ones are left "
    "missing (assignment lookup_unchanged / lookup_split / lookup_merged). 2014 wards: population-weighted mean of "
    "the LSOA 2011 values (mid-2015); current wards and boroughs: Census-2021-population-weighted mean of the "
    "LSOA 2021 values."
)
_CURRENT_MEAN = "Current wards and boroughs: Census-2021-population-weighted mean of the LSOA 2021 values."


def _iod2019() -> list[Indicator]:
    out: list[Indicator] = []
    for key, label, unit, meaning in _IOD_DOMAINS:
        pillar = _DOMAIN_PILLARS.get(key, "context")
        src, vintage, table = "iod2019_gla_london", "IoD2019 (data mostly 2015/16)", "lsoa_scores"
        carried = key in _DOMAIN_PILLARS
        out += [
            Indicator(
                f"{key}2019_score",
                f"{label} (IoD2019 score)",
                meaning + " Higher = more deprived.",
                pillar,
                True,
                unit,
                src,
                vintage,
                _CARRIED if carried else _AGGREGATED,
                table=table,
                column=f"{key}_score",
                method=_CARRY if carried else _POP_MEAN,
                in_composite=key in _DOMAIN_PILLARS,
            ),
            Indicator(
                f"{key}2019_rank",
                f"{label} (IoD2019 national rank)",
                "Rank among England's 32,844 LSOAs, 1 = most deprived.",
                "context",
                None,
                "rank of 32,844",
                src,
                vintage,
                ("lsoa11", "lsoa21") if key == "imd" else ("lsoa11",),
                table=table,
                column=f"{key}_rank",
                method=_CARRY.split(" 2014 wards", maxsplit=1)[0] if key == "imd" else "As published.",
            ),
            Indicator(
                f"{key}2019_decile",
                f"{label} (IoD2019 national decile)",
                "National decile, 1 = most deprived 10% of LSOAs in England.",
                "context",
                None,
                "decile",
                src,
                vintage,
                ("lsoa11",),
                table=table,
                column=f"{key}_decile",
            ),
            Indicator(
                f"{key}2019_avg_score",
                f"{label}: borough average score (IoD2019)",
                "Population-weighted average of the LSOA scores (mid-2015 denominators: total population, "
                "working-age for employment), MHCLG method.",
                "context",
                True,
                unit,
                "iod2019_gla_london",
                "IoD2019",
                ("borough",),
                method="Computed by our code from the LSOA scores; reproduces MHCLG File 10.",
            ),
            Indicator(
                f"{key}2019_avg_rank",
                f"{label}: borough average rank (IoD2019)",
                "Population-weighted average of the LSOA national ranks reversed (32,844 = most deprived), "
                "MHCLG method; higher = more deprived.",
                "context",
                True,
                "reversed rank",
                "iod2019_gla_london",
                "IoD2019",
                ("borough",),
                method="Computed by our code from the LSOA ranks; reproduces MHCLG File 10.",
            ),
            Indicator(
                f"{key}2019_pct_lsoas_most_deprived_10pct",
                f"{label}: share of LSOAs in England's most deprived 10% (IoD2019)",
                "Percentage of the borough's LSOAs ranked in the most deprived 10% nationally.",
                "context",
                True,
                "% of LSOAs",
                "iod2019_gla_london",
                "IoD2019",
                ("borough",),
                method="Computed by our code from the LSOA ranks; reproduces MHCLG File 10.",
            ),
        ]
    out.append(
        Indicator(
            "imd2019_extent",
            "IMD: extent (IoD2019)",
            "Share of the population living in the most deprived 30% of England's LSOAs, weighted on a "
            "sliding scale (MHCLG extent measure).",
            "context",
            True,
            "proportion of population",
            "iod2019_gla_london",
            "IoD2019",
            ("borough",),
            method="Computed by our code from the LSOA ranks; reproduces MHCLG File 10.",
        )
    )
    return out


_IOD_VINTAGE = "IoD2019 (data mostly 2015/16)"
_IOD_SOURCE = "iod2019_gla_london"
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


def _spaces() -> list[Indicator]:
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
                    ("lsoa21", "ward22", *_AGGREGATED),
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
                ("lsoa21", "ward22", *_AGGREGATED),
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
                _CURRENT,
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
        ("lsoa21", "ward22", *_AGGREGATED),
        table=table,
        numerator=numerator,
        denominator=denominator,
        scale=100.0,
        in_composite=in_composite,
        method=_EXACT_2021,
        note=note,
    )


def _census() -> list[Indicator]:
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


def _iod2025() -> list[Indicator]:
    out: list[Indicator] = []
    for key, table, label, meaning in (
        ("imd", "imd", "Index of Multiple Deprivation", "overall deprivation"),
        ("idaci", "idaci_idaopi", "Income deprivation affecting children", "children in income-deprived families"),
        (
            "idaopi",
            "idaci_idaopi",
            "Income deprivation affecting older people",
            "older people in income deprivation",
        ),
    ):
        pillar = "vulnerability" if key == "idaopi" else "urgent_needs"
        out += [
            Indicator(
                f"{key}2025_rank",
                f"{label} (IoD2025 national rank; lower = more deprived)",
                f"Rank among England's 33,755 LSOAs for {meaning}, 1 = most deprived. A higher rank means less "
                "deprived.",
                pillar,
                False,
                "rank of 33,755",
                "iod2025_mhclg",
                _IOD25_VINTAGE,
                _CURRENT,
                table=table,
                column=f"{key}_rank",
                in_composite=True,
                method="As published for LSOA 2021. Current wards and boroughs: Census-2021-population-weighted mean "
                "of the LSOA national ranks (MHCLG's 'average rank' method); lower = more deprived, as for LSOAs.",
                note="Ranks are relative: a change of rank need not mean a place got poorer.",
            ),
            Indicator(
                f"{key}2025_decile",
                f"{label} (IoD2025 national decile)",
                "National decile, 1 = most deprived 10% of LSOAs in England.",
                "context",
                None,
                "decile",
                "iod2025_mhclg",
                _IOD25_VINTAGE,
                ("lsoa21",),
                table=table,
                column=f"{key}_decile",
            ),
        ]
    out.append(
        Indicator(
            "imd_change_2019_2025_pct_points",
            "Change in IMD position within London, 2019 to 2025 (positive = more deprived relative to London)",
            "Each LSOA's IMD national rank in IoD2019 (carried to LSOA 2021) and in IoD2025, turned into a London "
            "percentile (0 = most deprived in London, 100 = least); 2019 minus 2025, in percentile points.",
            "context",
            True,
            "percentile points",
            "iod2025_mhclg",
            "IoD2019 (carried) and IoD2025",
            _CURRENT,
            method="Computed at LSOA 2021; " + _CURRENT_MEAN[0].lower() + _CURRENT_MEAN[1:],
            note="MHCLG: the indices are relative ranks; a place can move without getting poorer or richer.",
        )
    )
    return out


_IOD25_VINTAGE = "IoD2025 (data mostly 2022/23)"


def _lsoa_underlying(  # noqa: PLR0917 - mirrors the Indicator fields, in order
    id_: str,
    column: str,
    label: str,
    definition: str,
    pillar: str,
    more_need: bool,
    unit: str,
    *,
    in_composite: bool = True,
    note: str = "",
) -> Indicator:
    """An IoD2019 underlying indicator; those in the default are carried to LSOA 2021."""
    return Indicator(
        id_,
        label,
        definition,
        pillar,
        more_need,
        unit,
        _IOD_SOURCE,
        _IOD_VINTAGE,
        _CARRIED if in_composite else _AGGREGATED,
        table="underlying_indicators",
        column=column,
        in_composite=in_composite,
        method=_CARRY if in_composite else _POP_MEAN,
        note=note,
    )


def _others() -> list[Indicator]:
    out = [
        _lsoa_underlying(
            "english_skills_barrier",
            "adult_skills_english_proficiency",
            "Adult skills and English language barrier",
            "Proportion of working-age adults with no or low qualifications or who cannot speak "
            "English well (IoD2019 indicator).",
            "connections",
            True,
            "proportion of adults",
            in_composite=False,
            note="A barrier to connection that services (e.g. ESOL) can address; not a measure of cohesion.",
        ),
        _lsoa_underlying(
            "household_overcrowding",
            "household_overcrowding",
            "Household overcrowding",
            "Proportion of households judged to have insufficient space (IoD2019).",
            "urgent_needs",
            True,
            "proportion of households",
            in_composite=False,
            note="Superseded in the default by Census 2021 overcrowding (TS052).",
        ),
        _lsoa_underlying(
            "housing_affordability",
            "housing_affordability",
            "Housing affordability",
            "Inability to afford to enter owner-occupation or the private rental market (IoD2019 "
            "indicator, higher = less affordable).",
            "urgent_needs",
            True,
            "score",
        ),
        _lsoa_underlying(
            "road_distance_gp_km",
            "road_distance_gp_km",
            "Road distance to a GP surgery",
            "Mean road distance to a GP surgery (IoD2019).",
            "urgent_needs",
            True,
            "km",
            in_composite=False,
            note="Out of the default: access to services is measured by public-transport access (PTAL).",
        ),
        _lsoa_underlying(
            "air_quality",
            "air_quality",
            "Air quality (pollutant concentrations)",
            "Concentrations of nitrogen dioxide, benzene, sulphur dioxide and particulates (IoD2019 "
            "air quality indicator; higher = worse).",
            "hazard_air",
            True,
            "index",
        ),
        Indicator(
            "tree_canopy_pct",
            "Tree canopy cover",
            "Share of the area under tree canopy (lower = less shade and cooling in a heatwave).",
            "hazard_heat",
            False,
            "% of area",
            "gla_tree_canopy",
            "aerial imagery c. 2016-2018",
            _CARRIED,
            table="lsoa_canopy",
            column="canopy_pct",
            in_composite=True,
            method=_CARRY,
            note="A heat-exposure proxy, not a heat-risk index.",
        ),
        Indicator(
            "ptai_2015",
            "Public transport access (mean PTAL Access Index, 2015)",
            "TfL Access Index averaged over the LSOA's grid points, 2015 network: higher = better access to public "
            "transport; low access limits reach to essential services.",
            "urgent_needs",
            False,
            "Access Index",
            "tfl_ptal_2015",
            "2015 network",
            _CARRIED,
            table="lsoa_ptal",
            column="av_ptai_2015",
            in_composite=True,
            method=_CARRY,
            note="Measures public transport only, not walking or cycling to services.",
        ),
        Indicator(
            "flood_zone3_pct",
            "Residents in Flood Zone 3 (rivers and sea, defences ignored)",
            "Share of residents whose output area's population-weighted centroid lies in Flood Zone 3 "
            "(British Red Cross, derived from EA Flood Zone 3; mid-2019 population).",
            "hazard_flood",
            True,
            "% of residents",
            "brc_flood_fz3",
            "Flood Zone 3 c. 2020; population mid-2019",
            _CARRIED,
            scale=100.0,
            in_composite=True,
            method="LSOAs the file does not list have no resident in Flood Zone 3 (0, assignment computed). " + _CARRY,
            note="Undefended exposure to river and sea flooding, not likelihood; no surface-water flooding, "
            "London's main flood risk.",
        ),
        Indicator(
            "homelessness_per_1000",
            "Homelessness (households per 1,000)",
            "Households owed a homelessness duty per 1,000 households (IoD2019 indicator, a local-authority figure).",
            "urgent_needs",
            True,
            "per 1,000 households",
            _IOD_SOURCE,
            _IOD_VINTAGE,
            ("borough",),
            in_composite=True,
            method="Published for local authorities and repeated on every LSOA; kept at borough level.",
        ),
        Indicator(
            "turnout_2022_pct",
            "Turnout at the May 2022 borough elections",
            "Ballot papers at the count as a share of the electorate.",
            "participation",
            False,
            "% of electorate",
            "ec_local_elections_2022",
            "May 2022",
            ("borough",),
            table="london_councils",
            column="turnout_pct",
            in_composite=True,
            note="The City of London had no election in May 2022.",
        ),
        Indicator(
            "turnout_mayoral_2012_pct",
            "Turnout at the 2012 Mayoral election (ward)",
            "Turnout at the 2012 London Mayoral election.",
            "participation",
            False,
            "% of electorate",
            "gla_ward_profiles",
            "2012",
            ("ward",),
            table="wards",
            column="turnout_mayoral_2012_pct",
            in_composite=True,
        ),
        Indicator(
            "turnout_2022_ward_pct",
            "Turnout at the May 2022 borough elections (current ward)",
            "Ballot papers at the count as a share of the electorate, by ward (2022 boundaries).",
            "participation",
            False,
            "% of electorate",
            "ec_local_elections_2022",
            "May 2022",
            ("ward22",),
            in_composite=True,
            method="Electoral Commission ward results matched to ONS ward codes (WD23) by borough and normalised "
            "name, plus hand-checked aliases; ballots / electorate * 100.",
            note="The City of London had no election in May 2022.",
        ),
        Indicator(
            "volunteered_pct_2010_13",
            "Adults who volunteered in the past 12 months",
            "Share of adults who volunteered in the past year (2010/11 to 2012/13).",
            "participation",
            False,
            "% of adults",
            "gla_borough_profiles",
            "2010/11 to 2012/13",
            ("borough",),
            table="boroughs",
            column="pct_adults_volunteered_2010_13",
            in_composite=True,
        ),
        Indicator(
            "no_one_english_first_language_pct",
            "Households where no one has English as a first language",
            "Share of households in which no one has English as a main language (Census 2011).",
            "connections",
            True,
            "% of households",
            "gla_ward_profiles",
            "2011",
            ("ward",),
            table="wards",
            column="pct_no_one_english_first_language_2011",
            in_composite=True,
            note="A barrier services can address, not a measure of cohesion.",
        ),
        Indicator(
            "life_satisfaction_2018_19",
            "Life satisfaction (mean, 0-10)",
            "Mean rating of life satisfaction, ONS Annual Population Survey 2018/19.",
            "context",
            False,
            "score 0-10",
            "ons_aps_wellbeing",
            "2018/19",
            ("borough",),
            table="borough_wellbeing",
            column="mean_score",
            where=(("measure", "life_satisfaction"), ("period", "2018/19")),
            note="Well-being is an outcome people report, not a capacity the report funds: shown for context.",
        ),
        Indicator(
            "anxiety_2018_19",
            "Anxiety (mean, 0-10)",
            "Mean rating of anxiety yesterday, ONS Annual Population Survey 2018/19 (higher = more anxious).",
            "connections",
            True,
            "score 0-10",
            "ons_aps_wellbeing",
            "2018/19",
            ("borough",),
            table="borough_wellbeing",
            column="mean_score",
            where=(("measure", "anxiety"), ("period", "2018/19")),
        ),
    ]
    for measure_id, label in (
        ("agree_the_police_listen_to_the_concerns_of_local_people", "police listen to local concerns"),
        (
            "agree_the_police_are_dealing_with_the_things_that_matter_to_this_community",
            "police deal with what matters locally",
        ),
        ("agree_the_police_treat_everyone_fairly_regardless_of_who_they_are", "police treat everyone fairly"),
        ("agree_the_police_can_be_relied_upon_to_be_there_when_needed", "police can be relied on"),
        (
            "feels_well_informed_about_local_police_activities_over_the_last_12_months",
            "feel well informed about local police",
        ),
        ("knows_how_to_contact_their_local_ward_officer", "know how to contact their ward officer"),
    ):
        out.append(
            Indicator(
                f"trust_{measure_id}",
                f"Trust: {label}",
                f"Share of residents who {label} (MOPAC Public Attitude Survey; wording shortened).",
                "trust",
                False,
                "% of residents",
                "mopac_pas_2022",
                "12 months to June 2022",
                ("borough",),
                table="borough_measures",
                column="proportion_pct",
                where=(("measure_id", measure_id),),
                in_composite=True,
                note="Trust in police only: one side of institutional trust. User exports of MOPAC's dashboard.",
            )
        )
    return out


INDICATORS: tuple[Indicator, ...] = tuple(_iod2019() + _iod2025() + _spaces() + _census() + _others())
INDICATORS_BY_ID: dict[str, Indicator] = {i.id: i for i in INDICATORS}


def get_indicator(indicator_id: str) -> Indicator:
    """The registry entry for `indicator_id`; KeyError lists close ids."""
    try:
        return INDICATORS_BY_ID[indicator_id]
    except KeyError:
        import difflib

        close = difflib.get_close_matches(indicator_id, list(INDICATORS_BY_ID), n=3)
        raise KeyError(f"unknown indicator {indicator_id!r}; did you mean {close}?") from None


def require_level(indicator_id: str, level: str) -> Indicator:
    """The indicator, if it has values at `level`; ValueError naming the levels where it does exist."""
    indicator = get_indicator(indicator_id)
    if level not in indicator.levels:
        raise ValueError(
            f"indicator {indicator_id!r} does not exist at level {level!r}; it exists at {list(indicator.levels)}"
        )
    return indicator


def registry_frame() -> pd.DataFrame:
    """The registry as a table, for the data dictionary and the database."""
    return pd.DataFrame(
        [
            {
                "indicator_id": i.id,
                "label": i.label,
                "definition": i.definition,
                "pillar": i.pillar,
                "higher_is_more_need": i.higher_is_more_need,
                "unit": i.unit,
                "source_id": i.source_id,
                "vintage": i.vintage,
                "levels": ", ".join(i.levels),
                "method": i.method,
                "note": i.note,
            }
            for i in INDICATORS
        ]
    )


@dataclass(frozen=True)
class DataGap:
    """Data the framework would use but that was not available as an official open file."""

    pillar: str
    what: str
    why: str


#: What is missing, said once; the app's methodology page and the briefing list it.
DATA_GAPS: tuple[DataGap, ...] = (
    DataGap(
        "hazard_flood",
        "Surface-water flooding, heat-risk and other London Risk Register hazard layers",
        "No official open file by neighbourhood was found; flood exposure is Flood Zone 3 (rivers and sea, "
        "defences ignored, from the British Red Cross) and heat uses low tree canopy as a proxy.",
    ),
    DataGap(
        "trust",
        "Neighbourhood trust and belonging (Survey of Londoners, Community Life Survey)",
        "No local estimates were found; trust uses MOPAC police-confidence measures at borough level only.",
    ),
    DataGap(
        "participation",
        "Participation below ward level",
        "Turnout is published for wards and boroughs only; nothing measured for a ward is shown for a neighbourhood.",
    ),
    DataGap(
        "inclusive_spaces",
        "Youth centres, warm spaces and OpenStreetMap community centres",
        "Not found as official files; the spaces are the GLA Cultural Infrastructure Map (2022) and "
        "OpenStreetMap places of worship (2019).",
    ),
    DataGap(
        "urgent_needs",
        "IoD2025 domain scores",
        "Only IoD2025 ranks for the IMD, IDACI and IDAOPI were available; domain scores come from IoD2019, carried "
        "to 2021 LSOAs through the ONS exact lookup.",
    ),
)
