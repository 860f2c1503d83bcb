"""A session's own uploads: kept in `st.session_state` only (this browser tab), never in a shared cache or on disk.

Streamlit keeps `st.session_state` per browser session, in the server's memory, and drops it when the session ends.
Nothing here goes through `st.cache_data`/`st.cache_resource` (shared by every session) or DuckDB. The public inputs
the parsers need (London's LSOA polygons, codes, catchment base) are cached in `_shared`, as they hold no uploads.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from dataclasses import dataclass
from functools import partial
from typing import Any, TypeVar, cast

import pandas as pd
import streamlit as st

from cohesion_metrics import exports
from cohesion_metrics.errors import SourceError

PRIVACY = (
    "**Your files stay in this browser tab.** They are read in the server's memory for this session only: never "
    "saved to disk or to the shared database, never shown to anyone else, and dropped when the session ends (within "
    "two minutes of closing the tab) or when you remove them."
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


def loaded(kind: str) -> Loaded | None:
    """The last upload of `kind` that parsed, in this session (or None)."""
    value = st.session_state.get(kind)
    return value if isinstance(value, Loaded) else None


def forget(kind: str) -> None:
    """Drop an upload of this session and what was computed from it (`derived`)."""
    for key in [k for k in st.session_state if k == kind or str(k).startswith(f"{kind}_")]:
        st.session_state.pop(key, None)


def _on_change(kind: str) -> None:
    if st.session_state.get(UPLOADER[kind]) is None:  # the user removed the file
        forget(kind)


def uploader(label: str, kind: str, types: list[str]) -> None:
    """The file uploader of one kind; removing its file forgets the upload."""
    st.file_uploader(label, type=types, key=UPLOADER[kind], on_change=_on_change, args=(kind,))


def read_upload(kind: str, parse: Callable[[bytes, str], Any]) -> Loaded | None:
    """Parse the file in the uploader of `kind` once, keep it for the session; say why if it cannot be used.

    A file that cannot be used leaves the last good upload of this kind in place (and says so). Leaving the page
    empties Streamlit's uploader but not the upload: it stays until the user removes the file or forgets it.
    """
    file = st.session_state.get(UPLOADER[kind])
    previous = loaded(kind)
    if file is None:
        if previous is not None:
            st.caption(f"Using **{previous.file_name}**, uploaded earlier in this session.")
            st.button("Forget this file", on_click=forget, args=(kind,), key=f"forget_{kind}", icon=":material/delete:")
        return previous
    if previous is not None and previous.file_id == file.file_id:
        return previous
    try:
        data = file.getvalue()
        result = parse(data, file.name)
    except (SourceError, ValueError) as err:
        st.error(f"**{file.name}** cannot be used: {err}", icon=":material/error:")
        if previous is not None:
            st.caption(f"Still using your earlier file, {previous.file_name}.")
        return previous
    except Exception as err:  # a file no check foresaw must still get a message, not a traceback
        st.error(
            f"**{file.name}** could not be read ({type(err).__name__}: {err}). To fix: check that it is the kind of "
            "file asked for above, saved from its application in that format.",
            icon=":material/error:",
        )
        return previous
    forget(kind)
    value = Loaded(file.file_id, file.name, result, data)
    st.session_state[kind] = value
    return value


def show_report(upload: Loaded, what: str) -> None:
    """Say what was kept and rejected (row by row, with a download of the rejections), and how the file was read."""
    result = upload.result
    kept, rejected = len(result.valid), result.n_rejected_rows
    noun = what if kept != 1 else what.removesuffix("s")  # "1 space", "2 spaces"
    message = f"**{upload.file_name}**: {kept:,} {noun} kept" + (
        f", {rejected:,} row{'s' if rejected != 1 else ''} rejected (listed below)." if rejected else ", none rejected."
    )
    (st.warning if rejected else st.success)(message, icon=":material/task_alt:")
    for note in result.notes:
        st.caption(note)
    if rejected:
        st.dataframe(result.rejected, hide_index=True, width="stretch", height=min(300, 35 * len(result.rejected) + 40))
        st.download_button(
            "Rejected rows and reasons (CSV)",
            exports.to_csv_bytes(result.rejected),
            file_name=exports.csv_file_name("rejected", upload.file_name),
            mime="text/csv",
            on_click="ignore",
            key=f"rejected_{upload.file_id}",
        )


def csv_download(label: str, table: pd.DataFrame, *name_parts: str) -> None:
    """A spreadsheet-safe CSV download of a table built from this session's upload (made on click)."""
    st.download_button(
        label,
        partial(exports.to_csv_bytes, table),
        file_name=exports.csv_file_name(*name_parts),
        mime="text/csv",
        on_click="ignore",
    )


def template(columns: dict[str, list[object]]) -> bytes:
    """A small example CSV with the expected columns."""
    return pd.DataFrame(columns).to_csv(index=False).encode("utf-8")


def areas_table(summary: pd.DataFrame) -> pd.DataFrame:
    """`aggregate_over_areas(...).table` with plain-English headings (scores first, then indicators)."""
    from cohesion_metrics import views

    headings = {"name": "Area", "n_lsoas": "Neighbourhoods (LSOAs)", "population": "Residents (mid-2015)"}
    headings |= {
        "need": "Need, mean of its neighbourhoods (0-1)",
        "capacity": "Cohesion capacity (0-1)",
        "hazard": "Hazard exposure (0-1)",
        "priority": "Priority: mean need of its eligible neighbourhoods (0-1)",
    }
    for column in summary.columns:
        if column not in headings and column not in ("area_id", "assignment"):
            measure = views.get_measure(column)
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
    from app_pages import _shared as shared
    from cohesion_metrics import upload_analysis

    spaces = loaded(SPACES)
    if spaces is None or spaces.result.valid.empty:
        return None
    valid = spaces.result.valid
    level = shared.neighbourhood_level()
    return derived(
        SPACES,
        f"catchments_{level}",
        lambda: upload_analysis.catchments_with_uploads(shared.catchment_base(), valid, level=level),
    )


def far_from_community(borough_code: str) -> list[str] | None:
    """A borough's LSOAs beyond 800 m of a community space, counting this session's spaces (None: no upload)."""
    from cohesion_metrics import upload_analysis, views

    catchments = space_catchments()
    if catchments is None:
        return None
    values = upload_analysis.catchment_indicator(catchments, views.FAR_INDICATOR)
    lsoas = set(_borough_lsoas(borough_code))
    return views.far_from_community(values[values["area_code"].isin(lsoas)])


def _borough_lsoas(borough_code: str) -> list[str]:
    from app_pages import _shared as shared

    return shared.measure_frame(shared.neighbourhood_level(), "need", borough_code)["area_code"].tolist()


def community_spaces(spaces: pd.DataFrame) -> pd.DataFrame:
    """The uploaded spaces that count for the 800 m gaps: community centres and libraries."""
    from cohesion_metrics.indicators import SPACE_GROUPS

    return spaces[spaces["space_type"].isin(SPACE_GROUPS["community"])]
