"""Map figures (offline, colour-blind-safe, light on the websocket) and the static GeoJSON writer."""

from __future__ import annotations

import itertools
import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from cohesion_metrics.figures import geojson_files, map_layers, map_view, maps

URL = "app/static/geo/lsoa11.geojson?v=abc"
SQUARE = {
    "type": "FeatureCollection",
    "features": [
        {
            "type": "Feature",
            "id": "A",
            "properties": {},
            "geometry": {"type": "Polygon", "coordinates": [[[-0.2, 51.4], [-0.1, 51.4], [-0.1, 51.5], [-0.2, 51.4]]]},
        },
        {
            "type": "Feature",
            "id": "B",
            "properties": {},
            "geometry": {"type": "Polygon", "coordinates": [[[0.0, 51.5], [0.1, 51.5], [0.1, 51.6], [0.0, 51.5]]]},
        },
    ],
}


def _frame(n: int = 5, *, missing: int = 0) -> pd.DataFrame:
    values = np.linspace(0.1, 0.9, n)
    values[:missing] = np.nan
    rank = pd.Series(values).rank(ascending=False, method="min")
    return pd.DataFrame(
        {
            "area_code": [f"E0100000{i}" for i in range(n)],
            "area_name": [f"Area {i}" for i in range(n)],
            "value": values,
            "rank": rank,
            "rank_p05": rank - 1,
            "rank_p95": rank + 2,
        }
    )


# --- colour -------------------------------------------------------------------------------------------------------

_MACHADO = {  # Machado, Oliveira & Fernandes (2009), severity 1.0, linear RGB
    "protanopia": [[0.152286, 1.052583, -0.204868], [0.114503, 0.786281, 0.099216], [-0.003882, -0.048116, 1.051998]],
    "deuteranopia": [[0.367322, 0.860646, -0.227968], [0.280085, 0.672501, 0.047413], [-0.011820, 0.042940, 0.968881]],
    "tritanopia": [[1.255528, -0.076749, -0.178779], [-0.078411, 0.930809, 0.147602], [0.004733, 0.691367, 0.303900]],
    "normal": np.eye(3).tolist(),
}


def _lab(hex_colour: str, matrix: list[list[float]]) -> np.ndarray:
    srgb = np.array([int(hex_colour[i : i + 2], 16) for i in (1, 3, 5)]) / 255
    lin = np.where(srgb <= 0.04045, srgb / 12.92, ((srgb + 0.055) / 1.055) ** 2.4)
    lin = np.clip(np.array(matrix) @ lin, 0, 1)
    xyz = np.array([[0.4124, 0.3576, 0.1805], [0.2126, 0.7152, 0.0722], [0.0193, 0.1192, 0.9505]]) @ lin
    t = xyz / np.array([0.95047, 1.0, 1.08883])
    f = np.where(t > 0.008856, np.cbrt(t), 7.787 * t + 16 / 116)
    return np.array([116 * f[1] - 16, 500 * (f[0] - f[1]), 200 * (f[1] - f[2])])


@pytest.mark.parametrize("vision", list(_MACHADO))
def test_bivariate_palette_stays_distinct_under_colour_vision_deficiency(vision: str) -> None:
    colours = [maps.class_colour(c) for c in range(1, 10)]
    labs = [_lab(c, _MACHADO[vision]) for c in colours]
    closest = min(float(np.linalg.norm(a - b)) for a, b in itertools.combinations(labs, 2))
    assert closest >= 12, f"two bivariate classes are only {closest:.1f} apart (CIELAB) under {vision}"


def test_priority_class_is_the_darkest() -> None:
    lightness = {c: _lab(maps.class_colour(c), _MACHADO["normal"])[0] for c in range(1, 10)}
    assert min(lightness, key=lightness.__getitem__) == maps.PRIORITY_CLASS == 7
    assert max(lightness, key=lightness.__getitem__) == 3  # low need, high capacity


# --- figures ------------------------------------------------------------------------------------------------------


def test_fit_view_frames_london() -> None:
    center, zoom = map_view.fit_view(maps.LONDON_BOUNDS, width=600, height=540)
    assert -0.2 < center["lon"] < 0.0 and 51.45 < center["lat"] < 51.55
    assert 8.5 < zoom < 9.6
    _, closer = map_view.fit_view({"west": -0.1, "east": 0.0, "south": 51.5, "north": 51.55}, width=600, height=540)
    assert closer > zoom + 2


def test_measure_map_sends_codes_and_values_not_geometry() -> None:
    frame = _frame(6, missing=1)
    fig = maps.measure_map(
        URL,
        frame,
        label="Composite need score",
        unit="score 0-1",
        higher_is_more_need=True,
        has_interval=True,
        outlines="app/static/geo/borough.geojson",
    )
    spec = json.loads(fig.to_json())
    assert all(t["geojson"] == URL for t in spec["data"])
    grey, main = spec["data"]
    assert grey["locations"] == ["E01000000"] and "no data" in grey["hovertemplate"]
    assert len(main["locations"]) == 5
    assert main["customdata"]["dtype"] in ("i2", "i4")  # compact typed array, not JSON numbers
    assert "likely rank" in main["hovertemplate"] and "%{location}" in main["hovertemplate"]
    assert main["colorscale"][0][1] != main["colorscale"][-1][1] and main["reversescale"] is False
    assert spec["layout"]["map"]["style"] == maps.BLANK_STYLE
    assert spec["layout"]["map"]["layers"][0]["source"] == "app/static/geo/borough.geojson"
    assert spec["layout"]["font"]["size"] >= maps.MIN_FONT_SIZE
    assert "mapbox" not in json.dumps(spec["layout"]) and "https://" not in json.dumps(spec)


