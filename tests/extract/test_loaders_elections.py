"""Electoral Commission 2022 local elections: tiny workbook in the published layout, ward matching, real data."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from cohesion_metrics import errors
from cohesion_metrics.extract.loaders.elections import (
    EC2022_WARD_ALIASES,
    FILE,
    load_ec_2022,
    match_wards_to_codes,
    normalise_ward_name,
)

WARD_HEADER = [
    "Local Authority Name",
    "Ward Name",
    "Electorate",
    "Ballot papers at the count",
    "no official mark",
    "Voting for more candidates",
    "Writing or mark by which a voter can be identified",
    "Unmarked",
    "Rejected in part",
    "Postal Ballot papers initially issued",
    "Postal ballot papers included in the count",
    "Number of postal ballots rejected",
]
LONDON_GROUPS = [None, "Electorate & turnout", None, None, "Rejected at the count"]
LONDON_HEADER = [None, "Electorate", "Ballot papers at the count", "Ballot box turnout", "Total rejected"]


def ward(council: str, name: str, electorate: object, ballots: object) -> list[object]:
    return [council, name, electorate, ballots, 0, 1, 0, 2, 0, 300, 200, 5]


def ward_rows() -> list[list[object]]:
    return [
        list(WARD_HEADER),
        ward("Adur District Council", "Buckingham", 3079, 1256),
        ward("City of Westminster", "Abbey Road", 1000, 300),
        ward("City of Westminster", "Queen`s Park", 1000, 400),
        ward("London Borough of Barnet", "Brunswick Park", 3000, 1200),
    ]


def london_rows() -> list[list[object]]:
    return [
        list(LONDON_GROUPS),
        list(LONDON_HEADER),
        ["City of Westminster", 2000, 700, 0.35, 3],
        ["London Borough of Barnet", 3000, 1200, 0.4, 5],
        ["Total London", 5000, 1900, 0.38, 8],
        [None, None, None, None, None],
    ]


def write_ec(
    folder: Path, *, wards: list[list[object]] | None = None, london: list[list[object]] | None = None
) -> Path:
    book = openpyxl.Workbook()
    book.remove(book.active)
    sheets = {
        "Notes": [["Local Election May 2022"]],
        "Total": [[None, "Electorate & Turnout"]],
        "London": london or london_rows(),
        "Ward data": wards or ward_rows(),
    }
    for name, rows in sheets.items():
        sheet = book.create_sheet(name)
        for row in rows:
            sheet.append(row)
    folder.mkdir(parents=True, exist_ok=True)
    book.save(folder / FILE)
    return folder


def test_london_wards_and_councils(tmp_path: Path) -> None:
    tables = load_ec_2022(write_ec(tmp_path), check_counts=False)
    wards = tables["london_wards"]
    assert wards.columns.tolist() == [
        "borough_code",
        "council_name",
        "ward_name",
        "electorate",
        "ballots_at_count",
        "turnout_pct",
    ]
    assert wards["ward_name"].tolist() == ["Abbey Road", "Queen`s Park", "Brunswick Park"]  # no Adur
    assert wards["borough_code"].tolist() == ["E09000033", "E09000033", "E09000003"]
    assert wards["council_name"].iloc[0] == "City of Westminster"
    assert wards["turnout_pct"].tolist() == pytest.approx([30.0, 40.0, 40.0])
    councils = tables["london_councils"].set_index("borough_code")
    assert councils.loc["E09000033", "turnout_pct"] == pytest.approx(35.0)
    assert councils.loc["E09000033", "ward_rows"] == 2
    assert councils.loc["E09000033", "ward_electorate_sum"] == 2000
    assert councils.loc["E09000003", "ward_ballots_sum"] == 1200


def test_published_turnout_must_match_ballots_over_electorate(tmp_path: Path) -> None:
    london = london_rows()
    london[2][3] = 0.45
    with pytest.raises(errors.ValueRangeError) as info:
        load_ec_2022(write_ec(tmp_path, london=london), check_counts=False)
    message = str(info.value)
    assert FILE in message
    assert "sheet 'London', column 'Ballot box turnout', row 3" in message


def test_london_total_must_be_the_sum(tmp_path: Path) -> None:
    london = london_rows()
    london[4][2] = 1901
    with pytest.raises(errors.ValueRangeError, match=r"sheet 'London', column 'Ballot papers at the count', row 5"):
        load_ec_2022(write_ec(tmp_path, london=london), check_counts=False)


def test_unknown_council_name(tmp_path: Path) -> None:
    london = london_rows()
    london[3][0] = "London Borough of Barnett"
    with pytest.raises(errors.UnknownBoroughError) as info:
        load_ec_2022(write_ec(tmp_path, london=london), check_counts=False)
    assert f"file '{FILE}', sheet 'London', column 'A (council name)', row 4" in str(info.value)
    assert "Known names" in str(info.value)


def test_london_header_renamed(tmp_path: Path) -> None:
    london = london_rows()
    london[1][3] = "Turnout"
    with pytest.raises(errors.ColumnMismatchError, match=r"sheet 'London', row 2"):
        load_ec_2022(write_ec(tmp_path, london=london), check_counts=False)


def test_missing_sheet(tmp_path: Path) -> None:
    folder = write_ec(tmp_path)
    book = openpyxl.load_workbook(folder / FILE)
    del book["London"]
    book.save(folder / FILE)
    with pytest.raises(errors.SheetNotFoundError, match=r"sheet 'London'"):
        load_ec_2022(folder, check_counts=False)


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(errors.MissingSourceFileError, match=FILE):
        load_ec_2022(tmp_path)


def test_renamed_ward_column(tmp_path: Path) -> None:
    wards = ward_rows()
    wards[0] = [*WARD_HEADER[:2], "Electors", *WARD_HEADER[3:]]
    with pytest.raises(errors.ColumnMismatchError) as info:
        load_ec_2022(write_ec(tmp_path, wards=wards), check_counts=False)
    assert "sheet 'Ward data', column 'Electorate'" in str(info.value)


def test_non_numeric_electorate(tmp_path: Path) -> None:
    wards = ward_rows()
    wards[3][2] = "1,000"
    with pytest.raises(errors.NonNumericValueError) as info:
        load_ec_2022(write_ec(tmp_path, wards=wards), check_counts=False)
    assert "sheet 'Ward data', column 'Electorate', row 4" in str(info.value)
    assert "'1,000'" in str(info.value)


def test_duplicate_ward(tmp_path: Path) -> None:
    wards = ward_rows()
    wards[3][1] = "Abbey Road"
    with pytest.raises(errors.DuplicateCodeError, match=r"sheet 'Ward data', column 'Ward Name', row 4"):
        load_ec_2022(write_ec(tmp_path, wards=wards), check_counts=False)


def test_more_ballots_than_electors(tmp_path: Path) -> None:
    wards = ward_rows()
    wards[4][3] = 3001
    with pytest.raises(errors.ValueRangeError, match=r"column 'Ballot papers at the count', row 5"):
        load_ec_2022(write_ec(tmp_path, wards=wards), check_counts=False)


def test_council_without_ward_rows(tmp_path: Path) -> None:
    wards = ward_rows()[:4]
    with pytest.raises(errors.RowCountError, match="'London Borough of Barnet'"):
        load_ec_2022(write_ec(tmp_path, wards=wards), check_counts=False)


def test_row_counts_are_checked(tmp_path: Path) -> None:
    with pytest.raises(errors.RowCountError, match="found 2 rows, the published release has 32"):
        load_ec_2022(write_ec(tmp_path))


# --- ward-name matching ------------------------------------------------------------------------------------

LOOKUP = pd.DataFrame(
    [
        # (an LSOA-level lookup: wards repeat)
        ("E05013933", "St Mark's & Seething Wells", "E09000021"),
        ("E05013933", "St Mark's & Seething Wells", "E09000021"),
        ("E05013927", "King George's & Sunray", "E09000021"),
        ("E05013925", "Hook & Chessington North", "E09000021"),
        ("E05013804", "Queen's Park", "E09000033"),
        ("E05013790", "Abbey Road", "E09000033"),
        ("E05013555", "Abbey Road", "E09000003"),  # a same-named ward elsewhere (made up)
    ],
    columns=["ward23_code", "ward23_name", "lad23_code"],
)


def results(*rows: tuple[str, str]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["borough_code", "ward_name"]).assign(turnout_pct=35.0)


def test_normalisation_is_documented_and_exact() -> None:
    key = normalise_ward_name("St Mark's & Seething Wells")
    assert key == "st marks and seething wells"
    for variant in ("St. Mark's and Seething Wells", "ST MARK`S & SEETHING WELLS", "St Mark\u2019s &  Seething-Wells"):
        assert normalise_ward_name(variant) == key
    assert normalise_ward_name("King George & Sunray") != normalise_ward_name("King George's & Sunray")


def test_match_by_borough_and_normalised_name() -> None:
    res = results(
        ("E09000033", "Queen`s Park"),
        ("E09000033", "Abbey  Road"),
        ("E09000021", "St. Mark's and Seething Wells"),
        ("E09000021", "King George & Sunray"),
        ("E09000021", "Hook & Chessington South"),
    )
    matched, unmatched = match_wards_to_codes(res, LOOKUP)
    assert matched["ward23_code"].tolist() == ["E05013804", "E05013790", "E05013933"]
    assert set(matched["match_method"]) == {"name"}
    assert matched["turnout_pct"].tolist() == [35.0, 35.0, 35.0]
    assert unmatched["ward_name"].tolist() == ["King George & Sunray", "Hook & Chessington South"]
    assert unmatched["unmatched_lookup_wards"].iloc[0] == "Hook & Chessington North; King George's & Sunray"


def test_the_borough_is_part_of_the_key() -> None:
    matched, unmatched = match_wards_to_codes(results(("E09000007", "Abbey Road")), LOOKUP)
    assert matched.empty
    assert unmatched["ward_name"].tolist() == ["Abbey Road"]
    assert unmatched["unmatched_lookup_wards"].iloc[0] == ""


def test_aliases_are_explicit_and_reported() -> None:
    res = results(("E09000021", "King George & Sunray"), ("E09000021", "Kingston Gate"))
    aliases = {("E09000021", "King George & Sunray"): "King George's & Sunray"}
    matched, unmatched = match_wards_to_codes(res, LOOKUP, aliases=aliases)
    assert matched[["ward23_code", "match_method"]].values.tolist() == [["E05013927", "alias"]]
    assert unmatched["ward_name"].tolist() == ["Kingston Gate"]


def test_alias_to_a_ward_not_in_the_lookup_raises() -> None:
    aliases = {("E09000021", "Kingston Gate"): "Kingston Gates"}
    with pytest.raises(errors.SourceError, match="no ward 'Kingston Gates' in borough E09000021"):
        match_wards_to_codes(results(("E09000021", "Kingston Gate")), LOOKUP, aliases=aliases)


def test_ambiguous_lookup_names_raise() -> None:
    lookup = pd.concat([LOOKUP, pd.DataFrame([("E05099999", "Queens Park", "E09000033")], columns=LOOKUP.columns)])
    with pytest.raises(errors.DuplicateCodeError, match="share a normalised name"):
        match_wards_to_codes(results(("E09000033", "Queen's Park")), lookup)


def test_two_published_wards_matching_one_ward_raise() -> None:
    res = results(("E09000033", "Queen's Park"), ("E09000033", "Queens Park"))
    with pytest.raises(errors.DuplicateCodeError, match="same lookup ward"):
        match_wards_to_codes(res, LOOKUP)


def test_lookup_columns_are_required() -> None:
    with pytest.raises(errors.ColumnMismatchError, match="ward23_code"):
        match_wards_to_codes(results(("E09000033", "Abbey Road")), LOOKUP.rename(columns={"ward23_code": "WD23CD"}))


# --- real data ---------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def real_ec(shared_data: Path) -> dict[str, pd.DataFrame]:
    return load_ec_2022(shared_data / "electoral_commission_2022_local_elections")


@pytest.fixture(scope="module")
def ward23_lookup(real_lsoa21_ward23: pd.DataFrame) -> pd.DataFrame:
    """London's rows of the ONS LSOA 2021 -> ward 2023 lookup (other boroughs' wards never match London's)."""
    return real_lsoa21_ward23


