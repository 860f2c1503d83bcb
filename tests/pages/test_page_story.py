"""AppTest of Story mode: slides render, next/previous and the URL move between them, numbers match the story."""

from __future__ import annotations

import json

import pytest
from apptest_helpers import open_app
from streamlit.testing.v1 import AppTest

from cohesion_metrics import db
from cohesion_metrics.outputs import story

PAGE = "app_pages/story.py"


@pytest.fixture(scope="module")
def slides(app_db) -> list[story.Slide]:
    con = db.connect(app_db, read_only=True)
    try:
        return story.slides(con)
    finally:
        con.close()


def _story(**params: str | list[str]) -> AppTest:
    return open_app(PAGE, **params)


def test_next_and_previous_change_the_slide(app_db, slides) -> None:
    at = _story()
    assert at.title[0].value == slides[0].title
    assert at.button(key="slide_previous").disabled
    at.button(key="slide_next").click().run()
    assert not at.exception
    assert at.title[0].value == slides[1].title
    assert slides[1].message in [m.value for m in at.markdown]
    at.button(key="slide_previous").click().run()
    assert at.title[0].value == slides[0].title


@pytest.mark.parametrize("number", range(1, 9))
def test_every_slide_renders_from_its_url(app_db, slides, number) -> None:
    at = _story(slide=str(number))
    slide = slides[number - 1]
    assert at.title[0].value == slide.title
    assert slide.message in [m.value for m in at.markdown]
    figures = {"need_capacity": 2, "borough_indicator": 2, "map_and_bars": 2, "rank_intervals": 1, "actions": 1}
    assert len(at.get("plotly_chart")) == figures.get(slide.figure, 0)
    captions = " ".join(c.value for c in at.caption)
    assert f"Slide {number} of {len(slides)}" in captions
    if slide.caveat:
        assert slide.caveat in captions
    assert at.button(key="slide_next").disabled == (number == len(slides))
    specs = [json.loads(c.proto.spec) for c in at.get("plotly_chart")]
    for spec in specs:  # presentation type: every chart and legend text at least 20 px
        assert spec["layout"]["font"]["size"] >= 20
        assert all(a["font"]["size"] >= 20 for a in spec["layout"].get("annotations", []))
    if slide.map_level:  # maps are flat SVG with their empty world topojson served locally: no WebGL, no CDN
        chart = next(c for c in at.get("plotly_chart") if "slide-figure-0" in c.proto.id)
        data = json.loads(chart.proto.spec)["data"]
        assert {t["type"] for t in data} == {"choropleth", "scattergeo"}
        labels = next(t for t in data if t["type"] == "scattergeo")  # the boroughs are named on the map
        assert (
            len(labels["text"]) == 33 and {"Croydon", "ISL"} <= set(labels["text"]) and labels["textfont"]["size"] >= 20
        )
        assert json.loads(chart.proto.config)["topojsonURL"] == "app/static/geo/"


def test_large_type_is_set_by_css_without_external_fonts(app_db) -> None:
    import ast
    from pathlib import Path

    tree = ast.parse(Path(PAGE).read_text(encoding="utf-8"))  # the page's CSS constants, without running it
    css = "".join(
        node.value.value
        for node in tree.body
        if isinstance(node, ast.Assign)
        and getattr(node.targets[0], "id", "") in ("CSS", "PRESENT_CSS")
        and isinstance(node.value, ast.Constant)
    )
    assert "font-size" in css
    properties = {d.split("{")[-1].strip().split(":")[0] for d in css.replace("}", ";").split(";") if ":" in d}
    assert properties <= {"font-size", "line-height", "padding-top", "height", "flex"}
    assert "@import" not in css and "url(" not in css  # no external fonts: works offline
