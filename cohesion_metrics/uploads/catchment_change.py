"""What a session's own spaces change in the catchments, in words and as a table (no uploads kept here)."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from cohesion_metrics.metadata.spaces import SPACE_GROUPS
from cohesion_metrics.read import page_frames
from cohesion_metrics.uploads.analysis import catchment_indicator


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


@dataclass(frozen=True)
class SpacesChange:
    """What a session's spaces change, as the local-data page says it."""

    #: How the uploaded spaces were counted, or None if none was.
    counted: str | None
    #: What changes, or why nothing does.
    summary: str
    #: The neighbourhoods gaining residents within 800 m (`gains_table`), or None when none does.
    table: pd.DataFrame | None


def spaces_change(
    catchments: pd.DataFrame, names: pd.Series, found: pd.DataFrame, open_data: pd.DataFrame
) -> SpacesChange:
    """What the uploaded spaces `found` change in `catchments` (`analysis.catchments_with_uploads`).

    `names` are the LSOA 2011 display names by code; `open_data` the open data's spaces (`CatchmentBase.spaces`).
    """
    gained, no_longer_far = gains(catchment_indicator(catchments, page_frames.FAR_INDICATOR), names)
    counted = counted_as(page_frames.upload_groups(found))
    n_community = int(found["space_type"].isin(SPACE_GROUPS["community"]).sum())
    n_open_data = int(open_data["space_type"].isin(SPACE_GROUPS["community"]).sum())
    if gained.empty:
        return SpacesChange(counted, nothing_gained(n_community, len(found), n_open_data), None)
    summary = what_changes(n_community, len(found), n_open_data, len(gained), len(no_longer_far))
    return SpacesChange(counted, summary, gains_table(gained))
