"""The methodology page's words and tables: the pillars, the method's steps, pillar checks, gaps and sources."""

from __future__ import annotations

import pandas as pd

from cohesion_metrics.metadata.catalogue import SOURCES
from cohesion_metrics.metadata.indicators import DATA_GAPS, INDICATORS_BY_ID, PILLARS, PILLARS_BY_ID
from cohesion_metrics.method.classify import WEAK_AT
from cohesion_metrics.method.external_check import CheckReport
from cohesion_metrics.method.framework import DEFAULT_DRAWS, DEFAULT_HAZARD_WEIGHT, PILLAR_ACTIONS, REASON_ABOVE
from cohesion_metrics.method.measures import FAIRLY_STABLE_MAX_PLACES, STABLE_MAX_PLACES

ROLE_WORDS = {"need": "need", "capacity": "cohesion capacity", "hazard": "hazard exposure (kept apart)"}
#: The sources table: column header -> `Source` field, in column order.
_SOURCE_COLUMNS = {
    "Source": "title",
    "Publisher": "publisher",
    "Page": "page_url",
    "Licence": "licence",
    "Vintage": "vintage",
    "Geography": "geography",
    "What we use it for": "used_for",
    "Caveat": "caveat",
}


def pillar_table() -> pd.DataFrame:
    """Each scored pillar: its label, axis, what it covers and its recommendation 5 action."""
    return pd.DataFrame(
        [
            {
                "Pillar": p.label,
                "Axis": ROLE_WORDS.get(p.role, "—"),
                "What it covers": p.description,
                "Recommendation 5 action": p.action if p.id in PILLAR_ACTIONS else "",
            }
            for p in PILLARS
            if p.id != "context"
        ]
    )


def method_steps() -> str:
    """The method in eight numbered steps (markdown), with the current defaults and thresholds."""
    return f"""
1. **Indicators** are turned so that higher means more need (for capacity pillars: less capacity), then put on a
   common scale across London's areas (percentile rank by default; min-max or z-score on *Weights & robustness*).
2. **Pillar scores** are weighted means of their indicators; each axis is the weighted mean of its pillars (equal
   weight per pillar by default). Missing values are left out and the weights re-shared.
3. **Why hazard exposure is separate.** Flood, heat and air pollution fall on places for reasons that have little
   to do with deprivation: air pollution is worst in central London, so averaging it into need put the City of
   London second of 33 boroughs and pushed Barking and Dagenham, the most deprived on the IMD, down to 13th. Hazard
   exposure is its own map and an overlay on need x capacity (*high need, low capacity and exposed*); a user may
   add it to the priority with a weight (default {DEFAULT_HAZARD_WEIGHT:g}).
4. **The priority rule, and why.** Priority = need, for the places whose cohesion capacity is below London's
   median; the others are not priorities. A mean of need and capacity would let capacity buy off deprivation (a
   deprived place with a library nearby would drop down the list); here capacity only decides *whether* a place is
   eligible and never lowers how high its need ranks. The median cut keeps half of London eligible, wide enough
   that the list is led by need, and it is the same for every level.
5. **Classes**: need and cohesion capacity are each cut into London thirds; *high need / low capacity* comes first.
6. **Uncertainty**: {DEFAULT_DRAWS:,} draws of the weights (Dirichlet around the chosen weights) and the normalisation give
   need, capacity and priority a 5–95% rank interval and, for every list, how often a place stays in London's top
   10 ("in London's top 10 in 93% of re-runs"). Stability labels count places: *stable* when the interval is at most
   {STABLE_MAX_PLACES} places wide, *fairly stable* at most {FAIRLY_STABLE_MAX_PLACES}, else *uncertain*.
7. **What to fund**: each pillar at or above the {WEAK_AT:.0f}th London percentile triggers its recommendation 5 action;
   only indicators above London's {REASON_ABOVE:.0f}th percentile are cited as reasons; *(f) capacity building* comes first
   where every capacity pillar is weak.
8. **Resolution is never pretended**: neighbourhood scores use only neighbourhood data; ward and borough scores add
   data that exists only for them (trust, turnout). LSOA 2021 and the 2022 wards are the default; LSOA 2011 and the
   2014 wards remain as the IoD2019 vintage.
"""


def indicator_labels(checks: pd.DataFrame) -> dict[str, str]:
    """Each checked indicator's label (its id when the registry does not know it)."""
    return {i: INDICATORS_BY_ID[i].label if i in INDICATORS_BY_ID else i for i in checks["indicator"]}


def pillar_alpha_table(checks: pd.DataFrame) -> pd.DataFrame:
    """Per pillar: how many indicators, how many in the default, and Cronbach's alpha."""
    alpha = (
        checks.groupby("pillar", sort=False)
        .agg(n=("indicator", "size"), kept=("in_default", "sum"), alpha=("pillar_alpha", "first"))
        .reset_index()
    )
    return pd.DataFrame(
        {
            "Pillar": alpha["pillar"].map(lambda p: PILLARS_BY_ID[p].label),
            "Indicators": alpha["n"],
            "In the default": alpha["kept"].astype(int),
            "Cronbach's alpha": alpha["alpha"].round(2),
        }
    )


def item_rest_table(checks: pd.DataFrame) -> pd.DataFrame:
    """Per indicator: its item-rest correlation, whether it is in the default and why not."""
    return pd.DataFrame(
        {
            "Pillar": checks["pillar"].map(lambda p: PILLARS_BY_ID[p].label),
            "Indicator": checks["indicator"].map(indicator_labels(checks)),
            "Item-rest correlation": checks["item_rest_r"].round(2),
            "In the default": checks["in_default"].map({True: "yes", False: "no"}),
            "Why not": checks["reason"],
        }
    )


def pillars_with_several(checks: pd.DataFrame) -> list[str]:
    """The pillars with more than one checked indicator, most indicators first."""
    return [p for p, n in checks["pillar"].value_counts().items() if n > 1]


def external_check_intro(report: CheckReport) -> str:
    """What the independent check is and the bar need should meet."""
    return (
        "Spearman's rank correlation between our need score and indices we do not use as inputs, with a bootstrap "
        f"interval. The bar: the seven IoD2019 deprivation domains agree with each other across boroughs with a median "
        f"rho of {report.domain_bar:.2f}; need should agree with deprivation at least that well."
    )


def data_gap_lines() -> list[str]:
    """One markdown bullet per data gap: the pillar (or hazard exposure), what is missing and why."""
    lines = []
    for gap in DATA_GAPS:
        title = PILLARS_BY_ID[gap.pillar].label if gap.pillar in PILLARS_BY_ID else "Hazard exposure"
        lines.append(f"- **{title}: {gap.what}.** {gap.why}")
    return lines


def sources_table() -> pd.DataFrame:
    """Every catalogued source: title, publisher, page, licence, vintage, geography, use and caveat."""
    return pd.DataFrame([{header: getattr(s, field) for header, field in _SOURCE_COLUMNS.items()} for s in SOURCES])


def attribution_lines() -> list[str]:
    """One markdown bullet per source with its attribution."""
    return [f"- **{s.title}**: {s.attribution}" for s in SOURCES]
