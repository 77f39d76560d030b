"""Charts as pictures for the packs, shared by all three formats: the figure without
the frame the packs print as real text (title, subtitle, source line), drawn by
kaleido with the system Chromium as SVG (the PDF) or PNG at 2x (PowerPoint, Word)."""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass

import plotly.graph_objects as go

from charts import export as drawing
from charts.export import chromium_path
from charts.frame import legend_band

WIDTH = 800  # px: 14 px type prints at about 8.5 pt across A4 portrait's 170 mm
LEGEND_TOP = 42  # px above the plot area for a legend over it (finish() puts it there)
PLAIN_TOP = 14
FOOTER_LINE = 18  # px a footer line takes in finish()'s bottom margin
FOOTER_GAP = 20  # px finish() leaves between the tick labels and the footer


class BoardPackError(RuntimeError):
    """The pack cannot be rendered here; the message says how to fix it."""


@dataclass(frozen=True)
class Picture:
    """A chart's figure without its title, subtitle and footer, at its pack size."""

    fig: go.Figure
    width: int
    height: int
    footer: str  # what the chart says under itself: notes, source, as at, licence


def _is_footer(annotation: go.layout.Annotation) -> bool:
    """Whether an annotation is the footer charts.frame.finish() hangs under the plot."""
    return (
        annotation.xref == "paper"
        and annotation.yref == "paper"
        and annotation.y == 0
        and annotation.yanchor == "top"
        and (annotation.yshift or 0) < 0
    )


def plain(text: str) -> str:
    """Plotly's HTML-like label text as one plain line."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", re.sub(r"<br\s*/?>", " ", text)))


def unframe(fig: go.Figure) -> Picture:
    """A copy of the figure with no title or footer, its plot area the same size.

    The packs print the title, subtitle and footer as text around the picture, so
    they are selectable, searchable and read aloud, and are not said twice.
    """
    bare = go.Figure(fig)
    footers = [a for a in bare.layout.annotations if _is_footer(a)]
    lines = sum(a.text.count("<br>") + 1 for a in footers)
    bare.layout.annotations = [a for a in bare.layout.annotations if not _is_footer(a)]
    top = bare.layout.margin.t or 0
    bottom = bare.layout.margin.b or 0
    height = int(bare.layout.height or 500)
    # The legend's rows and any band of labels over the plot keep their room.
    frame = (bare.layout.meta or {}).get("frame", {})
    legend = max(LEGEND_TOP, legend_band(bare) + 8) if bare.layout.showlegend else 0
    new_top = (legend or PLAIN_TOP) + math.ceil(frame.get("band", 0))
    # finish() leaves a gap between the tick labels and the footer; close it too.
    new_bottom = max(bottom - FOOTER_LINE * lines - FOOTER_GAP, 36) if lines else bottom
    height -= (top - new_top) + (bottom - new_bottom)
    bare.update_layout(
        title_text="",
        margin={"t": new_top, "b": new_bottom},
        height=height,
        width=WIDTH,
    )
    return Picture(bare, WIDTH, height, " ".join(plain(a.text) for a in footers))


def start() -> None:
    """Start kaleido's Chromium (in the background) or say how to install it."""
    if chromium_path() is None:
        raise BoardPackError(
            "The board pack's charts are drawn by Chromium, which is not installed on "
            f"this machine. Install it with '{drawing.INSTALL}' (Debian/Ubuntu) and "
            "try again."
        )
    drawing.start_drawing()


def stop() -> None:
    """Close kaleido's Chromium (a command line does, before it exits)."""
    drawing.stop_drawing()


def draw(picture: Picture, fmt: str, scale: float = 1) -> bytes:
    """The picture as SVG or PNG bytes (start() first)."""
    return drawing.draw(picture.fig, fmt, picture.width, picture.height, scale)


class Drawer:
    """Draws pictures one after another in a thread of its own, so that Chromium
    draws one chart while Python builds the next; results come back in order."""

    def __init__(self, fmt: str, scale: float = 1):
        self.fmt, self.scale = fmt, scale
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="pack-draw")
        self._pending: list[Future[bytes]] = []

    def add(self, picture: Picture) -> None:
        """Queue a picture to draw."""
        self._pending.append(self._pool.submit(draw, picture, self.fmt, self.scale))

    def results(
        self, progress: Callable[[int, int], None] | None = None
    ) -> list[bytes]:
        """Every picture queued, in order; ``progress(i, n)`` as the i-th is ready."""
        out = []
        for i, future in enumerate(self._pending, start=1):
            out.append(future.result())
            if progress:
                progress(i, len(self._pending))
        return out

    def __enter__(self) -> Drawer:
        return self

    def __exit__(self, *exc: object) -> None:
        # On an error, drawings not yet started are dropped.
        self._pool.shutdown(cancel_futures=True)
