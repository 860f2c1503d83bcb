"""What a session's own spaces change in the catchments, in words and as a table (no uploads kept here)."""

from __future__ import annotations

import pandas as pd

from cohesion_metrics.read import page_frames


def gains(change: pd.DataFrame, names: pd.Series) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The neighbourhoods gaining residents within 800 m (most first) and those no longer mostly far.

    `change` is `analysis.catchment_indicator` of the far indicator; `names` the display names by code.
    """
    named = change.assign(area_name=change["area_code"].map(names))
    gained = named[named["change"] > 0].sort_values("change", ascending=False)
    no_longer_far = gained[
        (gained["value_without_uploads"] < page_frames.FAR_BELOW_PCT) & (gained["value"] >= page_frames.FAR_BELOW_PCT)
    ]
    return gained, no_longer_far


def counted_as(joined: pd.DataFrame) -> str | None:
    """How the uploaded spaces were counted (`page_frames.upload_groups`), or None if none was."""
    if not len(joined):
        return None
    return (
        "How your spaces were counted: "
        + "; ".join(f"{r.n:,} {r.type_label.lower()} → *{r.group_label}*" for r in joined.itertuples())
        + "."
    )


def nothing_gained(n_community: int, n_found: int, n_open_data: int) -> str:
    """Why the uploaded spaces change no catchment."""
    return (
        f"Your {n_community:,} community centres and libraries (of the {n_found:,} spaces kept) add "
        f"no residents within 800 m of one to the {n_open_data:,} in the open data: every neighbourhood "
        "near them already had one that close. Nothing changes on the borough explorer's outlines."
    )


def what_changes(n_community: int, n_found: int, n_open_data: int, n_gained: int, n_no_longer_far: int) -> str:
    """What the uploaded spaces change: neighbourhoods gaining residents within 800 m, and no longer mostly far."""
    return (
        f"With your {n_community:,} community centres and libraries (of the {n_found:,} spaces "
        f"kept) added to the {n_open_data:,} in the open data, **{n_gained:,}** neighbourhoods gain "
        "residents within 800 m of one, and "
        f"**{n_no_longer_far:,}** are no longer among those where most residents live beyond 800 m. "
        "The borough explorer now shows your spaces on its map and uses them for its black outlines."
    )


def gains_table(gained: pd.DataFrame) -> pd.DataFrame:
    """The neighbourhoods gaining residents within 800 m, with the share before and after."""
    return pd.DataFrame(
        {
            "Neighbourhood": gained["area_name"],
            "Code": gained["area_code"],
            "Residents within 800 m, open data (%)": gained["value_without_uploads"],
            "With your spaces (%)": gained["value"],
        }
    )
