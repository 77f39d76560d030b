"""Ranks, quartile bands and neighbour summaries for the benchmark explorer.

Pure pandas: the rules are documented in docs/DATA_DICTIONARY.md, "Ranks and
quartiles (benchmark explorer)".
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from metrics.formatting import fmt

BANDS = "ABCD"
STATS = ("mean", "median")
NEIGHBOURS_LABEL = "Statistical neighbours ({stat})"
# Quartiles split the values, not the LAs: a band can hold more or fewer than a
# quarter of them (ties, or many LAs on one quartile), so the words never say 25%.
# A value on a quartile goes to the band below it by value, as in LAIT.
BAND_WORDS = {
    "higher": {
        "A": "above the upper quartile",
        "B": "above the median, at or below the upper quartile",
        "C": "above the lower quartile, at or below the median",
        "D": "at or below the lower quartile",
    },
    "lower": {
        "A": "at or below the lower quartile",
        "B": "above the lower quartile, at or below the median",
        "C": "above the median, at or below the upper quartile",
        "D": "above the upper quartile",
    },
}
# Short forms for the ranking chart, whose bars run from best (A) to worst (D);
# the chart puts the letter in front.
BAND_LABELS = {
    "higher": {
        "A": "above upper quartile",
        "B": "above median",
        "C": "above lower quartile",
        "D": "at/below lower quartile",
    },
    "lower": {
        "A": "at/below lower quartile",
        "B": "at/below median",
        "C": "at/below upper quartile",
        "D": "above upper quartile",
    },
}
NO_VALUE = "suppressed or not published"


def ordinal(n: int) -> str:
    """1st, 2nd, 3rd, 4th, 11th, 12th, 13th, 21st, 112th."""
    if 10 <= n % 100 <= 20:
        suffix = "th"
    else:
        suffix = {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


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


def band_words(band: str | None, polarity: str) -> str:
    """'quartile band C (above the median, at or below the upper quartile)'."""
    if band is None or polarity not in BAND_WORDS:
        return "no quartile band"
    return f"quartile band {band} ({BAND_WORDS[polarity][band]})"


def band_basis(n: int, period: str) -> str:
    """How the band is computed, to be shown next to it."""
    return (
        "quartile banding as in DfE's LAIT: by value, among the "
        f"{n} local authorities with a figure for {period}"
    )


def quartile_values(
    cuts: tuple[float, float, float], dps: int, named: bool = True
) -> str:
    """'lower quartile 2.8, median 3.75, upper quartile 4.9' (or '2.8, 3.75, 4.9').

    Two more decimal places than the values: the quartile of values given to dps
    decimals is a multiple of a quarter of their last place, so it shows exactly.
    """
    q1, q2, q3 = (fmt(c, dps + 2) for c in cuts)
    if not named:
        return f"{q1}, {q2}, {q3}"
    return f"lower quartile {q1}, median {q2}, upper quartile {q3}"


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


# --- wording -----------------------------------------------------------------


def rank_title(pos: Position, label: str, period: str) -> str:
    """'Doncaster ranks 12th of 152 on re-referrals (lower is better): quartile A'."""
    if pos.rank is None:
        return (
            f"{pos.area_name} has no value for {label} in {period}, "
            f"so no rank among {pos.n_ranked} LAs"
        )
    if pos.neutral:
        text = (
            f"{pos.area_name} has the {pos.rank_words()} values on {label} "
            f"({period}; no better direction)"
        )
    else:
        text = (
            f"{pos.area_name} ranks {pos.rank_words()} on {label} in {period} "
            f"({pos.direction})"
        )
    return text + (f": quartile {pos.band}" if pos.band else "")


def band_sentences(pos: Position, period: str, dps: int = 1) -> list[str]:
    """The band in words and how it is computed, or why there is none."""
    if pos.neutral:
        return [
            "No quartile band: the dictionary gives this measure no better "
            "direction, and DfE's LAIT bands only measures where higher or lower is "
            "better."
        ]
    if not pos.quartiles_apply:
        return ["No quartile: the dictionary says quartiles do not apply."]
    if pos.quartiles is None:
        return []
    basis = band_basis(pos.n_ranked, period)
    out = [f"{basis[0].upper()}{basis[1:]} ({quartile_values(pos.quartiles, dps)})."]
    if pos.band is not None:
        out.insert(
            0,
            f"{pos.area_name} is in {band_words(pos.band, pos.polarity)}; "
            "A is the best band and D the worst.",
        )
    return out


def rank_sentences(pos: Position, label: str, period: str, dps: int = 1) -> list[str]:
    """Plain sentences explaining the rank, band, missing values and polarity."""
    out = []
    if pos.rank is None:
        out.append(
            f"{pos.area_name} has no value for {period} ({NO_VALUE}), so it has no "
            f"rank; {pos.n_ranked} local authorities with a value are ranked."
        )
    elif pos.neutral:
        out.append(
            f"{pos.area_name} has the {pos.rank_words()} values in {period}. The "
            "dictionary gives this measure no better direction, so the order is by "
            "value, highest first, and says nothing about performance."
        )
    else:
        out.append(
            f"{pos.area_name} ranks {pos.rank_words()} in {period} (1 = best; "
            f"{pos.direction})."
        )
    if pos.tied_with > 1:
        out.append(
            f"{pos.tied_with} local authorities share this value and this rank; the "
            "next rank skips accordingly (competition ranking: 1, 2, 2, 4)."
        )
    out.extend(band_sentences(pos, period, dps))
    if pos.n_without:
        has, are = ("has", "is") if pos.n_without == 1 else ("have", "are")
        out.append(
            f"{pos.n_without} of {pos.n_ranked + pos.n_without} current local "
            f"authorities {has} no value for {period} ({NO_VALUE}) and {are} not "
            "ranked."
        )
    return out


def change_sentence(
    pos: Position, previous_period: str | None, dps: int | None, unit: str
) -> str:
    """'Down 1.2 % of referrals from 22.5 in 2024 (better: lower is better)'."""
    if previous_period is None:
        return "No earlier period is published for this measure."
    if pos.value is None or pos.previous_value is None or pos.change is None:
        return (
            f"No change can be given: it needs a value for both {previous_period} "
            "and the latest period."
        )
    if abs(pos.change) < 1e-9:
        text = f"Unchanged from {previous_period} ({fmt(pos.previous_value, dps)})"
    else:
        word = "Up" if pos.change > 0 else "Down"
        text = (
            f"{word} {fmt(abs(pos.change), dps)}{f' ({unit})' if unit else ''} from "
            f"{fmt(pos.previous_value, dps)} in {previous_period}"
        )
        if not pos.neutral:
            better = (pos.change > 0) == (pos.polarity == "higher")
            text += f" ({'better' if better else 'worse'}: {pos.direction})"
    if pos.previous_rank is not None:
        highest = " highest" if pos.neutral else ""
        text += f"; then {ordinal(pos.previous_rank)}{highest} of {pos.previous_n}"
    return text + "."


def value_format(dps: object) -> int:
    """Decimal places to show: the dictionary's dps, else 1."""
    return 1 if dps is None or pd.isna(dps) else int(dps)


