"""Reading the official files where they cross into the project: existence, sheets, CSVs, vector layers, CRS.

Each problem raises a named error from `errors` that names the file and says what to do; `validate` checks the
rows once read.
"""

from __future__ import annotations

import math
import struct
import zipfile
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import geopandas as gpd
import pandas as pd
import pyogrio
import pyogrio.errors
import pyproj
from python_calamine import CalamineError

from cohesion_metrics import errors
from cohesion_metrics.extract.validate import require_columns
from cohesion_metrics.settings import ANALYSIS_CRS

_BNG = pyproj.CRS(ANALYSIS_CRS)


def require_file(path: Path) -> Path:
    """Return `path` if it is a file, else raise MissingSourceFileError."""
    if not path.is_file():
        raise errors.MissingSourceFileError(
            "the file is missing.",
            path=path,
            fix=f"download it with `python -m cohesion_metrics fetch`, or place it at {path}.",
        )
    return path


def read_sheet(
    path: Path, sheet: str, *, header: int | None = 0, nrows: int | None = None, keep_default_na: bool = True
) -> pd.DataFrame:
    """Read one sheet of an .xlsx/.xls workbook (calamine), with named errors for a missing file or sheet.

    With `keep_default_na=False` only blank cells are missing: text such as "n/a" or "NA" stays as published.
    """
    require_file(path)
    na: dict[str, Any] = {} if keep_default_na else {"keep_default_na": False, "na_values": [""]}
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
            return pd.read_excel(book, sheet_name=sheet, header=header, nrows=nrows, **na)
    except errors.SourceError:
        raise
    except (ValueError, OSError, KeyError, zipfile.BadZipFile, CalamineError) as exc:
        raise errors.CorruptFileError(
            f"the workbook cannot be read ({exc}).", path=path, fix="download the file again."
        ) from exc


def read_csv(
    path: Path, columns: Iterable[str] = (), *, fix: str = "download the file again.", **options: Any
) -> pd.DataFrame:
    """Read a CSV with pandas `options`, then require `columns`; CorruptFileError if it cannot be parsed."""
    require_file(path)
    try:
        frame = pd.read_csv(path, **options)
    except (UnicodeDecodeError, pd.errors.ParserError, pd.errors.EmptyDataError) as exc:
        raise errors.CorruptFileError(f"the CSV cannot be read ({exc}).", path=path, fix=fix) from exc
    require_columns(frame, columns, path=path)
    return frame


def read_vector(path: Path) -> gpd.GeoDataFrame:
    """Read a vector file with pyogrio; CorruptFileError if it cannot be read or holds no geometries."""
    try:
        frame = pyogrio.read_dataframe(path)
    except (pyogrio.errors.DataSourceError, pyogrio.errors.DataLayerError, UnicodeDecodeError) as exc:
        raise errors.CorruptFileError(
            f"the file cannot be read ({exc}).", path=path, fix="download the source again and use it unchanged."
        ) from exc
    if not isinstance(frame, gpd.GeoDataFrame):
        raise errors.CorruptFileError("the file holds no geometries.", path=path, fix="download the source again.")
    return frame


def read_shapefile(path: Path, columns: list[str]) -> gpd.GeoDataFrame:
    """Read a published shapefile after `check_shapefile`; require the attribute `columns` (named on the .dbf)."""
    path = Path(path)
    check_shapefile(path)
    frame = read_vector(path)
    require_columns(frame, columns, path=path.with_suffix(".dbf"))
    return frame


def check_shapefile(shp: Path) -> None:
    """Require the .shp, .shx, .dbf and .prj, and compare their header sizes with the files.

    GDAL reads a cut .shp as null geometries and a short .dbf silently, so truncation is caught here first.
    """
    for ext in (".shp", ".shx", ".dbf", ".prj"):
        require_file(shp.with_suffix(ext))
    shx, dbf = shp.with_suffix(".shx"), shp.with_suffix(".dbf")
    fix = "the shapefile is truncated or damaged: download the source again and keep all its parts together."
    for part in (shp, shx):
        head = _head(part, 100)
        if len(head) < 100 or struct.unpack(">i", head[:4])[0] != 9994:
            raise errors.CorruptFileError("the file is not a shapefile part (bad header).", path=part, fix=fix)
        declared = struct.unpack(">i", head[24:28])[0] * 2
        actual = part.stat().st_size
        if declared != actual:
            raise errors.CorruptFileError(
                f"the file has {actual:,} bytes but its header says {declared:,}.", path=part, fix=fix
            )
    shapes = (shx.stat().st_size - 100) // 8
    head = _head(dbf, 32)
    if len(head) < 32:
        raise errors.CorruptFileError("the .dbf attribute table is empty or cut short.", path=dbf, fix=fix)
    records, header_len, record_len = struct.unpack("<IHH", head[4:12])
    needed = header_len + records * record_len
    if dbf.stat().st_size < needed:
        raise errors.CorruptFileError(
            f"the attribute table has {dbf.stat().st_size:,} bytes but its header needs {needed:,}.", path=dbf, fix=fix
        )
    if records != shapes:
        raise errors.CorruptFileError(
            f"the attribute table has {records:,} records but the .shx indexes {shapes:,} shapes.", path=dbf, fix=fix
        )


def _head(path: Path, size: int) -> bytes:
    with path.open("rb") as handle:
        return handle.read(size)


def require_crs(frame: gpd.GeoDataFrame, expected: str, *, path: Path) -> gpd.GeoDataFrame:
    """Return `frame` with its CRS set exactly to `expected` (e.g. EPSG:27700 or EPSG:4326) if it is that CRS.

    An ESRI "British_National_Grid" .prj is accepted as EPSG:27700 when its datum, projection and parameters are
    those of BNG (its scale factor is rounded to 0.999601272). Anything else raises CRSMismatchError.
    """
    found = frame.crs
    target = pyproj.CRS(expected)
    ok = found is not None and (_is_bng(found) if target.equals(_BNG) else found.equals(target, ignore_axis_order=True))
    if not ok:
        raise errors.CRSMismatchError(
            f"the layer's coordinate reference system is {_describe_crs(found)}; expected {target.name} ({expected}).",
            path=path,
            fix=f"use the publisher's original files unchanged (with their .prj), or reproject to {expected}.",
        )
    return frame.set_crs(target, allow_override=True)


def _is_bng(crs: pyproj.CRS) -> bool:
    """Tell whether `crs` is British National Grid, whether written as EPSG:27700 or as ESRI WKT."""
    if crs.equals(_BNG, ignore_axis_order=True):
        return True
    op, ref = crs.coordinate_operation, _BNG.coordinate_operation
    if not crs.is_projected or op is None or ref is None or crs.geodetic_crs is None:
        return False
    if not crs.geodetic_crs.equals(_BNG.geodetic_crs, ignore_axis_order=True) or op.method_code != ref.method_code:
        return False
    if any(axis.unit_conversion_factor != 1.0 for axis in crs.axis_info):
        return False
    params = {p.code: p.value for p in op.params}
    return all(
        p.code in params and math.isclose(float(params[p.code]), float(p.value), rel_tol=1e-8, abs_tol=1e-9)
        for p in ref.params
    )


def _describe_crs(crs: pyproj.CRS | None) -> str:
    if crs is None:
        return "missing (no .prj or no crs member)"
    authority = crs.to_authority()
    return f"{crs.name!r}" + (f" ({authority[0]}:{authority[1]})" if authority else "")
