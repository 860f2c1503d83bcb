"""An uploaded indicator: a CSV of one number per London LSOA 2011 or ward code (see `parsing`)."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import pandas as pd

from cohesion_metrics import errors
from cohesion_metrics.metadata.levels import LEVELS_BY_CODE
from cohesion_metrics.settings import LAST_LSOA11_CODE
from cohesion_metrics.uploads.cells import (
    UploadResult,
    list_names,
    normalise_header,
    parse_number,
    reject_row,
    rejected_frame,
)
from cohesion_metrics.uploads.parsing import Table, read_table

_GSS = re.compile(r"[EWSNK]\d{8}")
#: Words of a column name that say which kind of codes it holds (see `_header_fit`), by a level's code kind.
_KIND_WORDS = {"lsoa": frozenset({"lsoa"}), "ward": frozenset({"ward", "wd"})}
_GEOGRAPHY_WORDS = frozenset({"lsoa", "msoa", "oa", "ward", "wd", "lad", "la", "lau", "borough", "district", "ltla"})
_GSS_KIND = {"E01": "lsoa", "W01": "lsoa", "E05": "ward", "W05": "ward", "E09": "borough", "E06": "lad", "E07": "lad"}


@dataclass(frozen=True)
class IndicatorUpload(UploadResult):
    """An uploaded indicator: `valid` has columns row, area_code, value; also the level and columns used."""

    level: str = ""
    code_column: str = ""
    value_column: str = ""
    #: Every column that could be the value column (offer these to the user; re-read with `value_column=`).
    value_columns: tuple[str, ...] = ()
    n_covered: int = 0
    n_total: int = 0

    def series(self) -> pd.Series:
        """The values indexed by area code, named after the value column."""
        return self.valid.set_index("area_code")["value"].rename(self.value_column)


# ----------------------------------------------------------------------------------------------------------------


def _label(level: str) -> str:
    """A level's name as the messages say it ("LSOA 2011 (neighbourhood)")."""
    return LEVELS_BY_CODE[level].in_upload if level in LEVELS_BY_CODE else level


def _code_column(frame: pd.DataFrame, header: list[str], file_name: str) -> str:
    best, share = None, 0.0
    for col in header:
        values = frame[col].astype(str).str.strip().str.upper()
        filled = values[values != ""]
        if filled.empty:
            continue
        s = float(filled.str.fullmatch(_GSS).mean()) + (0.001 if "code" in normalise_header(col) else 0.0)
        if s > share:
            best, share = col, s
    if best is None or share < 0.5:
        raise errors.UploadError(
            f"no column of area codes found (columns: {list_names(header)}).",
            path=file_name,
            fix="add a column of LSOA 2011 codes (E01…) or ward codes (E05…), one area per row.",
        )
    return best


def _header_fit(column: str, level: str) -> int:
    """How well a column's name fits codes of `level`: higher for "LSOA11CD" or "ward code", lower for "LAD code".

    Its words (split at digits and non-letters) name the level (+2) or another geography (-2); for LSOA 2011 a
    "11" counts +1 and a "21" without it -1 (most LSOA 2011 codes are also LSOA 2021 codes).
    """
    key = normalise_header(column)
    words = set(re.split(r"[^a-z]+", key))
    kind = LEVELS_BY_CODE[level].code_kind if level in LEVELS_BY_CODE else ""
    own = _KIND_WORDS.get(kind, frozenset())
    fit = 2 if words & own else -2 if words & (_GEOGRAPHY_WORDS - own) else 0
    if level == "lsoa11":
        fit += 1 if "11" in key else -1 if "21" in key else 0
    return fit


def _matching_column(
    frame: pd.DataFrame, header: list[str], sets: Mapping[str, frozenset[str]]
) -> tuple[str, str] | None:
    """The (column, level) pair whose cells hold the most London codes of that level; None if no cell holds one.

    Ties go to the column whose name fits the level best (`_header_fit`: most LSOA 2011 codes are also LSOA 2021
    codes, and the City of London's borough code is also its ward code), then to the earlier column, then to the
    first level in `sets`.
    """
    best: tuple[str, str] | None = None
    best_key: tuple[int, int, int, int] = (0, 0, 0, 0)
    for i, col in enumerate(header):
        codes = frame[col].astype(str).str.strip().str.upper()
        for j, (lvl, known) in enumerate(sets.items()):
            n = int(codes.isin(known).sum())
            key = (n, _header_fit(col, lvl), -i, -j)
            if n and (best is None or key > best_key):
                best, best_key = (col, lvl), key
    return best


