"""What a page's section shows, built once for the screen and the board pack: its
heading, the area's notes for it, each declared chart (or what the page says where
the area has no figures), what it says with no chart at all, the commentary of each
chart and the date its figures are as at.

ui.display lays this out on screen and reports.content in print; neither decides
what a section says. The charts come from a function the caller gives, so the
dashboard can serve them from its cache and the pack can draw each as it comes.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import pandas as pd

from charts.frame import Chart
from metrics.areas import Area
from metrics.formatting import decimals, fmt
from metrics.queries import Database
from views.sections import Item, Section

ChartsFor = Callable[[Item], list[Chart]]  # a declaration's charts for the area


@dataclass(frozen=True)
class Note:
    """A note shown in one section of one page for one area."""

    section: str
    kind: str  # "warning" or "info"
    text: str
    source: str

    @property
    def said(self) -> str:
        """The note with its source, as the page and the pack print it."""
        return f"{self.text} (Source: {self.source}.)"


def _fill(text: str, labels: list[str], values: list[float], label: str, dps: int):
    """A note's text with {value}, {previous} and {next} written in."""
    i = labels.index(label) if label in labels else None

    def at(j: int | None) -> str:
        ok = j is not None and 0 <= j < len(values)
        return fmt(values[j], dps) if ok else "no value"

    return text.format(
        value=at(i),
        previous=at(None if i is None else i - 1),
        next=at(None if i is None else i + 1),
    )


def area_notes(db: Database, area: Area, page: str) -> list[Note]:
    """The area's notes for a page, their figures filled in from the observations."""
    out = []
    for n in db.area_notes(area.code, page).itertuples():
        text = n.text
        if isinstance(n.metric_id, str):
            series = db.observations([n.metric_id], area.code)
            series = series.sort_values("period_end")
            dps = decimals(db.metric(n.metric_id).get("dps"))
            text = _fill(
                text, list(series.period_label), list(series.value), n.period_label, dps
            )
        out.append(Note(n.section, n.kind, text, f"{n.source_title} ({n.locator})"))
    return out


def return_notes(chart: Chart) -> list[str]:
    """The notes loaded with monthly returns, as the commentary of local figures."""
    table = chart.table
    if "note" not in table.columns:
        return []
    notes = table[table.note.fillna("").astype(str).str.strip() != ""]
    return [
        f"{row.get('figure', 'Figure')}, {row.get('period_label', '')} (monthly "
        f"return note): {row['note']}"
        for _, row in notes.iterrows()
    ]


def commentary(chart: Chart) -> list[str]:
    """What is said about a chart beside it: its own notes, then the notes loaded
    with the monthly returns it draws."""
    return list(chart.notes) + return_notes(chart)


def latest_as_at(charts: Sequence[Chart]) -> str | None:
    """The latest date these charts' figures are as at ('18 Mar 2025'), or None."""
    dates = [c.as_at for c in charts if c.as_at]
    return max(dates, key=pd.Timestamp) if dates else None


@dataclass(frozen=True)
class ItemContent:
    """One declared chart as its section shows it: its charts, or why there are
    none."""

    item: Item
    charts: tuple[Chart, ...]
    missing: str | None  # said where the area has no figures


@dataclass(frozen=True)
class SectionContent:
    """A section built for an area: heading, notes, charts and what it says."""

    key: str
    heading: str
    notes: tuple[Note, ...]
    items: tuple[ItemContent, ...]
    empty: str | None  # said where no declaration drew a chart

    @property
    def charts(self) -> list[Chart]:
        """Every chart of the section, in order."""
        return [c for i in self.items for c in i.charts]

    @property
    def said(self) -> list[str]:
        """Everything the section says in words, in order: its notes, why any chart
        is missing, then why it has none."""
        missing = [i.missing for i in self.items if i.missing]
        empty = [self.empty] if self.empty else []
        return [n.said for n in self.notes] + missing + empty

    @property
    def as_at(self) -> str | None:
        """The latest date the section's figures are as at."""
        return latest_as_at(self.charts)


def build_section(
    section: Section, area: Area, notes: Sequence[Note], charts_for: ChartsFor
) -> SectionContent:
    """A section's content for an area; ``notes`` are the area's notes for its page
    (those of other sections are left out), ``charts_for`` builds a declaration's
    charts."""
    items = []
    for item in section.items:
        charts = tuple(charts_for(item))
        items.append(ItemContent(item, charts, None if charts else item.missing(area)))
    shown = any(i.charts for i in items)
    return SectionContent(
        section.key,
        section.heading,
        tuple(n for n in notes if n.section == section.key),
        tuple(items),
        section.empty.format(name=area.name) if section.empty and not shown else None,
    )
