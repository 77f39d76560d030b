"""A measure over time against its comparators: one builder for every chart that
draws it (the pages' sections, the board pack and the benchmark explorer).

``compare`` gathers what such a chart draws: the focus area, England and its region
where the measure allows them, a comparison group's figure (computed in the
database), local authorities a reader adds, each member of the group, and the
area's local monthly figures. ``comparator_figure`` draws it with the subtitle,
source line and alt text every such chart shares; only the message title is the
caller's.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

import pandas as pd

from charts.frame import Chart, set_y_axis, source_line
from charts.lines import EACH_NEIGHBOUR, add_local_points, comparator_lines
from metrics.areas import Area
from metrics.formatting import as_at, decimals, fmt, slugify
from metrics.queries import Database, Group
from metrics.units import is_count
from views.options import ChartOptions

ALL_LINES = ("england", "region", "neighbours", "each")
COUNT_LINES = ("neighbours", "each")
LOCAL_WORDS = "local management information, not official statistics"


def comparable(unit: object) -> tuple[str, ...]:
    """The comparator lines a measure may be drawn against: a count has no England or
    region line (their totals would dwarf it and say nothing)."""
    return COUNT_LINES if is_count(unit) else ALL_LINES


def local_figures(db: Database, metric_id: str, area: Area) -> pd.DataFrame:
    """An area's local monthly figures of a measure (whole service), oldest first."""
    figures = db.measure_figures(metric_id, area.code)
    return figures[figures.origin == "local"].reset_index(drop=True)


@dataclass(frozen=True)
class Comparison:
    """What a comparator chart draws for one measure, area and comparison group."""

    metric_id: str
    meta: dict
    area: Area
    group: Group
    options: ChartOptions
    official: pd.DataFrame  # focus, England, region and the group's figure, all
    series: pd.DataFrame  # those the measure and options allow, and added areas
    each: pd.DataFrame | None  # each member of the group, when shown
    local: pd.DataFrame  # the area's local monthly figures

    @property
    def unit(self) -> str:
        """The measure's unit ('' where the dictionary gives none)."""
        return self.meta["unit"] or ""

    @property
    def count(self) -> bool:
        """Whether the measure is a count (so England and the region are not drawn)."""
        return "england" not in comparable(self.unit)

    @property
    def dps(self) -> int:
        """Decimal places its figures are shown to."""
        return decimals(self.meta.get("dps"))

    @property
    def focus(self) -> pd.DataFrame:
        """The focus area's official figures with a value, oldest first."""
        rows = self.series
        return rows[(rows.role == "focus") & rows.value.notna()].sort_values(
            "period_end"
        )

    @property
    def as_at(self) -> str | None:
        """The date the measure's official figures are as at."""
        meta = self.meta
        return as_at(meta.get("last_updated")) or as_at(meta.get("published"))

    def focus_only(self) -> Comparison:
        """The same without any comparator (a chart of the local figures alone)."""
        return dataclasses.replace(self, series=self.series.iloc[0:0], each=None)


def chosen_group(db: Database, area: Area, model: str, options: ChartOptions) -> Group:
    """The comparison group ``options`` chooses for an area: by default its
    statistical neighbours under ``model``."""
    statistic = options.stat or "mean"
    if not options.group:
        return db.neighbour_group(area.code, model, statistic)
    return db.comparison_group(options.group, area.code, statistic)


def named_group(c: Comparison) -> bool:
    """Whether the chart draws a group other than the statistical neighbours (which
    its subtitle and source line then name)."""
    drawn = "neighbours" in set(c.series.role)
    return drawn and not c.group.spec.startswith("neighbours_")


def compare(
    db: Database, metric_id: str, area: Area, group: Group, options: ChartOptions
) -> Comparison:
    """What a measure's comparator chart draws for an area: the lines the measure
    allows and ``options`` shows, ``group``'s figure among them, any areas added."""
    meta = db.metric(metric_id)
    lines = {c for c in comparable(meta["unit"]) if options.shows(c)}
    official = db.comparator_series(metric_id, area.code, group=group)
    series = official[(official.role == "focus") | official.role.isin(lines)]
    added = [code for code in options.added if code != area.code]
    if added:
        series = pd.concat(
            [series, db.area_series(metric_id, added)], ignore_index=True
        )
    each = None
    if "each" in lines:
        each = db.area_series(metric_id, list(group.members))
        each = each.rename(columns={"series": "area_name"})
    return Comparison(
        metric_id,
        meta,
        area,
        group,
        options,
        official,
        series.reset_index(drop=True),
        each,
        local_figures(db, metric_id, area),
    )


