"""Static PNG maps for slides and the borough briefing: matplotlib on the Agg canvas, offline, no pyplot state.

They show what the app's plotly maps show (`maps`), the same way: YlOrRd with dark = more need (reversed where a
lower value means more need), cividis for context measures, the 3 x 3 blue-orange palette for need x cohesion
capacity with high need / low capacity outlined in black, grey for no data, Okabe & Ito colours for inclusive
spaces, and borough outlines on top. A borough's map keeps London's colour scale, as in the borough explorer.

Geometries are the British National Grid ones (metres, so shapes are true), simplified to under half a pixel. Each
map names its sources and their vintages from the database, and ends with the sources' attributions as the
catalogue states them. No Streamlit and no network: fonts are matplotlib's bundled DejaVu Sans.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import duckdb
import numpy as np
import pandas as pd
import shapely
from matplotlib.cm import ScalarMappable
from matplotlib.colors import Normalize, to_rgba
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from matplotlib.ticker import FuncFormatter

from cohesion_metrics.figures import maps
from cohesion_metrics.figures.map_sources import attribution_line, measure_sources, sources_line
from cohesion_metrics.figures.png_drawing import (
    MUTED_COLOUR,
    TEXT_COLOUR,
    _bivariate_legend,
    _bounds,
    _check_borough,
    _colormap,
    _context_boroughs,
    _draw,
    _figure,
    _fit,
    _metres_per_pixel,
    _outlines,
    _png,
    _scale_bar,
    _shapes,
    _wrap,
)
from cohesion_metrics.metadata import numbers
from cohesion_metrics.metadata.levels import LEVELS_BY_CODE
from cohesion_metrics.metadata.spaces import DEFAULT_MAP_GROUPS, SPACE_MAP_GROUPS
from cohesion_metrics.method import framework
from cohesion_metrics.read import page_frames, queries

#: Presentation size: a 16:9 slide at full HD.
PNG_WIDTH, PNG_HEIGHT = 1920, 1080
#: Where the map sits in each figure: left, bottom, width, height as fractions of the figure (from the bottom left).
PRESENTATION_MAP_BOX = (0.015, 0.09, 0.675, 0.735)
PRIORITY_MAP_BOX = (0.0, 0.0, 0.68, 1.0)
#: Physical widths the layouts are drawn for (inches): a slide read from the back of a room, an A4 text column.
_SLIDE_WIDTH_IN, _PRINT_WIDTH_IN = 19.2, 6.9


# --- Presentation map -----------------------------------------------------------------------------------------------


def default_title(level: str, measure_id: str, borough_name: str | None = None) -> str:
    """The presentation map's title: the measure, the level and the place."""
    measure = page_frames.get_measure(measure_id)
    return f"{measure.label} by {LEVELS_BY_CODE[level].map_title}, {borough_name or 'London'}"


def _measure_faces(
    measure: page_frames.Measure, values: pd.Series, london: pd.Series
) -> tuple[list[Any], ScalarMappable | None]:
    """Fill colours for `values` (indexed like the shapes) and, for a scale, its mappable over London's range."""
    if measure.kind == "classes":
        return [maps.NO_DATA_COLOUR if pd.isna(v) else maps.class_colour(int(v)) for v in values], None
    scale = maps.SEQUENTIAL if measure.higher_is_more_need is not None else maps.CONTEXT_SCALE
    cmap = _colormap(scale, reverse=measure.higher_is_more_need is False)
    vmin, vmax = float(london.min()), float(london.max())
    norm = Normalize(vmin, vmax if vmax > vmin else vmin + 1)
    vals = values.astype("float64").to_numpy()
    rgba = cmap(norm(np.nan_to_num(vals, nan=vmin)))
    rgba[np.isnan(vals)] = to_rgba(maps.NO_DATA_COLOUR)
    return list(rgba), ScalarMappable(norm=norm, cmap=cmap)


