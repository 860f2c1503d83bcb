"""Baseline for benchmarks/app.py: one plotly Scattermap marker on the same blank map style as the app's maps.

Run with `streamlit run benchmarks/baseline_one_marker_app.py`. It has no data, no database and no cache, so its
time to a drawn map is the floor set by Streamlit, plotly.js and MapLibre in this browser on this machine.
"""

from __future__ import annotations

import plotly.graph_objects as go
import streamlit as st

st.set_page_config(page_title="Baseline: one marker", layout="wide")
st.title("Baseline: one marker")

fig = go.Figure(
    go.Scattermap(lon=[-0.11], lat=[51.49], mode="markers", marker={"size": 14, "color": "#b2182b"}, text=["London"])
)
fig.update_layout(
    map={"style": "white-bg", "center": {"lon": -0.11, "lat": 51.49}, "zoom": 9},
    margin={"l": 0, "r": 0, "t": 0, "b": 0},
    height=620,
    paper_bgcolor="#ffffff",
)
st.plotly_chart(fig, width="stretch", config={"displaylogo": False})
