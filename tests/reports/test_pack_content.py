"""The board pack's content without Chromium: what each area's pack holds, the
figure unframed for the pack, commentary from monthly returns, and the cover and
front pages every renderer prints (data with typst's markup characters included)."""

from __future__ import annotations

import datetime as dt
import io
import re
from pathlib import Path

import plotly.graph_objects as go
import pytest
from docx import Document
from pptx import Presentation
from pypdf import PdfReader

from charts.frame import Chart, finish
from metrics.loading.load import import_return, import_targets
from metrics.queries import Database
from reports import content
from reports.content import Block, Pack, PackChart, PackPage, PackSection, Table
from reports.export import unframe
from reports.pdf import render_pdf
from reports.slides import render_pptx
from reports.word import render_docx
from tests.support.areas import DONCASTER, LEEDS
from views.pages import CASELOADS, TIMELINESS
from views.scorecard import EXCEPTIONS, scorecard
from views.section_content import Note, build_section

GOOD_RETURN = Path(__file__).parent.parent / "returns" / "good" / "april_may_2024.csv"
MARKUP = 'Title #set page(paper: "a5") $x$ *b* _i_ `c` <l> @r [x] \\ // ~'


def squash(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


@pytest.fixture(scope="module")
def packs(built_db):
    db = Database(built_db)
    try:
        return {a.name: content.gather(db, a.area) for a in (DONCASTER, LEEDS)}
    finally:
        db.close()


@pytest.mark.slow
def test_doncaster_pack_holds_every_chart_in_page_order(packs, built_db):
    pack = packs["Doncaster"]
    db = Database(built_db)
    try:
        expected = content.pack_charts(db, DONCASTER.area)
    finally:
        db.close()
    assert [c.chart.title for c in pack.charts] == [c.title for c in expected]
    assert [c.number for c in pack.charts] == list(range(1, len(expected) + 1))
    assert [p.title for p in pack.pages] == [
        "Since the last meeting",
        "Scorecard",
        "Overview",
        "Ofsted journey",
        "Assessment timeliness",
        "Caseloads and demand",
    ]
    assert [b.heading for b in pack.cover] == [
        "Contract targets",
        "Latest Ofsted judgement",
        "Headline indicators",
        "Sources and licence",
    ]


@pytest.mark.slow
def test_area_without_targets_says_whose_they_are_and_drops_empty_pages(packs):
    pack = packs["Leeds"]
    targets = pack.cover[0]
    assert targets.heading == "Contract targets"
    assert targets.paragraphs == (
        "Contract targets, the Trust period and council report figures are held for "
        "Doncaster only; for Leeds this page shows official statistics only.",
    )
    # No milestones for Leeds, so no Overview page; the 2013 report section says why.
    assert "Overview" not in [p.title for p in pack.pages]
    timeliness = next(p for p in pack.pages if p.title == "Assessment timeliness")
    report = next(s for s in timeliness.sections if s.heading.startswith("2013"))
    assert report.charts == []
    assert report.commentary == ["No council report figures are held for Leeds."]


def test_unframed_figure_drops_title_and_footer_and_keeps_the_plot_area():
    fig = go.Figure(go.Scatter(x=[1, 2], y=[3, 4]))
    fig.update_layout(xaxis_title="year")
    source = "Source: A report (page 2). As at 01 Nov 2025."
    finish(fig, "Message title", "Subtitle", source, legend=True)
    before = fig.to_json()
    picture = unframe(fig)
    assert fig.to_json() == before  # the shared chart is left as it was
    bare = picture.fig.layout
    assert not bare.title.text
    assert [a.text for a in bare.annotations] == []
    assert picture.footer.startswith(source) and "Open Government Licence" in (
        picture.footer
    )
    plot_height = fig.layout.height - fig.layout.margin.t - fig.layout.margin.b
    assert bare.height - bare.margin.t - bare.margin.b == plot_height
    assert bare.height < fig.layout.height and picture.height == bare.height


def test_monthly_return_notes_are_the_commentary_of_local_figures(env):
    data, db_path = env
    import_return(GOOD_RETURN.read_bytes(), GOOD_RETURN.name, db_path, data)
    db = Database(db_path)
    try:
        pack = content.gather(db, DONCASTER.area)
    finally:
        db.close()
    monthly = next(c for c in pack.charts if "month end" in c.chart.subtitle)
    assert any(
        note.endswith("(monthly return note): Test fixture: not real figures")
        and "Apr 2024" in note
        for note in monthly.commentary
    ), monthly.commentary


def test_a_section_is_built_once_with_its_notes_charts_and_messages():
    """What the page and every pack format lay out: the section's own notes, each
    missing chart's message, the empty message only without any chart."""
    notes = [
        Note("caseloads", "info", "Caseloads note.", "Report (p 2)"),
        Note("workforce", "warning", "Another section's note.", "Report (p 3)"),
    ]
    section = CASELOADS.section("caseloads")
    none = build_section(section, LEEDS.area, notes, lambda item: [])
    assert [n.text for n in none.notes] == ["Caseloads note."]
    assert none.charts == [] and none.empty is None and none.as_at is None
    assert none.said == [
        "Caseloads note. (Source: Report (p 2).)",
        "Caseloads by team come from a council report; none are held for Leeds.",
        "No published figures of average caseload per social worker (FTE) for Leeds.",
    ]
    report = TIMELINESS.section("report_2013")
    empty = build_section(report, LEEDS.area, notes, lambda item: [])
    assert empty.said == ["No council report figures are held for Leeds."]
    source = "Source: X. As at 01 Nov 2025."
    chart = Chart(go.Figure(), "T", "S", source, "A", None, "t", as_at="01 Nov 2025")
    one = build_section(report, LEEDS.area, [], lambda item: [chart])
    assert one.charts == [chart] * len(report.items)
    assert one.said == [] and one.empty is None and one.as_at == "01 Nov 2025"


def hand_pack() -> Pack:
    """A pack with markup characters everywhere, a front page and one chart."""
    fig = go.Figure(go.Bar(x=["a"], y=[1]))
    finish(fig, MARKUP, "Sub " + MARKUP, "Source: S #1. As at 01 Nov 2025.")
    chart = Chart(
        fig, MARKUP, "Sub " + MARKUP, "Source: S #1.", "Alt " + MARKUP, None, "x"
    )
    table = Table(("Measure", "Value"), ((MARKUP, "1"),))
    scorecard = PackPage("Scorecard", blocks=[Block("Scorecard", table=table)])
    charted = PackPage(
        "Page " + MARKUP,
        "Intro " + MARKUP,
        sections=[
            PackSection(
                "Section " + MARKUP,
                ["Section note " + MARKUP],
                [PackChart(chart, 1, unframe(fig), ["Chart note " + MARKUP])],
            )
        ],
    )
    return Pack(
        DONCASTER.area,
        dt.date(2026, 11, 23),
        "1 November 2025",
        [
            Block(
                "Scorecard " + MARKUP, ("Cover " + MARKUP,), table, "Source: " + MARKUP
            )
        ],
        [scorecard, charted],
    )


SVG = (
    b'<svg xmlns="http://www.w3.org/2000/svg" width="800" height="400">'
    b'<rect width="800" height="400" fill="#12436D"/></svg>'
)


def png() -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (160, 80), "#12436D").save(out, format="PNG")
    return out.getvalue()


