"""The tables of the compare page: boroughs side by side on their ranks, and their indicators in one number style."""

from __future__ import annotations

import pandas as pd

from cohesion_metrics.metadata import numbers
from cohesion_metrics.read import page_text

PERCENTILE_SUFFIX = " · percentile"


def summary(picked: pd.DataFrame) -> pd.DataFrame:
    """Need, capacity and priority ranks with how sure each is, class, exposure and coverage of the chosen boroughs.

    `picked` holds the boroughs' `cohesion_areas` rows, `page_frames.ranked_on` need, with their `area_name`.
    """
    return pd.DataFrame(
        {
            "Borough": picked["area_name"],
            "Need rank (1 = most need)": picked["need_rank"].astype("Int64"),
            "Need: " + page_text.TOP10_HEADING: page_text.certainty_words(picked["need_top10_share"]),
            "Need: " + page_text.RANGE_HEADING: page_text.likely_range(
                picked["need_rank_p05"], picked["need_rank_p95"]
            ),
            "Capacity rank (1 = least)": picked["capacity_rank"].astype("Int64"),
            "Priority rank": picked["priority_rank"].map(
                lambda r: "not a priority (capacity at or above London's median)" if pd.isna(r) else f"{int(r):,}"
            ),
            "Need x capacity class": picked["class_label"],
            "Exposed to hazards": picked["exposed"].map({True: "yes", False: ""}).fillna(""),
            "Indicator coverage": picked["coverage"],
        }
    )


def missing_indicators(long: pd.DataFrame) -> pd.Series:
    """Per borough (in order), the labels of the indicators it has no value for (`queries.borough_comparison`)."""
    return long[long["value"].isna()].groupby("area_name", sort=False)["label"].apply(list)


def percentile_columns(table: pd.DataFrame) -> list[str]:
    """The percentile columns of `charts.comparison_table`."""
    return [c for c in table.columns if c.endswith(PERCENTILE_SUFFIX)]


def shown_values(table: pd.DataFrame, value_cols: list[str]) -> pd.DataFrame:
    """`charts.comparison_table` as shown: each value in one number style by its row's unit (23.4%, 0.21, 1,250 m)."""
    kinds = table["Unit"].map(numbers.kind_for_unit)
    shown = table.drop(columns="indicator_id").copy()
    for c in value_cols:  # proportions as percentages
        shown[c] = [numbers.text(v, k) if pd.notna(v) else None for v, k in zip(table[c], kinds, strict=True)]
    return shown


def download_table(table: pd.DataFrame, value_cols: list[str]) -> pd.DataFrame:
    """`charts.comparison_table` for the CSV download: values and percentiles to 4 decimals."""
    return table.assign(**{c: table[c].round(4) for c in [*value_cols, *percentile_columns(table)]})
