"""The board pack: a PDF of the focus LA's overview and every chart, in page order."""

from __future__ import annotations

import datetime as dt
import io
import shutil
from collections.abc import Callable

import pandas as pd
import plotly.graph_objects as go
import plotly.io as pio
from pypdf import PdfWriter

from charts.frame import Chart, wrap
from charts.style import BACKGROUND, TEMPLATE, TEXT
from metrics.areas import Area
from metrics.config import OGL_ATTRIBUTION
from metrics.formatting import as_at, fmt
from metrics.grades import grade_label
from metrics.queries import Database
from views.overview import contract_note, target_cards
from views.pages import PAGES
from views.sections import build_charts

PAGE_WIDTH = 1100


class BoardPackError(RuntimeError):
    """The pack cannot be rendered here; the message says how to fix it."""


def chromium_path() -> str | None:
    """The Chromium kaleido will use, if any."""
    return shutil.which("chromium") or shutil.which("chromium-browser")


def target_lines(targets: pd.DataFrame) -> list[str]:
    """One sentence per contract target with its computed status."""
    return [
        f"{c.heading}: {c.status.lower()}. {c.explanation}"
        for c in target_cards(targets)
    ]


def pack_charts(db: Database, area: Area, model: str = "2025") -> list[Chart]:
    """Every chart the pages show for an area, in page and section order."""
    return [
        chart
        for page in PAGES
        for section in page.sections
        for item in section.items
        for chart in build_charts(db, item, area, model)
    ]


def _text_page(
    title: str, blocks: list[tuple[str, list[str]]], footer: str
) -> go.Figure:
    """A page of headed text blocks drawn as a figure, so it renders like the charts."""
    html = [f"<b style='font-size:30px'>{title}</b>", ""]
    for heading, lines in blocks:
        html.append(f"<b style='font-size:20px'>{heading}</b>")
        for line in lines:
            html.extend(wrap(line, 95))
        html.append("")
    fig = go.Figure()
    for text, y, size in (
        ("<br>".join(html), 1, 16),
        ("<br>".join(wrap(footer, 150)), 0, 11),
    ):
        fig.add_annotation(
            text=text,
            x=0,
            y=y,
            xref="paper",
            yref="paper",
            xanchor="left",
            yanchor="top" if y else "bottom",
            align="left",
            showarrow=False,
            font={"size": size, "color": TEXT},
        )
    fig.update_layout(
        template=TEMPLATE,
        height=1400,
        paper_bgcolor=BACKGROUND,
        xaxis={"visible": False},
        yaxis={"visible": False},
        margin={"t": 60, "b": 60, "l": 60, "r": 60},
        showlegend=False,
    )
    return fig


def cover_page(db: Database, area: Area, generated: dt.date) -> go.Figure:
    """Cover: target status, latest grade, headline indicators, date and attribution."""
    targets = db.target_status(area.code)
    judgements = db.judgements(area.code)
    headline = db.headline(area.code)
    blocks = []
    blocks.append(
        (
            "Contract targets",
            target_lines(targets) or [contract_note(db, area) or ""],
        )
    )
    if len(judgements):
        last = judgements.iloc[-1]
        blocks.append(
            (
                "Latest Ofsted judgement",
                [
                    f"{grade_label(last.overall_grade)} ({last.framework}, published "
                    f"{as_at(last.decided_on)})"
                ],
            )
        )
    rows = []
    for h in headline.itertuples():
        dps = 1 if pd.isna(h.dps) else int(h.dps)
        rows.append(
            f"{h.label}, {h.period_label}: {fmt(h.value, dps)} (England "
            f"{fmt(h.england_value, dps)}; previous year {fmt(h.previous_value, dps)}). "
            f"{h.rag}."
        )
    blocks.append(("Headline indicators (DfE LAIT)", rows))
    return _text_page(
        f"{area.name}: children's social care board pack",
        [
            (
                "",
                [
                    f"Generated {generated:%d %B %Y}. Every chart that follows states its "
                    "source and the date its data are as at."
                ],
            )
        ]
        + blocks,
        f"{OGL_ATTRIBUTION} Figures from council reports and news articles are cited "
        "on each chart.",
    )


def _pdf(fig: go.Figure, height: int) -> bytes:
    return pio.to_image(fig, format="pdf", width=PAGE_WIDTH, height=height)


def build_board_pack(
    db: Database,
    area: Area,
    *,
    model: str = "2025",
    progress: Callable[[float, str], None] | None = None,
    today: dt.date | None = None,
) -> tuple[bytes, list[Chart]]:
    """Render the pack; return the PDF bytes and the charts in the order printed."""
    if chromium_path() is None:
        raise BoardPackError(
            "The PDF board pack is drawn by Chromium, which is not installed on this "
            "machine. Install it with 'apt-get install chromium' (Debian/Ubuntu) and "
            "try again."
        )
    import kaleido

    kaleido.start_sync_server(silence_warnings=True)
    say = progress or (lambda fraction, message: None)
    charts = pack_charts(db, area, model)
    writer = PdfWriter()
    say(0.0, "Drawing the cover")
    cover = cover_page(db, area, today or dt.date.today())
    writer.append(io.BytesIO(_pdf(cover, 1400)))
    for i, chart in enumerate(charts, start=1):
        say(i / (len(charts) + 1), f"Drawing chart {i} of {len(charts)}")
        writer.append(io.BytesIO(_pdf(chart.fig, int(chart.fig.layout.height or 600))))
    writer.add_metadata({"/Title": f"{area.name}: children's social care board pack"})
    out = io.BytesIO()
    writer.write(out)
    say(1.0, "Board pack ready")
    return out.getvalue(), charts
