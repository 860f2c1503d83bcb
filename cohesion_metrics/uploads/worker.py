"""Uploads parsed in a short-lived worker process, so the memory the parsing churns goes back to the system.

Reading a large GeoJSON or GeoPackage makes millions of small allocations (Python objects for the structure check,
GDAL's and GEOS's own); freed in a long-running server they leave its heaps fragmented, and its resident memory
stays high after the session has gone. Here each parse runs in a fresh child forked from a forkserver that has
already imported the parsers (so a child starts in milliseconds, with GDAL's and PROJ's network switched off by
`geodata_bytes` on import), and the child exits when it is done, handing all of its memory back at once. Only the
result comes back, pickled (`UploadResult`; geometries as WKB, exactly as parsed).

The file's bytes go to the child through a pipe, never through a file; each parse has a child of its own, so a
crash or a timeout ends that parse only, and nothing of one session's file is seen by another. A parse's own
errors arrive as raised (`errors.UploadError` with its message); a child that crashes or runs over `TIMEOUT_S` (of
wall clock, or of CPU: the kernel stops it) gives `errors.UploadWorkerError`. Without a forkserver (Windows) the
parse runs in this process.
"""

from __future__ import annotations

import contextlib
import math
import multiprocessing
import pickle
import signal
import sys
import threading
import types
from collections.abc import Callable, Iterator
from multiprocessing.connection import Connection
from multiprocessing.context import BaseContext
from typing import Any, NamedTuple

from shapely.geometry.base import BaseGeometry

from cohesion_metrics import errors
from cohesion_metrics.uploads import areas_file
from cohesion_metrics.uploads.cells import UploadResult

#: Longest a parse may take, in seconds of wall clock (and of CPU in the worker). A 19 MB GeoJSON takes about 3 s.
TIMEOUT_S = 60.0
#: What the forkserver imports once, for every worker it forks: the parsers, with GDAL's network off.
PRELOAD = ["cohesion_metrics.uploads.areas_file"]
_TRY_AGAIN = "upload the file again; if this happens again, simplify the areas (fewer points) or split the file."
_start_lock = threading.Lock()


def read_areas(
    data: bytes, file_name: str, *, london: BaseGeometry | None = None, timeout_s: float = TIMEOUT_S
) -> UploadResult:
    """`areas_file.read_areas` in a worker process: the same result, the same errors."""
    return run(areas_file.read_areas, data, file_name, timeout_s=timeout_s, london=london)


def run(parse: Callable[..., Any], data: bytes, file_name: str, *, timeout_s: float = TIMEOUT_S, **options: Any) -> Any:
    """Return `parse(data, file_name, **options)`, computed in a fresh worker process.

    `parse` must be importable by name (a module's function) and `options` picklable. Raises what `parse` raises;
    `errors.UploadWorkerError` naming the file if the worker crashes or takes longer than `timeout_s`.
    """
    context = _forkserver()
    if context is None:
        return parse(data, file_name, **options)
    receive, send = context.Pipe(duplex=False)
    worker = context.Process(  # type: ignore[attr-defined]
        target=_work,
        args=(send, _Task(parse, data, file_name, options, math.ceil(timeout_s))),
        name="upload-worker",
        daemon=True,
    )
    try:
        with _start_lock, _bare_main():
            worker.start()
        send.close()  # the child's end: reading gives EOF once the child has gone
        if not receive.poll(timeout_s):
            raise _stopped(file_name, timeout_s, None)
        try:
            ok, value = receive.recv()
        except EOFError:  # gone without an answer
            worker.join(5)
            raise _stopped(file_name, timeout_s, worker.exitcode) from None
    finally:
        receive.close()
        send.close()
        if worker.pid is not None:
            if worker.is_alive():
                worker.kill()  # done or not: a worker never outlives its parse
            worker.join(5)
            with contextlib.suppress(ValueError):  # still running after a kill and 5 s: leave its handle
                worker.close()
    if not ok:
        raise value
    return value


def _stopped(file_name: str, timeout_s: float, exitcode: int | None) -> errors.UploadWorkerError:
    """The error for a worker that ran out of time (`exitcode` None, or the kernel's CPU limit) or crashed."""
    if exitcode is None or exitcode == -signal.SIGXCPU:
        return errors.UploadWorkerError(
            f"reading the file took longer than {timeout_s:.0f} s, so it was stopped.",
            path=file_name,
            fix="simplify the areas (fewer points, e.g. QGIS Vector > Geometry Tools > Simplify) or split the file.",
        )
    how = f"it was stopped by signal {-exitcode}" if exitcode < 0 else f"exit code {exitcode}"
    return errors.UploadWorkerError(
        f"the process reading the file stopped unexpectedly ({how}; it may have run out of memory).",
        path=file_name,
        fix=_TRY_AGAIN,
    )


class _Task(NamedTuple):
    """What a worker is to do: `parse(data, file_name, **options)` within `cpu_s` seconds of CPU."""

    parse: Callable[..., Any]
    data: bytes
    file_name: str
    options: dict[str, Any]
    cpu_s: int


def _work(send: Connection, task: _Task) -> None:
    """In the worker: parse, and send back (True, the result) or (False, the error)."""
    import resource  # Unix only, as the forkserver

    resource.setrlimit(resource.RLIMIT_CPU, (task.cpu_s, task.cpu_s + 5))  # SIGXCPU stops a parse spinning in C
    try:
        outcome: tuple[bool, Any] = (True, task.parse(task.data, task.file_name, **task.options))
    except Exception as exc:
        outcome = (False, _portable(exc))
    try:
        send.send(outcome)
    except Exception as exc:  # a result that cannot be pickled
        send.send((False, _portable(exc)))
    send.close()


def _portable(exc: Exception) -> Exception:
    """The exception itself if it survives pickling unchanged, else a RuntimeError with its type and message."""
    try:
        back = pickle.loads(pickle.dumps(exc))
    except Exception:
        back = None
    if type(back) is type(exc) and str(back) == str(exc):
        return exc
    return RuntimeError(f"{type(exc).__name__}: {exc}")


def _forkserver() -> BaseContext | None:
    """The forkserver context, its server preloading `PRELOAD`; None where there is no forkserver."""
    if "forkserver" not in multiprocessing.get_all_start_methods():
        return None
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(PRELOAD)  # read when the server (re)starts
    return context


def warm() -> None:
    """Start the forkserver now (it imports the parsers in the background), so the first upload need not wait."""
    if _forkserver() is not None:
        from multiprocessing import forkserver

        with _start_lock, _bare_main():
            forkserver.ensure_running()


@contextlib.contextmanager
def _bare_main() -> Iterator[None]:
    """Show multiprocessing a bare `__main__` while a worker starts, so the worker does not run the app.

    A child re-imports the parent's `__main__` from its file; Streamlit installs each script run's module as
    `sys.modules["__main__"]` with the script's `__file__`, so a worker would run the whole app. A bare module names
    no file and the child keeps its own. A script run that installs its module meanwhile keeps it.
    """
    bare = types.ModuleType("__main__")
    saved = sys.modules.get("__main__")
    sys.modules["__main__"] = bare
    try:
        yield
    finally:
        if sys.modules.get("__main__") is bare:
            if saved is None:
                del sys.modules["__main__"]
            else:
                sys.modules["__main__"] = saved
