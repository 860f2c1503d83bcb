"""Widgets the pages share: the zoomable maps' plotly config and tables in the app's one number style."""

from __future__ import annotations

from typing import Any

import pandas as pd
import streamlit as st

from cohesion_metrics.figures.page_maps import CHART_CONFIG
from cohesion_metrics.metadata import numbers

__all__ = ["CHART_CONFIG", "show_table"]


def show_table(table: pd.DataFrame, *, key: str, height: int | str = "auto", **kwargs: Any) -> None:
    """A table in the app's one number style (cohesion_metrics.metadata.numbers), every heading wide enough to read whole.

    Numeric columns are formatted by the kind their heading names (ranks with separators, scores 2 decimals,
    percentages as percentages); text columns are as wide as their heading or longest value, up to 380 px.
    """

    shown = table.copy()
    config: dict[str, Any] = {}
    for col in shown.columns:
        heading = str(col)
        head_px = 8 * len(heading) + 36  # ~8 px a character at the table's 14 px, plus the sort icon
        if pd.api.types.is_numeric_dtype(shown[col]) and not pd.api.types.is_bool_dtype(shown[col]):
            kind = numbers.kind_for_heading(heading)
            shown[col] = numbers.for_display(shown[col], kind)
            config[heading] = st.column_config.NumberColumn(heading, format=numbers.column_format(kind), width=head_px)
        else:
            longest = int(shown[col].astype(str).str.len().max()) if len(shown) else 0
            config[heading] = st.column_config.Column(heading, width=min(max(head_px, 7 * longest + 24), 380))
    st.dataframe(shown, hide_index=True, column_config=config, key=key, height=height, **kwargs)
