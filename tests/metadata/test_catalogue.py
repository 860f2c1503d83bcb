"""The source catalogue is complete, consistent, and the only place URLs live."""

from __future__ import annotations

import importlib
import re
from pathlib import Path

import pytest

from cohesion_metrics.extract.rawfiles import source_dir
from cohesion_metrics.files import sha256_file
from cohesion_metrics.metadata.catalogue import SOURCES, SOURCES_BY_ID, get_source

ROOT = Path(__file__).resolve().parents[2]


def test_ids_unique_and_lookup() -> None:
    assert len(SOURCES_BY_ID) == len(SOURCES)
    assert get_source("iod2019_mhclg").publisher.startswith("Ministry of Housing")
    with pytest.raises(KeyError, match="known"):
        get_source("nope")


@pytest.mark.parametrize("source", SOURCES, ids=lambda s: s.id)
def test_entry_complete(source) -> None:
    assert source.page_url.startswith("https://")
    assert source.licence and source.attribution and source.vintage and source.used_for
    assert source.files, "every source lists its files"
    for f in source.files:
        assert re.fullmatch(r"[0-9a-f]{64}", f.sha256)
        assert f.size > 0
        assert f.url is None or f.url.startswith("https://")
    module, func = source.loader.split(":")
    assert callable(getattr(importlib.import_module(module), func))


def test_odbl_for_openstreetmap_and_ogl_elsewhere() -> None:
    assert "ODbL" in get_source("osm_pofw").licence
    assert "OpenStreetMap contributors" in get_source("osm_pofw").attribution
    others = {"osm_pofw", "mopac_pas_2022", "brc_flood_fz3"}
    assert all("Open Government Licence" in s.licence for s in SOURCES if s.id not in others)


def test_flood_source_says_what_it_is_and_is_not() -> None:
    flood = get_source("brc_flood_fz3")
    assert flood.title.startswith("British Red Cross (derived from EA Flood Zone 3)")
    assert "CC BY 4.0" in flood.licence and "British Red Cross" in flood.attribution
    for words in ("Rivers and sea only", "defences ignored", "no surface-water"):
        assert words in flood.caveat


def test_wellbeing_is_a_check_never_an_input() -> None:
    from cohesion_metrics.metadata.indicators import INDICATORS

    assert "never an input" in get_source("gla_ward_wellbeing").used_for
    assert not [i.id for i in INDICATORS if i.source_id == "gla_ward_wellbeing"]


def test_no_url_outside_the_catalogue() -> None:
    """STYLE: no URL appears anywhere else in the code."""
    offenders = []
    for path in [*ROOT.glob("cohesion_metrics/**/*.py"), *ROOT.glob("app_pages/*.py"), ROOT / "app.py"]:
        if path.name in {"catalogue.py"}:
            continue
        for n, line in enumerate(path.read_text().splitlines(), 1):
            if re.search(r"https?://", line):
                offenders.append(f"{path.relative_to(ROOT)}:{n}")
    assert offenders == []


@pytest.mark.real_data
@pytest.mark.parametrize("source", SOURCES, ids=lambda s: s.id)
def test_shared_files_match_catalogue(source, shared_data) -> None:
    folder = source_dir(source, shared_data)
    for f in source.files:
        path = folder / f.name
        assert path.stat().st_size == f.size
        assert sha256_file(path) == f.sha256
