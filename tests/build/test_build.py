"""The full build on the official files: counts, geometry, hierarchy, spaces, IoD summaries, schema docs."""

from __future__ import annotations

from pathlib import Path

import pytest

from cohesion_metrics import db
from cohesion_metrics.build.pipeline import build_database
from cohesion_metrics.metadata import schema

pytestmark = pytest.mark.real_data


@pytest.fixture(scope="session")
def built(shared_data, tmp_path_factory, memoised_source_loads) -> Path:
    path = tmp_path_factory.mktemp("build") / "cohesion.duckdb"
    with memoised_source_loads():  # the first build of the session: it reads every source
        build_database(shared_data, path, log=lambda _: None)
    return path


@pytest.fixture(scope="session")
def con(built):
    connection = db.connect(built, read_only=True)
    yield connection
    connection.close()


def one(con, sql: str, params=None):
    return con.execute(sql, params).fetchone()[0]


def test_area_counts(con) -> None:
    counts = dict(con.execute("SELECT area_level, count(*) FROM areas GROUP BY 1").fetchall())
    assert counts == {"borough": 33, "ward": 625, "ward22": 680, "lsoa11": 4835, "lsoa21": 4994}


def test_geometries_valid_and_boroughs_sum_to_london(con) -> None:
    assert one(con, "SELECT count(*) FROM areas WHERE NOT ST_IsValid(geometry) OR ST_IsEmpty(geometry)") == 0
    boroughs = one(con, "SELECT sum(area_km2) FROM core_geo__borough")
    london = one(con, "SELECT ST_Area(ST_Union_Agg(geom)) / 1e6 FROM core_geo__lsoa11")
    assert boroughs == pytest.approx(london, rel=0.01)
    assert 1500 < boroughs < 1600  # Greater London excluding the Thames: about 1,572 km2


def test_hierarchy_lsoa_ward_borough(con) -> None:
    assert one(con, "SELECT count(*) FROM core_geo__lsoa11 WHERE ward_code IS NULL") == 0
    # an LSOA's ward lies in the LSOA's borough
    mismatched = one(
        con,
        """SELECT count(*) FROM core_geo__lsoa11 l JOIN core_geo__ward w USING (ward_code)
                             WHERE l.borough_code <> w.borough_code""",
    )
    assert mismatched == 0
    # borough populations are the sum of their LSOAs (mid-2015, IoD denominators)
    assert one(con, "SELECT sum(population) FROM core_geo__borough") == one(
        con, "SELECT sum(population) FROM core_geo__lsoa11"
    )


def test_every_lsoa_has_iod2019_scores_ranks_deciles(con) -> None:
    domains = ["imd", "income", "employment", "education", "health", "crime", "barriers", "living_env"]
    ids = [f"{d}2019_{m}" for d in domains for m in ("score", "rank", "decile")]
    n = one(
        con,
        """SELECT count(*) FROM indicators WHERE area_level = 'lsoa11' AND value IS NOT NULL
                    AND indicator_id IN (SELECT unnest(?::VARCHAR[]))""",
        [ids],
    )
    assert n == 4835 * len(ids)


def test_borough_summaries_reproduce_file_10(con) -> None:
    """Our summaries equal MHCLG File 10 for all 33 boroughs: average score and proportion to the published
    precision; average rank and extent within the gap the disclosure-controlled denominators leave (see
    `deprivation` docstring: at most 0.06 rank and 0.0001 extent, for 5 and 1 boroughs)."""
    pairs = {
        "imd2019_avg_score": ("imd_avg_score", 1.0, 0.0005 + 1e-9),
        "imd2019_avg_rank": ("imd_avg_rank", 1.0, 0.06),
        "imd2019_extent": ("imd_extent", 1.0, 0.00015),
        "imd2019_pct_lsoas_most_deprived_10pct": ("imd_prop_most_deprived_10pct", 100.0, 0.005 + 1e-9),
    }
    for ours, (theirs, scale, tol) in pairs.items():
        rows = con.execute(
            """
            SELECT i.area_code, i.value, p.value FROM indicators i
            JOIN core_iod2019__lad_published p ON p.borough_code = i.area_code AND p.measure = ?
            WHERE i.indicator_id = ? AND i.area_level = 'borough'""",
            [theirs, ours],
        ).fetchall()
        assert len(rows) == 33, ours
        worst = max(abs(v / scale - p) for _, v, p in rows)
        assert worst <= tol, f"{ours}: worst difference {worst}"


