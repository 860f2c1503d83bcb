"""The cohesion framework: from registry indicators to where cohesion should be embedded first, and what to fund.

`assess` runs the whole method for one area level: the pillar checks, the pillar scores (the composite engine of
`composite.py` orients, normalises and weights the indicators), and from them the four measures:

- **Need** (urgent needs, root causes and vulnerability): the weighted mean of the need pillars' scores,
  0 = least need in London, 1 = most.
- **Cohesion capacity** (spaces, networks, participation, trust): 1 - the weighted mean of the capacity pillars'
  need-oriented scores, so 1 = most capacity in London.
- **Hazard exposure**: the mean of the hazard pillars, 1 = most exposed. Never averaged into need.
- **Priority**: need, for the areas whose cohesion capacity is below London's median; the others are not
  priorities (NaN). Capacity decides whether a place is eligible and never lowers how high its need ranks, so
  capacity cannot buy off need. An optional hazard weight w (0..0.5, default 0) gives (1 - w) need + w hazard.

Then the need x capacity classes (3 x 3 London thirds) with the "exposed" overlay, Monte Carlo rank intervals and
top-10 / top-third shares, extreme-value flags and recommendation 5 actions. The build writes the default run at
every level to `out_cohesion__*`; the app calls `assess` again when a user changes the weights.

Levels and honesty about resolution: a level scores only the indicators that exist for it; nothing measured for a
ward or borough is ever shown as known for a neighbourhood.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property

import duckdb
import pandas as pd

from cohesion_metrics.db import query
from cohesion_metrics.metadata.indicators import INDICATORS, PILLARS, PILLARS_BY_ID, Indicator, pillars_with_role
from cohesion_metrics.metadata.levels import LEVELS_BY_CODE, SCORED_LEVELS
from cohesion_metrics.method import aggregate, classify, pillar_checks
from cohesion_metrics.method.composite import CompositeResult, EngineSettings
from cohesion_metrics.method.measures import check_hazard_weight, measures_with_uncertainty
from cohesion_metrics.method.normalise import IndicatorSpec, Method, Treatment
from cohesion_metrics.method.uncertainty import DrawSettings

NEED_PILLARS = pillars_with_role("need")
CAPACITY_PILLARS = pillars_with_role("capacity")
HAZARD_PILLARS = pillars_with_role("hazard")
SCORED_PILLARS = (*NEED_PILLARS, *CAPACITY_PILLARS, *HAZARD_PILLARS)
AXES: dict[str, tuple[str, ...]] = {"need": NEED_PILLARS, "capacity": CAPACITY_PILLARS, "hazard": HAZARD_PILLARS}
#: Pillar -> recommendation 5 action letter (pillars with a letter; hazard pillars point to none).
PILLAR_ACTIONS = {p.id: p.letter for p in PILLARS if p.letter and p.role in ("need", "capacity")}
#: Actions cite an indicator as a reason only above this London percentile.
REASON_ABOVE = 70.0
DEFAULT_DRAWS = 1000
DEFAULT_SEED = 2024
DEFAULT_HAZARD_WEIGHT = 0.0
#: Treatments for skewed indicators (used by min-max and z-score only; rank is robust by construction).
TREATMENTS: dict[str, Treatment] = {
    "homelessness_per_1000": "log",
    "road_distance_gp_km": "winsorise",
    "nearest_space_m_community": "winsorise",
    "nearest_space_m_any": "winsorise",
}


def registry_levels() -> tuple[str, ...]:
    """Every level some scored registry indicator declares: the default levels first, then any other."""
    declared = dict.fromkeys(level for i in INDICATORS if i.pillar in SCORED_PILLARS for level in i.levels)
    return tuple(level for level in SCORED_LEVELS if level in declared) + tuple(
        level for level in declared if level not in SCORED_LEVELS
    )


def level_label(level: str) -> str:
    """The plain-English name of a level."""
    return LEVELS_BY_CODE[level].label if level in LEVELS_BY_CODE else level


def _listed(pillar_ids: tuple[str, ...]) -> str:
    labels = [PILLARS_BY_ID[p].label.lower() for p in pillar_ids]
    return ", ".join(labels[:-1]) + " and " + labels[-1] if len(labels) > 1 else labels[0]


#: The four measures in plain English: label and definition (the app, the briefing and the schema say these).
MEASURES: dict[str, tuple[str, str]] = {
    "need": (
        "Need (urgent needs, root causes and vulnerability)",
        f"The equal-weighted mean of the {_listed(NEED_PILLARS)} pillars, each the mean London percentile of its "
        "indicators: 0 = least need in London, 1 = most.",
    ),
    "capacity": (
        "Cohesion capacity (spaces, networks, participation, trust)",
        f"The equal-weighted mean of the {_listed(CAPACITY_PILLARS)} pillars measured at the level, oriented so "
        "1 = most capacity in London and 0 = least.",
    ),
    "hazard": (
        "Hazard exposure",
        f"The mean of the {_listed(HAZARD_PILLARS)} pillars: 1 = most exposed in London. Shown beside need, never "
        "averaged into it.",
    ),
    "priority": (
        "Priority",
        "Where to embed cohesion first: need, for the places whose cohesion capacity is below London's median. "
        "Capacity decides whether a place is eligible; it never lowers how high its need ranks.",
    ),
}


def method_summary() -> str:
    """The method in plain English, one paragraph, from the pillars themselves (the app and the briefing say it)."""
    return (
        "Each indicator is turned into a London percentile rank and averaged within its pillar. Need is the mean "
        f"of the {_listed(NEED_PILLARS)} pillars; cohesion capacity the mean of the {_listed(CAPACITY_PILLARS)} "
        f"pillars (1 = most capacity); hazard exposure the mean of the {_listed(HAZARD_PILLARS)} pillars, kept "
        "separate. Need and capacity are cut into London thirds; the priority ranks places by need among those "
        "whose capacity is below London's median, so capacity never buys off need."
    )


def default_indicators(level: str) -> list[Indicator]:
    """Registry indicators in the default framework that exist at `level` (before the pillar checks)."""
    if level not in registry_levels():
        raise ValueError(f"unknown level {level!r}; the framework is computed for {list(registry_levels())}")
    return [
        i
        for i in INDICATORS
        if i.in_composite and level in i.levels and i.higher_is_more_need is not None and i.pillar in SCORED_PILLARS
    ]


def specs_for(level: str) -> list[IndicatorSpec]:
    """Specs (id, pillar, direction, treatment) of the default indicators at `level`."""
    return [
        IndicatorSpec(i.id, i.pillar, bool(i.higher_is_more_need), TREATMENTS.get(i.id, "none"))
        for i in default_indicators(level)
    ]


def active_specs(
    values: pd.DataFrame, level: str, extra_specs: Sequence[IndicatorSpec] = ()
) -> tuple[IndicatorSpec, ...]:
    """The registry specs for `level` with a value in `values`, then `extra_specs` (before the pillar checks).

    `extra_specs` (e.g. an uploaded local indicator, with its column in `values`) are kept as given, so a missing
    or empty column is reported by `composite.check_specs` rather than silently dropped.
    """
    base = tuple(s for s in specs_for(level) if s.id in values.columns and values[s.id].notna().any())
    return base + tuple(extra_specs)


def indicator_matrix(con: duckdb.DuckDBPyConnection, level: str, ids: list[str] | None = None) -> pd.DataFrame:
    """Areas x indicators (wide) at `level` for the default indicators (or `ids`), every area of the level."""
    ids = ids or [i.id for i in default_indicators(level)]
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


def levels_in(con: duckdb.DuckDBPyConnection) -> list[str]:
    """The registry levels that have areas in the database, default levels first."""
    present = set(query(con, "SELECT DISTINCT area_level FROM areas")["area_level"])
    return [level for level in registry_levels() if level in present]


@dataclass(frozen=True)
class Assessment:
    """One run of the framework at one level."""

    level: str
    values: pd.DataFrame
    specs: tuple[IndicatorSpec, ...]
    result: CompositeResult
    measures: pd.DataFrame
    checks: pd.DataFrame = field(default_factory=pd.DataFrame)
    hazard_weight: float = DEFAULT_HAZARD_WEIGHT

    @cached_property
    def classes(self) -> pd.DataFrame:
        """Per area: the need x capacity class (code, label), the hazard tercile and whether it is exposed."""
        need, capacity, hazard = self.measures["need"], self.measures["capacity"], self.measures["hazard"]
        classes = classify.bivariate_classes(need, capacity).rename(
            columns={"code": "class_code", "label": "class_label"}
        )
        classes["hazard_tercile"] = classify.london_tercile(hazard).reindex(classes.index)
        classes["exposed"] = exposed(classes)
        return classes

    @cached_property
    def priorities(self) -> pd.DataFrame:
        """The priority areas in order (`priority_table`)."""
        return priority_table(self.measures, self.classes)

    @cached_property
    def flags(self) -> pd.DataFrame:
        """Indicator values far outside London's range (`classify.extreme_flags`)."""
        return classify.extreme_flags(self.values, self.specs)

    @cached_property
    def actions(self) -> pd.DataFrame:
        """Recommendation-5 actions per area, from its weakest pillars (`classify.recommend_actions`)."""
        scored = [p for p in self.result.pillars.columns if p in PILLAR_ACTIONS]
        return classify.recommend_actions(
            self.result.pillars,
            self.values,
            self.specs,
            mapping={p: PILLAR_ACTIONS[p] for p in scored},
            capacity_pillars=[p for p in scored if p in CAPACITY_PILLARS],
            reason_above=REASON_ABOVE,
        )

    @property
    def need(self) -> pd.Series:
        """Need per area (0..1, 1 = most need)."""
        return self.measures["need"]

    @property
    def capacity(self) -> pd.Series:
        """Cohesion capacity per area (0..1, 1 = most capacity)."""
        return self.measures["capacity"]

    def area_table(self) -> pd.DataFrame:
        """One row per area: the four measures with ranks, intervals and shares, class, exposure and pillars."""
        out = self.measures.copy()
        out["coverage"] = self.result.coverage
        out["flagged"] = self.result.flagged
        out["flag_reason"] = self.result.flag_reason
        out = out.join(self.classes)
        out = out.join(self.result.pillars.add_prefix("pillar__"))
        out.index.name = "area_code"
        return out.reset_index()


