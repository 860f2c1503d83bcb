"""AppTest of "Your local data": uploads are read, reported row by row, used by the maps and kept to their session."""

from __future__ import annotations

import json
import re
from pathlib import Path

import duckdb
import pandas as pd
import pytest
from apptest_helpers import open_app
from streamlit.testing.v1 import AppTest

from cohesion_metrics import db
from cohesion_metrics.read import page_frames, queries
from cohesion_metrics.uploads import analysis

PAGE = "app_pages/local.py"
BOROUGH_PAGE = "app_pages/borough.py"


@pytest.fixture(scope="module")
def far_lsoa(app_db: Path) -> pd.Series:
    """An LSOA where most residents live beyond 800 m of a community space, with its population-weighted centre."""
    con = db.connect(app_db, read_only=True)
    try:
        values = queries.indicator_values(con, page_frames.FAR_INDICATOR, "lsoa11")
        far = set(page_frames.far_from_community(values))
        table = analysis.lsoa_table(con, ["need"])
    finally:
        con.close()
    return table[table["lsoa11_code"].isin(far)].sort_values("lsoa11_code").iloc[0]


def _spaces_csv(lsoa: pd.Series, extra: str = "") -> bytes:
    rows = f"Our Hall,community centre,{lsoa['point_x']:.0f},{lsoa['point_y']:.0f}\n"
    return ("name,type,easting,northing\n" + rows + extra).encode("utf-8")


def _local(app_db: Path) -> AppTest:
    return open_app(PAGE)


def _upload(at: AppTest, key: str, name: str, data: bytes) -> AppTest:
    at.file_uploader(key=key).set_value((name, data, "text/csv")).run()
    assert not at.exception, at.exception
    return at


def _texts(at: AppTest) -> str:
    parts = [*at.markdown, *at.caption, *at.info, *at.warning, *at.success, *at.error]
    # the text a reader sees: user strings are shown with their punctuation backslash-escaped
    return re.sub(r"\\(.)", r"\1", "\n".join(str(p.value) for p in parts)).replace("\u2060", "")


def _map_traces(at: AppTest, key: str) -> list[str]:
    chart = next(c for c in at.get("plotly_chart") if key in c.proto.id)
    return [t.get("name", "") for t in json.loads(chart.proto.spec)["data"]]


def test_page_says_uploads_stay_in_the_session(app_db: Path) -> None:
    at = _local(app_db)
    assert at.title[0].value == "Your local data"
    assert "never saved to disk or to the shared database" in at.info[0].value
    assert [u.label for u in at.file_uploader] == ["Your spaces", "Your indicator", "Your areas"]


def test_spaces_upload_reports_rejections_and_shrinks_the_gap(app_db: Path, far_lsoa: pd.Series) -> None:
    at = _upload(_local(app_db), "upload_spaces_file", "mine.csv", _spaces_csv(far_lsoa, "Moon base,spaceship,1,2\n"))
    assert "**mine\\.csv**: 1 space kept, 1 row rejected" in at.warning[0].value
    rejected = at.dataframe[0].value
    assert rejected["row"].tolist() == [3] and "spaceship" in rejected["reason"].iloc[0]
    changed = at.dataframe[1].value
    row = changed.set_index("Code").loc[far_lsoa["lsoa11_code"]]
    assert row["Residents within 800 m, open data (%)"] < page_frames.FAR_BELOW_PCT <= row["With your spaces (%)"]
    assert "are no longer among those" in _texts(at)


