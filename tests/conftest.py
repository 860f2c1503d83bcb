"""Shared fixtures: the real-data folder (skipped where absent), real sources read once per session, the app DB."""

from __future__ import annotations

import contextlib
import copy
import functools
import os
import socket
from collections.abc import Callable, Iterator
from pathlib import Path

import duckdb
import pandas as pd
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
    """A small raw folder in the official layouts, written by us: one folder per source, as in ../shared/data."""
    return FIXTURES


@pytest.fixture(scope="session")
def app_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A database built from the committed snapshot, used by the app in AppTest and browser tests."""
    from cohesion_metrics import settings
    from cohesion_metrics.build.snapshot import build_from_snapshot

    path = tmp_path_factory.mktemp("appdb") / "cohesion.duckdb"
    build_from_snapshot(settings.SNAPSHOT_DIR, path)
    settings.DATABASE_PATH = path
    os.environ["COHESION_DB"] = str(path)
    return path


@pytest.fixture(scope="session")
def app_server(app_db: Path) -> Iterator[str]:
    """A Streamlit server running the app on `app_db`: its base URL. Shared by the browser and websocket tests."""
    from tools.localapp import streamlit_server

    root = Path(__file__).resolve().parents[1]
    with streamlit_server(root / "app.py", cwd=root, env={**os.environ, "COHESION_DB": str(app_db)}) as url:
        yield url


@pytest.fixture(scope="session")
def con(app_db: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    """A read-only connection to the app database, shared by the tests that only read it."""
    from cohesion_metrics import db

    connection = db.connect(app_db, read_only=True)
    yield connection
    connection.close()


def pytest_configure(config: pytest.Config) -> None:
    """Scan the installed packages for Streamlit components once per test process, as the server does at start.

    Each new AppTest scans them again (every package's metadata, about 0.17 s here: more than a page run).
    """
    from streamlit.components.v2 import manifest_scanner

    manifest_scanner.scan_component_manifests = functools.cache(manifest_scanner.scan_component_manifests)


#: Test modules that share a session fixture run on one xdist worker, one after the other: the browser and websocket
#: tests share one `app_server`; the real builds share the loaded sources (`memoised_source_loads`).
SHARED_UNITS = {
    "tests/browser/test_browser.py": "app_server",
    "tests/pages/test_download_race.py": "app_server",
    "tests/build/test_build.py": "real_builds",
    "tests/build/test_build_bad_input.py": "real_builds",
}


def pytest_xdist_make_scheduler(config: pytest.Config, log: object) -> object | None:
    """Under `--dist loadscope` (dev.py), a test module is the unit of work: its module and session fixtures are
    made once, on one worker. The modules in SHARED_UNITS are grouped into larger units."""
    if config.getvalue("dist") != "loadscope":
        return None
    from xdist.scheduler import LoadScopeScheduling

    class ModuleScheduling(LoadScopeScheduling):
        def _split_scope(self, nodeid: str) -> str:
            module = nodeid.split("::", maxsplit=1)[0]
            return SHARED_UNITS.get(module, module)

    return ModuleScheduling(config, log)


@pytest.fixture(scope="session")
def memoised_source_loads() -> Callable[[], contextlib.AbstractContextManager[None]]:
    """A context in which each source's loader runs once per test process for a folder (resolved path) and options.

    A build of the official folder with one file changed (tests/build/test_build_bad_input.py) gets that file's
    folder as a new path, so its source is read and checked again; the other sources are the tables their loaders
    returned for the same files before, copied so that no build sees another's changes.
    """
    from cohesion_metrics.metadata.catalogue import Source

    loads: dict[tuple[str, Path, bool], dict[str, object]] = {}
    real = Source.load

    def load(self: Source, folder: Path, *, check_counts: bool = True) -> dict[str, object]:
        key = (self.id, folder.resolve(), check_counts)
        if key not in loads:
            loads[key] = real(self, folder, check_counts=check_counts)
        return copy.deepcopy(loads[key])

    @contextlib.contextmanager
    def memoised() -> Iterator[None]:
        with pytest.MonkeyPatch.context() as mp:
            mp.setattr(Source, "load", load)
            yield

    return memoised


def _no_network(*_args: object, **_kwargs: object) -> None:
    raise OSError("network access attempted during a test that must run offline")


def block_network(mp: pytest.MonkeyPatch) -> None:
    """Make every outgoing connection (and name lookup) fail, for work that must run offline."""
    mp.setattr(socket.socket, "connect", _no_network)
    mp.setattr(socket.socket, "connect_ex", _no_network)
    mp.setattr(socket, "create_connection", _no_network)
    mp.setattr(socket, "getaddrinfo", _no_network)


# Real sources read by more than one test module: loaded once per session. Do not modify the tables.


@pytest.fixture(scope="session")
def real_gla_boundaries(shared_data: Path) -> dict[str, pd.DataFrame]:
    """GLA 2011 boundaries: boroughs, wards (with the Thames), LSOAs, MSOAs and geometry repairs."""
    from cohesion_metrics.extract.loaders.geography import load_gla_boundaries

    return load_gla_boundaries(shared_data / "london_statistical_gis_boundaries")


@pytest.fixture(scope="session")
def real_lsoa21_ward23(shared_data: Path) -> pd.DataFrame:
    """The ONS LSOA 2021 -> ward 2023 -> LAD 2023 lookup, London rows."""
    from cohesion_metrics.extract.loaders.geography import load_lsoa21_ward23_lookup

    return load_lsoa21_ward23_lookup(shared_data / "ons_lookups")["lsoa21_ward23"]


@pytest.fixture(scope="session")
def real_iod2019_mhclg(shared_data: Path) -> dict[str, pd.DataFrame]:
    """MHCLG IoD2019 Files 1, 2 and 10, London rows."""
    from cohesion_metrics.extract.loaders.iod import load_iod2019_mhclg

    return load_iod2019_mhclg(shared_data / "iod2019")


@pytest.fixture(scope="session")
def real_iod2019_gla(shared_data: Path) -> dict[str, pd.DataFrame]:
    """The GLA's "ID 2019 for London" workbook."""
    from cohesion_metrics.extract.loaders.iod import load_iod2019_gla

    return load_iod2019_gla(shared_data / "iod2019")
