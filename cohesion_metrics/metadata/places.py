"""How a place is named on screen and in files: a neighbourhood with its ward, "Hackney 021F · Hoxton East & Shoreditch".

LSOA names are codes with the borough in front ("Camden 023D"); the ward says where that is. Wards and boroughs keep
their own names. `place_name` is the one rule; `queries.place_names` applies it to a level's areas.
"""

from __future__ import annotations

import pandas as pd

from cohesion_metrics.metadata.levels import LEVELS

#: The ward level whose name follows a neighbourhood's, per neighbourhood level (other levels: the name alone).
WARD_OF = {level.code: level.ward_level for level in LEVELS if level.ward_level}
SEPARATOR = " · "


def place_name(level: str, area_name: str, ward_name: str | None = None) -> str:
    """A place's display name at a level: "<LSOA name> · <ward name>" for neighbourhoods with a ward, else the name."""
    if level in WARD_OF and isinstance(ward_name, str) and ward_name:
        return f"{area_name}{SEPARATOR}{ward_name}"
    return area_name


def place_names(level: str, area_names: pd.Series, ward_names: pd.Series | None = None) -> pd.Series:
    """`place_name` over aligned series (a missing ward leaves the name alone)."""
    if ward_names is None or level not in WARD_OF:
        return area_names.astype(str)
    wards = ward_names.reindex(area_names.index)
    return pd.Series(
        [place_name(level, str(a), w if isinstance(w, str) else None) for a, w in zip(area_names, wards, strict=True)],
        index=area_names.index,
        dtype="object",
    )


#: Map labels of the boroughs: outer London by (short) name, inner London's small boroughs by a three-letter code,
#: so that 33 labels fit a slide's map without overlapping.
_SHORT = {
    "Barking and Dagenham": "B&D",
    "Kingston upon Thames": "Kingston",
    "Richmond upon Thames": "Richmond",
    "Waltham Forest": "Waltham F.",
    "City of London": "CTY",
    "Camden": "CMD",
    "Hackney": "HCK",
    "Hammersmith and Fulham": "H&F",
    "Haringey": "HGY",
    "Islington": "ISL",
    "Kensington and Chelsea": "K&C",
    "Lambeth": "LAM",
    "Lewisham": "LEW",
    "Newham": "NWM",
    "Southwark": "SWK",
    "Tower Hamlets": "TH",
    "Wandsworth": "WAN",
    "Westminster": "WST",
}


def short_borough_name(name: str) -> str:
    """A borough's map label: "Kingston" for "Kingston upon Thames", "ISL" for Islington (inner London)."""
    return _SHORT.get(name, name)
