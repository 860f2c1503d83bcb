"""The one place that opens DuckDB connections and loads the spatial extension."""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pandas as pd

from cohesion_metrics import settings

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


@contextlib.contextmanager
def build_atomically(path: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    """Yield a writable connection to `path`.tmp; rename it over `path` only if the block succeeds.

    On any error the temporary file is removed and an existing database at `path` is left untouched.
    """
    tmp = path.with_name(path.name + ".tmp")
    tmp.unlink(missing_ok=True)
    path.parent.mkdir(parents=True, exist_ok=True)
    con = connect(tmp, read_only=False)
    try:
        yield con
        con.close()
        tmp.replace(path)
    except BaseException:
        con.close()
        tmp.unlink(missing_ok=True)
        raise
