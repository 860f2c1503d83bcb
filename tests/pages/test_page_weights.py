"""AppTest of Weights & robustness: live re-ranking of the priority, before/after, disabled sliders, the URL."""

from __future__ import annotations

import json

import pytest
from apptest_helpers import open_app
from streamlit.testing.v1 import AppTest

from cohesion_metrics.method.framework import SCORED_PILLARS

PAGE = "app_pages/weights.py"
PILLAR_SLIDERS = [f"w_{p}" for p in SCORED_PILLARS]


def _weights(**params: str | list[str]) -> AppTest:
    return open_app(PAGE, **params)


@pytest.fixture
def app(app_db) -> AppTest:
    return _weights()


def _ranking(at: AppTest):
    return at.dataframe[-1].value.reset_index(drop=True)  # the full priority list, in the expander, comes last


def _before_after(at: AppTest):
    return at.dataframe[0].value  # the priority top ten before and after comes first


def _chart_areas(at: AppTest) -> list[str]:
    spec = json.loads(at.get("plotly_chart")[0].proto.spec)
    return spec["layout"]["yaxis"]["categoryarray"]


def test_default_settings_give_the_default_ranking(app_db) -> None:
    app = _weights(level="borough")
    assert app.title[0].value == "Weights & robustness"
    ranking = _ranking(app)
    assert 0 < len(ranking) < 33  # only boroughs below London's median cohesion capacity are priorities
    assert ranking["priority_rank"].tolist()[:3] == [1, 2, 3]
    assert "No place enters, leaves or moves" in app.info[0].value
    assert (_before_after(app)["change"] == "stays").all()
    assert _chart_areas(app) == ranking["label"].tolist()[:30]  # top 30, sorted by priority
    assert any(m.value.startswith(f"Of {len(ranking)} boroughs:") for m in app.markdown)
    assert any("Stable: in 1,000 re-runs" in m.value for m in app.markdown)
    assert [s.key for s in app.slider] == ["hazard_weight"]  # no pillar sliders unless the weights are custom
    assert app.slider(key="hazard_weight").value == 0.0


def test_moving_a_weight_slider_changes_the_ranking(app_db) -> None:
    app = _weights(level="borough")
    before = _ranking(app)["label"].tolist()
    app.radio(key="weights").set_value("custom").run()
    assert [s.key for s in app.slider] == [*PILLAR_SLIDERS, "hazard_weight"]  # every pillar, at every level
    assert _ranking(app)["label"].tolist() == before  # equal sliders = equal pillar weights
    app.slider(key="w_connections").set_value(0).run()
    assert not app.exception
    after = _ranking(app)["label"].tolist()
    assert after != before  # capacity changes, so who is eligible changes
    changes = _before_after(app)
    assert (changes["change"] != "stays").any()
    assert set(changes["change"]) <= {"enters", "leaves", "stays"} | {
        c for c in changes["change"] if c.startswith(("up ", "down "))
    }
    assert "Connections and networks 0%" in " ".join(c.value for c in app.caption)


def test_unmeasured_pillars_have_disabled_sliders_with_the_reason(app_db) -> None:
    at = _weights(level="lsoa11", weights="custom")
    trust = at.slider(key="w_trust")
    assert trust.disabled and trust.value == 0
    captions = " ".join(c.value for c in at.caption)
    assert "Trust is not measured for Neighbourhood, LSOA 2011 (IoD2019 vintage): its data exists for Borough." in (
        captions
    )
    assert not at.slider(key="w_urgent_needs").disabled


def test_hazard_weight_moves_places_in_and_out_of_the_top_ten(app_db) -> None:
    at = _weights(level="lsoa11")
    at.slider(key="hazard_weight").set_value(0.5).run()
    assert not at.exception
    changes = _before_after(at)
    assert {"enters", "leaves"} <= set(changes["change"])
    assert (changes["change"] == "enters").sum() == (changes["change"] == "leaves").sum()
    assert changes["top10_share"].str.endswith("% of re-runs").all()  # how sure, in words


def test_all_zero_weights_give_a_message_not_an_exception(app) -> None:
    app.radio(key="weights").set_value("custom").run()
    for slider in app.slider:
        if slider.key.startswith("w_") and not slider.disabled:
            slider.set_value(0)
    app.run()
    assert not app.exception
    assert "All pillar weights are zero" in app.warning[0].value
    assert len(app.dataframe) == 0


def test_normalisation_and_level_change_the_table(app_db) -> None:
    app = _weights(level="borough")
    rank = _ranking(app)[["label", "need"]]
    app.radio(key="method").set_value("zscore").run()
    assert not app.exception
    assert not _ranking(app)[["label", "need"]].equals(rank)
    app.radio(key="level").set_value("ward").run()
    assert not app.exception
    assert 250 < len(_ranking(app)) < 625  # about half the wards are below London's median capacity
    assert ", " in _ranking(app)["label"].iloc[0]  # "Ward, Borough"


@pytest.mark.parametrize(
    "params",
    [
        {  # as the app writes it
            "level": "Ward 2014 (IoD2019)",
            "weights": "Custom (pillar sliders)",
            "w_inclusive_spaces": "0",
        },
        {"level": "ward", "weights": "custom", "w_inclusive_spaces": "0"},  # a hand-written link with codes
    ],
)
def test_a_url_opens_the_same_view(app_db, params) -> None:
    at = _weights(**params)
    assert at.radio(key="level").value == "ward"
    assert at.radio(key="weights").value == "custom"
    assert [s.key for s in at.slider] == [*PILLAR_SLIDERS, "hazard_weight"]
    assert at.slider(key="w_trust").disabled  # no trust data for wards
    assert at.slider(key="w_inclusive_spaces").value == 0
    assert (_before_after(at)["change"] != "stays").any()  # places move against the default
