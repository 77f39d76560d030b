"""The board pack PDF, opened with pypdf: A4 pages numbered "Page N of M", a running
header, a contents page, the cover's target status, every chart's title, subtitle,
source and alt text, commentary, and a tagged PDF with title and language."""

from __future__ import annotations

import datetime as dt
import io
import re

import pytest
from pypdf import PdfReader

from metrics.config import OGL_ATTRIBUTION
from metrics.queries import Database
from reports.boardpack import BoardPackError, build_board_pack
from tests.support.areas import DONCASTER
from tests.support.browser import chromium_or_skip

A4 = (595.28, 841.89)  # points


def squash(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def figures_alt(reader: PdfReader) -> list[str]:
    """The alt text of every Figure element in the structure tree, in order."""
    found = []

    def walk(node) -> None:
        node = node.get_object()
        if not isinstance(node, dict):
            return
        if node.get("/S") == "/Figure":
            found.append(str(node.get("/Alt", "")))
        kids = node.get("/K")
        for kid in kids if isinstance(kids, list) else [kids] if kids else []:
            walk(kid)

    walk(reader.trailer["/Root"]["/StructTreeRoot"])
    return found


@pytest.fixture(scope="module")
def doncaster_pack(built_db):
    chromium_or_skip()
    db = Database(built_db)
    steps = []
    try:
        result = build_board_pack(
            db,
            DONCASTER.area,
            progress=lambda f, m: steps.append((f, m)),
            today=dt.date(2026, 11, 23),
        )
    finally:
        db.close()
    reader = PdfReader(io.BytesIO(result.content))
    pages = [squash(p.extract_text()) for p in reader.pages]
    return reader, pages, result, steps


@pytest.mark.slow
def test_every_page_is_a4(doncaster_pack):
    reader, _, _, _ = doncaster_pack
    for page in reader.pages:
        size = sorted((float(page.mediabox.width), float(page.mediabox.height)))
        assert size == pytest.approx(list(A4), abs=0.5)


@pytest.mark.slow
def test_every_page_is_numbered_page_n_of_m(doncaster_pack):
    _, pages, _, _ = doncaster_pack
    assert len(pages) > 3
    for n, text in enumerate(pages, start=1):
        assert f"Page {n} of {len(pages)}" in text


@pytest.mark.slow
def test_running_header_on_every_page_after_the_cover(doncaster_pack):
    _, pages, result, _ = doncaster_pack
    as_at = result.pack.data_as_at
    assert re.fullmatch(r"\d{1,2} [A-Z][a-z]+ \d{4}", as_at)
    for text in pages[1:]:
        assert f"Doncaster Children's social care board pack Data as at {as_at}" in text


@pytest.mark.slow
def test_since_the_last_meeting_then_the_scorecard_then_the_contents(doncaster_pack):
    _, pages, _, _ = doncaster_pack
    # Prepared on 23 Nov 2026 with no earlier pack: changes since 30 days before.
    assert "Since the last meeting What has changed since 24 Oct 2026" in pages[1]
    assert "New official releases" in pages[1] and "Contents" not in pages[1]
    assert "Scorecard" in pages[2] and "Measures off track or missed" in pages[2]
    assert "Contents" in pages[3] and "Contents" not in pages[2]


@pytest.mark.slow
def test_contents_page_lists_pages_sections_and_figures(doncaster_pack):
    _, pages, result, _ = doncaster_pack
    contents = next(p for p in pages if "Contents" in p and "Figures" in p)
    assert contents.startswith("Doncaster")
    for page in result.pack.pages:
        assert page.title in contents
        for section in page.sections:
            assert section.heading in contents
    figures = contents[contents.index("Figures") :]
    for c in result.pack.charts:
        # An entry: "Figure N", the title, dot leaders, the page number.
        assert f"Figure {c.number} {squash(c.chart.title)}"[:60] in figures


@pytest.mark.slow
def test_each_chart_prints_its_title_subtitle_and_source_as_text(doncaster_pack):
    _, pages, result, _ = doncaster_pack
    body = " ".join(pages[2:])
    charts = result.pack.charts
    assert len(charts) == 15
    assert [c.number for c in charts] == list(range(1, 16))
    for c in charts:
        assert f"Figure {c.number}: {squash(c.chart.title)}" in body, c.chart.title
        # (A line may break after a dash, so this compares without spaces.)
        assert re.sub(r"\s", "", c.chart.subtitle) in re.sub(r"\s", "", body)
        assert squash(c.footer) in body and "Source:" in c.footer, c.footer
        # The footer is printed as text, not also inside the picture.
        holding = [d for d in charts if c.footer in d.footer]
        assert body.count(squash(c.footer)) == len(holding)


@pytest.mark.slow
def test_every_chart_is_a_tagged_figure_with_its_own_alt_text(doncaster_pack):
    reader, _, result, _ = doncaster_pack
    assert figures_alt(reader) == [c.chart.alt for c in result.pack.charts]


@pytest.mark.slow
def test_pdf_is_tagged_with_title_and_language(doncaster_pack):
    reader, _, result, _ = doncaster_pack
    root = reader.trailer["/Root"]
    assert "/StructTreeRoot" in root
    assert bool(root["/MarkInfo"]["/Marked"])
    assert str(root["/Lang"]).startswith("en")
    assert reader.metadata.title == "Doncaster: children's social care board pack"
    assert result.pack.title == reader.metadata.title


@pytest.mark.slow
def test_cover_gives_target_status_grade_indicators_and_attribution(doncaster_pack):
    _, pages, _, _ = doncaster_pack
    cover = pages[0]
    assert cover.startswith("Doncaster: children's social care board pack")
    assert "Generated 23 November 2026" in cover
    assert "Ofsted good by October 2017: ◐ met late" in cover
    assert "published 19 Jan 2018, 80 days after the deadline" in cover
    assert "Ofsted outstanding by October 2019: ✗ missed" in cover
    assert "Latest Ofsted judgement ✓ Good (ILACS (2018-), published 18 Mar 2025)" in (
        cover
    )
    assert "Headline indicators Indicator Period Doncaster England" in cover
    assert "88.1 85.7" in cover  # assessments on time, Doncaster and England 2025
    assert squash(OGL_ATTRIBUTION) in cover


@pytest.mark.slow
def test_commentary_is_printed_where_the_data_hold_it(doncaster_pack):
    _, pages, result, _ = doncaster_pack
    body = " ".join(pages[2:])
    # The note kept for Doncaster's children in need section, with its source.
    assert "Doncaster's 2022 census figures may not be reliable" in body
    assert "(Source: Inspection of Doncaster" in body
    # The page's introduction and a section's message where it has no charts.
    assert "Statutory guidance in 2013 replaced both" in body
    assert "No monthly figures have been loaded for Doncaster" in body
    # A chart's own note (approximate bars) is part of its footer.
    assert "Hatched bars are approximate" in body
    sections = {s.heading: s for p in result.pack.pages for s in p.sections}
    census = sections["Children in need"]
    assert census.commentary[0].startswith("Doncaster's 2022 census figures")
    assert len(census.charts) == 3


@pytest.mark.slow
def test_progress_runs_from_start_to_finish(doncaster_pack):
    _, _, result, steps = doncaster_pack
    fractions = [f for f, _ in steps]
    assert fractions[0] == 0.0 and fractions[-1] == 1.0
    assert fractions == sorted(fractions)
    drawn = [m for _, m in steps if m.startswith("Drawn chart")]
    assert len(drawn) == len(result.pack.charts)
    assert set(result.seconds) >= {"content", "layout", "total"}


def test_missing_chromium_gives_a_plain_message(built_db, monkeypatch):
    monkeypatch.setattr("reports.export.chromium_path", lambda: None)
    with pytest.raises(BoardPackError, match="apt-get install chromium"):
        build_board_pack(Database(built_db), DONCASTER.area)
