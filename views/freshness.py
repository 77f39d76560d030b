"""How fresh the data are, in words: when each source is next expected to be
updated, and what the latest official release changed."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from metrics.formatting import as_at, fmt

WHATS_NEW_DAYS = 30  # the overview mentions an update for this long


def next_update_text(next_update: object, today: dt.date | None = None) -> str:
    """'next update expected 1 Nov 2027', or that the expected date has passed."""
    if next_update is None or pd.isna(next_update):
        return "next update date not given"
    today = today or dt.date.today()
    day = pd.Timestamp(next_update).date()
    if day >= today:
        return f"next update expected {as_at(day)}"
    return (
        f"next update was expected {as_at(day)}: a newer release may be out; the "
        "files here are as listed on the Sources and caveats page"
    )


def update_summary(updates: pd.DataFrame) -> list[str]:
    """One sentence per file of one build's update."""
    lines = []
    for u in updates.itertuples():
        parts = [f"{fmt(u.values_new, 0)} new figures"]
        if isinstance(u.periods_added, str) and u.periods_added:
            parts[0] += f" (periods {u.periods_added})"
        parts.append(f"{fmt(u.values_revised, 0)} revised")
        if u.values_removed:
            parts.append(f"{fmt(u.values_removed, 0)} removed")
        if u.measures_added or u.measures_removed:
            parts.append(
                f"measures added {u.measures_added}, removed {u.measures_removed}"
            )
        lines.append(f"{u.source_file}: " + ", ".join(parts))
    return lines


def whats_new(updates: pd.DataFrame, today: dt.date | None = None) -> str | None:
    """The overview's one line for WHATS_NEW_DAYS days after a data update."""
    if updates.empty:
        return None
    today = today or dt.date.today()
    latest = updates[updates.build_id == updates.build_id.iloc[0]]
    when = pd.Timestamp(latest.built_at.iloc[0]).date()
    if (today - when).days > WHATS_NEW_DAYS:
        return None
    return (
        f"What's new: official data updated on {as_at(when)}. "
        + "; ".join(update_summary(latest))
        + ". The Sources and caveats page lists every change."
    )
