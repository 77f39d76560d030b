"""Where text will fall on a desktop chart's plot, in px, before Plotly draws it:
for placing labels where they meet no other text."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from charts.frame import END_LABEL
from charts.text import Box, line_height, text_width


class PxScale:
    """Where data values fall in px on a desktop chart's plot area (``width`` px of
    plot, the plot's height from the frame): for placing labels before Plotly draws
    them. The y axis spans the figure's values (Plotly's own range pads a little)."""

    def __init__(self, fig: go.Figure, width: float):
        self.width = width
        self.height = (fig.layout.meta or {}).get("frame", {}).get("height", 520) - 200
        xs, ys = [], []
        for t in fig.data:
            if t.meta == END_LABEL or t.x is None or t.y is None:
                continue
            for x, y in zip(t.x, t.y):
                if x is None or not isinstance(y, int | float) or y != y:
                    continue
                xs.append(pd.Timestamp(x))
                ys.append(float(y))
        axis = fig.layout.xaxis.range
        low, high = (pd.Timestamp(v) for v in axis) if axis else (min(xs), max(xs))
        self.x0, self.x1 = low, high
        self.y0, self.y1 = (min(ys), max(ys)) if ys else (0.0, 1.0)

    def x(self, value) -> float:
        """A date's distance in px from the plot's left edge."""
        return (pd.Timestamp(value) - self.x0) / ((self.x1 - self.x0) or 1) * self.width

    def y(self, value: float) -> float:
        """A value's distance in px from the plot's top edge."""
        return (self.y1 - float(value)) / ((self.y1 - self.y0) or 1.0) * self.height

    def dy(self, px: float) -> float:
        """A distance of ``px`` px up the plot, in the y axis's units."""
        return px * ((self.y1 - self.y0) or 1.0) / self.height


def text_box(
    scale: PxScale,
    x,
    y: float,
    text: str,
    size: float,
    position: str,
    offset: float = 4,
) -> Box:
    """The box in px of a text mark at (x, y) with Plotly's ``textposition``,
    ``offset`` px clear of its point."""
    bold = "<b>" in text
    lines = [line for line in str(text).split("<br>")]
    width = max(text_width(line, size, bold) for line in lines)
    height = line_height(size, len(lines))
    cx, cy = scale.x(x), scale.y(y)
    vertical, horizontal = position.split()
    left = {"left": cx - offset - width, "right": cx + offset}.get(
        horizontal, cx - width / 2
    )
    top = {"top": cy - offset - height, "bottom": cy + offset}.get(
        vertical, cy - height / 2
    )
    return (left, top, left + width, top + height)


def text_boxes(fig: go.Figure, scale: PxScale, skip: object = None) -> list[Box]:
    """The boxes in px of the text a date chart draws on its plot: text marks (end
    labels, labels beside points) and notes placed at data values; ``skip`` leaves
    one trace out (the one being placed)."""
    boxes = []
    for trace in fig.data:
        if trace is skip or trace.text is None or "text" not in (trace.mode or ""):
            continue
        size = trace.textfont.size or 12
        positions = trace.textposition
        if positions is None or isinstance(positions, str):
            positions = [positions or "middle center"] * len(trace.x)
        for x, y, text, where in zip(trace.x, trace.y, trace.text, positions):
            if text and x is not None and y is not None:
                boxes.append(text_box(scale, x, y, text, size, where))
    for note in fig.layout.annotations:
        if (
            note.xref not in (None, "x")
            or note.yref not in (None, "y")
            or not note.text
        ):
            continue
        size = note.font.size or 14
        lines = str(note.text).split("<br>")
        width = max(text_width(line, size, "<b>" in note.text) for line in lines)
        height = line_height(size, len(lines))
        cx = scale.x(note.x) + (note.xshift or 0)
        cy = scale.y(note.y) - (note.yshift or 0)
        left = {"right": cx - width, "left": cx}.get(note.xanchor, cx - width / 2)
        top = {"bottom": cy - height, "top": cy}.get(note.yanchor, cy - height / 2)
        boxes.append((left, top, left + width, top + height))
    return boxes
