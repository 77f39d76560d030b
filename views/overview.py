"""What the overview and the board pack's cover say: contract target status in words,
the latest judgement, and the notes kept per area."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from metrics.areas import Area
from metrics.formatting import as_at, fmt
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


def target_cards(targets: pd.DataFrame) -> list[TargetCard]:
    """A card per contract target, in deadline order, from Database.target_status."""
    cards = []
    for t in targets.itertuples():
        deadline = pd.Timestamp(t.deadline)
        if t.status in ("met", "met late"):
            days = int(t.days_from_deadline)
            when = "early" if days < 0 else "late" if days > 0 else "on the deadline"
            explanation = (
                f"Decided by the {t.decided_by} published {as_at(t.decided_on)}: "
                f"{abs(days)} days {when}."
                if days
                else f"Decided by the {t.decided_by} published {as_at(t.decided_on)}, "
                "on the deadline."
            )
        elif t.status == "missed":
            explanation = f"Not achieved by {as_at(t.deadline)}; {t.decided_by}."
        else:
            explanation = f"Deadline {as_at(t.deadline)} is still ahead."
        cards.append(
            TargetCard(
                heading=f"Ofsted {t.grade.lower()} by {deadline:%B %Y}",
                status=STATUS_TEXT[t.status],
                explanation=explanation,
                source=f"{t.source_title} ({t.locator})",
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
