"""One number style: a table of cases for every kind, in text, table columns and CSV."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from cohesion_metrics.metadata import numbers

TEXT_CASES = [
    (0.6224, "score", "0.62"),
    (0.667, "score", "0.67"),
    (1, "score", "1.00"),
    (-0.004, "score", "0.00"),
    (1028, "rank", "1,028"),
    (4835.0, "rank", "4,835"),
    (7, "rank", "7"),
    (1234567, "count", "1,234,567"),
    (23.44, "percent", "23.4%"),
    (100, "percent", "100.0%"),
    (0.234, "proportion", "23.4%"),
    (0.93, "share", "93%"),
    (0.006, "share", "1%"),
    (1, "share", "100%"),
    (1249.6, "metres", "1,250 m"),
    (12.45, "rate", "12.4"),
    (None, "score", "no data"),
    (math.nan, "rank", "no data"),
    (pd.NA, "percent", "no data"),
]


@pytest.mark.parametrize("value,kind,expected", TEXT_CASES)
def test_text(value, kind, expected) -> None:
    assert numbers.text(value, kind) == expected


UNIT_CASES = [
    ("% of residents", "percent"),
    ("% of electorate", "percent"),
    ("proportion of working-age residents", "proportion"),
    ("rank of 32,844", "rank"),
    ("reversed rank", "rank"),
    ("decile", "rank"),
    ("metres", "metres"),
    ("per 10,000 residents", "rate"),
    ("km", "rate"),
    ("score 0-10", "score"),
    ("score 0-1, higher = more need", "score"),
    ("index", "score"),
]


@pytest.mark.parametrize("unit,kind", UNIT_CASES)
def test_kind_for_unit(unit, kind) -> None:
    assert numbers.kind_for_unit(unit) == kind


def test_every_registry_unit_has_a_kind_that_formats() -> None:
    from cohesion_metrics.metadata.indicators import INDICATORS

    for ind in INDICATORS:
        assert numbers.text(1.0, numbers.kind_for_unit(ind.unit)) != numbers.MISSING, ind.unit


COLUMN_CASES = [
    ("score", [0.6224, 0.667], [0.62, 0.67], "%.2f"),
    ("rank", [1028.0, 4835.0], [1028, 4835], "localized"),
    ("percent", [23.44, 7.06], [23.4, 7.1], "%.1f%%"),
    ("proportion", [0.2344, 0.07], [23.4, 7.0], "%.1f%%"),
    ("share", [0.934, 0.2], [93, 20], "%.0f%%"),
    ("metres", [812.4, 1249.6], [812, 1250], "localized"),
]


@pytest.mark.parametrize("kind,values,shown,fmt", COLUMN_CASES)
def test_table_columns_show_what_text_says(kind, values, shown, fmt) -> None:
    out = numbers.for_display(pd.Series(values), kind)
    assert out.tolist() == shown
    assert numbers.column_format(kind) == fmt
    for raw, display in zip(values, out, strict=True):  # the printf format applied to the shown value = text
        if fmt.startswith("%"):
            assert (fmt % display).replace("%%", "%") == numbers.text(raw, kind).replace(",", "")


CSV_CASES = [
    ("score", [0.62244444444, None], [0.62, None]),
    ("rank", [1028.0, 3.0], [1028, 3]),
    ("percent", [23.456789, 0.04], [23.5, 0.0]),
    ("proportion", [0.234567, 0.1], [0.235, 0.1]),
    ("share", [0.93, 0.5], [0.93, 0.5]),
]


@pytest.mark.parametrize("kind,values,expected", CSV_CASES)
def test_csv_rounding(kind, values, expected) -> None:
    out = numbers.round_for_csv(pd.Series(values, dtype="float64"), kind)
    got = [None if pd.isna(v) else v for v in out]
    assert got == expected


def test_unknown_kind_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown number kind 'ratio'"):
        numbers.text(1.0, "ratio")  # type: ignore[arg-type]


HEADING_CASES = [
    ("Rank (1 = most need)", "rank"),
    ("Rank, likely from", "rank"),
    ("#", "rank"),
    ("Composite need score (0-1)", "score"),
    ("Need (0-1)", "score"),
    ("Residents within 800 m of a community centre or library (% of residents)", "percent"),
    ("More need than (%)", "percent"),
    ("Distance to the nearest community centre or library (metres)", "metres"),
    ("Income deprivation (proportion of residents)", "proportion"),
    ("Spaces (count)", "count"),
]


@pytest.mark.parametrize("heading,kind", HEADING_CASES)
def test_kind_for_heading(heading, kind) -> None:
    assert numbers.kind_for_heading(heading) == kind


def test_view_csv_has_no_long_decimals(con) -> None:
    """The downloaded table of a view carries numbers as the app shows them (scores 2 decimals, whole ranks)."""
    from cohesion_metrics.outputs import view_files
    from cohesion_metrics.read import page_frames, queries

    names = dict(zip(*[queries.boroughs(con)[c] for c in ("borough_code", "borough_name")], strict=True))
    for measure_id in ("need", "need_capacity", "pop_within_800m_pct_community"):
        measure = page_frames.get_measure(measure_id)
        values = queries.indicator_values(con, measure_id, "lsoa11") if measure.kind == "indicator" else None
        frame = page_frames.measure_frame(queries.cohesion_areas(con, "lsoa11"), measure, names, values)
        csv = view_files.view_table(frame, measure, "lsoa11").to_csv(index=False)
        decimals = [
            len(cell.split(".")[1])
            for row in csv.splitlines()[1:]
            for cell in row.split(",")
            if cell.replace(".", "", 1).replace("-", "", 1).isdigit() and "." in cell
        ]
        assert decimals and max(decimals) <= 2, (measure_id, max(decimals))
