"""A session's own uploads: kept in `st.session_state` only (this browser tab), never in a shared cache or on disk.

Streamlit keeps `st.session_state` per browser session, in the server's memory. It keeps a closed tab's session for
reconnection (`server.disconnectedSessionTTL`, 120 s) and drops it only when other traffic arrives, so a janitor
thread (`release_closed_sessions`) frees the uploads of every session whose websocket has been gone for
`GONE_S` seconds, or that has been idle for `IDLE_S`, with the uploaded files Streamlit holds for it, and hands the
memory back to the operating system. Each session holds at most one upload of each kind. Nothing here goes through `st.cache_data`/`st.cache_resource` (shared by every session) or DuckDB. The public inputs
the parsers need (London's LSOA polygons, codes, catchment base) are cached in `_upload_inputs`, as they hold no uploads.
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import gc
import os
import threading
import time
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from functools import partial
from typing import Any, TypeVar, cast

import pandas as pd
import streamlit as st

from cohesion_metrics.errors import SourceError
from cohesion_metrics.outputs import safe_csv
from cohesion_metrics.uploads.cells import MAX_UPLOAD_MB
from cohesion_metrics.uploads.cells import escape_markdown as md

PRIVACY = (
    "**Your files stay in this browser tab.** They are read in the server's memory for this session only: never "
    "saved to disk or to the shared database, never shown to anyone else, and dropped when the session ends (within "
    "a minute of closing the tab) or when you remove them."
)
SPACES, INDICATOR, AREAS = "local_spaces", "local_indicator", "local_areas"
T = TypeVar("T")
#: The file uploader of each kind of upload.
UPLOADER = {SPACES: "upload_spaces_file", INDICATOR: "upload_indicator_file", AREAS: "upload_areas_file"}


@dataclass(frozen=True)
class Loaded:
    """A parsed upload: which file it came from and what the parser returned."""

    file_id: str
    file_name: str
    result: Any
    #: The file's bytes, to read it again with other choices (e.g. another value column); session memory only.
    data: bytes = b""


#: A session's uploads are freed this long after its websocket closed (seconds; a reload reconnects within it).
GONE_S = 30.0
#: ... or after this long without a run of its script (seconds).
IDLE_S = 4 * 3600.0
#: How often the janitor looks (seconds).
SWEEP_S = 5.0
_sessions: dict[str, tuple[Any, float]] = {}  # session id -> (its SessionState, last run)
_gone_since: dict[str, float] = {}
_janitor_lock = threading.Lock()
_janitor: list[threading.Thread] = []


def _track_session() -> None:
    """Note that this session holds uploads (and when it last ran), and start the janitor once per process."""
    from streamlit.runtime.scriptrunner_utils.script_run_context import get_script_run_ctx

    ctx = get_script_run_ctx(suppress_warning=True)
    if ctx is None:
        return
    # the session's own state: `ctx.session_state` is a SafeSessionState wrapper made anew for every script run,
    # so a weak reference to it died when the run ended, long before the session (and its uploads were kept). The
    # SessionState cannot be weakly referenced; it is held here until the janitor has freed its uploads.
    state = getattr(ctx.session_state, "_state", ctx.session_state)
    with _janitor_lock:
        _sessions[ctx.session_id] = (state, time.monotonic())
        _gone_since.pop(ctx.session_id, None)
        if not _janitor:
            thread = threading.Thread(target=_sweep_forever, name="upload-janitor", daemon=True)
            _janitor.append(thread)
            thread.start()


def _sweep_forever() -> None:
    while True:
        time.sleep(SWEEP_S)
        release_closed_sessions()


def release_closed_sessions(now: float | None = None) -> list[str]:
    """Free the uploads of sessions gone for `GONE_S` or idle for `IDLE_S`; return their ids."""
    from streamlit import runtime

    now = time.monotonic() if now is None else now
    live = runtime.get_instance() if runtime.exists() else None
    freed = []
    with _janitor_lock:
        for session_id, (state, last_run) in list(_sessions.items()):
            if live is not None and not live.is_active_session(session_id):
                gone = _gone_since.setdefault(session_id, now)
            else:
                gone = now
            if now - gone >= GONE_S or now - last_run >= IDLE_S:
                _drop_uploads(state)
                if live is not None:
                    live.uploaded_file_mgr.remove_session_files(session_id)
                _sessions.pop(session_id, None)
                _gone_since.pop(session_id, None)
                freed.append(session_id)
    if freed:
        _return_memory()
    return freed


def _drop_uploads(state: Any) -> None:
    """Delete a (closed or idle) session's upload keys from its SessionState, from this thread.

    Not through a SafeSessionState: its item methods first call the script thread's yield check, which must not
    run here. The session runs no script meanwhile (its websocket is gone, or it has been idle for hours).
    """
    for key in [k for k in state.filtered_state if _is_upload_key(str(k))]:
        del state[key]


def _is_upload_key(key: str) -> bool:
    """An upload, what was derived from it, or its file uploader's value (an UploadedFile holding the bytes)."""
    return key in UPLOADER.values() or any(key == kind or key.startswith(f"{kind}_") for kind in UPLOADER)


