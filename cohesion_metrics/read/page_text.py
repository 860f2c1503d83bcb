"""Plain-English text for the pages and the briefing, built from the figures: how sure a rank is, gaps, actions.

No Streamlit and no SQL: the inputs are frames from `queries` and `page_frames`.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping

import pandas as pd

from cohesion_metrics.metadata import numbers
from cohesion_metrics.metadata.boroughs import CITY_OF_LONDON
from cohesion_metrics.metadata.indicators import (
    INDICATORS,
    INDICATORS_BY_ID,
    PILLARS_BY_ID,
)
from cohesion_metrics.metadata.levels import LEVELS_BY_CODE
from cohesion_metrics.method.classify import RECOMMENDATION_5, WEAK_AT

#: Column prefix of the pillar scores in `queries.cohesion_areas`.
PILLAR_PREFIX = "pillar__"

TOP10_HEADING = "How sure: in London's top 10 in"


RANGE_HEADING = "Likely rank range"


#: The short list beside a map: its columns and their short headings (the full table under the map has the scores).
BESIDE_MAP_COLUMNS = {"Place": "Place", TOP10_HEADING: "Top 10 in", RANGE_HEADING: "Likely rank"}


def beside_map_list(listed: pd.DataFrame) -> pd.DataFrame:
    """`describe_priorities` cut to what fits beside a map at 1366 px, headings whole.

    Place, how sure ("Top 10 in 26% of re-runs") and the likely rank; the caption under it says what they mean.
    """
    return listed[list(BESIDE_MAP_COLUMNS)].rename(columns=BESIDE_MAP_COLUMNS)


def certainty_words(share: pd.Series) -> pd.Series:
    """Shares of re-runs (0..1) as "93% of re-runs" ("" where there is no share)."""
    pct = (100 * share.astype("float64")).round(0)
    words = pct.map(lambda v: "" if pd.isna(v) else f"{v:.0f}% of re-runs")
    return words.astype("str")


def top10_sentence(share: float) -> str:
    """Say one area's top-10 share in words: in London's top 10 in 93% of re-runs."""
    return "" if pd.isna(share) else f"in London's top 10 in {100 * share:.0f}% of re-runs"


def likely_range(p05: pd.Series, p95: pd.Series, listed: int | None = None) -> pd.Series:
    """The 5-95% rank interval as "9–233" (thousands separated), "" where there is none.

    For the priority, `listed` is the number of places on the list: an end beyond it (in some re-runs the place's
    capacity is not below the median) reads "not listed", e.g. "1–not listed".
    """
    lo, hi = p05.astype("float64").round(0), p95.astype("float64").round(0)

    def end(b: float) -> str:
        return "not listed" if listed is not None and b > listed else f"{b:,.0f}"

    text = [
        "" if pd.isna(a) or pd.isna(b) else (f"{a:,.0f}" if a == b else f"{a:,.0f}–{end(b)}")
        for a, b in zip(lo, hi, strict=True)
    ]
    return pd.Series(text, index=p05.index, dtype="str")


def _names(names: list[str], n_max: int = 4) -> str:
    if len(names) <= n_max:
        return ", ".join(names[:-1]) + (" and " if len(names) > 1 else "") + names[-1]
    return ", ".join(names[:n_max]) + f" and {len(names) - n_max} more"


def format_value(value: float, unit: str) -> str:
    """Format a value as a reader would say it, in the app's one number style: 23.4%, 812 m, 0.21 (numbers.py)."""
    kind = numbers.kind_for_unit(unit)
    out = numbers.text(value, kind)
    if kind == "rate" and out != numbers.MISSING:
        out += f" {unit}"
    return out


def _compared(percentile: float, higher_is_more_need: bool | None, many: str) -> str:
    """'higher than 97% of boroughs' from a need-oriented London percentile (share of the other areas)."""
    word = "lower" if higher_is_more_need is False else "higher"
    if percentile >= 99.95:
        return f"the {'lowest' if word == 'lower' else 'highest'} of all {many}"
    return f"{word} than {math.floor(percentile)}% of {many}"  # floor: never claim 100% for the runner-up


