"""Derived indicators on a hand-made mini database: catchments, Census rates, the 2011/2021 lookup, per 10k."""

from __future__ import annotations

import math

import pytest

from cohesion_metrics import db
from cohesion_metrics.build import derived_indicators
from cohesion_metrics.metadata.indicators import INDICATORS

# Three LSOA 2021 population-weighted centroids and one more (D) that replaces two merged 2011 LSOAs:
#   A (0, 0) pop 100, ward W1      B (1000, 0) pop 300, ward W1     (current ward V1: A and B)
#   C (0, 3000) pop 200, ward W2   D (300, 400) pop 50, ward W2    (current ward V2: C and D)
# Spaces: a community centre at (300, 0); a place of worship at (0, 2500).
# 2011 -> 2021 (ONS CHGIND): X -> A unchanged (U); Y -> B and C split (S); Z1 and Z2 -> D merged (M).


@pytest.fixture
def con():
    c = db.connect(":memory:", read_only=False)
    c.execute("""
        CREATE TABLE core_geo__lsoa21 AS SELECT * FROM (VALUES
            ('E01000001', 'B1', 'W1', 'V1', 100, 0.0::DOUBLE, 0.0::DOUBLE),
            ('E01000002', 'B1', 'W1', 'V1', 300, 1000.0, 0.0),
            ('E01000003', 'B1', 'W2', 'V2', 200, 0.0, 3000.0), ('E01000004', 'B1', 'W2', 'V2', 50, 300.0, 400.0))
            t(lsoa21_code, borough_code, ward_code, ward22_code, population, pwc_easting, pwc_northing);
        CREATE TABLE core_geo__lsoa11_lsoa21 AS SELECT * FROM (VALUES
            ('X', 'E01000001', 'U'), ('Y', 'E01000002', 'S'), ('Y', 'E01000003', 'S'),
            ('Z1', 'E01000004', 'M'), ('Z2', 'E01000004', 'M')) t(lsoa11_code, lsoa21_code, change);
        CREATE TABLE core_spaces__inclusive AS SELECT * FROM (VALUES
            ('c1', 'community_centre', 300.0, 0.0, 'W1', 'V1', 'B1'),
            ('p1', 'place_of_worship', 0.0, 2500.0, 'W2', 'V2', 'B1'))
            t(space_id, space_type, easting, northing, ward_code, ward22_code, borough_code);
        CREATE TABLE raw_census2021_lsoa__ts007a AS SELECT * FROM (VALUES
            ('E01000001', 10, 100), ('E01000002', 60, 300), ('E01000003', 20, 200), ('E01000004', 5, 50))
            t(lsoa21_code, aged_65_plus, residents_total);
        CREATE TABLE raw_census2021_lsoa__ts037 AS SELECT lsoa21_code, 1 AS health_bad, 0 AS health_very_bad,
            residents_total FROM raw_census2021_lsoa__ts007a;
        CREATE TABLE raw_census2021_lsoa__ts067 AS SELECT lsoa21_code, 1 AS qual_none,
            residents_total AS residents_16_plus_total FROM raw_census2021_lsoa__ts007a;
        CREATE TABLE raw_census2021_lsoa__ts004 AS SELECT lsoa21_code, 1 AS born_outside_uk, residents_total
            FROM raw_census2021_lsoa__ts007a;
        CREATE TABLE core_indicators__values (area_code VARCHAR, area_level VARCHAR, indicator_id VARCHAR,
            value DOUBLE, vintage VARCHAR, source_id VARCHAR, assignment VARCHAR);
    """)
    # The other Census tables the registry reads: every numerator column 1, the denominator the residents.
    made = {"ts007a", "ts037", "ts067", "ts004"}
    columns: dict[str, dict[str, str]] = {}
    for ind in INDICATORS:
        if ind.numerator and ind.table not in made and ind.denominator:
            cols = columns.setdefault(str(ind.table), {})
            cols |= {c: "1" for c in ind.numerator} | {ind.denominator: "residents_total"}
    for table, cols in columns.items():
        select = ", ".join(f"{expr} AS {col}" for col, expr in cols.items())
        c.execute(
            f"CREATE TABLE raw_census2021_lsoa__{table} AS SELECT lsoa21_code, {select} FROM raw_census2021_lsoa__ts007a"
        )
    yield c
    c.close()


def value(con, area: str, level: str, indicator: str) -> float | None:
    row = con.execute(
        "SELECT value FROM core_indicators__values WHERE area_code = ? AND area_level = ? AND indicator_id = ?",
        [area, level, indicator],
    ).fetchone()
    return None if row is None else row[0]


