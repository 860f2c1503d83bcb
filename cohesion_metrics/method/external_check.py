"""Independent checks of the need score against indices we do not use as inputs.

Agreement is Spearman's rank correlation (rho) with a bootstrap percentile interval (pairs resampled with
replacement). The checks:

- 2014 wards: our need against the GLA London Ward Well-Being Scores (2013 edition), negated so that higher =
  worse well-being = more need. The well-being index is independent of our inputs (it combines life expectancy,
  obesity, benefits, crime, schooling, transport access, green space and subjective well-being for 2009-13).
- Boroughs: our need against the IMD 2019 average score (MHCLG File 10, as published) and against the
  population-weighted average IoD2025 IMD rank (reversed, so higher = more deprived).
- The bar: how well deprivation's own seven IoD2019 domains agree with each other across boroughs (the median
  pairwise rho). Need should agree with the IMD at least that well.

Agreement says the need axis orders places as other measures of need do; it does not say either is right, and a
high rho at borough level (33 points) can hide disagreement inside boroughs.
"""

from __future__ import annotations

from dataclasses import dataclass

import duckdb
import numpy as np
import pandas as pd

from cohesion_metrics.db import query

BOOTSTRAP_DRAWS = 2000
BOOTSTRAP_SEED = 2024
INTERVAL = 0.90
#: The GLA ward well-being year compared (the latest in the file).
WELLBEING_YEAR = 2013
_DOMAINS = ("income", "employment", "education", "health", "crime", "barriers", "living_env")


@dataclass(frozen=True)
class Agreement:
    """Spearman's rho between two orderings of the same areas, with its bootstrap interval."""

    check: str
    level: str
    against: str
    rho: float
    low: float
    high: float
    n: int

    def sentence(self) -> str:
        """Plain English, e.g. 'rho 0.91 (90% interval 0.84 to 0.95) over 33 boroughs'."""
        pct = round(INTERVAL * 100)
        return f"rho {self.rho:.2f} ({pct}% interval {self.low:.2f} to {self.high:.2f}) over {self.n:,} {self.level}"


def _ranks(matrix: np.ndarray) -> np.ndarray:
    """Average ranks along the last axis (ties share their mean rank)."""
    return pd.DataFrame(matrix.T).rank(method="average").to_numpy().T


