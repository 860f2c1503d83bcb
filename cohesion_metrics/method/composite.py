"""The composite engine: orient, normalise, weight and aggregate indicators into pillar scores and their mean.

Method, following the OECD/JRC *Handbook on Constructing Composite Indicators* (2008); steps 1 to 3 and the
exponential transform of step 7 are in `normalise`, the rest here:

1. **Orientation.** Every indicator is turned so that higher = more need (values of an indicator with
   `higher_is_more_need=False` are negated before normalising).
2. **Normalisation**, one method per run, over the areas in `values` (London's LSOAs, so "London-relative"):

   - ``"rank"`` (default): percentile rank ``(r - 1) / (n - 1)`` in 0..1, with ``r`` the average rank of
     ties and ``n`` the number of areas with a value (a constant indicator, or one area, gives 0.5 everywhere).
     Robust to skew and outliers by construction, so indicator treatments are not applied.
   - ``"minmax"``: ``(x - min) / (max - min)`` in 0..1 (a constant indicator gives 0.5).
   - ``"zscore"``: ``(x - mean) / sd`` with the population sd (ddof=0; a constant indicator gives 0).

   Skewed indicators can carry a treatment in their spec, used by ``"minmax"`` and ``"zscore"`` only:
   ``"winsorise"`` clips raw values at the `winsor_limits` quantiles (default 1st/99th percentile);
   ``"log"`` takes ``log1p`` of raw values (for heavy right skew, e.g. rates per 1,000; values must be >= 0).
3. **Weights** (`resolve_weights`): presets ``"equal_pillars"`` (each pillar equal, split equally among its
   indicators) and ``"equal_indicators"``, or a mapping per indicator or per pillar; validated and
   renormalised to sum 1.
4. **Aggregation**, arithmetic and in two levels: a pillar score is the weighted mean of its indicators;
   the composite is the weighted mean of the pillar scores (pillar weight = sum of its indicator weights).
5. **Missing values** are left out and the weights renormalised per area at both levels, so a missing
   indicator's weight passes to the other indicators of its pillar and the composite stays the weighted mean
   of the pillar scores shown. ``coverage`` is the share of the total weight whose indicator is available.
   An area with coverage below `min_coverage` (default 0.5) is flagged, with a reason, and not scored
   (composite and rank NaN); its pillar scores are still returned.
6. **Rank** 1 = most need (ties share the best rank, "min" method).
7. **IMD-style exponential transform** (`exponential_transform`), returned beside the plain composite as
   ``composite_exp``: each pillar score is ranked, the rank scaled to R = rank / n (1/n least need, 1 most need)
   and transformed to ``X = -23 ln(1 - R (1 - exp(-100/23)))`` (0..100, the IoD 2019 method), then the pillars are
   combined with the same weights and missing-value rule. It stops high need on one pillar being cancelled out by
   low need on another.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np
import pandas as pd

from cohesion_metrics.errors import (
    CompositeInputError,
    SpecError,
    UnknownIdError,
    WeightError,
)
from cohesion_metrics.method.normalise import (
    WINSOR_LIMITS,
    IndicatorSpec,
    Method,
    check_specs,
    exponential_transform,
    normalise,
    pillar_ids,
)

WeightsBy = Literal["indicator", "pillar"]

#: The weight presets.
WEIGHT_PRESETS: tuple[str, ...] = ("equal_pillars", "equal_indicators")
#: Default minimum coverage (share of the total weight available) for an area to be scored.
MIN_COVERAGE = 0.5


@dataclass(frozen=True)
class EngineSettings:
    """The engine's choices: normalisation method, weights, minimum coverage and winsorising limits.

    `weights` is a preset or a mapping by indicator or by pillar (`weights_by`), as in `resolve_weights`. The
    choices are checked where they are used (`normalise`, `resolve_weights`, `aggregate_normalised`, `orient`).
    """

    method: Method = "rank"
    weights: str | Mapping[str, float] = "equal_pillars"
    weights_by: WeightsBy = "indicator"
    min_coverage: float = MIN_COVERAGE
    winsor_limits: tuple[float, float] = WINSOR_LIMITS


#: The engine's default choices.
DEFAULT_ENGINE = EngineSettings()


@dataclass(frozen=True)
class CompositeResult:
    """The composite of one run, with its pillar scores, coverage, flags and rank (all indexed by area)."""

    composite: pd.Series
    composite_exp: pd.Series
    pillars: pd.DataFrame
    coverage: pd.Series
    flagged: pd.Series
    flag_reason: pd.Series
    rank: pd.Series
    weights: pd.Series
    pillar_weights: pd.Series
    normalised: pd.DataFrame
    method: Method
    min_coverage: float

    def to_frame(self) -> pd.DataFrame:
        """Return one row per area: composite, composite_exp, rank, coverage, flags and `pillar__<id>` columns."""
        out = pd.DataFrame(
            {
                "composite": self.composite,
                "composite_exp": self.composite_exp,
                "rank": self.rank,
                "coverage": self.coverage,
                "flagged": self.flagged,
                "flag_reason": self.flag_reason,
            }
        )
        return out.join(self.pillars.add_prefix("pillar__"))


def _check_weight_values(weights: pd.Series, what: str) -> None:
    """Raise WeightError naming every negative, NaN or infinite weight, or when all weights are zero."""
    numeric = pd.to_numeric(weights, errors="coerce").astype(float)
    bad = numeric.index[numeric.isna() | ~np.isfinite(numeric)].tolist()
    if bad:
        raise WeightError(f"{what} weight(s) for {[str(b) for b in bad]} are NaN, infinite or not numbers.")
    negative = numeric.index[numeric < 0].tolist()
    if negative:
        raise WeightError(f"{what} weight(s) for {[str(b) for b in negative]} are negative; weights must be >= 0.")
    if not (numeric > 0).any():
        raise WeightError(f"all {what} weights are zero; give at least one a positive weight.")


def resolve_weights(
    specs: Sequence[IndicatorSpec],
    weights: str | Mapping[str, float] = "equal_pillars",
    *,
    by: WeightsBy = "indicator",
) -> pd.Series:
    """Return one weight per indicator (spec order), summing to 1.

    `weights` is a preset (``"equal_pillars"``, ``"equal_indicators"``) or a mapping of every indicator id
    (`by="indicator"`) or every pillar id (`by="pillar"`, each pillar's weight split equally among its
    indicators) to a weight >= 0 (0 leaves it out). Raises UnknownIdError for an id not in the specs and
    WeightError for a missing id, an unknown preset, or negative, NaN, infinite or all-zero weights.
    """
    specs = tuple(specs)
    if not specs:
        raise SpecError("no indicator specs given; pass at least one IndicatorSpec.")
    ids = [s.id for s in specs]
    pillars = pd.Series([s.pillar for s in specs], index=ids)
    per_pillar = pillars.map(pillars.value_counts())
    if isinstance(weights, str):
        if weights == "equal_pillars":
            raw = 1.0 / per_pillar
        elif weights == "equal_indicators":
            raw = pd.Series(1.0, index=ids)
        else:
            raise WeightError(f"unknown weight preset {weights!r}; use one of {list(WEIGHT_PRESETS)} or a mapping.")
    else:
        given = pd.Series(dict(weights), dtype=object)
        if by == "indicator":
            known, what = ids, "indicator"
        elif by == "pillar":
            known, what = pillar_ids(specs), "pillar"
        else:
            raise WeightError(f"unknown weights_by {by!r}; use 'indicator' or 'pillar'.")
        unknown = [str(k) for k in given.index if k not in known]
        if unknown:
            raise UnknownIdError(f"weights name unknown {what} id(s) {unknown}; known {what}s: {known}.")
        missing = [k for k in known if k not in given.index]
        if missing:
            raise WeightError(f"no weight given for {what}(s) {missing}; give 0 to leave one out.")
        _check_weight_values(given, what)
        given = given.astype(float)
        raw = given.reindex(ids) if by == "indicator" else pillars.map(given) / per_pillar
    raw = raw.astype(float)
    raw.name = "weight"
    return raw / raw.sum()


def pillar_membership(specs: Sequence[IndicatorSpec]) -> tuple[list[str], np.ndarray]:
    """Return the pillar ids and a boolean indicator-by-pillar membership matrix."""
    pillars = pillar_ids(specs)
    member = np.array([[s.pillar == p for p in pillars] for s in specs], dtype=bool)
    return pillars, member


def _within_pillar(weights: np.ndarray, member: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Return pillar weights and within-pillar indicator weights (equal within a zero-weight pillar, for display)."""
    pillar_w = weights @ member
    within = member * weights[:, None]
    zero = pillar_w <= 0
    within[:, zero] = member[:, zero]
    within = within / within.sum(axis=0, keepdims=True)
    return pillar_w, within


