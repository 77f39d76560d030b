"""Line charts: a measure over time against its comparators, each neighbour, and
figures from monthly returns."""

from __future__ import annotations

import math

import pandas as pd
import plotly.graph_objects as go

from charts.frame import (
    OBSERVATION_COLUMNS,
    Chart,
    add_deadlines,
    add_trust_period,
    desktop_plot_width,
    finish,
    frame_again,
    hover,
    label_gap,
    line_label,
    space_end_labels,
    spread,
)
from charts.placement import PxScale, text_box, text_boxes
from charts.style import ADDED_STYLE, CONTEXT, PALETTE, ROLE_STYLE, TEXT
from charts.text import first_free, text_width
from metrics.formatting import fmt

REVISED = "Revised figure (hover for the earlier value)"
EACH_NEIGHBOUR = "Each statistical neighbour"  # the legend entry of their thin lines


def comparator_lines(
    series: pd.DataFrame,
    *,
    title: str,
    subtitle: str,
    unit: str,
    source: str,
    alt: str,
    slug: str,
    trust: tuple[pd.Timestamp, pd.Timestamp] | None = None,
    targets: pd.DataFrame | None = None,
    neighbours: pd.DataFrame | None = None,
) -> Chart:
    """Focus LA against England, region, neighbours' mean and any LAs added by name
    (role 'added'), over time, each line labelled at its end and in the legend;
    with ``neighbours`` (see add_neighbour_lines), each neighbour as a thin line."""
    fig = go.Figure()
    ends: list[tuple[str, str, pd.Timestamp, float]] = []
    added = 0
    for role in ("neighbours", "region", "england", "added", "focus"):
        rows = series[series.role == role]
        for name, part in rows.groupby("series", sort=False):
            part = part.sort_values("period_end")
            if role == "added":
                colour, dash, symbol = ADDED_STYLE[added % len(ADDED_STYLE)]
                added += 1
            else:
                (colour, dash), symbol = ROLE_STYLE[role], "circle"
            fig.add_trace(
                go.Scatter(
                    x=pd.to_datetime(part.period_end),
                    y=part.value,
                    name=name,
                    legendgroup=name,
                    mode="lines+markers",
                    line={
                        "color": colour,
                        "dash": dash,
                        "width": 3.5 if role == "focus" else 2,
                    },
                    marker={"size": 8 if role == "focus" else 5, "symbol": symbol},
                    customdata=part[["period_label", "source_title", "locator"]].values,
                    hovertemplate=hover(unit),
                )
            )
            last = part.dropna(subset=["value"]).tail(1)
            if len(last):
                when = pd.Timestamp(last.period_end.iloc[0])
                ends.append((name, colour, when, float(last.value.iloc[0])))
    values = series.value.dropna()
    span = float(values.max() - values.min()) if len(values) else 1.0
    dates = pd.to_datetime(series.period_end)
    start = min(dates.min(), trust[0]) if trust else dates.min()
    focus = series[series.role == "focus"].series
    add_end_labels(
        fig,
        ends,
        span or 1.0,
        dates.max() - start,
        bold=focus.iloc[0] if len(focus) else None,
    )
    add_trust_period(fig, trust)
    if targets is not None:
        add_deadlines(fig, targets)
    label_room = max(text_width(e[0], 12, bold=True) for e in ends) if ends else 0
    fig.update_layout(yaxis_title=unit, margin={"r": 30 + int(label_room)})
    fig.update_xaxes(
        range=[start - pd.Timedelta(days=120), dates.max() + pd.Timedelta(days=90)]
    )
    finish(fig, title, subtitle, source, legend=True)
    table = series.rename(columns={"series": "area"}).reindex(
        columns=["area", *OBSERVATION_COLUMNS]
    )
    chart = Chart(fig, title, subtitle, source, alt, table, slug)
    if neighbours is not None:
        add_neighbour_lines(chart, neighbours, series, unit)
    return chart


def add_end_labels(
    fig: go.Figure,
    ends: list[tuple[str, str, pd.Timestamp, float]],
    span: float,
    period: pd.Timedelta,
    bold: str | None = None,
) -> None:
    """Label each line at its last point, nudged apart, as a text mark in the line's
    legend group, so that hiding a line from the legend hides its label too.

    ``ends``: (name, colour, date, value) per line; ``bold`` names the focus line.
    """
    gap = period / 90  # a few px right of the last point
    values = spread([e[3] for e in ends], label_gap(span, 12))
    for (name, colour, when, _), y in zip(ends, values):
        text = f"<b>{name}</b>" if name == bold else name
        fig.add_trace(line_label(when + gap, y, name, text, colour, 12))


LOCAL_NOTE = (
    "Open circles on a dotted line are local figures from monthly returns: "
    "management information, not official statistics."
)


LOCAL_LABEL = "local (not official)"
LOCAL_SIZE = 11  # px
LOCAL_PLACES = ("top left", "bottom left", "top center", "bottom center")


def local_label_place(fig: go.Figure, when: pd.Timestamp, value: float) -> str | None:
    """Where the local figures' label goes beside their last point: the first of
    LOCAL_PLACES where it meets no other text on the plot (end labels above all) at
    the narrowest desktop width; None where none has room."""
    scale = PxScale(fig, desktop_plot_width(fig))
    taken = text_boxes(fig, scale)
    candidates = [
        text_box(scale, when, value, LOCAL_LABEL, LOCAL_SIZE, place, 6)
        for place in LOCAL_PLACES
    ]
    within = (0.0, 0.0, scale.width + (fig.layout.margin.r or 0), scale.height)
    choice = first_free(candidates, taken, gap=3, within=within)
    return None if choice is None else LOCAL_PLACES[choice]


