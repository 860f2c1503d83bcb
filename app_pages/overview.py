"""London overview: where to embed social cohesion in resilience plans, by borough, ward or neighbourhood.

Map first: the need x capacity map fills the first screen (its height follows the window, see MAP_CSS), the top ten
places beside it, the full table under it in the same order.
"""

from __future__ import annotations

import streamlit as st

from app_pages import _cached as cached
from app_pages import _cached_figures as cached_figures
from app_pages import _downloads as downloads
from app_pages import _svg_map as svg_map
from app_pages import _widgets as widgets
from app_pages._url import INDICATOR, LEVEL, code_from_url, default_first, url_selectbox
from cohesion_metrics.metadata.levels import LEVELS_BY_CODE
from cohesion_metrics.method import framework
from cohesion_metrics.read import page_frames

LAZY_TABLE_ROWS = 1000  # above this many areas the full table waits for its toggle

title_col, level_col, measure_col = st.columns([2, 3, 4], vertical_alignment="bottom")
title_col.title("London overview")
LEVEL_LABELS = cached.level_labels()
with level_col:
    code_from_url(LEVEL, list(LEVEL_LABELS))
    level = st.radio(
        "Area level",
        list(LEVEL_LABELS),
        format_func=LEVEL_LABELS.__getitem__,
        horizontal=True,
        key=LEVEL,
        bind="query-params",
    )
with measure_col:
    options = default_first(cached.measure_ids(level), page_frames.CLASSES)
    measure_id = url_selectbox(
        "What to map",
        options,
        key=INDICATOR,
        format_func=lambda m: page_frames.get_measure(m).option,
        help="The need x cohesion capacity classes (default), need, cohesion capacity, hazard exposure, the "
        "priority, one pillar of the framework, or any indicator measured at this level (labelled by its pillar). "
        "Type to search.",
    )
measure = page_frames.get_measure(measure_id)
one, many = LEVELS_BY_CODE[level].noun, LEVELS_BY_CODE[level].nouns
unit = f" ({measure.unit})" if measure.kind != "classes" else ""
st.caption(f"**{measure.label}**{unit}. {measure.definition}", help=framework.method_summary())

frame = cached.overview_frame(level, measure_id)
n_priorities = len(cached.priority_order(level))

map_col, side_col = st.columns([3, 2])
with map_col, st.container(key="map-frame"):
    svg_map.london_map(level, measure_id, key="overview_map", fallback_config=widgets.CHART_CONFIG)
with side_col:
    if measure.kind == "classes":
        counts = frame["value"].value_counts()
        st.plotly_chart(
            cached_figures.bivariate_legend(tuple((int(k), int(v)) for k, v in counts.items()), many),
            width="content",
            config={"displayModeBar": False, "staticPlot": True},
            key="legend",
        )
    listed = min(n_priorities, 10)
    st.subheader(f"Where to embed cohesion first: the top {listed if 0 < listed < 10 else 'ten'} {many}")
    if not listed:
        st.info(f"No {one} has both a need score and cohesion capacity below London's median.")
    else:
        widgets.show_table(cached.top_ten_list(level), key="priorities_table", width="stretch")
        st.caption(
            f"The priority: the most need among the {many} whose cohesion capacity is below London's median "
            f"({n_priorities:,} of London's {len(frame):,}); capacity decides eligibility, it never lowers need. Top "
            f"10 in: the share of {framework.DEFAULT_DRAWS:,} re-runs with other reasonable weights and normalisations in which the {one} "
            "is still in London's top 10 (how sure the list is). Likely rank: the 5th to 95th percentile of its priority rank; \"not "
            'listed": in some re-runs its cohesion capacity is not below the median.'
        )

if measure.kind == "classes":
    st.caption(
        "Orange rises with need, blue with lack of cohesion capacity; the darkest areas, outlined in black, "
        "have high need and low capacity; outlined in yellow, those also in London's most exposed third for "
        "hazards (flood, heat, air). Terciles are London thirds of each score."
    )
elif measure.higher_is_more_need is None:
    st.caption("A context measure, shown without a direction: not scored as need. Grey: no data.")
else:
    st.caption(
        ("Darker = more cohesion capacity." if measure.id == "capacity" else "Darker = more need.")
        + " Grey: no data. Hover an area for its value and London rank"
        + (", with the range the rank takes under other reasonable weights." if measure.has_interval else ".")
    )
notes = cached.gaps(level, measure_id)
if notes:  # said under the map, so the map itself stays above the fold on a projector
    st.info("**Gaps in the data behind this map**\n\n" + "\n".join(f"- {n}" for n in notes), icon=":material/info:")

order = "the top places first, in the order of the list above" if measure.kind == "classes" else "most need first"
# A table of thousands of rows is ~0.3 MB per redraw and delays the map: for neighbourhoods it is drawn on request.
if len(frame) <= LAZY_TABLE_ROWS or st.toggle(f"Show the table of all {len(frame):,} {many}", key="full_table"):
    table = page_frames.display_table(frame, measure)
    widgets.show_table(table, key="overview_table", width="stretch", height=420)
    st.caption(f"{len(table):,} {many}, {order}; click a column heading to sort.")
else:
    st.caption(f"The table and downloads list all {len(frame):,} {many}, {order}.")
downloads.download_view(level, measure_id)

with st.expander("How the scores are made"):
    st.markdown(framework.method_summary() + " Definitions, sources and vintages: Data & methodology.")
