"""AppTest of the London overview: renders, follows its widgets and the URL, and keeps the map light."""

from __future__ import annotations

import json

import pytest
from apptest_helpers import open_app
from streamlit.testing.v1 import AppTest

from cohesion_metrics.metadata.indicators import INDICATORS_BY_ID
from cohesion_metrics.read.page_frames import get_measure, value_column


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


def _plotly_map(at: AppTest) -> dict:
    return json.loads(at.get("plotly_chart")[0].proto.spec)  # the fallback map comes first


def _map_data(at: AppTest) -> dict:
    """The data message of the London map component (app_pages/_svg_map.py): values only, no geometry."""
    (element,) = at.get("bidi_component")
    return json.loads(element.proto.json)


def test_default_view_is_the_need_capacity_map_with_the_top_places_in_the_table_order(app) -> None:
    assert app.title[0].value == "London overview"
    assert app.radio(key="level").value == "lsoa21"  # the current neighbourhoods are the default level
    assert list(app.radio(key="level").options)[-2:] == [
        "LSOA 2011 (IoD2019)",
        "Ward 2014 (IoD2019)",
    ]  # the vintage levels stay selectable, last, and say so
    assert app.selectbox(key="indicator").value == "need_capacity"
    assert len(app.get("bidi_component")) == 1  # the map component
    assert len(app.get("plotly_chart")) == 1  # its 3 x 3 legend
    assert get_measure("need_capacity").definition[:40] in " ".join(c.value for c in app.caption)
    priorities = app.dataframe[0].value
    assert len(priorities) == 10
    # Certainty in words, the likely range beside it.
    assert priorities["Top 10 in"].str.endswith("% of re-runs").all()
    # Only what fits beside the map at 1366 px, headings whole: the scores are in the table under it.
    assert list(priorities.columns) == ["Place", "Top 10 in", "Likely rank"]  # in priority order, 1 to 10
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
    assert len(app.get("plotly_chart")) == 1  # the 3 x 3 legend beside the map component
    table = _table(app)
    assert table.iloc[0]["Class"] == "high need / low capacity"
    legend = json.loads(app.get("plotly_chart")[0].proto.spec)
    counts = sorted(int(a["text"].replace(",", "")) for a in legend["layout"]["annotations"])
    assert sum(counts) == table["Class"].notna().sum()


def test_city_of_london_gap_is_said_for_trust(app) -> None:
    trust = next(i for i in INDICATORS_BY_ID if i.startswith("trust_"))
    app.radio(key="level").set_value("borough").run()
    app.selectbox(key="indicator").set_value(trust).run()
    assert not app.exception
    assert "No value for City of London" in " ".join(i.value for i in app.info)
    assert _table(app).iloc[-1]["Area"] == "City of London"  # missing values sort last, never as zero


def test_map_is_the_component_on_static_paths_and_sends_values_only(app) -> None:
    import base64

    import numpy as np

    app.radio(key="level").set_value("lsoa11").run()
    for measure_id in ("need_capacity", "need", "tree_canopy_pct"):
        app.selectbox(key="indicator").set_value(measure_id).run()
        data = _map_data(app)
        assert data["url"].startswith("app/static/geo/lsoa11.paths.json?v=")  # geometry: a cached static file
        assert data["outline_url"].startswith("app/static/geo/borough.paths.json?v=")
        assert data["measure"] == measure_id
        dtype = "uint8" if measure_id == "need_capacity" else "float32"
        values = np.frombuffer(base64.b64decode(data["values"]), dtype=dtype)
        assert len(values) == 4835  # one per neighbourhood, in the paths file's order
        if measure_id == "need_capacity":  # the overlay: high need, low capacity and exposed, one byte an area
            exposed = np.frombuffer(base64.b64decode(data["exposed"]), dtype="uint8")
            assert len(exposed) == 4835 and 0 < exposed.sum() < (values == 7).sum()
        size = len(app.get("bidi_component")[0].proto.json)
        assert size < 70_000, f"the {measure_id} map message is {size:,} bytes; the budget per change is 100 kB"
    assert not app.get("plotly_chart")  # no plotly map: it would rebuild thousands of SVG paths on each change


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


def test_without_writable_static_files_the_overview_falls_back_to_the_plotly_map(app_db, monkeypatch) -> None:
    import streamlit as st

    from cohesion_metrics.figures import svg_paths

    def read_only(geo: object) -> None:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(svg_paths, "ensure_paths", read_only)
    st.cache_resource.clear()
    st.cache_data.clear()
    try:
        at = _app(level="lsoa11")
        assert not at.get("bidi_component")
        assert len(at.get("plotly_chart")) == 2  # the plotly map and the 3 x 3 legend
        assert {t["type"] for t in _plotly_map(at)["data"]} == {"choropleth"}
    finally:
        st.cache_resource.clear()
        st.cache_data.clear()
