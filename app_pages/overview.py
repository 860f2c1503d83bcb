"""London overview: where to embed social cohesion in resilience plans, by borough, ward or neighbourhood."""

from __future__ import annotations

import streamlit as st

from app_pages import _shared as shared
from app_pages._shared import INDICATOR, LEVEL
from cohesion_metrics import framework, views

MAP_HEIGHT = 620
CHART_CONFIG = {"displaylogo": False, "scrollZoom": True, "modeBarButtonsToRemove": ["select2d", "lasso2d"]}

st.title("London overview")
st.markdown(
    "Where should social cohesion be embedded in London's local resilience plans (recommendation 2)? "
    "The map shows need against cohesion capacity; the list below it names the places to start."
)
LEVEL_LABELS = shared.level_labels()

level_col, measure_col = st.columns([2, 3])
with level_col:
    shared.code_from_url(LEVEL, list(LEVEL_LABELS))
    level = st.radio(
        "Area level",
        list(LEVEL_LABELS),
        format_func=LEVEL_LABELS.__getitem__,
        horizontal=True,
        key=LEVEL,
        bind="query-params",
    )
with measure_col:
    options = shared.measure_ids(level)
    shared.code_from_url(INDICATOR, options)
    measure_id = st.selectbox(
        "What to map",
        options,
        format_func=lambda m: views.get_measure(m).option,
        key=INDICATOR,
        bind="query-params",
        help="The need x cohesion capacity classes (default), need, cohesion capacity, hazard exposure, the "
        "priority, one pillar of the framework, or any indicator measured at this level (labelled by its pillar). "
        "Type to search.",
    )
measure = views.get_measure(measure_id)
one, many = views.LEVEL_NOUNS[level]
unit = f" ({measure.unit})" if measure.kind != "classes" else ""
st.caption(f"**{measure.label}**{unit}. {measure.definition}")

frame = shared.measure_frame(level, measure_id)

map_col, table_col = st.columns([5, 3])
with map_col:
    st.plotly_chart(
        shared.overview_map(level, measure_id),
        width="stretch",
        config=shared.flat_map_config(CHART_CONFIG),
        key="overview_map",
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
    notes = views.gaps(level, measure, frame, shared.cohesion_areas(level))
    if notes:  # said under the map, so the map itself stays above the fold on a projector
        st.info("**Gaps in the data behind this map**\n\n" + "\n".join(f"- {n}" for n in notes), icon=":material/info:")
with table_col:
    if measure.kind == "classes":
        counts = frame["value"].value_counts()
        st.plotly_chart(
            shared.bivariate_legend(tuple((int(k), int(v)) for k, v in counts.items()), many),
            width="content",
            config={"displayModeBar": False, "staticPlot": True},
            key="legend",
        )
    table = views.display_table(frame, measure)
    st.dataframe(
        table,
        hide_index=True,
        width="stretch",
        height=MAP_HEIGHT - (300 if measure.kind == "classes" else 0),
        key="overview_table",
    )
    shared.download_view(level, measure_id)
    st.caption(f"{len(table):,} {many}, most need first; click a column heading to sort.")

top = shared.priorities(level)
st.subheader(f"Where to embed cohesion first: the top {len(top) if 0 < len(top) < 10 else 'ten'} {many}")
if top.empty:
    st.info(f"No {one} has both a need score and cohesion capacity below London's median.")
else:
    st.markdown(
        f"The priority: among the {many} whose cohesion capacity is below London's median, those with the most "
        "need. Capacity decides which places are eligible; it never lowers how high a place's need ranks. Fund "
        "them first under recommendation 5: the borough explorer shows which actions their figures point to."
    )
    st.dataframe(
        views.describe_priorities(top, shared.borough_names(), len(shared.priorities(level, None))),
        hide_index=True,
        width="stretch",
        key="priorities_table",
    )
    st.caption(
        f"How sure: the share of 1,000 re-runs with other reasonable weights and normalisations in which the {one} "
        "is still in London's top 10 priorities. Likely rank range: the 5th to 95th percentile of its priority rank "
        'over those re-runs; "not listed": in some re-runs its cohesion capacity is not below London\'s median.'
    )

with st.expander("How the scores are made"):
    st.markdown(framework.method_summary() + " Definitions, sources and vintages: Data & methodology.")
