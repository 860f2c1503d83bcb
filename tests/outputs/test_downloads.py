"""Downloads of the current view: self-describing rows (codes, names, vintages, sources), CSV and GeoPackage."""

from __future__ import annotations

import io
from pathlib import Path

import duckdb
import geopandas as gpd
import pandas as pd
import pyogrio
import pytest
import shapely

from cohesion_metrics.metadata.indicators import INDICATORS_BY_ID
from cohesion_metrics.method.framework import default_indicators
from cohesion_metrics.outputs import safe_csv, view_files
from cohesion_metrics.read import page_frames, queries


def _frame(con: duckdb.DuckDBPyConnection, level: str, measure_id: str, borough: str | None = None) -> pd.DataFrame:
    names = queries.boroughs(con).set_index("borough_code")["borough_name"].to_dict()
    measure = page_frames.get_measure(measure_id)
    values = queries.indicator_values(con, measure_id, level) if measure.kind == "indicator" else None
    return page_frames.measure_frame(queries.cohesion_areas(con, level, borough), measure, names, values)


def test_need_rows_name_area_geography_and_every_source(con: duckdb.DuckDBPyConnection) -> None:
    measure = page_frames.get_measure("need")
    table = view_files.view_table(_frame(con, "lsoa11", "need"), measure, "lsoa11")
    assert len(table) == 4835 and table["area_code"].is_unique
    assert table.loc[0, "london_rank"] == 1  # most need first
    assert {"area_code", "area_name", "borough_name", "geography", "geography_source", "sources"} <= set(table)
    assert table["geography"].eq("LSOA 2011 (4,835, GLA statistical GIS boundaries; IoD2019 vintage)").all()
    used = default_indicators("lsoa11")
    assert f"From {len(used)} indicators" in table.loc[0, "sources"]
    assert "Census 2021" in table.loc[0, "sources"] and "Open Government Licence" in table.loc[0, "sources"]
    # The base rank lies in its likely range for almost every area (the draws mix three normalisations).
    assert (table["rank_likely_from"] <= table["london_rank"]).mean() > 0.99
    # Certainty in words, scores to 2 decimals.
    assert table["in_london_top10_share_of_reruns"].str.fullmatch(r"\d{1,3}%").all()
    assert (table["value"] == table["value"].round(2)).all()


def test_indicator_rows_cite_that_indicators_source_and_vintage(con: duckdb.DuckDBPyConnection) -> None:
    ind = INDICATORS_BY_ID["imd2019_avg_score"]
    table = view_files.view_table(
        _frame(con, "borough", "imd2019_avg_score"), page_frames.get_measure("imd2019_avg_score"), "borough"
    )
    assert len(table) == 33
    assert (table["sources"] == table.loc[0, "sources"]).all()
    assert ind.vintage in table.loc[0, "sources"]
    assert "rank_likely_from" not in table  # only need, capacity and priority have Monte Carlo rank intervals
    assert table["unit"].eq(ind.unit).all()


def test_pillar_sources_are_only_that_pillars_indicators(con: duckdb.DuckDBPyConnection) -> None:
    measure = page_frames.get_measure("pillar__inclusive_spaces")
    text = view_files.measure_sources(measure, "lsoa11")
    n = sum(1 for i in default_indicators("lsoa11") if i.pillar == "inclusive_spaces")
    assert f"From {n} indicators" in text
    assert "Indices of Deprivation" not in text


def test_class_rows_carry_need_capacity_and_priority_flag(con: duckdb.DuckDBPyConnection) -> None:
    frame = _frame(con, "ward", page_frames.CLASSES)
    table = view_files.view_table(frame, page_frames.get_measure(page_frames.CLASSES), "ward")
    assert {"need_score", "capacity_score", "high_need_low_capacity", "high_need_low_capacity_exposed"} <= set(table)
    assert table["high_need_low_capacity"].sum() == frame["is_priority"].sum() > 0


def test_geopackage_round_trips_rows_codes_and_crs(con: duckdb.DuckDBPyConnection, tmp_path: Path) -> None:
    measure = page_frames.get_measure("need")
    table = view_files.view_table(_frame(con, "lsoa11", "need", "E09000012"), measure, "lsoa11")
    path = tmp_path / "view.gpkg"
    path.write_bytes(view_files.view_geopackage(con, table, "lsoa11", "E09000012"))
    assert pyogrio.list_layers(path)[0][0] == "need"  # the layer is named after the measure
    back = pyogrio.read_dataframe(path)
    assert back.crs.to_epsg() == 27700
    assert list(back["area_code"]) == list(table["area_code"])
    assert back["value"].round(9).tolist() == table["value"].round(9).tolist()
    assert back.geometry.is_valid.all() and back.geometry.area.min() > 1000  # m2: real LSOAs, not points


def test_geopackage_refuses_wrong_crs_and_missing_areas() -> None:
    table = pd.DataFrame({"area_code": ["A", "B"], "value": [1.0, 2.0]})
    square = shapely.box(0, 0, 1, 1)
    with pytest.raises(ValueError, match="EPSG:27700"):
        view_files.to_geopackage(table, gpd.GeoSeries([square, square], index=["A", "B"], crs=4326), layer="x")
    with pytest.raises(ValueError, match="1 areas have no geometry"):
        view_files.to_geopackage(table, gpd.GeoSeries([square], index=["A"], crs=27700), layer="x")


def test_csv_of_the_view_neutralises_formula_text_and_keeps_numbers() -> None:
    table = pd.DataFrame({"area_name": ["=HYPERLINK(1)", "Hackney"], "value": [-0.5, 0.25]})
    back = pd.read_csv(io.BytesIO(safe_csv.to_csv_bytes(table)))
    assert back["area_name"].tolist() == ["'=HYPERLINK(1)", "Hackney"]
    assert back["value"].tolist() == [-0.5, 0.25]


def test_file_names_say_borough_level_measure_and_date() -> None:
    name = view_files.file_name("lsoa11", page_frames.get_measure("need"), "gpkg", borough="Hammersmith & Fulham")
    assert name.startswith("london-cohesion_hammersmith-fulham_lsoa11_need_")
    assert name.endswith(".gpkg")
