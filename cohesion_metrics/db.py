"""The one place that opens DuckDB connections and loads the spatial extension, and builds database files.

A build writes a temporary file unique to it (``<name>.tmp-<pid>-<random>``, with DuckDB's ``.wal`` beside it) and
renames it over the database only when it succeeds, holding ``<name>.lock`` (which names the owner's pid) so that
two servers or commands never build at once (an flock: released by the kernel when its owner dies), and temporary
files left by an interrupted build (kill -9, a full disk) are removed by the next build. Beside the database goes
``<name>.sha256``, its digest when the build finished: `verify` tells a damaged file from a good one.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import secrets
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pandas as pd

from cohesion_metrics import settings
from cohesion_metrics.errors import BuildLockedError
from cohesion_metrics.files import sha256_file, write_atomic

_spatial_installed = False
_install_lock = threading.Lock()


def _install_spatial(con: duckdb.DuckDBPyConnection) -> None:
    """Install the spatial extension once per process: from the PyPI wheel where available, else DuckDB's own."""
    global _spatial_installed  # noqa: PLW0603 - a process-wide, idempotent install flag
    with _install_lock:
        if _spatial_installed:
            return
        try:
            import duckdb_extensions

            duckdb_extensions.import_extension("spatial", con=con)
        except ImportError:  # not Linux x86_64: use DuckDB's extension repository
            con.install_extension("spatial")
        _spatial_installed = True


def connect(path: Path | str | None = None, *, read_only: bool = True) -> duckdb.DuckDBPyConnection:
    """Open the database (default settings.DATABASE_PATH; or ':memory:') with the spatial extension loaded."""
    con = duckdb.connect(str(path or settings.DATABASE_PATH), read_only=read_only)
    _install_spatial(con)
    con.execute("LOAD spatial")
    return con


def query(
    con: duckdb.DuckDBPyConnection, sql: str, params: list[object] | dict[str, object] | None = None
) -> pd.DataFrame:
    """Run `sql` on a fresh cursor (safe across Streamlit threads) and return a DataFrame."""
    with con.cursor() as cur:
        return cur.execute(sql, params).df()


_held = threading.local()
#: How long a build waits for another one to finish before giving up (seconds).
LOCK_WAIT_S = 600.0


def lock_path(path: Path) -> Path:
    """The lock file of a database's builds."""
    return path.with_name(path.name + ".lock")


def digest_path(path: Path) -> Path:
    """The file holding the database's sha256 as built."""
    return path.with_name(path.name + ".sha256")


def temp_files(path: Path) -> list[Path]:
    """Temporary files of builds of `path` (any process's): ``<name>.tmp*``, including their ``.wal``."""
    return sorted(path.parent.glob(path.name + ".tmp*"))


def lock_owner(path: Path) -> int | None:
    """The pid written in the build lock of `path` (its last holder), or None."""
    try:
        return int(lock_path(path).read_text(encoding="ascii").split()[0])
    except (OSError, ValueError, IndexError):
        return None


@contextlib.contextmanager
def build_lock(path: Path, wait_s: float = LOCK_WAIT_S) -> Iterator[bool]:
    """Hold the build lock of `path`; yield whether another build held it first (so the caller may re-check).

    The lock is an exclusive `flock` on ``<name>.lock``, which then names this pid. The kernel releases it when its
    owner exits, even by kill -9, so a dead build never blocks the next one and nothing must be cleaned up.
    Raises BuildLockedError after waiting `wait_s` for a live owner.
    """
    lock = lock_path(path)
    if lock in getattr(_held, "locks", ()):  # this thread holds it already (a build inside a locked check)
        yield False
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(lock, os.O_CREAT | os.O_RDWR, 0o644)
    _held.locks = {*getattr(_held, "locks", ()), lock}
    try:
        deadline, waited = time.monotonic() + wait_s, False
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() > deadline:
                    raise BuildLockedError(
                        f"{path.name} is being built by process {lock_owner(path)} (lock {lock}): wait for it to "
                        "finish, or stop that process."
                    ) from None
                waited = True
                time.sleep(0.1)
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{os.getpid()}\n".encode("ascii"), 0)
        yield waited
    finally:
        _held.locks = getattr(_held, "locks", set()) - {lock}
        os.close(fd)  # releases the flock


@contextlib.contextmanager
def build_atomically(path: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    """Yield a writable connection to a temporary file unique to this build; rename it over `path` on success.

    Holds the build lock (`build_lock`) throughout and first removes temporary files of earlier, interrupted
    builds. On any error this build's temporary files are removed and an existing database at `path` is left
    untouched. On success `path`.sha256 records the new file's digest.
    """
    with build_lock(path):
        for stale in temp_files(path):  # no other build runs while we hold the lock
            stale.unlink(missing_ok=True)
        tmp = path.with_name(f"{path.name}.tmp-{os.getpid()}-{secrets.token_hex(4)}")
        con = connect(tmp, read_only=False)
        try:
            yield con
            con.close()
            digest = sha256_file(tmp)
            tmp.replace(path)
            write_atomic(digest_path(path), (digest + "\n").encode("ascii"))
        except BaseException:
            con.close()
            for leftover in (tmp, tmp.with_name(tmp.name + ".wal")):
                leftover.unlink(missing_ok=True)
            raise


def verify(path: Path) -> str | None:
    """Why the database at `path` cannot be used (missing, damaged, unreadable), or None if it is sound.

    Sound means: its sha256 is the one recorded when it was built (a file without a record is accepted if it opens),
    and DuckDB opens it read-only and reads the list of its tables.
    """
    if not path.is_file():
        return "it does not exist"
    recorded = digest_path(path)
    if recorded.is_file():
        try:
            expected = recorded.read_text(encoding="ascii").strip()
            actual = sha256_file(path)
        except OSError as exc:
            return f"it cannot be read ({exc.strerror or exc})"
        if actual != expected:
            return "its contents changed since it was built (sha256 differs): the file is damaged"
    try:
        con = duckdb.connect(str(path), read_only=True)
        try:
            con.execute("SELECT count(*) FROM duckdb_tables()").fetchone()
        finally:
            con.close()
    except (duckdb.Error, OSError) as exc:
        return f"DuckDB cannot open it ({type(exc).__name__}: {str(exc).splitlines()[0][:200]})"
    return None