def add_local_points(
    chart: Chart, local: pd.DataFrame, area_name: str, unit: str
) -> Chart:
    """Draw an area's local monthly figures beside its official series, unmistakably
    apart: open circles on a dotted line, labelled as not official statistics.

    ``local`` has period_end, period_label, value, note, source_title and locator.
    """
    if local is None or local.empty:
        return chart
    local = local.sort_values("period_end")
    name = f"{area_name}: local figures (not official statistics)"
    fig = chart.fig
    fig.add_trace(
        go.Scatter(
            x=pd.to_datetime(local.period_end),
            y=local.value,
            name=name,
            mode="lines+markers",
            line={"color": ROLE_STYLE["focus"][0], "dash": "dot", "width": 1.5},
            marker={
                "symbol": "circle-open",
                "size": 9,
                "line": {"width": 2},
                "color": ROLE_STYLE["focus"][0],
            },
            customdata=local.assign(
                where=[
                    f"{t}, {loc}" for t, loc in zip(local.source_title, local.locator)
                ],
                comment=local.note.fillna("no commentary given"),
            )[["period_label", "where", "comment"]].values,
            hovertemplate=hover(unit),
            legendgroup=name,
        )
    )
    low, high = fig.layout.xaxis.range or (None, None)
    newest = pd.Timestamp(local.period_end.max()) + pd.Timedelta(days=60)
    if high is not None and newest > pd.Timestamp(high):
        fig.update_xaxes(range=[low, newest])
    last = local.iloc[-1]
    when, value = pd.Timestamp(last.period_end), float(last.value)
    position = local_label_place(fig, when, value)
    if position is not None:  # else the legend names the local figures
        fig.add_trace(
            line_label(
                when,
                value,
                name,
                LOCAL_LABEL,
                ROLE_STYLE["focus"][0],
                LOCAL_SIZE,
                position=position,
            )
        )
    # The table's first column names the series ("area" or "series").
    label = chart.table.columns[0]
    rows = local.assign(approximate=False, qualifier=None, **{label: name}).reindex(
        columns=list(chart.table.columns)
    )
    if "note" in local and "note" not in chart.table.columns:
        rows = rows.assign(note=local.note.values)
    chart.table = pd.concat([chart.table, rows], ignore_index=True)
    if LOCAL_NOTE not in chart.notes:
        chart.notes.append(LOCAL_NOTE)
    frame_again(fig)
    return chart


def add_neighbour_lines(
    chart: Chart, neighbours: pd.DataFrame, series: pd.DataFrame, unit: str
) -> None:
    """Each statistical neighbour as a thin grey line under the comparator lines, all
    shown or hidden by one legend entry.

    ``neighbours`` has one row per neighbour and period: area_name, period_end,
    period_label, value, source_title, locator.
    """
    valued = neighbours.dropna(subset=["value"])
    if valued.empty:
        return
    fig = chart.fig
    drawn = len(fig.data)
    line = {"color": CONTEXT, "width": 1}
    fig.add_trace(
        go.Scatter(
            x=[None],
            y=[None],
            name=EACH_NEIGHBOUR,
            mode="lines",
            line=line,
            legendgroup=EACH_NEIGHBOUR,
            hoverinfo="skip",
        )
    )
    for name, part in valued.groupby("area_name", sort=False):
        part = part.sort_values("period_end")
        fig.add_trace(
            go.Scatter(
                x=pd.to_datetime(part.period_end),
                y=part.value,
                name=name,
                mode="lines",
                line=line,
                showlegend=False,
                legendgroup=EACH_NEIGHBOUR,
                customdata=part[["period_label", "source_title", "locator"]].values,
                hovertemplate=hover(unit),
            )
        )
    # Neighbours go first so the comparator series are drawn on top of them.
    fig.data = fig.data[drawn:] + fig.data[:drawn]
    # The neighbours widen the y range: space the end labels for the wider range.
    values = pd.concat([series.value, valued.value]).dropna()
    span = float(values.max() - values.min()) or 1.0
    space_end_labels(fig, span)
    frame_again(fig)
    extra = (
        valued.rename(columns={"area_name": "area"})
        .assign(approximate=False, qualifier=None)
        .reindex(columns=list(chart.table.columns))
    )
    chart.table = pd.concat([chart.table, extra], ignore_index=True)


def series_name(label: str, service_area: object) -> str:
    """A monthly line's name: the measure, and its service area if any."""
    return f"{label}: {service_area}" if isinstance(service_area, str) else label


def _revision_text(revision: int, previous: float) -> str:
    """What a point's hover says of its revisions."""
    if revision > 1 and pd.notna(previous):
        return f"revised from {fmt(previous, 2)} (revision {revision})"
    return "as first returned"


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
        series_name(lbl, sa)
        for lbl, sa in zip(points.metric_label, points.service_area)
    ]
    points["source"] = [
        f"{t}, row {r}" for t, r in zip(points.source_title, points.source_row)
    ]
    points["revised"] = points.revision > 1
    points["revision_text"] = [
        _revision_text(r, p) for r, p in zip(points.revision, points.previous_value)
    ]
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
                hovertemplate=hover(unit),
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
    finish(fig, title, subtitle, source, official=False, legend=True)
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
