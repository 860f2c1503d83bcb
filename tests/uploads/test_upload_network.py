"""Uploaded geodata never makes the server fetch anything: a listener on 127.0.0.1 proves no request arrives.

A GeoJSON "crs" of type "link" once made GDAL GET the URL (user agent GDAL) and show the fetched CRS's name: server-
side request forgery from a file upload. The parser refuses such a CRS, and GDAL's HTTP client and /vsicurl/ are off
for the process in case any other path reaches them.
"""

from __future__ import annotations

import http.server
import io
import json
import threading
from collections.abc import Iterator
from typing import Any

import pyogrio
import pytest

from cohesion_metrics import errors
from cohesion_metrics.uploads.areas_file import read_areas

RING = [[-0.095, 51.513], [-0.091, 51.513], [-0.091, 51.517], [-0.095, 51.517], [-0.095, 51.513]]
WKT = 'GEOGCS["FETCHED",DATUM["WGS_1984",SPHEROID["WGS 84",6378137,298.257223563]],PRIMEM["Greenwich",0],UNIT["degree",0.0174532925199433]]'


class Listener:
    """An HTTP server on 127.0.0.1 that records every request and answers with a WKT CRS."""

    def __init__(self) -> None:
        hits: list[str] = []

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                hits.append(f"{self.path} ({self.headers.get('User-Agent')})")
                self.send_response(200)
                self.end_headers()
                self.wfile.write(WKT.encode())

            def log_message(self, *_args: object) -> None:
                pass

        self.hits = hits
        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def listener() -> Iterator[Listener]:
    server = Listener()
    yield server
    server.close()


def _geojson(crs: dict[str, Any] | None, geometry_crs: dict[str, Any] | None = None) -> bytes:
    geometry: dict[str, Any] = {"type": "Polygon", "coordinates": [RING]}
    if geometry_crs is not None:
        geometry["crs"] = geometry_crs
    obj: dict[str, Any] = {
        "type": "FeatureCollection",
        "features": [{"type": "Feature", "properties": {"name": "Block"}, "geometry": geometry}],
    }
    if crs is not None:
        obj["crs"] = crs
    return json.dumps(obj).encode()


def _link(url: str) -> dict[str, Any]:
    return {"type": "link", "properties": {"href": f"{url}/crs.wkt", "type": "ogcwkt"}}


def test_the_listener_sees_a_request(listener: Listener) -> None:
    """The test's own check: a plain GET reaches it (so an empty list below means no request was made)."""
    import urllib.request

    with urllib.request.urlopen(listener.url + "/probe", timeout=5) as response:
        assert response.read() == WKT.encode()
    assert len(listener.hits) == 1 and listener.hits[0].startswith("/probe (Python-urllib")


def test_a_link_crs_is_refused_and_nothing_is_fetched(listener: Listener) -> None:
    with pytest.raises(errors.UploadError) as caught:
        read_areas(_geojson(_link(listener.url)), "areas.geojson")
    assert "'link' CRS that is not read" in str(caught.value) and "FETCHED" not in str(caught.value)
    assert listener.hits == []


def test_a_url_as_crs_name_is_refused_and_nothing_is_fetched(listener: Listener) -> None:
    crs = {"type": "name", "properties": {"name": f"{listener.url}/crs.wkt"}}
    with pytest.raises(errors.UploadError, match="only named EPSG codes"):
        read_areas(_geojson(crs), "areas.geojson")
    assert listener.hits == []


def test_a_link_crs_inside_a_geometry_is_dropped_and_nothing_is_fetched(listener: Listener) -> None:
    crs = {"type": "name", "properties": {"name": "urn:ogc:def:crs:OGC:1.3:CRS84"}}
    result = read_areas(_geojson(crs, geometry_crs=_link(listener.url)), "areas.geojson")
    assert len(result.valid) == 1 and "FETCHED" not in " ".join(result.notes)
    assert listener.hits == []


def test_gdal_itself_fetches_nothing(listener: Listener) -> None:
    """Even GDAL called directly (after the parsers are imported) makes no request: its HTTP client is off."""
    frame = pyogrio.read_dataframe(io.BytesIO(_geojson(_link(listener.url))))
    assert "FETCHED" not in str(frame.crs)
    with pytest.raises(pyogrio.errors.DataSourceError):
        pyogrio.read_info(f"/vsicurl/{listener.url}/areas.geojson")
    assert listener.hits == []
