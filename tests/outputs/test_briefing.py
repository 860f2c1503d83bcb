"""The borough briefing PDF: built offline, every figure from the database, gaps said, sources and vintages named."""

from __future__ import annotations

import datetime as dt
import io

import pypdf
import pytest
from conftest import block_network

from cohesion_metrics.figures import map_sources
from cohesion_metrics.metadata.indicators import INDICATORS_BY_ID
from cohesion_metrics.method.classify import RECOMMENDATION_5
from cohesion_metrics.outputs import briefing, briefing_content, safe_csv
from cohesion_metrics.read import page_text, queries

TOWER_HAMLETS, CITY = "E09000030", "E09000001"
ON = dt.date(2024, 6, 1)


@pytest.fixture(scope="module")
def pdfs(con) -> dict[str, bytes]:
    """Tower Hamlets' and the City of London's briefings, built with every network connection failing."""
    with pytest.MonkeyPatch.context() as mp:
        block_network(mp)
        return {code: briefing.build_briefing(con, code, generated_on=ON) for code in (TOWER_HAMLETS, CITY)}


def _text(pdf: bytes) -> str:
    """The PDF's text, whitespace collapsed (table cells and paragraphs wrap anywhere)."""
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    return " ".join(" ".join(page.extract_text() for page in reader.pages).split())


@pytest.fixture(scope="module")
def texts(pdfs) -> dict[str, str]:
    return {code: _text(pdf) for code, pdf in pdfs.items()}


def _borough_row(con, code: str):
    return queries.cohesion_areas(con, "borough").set_index("area_code").loc[code]


def test_a_pdf_with_the_map_and_chart_embedded(pdfs) -> None:
    reader = pypdf.PdfReader(io.BytesIO(pdfs[TOWER_HAMLETS]))
    assert pdfs[TOWER_HAMLETS].startswith(b"%PDF-")
    assert 2 <= len(reader.pages) <= 6
    assert sum(len(page.images) for page in reader.pages) == 2  # the priorities map and the pillar profile
    assert reader.metadata is not None and "Tower Hamlets" in str(reader.metadata.title)


def test_names_the_borough_and_the_date_generated(texts) -> None:
    text = texts[TOWER_HAMLETS]
    assert "Tower Hamlets: social cohesion and resilience briefing" in text
    assert "Generated 1 June 2024 (2024-06-01)" in text
    assert text.count("generated 2024-06-01") >= 2  # every page's footer


def test_headline_rank_interval_and_class_come_from_the_database(con, texts) -> None:
    row = _borough_row(con, TOWER_HAMLETS)
    text = texts[TOWER_HAMLETS]
    assert f"ranks {row['need_rank']:.0f} of 33 boroughs for need" in text
    likely = page_text.likely_range(row[["need_rank_p05"]], row[["need_rank_p95"]]).iloc[0]
    assert f"likely {likely} over 1,000 re-runs" in text
    assert f"{row['capacity_rank']:.0f} of 33 for cohesion capacity" in text
    assert f"Need against cohesion capacity: {row['class_label']}" in text


def _page_text(pdf: bytes, page: int) -> str:
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    return " ".join(reader.pages[page].extract_text().split())


def test_page_one_stands_alone(con, pdfs) -> None:
    """Page 1: the borough, three asks with plain figures, the map, what the data cannot say, the annex pointer."""
    reader = pypdf.PdfReader(io.BytesIO(pdfs[TOWER_HAMLETS]))
    assert 2 <= len(reader.pages) <= 6
    first = _page_text(pdfs[TOWER_HAMLETS], 0)
    assert "Tower Hamlets: social cohesion and resilience briefing" in first
    assert "The three most important asks" in first
    assert "1. Embed cohesion first in" in first and " 2. " in first and " 3. " in first
    assert "What the data cannot say for Tower Hamlets" in first
    assert "Annex (pages 2 onwards)" in first and "every source with its vintage and licence" in first
    assert len(reader.pages[0].images) == 1  # the map that was on screen
    content = briefing.briefing_content(con, TOWER_HAMLETS, generated_on=ON)
    assert len(content.asks) == briefing.N_ASKS
    first_place = content.priorities["area_name"].iloc[0]
    assert first_place in first
    # Pages 2+ are the annex: the priority table and the sources are not on page 1.
    assert "Sources, vintages and licences" not in first
    assert "Annex" in _page_text(pdfs[TOWER_HAMLETS], 1)


def test_asks_cite_only_indicators_above_the_70th_percentile(con) -> None:
    content = briefing.briefing_content(con, TOWER_HAMLETS, generated_on=ON)
    assert (content.action_figures["percentile"] > 70).all()
    actions = queries.actions(con, "borough", TOWER_HAMLETS)
    assert (actions["percentile"].dropna() > 70).all()


def test_lists_the_borough_priority_neighbourhoods_with_rank_intervals(con, texts) -> None:
    level = briefing.neighbourhood_level(con)
    top = queries.priorities(con, level, top=briefing.TOP_PRIORITIES, borough_code=TOWER_HAMLETS)
    assert len(top) > 0
    text = texts[TOWER_HAMLETS]
    n_listed = len(queries.priorities(con, level, top=None))
    likely = page_text.likely_range(top["priority_rank_p05"], top["priority_rank_p95"], n_listed)
    sure = page_text.certainty_words(top["priority_top10_share"])
    for k, (r, lk, su) in enumerate(zip(top.itertuples(), likely, sure, strict=True), start=1):
        assert f"{k} {r.area_name} {r.area_code} {r.priority_rank}" in text  # map no., name, code, London priority
        assert f"{su} {lk}" in text  # how sure, then the likely range
    others = queries.priorities(con, level, top=None)
    outside = others[others["borough_code"] != TOWER_HAMLETS]["area_code"].head(20)
    assert not any(code in text for code in outside)


