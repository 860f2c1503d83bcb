"""Analysis with session uploads: catchments with extra spaces, custom-area summaries, a local indicator.

Hand-computed fixtures check the arithmetic; the app database checks that, without uploads, the stored values come
back, and that nothing is ever written to it.
"""

from __future__ import annotations

import hashlib
import io
import math
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pyproj
import pytest
import shapely

from cohesion_metrics import db
from cohesion_metrics.errors import SpecError, WeightError
from cohesion_metrics.metadata import schema
from cohesion_metrics.method import framework
from cohesion_metrics.method.normalise import pillar_ids
from cohesion_metrics.read import page_frames, queries
from cohesion_metrics.uploads import analysis as ua
from cohesion_metrics.uploads import local_indicator
from cohesion_metrics.uploads.areas_file import read_areas
from cohesion_metrics.uploads.indicator_csv import read_indicator_csv
from cohesion_metrics.uploads.spaces_csv import read_spaces_csv

#: Borough values that are the mid-2015-population-weighted mean of the LSOA 2011 values (the carried indicators,
#: e.g. air quality and tree canopy, are now Census-2021-weighted means of their LSOA 2021 values instead).
AGGREGATED = ["imd2019_score", "road_distance_gp_km", "education2019_score", "crime2019_score"]


def _state(path: Path, con) -> tuple[str, dict[str, int]]:
    counts = {t.name: con.execute(f"SELECT count(*) FROM {t.name}").fetchone()[0] for t in schema.TABLES}
    return hashlib.sha256(path.read_bytes()).hexdigest(), counts


@pytest.fixture(scope="module")
def con(app_db: Path):
    connection = db.connect(app_db, read_only=True)
    before = _state(app_db, connection)
    yield connection
    assert _state(app_db, connection) == before, "the app database changed during the upload analyses"
    connection.close()


@pytest.fixture(scope="module")
def base(con) -> ua.CatchmentBase:
    return ua.catchment_base(con)


@pytest.fixture(scope="module")
def lsoas(con) -> gpd.GeoDataFrame:
    return ua.lsoa_polygons(con)


# --------------------------------------------------------------------------------------------------------------
# Catchments
# --------------------------------------------------------------------------------------------------------------


def _tiny_base() -> ua.CatchmentBase:
    """LSOA 2021s A, B, C (and D, merged from two 2011 LSOAs); one community centre at (0, 500)."""
    lsoa21 = pd.DataFrame(
        {
            "lsoa21_code": ["A", "B", "C", "D"],
            "population": [100.0, 300.0, 100.0, 50.0],
            "pwc_easting": [0.0, 1000.0, 0.0, 5000.0],
            "pwc_northing": [0.0, 0.0, 2000.0, 0.0],
            "ward_code": ["W1", "W1", "W2", "W2"],
            "borough_code": ["X", "X", "X", "X"],
        }
    )
    spaces = pd.DataFrame({"space_type": ["community_centre"], "easting": [0.0], "northing": [500.0]})
    lookup = pd.DataFrame(
        {
            "lsoa11_code": ["L1", "L2", "L2", "L3", "L4"],
            "lsoa21_code": ["A", "B", "C", "D", "D"],
            "change": ["U", "S", "S", "M", "M"],
        }
    )
    return ua.CatchmentBase(lsoa21, spaces, lookup)


def _values(frame: pd.DataFrame, column: str = "value") -> dict[tuple[str, str], float]:
    return {(a, i): v for a, i, v in zip(frame["area_code"], frame["indicator_id"], frame[column], strict=True)}


