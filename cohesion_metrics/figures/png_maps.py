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

import io
import re
import textwrap
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import duckdb
import geopandas as gpd
import numpy as np
import pandas as pd
import plotly.colors
import shapely
from matplotlib import patheffects
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.cm import ScalarMappable
from matplotlib.collections import PathCollection
from matplotlib.colors import Colormap, LinearSegmentedColormap, Normalize, to_rgba
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch, Rectangle
from matplotlib.path import Path
from matplotlib.ticker import FuncFormatter

from cohesion_metrics import settings
from cohesion_metrics.db import query
from cohesion_metrics.figures import maps
from cohesion_metrics.metadata import numbers
from cohesion_metrics.metadata.indicators import INDICATORS_BY_ID
from cohesion_metrics.metadata.levels import LEVELS_BY_CODE
from cohesion_metrics.metadata.spaces import SPACE_GROUPS, SPACE_MAP_GROUPS
from cohesion_metrics.method import framework
from cohesion_metrics.read import page_frames, queries

#: Presentation size: a 16:9 slide at full HD.
PNG_WIDTH, PNG_HEIGHT = 1920, 1080
#: Where the map sits in each figure: left, bottom, width, height as fractions of the figure (from the bottom left).
PRESENTATION_MAP_BOX = (0.015, 0.09, 0.675, 0.735)
PRIORITY_MAP_BOX = (0.0, 0.0, 0.68, 1.0)
#: Physical widths the layouts are drawn for (inches): a slide read from the back of a room, an A4 text column.
_SLIDE_WIDTH_IN, _PRINT_WIDTH_IN = 19.2, 6.9
#: Space groups drawn on the briefing map (the borough explorer's default layers).
DEFAULT_SPACE_GROUPS = ("community", "faith", "culture")
#: Source of every map geometry.
BOUNDARY_SOURCE = "gla_gis_boundaries"
#: Source whose space-based indicators also rest on the other space sources (places of worship from OSM).
_SPACES_INDICATOR_SOURCE = "gla_cim"
TEXT_COLOUR, MUTED_COLOUR, CONTEXT_FILL = "#1a1a1a", "#555555", "#f1f1f1"


# --- Sources --------------------------------------------------------------------------------------------------------


def measure_indicator_ids(level: str, measure: page_frames.Measure) -> list[str]:
    """Registry indicators behind a measure at a level: itself, its pillar's default indicators, or all of them."""
    if measure.kind == "indicator":
        return [measure.id]
    indicators = framework.default_indicators(level)
    if measure.kind == "pillar":
        indicators = [i for i in indicators if i.pillar == measure.pillar]
    return [i.id for i in indicators]


def _space_types(indicator_ids: Sequence[str]) -> set[str]:
    """Space types counted by the space-based indicators among `indicator_ids` (their id ends in the group)."""
    types: set[str] = set()
    for indicator_id in indicator_ids:
        indicator = INDICATORS_BY_ID.get(indicator_id)
        group = indicator_id.rsplit("_", 1)[-1]
        if indicator is not None and indicator.source_id == _SPACES_INDICATOR_SOURCE and group in SPACE_GROUPS:
            types |= set(SPACE_GROUPS[group])
    return types


def space_source_ids(con: duckdb.DuckDBPyConnection, indicator_ids: Sequence[str] | None = None) -> list[str]:
    """Sources of the spaces that the space-based indicators among `indicator_ids` count (None: every space)."""
    types = None if indicator_ids is None else _space_types(indicator_ids)
    if types is not None and not types:
        return []
    return query(
        con,
        "SELECT DISTINCT source_id FROM core_spaces__inclusive"
        + ("" if types is None else " WHERE space_type IN (SELECT unnest(?))")
        + " ORDER BY 1",
        None if types is None else [sorted(types)],
    )["source_id"].tolist()


