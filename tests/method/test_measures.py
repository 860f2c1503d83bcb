"""Need, capacity, hazard and priority on tiny frames, checked by hand: the priority rule, shares, hazard weight."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from cohesion_metrics.errors import CompositeInputError
from cohesion_metrics.method import framework
from cohesion_metrics.method.measures import measures_with_uncertainty, priority_scores
from cohesion_metrics.method.normalise import IndicatorSpec
from cohesion_metrics.method.ranks import dense_ranks
from cohesion_metrics.method.uncertainty import DrawSettings

AREAS = list("ABCDEF")


def _series(values: list[float]) -> pd.Series:
    return pd.Series(values, index=AREAS, dtype="float64")


NEED = _series([0.9, 0.8, 0.7, 0.6, 0.5, 0.4])
CAPACITY = _series([0.1, 0.9, 0.2, 0.3, 0.8, 0.7])
HAZARD = _series([0.0, 1.0, 1.0, 0.2, 0.5, np.nan])


def test_priority_is_need_among_areas_below_median_capacity() -> None:
    # Median capacity = (0.3 + 0.7) / 2 = 0.5: A, C and D are below it; B, E and F are not priorities.
    priority = priority_scores(NEED, CAPACITY, HAZARD)
    assert priority[["A", "C", "D"]].tolist() == [0.9, 0.7, 0.6]
    assert priority[["B", "E", "F"]].isna().all()


def test_capacity_never_lowers_an_eligible_areas_need_rank() -> None:
    base = priority_scores(NEED, CAPACITY, HAZARD).rank(ascending=False)
    # A's capacity rises almost to the median: it stays eligible and keeps its rank; so do the others.
    more = CAPACITY.copy()
    more["A"] = 0.49
    moved = priority_scores(NEED, more, HAZARD).rank(ascending=False)
    assert moved.dropna().to_dict() == base.dropna().to_dict() == {"A": 1.0, "C": 2.0, "D": 3.0}
    # Among the eligible, the priority order is exactly the need order.
    eligible = base.dropna().index
    assert list(base[eligible].sort_values().index) == list(NEED[eligible].sort_values(ascending=False).index)


def test_an_area_at_the_median_is_not_a_priority() -> None:
    capacity = _series([0.1, 0.2, 0.5, 0.5, 0.8, 0.9])  # median 0.5: C and D sit on it
    priority = priority_scores(NEED, capacity, HAZARD)
    assert priority.dropna().index.tolist() == ["A", "B"]


def test_hazard_weight_blends_hazard_into_eligible_areas_only() -> None:
    priority = priority_scores(NEED, CAPACITY, HAZARD, hazard_weight=0.5)
    # (1 - 0.5) * need + 0.5 * hazard: A 0.45, C 0.85, D 0.40; B, E, F still not priorities.
    assert priority["A"] == pytest.approx(0.45)
    assert priority["C"] == pytest.approx(0.85)
    assert priority["D"] == pytest.approx(0.40)
    assert priority[["B", "E", "F"]].isna().all()
    # C now comes first: hazard can reorder the list, never add an area above the median capacity.
    assert priority.idxmax() == "C"


def test_eligible_area_without_hazard_keeps_its_need() -> None:
    capacity = _series([0.9, 0.8, 0.7, 0.6, 0.5, 0.1])  # F is eligible and has no hazard score
    priority = priority_scores(NEED, capacity, HAZARD, hazard_weight=0.3)
    assert priority["F"] == pytest.approx(0.4)


@pytest.mark.parametrize("weight", [-0.1, 0.51, 1.0])
def test_hazard_weight_out_of_range(weight: float) -> None:
    with pytest.raises(CompositeInputError, match="hazard weight"):
        priority_scores(NEED, CAPACITY, HAZARD, hazard_weight=weight)


def _one_indicator_per_axis(n: int = 12) -> tuple[pd.DataFrame, list[IndicatorSpec]]:
    """n areas; need falls with the area number, capacity rises with it (a fixed order under any weights)."""
    index = [f"A{k:02d}" for k in range(n)]
    values = pd.DataFrame(
        {
            "need_x": np.arange(n, 0, -1, dtype=float),  # A00 most need
            "spaces_x": np.arange(n, dtype=float),  # higher = more capacity: A00 least capacity
            "heat_x": np.arange(n, dtype=float),  # A11 most exposed
        },
        index=index,
    )
    specs = [
        IndicatorSpec("need_x", "urgent_needs", True),
        IndicatorSpec("spaces_x", "inclusive_spaces", False),
        IndicatorSpec("heat_x", "hazard_heat", True),
    ]
    return values, specs


def test_shares_and_intervals_by_hand() -> None:
    """One indicator per axis and one normalisation: every draw orders the areas the same way, so shares are 0 or 1."""
    values, specs = _one_indicator_per_axis()
    _, out = measures_with_uncertainty(
        values, specs, framework.AXES, draws=DrawSettings(n_draws=50, methods=("rank",), seed=1)
    )
    # Need: A00..A09 are always in the top 10, A10 and A11 never; the top third of 12 is the first 4.
    assert out["need_top10_share"].tolist() == [1.0] * 10 + [0.0] * 2
    assert out["need_top_third_share"].tolist() == [1.0] * 4 + [0.0] * 8
    assert out["need_rank"].tolist() == list(range(1, 13))
    assert (out["need_rank_p05"] == out["need_rank_p95"]).all()
    assert (out["need_stability"] == "stable").all()
    # Capacity rank 1 = least capacity: A00.
    assert out["capacity_rank"].tolist() == list(range(1, 13))
    # Priority: capacity below the median (A00..A05 of 12) are eligible, ranked by need; top third of 6 eligible = 2.
    assert out["priority_rank"].tolist()[:6] == [1, 2, 3, 4, 5, 6]
    assert out["priority"].iloc[6:].isna().all()
    assert out["priority_top10_share"].tolist() == [1.0] * 6 + [0.0] * 6
    assert out["priority_top_third_share"].tolist() == [1.0] * 2 + [0.0] * 10
    assert out["priority_rank_p95"].iloc[:6].tolist() == [1, 2, 3, 4, 5, 6]
    assert out["priority_rank_p95"].iloc[6:].isna().all()
    # Hazard: base rank only, 1 = most exposed (A11).
    assert out["hazard_rank"].iloc[-1] == 1


def test_hazard_weight_changes_the_priority_in_the_draws_too() -> None:
    values, specs = _one_indicator_per_axis()
    _, plain = measures_with_uncertainty(
        values, specs, framework.AXES, draws=DrawSettings(n_draws=20, methods=("rank",))
    )
    _, blended = measures_with_uncertainty(
        values, specs, framework.AXES, draws=DrawSettings(n_draws=20, methods=("rank",)), hazard_weight=0.5
    )
    # Need and hazard run opposite ways, so with w = 0.5 the eligible areas tie at 0.5 ... except by rounding:
    # need pct (11 - k) / 11 and hazard pct k / 11 give exactly 0.5 for every eligible area.
    assert blended["priority"].dropna().round(12).unique().tolist() == [0.5]
    assert plain["priority"].dropna().is_monotonic_decreasing
    assert blended.attrs["hazard_weight"] == 0.5


def test_dense_ranks_match_an_argsort_including_negative_scores() -> None:
    rng = np.random.default_rng(3)
    scores = rng.normal(size=(7, 500))
    expected = np.argsort(np.argsort(-scores, axis=1), axis=1) + 1
    assert (dense_ranks(scores) == expected).all()
    assert dense_ranks(np.array([[0.5, -1.0, 2.0]])).tolist() == [[2, 3, 1]]


def test_stability_labels_count_places_not_shares() -> None:
    from cohesion_metrics.method.measures import stability_in_places

    labels = stability_in_places(np.array([0, 5, 5.5, 20, 21, np.nan]))
    assert labels.tolist() == ["stable", "stable", "fairly stable", "fairly stable", "uncertain", ""]
