"""The Analysis Function chart style: palette, roles and one registered Plotly template."""

from __future__ import annotations

import plotly.graph_objects as go
import plotly.io as pio

# Analysis Function categorical palette, in order; focus against grey.
PALETTE = ["#12436D", "#28A197", "#801650", "#F46A25", "#3D3D3D", "#A285D1"]
FOCUS = "#12436D"
# AF suggests #BFBFBF for context series; it has 1.8:1 contrast on white, so a
# darker grey that keeps 3:1 against both the background and the focus blue.
CONTEXT = "#949494"
GRID = "#D6D6D6"
TEXT = "#0B0C0C"
BACKGROUND = "#FFFFFF"
TRUST_FILL = "rgba(40, 161, 151, 0.10)"
# Roles of comparator series -> colour, dash.
ROLE_STYLE = {
    "focus": (PALETTE[0], "solid"),
    "england": (PALETTE[4], "dash"),
    "region": (PALETTE[1], "dot"),
    "neighbours": (PALETTE[3], "dashdot"),
}
# Local authorities added to a chart by name: the palette's colours the roles leave,
# each with a dash and a marker of its own so that colour is never the only cue.
ADDED_STYLE = [
    (PALETTE[2], "longdash", "square"),
    (PALETTE[5], "longdashdot", "diamond"),
    (PALETTE[2], "6px,3px,1px,3px", "triangle-up"),
    (PALETTE[5], "1px,4px", "x"),
]
GRADE_COLOUR = {1: PALETTE[1], 2: PALETTE[0], 3: PALETTE[3], 4: PALETTE[2]}
TEMPLATE = "af"
# What a chart's table (and CSV) gives for each plotted observation.


def _register() -> None:
    """Register the template every chart names, so one style serves them all."""
    pio.templates[TEMPLATE] = go.layout.Template(
        layout=go.Layout(
            font={"family": "Arial, Helvetica, sans-serif", "size": 14, "color": TEXT},
            paper_bgcolor=BACKGROUND,
            plot_bgcolor=BACKGROUND,
            colorway=PALETTE,
            xaxis={
                "showgrid": False,
                "linecolor": TEXT,
                "ticks": "outside",
                "zeroline": False,
            },
            yaxis={
                "gridcolor": GRID,
                "zeroline": False,
                "linecolor": TEXT,
                "automargin": True,
            },
            hoverlabel={"bgcolor": BACKGROUND, "font": {"color": TEXT}},
            legend={"orientation": "h", "y": -0.22, "x": 0},
            margin={"t": 110, "b": 120, "l": 20, "r": 20},
        )
    )


_register()
