"""A chart laid out again for the width a browser gives it.

Charts are built for the desktop width, the layout the PNG and SVG downloads, the
board pack and presentation mode keep. Below that width Plotly would shrink the plot
and let text run off the edge, since it neither wraps text nor moves labels. So for
a narrower width the figure is laid out again here: the title, subtitle and source
wrap to the width, the labels at the ends of lines give way to a legend under the
plot, long tick labels and notes wrap, and date ticks thin out.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import math

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from charts.frame import (
    DEADLINE,
    END_LABEL,
    FOOTER,
    Chart,
    Narrow,
    frame_of,
    legend_names,
)
from charts.text import lines_of, text_width, widest, wrap_html, wrap_px

DESKTOP = 900  # px: charts at least this wide keep the layout they were built with
STEP = 20  # px: widths are rounded down to this, so a chart is laid out once a step
SMALLEST = 280  # px: the narrowest layout (320 px screens less the page's padding)
PAD = 10  # px between the chart's edge and its text
TITLE, SUBTITLE, FOOT, TICK, LEGEND = 16, 12, 11, 12, 12  # type sizes in px
LINE = 1.3  # line height, in ems


def layout_width(width: float | None) -> int | None:
    """The width to lay a chart out for: None (desktop) at or above DESKTOP or when
    unknown, else the width rounded down to a step."""
    if width is None or width >= DESKTOP:
        return None
    return max(SMALLEST, int(width) // STEP * STEP)


def for_width(chart: Chart, width: int | None) -> Chart:
    """The chart laid out for ``width`` px (the chart itself at the desktop width)."""
    if width is None or width >= DESKTOP:
        return chart
    fig = go.Figure(chart.fig)
    _drop_end_labels(fig)
    fig.update_layout(font_size=TICK)
    if chart.narrow is not None:
        chart.narrow(fig, Narrow(width, left=_left(fig)))
    _wrap_y_ticks(fig, width)
    narrow = Narrow(width, left=_left(fig))
    _wrap_x_categories(fig, narrow)
    _wrap_point_labels(fig, narrow)
    _wrap_annotations(fig, narrow)
    _thin_ticks(fig, narrow)
    _frame(fig, narrow)
    fig.layout.meta = {**fig.layout.meta, "width": width}  # what it was laid out for
    return dataclasses.replace(chart, fig=fig, cache_key=None)


def _drop_end_labels(fig: go.Figure) -> None:
    """Line-end labels need room beside the plot that a narrow chart lacks; the legend
    names the lines instead."""
    fig.data = [t for t in fig.data if t.meta != END_LABEL]
    fig.layout.annotations = [a for a in fig.layout.annotations if a.name != END_LABEL]


def _numbers(values) -> np.ndarray:
    try:
        array = np.asarray(values, dtype=float)
    except (TypeError, ValueError):
        return np.array([])
    return array[np.isfinite(array)]


def _left(fig: go.Figure) -> int:
    """An estimate of the left margin the y axis needs: its tick labels and title."""
    axis = fig.layout.yaxis
    if axis.showticklabels is False:
        labels: list[str] = []
    elif axis.ticktext:
        labels = [line for t in axis.ticktext for line in str(t).split("<br>")]
    else:
        ys = [t.y for t in fig.data if t.y is not None and t.meta != END_LABEL]
        strings = [str(v) for y in ys for v in y if isinstance(v, str)]
        if strings:
            labels = [line for s in strings for line in s.split("<br>")]
        else:
            numbers = np.concatenate([_numbers(y) for y in ys] or [np.array([])])
            top = float(np.abs(numbers).max()) if len(numbers) else 100.0
            if axis.range is not None:
                top = max(top, *(abs(float(v)) for v in axis.range))
            digits = "0.00" if top < 10 else str(int(top) if top < 10_000 else "100k")
            labels = [("-" if (numbers < 0).any() else "") + digits + "0"]
    title = 24 if axis.title.text else 0
    return int(widest(labels, TICK) + title + 16)


def _wrap_y_ticks(fig: go.Figure, width: int) -> None:
    """Worded y tick labels (grades, teams) wrapped to a third of the width at most."""
    axis = fig.layout.yaxis
    room = width * 0.3
    if axis.ticktext:
        axis.ticktext = [wrap_html(t, room, TICK) for t in axis.ticktext]
        return
    categories = _categories(fig, "y")
    if categories and axis.showticklabels is not False:
        wrapped = [wrap_html(c, room, TICK) for c in categories]
        if wrapped != categories:
            axis.update(tickvals=categories, ticktext=wrapped)


def _categories(fig: go.Figure, letter: str) -> list[str]:
    """The text categories the traces place along an axis, in order of appearance."""
    seen: dict[str, None] = {}
    for trace in fig.data:
        values = getattr(trace, letter)
        if trace.meta == END_LABEL or values is None:
            continue
        for v in values:
            if isinstance(v, str):
                seen.setdefault(v, None)
    return list(seen)


def _wrap_x_categories(fig: go.Figure, narrow: Narrow) -> None:
    """Text categories along the x axis wrapped to the room each one has."""
    axis = fig.layout.xaxis
    categories = _categories(fig, "x")
    if not categories or axis.showticklabels is False or axis.tickvals is not None:
        return
    room = max(40, narrow.plot / len(categories) - 8)
    wrapped = [wrap_html(c, room, TICK) for c in categories]
    if wrapped != categories:
        axis.update(tickvals=categories, ticktext=wrapped, tickangle=0)


def _wrap_point_labels(fig: go.Figure, narrow: Narrow) -> None:
    """Labels above or below points (e.g. grades) wrapped, and turned inwards near
    either end of the axis so they stay inside the chart."""
    xs = [
        x
        for t in fig.data
        if t.x is not None and t.meta != END_LABEL
        for x in t.x
        if x is not None
    ]
    if not xs or not _is_dates(fig):
        return
    low, high = min(map(_stamp, xs)), max(map(_stamp, xs))
    if fig.layout.xaxis.range is not None:
        low, high = (_stamp(v) for v in fig.layout.xaxis.range)
    for trace in fig.data:
        position = trace.textposition
        if (
            trace.meta == END_LABEL
            or trace.text is None
            or not isinstance(position, str)
        ):
            continue
        if not position.endswith("center") or position == "middle center":
            continue
        size = trace.textfont.size or TICK
        trace.text = [wrap_html(t, 110, size) for t in trace.text]
        places = []
        for x in trace.x:
            share = (_stamp(x) - low) / ((high - low) or 1)
            side = "right" if share < 0.25 else "left" if share > 0.75 else "center"
            places.append(f"{position.split()[0]} {side}")
        trace.textposition = places


def _stamp(value) -> float:
    """A date as a number (seconds), for comparing positions along an axis."""
    return pd.Timestamp(value).timestamp()


def _wrap_annotations(fig: go.Figure, narrow: Narrow) -> None:
    """Notes on the plot (the Trust period, deadlines) wrapped to a share of it, the
    deadlines stacked from the top so their wrapped lines do not overlap."""
    room = max(110, min(0.5 * narrow.plot, 220))
    plot = _plot_height(fig, narrow)
    below = 4.0  # px from the top of the plot
    for note in fig.layout.annotations:
        if note.xref == "paper" or note.text is None:
            continue  # placed in px by their chart (the source, rows' labels)
        size = note.font.size or TICK
        if text_width(note.text, size) > room or "<br>" in note.text:
            note.text = wrap_html(note.text, room, size)
        if note.name == DEADLINE:
            note.update(y=1 - below / plot, yanchor="top")
            below += lines_of(note.text) * size * LINE + 6


def _plot_height(fig: go.Figure, narrow: Narrow) -> int:
    """The plot area's height in a narrow layout."""
    frame = frame_of(fig)
    return frame.get("narrow_plot") or min(
        frame["height"] - 200, max(220, int(0.75 * narrow.width))
    )


