"""Static PNG maps: presentation size, drawn offline, the app's colours, and their sources named."""

from __future__ import annotations

import io

import numpy as np
import pytest
from conftest import block_network
from matplotlib.colors import to_rgb
from PIL import Image

from cohesion_metrics.figures import map_sources, maps, png_drawing, png_maps
from cohesion_metrics.metadata.catalogue import get_source
from cohesion_metrics.read import queries

TOWER_HAMLETS, CITY = "E09000030", "E09000001"


@pytest.fixture(scope="module")
def pngs(con) -> dict[str, bytes]:
    """The maps the tests look at, each drawn once with the network unavailable."""
    with pytest.MonkeyPatch.context() as mp:
        block_network(mp)
        return {
            "need": png_maps.render_map_png(con, "lsoa11", "need"),
            "classes": png_maps.render_map_png(con, "lsoa11", "need_capacity"),
            "borough_need": png_maps.render_map_png(con, "borough", "need"),
            "borough_trust": png_maps.render_map_png(con, "borough", "pillar__trust"),
            "tower_hamlets": png_maps.render_map_png(con, "lsoa11", "need", TOWER_HAMLETS),
            "priority": png_maps.render_priority_map_png(con, TOWER_HAMLETS),
        }


def _pixels(png: bytes) -> np.ndarray:
    with Image.open(io.BytesIO(png)) as img:
        return np.asarray(img.convert("RGB"))


def _map_area(png: bytes, box: tuple[float, float, float, float] = png_maps.PRESENTATION_MAP_BOX) -> np.ndarray:
    """The pixels inside the map's axes (figure fractions from the bottom left), without title, key or footer."""
    px = _pixels(png)
    h, w, _ = px.shape
    left, bottom, width, height = box
    return px[int(h * (1 - bottom - height)) : int(h * (1 - bottom)), int(w * left) : int(w * (left + width))]


def _count(pixels: np.ndarray, colour: str | tuple[int, int, int], *, within: int = 0) -> int:
    """Pixels of exactly `colour`, or within `within` of it on every channel."""
    rgb = np.array([round(255 * c) for c in to_rgb(colour)] if isinstance(colour, str) else colour)
    return int((np.abs(pixels.astype(int) - rgb) <= within).all(axis=-1).sum())


def _distinct(pixels: np.ndarray) -> int:
    """Number of distinct colours (RGB packed into one integer, so np.unique stays fast)."""
    rgb = pixels.reshape(-1, 3).astype(np.uint32)
    return len(np.unique(rgb[:, 0] << 16 | rgb[:, 1] << 8 | rgb[:, 2]))


@pytest.mark.parametrize("name", ["need", "classes", "borough_need", "borough_trust", "tower_hamlets"])
def test_presentation_png_is_exactly_full_hd_and_not_blank(pngs, name) -> None:
    png = pngs[name]
    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    with Image.open(io.BytesIO(png)) as img:
        assert img.size == (1920, 1080)
    assert _distinct(_pixels(png)) > 50  # a map, a colour bar and text, not an empty canvas


def test_other_sizes_are_honoured(con) -> None:
    png = png_maps.render_map_png(con, "borough", "need", width_px=1280, height_px=720)
    with Image.open(io.BytesIO(png)) as img:
        assert img.size == (1280, 720)


def test_need_uses_the_apps_need_scale_and_no_grey(pngs) -> None:
    area = _map_area(pngs["need"])
    assert _count(area, (128, 0, 38), within=8) > 0  # plotly's YlOrRd at its top: the most-need neighbourhoods
    assert _count(area, (255, 255, 204), within=8) > 0  # ... and at its bottom
    assert _count(area, maps.NO_DATA_COLOUR) < 100  # every neighbourhood has a need score: anti-aliased edges only


def test_a_borough_without_a_value_is_grey(pngs) -> None:
    # The City of London has no trust data: grey on the trust map, coloured on the need map.
    assert _count(_map_area(pngs["borough_trust"]), maps.NO_DATA_COLOUR) > 400
    assert _count(_map_area(pngs["borough_need"]), maps.NO_DATA_COLOUR) < 100


def test_classes_map_draws_every_class_in_the_bivariate_palette(pngs) -> None:
    area = _map_area(pngs["classes"])
    for code in range(1, 10):
        assert _count(area, maps.class_colour(code)) > 0, code


def test_borough_map_greys_out_the_rest_of_london(pngs) -> None:
    area = _map_area(pngs["tower_hamlets"])
    assert _count(area, png_drawing.CONTEXT_FILL) > 20_000
    assert _count(_map_area(pngs["need"]), png_drawing.CONTEXT_FILL) < 1_000  # anti-aliased edges only


def test_priority_map_shows_classes_and_spaces(pngs) -> None:
    png = pngs["priority"]
    with Image.open(io.BytesIO(png)) as img:
        assert img.size == (1600, 1100)
    area = _map_area(png, png_maps.PRIORITY_MAP_BOX)
    assert _count(area, maps.class_colour(maps.PRIORITY_CLASS)) > 100  # Tower Hamlets has priority neighbourhoods
    community, faith, culture = maps.POINT_COLOURS[:3]
    for colour in (community, faith, culture):
        assert _count(area, colour) > 0, colour


def test_sources_of_a_map_name_vintages_and_layers(con) -> None:
    rows = map_sources.measure_sources(con, "lsoa21", "need").set_index("source_id")
    assert rows.loc["iod2019_gla_london", "vintage_used"] == "IoD2019 (data mostly 2015/16)"
    assert rows.loc["gla_gis_boundaries", "role"] == "boundaries"
    assert rows.loc["osm_pofw", "role"] == "spaces"  # places of worship count towards spaces per 1,000 (faith)
    assert "mopac_pas_2022" not in rows.index  # trust is not measured for neighbourhoods
    line = map_sources.attribution_line(rows.reset_index())
    for source_id in rows.index:
        assert get_source(source_id).attribution in line
    assert "© OpenStreetMap contributors" in line and "Crown copyright" in line


def test_community_reach_does_not_claim_openstreetmap(con) -> None:
    ids = set(map_sources.measure_sources(con, "ward", "pop_within_800m_pct_community")["source_id"])
    assert ids == {"gla_cim", "gla_gis_boundaries"}


def test_title_names_measure_level_and_place() -> None:
    assert png_maps.default_title("lsoa11", "need") == (
        "Need (urgent needs, root causes and vulnerability) by neighbourhood (LSOA 2011), London"
    )
    assert png_maps.default_title("ward", "pillar__trust", "Camden").endswith("by ward (2014 boundaries), Camden")


def test_bad_level_or_borough_is_a_clear_error(con) -> None:
    with pytest.raises(ValueError, match="msoa"):
        png_maps.render_map_png(con, "msoa", "need")
    with pytest.raises(ValueError, match="E09000099"):
        png_maps.render_map_png(con, "lsoa11", "need", "E09000099")
    with pytest.raises(ValueError, match="E09000099"):
        png_maps.render_priority_map_png(con, "E09000099")


def test_city_of_london_priority_map_draws_its_classes(con) -> None:
    area = _map_area(png_maps.render_priority_map_png(con, CITY), png_maps.PRIORITY_MAP_BOX)
    classes = queries.cohesion_areas(con, "lsoa11", CITY)["class_code"]
    has_priority_class = bool((classes == maps.PRIORITY_CLASS).any())  # Aldgate's LSOA, on the merged data
    assert (_count(area, maps.class_colour(maps.PRIORITY_CLASS)) > 0) == has_priority_class
    assert _distinct(area) > 20