def render_map_png(
    con: duckdb.DuckDBPyConnection,
    level: str,
    measure_id: str,
    borough_code: str | None = None,
    *,
    width_px: int = PNG_WIDTH,
    height_px: int = PNG_HEIGHT,
    title: str | None = None,
) -> bytes:
    """A presentation PNG (default exactly 1920 x 1080) of the measure the overview or borough map shows.

    London-wide without `borough_code` (colour scale over London's values); one borough's areas with it, on
    London's scale, other boroughs in grey for context. Title (measure, level, place), a subtitle with the unit and
    the sources' vintages, a colour bar or the 3 x 3 key, the measure's definition, and the attributions.
    """
    if level not in framework.registry_levels():
        raise ValueError(f"no map for level {level!r}; choose one of {list(framework.registry_levels())}")
    measure = page_frames.get_measure(measure_id)
    borough_name = _check_borough(con, borough_code) if borough_code else None
    names = dict(queries.boroughs(con).itertuples(index=False, name=None))
    values = queries.indicator_values(con, measure_id, level) if measure.kind == "indicator" else None
    london = page_frames.measure_frame(queries.cohesion_areas(con, level), measure, names, values)
    frame = london if borough_code is None else london[london["borough_code"] == borough_code]
    sources = measure_sources(con, level, measure_id, borough_code)

    fig = _figure(width_px, height_px, width_px / _SLIDE_WIDTH_IN)
    map_box = PRESENTATION_MAP_BOX
    ax = fig.add_axes(map_box)
    borough_geoms = queries.area_geometries(con, "borough")  # read once: context, outlines and the extent
    selected = borough_geoms.loc[[borough_code]] if borough_code else None
    extent = _bounds(borough_geoms if selected is None else selected)
    tolerance = _metres_per_pixel(extent, (map_box[2] * width_px, map_box[3] * height_px)) / 2
    boroughs = _shapes(borough_geoms, tolerance_m=tolerance)
    if level != "borough":
        shapes = _shapes(queries.area_geometries(con, level, borough_code), tolerance_m=tolerance)
    else:
        shapes = boroughs if selected is None else _shapes(selected)
    _fit(ax, extent)
    if borough_code:
        _context_boroughs(ax, boroughs, names, borough_code, fontsize=13)

    shown = frame.set_index("area_code")["value"].reindex(shapes.codes)
    faces, mappable = _measure_faces(measure, shown, london["value"])
    many = len(shapes.codes) > maps.MANY_AREAS  # as the app: no white edges between thousands of areas
    # Edges in the fill colour close the hairline seams anti-aliasing leaves where thousands of areas meet.
    _draw(ax, shapes.paths, faces, edgecolor=faces if many else "#ffffff", linewidth=0.3 if many else 0.5)
    if measure.kind == "classes":
        priority = [p for p, v in zip(shapes.paths, shown, strict=True) if v == maps.PRIORITY_CLASS]
        _draw(ax, priority, "none", edgecolor=maps.HIGHLIGHT_COLOUR, linewidth=1.0 if many else 1.6, zorder=4)
    if level != "borough" or borough_code:
        _outlines(ax, boroughs, linewidth=1.0, selected=borough_code)
    _scale_bar(ax, fontsize=14, linewidth=4)

    fig.text(
        0.015,
        0.965,
        title or default_title(level, measure_id, borough_name),
        fontsize=28,
        weight="bold",
        color=TEXT_COLOUR,
        va="top",
    )
    unit = "" if measure.kind == "classes" else f"{measure.unit[:1].upper()}{measure.unit[1:]}. "
    fig.text(
        0.015,
        0.905,
        _wrap(f"{unit}Sources and vintages: {sources_line(sources)}", 170, 3),
        fontsize=14,
        color=MUTED_COLOUR,
        va="top",
        linespacing=1.35,
    )
    fig.text(
        0.015,
        0.012,
        _wrap(attribution_line(sources), 235, 3),
        fontsize=10.5,
        color=MUTED_COLOUR,
        va="bottom",
        linespacing=1.3,
    )

    one, plural = LEVELS_BY_CODE[level].noun, LEVELS_BY_CODE[level].nouns
    if mappable is None:
        key = fig.add_axes((0.755, 0.47, 0.16, 0.16 * width_px / height_px))
        counts = shown.dropna().astype(int).value_counts().to_dict()
        _bivariate_legend(key, counts, fontsize=15, unit=plural.capitalize())
        note = "Orange rises with need, blue with lack of cohesion capacity (London thirds of each score)."
    else:
        key = fig.add_axes((0.74, 0.42, 0.022, 0.41))
        bar = fig.colorbar(mappable, cax=key)
        bar.ax.tick_params(labelsize=15)
        kind = numbers.kind_for_unit(measure.unit)  # the app's one number style on the ticks too
        bar.ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _pos: numbers.text(v, kind)))
        bar.set_label(_wrap(page_frames.value_column(measure), 40), fontsize=16)
        note = (
            "A context measure, shown without a direction: not scored as need."
            if measure.higher_is_more_need is None
            else "Darker = more need."
        )
        if borough_code:
            note += " Colours on London's scale, so boroughs compare."
    missing = int(frame["value"].isna().sum())
    if missing:
        note += f" Grey: no value for {missing:,} {plural if missing != 1 else one}."
    fig.text(0.735, 0.37, _wrap(note, 38), fontsize=15, color=TEXT_COLOUR, va="top", linespacing=1.35)
    fig.text(0.735, 0.26, _wrap(measure.definition, 48, 6), fontsize=13, color=MUTED_COLOUR, va="top", linespacing=1.3)
    return _png(fig)


# --- Briefing map: priorities and inclusive spaces --------------------------------------------------------------------


def borough_spaces(con: duckdb.DuckDBPyConnection, borough_code: str) -> pd.DataFrame:
    """A borough's spaces with their map group (`page_frames.spaces_frame`), as the borough explorer lists them."""
    lsoas = queries.areas(con, "lsoa11", borough_code)
    return page_frames.spaces_frame(
        queries.spaces(con, borough_code), dict(zip(lsoas["area_code"], lsoas["area_name"], strict=True))
    )


