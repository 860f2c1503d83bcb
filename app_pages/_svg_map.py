"""The London map as a small Streamlit component that stays mounted and only repaints on a rerun.

A plotly SVG choropleth rebuilds every one of ~4,800 neighbourhood paths on each redraw, and the browser then
rasterises them (on a laptop without a GPU, through SwiftShader) for seconds. This component (st.components.v2,
inline JS in svg_map.js, no build step, no iframe) fetches the level's pre-projected SVG path data once
(cohesion_metrics.figures.svg_paths, a static file the browser caches), makes a Path2D per area once, and on every rerun
fills them on a software 2D canvas from a values-only message (cohesion_metrics.figures.svg_map): ~0.4 s from click to
painted map, against ~2.4 s. Hover shows a tooltip (name, code, value, rank); a click returns the area code. When
static files cannot be written the page falls back to the plotly map.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import streamlit as st

from app_pages import _cached as cached
from app_pages import _cached_figures as cached_figures
from app_pages import _static_geo as static_geo

JS = (Path(__file__).parent / "svg_map.js").read_text(encoding="utf-8")
# Its CSS sits in svg_map.js, which adds it to the page once (a component's css parameter did not reach the page
# with isolate_styles=False in streamlit 1.67).
_component = st.components.v2.component("cohesion_london_map", js=JS, isolate_styles=False)


@st.cache_resource(show_spinner=False)
def _paths_geo() -> Any:
    """The static files, with each level's paths file beside its GeoJSON; None when they cannot be written."""
    from cohesion_metrics.figures import svg_paths

    geo = static_geo.static_geo()
    if geo is None:
        return None
    try:
        svg_paths.ensure_paths(geo)
    except OSError:
        return None
    return geo


@st.cache_resource(show_spinner=False, max_entries=64)
def map_message(level: str, measure_id: str) -> dict[str, Any] | None:
    """The component's data for one level and measure (values only; the paths come from a cached static file).

    One shared message per argument set (the component serialises it; nothing modifies it): no unpickled copy a rerun.
    """
    from cohesion_metrics.figures import svg_map, svg_paths
    from cohesion_metrics.read import page_frames

    geo = _paths_geo()
    if geo is None:
        return None
    measure, frame = page_frames.get_measure(measure_id), cached.measure_frame(level, measure_id)
    index = static_geo.feature_index(level)
    if measure.kind == "classes":
        msg = svg_map.classes_message(frame, index)
    else:
        msg = svg_map.measure_message(
            frame,
            index,
            label=measure.label,
            unit=measure.short_unit,
            higher_is_more_need=measure.higher_is_more_need,
            has_interval=measure.has_interval,
            legend_title=page_frames.value_column(measure),
        )
    outline = svg_paths.url(geo, "borough") if level != "borough" else None
    return {**msg, "url": svg_paths.url(geo, level), "outline_url": outline, "measure": measure_id}


def london_map(level: str, measure_id: str, *, key: str, fallback_config: dict[str, Any]) -> None:
    """Draw the London map of a measure at a level: the component, or the plotly map when static files are off."""
    msg = map_message(level, measure_id)
    if msg is None:
        st.plotly_chart(
            cached_figures.overview_map(level, measure_id),
            width="stretch",
            height="stretch",
            config=static_geo.flat_map_config(fallback_config),
            key=key,
        )
        return
    _component(key=key, data=msg, width="stretch", height="stretch", on_clicked_change=lambda: None)
