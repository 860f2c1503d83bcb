"""Issue 10 bad input through a full build: each a named error naming file/column/row, the old database unchanged."""

from __future__ import annotations

import csv
import dataclasses
import hashlib
from collections.abc import Iterator
from pathlib import Path

import pytest

from cohesion_metrics import errors
from cohesion_metrics.build import derived_indicators
from cohesion_metrics.build.pipeline import build_database
from cohesion_metrics.metadata.indicators import INDICATORS

pytestmark = pytest.mark.real_data

LOOKUP = "LSOA_(2011)_to_LSOA_(2021)_to_Local_Authority_District_(2022)_Lookup_for_England_and_Wales.csv"
#: A London 2011 LSOA split in 2021 (CHGIND S) and one of its 2021 children.
RETIRED_2011, CHILD_2021 = "E01000010", "E01034473"


def _raw_with_copy_of(shared: Path, dest: Path, folder: str) -> Path:
    """Symlinks to every official folder, except `folder`, whose files are symlinked one by one (replaceable)."""
    for source in shared.iterdir():
        if source.is_dir() and source.name != folder:
            (dest / source.name).symlink_to(source, target_is_directory=True)
    (dest / folder).mkdir()
    for f in (shared / folder).iterdir():
        (dest / folder / f.name).symlink_to(f)
    return dest / folder


def _rewrite(path: Path, text: bytes) -> None:
    path.unlink()
    path.write_bytes(text)


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture(autouse=True)
def _read_again_only_the_changed_source(memoised_source_loads) -> Iterator[None]:
    with memoised_source_loads():
        yield


@pytest.fixture
def previous(tmp_path: Path) -> Path:
    target = tmp_path / "cohesion.duckdb"
    target.write_bytes(b"previous database: must survive a failed build")
    return target


def _fails(raw: Path, target: Path, expected: type[Exception]) -> str:
    before = _sha256(target)
    with pytest.raises(expected) as info:
        build_database(raw, target, log=lambda _: None)
    assert _sha256(target) == before
    assert not target.with_name(target.name + ".tmp").exists()
    return str(info.value)


def test_census_table_without_its_total_column(shared_data: Path, tmp_path: Path, previous: Path) -> None:
    (tmp_path / "raw").mkdir()
    folder = _raw_with_copy_of(shared_data, tmp_path / "raw", "census2021_nomis_lsoa")
    path = folder / "census2021-ts039-lsoa.csv"
    with path.open(encoding="utf-8", newline="") as handle:
        rows = [r[:3] + r[4:] for r in csv.reader(handle)]
    path.unlink()
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle, lineterminator="\n").writerows(rows)
    message = _fails(tmp_path / "raw", previous, errors.ColumnMismatchError)
    assert "census2021-ts039-lsoa.csv" in message
    assert "Provision of unpaid care: Total: All usual residents aged 5 and over" in message


def test_subtotal_summed_with_its_parts(shared_data: Path, previous: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    twice = tuple(
        dataclasses.replace(i, numerator=("disabled", "disabled_limited_a_lot")) if i.id == "disabled_pct" else i
        for i in INDICATORS
    )
    monkeypatch.setattr(derived_indicators, "INDICATORS", twice)
    message = _fails(shared_data, previous, errors.SubtotalDoubleCountError)
    assert "census2021-ts038-lsoa.csv" in message and "column 'disabled'" in message
    assert "'disabled_pct'" in message


def test_lookup_row_with_unknown_change_indicator(shared_data: Path, tmp_path: Path, previous: Path) -> None:
    (tmp_path / "raw").mkdir()
    folder = _raw_with_copy_of(shared_data, tmp_path / "raw", "ons_lookups")
    path = folder / LOOKUP
    lines = path.read_bytes().split(b"\n")
    row = next(i for i, line in enumerate(lines) if line.startswith(b"E01000010,"))
    lines[row] = lines[row].replace(b",S,", b",Q,")
    _rewrite(path, b"\n".join(lines))
    message = _fails(tmp_path / "raw", previous, errors.UnknownChangeIndicatorError)
    assert LOOKUP in message and "column 'CHGIND'" in message and f"row {row + 1}" in message and "'Q'" in message


def test_2011_code_where_a_2021_code_is_expected(shared_data: Path, tmp_path: Path, previous: Path) -> None:
    (tmp_path / "raw").mkdir()
    folder = _raw_with_copy_of(shared_data, tmp_path / "raw", "census2021_nomis_lsoa")
    for path in sorted(folder.glob("census2021-ts*-lsoa.csv")):  # the same retired code in every table
        _rewrite(path, path.read_bytes().replace(CHILD_2021.encode(), RETIRED_2011.encode()))
    message = _fails(tmp_path / "raw", previous, errors.CodeVintageError)
    assert "column 'geography code', row " in message and RETIRED_2011 in message
    assert "census2021-ts" in message and "retired in 2021" in message
