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
        subprocess.run([PYTHON, "-m", "pip", "install", "--quiet", "--upgrade", "pip"], check=True)
        subprocess.run([PYTHON, "-m", "pip", "install", "--quiet", "-r", ROOT / requirements], check=True)
        for old in VENV.glob(".deps-*"):
            old.unlink()
        stamp.touch()


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
        # pytest-xdist: one worker a core; pass `-n 0` to run in one process
        return subprocess.call([PYTHON, "-m", "pytest", "-n", "auto", *extra])
    sys.exit(f"usage: python3 dev.py app|test  (got {command!r})")


if __name__ == "__main__":
    sys.exit(main())
