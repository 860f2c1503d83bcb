"""The out layer of the build: the default framework run, the public views and the checks every build must pass."""

from __future__ import annotations

import duckdb
import pandas as pd

from cohesion_metrics.build import derived_indicators
from cohesion_metrics.build.raw import register, row_count
from cohesion_metrics.errors import BuildCheckError
from cohesion_metrics.metadata import schema
from cohesion_metrics.metadata.levels import LEVELS, LEVELS_BY_CODE
from cohesion_metrics.method import framework, neighbours

PILLAR_COLUMNS = [f"pillar__{p}" for p in framework.SCORED_PILLARS]
_MEASURE_COLUMNS = [
    f"{m}_{part}"
    for m in ("need", "capacity", "priority")
    for part in ("rank_median", "rank_p05", "rank_p95", "top10_share", "top_third_share", "stability")
]
AREA_COLUMNS = [
    "area_code",
    "need",
    "need_rank",
    "capacity",
    "capacity_rank",
    "hazard",
    "hazard_rank",
    "priority",
    "priority_rank",
    *_MEASURE_COLUMNS,
    "coverage",
    "flagged",
    "flag_reason",
    "need_tercile",
    "capacity_tercile",
    "hazard_tercile",
    "class_code",
    "class_label",
    "exposed",
]


def build_out_cohesion(con: duckdb.DuckDBPyConnection) -> int:
    """Run the framework with default settings at every level in the database and write the out_cohesion__* tables."""
    runs = {
        level: framework.assess(framework.indicator_matrix(con, level), level) for level in framework.levels_in(con)
    }
    areas = pd.concat(
        [
            run.area_table().reindex(columns=[*AREA_COLUMNS, *PILLAR_COLUMNS]).assign(area_level=level)
            for level, run in runs.items()
        ],
        ignore_index=True,
    )
    tables = {
        "out_cohesion__areas": areas,
        "out_cohesion__priorities": pd.concat(
            [run.priorities.assign(area_level=level) for level, run in runs.items()], ignore_index=True
        ),
        "out_cohesion__flags": pd.concat(
            [run.flags.assign(area_level=level) for level, run in runs.items()], ignore_index=True
        ),
        "out_cohesion__actions": pd.concat(
            [run.actions.assign(area_level=level) for level, run in runs.items()], ignore_index=True
        ),
        "out_cohesion__pillar_checks": pd.concat([run.checks for run in runs.values()], ignore_index=True),
        "out_cohesion__lsoa_summaries": framework.lsoa_summaries(con, runs["lsoa11"]),
        "out_cohesion__neighbours": neighbours.nearest_neighbours(
            runs["borough"].result.pillars.dropna(), k=5
        ),  # the City lacks trust and turnout data
    }
    for name, frame in tables.items():
        register(con, name, frame)
    return sum(len(f) for f in tables.values())


# ---------------------------------------------------------------- checks


def check_database(con: duckdb.DuckDBPyConnection) -> dict[str, int]:
    """Consistency checks every build must pass; raises BuildCheckError listing every failure."""
    geo = {level.table: level.count for level in LEVELS}
    wellbeing = row_count(con, "core_checks__ward_wellbeing")
    counts = {t: row_count(con, t) for t in (*geo, "core_spaces__inclusive", "core_spaces__excluded")}
    problems = []
    for table, expected in geo.items():
        if counts[table] != expected:
            problems.append(f"{table} has {counts[table]} rows, expected {expected}")
    if wellbeing != LEVELS_BY_CODE["ward"].count:
        problems.append(f"core_checks__ward_wellbeing has {wellbeing} of the {LEVELS_BY_CODE['ward'].count} 2014 wards")
    no_ward22 = con.execute(
        "SELECT count(*) FROM core_geo__lsoa21 WHERE ward22_code IS NULL "
        "OR ward22_code NOT IN (SELECT ward22_code FROM core_geo__ward22)"
    ).fetchone()
    if no_ward22 and no_ward22[0]:
        problems.append(f"{no_ward22[0]} LSOA 2021s lack a current ward (ward22) in core_geo__ward22")
    for table in geo:
        bad = con.execute(f"SELECT count(*) FROM {table} WHERE NOT ST_IsValid(geom) OR ST_IsEmpty(geom)").fetchone()
        if bad and bad[0]:
            problems.append(f"{table} has {bad[0]} invalid or empty geometries")
    missing = con.execute(
        "SELECT count(*) FROM core_geo__lsoa11 WHERE ward_code IS NULL OR population IS NULL"
    ).fetchone()
    if missing and missing[0]:
        problems.append(f"{missing[0]} LSOAs lack a ward or a population")
    empty = [f"{ind.id}@{level}" for ind, level, n in derived_indicators.registry_coverage(con) if n == 0]
    if empty:
        problems.append(f"registry indicators without values: {empty}")
    if problems:
        raise BuildCheckError("build checks failed: " + "; ".join(problems))
    return counts


# ---------------------------------------------------------------- orchestration


def finish_schema(con: duckdb.DuckDBPyConnection) -> None:
    """Create the public views and write every table and column comment."""
    schema.create_public_views(con)
    schema.apply_comments(con)
