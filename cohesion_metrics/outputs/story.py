"""The story for launch events as data: one slide per message, each with its numbers computed from the database.

London Resilience, *Building Resilient Communities: The Case for Social Cohesion* (Protection Approaches, 2024)
finds that (1) social cohesion is a foundation of resilience; (2) community-led work builds it through inclusive
spaces, connections and networks, trust, and community ownership and decision making; (3) none of it holds without
addressing urgent needs and root causes. Recommendation 2 asks for cohesion to be embedded in resilience planning;
recommendation 5 lists what to fund, (a) to (f). Each `Slide` ties one of these to a figure and to figures queried
here, never typed in.

No Streamlit here: `slides(con)` returns plain data; `slide_charts.slide_figures` draws it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import duckdb
import numpy as np
import pandas as pd

from cohesion_metrics.db import query
from cohesion_metrics.metadata.indicators import DATA_GAPS, INDICATORS, INDICATORS_BY_ID
from cohesion_metrics.metadata.levels import LEVELS_BY_CODE
from cohesion_metrics.method import uncertainty
from cohesion_metrics.method.classify import PRIORITY_CODE, RECOMMENDATION_5
from cohesion_metrics.method.framework import DEFAULT_DRAWS, HAZARD_PILLARS, PILLAR_ACTIONS
from cohesion_metrics.outputs.story_numbers import (
    action_counts,
    borough_values,
    class_counts,
    london_catchment_share,
    most_deprived_decile,
    priority_places,
    story_level,
    summarise,
)
from cohesion_metrics.read import queries

#: Indicators the slides show (registry ids).
SPACE_INDICATOR = "pop_within_800m_pct_community"
TRUST_INDICATOR = "trust_agree_the_police_listen_to_the_concerns_of_local_people"
TURNOUT_INDICATOR = "turnout_2022_pct"
WARD_TURNOUT_INDICATOR = "turnout_mayoral_2012_pct"
IMD_SCORE = "imd2019_score"
IMD_SHARE_MOST_DEPRIVED = "imd2019_pct_lsoas_most_deprived_10pct"
PRIORITY_TOP = 10
#: Boroughs shown on a slide's bar chart (most in need first): 33 bars are unreadable when projected.
BARS_TOP = 10


@dataclass(frozen=True)
class Slide:
    """One slide: its message, what in the report it illustrates, the figure kind and the data behind it."""

    key: str
    title: str
    illustrates: str
    message: str
    figure: str
    numbers: Mapping[str, float | int | str]
    frames: Mapping[str, pd.DataFrame] = field(default_factory=dict)
    map_level: str | None = None
    unit: str = ""
    #: The map's indicator label and unit (when they differ from the bar chart's `unit`).
    map_label: str = ""
    map_unit: str = ""
    #: Whether a higher value of the slide's indicator means more need (sorts bars, orients map colours).
    more_need_high: bool = True
    #: A reference line on the bar chart (e.g. London's value) and its label.
    reference: float | None = None
    reference_label: str = ""
    #: How many areas (most in need first) the slide's bar chart shows.
    bars_top: int | None = None
    caveat: str = ""
    sources: tuple[str, ...] = ()
    points: tuple[str, ...] = ()


# --- Slides ---------------------------------------------------------------------------------------------------------


def _pct(x: float) -> str:
    return f"{x:.0f}%"


def _need_capacity(con: duckdb.DuckDBPyConnection) -> Slide:
    level = story_level(con)
    counts = class_counts(con, level)
    n, n_priority = int(counts["areas"].sum()), int(counts.loc[counts["class_code"] == PRIORITY_CODE, "areas"].sum())
    pop = float(counts.loc[counts["class_code"] == PRIORITY_CODE, "population"].sum())
    share = pop / float(counts["population"].sum())
    frame = queries.cohesion_areas(con, level)[
        ["area_code", "area_name", "class_code", "class_label", "need", "capacity", "exposed"]
    ]
    return Slide(
        "need_capacity",
        "Social cohesion is a foundation of resilience",
        "Finding 1 · Recommendation 2: embed cohesion in resilience planning",
        f"{n_priority} of London's {n} wards combine high need with low cohesion capacity: home to "
        f"{pop / 1e6:.1f} million Londoners ({share:.0%}).",
        "need_capacity",
        {
            "n_areas": n,
            "n_priority": n_priority,
            "priority_population": pop,
            "priority_population_share": share,
            **{f"class_{int(c)}": int(a) for c, a in zip(counts["class_code"], counts["areas"], strict=True)},
        },
        {"map": frame},
        map_level=level,
        caveat="Need: urgent needs and vulnerability. Capacity: spaces, connections, participation (trust: boroughs "
        "only). Hazards kept apart. London thirds. Population: "
        + ("Census 2021." if level == "ward22" else "mid-2015."),
        sources=("iod2019_gla_london", "gla_cim", "census2021_lsoa", "gla_ward_profiles", "gla_tree_canopy"),
    )


def _spaces(con: duckdb.DuckDBPyConnection) -> Slide:
    ind = INDICATORS_BY_ID[SPACE_INDICATOR]
    frame = borough_values(con, SPACE_INDICATOR)
    s = summarise(frame)
    london = london_catchment_share(con, SPACE_INDICATOR)
    return Slide(
        "inclusive_spaces",
        "Inclusive spaces: within walking distance?",
        "Finding 2: inclusive spaces · Recommendation 5 (a)",
        f"{_pct(london)} of Londoners live within 800 m of a community centre or library: from "
        f"{_pct(float(s['min']))} in {s['min_area']} to {_pct(float(s['max']))} in {s['max_area']}.",
        "borough_indicator",
        {"london": london, **s},
        {"map": frame},
        map_level="borough",
        unit=ind.unit,
        map_label=ind.label,
        more_need_high=bool(ind.higher_is_more_need),
        reference=london,
        reference_label="London",
        bars_top=BARS_TOP,
        caveat=f"{ind.note} Vintage: {ind.vintage}.",
        sources=(ind.source_id, "census2021_lsoa", "ons_lsoa21_pwc"),
    )


def _borough_indicator_slide(
    con: duckdb.DuckDBPyConnection,
    indicator_id: str,
    *,
    key: str,
    title: str,
    finding: str,
    message: str,
    caveat: str,
) -> Slide:
    """Build a slide of one borough indicator: map, ranked bars and the median.

    `message` and `caveat` are formatted with the summary (min, max, median, their areas, missing) and the indicator.
    """
    ind = INDICATORS_BY_ID[indicator_id]
    frame = borough_values(con, indicator_id)
    s = summarise(frame)
    figures = {
        "min": _pct(float(s["min"])),
        "max": _pct(float(s["max"])),
        "median": _pct(float(s["median"])),
        "min_area": s["min_area"],
        "max_area": s["max_area"],
        "missing": s["missing"],
    }
    return Slide(
        key,
        title,
        finding,
        message.format(**figures),
        "borough_indicator",
        s,
        {"map": frame},
        map_level="borough",
        unit=ind.unit,
        map_label=ind.label,
        more_need_high=bool(ind.higher_is_more_need),
        reference=float(s["median"]),
        reference_label="median",
        bars_top=BARS_TOP,
        caveat=caveat.format(**figures, note=ind.note, vintage=ind.vintage),
        sources=(ind.source_id,),
    )


def _trust(con: duckdb.DuckDBPyConnection) -> Slide:
    return _borough_indicator_slide(
        con,
        TRUST_INDICATOR,
        key="trust",
        title="Trust: measured only for the police",
        finding="Finding 2: trust · Recommendation 5 (c)",
        message="From {min} in {min_area} to {max} in {max_area}, residents agree the police listen to local "
        "concerns (borough median {median}).",
        caveat="MOPAC Public Attitude Survey, {vintage}: trust in the police is one side of institutional trust, "
        "not trust between neighbours. No data for: {missing} (the City has its own police).",
    )


def _participation(con: duckdb.DuckDBPyConnection) -> Slide:
    ward_vintage = INDICATORS_BY_ID[WARD_TURNOUT_INDICATOR].vintage
    return _borough_indicator_slide(
        con,
        TURNOUT_INDICATOR,
        key="participation",
        title="Participation: who takes part in local decisions?",
        finding="Finding 2: community ownership and decision making · Recommendation 5 (d)",
        message="Turnout at the May 2022 borough elections ran from {min} in {min_area} to {max} in {max_area} "
        "(median {median}).",
        caveat="{note} Turnout is one narrow sign of participation; ward turnout is older (" + ward_vintage + ").",
    )


def _urgent_needs(con: duckdb.DuckDBPyConnection) -> Slide:
    d = most_deprived_decile(con)
    lsoa = queries.indicator_values(con, IMD_SCORE, "lsoa11")[["area_code", "area_name", "value"]]
    boroughs = borough_values(con, IMD_SHARE_MOST_DEPRIVED)
    s = summarise(boroughs)
    return Slide(
        "urgent_needs",
        "None of it holds without meeting urgent needs",
        "Finding 3: urgent needs and root causes · Recommendation 5 (e)",
        f"{d['lsoas']} of London's {d['n_lsoas']:,} neighbourhoods are among England's most deprived 10%, home to "
        f"{round(d['population'], -3):,.0f} people ({d['share']:.0%}); {s['max_area']} has the most "
        f"({_pct(float(s['max']))} of its neighbourhoods).",
        "map_and_bars",
        {**d, **{f"borough_{k}": v for k, v in s.items()}},
        {"map": lsoa, "bars": boroughs},
        map_level="lsoa11",
        bars_top=BARS_TOP,
        map_label=INDICATORS_BY_ID[IMD_SCORE].label,
        map_unit="IMD2019 score",
        unit=INDICATORS_BY_ID[IMD_SHARE_MOST_DEPRIVED].unit,
        caveat=f"Map: IMD2019 score by neighbourhood (LSOA 2011). {INDICATORS_BY_ID[IMD_SCORE].vintage}: it "
        "predates the pandemic and the cost-of-living crisis. Population: mid-2015.",
        sources=("iod2019_gla_london",),
    )


def _priorities(con: duckdb.DuckDBPyConnection) -> Slide:
    level = story_level(con)
    places = priority_places(con, level)
    shown = places.head(PRIORITY_TOP)
    n_areas = len(queries.cohesion_areas(con, level))
    held = int(shown["stability"].isin(uncertainty.LABELS[:2]).sum())
    worst = int(np.ceil(shown["rank_p95"].max()))
    sure = int((shown["priority_top10_share"] >= 0.8).sum())
    return Slide(
        "priorities",
        "Where to embed cohesion first",
        "Recommendation 2: embed social cohesion in resilience planning",
        f"Among the {len(places)} wards with cohesion capacity below London's median, these {len(shown)} have the "
        f"most need; {sure} of them are in London's top 10 in at least 80% of re-runs with other weights.",
        "rank_intervals",
        {
            "n_priority": len(places),
            "shown": len(shown),
            "held": held,
            "sure_top10": sure,
            "worst_p95": worst,
            "n_areas": n_areas,
        },
        {"intervals": shown},
        unit="rank",
        caveat=f"Order: need, among wards below London's median cohesion capacity (capacity never lowers need). "
        f"Bars: 5-95% priority rank interval over {DEFAULT_DRAWS:,} re-runs. Hazard exposure is shown beside the "
        "priority, not in it.",
        sources=("iod2019_gla_london", "gla_cim", "gla_ward_profiles", "gla_tree_canopy"),
    )


def _actions(con: duckdb.DuckDBPyConnection) -> Slide:
    counts = action_counts(con)
    wards = counts[counts["level"] == story_level(con)].set_index("action")
    areas, n_wards = wards["areas"].astype(int).to_dict(), int(wards["n_areas"].iloc[0])
    top = max(areas, key=areas.__getitem__)
    letters = sorted(set(PILLAR_ACTIONS.values()))
    unmeasured = {}
    for lvl in queries.scored_levels(con):
        scored = set(queries.scored_pillars(con, lvl))
        unmeasured[LEVELS_BY_CODE[lvl].in_story] = [
            a for a in letters if not any(PILLAR_ACTIONS[p] == a and p in scored for p in PILLAR_ACTIONS)
        ]
    gaps = "; ".join(f"({', '.join(v)}) cannot be triggered for {k}" for k, v in unmeasured.items() if v)
    return Slide(
        "actions",
        "What recommendation 5 would fund, and where",
        "Recommendation 5: (a) spaces, (b) networks, (c) trust, (d) participation, (e) urgent needs, (f) capacity",
        f"({top}) {RECOMMENDATION_5[top]} is triggered in {areas[top]} of {n_wards} wards; (f) capacity building, "
        f"where every cohesion pillar is weak, in {areas['f']}.",
        "actions",
        {"top_ward_action": top, **{f"ward_{a}": areas[a] for a in RECOMMENDATION_5}},
        {"actions": counts},
        caveat="An action is triggered where its pillar is among London's 30% most in need; (f) where all cohesion "
        f"pillars are. Trust is measured only by borough and participation not by neighbourhood: {gaps}.",
    )


def _gaps(con: duckdb.DuckDBPyConnection) -> Slide:
    trust = summarise(borough_values(con, TRUST_INDICATOR))
    turnout = summarise(borough_values(con, TURNOUT_INDICATOR))
    hazards = [i for i in INDICATORS if i.pillar in HAZARD_PILLARS and i.in_composite]
    space = INDICATORS_BY_ID[SPACE_INDICATOR]
    areas = queries.cohesion_areas(con, "borough")
    n_uncertain = int((areas["need_stability"] == "uncertain").sum())
    gaps = {g.pillar: g.what[0].lower() + g.what[1:] for g in DATA_GAPS}
    hazard_gap = next((gaps[p] for p in ("hazard", *HAZARD_PILLARS) if p in gaps), "")
    points = (
        f"Hazards: {', '.join(i.label.lower() for i in hazards)}, kept apart from need"
        + (f"; not available as open data: {hazard_gap}." if hazard_gap else "."),
        f"Trust: only trust in the police (MOPAC, {INDICATORS_BY_ID[TRUST_INDICATOR].vintage}), none for "
        f"{trust['missing']}; not available: {gaps['trust']}.",
        f"Participation: no May 2022 borough election in {turnout['missing']}; ward turnout is from "
        f"{INDICATORS_BY_ID[WARD_TURNOUT_INDICATOR].vintage}.",
        f"Inclusive spaces: {space.note[0].lower()}{space.note[1:]}",
        f"Deprivation: {INDICATORS_BY_ID[IMD_SCORE].vintage}.",
        f"Robustness: {n_uncertain} of {len(areas)} borough need ranks are uncertain; read the pillar scores, not the "
        "rank.",
    )
    return Slide(
        "gaps",
        "What the data cannot tell us yet",
        "All findings: honest about the evidence",
        "Read every map with these gaps in mind, and close them with community-led evidence.",
        "text",
        {
            "n_uncertain_boroughs": n_uncertain,
            "trust_missing": str(trust["missing"]),
            "turnout_missing": str(turnout["missing"]),
        },
        points=points,
    )


SLIDE_BUILDERS = (_need_capacity, _spaces, _trust, _participation, _urgent_needs, _priorities, _actions, _gaps)


def slides(con: duckdb.DuckDBPyConnection) -> list[Slide]:
    """Build the story's slides, in order."""
    return [build(con) for build in SLIDE_BUILDERS]


def source_titles(con: duckdb.DuckDBPyConnection, source_ids: tuple[str, ...]) -> str:
    """Source titles and vintages for a slide's footer, in the slide's order."""
    if not source_ids:
        return ""
    rows = query(
        con,
        "SELECT source_id, title, vintage FROM core_meta__sources WHERE source_id IN (SELECT unnest(?))",
        [list(source_ids)],
    )
    found = {r.source_id: f"{r.title} ({r.vintage})" for r in rows.itertuples()}
    return "; ".join(found[s] for s in source_ids if s in found)


def numbers_frame(slide_list: list[Slide]) -> pd.DataFrame:
    """Every number of every slide, long (slide, name, value), for checking and for the speaker's notes."""
    return pd.DataFrame(
        [
            {"slide": s.key, "name": k, "value": v}
            for s in slide_list
            for k, v in s.numbers.items()
            if not isinstance(v, float) or np.isfinite(v)
        ]
    )
