"""CSV downloads cannot run as spreadsheet formulas, and their names say what they hold."""

from __future__ import annotations

import datetime as dt
import io

import pandas as pd
import pytest

from cohesion_metrics.outputs import safe_csv


@pytest.mark.parametrize("cell", ["=1+1", "+44 20", "-2+3", "@SUM(A1)", "\tx", "\rx", '=HYPERLINK("http://x")'])
def test_formula_like_text_is_neutralised(cell: str) -> None:
    assert safe_csv.neutralise_cell(cell) == "'" + cell


@pytest.mark.parametrize("cell", ["Hackney 001A", "", "a=b", 3, -0.5, None])
def test_other_cells_are_unchanged(cell: object) -> None:
    assert safe_csv.neutralise_cell(cell) == cell


def test_csv_neutralises_text_but_keeps_numbers_numeric() -> None:
    frame = pd.DataFrame(
        {"Name": ["=cmd|' /C calc'!A0", "St Mary's", "-Hall"], "Value": [-0.25, 1.5, 2.0], "@col": ["x", "y", "z"]}
    )
    text = safe_csv.to_csv_bytes(frame).decode("utf-8")
    back = pd.read_csv(io.StringIO(text))
    assert back["Name"].tolist() == ["'=cmd|' /C calc'!A0", "St Mary's", "'-Hall"]
    assert back["Value"].tolist() == [-0.25, 1.5, 2.0]
    assert list(back.columns) == ["Name", "Value", "'@col"]
    assert frame["Name"].iloc[0].startswith("=")  # the input is not modified


def test_category_and_string_columns_are_neutralised() -> None:
    frame = pd.DataFrame({"a": pd.Series(["=x", "y"], dtype="category"), "b": pd.Series(["+z", "w"], dtype="string")})
    back = pd.read_csv(io.StringIO(safe_csv.to_csv_bytes(frame).decode("utf-8")))
    assert back["a"].tolist() == ["'=x", "y"] and back["b"].tolist() == ["'+z", "w"]


def test_file_name_carries_level_measure_and_date() -> None:
    name = safe_csv.csv_file_name("lsoa11", "Composite need score", on=dt.date(2024, 6, 1))
    assert name == "london-cohesion_lsoa11_composite-need-score_2024-06-01.csv"
    assert safe_csv.csv_file_name("City of London", "spaces", on=dt.date(2024, 6, 1)).startswith(
        "london-cohesion_city-of-london_spaces_"
    )
