"""What the overview page and the board pack's cover say, built once for both: the
improvement plan first where the area has one (the count per status and each
measure off track or missed), contract target status in words, the latest Ofsted
judgement and the headline indicators."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from metrics.areas import Area
from metrics.formatting import as_at, decimals, fmt
from metrics.grades import grade_label
from metrics.queries import Database
from views.scorecard import LOCAL, PLAN_STATUS_TEXT, scorecard

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


def inspection_span(start, end) -> str:
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
                    + inspection_span(
                        t.decisive_inspection_start, t.decisive_inspection_end
                    )
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


@dataclass(frozen=True)
class Judgement:
    """The latest Ofsted judgement: its grade in words and where it was published."""

    grade: str  # "✓ Good"
    framework: str
    published: str  # "18 Mar 2025"
    source: str
    locator: str

    @property
    def when(self) -> str:
        """'ILACS (2018-), published 18 Mar 2025'."""
        return f"{self.framework}, published {self.published}"


def latest_judgement(db: Database, area: Area) -> Judgement | None:
    """The area's latest Ofsted judgement, or None where none is held."""
    judgements = db.judgements(area.code)
    if judgements.empty:
        return None
    last = judgements.iloc[-1]
    return Judgement(
        grade_label(last.overall_grade),
        last.framework,
        as_at(last.decided_on),
        last.source_title,
        last.locator,
    )


@dataclass(frozen=True)
class Headline:
    """A headline indicator: its latest figure, England's and the change on the year,
    written to the measure's decimal places."""

    metric_id: str
    label: str
    unit: str
    polarity: str
    period: str
    value: str  # "no value" where none is published
    england: str
    previous: str  # "22.5 (2024)", or "no value"
    change: float | None  # on the year before; None without both years
    change_text: str | None  # "-1.2 on 2024"
    rag: str
    source: str
    has_value: bool


def headlines(db: Database, area: Area) -> list[Headline]:
    """The headline indicators of an area, in their order."""
    out = []
    for h in db.headline(area.code).itertuples():
        dps = decimals(h.dps)
        change = (
            None
            if pd.isna(h.previous_value) or pd.isna(h.value)
            else round(h.value - h.previous_value, 4)
        )
        out.append(
            Headline(
                metric_id=h.metric_id,
                label=h.label,
                unit=h.unit,
                polarity=h.polarity,
                period=str(h.period_label),
                value=fmt(h.value, dps),
                england=fmt(h.england_value, dps),
                previous=f"{fmt(h.previous_value, dps)} ({h.previous_label})"
                if isinstance(h.previous_label, str)
                else "no value",
                change=change,
                change_text=None
                if change is None
                else f"{fmt(change, dps)} on {h.previous_label}",
                rag=h.rag,
                source=h.source_title,
                has_value=bool(pd.notna(h.value)),
            )
        )
    return out


@dataclass(frozen=True)
class PlanMeasure:
    """A measure of the plan off track or missed, as the overview lists it."""

    metric_id: str
    measure: str
    status: str  # "▲ Off track"
    latest: str  # "23.4 (Sep 2026, local, not official statistics)", or "no figure"
    checkpoint: str  # "at most 20 by Mar 2027"
    commentary: str
    link: str  # the address of its chart against the plan


@dataclass(frozen=True)
class PlanSummary:
    """The improvement plan in brief: how many measures stand where, and which are
    off track or missed."""

    measures: int
    counts: tuple[tuple[str, int], ...]  # (status in words, measures), every status
    exceptions: tuple[PlanMeasure, ...]
    link: str  # the scorecard's address

    @property
    def sentence(self) -> str:
        """'3 measures have targets: 1 met, 1 on track, 1 off track.'"""
        counts = ", ".join(
            f"{n} {status.split(' ', 1)[1].lower()}" for status, n in self.counts if n
        )
        if self.measures == 1:
            return f"1 measure has targets: {counts}."
        return f"{self.measures} measures have targets: {counts}."


def _latest(row, dps: int) -> str:
    """A measure's latest figure with its period and whether it is official."""
    if row.latest is None or pd.isna(row.latest):
        return "no figure"
    origin = "official" if row.figure == "official" else LOCAL
    return f"{fmt(row.latest, dps)} ({row.period}, {origin})"


def plan_summary(db: Database, area: Area) -> PlanSummary | None:
    """The area's improvement plan in brief, or None where no target is loaded."""
    if db.kpi_status(area.code).empty:
        return None
    card = scorecard(db, area)
    link = f"scorecard?la={area.code}"
    rows = card.table.set_index("metric_id")
    exceptions = []
    for metric_id in card.exceptions():
        row = rows.loc[metric_id]
        exceptions.append(
            PlanMeasure(
                metric_id,
                row.measure,
                row.status,
                _latest(row, decimals(db.metric(metric_id).get("dps"))),
                row.next_checkpoint,
                row.commentary or "",
                link,
            )
        )
    return PlanSummary(
        len(card.charts),
        tuple((PLAN_STATUS_TEXT[s], n) for s, n in card.counts.items()),
        tuple(exceptions),
        link,
    )


@dataclass(frozen=True)
class Overview:
    """The overview of an area: its improvement plan in brief (None without one),
    its contract targets (or whose they are), latest Ofsted judgement and headline
    indicators."""

    contract_note: str | None
    targets: tuple[TargetCard, ...]
    judgement: Judgement | None
    headlines: tuple[Headline, ...]
    plan: PlanSummary | None = None

    @property
    def source_titles(self) -> set[str]:
        """The titles of the sources its judgement and headline figures come from."""
        titles = {h.source for h in self.headlines}
        if self.judgement is not None:
            titles.add(self.judgement.source)
        return titles


def overview(db: Database, area: Area) -> Overview:
    """What the overview page shows above its sections, and the pack's cover prints."""
    return Overview(
        contract_note(db, area),
        tuple(target_cards(db.target_status(area.code))),
        latest_judgement(db, area),
        tuple(headlines(db, area)),
        plan_summary(db, area),
    )