def _weighted_mean(scores: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """Return the row-wise weighted mean of `scores` over non-NaN entries (NaN where no weight is available)."""
    available = ~np.isnan(scores)
    filled = np.where(available, scores, 0.0)
    den = available @ weights
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(den > 0, (filled @ weights) / np.where(den > 0, den, 1.0), np.nan)


def aggregate_normalised(
    normalised: pd.DataFrame,
    specs: Sequence[IndicatorSpec],
    weights: pd.Series,
    *,
    method: Method = "rank",
    min_coverage: float = MIN_COVERAGE,
) -> CompositeResult:
    """Aggregate normalised indicators (higher = more need) into pillar scores and a composite."""
    specs = tuple(specs)
    if not 0.0 <= min_coverage <= 1.0:
        raise CompositeInputError(f"min_coverage {min_coverage} must lie in 0..1.")
    ids = [s.id for s in specs]
    w = weights.reindex(ids).to_numpy(dtype=float)
    pillars, member = pillar_membership(specs)
    pillar_w, within = _within_pillar(w, member)
    x = normalised[ids].to_numpy(dtype=float)
    available = ~np.isnan(x)
    index = normalised.index

    pillar_scores = _weighted_mean(x, within)
    composite = _weighted_mean(pillar_scores, pillar_w)
    coverage = available @ w
    # Rounding guard: an area with every indicator has coverage exactly 1.
    coverage = np.where(available.all(axis=1), 1.0, coverage)
    # A tolerance so that rounding in the weights never flags an area at exactly the minimum.
    flagged = (coverage < min_coverage - 1e-12) | np.isnan(composite)
    composite = np.where(flagged, np.nan, composite)

    pillar_frame = pd.DataFrame(pillar_scores, index=index, columns=pillars)
    exp_pillars = pillar_frame.apply(exponential_transform).to_numpy(dtype=float)
    composite_exp = np.where(flagged, np.nan, _weighted_mean(exp_pillars, pillar_w))

    reason = np.full(len(index), "", dtype=object)
    for row in np.flatnonzero(flagged):
        missing = [ids[j] for j in np.flatnonzero(~available[row])]
        head = (
            f"coverage {coverage[row]:.0%} is below the minimum {min_coverage:.0%}"
            if coverage[row] < min_coverage - 1e-12
            else "no indicator with a positive weight is available"
        )
        reason[row] = f"{head}; missing: {', '.join(missing)}"

    composite_s = pd.Series(composite, index=index, name="composite")
    return CompositeResult(
        composite=composite_s,
        composite_exp=pd.Series(composite_exp, index=index, name="composite_exp"),
        pillars=pillar_frame,
        coverage=pd.Series(coverage, index=index, name="coverage"),
        flagged=pd.Series(flagged, index=index, name="flagged"),
        flag_reason=pd.Series(reason, index=index, name="flag_reason", dtype="str"),
        rank=composite_s.rank(ascending=False, method="min").astype("Int64").rename("rank"),
        weights=pd.Series(w, index=ids, name="weight"),
        pillar_weights=pd.Series(pillar_w, index=pillars, name="weight"),
        normalised=normalised[ids],
        method=method,
        min_coverage=min_coverage,
    )


@dataclass(frozen=True)
class BaseRun:
    """An engine run with what went into it: the checked specs, resolved weights and normalisations by method."""

    specs: tuple[IndicatorSpec, ...]
    weights: pd.Series
    normalised: Mapping[Method, pd.DataFrame]
    result: CompositeResult


def base_run(
    values: pd.DataFrame,
    specs: Sequence[IndicatorSpec],
    engine: EngineSettings = DEFAULT_ENGINE,
    *,
    also: Sequence[Method] = (),
) -> BaseRun:
    """Check, weigh, normalise (by the engine's method and each of `also`, once each) and aggregate `values`."""
    specs = check_specs(values, specs)
    weights = resolve_weights(specs, engine.weights, by=engine.weights_by)
    normalised = {
        m: normalise(values, specs, m, winsor_limits=engine.winsor_limits)
        for m in dict.fromkeys((engine.method, *also))
    }
    result = aggregate_normalised(
        normalised[engine.method], specs, weights, method=engine.method, min_coverage=engine.min_coverage
    )
    return BaseRun(specs=specs, weights=weights, normalised=normalised, result=result)


def compute_composite(
    values: pd.DataFrame, specs: Sequence[IndicatorSpec], *, engine: EngineSettings = DEFAULT_ENGINE
) -> CompositeResult:
    """Return the engine's run of `values` (areas x indicators) under `specs`; see the module docstring."""
    return base_run(values, specs, engine).result
