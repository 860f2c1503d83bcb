"""Time the composite and its Monte Carlo rank uncertainty on synthetic London-sized data.

Run: `.venv/bin/python benchmarks/composite.py [--repeats 7] [--draws 1000]`.
Goal: composite + 1,000 draws for 4,835 areas x 20 indicators at most 300 ms median on 2 cores.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from cohesion_metrics.composite import IndicatorSpec, compute_composite
from cohesion_metrics.uncertainty import composite_with_uncertainty

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


def synthetic(seed: int = 2024) -> tuple[pd.DataFrame, list[IndicatorSpec]]:
    """Return seeded synthetic indicator values (areas x 20 indicators, 5% missing) and their specs."""
    rng = np.random.default_rng(seed)
    borough = rng.integers(33, size=N_AREAS)
    need = rng.normal(size=N_AREAS) + rng.normal(scale=0.5, size=33)[borough]
    columns: dict[str, np.ndarray] = {}
    specs: list[IndicatorSpec] = []
    j = 0
    for pillar, count in PILLARS.items():
        pillar_need = 0.7 * need + rng.normal(scale=0.7, size=N_AREAS)
        for i in range(count):
            loading = rng.uniform(0.4, 0.9)
            latent = loading * pillar_need + rng.normal(scale=np.sqrt(1 - loading**2), size=N_AREAS)
            kind = j % 3
            if kind == 0:  # a right-skewed rate per 1,000
                value, treatment = np.exp(2.0 + 0.6 * latent), "log"
            elif kind == 1:  # a percentage
                value, treatment = 100 / (1 + np.exp(-(latent - 0.5))), "none"
            else:  # a count of places per 10k, with outliers
                value, treatment = np.maximum(0, 10 - 3 * latent + rng.standard_t(3, size=N_AREAS)), "winsorise"
            higher_is_more_need = kind != 2
            ind = f"{pillar}_{i + 1}"
            columns[ind] = value
            specs.append(IndicatorSpec(ind, pillar, higher_is_more_need, treatment))  # type: ignore[arg-type]
            j += 1
    values = pd.DataFrame(columns, index=pd.Index([f"E01{n:06d}" for n in range(N_AREAS)], name="lsoa11_code"))
    values = values.mask(rng.random(values.shape) < MISSING_SHARE)
    return values, specs


def timed(fn: Callable[[], object], repeats: int) -> list[float]:
    """Return wall times in ms of `repeats` calls after one warm-up."""
    fn()
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    return times


def report(name: str, times: list[float]) -> None:
    """Print one plain line: median, min and max in ms."""
    print(f"{name} median={np.median(times):.1f} min={min(times):.1f} max={max(times):.1f} n={len(times)}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeats", type=int, default=7)
    parser.add_argument("--draws", type=int, default=1000)
    args = parser.parse_args()
    values, specs = synthetic()
    print(
        f"areas={values.shape[0]} indicators={values.shape[1]} pillars={len(PILLARS)} "
        f"missing={values.isna().mean().mean():.3f} draws={args.draws}"
    )
    report("composite_ms", timed(lambda: compute_composite(values, specs), args.repeats))
    report(
        "composite_mc_ms",
        timed(lambda: composite_with_uncertainty(values, specs, n_draws=args.draws, seed=1), args.repeats),
    )
    result = composite_with_uncertainty(values, specs, n_draws=args.draws, seed=1)[1]
    shares = result["label"].value_counts(normalize=True).round(3).to_dict()
    print(f"labels {shares} flagged={int((result['label'] == 'not scored').sum())}")


if __name__ == "__main__":
    main()
