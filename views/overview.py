"""What the overview and the board pack's cover say: contract target status in words
and the latest judgement."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from metrics.areas import Area
from metrics.formatting import as_at
from metrics.queries import Database

# The contract targets' statuses in words with a symbol (never colour alone); the
# improvement plan's are views.scorecard.PLAN_STATUS_TEXT.
CONTRACT_STATUS_TEXT = {
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
                status=CONTRACT_STATUS_TEXT[t.status],
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
