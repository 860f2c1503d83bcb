"""Classes, priorities, extreme-value flags and recommended actions from need and capacity scores.

**Bivariate classes.** Need (higher = more need) and cohesion capacity (higher = more capacity) are each cut
into London terciles, ``ceil(3 * rank / n)`` with rank 1 = lowest value (ties averaged) among the areas with a
score: 1 = low, 2 = medium, 3 = high. The class code is ``3 * (need_tercile - 1) + capacity_tercile``, laid out
for a bivariate legend with need up the rows and capacity along the columns::

                    low capacity   medium capacity   high capacity
    high need             7               8                 9
    medium need           4               5                 6
    low need              1               2                 3

Code 7, "high need / low capacity", is the priority class.

**Priority list.** The areas of class 7, ordered by the gap ``need_percentile - capacity_percentile``
(London percentile ranks 0..100, so the two scales compare) from largest, ties by need then area code;
or, with ``order_by="need"``, by need percentile, ties by gap then area code.

**Extreme flags.** Every indicator value at or above the 90th need-oriented London percentile, so a composite
never hides an extreme. Percentiles here are ``100 * (r - 1) / (n - 1)`` (0..100, ties averaged), as the rank
normalisation of `composite`, so exactly the top 10 % of areas are at or above 90.

**Recommendation 5 actions.** London Resilience, *Building Resilient Communities: The Case for Social Cohesion*
(2024), recommendation 5 funds (a) inclusive spaces, (b) network building, (c) trust, (d) participatory decision
making, (e) urgent needs and root causes and (f) capacity building. Rule:

- A pillar is *weak* in an area when its London percentile (0..100, higher = more need) is >= `weak_at` (70, i.e.
  among the 30 % most in need, as the IoD extent's 30 % cut).
- Each weak pillar triggers its mapped action (a)..(e); actions are ordered by the pillar's percentile.
- (f) capacity building is triggered when *all* capacity pillars (by default those mapped to (a)..(d), the
  cohesion-capacity pillars) are weak: separate programmes have little to build on there, so (f) comes first.
- At most `max_actions` actions per area; each comes with its evidence: the `evidence` most extreme indicators of
  its pillar (for (f), the most extreme indicator of each capacity pillar) with value and London percentile.
  Areas without a weak pillar get no rows.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Literal

import numpy as np
import pandas as pd

from cohesion_metrics.errors import ClassifyInputError, UnknownIdError
from cohesion_metrics.metadata import pillars
from cohesion_metrics.method.normalise import IndicatorSpec, check_specs, orient, percentile_rank

AREA = "area_code"
TERCILE_NAMES = {1: "low", 2: "medium", 3: "high"}
PRIORITY_CODE = 7
#: Default threshold (need-oriented London percentile, 0..100) for an extreme indicator value.
EXTREME_AT = 90.0
#: Default threshold (London percentile of a pillar score, 0..100) for a weak pillar.
WEAK_AT = 70.0

#: London Resilience (2024) recommendation 5, what it funds, as an action's label: "Inclusive spaces".
RECOMMENDATION_5 = {letter: action.capitalize() for letter, action in pillars.RECOMMENDATION_5.items()}
#: Default pillar -> action mapping: the first registry pillar of each action (a)..(e), by letter ((f) follows from
#: the capacity rule, not from one pillar).
PILLAR_ACTIONS = {
    pillar: letter for letter, pillar in sorted({p.letter: p.id for p in reversed(pillars.PILLARS) if p.letter}.items())
}
#: The actions of the cohesion-capacity pillars.
CAPACITY_ACTIONS = tuple(sorted({p.letter for p in pillars.PILLARS if p.role == "capacity"}))


def london_tercile(scores: pd.Series) -> pd.Series:
    """Return each area's tercile 1..3 (3 = highest values) among the areas with a score; <NA> where none."""
    rank = scores.rank(method="average", na_option="keep")
    return np.ceil(3 * rank / scores.notna().sum()).astype("Int64")


def bivariate_legend() -> pd.DataFrame:
    """Return the 9 classes: code, need and capacity tercile, label, and legend row/column (row 0 = high need)."""
    codes = np.arange(1, 10)
    need_t, capacity_t = (codes - 1) // 3 + 1, (codes - 1) % 3 + 1
    labels = [
        f"{TERCILE_NAMES[int(n)]} need / {TERCILE_NAMES[int(c)]} capacity"
        for n, c in zip(need_t, capacity_t, strict=True)
    ]
    return pd.DataFrame(
        {
            "code": codes,
            "need_tercile": need_t,
            "capacity_tercile": capacity_t,
            "label": labels,
            "legend_row": 3 - need_t,
            "legend_col": capacity_t - 1,
        }
    )


