"""What the app computes with a session's uploads: catchments with extra spaces, custom-area summaries.

Uploaded data never reaches DuckDB: it stays in pandas/geopandas frames in the session. The `*_base`/`lsoa_*`
helpers at the top only SELECT the app's own tables (through `db.query`, a fresh cursor on the read-only
connection; nothing is registered or created), so the page can cache their results once per server
(`st.cache_data`) and pass them to the analysis functions, which are pure.

- `catchments_with_uploads`: the catchment indicators (share of residents within 400/800/1,200 m of a space, and
  the population-weighted distance to the nearest) recomputed by the build's own function
  (`method.catchments.catchment_counts`: from each LSOA 2021 population-weighted centroid, in straight lines, then to LSOA 2011 through the ONS exact
  lookup, to wards and to boroughs), with the uploaded spaces added to the groups their types belong to.
- `aggregate_over_areas`: LSOA 2011 values summarised over custom areas. Method: **best fit by population-weighted
  centroid**, as ONS builds higher geographies. Each LSOA counts wholly, with its mid-2015 population, for every
  area holding its population-weighted centroid, and the area's value is the population-weighted mean over those
  LSOAs with a value. That is how the build makes the ward and borough figures it aggregates from LSOAs (assignment
  ``aggregated``: the IoD 2019 scores and the other LSOA indicators weighted by mid-2015 population), so for those
  indicators an area drawn as a borough gets that borough's figure. Other borough figures are not that mean and
  differ: those published or computed for the borough itself (``native``, ``computed``: survey results, turnout,
  IoD borough summaries, catchments from LSOA 2021 centroids and Census 2021 populations), and the need,
  capacity and priority scores, which the framework computes from the borough's own indicator values: for these an
  area drawn as a borough gets the population-weighted mean of its LSOAs' scores (the borough's
  ``score_pop_weighted_mean`` in ``out_cohesion__lsoa_summaries``), not the borough's score. An area too small to
  hold any centroid takes the LSOA holding its representative point (and says so).
  An area-weighted overlay was not chosen: it would spread residents evenly over parks, rivers and industry.

The framework re-run with an uploaded indicator is in `local_indicator`.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass, field

import duckdb
import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from shapely.geometry.base import BaseGeometry

from cohesion_metrics.db import query
from cohesion_metrics.metadata.indicators import INDICATORS_BY_ID
from cohesion_metrics.metadata.levels import CURRENT, LEVELS_BY_CODE, UPLOAD_LEVELS
from cohesion_metrics.metadata.spaces import SPACE_GROUPS
from cohesion_metrics.method import framework
from cohesion_metrics.method.catchments import counts_from_distances, group_distances
from cohesion_metrics.read import queries
from cohesion_metrics.settings import ANALYSIS_CRS

CATCHMENT_LEVELS = ("lsoa21", "lsoa11", "ward", "borough")
#: Columns of `catchments_with_uploads`.
CATCHMENT_COLUMNS = ("area_code", "area_level", "indicator_id", "value", "value_without_uploads")
#: Area scores (from the framework's default run) that `aggregate_over_areas` can summarise besides indicators.
SCORE_IDS = ("need", "capacity", "hazard", "priority")
#: Half the widest gap of London's outline that `london_outline` fills: enough for the tidal Thames.
RIVER_CLOSING_M = 500.0
_LSOA_COLUMNS = ("lsoa11_code", "lsoa11_name", "ward_code", "borough_code", "population", "point_x", "point_y")

# ----------------------------------------------------------------------------------------------------------------
# Inputs from the app's database (read-only SELECTs; cache these in the page)
# ----------------------------------------------------------------------------------------------------------------


def _polygons(frame: pd.DataFrame) -> gpd.GeoDataFrame:
    geoms = shapely.from_wkb([bytes(w) for w in frame["wkb"]])
    return gpd.GeoDataFrame(frame.drop(columns="wkb"), geometry=geoms, crs=ANALYSIS_CRS)


def lsoa_polygons(con: duckdb.DuckDBPyConnection) -> gpd.GeoDataFrame:
    """London's LSOA 2011 polygons (EPSG:27700) with lsoa11_code, lsoa11_name, ward_code, borough_code, population.

    The `lsoas` argument of `spaces_csv.read_spaces_csv`.
    """
    return _polygons(
        query(
            con,
            "SELECT lsoa11_code, lsoa11_name, ward_code, borough_code, population::DOUBLE AS population, "
            "ST_AsWKB(geom) AS wkb FROM core_geo__lsoa11 ORDER BY lsoa11_code",
        )
    )


def london_outline(con: duckdb.DuckDBPyConnection) -> BaseGeometry:
    """Greater London as one geometry (EPSG:27700) with its water filled in: the `london` of `areas_file.read_areas`.

    The borough boundaries stop at mean high water, so the union of the boroughs leaves the tidal Thames out, as an
    inlet from the east that reaches Teddington (not a hole). Closing the union by `RIVER_CLOSING_M` (grow, then
    shrink) fills gaps narrower than twice that, which takes in the whole river within London; any holes are
    filled too. A drawn area that crosses the river is then not said to "extend beyond London". Inlets of the
    outer boundary narrower than that are filled as well: a few square kilometres at London's edge, against about
    21 km² of river.
    """
    boroughs = shapely.union_all(queries.area_geometries(con, "borough").to_numpy())
    closed = shapely.union(boroughs.buffer(RIVER_CLOSING_M).buffer(-RIVER_CLOSING_M), boroughs)
    parts = [shapely.Polygon(p.exterior) for p in shapely.get_parts(closed) if p.geom_type == "Polygon"]
    return shapely.union_all(parts)


def area_codes(con: duckdb.DuckDBPyConnection) -> dict[str, frozenset[str]]:
    """London area codes by level: the `known_codes` of `indicator_csv.read_indicator_csv`.

    The `UPLOAD_LEVELS` in their order; the current ones (LSOA 2021, 2022 wards) where the framework scores them.
    """
    scored = set(queries.scored_levels(con))
    out = {}
    for code in UPLOAD_LEVELS:
        level = LEVELS_BY_CODE[code]
        if level.vintage != CURRENT or code in scored:
            out[code] = frozenset(query(con, f"SELECT {level.code_column} AS c FROM {level.table}")["c"])
    return out


@dataclass(frozen=True)
class CatchmentBase:
    """What the catchments are computed from, as the build stores it (see `catchment_base`)."""

    #: lsoa21_code, population (Census 2021), pwc_easting, pwc_northing, ward_code, borough_code.
    lsoa21: pd.DataFrame
    #: The app's inclusive spaces of the counted types: space_type, easting, northing.
    spaces: pd.DataFrame
    #: ONS exact lookup: lsoa11_code, lsoa21_code, change (U, S, M, X).
    lookup: pd.DataFrame
    #: Per level: the area/LSOA 2021 pairs and the values without uploads, computed on first use (public data: the
    #: base is shared by every session).
    _levels: dict[str, tuple[pd.DataFrame, pd.DataFrame]] = field(default_factory=dict, compare=False, repr=False)

    @functools.cached_property
    def distances(self) -> dict[str, np.ndarray]:
        """`group_distances` to the app's own spaces (computed once; do not change them)."""
        return group_distances(self.lsoa21, self.spaces)

    def at_level(self, level: str) -> tuple[pd.DataFrame, pd.DataFrame]:
        """The mapping of LSOA 2021s to `level`, and the catchment values there without uploads.

        Values are long: area_code, area_level, indicator_id, value. Computed once a level: the same frames on every
        call, so do not change them.
        """
        if level not in self._levels:
            mapping = _level_mapping(self, level)
            self._levels[level] = mapping, _to_level(counts_from_distances(self.lsoa21, self.distances), mapping, level)
        return self._levels[level]


