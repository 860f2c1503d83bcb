"""MOPAC Public Attitude Survey exports and APS personal well-being: published layouts, bad inputs, real files."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from cohesion_metrics import errors
from cohesion_metrics.extract.loaders.surveys import (
    MOPAC_FILES,
    WELLBEING_FILE,
    WELLBEING_PERIODS,
    load_aps_wellbeing,
    load_mopac_pas,
)

# --- MOPAC -------------------------------------------------------------------------------------------------

MEASURES = {
    "all_borough_police_concerns_local_june_2022.csv": "Agree the police listen to the concerns of local people",
    "all_borough_police_contact_ward_officer_june_2022.csv": "Knows how to contact their local ward officer",
    "all_borough_police_fair_june_2022.csv": "Agree the police treat everyone fairly regardless of who they are",
    "all_borough_police_informed_june_2022.csv": (
        "Feels well informed about local police activities over the last 12 months"
    ),
    "all_borough_police_relied_june_2022.csv": "Agree the police can be relied upon to be there when needed",
    "all_borough_police_things_matter_june_2022.csv": (
        "Agree the police are dealing with the things that matter to this community"
    ),
}
NAMES = ["Lambeth", "City of Westminster", "MPS", "Kingston upon Thames"]
VALUES = ["38%", "58%", "61%", "72%"]


def mopac_text(measure: str, names: list[str], values: list[str]) -> str:
    """The dashboard's crosstab export: header, a Proportion row and an empty Rank row, tab-separated."""
    lines = [
        "\t".join(["Date", "Measure", "", *names]),
        "\t".join(["June 2022", measure, "Proportion", *values]),
        "\t".join(["June 2022", measure, "Rank", *[""] * len(names)]),
    ]
    return "\n".join(lines) + "\n"


def write_mopac(folder: Path, names: list[str] = NAMES, values: list[str] = VALUES) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for file in MOPAC_FILES:
        text = mopac_text(MEASURES[file], names, values)
        (folder / file).write_bytes(b"\xff\xfe" + text.encode("utf-16-le"))
    return folder


def test_mopac_long_table(tmp_path: Path) -> None:
    tables = load_mopac_pas(write_mopac(tmp_path), check_counts=False)
    measures = tables["borough_measures"]
    assert measures.columns.tolist() == [
        "borough_code",
        "borough_name_published",
        "measure_id",
        "measure_label",
        "proportion_pct",
        "period",
    ]
    assert len(measures) == 3 * 6
    fair = measures[measures["measure_id"] == "agree_the_police_treat_everyone_fairly_regardless_of_who_they_are"]
    assert fair["borough_code"].tolist() == ["E09000022", "E09000033", "E09000021"]
    assert fair["borough_name_published"].tolist() == ["Lambeth", "City of Westminster", "Kingston upon Thames"]
    assert fair["proportion_pct"].tolist() == [38.0, 58.0, 72.0]
    assert set(measures["period"]) == {"rolling 12 months to June 2022"}
    totals = tables["mps_totals"]
    assert len(totals) == 6
    assert set(totals["proportion_pct"]) == {61.0}
    assert "borough_code" not in totals.columns


def test_mopac_utf8_file_is_rejected_with_a_clear_message(tmp_path: Path) -> None:
    folder = write_mopac(tmp_path)
    file = "all_borough_police_fair_june_2022.csv"
    (folder / file).write_text(mopac_text(MEASURES[file], NAMES, VALUES), encoding="utf-8")
    with pytest.raises(errors.CorruptFileError) as info:
        load_mopac_pas(folder, check_counts=False)
    message = str(info.value)
    assert file in message
    assert "UTF-16LE" in message
    assert "b'Date'" in message


def test_mopac_utf8_with_bom_is_named(tmp_path: Path) -> None:
    folder = write_mopac(tmp_path)
    file = "all_borough_police_relied_june_2022.csv"
    (folder / file).write_text(mopac_text(MEASURES[file], NAMES, VALUES), encoding="utf-8-sig")
    with pytest.raises(errors.CorruptFileError, match=r"relied_june_2022\.csv.*UTF-8 \(with BOM\)"):
        load_mopac_pas(folder, check_counts=False)


def test_mopac_comma_separated_is_a_column_mismatch(tmp_path: Path) -> None:
    folder = write_mopac(tmp_path)
    file = "all_borough_police_informed_june_2022.csv"
    text = mopac_text(MEASURES[file], NAMES, VALUES).replace("\t", ",")
    (folder / file).write_bytes(b"\xff\xfe" + text.encode("utf-16-le"))
    with pytest.raises(errors.ColumnMismatchError, match=r"informed_june_2022\.csv.*row 1.*tab-separated"):
        load_mopac_pas(folder, check_counts=False)


