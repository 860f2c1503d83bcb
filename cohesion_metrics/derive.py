"""Indicator values derived in DuckDB from the raw and core tables, driven by the indicator registry.

Every row goes into `core_indicators__values` with an `assignment` that says how it was obtained:

- ``native``: published for that area (read from a raw table as the registry declares);
- ``computed``: computed by our code for that area from published data (IoD summaries, rates, catchments);
- ``aggregated``: population-weighted mean of LSOA 2011 values (mid-2015 IoD denominators);
- ``exact_2021_lookup``: a Census-2021-based value put on a 2011 LSOA through the ONS exact lookup
  (unchanged or split LSOAs only; merged LSOAs are left without a value).
"""

from __future__ import annotations

import duckdb

from cohesion_metrics.indicators import (
    CATCHMENT_DISTANCES_M,
    INDICATORS,
    LEVEL_CODE_COLUMN,
    SPACE_GROUPS,
    Indicator,
)

VALUES = "core_indicators__values"
_LEVEL_TABLE = {
    "lsoa11": "core_geo__lsoa11",
    "lsoa21": "core_geo__lsoa21",
    "ward": "core_geo__ward",
    "borough": "core_geo__borough",
}
#: Nearest-space search radius; no London LSOA is further than this from a community space.
SEARCH_RADIUS_M = 5000


