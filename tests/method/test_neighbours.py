"""Statistical neighbours on a standardised profile, by hand on a tiny 2-D example."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from cohesion_metrics.errors import NeighbourInputError
from cohesion_metrics.method.neighbours import nearest_neighbours, standardise

# The corners of a unit square: each column has mean 0.5 and sd 0.5, so standardised coordinates are +/-1,
# sides have length 2 and diagonals 2 * sqrt(2).
SQUARE = pd.DataFrame({"x": [1.0, 0.0, 0.0, 1.0], "y": [1.0, 0.0, 1.0, 0.0]}, index=["D", "A", "C", "B"])


def test_standardise() -> None:
    z = standardise(SQUARE)
    assert z["x"].tolist() == [1.0, -1.0, -1.0, 1.0]
    assert list(standardise(SQUARE.assign(k=3.0)).columns) == ["x", "y"]


def test_square_with_ties_broken_by_code() -> None:
    out = nearest_neighbours(SQUARE, k=3)
    a = out[out["area_code"] == "A"]
    assert a["neighbour_code"].tolist() == ["B", "C", "D"]  # B and C tie at 2: code order
    assert a["distance"].tolist() == pytest.approx([2.0, 2.0, 2 * math.sqrt(2)])
    assert a["rank"].tolist() == [1, 2, 3]
    assert out["area_code"].drop_duplicates().tolist() == ["A", "B", "C", "D"]
    assert nearest_neighbours(SQUARE, k=1)["neighbour_code"].tolist() == ["B", "A", "A", "B"]


def test_scale_invariance_and_constant_columns() -> None:
    scaled = SQUARE.assign(y=SQUARE["y"] * 1000 + 7, flat=5.0)
    pd.testing.assert_frame_equal(nearest_neighbours(scaled, k=2), nearest_neighbours(SQUARE, k=2))


def test_unequal_scales_by_hand() -> None:
    profile = pd.DataFrame({"p": [0.0, 1.0, 2.0, 3.0], "q": [0.0, 0.0, 0.0, 40.0]}, index=["a", "b", "c", "d"])
    # sd(p) = sqrt(1.25); sd(q) = sqrt(300) (values 0, 0, 0, 40: mean 10, squares 100 * 3 + 900 = 1200, / 4)
    out = nearest_neighbours(profile, k=3).set_index(["area_code", "neighbour_code"])["distance"]
    assert out[("a", "b")] == pytest.approx(1 / math.sqrt(1.25))
    assert out[("a", "d")] == pytest.approx(math.hypot(3 / math.sqrt(1.25), 40 / math.sqrt(300)))
    assert nearest_neighbours(profile, k=1).set_index("area_code").loc["d", "neighbour_code"] == "c"


def test_k_larger_than_the_others_and_default_k() -> None:
    assert len(nearest_neighbours(SQUARE, k=10)) == 4 * 3
    rng = np.random.default_rng(0)
    boroughs = pd.DataFrame(rng.normal(size=(33, 5)), index=[f"E09{n:06d}" for n in range(1, 34)])
    out = nearest_neighbours(boroughs)
    assert len(out) == 33 * 5
    assert (out["area_code"] != out["neighbour_code"]).all()
    assert out.groupby("area_code")["distance"].apply(lambda d: d.is_monotonic_increasing).all()
    pd.testing.assert_frame_equal(out, nearest_neighbours(boroughs.sample(frac=1, random_state=1)))


def test_bad_inputs() -> None:
    with pytest.raises(NeighbourInputError, match=r"'C'.*'y'"):
        nearest_neighbours(SQUARE.assign(y=[1.0, 0.0, np.nan, 0.0]))
    with pytest.raises(NeighbourInputError, match="more than once"):
        nearest_neighbours(SQUARE.rename(index={"B": "A"}))
    with pytest.raises(NeighbourInputError, match="k"):
        nearest_neighbours(SQUARE, k=0)
    with pytest.raises(NeighbourInputError, match="two areas"):
        nearest_neighbours(SQUARE.iloc[:1])
