"""The framed chart: a figure with its message title, subtitle, source line, alt text
and table, and the marks a time axis shares (Trust period, deadlines, end labels)."""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field

import pandas as pd
import plotly.graph_objects as go

from charts.style import PALETTE, TEMPLATE, TEXT, TRUST_FILL
from charts.text import line_height, text_width, wrap_px
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
    # Lays out this kind of chart's own marks (long tick labels, labels beside
    # points) for a narrow width; charts.reflow does what every chart shares.
    narrow: Callable[[go.Figure, Narrow], None] | None = None
    # Set when the chart is built once and shared (the dashboard's chart cache): the
    # builder and arguments that determine it, so its display can be cached too.
    cache_key: tuple | None = None
    # The date its figures are as at, as the source line gives it ("18 Mar 2025"),
    # set by whoever writes the source line; None where the line gives no date.
    as_at: str | None = None


@dataclass(frozen=True)
class Narrow:
    """The width a chart is laid out for below the desktop width, and its margins."""

    width: int
    left: int = 60
    right: int = 12

    @property
    def plot(self) -> int:
        """The plot area's width in px."""
        return self.width - self.left - self.right


def source_line(sources: list[str], as_at: str | None) -> str:
    """'Source: A; B. As at DATE.' plus the OGL line."""
    text = "Source: " + "; ".join(dict.fromkeys(s for s in sources if s)) + "."
    if as_at:
        text += f" As at {as_at}."
    return text


# The desktop layout's text measures in px (charts.text estimates widths): the
# title's 17 px bold and the subtitle's 13 px type across most of the 900 px or more
# a desktop chart has; the source's 11 px type within the plot area, which long
# y-axis labels (e.g. the grade chart's) narrow to about 650 px.
TITLE_PX, SUBTITLE_PX, FOOTER_PX = 700, 730, 560
SUBTITLE_SIZE, FOOTER_SIZE = 13, 11  # px: the subtitle's and the source's type
FOOTER = "footer"  # names the source line's annotation
END_LABEL = "end-label"  # names the text marks that label lines at their ends
TRUST = "trust-period"  # names the Trust period's label
DEADLINE = "deadline"  # names a contract deadline's label
LEGEND_WIDTH = 860  # px a desktop legend's entries share at most
# px: the narrowest the desktop layout is drawn at: the board pack's pictures (reports
# .export.WIDTH); on screen, charts below 900 px are laid out again (charts.reflow)
DESKTOP_WIDTH = 800
Y_AXIS_PX = 70  # px: a y axis's tick labels and title, left of the plot
TITLE_SIZE = 17  # px: Plotly's title size for the template's 14 px type, rounded


def legend_names(fig: go.Figure) -> list[str]:
    """The names a figure's legend lists, in order (one per legend group)."""
    names, groups = [], set()
    for trace in fig.data:
        if trace.showlegend is False or not trace.name:
            continue
        if trace.legendgroup:
            if trace.legendgroup in groups:
                continue
            groups.add(trace.legendgroup)
        names.append(trace.name)
    return names


def desktop_plot_width(fig: go.Figure) -> float:
    """The plot area's width in px in the narrowest desktop chart: what the desktop
    layout places its text in."""
    margin = fig.layout.margin
    right = margin.r if margin.r is not None else 20
    left = (margin.l if margin.l is not None else 20) + Y_AXIS_PX
    return DESKTOP_WIDTH - left - right


def reserve_band(fig: go.Figure, px: float) -> None:
    """Keep ``px`` free between the subtitle (or legend) and the plot for the labels
    a chart draws just above its plot; the frame adds it to the top margin."""
    meta = dict(fig.layout.meta)
    meta["frame"] = {**meta["frame"], "band": px}
    fig.layout.meta = meta


def add_footnote(fig: go.Figure, text: str) -> None:
    """Print ``text`` under the chart, before its source line (a label with no room
    on the plot goes here); the next frame drawn, desktop or narrow, includes it."""
    meta = dict(fig.layout.meta)
    frame = meta["frame"]
    meta["frame"] = {**frame, "footer": [text, *frame["footer"]]}
    fig.layout.meta = meta


def legend_width(fig: go.Figure) -> float:
    """The px a desktop legend's entries share: Plotly wraps a legend above the plot
    at the plot area's width, which is narrowest in the narrowest desktop chart and
    narrower still where labels at line ends widen the right margin."""
    return min(LEGEND_WIDTH, desktop_plot_width(fig))


def legend_band(fig: go.Figure) -> int:
    """The px a desktop legend over the plot takes: its rows at the plot's width."""
    return 34 + 24 * (legend_rows(legend_names(fig), legend_width(fig)) - 1)


def legend_rows(names: list[str], width: float, size: float = 14) -> int:
    """Rows a horizontal legend of these names takes in ``width`` px."""
    rows, used = 1, 0.0
    for name in names:
        entry = 50 + text_width(name, size)  # symbol, gaps and text
        if used and used + entry > width:
            rows, used = rows + 1, 0.0
        used += entry
    return rows


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
    """Put the message title, subtitle and source inside the figure, sized to fit the
    desktop width; charts.reflow lays it out again for narrower ones."""
    footer = [source, OGL_ATTRIBUTION] if official else [source]
    # Kept in the figure so the frame can be drawn again after more lines are added,
    # or for another width.
    frame = {
        "title": title,
        "subtitle": subtitle,
        "footer": footer,
        "height": height,
        "legend": legend,
    }
    fig.update_layout(meta={"frame": frame})
    return frame_again(fig)


def frame_of(fig: go.Figure) -> dict:
    """What finish() was given: title, subtitle, footer paragraphs, height, legend."""
    return fig.layout.meta["frame"]


