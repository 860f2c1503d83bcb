"""Pure helpers of tools/screenshots.py and tools/localapp.py: sizes, page discovery, console-error filter, pixels."""

from __future__ import annotations

import importlib.util
import io
import sys
from pathlib import Path

import pytest

from tools.localapp import drawn_fraction, is_streamlit_base_path_probe

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def shots():
    spec = importlib.util.spec_from_file_location("screenshots", ROOT / "tools" / "screenshots.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while the file executes
    try:
        spec.loader.exec_module(module)
    finally:
        del sys.modules[spec.name]
    return module


def test_parse_sizes(shots) -> None:
    assert shots.parse_sizes("1400x900, 1920X1080") == [(1400, 900), (1920, 1080)]


@pytest.mark.parametrize("bad", ["1400", "1400x", "0x900", "1400x900,", "big"])
def test_parse_sizes_rejects(shots, bad) -> None:
    with pytest.raises(ValueError, match="WIDTHxHEIGHT"):
        shots.parse_sizes(bad)


def test_discover_pages_maps_the_default_page_to_root(shots) -> None:
    source = """
PAGES = [
    st.Page("pages/a.py", title="A (one)", icon="x", url_path="alpha"),
    st.Page("pages/b.py", title=f"B {len('x')}", default=True, url_path='beta'),
    st.Page("pages/c.py", title="C"),
    st.Page(
        "pages/d.py",
        url_path="delta",
    ),
]
"""
    assert shots.discover_pages(source) == [("alpha", "/alpha"), ("beta", "/"), ("delta", "/delta")]


def test_discover_pages_first_page_is_default_without_a_flag(shots) -> None:
    source = 'st.Page("a.py", url_path="one")\nst.Page("b.py", url_path="two", default=False)'
    assert shots.discover_pages(source) == [("one", "/"), ("two", "/two")]


def test_discover_pages_finds_the_apps_pages(shots) -> None:
    pages = shots.discover_pages((ROOT / "app.py").read_text(encoding="utf-8"))
    assert pages, "app.py declares no st.Page(..., url_path=...)"
    assert [path for _, path in pages].count("/") == 1


def test_base_path_probe_filter() -> None:
    text = "Failed to load resource: the server responded with a status of 404 (Not Found)"
    assert is_streamlit_base_path_probe(text, "http://127.0.0.1:8501/borough/_stcore/health")
    assert is_streamlit_base_path_probe(text, "http://127.0.0.1:8501/borough/_stcore/host-config?x=1")
    assert not is_streamlit_base_path_probe(text, "http://127.0.0.1:8501/app/static/geo/lsoa11.geojson")
    assert not is_streamlit_base_path_probe("net::ERR_NAME_NOT_RESOLVED", "https://x/borough/_stcore/health")
    assert not is_streamlit_base_path_probe(text, "http://127.0.0.1:8501/_stcore/health")


def test_base_path_probe_filter_reads_the_url_from_the_text() -> None:
    assert is_streamlit_base_path_probe("HTTP 404 http://127.0.0.1:8501/borough/_stcore/health")
    assert is_streamlit_base_path_probe("Failed to load resource: 404 http://127.0.0.1:8501/story/_stcore/host-config")
    assert not is_streamlit_base_path_probe("HTTP 404 http://127.0.0.1:8501/app/static/geo/lsoa11.geojson")
    assert not is_streamlit_base_path_probe("HTTP 500 http://127.0.0.1:8501/borough/_stcore/health")
    assert not is_streamlit_base_path_probe("404 without a URL")


def test_drawn_fraction_counts_non_background_pixels() -> None:
    from PIL import Image

    image = Image.new("RGB", (10, 10), (255, 255, 255))
    image.paste((120, 30, 240), (0, 0, 10, 3))  # 30 drawn pixels; one dark channel is enough
    image.paste((236, 250, 240), (0, 3, 10, 4))  # near-white: background
    png = io.BytesIO()
    image.save(png, format="PNG")
    assert drawn_fraction(png.getvalue()) == pytest.approx(0.3)
