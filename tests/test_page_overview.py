"""AppTest of the London overview: renders, follows its widgets and the URL, and keeps the map light."""

from __future__ import annotations

import json

import pytest
from apptest_helpers import open_app
from streamlit.testing.v1 import AppTest

from cohesion_metrics.indicators import INDICATORS_BY_ID
from cohesion_metrics.views import get_measure, value_column


def _app(**params: str | list[str]) -> AppTest:
    return open_app(**params)


@pytest.fixture
def app(app_db) -> AppTest:
    return _app()


def _table(at: AppTest):
    """The full table under the map (the top ten beside the map comes first); for LSOAs it waits for its toggle."""
    toggles = [t for t in at.toggle if t.key == "full_table"]
    if toggles and not toggles[0].value:
        toggles[0].set_value(True).run()
    return at.dataframe[-1].value


def _map_spec(at: AppTest) -> dict:
    return json.loads(at.get("plotly_chart")[0].proto.spec)  # the map comes first


def test_default_view_is_the_need_capacity_map_with_the_top_places_in_the_table_order(app) -> None:
    assert app.title[0].value == "London overview"
    assert app.radio(key="level").value == "lsoa21"  # the current neighbourhoods are the default level
    assert list(app.radio(key="level").options)[-2:] == [
        "LSOA 2011 (IoD2019)",
        "Ward 2014 (IoD2019)",
    ]  # the vintage levels stay selectable, last, and say so
    assert app.selectbox(key="indicator").value == "need_capacity"
    assert len(app.get("plotly_chart")) == 2  # the map and its 3 x 3 legend
    assert get_measure("need_capacity").definition[:40] in " ".join(c.value for c in app.caption)
    priorities = app.dataframe[0].value
    assert len(priorities) == 10
    # Certainty in words, the likely range beside it.
    assert priorities["How sure: in London's top 10 in"].str.endswith("% of re-runs").all()
    assert "Likely rank range" in priorities.columns
    # Only what fits beside the map at 1366 px: the scores are in the table under it.
    assert list(priorities.columns) == ["#", "Place", "How sure: in London's top 10 in", "Likely rank range"]
    table = _table(app)
    assert len(table) == 4994
    assert list(table.columns[:4]) == ["Area", "Class", "Need (0-1)", "Cohesion capacity (0-1)"]
    assert table["Area"].tolist()[: len(priorities)] == priorities["Place"].tolist()  # the same order
    app.radio(key="level").set_value("borough").run()
    table = _table(app)
    assert len(table) == 33 and "Borough" not in table.columns  # the area is the borough
    info = " ".join(i.value for i in app.info)
    assert "City of London" in info and "flood" in info.lower()  # its partial coverage and the hazard gap are said


def test_need_table_is_most_need_first_with_how_sure_and_the_likely_range(app_db) -> None:
    at = _app(level="borough", indicator="need")
    table = _table(at)
    assert list(table.columns[:5]) == [
        "Area",
        value_column(get_measure("need")),
        "Rank (1 = most need)",
        "How sure: in London's top 10 in",
        "Likely rank range",
    ]
    assert table["Rank (1 = most need)"].tolist()[:3] == [1, 2, 3]
    assert not any("composite" in c.lower() for c in table.columns)


def test_lsoa_level_lists_every_neighbourhood(app) -> None:
    app.radio(key="level").set_value("lsoa11").run()
    assert not app.exception
    assert len(app.dataframe) == 1  # only the top ten: the 4,835-row table waits for its toggle (0.3 MB a redraw)
    table = _table(app)
    assert len(table) == 4835
    assert table["Code"].str.startswith("E01").all()
    options = app.selectbox(key="indicator").options
    assert not any("Trust (pillar score)" in o for o in options)  # trust is not measured for LSOAs
    priorities = app.dataframe[0].value
    assert len(priorities) == 10
    assert priorities["Place"].str.fullmatch(r".+ \d{3}[A-Z] · .+").all()  # "Hackney 021F · <its ward>"
    assert table["Area"].tolist()[:10] == priorities["Place"].tolist()


def test_first_row_follows_the_measure(app) -> None:
    app.radio(key="level").set_value("lsoa11").run()
    app.selectbox(key="indicator").set_value("need").run()
    need_first = _table(app).iloc[0]["Code"]
    app.selectbox(key="indicator").set_value("pillar__hazard_air").run()
    assert not app.exception
    hazard = _table(app)
    assert hazard.columns[1] == value_column(get_measure("pillar__hazard_air"))
    assert hazard.iloc[0]["Code"] != need_first
    assert hazard.iloc[:, 1].dropna().is_monotonic_decreasing
    app.selectbox(key="indicator").set_value("tree_canopy_pct").run()  # lower = more need: least canopy first
    canopy = _table(app).iloc[:, 1].dropna()
    assert canopy.iloc[0] == canopy.min()
    assert INDICATORS_BY_ID["tree_canopy_pct"].definition[:30] in " ".join(c.value for c in app.caption)


