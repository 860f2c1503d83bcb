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


def ensure_env(requirements: str) -> None:
    """Create the virtual environment and install `requirements` if they changed since the last install."""
    if sys.version_info < (3, 11):  # noqa: UP036 - dev.py must run, and explain, on an older Python
        sys.exit(f"Python 3.11 or newer is needed; this is {sys.version.split()[0]}.")
    if not PYTHON.exists():
        print("Creating .venv …", flush=True)
        venv.EnvBuilder(with_pip=True).create(VENV)
    text = "".join((ROOT / name).read_text() for name in ("requirements.txt", requirements))
    stamp = VENV / f".deps-{hashlib.sha256(text.encode()).hexdigest()[:16]}"
    if not stamp.exists():
        print(f"Installing {requirements} …", flush=True)
        install(ROOT / requirements)
        for old in VENV.glob(".deps-*"):
            old.unlink()
        stamp.touch()


def install(requirements: Path) -> None:
    """Install `requirements` into .venv with uv (several times faster than pip); pip where uv cannot be had."""
    pip = [PYTHON, "-m", "pip", "install", "--quiet"]
    if subprocess.call([*pip, UV]) == 0:
        # bytecode compiled at install, as pip does: imports stay fast where PYTHONDONTWRITEBYTECODE is set
        uv = [PYTHON, "-m", "uv", "pip", "install", "--quiet", "--compile-bytecode", "--python", PYTHON]
        if subprocess.call([*uv, "-r", requirements]) == 0:
            return
    print("uv could not install the requirements; installing them with pip …", flush=True)
    subprocess.run([*pip, "--upgrade", "pip"], check=True)
    subprocess.run([*pip, "-r", requirements], check=True)


def warm_kernels() -> None:
    """Compile the framework's numba kernels once (seconds on a new checkout; loaded from disk afterwards)."""
    code = "from cohesion_metrics.method.rank_kernels import warm; warm()"
    subprocess.run([PYTHON, "-c", code], check=True)


def main() -> int:
    """Dispatch `app` or `test`; extra arguments go to streamlit or pytest."""
    command, *extra = sys.argv[1:] or ["app"]
    os.chdir(ROOT)
    if command == "app":
        ensure_env("requirements.txt")
        warm_kernels()
        return subprocess.call([PYTHON, "-m", "streamlit", "run", "app.py", *extra])
    if command == "test":
        ensure_env("requirements-dev.txt")
        warm_kernels()
        for step in (["ruff", "check", "."], ["ruff", "format", "--check", "."], ["mypy"]):
            print("$", " ".join(step), flush=True)
            if subprocess.call([PYTHON, "-m", *step]) != 0:
                return 1
        # pytest-xdist: one worker a core, a test module to a worker at a time, in file order (the browser tests,
        # the longest group, first); pass `-n 0` to run in one process
        xdist = ["-n", "auto", "--dist", "loadscope", "--no-loadscope-reorder"]
        return subprocess.call([PYTHON, "-m", "pytest", *xdist, *extra])
    sys.exit(f"usage: python3 dev.py app|test  (got {command!r})")


if __name__ == "__main__":
    sys.exit(main())
