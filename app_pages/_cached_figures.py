"""Cached figures of the pages, drawn by the recipes of cohesion_metrics.figures from cached package data.

Figures are cached with st.cache_resource: one shared object per argument set, no pickling on a rerun (for an LSOA
map that saves ~90 ms). st.plotly_chart serialises a copy; callers must not modify a returned figure (a session's own
layers are drawn on a copy, see borough.py).
"""

from __future__ import annotations

from typing import Any

import pandas as pd
import streamlit as st

from app_pages._cached import (
    area_geojson,
    borough_names,
    borough_spaces,
    boroughs,
    cohesion_areas,
    far_from_community,
    measure_frame,
    neighbourhood_level,
    neighbours,
)
from app_pages._static_geo import feature_index, geo_url
from cohesion_metrics.figures import map_layers, map_view, page_maps, pillar_profile
from cohesion_metrics.metadata import places
from cohesion_metrics.read import page_frames


@st.cache_data(show_spinner=False)
def borough_label_points() -> pd.DataFrame:
    """Cached label points of the boroughs (lon, lat) with their short names, for London maps."""
    points = map_layers.label_points(area_geojson("borough"))
    return points.assign(label=points["area_code"].map(borough_names()).map(places.short_borough_name))


@st.cache_resource(show_spinner=False, max_entries=64)
def overview_map(level: str, measure_id: str) -> Any:
    """The overview's London map of a measure (page_maps.overview_map)."""
    return page_maps.overview_map(
        geo_url(level),
        measure_frame(level, measure_id),
        page_frames.get_measure(measure_id),
        level=level,
        borough_geo=geo_url("borough"),
        borough_codes=list(borough_names()),
        feature_index=feature_index(level),
    )


@st.cache_resource(show_spinner=False, max_entries=64)
def borough_map(borough_code: str, measure_id: str, groups: tuple[str, ...], outline_far: bool = True) -> Any:
    """A borough's LSOA map of a measure, its space layers and (`outline_far`) its neighbourhoods far from a
    community space. A session with its own spaces outlines its own list instead, on a copy (see borough.py)."""
    level = neighbourhood_level()
    return page_maps.borough_map(
        geo_url(level),
        measure_frame(level, measure_id, borough_code),
        page_frames.get_measure(measure_id),
        borough_code=borough_code,
        borough_geo=geo_url("borough"),
        bounds=map_view.geojson_bounds(area_geojson("borough"), [borough_code]),
        london_values=measure_frame(level, measure_id)["value"],
        spaces=borough_spaces(borough_code),
        groups=groups,
        far_codes=far_from_community(borough_code) if outline_far else [],
    )


def outline_far_areas(fig: Any, codes: list[str]) -> None:
    """Outline in black the neighbourhoods where most residents live beyond 800 m of a community space."""
    page_maps.outline_far_areas(fig, geo_url(neighbourhood_level()), codes)


@st.cache_resource(show_spinner=False, max_entries=64)
def borough_picker(selected: str) -> Any:
    """The small clickable London map of the borough explorer, the selected borough filled."""
    table = boroughs().rename(columns={"borough_code": "area_code", "borough_name": "area_name"})
    return map_layers.borough_picker(geo_url("borough"), table, selected)


@st.cache_resource(show_spinner=False, max_entries=64)
def borough_profile(borough_code: str) -> Any:
    """The borough's pillar profile against London and its statistical neighbours (charts_profile)."""
    codes = neighbours(borough_code)["borough_code"].tolist()
    frame = pillar_profile.profile_frame(cohesion_areas("borough"), borough_code, codes, borough_names())
    return pillar_profile.profile_chart(frame)


@st.cache_resource(show_spinner=False, max_entries=64)
def bivariate_legend(counts: tuple[tuple[int, int], ...], unit: str) -> Any:
    """The 3 x 3 need x capacity legend with the number of areas in each class ((code, count) pairs)."""
    return map_layers.bivariate_legend(dict(counts), unit=unit)