def exposed(classes: pd.DataFrame) -> pd.Series:
    """True for "high need, low capacity and exposed": class 7 with its `hazard_tercile` London's top third (3)."""
    return (
        ((classes["class_code"] == classify.PRIORITY_CODE) & (classes["hazard_tercile"] == 3))
        .fillna(False)
        .astype(bool)
    )


def assess(
    values: pd.DataFrame,
    level: str,
    *,
    weights: str | Mapping[str, float] = "equal_pillars",
    weights_by: str = "indicator",
    method: Method = "rank",
    hazard_weight: float = DEFAULT_HAZARD_WEIGHT,
    n_draws: int = DEFAULT_DRAWS,
    seed: int = DEFAULT_SEED,
    extra_specs: Sequence[IndicatorSpec] = (),
    checks: bool = True,
) -> Assessment:
    """Run the framework on `values` (areas x indicators at `level`).

    With `checks` (default) the pillar checks run on the registry indicators first and leave out those that run
    against their pillar. `extra_specs` adds indicators beyond the registry (their columns in `values`), e.g. a
    borough's own local indicator in one of the pillars; they are kept as given.
    """
    check_hazard_weight(hazard_weight)  # before the pillar checks and the draws
    registry = active_specs(values, level)
    check_frame = pillar_checks.check_pillars(values, registry, level_label(level)).assign(level=level)
    dropped = pillar_checks.excluded(check_frame) if checks else set()
    specs = tuple(s for s in registry if s.id not in dropped) + tuple(extra_specs)
    scored_weights = weights
    if not isinstance(weights, str):  # the checks may have left an indicator out: weigh what is scored
        ids = [s.id for s in specs] if weights_by == "indicator" else list(dict.fromkeys(s.pillar for s in specs))
        scored_weights = {i: float(weights.get(i, 0.0)) for i in ids}
    engine = EngineSettings(method=method, weights=scored_weights, weights_by=weights_by)  # type: ignore[arg-type]
    result, measures = measures_with_uncertainty(
        values, specs, AXES, hazard_weight=hazard_weight, engine=engine, draws=DrawSettings(n_draws=n_draws, seed=seed)
    )
    return Assessment(level, values, specs, result, measures, checks=check_frame, hazard_weight=hazard_weight)