def test_pdf_prints_data_as_text_never_as_markup():
    reader = PdfReader(io.BytesIO(render_pdf(hand_pack(), [SVG])))
    text = squash(" ".join(p.extract_text() for p in reader.pages))
    for words in (
        "Scorecard " + MARKUP,
        "Cover " + MARKUP,
        "Figure 1: " + MARKUP,
        "Sub " + MARKUP,
        "Section note " + MARKUP,
        "Chart note " + MARKUP,
        "Intro " + MARKUP,
    ):
        assert squash(words) in text, words
    for page in reader.pages:  # "#set page(paper: a5)" was not obeyed
        assert round(float(page.mediabox.height)) in (842, 595)


def test_front_pages_and_cover_blocks_print_in_every_format():
    pack = hand_pack()
    text = " ".join(
        p.extract_text() for p in PdfReader(io.BytesIO(render_pdf(pack, [SVG]))).pages
    )
    assert "Scorecard Measure Value" in squash(text)
    slides = Presentation(io.BytesIO(render_pptx(pack, [png()]))).slides
    assert [s.shapes.title.text for s in slides] == [pack.title, "Scorecard", MARKUP]
    doc = Document(io.BytesIO(render_docx(pack, [png()])))
    headings = [p.text for p in doc.paragraphs if p.style.name.startswith("Heading")]
    assert headings[:3] == ["Summary", "Scorecard " + MARKUP, "Contents"]
    assert "Scorecard" in headings[3:]
    assert doc.tables[1].rows[1].cells[0].text == MARKUP


