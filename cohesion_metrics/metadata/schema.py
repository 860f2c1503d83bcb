"""The database schema, declared once: every core/out table and public view, with column descriptions.

`apply_comments` writes these as `COMMENT ON` in DuckDB; the data dictionary page and the README render
them; the snapshot lists exactly the tables declared here with `in_snapshot=True`.
"""

from __future__ import annotations

from dataclasses import dataclass

import duckdb
import pandas as pd

from cohesion_metrics.metadata.levels import LEVELS


@dataclass(frozen=True)
class Table:
    """A table or view and what each of its columns means."""

    name: str
    description: str
    columns: dict[str, str]
    in_snapshot: bool = True
    is_view: bool = False


_GEOM = "Polygon in British National Grid (EPSG:27700), for analysis."
_GEOM_WGS84 = "Polygon in WGS84 (EPSG:4326), coverage-simplified for display (shared edges kept), about 1 m precision."

_LEVEL_CODES = [level.code for level in LEVELS]
_LEVELS = f"Area level: {', '.join(_LEVEL_CODES[:-1])} or {_LEVEL_CODES[-1]} (the last two the IoD2019 vintage)."
_STABILITY = "stable (5-95% rank interval at most 5 places wide), fairly stable (at most 20 places) or uncertain."
_MEASURE_TEXT = {
    "need": "Need (urgent needs, root causes and vulnerability), 0..1: mean of the need pillars' London percentile "
    "scores; 0 = least need in London, 1 = most.",
    "capacity": "Cohesion capacity (spaces, networks, participation, trust), 0..1: mean of the capacity pillars, "
    "1 = most capacity in London.",
    "hazard": "Hazard exposure, 0..1: mean of the hazard pillars (flood, heat, air), 1 = most exposed; never averaged "
    "into need.",
    "priority": "Priority: need, for areas whose cohesion capacity is below London's median; NaN for the others "
    "(capacity decides eligibility, it never lowers need).",
}
_RANK_TEXT = {
    "need": "1 = most need",
    "capacity": "1 = least capacity",
    "priority": "1 = first priority",
}


def _measure_columns() -> dict[str, str]:
    out = {"area_code": "Area code.", "area_level": _LEVELS}
    for m in ("need", "capacity", "hazard", "priority"):
        out[m] = _MEASURE_TEXT[m]
        out[f"{m}_rank"] = f"London rank of {m} among the level's areas ({_RANK_TEXT.get(m, '1 = most exposed')})."
        if m == "hazard":
            continue
        out[f"{m}_rank_median"] = f"Median {m} rank over the Monte Carlo draws of weights and normalisation."
        out[f"{m}_rank_p05"] = f"5th percentile of the {m} rank over the draws (the likely range's best end)."
        out[f"{m}_rank_p95"] = f"95th percentile of the {m} rank over the draws (the likely range's other end)."
        out[f"{m}_top10_share"] = f"Share of the draws in which the area is in London's top 10 on {m}."
        out[f"{m}_top_third_share"] = f"Share of the draws in which the area is in London's top third on {m}."
        out[f"{m}_stability"] = _STABILITY
    out.update(
        {
            "coverage": "Share of the framework's weight whose indicators have values for the area.",
            "flagged": "True where coverage is too low to score the area.",
            "flag_reason": "Why the area is not scored.",
            "need_tercile": "London third of need (1 low .. 3 high).",
            "capacity_tercile": "London third of cohesion capacity (1 low .. 3 high).",
            "hazard_tercile": "London third of hazard exposure (1 low .. 3 high).",
            "class_code": "Need x capacity class 1..9 = 3 * (need_tercile - 1) + capacity_tercile; 7 = high need / "
            "low capacity.",
            "class_label": "Need x capacity class in words, e.g. high need / low capacity.",
            "exposed": "True for high need, low capacity and exposed: class 7 with hazard in London's top third.",
        }
    )
    from cohesion_metrics.metadata.indicators import PILLARS

    for p in PILLARS:
        if p.role != "context":
            out[f"pillar__{p.id}"] = (
                f"Pillar score, 0..1, higher = more need (for capacity pillars: less capacity): {p.label.lower()} "
                f"({p.role})."
            )
    return out


