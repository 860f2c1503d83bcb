"""Composite need index: normalisation, weights, aggregation, coverage and bad input, checked by hand."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from cohesion_metrics.errors import (
    CompositeInputError,
    EmptyIndicatorError,
    IndicatorValueError,
    SpecError,
    UnknownIdError,
    WeightError,
)
from cohesion_metrics.method.composite import EngineSettings, aggregate_normalised, compute_composite, resolve_weights
from cohesion_metrics.method.normalise import IndicatorSpec, exponential_transform, normalise

AREAS = ["A", "B", "C", "D", "E"]


def one(
    values: list[float], *, higher: bool = True, treatment: str = "none"
) -> tuple[pd.DataFrame, list[IndicatorSpec]]:
    frame = pd.DataFrame({"x": values}, index=AREAS[: len(values)])
    return frame, [IndicatorSpec("x", "p", higher, treatment)]  # type: ignore[arg-type]


# --- normalisation -----------------------------------------------------------------------------------------


def test_rank_is_percentile_rank_with_ties_averaged() -> None:
    frame, specs = one([1, 2, 2, 4, 11])
    # average ranks 1, 2.5, 2.5, 4, 5 -> (r - 1) / 4
    assert normalise(frame, specs, "rank")["x"].tolist() == [0.0, 0.375, 0.375, 0.75, 1.0]


def test_minmax() -> None:
    frame, specs = one([1, 2, 2, 4, 11])
    assert normalise(frame, specs, "minmax")["x"].tolist() == pytest.approx([0.0, 0.1, 0.1, 0.3, 1.0])


def test_zscore_uses_population_sd() -> None:
    frame, specs = one([1, 2, 2, 4, 11])
    # mean 4, squared deviations 9 + 4 + 4 + 0 + 49 = 66, variance 66 / 5 = 13.2
    expected = [-3 / math.sqrt(13.2), -2 / math.sqrt(13.2), -2 / math.sqrt(13.2), 0.0, 7 / math.sqrt(13.2)]
    assert normalise(frame, specs, "zscore")["x"].tolist() == pytest.approx(expected)


def test_lower_is_more_need_is_flipped() -> None:
    frame, specs = one([1, 2, 2, 4, 11], higher=False)
    assert normalise(frame, specs, "rank")["x"].tolist() == [1.0, 0.625, 0.625, 0.25, 0.0]
    assert normalise(frame, specs, "minmax")["x"].tolist() == pytest.approx([1.0, 0.9, 0.9, 0.7, 0.0])


def test_missing_values_stay_missing_and_do_not_count() -> None:
    frame, specs = one([1, np.nan, 3, 2])
    out = normalise(frame, specs, "rank")["x"]
    assert out.isna().tolist() == [False, True, False, False]
    assert out.dropna().tolist() == [0.0, 1.0, 0.5]


def test_constant_indicator() -> None:
    frame, specs = one([3, 3, 3, 3])
    assert normalise(frame, specs, "rank")["x"].tolist() == [0.5] * 4
    assert normalise(frame, specs, "minmax")["x"].tolist() == [0.5] * 4
    assert normalise(frame, specs, "zscore")["x"].tolist() == [0.0] * 4


def test_log_treatment_for_minmax_not_rank() -> None:
    frame, specs = one([0.0, math.e - 1, math.e**2 - 1], treatment="log")
    assert normalise(frame, specs, "minmax")["x"].tolist() == pytest.approx([0.0, 0.5, 1.0])
    assert normalise(frame, specs, "rank")["x"].tolist() == [0.0, 0.5, 1.0]


def test_winsorise_treatment_clips_at_quantiles() -> None:
    frame, specs = one([1, 2, 3, 4, 5], treatment="winsorise")
    # quantiles 0.25 and 0.75 of 1..5 are 2 and 4 -> 2, 2, 3, 4, 4
    out = normalise(frame, specs, "minmax", winsor_limits=(0.25, 0.75))["x"]
    assert out.tolist() == pytest.approx([0.0, 0.0, 0.5, 1.0, 1.0])


def test_log_of_negative_value_is_a_named_error() -> None:
    frame, specs = one([1.0, -2.0, 3.0], treatment="log")
    with pytest.raises(IndicatorValueError, match=r"'x'.*'B'"):
        normalise(frame, specs, "zscore")


def test_rank_unchanged_when_an_indicator_is_scaled() -> None:
    rng = np.random.default_rng(7)
    for _ in range(20):
        frame = pd.DataFrame(rng.lognormal(size=(50, 3)), columns=["a", "b", "c"])
        frame = frame.mask(rng.random(frame.shape) < 0.1)
        specs = [IndicatorSpec("a", "p"), IndicatorSpec("b", "p", False), IndicatorSpec("c", "q")]
        scaled = frame.assign(b=frame["b"] * rng.choice([1e-3, 3.7, 1e6]))
        pd.testing.assert_frame_equal(normalise(frame, specs, "rank"), normalise(scaled, specs, "rank"))


# --- weights -----------------------------------------------------------------------------------------------

SPECS3 = [IndicatorSpec("a1", "A"), IndicatorSpec("a2", "A"), IndicatorSpec("b1", "B")]


def test_weight_presets() -> None:
    assert resolve_weights(SPECS3, "equal_pillars").tolist() == [0.25, 0.25, 0.5]
    assert resolve_weights(SPECS3, "equal_indicators").tolist() == pytest.approx([1 / 3] * 3)


def test_user_weights_are_renormalised() -> None:
    assert resolve_weights(SPECS3, {"a1": 1, "a2": 1, "b1": 2}).tolist() == [0.25, 0.25, 0.5]
    assert resolve_weights(SPECS3, {"A": 3, "B": 1}, by="pillar").tolist() == [0.375, 0.375, 0.25]
    assert resolve_weights(SPECS3, {"a1": 0, "a2": 5, "b1": 5}).tolist() == [0.0, 0.5, 0.5]


@pytest.mark.parametrize(
    ("weights", "by", "error", "named"),
    [
        ({"a1": 1, "a2": 1, "b1": 1, "zz": 1}, "indicator", UnknownIdError, "zz"),
        ({"A": 1, "Q": 1}, "pillar", UnknownIdError, "Q"),
        ({"a1": 1, "a2": 1}, "indicator", WeightError, "b1"),
        ({"a1": 1, "a2": -1, "b1": 1}, "indicator", WeightError, "a2"),
        ({"a1": 1, "a2": float("nan"), "b1": 1}, "indicator", WeightError, "a2"),
        ({"a1": 1, "a2": float("inf"), "b1": 1}, "indicator", WeightError, "a2"),
        ({"a1": 0, "a2": 0, "b1": 0}, "indicator", WeightError, "all"),
        ("equal_everything", "indicator", WeightError, "equal_everything"),
    ],
)
def test_bad_weights_are_named_errors(weights: object, by: str, error: type[Exception], named: str) -> None:
    with pytest.raises(error, match=named):
        resolve_weights(SPECS3, weights, by=by)  # type: ignore[arg-type]


# --- aggregation, missing values, coverage -----------------------------------------------------------------

NORMALISED = pd.DataFrame(
    {
        "a1": [0.2, 0.8, np.nan, 0.5],
        "a2": [0.4, np.nan, np.nan, 0.1],
        "b1": [0.6, 0.2, 0.9, np.nan],
    },
    index=["X", "Y", "Z", "W"],
)


def test_two_level_aggregation_with_missing_values() -> None:
    result = aggregate_normalised(NORMALISED, SPECS3, resolve_weights(SPECS3))
    # X: A = (0.2 + 0.4) / 2 = 0.3, B = 0.6, composite 0.45. Y: a2's weight passes to a1: A = 0.8, B = 0.2.
    # Z: A missing, composite = B = 0.9. W: B missing, composite = A = 0.3.
    assert result.pillars["A"].tolist()[:2] == pytest.approx([0.3, 0.8])
    assert np.isnan(result.pillars.loc["Z", "A"])
    assert result.composite.tolist() == pytest.approx([0.45, 0.5, 0.9, 0.3])
    assert result.coverage.tolist() == [1.0, 0.75, 0.5, 0.5]
    assert not result.flagged.any()
    assert result.rank.tolist() == [3, 2, 1, 4]


def test_area_below_minimum_coverage_is_flagged_not_scored() -> None:
    result = aggregate_normalised(NORMALISED, SPECS3, resolve_weights(SPECS3), min_coverage=0.6)
    assert result.flagged.tolist() == [False, False, True, True]
    assert result.composite.isna().tolist() == [False, False, True, True]
    assert result.rank.tolist()[:2] == [2, 1]
    assert result.rank.isna().tolist() == [False, False, True, True]
    assert "50%" in result.flag_reason["Z"] and "a1, a2" in result.flag_reason["Z"]
    assert result.flag_reason["X"] == ""
    assert result.pillars.loc["Z", "B"] == 0.9  # pillar scores are still returned
    frame = result.to_frame()
    assert {"composite", "composite_exp", "rank", "coverage", "flagged", "flag_reason", "pillar__A"} <= set(frame)


def test_zero_weight_indicator_counts_for_nothing() -> None:
    weights = resolve_weights(SPECS3, {"a1": 1, "a2": 0, "b1": 1})
    result = aggregate_normalised(NORMALISED, SPECS3, weights)
    # X: A = a1 = 0.2 (a2 has weight 0), composite (0.2 + 0.6) / 2. Y lacks only a2, so its coverage is full.
    assert result.composite["X"] == pytest.approx(0.4)
    assert result.coverage["Y"] == 1.0
    assert result.pillars.loc["W", "A"] == 0.5


def test_compute_composite_end_to_end() -> None:
    values = pd.DataFrame(
        {"need": [1.0, 2.0, 3.0], "assets": [30.0, 10.0, 20.0]}, index=["E01000001", "E01000002", "E01000003"]
    )
    specs = [IndicatorSpec("need", "urgent_needs"), IndicatorSpec("assets", "inclusive_spaces", False)]
    result = compute_composite(values, specs)
    # rank normalisation: need 0, 0.5, 1; assets flipped 0, 1, 0.5 -> composite 0, 0.75, 0.75
    assert result.composite.tolist() == pytest.approx([0.0, 0.75, 0.75])
    assert result.rank.tolist() == [3, 1, 1]
    assert result.method == "rank"
    assert result.pillar_weights.tolist() == [0.5, 0.5]


# --- exponential transform ---------------------------------------------------------------------------------


def test_exponential_transform_by_hand() -> None:
    scores = pd.Series([0.1, 0.5, 0.9, 0.3, np.nan])
    out = exponential_transform(scores)
    # ascending ranks 1, 3, 4, 2 of n = 4 -> R = 0.25, 0.75, 1, 0.5
    expected = [-23 * math.log(1 - r * (1 - math.exp(-100 / 23))) for r in (0.25, 0.75, 1.0, 0.5)]
    assert out.iloc[:4].tolist() == pytest.approx(expected)
    assert out.iloc[2] == pytest.approx(100.0)
    assert out.iloc[3] == pytest.approx(15.647, abs=1e-3)
    assert np.isnan(out.iloc[4])


def test_composite_exp_is_beside_the_composite() -> None:
    values = pd.DataFrame({"x": [1.0, 5.0, 2.0, 8.0], "y": [2.0, 1.0, 4.0, 3.0]}, index=list("ABCD"))
    specs = [IndicatorSpec("x", "p"), IndicatorSpec("y", "p")]
    result = compute_composite(values, specs)
    # x ranks -> 0, 2/3, 1/3, 1; y ranks -> 1/3, 0, 1, 2/3; mean of the two
    assert result.composite.tolist() == pytest.approx([1 / 6, 1 / 3, 2 / 3, 5 / 6])
    # one pillar: composite_exp is the exponential transform of that pillar's score
    pd.testing.assert_series_equal(
        result.composite_exp, exponential_transform(result.pillars["p"]).rename("composite_exp")
    )


# --- monotonicity ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("method", ["rank", "minmax", "zscore"])
def test_raising_need_never_lowers_the_area_score(method: str) -> None:
    rng = np.random.default_rng(11)
    engine = EngineSettings(method=method, min_coverage=0)  # type: ignore[arg-type]
    specs = [
        IndicatorSpec("a", "P1"),
        IndicatorSpec("b", "P1", False),
        IndicatorSpec("c", "P2", True, "log"),
        IndicatorSpec("d", "P3"),
    ]
    for _ in range(25):
        values = pd.DataFrame(rng.lognormal(size=(40, 4)), columns=list("abcd"))
        values = values.mask(rng.random(values.shape) < 0.1)
        area, col = int(rng.integers(40)), "abcd"[int(rng.integers(4))]
        if np.isnan(values.iloc[area][col]):
            continue
        before = compute_composite(values, specs, engine=engine)
        step = rng.uniform(0.01, 3)
        raised = values.copy()
        raised.iloc[area, values.columns.get_loc(col)] += -step if col == "b" else step
        if col == "b":
            raised.iloc[area, 1] = max(raised.iloc[area, 1], 1e-6)
        after = compute_composite(raised, specs, engine=engine)
        assert after.composite.iloc[area] >= before.composite.iloc[area] - 1e-12


# --- bad input ---------------------------------------------------------------------------------------------


def test_spec_for_unknown_indicator() -> None:
    values = pd.DataFrame({"a1": [1.0, 2.0]})
    with pytest.raises(UnknownIdError, match="a2"):
        compute_composite(values, [IndicatorSpec("a1", "A"), IndicatorSpec("a2", "A")])


def test_indicator_with_all_values_missing() -> None:
    values = pd.DataFrame({"a1": [1.0, 2.0], "b1": [np.nan, np.nan]})
    with pytest.raises(EmptyIndicatorError, match="b1"):
        compute_composite(values, [IndicatorSpec("a1", "A"), IndicatorSpec("b1", "B")])


def test_other_bad_inputs() -> None:
    values = pd.DataFrame({"a1": [1.0, 2.0], "t": ["x", "y"], "i": [1.0, np.inf]}, index=["P", "Q"])
    with pytest.raises(IndicatorValueError, match="'t'"):
        compute_composite(values, [IndicatorSpec("t", "A")])
    with pytest.raises(IndicatorValueError, match=r"'i'.*'Q'"):
        compute_composite(values, [IndicatorSpec("i", "A")])
    with pytest.raises(SpecError, match="a1"):
        compute_composite(values, [IndicatorSpec("a1", "A"), IndicatorSpec("a1", "B")])
    with pytest.raises(SpecError):
        compute_composite(values, [])
    with pytest.raises(SpecError, match="cube"):
        IndicatorSpec("a1", "A", True, "cube")  # type: ignore[arg-type]
    with pytest.raises(CompositeInputError, match="median"):
        compute_composite(values, [IndicatorSpec("a1", "A")], engine=EngineSettings(method="median"))  # type: ignore[arg-type]
    with pytest.raises(IndicatorValueError, match="more than once"):
        compute_composite(pd.DataFrame({"a1": [1.0, 2.0]}, index=["P", "P"]), [IndicatorSpec("a1", "A")])
