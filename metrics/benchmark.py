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
# Wording of each band: polarity decides whether position means better or worse.
BAND_WORDS = {
    "directed": {
        "A": "best 25%",
        "B": "second-best 25%",
        "C": "second-worst 25%",
        "D": "worst 25%",
    },
    "neutral": {
        "A": "highest 25% of values",
        "B": "second-highest 25% of values",
        "C": "second-lowest 25% of values",
        "D": "lowest 25% of values",
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


def quartile_band(rank: int | None, n: int) -> str | None:
    """Band A (first quarter of ranks) to D (last quarter): band = ceil(4 * rank / n)."""
    if rank is None or pd.isna(rank) or n <= 0:
        return None
    rank = int(rank)
    if not 1 <= rank <= n:
        raise ValueError(f"rank {rank} is outside 1..{n}")
    return BANDS[(4 * rank + n - 1) // n - 1]  # integer ceil(4 * rank / n)


def band_words(band: str | None, polarity: str) -> str:
    """'quartile A (best 25%)', or for neutral measures 'quartile A (highest 25% ...)'."""
    if band is None:
        return "no quartile"
    kind = "neutral" if polarity not in ("higher", "lower") else "directed"
    return f"quartile {band} ({BAND_WORDS[kind][band]})"


def rank_table(
    frame: pd.DataFrame, polarity: str, quartiles_apply: bool = True
) -> pd.DataFrame:
    """Every area with its rank, band, previous rank and change, best first.

    ``frame`` has one row per area: area_code, area_name, value and optionally
    previous_value. Rows without a value come last with rank and band NULL.
    """
    out = frame.copy()
    out["rank"] = rank_values(out["value"], polarity)
    n = int(out["rank"].notna().sum())
    out["band"] = [
        quartile_band(r, n) if quartiles_apply and pd.notna(r) else None
        for r in out["rank"]
    ]
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


def rank_sentences(pos: Position, label: str, period: str) -> list[str]:
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
    if pos.band:
        out.append(f"That is {band_words(pos.band, pos.polarity)}.")
    elif not pos.quartiles_apply:
        out.append("No quartile: the dictionary says quartiles do not apply.")
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
