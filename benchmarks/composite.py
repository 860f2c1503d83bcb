"""Time the composite engine and the framework's Monte Carlo on synthetic data, London- and England-sized.

Run: `.venv/bin/python benchmarks/composite.py [--repeats 7] [--draws 1000] [--framework-repeats 5]`.
Goals (2 cores): the engine + 1,000 draws for 4,835 areas x 20 indicators at most 300 ms median; the framework
(need, cohesion capacity, hazard and priority with rank intervals and top-10 / top-third shares, 1,000 draws) for
London (4,994 areas x 20 indicators) at most 300 ms and for England (33,755 areas x 30 indicators in 6 pillars) at
most 1.5 s, median of 5 runs. Each framework case is timed before (the package as it is at git ref `--before`,
default the last commit before the compiled kernels, run in a subprocess) and now, in the same run, with how far
the two frames' rank percentiles differ. It also times the rank step's alternatives at England scale.
"""

from __future__ import annotations

import argparse
import dataclasses
import io
import pickle
import shutil
import subprocess
import sys
import tarfile
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from cohesion_metrics.method import measures, ranks
from cohesion_metrics.method.composite import compute_composite
from cohesion_metrics.method.framework import AXES
from cohesion_metrics.method.normalise import IndicatorSpec
from cohesion_metrics.method.uncertainty import DrawSettings, composite_with_uncertainty

#: The last commit before the compiled Monte Carlo kernels (numpy radix ranks, BLAS scores): the default "before".
BEFORE = "2f3bf7e"
N_AREAS = 4835
PILLARS = {
    "inclusive_spaces": 4,
    "connections": 3,
    "trust": 3,
    "participation": 3,
    "urgent_needs": 4,
    "capacity": 3,
}
MISSING_SHARE = 0.05
#: The framework runs: pillars on its three axes (need, capacity, hazard), indicators per pillar.
LONDON_AREAS, ENGLAND_AREAS = 4994, 33755
FRAMEWORK_PILLARS = {
    "urgent_needs": 4,
    "vulnerability": 4,
    "inclusive_spaces": 3,
    "connections": 3,
    "participation": 3,
    "hazard_heat": 3,
}
#: The goals (median of 5 runs, 2 cores).
GOALS_MS = {"london": 300, "england": 1500}
ENGLAND_PILLARS = {  # 30 indicators in 6 pillars
    "urgent_needs": 6,
    "vulnerability": 6,
    "inclusive_spaces": 5,
    "connections": 5,
    "participation": 4,
    "hazard_heat": 4,
}


def synthetic(
    seed: int = 2024, n_areas: int = N_AREAS, pillars: dict[str, int] = PILLARS
) -> tuple[pd.DataFrame, list[IndicatorSpec]]:
    """Return seeded synthetic indicator values (areas x indicators, 5% missing) and their specs."""
    rng = np.random.default_rng(seed)
    borough = rng.integers(33, size=n_areas)
    need = rng.normal(size=n_areas) + rng.normal(scale=0.5, size=33)[borough]
    columns: dict[str, np.ndarray] = {}
    specs: list[IndicatorSpec] = []
    j = 0
    for pillar, count in pillars.items():
        pillar_need = 0.7 * need + rng.normal(scale=0.7, size=n_areas)
        for i in range(count):
            loading = rng.uniform(0.4, 0.9)
            latent = loading * pillar_need + rng.normal(scale=np.sqrt(1 - loading**2), size=n_areas)
            kind = j % 3
            if kind == 0:  # a right-skewed rate per 1,000
                value, treatment = np.exp(2.0 + 0.6 * latent), "log"
            elif kind == 1:  # a percentage
                value, treatment = 100 / (1 + np.exp(-(latent - 0.5))), "none"
            else:  # a count of places per 10k, with outliers
                value, treatment = np.maximum(0, 10 - 3 * latent + rng.standard_t(3, size=n_areas)), "winsorise"
            higher_is_more_need = kind != 2
            ind = f"{pillar}_{i + 1}"
            columns[ind] = value
            specs.append(IndicatorSpec(ind, pillar, higher_is_more_need, treatment))  # type: ignore[arg-type]
            j += 1
    values = pd.DataFrame(columns, index=pd.Index([f"E01{n:06d}" for n in range(n_areas)], name="lsoa_code"))
    values = values.mask(rng.random(values.shape) < MISSING_SHARE)
    return values, specs


