"""The board pack as PowerPoint: a title slide, then a slide per chart with the
chart's title as the slide's title, the chart as a picture with its alt text, its
subtitle and source on the slide, and its commentary in the speaker notes."""

from __future__ import annotations

import io

from pptx import Presentation
from pptx.dml.color import RGBColor
from pptx.enum.text import PP_ALIGN
from pptx.util import Emu, Inches, Pt

from reports.content import Block, Pack, PackChart

BLUE = RGBColor(0x12, 0x43, 0x6D)
GREY = RGBColor(0x50, 0x5A, 0x5F)
WIDE = (Inches(13.333), Inches(7.5))  # 16:9
SIDE = Inches(0.5)
TITLE_LAYOUT, TITLE_ONLY_LAYOUT = 0, 5  # of python-pptx's default template


def _text_box(slide, top, height, text: str, size: int, colour=GREY):
    """A word-wrapped text box across the slide."""
    box = slide.shapes.add_textbox(SIDE, top, WIDE[0] - 2 * SIDE, height)
    frame = box.text_frame
    frame.word_wrap = True
    frame.text = text
    for paragraph in frame.paragraphs:
        for run in paragraph.runs:
            run.font.size = Pt(size)
            run.font.color.rgb = colour
    return box


def block_text(block: Block) -> str:
    """A cover block as plain lines, for the title slide's notes."""
    lines = [block.heading, *block.paragraphs]
    if block.table is not None:
        lines += ["; ".join(block.table.header)]
        lines += ["; ".join(row) for row in block.table.rows]
    if block.source:
        lines.append(block.source)
    return "\n".join(lines)


def _title_slide(prs, pack: Pack) -> None:
    slide = prs.slides.add_slide(prs.slide_layouts[TITLE_LAYOUT])
    # The template's placeholders are placed for 4:3 slides.
    for shape, top, height in zip(
        slide.placeholders, (Inches(1.8), Inches(3.9)), (Inches(1.9), Inches(1.6))
    ):
        shape.left, shape.width = SIDE, WIDE[0] - 2 * SIDE
        shape.top, shape.height = top, height
    slide.shapes.title.text = pack.title
    slide.placeholders[1].text = pack.summary
    # The cover's blocks (targets, latest grade, headline indicators) for the
    # presenter: the slides that follow are the charts.
    slide.notes_slide.notes_text_frame.text = "\n\n".join(
        block_text(b) for b in pack.cover
    )


def _set_title(slide, text: str) -> None:
    """The slide's title across the top, in the pack's blue."""
    title = slide.shapes.title
    title.left, title.top = SIDE, Inches(0.2)
    title.width, title.height = WIDE[0] - 2 * SIDE, Inches(0.95)
    title.text = text
    for paragraph in title.text_frame.paragraphs:
        paragraph.alignment = PP_ALIGN.LEFT
        for run in paragraph.runs:
            run.font.size = Pt(24)
            run.font.bold = True
            run.font.color.rgb = BLUE


# About what a text slide's box holds at 12 pt: 28 lines of some 130 characters, with
# room for the lines that wrap short.
SLIDE_CHARACTERS = 2400


def _text_slide(prs, title: str, blocks: list[Block]) -> None:
    """A page of text blocks (a page after the cover) as slides: as many blocks to
    a slide as fit, the next block on a slide of its own title."""
    texts = [block_text(b) for b in blocks]
    slides: list[list[str]] = [[]]
    for text in texts:
        if slides[-1] and sum(map(len, slides[-1])) + len(text) > SLIDE_CHARACTERS:
            slides.append([])
        slides[-1].append(text)
    for n, part in enumerate(slides):
        slide = prs.slides.add_slide(prs.slide_layouts[TITLE_ONLY_LAYOUT])
        _set_title(slide, title if n == 0 else f"{title} (continued)")
        _text_box(slide, Inches(1.3), Inches(5.8), "\n\n".join(part), 12)


def _chart_slide(prs, c: PackChart, commentary: list[str], png: bytes):
    slide = prs.slides.add_slide(prs.slide_layouts[TITLE_ONLY_LAYOUT])
    _set_title(slide, c.chart.title)
    _text_box(slide, Inches(1.2), Inches(0.5), c.chart.subtitle, 13)
    # The picture as large as fits between the subtitle and the source.
    top, bottom = Inches(1.8), Inches(6.45)
    ratio = c.picture.height / c.picture.width
    width = WIDE[0] - 2 * SIDE
    height = int(width * ratio)
    if height > bottom - top:
        height = bottom - top
        width = int(height / ratio)
    picture = slide.shapes.add_picture(
        io.BytesIO(png), Emu((WIDE[0] - width) // 2), top, Emu(width), Emu(height)
    )
    picture._element.nvPicPr.cNvPr.set("descr", c.chart.alt)
    picture.name = f"Figure {c.number}"
    _text_box(slide, Inches(6.5), Inches(0.8), c.footer, 10)
    if commentary:
        slide.notes_slide.notes_text_frame.text = "\n\n".join(commentary)


def render_pptx(pack: Pack, pngs: list[bytes]) -> bytes:
    """The PowerPoint file of a pack, given each chart's PNG in figure order."""
    prs = Presentation()
    prs.slide_width, prs.slide_height = WIDE
    prs.core_properties.title = pack.title
    prs.core_properties.language = "en-GB"
    _title_slide(prs, pack)
    for page in pack.pages:
        if page.blocks:
            _text_slide(prs, page.title, page.blocks)
        intro = [page.intro] if page.intro else []
        for section in page.sections:
            for c in section.charts:
                # The page's introduction goes with its first chart; a section's
                # notes with each of its charts.
                notes = intro + section.commentary + c.commentary
                intro = []
                _chart_slide(prs, c, notes, pngs[c.number - 1])
    out = io.BytesIO()
    prs.save(out)
    return out.getvalue()
