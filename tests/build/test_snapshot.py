"""The committed snapshot: compact, described by its manifest, attributed, and rebuilt into the same database."""

from __future__ import annotations

import json
import re

import pytest

from cohesion_metrics import db, errors
from cohesion_metrics.build.snapshot import (
    build_from_snapshot,
    prepare_database,
    read_manifest,
    snapshot_tables,
)
from cohesion_metrics.files import sha256_file
from cohesion_metrics.metadata import schema
from cohesion_metrics.metadata.catalogue import SOURCES
from cohesion_metrics.settings import SNAPSHOT_DIR

MAX_BYTES = 15 * 1024 * 1024


def test_snapshot_is_compact() -> None:
    total = sum(p.stat().st_size for p in SNAPSHOT_DIR.iterdir())
    assert total <= MAX_BYTES


def test_manifest_lists_every_table_with_checksums() -> None:
    manifest = read_manifest()
    assert [t["name"] for t in manifest["tables"]] == snapshot_tables()
    for table in manifest["tables"]:
        assert sha256_file(SNAPSHOT_DIR / table["file"]) == table["sha256"]
    assert {s["id"] for s in manifest["sources"]} == {s.id for s in SOURCES}
    for source in manifest["sources"]:
        assert source["files"], f"{source['id']}: input checksums recorded"


def test_attribution_names_licences() -> None:
    text = (SNAPSHOT_DIR / "ATTRIBUTION.md").read_text()
    assert "Open Government Licence v3.0" in text
    assert "© OpenStreetMap contributors" in text and "ODbL" in text
    assert all(s.title in text for s in SOURCES)


def test_rebuilds_database_with_manifest_row_counts(tmp_path) -> None:
    path = tmp_path / "c.duckdb"
    build_from_snapshot(SNAPSHOT_DIR, path)
    con = db.connect(path, read_only=True)
    for table in read_manifest()["tables"]:
        assert con.execute(f"SELECT count(*) FROM {table['name']}").fetchone()[0] == table["rows"]
    views = {r[0] for r in con.execute("SELECT view_name FROM duckdb_views() WHERE NOT internal").fetchall()}
    assert {"areas", "indicators", "spaces", "sources"} <= views
    comment = con.execute("SELECT comment FROM duckdb_tables() WHERE table_name = 'core_geo__lsoa11'").fetchone()[0]
    assert comment == schema.TABLES_BY_NAME["core_geo__lsoa11"].description
    con.close()


def test_prepare_database_builds_once_and_says_so(tmp_path) -> None:
    path = tmp_path / "c.duckdb"
    message = prepare_database(SNAPSHOT_DIR, path)[1]
    assert message is not None
    assert re.fullmatch(r"Data ready \(built from the embedded snapshot in \d+\.\d s\)", message), message
    assert prepare_database(SNAPSHOT_DIR, path)[1] is None


def test_broken_snapshot_leaves_existing_database(tmp_path) -> None:
    broken = tmp_path / "snap"
    broken.mkdir()
    (broken / "manifest.json").write_text(json.dumps({"tables": [{"name": "x", "file": "x.parquet", "rows": 1}]}))
    target = tmp_path / "c.duckdb"
    target.write_bytes(b"previous")
    with pytest.raises(errors.MissingSourceFileError, match="snapshot"):
        build_from_snapshot(broken, target)
    assert target.read_bytes() == b"previous"
    with pytest.raises(errors.CorruptFileError, match="manifest"):
        read_manifest(tmp_path)