def test_catchments_by_hand() -> None:
    out = ua.catchments_with_uploads(_tiny_base(), None, level="lsoa11")
    v = _values(out)
    assert set(out["area_code"]) == {"L1", "L2"}  # L3 and L4 were merged in 2021: left missing, as the build
    assert set(out["indicator_id"]) == {
        f"{m}_{g}"
        for g in ("community", "any")
        for m in ("pop_within_400m_pct", "pop_within_800m_pct", "pop_within_1200m_pct", "nearest_space_m")
    }  # no faith or culture space: no value, as the build
    assert v["L1", "pop_within_800m_pct_community"] == 100.0
    assert v["L1", "pop_within_400m_pct_community"] == 0.0
    assert v["L1", "nearest_space_m_community"] == 500.0
    # L2 = B (300 residents, sqrt(1000^2 + 500^2) = 1118 m) + C (100 residents, 1500 m)
    assert v["L2", "pop_within_800m_pct_community"] == 0.0
    assert v["L2", "pop_within_1200m_pct_community"] == 75.0
    assert v["L2", "nearest_space_m_community"] == pytest.approx((300 * math.hypot(1000, 500) + 100 * 1500) / 400)
    assert out["value"].equals(out["value_without_uploads"])

    library = pd.DataFrame({"space_type": ["library"], "easting": [1000.0], "northing": [0.0]})
    after = _values(ua.catchments_with_uploads(_tiny_base(), library, level="lsoa11"))
    assert after["L2", "pop_within_800m_pct_community"] == 75.0
    assert after["L2", "nearest_space_m_community"] == pytest.approx((300 * 0 + 100 * 1500) / 400)
    assert after["L1", "nearest_space_m_community"] == 500.0

    wards = _values(ua.catchments_with_uploads(_tiny_base(), library, level="ward"))
    # W2 = C (100 residents, 1500 m) + D (50 residents, 4000 m from the library)
    assert wards["W2", "nearest_space_m_any"] == pytest.approx((100 * 1500 + 50 * 4000) / 150)


def test_the_values_without_uploads_are_computed_once_and_not_changed_by_an_upload() -> None:
    base = _tiny_base()
    first = base.at_level("lsoa11")[1]
    kept, distances = first.copy(), {g: d.copy() for g, d in base.distances.items()}
    library = pd.DataFrame({"space_type": ["library"], "easting": [1000.0], "northing": [0.0]})
    with_library = ua.catchments_with_uploads(base, library, level="lsoa11")
    assert base.at_level("lsoa11")[1] is first  # the shared base keeps one frame per level
    pd.testing.assert_frame_equal(first, kept)  # an upload leaves it as it was
    assert all(np.array_equal(base.distances[g], d) for g, d in distances.items())  # and the base's distances
    assert _values(with_library, "value_without_uploads") == _values(ua.catchments_with_uploads(_tiny_base(), None))


def test_distances_with_uploads_equal_those_computed_from_all_spaces(con, base) -> None:
    """The nearer of the app's nearest and the uploads' nearest is the nearest of all spaces: the same figures."""
    from cohesion_metrics.method.catchments import catchment_counts

    extra = pd.DataFrame(
        {
            "space_type": ["library", "theatre", "place_of_worship"],
            "easting": [531_000.0, 525_000.0, 540_000.0],
            "northing": [181_000.0, 175_000.0, 190_000.0],
        }
    )
    ours = ua.catchments_with_uploads(base, extra, level="lsoa21")
    counts = catchment_counts(base.lsoa21, pd.concat([base.spaces, extra], ignore_index=True))
    whole = counts.groupby(["lsoa21_code", "indicator_id"])[["num", "den"]].sum()
    scale = whole.index.get_level_values("indicator_id").map(lambda i: ua.INDICATORS_BY_ID[i].scale)
    expected = (whole["num"] / whole["den"] * scale).rename("value")
    got = ours.set_index(["area_code", "indicator_id"])["value"].rename_axis(["lsoa21_code", "indicator_id"])
    pd.testing.assert_series_equal(got.sort_index(), expected.sort_index(), check_exact=True)


