"""The core layer of the build: geography (with display geometries), inclusive spaces, indicators and sources."""

from __future__ import annotations

from typing import Any

import duckdb
import geopandas as gpd
import pandas as pd
import shapely

from cohesion_metrics.build import derived_indicators
from cohesion_metrics.build.raw import register, row_count
from cohesion_metrics.build.report import BuildReport
from cohesion_metrics.metadata.boroughs import CITY_OF_LONDON
from cohesion_metrics.metadata.catalogue import SOURCES
from cohesion_metrics.metadata.indicators import INDICATORS
from cohesion_metrics.metadata.levels import LEVELS, LEVELS_BY_CODE, Level
from cohesion_metrics.method import deprivation
from cohesion_metrics.settings import ANALYSIS_CRS, DISPLAY_CRS

#: Display coordinates are rounded to 1e-5 degrees (about 1 m).
DISPLAY_PRECISION_DEG = 1e-5
#: Two records of the same type from different sources/layers closer than this are one place.
DUPLICATE_RADIUS_M = 25.0


def display_geometries(gdf: gpd.GeoDataFrame, tolerance_m: float) -> gpd.GeoSeries:
    """Coverage-simplify in BNG (shared edges stay shared), reproject to WGS84, round to about 1 m."""
    simplified = shapely.coverage_simplify(gdf.geometry.values, tolerance_m)
    wgs = gpd.GeoSeries(simplified, crs=ANALYSIS_CRS).to_crs(DISPLAY_CRS)
    return gpd.GeoSeries(shapely.set_precision(wgs.values, DISPLAY_PRECISION_DEG), crs=DISPLAY_CRS)


def _with_display(gdf: gpd.GeoDataFrame, level: str) -> pd.DataFrame:
    """A frame with `geom_wkb` (BNG) and `geom_wgs84_wkb` (display) columns, for SQL."""
    out = pd.DataFrame(gdf.drop(columns=gdf.geometry.name))
    out["area_km2"] = gdf.geometry.area / 1e6
    out["geom_wkb"] = shapely.to_wkb(gdf.geometry.values, output_dimension=2)
    out["geom_wgs84_wkb"] = shapely.to_wkb(display_geometries(gdf, LEVELS_BY_CODE[level].display_tolerance_m).values)
    return out


