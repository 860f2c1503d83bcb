"""Electoral Commission electoral data for the 5 May 2022 English local elections: London wards and councils.

The workbook names councils and wards but gives no codes. London rows are the councils listed on sheet
`London` (32 boroughs; the City of London had no election in May 2022), matched to LAD codes with
`boroughs.borough_codes_for`. Ward names are matched to ONS ward codes by `match_wards_to_codes`, which
only normalises text (never fuzzy matching) and reports every name it cannot match.

Known quirks of the published file (kept as published, visible in "london_councils"):
- Royal Borough of Kingston upon Thames: its 18 ward rows add up to 50,966 ballots, the council row says
  38,728 (electorates agree: 111,673). The ward sheet has no row for New Malden Village and names
  "Hook & Chessington North" as "Hook & Chessington South".
- City of Westminster: ward electorates add up to 133,814, the council row says 133,850.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import pandas as pd

from cohesion_metrics import errors
from cohesion_metrics.extract import source_files, validate
from cohesion_metrics.metadata.boroughs import borough_codes_for, normalise_name

FILE = "2022 England Electoral data_0.xlsx"
WARD_SHEET = "Ward data"
LONDON_SHEET = "London"

#: Published counts: 2,850 ward rows in England; 32 London councils with 678 ward rows.
WARD_DATA_ROWS = 2_850
LONDON_COUNCILS = 32
LONDON_WARD_ROWS = 678

_WARD_COLUMNS = ("Local Authority Name", "Ward Name", "Electorate", "Ballot papers at the count")
#: Sheet `London`: two header rows (groups, then names); council names in column A, which has no header.
_LONDON_HEADER = ("Electorate", "Ballot papers at the count", "Ballot box turnout")
_LONDON_TOTAL = "Total London"
_NAME_COLUMN = "A (council name)"
#: Largest allowed gap between published council turnout and ballots / electorate, in percentage points.
_TURNOUT_TOLERANCE_PCT = 0.01

#: Hand-checked corrections of published ward names that normalisation cannot match to the ONS May 2023
#: ward names, as (borough_code, published name) -> ONS name. Each was checked against the borough's
#: unmatched ONS wards; only one candidate fits. Pass as `aliases=` to `match_wards_to_codes`.
EC2022_WARD_ALIASES: dict[tuple[str, str], str] = {
    ("E09000002", "Maysbrook"): "Mayesbrook",  # misspelt
    ("E09000002", "Thames"): "Thames View",  # the 2022 ward is Thames View
    ("E09000007", "St Pancras and Somerstown"): "St Pancras & Somers Town",  # "Somers Town" as two words
    ("E09000011", "Mottingham"): "Mottingham, Coldharbour & New Eltham",  # shortened
    ("E09000019", "Caledonain"): "Caledonian",  # misspelt
    ("E09000021", "Hook & Chessington South"): "Hook & Chessington North",  # "Chessington South" is another ward
    ("E09000021", "King George & Sunray"): "King George's & Sunray",  # possessive dropped
    ("E09000027", "Ham"): "Ham, Petersham & Richmond Riverside",  # shortened
}


def load_ec_2022(folder: Path, *, check_counts: bool = True) -> dict[str, pd.DataFrame]:
    """Read the London rows of the 2022 local elections workbook.

    "london_wards": `borough_code`, `council_name` (as published), `ward_name`, `electorate`,
    `ballots_at_count`, `turnout_pct` (= ballots / electorate * 100; the ward sheet publishes no turnout).
    "london_councils": `borough_code`, `council_name`, `electorate`, `ballots_at_count`, `turnout_pct`
    (published "Ballot box turnout" * 100, checked against ballots / electorate), and the sums of the
    council's ward rows: `ward_rows`, `ward_electorate_sum`, `ward_ballots_sum`.
    """
    path = folder / FILE
    councils = _read_london_sheet(path, check_counts=check_counts)
    wards = _read_ward_sheet(path, check_counts=check_counts)

    london = wards["council_name"].isin(set(councils["council_name"])).to_numpy(dtype=bool)
    london_wards = wards.loc[london].copy()
    if check_counts:
        validate.check_row_count(london_wards, LONDON_WARD_ROWS, path=path, sheet=WARD_SHEET)
    rows = london_wards.pop("row")
    code_by_council = dict(zip(councils["council_name"], councils["borough_code"], strict=True))
    london_wards.insert(0, "borough_code", london_wards["council_name"].map(code_by_council).astype("string"))
    key = london_wards["council_name"] + " / " + london_wards["ward_name"]
    dup = key.duplicated().to_numpy()
    if dup.any():
        pos = int(dup.nonzero()[0][0])
        raise errors.DuplicateCodeError(
            f"ward {london_wards['ward_name'].iloc[pos]!r} of {london_wards['council_name'].iloc[pos]!r} "
            "appears twice.",
            path=path,
            sheet=WARD_SHEET,
            column="Ward Name",
            row=int(rows.iloc[pos]),
            fix="each ward must appear once.",
        )

    sums = london_wards.groupby("council_name", sort=False).agg(
        ward_rows=("ward_name", "size"),
        ward_electorate_sum=("electorate", "sum"),
        ward_ballots_sum=("ballots_at_count", "sum"),
    )
    councils = councils.join(sums, on="council_name")
    no_wards = councils["ward_rows"].isna().to_numpy()
    if no_wards.any():
        pos = int(no_wards.nonzero()[0][0])
        raise errors.RowCountError(
            f"council {councils['council_name'].iloc[pos]!r} of sheet {LONDON_SHEET!r} has no rows on this sheet.",
            path=path,
            sheet=WARD_SHEET,
            fix="use the publisher's workbook unchanged.",
        )
    councils = councils.astype({"ward_rows": "int64"})
    return {"london_wards": london_wards.reset_index(drop=True), "london_councils": councils}


def _read_london_sheet(path: Path, *, check_counts: bool) -> pd.DataFrame:
    """Sheet `London`: one row per council, checked against its published turnout and the London total."""
    raw = source_files.read_sheet(path, LONDON_SHEET, header=None)
    header = [str(v).strip() for v in raw.iloc[1, 1:4]] if raw.shape[0] > 1 and raw.shape[1] > 3 else []
    if header != list(_LONDON_HEADER):
        raise errors.ColumnMismatchError(
            f"expected the headers {list(_LONDON_HEADER)} in columns B-D of row 2, found {header}.",
            path=path,
            sheet=LONDON_SHEET,
            row=2,
            fix="use the publisher's layout unchanged (headers as published).",
        )
    body = raw.iloc[2:, :4].set_axis(["council_name", *_LONDON_HEADER], axis=1)
    body = body.assign(row=range(3, 3 + len(body)))
    body = body[body["council_name"].notna()]
    names = body["council_name"].astype("string").str.strip()
    is_total = (names == _LONDON_TOTAL).to_numpy(dtype=bool)
    if not is_total.any():
        raise errors.RowCountError(
            f"the {_LONDON_TOTAL!r} row is missing.", path=path, sheet=LONDON_SHEET, fix="use the publisher's workbook."
        )
    total = body.loc[is_total].iloc[0]
    body = body.loc[~is_total]
    if check_counts:
        validate.check_row_count(body, LONDON_COUNCILS, path=path, sheet=LONDON_SHEET)
    first_row = int(body["row"].iloc[0]) if len(body) else 3
    codes = borough_codes_for(names[~is_total], path=path, sheet=LONDON_SHEET, column=_NAME_COLUMN, first_row=first_row)
    validate.check_unique(codes, path=path, sheet=LONDON_SHEET, column=_NAME_COLUMN, first_row=first_row)
    nums = validate.to_numeric(body, list(_LONDON_HEADER), path=path, sheet=LONDON_SHEET, first_row=first_row)
    out = pd.DataFrame(
        {
            "borough_code": codes.to_numpy(),
            "council_name": names[~is_total].to_numpy(),
            "electorate": nums["Electorate"].to_numpy(),
            "ballots_at_count": nums["Ballot papers at the count"].to_numpy(),
            "turnout_pct": nums["Ballot box turnout"].to_numpy() * 100,
        }
    ).astype({"borough_code": "string", "council_name": "string", "electorate": "int64", "ballots_at_count": "int64"})
    computed = out["ballots_at_count"] / out["electorate"] * 100
    validate.raise_at_first(
        ((out["turnout_pct"] - computed).abs() > _TURNOUT_TOLERANCE_PCT).to_numpy(),
        errors.ValueRangeError,
        lambda _, i: (
            f"published turnout {out['turnout_pct'].iloc[i]:.2f}% of {out['council_name'].iloc[i]!r} "
            f"differs from ballots / electorate ({computed.iloc[i]:.2f}%)."
        ),
        path=path,
        sheet=LONDON_SHEET,
        column="Ballot box turnout",
        first_row=first_row,
    )
    for column, tidy in (("Electorate", "electorate"), ("Ballot papers at the count", "ballots_at_count")):
        published = pd.to_numeric(total[column], errors="coerce")
        if published != out[tidy].sum():
            raise errors.InconsistentTotalsError(
                f"the {_LONDON_TOTAL!r} value {published!r} is not the sum of the council rows ({out[tidy].sum()}).",
                path=path,
                sheet=LONDON_SHEET,
                column=column,
                row=int(total["row"]),
                fix="use the publisher's workbook unchanged.",
            )
    return out


def _read_ward_sheet(path: Path, *, check_counts: bool) -> pd.DataFrame:
    """Sheet `Ward data`: every ward in England, with its spreadsheet row and turnout."""
    raw = source_files.read_sheet(path, WARD_SHEET, header=0)
    validate.require_columns(raw, _WARD_COLUMNS, path=path, sheet=WARD_SHEET)
    if check_counts:
        validate.check_row_count(raw, WARD_DATA_ROWS, path=path, sheet=WARD_SHEET)
    nums = validate.to_numeric(raw, ["Electorate", "Ballot papers at the count"], path=path, sheet=WARD_SHEET)
    out = pd.DataFrame(
        {
            "council_name": raw["Local Authority Name"].astype("string").str.strip(),
            "ward_name": raw["Ward Name"].astype("string").str.strip(),
            "electorate": nums["Electorate"],
            "ballots_at_count": nums["Ballot papers at the count"],
            "row": range(2, 2 + len(raw)),
        }
    )
    validate.check_range(out["electorate"], 1, 1e6, path=path, sheet=WARD_SHEET, column="Electorate")
    validate.raise_at_first(
        (out["ballots_at_count"] > out["electorate"]).to_numpy(),
        errors.ValueRangeError,
        lambda n, i: f"{n} ward(s) with more ballots than electors; first is {out['ward_name'].iloc[i]!r}.",
        path=path,
        sheet=WARD_SHEET,
        column="Ballot papers at the count",
    )
    validate.check_range(
        out["ballots_at_count"], 0, 1e6, path=path, sheet=WARD_SHEET, column="Ballot papers at the count"
    )
    out = out.astype({"electorate": "int64", "ballots_at_count": "int64"})
    out.insert(out.columns.get_loc("row"), "turnout_pct", out["ballots_at_count"] / out["electorate"] * 100)
    return out


def normalise_ward_name(name: str) -> str:
    """Ward-name key: case, '&'/'and', apostrophes (' ’ `) dropped, other punctuation and whitespace folded.

    So "St. Mark's & Seething Wells", "St Marks and Seething Wells" and "ST MARK`S & SEETHING WELLS" share a key.
    Nothing else is changed: no spelling correction, no partial or fuzzy matching.
    """
    return normalise_name(name)


def match_wards_to_codes(
    results: pd.DataFrame,
    lookup: pd.DataFrame,
    *,
    aliases: Mapping[tuple[str, str], str] | None = None,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Match published ward names to ONS ward codes, by borough code and normalised name.

    `results` needs `borough_code` and `ward_name`; `lookup` needs `ward23_code`, `ward23_name` and
    `lad23_code` (e.g. the ONS LSOA21 -> ward 2023 lookup; repeated rows are fine). `aliases` maps
    (borough_code, published name) to the lookup's ward name for hand-checked exceptions (see
    EC2022_WARD_ALIASES); an alias whose target is not in the lookup raises.

    Returns (matched, unmatched): `matched` is `results` plus `ward23_code`, `ward23_name` and
    `match_method` ("name" or "alias"); `unmatched` is every other row of `results` plus `ward_name_key` and
    `unmatched_lookup_wards` (the borough's lookup wards that nothing matched, for review).
    """
    validate.require_columns(results, ["borough_code", "ward_name"], path="results frame")
    validate.require_columns(lookup, ["ward23_code", "ward23_name", "lad23_code"], path="lookup frame")
    wards = lookup[["ward23_code", "ward23_name", "lad23_code"]].drop_duplicates().astype("string")
    wards = wards.assign(ward_name_key=wards["ward23_name"].map(normalise_ward_name))
    clash = wards.duplicated(["lad23_code", "ward_name_key"], keep=False).to_numpy()
    if clash.any():
        names = sorted(set(wards.loc[clash, "ward23_name"]))
        raise errors.DuplicateCodeError(
            f"lookup wards {names} share a normalised name within one borough, so names cannot identify them.",
            path="lookup frame",
            column="ward23_name",
        )

    frame = results.copy()
    frame["ward_name_key"] = frame["ward_name"].astype("string").map(normalise_ward_name)
    frame["match_method"] = "name"
    for (borough, published), official in (aliases or {}).items():
        target = normalise_ward_name(official)
        if not ((wards["lad23_code"] == borough) & (wards["ward_name_key"] == target)).any():
            raise errors.SourceError(
                f"alias {published!r} -> {official!r}: no ward {official!r} in borough {borough} of the lookup.",
                path="lookup frame",
                column="ward23_name",
                fix="correct the alias table.",
            )
        hit = ((frame["borough_code"] == borough) & (frame["ward_name"] == published)).to_numpy(dtype=bool)
        frame.loc[hit, "ward_name_key"] = target
        frame.loc[hit, "match_method"] = "alias"

    merged = frame.merge(
        wards.rename(columns={"lad23_code": "borough_code"}),
        on=["borough_code", "ward_name_key"],
        how="left",
        validate="many_to_one",
    )
    found = merged["ward23_code"].notna().to_numpy(dtype=bool)
    matched = merged.loc[found].drop(columns="ward_name_key").reset_index(drop=True)
    twice = matched["ward23_code"].duplicated(keep=False).to_numpy()
    if twice.any():
        rows = matched.loc[twice, ["borough_code", "ward_name", "ward23_code"]].to_dict("records")
        raise errors.DuplicateCodeError(
            f"several published wards match the same lookup ward: {rows}.",
            path="results frame",
            column="ward_name",
            fix="each published ward must be a different ward.",
        )
    unmatched = merged.loc[~found, [*results.columns, "ward_name_key"]].reset_index(drop=True)
    used = set(matched["ward23_code"])
    spare = (
        wards.loc[~wards["ward23_code"].isin(used)]
        .groupby("lad23_code")["ward23_name"]
        .agg(lambda names: "; ".join(sorted(names)))
    )
    unmatched["unmatched_lookup_wards"] = unmatched["borough_code"].map(spare).fillna("").astype("string")
    return matched, unmatched
