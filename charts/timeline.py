"""Charts of time as a sequence of events: the Ofsted grade over time and the
improvement timeline."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from charts.frame import (
    DESKTOP_WIDTH,
    Chart,
    Narrow,
    add_deadlines,
    add_trust_period,
    finish,
)
from charts.placement import PxScale
from charts.style import FOCUS, GRADE_COLOUR, GRID, PALETTE, TEXT
from charts.text import line_height, lines_of, text_width, wrap_html
from metrics.date_rules import shown
from metrics.formatting import date_text
from metrics.grades import RANK_LABEL, RANK_SYMBOL

ROW_LABEL = "row-label"  # names a milestone's label in the narrow layout


def grade_steps(
    judgements: pd.DataFrame,
    *,
    title: str,
    subtitle: str,
    source: str,
    alt: str,
    slug: str,
    trust=None,
    targets: pd.DataFrame | None = None,
    until: pd.Timestamp | None = None,
) -> Chart:
    """Overall Ofsted grade over time on the one ordinal scale, as a step line."""
    j = judgements.sort_values("decided_on")
    x = list(pd.to_datetime(j.decided_on))
    y = list(j.grade_rank)
    if until is not None and x:
        x.append(until)
        y.append(y[-1])
    fig = go.Figure()
    fig.add_trace(
        go.Scatter(
            x=x,
            y=y,
            mode="lines",
            line={"shape": "hv", "color": FOCUS, "width": 3},
            hoverinfo="skip",
            name="Grade in force",
        )
    )
    fig.add_trace(
        go.Scatter(
            x=pd.to_datetime(j.decided_on),
            y=j.grade_rank,
            mode="markers+text",
            marker={
                "size": 13,
                "color": [GRADE_COLOUR[r] for r in j.grade_rank],
                "line": {"color": TEXT, "width": 1},
            },
            text=[
                f"{RANK_SYMBOL[r]} {g}" for r, g in zip(j.grade_rank, j.overall_grade)
            ],
            textposition="top center",
            name="Judgement",
            customdata=j[["framework", "inspection_start", "source_title", "locator"]]
            .astype(str)
            .values,
            hovertemplate="<b>%{text}</b><br>%{customdata[0]}, inspected from "
            "%{customdata[1]}<br>%{customdata[2]}<br><i>%{customdata[3]}</i><extra></extra>",
        )
    )
    add_trust_period(fig, trust)
    if targets is not None:
        add_deadlines(fig, targets)
    fig.update_yaxes(
        autorange=False,
        range=[4.6, 0.4],
        tickvals=[1, 2, 3, 4],
        ticktext=[f"{RANK_SYMBOL[r]} {RANK_LABEL[r]}" for r in (1, 2, 3, 4)],
        title="Overall grade",
        rangemode="normal",
    )
    fig.update_layout(xaxis_title="Judgement published")
    finish(fig, title, subtitle, source)
    table = j[
        [
            "decided_on",
            "framework",
            "inspection_type",
            "overall_grade",
            "grade_rank",
            "source_title",
            "locator",
        ]
    ]
    return Chart(fig, title, subtitle, source, alt, table, slug, narrow=_narrow_grades)


def _narrow_grades(fig: go.Figure, narrow: Narrow) -> None:
    """For a narrow width: the grade's words only on the axis, since labels beside
    judgements a few months apart would overlap (hover and the table give each)."""
    for trace in fig.data:
        if trace.mode == "markers+text":
            trace.mode = "markers"


def milestone_timeline(
    milestones: pd.DataFrame,
    *,
    title: str,
    subtitle: str,
    source: str,
    alt: str,
    slug: str,
) -> Chart:
    """The improvement timeline: one row per milestone, earliest at the top; a date
    that was scheduled, inferred or assumed says so beside it, and its note (how the
    date was read) is in the hover and the table."""
    m = milestones.sort_values("milestone_date", kind="stable").reset_index(drop=True)
    m["row"] = [
        f"{lbl} ({', '.join(filter(None, (date_text(d, p), shown(r))))})"
        for lbl, d, p, r in zip(
            m.label, m.milestone_date, m.date_precision, m.date_rule
        )
    ]
    notes = m.note if "note" in m else pd.Series([None] * len(m))
    m["how"] = [
        "<br>" + wrap_html(n, 420, 12) if isinstance(n, str) and n else ""
        for n in notes
    ]
    kinds = list(dict.fromkeys(m.kind))
    symbols = [
        "diamond",
        "circle",
        "square",
        "triangle-up",
        "star",
        "x",
        "cross",
        "hexagon",
    ]
    dates = pd.to_datetime(m.milestone_date)
    middle = dates.min() + (dates.max() - dates.min()) / 2
    fig = go.Figure()
    for i, k in enumerate(kinds):
        part = m[m.kind == k]
        when = pd.to_datetime(part.milestone_date)
        fig.add_trace(
            go.Scatter(
                x=when,
                y=part.row,
                mode="markers+text",
                name=k,
                text=part.row,
                textposition=[
                    "middle right" if d < middle else "middle left" for d in when
                ],
                textfont={"size": 12},
                marker={
                    "size": 11,
                    "color": PALETTE[i % len(PALETTE)],
                    "symbol": symbols[i % len(symbols)],
                },
                customdata=part[["source_title", "locator", "date_rule", "how"]].values,
                hovertemplate="<b>%{y}</b><br>%{customdata[0]}<br>"
                "<i>%{customdata[1]}</i><br>date rule: %{customdata[2]}"
                "%{customdata[3]}<extra></extra>",
            )
        )
    fig.update_yaxes(
        categoryorder="array",
        categoryarray=list(m.row[::-1]),
        showticklabels=False,
        showgrid=False,
        title="",
    )
    fig.update_xaxes(
        showgrid=True,
        gridcolor=GRID,
        range=[
            dates.min() - pd.Timedelta(days=200),
            dates.max() + pd.Timedelta(days=200),
        ],
    )
    lines = place_row_labels(fig)
    finish(
        fig,
        title,
        subtitle,
        source,
        official=False,
        # Each row as tall as its tallest label.
        height=int((28 + line_height(12) * (lines - 1)) * len(m)) + 160,
        legend=True,
    )
    table = m.reindex(
        columns=[
            "milestone_date",
            "date_precision",
            "date_rule",
            "kind",
            "label",
            "note",
            "source_title",
            "locator",
        ]
    )
    return Chart(fig, title, subtitle, source, alt, table, slug, narrow=_narrow_rows)


def place_row_labels(fig: go.Figure, plot: float | None = None) -> int:
    """Put each milestone's label on the side of its marker that has room for it
    in a plot ``plot`` px wide (the narrowest desktop plot), wrapped to the wider
    side where neither has; returns the most lines a label takes."""
    plot = plot or DESKTOP_WIDTH - 40
    scale = PxScale(fig, plot)
    most = 1
    for trace in fig.data:
        texts, places = [], []
        for x, text in zip(trace.x, trace.text):
            centre = scale.x(x)
            right, left = plot + 20 - centre - 12, centre + 20 - 12
            width = text_width(text, 12)
            # The side towards the middle first, as the eye reads across.
            sides = [("middle right", right), ("middle left", left)]
            if centre > plot / 2:
                sides.reverse()
            fits = [side for side in sides if width <= side[1]]
            place, room = fits[0] if fits else max(sides, key=lambda side: side[1])
            if width > room:
                text = wrap_html(text, room, 12)
            most = max(most, lines_of(text))
            texts.append(text)
            places.append(place)
        trace.update(text=texts, textposition=places)
    return most


def _narrow_rows(fig: go.Figure, narrow: Narrow) -> None:
    """For a narrow width: each milestone's label on lines of its own above its
    marker, across the plot's width, the rows as tall as their labels."""
    size, line = 11, 14
    room = narrow.width - 2 * narrow.right - 4
    rows = list(fig.layout.yaxis.categoryarray)[::-1]  # earliest first
    labels = {row: wrap_html(row, room, size) for row in rows}
    place, depth = {}, 0.0
    for row in rows:
        depth += lines_of(labels[row]) * line + 20
        place[row] = -depth + 6
    for trace in fig.data:
        trace.update(
            y=[place[r] for r in trace.y],
            mode="markers",
            hovertemplate=trace.hovertemplate.replace("%{y}", "%{text}"),
        )
    # Added in one go: Plotly checks the whole list on each addition.
    fig.layout.annotations = [
        *fig.layout.annotations,
        *(
            {
                "x": 0,
                "xref": "paper",
                "xshift": narrow.right - narrow.left + 2,
                "y": place[row],
                "yshift": 8,
                "xanchor": "left",
                "yanchor": "bottom",
                "align": "left",
                "text": labels[row],
                "showarrow": False,
                "font": {"size": size, "color": TEXT},
                "name": ROW_LABEL,
            }
            for row in rows
        ),
    ]
    fig.update_yaxes(
        type="linear",
        range=[-depth - 4, 0],
        autorange=False,
        categoryarray=None,
        tickvals=[],
    )
    frame = dict(fig.layout.meta["frame"])
    fig.layout.meta = {"frame": {**frame, "narrow_plot": int(depth) + 4}}