_AREA_MEASURE_COLUMNS = _measure_columns()
#: The public `cohesion` view's columns, in order.
COHESION_COLUMNS = (
    "area_code",
    "area_level",
    "need",
    "need_rank",
    "need_rank_p05",
    "need_rank_p95",
    "capacity",
    "capacity_rank",
    "capacity_rank_p05",
    "capacity_rank_p95",
    "hazard",
    "hazard_rank",
    "priority",
    "priority_rank",
    "priority_rank_p05",
    "priority_rank_p95",
    "priority_top10_share",
    "priority_top_third_share",
    "class_label",
    "exposed",
    *(c for c in _AREA_MEASURE_COLUMNS if c.startswith("pillar__")),
)

TABLES: tuple[Table, ...] = (
    Table(
        "core_geo__borough",
        "London boroughs (33), GLA statistical boundaries (2011 series, MHW excluded).",
        {
            "borough_code": "ONS local authority district code (E09).",
            "borough_name": "Borough name as published.",
            "area_km2": "Land area in square kilometres, computed from the geometry.",
            "population": "Mid-2015 population (IoD2019 denominators), summed from LSOAs.",
            "geom": _GEOM,
            "geom_wgs84": _GEOM_WGS84,
        },
    ),
    Table(
        "core_geo__ward",
        "London wards (625, as in the GLA statistical boundaries; City of London merged into one).",
        {
            "ward_code": "ONS ward code (E05), or E09000001 for the merged City of London.",
            "ward_name": "Ward name as published.",
            "borough_code": "Borough the ward lies in (E09).",
            "area_km2": "Area in square kilometres, computed from the geometry.",
            "population": "Mid-2015 population of the LSOAs assigned to the ward (largest overlap).",
            "geom": _GEOM,
            "geom_wgs84": _GEOM_WGS84,
        },
    ),
    Table(
        "core_geo__ward22",
        "Current London wards (2022 boundaries, May 2025 ONS generalised outlines): 679 wards and the City of London "
        "as one unit (its 25 wards hold 6 LSOAs), 680 areas.",
        {
            "ward22_code": "ONS ward code (E05, WD23 = WD25 in London), or E09000001 for the City as one unit.",
            "ward22_name": 'Ward name as published ("City of London" for the merged unit).',
            "borough_code": "Borough the ward lies in (E09).",
            "area_km2": "Area in square kilometres, computed from the geometry.",
            "population": "Usual residents, Census 2021: sum over the LSOA 2021s assigned to the ward (best fit).",
            "geom": _GEOM,
            "geom_wgs84": _GEOM_WGS84,
        },
    ),
    Table(
        "core_geo__ward22_check",
        "The LSOA 2021 -> current ward best fit checked against the ward holding each LSOA's population-weighted "
        "centroid: every disagreement, and every ward with no LSOA.",
        {
            "problem": "'centroid in another ward' or 'ward with no LSOA'.",
            "lsoa21_code": "The LSOA 2021 (NULL for a ward with no LSOA).",
            "ward22_code": "The best-fit ward (ONS lookup), or the ward with no LSOA.",
            "centroid_ward22_code": "The ward holding the LSOA's population-weighted centroid.",
        },
    ),
    Table(
        "core_checks__ward_wellbeing",
        "GLA London Ward Well-Being Scores for the 2014 wards (the City as one unit): used only to check the need "
        "score (Spearman's rho), never as an input.",
        {
            "ward_code": "2014 ward code (E05), or E09000001 for the City as one unit.",
            "ward_name": "Ward name as published.",
            "wellbeing": "Well-Being Score (equal weights), relative to England and Wales = 0; higher = better.",
            "year": "Year of the score.",
        },
    ),
    Table(
        "core_geo__lsoa11",
        "London Lower Layer Super Output Areas, 2011 geography (4,835).",
        {
            "lsoa11_code": "LSOA 2011 code (E01).",
            "lsoa11_name": "LSOA 2011 name.",
            "msoa11_code": "MSOA 2011 code (E02) the LSOA nests in.",
            "ward_code": "Ward with the largest overlap with the LSOA.",
            "borough_code": "Borough (E09).",
            "area_km2": "Area in square kilometres, computed from the geometry.",
            "population": "Total population mid-2015 excluding prisoners (IoD2019 denominator).",
            "usual_residents_2011": "Usual residents, Census 2011 (as published with the boundaries).",
            "geom": _GEOM,
            "geom_wgs84": _GEOM_WGS84,
        },
    ),
    Table(
        "core_geo__lsoa21",
        "London Lower Layer Super Output Areas, 2021 geography (4,994), ONS generalised boundaries.",
        {
            "lsoa21_code": "LSOA 2021 code (E01).",
            "lsoa21_name": "LSOA 2021 name.",
            "borough_code": "Borough (E09).",
            "ward_code": "Ward (GLA boundaries) containing the LSOA's population-weighted centroid.",
            "ward22_code": "Current ward (2022 boundaries; E09000001 for the City as one unit): ONS best fit "
            "(LSOA 2021 -> ward 2023 lookup).",
            "area_km2": "Area in square kilometres, computed from the geometry.",
            "population": "Usual residents, Census 2021 (TS007A total).",
            "pwc_easting": "Population-weighted centroid, easting (BNG metres), ONS.",
            "pwc_northing": "Population-weighted centroid, northing (BNG metres), ONS.",
            "geom": _GEOM,
            "geom_wgs84": _GEOM_WGS84,
        },
    ),
    Table(
        "core_geo__lsoa11_lsoa21",
        "ONS exact-fit lookup from 2011 to 2021 LSOAs, London rows, with the change indicator.",
        {
            "lsoa11_code": "LSOA 2011 code.",
            "lsoa21_code": "LSOA 2021 code.",
            "change": "ONS CHGIND: U unchanged, S split, M merged, X complex.",
        },
    ),
    Table(
        "core_spaces__inclusive",
        "Inclusive spaces (points) with the LSOA, ward and borough each lies in (spatial join in DuckDB).",
        {
            "space_id": "Stable identifier: source, layer and record.",
            "name": "Name as published (may be empty for OpenStreetMap features).",
            "space_type": "Kind of space, e.g. community_centre, library, place_of_worship, pub.",
            "source_id": "Catalogue source id.",
            "source_record": "Where the record is in the source file.",
            "easting": "British National Grid easting (metres).",
            "northing": "British National Grid northing (metres).",
            "lon": "WGS84 longitude.",
            "lat": "WGS84 latitude.",
            "lsoa11_code": "LSOA 2011 containing the point.",
            "lsoa21_code": "LSOA 2021 containing the point.",
            "ward_code": "Ward containing the point.",
            "ward22_code": "Current ward (2022 boundaries; the City as one unit) containing the point, or the "
            "nearest within 25 m where the generalised outline misses a riverside point.",
            "borough_code": "Borough containing the point.",
        },
    ),
    Table(
        "core_spaces__excluded",
        "Space records left out of the analysis, with the reason (outside London, or a duplicate within 25 m).",
        {
            "space_id": "Identifier as in core_spaces__inclusive.",
            "name": "Name as published.",
            "space_type": "Kind of space.",
            "source_id": "Catalogue source id.",
            "reason": "Why it was left out.",
            "kept_space_id": "For duplicates: the record kept instead.",
        },
    ),
    Table(
        "core_indicators__values",
        "Every indicator value in long form, with its vintage and source.",
        {
            "area_code": "Area code (see areas).",
            "area_level": "borough, ward22 (current wards), ward (2014 wards), lsoa21 or lsoa11.",
            "indicator_id": "Indicator id (see the indicator registry).",
            "value": "The value, in the indicator's unit.",
            "vintage": "The period the value describes.",
            "source_id": "Catalogue source id.",
            "assignment": "native: published for the area; computed: by our code from published data; aggregated: "
            "population-weighted mean of LSOA 2011 values; exact_2021_lookup: 2021 value on a 2011 LSOA via the ONS "
            "exact lookup (unchanged or split LSOAs only).",
        },
    ),
    Table(
        "core_iod2019__lad_published",
        "MHCLG IoD2019 File 10 summary measures for the London boroughs, as published (used to check our aggregation).",
        {
            "borough_code": "Borough (E09).",
            "measure": "Measure name, e.g. imd_avg_score.",
            "value": "Published value.",
        },
    ),
    Table(
        "core_meta__sources",
        "The source catalogue: what each source is, who publishes it, where, licence and vintage.",
        {
            "source_id": "Catalogue id.",
            "title": "Title.",
            "publisher": "Publisher.",
            "url": "Publisher's page.",
            "licence": "Licence.",
            "attribution": "Attribution text to show.",
            "vintage": "Vintage of the data.",
            "geography": "Geography and code vintage.",
            "used_for": "What the product uses it for.",
            "caveat": "Known caveats.",
        },
    ),
    Table(
        "out_cohesion__areas",
        "The framework's default run (equal pillar weights, percentile-rank normalisation, pillar checks applied, "
        "1,000 Monte Carlo draws, hazard weight 0) for every area of every level.",
        _AREA_MEASURE_COLUMNS,
    ),
    Table(
        "out_cohesion__priorities",
        "The priority list per level: areas whose cohesion capacity is below London's median, ranked by need "
        "(capacity decides eligibility only).",
        {
            "area_code": "Area code.",
            "priority_rank": "1 = first place to embed cohesion in the resilience plan.",
            "priority": _MEASURE_TEXT["priority"],
            "need": _MEASURE_TEXT["need"],
            "capacity": _MEASURE_TEXT["capacity"],
            "hazard": _MEASURE_TEXT["hazard"],
            "need_rank": "London rank of need, 1 = most need.",
            "priority_rank_p05": "5th percentile of the priority rank over the Monte Carlo draws.",
            "priority_rank_p95": "95th percentile of the priority rank over the Monte Carlo draws.",
            "priority_top10_share": "Share of the draws in which the area is in London's top 10 priorities.",
            "priority_top_third_share": "Share of the draws in which the area is in the top third of that draw's priorities.",
            "priority_stability": _STABILITY,
            "class_label": "Need x capacity class in words.",
            "exposed": "True for high need, low capacity and hazard exposure in London's top third.",
            "area_level": _LEVELS,
        },
    ),
    Table(
        "out_cohesion__pillar_checks",
        "The pillar checks (OECD/JRC multivariate step) per level: each indicator's correlation with the rest of its "
        "pillar, the pillar's Cronbach's alpha, and whether the indicator is in the default.",
        {
            "pillar": "Pillar id.",
            "indicator": "Indicator id.",
            "n_areas": "Areas with a value at the level.",
            "item_rest_r": "Pearson correlation of the indicator's oriented London percentile rank with the mean of the "
            "rest of its pillar (for a dropped indicator, when it was dropped).",
            "pillar_alpha": "Cronbach's alpha of the pillar's default indicators (complete areas).",
            "pillar_alpha_all": "Cronbach's alpha of all the pillar's indicators before any was dropped.",
            "in_default": "False where the indicator runs against its pillar (negative item-rest correlation).",
            "dropped_round": "Order in which it was dropped (0 = kept).",
            "reason": "Why it is out of the default, in words.",
            "level": _LEVELS,
        },
    ),
    Table(
        "out_cohesion__flags",
        "Every indicator value at or above the 90th need-oriented London percentile, so an average never hides an extreme.",
        {
            "area_code": "Area code.",
            "indicator": "Indicator id.",
            "pillar": "Pillar id.",
            "percentile": "Need-oriented London percentile (0..100).",
            "value": "Indicator value.",
            "area_level": "lsoa11, ward or borough.",
        },
    ),
    Table(
        "out_cohesion__actions",
        "Recommendation 5 actions for each area's weakest pillars, with the figures that triggered them.",
        {
            "area_code": "Area code.",
            "action_rank": "Order of the action for the area (1 first).",
            "action": "Recommendation 5 letter (a)..(f).",
            "action_label": "What the action funds.",
            "pillar": "The weak pillar behind it.",
            "pillar_percentile": "London percentile of that pillar (0..100, higher = more need).",
            "indicator": "An indicator that triggered it.",
            "value": "Its value.",
            "percentile": "Its need-oriented London percentile.",
            "area_level": "lsoa11, ward or borough.",
        },
    ),
    Table(
        "out_cohesion__lsoa_summaries",
        "Ward and borough summaries of the LSOA 2011 need score (London comparator).",
        {
            "area_code": "Ward or borough code.",
            "area_level": "ward or borough.",
            "population": "Mid-2015 population of its LSOAs.",
            "n_areas": "Number of LSOAs.",
            "scored_pop_share": "Share of the population in scored LSOAs.",
            "score_pop_weighted_mean": "Population-weighted mean of the LSOA need score.",
            "most_need_decile_pop_share": "Share of the population in London's most-in-need 10% of LSOAs.",
            "extent": "IoD-style extent: population share in the most-in-need 30%, sliding weights.",
            "comparator": "What the percentiles are relative to (London).",
        },
    ),
    Table(
        "out_cohesion__neighbours",
        "Each borough's five most similar boroughs on the pillar profile (standardised Euclidean distance).",
        {
            "area_code": "Borough.",
            "neighbour_code": "A similar borough.",
            "distance": "Standardised Euclidean distance between pillar profiles.",
            "rank": "1 = most similar.",
        },
    ),
    Table(
        "areas",
        "Public view: every area at every level with its parent, borough, population and geometry.",
        {
            "area_code": "Area code.",
            "area_name": "Area name.",
            "area_level": "borough, ward22 (current wards), ward (2014 wards), lsoa21 or lsoa11.",
            "parent_code": "Code of the area one level up (LSOA 2011 -> ward -> borough -> London E12000007; LSOA 2021 -> ward22 -> "
            "borough).",
            "borough_code": "Borough (E09).",
            "population": "Population (see population_vintage).",
            "population_vintage": "Which population: mid-2015 IoD denominators, or Census 2021.",
            "area_km2": "Area in square kilometres.",
            "geometry": _GEOM,
        },
        is_view=True,
    ),
    Table(
        "indicators",
        "Public view: indicator values in long form (area_code, area_level, indicator_id, value, vintage, source_id).",
        {
            "area_code": "Area code.",
            "area_level": "Area level.",
            "indicator_id": "Indicator id.",
            "value": "Value in the indicator's unit.",
            "vintage": "Period the value describes.",
            "source_id": "Catalogue source id.",
        },
        is_view=True,
    ),
    Table(
        "spaces",
        "Public view: inclusive spaces with their areas.",
        {
            "space_id": "Identifier.",
            "name": "Name.",
            "space_type": "Kind of space.",
            "source_id": "Catalogue source id.",
            "lsoa11_code": "LSOA 2011.",
            "lsoa21_code": "LSOA 2021.",
            "ward_code": "Ward (2014 boundaries).",
            "ward22_code": "Current ward (2022 boundaries; the City as one unit).",
            "borough_code": "Borough.",
            "easting": "BNG easting.",
            "northing": "BNG northing.",
            "lon": "Longitude.",
            "lat": "Latitude.",
        },
        is_view=True,
    ),
    Table(
        "cohesion",
        "Public view: the framework's default run, one row per area for every level: need, cohesion capacity, "
        "hazard exposure and priority with their ranks and 5-95% rank intervals, the need x capacity class, "
        "exposure and pillar scores.",
        {c: _AREA_MEASURE_COLUMNS[c] for c in COHESION_COLUMNS},
        is_view=True,
    ),
    Table(
        "sources",
        "Public view: the source catalogue.",
        {
            "source_id": "Catalogue id.",
            "title": "Title.",
            "publisher": "Publisher.",
            "url": "Publisher's page.",
            "licence": "Licence.",
            "vintage": "Vintage.",
        },
        is_view=True,
    ),
)

