"""Indicator values derived in DuckDB from the raw and core tables, driven by the indicator registry.

Every row goes into `core_indicators__values` with an `assignment` that says how it was obtained:

- ``native``: published for that area (read from a raw table as the registry declares);
- ``computed``: computed by our code for that area from published data (IoD summaries, rates, catchments);
- ``aggregated``: population-weighted mean of LSOA 2011 values (mid-2015 IoD denominators);
- ``exact_2021_lookup``: a Census-2021-based value put on a 2011 LSOA through the ONS exact lookup
  (unchanged or split LSOAs only; merged LSOAs are left without a value);
- ``lookup_unchanged`` / ``lookup_split`` / ``lookup_merged``: an LSOA 2011 value carried to LSOA 2021 through
  the ONS exact lookup (`carry.carry_2011_to_2021`); the value keeps its 2011 source's vintage.
"""

from __future__ import annotations

import duckdb
import pandas as pd

from cohesion_metrics.extract.loaders import census_tables
from cohesion_metrics.extract.loaders.elections import EC2022_WARD_ALIASES, match_wards_to_codes
from cohesion_metrics.metadata.indicators import (
    CATCHMENT_DISTANCES_M,
    INDICATORS,
    Indicator,
)
from cohesion_metrics.metadata.levels import LEVELS_BY_CODE
from cohesion_metrics.metadata.spaces import SPACE_GROUPS
from cohesion_metrics.method.carry import carry_2011_to_2021
from cohesion_metrics.method.catchments import catchment_counts

VALUES = "core_indicators__values"
#: Nearest-space search radius; no London LSOA is further than this from a community space.
SEARCH_RADIUS_M = 5000
#: Two-step floating catchment radius (straight line, metres).
FCA_RADIUS_M = 800
IMD_CHANGE = "imd_change_2019_2025_pct_points"


def carried(ind: Indicator) -> bool:
    """True for an LSOA 2011 indicator carried to LSOA 2021 through the exact lookup."""
    return ind.levels[0] == "lsoa11" and "lsoa21" in ind.levels


def check_registry_numerators() -> None:
    """Every Census rate sums parts, never a subtotal with its own parts (SubtotalDoubleCountError)."""
    for ind in INDICATORS:
        if ind.numerator and ind.table:
            census_tables.check_numerator(ind.table, ind.numerator, indicator=ind.id)


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
        code = LEVELS_BY_CODE[level].code_column
        filters = "".join(f" AND r.{col} = {_q(val)}" for col, val in ind.where)
        _insert(
            con,
            f"""
            SELECT r.{code}, '{level}', ?, r.{ind.column}::DOUBLE, ?, ?, 'native'
            FROM raw_{ind.source_id}__{ind.table} r JOIN {LEVELS_BY_CODE[level].table} a USING ({code})
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
    check_registry_numerators()
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
    lsoa21 = con.execute("SELECT lsoa21_code, population, pwc_easting, pwc_northing FROM core_geo__lsoa21").df()
    spaces = con.execute("SELECT space_type, easting, northing FROM core_spaces__inclusive").df()
    con.register("_catchments", catchment_counts(lsoa21, spaces, max_distance_m=SEARCH_RADIUS_M))
    con.execute("INSERT INTO _l21 SELECT * FROM _catchments")
    con.unregister("_catchments")


def lsoa21_based_rows(con: duckdb.DuckDBPyConnection) -> None:
    """Census rates and catchments at LSOA 2021, LSOA 2011 (exact lookup), ward and borough."""
    _lsoa21_counts(con)
    scales = " UNION ALL ".join(
        f"SELECT {_q(i.id)} AS indicator_id, {i.scale} AS scale, {_q(i.vintage)} AS vintage, "
        f"{_q(i.source_id)} AS source_id, {_q(','.join(i.levels))} AS levels"
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
        "ward22": (
            "SELECT ward22_code AS area_code, lsoa21_code FROM core_geo__lsoa21 WHERE ward22_code IS NOT NULL",
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
            WHERE list_contains(string_split(t.levels, ','), '{level}')
            GROUP BY m.area_code, c.indicator_id HAVING sum(c.den) > 0""",
        )


