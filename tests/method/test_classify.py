"""Bivariate classes, priority list, extreme flags and recommendation-5 actions, by hand."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from cohesion_metrics.errors import ClassifyInputError, UnknownIdError
from cohesion_metrics.method.classify import (
    bivariate_classes,
    bivariate_legend,
    extreme_flags,
    london_tercile,
    priority_list,
    recommend_actions,
)
from cohesion_metrics.method.normalise import IndicatorSpec

NINE = [f"A{n}" for n in range(1, 10)]


def test_terciles() -> None:
    assert london_tercile(pd.Series([5.0, 1, 9, 3, 7, 2, 8, 4, 6])).tolist() == [2, 1, 3, 1, 3, 1, 3, 2, 2]
    with_missing = london_tercile(pd.Series([1.0, np.nan, 2, 3]))
    assert with_missing.isna().tolist() == [False, True, False, False]
    assert with_missing.dropna().tolist() == [1, 2, 3]


def test_bivariate_class_on_nine_areas() -> None:
    need = pd.Series(np.arange(1.0, 10), index=NINE)
    capacity = pd.Series([1.0, 4, 7, 2, 5, 8, 3, 6, 9], index=NINE)
    out = bivariate_classes(need, capacity)
    assert out["need_tercile"].tolist() == [1, 1, 1, 2, 2, 2, 3, 3, 3]
    assert out["capacity_tercile"].tolist() == [1, 2, 3, 1, 2, 3, 1, 2, 3]
    assert out["code"].tolist() == list(range(1, 10))
    assert out.loc["A7", "label"] == "high need / low capacity"
    assert out.loc["A3", "label"] == "low need / high capacity"
    assert out.loc["A5", "label"] == "medium need / medium capacity"


def test_bivariate_class_missing_score() -> None:
    need = pd.Series([1.0, 2.0, np.nan], index=["x", "y", "z"])
    capacity = pd.Series([1.0, 2.0, 3.0], index=["x", "y", "z"])
    out = bivariate_classes(need, capacity)
    assert out["code"].isna().tolist() == [False, False, True]
    assert out["label"].isna().tolist() == [False, False, True]


def test_legend_layout() -> None:
    legend = bivariate_legend().set_index("code")
    assert legend.loc[7, ["legend_row", "legend_col"]].tolist() == [0, 0]  # top left: high need, low capacity
    assert legend.loc[9, ["legend_row", "legend_col"]].tolist() == [0, 2]
    assert legend.loc[1, ["legend_row", "legend_col"]].tolist() == [2, 0]
    assert legend.loc[7, "label"] == "high need / low capacity"


def test_priority_list_order() -> None:
    need = pd.Series(np.arange(1.0, 10), index=NINE)
    capacity = pd.Series([4.0, 5, 6, 7, 8, 9, 1, 3, 2], index=NINE)
    # class 7: A7, A8, A9. Need percentiles 75, 87.5, 100; capacity 0, 25, 12.5; gaps 75, 62.5, 87.5
    by_gap = priority_list(need, capacity)
    assert by_gap["area_code"].tolist() == ["A9", "A7", "A8"]
    assert by_gap["gap"].tolist() == pytest.approx([87.5, 75, 62.5])
    assert by_gap["priority_rank"].tolist() == [1, 2, 3]
    assert priority_list(need, capacity, order_by="need")["area_code"].tolist() == ["A9", "A8", "A7"]
    assert priority_list(need, capacity, top=1)["area_code"].tolist() == ["A9"]
    with pytest.raises(ClassifyInputError):
        priority_list(need, capacity, order_by="size")  # type: ignore[arg-type]


def test_extreme_flags() -> None:
    values = pd.DataFrame({"i1": np.arange(11.0), "i2": np.arange(11.0)}, index=[f"a{n}" for n in range(11)])
    specs = [IndicatorSpec("i1", "P"), IndicatorSpec("i2", "Q", False)]
    flags = extreme_flags(values, specs)
    # percentiles 100 * (r - 1) / 10: i1 = 9 -> 90, 10 -> 100; i2 (lower = more need) = 0 -> 100, 1 -> 90
    assert flags[["area_code", "indicator", "percentile", "value"]].values.tolist() == [
        ["a0", "i2", 100.0, 0.0],
        ["a1", "i2", 90.0, 1.0],
        ["a10", "i1", 100.0, 10.0],
        ["a9", "i1", 90.0, 9.0],
    ]
    assert len(extreme_flags(values, specs, threshold=100)) == 2


AREAS3 = ["X", "Y", "Z"]
PILLAR_SCORES = pd.DataFrame(
    {
        "inclusive_spaces": [0.9, 0.5, 0.1],
        "connections": [0.8, 0.3, 0.1],
        "trust": [0.7, 0.6, 0.1],
        "participation": [0.9, 0.2, 0.5],
        "urgent_needs": [0.1, 0.9, 0.5],
    },
    index=AREAS3,
)
VALUES3 = pd.DataFrame(
    {
        "spaces": [30.0, 20, 10],
        "isolation": [5.0, 6, 7],
        "trust_pct": [3.0, 2, 1],
        "turnout": [0.9, 0.1, 0.5],
        "poverty": [1.0, 3, 2],
        "overcrowding": [1.0, 2, 3],
    },
    index=AREAS3,
)
SPECS3 = [
    IndicatorSpec("spaces", "inclusive_spaces"),
    IndicatorSpec("isolation", "connections", False),
    IndicatorSpec("trust_pct", "trust"),
    IndicatorSpec("turnout", "participation"),
    IndicatorSpec("poverty", "urgent_needs"),
    IndicatorSpec("overcrowding", "urgent_needs"),
]


def test_recommended_actions_on_three_areas() -> None:
    out = recommend_actions(PILLAR_SCORES, VALUES3, SPECS3)
    # Pillar percentiles over 3 areas are 0, 50, 100; weak = >= 70, so only each pillar's top area.
    # X tops all four capacity pillars -> (f) first, then (a), (b) (ties by letter), cut at 3 actions.
    x = out[out["area_code"] == "X"]
    assert x.drop_duplicates("action_rank")["action"].tolist() == ["f", "a", "b"]
    f_rows = x[x["action"] == "f"]
    assert set(f_rows["indicator"]) == {"spaces", "isolation", "trust_pct", "turnout"}
    assert (f_rows["percentile"] == 100).all()
    a_row = x[x["action"] == "a"].iloc[0]
    assert (a_row["indicator"], a_row["value"], a_row["percentile"]) == ("spaces", 30.0, 100.0)
    assert a_row["pillar"] == "inclusive_spaces" and a_row["pillar_percentile"] == 100.0
    assert x[x["action"] == "b"]["value"].tolist() == [5.0]  # lower isolation value = more need here
    # Y: urgent needs only, with its two indicators as evidence (poverty 3 -> 100, overcrowding 2 -> 50)
    y = out[out["area_code"] == "Y"]
    assert y["action"].unique().tolist() == ["e"]
    assert y["action_label"].iloc[0] == "Urgent needs and root causes"
    evidence = y[["indicator", "value", "percentile"]].values.tolist()
    assert evidence == [["poverty", 3.0, 100.0], ["overcrowding", 2.0, 50.0]]
    assert "Z" not in set(out["area_code"])


def test_more_actions_and_custom_capacity_rule() -> None:
    out = recommend_actions(PILLAR_SCORES, VALUES3, SPECS3, max_actions=5, evidence=1)
    x = out[out["area_code"] == "X"]
    assert x["action"].drop_duplicates().tolist() == ["f", "a", "b", "c", "d"]
    no_f = recommend_actions(PILLAR_SCORES, VALUES3, SPECS3, capacity_pillars=["trust", "urgent_needs"])
    assert "f" not in set(no_f["action"])
    lower = recommend_actions(PILLAR_SCORES, VALUES3, SPECS3, weak_at=50, max_actions=6)
    assert set(lower.loc[lower["area_code"] == "Z", "action"]) == {"d", "e"}


def test_recommendation_bad_mapping() -> None:
    with pytest.raises(ClassifyInputError, match="f"):
        recommend_actions(PILLAR_SCORES, VALUES3, SPECS3, mapping={"trust": "f"})
    with pytest.raises(UnknownIdError, match="belonging"):
        recommend_actions(PILLAR_SCORES, VALUES3, SPECS3, mapping={"belonging": "b"})
    with pytest.raises(UnknownIdError, match="safety"):
        recommend_actions(PILLAR_SCORES, VALUES3, SPECS3, capacity_pillars=["safety"])


def test_no_weak_pillar_gives_an_empty_table_with_the_columns() -> None:
    out = recommend_actions(PILLAR_SCORES, VALUES3, SPECS3, weak_at=101)
    assert out.empty
    assert list(out.columns) == [
        "area_code",
        "action_rank",
        "action",
        "action_label",
        "pillar",
        "pillar_percentile",
        "indicator",
        "value",
        "percentile",
    ]
