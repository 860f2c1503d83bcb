"""Named errors: bad input (each message says which file, sheet, column and row is wrong and what to do), and builds."""

from __future__ import annotations

from pathlib import Path


class SourceError(ValueError):
    """A source file (official or uploaded) cannot be used as it is."""

    def __init__(
        self,
        problem: str,
        *,
        path: str | Path | None = None,
        sheet: str | None = None,
        column: str | None = None,
        row: int | None = None,
        fix: str | None = None,
    ) -> None:
        self.problem = problem
        self.path = None if path is None else str(path)
        self.sheet = sheet
        self.column = column
        self.row = row
        self.fix = fix
        super().__init__(self._message())

    def _message(self) -> str:
        where = []
        if self.path is not None:
            where.append(f"file {Path(self.path).name!r}")
        if self.sheet is not None:
            where.append(f"sheet {self.sheet!r}")
        if self.column is not None:
            where.append(f"column {self.column!r}")
        if self.row is not None:
            where.append(f"row {self.row}")
        text = (", ".join(where) + ": " if where else "") + self.problem
        if self.fix:
            text += f" To fix: {self.fix}"
        return text


class MissingSourceFileError(SourceError, FileNotFoundError):
    """An expected file is not there."""


class CorruptFileError(SourceError):
    """A file exists but cannot be read (truncated, wrong format, wrong encoding)."""


class SheetNotFoundError(SourceError):
    """A workbook lacks the expected sheet."""


class ColumnMismatchError(SourceError):
    """Expected columns are missing or renamed."""


class CodeFormatError(SourceError):
    """Area codes do not follow the expected GSS pattern (e.g. E01 for LSOAs)."""


class CodeVintageError(SourceError):
    """A code from the wrong geography vintage (e.g. a 2021 LSOA code where 2011 is expected)."""


class DuplicateCodeError(SourceError):
    """An area code appears more than once where it must be unique."""


class NonNumericValueError(SourceError):
    """A value that must be numeric is not."""


class ValueRangeError(SourceError):
    """A numeric value lies outside its valid range."""


class InconsistentTotalsError(ValueRangeError):
    """Published parts do not add up to their published total."""


class SubtotalDoubleCountError(SourceError):
    """An indicator would add a published subtotal to one of its own parts (people counted twice)."""


class UnknownChangeIndicatorError(ValueRangeError):
    """A lookup row carries a change indicator (CHGIND) other than U, S, M or X."""


class UnknownBoroughError(SourceError):
    """A borough name that is not one of the 33 London boroughs, even after normalisation."""


class RowCountError(SourceError):
    """A file has a different number of rows than the publisher's release."""


class CRSMismatchError(SourceError):
    """Geometries are in an unexpected coordinate reference system."""


class InvalidGeometryError(SourceError):
    """Geometries are empty, invalid or outside London."""


class ChecksumError(SourceError):
    """A downloaded or supplied file does not match the catalogue's sha256."""


class UploadError(SourceError):
    """A file uploaded in the app cannot be used at all (empty, too large, not the expected kind, no usable rows)."""


class UploadWorkerError(UploadError):
    """The worker process reading an upload crashed or ran out of time (`uploads.worker`)."""


class OfflineError(RuntimeError):
    """The official download host could not be reached."""


class DatabaseUnavailableError(RuntimeError):
    """The app's database can neither be opened nor rebuilt (no writable folder, a damaged snapshot); says why."""


class BuildLockedError(RuntimeError):
    """Another live process holds the build lock for longer than the wait allows."""


class BuildCheckError(RuntimeError):
    """A post-build consistency check failed; the previous database is kept."""


class AggregationInputError(ValueError):
    """Inputs to an area summary that cannot be used (missing column, bad population or percentile)."""


class ClassifyInputError(ValueError):
    """Inputs to a classification that cannot be used."""


class NeighbourInputError(ValueError):
    """A profile that cannot be compared: missing values, duplicate area codes, too few areas or a bad k."""


class CompositeInputError(ValueError):
    """Indicator values, specs or weights that the composite cannot use."""


class UnknownIdError(CompositeInputError):
    """An indicator or pillar id that is not in the specs or the values."""


class SpecError(CompositeInputError):
    """Indicator specs that are empty, duplicated or invalid."""


class IndicatorValueError(CompositeInputError):
    """Indicator values that are not usable: non-numeric, infinite, duplicate area codes, negative under log."""


class EmptyIndicatorError(IndicatorValueError):
    """An indicator with no value for any area (drop it or give it data)."""


class WeightError(CompositeInputError):
    """Weights that are negative, NaN, infinite, all zero, incomplete, or an unknown preset."""
