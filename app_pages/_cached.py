"""Cached reads of the package: the one read-only connection and the queries every page shares.

Data is cached with st.cache_data (a copy per caller); what every rerun of a page reads whole (a measure's frame,
the overview's frame, the priority order) is one shared st.cache_resource object that callers must not modify. Both
are keyed by codes only and hold nothing of a session's uploads.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import duckdb
import pandas as pd
import streamlit as st
from streamlit.runtime.scriptrunner import get_script_run_ctx

from cohesion_metrics import db
from cohesion_metrics.build.snapshot import prepare_database
from cohesion_metrics.metadata.levels import LEVELS_BY_CODE
from cohesion_metrics.method import external_check, framework
from cohesion_metrics.outputs import borough_text, safe_csv
from cohesion_metrics.read import page_frames, page_text, queries


@dataclass
class BuildNotice:
    """What the first run said about building the database, for the session that built it, once."""

    message: str
    session_id: str | None
    shown: bool = False


@st.cache_resource(show_spinner="Preparing the database…")
def connection() -> tuple[duckdb.DuckDBPyConnection, BuildNotice | None]:
    """One read-only connection per server process; (re)builds the database from the snapshot if missing or damaged.

    A database that cannot be opened or rebuilt stops the page with a message saying why and what to do (never a
    traceback); the next rerun tries again.
    """
    from cohesion_metrics import errors, settings

    try:
        path, message = prepare_database()
        connection = db.connect(path, read_only=True)
    except (errors.DatabaseUnavailableError, duckdb.Error) as exc:
        st.error(f"The app's data cannot be opened. {exc}", icon=":material/database:")
        st.stop()
    settings.DATABASE_PATH = path  # where it is, if a cache folder was used (geo_static stamps it)
    ctx = get_script_run_ctx(suppress_warning=True)  # the session whose run built it is told, once (build_notice)
    return connection, BuildNotice(message, ctx.session_id if ctx else None) if message else None


def con() -> duckdb.DuckDBPyConnection:
    """The shared read-only connection."""
    return connection()[0]


def build_notice() -> str | None:
    """The build message if this session built the database and has not been told yet (then never again)."""
    notice = connection()[1]
    ctx = get_script_run_ctx(suppress_warning=True)
    if notice is None or notice.shown or ctx is None or ctx.session_id != notice.session_id:
        return None
    notice.shown = True
    return notice.message


@st.cache_data(show_spinner=False)
def area_geojson(level: str, borough_code: str | None = None) -> dict[str, Any]:
    """Cached display GeoJSON for a level."""
    return queries.area_geojson(con(), level, borough_code)


@st.cache_data(show_spinner=False)
def indicator_values(indicator_id: str, level: str, borough_code: str | None = None) -> pd.DataFrame:
    """Cached indicator values for a level."""
    return queries.indicator_values(con(), indicator_id, level, borough_code)


@st.cache_data(show_spinner=False)
def cohesion_areas(level: str, borough_code: str | None = None) -> pd.DataFrame:
    """Cached default framework run for a level."""
    return queries.cohesion_areas(con(), level, borough_code)


@st.cache_data(show_spinner=False)
def level_labels() -> dict[str, str]:
    """The levels with a need score, default first (LSOA 2021 once present), and their labels."""
    return {level: LEVELS_BY_CODE[level].short_label for level in queries.scored_levels(con())}


def neighbourhood_level() -> str:
    """The neighbourhood level the borough explorer maps: LSOA 2021 once it is scored, else LSOA 2011."""
    return "lsoa21" if "lsoa21" in level_labels() else "lsoa11"


@st.cache_data(show_spinner=False)
def boroughs() -> pd.DataFrame:
    """Cached borough list."""
    return queries.boroughs(con())


@st.cache_data(show_spinner=False)
def indicator_matrix(level: str) -> pd.DataFrame:
    """Cached areas x default indicators for a level."""
    return framework.indicator_matrix(con(), level)


@st.cache_data(show_spinner="Re-ranking…", max_entries=32)
def assess(
    level: str,
    weights: str | tuple[tuple[str, float], ...],
    method: str,
    n_draws: int = 1000,
    hazard_weight: float = 0.0,
) -> pd.DataFrame:
    """Cached framework run with user weights (a preset name or (pillar, weight) pairs): the per-area table."""
    w: str | Mapping[str, float] = weights if isinstance(weights, str) else dict(weights)
    by = "indicator" if isinstance(weights, str) else "pillar"
    run = framework.assess(
        indicator_matrix(level),
        level,
        weights=w,
        weights_by=by,
        method=method,  # type: ignore[arg-type]
        n_draws=n_draws,
        hazard_weight=hazard_weight,
    )
    return run.area_table()


@st.cache_data(show_spinner=False)
def external_checks() -> external_check.CheckReport:
    """The independent checks of the need score (default run), computed once per server."""
    return external_check.run_checks(con())


@st.cache_data(show_spinner=False)
def sources() -> pd.DataFrame:
    """Cached source catalogue."""
    return queries.sources(con())


def borough_name(code: str) -> str:
    """A borough's name from its code."""
    table = boroughs()
    return str(table.loc[table["borough_code"] == code, "borough_name"].iloc[0])