def catchment_base(con: duckdb.DuckDBPyConnection) -> CatchmentBase:
    """Read the LSOA 2021 centroids and populations, the counted spaces and the 2011-2021 lookup."""
    return CatchmentBase(
        lsoa21=query(
            con,
            "SELECT lsoa21_code, population::DOUBLE AS population, pwc_easting, pwc_northing, ward_code, borough_code "
            "FROM core_geo__lsoa21 ORDER BY lsoa21_code",
        ),
        spaces=query(
            con,
            "SELECT space_type, easting, northing FROM core_spaces__inclusive "
            "WHERE space_type IN (SELECT unnest(?)) ORDER BY space_id",
            [list(SPACE_GROUPS["any"])],
        ),
        lookup=query(con, "SELECT lsoa11_code, lsoa21_code, change FROM core_geo__lsoa11_lsoa21"),
    )


def lsoa_table(con: duckdb.DuckDBPyConnection, indicator_ids: Sequence[str]) -> gpd.GeoDataFrame:
    """LSOA 2011 polygons with a population-weighted centroid, population and one column per id.

    Ids are registry indicators with LSOA 2011 values, or "need", "capacity", "hazard", "priority" and "pillar__<id>" of the
    framework's default run. The centroid (point_x, point_y) is the ONS population-weighted centroid of the LSOA
    2021 that carries most of the LSOA 2011's residents (the same point for an unchanged LSOA); where that point is
    not inside the LSOA 2011 (merged LSOAs) it is the polygon's representative point.
    """
    scores = [i for i in indicator_ids if i in SCORE_IDS or i.startswith("pillar__")]
    unknown = [
        i for i in indicator_ids if i not in scores and "lsoa11" not in getattr(INDICATORS_BY_ID.get(i), "levels", ())
    ]
    if unknown:
        raise ValueError(f"no LSOA 2011 values for {unknown}: use registry indicators with LSOA values, or {SCORE_IDS}")
    table = lsoa_polygons(con)
    children = query(
        con,
        "SELECT m.lsoa11_code, g.lsoa21_code, g.population, g.pwc_easting, g.pwc_northing "
        "FROM core_geo__lsoa11_lsoa21 m JOIN core_geo__lsoa21 g USING (lsoa21_code)",
    ).sort_values(["lsoa11_code", "population", "lsoa21_code"], ascending=[True, False, True])
    main = children.drop_duplicates("lsoa11_code").set_index("lsoa11_code")
    x = table["lsoa11_code"].map(main["pwc_easting"]).to_numpy(dtype=float)
    y = table["lsoa11_code"].map(main["pwc_northing"]).to_numpy(dtype=float)
    inside = shapely.contains_xy(table.geometry.to_numpy(), np.nan_to_num(x), np.nan_to_num(y)) & np.isfinite(x)
    fallback = table.geometry.representative_point()
    table["point_x"] = np.where(inside, x, fallback.x)
    table["point_y"] = np.where(inside, y, fallback.y)
    ids = [i for i in indicator_ids if i not in scores]
    if ids:
        values = framework.indicator_matrix(con, "lsoa11", ids)
        table = table.join(values, on="lsoa11_code")
    if scores:
        out = query(con, "SELECT * FROM out_cohesion__areas WHERE area_level = 'lsoa11'").set_index("area_code")
        missing = [s for s in scores if s not in out.columns]
        if missing:
            raise ValueError(f"no score column(s) {missing} in out_cohesion__areas")
        table = table.join(out[scores].astype("float64"), on="lsoa11_code")
    return table


