"""GLA Curio Canopy: tree canopy cover per 2011 London LSOA (a cooling proxy, not a heat-risk index).

The publisher's `_kmsq` columns hold square metres (E01000001: 129,865), so they are named `_m2` here; a
plausibility check on LSOA areas catches a file that really is in square kilometres.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from cohesion_metrics import errors, validate
from cohesion_metrics.boroughs import borough_codes_for
from cohesion_metrics.settings import LONDON_LAD_CODES

FILE = "gla-canopy-lsoas.csv"
#: Every 2011 London LSOA.
ROWS = 4_835
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
    validate.require_file(path)
    try:
        raw = pd.read_csv(path, dtype={"lsoa_cd": "string", "lsoa_nm": "string", "la_cd": "string", "la_nm": "string"})
    except (UnicodeDecodeError, pd.errors.ParserError, pd.errors.EmptyDataError) as exc:
        raise errors.CorruptFileError(f"the CSV cannot be read ({exc}).", path=path, fix="download it again.") from exc
    validate.require_columns(raw, [*COLUMNS, "la_nm"], path=path)
    if check_counts:
        validate.check_row_count(raw, ROWS, path=path)
    validate.check_codes(raw["lsoa_cd"], "lsoa", path=path, column="lsoa_cd", vintage=2011)
    validate.check_unique(raw["lsoa_cd"], path=path, column="lsoa_cd")
    validate.check_codes(raw["la_cd"], "borough", path=path, column="la_cd")
    outside = (~raw["la_cd"].isin(LONDON_LAD_CODES)).to_numpy(dtype=bool)
    if outside.any():
        pos = int(outside.nonzero()[0][0])
        raise errors.CodeFormatError(
            f"{raw['la_cd'].iloc[pos]!r} is not a London borough (E09000001..E09000033).",
            path=path,
            column="la_cd",
            row=2 + pos,
        )
    from_name = borough_codes_for(raw["la_nm"], path=path, column="la_nm")
    wrong = (from_name.to_numpy() != raw["la_cd"].to_numpy()).nonzero()[0]
    if len(wrong):
        pos = int(wrong[0])
        raise errors.CodeFormatError(
            f"borough code {raw['la_cd'].iloc[pos]!r} does not match borough name {raw['la_nm'].iloc[pos]!r}.",
            path=path,
            column="la_cd",
            row=2 + pos,
            fix="use the publisher's file unchanged.",
        )
    nums = validate.to_numeric(raw, ["lsoa_kmsq", "canopy_kmsq", "canopy_per"], path=path)
    validate.check_range(nums["lsoa_kmsq"], _MIN_AREA_M2, _MAX_AREA_M2, path=path, column="lsoa_kmsq")
    validate.check_range(nums["canopy_per"], 0, 100, path=path, column="canopy_per")
    validate.check_range(nums["canopy_kmsq"], 0, _MAX_AREA_M2, path=path, column="canopy_kmsq")
    over = (nums["canopy_kmsq"] > nums["lsoa_kmsq"]).to_numpy()
    if over.any():
        pos = int(over.nonzero()[0][0])
        raise errors.ValueRangeError(
            f"canopy area {nums['canopy_kmsq'].iloc[pos]} exceeds the LSOA area {nums['lsoa_kmsq'].iloc[pos]}.",
            path=path,
            column="canopy_kmsq",
            row=2 + pos,
        )
    gap = (nums["canopy_kmsq"] / nums["lsoa_kmsq"] * 100 - nums["canopy_per"]).abs()
    off = (gap > _PCT_TOLERANCE).to_numpy()
    if off.any():
        pos = int(off.nonzero()[0][0])
        raise errors.ValueRangeError(
            f"canopy_per {nums['canopy_per'].iloc[pos]} differs from canopy / area * 100 by {gap.iloc[pos]:.3f} "
            f"points (tolerance {_PCT_TOLERANCE}).",
            path=path,
            column="canopy_per",
            row=2 + pos,
            fix="use the publisher's file unchanged.",
        )
    out = nums[list(COLUMNS)].rename(columns=COLUMNS)
    return {"lsoa_canopy": out}


def area_weighted_canopy_pct(frame: pd.DataFrame) -> float:
    """Canopy share of the total area of `frame`'s LSOAs, in percent (sum canopy_m2 / sum area_m2 * 100)."""
    return float(frame["canopy_m2"].sum() / frame["area_m2"].sum() * 100)
