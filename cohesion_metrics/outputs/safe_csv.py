"""CSV downloads that are safe to open in a spreadsheet, with file names that say what they hold.

A cell starting with ``=``, ``+``, ``-`` or ``@`` (or a tab or carriage return) is read as a formula by Excel,
LibreOffice and Google Sheets (CSV injection, OWASP). Text cells like that are prefixed with an apostrophe; numbers
are left alone, so negative values stay numbers.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import TypeGuard

import pandas as pd

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def looks_like_formula(value: object) -> TypeGuard[str]:
    """True for text that a spreadsheet would run as a formula."""
    return isinstance(value, str) and value.startswith(FORMULA_PREFIXES)


def neutralise_cell(value: object) -> object:
    """Prefix a text cell that a spreadsheet would run as a formula with an apostrophe; return others unchanged."""
    if looks_like_formula(value):
        return "'" + value
    return value


def neutralise(frame: pd.DataFrame) -> pd.DataFrame:
    """Return a copy of `frame` whose text cells and column names cannot start a formula."""
    out = frame.copy()
    for col in out.columns:
        if out[col].dtype == object or pd.api.types.is_string_dtype(out[col]):
            out[col] = out[col].map(neutralise_cell).astype(object)
    out.columns = [neutralise_cell(str(c)) for c in out.columns]
    return out


def to_csv_bytes(frame: pd.DataFrame) -> bytes:
    """UTF-8 CSV of `frame` with formula-like text neutralised, no index."""
    return neutralise(frame).to_csv(index=False).encode("utf-8")


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:60]


def file_name(*parts: str, ext: str, on: dt.date | None = None) -> str:
    """Name a download from its parts, a date and an extension: ``london-cohesion_camden_briefing_2024-06-01.pdf``."""
    day = (on or dt.date.today()).isoformat()
    return "_".join(["london-cohesion", *(_slug(p) for p in parts if p), day]) + "." + ext.lstrip(".")


def csv_file_name(*parts: str, on: dt.date | None = None) -> str:
    """Name a download from its parts and a date: ``london-cohesion_lsoa21_need_2024-06-01.csv``."""
    return file_name(*parts, ext="csv", on=on)
