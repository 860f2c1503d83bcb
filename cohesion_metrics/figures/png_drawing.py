"""Drawing blocks of the static PNG maps on matplotlib's Agg canvas: shapes, fills, outlines, labels, legend, scale."""

from __future__ import annotations

import io
import textwrap
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import duckdb
import geopandas as gpd
import numpy as np
import plotly.colors
import shapely
from matplotlib import patheffects
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.collections import PathCollection
from matplotlib.colors import Colormap, LinearSegmentedColormap, to_rgba
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle
from matplotlib.path import Path

from cohesion_metrics import settings
from cohesion_metrics.figures import maps
from cohesion_metrics.read import queries

TEXT_COLOUR, MUTED_COLOUR, CONTEXT_FILL = "#1a1a1a", "#555555", "#f1f1f1"


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
    """The 3 x 3 need x capacity key (as `map_layers.bivariate_legend`): need up, capacity across, counts in the cells."""
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
