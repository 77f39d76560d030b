"""The board pack for an area in any of its formats: gather the content, draw the
charts once for the format, hand both to its renderer."""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from charts.frame import Chart
from metrics.areas import Area
from metrics.pack_log import record_prepared
from metrics.queries import Database
from reports import export
from reports.content import ChartFor, Pack, gather, pack_charts
from reports.export import BoardPackError, chromium_path
from views.since import Since

__all__ = [
    "PACK_FORMATS",
    "BoardPack",
    "BoardPackError",
    "build_board_pack",
    "chromium_path",
    "pack_charts",
]


@dataclass(frozen=True)
class PackFormat:
    """One format of the board pack: its picture format and scale, file type and
    label."""

    name: str
    picture: str  # "svg" or "png"
    scale: float
    mime: str
    label: str


PACK_FORMATS = {
    "pdf": PackFormat("pdf", "svg", 1, "application/pdf", "PDF"),
    "pptx": PackFormat(
        "pptx",
        "png",
        2,
        "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        "PowerPoint",
    ),
    "docx": PackFormat(
        "docx",
        "png",
        2,
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "Word",
    ),
}


@dataclass
class BoardPack:
    """A rendered pack: the file's bytes, what it holds and where the time went."""

    content: bytes
    pack: Pack
    fmt: str
    seconds: dict[str, float] = field(default_factory=dict)

    @property
    def charts(self) -> list[Chart]:
        """The charts printed, in figure order."""
        return [c.chart for c in self.pack.charts]


def _render(fmt: str, pack: Pack, pictures: list[bytes]) -> bytes:
    # Each renderer imports its own library, which only its format needs.
    if fmt == "pdf":
        from reports.pdf import render_pdf

        return render_pdf(pack, pictures)
    if fmt == "pptx":
        from reports.slides import render_pptx

        return render_pptx(pack, pictures)
    from reports.word import render_docx

    return render_docx(pack, pictures)


def build_board_pack(
    db: Database,
    area: Area,
    fmt: str = "pdf",
    *,
    model: str = "2025",
    chart_for: ChartFor | None = None,
    progress: Callable[[float, str], None] | None = None,
    today: dt.date | None = None,
    changes: Since | None = None,
    record: bool = True,
) -> BoardPack:
    """Render an area's pack as PDF, PowerPoint or Word.

    Progress runs from 0 to 1: building the charts (to 0.5), waiting for the last
    drawings (to 0.95), then laying out the file. ``chart_for(item, area, model)``
    may serve charts from a cache (the dashboard's); by default each is built from
    ``db``. ``changes`` is what changed since the day the board chose (default:
    since the last pack). ``record``: log the pack as prepared (metrics.pack_log),
    the default day of the next one. ``seconds`` says where the time went.
    """
    if fmt not in PACK_FORMATS:
        raise ValueError(f"unknown board pack format {fmt!r}")
    spec = PACK_FORMATS[fmt]
    say = progress or (lambda fraction, message: None)
    seconds = {}
    start = time.perf_counter()
    # Chromium starts in the background while the first chart is built, and draws
    # each chart while the next is built.
    export.start()
    with export.Drawer(spec.picture, spec.scale) as drawer:
        pack = gather(
            db,
            area,
            model=model,
            chart_for=chart_for,
            progress=lambda f, m: say(0.5 * f, m),
            today=today,
            on_chart=lambda c: drawer.add(c.picture),
            changes=changes,
        )
        seconds["content"] = time.perf_counter() - start
        mark = time.perf_counter()
        pictures = drawer.results(
            lambda i, n: say(0.5 + 0.45 * i / n, f"Drawn chart {i} of {n}")
        )
        seconds["drawing after content"] = time.perf_counter() - mark
    say(0.95, f"Laying out the {spec.label} file")
    mark = time.perf_counter()
    content = _render(fmt, pack, pictures)
    seconds["layout"] = time.perf_counter() - mark
    seconds["total"] = time.perf_counter() - start
    if record:
        try:
            record_prepared(db.path, area.code, fmt)
        except OSError:
            # A data folder that cannot be written to costs the next pack its default
            # date (it falls back to 30 days), not this pack.
            pass
    say(1.0, "Board pack ready")
    return BoardPack(content, pack, fmt, seconds)