def _return_memory() -> None:
    """Collect garbage and give freed heap back to the operating system (Arrow's pool, glibc's malloc_trim)."""
    import pyarrow as pa

    gc.collect()
    pa.default_memory_pool().release_unused()  # pandas' strings live in Arrow's mimalloc pool, which keeps pages
    libc = ctypes.util.find_library("c")
    if libc:
        with contextlib.suppress(OSError, AttributeError):  # not glibc
            ctypes.CDLL(libc).malloc_trim(0)


#: glibc gives blocks of this size or more their own mapping, which goes back to the system the moment it is freed.
MMAP_THRESHOLD = 1 << 20
_M_MMAP_THRESHOLD = -3  # mallopt's parameter (malloc.h)


def _fix_mmap_threshold() -> None:
    """Fix glibc's mmap threshold at MMAP_THRESHOLD (unless the environment sets one).

    By default it starts at 128 KiB and rises to the largest mapped block freed, up to 32 MiB: after a 16 MB upload
    is freed, every buffer up to 16 MB (a figure's JSON, a message, a pickled result) comes from the heaps, whose
    pages malloc_trim cannot return while small blocks live between them (about 50 MB after three uploads).
    """
    if "MALLOC_MMAP_THRESHOLD_" in os.environ or "GLIBC_TUNABLES" in os.environ:
        return
    libc = ctypes.util.find_library("c")
    if libc:
        with contextlib.suppress(OSError, AttributeError):  # not glibc
            ctypes.CDLL(libc).mallopt(_M_MMAP_THRESHOLD, MMAP_THRESHOLD)


_fix_mmap_threshold()


def loaded(kind: str) -> Loaded | None:
    """The last upload of `kind` that parsed, in this session (or None)."""
    value = st.session_state.get(kind)
    if not isinstance(value, Loaded):
        return None
    _track_session()  # the session still uses it: not idle
    return value


def forget(kind: str) -> None:
    """Drop an upload of this session and what was computed from it (`derived`)."""
    for key in [k for k in st.session_state if k == kind or str(k).startswith(f"{kind}_")]:
        st.session_state.pop(key, None)


def _on_change(kind: str) -> None:
    if st.session_state.get(UPLOADER[kind]) is None:  # the user removed the file
        forget(kind)


def uploader(label: str, kind: str, types: list[str]) -> None:
    """The file uploader of one kind; removing its file forgets the upload."""
    st.file_uploader(  # the parsers' limit (MB of 1,000,000 bytes, as Streamlit counts them)
        label, type=types, key=UPLOADER[kind], on_change=_on_change, args=(kind,), max_upload_size=MAX_UPLOAD_MB
    )


def read_upload(kind: str, parse: Callable[[bytes, str], Any]) -> Loaded | None:
    """Parse the file in the uploader of `kind` once, keep it for the session; say why if it cannot be used.

    A file that cannot be used leaves the last good upload of this kind in place (and says so). Leaving the page
    empties Streamlit's uploader but not the upload: it stays until the user removes the file or forgets it.
    """
    file = st.session_state.get(UPLOADER[kind])
    previous = loaded(kind)
    if file is None:
        if previous is not None:
            st.caption(f"Using **{md(previous.file_name)}**, uploaded earlier in this session.")
            st.button("Forget this file", on_click=forget, args=(kind,), key=f"forget_{kind}", icon=":material/delete:")
        return previous
    _track_session()  # the uploader holds the file's bytes even if it cannot be used: the janitor frees them too
    if previous is not None and previous.file_id == file.file_id:
        return previous
    try:
        data = file.getvalue()
        result = parse(data, file.name)
    except (SourceError, ValueError) as err:
        st.error(f"**{md(file.name)}** cannot be used: {md(str(err))}", icon=":material/error:")
        if previous is not None:
            st.caption(f"Still using your earlier file, {md(previous.file_name)}.")
        return previous
    except Exception as err:  # a file no check foresaw must still get a message, not a traceback
        st.error(
            f"**{md(file.name)}** could not be read ({md(f'{type(err).__name__}: {err}')}). To fix: check that it is "
            "the kind of file asked for above, saved from its application in that format.",
            icon=":material/error:",
        )
        return previous
    forget(kind)
    # the bytes are kept only where a page reads them again (another value column of an indicator)
    value = Loaded(file.file_id, file.name, result, data if kind == INDICATOR else b"")
    del data
    st.session_state[kind] = value
    _track_session()
    return value


