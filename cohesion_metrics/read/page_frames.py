"""Page-ready frames for the London overview and the borough explorer (their words are in `page_text`).

A *measure* is one thing a map can show at one level: need, cohesion capacity, hazard exposure, the priority, a
pillar score, a registry indicator, or the need x capacity classes. `measures_for` lists those that have values at a
level, `measure_frame` gives one row per area (value, rank and, for need, capacity and priority, the likely range
and how often the area is in London's top 10). No Streamlit and no SQL here: the
inputs are frames from `queries`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Literal

import numpy as np
import pandas as pd

from cohesion_metrics.metadata.indicators import (
    DATA_GAPS,
    INDICATORS,
    INDICATORS_BY_ID,
    PILLARS,
    PILLARS_BY_ID,
)
from cohesion_metrics.metadata.levels import LEVELS_BY_CODE
from cohesion_metrics.metadata.spaces import SPACE_MAP_GROUPS, SPACE_TYPE_GROUP, SPACE_TYPE_LABELS
from cohesion_metrics.method.classify import PRIORITY_CODE
from cohesion_metrics.method.framework import MEASURES
from cohesion_metrics.read.page_text import (
    PILLAR_PREFIX,
    RANGE_HEADING,
    TOP10_HEADING,
    _names,
    certainty_words,
    likely_range,
)

CLASSES = "need_capacity"
NEED, CAPACITY, HAZARD, PRIORITY = "need", "capacity", "hazard", "priority"
#: The framework's measures with a Monte Carlo rank interval.
WITH_INTERVAL = (NEED, CAPACITY, PRIORITY)
SCORE_UNIT = "score 0-1, higher = more need"
FRAMEWORK = "Framework"
#: Columns of `measure_frame`.
FRAME_COLUMNS = (
    "area_code",
    "area_name",
    "borough_code",
    "borough_name",
    "value",
    "rank",
    "rank_p05",
    "rank_p95",
    "stability",
    "top10_share",
)
#: The distance measure the borough explorer offers: distance to the nearest community centre or library (m).
FAR_DISTANCE = "nearest_space_m_community"
#: Indicator that picks out neighbourhoods far from a community centre or library, and its threshold (%).
FAR_INDICATOR, FAR_BELOW_PCT = "pop_within_800m_pct_community", 50.0
#: The distance (m) from a neighbourhood to its nearest community centre or library (a display measure).
NEAREST_INDICATOR = "nearest_space_m_community"

Kind = Literal["axis", "pillar", "indicator", "classes"]


@dataclass(frozen=True)
class Measure:
    """Something the map can show, with its plain-English label, definition and unit."""

    id: str
    kind: Kind
    label: str
    definition: str
    unit: str
    group: str
    higher_is_more_need: bool | None = True
    pillar: str | None = None
    note: str = ""

    @property
    def option(self) -> str:
        """The picker's label (also the URL value): the pillar or framework, then the measure."""
        return self.label if self.label.startswith(self.group) else f"{self.group} · {self.label}"

    @property
    def short_unit(self) -> str:
        """The unit for a column heading or hover: "0-1" for scores, else the registry unit."""
        return "0-1" if self.unit == SCORE_UNIT else self.unit

    @property
    def has_interval(self) -> bool:
        """Whether the rank comes with a Monte Carlo interval (need, capacity and priority)."""
        return self.kind == "axis" and self.id in WITH_INTERVAL


def _pillar_measure(pillar_id: str) -> Measure:
    p = PILLARS_BY_ID[pillar_id]
    return Measure(
        f"{PILLAR_PREFIX}{pillar_id}",
        "pillar",
        f"{p.label} (pillar score)",
        f"{p.description} The pillar's indicators as London percentile ranks, averaged: 0 = least need in London, "
        f"1 = most. It points to recommendation 5 {p.action}.",
        SCORE_UNIT,
        "Pillar",
        True,
        pillar_id,
    )


_AXIS_UNITS = {
    NEED: "score 0-1, higher = more need",
    CAPACITY: "score 0-1, higher = more cohesion capacity",
    HAZARD: "score 0-1, higher = more exposed",
    PRIORITY: "need 0-1 among places below London's median capacity",
}
_AXES = {
    m: Measure(m, "axis", MEASURES[m][0], MEASURES[m][1], _AXIS_UNITS[m], FRAMEWORK, m != CAPACITY)
    for m in (NEED, CAPACITY, HAZARD, PRIORITY)
}
_CLASSES = Measure(
    CLASSES,
    "classes",
    "Need x cohesion capacity (3 x 3 classes)",
    "Need against cohesion capacity, each cut into London thirds. The darkest class, high need with low capacity, "
    "marks the first places to embed cohesion in resilience plans.",
    "class",
    FRAMEWORK,
    None,
)