def spaces_per_10k_rows(con: duckdb.DuckDBPyConnection) -> None:
    """Spaces per 10,000 residents (Census 2021) for wards and boroughs, by group."""
    for level, code in (("ward", "ward_code"), ("ward22", "ward22_code"), ("borough", "borough_code")):
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


def flood_rows(con: duckdb.DuckDBPyConnection) -> None:
    """Flood Zone 3 share per London LSOA 2011: as listed, and 0 for the LSOAs the file does not list."""
    ind = next(i for i in INDICATORS if i.id == "flood_zone3_pct")
    _insert(
        con,
        f"""
        SELECT l.lsoa11_code, 'lsoa11', ?, coalesce(f.share_in_fz3, 0) * {ind.scale}, ?, ?,
               CASE WHEN f.lsoa11_code IS NULL THEN 'computed' ELSE 'native' END
        FROM core_geo__lsoa11 l LEFT JOIN raw_{ind.source_id}__lsoa_flood f USING (lsoa11_code)""",
        [ind.id, ind.vintage, ind.source_id],
    )


def carried_rows(con: duckdb.DuckDBPyConnection) -> None:
    """LSOA 2011 values of the carried indicators put on LSOA 2021 through the ONS exact lookup."""
    by_id = {i.id: i for i in INDICATORS if carried(i)}
    values = con.execute(
        f"SELECT area_code AS lsoa11_code, indicator_id, value FROM {VALUES} "
        "WHERE area_level = 'lsoa11' AND indicator_id IN (SELECT unnest(?::VARCHAR[]))",
        [list(by_id)],
    ).df()
    lookup = con.execute("SELECT lsoa11_code, lsoa21_code, change FROM core_geo__lsoa11_lsoa21").df()
    population = con.execute("SELECT lsoa11_code, population FROM core_geo__lsoa11").df()
    out = carry_2011_to_2021(values, lookup, population.set_index("lsoa11_code")["population"])
    out = out[out["value"].notna()]
    out = out.assign(
        area_level="lsoa21",
        vintage=out["indicator_id"].map({k: i.vintage for k, i in by_id.items()}),
        source_id=out["indicator_id"].map({k: i.source_id for k, i in by_id.items()}),
    )
    cols = ["lsoa21_code", "area_level", "indicator_id", "value", "vintage", "source_id", "assignment"]
    con.register("_carried", out[cols])
    _insert(con, "SELECT * FROM _carried")
    con.unregister("_carried")


def imd_change_rows(con: duckdb.DuckDBPyConnection) -> None:
    """IMD position within London 2019 (carried) minus 2025, per LSOA 2021: positive = more deprived than in 2019.

    Each year's national rank is turned into a London percentile (0 = most deprived LSOA in London, 100 = least),
    so the change says how a neighbourhood moved against the rest of London, as planners compare places.
    """
    ind = next(i for i in INDICATORS if i.id == IMD_CHANGE)
    _insert(
        con,
        f"""
        WITH pct AS (
            SELECT area_code, indicator_id,
                   100 * percent_rank() OVER (PARTITION BY indicator_id ORDER BY value) AS london_pct
            FROM {VALUES}
            WHERE area_level = 'lsoa21' AND indicator_id IN ('imd2019_rank', 'imd2025_rank') AND value IS NOT NULL)
        SELECT a.area_code, 'lsoa21', ?, a.london_pct - b.london_pct, ?, ?, 'computed'
        FROM pct a JOIN pct b USING (area_code)
        WHERE a.indicator_id = 'imd2019_rank' AND b.indicator_id = 'imd2025_rank'""",
        [ind.id, ind.vintage, ind.source_id],
    )