def _why_unknown(code: str, level: str, known: Mapping[str, Iterable[str]]) -> str:
    noun = _label(level)
    if not _GSS.fullmatch(code):
        return "not an area code (expected e.g. E01000001)"
    other = [lvl for lvl, codes in known.items() if lvl != level and code in codes]
    if other:
        return f"a {_label(other[0])} code in a file read as {noun} codes"
    kind = _GSS_KIND.get(code[:3])
    if kind == "lsoa" and level == "lsoa11" and code > LAST_LSOA11_CODE:
        return "a 2021 LSOA code (created in 2021); the map uses 2011 LSOAs"
    if kind == "lsoa" and level == "lsoa11":
        return "not a London LSOA 2011 code"
    if kind == "ward" and level == "ward":
        return "not one of the app's London ward codes (wards as at 2014, from the GLA statistical GIS boundaries)"
    what = {"lsoa": "an LSOA", "ward": "a ward", "borough": "a borough", "lad": "a local authority"}.get(kind or "", "")
    return f"{what or 'another kind of'} code in a file read as {noun} codes"


def _value_candidates(table: Table, frame: pd.DataFrame, code_col: str) -> list[str]:
    out = []
    for col in table.header:
        if col == code_col:
            continue
        text = frame[col].astype(str).str.strip().str.removesuffix("%")
        filled = text[text != ""]
        decimal_comma = table.decimal_comma(col)
        parsed = [parse_number(v, decimal_comma=decimal_comma) is not None for v in filled]
        if parsed and sum(parsed) / len(parsed) >= 0.5:
            out.append(col)
    return out


