"""What every page shares: the cached read-only connection, cached queries, and the URL-bound choices.

Shareable state lives in the URL: widgets use `bind="query-params"` with these keys, so a copied link opens the
same view. Session state holds nothing else.
"""

from __future__ import annotations

import itertools
import threading
import time
from collections import deque
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import duckdb
import pandas as pd
import streamlit as st
from streamlit.runtime.scriptrunner import get_script_run_ctx

from cohesion_metrics import db
from cohesion_metrics.build.snapshot import prepare_database
from cohesion_metrics.metadata.levels import LEVELS_BY_CODE
from cohesion_metrics.metadata.spaces import SPACE_MAP_GROUPS
from cohesion_metrics.method import external_check, framework
from cohesion_metrics.read import queries

#: URL query-parameter keys (also the widget keys).
BOROUGH, LEVEL, INDICATOR, PRESET, METHOD = "borough", "level", "indicator", "weights", "method"


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


# --- Compare, weights and story pages -------------------------------------------------------------------------------

#: More URL keys: the boroughs compared, the story slide, and one custom weight per pillar ("w_<pillar id>").
BOROUGHS, SLIDE, WEIGHT_PREFIX = "boroughs", "slide", "w_"
PRESET_LABELS = {
    "equal_pillars": "Equal across pillars",
    "equal_indicators": "Equal across indicators",
    "custom": "Custom (pillar sliders)",
}
METHOD_LABELS = {"rank": "Percentile rank", "minmax": "Min-max", "zscore": "z-score"}


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
def borough_label_points() -> pd.DataFrame:
    """Cached label points of the boroughs (lon, lat) with their short names, for London maps."""
    from cohesion_metrics.figures import maps
    from cohesion_metrics.metadata import places

    points = maps.label_points(area_geojson("borough"))
    return points.assign(label=points["area_code"].map(borough_names()).map(places.short_borough_name))


@st.cache_data(show_spinner=False)
def story_sources(source_ids: tuple[str, ...]) -> str:
    """Cached source line of a slide."""
    from cohesion_metrics.outputs import story

    return story.source_titles(con(), source_ids)


# --- London overview and borough explorer ----------------------------------------------------------------------------

#: URL keys of the borough explorer: what its LSOA map shows, and which space layers are on.
MEASURE, SPACES = "measure", "spaces"
# Figures are cached with st.cache_resource: one shared object per argument set, no pickling on a rerun (for an
# LSOA map that saves ~90 ms). st.plotly_chart serialises a copy; callers must not modify a returned figure.


def default_first(options: list[str], default: str) -> list[str]:
    """`options` with `default` moved to the front (a widget's default), if it is offered."""
    return [default, *(o for o in options if o != default)] if default in options else options


def ordered_like(frame: pd.DataFrame, codes: list[str]) -> pd.DataFrame:
    """`frame` with the areas of `codes` first, in that order, then the rest in their own order."""
    position = {c: i for i, c in enumerate(codes)}
    key = frame["area_code"].map(position).fillna(len(codes))
    return frame.iloc[key.argsort(kind="stable")].reset_index(drop=True)


def code_from_url(key: str, codes: list[str]) -> None:
    """Let a hand-written link use codes (``?level=lsoa11``, ``?borough=E09000012``) for a bound widget.

    Bound widgets keep their *labels* in the URL, so a copied link opens the same view as it is. A code is not a
    label: on the session's first run it is put into session state before the widget is drawn, and the widget
    starts there (Streamlit drops the code from the URL). On later runs a value that is not the default and is
    missing from the URL is assigned again, which makes Streamlit write its label back into the URL, so a link
    copied after any interaction restores the whole view. Call just before the widget; `codes[0]` is its default.
    """
    value = st.query_params.get(key)
    if key not in st.session_state:
        if value in codes:
            st.session_state[key] = value
    elif key not in st.query_params and st.session_state[key] in codes[1:]:
        st.session_state[key] = st.session_state[key]


def codes_from_url(key: str, codes: list[str]) -> bool:
    """`code_from_url` for a multiselect: ``?boroughs=E09000012&boroughs=E09000007`` (or comma-separated codes).

    On the session's first run, codes found in the URL become the widget's value; return whether the widget's
    value is in session state (so the caller passes no `default`, which Streamlit refuses beside a state value).
    """
    if key not in st.session_state:
        found = [v.strip() for raw in st.query_params.get_all(key) for v in raw.split(",")]
        picked = list(dict.fromkeys(v for v in found if v in codes))
        if picked:
            st.session_state[key] = picked
    return key in st.session_state


