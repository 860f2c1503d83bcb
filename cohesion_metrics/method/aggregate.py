"""Area summaries of an LSOA score for wards and boroughs, in the style of the IoD's local authority summaries.

For each group (ward, borough) of LSOAs:

- ``score_pop_weighted_mean``: the population-weighted mean of the score over the LSOAs that have one.
- ``most_need_decile_pop_share``: the share of the population living in LSOAs in the most-in-need decile
  (percentile 1..10).
- ``extent``: the IoD "extent" measure, a population share with weight 1 for LSOAs in the most-in-need 10 %
  (percentile <= 10), then 0.95 at p = 11 sliding linearly to 0.05 at p = 30, 0 above: the rule that reproduces
  IoD2019 File 10, shared with `deprivation.extent_weight_of_percentile`.
- ``comparator``: against what the percentiles are taken. ``"London"`` when they are computed here from the score
  over the LSOAs given (London's); ``"England"`` only when England-wide percentiles (e.g. the IoD's) are passed in.

Percentiles run 1..100 with 1 = most need: ``ceil(100 * rank / n)``, rank 1 = highest score (ties share the best
rank), n = number of LSOAs with a score; the decile is ``ceil(10 * rank / n)``. Shares and extent are over the
population of LSOAs with a percentile; ``scored_pop_share`` records the share of the population with a score.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal

import numpy as np
import pandas as pd

from cohesion_metrics.errors import AggregationInputError
from cohesion_metrics.method.deprivation import extent_weight_of_percentile

Comparator = Literal["London", "England"]
COMPARATORS: tuple[Comparator, ...] = ("London", "England")
#: Percentiles with extent weight 1 (the most-in-need 10 %).
EXTENT_FULL_TO = 10
#: The percentile at which the extent weight reaches 0.
EXTENT_ZERO_AT = 30


def need_percentile(scores: pd.Series) -> pd.Series:
    """Return each area's percentile 1..100 (1 = most need) among the areas given; NaN where no score."""
    rank = scores.rank(ascending=False, method="min", na_option="keep")
    return np.ceil(100 * rank / scores.notna().sum()).rename("need_percentile")


def extent_weight(percentile: pd.Series) -> pd.Series:
    """Return the IoD extent weight of a need percentile (1 = most need); NaN kept. Same rule as the IoD summaries."""
    return extent_weight_of_percentile(pd.Series(percentile))


def _require(frame: pd.DataFrame, columns: Sequence[str]) -> None:
    """Raise AggregationInputError naming every absent column."""
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise AggregationInputError(
            f"column(s) {missing} are missing; the frame has {[str(c) for c in frame.columns]}."
        )


def aggregate_scores(
    frame: pd.DataFrame,
    *,
    by: str,
    score: str,
    population: str,
    percentile: str | None = None,
    comparator: Comparator = "London",
) -> pd.DataFrame:
    """Summarise an LSOA `score` by the group codes in column `by` (one row per group, sorted by code).

    `frame` has one row per LSOA. Without `percentile`, percentiles are computed from `score` over the rows of
    `frame` (give all London LSOAs) and `comparator` must be "London". With `percentile` (a column of need
    percentiles 1..100, 1 = most need, e.g. England-wide IoD percentiles) the shares and extent use it and
    `comparator` names its reference. Columns: population, n_areas, scored_pop_share, score_pop_weighted_mean,
    most_need_decile_pop_share, extent, comparator.
    """
    if comparator not in COMPARATORS:
        raise AggregationInputError(f"comparator {comparator!r} must be one of {list(COMPARATORS)}.")
    _require(frame, [by, score, population] + ([percentile] if percentile else []))
    if frame[by].isna().any():
        raise AggregationInputError(f"column {by!r} has missing group codes; give every LSOA its {by}.")
    pop = pd.to_numeric(frame[population], errors="coerce").astype(float)
    bad = frame.index[pop.isna() | ~np.isfinite(pop) | (pop < 0)]
    if len(bad):
        raise AggregationInputError(
            f"column {population!r} must be a finite number >= 0 for every LSOA; first bad row: {bad[0]!r}."
        )
    values = pd.to_numeric(frame[score], errors="coerce").astype(float)
    if percentile is None:
        if comparator != "London":
            raise AggregationInputError(
                "percentiles computed from the score over these LSOAs are London-relative; pass England-wide "
                "percentiles as `percentile` to use the 'England' comparator."
            )
        pct = need_percentile(values)
    else:
        pct = pd.to_numeric(frame[percentile], errors="coerce").astype(float)
        outside = frame.index[(pct < 1) | (pct > 100)]
        if len(outside):
            raise AggregationInputError(
                f"column {percentile!r} must hold percentiles 1..100 (1 = most need); first bad row: {outside[0]!r}."
            )
    scored = values.notna()
    ranked = pct.notna()
    parts = pd.DataFrame(
        {
            "population": pop,
            "n_areas": 1,
            "scored_pop": pop.where(scored, 0.0),
            "weighted": (values * pop).where(scored, 0.0),
            "ranked_pop": pop.where(ranked, 0.0),
            "decile_pop": pop.where(ranked & (pct <= EXTENT_FULL_TO), 0.0),
            "extent_pop": (pop * extent_weight(pct)).where(ranked, 0.0),
        },
        index=frame.index,
    )
    sums = parts.groupby(frame[by].rename(by), sort=True).sum()
    scored_pop = sums["scored_pop"].where(sums["scored_pop"] > 0)
    ranked_pop = sums["ranked_pop"].where(sums["ranked_pop"] > 0)
    return pd.DataFrame(
        {
            "population": sums["population"],
            "n_areas": sums["n_areas"].astype(int),
            "scored_pop_share": sums["scored_pop"] / sums["population"].where(sums["population"] > 0),
            "score_pop_weighted_mean": sums["weighted"] / scored_pop,
            "most_need_decile_pop_share": sums["decile_pop"] / ranked_pop,
            "extent": sums["extent_pop"] / ranked_pop,
            "comparator": pd.Series(comparator, index=sums.index, dtype="str"),
        }
    )


def aggregate_levels(
    frame: pd.DataFrame,
    *,
    levels: Sequence[str] = ("ward_code", "borough_code"),
    score: str,
    population: str,
    percentile: str | None = None,
    comparator: Comparator = "London",
) -> dict[str, pd.DataFrame]:
    """Return `aggregate_scores` for each level (e.g. LSOA -> ward and LSOA -> borough), percentiles taken once."""
    _require(frame, [score])
    if percentile is None and comparator == "London":
        frame = frame.assign(_need_percentile=need_percentile(pd.to_numeric(frame[score], errors="coerce")))
        percentile = "_need_percentile"
    return {
        level: aggregate_scores(
            frame, by=level, score=score, population=population, percentile=percentile, comparator=comparator
        )
        for level in levels
    }
