"""Plotly map figures: offline (no tiles, blank style, our own outlines), colour-blind-safe, readable on a projector.

GeoJSON comes either as a dict, embedded in the figure, or, as the pages do, as the relative URL of a static file
written by `geojson_files` (``"app/static/geo/lsoa11.geojson?v=..."``): plotly.js fetches a URL once and caches it, so a
rerun only sends area codes and values. Feature ids are area codes; traces key on them with ``locations``.

Two renderers draw the same traces. The default is a MapLibre map (`Choroplethmap`, WebGL): pannable, with point
layers, used for boroughs. `flat=True` draws an SVG `Choropleth` on a plotly geo subplot (Mercator, fitted to the
areas, no base layers): thousands of polygons paint several times faster there than through MapLibre's worker and
WebGL, so London-wide maps use it. The geo subplot always fetches a world topojson, even when hidden; the page
points `topojsonURL` at an empty one served locally (`geojson_files`), so nothing leaves the machine.

Colours: ColorBrewer YlOrRd for need (dark = more need), cividis for measures without a direction (perceptually
uniform, designed for colour-vision deficiency), and a blue-orange 3 x 3 bivariate palette (after biscale's
"BlueOr") whose nine colours stay distinct under simulated protanopia, deuteranopia and tritanopia (minimum CIELAB
distance 15, against under 5 for the blue-pink scheme); the darkest cell is high need / low capacity. Points use
Okabe & Ito's colour-blind-safe colours. Text is at least 14 px.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, TypedDict

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from cohesion_metrics import settings
from cohesion_metrics.figures.map_view import fit_view, geojson_bounds

#: ColorBrewer sequential schemes are colour-blind safe; YlOrRd reads as "more need" on a projector.
SEQUENTIAL = "YlOrRd"
#: For measures without a need direction (context): perceptually uniform and colour-vision-deficiency friendly.
CONTEXT_SCALE = "Cividis"
OUTLINE_COLOUR = "#3d3d3d"
NO_DATA_COLOUR = "#d9d9d9"
HIGHLIGHT_COLOUR = "#000000"
BLANK_STYLE = "white-bg"
FONT_SIZE = 15
MIN_FONT_SIZE = 14
#: London's extent in WGS84 (west, south, east, north), for fitting the view when the GeoJSON is a URL.
LONDON_BOUNDS = dict(zip(("west", "south", "east", "north"), settings.LONDON_WGS84_BOUNDS, strict=True))
#: Width assumed when fitting the zoom: the chart stretches to its column, ~600 px at a 1400 px viewport, ~900 at 1920.
MAP_WIDTH_PX = 600
#: Bivariate palette indexed [need tercile - 1][lack-of-capacity tercile - 1], lack = 4 - capacity tercile:
#: orange rises with need, blue with lack of capacity; the darkest corner is class 7, high need / low capacity.
BIVARIATE_GRID = (
    ("#fef1e4", "#97d0e7", "#18aee5"),
    ("#fab186", "#b0988c", "#407b8f"),
    ("#f3742d", "#ab5f37", "#5c473d"),
)
PRIORITY_CLASS = 7
#: Bottom margin (px) that holds the horizontal colour bar.
COLORBAR_MARGIN = 78
#: Classes whose colour needs white text.
_DARK_CLASSES = frozenset({4, 7, 8})
#: Okabe & Ito colours for point layers (blue, bluish green, reddish purple, black).
POINT_COLOURS = ("#0072B2", "#009E73", "#CC79A7", "#8C8C8C", "#D55E00")
#: A user's own uploaded spaces: Okabe & Ito orange, apart from the open-data layers.
LOCAL_POINT_COLOUR = "#1A1A1A"  # a session's own spaces: dark markers with a white edge (add_points edge=True)


def class_colour(code: int) -> str:
    """Colour of bivariate class `code` (1..9 = 3 * (need_tercile - 1) + capacity_tercile)."""
    need_t, capacity_t = (code - 1) // 3 + 1, (code - 1) % 3 + 1
    return BIVARIATE_GRID[need_t - 1][3 - capacity_t]


def bivariate_colorscale() -> list[list[Any]]:
    """Return a stepped colour scale for class codes 1..9 on zmin=0.5, zmax=9.5."""
    scale: list[list[Any]] = []
    for code in range(1, 10):
        scale += [[(code - 1) / 9, class_colour(code)], [code / 9, class_colour(code)]]
    return scale


class _Page(TypedDict):
    """What both map layouts take: the borough outlines drawn on top, the height and the UI revision."""

    outlines: dict[str, Any] | str | None
    height: int
    uirevision: str | None


def _map_layout(
    fig: go.Figure,
    *,
    bounds: Mapping[str, float],
    outlines: dict[str, Any] | str | None,
    height: int,
    width: int,
    uirevision: str | None = None,
    bottom: int = 0,
    reserve_top: int = 0,
) -> go.Figure:
    """Lay out a blank-style map: fitted view, optional borough outlines on top, readable fonts.

    `bottom` is a margin (px) under the map for a colour bar; `reserve_top` keeps room for a legend on the map.
    """
    layers = []
    if outlines is not None:
        layers.append(
            {
                "source": outlines,
                "sourcetype": "geojson",
                "type": "line",
                "color": OUTLINE_COLOUR,
                "line": {"width": 1.2},
                "below": "",
            }
        )
    center, zoom = fit_view(bounds, width=width, height=height - bottom, reserve_top=reserve_top)
    fig.update_layout(
        map={"style": BLANK_STYLE, "center": center, "zoom": zoom, "layers": layers},
        **_page_style(bottom, height, uirevision),
        legend={
            "font": {"size": FONT_SIZE},
            "bgcolor": "rgba(255,255,255,0.85)",
            "x": 0.01,
            "y": 0.99,
            "xanchor": "left",
            "yanchor": "top",
        },
    )
    return fig


def _choropleth(flat: bool, **kwargs: Any) -> go.Choropleth | go.Choroplethmap:
    """A choropleth trace for either renderer (the two take the same attributes used here)."""
    return go.Choropleth(**kwargs) if flat else go.Choroplethmap(**kwargs)


def _flat_layout(
    fig: go.Figure,
    *,
    outlines: dict[str, Any] | str | None,
    outline_codes: Sequence[str],
    height: int,
    uirevision: str | None = None,
    bottom: int = 0,
) -> go.Figure:
    """Lay out an SVG map: Mercator fitted to the areas, no base layers, borough outlines on top, readable fonts."""
    if outlines is not None:
        if not outline_codes:
            raise ValueError("a flat map draws outlines as areas: pass outline_codes with the outlines' feature ids")
        add_outlined_areas(
            fig, outlines, outline_codes, name="Boroughs", colour=OUTLINE_COLOUR, width=1.2, legend=False, flat=True
        )
    fig.update_geos(fitbounds="locations", visible=False, projection_type="mercator", bgcolor="#ffffff")
    fig.update_layout(
        **_page_style(bottom, height, uirevision),
        dragmode="pan",
        legend={"font": {"size": FONT_SIZE}, "bgcolor": "rgba(255,255,255,0.85)", "x": 0.01, "y": 0.99},
    )
    return fig


def _page_style(bottom: int, height: int, uirevision: str | None) -> dict[str, Any]:
    """The layout both map kinds share: no margins but the colour bar's, readable fonts, white paper."""
    return {
        "margin": {"l": 0, "r": 0, "t": 0, "b": bottom},
        "height": height,
        "font": {"size": FONT_SIZE, "family": "sans-serif", "color": "#1a1a1a"},
        "hoverlabel": {"font": {"size": FONT_SIZE}},
        "paper_bgcolor": "#ffffff",
        "uirevision": uirevision,
    }