def borough_names() -> dict[str, str]:
    """Borough code -> name."""
    table = boroughs()
    return dict(zip(table["borough_code"], table["borough_name"], strict=True))


@st.cache_data(show_spinner=False)
def scored_pillars(level: str) -> list[str]:
    """Cached pillar ids the framework scores at a level."""
    return queries.scored_pillars(con(), level)


@st.cache_data(show_spinner=False)
def area_labels(level: str) -> pd.DataFrame:
    """Cached area labels ("Ward, Borough") for a level."""
    return queries.area_labels(con(), level)


@st.cache_data(show_spinner=False)
def pillar_means(level: str) -> pd.Series:
    """Cached London mean pillar scores for a level."""
    return queries.pillar_means(con(), level)


@st.cache_data(show_spinner=False)
def borough_comparison(borough_codes: tuple[str, ...]) -> pd.DataFrame:
    """Cached comparison of the boroughs' default indicators (long)."""
    return queries.borough_comparison(con(), list(borough_codes))


@st.cache_data(show_spinner="Preparing the story…")
def story_slides() -> list[Any]:
    """Cached story slides (cohesion_metrics.outputs.story.Slide) with their numbers from the database."""
    from cohesion_metrics.outputs import story

    return story.slides(con())


@st.cache_data(show_spinner=False)
def story_sources(source_ids: tuple[str, ...]) -> str:
    """Cached source line of a slide."""
    from cohesion_metrics.outputs import story

    return story.source_titles(con(), source_ids)


@st.cache_data(show_spinner=False)
def measure_ids(level: str) -> list[str]:
    """What can be mapped at a level (cohesion_metrics.read.page_frames.measures_for), as ids."""

    pillars = page_frames.pillars_with_scores(cohesion_areas(level))
    return [m.id for m in page_frames.measures_for(pillars, queries.available_indicators(con(), level))]


@st.cache_resource(show_spinner=False, max_entries=64)
def measure_frame(level: str, measure_id: str, borough_code: str | None = None) -> pd.DataFrame:
    """One row per area of the measure, London ranks (page_frames.measure_frame); optionally one borough's rows.

    One shared frame per argument set (no unpickled copy on every call, several a rerun): callers must not modify it.
    """

    measure = page_frames.get_measure(measure_id)
    values = indicator_values(measure_id, level) if measure.kind == "indicator" else None
    frame = page_frames.measure_frame(cohesion_areas(level), measure, borough_names(), values)
    frame["area_name"] = frame["area_code"].map(place_names(level)).fillna(frame["area_name"])
    return frame if borough_code is None else frame[frame["borough_code"] == borough_code].reset_index(drop=True)


@st.cache_data(show_spinner=False, max_entries=64)
def gaps(level: str, measure_id: str) -> list[str]:
    """Notes on what is missing behind a London map of a measure (page_frames.gaps), once per level and measure."""
    measure = page_frames.get_measure(measure_id)
    return page_frames.gaps(level, measure, measure_frame(level, measure_id), cohesion_areas(level))


