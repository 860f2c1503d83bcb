"""The retired measure: "composite need" (any case) appears nowhere a user or an analyst reads."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pypdf
import pytest

from cohesion_metrics.outputs import briefing, safe_csv, view_files
from cohesion_metrics.read import page_frames, queries

ROOT = Path(__file__).resolve().parents[2]
RETIRED = re.compile(r"composite[\s_-]*need", re.IGNORECASE)


@pytest.mark.parametrize("folder", ["app_pages", "cohesion_metrics"])
def test_no_source_file_says_composite_need(folder: str) -> None:
    hits = [
        f"{path.relative_to(ROOT)}:{n}"
        for path in sorted((ROOT / folder).rglob("*.py"))
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        if RETIRED.search(line)
    ]
    assert hits == []


def test_the_readme_schema_table_does_not_say_it() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    schema_table = readme.split("## The public schema", 1)[1].split("## Geography", 1)[0]
    assert "| `cohesion` |" in schema_table
    assert not RETIRED.search(schema_table)
    cohesion_row = next(line for line in schema_table.splitlines() if line.startswith("| `cohesion` |"))
    assert "composite" not in cohesion_row and "priority_top10_share" in cohesion_row


def test_database_comments_do_not_say_it(con) -> None:
    comments = con.execute(
        "SELECT comment FROM duckdb_tables() UNION ALL SELECT comment FROM duckdb_views() "
        "UNION ALL SELECT comment FROM duckdb_columns()"
    ).fetchall()
    text = " ".join(str(c) for (c,) in comments if c)
    assert "Need (urgent needs, root causes and vulnerability)" in text  # comments are there
    assert not RETIRED.search(text)
    columns = [r[0] for r in con.execute("DESCRIBE cohesion").fetchall()]
    assert not any("composite" in c for c in columns)


def test_the_briefing_pdf_does_not_say_it(con) -> None:
    pdf = briefing.build_briefing(con, "E09000012")
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    text = " ".join(page.extract_text() for page in reader.pages)
    assert "Hackney" in text and not RETIRED.search(" ".join(text.split()))


@pytest.mark.parametrize("measure_id", ["need_capacity", "need", "capacity", "hazard", "priority"])
def test_the_csv_export_does_not_say_it(con, measure_id: str) -> None:
    level = queries.scored_levels(con)[0]
    names = queries.boroughs(con).set_index("borough_code")["borough_name"].to_dict()
    measure = page_frames.get_measure(measure_id)
    frame = page_frames.measure_frame(queries.cohesion_areas(con, level), measure, names)
    csv = safe_csv.to_csv_bytes(view_files.view_table(frame, measure, level)).decode("utf-8")
    assert not RETIRED.search(csv)
    assert not RETIRED.search(view_files.file_name(level, measure, "csv"))
