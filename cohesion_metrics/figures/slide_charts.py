"""The story slides' figures (`slide_figures`) and the large type they are shown in (`presentation_fonts`)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import plotly.graph_objects as go

from cohesion_metrics.figures import map_layers, maps
from cohesion_metrics.figures.charts import (
    LEVEL_UNITS,
    STORY_FONT_SIZE,
    action_counts_chart,
    borough_bars,
    rank_interval_chart,
)


def _bars_title(slide: Any, n: int, more_need_high: bool) -> str | None:
    if slide.bars_top is None or slide.bars_top >= n:
        return None
    return f"{'Highest' if more_need_high else 'Lowest'} {slide.bars_top} of {n} boroughs"


def slide_figures(
    slide: Any,
    geojson: dict[str, Any] | str | None = None,
    outlines: dict[str, Any] | str | None = None,
    *,
    height: int = 560,
    map_width: int = 900,
    font_size: int = STORY_FONT_SIZE,
    flat: bool = False,
    outline_codes: Sequence[str] = (),
) -> list[go.Figure]:
    """Return the figures of a `story.Slide`, left to right ([] for text).

    `geojson` (a dict or a static file URL) is at the slide's map level; `outlines` draws borough boundaries (a
    `flat` SVG map also needs their `outline_codes`). Maps come from `maps`, so the story uses the app's palettes.
    """
    frames = slide.frames
    kind = slide.figure
    if kind == "need_capacity" and geojson is not None:
        frame = frames["map"].rename(columns={"class_code": "value"})
        counts = frame["value"].dropna().astype(int).value_counts()
        return [
            maps.classes_map(
                geojson,
                frame,
                outlines=outlines,
                height=height,
                width=map_width,
                flat=flat,
                outline_codes=outline_codes,
            ),
            map_layers.bivariate_legend(counts, size=min(height, 400), unit=LEVEL_UNITS.get(slide.map_level, "areas")),
        ]
    if kind in ("borough_indicator", "map_and_bars") and geojson is not None:
        frame = frames["map"]
        ranked = frame.assign(rank=frame["value"].rank(ascending=not slide.more_need_high, method="min"))
        bars = frames.get("bars", frame)
        more_need_high = bool(slide.more_need_high) if kind == "borough_indicator" else True
        return [
            maps.measure_map(
                geojson,
                ranked,
                label=slide.map_label,
                unit=slide.map_unit or slide.unit,
                higher_is_more_need=slide.more_need_high,
                outlines=outlines,
                height=height,
                width=map_width,
                colorbar_title=slide.map_unit or slide.unit,
                flat=flat,
                outline_codes=outline_codes,
            ),
            borough_bars(
                bars,
                unit=slide.unit,
                reference=slide.reference,
                reference_label=slide.reference_label,
                font_size=font_size,
                height=height,
                more_need_high=more_need_high,
                top=slide.bars_top,
                title=_bars_title(slide, len(bars), more_need_high),
            ),
        ]
    if kind == "rank_intervals":
        return [
            rank_interval_chart(
                frames["intervals"],
                n_areas=int(slide.numbers["n_areas"]),
                order_col="priority_rank",
                font_size=font_size,
                height=height,
            )
        ]
    if kind == "actions":
        return [action_counts_chart(frames["actions"], font_size=font_size, height=height)]
    return []


def presentation_fonts(fig: go.Figure, size: int) -> go.Figure:
    """Raise every text of a figure (layout, legend, hover, annotations, axes, colour bars, titles) to `size` px."""
    fig.update_layout(font_size=size, legend_font_size=size, hoverlabel_font_size=size, title_font_size=size)
    fig.update_annotations(font_size=size)
    fig.update_xaxes(tickfont_size=size, title_font_size=size)
    fig.update_yaxes(tickfont_size=size, title_font_size=size)
    for trace in fig.data:
        if "colorbar" in trace and trace.showscale is not False:
            trace.colorbar.tickfont.size = size
            trace.colorbar.title.font.size = size
        if "textfont" in trace and trace.textfont is not None and (trace.textfont.size or 0) < size:
            trace.textfont.size = size
    return fig
