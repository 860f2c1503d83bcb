"""Area summaries of LSOA deprivation, by the MHCLG method for the IoD2019 local authority summaries (File 10).

All functions are pure: frames in, frames out. They work for the IMD or any domain (pass its score and rank
columns) and for any area that LSOAs nest in (local authority districts, wards), as long as the ranks are the
national ranks (1 = most deprived of `n_national` LSOAs in England).

The rules, checked against the 33 London boroughs of IoD2019 File 10 with the GLA workbook's LSOA scores, ranks
and mid-2015 populations (total, excluding prisoners):

- National percentile of an LSOA: ``p = ceil(100 * rank / n_national)``, 1 = most deprived 1% (deciles likewise:
  ``ceil(10 * rank / n_national)``, which is how every published decile relates to its rank).
- Average score: population-weighted mean of the LSOA scores.
- Average rank: population-weighted mean of the *reversed* ranks ``n_national + 1 - rank``, so higher = more
  deprived (32,844 = most deprived LSOA in IoD2019).
- Proportion of LSOAs in the most deprived 10% nationally: unweighted share of the area's LSOAs with ``p <= 10``.
- Extent: population-weighted mean of a weight per LSOA: 1 for ``p <= 10``; for ``11 <= p <= 30`` a linear
  sliding scale from 0.95 at the 11th percentile to 0.05 at the 30th, ``w = 0.05 + 0.9 * (30 - p) / 19``; 0 above.
  (Of the readings tried, with p from ceil, floor + 1 or unrounded 100 * rank / N and weights (30 - p) / 20,
  (31 - p) / 20 or this scale, only this one matches File 10: 32 of 33 boroughs exactly, the next best 31.)
- Local concentration: population-weighted mean of the reversed ranks of the area's most deprived LSOAs that
  together hold exactly 10% of its population (LSOAs taken most deprived first; the LSOA that crosses the 10% mark
  counts only for the population needed to reach it).

File 10 publishes average rank and local concentration to 2 dp, average score to 3 dp, proportion and extent to
4 dp (`PUBLISHED_DECIMALS`). With the published denominators these rules reproduce all 33 boroughs exactly for
average score and proportion, 32 for extent (Hammersmith and Fulham 0.0001 low), 30 for local concentration (3 within
0.03) and 28 for average rank (5 within 0.06). The small gaps are the population figures: the published mid-2015
denominators were disclosure-controlled by ONS after the IoD2019 was calculated (note 2 of the GLA `Population
figures` sheet), so they differ slightly from the ones MHCLG used.
"""

from __future__ import annotations

from typing import TypedDict, Unpack

import numpy as np
import pandas as pd

from cohesion_metrics import errors

#: LSOAs in England, 2011 geography (IoD2015, IoD2019).
N_LSOA11_ENGLAND = 32_844
#: LSOAs in England, 2021 geography (IoD2025).
N_LSOA21_ENGLAND = 33_755

#: Decimal places of each measure in IoD2019 File 10 (by measure name, without prefix).
PUBLISHED_DECIMALS = {
    "avg_rank": 2,
    "avg_score": 3,
    "prop_most_deprived_10pct": 4,
    "extent": 4,
    "local_concentration": 2,
}

#: The population each IoD2019 File 10 summary is weighted by, as a column of the GLA workbook's `Population
#: figures` (our names). Found by reproducing File 10: any other denominator misses the published average ranks by
#: hundreds. Average ranks come within 0.06 for the total-population domains, about 1 for employment (probably
#: because its published denominator, a 2015/2016 blend, is rounded) and 0.4 for IDACI and IDAOPI (probably because
#: disclosure control changes small age groups relatively more).
IOD2019_DENOMINATORS = {
    "imd": "pop_total_mid2015",
    "income": "pop_total_mid2015",
    "employment": "pop_working_age_mid2015",
    "education": "pop_total_mid2015",
    "health": "pop_total_mid2015",
    "crime": "pop_total_mid2015",
    "barriers": "pop_total_mid2015",
    "living_env": "pop_total_mid2015",
    "idaci": "pop_children_0_15_mid2015",
    "idaopi": "pop_60_plus_mid2015",
}

