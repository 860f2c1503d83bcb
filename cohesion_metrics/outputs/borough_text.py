"""The borough explorer's plain-English text and tables: a borough's standing, its far neighbourhoods, what to fund."""

from __future__ import annotations

import pandas as pd

from cohesion_metrics.metadata import numbers
from cohesion_metrics.metadata.levels import LEVELS_BY_CODE
from cohesion_metrics.method.classify import WEAK_AT
from cohesion_metrics.read import page_frames, page_text

N_BOROUGHS = LEVELS_BY_CODE["borough"].count
FAR_COLUMN = "Beyond 800 m of a community space"


def standing(row: pd.Series, name: str, n_neighbourhoods: int, n_priorities: int, level: str) -> str:
    """A borough's need and capacity ranks, its class and how many of its neighbourhoods are priorities."""
    likely = page_text.likely_range(row[["need_rank_p05"]], row[["need_rank_p95"]]).iloc[0]
    return (
        f"**{name}** ranks **{row['need_rank']:.0f} of {N_BOROUGHS}** boroughs for need (1 = most need; likely "
        f"{likely} under other reasonable "
        f"weights) and **{row['capacity_rank']:.0f} of {N_BOROUGHS}** for cohesion capacity (1 = least). Need against "
        f"cohesion capacity: **{row['class_label']}**. {n_neighbourhoods:,} neighbourhoods "
        f"({LEVELS_BY_CODE[level].in_sentence}); **{n_priorities:,}** of them are priorities (cohesion "
        "capacity below London's median)."
    )


def far_sentence(far: list[str], n_areas: int, yours: str, farthest: pd.DataFrame, places: pd.Series) -> str:
    """Which neighbourhoods are outlined as far from a community space or, if none is, the farthest three.

    `yours` names the session's own spaces counted (or is empty); `farthest` holds `page_frames.farthest` rows and
    `places` the display names by code.
    """
    if far:
        return (
            f"Outlined in black: the {len(far):,} of {n_areas:,} neighbourhoods where fewer than half of residents "
            f"live within 800 m (straight line) of a community centre or library{yours}."
        )
    listed = "; ".join(
        f"{places.get(r.area_code, r.area_name)} ({numbers.text(r.value, 'metres')})" for r in farthest.itertuples()
    )
    return (
        f"In every one of its {n_areas:,} neighbourhoods at least half of residents live within 800 m of a "
        f"community centre or library{yours}. Farthest from one: {listed}."
    )


def own_spaces_phrase(n_community: int | None, name: str) -> str:
    """The words saying the session's own community spaces are counted (empty without any upload)."""
    if n_community is None:
        return ""
    return f", counting the {n_community:,} community centres and libraries you uploaded in {name} (this session only)"


def neighbourhood_table(frame: pd.DataFrame, measure: page_frames.Measure, far: list[str]) -> pd.DataFrame:
    """A borough's neighbourhoods as shown: `page_frames.display_table` with whether each is far, no borough."""
    table = page_frames.display_table(frame, measure)
    table.insert(table.columns.get_loc("Code"), FAR_COLUMN, table["Code"].isin(far).map({True: "mostly", False: ""}))
    return table.drop(columns="Borough")


def neighbours_caption(name: str, neighbours: list[str]) -> str:
    """The caption under the pillar profile: the score scale and the statistical neighbours."""
    return "Scores from 0 (least need in London) to 1 (most). " + (
        f"Statistical neighbours, the boroughs with the most similar profile: {', '.join(neighbours)}."
        if neighbours
        else f"{name} has no statistical neighbours: its profile lacks pillars the others have."
    )


def areas_to_fund(priorities: pd.DataFrame, need: pd.DataFrame, name: str) -> tuple[pd.DataFrame, str]:
    """The three neighbourhoods whose actions are listed, and the sentence introducing them.

    The top three priorities, or, when none of the borough's neighbourhoods is a priority, its three with the most
    need (`need` is `page_frames.measure_frame` of need, with `rank`).
    """
    top = priorities.head(3)
    if top.empty:
        return need.head(3).rename(columns={"rank": "need_rank"}), (
            f"None of {name}'s neighbourhoods is a priority; its three with the most need:"
        )
    return top, f"Its top {len(top)} priority neighbourhoods (most need among those below London's median capacity):"


def area_heading(area: pd.Series) -> str:
    """An expander heading for one neighbourhood: name, code and its London priority (or need) rank."""
    listed = "priority_rank" in area.index and pd.notna(area["priority_rank"])
    label = (
        f"London priority rank {area['priority_rank']:.0f}" if listed else f"London need rank {area['need_rank']:.0f}"
    )
    return f"{area['area_name']} ({area['area_code']}), {label}"


def spaces_caption(spaces: pd.DataFrame) -> str:
    """How many spaces a borough has and how many count as inclusive (`page_frames.spaces_table` rows)."""
    counted = int((spaces["Counted as inclusive"] == "yes").sum())
    return (
        f"{len(spaces):,} spaces, {counted:,} counted as inclusive (community, faith, arts and culture). Sources: "
        "GLA Cultural Infrastructure Map; OpenStreetMap places of worship."
    )


#: Registry indicators the map also offers (shown, not scored): the distance to the nearest community space.
DISPLAY_MEASURES = [page_frames.NEAREST_INDICATOR]
#: What the briefing button says its PDF holds.
BRIEFING_HELP = (
    "Page 1 stands alone: the three most important asks with the figures behind them, the map and what "
    "the data cannot say. Pages 2+ are the annex: priorities with how sure each is, the pillar profile, "
    "sources and method."
)


def map_measures(available: list[str]) -> list[str]:
    """What the borough map can be coloured by: the scores and pillars available, then the display measures."""
    options = [m for m in available if page_frames.get_measure(m).kind in ("axis", "pillar")]
    return options + [m for m in DISPLAY_MEASURES if m in available]


def measure_option(measure_id: str) -> str:
    """A measure's label in the borough map's picker, distances marked in metres."""
    measure = page_frames.get_measure(measure_id)
    return measure.label + (" (m)" if measure.unit == "metres" else "")


def map_caption(measure: page_frames.Measure, far_text: str, own_spaces_shown: bool) -> str:
    """The caption under the borough map: its scale, the outlines and the space layers."""
    scale = "Darker = more need, on London's scale. " if measure.higher_is_more_need is not None else ""
    return (
        scale
        + far_text
        + " Pubs and commercial galleries are shown (grey) but not counted as inclusive spaces."
        + (" Your own spaces: dark markers with a white edge." if own_spaces_shown else "")
    )


def borough_actions(sentences: list[str], name: str) -> str:
    """A borough's recommendation 5 actions as a markdown list (`page_text.describe_actions`), or why none."""
    if sentences:
        return "\n".join(f"- {s}" for s in sentences)
    return f"No pillar of {name} is among the {100 - WEAK_AT:.0f}% of boroughs most in need; look at its neighbourhoods below."
