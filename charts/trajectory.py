"""The improvement plan's chart of one measure: official annual figures, local monthly
figures, the trajectory through its checkpoints, and England and the statistical
neighbours for reference."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from charts.frame import (
    END_LABEL,
    Chart,
    Narrow,
    add_footnote,
    desktop_plot_width,
    finish,
    frame_again,
    hover,
    line_label,
    space_end_labels,
)
from charts.lines import add_local_points
from charts.placement import PxScale, text_box, text_boxes
from charts.style import CONTEXT, PALETTE, ROLE_STYLE, TEXT
from charts.text import first_free, text_width

PLAN_COLOUR = PALETTE[2]  # dark pink: the plan, apart from every series colour
# Checkpoint marker symbols: the status is never told by colour alone.
STATUS_SYMBOL = {
    "met": "circle",
    "on track": "circle",
    "off track": "x",
    "missed": "x",
    "no data": "circle-open",
}


def trajectory_lines(
    official: pd.DataFrame,
    local: pd.DataFrame,
    reference: pd.DataFrame,
    checkpoints: pd.DataFrame,
    baseline: dict | None,
    *,
    area_name: str,
    title: str,
    subtitle: str,
    unit: str,
    source: str,
    alt: str,
    slug: str,
    status_text: dict[str, str],
) -> Chart:
    """A measure against its plan.

    ``official`` and ``local``: the area's figures (period_end, period_label, value,
    source_title, locator, note); ``reference``: England's and the neighbours' mean
    (series, period_end, period_label, value, source_title, locator);
    ``checkpoints``: due, target, direction, status, expected; ``baseline``: value
    and period_end of the trajectory's start, or None.
    """
    fig = go.Figure()
    for name, part in reference.groupby("series", sort=False):
        part = part.sort_values("period_end")
        fig.add_trace(
            go.Scatter(
                x=pd.to_datetime(part.period_end),
                y=part.value,
                name=name,
                mode="lines",
                line={"color": CONTEXT, "width": 1.5, "dash": "dash"},
                legendgroup=name,
                customdata=part[["period_label", "source_title", "locator"]].values,
                hovertemplate=hover(unit),
            )
        )
        last = part.dropna(subset=["value"]).tail(1)
        if len(last):
            when = pd.Timestamp(last.period_end.iloc[0]) + pd.Timedelta(days=30)
            value = float(last.value.iloc[0])
            fig.add_trace(line_label(when, value, name, name, TEXT, 11))
    if not official.empty:
        part = official.sort_values("period_end")
        fig.add_trace(
            go.Scatter(
                x=pd.to_datetime(part.period_end),
                y=part.value,
                name=f"{area_name} (official)",
                mode="lines+markers",
                line={"color": ROLE_STYLE["focus"][0], "width": 3.5},
                marker={"size": 8},
                customdata=part[["period_label", "source_title", "locator"]].values,
                hovertemplate=hover(unit),
            )
        )
        last = part.iloc[-1]
        fig.add_annotation(
            x=pd.Timestamp(last.period_end),
            y=float(last.value),
            text=f"<b>{area_name}</b>",
            xanchor="right",
            yanchor="bottom",
            yshift=8,
            showarrow=False,
            font={"color": ROLE_STYLE["focus"][0], "size": 12},
            # The legend names the area's line where a narrow chart has no room.
            name=END_LABEL,
        )
    points = checkpoints.sort_values("due")
    xs = [pd.Timestamp(d) for d in points.due]
    ys = list(points.target)
    if baseline and baseline.get("value") is not None and baseline.get("period_end"):
        xs = [pd.Timestamp(baseline["period_end"]), *xs]
        ys = [float(baseline["value"]), *ys]
    fig.add_trace(
        go.Scatter(
            x=xs,
            y=ys,
            name="Trajectory (improvement plan)",
            mode="lines",
            line={"color": PLAN_COLOUR, "width": 2, "dash": "dash"},
            hoverinfo="skip",
        )
    )
    fig.add_annotation(
        x=xs[0],
        y=ys[0],
        text="plan",
        xanchor="right",
        yanchor="top",
        xshift=-6,
        yshift=-6,
        showarrow=False,
        font={"color": PLAN_COLOUR, "size": 11},
    )
    fig.add_trace(
        go.Scatter(
            x=pd.to_datetime(points.due),
            y=points.target,
            name="Checkpoint",
            mode="markers+text",
            marker={
                "size": 13,
                "color": PLAN_COLOUR,
                "symbol": [STATUS_SYMBOL.get(s, "circle") for s in points.status],
                "line": {"color": PLAN_COLOUR, "width": 2},
            },
            text=[
                f"{d:%b %Y}: {status_text.get(s, s)}"
                for d, s in zip(pd.to_datetime(points.due), points.status)
            ],
            textposition="top center",
            textfont={"color": PLAN_COLOUR, "size": CHECKPOINT_SIZE},
            cliponaxis=False,
            customdata=points[["direction", "status"]].values,
            hovertemplate="<b>Checkpoint %{x|%b %Y}</b><br>target %{customdata[0]} "
            "%{y:,.4~f} " + unit + "<br>%{customdata[1]}<extra></extra>",
            meta=CHECKPOINTS,
        )
    )
    dates = pd.to_datetime(
        pd.concat([official.period_end, local.period_end, points.due])
    )
    label_room = max(
        (text_width(str(n), 11) for n in reference.series.unique()), default=0
    )
    fig.update_layout(yaxis_title=unit, margin={"r": 40 + int(label_room)})
    fig.update_xaxes(
        range=[
            dates.min() - pd.Timedelta(days=120),
            dates.max() + pd.Timedelta(days=90),
        ]
    )
    finish(fig, title, subtitle, source, legend=True)
    values = pd.concat(
        [official.value, local.value, reference.value, points.target]
    ).dropna()
    if len(values):
        space_end_labels(fig, float(values.max() - values.min()) or 1.0)
    place_checkpoint_labels(fig, desktop_plot_width(fig))
    frame_again(fig)
    table = pd.concat(
        [
            official.assign(series=f"{area_name} (official)"),
            reference,
            points.assign(
                series="Checkpoint (improvement plan)",
                period_end=points.due,
                period_label=[f"due {d:%b %Y}" for d in pd.to_datetime(points.due)],
                value=points.target,
                source_title="targets file",
                locator=[f"{d} {s}" for d, s in zip(points.direction, points.status)],
            ),
        ],
        ignore_index=True,
    )[["series", "period_label", "period_end", "value", "source_title", "locator"]]
    chart = Chart(fig, title, subtitle, source, alt, table, slug)
    chart.narrow = _narrow_checkpoints
    return add_local_points(chart, local, area_name, unit)


CHECKPOINTS = "checkpoints"  # names the trace of the plan's checkpoints
CHECKPOINT_SIZE = 11  # px
SIDES = ("top center", "bottom center")
CHECKPOINT_NOTE = "Checkpoints: "  # starts the line under a chart that lists them  # a label's first and second choice


def place_checkpoint_labels(fig: go.Figure, plot: float) -> list[int | None]:
    """Label each checkpoint above its marker, or below where that would meet other
    text (another checkpoint's label, the plan's label, the area's, a line's end
    label) or leave the plot, each measured in px on a plot ``plot`` px wide; a label
    with room on neither side is left off the plot and printed under the chart.
    Returns each label's side (an index of SIDES, or None)."""
    trace = next(t for t in fig.data if t.meta == CHECKPOINTS)
    # Kept whole (for placing again, and for a narrow layout, which prints them all
    # under the chart).
    meta = dict(fig.layout.meta)
    texts = list(meta["frame"].get("checkpoints") or trace.text)
    footer = [p for p in meta["frame"]["footer"] if not p.startswith(CHECKPOINT_NOTE)]
    meta["frame"] = {**meta["frame"], "checkpoints": texts, "footer": footer}
    fig.layout.meta = meta
    scale = PxScale(fig, plot)
    taken = text_boxes(fig, scale, skip=trace)
    # Inside the plot, or in the right margin the end labels have (never in the
    # legend's band above the plot).
    plot_box = (0.0, 0.0, plot + (fig.layout.margin.r or 0), float(scale.height))
    sides: list[int | None] = []
    # Marker radius and a little: Plotly sets text this far from a marker's centre.
    offset = 8
    for x, y, text in zip(trace.x, trace.y, texts):
        candidates = [
            text_box(scale, x, y, text, CHECKPOINT_SIZE, side, offset) for side in SIDES
        ]
        side = first_free(candidates, taken, gap=3, within=plot_box)
        if side is not None:
            taken.append(candidates[side])
        sides.append(side)
    trace.textposition = [SIDES[s] if s is not None else SIDES[0] for s in sides]
    trace.text = [t if s is not None else "" for t, s in zip(texts, sides)]
    left_off = [t for t, s in zip(texts, sides) if s is None]
    if left_off:
        add_footnote(fig, CHECKPOINT_NOTE + "; ".join(left_off) + ".")
    return sides


def _narrow_checkpoints(fig: go.Figure, narrow: Narrow) -> None:
    """A narrow chart has no room for the checkpoints' labels beside the title, the
    plan's label and the lines: they are printed under it, the markers' symbols
    still telling each status."""
    trace = next(t for t in fig.data if t.meta == CHECKPOINTS)
    frame = fig.layout.meta["frame"]
    texts = list(frame.get("checkpoints", ()))
    # The desktop layout may have printed some already.
    footer = [p for p in frame["footer"] if not p.startswith(CHECKPOINT_NOTE)]
    fig.layout.meta = {**fig.layout.meta, "frame": {**frame, "footer": footer}}
    trace.text = None
    trace.mode = "markers"
    if texts:
        add_footnote(fig, CHECKPOINT_NOTE + "; ".join(texts) + ".")