def test_profile_neighbours_and_actions(con, texts) -> None:
    text = texts[TOWER_HAMLETS]
    near = queries.neighbours(con, TOWER_HAMLETS)
    assert len(near) == 5
    assert "the most similar profile: " + ", ".join(near["borough_name"]) in text
    means = queries.pillar_means(con, "borough")
    own = _borough_row(con, TOWER_HAMLETS)
    assert f"Inclusive spaces {own['pillar__inclusive_spaces']:.2f} {means['inclusive_spaces']:.2f}" in text
    letters = set(queries.actions(con, "borough", TOWER_HAMLETS)["action"])
    assert letters
    for letter in letters:
        assert f"({letter}) {RECOMMENDATION_5[letter]}" in text


def test_sources_vintages_and_attributions_are_named(con, texts) -> None:
    text = texts[TOWER_HAMLETS]
    for source in ("lsoa11", "borough"):
        ids = map_sources.measure_sources(con, source, "need")
        for r in ids.itertuples():
            assert r.title in text, r.source_id
            assert r.vintage in text, r.source_id
    assert "12 months to June 2022" in text  # MOPAC trust, a borough-only source
    assert "© OpenStreetMap contributors" in text
    assert "Crown copyright and database right" in text
    assert "Open Database License (ODbL)" in text


def test_every_quoted_figure_has_a_source_and_vintage(con) -> None:
    content = briefing.briefing_content(con, TOWER_HAMLETS, generated_on=ON)
    figures = content.action_figures
    assert len(figures) > 0
    assert figures["source_id"].notna().all() and figures["vintage"].notna().all()
    assert set(figures["source_id"]) <= set(content.sources["source_id"])
    assert not figures.duplicated(["area", "action", "indicator"]).any()
    assert set(figures["area"]) == {"Tower Hamlets", *content.listed["area_name"].head(briefing.TOP_ACTION_AREAS)}


def test_a_distance_to_any_space_names_openstreetmap_too(con) -> None:
    # A figure about any inclusive space counts places of worship (OpenStreetMap) as well as the GLA's Cultural
    # Infrastructure Map; one about community centres and libraries only the latter.
    assert map_sources.space_source_ids(con, ["nearest_space_m_any"]) == ["gla_cim", "osm_pofw"]
    level = briefing.neighbourhood_level(con)
    for indicator, expected in (
        ("spaces_per_1k_800m_faith", ("gla_cim", "osm_pofw")),
        ("pop_within_800m_pct_community", ("gla_cim",)),
    ):
        row = con.execute(
            "SELECT area_code FROM out_cohesion__actions WHERE area_level = ? AND indicator = ? LIMIT 1",
            [level, indicator],
        ).fetchone()
        assert row is not None, indicator
        figures = briefing_content._action_rows(con, level, row[0], row[0])
        quoted = figures[figures["indicator"] == INDICATORS_BY_ID[indicator].label]
        assert len(quoted) > 0
        assert all(ids == expected for ids in quoted["source_ids"]), indicator


def test_city_of_london_builds_and_says_what_is_missing(con, texts) -> None:
    text = texts[CITY]
    assert "City of London: social cohesion and resilience briefing" in text
    assert "City of London has no data for trust and participation and community ownership" in text
    assert "it has no statistical neighbours" in text
    assert "Trust no data 0.50" in text  # the profile says "no data", never 0
    level = briefing.neighbourhood_level(con)
    listed = queries.priorities(con, level, top=None, borough_code=CITY)
    if listed.empty:
        assert "None of City of London's neighbourhoods has cohesion capacity below London's median" in text
        listed = queries.cohesion_areas(con, level, CITY).sort_values("need_rank").head(5)
    else:  # the City's one neighbourhood below London's median capacity (Aldgate) is a priority
        assert (
            f"{len(listed)} of City of London's 6 neighbourhoods have cohesion capacity below London's median" in text
        )
    for r in listed.itertuples():
        assert f"{r.area_name} {r.area_code}" in text


def test_the_same_inputs_give_the_same_bytes(con, pdfs) -> None:
    assert briefing.build_briefing(con, TOWER_HAMLETS, generated_on=ON) == pdfs[TOWER_HAMLETS]


def test_unknown_borough_is_a_clear_error(con) -> None:
    with pytest.raises(ValueError, match="E09000099"):
        briefing.build_briefing(con, "E09000099")


def test_file_names() -> None:
    assert safe_csv.file_name("Tower Hamlets", "briefing", ext="pdf", on=ON) == (
        "london-cohesion_tower-hamlets_briefing_2024-06-01.pdf"
    )
    assert safe_csv.file_name("lsoa11", "Need", ext=".png", on=ON).endswith("_2024-06-01.png")
    assert safe_csv.csv_file_name("lsoa21", "Need", on=ON) == "london-cohesion_lsoa21_need_2024-06-01.csv"
