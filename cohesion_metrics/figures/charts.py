"""Plotly figures for the compare, weights and story pages; maps come from `maps`, restyled here only for classes.

Every figure is readable on a projector: text at least 14 px (16 px by default, larger in story mode), the
Okabe & Ito (2008) colour-blind-safe palette (its yellow left out: it vanishes on a projected white background),
and stability shown by marker shape as well as colour. Missing values are labelled "no data", never drawn as zero.
Figures take plain frames (from `queries` / `story`) and never query the database.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from cohesion_metrics.metadata.indicators import PILLARS_BY_ID
from cohesion_metrics.method.classify import RECOMMENDATION_5

FONT_SIZE = 16
#: Story mode: projected at 1920x1080 and read from the back of a room.
STORY_FONT_SIZE = 22
MIN_FONT_SIZE = 14
FONT_FAMILY = "sans-serif"
#: Okabe & Ito's colour-blind-safe qualitative palette, without yellow.
OKABE_ITO = ("#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#000000")
LONDON_COLOUR = "#222222"
MUTED = "#9a9a9a"
#: Stability label -> (colour, marker symbol): shape carries the meaning for readers who cannot tell the colours.
STABILITY_STYLE: dict[str, tuple[str, str]] = {
    "stable": ("#0072B2", "circle"),
    "fairly stable": ("#E69F00", "diamond"),
    "uncertain": ("#D55E00", "x"),
    "not scored": (MUTED, "circle-open"),
}
#: What a map level's areas are called in a legend.
LEVEL_UNITS = {"borough": "boroughs", "ward": "wards", "lsoa11": "neighbourhoods"}


def _layout(
    fig: go.Figure, *, font_size: int, height: int, legend: dict[str, Any] | None = None, **kwargs: Any
) -> go.Figure:
    """Shared layout: readable fonts, white background, room for labels."""
    size = max(font_size, MIN_FONT_SIZE)
    fig.update_layout(
        font={"size": size, "family": FONT_FAMILY, "color": "#1a1a1a"},
        hoverlabel={"font": {"size": max(size - 1, MIN_FONT_SIZE)}},
        paper_bgcolor="#ffffff",
        plot_bgcolor="#ffffff",
        height=height,
        margin={"l": 10, "r": 20, "t": 40, "b": 10},
        legend={**(legend or {}), "font": {"size": size}, "title_font": {"size": size}},
        **kwargs,
    )
    fig.update_annotations(font_size=size)
    ink = {"size": size, "color": "#1a1a1a"}
    fig.update_xaxes(gridcolor="#e3e3e3", zeroline=False, automargin=True, tickfont=ink, title_font=ink)
    fig.update_yaxes(automargin=True, tickfont=ink, title_font=ink)
    return fig


def pillar_small_multiples(
    scores: pd.DataFrame,
    london: pd.Series,
    pillars: Sequence[str],
    *,
    label_col: str = "area_name",
    font_size: int = FONT_SIZE,
    columns: int = 3,
    london_label: str = "London mean",
) -> go.Figure:
    """One panel per pillar: a bar per area (its pillar score, 0..1, higher = more need), London's mean dashed.

    `scores` has `label_col` and `pillar__<id>` columns, one row per area in display order; `london` the London
    mean per pillar id. A missing score is written "no data" where its bar would be.
    """
    n_rows = math.ceil(len(pillars) / columns)
    titles = [PILLARS_BY_ID[p].label for p in pillars]
    fig = make_subplots(
        rows=n_rows,
        cols=columns,
        subplot_titles=titles,
        shared_yaxes=True,
        horizontal_spacing=0.05,
        vertical_spacing=0.3 / n_rows if n_rows > 1 else 0.0,
    )
    labels = list(scores[label_col])
    colours = [OKABE_ITO[k % len(OKABE_ITO)] for k in range(len(labels))]
    for k, pillar in enumerate(pillars):
        row, col = k // columns + 1, k % columns + 1
        values = scores[f"pillar__{pillar}"].to_numpy(dtype=float)
        fig.add_trace(
            go.Bar(
                x=np.nan_to_num(values, nan=0.0),
                y=labels,
                orientation="h",
                marker_color=colours,
                showlegend=False,
                name=titles[k],
                text=["no data" if np.isnan(v) else f"{v:.2f}" for v in values],
                textposition="outside",
                cliponaxis=False,
                constraintext="none",
                hovertemplate="%{y}: %{text}<extra>" + titles[k] + "</extra>",
            ),
            row=row,
            col=col,
        )
        mean = float(london.get(pillar, np.nan))
        if not np.isnan(mean):
            fig.add_vline(x=mean, line={"color": LONDON_COLOUR, "dash": "dash", "width": 2}, row=row, col=col)
    # A legend entry for the dashed London lines (shapes have none).
    fig.add_trace(
        go.Scatter(
            x=[None],
            y=[None],
            mode="lines",
            name=london_label,
            line={"color": LONDON_COLOUR, "dash": "dash", "width": 2},
        )
    )
    fig.update_xaxes(range=[0, 1.18], tickvals=[0, 0.5, 1], showticklabels=False)
    fig.update_xaxes(showticklabels=True, row=n_rows)
    fig.update_yaxes(autorange="reversed")
    height = n_rows * (90 + 40 * len(labels)) + 60
    _layout(
        fig,
        font_size=font_size,
        height=height,
        legend={"orientation": "h", "yanchor": "bottom", "y": 1.0, "x": 1, "xanchor": "right"},
        bargap=0.25,
    )
    fig.update_annotations(yshift=6)
    fig.update_layout(margin={"t": 80})
    return fig


def rank_interval_chart(
    frame: pd.DataFrame,
    *,
    n_areas: int,
    label_col: str = "label",
    order_col: str = "rank",
    font_size: int = FONT_SIZE,
    height: int | None = None,
    title: str | None = None,
    full_range: bool = False,
) -> go.Figure:
    """Dot (the rank under the chosen settings) and bar (5-95 % rank interval over the Monte Carlo draws) per area.

    `frame` has `label_col`, rank, rank_p05, rank_p95 and stability; rows are drawn in `order_col` order, first at
    the top. Rank 1 = most need among `n_areas` areas. Colour and marker shape give the stability label.
    `full_range` spans the x axis over all ranks 1..n_areas (for comparing a few areas).
    """
    data = frame.sort_values(order_col, kind="stable")
    labels = list(data[label_col])
    fig = go.Figure()
    for label, (colour, symbol) in STABILITY_STYLE.items():
        part = data[data["stability"] == label]
        if part.empty:
            continue
        xs: list[float | None] = []
        ys: list[str | None] = []
        for _, r in part.iterrows():
            xs += [float(r["rank_p05"]), float(r["rank_p95"]), None]
            ys += [r[label_col], r[label_col], None]
        fig.add_trace(
            go.Scatter(
                x=xs,
                y=ys,
                mode="lines",
                line={"color": colour, "width": 7},
                opacity=0.45,
                showlegend=False,
                hoverinfo="skip",
                legendgroup=label,
            )
        )
        fig.add_trace(
            go.Scatter(
                x=part["rank"].astype(float),
                y=part[label_col],
                mode="markers",
                name=label,
                legendgroup=label,
                marker={"color": colour, "symbol": symbol, "size": 13, "line": {"width": 2, "color": colour}},
                customdata=part[["rank_p05", "rank_p95"]].to_numpy(dtype=float),
                hovertemplate="<b>%{y}</b><br>rank %{x:.0f} of "
                + f"{n_areas:,}"
                + "<br>5-95% interval: %{customdata[0]:.0f} to %{customdata[1]:.0f}<extra>"
                + label
                + "</extra>",
            )
        )
    _layout(
        fig,
        font_size=font_size,
        height=height or max(240, 110 + 34 * len(labels)),
        legend={"orientation": "h", "yanchor": "bottom", "y": 1.0, "x": 0, "title": {"text": "Rank is "}},
    )
    fig.update_yaxes(categoryorder="array", categoryarray=labels, autorange="reversed", type="category")
    fig.update_xaxes(title={"text": f"Rank of {n_areas:,} (1 = most need); bar: 5-95% interval"}, rangemode="tozero")
    if full_range:
        fig.update_xaxes(range=[0, n_areas + 1])
    if title:
        fig.update_layout(title={"text": title, "font": {"size": font_size + 2}})
    return fig


def borough_bars(
    frame: pd.DataFrame,
    *,
    value_col: str = "value",
    label_col: str = "area_name",
    unit: str,
    reference: float | None = None,
    reference_label: str = "London",
    highlight: Sequence[str] = (),
    font_size: int = FONT_SIZE,
    height: int | None = None,
    decimals: int = 0,
    more_need_high: bool = True,
    top: int | None = None,
    title: str | None = None,
) -> go.Figure:
    """Horizontal bars of one value per area, most need at the top, missing areas listed as "no data".

    `highlight` (area labels) are drawn in the accent colour, the rest in blue; `reference` adds a dashed line;
    `top` keeps only the `top` areas most in need (a projected slide cannot show 33 readable bars).
    """
    data = frame.sort_values(value_col, ascending=not more_need_high, kind="stable", na_position="last")
    if top is not None:
        data = data.dropna(subset=[value_col]).head(top)
    labels = list(data[label_col])
    values = data[value_col].to_numpy(dtype=float)
    colours = [OKABE_ITO[3] if lab in set(highlight) else OKABE_ITO[0] for lab in labels]
    fig = go.Figure(
        go.Bar(
            x=np.nan_to_num(values, nan=0.0),
            y=labels,
            orientation="h",
            marker_color=colours,
            text=["no data" if np.isnan(v) else f"{v:,.{decimals}f}" for v in values],
            textposition="auto",
            insidetextanchor="end",
            cliponaxis=False,
            showlegend=False,
            hovertemplate="%{y}: %{text} " + unit + "<extra></extra>",
            constraintext="none",
            textfont={"size": max(font_size - 4, MIN_FONT_SIZE)},
            insidetextfont={"color": "#ffffff"},
            outsidetextfont={"color": "#1a1a1a"},
        )
    )
    if reference is not None and not np.isnan(reference):
        fig.add_vline(
            x=reference,
            line={"color": LONDON_COLOUR, "dash": "dash", "width": 2},
            layer="below",
            annotation={
                "text": f"{reference_label} {reference:,.{decimals}f}",
                "font_size": font_size,
                "yanchor": "bottom",
            },
            annotation_position="top",
        )
    top_value = float(np.nanmax(values)) if np.isfinite(values).any() else 1.0
    _layout(fig, font_size=max(font_size - 4, MIN_FONT_SIZE), height=height or 60 + 22 * len(labels), bargap=0.2)
    fig.update_yaxes(categoryorder="array", categoryarray=labels, autorange="reversed")
    if reference is not None and np.isfinite(reference):
        top_value = max(top_value, reference)
    fig.update_xaxes(title={"text": unit}, range=[0, top_value * 1.18])
    fig.update_layout(margin={"t": 80 if title else 50})
    if title:
        fig.update_layout(title={"text": title, "font": {"size": font_size}, "x": 0, "xanchor": "left"})
    return fig


def action_counts_chart(counts: pd.DataFrame, *, font_size: int = FONT_SIZE, height: int = 520) -> go.Figure:
    """Share of areas per recommendation 5 action, one bar group per action and a colour per area level.

    `counts` has action (letter), level_label, areas, n_areas; bars are labelled "areas of n_areas".
    """
    letters = list(RECOMMENDATION_5)
    names = [f"({a}) {RECOMMENDATION_5[a]}" for a in letters]
    fig = go.Figure()
    for k, (level_label, group) in enumerate(counts.groupby("level_label", sort=False)):
        part = group.set_index("action").reindex(letters)
        n = int(part["n_areas"].dropna().iloc[0])
        share = (100 * part["areas"].fillna(0) / n).to_numpy(dtype=float)
        fig.add_trace(
            go.Bar(
                y=names,
                x=share,
                orientation="h",
                name=f"{level_label} ({n:,})",
                marker_color=OKABE_ITO[k % len(OKABE_ITO)],
                text=[f"{int(a):,}" for a in part["areas"].fillna(0)],
                textposition="outside",
                cliponaxis=False,
                constraintext="none",
                textfont={"size": max(font_size - 4, MIN_FONT_SIZE)},
                hovertemplate="%{y}: %{text} of " + f"{n:,} {level_label.lower()}" + "<extra></extra>",
            )
        )
    _layout(
        fig,
        font_size=font_size,
        height=height,
        barmode="group",
        bargap=0.18,
        bargroupgap=0.05,
        legend={"orientation": "h", "yanchor": "bottom", "y": 1.0, "x": 0},
    )
    fig.update_yaxes(autorange="reversed")
    fig.update_xaxes(
        title={"text": "% of areas where the action is triggered (bar label: number of areas)"}, range=[0, 100]
    )
    return fig


def comparison_table(long: pd.DataFrame) -> pd.DataFrame:
    """Wide comparison: a row per indicator (grouped by pillar), then per area its value and London percentile.

    `long` is `queries.borough_comparison` output. Columns: Indicator, Unit, then per area in `long`'s order
    "<name>" (value) and "<name> · percentile" (need-oriented London percentile, 100 = most need), then London median,
    Higher means, Vintage, Pillar (and indicator_id). Missing values stay empty.
    """
    pillar_order = {p: k for k, p in enumerate(PILLARS_BY_ID)}
    first = long.drop_duplicates("indicator_id").set_index("indicator_id")
    ids = sorted(first.index, key=lambda i: (pillar_order[first.loc[i, "pillar"]], list(first.index).index(i)))
    first = first.reindex(ids)
    vintage = long.dropna(subset=["vintage"]).drop_duplicates("indicator_id").set_index("indicator_id")["vintage"]
    out = pd.DataFrame(
        {"Indicator": first["label"].to_numpy(), "Unit": first["unit"].to_numpy()},
        index=pd.Index(ids, name="indicator_id"),
    )
    for name, group in long.groupby("area_name", sort=False):
        part = group.set_index("indicator_id").reindex(ids)
        out[str(name)] = part["value"].to_numpy(dtype=float)
        out[f"{name} · percentile"] = part["london_percentile"].to_numpy(dtype=float)
    out["London median"] = first["london_median"].to_numpy(dtype=float)
    out["Higher means"] = ["more need" if h else "less need" for h in first["higher_is_more_need"]]
    out["Vintage"] = vintage.reindex(ids).to_numpy()
    out["Pillar"] = [PILLARS_BY_ID[p].label for p in first["pillar"]]
    return out.reset_index()


def correlation_heatmap(matrix: pd.DataFrame, labels: Mapping[str, str], *, font_size: int = FONT_SIZE) -> go.Figure:
    """Heatmap of a pillar's indicator correlations (`pillar_checks.correlation_matrix`), -1 blue .. +1 red."""
    names = [labels.get(str(c), str(c)) for c in matrix.columns]
    values = matrix.to_numpy(dtype=float)
    fig = go.Figure(
        go.Heatmap(
            z=values,
            x=names,
            y=names,
            zmin=-1,
            zmax=1,
            colorscale="RdBu_r",
            text=[[f"{v:.2f}" for v in row] for row in values],
            texttemplate="%{text}",
            hovertemplate="%{y} × %{x}: r = %{z:.2f}<extra></extra>",
            colorbar={"title": {"text": "r"}},
        )
    )
    side = 120 + 70 * len(names)
    return _layout(fig, height=max(320, side), font_size=font_size)
