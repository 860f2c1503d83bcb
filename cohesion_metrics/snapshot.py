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

from cohesion_metrics import __version__, db, errors, schema, settings
from cohesion_metrics.catalogue import SOURCES
from cohesion_metrics.rawfiles import sha256_file

if TYPE_CHECKING:
    from cohesion_metrics.build import BuildReport

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


def build_from_snapshot(snapshot_dir: Path | None = None, db_path: Path | None = None) -> float:
    """Create the database from the snapshot (temporary file, then rename); return seconds taken."""
    start = time.perf_counter()
    snapshot_dir = snapshot_dir or settings.SNAPSHOT_DIR
    db_path = db_path or settings.DATABASE_PATH
    manifest = read_manifest(snapshot_dir)
    tables = manifest["tables"]
    assert isinstance(tables, list)
    with db.build_atomically(db_path) as con:
        for entry in tables:
            path = snapshot_dir / entry["file"]
            if not path.is_file():
                raise errors.MissingSourceFileError(
                    "a snapshot table is missing.", path=path, fix="restore data/snapshot from git."
                )
            con.execute(f"CREATE TABLE {entry['name']} AS SELECT * FROM read_parquet('{path}')")
        schema.create_public_views(con)
        schema.apply_comments(con)
    return time.perf_counter() - start


def ensure_database(snapshot_dir: Path | None = None, db_path: Path | None = None) -> str | None:
    """Build the database from the snapshot if it does not exist yet; return a message saying so, else None."""
    db_path = db_path or settings.DATABASE_PATH
    if db_path.is_file():
        return None
    seconds = build_from_snapshot(snapshot_dir, db_path)
    return f"No database found: built {db_path.name} from the embedded snapshot in {seconds:.1f} s."
