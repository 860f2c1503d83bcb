"""The weights page's custom pillar-weight sliders: one a scored pillar, greyed with its reason where it is not measured."""

from __future__ import annotations

import streamlit as st

from app_pages._url import WEIGHT_PREFIX
from cohesion_metrics.metadata.indicators import PILLARS_BY_ID
from cohesion_metrics.method.framework import SCORED_PILLARS, pillar_weight_reasons
from cohesion_metrics.outputs import weights_tables

SLIDER_MAX, SLIDER_DEFAULT = 10, 5


def custom_pillar_weights(level: str, pillars: list[str]) -> tuple[tuple[str, float], ...]:
    """Draw a slider for each scored pillar and return the (pillar, weight) pairs of those measured at `level`."""
    reasons = pillar_weight_reasons(level, pillars)
    st.markdown("**Pillar weights** (0 leaves a pillar out; a greyed slider says why it cannot count here)")
    chosen = []
    for p, col in zip(SCORED_PILLARS, st.columns(len(SCORED_PILLARS)), strict=True):
        measured = p in pillars
        value = col.slider(
            PILLARS_BY_ID[p].label,
            0,
            SLIDER_MAX,
            SLIDER_DEFAULT if measured else 0,
            key=f"{WEIGHT_PREFIX}{p}",
            bind="query-params" if measured else None,
            disabled=not measured,
            help=f"Recommendation 5 {PILLARS_BY_ID[p].action}" if measured else reasons[p],
        )
        if measured:
            chosen.append((p, float(value)))
        else:
            col.caption(reasons[p])
    weights = tuple(chosen)
    effective = weights_tables.effective_weights(weights)
    if effective:
        st.caption(effective)
    return weights
