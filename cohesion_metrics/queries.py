"""Read-only queries the app and notebooks share. Each takes a DuckDB connection and returns plain data."""

from __future__ import annotations

import json
from typing import Any

import duckdb
import pandas as pd

from cohesion_metrics.db import query

LEVEL_TABLES = {
    "borough": ("core_geo__borough", "borough_code", "borough_name"),
    "ward": ("core_geo__ward", "ward_code", "ward_name"),
    "lsoa11": ("core_geo__lsoa11", "lsoa11_code", "lsoa11_name"),
    "lsoa21": ("core_geo__lsoa21", "lsoa21_code", "lsoa21_name"),
}


def _level(level: str) -> tuple[str, str, str]:
    try:
        return LEVEL_TABLES[level]
    except KeyError:
        raise ValueError(f"unknown area level {level!r}; choose one of {sorted(LEVEL_TABLES)}") from None


def areas(con: duckdb.DuckDBPyConnection, level: str, borough_code: str | None = None) -> pd.DataFrame:
    """Areas of a level (optionally one borough's): code, name, borough, population, area."""
    table, code, name = _level(level)
    sql = (
        f"SELECT {code} AS area_code, {name} AS area_name, borough_code, population, area_km2 FROM {table}"
        + (" WHERE borough_code = ?" if borough_code else "")
        + " ORDER BY area_code"
    )
    return query(con, sql, [borough_code] if borough_code else None)


def area_geojson(con: duckdb.DuckDBPyConnection, level: str, borough_code: str | None = None) -> dict[str, Any]:
    """Display geometries as a GeoJSON FeatureCollection whose feature ids are the area codes (no other properties)."""
    table, code, _ = _level(level)
    sql = f"SELECT {code} AS id, ST_AsGeoJSON(geom_wgs84) AS g FROM {table}" + (
        " WHERE borough_code = ?" if borough_code else ""
    ) + " ORDER BY id"
    rows = query(con, sql, [borough_code] if borough_code else None)
    return {
        "type": "FeatureCollection",
        "features": [
            {"type": "Feature", "id": i, "properties": {}, "geometry": json.loads(g)}
            for i, g in zip(rows["id"], rows["g"], strict=True)
        ],
    }


def indicator_values(
    con: duckdb.DuckDBPyConnection, indicator_id: str, level: str, borough_code: str | None = None
) -> pd.DataFrame:
    """Values of one indicator at one level, joined to area names: area_code, area_name, value, vintage, source_id."""
    table, code, name = _level(level)
    sql = (
        f"SELECT a.{code} AS area_code, a.{name} AS area_name, a.borough_code, i.value, i.vintage, i.source_id "
        f"FROM {table} a LEFT JOIN core_indicators__values i "
        f"ON i.area_code = a.{code} AND i.area_level = ? AND i.indicator_id = ?"
        + (" WHERE a.borough_code = ?" if borough_code else "")
        + " ORDER BY area_code"
    )
    params: list[object] = [level, indicator_id] + ([borough_code] if borough_code else [])
    return query(con, sql, params)


def available_indicators(con: duckdb.DuckDBPyConnection, level: str) -> list[str]:
    """Indicator ids that have values at `level`."""
    rows = query(con, "SELECT DISTINCT indicator_id FROM core_indicators__values WHERE area_level = ? ORDER BY 1", [level])
    return list(rows["indicator_id"])


def sources(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """The source catalogue as stored in the database."""
    return query(con, "SELECT * FROM core_meta__sources ORDER BY source_id")


def space_counts(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Inclusive spaces by type and source, London-wide."""
    return query(
        con,
        "SELECT space_type, source_id, count(*) AS spaces FROM core_spaces__inclusive GROUP BY ALL ORDER BY spaces DESC",
    )
