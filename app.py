"""The app frame: navigation over the pages, the shared sidebar and the sources footer, drawn once."""

from __future__ import annotations

import re
from pathlib import Path

import streamlit as st

from app_pages._shared import connection, static_geo_problem
from cohesion_metrics.catalogue import SOURCES

st.set_page_config(
    page_title="London cohesion & resilience",
    page_icon=str(Path(__file__).parent / "assets" / "icon.png"),
    layout="wide",
)

_, build_message = connection()
if build_message:
    st.toast(build_message)
if (problem := static_geo_problem()) and not st.session_state.get("_static_warned"):
    st.session_state["_static_warned"] = True
    st.toast(f"Maps are slower here: {problem}. Make the folder writable for faster maps.", icon=":material/warning:")

PAGES = [
    st.Page("app_pages/overview.py", title="London overview", icon=":material/map:", default=True, url_path="overview"),
    st.Page("app_pages/borough.py", title="Borough explorer", icon=":material/travel_explore:", url_path="borough"),
    st.Page("app_pages/compare.py", title="Compare boroughs", icon=":material/compare_arrows:", url_path="compare"),
    st.Page("app_pages/weights.py", title="Weights & robustness", icon=":material/tune:", url_path="weights"),
    st.Page("app_pages/local_data.py", title="Your local data", icon=":material/upload_file:", url_path="local"),
    st.Page("app_pages/story.py", title="Story mode", icon=":material/slideshow:", url_path="story"),
    st.Page(
        "app_pages/methodology.py", title="Data & methodology", icon=":material/menu_book:", url_path="methodology"
    ),
]
page = st.navigation(PAGES)

with st.sidebar:
    st.markdown("**Where to embed social cohesion in London's resilience plans**")
    st.caption(
        "After London Resilience, *Building Resilient Communities: The Case for Social Cohesion* (Protection "
        "Approaches, 2024): recommendation 2, embed cohesion in resilience planning; recommendation 5, what to fund."
    )

page.run()

st.divider()
st.caption(
    "Data: "
    + "; ".join(sorted({re.split(r" \(|;|, from |, via ", s.publisher)[0] for s in SOURCES}))
    + ". Open Government Licence v3.0 unless stated; OpenStreetMap data © OpenStreetMap contributors (ODbL); "
    "contains OS data © Crown copyright and database right. Vintages and caveats: Data & methodology."
)
