"""Build `data/cohesion.duckdb` from the official files, in layers: raw -> core -> public views.

The build writes to a temporary file and renames it into place only when every stage and check has
passed, so a failed build leaves the previous database untouched. `--snapshot` also writes the compact
Parquet snapshot the app runs on out of the box (see `snapshot.py`). The layers are built by `raw.py`, `core.py`
and `out.py`; this module runs them in order, each as a timed stage.
"""

from __future__ import annotations

from pathlib import Path

from cohesion_metrics import db
from cohesion_metrics.build import snapshot
from cohesion_metrics.build.core import (
    build_core_geography,
    build_core_indicators,
    build_core_sources,
    build_core_spaces,
    ward22_check_summary,
)
from cohesion_metrics.build.out import build_out_cohesion, check_database, finish_schema
from cohesion_metrics.build.raw import load_sources, write_raw
from cohesion_metrics.build.report import BuildReport, Log, stage
from cohesion_metrics.settings import DATABASE_PATH


def build_database(
    raw_dir: Path,
    db_path: Path = DATABASE_PATH,
    *,
    snapshot_dir: Path | None = None,
    log: Log = print,
    check_counts: bool = True,
) -> BuildReport:
    """Build the database from the official files in `raw_dir`; optionally write the snapshot too.

    `check_counts=False` skips the loaders' published row-count checks, so a small folder of fixtures can be read.
    """
    report = BuildReport()
    log(f"Building {db_path.name} from {raw_dir}")
    with db.build_atomically(db_path) as con:
        loaded = load_sources(raw_dir, report, log, check_counts=check_counts)
        with stage(report, "write raw tables", log) as rows:
            rows.append(write_raw(con, loaded))
        with stage(report, "core geography (+ display geometries)", log) as rows:
            rows.append(build_core_geography(con, loaded))
            report.warnings.extend(ward22_check_summary(con))
        with stage(report, "core spaces (dedupe + spatial join)", log) as rows:
            rows.append(build_core_spaces(con, loaded))
        with stage(report, "core indicators", log) as rows:
            rows.append(build_core_indicators(con, loaded, report))
            rows.append(build_core_sources(con))
        with stage(report, "out cohesion (default framework run)", log) as rows:
            finish_schema(con)  # the framework reads the public views
            rows.append(build_out_cohesion(con))
        with stage(report, "views, comments, checks", log) as rows:
            finish_schema(con)
            report.counts = check_database(con)
            rows.append(sum(report.counts.values()))
        if snapshot_dir is not None:
            with stage(report, "snapshot", log) as rows:
                rows.append(snapshot.export_snapshot(con, snapshot_dir, report))
    for warning in report.warnings:
        log(f"  warning: {warning}")
    log(f"Built {db_path} in {report.seconds:.1f} s")
    return report
