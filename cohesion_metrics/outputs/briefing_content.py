"""What a borough briefing says: every figure and sentence gathered from the database (`briefing_content`).

The same queries and sentences as the borough explorer; only indicators above London's 70th percentile are cited as
reasons for an ask. What is missing for the borough is said, never filled in.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

import duckdb
import pandas as pd

from cohesion_metrics.db import query
from cohesion_metrics.figures import map_sources, pillar_profile, png_maps
from cohesion_metrics.metadata.indicators import INDICATORS_BY_ID
from cohesion_metrics.metadata.levels import LEVELS_BY_CODE
from cohesion_metrics.metadata.spaces import SPACE_MAP_GROUPS
from cohesion_metrics.method import framework
from cohesion_metrics.method.classify import RECOMMENDATION_5
from cohesion_metrics.outputs import safe_csv
from cohesion_metrics.read import page_frames, page_text, queries

APP_NAME = "London cohesion & resilience dashboard"
#: Priority neighbourhoods listed (and numbered on the map); neighbourhoods whose actions are spelled out.
TOP_PRIORITIES, TOP_ACTION_AREAS = 10, 3
#: The three asks on page 1; at most this many "what the data cannot say" notes there (the rest in the annex).
N_ASKS, PAGE1_GAPS = 3, 3
#: What the briefing uses each source for: the values at a level (by its noun), the spaces, the boundaries.
_ROLE_TEXT = {
    "borough": "borough scores, profile and actions",
    "neighbourhood": "neighbourhood scores, priorities and map",
    "spaces": "inclusive spaces on the map",
    "boundaries": "map boundaries",
}


def _possessive(name: str) -> str:
    """The possessive of a place name: Camden's, Tower Hamlets'."""
    return f"{name}'" if name.endswith("s") else f"{name}'s"


@dataclass(frozen=True)
class Briefing:
    """Everything a borough briefing says, as figures and sentences taken from the database."""

    borough_code: str
    borough_name: str
    generated_on: dt.date
    #: The borough's `queries.cohesion_areas("borough")` row, and the number of boroughs ranked.
    headline: pd.Series
    n_ranked: int
    #: The neighbourhood level (LSOA 2021 once scored, else LSOA 2011) and its counts.
    level: str
    n_lsoas: int
    n_lsoas_london: int
    #: The borough's priority neighbourhoods, London's priority order (`queries.priorities`).
    priorities: pd.DataFrame
    n_priorities_london: int
    #: Neighbourhoods listed: the priorities, or where there are none those with the most need.
    listed: pd.DataFrame
    profile: pd.DataFrame
    neighbours: pd.DataFrame
    borough_actions: list[str]
    area_actions: list[tuple[str, str, list[str]]]
    asks: list[str]
    action_figures: pd.DataFrame
    spaces: dict[str, int]
    far_from_community: list[str]
    gaps: list[str]
    sources: pd.DataFrame

    @property
    def file_name(self) -> str:
        """The download's file name: ``london-cohesion_camden_briefing_2024-06-01.pdf``."""
        return safe_csv.file_name(self.borough_name, "briefing", ext="pdf", on=self.generated_on)


# --- Content --------------------------------------------------------------------------------------------------------


def _figure_sources(con: duckdb.DuckDBPyConnection, rows: pd.DataFrame, level: str) -> pd.DataFrame:
    """Source id and vintage of the values of `rows`' areas and indicators at `level`, one row each."""
    if rows.empty:
        return pd.DataFrame(columns=["area_code", "indicator", "source_id", "vintage"])
    return query(
        con,
        "SELECT area_code, indicator_id AS indicator, source_id, vintage FROM core_indicators__values "
        "WHERE area_level = ? AND area_code IN (SELECT unnest(?)) AND indicator_id IN (SELECT unnest(?))",
        [level, sorted(set(rows["area_code"])), sorted(set(rows["indicator"]))],
    )


