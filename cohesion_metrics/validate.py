"""Checks applied where data crosses into the project. Each raises a named error from `errors`.

Row numbers in messages are the row a person sees in the file: `first_row` is the file row of the
frame's first data row (2 for a CSV or sheet with one header row).
"""

from __future__ import annotations

import difflib
import re
import zipfile
from collections.abc import Iterable, Sequence
from pathlib import Path

import pandas as pd
from python_calamine import CalamineError

from cohesion_metrics import errors
from cohesion_metrics.settings import LAST_LSOA11_CODE

#: GSS code prefixes by geography.
CODE_PATTERNS = {
    "lsoa": r"E01\d{6}",
    "msoa": r"E02\d{6}",
    "ward": r"E05\d{6}",
    "borough": r"E09\d{6}",
    "region": r"E12\d{6}",
}


def require_file(path: Path) -> Path:
    """Return `path` if it is a file, else raise MissingSourceFileError."""
    if not path.is_file():
        raise errors.MissingSourceFileError(
            "the file is missing.",
            path=path,
            fix=f"download it with `python -m cohesion_metrics fetch`, or place it at {path}.",
        )
    return path


def read_sheet(path: Path, sheet: str, *, header: int | None = 0, nrows: int | None = None) -> pd.DataFrame:
    """Read one sheet of an .xlsx/.xls workbook (fast calamine reader), with named errors for a missing file or sheet."""
    require_file(path)
    try:
        with pd.ExcelFile(path, engine="calamine") as book:
            names = [str(n) for n in book.sheet_names]
            if sheet not in names:
                raise errors.SheetNotFoundError(
                    f"the sheet is missing; the workbook has {names}.",
                    path=path,
                    sheet=sheet,
                    fix="use the publisher's original workbook, unedited.",
                )
            return pd.read_excel(book, sheet_name=sheet, header=header, nrows=nrows)
    except errors.SourceError:
        raise
    except (ValueError, OSError, KeyError, zipfile.BadZipFile, CalamineError) as exc:
        raise errors.CorruptFileError(
            f"the workbook cannot be read ({exc}).", path=path, fix="download the file again."
        ) from exc


def require_columns(
    frame: pd.DataFrame, columns: Iterable[str], *, path: Path | str, sheet: str | None = None
) -> None:
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
) -> None:
    """Check every code matches the GSS pattern for `level`; for LSOA vintage 2011, reject 2021-only codes."""
    pattern = re.compile(CODE_PATTERNS[level])
    text = codes.astype("string")
    bad = ~text.fillna("").str.fullmatch(pattern)
    if bad.any():
        pos = int(bad.to_numpy().nonzero()[0][0])
        raise errors.CodeFormatError(
            f"{int(bad.sum())} value(s) are not {level} codes (pattern {pattern.pattern}); first is {text.iloc[pos]!r}.",
            path=path,
            sheet=sheet,
            column=column,
            row=first_row + pos,
            fix=f"the column must hold {level} GSS codes.",
        )
    if level == "lsoa" and vintage == 2011:
        newer = (text > LAST_LSOA11_CODE).to_numpy()
        if newer.any():
            pos = int(newer.nonzero()[0][0])
            raise errors.CodeVintageError(
                f"{int(newer.sum())} code(s) are 2021 LSOA codes where 2011 codes are expected; first is {text.iloc[pos]!r}.",
                path=path,
                sheet=sheet,
                column=column,
                row=first_row + pos,
                fix="use the 2011-geography release of this file, or the 2021 loader.",
            )


def check_unique(
    codes: pd.Series, *, path: Path | str, column: str, sheet: str | None = None, first_row: int = 2
) -> None:
    """Raise DuplicateCodeError if any code appears twice."""
    dup = codes.duplicated(keep="first").to_numpy()
    if dup.any():
        pos = int(dup.nonzero()[0][0])
        raise errors.DuplicateCodeError(
            f"{int(dup.sum())} duplicate code(s); first repeat is {codes.iloc[pos]!r}.",
            path=path,
            sheet=sheet,
            column=column,
            row=first_row + pos,
            fix="each area must appear once.",
        )


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
        raw = out[col]
        num = pd.to_numeric(raw, errors="coerce")
        bad = num.isna() & raw.notna()
        if not allow_missing:
            bad = bad | raw.isna()
        if bad.any():
            pos = int(bad.to_numpy().nonzero()[0][0])
            raise errors.NonNumericValueError(
                f"{int(bad.sum())} value(s) are not numbers; first is {raw.iloc[pos]!r}.",
                path=path,
                sheet=sheet,
                column=col,
                row=first_row + pos,
                fix="the column must hold numbers only.",
            )
        out[col] = num.astype("float64")
    return out


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
    bad = (values.notna() & ((values < low) | (values > high))).to_numpy()
    if bad.any():
        pos = int(bad.nonzero()[0][0])
        raise errors.ValueRangeError(
            f"{int(bad.sum())} value(s) outside {low}..{high}; first is {values.iloc[pos]!r}.",
            path=path,
            sheet=sheet,
            column=column,
            row=first_row + pos,
        )


def check_row_count(frame: pd.DataFrame, expected: int, *, path: Path | str, sheet: str | None = None) -> None:
    """Raise RowCountError unless the frame has exactly `expected` rows."""
    if len(frame) != expected:
        raise errors.RowCountError(
            f"found {len(frame)} rows, the published release has {expected}.",
            path=path,
            sheet=sheet,
            fix="the file looks truncated or filtered: download it again.",
        )
