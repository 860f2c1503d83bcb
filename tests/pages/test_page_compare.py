"""AppTest of Compare boroughs: renders, follows the chosen boroughs and the URL, and validates the count."""

from __future__ import annotations

import json

import pytest
from apptest_helpers import open_app
from streamlit.testing.v1 import AppTest

from cohesion_metrics.method.framework import default_indicators

PAGE = "app_pages/compare.py"


def _compare(**params: str | list[str]) -> AppTest:
    return open_app(PAGE, **params)


@pytest.fixture
def app(app_db) -> AppTest:
    return _compare()


def _summary(at: AppTest):
    return at.dataframe[0].value


def _indicators(at: AppTest):
    return at.dataframe[1].value


def test_default_view_compares_the_two_highest_need_boroughs(app) -> None:
    assert app.title[0].value == "Compare boroughs"
    summary = _summary(app)
    assert summary["Need rank (1 = most need)"].tolist() == [1, 2]
    assert summary["Need: Likely rank range"].str.match(r"^\d+(–\d+)?$").all()
    assert summary["Need: How sure: in London's top 10 in"].str.endswith("% of re-runs").all()
    assert summary["Need x capacity class"].str.contains("need /").all()
    # Barking and Dagenham is London's first priority; Hackney's capacity is above the median, and the page says so.
    assert summary["Priority rank"].tolist() == ["1", "not a priority (capacity at or above London's median)"]
    indicators = _indicators(app)
    assert len(indicators) == len(default_indicators("borough"))  # registry-driven rows
    assert len(app.get("plotly_chart")) == 2  # rank intervals and pillar panels
    assert app.get("download_button")[0].label == "Download the comparison (CSV)"


def test_table_columns_follow_the_chosen_boroughs(app) -> None:
    app.multiselect(key="boroughs").set_value(["E09000007", "E09000001", "E09000029"]).run()
    assert not app.exception
    columns = list(_indicators(app).columns)
    names = ["Camden", "City of London", "Sutton"]
    assert [c for c in columns if c in names] == names  # in the chosen order
    assert all(f"{n} · percentile" in columns for n in names)
    assert _summary(app)["Borough"].tolist() == names
    pillars = json.loads(app.get("plotly_chart")[1].proto.spec)["data"]
    assert pillars[0]["y"] == names
    # The City of London has no trust or turnout data: said, not hidden.
    captions = " ".join(c.value for c in app.caption)
    assert "**City of London**: no data for" in captions and "Turnout at the May 2022" in captions


def test_too_few_and_too_many_boroughs_get_a_message(app) -> None:
    app.multiselect(key="boroughs").set_value(["E09000007"]).run()
    assert not app.exception
    assert "at least 2" in app.info[0].value
    assert len(app.dataframe) == 0
    seven = ["E09000001", "E09000002", "E09000003", "E09000004", "E09000005", "E09000006", "E09000007"]
    app.multiselect(key="boroughs").set_value(seven).run()
    assert not app.exception
    assert "at most 6" in app.warning[0].value
    assert len(_summary(app)) == 6


@pytest.mark.parametrize(
    "codes", [["E09000012", "E09000007", "E09000029"], ["E09000012,E09000007,E09000029"]], ids=["repeated", "commas"]
)
def test_a_url_with_borough_codes_opens_that_comparison(app_db, codes) -> None:
    at = _compare(boroughs=codes)
    assert at.multiselect(key="boroughs").value == ["E09000012", "E09000007", "E09000029"]
    assert _summary(at)["Borough"].tolist() == ["Hackney", "Camden", "Sutton"]


def test_a_url_opens_the_same_comparison(app_db) -> None:
    at = _compare(boroughs=["Hackney", "Camden", "Sutton"])
    assert at.multiselect(key="boroughs").value == ["E09000012", "E09000007", "E09000029"]
    assert _summary(at)["Borough"].tolist() == ["Hackney", "Camden", "Sutton"]
    assert "Hackney · percentile" in _indicators(at).columns
