"""The framework's measures under one Monte Carlo: need, cohesion capacity and the priority, with rank intervals.

Every draw of `uncertainty` (weights and normalisation) scores the need and capacity axes from the same normalised
indicators, ranks them, and derives the priority: the need rank among the areas whose capacity is below that draw's
median. Hazard exposure gets its base rank only. The draws are scored, ordered and ranked in compiled loops
(`rank_kernels`: float32 sums in a fixed order, a radix sort, the priority from one running count over the need
ranks), two threads at a time; per area the summary gives the base rank, the median and the 5-95% interval, the
share of draws in London's top 10 and top third, and a stability label in places.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import numpy as np
import pandas as pd

from cohesion_metrics.errors import CompositeInputError
from cohesion_metrics.method.composite import (
    DEFAULT_ENGINE,
    CompositeResult,
    EngineSettings,
)
from cohesion_metrics.method.normalise import IndicatorSpec
from cohesion_metrics.method.ranks import (
    dense_ranks,
    eligible_ranks,
    kernels,
    mark_above_median,
    order_and_ranks,
    rank_dtype,
    rank_summary,
)
from cohesion_metrics.method.uncertainty import (
    DEFAULT_DRAW_SETTINGS,
    DRAW_BLOCK,
    LABELS,
    THREADS,
    DrawSettings,
    base_run_and_draws,
)

#: The framework's axes with Monte Carlo rank intervals; hazard gets a base rank only.
INTERVAL_MEASURES = ("need", "capacity", "priority")
AXIS_NAMES = ("need", "capacity", "hazard")
#: "London's top 10": the number of places counted as a top list.
TOP_N = 10
#: Stability labels by the width of the 5-95% rank interval in places (not in % of all areas).
STABLE_MAX_PLACES = 5
FAIRLY_STABLE_MAX_PLACES = 20


def stability_in_places(width: np.ndarray) -> np.ndarray:
    """Return "stable" (interval <= 5 places wide), "fairly stable" (<= 20) or "uncertain"; "" where NaN."""
    w = np.asarray(width, dtype=float)
    out = np.select([w <= STABLE_MAX_PLACES, w <= FAIRLY_STABLE_MAX_PLACES], LABELS[:2], LABELS[2]).astype(object)
    out[np.isnan(w)] = ""
    return out


def weighted_axis(pillars: pd.DataFrame, pillar_weights: pd.Series, ids: Sequence[str]) -> pd.Series:
    """Weighted mean of the pillars in `ids` that exist, renormalised per area over the available pillar scores."""
    cols = [p for p in ids if p in pillars.columns and pillar_weights.get(p, 0) > 0]
    if not cols:
        return pd.Series(np.nan, index=pillars.index)
    scores = pillars[cols].to_numpy(dtype=float)
    w = np.where(np.isnan(scores), 0.0, pillar_weights[cols].to_numpy(dtype=float))
    total = w.sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = np.where(total > 0, np.nansum(scores * w, axis=1) / np.where(total > 0, total, 1.0), np.nan)
    return pd.Series(mean, index=pillars.index)


def priority_scores(need: pd.Series, capacity: pd.Series, hazard: pd.Series, hazard_weight: float = 0.0) -> pd.Series:
    """Priority: need (or (1 - w) need + w hazard) where cohesion capacity is below London's median; else NaN.

    Capacity decides only whether an area is eligible, never how high it ranks. The median is over the areas with
    both a need and a capacity score. An eligible area without a hazard score keeps its need.
    """
    check_hazard_weight(hazard_weight)
    scored = need.notna() & capacity.notna()
    eligible = scored & (capacity < capacity[scored].median())
    score = need if hazard_weight == 0 else ((1 - hazard_weight) * need + hazard_weight * hazard).fillna(need)
    return score.where(eligible).rename("priority")


#: The hazard weight's range in the priority (default 0: hazard is shown beside, not in, the priority).
MAX_HAZARD_WEIGHT = 0.5


def check_hazard_weight(weight: float) -> None:
    """Raise CompositeInputError unless `weight` lies in 0..MAX_HAZARD_WEIGHT (NaN and infinity do not)."""
    if not 0.0 <= weight <= MAX_HAZARD_WEIGHT:
        raise CompositeInputError(f"hazard weight {weight} must lie in 0..{MAX_HAZARD_WEIGHT}.")


@dataclass(frozen=True)
class _AxisInputs:
    """One axis's normalised indicators (those with a positive weight), laid out for the scoring kernel."""

    columns: np.ndarray  # the indicators' positions among all
    values: np.ndarray  # indicators x areas, float32, missing as 0
    available: np.ndarray  # indicators x areas, float32: 1 where a value is present
    pillar_of: np.ndarray  # each indicator's pillar, 0..P-1