@st.cache_data(show_spinner=False)
def priorities(level: str, top: int | None = 10, borough_code: str | None = None) -> pd.DataFrame:
    """Cached high-need / low-capacity areas, ranked (queries.priorities), named as places (with their ward)."""
    table = queries.priorities(con(), level, top=top, borough_code=borough_code)
    table["area_name"] = table["area_code"].map(place_names(level)).fillna(table["area_name"])
    return table


@st.cache_resource(show_spinner=False)
def priority_order(level: str) -> tuple[str, ...]:
    """London's priority areas at `level`, in priority order (codes; shared and immutable)."""
    return tuple(priorities(level, None)["area_code"])


@st.cache_resource(show_spinner=False, max_entries=64)
def overview_frame(level: str, measure_id: str) -> pd.DataFrame:
    """The overview's frame of a measure: for the classes, the priorities first, in the order of the list beside the
    map (page_frames.ordered_like). One shared frame per argument set: callers must not modify it."""
    frame = measure_frame(level, measure_id)
    if page_frames.get_measure(measure_id).kind != "classes":
        return frame
    return page_frames.ordered_like(frame, list(priority_order(level)))


@st.cache_data(show_spinner=False)
def top_ten_list(level: str) -> pd.DataFrame:
    """The list beside the overview map: London's top ten priorities at `level`, described (page_text)."""
    top = priorities(level, None)
    return page_text.beside_map_list(page_text.describe_priorities(top.head(10), borough_names(), len(top)))


@st.cache_data(show_spinner=False)
def place_names(level: str) -> pd.Series:
    """Cached display names of a level's areas by code ("Hackney 021F · Hoxton East & Shoreditch")."""
    return queries.place_names(con(), level)


@st.cache_data(show_spinner=False)
def action_sentences(level: str, area_code: str) -> list[str]:
    """Cached recommendation 5 sentences of one area, with their figures (page_text.describe_actions)."""
    return page_text.describe_actions(queries.actions(con(), level, area_code), level)


@st.cache_data(show_spinner=False)
def neighbours(borough_code: str) -> pd.DataFrame:
    """Cached statistical neighbours of a borough (queries.neighbours)."""
    return queries.neighbours(con(), borough_code)


@st.cache_data(show_spinner=False)
def borough_spaces(borough_code: str) -> pd.DataFrame:
    """A borough's inclusive spaces with map group, plain type and whether counted (views.spaces_frame)."""

    names = place_names("lsoa11").to_dict()
    return page_frames.spaces_frame(queries.spaces(con(), borough_code), names)


@st.cache_data(show_spinner=False)
def spaces_table(borough_code: str) -> tuple[pd.DataFrame, bytes]:
    """A borough's spaces as the page lists them (page_frames.spaces_table) and as spreadsheet-safe CSV bytes."""
    table = page_frames.spaces_table(borough_spaces(borough_code))
    return table, safe_csv.to_csv_bytes(table)


@st.cache_data(show_spinner=False)
def farthest(level: str, borough_code: str) -> pd.DataFrame:
    """The borough's neighbourhoods farthest from a community space (page_frames.farthest)."""
    return page_frames.farthest(indicator_values(page_frames.NEAREST_INDICATOR, level, borough_code))


@st.cache_data(show_spinner=False, max_entries=256)
def neighbourhood_table(level: str, measure_id: str, borough_code: str) -> pd.DataFrame:
    """The borough explorer's table of neighbourhoods on a measure, those far from a community space marked."""
    frame = measure_frame(level, measure_id, borough_code)
    far = far_from_community(borough_code)
    return borough_text.neighbourhood_table(frame, page_frames.get_measure(measure_id), far)


@st.cache_data(show_spinner=False)
def far_from_community(borough_code: str) -> list[str]:
    """A borough's LSOAs where most residents live beyond 800 m of a community centre or library."""

    return page_frames.far_from_community(
        indicator_values(page_frames.FAR_INDICATOR, neighbourhood_level(), borough_code)
    )
