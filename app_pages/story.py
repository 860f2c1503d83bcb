"""Story mode: one message per slide, large type, live figures from the database; arrow keys move between slides."""

from __future__ import annotations

import streamlit as st

from app_pages._shared import SLIDE, borough_names, flat_map_config, geo_url, story_slides, story_sources
from cohesion_metrics import charts

FIGURE_HEIGHT = 480
#: Relative column widths per figure kind (map first), and the map width (px at 1920x1080) its zoom is fitted to.
COLUMNS = {"need_capacity": [3, 1], "borough_indicator": [1, 1], "map_and_bars": [3, 2]}
MAP_WIDTH = {"need_capacity": 1000, "borough_indicator": 650, "map_and_bars": 850}
#: Font sizes only: big enough to read from the back of a room at 1920x1080; no external fonts.
CSS = """<style>
.st-key-story h1 { font-size: 3.2rem; }
.st-key-story-tag p { font-size: 1.4rem; }
.st-key-story-message p { font-size: 2.1rem; line-height: 1.3; }
.st-key-story-points li, .st-key-story-points p { font-size: 1.9rem; line-height: 1.35; }
.st-key-story-notes p { font-size: 1.2rem; }
.st-key-story-nav button p { font-size: 1.25rem; }
</style>"""

slides = story_slides()
n = len(slides)
if SLIDE not in st.session_state:
    st.session_state[SLIDE] = 1


def _move(step: int) -> None:
    st.session_state[SLIDE] = min(max(int(st.session_state[SLIDE] or 1) + step, 1), n)


st.markdown(CSS, unsafe_allow_html=True)
with st.container(key="story-nav"):
    prev_col, number_col, next_col = st.columns([1, 4, 1], vertical_alignment="center")
    with number_col:
        number = st.segmented_control(
            "Slide",
            list(range(1, n + 1)),
            required=True,
            key=SLIDE,
            bind="query-params",
            label_visibility="collapsed",
            width="stretch",
        )
    number = int(number or 1)
    prev_col.button("◀ Previous", on_click=_move, args=(-1,), shortcut="Left", disabled=number == 1, width="stretch")
    next_col.button(
        "Next ▶", on_click=_move, args=(1,), shortcut="Right", disabled=number == n, width="stretch", type="primary"
    )

slide = slides[number - 1]
with st.container(key="story"):
    st.title(slide.title)
    with st.container(key="story-tag"):
        st.markdown(f":blue[**{slide.illustrates}**]")
    with st.container(key="story-message"):
        st.markdown(slide.message)

    geojson = geo_url(slide.map_level) if slide.map_level else None
    outlines = geo_url("borough") if slide.map_level and slide.map_level != "borough" else None
    figures = charts.slide_figures(  # flat SVG maps: no WebGL needed on a presenter's laptop
        slide,
        geojson,
        outlines,
        height=FIGURE_HEIGHT,
        map_width=MAP_WIDTH.get(slide.figure, 900),
        flat=True,
        outline_codes=list(borough_names()),
    )
    if figures:
        cols = st.columns(COLUMNS.get(slide.figure, [1] * len(figures)), vertical_alignment="center")
        for col, fig in zip(cols, figures, strict=False):
            col.plotly_chart(
                fig, width="stretch", config=flat_map_config({"displaylogo": False, "displayModeBar": False})
            )
    if slide.points:
        with st.container(key="story-points"):
            st.markdown("\n".join(f"- {p}" for p in slide.points))

    with st.container(key="story-notes"):
        notes = [slide.caveat] if slide.caveat else []
        sources = story_sources(tuple(slide.sources))
        if sources:
            notes.append(f"Sources: {sources}.")
        notes.append(f"Slide {number} of {n}. Figures computed from the dashboard's database; ← → keys move slides.")
        for note in notes:
            st.caption(note)