def _rowwise_pearson(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    a = a - a.mean(axis=-1, keepdims=True)
    b = b - b.mean(axis=-1, keepdims=True)
    with np.errstate(invalid="ignore", divide="ignore"):
        return (a * b).sum(axis=-1) / np.sqrt((a * a).sum(axis=-1) * (b * b).sum(axis=-1))


def spearman_interval(
    x: pd.Series, y: pd.Series, *, draws: int = BOOTSTRAP_DRAWS, seed: int = BOOTSTRAP_SEED
) -> tuple[float, float, float, int]:
    """Spearman's rho of `x` and `y` (aligned on their index, pairs with both present) and its bootstrap interval."""
    pairs = pd.concat([x.rename("x"), y.rename("y")], axis=1, join="inner").dropna()
    n = len(pairs)
    if n < 3:
        raise ValueError(f"Spearman's rho needs at least 3 areas with both values; got {n}")
    xv, yv = pairs["x"].to_numpy(float), pairs["y"].to_numpy(float)
    rho = float(_rowwise_pearson(_ranks(xv[None, :]), _ranks(yv[None, :]))[0])
    idx = np.random.default_rng(seed).integers(0, n, size=(draws, n))
    boot = _rowwise_pearson(_ranks(xv[idx]), _ranks(yv[idx]))
    boot = boot[np.isfinite(boot)]
    tail = (1 - INTERVAL) / 2
    low, high = np.quantile(boot, [tail, 1 - tail])
    return rho, float(low), float(high), n


def agreement(check: str, level: str, against: str, x: pd.Series, y: pd.Series) -> Agreement:
    """One named check of `x` against `y`."""
    rho, low, high, n = spearman_interval(x, y)
    return Agreement(check, level, against, rho, low, high, n)


def domain_agreement(domains: pd.DataFrame) -> float:
    """Median pairwise Spearman's rho among the columns of `domains` (areas x domain scores)."""
    corr = domains.corr(method="spearman").to_numpy()
    upper = np.triu_indices(len(corr), 1)
    return float(np.median(corr[upper]))


def _need(con: duckdb.DuckDBPyConnection, level: str) -> pd.Series:
    frame = query(con, "SELECT area_code, need FROM cohesion WHERE area_level = ?", [level])
    return frame.set_index("area_code")["need"]


def _indicator(con: duckdb.DuckDBPyConnection, indicator_id: str, level: str) -> pd.Series:
    frame = query(
        con,
        "SELECT area_code, value FROM indicators WHERE indicator_id = ? AND area_level = ?",
        [indicator_id, level],
    )
    return frame.set_index("area_code")["value"]


def _has_table(con: duckdb.DuckDBPyConnection, name: str) -> bool:
    return bool(query(con, "SELECT 1 FROM duckdb_tables() WHERE table_name = ?", [name]).shape[0]) or bool(
        query(con, "SELECT 1 FROM duckdb_views() WHERE view_name = ?", [name]).shape[0]
    )


@dataclass(frozen=True)
class CheckReport:
    """The checks that could be run, the bar they are held to, and what could not be checked and why."""

    agreements: tuple[Agreement, ...]
    domain_bar: float
    missing: tuple[str, ...]


def run_checks(con: duckdb.DuckDBPyConnection) -> CheckReport:
    """Every independent check the database allows; a missing input is reported, never invented."""
    found: list[Agreement] = []
    missing: list[str] = []
    borough_need = _need(con, "borough")
    published = query(
        con, "SELECT borough_code, value FROM core_iod2019__lad_published WHERE measure = 'imd_avg_score'"
    ).set_index("borough_code")["value"]
    found.append(agreement("IMD 2019", "boroughs", "IMD 2019 average score (MHCLG File 10)", borough_need, published))
    imd2025 = _indicator(con, "imd2025_rank", "borough")
    if imd2025.empty:
        missing.append("IoD2025 borough average rank: the IoD2025 IMD rank is not in this database.")
    else:
        found.append(
            agreement(
                "IMD 2025",
                "boroughs",
                "IoD2025 IMD rank, population-weighted borough average (reversed: higher = more deprived)",
                borough_need,
                -imd2025,
            )
        )
    if _has_table(con, "core_checks__ward_wellbeing"):
        wellbeing = query(con, "SELECT ward_code, wellbeing FROM core_checks__ward_wellbeing").set_index("ward_code")
        found.append(
            agreement(
                "GLA ward well-being",
                "wards (2014)",
                f"GLA London Ward Well-Being Score {WELLBEING_YEAR}, negated (higher = worse well-being)",
                _need(con, "ward"),
                -wellbeing["wellbeing"],
            )
        )
    else:
        missing.append("GLA ward well-being: the source was not in the build, so this check cannot run.")
    domains = pd.DataFrame({d: _indicator(con, f"{d}2019_avg_score", "borough") for d in _DOMAINS})
    return CheckReport(tuple(found), domain_agreement(domains), tuple(missing))


def report_table(report: CheckReport) -> pd.DataFrame:
    """The checks as a table for the methodology page, one row each, numbers in the app's style."""
    pct = round(INTERVAL * 100)
    return pd.DataFrame(
        {
            "Our need score at": [a.level for a in report.agreements],
            "Compared with": [a.against for a in report.agreements],
            "Spearman's rho": [f"{a.rho:.2f}" for a in report.agreements],
            f"{pct}% interval": [f"{a.low:.2f} to {a.high:.2f}" for a in report.agreements],
            "Areas": [f"{a.n:,}" for a in report.agreements],
            "At least the domains' agreement?": [
                "yes" if a.rho >= report.domain_bar else "no" for a in report.agreements
            ],
        }
    )


READING = (
    "Agreement means our need axis orders places much as independent measures of need and deprivation do, built "
    "by other people from other data. It does not mean either is right: all of them lean on deprivation, the "
    "well-being scores describe 2009-13 and the 2014 wards, and a high rho over 33 boroughs can hide disagreement "
    "inside them. Disagreement is worth a look, not a verdict: our need adds vulnerability (health, disability, "
    "caring, older people alone) that the IMD weighs differently."
)
