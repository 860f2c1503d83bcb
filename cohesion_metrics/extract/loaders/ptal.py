"""TfL Public Transport Accessibility Levels (2015 network), averaged per 2011 London LSOA.

The published `PTAL` column mixes forms ("1a", "6b" and "2.00000" ... "5.00000" for the numeric bands, as a
database export writes them): it is normalised to the band text ("1a", "1b", "2" ... "5", "6a", "6b").
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from cohesion_metrics import errors
from cohesion_metrics.extract import source_files, validate
from cohesion_metrics.metadata.levels import LEVELS_BY_CODE

FILE = "LSOA2011 AvPTAI2015.csv"
#: Every 2011 London LSOA.
ROWS = LEVELS_BY_CODE["lsoa11"].count
BANDS = ("0", "1a", "1b", "2", "3", "4", "5", "6a", "6b")
#: Published -> tidy columns.
_COLUMNS = {
    "LSOA2011": "lsoa11_code",
    "AvPTAI2015": "av_ptai_2015",
    "PTAL": "ptal",
    "PTAIHigh": "ptai_high",
    "PTAILow": "ptai_low",
}
#: The Access Index runs from 0 (no service) to a few hundred in central London.
_MAX_PTAI = 2_000.0


def normalise_band(text: str) -> str:
    """Return a PTAL band as text: "2.00000" -> "2", " 6B " -> "6b"; other text is returned trimmed, lower case."""
    band = str(text).strip().lower()
    if band.replace(".", "", 1).isdigit() and float(band) == int(float(band)):
        return str(int(float(band)))
    return band


def load_ptal(folder: Path, *, check_counts: bool = True) -> dict[str, pd.DataFrame]:
    """Read the PTAL CSV into "lsoa_ptal", one row per 2011 London LSOA.

    Columns: `lsoa11_code`, `av_ptai_2015` (mean Access Index of the LSOA's grid points, higher = better access),
    `ptal` (band of that mean, normalised text), `ptai_high`, `ptai_low` (highest and lowest grid-point index).
    """
    path = Path(folder) / FILE
    raw = source_files.read_csv(
        path,
        list(_COLUMNS),
        dtype={"LSOA2011": "string", "PTAL": "string"},
        fix="download the file again from the London Datastore.",
    )
    if check_counts:
        validate.check_row_count(raw, ROWS, path=path)
    validate.check_codes(raw["LSOA2011"], "lsoa", path=path, column="LSOA2011", vintage=2011)
    validate.check_unique(raw["LSOA2011"], path=path, column="LSOA2011")
    nums = validate.to_numeric(raw, ["AvPTAI2015", "PTAIHigh", "PTAILow"], path=path)
    for column in ("AvPTAI2015", "PTAIHigh", "PTAILow"):
        validate.check_range(nums[column], 0, _MAX_PTAI, path=path, column=column)
    validate.raise_at_first(
        ((nums["PTAILow"] > nums["AvPTAI2015"]) | (nums["AvPTAI2015"] > nums["PTAIHigh"])).to_numpy(),
        errors.ValueRangeError,
        lambda _, i: (
            f"the mean index {nums['AvPTAI2015'].iloc[i]} is not between the lowest ({nums['PTAILow'].iloc[i]}) "
            f"and highest ({nums['PTAIHigh'].iloc[i]})."
        ),
        path=path,
        column="AvPTAI2015",
        fix="use the publisher's file unchanged.",
    )
    band = raw["PTAL"].fillna("").map(normalise_band).astype("string")
    validate.raise_at_first(
        (~band.isin(BANDS)).to_numpy(),
        errors.ValueRangeError,
        lambda n, i: f"{n} value(s) are not PTAL bands {list(BANDS)}; first is {raw['PTAL'].iloc[i]!r}.",
        path=path,
        column="PTAL",
        fix="use the publisher's file unchanged.",
    )
    out = nums.assign(PTAL=band)[list(_COLUMNS)].rename(columns=_COLUMNS)
    return {"lsoa_ptal": out.sort_values("lsoa11_code", ignore_index=True)}
