"""The indicator registry: every indicator declared once, with its meaning, pillar, direction, unit and source.

Pages, the composite and the data dictionary read this registry; none hard-codes an indicator name.
An indicator with `table`/`column` is read from a raw table at its native level by the build; the others
are computed by our code (borough summaries, catchments) and say so in `method`.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd


@dataclass(frozen=True)
class Pillar:
    """A pillar of the report's framework, and the recommendation 5 action it points to."""

    id: str
    label: str
    description: str
    action: str
    is_capacity: bool


PILLARS: tuple[Pillar, ...] = (
    Pillar("inclusive_spaces", "Inclusive spaces", "Access to places where people meet across differences.",
           "(a) inclusive spaces", True),
    Pillar("connections", "Connections and networks", "Barriers to and conditions for everyday connection.",
           "(b) network building", True),
    Pillar("trust", "Trust", "Trust in local institutions (only police-trust measures are available).",
           "(c) trust", True),
    Pillar("participation", "Participation and community ownership", "Taking part in local decisions and civic life.",
           "(d) participatory decision making", True),
    Pillar("urgent_needs", "Urgent needs and root causes", "Economic insecurity, housing instability, access to services.",
           "(e) urgent needs and root causes", False),
    Pillar("hazard", "Hazard exposure", "Exposure to hazards in the London Risk Register (no open data found yet).",
           "(e) urgent needs and root causes", False),
    Pillar("context", "Context", "Descriptive figures shown for context, never scored.", "", False),
)
PILLARS_BY_ID = {p.id: p for p in PILLARS}

LEVEL_CODE_COLUMN = {"lsoa11": "lsoa11_code", "lsoa21": "lsoa21_code", "ward": "ward_code", "borough": "borough_code"}


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
    #: Raw table suffix and column for indicators read directly, e.g. ("lsoa_scores", "income_score").
    table: str | None = None
    column: str | None = None
    method: str = "As published."
    note: str = ""


_IOD_DOMAINS: tuple[tuple[str, str, str, str], ...] = (
    # key, label, score unit, what the score measures
    ("imd", "Index of Multiple Deprivation", "score",
     "The overall IMD score: a weighted combination of the seven domains (income 22.5%, employment 22.5%, "
     "education 13.5%, health 13.5%, crime 9.3%, barriers 9.3%, living environment 9.3%)."),
    ("income", "Income deprivation", "proportion of residents",
     "The proportion of the population experiencing deprivation relating to low income."),
    ("employment", "Employment deprivation", "proportion of working-age residents",
     "The proportion of the working-age population involuntarily excluded from the labour market."),
    ("education", "Education, skills and training deprivation", "score",
     "Lack of attainment and skills among children, young people and adults."),
    ("health", "Health deprivation and disability", "score",
     "Risk of premature death and impaired quality of life through poor physical or mental health."),
    ("crime", "Crime", "score", "Risk of personal and material victimisation (recorded crime)."),
    ("barriers", "Barriers to housing and services", "score",
     "Physical and financial accessibility of housing and local services."),
    ("living_env", "Living environment deprivation", "score",
     "Quality of the local environment: housing condition, air quality, road traffic accidents."),
)


def _iod2019() -> list[Indicator]:
    out: list[Indicator] = []
    for key, label, unit, meaning in _IOD_DOMAINS:
        pillar = "urgent_needs"
        common = {"source_id": "iod2019_gla_london", "vintage": "IoD2019 (data mostly 2015/16)", "table": "lsoa_scores"}
        out += [
            Indicator(f"{key}2019_score", f"{label} (IoD2019 score)", meaning + " Higher = more deprived.", pillar,
                      True, unit, levels=("lsoa11",), column=f"{key}_score", **common),
            Indicator(f"{key}2019_rank", f"{label} (IoD2019 national rank)",
                      "Rank among England's 32,844 LSOAs, 1 = most deprived.", "context", None, "rank of 32,844",
                      levels=("lsoa11",), column=f"{key}_rank", **common),
            Indicator(f"{key}2019_decile", f"{label} (IoD2019 national decile)",
                      "National decile, 1 = most deprived 10% of LSOAs in England.", "context", None, "decile",
                      levels=("lsoa11",), column=f"{key}_decile", **common),
            Indicator(f"{key}2019_avg_score", f"{label}: borough average score (IoD2019)",
                      "Population-weighted average of the LSOA scores (mid-2015 denominators: total population, "
                      "working-age for employment), MHCLG method.",
                      "context", True, unit, "iod2019_gla_london", "IoD2019", ("borough",),
                      method="Computed by our code from the LSOA scores; reproduces MHCLG File 10."),
            Indicator(f"{key}2019_avg_rank", f"{label}: borough average rank (IoD2019)",
                      "Population-weighted average of the LSOA national ranks reversed (32,844 = most deprived), "
                      "MHCLG method; higher = more deprived.", "context", True, "reversed rank", "iod2019_gla_london", "IoD2019", ("borough",),
                      method="Computed by our code from the LSOA ranks; reproduces MHCLG File 10."),
            Indicator(f"{key}2019_pct_lsoas_most_deprived_10pct",
                      f"{label}: share of LSOAs in England's most deprived 10% (IoD2019)",
                      "Percentage of the borough's LSOAs ranked in the most deprived 10% nationally.",
                      "context", True, "% of LSOAs", "iod2019_gla_london", "IoD2019", ("borough",),
                      method="Computed by our code from the LSOA ranks; reproduces MHCLG File 10."),
        ]
    out.append(
        Indicator("imd2019_extent", "IMD: extent (IoD2019)",
                  "Share of the population living in the most deprived 30% of England's LSOAs, weighted on a "
                  "sliding scale (MHCLG extent measure).", "context", True, "proportion of population",
                  "iod2019_gla_london", "IoD2019", ("borough",),
                  method="Computed by our code from the LSOA ranks; reproduces MHCLG File 10.")
    )
    return out


INDICATORS: tuple[Indicator, ...] = tuple(_iod2019())
INDICATORS_BY_ID: dict[str, Indicator] = {i.id: i for i in INDICATORS}


def get_indicator(indicator_id: str) -> Indicator:
    """The registry entry for `indicator_id`; KeyError lists close ids."""
    try:
        return INDICATORS_BY_ID[indicator_id]
    except KeyError:
        import difflib

        close = difflib.get_close_matches(indicator_id, list(INDICATORS_BY_ID), n=3)
        raise KeyError(f"unknown indicator {indicator_id!r}; did you mean {close}?") from None


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