@pytest.mark.real_data
def test_real_london_wards(real_ec: dict[str, pd.DataFrame]) -> None:
    wards = real_ec["london_wards"]
    assert len(wards) == 678
    assert wards["borough_code"].nunique() == 32
    assert "E09000001" not in set(wards["borough_code"])  # no City election in May 2022
    # SOURCES.md: turnout 0.20-0.73, median 0.35.
    assert 19.5 < wards["turnout_pct"].min() < 20.5
    assert 73.0 < wards["turnout_pct"].max() < 73.5
    assert wards["turnout_pct"].median() == pytest.approx(35.2, abs=0.05)


@pytest.mark.real_data
def test_real_london_councils(real_ec: dict[str, pd.DataFrame]) -> None:
    councils = real_ec["london_councils"].set_index("borough_code")
    assert len(councils) == 32
    assert councils["electorate"].sum() == 6_036_183
    assert councils["ballots_at_count"].sum() == 2_151_194
    # Published quirks kept visible: Kingston's ward ballots and Westminster's ward electorates.
    disagree = councils[
        (councils["electorate"] != councils["ward_electorate_sum"])
        | (councils["ballots_at_count"] != councils["ward_ballots_sum"])
    ]
    assert sorted(disagree.index) == ["E09000021", "E09000033"]
    assert councils.loc["E09000021", "ward_ballots_sum"] == 50_966


