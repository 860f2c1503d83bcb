"""The README's table of the public views is the one the schema declaration renders."""

from __future__ import annotations

from pathlib import Path

import pytest

from cohesion_metrics.metadata import schema
from tools.readme_schema import with_schema_table

README = Path(__file__).resolve().parents[2] / "README.md"


def test_readme_table_matches_the_declaration() -> None:
    text = README.read_text(encoding="utf-8")
    assert with_schema_table(text) == text, "the README's public views are stale: run python tools/readme_schema.py"


def test_table_lists_every_public_view_with_its_columns_in_order() -> None:
    lines = schema.public_views_markdown().splitlines()
    for view in (t for t in schema.TABLES if t.is_view):
        row = next(line for line in lines if line.startswith(f"| `{view.name}` |"))
        columns = row.rsplit(" | ", 1)[1].removesuffix(" |")
        assert columns.startswith(", ".join(c for c in view.columns if not c.startswith("pillar__"))), view.name


def test_readme_without_markers_is_refused() -> None:
    with pytest.raises(ValueError, match="markers"):
        with_schema_table("# README without the table\n")
