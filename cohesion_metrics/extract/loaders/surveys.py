"""Borough survey results: MOPAC Public Attitude Survey exports and ONS APS personal well-being (GLA workbook).

MOPAC: six crosstab exports of the Public Voice dashboard, UTF-16LE with a byte-order mark and tab-separated:
a header `Date, Measure, <blank>, <32 borough names and MPS, sorted by value>`, a "Proportion" row with values
like `38%`, and an empty "Rank" row. Caveat (show wherever used): user exports of an official dashboard, not a
published download; trust in police is one side of trust only.

Well-being: sheet `Summary - Mean Scores` of the GLA workbook, with two header rows (measure over period).
Missing-value markers: "x" (ONS suppression: the City of London in every year) and blank cells (the City's
life satisfaction and worthwhile scores for 2017/18 and 2018/19). Both become missing and missing values are
left out of the long tables, so the City of London has no rows; any other text is a NonNumericValueError.
"""

from __future__ import annotations

import csv
import re
from pathlib import Path
from typing import Any

import pandas as pd

from cohesion_metrics import errors
from cohesion_metrics.extract import source_files, validate
from cohesion_metrics.metadata.boroughs import BOROUGHS, CITY_OF_LONDON, borough_code_for, check_names_match_codes

MOPAC_FILES = (
    "all_borough_police_concerns_local_june_2022.csv",
    "all_borough_police_contact_ward_officer_june_2022.csv",
    "all_borough_police_fair_june_2022.csv",
    "all_borough_police_informed_june_2022.csv",
    "all_borough_police_relied_june_2022.csv",
    "all_borough_police_things_matter_june_2022.csv",
)
MOPAC_BOROUGHS = 32
_MPS = "MPS"
_UTF16LE_BOM = b"\xff\xfe"
_PERCENT = re.compile(r"\s*(\d{1,3}(?:\.\d+)?)\s*%\s*")

WELLBEING_FILE = "well-being.xlsx"
WELLBEING_SHEET = "Summary - Mean Scores"
#: Published group header -> measure id.
WELLBEING_MEASURES = {
    "Life Satisfaction": "life_satisfaction",
    "Worthwhile": "worthwhile",
    "Happiness": "happy",
    "Anxiety": "anxiety",
}
WELLBEING_PERIODS = tuple(f"{y}/{(y + 1) % 100:02d}" for y in range(2011, 2019))
#: "x" is ONS suppression; blank cells (the City's last two years of two measures) are missing too.
WELLBEING_MISSING_MARKERS = frozenset({"x", ""})
WELLBEING_COMPARATORS = {"E12000007": "London", "E92000001": "England"}
_PERIOD = re.compile(r"\d{4}/\d{2}")


def load_mopac_pas(folder: Path, *, check_counts: bool = True) -> dict[str, pd.DataFrame]:
    """Read the six MOPAC Public Attitude Survey exports (rolling 12 months to June 2022).

    "borough_measures" (long): `borough_code`, `borough_name_published`, `measure_id` (snake_case of the
    measure text), `measure_label`, `proportion_pct`, `period` ("rolling 12 months to June 2022").
    "mps_totals": the Metropolitan Police Service (all London) value of each measure, same columns without
    the borough ones.
    """
    boroughs, totals = [], []
    for name in MOPAC_FILES:
        b, t = _read_mopac(folder / name, check_counts=check_counts)
        boroughs.append(b)
        totals.append(t)
    out = pd.concat(boroughs, ignore_index=True)
    return {"borough_measures": out, "mps_totals": pd.concat(totals, ignore_index=True)}


