"""AppTest of the borough explorer: one borough's neighbourhoods, spaces, profile and actions, from widgets or URL."""

from __future__ import annotations

import json
import re

import pytest
from apptest_helpers import open_app
from streamlit.testing.v1 import AppTest

from cohesion_metrics import db
from cohesion_metrics.read import queries
from cohesion_metrics.read.page_frames import get_measure, value_column

CITY, HACKNEY = "E09000001", "E09000012"


def _app(**params: str | list[str]) -> AppTest:
    return open_app("app_pages/borough.py", via_root=True, **params)


@pytest.fixture(scope="module")
def truth(app_db) -> dict:
    """What the tables should hold, straight from the database."""
    con = db.connect(app_db)
    try:
        lsoa = queries.areas(con, "lsoa21" if "lsoa21" in queries.scored_levels(con) else "lsoa11")
        spaces = queries.spaces(con)
        return {
            "lsoas": lsoa.groupby("borough_code")["area_code"].apply(set).to_dict(),
            # spaces name the LSOA 2011 they lie in
            "lsoa11s": queries.areas(con, "lsoa11").groupby("borough_code")["area_code"].apply(set).to_dict(),
            "spaces": spaces.groupby("borough_code").size().to_dict(),
            "first": str(queries.boroughs(con)["borough_code"].iloc[0]),
        }
    finally:
        con.close()


def _lsoa_table(at: AppTest):
    return at.dataframe[0].value


def _spaces_table(at: AppTest):
    return at.dataframe[1].value


def test_default_borough_shows_only_its_neighbourhoods_and_spaces(app_db, truth) -> None:
    at = _app()
    assert at.title[0].value == "Borough explorer"
    code = at.selectbox(key="borough").value
    assert code == truth["first"]
    assert set(_lsoa_table(at)["Code"]) == truth["lsoas"][code]
    spaces = _spaces_table(at)
    assert len(spaces) == truth["spaces"][code]
    assert set(spaces["LSOA code"].dropna()) <= truth["lsoa11s"][code]
    assert len(at.get("plotly_chart")) == 3  # picker, neighbourhood map, pillar profile


def test_choosing_a_borough_changes_every_table(app_db, truth) -> None:
    at = _app()
    at.selectbox(key="borough").set_value(HACKNEY).run()
    assert not at.exception
    lsoa = _lsoa_table(at)
    assert set(lsoa["Code"]) == truth["lsoas"][HACKNEY] and len(lsoa) == len(truth["lsoas"][HACKNEY])
    assert lsoa["Area"].str.startswith("Hackney").all()
    assert len(_spaces_table(at)) == truth["spaces"][HACKNEY]
    text = " ".join(m.value for m in at.markdown)
    assert "**Hackney** ranks" in text
    assert "(e) Urgent needs and root causes" in text
    assert re.search(
        r"income deprivation \d+\.\d%, the highest of all boroughs", text
    )  # a sentence built from the figures
    assert "Islington" in " ".join(c.value for c in at.caption)  # its statistical neighbours are named


def test_url_opens_the_same_borough_and_map(app_db, truth) -> None:
    at = _app(borough=HACKNEY, measure="pillar__inclusive_spaces")
    assert at.selectbox(key="borough").value == HACKNEY
    assert at.selectbox(key="measure").value == "pillar__inclusive_spaces"
    lsoa = _lsoa_table(at)
    assert value_column(get_measure("pillar__inclusive_spaces")) in lsoa.columns
    assert set(lsoa["Code"]) == truth["lsoas"][HACKNEY]
    copied = _app(borough="Hackney")  # a copied link carries the label
    assert copied.selectbox(key="borough").value == HACKNEY


def test_measure_and_space_layers_change_the_map(app_db) -> None:
    at = _app(borough=HACKNEY)
    before = json.loads(at.get("plotly_chart")[0].proto.spec)
    names = [t.get("name", "") for t in before["data"]]
    assert any(n.startswith("Community centres & libraries") for n in names)
    assert not any(n.startswith("Pubs") for n in names)  # not counted, off by default
    at.selectbox(key="measure").set_value("pillar__hazard_air").run()
    at.pills(key="spaces").set_value(["community", "not_counted"]).run()
    assert not at.exception
    after = json.loads(at.get("plotly_chart")[0].proto.spec)
    names = [t.get("name", "") for t in after["data"]]
    assert any(n.startswith("Pubs") for n in names) and not any(n.startswith("Places of worship") for n in names)
    assert value_column(get_measure("pillar__hazard_air")) in _lsoa_table(at).columns
    assert all(t["geojson"].startswith("app/static/geo/lsoa21.geojson") for t in after["data"] if "geojson" in t)


def test_city_of_london_works_and_says_its_gaps(app_db, truth) -> None:
    at = _app(borough=CITY)
    assert at.selectbox(key="borough").value == CITY
    assert len(_lsoa_table(at)) == len(truth["lsoas"][CITY]) == 6
    warning = " ".join(w.value for w in at.warning)
    assert "*trust*" in warning and "no statistical neighbours" in warning
    assert "no election in May 2022" in warning
    assert "no statistical neighbours" in " ".join(c.value for c in at.caption)
    profile = json.loads(at.get("plotly_chart")[2].proto.spec)
    assert any("no data" in a["text"] for a in profile["layout"].get("annotations", []))


def test_far_from_community_neighbourhoods_are_outlined(app_db) -> None:
    at = _app(borough="E09000017")  # Hillingdon: outer London, many neighbourhoods far from a community centre
    table = _lsoa_table(at)
    far = table.loc[table["Beyond 800 m of a community space"] == "mostly", "Code"]
    assert len(far) > 0
    spec = json.loads(at.get("plotly_chart")[0].proto.spec)
    outlined = next(t for t in spec["data"] if "800 m of a community" in t.get("name", ""))
    assert set(outlined["locations"]) == set(far)


def test_no_gap_names_the_three_farthest_and_the_distance_measure_is_offered(app_db) -> None:
    at = _app(borough="E09000012")  # Hackney: no neighbourhood where most residents live beyond 800 m
    assert not at.exception
    caption = " ".join(c.value for c in at.caption)
    assert "the 0 of" not in caption
    farthest = caption.split("Farthest from one: ")[1]
    assert farthest.count(" m)") == 3 and farthest.count(" · ") == 3  # three places, with ward and distance
    options = at.selectbox(key="measure").options
    assert any("Distance to the nearest community centre or library (m)" in o for o in options)
    at.selectbox(key="measure").set_value("nearest_space_m_community").run()
    assert not at.exception
    assert any("metres" in c for c in _lsoa_table(at).columns)
