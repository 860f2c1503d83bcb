"""The 33 London boroughs (LAD codes E09000001..E09000033) and exact matching of their published name variants.

Sources name boroughs in several ways ("London Borough of Barnet", "Royal Borough of Kingston Upon Thames",
"City of Westminster", "Hammersmith & Fulham"). `borough_code_for` matches them after a fixed, documented
normalisation (see `normalise_borough_name`) and never guesses: a name that does not normalise to exactly one
official name raises `UnknownBoroughError`.
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

import pandas as pd

from cohesion_metrics import errors
from cohesion_metrics.errors import UnknownBoroughError

#: Official ONS names of the London boroughs, by LAD code (the City of London counts as a borough here).
BOROUGHS: dict[str, str] = {
    "E09000001": "City of London",
    "E09000002": "Barking and Dagenham",
    "E09000003": "Barnet",
    "E09000004": "Bexley",
    "E09000005": "Brent",
    "E09000006": "Bromley",
    "E09000007": "Camden",
    "E09000008": "Croydon",
    "E09000009": "Ealing",
    "E09000010": "Enfield",
    "E09000011": "Greenwich",
    "E09000012": "Hackney",
    "E09000013": "Hammersmith and Fulham",
    "E09000014": "Haringey",
    "E09000015": "Harrow",
    "E09000016": "Havering",
    "E09000017": "Hillingdon",
    "E09000018": "Hounslow",
    "E09000019": "Islington",
    "E09000020": "Kensington and Chelsea",
    "E09000021": "Kingston upon Thames",
    "E09000022": "Lambeth",
    "E09000023": "Lewisham",
    "E09000024": "Merton",
    "E09000025": "Newham",
    "E09000026": "Redbridge",
    "E09000027": "Richmond upon Thames",
    "E09000028": "Southwark",
    "E09000029": "Sutton",
    "E09000030": "Tower Hamlets",
    "E09000031": "Waltham Forest",
    "E09000032": "Wandsworth",
    "E09000033": "Westminster",
}

#: The City of London: one unit at ward level (its 25 wards hold 6 LSOAs), as the GLA does for 2014 wards.
CITY_OF_LONDON = "E09000001"

#: Prefixes removed after the text is normalised ("City of" is kept for the City of London itself).
_PREFIXES = ("london borough of ", "royal borough of ", "city of ")
_APOSTROPHES = re.compile(r"['\u2019\u2018`]")
_NON_ALNUM = re.compile(r"[^a-z0-9]+")


def normalise_name(text: str) -> str:
    """Lower-case, '&' as 'and', apostrophes dropped, other punctuation as spaces, whitespace collapsed.

    Accents are folded to ASCII first. This is the shared base of borough and ward name matching.
    """
    text = unicodedata.normalize("NFKD", str(text)).encode("ascii", "ignore").decode("ascii").lower()
    text = text.replace("&", " and ")
    text = _APOSTROPHES.sub("", text)
    return " ".join(_NON_ALNUM.sub(" ", text).split())


def normalise_borough_name(name: str) -> str:
    """`normalise_name`, then drop one leading "London Borough of", "Royal Borough of" or "City of".

    "City of London" is kept whole, so it never collapses to "london" (the region, which is not a borough).
    """
    key = normalise_name(name)
    if key == "city of london":
        return key
    for prefix in _PREFIXES:
        if key.startswith(prefix):
            return key[len(prefix) :]
    return key


_CODE_BY_KEY: dict[str, str] = {normalise_borough_name(n): c for c, n in BOROUGHS.items()}


def _unknown(
    name: object,
    *,
    path: Path | str | None = None,
    sheet: str | None = None,
    column: str | None = None,
    row: int | None = None,
) -> UnknownBoroughError:
    known = ", ".join(BOROUGHS.values())
    return UnknownBoroughError(
        f"{name!r} is not a London borough name (normalised: {normalise_borough_name(str(name))!r}). "
        f"Known names: {known}.",
        fix=(
            "names match after normalising case, '&'/'and', punctuation, whitespace and the prefixes "
            "'London Borough of', 'Royal Borough of', 'City of'; correct the name in the file."
        ),
        path=path,
        sheet=sheet,
        column=column,
        row=row,
    )


def borough_code_for(name: str) -> str:
    """Return the LAD code (E09...) of a borough named as in a published file; raise UnknownBoroughError if none."""
    try:
        return _CODE_BY_KEY[normalise_borough_name(name)]
    except KeyError:
        raise _unknown(name) from None


def borough_codes_for(
    names: pd.Series,
    *,
    path: Path | str,
    column: str,
    sheet: str | None = None,
    first_row: int = 2,
) -> pd.Series:
    """Map a column of published borough names to LAD codes; the error names the file, column and row."""
    keys = names.astype("string").fillna("").map(normalise_borough_name)
    codes = keys.map(_CODE_BY_KEY)
    bad = codes.isna().to_numpy()
    if bad.any():
        pos = int(bad.nonzero()[0][0])
        raise _unknown(names.iloc[pos], path=path, sheet=sheet, column=column, row=first_row + pos)
    return codes.astype("string")


def check_names_match_codes(
    names: pd.Series,
    codes: pd.Series,
    *,
    path: Path | str,
    name_column: str,
    code_column: str,
    sheet: str | None = None,
    first_row: int = 2,
) -> None:
    """Raise CodeFormatError where a published borough code is not that of the borough named beside it.

    An unknown name raises UnknownBoroughError (see `borough_codes_for`).
    """
    from_name = borough_codes_for(names, path=path, sheet=sheet, column=name_column, first_row=first_row)
    differ = from_name.reset_index(drop=True) != codes.astype("string").reset_index(drop=True)
    wrong = differ.fillna(True).to_numpy(dtype=bool).nonzero()[0]
    if len(wrong):
        pos = int(wrong[0])
        raise errors.CodeFormatError(
            f"code {codes.iloc[pos]!r} does not belong to {names.iloc[pos]!r} (that is {from_name.iloc[pos]}).",
            path=path,
            sheet=sheet,
            column=code_column,
            row=first_row + pos,
            fix="use the publisher's file unchanged.",
        )
