"""Labels placed by collision avoidance: labels at values that collide come out apart
by at least their measured size, labels with no room go under the chart, and the band
over a plot keeps its measured height free. The figures here are SYNTHETIC (made up
in the test to put labels where they collide); tests/browser/test_overlaps.py
measures the real charts in Chromium."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go
import pytest

from charts.bars import BAND, BAND_SIZE, place_bands, ranking_bars
from charts.frame import (
    END_LABEL,
    FOOTER,
    end_labels,
    finish,
    frame_of,
    label_gap,
    legend_names,
    legend_rows,
    legend_width,
    line_label,
    space_end_labels,
)
from charts.placement import PxScale, text_box, text_boxes
from charts.reflow import for_width
from charts.text import boxes_meet, line_height, stack_rows, text_width
from charts.trajectory import (
    CHECKPOINTS,
    SIDES,
    place_checkpoint_labels,
    trajectory_lines,
)

WORDS = {"unit": "%", "source": "Source: test.", "alt": "alt"}  # every chart's


def test_spans_that_meet_go_to_rows_of_their_own():
    spans = [(0, 100), (90, 190), (180, 280), (300, 400)]
    rows = stack_rows(spans, gap=6)
    assert rows == [0, 1, 0, 0]
    for row in set(rows):
        mine = [s for s, r in zip(spans, rows) if r == row]
        for (_, right), (left, _) in zip(mine, mine[1:]):
            assert left - right >= 6


def test_a_span_with_no_room_in_the_rows_allowed_gets_none():
    assert stack_rows([(0, 100), (10, 110), (20, 120)], most=2) == [0, 1, None]


def _lines_meeting(values: dict[str, float], height: int = 520) -> go.Figure:
    """SYNTHETIC: lines that end at ``values``, each labelled at its end."""
    fig = go.Figure()
    when = pd.Timestamp("2025-03-31")
    for name, value in values.items():
        fig.add_trace(go.Scatter(x=[when], y=[value], name=name))
        fig.add_trace(line_label(when, value, name, name, "#0B0C0C", 12))
    return finish(fig, "Title", "Subtitle", "Source: test.", height=height)


@pytest.mark.parametrize("height", [400, 520, 700])
def test_end_labels_where_lines_meet_are_apart_by_their_height(height):
    # Doncaster and England within a hair of each other, a third line just above.
    fig = _lines_meeting(
        {"Doncaster": 50.0, "England": 50.05, "Neighbours' mean": 50.3}, height
    )
    span = 10.0  # the y axis's span in its units
    space_end_labels(fig, span)
    plot = frame_of(fig)["height"] - 200
    ys = sorted(t.y[0] for t in end_labels(fig))
    px = [y / span * plot for y in ys]
    for low, high in zip(px, px[1:]):
        assert high - low >= line_height(12)  # at least a label's height apart
    assert label_gap(span, 12, plot) == pytest.approx(
        span * (line_height(12) + 3) / plot
    )


def test_labels_already_apart_stay_where_their_lines_end():
    fig = _lines_meeting({"Doncaster": 10.0, "England": 90.0})
    space_end_labels(fig, 100.0)
    assert sorted(t.y[0] for t in end_labels(fig)) == [10.0, 90.0]


def _plan(dues: list[str], statuses: list[str]) -> tuple:
    """SYNTHETIC: a measure's figures, England and a plan with checkpoints ``dues``."""
    years = range(2014, 2026)  # twelve years: about 55 px a year on a desktop plot
    official = pd.DataFrame(
        {
            "period_end": pd.to_datetime([f"{y}-03-31" for y in years]),
            "period_label": [str(y) for y in years],
            "value": [40.0 + y - 2014 for y in years],
            "source_title": "test",
            "locator": "test",
            "note": None,
        }
    )
    reference = official.assign(series="England", value=51.0)
    local = official.iloc[0:0]
    checkpoints = pd.DataFrame(
        {
            "due": pd.to_datetime(dues),
            "target": [50.0 + i for i in range(len(dues))],
            "direction": "at least",
            "status": statuses,
            "expected": None,
        }
    )
    return official, local, reference, checkpoints