def frame_again(fig: go.Figure) -> go.Figure:
    """Draw (or redraw) the frame finish() recorded, for the desktop width: the legend
    may have gained entries since."""
    frame = frame_of(fig)
    legend = frame["legend"]
    title_lines = wrap_px(frame["title"], TITLE_PX, TITLE_SIZE, bold=True)
    subtitle_lines = wrap_px(frame["subtitle"], SUBTITLE_PX, SUBTITLE_SIZE)
    # The footer starts at the plot area's left edge, so it must fit the plot area.
    footer_lines = [
        line
        for part in frame["footer"]
        for line in wrap_px(part, FOOTER_PX, FOOTER_SIZE)
    ]
    top = (
        28
        # Plotly spaces every line of the title, the subtitle's smaller ones too, by
        # the title's type: 1.3 em of TITLE_SIZE.
        + math.ceil(line_height(TITLE_SIZE)) * (len(title_lines) + len(subtitle_lines))
        + (legend_band(fig) if legend else 8)
        + math.ceil(frame.get("band", 0))
    )
    axis_title = 26 if fig.layout.xaxis.title.text else 0
    bottom = 60 + axis_title + 18 * len(footer_lines)
    fig.update_layout(
        template=TEMPLATE,
        height=frame["height"] + top + bottom - 200,
        margin={"t": top, "b": bottom},
        title={
            "text": "<b>"
            + "<br>".join(title_lines)
            + f"</b><br><span style='font-size:{SUBTITLE_SIZE}px'>"
            + "<br>".join(subtitle_lines)
            + "</span>",
            "x": 0.01,
            "xanchor": "left",
            "xref": "container",
            "y": 1,
            "yanchor": "top",
            "yref": "container",
            "pad": {"t": 18},
            "font": {"size": TITLE_SIZE},
        },
        showlegend=legend,
        legend={
            "orientation": "h",
            "x": 0,
            # Above the band, where a chart keeps one for labels over its plot.
            "y": 1.0 + frame.get("band", 0) / (frame["height"] - 200),
            "yanchor": "bottom",
            "xanchor": "left",
        },
    )
    fig.layout.annotations = [a for a in fig.layout.annotations if a.name != FOOTER]
    fig.add_annotation(
        text=f"<span style='font-size:{FOOTER_SIZE}px'>"
        + "<br>".join(footer_lines)
        + "</span>",
        xref="paper",
        yref="paper",
        x=0,
        y=0,
        yshift=-44 - axis_title,
        showarrow=False,
        xanchor="left",
        yanchor="top",
        align="left",
        name=FOOTER,
    )
    return fig


def set_y_axis(fig: go.Figure, choice: str) -> go.Figure:
    """Start the y axis at zero ("zero") or fit it to the data ("fitted"); any other
    choice leaves the chart's own default. Labels at line ends are spaced for the
    axis's new span."""
    if choice not in ("zero", "fitted"):
        return fig
    fig.update_yaxes(rangemode="tozero" if choice == "zero" else "normal")
    values = [
        float(v)
        for t in fig.data
        if t.meta != END_LABEL and t.y is not None
        for v in t.y
        if isinstance(v, int | float) and v == v
    ]
    if values:
        low, high = min(values), max(values)
        if choice == "zero":
            low, high = min(low, 0.0), max(high, 0.0)
        space_end_labels(fig, (high - low) or 1.0)
    return fig


def end_labels(fig: go.Figure) -> list:
    """The text marks beside the ends of lines (END_LABEL, to the right of a point)."""
    return [
        t for t in fig.data if t.meta == END_LABEL and t.textposition == "middle right"
    ]


# px: the plot area's height in the desktop layout of a chart of finish()'s default
# height (its top and bottom margins are added to the height given).
PLOT_HEIGHT = 320


def label_gap(span: float, size: float, plot: float = PLOT_HEIGHT) -> float:
    """The distance in y's units that keeps two labels of ``size`` px type from
    touching, on an axis of ``span`` units drawn ``plot`` px high: a label's measured
    height and 3 px."""
    return span * (line_height(size) + 3) / plot


def space_end_labels(fig: go.Figure, span: float) -> None:
    """Nudge line-end labels apart by their measured height, so none overlap."""
    labels = end_labels(fig)
    size = max((t.textfont.size or 12 for t in labels), default=12)
    frame = (fig.layout.meta or {}).get("frame", {})
    gap = label_gap(span, size, frame.get("height", PLOT_HEIGHT + 200) - 200)
    for label, y in zip(labels, spread([t.y[0] for t in labels], gap)):
        label.y = [y]


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
        name=TRUST,
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
            name=DEADLINE,
        )


def hover(unit: str) -> str:
    """The hover text of a line's point: series, period, value, source and place."""
    return (
        "<b>%{fullData.name}</b><br>%{customdata[0]}: %{y:,.4~f} "
        + unit
        + "<br>%{customdata[1]}<br><i>%{customdata[2]}</i><extra></extra>"
    )


def line_label(
    x,
    y: float,
    name: str,
    text: str,
    colour: str,
    size: int,
    position: str = "middle right",
) -> go.Scatter:
    """A text mark labelling the line ``name``: in the line's legend group, so that
    hiding the line from the legend hides its label too, and marked END_LABEL, so
    that a narrow layout can drop it for the legend."""
    return go.Scatter(
        x=[x],
        y=[y],
        mode="text",
        name=name,
        text=[text],
        textposition=position,
        textfont={"color": colour, "size": size},
        legendgroup=name,
        showlegend=False,
        hoverinfo="skip",
        cliponaxis=False,
        meta=END_LABEL,
    )
