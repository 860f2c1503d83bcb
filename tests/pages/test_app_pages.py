"""Streamlit AppTest for pages without their own test module (overview and borough: test_page_*.py)."""

from __future__ import annotations

import pytest
from apptest_helpers import open_app
from streamlit.testing.v1 import AppTest

from cohesion_metrics.metadata.catalogue import SOURCES
from cohesion_metrics.metadata.indicators import DATA_GAPS, INDICATORS


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


def test_methodology_page_shows_the_independent_check(app) -> None:
    app.switch_page("app_pages/methodology.py").run()
    assert not app.exception
    assert "An independent check" in [h.value for h in app.header]
    checks = next(d.value for d in app.dataframe if "Spearman's rho" in d.value.columns)
    assert list(checks["Our need score at"]) == ["boroughs", "boroughs", "wards (2014)"]
    assert checks["Compared with"].str.contains("Well-Being").any()
    assert all(float(r) > 0.5 for r in checks["Spearman's rho"])
    assert any("does not mean either is right" in c.value for c in app.caption)
