"""fetch: verified downloads into data/raw/<source>/<vintage>/, never half-written, one clear line offline."""

from __future__ import annotations

import hashlib
import http.server
import io
import threading
import urllib.error
import zipfile
from pathlib import Path

import pytest

from cohesion_metrics import errors
from cohesion_metrics.extract import fetch
from cohesion_metrics.metadata.catalogue import Source, SourceFile

PAYLOAD = b"LSOA code,score\nE01000001,6.2\n"


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    root = tmp_path_factory.mktemp("www")
    (root / "file.csv").write_bytes(PAYLOAD)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("inner/file.csv", PAYLOAD)
    (root / "bundle.zip").write_bytes(buffer.getvalue())

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, directory=str(root), **kwargs)

        def log_message(self, *args) -> None:
            pass

    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Quiet)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def _source(url: str, member: str | None = None, sha: str | None = None) -> Source:
    digest = sha or hashlib.sha256(PAYLOAD).hexdigest()
    return Source(
        id="test_source",
        title="t",
        publisher="p",
        page_url="https://example.org",
        licence="OGL",
        attribution="a",
        vintage="2019",
        geography="g",
        code_vintage=None,
        folder="test_folder",
        loader="x:y",
        used_for="u",
        files=(SourceFile("file.csv", digest, len(PAYLOAD), url, member),),
    )


def test_downloads_and_verifies(server, tmp_path) -> None:
    fetch.fetch_source(_source(f"{server}/file.csv"), tmp_path, log=lambda _: None)
    assert (tmp_path / "test_source" / "2019" / "file.csv").read_bytes() == PAYLOAD


def test_extracts_zip_member(server, tmp_path) -> None:
    fetch.fetch_source(_source(f"{server}/bundle.zip", member="inner/file.csv"), tmp_path, log=lambda _: None)
    assert (tmp_path / "test_source" / "2019" / "file.csv").read_bytes() == PAYLOAD


def test_checksum_mismatch_leaves_nothing(server, tmp_path) -> None:
    with pytest.raises(errors.ChecksumError, match="accept-new"):
        fetch.fetch_source(_source(f"{server}/file.csv", sha="0" * 64), tmp_path, log=lambda _: None)
    assert list(tmp_path.rglob("*.csv")) == []
    assert list(tmp_path.rglob("*.part")) == []


def test_offline_prints_one_line_and_exits_non_zero(monkeypatch, tmp_path) -> None:
    def refuse(*args, **kwargs):
        raise urllib.error.URLError("Temporary failure in name resolution")

    monkeypatch.setattr(fetch.urllib.request, "urlopen", refuse)
    lines: list[str] = []
    code = fetch.fetch_all(tmp_path, log=lines.append)
    assert code == 2
    offline = [line for line in lines if line.startswith("fetch: offline")]
    assert len(offline) == 1
    assert not [p for p in tmp_path.rglob("*") if p.is_file()]


def test_missing_zip_member_is_named(server, tmp_path) -> None:
    with pytest.raises(errors.CorruptFileError, match="no member"):
        fetch.fetch_source(_source(f"{server}/bundle.zip", member="nope.csv"), tmp_path, log=lambda _: None)
    assert not Path(tmp_path / "test_source" / "2019" / "file.csv").exists()
