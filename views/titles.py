"""Chart titles that state the message, worded from the data they describe."""

from __future__ import annotations

import pandas as pd

from metrics.formatting import DEFAULT_DPS, fmt
from metrics.grades import RANK_LABEL


def versus(
    value: float, other: float, higher: str = "above", lower: str = "below"
) -> str:
    """'above', 'below' or 'level with' comparing two numbers."""
    if pd.isna(value) or pd.isna(other):
        return "with no comparison for"
    if abs(value - other) < 1e-9:
        return "level with"
    return higher if value > other else lower


def change_word(first: float, last: float) -> str:
    """'fell', 'rose' or 'held' from first to last."""
    if abs(last - first) < 1e-9:
        return "held"
    return "rose" if last > first else "fell"


def change_title(focus: pd.DataFrame, prefix: str, dps: int, unit_word: str) -> str:
    """'<prefix> 5,775 in 2025, down from 6,032 in 2024' from the focus rows in order."""
    last = focus.iloc[-1]
    text = f"{prefix} {fmt(last.value, dps)}{unit_word} in {last.period_label}"
    if len(focus) > 1:
        before = focus.iloc[-2]
        word = {"rose": "up from", "fell": "down from", "held": "the same as"}[
            change_word(round(before.value, dps), round(last.value, dps))
        ]
        text += f", {word} {fmt(before.value, dps)}{unit_word} in {before.period_label}"
    return text


def comparator_title(
    series: pd.DataFrame,
    area_name: str,
    what: str,
    unit_word: str,
    dps: int = DEFAULT_DPS,
    count: bool = False,
) -> str:
    """'Doncaster: 88.1% in 2025, above England (85.7%)' from a comparator series.

    For a count (``count``), the change on the year before instead of England.
    """
    focus = series[(series.role == "focus") & series.value.notna()].sort_values(
        "period_end"
    )
    if focus.empty:
        return f"No {what} figures published for {area_name}"
    if count:
        return change_title(focus, f"{area_name}: {what}", dps, unit_word)
    last = focus.iloc[-1]
    eng = series[(series.role == "england") & (series.period_end == last.period_end)]
    text = (
        f"{area_name}: {what} {fmt(last.value, dps)}{unit_word} in {last.period_label}"
    )
    if len(eng) and pd.notna(eng.value.iloc[0]):
        e = eng.value.iloc[0]
        text += f", {versus(last.value, e)} England ({fmt(e, dps)}{unit_word})"
    return text


def report_change_title(obs: pd.DataFrame) -> str:
    """'Initial assessments in progress fell from over 552 to 165 in 2013'."""
    parts = []
    for label, part in obs.groupby("metric_label", sort=False):
        part = part.sort_values("period_end")
        first, last = part.iloc[0], part.iloc[-1]
        q0 = f"{first.qualifier} " if first.approximate and first.qualifier else ""
        q1 = f"{last.qualifier} " if last.approximate and last.qualifier else ""
        parts.append(
            f"{label} {change_word(first.value, last.value)} from "
            f"{q0}{fmt(first.value, 0)} to {q1}{fmt(last.value, 0)}"
        )
    years = sorted({pd.Timestamp(d).year for d in obs.period_end})
    span = f"{years[0]}" if len(years) == 1 else f"{years[0]}–{years[-1]}"
    return "; ".join(parts) + f" in {span}"


def grade_journey_title(judgements: pd.DataFrame, area_name: str) -> str:
    """'Doncaster went from Adequate (2011) to Good (2025)'."""
    if judgements.empty:
        return f"No Ofsted judgements held for {area_name}"
    j = judgements.sort_values("decided_on")
    first, last = j.iloc[0], j.iloc[-1]
    if len(j) == 1:
        return f"{area_name} was judged {last.overall_grade} ({pd.Timestamp(last.decided_on):%Y})"
    worst = j.loc[j.grade_rank.idxmax()]
    text = f"{area_name}: {first.overall_grade} ({pd.Timestamp(first.decided_on):%Y})"
    if worst.grade_rank > max(first.grade_rank, last.grade_rank):
        text += f", {worst.overall_grade} ({pd.Timestamp(worst.decided_on):%Y})"
    return text + f", now {last.overall_grade} ({pd.Timestamp(last.decided_on):%Y})"


def distribution_title(latest: pd.DataFrame, area_code: str, area_name: str) -> str:
    """'Doncaster is one of 67 LAs whose latest grade is Good'."""
    focus = latest[latest.area_code == area_code]
    if focus.empty:
        return f"{area_name} has no Ofsted judgement in the national table"
    rank = int(focus.grade_rank.iloc[0])
    n = int((latest.grade_rank == rank).sum())
    return (
        f"{area_name} is one of {n} of {len(latest)} LAs whose latest grade is "
        f"{RANK_LABEL[rank].split(' /')[0].lower()}"
    )


def range_title(obs: pd.DataFrame) -> str:
    """'Caseloads ranged from 10 to 25 cases per social worker across teams (Aug 2013)'."""
    when = obs.period_label.iloc[0]
    return (
        f"Caseloads ranged from {fmt(obs.value_low.min(), 0)} to "
        f"{fmt(obs.value_high.max(), 0)} cases per social worker across teams ({when})"
    )


def monthly_title(points: pd.DataFrame) -> str:
    """'Initial assessments in progress fell from 120 to 95, Apr–Jun 2024'."""
    latest = points[points.period_end == points.period_end.max()]
    when = f"{pd.Timestamp(latest.period_end.iloc[0]):%b %Y}"
    if points.service_area.notna().any():
        top = latest.sort_values("value", ascending=False).iloc[0]
        return (
            f"{top.service_area} had the highest caseload in {when} ({fmt(top.value)})"
        )
    first_metric = points.metric_id.iloc[0]
    part = points[points.metric_id == first_metric].sort_values("period_end")
    first, last = part.iloc[0], part.iloc[-1]
    if len(part) == 1:
        return f"{first.metric_label}: {fmt(first.value)} in {when}"
    span = f"{pd.Timestamp(first.period_end):%b %Y}–{when}"
    return (
        f"{first.metric_label} {change_word(first.value, last.value)} from "
        f"{fmt(first.value)} to {fmt(last.value)}, {span}"
    )
