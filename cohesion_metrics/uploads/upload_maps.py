"""Maps of a session's own data: the priority with an uploaded indicator, and need over uploaded areas."""

from __future__ import annotations

import html
from typing import Any

import geopandas as gpd
import pandas as pd
import plotly.graph_objects as go

from cohesion_metrics.figures import map_layers, maps


def indicator_priority_map(
    geo: Any, frame: pd.DataFrame, *, level: str, borough_geo: Any, borough_codes: list[str]
) -> go.Figure:
    """The priority with an uploaded indicator (`local_indicator.rank_changes` frame), flat, borough outlines on top."""
    return maps.measure_map(
        geo,
        frame,
        label="Priority with your indicator",
        unit="0-1",
        higher_is_more_need=True,
        has_interval=True,
        outlines=borough_geo if level != "borough" else None,
        flat=True,
        outline_codes=borough_codes,
        colorbar_title="Priority: need (0-1)",
    )


def areas_need_map(areas: gpd.GeoDataFrame, summary: pd.DataFrame, *, borough_geo: Any) -> go.Figure:
    """Need over uploaded areas (`analysis.area_summary_frame`), their names HTML-escaped for the hover labels."""
    return maps.measure_map(
        # outlines simplified to 2 m for the map: a detailed file is not sent to the browser in full
        map_layers.frame_geojson(areas.assign(geometry=areas.geometry.simplify(2.0)), "area_id"),
        # names from the file go into plotly's hover labels, which read HTML tags: shown as text
        summary.assign(area_name=lambda f: f["area_name"].map(html.escape)),
        label="Need, mean of its neighbourhoods",
        unit="0-1",
        higher_is_more_need=True,
        outlines=borough_geo,
        colorbar_title="Need (0-1)",
    )
