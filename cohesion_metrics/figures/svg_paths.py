"""Pre-projected SVG paths of each level, written once beside the static GeoJSON, for the London map component.

The component (app_pages/_svg_map.py) fetches ``app/static/geo/<level>.paths.json?v=<stamp>`` once per browser (it
is cached, and served gzipped: ~0.5 MB for LSOAs), makes one Path2D per area once and on each rerun only refills
them from a values-only message. So the browser neither parses 3.9 MB of GeoJSON nor projects it.

A file is ``{"w": width, "h": height, "d": [path per feature], "code": [...], "name": [...]}`` in the order of the
level's GeoJSON features (their property ``i``, the index the values arrive in). Every level shares one Web Mercator
frame fitted to London's extent (settings.LONDON_WGS84_BOUNDS), so borough outlines lie exactly on any level.
Shapes are simplified to a fifth of a frame unit (a 1000-unit wide frame: under a pixel on a 1920 px screen).
No Streamlit here.
"""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

import numpy as np
import shapely
from shapely.geometry import shape

from cohesion_metrics import settings
from cohesion_metrics.figures.geojson_files import StaticGeo
from cohesion_metrics.files import write_atomic

WIDTH = 1000.0
TOLERANCE = 0.2
SUFFIX = ".paths.json"
#: Bump when the file format changes, so old files are rewritten.
FORMAT_VERSION = 1


def _merc(lat: float) -> float:
    return math.log(math.tan(math.pi / 4 + math.radians(lat) / 2))


WEST, SOUTH, EAST, NORTH = settings.LONDON_WGS84_BOUNDS
SCALE = WIDTH / math.radians(EAST - WEST)
HEIGHT = round((_merc(NORTH) - _merc(SOUTH)) * SCALE, 1)


def project(lon: float, lat: float) -> tuple[float, float]:
    """Return frame coordinates (x right, y down) of a WGS84 point."""
    return math.radians(lon - WEST) * SCALE, (_merc(NORTH) - _merc(lat)) * SCALE


def _ring(coords: Any) -> str:
    pts = [f"{x:.1f} {y:.1f}" for x, y in coords]
    out = [pts[0]]
    for p in pts[1:]:  # drop points that round onto the previous one
        if p != out[-1]:
            out.append(p)
    return "M" + "L".join(out[:-1] if len(out) > 3 and out[-1] == out[0] else out) + "Z"


def path_d(geometry: dict[str, Any]) -> str:
    """Return the SVG path data of a GeoJSON (Multi)Polygon, projected and simplified."""
    geom = shapely.transform(shape(geometry), _project_array)
    geom = geom.simplify(TOLERANCE, preserve_topology=True)
    polygons = list(geom.geoms) if hasattr(geom, "geoms") else [geom]
    parts = []
    for poly in polygons:
        if poly.is_empty or not hasattr(poly, "exterior"):
            continue
        parts.append(_ring(poly.exterior.coords))
        parts += [_ring(r.coords) for r in poly.interiors]
    return "".join(parts)


def _project_array(xy: Any) -> Any:
    x = np.radians(xy[:, 0] - WEST) * SCALE
    y = (_merc(NORTH) - np.log(np.tan(np.pi / 4 + np.radians(xy[:, 1]) / 2))) * SCALE
    return np.column_stack([x, y])


def paths_bytes(geojson: bytes) -> bytes:
    """The paths file of one level from its static GeoJSON (geo_static.geojson_bytes)."""
    features = json.loads(geojson)["features"]
    features.sort(key=lambda f: f["properties"]["i"])
    body = {
        "w": WIDTH,
        "h": HEIGHT,
        "d": [path_d(f["geometry"]) for f in features],
        "code": [f["properties"]["code"] for f in features],
        "name": [f["properties"]["name"] for f in features],
    }
    return json.dumps(body, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


def path_file(geo: StaticGeo, level: str) -> Path:
    """Return where a level's paths file is."""
    return geo.folder / f"{level}{SUFFIX}"


def url(geo: StaticGeo, level: str) -> str:
    """Return the relative URL the component fetches (versioned like the GeoJSON's)."""
    if level not in geo.levels:
        raise ValueError(f"no paths for level {level!r}; written: {list(geo.levels)}")
    return f"app/static/geo/{level}{SUFFIX}?v={geo.stamp}-{FORMAT_VERSION}"


def ensure_paths(geo: StaticGeo) -> None:
    """Write each level's paths file unless it is there for this stamp (its marker file says so)."""
    marker = geo.folder / "paths-stamp.json"
    want = f"{geo.stamp}-{FORMAT_VERSION}"
    try:
        fresh = json.loads(marker.read_text(encoding="utf-8")).get("stamp") == want
    except (OSError, ValueError, AttributeError):
        fresh = False
    if fresh and all(path_file(geo, lvl).is_file() for lvl in geo.levels):
        return
    for level in geo.levels:
        write_atomic(path_file(geo, level), paths_bytes(geo.path(level).read_bytes()))
    write_atomic(marker, json.dumps({"stamp": want}).encode("utf-8"))
