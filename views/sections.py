"""The parts a page is made of: sections of charts, each chart declared as a small
frozen value that knows how to build itself for an area.

A declaration's repr names it whole (measure ids, wording), which is what the
dashboard's chart cache keys on, so two pages that declare the same chart share it.
"""

from __future__ import annotations

from dataclasses import dataclass

from charts.frame import Chart
from metrics.areas import Area
from metrics.queries import Database
from views import figures, ofsted


@dataclass(frozen=True)
class Comparator:
    """A measure's annual official series against England, region and neighbours."""

    metric_id: str
    what: str
    unit_word: str = ""

    def chart(self, db: Database, area: Area, model: str) -> Chart | None:
        return figures.comparator_chart(
            db, self.metric_id, self.what, self.unit_word, area, model
        )

    def missing(self, area: Area) -> str | None:
        """What the page says where the area has no figures."""
        return f"No published figures of {self.what} for {area.name}."


@dataclass(frozen=True)
class ReportFigures:
    """Figures quoted in a council report, as bars; ``subtitle`` may name {name}."""

    metric_ids: tuple[str, ...]
    subtitle: str
    unit: str
    slug: str

    def chart(self, db: Database, area: Area, model: str) -> Chart | None:
        return figures.report_chart(
            db, self.metric_ids, self.subtitle, self.unit, self.slug, area
        )

    def missing(self, area: Area) -> str | None:
        return None


@dataclass(frozen=True)
class MonthlyFigures:
    """Figures loaded from monthly returns, revised points marked."""

    metric_ids: tuple[str, ...]
    what: str
    unit: str
    slug: str

    def chart(self, db: Database, area: Area, model: str) -> Chart | None:
        return figures.monthly_chart(
            db, self.metric_ids, self.what, self.unit, self.slug, area
        )

    def missing(self, area: Area) -> str | None:
        return None


@dataclass(frozen=True)
class CaseloadRanges:
    """Caseloads per social worker by team, as ranges, from a council report."""

    def chart(self, db: Database, area: Area, model: str) -> Chart | None:
        return figures.caseload_range_chart(db, area)

    def missing(self, area: Area) -> str | None:
        return f"Caseloads by team come from a council report; none are held for {area.name}."


@dataclass(frozen=True)
class GradeJourney:
    """The overall Ofsted grade over time."""

    def chart(self, db: Database, area: Area, model: str) -> Chart | None:
        return ofsted.grade_journey_chart(db, area)

    def missing(self, area: Area) -> str | None:
        return "No Ofsted judgements are held for this local authority."


@dataclass(frozen=True)
class GradeDistribution:
    """Every LA's latest grade, the area's marked."""

    def chart(self, db: Database, area: Area, model: str) -> Chart | None:
        return ofsted.distribution_chart(db, area)

    def missing(self, area: Area) -> str | None:
        return None


@dataclass(frozen=True)
class Milestones:
    """The improvement timeline (areas with contract targets)."""

    def chart(self, db: Database, area: Area, model: str) -> Chart | None:
        return ofsted.milestones_chart(db, area)

    def missing(self, area: Area) -> str | None:
        return None


Item = (
    Comparator
    | ReportFigures
    | MonthlyFigures
    | CaseloadRanges
    | GradeJourney
    | GradeDistribution
    | Milestones
)


@dataclass(frozen=True)
class Section:
    """A headed part of a page: its charts in order, and what to say if it has none.

    ``key`` names the section for notes per area (data/curated/area_notes.csv);
    ``empty`` may name {name}, the area.
    """

    key: str
    heading: str
    items: tuple[Item, ...]
    empty: str = ""


def build_chart(db: Database, item: Item, area: Area, model: str) -> Chart | None:
    """One declared chart for an area, or None where it has no data."""
    return item.chart(db, area, model)
