"""The parts a page is made of: sections of charts, each chart declared as a small
frozen value that knows how to build itself for an area.

A declaration's repr names it whole (measure ids, wording), which is what the
dashboard's chart cache keys on, so two pages that declare the same chart share it.
Declarations take a ChartOptions (views.options): a reader's adjustments, which the
declaration applies where its chart allows them (``adjusts``).
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from charts.frame import Chart, set_y_axis
from metrics.areas import Area
from metrics.queries import Database
from views import figures, ofsted
from views.options import KEEP, ChartOptions
from views.scorecard import EXCEPTIONS, scorecard


class _One:
    """A declaration of one chart: ``chart()`` builds it, or None without data.

    ``adjusts`` lists what a reader may change: "y" (the y axis), "comparators"
    (the comparator lines), "added" (more local authorities); ``key`` names the
    chart's choices in the address; ``y_default`` is its own y axis.
    """

    adjusts: tuple[str, ...] = ()
    y_default = "fitted"

    @property
    def key(self) -> str:
        return ""

    def chart(
        self, db: Database, area: Area, model: str, options: ChartOptions = KEEP
    ) -> Chart | None:
        raise NotImplementedError

    def charts(
        self, db: Database, area: Area, model: str, options: ChartOptions = KEEP
    ) -> list[Chart]:
        chart = self.chart(db, area, model, options)
        return [] if chart is None else [chart]

    def missing(self, area: Area) -> str | None:
        """What the page says where the area has no figures (None: nothing)."""
        return None


@dataclass(frozen=True)
class Comparator(_One):
    """A measure's annual official series against England, region and neighbours."""

    metric_id: str
    what: str
    unit_word: str = ""
    adjusts = ("y", "comparators", "added")

    @property
    def key(self) -> str:
        return self.metric_id

    def chart(
        self, db: Database, area: Area, model: str, options: ChartOptions = KEEP
    ) -> Chart | None:
        return figures.comparator_chart(
            db, self.metric_id, self.what, self.unit_word, area, model, options
        )

    def missing(self, area: Area) -> str | None:
        """What the page says where the area has no figures."""
        return f"No published figures of {self.what} for {area.name}."


@dataclass(frozen=True)
class ReportFigures(_One):
    """Figures quoted in a council report, as bars; ``subtitle`` may name {name}."""

    metric_ids: tuple[str, ...]
    subtitle: str
    unit: str
    slug: str

    def chart(
        self, db: Database, area: Area, model: str, options: ChartOptions = KEEP
    ) -> Chart | None:
        return figures.report_chart(
            db, self.metric_ids, self.subtitle, self.unit, self.slug, area
        )


@dataclass(frozen=True)
class MonthlyFigures(_One):
    """Figures loaded from monthly returns, revised points marked."""

    metric_ids: tuple[str, ...]
    what: str
    unit: str
    slug: str
    adjusts = ("y",)
    y_default = "zero"

    @property
    def key(self) -> str:
        return self.slug

    def chart(
        self, db: Database, area: Area, model: str, options: ChartOptions = KEEP
    ) -> Chart | None:
        chart = figures.monthly_chart(
            db, self.metric_ids, self.what, self.unit, self.slug, area
        )
        return chart and _with_y_axis(chart, options)


@dataclass(frozen=True)
class CaseloadRanges(_One):
    """Caseloads per social worker by team, as ranges, from a council report."""

    def chart(
        self, db: Database, area: Area, model: str, options: ChartOptions = KEEP
    ) -> Chart | None:
        return figures.caseload_range_chart(db, area)

    def missing(self, area: Area) -> str | None:
        return f"Caseloads by team come from a council report; none are held for {area.name}."


@dataclass(frozen=True)
class GradeJourney(_One):
    """The overall Ofsted grade over time."""

    def chart(
        self, db: Database, area: Area, model: str, options: ChartOptions = KEEP
    ) -> Chart | None:
        return ofsted.grade_journey_chart(db, area)

    def missing(self, area: Area) -> str | None:
        return "No Ofsted judgements are held for this local authority."


@dataclass(frozen=True)
class GradeDistribution(_One):
    """Every LA's latest grade, the area's marked."""

    def chart(
        self, db: Database, area: Area, model: str, options: ChartOptions = KEEP
    ) -> Chart | None:
        return ofsted.distribution_chart(db, area)


@dataclass(frozen=True)
class Milestones(_One):
    """The improvement timeline (areas with contract targets)."""

    def chart(
        self, db: Database, area: Area, model: str, options: ChartOptions = KEEP
    ) -> Chart | None:
        return ofsted.milestones_chart(db, area)


@dataclass(frozen=True)
class Trajectories:
    """Each measure of the area's improvement plan against its trajectory; ``only``
    keeps the measures of those statuses (e.g. the exceptions)."""

    only: tuple[str, ...] = ()
    adjusts = ("y",)
    y_default = "fitted"

    @property
    def key(self) -> str:
        return "plan"

    def charts(
        self, db: Database, area: Area, model: str, options: ChartOptions = KEEP
    ) -> list[Chart]:
        card = scorecard(
            db, area, model, replace(KEEP, group=options.group, stat=options.stat)
        )
        return [
            _with_y_axis(chart, options)
            for metric_id, chart in card.charts.items()
            if not self.only or card.statuses[metric_id] in self.only
        ]

    def missing(self, area: Area) -> str | None:
        return None


EXCEPTION_CHARTS = Trajectories(EXCEPTIONS)

Item = (
    Comparator
    | ReportFigures
    | MonthlyFigures
    | CaseloadRanges
    | GradeJourney
    | GradeDistribution
    | Milestones
    | Trajectories
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


def build_charts(
    db: Database, item: Item, area: Area, model: str, options: ChartOptions = KEEP
) -> list[Chart]:
    """The charts a declaration draws for an area (none where it has no data), with
    a reader's adjustments where the declaration allows them."""
    return item.charts(db, area, model, options)


def _with_y_axis(chart: Chart, options: ChartOptions) -> Chart:
    set_y_axis(chart.fig, options.y_axis)
    return chart