def comparator_figure(
    comparison: Comparison,
    title: str,
    *,
    basis: str | None = None,
    slug: tuple[str, ...] = (),
    trust: tuple[pd.Timestamp, pd.Timestamp] | None = None,
    targets: pd.DataFrame | None = None,
) -> Chart:
    """The comparison drawn, under the caller's message title; ``basis`` says in the
    subtitle how the group was chosen, ``slug`` words the file name, ``trust`` and
    ``targets`` mark the Trust period and the contract deadlines."""
    c, name = comparison, comparison.area.name
    chart = comparator_lines(
        c.series,
        title=title,
        subtitle=subtitle(c, basis),
        unit=c.unit,
        source=source(c),
        alt=alt_text(c),
        slug=slugify(name, c.metric_id, *slug, *span(c)),
        trust=trust,
        targets=targets,
        neighbours=c.each,
    )
    if c.each is not None:
        name_each_line(chart, f"Each {c.group.member}")
    chart = add_local_points(chart, c.local, name, c.unit)
    chart.as_at = c.as_at
    set_y_axis(chart.fig, c.options.y_axis)
    return chart


def name_each_line(chart: Chart, name: str) -> None:
    """Name the legend entry of the thin grey lines (each member of the group)."""
    for trace in chart.fig.data:
        if trace.legendgroup == EACH_NEIGHBOUR and trace.showlegend is not False:
            trace.name = name


def span(c: Comparison) -> tuple[str, str]:
    """The first and last periods drawn (of the local figures where nothing else)."""
    labels = sorted(c.series.dropna(subset=["value"]).period_label)
    labels = labels or sorted(c.local.period_label)
    return labels[0], labels[-1]


def compared(c: Comparison) -> list[str]:
    """The names of the lines set beside the focus area's, in order."""
    return sorted(set(c.series.series) - {c.area.name})


def subtitle(c: Comparison, basis: str | None = None) -> str:
    """'Measure; Area against A, B; 2016–2025' and what else the chart draws."""
    others = ", ".join(compared(c))
    first, last = span(c)
    text = f"{c.meta['label']}; {c.area.name}" + (
        f" against {others}" if others else ""
    )
    text += f"; {first}–{last}"
    if basis:
        text += f"; {basis}"
    if named_group(c):
        text += f"; {c.group.name}: {c.group.words}"
    if c.count:
        text += "; a count, so England and the region are not compared"
    if c.each is not None:
        text += f"; thin grey lines: each {c.group.member}"
    if not c.local.empty:
        text += "; open circles: local monthly figures, not official statistics"
    return text


def source(c: Comparison) -> str:
    """The source line: the official source and, with local figures, theirs."""
    sources = [f"{c.meta['source_title']} ({c.metric_id})"]
    if named_group(c):
        sources.append(f"comparison group: {c.group.words}")
    if not c.local.empty:
        titles = ", ".join(sorted(set(c.local.source_title)))
        sources.append(f"{titles} ({LOCAL_WORDS})")
    return source_line(sources, c.as_at)


def alt_text(c: Comparison) -> str:
    """The chart in words: the focus area's figures, the lines beside them, and the
    local figures."""
    focus, dps = c.focus, c.dps
    values = "; ".join(
        f"{p} {fmt(v, dps)}" for p, v in zip(focus.period_label, focus.value)
    )
    others = compared(c)
    text = f"Line chart of {c.meta['label']} for {c.area.name}: {values or 'no values'}"
    text += (
        f". Shown for comparison: {', '.join(others)}."
        if others
        else ". No comparator lines are shown."
    )
    if c.each is not None:
        text += f" Each {c.group.member} is a thin grey line."
    if not c.local.empty:
        local = "; ".join(
            f"{p} {fmt(v, dps)}" for p, v in zip(c.local.period_label, c.local.value)
        )
        text += f" Local monthly figures, not official statistics: {local}."
    return text
