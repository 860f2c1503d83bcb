"""A borough's pillar profile against the London average and its statistical neighbours (the borough explorer).

The scores are the default framework run's pillar scores for boroughs (`out_cohesion__areas`, 0 = least need in
London, 1 = most); the London average is the unweighted mean over the 33 boroughs; the neighbours are
`queries.neighbours`. A pillar without data for the borough is labelled "no data", never drawn as zero.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import pandas as pd
import plotly.graph_objects as go

from cohesion_metrics.metadata.indicators import PILLARS

PILLAR_PREFIX = "pillar__"
FONT_SIZE = 15
#: Okabe & Ito: vermillion for the borough, blue for its neighbours, black for London.
BOROUGH_COLOUR, NEIGHBOUR_COLOUR, LONDON_COLOUR = "#D55E00", "#0072B2", "#000000"


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


def profile_chart(frame: pd.DataFrame, *, height: int = 430) -> go.Figure:
    """Dot plot: one row per pillar, the borough (large dot), its neighbours (open circles), London (bar)."""
    order = list(dict.fromkeys(frame["label"]))[::-1]
    fig = go.Figure()
    neighbours = frame[frame["kind"] == "neighbour"].dropna(subset=["score"])
    if len(neighbours):
        fig.add_trace(
            go.Scatter(
                x=neighbours["score"],
                y=neighbours["label"],
                mode="markers",
                name="Statistical neighbours",
                marker={"symbol": "circle-open", "size": 13, "color": NEIGHBOUR_COLOUR, "line": {"width": 2}},
                text=neighbours["who"],
                hovertemplate="%{text}: %{x:.2f}<extra></extra>",
            )
        )
    london = frame[frame["kind"] == "london"]
    fig.add_trace(
        go.Scatter(
            x=london["score"],
            y=london["label"],
            mode="markers",
            name="London average (33 boroughs)",
            marker={
                "symbol": "line-ns",
                "size": 26,
                "color": LONDON_COLOUR,
                "line": {"width": 3, "color": LONDON_COLOUR},
            },
            hovertemplate="London average: %{x:.2f}<extra></extra>",
        )
    )
    borough = frame[frame["kind"] == "borough"]
    shown = borough.dropna(subset=["score"])
    fig.add_trace(
        go.Scatter(
            x=shown["score"],
            y=shown["label"],
            mode="markers",
            name=str(borough["who"].iloc[0]),
            marker={"symbol": "circle", "size": 18, "color": BOROUGH_COLOUR, "line": {"width": 1, "color": "#ffffff"}},
            hovertemplate="%{y}: %{x:.2f}<extra>" + str(borough["who"].iloc[0]) + "</extra>",
        )
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