def test_mopac_unknown_borough(tmp_path: Path) -> None:
    folder = write_mopac(tmp_path, names=["Lambith", "City of Westminster", "MPS", "Kingston upon Thames"])
    with pytest.raises(errors.UnknownBoroughError) as info:
        load_mopac_pas(folder, check_counts=False)
    message = str(info.value)
    assert "all_borough_police_concerns_local_june_2022.csv" in message
    assert "column 'Lambith', row 1" in message
    assert "Known names" in message


def test_mopac_bad_percentage(tmp_path: Path) -> None:
    folder = write_mopac(tmp_path, values=["38%", "58 percent", "61%", "72%"])
    with pytest.raises(errors.NonNumericValueError) as info:
        load_mopac_pas(folder, check_counts=False)
    assert "column 'City of Westminster', row 2" in str(info.value)
    assert "'58 percent'" in str(info.value)


def test_mopac_duplicate_borough(tmp_path: Path) -> None:
    folder = write_mopac(tmp_path, names=["Lambeth", "Westminster", "MPS", "City of Westminster"])
    with pytest.raises(errors.DuplicateCodeError, match=r"column 'City of Westminster', row 1"):
        load_mopac_pas(folder, check_counts=False)


def test_mopac_missing_file(tmp_path: Path) -> None:
    folder = write_mopac(tmp_path)
    (folder / "all_borough_police_things_matter_june_2022.csv").unlink()
    with pytest.raises(errors.MissingSourceFileError, match="things_matter_june_2022"):
        load_mopac_pas(folder, check_counts=False)


def test_mopac_borough_count(tmp_path: Path) -> None:
    with pytest.raises(errors.RowCountError, match="found 3 boroughs, the export has 32"):
        load_mopac_pas(write_mopac(tmp_path))


# --- APS well-being ----------------------------------------------------------------------------------------

SHEET = "Summary - Mean Scores"
GROUPS = ["Life Satisfaction", "Worthwhile", "Happiness", "Anxiety"]


def wellbeing_rows(groups: list[str] = GROUPS) -> list[list[object]]:
    """The published summary sheet: two header rows, a blank row, boroughs, a blank row, regions, England."""
    top: list[object] = [None, None]
    second: list[object] = ["Code", "Area"]
    for i, group in enumerate(groups):
        top += [group, *[None] * 7]
        second += list(WELLBEING_PERIODS)
        if i < len(groups) - 1:  # a blank separator column between measures
            top.append(None)
            second.append(None)

    def area(code: str, name: str, block: list[object]) -> list[object]:
        row: list[object] = [code, name]
        for i in range(len(groups)):
            row += block
            if i < len(groups) - 1:
                row.append(None)
        return row

    city = ["x"] * 6 + [None, None]
    barnet = [7.43, 7.28, 7.4, 7.54, 7.53, 7.47, 7.63, 7.55]
    london = [7.25, 7.25, 7.36, 7.49, 7.5, 7.52, 7.55, 7.6]
    return [
        top,
        second,
        [None] * len(second),
        area("E09000001", "City of London", city),
        area("E09000003", "Barnet", barnet),
        [None] * len(second),
        area("E12000001", "North East", london),
        area("E12000007", "London", london),
        [None] * len(second),
        area("E92000001", "England", london),
        area("K02000001", "UK", london),
    ]


def write_wellbeing(folder: Path, rows: list[list[object]] | None = None, sheet: str = SHEET) -> Path:
    book = openpyxl.Workbook()
    book.remove(book.active)
    book.create_sheet("Metadata").append(["Name", "Personal well-being scores by Borough"])
    data = book.create_sheet(sheet)
    for row in rows or wellbeing_rows():
        data.append(row)
    folder.mkdir(parents=True, exist_ok=True)
    book.save(folder / WELLBEING_FILE)
    return folder


def test_wellbeing_long_tables(tmp_path: Path) -> None:
    tables = load_aps_wellbeing(write_wellbeing(tmp_path), check_counts=False)
    boroughs = tables["borough_wellbeing"]
    assert boroughs.columns.tolist() == ["borough_code", "borough_name", "measure", "period", "mean_score"]
    # The City of London ("x" and blank) has no rows; Barnet has 4 measures x 8 years.
    assert set(boroughs["borough_code"]) == {"E09000003"}
    assert len(boroughs) == 32
    assert sorted(set(boroughs["measure"])) == ["anxiety", "happy", "life_satisfaction", "worthwhile"]
    by_key = boroughs.set_index(["measure", "period"])["mean_score"]
    assert by_key[("life_satisfaction", "2011/12")] == 7.43
    assert by_key[("anxiety", "2018/19")] == 7.55
    comparators = tables["comparators"]
    assert sorted(set(comparators["area_code"])) == ["E12000007", "E92000001"]
    assert set(comparators["area_name"]) == {"London", "England"}
    assert len(comparators) == 64


