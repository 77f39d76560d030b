"""What the overview and the board pack's cover say: contract target status in words,
the latest judgement, and the notes kept per area."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from metrics.areas import Area
from metrics.formatting import as_at, fmt
from metrics.grades import grade_label
from metrics.queries import Database

STATUS_TEXT = {
    "met": "✓ Met",
    "met late": "◐ Met late",
    "missed": "✗ Missed",
    "not yet due": "… Not yet due",
}


@dataclass(frozen=True)
class TargetCard:
    """One contract target: what it asked, its status and how that was decided."""

    heading: str  # "Ofsted good by October 2017"
    status: str  # "◐ Met late"
    explanation: str
    source: str


def _days(days: int, what: str) -> str:
    """'24 days after the deadline', '3 days before', 'on the deadline'."""
    if days == 0:
        return f"{what} on the deadline"
    return f"{what} {abs(days)} days {'after' if days > 0 else 'before'} the deadline"


def _span(start, end) -> str:
    """'9–24 Nov 2017' or '28 Oct – 8 Nov 2017' for an inspection's days."""
    a, b = pd.Timestamp(start), pd.Timestamp(end)
    if a.year == b.year and a.month == b.month:
        return f"{a.day}–{b:%d %b %Y}".replace("–0", "–")
    return f"{a:%d %b} – {b:%d %b %Y}"


def deadline_reading(t) -> str:
    """How a loosely given deadline is read: "'By October 2017' is read as 31 Oct
    2017." (the target's deadline_precision and deadline_rule)."""
    deadline = pd.Timestamp(t.deadline)
    given = {"month": f"{deadline:%B %Y}", "year": f"{deadline:%Y}"}.get(
        t.deadline_precision
    )
    if given is None:
        return f"The deadline is {deadline:%d %b %Y}."
    return f"'By {given}' is read as {deadline:%d %b %Y}."


def target_cards(targets: pd.DataFrame) -> list[TargetCard]:
    """A card per contract target, in deadline order, from Database.target_status:
    its status and how the days were counted."""
    cards = []
    for t in targets.itertuples():
        deadline = pd.Timestamp(t.deadline)
        reading = deadline_reading(t)
        if t.status in ("met", "met late"):
            exceeded = isinstance(t.first_exceeded_grade, str)
            reached = (
                f"Not reached by the deadline; first exceeded by the {t.decided_by}"
                if exceeded
                else f"Decided by the {t.decided_by}"
            )
            parts = [reached]
            if pd.notna(t.decisive_inspection_end):
                parts.append(
                    "inspected "
                    + _span(t.decisive_inspection_start, t.decisive_inspection_end)
                    + ", "
                    + _days(int(t.days_from_deadline_to_inspection_end), "").strip()
                )
            parts.append(
                f"published {as_at(t.decided_on)}, "
                + _days(int(t.days_from_deadline), "").strip()
            )
            explanation = f"{reading} " + "; ".join(parts) + "."
        elif t.status == "missed":
            explanation = f"{reading} Not achieved by then; {t.decided_by}."
        else:
            explanation = f"{reading} Still ahead."
        cards.append(
            TargetCard(
                heading=f"Ofsted {t.grade.lower()} by {deadline:%B %Y}",
                status=STATUS_TEXT[t.status],
                explanation=explanation,
                source=f"{t.source_title} ({t.locator})",
            )
        )
    return cards


@dataclass(frozen=True)
class JudgementCard:
    """The latest Ofsted judgement: its grade in words and a symbol, and whence."""

    grade: str  # "✓ Good"
    help: str  # the framework, publication date and source
    caption: str  # the same, with the place in the source


def judgement_card(judgements: pd.DataFrame) -> JudgementCard | None:
    """The latest of Database.judgements, or None where an area has none."""
    if judgements.empty:
        return None
    last = judgements.iloc[-1]
    published = f"{last.framework}, published {as_at(last.decided_on)}"
    return JudgementCard(
        grade_label(last.overall_grade),
        f"{published}. Source: {last.source_title}.",
        f"{last.framework} inspection published {as_at(last.decided_on)} — "
        f"{last.source_title}, {last.locator}.",
    )


@dataclass(frozen=True)
class HeadlineCard:
    """One headline indicator as the overview shows it."""

    label: str  # the measure's name
    period: str  # "2025"
    value: str
    delta: str | None  # "+1.2 on 2024", or None without two values
    delta_colour: str  # Streamlit's: "normal" (up is good), "inverse" or "off"
    help: str
    england: str  # "England: 22.4 · **Amber**"


def headline_cards(headline: pd.DataFrame) -> list[HeadlineCard]:
    """A card per headline indicator (Database.headline), in its order."""
    cards = []
    for h in headline.itertuples():
        dps = 1 if pd.isna(h.dps) else int(h.dps)
        delta, colour = None, "off"
        if not (pd.isna(h.previous_value) or pd.isna(h.value)):
            change = round(h.value - h.previous_value, 4)
            delta = f"{fmt(change, dps)} on {h.previous_label}"
            if change:
                colour = {"higher": "normal", "lower": "inverse"}.get(h.polarity, "off")
        cards.append(
            HeadlineCard(
                h.label,
                str(h.period_label),
                fmt(h.value, dps),
                delta,
                colour,
                f"Unit: {h.unit}. Source: {h.source_title}, measure {h.metric_id}.",
                f"England: {fmt(h.england_value, dps)} · **{h.rag}**",
            )
        )
    return cards


def contract_note(db: Database, area: Area) -> str | None:
    """Said where the area has no contract targets: whose they are, or None."""
    holders = db.contract_areas()
    if area.code in holders:
        return None
    names = " and ".join(holders.values()) or "no local authority"
    return (
        f"Contract targets, the Trust period and council report figures are held for "
        f"{names} only; for {area.name} this page shows official statistics only."
    )


@dataclass(frozen=True)
class Note:
    """A note shown in one section of one page for one area."""

    section: str
    kind: str  # "warning" or "info"
    text: str
    source: str


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
            dps = db.metric(n.metric_id).get("dps")
            dps = 1 if dps is None or pd.isna(dps) else int(dps)
            text = _fill(
                text, list(series.period_label), list(series.value), n.period_label, dps
            )
        out.append(Note(n.section, n.kind, text, f"{n.source_title} ({n.locator})"))
    return out
