"""What the local-data page tells a user: what each upload holds, an example file, and what was read from theirs."""

from __future__ import annotations

from cohesion_metrics.metadata.levels import LEVELS_BY_CODE
from cohesion_metrics.uploads.cells import MAX_UPLOAD_MB
from cohesion_metrics.uploads.cells import escape_markdown as md

#: The local-data page's tabs.
TABS = ["Spaces (CSV)", "An indicator (CSV)", "Custom areas (GeoJSON, GeoPackage)"]
INTRO = (
    "Bring what the open data does not know: your own community centres and warm spaces, a local survey, or the "
    "areas you plan by. They join the catchments, the priority and the maps, for you alone."
)
SPACES_FORMAT = (
    "One row per space: **name**, **type** (e.g. community centre, library, place of worship, arts centre, youth "
    "centre) and either **latitude/longitude** (WGS84) or British National Grid **easting/northing**. "
    f"Up to {MAX_UPLOAD_MB} MB; UTF-8, UTF-8 with BOM or Windows-1252."
)
#: The example spaces file's columns.
SPACES_EXAMPLE = {
    "name": ["Hackney Marsh Community Hall", "Stoke Newington Library"],
    "type": ["community centre", "library"],
    "latitude": [51.5560, 51.5617],
    "longitude": [-0.0336, -0.0757],
}
INDICATOR_FORMAT = (
    'One row per area: an **LSOA 2021** or **LSOA 2011 code** (E01…; a header with "21" or codes made in 2021 '
    "read as LSOA 2021) or a **ward code** (E05…, the 2022 wards or the GLA 2014 wards) and one numeric column, "
    "e.g. a local survey's share of residents who feel they belong. It can join need or cohesion capacity in a "
    "pillar, with the weight you choose, and so the priority."
)
AREAS_FORMAT = (
    "Polygons of the areas you plan by (e.g. neighbourhood forums, primary care networks) as **GeoJSON** or "
    "**GeoPackage**, in WGS84 or British National Grid, with a name column. Each area gets the "
    "population-weighted mean of the neighbourhoods whose population-weighted centre lies in it."
)
#: Help of the slider setting the uploaded indicator's share of the weight.
SHARE_HELP = "The other indicators keep their relative weights on the rest."
#: Re-runs with other reasonable weights behind the priority with an uploaded indicator.
LOCAL_DRAWS = 200


def indicator_read(value_column: str, level: str, n_covered: int, n_total: int) -> str:
    """What was read from an uploaded indicator: its column (escaped), the level and how many areas have a value."""
    one, many = LEVELS_BY_CODE[level].noun, LEVELS_BY_CODE[level].nouns
    return f"Read **{md(value_column)}** by {one} code: {n_covered:,} of London's {n_total:,} {many} have a value."


def indicator_priority_caption(n_valid: int, level: str, pillar_label: str) -> str:
    """The caption of the priority with an uploaded indicator: what is listed and how sure each place is."""
    many = LEVELS_BY_CODE[level].nouns
    return (
        f"Your {n_valid:,} {many} in London's priority list (1 = first; only places below London's "
        f"median cohesion capacity are listed), your indicator in the {pillar_label} pillar. "
        f"Areas without your value are scored on the other indicators. How sure: the share of {LOCAL_DRAWS} re-runs "
        "with other reasonable weights in which a place is in London's top 10; likely rank range: 5th to 95th "
        "percentile."
    )


def all_areas_label(n_areas: int, level: str) -> str:
    """The label of the download of the priority with an uploaded indicator, for all `n_areas` areas."""
    return f"All {n_areas:,} {LEVELS_BY_CODE[level].nouns} (CSV)"
