"""Weights & robustness: re-rank areas live under other weights and normalisations, and see how firm each rank is."""

from __future__ import annotations

import streamlit as st

from app_pages._shared import (
    LEVEL,
    LEVEL_LABELS,
    METHOD,
    METHOD_LABELS,
    PRESET,
    PRESET_LABELS,
    WEIGHT_PREFIX,
    area_labels,
    assess,
    code_from_url,
    cohesion_areas,
    scored_pillars,
)
from cohesion_metrics import charts
from cohesion_metrics.composite import METHODS, WEIGHT_PRESETS
from cohesion_metrics.framework import DEFAULT_DRAWS
from cohesion_metrics.indicators import PILLARS_BY_ID
from cohesion_metrics.story import LEVEL_WORDS, rank_moves, stability_explanations, stability_summary

TOP, MOVES = 30, 15
SLIDER_MAX, SLIDER_DEFAULT = 10, 5

st.title("Weights & robustness")
st.caption(
    "The composite ranks areas by need for cohesion investment. Change how its pillars are weighted and how "
    f"indicators are put on one scale, and watch the ranking change. Each rank carries a 5-95% interval from "
    f"{DEFAULT_DRAWS:,} re-runs with randomly varied weights and all three normalisations."
)

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
    captions=["robust to outliers (default)", "keeps the spread", "distance from the mean in sds"],
)

pillars = scored_pillars(level)
weights: str | tuple[tuple[str, float], ...] = preset
if preset == "custom":
    st.markdown(f"**Pillar weights** (0 leaves a pillar out; only pillars measured for {LEVEL_WORDS[level]} are shown)")
    cols = st.columns(len(pillars))
    weights = tuple(
        (
            p,
            float(
                col.slider(
                    PILLARS_BY_ID[p].label,
                    0,
                    SLIDER_MAX,
                    SLIDER_DEFAULT,
                    key=f"{WEIGHT_PREFIX}{p}",
                    bind="query-params",
                    help=f"Recommendation 5 {PILLARS_BY_ID[p].action}",
                )
            ),
        )
        for p, col in zip(pillars, cols, strict=True)
    )
    total = sum(w for _, w in weights)
    if total > 0:
        st.caption(
            "Effective pillar weights: " + ", ".join(f"{PILLARS_BY_ID[p].label} {w / total:.0%}" for p, w in weights)
        )

if preset == "custom" and all(w == 0 for _, w in weights):
    st.warning("All pillar weights are zero, so nothing can be ranked. Give at least one pillar a weight above 0.")
else:
    table = assess(level, weights, method)
    labels = area_labels(level)
    table = table.merge(labels[["area_code", "label"]], on="area_code", how="left")
    n_scored = int(table["rank"].notna().sum())
    explain = stability_explanations(n_scored)

    st.subheader(f"The {TOP} {LEVEL_WORDS[level]} most in need, with rank intervals")
    st.markdown(stability_summary(table, level))
    chart_col, text_col = st.columns([3, 2])
    chart_col.plotly_chart(
        charts.rank_interval_chart(table.nsmallest(TOP, "rank"), n_areas=n_scored),
        width="stretch",
        config={"displaylogo": False},
    )
    with text_col:
        for label in ("stable", "fairly stable", "uncertain"):
            st.markdown(f"- {explain[label]}")

    st.subheader("Which areas move most")
    st.caption("Against the default run: equal pillar weights, percentile-rank normalisation.")
    moves = rank_moves(table, cohesion_areas(level), labels, top=MOVES)
    if moves.empty:
        st.info("No area moves: these settings give the default ranking.")
    else:
        st.dataframe(
            moves,
            hide_index=True,
            width="stretch",
            column_config={
                "label": "Area",
                "default_rank": "Default rank",
                "custom_rank": "Rank now",
                "places": st.column_config.NumberColumn(
                    "Places moved", format="%+d", help="Positive: now ranked as more in need."
                ),
                "stability": "Rank is",
            },
        )

    with st.expander(f"Full ranking ({n_scored:,} scored areas)"):
        ranking = table.sort_values("rank")[
            ["rank", "label", "composite", "rank_p05", "rank_p95", "stability", "class_label", "coverage"]
        ]
        st.dataframe(
            ranking,
            hide_index=True,
            width="stretch",
            column_config={
                "rank": "Rank",
                "label": "Area",
                "composite": st.column_config.NumberColumn("Composite", format="%.3f"),
                "rank_p05": st.column_config.NumberColumn("Rank p5", format="%.0f"),
                "rank_p95": st.column_config.NumberColumn("Rank p95", format="%.0f"),
                "stability": "Rank is",
                "class_label": "Need x capacity class",
                "coverage": st.column_config.NumberColumn("Coverage", format="percent"),
            },
        )