@pytest.mark.parametrize("level", ua.CATCHMENT_LEVELS)
def test_without_uploads_the_stored_values_come_back(con, base, level: str) -> None:
    out = ua.catchments_with_uploads(base, None, level=level)
    stored = con.execute(
        """SELECT area_code, indicator_id, value FROM core_indicators__values WHERE area_level = ?
           AND (indicator_id LIKE 'pop_within_%' OR indicator_id LIKE 'nearest_space_m_%')""",
        [level],
    ).df()
    assert len(stored) > 0
    got, want = _values(out), _values(stored)
    assert got.keys() == want.keys()
    assert max(abs(got[k] - want[k]) for k in want) < 1e-9  # the snapshot stores 10 decimals
    assert (out["value"] == out["value_without_uploads"]).all()
    assert (out["area_level"] == level).all()


def _wgs84(easting: float, northing: float) -> tuple[float, float]:
    lon, lat = pyproj.Transformer.from_crs("EPSG:27700", "EPSG:4326", always_xy=True).transform(easting, northing)
    return lat, lon


def test_uploading_a_community_centre_raises_that_lsoas_share(con, base, lsoas) -> None:
    before = ua.catchment_indicator(ua.catchments_with_uploads(base, None), page_frames.FAR_INDICATOR)
    far = page_frames.far_from_community(before)
    unchanged = set(base.lookup.loc[base.lookup["change"] == "U", "lsoa11_code"])
    target = next(code for code in far if code in unchanged)
    child = base.lookup.loc[base.lookup["lsoa11_code"] == target, "lsoa21_code"].iloc[0]
    pwc = base.lsoa21.set_index("lsoa21_code").loc[child, ["pwc_easting", "pwc_northing"]]
    lat, lon = _wgs84(pwc["pwc_easting"], pwc["pwc_northing"])
    data = f"name,type,latitude,longitude\nNew Hall,community centre,{lat:.8f},{lon:.8f}\n".encode()
    upload = read_spaces_csv(data, "hall.csv", lsoas)
    assert upload.valid["lsoa11_code"].tolist() == [target]

    catchments = ua.catchments_with_uploads(base, upload.valid)
    share = ua.catchment_indicator(catchments, page_frames.FAR_INDICATOR).set_index("area_code")
    old = before.set_index("area_code")["value"]
    assert old[target] < 50.0
    assert share.loc[target, "value"] == 100.0
    assert (share["change"] >= -1e-9).all()  # a new space never lowers a share ...
    nearest = catchments[catchments["indicator_id"].str.startswith("nearest_space_m_")]
    assert (nearest["value"] <= nearest["value_without_uploads"] + 1e-9).all()  # ... nor lengthens a distance
    assert target not in page_frames.far_from_community(share.reset_index())
    faith = catchments[catchments["indicator_id"].str.endswith("_faith")]
    assert (faith["value"] == faith["value_without_uploads"]).all()  # a community centre is not a place of worship


def test_uploading_a_pub_changes_nothing(base, lsoas) -> None:
    upload = read_spaces_csv(b"name,type,lat,lon\nThe Bell,pub,51.51,-0.12\n", "pub.csv", lsoas)
    assert len(upload.valid) == 1
    out = ua.catchments_with_uploads(base, upload.valid)
    assert (out["value"] == out["value_without_uploads"]).all()


# --------------------------------------------------------------------------------------------------------------
# Custom areas
# --------------------------------------------------------------------------------------------------------------


def _tiny_lsoas() -> gpd.GeoDataFrame:
    """Three 1 km squares side by side; L2 has no value; centroids at the square centres."""
    boxes = [shapely.box(k * 1000, 0, (k + 1) * 1000, 1000) for k in range(3)]
    return gpd.GeoDataFrame(
        {
            "lsoa11_code": ["L1", "L2", "L3"],
            "lsoa11_name": ["a", "b", "c"],
            "ward_code": ["W", "W", "W"],
            "borough_code": ["X", "X", "X"],
            "population": [100.0, 300.0, 200.0],
            "point_x": [500.0, 1500.0, 2500.0],
            "point_y": [500.0, 500.0, 500.0],
            "score": [10.0, np.nan, 40.0],
        },
        geometry=boxes,
        crs="EPSG:27700",
    )


