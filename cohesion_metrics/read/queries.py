"""Read-only queries the app and notebooks share. Each takes a DuckDB connection and returns plain data."""

from __future__ import annotations

import json
from typing import Any

import duckdb
import geopandas as gpd
import pandas as pd
import shapely

from cohesion_metrics.db import query
from cohesion_metrics.metadata.indicators import require_level
from cohesion_metrics.metadata.levels import get_level
from cohesion_metrics.settings import ANALYSIS_CRS


def _level(level: str) -> tuple[str, str, str]:
    found = get_level(level)
    return found.table, found.code_column, found.name_column


def _level_rows(con: duckdb.DuckDBPyConnection, level: str, columns: str, borough_code: str | None) -> pd.DataFrame:
    """SELECT `columns` (``{code}``, ``{name}`` filled in) from a level's table, one borough's if given, by code."""
    table, code, name = _level(level)
    sql = f"SELECT {columns.format(code=code, name=name)} FROM {table}" + (
        " WHERE borough_code = ?" if borough_code else ""
    )
    return query(con, sql + f" ORDER BY {code}", [borough_code] if borough_code else None)


def areas(con: duckdb.DuckDBPyConnection, level: str, borough_code: str | None = None) -> pd.DataFrame:
    """Areas of a level (optionally one borough's): code, name, borough, population, area."""
    columns = "{code} AS area_code, {name} AS area_name, borough_code, population, area_km2"
    return _level_rows(con, level, columns, borough_code)


def area_geojson(con: duckdb.DuckDBPyConnection, level: str, borough_code: str | None = None) -> dict[str, Any]:
    """Display geometries as a GeoJSON FeatureCollection whose feature ids are the area codes (no other properties)."""
    rows = _level_rows(con, level, "{code} AS id, ST_AsGeoJSON(geom_wgs84) AS g", borough_code)
    return {
        "type": "FeatureCollection",
        "features": [
            {"type": "Feature", "id": i, "properties": {}, "geometry": json.loads(g)}
            for i, g in zip(rows["id"], rows["g"], strict=True)
        ],
    }


def area_geometries(con: duckdb.DuckDBPyConnection, level: str, borough_code: str | None = None) -> gpd.GeoSeries:
    """Full-resolution area polygons in British National Grid, indexed by area code (for exports and overlays)."""
    rows = _level_rows(con, level, "{code} AS area_code, ST_AsWKB(geom) AS wkb", borough_code)
    geoms = shapely.from_wkb([bytes(b) for b in rows["wkb"]])
    return gpd.GeoSeries(geoms, index=pd.Index(rows["area_code"], name="area_code"), crs=ANALYSIS_CRS)


def indicator_values(
    con: duckdb.DuckDBPyConnection, indicator_id: str, level: str, borough_code: str | None = None
) -> pd.DataFrame:
    """Values of one indicator at one level, joined to area names: area_code, area_name, value, vintage, source_id."""
    table, code, name = _level(level)
    require_level(indicator_id, level)
    sql = (
        f"SELECT a.{code} AS area_code, a.{name} AS area_name, a.borough_code, i.value, i.vintage, i.source_id "
        f"FROM {table} a LEFT JOIN core_indicators__values i "
        f"ON i.area_code = a.{code} AND i.area_level = ? AND i.indicator_id = ?"
        + (" WHERE a.borough_code = ?" if borough_code else "")
        + " ORDER BY area_code"
    )
    params: list[object] = [level, indicator_id, *([borough_code] if borough_code else [])]
    return query(con, sql, params)


def available_indicators(con: duckdb.DuckDBPyConnection, level: str) -> list[str]:
    """Indicator ids that have values at `level`."""
    rows = query(
        con, "SELECT DISTINCT indicator_id FROM core_indicators__values WHERE area_level = ? ORDER BY 1", [level]
    )
    return list(rows["indicator_id"])


