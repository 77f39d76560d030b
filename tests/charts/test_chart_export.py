"""Each chart's downloads opened as a reader's software would: the SVG parsed as XML,
the Excel workbook with openpyxl."""

from __future__ import annotations

import io
from xml.etree import ElementTree

import openpyxl
import pytest

from charts.export import WIDTH, data_sheet, picture, workbook
from metrics.queries import Database
from reports.boardpack import pack_charts
from tests.support.areas import DONCASTER, LEEDS
from tests.support.browser import chromium_or_skip
from views.options import ChartOptions
from views.pages import TIMELINESS
from views.sections import build_charts


@pytest.fixture(scope="module")
def charts(built_db):
    db = Database(built_db)
    try:
        return pack_charts(db, DONCASTER.area)
    finally:
        db.close()


def svg_text(data: bytes) -> tuple[ElementTree.Element, str]:
    root = ElementTree.fromstring(data)
    text = " ".join(
        "".join(t.itertext()) for t in root.iter() if t.tag.endswith("}text")
    )
    return root, text


@pytest.mark.slow
def test_every_chart_as_svg_is_xml_with_its_title_and_source(charts):
    chromium_or_skip()
    for chart in charts:
        root, text = svg_text(picture(chart, "svg"))
        assert root.tag == "{http://www.w3.org/2000/svg}svg", chart.slug
        assert float(root.get("width")) == WIDTH
        assert chart.title.split()[0] in text and "Source:" in text, chart.slug


def test_a_png_is_drawn_at_twice_the_desktop_width(charts):
    chromium_or_skip()
    data = picture(charts[0], "png", scale=2)
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    assert int.from_bytes(data[16:20], "big") == 2 * WIDTH


def test_every_chart_as_a_workbook_with_its_data_and_what_it_says(charts):
    for chart in charts:
        book = openpyxl.load_workbook(io.BytesIO(workbook(chart)))
        assert book.sheetnames == ["Data", "About"], chart.slug
        rows = list(book["Data"].iter_rows(values_only=True))
        header, body = rows[0], rows[1:]
        assert {"source", "locator", "approximate"} <= set(header), chart.slug
        assert len(body) == len(chart.table), chart.slug
        about = dict(book["About"].iter_rows(min_row=2, values_only=True))
        assert about["Title"] == chart.title
        assert about["Subtitle"] == chart.subtitle
        assert about["Source"] == chart.source
        assert about["As at"] == (chart.as_at or "not given: see the source")
        assert about["Adjustments"] == "as published"


def test_the_data_sheet_keeps_the_numbers_and_flags_approximate_ones(charts):
    report = next(c for c in charts if "initial-assessments-2013" in c.slug)
    sheet = data_sheet(report)
    assert list(sheet.value) == list(report.table.value)
    assert sheet.approximate.any()  # "over 552" is stored as approximate


def test_a_charts_as_at_date_is_the_one_its_source_line_gives(charts):
    assert any(c.as_at for c in charts) and not all(c.as_at for c in charts)
    for chart in charts:
        if chart.as_at:
            assert f"As at {chart.as_at}." in chart.source, chart.slug
        else:
            assert "As at" not in chart.source, chart.slug


def test_an_adjusted_chart_downloads_as_adjusted(built_db):
    chromium_or_skip()
    db = Database(built_db)
    try:
        options = ChartOptions("zero", added=(LEEDS.code,))
        item = TIMELINESS.section("annual").items[0]
        (chart,) = build_charts(db, item, DONCASTER.area, "2025", options)
    finally:
        db.close()
    _, text = svg_text(picture(chart, "svg"))
    assert LEEDS.name in text
    words = options.words({LEEDS.code: LEEDS.name})
    assert words == "y axis from zero; added: Leeds"
    book = openpyxl.load_workbook(io.BytesIO(workbook(chart, words)))
    about = dict(book["About"].iter_rows(min_row=2, values_only=True))
    assert about["Adjustments"] == words
    areas = {row[0] for row in book["Data"].iter_rows(min_row=2, values_only=True)}
    assert LEEDS.name in areas
