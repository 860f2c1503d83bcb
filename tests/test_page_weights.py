"""AppTest of Weights & robustness: live re-ranking, rank intervals, the movers table, bad weights, and the URL."""

from __future__ import annotations

import json

import pytest
from apptest_helpers import open_app
from streamlit.testing.v1 import AppTest

PAGE = "app_pages/weights.py"


def _weights(**params: str | list[str]) -> AppTest:
    return open_app(PAGE, **params)


@pytest.fixture
def app(app_db) -> AppTest:
    return _weights()


def _ranking(at: AppTest):
    return at.dataframe[-1].value.reset_index(drop=True)  # the full ranking, in the expander, comes last


def _chart_areas(at: AppTest) -> list[str]:
    spec = json.loads(at.get("plotly_chart")[0].proto.spec)
    return spec["layout"]["yaxis"]["categoryarray"]


def test_default_settings_give_the_default_ranking(app) -> None:
    assert app.title[0].value == "Weights & robustness"
    ranking = _ranking(app)
    assert len(ranking) == 33
    assert ranking["rank"].tolist()[:3] == [1, 2, 3]
    assert "No area moves" in app.info[0].value
    assert _chart_areas(app) == ranking["label"].tolist()[:30]  # top 30, sorted by rank
    assert any(m.value.startswith("Of 33 boroughs:") for m in app.markdown)
    assert any("Stable: in 1,000 re-runs" in m.value for m in app.markdown)
    assert app.slider == []  # no pillar sliders unless the weights are custom


def test_moving_a_weight_slider_changes_the_ranking(app) -> None:
    before = _ranking(app)["label"].tolist()
    app.radio(key="weights").set_value("custom").run()
    assert [s.key for s in app.slider] == [
        "w_inclusive_spaces",
        "w_connections",
        "w_trust",
        "w_participation",
        "w_urgent_needs",
        "w_hazard",
    ]
    assert _ranking(app)["label"].tolist() == before  # equal sliders = equal pillar weights
    app.slider(key="w_urgent_needs").set_value(0).run()
    assert not app.exception
    after = _ranking(app)["label"].tolist()
    assert after != before
    moves = app.dataframe[0].value
    assert len(moves) > 0 and (moves["places"] != 0).all()
    assert (moves["default_rank"] - moves["custom_rank"] == moves["places"]).all()
    assert "Urgent needs and root causes 0%" in " ".join(c.value for c in app.caption)


def test_all_zero_weights_give_a_message_not_an_exception(app) -> None:
    app.radio(key="weights").set_value("custom").run()
    for slider in app.slider:
        slider.set_value(0)
    app.run()
    assert not app.exception
    assert "All pillar weights are zero" in app.warning[0].value
    assert len(app.dataframe) == 0


def test_normalisation_and_level_change_the_table(app) -> None:
    rank = _ranking(app)[["label", "composite"]]
    app.radio(key="method").set_value("zscore").run()
    assert not app.exception
    assert not _ranking(app)[["label", "composite"]].equals(rank)
    app.radio(key="level").set_value("ward").run()
    assert not app.exception
    assert len(_ranking(app)) == 625
    assert ", " in _ranking(app)["label"].iloc[0]  # "Ward, Borough"


@pytest.mark.parametrize(
    "params",
    [
        {"level": "Ward", "weights": "Custom (pillar sliders)", "w_urgent_needs": "0"},  # as the app writes it
        {"level": "ward", "weights": "custom", "w_urgent_needs": "0"},  # a hand-written link with codes
    ],
)
def test_a_url_opens_the_same_view(app_db, params) -> None:
    at = _weights(**params)
    assert at.radio(key="level").value == "ward"
    assert at.radio(key="weights").value == "custom"
    assert [s.key for s in at.slider] == [
        "w_inclusive_spaces",
        "w_connections",
        "w_participation",
        "w_urgent_needs",
        "w_hazard",
    ]  # no trust data for wards
    assert at.slider(key="w_urgent_needs").value == 0
    assert len(at.dataframe[0].value) > 0  # areas move against the default
