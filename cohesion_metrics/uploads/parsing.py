"""Session-private uploads of local data: bytes in, checked frames out. Nothing here touches disk or the database.

A borough officer's file lives only in the memory of their browser session: every parser takes the uploaded
`bytes` and returns an `UploadResult` (rows kept, rows rejected with the reason, plain-English notes) or raises
`errors.UploadError` when the whole file is unusable, with what to fix. Cells are only ever read as text and
parsed as numbers: a formula such as ``=HYPERLINK(...)`` stays plain text and is never evaluated.

This module holds what the parsers share: decoding and CSV reading here, and (from `cells`, importable from here)
limits, result type, number and text cleaning; the parsers are:

- `spaces_csv.read_spaces_csv`: inclusive spaces (name, type, WGS84 or British National Grid coordinates),
  placed in their London LSOA 2011 by point in polygon;
- `indicator_csv.read_indicator_csv`: one value per LSOA 2011 or ward code;
- `areas_file.read_areas`: custom areas from GeoJSON or GeoPackage.

`analysis` recomputes catchments with uploaded spaces and summarises indicators over custom areas;
`local_indicator` adds an uploaded indicator to the composite. Row numbers are those a spreadsheet user sees: the header is row 1.
"""

from __future__ import annotations

import codecs
import csv
import io
import json
import math
from collections import Counter
from dataclasses import dataclass
from typing import cast

import pandas as pd

from cohesion_metrics import errors
from cohesion_metrics.uploads.cells import (
    CONTROL_CHARS,
    MAX_COLUMNS,
    MAX_ROWS,
    MAX_TITLE_ROWS,
    MAX_UPLOAD_BYTES,
    MAX_UPLOAD_MB,
    clean_text,
    comma_is_decimal,
    reject_row,
)

