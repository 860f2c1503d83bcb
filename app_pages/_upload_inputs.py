"""Public inputs of the upload analysis, cached once per server (no uploads in here: see app_pages/_local.py)."""

from __future__ import annotations

from typing import Any

import streamlit as st

from app_pages._cached import con, scored_pillars
from cohesion_metrics.method import framework
from cohesion_metrics.uploads import analysis, worker


@st.cache_resource(show_spinner=False)
def lsoa_polygons() -> Any:
    """London's LSOA 2011 polygons (BNG) with codes, names and population: where uploaded spaces fall."""

    return analysis.lsoa_polygons(con())


@st.cache_resource(show_spinner=False)
def london_outline() -> Any:
    """Greater London as one polygon (BNG): uploaded areas must touch it."""

    return analysis.london_outline(con())


@st.cache_resource(show_spinner=False)
def area_codes() -> dict[str, frozenset[str]]:
    """London's LSOA 2011 and ward codes: what an uploaded indicator may be keyed by."""

    return analysis.area_codes(con())


@st.cache_resource(show_spinner=False)
def catchment_base() -> Any:
    """LSOA 2021 centroids, the counted spaces and the exact lookup: what catchments are computed from."""

    return analysis.catchment_base(con())


@st.cache_resource(show_spinner=False)
def lsoa_summary_table() -> Any:
    """LSOA polygons, centroids and the scores and indicators summarised over uploaded areas."""

    ids = ["need", "capacity", "hazard", "priority", *(f"pillar__{p}" for p in scored_pillars("lsoa11"))]
    ids += [i.id for i in framework.default_indicators("lsoa11")]
    return analysis.lsoa_table(con(), ids)


@st.cache_resource(show_spinner=False)
def upload_worker() -> bool:
    """The forkserver that forks the process each areas file is read in (`uploads.worker`), started once."""

    worker.warm()
    return True
