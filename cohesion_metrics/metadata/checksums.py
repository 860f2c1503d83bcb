"""Expected sha256 and size of every official file the project reads (see catalogue.py), from checksums.csv.

The table was generated from the files in ../shared/data on 2026-11-25: one row per file with its source folder,
its path relative to that folder, its sha256 and its size in bytes.
"""

from __future__ import annotations

import csv
from pathlib import Path

#: The data file: folder, path, sha256, bytes.
CHECKSUMS_FILE = Path(__file__).with_name("checksums.csv")


def _read(path: Path) -> dict[str, tuple[tuple[str, str, int], ...]]:
    """(path, sha256, bytes) per source folder, in the file's order."""
    out: dict[str, list[tuple[str, str, int]]] = {}
    with path.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            out.setdefault(row["folder"], []).append((row["path"], row["sha256"], int(row["bytes"])))
    return {folder: tuple(rows) for folder, rows in out.items()}


#: (relative path, sha256, bytes) per source folder.
CHECKSUMS: dict[str, tuple[tuple[str, str, int], ...]] = _read(CHECKSUMS_FILE)