def show_report(upload: Loaded, what: str) -> None:
    """Say what was kept and rejected (row by row, with a download of the rejections), and how the file was read."""
    result = upload.result
    kept, rejected = len(result.valid), result.n_rejected_rows
    noun = what if kept != 1 else what.removesuffix("s")  # "1 space", "2 spaces"
    message = f"**{md(upload.file_name)}**: {kept:,} {noun} kept" + (
        f", {rejected:,} row{'s' if rejected != 1 else ''} rejected (listed below)." if rejected else ", none rejected."
    )
    (st.warning if rejected else st.success)(message, icon=":material/task_alt:")
    for note in result.notes:  # notes quote names and headers from the file: shown as literal text
        st.caption(md(note))
    if rejected:
        st.dataframe(result.rejected, hide_index=True, width="stretch", height=min(300, 35 * len(result.rejected) + 40))
        st.download_button(
            "Rejected rows and reasons (CSV)",
            safe_csv.to_csv_bytes(result.rejected),
            file_name=safe_csv.csv_file_name("rejected", upload.file_name),
            mime="text/csv",
            on_click="ignore",
            key=f"rejected_{upload.file_id}",
        )


def csv_download(label: str, table: pd.DataFrame, *name_parts: str) -> None:
    """A spreadsheet-safe CSV download of a table built from this session's upload (a large one made on click)."""
    from app_pages import _downloads as downloads

    name = safe_csv.csv_file_name(*name_parts)
    make = partial(safe_csv.to_csv_bytes, table)
    st.download_button(
        label,
        make() if len(table) <= downloads.CHEAP_ROWS else downloads.made_on_click(make, "text/csv", name),
        file_name=name,
        mime="text/csv",
        on_click="ignore",
    )


def template(columns: dict[str, list[object]]) -> bytes:
    """A small example CSV with the expected columns."""
    return pd.DataFrame(columns).to_csv(index=False).encode("utf-8")


def areas_table(summary: pd.DataFrame) -> pd.DataFrame:
    """`aggregate_over_areas(...).table` with plain-English headings (scores first, then indicators)."""
    from cohesion_metrics.read import page_frames

    headings = {"name": "Area", "n_lsoas": "Neighbourhoods (LSOAs)", "population": "Residents (mid-2015)"}
    headings |= {
        "need": "Need, mean of its neighbourhoods (0-1)",
        "capacity": "Cohesion capacity (0-1)",
        "hazard": "Hazard exposure (0-1)",
        "priority": "Priority: mean need of its eligible neighbourhoods (0-1)",
    }
    for column in summary.columns:
        if column not in headings and column not in ("area_id", "assignment"):
            measure = page_frames.get_measure(column)
            headings[column] = f"{measure.label} ({measure.short_unit})"
    out = summary[list(headings)].rename(columns=headings)
    return out.round(3)


def derived(kind: str, name: str, compute: Callable[[], T], *inputs: Hashable) -> T:
    """What a page computes from this session's upload of `kind`: once per file and `inputs`, kept in the session.

    Reruns for other widgets reuse it; `forget` drops it with the upload. Never in a shared cache.
    """
    upload = loaded(kind)
    stamp = (upload.file_id if upload else None, inputs)
    key = f"{kind}_{name}"
    kept = st.session_state.get(key)
    if kept is None or kept[0] != stamp:
        kept = (stamp, compute())
        st.session_state[key] = kept
    return cast("T", kept[1])


def space_catchments() -> pd.DataFrame | None:
    """Catchment indicators with this session's spaces added (once per upload), or None."""
    from app_pages import _cached as cached
    from app_pages import _upload_inputs as upload_inputs
    from cohesion_metrics.uploads import analysis

    spaces = loaded(SPACES)
    if spaces is None or spaces.result.valid.empty:
        return None
    valid = spaces.result.valid
    level = cached.neighbourhood_level()
    return derived(
        SPACES,
        f"catchments_{level}",
        lambda: analysis.catchments_with_uploads(upload_inputs.catchment_base(), valid, level=level),
    )


def far_from_community(borough_code: str) -> list[str] | None:
    """A borough's LSOAs beyond 800 m of a community space, counting this session's spaces (None: no upload)."""
    from cohesion_metrics.read import page_frames
    from cohesion_metrics.uploads import analysis

    catchments = space_catchments()
    if catchments is None:
        return None
    values = analysis.catchment_indicator(catchments, page_frames.FAR_INDICATOR)
    lsoas = set(_borough_lsoas(borough_code))
    return page_frames.far_from_community(values[values["area_code"].isin(lsoas)])


def _borough_lsoas(borough_code: str) -> list[str]:
    from app_pages import _cached as cached

    return cached.measure_frame(cached.neighbourhood_level(), "need", borough_code)["area_code"].tolist()


def community_spaces(spaces: pd.DataFrame) -> pd.DataFrame:
    """The uploaded spaces that count for the 800 m gaps: community centres and libraries."""
    from cohesion_metrics.metadata.spaces import SPACE_GROUPS

    return spaces[spaces["space_type"].isin(SPACE_GROUPS["community"])]
