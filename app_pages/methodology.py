"""Data & methodology: sources from the catalogue, the indicator dictionary, the method, and what is missing."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from app_pages import _cached as cached
from cohesion_metrics.figures import charts
from cohesion_metrics.metadata.catalogue import SOURCES
from cohesion_metrics.metadata.indicators import DATA_GAPS, INDICATORS_BY_ID, PILLARS, PILLARS_BY_ID, registry_frame
from cohesion_metrics.metadata.schema import data_dictionary
from cohesion_metrics.method import external_check, framework, pillar_checks
from cohesion_metrics.method.classify import WEAK_AT
from cohesion_metrics.method.framework import (
    DEFAULT_DRAWS,
    DEFAULT_HAZARD_WEIGHT,
    MEASURES,
    PILLAR_ACTIONS,
    REASON_ABOVE,
)
from cohesion_metrics.method.uncertainty import FAIRLY_STABLE_MAX_PLACES, STABLE_MAX_PLACES
from cohesion_metrics.read import queries

ROLE_WORDS = {"need": "need", "capacity": "cohesion capacity", "hazard": "hazard exposure (kept apart)"}

st.title("Data & methodology")
st.write(
    "Every figure comes from an official source, read in its published layout and kept with its vintage. "
    "The app runs on a compact snapshot derived from those files; `python -m cohesion_metrics fetch` and "
    "`python -m cohesion_metrics build --snapshot` refresh it from the publishers."
)

st.header("The method")
pillars = pd.DataFrame(
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
st.dataframe(pillars, hide_index=True, width="stretch")
st.subheader("The four measures")
for _m, (label, definition) in MEASURES.items():
    st.markdown(f"- **{label}.** {definition}")
st.markdown(
    f"""
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
)

st.header("Pillar checks")
st.markdown(
    "The OECD/JRC handbook's multivariate step, on our own data at each level: each indicator's correlation with "
    "the mean of the rest of its pillar (item-rest; on oriented London percentile ranks) and each pillar's "
    "Cronbach's alpha. An indicator with a negative item-rest correlation runs against its pillar and is left out "
    "of that level's default, the most negative first, until none is negative."
)
levels = cached.level_labels()
check_level = st.selectbox("Level", list(levels), format_func=levels.__getitem__, key="check_level")
checks = queries.pillar_checks(cached.con(), check_level)
labels = {i: INDICATORS_BY_ID[i].label if i in INDICATORS_BY_ID else i for i in checks["indicator"]}
alpha = (
    checks.groupby("pillar", sort=False)
    .agg(n=("indicator", "size"), kept=("in_default", "sum"), alpha=("pillar_alpha", "first"))
    .reset_index()
)
st.dataframe(
    pd.DataFrame(
        {
            "Pillar": alpha["pillar"].map(lambda p: PILLARS_BY_ID[p].label),
            "Indicators": alpha["n"],
            "In the default": alpha["kept"].astype(int),
            "Cronbach's alpha": alpha["alpha"].round(2),
        }
    ),
    hide_index=True,
    width="stretch",
    placeholder="one indicator",
)
st.dataframe(
    pd.DataFrame(
        {
            "Pillar": checks["pillar"].map(lambda p: PILLARS_BY_ID[p].label),
            "Indicator": checks["indicator"].map(labels),
            "Item-rest correlation": checks["item_rest_r"].round(2),
            "In the default": checks["in_default"].map({True: "yes", False: "no"}),
            "Why not": checks["reason"],
        }
    ),
    hide_index=True,
    width="stretch",
    placeholder="—",
)
multi = [p for p, n in checks["pillar"].value_counts().items() if n > 1]
if multi:
    heat_pillar = st.selectbox(
        "Correlations within a pillar", multi, format_func=lambda p: PILLARS_BY_ID[p].label, key="heat_pillar"
    )
    matrix = pillar_checks.correlation_matrix(
        cached.indicator_matrix(check_level), framework.specs_for(check_level), heat_pillar
    )
    st.plotly_chart(charts.correlation_heatmap(matrix, labels), width="stretch", config={"displaylogo": False})
    st.caption("Pearson correlation of the oriented London percentile ranks (higher = more need on both).")

st.header("An independent check")
report = cached.external_checks()
st.markdown(
    "Spearman's rank correlation between our need score and indices we do not use as inputs, with a bootstrap "
    f"interval. The bar: the seven IoD2019 deprivation domains agree with each other across boroughs with a median "
    f"rho of {report.domain_bar:.2f}; need should agree with deprivation at least that well."
)
st.dataframe(external_check.report_table(report), hide_index=True, width="stretch")
for problem in report.missing:
    st.warning(problem)
st.caption(external_check.READING)

st.header("What is missing")
st.caption("Data the framework would use but that was not available as an official open file; nothing is invented.")
for gap in DATA_GAPS:
    title = PILLARS_BY_ID[gap.pillar].label if gap.pillar in PILLARS_BY_ID else "Hazard exposure"
    st.markdown(f"- **{title}: {gap.what}.** {gap.why}")

st.header("Sources")
catalogue = pd.DataFrame(
    [
        {
            "Source": s.title,
            "Publisher": s.publisher,
            "Page": s.page_url,
            "Licence": s.licence,
            "Vintage": s.vintage,
            "Geography": s.geography,
            "What we use it for": s.used_for,
            "Caveat": s.caveat,
        }
        for s in SOURCES
    ]
)
st.dataframe(catalogue, hide_index=True, width="stretch", column_config={"Page": st.column_config.LinkColumn()})
with st.expander("Attribution"):
    for s in SOURCES:
        st.markdown(f"- **{s.title}**: {s.attribution}")

st.header("Indicator dictionary")
st.dataframe(registry_frame(), hide_index=True, width="stretch")

with st.expander("Database tables and columns (for analysts)"):
    st.dataframe(data_dictionary(), hide_index=True, width="stretch")
