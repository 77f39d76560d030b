"""The time-series charts of the pages and the board pack: a measure against its
comparators, report figures, caseload ranges and monthly return figures, each with
its message title, subtitle, source line and alt text worded from the data."""

from __future__ import annotations

import pandas as pd

from charts.bars import caseload_ranges, report_points
from charts.frame import Chart, set_y_axis, source_line
from charts.lines import (
    add_local_points,
    comparator_lines,
    monthly_lines,
    series_name,
)
from metrics.areas import Area
from metrics.formatting import as_at, decimals, slugify
from metrics.queries import Database
from metrics.units import is_count
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
    """The comparator lines a reader may choose for a measure's chart: a count has no
    England or region line (their totals would dwarf it)."""
    if is_count(db.metric(metric_id)["unit"]):
        return ("neighbours", "each")
    return ("england", "region", "neighbours", "each")


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
    data = db.comparator_series(metric_id, area.code, model)
    meta = db.metric(metric_id)
    local = local_figures(db, metric_id, area)
    focus_rows = data[(data.role == "focus") & data.value.notna()]
    if focus_rows.empty and local.empty:
        return None
    contract = has_contract(db, area.code)
    labels = sorted(focus_rows.period_label) or sorted(local.period_label)
    dps = decimals(meta.get("dps"))
    count = is_count(meta["unit"])
    if count:
        # England's and the region's totals would dwarf the line and say nothing.
        data = data[data.role.isin(["focus", "neighbours"])]
    data = data[(data.role == "focus") | data.role.isin(options.shown)]
    added = [code for code in options.added if code != area.code]
    if added:
        data = pd.concat([data, db.area_series(metric_id, added)], ignore_index=True)
    neighbours = None
    if options.shows("each"):
        neighbours = db.neighbour_series(metric_id, area.code, model).assign(
            source_title=meta["source_title"]
        )
    others = ", ".join(sorted(set(data.series) - {area.name}))
    subtitle = f"{meta['label']}; {area.name}" + (
        f" against {others}" if others else ""
    )
    subtitle += f"; {labels[0]}–{labels[-1]}"
    if count:
        subtitle += "; a count, so England and the region are not compared"
    if neighbours is not None:
        subtitle += "; thin grey lines: each neighbour"
    sources = [f"{meta['source_title']} ({metric_id})"]
    if not local.empty:
        subtitle += "; open circles: local monthly figures, not official statistics"
        sources.append(
            ", ".join(sorted(set(local.source_title)))
            + " (local management information, not official statistics)"
        )
    compared = sorted(set(data[data.role != "focus"].series))
    day = as_at(meta.get("last_updated")) or as_at(meta.get("published"))
    chart = comparator_lines(
        data if not focus_rows.empty else data.iloc[0:0],
        title=comparator_title(data, area.name, what, unit_word, dps, count)
        if not focus_rows.empty
        else f"{area.name}: {what}, local figures only",
        subtitle=subtitle,
        unit=meta["unit"],
        source=source_line(sources, day),
        alt=f"Line chart of {meta['label']} for {area.name}: "
        + "; ".join(
            f"{p} {v:g}" for p, v in zip(focus_rows.period_label, focus_rows.value)
        )
        + (
            f". Shown for comparison: {', '.join(compared)}."
            if compared
            else ". No comparator lines are shown."
        )
        + (
            " Each statistical neighbour is a thin grey line."
            if neighbours is not None
            else ""
        )
        + (
            " Local monthly figures, not official statistics: "
            + "; ".join(f"{p} {v:g}" for p, v in zip(local.period_label, local.value))
            + "."
            if not local.empty
            else ""
        ),
        slug=slugify(area.name, metric_id, labels[0], labels[-1]),
        trust=db.trust_period() if contract else None,
        targets=db.target_status(area.code) if contract else None,
        neighbours=neighbours,
    )
    chart = add_local_points(chart, local, area.name, meta["unit"])
    chart.as_at = day
    set_y_axis(chart.fig, options.y_axis)
    return chart


def local_figures(db: Database, metric_id: str, area: Area):
    """An area's local monthly figures of a measure (whole service), oldest first."""
    figures = db.measure_figures(metric_id, area.code)
    return figures[figures.origin == "local"].reset_index(drop=True)


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