#: Columns of `priority_table`.
PRIORITY_COLUMNS = (
    "area_code",
    "priority_rank",
    "priority",
    "need",
    "capacity",
    "hazard",
    "need_rank",
    "priority_rank_p05",
    "priority_rank_p95",
    "priority_top10_share",
    "priority_top_third_share",
    "priority_stability",
    "class_label",
    "exposed",
)


def priority_table(measures: pd.DataFrame, classes: pd.DataFrame) -> pd.DataFrame:
    """The eligible areas ranked by priority (1 = first place to embed cohesion), ties by area code."""
    frame = measures.join(classes[["class_label", "exposed"]])
    frame.index.name = "area_code"
    frame = frame.reset_index()
    frame = frame[frame["priority"].notna()]
    frame = frame.sort_values(["priority_rank", "area_code"], kind="stable")
    return frame.reindex(columns=list(PRIORITY_COLUMNS)).reset_index(drop=True)


def lsoa_summaries(con: duckdb.DuckDBPyConnection, lsoa: Assessment) -> pd.DataFrame:
    """Ward and borough summaries of the LSOA 2011 need score: population-weighted mean, top-decile share, extent."""
    areas = query(con, "SELECT lsoa11_code AS area_code, ward_code, borough_code, population FROM core_geo__lsoa11")
    frame = areas.set_index("area_code").join(lsoa.need.rename("need"))
    levels = aggregate.aggregate_levels(frame, score="need", population="population")
    parts = []
    for key, level in (("ward_code", "ward"), ("borough_code", "borough")):
        part = levels[key].reset_index().rename(columns={key: "area_code"})
        part.insert(1, "area_level", level)
        parts.append(part)
    return pd.concat(parts, ignore_index=True)


def pillar_weight_reasons(level: str, measured: Sequence[str]) -> dict[str, str]:
    """Why a scored pillar cannot be weighted at `level`: "" where it is measured, else the reason in words."""
    out: dict[str, str] = {}
    for p in SCORED_PILLARS:
        if p in measured:
            out[p] = ""
            continue
        levels = [
            lv
            for lv in registry_levels()
            if any(i.pillar == p and i.in_composite and lv in i.levels for i in INDICATORS)
        ]
        where = ", ".join(level_label(lv) for lv in levels) if levels else "no level yet"
        out[p] = f"{PILLARS_BY_ID[p].label} is not measured for {level_label(level)}: its data exists for {where}."
    return out