@pytest.mark.real_data
def test_real_ward_matching_reports_every_unmatched_name(
    real_ec: dict[str, pd.DataFrame], ward23_lookup: pd.DataFrame
) -> None:
    matched, unmatched = match_wards_to_codes(real_ec["london_wards"], ward23_lookup)
    assert len(matched) == 668
    assert sorted(unmatched["ward_name"]) == [
        "Bethnal Green East",
        "Bethnal Green West",
        "Caledonain",
        "Ham",
        "Hook & Chessington South",
        "King George & Sunray",
        "Maysbrook",
        "Mottingham",
        "St Pancras and Somerstown",
        "Thames",
    ]


@pytest.mark.real_data
def test_real_ward_matching_with_the_checked_aliases(
    real_ec: dict[str, pd.DataFrame], ward23_lookup: pd.DataFrame
) -> None:
    matched, unmatched = match_wards_to_codes(real_ec["london_wards"], ward23_lookup, aliases=EC2022_WARD_ALIASES)
    assert len(matched) == 676
    assert (matched["match_method"] == "alias").sum() == len(EC2022_WARD_ALIASES)
    assert matched["ward23_code"].is_unique
    assert sorted(unmatched["ward_name"]) == ["Bethnal Green East", "Bethnal Green West"]
    assert unmatched["unmatched_lookup_wards"].iloc[0] == "Bethnal Green; St Peter's"
