"""The cohesion framework: from registry indicators to where cohesion should be embedded, and what to fund.

`assess` runs the whole method for one area level with given weights and normalisation: composite and pillar
scores, rank intervals, need against cohesion capacity (3x3 classes), the priority list, extreme-value flags and
recommendation 5 actions. The build writes the default run to `out_cohesion__*` tables; the app calls `assess`
again when a user changes the weights.

Levels and honesty about resolution: the LSOA assessment uses only indicators that exist for LSOAs; wards and
boroughs add their own (ward turnout; borough trust, participation, well-being) and LSOA indicators summarised to
them. Nothing measured for a borough is ever shown as if it were known for a neighbourhood.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import duckdb
import numpy as np
import pandas as pd

from cohesion_metrics import aggregate, classify
from cohesion_metrics.composite import CompositeResult, IndicatorSpec, Method, Treatment
from cohesion_metrics.db import query
from cohesion_metrics.indicators import INDICATORS, PILLARS_BY_ID, Indicator, pillars_with_role
from cohesion_metrics.uncertainty import composite_with_uncertainty

LEVELS = ("lsoa11", "ward", "borough")
# Interim (issue10-data): the pillar registry now has roles; the method branch rewrites the axes.
NEED_PILLARS = pillars_with_role("need")
HAZARD_PILLARS = pillars_with_role("hazard")
CAPACITY_PILLARS = pillars_with_role("capacity")
#: Pillar -> recommendation 5 action; vulnerability and hazard needs are met by (e) like other urgent needs.
PILLAR_ACTIONS = {**classify.PILLAR_ACTIONS, **{p: "e" for p in (*NEED_PILLARS, *HAZARD_PILLARS)}}
DEFAULT_DRAWS = 1000
DEFAULT_SEED = 2024
#: Treatments for skewed indicators (used by min-max and z-score only; rank is robust by construction).
TREATMENTS: dict[str, Treatment] = {
    "homelessness_per_1000": "log",
    "road_distance_gp_km": "winsorise",
    "nearest_space_m_community": "winsorise",
    "nearest_space_m_any": "winsorise",
}


def _listed(pillar_ids: tuple[str, ...]) -> str:
    labels = [PILLARS_BY_ID[p].label.lower() for p in pillar_ids]
    return ", ".join(labels[:-1]) + " and " + labels[-1] if len(labels) > 1 else labels[0]


def method_summary() -> str:
    """The method in plain English, one paragraph, from the pillars themselves (the app and the briefing say it)."""
    return (
        "Each indicator is turned into a London percentile rank (0 = least need, 1 = most) and averaged within its "
        "pillar; the composite is the equal-weighted mean of the pillars measured at each level. Need combines the "
        f"{_listed(NEED_PILLARS)} pillars; cohesion capacity is the inverse of the {_listed(CAPACITY_PILLARS)} "
        "pillars; each is cut into London thirds, and high need with low capacity marks the places to embed "
        "cohesion first."
    )


def composite_indicators(level: str) -> list[Indicator]:
    """Registry indicators in the default composite that exist at `level`."""
    if level not in LEVELS:
        raise ValueError(f"unknown level {level!r}; the composite is computed for {list(LEVELS)}")
    return [i for i in INDICATORS if i.in_composite and level in i.levels and i.higher_is_more_need is not None]


def specs_for(level: str) -> list[IndicatorSpec]:
    """Composite specs (id, pillar, direction, treatment) for `level`."""
    return [
        IndicatorSpec(i.id, i.pillar, bool(i.higher_is_more_need), TREATMENTS.get(i.id, "none"))
        for i in composite_indicators(level)
    ]


def active_specs(
    values: pd.DataFrame, level: str, extra_specs: Sequence[IndicatorSpec] = ()
) -> tuple[IndicatorSpec, ...]:
    """The specs `assess` scores: registry composite specs for `level` with a value in `values`, then `extra_specs`.

    `extra_specs` (e.g. an uploaded local indicator, with its column in `values`) are kept as given, so a missing
    or empty column is reported by `composite.check_specs` rather than silently dropped.
    """
    base = tuple(s for s in specs_for(level) if s.id in values.columns and values[s.id].notna().any())
    return base + tuple(extra_specs)


def indicator_matrix(con: duckdb.DuckDBPyConnection, level: str, ids: list[str] | None = None) -> pd.DataFrame:
    """Areas x indicators (wide) at `level` for the composite indicators (or `ids`), every area of the level."""
    ids = ids or [i.id for i in composite_indicators(level)]
    long = query(
        con,
        """
        SELECT a.area_code, v.indicator_id, v.value
        FROM areas a LEFT JOIN core_indicators__values v
          ON v.area_code = a.area_code AND v.area_level = a.area_level AND v.indicator_id IN (SELECT unnest(?))
        WHERE a.area_level = ?""",
        [ids, level],
    )
    wide = long.pivot_table(index="area_code", columns="indicator_id", values="value", aggfunc="first", dropna=False)
    return wide.reindex(columns=ids).astype("float64").sort_index()


@dataclass(frozen=True)
class Assessment:
    """One run of the framework at one level."""

    level: str
    values: pd.DataFrame
    specs: tuple[IndicatorSpec, ...]
    result: CompositeResult
    uncertainty: pd.DataFrame
    need: pd.Series
    capacity: pd.Series
    classes: pd.DataFrame
    priorities: pd.DataFrame
    flags: pd.DataFrame
    actions: pd.DataFrame

    def area_table(self) -> pd.DataFrame:
        """One row per area: composite, rank interval, need, capacity, class and pillar scores."""
        out = self.result.to_frame().join(self.uncertainty.drop(columns=["rank"]))
        out = out.rename(columns={"label": "stability"})
        out["need"] = self.need
        out["capacity"] = self.capacity
        out = out.join(self.classes.rename(columns={"code": "class_code", "label": "class_label"}))
        out.index.name = "area_code"
        return out.reset_index()


def _pillar_mean(pillars: pd.DataFrame, weights: pd.Series, ids: tuple[str, ...]) -> pd.Series:
    """Weighted mean of the pillars in `ids` that exist, renormalised per area over available scores."""
    cols = [p for p in ids if p in pillars.columns and weights.get(p, 0) > 0]
    if not cols:
        return pd.Series(np.nan, index=pillars.index)
    scores = pillars[cols].to_numpy(dtype=float)
    w = np.broadcast_to(weights[cols].to_numpy(dtype=float), scores.shape)
    w = np.where(np.isnan(scores), 0.0, w)
    total = w.sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = np.where(total > 0, np.nansum(scores * w, axis=1) / total, np.nan)
    return pd.Series(mean, index=pillars.index)


def assess(
    values: pd.DataFrame,
    level: str,
    *,
    weights: str | Mapping[str, float] = "equal_pillars",
    weights_by: str = "indicator",
    method: Method = "rank",
    n_draws: int = DEFAULT_DRAWS,
    seed: int = DEFAULT_SEED,
    extra_specs: Sequence[IndicatorSpec] = (),
) -> Assessment:
    """Run the framework on `values` (areas x indicators at `level`).

    `extra_specs` adds indicators beyond the registry (their columns in `values`), e.g. a borough's own local
    indicator in one of the pillars; with the default `()` the run is the registry's.
    """
    specs = active_specs(values, level, extra_specs)
    kwargs = {"method": method, "weights": weights, "weights_by": weights_by}
    result, uncertainty = composite_with_uncertainty(values, specs, n_draws=n_draws, seed=seed, **kwargs)  # type: ignore[arg-type]
    need = _pillar_mean(result.pillars, result.pillar_weights, NEED_PILLARS)
    capacity = 1.0 - _pillar_mean(result.pillars, result.pillar_weights, CAPACITY_PILLARS)
    capacity_pillars = [p for p in CAPACITY_PILLARS if p in result.pillars.columns]
    return Assessment(
        level=level,
        values=values,
        specs=specs,
        result=result,
        uncertainty=uncertainty,
        need=need.rename("need"),
        capacity=capacity.rename("capacity"),
        classes=classify.bivariate_classes(need, capacity),
        priorities=classify.priority_list(need, capacity),
        flags=classify.extreme_flags(values, specs),
        actions=classify.recommend_actions(
            result.pillars,
            values,
            specs,
            mapping={p: a for p, a in PILLAR_ACTIONS.items() if p in result.pillars.columns},
            capacity_pillars=capacity_pillars,
        ),
    )


def lsoa_summaries(con: duckdb.DuckDBPyConnection, lsoa: Assessment) -> pd.DataFrame:
    """Ward and borough summaries of the LSOA composite: population-weighted mean, top-decile share, extent."""
    areas = query(con, "SELECT lsoa11_code AS area_code, ward_code, borough_code, population FROM core_geo__lsoa11")
    frame = areas.set_index("area_code").join(lsoa.result.composite.rename("composite"))
    levels = aggregate.aggregate_levels(frame, score="composite", population="population")
    parts = []
    for key, level in (("ward_code", "ward"), ("borough_code", "borough")):
        part = levels[key].reset_index().rename(columns={key: "area_code"})
        part.insert(1, "area_level", level)
        parts.append(part)
    return pd.concat(parts, ignore_index=True)
