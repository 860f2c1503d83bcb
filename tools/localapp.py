"""Run the app locally for a browser: a Streamlit server on a loopback port, Debian's Chromium, pixel checks.

Shared by tests/browser/test_browser.py, tools/screenshots.py and benchmarks/app.py.
"""

from __future__ import annotations

import contextlib
import io
import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from urllib.parse import urlsplit

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--use-angle=swiftshader",  # WebGL (the borough map) drawn by SwiftShader, on the CPU
    "--enable-unsafe-swiftshader",
    # the page's layers composited in software, as on a machine without a GPU: SwiftShader compositing cost about a
    # third of the browser's CPU per page, and layout and pixels drawn are the same
    "--disable-gpu-compositing",
    "--no-sandbox",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
BACKGROUND_MIN = 235  # a pixel is background if its darkest channel is >= this (white-bg style, white outlines)
HEALTH_TIMEOUT_S = 60.0

_BASE_PATH_PROBE = re.compile(r"/[^/]+/_stcore/(health|host-config)")  # matched against the URL path
_URL = re.compile(r"https?://\S+")


class AppStartError(RuntimeError):
    """The Streamlit server exited or did not become healthy in time."""


def free_port() -> int:
    """A TCP port that is free on 127.0.0.1 right now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def stop(proc: subprocess.Popen[bytes]) -> None:
    """Terminate the process we started, by its handle; kill it if it lingers."""
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=10)


def _tail(log: Path | None, n: int = 15) -> str:
    if log is None or not log.exists():
        return "(no log kept)"
    return "\n".join(log.read_text(errors="replace").splitlines()[-n:])


@contextlib.contextmanager
def streamlit_server(
    app_path: Path,
    *,
    cwd: Path | None = None,
    env: Mapping[str, str] | None = None,
    port: int | None = None,
    log: Path | None = None,
    extra_args: Sequence[str] = (),
    name: str = "app",
    timeout_s: float = HEALTH_TIMEOUT_S,
    started: list[subprocess.Popen[bytes]] | None = None,
) -> Iterator[str]:
    """Run `streamlit run app_path` headless on 127.0.0.1 and yield its base URL once /_stcore/health answers.

    `cwd` defaults to the script's folder, `env` to this process's environment, `port` to a free one. Output goes
    to `log` (else nowhere); the process is appended to `started` if given (e.g. to read its memory). The file
    watcher is off, so the server does not poll the tree. Raises AppStartError
    (with the log's tail) if the server exits or is not healthy within `timeout_s`; always stops the process.
    """
    port = free_port() if port is None else port
    command = [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        str(app_path),
        "--server.port",
        str(port),
        "--server.address",
        "127.0.0.1",
        "--server.headless",
        "true",
        "--browser.gatherUsageStats",
        "false",
        "--server.fileWatcherType",
        "none",
        *extra_args,
    ]
    with contextlib.ExitStack() as files:
        out = files.enter_context(log.open("wb")) if log is not None else subprocess.DEVNULL
        proc = subprocess.Popen(
            command,
            cwd=cwd or Path(app_path).parent,
            env=dict(os.environ if env is None else env),
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    if started is not None:
        started.append(proc)
    try:
        url = f"http://127.0.0.1:{port}"
        _wait_healthy(proc, url, name, log, timeout_s)
        yield url
    finally:
        stop(proc)


def _wait_healthy(proc: subprocess.Popen[bytes], url: str, name: str, log: Path | None, timeout_s: float) -> None:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise AppStartError(f"{name} server exited with {proc.returncode}:\n{_tail(log)}")
        try:
            with urllib.request.urlopen(url + "/_stcore/health", timeout=2) as r:
                if r.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    raise AppStartError(f"{name} server not healthy within {timeout_s:.0f} s:\n{_tail(log)}")


def is_streamlit_base_path_probe(text: str, url: str | None = None) -> bool:
    """Whether a console error is Streamlit's own 404 while it probes /<page>/_stcore/... for its base path.

    Streamlit's frontend, opened on a page path, requests `<path>/_stcore/health` and `<path>/_stcore/host-config`
    before the root ones (streamlit/streamlit#7074): expected 404s. Without `url`, the last URL in `text` is used.
    """
    if url is None:
        urls = _URL.findall(text)
        url = urls[-1] if urls else ""
    return "404" in text and bool(_BASE_PATH_PROBE.fullmatch(urlsplit(url).path))


def drawn_fraction(png: bytes) -> float:
    """Share of a screenshot's pixels that are not the white background (darkest channel < BACKGROUND_MIN)."""
    import numpy as np
    from PIL import Image

    rgb = np.asarray(Image.open(io.BytesIO(png)).convert("RGB"))
    return float((rgb.min(axis=2) < BACKGROUND_MIN).mean())


def rss_mb(pid: int) -> float:
    """Resident memory of a process (Linux /proc), in MB."""
    status = Path(f"/proc/{pid}/status").read_text()
    return int(status.split("VmRSS:")[1].split()[0]) / 1024
