"""What every page shares: the cached read-only connection and cached query results."""

from __future__ import annotations

from typing import Any

import duckdb
import pandas as pd
import streamlit as st

from cohesion_metrics import db, queries
from cohesion_metrics.snapshot import ensure_database


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
def sources() -> pd.DataFrame:
    """Cached source catalogue."""
    return queries.sources(con())
