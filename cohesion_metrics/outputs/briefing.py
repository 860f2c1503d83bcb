"""A one-click borough briefing (PDF) to take into a resilience-planning meeting.

`briefing_content` gathers every figure from the database with the same queries and sentences as the borough
explorer. Page 1 stands alone: the borough, its need and cohesion capacity ranks, the three most important asks
with the figures behind them in plain words (only indicators above London's 70th percentile are cited as reasons),
the map of priorities and inclusive spaces, what the data cannot say, and a pointer to the annex. Pages 2+ are the
annex: the priority neighbourhoods with how sure each is, the pillar profile against London and the statistical
neighbours, the recommendation 5 actions in full with the sources and vintages behind them, the sources, licences
and method. What is missing for the borough is said, never filled in. `build_briefing` lays it out on A4 with
reportlab's built-in Helvetica: no font files, no network.
"""

from __future__ import annotations

import datetime as dt

import duckdb

from cohesion_metrics.figures import png_maps
from cohesion_metrics.outputs.briefing_chart import profile_png
from cohesion_metrics.outputs.briefing_content import (
    N_ASKS,
    TOP_ACTION_AREAS,
    TOP_PRIORITIES,
    Briefing,
    briefing_content,
    neighbourhood_level,
    three_asks,
)
from cohesion_metrics.outputs.briefing_pdf import render_pdf

__all__ = [
    "N_ASKS",
    "TOP_ACTION_AREAS",
    "TOP_PRIORITIES",
    "Briefing",
    "briefing_content",
    "build_briefing",
    "neighbourhood_level",
    "profile_png",
    "render_pdf",
    "three_asks",
]


def build_briefing(con: duckdb.DuckDBPyConnection, borough_code: str, *, generated_on: dt.date | None = None) -> bytes:
    """A borough's briefing as PDF bytes: content from the database, the map and profile drawn offline."""
    b = briefing_content(con, borough_code, generated_on=generated_on)
    map_png = png_maps.render_priority_map_png(con, borough_code, level=b.level, numbered=TOP_PRIORITIES)
    return render_pdf(b, map_png, profile_png(b.profile))
