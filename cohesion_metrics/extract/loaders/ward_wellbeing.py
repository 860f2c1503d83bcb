"""GLA London Ward Well-Being Scores (2013 edition, every indicator at equal weight), 2014 wards.

Used only for the app's independent check of the need score, never as an input. Semicolon-separated, UTF-8 with
BOM: `Borough name;Ward Code;Ward name;2009;...;2013`. The file holds 625 wards (624 E05 codes plus the City of
London as one unit, E09000001), 32 borough rows (names in upper case), one London row (E12000007) and a blank row;
only the wards are kept, after checking those counts. Scores are relative to the England and Wales average (0);
higher = better well-being = less need.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from cohesion_metrics import errors
from cohesion_metrics.extract import source_files, validate
from cohesion_metrics.metadata.boroughs import CITY_OF_LONDON
from cohesion_metrics.metadata.levels import LEVELS_BY_CODE
from cohesion_metrics.settings import LONDON_LAD_CODES

FILE = "gla_london_ward_wellbeing_scores_2009_2013_allweight1.csv"
YEARS = ("2009", "2010", "2011", "2012", "2013")
#: Wards (624 + the City), borough summary rows, London rows, blank rows.
WARDS, BOROUGH_ROWS, LONDON_ROWS, BLANK_ROWS = LEVELS_BY_CODE["ward"].count, 32, 1, 1
_LONDON = "E12000007"
_MAX_ABS_SCORE = 100.0


def load_gla_ward_wellbeing(folder: Path, *, check_counts: bool = True) -> dict[str, pd.DataFrame]:
    """Read the scores into "wards": ward_code, ward_name, borough_name, wellbeing_2009 .. wellbeing_2013."""
    path = Path(folder) / FILE
    raw = source_files.read_csv(
        path,
        ["Borough name", "Ward Code", "Ward name", *YEARS],
        sep=";",
        encoding="utf-8-sig",
        dtype={"Borough name": "string", "Ward Code": "string", "Ward name": "string"},
        skip_blank_lines=False,
        fix="download the file again from the London Datastore.",
    )
    code = raw["Ward Code"].str.strip()
    blank = code.isna().to_numpy(dtype=bool) & raw[list(YEARS)].isna().all(axis=1).to_numpy()
    london = (code == _LONDON).fillna(False).to_numpy(dtype=bool)
    borough = (code.isin(LONDON_LAD_CODES) & (code != CITY_OF_LONDON)).fillna(False).to_numpy(dtype=bool)
    ward = ~(blank | london | borough)
    if check_counts:
        for what, mask, expected in (
            ("ward", ward, WARDS),
            ("borough", borough, BOROUGH_ROWS),
            ("London", london, LONDON_ROWS),
            ("blank", blank, BLANK_ROWS),
        ):
            if int(mask.sum()) != expected:
                raise errors.RowCountError(
                    f"found {int(mask.sum())} {what} rows, the published file has {expected}.",
                    path=path,
                    fix="the file looks edited or truncated: download it again.",
                )
    wards = raw.loc[ward]
    codes = wards["Ward Code"].str.strip()
    _check_ward_codes(codes, path)
    validate.on_file_rows(validate.check_unique, codes, path=path, column="Ward Code")
    nums = validate.to_numeric(wards.reset_index(drop=True), list(YEARS), path=path)
    for year in YEARS:
        validate.on_file_rows(
            validate.check_range,
            nums[year].set_axis(wards.index),
            -_MAX_ABS_SCORE,
            _MAX_ABS_SCORE,
            path=path,
            column=year,
        )
    out = pd.DataFrame(
        {
            "ward_code": codes.to_numpy(),
            "ward_name": wards["Ward name"].str.strip().to_numpy(),
            "borough_name": wards["Borough name"].str.strip().to_numpy(),
        }
    )
    for year in YEARS:
        out[f"wellbeing_{year}"] = nums[year].astype("float64").to_numpy()
    return {"wards": out.sort_values("ward_code", ignore_index=True)}


def _check_ward_codes(codes: pd.Series, path: Path) -> None:
    """Every ward row holds a 2014 ward code (E05...) or the City as one unit (E09000001)."""
    ok = codes.str.fullmatch(validate.CODE_PATTERNS["ward"]).fillna(False) | (codes == CITY_OF_LONDON)
    validate.on_file_rows(
        validate.raise_at_first,
        ~ok.astype(bool),
        errors.CodeFormatError,
        lambda n, i: (
            f"{n} ward row(s) hold no 2014 ward code (E05...) or the City (E09000001); first is {codes.iloc[i]!r}."
        ),
        path=path,
        column="Ward Code",
        fix="use the publisher's file unchanged.",
    )
