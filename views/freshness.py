"""How fresh the data are, in words: when each source is next expected to be
updated, and what the latest official release changed."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from metrics.formatting import as_at, fmt
from metrics.sources import BY_NAME

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
        # Ofsted's outcomes change judgements, the other sources figures.
        noun = (
            "judgements"
            if getattr(u, "source", None) == "ofsted_outcomes"
            else "figures"
        )
        parts = [f"{fmt(u.values_new, 0)} new {noun}"]
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


def release_status(
    releases: pd.DataFrame, today: dt.date | None = None
) -> pd.DataFrame:
    """Per source in use: its release in words, when published, when the next is
    expected (metrics.sources' cadence) and whether that date has passed."""
    today = today or dt.date.today()
    rows = []
    for r in releases.itertuples():
        source = BY_NAME[r.source]
        published = _day(r.published)
        if source.cadence.dictionary:
            expected = _day(r.dictionary_next)
        else:
            expected = source.cadence.next_expected(published, _day(r.period_end))
        overdue = expected is not None and expected < today
        if expected is None:
            status = f"no set date: {source.cadence.words}"
        elif overdue:
            status = f"overdue: the next release was expected by {as_at(expected)}"
        else:
            status = f"next release expected by {as_at(expected)}"
        rows.append(
            {
                "source": r.source,
                "title": r.title,
                "release": source.words(r.release),
                "published": published,
                "next_expected": expected,
                "overdue": overdue,
                "status": status,
                "cadence": source.cadence.words,
                "files": r.files,
            }
        )
    return pd.DataFrame(rows)


def _day(value: object) -> dt.date | None:
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return None
    return pd.Timestamp(value).date()


def overdue_line(status: pd.DataFrame, titles: set[str]) -> str | None:
    """The overview's one line when a source used on the page is overdue."""
    late = status[status.overdue & status.title.isin(titles)]
    if late.empty:
        return None
    parts = [
        f"{t.title} ({t.release}; next release expected by {as_at(t.next_expected)})"
        for t in late.itertuples()
    ]
    return (
        "Official data may be out of date: no newer release is here of "
        + "; ".join(parts)
        + ". Run `python -m metrics update`, or see Sources and caveats."
    )
