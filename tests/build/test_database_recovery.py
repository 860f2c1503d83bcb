"""A damaged or missing database or snapshot is a clear message and a rebuild; one build at a time.

The two-builders and interrupted-build tests run real processes: two servers starting together on a fresh checkout,
and a build killed with SIGKILL.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from cohesion_metrics import db, errors, settings
from cohesion_metrics.build.snapshot import build_from_snapshot, prepare_database

ROOT = Path(__file__).resolve().parents[2]
BUILD = "import sys; from pathlib import Path; from cohesion_metrics.build.snapshot import build_from_snapshot; " + (
    "build_from_snapshot(None, Path(sys.argv[1]))"
)


@pytest.fixture(scope="module")
def good_db(app_db: Path) -> Path:
    """The session's database built from the snapshot; the tests damage copies of it, never it."""
    return app_db


def _copy(good_db: Path, folder: Path) -> Path:
    target = folder / "cohesion.duckdb"
    shutil.copy(good_db, target)
    shutil.copy(db.digest_path(good_db), db.digest_path(target))
    return target


def _damage_header(p: Path) -> None:
    with p.open("r+b") as f:
        f.write(b"\xff" * 64)


def _truncate(p: Path) -> None:
    with p.open("r+b") as f:
        f.truncate(p.stat().st_size // 3)


def _empty(p: Path) -> None:
    p.write_bytes(b"")


def _text(p: Path) -> None:
    p.write_text("this is not a database\n")


def _damage_middle(p: Path) -> None:
    with p.open("r+b") as f:
        f.seek(p.stat().st_size // 2)
        f.write(os.urandom(1 << 20))


DAMAGE = {
    "corrupt header": _damage_header,
    "truncated": _truncate,
    "empty": _empty,
    "text file": _text,
    "1 MB damaged mid-file": _damage_middle,
}


@pytest.mark.parametrize("how", DAMAGE.values(), ids=DAMAGE.keys())
def test_a_damaged_database_is_rebuilt_with_a_message(good_db: Path, tmp_path: Path, how) -> None:
    path = _copy(good_db, tmp_path)
    how(path)
    assert db.verify(path) is not None
    used, message = prepare_database(settings.SNAPSHOT_DIR, path)
    assert used == path
    assert message is not None and message.startswith("Data ready (rebuilt from the embedded snapshot in ")
    assert "the old database could not be used (" in message
    assert db.verify(path) is None
    con = db.connect(path)
    assert con.execute("SELECT count(*) FROM core_geo__borough").fetchone() == (33,)
    con.close()
    assert db.temp_files(path) == []


def test_a_sound_database_is_used_as_it_is(good_db: Path, tmp_path: Path) -> None:
    path = _copy(good_db, tmp_path)
    before = path.stat().st_mtime_ns
    assert prepare_database(settings.SNAPSHOT_DIR, path) == (path, None)
    assert path.stat().st_mtime_ns == before


def test_a_damaged_snapshot_is_named_not_a_parquet_traceback(tmp_path: Path) -> None:
    snapshot = tmp_path / "snapshot"
    shutil.copytree(settings.SNAPSHOT_DIR, snapshot)
    table = snapshot / "core_geo__ward.parquet"
    with table.open("r+b") as f:
        f.seek(table.stat().st_size // 2)
        f.write(b"\x00" * 256)
    with pytest.raises(errors.DatabaseUnavailableError) as caught:
        prepare_database(snapshot, tmp_path / "db" / "cohesion.duckdb")
    message = str(caught.value)
    assert "core_geo__ward.parquet" in message and "sha256" in message and "git checkout -- data/snapshot" in message
    assert "TProtocolException" not in message


def test_a_folder_that_cannot_be_written_uses_a_cache_folder(tmp_path: Path, monkeypatch) -> None:
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("a file where the data folder should be")  # nothing can be created under it, even by root
    monkeypatch.setattr(settings, "CACHE_DIRS", (tmp_path / "cache",))
    used, message = prepare_database(settings.SNAPSHOT_DIR, blocked / "cohesion.duckdb")
    assert used == tmp_path / "cache" / "cohesion.duckdb" and db.verify(used) is None
    assert message is not None and "is read-only" in message
    assert prepare_database(settings.SNAPSHOT_DIR, blocked / "cohesion.duckdb")[0] == used  # found next time


def test_no_writable_folder_is_a_clear_message(tmp_path: Path, monkeypatch) -> None:
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("x")
    monkeypatch.setattr(settings, "CACHE_DIRS", (blocked / "cache",))
    with pytest.raises(errors.DatabaseUnavailableError, match=r"cannot be rebuilt: neither .* can be written"):
        prepare_database(settings.SNAPSHOT_DIR, blocked / "cohesion.duckdb")


def _builder(path: Path) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-c", BUILD, str(path)], cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT
    )


@pytest.mark.parametrize("trial", range(3))
def test_two_builders_at_once_both_succeed(tmp_path: Path, trial: int) -> None:
    path = tmp_path / "cohesion.duckdb"
    builders = [_builder(path), _builder(path)]
    outputs = [p.communicate(timeout=300)[0].decode() for p in builders]
    assert [p.returncode for p in builders] == [0, 0], outputs
    assert db.verify(path) is None
    assert db.temp_files(path) == []


def test_an_interrupted_build_is_cleaned_up_by_the_next(tmp_path: Path) -> None:
    path = tmp_path / "cohesion.duckdb"
    victim = _builder(path)
    deadline = time.monotonic() + 60
    while not db.temp_files(path) and time.monotonic() < deadline:
        time.sleep(0.02)
    victim.send_signal(signal.SIGKILL)
    victim.communicate(timeout=30)
    assert db.temp_files(path), "the killed build left its temporary file"
    build_from_snapshot(settings.SNAPSHOT_DIR, path)  # does not wait for the dead owner's lock
    assert db.verify(path) is None and db.temp_files(path) == []


def test_gitignore_covers_every_build_file(tmp_path: Path) -> None:
    names = [
        "data/cohesion.duckdb",
        "data/cohesion.duckdb.wal",
        "data/cohesion.duckdb.tmp-123-0a1b2c3d",
        "data/cohesion.duckdb.tmp-123-0a1b2c3d.wal",
        "data/cohesion.duckdb.tmp",
        "data/cohesion.duckdb.tmp.wal",
        "data/cohesion.duckdb.lock",
        "data/cohesion.duckdb.sha256",
        "static/geo/lsoa11.geojson",
    ]
    result = subprocess.run(["git", "check-ignore", *names], cwd=ROOT, capture_output=True, text=True, check=False)
    assert result.stdout.split() == names
