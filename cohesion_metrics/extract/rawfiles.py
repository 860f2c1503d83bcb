"""Finding and checksumming the official files for a source in a raw-data folder."""

from __future__ import annotations

from pathlib import Path

from cohesion_metrics import errors
from cohesion_metrics.metadata.catalogue import Source
from cohesion_metrics.settings import RAW_DIR, SHARED_DATA_DIR


def vintage_slug(source: Source) -> str:
    """A folder-safe form of the source's vintage."""
    keep = [c if c.isalnum() else "-" for c in source.vintage.lower()]
    return "-".join(filter(None, "".join(keep).split("-")))


def candidate_dirs(source: Source, raw_dir: Path) -> list[Path]:
    """Where a source's files may be: data/raw/<id>/<vintage>/ (fetch) or <raw_dir>/<folder>/ (shared layout)."""
    return [raw_dir / source.id / vintage_slug(source), raw_dir / source.folder]


def source_dir(source: Source, raw_dir: Path) -> Path:
    """The folder holding all of the source's catalogued files; MissingSourceFileError names what is missing."""
    best: tuple[int, Path] | None = None
    for folder in candidate_dirs(source, raw_dir):
        present = sum((folder / f.name).is_file() for f in source.files)
        if present == len(source.files):
            return folder
        if best is None or present > best[0]:
            best = (present, folder)
    assert best is not None
    folder = best[1]
    missing = [f.name for f in source.files if not (folder / f.name).is_file()]
    raise errors.MissingSourceFileError(
        f"{len(missing)} of {len(source.files)} file(s) of source {source.id!r} are missing in {folder} "
        f"(first: {missing[0]}).",
        path=folder / missing[0],
        fix="run `python -m cohesion_metrics fetch`, or pass --raw-dir pointing at a folder of the official files.",
    )


def default_raw_dir() -> Path:
    """data/raw if fetch has put anything there, else ../shared/data beside the project."""
    if RAW_DIR.is_dir() and any(RAW_DIR.iterdir()):
        return RAW_DIR
    return SHARED_DATA_DIR