def _q(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _insert(con: duckdb.DuckDBPyConnection, select_sql: str, params: list[object] | None = None) -> None:
    con.execute(f"INSERT INTO {VALUES} {select_sql}", params)


def direct_rows(con: duckdb.DuckDBPyConnection) -> None:
    """Registry indicators read straight from a raw table at their native level (London areas only)."""
    for ind in INDICATORS:
        if ind.table is None or ind.column is None or ind.numerator:
            continue
        level = ind.levels[0]
        code = LEVEL_CODE_COLUMN[level]
        filters = "".join(f" AND r.{col} = {_q(val)}" for col, val in ind.where)
        _insert(
            con,
            f"""
            SELECT r.{code}, '{level}', ?, r.{ind.column}::DOUBLE, ?, ?, 'native'
            FROM raw_{ind.source_id}__{ind.table} r JOIN {_LEVEL_TABLE[level]} a USING ({code})
            WHERE true {filters}""",
            [ind.id, ind.vintage, ind.source_id],
        )


def homelessness_rows(con: duckdb.DuckDBPyConnection) -> None:
    """IoD2019 homelessness is a local-authority figure repeated on every LSOA: keep one value per borough."""
    ind = next(i for i in INDICATORS if i.id == "homelessness_per_1000")
    spread = con.execute("""
        SELECT max(n) FROM (SELECT count(DISTINCT u.homelessness_per_1000_households) AS n
        FROM raw_iod2019_gla_london__underlying_indicators u JOIN core_geo__lsoa11 l USING (lsoa11_code)
        GROUP BY l.borough_code)""").fetchone()
    if spread is None or spread[0] != 1:
        raise ValueError("IoD2019 homelessness is no longer one value per borough: revisit its registry entry.")
    _insert(
        con,
        """
        SELECT l.borough_code, 'borough', ?, any_value(u.homelessness_per_1000_households), ?, ?, 'computed'
        FROM raw_iod2019_gla_london__underlying_indicators u JOIN core_geo__lsoa11 l USING (lsoa11_code)
        GROUP BY l.borough_code""",
        [ind.id, ind.vintage, ind.source_id],
    )


def _lsoa21_counts(con: duckdb.DuckDBPyConnection) -> None:
    """Numerators and denominators per London LSOA 2021: Census rates and catchment measures."""
    con.execute("CREATE OR REPLACE TEMP TABLE _l21 (lsoa21_code VARCHAR, indicator_id VARCHAR, num DOUBLE, den DOUBLE)")
    for ind in INDICATORS:
        if ind.numerator and ind.denominator:
            num = " + ".join(f"r.{c}" for c in ind.numerator)
            con.execute(
                f"""
                INSERT INTO _l21 SELECT r.lsoa21_code, ?, ({num})::DOUBLE, r.{ind.denominator}::DOUBLE
                FROM raw_{ind.source_id}__{ind.table} r JOIN core_geo__lsoa21 USING (lsoa21_code)""",
                [ind.id],
            )
    groups = " UNION ALL ".join(
        f"SELECT {_q(t)} AS space_type, {_q(g)} AS space_group" for g, types in SPACE_GROUPS.items() for t in types
    )
    con.execute(f"""
        CREATE OR REPLACE TEMP TABLE _nearest AS
        WITH pts AS (SELECT lsoa21_code, population::DOUBLE AS pop, ST_Point(pwc_easting, pwc_northing) AS pt
                     FROM core_geo__lsoa21),
             sp AS (SELECT g.space_group, ST_Point(s.easting, s.northing) AS pt
                    FROM core_spaces__inclusive s JOIN ({groups}) g USING (space_type))
        SELECT p.lsoa21_code, any_value(p.pop) AS pop, sp.space_group, min(ST_Distance(p.pt, sp.pt)) AS metres
        FROM pts p JOIN sp ON ST_DWithin(p.pt, sp.pt, {SEARCH_RADIUS_M})
        GROUP BY p.lsoa21_code, sp.space_group""")
    missing = con.execute("""SELECT count(*) FROM core_geo__lsoa21, (SELECT DISTINCT space_group FROM _nearest) g
        WHERE (lsoa21_code, g.space_group) NOT IN (SELECT (lsoa21_code, space_group) FROM _nearest)""").fetchone()
    if missing and missing[0]:
        raise ValueError(f"{missing[0]} LSOA/space-group pairs have no space within {SEARCH_RADIUS_M} m")
    for d in CATCHMENT_DISTANCES_M:
        con.execute(f"""INSERT INTO _l21 SELECT lsoa21_code, 'pop_within_{d}m_pct_' || space_group,
                        pop * (metres <= {d})::INT, pop FROM _nearest""")
    con.execute(
        "INSERT INTO _l21 SELECT lsoa21_code, 'nearest_space_m_' || space_group, pop * metres, pop FROM _nearest"
    )


def lsoa21_based_rows(con: duckdb.DuckDBPyConnection) -> None:
    """Census rates and catchments at LSOA 2021, LSOA 2011 (exact lookup), ward and borough."""
    _lsoa21_counts(con)
    scales = " UNION ALL ".join(
        f"SELECT {_q(i.id)} AS indicator_id, {i.scale} AS scale, {_q(i.vintage)} AS vintage, "
        f"{_q(i.source_id)} AS source_id"
        for i in INDICATORS
        if "lsoa21" in i.levels
    )
    con.execute(f"CREATE OR REPLACE TEMP TABLE _meta AS {scales}")
    per_level = {
        "lsoa21": ("SELECT lsoa21_code AS area_code, lsoa21_code FROM core_geo__lsoa21", "computed"),
        "lsoa11": (
            "SELECT lsoa11_code AS area_code, lsoa21_code FROM core_geo__lsoa11_lsoa21 "
            "WHERE lsoa11_code NOT IN (SELECT lsoa11_code FROM core_geo__lsoa11_lsoa21 WHERE change NOT IN ('U', 'S'))",
            "exact_2021_lookup",
        ),
        "ward": (
            "SELECT ward_code AS area_code, lsoa21_code FROM core_geo__lsoa21 WHERE ward_code IS NOT NULL",
            "computed",
        ),
        "borough": ("SELECT borough_code AS area_code, lsoa21_code FROM core_geo__lsoa21", "computed"),
    }
    for level, (mapping, assignment) in per_level.items():
        _insert(
            con,
            f"""
            SELECT m.area_code, '{level}', c.indicator_id, sum(c.num) / sum(c.den) * any_value(t.scale),
                   any_value(t.vintage), any_value(t.source_id), '{assignment}'
            FROM _l21 c JOIN ({mapping}) m USING (lsoa21_code) JOIN _meta t USING (indicator_id)
            GROUP BY m.area_code, c.indicator_id HAVING sum(c.den) > 0""",
        )


def spaces_per_10k_rows(con: duckdb.DuckDBPyConnection) -> None:
    """Spaces per 10,000 residents (Census 2021) for wards and boroughs, by group."""
    for level, code in (("ward", "ward_code"), ("borough", "borough_code")):
        for group, types in SPACE_GROUPS.items():
            ind = next(i for i in INDICATORS if i.id == f"spaces_per_10k_{group}")
            type_list = ", ".join(_q(t) for t in types)
            _insert(
                con,
                f"""
                WITH pop AS (SELECT {code} AS area_code, sum(population)::DOUBLE AS pop FROM core_geo__lsoa21
                             WHERE {code} IS NOT NULL GROUP BY 1),
                     n AS (SELECT {code} AS area_code, count(*) AS spaces FROM core_spaces__inclusive
                           WHERE space_type IN ({type_list}) GROUP BY 1)
                SELECT pop.area_code, '{level}', ?, coalesce(n.spaces, 0) / pop.pop * 10000, ?, ?, 'computed'
                FROM pop LEFT JOIN n USING (area_code)""",
                [ind.id, ind.vintage, ind.source_id],
            )


def aggregated_rows(con: duckdb.DuckDBPyConnection) -> None:
    """LSOA 2011 indicators summarised to wards and boroughs: population-weighted mean (mid-2015 populations)."""
    ids = [i.id for i in INDICATORS if i.levels[0] == "lsoa11" and len(i.levels) > 1]
    for level, code in (("ward", "ward_code"), ("borough", "borough_code")):
        _insert(
            con,
            f"""
            SELECT l.{code}, '{level}', v.indicator_id,
                   sum(v.value * l.population) / sum(l.population) FILTER (WHERE v.value IS NOT NULL),
                   any_value(v.vintage), any_value(v.source_id), 'aggregated'
            FROM {VALUES} v JOIN core_geo__lsoa11 l ON l.lsoa11_code = v.area_code
            WHERE v.area_level = 'lsoa11' AND v.indicator_id IN (SELECT unnest(?::VARCHAR[]))
            GROUP BY l.{code}, v.indicator_id""",
            [ids],
        )


def derive_all(con: duckdb.DuckDBPyConnection) -> None:
    """Add every registry indicator's values to core_indicators__values (which must already exist)."""
    direct_rows(con)
    homelessness_rows(con)
    lsoa21_based_rows(con)
    spaces_per_10k_rows(con)
    aggregated_rows(con)


def registry_coverage(con: duckdb.DuckDBPyConnection) -> list[tuple[Indicator, str, int]]:
    """For every registry indicator and declared level, how many areas have a value."""
    counts = {
        (i, lvl): n
        for i, lvl, n in con.execute(
            f"SELECT indicator_id, area_level, count(value) FROM {VALUES} GROUP BY 1, 2"
        ).fetchall()
    }
    return [(ind, lvl, counts.get((ind.id, lvl), 0)) for ind in INDICATORS for lvl in ind.levels]