@st.cache_resource(show_spinner="Preparing the map outlines…")
def static_geo() -> Any:
    """Display GeoJSON files under static/geo, written once per database (cohesion_metrics.figures.geojson_files).

    None when static/ cannot be written (a read-only install): the maps then embed their outlines (slower), and
    `static_geo_problem` says why.
    """
    from cohesion_metrics import settings
    from cohesion_metrics.figures import geojson_files

    levels = tuple(dict.fromkeys(("borough", *framework.levels_in(con()))))
    try:
        return geojson_files.ensure_static_geojson(
            con(), stamp=geojson_files.database_stamp(settings.DATABASE_PATH), levels=levels
        )
    except OSError as exc:
        _static_problem.append(
            f"{geojson_files.STATIC_DIR / geojson_files.GEO_FOLDER} cannot be written ({exc.strerror})"
        )
        return None


_static_problem: list[str] = []


def static_geo_problem() -> str | None:
    """Why the map outlines are embedded in each map instead of served as static files, if they are."""
    static_geo()
    return _static_problem[-1] if _static_problem else None


def geo_url(level: str) -> Any:
    """Relative URL of a level's static GeoJSON, for plotly (fetched once by the browser); the GeoJSON itself when
    static files cannot be written."""
    geo = static_geo()
    return str(geo.url(level)) if geo is not None else area_geojson(level)


def borough_names() -> dict[str, str]:
    """Borough code -> name."""
    table = boroughs()
    return dict(zip(table["borough_code"], table["borough_name"], strict=True))


@st.cache_data(show_spinner=False)
def measure_ids(level: str) -> list[str]:
    """What can be mapped at a level (cohesion_metrics.read.page_frames.measures_for), as ids."""
    from cohesion_metrics.read import page_frames

    pillars = page_frames.pillars_with_scores(cohesion_areas(level))
    return [m.id for m in page_frames.measures_for(pillars, queries.available_indicators(con(), level))]


@st.cache_data(show_spinner=False, max_entries=64)
def measure_frame(level: str, measure_id: str, borough_code: str | None = None) -> pd.DataFrame:
    """One row per area of the measure, London ranks (views.measure_frame); optionally one borough's rows."""
    from cohesion_metrics.read import page_frames

    measure = page_frames.get_measure(measure_id)
    values = indicator_values(measure_id, level) if measure.kind == "indicator" else None
    frame = page_frames.measure_frame(cohesion_areas(level), measure, borough_names(), values)
    frame["area_name"] = frame["area_code"].map(place_names(level)).fillna(frame["area_name"])
    return frame if borough_code is None else frame[frame["borough_code"] == borough_code].reset_index(drop=True)


@st.cache_resource(show_spinner=False, max_entries=64)
def overview_map(level: str, measure_id: str) -> Any:
    """The overview's London map of a measure: flat SVG (fast for thousands of areas), borough outlines on top."""
    from cohesion_metrics.figures import maps
    from cohesion_metrics.read import page_frames

    measure, frame = page_frames.get_measure(measure_id), measure_frame(level, measure_id)
    outlines = geo_url("borough") if level != "borough" else None
    flat = {"flat": True, "outline_codes": list(borough_names()), "uirevision": level}
    if measure.kind == "classes":
        fig = maps.classes_map(geo_url(level), frame, outlines=outlines, **flat)
        exposed = frame.loc[frame["exposed"], "area_code"].tolist()
        if exposed:  # the overlay: high need, low capacity and in London's most exposed third for hazards
            maps.add_outlined_areas(
                fig,
                geo_url(level),
                exposed,
                name="Yellow outline: high need, low capacity<br>and exposed (hazard in London's top third)",
                colour="#f0e442",
                width=2.5,
                flat=True,
            )
        return maps.index_features(fig, geo_url(level), feature_index(level))
    fig = maps.measure_map(
        geo_url(level),
        frame,
        label=measure.label,
        unit=measure.short_unit,
        outlines=outlines,
        higher_is_more_need=measure.higher_is_more_need,
        has_interval=measure.has_interval,
        colorbar_title=page_frames.value_column(measure),
        **flat,
    )
    return maps.index_features(fig, geo_url(level), feature_index(level))


@st.cache_data(show_spinner=False)
def feature_index(level: str) -> dict[str, int]:
    """Area code -> position of its feature in the level's static GeoJSON (codes in order, as geo_static writes)."""
    codes = queries.areas(con(), level)["area_code"]
    return {str(c): i for i, c in enumerate(codes)}


