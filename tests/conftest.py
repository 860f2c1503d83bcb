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


@pytest.fixture(scope="session")
def app_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A database built from the committed snapshot, used by the app in AppTest and browser tests."""
    from cohesion_metrics import settings
    from cohesion_metrics.snapshot import build_from_snapshot

    path = tmp_path_factory.mktemp("appdb") / "cohesion.duckdb"
    build_from_snapshot(settings.SNAPSHOT_DIR, path)
    settings.DATABASE_PATH = path
    os.environ["COHESION_DB"] = str(path)
    return path