def test_flat_maps_draw_svg_choropleths_with_outlines_and_no_base_map() -> None:
    frame = _frame(6, missing=1)
    outlines = "app/static/geo/borough.geojson"
    fig = maps.measure_map(
        URL,
        frame,
        label="Composite",
        unit="0-1",
        higher_is_more_need=True,
        outlines=outlines,
        flat=True,
        outline_codes=["E09000001", "E09000002"],
    )
    spec = json.loads(fig.to_json())
    assert [t["type"] for t in spec["data"]] == ["choropleth"] * 3  # no data, values, outlines last (on top)
    grey, main, edges = spec["data"]
    assert grey["locations"] == ["E01000000"] and "no data" in grey["hovertemplate"]
    assert len(main["locations"]) == 5 and "likely" not in main["hovertemplate"]
    assert edges["geojson"] == outlines and edges["locations"] == ["E09000001", "E09000002"]
    assert edges["hoverinfo"] == "skip" and edges["marker"]["line"]["width"] > 1
    geo = spec["layout"]["geo"]
    assert geo["visible"] is False and geo["fitbounds"] == "locations" and geo["projection"]["type"] == "mercator"
    assert "map" not in spec["layout"] and "https://" not in json.dumps(spec)
    classes = maps.classes_map(
        URL,
        _frame(9).assign(value=list(range(1, 10)), class_label=[f"c{c}" for c in range(1, 10)], need=0.5, capacity=0.5),
        flat=True,
    )
    assert {t.type for t in classes.data} == {"choropleth"}
    with pytest.raises(ValueError, match="outline_codes"):
        maps.measure_map(URL, frame, label="x", unit="x", higher_is_more_need=True, outlines=outlines, flat=True)


def test_lower_is_more_need_reverses_and_context_uses_cividis() -> None:
    canopy = maps.measure_map(URL, _frame(), label="Tree canopy", unit="%", higher_is_more_need=False)
    assert canopy.data[-1].reversescale is True
    assert "rank" in canopy.data[-1].hovertemplate and "likely rank" not in canopy.data[-1].hovertemplate
    context = maps.measure_map(URL, _frame(), label="Born outside the UK", unit="%", higher_is_more_need=None)
    assert (
        context.data[-1].colorscale[0][1]
        == maps.measure_map(URL, _frame(), label="x", unit="x", higher_is_more_need=None).data[-1].colorscale[0][1]
    )
    assert "1 = highest" in context.data[-1].hovertemplate


def test_classes_map_one_trace_per_class_and_priority_outlined() -> None:
    frame = _frame(9).assign(
        value=list(range(1, 10)), class_label=[f"class {c}" for c in range(1, 10)], need=0.5, capacity=0.5
    )
    fig = maps.classes_map(URL, frame)
    fills = [t for t in fig.data if t.showscale is False and t.name and t.name.startswith("class")]
    assert len(fills) == 9 and fills[0].name == "class 7"  # high need first
    assert fills[0].colorscale[0][1] == maps.class_colour(7)
    outline = fig.data[-1]
    assert list(outline.locations) == ["E01000006"] and outline.marker.line.width > 1


def test_bivariate_legend_counts_and_marks_priority() -> None:
    fig = map_layers.bivariate_legend({7: 12, 3: 40})
    texts = {a.text for a in fig.layout.annotations}
    assert {"12", "40", "0"} <= texts
    assert fig.layout.shapes[0].line.width >= 3  # the priority cell is outlined
    assert fig.layout.font.size >= maps.MIN_FONT_SIZE


def test_geojson_bounds_of_chosen_features() -> None:
    assert map_view.geojson_bounds(SQUARE, ["B"]) == {"west": 0.0, "east": 0.1, "south": 51.5, "north": 51.6}


def test_points_and_outlines_get_legend_entries() -> None:
    fig = maps.measure_map(URL, _frame(), label="x", unit="y", higher_is_more_need=True)
    points = pd.DataFrame({"lon": [-0.1], "lat": [51.5], "name": ["Hall"], "type_label": ["Community centre"]})
    map_layers.add_points(fig, points, name="Community centres & libraries", colour=maps.POINT_COLOURS[0])
    maps.add_outlined_areas(fig, URL, ["E01000001"], name="Far")
    assert fig.data[-2].name == "Community centres & libraries (1)" and fig.data[-1].showlegend is True
    assert fig.data[-1].colorscale[0][1] == "rgba(0,0,0,0)"


# --- static GeoJSON -----------------------------------------------------------------------------------------------