def bivariate_classes(need: pd.Series, capacity: pd.Series) -> pd.DataFrame:
    """Return per area need and capacity terciles, the 1..9 class code and its label (<NA> if a score is missing)."""
    frame = pd.concat({"need": need, "capacity": capacity}, axis=1)
    out = pd.DataFrame(
        {"need_tercile": london_tercile(frame["need"]), "capacity_tercile": london_tercile(frame["capacity"])},
        index=frame.index,
    )
    out["code"] = 3 * (out["need_tercile"] - 1) + out["capacity_tercile"]
    labels = bivariate_legend().set_index("code")["label"]
    out["label"] = out["code"].map(labels).astype("str").where(out["code"].notna())
    return out


def priority_list(
    need: pd.Series,
    capacity: pd.Series,
    *,
    order_by: Literal["gap", "need"] = "gap",
    top: int | None = None,
) -> pd.DataFrame:
    """Return the high-need / low-capacity areas, ranked (see the module docstring for the order)."""
    if order_by not in ("gap", "need"):
        raise ClassifyInputError(f"order_by {order_by!r} must be 'gap' or 'need'.")
    classes = bivariate_classes(need, capacity)
    pct = 100 * percentile_rank(pd.concat({"need": need, "capacity": capacity}, axis=1))
    out = pd.DataFrame(
        {
            AREA: classes.index,
            "need": need.reindex(classes.index).to_numpy(),
            "capacity": capacity.reindex(classes.index).to_numpy(),
            "need_percentile": pct["need"].to_numpy(),
            "capacity_percentile": pct["capacity"].to_numpy(),
        }
    )
    out["gap"] = out["need_percentile"] - out["capacity_percentile"]
    out = out[(classes["code"] == PRIORITY_CODE).to_numpy(dtype=bool, na_value=False)]
    keys = ["gap", "need_percentile"] if order_by == "gap" else ["need_percentile", "gap"]
    out = out.sort_values([*keys, AREA], ascending=[False, False, True], kind="stable").reset_index(drop=True)
    out["priority_rank"] = np.arange(1, len(out) + 1)
    return out if top is None else out.head(top)


def indicator_percentiles(values: pd.DataFrame, specs: Sequence[IndicatorSpec]) -> pd.DataFrame:
    """Return each indicator's need-oriented London percentile 0..100 ((r - 1) / (n - 1), ties averaged)."""
    return 100 * percentile_rank(orient(values, specs))


def _long_indicators(values: pd.DataFrame, specs: Sequence[IndicatorSpec]) -> pd.DataFrame:
    """Return a long table (area, indicator, pillar, percentile, value) of every available indicator value."""
    specs = check_specs(values, specs)
    ids = [s.id for s in specs]
    pct = indicator_percentiles(values, specs)
    n, k = pct.shape
    out = pd.DataFrame(
        {
            AREA: np.repeat(values.index.to_numpy(), k),
            "indicator": np.tile(np.array(ids, dtype=object), n),
            "pillar": np.tile(np.array([s.pillar for s in specs], dtype=object), n),
            "percentile": pct.to_numpy(dtype=float).ravel(),
            "value": values[ids].to_numpy(dtype=float, na_value=np.nan).ravel(),
        }
    )
    return out[out["percentile"].notna()]


def extreme_flags(
    values: pd.DataFrame, specs: Sequence[IndicatorSpec], *, threshold: float = EXTREME_AT
) -> pd.DataFrame:
    """Return every (area, indicator) at or above `threshold` need-oriented percentile, most extreme first per area.

    Columns: area_code, indicator, pillar, percentile (0..100), value (as given, not oriented).
    """
    long = _long_indicators(values, specs)
    flags = long[long["percentile"] >= threshold]
    flags = flags.sort_values([AREA, "percentile", "indicator"], ascending=[True, False, True], kind="stable")
    return flags.reset_index(drop=True)


