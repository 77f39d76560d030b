"""The framed chart: a figure with its message title, subtitle, source line, alt text
and table, and the marks a time axis shares (Trust period, deadlines, end labels)."""

from __future__ import annotations

import textwrap
from dataclasses import dataclass, field

import pandas as pd
import plotly.graph_objects as go

from charts.style import PALETTE, TEMPLATE, TEXT, TRUST_FILL
from metrics.config import OGL_ATTRIBUTION

OBSERVATION_COLUMNS = [
    "period_label",
    "period_end",
    "value",
    "approximate",
    "qualifier",
    "source_title",
    "locator",
    "note",
]


@dataclass
class Chart:
    """A figure with what makes it stand alone: message title, source, alt, table."""

    fig: go.Figure
    title: str
    subtitle: str
    source: str
    alt: str
    table: pd.DataFrame
    slug: str
    notes: list[str] = field(default_factory=list)
    # Set when the chart is built once and shared (the dashboard's chart cache): the
    # builder and arguments that determine it, so its display can be cached too.
    cache_key: tuple | None = None


def source_line(sources: list[str], as_at: str | None) -> str:
    """'Source: A; B. As at DATE.' plus the OGL line."""
    text = "Source: " + "; ".join(dict.fromkeys(s for s in sources if s)) + "."
    if as_at:
        text += f" As at {as_at}."
    return text


FOOTER_CHARS = 110  # characters per source line (11 px type, about 6 px a character)


def wrap(text: str, width: int) -> list[str]:
    """Split text into lines of at most ``width`` characters (Plotly does not wrap)."""
    return textwrap.wrap(text, width, break_long_words=False) or [""]


def finish(
    fig: go.Figure,
    title: str,
    subtitle: str,
    source: str,
    *,
    official: bool = True,
    height: int = 520,
    legend: bool = False,
) -> go.Figure:
    """Put the message title, subtitle and source inside the figure, sized to fit."""
    title_lines = wrap(title, 78)
    subtitle_lines = wrap(subtitle, 120)
    # The footer starts at the plot area's left edge, so it must fit the plot area,
    # which long y-axis labels (e.g. the grade chart's) narrow to about 650 px.
    footer_lines = wrap(source, FOOTER_CHARS) + (
        wrap(OGL_ATTRIBUTION, FOOTER_CHARS) if official else []
    )
    top = 24 + 24 * len(title_lines) + 18 * len(subtitle_lines) + (34 if legend else 8)
    axis_title = 26 if fig.layout.xaxis.title.text else 0
    bottom = 60 + axis_title + 18 * len(footer_lines)
    fig.update_layout(
        template=TEMPLATE,
        height=height + top + bottom - 200,
        margin={"t": top, "b": bottom},
        title={
            "text": "<b>"
            + "<br>".join(title_lines)
            + "</b><br><span style='font-size:13px'>"
            + "<br>".join(subtitle_lines)
            + "</span>",
            "x": 0.01,
            "xanchor": "left",
            "xref": "container",
            "y": 1,
            "yanchor": "top",
            "yref": "container",
            "pad": {"t": 14},
        },
        showlegend=legend,
        legend={
            "orientation": "h",
            "x": 0,
            "y": 1.0,
            "yanchor": "bottom",
            "xanchor": "left",
        },
    )
    fig.add_annotation(
        text="<span style='font-size:11px'>" + "<br>".join(footer_lines) + "</span>",
        xref="paper",
        yref="paper",
        x=0,
        y=0,
        yshift=-44 - axis_title,
        showarrow=False,
        xanchor="left",
        yanchor="top",
        align="left",
    )
    return fig


def spread(values: list[float], gap: float) -> list[float]:
    """Nudge label positions apart so no two are closer than ``gap``."""
    order = sorted(range(len(values)), key=lambda i: values[i])
    placed = list(values)
    for a, b in zip(order, order[1:]):
        if placed[b] - placed[a] < gap:
            placed[b] = placed[a] + gap
    return placed


def add_trust_period(
    fig: go.Figure, period: tuple[pd.Timestamp, pd.Timestamp] | None
) -> None:
    """Shade and label the Trust's period on a time axis."""
    if period is None:
        return
    start, end = period
    fig.add_vrect(x0=start, x1=end, fillcolor=TRUST_FILL, line_width=0, layer="below")
    fig.add_annotation(
        x=start + (end - start) / 2,
        y=0.02,
        yref="paper",
        yanchor="bottom",
        text=f"Trust runs services ({start:%d %b %Y} – {end:%d %b %Y})",
        showarrow=False,
        font={"size": 11, "color": TEXT},
    )


def add_deadlines(fig: go.Figure, targets: pd.DataFrame) -> None:
    """Draw each contract deadline as a labelled vertical line."""
    for i, t in enumerate(targets.itertuples()):
        when = pd.Timestamp(t.deadline)
        fig.add_vline(x=when, line_color=PALETTE[2], line_dash="dash", line_width=1.5)
        fig.add_annotation(
            x=when,
            y=0.93 - 0.09 * i,
            yref="paper",
            xanchor="left",
            text=f"Target: {t.grade.lower()} by {when:%b %Y}",
            showarrow=False,
            font={"size": 11, "color": PALETTE[2]},
            bgcolor="rgba(255,255,255,0.85)",
        )


def hover(unit: str) -> str:
    """The hover text of a line's point: series, period, value, source and place."""
    return (
        "<b>%{fullData.name}</b><br>%{customdata[0]}: %{y:,.4~f} "
        + unit
        + "<br>%{customdata[1]}<br><i>%{customdata[2]}</i><extra></extra>"
    )
