"""The board pack as PowerPoint (python-pptx) and Word (python-docx), and the command
line that writes any format: slides, titles, pictures with alt text, notes,
captions, sources, and exit status 2 for a bad area or extension."""

from __future__ import annotations

import datetime as dt
import io
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from docx import Document
from pptx import Presentation
from pptx.enum.shapes import MSO_SHAPE_TYPE
from pypdf import PdfReader

from metrics.config import PROJECT_DIR
from metrics.queries import Database
from reports.boardpack import build_board_pack
from tests.support.areas import DONCASTER
from tests.support.browser import chromium_or_skip


def build(built_db, fmt: str):
    chromium_or_skip()
    db = Database(built_db)
    try:
        return build_board_pack(db, DONCASTER.area, fmt, today=dt.date(2026, 11, 23))
    finally:
        db.close()


@pytest.fixture(scope="module")
def slides(built_db):
    result = build(built_db, "pptx")
    return Presentation(io.BytesIO(result.content)), result.pack


@pytest.fixture(scope="module")
def word(built_db):
    result = build(built_db, "docx")
    return Document(io.BytesIO(result.content)), result.pack


# --- PowerPoint ----------------------------------------------------------------------


@pytest.mark.slow
def test_a_title_slide_then_one_slide_per_chart_titled_as_the_chart(slides):
    prs, pack = slides
    titles = [s.shapes.title.text for s in prs.slides]
    # The title slide, what changed since the last meeting, the scorecard's table,
    # then one slide per chart.
    assert len(titles) == 3 + len(pack.charts) == 18
    assert titles[0] == "Doncaster: children's social care board pack"
    assert titles[1:3] == ["Since the last meeting", "Scorecard"]
    assert titles[3:] == [c.chart.title for c in pack.charts]
    assert prs.core_properties.title == pack.title


@pytest.mark.slow
def test_each_chart_is_a_picture_with_its_alt_text_and_its_source(slides):
    prs, pack = slides
    for slide, c in zip(list(prs.slides)[3:], pack.charts):
        pictures = [s for s in slide.shapes if s.shape_type == MSO_SHAPE_TYPE.PICTURE]
        assert len(pictures) == 1
        assert pictures[0]._element.nvPicPr.cNvPr.get("descr") == c.chart.alt
        assert pictures[0].image.content_type == "image/png"
        # Drawn at twice the pack's size.
        assert pictures[0].image.size[0] == 2 * c.picture.width
        texts = [s.text_frame.text for s in slide.shapes if s.has_text_frame]
        assert c.footer in texts and c.chart.subtitle in texts
        assert c.footer.startswith(("Source:", "Hatched bars"))


@pytest.mark.slow
def test_notes_hold_the_commentary_where_there_is_some(slides):
    prs, pack = slides
    by_title = {s.shapes.title.text: s for s in prs.slides}
    with_notes = 0
    for page in pack.pages:
        for i, section in enumerate(page.sections):
            for j, c in enumerate(section.charts):
                slide = by_title[c.chart.title]
                expected = section.commentary + c.commentary
                if page.intro and i == 0 and j == 0:
                    expected = [page.intro, *expected]
                if expected:
                    with_notes += 1
                    notes = slide.notes_slide.notes_text_frame.text
                    assert notes == "\n\n".join(expected)
                else:
                    assert not slide.has_notes_slide
    # The children in need section's census note, on each of its charts.
    assert with_notes >= 3
    census = [
        s
        for s in prs.slides
        if s.has_notes_slide
        and "2022 census figures may not be reliable"
        in s.notes_slide.notes_text_frame.text
    ]
    assert len(census) == 3
    cover_notes = prs.slides[0].notes_slide.notes_text_frame.text
    assert "Ofsted good by October 2017: ◐ met late" in cover_notes


# --- Word ------------------------------------------------------------------------------


@pytest.mark.slow
def test_word_captions_number_every_chart_in_order(word):
    doc, pack = word
    captions = [p.text for p in doc.paragraphs if p.style.name == "Caption"]
    assert captions == [f"Figure {c.number}: {c.chart.title}" for c in pack.charts]
    assert doc.core_properties.title == pack.title


@pytest.mark.slow
def test_word_pictures_have_alt_text_and_the_source_under_them(word):
    doc, pack = word
    shapes = doc.inline_shapes
    assert len(shapes) == len(pack.charts)
    for shape, c in zip(shapes, pack.charts):
        assert shape._inline.docPr.get("descr") == c.chart.alt
    paragraphs = doc.paragraphs
    holders = [i for i, p in enumerate(paragraphs) if p._p.xpath(".//w:drawing")]
    assert len(holders) == len(pack.charts)
    for i, c in zip(holders, pack.charts):
        assert paragraphs[i + 1].text == c.footer
        assert "Source:" in paragraphs[i + 1].text
        assert paragraphs[i - 1].text == c.chart.subtitle


@pytest.mark.slow
def test_word_has_the_cover_headings_header_and_page_numbers(word):
    doc, pack = word
    headings = [p.text for p in doc.paragraphs if p.style.name.startswith("Heading")]
    assert headings[:6] == [
        "Summary",
        "Contract targets",
        "Latest Ofsted judgement",
        "Headline indicators",
        "Sources and licence",
        "Contents",
    ]
    for page in pack.pages:
        assert page.title in headings
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "Ofsted outstanding by October 2019: ✗ missed" in text
    assert "Doncaster's 2022 census figures may not be reliable" in text
    header = doc.sections[0].header.paragraphs[0].text
    assert header == "\t".join(pack.header)
    footer = doc.sections[0].footer.paragraphs[0]._p.xml
    assert "PAGE" in footer and "NUMPAGES" in footer
    assert doc.tables[0].rows[0].cells[0].text == "Indicator"


# --- the command line -------------------------------------------------------------------


def cli(*args: str, db: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "reports", *args],
        cwd=PROJECT_DIR,
        env={**os.environ, "DASHBOARD_DB": str(db)},
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_cli_refuses_an_unknown_area_with_status_2(built_db, tmp_path):
    out = tmp_path / "pack.pdf"
    run = cli("--area", "E99999999", "--out", str(out), db=built_db)
    assert run.returncode == 2
    assert "unknown area code 'E99999999'" in run.stderr
    assert not out.exists()


def test_cli_refuses_an_unknown_extension_with_status_2(built_db, tmp_path):
    out = tmp_path / "pack.odt"
    run = cli("--area", DONCASTER.code, "--out", str(out), db=built_db)
    assert run.returncode == 2
    assert "unknown extension '.odt'" in run.stderr and ".pptx" in run.stderr
    assert not out.exists()


@pytest.mark.slow
def test_cli_builds_the_database_if_needed_and_writes_a_pdf(tmp_path):
    chromium_or_skip()
    db = tmp_path / "db" / "dashboard.duckdb"  # not built yet
    out = tmp_path / "monthly" / "doncaster.pdf"
    run = cli("--area", DONCASTER.code, "--out", str(out), db=db)
    assert run.returncode == 0, run.stderr
    assert db.exists()
    assert re.match(rf"wrote {re.escape(str(out))}: Doncaster, 15 charts", run.stdout)
    reader = PdfReader(out)
    assert reader.metadata.title == "Doncaster: children's social care board pack"
    assert len(reader.pages) > 3
    last = reader.pages[-1].extract_text()
    assert f"Page {len(reader.pages)} of {len(reader.pages)}" in last
