"""How far an area's rank depends on the modelling choices: Monte Carlo over weights and normalisation.

Uncertainty analysis as in the OECD/JRC *Handbook on Constructing Composite Indicators* (2008, step 7):

- **Weights.** Each draw takes indicator weights from a Dirichlet distribution centred on the chosen weights
  ``w`` with concentration ``c``: alpha = c * w, so the mean is ``w`` and a weight's sd is
  ``sqrt(w (1 - w) / (c + 1))``. With the default c = 100 and w = 0.05 (20 indicators) the sd is about 0.022,
  i.e. a weight moves by roughly +/-43 %. Zero weights stay zero.
- **Normalisation.** Each draw uses one method drawn uniformly from `methods` (default all three).
- The composite is rebuilt with the same two-level missing-value rule as `composite.compute_composite`; areas that
  the base run does not score (coverage below the minimum) stay unscored in every draw.
- **Summary.** Per area: the rank of the base run (1 = most need), and the median, 5th and 95th percentile of
  its rank over the draws (linear interpolation). The interval width p95 - p05, relative to the number of scored
  areas n, gives a plain label:

  - ``"stable"``: width <= 0.10 n (the interval is no wider than one decile),
  - ``"fairly stable"``: width <= 0.25 n (no wider than a quartile),
  - ``"uncertain"``: wider; ``"not scored"`` for areas the base run flags.

The base run's choices are a `composite.EngineSettings`, the draws' a `DrawSettings` (number, concentration, methods,
seed). Draws are seeded (`numpy.random.Generator`), so the same inputs and seed give the same output. Each normalisation
is computed once. In `composite_with_uncertainty` a draw is then a matrix product, with corrections only for the
areas with missing values, and ranks come from one argsort per draw. The framework's `measures.measures_with_uncertainty`
scores, orders and ranks each draw in compiled loops (`rank_kernels`: float32 sums in a fixed order, a radix sort,
the priority from one running count over the need ranks), two threads at a time.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from cohesion_metrics.errors import CompositeInputError
from cohesion_metrics.method.composite import (
    DEFAULT_ENGINE,
    BaseRun,
    CompositeResult,
    EngineSettings,
    base_run,
    pillar_membership,
)
from cohesion_metrics.method.normalise import METHODS, IndicatorSpec, Method
from cohesion_metrics.method.ranks import (
    rank_quantiles,
    ranks_by_row,
)

#: Default number of Monte Carlo draws.
N_DRAWS = 1000
#: Default Dirichlet concentration around the chosen weights (higher = weights vary less).
CONCENTRATION = 100.0
#: Label thresholds: rank interval width (p95 - p05) as a share of the number of scored areas.
STABLE_MAX = 0.10
FAIRLY_STABLE_MAX = 0.25
LABELS = ("stable", "fairly stable", "uncertain")
#: Draws scored and ranked at a time.
DRAW_BLOCK = 200
#: Threads that score and rank blocks of draws at once (the machine's two cores).
THREADS = 2
NOT_SCORED = "not scored"


@dataclass(frozen=True)
class DrawSettings:
    """The Monte Carlo's choices: the number of draws, the Dirichlet concentration, the methods drawn and the seed.

    `seed` is an int or a `numpy.random.Generator` (whose state the draws then advance). Raises CompositeInputError
    for fewer than one draw, a concentration that is not a positive number, or methods that are empty or unknown.
    """

    n_draws: int = N_DRAWS
    concentration: float = CONCENTRATION
    methods: Sequence[Method] = METHODS
    seed: int | np.random.Generator = 0

    def __post_init__(self) -> None:
        if int(self.n_draws) < 1:
            raise CompositeInputError(f"n_draws {self.n_draws} must be at least 1.")
        if not np.isfinite(self.concentration) or self.concentration <= 0:
            raise CompositeInputError(f"concentration {self.concentration} must be a positive number.")
        methods = tuple(self.methods)
        if not methods or any(m not in METHODS for m in methods):
            raise CompositeInputError(f"methods {list(methods)} must be a non-empty subset of {list(METHODS)}.")
        object.__setattr__(self, "n_draws", int(self.n_draws))
        object.__setattr__(self, "concentration", float(self.concentration))
        object.__setattr__(self, "methods", methods)

    def generator(self) -> np.random.Generator:
        """The seed if it is a generator, else a new generator from the seed."""
        return self.seed if isinstance(self.seed, np.random.Generator) else np.random.default_rng(self.seed)

    def attrs(self, engine: EngineSettings, **extra: object) -> dict[str, object]:
        """The settings a result frame records in its `attrs`, with `extra` before the seed (None for a generator)."""
        return {
            "n_draws": self.n_draws,
            "concentration": self.concentration,
            "methods": list(self.methods),
            "base_method": engine.method,
            **extra,
            "seed": self.seed if isinstance(self.seed, int) else None,
        }


#: The Monte Carlo's default choices.
DEFAULT_DRAW_SETTINGS = DrawSettings()


def draw_weights(weights: np.ndarray, n_draws: int, concentration: float, rng: np.random.Generator) -> np.ndarray:
    """Return `n_draws` x k weight vectors from Dirichlet(concentration * weights); zero weights stay zero."""
    positive = weights > 0
    gamma = rng.gamma(concentration * weights[positive], size=(n_draws, int(positive.sum())))
    # Keep every positive-weight indicator strictly positive (a gamma draw can underflow to 0 for tiny alpha).
    gamma = np.maximum(gamma, np.finfo(float).tiny)
    out = np.zeros((n_draws, weights.size))
    out[:, positive] = gamma / gamma.sum(axis=1, keepdims=True)
    return out


def base_run_and_draws(
    values: pd.DataFrame, specs: Sequence[IndicatorSpec], engine: EngineSettings, draws: DrawSettings
) -> tuple[BaseRun, np.ndarray, np.ndarray]:
    """The base run (with every method the draws use normalised once) and the seeded draws.

    Returns the run, each draw's method (its position in `draws.methods`) and the draws' weights (draws x indicators).
    The generator gives the methods first, then the weights.
    """
    run = base_run(values, specs, engine, also=draws.methods)
    rng = draws.generator()
    chosen = rng.integers(len(draws.methods), size=draws.n_draws)
    weight_draws = draw_weights(run.weights.to_numpy(dtype=float), draws.n_draws, draws.concentration, rng)
    return run, chosen, weight_draws


def composite_matrix(normalised: np.ndarray, member: np.ndarray, weight_draws: np.ndarray) -> np.ndarray:
    """Return the composite (draws x areas) for each weight vector in `weight_draws` (draws x indicators).

    `normalised` is areas x indicators (NaN = missing), `member` the indicator x pillar membership. Same rule as
    `composite.aggregate_normalised` (weights renormalised within pillars, then across available pillars), for
    weight vectors whose zero entries are the same in every draw. NaN where an area has no weighted indicator.
    """
    available = ~np.isnan(normalised)
    filled = np.where(available, normalised, 0.0)
    positive = weight_draws[0] > 0
    out = weight_draws @ filled.T
    pillar_any = np.zeros((normalised.shape[0], member.shape[1]), dtype=bool)
    for p in range(member.shape[1]):
        cols = np.flatnonzero(member[:, p] & positive)
        if cols.size == 0:
            continue
        n_available = available[:, cols].sum(axis=1)
        pillar_any[:, p] = n_available > 0
        rows = np.flatnonzero((n_available > 0) & (n_available < cols.size))
        if rows.size == 0:
            continue
        w = weight_draws[:, cols]
        den = w @ available[np.ix_(rows, cols)].T
        num = w @ filled[np.ix_(rows, cols)].T
        out[:, rows] += num * (w.sum(axis=1, keepdims=True) / den - 1.0)
    pillar_w = weight_draws @ member
    short = np.flatnonzero(~pillar_any[:, pillar_w[0] > 0].all(axis=1))
    if short.size:
        den = pillar_w @ pillar_any[short].T
        with np.errstate(invalid="ignore", divide="ignore"):
            out[:, short] = np.where(den > 0, out[:, short] / den, np.nan)
    return out


def stability_label(width: np.ndarray, n_areas: int) -> np.ndarray:
    """Return "stable" / "fairly stable" / "uncertain" for rank interval widths among `n_areas` areas."""
    share = np.asarray(width, dtype=float) / max(n_areas, 1)
    return np.select([share <= STABLE_MAX, share <= FAIRLY_STABLE_MAX], LABELS[:2], LABELS[2]).astype(object)


def composite_with_uncertainty(
    values: pd.DataFrame,
    specs: Sequence[IndicatorSpec],
    *,
    engine: EngineSettings = DEFAULT_ENGINE,
    draws: DrawSettings = DEFAULT_DRAW_SETTINGS,
) -> tuple[CompositeResult, pd.DataFrame]:
    """Return the base run's `CompositeResult` (as `compute_composite`) and, per area, its rank uncertainty.

    The frame's columns: ``rank`` (base run, 1 = most need), ``rank_median``, ``rank_p05``, ``rank_p95`` (Monte Carlo
    median, 5th and 95th percentile rank), ``interval_width`` (p95 - p05) and ``label``; its ``attrs`` record the
    settings. Normalising and aggregating once serves both results, so the base run is computed once.
    """
    run, chosen, weight_draws = base_run_and_draws(values, specs, engine, draws)
    base = run.result
    scored = ~base.flagged.to_numpy()
    _, member = pillar_membership(run.specs)
    ranks = np.empty((draws.n_draws, int(scored.sum())), dtype=np.int32)
    for k, m in enumerate(draws.methods):
        x = run.normalised[m].to_numpy(dtype=float)[scored]
        rows = np.flatnonzero(chosen == k)
        # Blocks of draws keep the score matrix in cache and bound memory.
        for block in np.array_split(rows, -(-rows.size // DRAW_BLOCK)) if rows.size else []:
            ranks[block] = ranks_by_row(composite_matrix(x, member, weight_draws[block]))

    p05, median, p95 = rank_quantiles(ranks, (0.05, 0.5, 0.95))
    n_scored = int(scored.sum())
    out = pd.DataFrame(index=values.index)
    out["rank"] = base.rank
    for name, column in (("rank_median", median), ("rank_p05", p05), ("rank_p95", p95)):
        out[name] = np.nan
        out.loc[scored, name] = column
    out["interval_width"] = out["rank_p95"] - out["rank_p05"]
    label = np.full(len(out), NOT_SCORED, dtype=object)
    label[scored] = stability_label(out["interval_width"].to_numpy()[scored], n_scored)
    out["label"] = pd.Series(label, index=out.index, dtype="str")
    out.attrs.update(draws.attrs(engine, n_scored=n_scored))
    return base, out
