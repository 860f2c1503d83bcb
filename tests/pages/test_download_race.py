"""Downloads survive other sessions' reruns: a file made on click is still there when its browser asks for it.

Streamlit sweeps unreferenced media files at the end of every session's run (the first sweep marks a download, the
second deletes it). Here one session clicks each download of the borough explorer and the London overview, then
other sessions rerun twice before it fetches the file: that is the race that ended "failed" under load.
"""

from __future__ import annotations

import io

import pytest

from tools.wsclient import Session

BRIEFING = "Briefing for Tower Hamlets (PDF)"
VIEW = ("Table (CSV)", "Map layer (GeoPackage)", "Map for slides (PNG)")
MAGIC = {"PDF": b"%PDF", "GeoPackage": b"SQLite format 3\x00", "PNG": b"\x89PNG", "CSV": b"area_code"}


def _others_rerun(url: str, n: int = 2) -> None:
    """Two other sessions each run a page: at least two sweeps of unreferenced files."""
    for _ in range(n):
        with Session(url) as other:
            assert not other.rerun("compare").exceptions


@pytest.mark.parametrize(
    "page,query,labels",
    [
        ("borough", "borough=E09000030", (BRIEFING, *VIEW)),
        ("overview", "level=lsoa11", VIEW),  # 4,835 rows: the CSV is made on click too
    ],
)
def test_files_made_on_click_survive_other_sessions(app_server: str, page: str, query: str, labels: tuple) -> None:
    with Session(app_server) as session:
        run = session.rerun(page, query)
        assert not run.exceptions
        for label in labels:
            url = session.click(run, label)
            _others_rerun(app_server)
            data = session.fetch(url, label)  # on Streamlit's own handling: HTTP 404
            kind = label.split("(")[-1].rstrip(")")
            assert data.startswith(MAGIC[kind]), label
            if kind == "CSV":
                assert len(io.BytesIO(data).readlines()) > 100
