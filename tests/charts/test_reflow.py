"""Charts laid out for narrow widths: text wrapped to the width in px, line labels
moved to a legend, the plot at least half the width, the desktop chart untouched.
(The browser tests check the same in Chromium at the issue's widths.)"""

from __future__ import annotations

import pytest

from charts.frame import (
    END_LABEL,
    FOOTER,
    FOOTER_PX,
    FOOTER_SIZE,
    SUBTITLE_PX,
    SUBTITLE_SIZE,
    TITLE_PX,
    TITLE_SIZE,
    frame_of,
)
from charts.reflow import DESKTOP, PAD, SMALLEST, for_width, layout_width
from charts.text import text_width, wrap_px
from metrics.queries import Database
from reports.boardpack import pack_charts
from tests.support.areas import DONCASTER, LEEDS

WIDTHS = [280, 380, 740]


@pytest.fixture(scope="module")
def charts(built_db):
    db = Database(built_db)
    try:
        return pack_charts(db, DONCASTER.area) + pack_charts(db, LEEDS.area)
    finally:
        db.close()


def lines(html: str) -> list[str]:
    return [part for part in html.replace("</span>", "").split("<br>")]


def test_widths_are_rounded_down_to_a_step_and_desktop_is_left_alone():
    assert layout_width(None) is None
    assert layout_width(DESKTOP) is None and layout_width(1400) is None
    assert layout_width(358) == 340 and layout_width(736) == 720
    assert layout_width(200) == SMALLEST


def test_text_widths_follow_arials_advance_widths():
    # Arial: "i" 0.222 em, "m" 0.833 em, digits 0.556 em; bold is estimated wider.
    assert text_width("i", 10) == pytest.approx(2.22 * 1.04)
    assert text_width("m", 12) == pytest.approx(text_width("i", 12) * 833 / 222)
    assert text_width("2025", 14, bold=True) > text_width("2025", 14)
    assert text_width("<b>ab</b>", 10) == text_width("ab", 10)  # tags take no room
    for line in wrap_px("Doncaster: assessments on time 88.1% in 2025", 120, 16):
        assert text_width(line, 16) <= 120
    assert wrap_px("Supercalifragilistic", 20, 16) == ["Supercalifragilistic"]


@pytest.mark.parametrize("width", WIDTHS)
def test_every_chart_laid_out_for_a_narrow_width(charts, width):
    for chart in charts:
        narrow = for_width(chart, width)
        fig, name = narrow.fig, chart.slug
        assert fig.layout.meta["width"] == width, name
        # Title and subtitle wrapped to the width they have, in px.
        title = fig.layout.title.text.split("</b><br>")
        for line in lines(title[0].split(">", 1)[1]):
            assert text_width(line, 16, bold=True) <= width - 2 * PAD, (name, line)
        for line in lines(title[1].split(">", 1)[1]):
            assert text_width(line, 12) <= width - 2 * PAD, (name, line)
        # The source line wrapped inside the chart.
        (footer,) = [a for a in fig.layout.annotations if a.name == FOOTER]
        for line in lines(footer.text.split(">", 1)[1]):
            assert text_width(line, 11) <= width - 2 * PAD, (name, line)
        # Line-end labels give way to the legend.
        assert not [t for t in fig.data if t.meta == END_LABEL], name
        assert fig.layout.showlegend == bool(frame_of(fig)["legend"]), name
        # The plot keeps at least half the width; the height adds up.
        margin = fig.layout.margin
        assert margin.l + margin.r <= width / 2, name
        assert fig.layout.height > margin.t + margin.b, name


def test_the_desktop_chart_is_the_chart_as_built_and_stays_so(charts):
    chart = charts[0]
    before = chart.fig.to_json()
    assert for_width(chart, None) is chart and for_width(chart, DESKTOP) is chart
    narrow = for_width(chart, 340)
    assert narrow is not chart and chart.fig.to_json() == before
    assert narrow.title == chart.title and narrow.table is chart.table


def test_date_ticks_thin_to_the_width(charts):
    lines_chart = next(c for c in charts if "continue-assess-comp" in c.slug)
    fig = for_width(lines_chart, 280).fig
    plot = 280 - fig.layout.margin.l - fig.layout.margin.r
    assert fig.layout.xaxis.nticks == max(2, plot // 70) < 10


def test_the_desktop_frame_wraps_by_width_in_px_as_narrow_layouts_do(charts):
    """One text-layout engine: the desktop title, subtitle and source lines are
    measured in px, so a line of wide letters breaks sooner than one of narrow."""
    for chart in charts:
        fig, name = chart.fig, chart.slug
        title = fig.layout.title.text.split("</b><br>")
        for line in lines(title[0].removeprefix("<b>")):
            assert text_width(line, TITLE_SIZE, bold=True) <= TITLE_PX, (name, line)
        subtitle = lines(title[1].split(">", 1)[1])
        assert " ".join(subtitle) == chart.subtitle, name
        for line in subtitle:
            assert text_width(line, SUBTITLE_SIZE) <= SUBTITLE_PX, (name, line)
        (footer,) = [a for a in fig.layout.annotations if a.name == FOOTER]
        for line in lines(footer.text.split(">", 1)[1]):
            assert text_width(line, FOOTER_SIZE) <= FOOTER_PX, (name, line)
    wide, narrow = "W" * 40, "i" * 40
    assert len(wrap_px(" ".join([wide] * 3), TITLE_PX, TITLE_SIZE, bold=True)) == 3
    assert len(wrap_px(" ".join([narrow] * 3), TITLE_PX, TITLE_SIZE, bold=True)) == 1
