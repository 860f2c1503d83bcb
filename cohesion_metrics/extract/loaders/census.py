"""Census 2021 topic summaries in the Nomis bulk layout (LSOA 2021 and MSOA 2021, England and Wales).

Every Nomis file starts with `date, geography, geography code`, then one column per category named as
Nomis names it (e.g. `Country of birth: Europe: United Kingdom; measures: Value`). We keep those names as
published when reading, then rename them to snake_case counts.

Geography choice: the files carry no local authority code, and LSOA/MSOA names ("Camden 001A") are not a
safe key, so these loaders return **all England and Wales rows** (35,672 LSOAs; 7,264 MSOAs) keyed by
`lsoa21_code` / `msoa21_code`. The build keeps London by joining to the London 2021 geographies (or the ONS
LSOA21 -> LAD lookup); this keeps the loader independent of any other source folder.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from cohesion_metrics import errors
from cohesion_metrics.extract import source_files, validate
from cohesion_metrics.extract.loaders.census_tables import LSOA_TABLES, TS021_MSOA, Table

#: Published rows: 33,755 English + 1,917 Welsh LSOAs (2021); 7,264 MSOAs.
LSOA21_ROWS = 35_672
MSOA21_ROWS = 7_264
CENSUS_DATE = 2021

_ID_COLUMNS = ("date", "geography", "geography code")


def load_census2021_lsoa(folder: Path, *, check_counts: bool = True) -> dict[str, pd.DataFrame]:
    """Read the Census 2021 topic summaries of `LSOA_TABLES` at LSOA 2021: all England and Wales rows.

    Tables (one row per `lsoa21_code`, with `lsoa21_name`; counts are persons):
    "ts004" country of birth (plus derived `born_outside_uk`), "ts006" `persons_per_km2`, "ts007a" five-year
    age bands (plus derived `aged_65_plus`), "ts037" general health, "ts065" employment history of residents
    16+ not in employment, "ts067" highest qualification of residents 16+; "ts003" household composition,
    "ts011" household deprivation dimensions, "ts019" address one year ago (residents 1+), "ts025" household
    language, "ts029" English proficiency (residents 3+), "ts038" disability, "ts039" unpaid care (residents 5+),
    "ts052" bedroom occupancy rating. Each table keeps its own total: totals differ between tables.
    """
    tables: dict[str, pd.DataFrame] = {}
    for key, spec in LSOA_TABLES.items():
        tables[key] = _read_nomis(folder / spec.file, spec, "lsoa", LSOA21_ROWS if check_counts else None)
    ts004 = tables["ts004"]
    ts004["born_outside_uk"] = ts004["residents_total"] - ts004["born_uk"]
    ts007a = tables["ts007a"]
    ts007a["aged_65_plus"] = ts007a[["aged_65_69", "aged_70_74", "aged_75_79", "aged_80_84", "aged_85_plus"]].sum(
        axis=1
    )
    _check_same_codes(tables, folder, "lsoa21_code")
    return tables


def load_census2021_ts021_msoa(folder: Path, *, check_counts: bool = True) -> dict[str, pd.DataFrame]:
    """Read TS021 ethnic group at MSOA 2021: all England and Wales rows.

    Table "ts021": `msoa21_code`, `msoa21_name`, `residents_total` and the five broad groups `ethnic_asian`,
    `ethnic_black`, `ethnic_mixed`, `ethnic_white`, `ethnic_other` (persons), which sum to the total.
    Context only: diversity is never scored as a deficit.
    """
    path = folder / TS021_MSOA.file
    return {"ts021": _read_nomis(path, TS021_MSOA, "msoa", MSOA21_ROWS if check_counts else None)}


def _read_nomis(path: Path, spec: Table, geography: str, rows: int | None) -> pd.DataFrame:
    """Read one Nomis bulk CSV of `geography` ("lsoa" or "msoa"), validate it, and return tidy columns."""
    published = list(spec.columns)
    raw = source_files.read_csv(
        path,
        [*_ID_COLUMNS, *published],
        dtype={"geography": "string", "geography code": "string"},
        encoding="utf-8",
        fix="download the Nomis bulk file again.",
    )
    if rows is not None:
        validate.check_row_count(raw, rows, path=path)
    codes = raw["geography code"]
    validate.check_codes(codes, geography, path=path, column="geography code", vintage=CENSUS_DATE, allow_wales=True)
    validate.check_unique(codes, path=path, column="geography code")
    validate.raise_at_first(
        (pd.to_numeric(raw["date"], errors="coerce") != CENSUS_DATE).to_numpy(),
        errors.CodeVintageError,
        lambda _, i: f"the date is {raw['date'].iloc[i]!r}, not {CENSUS_DATE}.",
        path=path,
        column="date",
        fix="use the Census 2021 release of this table.",
    )
    values = validate.to_numeric(raw, published, path=path)
    level = f"{geography}21"
    out = pd.DataFrame({f"{level}_code": codes, f"{level}_name": raw["geography"]})
    for pub, tidy in spec.columns.items():
        column = values[pub]
        if spec.counts:
            validate.check_range(column, 0, 10_000_000, path=path, column=pub)
            out[tidy] = _as_int(column, path, pub)
        else:
            validate.check_range(column, 0, 1_000_000, path=path, column=pub)
            out[tidy] = column
    tidy_to_pub = {tidy: pub for pub, tidy in spec.columns.items()}
    for total, parts in spec.sums:
        validate.check_sum(out, total, parts, path=path, column=tidy_to_pub[total], key=f"{level}_code")
    return out


def _as_int(column: pd.Series, path: Path, name: str) -> pd.Series:
    """Return counts as int64; a fractional count is a NonNumericValueError."""
    validate.raise_at_first(
        (column % 1 != 0).to_numpy(),
        errors.NonNumericValueError,
        lambda _, i: f"counts must be whole numbers; found {column.iloc[i]!r}.",
        path=path,
        column=name,
        fix="use the Nomis bulk file unchanged.",
    )
    return column.astype("int64")


def _check_same_codes(tables: dict[str, pd.DataFrame], folder: Path, key: str) -> None:
    """All six tables must cover the same LSOAs."""
    first_name = next(iter(tables))
    reference = set(tables[first_name][key])
    for name, frame in tables.items():
        extra = sorted(set(frame[key]) ^ reference)
        if extra:
            raise errors.CodeVintageError(
                f"{len(extra)} LSOA code(s) differ from {LSOA_TABLES[first_name].file}; first is {extra[0]!r}.",
                path=folder / LSOA_TABLES[name].file,
                column="geography code",
                fix="use files from the same Nomis bulk release.",
            )
