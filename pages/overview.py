"""London overview: a map of one indicator by area, with the table beside it."""

from __future__ import annotations

import streamlit as st

from cohesion_metrics import maps
from cohesion_metrics.indicators import INDICATORS_BY_ID
from cohesion_metrics.queries import available_indicators
from pages._shared import area_geojson, con, indicator_values

LEVEL_LABELS = {"borough": "Borough", "lsoa11": "Neighbourhood (LSOA 2011)"}

st.title("London overview")

level = st.radio("Area level", list(LEVEL_LABELS), format_func=LEVEL_LABELS.__getitem__, horizontal=True, key="level")
options = [i for i in available_indicators(con(), level) if i in INDICATORS_BY_ID]
default = "imd2019_avg_score" if level == "borough" else "imd2019_score"
indicator_id = st.selectbox(
    "Indicator",
    options,
    index=options.index(default) if default in options else 0,
    format_func=lambda i: INDICATORS_BY_ID[i].label,
    key="indicator",
)
ind = INDICATORS_BY_ID[indicator_id]
st.caption(f"{ind.definition} Unit: {ind.unit}. Source: {ind.source_id}, {ind.vintage}. {ind.method}")

values = indicator_values(indicator_id, level)
values = values.assign(rank=values["value"].rank(ascending=ind.higher_is_more_need is False, method="min"))
map_col, table_col = st.columns([3, 2])
with map_col:
    fig = maps.choropleth(
        area_geojson(level),
        values,
        value_col="value",
        label=ind.unit,
        outlines=area_geojson("borough") if level != "borough" else None,
        reverse=ind.higher_is_more_need is False,
    )
    st.plotly_chart(fig, width="stretch", config={"displaylogo": False})
with table_col:
    table = values[["area_code", "area_name", "value", "rank"]].sort_values("rank")
    st.dataframe(table, hide_index=True, height=560, width="stretch")
    st.download_button(
        "Download table (CSV)",
        table.to_csv(index=False).encode("utf-8"),
        file_name=f"cohesion_{level}_{indicator_id}.csv",
        mime="text/csv",
    )
