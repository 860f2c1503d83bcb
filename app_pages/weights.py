"""Weights & robustness: re-rank areas live under other weights and normalisations, and see how firm each rank is."""

from __future__ import annotations

import streamlit as st

from app_pages._cached import area_labels, assess, cohesion_areas, level_labels, scored_pillars
from app_pages._url import LEVEL, METHOD, PRESET, code_from_url
from app_pages._weight_sliders import custom_pillar_weights
from cohesion_metrics.figures import charts
from cohesion_metrics.method.composite import WEIGHT_PRESETS
from cohesion_metrics.method.framework import DEFAULT_DRAWS
from cohesion_metrics.method.measures import MAX_HAZARD_WEIGHT
from cohesion_metrics.method.normalise import METHODS
from cohesion_metrics.outputs import weights_tables
from cohesion_metrics.outputs.robustness import (
    priority_changes,
    rank_moves,
    stability_explanations,
    stability_summary,
)
from cohesion_metrics.outputs.weights_tables import METHOD_CAPTIONS, METHOD_LABELS, PRESET_LABELS
from cohesion_metrics.read import page_frames, page_text

TOP, MOVES, LIST_TOP = 30, 15, 10
HAZARD_KEY = "hazard_weight"

st.title("Weights & robustness")
st.caption(
    "The priority ranks places by need among those whose cohesion capacity is below London's median. Change how "
    "the pillars are weighted, how indicators are put on one scale and whether hazard exposure counts, and watch "
    f"the priority list change. Each rank carries a 5-95% interval from {DEFAULT_DRAWS:,} re-runs with randomly "
    "varied weights and all three normalisations."
)

LEVEL_LABELS = level_labels()
top_row = st.columns([2, 3, 3])
for key, codes in ((LEVEL, list(LEVEL_LABELS)), (PRESET, [*WEIGHT_PRESETS, "custom"]), (METHOD, list(METHODS))):
    code_from_url(key, codes)  # a hand-written link may use codes (?level=ward&weights=custom)
level = top_row[0].radio(
    "Area level", list(LEVEL_LABELS), format_func=LEVEL_LABELS.__getitem__, key=LEVEL, bind="query-params"
)
preset = top_row[1].radio(
    "Weights", [*WEIGHT_PRESETS, "custom"], format_func=PRESET_LABELS.__getitem__, key=PRESET, bind="query-params"
)
method = top_row[2].radio(
    "Normalisation",
    list(METHODS),
    format_func=METHOD_LABELS.__getitem__,
    key=METHOD,
    bind="query-params",
    captions=METHOD_CAPTIONS,
)

pillars = scored_pillars(level)
weights: str | tuple[tuple[str, float], ...] = custom_pillar_weights(level, pillars) if preset == "custom" else preset
hazard_weight = st.slider(
    "Hazard exposure in the priority (weight)",
    0.0,
    MAX_HAZARD_WEIGHT,
    0.0,
    step=0.05,
    key=HAZARD_KEY,
    bind="query-params",
    help="0 (default): the priority is need alone, hazard shown beside it. w > 0: (1 - w) x need + w x hazard, "
    "for the places below London's median cohesion capacity.",
)

if preset == "custom" and all(w == 0 for _, w in weights):
    st.warning("All pillar weights are zero, so nothing can be ranked. Give at least one pillar a weight above 0.")
else:
    table = assess(level, weights, method, hazard_weight=float(hazard_weight))
    labels = area_labels(level)
    table = table.merge(labels[["area_code", "label"]], on="area_code", how="left")
    default = cohesion_areas(level)
    n_listed = int(table["priority_rank"].notna().sum())
    explain = stability_explanations(n_listed)

    st.subheader(f"The priority top {LIST_TOP}: before and after")
    changes = priority_changes(table, default, labels, top=LIST_TOP)
    if changes["change"].eq("stays").all():
        st.info(
            f"No place enters, leaves or moves in the top {LIST_TOP}: these settings give the default priority list "
            "(equal pillar weights, percentile ranks, hazard weight 0)."
        )
    st.dataframe(
        changes.assign(top10_share=page_text.certainty_words(changes["top10_share"])),
        hide_index=True,
        width="stretch",
        column_config=weights_tables.CHANGES_HEADINGS,
    )

    st.subheader(f"The first {TOP} priorities, with rank intervals")
    st.markdown(stability_summary(table[table["priority_rank"].notna()], level, "priority"))
    chart_col, text_col = st.columns([3, 2])
    ranked = page_frames.ranked_on(table, "priority").dropna(subset=["rank"])
    chart_col.plotly_chart(
        charts.rank_interval_chart(ranked.nsmallest(TOP, "rank"), n_areas=n_listed),
        width="stretch",
        config={"displaylogo": False},
    )
    with text_col:
        for label in ("stable", "fairly stable", "uncertain"):
            st.markdown(f"- {explain[label]}")

    st.subheader("Whose need rank moves most")
    st.caption("Against the default run: equal pillar weights, percentile-rank normalisation.")
    moves = rank_moves(table, default, labels, top=MOVES)
    if moves.empty:
        st.info(weights_tables.no_moves_reason(preset, method, level))
    else:
        st.dataframe(
            moves,
            hide_index=True,
            width="stretch",
            column_config={
                **weights_tables.MOVES_HEADINGS,
                "places": st.column_config.NumberColumn(
                    "Places moved", format="%+d", help="Positive: now ranked as more in need."
                ),
            },
        )

    with st.expander(f"Full priority list ({n_listed:,} places below London's median capacity)"):
        ranking = weights_tables.priority_list(table)
        st.dataframe(
            ranking,
            hide_index=True,
            width="stretch",
            column_config={
                **weights_tables.LIST_HEADINGS,
                **{c: st.column_config.NumberColumn(h, format="%.2f") for c, h in weights_tables.LIST_SCORES.items()},
            },
        )