def get_measure(measure_id: str) -> Measure:
    """Return the measure with this id: need, capacity, hazard, priority, need_capacity, pillar__<id> or an indicator."""
    if measure_id in _AXES:
        return _AXES[measure_id]
    if measure_id == CLASSES:
        return _CLASSES
    if measure_id.startswith(PILLAR_PREFIX) and measure_id[len(PILLAR_PREFIX) :] in PILLARS_BY_ID:
        return _pillar_measure(measure_id[len(PILLAR_PREFIX) :])
    ind = INDICATORS_BY_ID.get(measure_id)
    if ind is None:
        raise KeyError(
            f"unknown measure {measure_id!r}: not {list(_AXES)}, {CLASSES}, a pillar__ column or an indicator"
        )
    return Measure(
        ind.id,
        "indicator",
        ind.label,
        ind.definition,
        ind.unit,
        PILLARS_BY_ID[ind.pillar].label,
        ind.higher_is_more_need,
        ind.pillar,
        ind.note,
    )


def measures_for(level_pillars: Iterable[str], indicator_ids: Iterable[str]) -> list[Measure]:
    """List what can be mapped at a level: classes (default), the four measures, pillars, then indicators.

    `level_pillars` are pillar ids with at least one score at the level; `indicator_ids` the indicators with values.
    """
    present = set(level_pillars)
    out = [_CLASSES, *_AXES.values()] + [_pillar_measure(p.id) for p in PILLARS if p.id in present]
    order = {p.id: i for i, p in enumerate(PILLARS)}
    wanted = set(indicator_ids)
    inds = sorted((i for i in INDICATORS if i.id in wanted), key=lambda i: (order[i.pillar], i.label))
    return out + [get_measure(i.id) for i in inds]


def pillars_with_scores(areas: pd.DataFrame) -> list[str]:
    """Pillar ids with at least one score in a `queries.cohesion_areas` frame."""
    return [c[len(PILLAR_PREFIX) :] for c in areas.columns if c.startswith(PILLAR_PREFIX) and areas[c].notna().any()]


def _need_rank(values: pd.Series, higher_is_more_need: bool | None) -> pd.Series:
    """Rank 1 = most need (or, without a direction, the highest value); ties share the best rank."""
    return values.rank(ascending=higher_is_more_need is False, method="min").astype("Int64")


def measure_frame(
    areas: pd.DataFrame, measure: Measure, borough_names: Mapping[str, str], values: pd.DataFrame | None = None
) -> pd.DataFrame:
    """One row per area, most need first: FRAME_COLUMNS (+ need, capacity and class columns for the classes).

    `areas` is `queries.cohesion_areas` for the level (optionally one borough's: ranks are then still London's),
    `values` is `queries.indicator_values` for indicator measures (London-wide, so ranks are London's).
    """
    base = areas[["area_code", "area_name", "borough_code"]].copy()
    base["borough_name"] = base["borough_code"].map(borough_names)
    if measure.kind == "indicator":
        if values is None:
            raise ValueError(f"measure {measure.id!r} is an indicator: pass its values (queries.indicator_values)")
        v = values.set_index("area_code")["value"].astype("float64")
        ranks = _need_rank(v, measure.higher_is_more_need)
        base["value"] = base["area_code"].map(v)
        base["rank"] = base["area_code"].map(ranks).astype("Int64")
    elif measure.kind == "pillar":
        col = measure.id
        base["value"] = areas[col].astype("float64").to_numpy()
        base["rank"] = _need_rank(areas.set_index("area_code")[col], True).reindex(base["area_code"]).to_numpy()
    elif measure.kind == "axis":
        base["value"] = areas[measure.id].astype("float64").to_numpy()
        base["rank"] = areas[f"{measure.id}_rank"].astype("Int64").to_numpy()
    else:
        base["value"] = areas["class_code"].astype("float64").to_numpy()
        base["rank"] = pd.array([pd.NA] * len(base), dtype="Int64")
    if measure.has_interval:
        for col in ("rank_p05", "rank_p95", "stability", "top10_share"):
            base[col] = areas[f"{measure.id}_{col}"].to_numpy()
    else:
        base["rank_p05"] = np.nan
        base["rank_p95"] = np.nan
        base["stability"] = ""
        base["top10_share"] = np.nan
    base["rank"] = base["rank"].astype("Int64")
    out = base[list(FRAME_COLUMNS)]
    if measure.kind == "classes":
        out = out.assign(
            need=areas["need"].to_numpy(),
            capacity=areas["capacity"].to_numpy(),
            class_label=areas["class_label"].to_numpy(),
            is_priority=(areas["class_code"] == PRIORITY_CODE).to_numpy(),
            exposed=areas["exposed"].fillna(False).astype(bool).to_numpy(),
        )
        return out.sort_values(
            ["is_priority", "need", "area_code"], ascending=[False, False, True], na_position="last"
        ).reset_index(drop=True)
    return out.sort_values(["rank", "area_code"], na_position="last").reset_index(drop=True)


