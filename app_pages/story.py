"""Story mode: one message per slide, large type, live figures from the database; arrow keys move between slides.

Each slide fits the window (1366 x 768 and 1920 x 1080, tests/browser/test_browser.py): the words on the left, the figure
on the right in a frame whose height follows the window; every chart and legend text at least 20 px; London maps
name their boroughs. `?present=1` (app.py) hides the sidebar, header and footer for the room.
"""

from __future__ import annotations

import streamlit as st

from app_pages._cached import borough_names, story_slides, story_sources
from app_pages._cached_figures import borough_label_points
from app_pages._static_geo import flat_map_config, geo_url
from app_pages._url import SLIDE
from cohesion_metrics.figures import map_layers, slide_charts

FIGURE_HEIGHT = 620  # the fitted view's reference; the drawn figure stretches to its frame
TEXT_PX = 20  # no chart or legend text smaller than this
LABEL_PX = TEXT_PX  # borough names on London maps, as large as all other chart text (short names inside)
#: Relative column widths per figure kind (map first), and the map width (px) its zoom is fitted to.
COLUMNS = {"need_capacity": [1], "borough_indicator": [3, 2], "map_and_bars": [3, 2]}
MAP_WIDTH = {"need_capacity": 1000, "borough_indicator": 650, "map_and_bars": 850}
#: Font sizes and frames: big enough to read from the back of a room; no external fonts.
CSS = """<style>
.st-key-story h1 { font-size: max(3.7vh, 24px) !important; line-height: 1.15; padding-top: 0 !important; }
.st-key-story-tag p { font-size: max(2.3vh, 17px); line-height: 1.3; }
.st-key-story-message p { font-size: max(3.1vh, 22px); line-height: 1.3; }
.st-key-story-points li, .st-key-story-points p { font-size: max(3.1vh, 22px); line-height: 1.3; }
.st-key-story-notes p { font-size: max(1.6vh, 12px); line-height: 1.25; }
.st-key-story-nav button p { font-size: 1.2rem; }
div.st-key-slide-figure { height: calc(100vh - 150px) !important; flex: 0 0 auto !important; }
div.st-key-slide-figure [data-testid="stElementContainer"], div.st-key-slide-figure [data-testid="stFullScreenFrame"],
div.st-key-slide-figure [data-testid="stPlotlyChart"], div.st-key-slide-figure [data-testid="stHorizontalBlock"],
div.st-key-slide-figure [data-testid="stColumn"], div.st-key-slide-figure [data-testid="stVerticalBlock"],
div.st-key-slide-figure [data-testid="stLayoutWrapper"] {
  height: 100% !important; }
</style>"""
PRESENT_CSS = "<style>div.st-key-slide-figure { height: calc(100vh - 95px) !important; }</style>"

slides = story_slides()
n = len(slides)
if SLIDE not in st.session_state:
    st.session_state[SLIDE] = 1


def _move(step: int) -> None:
    st.session_state[SLIDE] = min(max(int(st.session_state[SLIDE] or 1) + step, 1), n)


st.html(CSS + (PRESENT_CSS if st.query_params.get("present") == "1" else ""))
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
    prev_col.button(
        "◀ Previous",
        key="slide_previous",
        on_click=_move,
        args=(-1,),
        shortcut="Left",
        disabled=number == 1,
        width="stretch",
    )
    next_col.button(
        "Next ▶",
        key="slide_next",
        on_click=_move,
        args=(1,),
        shortcut="Right",
        disabled=number == n,
        width="stretch",
        type="primary",
    )

slide = slides[number - 1]
geojson = geo_url(slide.map_level) if slide.map_level else None
outlines = geo_url("borough") if slide.map_level and slide.map_level != "borough" else None
figures = slide_charts.slide_figures(  # flat SVG maps: no WebGL needed on a presenter's laptop
    slide,
    geojson,
    outlines,
    height=FIGURE_HEIGHT,
    map_width=MAP_WIDTH.get(slide.figure, 900),
    font_size=TEXT_PX + 2,
    flat=True,
    outline_codes=list(borough_names()),
)
legend = figures.pop() if slide.figure == "need_capacity" and len(figures) == 2 else None
if slide.map_level and figures:
    map_layers.add_area_labels(figures[0], borough_label_points(), size=LABEL_PX)
for fig in [*figures, *([legend] if legend else [])]:
    slide_charts.presentation_fonts(fig, TEXT_PX)
config = flat_map_config({"displaylogo": False, "displayModeBar": False})

with st.container(key="story"):
    text_col, figure_col = st.columns([1, 2] if figures else [1, 1], gap="medium")
    with text_col:
        st.title(slide.title)
        with st.container(key="story-tag"):
            st.markdown(f":blue[**{slide.illustrates}**]")
        with st.container(key="story-message"):
            st.markdown(slide.message)
        if legend is not None:
            legend.update_layout(height=215, width=390)
            st.plotly_chart(legend, width="content", config={**config, "staticPlot": True}, key="slide-legend")
        with st.container(key="story-notes"):
            notes = [slide.caveat] if slide.caveat else []
            sources = story_sources(tuple(slide.sources))
            if sources:
                notes.append(f"Sources: {sources}.")
            notes.append(f"Slide {number} of {n}. Figures from the dashboard's database; ← → keys move slides.")
            for note in notes:
                st.caption(note)
    with figure_col:
        if figures:
            with st.container(key="slide-figure"):
                cols = st.columns(COLUMNS.get(slide.figure, [1] * len(figures)), vertical_alignment="center")
                for i, (col, fig) in enumerate(zip(cols, figures, strict=False)):
                    col.plotly_chart(fig, width="stretch", height="stretch", config=config, key=f"slide-figure-{i}")
        if slide.points:
            with st.container(key="story-points"):
                st.markdown("\n".join(f"- {p}" for p in slide.points))
