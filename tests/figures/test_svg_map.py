"""The London map component's pure parts: pre-projected paths (svg_paths) and its values-only message (svg_map)."""

from __future__ import annotations

import base64
import json

import numpy as np
import pandas as pd
import pytest

from cohesion_metrics.figures import maps, svg_map, svg_paths
from cohesion_metrics.figures.geojson_files import StaticGeo

SQUARE = {"type": "Polygon", "coordinates": [[[-0.2, 51.5], [-0.1, 51.5], [-0.1, 51.6], [-0.2, 51.6], [-0.2, 51.5]]]}


def _geojson(*geoms: dict) -> bytes:
    features = [
        {"type": "Feature", "id": f"A{i}", "properties": {"i": i, "code": f"A{i}", "name": f"Area {i}"}, "geometry": g}
        for i, g in reversed(list(enumerate(geoms)))  # out of order on purpose: the file follows `i`
    ]
    return json.dumps({"type": "FeatureCollection", "features": features}).encode()


def test_paths_follow_the_feature_index_and_project_north_up() -> None:
    shifted = {"type": "Polygon", "coordinates": [[[x + 0.2, y] for x, y in SQUARE["coordinates"][0]]]}
    body = json.loads(svg_paths.paths_bytes(_geojson(SQUARE, shifted)))
    assert body["code"] == ["A0", "A1"] and body["name"] == ["Area 0", "Area 1"]
    assert body["w"] == svg_paths.WIDTH and body["h"] == svg_paths.HEIGHT
    d = body["d"][0]
    assert d.startswith("M") and d.endswith("Z") and d.count("L") == 3  # a square: 4 corners, closed by Z
    x0, y0 = svg_paths.project(-0.2, 51.5)
    x1, y1 = svg_paths.project(-0.1, 51.6)
    assert x1 > x0 and y1 < y0  # east is right, north is up
    assert 0 <= x0 <= svg_paths.WIDTH and 0 <= y1 <= svg_paths.HEIGHT  # inside London's frame
    assert body["d"][1] != d  # the shifted square has its own path


def test_paths_are_written_once_per_stamp(tmp_path) -> None:
    (tmp_path / "borough.geojson").write_bytes(_geojson(SQUARE))
    geo = StaticGeo(tmp_path, "s1", ("borough",))
    svg_paths.ensure_paths(geo)
    written = svg_paths.path_file(geo, "borough")
    first = written.stat().st_mtime_ns
    svg_paths.ensure_paths(geo)
    assert written.stat().st_mtime_ns == first  # fresh: not rewritten
    assert svg_paths.url(geo, "borough").startswith("app/static/geo/borough.paths.json?v=s1-")
    with pytest.raises(ValueError, match="no paths for level 'ward'"):
        svg_paths.url(geo, "ward")


def test_measure_message_sends_values_and_ranks_in_feature_order() -> None:
    frame = pd.DataFrame(
        {
            "area_code": ["B", "A", "C"],
            "value": [0.2, 0.9, np.nan],
            "rank": [2, 1, np.nan],
            "rank_p05": [1, 1, np.nan],
            "rank_p95": [3, 2, np.nan],
        }
    )
    index = {"A": 0, "B": 1, "C": 2}
    msg = svg_map.measure_message(frame, index, label="Need", unit="0-1", higher_is_more_need=True, has_interval=True)
    values = np.frombuffer(base64.b64decode(msg["values"]), dtype="float32")
    assert values[:2].tolist() == pytest.approx([0.9, 0.2]) and np.isnan(values[2])
    ranks = np.frombuffer(base64.b64decode(msg["ranks"]), dtype="int16").reshape(3, 3)
    assert ranks.tolist() == [[1, 1, 2], [2, 1, 3], [-1, -1, -1]]
    assert msg["vmin"] == pytest.approx(0.2) and msg["vmax"] == pytest.approx(0.9) and msg["digits"] == 2
    assert msg["palette"][0] != msg["palette"][-1] and len(msg["palette"]) == svg_map.STEPS
    assert not msg["reverse"] and msg["rank_n"] == 2
    less = svg_map.measure_message(frame, index, label="Canopy", unit="% of area", higher_is_more_need=False)
    assert less["reverse"] and less["digits"] == 1 and less["rank_cols"] == 1  # lower = more need: dark when low


def test_proportions_are_sent_as_percentages() -> None:
    frame = pd.DataFrame({"area_code": ["A"], "value": [0.234], "rank": [1]})
    msg = svg_map.measure_message(
        frame, {"A": 0}, label="Share", unit="proportion of residents", higher_is_more_need=True
    )
    assert np.frombuffer(base64.b64decode(msg["values"]), dtype="float32")[0] == pytest.approx(23.4)


def test_classes_message_is_one_byte_per_value() -> None:
    frame = pd.DataFrame(
        {
            "area_code": ["A", "B", "C"],
            "value": [7, 1, np.nan],
            "class_label": ["high need / low capacity", "low", None],
            "need": [0.91, 0.1, np.nan],
            "capacity": [0.05, 0.8, np.nan],
            "exposed": [True, False, False],
        }
    )
    msg = svg_map.classes_message(frame, {"A": 0, "B": 1, "C": 2})
    assert np.frombuffer(base64.b64decode(msg["values"]), dtype="uint8").tolist() == [7, 1, 0]  # 0 = no data
    assert np.frombuffer(base64.b64decode(msg["extra"]), dtype="uint8").tolist() == [91, 5, 10, 80, 255, 255]
    assert msg["palette"][7] == maps.class_colour(7) and msg["highlight"] == maps.PRIORITY_CLASS
    assert msg["class_labels"][7] == "high need / low capacity"
    assert np.frombuffer(base64.b64decode(msg["exposed"]), dtype="uint8").tolist() == [1, 0, 0]  # the overlay