def _is_dates(fig: go.Figure) -> bool:
    if fig.layout.xaxis.type == "date":
        return True
    for trace in fig.data:
        if trace.x is not None and len(trace.x):
            first = trace.x[0]
            return isinstance(first, dt.date | np.datetime64)
    return False


def _thin_ticks(fig: go.Figure, narrow: Narrow) -> None:
    """At most one date tick label per 70 px, so that labels never overlap."""
    most = max(2, narrow.plot // 70)
    axis = fig.layout.xaxis
    if axis.tickvals is not None and len(axis.tickvals) > most:
        step = math.ceil(len(axis.tickvals) / most)
        axis.tickvals = axis.tickvals[::step]
        if axis.ticktext is not None:
            axis.ticktext = axis.ticktext[::step]
    elif axis.tickvals is None and _is_dates(fig):
        axis.nticks = most


def _frame(fig: go.Figure, narrow: Narrow) -> None:
    """Title, subtitle, legend and source laid out for the width, the plot between."""
    frame = frame_of(fig)
    width = narrow.width
    text = width - 2 * PAD
    title = wrap_px(frame["title"], text, TITLE, bold=True)
    subtitle = wrap_px(frame["subtitle"], text, SUBTITLE)
    footer = [line for part in frame["footer"] for line in wrap_px(part, text, FOOT)]
    legend = 0
    if frame["legend"]:
        shown = set(legend_names(fig))
        for trace in fig.data:
            if trace.name in shown and trace.showlegend is not False:
                trace.name = wrap_html(trace.name, narrow.plot - 50, LEGEND)
        legend = sum(
            math.ceil(lines_of(n) * LEGEND * LINE) + 6 for n in legend_names(fig)
        )
    top = math.ceil(
        PAD
        + 18
        # Plotly spaces every line of the title, the subtitle's too, by the title's
        # type (set to TITLE below).
        + (len(title) + len(subtitle)) * TITLE * LINE
        + 14
        + frame.get("band", 0)
    )
    foot = math.ceil(len(footer) * FOOT * LINE) + 6
    xaxis = fig.layout.xaxis
    tick_lines = max((lines_of(t) for t in xaxis.ticktext or ()), default=1)
    ticks = (
        10 + math.ceil(tick_lines * TICK * LINE)
        if xaxis.showticklabels is not False
        else 4
    )
    axis_title = 0
    if xaxis.title.text:
        xaxis.title.text = wrap_html(xaxis.title.text, narrow.plot, TICK)
        axis_title = 20 + math.ceil(lines_of(xaxis.title.text) * TICK * LINE)
    bottom = ticks + axis_title + (legend + 12 if legend else 0) + foot + 8
    plot = _plot_height(fig, narrow)
    height = top + plot + bottom
    # Under the plot, from its left edge: a legend in the left margin would widen it.
    below = ticks + axis_title + 6
    fig.update_layout(
        height=height,
        margin={"t": top, "b": bottom, "l": narrow.left, "r": narrow.right},
        title={
            "text": f"<b style='font-size:{TITLE}px'>"
            + "<br>".join(title)
            + f"</b><br><span style='font-size:{SUBTITLE}px'>"
            + "<br>".join(subtitle)
            + "</span>",
            "x": PAD / width,
            "pad": {"t": PAD + 12},
            "font": {"size": TITLE},
        },
        showlegend=bool(legend),
        legend={
            "orientation": "v",
            "x": 0,
            "xanchor": "left",
            "y": -below / plot,
            "yanchor": "top",
            "font": {"size": LEGEND},
            "tracegroupgap": 0,
        },
    )
    for note in fig.layout.annotations:
        if note.name == FOOTER:
            note.update(
                text=f"<span style='font-size:{FOOT}px'>"
                + "<br>".join(footer)
                + "</span>",
                xshift=PAD - narrow.left,
                yanchor="bottom",
                yshift=8 - bottom,
            )
