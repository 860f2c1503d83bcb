"""What the local-data page shows from a session's uploads: the priority with its indicator, its areas' summary."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import geopandas as gpd
import pandas as pd
import plotly.graph_objects as go

from cohesion_metrics.uploads import analysis, guide, local_indicator, upload_maps


def priority_with_indicator(
    values: pd.DataFrame,
    before: pd.DataFrame,
    borough_names: Mapping[str, str],
    local: pd.Series,
    *,
    level: str,
    pillar: str,
    higher_is_more_need: bool,
    share: float,
    geo: Any,
    borough_geo: Any,
) -> tuple[pd.DataFrame, go.Figure]:
    """The priority with an uploaded indicator: `local_indicator.rank_changes`' table and its map.

    `values` is the level's indicator matrix, `before` its default run (`queries.cohesion_areas`); `geo` and
    `borough_geo` the level's and the boroughs' outlines.
    """
    run = local_indicator.assess_with_local_indicator(
        values,
        level,
        local,
        pillar=pillar,
        higher_is_more_need=higher_is_more_need,
        share=share,
        n_draws=guide.LOCAL_DRAWS,
    )
    table, frame = local_indicator.rank_changes(before, run, local, borough_names)
    figure = upload_maps.indicator_priority_map(
        geo, frame, level=level, borough_geo=borough_geo, borough_codes=list(borough_names)
    )
    return table, figure


def areas_summary(
    areas: gpd.GeoDataFrame, lsoas: gpd.GeoDataFrame, borough_geo: Any
) -> tuple[analysis.AreaSummary, go.Figure]:
    """Custom areas' summary (`analysis.aggregate_over_areas` over `lsoas`, an `lsoa_table`) and their need map."""
    summary = analysis.aggregate_over_areas(areas, lsoas)
    figure = upload_maps.areas_need_map(areas, analysis.area_summary_frame(summary), borough_geo=borough_geo)
    return summary, figure
