"""How firm the ranks are, in plain English: stability words, summaries, rank moves and priority changes."""

from __future__ import annotations

import numpy as np
import pandas as pd

from cohesion_metrics.metadata.levels import LEVELS_BY_CODE
from cohesion_metrics.method import measures, uncertainty
from cohesion_metrics.method.framework import DEFAULT_DRAWS


def stability_explanations(n_areas: int, n_draws: int = DEFAULT_DRAWS) -> dict[str, str]:
    """Explain each stability label in words and in places (the thresholds are places, whatever `n_areas`)."""
    stable = measures.STABLE_MAX_PLACES
    fairly = measures.FAIRLY_STABLE_MAX_PLACES
    return {
        "stable": f"Stable: in {n_draws:,} re-runs with other plausible weights and normalisations, the rank stays "
        f"within a band of at most {stable:,} places (of {n_areas:,} areas). It can be relied on.",
        "fairly stable": f"Fairly stable: the band is at most {fairly:,} places. The area's "
        "broad position holds; its exact place does not.",
        "uncertain": f"Uncertain: the band is wider than {fairly:,} places. The rank depends on modelling choices: "
        "read the pillar scores and indicators before acting on it.",
        uncertainty.NOT_SCORED: "Not scored: too few of the indicators have data for this area.",
    }


def stability_summary(table: pd.DataFrame, level: str, measure: str = "need") -> str:
    """One sentence: how many areas' `measure` ranks are stable, fairly stable, uncertain (and not scored)."""
    counts = table[f"{measure}_stability"].replace("", uncertainty.NOT_SCORED).value_counts()
    parts = [
        f"{int(counts.get(label, 0)):,} {label}"
        for label in (*uncertainty.LABELS, uncertainty.NOT_SCORED)
        if label in uncertainty.LABELS or counts.get(label, 0)
    ]
    return f"Of {len(table):,} {LEVELS_BY_CODE[level].in_story}: " + ", ".join(parts) + "."


def rank_moves(
    custom: pd.DataFrame, default: pd.DataFrame, labels: pd.DataFrame, top: int = 15, measure: str = "need"
) -> pd.DataFrame:
    """Return the areas whose `measure` rank changes most between the default run and a custom run (ranked in both).

    Columns: label, default_rank, custom_rank, places (default - custom: positive = now ranked as more in need),
    stability (custom run). Largest absolute change first, then custom rank. Empty when nothing moves.
    """
    custom = custom.assign(rank=custom[f"{measure}_rank"], stability=custom[f"{measure}_stability"])
    default = default.assign(rank=default[f"{measure}_rank"])
    both = (
        custom[["area_code", "rank", "stability"]]
        .merge(default[["area_code", "rank"]], on="area_code", suffixes=("_custom", "_default"))
        .dropna(subset=["rank_custom", "rank_default"])
    )
    both = both.merge(labels[["area_code", "label"]], on="area_code", how="left")
    both["places"] = both["rank_default"].astype(int) - both["rank_custom"].astype(int)
    both = both[both["places"] != 0]
    both = both.assign(_abs=both["places"].abs()).sort_values(["_abs", "rank_custom"], ascending=[False, True])
    out = both.rename(columns={"rank_default": "default_rank", "rank_custom": "custom_rank"})
    out = out[["label", "default_rank", "custom_rank", "places", "stability"]].head(top)
    return out.astype({"default_rank": int, "custom_rank": int}).reset_index(drop=True)


def priority_changes(custom: pd.DataFrame, default: pd.DataFrame, labels: pd.DataFrame, top: int = 10) -> pd.DataFrame:
    """Before/after of the priority top `top`: who enters, who leaves, who moves, who stays.

    `custom` and `default` are `Assessment.area_table` frames (area_code, priority_rank, priority_top10_share).
    Columns: label, default_rank, rank_now (<NA> where not a priority), change ("enters", "leaves", "up 2",
    "down 1", "stays") and top10_share (custom run). Rows: the custom top first, then those that left.
    """
    now = custom[["area_code", "priority_rank", "priority_top10_share"]].rename(columns={"priority_rank": "rank_now"})
    before = default[["area_code", "priority_rank"]].rename(columns={"priority_rank": "default_rank"})
    both = now.merge(before, on="area_code", how="outer")
    in_now = both["rank_now"].le(top).fillna(False).astype(bool)
    in_before = both["default_rank"].le(top).fillna(False).astype(bool)
    both = both[in_now | in_before].copy()

    def change(row: pd.Series) -> str:
        now_in = pd.notna(row["rank_now"]) and row["rank_now"] <= top
        before_in = pd.notna(row["default_rank"]) and row["default_rank"] <= top
        if now_in and not before_in:
            return "enters"
        if before_in and not now_in:
            return "leaves"
        moved = int(row["default_rank"]) - int(row["rank_now"])
        return "stays" if moved == 0 else (f"up {moved}" if moved > 0 else f"down {-moved}")

    both["change"] = both.apply(change, axis=1) if len(both) else pd.Series(dtype="str")
    both = both.merge(labels[["area_code", "label"]], on="area_code", how="left")
    both["_order"] = np.where(both["change"] == "leaves", top + both["default_rank"].fillna(0), both["rank_now"])
    both = both.sort_values(["_order", "area_code"], kind="stable")
    out = both[["label", "default_rank", "rank_now", "change", "priority_top10_share"]]
    out = out.rename(columns={"priority_top10_share": "top10_share"})
    return out.astype({"default_rank": "Int64", "rank_now": "Int64"}).reset_index(drop=True)
