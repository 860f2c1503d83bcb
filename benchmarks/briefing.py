"""Time one borough briefing (PDF) and one 1920 x 1080 presentation map (PNG) on the app database.

Usage: python benchmarks/briefing.py [--repeats N] [--borough CODE] [--level lsoa11] [--measure composite]
Builds the database from the committed snapshot into a temporary folder, then prints the median, min and max
over the repeats (after one untimed warm-up run of each). Goal: a briefing in at most 5 s, well under on 2 cores.
"""

from __future__ import annotations

import argparse
import datetime as dt
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from cohesion_metrics import db
from cohesion_metrics.build.snapshot import build_from_snapshot
from cohesion_metrics.figures import png_maps
from cohesion_metrics.outputs import briefing
from cohesion_metrics.settings import SNAPSHOT_DIR


def timed(func: Callable[[], bytes], repeats: int) -> tuple[list[float], int]:
    """Seconds per run (after one warm-up) and the output's size in bytes."""
    size = len(func())
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        func()
        times.append(time.perf_counter() - start)
    return times, size


def report(name: str, times: list[float], size: int, goal: str) -> None:
    print(
        f"{name} median={statistics.median(times):.3f} min={min(times):.3f} max={max(times):.3f} "
        f"n={len(times)} size_kb={size / 1e3:.0f} ({goal})"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeats", type=int, default=7)
    parser.add_argument("--borough", default="E09000030", help="borough code (default Tower Hamlets)")
    parser.add_argument("--level", default="lsoa11")
    parser.add_argument("--measure", default="composite")
    args = parser.parse_args()
    repeats = max(5, args.repeats)
    with tempfile.TemporaryDirectory() as work:
        path = Path(work) / "cohesion.duckdb"
        build_from_snapshot(SNAPSHOT_DIR, path)
        con = db.connect(path, read_only=True)
        try:
            today = dt.date.today()
            pdf = timed(lambda: briefing.build_briefing(con, args.borough, generated_on=today), repeats)
            png = timed(lambda: png_maps.render_map_png(con, args.level, args.measure), repeats)
            borough_png = timed(lambda: png_maps.render_map_png(con, args.level, args.measure, args.borough), repeats)
        finally:
            con.close()
    report(f"briefing_pdf_s[{args.borough}]", *pdf, goal="goal <= 5")
    report(f"map_png_1920x1080_s[{args.level},{args.measure},London]", *png, goal="one slide")
    report(f"map_png_1920x1080_s[{args.level},{args.measure},{args.borough}]", *borough_png, goal="one slide")


if __name__ == "__main__":
    main()
