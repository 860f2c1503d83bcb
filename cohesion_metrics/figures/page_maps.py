"""The app's page maps as recipes over package data: the overview's London map, a borough's LSOA map and its layers.

`geo` arguments are what plotly reads as GeoJSON: a relative URL of a static file or the GeoJSON itself.
"""

from __future__ import annotations

import html
from collections.abc import Mapping
from typing import Any

import pandas as pd
import plotly.graph_objects as go

from cohesion_metrics.figures import map_layers, maps
from cohesion_metrics.metadata.spaces import SPACE_MAP_GROUPS
from cohesion_metrics.read import page_frames

#: Plotly config of the pages' zoomable maps.
CHART_CONFIG = {"displaylogo": False, "scrollZoom": True, "modeBarButtonsToRemove": ["select2d", "lasso2d"]}


def _measure_style(measure: page_frames.Measure) -> dict[str, Any]:
    """How `maps.measure_map` shows a measure: its label, unit, direction, interval and colour bar title."""
    return {
        "label": measure.label,
        "unit": measure.short_unit,
        "higher_is_more_need": measure.higher_is_more_need,
        "has_interval": measure.has_interval,
        "colorbar_title": page_frames.value_column(measure),
    }


def overview_map(
    geo: Any,
    frame: pd.DataFrame,
    measure: page_frames.Measure,
    *,
    level: str,
    borough_geo: Any,
    borough_codes: list[str],
    feature_index: Mapping[str, int],
) -> go.Figure:
    """The overview's London map of a measure: flat SVG (fast for thousands of areas), borough outlines on top."""
    outlines = borough_geo if level != "borough" else None
    flat: dict[str, Any] = {"flat": True, "outline_codes": borough_codes, "uirevision": level}
    if measure.kind == "classes":
        fig = maps.classes_map(geo, frame, outlines=outlines, **flat)
        exposed = frame.loc[frame["exposed"], "area_code"].tolist()
        if exposed:  # the overlay: high need, low capacity and in London's most exposed third for hazards
            maps.add_outlined_areas(
                fig,
                geo,
                exposed,
                name="Yellow outline: high need, low capacity<br>and exposed (hazard in London's top third)",
                colour="#f0e442",
                width=2.5,
                flat=True,
            )
        return map_layers.index_features(fig, geo, feature_index)
    fig = maps.measure_map(geo, frame, outlines=outlines, **_measure_style(measure), **flat)
    return map_layers.index_features(fig, geo, feature_index)


def borough_map(
    geo: Any,
    frame: pd.DataFrame,
    measure: page_frames.Measure,
    *,
    borough_code: str,
    borough_geo: Any,
    bounds: Mapping[str, float],
    london_values: pd.Series,
    spaces: pd.DataFrame,
    groups: tuple[str, ...],
    far_codes: list[str],
) -> go.Figure:
    """A borough's LSOA map of a measure on London's scale: far neighbourhoods outlined, then the space layers."""
    fig = maps.measure_map(
        geo,
        frame,
        **_measure_style(measure),
        outlines=borough_geo,
        bounds=bounds,
        opacity=0.75,
        uirevision=borough_code,
        width=780,
        height=540,  # the view is fitted to the smallest map frame (1366 x 768); the map stretches to its frame
        value_range=(float(london_values.min()), float(london_values.max())),  # colours compare across boroughs
        reserve_top=26 * (len(groups) + 2),  # room for the legend of layers
    )
    outline_far_areas(fig, geo, far_codes)
    for colour, (group, (label, _, _)) in zip(maps.POINT_COLOURS, SPACE_MAP_GROUPS.items(), strict=False):
        if group in groups:
            map_layers.add_points(
                fig,
                spaces[spaces["group"] == group],
                name=label,
                colour=colour,
                size=7 if group == "not_counted" else 10,
            )
    return fig


def outline_far_areas(fig: go.Figure, geo: Any, codes: list[str]) -> None:
    """Outline in black the neighbourhoods where most residents live beyond 800 m of a community space."""
    if codes:
        maps.add_outlined_areas(
            fig, geo, codes, name="Black outline: most residents live beyond<br>800 m of a community centre or library"
        )


def add_own_spaces(fig: go.Figure, spaces: pd.DataFrame) -> None:
    """Draw a session's own spaces: dark markers with a white edge, their names HTML-escaped for the hover labels."""
    map_layers.add_points(
        fig,
        spaces.assign(name=spaces["name"].map(html.escape)),
        name="Your spaces (this session)",
        colour=maps.LOCAL_POINT_COLOUR,
        size=12,
        edge=True,
    )