def _action_rows(con: duckdb.DuckDBPyConnection, level: str, area_code: str, area_name: str) -> pd.DataFrame:
    """The figures behind an area's recommendation 5 actions with their sources and vintages."""
    acts = queries.actions(con, level, area_code)
    acts = acts[acts["value"].notna()].drop_duplicates(["action", "indicator"])
    origin = _figure_sources(con, acts, level)
    out = acts.merge(origin, on=["area_code", "indicator"], how="left")
    return pd.DataFrame(
        {
            "area": area_name,
            "level": level,
            "action": out["action"].map(lambda a: f"({a}) {RECOMMENDATION_5[str(a)]}"),
            "indicator": out["indicator"].map(lambda i: INDICATORS_BY_ID[str(i)].label),
            "value": [
                page_text.format_value(float(v), INDICATORS_BY_ID[str(i)].unit)
                for v, i in zip(out["value"], out["indicator"], strict=True)
            ],
            "percentile": out["percentile"].astype("float64"),
            "source_id": out["source_id"],
            # A space-based figure also counts spaces from other sources (places of worship from OpenStreetMap).
            "source_ids": [
                tuple(dict.fromkeys([s, *map_sources.space_source_ids(con, [str(i)])])) if isinstance(s, str) else ()
                for s, i in zip(out["source_id"], out["indicator"], strict=True)
            ],
            "vintage": out["vintage"],
        }
    )


def _sources(con: duckdb.DuckDBPyConnection, lsoa_codes: Sequence[str], level: str = "lsoa11") -> pd.DataFrame:
    """The sources behind the briefing's figures and map, one row each.

    Columns of `map_sources.source_rows`, with vintage_used from the values only, roles ("values;spaces"...) and
    used_for, in words.
    """
    parts = [
        map_sources.source_rows(
            con, "borough", [i.id for i in framework.default_indicators("borough")], boundaries=False
        ).assign(level="borough"),
        map_sources.source_rows(
            con,
            level,
            [i.id for i in framework.default_indicators(level)] + [page_frames.FAR_INDICATOR],
            area_codes=list(lsoa_codes),
            spaces=True,
        ).assign(level=level),
    ]
    rows = pd.concat(parts, ignore_index=True)
    rows["used_for"] = [
        _ROLE_TEXT[LEVELS_BY_CODE[lvl].noun if role == "values" else role]
        for lvl, role in zip(rows["level"], rows["role"], strict=True)
    ]
    values = rows[rows["role"] == "values"]
    vintages = values.groupby("source_id", sort=False)["vintage_used"].agg(lambda v: "; ".join(dict.fromkeys(v)))
    used = rows.groupby("source_id", sort=False)["used_for"].agg(lambda v: "; ".join(dict.fromkeys(v)))
    first = rows.drop_duplicates("source_id").set_index("source_id")
    roles = rows.groupby("source_id", sort=False)["role"].agg(lambda v: ";".join(dict.fromkeys(v))).rename("roles")
    out = first.drop(columns=["role", "level", "used_for", "vintage_used"]).join(vintages).join(used).join(roles)
    out["vintage_used"] = out["vintage_used"].fillna(out["vintage"])
    return out.reset_index().sort_values("title", kind="stable").reset_index(drop=True)


