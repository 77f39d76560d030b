"""Colour contrast, text alongside colour, and alt text and tables for every chart."""

from __future__ import annotations

import itertools

import pytest

from charts import style
from metrics.grades import GRADE_RANK, RANK_LABEL, RANK_SYMBOL, grade_label
from metrics.queries import Database, rag
from reports.boardpack import pack_charts
from tests.support.areas import DONCASTER, LEEDS

MINIMUM = 3.0  # WCAG 2.2 non-text contrast


def luminance(hex_colour: str) -> float:
    """Relative luminance of an sRGB colour (WCAG definition)."""
    h = hex_colour.lstrip("#")
    channels = [int(h[i : i + 2], 16) / 255 for i in (0, 2, 4)]
    linear = [
        c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels
    ]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(a: str, b: str) -> float:
    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def test_contrast_formula_matches_known_values():
    assert contrast("#000000", "#FFFFFF") == pytest.approx(21.0)
    assert contrast("#FFFFFF", "#FFFFFF") == pytest.approx(1.0)
    assert contrast("#767676", "#FFFFFF") == pytest.approx(4.54, abs=0.01)


@pytest.mark.parametrize("colour", style.PALETTE + [style.CONTEXT, style.TEXT])
def test_every_series_colour_stands_out_from_the_background(colour):
    assert contrast(colour, style.BACKGROUND) >= MINIMUM


@pytest.mark.parametrize("a, b", list(itertools.pairwise(style.PALETTE)))
def test_adjacent_palette_colours_are_distinguishable(a, b):
    assert contrast(a, b) >= MINIMUM


def test_focus_stands_out_from_context_series():
    assert contrast(style.FOCUS, style.CONTEXT) >= MINIMUM


def test_series_drawn_together_differ_by_dash_as_well_as_colour():
    dashes = [dash for _, dash in style.ROLE_STYLE.values()]
    assert len(set(dashes)) == len(dashes)


def test_every_grade_carries_a_word_and_a_symbol():
    for grade, rank in GRADE_RANK.items():
        label = grade_label(grade.title())
        assert RANK_SYMBOL[rank] in label and grade.title() in label
    assert len(set(RANK_SYMBOL.values())) == len(RANK_LABEL)


def test_rag_is_written_in_words():
    assert rag(90, 80, "higher").startswith("Green")
    assert rag(77, 80, "higher").startswith("Amber")
    assert rag(70, 80, "higher").startswith("Red")
    assert rag(70, 80, "lower").startswith("Green")
    assert rag(70, 80, "neutral") == "No better direction"


@pytest.mark.parametrize("area", [DONCASTER, LEEDS], ids=lambda a: a.name)
def test_every_chart_has_alt_text_and_a_table_with_its_source(built_db, area):
    db = Database(built_db)
    try:
        all_charts = pack_charts(db, area.area)
    finally:
        db.close()
    assert all_charts
    for chart in all_charts:
        assert len(chart.alt) > 40, chart.title
        assert len(chart.table) > 0, chart.title
        assert {"source", "source_title"} & set(chart.table.columns), chart.title
        assert chart.source.startswith("Source:"), chart.title