def fca_rows(con: duckdb.DuckDBPyConnection) -> None:
    """Two-step floating catchment supply A_i (spaces per 1,000 residents in reach) per LSOA 2021 and group."""
    groups = " UNION ALL ".join(
        f"SELECT {_q(t)} AS space_type, {_q(g)} AS space_group" for g, types in SPACE_GROUPS.items() for t in types
    )
    meta = {g: next(i for i in INDICATORS if i.id == f"spaces_per_1k_800m_{g}") for g in SPACE_GROUPS}
    con.execute(f"""
        CREATE OR REPLACE TEMP TABLE _fca AS
        WITH pts AS (SELECT lsoa21_code, population::DOUBLE AS pop, ST_Point(pwc_easting, pwc_northing) AS pt
                     FROM core_geo__lsoa21),
             sp AS (SELECT s.space_id, g.space_group, ST_Point(s.easting, s.northing) AS pt
                    FROM core_spaces__inclusive s JOIN ({groups}) g USING (space_type)),
             pairs AS (SELECT p.lsoa21_code, p.pop, sp.space_id, sp.space_group
                       FROM pts p JOIN sp ON ST_DWithin(p.pt, sp.pt, {FCA_RADIUS_M})),
             r AS (SELECT space_id, space_group, 1.0 / sum(pop) AS r FROM pairs GROUP BY ALL HAVING sum(pop) > 0),
             a AS (SELECT p.lsoa21_code, p.space_group, 1000 * sum(r.r) AS a
                   FROM pairs p JOIN r USING (space_id, space_group) GROUP BY ALL)
        SELECT l.lsoa21_code, g.space_group, coalesce(a.a, 0) AS a
        FROM core_geo__lsoa21 l CROSS JOIN (SELECT DISTINCT space_group FROM ({groups})) g
        LEFT JOIN a USING (lsoa21_code, space_group)""")
    for group, ind in meta.items():
        _insert(
            con,
            "SELECT lsoa21_code, 'lsoa21', ?, a, ?, ?, 'computed' FROM _fca WHERE space_group = ?",
            [ind.id, ind.vintage, ind.source_id, group],
        )
    con.execute("DROP TABLE _fca")


def ward22_turnout_rows(con: duckdb.DuckDBPyConnection) -> list[str]:
    """May 2022 ward turnout on the current wards (Electoral Commission names matched to WD23 codes).

    Returns one warning per published ward that could not be matched (none expected).
    """
    ind = next(i for i in INDICATORS if i.id == "turnout_2022_ward_pct")
    results = con.execute(f"SELECT * FROM raw_{ind.source_id}__london_wards").df()
    lookup = con.execute(
        "SELECT DISTINCT ward23_code, ward23_name, lad23_code FROM raw_ons_lsoa21_ward23_lookup__lsoa21_ward23"
    ).df()
    matched, unmatched = match_wards_to_codes(results, lookup, aliases=EC2022_WARD_ALIASES)
    if len(unmatched):  # second pass: the May 2025 names of the wards nothing matched (same codes as WD23)
        current = con.execute(
            "SELECT ward22_code AS ward23_code, ward22_name AS ward23_name, borough_code AS lad23_code "
            "FROM core_geo__ward22 WHERE ward22_code NOT IN (SELECT unnest(?::VARCHAR[]))",
            [list(matched["ward23_code"])],
        ).df()
        more, unmatched = match_wards_to_codes(unmatched[results.columns], current)
        matched = pd.concat([matched, more], ignore_index=True)
    turnout = matched.groupby("ward23_code")[["ballots_at_count", "electorate"]].sum()
    frame = pd.DataFrame(
        {
            "area_code": turnout.index.astype(str),
            "area_level": "ward22",
            "indicator_id": ind.id,
            "value": (turnout["ballots_at_count"] / turnout["electorate"] * 100).to_numpy(dtype=float),
            "vintage": ind.vintage,
            "source_id": ind.source_id,
            "assignment": "computed",
        }
    )
    con.register("_turnout", frame)
    _insert(con, "SELECT t.* FROM _turnout t JOIN core_geo__ward22 w ON w.ward22_code = t.area_code")
    con.unregister("_turnout")
    warnings = [
        f"ward22 turnout: published ward {r.ward_name!r} ({r.borough_code}) matches no current ward"
        for r in unmatched.itertuples()
    ]
    missing = con.execute(
        "SELECT string_agg(ward22_name || ' (' || ward22_code || ')', ', ' ORDER BY ward22_code) FROM core_geo__ward22 "
        "WHERE ward22_code NOT IN (SELECT unnest(?::VARCHAR[]))",
        [list(turnout.index.astype(str))],
    ).fetchone()
    if missing and missing[0]:
        warnings.append(f"ward22 turnout: no May 2022 result for {missing[0]}")
    return warnings


