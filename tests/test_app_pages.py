"""Streamlit AppTest for every page: renders without exceptions and responds to its widgets."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from cohesion_metrics.catalogue import SOURCES
from cohesion_metrics.indicators import DATA_GAPS, INDICATORS, INDICATORS_BY_ID


@pytest.fixture
def app(app_db) -> AppTest:
    at = AppTest.from_file("../app.py", default_timeout=60)
    at.run()
    assert not at.exception, at.exception
    return at


def test_overview_map_and_table_follow_the_indicator(app) -> None:
    assert app.title[0].value == "London overview"
    chart = app.get("plotly_chart")
    assert len(chart) == 1
    table = app.dataframe[0].value
    assert len(table) == 33  # boroughs by default
    app.selectbox(key="indicator").set_value("income2019_avg_score").run()
    assert not app.exception
    assert INDICATORS_BY_ID["income2019_avg_score"].definition[:40] in app.caption[0].value
    income_top = app.dataframe[0].value.iloc[0]["area_code"]
    app.selectbox(key="indicator").set_value("imd2019_extent").run()
    extent = app.dataframe[0].value
    assert extent["value"].between(0, 1).all()
    assert income_top.startswith("E09")


def test_overview_lsoa_level(app) -> None:
    app.radio(key="level").set_value("lsoa11").run()
    assert not app.exception
    table = app.dataframe[0].value
    assert len(table) == 4835
    assert table["value"].notna().all()


def test_sources_page_lists_every_source_with_licence(app) -> None:
    app.switch_page("pages/methodology.py").run()
    assert not app.exception
    assert app.title[0].value == "Data & methodology"
    catalogue = next(d.value for d in app.dataframe if "Source" in d.value.columns)
    assert set(catalogue["Source"]) == {s.title for s in SOURCES}
    dictionary = next(d.value for d in app.dataframe if "indicator_id" in d.value.columns)
    assert set(dictionary["indicator_id"]) == {i.id for i in INDICATORS}
    missing = next(d.value for d in app.dataframe if "Missing" in d.value.columns)
    assert len(missing) == len(DATA_GAPS)
    assert catalogue["Licence"].str.len().gt(0).all()
    markdown = " ".join(m.value for m in app.markdown)
    assert "OpenStreetMap contributors" in markdown
