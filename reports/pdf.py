"""The board pack as an A4 PDF, typeset by typst from reports/pack.typ.

The words go to typst as data (pack.json, read with json()), never spliced into
markup, so nothing from the data needs escaping. The charts go as SVG, with their
own alt text; typst tags the PDF, and PDF/UA-1 is enforced, so a chart without alt
text, a missing title or language stops the build rather than shipping.
"""

from __future__ import annotations

import dataclasses
import json
import tempfile
from pathlib import Path

from reports.content import Block, Pack, PackChart

TEMPLATE = Path(__file__).with_name("pack.typ")
TEXT_WIDTH_MM = 170  # A4's 210 mm less 20 mm margins
SHORT = 14  # characters: a table column no longer than this fits its text
TALLEST_MM = 190  # a chart no taller, so it fits a page with its title and source


def chart_height_mm(c: PackChart) -> float:
    """How tall the chart prints: across the text width, or shrunk to fit a page."""
    return round(min(TEXT_WIDTH_MM * c.picture.height / c.picture.width, TALLEST_MM), 1)


def _block(b: Block) -> dict:
    out = dataclasses.asdict(b)
    if b.table is not None:
        # Short columns fit their text; long ones share the rest by their length.
        cells = [b.table.header, *b.table.rows]
        longest = [max(len(row[i]) for row in cells) for i in range(len(cells[0]))]
        out["table"]["widths"] = [n if n > SHORT else "auto" for n in longest]
    return out


def pack_data(pack: Pack, files: list[str]) -> dict:
    """Everything the template prints, as JSON-ready values."""
    return {
        "title": pack.title,
        "summary": pack.summary,
        "header": list(pack.header),
        "cover": [_block(b) for b in pack.cover],
        "pages": [
            {
                "title": p.title,
                "front": p.front,
                "intro": p.intro,
                "blocks": [_block(b) for b in p.blocks],
                "sections": [
                    {
                        "heading": s.heading,
                        "commentary": s.commentary,
                        "charts": [
                            {
                                "title": c.chart.title,
                                "subtitle": c.chart.subtitle,
                                "alt": c.chart.alt,
                                "footer": c.footer,
                                "commentary": c.commentary,
                                "file": files[c.number - 1],
                                "height_mm": chart_height_mm(c),
                            }
                            for c in s.charts
                        ],
                    }
                    for s in p.sections
                ],
            }
            for p in pack.pages
        ],
    }


def render_pdf(pack: Pack, svgs: list[bytes]) -> bytes:
    """The PDF of a pack, given each chart's SVG in figure order."""
    import typst

    with tempfile.TemporaryDirectory(prefix="board-pack-") as tmp:
        root = Path(tmp)
        files = []
        for number, svg in enumerate(svgs, start=1):
            name = f"figure-{number}.svg"
            (root / name).write_bytes(svg)
            files.append(name)
        (root / "pack.json").write_text(
            json.dumps(pack_data(pack, files), ensure_ascii=False), encoding="utf-8"
        )
        source = root / "pack.typ"
        source.write_bytes(TEMPLATE.read_bytes())
        return typst.compile(str(source), root=str(root), pdf_standards=["ua-1"])