def render_priority_map_png(
    con: duckdb.DuckDBPyConnection,
    borough_code: str,
    *,
    level: str = "lsoa11",
    width_px: int = 1600,
    height_px: int = 1100,
    groups: Sequence[str] = DEFAULT_MAP_GROUPS,
    numbered: int = 10,
) -> bytes:
    """A borough's neighbourhoods by need x cohesion capacity, its inclusive spaces as points, for print.

    High need / low capacity neighbourhoods are outlined in black and the first `numbered` of them (London's
    priority order) carry their number in the borough (1 = first), as in the briefing's table. Laid out for a
    6.9-inch-wide A4 text column; the key sits on the right.
    """
    _check_borough(con, borough_code)
    dpi = width_px / _PRINT_WIDTH_IN
    fig = _figure(width_px, height_px, dpi)
    map_box = PRIORITY_MAP_BOX
    ax = fig.add_axes(map_box)
    borough_geoms = queries.area_geometries(con, "borough")
    boroughs = _shapes(borough_geoms)
    extent = _bounds(borough_geoms.loc[[borough_code]])
    mpp = _metres_per_pixel(extent, (map_box[2] * width_px, map_box[3] * height_px))
    lsoas = _shapes(queries.area_geometries(con, level, borough_code), tolerance_m=mpp / 2)
    _fit(ax, extent, pad=0.02)
    names = dict(queries.boroughs(con).itertuples(index=False, name=None))
    _context_boroughs(ax, boroughs, names, borough_code, fontsize=6.5)

    areas = queries.cohesion_areas(con, level, borough_code).set_index("area_code")
    classes = areas["class_code"].reindex(lsoas.codes)
    faces = [maps.NO_DATA_COLOUR if pd.isna(v) else maps.class_colour(int(v)) for v in classes]
    _draw(ax, lsoas.paths, faces, edgecolor="#ffffff", linewidth=0.35)
    is_priority = (classes == maps.PRIORITY_CLASS).fillna(False).to_numpy(dtype=bool)  # no class: not a priority
    _draw(
        ax,
        [p for p, k in zip(lsoas.paths, is_priority, strict=True) if k],
        "none",
        edgecolor="#000000",
        linewidth=1.1,
        zorder=4,
    )
    _outlines(ax, boroughs, linewidth=0.6, selected=borough_code)
    _scale_bar(ax, fontsize=6.5, linewidth=2)

    spaces = borough_spaces(con, borough_code)
    handles: list[Any] = []
    for colour, (group, (label, _, _)) in zip(maps.POINT_COLOURS, SPACE_MAP_GROUPS.items(), strict=False):
        if group not in groups:
            continue
        part = spaces[spaces["group"] == group]
        ax.scatter(part["easting"], part["northing"], s=9, c=colour, edgecolors="#ffffff", linewidths=0.3, zorder=7)
        handles.append(
            Line2D([], [], ls="", marker="o", ms=5, mfc=colour, mec="#ffffff", label=f"{label} ({len(part):,})")
        )

    top = queries.priorities(con, level, top=numbered, borough_code=borough_code) if numbered else None
    if top is not None and len(top):
        index = {c: i for i, c in enumerate(lsoas.codes)}
        for n, code in enumerate(top["area_code"], start=1):
            point = shapely.point_on_surface(lsoas.geoms[index[code]])
            ax.text(
                point.x,
                point.y,
                str(n),
                fontsize=7,
                weight="bold",
                ha="center",
                va="center",
                color="#000000",
                zorder=9,
                bbox={"boxstyle": "circle,pad=0.22", "fc": "#ffffff", "ec": "#000000", "lw": 0.6},
            )
        handles.append(
            Line2D(
                [],
                [],
                ls="",
                marker="o",
                ms=9,
                mfc="#ffffff",
                mec="#000000",
                label=(
                    f"1-{len(top)}: first priority\nneighbourhoods"
                    if len(top) > 1
                    else "1: first priority\nneighbourhood"
                )
                + " (see table)",
            )
        )
    handles.append(Patch(fc="none", ec="#000000", lw=1.1, label=f"High need, low capacity ({int(is_priority.sum())})"))
    if classes.isna().any():
        handles.append(Patch(fc=maps.NO_DATA_COLOUR, ec="none", label="No data"))

    key = fig.add_axes((0.745, 0.58, 0.2, 0.2 * width_px / height_px))
    counts = classes.dropna().astype(int).value_counts().to_dict()
    _bivariate_legend(key, counts, fontsize=7, unit="Neighbourhoods")
    fig.legend(
        handles=handles,
        loc="upper left",
        bbox_to_anchor=(0.70, 0.46),
        fontsize=6.5,
        frameon=False,
        handletextpad=0.4,
        labelspacing=0.7,
        borderaxespad=0,
    )
    return _png(fig)