def _read_mopac(path: Path, *, check_counts: bool) -> tuple[pd.DataFrame, pd.DataFrame]:
    source_files.require_file(path)
    data = path.read_bytes()
    if not data.startswith(_UTF16LE_BOM):
        seen = "UTF-8 (with BOM)" if data.startswith(b"\xef\xbb\xbf") else f"bytes {data[:4]!r}"
        raise errors.CorruptFileError(
            f"expected UTF-16LE text with a byte-order mark (FF FE), as the dashboard exports it; the file starts "
            f"with {seen}.",
            path=path,
            fix="use the crosstab export as downloaded (UTF-16LE, tab-separated), not a re-saved copy.",
        )
    try:
        text = data[len(_UTF16LE_BOM) :].decode("utf-16-le")
    except UnicodeDecodeError as exc:
        raise errors.CorruptFileError(
            f"the file is not valid UTF-16LE ({exc}).", path=path, fix="export the crosstab again."
        ) from exc
    rows = list(csv.reader(text.splitlines(), delimiter="\t"))
    header = [h.strip() for h in rows[0]] if rows else []
    if header[:3] != ["Date", "Measure", ""] or _MPS not in header:
        raise errors.ColumnMismatchError(
            f"expected a tab-separated header 'Date, Measure, <blank>, <boroughs>, MPS'; found {header[:4]}.",
            path=path,
            column=header[0] if header else None,
            row=1,
            fix="use the crosstab export as downloaded (tab-separated).",
        )
    found = [(i, r) for i, r in enumerate(rows) if len(r) > 2 and r[2].strip() == "Proportion"]
    if len(found) != 1:
        raise errors.ColumnMismatchError(
            f"expected one row with 'Proportion' in the third column, found {len(found)}.",
            path=path,
            fix="export the crosstab again.",
        )
    index, values = found[0]
    row_number = index + 1
    if len(values) != len(header):
        raise errors.ColumnMismatchError(
            f"the 'Proportion' row has {len(values)} fields, the header {len(header)}.",
            path=path,
            row=row_number,
            fix="export the crosstab again.",
        )
    date, label = values[0].strip(), values[1].strip()
    names = header[3:]
    pct = []
    for name, value in zip(names, values[3:], strict=True):
        m = _PERCENT.fullmatch(value)
        if m is None:
            raise errors.NonNumericValueError(
                f"{value!r} is not a percentage like '38%'.",
                path=path,
                column=name,
                row=row_number,
                fix="use the crosstab export unchanged.",
            )
        if float(m.group(1)) > 100:
            raise errors.ValueRangeError(
                f"{value!r} is above 100%.", path=path, column=name, row=row_number, fix="export the crosstab again."
            )
        pct.append(float(m.group(1)))
    frame = pd.DataFrame({"borough_name_published": names, "proportion_pct": pct}).astype(
        {"borough_name_published": "string"}
    )
    is_mps = (frame["borough_name_published"] == _MPS).to_numpy(dtype=bool)
    borough = frame.loc[~is_mps].reset_index(drop=True)
    codes = _mopac_codes(borough["borough_name_published"], path)
    repeated = codes.duplicated().to_numpy()
    if repeated.any():
        name = borough["borough_name_published"].iloc[int(repeated.nonzero()[0][0])]
        raise errors.DuplicateCodeError(
            f"borough {name!r} appears twice in the header.", path=path, column=name, row=1, fix="export again."
        )
    if check_counts and len(borough) != MOPAC_BOROUGHS:
        raise errors.RowCountError(
            f"found {len(borough)} boroughs, the export has {MOPAC_BOROUGHS} (all but the City of London).",
            path=path,
            fix="export the crosstab again with every borough selected.",
        )
    measure = {"measure_id": _snake(label), "measure_label": label, "period": f"rolling 12 months to {date}"}
    borough.insert(0, "borough_code", codes.to_numpy())
    borough = borough.assign(**measure)[
        ["borough_code", "borough_name_published", "measure_id", "measure_label", "proportion_pct", "period"]
    ]
    text_columns = {"measure_id": "string", "measure_label": "string", "period": "string"}
    borough = borough.astype({"borough_code": "string", **text_columns})
    total = pd.DataFrame({**measure, "proportion_pct": frame.loc[is_mps, "proportion_pct"].to_numpy()[:1]})
    total = total.astype(text_columns)
    return borough, total[["measure_id", "measure_label", "proportion_pct", "period"]]