def flat_map_config(config: Mapping[str, Any]) -> dict[str, Any]:
    """Plotly config for a flat (geo subplot) map: its topojson comes from this server, not plotly's CDN."""
    from cohesion_metrics.figures import geojson_files

    static_geo()  # writes the empty topojson beside the GeoJSON files
    return {**config, "topojsonURL": geojson_files.TOPOJSON_URL}


@st.cache_data(show_spinner=False)
def priorities(level: str, top: int | None = 10, borough_code: str | None = None) -> pd.DataFrame:
    """Cached high-need / low-capacity areas, ranked (queries.priorities), named as places (with their ward)."""
    table = queries.priorities(con(), level, top=top, borough_code=borough_code)
    table["area_name"] = table["area_code"].map(place_names(level)).fillna(table["area_name"])
    return table


@st.cache_data(show_spinner=False)
def place_names(level: str) -> pd.Series:
    """Cached display names of a level's areas by code ("Hackney 021F · Hoxton East & Shoreditch")."""
    return queries.place_names(con(), level)


@st.cache_data(show_spinner=False)
def actions(level: str, area_code: str) -> pd.DataFrame:
    """Cached recommendation 5 actions of one area (queries.actions)."""
    return queries.actions(con(), level, area_code)


@st.cache_data(show_spinner=False)
def neighbours(borough_code: str) -> pd.DataFrame:
    """Cached statistical neighbours of a borough (queries.neighbours)."""
    return queries.neighbours(con(), borough_code)


@st.cache_data(show_spinner=False)
def borough_spaces(borough_code: str) -> pd.DataFrame:
    """A borough's inclusive spaces with map group, plain type and whether counted (views.spaces_frame)."""
    from cohesion_metrics.read import page_frames

    names = place_names("lsoa11").to_dict()
    return page_frames.spaces_frame(queries.spaces(con(), borough_code), names)


@st.cache_data(show_spinner=False)
def far_from_community(borough_code: str) -> list[str]:
    """A borough's LSOAs where most residents live beyond 800 m of a community centre or library."""
    from cohesion_metrics.read import page_frames

    return page_frames.far_from_community(
        indicator_values(page_frames.FAR_INDICATOR, neighbourhood_level(), borough_code)
    )


@st.cache_resource(show_spinner=False, max_entries=64)
def borough_map(borough_code: str, measure_id: str, groups: tuple[str, ...], outline_far: bool = True) -> Any:
    """A borough's LSOA map of a measure, its space layers and (`outline_far`) its neighbourhoods far from a
    community space. A session with its own spaces outlines its own list instead, on a copy (see borough.py)."""
    from cohesion_metrics.figures import maps
    from cohesion_metrics.read import page_frames

    level = neighbourhood_level()
    measure, frame = page_frames.get_measure(measure_id), measure_frame(level, measure_id, borough_code)
    bounds = maps.geojson_bounds(area_geojson("borough"), [borough_code])
    london = measure_frame(level, measure_id)["value"]
    fig = maps.measure_map(
        geo_url(level),
        frame,
        label=measure.label,
        unit=measure.short_unit,
        outlines=geo_url("borough"),
        higher_is_more_need=measure.higher_is_more_need,
        has_interval=measure.has_interval,
        bounds=bounds,
        opacity=0.75,
        uirevision=borough_code,
        colorbar_title=page_frames.value_column(measure),
        width=780,
        height=540,  # the view is fitted to the smallest map frame (1366 x 768); the map stretches to its frame
        value_range=(float(london.min()), float(london.max())),  # London's scale: colours compare across boroughs
        reserve_top=26 * (len(groups) + 2),  # room for the legend of layers
    )
    if outline_far:
        outline_far_areas(fig, far_from_community(borough_code))
    spaces = borough_spaces(borough_code)
    for colour, (group, (label, _, _)) in zip(maps.POINT_COLOURS, SPACE_MAP_GROUPS.items(), strict=False):
        if group in groups:
            maps.add_points(
                fig,
                spaces[spaces["group"] == group],
                name=label,
                colour=colour,
                size=7 if group == "not_counted" else 10,
            )
    return fig


def outline_far_areas(fig: Any, codes: list[str]) -> None:
    """Outline in black the neighbourhoods where most residents live beyond 800 m of a community space."""
    from cohesion_metrics.figures import maps

    if codes:
        maps.add_outlined_areas(
            fig,
            geo_url(neighbourhood_level()),
            codes,
            name="Black outline: most residents live beyond<br>800 m of a community centre or library",
        )