def briefing_content(
    con: duckdb.DuckDBPyConnection, borough_code: str, *, generated_on: dt.date | None = None
) -> Briefing:
    """Gather a borough's briefing from the database: figures, sentences, gaps and sources."""
    boroughs = queries.boroughs(con)
    names = dict(zip(boroughs["borough_code"], boroughs["borough_name"], strict=True))
    if borough_code not in names:
        raise ValueError(f"unknown borough code {borough_code!r}: expected one of {min(names)}..{max(names)}")
    name = names[borough_code]
    areas = queries.cohesion_areas(con, "borough")
    row = areas.set_index("area_code").loc[borough_code]
    near = queries.neighbours(con, borough_code)

    level = neighbourhood_level(con)
    lsoa_london = queries.cohesion_areas(con, level)
    lsoa = lsoa_london[lsoa_london["borough_code"] == borough_code].reset_index(drop=True)
    need = page_frames.get_measure(page_frames.NEED)
    frame = page_frames.measure_frame(lsoa, need, names)
    every_priority = queries.priorities(con, level, top=None, borough_code=borough_code)
    london_priorities = int(
        query(con, "SELECT count(*) AS n FROM out_cohesion__priorities WHERE area_level = ?", [level])["n"].iloc[0]
    )
    listed = every_priority.head(TOP_PRIORITIES) if len(every_priority) else frame.head(5)

    # What is missing for this borough; the data gaps London-wide ("Missing: ...") go under Method instead.
    gaps = page_text.borough_gaps(row, name, len(near), measured=page_frames.pillars_with_scores(areas))
    gaps += [n for n in page_frames.gaps(level, need, frame, lsoa) if not n.startswith("Missing: ")]
    if len(every_priority) == 0:
        gaps.append(
            f"None of {_possessive(name)} neighbourhoods has cohesion capacity below London's median: no priority "
            "neighbourhoods are listed or numbered on the map."
        )

    borough_actions = page_text.describe_actions(queries.actions(con, "borough", borough_code), "borough")
    figures = [_action_rows(con, "borough", borough_code, name)]
    area_actions: list[tuple[str, str, list[str]]] = []
    for code, area_name in zip(listed["area_code"].head(TOP_ACTION_AREAS), listed["area_name"], strict=False):
        area_actions.append(
            (str(code), str(area_name), page_text.describe_actions(queries.actions(con, level, code), level))
        )
        figures.append(_action_rows(con, level, str(code), str(area_name)))

    spaces = png_maps.borough_spaces(con, borough_code)
    far = page_frames.far_from_community(queries.indicator_values(con, page_frames.FAR_INDICATOR, level, borough_code))
    profile = pillar_profile.profile_frame(areas, borough_code, near["borough_code"].tolist(), names)
    return Briefing(
        borough_code=borough_code,
        borough_name=name,
        generated_on=generated_on or dt.date.today(),
        headline=row,
        n_ranked=int(areas["need_rank"].notna().sum()),
        level=level,
        n_lsoas=len(lsoa),
        n_lsoas_london=int(lsoa_london["need_rank"].notna().sum()),
        priorities=every_priority,
        n_priorities_london=london_priorities,
        listed=listed,
        profile=profile,
        neighbours=near,
        borough_actions=borough_actions,
        area_actions=area_actions,
        asks=three_asks(name, every_priority, borough_actions, area_actions),
        action_figures=pd.concat(figures, ignore_index=True),
        spaces={g: int((spaces["group"] == g).sum()) for g in SPACE_MAP_GROUPS},
        far_from_community=far,
        gaps=gaps,
        sources=_sources(con, lsoa["area_code"].tolist(), level),
    )


def _int(value: object) -> str:
    return "n/a" if value is None or pd.isna(value) else f"{float(value):.0f}"  # type: ignore[arg-type]


def neighbourhood_level(con: duckdb.DuckDBPyConnection) -> str:
    """The briefing's neighbourhood level: LSOA 2021 once it is scored, else LSOA 2011 (the IoD2019 vintage)."""
    return "lsoa21" if "lsoa21" in queries.scored_levels(con) else "lsoa11"


def three_asks(
    name: str,
    priorities: pd.DataFrame,
    borough_actions: Sequence[str],
    area_actions: Sequence[tuple[str, str, list[str]]],
) -> list[str]:
    """The three most important asks, in plain words with the figures behind them.

    First where (the first priority neighbourhoods, with how sure the first is), then what to fund: the borough's
    first recommendation 5 actions, then those of its first priority neighbourhood, until there are three.
    """
    asks: list[str] = []
    if len(priorities):
        first = priorities.head(3)
        places = ", ".join(str(a) for a in first["area_name"])
        share = first["priority_top10_share"].iloc[0]
        sure = (
            f"; {first['area_name'].iloc[0]} is {page_text.top10_sentence(float(share))}"
            if pd.notna(share) and share > 0
            else ""
        )
        asks.append(
            f"**Embed cohesion first in {places}**: the most need among {_possessive(name)} neighbourhoods whose "
            f"cohesion capacity is below London's median (London priority {_int(first['priority_rank'].iloc[0])}"
            f"{sure})."
        )
    for line in [*borough_actions, *(line for _, _, lines in area_actions[:1] for line in lines)]:
        if len(asks) >= N_ASKS:
            break
        if line not in asks:
            asks.append(line)
    return asks


# --- Charts ---------------------------------------------------------------------------------------------------------
