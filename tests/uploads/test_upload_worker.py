"""Areas read in a worker process (`uploads.worker`): the same result and errors as in this process; a worker
that crashes or runs over its time gives a named error; the worker never runs the app and never goes online."""

from __future__ import annotations

import io
import os
import signal
import sys
import time
import types
from pathlib import Path
from typing import Any

import geopandas as gpd
import pandas as pd
import pyogrio
import pyproj.network
import pytest
import shapely
from test_uploads import CATALOGUE, CITY, feature, geojson, square

from cohesion_metrics import errors
from cohesion_metrics.uploads import analysis, areas_file, worker
from cohesion_metrics.uploads.cells import UploadResult
from cohesion_metrics.uploads.geodata_bytes import GDAL_NO_NETWORK

AREAS_CASES = {name: case for name, case in CATALOGUE.items() if case.kind == "areas"}


@pytest.fixture(scope="module")
def london(con) -> Any:
    return analysis.london_outline(con)


def _geopackage() -> bytes:
    polys = [shapely.force_3d(shapely.box(531_000, 181_000 + k * 600, 531_500, 181_500 + k * 600)) for k in range(2)]
    frame = gpd.GeoDataFrame({"Name": ["Estate", "Estate"]}, geometry=polys, crs="EPSG:27700")
    buf = io.BytesIO()
    frame.to_file(buf, driver="GPKG", layer="estates")
    return buf.getvalue()


BOWTIE = [[[531_000, 181_000], [531_500, 181_500], [531_500, 181_000], [531_000, 181_500], [531_000, 181_000]]]
GOOD_FILES = {
    "wgs84 geojson, one outside London": lambda: geojson(
        feature(CITY, name="Block"), feature(square(-3.0, 53.0, 0.01), name="Far"), feature(CITY, name="Block")
    ),
    "bng geojson, repaired": lambda: geojson(
        feature(BOWTIE), feature(square(531_000, 182_000, 300)), crs="urn:ogc:def:crs:EPSG::27700"
    ),
    "geopackage with z and repeated names": _geopackage,
}


def _assert_same(ours: UploadResult, theirs: UploadResult) -> None:
    """Two parses agree exactly: columns, values, CRS, geometries (byte for byte), rejections and notes."""
    assert ours.valid.crs == theirs.valid.crs
    pd.testing.assert_frame_equal(ours.valid.drop(columns="geometry"), theirs.valid.drop(columns="geometry"))
    assert ours.valid.geometry.to_wkb().tolist() == theirs.valid.geometry.to_wkb().tolist()
    pd.testing.assert_frame_equal(ours.rejected, theirs.rejected)
    assert ours.notes == theirs.notes


@pytest.mark.parametrize("make", GOOD_FILES.values(), ids=GOOD_FILES.keys())
def test_a_worker_parse_equals_the_in_process_parse(make: Any, london: Any) -> None:
    data = make()
    here = areas_file.read_areas(data, "a.geojson", london=london)
    there = worker.read_areas(data, "a.geojson", london=london)
    assert isinstance(there.valid, gpd.GeoDataFrame) and len(there.valid) >= 1
    _assert_same(there, here)


@pytest.mark.parametrize("case", AREAS_CASES.values(), ids=AREAS_CASES.keys())
def test_every_bad_areas_file_gets_the_same_answer_from_the_worker(case: Any, london: Any) -> None:
    data = case.data()
    if case.message is None:
        _assert_same(
            worker.read_areas(data, "my upload.gpkg", london=london),
            areas_file.read_areas(data, "my upload.gpkg", london=london),
        )
        return
    with pytest.raises(errors.UploadError) as here:
        areas_file.read_areas(data, "my upload.gpkg", london=london)
    with pytest.raises(errors.UploadError) as there:
        worker.read_areas(data, "my upload.gpkg", london=london)
    assert type(there.value) is type(here.value)
    assert str(there.value) == str(here.value) and case.message in str(there.value)
    assert (there.value.path, there.value.fix) == (here.value.path, here.value.fix)


class _UnpicklableError(Exception):
    def __init__(self, message: str, extra: int) -> None:  # pickling calls cls(message): a TypeError
        super().__init__(message)


def _raises(data: bytes, file_name: str, *, kind: str) -> None:
    if kind == "key":
        raise KeyError(file_name)
    raise _UnpicklableError(f"{file_name} is odd", 1)


def test_other_errors_keep_their_type_and_message() -> None:
    with pytest.raises(KeyError, match=r"a\.geojson"):
        worker.run(_raises, b"{}", "a.geojson", kind="key")
    with pytest.raises(RuntimeError, match=r"^_UnpicklableError: a\.geojson is odd$"):
        worker.run(_raises, b"{}", "a.geojson", kind="unpicklable")


def _die(data: bytes, file_name: str) -> None:
    os.kill(os.getpid(), signal.SIGKILL)


def _sleep(data: bytes, file_name: str, *, pid_file: str) -> None:
    Path(pid_file).write_text(str(os.getpid()))
    time.sleep(60)


def test_a_killed_worker_gives_a_named_error() -> None:
    with pytest.raises(errors.UploadWorkerError) as caught:
        worker.run(_die, b"{}", "big.geojson")
    message = str(caught.value)
    assert message.startswith("file 'big.geojson': the process reading the file stopped unexpectedly")
    assert "stopped by signal 9" in message and "To fix: upload the file again" in message


def _gone(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    return False


def test_a_worker_over_its_time_is_stopped_with_a_named_error(tmp_path: Path) -> None:
    pid_file = tmp_path / "pid"
    start = time.monotonic()
    with pytest.raises(errors.UploadWorkerError) as caught:
        worker.run(_sleep, b"{}", "slow.geojson", timeout_s=2, pid_file=str(pid_file))
    assert time.monotonic() - start < 15
    assert str(caught.value).startswith(
        "file 'slow.geojson': reading the file took longer than 2 s, so it was stopped."
    )
    pid = int(pid_file.read_text())
    deadline = time.monotonic() + 10
    while not _gone(pid) and time.monotonic() < deadline:  # killed, and reaped by the forkserver
        time.sleep(0.1)
    assert _gone(pid)


def _network_settings(data: bytes, file_name: str) -> dict[str, Any]:
    options = {key: pyogrio.get_gdal_config_option(key) for key in GDAL_NO_NETWORK}
    return {"gdal": options, "proj_network": pyproj.network.is_network_enabled(), "pid": os.getpid()}


def test_the_worker_has_gdal_and_proj_off_the_network() -> None:
    found = worker.run(_network_settings, b"", "x")
    assert found["pid"] != os.getpid()
    assert found["gdal"] == {key: pyogrio.get_gdal_config_option(key) for key in GDAL_NO_NETWORK}
    assert found["gdal"]["GDAL_HTTP_PROXY"] == "127.0.0.1:9" and found["proj_network"] is False


def _main_file(data: bytes, file_name: str) -> str | None:
    return getattr(sys.modules.get("__main__"), "__file__", None)


def test_the_worker_does_not_run_a_streamlit_script_as_its_main(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Streamlit installs the script being run as `__main__` (with its `__file__`); a worker must not run it."""
    marker = tmp_path / "ran"
    script = tmp_path / "app.py"
    script.write_text(f"from pathlib import Path\nPath({str(marker)!r}).write_text('the app ran')\n")
    fake = types.ModuleType("__main__")
    fake.__file__ = str(script)
    monkeypatch.setitem(sys.modules, "__main__", fake)
    assert worker.run(_main_file, b"", "x") != str(script)
    assert not marker.exists()
    assert sys.modules["__main__"] is fake  # put back after the worker started