def test_url_with_codes_opens_the_same_view(app_db) -> None:
    at = _app(level="lsoa11", indicator="pillar__hazard_air")
    assert at.radio(key="level").value == "lsoa11"
    assert at.selectbox(key="indicator").value == "pillar__hazard_air"
    assert get_measure("pillar__hazard_air").label in " ".join(c.value for c in at.caption)
    at.selectbox(key="indicator").set_value("need_capacity").run()
    at.selectbox(key="indicator").set_value("pillar__urgent_needs").run()
    # after an interaction the URL carries every non-default choice as its label, so a copied link restores it
    assert at.query_params["level"] == "LSOA 2011 (IoD2019)"
    assert at.query_params["indicator"] == get_measure("pillar__urgent_needs").option
    table = _table(at)
    assert len(table) == 4835 and table.columns[1] == value_column(get_measure("pillar__urgent_needs"))


def test_url_with_labels_as_copied_opens_the_same_view(app_db) -> None:
    at = _app(level="Ward 2014 (IoD2019)", indicator=get_measure("turnout_mayoral_2012_pct").option)
    assert at.radio(key="level").value == "ward"
    table = _table(at)
    assert len(table) == 625
    assert table.columns[1] == value_column(get_measure("turnout_mayoral_2012_pct"))


def test_classes_show_the_live_legend_and_priority_first(app) -> None:
    app.radio(key="level").set_value("ward").run()
    app.selectbox(key="indicator").set_value("need_capacity").run()
    assert not app.exception
    assert len(app.get("plotly_chart")) == 2  # the map and its 3 x 3 legend
    table = _table(app)
    assert table.iloc[0]["Class"] == "high need / low capacity"
    legend = json.loads(app.get("plotly_chart")[1].proto.spec)
    counts = sorted(int(a["text"].replace(",", "")) for a in legend["layout"]["annotations"])
    assert sum(counts) == table["Class"].notna().sum()


def test_city_of_london_gap_is_said_for_trust(app) -> None:
    trust = next(i for i in INDICATORS_BY_ID if i.startswith("trust_"))
    app.radio(key="level").set_value("borough").run()
    app.selectbox(key="indicator").set_value(trust).run()
    assert not app.exception
    assert "No value for City of London" in " ".join(i.value for i in app.info)
    assert _table(app).iloc[-1]["Area"] == "City of London"  # missing values sort last, never as zero


def test_map_is_flat_svg_on_static_geojson_and_stays_small(app) -> None:
    app.radio(key="level").set_value("lsoa11").run()
    classes = _map_spec(app)
    assert {t["type"] for t in classes["data"]} == {"choropleth"}
    assert classes["data"][-1]["name"].startswith("Yellow outline: high need, low capacity")  # the exposed overlay
    app.selectbox(key="indicator").set_value("need").run()
    spec = _map_spec(app)
    assert {t["type"] for t in spec["data"]} == {"choropleth"}  # SVG on a geo subplot, not MapLibre
    *areas, outlines = spec["data"]
    assert all(t["geojson"].startswith("app/static/geo/lsoa11.geojson?v=") for t in areas)
    assert outlines["geojson"].startswith("app/static/geo/borough.geojson?v=") and len(outlines["locations"]) == 33
    assert spec["layout"]["geo"]["visible"] is False and spec["layout"]["geo"]["fitbounds"] == "locations"
    config = json.loads(app.get("plotly_chart")[0].proto.config)
    assert config["topojsonURL"] == "app/static/geo/"  # plotly's geo base map comes from us, not its CDN
    size = len(json.dumps(spec))
    assert size < 350_000, f"the LSOA map spec is {size:,} bytes; the websocket budget for the page is 600 kB"


def test_downloads_offer_the_view_as_csv_and_geopackage(app_db) -> None:
    at = _app(level="ward", indicator="need")
    buttons = at.get("download_button")
    assert [b.proto.label for b in buttons] == ["Table (CSV)", "Map layer (GeoPackage)", "Map for slides (PNG)"]
    assert "sources and vintages" in buttons[0].proto.help
    at.radio(key="level").set_value("lsoa11").run()
    assert [b.proto.label for b in at.get("download_button")] == [
        "Table (CSV)",
        "Map layer (GeoPackage)",
        "Map for slides (PNG)",
    ]
