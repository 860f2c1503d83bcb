"""Monte Carlo rank uncertainty: building blocks by hand, determinism, agreement with the composite, bad input."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest

from cohesion_metrics.errors import CompositeInputError
from cohesion_metrics.method.composite import (
    aggregate_normalised,
    compute_composite,
    pillar_membership,
    resolve_weights,
)
from cohesion_metrics.method.measures import measures_with_uncertainty
from cohesion_metrics.method.normalise import IndicatorSpec, normalise
from cohesion_metrics.method.ranks import dense_ranks, eligible_ranks, rank_quantiles, ranks_by_row
from cohesion_metrics.method.uncertainty import (
    DrawSettings,
    composite_matrix,
    composite_with_uncertainty,
    draw_weights,
    stability_label,
)


def rank_uncertainty(values: pd.DataFrame, specs: list[IndicatorSpec], **settings: Any) -> pd.DataFrame:
    """The rank-uncertainty frame of `composite_with_uncertainty`."""
    return composite_with_uncertainty(values, specs, draws=DrawSettings(**settings))[1]


SPECS = [
    IndicatorSpec("a1", "A"),
    IndicatorSpec("a2", "A", False),
    IndicatorSpec("a3", "A"),
    IndicatorSpec("b1", "B"),
    IndicatorSpec("b2", "B", True, "log"),
    IndicatorSpec("c1", "C", False, "winsorise"),
]


@pytest.fixture(scope="module")
def values() -> pd.DataFrame:
    rng = np.random.default_rng(3)
    frame = pd.DataFrame(rng.lognormal(size=(120, 6)), columns=[s.id for s in SPECS])
    frame.index = [f"E01{n:06d}" for n in range(120)]
    frame = frame.mask(rng.random(frame.shape) < 0.1)
    frame.iloc[5, [0, 1, 2, 3, 5]] = np.nan  # only b2 left: coverage 1/6, below the minimum, not scored
    frame.iloc[7, 3:5] = np.nan  # pillar B entirely missing
    return frame


def test_ranks_by_row() -> None:
    scores = np.array([[0.1, 0.9, 0.5], [0.7, 0.2, 0.3]])
    assert ranks_by_row(scores).tolist() == [[3, 1, 2], [1, 3, 2]]


def test_dense_ranks_order_negative_and_tied_scores_like_a_stable_argsort() -> None:
    rng = np.random.default_rng(5)
    scores = rng.normal(size=(7, 300)).astype(np.float32)
    scores[:, :40] = rng.choice(np.array([-1.5, -0.5, 0.5, 1.5], dtype=np.float32), size=(7, 40))  # ties
    expected = np.empty(scores.shape, dtype=np.int64)
    order = np.argsort(-scores, axis=1, kind="stable")  # ties broken by position
    np.put_along_axis(expected, order, np.arange(1, 301)[None, :].repeat(7, axis=0), axis=1)
    np.testing.assert_array_equal(dense_ranks(scores), expected)


def test_eligible_ranks_equal_ranking_the_eligible_need_scores_again() -> None:
    # The previous priority step: rank the eligible areas' need (others below every score), cap at count + 1.
    rng = np.random.default_rng(8)
    need = rng.choice(np.linspace(0, 1, 50), size=(9, 400)).astype(np.float32)  # many ties
    columns = np.sort(rng.choice(400, size=300, replace=False))  # the areas with a capacity score
    eligible = rng.random((9, 300)) < 0.5
    score = need[:, columns]
    previous = np.minimum(
        dense_ranks(np.where(eligible, score, score.min() - 1.0)), (eligible.sum(axis=1) + 1)[:, None]
    )
    counts, ranks = np.zeros(9, dtype=np.int64), np.zeros((9, 300), dtype=np.uint16)
    eligible_ranks(dense_ranks(need), columns, eligible, counts=counts, ranks=ranks)
    np.testing.assert_array_equal(ranks, previous)
    np.testing.assert_array_equal(counts, eligible.sum(axis=1))


def test_rank_quantiles_match_numpy_quantile() -> None:
    ranks = np.random.default_rng(6).integers(1, 500, size=(101, 40))
    np.testing.assert_allclose(
        rank_quantiles(ranks, (0.05, 0.5, 0.95)), np.quantile(ranks, (0.05, 0.5, 0.95), axis=0), rtol=1e-12
    )


def test_rank_quantiles_interpolate_linearly() -> None:
    ranks = np.array([[1, 9], [2, 9], [3, 9], [4, 9], [5, 9]])
    # positions 0.05 * 4 = 0.2, 2, 3.8 over the sorted ranks 1..5
    np.testing.assert_allclose(rank_quantiles(ranks, (0.05, 0.5, 0.95)), [[1.2, 9], [3, 9], [4.8, 9]])


def test_stability_labels_by_width_share() -> None:
    labels = stability_label(np.array([0, 10, 10.5, 25, 26]), 100)
    assert labels.tolist() == ["stable", "stable", "fairly stable", "fairly stable", "uncertain"]


def test_draw_weights() -> None:
    base = np.array([0.5, 0.0, 0.3, 0.2])
    draws = draw_weights(base, 20_000, 100.0, np.random.default_rng(0))
    assert (draws[:, 1] == 0).all()
    assert (draws[:, [0, 2, 3]] > 0).all()
    assert draws.sum(axis=1) == pytest.approx(np.ones(20_000))
    assert draws.mean(axis=0) == pytest.approx(base, abs=0.002)
    # Dirichlet sd sqrt(w (1 - w) / (c + 1)) for w = 0.5, c = 100
    assert draws[:, 0].std() == pytest.approx(np.sqrt(0.25 / 101), rel=0.05)


@pytest.mark.parametrize("method", ["rank", "minmax", "zscore"])
def test_composite_matrix_matches_the_composite(values: pd.DataFrame, method: str) -> None:
    normalised = normalise(values, SPECS, method)  # type: ignore[arg-type]
    _, member = pillar_membership(SPECS)
    draws = draw_weights(resolve_weights(SPECS).to_numpy(), 4, 5.0, np.random.default_rng(1))
    matrix = composite_matrix(normalised.to_numpy(), member, draws)
    for row, w in enumerate(draws):
        weights = pd.Series(w, index=[s.id for s in SPECS])
        expected = aggregate_normalised(normalised, SPECS, weights, min_coverage=0).composite
        np.testing.assert_allclose(matrix[row], expected.to_numpy(), rtol=1e-12, atol=1e-12)


def test_same_seed_same_output_other_seed_other_output(values: pd.DataFrame) -> None:
    first = rank_uncertainty(values, SPECS, n_draws=200, seed=42)
    again = rank_uncertainty(values, SPECS, n_draws=200, seed=42)
    other = rank_uncertainty(values, SPECS, n_draws=200, seed=43)
    pd.testing.assert_frame_equal(first, again)
    assert not first["rank_median"].equals(other["rank_median"]) or not first["rank_p05"].equals(other["rank_p05"])
    generator = rank_uncertainty(values, SPECS, n_draws=200, seed=np.random.default_rng(42))
    pd.testing.assert_frame_equal(first, generator)


def test_output_columns_flags_and_labels(values: pd.DataFrame) -> None:
    out = rank_uncertainty(values, SPECS, n_draws=300, seed=0)
    assert list(out.columns) == ["rank", "rank_median", "rank_p05", "rank_p95", "interval_width", "label"]
    assert out.loc["E01000005", "label"] == "not scored"
    assert np.isnan(out.loc["E01000005", "rank_median"])
    base = compute_composite(values, SPECS)
    scored = out[out["label"] != "not scored"]
    assert scored.index.tolist() == base.flagged.index[~base.flagged].tolist()
    assert (scored["rank_p05"] <= scored["rank_median"]).all()
    assert (scored["rank_median"] <= scored["rank_p95"]).all()
    assert scored["rank_p05"].min() >= 1
    assert scored["rank_p95"].max() <= len(scored)
    assert set(scored["label"]) <= {"stable", "fairly stable", "uncertain"}
    assert out.attrs["n_draws"] == 300


def test_tight_weights_and_one_method_reproduce_the_base_rank(values: pd.DataFrame) -> None:
    out = rank_uncertainty(values, SPECS, n_draws=50, concentration=1e12, methods=("rank",), seed=0)
    scored = out[out["label"] != "not scored"]
    assert scored["rank_median"].tolist() == scored["rank"].astype(float).tolist()
    assert (scored["interval_width"] == 0).all()
    assert (scored["label"] == "stable").all()


def test_more_weight_uncertainty_widens_intervals(values: pd.DataFrame) -> None:
    loose = rank_uncertainty(values, SPECS, n_draws=300, concentration=5, seed=0)
    tight = rank_uncertainty(values, SPECS, n_draws=300, concentration=1000, methods=("rank",), seed=0)
    assert loose["interval_width"].mean() > tight["interval_width"].mean()


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"n_draws": 0}, "n_draws"),
        ({"concentration": 0}, "concentration"),
        ({"concentration": float("nan")}, "concentration"),
        ({"methods": ()}, "methods"),
        ({"methods": ("rank", "median")}, "median"),
    ],
)
def test_bad_settings(values: pd.DataFrame, kwargs: dict[str, object], match: str) -> None:
    with pytest.raises(CompositeInputError, match=match):
        rank_uncertainty(values, SPECS, **kwargs)  # type: ignore[arg-type]


# ------------------------------------------- the framework's measures: exact agreement with the pre-speed-up code

MEASURES_GOLDEN = Path(__file__).parent / "golden" / "measures_small_seed7.csv"
MEASURE_SPECS = [
    IndicatorSpec("n1", "need_a"),
    IndicatorSpec("n2", "need_a", False, "log"),
    IndicatorSpec("n3", "need_b"),
    IndicatorSpec("c1", "cap_a", False),
    IndicatorSpec("c2", "cap_a", True, "winsorise"),
    IndicatorSpec("c3", "cap_b"),
    IndicatorSpec("h1", "haz"),
]
MEASURE_AXES = {"need": ("need_a", "need_b"), "capacity": ("cap_a", "cap_b"), "hazard": ("haz",)}


def measure_values() -> pd.DataFrame:
    """300 areas: missing values, areas with no capacity (need only), unscored areas and tied values."""
    rng = np.random.default_rng(11)
    frame = pd.DataFrame(rng.lognormal(size=(300, 7)), columns=[s.id for s in MEASURE_SPECS])
    frame.index = [f"E01{n:06d}" for n in range(300)]
    frame[["n3", "c3"]] = frame[["n3", "c3"]].round(1)  # ties
    frame = frame.mask(rng.random(frame.shape) < 0.08)
    frame.iloc[10:14, 3:6] = np.nan  # no capacity: need scored, no priority
    frame.iloc[20:22, :6] = np.nan  # hazard only: not scored
    return frame


def measures_now() -> pd.DataFrame:
    """The measures at hazard weights 0 and 0.3, 250 draws, seed 7, one frame."""
    parts = [
        measures_with_uncertainty(
            measure_values(), MEASURE_SPECS, MEASURE_AXES, hazard_weight=hw, draws=DrawSettings(n_draws=250, seed=7)
        )[1].assign(hazard_weight=hw)
        for hw in (0.0, 0.3)
    ]
    return pd.concat(parts).rename_axis("area_code").reset_index()


def test_measures_identical_to_the_code_before_the_speed_up() -> None:
    """The golden file was written by the code before the rank speed-up; regenerate only on purpose (UPDATE_GOLDEN=1)."""
    current = measures_now()
    if os.environ.get("UPDATE_GOLDEN"):
        current.to_csv(MEASURES_GOLDEN, index=False)
    golden = pd.read_csv(MEASURES_GOLDEN)
    assert list(current.columns) == list(golden.columns)
    assert current["priority_rank_p95"].notna().sum() > 200  # the fixture exercises the priority intervals
    for column in current.columns:
        if current[column].dtype.kind in "biufc" or str(current[column].dtype) == "Int64":
            np.testing.assert_array_equal(current[column].to_numpy(float, na_value=np.nan), golden[column], column)
        else:
            assert current[column].fillna("").tolist() == golden[column].fillna("").tolist(), column