def _axis_inputs(
    x: np.ndarray, specs: Sequence[IndicatorSpec], pillars: Sequence[str], weights: np.ndarray
) -> _AxisInputs | None:
    """The inputs of the axis made of `pillars`, from normalised `x` (areas x indicators); None if it has none."""
    columns = np.flatnonzero([s.pillar in pillars for s in specs] & (weights > 0))
    if columns.size == 0:
        return None
    sub = x[:, columns].T
    present = ~np.isnan(sub)
    names = [specs[int(j)].pillar for j in columns]
    index = {name: i for i, name in enumerate(dict.fromkeys(names))}
    return _AxisInputs(
        columns=columns,
        values=np.ascontiguousarray(np.where(present, sub, 0.0), dtype=np.float32),
        available=present.astype(np.float32),
        pillar_of=np.array([index[name] for name in names], dtype=np.int64),
    )


def _axis_scores(inputs: _AxisInputs, draws: np.ndarray) -> np.ndarray:
    """Scores (draws x areas, float32) of an axis under each draw's weights, renormalised over its indicators."""
    sub = draws[:, inputs.columns]
    sub = np.ascontiguousarray(sub / sub.sum(axis=1, keepdims=True), dtype=np.float32)
    out = np.empty((sub.shape[0], inputs.values.shape[1]), dtype=np.float32)
    kernels().axis_scores_into(inputs.values, inputs.available, inputs.pillar_of, sub, out)
    return out


def _summarise(
    ranks: np.ndarray, top_third: int | np.ndarray, listed: np.ndarray | None = None
) -> dict[str, np.ndarray]:
    """Rank quantiles and top-list shares over draws, from a draws x areas rank matrix.

    `top_third` is the top third's size (per draw, for priority); with `listed`, an area counts in a top list only
    in the draws that list it.
    """
    if ranks.shape[1]:
        (p05, median, p95), top10, third = rank_summary(ranks, (0.05, 0.5, 0.95), TOP_N, np.asarray(top_third), listed)
    else:
        p05 = median = p95 = top10 = third = np.empty(0)
    return {
        "rank_median": median,
        "rank_p05": p05,
        "rank_p95": p95,
        "top10_share": top10 / len(ranks),
        "top_third_share": third / len(ranks),
    }


