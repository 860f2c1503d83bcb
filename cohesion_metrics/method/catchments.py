"""Catchment measures per LSOA 2021: share of residents within 400/800/1,200 m of a space, distance to the nearest.

The one implementation: the build stores these counts and the uploads recompute them with a session's spaces.
Distances are straight lines from each LSOA 2021 population-weighted centroid (British National Grid metres).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import shapely

from cohesion_metrics.metadata.indicators import CATCHMENT_DISTANCES_M
from cohesion_metrics.metadata.spaces import SPACE_GROUPS

#: Columns of `catchment_counts`.
COUNT_COLUMNS = ("lsoa21_code", "indicator_id", "num", "den")


def nearest_distances(points: np.ndarray, spaces: np.ndarray) -> np.ndarray:
    """Straight-line distance (m) from each point (n x 2) to the nearest of the spaces (m x 2, m >= 1)."""
    tree = shapely.STRtree(shapely.points(spaces))
    (rows, _), dist = tree.query_nearest(shapely.points(points), return_distance=True, all_matches=False)
    out = np.full(len(points), np.nan)
    out[rows] = dist
    return out


def group_distances(lsoa21: pd.DataFrame, spaces: pd.DataFrame) -> dict[str, np.ndarray]:
    """Per space group with at least one space: each LSOA's distance (m) to the nearest space of the group.

    `lsoa21` has pwc_easting and pwc_northing; `spaces` has space_type, easting, northing. Each space counts in the
    groups of its type. The nearest of a union is the nearer of its parts' nearest, so the distances with more spaces
    are `np.fmin` of these and the extra spaces' own (`uploads.analysis.catchments_with_uploads`).
    """
    centroids = lsoa21[["pwc_easting", "pwc_northing"]].to_numpy(dtype=float)
    out = {}
    for group, types in SPACE_GROUPS.items():
        chosen = spaces[spaces["space_type"].isin(types)]
        if not chosen.empty:
            out[group] = nearest_distances(centroids, chosen[["easting", "northing"]].to_numpy(dtype=float))
    return out


def counts_from_distances(
    lsoa21: pd.DataFrame, distances: dict[str, np.ndarray], *, max_distance_m: float | None = None
) -> pd.DataFrame:
    """Numerator and denominator (Census 2021 population) per LSOA 2021 and catchment indicator (COUNT_COLUMNS).

    `distances` is `group_distances` (a group without spaces has no rows). With `max_distance_m`, an LSOA farther
    than that from every space of a group is a ValueError.
    """
    codes = lsoa21["lsoa21_code"].to_numpy()
    pop = lsoa21["population"].to_numpy(dtype=float)
    parts = []
    for group in (g for g in SPACE_GROUPS if g in distances):
        metres = distances[group]
        if max_distance_m is not None and (far := int((metres > max_distance_m).sum())):
            raise ValueError(f"{far} LSOA/space-group pairs have no space within {max_distance_m} m")
        nums = {f"pop_within_{d}m_pct_{group}": pop * (metres <= d) for d in CATCHMENT_DISTANCES_M}
        nums[f"nearest_space_m_{group}"] = pop * metres
        parts += [
            pd.DataFrame({"lsoa21_code": codes, "indicator_id": i, "num": n, "den": pop}) for i, n in nums.items()
        ]
    return pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=list(COUNT_COLUMNS))


def catchment_counts(
    lsoa21: pd.DataFrame, spaces: pd.DataFrame, *, max_distance_m: float | None = None
) -> pd.DataFrame:
    """`counts_from_distances` of `group_distances`: lsoa21 has lsoa21_code, population, pwc_easting, pwc_northing."""
    return counts_from_distances(lsoa21, group_distances(lsoa21, spaces), max_distance_m=max_distance_m)