def test_borough_map_shows_session_spaces_and_fewer_gaps(app_db: Path, far_lsoa: pd.Series) -> None:
    borough = far_lsoa["borough_code"]
    before = open_app(BOROUGH_PAGE, via_root=True, borough=borough)
    n_before = int(next(c.value for c in before.caption if "Outlined in black" in c.value).split("the ")[1].split()[0])
    assert not any("Your spaces" in n for n in _map_traces(before, "borough_map"))

    at = _upload(_local(app_db), "upload_spaces_file", "mine.csv", _spaces_csv(far_lsoa))
    at.query_params["borough"] = borough
    at.switch_page(BOROUGH_PAGE).run()
    assert not at.exception
    caption = next(c.value for c in at.caption if "Outlined in black" in c.value)
    assert "counting the 1 community centres and libraries you uploaded in" in caption
    assert int(caption.split("the ")[1].split()[0]) == n_before - 1
    assert "Your spaces (this session) (1)" in _map_traces(at, "borough_map")


def test_a_bad_file_after_a_good_one_keeps_the_good_one(app_db: Path, far_lsoa: pd.Series) -> None:
    at = _upload(_local(app_db), "upload_spaces_file", "mine.csv", _spaces_csv(far_lsoa))
    at = _upload(at, "upload_spaces_file", "broken.csv", b"")
    assert "**broken\\.csv** cannot be used" in at.error[0].value
    assert "Still using your earlier file, mine.csv." in _texts(at)
    assert "**mine\\.csv**: 1 space kept" in at.success[0].value


def test_one_sessions_upload_is_invisible_to_another(app_db: Path, far_lsoa: pd.Series) -> None:
    mine = _upload(_local(app_db), "upload_spaces_file", "secret.csv", _spaces_csv(far_lsoa))
    theirs = _local(app_db)  # a second browser session at the same time, same server process
    assert "secret.csv" in _texts(mine)
    assert "secret.csv" not in _texts(theirs) and "spaces kept" not in _texts(theirs)
    assert "local_spaces" in mine.session_state and "local_spaces" not in theirs.session_state
    theirs.query_params["borough"] = far_lsoa["borough_code"]
    theirs.switch_page(BOROUGH_PAGE).run()
    assert not any("Your spaces" in n for n in _map_traces(theirs, "borough_map"))
    assert "you uploaded" not in _texts(theirs)


def test_uploads_leave_the_database_unchanged(app_db: Path, far_lsoa: pd.Series) -> None:
    before = app_db.read_bytes()
    at = _upload(_local(app_db), "upload_spaces_file", "mine.csv", _spaces_csv(far_lsoa))
    at.switch_page(BOROUGH_PAGE).run()
    assert app_db.read_bytes() == before
    con = duckdb.connect(str(app_db), read_only=True)
    try:
        assert con.execute("SELECT count(*) FROM core_spaces__inclusive WHERE source_id = 'upload'").fetchone() == (0,)
    finally:
        con.close()


def test_borough_explorer_opens_where_the_uploaded_spaces_are(app_db: Path, far_lsoa: pd.Series) -> None:
    at = _upload(_local(app_db), "upload_spaces_file", "mine.csv", _spaces_csv(far_lsoa))
    at.switch_page(BOROUGH_PAGE).run()
    assert at.selectbox(key="borough").value == far_lsoa["borough_code"]
    linked = _upload(_local(app_db), "upload_spaces_file", "mine.csv", _spaces_csv(far_lsoa))
    linked.query_params["borough"] = "E09000001"  # a link names a borough: the link wins
    linked.switch_page(BOROUGH_PAGE).run()
    assert linked.selectbox(key="borough").value == "E09000001"


