"""Indicators into the composite: their specs, checks, orientation, skew treatments and normalisation.

Steps 1 to 3 of `composite` (see its docstring for the whole method): every indicator is turned so that higher
means more need, optionally winsorised or logged, and scaled by percentile rank (default), min-max or z-score over
the areas given. The IoD's exponential transform of a score is here too.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal, get_args

import numpy as np
import pandas as pd

from cohesion_metrics.errors import (
    CompositeInputError,
    EmptyIndicatorError,
    IndicatorValueError,
    SpecError,
    UnknownIdError,
)

Method = Literal["rank", "minmax", "zscore"]
Treatment = Literal["none", "winsorise", "log"]

#: The normalisation methods, default first.
METHODS: tuple[Method, ...] = get_args(Method)
#: The indicator treatments for skew.
TREATMENTS: tuple[Treatment, ...] = get_args(Treatment)
#: Default winsorising limits (lower and upper quantile) for indicators with treatment "winsorise".
WINSOR_LIMITS = (0.01, 0.99)
#: The IoD exponential transform's scale: X = -23 ln(1 - R (1 - exp(-100/23))).
EXP_SCALE = 23.0
EXP_MAX = 100.0


@dataclass(frozen=True)
class IndicatorSpec:
    """How one indicator enters the composite: its pillar, its direction and an optional skew treatment."""

    id: str
    pillar: str
    higher_is_more_need: bool = True
    treatment: Treatment = "none"

    def __post_init__(self) -> None:
        if not self.id or not self.pillar:
            raise SpecError(f"indicator spec {self!r}: id and pillar must be non-empty strings.")
        if self.treatment not in TREATMENTS:
            raise SpecError(
                f"indicator {self.id!r}: unknown treatment {self.treatment!r}; use one of {list(TREATMENTS)}."
            )


def check_specs(values: pd.DataFrame, specs: Sequence[IndicatorSpec]) -> tuple[IndicatorSpec, ...]:
    """Check specs against `values` and return them as a tuple; columns of `values` without a spec are ignored.

    Raises SpecError (no specs, duplicate ids), UnknownIdError (spec id not a column), IndicatorValueError
    (duplicate area codes, non-numeric or infinite values) and EmptyIndicatorError (an indicator with no value).
    """
    specs = tuple(specs)
    if not specs:
        raise SpecError("no indicator specs given; pass at least one IndicatorSpec.")
    ids = [s.id for s in specs]
    duplicated = sorted({i for i in ids if ids.count(i) > 1})
    if duplicated:
        raise SpecError(f"indicator id(s) given more than once in the specs: {duplicated}.")
    unknown = [i for i in ids if i not in values.columns]
    if unknown:
        raise UnknownIdError(
            f"indicator id(s) {unknown} have no column in the values (columns: {[str(c) for c in values.columns]})."
        )
    if not values.index.is_unique:
        dupes = values.index[values.index.duplicated()].unique().tolist()[:5]
        raise IndicatorValueError(f"area code(s) appear more than once in the values: {dupes}.")
    frame = values[ids]
    non_numeric = [
        c for c in ids if not pd.api.types.is_numeric_dtype(frame[c]) or pd.api.types.is_bool_dtype(frame[c])
    ]
    if non_numeric:
        raise IndicatorValueError(f"indicator(s) {non_numeric} are not numeric; convert them to float first.")
    arr = frame.to_numpy(dtype=float, na_value=np.nan)
    infinite = np.isinf(arr)
    if infinite.any():
        col = int(np.argmax(infinite.any(axis=0)))
        row = int(np.argmax(infinite[:, col]))
        raise IndicatorValueError(
            f"indicator {ids[col]!r} is infinite for area {values.index[row]!r}; use NaN for a missing value."
        )
    empty = [ids[j] for j in np.flatnonzero(np.isnan(arr).all(axis=0))]
    if empty:
        raise EmptyIndicatorError(f"indicator(s) {empty} have no value for any area; drop them from the specs.")
    return specs


def pillar_ids(specs: Sequence[IndicatorSpec]) -> list[str]:
    """Return the pillar ids in order of first appearance in the specs."""
    return list(dict.fromkeys(s.pillar for s in specs))


def orient(
    values: pd.DataFrame,
    specs: Sequence[IndicatorSpec],
    *,
    treat: bool = False,
    winsor_limits: tuple[float, float] = WINSOR_LIMITS,
) -> pd.DataFrame:
    """Return the spec'd indicators turned so that higher = more need, after their treatments if `treat`."""
    specs = check_specs(values, specs)
    arr = values[[s.id for s in specs]].to_numpy(dtype=float, na_value=np.nan).copy()
    if treat:
        lo_q, hi_q = winsor_limits
        if not 0.0 <= lo_q < hi_q <= 1.0:
            raise SpecError(f"winsor_limits {winsor_limits} must be quantiles with 0 <= lower < upper <= 1.")
        for j, spec in enumerate(specs):
            col = arr[:, j]
            if spec.treatment == "winsorise":
                lo, hi = np.nanquantile(col, [lo_q, hi_q])
                arr[:, j] = np.clip(col, lo, hi)
            elif spec.treatment == "log":
                negative = np.flatnonzero(col < 0)
                if negative.size:
                    raise IndicatorValueError(
                        f"indicator {spec.id!r} has treatment 'log' but is negative for area "
                        f"{values.index[negative[0]]!r}; use 'winsorise' or no treatment."
                    )
                arr[:, j] = np.log1p(col)
    sign = np.array([1.0 if s.higher_is_more_need else -1.0 for s in specs])
    return pd.DataFrame(arr * sign, index=values.index, columns=[s.id for s in specs])


def percentile_rank(frame: pd.DataFrame) -> pd.DataFrame:
    """Return each column's percentile rank (r - 1) / (n - 1) in 0..1, ties averaged, NaN kept (n = 1 gives 0.5)."""
    ranks = frame.rank(method="average", na_option="keep")
    span = frame.notna().sum() - 1
    return ((ranks - 1) / span.where(span > 0)).fillna(0.5).where(frame.notna())


def normalise(
    values: pd.DataFrame,
    specs: Sequence[IndicatorSpec],
    method: Method = "rank",
    *,
    winsor_limits: tuple[float, float] = WINSOR_LIMITS,
) -> pd.DataFrame:
    """Return the indicators oriented (higher = more need) and normalised by `method` over the areas given."""
    if method not in METHODS:
        raise CompositeInputError(f"unknown normalisation method {method!r}; use one of {list(METHODS)}.")
    oriented = orient(values, specs, treat=method != "rank", winsor_limits=winsor_limits)
    if method == "rank":
        return percentile_rank(oriented)
    if method == "minmax":
        low, high = oriented.min(), oriented.max()
        span = high - low
        return ((oriented - low) / span.where(span > 0)).fillna(0.5).where(oriented.notna())
    mean, sd = oriented.mean(), oriented.std(ddof=0)
    return ((oriented - mean) / sd.where(sd > 0)).fillna(0.0).where(oriented.notna())


def exponential_transform(scores: pd.Series) -> pd.Series:
    """Return the IoD exponential transform of `scores` (higher = more need) in 0..100, NaN kept.

    R = rank / n with rank 1 = least need (ties averaged), and X = -23 ln(1 - R (1 - exp(-100/23))),
    so the most in need area gets 100 and the scale stretches the most-in-need tail.
    """
    rank = scores.rank(method="average", ascending=True, na_option="keep")
    r = rank / scores.notna().sum()
    out = -EXP_SCALE * np.log1p(-r * (1.0 - np.exp(-EXP_MAX / EXP_SCALE)))
    return out.rename(scores.name)