def _view_bounds(geojson: dict[str, Any] | str, bounds: Mapping[str, float] | None) -> Mapping[str, float]:
    if bounds is not None:
        return bounds
    return geojson_bounds(geojson) if isinstance(geojson, dict) else LONDON_BOUNDS


#: Above this many areas a map leaves out the area edges.
MANY_AREAS = 2000


def _no_data_trace(
    geojson: dict[str, Any] | str, codes: Sequence[str], names: Sequence[str], flat: bool = False
) -> go.Choropleth | go.Choroplethmap:
    return _choropleth(
        flat,
        geojson=geojson,
        locations=list(codes),
        z=np.zeros(len(codes), dtype="float32"),
        text=list(names),
        colorscale=[[0, NO_DATA_COLOUR], [1, NO_DATA_COLOUR]],
        showscale=False,
        name="No data",
        marker={"line": {"width": 0.3, "color": "#ffffff"}, "opacity": 0.9},
        hovertemplate="<b>%{text}</b> (%{location})<br>no data<extra></extra>",
    )


#: Where a colour bar goes: under the map, horizontal and nearly its full width, or beside it, on the right.
_COLORBAR_UNDER = {"orientation": "h", "x": 0.5, "xanchor": "center", "y": 0, "yanchor": "top", "len": 0.7, "ypad": 4}
_COLORBAR_BESIDE = {"orientation": "v", "x": 1.0, "xanchor": "left", "len": 0.8}