_SIGNATURES = (
    (b"PK\x03\x04", "a ZIP archive or an Excel workbook (.xlsx)"),
    (b"\xd0\xcf\x11\xe0", "an old-style Excel workbook (.xls)"),
    (b"%PDF", "a PDF document"),
    (b"SQLite format 3\x00", "a GeoPackage or SQLite database"),
    (b"\x89PNG", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"),
)
_DELIMITER_NAMES = {",": "comma", ";": "semicolon", "\t": "tab", "|": "pipe"}
_DELIMITERS = tuple(_DELIMITER_NAMES)
_SAVE_AS_CSV = "open it in Excel or LibreOffice and save it as 'CSV UTF-8 (comma delimited)'."


# ----------------------------------------------------------------------------------------------------------------
# Bytes to text to table
# ----------------------------------------------------------------------------------------------------------------


def _is_blank(data: bytes) -> bool:
    """Whether the bytes hold no text but whitespace and byte-order marks (UTF-8, or UTF-16 with its mark)."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) and len(data) <= MAX_UPLOAD_BYTES:
        return not data.decode("utf-16", errors="replace").replace("\ufeff", "").strip()
    return not data.replace(codecs.BOM_UTF8, b"").strip()


def check_size(data: bytes, file_name: str) -> None:
    """Raise UploadError for an empty file (nothing but whitespace or a byte-order mark) or one over MAX_UPLOAD_BYTES."""
    if _is_blank(data):
        raise errors.UploadError("the file is empty.", path=file_name, fix="choose the file that holds your data.")
    if len(data) > MAX_UPLOAD_BYTES:
        raise errors.UploadError(
            f"the file is {math.ceil(len(data) / 100_000) / 10:.1f} MB; the limit is {MAX_UPLOAD_MB} MB.",
            path=file_name,
            fix="remove unused columns or rows, or split it (e.g. by borough).",
        )


def sniff_binary(data: bytes) -> str | None:
    """Say what a binary file looks like ("a PDF document"), or None if it may be text."""
    for magic, what in _SIGNATURES:
        if data.startswith(magic):
            return what
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return None
    return "binary data" if b"\x00" in data[:8192] else None


def decode_text(data: bytes, file_name: str) -> tuple[str, str]:
    """Return the text of an uploaded text file and a note on its encoding.

    Tries UTF-8 (with or without a byte-order mark), then Windows-1252 (Excel's "CSV" on Windows); UTF-16 with a
    byte-order mark (Excel's "Unicode text") is read too. Raises UploadError for empty, oversized or binary files.
    """
    check_size(data, file_name)
    binary = sniff_binary(data)
    if binary:
        raise errors.UploadError(f"this is {binary}, not a CSV text file.", path=file_name, fix=_SAVE_AS_CSV)
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            text, encoding = data.decode("utf-16"), "UTF-16"
        except UnicodeDecodeError as exc:
            raise errors.UploadError("the file is damaged UTF-16 text.", path=file_name, fix=_SAVE_AS_CSV) from exc
    else:
        try:
            text = data.decode("utf-8-sig")
            encoding = "UTF-8 with a byte-order mark" if data.startswith(codecs.BOM_UTF8) else "UTF-8"
        except UnicodeDecodeError:
            try:
                text, encoding = data.decode("cp1252"), "Windows-1252"
            except UnicodeDecodeError as exc:
                raise errors.UploadError(
                    "the file is neither UTF-8 nor Windows-1252 text (it may be binary or damaged).",
                    path=file_name,
                    fix=_SAVE_AS_CSV,
                ) from exc
    controls = len(CONTROL_CHARS.findall(text[:100_000]))
    if controls > max(3, len(text[:100_000]) // 200):
        raise errors.UploadError(
            "the file holds binary data (many control characters), not CSV text.", path=file_name, fix=_SAVE_AS_CSV
        )
    note = f"Text encoding: {encoding}." + (
        " Check that accented letters (e.g. 'Café') look right." if encoding == "Windows-1252" else ""
    )
    return text, note


def _refuse_other_formats(text: str, file_name: str) -> None:
    head = text.lstrip()[:2048].lower()
    if head.startswith(("<!doctype html", "<html", "<?xml", "<table", "<head", "<body")) or "<html" in head:
        raise errors.UploadError(
            "this is a web page (HTML/XML), not a CSV file: a browser saved the page instead of the data.",
            path=file_name,
            fix="download the CSV file itself, or open the data in a spreadsheet and save it as CSV.",
        )
    if head.startswith(("{", "[")) and _is_json(text):
        geo = '"featurecollection"' in head or '"feature"' in head
        raise errors.UploadError(
            "this is JSON" + (" (GeoJSON)" if geo else "") + ", not a CSV file.",
            path=file_name,
            fix="upload GeoJSON as custom areas, or save the data as a CSV with a header row."
            if geo
            else "save the data as a CSV with a header row.",
        )


def _is_json(text: str) -> bool:
    try:
        json.loads(text)
    except ValueError:
        return False
    return True


def _delimiter(text: str) -> str:
    """The delimiter (comma, semicolon, tab or pipe) that splits the header row into the most names.

    For each delimiter the header is, as in `read_table`, the first of the first non-blank lines with at least two
    filled cells, so title rows are passed over and data rows never decide: a comma inside a value of a semicolon
    or tab file ("0,5", "Smith, Jones") does not make it a comma file. Ties go to the delimiter whose header comes
    first, then to comma, semicolon, tab and pipe in that order.
    """
    lines = [line for line in text.splitlines()[: 4 * MAX_TITLE_ROWS] if line.strip()][: 2 * MAX_TITLE_ROWS]
    best, best_key = ",", (0, 0)
    for delimiter in _DELIMITERS:
        for k, line in enumerate(lines):
            filled = sum(1 for cell in next(csv.reader([line], delimiter=delimiter), []) if cell.strip())
            if filled >= 2:
                if (filled, -k) > best_key:
                    best, best_key = delimiter, (filled, -k)
                break
    return best


@dataclass
class Table:
    """A CSV read as text cells: header, rows (padded to the header), their file rows, rejects and notes."""

    header: list[str]
    rows: list[list[str]]
    row_numbers: list[int]
    rejected: list[dict[str, object]]
    notes: list[str]
    delimiter: str

    def frame(self) -> pd.DataFrame:
        """The cells as an object DataFrame (empty string = blank), indexed by file row."""
        return pd.DataFrame(self.rows, columns=self.header, index=self.row_numbers, dtype=object)

    def decimal_comma(self, column: str) -> bool:
        """Whether the numbers of `column` use decimal commas (see `comma_is_decimal`)."""
        k = self.header.index(column)
        return comma_is_decimal(self.delimiter, (row[k] for row in self.rows))


def read_table(data: bytes, file_name: str) -> Table:
    """Read an uploaded CSV into text cells (never evaluated); raise UploadError if it is not a usable CSV.

    Handles the encodings of `decode_text`, comma, semicolon, tab or pipe delimiters, title rows above the header,
    blank rows (skipped) and trailing empty cells; a row with more filled cells than the header is rejected.
    """
    text, encoding_note = decode_text(data, file_name)
    _refuse_other_formats(text, file_name)
    delimiter = _delimiter(text[:100_000])
    notes = [encoding_note]
    if delimiter != ",":
        notes.append("Columns are separated by " + {";": "semicolons", "\t": "tabs", "|": "pipes"}[delimiter] + ".")
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    records: list[list[str]] = []
    try:
        for record in reader:
            records.append(record)
            if len(records) > MAX_ROWS + MAX_TITLE_ROWS + 1:
                raise errors.UploadError(
                    f"the file has more than {MAX_ROWS:,} data rows.",
                    path=file_name,
                    fix="keep the rows you need (e.g. your borough's) and upload again.",
                )
    except csv.Error as exc:
        raise errors.UploadError(
            f"the CSV cannot be read ({exc}).",
            path=file_name,
            row=len(records) + 1,
            fix='check for an unclosed quote (") in that row or above it, then save as CSV again.',
        ) from exc
    cells = [[c.strip() for c in r] for r in records]
    filled = [sum(1 for c in r if c) for r in cells]
    start = next((i for i, n in enumerate(filled) if n >= 2), None)
    if start is None:
        raise errors.UploadError(
            "no header row with at least two column names was found.",
            path=file_name,
            fix="put the column names in the first row (e.g. name,type,latitude,longitude).",
        )
    if start > MAX_TITLE_ROWS:
        raise errors.UploadError(
            f"the header row is row {start + 1}; only {MAX_TITLE_ROWS} title rows above it are skipped.",
            path=file_name,
            fix="delete the rows above the column names.",
        )
    if start:
        notes.append(f"Skipped {start} title row(s) above the header in row {start + 1}.")
    while cells[start] and not cells[start][-1]:  # trailing empty cells of the header row
        cells[start] = cells[start][:-1]
    if len(cells[start]) > MAX_COLUMNS:
        raise errors.UploadError(
            f"the header row has {len(cells[start]):,} columns; the limit is {MAX_COLUMNS:,}.",
            path=file_name,
            row=start + 1,
            fix="keep the columns you need (codes or names, coordinates, values) and upload again.",
        )
    header = _unique_header(cells[start])
    width = len(header)
    rows, numbers, rejected = [], [], []
    blank = 0
    for i in range(start + 1, len(cells)):
        row = cells[i]
        if not any(row):
            blank += 1
            continue
        while len(row) > width and not row[-1]:
            row = row[:-1]
        if len(row) > width:
            rejected.append(
                reject_row(
                    i + 1,
                    "",
                    delimiter.join(records[i]),
                    f"the row has {len(row)} cells but the header has {width}: a name may contain an unquoted "
                    f"'{delimiter}'",
                )
            )
            continue
        rows.append(row + [""] * (width - len(row)))
        numbers.append(i + 1)
    if blank:
        notes.append(f"Skipped {blank} blank row(s).")
    if len(rows) > MAX_ROWS:
        raise errors.UploadError(
            f"the file has {len(rows):,} data rows; the limit is {MAX_ROWS:,}.",
            path=file_name,
            fix="keep the rows you need (e.g. your borough's) and upload again.",
        )
    if not rows and rejected:
        which = (
            "the only data row cannot be read"
            if len(rejected) == 1
            else f"none of the {len(rejected)} data rows can be read; the first"
        )
        raise errors.UploadError(
            f"{which}: {rejected[0]['reason']}.",
            path=file_name,
            row=cast(int, rejected[0]["row"]),
            fix=f'put quotes around values that contain a {_DELIMITER_NAMES[delimiter]} (e.g. "Smith, Jones Hall"), '
            "or save the file again from a spreadsheet as CSV.",
        )
    if not rows:
        raise errors.UploadError(
            "the file has a header but no data rows.", path=file_name, fix="add one row per space or area."
        )
    return Table(header, rows, numbers, rejected, notes, delimiter)


def _unique_header(cells: list[str]) -> list[str]:
    """Cleaned column names, repeats numbered "name (2)", "name (3)", …: linear in the number of columns."""
    out: list[str] = []
    taken: set[str] = set()
    counter: Counter[str] = Counter()
    for k, cell in enumerate(cells):
        base = clean_text(cell) or f"column {k + 1}"
        name = base
        while name in taken:  # each base's counter only moves forward, so the loop runs O(columns) in all
            counter[base] += 1
            name = f"{base} ({counter[base] + 1})"
        taken.add(name)
        out.append(name)
    return out
