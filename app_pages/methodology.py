"""Data & methodology: sources from the catalogue, the indicator dictionary, the method, and what is missing."""

from __future__ import annotations

import streamlit as st

from app_pages import _cached as cached
from cohesion_metrics.figures import charts
from cohesion_metrics.metadata.indicators import PILLARS_BY_ID, registry_frame
from cohesion_metrics.metadata.schema import data_dictionary
from cohesion_metrics.method import external_check, framework, pillar_checks
from cohesion_metrics.method.framework import MEASURES
from cohesion_metrics.outputs import methodology_text as text
from cohesion_metrics.read import queries

st.title("Data & methodology")
st.write(
    "Every figure comes from an official source, read in its published layout and kept with its vintage. "
    "The app runs on a compact snapshot derived from those files; `python -m cohesion_metrics fetch` and "
    "`python -m cohesion_metrics build --snapshot` refresh it from the publishers."
)

st.header("The method")
pillars = text.pillar_table()
st.dataframe(pillars, hide_index=True, width="stretch")
st.subheader("The four measures")
for _m, (label, definition) in MEASURES.items():
    st.markdown(f"- **{label}.** {definition}")
st.markdown(text.method_steps())

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
labels = text.indicator_labels(checks)
st.dataframe(text.pillar_alpha_table(checks), hide_index=True, width="stretch", placeholder="one indicator")
st.dataframe(text.item_rest_table(checks), hide_index=True, width="stretch", placeholder="—")
multi = text.pillars_with_several(checks)
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
st.markdown(text.external_check_intro(report))
st.dataframe(external_check.report_table(report), hide_index=True, width="stretch")
for problem in report.missing:
    st.warning(problem)
st.caption(external_check.READING)

st.header("What is missing")
st.caption("Data the framework would use but that was not available as an official open file; nothing is invented.")
for line in text.data_gap_lines():
    st.markdown(line)

st.header("Sources")
catalogue = text.sources_table()
st.dataframe(catalogue, hide_index=True, width="stretch", column_config={"Page": st.column_config.LinkColumn()})
with st.expander("Attribution"):
    for line in text.attribution_lines():
        st.markdown(line)

st.header("Indicator dictionary")
st.dataframe(registry_frame(), hide_index=True, width="stretch")

with st.expander("Database tables and columns (for analysts)"):
    st.dataframe(data_dictionary(), hide_index=True, width="stretch")
