"""GLA Curio Canopy: tree canopy cover per 2011 London LSOA (a cooling proxy, not a heat-risk index).

The publisher's `_kmsq` columns hold square metres (E01000001: 129,865), so they are named `_m2` here; a
plausibility check on LSOA areas catches a file that really is in square kilometres.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from cohesion_metrics import errors
from cohesion_metrics.extract import source_files, validate
from cohesion_metrics.metadata.boroughs import check_names_match_codes
from cohesion_metrics.metadata.levels import LEVELS_BY_CODE

FILE = "gla-canopy-lsoas.csv"
#: Every 2011 London LSOA.
ROWS = LEVELS_BY_CODE["lsoa11"].count
COLUMNS = {
    "lsoa_cd": "lsoa11_code",
    "lsoa_nm": "lsoa11_name",
    "la_cd": "borough_code",
    "lsoa_kmsq": "area_m2",
    "canopy_kmsq": "canopy_m2",
    "canopy_per": "canopy_pct",
}
#: London LSOAs measure about 18,000 m2 to 16 km2; a value below this suggests km2 rather than m2.
_MIN_AREA_M2 = 1_000.0
_MAX_AREA_M2 = 50_000_000.0
#: Published canopy_per may differ from canopy / area * 100 by rounding; larger gaps mean an edited file.
_PCT_TOLERANCE = 0.1


def load_tree_canopy(folder: Path, *, check_counts: bool = True) -> dict[str, pd.DataFrame]:
    """Read the canopy CSV into "lsoa_canopy", one row per 2011 London LSOA.

    Columns: `lsoa11_code`, `lsoa11_name`, `borough_code`, `area_m2`, `canopy_m2` and `canopy_pct` (the
    published percentage, checked against canopy / area).
    """
    path = folder / FILE
    text = {"lsoa_cd": "string", "lsoa_nm": "string", "la_cd": "string", "la_nm": "string"}
    raw = source_files.read_csv(path, [*COLUMNS, "la_nm"], dtype=text, fix="download it again.")
    if check_counts:
        validate.check_row_count(raw, ROWS, path=path)
    validate.check_codes(raw["lsoa_cd"], "lsoa", path=path, column="lsoa_cd", vintage=2011)
    validate.check_unique(raw["lsoa_cd"], path=path, column="lsoa_cd")
    validate.check_codes(raw["la_cd"], "borough", path=path, column="la_cd")
    validate.check_london(raw["la_cd"], path=path, column="la_cd")
    check_names_match_codes(raw["la_nm"], raw["la_cd"], path=path, name_column="la_nm", code_column="la_cd")
    nums = validate.to_numeric(raw, ["lsoa_kmsq", "canopy_kmsq", "canopy_per"], path=path)
    area, canopy, pct = nums["lsoa_kmsq"], nums["canopy_kmsq"], nums["canopy_per"]
    validate.check_range(area, _MIN_AREA_M2, _MAX_AREA_M2, path=path, column="lsoa_kmsq")
    validate.check_range(pct, 0, 100, path=path, column="canopy_per")
    validate.check_range(canopy, 0, _MAX_AREA_M2, path=path, column="canopy_kmsq")
    validate.raise_at_first(
        (canopy > area).to_numpy(),
        errors.ValueRangeError,
        lambda _, i: f"canopy area {canopy.iloc[i]} exceeds the LSOA area {area.iloc[i]}.",
        path=path,
        column="canopy_kmsq",
    )
    gap = (canopy / area * 100 - pct).abs()
    validate.raise_at_first(
        (gap > _PCT_TOLERANCE).to_numpy(),
        errors.ValueRangeError,
        lambda _, i: (
            f"canopy_per {pct.iloc[i]} differs from canopy / area * 100 by {gap.iloc[i]:.3f} points "
            f"(tolerance {_PCT_TOLERANCE})."
        ),
        path=path,
        column="canopy_per",
        fix="use the publisher's file unchanged.",
    )
    out = nums[list(COLUMNS)].rename(columns=COLUMNS)
    return {"lsoa_canopy": out}


def area_weighted_canopy_pct(frame: pd.DataFrame) -> float:
    """Canopy share of the total area of `frame`'s LSOAs, in percent (sum canopy_m2 / sum area_m2 * 100)."""
    return float(frame["canopy_m2"].sum() / frame["area_m2"].sum() * 100)
