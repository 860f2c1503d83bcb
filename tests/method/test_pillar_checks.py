"""Pillar checks (item-rest correlation, Cronbach's alpha, iterative exclusion) against a hand calculation."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from cohesion_metrics.method.normalise import IndicatorSpec
from cohesion_metrics.method.pillar_checks import check_pillars, correlation_matrix, cronbach_alpha, excluded, item_rest

# Four areas, three indicators of one pillar (higher = more need), already in rank order: percentile ranks are
# a = (0, 1, 2, 3) / 3, b = (0, 2, 1, 3) / 3, c = (3, 2, 1, 0) / 3.
VALUES = pd.DataFrame({"a": [1, 2, 3, 4], "b": [1, 3, 2, 4], "c": [4, 3, 2, 1]}, index=list("WXYZ"), dtype=float)
SPECS = [IndicatorSpec(i, "connections", True) for i in "abc"]


def test_item_rest_by_hand() -> None:
    pct = VALUES.rank() - 1
    r = item_rest(pct / 3)
    # a with mean(b, c) = (3, 4, 2, 3) / 6: r = -1 / sqrt(5 * 2) = -0.3162.
    assert r["a"] == pytest.approx(-1 / math.sqrt(10))
    # c with mean(a, b) = (0, 3, 3, 6) / 6: r = -9 / sqrt(5 * 18) = -0.9487.
    assert r["c"] == pytest.approx(-9 / math.sqrt(90))
    # b with mean(a, c) = 0.5 everywhere: no correlation can be computed.
    assert np.isnan(r["b"])


def test_alpha_by_hand() -> None:
    pct = (VALUES.rank() - 1) / 3
    # a and b: item variances 5/36 each, their sum (0, 1, 1, 2) / 3 has variance 1/2 / ... = 2/9: alpha = 8/9.
    assert cronbach_alpha(pct[["a", "b"]]) == pytest.approx(8 / 9)
    # All three: the sum (3, 5, 4, 6) / 3 has variance 5/36, the items 3 x 5/36: alpha = 1.5 (1 - 3) = -3.
    assert cronbach_alpha(pct) == pytest.approx(-3.0)
    assert np.isnan(cronbach_alpha(pct[["a"]]))


def test_iterative_exclusion_drops_the_most_negative_first_and_stops() -> None:
    checks = check_pillars(VALUES, SPECS, "LSOA 2021").set_index("indicator")
    # Round 1: c (-0.95) is the most negative and goes; then a with b: r = 4 / 5 = +0.8, so nothing else goes.
    assert excluded(checks.reset_index()) == {"c"}
    assert checks.loc["c", "dropped_round"] == 1
    assert checks.loc["c", "item_rest_r"] == pytest.approx(-9 / math.sqrt(90))
    assert checks.loc["c", "reason"] == "item-rest correlation -0.95 at LSOA 2021: runs against its pillar"
    assert checks.loc["a", "item_rest_r"] == pytest.approx(0.8)
    assert checks.loc["b", "item_rest_r"] == pytest.approx(0.8)
    assert checks["pillar_alpha"].iloc[0] == pytest.approx(8 / 9)
    assert checks["pillar_alpha_all"].iloc[0] == pytest.approx(-3.0)
    assert checks.loc[["a", "b"], "reason"].eq("").all()


def test_orientation_is_applied_before_the_check() -> None:
    """An indicator where higher = less need is turned first: c oriented the other way runs with its pillar."""
    specs = [*SPECS[:2], IndicatorSpec("c", "connections", False)]
    checks = check_pillars(VALUES, specs, "Borough")
    assert excluded(checks) == set()


def test_single_indicator_pillars_stay_in_and_pillars_are_checked_apart() -> None:
    specs = [*SPECS, IndicatorSpec("d", "trust", True)]
    values = VALUES.assign(d=[2.0, 1.0, 4.0, 3.0])
    checks = check_pillars(values, specs, "Borough")
    row = checks.set_index("indicator").loc["d"]
    assert bool(row["in_default"]) and np.isnan(row["item_rest_r"]) and np.isnan(row["pillar_alpha"])
    assert excluded(checks) == {"c"}


def test_correlation_matrix_is_on_oriented_ranks() -> None:
    matrix = correlation_matrix(VALUES, SPECS, "connections")
    assert matrix.loc["a", "b"] == pytest.approx(0.8)
    assert matrix.loc["a", "c"] == pytest.approx(-1.0)