def measures_with_uncertainty(
    values: pd.DataFrame,
    specs: Sequence[IndicatorSpec],
    axes: Mapping[str, Sequence[str]],
    *,
    hazard_weight: float = 0.0,
    engine: EngineSettings = DEFAULT_ENGINE,
    draws: DrawSettings = DEFAULT_DRAW_SETTINGS,
) -> tuple[CompositeResult, pd.DataFrame]:
    """Return the engine's base run and, per area, need, capacity, hazard and priority with their rank uncertainty.

    `axes` maps "need", "capacity" and "hazard" to their pillar ids. Every draw takes one set of Dirichlet weights
    and one normalisation for all indicators, as `composite_with_uncertainty`, and rebuilds the three axes and the
    priority from them (eligibility too: capacity below that draw's London median). Per measure m in need,
    capacity and priority the frame has ``m``, ``m_rank`` (base run; need 1 = most need, capacity 1 = least
    capacity, priority 1 = first), ``m_rank_median``, ``m_rank_p05``, ``m_rank_p95``, ``m_top10_share`` and
    ``m_top_third_share`` (share of draws in London's top 10 / top third of areas scored on it; for priority,
    of the eligible areas of that draw) and ``m_stability``; hazard has ``hazard`` and ``hazard_rank``. In a draw
    where an area is not eligible it ranks after every eligible one. Priority intervals are given for the areas
    the base run makes eligible.
    """
    run, chosen, weight_draws = base_run_and_draws(values, specs, engine, draws)
    base, specs, n_draws = run.result, run.specs, draws.n_draws
    scored_ok = ~base.flagged.to_numpy()
    need = weighted_axis(base.pillars, base.pillar_weights, axes.get("need", ())).where(scored_ok)
    capacity = 1.0 - weighted_axis(base.pillars, base.pillar_weights, axes.get("capacity", ())).where(scored_ok)
    hazard = weighted_axis(base.pillars, base.pillar_weights, axes.get("hazard", ())).where(scored_ok)
    priority = priority_scores(need, capacity, hazard, hazard_weight)
    out = pd.DataFrame({"need": need, "capacity": capacity, "hazard": hazard, "priority": priority})
    out["need_rank"] = need.rank(ascending=False, method="min").astype("Int64")
    out["capacity_rank"] = capacity.rank(ascending=True, method="min").astype("Int64")
    out["hazard_rank"] = hazard.rank(ascending=False, method="min").astype("Int64")
    out["priority_rank"] = priority.rank(ascending=False, method="min").astype("Int64")

    rows = {
        "need": np.flatnonzero(need.notna().to_numpy()),
        "capacity": np.flatnonzero(capacity.notna().to_numpy()),
        "priority": np.flatnonzero((need.notna() & capacity.notna()).to_numpy()),
    }
    ranks = {m: np.zeros((n_draws, rows[m].size), dtype=rank_dtype(len(out))) for m in INTERVAL_MEASURES}
    eligible_counts = np.zeros(n_draws, dtype=np.int64)
    both = rows["priority"]
    listed = np.zeros((n_draws, both.size), dtype=bool)
    need_columns = np.searchsorted(rows["need"], both)  # the priority areas' positions among the need areas
    wanted = ("need", "capacity", "hazard") if hazard_weight > 0 else ("need", "capacity")
    draws32 = weight_draws.astype(np.float32)  # float32 halves the memory traffic; ranks are taken in float32 anyway
    x_by_method = [run.normalised[m].to_numpy(dtype=np.float32) for m in draws.methods]

    inputs = [
        {a: _axis_inputs(x, specs, axes.get(a, ()), draws32[0]) if a in wanted else None for a in AXIS_NAMES}
        for x in x_by_method
    ]

    def rank_block(k: int, block: np.ndarray) -> None:
        """Score the axes for the draws in `block` (all with method k) and write their ranks."""
        axis = {a: None if i is None else _axis_scores(i, draws32[block]) for a, i in inputs[k].items()}
        need_axis, capacity_axis = axis["need"], axis["capacity"]
        if need_axis is not None and rows["need"].size:  # the priority follows these ranks; no order needed
            order_and_ranks(need_axis, rows["need"], ranks["need"], block, with_order=False)
        if capacity_axis is not None and rows["capacity"].size:
            capacity_order, _ = order_and_ranks(capacity_axis, rows["capacity"], ranks["capacity"], block)
        if need_axis is None or capacity_axis is None or not both.size:  # both.size: need and capacity areas
            return
        # Eligible: capacity score above that draw's median over the priority areas, read off the capacity order.
        mark_above_median(capacity_axis, rows["capacity"], capacity_order, both, above=listed, rows=block)
        if hazard_weight > 0 and axis["hazard"] is not None:
            eligible = listed[block]
            counts = eligible.sum(axis=1)
            eligible_counts[block] = counts
            score = need_axis[:, both]
            blended = (1 - hazard_weight) * score + hazard_weight * axis["hazard"][:, both]
            score = np.where(np.isnan(blended), score, blended)
            r = dense_ranks(np.where(eligible, score, np.nanmin(score) - 1.0))
            ranks["priority"][block] = np.minimum(r, (counts + 1)[:, None])  # not eligible: after the list
        else:  # priority = need among the eligible: ranks follow the need ranks
            eligible_ranks(
                ranks["need"], need_columns, listed, counts=eligible_counts, ranks=ranks["priority"], rows=block
            )

    def summarise_measure(name: str) -> dict[str, np.ndarray]:
        if name == "priority":  # top lists among that draw's eligible areas
            third = np.maximum(np.ceil(eligible_counts / 3.0), 1).astype(np.int64)
            return _summarise(ranks[name], third, listed)
        return _summarise(ranks[name], int(np.ceil(rows[name].size / 3.0)))

    picks = [np.flatnonzero(chosen == k) for k in range(len(draws.methods))]
    tasks = [(k, b) for k, p in enumerate(picks) if p.size for b in np.array_split(p, -(-p.size // DRAW_BLOCK))]
    # Blocks write disjoint rows; the kernels and numpy's sorts release the GIL, so threads use both cores.
    with ThreadPoolExecutor(THREADS) as pool:
        list(pool.map(lambda task: rank_block(*task), tasks))
        summaries = dict(zip(INTERVAL_MEASURES, pool.map(summarise_measure, INTERVAL_MEASURES), strict=True))

    n_rows = len(out)
    for name in INTERVAL_MEASURES:
        rws = rows[name]
        for key, column in summaries[name].items():
            full = np.full(n_rows, np.nan)
            full[rws] = column
            out[f"{name}_{key}"] = full
        if name == "priority":
            not_listed = out["priority"].isna()
            for key in ("rank_median", "rank_p05", "rank_p95"):
                out.loc[not_listed, f"{name}_{key}"] = np.nan
        width = (out[f"{name}_rank_p95"] - out[f"{name}_rank_p05"]).to_numpy(dtype=float)
        out[f"{name}_stability"] = pd.Series(stability_in_places(width), index=out.index, dtype="str")
    out.attrs.update(draws.attrs(engine, hazard_weight=float(hazard_weight)))
    return base, out