def source_rows(
    con: duckdb.DuckDBPyConnection,
    level: str,
    indicator_ids: Sequence[str],
    *,
    area_codes: Sequence[str] | None = None,
    spaces: bool = False,
    boundaries: bool = True,
) -> pd.DataFrame:
    """The sources behind values of `indicator_ids` at `level` (optionally only `area_codes`), plus map layers.

    One row per source: source_id, role ("values", "spaces" or "boundaries"), title, publisher, vintage (as
    catalogued), vintage_used (the vintages the values carry), licence, attribution, caveat. A space-based indicator
    also brings in the sources of the space types it counts (places of worship come from OpenStreetMap); `spaces`
    adds every space source, for a map that draws the spaces as points.
    """
    where = " AND v.area_code IN (SELECT unnest(?))" if area_codes is not None else ""
    params: list[object] = [level, list(indicator_ids), *([list(area_codes)] if area_codes is not None else [])]
    values = query(
        con,
        "SELECT v.source_id, string_agg(DISTINCT v.vintage, '; ' ORDER BY v.vintage) AS vintage_used "
        "FROM core_indicators__values v WHERE v.area_level = ? AND v.indicator_id IN (SELECT unnest(?)) "
        f"AND v.value IS NOT NULL{where} GROUP BY v.source_id ORDER BY v.source_id",
        params,
    ).assign(role="values")
    space_ids = space_source_ids(con, None if spaces else indicator_ids)
    extra = [(s, "spaces") for s in space_ids if spaces or s not in set(values["source_id"])]
    if boundaries:
        extra.append((BOUNDARY_SOURCE, "boundaries"))
    catalogue = queries.sources(con).set_index("source_id")
    rows = pd.concat(
        [values, pd.DataFrame(extra, columns=["source_id", "role"]).assign(vintage_used=None)], ignore_index=True
    )
    rows = rows.drop_duplicates(["source_id", "role"])
    rows = rows[rows["source_id"].isin(catalogue.index)]
    cols = ["title", "publisher", "vintage", "licence", "attribution", "caveat"]
    out = rows.join(catalogue[cols], on="source_id")
    out["vintage_used"] = out["vintage_used"].fillna(out["vintage"])
    return out[["source_id", "role", *cols[:3], "vintage_used", *cols[3:]]].reset_index(drop=True)


def measure_sources(
    con: duckdb.DuckDBPyConnection, level: str, measure_id: str, borough_code: str | None = None
) -> pd.DataFrame:
    """The sources behind a measure's map at a level (`source_rows`), optionally only one borough's values."""
    measure = page_frames.get_measure(measure_id)
    codes = queries.areas(con, level, borough_code)["area_code"].tolist() if borough_code else None
    return source_rows(con, level, measure_indicator_ids(level, measure), area_codes=codes)


def short_title(title: str) -> str:
    """A source title without its detail: "Curio Canopy: tree canopy cover by LSOA" -> "Curio Canopy"."""
    return re.split(r": | \(", title, maxsplit=1)[0].strip()


def sources_line(sources: pd.DataFrame) -> str:
    """The value sources as "Title: vintage" pairs, for a map's subtitle."""
    rows = sources[sources["role"] != "boundaries"]
    return " · ".join(f"{short_title(r.title)}: {r.vintage_used}" for r in rows.itertuples())


def attribution_line(sources: pd.DataFrame) -> str:
    """The sources' attributions as the catalogue states them, each once, in the order given."""
    return " ".join(dict.fromkeys(str(a).strip() for a in sources["attribution"] if a))


# --- Geometry -------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Shapes:
    """Areas of a level as shapely geometries (British National Grid) and matplotlib paths, in code order."""

    codes: np.ndarray
    geoms: np.ndarray
    paths: list[Path]


def _path(geom: Any) -> Path:
    """One compound path per area: every ring of every polygon, exteriors and holes oriented for non-zero filling."""
    verts: list[np.ndarray] = []
    codes: list[np.ndarray] = []
    for poly in getattr(geom, "geoms", (geom,)):
        for ring in (poly.exterior, *poly.interiors):
            xy = np.asarray(ring.coords)[:, :2]
            kind = np.full(len(xy), Path.LINETO, dtype=Path.code_type)
            kind[0], kind[-1] = Path.MOVETO, Path.CLOSEPOLY
            verts.append(xy)
            codes.append(kind)
    return Path(np.concatenate(verts), np.concatenate(codes))


def _shapes(geoms: gpd.GeoSeries, *, tolerance_m: float = 0.0) -> _Shapes:
    """Areas (`queries.area_geometries`) as matplotlib paths, simplified by `tolerance_m` metres."""
    values = geoms.to_numpy()
    if tolerance_m > 0:
        values = shapely.simplify(values, tolerance_m)
    values = shapely.orient_polygons(values)
    return _Shapes(geoms.index.to_numpy(dtype=object), values, [_path(g) for g in values])


