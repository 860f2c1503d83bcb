"""Data & sources: generated from the source catalogue, the indicator registry and the schema."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from cohesion_metrics.catalogue import SOURCES
from cohesion_metrics.indicators import registry_frame
from cohesion_metrics.schema import data_dictionary

st.title("Data & methodology")
st.write(
    "Every figure in this tool comes from the official sources below, read in their published layouts. "
    "The app runs on a compact snapshot derived from them; `python -m cohesion_metrics fetch` and "
    "`build` refresh it from the publishers."
)

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

st.subheader("Attribution")
for s in SOURCES:
    st.markdown(f"- **{s.title}**: {s.attribution}")

st.subheader("Indicator dictionary")
st.dataframe(registry_frame(), hide_index=True, width="stretch")

st.subheader("Database tables and columns")
st.dataframe(data_dictionary(), hide_index=True, width="stretch")
