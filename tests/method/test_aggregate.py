"""Ward and borough summaries: population-weighted mean, decile share and extent, by hand."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from cohesion_metrics.errors import AggregationInputError
from cohesion_metrics.method.aggregate import (
    aggregate_levels,
    aggregate_scores,
    extent_weight,
    need_percentile,
)

COLUMNS = {"score": "score", "population": "population"}
W20 = 0.05 + 0.9 * 10 / 19  # extent weight at the 20th percentile
W29 = 0.05 + 0.9 * 1 / 19  # extent weight at the 29th percentile


@pytest.fixture
def lsoas() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "ward_code": ["W1", "W1", "W1", "W2", "W2", "W2"],
            "borough_code": ["B1"] * 6,
            "population": [100, 300, 100, 200, 200, 100],
            "score": [0.9, 0.5, np.nan, 0.2, 0.1, 0.4],
            "imd_percentile": [5, 20, np.nan, 11, 29, 30],
        },
        index=pd.Index([f"L{n}" for n in range(1, 7)], name="lsoa11_code"),
    )


def test_extent_weight_by_hand() -> None:
    pct = pd.Series([1, 10, 11, 20, 29, 30, 31, 100, np.nan])
    assert extent_weight(pct).tolist()[:8] == pytest.approx(
        [1, 1, 0.95, 0.05 + 0.9 * 10 / 19, 0.05 + 0.9 / 19, 0.05, 0, 0]
    )
    assert np.isnan(extent_weight(pct).iloc[8])


def test_percentile_by_hand() -> None:
    scores = pd.Series([0.9, 0.5, np.nan, 0.2, 0.1, 0.4])
    # ranks (1 = most need) 1, 2, -, 4, 5, 3 of n = 5
    assert need_percentile(scores).tolist()[:2] == [20, 40]
    assert need_percentile(scores).iloc[3:].tolist() == [80, 100, 60]


def test_ward_summary_with_given_percentiles(lsoas: pd.DataFrame) -> None:
    out = aggregate_scores(lsoas, by="ward_code", percentile="imd_percentile", comparator="England", **COLUMNS)
    # extent weights (IoD2019 rule): p<=10 -> 1; p in 11..30 -> 0.05 + 0.9 * (30 - p) / 19 (0.95 at 11, 0.05 at 30)
    # W1: mean (0.9*100 + 0.5*300) / 400; decile 100 / 400; extent (100*1 + 300*W20) / 400
    # W2: mean (0.2*200 + 0.1*200 + 0.4*100) / 500; decile 0; extent (200*0.95 + 200*W29 + 100*0.05) / 500
    assert out.index.tolist() == ["W1", "W2"]
    assert out["population"].tolist() == [500, 500]
    assert out["n_areas"].tolist() == [3, 3]
    assert out["scored_pop_share"].tolist() == pytest.approx([0.8, 1.0])
    assert out["score_pop_weighted_mean"].tolist() == pytest.approx([0.6, 0.2])
    assert out["most_need_decile_pop_share"].tolist() == pytest.approx([0.25, 0.0])
    assert out["extent"].tolist() == pytest.approx([(100 + 300 * W20) / 400, (190 + 200 * W29 + 5) / 500])
    assert out["comparator"].tolist() == ["England", "England"]


def test_borough_summary(lsoas: pd.DataFrame) -> None:
    out = aggregate_scores(lsoas, by="borough_code", percentile="imd_percentile", comparator="England", **COLUMNS)
    assert out.loc["B1", "score_pop_weighted_mean"] == pytest.approx(340 / 900)
    assert out.loc["B1", "most_need_decile_pop_share"] == pytest.approx(100 / 900)
    assert out.loc["B1", "extent"] == pytest.approx((100 + 300 * W20 + 190 + 200 * W29 + 5) / 900)


def test_london_percentiles_are_taken_over_all_lsoas() -> None:
    frame = pd.DataFrame(
        {
            "group": ["G1", "G1", "G2", "G2", "G1", "G2", "G2", "G2", "G2", "G2"],
            "population": [100] * 10,
            "score": np.arange(10, 0, -1, dtype=float),
        }
    )
    out = aggregate_scores(frame, by="group", score="score", population="population")
    # ranks 1..10 -> percentiles 10, 20, ..., 100; G1 holds ranks 1, 2 and 5 (weights 1, W20, 0); G2 holds 30 (0.05)
    assert out["comparator"].tolist() == ["London", "London"]
    assert out["most_need_decile_pop_share"].tolist() == pytest.approx([1 / 3, 0])
    assert out["extent"].tolist() == pytest.approx([(1 + W20) / 3, 0.05 / 7])
    assert out.loc["G1", "score_pop_weighted_mean"] == pytest.approx((10 + 9 + 6) / 3)


def test_levels_share_one_set_of_london_percentiles(lsoas: pd.DataFrame) -> None:
    levels = aggregate_levels(lsoas, score="score", population="population")
    assert set(levels) == {"ward_code", "borough_code"}
    # London percentiles (n = 5): W1 holds ranks 1, 2 -> 20, 40; W2 holds 80, 100, 60: nobody in the top decile
    assert levels["ward_code"]["most_need_decile_pop_share"].tolist() == [0.0, 0.0]
    assert levels["ward_code"]["extent"].tolist() == pytest.approx([100 * W20 / 400, 0.0])
    assert levels["borough_code"]["comparator"].tolist() == ["London"]


def test_bad_inputs(lsoas: pd.DataFrame) -> None:
    with pytest.raises(AggregationInputError, match="England"):
        aggregate_scores(lsoas, by="ward_code", score="score", population="population", comparator="England")
    with pytest.raises(AggregationInputError, match="pop"):
        aggregate_scores(lsoas, by="ward_code", score="score", population="pop")
    with pytest.raises(AggregationInputError, match="L2"):
        aggregate_scores(lsoas.assign(population=[1, -1, 1, 1, 1, 1]), by="ward_code", **COLUMNS)
    with pytest.raises(AggregationInputError, match=r"1\.\.100"):
        aggregate_scores(lsoas.assign(imd_percentile=0), by="ward_code", percentile="imd_percentile", **COLUMNS)
    with pytest.raises(AggregationInputError, match="Scotland"):
        aggregate_scores(lsoas, by="ward_code", score="score", population="population", comparator="Scotland")  # type: ignore[arg-type]
