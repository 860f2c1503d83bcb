"""The 33 boroughs and exact matching of their published name variants."""

from __future__ import annotations

import pandas as pd
import pytest

from cohesion_metrics import errors
from cohesion_metrics.metadata.boroughs import (
    BOROUGHS,
    borough_code_for,
    borough_codes_for,
    check_names_match_codes,
    normalise_borough_name,
)
from cohesion_metrics.settings import LONDON_LAD_CODES


def test_thirty_three_boroughs_with_the_london_lad_codes() -> None:
    assert tuple(BOROUGHS) == LONDON_LAD_CODES
    assert BOROUGHS["E09000001"] == "City of London"
    assert BOROUGHS["E09000033"] == "Westminster"


@pytest.mark.parametrize(("code", "name"), list(BOROUGHS.items()))
def test_every_official_name_matches_its_own_code(code: str, name: str) -> None:
    assert borough_code_for(name) == code


@pytest.mark.parametrize(
    ("published", "code"),
    [
        ("London Borough of Barnet", "E09000003"),
        ("Royal Borough of Kensington and Chelsea", "E09000020"),
        ("Royal Borough of Kingston Upon Thames", "E09000021"),
        ("Kingston-upon-Thames", "E09000021"),
        ("City of Westminster", "E09000033"),
        ("Westminster", "E09000033"),
        ("Hammersmith & Fulham", "E09000013"),
        ("Barking & Dagenham", "E09000002"),
        ("London Borough of Barking and Dagenham", "E09000002"),
        ("  richmond   UPON thames ", "E09000027"),
        ("Royal Borough of Greenwich", "E09000011"),
        ("City of London", "E09000001"),
    ],
)
def test_published_variants(published: str, code: str) -> None:
    assert borough_code_for(published) == code


def test_city_of_london_is_not_stripped_to_london() -> None:
    assert normalise_borough_name("City of London") == "city of london"
    assert normalise_borough_name("City of Westminster") == "westminster"


@pytest.mark.parametrize("name", ["London", "Barnett", "Kingston", "Hull", "", "Borough of Barnet"])
def test_unknown_names_raise_listing_the_known_names(name: str) -> None:
    with pytest.raises(errors.UnknownBoroughError) as info:
        borough_code_for(name)
    message = str(info.value)
    assert repr(name) in message
    assert "Known names: City of London, Barking and Dagenham" in message
    assert "Westminster" in message
    assert isinstance(info.value, errors.SourceError)


def test_series_matching_names_the_file_column_and_row() -> None:
    names = pd.Series(["Barnet", "Hammersmith & Fulham", "Lambeth Borough", "Sutton"])
    with pytest.raises(errors.UnknownBoroughError) as info:
        borough_codes_for(names, path="/data/results.xlsx", sheet="London", column="council", first_row=3)
    message = str(info.value)
    assert "file 'results.xlsx'" in message
    assert "sheet 'London'" in message
    assert "column 'council'" in message
    assert "row 5" in message
    assert info.value.row == 5


def test_series_matching_returns_codes_in_order() -> None:
    codes = borough_codes_for(pd.Series(["Sutton", "City of Westminster"]), path="x.csv", column="name")
    assert codes.tolist() == ["E09000029", "E09000033"]


def test_names_must_match_codes() -> None:
    names = pd.Series(["Barnet", "City of Westminster", "Bexley"])
    where = {"path": "/data/p.xlsx", "sheet": "Data", "name_column": "Area", "code_column": "Code", "first_row": 5}
    check_names_match_codes(names, pd.Series(["E09000003", "E09000033", "E09000004"]), **where)
    with pytest.raises(errors.CodeFormatError) as info:
        check_names_match_codes(names, pd.Series(["E09000003", "E09000033", "E09000003"]), **where)
    assert str(info.value).startswith(
        "file 'p.xlsx', sheet 'Data', column 'Code', row 7: code 'E09000003' does not belong to 'Bexley' "
        "(that is E09000004)."
    )
    with pytest.raises(errors.UnknownBoroughError, match=r"column 'Area', row 6"):
        check_names_match_codes(pd.Series(["Barnet", "Barnett"]), pd.Series(["E09000003"] * 2), **where)