def test_uploaded_indicator_joins_the_priority_with_its_weight(app_db: Path, con) -> None:
    codes = queries.areas(con, "lsoa11", "E09000012")["area_code"].tolist()  # Hackney's LSOAs
    rows = "".join(f"{c},{(i * 37) % 100}\n" for i, c in enumerate(codes))
    at = _upload(_local(app_db), "upload_indicator_file", "survey.csv", f"lsoa_code,belonging\n{rows}".encode())
    assert f"{len(codes)} of London's 4,835 neighbourhoods have a value" in _texts(at)
    table = at.dataframe[0].value  # no rows rejected: the first table is the re-ranking
    assert set(table["Code"]) == set(codes)
    at.slider(key="local_share").set_value(0).run()
    unweighted = at.dataframe[0].value.set_index("Code")
    moved = "Places moved (+ = higher priority)"
    assert (unweighted[moved].fillna(0) == 0).all()  # a 0% share leaves the open-data priority list
    at.slider(key="local_share").set_value(50).run()
    weighted = at.dataframe[0].value.set_index("Code")
    assert (weighted[moved].fillna(0) != 0).any()
    listed = weighted[weighted["Priority with yours"].notna()]
    assert len(listed) > 0 and listed["Likely rank range"].str.len().gt(0).all()
    assert listed["How sure: in London's top 10 in"].str.endswith("% of re-runs").all()
    chart = next(c for c in at.get("plotly_chart") if "local_priority_map" in c.proto.id)
    *areas, outlines = json.loads(chart.proto.spec)["data"]  # no data, the new priority, borough outlines on top
    assert sum(len(t["locations"]) for t in areas) == 4835 and len(outlines["locations"]) == 33
    highest = listed["Your value"].idxmax()
    at.radio(key="local_direction").set_value("less need").run()
    flipped = at.dataframe[0].value.set_index("Code")
    assert flipped.loc[highest, "Priority with yours"] > weighted.loc[highest, "Priority with yours"]


def test_uploaded_areas_get_population_weighted_summaries(app_db: Path, con) -> None:
    import geopandas as gpd

    hackney = queries.area_geometries(con, "borough", "E09000012").to_crs(4326)
    data = gpd.GeoDataFrame({"name": ["All of Hackney"]}, geometry=hackney.values, crs=4326).to_json().encode()
    at = _local(app_db)
    at.file_uploader(key="upload_areas_file").set_value(("forum.geojson", data, "application/geo+json")).run()
    assert not at.exception
    assert "**forum\\.geojson**: 1 area kept, none rejected." in at.success[0].value
    summary = at.dataframe[0].value
    assert summary.loc[0, "Area"] == "All of Hackney"
    assert summary.loc[0, "Neighbourhoods (LSOAs)"] == len(queries.areas(con, "lsoa11", "E09000012"))
    chart = next(c for c in at.get("plotly_chart") if "local_areas_map" in c.proto.id)
    traces = json.loads(chart.proto.spec)["data"]
    assert [len(t["locations"]) for t in traces if isinstance(t.get("geojson"), dict)] == [1]  # the area, in-figure


def test_upload_survives_leaving_the_page_until_forgotten(app_db: Path, far_lsoa: pd.Series) -> None:
    at = _upload(_local(app_db), "upload_spaces_file", "mine.csv", _spaces_csv(far_lsoa))
    at.switch_page(BOROUGH_PAGE).run()
    at.switch_page(PAGE).run()  # Streamlit empties the uploader of a page that was left
    assert not at.exception
    assert "Using **mine.csv**, uploaded earlier in this session." in _texts(at)
    assert "**mine\\.csv**: 1 space kept" in at.success[0].value
    at.button(key="forget_local_spaces").click().run()
    assert "local_spaces" not in at.session_state and "mine.csv" not in _texts(at)


def test_removing_the_file_forgets_the_upload(app_db: Path, far_lsoa: pd.Series) -> None:
    at = _upload(_local(app_db), "upload_spaces_file", "mine.csv", _spaces_csv(far_lsoa))
    at.file_uploader(key="upload_spaces_file").clear().run()
    assert "local_spaces" not in at.session_state and "local_spaces_catchments" not in at.session_state


def test_borough_caption_counts_only_that_boroughs_community_spaces(app_db: Path, far_lsoa: pd.Series) -> None:
    x, y = f"{far_lsoa['point_x']:.0f}", f"{far_lsoa['point_y']:.0f}"
    extra = f"The Crown,pub,{x},{y}\nBarbican Library,library,532476,181345\n"  # a pub here; a library in the City
    at = _upload(_local(app_db), "upload_spaces_file", "mine.csv", _spaces_csv(far_lsoa, extra))
    assert "**mine\\.csv**: 3 spaces kept, none rejected." in at.success[0].value
    at.query_params["borough"] = far_lsoa["borough_code"]
    at.switch_page(BOROUGH_PAGE).run()
    caption = next(c.value for c in at.caption if "Outlined in black" in c.value)
    assert "counting the 1 community centres and libraries you uploaded in" in caption  # not the pub or the City's


