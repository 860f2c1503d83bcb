"""Data & methodology: sources from the catalogue, the indicator dictionary, the method, and what is missing."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from cohesion_metrics.catalogue import SOURCES
from cohesion_metrics.framework import CAPACITY_PILLARS, NEED_PILLARS, PILLAR_ACTIONS
from cohesion_metrics.indicators import DATA_GAPS, PILLARS, PILLARS_BY_ID, registry_frame
from cohesion_metrics.schema import data_dictionary

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
            "Role": "need" if p.id in NEED_PILLARS else "cohesion capacity" if p.id in CAPACITY_PILLARS else "—",
            "What it covers": p.description,
            "Recommendation 5 action": p.action if p.id in PILLAR_ACTIONS else "",
        }
        for p in PILLARS
        if p.id != "context"
    ]
)
st.dataframe(pillars, hide_index=True, width="stretch")
st.markdown(
    """
1. **Indicators** are turned so that higher means more need, then put on a common scale across London's areas
   (percentile rank by default; min-max or z-score on the *Weights & robustness* page).
2. **Pillar scores** are weighted means of their indicators; the **composite** is the weighted mean of the pillar
   scores (equal weight per pillar by default). Missing values are left out and the weights re-shared; areas with
   less than half the weight available are flagged, not scored.
3. **Uncertainty**: 1,000 draws of the weights (Dirichlet around the chosen weights) and the normalisation give each
   area a 5–95% rank interval and a label: *stable* (interval within a tenth of the areas), *fairly stable*
   (a quarter), *uncertain*.
4. **Where to embed cohesion**: need (urgent needs, hazard) against cohesion capacity (inclusive spaces,
   connections, trust, participation), each cut into London terciles; *high need / low capacity* areas are the
   priorities, ordered by the gap between their need and capacity percentiles. Any single indicator at or above
   the 90th London percentile is flagged, so a composite never hides an extreme.
5. **What to fund**: each pillar at or above the 70th London percentile of need triggers its recommendation 5
   action, shown with the figures behind it; *(f) capacity building* comes first where every capacity pillar is weak.
6. **Resolution is never pretended**: neighbourhood (LSOA) scores use only neighbourhood data; ward and borough
   scores add data that exists only for them (trust, turnout, well-being). Census 2021 values reach 2011
   neighbourhoods only through the ONS exact lookup (unchanged or split areas); merged areas are left missing.
"""
)

st.header("What is missing")
st.caption("Data the framework would use but that was not available as an official open file; nothing is invented.")
for gap in DATA_GAPS:
    st.markdown(f"- **{PILLARS_BY_ID[gap.pillar].label}: {gap.what}.** {gap.why}")

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
