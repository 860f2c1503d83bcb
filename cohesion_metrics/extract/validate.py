"""Checks applied where data crosses into the project. Each raises a named error from `errors`.

Row numbers in messages are the row a person sees in the file: `first_row` is the file row of the
frame's first data row (2 for a CSV or sheet with one header row, 1 for the features of a vector layer).
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any, NotRequired, TypedDict, Unpack

import geopandas as gpd
import numpy as np
import pandas as pd

from cohesion_metrics import errors
from cohesion_metrics.settings import LAST_LSOA11_CODE, LONDON_LAD_CODES

#: GSS code patterns by geography (English codes; `check_codes(..., allow_wales=True)` also takes W).
CODE_PATTERNS = {
    "lsoa": r"E01\d{6}",
    "msoa": r"E02\d{6}",
    "ward": r"E05\d{6}",
    "borough": r"E09\d{6}",
    "region": r"E12\d{6}",
    "lad": r"E0[6-9]\d{6}",
}
_CODE_NAMES = {"lad": "local authority district"}


class FileColumn(TypedDict):
    """Where a checked column stands: its file, and (optionally) sheet, published name and first data row."""

    path: Path | str
    sheet: NotRequired[str | None]
    column: NotRequired[str | None]
    first_row: NotRequired[int]


# ----------------------------------------------------------------------------------------------------------------
# Row checks
# ----------------------------------------------------------------------------------------------------------------


def raise_at_first(
    bad: pd.Series | np.ndarray,
    error: type[errors.SourceError],
    problem: Callable[[int, int], str],
    *,
    path: Path | str,
    sheet: str | None = None,
    column: str | None = None,
    first_row: int = 2,
    fix: str | None = None,
) -> None:
    """Raise `error` if any of `bad` is true, at file row `first_row` + its first position.

    `problem(count, position)` words the message, e.g. `lambda n, i: f"{n} value(s) ...; first is {v.iloc[i]!r}."`.
    """
    mask = np.asarray(bad, dtype=bool)
    if mask.any():
        pos = int(mask.nonzero()[0][0])
        raise error(problem(int(mask.sum()), pos), path=path, sheet=sheet, column=column, row=first_row + pos, fix=fix)


def on_file_rows(check: Callable[..., None], values: pd.Series, *args: Any, first_row: int = 2, **kwargs: Any) -> None:
    """Run a check on a filtered column; errors name the file row of the value (index + `first_row`).

    `values` keeps the index of the frame as read (0 for the first data row), so a check on London's rows of a
    national file still reports the row a person sees in the file.
    """
    try:
        check(values.reset_index(drop=True), *args, first_row=0, **kwargs)
    except errors.SourceError as exc:
        if exc.row is None:
            raise
        raise type(exc)(
            exc.problem,
            path=exc.path,
            sheet=exc.sheet,
            column=exc.column,
            row=int(values.index[exc.row]) + first_row,
            fix=exc.fix,
        ) from None


def require_columns(frame: pd.DataFrame, columns: Iterable[str], *, path: Path | str, sheet: str | None = None) -> None:
    """Raise ColumnMismatchError naming every expected column that is absent (and near misses)."""
    present = [str(c) for c in frame.columns]
    missing = [c for c in columns if c not in present]
    if not missing:
        return
    hints = []
    for name in missing:
        close = difflib.get_close_matches(name, present, n=1, cutoff=0.6)
        hints.append(f"{name!r}" + (f" (found {close[0]!r} instead)" if close else ""))
    raise errors.ColumnMismatchError(
        f"expected column(s) missing: {', '.join(hints)}.",
        path=path,
        sheet=sheet,
        column=missing[0],
        fix="use the publisher's layout unchanged (headers as published).",
    )


def check_codes(
    codes: pd.Series,
    level: str,
    *,
    path: Path | str,
    column: str,
    sheet: str | None = None,
    first_row: int = 2,
    vintage: int | None = None,
    allow_wales: bool = False,
) -> None:
    """Check every code matches the GSS pattern of `level` (see CODE_PATTERNS); `allow_wales` takes W codes too.

    For LSOA vintage 2011, English codes created in 2021 (above E01033768) raise CodeVintageError.
    """
    pattern = CODE_PATTERNS[level]
    if allow_wales:
        pattern = "[EW]" + pattern[1:]
    name = _CODE_NAMES.get(level, level) + (f"{vintage % 100:02d}" if vintage else "")
    text = codes.astype("string")
    where: FileColumn = {"path": path, "sheet": sheet, "column": column, "first_row": first_row}
    raise_at_first(
        ~text.fillna("").str.fullmatch(pattern).to_numpy(dtype=bool),
        errors.CodeFormatError,
        lambda n, i: f"{n} value(s) are not {name} codes (pattern {pattern}); first is {text.iloc[i]!r}.",
        fix=f"the column must hold {name} GSS codes.",
        **where,
    )
    if level == "lsoa" and vintage == 2011:
        raise_at_first(
            (text.str.startswith("E") & (text > LAST_LSOA11_CODE)).to_numpy(dtype=bool),
            errors.CodeVintageError,
            lambda n, i: f"{n} code(s) are 2021 LSOA codes where 2011 codes are expected; first is {text.iloc[i]!r}.",
            fix="use the 2011-geography release of this file, or the 2021 loader.",
            **where,
        )


def require_some_lsoa21_codes(codes: pd.Series, *, path: Path | str, column: str, sheet: str | None = None) -> None:
    """Refuse a full file without LSOA codes created in 2021 (above E01033768): it is a 2011-geography file."""
    if not (codes.astype("string") > LAST_LSOA11_CODE).any():
        problem = (
            f"no LSOA code is above {LAST_LSOA11_CODE}, so these are 2011 LSOA codes where 2021 codes are expected."
        )
        fix = "use the 2021-geography release of this file, or the 2011-geography loader."
        raise errors.CodeVintageError(problem, path=path, sheet=sheet, column=column, fix=fix)


#: The code checks' wording by error: what is wrong (the first bad code follows) and what to do.
_CODE_PROBLEMS: dict[type[errors.SourceError], tuple[str, str]] = {
    errors.CodeFormatError: (
        "value(s) are not London borough codes (E09000001..E09000033); first is",
        "use the London files as published.",
    ),
    errors.DuplicateCodeError: ("duplicate code(s); first repeat is", "each area must appear once."),
}


def check_london(codes: pd.Series, **where: Unpack[FileColumn]) -> None:
    """Raise CodeFormatError unless every code is one of the 33 London boroughs (E09000001..E09000033)."""
    _flag_codes(codes, ~codes.isin(LONDON_LAD_CODES), errors.CodeFormatError, where)


def check_unique(codes: pd.Series, **where: Unpack[FileColumn]) -> None:
    """Raise DuplicateCodeError if any code appears twice."""
    _flag_codes(codes, codes.duplicated(keep="first"), errors.DuplicateCodeError, where)


def _flag_codes(codes: pd.Series, bad: pd.Series, error: type[errors.SourceError], where: FileColumn) -> None:
    """`raise_at_first` with the wording of `_CODE_PROBLEMS[error]`, naming the first bad code."""
    problem, fix = _CODE_PROBLEMS[error]
    raise_at_first(bad.to_numpy(dtype=bool), error, lambda n, i: f"{n} {problem} {codes.iloc[i]!r}.", fix=fix, **where)


def to_numeric(
    frame: pd.DataFrame,
    columns: Sequence[str],
    *,
    path: Path | str,
    sheet: str | None = None,
    first_row: int = 2,
    allow_missing: bool = False,
) -> pd.DataFrame:
    """Return a copy with `columns` as float; raise NonNumericValueError naming the first bad cell."""
    out = frame.copy()
    for col in columns:
        where: FileColumn = {"path": path, "sheet": sheet, "column": col, "first_row": first_row}
        out[col] = _as_numbers(out[col], allow_missing=allow_missing, **where)
    return out


def _as_numbers(raw: pd.Series, *, allow_missing: bool, **where: Unpack[FileColumn]) -> pd.Series:
    num = pd.to_numeric(raw, errors="coerce")
    bad = num.isna() & raw.notna() if allow_missing else num.isna()
    raise_at_first(
        bad.to_numpy(),
        errors.NonNumericValueError,
        lambda n, i: f"{n} value(s) are not numbers; first is {raw.iloc[i]!r}.",
        fix="the column must hold numbers only.",
        **where,
    )
    return num.astype("float64")


def check_range(
    values: pd.Series,
    low: float,
    high: float,
    *,
    path: Path | str,
    column: str,
    sheet: str | None = None,
    first_row: int = 2,
) -> None:
    """Raise ValueRangeError if any non-missing value lies outside [low, high]."""
    raise_at_first(
        (values.notna() & ((values < low) | (values > high))).to_numpy(),
        errors.ValueRangeError,
        lambda n, i: f"{n} value(s) outside {low}..{high}; first is {values.iloc[i]!r}.",
        path=path,
        sheet=sheet,
        column=column,
        first_row=first_row,
    )


def check_sum(frame: pd.DataFrame, total: str, parts: Sequence[str], *, key: str, **where: Unpack[FileColumn]) -> None:
    """Raise InconsistentTotalsError naming the rows (up to 5, by `key`) whose `parts` do not add up to `total`.

    `column` is the published name of the total column.
    """
    diff = frame[total] - frame[list(parts)].sum(axis=1)
    bad = (diff != 0).to_numpy()
    first_row = where.get("first_row", 2)

    def problem(n: int, _: int) -> str:
        shown = ", ".join(
            f"row {first_row + p} {frame[key].iloc[p]} (total {frame[total].iloc[p]}, "
            f"parts {frame[total].iloc[p] - diff.iloc[p]})"
            for p in bad.nonzero()[0][:5]
        )
        return f"{n} row(s) where the {len(parts)} parts do not sum to the total: {shown}."

    fix = "the file looks edited or truncated: download it again."
    raise_at_first(bad, errors.InconsistentTotalsError, problem, fix=fix, **where)


def check_row_count(frame: pd.DataFrame, expected: int, *, path: Path | str, sheet: str | None = None) -> None:
    """Raise RowCountError unless the frame has exactly `expected` rows."""
    if len(frame) != expected:
        raise errors.RowCountError(
            f"found {len(frame)} rows, the published release has {expected}.",
            path=path,
            sheet=sheet,
            fix="the file looks truncated or filtered: download it again.",
        )


# ----------------------------------------------------------------------------------------------------------------
# Geometry checks (rows count features from 1; `label` goes before the code in messages, e.g. "osm_id ")
# ----------------------------------------------------------------------------------------------------------------


def check_geometries(
    geoms: gpd.GeoSeries, codes: pd.Series, kinds: Sequence[str], *, path: Path, label: str = "", fix: str
) -> None:
    """Raise InvalidGeometryError at the first feature whose geometry is null, empty or not one of `kinds`."""
    missing = (geoms.isna() | geoms.is_empty).to_numpy()
    raise_at_first(
        missing,
        errors.InvalidGeometryError,
        lambda n, i: f"{n} feature(s) have a null or empty geometry; first is {label}{codes.iloc[i]!r}.",
        path=path,
        first_row=1,
        fix=fix,
    )
    found = geoms.geom_type
    raise_at_first(
        ~found.isin(kinds).to_numpy(dtype=bool),
        errors.InvalidGeometryError,
        lambda n, i: (
            f"{n} feature(s) are not {' or '.join(kinds)}; first is {label}{codes.iloc[i]!r} ({found.iloc[i]})."
        ),
        path=path,
        first_row=1,
        fix=fix,
    )


def check_within(
    geoms: gpd.GeoSeries,
    codes: pd.Series,
    box: tuple[float, float, float, float],
    *,
    path: Path,
    what: str,
    label: str = "",
    error: type[errors.SourceError] = errors.InvalidGeometryError,
    fix: str | None = None,
) -> None:
    """Raise `error` at the first feature whose bounds extend outside `box` (minx, miny, maxx, maxy), named `what`."""
    bounds = geoms.bounds
    outside = (
        (bounds["minx"] < box[0]) | (bounds["miny"] < box[1]) | (bounds["maxx"] > box[2]) | (bounds["maxy"] > box[3])
    )
    raise_at_first(
        outside.to_numpy(),
        error,
        lambda n, i: (
            f"{n} feature(s) extend outside {what} {box}; first is {label}{codes.iloc[i]!r} with bounds "
            f"({', '.join(f'{v:.7g}' for v in bounds.iloc[i])})."
        ),
        path=path,
        first_row=1,
        fix=fix,
    )
