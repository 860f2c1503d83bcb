"""Plotly figures for maps and charts: offline (no tiles, blank style, our own outlines), colour-blind-safe."""

from __future__ import annotations

from typing import Any

import pandas as pd
import plotly.graph_objects as go

#: ColorBrewer sequential schemes are colour-blind safe; YlOrRd reads as "more need" on a projector.
SEQUENTIAL = "YlOrRd"
OUTLINE_COLOUR = "#3d3d3d"
LONDON_CENTRE = {"lon": -0.11, "lat": 51.49}
BLANK_STYLE = "white-bg"


def _bounds(geojson: dict[str, Any]) -> dict[str, float]:
    xs: list[float] = []
    ys: list[float] = []

    def walk(coords: Any) -> None:
        if isinstance(coords[0], (int, float)):
            xs.append(coords[0])
            ys.append(coords[1])
        else:
            for c in coords:
                walk(c)

    for feature in geojson["features"]:
        walk(feature["geometry"]["coordinates"])
    return {"west": min(xs), "east": max(xs), "south": min(ys), "north": max(ys)}


def choropleth(
    geojson: dict[str, Any],
    frame: pd.DataFrame,
    *,
    value_col: str,
    label: str,
    outlines: dict[str, Any] | None = None,
    colorscale: str = SEQUENTIAL,
    reverse: bool = False,
    height: int = 620,
    hover_cols: tuple[str, ...] = (),
) -> go.Figure:
    """A choropleth of `frame[value_col]` keyed by `frame.area_code` on feature ids, on a blank map style."""
    custom = frame[["area_name", *hover_cols]].to_numpy()
    hover = "<b>%{customdata[0]}</b> (%{location})<br>" + f"{label}: " + "%{z:,.3~f}"
    for i, col in enumerate(hover_cols, start=1):
        hover += f"<br>{col.replace('_', ' ')}: %{{customdata[{i}]}}"
    fig = go.Figure(
        go.Choroplethmap(
            geojson=geojson,
            locations=frame["area_code"],
            z=frame[value_col],
            customdata=custom,
            colorscale=colorscale,
            reversescale=reverse,
            marker={"line": {"width": 0.3, "color": "#ffffff"}, "opacity": 0.9},
            colorbar={"title": {"text": label, "side": "right"}, "thickness": 14},
            hovertemplate=hover + "<extra></extra>",
        )
    )
    layers = []
    if outlines is not None:
        layers.append({"source": outlines, "type": "line", "color": OUTLINE_COLOUR, "line": {"width": 1.2}})
    fig.update_layout(
        map={"style": BLANK_STYLE, "bounds": _bounds(geojson), "layers": layers},
        margin={"l": 0, "r": 0, "t": 0, "b": 0},
        height=height,
        font={"size": 15},
        paper_bgcolor="#ffffff",
    )
    return fig