def sources(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """The source catalogue as stored in the database."""
    return query(con, "SELECT * FROM core_meta__sources ORDER BY source_id")


def boroughs(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """The 33 boroughs: code and name, alphabetical by name."""
    return query(con, "SELECT borough_code, borough_name FROM core_geo__borough ORDER BY borough_name")


def cohesion_areas(con: duckdb.DuckDBPyConnection, level: str, borough_code: str | None = None) -> pd.DataFrame:
    """The framework's default run for a level, with area names (out_cohesion__areas)."""
    table, code, name = _level(level)
    sql = (
        f"SELECT a.{name} AS area_name, a.borough_code, o.* EXCLUDE (area_level) FROM out_cohesion__areas o "
        f"JOIN {table} a ON a.{code} = o.area_code WHERE o.area_level = ?"
        + (" AND a.borough_code = ?" if borough_code else "")
        + " ORDER BY o.area_code"
    )
    return query(con, sql, [level, *([borough_code] if borough_code else [])])


def priorities(
    con: duckdb.DuckDBPyConnection, level: str, *, top: int | None = 10, borough_code: str | None = None
) -> pd.DataFrame:
    """The priority list of a level (capacity below London's median, ranked by need), names and certainty."""
    table, code, name = _level(level)
    sql = (
        f"SELECT p.* EXCLUDE (area_level), a.{name} AS area_name, a.borough_code "
        f"FROM out_cohesion__priorities p JOIN {table} a ON a.{code} = p.area_code "
        "WHERE p.area_level = ?"
        + (" AND a.borough_code = ?" if borough_code else "")
        + " ORDER BY p.priority_rank"
        + (f" LIMIT {int(top)}" if top else "")
    )
    return query(con, sql, [level, *([borough_code] if borough_code else [])])


def actions(con: duckdb.DuckDBPyConnection, level: str, area_code: str) -> pd.DataFrame:
    """Recommendation 5 actions for one area, with the figures that triggered them."""
    return query(
        con,
        "SELECT * EXCLUDE (area_level) FROM out_cohesion__actions WHERE area_level = ? AND area_code = ? "
        "ORDER BY action_rank, percentile DESC",
        [level, area_code],
    )


def flags(con: duckdb.DuckDBPyConnection, level: str, area_code: str) -> pd.DataFrame:
    """Indicators at or above the 90th London percentile for one area."""
    return query(
        con,
        "SELECT * EXCLUDE (area_level) FROM out_cohesion__flags WHERE area_level = ? AND area_code = ? "
        "ORDER BY percentile DESC",
        [level, area_code],
    )


def neighbours(con: duckdb.DuckDBPyConnection, borough_code: str) -> pd.DataFrame:
    """A borough's five statistical neighbours with names (none for the City of London)."""
    return query(
        con,
        "SELECT n.rank, n.neighbour_code AS borough_code, b.borough_name, n.distance FROM out_cohesion__neighbours n "
        "JOIN core_geo__borough b ON b.borough_code = n.neighbour_code WHERE n.area_code = ? ORDER BY n.rank",
        [borough_code],
    )


def spaces(con: duckdb.DuckDBPyConnection, borough_code: str | None = None) -> pd.DataFrame:
    """Inclusive spaces (optionally one borough's) with their areas and source."""
    sql = (
        "SELECT space_id, name, space_type, source_id, lsoa11_code, ward_code, borough_code, easting, northing, lon, lat "
        "FROM core_spaces__inclusive"
        + (" WHERE borough_code = ?" if borough_code else "")
        + " ORDER BY space_type, name"
    )
    return query(con, sql, [borough_code] if borough_code else None)


def lsoa_summaries(con: duckdb.DuckDBPyConnection, level: str) -> pd.DataFrame:
    """Ward or borough summaries of the LSOA 2011 need score."""
    return query(con, "SELECT * EXCLUDE (area_level) FROM out_cohesion__lsoa_summaries WHERE area_level = ?", [level])


# --- Compare, weights and story pages -------------------------------------------------------------------------------


def scored_pillars(con: duckdb.DuckDBPyConnection, level: str) -> list[str]:
    """Pillar ids the framework scores at `level` (a default indicator with a value there), registry order."""
    from cohesion_metrics.metadata.indicators import PILLARS
    from cohesion_metrics.method.framework import default_indicators

    indicators = default_indicators(level)
    present = set(
        query(
            con,
            "SELECT DISTINCT indicator_id FROM core_indicators__values "
            "WHERE area_level = ? AND value IS NOT NULL AND indicator_id IN (SELECT unnest(?))",
            [level, [i.id for i in indicators]],
        )["indicator_id"]
    )
    used = {i.pillar for i in indicators if i.id in present}
    return [p.id for p in PILLARS if p.id in used]


def area_labels(con: duckdb.DuckDBPyConnection, level: str) -> pd.DataFrame:
    """Return the areas of a level with a display label that names the borough of a ward ("Ward, Borough")."""
    table, code, name = _level(level)
    # LSOA names already start with the borough ("Camden 023D"); ward names do not.
    label = f"a.{name} || ', ' || b.borough_name" if level in ("ward", "ward22") else f"a.{name}"
    return query(
        con,
        f"SELECT a.{code} AS area_code, a.{name} AS area_name, a.borough_code, b.borough_name, {label} AS label "
        f"FROM {table} a JOIN core_geo__borough b USING (borough_code) ORDER BY area_code",
    )


def place_names(con: duckdb.DuckDBPyConnection, level: str) -> pd.Series:
    """Display names of a level's areas by code (places.place_name): neighbourhoods with their ward's name."""
    from cohesion_metrics.metadata import places

    table, code, name = _level(level)
    ward_level = places.WARD_OF.get(level)
    ward = _level(ward_level) if ward_level else None
    columns = set(query(con, "SELECT column_name FROM duckdb_columns() WHERE table_name = ?", [table])["column_name"])
    if ward is None or ward[1] not in columns:  # no ward for this level (or not in this database yet)
        rows = query(con, f"SELECT {code} AS area_code, {name} AS area_name, NULL AS ward_name FROM {table}")
    else:
        w_table, w_code, w_name = ward
        rows = query(
            con,
            f"SELECT a.{code} AS area_code, a.{name} AS area_name, w.{w_name} AS ward_name FROM {table} a "
            f"LEFT JOIN {w_table} w ON w.{w_code} = a.{w_code}",
        )
    names = places.place_names(level, rows["area_name"], rows["ward_name"])
    return pd.Series(names.to_numpy(), index=pd.Index(rows["area_code"], name="area_code"), name="place")


def pillar_means(con: duckdb.DuckDBPyConnection, level: str) -> pd.Series:
    """London mean of each scored pillar score over the areas of `level` (default run), indexed by pillar id."""
    pillars = scored_pillars(con, level)
    row = query(
        con,
        "SELECT "
        + ", ".join(f"avg(pillar__{p}) AS {p}" for p in pillars)
        + " FROM out_cohesion__areas WHERE area_level = ?",
        [level],
    )
    return row.iloc[0].astype(float).rename("london_mean")


def borough_comparison(con: duckdb.DuckDBPyConnection, borough_codes: list[str]) -> pd.DataFrame:
    """Return the borough default indicators of `borough_codes`, long: value, unit, vintage, London percentile.

    Columns: indicator_id, label, pillar, unit, higher_is_more_need, area_code, area_name, value, vintage,
    london_percentile (need-oriented, 0..100 over the boroughs with a value; 100 = most need, as the flags) and
    london_median (median over the boroughs with a value). A missing value stays NaN: nothing is filled in.
    """
    from cohesion_metrics.method.classify import indicator_percentiles
    from cohesion_metrics.method.framework import default_indicators, specs_for

    indicators = default_indicators("borough")
    ids = [i.id for i in indicators]
    long = query(
        con,
        "SELECT b.borough_code AS area_code, b.borough_name AS area_name, v.indicator_id, v.value, v.vintage "
        "FROM core_geo__borough b JOIN core_indicators__values v "
        "ON v.area_code = b.borough_code AND v.area_level = 'borough' AND v.indicator_id IN (SELECT unnest(?))",
        [ids],
    )
    wide = long.pivot_table(index="area_code", columns="indicator_id", values="value", aggfunc="first", dropna=False)
    wide = wide.reindex(columns=ids).astype("float64")
    specs = [s for s in specs_for("borough") if wide[s.id].notna().any()]
    pct = indicator_percentiles(wide, specs).reindex(columns=ids)
    registry = pd.DataFrame(
        {
            "indicator_id": ids,
            "label": [i.label for i in indicators],
            "pillar": [i.pillar for i in indicators],
            "unit": [i.unit for i in indicators],
            "higher_is_more_need": [bool(i.higher_is_more_need) for i in indicators],
            "london_median": wide.median().reindex(ids).to_numpy(),
        }
    )
    names = query(con, "SELECT borough_code AS area_code, borough_name AS area_name FROM core_geo__borough")
    chosen = names[names["area_code"].isin(borough_codes)]
    grid = registry.merge(chosen, how="cross")
    percentiles = (
        pct.rename_axis(index="area_code", columns="indicator_id")
        .reset_index()
        .melt(id_vars="area_code", var_name="indicator_id", value_name="london_percentile")
    )
    keys = ["area_code", "indicator_id"]
    grid = grid.merge(long[[*keys, "vintage", "value"]], on=keys, how="left").merge(percentiles, on=keys, how="left")
    grid["_borough"] = grid["area_code"].map({c: k for k, c in enumerate(borough_codes)})
    grid["_indicator"] = grid["indicator_id"].map({i: k for k, i in enumerate(ids)})
    grid = grid.sort_values(["_borough", "_indicator"], kind="stable")
    return grid.drop(columns=["_borough", "_indicator"]).reset_index(drop=True)


def pillar_checks(con: duckdb.DuckDBPyConnection, level: str) -> pd.DataFrame:
    """The pillar checks of a level (out_cohesion__pillar_checks), registry pillar order."""
    return query(con, "SELECT * EXCLUDE (level) FROM out_cohesion__pillar_checks WHERE level = ?", [level])


def scored_levels(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Levels with a need score in the default run, default levels first (what the app offers)."""
    from cohesion_metrics.method.framework import registry_levels

    have = set(query(con, "SELECT DISTINCT area_level FROM out_cohesion__areas WHERE need IS NOT NULL")["area_level"])
    return [level for level in registry_levels() if level in have]
