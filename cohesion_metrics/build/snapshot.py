"""The compact snapshot under data/snapshot/: Parquet/GeoParquet tables, a manifest and the attributions.

Only `build --snapshot` writes it. The app builds its database from it when none exists.
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
import time
from pathlib import Path
from typing import TYPE_CHECKING

import duckdb

from cohesion_metrics import __version__, db, errors, settings
from cohesion_metrics.files import sha256_file
from cohesion_metrics.metadata import schema
from cohesion_metrics.metadata.catalogue import SOURCES

if TYPE_CHECKING:
    from cohesion_metrics.build.report import BuildReport

MANIFEST = "manifest.json"
ATTRIBUTION = "ATTRIBUTION.md"


def snapshot_tables() -> list[str]:
    """Names of the tables the snapshot carries."""
    return [t.name for t in schema.TABLES if t.in_snapshot and not t.is_view]


def attribution_text() -> str:
    """Markdown attribution for every source, generated from the catalogue."""
    lines = [
        "# Data attribution and licences",
        "",
        "This snapshot is derived by `python -m cohesion_metrics build --snapshot` from the official files below.",
        "",
    ]
    for s in SOURCES:
        lines += [
            f"## {s.title}",
            f"- Publisher: {s.publisher}",
            f"- Page: {s.page_url}",
            f"- Licence: {s.licence} ({s.licence_url})",
            f"- Attribution: {s.attribution}",
            f"- Vintage: {s.vintage}",
        ]
        if s.caveat:
            lines.append(f"- Caveat: {s.caveat}")
        lines.append("")
    return "\n".join(lines)


def export_snapshot(con: duckdb.DuckDBPyConnection, snapshot_dir: Path, report: BuildReport) -> int:
    """Write the snapshot into a temporary folder and swap it into place; return total rows."""
    tmp = snapshot_dir.with_name(snapshot_dir.name + ".tmp")
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir(parents=True)
    tables = []
    total = 0
    for name in snapshot_tables():
        path = tmp / f"{name}.parquet"
        con.execute(f"COPY (SELECT * FROM {name}) TO '{path}' (FORMAT parquet, COMPRESSION zstd, COMPRESSION_LEVEL 19)")
        row = con.execute(f"SELECT count(*) FROM {name}").fetchone()
        rows = int(row[0]) if row else 0
        total += rows
        tables.append({"name": name, "file": path.name, "rows": rows, "sha256": sha256_file(path)})
    manifest = {
        "build_version": __version__,
        "built_on": dt.date.today().isoformat(),
        "tables": tables,
        "sources": [
            {
                "id": s.id,
                "title": s.title,
                "vintage": s.vintage,
                "licence": s.licence,
                "files": [
                    {"name": name, "sha256": digest}
                    for name, digest in sorted(report.input_checksums.get(s.id, {}).items())
                ],
            }
            for s in SOURCES
        ],
        "warnings": report.warnings,
    }
    (tmp / MANIFEST).write_text(json.dumps(manifest, indent=1) + "\n", encoding="utf-8")
    (tmp / ATTRIBUTION).write_text(attribution_text() + "\n", encoding="utf-8")
    old = snapshot_dir.with_name(snapshot_dir.name + ".old")
    shutil.rmtree(old, ignore_errors=True)
    if snapshot_dir.exists():
        snapshot_dir.rename(old)
    tmp.rename(snapshot_dir)
    shutil.rmtree(old, ignore_errors=True)
    return total


def read_manifest(snapshot_dir: Path | None = None) -> dict[str, object]:
    """The snapshot's manifest; CorruptFileError if it is missing or unreadable."""
    path = (snapshot_dir or settings.SNAPSHOT_DIR) / MANIFEST
    try:
        return dict(json.loads(path.read_text(encoding="utf-8")))
    except (OSError, ValueError) as exc:
        raise errors.CorruptFileError(
            f"the snapshot manifest cannot be read ({exc}).",
            path=path,
            fix="restore data/snapshot from git, or rebuild it with `python -m cohesion_metrics build --snapshot`.",
        ) from exc


_RESTORE = "restore data/snapshot from git (`git checkout -- data/snapshot`)."


