"""Pillar checks, the OECD/JRC handbook's multivariate step: does each indicator run with its pillar.

For every pillar with two or more indicators at a level, on the indicators oriented so that higher = more need and
turned into London percentile ranks (as the framework scores them):

- **item-rest correlation**: Pearson's r between an indicator and the mean of the other indicators of its pillar
  (areas with the indicator and at least one other value);
- **Cronbach's alpha** of the pillar: ``k / (k - 1) * (1 - sum(var_i) / var(sum))`` over the areas with every
  indicator of the pillar (population variances).

An indicator whose item-rest correlation is negative runs against its pillar and is left out of the level's
default: the most negative goes first, the pillar is checked again, and so on until none is negative. Every
indicator gets a row saying what was found and, if it is out, why.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from cohesion_metrics.method.normalise import IndicatorSpec, normalise

#: Columns of `check_pillars`.
COLUMNS = (
    "pillar",
    "indicator",
    "n_areas",
    "item_rest_r",
    "pillar_alpha",
    "pillar_alpha_all",
    "in_default",
    "dropped_round",
    "reason",
)


def cronbach_alpha(frame: pd.DataFrame) -> float:
    """Cronbach's alpha of the columns of `frame` over its complete rows; NaN with fewer than 2 columns or rows."""
    complete = frame.dropna()
    k = complete.shape[1]
    if k < 2 or len(complete) < 2:
        return float("nan")
    item_var = complete.var(ddof=0).sum()
    total_var = complete.sum(axis=1).var(ddof=0)
    if total_var <= 0:
        return float("nan")
    return float(k / (k - 1) * (1.0 - item_var / total_var))


def item_rest(frame: pd.DataFrame) -> pd.Series:
    """Pearson's r of each column with the mean of the other columns (NaN-aware), indexed by column."""
    out = {}
    for col in frame.columns:
        rest = frame.drop(columns=col).mean(axis=1, skipna=True)
        pair = pd.concat([frame[col], rest], axis=1).dropna()
        ok = len(pair) > 2 and pair.iloc[:, 0].std() > 0 and pair.iloc[:, 1].std() > 0
        out[col] = float(np.corrcoef(pair.iloc[:, 0], pair.iloc[:, 1])[0, 1]) if ok else float("nan")
    return pd.Series(out, dtype="float64")


def _pillar_rows(scores: pd.DataFrame, pillar: str, level_label: str) -> list[dict[str, object]]:
    """Check one pillar's indicators (columns of `scores`), dropping negative item-rest ones one at a time."""
    kept = list(scores.columns)
    alpha_all = cronbach_alpha(scores)
    dropped: dict[str, tuple[int, float]] = {}
    first_r = item_rest(scores) if len(kept) > 1 else pd.Series(np.nan, index=kept)
    last_r = first_r
    round_ = 0
    while len(kept) > 1:
        r = item_rest(scores[kept])
        last_r = r
        worst = r.idxmin() if r.notna().any() else None
        if worst is None or not r[worst] < 0:
            break
        round_ += 1
        dropped[str(worst)] = (round_, float(r[worst]))
        kept.remove(str(worst))
    alpha = cronbach_alpha(scores[kept])
    rows: list[dict[str, object]] = []
    for col in scores.columns:
        if col in dropped:
            rnd, value = dropped[col]
            reason = f"item-rest correlation {value:+.2f} at {level_label}: runs against its pillar"
            r_value: float = value
        else:
            rnd, reason = 0, ""
            r_value = float(last_r.get(col, np.nan)) if len(kept) > 1 else float("nan")
        rows.append(
            {
                "pillar": pillar,
                "indicator": col,
                "n_areas": int(scores[col].notna().sum()),
                "item_rest_r": r_value,
                "pillar_alpha": alpha,
                "pillar_alpha_all": alpha_all,
                "in_default": col not in dropped,
                "dropped_round": rnd,
                "reason": reason,
            }
        )
    return rows


def check_pillars(values: pd.DataFrame, specs: Sequence[IndicatorSpec], level_label: str) -> pd.DataFrame:
    """Check every pillar of `specs` on `values` (areas x indicators); one row per indicator (see `COLUMNS`).

    Indicators with no value are left out before the check. Single-indicator pillars get a row with NaN statistics
    and stay in the default.
    """
    usable = [s for s in specs if s.id in values.columns and values[s.id].notna().any()]
    if not usable:
        return pd.DataFrame(columns=list(COLUMNS))
    scores = normalise(values, usable, "rank")
    rows: list[dict[str, object]] = []
    for pillar in dict.fromkeys(s.pillar for s in usable):
        ids = [s.id for s in usable if s.pillar == pillar]
        rows += _pillar_rows(scores[ids], pillar, level_label)
    return pd.DataFrame(rows, columns=list(COLUMNS))


def excluded(checks: pd.DataFrame) -> set[str]:
    """The indicator ids that the checks leave out of the default."""
    return set(checks.loc[~checks["in_default"].astype(bool), "indicator"])


def correlation_matrix(values: pd.DataFrame, specs: Sequence[IndicatorSpec], pillar: str) -> pd.DataFrame:
    """Pearson correlations between a pillar's oriented percentile ranks (pairwise complete), for a heatmap."""
    ids = [s for s in specs if s.pillar == pillar and s.id in values.columns and values[s.id].notna().any()]
    if not ids:
        return pd.DataFrame()
    return normalise(values, ids, "rank").corr()