def _mopac_codes(names: pd.Series, path: Path) -> pd.Series:
    """Borough codes of the header's names; an unknown name is reported as its own column of row 1."""
    codes = []
    for name in names:
        try:
            codes.append(borough_code_for(name))
        except errors.UnknownBoroughError as exc:
            raise errors.UnknownBoroughError(exc.problem, path=path, column=name, row=1, fix=exc.fix) from None
    return pd.Series(codes, dtype="string")


def _snake(text: str) -> str:
    """'Agree the police treat everyone fairly' -> 'agree_the_police_treat_everyone_fairly'."""
    return "_".join(re.sub(r"[^a-z0-9]+", " ", text.lower().replace("&", " and ")).split())


def load_aps_wellbeing(folder: Path, *, check_counts: bool = True) -> dict[str, pd.DataFrame]:
    """Read mean personal well-being scores by borough, 2011/12 to 2018/19 (sheet `Summary - Mean Scores`).

    "borough_wellbeing" (long): `borough_code`, `borough_name`, `measure` (life_satisfaction, worthwhile,
    happy, anxiety), `period` ("2018/19"), `mean_score` (0-10). 32 boroughs: the City of London is
    suppressed ("x" or blank) and has no rows. "comparators": the same for `area_code` E12000007 (London) and
    E92000001 (England), with `area_name`.
    """
    path = folder / WELLBEING_FILE
    raw = source_files.read_sheet(path, WELLBEING_SHEET, header=None, keep_default_na=False)
    columns = _wellbeing_columns(raw, path)
    codes = raw.iloc[:, 0].astype("string").str.strip()
    is_borough = codes.str.fullmatch(r"E09\d{6}").fillna(False).to_numpy(dtype=bool)
    is_comparator = codes.isin(list(WELLBEING_COMPARATORS)).fillna(False).to_numpy(dtype=bool)
    keep = (is_borough | is_comparator).nonzero()[0]
    rows = keep + 1  # spreadsheet rows (the frame has no header)
    area = raw.iloc[keep, :2].set_axis(["code", "name"], axis=1).astype("string")
    area["name"] = area["name"].str.strip()
    area["code"] = area["code"].str.strip()

    borough_area = area[is_borough[keep]]
    first_borough_row = int(rows[is_borough[keep]][0]) if is_borough.any() else 1
    validate.check_unique(
        borough_area["code"], path=path, sheet=WELLBEING_SHEET, column="Code", first_row=first_borough_row
    )
    check_names_match_codes(
        borough_area["name"],
        borough_area["code"],
        path=path,
        sheet=WELLBEING_SHEET,
        name_column="Area",
        code_column="Code",
        first_row=first_borough_row,
    )

    parts = []
    for col, (measure, period) in columns.items():
        scores = _scores(raw.iloc[keep, col], path=path, column=f"{measure} {period} ({_letter(col)})")
        parts.append(area.assign(measure=measure, period=period, mean_score=scores.to_numpy()))
    long = pd.concat(parts, ignore_index=True).dropna(subset=["mean_score"])
    long = long.astype({"measure": "string", "period": "string"})
    borough_long = long[long["code"].str.startswith("E09")]
    boroughs = borough_long.rename(columns={"code": "borough_code", "name": "borough_name"})
    comparators = long[~long["code"].str.startswith("E09")].rename(columns={"code": "area_code", "name": "area_name"})

    if check_counts:
        missing = sorted(set(BOROUGHS) - {CITY_OF_LONDON} - set(boroughs["borough_code"]))
        if missing or len(borough_area) != len(BOROUGHS):
            raise errors.RowCountError(
                f"expected 33 borough rows with scores for all but the City of London; found {len(borough_area)} "
                f"rows, without scores: {missing}.",
                path=path,
                sheet=WELLBEING_SHEET,
                fix="use the publisher's workbook unchanged.",
            )
        if set(comparators["area_code"]) != set(WELLBEING_COMPARATORS):
            raise errors.RowCountError(
                f"expected London and England rows {sorted(WELLBEING_COMPARATORS)} in column 'Code'.",
                path=path,
                sheet=WELLBEING_SHEET,
                fix="use the publisher's workbook unchanged.",
            )
    return {
        "borough_wellbeing": boroughs.reset_index(drop=True),
        "comparators": comparators.reset_index(drop=True),
    }