def _bounds(geoms: gpd.GeoSeries) -> tuple[float, float, float, float]:
    """West, south, east, north in metres."""
    x0, y0, x1, y1 = geoms.total_bounds
    return float(x0), float(y0), float(x1), float(y1)


def _check_borough(con: duckdb.DuckDBPyConnection, borough_code: str) -> str:
    """The borough's name; ValueError for a code that is not a London borough."""
    names = queries.boroughs(con).set_index("borough_code")["borough_name"]
    if borough_code not in names.index:
        raise ValueError(
            f"unknown borough code {borough_code!r}: expected a London borough code, "
            f"{settings.LONDON_LAD_CODES[0]} to {settings.LONDON_LAD_CODES[-1]}"
        )
    return str(names[borough_code])


# --- Drawing --------------------------------------------------------------------------------------------------------


def _figure(width_px: int, height_px: int, dpi: float) -> Figure:
    fig = Figure(figsize=(width_px / dpi, height_px / dpi), dpi=dpi, facecolor="#ffffff")
    FigureCanvasAgg(fig)
    return fig


def _png(fig: Figure) -> bytes:
    """The figure as PNG bytes at exactly its pixel size (no tight bounding box)."""
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=fig.dpi, facecolor=fig.get_facecolor())
    return buf.getvalue()


def _colormap(name: str, reverse: bool) -> Colormap:
    """The plotly colour scale `name` as a matplotlib colour map, so static and app maps share colours."""
    scale = plotly.colors.get_colorscale(name)
    colours = [(float(pos), plotly.colors.unlabel_rgb(c) if c.startswith("rgb") else c) for pos, c in scale]
    stops = [(pos, tuple(v / 255 for v in c) if isinstance(c, tuple) else c) for pos, c in colours]
    cmap = LinearSegmentedColormap.from_list(name, stops)
    return cmap.reversed() if reverse else cmap


def _draw(
    ax: Axes,
    paths: Sequence[Path],
    facecolors: Any,
    *,
    edgecolor: Any = "#ffffff",
    linewidth: float = 0.3,
    zorder: float = 1,
) -> None:
    ax.add_collection(
        PathCollection(list(paths), facecolors=facecolors, edgecolors=edgecolor, linewidths=linewidth, zorder=zorder)
    )


def _fit(ax: Axes, bounds: tuple[float, float, float, float], pad: float = 0.03) -> None:
    """Show `bounds` (west, south, east, north) at true shape, centred, widened to fill the axes' box."""
    width_px, height_px = ax.bbox.width, ax.bbox.height
    x0, y0, x1, y1 = bounds
    dx, dy = (x1 - x0) * (1 + 2 * pad), (y1 - y0) * (1 + 2 * pad)
    scale = max(dx / width_px, dy / height_px)  # metres per unit of the box
    cx, cy, half_w, half_h = (x0 + x1) / 2, (y0 + y1) / 2, scale * width_px / 2, scale * height_px / 2
    ax.set_xlim(cx - half_w, cx + half_w)
    ax.set_ylim(cy - half_h, cy + half_h)
    ax.set_axis_off()


def _metres_per_pixel(bounds: tuple[float, float, float, float], ax_px: tuple[float, float]) -> float:
    x0, y0, x1, y1 = bounds
    return max((x1 - x0) / max(ax_px[0], 1), (y1 - y0) / max(ax_px[1], 1))


def _halo(width: float = 2.5) -> list[Any]:
    return [patheffects.withStroke(linewidth=width, foreground="#ffffff")]


def _context_boroughs(ax: Axes, boroughs: _Shapes, names: dict[str, str], selected: str, fontsize: float) -> None:
    """Other boroughs in light grey (named where their label falls in view), for orientation around `selected`."""
    others = [i for i, c in enumerate(boroughs.codes) if c != selected]
    _draw(ax, [boroughs.paths[i] for i in others], CONTEXT_FILL, edgecolor="#ffffff", linewidth=0.6, zorder=0)
    (x0, x1), (y0, y1) = ax.get_xlim(), ax.get_ylim()
    view = shapely.box(x0, y0, x1, y1)
    for i in others:
        visible = shapely.intersection(boroughs.geoms[i], view)
        if visible.is_empty or visible.area < 0.02 * view.area:  # too little in view to carry a name
            continue
        point = shapely.point_on_surface(visible)
        ax.text(
            point.x,
            point.y,
            names.get(str(boroughs.codes[i]), ""),
            fontsize=fontsize,
            color="#7a7a7a",
            ha="center",
            va="center",
            clip_on=True,
            zorder=1,
        )


