"""Raw LAIT values, and LAIT's quartile banding written independently of the
project."""

from __future__ import annotations

import math
from functools import cache

import pandas as pd

from tests.support.data import RAW


def lait(measure: str, la_number: int) -> pd.Series:
    """Raw LAIT values of one measure for one LA, by Years label."""
    raw = pd.read_parquet(RAW / "lait_bds_long.parquet")
    rows = raw[(raw["Short Desc"] == measure) & (raw["LA Number"] == la_number)]
    return pd.to_numeric(rows.set_index("Years")["Values"], errors="coerce")


# --- LAIT's quartile banding, written independently of the project ---------------
# (dfe-analytical-services/local-authority-interactive-tool, R/fn_analysis.R,
# calculate_quartile_band: R's quantile() type 7 of every LA's latest value; values,
# polarity and the no-quartile flag read straight from the raw LAIT files.)


@cache
def current_la_numbers() -> frozenset[int]:
    """DfE LA numbers of the 153 current LAs: those in the 2025 neighbour model."""
    model = pd.read_csv(RAW / "sn_model_2025_wide.csv", encoding="utf-8-sig")
    return frozenset(int(n) for n in model.old_la_code)


@cache
def lait_dictionary() -> pd.DataFrame:
    """LAIT's dictionary as published (every cell text)."""
    return pd.read_csv(
        RAW / "lait_data_dictionary.csv",
        encoding="utf-8-sig",
        dtype=str,
        keep_default_na=False,
    )


@cache
def polarities() -> dict[str, str]:
    """Each measure's polarity: 'High', 'Low' or LAIT's mark for none ('-', 'NA')."""
    pairs = lait_dictionary()[["Measure_short", "Polarity"]].drop_duplicates()
    assert pairs.Measure_short.is_unique  # a measure listed twice keeps its polarity
    return dict(zip(pairs.Measure_short, pairs.Polarity))


def lait_polarity(measure: str) -> str:
    return polarities()[measure]


@cache
def raw_lait() -> dict[str, pd.DataFrame]:
    """LAIT's long file by measure, each value parsed; marks such as '-' are NaN."""
    raw = pd.read_parquet(RAW / "lait_bds_long.parquet")
    raw = raw.assign(number=pd.to_numeric(raw["Values"], errors="coerce"))
    return dict(tuple(raw.groupby("Short Desc")))


@cache
def latest_values(measure: str, published: bool = False) -> tuple[str, pd.Series, int]:
    """The latest Years with a value, current LAs' values then by LA number, and
    how many current LAs have a row that year but no value (suppressed).

    ``published``: round to 12 significant figures, which removes the file's
    floating-point noise (97.19999999999999 for 97.2) as the build does; LAIT itself
    compares the numbers as written.
    """
    raw = raw_lait()[measure]
    rows = raw[raw["LA Number"].isin(current_la_numbers())]
    latest = max(rows.dropna(subset=["number"]).Years)
    at = rows[rows.Years == latest]
    valued = at.dropna(subset=["number"])
    values = pd.Series(
        valued.number.to_numpy(), index=valued["LA Number"].astype(int).to_numpy()
    )
    if published:
        values = values.map(lambda v: float(f"{v:.12g}"))
    assert values.index.is_unique
    return latest, values, len(at) - len(valued)


def r_quantile_type7(values: list[float], p: float) -> float:
    """R's quantile(x, p, type = 7): h = (n - 1) p, between the order statistics."""
    x = sorted(values)
    h = (len(x) - 1) * p
    lo, hi = math.floor(h), math.ceil(h)
    if x[hi] == x[lo]:  # R leaves the order statistic as it is
        return x[lo]
    return (1 - (h - lo)) * x[lo] + (h - lo) * x[hi]


def lait_band(value: float, q: tuple[float, float, float], polarity: str) -> str:
    """LAIT's calculate_quartile_band, its case_when written out."""
    q25, q50, q75 = q
    if polarity == "High":
        if value <= q25:
            return "D"
        if value <= q50:
            return "C"
        if value <= q75:
            return "B"
        return "A"
    if polarity == "Low":
        if value <= q25:
            return "A"
        if value <= q50:
            return "B"
        if value <= q75:
            return "C"
        return "D"
    raise ValueError(polarity)


def lait_quartiles(values: pd.Series) -> tuple[float, float, float]:
    numbers = [float(v) for v in values]
    return tuple(r_quantile_type7(numbers, p) for p in (0.25, 0.5, 0.75))


def lait_bands(measure: str, published: bool = False) -> dict[int, str]:
    """Each current LA with a value, by LA number, with LAIT's band."""
    _, values, _ = latest_values(measure, published)
    q = lait_quartiles(values)
    polarity = lait_polarity(measure)
    return {n: lait_band(v, q, polarity) for n, v in values.items()}


def rank_bands(measure: str, published: bool = False) -> dict[int, str]:
    """The former rule, for comparison: band = ceil(4 × competition rank / n)."""
    _, values, _ = latest_values(measure, published)
    x = values.to_numpy()
    # Row i counts the LAs with a strictly better value than LA i.
    if lait_polarity(measure) == "High":
        better = (x[None, :] > x[:, None]).sum(axis=1)
    else:
        better = (x[None, :] < x[:, None]).sum(axis=1)
    n = len(x)
    return {
        number: "ABCD"[math.ceil(4 * (1 + int(b)) / n) - 1]
        for number, b in zip(values.index, better)
    }
