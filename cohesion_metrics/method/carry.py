"""LSOA 2011 values carried to LSOA 2021 through the ONS exact lookup (CHGIND), as one pure function over frames.

- U (unchanged) and S (split: one 2011 parent, several 2021 children): the child carries its parent's value
  (values are rates, scores or ranks, never counts).
- M (merged: several 2011 parents, one 2021 child): the population-weighted mean of the parents' values (weights:
  the parents' populations, e.g. the IoD2019 mid-2015 denominators), over the parents that have a value.
- X (complex): flagged and left missing (assignment "lookup_complex", value NaN).
- Any other change indicator: UnknownChangeIndicatorError naming the file, row and value.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from cohesion_metrics import errors
from cohesion_metrics.extract import validate

#: CHGIND -> assignment recorded with every carried value.
ASSIGNMENTS = {"U": "lookup_unchanged", "S": "lookup_split", "M": "lookup_merged", "X": "lookup_complex"}
#: When a 2021 LSOA's rows carry several indicators (never in the ONS file), the most cautious rule wins.
_PRECEDENCE = ("X", "M", "S", "U")


def carry_2011_to_2021(
    values: pd.DataFrame,
    lookup: pd.DataFrame,
    population: pd.Series,
    *,
    path: Path | str = "LSOA 2011 -> 2021 lookup",
    first_row: int = 2,
) -> pd.DataFrame:
    """Carry long `values` (lsoa11_code, indicator_id, value) to LSOA 2021.

    `lookup` has one row per (lsoa11_code, lsoa21_code) pair with the ONS `change` indicator, in file order (its
    index + `first_row` is the file row named in errors); `population` is indexed by lsoa11_code. Returns
    lsoa21_code, indicator_id, value, assignment, one row per 2021 LSOA of the lookup and indicator.
    """
    for column in ("lsoa11_code", "lsoa21_code", "change"):
        if column not in lookup.columns:
            raise errors.ColumnMismatchError(f"the lookup has no {column!r} column.", path=path, column=column)
    validate.on_file_rows(
        validate.raise_at_first,
        ~lookup["change"].isin(list(ASSIGNMENTS)),
        errors.UnknownChangeIndicatorError,
        lambda n, i: (
            f"{n} row(s) have a change indicator other than {list(ASSIGNMENTS)}; first is "
            f"{lookup['change'].iloc[i]!r} (LSOA 2011 {lookup['lsoa11_code'].iloc[i]})."
        ),
        path=path,
        column="CHGIND",
        first_row=first_row,
        fix="use the ONS exact-fit lookup unchanged.",
    )
    rank = {c: i for i, c in enumerate(_PRECEDENCE)}
    child_change = (
        lookup.assign(_rank=lookup["change"].map(rank))
        .groupby("lsoa21_code")["_rank"]
        .min()
        .map(dict(enumerate(_PRECEDENCE)))
    )
    pairs = lookup[["lsoa11_code", "lsoa21_code"]].merge(values, on="lsoa11_code", how="left")
    # One parent (U, S): its value as it is; several (M): weighted by the parents' populations.
    merged = pairs["lsoa21_code"].map(child_change).isin(["M", "X"])
    pairs["weight"] = np.where(merged, pairs["lsoa11_code"].map(population).astype("float64"), 1.0)
    ok = pairs["value"].notna() & pairs["weight"].notna() & (pairs["weight"] > 0)
    pairs["wv"] = np.where(ok, pairs["value"] * pairs["weight"], 0.0)
    pairs["w"] = np.where(ok, pairs["weight"], 0.0)
    pairs = pairs.dropna(subset=["indicator_id"])
    sums = pairs.groupby(["lsoa21_code", "indicator_id"], sort=True)[["wv", "w"]].sum().reset_index()
    out = sums.assign(value=sums["wv"] / sums["w"].where(sums["w"] > 0))
    change = out["lsoa21_code"].map(child_change)
    out.loc[change == "X", "value"] = np.nan
    out["assignment"] = change.map(ASSIGNMENTS)
    return out[["lsoa21_code", "indicator_id", "value", "assignment"]].reset_index(drop=True)
