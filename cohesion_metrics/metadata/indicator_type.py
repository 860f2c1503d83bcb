"""The `Indicator` type, and the level sets and method texts the indicator declarations share."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Indicator:
    """One indicator and everything needed to read, score and explain it."""

    id: str
    label: str
    definition: str
    pillar: str
    #: True where a higher value means more need; None for context measures (ranks/deciles shown as published).
    higher_is_more_need: bool | None
    unit: str
    source_id: str
    vintage: str
    #: Levels at which values exist (the first is the native level).
    levels: tuple[str, ...]
    #: Raw table and column for indicators read directly, e.g. table "lsoa_scores", column "income_score".
    table: str | None = None
    column: str | None = None
    #: Row filter for long raw tables, e.g. {"measure": "anxiety", "period": "2018/19"}.
    where: tuple[tuple[str, str], ...] = ()
    #: For Census 2021 rates computed at LSOA 2021: numerator columns and the denominator column of `table`.
    numerator: tuple[str, ...] = ()
    denominator: str | None = None
    #: Multiplier applied to a ratio (100 for percentages).
    scale: float = 1.0
    #: Part of the default composite (pillar indicators with a direction).
    in_composite: bool = False
    method: str = "As published."
    note: str = ""


AGGREGATED = ("lsoa11", "ward", "borough")
POP_MEAN = "Ward and borough values: population-weighted mean of the LSOA values (mid-2015 denominators)."
#: Current levels: LSOA 2021, current wards (2022 boundaries), boroughs.
CURRENT = ("lsoa21", "ward22", "borough")
#: LSOA 2011 values carried to LSOA 2021 (native level first).
CARRIED = ("lsoa11", "ward", "lsoa21", "ward22", "borough")
CARRY = (
    "Published for LSOA 2011. LSOA 2021 values through the ONS exact lookup: unchanged and split LSOAs carry the "
    "2011 value, merged ones the mean of their parents weighted by mid-2015 population, complex ones are left "
    "missing (assignment lookup_unchanged / lookup_split / lookup_merged). 2014 wards: population-weighted mean of "
    "the LSOA 2011 values (mid-2015); current wards and boroughs: Census-2021-population-weighted mean of the "
    "LSOA 2021 values."
)
CURRENT_MEAN = "Current wards and boroughs: Census-2021-population-weighted mean of the LSOA 2021 values."
IOD_VINTAGE = "IoD2019 (data mostly 2015/16)"
IOD_SOURCE = "iod2019_gla_london"
