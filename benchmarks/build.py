"""Build benchmarks: full build, snapshot -> database, the point-in-polygon join, and sizes.

Usage: python benchmarks/build.py [--repeats N] [--raw-dir DIR]. Prints medians over the repeats.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from cohesion_metrics.build.pipeline import build_database
from cohesion_metrics.build.snapshot import build_from_snapshot
from cohesion_metrics.extract.rawfiles import default_raw_dir
from cohesion_metrics.settings import SNAPSHOT_DIR


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--raw-dir", type=Path, default=None)
    args = parser.parse_args()
    raw = args.raw_dir or default_raw_dir()
    full, join, db_sizes = [], [], []
    with tempfile.TemporaryDirectory() as work:
        for i in range(args.repeats):
            path = Path(work) / f"b{i}.duckdb"
            report = build_database(raw, path, log=lambda _: None)
            full.append(report.seconds)
            join.append(next(s for name, _, s in report.stages if name.startswith("core spaces")))
            db_sizes.append(path.stat().st_size)
        snap = [build_from_snapshot(SNAPSHOT_DIR, Path(work) / f"s{i}.duckdb") for i in range(max(5, args.repeats))]
    snapshot_bytes = sum(p.stat().st_size for p in SNAPSHOT_DIR.iterdir() if p.is_file())
    print(
        f"full_build_s median={statistics.median(full):.2f} min={min(full):.2f} max={max(full):.2f} n={len(full)} (goal <= 30)"
    )
    print(
        f"snapshot_to_db_s median={statistics.median(snap):.2f} min={min(snap):.2f} max={max(snap):.2f} n={len(snap)} (goal <= 3)"
    )
    print(f"spaces_dedupe_and_point_in_polygon_s median={statistics.median(join):.3f} n={len(join)}")
    print(f"database_mb={statistics.median(db_sizes) / 1e6:.1f}")
    print(f"snapshot_mb={snapshot_bytes / 1e6:.2f} (goal <= 15)")


if __name__ == "__main__":
    main()