def test_catchments_by_hand(con) -> None:
    derived_indicators.lsoa21_based_rows(con)
    far = math.hypot(300, 3000)
    assert value(con, "E01000001", "lsoa21", "nearest_space_m_community") == pytest.approx(300)
    assert value(con, "E01000003", "lsoa21", "nearest_space_m_community") == pytest.approx(far)
    assert value(con, "E01000003", "lsoa21", "nearest_space_m_any") == pytest.approx(500)
    assert value(con, "E01000004", "lsoa21", "pop_within_400m_pct_community") == 100  # exactly 400 m counts
    assert value(con, "E01000002", "lsoa21", "pop_within_400m_pct_community") == 0
    # borough: residents within 400 m of a community space: A (100) and D (50) of 650
    assert value(con, "B1", "borough", "pop_within_400m_pct_community") == pytest.approx(150 / 650 * 100)
    # ward W1: population-weighted mean distance (100 * 300 + 300 * 700) / 400
    assert value(con, "W1", "ward", "nearest_space_m_community") == pytest.approx(600)


def test_exact_lookup_unchanged_and_split_only(con) -> None:
    derived_indicators.lsoa21_based_rows(con)
    far = math.hypot(300, 3000)
    assert value(con, "X", "lsoa11", "nearest_space_m_community") == pytest.approx(300)
    assert value(con, "Y", "lsoa11", "nearest_space_m_community") == pytest.approx((300 * 700 + 200 * far) / 500)
    assert value(con, "Y", "lsoa11", "aged_65_plus_pct") == pytest.approx(80 / 500 * 100)
    assert value(con, "Z1", "lsoa11", "aged_65_plus_pct") is None  # merged: no exact 2011 value
    assignments = {
        r[0]
        for r in con.execute(
            "SELECT DISTINCT assignment FROM core_indicators__values WHERE area_level = 'lsoa11'"
        ).fetchall()
    }
    assert assignments == {"exact_2021_lookup"}


def test_census_rate_by_hand(con) -> None:
    derived_indicators.lsoa21_based_rows(con)
    assert value(con, "E01000002", "lsoa21", "aged_65_plus_pct") == pytest.approx(20.0)
    assert value(con, "B1", "borough", "aged_65_plus_pct") == pytest.approx(95 / 650 * 100)


def test_spaces_per_10k(con) -> None:
    derived_indicators.spaces_per_10k_rows(con)
    assert value(con, "W1", "ward", "spaces_per_10k_community") == pytest.approx(1 / 400 * 10_000)
    assert value(con, "W2", "ward", "spaces_per_10k_community") == 0
    assert value(con, "B1", "borough", "spaces_per_10k_any") == pytest.approx(2 / 650 * 10_000)


def test_no_space_within_search_radius_is_an_error(con) -> None:
    con.execute("UPDATE core_geo__lsoa21 SET pwc_easting = 90000 WHERE lsoa21_code = 'E01000004'")
    with pytest.raises(ValueError, match="no space within"):
        derived_indicators.lsoa21_based_rows(con)


def test_aggregation_is_population_weighted_and_skips_missing(con) -> None:
    con.execute("""
        CREATE TABLE core_geo__lsoa11 AS SELECT * FROM (VALUES ('L1', 'W1', 'B1', 100), ('L2', 'W1', 'B1', 300),
            ('L3', 'W2', 'B1', 600)) t(lsoa11_code, ward_code, borough_code, population);
        INSERT INTO core_indicators__values VALUES
            ('L1', 'lsoa11', 'income2019_score', 0.1, 'v', 's', 'native'),
            ('L2', 'lsoa11', 'income2019_score', 0.3, 'v', 's', 'native'),
            ('L3', 'lsoa11', 'income2019_score', NULL, 'v', 's', 'native');
    """)
    con.execute("""INSERT INTO core_indicators__values
        SELECT area_code, area_level, 'education2019_score', value, vintage, source_id, assignment
        FROM core_indicators__values""")
    derived_indicators.aggregated_rows(con)
    assert value(con, "W1", "ward", "income2019_score") == pytest.approx((0.1 * 100 + 0.3 * 300) / 400)
    assert value(con, "B1", "borough", "education2019_score") == pytest.approx((0.1 * 100 + 0.3 * 300) / 400)
    # carried to LSOA 2021: the borough value comes from the LSOA 2021 values (Census 2021 weights), not from here
    assert value(con, "B1", "borough", "income2019_score") is None


def test_census_rate_on_current_wards_from_summed_counts(con) -> None:
    derived_indicators.lsoa21_based_rows(con)
    # V2 = C (20 of 200) and D (5 of 50) aged 65+
    assert value(con, "V2", "ward22", "aged_65_plus_pct") == pytest.approx(25 / 250 * 100)
    assert value(con, "V1", "ward22", "disabled_pct") == pytest.approx(4 / 400 * 100)  # 2 parts of 1, 2 LSOAs