def test_extension_points_are_lists_the_pack_renders_in_order(built_db, monkeypatch):
    extra = Block("Scorecard", ("Four of six indicators improved.",))
    page = PackPage("Scorecard", blocks=[extra])
    monkeypatch.setattr(
        content, "COVER_BLOCKS", (content.targets_block, lambda db, a: extra)
    )
    monkeypatch.setattr(content, "FRONT_PAGES", (lambda db, a: page,))
    db = Database(built_db)
    try:
        pack = content.gather(db, DONCASTER.area)
    finally:
        db.close()
    assert [b.heading for b in pack.cover] == ["Contract targets", "Scorecard"]
    # What changed since the last meeting comes first, then the front pages.
    assert pack.pages[0].title == "Since the last meeting"
    assert pack.pages[1] is page and pack.pages[2].title == "Scorecard"
    assert pack.pages[3].title == "Overview"


@pytest.mark.slow
def test_the_scorecard_page_and_every_exception_with_its_chart_and_commentary(env):
    """With the test plans loaded, the pack's first page after the cover and what
    changed since the last meeting is the scorecard, and each measure off track or
    missed follows with its chart."""
    data, db_path = env
    plan = Path(__file__).resolve().parent.parent / "targets" / "good" / "plan.csv"
    import_targets(plan.read_bytes(), plan.name, db_path, data, DONCASTER.code)
    body = b"period_end,metric_id,service_area,value,note\n"
    body += b"2026-09-30,ReReferral,,29.9,Rising after the duty review\n"
    import_return(body, "local.csv", db_path, data, DONCASTER.code)
    db = Database(db_path)
    try:
        card = scorecard(db, DONCASTER.area)
        pack = content.gather(db, DONCASTER.area)
    finally:
        db.close()
    assert pack.pages[0].title == "Since the last meeting"
    first = pack.pages[1]
    assert first.title == "Scorecard" and first.front
    table = first.blocks[0].table
    assert [row[0] for row in table.rows] == list(card.table.measure)
    assert [row[1] for row in table.rows] == list(card.table.status)
    exceptions = [m for m, s in card.statuses.items() if s in EXCEPTIONS]
    assert exceptions  # ReReferral at 29.9 is off its line to 20
    shown = first.sections[0].charts
    assert [c.chart.title for c in shown] == [card.charts[m].title for m in exceptions]
    rereferral = next(c for c in shown if "Re-referrals" in c.chart.title)
    assert any("Rising after the duty review" in note for note in rereferral.commentary)
    summary = next(b for b in pack.cover if b.heading == "Improvement plan")
    assert f"{len(exceptions)} off track or missed" in summary.paragraphs[0]
