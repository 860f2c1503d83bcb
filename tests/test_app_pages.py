"""Streamlit AppTest for pages without their own test module (overview and borough: test_page_*.py)."""

from __future__ import annotations

import pytest
from apptest_helpers import open_app
from streamlit.testing.v1 import AppTest

from cohesion_metrics.catalogue import SOURCES
from cohesion_metrics.indicators import DATA_GAPS, INDICATORS


@pytest.fixture
def app(app_db) -> AppTest:
    return open_app()


def test_sources_page_lists_every_source_with_licence(app) -> None:
    app.switch_page("app_pages/methodology.py").run()
    assert not app.exception
    assert app.title[0].value == "Data & methodology"
    catalogue = next(d.value for d in app.dataframe if "Source" in d.value.columns)
    assert set(catalogue["Source"]) == {s.title for s in SOURCES}
    dictionary = next(d.value for d in app.dataframe if "indicator_id" in d.value.columns)
    assert set(dictionary["indicator_id"]) == {i.id for i in INDICATORS}
    gaps = [m.value for m in app.markdown if any(g.what in m.value for g in DATA_GAPS)]
    assert len(gaps) == len(DATA_GAPS)
    assert catalogue["Licence"].str.len().gt(0).all()
    markdown = " ".join(m.value for m in app.markdown)
    assert "OpenStreetMap contributors" in markdown