def _trajectory(dues: list[str], statuses: list[str], names: dict | None = None):
    official, local, reference, checkpoints = _plan(dues, statuses)
    return trajectory_lines(
        official,
        local,
        reference,
        checkpoints,
        {"value": 51.0, "period_end": "2025-03-31"},
        area_name="Anytown",
        title="Anytown is off track",
        subtitle="Measure, Anytown, 2023 to 2028",
        slug="anytown-plan",
        **WORDS,
        status_text=names or {"off track": "▲ Off track", "on track": "● On track"},
    )


def _checkpoints(fig: go.Figure) -> go.Scatter:
    return next(t for t in fig.data if t.meta == CHECKPOINTS)


def _placed(fig: go.Figure, plot: float) -> tuple[list, list, list]:
    """Place a chart's checkpoint labels on a plot ``plot`` px wide: each label's
    side, the boxes of those placed and the boxes of the other text on the plot."""
    sides = place_checkpoint_labels(fig, plot)
    trace = _checkpoints(fig)
    scale = PxScale(fig, plot)
    texts = frame_of(fig)["checkpoints"]
    placed = [
        text_box(scale, x, y, text, 11, SIDES[side], 8)
        for x, y, text, side in zip(trace.x, trace.y, texts, sides)
        if side is not None
    ]
    return sides, placed, text_boxes(scale=scale, fig=fig, skip=trace)


@pytest.mark.parametrize("plot", [500.0, 600.0, 730.0])
@pytest.mark.parametrize(
    "dues",
    [
        ["2027-03-31", "2028-03-31"],  # a year apart: about one label's width
        ["2026-03-31", "2026-09-30", "2027-03-31", "2028-03-31"],
        ["2025-06-30", "2025-09-30"],  # beside the last figure and its label
    ],
)
def test_checkpoint_labels_never_meet_each_other_or_other_text(dues, plot):
    chart = _trajectory(dues, ["off track"] * len(dues))
    sides, placed, others = _placed(chart.fig, plot)
    for i, box in enumerate(placed):
        assert box[1] >= 0  # never up in the legend's band
        for other in placed[i + 1 :] + others:
            assert not boxes_meet(box, other), (box, other)
    trace = _checkpoints(chart.fig)
    assert [bool(t) for t in trace.text] == [s is not None for s in sides]


def test_a_checkpoint_label_in_the_clear_stays_above_its_marker():
    chart = _trajectory(["2019-03-31"], ["on track"])  # mid-plot, nothing near
    assert list(_checkpoints(chart.fig).textposition) == [SIDES[0]]


def test_a_checkpoint_label_with_no_room_goes_under_the_chart():
    dues = ["2027-03-31", "2027-04-30", "2027-05-31", "2027-06-30"]
    chart = _trajectory(dues, ["off track"] * 4)
    trace = _checkpoints(chart.fig)
    left_off = [
        full for full, shown in zip(frame_of(chart.fig)["checkpoints"], trace.text)
        if not shown
    ]  # fmt: skip
    assert left_off  # four labels a month apart cannot all sit on the plot
    footer = frame_of(chart.fig)["footer"]
    assert footer[0] == "Checkpoints: " + "; ".join(left_off) + "."
    assert footer[1] == "Source: test."  # the source line still follows
    note = next(a for a in chart.fig.layout.annotations if a.name == FOOTER)
    assert left_off[0] in note.text


