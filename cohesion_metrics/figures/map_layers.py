"""What the pages add to or beside a map of `maps`: points, labels, feature index, borough picker, bivariate legend."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import plotly.graph_objects as go
import shapely

from cohesion_metrics import settings
from cohesion_metrics.figures import map_view
from cohesion_metrics.figures.maps import (
    _DARK_CLASSES,
    BLANK_STYLE,
    FONT_SIZE,
    HIGHLIGHT_COLOUR,
    LONDON_BOUNDS,
    MIN_FONT_SIZE,
    bivariate_colorscale,
)


def bivariate_legend(counts: Mapping[int, int] | pd.Series, *, size: int = 300, unit: str = "areas") -> go.Figure:
    """Draw the 3 x 3 legend of `classes_map`: need up, cohesion capacity across, each cell with its number of areas."""
    words = ("low", "medium", "high")
    z = [[3 * (need_t - 1) + c for c in (1, 2, 3)] for need_t in (1, 2, 3)]
    text = [[f"{int(counts.get(code, 0)):,}" for code in row] for row in z]
    fig = go.Figure(
        go.Heatmap(
            z=z,
            x=list(words),
            y=list(words),
            text=text,
            colorscale=bivariate_colorscale(),
            zmin=0.5,
            zmax=9.5,
            showscale=False,
            xgap=3,
            ygap=3,
            hovertemplate="need %{y}, capacity %{x}: %{text} " + unit + "<extra></extra>",
        )
    )
    for y, row in enumerate(z):
        for x, code in enumerate(row):  # white on the dark cells, near-black on the light ones
            fig.add_annotation(
                x=x,
                y=y,
                text=text[y][x],
                showarrow=False,
                font={"size": FONT_SIZE + 1, "color": "#ffffff" if code in _DARK_CLASSES else "#111111"},
            )
    fig.add_shape(type="rect", x0=-0.5, x1=0.5, y0=1.5, y1=2.5, line={"color": HIGHLIGHT_COLOUR, "width": 4})
    fig.update_layout(
        height=size,
        width=size,
        margin={"l": 10, "r": 10, "t": 36, "b": 10},
        paper_bgcolor="#ffffff",
        plot_bgcolor="#ffffff",
        font={"size": FONT_SIZE, "family": "sans-serif", "color": "#1a1a1a"},
        title={"text": "Outlined: high need, low capacity", "font": {"size": MIN_FONT_SIZE}, "x": 0.02},
    )
    fig.update_xaxes(
        title={"text": "Cohesion capacity →"}, showgrid=False, fixedrange=True, tickfont={"size": FONT_SIZE}
    )
    fig.update_yaxes(title={"text": "Need →"}, showgrid=False, fixedrange=True, tickfont={"size": FONT_SIZE})
    return fig


def add_points(
    fig: go.Figure,
    points: pd.DataFrame,
    *,
    name: str,
    colour: str,
    size: int = 9,
    hover_col: str = "type_label",
    edge: bool = False,
) -> go.Figure:
    """Add points (lon, lat, name, `hover_col`) as one legend entry.

    `edge` rings them in white (a halo trace below: MapLibre markers have no outline), so that dark markers stand
    out on dark fills.
    """
    if edge:
        fig.add_trace(
            go.Scattermap(
                lon=points["lon"].to_numpy(dtype="float32"),
                lat=points["lat"].to_numpy(dtype="float32"),
                mode="markers",
                marker={"size": size + 5, "color": "#ffffff", "opacity": 1.0},
                hoverinfo="skip",
                showlegend=False,
                name=f"{name} (edge)",
            )
        )
    fig.add_trace(
        go.Scattermap(
            lon=points["lon"].to_numpy(dtype="float32"),
            lat=points["lat"].to_numpy(dtype="float32"),
            mode="markers",
            marker={"size": size, "color": colour, "opacity": 1.0 if edge else 0.9},
            name=f"{name} ({len(points):,})",
            text=(points["name"].astype(str) + " · " + points[hover_col].astype(str)).tolist(),
            hovertemplate="%{text}<extra></extra>",
        )
    )
    return fig


def borough_picker(
    geojson: dict[str, Any] | str, boroughs: pd.DataFrame, selected: str | None, *, height: int = 300, width: int = 300
) -> go.Figure:
    """Draw a small clickable London map: every borough a target, the selected one filled dark."""
    z = (boroughs["area_code"] == selected).astype("float32").to_numpy()
    fig = go.Figure(
        go.Choroplethmap(
            geojson=geojson,
            locations=boroughs["area_code"].tolist(),
            z=z,
            text=boroughs["area_name"].tolist(),
            colorscale=[[0, "#eeeeee"], [1, "#b2182b"]],
            zmin=0,
            zmax=1,
            showscale=False,
            marker={"line": {"width": 0.8, "color": "#555555"}, "opacity": 1},
            selected={"marker": {"opacity": 1}},
            unselected={"marker": {"opacity": 1}},
            hovertemplate="<b>%{text}</b><br>click to open<extra></extra>",
        )
    )
    center, zoom = map_view.fit_view(
        LONDON_BOUNDS if isinstance(geojson, str) else map_view.geojson_bounds(geojson),
        width=width,
        height=height,
        pad=0.0,
    )
    fig.update_layout(
        map={"style": BLANK_STYLE, "center": center, "zoom": zoom},
        height=height,
        margin={"l": 0, "r": 0, "t": 0, "b": 0},
        paper_bgcolor="#ffffff",
        clickmode="event+select",
        font={"size": FONT_SIZE},
        hoverlabel={"font": {"size": FONT_SIZE}},
        dragmode=False,
    )
    return fig


def frame_geojson(gdf: gpd.GeoDataFrame, id_column: str) -> dict[str, Any]:
    """A GeoDataFrame's polygons as WGS84 GeoJSON whose feature ids are `id_column` (for areas not in the database)."""
    wgs = gdf[[id_column, "geometry"]].to_crs(settings.DISPLAY_CRS)
    wgs["geometry"] = shapely.set_precision(wgs.geometry.values, 1e-5)
    fc = json.loads(wgs.to_json(drop_id=True))
    for feature in fc["features"]:
        feature["id"] = str(feature["properties"].pop(id_column))
    return dict(fc)


