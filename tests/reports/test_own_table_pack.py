"""A reader's own table as a page of the board pack: it opens in every format and
holds the figures of the raw LAIT file."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from docx import Document
from pptx import Presentation
from pypdf import PdfReader

from metrics.formatting import fmt
from metrics.queries import Database
from reports.boardpack import build_board_pack
from tests.support.areas import DONCASTER
from tests.support.browser import chromium_or_skip
from tests.support.lait import latest_values
from views.groups import own_table

MEASURES = ("ReReferral", "Continue_Assess_Comp")
pytestmark = pytest.mark.slow  # three packs are built


@pytest.fixture(scope="module")
def packs(built_db) -> dict[str, bytes]:
    """The pack in each format with the own table and no chart (charts are tested
    elsewhere; this page needs none)."""
    chromium_or_skip()
    db = Database(built_db)
    try:
        own = own_table(db, MEASURES, DONCASTER.area, "2025", "region")
        return {
            f: build_board_pack(
                db,
                DONCASTER.area,
                f,
                chart_for=lambda item, area, model: [],
                today=dt.date(2026, 12, 7),
                own=own,
            ).content
            for f in ("pdf", "pptx", "docx")
        }
    finally:
        db.close()


def text_of(fmt_: str, content: bytes) -> str:
    """Every text of a pack file, whatever its format."""
    if fmt_ == "pdf":
        return " ".join(p.extract_text() for p in PdfReader(io.BytesIO(content)).pages)
    if fmt_ == "pptx":
        prs = Presentation(io.BytesIO(content))
        return " ".join(
            s.text_frame.text
            for sl in prs.slides
            for s in sl.shapes
            if s.has_text_frame
        )
    doc = Document(io.BytesIO(content))
    cells = [c.text for t in doc.tables for r in t.rows for c in r.cells]
    return " ".join([p.text for p in doc.paragraphs] + cells)


@pytest.mark.parametrize("fmt_", ["pdf", "pptx", "docx"])
def test_the_own_table_page_opens_in_every_format_with_the_raw_figures(packs, fmt_):
    text = " ".join(text_of(fmt_, packs[fmt_]).split())
    assert "Your own table" in text
    assert "Other LAs in Yorkshire and The Humber" in text
    for measure in MEASURES:
        _, values, _ = latest_values(measure, published=True)
        assert fmt(values[DONCASTER.la_number]) in text
        assert fmt(values[383]) in text  # Leeds, a member of the region
    assert "Doncaster (focus)" in text
