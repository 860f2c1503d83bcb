"""The indicator registry: every indicator declared once, with its meaning, pillar, direction, unit and source.

Pages, the composite and the data dictionary read this registry; none hard-codes an indicator name.
An indicator with `table`/`column` is read from a raw table at its native level by the build; the others
are computed by our code (borough summaries, catchments) and say so in `method`.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from cohesion_metrics.metadata.indicator_type import Indicator
from cohesion_metrics.metadata.indicators_census import CATCHMENT_DISTANCES_M, census, spaces
from cohesion_metrics.metadata.indicators_iod import iod2019, iod2025
from cohesion_metrics.metadata.indicators_other import others
from cohesion_metrics.metadata.pillars import PILLARS, PILLARS_BY_ID, pillars_with_role

#: The registry's names; the types, pillars and per-source declarations live in the modules it imports.
__all__ = [
    "CATCHMENT_DISTANCES_M",
    "DATA_GAPS",
    "INDICATORS",
    "INDICATORS_BY_ID",
    "PILLARS",
    "PILLARS_BY_ID",
    "DataGap",
    "Indicator",
    "get_indicator",
    "pillars_with_role",
    "registry_frame",
    "require_level",
]

INDICATORS: tuple[Indicator, ...] = tuple(iod2019() + iod2025() + spaces() + census() + others())
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