def test_two_step_floating_catchment_by_hand(con) -> None:
    derived_indicators.fca_rows(con)
    # community centre (300, 0): A (300 m), B (700 m) and D (400 m) in reach, 450 residents -> R = 1/450
    for code in ("E01000001", "E01000002", "E01000004"):
        assert value(con, code, "lsoa21", "spaces_per_1k_800m_community") == pytest.approx(1000 / 450)
    assert value(con, "E01000003", "lsoa21", "spaces_per_1k_800m_community") == 0
    # place of worship (0, 2500): only C (500 m), 200 residents
    assert value(con, "E01000003", "lsoa21", "spaces_per_1k_800m_faith") == pytest.approx(5.0)
    assert value(con, "E01000003", "lsoa21", "spaces_per_1k_800m_any") == pytest.approx(5.0)
    shared = con.execute(
        "SELECT sum(v.value * l.population) / 1000 FROM core_indicators__values v JOIN core_geo__lsoa21 l "
        "ON l.lsoa21_code = v.area_code WHERE indicator_id = 'spaces_per_1k_800m_any'"
    ).fetchone()[0]
    assert shared == pytest.approx(2.0)  # both spaces have residents in reach


def test_carried_rows_and_lsoa21_means(con) -> None:
    con.execute("""
        CREATE TABLE core_geo__lsoa11 AS SELECT * FROM (VALUES ('X', 'W1', 'B1', 100), ('Y', 'W1', 'B1', 500),
            ('Z1', 'W2', 'B1', 100), ('Z2', 'W2', 'B1', 300)) t(lsoa11_code, ward_code, borough_code, population);
        INSERT INTO core_indicators__values VALUES
            ('X', 'lsoa11', 'ptai_2015', 10, 'v', 's', 'native'), ('Y', 'lsoa11', 'ptai_2015', 20, 'v', 's', 'native'),
            ('Z1', 'lsoa11', 'ptai_2015', 40, 'v', 's', 'native'), ('Z2', 'lsoa11', 'ptai_2015', 80, 'v', 's', 'native');
    """)
    derived_indicators.carried_rows(con)
    rows = dict(
        con.execute(
            "SELECT area_code, (value, assignment) FROM core_indicators__values "
            "WHERE area_level = 'lsoa21' AND indicator_id = 'ptai_2015'"
        ).fetchall()
    )
    assert rows["E01000001"] == (10, "lookup_unchanged")
    assert rows["E01000002"] == rows["E01000003"] == (20, "lookup_split")
    assert rows["E01000004"] == (pytest.approx((40 * 100 + 80 * 300) / 400), "lookup_merged")  # mid-2015 weights
    derived_indicators.lsoa21_mean_rows(con)
    # current ward V2: C (20, 200 residents) and D (70, 50 residents), Census 2021 weights
    assert value(con, "V2", "ward22", "ptai_2015") == pytest.approx((20 * 200 + 70 * 50) / 250)
    assert value(con, "B1", "borough", "ptai_2015") == pytest.approx((10 * 100 + 20 * 500 + 70 * 50) / 650)


def test_imd_change_in_london_percentile_points(con) -> None:
    con.execute("""INSERT INTO core_indicators__values VALUES
        ('E01000001', 'lsoa21', 'imd2019_rank', 100, 'v', 's', 'lookup_unchanged'),
        ('E01000002', 'lsoa21', 'imd2019_rank', 200, 'v', 's', 'lookup_unchanged'),
        ('E01000003', 'lsoa21', 'imd2019_rank', 300, 'v', 's', 'lookup_split'),
        ('E01000001', 'lsoa21', 'imd2025_rank', 30000, 'v', 's', 'native'),
        ('E01000002', 'lsoa21', 'imd2025_rank', 10, 'v', 's', 'native'),
        ('E01000003', 'lsoa21', 'imd2025_rank', 20000, 'v', 's', 'native')""")
    derived_indicators.imd_change_rows(con)
    # London percentiles 2019 (0, 50, 100) and 2025 (100, 0, 50): A moved from most to least deprived in London
    # (-100 points); B and C each became more deprived relative to London (+50).
    change = "imd_change_2019_2025_pct_points"
    assert value(con, "E01000001", "lsoa21", change) == pytest.approx(-100.0)
    assert value(con, "E01000002", "lsoa21", change) == pytest.approx(50.0)
    assert value(con, "E01000003", "lsoa21", change) == pytest.approx(50.0)
