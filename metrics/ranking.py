"""Ranks and quartile bands of every current LA on a measure: the rules DfE's LAIT
publishes, in pure pandas.

docs/DATA_DICTIONARY.md, "Ranks and quartiles (benchmark explorer)", states them.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from metrics.formatting import ordinal

BANDS = "ABCD"


def direction(polarity: str) -> str:
    """'higher is better', 'lower is better' or 'no better direction'."""
    if polarity in ("higher", "lower"):
        return f"{polarity} is better"
    return "no better direction"


def rank_values(values: pd.Series, polarity: str) -> pd.Series:
    """Competition ranks (1, 2, 2, 4) of the non-null values; NULL gets no rank.

    Lower polarity ranks the smallest value 1st; higher and neutral rank the largest
    value 1st (for neutral that is an order, not a judgement).
    """
    numbers = pd.to_numeric(values, errors="coerce").astype("float64")
    ranks = numbers.rank(method="min", ascending=polarity == "lower", na_option="keep")
    return ranks.astype("Int64")


def banded(polarity: str, quartiles_apply: bool = True) -> bool:
    """Whether a measure gets quartile bands: a better direction, and quartiles apply."""
    return polarity in ("higher", "lower") and bool(quartiles_apply)


def quartiles(values: pd.Series) -> tuple[float, float, float] | None:
    """Lower quartile, median and upper quartile of the non-null values.

    Linear interpolation between order statistics: R's ``quantile()`` default
    (type 7), which DfE's LAIT uses. None when there are no values.
    """
    numbers = pd.to_numeric(values, errors="coerce").astype("float64").dropna()
    if numbers.empty:
        return None
    cuts = numbers.quantile([0.25, 0.5, 0.75], interpolation="linear")
    return (float(cuts.iloc[0]), float(cuts.iloc[1]), float(cuts.iloc[2]))


def quartile_band(
    value: float | None, cuts: tuple[float, float, float] | None, polarity: str
) -> str | None:
    """LAIT's quartile band of a value: A (best) to D (worst), None if not banded.

    The value is placed by the quartiles ``cuts`` (lower, median, upper), each
    boundary belonging to the band below it by value: at or below the lower quartile,
    above it and at or below the median, above the median and at or below the upper
    quartile, above the upper quartile. Higher is better: D, C, B, A; lower is better:
    A, B, C, D. No better direction (neutral): no band.
    """
    if value is None or pd.isna(value) or cuts is None:
        return None
    if polarity not in ("higher", "lower"):
        return None
    step = sum(float(value) > cut for cut in cuts)  # 0: at or below the lower quartile
    return ("DCBA" if polarity == "higher" else BANDS)[step]


def rank_table(
    frame: pd.DataFrame, polarity: str, quartiles_apply: bool = True
) -> pd.DataFrame:
    """Every area with its rank, band, previous rank and change, best first.

    ``frame`` has one row per area: area_code, area_name, value and optionally
    previous_value. Rows without a value come last with rank and band NULL. Ranks
    are competition ranks (ties share the best); bands are LAIT's, by value
    (quartile_band over the quartiles of the ranked values).
    """
    out = frame.copy()
    out["rank"] = rank_values(out["value"], polarity)
    # The quartiles are over the same LAs as the ranks: those with a value.
    cuts = quartiles(out["value"]) if banded(polarity, quartiles_apply) else None
    out["band"] = pd.Series(
        [quartile_band(v, cuts, polarity) for v in out["value"]],
        index=out.index,
        dtype="object",
    )
    if "previous_value" in out:
        out["previous_rank"] = rank_values(out["previous_value"], polarity)
        out["change"] = pd.to_numeric(out["value"]) - pd.to_numeric(
            out["previous_value"]
        )
    out["_order"] = out["rank"].astype("Float64").fillna(float("inf"))
    return (
        out.sort_values(["_order", "area_name"])
        .drop(columns="_order")
        .reset_index(drop=True)
    )


@dataclass(frozen=True)
class Position:
    """Where one area stands in a rank table."""

    area_code: str
    area_name: str
    polarity: str
    quartiles_apply: bool
    value: float | None
    rank: int | None
    n_ranked: int
    n_without: int
    tied_with: int
    band: str | None
    previous_value: float | None
    previous_rank: int | None
    previous_n: int
    change: float | None
    quartiles: tuple[float, float, float] | None = None  # when bands are given

    @property
    def direction(self) -> str:
        return direction(self.polarity)

    @property
    def neutral(self) -> bool:
        return self.polarity not in ("higher", "lower")

    def rank_words(self) -> str:
        """'12th of 152', 'joint 2nd of 152', or for neutral '12th highest of 152'."""
        if self.rank is None:
            return "not ranked"
        joint = "joint " if self.tied_with > 1 else ""
        highest = " highest" if self.neutral else ""
        return f"{joint}{ordinal(self.rank)}{highest} of {self.n_ranked}"


def _number(value: object) -> float | None:
    return None if value is None or pd.isna(value) else float(value)


def _int(value: object) -> int | None:
    return None if value is None or pd.isna(value) else int(value)


def position(
    table: pd.DataFrame, area_code: str, polarity: str, quartiles_apply: bool = True
) -> Position:
    """The position of one area in a table made by rank_table."""
    row = table[table.area_code == area_code]
    if row.empty:
        raise KeyError(f"{area_code} is not in the rank table")
    r = row.iloc[0]
    rank = _int(r["rank"])
    has_previous = "previous_rank" in table
    return Position(
        area_code=area_code,
        area_name=str(r.area_name),
        polarity=polarity,
        quartiles_apply=bool(quartiles_apply),
        value=_number(r["value"]),
        rank=rank,
        n_ranked=int(table["rank"].notna().sum()),
        n_without=int(table["rank"].isna().sum()),
        tied_with=int((table["rank"] == rank).sum()) if rank is not None else 0,
        band=r["band"] if isinstance(r["band"], str) else None,
        previous_value=_number(r["previous_value"]) if has_previous else None,
        previous_rank=_int(r["previous_rank"]) if has_previous else None,
        previous_n=int(table["previous_rank"].notna().sum()) if has_previous else 0,
        change=_number(r["change"]) if has_previous else None,
        quartiles=quartiles(table["value"])
        if banded(polarity, quartiles_apply)
        else None,
    )


def benchmark(
    frame: pd.DataFrame, area_code: str, polarity: str, quartiles_apply: bool = True
) -> tuple[pd.DataFrame, Position]:
    """Rank every area and return the table with the focus area's position."""
    table = rank_table(frame, polarity, quartiles_apply)
    return table, position(table, area_code, polarity, quartiles_apply)
