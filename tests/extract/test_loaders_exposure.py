"""TfL PTAL 2015, British Red Cross flood exposure and GLA ward well-being: tiny files in the published layouts."""

from __future__ import annotations

from pathlib import Path

import pytest

from cohesion_metrics import errors
from cohesion_metrics.extract.loaders import flood, ptal, ward_wellbeing

PTAL_ROWS = [
    "LSOA2011,AvPTAI2015,PTAL,PTAIHigh,PTAILow",
    "E01000001,69.82330,6b,97.44350,35.91900",
    "E01000002,12.50000,3.00000,20.00000,5.00000",
    "E01033000,1.20000,1a,3.00000,0.00000",
]


def write(folder: Path, name: str, lines: list[str], *, newline: str = "\r\n", bom: bool = False) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_bytes(("\ufeff" if bom else "").encode() + newline.join(lines).encode("utf-8"))  # no final newline
    return folder


def test_ptal_reads_and_normalises_bands(tmp_path: Path) -> None:
    table = ptal.load_ptal(write(tmp_path, ptal.FILE, PTAL_ROWS), check_counts=False)["lsoa_ptal"]
    assert table.columns.tolist() == ["lsoa11_code", "av_ptai_2015", "ptal", "ptai_high", "ptai_low"]
    assert table["ptal"].tolist() == ["6b", "3", "1a"]
    assert table["av_ptai_2015"].tolist() == pytest.approx([69.8233, 12.5, 1.2])


def test_ptal_band_normalisation() -> None:
    assert [ptal.normalise_band(b) for b in ("2.00000", " 6B ", "1a", "5")] == ["2", "6b", "1a", "5"]


def test_ptal_unknown_band_names_row(tmp_path: Path) -> None:
    rows = [*PTAL_ROWS[:2], PTAL_ROWS[2].replace("3.00000", "7")]
    with pytest.raises(errors.ValueRangeError, match=r"column 'PTAL', row 3.*'7'"):
        ptal.load_ptal(write(tmp_path, ptal.FILE, rows), check_counts=False)


def test_ptal_rejects_2021_codes_and_checks_counts(tmp_path: Path) -> None:
    rows = [*PTAL_ROWS[:3], PTAL_ROWS[3].replace("E01033000", "E01035000")]
    with pytest.raises(errors.CodeVintageError, match=r"column 'LSOA2011', row 4"):
        ptal.load_ptal(write(tmp_path, ptal.FILE, rows), check_counts=False)
    with pytest.raises(errors.RowCountError, match="4835"):
        ptal.load_ptal(write(tmp_path / "b", ptal.FILE, PTAL_ROWS))


FLOOD_ROWS = [
    "LSOA11CD,No. people in flood risk areas,% people in flood risk areas",
    "95AA02W1,492,0.27749576988155666",
    "E01000005,120,0.1",
    "W01000001,10,0.01",
    "E01004000,1500,1",
]


def test_flood_keeps_english_rows_as_shares(tmp_path: Path) -> None:
    folder = write(tmp_path, flood.FILE, FLOOD_ROWS, newline="\n")
    table = flood.load_brc_flood(folder, check_counts=False)["lsoa_flood"]
    assert table["lsoa11_code"].tolist() == ["E01000005", "E01004000"]
    assert table["share_in_fz3"].tolist() == [0.1, 1.0]
    assert table["people_in_fz3"].tolist() == [120.0, 1500.0]


def test_flood_share_given_as_percent_is_refused(tmp_path: Path) -> None:
    rows = [*FLOOD_ROWS[:2], "E01000005,120,10.0"]
    with pytest.raises(errors.ValueRangeError, match=r"column '% people in flood risk areas', row 3"):
        flood.load_brc_flood(write(tmp_path, flood.FILE, rows, newline="\n"), check_counts=False)


WELLBEING_ROWS = [
    "Borough name;Ward Code;Ward name;2009;2010;2011;2012;2013",
    "City of London;E09000001;City of London;10;8;9;8;8",
    "Barking and Dagenham;E05000026;Abbey;-3;-2;-2;-3;-4",
    "Barking and Dagenham;E05000027;Alibon;-9;-8;-8;-8;-10",
    "Barking and Dagenham;E09000002;BARKING AND DAGENHAM;-6;-6;-6;-6;-7",
    "London;E12000007;LONDON;1;1;1;1;1",
    ";;;;;;;",
]


def test_wellbeing_keeps_wards_and_the_city(tmp_path: Path) -> None:
    folder = write(tmp_path, ward_wellbeing.FILE, WELLBEING_ROWS, newline="\n", bom=True)
    table = ward_wellbeing.load_gla_ward_wellbeing(folder, check_counts=False)["wards"]
    assert table["ward_code"].tolist() == ["E05000026", "E05000027", "E09000001"]
    assert table.columns.tolist() == [
        "ward_code",
        "ward_name",
        "borough_name",
        *(f"wellbeing_{y}" for y in ward_wellbeing.YEARS),
    ]
    assert table["wellbeing_2013"].tolist() == [-4.0, -10.0, 8.0]


def test_wellbeing_counts_each_kind_of_row(tmp_path: Path) -> None:
    folder = write(tmp_path, ward_wellbeing.FILE, WELLBEING_ROWS, newline="\n", bom=True)
    with pytest.raises(errors.RowCountError, match="found 3 ward rows, the published file has 625"):
        ward_wellbeing.load_gla_ward_wellbeing(folder)


def test_wellbeing_bad_code_names_row(tmp_path: Path) -> None:
    rows = [*WELLBEING_ROWS[:2], WELLBEING_ROWS[2].replace("E05000026", "E01000026")]
    folder = write(tmp_path, ward_wellbeing.FILE, rows, newline="\n", bom=True)
    with pytest.raises(errors.CodeFormatError, match=r"column 'Ward Code', row 3"):
        ward_wellbeing.load_gla_ward_wellbeing(folder, check_counts=False)


@pytest.fixture(scope="module")
def real(shared_data: Path) -> dict[str, object]:
    return {
        "ptal": ptal.load_ptal(shared_data / "tfl_ptal_lsoa2011")["lsoa_ptal"],
        "flood": flood.load_brc_flood(shared_data / "brc_flood_risk_lsoa2011")["lsoa_flood"],
        "wellbeing": ward_wellbeing.load_gla_ward_wellbeing(shared_data / "gla_ward_wellbeing")["wards"],
    }


def test_real_files(real: dict, real_gla_boundaries: dict) -> None:
    london = set(real_gla_boundaries["lsoa11"]["lsoa11_code"])
    assert set(real["ptal"]["lsoa11_code"]) == london
    assert real["ptal"]["ptal"].value_counts()["2"] == 1475
    in_london = real["flood"][real["flood"]["lsoa11_code"].isin(london)]
    assert len(in_london) == 706 and in_london["people_in_fz3"].sum() == 917_291
    assert in_london["share_in_fz3"].max() <= 1.0
    wards = real["wellbeing"]
    assert len(wards) == 625 and set(wards["ward_code"]) == set(real_gla_boundaries["wards"]["ward_code"])
