"""The bad-input catalogue of tests/uploads/test_uploads.py, uploaded through the page: what the user is shown, and the
database left byte-identical.

The parser-level test checks each message and rejected row exactly; this one checks that the page shows them (the
whole-file error, or the rejected rows with their reasons) and that nothing reached the shared database.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import pytest
from apptest_helpers import open_app
from test_uploads import CATALOGUE, Case

UPLOADER = {"spaces": "upload_spaces_file", "indicator": "upload_indicator_file", "areas": "upload_areas_file"}
#: The uploader refuses other extensions before the app sees the file; the parsers go by content, not by name.
FILE_NAME = {"spaces": "my upload.csv", "indicator": "my upload.csv", "areas": "my upload.geojson"}


def literal(markdown: str) -> str:
    """The text a reader sees of markdown whose punctuation is backslash-escaped (`uploads.cells.escape_markdown`)."""
    return re.sub(r"\\(.)", r"\1", markdown)


@pytest.fixture(scope="module")
def db_digest(app_db: Path) -> str:
    return hashlib.sha256(app_db.read_bytes()).hexdigest()


@pytest.mark.parametrize("case", CATALOGUE.values(), ids=CATALOGUE.keys())
def test_page_shows_what_is_wrong_and_changes_nothing(case: Case, app_db: Path, db_digest: str) -> None:
    at = open_app("app_pages/local.py")
    at.file_uploader(key=UPLOADER[case.kind]).set_value((FILE_NAME[case.kind], case.data(), "text/csv")).run()
    assert not at.exception, at.exception
    if case.message is not None:
        assert len(at.error) == 1
        shown = literal(at.error[0].value)
        assert shown.startswith(f"**{FILE_NAME[case.kind]}** cannot be used: ")
        assert case.message in shown and "To fix: " in shown
        assert UPLOADER[case.kind].replace("upload_", "local_").removesuffix("_file") not in at.session_state
    else:
        assert not at.error
        n_rows = len({row for row, _, _ in case.rejected})
        shown = literal(at.warning[0].value)
        assert f"{case.n_valid:,} " in shown and f"{n_rows:,} row" in shown
        rejected = at.dataframe[0].value  # the first table of the page is the report of the upload
        assert list(rejected[["row", "column"]].itertuples(index=False, name=None)) == [
            (row, column) for row, column, _ in case.rejected
        ]
        for reason, (_, _, phrase) in zip(rejected["reason"], case.rejected, strict=True):
            assert phrase in reason
    assert hashlib.sha256(app_db.read_bytes()).hexdigest() == db_digest