def gaps(level: str, measure: Measure, frame: pd.DataFrame, areas: pd.DataFrame) -> list[str]:
    """Plain-English notes on what is missing behind this map: areas without values, absent pillars, data gaps."""
    many = LEVELS_BY_CODE[level].nouns
    notes: list[str] = []
    missing = frame.loc[frame["value"].isna(), "area_name"].astype(str).tolist()
    if missing:
        why = f" {measure.note}" if measure.note and "City" in measure.note else ""
        subject = _names(missing) if len(missing) <= 6 else f"{len(missing):,} {many}"
        notes.append(f"No value for {subject}: shown in grey.{why}")
    pillar_cols = [c for c in areas.columns if c.startswith(PILLAR_PREFIX)]
    absent = [PILLARS_BY_ID[c[len(PILLAR_PREFIX) :]].label.lower() for c in pillar_cols if areas[c].isna().all()]
    if measure.kind in ("axis", "classes"):
        if absent:
            notes.append(
                f"Not measured for {many}: {'; '.join(absent)}. This level's scores leave "
                f"{'it' if len(absent) == 1 else 'them'} out."
            )
        partial = areas[areas["coverage"].lt(1) & areas[pillar_cols].notna().any(axis=1)]
        if len(partial) > 3:
            notes.append(f"{len(partial):,} {many} lack some indicators; their scores use what is available.")
        for _, row in partial.iterrows() if len(partial) <= 3 else ():
            lacking = [PILLARS_BY_ID[c[len(PILLAR_PREFIX) :]].label.lower() for c in pillar_cols if pd.isna(row[c])]
            lacking = [x for x in lacking if x not in absent] or ["some indicators"]
            notes.append(
                f"{row['area_name']}'s score rests on {row['coverage']:.0%} of the framework's weight "
                f"(no data for {_names(lacking)})."
            )
        flagged = areas[areas["flagged"].fillna(False).astype(bool)]
        if len(flagged):
            notes.append(f"{len(flagged):,} {many} are not scored ({flagged['flag_reason'].iloc[0]}).")
    hazards = {p.id for p in PILLARS if p.role == "hazard"} | {"hazard"}
    pillars = hazards if measure.kind in ("axis", "classes") else {measure.pillar}
    notes += [f"Missing: {g.what}. {g.why}" for g in DATA_GAPS if g.pillar in pillars]
    return notes


def value_column(measure: Measure) -> str:
    """Return the display/CSV heading of a measure's value column."""
    return "Class" if measure.kind == "classes" else f"{measure.label} ({measure.short_unit})"


def display_table(frame: pd.DataFrame, measure: Measure) -> pd.DataFrame:
    """`measure_frame` with plain-English headings, as shown beside the map and downloaded.

    The value comes right after the name (the table is narrow beside a map); codes and borough come last. Compact
    dtypes (categories, float32, Int16) keep the 4,835-row LSOA table small on the websocket.
    """
    out = pd.DataFrame({"Area": frame["area_name"]})
    if measure.kind == "classes":
        out[value_column(measure)] = frame["class_label"].astype("category")
        out["Need (0-1)"] = frame["need"].round(3).astype("float32")
        out["Cohesion capacity (0-1)"] = frame["capacity"].round(3).astype("float32")
    else:
        out[value_column(measure)] = frame["value"].round(4).astype("float32")
        rank_type = "Int16" if len(frame) < 2**15 else "Int32"
        heading = "Rank (1 = most need)" if measure.higher_is_more_need is not None else "Rank (1 = highest)"
        out[heading] = frame["rank"].astype(rank_type)
        if measure.has_interval:
            out[TOP10_HEADING] = certainty_words(frame["top10_share"])
            listed = int(frame["value"].notna().sum()) if measure.id == PRIORITY else None
            out[RANGE_HEADING] = likely_range(frame["rank_p05"], frame["rank_p95"], listed)
    out["Code"] = frame["area_code"]
    if not frame["area_code"].equals(frame["borough_code"]):  # boroughs need no borough column
        out["Borough"] = frame["borough_name"].astype("category")
    return out