# ----------------------------------------------------------------------------------------------------------------
# Catchments with uploaded spaces
# ----------------------------------------------------------------------------------------------------------------


def _level_mapping(base: CatchmentBase, level: str) -> pd.DataFrame:
    """area_code and lsoa21_code pairs that carry LSOA 2021 counts to `level`, as `derive.lsoa21_based_rows`."""
    if level == "lsoa21":
        return pd.DataFrame({"area_code": base.lsoa21["lsoa21_code"], "lsoa21_code": base.lsoa21["lsoa21_code"]})
    if level == "lsoa11":
        lookup = base.lookup
        unsplit = ~lookup["lsoa11_code"].isin(lookup.loc[~lookup["change"].isin(["U", "S"]), "lsoa11_code"])
        return lookup.loc[unsplit, ["lsoa11_code", "lsoa21_code"]].rename(columns={"lsoa11_code": "area_code"})
    if level in {"ward", "borough"}:
        col = f"{level}_code"
        rows = base.lsoa21[base.lsoa21[col].notna()]
        return pd.DataFrame({"area_code": rows[col], "lsoa21_code": rows["lsoa21_code"]})
    raise ValueError(f"unknown level {level!r}; use one of {CATCHMENT_LEVELS}")


def _to_level(counts: pd.DataFrame, mapping: pd.DataFrame, level: str) -> pd.DataFrame:
    """Long values at a level: sum(num) / sum(den) * scale per area and indicator."""
    joined = mapping.merge(counts, on="lsoa21_code", how="inner")
    sums = joined.groupby(["area_code", "indicator_id"], as_index=False, sort=False)[["num", "den"]].sum()
    sums = sums[sums["den"] > 0]
    scale = sums["indicator_id"].map({i: INDICATORS_BY_ID[i].scale for i in sums["indicator_id"].unique()})
    long = sums[["area_code", "indicator_id"]].assign(value=sums["num"] / sums["den"] * scale)
    long.insert(1, "area_level", level)
    return long


