"""The time-series charts of the pages and the board pack: a measure against its
comparators (drawn by views.comparators), report figures, caseload ranges and
monthly return figures, each with its message title, subtitle, source line and alt
text worded from the data."""

from __future__ import annotations

import pandas as pd

from charts.bars import caseload_ranges, report_points
from charts.frame import Chart, source_line
from charts.lines import monthly_lines, series_name
from metrics.areas import Area
from metrics.formatting import as_at, slugify
from metrics.queries import Database
from views.comparators import chosen_group, comparable, comparator_figure, compare
from views.options import KEEP, ChartOptions
from views.titles import (
    comparator_title,
    monthly_title,
    range_title,
    report_change_title,
)


def has_contract(db: Database, area_code: str) -> bool:
    """Whether the area has contract targets (only Doncaster in the data)."""
    return not db.target_status(area_code).empty


def comparator_choices(db: Database, metric_id: str) -> tuple[str, ...]:
    """The comparator lines a reader may choose for a measure's chart."""
    return comparable(db.metric(metric_id)["unit"])


def comparator_chart(
    db: Database,
    metric_id: str,
    what: str,
    unit_word: str,
    area: Area,
    model: str = "2025",
    options: ChartOptions = KEEP,
) -> Chart | None:
    """A metric for the focus LA against England, region and neighbours, or None;
    ``options`` chooses the comparator lines, adds areas and sets the y axis."""
    group = chosen_group(db, area, model, options)
    comparison = compare(db, metric_id, area, group, options)
    focus = comparison.focus
    if focus.empty:
        if comparison.local.empty:
            return None
        comparison = comparison.focus_only()
        title = f"{area.name}: {what}, local figures only"
    else:
        title = comparator_title(
            comparison.series,
            area.name,
            what,
            unit_word,
            comparison.dps,
            comparison.count,
        )
    contract = has_contract(db, area.code)
    return comparator_figure(
        comparison,
        title,
        trust=db.trust_period() if contract else None,
        targets=db.target_status(area.code) if contract else None,
    )


def report_chart(
    db: Database,
    metric_ids: tuple[str, ...],
    subtitle: str,
    unit: str,
    slug: str,
    area: Area,
) -> Chart | None:
    """Figures from the council's 2013 report, or None where the LA has none."""
    obs = db.observations(list(metric_ids), area.code)
    if obs.empty:
        return None
    source = source_line(
        [f"{t} ({loc})" for t, loc in zip(obs.source_title, obs.locator)], None
    )
    # Where the document gives no date, the chart says what was assumed.
    assumed = obs[obs.date_rule.fillna("").str.startswith("assumed")]
    if len(assumed):
        source += " Dates assumed: " + "; ".join(
            f"{r.period_label}: {r.note}" for r in assumed.itertuples()
        )
    chart = report_points(
        obs,
        title=report_change_title(obs),
        subtitle=subtitle.format(name=area.name),
        unit=unit,
        source=source,
        alt=f"Bar chart of {area.name}'s report figures: "
        + "; ".join(
            f"{lbl} {p} {'approximately ' if a else ''}{v:g}"
            for lbl, p, v, a in zip(
                obs.metric_label, obs.period_label, obs.value, obs.approximate
            )
        ),
        slug=slugify(area.name, slug),
    )
    return chart


def caseload_range_chart(db: Database, area: Area) -> Chart | None:
    """Caseload ranges by team from the 2013 report, or None."""
    ranges = db.observations(["social_worker_caseload"], area.code)
    if ranges.empty:
        return None
    return caseload_ranges(
        ranges,
        title=range_title(ranges),
        subtitle=f"Range of cases per social worker by service area, {area.name}, "
        f"{ranges.period_label.iloc[0]}",
        source=source_line(
            [f"{ranges.source_title.iloc[0]} ({ranges.locator.iloc[0]})"], None
        ),
        alt="Range bars of caseloads per social worker: "
        + "; ".join(
            f"{s} {lo:g} to {hi:g}"
            for s, lo, hi in zip(
                ranges.service_area, ranges.value_low, ranges.value_high
            )
        ),
        slug=slugify(area.name, "caseloads-by-team", ranges.period_label.iloc[0]),
    )


def monthly_chart(
    db: Database,
    metric_ids: tuple[str, ...],
    what: str,
    unit: str,
    slug: str,
    area: Area,
) -> Chart | None:
    """Monthly return figures for the focus LA, or None where none are loaded."""
    points = db.monthly_points(list(metric_ids), area.code)
    if points.empty:
        return None
    first = pd.Timestamp(points.period_end.min())
    last = pd.Timestamp(points.period_end.max())
    titles = sorted(set(points.source_title))
    log = db.import_log()
    loaded = log[log.import_id.isin(set(points.import_id))].imported_at
    day = as_at(loaded.max()) if len(loaded) else None
    chart = monthly_lines(
        points,
        title=monthly_title(points),
        subtitle=f"{what}, {area.name}, {first:%b %Y}–{last:%b %Y}; "
        "local management information, not official statistics",
        unit=unit,
        source=source_line(
            [", ".join(titles) + " (performance team; hover a point for its row)"],
            day,
        ),
        alt=f"Line chart of {area.name}'s monthly figures: "
        + "; ".join(
            f"{series_name(lbl, sa)} {pd.Timestamp(d):%b %Y} {v:g}"
            + (f" (revised from {p:g})" if r > 1 else "")
            for lbl, sa, d, v, r, p in zip(
                points.metric_label,
                points.service_area,
                points.period_end,
                points.value,
                points.revision,
                points.previous_value,
            )
        ),
        slug=slugify(area.name, slug, f"{first:%Y-%m}", f"{last:%Y-%m}"),
    )
    chart.as_at = day
    return chart