def test_a_narrow_trajectory_prints_its_checkpoints_under_the_plot():
    chart = _trajectory(["2027-03-31", "2028-03-31"], ["off track", "off track"])
    narrow = for_width(chart, 360)
    trace = _checkpoints(narrow.fig)
    assert trace.text is None and trace.mode == "markers"
    footer = frame_of(narrow.fig)["footer"]
    assert footer[0] == "Checkpoints: Mar 2027: ▲ Off track; Mar 2028: ▲ Off track."
    # The area's label at its last point gives way to the legend, as end labels do.
    assert not [a for a in narrow.fig.layout.annotations if a.name == END_LABEL]
    assert "Anytown (official)" in legend_names(narrow.fig)


def test_the_desktop_legend_has_the_rows_it_wraps_to_at_the_plot_width():
    chart = _trajectory(["2027-03-31"], ["off track"])
    fig = chart.fig
    width = legend_width(fig)
    # The right margin the end labels take narrows the legend's room.
    assert width <= 900 - fig.layout.margin.r
    rows = legend_rows(legend_names(fig), width)
    wide = legend_rows(legend_names(fig), 860)
    assert rows >= wide
    # The top margin holds the title (1 line) and subtitle (1 line), each spaced by
    # the title's 17 px type, and every row.
    assert fig.layout.margin.t >= 28 + 2 * line_height(17) + 34 + 24 * (rows - 1)


def _ranking(areas: int = 40) -> go.Figure:
    """SYNTHETIC: ``areas`` areas in rank order in four quartile bands."""
    ranked = pd.DataFrame(
        {
            "area_code": [f"E{i:08d}" for i in range(areas)],
            "area_name": [f"Area {i}" for i in range(areas)],
            "value": [float(i) for i in range(areas)],
            "rank": range(1, areas + 1),
            "band": [("A", "B", "C", "D")[i * 4 // areas] for i in range(areas)],
        }
    )
    return ranking_bars(
        ranked,
        area_code="E00000003",
        title="Area 3 ranks 4th of 40 on a measure with a long name",
        subtitle="Every area, 2025",
        slug="ranking",
        **WORDS,
        xaxis_title="Areas in rank order",
        band_labels={
            "A": "at/below lower quartile",
            "B": "at/below median",
            "C": "at/below upper quartile",
            "D": "above upper quartile",
        },
    )


def _band_boxes(fig: go.Figure, plot: float) -> list[tuple]:
    boxes = []
    for a in fig.layout.annotations:
        if a.name != BAND:
            continue
        lines = a.text.split("<br>")
        width = max(text_width(line, BAND_SIZE) for line in lines)
        centre = a.x * plot
        boxes.append(
            (centre - width / 2, centre + width / 2, a.yshift,
             a.yshift + line_height(BAND_SIZE, len(lines)))
        )  # fmt: skip
    return boxes


@pytest.mark.parametrize("width", [None, 740, 360, 280])
def test_band_labels_never_meet_and_keep_their_band_free(width):
    chart = _ranking()
    fig = chart.fig if width is None else for_width(chart, width).fig
    plot = 900 - 110 if width is None else width - fig.layout.margin.l - 12
    place_bands(fig, plot)
    boxes = _band_boxes(fig, plot)
    assert len(boxes) == 4
    for i, a in enumerate(boxes):
        assert a[0] >= -0.5 and a[1] <= plot + 0.5  # inside the plot's width
        for b in boxes[i + 1 :]:
            apart = a[1] <= b[0] or b[1] <= a[0] or a[3] <= b[2] or b[3] <= a[2]
            assert apart, (a, b)
    band = frame_of(fig)["band"]
    assert band >= max(box[3] for box in boxes)


def test_the_band_is_kept_free_under_the_subtitle_at_phone_width():
    chart = _ranking()
    narrow = for_width(chart, 280).fig
    wide = for_width(chart, 740).fig
    # Four labels stacked at 280 px, fewer rows at 740 px: the top margin grows by
    # the band's height.
    assert frame_of(narrow)["band"] > frame_of(wide)["band"]
    assert frame_of(narrow)["band"] >= 4 * line_height(BAND_SIZE)