def test_aggregate_by_hand() -> None:
    areas = gpd.GeoDataFrame(
        {"area_id": [1, 2, 3, 4], "name": ["West", "Pocket park", "Everything", "Elsewhere"]},
        geometry=[
            shapely.box(0, 0, 1600, 1000),  # holds the centroids of L1 and L2
            shapely.box(2050, 50, 2150, 150),  # inside L3 but not around its centroid
            shapely.box(-10, -10, 3010, 1010),
            shapely.box(9000, 9000, 9100, 9100),
        ],
        crs="EPSG:27700",
    )
    out = ua.aggregate_over_areas(areas, _tiny_lsoas())
    table = out.table.set_index("area_id")
    assert table.loc[1, "n_lsoas"] == 2 and table.loc[1, "population"] == 400.0
    assert table.loc[1, "score"] == 10.0  # L2 has no value: the mean is over L1 only
    west = out.values.set_index("area_id").loc[1]
    assert west["population_share_with_value"] == 0.25 and west["n_lsoas_with_value"] == 1
    assert table.loc[2, "score"] == 40.0
    assert table.loc[2, "assignment"] == "LSOA containing the area (smaller than a neighbourhood)"
    assert table.loc[3, "score"] == (100 * 10 + 200 * 40) / 300
    assert table.loc[3, "population"] == 600.0
    assert table.loc[4, "n_lsoas"] == 0 and np.isnan(table.loc[4, "score"])
    assert any("Pocket park" in n for n in out.notes)
    assert any("cover no London neighbourhood" in n for n in out.notes)
    assert sorted(out.membership.loc[out.membership["area_id"] == 3, "lsoa11_code"]) == ["L1", "L2", "L3"]


@pytest.fixture(scope="module")
def borough_areas(con) -> gpd.GeoDataFrame:
    """The 33 borough polygons, uploaded as a GeoPackage built in memory."""
    rows = con.execute("SELECT borough_name AS name, borough_code, ST_AsWKB(geom) AS wkb FROM core_geo__borough").df()
    frame = gpd.GeoDataFrame(
        rows[["name", "borough_code"]], geometry=shapely.from_wkb([bytes(w) for w in rows["wkb"]]), crs="EPSG:27700"
    )
    buf = io.BytesIO()
    frame.to_file(buf, driver="GPKG", layer="boroughs")
    result = read_areas(buf.getvalue(), "boroughs.gpkg", london=ua.london_outline(con))
    assert result.rejected.empty and len(result.valid) == 33
    return result.valid.merge(frame[["name", "borough_code"]], on="name")


def test_a_borough_drawn_as_an_area_gets_the_borough_figures(con, borough_areas) -> None:
    table = ua.lsoa_table(con, [*AGGREGATED, "need"])
    out = ua.aggregate_over_areas(borough_areas, table).table.merge(borough_areas[["area_id", "borough_code"]])
    stored = con.execute(
        "SELECT area_code AS borough_code, indicator_id, value FROM core_indicators__values "
        "WHERE area_level = 'borough' AND indicator_id IN (SELECT unnest(?))",
        [AGGREGATED],
    ).df()
    for row in stored.itertuples():
        got = out.loc[out["borough_code"] == row.borough_code, row.indicator_id].iloc[0]
        assert got == pytest.approx(row.value, rel=1e-9, abs=1e-9), (
            row.borough_code,
            row.indicator_id,
        )  # snapshot stores 10 decimals
    summaries = con.execute(
        "SELECT area_code AS borough_code, score_pop_weighted_mean, population, n_areas "
        "FROM out_cohesion__lsoa_summaries WHERE area_level = 'borough'"
    ).df()
    check = out.merge(summaries, on="borough_code")
    assert len(check) == 33
    assert np.allclose(check["need"], check["score_pop_weighted_mean"], rtol=1e-12)
    assert (check["population_x"] == check["population_y"]).all()
    assert (check["n_lsoas"] == check["n_areas"]).all()
    assert check["n_lsoas"].sum() == 4835  # every LSOA counted once
    # The borough's own need is scored from borough values, not averaged from its LSOAs (see the docstring).
    own = con.execute(
        "SELECT area_code AS borough_code, need AS own_need FROM out_cohesion__areas WHERE area_level = 'borough'"
    ).df()
    hackney = check.merge(own, on="borough_code").set_index("borough_code").loc["E09000012"]
    assert abs(hackney["need"] - hackney["own_need"]) > 0.01