def lsoa21_mean_rows(con: duckdb.DuckDBPyConnection) -> None:
    """LSOA 2021 values summarised to current wards and boroughs: Census-2021-population-weighted mean.

    For IoD2025 ranks, carried values, catchment supply and the IMD change, over the LSOAs with a value.
    """
    ids = {
        level: [
            i.id
            for i in INDICATORS
            if level in i.levels and "lsoa21" in i.levels and not i.numerator and i.id not in _CATCHMENT_IDS
        ]
        for level in ("ward22", "borough")
    }
    for level, code in (("ward22", "ward22_code"), ("borough", "borough_code")):
        _insert(
            con,
            f"""
            SELECT l.{code}, '{level}', v.indicator_id,
                   sum(v.value * l.population) / sum(l.population),
                   any_value(v.vintage), any_value(v.source_id), 'aggregated'
            FROM {VALUES} v JOIN core_geo__lsoa21 l ON l.lsoa21_code = v.area_code
            WHERE v.area_level = 'lsoa21' AND v.indicator_id IN (SELECT unnest(?::VARCHAR[])) AND v.value IS NOT NULL
            GROUP BY l.{code}, v.indicator_id""",
            [ids[level]],
        )


_CATCHMENT_IDS = {
    f"{prefix}{group}"
    for group in SPACE_GROUPS
    for prefix in (*(f"pop_within_{d}m_pct_" for d in CATCHMENT_DISTANCES_M), "nearest_space_m_")
}


def aggregated_rows(con: duckdb.DuckDBPyConnection) -> None:
    """LSOA 2011 indicators summarised to 2014 wards: population-weighted mean (mid-2015 populations).

    Boroughs too, for the indicators not carried to LSOA 2021 (carried ones reach boroughs from LSOA 2021).
    """
    for level, code in (("ward", "ward_code"), ("borough", "borough_code")):
        ids = [
            i.id
            for i in INDICATORS
            if i.levels[0] == "lsoa11" and level in i.levels and (level == "ward" or "lsoa21" not in i.levels)
        ]
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


def derive_all(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Add every registry indicator's values to core_indicators__values (which must already exist).

    Returns warnings for the build report (e.g. published wards matched to no current ward).
    """
    direct_rows(con)
    flood_rows(con)
    homelessness_rows(con)
    carried_rows(con)
    imd_change_rows(con)
    lsoa21_based_rows(con)
    fca_rows(con)
    spaces_per_10k_rows(con)
    warnings = ward22_turnout_rows(con)
    aggregated_rows(con)
    lsoa21_mean_rows(con)
    return warnings


def registry_coverage(con: duckdb.DuckDBPyConnection) -> list[tuple[Indicator, str, int]]:
    """For every registry indicator and declared level, how many areas have a value."""
    counts = {
        (i, lvl): n
        for i, lvl, n in con.execute(
            f"SELECT indicator_id, area_level, count(value) FROM {VALUES} GROUP BY 1, 2"
        ).fetchall()
    }
    return [(ind, lvl, counts.get((ind.id, lvl), 0)) for ind in INDICATORS for lvl in ind.levels]
