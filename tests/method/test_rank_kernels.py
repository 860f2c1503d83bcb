"""The compiled Monte Carlo loops against the numpy expressions they replace (`method/rank_kernels`, `ranks`)."""

from __future__ import annotations

import numpy as np
import pytest

from cohesion_metrics.method import rank_kernels
from cohesion_metrics.method.ranks import mark_above_median, order_and_ranks, rank_summary
from cohesion_metrics.method.uncertainty import composite_matrix


def _scores(seed: int, shape: tuple[int, int]) -> np.ndarray:
    rng = np.random.default_rng(seed)
    scores = rng.normal(size=shape).astype(np.float32)
    scores[:, ::5] = np.round(scores[:, ::5], 1)  # ties
    scores[0, :4] = [0.0, -0.0, np.inf, -np.inf]
    return scores


def test_order_and_ranks_of_some_columns_written_at_some_rows() -> None:
    scores = _scores(1, (6, 500))
    columns = np.sort(np.random.default_rng(2).choice(500, size=350, replace=False))
    rows = np.array([4, 0, 7, 2, 9, 5])
    ranks = np.zeros((10, 350), dtype=np.uint16)
    order, _ = order_and_ranks(scores, columns, ranks, rows)
    # The key: non-negative floats' magnitude bits flipped, so that ascending keys are descending scores.
    u = scores[:, columns].view(np.uint32)
    key = u ^ (((u >> np.uint32(31)) - np.uint32(1)) & np.uint32(0x7FFFFFFF))
    expected = np.argsort(key, axis=1, kind="stable")
    np.testing.assert_array_equal(order, expected)
    for r, row in enumerate(rows):
        assert (ranks[row, expected[r]] == np.arange(1, 351)).all()
    assert not ranks[[1, 3, 6, 8]].any()  # rows outside the block untouched


def test_axis_scores_follow_the_composite_rule_with_missing_values() -> None:
    rng = np.random.default_rng(3)
    x = rng.random((300, 7))
    x[rng.random(x.shape) < 0.2] = np.nan
    x[:5, :3] = np.nan  # a whole pillar missing
    x[5, :] = np.nan  # nothing at all
    pillar_of = np.array([0, 0, 0, 1, 1, 2, 2])
    member = np.eye(3, dtype=bool)[pillar_of]
    weights = rng.dirichlet(np.ones(7), size=11).astype(np.float32)
    present = ~np.isnan(x.T)
    out = np.empty((11, 300), dtype=np.float32)
    rank_kernels.axis_scores_into(
        np.where(present, x.T, 0).astype(np.float32), present.astype(np.float32), pillar_of, weights, out
    )
    expected = composite_matrix(x, member, weights.astype(float))
    assert np.isnan(out[:, 5]).all() and np.isnan(expected[:, 5]).all()
    np.testing.assert_allclose(out, expected, rtol=2e-6, atol=2e-7)


def test_axis_scores_are_the_same_bits_every_call() -> None:
    rng = np.random.default_rng(4)
    values = rng.random((9, 2000)).astype(np.float32)
    weights = rng.dirichlet(np.ones(9), size=3).astype(np.float32)
    pillar_of = np.array([0, 0, 0, 1, 1, 1, 2, 2, 2])
    runs = []
    for _ in range(2):
        out = np.empty((3, 2000), dtype=np.float32)
        rank_kernels.axis_scores_into(values, np.ones_like(values), pillar_of, weights, out)
        runs.append(out.view(np.uint32).copy())
    np.testing.assert_array_equal(*runs)


@pytest.mark.parametrize("size", [251, 250])
@pytest.mark.parametrize("with_nan", [False, True])
def test_above_median_of_a_subset_matches_np_partition(with_nan: bool, size: int) -> None:
    scores = _scores(5, (8, 400))
    scores[0, :4] = 0.25
    columns = np.arange(400)
    targets = np.sort(np.random.default_rng(6).choice(400, size=size, replace=False))
    if with_nan:  # np.partition places NaN last, the kernel's order does not: the fallback takes over
        scores[3, targets[7]] = np.nan
    order, _ = order_and_ranks(scores, columns)
    above = np.zeros((8, size), dtype=bool)
    mark_above_median(scores, columns, order, targets, above=above)
    values = scores[:, targets]
    mid = [(size - 1) // 2, size // 2]
    middle = np.partition(values, mid, axis=1)[:, mid]
    np.testing.assert_array_equal(above, values > np.mean(middle, axis=1, keepdims=True))


@pytest.mark.parametrize("with_listed", [False, True])
def test_rank_summary_matches_numpy(with_listed: bool) -> None:
    rng = np.random.default_rng(9)
    ranks = np.stack([rng.permutation(np.arange(1, 301)) for _ in range(101)]).astype(np.uint16)
    third = rng.integers(50, 150, size=101)
    listed = rng.random(ranks.shape) < 0.6 if with_listed else None
    quantiles, top10, top_third = rank_summary(ranks, (0.05, 0.5, 0.95), 10, third, listed)
    np.testing.assert_allclose(quantiles, np.quantile(ranks, (0.05, 0.5, 0.95), axis=0), rtol=1e-12)
    keep = np.ones(ranks.shape, dtype=bool) if listed is None else listed
    np.testing.assert_array_equal(top10, np.count_nonzero((ranks <= 10) & keep, axis=0))
    np.testing.assert_array_equal(top_third, np.count_nonzero((ranks <= third[:, None]) & keep, axis=0))