def label_points(geojson: dict[str, Any]) -> pd.DataFrame:
    """A point well inside each feature (shapely's representative point): area_code, lon, lat, for labels."""
    from shapely.geometry import shape

    rows = []
    for feature in geojson["features"]:
        point = shape(feature["geometry"]).representative_point()
        rows.append((feature["id"], float(point.x), float(point.y)))
    return pd.DataFrame(rows, columns=["area_code", "lon", "lat"])


def add_area_labels(fig: go.Figure, points: pd.DataFrame, *, size: int = 20, flat: bool = True) -> go.Figure:
    """Write `points["label"]` at each point (lon, lat) in dark text with a white halo-like outline, no hover."""
    trace = go.Scattergeo if flat else go.Scattermap
    fig.add_trace(
        trace(
            lon=points["lon"].to_numpy(dtype="float64"),
            lat=points["lat"].to_numpy(dtype="float64"),
            mode="text",
            text=points["label"].tolist(),
            textfont={"size": size, "color": "#111111", "family": "sans-serif"},
            hoverinfo="skip",
            showlegend=False,
            name="Borough names",
        )
    )
    return fig


def index_features(fig: go.Figure, geojson_url: str, index: Mapping[str, int]) -> go.Figure:
    """Point a flat map's traces on `geojson_url` at its features by position, and take hover names from the file.

    The static GeoJSON (geo_static.geojson_bytes) gives every feature its position `i`, `code` and `name`. Each
    choropleth trace drawn on it then sends a small integer typed array instead of the area codes, and no names: its
    hover reads `%{properties.name}` and `%{properties.code}`. An LSOA redraw shrinks from ~290 kB to ~50 kB.
    """
    for trace in fig.data:
        if trace.type != "choropleth" or trace.geojson != geojson_url or trace.locations is None:
            continue
        codes = list(trace.locations)
        dtype = "int16" if len(index) < 2**15 else "int32"
        trace.locations = np.array([index[c] for c in codes], dtype=dtype)
        trace.featureidkey = "properties.i"
        if trace.hovertemplate:
            hover = str(trace.hovertemplate).replace("%{text}", "%{properties.name}")
            trace.hovertemplate = hover.replace("%{location}", "%{properties.code}")
            trace.text = None
    return fig
