"""The app frame: navigation over the pages, the shared sidebar and the sources footer, drawn once."""

from __future__ import annotations

import streamlit as st

from cohesion_metrics.catalogue import SOURCES
from pages._shared import connection

st.set_page_config(page_title="London cohesion & resilience", page_icon="🏙️", layout="wide")

_, build_message = connection()
if build_message:
    st.toast(build_message)

page = st.navigation(
    [
        st.Page("pages/overview.py", title="London overview", icon="🗺️", default=True, url_path="overview"),
        st.Page("pages/sources.py", title="Data & sources", icon="📚", url_path="sources"),
    ]
)

with st.sidebar:
    st.markdown("**Where to embed social cohesion in London's resilience plans**")
    st.caption(
        "Built on London Resilience's *Building Resilient Communities: The Case for Social Cohesion* (2024): "
        "recommendation 2 (embed cohesion in resilience planning) and 5 (what to fund)."
    )

page.run()

st.divider()
st.caption(
    "Sources: "
    + "; ".join(f"{s.publisher.split(' (')[0]} — {s.title} ({s.vintage}, {s.licence.split(' (')[0]})" for s in SOURCES[:4])
    + f"; and {len(SOURCES) - 4} more on the Data & sources page. "
    "Contains OS data © Crown copyright and database right. OpenStreetMap data © OpenStreetMap contributors, ODbL."
)