#: Share of an area's population whose LSOAs make up the local concentration measure.
LOCAL_CONCENTRATION_SHARE = 0.10


def national_percentile(rank: pd.Series, n_national: int = N_LSOA11_ENGLAND) -> pd.Series:
    """National percentile of each LSOA from its national rank: ceil(100 * rank / n), 1 = most deprived 1%."""
    return np.ceil(100 * rank.astype("float64") / n_national).astype("int64")


def extent_weight_of_percentile(percentile: pd.Series) -> pd.Series:
    """Extent weight of a national percentile (1 = most deprived): 1 up to 10, 0.95 falling to 0.05 over 11..30, else 0.

    Missing percentiles stay missing. This is the rule that reproduces IoD2019 File 10 (module docstring).
    """
    p = percentile.astype("float64")
    sliding = 0.05 + 0.9 * (30 - p) / 19
    weight = np.where(p <= 10, 1.0, np.where(p <= 30, sliding, 0.0))
    return pd.Series(np.where(p.isna(), np.nan, weight), index=percentile.index, name="extent_weight")


def extent_weight(rank: pd.Series, n_national: int = N_LSOA11_ENGLAND) -> pd.Series:
    """Extent weight per LSOA from its national rank (see `extent_weight_of_percentile`)."""
    return extent_weight_of_percentile(national_percentile(rank, n_national))


def summarise_areas(
    lsoa: pd.DataFrame,
    *,
    area_col: str,
    rank_col: str,
    pop_col: str,
    score_col: str | None = None,
    n_national: int = N_LSOA11_ENGLAND,
    prefix: str = "",
) -> pd.DataFrame:
    """Summarise LSOAs by area with the IoD measures (see the module docstring for the exact rules).

    `lsoa` has one row per LSOA with its area, national rank (1 = most deprived), population and optionally score.
    Returns one row per area (index `area_col`, sorted) with columns, each named `prefix + measure`:
    avg_rank, avg_score (only if `score_col`), prop_most_deprived_10pct, extent, local_concentration.
    Values are unrounded; see `round_as_published`.
    """
    _check_input(
        lsoa, area_col=area_col, rank_col=rank_col, pop_col=pop_col, score_col=score_col, n_national=n_national
    )
    rank = lsoa[rank_col].astype("float64")
    pop = lsoa[pop_col].astype("float64")
    reversed_rank = n_national + 1 - rank
    frame = pd.DataFrame(
        {
            "area": lsoa[area_col].to_numpy(),
            "rank": rank.to_numpy(),
            "pop": pop.to_numpy(),
            "pop_x_rank": (pop * reversed_rank).to_numpy(),
            "pop_x_extent": (pop * extent_weight(rank, n_national)).to_numpy(),
            "in_10pct": (national_percentile(rank, n_national) <= 10).to_numpy(dtype="float64"),
        }
    )
    if score_col is not None:
        frame["pop_x_score"] = (pop * lsoa[score_col].astype("float64")).to_numpy()
    sums = frame.groupby("area", sort=True).sum()
    out = pd.DataFrame(index=sums.index)
    out["avg_rank"] = sums["pop_x_rank"] / sums["pop"]
    if score_col is not None:
        out["avg_score"] = sums["pop_x_score"] / sums["pop"]
    out["prop_most_deprived_10pct"] = frame.groupby("area", sort=True)["in_10pct"].mean()
    out["extent"] = sums["pop_x_extent"] / sums["pop"]
    out["local_concentration"] = _local_concentration(frame, n_national)
    out.index.name = area_col
    return out.add_prefix(prefix)


class SummaryColumns(TypedDict, total=False):
    """`summarise_areas`' keywords: the LSOA frame's columns and the national count."""

    area_col: str
    rank_col: str
    pop_col: str
    score_col: str | None
    n_national: int
    prefix: str


