"""The borough briefing PDF: built offline, every figure from the database, gaps said, sources and vintages named."""

from __future__ import annotations

import datetime as dt
import io

import pypdf
import pytest
from conftest import block_network

from cohesion_metrics import briefing, exports, queries, static_maps
from cohesion_metrics.classify import RECOMMENDATION_5

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


def test_headline_rank_interval_stability_and_class_come_from_the_database(con, texts) -> None:
    row = _borough_row(con, TOWER_HAMLETS)
    text = texts[TOWER_HAMLETS]
    assert f"ranks {row['rank']:.0f} of 33 boroughs" in text
    assert f"likely {row['rank_p05']:.0f} to {row['rank_p95']:.0f}" in text
    assert f"{row['stability']})" in text
    assert f"Need against cohesion capacity: {row['class_label']}" in text


def test_lists_the_borough_priority_neighbourhoods_with_rank_intervals(con, texts) -> None:
    top = queries.priorities(con, "lsoa11", top=briefing.TOP_PRIORITIES, borough_code=TOWER_HAMLETS)
    assert len(top) > 0
    text = texts[TOWER_HAMLETS]
    for k, r in enumerate(top.itertuples(), start=1):
        assert f"{k} {r.area_name} {r.area_code} {r.priority_rank}" in text  # map no., name, code, London priority
        assert f"{r.rank:.0f} ({r.rank_p05:.0f}-{r.rank_p95:.0f})" in text
    others = queries.priorities(con, "lsoa11", top=None)
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
        ids = static_maps.measure_sources(con, source, "composite")
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
    # Brent's first priority neighbourhoods quote the distance to any inclusive space, which counts places of
    # worship (OpenStreetMap) as well as the GLA's Cultural Infrastructure Map.
    figures = briefing.briefing_content(con, "E09000005", generated_on=ON).action_figures
    reach = figures[figures["indicator"] == "Distance to the nearest any inclusive space"]
    assert len(reach) > 0
    assert all(ids == ("gla_cim", "osm_pofw") for ids in reach["source_ids"])
    community = figures[figures["indicator"] == "Distance to the nearest community centre or library"]
    assert len(community) > 0
    assert all(ids == ("gla_cim",) for ids in community["source_ids"])


def test_city_of_london_builds_and_says_what_is_missing(con, texts) -> None:
    text = texts[CITY]
    assert "City of London: social cohesion and resilience briefing" in text
    assert "City of London has no data for trust and participation and community ownership" in text
    assert "it has no statistical neighbours" in text
    assert "None of City of London's neighbourhoods is high need / low capacity" in text
    assert "Trust no data 0.50" in text  # the profile says "no data", never 0
    assert queries.priorities(con, "lsoa11", top=None, borough_code=CITY).empty
    highest = queries.cohesion_areas(con, "lsoa11", CITY).sort_values("rank").head(5)
    for r in highest.itertuples():
        assert f"{r.area_name} {r.area_code}" in text


def test_the_same_inputs_give_the_same_bytes(con, pdfs) -> None:
    assert briefing.build_briefing(con, TOWER_HAMLETS, generated_on=ON) == pdfs[TOWER_HAMLETS]


def test_unknown_borough_is_a_clear_error(con) -> None:
    with pytest.raises(ValueError, match="E09000099"):
        briefing.build_briefing(con, "E09000099")


def test_file_names() -> None:
    assert exports.file_name("Tower Hamlets", "briefing", ext="pdf", on=ON) == (
        "london-cohesion_tower-hamlets_briefing_2024-06-01.pdf"
    )
    assert exports.file_name("lsoa11", "Composite need score", ext=".png", on=ON).endswith("_2024-06-01.png")
    assert exports.csv_file_name("lsoa11", "Composite need score", on=ON) == (
        "london-cohesion_lsoa11_composite-need-score_2024-06-01.csv"
    )
