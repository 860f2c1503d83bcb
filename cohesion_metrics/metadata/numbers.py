"""One number style for the app tables, CSV, PDF and PNG: what a kind of number looks like, in one place.

- scores (0-1 and other indices): 2 decimals, "0.67";
- ranks and counts: whole numbers with thousands separators, "4,835";
- percentages (values already in percent, e.g. 23.4 for 23.4%): one decimal and a % sign, "23.4%";
- proportions of people (0-1, e.g. 0.234 of residents income-deprived): as a percentage, "23.4%";
- shares of re-runs or draws (0-1): whole percents, "93%";
- distances in metres: whole metres with separators, "1,250 m"; rates (per 10,000, km): one decimal, "12.5".

`text` formats one value for prose and PDFs; `for_display` and `column_format` give a table column's values and
its `st.column_config.NumberColumn` format, which show it as `text` does; `round_for_csv` rounds a column to the
precision the display shows, so a CSV never carries 16 digits.
"""

from __future__ import annotations

import math
from typing import Literal

import pandas as pd

Kind = Literal["score", "rank", "count", "percent", "proportion", "share", "metres", "rate"]
KINDS: tuple[Kind, ...] = ("score", "rank", "count", "percent", "proportion", "share", "metres", "rate")
MISSING = "no data"
#: Decimals of each kind as shown (proportions and shares after scaling to percent).
DECIMALS: dict[Kind, int] = {
    "score": 2,
    "rank": 0,
    "count": 0,
    "percent": 1,
    "proportion": 1,
    "share": 0,
    "metres": 0,
    "rate": 1,
}
#: Kinds stored as 0-1 and shown as percentages.
SCALED: frozenset[Kind] = frozenset({"proportion", "share"})


def _check(kind: str) -> None:
    if kind not in DECIMALS:
        raise ValueError(f"unknown number kind {kind!r}; choose one of {', '.join(KINDS)}")


def _missing(value: object) -> bool:
    return value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value))


def text(value: object, kind: Kind) -> str:
    """Format one value of a kind as the app shows it ("0.67", "4,835", "23.4%", "93%", "1,250 m")."""
    _check(kind)
    if _missing(value):
        return MISSING
    x = float(value) * (100 if kind in SCALED else 1)  # type: ignore[arg-type]
    digits = DECIMALS[kind]
    number = f"{round(x):,}" if digits == 0 else f"{x:,.{digits}f}"
    if number in ("-0", "-0.0", "-0.00"):
        number = number[1:]
    if kind in ("percent", "proportion", "share"):
        return number + "%"
    return number + (" m" if kind == "metres" else "")


def kind_for_unit(unit: str) -> Kind:
    """The kind of number a registry or measure unit describes ("% of residents" -> percent, "metres" -> metres)."""
    u = unit.lower().strip()
    if u.startswith("%"):
        return "percent"
    if u.startswith("proportion"):
        return "proportion"
    if u == "metres":
        return "metres"
    if "rank" in u or u == "decile":
        return "rank"
    if u.startswith("per ") or u == "km":
        return "rate"
    if u.startswith(("count", "number of")):
        return "count"
    return "score"


def for_display(values: pd.Series, kind: Kind) -> pd.Series:
    """A column's values as a table shows them: proportions and shares scaled to percent, rounded."""
    _check(kind)
    x = pd.to_numeric(values, errors="coerce").astype("float64") * (100 if kind in SCALED else 1)
    return x.round(DECIMALS[kind]).astype("Int64") if DECIMALS[kind] == 0 else x.round(DECIMALS[kind])


def column_format(kind: Kind) -> str:
    """The `st.column_config.NumberColumn(format=...)` string for a `for_display` column of this kind."""
    _check(kind)
    if kind in ("percent", "proportion", "share"):
        return f"%.{DECIMALS[kind]}f%%"
    return "localized" if DECIMALS[kind] == 0 else f"%.{DECIMALS[kind]}f"


def round_for_csv(values: pd.Series, kind: Kind) -> pd.Series:
    """A column rounded to the precision the app shows, in its own unit (a proportion stays 0-1: 3 decimals)."""
    _check(kind)
    x = pd.to_numeric(values, errors="coerce").astype("float64")
    digits = DECIMALS[kind] + (2 if kind in SCALED else 0)
    return x.round(digits).astype("Int64") if digits == 0 else x.round(digits)


def kind_for_heading(heading: str) -> Kind:
    """The kind of a table column from its plain-English heading: ranks, "(unit)" at the end, "(%)", else a score.

    Headings say what the number is ("Rank (1 = most need)", "Residents within 800 m (% of residents)",
    "Need (0-1)", "In the top 10 (% of re-runs)"), so tables keep their style when the measures change.
    """
    h = heading.lower()
    unit = h.rsplit("(", 1)[1].rstrip(")").strip() if h.endswith(")") and "(" in h else ""
    if "rank" in h.split("(")[0] or unit.startswith("1 =") or h in ("#", "rank"):
        return "rank"
    if unit in ("%", "%)") or unit.startswith("% of re-runs") or unit.startswith("% of draws"):
        return "percent"
    if unit.startswith(("count", "number")) or h.startswith(("number of", "count")):
        return "count"
    return kind_for_unit(unit) if unit else "score"
