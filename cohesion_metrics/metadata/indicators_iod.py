"""Indicator declarations from the English Indices of Deprivation: IoD2019 (LSOA 2011) and IoD2025 (LSOA 2021)."""

from __future__ import annotations

from cohesion_metrics.metadata.indicator_type import (
    AGGREGATED,
    CARRIED,
    CARRY,
    CURRENT,
    CURRENT_MEAN,
    POP_MEAN,
    Indicator,
)

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


def iod2019() -> list[Indicator]:
    """The IoD2019 IMD and domain scores, ranks and deciles (LSOA 2011) and their ward and borough summaries."""
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
                CARRIED if carried else AGGREGATED,
                table=table,
                column=f"{key}_score",
                method=CARRY if carried else POP_MEAN,
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
                method=CARRY.split(" 2014 wards", maxsplit=1)[0] if key == "imd" else "As published.",
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


def iod2025() -> list[Indicator]:
    """The IoD2025 IMD, IDACI and IDAOPI ranks and deciles (LSOA 2021) and the IMD change since 2019."""
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
                CURRENT,
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
            CURRENT,
            method="Computed at LSOA 2021; " + CURRENT_MEAN[0].lower() + CURRENT_MEAN[1:],
            note="MHCLG: the indices are relative ranks; a place can move without getting poorer or richer.",
        )
    )
    return out


_IOD25_VINTAGE = "IoD2025 (data mostly 2022/23)"