@st.cache_resource(show_spinner=False, max_entries=64)
def borough_picker(selected: str) -> Any:
    """The small clickable London map of the borough explorer, the selected borough filled."""
    from cohesion_metrics.figures import maps

    table = boroughs().rename(columns={"borough_code": "area_code", "borough_name": "area_name"})
    return maps.borough_picker(geo_url("borough"), table, selected)


@st.cache_resource(show_spinner=False, max_entries=64)
def borough_profile(borough_code: str) -> Any:
    """The borough's pillar profile against London and its statistical neighbours (charts_profile)."""
    from cohesion_metrics.figures import pillar_profile

    codes = neighbours(borough_code)["borough_code"].tolist()
    frame = pillar_profile.profile_frame(cohesion_areas("borough"), borough_code, codes, borough_names())
    return pillar_profile.profile_chart(frame)


@st.cache_resource(show_spinner=False, max_entries=64)
def bivariate_legend(counts: tuple[tuple[int, int], ...], unit: str) -> Any:
    """The 3 x 3 need x capacity legend with the number of areas in each class ((code, count) pairs)."""
    from cohesion_metrics.figures import maps

    return maps.bivariate_legend(dict(counts), unit=unit)


def show_table(table: pd.DataFrame, *, key: str, height: int | str = "auto", **kwargs: Any) -> None:
    """A table in the app's one number style (cohesion_metrics.metadata.numbers), every heading wide enough to read whole.

    Numeric columns are formatted by the kind their heading names (ranks with separators, scores 2 decimals,
    percentages as percentages); text columns are as wide as their heading or longest value, up to 380 px.
    """
    from cohesion_metrics.metadata import numbers

    shown = table.copy()
    config: dict[str, Any] = {}
    for col in shown.columns:
        heading = str(col)
        head_px = 8 * len(heading) + 36  # ~8 px a character at the table's 14 px, plus the sort icon
        if pd.api.types.is_numeric_dtype(shown[col]) and not pd.api.types.is_bool_dtype(shown[col]):
            kind = numbers.kind_for_heading(heading)
            shown[col] = numbers.for_display(shown[col], kind)
            config[heading] = st.column_config.NumberColumn(heading, format=numbers.column_format(kind), width=head_px)
        else:
            longest = int(shown[col].astype(str).str.len().max()) if len(shown) else 0
            config[heading] = st.column_config.Column(heading, width=min(max(head_px, 7 * longest + 24), 380))
    st.dataframe(shown, hide_index=True, column_config=config, key=key, height=height, **kwargs)


# --- Downloads ------------------------------------------------------------------------------------------------------
#: Tables with at most this many rows are handed to the download button as bytes (a few ms); larger ones are made
#: on click.
CHEAP_ROWS = 1_000
#: How long a file made on click stays pinned in Streamlit's media store for its browser to fetch it (seconds).
PIN_SECONDS = 300.0
#: Most files pinned at once (the oldest is released first): bounds the memory they hold.
MAX_PINS = 32
#: Streamlit files a download made on click under this session id (the click runs on a thread without a session).
_PIN_SESSION = "dontcare"
_pins: deque[tuple[float, bytes, str, str]] = deque()
_pins_lock = threading.Lock()
_pin_numbers = itertools.count()


def made_on_click(make: Callable[[], bytes], mime: str, file_name: str) -> Callable[[], bytes]:
    """A download button's data made on click, pinned until its browser has fetched it.

    Streamlit (1.67) stores a file made on click with nothing referencing it, and every session's rerun sweeps
    unreferenced files: with other sessions rerunning, the file is often gone before the browser asks for it (a
    silent "failed"). The callable returned here makes the bytes and registers the same file (same bytes, type and
    name, so the same id) as used by a pin, through Streamlit's public `MediaFileManager.add`. Pins are released
    after `PIN_SECONDS`, or when more than `MAX_PINS` are held, oldest first.
    """

    def make_and_pin() -> bytes:
        data = make()
        _pin(data, mime, file_name)
        return data

    return make_and_pin


def _pin(data: bytes, mime: str, file_name: str) -> None:
    from streamlit import runtime

    if not runtime.exists():
        return
    with _pins_lock:
        _pins.append((time.monotonic(), data, mime, file_name))
        if not _release_expired():
            _register(runtime.get_instance().media_file_mgr, data, mime, file_name)
    timer = threading.Timer(PIN_SECONDS + 1.0, _release)
    timer.daemon = True
    timer.start()


def _register(manager: Any, data: bytes, mime: str, file_name: str) -> None:
    manager.add(
        data, mime, coordinates=f"pinned-download.{next(_pin_numbers)}", file_name=file_name,
        is_for_static_download=True,
    )  # fmt: skip


