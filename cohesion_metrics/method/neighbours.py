"""Statistical neighbours: for each area, the most similar others on a profile of scores (e.g. borough pillars).

Each profile column is standardised over the areas given, ``(x - mean) / sd`` with the population sd (ddof=0);
a constant column carries no information and is left out. Distance is Euclidean on the standardised columns.
Ties are broken by area code, after rounding distances to 12 decimals, so the output is deterministic.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from cohesion_metrics.errors import NeighbourInputError

AREA = "area_code"
#: Default number of neighbours.
K = 5
#: Rows of the distance matrix computed at a time (bounds memory for LSOA-sized inputs).
CHUNK = 256


def standardise(profile: pd.DataFrame) -> pd.DataFrame:
    """Return the profile's columns as z-scores (population sd), dropping constant columns."""
    sd = profile.std(ddof=0)
    keep = sd.index[sd > 0]
    return (profile[keep] - profile[keep].mean()) / sd[keep]


def nearest_neighbours(profile: pd.DataFrame, k: int = K) -> pd.DataFrame:
    """Return, for each area (row), its k most similar other areas as a long table.

    Columns: area_code, neighbour_code, distance (standardised Euclidean), rank (1 = most similar).
    With fewer than k + 1 areas every other area is returned.
    """
    if k < 1:
        raise NeighbourInputError(f"k {k} must be at least 1.")
    if not profile.index.is_unique:
        dupes = profile.index[profile.index.duplicated()].unique().tolist()[:5]
        raise NeighbourInputError(f"area code(s) appear more than once: {dupes}.")
    if len(profile) < 2:
        raise NeighbourInputError("at least two areas are needed to find neighbours.")
    numeric = profile.apply(pd.to_numeric, errors="coerce").astype(float)
    missing = numeric.isna()
    if missing.any().any():
        row = int(np.flatnonzero(missing.any(axis=1).to_numpy())[0])
        col = str(profile.columns[np.flatnonzero(missing.iloc[row].to_numpy())[0]])
        raise NeighbourInputError(
            f"area {profile.index[row]!r} has no numeric value for {col!r}; fill or drop it before comparing."
        )
    numeric = numeric.sort_index()
    codes = numeric.index.to_numpy()
    z = standardise(numeric).to_numpy(dtype=float)
    n = len(codes)
    k = min(k, n - 1)
    nearest = np.empty((n, k), dtype=np.intp)
    distance = np.empty((n, k))
    for start in range(0, n, CHUNK):
        rows = np.arange(start, min(start + CHUNK, n))
        d = np.sqrt(((z[rows, None, :] - z[None, :, :]) ** 2).sum(axis=2))
        d[np.arange(rows.size), rows] = np.inf
        order = np.argsort(np.round(d, 12), axis=1, kind="stable")[:, :k]
        nearest[rows] = order
        distance[rows] = np.take_along_axis(d, order, axis=1)
    return pd.DataFrame(
        {
            AREA: np.repeat(codes, k),
            "neighbour_code": codes[nearest.ravel()],
            "distance": distance.ravel(),
            "rank": np.tile(np.arange(1, k + 1), n),
        }
    )