def _wellbeing_columns(raw: pd.DataFrame, path: Path) -> dict[int, tuple[str, str]]:
    """Column position -> (measure id, period), from the two header rows; every measure has every period."""
    if raw.shape[0] < 3 or raw.shape[1] < 3:
        raise errors.ColumnMismatchError(
            "the sheet is too small to hold the two header rows.", path=path, sheet=WELLBEING_SHEET, row=1
        )
    first = raw.iloc[0]
    top = first.mask(first.astype("string").str.strip().fillna("") == "").ffill()  # group labels span columns
    second = raw.iloc[1]
    if [str(second.iloc[0]).strip(), str(second.iloc[1]).strip()] != ["Code", "Area"]:
        raise errors.ColumnMismatchError(
            f"expected 'Code' and 'Area' in columns A-B of row 2, found {list(second.iloc[:2])}.",
            path=path,
            sheet=WELLBEING_SHEET,
            column="Code",
            row=2,
            fix="use the publisher's layout unchanged (two header rows).",
        )
    columns: dict[int, tuple[str, str]] = {}
    for pos in range(2, raw.shape[1]):
        period = str(second.iloc[pos]).strip()
        if not _PERIOD.fullmatch(period):
            continue
        group = str(top.iloc[pos]).strip()
        if group not in WELLBEING_MEASURES:
            raise errors.ColumnMismatchError(
                f"measure header {group!r} above period {period!r} is not one of {list(WELLBEING_MEASURES)}.",
                path=path,
                sheet=WELLBEING_SHEET,
                column=_letter(pos),
                row=1,
                fix="use the publisher's layout unchanged (two header rows).",
            )
        columns[pos] = (WELLBEING_MEASURES[group], period)
    for label, measure in WELLBEING_MEASURES.items():
        periods = sorted(p for m, p in columns.values() if m == measure)
        if periods != list(WELLBEING_PERIODS):
            raise errors.ColumnMismatchError(
                f"measure {label!r} has periods {periods}, expected {list(WELLBEING_PERIODS)}.",
                path=path,
                sheet=WELLBEING_SHEET,
                column=label,
                row=2,
                fix="use the publisher's layout unchanged (two header rows).",
            )
    return columns


def _scores(values: pd.Series, *, path: Path, column: str) -> pd.Series:
    """Return mean scores 0..10; 'x' and blank cells become missing; other text raises NonNumericValueError.

    `values` keeps the sheet's index (0 = spreadsheet row 1), so errors name the row a person sees.
    """
    marker = values.map(lambda v: isinstance(v, str) and v.strip() in WELLBEING_MISSING_MARKERS).to_numpy(dtype=bool)
    cleaned = values.mask(marker)
    num = pd.to_numeric(cleaned, errors="coerce").astype("float64")
    where: dict[str, Any] = {"path": path, "sheet": WELLBEING_SHEET, "column": column, "first_row": 1}
    validate.on_file_rows(
        validate.raise_at_first,
        num.isna() & cleaned.notna(),
        errors.NonNumericValueError,
        lambda _, i: f"{cleaned.iloc[i]!r} is not a number, the suppression marker 'x' or blank.",
        fix="use the publisher's workbook unchanged.",
        **where,
    )
    validate.on_file_rows(
        validate.raise_at_first,
        num.notna() & ((num < 0) | (num > 10)),
        errors.ValueRangeError,
        lambda _, i: f"mean score {num.iloc[i]} is outside 0..10.",
        **where,
    )
    return num


def _letter(col: int) -> str:
    """Spreadsheet column letter of a 0-based position: 0 -> 'A', 27 -> 'AB'."""
    text = ""
    col += 1
    while col:
        col, rem = divmod(col - 1, 26)
        text = chr(65 + rem) + text
    return text
