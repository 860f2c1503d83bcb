"""The app frame: navigation over the pages, the shared sidebar and the sources footer, drawn once."""

from __future__ import annotations

import re
from pathlib import Path

import streamlit as st

from app_pages._cached import build_notice
from app_pages._static_geo import static_geo_problem
from cohesion_metrics.metadata.catalogue import SOURCES

#: Compact page tops (Streamlit leaves 6rem above the title) and map frames whose height follows the window, so a
#: page's map is wholly on the first screen at 1366 x 768 and 1920 x 1080 (tests/browser/test_browser.py checks both).
COMPACT_CSS = """
[data-testid="stMainBlockContainer"] { padding-top: 3.25rem; padding-bottom: 2rem; }
[data-testid="stMainBlockContainer"] h1 { font-size: 1.85rem; padding: 0.1rem 0 0.25rem 0; }
[data-testid="stMainBlockContainer"] h2 { font-size: 1.45rem; padding: 0.5rem 0 0.25rem 0; }
[data-testid="stMainBlockContainer"] h3 { font-size: 1.15rem; padding: 0.25rem 0 0.25rem 0; }
div.st-key-map-frame { height: calc(100vh - 212px) !important; min-height: 360px; flex: 0 0 auto !important; }
div.st-key-map-frame [data-testid="stElementContainer"], div.st-key-map-frame [data-testid="stFullScreenFrame"],
div.st-key-map-frame [data-testid="stPlotlyChart"] { height: 100% !important; }
"""
PRESENT_CSS = """
[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"], [data-testid="stHeader"],
[data-testid="stToolbar"], [data-testid="stDecoration"] { display: none !important; }
[data-testid="stMainBlockContainer"] { padding-top: 0.75rem; padding-bottom: 0.5rem; }
div.st-key-map-frame { height: calc(100vh - 150px) !important; }
"""

st.set_page_config(
    page_title="London cohesion & resilience",
    page_icon=str(Path(__file__).parent / "assets" / "icon.png"),
    layout="wide",
    initial_sidebar_state="collapsed",  # the maps need the width; the pages stay one click away
)
#: `?present=1` (any page): presentation mode, no sidebar, header or footer; story slides fit the screen.
PRESENT = st.query_params.get("present") == "1"
st.html(f"<style>{COMPACT_CSS}{PRESENT_CSS if PRESENT else ''}</style>")

build_message = build_notice()  # only in the session that built the database, and only once
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
    st.Page("app_pages/local.py", title="Your local data", icon=":material/upload_file:", url_path="local"),
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

if not PRESENT and page.url_path != "story":  # slides carry their own sources
    st.divider()
    st.caption(
        "Data: "
        + "; ".join(sorted({re.split(r" \(|;|, from |, via ", s.publisher)[0] for s in SOURCES}))
        + ". Open Government Licence v3.0 unless stated; OpenStreetMap data © OpenStreetMap contributors (ODbL); "
        "contains OS data © Crown copyright and database right. Vintages and caveats: Data & methodology."
    )