def ward22_areas(ward25: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Current wards as areas: the May 2025 wards outside the City, and the City's wards as one unit (E09000001)."""
    city = ward25["borough_code"] == CITY_OF_LONDON
    wards = ward25.loc[~city, ["ward25_code", "ward25_name", "borough_code", "geometry"]].rename(
        columns={"ward25_code": "ward22_code", "ward25_name": "ward22_name"}
    )
    union = shapely.union_all(ward25.loc[city].geometry.values)
    merged = gpd.GeoDataFrame(
        {"ward22_code": [CITY_OF_LONDON], "ward22_name": ["City of London"], "borough_code": [CITY_OF_LONDON]},
        geometry=[union],
        crs=ward25.crs,
    )
    out = pd.concat([wards, merged], ignore_index=True).sort_values("ward22_code", ignore_index=True)
    return gpd.GeoDataFrame(out, geometry="geometry", crs=ward25.crs)


#: Levels whose population is the sum of their LSOAs': level -> the LSOA level (its table carries the level's code).
_POPULATION_FROM = {"ward": "lsoa11", "borough": "lsoa11", "ward22": "lsoa21"}


def _create_summed_areas(con: duckdb.DuckDBPyConnection, level: Level, lsoas: Level) -> None:
    """Create `level`'s core_geo table from its geometries, with the population of its LSOAs summed."""
    code = level.code_column
    columns = ", ".join(f"g.{c}" for c in dict.fromkeys((code, level.name_column, "borough_code", "area_km2")))
    con.execute(f"""
        CREATE OR REPLACE TABLE {level.table} AS
        SELECT {columns},
               (SELECT sum(population) FROM {lsoas.table} l WHERE l.{code} = g.{code})::BIGINT AS population,
               g.geom, g.geom_wgs84
        FROM _geo_{level.code} g ORDER BY g.{code}
    """)


def build_core_geography(con: duckdb.DuckDBPyConnection, loaded: dict[str, dict[str, Any]]) -> int:
    """Create core_geo__* tables: geometries, display geometries, LSOA -> ward assignment, populations."""
    gla = loaded["gla_gis_boundaries"]
    ons21 = loaded["ons_lsoa21_ward25_boundaries"]
    for level, frame in (
        ("borough", gla["boroughs"]),
        ("ward", gla["wards"]),
        ("ward22", ward22_areas(ons21["ward25"])),
        ("lsoa11", gla["lsoa11"]),
        ("lsoa21", ons21["lsoa21"]),
    ):
        con.register("_g", _with_display(frame, level))
        con.execute(
            f"CREATE OR REPLACE TABLE _geo_{level} AS SELECT * EXCLUDE (geom_wkb, geom_wgs84_wkb), "
            "ST_GeomFromWKB(geom_wkb) AS geom, ST_GeomFromWKB(geom_wgs84_wkb) AS geom_wgs84 FROM _g"
        )
        con.unregister("_g")

    # LSOA 2011 -> ward by largest overlap (LSOAs do not always nest in the 2014-era wards).
    con.execute("""
        CREATE OR REPLACE TABLE _lsoa_ward AS
        SELECT l.lsoa11_code, w.ward_code
        FROM _geo_lsoa11 l JOIN _geo_ward w ON ST_Intersects(l.geom, w.geom)
        QUALIFY row_number() OVER (
            PARTITION BY l.lsoa11_code ORDER BY ST_Area(ST_Intersection(l.geom, w.geom)) DESC, w.ward_code
        ) = 1
    """)
    con.execute("""
        CREATE OR REPLACE TABLE core_geo__lsoa11 AS
        SELECT l.lsoa11_code, l.lsoa11_name, l.msoa11_code, lw.ward_code, l.borough_code, l.area_km2,
               p.pop_total_mid2015::BIGINT AS population, l.usual_residents_2011::BIGINT AS usual_residents_2011,
               l.geom, l.geom_wgs84
        FROM _geo_lsoa11 l
        LEFT JOIN _lsoa_ward lw USING (lsoa11_code)
        LEFT JOIN raw_iod2019_gla_london__population p USING (lsoa11_code)
        ORDER BY l.lsoa11_code
    """)
    con.execute(f"""
        CREATE OR REPLACE TABLE core_geo__lsoa21 AS
        SELECT l.lsoa21_code, l.lsoa21_name, l.borough_code,
               (SELECT any_value(w.ward_code ORDER BY w.ward_code) FROM _geo_ward w
                WHERE ST_Intersects(w.geom, ST_Point(c.easting, c.northing))) AS ward_code,
               CASE WHEN k.lad23_code = '{CITY_OF_LONDON}' THEN '{CITY_OF_LONDON}' ELSE k.ward23_code END
                   AS ward22_code,
               l.area_km2, t.residents_total::BIGINT AS population,
               c.easting AS pwc_easting, c.northing AS pwc_northing, l.geom, l.geom_wgs84
        FROM _geo_lsoa21 l
        LEFT JOIN raw_census2021_lsoa__ts007a t USING (lsoa21_code)
        LEFT JOIN raw_ons_lsoa21_pwc__lsoa21_centroids c USING (lsoa21_code)
        LEFT JOIN raw_ons_lsoa21_ward23_lookup__lsoa21_ward23 k USING (lsoa21_code)
        ORDER BY l.lsoa21_code
    """)
    for level, lsoas in _POPULATION_FROM.items():
        _create_summed_areas(con, LEVELS_BY_CODE[level], LEVELS_BY_CODE[lsoas])
    # The best fit checked against the ward holding each LSOA's population-weighted centroid, and wards with no LSOA.
    con.execute("""
        CREATE OR REPLACE TABLE core_geo__ward22_check AS
        WITH centroid AS (
            SELECT l.lsoa21_code, l.ward22_code,
                   (SELECT any_value(w.ward22_code ORDER BY w.ward22_code) FROM core_geo__ward22 w
                    WHERE ST_Intersects(w.geom, ST_Point(l.pwc_easting, l.pwc_northing))) AS centroid_ward22_code
            FROM core_geo__lsoa21 l)
        SELECT 'centroid in another ward' AS problem, lsoa21_code, ward22_code, centroid_ward22_code
        FROM centroid WHERE centroid_ward22_code IS DISTINCT FROM ward22_code
        UNION ALL
        SELECT 'ward with no LSOA', NULL, w.ward22_code, NULL FROM core_geo__ward22 w
        WHERE w.ward22_code NOT IN (SELECT ward22_code FROM core_geo__lsoa21 WHERE ward22_code IS NOT NULL)
        ORDER BY problem, ward22_code, lsoa21_code
    """)
    con.execute("""
        CREATE OR REPLACE TABLE core_geo__lsoa11_lsoa21 AS
        SELECT lsoa11_code, lsoa21_code, change FROM raw_ons_lsoa11_lsoa21_lookup__lsoa11_lsoa21
        ORDER BY lsoa11_code, lsoa21_code
    """)
    for geo in LEVELS:
        con.execute(f"DROP TABLE _geo_{geo.code}")
    con.execute("DROP TABLE _lsoa_ward")
    return sum(row_count(con, level.table) for level in LEVELS)


def ward22_check_summary(con: duckdb.DuckDBPyConnection) -> list[str]:
    """One warning line per problem kind of core_geo__ward22_check, with the first few cases."""
    lines = []
    for problem, n, cases in con.execute("""
            SELECT problem, count(*),
                   string_agg(coalesce(lsoa21_code || ' best fit ' || ward22_code || ', centroid in '
                                       || coalesce(centroid_ward22_code, 'no ward'), ward22_code), '; '
                              ORDER BY ward22_code, lsoa21_code)
            FROM core_geo__ward22_check GROUP BY problem ORDER BY problem""").fetchall():
        lines.append(f"ward22 check: {n} x {problem}: {cases}")
    return lines


# ---------------------------------------------------------------- spaces


def _stage_spaces(loaded: dict[str, dict[str, Any]]) -> pd.DataFrame:
    """One frame of all space records with a stable id, its source and a layer for de-duplication."""
    cim = loaded["gla_cim"]["spaces"].copy()
    cim["source_id"] = "gla_cim"
    cim["layer"] = "gla_cim:" + cim["source_record"].str.split(":").str[0]
    cim["space_id"] = "cim-" + cim["source_record"].str.replace(".csv:row ", "-", regex=False).str.lower()
    osm = loaded["osm_pofw"]["spaces"].copy()
    osm["source_id"] = "osm_pofw"
    osm["layer"] = "osm_pofw:" + osm["geometry_kind"]
    osm["source_record"] = "OSM " + osm["geometry_kind"] + " " + osm["osm_id"].astype(str)
    osm["space_id"] = "osm-" + osm["geometry_kind"] + "-" + osm["osm_id"].astype(str)  # nodes and ways may share ids
    # Precedence when two sources describe one place: a named record first, then CIM, then OSM point, then polygon.
    cim["precedence"] = 0
    osm["precedence"] = osm["geometry_kind"].map({"point": 1, "polygon": 2}).astype("int64")
    cols = [
        "space_id",
        "name",
        "space_type",
        "source_id",
        "source_record",
        "layer",
        "precedence",
        "easting",
        "northing",
        "lon",
        "lat",
    ]
    frame = pd.concat([cim[cols], osm[cols]], ignore_index=True)
    frame["name"] = frame["name"].fillna("").astype(str).str.strip()
    frame.loc[frame["name"] == "", "precedence"] += 10
    return frame


def build_core_spaces(con: duckdb.DuckDBPyConnection, loaded: dict[str, dict[str, Any]]) -> int:
    """De-duplicate spaces across sources (same type within 25 m) and join each to its LSOA, ward and borough."""
    con.register("_s", _stage_spaces(loaded))
    con.execute("CREATE OR REPLACE TABLE _spaces AS SELECT *, ST_Point(easting, northing) AS pt FROM _s")
    con.unregister("_s")
    con.execute(f"""
        CREATE OR REPLACE TABLE _dupes AS
        SELECT b.space_id, arg_min(a.space_id, a.precedence) AS kept_space_id
        FROM _spaces a JOIN _spaces b
          ON a.space_type = b.space_type AND a.layer <> b.layer
         AND ST_DWithin(a.pt, b.pt, {DUPLICATE_RADIUS_M})
         AND (a.precedence < b.precedence OR (a.precedence = b.precedence AND a.space_id < b.space_id))
        GROUP BY b.space_id
    """)
    con.execute("""
        CREATE OR REPLACE TABLE _joined AS
        WITH s AS (SELECT * FROM _spaces WHERE space_id NOT IN (SELECT space_id FROM _dupes)),
        l11 AS (SELECT s.space_id, any_value(l.lsoa11_code ORDER BY l.lsoa11_code) AS lsoa11_code
                FROM s JOIN core_geo__lsoa11 l ON ST_Intersects(l.geom, s.pt) GROUP BY s.space_id),
        l21 AS (SELECT s.space_id, any_value(l.lsoa21_code ORDER BY l.lsoa21_code) AS lsoa21_code
                FROM s JOIN core_geo__lsoa21 l ON ST_Intersects(l.geom, s.pt) GROUP BY s.space_id),
        w AS (SELECT s.space_id, any_value(w.ward_code ORDER BY w.ward_code) AS ward_code
              FROM s JOIN core_geo__ward w ON ST_Intersects(w.geom, s.pt) GROUP BY s.space_id),
        w22_in AS (SELECT s.space_id, any_value(w.ward22_code ORDER BY w.ward22_code) AS ward22_code
                   FROM s JOIN core_geo__ward22 w ON ST_Intersects(w.geom, s.pt) GROUP BY s.space_id),
        -- the generalised May 2025 outlines miss a few riverside points by metres: nearest ward within 25 m
        w22 AS (SELECT * FROM w22_in UNION ALL
                SELECT s.space_id, arg_min(w.ward22_code, ST_Distance(w.geom, s.pt))
                FROM s JOIN core_geo__ward22 w ON ST_DWithin(w.geom, s.pt, 25)
                WHERE s.space_id NOT IN (SELECT space_id FROM w22_in) GROUP BY s.space_id),
        b AS (SELECT s.space_id, any_value(b.borough_code ORDER BY b.borough_code) AS borough_code
              FROM s JOIN core_geo__borough b ON ST_Intersects(b.geom, s.pt) GROUP BY s.space_id)
        SELECT s.space_id, s.name, s.space_type, s.source_id, s.source_record, s.easting, s.northing, s.lon, s.lat,
               l11.lsoa11_code, l21.lsoa21_code, w.ward_code, w22.ward22_code, b.borough_code
        FROM s LEFT JOIN l11 USING (space_id) LEFT JOIN l21 USING (space_id)
               LEFT JOIN w USING (space_id) LEFT JOIN w22 USING (space_id) LEFT JOIN b USING (space_id)
    """)
    con.execute("""
        CREATE OR REPLACE TABLE core_spaces__inclusive AS
        SELECT * FROM _joined
        WHERE lsoa11_code IS NOT NULL AND ward_code IS NOT NULL AND borough_code IS NOT NULL
        ORDER BY space_type, space_id
    """)
    con.execute("""
        CREATE OR REPLACE TABLE core_spaces__excluded AS
        SELECT s.space_id, s.name, s.space_type, s.source_id,
               'duplicate of a record from another source within 25 m' AS reason, d.kept_space_id
        FROM _spaces s JOIN _dupes d USING (space_id)
        UNION ALL
        SELECT space_id, name, space_type, source_id,
               'outside London (not inside any London LSOA, ward and borough polygon)', NULL
        FROM _joined WHERE lsoa11_code IS NULL OR ward_code IS NULL OR borough_code IS NULL
        ORDER BY space_id
    """)
    for t in ("_spaces", "_dupes", "_joined"):
        con.execute(f"DROP TABLE {t}")
    return row_count(con, "core_spaces__inclusive")


# ---------------------------------------------------------------- indicators


def iod2019_borough_rows(loaded: dict[str, dict[str, Any]]) -> pd.DataFrame:
    """Borough IoD2019 summaries computed by our code from the LSOA scores, ranks and mid-2015 populations."""
    gla = loaded["iod2019_gla_london"]
    lsoa = gla["lsoa_scores"].merge(gla["population"], on="lsoa11_code")
    parts = []
    for ind in INDICATORS:
        if ind.levels != ("borough",) or not ind.id.endswith("_avg_score"):
            continue
        key = ind.id.removesuffix("2019_avg_score")
        summary = deprivation.summarise_lads(
            lsoa,
            area_col="lad19_code",
            score_col=f"{key}_score",
            rank_col=f"{key}_rank",
            pop_col=deprivation.IOD2019_DENOMINATORS[key],
        )
        measures = {
            f"{key}2019_avg_score": "avg_score",
            f"{key}2019_avg_rank": "avg_rank",
            f"{key}2019_pct_lsoas_most_deprived_10pct": "prop_most_deprived_10pct",
        }
        if key == "imd":
            measures["imd2019_extent"] = "extent"
        for indicator_id, col in measures.items():
            value = summary[col].astype("float64")
            if col == "prop_most_deprived_10pct":
                value = value * 100.0
            parts.append(
                pd.DataFrame(
                    {
                        "area_code": summary.index.astype(str),
                        "area_level": "borough",
                        "indicator_id": indicator_id,
                        "value": value.to_numpy(),
                        "vintage": "IoD2019",
                        "source_id": "iod2019_gla_london",
                        "assignment": "computed",
                    }
                )
            )
    return pd.concat(parts, ignore_index=True)


#: The GLA ward well-being year used by the independent check (the latest, 2013 edition).
WELLBEING_CHECK_YEAR = 2013


def build_core_indicators(
    con: duckdb.DuckDBPyConnection, loaded: dict[str, dict[str, Any]], report: BuildReport | None = None
) -> int:
    """Create core_indicators__values (long form) and the published File 10 figures for checking."""
    register(con, "_iod_summaries", iod2019_borough_rows(loaded))
    con.execute("""CREATE OR REPLACE TABLE core_indicators__values (area_code VARCHAR, area_level VARCHAR,
                   indicator_id VARCHAR, value DOUBLE, vintage VARCHAR, source_id VARCHAR, assignment VARCHAR)""")
    con.execute("INSERT INTO core_indicators__values SELECT * FROM _iod_summaries")
    con.execute("DROP TABLE _iod_summaries")
    warnings = derived_indicators.derive_all(con)
    if report is not None:
        report.warnings.extend(warnings)
    # Parallel sums differ in the last bits from run to run; rounding keeps the snapshot reproducible.
    con.execute("""CREATE OR REPLACE TABLE core_indicators__values AS
                   SELECT * REPLACE (round(value, 10) AS value) FROM core_indicators__values
                   ORDER BY indicator_id, area_level, area_code""")
    # The GLA ward well-being scores: an independent check of the need score (external_check), never an input.
    con.execute(f"""
        CREATE OR REPLACE TABLE core_checks__ward_wellbeing AS
        SELECT r.ward_code, r.ward_name, r.wellbeing_{WELLBEING_CHECK_YEAR} AS wellbeing, {WELLBEING_CHECK_YEAR} AS year
        FROM raw_gla_ward_wellbeing__wards r JOIN core_geo__ward USING (ward_code) ORDER BY r.ward_code""")
    published = loaded["iod2019_mhclg"]["lad_summaries"]
    long = published.drop(columns=["lad19_name"]).melt(id_vars="lad19_code", var_name="measure", value_name="value")
    register(con, "core_iod2019__lad_published", long.rename(columns={"lad19_code": "borough_code"}))
    return row_count(con, "core_indicators__values")


def build_core_sources(con: duckdb.DuckDBPyConnection) -> int:
    """Create core_meta__sources from the catalogue."""
    frame = pd.DataFrame(
        [
            {
                "source_id": s.id,
                "title": s.title,
                "publisher": s.publisher,
                "url": s.page_url,
                "licence": s.licence,
                "attribution": s.attribution,
                "vintage": s.vintage,
                "geography": s.geography,
                "used_for": s.used_for,
                "caveat": s.caveat,
            }
            for s in SOURCES
        ]
    )
    register(con, "core_meta__sources", frame)
    return len(frame)