#: The GLA IoD2019 workbook's IMD columns and population: `summarise_lads`' defaults.
GLA_IMD_COLUMNS: SummaryColumns = {
    "area_col": "lad19_code",
    "rank_col": "imd_rank",
    "pop_col": "pop_total_mid2015",
    "score_col": "imd_score",
}


def summarise_lads(lsoa: pd.DataFrame, **columns: Unpack[SummaryColumns]) -> pd.DataFrame:
    """Local authority summaries as in IoD2019 File 10; `columns` override `GLA_IMD_COLUMNS`.

    Columns: avg_rank, avg_score, prop_most_deprived_10pct, extent, local_concentration (with `prefix="imd_"` they
    match `load_iod2019_mhclg(...)["lad_summaries"]`). For a domain, pass its columns and the population File 10
    weights it by, `IOD2019_DENOMINATORS[domain]`.
    """
    merged: SummaryColumns = {**GLA_IMD_COLUMNS, **columns}
    return summarise_areas(lsoa, **merged)


def round_as_published(summary: pd.DataFrame, *, prefix: str = "") -> pd.DataFrame:
    """Round each measure to File 10's decimal places (`PUBLISHED_DECIMALS`); other columns are left as they are."""
    decimals = {prefix + name: places for name, places in PUBLISHED_DECIMALS.items() if prefix + name in summary}
    return summary.round(decimals)


def _local_concentration(frame: pd.DataFrame, n_national: int) -> pd.Series:
    """Population-weighted mean reversed rank of each area's most deprived LSOAs holding exactly 10% of its people."""
    ordered = frame.sort_values(["area", "rank"], kind="stable")
    total = ordered.groupby("area")["pop"].transform("sum")
    before = ordered.groupby("area")["pop"].cumsum() - ordered["pop"]
    used = (LOCAL_CONCENTRATION_SHARE * total - before).clip(lower=0).clip(upper=ordered["pop"])
    weighted = used * (n_national + 1 - ordered["rank"])
    return weighted.groupby(ordered["area"]).sum() / used.groupby(ordered["area"]).sum()


def _check_input(
    lsoa: pd.DataFrame, *, area_col: str, rank_col: str, pop_col: str, score_col: str | None, n_national: int
) -> None:
    """Raise a named error if a column is absent, not numeric, missing, or out of range."""
    needed = [c for c in (area_col, rank_col, pop_col, score_col) if c is not None]
    absent = [c for c in needed if c not in lsoa.columns]
    if absent:
        raise errors.ColumnMismatchError(
            f"the LSOA frame lacks column(s) {absent}; it has {list(lsoa.columns)}.", column=absent[0]
        )
    if lsoa[area_col].isna().any():
        raise errors.ValueRangeError(_first_bad(lsoa[area_col].isna(), "has no area"), column=area_col)
    for col in (c for c in (rank_col, pop_col, score_col) if c is not None):
        if not pd.api.types.is_numeric_dtype(lsoa[col]):
            raise errors.NonNumericValueError(f"the column is {lsoa[col].dtype}, not numeric.", column=col)
        if lsoa[col].isna().any():
            raise errors.NonNumericValueError(_first_bad(lsoa[col].isna(), "is missing"), column=col)
    rank = lsoa[rank_col]
    bad_rank = (rank < 1) | (rank > n_national) | (rank != np.floor(rank))
    if bad_rank.any():
        raise errors.ValueRangeError(_first_bad(bad_rank, f"is not a national rank 1..{n_national}"), column=rank_col)
    if (lsoa[pop_col] < 0).any():
        raise errors.ValueRangeError(_first_bad(lsoa[pop_col] < 0, "is negative"), column=pop_col)
    totals = lsoa.groupby(area_col)[pop_col].sum()
    if (totals <= 0).any():
        raise errors.ValueRangeError(
            f"area(s) {list(totals.index[totals <= 0])} have no population to weight by.", column=pop_col
        )


def _first_bad(mask: pd.Series, what: str) -> str:
    first = mask.index[mask.to_numpy(dtype=bool)][0]
    return f"{int(mask.sum())} value(s) {what}; first at index {first!r}."
