"""Ranks within each Monte Carlo draw, and their quantiles over the draws: the rank step of `uncertainty`.

Every function takes a draws x areas matrix. `order_and_ranks`, `mark_above_median` and `eligible_ranks` are the
framework's fast path over the compiled loops in `rank_kernels`: they read the areas they rank in place and write
into the caller's draws x areas result at the block's rows. `ranks_by_row` is a plain float argsort, kept for the
composite engine's Monte Carlo and as the benchmark's reference.
"""

from __future__ import annotations

from collections.abc import Sequence
from types import ModuleType

import numpy as np


def kernels() -> ModuleType:
    """The compiled loops, imported on first use: numba costs about 60 MB of memory, which most app runs never need."""
    from cohesion_metrics.method import rank_kernels  # deferred on purpose (see the docstring)

    return rank_kernels


def ranks_by_row(scores: np.ndarray) -> np.ndarray:
    """Return, for a draws x areas score matrix, each area's rank within its draw (1 = highest score)."""
    n_draws, n_areas = scores.shape
    order = np.argsort(-scores, axis=1)
    ranks = np.empty((n_draws, n_areas), dtype=np.int32)
    np.put_along_axis(ranks, order, np.broadcast_to(np.arange(1, n_areas + 1, dtype=np.int32), order.shape), axis=1)
    return ranks


def rank_quantiles(ranks: np.ndarray, quantiles: Sequence[float]) -> np.ndarray:
    """Return len(quantiles) x areas rank quantiles over the draws (rows of `ranks`), linear interpolation."""
    # A full sort down the draws axis (vectorised across areas) beats a multi-kth np.partition per area about
    # sevenfold for 1,000 x 33,755 integer ranks (117 ms against 780 ms), with identical results.
    return _interpolated(np.sort(ranks, axis=0).T, quantiles)


def _interpolated(ordered: np.ndarray, quantiles: Sequence[float]) -> np.ndarray:
    """Quantiles (linear interpolation) from areas x draws values sorted along each row."""
    n = ordered.shape[1]
    position = np.asarray(quantiles, dtype=float) * (n - 1)
    low = np.floor(position).astype(int)
    high = np.minimum(low + 1, n - 1)
    frac = position - low
    return ordered[:, low].T.astype(float) * (1 - frac)[:, None] + ordered[:, high].T.astype(float) * frac[:, None]


def rank_summary(
    ranks: np.ndarray, quantiles: Sequence[float], top_n: int, top_third: np.ndarray, listed: np.ndarray | None = None
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per area of a draws x areas rank matrix: rank quantiles, and how many draws place it in the top lists.

    Returns the len(quantiles) x areas quantiles (as `rank_quantiles`), and the counts of draws with rank at most
    `top_n` and at most ``top_third[draw]``; with `listed` (draws x areas) only the draws that list an area count.
    One tiled pass copies the ranks area by area (`rank_kernels.by_area_and_counts_into`), then each area's row
    is sorted: faster than sorting down the draws axis.
    """
    n_draws, n_areas = ranks.shape
    by_area = np.empty((n_areas, n_draws), dtype=ranks.dtype)
    counts = np.empty((2, n_areas), dtype=np.int64)
    every = np.ones((1, 1), dtype=bool) if listed is None else listed
    third = np.broadcast_to(np.asarray(top_third, dtype=np.int64), (n_draws,)).copy()
    kernels().by_area_and_counts_into(ranks, top_n, third, every, by_area, counts)
    by_area.sort(axis=1)
    return _interpolated(by_area, quantiles), counts[0], counts[1]


def rank_dtype(n_areas: int) -> type[np.unsignedinteger]:
    """The smallest unsigned type that holds ranks 1..n_areas (uint16 up to 65,535 areas)."""
    return np.uint16 if n_areas < 2**16 else np.uint32


def _rows(rows: np.ndarray | None, n: int) -> np.ndarray:
    return np.arange(n) if rows is None else np.asarray(rows, dtype=np.intp)


def order_and_ranks(
    scores: np.ndarray,
    columns: np.ndarray | None = None,
    ranks: np.ndarray | None = None,
    rows: np.ndarray | None = None,
    *,
    with_order: bool = True,
) -> tuple[np.ndarray, np.ndarray]:
    """Per row of a draws x areas score matrix: the order of the areas at `columns` (default all), and their ranks.

    The order lists positions in `columns` from the highest score to the lowest, ties by position (with
    `with_order` False it is not kept: an empty array); ranks are 1 for the highest, written to ``ranks[rows]``
    (default: a new array, one row per score row). Scores are compared as float32 (closer than about 1e-7 relative
    count as ties), by a compiled radix sort per row.
    """
    scores = np.ascontiguousarray(scores, dtype=np.float32)
    columns = np.arange(scores.shape[1]) if columns is None else np.asarray(columns, dtype=np.intp)
    order = np.empty((scores.shape[0], columns.size) if with_order else (0, 0), dtype=np.int32)
    if ranks is None:
        ranks = np.empty((scores.shape[0], columns.size), dtype=rank_dtype(columns.size))
    kernels().order_and_ranks_into(scores, columns, order, ranks, _rows(rows, len(scores)))
    return order, ranks


def dense_ranks(scores: np.ndarray) -> np.ndarray:
    """Ranks (1 = highest) within each row of a draws x areas matrix of finite scores; ties broken by position.

    Scores closer than float32 resolution (about 1e-7 relative) count as ties (see `order_and_ranks`).
    """
    return order_and_ranks(scores)[1]


def mark_above_median(
    scores: np.ndarray,
    columns: np.ndarray,
    order: np.ndarray,
    targets: np.ndarray,
    *,
    above: np.ndarray,
    rows: np.ndarray | None = None,
) -> None:
    """Write to ``above[rows]`` whether each area at `targets` scores above the row's median over `targets`.

    The median is the mean of the middle two. `order` is `order_and_ranks(scores, columns)`'s and `targets` a
    subset of `columns`; the middle values are read off the order, or found by np.partition where a score is NaN.
    """
    scores = np.ascontiguousarray(scores, dtype=np.float32)
    columns, targets, rows = np.asarray(columns, np.intp), np.asarray(targets, np.intp), _rows(rows, len(scores))
    counted = np.isin(columns, targets)
    if kernels().above_median_into(scores, columns, order, counted, targets, rows, above):
        return
    values = scores[:, targets]
    mid = [(targets.size - 1) // 2, targets.size // 2]
    middle = np.partition(values, sorted(set(mid)), axis=1)[:, mid]
    above[rows] = values > np.mean(middle, axis=1, keepdims=True)


def eligible_ranks(
    need_ranks: np.ndarray,
    columns: np.ndarray,
    eligible: np.ndarray,
    *,
    counts: np.ndarray,
    ranks: np.ndarray,
    rows: np.ndarray | None = None,
) -> None:
    """Priority ranks from the need ranks: eligible areas 1..count in need order, the others count + 1.

    ``need_ranks[rows]`` rank all need-scored areas (`order_and_ranks`); ``eligible[rows]`` flags the areas at
    positions `columns` of those. Writes ``counts[rows]`` (eligible per draw) and ``ranks[rows]``: the same ranks
    as ranking the eligible areas' need again, from a running count over the need ranks instead of a second sort.
    """
    rows = _rows(rows, len(need_ranks))
    kernels().eligible_ranks_into(need_ranks, np.asarray(columns, np.intp), eligible, rows, counts, ranks)
