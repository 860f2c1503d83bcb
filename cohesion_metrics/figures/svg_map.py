"""The values-only message of the London map component: colours, hover numbers and legend of one measure.

The component (app_pages/_svg_map.py, app_pages/svg_map.js) draws each area's path once from the level's paths
file (`svg_paths`) and recolours it from this message on every rerun. Values travel in the paths file's feature order
as base64 typed arrays (float32 values and int16 ranks; for the classes one byte per class code and per score in
hundredths): an LSOA map is 20-65 kB, against ~50 kB of plotly spec plus a full SVG rebuild before. Palettes are those of `maps` (YlOrRd for need, reversed when lower is
more need; cividis for context; the 3 x 3 bivariate classes). No Streamlit here.
"""

from __future__ import annotations

import base64
from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd
from plotly.colors import sample_colorscale, unconvert_from_RGB_255, unlabel_rgb

from cohesion_metrics.figures import maps
from cohesion_metrics.metadata import numbers

STEPS = 32  # colours of a continuous scale: finer than the eye tells apart on a choropleth


def _hex(rgb: str) -> str:
    r, g, b = (round(c * 255) for c in unconvert_from_RGB_255(unlabel_rgb(rgb)))
    return f"#{r:02x}{g:02x}{b:02x}"


def palette(scale: str) -> list[str]:
    """`STEPS` hex colours sampled evenly from a plotly colour scale (low to high)."""
    return [_hex(c) for c in sample_colorscale(scale, [i / (STEPS - 1) for i in range(STEPS)])]


def _b64(array: np.ndarray) -> str:
    return base64.b64encode(np.ascontiguousarray(array).tobytes()).decode("ascii")


def _in_order(frame: pd.DataFrame, index: Mapping[str, int], column: str, fill: float) -> np.ndarray:
    out = np.full(len(index), fill, dtype="float64")
    pos = frame["area_code"].map(index)
    ok = pos.notna()
    out[pos[ok].astype(int).to_numpy()] = pd.to_numeric(frame.loc[ok, column], errors="coerce").to_numpy("float64")
    return out


#: Outline of the exposed overlay (Okabe-Ito yellow, as on the plotly map).
EXPOSED_COLOUR = "#f0e442"


def classes_message(frame: pd.DataFrame, index: Mapping[str, int]) -> dict[str, Any]:
    """Message of the need x capacity classes map: class codes 1..9, need and capacity for hover.

    `frame` has area_code, value (class code), class_label, need, capacity, exposed (`page_frames.measure_frame`).
    """
    labels = {int(k): str(v) for k, v in frame.dropna(subset=["value"]).groupby("value")["class_label"].first().items()}
    # need and capacity are 0-1 scores shown with 2 decimals: hundredths in one byte each (255 = no data)
    extra = np.column_stack([_in_order(frame, index, c, np.nan) for c in ("need", "capacity")])
    codes = np.nan_to_num(_in_order(frame, index, "value", 0), nan=0).astype("uint8")  # 0 = no data
    return {
        "kind": "classes",
        "values": _b64(codes),
        "extra": _b64(np.where(np.isfinite(extra), np.round(extra * 100), 255).astype("uint8").reshape(-1)),
        "palette": [maps.NO_DATA_COLOUR] + [maps.class_colour(c) for c in range(1, 10)],
        "class_labels": [""] + [labels.get(c, "") for c in range(1, 10)],
        "highlight": maps.PRIORITY_CLASS,
        "no_data": maps.NO_DATA_COLOUR,
        # The overlay: high need, low capacity and in London's most exposed third for hazards (1 = outlined).
        "exposed": _b64(np.nan_to_num(_in_order(frame, index, "exposed", 0), nan=0).astype("uint8")),
        "exposed_colour": EXPOSED_COLOUR,
    }


def measure_message(
    frame: pd.DataFrame,
    index: Mapping[str, int],
    *,
    label: str,
    unit: str,
    higher_is_more_need: bool | None,
    has_interval: bool = False,
    legend_title: str | None = None,
) -> dict[str, Any]:
    """Message of a measure's map: dark = more need; hover shows value, rank of n (and its likely range).

    `frame` has area_code, value, rank, rank_p05, rank_p95 (`page_frames.measure_frame`); `unit` is the measure's unit,
    whose number kind (`numbers.kind_for_unit`) sets how hover and legend format the values.
    """
    values = _in_order(frame, index, "value", np.nan)
    finite = values[np.isfinite(values)]
    columns = ["rank", "rank_p05", "rank_p95"] if has_interval else ["rank"]
    ranks = np.column_stack([_in_order(frame, index, c, -1) for c in columns])
    ranks = np.nan_to_num(ranks, nan=-1).round().clip(-1, 2**15 - 1).astype("int16")
    kind = numbers.kind_for_unit(unit)
    scale = 100.0 if kind in numbers.SCALED else 1.0
    return {
        "kind": "measure",
        "values": _b64((values * scale).astype("float32")),
        "ranks": _b64(ranks.reshape(-1)),
        "rank_cols": len(columns),
        "rank_n": int(frame["rank"].notna().sum()),
        "rank_words": "(1 = most need)" if higher_is_more_need is not None else "(1 = highest)",
        "palette": palette(maps.CONTEXT_SCALE if higher_is_more_need is None else maps.SEQUENTIAL),
        "reverse": higher_is_more_need is False,
        "vmin": float(finite.min() * scale) if len(finite) else 0.0,
        "vmax": float(finite.max() * scale) if len(finite) else 1.0,
        "digits": numbers.DECIMALS[kind],
        "label": label,
        "unit": unit,
        "legend_title": legend_title or f"{label} ({unit})",
        "highlight": None,
        "no_data": maps.NO_DATA_COLOUR,
    }
