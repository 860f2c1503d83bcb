"""British Red Cross: residents in Flood Zone 3 per 2011 LSOA (derived from EA Flood Zone 3).

A third-party derivation for the British Red Cross Resilience Index: OA 2011 population-weighted centroids in the
Environment Agency's Flood Zone 3 (rivers and sea, flood defences ignored), mid-2019 population. It says nothing
of surface-water flooding, London's main flood risk. LSOAs the file does not list have no resident in Flood Zone 3
(0, not missing): the build fills them.

The file carries no local-authority code, so the loader keeps every English row (3,388) and the build keeps
London's (706) by joining to the London 2011 LSOAs.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from cohesion_metrics import errors
from cohesion_metrics.extract import source_files, validate

FILE = "Flood risks - LSOA.csv"
#: Published rows: England 3,388, Wales 309, Northern Ireland 455 (codes "95...").
ROWS, ENGLAND_ROWS = 4_152, 3_388
_COLUMNS = {
    "LSOA11CD": "lsoa11_code",
    "No. people in flood risk areas": "people_in_fz3",
    "% people in flood risk areas": "share_in_fz3",
}
#: The share is a 0-1 ratio despite its name; mixing population vintages takes a few rows slightly above 1.
_MAX_SHARE = 1.05


def load_brc_flood(folder: Path, *, check_counts: bool = True) -> dict[str, pd.DataFrame]:
    """Read the flood file into "lsoa_flood": English rows, `lsoa11_code`, `people_in_fz3`, `share_in_fz3` (0..1)."""
    path = Path(folder) / FILE
    raw = source_files.read_csv(path, list(_COLUMNS), dtype={"LSOA11CD": "string"}, fix="download the file again.")
    if check_counts:
        validate.check_row_count(raw, ROWS, path=path)
    validate.check_unique(raw["LSOA11CD"], path=path, column="LSOA11CD")
    english = raw["LSOA11CD"].str.startswith("E").fillna(False).to_numpy(dtype=bool)
    england = raw.loc[english]
    first_row = 2
    validate.on_file_rows(validate.check_codes, england["LSOA11CD"], "lsoa", path=path, column="LSOA11CD", vintage=2011)
    if check_counts:
        validate.check_row_count(england, ENGLAND_ROWS, path=path)
    nums = validate.to_numeric(raw, list(_COLUMNS)[1:], path=path, first_row=first_row)
    people, share = nums["No. people in flood risk areas"], nums["% people in flood risk areas"]
    validate.check_range(people, 0, 100_000, path=path, column="No. people in flood risk areas")
    validate.check_range(share, 0, _MAX_SHARE, path=path, column="% people in flood risk areas")
    validate.raise_at_first(
        ((people > 0) != (share > 0)).to_numpy(),
        errors.ValueRangeError,
        lambda _, i: f"people {people.iloc[i]} and share {share.iloc[i]} disagree on whether anyone is exposed.",
        path=path,
        column="% people in flood risk areas",
        fix="use the publisher's file unchanged.",
    )
    out = nums.loc[english, list(_COLUMNS)].rename(columns=_COLUMNS)
    return {"lsoa_flood": out.sort_values("lsoa11_code", ignore_index=True)}