#: CPU times (ms, this process, all threads) of the calls `timed` timed last: on a shared, loaded machine the
#: wall time measures the neighbours too, so `report` prints both.
LAST_CPU_MS: list[float] = []


def timed(fn: Callable[[], object], repeats: int) -> list[float]:
    """Return wall times in ms of `repeats` calls after one warm-up (their CPU times go to `LAST_CPU_MS`)."""
    fn()
    times = []
    LAST_CPU_MS.clear()
    for _ in range(repeats):
        start, cpu = time.perf_counter(), time.process_time()
        fn()
        times.append((time.perf_counter() - start) * 1000)
        LAST_CPU_MS.append((time.process_time() - cpu) * 1000)
    return times


def report(name: str, times: list[float], cpu: list[float] | None = None) -> None:
    """Print one plain line: median, min and max wall time in ms, and the median CPU time of the same calls.

    `cpu` defaults to the CPU times of the calls `timed` timed last.
    """
    print(
        f"{name} median={np.median(times):.1f} min={min(times):.1f} max={max(times):.1f} n={len(times)} "
        f"cpu_median={np.median(LAST_CPU_MS if cpu is None else cpu):.1f}"
    )


def argsort_ranks(scores: np.ndarray) -> np.ndarray:
    """Float64 argsort, then scatter: the simplest rank step, for comparison with `ranks.dense_ranks`."""
    return ranks.ranks_by_row(np.asarray(scores, dtype=float))


def argsort32_ranks(scores: np.ndarray) -> np.ndarray:
    """Argsort of float32 scores, then scatter."""
    return ranks.ranks_by_row(np.asarray(scores, dtype=np.float32))


#: Run in a subprocess on the tree exported at the "before" ref: that tree's own benchmark times its own framework
#: run (so it calls the package the way that package is called), on the inputs this run made. The specs travel as
#: plain tuples and are rebuilt with that tree's IndicatorSpec (the class has moved between modules).
_AT_REF = """
import pickle, sys
tree = sys.argv[1]
sys.path.insert(0, tree + "/benchmarks")
import composite as bench
with open(tree + "/inputs.pkl", "rb") as f:
    values, fields, draws, repeats = pickle.load(f)
specs = [bench.IndicatorSpec(*f) for f in fields]
wall = bench.timed(lambda: bench.framework_run(values, specs, draws), repeats)
cpu = list(bench.LAST_CPU_MS)
with open(tree + "/result.pkl", "wb") as f:
    pickle.dump((wall, cpu, bench.framework_run(values, specs, draws)), f)
"""


def time_at_ref(
    ref: str, values: pd.DataFrame, specs: list[IndicatorSpec], draws: int, repeats: int
) -> tuple[list[float], list[float], pd.DataFrame]:
    """Wall and CPU times (ms) and the frame of the framework run as the package is at git `ref` (a subprocess)."""
    root = Path(__file__).resolve().parent.parent
    tree = Path(tempfile.mkdtemp())
    archive = subprocess.run(
        ["git", "-C", str(root), "archive", ref, "cohesion_metrics", "benchmarks"], capture_output=True, check=True
    ).stdout
    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        tar.extractall(tree, filter="data")
    fields = [dataclasses.astuple(s) for s in specs]
    (tree / "inputs.pkl").write_bytes(pickle.dumps((values, fields, draws, repeats)))
    subprocess.run([sys.executable, "-c", _AT_REF, str(tree)], check=True)
    wall, cpu, frame = pickle.loads((tree / "result.pkl").read_bytes())
    shutil.rmtree(tree)
    return wall, cpu, frame