def _colorbar(title: str, *, beside: bool = False) -> dict[str, Any]:
    """Return a colour bar under the map (it keeps its full width) or `beside` it, on the right.

    Flat maps put it beside: their fitted Mercator view is limited by height, not width.
    """
    place, side, thickness = (_COLORBAR_BESIDE, "right", 16) if beside else (_COLORBAR_UNDER, "top", 14)
    return {
        **place,
        "thickness": thickness,
        "title": {"text": title, "side": side, "font": {"size": FONT_SIZE}},
        "tickfont": {"size": FONT_SIZE},
    }


def measure_map(
    geojson: dict[str, Any] | str,
    frame: pd.DataFrame,
    *,
    label: str,
    unit: str,
    higher_is_more_need: bool | None,
    has_interval: bool = False,
    outlines: dict[str, Any] | str | None = None,
    bounds: Mapping[str, float] | None = None,
    height: int = 620,
    width: int = MAP_WIDTH_PX,
    opacity: float = 0.9,
    uirevision: str | None = None,
    colorbar_title: str | None = None,
    reserve_top: int = 0,
    value_range: tuple[float, float] | None = None,
    flat: bool = False,
    outline_codes: Sequence[str] = (),
) -> go.Figure:
    """Map one measure: dark = more need; hover shows name, code, value, rank (and its likely range).

    `flat` draws SVG on a geo subplot (see the module docstring); its borough `outlines` need their `outline_codes`.

    `frame` has area_code, area_name, value, rank, rank_p05, rank_p95 (`page_frames.measure_frame`); areas without a
    value are drawn grey. Hover numbers travel as compact typed arrays: reruns stay small. `value_range` fixes the
    colour scale (e.g. London's range on a borough's map, so colours compare across boroughs).
    """
    has = frame["value"].notna()
    data, missing = frame[has], frame[~has]
    n = int(data["rank"].notna().sum())
    rank_words = (
        "rank %{customdata[0]} of "
        + f"{n:,}"
        + (" (1 = most need)" if higher_is_more_need is not None else " (1 = highest)")
    )
    hover = "<b>%{text}</b> (%{location})<br>" + f"{label}: " + "%{z:,.4~g}" + f" ({unit})<br>" + rank_words
    columns = ["rank"]
    if has_interval:
        hover += "<br>likely rank %{customdata[1]} to %{customdata[2]} (5-95%)"
        columns += ["rank_p05", "rank_p95"]
    # Ranks travel as a compact integer typed array (-1 where a rank is missing), not as JSON numbers.
    ranks = data[columns].astype("float64").round(0).fillna(-1)
    custom = ranks.to_numpy(dtype="int16" if ranks.to_numpy().max(initial=0) < 2**15 else "int32")
    colorscale, reverse = (
        (SEQUENTIAL, higher_is_more_need is False) if higher_is_more_need is not None else (CONTEXT_SCALE, False)
    )
    traces: list[Any] = []
    if len(missing):
        traces.append(_no_data_trace(geojson, missing["area_code"].tolist(), missing["area_name"].tolist(), flat))
    traces.append(
        _choropleth(
            flat,
            geojson=geojson,
            locations=data["area_code"].to_numpy(dtype=object),
            z=data["value"].to_numpy(dtype="float32"),
            text=data["area_name"].to_numpy(dtype=object),
            customdata=custom,
            colorscale=colorscale,
            reversescale=reverse,
            # Thousands of neighbourhood edges cost MapLibre more to draw than the fills: London-wide LSOA maps skip
            # them (a 0.3 px line is invisible at that zoom anyway).
            marker={"line": {"width": 0 if len(frame) > MANY_AREAS else 0.3, "color": "#ffffff"}, "opacity": opacity},
            name=label,
            colorbar=_colorbar(colorbar_title or f"{label} ({unit})", beside=flat),
            hovertemplate=hover + "<extra></extra>",
            **({"zmin": value_range[0], "zmax": value_range[1]} if value_range else {}),
        )
    )
    fig = go.Figure(traces)
    page = _Page(outlines=outlines, height=height, uirevision=uirevision)
    if flat:
        return _flat_layout(fig, outline_codes=outline_codes, **page)
    view = _view_bounds(geojson, bounds)
    return _map_layout(fig, bounds=view, width=width, bottom=COLORBAR_MARGIN, reserve_top=reserve_top, **page)


