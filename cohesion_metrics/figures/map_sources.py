"""What a static map rests on: its sources, their vintages and attributions from the database, in one line each."""

from __future__ import annotations

import re
from collections.abc import Sequence

import duckdb
import pandas as pd

from cohesion_metrics.db import query
from cohesion_metrics.metadata.indicators import INDICATORS_BY_ID
from cohesion_metrics.metadata.spaces import SPACE_GROUPS
from cohesion_metrics.method import framework
from cohesion_metrics.read import page_frames, queries

#: Source of every map geometry.
BOUNDARY_SOURCE = "gla_gis_boundaries"
#: Source whose space-based indicators also rest on the other space sources (places of worship from OSM).
_SPACES_INDICATOR_SOURCE = "gla_cim"

# --- Sources --------------------------------------------------------------------------------------------------------


def measure_indicator_ids(level: str, measure: page_frames.Measure) -> list[str]:
    """Registry indicators behind a measure at a level: itself, its pillar's default indicators, or all of them."""
    if measure.kind == "indicator":
        return [measure.id]
    indicators = framework.default_indicators(level)
    if measure.kind == "pillar":
        indicators = [i for i in indicators if i.pillar == measure.pillar]
    return [i.id for i in indicators]


def _space_types(indicator_ids: Sequence[str]) -> set[str]:
    """Space types counted by the space-based indicators among `indicator_ids` (their id ends in the group)."""
    types: set[str] = set()
    for indicator_id in indicator_ids:
        indicator = INDICATORS_BY_ID.get(indicator_id)
        group = indicator_id.rsplit("_", 1)[-1]
        if indicator is not None and indicator.source_id == _SPACES_INDICATOR_SOURCE and group in SPACE_GROUPS:
            types |= set(SPACE_GROUPS[group])
    return types


def space_source_ids(con: duckdb.DuckDBPyConnection, indicator_ids: Sequence[str] | None = None) -> list[str]:
    """Sources of the spaces that the space-based indicators among `indicator_ids` count (None: every space)."""
    types = None if indicator_ids is None else _space_types(indicator_ids)
    if types is not None and not types:
        return []
    return query(
        con,
        "SELECT DISTINCT source_id FROM core_spaces__inclusive"
        + ("" if types is None else " WHERE space_type IN (SELECT unnest(?))")
        + " ORDER BY 1",
        None if types is None else [sorted(types)],
    )["source_id"].tolist()


def source_rows(
    con: duckdb.DuckDBPyConnection,
    level: str,
    indicator_ids: Sequence[str],
    *,
    area_codes: Sequence[str] | None = None,
    spaces: bool = False,
    boundaries: bool = True,
) -> pd.DataFrame:
    """The sources behind values of `indicator_ids` at `level` (optionally only `area_codes`), plus map layers.

    One row per source: source_id, role ("values", "spaces" or "boundaries"), title, publisher, vintage (as
    catalogued), vintage_used (the vintages the values carry), licence, attribution, caveat. A space-based indicator
    also brings in the sources of the space types it counts (places of worship come from OpenStreetMap); `spaces`
    adds every space source, for a map that draws the spaces as points.
    """
    where = " AND v.area_code IN (SELECT unnest(?))" if area_codes is not None else ""
    params: list[object] = [level, list(indicator_ids), *([list(area_codes)] if area_codes is not None else [])]
    values = query(
        con,
        "SELECT v.source_id, string_agg(DISTINCT v.vintage, '; ' ORDER BY v.vintage) AS vintage_used "
        "FROM core_indicators__values v WHERE v.area_level = ? AND v.indicator_id IN (SELECT unnest(?)) "
        f"AND v.value IS NOT NULL{where} GROUP BY v.source_id ORDER BY v.source_id",
        params,
    ).assign(role="values")
    space_ids = space_source_ids(con, None if spaces else indicator_ids)
    extra = [(s, "spaces") for s in space_ids if spaces or s not in set(values["source_id"])]
    if boundaries:
        extra.append((BOUNDARY_SOURCE, "boundaries"))
    catalogue = queries.sources(con).set_index("source_id")
    rows = pd.concat(
        [values, pd.DataFrame(extra, columns=["source_id", "role"]).assign(vintage_used=None)], ignore_index=True
    )
    rows = rows.drop_duplicates(["source_id", "role"])
    rows = rows[rows["source_id"].isin(catalogue.index)]
    cols = ["title", "publisher", "vintage", "licence", "attribution", "caveat"]
    out = rows.join(catalogue[cols], on="source_id")
    out["vintage_used"] = out["vintage_used"].fillna(out["vintage"])
    return out[["source_id", "role", *cols[:3], "vintage_used", *cols[3:]]].reset_index(drop=True)


def measure_sources(
    con: duckdb.DuckDBPyConnection, level: str, measure_id: str, borough_code: str | None = None
) -> pd.DataFrame:
    """The sources behind a measure's map at a level (`source_rows`), optionally only one borough's values."""
    measure = page_frames.get_measure(measure_id)
    codes = queries.areas(con, level, borough_code)["area_code"].tolist() if borough_code else None
    return source_rows(con, level, measure_indicator_ids(level, measure), area_codes=codes)


def short_title(title: str) -> str:
    """A source title without its detail: "Curio Canopy: tree canopy cover by LSOA" -> "Curio Canopy"."""
    return re.split(r": | \(", title, maxsplit=1)[0].strip()


def sources_line(sources: pd.DataFrame) -> str:
    """The value sources as "Title: vintage" pairs, for a map's subtitle."""
    rows = sources[sources["role"] != "boundaries"]
    return " · ".join(f"{short_title(r.title)}: {r.vintage_used}" for r in rows.itertuples())


def attribution_line(sources: pd.DataFrame) -> str:
    """The sources' attributions as the catalogue states them, each once, in the order given."""
    return " ".join(dict.fromkeys(str(a).strip() for a in sources["attribution"] if a))
