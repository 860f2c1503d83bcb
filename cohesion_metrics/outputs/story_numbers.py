"""The story's numbers, queried from the database: borough values, class counts, deprivation, priorities, actions."""

from __future__ import annotations

import duckdb
import pandas as pd

from cohesion_metrics.db import query
from cohesion_metrics.metadata.levels import LEVELS_BY_CODE
from cohesion_metrics.method.classify import RECOMMENDATION_5
from cohesion_metrics.method.framework import level_label
from cohesion_metrics.read import queries

#: The level of the need x capacity map and of the priority list: wards are named places an audience knows. The
#: current wards once they are scored, else the 2014 wards.
STORY_LEVELS = ("ward22", "ward")
IMD_DECILE = "imd2019_decile"


def story_level(con: duckdb.DuckDBPyConnection) -> str:
    """The ward level the story maps: the 2022 wards once scored, else the 2014 wards."""
    scored = queries.scored_levels(con)
    return next((lvl for lvl in STORY_LEVELS if lvl in scored), STORY_LEVELS[-1])


# --- Numbers --------------------------------------------------------------------------------------------------------


def borough_values(con: duckdb.DuckDBPyConnection, indicator_id: str) -> pd.DataFrame:
    """All 33 boroughs with one indicator's value (NaN where none): area_code, area_name, value, vintage."""
    return queries.indicator_values(con, indicator_id, "borough")[["area_code", "area_name", "value", "vintage"]]


def summarise(frame: pd.DataFrame) -> dict[str, float | int | str]:
    """Lowest, highest and median value with area names, and the areas without a value."""
    have = frame.dropna(subset=["value"])
    low, high = have.loc[have["value"].idxmin()], have.loc[have["value"].idxmax()]
    missing = frame.loc[frame["value"].isna(), "area_name"].tolist()
    return {
        "min": float(low["value"]),
        "min_area": str(low["area_name"]),
        "max": float(high["value"]),
        "max_area": str(high["area_name"]),
        "median": float(have["value"].median()),
        "n_with_value": len(have),
        "missing": ", ".join(missing) if missing else "none",
    }


def london_catchment_share(con: duckdb.DuckDBPyConnection, indicator_id: str) -> float:
    """London's share of residents within reach (%): LSOA 2021 shares weighted by Census 2021 residents."""
    row = query(
        con,
        "SELECT sum(g.population * v.value) / sum(g.population) AS share FROM core_geo__lsoa21 g "
        "JOIN core_indicators__values v ON v.area_code = g.lsoa21_code AND v.area_level = 'lsoa21' "
        "AND v.indicator_id = ?",
        [indicator_id],
    )
    return float(row["share"].iloc[0])


def class_counts(con: duckdb.DuckDBPyConnection, level: str) -> pd.DataFrame:
    """Areas and population per need x capacity class (default run): class_code, class_label, areas, population."""
    table, code = LEVELS_BY_CODE[level].table, LEVELS_BY_CODE[level].code_column
    return query(
        con,
        f"SELECT o.class_code, o.class_label, count(*) AS areas, sum(a.population) AS population "
        f"FROM out_cohesion__areas o JOIN {table} a ON a.{code} = o.area_code "
        "WHERE o.area_level = ? AND o.class_code IS NOT NULL GROUP BY ALL ORDER BY o.class_code",
        [level],
    )


def most_deprived_decile(con: duckdb.DuckDBPyConnection) -> dict[str, float | int]:
    """London LSOAs in England's most deprived 10% (IMD2019 decile 1), and the mid-2015 population living there."""
    row = query(
        con,
        "SELECT count(*) FILTER (WHERE v.value = 1) AS lsoas, count(*) AS n_lsoas, "
        "sum(g.population) FILTER (WHERE v.value = 1) AS population, sum(g.population) AS london_population "
        "FROM core_geo__lsoa11 g JOIN core_indicators__values v ON v.area_code = g.lsoa11_code "
        "AND v.area_level = 'lsoa11' AND v.indicator_id = ?",
        [IMD_DECILE],
    ).iloc[0]
    return {
        "lsoas": int(row["lsoas"]),
        "n_lsoas": int(row["n_lsoas"]),
        "population": float(row["population"]),
        "share": float(row["population"] / row["london_population"]),
    }


def priority_places(con: duckdb.DuckDBPyConnection, level: str | None = None, top: int | None = None) -> pd.DataFrame:
    """The priority list in order, labelled, with rank, rank_p05, rank_p95 and stability of the priority rank."""
    level = level or story_level(con)
    places = queries.priorities(con, level, top=top)
    labels = queries.area_labels(con, level)[["area_code", "label"]]
    places = places.assign(
        rank=places["priority_rank"],
        rank_p05=places["priority_rank_p05"],
        rank_p95=places["priority_rank_p95"],
        stability=places["priority_stability"],
    )
    return places.merge(labels, on="area_code", how="left")


def action_counts(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Areas per recommendation 5 action and level (default run): level, level_label, action, areas, n_areas."""
    rows = query(
        con,
        "WITH n AS (SELECT area_level, count(*) AS n_areas FROM out_cohesion__areas GROUP BY ALL), "
        "a AS (SELECT area_level, action, count(DISTINCT area_code) AS areas FROM out_cohesion__actions GROUP BY ALL) "
        "SELECT n.area_level AS level, l.action, coalesce(a.areas, 0) AS areas, n.n_areas FROM n "
        "CROSS JOIN (SELECT unnest(?) AS action) l "
        "LEFT JOIN a ON a.area_level = n.area_level AND a.action = l.action",
        [list(RECOMMENDATION_5)],
    )
    order = {lvl: k for k, lvl in enumerate(queries.scored_levels(con))}
    rows = rows[rows["level"].isin(order)]
    rows = rows.assign(level_label=rows["level"].map(level_label), action_label=rows["action"].map(RECOMMENDATION_5))
    rows = rows.sort_values(["level", "action"], key=lambda s: s.map(order) if s.name == "level" else s)
    return rows.reset_index(drop=True)