# --- neighbours ----------------------------------------------------------------


def neighbour_summary(
    neighbours: pd.DataFrame,
    stat: str,
    model: str,
    source_id: str,
    source_title: str,
) -> pd.DataFrame:
    """The neighbours' mean or median each period, over neighbours with a value.

    Returns rows shaped like Database.comparator_series with role 'neighbours'.
    """
    if stat not in STATS:
        raise ValueError(f"stat must be one of {STATS}, not {stat!r}")
    columns = [
        "period_end",
        "period_label",
        "value",
        "series",
        "role",
        "source_id",
        "locator",
        "approximate",
        "qualifier",
        "source_title",
        "n_neighbours",
    ]
    valued = neighbours.dropna(subset=["value"])
    if valued.empty:
        return pd.DataFrame(columns=columns)
    grouped = valued.groupby("period_end", as_index=False).agg(
        period_label=("period_label", "first"),
        value=("value", stat),
        n_neighbours=("value", "count"),
    )
    grouped["series"] = NEIGHBOURS_LABEL.format(stat=stat)
    grouped["role"] = "neighbours"
    grouped["source_id"] = source_id
    grouped["locator"] = [
        f"{stat} of {n} neighbours with a value ({model} model)"
        for n in grouped.n_neighbours
    ]
    grouped["approximate"] = False
    grouped["qualifier"] = None
    grouped["source_title"] = source_title
    return grouped[columns]


def series_title(series: pd.DataFrame, area_name: str, dps: int, stat: str) -> str:
    """'Doncaster: 21.3 in 2025, below England (22.4) and neighbours' mean (23.0)'."""
    focus = series[(series.role == "focus") & series.value.notna()].sort_values(
        "period_end"
    )
    if focus.empty:
        return f"No published values for {area_name}"
    last = focus.iloc[-1]
    text = f"{area_name}: {fmt(last.value, dps)} in {last.period_label}"
    parts = []
    for role, word in (("england", "England"), ("neighbours", f"neighbours' {stat}")):
        same = series[
            (series.role == role)
            & (series.period_end == last.period_end)
            & series.value.notna()
        ]
        if len(same):
            other = float(same.value.iloc[0])
            parts.append(
                f"{_versus(last.value, other, dps)} {word} ({fmt(other, dps)})"
            )
    return text + (", " + " and ".join(parts) if parts else "")


def _versus(value: float, other: float, dps: int) -> str:
    # Compare at the precision shown so the words agree with the numbers.
    a, b = round(float(value), dps), round(float(other), dps)
    return "level with" if a == b else ("above" if a > b else "below")
