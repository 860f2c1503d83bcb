"""Independent checks: Spearman's rho with a bootstrap interval, hand-computed cases and the app database."""

from __future__ import annotations

import duckdb
import pandas as pd
import pytest

from cohesion_metrics.method import external_check


def test_spearman_matches_the_textbook_formula() -> None:
    # d = rank differences (-1, 1, -1, 1, 0): rho = 1 - 6 * 4 / (5 * (25 - 1)) = 0.8.
    x = pd.Series([1, 2, 3, 4, 5], index=list("abcde"), dtype=float)
    y = pd.Series([2, 1, 4, 3, 5], index=list("abcde"), dtype=float)
    rho, low, high, n = external_check.spearman_interval(x, y)
    assert rho == pytest.approx(0.8)
    assert n == 5
    assert low <= rho <= high


def test_spearman_aligns_on_the_index_and_skips_missing_pairs() -> None:
    x = pd.Series([1.0, 2.0, 3.0, 4.0, None], index=list("abcde"))
    y = pd.Series([40.0, 30.0, 20.0, 10.0, 5.0], index=list("dcbae"))  # same order as x once aligned
    rho, low, high, n = external_check.spearman_interval(x, y)
    assert (rho, low, high, n) == (pytest.approx(1.0), pytest.approx(1.0), pytest.approx(1.0), 4)


def test_ties_take_their_average_rank() -> None:
    # x ranks (1, 2.5, 2.5, 4); y ranks (1, 2, 3, 4): Pearson of the ranks = 4.5 / sqrt(4.5 * 5) = 0.9487.
    x = pd.Series([1.0, 2.0, 2.0, 3.0])
    y = pd.Series([1.0, 2.0, 3.0, 4.0])
    assert external_check.spearman_interval(x, y)[0] == pytest.approx(4.5 / (4.5 * 5) ** 0.5)


def test_too_few_pairs_is_refused() -> None:
    with pytest.raises(ValueError, match="at least 3"):
        external_check.spearman_interval(pd.Series([1.0, 2.0]), pd.Series([2.0, 1.0]))


def test_domain_bar_is_the_median_pairwise_rho() -> None:
    # Pairwise rhos: a~b = 1, a~c = -1, b~c = -1 -> median -1.
    frame = pd.DataFrame({"a": [1, 2, 3, 4], "b": [10, 20, 30, 40], "c": [4, 3, 2, 1]}, dtype=float)
    assert external_check.domain_agreement(frame) == pytest.approx(-1.0)


def test_checks_run_on_the_app_database(con: duckdb.DuckDBPyConnection) -> None:
    report = external_check.run_checks(con)
    imd2019 = next(a for a in report.agreements if a.check == "IMD 2019")
    assert imd2019.n == 33
    assert -1 <= imd2019.low <= imd2019.rho <= imd2019.high <= 1
    assert 0 < report.domain_bar < 1
    assert "over 33 boroughs" in imd2019.sentence()
    # Issue 10: need agrees with deprivation at least as well as deprivation's own domains agree with each other.
    assert {a.check for a in report.agreements} == {"IMD 2019", "IMD 2025", "GLA ward well-being"}
    assert report.missing == ()
    for check in report.agreements:
        assert check.rho >= report.domain_bar, check
    table = external_check.report_table(report)
    assert list(table["At least the domains' agreement?"]) == ["yes", "yes", "yes"]
