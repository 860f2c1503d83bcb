"""The weights page's words and tables: the choices' labels, the effective weights and the full priority list."""

from __future__ import annotations

import pandas as pd

from cohesion_metrics.metadata.indicators import PILLARS_BY_ID
from cohesion_metrics.metadata.levels import LEVELS_BY_CODE
from cohesion_metrics.read import page_text

PRESET_LABELS = {
    "equal_pillars": "Equal across pillars",
    "equal_indicators": "Equal across indicators",
    "custom": "Custom (pillar sliders)",
}
METHOD_LABELS = {"rank": "Percentile rank", "minmax": "Min-max", "zscore": "z-score"}
#: What each normalisation does, in METHODS order.
METHOD_CAPTIONS = ["robust to outliers (default)", "keeps the spread", "distance from the mean in sds"]


def effective_weights(weights: tuple[tuple[str, float], ...]) -> str | None:
    """The custom pillar weights as shares of their total ("Effective pillar weights: …"), None if all are 0."""
    total = sum(w for _, w in weights)
    if total <= 0:
        return None
    return "Effective pillar weights: " + ", ".join(f"{PILLARS_BY_ID[p].label} {w / total:.0%}" for p, w in weights)


def no_moves_reason(preset: str, method: str, level: str) -> str:
    """Why no need rank moves under these settings."""
    return "No need rank moves: " + (
        "the pillar weights and normalisation are the defaults."
        if preset == "equal_pillars" and method == "rank"
        else f"at {LEVELS_BY_CODE[level].in_story} level, need rests on pillars these settings do not change."
    )


def priority_list(table: pd.DataFrame) -> pd.DataFrame:
    """The full priority list of a run (`framework` area table with labels), first first, with how sure each is."""
    listed = table[table["priority_rank"].notna()].sort_values("priority_rank")
    return listed.assign(
        how_sure=page_text.certainty_words(listed["priority_top10_share"]),
        likely=page_text.likely_range(listed["priority_rank_p05"], listed["priority_rank_p95"]),
    )[["priority_rank", "label", "need", "capacity", "hazard", "how_sure", "likely", "class_label"]]


#: Headings of the before-and-after table (`robustness.priority_changes` columns).
CHANGES_HEADINGS = {
    "label": "Place",
    "default_rank": "Default rank",
    "rank_now": "Rank now",
    "change": "Change",
    "top10_share": page_text.TOP10_HEADING,
}
#: Headings of the text columns of the rank moves (`robustness.rank_moves`) and the full priority list.
MOVES_HEADINGS = {
    "label": "Area",
    "default_rank": "Default need rank",
    "custom_rank": "Need rank now",
    "stability": "Rank is",
}
LIST_HEADINGS = {
    "priority_rank": "Priority",
    "label": "Area",
    "how_sure": page_text.TOP10_HEADING,
    "likely": page_text.RANGE_HEADING,
    "class_label": "Need x capacity class",
}
#: Score columns of the full priority list and their headings (shown to 2 decimals).
LIST_SCORES = {"need": "Need (0-1)", "capacity": "Cohesion capacity (0-1)", "hazard": "Hazard exposure (0-1)"}