def catchments_with_uploads(
    base: CatchmentBase, uploaded: pd.DataFrame | None, *, level: str = "lsoa11"
) -> pd.DataFrame:
    """Catchment indicators at `level` with the uploaded spaces added, beside the values without them.

    `base` is `catchment_base(con)`; `uploaded` has columns space_type, easting and northing (BNG), e.g.
    `read_spaces_csv(...).valid`; each space counts in the groups of its type (a community centre in "community"
    and "any"; pubs and commercial galleries in none). Returns CATCHMENT_COLUMNS, one row per area and indicator
    (`pop_within_{400,800,1200}m_pct_<group>`, `nearest_space_m_<group>` for groups any, community, faith and
    culture): the same figures as the app's `core_indicators__values` when nothing is uploaded. Adding spaces can
    only raise a share and shorten a distance.
    """
    mapping, before = base.at_level(level)
    extra = pd.DataFrame(columns=["space_type", "easting", "northing"]) if uploaded is None else uploaded
    missing = {"space_type", "easting", "northing"} - set(extra.columns)
    if missing:
        raise ValueError(f"uploaded spaces lack column(s) {sorted(missing)}")
    extra = pd.DataFrame(extra[["space_type", "easting", "northing"]]).astype({"easting": float, "northing": float})
    distances = dict(base.distances)
    for group, metres in group_distances(base.lsoa21, extra).items():  # the uploads' own nearest, per group
        distances[group] = np.fmin(distances[group], metres) if group in distances else metres
    after = _to_level(counts_from_distances(base.lsoa21, distances), mapping, level)
    keys = ["area_code", "area_level", "indicator_id"]
    out = after.merge(before.rename(columns={"value": "value_without_uploads"}), on=keys, how="outer")
    return out.sort_values(keys, kind="stable").reset_index(drop=True)[list(CATCHMENT_COLUMNS)]


def catchment_indicator(catchments: pd.DataFrame, indicator_id: str) -> pd.DataFrame:
    """One indicator of `catchments_with_uploads` as area_code, value, value_without_uploads, change.

    Its area_code/value columns are what `page_frames.far_from_community` reads (`page_frames.FAR_INDICATOR` for the list of
    neighbourhoods beyond 800 m of a community centre or library).
    """
    rows = catchments[catchments["indicator_id"] == indicator_id]
    out = rows[["area_code", "value", "value_without_uploads"]].reset_index(drop=True)
    out["change"] = out["value"] - out["value_without_uploads"]
    return out


# ----------------------------------------------------------------------------------------------------------------
# Indicators over custom areas
# ----------------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class AreaSummary:
    """LSOA values summarised over custom areas (see the module docstring for the method)."""

    #: One row per area: area_id, name, n_lsoas, population, assignment, then one column per indicator id.
    table: pd.DataFrame
    #: Long: area_id, name, indicator_id, value, n_lsoas_with_value, population_share_with_value.
    values: pd.DataFrame
    #: Which LSOAs count for which area: area_id, lsoa11_code, population.
    membership: pd.DataFrame
    notes: list[str] = field(default_factory=list)


