"""What every page shares: the cached read-only connection, cached queries, and the URL-bound choices.

Shareable state lives in the URL: widgets use `bind="query-params"` with these keys, so a copied link opens the
same view. Session state holds nothing else.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import duckdb
import pandas as pd
import streamlit as st

from cohesion_metrics import db, framework, queries
from cohesion_metrics.snapshot import ensure_database

#: URL query-parameter keys (also the widget keys).
BOROUGH, LEVEL, INDICATOR, PRESET, METHOD = "borough", "level", "indicator", "weights", "method"
LEVEL_LABELS = {"borough": "Borough", "ward": "Ward", "lsoa11": "Neighbourhood (LSOA)"}


@st.cache_resource(show_spinner="Preparing the database…")
def connection() -> tuple[duckdb.DuckDBPyConnection, str | None]:
    """One read-only connection per server process; builds the database from the snapshot if missing."""
    message = ensure_database()
    return db.connect(read_only=True), message


def con() -> duckdb.DuckDBPyConnection:
    """The shared read-only connection."""
    return connection()[0]


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
def boroughs() -> pd.DataFrame:
    """Cached borough list."""
    return queries.boroughs(con())


@st.cache_data(show_spinner=False)
def indicator_matrix(level: str) -> pd.DataFrame:
    """Cached areas x composite indicators for a level."""
    return framework.indicator_matrix(con(), level)


@st.cache_data(show_spinner="Re-ranking…", max_entries=32)
def assess(level: str, weights: str | tuple[tuple[str, float], ...], method: str, n_draws: int = 1000) -> pd.DataFrame:
    """Cached framework run with user weights (a preset name or (pillar, weight) pairs): the per-area table."""
    w: str | Mapping[str, float] = weights if isinstance(weights, str) else dict(weights)
    by = "indicator" if isinstance(weights, str) else "pillar"
    run = framework.assess(indicator_matrix(level), level, weights=w, weights_by=by, method=method, n_draws=n_draws)  # type: ignore[arg-type]
    return run.area_table()


@st.cache_data(show_spinner=False)
def sources() -> pd.DataFrame:
    """Cached source catalogue."""
    return queries.sources(con())


def borough_name(code: str) -> str:
    """A borough's name from its code."""
    table = boroughs()
    return str(table.loc[table["borough_code"] == code, "borough_name"].iloc[0])
