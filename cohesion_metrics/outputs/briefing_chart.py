"""The briefing's pillar profile drawn offline with matplotlib (the PDF embeds it as a PNG)."""

from __future__ import annotations

import io

import pandas as pd
from matplotlib.lines import Line2D

from cohesion_metrics.figures import pillar_profile


def profile_png(profile: pd.DataFrame, *, width_px: int = 1380, height_px: int = 560) -> bytes:
    """The pillar profile as a dot plot (as `pillar_profile.profile_chart`): borough, neighbours, London average."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    dpi = width_px / 6.9
    fig = Figure(figsize=(width_px / dpi, height_px / dpi), dpi=dpi, facecolor="#ffffff")
    FigureCanvasAgg(fig)
    ax = fig.add_axes((0.36, 0.22, 0.61, 0.74))
    labels = list(dict.fromkeys(profile["label"]))
    y = {label: len(labels) - 1 - k for k, label in enumerate(labels)}
    near = profile[profile["kind"] == "neighbour"].dropna(subset=["score"])
    ax.scatter(
        near["score"],
        near["label"].map(y),
        s=40,
        facecolors="none",
        edgecolors=pillar_profile.NEIGHBOUR_COLOUR,
        linewidths=1.3,
        zorder=3,
    )
    london = profile[profile["kind"] == "london"]
    ax.scatter(
        london["score"],
        london["label"].map(y),
        marker="|",
        s=260,
        color=pillar_profile.LONDON_COLOUR,
        linewidths=2.2,
        zorder=4,
    )
    borough = profile[profile["kind"] == "borough"]
    shown = borough.dropna(subset=["score"])
    ax.scatter(
        shown["score"],
        shown["label"].map(y),
        s=85,
        color=pillar_profile.BOROUGH_COLOUR,
        edgecolors="#ffffff",
        linewidths=0.8,
        zorder=5,
    )
    for label in borough.loc[borough["score"].isna(), "label"]:
        ax.text(0.01, y[label], "no data for this borough", va="center", fontsize=7.5, color="#555555")
    ax.set_yticks(list(y.values()), list(y.keys()), fontsize=8)
    ax.set_xlim(-0.02, 1.02)
    ax.set_ylim(-0.6, len(labels) - 0.4)
    ax.tick_params(axis="x", labelsize=7.5)
    ax.set_xlabel("Score: 0 = least need in London, 1 = most", fontsize=8)
    ax.grid(axis="x", color="#e3e3e3", linewidth=0.6)
    ax.set_axisbelow(True)
    for side in ("top", "right", "left"):
        ax.spines[side].set_visible(False)
    who = str(borough["who"].iloc[0])
    handles = [
        Line2D([], [], ls="", marker="o", ms=7, mfc=pillar_profile.BOROUGH_COLOUR, mec="#ffffff", label=who),
        Line2D(
            [],
            [],
            ls="",
            marker="|",
            ms=12,
            mew=2.2,
            color=pillar_profile.LONDON_COLOUR,
            label="London average (33 boroughs)",
        ),
    ]
    if len(near):
        handles.append(
            Line2D(
                [],
                [],
                ls="",
                marker="o",
                ms=6,
                mfc="none",
                mec=pillar_profile.NEIGHBOUR_COLOUR,
                mew=1.3,
                label="Statistical neighbours",
            )
        )
    fig.legend(handles=handles, loc="lower left", bbox_to_anchor=(0.01, 0.0), ncols=3, fontsize=7.5, frameon=False)
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=dpi)
    return buf.getvalue()


# --- Layout ---------------------------------------------------------------------------------------------------------

#: Characters the built-in fonts (WinAnsi) lack, with what to print instead.
