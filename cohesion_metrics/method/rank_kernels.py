"""Compiled loops of the framework's Monte Carlo (numba): score each draw, order it, and rank the priority.

Each kernel works on a draws x areas matrix, row by row, releases the GIL (so `uncertainty`'s two threads use both
cores) and is cached on disk after its first compilation. The scores are float32 sums taken in a fixed order (no
BLAS, no fast-math reassociation), so a draw does not depend on which BLAS kernel a CPU picks (that made one
LSOA's percentile differ by 0.95 places between two machines); it is checked here, not yet across CPUs.
`tests/method/test_rank_kernels.py` checks each kernel against the numpy expression its docstring gives.
"""

from __future__ import annotations

import os
from pathlib import Path

import numba
import numpy as np

from cohesion_metrics.settings import CACHE_DIRS, writable_dir

#: Radix digit width: three passes of 11, 11 and 10 bits cover a 32-bit key with 2,048 counters (in L1 cache).
DIGIT_BITS = 11
_BUCKETS = 1 << DIGIT_BITS
_SHIFTS = (0, DIGIT_BITS, 2 * DIGIT_BITS)
_MASK = np.uint64(_BUCKETS - 1)


def _can_cache() -> bool:
    """Whether compiled kernels can be cached: beside this file, or else in the project's run-time cache folder."""
    if os.environ.get("NUMBA_CACHE_DIR") or os.access(Path(__file__).parent, os.W_OK):
        return True
    folder = writable_dir(*(d / "numba" for d in CACHE_DIRS))
    if folder is not None:
        numba.config.CACHE_DIR = str(folder)  # type: ignore[attr-defined]
    return folder is not None


_kernel = numba.njit(nogil=True, cache=_can_cache())


@_kernel
def axis_scores_into(
    values: np.ndarray, available: np.ndarray, pillar_of: np.ndarray, weights: np.ndarray, out: np.ndarray
) -> None:
    """Write each draw's axis score per area: pillar means over available indicators, then over available pillars.

    `values` and `available` are indicators x areas (float32; a missing value is 0 in `values` and 0 in
    `available`, else 1), `pillar_of` each indicator's pillar (0..P-1), `weights` draws x indicators (float32,
    summing to 1 in each draw). With W_p a pillar's weight, S_p and A_p its weighted sums of values and of
    availability, the score is sum_p W_p S_p / A_p over the pillars with A_p > 0, divided by the sum of those
    W_p (NaN where there is none): `composite.aggregate_normalised`'s two-level rule. Sums run over indicators in
    order, area by area in independent lanes, so the result does not depend on vector width.
    """
    n_indicators, n = values.shape
    n_pillars = pillar_of.max() + 1 if n_indicators else 0
    s = np.empty(n, np.float32)
    a = np.empty(n, np.float32)
    num = np.empty(n, np.float32)
    den = np.empty(n, np.float32)
    for d in range(weights.shape[0]):
        num[:] = 0
        den[:] = 0
        for p in range(n_pillars):
            s[:] = 0
            a[:] = 0
            pillar_weight = np.float32(0)
            for j in range(n_indicators):
                w = weights[d, j]
                if pillar_of[j] != p or w == 0:
                    continue
                pillar_weight += w
                for i in range(n):
                    s[i] += w * values[j, i]
                    a[i] += w * available[j, i]
            if pillar_weight == 0:
                continue
            for i in range(n):
                if a[i] > 0:
                    num[i] += pillar_weight * (s[i] / a[i])
                    den[i] += pillar_weight
        for i in range(n):
            out[d, i] = num[i] / den[i] if den[i] > 0 else np.nan


@_kernel
def order_and_ranks_into(
    scores: np.ndarray, columns: np.ndarray, order: np.ndarray, ranks: np.ndarray, rows: np.ndarray
) -> None:
    """Per row r of `scores` (float32, draws x areas): write the order of the areas at `columns` and their ranks.

    ``order[r]`` lists positions in `columns` from the highest score to the lowest, ties by position, as
    ``np.argsort(key[r, columns], kind="stable")`` for the order-preserving integer key of the float32 score
    (non-negative floats' magnitude bits flipped, negative floats as they are); ``ranks[rows[r], j]`` is column
    j's place in it, 1 first. An `order` with no rows is left alone (a caller that needs only the ranks). An LSD
    radix sort of (key, position) pairs packed in 64 bits; a pass whose digit is the same for every area is skipped.
    """
    n = columns.size
    keep_order = order.shape[0] > 0
    bits = scores.view(np.uint32)
    packed = np.empty(n, np.uint64)
    packed_out = np.empty(n, np.uint64)
    counts = np.empty(_BUCKETS, np.int64)
    for r in range(scores.shape[0]):
        for i in range(n):
            u = np.uint64(bits[r, columns[i]])
            key = u ^ ((np.uint64(1) - (u >> np.uint64(31))) * np.uint64(0x7FFFFFFF))
            packed[i] = (key << np.uint64(32)) | np.uint64(i)
        for shift in _SHIFTS:
            digit_shift = np.uint64(32 + shift)
            counts[:] = 0
            for i in range(n):
                counts[(packed[i] >> digit_shift) & _MASK] += 1
            if counts.max() == n:
                continue
            start = 0
            for b in range(_BUCKETS):
                c = counts[b]
                counts[b] = start
                start += c
            for i in range(n):
                b = (packed[i] >> digit_shift) & _MASK
                packed_out[counts[b]] = packed[i]
                counts[b] += 1
            packed, packed_out = packed_out, packed
        row = rows[r]
        for p in range(n):
            position = packed[p] & np.uint64(0xFFFFFFFF)
            if keep_order:
                order[r, p] = position
            ranks[row, position] = p + 1


