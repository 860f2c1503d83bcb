"""Time and memory of every bad-input catalogue case (tests/uploads/test_uploads.py), against limits.

Usage: COHESION_DB=/tmp/bench.duckdb python benchmarks/hostile_inputs.py [--repeats 3]

Each case is parsed as the page parses it (real LSOA, ward and London geometry from the database); the median time
of `--repeats` runs and the peak Python allocation (tracemalloc, one more run) are printed per case, slowest first.
Limits: every case within TIME_LIMIT_S, and its peak allocation within MEMORY_LIMIT_X times the file's size plus
MEMORY_BASE_MB (parsers stay linear). Exits 1 if any case is over a limit, naming it.
"""

from __future__ import annotations

import argparse
import contextlib
import statistics
import sys
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests"), str(ROOT / "tests" / "uploads")]

from test_uploads import CATALOGUE, Ctx, _parse  # noqa: E402

from cohesion_metrics import db, errors  # noqa: E402
from cohesion_metrics.uploads import analysis as ua  # noqa: E402

TIME_LIMIT_S = 2.0
MEMORY_LIMIT_X, MEMORY_BASE_MB = 10.0, 50.0


def run(case_kind: str, data: bytes, ctx: Ctx) -> None:
    """Parse once; a refused file is the expected outcome for most cases."""
    with contextlib.suppress(errors.UploadError):
        _parse(case_kind, data, ctx)


def main() -> int:
    """Time every case and check the limits."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    con = db.connect()
    ctx = Ctx(ua.lsoa_polygons(con), ua.area_codes(con), ua.london_outline(con))
    rows = []
    for name, case in CATALOGUE.items():
        data = case.data()
        times = []
        for _ in range(max(1, args.repeats)):
            start = time.perf_counter()
            run(case.kind, data, ctx)
            times.append(time.perf_counter() - start)
        tracemalloc.start()
        run(case.kind, data, ctx)
        peak_mb = tracemalloc.get_traced_memory()[1] / 1e6
        tracemalloc.stop()
        rows.append((statistics.median(times), peak_mb, len(data) / 1e6, name))
    over = []
    print(f"{len(rows)} cases; limits {TIME_LIMIT_S:g} s and {MEMORY_LIMIT_X:g}x the file + {MEMORY_BASE_MB:g} MB")
    print(f"{'median s':>9} {'peak MB':>8} {'file MB':>8}  case")
    for seconds, peak_mb, file_mb, name in sorted(rows, reverse=True):
        flag = ""
        if seconds > TIME_LIMIT_S or peak_mb > MEMORY_LIMIT_X * file_mb + MEMORY_BASE_MB:
            flag = "  OVER THE LIMIT"
            over.append(name)
        print(f"{seconds:9.3f} {peak_mb:8.1f} {file_mb:8.2f}  {name}{flag}")
    print(f"over a limit: {len(over)}" + "".join(f"\n  {n}" for n in over))
    return 1 if over else 0


if __name__ == "__main__":
    raise SystemExit(main())
