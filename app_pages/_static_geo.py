"""The map outlines as static files the browser fetches once, and how plotly finds them."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import streamlit as st

from app_pages._cached import area_geojson, con
from cohesion_metrics.method import framework
from cohesion_metrics.read import queries


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