def recommend_actions(
    pillar_scores: pd.DataFrame,
    values: pd.DataFrame,
    specs: Sequence[IndicatorSpec],
    *,
    mapping: Mapping[str, str] = PILLAR_ACTIONS,
    capacity_pillars: Sequence[str] | None = None,
    weak_at: float = WEAK_AT,
    max_actions: int = 3,
    evidence: int = 2,
    reason_above: float | None = None,
) -> pd.DataFrame:
    """Return each area's top recommendation-5 actions with the figures that triggered them (long table).

    `pillar_scores` is areas x pillars (higher = more need), `values` the indicator values behind them. Columns:
    area_code, action_rank, action, action_label, pillar, pillar_percentile, indicator, value, percentile.
    Two pillars mapped to one action give it once (its weakest pillar). With `reason_above`, only indicators
    above that London percentile are cited as reasons (an action may then have no figure).
    """
    bad_actions = {p: a for p, a in mapping.items() if a not in RECOMMENDATION_5 or a == "f"}
    if bad_actions:
        raise ClassifyInputError(
            f"mapping {bad_actions} uses unknown actions; map pillars to 'a'..'e' ('f' follows from the capacity rule)."
        )
    unknown = [p for p in mapping if p not in pillar_scores.columns]
    if unknown:
        present = [str(c) for c in pillar_scores.columns]
        raise UnknownIdError(f"mapping names pillar(s) {unknown} absent from the pillar scores {present}.")
    if capacity_pillars is None:
        capacity_pillars = [p for p, a in mapping.items() if a in CAPACITY_ACTIONS]
    unknown = [p for p in capacity_pillars if p not in mapping]
    if unknown:
        raise UnknownIdError(f"capacity pillar(s) {unknown} are not in the mapping {list(mapping)}.")
    if max_actions < 1 or evidence < 1:
        raise ClassifyInputError("max_actions and evidence must be at least 1.")

    pillars = list(mapping)
    pct = 100 * percentile_rank(pillar_scores[pillars])
    weak = pct >= weak_at
    n, k = pct.shape
    long = pd.DataFrame(
        {
            AREA: np.repeat(pct.index.to_numpy(), k),
            "pillar": np.tile(np.array(pillars, dtype=object), n),
            "pillar_percentile": pct.to_numpy(dtype=float).ravel(),
            "weak": weak.to_numpy(dtype=bool).ravel(),
        }
    )
    actions = long[long["weak"]].drop(columns="weak")
    actions["action"] = actions["pillar"].map(dict(mapping))
    actions["key"] = actions["pillar_percentile"]
    if capacity_pillars:
        all_weak = weak[list(capacity_pillars)].all(axis=1)
        capacity = pd.DataFrame(
            {
                AREA: all_weak.index[all_weak.to_numpy()],
                "action": "f",
                "key": np.inf,
            }
        )
        actions = pd.concat([capacity, actions], ignore_index=True) if len(capacity) else actions
    actions = actions.sort_values([AREA, "key", "action"], ascending=[True, False, True], kind="stable")
    actions = actions.drop_duplicates([AREA, "action"], keep="first")
    actions["action_rank"] = actions.groupby(AREA, sort=False).cumcount() + 1
    actions = actions[actions["action_rank"] <= max_actions].drop(columns="key")

    figures = _long_indicators(values, specs)
    if reason_above is not None:
        figures = figures[figures["percentile"] > reason_above]
    figures = figures.sort_values(
        [AREA, "pillar", "percentile", "indicator"], ascending=[True, True, False, True], kind="stable"
    )
    figures["order"] = figures.groupby([AREA, "pillar"], sort=False).cumcount()
    pillar_rows = actions[actions["action"] != "f"].merge(
        figures[figures["order"] < evidence].drop(columns="order"), on=[AREA, "pillar"], how="left"
    )
    f_rows = actions[actions["action"] == "f"].drop(columns=["pillar", "pillar_percentile"])
    f_figures = figures[(figures["order"] == 0) & figures["pillar"].isin(list(capacity_pillars))].drop(columns="order")
    f_figures = f_figures.merge(long.drop(columns="weak"), on=[AREA, "pillar"], how="left")
    f_rows = f_rows.merge(f_figures, on=AREA, how="left")
    out = pd.concat([f_rows, pillar_rows], ignore_index=True) if len(f_rows) else pillar_rows
    out["action_label"] = out["action"].map(RECOMMENDATION_5)
    out["pillar"] = out["pillar"].astype("str")
    out = out.sort_values([AREA, "action_rank", "percentile"], ascending=[True, True, False], kind="stable")
    columns = [AREA, "action_rank", "action", "action_label", "pillar", "pillar_percentile"]
    return out[[*columns, "indicator", "value", "percentile"]].reset_index(drop=True)
