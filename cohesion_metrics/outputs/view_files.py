"""Downloads of the view on screen: a tidy table (CSV) and the same rows with their areas (GeoPackage).

Every row says what it is and where it comes from: area code, name and level, the boundary set and its vintage, the
measure with its unit, the value and London rank, and the sources (with vintages and licences) behind the value.
Composite, pillar and class measures are derived by the framework, so their source column lists the sources of the
indicators that went into them at that level.
"""

from __future__ import annotations

import io

import duckdb
import geopandas as gpd
import pandas as pd
import pyogrio

from cohesion_metrics.metadata import numbers
from cohesion_metrics.metadata.catalogue import get_source
from cohesion_metrics.metadata.levels import LEVELS_BY_CODE
from cohesion_metrics.method.framework import default_indicators
from cohesion_metrics.outputs import safe_csv
from cohesion_metrics.read import queries
from cohesion_metrics.read.page_frames import Measure
from cohesion_metrics.settings import ANALYSIS_CRS

#: Boundary set behind each level's areas (the GLA statistical GIS boundaries, 2011 LSOAs, wards as at 2014).
BOUNDARY_SOURCE = "gla_gis_boundaries"
FRAMEWORK_METHOD = (
    "Cohesion framework (this tool): indicators as London percentile ranks, averaged by pillar; need, cohesion "
    "capacity and hazard exposure each the equal-weighted mean of their pillars; priority = need where cohesion "
    "capacity is below London's median; see Data & methodology."
)


def _cite(source_id: str, vintage: str | None = None) -> str:
    source = get_source(source_id)
    return f"{source.publisher}, {source.title} ({vintage or source.vintage}; {source.licence})"


def measure_sources(measure: Measure, level: str) -> str:
    """Plain-text list of the sources (with vintages and licences) behind one measure at one level."""
    if measure.kind == "indicator":
        from cohesion_metrics.metadata.indicators import INDICATORS_BY_ID

        ind = INDICATORS_BY_ID[measure.id]
        return _cite(ind.source_id, ind.vintage)
    used = [i for i in default_indicators(level) if measure.kind != "pillar" or i.pillar == measure.pillar]
    cited = dict.fromkeys(_cite(i.source_id, i.vintage) for i in used)
    return f"{FRAMEWORK_METHOD} From {len(used)} indicators: " + "; ".join(cited)


def view_table(frame: pd.DataFrame, measure: Measure, level: str) -> pd.DataFrame:
    """`page_frames.measure_frame` rows as a self-describing table, most need first (one row per area)."""
    out = pd.DataFrame(
        {
            "area_code": frame["area_code"],
            "area_name": frame["area_name"],
            "area_level": LEVELS_BY_CODE[level].in_file,
            "borough_code": frame["borough_code"],
            "borough_name": frame["borough_name"],
            "measure_id": measure.id,
            "measure": measure.label,
            "unit": measure.unit,
        }
    )
    # Numbers at the precision the app shows (cohesion_metrics.metadata.numbers): no 16-digit cells in a spreadsheet.
    if measure.kind == "classes":
        out["value"] = frame["class_label"]
        out["need_score"] = numbers.round_for_csv(frame["need"], "score")
        out["capacity_score"] = numbers.round_for_csv(frame["capacity"], "score")
        out["high_need_low_capacity"] = frame["is_priority"]
        out["high_need_low_capacity_exposed"] = frame["exposed"]
    else:
        out["value"] = numbers.round_for_csv(frame["value"], numbers.kind_for_unit(measure.unit))
        out["london_rank"] = numbers.round_for_csv(frame["rank"], "rank")
        out["rank_basis"] = (
            "1 = least cohesion capacity in London"
            if measure.id == "capacity"
            else "1 = most need in London"
            if measure.higher_is_more_need is not None
            else "1 = highest"
        )
        if measure.has_interval:
            out["in_london_top10_share_of_reruns"] = (
                (100 * frame["top10_share"]).round(0).map(lambda v: "" if pd.isna(v) else f"{v:.0f}%")
            )
            out["rank_likely_from"] = numbers.round_for_csv(frame["rank_p05"], "rank")
            out["rank_likely_to"] = numbers.round_for_csv(frame["rank_p95"], "rank")
            out["rank_stability"] = frame["stability"]
    out["geography"] = LEVELS_BY_CODE[level].geography
    out["geography_source"] = _cite(BOUNDARY_SOURCE)
    out["sources"] = measure_sources(measure, level)
    return out.reset_index(drop=True)


def file_name(level: str, measure: Measure, ext: str, *, borough: str | None = None) -> str:
    """``london-cohesion_hackney_lsoa21_need_2026-11-25.gpkg``-style names."""
    label = measure.label.split(" (")[0] if measure.kind == "axis" else measure.label  # "Need", not its gloss
    return safe_csv.file_name(*(p for p in (borough, level, label) if p), ext=ext)


def to_geopackage(table: pd.DataFrame, geometry: gpd.GeoSeries, *, layer: str) -> bytes:
    """GeoPackage bytes (British National Grid) of `table` joined to `geometry` (indexed by area code).

    Values are written as they are: formula neutralising is for spreadsheets (CSV), not for GIS layers.
    """
    if geometry.crs is None or geometry.crs != ANALYSIS_CRS:
        raise ValueError(f"geometry must be in {ANALYSIS_CRS}; got {geometry.crs}")
    missing = set(table["area_code"]) - set(geometry.index)
    if missing:
        raise ValueError(f"{len(missing)} areas have no geometry, e.g. {sorted(missing)[:3]}")
    gdf = gpd.GeoDataFrame(table, geometry=geometry.reindex(table["area_code"]).values)
    buffer = io.BytesIO()
    pyogrio.write_dataframe(gdf, buffer, driver="GPKG", layer=layer[:60] or "view")
    return buffer.getvalue()


def view_geopackage(
    con: duckdb.DuckDBPyConnection, table: pd.DataFrame, level: str, borough_code: str | None = None
) -> bytes:
    """`view_table` rows with their full-resolution areas, as GeoPackage bytes (layer named after the measure)."""
    geometry = queries.area_geometries(con, level, borough_code)
    return to_geopackage(table, geometry, layer=str(table["measure_id"].iloc[0]) if len(table) else "view")
