"""An uploaded indicator in the framework, and so in the priority: the re-run and how the ranks move.

`assess_with_local_indicator` re-runs the framework with an uploaded indicator in a pillar at a chosen share of the
total weight; `rank_changes` compares that run with the default one on the priority.
"""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from cohesion_metrics.errors import SpecError, WeightError
from cohesion_metrics.metadata.indicators import INDICATORS_BY_ID
from cohesion_metrics.method import framework, pillar_checks
from cohesion_metrics.method.composite import WeightsBy, resolve_weights
from cohesion_metrics.method.normalise import IndicatorSpec, Method
from cohesion_metrics.read import page_text

#: Default column name of the uploaded indicator in the values matrix.
LOCAL_ID = "local_indicator"


def assess_with_local_indicator(
    values: pd.DataFrame,
    level: str,
    local: pd.Series,
    *,
    pillar: str,
    higher_is_more_need: bool,
    share: float,
    indicator_id: str = LOCAL_ID,
    weights: str | Mapping[str, float] = "equal_pillars",
    weights_by: WeightsBy = "indicator",
    method: Method = "rank",
    n_draws: int = framework.DEFAULT_DRAWS,
    seed: int = framework.DEFAULT_SEED,
) -> framework.Assessment:
    """Re-run the framework with an uploaded indicator `local` (values by area code) in `pillar`.

    The local indicator gets `share` (0 <= share < 1) of the framework's total weight; the registry indicators keep
    their relative `weights` (a preset, or a mapping by indicator or, with `weights_by="pillar"`, by pillar) on
    the rest. Areas without a local value are scored on the other indicators, their weights renormalised as for
    any missing value; the local indicator is ranked among the areas that have it (e.g. one borough's).
    `values` is `framework.indicator_matrix(con, level)`; `level` must match the upload's (lsoa21, ward22, lsoa11
    or ward). The pillar checks leave out what they leave out of the default; the local indicator is kept.
    """
    scorable = set(framework.NEED_PILLARS) | set(framework.CAPACITY_PILLARS)
    if pillar not in scorable:
        raise SpecError(f"pillar {pillar!r} is not scored; use one of {sorted(scorable)}.")
    if not 0.0 <= share < 1.0:
        raise WeightError(f"share {share} must be at least 0 and below 1 (it is a share of the total weight).")
    if indicator_id in values.columns or indicator_id in INDICATORS_BY_ID:
        raise SpecError(f"indicator id {indicator_id!r} is already in use; choose another name.")
    matched = local[local.index.isin(values.index)].astype("float64")
    if matched.empty:
        raise SpecError(
            f"none of the local indicator's {len(local)} area codes is a {level} area; upload values for this level."
        )
    checks = pillar_checks.check_pillars(values, framework.active_specs(values, level), level)
    dropped = pillar_checks.excluded(checks)
    base_specs = [s for s in framework.active_specs(values, level) if s.id not in dropped]
    base = resolve_weights(base_specs, weights, by=weights_by) * (1.0 - share)
    mapping = {**base.to_dict(), indicator_id: share}
    spec = IndicatorSpec(indicator_id, pillar, higher_is_more_need)
    frame = values.assign(**{indicator_id: matched.reindex(values.index)})
    return framework.assess(
        frame,
        level,
        weights=mapping,
        weights_by="indicator",
        method=method,
        n_draws=n_draws,
        seed=seed,
        extra_specs=(spec,),
    )


def rank_changes(
    before: pd.DataFrame, run: framework.Assessment, local: pd.Series, borough_names: Mapping[str, str]
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Compare the default run (`queries.cohesion_areas`) with `run` (`assess_with_local_indicator`) on the priority.

    Returns the table a user reads (code, area, borough, priority rank before and with the local indicator, how
    sure and the likely range, the local value and places moved, first priority first) and the run as a
    `page_frames.measure_frame`-like frame for a map (value = priority; NaN where capacity is at or above the median).
    """
    before = before.set_index("area_code")
    after = run.area_table().set_index("area_code").reindex(before.index)
    table = pd.DataFrame(
        {
            "Area": before["area_name"],
            "Borough": before["borough_code"].map(borough_names),
            "Priority, open data": before["priority_rank"].astype("Int64"),
            "Priority with yours": after["priority_rank"].round().astype("Int64"),
            page_text.TOP10_HEADING: page_text.certainty_words(after["priority_top10_share"]),
            page_text.RANGE_HEADING: page_text.likely_range(after["priority_rank_p05"], after["priority_rank_p95"]),
            "Your value": local.reindex(before.index),
        }
    )
    table["Places moved (+ = higher priority)"] = table["Priority, open data"] - table["Priority with yours"]
    frame = pd.DataFrame(
        {
            "area_code": after.index,
            "area_name": before["area_name"].to_numpy(),
            "value": after["priority"].to_numpy(),
            "rank": after["priority_rank"].round().to_numpy(),
            "rank_p05": after["priority_rank_p05"].to_numpy(),
            "rank_p95": after["priority_rank_p95"].to_numpy(),
        }
    )
    table = table.reset_index(names="Code").sort_values(["Priority with yours", "Code"], na_position="last")
    return table, frame
