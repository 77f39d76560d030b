"""How wide a chart's text will be in the browser, and wrapping it to a width in
pixels: Plotly draws text on one line unless told where to break it.

Widths are Arial's advance widths (thousandths of an em); Chromium draws the
template's Arial with it or with Liberation Sans, which has the same widths. Bold
is taken as 10% wider, and unknown characters (symbols) as a full em, so estimates
err on the wide side.
"""

from __future__ import annotations

import re

_WIDTHS = {
    **dict.fromkeys("ijl'|", 222),
    **dict.fromkeys(" ftI.,:;!/[]\\", 278),
    **dict.fromkeys("r()-–", 333),
    **dict.fromkeys('"*', 355),
    **dict.fromkeys("ckvxyzJs", 500),
    **dict.fromkeys("abdeghnopqu0123456789$#_?L", 556),
    **dict.fromkeys("+<>=~", 584),
    **dict.fromkeys("FTZ", 611),
    **dict.fromkeys("ABEKPSVXY&", 667),
    **dict.fromkeys("wCDHNRU", 722),
    **dict.fromkeys("GOQ", 778),
    **dict.fromkeys("mM", 833),
    **dict.fromkeys("%", 889),
    **dict.fromkeys("W—", 944),
    "·": 278,
    "’": 222,
    "‘": 222,
    "“": 333,
    "”": 333,
    "…": 1000,
}
_TAG = re.compile(r"<[^>]+>")
SAFETY = 1.04  # rounding and kerning differences between fonts


def text_width(text: str, size: float, bold: bool = False) -> float:
    """Estimated width in px of one line of plain text at ``size`` px."""
    ems = sum(_WIDTHS.get(c, 1000) for c in _TAG.sub("", text)) / 1000
    return ems * size * (1.1 if bold else 1.0) * SAFETY


def wrap_px(text: str, width: float, size: float, bold: bool = False) -> list[str]:
    """Split text at spaces into lines no wider than ``width`` px where words allow
    (a word wider than the line keeps a line of its own)."""
    lines: list[str] = []
    line = ""
    for word in text.split():
        candidate = f"{line} {word}" if line else word
        if line and text_width(candidate, size, bold) > width:
            lines.append(line)
            line = word
        else:
            line = candidate
    return [*lines, line] if line else lines or [""]


def widest(lines: list[str], size: float, bold: bool = False) -> float:
    """The width of the widest of some lines."""
    return max((text_width(line, size, bold) for line in lines), default=0.0)


def wrap_html(text: str, width: float, size: float) -> str:
    """Text (which may hold <br> and whole-line <b>) wrapped to ``width`` px."""
    lines = []
    for part in str(text).split("<br>"):
        bold = part.startswith("<b>") and part.endswith("</b>")
        plain = part[3:-4] if bold else part
        for line in wrap_px(plain, width, size, bold):
            lines.append(f"<b>{line}</b>" if bold else line)
    return "<br>".join(lines)


def lines_of(text: str) -> int:
    """How many lines a Plotly text with <br> breaks takes."""
    return str(text).count("<br>") + 1


def line_height(size: float, lines: int = 1) -> float:
    """The height in px of ``lines`` lines of text at ``size`` px, as Plotly sets
    them (1.3 em a line)."""
    return size * 1.3 * lines


def stack_rows(
    spans: list[tuple[float, float]], gap: float = 4.0, most: int | None = None
) -> list[int | None]:
    """A row for each span (left, right in px) so that no two in a row come within
    ``gap`` px of each other: the first row that has room, in order of the spans; None
    for a span that finds no room in ``most`` rows."""
    ends: list[float] = []  # the right edge of the last span placed in each row
    rows: list[int | None] = []
    for left, right in spans:
        row = next((r for r, end in enumerate(ends) if left >= end + gap), None)
        if row is None and (most is None or len(ends) < most):
            ends.append(float("-inf"))
            row = len(ends) - 1
        if row is not None:
            ends[row] = right
        rows.append(row)
    return rows


Box = tuple[float, float, float, float]  # left, top, right, bottom in px, y down


def boxes_meet(a: Box, b: Box, gap: float = 0.0) -> bool:
    """Whether two boxes come within ``gap`` px of each other both ways."""
    return (
        a[0] < b[2] + gap
        and b[0] < a[2] + gap
        and a[1] < b[3] + gap
        and b[1] < a[3] + gap
    )


def first_free(
    candidates: list[Box], taken: list[Box], gap: float = 2.0, within: Box | None = None
) -> int | None:
    """The first of a label's candidate boxes that meets none of ``taken`` (and lies
    inside ``within``, where given); None where every one does."""
    for i, box in enumerate(candidates):
        if within is not None and not (
            box[0] >= within[0] and box[1] >= within[1]
            and box[2] <= within[2] and box[3] <= within[3]
        ):  # fmt: skip
            continue
        if not any(boxes_meet(box, other, gap) for other in taken):
            return i
    return None
