"""A borough's pillar profile against the London average and its statistical neighbours (the borough explorer).

The scores are the default framework run's pillar scores for boroughs (`out_cohesion__areas`, 0 = least need in
London, 1 = most); the London average is the unweighted mean over the 33 boroughs; the neighbours are
`queries.neighbours`. A pillar without data for the borough is labelled "no data", never drawn as zero.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import pandas as pd
import plotly.graph_objects as go

from cohesion_metrics.metadata.indicators import PILLARS

PILLAR_PREFIX = "pillar__"
FONT_SIZE = 15
#: Okabe & Ito: vermillion for the borough, blue for its neighbours, black for London.
BOROUGH_COLOUR, NEIGHBOUR_COLOUR, LONDON_COLOUR = "#D55E00", "#0072B2", "#000000"
#: A large dot for the borough, open circles for its neighbours, a bar for London.
_BOROUGH_MARKER = {"symbol": "circle", "size": 18, "color": BOROUGH_COLOUR, "line": {"width": 1, "color": "#ffffff"}}
_NEIGHBOUR_MARKER = {"symbol": "circle-open", "size": 13, "color": NEIGHBOUR_COLOUR, "line": {"width": 2}}
_LONDON_MARKER = {"symbol": "line-ns", "size": 26, "color": LONDON_COLOUR, "line": {"width": 3, "color": LONDON_COLOUR}}


def profile_frame(
    areas: pd.DataFrame, borough_code: str, neighbour_codes: Sequence[str], names: Mapping[str, str]
) -> pd.DataFrame:
    """Long frame (row, label, who, kind, score) of need and the pillar scores: borough, London, neighbours.

    `areas` is `queries.cohesion_areas("borough")`; kind is "borough", "london" or "neighbour".
    """
    cols = ["need"] + [
        f"{PILLAR_PREFIX}{p.id}"
        for p in PILLARS
        if f"{PILLAR_PREFIX}{p.id}" in areas.columns and areas[f"{PILLAR_PREFIX}{p.id}"].notna().any()
    ]
    labels = {"need": "Need"} | {f"{PILLAR_PREFIX}{p.id}": p.label for p in PILLARS}
    by_code = areas.set_index("area_code")
    rows = []
    for col in cols:
        rows.append(
            {
                "row": col,
                "label": labels[col],
                "who": "London average",
                "kind": "london",
                "score": float(areas[col].mean()),
            }
        )
        rows.append(
            {
                "row": col,
                "label": labels[col],
                "who": names.get(borough_code, borough_code),
                "kind": "borough",
                "score": float(by_code.loc[borough_code, col]),
            }
        )
        rows += [
            {
                "row": col,
                "label": labels[col],
                "who": names.get(c, c),
                "kind": "neighbour",
                "score": float(by_code.loc[c, col]),
            }
            for c in neighbour_codes
            if c in by_code.index
        ]
    return pd.DataFrame(rows)


def _dots(
    rows: pd.DataFrame, name: str, marker: Mapping[str, Any], hovertemplate: str, *, text: pd.Series | None = None
) -> go.Scatter:
    """One series of the dot plot: a dot per row at its score, on its pillar's line."""
    return go.Scatter(
        x=rows["score"],
        y=rows["label"],
        mode="markers",
        name=name,
        marker=marker,
        text=text,
        hovertemplate=hovertemplate,
    )


def profile_chart(frame: pd.DataFrame, *, height: int = 430) -> go.Figure:
    """Dot plot: one row per pillar, the borough (large dot), its neighbours (open circles), London (bar)."""
    order = list(dict.fromkeys(frame["label"]))[::-1]
    fig = go.Figure()
    neighbours = frame[frame["kind"] == "neighbour"].dropna(subset=["score"])
    if len(neighbours):
        hover = "%{text}: %{x:.2f}<extra></extra>"
        fig.add_trace(_dots(neighbours, "Statistical neighbours", _NEIGHBOUR_MARKER, hover, text=neighbours["who"]))
    london = frame[frame["kind"] == "london"]
    fig.add_trace(
        _dots(london, "London average (33 boroughs)", _LONDON_MARKER, "London average: %{x:.2f}<extra></extra>")
    )
    borough = frame[frame["kind"] == "borough"]
    who = str(borough["who"].iloc[0])
    fig.add_trace(
        _dots(borough.dropna(subset=["score"]), who, _BOROUGH_MARKER, "%{y}: %{x:.2f}<extra>" + who + "</extra>")
    )
    for label in borough.loc[borough["score"].isna(), "label"]:
        fig.add_annotation(
            x=0.02,
            y=label,
            text="no data for this borough",
            showarrow=False,
            xanchor="left",
            font={"size": FONT_SIZE - 1, "color": "#555555"},
        )
    fig.update_layout(
        height=height,
        margin={"l": 10, "r": 20, "t": 10, "b": 10},
        paper_bgcolor="#ffffff",
        plot_bgcolor="#ffffff",
        font={"size": FONT_SIZE, "family": "sans-serif", "color": "#1a1a1a"},
        hoverlabel={"font": {"size": FONT_SIZE}},
        legend={"orientation": "h", "y": -0.18, "x": 0, "font": {"size": FONT_SIZE}},
    )
    fig.update_xaxes(
        range=[-0.02, 1.02],
        title={"text": "Score: 0 = least need in London, 1 = most"},
        gridcolor="#e3e3e3",
        zeroline=False,
        tickfont={"size": FONT_SIZE},
        fixedrange=True,
    )
    fig.update_yaxes(
        categoryorder="array", categoryarray=order, tickfont={"size": FONT_SIZE}, automargin=True, fixedrange=True
    )
    return fig