def classes_map(
    geojson: dict[str, Any] | str,
    frame: pd.DataFrame,
    *,
    outlines: dict[str, Any] | str | None = None,
    bounds: Mapping[str, float] | None = None,
    height: int = 620,
    width: int = MAP_WIDTH_PX,
    uirevision: str | None = None,
    flat: bool = False,
    outline_codes: Sequence[str] = (),
) -> go.Figure:
    """Map need x cohesion capacity in the bivariate palette; high need / low capacity areas outlined in black.

    `frame` has area_code, area_name, value (class code 1..9), class_label, need and capacity.
    """
    has = frame["value"].notna()
    data, missing = frame[has], frame[~has]
    traces: list[Any] = []
    if len(missing):
        traces.append(_no_data_trace(geojson, missing["area_code"].tolist(), missing["area_name"].tolist(), flat))
    for code in (7, 8, 9, 4, 5, 6, 1, 2, 3):  # legend order: high need first
        part = data[data["value"] == code]
        if part.empty:
            continue
        label = str(part["class_label"].iloc[0])
        traces.append(
            _choropleth(
                flat,
                geojson=geojson,
                locations=part["area_code"].to_numpy(dtype=object),
                z=np.zeros(len(part), dtype="int8"),
                text=part["area_name"].to_numpy(dtype=object),
                customdata=part[["need", "capacity"]].to_numpy("float32"),
                colorscale=[[0, class_colour(code)], [1, class_colour(code)]],
                showscale=False,
                name=label,
                marker={"line": {"width": 0.3, "color": "#ffffff"}, "opacity": 0.95},
                hovertemplate="<b>%{text}</b> (%{location})<br>" + label + "<br>need %{customdata[0]:.2f}, cohesion "
                "capacity %{customdata[1]:.2f} (0-1)<extra></extra>",
            )
        )
    priority = data.loc[data["value"] == PRIORITY_CLASS, "area_code"].tolist()
    fig = go.Figure(traces)
    if priority:
        add_outlined_areas(fig, geojson, priority, name="High need / low capacity", width=1.6, legend=False, flat=flat)
    page = _Page(outlines=outlines, height=height, uirevision=uirevision)
    if flat:
        return _flat_layout(fig, outline_codes=outline_codes, **page)
    return _map_layout(fig, bounds=_view_bounds(geojson, bounds), width=width, **page)


def add_outlined_areas(
    fig: go.Figure,
    geojson: dict[str, Any] | str,
    codes: Sequence[str],
    *,
    name: str,
    colour: str = HIGHLIGHT_COLOUR,
    width: float = 2.0,
    legend: bool = True,
    flat: bool = False,
) -> go.Figure:
    """Outline areas (no fill) on top of a map, optionally with a legend entry; hovering passes through."""
    fig.add_trace(
        _choropleth(
            flat,
            geojson=geojson,
            locations=list(codes),
            z=np.ones(len(codes), dtype="float32"),
            colorscale=[[0, "rgba(0,0,0,0)"], [1, "rgba(0,0,0,0)"]],
            showscale=False,
            showlegend=legend,
            name=name,
            marker={"line": {"width": width, "color": colour}},
            hoverinfo="skip",
        )
    )
    return fig