def _release_expired() -> bool:
    """Drop pins past their time (caller holds `_pins_lock`); re-register the rest if any was dropped."""
    from streamlit import runtime

    oldest = time.monotonic() - PIN_SECONDS
    dropped = False
    while _pins and (_pins[0][0] < oldest or len(_pins) > MAX_PINS):
        _pins.popleft()
        dropped = True
    if dropped and runtime.exists():
        manager = runtime.get_instance().media_file_mgr
        manager.clear_session_refs(_PIN_SESSION)  # Streamlit's public way to drop a session's references
        for _, data, mime, file_name in _pins:
            _register(manager, data, mime, file_name)
    return dropped


def _release() -> None:
    with _pins_lock:
        _release_expired()


def download_view(level: str, measure_id: str, borough_code: str | None = None) -> None:
    """Download buttons for the view on screen: CSV (spreadsheet-safe), GeoPackage (GIS) and a slide-size map.

    A small table's CSV is handed over as bytes; a large one, the GeoPackage and the map are made on click, on
    another thread, from the view's rows (built here, in a few ms) and the connection (never from the cached
    helpers, which belong to the script's thread), and pinned until the browser has them (`made_on_click`).
    """
    from functools import partial

    from cohesion_metrics.figures import png_maps
    from cohesion_metrics.outputs import safe_csv, view_files
    from cohesion_metrics.read import page_frames

    measure = page_frames.get_measure(measure_id)
    table = view_files.view_table(measure_frame(level, measure_id, borough_code), measure, level)
    borough = borough_name(borough_code) if borough_code else None
    csv: Callable[[], bytes] = partial(safe_csv.to_csv_bytes, table)
    buttons = (
        ("Table (CSV)", csv() if len(table) <= CHEAP_ROWS else csv, "csv", "text/csv", ":material/download:",
         "One row per area: code, name, value, London rank, geography, sources and vintages."),
        ("Map layer (GeoPackage)", partial(view_files.view_geopackage, con(), table, level, borough_code), "gpkg",
         "application/geopackage+sqlite3", ":material/download:",
         "The same rows with their boundaries (British National Grid), for QGIS or ArcGIS."),
        ("Map for slides (PNG)", partial(png_maps.render_map_png, con(), level, measure_id, borough_code), "png",
         "image/png", ":material/image:",
         "This map at 1920 x 1080 with its legend, sources and attribution, for a slide deck."),
    )  # fmt: skip
    row = st.container(horizontal=True, gap="small")  # the buttons wrap in a narrow column instead of truncating
    for label, data, ext, mime, icon, help_text in buttons:
        name = view_files.file_name(level, measure, ext, borough=borough)
        row.download_button(
            label,
            data if isinstance(data, bytes) else made_on_click(data, mime, name),
            file_name=name,
            mime=mime,
            on_click="ignore",
            icon=icon,
            help=help_text,
        )


# --- Public inputs of the upload analysis (no uploads in here: see app_pages/_local.py) -----------------------------


@st.cache_resource(show_spinner=False)
def lsoa_polygons() -> Any:
    """London's LSOA 2011 polygons (BNG) with codes, names and population: where uploaded spaces fall."""
    from cohesion_metrics.uploads import analysis

    return analysis.lsoa_polygons(con())


@st.cache_resource(show_spinner=False)
def london_outline() -> Any:
    """Greater London as one polygon (BNG): uploaded areas must touch it."""
    from cohesion_metrics.uploads import analysis

    return analysis.london_outline(con())


@st.cache_resource(show_spinner=False)
def area_codes() -> dict[str, frozenset[str]]:
    """London's LSOA 2011 and ward codes: what an uploaded indicator may be keyed by."""
    from cohesion_metrics.uploads import analysis

    return analysis.area_codes(con())


@st.cache_resource(show_spinner=False)
def catchment_base() -> Any:
    """LSOA 2021 centroids, the counted spaces and the exact lookup: what catchments are computed from."""
    from cohesion_metrics.uploads import analysis

    return analysis.catchment_base(con())


@st.cache_resource(show_spinner=False)
def lsoa_summary_table() -> Any:
    """LSOA polygons, centroids and the scores and indicators summarised over uploaded areas."""
    from cohesion_metrics.uploads import analysis

    ids = ["need", "capacity", "hazard", "priority", *(f"pillar__{p}" for p in scored_pillars("lsoa11"))]
    ids += [i.id for i in framework.default_indicators("lsoa11")]
    return analysis.lsoa_table(con(), ids)
