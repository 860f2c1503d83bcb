#!/usr/bin/env python3
"""Set up and run the project: `python3 dev.py app` runs the app, `python3 dev.py test` runs the checks and tests.

Creates `.venv` on first use and (re)installs the pinned requirements whenever they change.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
PYTHON = BIN / ("python.exe" if os.name == "nt" else "python")
UV = "uv==0.13.9"  # the installer dev.py uses (pinned like the requirements)
QUIET = {"stdout": subprocess.DEVNULL, "stderr": subprocess.DEVNULL}
#: What the app and the tests import beyond cohesion_metrics (which is imported whole): compiled once per install.
APP_MODULES = ["streamlit.web.bootstrap", "streamlit.web.server.server"]
TEST_MODULES = [*APP_MODULES, "pytest", "xdist", "streamlit.testing.v1", "playwright.sync_api", "pypdf"]
#: Run in .venv's Python with a marker path and module names: compile the modules imported (as pip does at install,
#: also where PYTHONDONTWRITEBYTECODE is set) and touch the marker; then compile or load the numba kernels.
WARM = """
import importlib, pkgutil, sys
from pathlib import Path
marker, *modules = sys.argv[1:]
if modules:
    sys.dont_write_bytecode = False
    import cohesion_metrics
    for module in pkgutil.walk_packages(cohesion_metrics.__path__, "cohesion_metrics."):
        importlib.import_module(module.name)
    for name in modules:
        importlib.import_module(name)
from cohesion_metrics.method.rank_kernels import warm
warm()
Path(marker).touch()
"""


def _deps_stamp(requirements: str) -> Path:
    text = "".join((ROOT / name).read_text() for name in ("requirements.txt", requirements))
    return VENV / f".deps-{hashlib.sha256(text.encode()).hexdigest()[:16]}"


def ensure_env(requirements: str) -> None:
    """Create the virtual environment and install `requirements` if they changed since the last install."""
    if sys.version_info < (3, 11):  # noqa: UP036 - dev.py must run, and explain, on an older Python
        sys.exit(f"Python 3.11 or newer is needed; this is {sys.version.split()[0]}.")
    if not PYTHON.exists():
        print("Creating .venv …", flush=True)
        venv.EnvBuilder(with_pip=False).create(VENV)  # uv installs into it; pip is added only if uv cannot be had
    stamp = _deps_stamp(requirements)
    if not stamp.exists():
        print(f"Installing {requirements} …", flush=True)
        install(ROOT / requirements)
        for old in VENV.glob(".deps-*"):
            old.unlink()
        stamp.touch()


def install(requirements: Path) -> None:
    """Install `requirements` into .venv with uv (several times faster than pip); pip where uv cannot be had."""
    if _uv():
        uv = [PYTHON, "-m", "uv", "pip", "install", "--quiet", "--python", PYTHON]
        if subprocess.call([*uv, "-r", requirements]) == 0:
            return
    print("uv could not install the requirements; installing them with pip …", flush=True)
    _pip()
    pip = [PYTHON, "-m", "pip", "install", "--quiet"]
    subprocess.run([*pip, "--upgrade", "pip"], check=True)
    subprocess.run([*pip, "-r", requirements], check=True)


def _uv() -> bool:
    """Whether uv is in .venv: put there by this Python's pip if it has one (--python), else by .venv's own pip."""
    if subprocess.call([PYTHON, "-m", "uv", "--version"], **QUIET) == 0:
        return True
    if subprocess.call([sys.executable, "-m", "pip", "--python", PYTHON, "install", "--quiet", UV]) == 0:
        return True
    _pip()
    return subprocess.call([PYTHON, "-m", "pip", "install", "--quiet", UV]) == 0


def _pip() -> None:
    """Add pip to .venv unless it is there."""
    if subprocess.call([PYTHON, "-m", "pip", "--version"], **QUIET) != 0:
        subprocess.run([PYTHON, "-m", "ensurepip"], check=True, **QUIET)


def warm(requirements: str, modules: list[str]) -> subprocess.Popen[bytes]:
    """Start a process that compiles the modules the command imports (once per install), then the numba kernels.

    Modules without bytecode are compiled again in every process where PYTHONDONTWRITEBYTECODE is set: seconds.
    """
    key = hashlib.sha256(f"{_deps_stamp(requirements).name} {modules}".encode()).hexdigest()[:16]
    marker = VENV / f".compiled-{key}"
    if not marker.exists():
        for old in VENV.glob(".compiled-*"):
            old.unlink()
    return subprocess.Popen([PYTHON, "-c", WARM, marker, *([] if marker.exists() else modules)])


def main() -> int:
    """Dispatch `app` or `test`; extra arguments go to streamlit or pytest."""
    command, *extra = sys.argv[1:] or ["app"]
    os.chdir(ROOT)
    if command == "app":
        ensure_env("requirements.txt")
        if warm("requirements.txt", APP_MODULES).wait() != 0:
            return 1
        return subprocess.call([PYTHON, "-m", "streamlit", "run", "app.py", *extra])
    if command == "test":
        ensure_env("requirements-dev.txt")
        warming = warm("requirements-dev.txt", TEST_MODULES)  # on one core while mypy runs on the other
        try:
            for step in (["ruff", "check", "."], ["ruff", "format", "--check", "."], ["mypy"]):
                print("$", " ".join(step), flush=True)
                if subprocess.call([PYTHON, "-m", *step]) != 0:
                    return 1
        finally:
            warmed = warming.wait()
        if warmed != 0:
            return 1
        # pytest-xdist: one worker a core, a test module to a worker at a time, in file order (the browser tests,
        # the longest group, first); pass `-n 0` to run in one process
        xdist = ["-n", "auto", "--dist", "loadscope", "--no-loadscope-reorder"]
        return subprocess.call([PYTHON, "-m", "pytest", *xdist, *extra])
    sys.exit(f"usage: python3 dev.py app|test  (got {command!r})")


if __name__ == "__main__":
    sys.exit(main())
