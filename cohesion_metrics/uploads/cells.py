"""Cells of an uploaded file: limits, the parsers' result type, rejected rows, text, numbers and headers.

What every parser shares once a file is text: the size limits, `UploadResult` and its rejected-row records, text
cleaning (NFC, no control or bidi characters, cut to a length), markdown escaping for anything a user supplied,
numbers (thousands separators, decimal commas), header matching and the note on formula-like names. Cells are
only ever read as text and parsed as numbers: a formula such as ``=HYPERLINK(...)`` stays plain text.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

import pandas as pd

from cohesion_metrics import errors
from cohesion_metrics.outputs.safe_csv import looks_like_formula

#: Largest upload in megabytes. Streamlit's `server.maxUploadSize` counts a megabyte as 1,000,000 bytes (its
#: uploader refuses a file over `maxUploadSize * 1e6` bytes), so this is the one number both use: app.py sets
#: Streamlit's option from it, and `tests/uploads/test_uploads.py` checks `.streamlit/config.toml` agrees.
MAX_UPLOAD_MB = 20
MAX_UPLOAD_BYTES = MAX_UPLOAD_MB * 1_000_000
#: Most columns in a CSV (a wide indicator file has a few dozen).
MAX_COLUMNS = 500
#: Most column names quoted in one message.
MAX_LISTED = 10
#: Most data rows read from a CSV (a national LSOA file has about 35,000).
MAX_ROWS = 50_000
#: Names longer than this are cut (with an ellipsis).
MAX_NAME_CHARS = 120
#: Title rows above the header that are skipped (rows with at most one filled cell).
MAX_TITLE_ROWS = 5
REJECTED_COLUMNS = ("row", "column", "value", "reason")
_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?")
_THOUSANDS = re.compile(r"[+-]?\d{1,3}(,\d{3})+(\.\d+)?")
_DECIMAL_COMMA = re.compile(r"[+-]?\d+,\d+")
#: Control characters, the zero-width space and the byte-order mark: spaces in a name; many mean a binary file.
CONTROL_CHARS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u200b\ufeff]")
#: Bidirectional controls (e.g. U+202E right-to-left override) and zero-width characters, which can make a name read
#: as another one (or two names look the same).
_BIDI = re.compile(r"[\u061c\u200b-\u200f\u202a-\u202e\u2060\u2066-\u2069\ufeff]")


@dataclass(frozen=True)
class UploadResult:
    """What a parser kept, what it rejected and why, and notes on how it read the file.

    `valid` is a DataFrame (GeoDataFrame for spaces and areas); `rejected` has one row per problem with columns
    row (spreadsheet row, header = 1; feature number for vector files), column, value (as in the file) and reason.
    """

    valid: pd.DataFrame
    rejected: pd.DataFrame
    notes: list[str] = field(default_factory=list)

    @property
    def n_rejected_rows(self) -> int:
        """Number of distinct file rows rejected."""
        return int(self.rejected["row"].nunique())


def comma_is_decimal(delimiter: str, values: Iterable[str]) -> bool:
    """Whether commas in a column's numbers are decimal commas ("51,5") rather than thousands separators ("1,234").

    In a semicolon file they are (the European convention: ';' separates columns because ',' is the decimal mark).
    In a comma, tab or pipe file they are only if some number of the column has a comma that cannot separate
    thousands (not followed by groups of exactly three digits), as in "0,5" or "51,5155"; so "1,234" is 1234.
    """
    if delimiter == ";":
        return True
    for value in values:
        s = value.strip().removesuffix("%").replace("\u00a0", "").replace(" ", "")
        if "," in s and _DECIMAL_COMMA.fullmatch(s) and not _THOUSANDS.fullmatch(s):
            return True
    return False


def list_names(names: list[str], limit: int = MAX_LISTED) -> str:
    """Column names for a message: all of a short list, else the first `limit` and how many more."""
    if len(names) <= limit:
        return repr(names)
    return repr(names[:limit])[:-1] + f", … and {len(names) - limit:,} more]"


def reject_row(row: int, column: str, value: object, reason: str) -> dict[str, object]:
    """One rejected-row record (the value cut to 80 characters for display)."""
    text = "" if value is None else str(value)
    return {"row": row, "column": column, "value": text[:80] + ("…" if len(text) > 80 else ""), "reason": reason}


def rejected_frame(rows: Iterable[Mapping[str, object]]) -> pd.DataFrame:
    """The rejected rows as a frame with REJECTED_COLUMNS, sorted by row."""
    frame = pd.DataFrame(list(rows), columns=list(REJECTED_COLUMNS))
    frame["row"] = frame["row"].astype("int64")
    for col in REJECTED_COLUMNS[1:]:
        frame[col] = frame[col].astype("str")
    return frame.sort_values("row", kind="stable").reset_index(drop=True)


def clean_text(value: str, limit: int = MAX_NAME_CHARS) -> str:
    """Return `value` as NFC text without control or bidi-control characters, whitespace collapsed, cut to `limit`.

    So "Café" typed two ways (NFC or NFD) is one name, and a right-to-left override cannot make a name read as another.
    """
    text = " ".join(CONTROL_CHARS.sub(" ", _BIDI.sub("", unicodedata.normalize("NFC", value))).split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


#: Where GitHub-style autolinks start, after escaping: "\:\/" (of "://"), "www\." and "\@".
_AUTOLINK = re.compile(r"\\:\\/|(?i:www)\\\.|\\@")
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()<>#+\-.!|:~$=^&\"'/@%])")


def escape_markdown(text: str) -> str:
    """`text` as literal Streamlit markdown: every ASCII punctuation mark backslash-escaped.

    For anything a user supplied (file, column, area, layer and space names, and messages that quote them): no
    `:red[...]` colour, `**bold**`, `[link](...)`, `![image](...)` (a remote request), `$maths$` or autolinked web
    or e-mail address ("www.", "://", "a@b.c") is rendered; the text reads as typed. Newlines become spaces. Escapes
    do not stop GitHub-style autolinks, so an invisible word joiner (U+2060) goes inside "://", "www." and before "@".
    """
    escaped = _MARKDOWN_SPECIAL.sub(r"\\\1", " ".join(text.split()))
    return _AUTOLINK.sub(lambda m: m.group(0)[:-2] + "\u2060" + m.group(0)[-2:], escaped)


def parse_number(text: str, *, decimal_comma: bool = False) -> float | None:
    """Return `text` as a finite float, or None: "1,234.5" and (with `decimal_comma`) "51,5" are numbers.

    Only digits, sign, point and exponent are accepted, so "nan", "inf" and formulas are never numbers.
    """
    s = text.strip().replace("\u00a0", "").replace(" ", "")
    if decimal_comma and _DECIMAL_COMMA.fullmatch(s):
        s = s.replace(",", ".")
    elif _THOUSANDS.fullmatch(s):
        s = s.replace(",", "")
    if not _NUMBER.fullmatch(s):
        return None
    value = float(s)
    return value if math.isfinite(value) else None


def normalise_header(header: str) -> str:
    """A header as a key: lower case, "&" as "and", other non-alphanumerics as "_" ("Latitude (WGS84)" -> "latitude_wgs84")."""
    return re.sub(r"[^a-z0-9]+", "_", header.lower().replace("&", "and")).strip("_")


def find_column(header: list[str], aliases: Iterable[str], *, role: str, file_name: str) -> str | None:
    """The one column whose normalised name (or its first word) is an alias; UploadError if several match."""
    names = set(aliases)
    hits = [h for h in header if normalise_header(h) in names or normalise_header(h).split("_")[0] in names]
    exact = [h for h in hits if normalise_header(h) in names]
    hits = exact if len(exact) == 1 else hits
    if len(hits) > 1:
        raise errors.UploadError(
            f"{len(hits)} columns could be the {role}: {', '.join(repr(h) for h in hits[:MAX_LISTED])}"
            + (f", … and {len(hits) - MAX_LISTED:,} more." if len(hits) > MAX_LISTED else "."),
            path=file_name,
            column=hits[1],
            fix=f"keep one {role} column, or rename the others.",
        )
    return hits[0] if hits else None


def formula_note(names: pd.Series) -> list[str]:
    """A note when names look like spreadsheet formulas (they are kept as text)."""
    formula = names[names.map(looks_like_formula).astype(bool)]
    if formula.empty:
        return []
    return [
        f"{len(formula)} name(s) start with =, +, - or @ (e.g. {formula.iloc[0]!r}): kept as plain text, "
        "never evaluated as spreadsheet formulas."
    ]
