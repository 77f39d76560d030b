"""How the explorer, the scorecard and the pack word a rank, a quartile band and a
change: sentences and titles from a Position (metrics.ranking)."""

from __future__ import annotations

import pandas as pd

from metrics.formatting import DEFAULT_DPS, fmt, ordinal
from metrics.ranking import Position

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


def band_sentences(pos: Position, period: str, dps: int = DEFAULT_DPS) -> list[str]:
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


def rank_sentences(
    pos: Position, label: str, period: str, dps: int = DEFAULT_DPS
) -> list[str]:
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
