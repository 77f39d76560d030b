"""A committee's adjustments to a chart: the address round trip, and the charts built
with them (y axis, comparator lines, added areas) against the raw LAIT file."""

from __future__ import annotations

import pytest

from metrics.queries import Database
from tests.support.areas import DONCASTER, LEEDS
from tests.support.charts import decode
from tests.support.lait import lait
from views.explorer import explorer_view
from views.options import DEFAULT_SHOWN, KEEP, MAX_ADDED, ChartOptions
from views.pages import CASELOADS, TIMELINESS
from views.sections import build_charts

ASSESSMENTS = TIMELINESS.section("annual").items[0]  # Continue_Assess_Comp
AREAS = {DONCASTER.code, LEEDS.code, "E08000038"}


@pytest.fixture(scope="module")
def db(built_db):
    database = Database(built_db)
    yield database
    database.close()


def lines(chart) -> dict[str, object]:
    """A chart's lines by name (text marks left out)."""
    return {t.name: t for t in chart.fig.data if t.mode != "text" and t.name}


def test_the_default_value_changes_nothing_and_writes_nothing():
    assert KEEP.is_default and KEEP.params("X") == {} and KEEP.words() == "as published"
    assert ChartOptions.from_params({}, "X", AREAS) == KEEP


def test_choices_round_trip_through_the_address():
    options = ChartOptions("zero", ("england", "each"), (LEEDS.code, "E08000038"))
    params = options.params("Continue_Assess_Comp")
    assert params == {
        "Continue_Assess_Comp.y": "zero",
        "Continue_Assess_Comp.show": "england.each",
        "Continue_Assess_Comp.add": f"{LEEDS.code}.E08000038",
    }
    assert ChartOptions.from_params(params, "Continue_Assess_Comp", AREAS) == options
    # Another chart's choices are not this one's.
    assert ChartOptions.from_params(params, "CIN", AREAS) == KEEP
    # No comparator line at all has a word of its own.
    assert ChartOptions(shown=()).params("X") == {"X.show": "none"}
    assert ChartOptions.from_params({"X.show": "none"}, "X").shown == ()


def test_an_address_it_does_not_understand_falls_back_to_the_default():
    params = {
        "X.y": "log",
        "X.show": "england.moon",
        "X.add": "E99999999.E08000035.E08000035",
    }
    options = ChartOptions.from_params(params, "X", AREAS)
    assert options == ChartOptions("", ("england",), (LEEDS.code,))


def test_bad_values_are_refused_when_built_in_code():
    with pytest.raises(ValueError, match="y_axis"):
        ChartOptions("sideways")
    with pytest.raises(ValueError, match="unknown comparator"):
        ChartOptions(shown=("moon",))
    with pytest.raises(ValueError, match="at most 4"):
        ChartOptions(added=tuple(f"E0800{n:04d}" for n in range(MAX_ADDED + 1)))
    # One spelling per choice, so that equal choices share a cache entry.
    assert ChartOptions(shown=("region", "england")) == ChartOptions(
        shown=("england", "region")
    )
    assert repr(ChartOptions()) == (
        f"ChartOptions(y_axis='', shown={DEFAULT_SHOWN!r}, added=(), group='', stat='')"
    )


def test_an_added_area_is_drawn_with_its_published_values(db):
    options = ChartOptions(added=(LEEDS.code,))
    (chart,) = build_charts(db, ASSESSMENTS, DONCASTER.area, "2025", options)
    leeds = lines(chart)[LEEDS.name]
    expected = lait("Continue_Assess_Comp", LEEDS.la_number).dropna()
    assert list(decode(leeds.y)) == pytest.approx(list(expected.sort_index()))
    assert LEEDS.name in chart.subtitle and LEEDS.name in chart.alt
    assert set(chart.table.area) >= {DONCASTER.name, LEEDS.name}
    # A different dash and marker from every comparator: colour is not the only cue.
    dashes = {t.line.dash for t in lines(chart).values()}
    assert len(dashes) == len(lines(chart))


