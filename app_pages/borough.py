"""Borough explorer: one borough down to its neighbourhoods and spaces, its profile, and what to fund."""

from __future__ import annotations

import html
from functools import partial

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from app_pages import _cached as cached
from app_pages import _cached_figures as cached_figures
from app_pages import _downloads as downloads
from app_pages import _local as local
from app_pages import _widgets as widgets
from app_pages._url import BOROUGH, MEASURE, SPACES, code_from_url
from cohesion_metrics.figures import maps
from cohesion_metrics.metadata import numbers
from cohesion_metrics.outputs import briefing, safe_csv
from cohesion_metrics.read import page_frames

DEFAULT_GROUPS = ["community", "faith", "culture"]
#: Registry indicators the map also offers (shown, not scored): the distance to the nearest community space.
DISPLAY_MEASURES = [page_frames.NEAREST_INDICATOR]

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
    code_from_url(BOROUGH, codes)
    uploaded = local.loaded(local.SPACES)
    if BOROUGH not in st.session_state and BOROUGH not in st.query_params and uploaded and len(uploaded.result.valid):
        st.session_state[BOROUGH] = uploaded.result.valid["borough_code"].mode().iloc[0]  # where your spaces are
    borough = st.selectbox(
        "Borough",
        codes,
        format_func=names.__getitem__,
        key=BOROUGH,
        bind="query-params",
        help="Or click a borough on the small map.",
    )