def test_writer_writes_compact_files_with_code_ids(con, tmp_path: Path) -> None:
    geo = geojson_files.ensure_static_geojson(con, stamp="s1", folder=tmp_path, levels=("borough",))
    data = json.loads(geo.path("borough").read_text())
    assert len(data["features"]) == 33
    assert {f["id"] for f in data["features"]} == {f"E09{n:06d}" for n in range(1, 34)}
    assert all(set(f) == {"type", "id", "properties", "geometry"} for f in data["features"])
    assert all(set(f["properties"]) == {"i", "code", "name"} for f in data["features"])  # position, code, name
    coords = json.dumps(data["features"][0]["geometry"]["coordinates"])
    assert max(len(x.split(".")[1]) for x in coords.replace("[", "").replace("]", "").split(",") if "." in x) <= 5
    assert geo.url("borough") == "app/static/geo/borough.geojson?v=s1"
    empty_world = json.loads((tmp_path / "world_110m.json").read_text())  # what plotly's geo subplot asks for
    assert empty_world["type"] == "Topology" and all(not o["geometries"] for o in empty_world["objects"].values())
    with pytest.raises(ValueError, match="ward"):
        geo.url("ward")


def test_writer_reuses_fresh_files_and_rewrites_stale_ones(con, tmp_path: Path) -> None:
    geojson_files.ensure_static_geojson(con, stamp="s1", folder=tmp_path, levels=("borough",))
    path = tmp_path / "borough.geojson"
    path.write_text('{"sentinel": true}')  # as if the file were from an older build with the same stamp
    geojson_files.ensure_static_geojson(con, stamp="s1", folder=tmp_path, levels=("borough",))
    assert json.loads(path.read_text()) == {"sentinel": True}  # fresh: not rewritten
    geojson_files.ensure_static_geojson(con, stamp="s2", folder=tmp_path, levels=("borough",))
    assert len(json.loads(path.read_text())["features"]) == 33  # stale stamp: rewritten
    path.unlink()
    geojson_files.ensure_static_geojson(con, stamp="s2", folder=tmp_path, levels=("borough",))
    assert path.is_file()  # missing: rewritten


def test_writer_is_atomic(con, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    geojson_files.ensure_static_geojson(con, stamp="s1", folder=tmp_path, levels=("borough",))
    before = (tmp_path / "borough.geojson").read_bytes()

    def half_written(path: Path, data: bytes) -> None:
        raise OSError("disk full")

    real_replace = Path.replace
    monkeypatch.setattr(Path, "replace", lambda self, target: half_written(self, b""))
    with pytest.raises(OSError, match="disk full"):
        geojson_files.ensure_static_geojson(con, stamp="s2", folder=tmp_path, levels=("borough",))
    monkeypatch.setattr(Path, "replace", real_replace)
    assert (tmp_path / "borough.geojson").read_bytes() == before  # the old file is whole
    assert sorted(p.name for p in tmp_path.iterdir()) == ["borough.geojson", "stamp.json", "world_110m.json"]  # no temp
    assert json.loads((tmp_path / "stamp.json").read_text())["stamp"] == "s1"


def test_database_stamp_changes_with_the_file(tmp_path: Path) -> None:
    f = tmp_path / "x.duckdb"
    f.write_bytes(b"a")
    first = geojson_files.database_stamp(f)
    assert geojson_files.database_stamp(f) == first
    f.write_bytes(b"ab")
    assert geojson_files.database_stamp(f) != first


def test_index_features_sends_positions_and_reads_names_from_the_geojson() -> None:
    frame = pd.DataFrame(
        {
            "area_code": ["E01000002", "E01000001"],
            "area_name": ["City of London 001B · Aldersgate", "City of London 001A · Aldersgate"],
            "value": [0.4, 0.7],
            "rank": pd.array([2, 1], dtype="Int64"),
            "rank_p05": [1.0, 1.0],
            "rank_p95": [2.0, 2.0],
        }
    )
    url = "app/static/geo/lsoa11.geojson?v=x"
    fig = maps.measure_map(url, frame, label="Need", unit="0-1", higher_is_more_need=True, flat=True)
    map_layers.index_features(fig, url, {"E01000001": 0, "E01000002": 1})
    trace = fig.data[0]
    assert trace.locations.tolist() == [1, 0] and trace.locations.dtype == "int16"
    assert trace.featureidkey == "properties.i" and trace.text is None
    assert "%{properties.name}" in trace.hovertemplate and "%{properties.code}" in trace.hovertemplate


def test_static_geojson_features_carry_position_code_and_place_name(con) -> None:
    import json

    from cohesion_metrics.figures import geojson_files
    from cohesion_metrics.read import queries

    features = json.loads(geojson_files.geojson_bytes(con, "lsoa11"))["features"]
    assert [f["properties"]["i"] for f in features] == list(range(len(features)))
    assert [f["properties"]["code"] for f in features] == queries.areas(con, "lsoa11")["area_code"].tolist()
    hackney = next(f for f in features if f["properties"]["name"].startswith("Hackney 021F"))
    assert " · " in hackney["properties"]["name"]