def test_connection_or_table_give_the_same_summary(con, borough_areas) -> None:
    one = borough_areas.head(3)
    from_con = ua.aggregate_over_areas(one, con, ["imd2019_score"])
    from_table = ua.aggregate_over_areas(one, ua.lsoa_table(con, ["imd2019_score"]))
    pd.testing.assert_frame_equal(from_con.table, from_table.table)
    with pytest.raises(ValueError, match="no LSOA 2011 values for"):
        ua.lsoa_table(con, ["trust_police_pct"])


# --------------------------------------------------------------------------------------------------------------
# A local indicator in the framework, and so in the priority
# --------------------------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def lsoa_values(con) -> pd.DataFrame:
    return framework.indicator_matrix(con, "lsoa11")


@pytest.fixture(scope="module")
def default_run(lsoa_values) -> framework.Assessment:
    return framework.assess(lsoa_values, "lsoa11", n_draws=40)


def _local(con) -> pd.Series:
    """An uploaded indicator for Camden's LSOAs: high need in the first, low elsewhere."""
    codes = con.execute("SELECT lsoa11_code FROM core_geo__lsoa11 WHERE borough_code = 'E09000007' ORDER BY 1").df()
    rows = [f"{c},{100 if k == 0 else k % 7}" for k, c in enumerate(codes["lsoa11_code"])]
    upload = read_indicator_csv(("code,loneliness\n" + "\n".join(rows)).encode(), "l.csv", ua.area_codes(con))
    assert upload.level == "lsoa11" and upload.rejected.empty
    return upload.series()


def test_share_zero_reproduces_the_default_run(con, lsoa_values, default_run) -> None:
    run = local_indicator.assess_with_local_indicator(
        lsoa_values, "lsoa11", _local(con), pillar="connections", higher_is_more_need=True, share=0.0, n_draws=40
    )
    for measure in ("need", "capacity", "priority"):
        assert np.allclose(run.measures[measure], default_run.measures[measure], rtol=0, atol=1e-12, equal_nan=True)
    assert run.result.weights[local_indicator.LOCAL_ID] == 0.0
    assert run.specs[-1].id == local_indicator.LOCAL_ID and run.specs[:-1] == default_run.specs


