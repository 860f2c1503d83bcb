"""Shared fixtures: the real-data folder (skipped where absent) and a fresh in-memory DuckDB."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from cohesion_metrics.settings import SHARED_DATA_DIR

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture(scope="session")
def shared_data() -> Path:
    """The official files in ../shared/data; real-data tests skip on a fresh clone without it."""
    folder = Path(os.environ.get("COHESION_SHARED_DATA", SHARED_DATA_DIR))
    if not (folder / "SOURCES.md").is_file():
        pytest.skip(f"real-data test: official files not found at {folder} (fresh clone without ../shared)")
    return folder


@pytest.fixture
def fixtures_dir() -> Path:
    """Folder of small fixtures in the official layouts, written by us."""
    return FIXTURES