def ranked_on(areas: pd.DataFrame, measure_id: str) -> pd.DataFrame:
    """`areas` with rank, rank_p05, rank_p95, stability and top10_share of one measure (need, capacity, priority)."""
    return areas.assign(
        rank=areas[f"{measure_id}_rank"],
        rank_p05=areas[f"{measure_id}_rank_p05"],
        rank_p95=areas[f"{measure_id}_rank_p95"],
        stability=areas[f"{measure_id}_stability"].replace("", "not scored"),
        top10_share=areas[f"{measure_id}_top10_share"],
    )


def ordered_like(frame: pd.DataFrame, codes: list[str]) -> pd.DataFrame:
    """`frame` with the areas of `codes` first, in that order, then the rest in their own order."""
    position = {c: i for i, c in enumerate(codes)}
    key = frame["area_code"].map(position).fillna(len(codes))
    return frame.iloc[key.argsort(kind="stable")].reset_index(drop=True)


def spaces_frame(spaces: pd.DataFrame, lsoa_names: Mapping[str, str]) -> pd.DataFrame:
    """`queries.spaces` with the map group, a plain type label and whether the space counts as inclusive."""
    out = spaces.assign(
        group=spaces["space_type"].map(SPACE_TYPE_GROUP).fillna("not_counted"),
        type_label=spaces["space_type"].map(SPACE_TYPE_LABELS).fillna(spaces["space_type"].str.replace("_", " ")),
        lsoa_name=spaces["lsoa11_code"].map(lsoa_names),
    )
    out["counted"] = out["group"].map({g: c for g, (_, _, c) in SPACE_MAP_GROUPS.items()})
    out["name"] = out["name"].fillna("").replace("", "(unnamed)")
    return out


def upload_groups(spaces: pd.DataFrame) -> pd.DataFrame:
    """Which map group each uploaded type joins: type_label, group_label, counted, n (one row per type, most first)."""
    if spaces.empty:
        return pd.DataFrame(columns=["type_label", "group_label", "counted", "n"])
    labels = {g: label for g, (label, _, _) in SPACE_MAP_GROUPS.items()}
    out = spaces.groupby(["type_label", "group"], as_index=False).size().rename(columns={"size": "n"})
    out["group_label"] = out["group"].map(labels).fillna(out["group"])
    out["counted"] = out["group"].map({g: c for g, (_, _, c) in SPACE_MAP_GROUPS.items()}).fillna(False)
    return out.sort_values(["n", "type_label"], ascending=[False, True])[["type_label", "group_label", "counted", "n"]]


def farthest(values: pd.DataFrame, n: int = 3) -> pd.DataFrame:
    """The `n` areas with the largest values of a distance (`queries.indicator_values` rows), farthest first."""
    return values.dropna(subset=["value"]).sort_values(["value", "area_code"], ascending=[False, True]).head(n)


def spaces_table(spaces: pd.DataFrame) -> pd.DataFrame:
    """`spaces_frame` with plain-English headings for the table and its CSV."""
    return pd.DataFrame(
        {
            "Name": spaces["name"],
            "Type": spaces["type_label"],
            "Group": spaces["group"].map({g: label for g, (label, _, _) in SPACE_MAP_GROUPS.items()}),
            "Counted as inclusive": spaces["counted"].map({True: "yes", False: "no"}),
            "Neighbourhood (LSOA)": spaces["lsoa_name"],
            "LSOA code": spaces["lsoa11_code"],
            "Source": spaces["source_id"],
            "Longitude": spaces["lon"].round(5),
            "Latitude": spaces["lat"].round(5),
        }
    )


def far_from_community(values: pd.DataFrame) -> list[str]:
    """LSOA codes where fewer than half of residents live within 800 m of a community centre or library."""
    v = values.dropna(subset=["value"])
    return sorted(v.loc[v["value"] < FAR_BELOW_PCT, "area_code"].astype(str))
