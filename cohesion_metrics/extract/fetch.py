"""Download the official files into data/raw/<source>/<vintage>/, verified against the catalogue's sha256.

Every file is written to a temporary name and renamed only once its checksum matches, so an interrupted
or failed download never leaves a half-written file.
"""

from __future__ import annotations

import tempfile
import urllib.error
import urllib.request
import zipfile
from collections.abc import Callable
from pathlib import Path

from cohesion_metrics import errors
from cohesion_metrics.extract.rawfiles import vintage_slug
from cohesion_metrics.files import sha256_file
from cohesion_metrics.metadata.catalogue import SOURCES, Source, SourceFile
from cohesion_metrics.settings import RAW_DIR

TIMEOUT_S = 30
USER_AGENT = "cohesion-metrics/0.1 (London resilience dashboard; fetch of official open data)"

Log = Callable[[str], None]


def _download(url: str, dest: Path) -> None:
    """Stream `url` into `dest`; OfflineError if the host cannot be reached."""
    request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT})
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT_S) as response, dest.open("wb") as out:
            while block := response.read(1 << 20):
                out.write(block)
    except (urllib.error.URLError, TimeoutError, ConnectionError) as exc:
        raise errors.OfflineError(f"cannot reach {url.split('/')[2]} ({exc})") from exc


def _place(tmp: Path, target: Path, expected: SourceFile, accept_new: bool, log: Log) -> None:
    digest = sha256_file(tmp)
    if digest != expected.sha256 and not accept_new:
        tmp.unlink(missing_ok=True)
        raise errors.ChecksumError(
            f"the downloaded file's sha256 {digest[:12]}... differs from the catalogued {expected.sha256[:12]}...: "
            "the publisher has changed it.",
            path=target,
            fix="check the new release, then run fetch with --accept-new to keep it.",
        )
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp.replace(target)
    log(f"  ok {target.relative_to(target.parents[2])}" + ("" if digest == expected.sha256 else " (new release)"))


def fetch_source(source: Source, raw_dir: Path, *, accept_new: bool = False, log: Log = print) -> list[str]:
    """Fetch one source's downloadable files; return the names that need a manual download."""
    folder = raw_dir / source.id / vintage_slug(source)
    manual = [f.name for f in source.files if f.url is None]
    zips: dict[str, Path] = {}
    with tempfile.TemporaryDirectory(dir=raw_dir) as work:
        for f in source.files:
            if f.url is None:
                continue
            target = folder / f.name
            if target.is_file() and sha256_file(target) == f.sha256:
                continue
            tmp = Path(work) / (Path(f.name).name + ".part")
            if f.member is None:
                _download(f.url, tmp)
            else:
                if f.url not in zips:
                    zips[f.url] = Path(work) / f"download{len(zips)}.zip"
                    _download(f.url, zips[f.url])
                try:
                    with zipfile.ZipFile(zips[f.url]) as archive, archive.open(f.member) as src:
                        tmp.write_bytes(src.read())
                except (KeyError, zipfile.BadZipFile) as exc:
                    raise errors.CorruptFileError(
                        f"the download has no member {f.member!r} ({exc}).",
                        path=f.url,
                        fix="the publisher may have reorganised the archive; update the catalogue.",
                    ) from exc
            _place(tmp, target, f, accept_new, log)
    return manual


def fetch_all(raw_dir: Path = RAW_DIR, *, accept_new: bool = False, log: Log = print) -> int:
    """Fetch every source; return 0 on success, 2 when offline. Lists files needing a manual download."""
    raw_dir.mkdir(parents=True, exist_ok=True)
    manual: list[tuple[Source, str]] = []
    try:
        for source in SOURCES:
            log(f"{source.id}")
            manual += [(source, name) for name in fetch_source(source, raw_dir, accept_new=accept_new, log=log)]
    except errors.OfflineError as exc:
        log(
            f"fetch: offline, nothing changed for the remaining files ({exc}). "
            "Connect to the internet and run it again, or build with --raw-dir pointing at downloaded files."
        )
        return 2
    if manual:
        log("These publishers offer no stable direct link; download from the page and save as shown:")
        for source, name in manual:
            log(f"  {source.page_url} -> {raw_dir / source.id / vintage_slug(source) / name}")
    return 0
