"""How an IoD sheet is declared (`Col`, `Table`) and read: one sheet validated as declared, LAD sheets joined."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from cohesion_metrics import errors
from cohesion_metrics.extract import source_files, validate
from cohesion_metrics.settings import LONDON_LAD_CODES

FIRST_ROW = 2  # every IoD sheet has one header row


@dataclass(frozen=True)
class Col:
    """One published column: its header as published, our name, and what it must hold."""

    header: str
    name: str
    numeric: bool = True
    whole: bool = False
    low: float | None = None
    high: float | None = None
    missing: bool = False
    keep: bool = True


@dataclass(frozen=True)
class Table:
    """One published sheet and how to read it."""

    file: str
    sheet: str
    level: str  # "lsoa" or "lad": the level of the key (first) column
    lad_header: str  # published header of the LAD code, used to keep London rows
    columns: tuple[Col, ...]
    vintage: int  # LSOA code vintage, 2011 or 2021 (LAD-level sheets: that of the LSOAs summarised)
    n_ranked: int  # N of the national ranking (LSOAs in England), for rank and decile checks
    national_rows: int | None  # published England rows; None for a London-only workbook
    london_rows: int
    #: Published header -> the one alternative header accepted in its place.
    aliases: dict[str, str] = field(default_factory=dict)

    @property
    def key(self) -> Col:
        """The key (first) column."""
        return self.columns[0]


def text_col(header: str, name: str, *, keep: bool = True) -> Col:
    """A text column."""
    return Col(header, name, numeric=False, keep=keep)


def rank_col(header: str, name: str, n: int) -> Col:
    """A rank column: whole numbers 1..n."""
    return Col(header, name, whole=True, low=1, high=n)


def decile_col(header: str, name: str) -> Col:
    """A decile column: whole numbers 1..10."""
    return Col(header, name, whole=True, low=1, high=10)


def num_col(
    header: str, name: str, *, low: float | None = None, high: float | None = None, missing: bool = False
) -> Col:
    """A numeric column within its bounds."""
    return Col(header, name, low=low, high=high, missing=missing)


def load_table(folder: Path, spec: Table, *, check_counts: bool) -> pd.DataFrame:
    """Read one sheet as declared in `spec`, validate it, and return its London rows with our column names."""
    path, sheet = source_files.require_file(Path(folder) / spec.file), spec.sheet
    raw = source_files.read_sheet(path, sheet)
    for published, alternative in spec.aliases.items():
        if published not in raw.columns and alternative in raw.columns:
            raw = raw.rename(columns={alternative: published})
    validate.require_columns(raw, [c.header for c in spec.columns], path=path, sheet=sheet)
    frame = raw[[c.header for c in spec.columns]]

    if check_counts and spec.national_rows is not None:
        validate.check_row_count(frame, spec.national_rows, path=path, sheet=sheet)

    key = spec.key.header
    if spec.level == "lsoa":
        validate.check_codes(frame[key], "lsoa", column=key, vintage=spec.vintage, path=path, sheet=sheet)
        if spec.vintage == 2021 and check_counts:
            validate.require_some_lsoa21_codes(frame[key], path=path, sheet=sheet, column=key)
    validate.check_codes(frame[spec.lad_header], "lad", path=path, sheet=sheet, column=spec.lad_header)
    validate.check_unique(frame[key], column=key, path=path, sheet=sheet)

    for col in spec.columns:
        if not col.numeric:
            continue
        frame = validate.to_numeric(frame, [col.header], allow_missing=col.missing, path=path, sheet=sheet)
        values = frame[col.header]
        if col.whole:
            _check_whole(values, path=path, sheet=sheet, column=col.header)
        if col.low is not None or col.high is not None:
            low = -math.inf if col.low is None else col.low
            high = math.inf if col.high is None else col.high
            validate.check_range(values, low, high, column=col.header, path=path, sheet=sheet)
    _check_deciles(frame, spec, path=path)

    lads = frame[spec.lad_header]
    london = lads.isin(LONDON_LAD_CODES).to_numpy()
    if spec.national_rows is None:
        validate.raise_at_first(
            ~london,
            errors.ValueRangeError,
            lambda n, i: (
                f"{n} row(s) are outside London (LAD E09000001..E09000033) in a London-only sheet; "
                f"first is {lads.iloc[i]!r}."
            ),
            path=path,
            sheet=sheet,
            column=spec.lad_header,
            fix="use the GLA's London workbook unedited.",
        )
    frame = frame[london]
    if check_counts and len(frame) != spec.london_rows:
        raise errors.RowCountError(
            f"found {len(frame)} London rows (LAD E09000001..E09000033), the published release has {spec.london_rows}.",
            path=path,
            sheet=sheet,
            fix="the file looks truncated or filtered: download it again.",
        )

    out = frame.rename(columns={c.header: c.name for c in spec.columns})
    out = out[[c.name for c in spec.columns if c.keep]].reset_index(drop=True)
    for col in spec.columns:
        if col.keep and col.whole and not col.missing:
            out[col.name] = out[col.name].astype("int64")
    return out


def join_lad_sheets(folder: Path, specs: tuple[Table, ...], expected: pd.Series, *, check_counts: bool) -> pd.DataFrame:
    """Load LAD-level sheets and join them side by side on lad19_code; every sheet must list the same LADs."""
    parts = []
    for spec in specs:
        part = load_table(folder, spec, check_counts=check_counts).set_index("lad19_code")
        if set(part.index) != set(expected):
            differ = sorted(set(part.index) ^ set(expected))
            raise errors.RowCountError(
                f"the London districts differ from those of the other sheets: {differ}.",
                path=Path(folder) / spec.file,
                sheet=spec.sheet,
                fix="use the publisher's original workbook, unedited.",
            )
        parts.append(part.loc[list(expected)])
    return pd.concat(parts, axis=1).rename_axis("lad19_code").reset_index()


def _check_whole(values: pd.Series, *, path: Path, sheet: str, column: str) -> None:
    """Ranks and deciles are whole numbers."""
    validate.raise_at_first(
        (values.notna() & (values != np.floor(values))).to_numpy(),
        errors.ValueRangeError,
        lambda n, i: f"{n} value(s) are not whole numbers; first is {values.iloc[i]!r}.",
        path=path,
        sheet=sheet,
        column=column,
        fix="ranks and deciles must be whole numbers, as published.",
    )


def _check_deciles(frame: pd.DataFrame, spec: Table, *, path: Path) -> None:
    """Each `<d>_decile` must equal ceil(10 * `<d>_rank` / N), as in every published IoD file."""
    by_name = {c.name: c.header for c in spec.columns}
    for name, header in by_name.items():
        rank_header = by_name.get(name.removesuffix("_decile") + "_rank")
        if name.endswith("_decile") and rank_header is not None:
            _check_decile(frame[header], frame[rank_header], spec.n_ranked, path=path, sheet=spec.sheet, column=header)


def _check_decile(deciles: pd.Series, ranks: pd.Series, n: int, *, path: Path, sheet: str, column: str) -> None:
    validate.raise_at_first(
        deciles.to_numpy() != np.ceil(10 * ranks.to_numpy() / n),
        errors.ValueRangeError,
        lambda count, i: (
            f"{count} decile(s) disagree with the rank (decile = ceil(10 x rank / {n})); "
            f"first is decile {deciles.iloc[i]!r} for rank {ranks.iloc[i]!r}."
        ),
        path=path,
        sheet=sheet,
        column=column,
        fix="use the publisher's original file, unedited.",
    )