@_kernel
def above_median_into(  # noqa: PLR0917 - numba kernels take their arrays by position
    scores: np.ndarray,
    columns: np.ndarray,
    order: np.ndarray,
    counted: np.ndarray,
    targets: np.ndarray,
    rows: np.ndarray,
    above: np.ndarray,
) -> bool:
    """Per row r: flag the areas at `targets` whose float32 score is above the row's median over those areas.

    `order` is the descending order of the areas at `columns` (`order_and_ranks_into`), `counted` flags which of
    those are targets. The median is the float32 mean of the two middle target values as an ascending sort places
    them, as ``np.mean(np.partition(x, [(m - 1) // 2, m // 2], axis=1)[:, [(m - 1) // 2, m // 2]], axis=1)``.
    Writes ``above[rows[r]]``; returns False, unfinished, if a target's score is NaN (where that median is
    undefined by the order).
    """
    m = targets.size
    first, second = m - 1 - (m - 1) // 2, m - 1 - m // 2  # the middle two, counted from the highest
    for r in range(scores.shape[0]):
        seen = 0
        low = high = np.float32(0)
        for p in range(order.shape[1]):
            position = order[r, p]
            if not counted[position]:
                continue
            if seen == first:
                low = scores[r, columns[position]]
            if seen == second:
                high = scores[r, columns[position]]
            seen += 1
            if seen > max(first, second):
                break
        median = np.float32(np.float32(low + high) / np.float32(2.0))
        row = rows[r]
        for j in range(m):
            value = scores[r, targets[j]]
            if np.isnan(value):
                return False
            above[row, j] = value > median
    return True


@_kernel
def eligible_ranks_into(  # noqa: PLR0917 - numba kernels take their arrays by position
    need_ranks: np.ndarray,
    columns: np.ndarray,
    eligible: np.ndarray,
    rows: np.ndarray,
    counts: np.ndarray,
    ranks: np.ndarray,
) -> None:
    """Per draw row: priority ranks that follow the need ranks, among the eligible areas.

    ``need_ranks[row]`` ranks n need areas (1 = most need, each rank once); the priority areas sit at positions
    `columns` of those and ``eligible[row]`` flags them. Eligible areas get 1..count in need order, the others
    count + 1: equal to ranking the eligible areas' need again. Counts the eligible at each need rank, then a
    running sum over the ranks. Writes ``counts[row]`` and ``ranks[row]`` for each row in `rows`.
    """
    n = need_ranks.shape[1]
    at_rank = np.zeros(n + 1, np.int32)
    for row in rows:
        at_rank[:] = 0
        for j in range(columns.size):
            if eligible[row, j]:
                at_rank[need_ranks[row, columns[j]]] = 1
        running = 0
        for k in range(n + 1):
            running += at_rank[k]
            at_rank[k] = running
        counts[row] = running
        for j in range(columns.size):
            ranks[row, j] = at_rank[need_ranks[row, columns[j]]] if eligible[row, j] else running + 1


@_kernel
def by_area_and_counts_into(  # noqa: PLR0917 - numba kernels take their arrays by position
    ranks: np.ndarray,
    top_n: int,
    top_third: np.ndarray,
    listed: np.ndarray,
    by_area: np.ndarray,
    counts: np.ndarray,
) -> None:
    """Copy the draws x areas `ranks` to `by_area` (areas x draws) in cache-sized tiles, counting top places.

    ``counts[0, a]`` is the number of draws in which area a ranks at most `top_n`, ``counts[1, a]`` at most
    ``top_third[d]`` of its draw d; where `listed` has a row per draw, only draws that list the area count (a
    1 x 1 `listed` counts every draw). As ``np.count_nonzero(ranks <= k, axis=0)``.
    """
    n_draws, n_areas = ranks.shape
    tile = 64
    every = listed.shape[0] == 1
    counts[:] = 0
    for d0 in range(0, n_draws, tile):
        for a0 in range(0, n_areas, tile):
            for d in range(d0, min(d0 + tile, n_draws)):
                third = top_third[d]
                for a in range(a0, min(a0 + tile, n_areas)):
                    rank = ranks[d, a]
                    by_area[a, d] = rank
                    if every or listed[d, a]:
                        counts[0, a] += rank <= top_n
                        counts[1, a] += rank <= third


def warm() -> None:
    """Compile (or load from the disk cache) every kernel for the array types the framework passes them.

    A first compilation takes seconds; `dev.py` calls this before the app or the tests start, so that no page
    or test waits for it.
    """
    scores = np.zeros((2, 4), np.float32)
    columns, rows = np.arange(4), np.arange(2)
    order = np.empty((2, 4), np.int32)
    flags = np.zeros((2, 4), np.bool_)
    for rank_type in (np.uint16, np.uint32):
        order_and_ranks_into(scores, columns, order, np.empty((2, 4), rank_type), rows)
    above_median_into(scores, columns, order, np.ones(4, np.bool_), columns, rows, flags)
    ranks = np.tile(np.arange(1, 5, dtype=np.uint16), (2, 1))
    counts = np.zeros((2, 4), np.int64)
    eligible_ranks_into(ranks, columns, flags, rows, np.zeros(2, np.int64), np.empty((2, 4), np.uint16))
    axis_scores_into(scores.T.copy(), scores.T.copy(), np.zeros(2, np.int64), scores, np.empty((2, 2), np.float32))
    for listed in (np.ones((1, 1), np.bool_), flags):
        by_area_and_counts_into(ranks, 1, np.ones(2, np.int64), listed, np.empty((4, 2), np.uint16), counts)
