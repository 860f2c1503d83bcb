"""The raw layer of the build: every catalogue loader run on its files, written to DuckDB unchanged."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import duckdb
import geopandas as gpd
import pandas as pd
import shapely

from cohesion_metrics import errors
from cohesion_metrics.build.report import BuildReport, Log, stage
from cohesion_metrics.extract.rawfiles import source_dir
from cohesion_metrics.files import sha256_file
from cohesion_metrics.metadata.catalogue import SOURCES, Source


def load_sources(
    raw_dir: Path, report: BuildReport, log: Log, *, check_counts: bool = True
) -> dict[str, dict[str, Any]]:
    """Run every catalogue loader on its folder under `raw_dir`; verify checksums (a mismatch is a warning)."""
    folders = {source.id: source_dir(source, raw_dir) for source in SOURCES}  # fail fast on a missing file
    loaded: dict[str, dict[str, Any]] = {}
    for source in SOURCES:
        with stage(report, f"load {source.id}", log) as rows:
            folder = folders[source.id]
            report.input_checksums[source.id] = _verify_checksums(source, folder, report)
            tables = source.load(folder, check_counts=check_counts)
            loaded[source.id] = tables
            rows.append(sum(len(t) for t in tables.values()))
    check_census_lsoa21_codes(loaded, raw_dir)
    return loaded


def check_census_lsoa21_codes(loaded: dict[str, dict[str, Any]], raw_dir: Path) -> None:
    """A Census 2021 file holding a retired 2011 LSOA code (split or merged in 2021) is a CodeVintageError."""
    from cohesion_metrics.extract.loaders.census_tables import LSOA_TABLES
    from cohesion_metrics.metadata.catalogue import get_source

    lookup = loaded["ons_lsoa11_lsoa21_lookup"]["lsoa11_lsoa21"]
    retired = set(lookup["lsoa11_code"]) - set(lookup["lsoa21_code"])
    folder = source_dir(get_source("census2021_lsoa"), raw_dir)
    for key, frame in loaded["census2021_lsoa"].items():
        bad = frame["lsoa21_code"].isin(retired).to_numpy(dtype=bool)
        if bad.any():
            pos = int(bad.nonzero()[0][0])
            raise errors.CodeVintageError(
                f"{int(bad.sum())} code(s) are 2011 LSOAs that the ONS exact lookup retired in 2021 (split or "
                f"merged) where a 2021 code is expected; first is {frame['lsoa21_code'].iloc[pos]!r}.",
                path=folder / LSOA_TABLES[key].file,
                column="geography code",
                row=pos + 2,
                fix="use the Census 2021 release of this table (2021 LSOA codes).",
            )


def _verify_checksums(source: Source, folder: Path, report: BuildReport) -> dict[str, str]:
    actual: dict[str, str] = {}
    for f in source.files:
        digest = sha256_file(folder / f.name)
        actual[f.name] = digest
        if digest != f.sha256:
            report.warnings.append(
                f"{source.id}: {f.name} differs from the catalogued release (sha256 {digest[:12]}...); "
                "its layout was validated, figures may differ from the published vintage."
            )
    return actual


def register(con: duckdb.DuckDBPyConnection, name: str, frame: pd.DataFrame) -> None:
    """Create table `name` from a frame; a GeoDataFrame's geometry becomes a GEOMETRY column `geom`."""
    if isinstance(frame, gpd.GeoDataFrame):
        plain = pd.DataFrame(frame.drop(columns=frame.geometry.name))
        plain["geom_wkb"] = shapely.to_wkb(frame.geometry.values, output_dimension=2)
        con.register("_frame", plain)
        con.execute(
            f"CREATE OR REPLACE TABLE {name} AS "
            "SELECT * EXCLUDE (geom_wkb), ST_GeomFromWKB(geom_wkb) AS geom FROM _frame"
        )
    else:
        con.register("_frame", frame)
        con.execute(f"CREATE OR REPLACE TABLE {name} AS SELECT * FROM _frame")
    con.unregister("_frame")


def write_raw(con: duckdb.DuckDBPyConnection, loaded: dict[str, dict[str, Any]]) -> int:
    """Write every loaded table as raw_<source>__<table>; return the row count."""
    total = 0
    for source_id, tables in loaded.items():
        for table, frame in tables.items():
            register(con, f"raw_{source_id}__{table}", frame)
            total += len(frame)
    return total


def row_count(con: duckdb.DuckDBPyConnection, table: str) -> int:
    """The number of rows of a table."""
    row = con.execute(f"SELECT count(*) FROM {table}").fetchone()
    return int(row[0]) if row else 0