def framework_run(values: pd.DataFrame, specs: list[IndicatorSpec], draws: int) -> pd.DataFrame:
    """The framework's measures with 1,000 draws (rank normalisation draws only, as the app's default run)."""
    return measures.measures_with_uncertainty(values, specs, AXES, draws=DrawSettings(n_draws=draws, seed=1))[1]


def largest_rank_shift(before: pd.DataFrame, now: pd.DataFrame) -> tuple[float, int]:
    """The largest difference in any rank median or percentile between two frames, and how many values differ."""
    columns = [c for c in now.columns if "_rank_" in c]
    diff = (before[columns] - now[columns]).abs().to_numpy(dtype=float)
    return float(np.nanmax(diff)), int((diff > 0).sum())


def framework_benchmarks(draws: int, repeats: int, before_ref: str) -> None:
    """Time the framework at London and England scale, before (`before_ref`) and now, and the rank step's options."""
    for name, n_areas, pillars in (
        ("london", LONDON_AREAS, FRAMEWORK_PILLARS),
        ("england", ENGLAND_AREAS, ENGLAND_PILLARS),
    ):
        values, specs = synthetic(n_areas=n_areas, pillars=pillars)
        print(f"{name}: areas={n_areas} indicators={len(specs)} pillars={len(pillars)} draws={draws}")
        before_times, before_cpu, before_frame = time_at_ref(before_ref, values, specs, draws, repeats)
        report(f"framework_{name}_before_ms", before_times, before_cpu)
        now_times = timed(lambda v=values, s=specs: framework_run(v, s, draws), repeats)
        report(f"framework_{name}_now_ms", now_times)
        shift, moved = largest_rank_shift(before_frame, framework_run(values, specs, draws))
        now, goal = float(np.median(now_times)), GOALS_MS[name]
        print(
            f"framework_{name} speedup={np.median(before_times) / now:.2f}x goal_ms={goal} met={now <= goal} "
            f"rank_values_moved={moved} largest_move={shift:.2f}"
        )
    block = np.random.default_rng(0).random((200, ENGLAND_AREAS))
    for label, ranker in (
        ("compiled_radix", ranks.dense_ranks),
        ("argsort_float64", argsort_ranks),
        ("argsort_float32", argsort32_ranks),
    ):
        ms = timed(lambda r=ranker: r(block), 3)
        print(f"rank_step_{label}_ms_per_1000_draws median={np.median(ms) * 5:.0f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeats", type=int, default=7)
    parser.add_argument("--draws", type=int, default=1000)
    parser.add_argument("--framework-repeats", type=int, default=5)
    parser.add_argument("--skip-engine", action="store_true", help="time only the framework runs")
    parser.add_argument(
        "--before",
        default=BEFORE,
        help="git ref whose package is timed as 'before' (default: the last commit before the kernels)",
    )
    args = parser.parse_args()
    if args.skip_engine:
        framework_benchmarks(args.draws, args.framework_repeats, args.before)
        return
    values, specs = synthetic()
    print(
        f"areas={values.shape[0]} indicators={values.shape[1]} pillars={len(PILLARS)} "
        f"missing={values.isna().mean().mean():.3f} draws={args.draws}"
    )
    report("composite_ms", timed(lambda: compute_composite(values, specs), args.repeats))
    mc = DrawSettings(n_draws=args.draws, seed=1)
    report(
        "composite_mc_ms",
        timed(lambda: composite_with_uncertainty(values, specs, draws=mc), args.repeats),
    )
    result = composite_with_uncertainty(values, specs, draws=mc)[1]
    shares = result["label"].value_counts(normalize=True).round(3).to_dict()
    print(f"labels {shares} flagged={int((result['label'] == 'not scored').sum())}")
    framework_benchmarks(args.draws, args.framework_repeats, args.before)


if __name__ == "__main__":
    main()