def verify_snapshot(snapshot_dir: Path | None = None) -> list[dict[str, object]]:
    """The manifest's tables, each file checked against its sha256; MissingSourceFileError or CorruptFileError."""
    snapshot_dir = snapshot_dir or settings.SNAPSHOT_DIR
    tables = read_manifest(snapshot_dir).get("tables")
    if not isinstance(tables, list) or not all(isinstance(t, dict) and {"name", "file"} <= t.keys() for t in tables):
        raise errors.CorruptFileError(
            "the snapshot manifest has no valid list of tables.", path=snapshot_dir / MANIFEST, fix=_RESTORE
        )
    for entry in tables:
        path = snapshot_dir / str(entry["file"])
        if not path.is_file():
            raise errors.MissingSourceFileError("a snapshot table is missing.", path=path, fix=_RESTORE)
        if "sha256" in entry and sha256_file(path) != entry["sha256"]:
            raise errors.CorruptFileError(
                "the snapshot table is damaged: its sha256 is not the one in the manifest.", path=path, fix=_RESTORE
            )
    return tables


def build_from_snapshot(snapshot_dir: Path | None = None, db_path: Path | None = None) -> float:
    """Create the database from the snapshot (checked against its manifest; a temporary file, renamed); seconds."""
    start = time.perf_counter()
    snapshot_dir = snapshot_dir or settings.SNAPSHOT_DIR
    db_path = db_path or settings.DATABASE_PATH
    tables = verify_snapshot(snapshot_dir)
    with db.build_atomically(db_path) as con:
        for entry in tables:
            path = snapshot_dir / str(entry["file"])
            con.execute(f"CREATE TABLE {entry['name']} AS SELECT * FROM read_parquet('{path}')")
        schema.create_public_views(con)
        schema.apply_comments(con)
    return time.perf_counter() - start


def prepare_database(snapshot_dir: Path | None = None, db_path: Path | None = None) -> tuple[Path, str | None]:
    """A sound database to open read-only, and a message when it had to be built; never a half-built file.

    A missing or damaged database (`db.verify`: sha256 differs from the build's, DuckDB cannot open it) is rebuilt
    from the snapshot, one build at a time (another server may be building it: it is then used). When its folder
    cannot be written, the database goes to the first writable cache folder (`settings.CACHE_DIRS`). Raises
    DatabaseUnavailableError, saying why and what to do, when none can be used.
    """
    db_path = db_path or settings.DATABASE_PATH
    problem = db.verify(db_path)
    if problem is None:
        return db_path, None
    target = db_path
    if settings.writable_dir(db_path.parent) is None:
        cache = settings.writable_dir(*settings.CACHE_DIRS)
        if cache is None:
            raise errors.DatabaseUnavailableError(
                f"The database {db_path} cannot be used ({problem}) and cannot be rebuilt: neither {db_path.parent} "
                f"nor a cache folder ({', '.join(str(d) for d in settings.CACHE_DIRS)}) can be written. Make one of "
                "them writable, or set COHESION_CACHE to a writable folder."
            )
        target = cache / db_path.name
        if db.verify(target) is None:
            return target, f"{db_path.parent} is read-only: using the database built earlier in {cache}."
    try:
        with db.build_lock(target) as waited:
            if waited and db.verify(target) is None:  # another server built it while we waited
                return target, None
            seconds = build_from_snapshot(snapshot_dir, target)
    except errors.SourceError as exc:
        raise errors.DatabaseUnavailableError(
            f"The database {db_path.name} cannot be used ({problem}) and the snapshot it is rebuilt from is not "
            f"usable: {exc}"
        ) from exc
    except OSError as exc:
        raise errors.DatabaseUnavailableError(
            f"The database {target} could not be built ({exc.strerror or exc}): free some disk space or make "
            f"{target.parent} writable (or set COHESION_CACHE to a writable folder)."
        ) from exc
    fresh = problem == "it does not exist"
    verb, why = ("built", "") if fresh else ("rebuilt", f"; the old database could not be used ({problem})")
    where = "" if target == db_path else f" in {target.parent}, as {db_path.parent} is read-only"
    return target, f"Data ready ({verb} from the embedded snapshot{where} in {seconds:.1f} s{why})"
