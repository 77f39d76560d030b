"""What changed since the last meeting in the board pack: first after the cover in
PDF, PowerPoint and Word; a long text page over several slides; the command line's
--since refused when it is not a past date."""

from __future__ import annotations

import datetime as dt
import io
import re

import pytest
from docx import Document
from pptx import Presentation
from pypdf import PdfReader

from metrics.queries import Database
from reports import content
from reports.pdf import render_pdf
from reports.slides import render_pptx
from reports.word import render_docx
from tests.support import since as since_data
from tests.support.areas import DONCASTER
from views.since import since

TODAY = dt.date.today()


@pytest.mark.slow
def test_the_pack_prints_the_section_first_in_every_format(since_made):
    database = Database(since_made.db)
    try:
        found = since(database, DONCASTER.area, since_data.CHOSEN, TODAY)
        pack = content.gather(
            database,
            DONCASTER.area,
            chart_for=lambda item, area, model: [],
            today=TODAY,
            changes=found,
        )
    finally:
        database.close()
    first = pack.pages[0]
    assert first.title == "Since the last meeting" and first.front
    assert [b.heading for b in first.blocks] == [g.heading for g in found.groups]
    wanted = [
        "Outstanding",
        since_made.neighbour_name,
        "september.csv",
        "Off track now",
        "See the chart against the plan on the Scorecard",
    ]
    pdf = " ".join(
        p.extract_text() for p in PdfReader(io.BytesIO(render_pdf(pack, []))).pages
    )
    slides = Presentation(io.BytesIO(render_pptx(pack, [])))
    pptx = " ".join(
        shape.text_frame.text
        for slide in slides.slides
        for shape in slide.shapes
        if shape.has_text_frame
    )
    since_slides = [
        s.shapes.title.text
        for s in slides.slides
        if s.shapes.title.text.startswith("Since the last meeting")
    ]
    assert since_slides[0] == "Since the last meeting"
    assert set(since_slides[1:]) <= {"Since the last meeting (continued)"}
    doc = Document(io.BytesIO(render_docx(pack, [])))
    docx = " ".join(p.text for p in doc.paragraphs)
    for name, text in (("pdf", pdf), ("pptx", pptx), ("docx", docx)):
        flat = re.sub(r"\s+", " ", text)
        assert "Since the last meeting" in flat, name
        for words in wanted:
            assert words in flat, (name, words)


def test_the_pack_command_refuses_a_since_that_is_not_a_past_date(capsys):
    from reports.__main__ import main

    later = (TODAY + dt.timedelta(days=1)).isoformat()
    for bad in ("2026-13-01", later):
        with pytest.raises(SystemExit) as exit_:
            main(["--since", bad, "--out", "pack.pdf"])
        assert exit_.value.code == 2
        assert f"'{bad}' is not a date YYYY-MM-DD on or before today" in (
            capsys.readouterr().err
        )


def test_a_long_text_page_runs_over_onto_more_slides():
    from reports.slides import SLIDE_CHARACTERS

    long = "x" * (SLIDE_CHARACTERS // 2)
    blocks = [content.Block(f"Part {n}", (long,)) for n in range(3)]
    page = content.PackPage("Since the last meeting", blocks=blocks, front=True)
    pack = content.Pack(DONCASTER.area, TODAY, "1 March 2026", [], [page])
    slides = Presentation(io.BytesIO(render_pptx(pack, []))).slides
    titles = [s.shapes.title.text for s in slides][1:]
    assert (
        titles
        == ["Since the last meeting"] + ["Since the last meeting (continued)"] * 2
    )
    texts = [
        " ".join(sh.text_frame.text for sh in s.shapes if sh.has_text_frame)
        for s in list(slides)[1:]
    ]
    assert [t.count("Part ") for t in texts] == [1, 1, 1]
