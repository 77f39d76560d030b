"""One builder for a measure against its comparators: a page's section chart and the
benchmark explorer's chart say the same of the same measure, on the real database."""

from __future__ import annotations

import pytest

from metrics.queries import Database
from tests.support.areas import DONCASTER, LEEDS
from views.explorer import explorer_view
from views.figures import comparator_chart
from views.options import ChartOptions

BASIS = "; 2025 statistical neighbour model"


@pytest.fixture(scope="module")
def db(built_db):
    database = Database(built_db)
    yield database
    database.close()


@pytest.mark.parametrize("measure", ["Continue_Assess_Comp", "cin_at_31_march"])
@pytest.mark.parametrize("place", [DONCASTER, LEEDS], ids=lambda p: p.name)
def test_section_and_explorer_charts_share_subtitle_source_and_alt(db, measure, place):
    area = place.area
    options = ChartOptions("", ("neighbours", "each"), (LEEDS.code,))
    section = comparator_chart(db, measure, "x", "", area, "2025", options)
    explorer = explorer_view(db, measure, area, "2025", "mean", True, options)
    chart = explorer.benchmark
    # The explorer says which neighbour model it draws; nothing else differs.
    first, rest = chart.subtitle.split(BASIS)
    assert first + rest == section.subtitle
    assert chart.source == section.source and chart.alt == section.alt
    names = [t.name for t in chart.fig.data if t.showlegend is not False]
    assert names == [t.name for t in section.fig.data if t.showlegend is not False]


def test_a_count_is_never_set_against_england_or_the_region(db):
    area = DONCASTER.area
    options = ChartOptions("", ("england", "region", "neighbours"), ())
    section = comparator_chart(db, "cin_at_31_march", "x", "", area, "2025", options)
    explorer = explorer_view(db, "cin_at_31_march", area, "2025", "mean", False)
    for chart in (section, explorer.benchmark):
        assert {"England", "Yorkshire and The Humber"}.isdisjoint(
            t.name for t in chart.fig.data
        )
        assert chart.subtitle.count("a count, so England and the region") == 1
    assert explorer.choices == ("neighbours",)
    # A rate is set against both, in both charts.
    rate = explorer_view(db, "Continue_Assess_Comp", area, "2025", "mean", False)
    assert rate.choices == ("england", "region", "neighbours")
    assert "England" in {t.name for t in rate.benchmark.fig.data}
