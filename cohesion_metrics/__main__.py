"""Command line: `python -m cohesion_metrics fetch|build [--raw-dir DIR] [--snapshot]|snapshot-db`."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from cohesion_metrics import errors
from cohesion_metrics.settings import DATABASE_PATH, RAW_DIR, SNAPSHOT_DIR


def main(argv: list[str] | None = None) -> int:
    """Parse arguments and run the command; return the exit code."""
    parser = argparse.ArgumentParser(prog="python -m cohesion_metrics", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    fetch = sub.add_parser("fetch", help="download the official files into data/raw/")
    fetch.add_argument("--raw-dir", type=Path, default=RAW_DIR)
    fetch.add_argument("--accept-new", action="store_true", help="keep files whose checksum changed upstream")
    build = sub.add_parser("build", help="build data/cohesion.duckdb from the official files")
    build.add_argument(
        "--raw-dir", type=Path, default=None, help="folder of official files (default: data/raw, else ../shared/data)"
    )
    build.add_argument("--db", type=Path, default=DATABASE_PATH)
    build.add_argument("--snapshot", action="store_true", help="also write the compact snapshot under data/snapshot/")
    from_snap = sub.add_parser("from-snapshot", help="build the database from the embedded snapshot")
    from_snap.add_argument("--db", type=Path, default=DATABASE_PATH)
    args = parser.parse_args(argv)

    if args.command == "fetch":
        from cohesion_metrics.extract.fetch import fetch_all

        return fetch_all(args.raw_dir, accept_new=args.accept_new)
    if args.command == "build":
        from cohesion_metrics.build.pipeline import build_database
        from cohesion_metrics.extract.rawfiles import default_raw_dir

        try:
            build_database(
                args.raw_dir or default_raw_dir(), args.db, snapshot_dir=SNAPSHOT_DIR if args.snapshot else None
            )
        except (errors.SourceError, errors.BuildCheckError) as exc:
            print(f"build failed, the previous database is unchanged: {exc}", file=sys.stderr)
            return 1
        return 0
    from cohesion_metrics.build.snapshot import build_from_snapshot

    print(f"Built {args.db} from the snapshot in {build_from_snapshot(SNAPSHOT_DIR, args.db):.2f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
