"""The 2011 -> 2021 carry through the ONS exact lookup, on a fixture in the ONS layout (U, S, M and X rows)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest

from cohesion_metrics import errors
from cohesion_metrics.extract.loaders.geography import load_lsoa11_lsoa21_lookup
from cohesion_metrics.method.carry import carry_2011_to_2021

LOOKUP_FILE = "LSOA_(2011)_to_LSOA_(2021)_to_Local_Authority_District_(2022)_Lookup_for_England_and_Wales.csv"
POPULATION = pd.Series(
    {"E01000001": 1000, "E01000002": 1500, "E01000003": 1000, "E01000004": 3000, "E01000005": 1200, "E01000006": 1300}
)


@pytest.fixture
def lookup(fixtures_dir: Path) -> pd.DataFrame:
    return load_lsoa11_lsoa21_lookup(fixtures_dir / "ons_lookups", check_counts=False)["lsoa11_lsoa21"]


def values(**by_code: float) -> pd.DataFrame:
    return pd.DataFrame({"lsoa11_code": list(by_code), "indicator_id": "x", "value": list(by_code.values())})


def test_unchanged_split_merged_and_complex(lookup: pd.DataFrame) -> None:
    given = values(E01000001=10.0, E01000002=20.0, E01000003=30.0, E01000004=50.0, E01000005=1.0, E01000006=2.0)
    out = carry_2011_to_2021(given, lookup, POPULATION).set_index("lsoa21_code")
    assert out.loc["E01000001", "value"] == 10.0 and out.loc["E01000001", "assignment"] == "lookup_unchanged"
    assert out.loc[["E01035001", "E01035002"], "value"].tolist() == [20.0, 20.0]  # both children carry the rate
    assert set(out.loc[["E01035001", "E01035002"], "assignment"]) == {"lookup_split"}
    # merged: (30 * 1000 + 50 * 3000) / 4000 = 45, weighted by the parents' populations
    assert out.loc["E01035003", "value"] == pytest.approx(45.0)
    assert out.loc["E01035003", "assignment"] == "lookup_merged"
    assert out.loc[["E01035004", "E01035005"], "value"].isna().all()  # complex: flagged, left missing
    assert set(out.loc[["E01035004", "E01035005"], "assignment"]) == {"lookup_complex"}
    assert len(out) == 6


def test_merged_child_uses_the_parents_with_a_value(lookup: pd.DataFrame) -> None:
    out = carry_2011_to_2021(values(E01000003=30.0), lookup, POPULATION).set_index("lsoa21_code")
    assert out.loc["E01035003", "value"] == 30.0
    assert "E01000001" not in out.index  # nothing to carry


def test_unknown_change_indicator_in_the_file_is_named(fixtures_dir: Path, tmp_path: Path) -> None:
    folder = tmp_path / "ons_lookups"
    shutil.copytree(fixtures_dir / "ons_lookups", folder)
    path = folder / LOOKUP_FILE
    text = path.read_text(encoding="utf-8-sig").replace(",M,E09000002", ",Q,E09000002", 1)
    path.write_text(text, encoding="utf-8-sig")
    with pytest.raises(errors.UnknownChangeIndicatorError, match=r"column 'CHGIND', row 5.*'Q'"):
        load_lsoa11_lsoa21_lookup(folder, check_counts=False)


def test_unknown_change_indicator_in_a_frame_is_named(lookup: pd.DataFrame) -> None:
    bad = lookup.copy()
    bad.loc[3, "change"] = "Q"
    with pytest.raises(errors.UnknownChangeIndicatorError, match=r"row 5.*'Q' \(LSOA 2011 E01000003\)"):
        carry_2011_to_2021(values(E01000003=1.0), bad, POPULATION, path=LOOKUP_FILE)