def test_comparator_lines_can_be_hidden_and_each_neighbour_shown(db):
    options = ChartOptions(shown=("england", "each"))
    (chart,) = build_charts(db, ASSESSMENTS, DONCASTER.area, "2025", options)
    drawn = lines(chart)
    assert "England" in drawn and "Yorkshire and The Humber" not in drawn
    assert not any("neighbours (mean)" in name for name in drawn)
    neighbours = db.neighbours(DONCASTER.code, "2025")
    assert set(neighbours.area_name) <= set(drawn)
    assert "Shown for comparison: England." in chart.alt
    # The title only compares with lines the chart shows.
    (none,) = build_charts(
        db, ASSESSMENTS, DONCASTER.area, "2025", ChartOptions(shown=())
    )
    assert "England" not in none.title and set(lines(none)) == {DONCASTER.name}
    assert "No comparator lines are shown." in none.alt


def test_the_y_axis_choice_overrides_each_charts_own_default(db):
    (fitted,) = build_charts(db, ASSESSMENTS, DONCASTER.area, "2025")
    assert fitted.fig.layout.yaxis.rangemode in (None, "normal")
    (zero,) = build_charts(
        db, ASSESSMENTS, DONCASTER.area, "2025", ChartOptions("zero")
    )
    assert zero.fig.layout.yaxis.rangemode == "tozero"
    # A count's chart draws no England or region line whatever is asked.
    count = CASELOADS.section("children_in_need").items[1]
    (chart,) = build_charts(
        db, count, LEEDS.area, "2025", ChartOptions(shown=("england", "region"))
    )
    assert set(lines(chart)) == {LEEDS.name}


def test_the_explorer_chart_takes_the_same_choices(db):
    options = ChartOptions("zero", ("region",), (DONCASTER.code,))
    view = explorer_view(db, "ReReferral", LEEDS.area, "2025", "mean", False, options)
    drawn = lines(view.benchmark)
    assert set(drawn) == {LEEDS.name, DONCASTER.name, "Yorkshire and The Humber"}
    assert view.benchmark.fig.layout.yaxis.rangemode == "tozero"
    expected = lait("ReReferral", DONCASTER.la_number).dropna().sort_index()
    assert list(decode(drawn[DONCASTER.name].y)) == pytest.approx(list(expected))


def test_group_and_statistic_round_trip_through_the_address():
    options = ChartOptions(group="region", stat="median")
    assert options.params("X") == {"X.group": "region", "X.stat": "median"}
    assert ChartOptions.from_params(options.params("X"), "X", AREAS) == options
    own = ChartOptions(group=f"{LEEDS.code}, E08000038,{LEEDS.code}")
    assert own.group == f"{LEEDS.code},E08000038"  # one spelling, each LA once
    assert ChartOptions.from_params(own.params("X"), "X", AREAS) == own
    # Unknown LAs and words are left out; "mean" is the default and not written.
    params = {"X.group": "E99999999,E08000035", "X.stat": "mode"}
    assert ChartOptions.from_params(params, "X", AREAS) == ChartOptions(
        group=LEEDS.code
    )
    assert ChartOptions(stat="mean") == KEEP
    assert (
        "median of LAs whose latest Ofsted grade is outstanding"
        in ChartOptions(group="outstanding", stat="median").words()
    )
    with pytest.raises(ValueError, match="at most 15"):
        ChartOptions(group=",".join(f"E0800{n:04d}" for n in range(16)))


def test_a_section_chart_draws_the_chosen_group_named(db):
    options = ChartOptions(group="region", stat="median")
    (chart,) = build_charts(db, ASSESSMENTS, DONCASTER.area, "2025", options)
    name = "Other LAs in Yorkshire and The Humber (median)"
    assert name in lines(chart)
    assert "median of 14 other LAs in Yorkshire and The Humber" in chart.subtitle
    assert "comparison group: median of 14 other LAs" in chart.source
    assert "Statistical neighbours (mean)" not in lines(chart)