def test_a_local_indicator_reranks(con, lsoa_values, default_run) -> None:
    local = _local(con)
    run = local_indicator.assess_with_local_indicator(
        lsoa_values, "lsoa11", local, pillar="connections", higher_is_more_need=True, share=0.25, n_draws=40
    )
    assert run.result.weights[local_indicator.LOCAL_ID] == pytest.approx(0.25)
    assert run.result.weights.sum() == pytest.approx(1.0)
    pillar_before = default_run.result.pillar_weights["connections"]
    assert run.result.pillar_weights["connections"] == pytest.approx(0.75 * pillar_before + 0.25)
    top = local.index[0]
    # More need on the local figure, in a capacity pillar: less cohesion capacity, ranked nearer 1 (least).
    assert run.measures["capacity_rank"][top] < default_run.measures["capacity_rank"][top]
    outside = run.result.pillars.index.difference(local.index)
    # Areas without the local value keep their pillar scores: only the weights moved.
    pd.testing.assert_frame_equal(run.result.pillars.loc[outside], default_run.result.pillars.loc[outside])
    pillars = pillar_ids(framework.active_specs(lsoa_values, "lsoa11"))
    by_pillar = local_indicator.assess_with_local_indicator(
        lsoa_values,
        "lsoa11",
        local,
        pillar="urgent_needs",
        higher_is_more_need=False,
        share=0.1,
        weights={p: 2.0 if p == "urgent_needs" else 1.0 for p in pillars},
        weights_by="pillar",
        n_draws=10,
    )
    assert by_pillar.result.weights[local_indicator.LOCAL_ID] == pytest.approx(0.1)
    # The registry pillars keep their chosen proportions on the other 90%.
    assert by_pillar.result.pillar_weights["hazard_air"] == pytest.approx(0.9 / (len(pillars) + 1))
    assert by_pillar.result.pillar_weights["urgent_needs"] == pytest.approx(0.9 * 2 / (len(pillars) + 1) + 0.1)


def test_local_indicator_bad_inputs(con, lsoa_values) -> None:
    local = _local(con)
    common = {"higher_is_more_need": True, "n_draws": 5}
    with pytest.raises(SpecError, match="pillar 'context' is not scored"):
        local_indicator.assess_with_local_indicator(lsoa_values, "lsoa11", local, pillar="context", share=0.1, **common)
    with pytest.raises(WeightError, match=r"share 1\.0 must be at least 0 and below 1"):
        local_indicator.assess_with_local_indicator(
            lsoa_values, "lsoa11", local, pillar="connections", share=1.0, **common
        )
    with pytest.raises(SpecError, match="'imd2019_score' is already in use"):
        local_indicator.assess_with_local_indicator(
            lsoa_values, "lsoa11", local, pillar="connections", share=0.1, indicator_id="imd2019_score", **common
        )
    wards = pd.Series([1.0, 2.0], index=["E05000026", "E05000027"])
    with pytest.raises(SpecError, match="none of the local indicator's 2 area codes is a lsoa11 area"):
        local_indicator.assess_with_local_indicator(
            lsoa_values, "lsoa11", wards, pillar="connections", share=0.1, **common
        )


@pytest.mark.parametrize(
    ("level", "table", "code", "header"),
    [
        ("lsoa21", "core_geo__lsoa21", "lsoa21_code", "LSOA21CD"),
        ("ward22", "core_geo__ward22", "ward22_code", "WD22CD"),
    ],
)
def test_an_indicator_keyed_by_current_geography_joins_the_priority(con, level, table, code, header) -> None:
    """An upload keyed by LSOA 2021 or current-ward codes is read at that level and moves its priority list."""
    codes = con.execute(f"SELECT {code} FROM {table} WHERE borough_code = 'E09000012' ORDER BY 1").df()[code]
    rows = [f"{c},{100 if k < 3 else k % 5}" for k, c in enumerate(codes)]
    upload = read_indicator_csv((f"{header},belonging\n" + "\n".join(rows)).encode(), "b.csv", ua.area_codes(con))
    assert upload.level == level and upload.rejected.empty
    values = framework.indicator_matrix(con, level)
    default = framework.assess(values, level, n_draws=10)
    run = local_indicator.assess_with_local_indicator(
        values, level, upload.series(), pillar="urgent_needs", higher_is_more_need=True, share=0.4, n_draws=10
    )
    assert not np.allclose(run.need.to_numpy(), default.need.to_numpy(), equal_nan=True)
    table_, _ = local_indicator.rank_changes(
        queries.cohesion_areas(con, level), run, upload.series(), {"E09000012": "Hackney"}
    )
    assert (table_["Places moved (+ = higher priority)"].fillna(0) != 0).any()