TABLES_BY_NAME = {t.name: t for t in TABLES}

PUBLIC_VIEWS_SQL = """
CREATE OR REPLACE VIEW areas AS
    SELECT borough_code AS area_code, borough_name AS area_name, 'borough' AS area_level,
           'E12000007' AS parent_code, borough_code, population,
           'mid-2015 (IoD2019 denominators)' AS population_vintage, area_km2, geom AS geometry
    FROM core_geo__borough
    UNION ALL
    SELECT ward_code, ward_name, 'ward', borough_code, borough_code, population,
           'mid-2015 (IoD2019 denominators)', area_km2, geom
    FROM core_geo__ward
    UNION ALL
    SELECT lsoa11_code, lsoa11_name, 'lsoa11', ward_code, borough_code, population,
           'mid-2015 (IoD2019 denominators)', area_km2, geom
    FROM core_geo__lsoa11
    UNION ALL
    SELECT lsoa21_code, lsoa21_name, 'lsoa21', ward22_code, borough_code, population,
           'Census 2021', area_km2, geom
    FROM core_geo__lsoa21
    UNION ALL
    SELECT ward22_code, ward22_name, 'ward22', borough_code, borough_code, population,
           'Census 2021', area_km2, geom
    FROM core_geo__ward22;
CREATE OR REPLACE VIEW indicators AS
    SELECT area_code, area_level, indicator_id, value, vintage, source_id FROM core_indicators__values;
CREATE OR REPLACE VIEW spaces AS
    SELECT space_id, name, space_type, source_id, lsoa11_code, lsoa21_code, ward_code, ward22_code, borough_code,
           easting, northing, lon, lat
    FROM core_spaces__inclusive;
CREATE OR REPLACE VIEW sources AS
    SELECT source_id, title, publisher, url, licence, vintage FROM core_meta__sources;
"""