name = names[borough]
available = cached.measure_ids(LSOA)
options = [m for m in available if page_frames.get_measure(m).kind in ("axis", "pillar")]
options += [m for m in DISPLAY_MEASURES if m in available]
with measure_col:
    code_from_url(MEASURE, options)
    measure_id = st.selectbox(
        "Colour neighbourhoods by",
        options,
        format_func=lambda m: (
            page_frames.get_measure(m).label + (" (m)" if page_frames.get_measure(m).unit == "metres" else "")
        ),
        key=MEASURE,
        bind="query-params",
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
        list(page_frames.SPACE_MAP_GROUPS),
        selection_mode="multi",
        default=DEFAULT_GROUPS,
        format_func=lambda g: page_frames.SPACE_MAP_GROUPS[g][0],
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
            maps.add_points(  # names from the file go into plotly's hover labels, which read HTML tags
                figure,
                mine_here.assign(name=mine_here["name"].map(html.escape)),
                name="Your spaces (this session)",
                colour=maps.LOCAL_POINT_COLOUR,
                size=12,
                edge=True,
            )
    st.plotly_chart(figure, width="stretch", height="stretch", config=widgets.CHART_CONFIG, key="borough_map")
with side_col:
    st.markdown(
        f"**{name}** ranks **{row['need_rank']:.0f} of 33** boroughs for need (1 = most need; likely "
        f"{page_frames.likely_range(row[['need_rank_p05']], row[['need_rank_p95']]).iloc[0]} under other reasonable "
        f"weights) and **{row['capacity_rank']:.0f} of 33** for cohesion capacity (1 = least). Need against "
        f"cohesion capacity: **{row['class_label']}**. {len(lsoa):,} neighbourhoods "
        f"({page_frames.LEVEL_TITLES.get(LSOA, 'LSOAs')}); **{len(pri):,}** of them are priorities (cohesion capacity "
        "below London's median)."
    )
    briefing_name = safe_csv.file_name(name, "briefing", ext="pdf")
    st.download_button(
        f"Briefing for {name} (PDF)",
        # made on click, on another thread (the button spins meanwhile): it gets the connection, not cached helpers;
        # pinned until the browser has it, so other sessions' reruns cannot delete it first
        downloads.made_on_click(
            partial(briefing.build_briefing, cached.con(), borough), "application/pdf", briefing_name
        ),
        file_name=briefing_name,
        mime="application/pdf",
        on_click="ignore",
        icon=":material/picture_as_pdf:",
        type="primary",
        help="Page 1 stands alone: the three most important asks with the figures behind them, the map and what "
        "the data cannot say. Pages 2+ are the annex: priorities with how sure each is, the pillar profile, "
        "sources and method.",
    )
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
    for note in page_frames.borough_gaps(row, name, len(cached.neighbours(borough)), measured=measured):
        st.warning(note, icon=":material/warning:")

far = cached.far_from_community(borough) if local_far is None else local_far
yours = (
    f", counting the {len(local.community_spaces(mine_here)):,} community centres and libraries you uploaded in "
    f"{name} (this session only)"
    if mine_here is not None
    else ""
)
if far:
    far_text = (
        f"Outlined in black: the {len(far):,} of {len(frame):,} neighbourhoods where fewer than half of residents "
        f"live within 800 m (straight line) of a community centre or library{yours}."
    )
else:
    farthest = page_frames.farthest(cached.indicator_values(page_frames.NEAREST_INDICATOR, LSOA, borough))
    places = cached.place_names(LSOA)
    listed = "; ".join(
        f"{places.get(r.area_code, r.area_name)} ({numbers.text(r.value, 'metres')})" for r in farthest.itertuples()
    )
    far_text = (
        f"In every one of its {len(frame):,} neighbourhoods at least half of residents live within 800 m of a "
        f"community centre or library{yours}. Farthest from one: {listed}."
    )
scale = "Darker = more need, on London's scale. " if measure.higher_is_more_need is not None else ""
st.caption(
    scale
    + far_text
    + " Pubs and commercial galleries are shown (grey) but not counted as inclusive spaces."
    + (" Your own spaces: dark markers with a white edge." if mine_here is not None and len(mine_here) else "")
)
table = page_frames.display_table(frame, measure)
table.insert(
    table.columns.get_loc("Code"),
    "Beyond 800 m of a community space",
    table["Code"].isin(far).map({True: "mostly", False: ""}),
)
widgets.show_table(
    table.drop(columns="Borough"), key="lsoa_table", width="stretch", height=min(420, 35 * len(table) + 40)
)
downloads.download_view(LSOA, measure_id, borough)

st.header("Pillar profile")
st.plotly_chart(
    cached_figures.borough_profile(borough), width="stretch", config={"displayModeBar": False}, key="profile"
)
near = cached.neighbours(borough)
st.caption(
    "Scores from 0 (least need in London) to 1 (most). "
    + (
        f"Statistical neighbours, the boroughs with the most similar profile: {', '.join(near['borough_name'])}."
        if len(near)
        else f"{name} has no statistical neighbours: its profile lacks pillars the others have."
    )
)

st.header("What to fund: recommendation 5")
sentences = page_frames.describe_actions(cached.actions("borough", borough), "borough")
st.markdown(
    "\n".join(f"- {s}" for s in sentences)
    if sentences
    else f"No pillar of {name} is among the 30% of boroughs most in need; look at its neighbourhoods below."
)
top = pri.head(3)
if top.empty:
    top = lsoa.head(3).rename(columns={"rank": "need_rank"})
    st.markdown(f"None of {name}'s neighbourhoods is a priority; its three with the most need:")
else:
    st.markdown(f"Its top {len(top)} priority neighbourhoods (most need among those below London's median capacity):")
for _, area in top.iterrows():
    lines = page_frames.describe_actions(cached.actions(LSOA, area["area_code"]), LSOA)
    listed = "priority_rank" in area.index and pd.notna(area["priority_rank"])
    label = (
        f"London priority rank {area['priority_rank']:.0f}" if listed else f"London need rank {area['need_rank']:.0f}"
    )
    with st.expander(f"{area['area_name']} ({area['area_code']}), {label}", expanded=True):
        st.markdown("\n".join(f"- {s}" for s in lines) if lines else "No pillar among London's 30% most in need.")

st.header(f"Spaces in {name}")
spaces = page_frames.spaces_table(cached.borough_spaces(borough))
counted = int((spaces["Counted as inclusive"] == "yes").sum())
st.caption(
    f"{len(spaces):,} spaces, {counted:,} counted as inclusive (community, faith, arts and culture). Sources: "
    "GLA Cultural Infrastructure Map; OpenStreetMap places of worship."
)
st.dataframe(spaces, hide_index=True, width="stretch", height=360, key="spaces_table")
st.download_button(
    "Download spaces (CSV)",
    safe_csv.to_csv_bytes(spaces),  # a few hundred rows: bytes, made with the page
    on_click="ignore",
    file_name=safe_csv.csv_file_name(name, "spaces"),
    mime="text/csv",
)