def aggregate_over_areas(
    areas: gpd.GeoDataFrame,
    source: duckdb.DuckDBPyConnection | gpd.GeoDataFrame,
    indicator_ids: Sequence[str] | None = None,
) -> AreaSummary:
    """Population-weighted means of LSOA 2011 values over custom `areas` (e.g. `read_areas(...).valid`).

    `source` is the app's connection, or (to cache it) `lsoa_table(con, indicator_ids)`; `indicator_ids` default
    to every value column of a given table. Areas may overlap: each is summarised on its own.
    """
    if isinstance(source, duckdb.DuckDBPyConnection):
        if not indicator_ids:
            raise ValueError("pass indicator_ids when source is a connection")
        source = lsoa_table(source, indicator_ids)
    ids = list(indicator_ids or [c for c in source.columns if c not in (*_LSOA_COLUMNS, "geometry")])
    absent = [i for i in ids if i not in source.columns]
    if absent:
        raise ValueError(f"the LSOA table has no column(s) {absent}; build it with lsoa_table(con, ids)")
    shapes = gpd.GeoDataFrame(areas[["area_id", "name"]], geometry=areas.geometry.to_crs(ANALYSIS_CRS))
    points = gpd.GeoDataFrame(
        source[["lsoa11_code", "population"]],
        geometry=gpd.points_from_xy(source["point_x"], source["point_y"]),
        crs=ANALYSIS_CRS,
    )
    members = gpd.sjoin(points, shapes, predicate="intersects")[["area_id", "lsoa11_code", "population"]]
    members["assignment"] = "population-weighted centroid"
    empty = shapes[~shapes["area_id"].isin(members["area_id"])]
    notes: list[str] = []
    if len(empty):
        inner = gpd.GeoDataFrame(empty[["area_id"]], geometry=empty.geometry.representative_point(), crs=ANALYSIS_CRS)
        polygons = gpd.GeoDataFrame(source[["lsoa11_code", "population"]], geometry=source.geometry, crs=ANALYSIS_CRS)
        small = gpd.sjoin(inner, polygons, predicate="intersects")[["area_id", "lsoa11_code", "population"]]
        small = small.sort_values(["area_id", "lsoa11_code"]).drop_duplicates("area_id")
        small["assignment"] = "LSOA containing the area (smaller than a neighbourhood)"
        members = pd.concat([members, small], ignore_index=True)
        names = empty.loc[empty["area_id"].isin(small["area_id"]), "name"].tolist()
        if names:
            notes.append(
                f"{len(names)} area(s) hold no neighbourhood's population-weighted centroid, so they take the values "
                f"of the neighbourhood (LSOA) they lie in: {', '.join(names[:5])}" + (" …" if len(names) > 5 else "")
            )
    members = members.sort_values(["area_id", "lsoa11_code"]).reset_index(drop=True)
    values = members.merge(source[["lsoa11_code", *ids]], on="lsoa11_code", how="left")
    long_parts = []
    for i in ids:
        has = values[values[i].notna()]
        weighted = (has[i] * has["population"]).groupby(has["area_id"]).sum()
        pop_with = has.groupby("area_id")["population"].sum()
        long_parts.append(
            pd.DataFrame(
                {
                    "area_id": pop_with.index,
                    "indicator_id": i,
                    "value": (weighted / pop_with.where(pop_with > 0)).to_numpy(),
                    "n_lsoas_with_value": has.groupby("area_id").size().reindex(pop_with.index).to_numpy(),
                    "population_with_value": pop_with.to_numpy(),
                }
            )
        )
    summary = members.groupby("area_id").agg(
        n_lsoas=("lsoa11_code", "size"), population=("population", "sum"), assignment=("assignment", "first")
    )
    table = shapes[["area_id", "name"]].join(summary, on="area_id")
    table["n_lsoas"] = table["n_lsoas"].fillna(0).astype("int64")
    table["population"] = table["population"].fillna(0.0)
    table["assignment"] = table["assignment"].fillna("no neighbourhood: outside London")
    long = pd.concat(long_parts, ignore_index=True) if long_parts else pd.DataFrame(columns=["area_id", "indicator_id"])
    long = table[["area_id", "name", "population"]].merge(long, on="area_id", how="inner")
    long["population_share_with_value"] = long["population_with_value"] / long["population"].where(
        long["population"] > 0
    )
    long = long.drop(columns=["population", "population_with_value"])
    wide = long.pivot_table(index="area_id", columns="indicator_id", values="value", aggfunc="first", dropna=False)
    table = table.join(wide.reindex(columns=ids), on="area_id")
    if (table["n_lsoas"] == 0).any():
        notes.append(f"{int((table['n_lsoas'] == 0).sum())} area(s) cover no London neighbourhood and have no values.")
    return AreaSummary(
        table=pd.DataFrame(table).reset_index(drop=True),
        values=long.reset_index(drop=True),
        membership=members[["area_id", "lsoa11_code", "population"]],
        notes=notes,
    )


def area_summary_frame(summary: AreaSummary) -> pd.DataFrame:
    """Custom areas' need as a `page_frames.measure_frame`-like frame (area_code = area_id) for a map."""
    table = summary.table
    return table.assign(
        area_code=table["area_id"].astype(str),
        area_name=table["name"],
        value=table["need"],
        rank=table["need"].rank(ascending=False, method="min").astype("Int64"),
    )