def _quote(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


#: The view over the framework's outputs, created once the out_ tables exist.
COHESION_VIEW_SQL = (
    "CREATE OR REPLACE VIEW cohesion AS SELECT " + ", ".join(COHESION_COLUMNS) + " FROM out_cohesion__areas;"
)


def create_public_views(con: duckdb.DuckDBPyConnection) -> None:
    """Create the public views over the core tables (and over the out_ tables once they exist)."""
    con.execute(PUBLIC_VIEWS_SQL)
    tables = {r[0] for r in con.execute("SELECT table_name FROM duckdb_tables()").fetchall()}
    if "out_cohesion__areas" in tables:
        con.execute(COHESION_VIEW_SQL)


def apply_comments(con: duckdb.DuckDBPyConnection) -> None:
    """Write COMMENT ON for every declared table/view and column that exists in the database."""
    existing = {r[0] for r in con.execute("SELECT table_name FROM information_schema.tables").fetchall()}
    for table in TABLES:
        if table.name not in existing:
            continue
        kind = "VIEW" if table.is_view else "TABLE"
        con.execute(f"COMMENT ON {kind} {table.name} IS {_quote(table.description)}")
        cols = {
            r[0]
            for r in con.execute(
                "SELECT column_name FROM information_schema.columns WHERE table_name = ?", [table.name]
            ).fetchall()
        }
        for col, text in table.columns.items():
            if col in cols:
                con.execute(f"COMMENT ON COLUMN {table.name}.{col} IS {_quote(text)}")


def public_views_markdown() -> str:
    """The README's markdown table of the public views: name, what each holds, its columns (pillars as one entry)."""
    lines = ["| view | what it holds | columns |", "|---|---|---|"]
    for table in TABLES:
        if table.is_view:
            columns = [c for c in table.columns if not c.startswith("pillar__")]
            if len(columns) < len(table.columns):
                columns.append("one `pillar__<id>` score per pillar")
            what = table.description.removeprefix("Public view: ").removesuffix(".")
            lines.append(f"| `{table.name}` | {what} | {', '.join(columns)} |")
    return "\n".join(lines) + "\n"


def data_dictionary() -> pd.DataFrame:
    """One row per declared column: table, column, description."""
    rows = [
        {"table": t.name, "kind": "view" if t.is_view else "table", "column": c, "description": d}
        for t in TABLES
        for c, d in t.columns.items()
    ]
    return pd.DataFrame(rows)
