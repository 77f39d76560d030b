"""Charts of figures loaded from monthly returns, revised points marked.

``db`` is anything with the methods of metrics.queries.Database (the pages pass the
cached proxy). Monthly figures are local management information, not official
statistics, so these charts carry no OGL line.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import pandas as pd
import plotly.graph_objects as go

from charts import PALETTE, TEXT, Chart, _finish, slugify, source_line
from metrics.formatting import fmt
from metrics.messages import change_word

REVISED = "Revised figure (hover for the earlier value)"


@dataclass(frozen=True)
class MonthlyFigures:
    """A chart of monthly return figures: which metrics, described how."""

    metric_ids: tuple[str, ...]
    what: str
    unit: str
    slug: str


TIMELINESS_MONTHLY = [
    MonthlyFigures(
        ("initial_assessments_in_progress", "initial_assessments_out_of_timescale"),
        "Initial assessments open and past the 10-day timescale at month end",
        "assessments",
        "initial-assessments-monthly",
    ),
    MonthlyFigures(
        ("core_assessments_open", "core_assessments_out_of_timescale"),
        "Core assessments open and past the 35-day timescale at month end",
        "assessments",
        "core-assessments-monthly",
    ),
    MonthlyFigures(
        ("initial_assessments_on_time_pct",),
        "Initial assessments completed within 10 working days, by month",
        "% on time",
        "initial-assessment-timeliness-monthly",
    ),
]
DEMAND_MONTHLY = MonthlyFigures(
    ("children_in_need_cases",),
    "Open children in need cases at month end (council performance count)",
    "cases",
    "children-in-need-cases-monthly",
)
CASELOAD_MONTHLY = MonthlyFigures(
    ("social_worker_caseload",),
    "Average cases per social worker by service area at month end",
    "cases per social worker",
    "caseloads-by-team-monthly",
)


def _series_name(label: str, service_area: object) -> str:
    return f"{label}: {service_area}" if isinstance(service_area, str) else label


def _revision_text(revision: int, previous: float) -> str:
    if revision > 1 and pd.notna(previous):
        return f"revised from {fmt(previous, 2)} (revision {revision})"
    return "as first returned"


def monthly_title(points: pd.DataFrame) -> str:
    """'Initial assessments in progress fell from 120 to 95, Apr–Jun 2024'."""
    latest = points[points.period_end == points.period_end.max()]
    when = f"{pd.Timestamp(latest.period_end.iloc[0]):%b %Y}"
    if points.service_area.notna().any():
        top = latest.sort_values("value", ascending=False).iloc[0]
        return (
            f"{top.service_area} had the highest caseload in {when} ({fmt(top.value)})"
        )
    first_metric = points.metric_id.iloc[0]
    part = points[points.metric_id == first_metric].sort_values("period_end")
    first, last = part.iloc[0], part.iloc[-1]
    if len(part) == 1:
        return f"{first.metric_label}: {fmt(first.value)} in {when}"
    span = f"{pd.Timestamp(first.period_end):%b %Y}–{when}"
    return (
        f"{first.metric_label} {change_word(first.value, last.value)} from "
        f"{fmt(first.value)} to {fmt(last.value)}, {span}"
    )


def monthly_lines(
    points: pd.DataFrame,
    *,
    title: str,
    subtitle: str,
    unit: str,
    source: str,
    alt: str,
    slug: str,
) -> Chart:
    """One line per metric (and service area); revised points get a distinct marker."""
    points = points.sort_values("period_end").reset_index(drop=True)
    points["series"] = [
        _series_name(lbl, sa)
        for lbl, sa in zip(points.metric_label, points.service_area)
    ]
    points["source"] = [
        f"{t}, row {r}" for t, r in zip(points.source_title, points.source_row)
    ]
    points["revised"] = points.revision > 1
    points["revision_text"] = [
        _revision_text(r, p) for r, p in zip(points.revision, points.previous_value)
    ]
    hover = (
        "<b>%{fullData.name}</b><br>%{customdata[0]}: %{y:,.4~f} "
        + unit
        + "<br>%{customdata[1]}<br><i>%{customdata[2]}</i><extra></extra>"
    )
    fig = go.Figure()
    for i, (name, part) in enumerate(points.groupby("series", sort=False)):
        fig.add_trace(
            go.Scatter(
                x=pd.to_datetime(part.period_end),
                y=part.value,
                name=name,
                mode="lines+markers",
                line={"color": PALETTE[i % len(PALETTE)], "width": 2.5},
                marker={
                    "size": [12 if r else 8 for r in part.revised],
                    "symbol": ["diamond" if r else "circle" for r in part.revised],
                },
                customdata=part[["period_label", "source", "revision_text"]].values,
                hovertemplate=hover,
            )
        )
    revised = points[points.revised]
    if len(revised):
        fig.add_trace(
            go.Scatter(
                x=pd.to_datetime(revised.period_end),
                y=revised.value,
                name=REVISED,
                mode="markers",
                marker={
                    "symbol": "diamond-open",
                    "size": 18,
                    "line": {"width": 2, "color": TEXT},
                    "color": TEXT,
                },
                customdata=revised[["period_label", "source", "revision_text"]].values,
                hovertemplate="<b>" + REVISED.split(" (")[0] + ": %{customdata[2]}</b>"
                "<br>%{customdata[0]}: %{y:,.4~f} " + unit + "<br>%{customdata[1]}"
                "<extra></extra>",
            )
        )
    fig.update_layout(yaxis_title=unit)
    fig.update_yaxes(rangemode="tozero")
    dates = pd.to_datetime(points.period_end)
    # Ticks on the month ends themselves, labelled by month: Plotly's own ticks fall
    # on the 1st, which would put 30 Apr under "May".
    ticks = sorted(set(dates))
    ticks = ticks[:: math.ceil(len(ticks) / 12)]  # at most 12 labels
    fig.update_xaxes(
        range=[
            dates.min() - pd.Timedelta(days=20),
            dates.max() + pd.Timedelta(days=20),
        ],
        tickvals=ticks,
        ticktext=[f"{d:%b %Y}" for d in ticks],
    )
    notes = []
    if len(revised):
        notes.append(
            f"{len(revised)} point(s) revised by a later return are drawn as diamonds; "
            "hover shows the earlier value. The Load monthly figures page lists every "
            "revision."
        )
    _finish(fig, title, subtitle, source, official=False, legend=True)
    table = points.rename(columns={"series": "figure"})[
        [
            "figure",
            "period_label",
            "period_end",
            "value",
            "revision",
            "previous_value",
            "source",
            "note",
        ]
    ]
    return Chart(fig, title, subtitle, source, alt, table, slug, notes)


def monthly_chart(db, figures: MonthlyFigures, code: str, name: str) -> Chart | None:
    """Monthly return figures for the focus LA, or None where none are loaded."""
    points = db.monthly_points(list(figures.metric_ids), code)
    if points.empty:
        return None
    first = pd.Timestamp(points.period_end.min())
    last = pd.Timestamp(points.period_end.max())
    titles = sorted(set(points.source_title))
    log = db.import_log()
    loaded = log[log.import_id.isin(set(points.import_id))].imported_at
    as_at = f"{pd.Timestamp(loaded.max()):%d %b %Y}" if len(loaded) else None
    return monthly_lines(
        points,
        title=monthly_title(points),
        subtitle=f"{figures.what}, {name}, {first:%b %Y}–{last:%b %Y}; "
        "local management information, not official statistics",
        unit=figures.unit,
        source=source_line(
            [", ".join(titles) + " (performance team; hover a point for its row)"],
            as_at,
        ),
        alt=f"Line chart of {name}'s monthly figures: "
        + "; ".join(
            f"{_series_name(lbl, sa)} {pd.Timestamp(d):%b %Y} {v:g}"
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
        slug=slugify(name, figures.slug, f"{first:%Y-%m}", f"{last:%Y-%m}"),
    )
