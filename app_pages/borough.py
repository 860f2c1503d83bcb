"""Borough explorer: one borough down to its neighbourhoods and spaces, its profile, and what to fund."""

from __future__ import annotations

from functools import partial

import plotly.graph_objects as go
import streamlit as st

from app_pages import _cached as cached
from app_pages import _cached_figures as cached_figures
from app_pages import _downloads as downloads
from app_pages import _local as local
from app_pages import _widgets as widgets
from app_pages._url import BOROUGH, MEASURE, SPACES, url_selectbox
from cohesion_metrics.figures import page_maps
from cohesion_metrics.metadata.spaces import DEFAULT_MAP_GROUPS, SPACE_MAP_GROUPS
from cohesion_metrics.method.classify import WEAK_AT
from cohesion_metrics.outputs import borough_text, safe_csv
from cohesion_metrics.read import page_frames, page_text

names = cached.borough_names()
codes = list(names)
LSOA = cached.neighbourhood_level()


def _picked(key: str) -> None:
    """A click on the small London map opens that borough (runs before the page, so the list can follow)."""
    points = st.session_state[key]["selection"]["points"]
    if points:
        st.session_state[BOROUGH] = points[0]["location"]


title_col, borough_col, measure_col = st.columns([2, 2, 3], vertical_alignment="bottom")
title_col.title("Borough explorer")
with borough_col:
    uploaded = local.loaded(local.SPACES)
    if BOROUGH not in st.session_state and BOROUGH not in st.query_params and uploaded and len(uploaded.result.valid):
        st.session_state[BOROUGH] = uploaded.result.valid["borough_code"].mode().iloc[0]  # where your spaces are
    borough = url_selectbox(
        "Borough", codes, key=BOROUGH, format_func=names.__getitem__, help="Or click a borough on the small map."
    )
name = names[borough]
options = borough_text.map_measures(cached.measure_ids(LSOA))
with measure_col:
    measure_id = url_selectbox(
        "Colour neighbourhoods by", options, key=MEASURE, format_func=borough_text.measure_option
    )
measure = page_frames.get_measure(measure_id)
st.caption(f"**{measure.label}** ({measure.unit}). {measure.definition}")
frame = cached.measure_frame(LSOA, measure_id, borough)
lsoa = cached.measure_frame(LSOA, "need", borough)
pri = cached.priorities(LSOA, None, borough)
row = cached.cohesion_areas("borough").set_index("area_code").loc[borough]

map_col, side_col = st.columns([2, 1])
with side_col:
    groups = st.pills(
        "Spaces on the map",
        list(SPACE_MAP_GROUPS),
        selection_mode="multi",
        default=list(DEFAULT_MAP_GROUPS),
        format_func=lambda g: SPACE_MAP_GROUPS[g][0],
        key=SPACES,
        bind="query-params",
    )
mine = local.loaded(local.SPACES)
mine_here = mine.result.valid[mine.result.valid["borough_code"] == borough] if mine is not None else None
local_far = local.far_from_community(borough)
with map_col, st.container(key="map-frame"):
    figure = cached_figures.borough_map(borough, measure_id, tuple(sorted(groups or [])), outline_far=local_far is None)
    if local_far is not None:  # this session's own spaces: drawn on a copy, never into the shared cache
        figure = go.Figure(figure)
        cached_figures.outline_far_areas(figure, local_far)
        if mine_here is not None and len(mine_here):
            page_maps.add_own_spaces(figure, mine_here)
    st.plotly_chart(figure, width="stretch", height="stretch", config=widgets.CHART_CONFIG, key="borough_map")
with side_col:
    st.markdown(borough_text.standing(row, name, len(lsoa), len(pri), LSOA))
    downloads.briefing_button(borough, name)
    key = f"pick_{borough}"  # a new key per borough clears the old click
    st.plotly_chart(
        cached_figures.borough_picker(borough),
        on_select=partial(_picked, key),
        selection_mode="points",
        key=key,
        width="content",
        config={"displayModeBar": False, "scrollZoom": False},
    )
    measured = page_frames.pillars_with_scores(cached.cohesion_areas("borough"))
    for note in page_text.borough_gaps(row, name, len(cached.neighbours(borough)), measured=measured):
        st.warning(note, icon=":material/warning:")

far = cached.far_from_community(borough) if local_far is None else local_far
yours = borough_text.own_spaces_phrase(len(local.community_spaces(mine_here)) if mine_here is not None else None, name)
farthest = cached.farthest(LSOA, borough)
far_text = borough_text.far_sentence(far, len(frame), yours, farthest, cached.place_names(LSOA))
st.caption(borough_text.map_caption(measure, far_text, mine_here is not None and len(mine_here) > 0))
table = (  # a session's own spaces change which are far: that table is made here, never cached for all
    cached.neighbourhood_table(LSOA, measure_id, borough)
    if local_far is None
    else borough_text.neighbourhood_table(frame, measure, far)
)
widgets.show_table(
    table,
    key="lsoa_table",
    width="stretch",
    height=min(420, 35 * len(frame) + 40),
)
downloads.download_view(LSOA, measure_id, borough)

st.header("Pillar profile")
st.plotly_chart(
    cached_figures.borough_profile(borough), width="stretch", config={"displayModeBar": False}, key="profile"
)
st.caption(borough_text.neighbours_caption(name, cached.neighbours(borough)["borough_name"].tolist()))

st.header("What to fund: recommendation 5")
sentences = cached.action_sentences("borough", borough)
st.markdown(borough_text.borough_actions(sentences, name))
top, intro = borough_text.areas_to_fund(pri, lsoa, name)
st.markdown(intro)
for _, area in top.iterrows():
    lines = cached.action_sentences(LSOA, area["area_code"])
    with st.expander(borough_text.area_heading(area), expanded=True):
        st.markdown(
            "\n".join(f"- {s}" for s in lines)
            if lines
            else f"No pillar among London's {100 - WEAK_AT:.0f}% most in need."
        )

st.header(f"Spaces in {name}")
spaces, spaces_csv = cached.spaces_table(borough)
st.caption(borough_text.spaces_caption(spaces))
st.dataframe(spaces, hide_index=True, width="stretch", height=360, key="spaces_table")
st.download_button(
    "Download spaces (CSV)",
    spaces_csv,  # a few hundred rows: bytes, cached with the table
    on_click="ignore",
    file_name=safe_csv.csv_file_name(name, "spaces"),
    mime="text/csv",
)
