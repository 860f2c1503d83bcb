"""Project-wide settings: paths and coordinate reference systems, documented once."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DATA_DIR = PROJECT_ROOT / "data"
#: Where `fetch` downloads official files: data/raw/<source_id>/<vintage>/<file>. Ignored by git.
RAW_DIR = DATA_DIR / "raw"
#: The shared folder of official files beside the project (present on developer machines and CI).
SHARED_DATA_DIR = PROJECT_ROOT.parent / "shared" / "data"
#: The committed, compact snapshot the app runs on out of the box.
SNAPSHOT_DIR = DATA_DIR / "snapshot"
#: The DuckDB database the app reads (COHESION_DB overrides, e.g. for tests).
DATABASE_PATH = Path(os.environ.get("COHESION_DB", DATA_DIR / "cohesion.duckdb"))

#: Where run-time files go when the project folder cannot be written (COHESION_CACHE overrides): the database
#: built from the snapshot, the display GeoJSON. `writable_dir` picks the first usable one.
CACHE_DIRS = tuple(
    Path(p)
    for p in (
        os.environ.get("COHESION_CACHE"),
        Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "cohesion-metrics",
        Path(tempfile.gettempdir()) / f"cohesion-metrics-{os.getuid() if hasattr(os, 'getuid') else 'user'}",
    )
    if p
)


def writable_dir(*candidates: Path) -> Path | None:
    """The first of `candidates` that exists or can be made, and can be written to (tested with a file), else None."""
    for folder in candidates:
        try:
            folder.mkdir(parents=True, exist_ok=True)
            probe = folder / f".write-test-{os.getpid()}"
            probe.write_bytes(b"")
            probe.unlink()
        except OSError:
            continue
        return folder
    return None


#: Analysis CRS: British National Grid (metres).
ANALYSIS_CRS = "EPSG:27700"
#: Display CRS: WGS84 longitude/latitude.
DISPLAY_CRS = "EPSG:4326"

#: London boroughs are local authority districts E09000001..E09000033.
LONDON_LAD_CODES = tuple(f"E09{n:06d}" for n in range(1, 34))

#: Greater London's bounding box in British National Grid metres (generous, for sanity checks).
LONDON_BNG_BOUNDS = (500_000.0, 150_000.0, 565_000.0, 205_000.0)
#: The same in WGS84 degrees (lon_min, lat_min, lon_max, lat_max).
LONDON_WGS84_BOUNDS = (-0.52, 51.27, 0.34, 51.70)

#: Highest LSOA code that existed in 2011; codes above it were created in 2021.
LAST_LSOA11_CODE = "E01033768"