def test_wellbeing_other_text_is_an_error(tmp_path: Path) -> None:
    rows = wellbeing_rows()
    rows[4][12] = "n/a"  # Barnet, Worthwhile 2012/13 (column M)
    with pytest.raises(errors.NonNumericValueError) as info:
        load_aps_wellbeing(write_wellbeing(tmp_path, rows), check_counts=False)
    message = str(info.value)
    assert WELLBEING_FILE in message
    assert f"sheet '{SHEET}', column 'worthwhile 2012/13 (M)', row 5" in message


def test_wellbeing_score_out_of_range(tmp_path: Path) -> None:
    rows = wellbeing_rows()
    rows[4][2] = 74.3
    with pytest.raises(errors.ValueRangeError, match=r"column 'life_satisfaction 2011/12 \(C\)', row 5"):
        load_aps_wellbeing(write_wellbeing(tmp_path, rows), check_counts=False)


def test_wellbeing_renamed_measure_header(tmp_path: Path) -> None:
    expected = r"column 'U', row 1: measure header 'Happy' above period '2011/12'"
    with pytest.raises(errors.ColumnMismatchError, match=expected):
        load_aps_wellbeing(
            write_wellbeing(tmp_path, wellbeing_rows(["Life Satisfaction", "Worthwhile", "Happy", "Anxiety"])),
            check_counts=False,
        )


def test_wellbeing_wrong_sheet(tmp_path: Path) -> None:
    with pytest.raises(errors.SheetNotFoundError, match=r"well-being\.xlsx', sheet 'Summary - Mean Scores'"):
        load_aps_wellbeing(write_wellbeing(tmp_path, sheet="Summary"), check_counts=False)


def test_wellbeing_duplicate_borough(tmp_path: Path) -> None:
    rows = wellbeing_rows()
    rows.insert(5, list(rows[4]))
    with pytest.raises(errors.DuplicateCodeError, match=r"column 'Code', row 6"):
        load_aps_wellbeing(write_wellbeing(tmp_path, rows), check_counts=False)


def test_wellbeing_name_must_match_code(tmp_path: Path) -> None:
    rows = wellbeing_rows()
    rows[4][1] = "Bexley"
    expected = r"column 'Code', row 5: code 'E09000003' does not belong to 'Bexley'"
    with pytest.raises(errors.CodeFormatError, match=expected):
        load_aps_wellbeing(write_wellbeing(tmp_path, rows), check_counts=False)


def test_wellbeing_counts(tmp_path: Path) -> None:
    with pytest.raises(errors.RowCountError, match="found 2 rows"):
        load_aps_wellbeing(write_wellbeing(tmp_path))


# --- real data ---------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def real_mopac(shared_data: Path) -> dict[str, pd.DataFrame]:
    return load_mopac_pas(shared_data / "mopac_public_voice_dashboard_exports_2022")


@pytest.fixture(scope="module")
def real_wellbeing(shared_data: Path) -> dict[str, pd.DataFrame]:
    return load_aps_wellbeing(shared_data / "ons_aps_personal_wellbeing_borough")


@pytest.mark.real_data
def test_real_mopac(real_mopac: dict[str, pd.DataFrame]) -> None:
    measures = real_mopac["borough_measures"]
    assert len(measures) == 6 * 32
    assert measures.groupby("measure_id")["borough_code"].nunique().eq(32).all()
    assert "E09000001" not in set(measures["borough_code"])
    fair = measures[measures["measure_id"].str.contains("fairly")].set_index("borough_code")["proportion_pct"]
    assert fair["E09000022"] == 38.0  # Lambeth, lowest
    assert fair.max() == 78.0
    totals = real_mopac["mps_totals"].set_index("measure_id")["proportion_pct"]
    assert totals["agree_the_police_treat_everyone_fairly_regardless_of_who_they_are"] == 61.0
    assert "City of Westminster" in set(measures["borough_name_published"])


@pytest.mark.real_data
def test_real_wellbeing(real_wellbeing: dict[str, pd.DataFrame]) -> None:
    boroughs = real_wellbeing["borough_wellbeing"]
    assert len(boroughs) == 32 * 4 * 8
    assert boroughs["borough_code"].nunique() == 32
    assert "E09000001" not in set(boroughs["borough_code"])
    assert boroughs["mean_score"].between(1, 9).all()
    key = boroughs.set_index(["borough_code", "measure", "period"])["mean_score"]
    assert key[("E09000003", "life_satisfaction", "2011/12")] == 7.43
    assert key[("E09000033", "anxiety", "2018/19")] == 3.36
    comparators = real_wellbeing["comparators"].set_index(["area_code", "measure", "period"])["mean_score"]
    assert len(comparators) == 64
    assert comparators[("E12000007", "life_satisfaction", "2011/12")] == 7.25
    assert comparators[("E92000001", "life_satisfaction", "2011/12")] == 7.41
