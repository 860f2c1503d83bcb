"""Unit tests of the non-map figures on hand-made frames: what is drawn, in which order, and readable fonts."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import pytest

from cohesion_metrics.figures import charts, slide_charts
from cohesion_metrics.method.classify import RECOMMENDATION_5
from cohesion_metrics.outputs import story

URL = "app/static/geo/borough.geojson"  # maps accept a static file URL; nothing is fetched in a unit test


def _font_sizes(fig: go.Figure) -> list[float]:
    """Every explicit font size in the figure (layout, axes, annotations, traces)."""
    sizes: list[float] = []

    def walk(node) -> None:
        if isinstance(node, dict):
            for key, value in node.items():
                if key.endswith("font") and isinstance(value, dict) and "size" in value:
                    sizes.append(value["size"])
                walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    walk(fig.to_plotly_json())
    return sizes


def _assert_readable(fig: go.Figure) -> None:
    sizes = _font_sizes(fig)
    assert sizes, "no explicit font sizes"
    assert min(sizes) >= charts.MIN_FONT_SIZE, sizes


@pytest.fixture
def scores() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "area_name": ["Aham", "Beford"],
            "pillar__trust": [0.2, np.nan],
            "pillar__urgent_needs": [0.9, 0.4],
        }
    )


def test_pillar_small_multiples_draw_scores_gaps_and_london(scores) -> None:
    london = pd.Series({"trust": 0.5, "urgent_needs": 0.45})
    fig = charts.pillar_small_multiples(scores, london, ["trust", "urgent_needs"])
    bars = [t for t in fig.data if t.type == "bar"]
    assert [b.name for b in bars] == ["Trust", "Urgent needs and root causes"]
    assert list(bars[0].y) == ["Aham", "Beford"]
    assert bars[1].x.tolist() == [0.9, 0.4]
    assert list(bars[0].text) == ["0.20", "no data"]  # a missing score is said where its bar would be
    assert bars[0].x.tolist() == [0.2, 0.0]  # a zero-length bar carries the label; nothing is drawn
    assert sorted(s.x0 for s in fig.layout.shapes) == [0.45, 0.5]  # London's mean per panel
    assert any(t.name == "London mean" for t in fig.data)
    _assert_readable(fig)


@pytest.fixture
def intervals() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "label": ["Second", "First", "Third"],
            "rank": [2, 1, 3],
            "rank_p05": [1.0, 1.0, 2.0],
            "rank_p95": [5.0, 2.0, 30.0],
            "stability": ["fairly stable", "stable", "uncertain"],
            "priority_rank": [1, 3, 2],
        }
    )


def test_rank_interval_chart_draws_dots_and_5_95_bars_in_rank_order(intervals) -> None:
    fig = charts.rank_interval_chart(intervals, n_areas=33)
    assert list(fig.layout.yaxis.categoryarray) == ["First", "Second", "Third"]
    dots = {t.name: t for t in fig.data if t.mode == "markers"}
    assert set(dots) == {"stable", "fairly stable", "uncertain"}
    assert dots["uncertain"].x.tolist() == [3.0]
    assert dots["uncertain"].marker.symbol != dots["stable"].marker.symbol  # shape, not colour alone
    lines = [t for t in fig.data if t.mode == "lines"]
    uncertain_line = next(t for t in lines if t.legendgroup == "uncertain")
    assert list(uncertain_line.x) == [2.0, 30.0, None]
    assert "Rank of 33" in fig.layout.xaxis.title.text
    _assert_readable(fig)


def test_rank_interval_chart_can_follow_another_order_and_span_all_ranks(intervals) -> None:
    fig = charts.rank_interval_chart(intervals, n_areas=33, order_col="priority_rank", full_range=True)
    assert list(fig.layout.yaxis.categoryarray) == ["Second", "Third", "First"]
    assert tuple(fig.layout.xaxis.range) == (0, 34)


def test_borough_bars_put_most_need_first_and_keep_gaps() -> None:
    frame = pd.DataFrame({"area_name": ["A", "B", "C", "D"], "value": [40.0, np.nan, 20.0, 30.0]})
    fig = charts.borough_bars(frame, unit="%", more_need_high=False, reference=35.0, reference_label="London")
    bar = fig.data[0]
    assert list(bar.y) == ["C", "D", "A", "B"]  # lower = more need here; the missing area last
    assert list(bar.text) == ["20", "30", "40", "no data"]
    assert fig.layout.shapes[0].x0 == 35.0
    top = charts.borough_bars(frame, unit="%", more_need_high=True, top=2, title="Highest 2")
    assert list(top.data[0].y) == ["A", "D"]
    assert top.layout.title.text == "Highest 2"
    _assert_readable(fig)


def test_action_counts_chart_shows_shares_with_counts() -> None:
    counts = pd.DataFrame(
        {
            "level_label": ["Boroughs"] * 6 + ["Wards"] * 6,
            "action": list(RECOMMENDATION_5) * 2,
            "areas": [11, 10, 9, 10, 18, 0, 179, 178, 0, 178, 292, 20],
            "n_areas": [33] * 6 + [625] * 6,
        }
    )
    fig = charts.action_counts_chart(counts)
    boroughs, wards = fig.data
    assert boroughs.name == "Boroughs (33)"
    assert boroughs.x[0] == pytest.approx(100 * 11 / 33)
    assert list(wards.text) == ["179", "178", "0", "178", "292", "20"]
    assert boroughs.y[5] == "(f) Capacity building"
    _assert_readable(fig)


def test_comparison_table_columns_follow_the_areas() -> None:
    long = pd.DataFrame(
        {
            "indicator_id": ["t", "u", "t", "u"],
            "label": ["Trust x", "Need y"] * 2,
            "pillar": ["trust", "urgent_needs"] * 2,
            "unit": ["%", "score"] * 2,
            "higher_is_more_need": [False, True] * 2,
            "london_median": [50.0, 1.0] * 2,
            "area_name": ["Zed", "Zed", "Ay", "Ay"],
            "vintage": ["2022", "2019", None, "2019"],
            "value": [60.0, 2.0, np.nan, 0.5],
            "london_percentile": [10.0, 90.0, np.nan, 20.0],
        }
    )
    table = charts.comparison_table(long)
    assert list(table.columns[:7]) == [
        "indicator_id",
        "Indicator",
        "Unit",
        "Zed",
        "Zed · percentile",
        "Ay",
        "Ay · percentile",
    ]
    assert table["Indicator"].tolist() == ["Need y", "Trust x"]  # registry pillar order: urgent needs before trust
    assert math.isnan(table.loc[1, "Ay"])  # missing stays missing (Ay's trust value)
    assert table["Vintage"].tolist() == ["2019", "2022"]  # taken from an area that has the value
    assert table["Higher means"].tolist() == ["more need", "less need"]


def _slide(**kwargs) -> story.Slide:
    base = {"key": "k", "title": "T", "illustrates": "Finding 1", "message": "m", "numbers": {}}
    return story.Slide(**{**base, **kwargs})


def test_slide_figures_per_kind() -> None:
    boroughs = pd.DataFrame({"area_code": ["E1", "E2", "E3"], "area_name": ["A", "B", "C"], "value": [1.0, 3.0, 2.0]})
    indicator = _slide(
        figure="borough_indicator",
        frames={"map": boroughs},
        map_level="borough",
        unit="%",
        map_label="Share",
        more_need_high=False,
        reference=2.0,
        reference_label="London",
        bars_top=2,
    )
    map_fig, bars = slide_charts.slide_figures(indicator, URL)
    assert list(bars.data[0].y) == ["A", "C"]  # lowest first (less is more need), top 2 of 3
    assert bars.layout.title.text == "Lowest 2 of 3 boroughs"
    assert map_fig.data[-1].locations.tolist() == ["E1", "E2", "E3"]
    classes = pd.DataFrame(
        {
            "area_code": ["E1", "E2"],
            "area_name": ["A", "B"],
            "class_code": [7, 1],
            "class_label": ["high need / low capacity", "low need / low capacity"],
            "need": [0.9, 0.1],
            "capacity": [0.1, 0.1],
        }
    )
    need_map, legend = slide_charts.slide_figures(
        _slide(figure="need_capacity", frames={"map": classes}, map_level="ward"), URL
    )
    assert "wards" in legend.data[0].hovertemplate
    assert any(list(t.locations) == ["E1"] for t in need_map.data)  # the priority class drawn on its own
    assert slide_charts.slide_figures(_slide(figure="text"), None) == []
