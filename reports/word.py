"""The board pack as a Word document for committee papers: the PDF's content on A4,
each chart a picture with its alt text under a "Figure N: title" caption (a SEQ
field, so Word's table of figures finds it), its subtitle above and its source
under it; headings Word's own, so its navigation pane and contents work."""

from __future__ import annotations

import io

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor

from reports.content import Block, Pack, PackChart

GREY = RGBColor(0x50, 0x5A, 0x5F)
TEXT_WIDTH_MM = 170  # A4's 210 mm less 20 mm margins
TALLEST_MM = 200
SHORT_COLUMN, SHORT_MM = 14, 22  # a table column of short text, and its width


def _field(paragraph, instruction: str, shown: str) -> None:
    """A Word field (PAGE, NUMPAGES, SEQ, TOC) with the value shown until updated."""

    def char(kind: str):
        run = paragraph.add_run()
        el = OxmlElement("w:fldChar")
        el.set(qn("w:fldCharType"), kind)
        run._r.append(el)

    char("begin")
    run = paragraph.add_run()
    instr = OxmlElement("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = f" {instruction} "
    run._r.append(instr)
    char("separate")
    paragraph.add_run(shown)
    char("end")


def _small(doc, text: str):
    paragraph = doc.add_paragraph()
    run = paragraph.add_run(text)
    run.font.size = Pt(8)
    run.font.color.rgb = GREY
    return paragraph


def _setup(doc, pack: Pack) -> None:
    """A4, equal margins, language, title, running header and 'Page N of M'."""
    doc.core_properties.title = pack.title
    doc.core_properties.language = "en-GB"
    normal = doc.styles["Normal"]
    normal.font.name = "Arial"
    normal.font.size = Pt(10)
    lang = OxmlElement("w:lang")
    lang.set(qn("w:val"), "en-GB")
    normal.element.get_or_add_rPr().append(lang)
    # A caption is the chart's message title: as plain and as large as body text.
    caption = doc.styles["Caption"].font
    caption.size, caption.bold, caption.italic = Pt(11), True, False
    caption.color.rgb = RGBColor(0x0B, 0x0C, 0x0C)
    section = doc.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    for side in ("top_margin", "bottom_margin", "left_margin", "right_margin"):
        setattr(section, side, Mm(20))
    header = section.header.paragraphs[0]
    header.text = "\t".join(pack.header)
    footer = section.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    footer.add_run("Page ")
    _field(footer, "PAGE", "1")
    footer.add_run(" of ")
    _field(footer, "NUMPAGES", "1")
    for paragraph in (header, footer):
        for run in paragraph.runs:
            run.font.size = Pt(8)
    # Ask Word to fill in the contents and page numbers on opening.
    update = OxmlElement("w:updateFields")
    update.set(qn("w:val"), "true")
    doc.settings.element.append(update)


def _block(doc, block: Block) -> None:
    doc.add_heading(block.heading, 2)
    for text in block.paragraphs:
        doc.add_paragraph(text)
    if block.table is not None:
        table = doc.add_table(rows=1, cols=len(block.table.header))
        table.style = "Table Grid"
        for cell, text in zip(table.rows[0].cells, block.table.header):
            cell.text = text
            cell.paragraphs[0].runs[0].font.bold = True
        # The first row repeats on every page and is read as the header row.
        header = OxmlElement("w:tblHeader")
        table.rows[0]._tr.get_or_add_trPr().append(header)
        for row in block.table.rows:
            for cell, text in zip(table.add_row().cells, row):
                cell.text = text
        # Short columns a fixed width; long ones share the rest by their length.
        cells = [block.table.header, *block.table.rows]
        longest = [max(len(row[i]) for row in cells) for i in range(len(cells[0]))]
        short = [n <= SHORT_COLUMN for n in longest]
        rest = TEXT_WIDTH_MM - SHORT_MM * sum(short)
        long_total = sum(min(n, 40) for n, s in zip(longest, short) if not s) or 1
        table.autofit = False
        for column, n, is_short in zip(table.columns, longest, short):
            column.width = Mm(SHORT_MM if is_short else rest * min(n, 40) / long_total)
            for cell in column.cells:
                cell.width = column.width
    if block.source:
        _small(doc, block.source)


def _chart(doc, c: PackChart, png: bytes) -> None:
    caption = doc.add_paragraph(style="Caption")
    caption.add_run("Figure ")
    _field(caption, "SEQ Figure \\* ARABIC", str(c.number))
    caption.add_run(f": {c.chart.title}")
    caption.paragraph_format.keep_with_next = True
    subtitle = _small(doc, c.chart.subtitle)
    subtitle.paragraph_format.keep_with_next = True
    width = TEXT_WIDTH_MM
    if width * c.picture.height / c.picture.width > TALLEST_MM:
        width = TALLEST_MM * c.picture.width / c.picture.height
    holder = doc.add_paragraph()
    holder.alignment = WD_ALIGN_PARAGRAPH.CENTER
    holder.paragraph_format.keep_with_next = True
    shape = holder.add_run().add_picture(io.BytesIO(png), width=Mm(width))
    shape._inline.docPr.set("descr", c.chart.alt)
    shape._inline.docPr.set("name", f"Figure {c.number}")
    _small(doc, c.footer)
    for note in c.commentary:
        doc.add_paragraph(note)


def render_docx(pack: Pack, pngs: list[bytes]) -> bytes:
    """The Word document of a pack, given each chart's PNG in figure order."""
    doc = Document()
    _setup(doc, pack)
    doc.add_heading(pack.title, 0)
    doc.add_paragraph(pack.summary)
    doc.add_heading("Summary", 1)
    for block in pack.cover:
        _block(doc, block)
    contents = doc.add_heading("Contents", 1)
    contents.paragraph_format.page_break_before = True
    _field(
        doc.add_paragraph(),
        'TOC \\o "1-2" \\h \\z \\u',
        "Word fills in the contents when the document is opened.",
    )
    for page in pack.pages:
        heading = doc.add_heading(page.title, 1)
        heading.paragraph_format.page_break_before = True
        if page.intro:
            doc.add_paragraph(page.intro)
        for block in page.blocks:
            _block(doc, block)
        for section in page.sections:
            if section.heading:
                doc.add_heading(section.heading, 2)
            for note in section.commentary:
                doc.add_paragraph(note)
            for c in section.charts:
                _chart(doc, c, pngs[c.number - 1])
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()
