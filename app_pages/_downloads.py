"""Download buttons: files made on click pinned until their browser has them, and the view on screen as files."""

from __future__ import annotations

import itertools
import threading
import time
from collections import deque
from collections.abc import Callable
from functools import partial
from typing import Any

import streamlit as st

from app_pages._cached import borough_name, con, measure_frame
from cohesion_metrics.figures import png_maps
from cohesion_metrics.outputs import borough_text, briefing, safe_csv, view_files
from cohesion_metrics.read import page_frames

# --- Downloads ------------------------------------------------------------------------------------------------------
#: Tables with at most this many rows are handed to the download button as bytes (a few ms); larger ones are made
#: on click.
CHEAP_ROWS = 1_000

#: How long a file made on click stays pinned in Streamlit's media store for its browser to fetch it (seconds).
PIN_SECONDS = 300.0

#: Most files pinned at once (the oldest is released first): bounds the memory they hold.
MAX_PINS = 32

#: Streamlit files a download made on click under this session id (the click runs on a thread without a session).
_PIN_SESSION = "dontcare"

_pins: deque[tuple[float, bytes, str, str]] = deque()

_pins_lock = threading.Lock()

_pin_numbers = itertools.count()


def made_on_click(make: Callable[[], bytes], mime: str, file_name: str) -> Callable[[], bytes]:
    """A download button's data made on click, pinned until its browser has fetched it.

    Streamlit (1.67) stores a file made on click with nothing referencing it, and every session's rerun sweeps
    unreferenced files: with other sessions rerunning, the file is often gone before the browser asks for it (a
    silent "failed"). The callable returned here makes the bytes and registers the same file (same bytes, type and
    name, so the same id) as used by a pin, through Streamlit's public `MediaFileManager.add`. Pins are released
    after `PIN_SECONDS`, or when more than `MAX_PINS` are held, oldest first.
    """

    def make_and_pin() -> bytes:
        data = make()
        _pin(data, mime, file_name)
        return data

    return make_and_pin


def _pin(data: bytes, mime: str, file_name: str) -> None:
    from streamlit import runtime

    if not runtime.exists():
        return
    with _pins_lock:
        _pins.append((time.monotonic(), data, mime, file_name))
        if not _release_expired():
            _register(runtime.get_instance().media_file_mgr, data, mime, file_name)
    timer = threading.Timer(PIN_SECONDS + 1.0, _release)
    timer.daemon = True
    timer.start()


def _register(manager: Any, data: bytes, mime: str, file_name: str) -> None:
    manager.add(
        data, mime, coordinates=f"pinned-download.{next(_pin_numbers)}", file_name=file_name,
        is_for_static_download=True,
    )  # fmt: skip


def _release_expired() -> bool:
    """Drop pins past their time (caller holds `_pins_lock`); re-register the rest if any was dropped."""
    from streamlit import runtime

    oldest = time.monotonic() - PIN_SECONDS
    dropped = False
    while _pins and (_pins[0][0] < oldest or len(_pins) > MAX_PINS):
        _pins.popleft()
        dropped = True
    if dropped and runtime.exists():
        manager = runtime.get_instance().media_file_mgr
        manager.clear_session_refs(_PIN_SESSION)  # Streamlit's public way to drop a session's references
        for _, data, mime, file_name in _pins:
            _register(manager, data, mime, file_name)
    return dropped


def _release() -> None:
    with _pins_lock:
        _release_expired()


@st.cache_resource(show_spinner=False, max_entries=64)
def view_csv(level: str, measure_id: str, borough_code: str | None = None) -> bytes:
    """A small view's CSV bytes (view_files.view_table), made once per view instead of on every rerun."""
    frame = measure_frame(level, measure_id, borough_code)
    return safe_csv.to_csv_bytes(view_files.view_table(frame, page_frames.get_measure(measure_id), level))


def download_view(level: str, measure_id: str, borough_code: str | None = None) -> None:
    """Download buttons for the view on screen: CSV (spreadsheet-safe), GeoPackage (GIS) and a slide-size map.

    A small table's CSV is handed over as bytes (`view_csv`, cached); a large one, the GeoPackage and the map are
    made on click, on another thread, from the view's shared frame and the connection (never from the cached
    helpers, which belong to the script's thread), and pinned until the browser has them (`made_on_click`).
    """

    measure = page_frames.get_measure(measure_id)
    frame = measure_frame(level, measure_id, borough_code)
    borough = borough_name(borough_code) if borough_code else None
    rows = partial(view_files.view_table, frame, measure, level)
    csv: bytes | Callable[[], bytes] = (
        view_csv(level, measure_id, borough_code) if len(frame) <= CHEAP_ROWS else lambda: safe_csv.to_csv_bytes(rows())
    )
    connection = con()
    buttons = (
        ("Table (CSV)", csv, "csv", "text/csv", ":material/download:",
         "One row per area: code, name, value, London rank, geography, sources and vintages."),
        ("Map layer (GeoPackage)", lambda: view_files.view_geopackage(connection, rows(), level, borough_code), "gpkg",
         "application/geopackage+sqlite3", ":material/download:",
         "The same rows with their boundaries (British National Grid), for QGIS or ArcGIS."),
        ("Map for slides (PNG)", partial(png_maps.render_map_png, connection, level, measure_id, borough_code), "png",
         "image/png", ":material/image:",
         "This map at 1920 x 1080 with its legend, sources and attribution, for a slide deck."),
    )  # fmt: skip
    row = st.container(horizontal=True, gap="small")  # the buttons wrap in a narrow column instead of truncating
    for label, data, ext, mime, icon, help_text in buttons:
        name = view_files.file_name(level, measure, ext, borough=borough)
        row.download_button(
            label,
            data if isinstance(data, bytes) else made_on_click(data, mime, name),
            file_name=name,
            mime=mime,
            on_click="ignore",
            icon=icon,
            help=help_text,
        )


def briefing_button(borough_code: str, borough: str) -> None:
    """The borough's briefing (PDF): made on click, on another thread (the button spins meanwhile).

    It is made from the connection, not the cached helpers, and pinned until the browser has it, so other sessions'
    reruns cannot delete it first.
    """
    name = safe_csv.file_name(borough, "briefing", ext="pdf")
    st.download_button(
        f"Briefing for {borough} (PDF)",
        made_on_click(partial(briefing.build_briefing, con(), borough_code), "application/pdf", name),
        file_name=name,
        mime="application/pdf",
        on_click="ignore",
        icon=":material/picture_as_pdf:",
        type="primary",
        help=borough_text.BRIEFING_HELP,
    )