def _indicator_phrase(row: pd.Series, many: str) -> str:
    ind = INDICATORS_BY_ID.get(str(row["indicator"]))
    if ind is None or pd.isna(row["value"]):
        return ""
    label = ind.label.split(" (")[0]
    label = label[0].lower() + label[1:] if not label[:2].isupper() else label
    return f"{label} {format_value(float(row['value']), ind.unit)}, " + _compared(
        float(row["percentile"]), ind.higher_is_more_need, many
    )


def describe_actions(actions: pd.DataFrame, level: str) -> list[str]:
    """One sentence per recommendation 5 action (`queries.actions` for one area), with the figures behind it."""
    many = LEVELS_BY_CODE[level].nouns
    out: list[str] = []
    for (_, letter), rows in actions.groupby(["action_rank", "action"], sort=True):
        figures = "; ".join(p for p in (_indicator_phrase(r, many) for _, r in rows.iterrows()) if p)
        if letter == "f":
            lead = (
                f"every cohesion-capacity pillar is among the {100 - WEAK_AT:.0f}% of {many} most in need, so "
                "separate programmes have little to build on"
            )
        else:
            pillar = PILLARS_BY_ID[str(rows["pillar"].iloc[0])].label
            which = "pillar score" if pillar == RECOMMENDATION_5[str(letter)] else f"{pillar.lower()} pillar"
            lead = f"{which} is {_compared(float(rows['pillar_percentile'].iloc[0]), True, many)}"
        out.append(f"**({letter}) {RECOMMENDATION_5[str(letter)]}** ({lead})" + (f": {figures}." if figures else "."))
    return out


def describe_priorities(
    priorities: pd.DataFrame, borough_names: Mapping[str, str], listed: int | None = None
) -> pd.DataFrame:
    """`queries.priorities` as a plain-English table: place, borough, need, capacity, how sure and the likely range.

    `listed` (the number of places on the level's list) turns a likely range past its end into "not listed".
    """
    return pd.DataFrame(
        {
            "#": priorities["priority_rank"].astype("Int64").to_numpy(),
            "Place": priorities["area_name"].to_numpy(),
            "Borough": priorities["borough_code"].map(borough_names).to_numpy(),
            "Need (0-1)": priorities["need"].round(2).to_numpy(),
            "Cohesion capacity (0-1)": priorities["capacity"].round(2).to_numpy(),
            TOP10_HEADING: certainty_words(priorities["priority_top10_share"]).to_numpy(),
            RANGE_HEADING: likely_range(
                priorities["priority_rank_p05"], priorities["priority_rank_p95"], listed
            ).to_numpy(),
            "Exposed to hazards": priorities["exposed"].map({True: "yes", False: ""}).fillna("").to_numpy(),
        }
    )


#: Why a pillar is missing for the City of London, where the registry notes do not say.
_MISSING_REASONS = {
    "trust": "The police-confidence survey (MOPAC) covers the Metropolitan Police area; the City has its own force.",
}


def borough_gaps(row: pd.Series, name: str, n_neighbours: int, measured: Iterable[str] | None = None) -> list[str]:
    """Say which pillars a borough has no data for (a `queries.cohesion_areas` borough row), and what follows.

    `measured` (pillar ids scored for some borough) leaves out pillars no borough has; by default every pillar.
    """
    keep = set(measured) if measured is not None else None
    lacking = [
        c[len(PILLAR_PREFIX) :]
        for c in row.index
        if c.startswith(PILLAR_PREFIX) and pd.isna(row[c]) and (keep is None or c[len(PILLAR_PREFIX) :] in keep)
    ]
    if not lacking:
        return []
    labels = [f"*{PILLARS_BY_ID[p].label.lower()}*" for p in lacking]
    is_city = row.get("area_code", row.name) == CITY_OF_LONDON
    reasons = sorted(
        {i.note for i in INDICATORS if i.pillar in lacking and "City of London" in i.note}
        | {_MISSING_REASONS[p] for p in lacking if p in _MISSING_REASONS and is_city}
    )
    text = (
        f"{name} has no data for {_names(labels)}: its scores rest on the other pillars "
        f"({row['coverage']:.0%} of the framework's weight)"
        + (", and it has no statistical neighbours." if n_neighbours == 0 else ".")
    )
    return [text + "".join(f" {r}" for r in reasons)]