def test_indicator_with_two_number_columns_offers_the_choice(app_db: Path, con) -> None:
    codes = queries.areas(con, "lsoa11", "E09000012")["area_code"].tolist()[:20]
    rows = "".join(f"{c},{2020 + i % 2},{i * 3.5}\n" for i, c in enumerate(codes))
    at = _upload(_local(app_db), "upload_indicator_file", "s.csv", f"lsoa_code,year,belonging\n{rows}".encode())
    picker = at.selectbox(key="local_value_column")
    assert list(picker.options) == ["year", "belonging"] and picker.value == "year"
    picker.set_value("belonging").run()
    assert not at.exception
    assert "Read **belonging** by neighbourhood code: 20 of London's" in _texts(at)
    assert at.dataframe[0].value.set_index("Code").loc[codes[1], "Your value"] == 3.5


def test_reranking_is_kept_in_the_session_until_a_choice_changes(app_db: Path, con) -> None:
    codes = queries.areas(con, "lsoa11", "E09000012")["area_code"].tolist()
    rows = "".join(f"{c},{i % 7}\n" for i, c in enumerate(codes))
    at = _upload(_local(app_db), "upload_indicator_file", "s.csv", f"lsoa_code,score\n{rows}".encode())
    first = at.session_state["local_indicator_reranked"]
    at.run()  # a rerun for any other reason reuses it
    assert at.session_state["local_indicator_reranked"] is first
    at.slider(key="local_share").set_value(30).run()
    assert at.session_state["local_indicator_reranked"][0] != first[0]
    at.file_uploader(key="upload_indicator_file").clear().run()  # removing the file drops what came from it
    assert "local_indicator_reranked" not in at.session_state


def test_spaces_that_change_nothing_say_so_without_an_empty_table(app_db: Path, con) -> None:
    space = queries.spaces(con).query("space_type == 'library'").iloc[0]  # beside an existing library
    data = f"name,type,easting,northing\nOur Library,library,{space['easting']:.0f},{space['northing']:.0f}\n"
    data += f"Youth Club,youth centre,{space['easting']:.0f},{space['northing'] + 5:.0f}\n"
    at = _upload(_local(app_db), "upload_spaces_file", "same.csv", data.encode())
    texts = _texts(at)
    assert "add no residents within 800 m" in texts and "gain" not in texts.split("What your spaces change")[-1]
    assert len(at.dataframe) == 0  # no rejected rows and no empty change table
    assert not [b for b in at.get("download_button") if b.proto.label == "This table (CSV)"]
    # which group each uploaded type joins: a youth centre stays a youth centre and counts as a community venue
    assert "1 youth centre → *Community centres & libraries*" in texts
    assert "1 library → *Community centres & libraries*" in texts


def test_session_spaces_are_dark_with_a_white_edge(app_db: Path, far_lsoa: pd.Series) -> None:
    at = _upload(_local(app_db), "upload_spaces_file", "mine.csv", _spaces_csv(far_lsoa))
    at.query_params["borough"] = far_lsoa["borough_code"]
    at.switch_page(BOROUGH_PAGE).run()
    chart = next(c for c in at.get("plotly_chart") if "borough_map" in c.proto.id)
    traces = json.loads(chart.proto.spec)["data"]
    edge, mine = traces[-2], traces[-1]
    assert mine["name"] == "Your spaces (this session) (1)" and mine["marker"]["color"] == "#1A1A1A"
    assert edge["marker"]["color"] == "#ffffff" and edge["marker"]["size"] > mine["marker"]["size"]