def read_indicator_csv(
    data: bytes,
    file_name: str,
    known_codes: Mapping[str, Iterable[str]],
    *,
    value_column: str | None = None,
    level: str | None = None,
) -> IndicatorUpload:
    """Read a CSV of one numeric value per area, keyed by area code.

    `known_codes` maps each accepted level to its London codes, e.g. ``{"lsoa11": {...}, "ward": {...}}`` from
    `upload_analysis.area_codes(con)`. The code column and the level are the pair whose London codes match most
    rows (so "LAD code,LSOA code,value" is read by its LSOA column; for ties see `_matching_column`), the level
    being fixed if `level` is given. The value column is `value_column`, or the first numeric column (all
    candidates are in `value_columns`); commas in its numbers are decimal commas as `cells.comma_is_decimal`
    decides. Rows are rejected for an unknown code (e.g. a 2021-only LSOA code or a code outside London), a blank
    or non-numeric value, or a repeated code (every row of a code given twice with different values; later copies
    of the same value).
    """
    table = read_table(data, file_name)
    frame, notes, rejected = table.frame(), table.notes, table.rejected
    sets = {lvl: frozenset(c) for lvl, c in known_codes.items()}
    if not sets:
        raise ValueError("known_codes is empty: pass e.g. upload_analysis.area_codes(con)")
    if level is not None and level not in sets:
        raise ValueError(f"level {level!r} is not in known_codes ({sorted(sets)})")
    found = _matching_column(frame, table.header, sets if level is None else {level: sets[level]})
    # Without a London code anywhere, the column of GSS-like codes is named in the message (or rejected row by row).
    code_col = found[0] if found else _code_column(frame, table.header, file_name)
    codes = frame[code_col].astype(str).str.strip().str.upper()
    if level is None:
        if found is None:
            newer = codes.str.startswith("E01") & (codes > LAST_LSOA11_CODE)
            only_2011 = "lsoa21" not in sets  # where LSOA 2021 codes are accepted, a 2021 code is not the mistake
            hint = " Many are 2021 LSOA codes; the map uses 2011 LSOAs." if only_2011 and newer.mean() >= 0.2 else ""
            labels = [_label(x) for x in sets]
            listed = ", ".join(labels[:-1]) + " or " + labels[-1] if len(labels) > 1 else labels[0]
            raise errors.UploadError(
                f"none of the codes in {code_col!r} is a London {listed} code (first: {codes.iloc[0]!r}).{hint}",
                path=file_name,
                column=code_col,
                fix="key the file by London LSOA codes (E01…, 2021 or 2011) or ward codes (E05…).",
            )
        level = found[1]
    candidates = _value_candidates(table, frame, code_col)
    if value_column is not None and value_column not in table.header:
        raise errors.UploadError(
            f"there is no column {value_column!r}; the columns are {list_names(table.header)}.",
            path=file_name,
            fix="choose one of the file's columns.",
        )
    chosen = value_column or (candidates[0] if candidates else None)
    if chosen is None:
        raise errors.UploadError(
            f"no column of numbers besides the codes in {code_col!r} (columns: {list_names(table.header)}).",
            path=file_name,
            fix="add a column with one number per area.",
        )
    if len(candidates) > 1 and value_column is None:
        others = ", ".join(repr(c) for c in candidates if c != chosen)
        notes.append(f"Used the column {chosen!r} for the values; other numeric column(s): {others}.")
    decimal_comma = table.decimal_comma(chosen)
    percent = False
    keep: list[dict[str, object]] = []
    for r, code, raw, text in zip(frame.index, codes, frame[code_col], frame[chosen].astype(str), strict=True):
        if code not in sets[level]:
            rejected.append(reject_row(int(r), code_col, raw, _why_unknown(code, level, sets)))
            continue
        value = parse_number(text.removesuffix("%"), decimal_comma=decimal_comma) if text else None
        if not text:
            rejected.append(reject_row(int(r), chosen, text, "value is blank"))
        elif value is None:
            rejected.append(reject_row(int(r), chosen, text, "value is not a number"))
        else:
            percent = percent or text.endswith("%")
            keep.append({"row": int(r), "area_code": code, "value": value})
    valid = pd.DataFrame(keep, columns=["row", "area_code", "value"]).astype({"row": "int64", "value": "float64"})
    valid, rejected = _drop_repeats(valid, rejected, code_col)
    if percent:
        notes.append("Percent signs were removed: 12.5% is read as 12.5.")
    n_total = len(sets[level])
    notes.append(
        f"Read as {_label(level)} codes (column {code_col!r}), values from {chosen!r}: "
        f"{len(valid):,} of London's {n_total:,} areas covered ({_share(len(valid), n_total)})"
        + (f"; {len({r['row'] for r in rejected})} row(s) rejected." if rejected else ".")
    )
    return IndicatorUpload(
        valid=valid.reset_index(drop=True),
        rejected=rejected_frame(rejected),
        notes=notes,
        level=level,
        code_column=code_col,
        value_column=chosen,
        value_columns=tuple(candidates),
        n_covered=len(valid),
        n_total=n_total,
    )


def _share(part: int, whole: int) -> str:
    share = part / whole if whole else 0.0
    return "under 1%" if 0 < share < 0.01 else f"{share:.0%}"


def _drop_repeats(
    valid: pd.DataFrame, rejected: list[dict[str, object]], code_col: str
) -> tuple[pd.DataFrame, list[dict[str, object]]]:
    """Drop every row of a code given twice with different values, and later copies of a code with one value."""
    groups = valid.groupby("area_code")
    conflicting = groups["value"].transform("nunique") > 1
    first = groups["row"].transform("min")
    rows_of = valid[conflicting].groupby("area_code")["row"].agg(lambda r: ", ".join(map(str, r)))
    for r, code in zip(valid.loc[conflicting, "row"], valid.loc[conflicting, "area_code"], strict=True):
        reason = f"code given more than once with different values (rows {rows_of[code]}); keep one"
        rejected.append(reject_row(int(r), code_col, code, reason))
    copies = ~conflicting & (valid["row"] != first)
    for r, code, f in zip(valid.loc[copies, "row"], valid.loc[copies, "area_code"], first[copies], strict=True):
        rejected.append(reject_row(int(r), code_col, code, f"duplicate of row {f}"))
    return valid[~conflicting & ~copies], rejected