def test_every_space_assigned_once_or_reported(con) -> None:
    spaces = one(con, "SELECT count(*) FROM spaces")
    excluded = one(con, "SELECT count(*) FROM core_spaces__excluded")
    unique_ids = one(con, "SELECT count(DISTINCT space_id) FROM spaces")
    assert unique_ids == spaces
    assert (
        one(con, "SELECT count(*) FROM spaces WHERE lsoa11_code IS NULL OR ward_code IS NULL OR borough_code IS NULL")
        == 0
    )
    total_records = 903 + 342 + 4098 + 797 + 306 + 264 + 189 + 163 + 116 + 75 + 50 + 26 + 17 + 779 + 2135
    assert spaces + excluded == total_records
    assert one(con, "SELECT count(*) FROM spaces WHERE space_type = 'community_centre'") >= 890
    outside = one(con, "SELECT count(*) FROM core_spaces__excluded WHERE reason LIKE 'outside%'")
    assert outside < 20


def test_space_in_its_lsoa_polygon(con) -> None:
    wrong = one(
        con,
        """SELECT count(*) FROM spaces s JOIN core_geo__lsoa11 l USING (lsoa11_code)
                        WHERE NOT ST_Intersects(l.geom, ST_Point(s.easting, s.northing))""",
    )
    assert wrong == 0


def test_every_table_and_column_commented(con) -> None:
    for table in schema.TABLES:
        comment = one(
            con,
            "SELECT comment FROM duckdb_tables() WHERE table_name = ? UNION ALL "
            "SELECT comment FROM duckdb_views() WHERE view_name = ?",
            [table.name, table.name],
        )
        assert comment == table.description
        cols = con.execute(
            "SELECT column_name, comment FROM duckdb_columns() WHERE table_name = ?", [table.name]
        ).fetchall()
        assert {c for c, _ in cols} == set(table.columns), table.name
        assert all(comment for _, comment in cols), table.name


def test_public_views_have_documented_columns(con) -> None:
    for view in ("areas", "indicators", "spaces", "sources", "cohesion"):
        cols = [r[0] for r in con.execute(f"DESCRIBE {view}").fetchall()]
        assert cols == list(schema.TABLES_BY_NAME[view].columns)


def test_ward22_level(con) -> None:
    assert one(con, "SELECT count(*) FROM core_geo__ward22") == 680
    assert one(con, "SELECT count(*) FROM core_geo__lsoa21 WHERE ward22_code IS NULL") == 0
    city = con.execute(
        "SELECT ward22_name, borough_code, population FROM core_geo__ward22 WHERE ward22_code = 'E09000001'"
    ).fetchone()
    assert city[:2] == ("City of London", "E09000001")
    assert city[2] == one(con, "SELECT sum(population) FROM core_geo__lsoa21 WHERE borough_code = 'E09000001'")
    # a current ward's LSOAs lie in its borough, and ward populations add up to London's
    assert (
        one(
            con,
            """SELECT count(*) FROM core_geo__lsoa21 l JOIN core_geo__ward22 w USING (ward22_code)
                       WHERE l.borough_code <> w.borough_code""",
        )
        == 0
    )
    assert one(con, "SELECT sum(population) FROM core_geo__ward22") == one(
        con, "SELECT sum(population) FROM core_geo__lsoa21"
    )
    parents = one(con, "SELECT count(DISTINCT parent_code) FROM areas WHERE area_level = 'lsoa21'")
    assert parents == 680
    spaces = one(con, "SELECT count(*) FROM core_spaces__inclusive WHERE ward22_code IS NULL")
    assert spaces == 0


