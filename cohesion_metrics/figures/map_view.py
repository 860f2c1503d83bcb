"""Where a web map looks: the bounds of GeoJSON features and the MapLibre centre and zoom that fit them."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any


def geojson_bounds(geojson: dict[str, Any], ids: Sequence[str] | None = None) -> dict[str, float]:
    """West/east/south/north of the features (only those whose id is in `ids`, if given)."""
    keep = set(ids) if ids is not None else None
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
        if keep is None or feature.get("id") in keep:
            walk(feature["geometry"]["coordinates"])
    if not xs:
        raise ValueError(f"no features with ids {sorted(keep or [])[:5]} in the GeoJSON")
    return {"west": min(xs), "east": max(xs), "south": min(ys), "north": max(ys)}


def _mercator_y(lat: float) -> float:
    return math.degrees(math.log(math.tan(math.pi / 4 + math.radians(lat) / 2)))


def fit_view(
    bounds: Mapping[str, float], *, width: int, height: int, pad: float = 0.04, reserve_top: int = 0
) -> tuple[dict[str, float], float]:
    """Return the centre and zoom (MapLibre, 512 px tiles) showing `bounds` in a width x height pixel map.

    `reserve_top` pixels at the top stay clear (for a legend): the bounds fit below them.
    """
    dx = max(bounds["east"] - bounds["west"], 1e-6) * (1 + 2 * pad)
    dy = max(_mercator_y(bounds["north"]) - _mercator_y(bounds["south"]), 1e-6) * (1 + 2 * pad)
    zoom = math.log2(min(width * 360 / (512 * dx), (height - reserve_top) * 360 / (512 * dy)))
    y_mid = (_mercator_y(bounds["north"]) + _mercator_y(bounds["south"])) / 2
    y_mid += reserve_top / 2 * 360 / (512 * 2**zoom)  # move the view up so the shape sits below the reserve
    lat = math.degrees(2 * math.atan(math.exp(math.radians(y_mid))) - math.pi / 2)
    return {"lon": (bounds["east"] + bounds["west"]) / 2, "lat": lat}, round(zoom, 2)