def _scale_bar(ax: Axes, *, fontsize: float, linewidth: float) -> None:
    """A scale bar at the lower left: a round distance near a fifth of the view's width."""
    (x0, x1), (y0, y1) = ax.get_xlim(), ax.get_ylim()
    target = (x1 - x0) / 5
    length = max((d for d in (100, 200, 250, 500, 1000, 2000, 5000, 10000, 20000) if d <= target), default=100)
    left, base = x0 + (x1 - x0) * 0.03, y0 + (y1 - y0) * 0.04
    ax.plot([left, left + length], [base, base], color="#1a1a1a", lw=linewidth, solid_capstyle="butt", zorder=8)
    text = f"{length / 1000:g} km" if length >= 1000 else f"{length} m"
    ax.text(
        left + length / 2,
        base + (y1 - y0) * 0.012,
        text,
        ha="center",
        va="bottom",
        fontsize=fontsize,
        color="#1a1a1a",
        zorder=8,
        path_effects=_halo(),
    )


def _outlines(ax: Axes, boroughs: _Shapes, *, linewidth: float, selected: str | None = None) -> None:
    _draw(ax, boroughs.paths, "none", edgecolor=maps.OUTLINE_COLOUR, linewidth=linewidth, zorder=5)
    if selected is not None:
        i = list(boroughs.codes).index(selected)
        _draw(ax, [boroughs.paths[i]], "none", edgecolor=maps.HIGHLIGHT_COLOUR, linewidth=linewidth * 2.2, zorder=6)


def _is_dark(colour: str) -> bool:
    r, g, b, _ = to_rgba(colour)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b < 0.45


def _bivariate_legend(ax: Axes, counts: dict[int, int], *, fontsize: float, unit: str) -> None:
    """The 3 x 3 need x capacity key (as `maps.bivariate_legend`): need up, capacity across, counts in the cells."""
    words = ("low", "medium", "high")
    for need_t in (1, 2, 3):
        for cap_t in (1, 2, 3):
            code = 3 * (need_t - 1) + cap_t
            colour = maps.class_colour(code)
            ax.add_patch(Rectangle((cap_t - 1, need_t - 1), 0.94, 0.94, facecolor=colour, edgecolor="none"))
            ax.text(
                cap_t - 0.53,
                need_t - 0.53,
                f"{counts.get(code, 0):,}",
                ha="center",
                va="center",
                fontsize=fontsize,
                color="#ffffff" if _is_dark(colour) else "#111111",
            )
    priority = maps.PRIORITY_CLASS
    ax.add_patch(
        Rectangle(
            ((priority - 1) % 3, (priority - 1) // 3),
            0.94,
            0.94,
            facecolor="none",
            edgecolor=maps.HIGHLIGHT_COLOUR,
            linewidth=fontsize / 4,
        )
    )
    ax.set_xlim(-0.05, 3)
    ax.set_ylim(-0.05, 3)
    ax.set_aspect("equal")
    ax.set_xticks([0.47, 1.47, 2.47], words, fontsize=fontsize * 0.9)
    ax.set_yticks([0.47, 1.47, 2.47], words, fontsize=fontsize * 0.9)
    ax.tick_params(length=0, pad=2)
    ax.set_xlabel("Cohesion capacity →", fontsize=fontsize)
    ax.set_ylabel("Need →", fontsize=fontsize)
    for spine in ax.spines.values():
        spine.set_visible(False)
    ax.set_title(f"{unit} per class; outlined:\nhigh need, low capacity", fontsize=fontsize * 0.9, loc="left")


def _wrap(text: str, width: int, max_lines: int | None = None) -> str:
    return "\n".join(textwrap.wrap(text, width, max_lines=max_lines, placeholder=" …"))


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
    groups: Sequence[str] = DEFAULT_SPACE_GROUPS,
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
