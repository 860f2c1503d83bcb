"""Display GeoJSON written once as static files that the browser fetches and caches.

A map whose GeoJSON is embedded in the figure re-sends it over the websocket on every rerun (the LSOA layer is about
3.5 MB). With ``server.enableStaticServing`` Streamlit serves ``static/`` beside ``app.py`` at ``app/static/``, so
the figures pass ``geojson="app/static/geo/<level>.geojson?v=<stamp>"`` instead: plotly.js fetches each URL once
per page and caches it, and a rerun only sends codes and values.

Beside them goes `world_110m.json`, an empty world topology: plotly's geo subplot (the flat SVG maps
of `maps`) fetches that file from plotly's CDN even with its base layers hidden, unless the chart's `topojsonURL`
points elsewhere (`TOPOJSON_URL`).

Each file is a FeatureCollection whose feature ids are the area codes, with no properties and coordinates rounded
to 1e-5 degrees (about 1 m). The files are (re)written when missing or when the database changed (its stamp: file
size and modification time), each through a temporary file renamed into place, so a reader never sees half a file
and two servers starting together do no harm. No Streamlit here: the app calls `ensure_static_geojson` once.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb

from cohesion_metrics import settings
from cohesion_metrics.files import write_atomic
from cohesion_metrics.read import queries

#: Streamlit serves this folder (beside app.py) at ``app/static/`` when static serving is on.
STATIC_DIR = settings.PROJECT_ROOT / "static"
GEO_FOLDER = "geo"
URL_PREFIX = "app/static/geo"
LEVELS = ("borough", "ward", "lsoa11")
#: The `topojsonURL` for flat maps: an empty world topology served locally (plotly appends "world_110m.json").
TOPOJSON_URL = f"{URL_PREFIX}/"
_TOPOJSON_LAYERS = ("coastlines", "land", "ocean", "lakes", "rivers", "countries", "subunits")
EMPTY_TOPOJSON = json.dumps(
    {
        "type": "Topology",
        "arcs": [],
        "objects": {k: {"type": "GeometryCollection", "geometries": []} for k in _TOPOJSON_LAYERS},
    }
).encode("utf-8")
PRECISION = 5
STAMP_FILE = "stamp.json"
#: Bump when the file format changes, so old files are rewritten.
FORMAT_VERSION = 2


@dataclass(frozen=True)
class StaticGeo:
    """Where the display GeoJSON files are, and the stamp that versions their URLs."""

    folder: Path
    stamp: str
    levels: tuple[str, ...]

    def path(self, level: str) -> Path:
        """Return the file of one level."""
        return self.folder / f"{level}.geojson"

    def url(self, level: str) -> str:
        """Return the relative URL plotly.js fetches (the stamp busts browser caches when the data change)."""
        if level not in self.levels:
            raise ValueError(f"no static GeoJSON for level {level!r}; written: {list(self.levels)}")
        return f"{URL_PREFIX}/{level}.geojson?v={self.stamp}"


def database_stamp(db_path: Path) -> str:
    """Return a short stamp of the database file (size and modification time) and of the file format."""
    stat = db_path.stat()
    text = f"{db_path.resolve()}:{stat.st_size}:{stat.st_mtime_ns}:{FORMAT_VERSION}"
    return hashlib.sha256(text.encode()).hexdigest()[:12]


def _round(coords: Any) -> Any:
    if coords and isinstance(coords[0], (int, float)):
        return [round(float(c), PRECISION) for c in coords]
    return [_round(c) for c in coords]


def geojson_bytes(con: duckdb.DuckDBPyConnection, level: str) -> bytes:
    """Compact GeoJSON of a level: id = area code, coordinates rounded to 1e-5 degrees.

    Properties: `i`, the feature's position (area codes in order: map_layers.index_features sends a small integer per area
    instead of its code), `code`, and `name`, the place name (places.place_name) that hover labels show, so that
    neither travels with every redraw.
    """
    fc = queries.area_geojson(con, level)
    names = queries.place_names(con, level)
    features = [
        {
            "type": "Feature",
            "id": f["id"],
            "properties": {"i": i, "code": f["id"], "name": str(names.get(f["id"], f["id"]))},
            "geometry": {"type": f["geometry"]["type"], "coordinates": _round(f["geometry"]["coordinates"])},
        }
        for i, f in enumerate(fc["features"])
    ]
    return json.dumps({"type": "FeatureCollection", "features": features}, separators=(",", ":")).encode("utf-8")


def _is_fresh(folder: Path, stamp: str, levels: Iterable[str]) -> bool:
    try:
        written = json.loads((folder / STAMP_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return (
        isinstance(written, dict)
        and written.get("stamp") == stamp
        and all(lvl in written.get("levels", []) and (folder / f"{lvl}.geojson").is_file() for lvl in levels)
    )


def ensure_static_geojson(
    con: duckdb.DuckDBPyConnection,
    *,
    stamp: str,
    folder: Path | None = None,
    levels: Iterable[str] = LEVELS,
) -> StaticGeo:
    """Write `static/geo/<level>.geojson` for each level unless they are there with this stamp; return where."""
    folder = folder or STATIC_DIR / GEO_FOLDER
    levels = tuple(levels)
    topojson = folder / "world_110m.json"
    if not topojson.is_file() or topojson.read_bytes() != EMPTY_TOPOJSON:
        write_atomic(topojson, EMPTY_TOPOJSON)
    if not _is_fresh(folder, stamp, levels):
        for level in levels:
            write_atomic(folder / f"{level}.geojson", geojson_bytes(con, level))
        write_atomic(folder / STAMP_FILE, json.dumps({"stamp": stamp, "levels": list(levels)}).encode("utf-8"))
    return StaticGeo(folder, stamp, levels)