def test_ward22_check_lists_centroid_disagreements(con) -> None:
    problems = dict(con.execute("SELECT problem, count(*) FROM core_geo__ward22_check GROUP BY 1").fetchall())
    assert problems == {"centroid in another ward": 15}  # every current ward holds at least one LSOA
    bad = con.execute(
        "SELECT lsoa21_code, ward22_code, centroid_ward22_code FROM core_geo__ward22_check "
        "WHERE lsoa21_code = 'E01001744'"
    ).fetchone()
    assert bad == ("E01001744", "E05009370", "E05009381")


def test_carried_values_record_their_assignment(con) -> None:
    counts = dict(
        con.execute(
            "SELECT assignment, count(DISTINCT area_code) FROM core_indicators__values "
            "WHERE area_level = 'lsoa21' AND indicator_id = 'income2019_score' GROUP BY 1"
        ).fetchall()
    )
    # London: 4,659 unchanged, 313 split pairs (from 128 parents), 44 merged pairs -> 22 children
    assert counts["lookup_unchanged"] == 4659
    assert counts["lookup_merged"] == 22
    assert sum(counts.values()) == 4994
    vintage = one(con, "SELECT any_value(vintage) FROM core_indicators__values WHERE indicator_id = 'ptai_2015'")
    assert vintage == "2015 network"


def test_flood_unlisted_lsoas_are_zero(con) -> None:
    rows = con.execute(
        "SELECT count(*), count(*) FILTER (WHERE value > 0), max(value) FROM core_indicators__values "
        "WHERE indicator_id = 'flood_zone3_pct' AND area_level = 'lsoa11'"
    ).fetchone()
    assert rows == (4835, 706, 100.0)


def test_2sfca_supply_shares_out_every_reachable_space(con) -> None:
    """Sum over LSOAs of A_i * pop_i / 1000 = spaces with at least one LSOA centroid within 800 m, per group."""
    from cohesion_metrics.metadata.spaces import SPACE_GROUPS

    for group, types in SPACE_GROUPS.items():
        shared = one(
            con,
            """SELECT sum(v.value * l.population) / 1000 FROM core_indicators__values v
               JOIN core_geo__lsoa21 l ON l.lsoa21_code = v.area_code
               WHERE v.area_level = 'lsoa21' AND v.indicator_id = ?""",
            [f"spaces_per_1k_800m_{group}"],
        )
        reachable = one(
            con,
            """SELECT count(DISTINCT s.space_id) FROM core_spaces__inclusive s JOIN core_geo__lsoa21 l
               ON ST_DWithin(ST_Point(s.easting, s.northing), ST_Point(l.pwc_easting, l.pwc_northing), 800)
               WHERE s.space_type IN (SELECT unnest(?::VARCHAR[]))""",
            [list(types)],
        )
        assert reachable > 100
        assert shared == pytest.approx(reachable, rel=1e-9), group


def test_ward22_turnout_covers_every_ward_with_an_election(con) -> None:
    missing = [
        r[0]
        for r in con.execute(
            "SELECT ward22_code FROM core_geo__ward22 WHERE ward22_code NOT IN (SELECT area_code FROM "
            "core_indicators__values WHERE indicator_id = 'turnout_2022_ward_pct')"
        ).fetchall()
    ]
    assert missing == ["E05013940", "E09000001"]  # New Malden Village: no row in the results; the City: no election


def test_independent_checks_can_all_run(con) -> None:
    from cohesion_metrics.method import external_check

    assert one(con, "SELECT count(*) FROM core_checks__ward_wellbeing") == 625
    assert one(con, "SELECT wellbeing FROM core_checks__ward_wellbeing WHERE ward_code = 'E05000026'") == -4
    report = external_check.run_checks(con)
    assert report.missing == ()
    assert {a.check for a in report.agreements} == {"IMD 2019", "IMD 2025", "GLA ward well-being"}
