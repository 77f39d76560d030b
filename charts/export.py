"""A chart as files: the picture (PNG, SVG) at the desktop layout, and its data as an
Excel workbook with the chart's title, subtitle, source and as-at line beside it."""

from __future__ import annotations

import io
import shutil
import threading

import pandas as pd
import plotly.graph_objects as go

from charts.frame import Chart

WIDTH = 1000  # px: the desktop layout's width in a download
INSTALL = "apt-get install chromium"
# kaleido's sync server is one Chromium a process with one queue for answers: two
# drawings at once (a download and a board pack, say) could be handed each other's
# pictures, so every drawing in the process goes through this lock.
_DRAW_LOCK = threading.Lock()


def chromium_path() -> str | None:
    """The Chromium kaleido will use, if any."""
    return shutil.which("chromium") or shutil.which("chromium-browser")


def can_draw() -> bool:
    """Whether pictures can be drawn here (kaleido needs Chromium)."""
    return chromium_path() is not None


def start_drawing() -> None:
    """Start kaleido's Chromium, unless it is running already."""
    import kaleido

    # No MathJax: the charts set no LaTeX, and kaleido would fetch it from a CDN.
    kaleido.start_sync_server(mathjax=False, silence_warnings=True)


def stop_drawing() -> None:
    """Close kaleido's Chromium (a command line does, before it exits)."""
    import kaleido

    kaleido.stop_sync_server(silence_warnings=True)


def draw(fig: go.Figure, fmt: str, width: int, height: int, scale: float = 1) -> bytes:
    """A figure as 'svg' or 'png' bytes, ``width`` by ``height`` px (start first)."""
    import kaleido

    opts = {"format": fmt, "width": width, "height": height, "scale": scale}
    with _DRAW_LOCK:
        return kaleido.calc_fig_sync(fig, opts=opts)


def picture(chart: Chart, fmt: str, scale: float = 1) -> bytes:
    """The chart drawn as 'png' or 'svg' at the desktop layout, WIDTH px wide."""
    start_drawing()
    return draw(chart.fig, fmt, WIDTH, int(chart.fig.layout.height or 600), scale)


def data_sheet(chart: Chart) -> pd.DataFrame:
    """The chart's table with a source, a locator and an approximate column each."""
    table = chart.table.copy()
    if "source" not in table:
        table["source"] = (
            table["source_title"] if "source_title" in table else chart.source
        )
    if "locator" not in table:
        table["locator"] = None
    if "approximate" not in table:
        table["approximate"] = False
    for column in table.columns:
        if isinstance(table[column].dtype, pd.DatetimeTZDtype):
            table[column] = table[column].dt.tz_localize(None)  # Excel has no zones
    return table


def about_sheet(chart: Chart, adjustments: str = "as published") -> pd.DataFrame:
    """What the chart says about its data, one row a field."""
    rows = [
        ("Title", chart.title),
        ("Subtitle", chart.subtitle),
        ("Source", chart.source),
        ("As at", chart.as_at or "not given: see the source"),
        ("Adjustments", adjustments),
        *(("Note", note) for note in chart.notes),
    ]
    return pd.DataFrame(rows, columns=["field", "value"])


def workbook(chart: Chart, adjustments: str = "as published") -> bytes:
    """An Excel workbook: sheet 'Data' (the numbers with source, locator and
    approximate) and sheet 'About' (title, subtitle, source, as at, adjustments)."""
    out = io.BytesIO()
    with pd.ExcelWriter(out, engine="openpyxl") as writer:
        data_sheet(chart).to_excel(writer, sheet_name="Data", index=False)
        about_sheet(chart, adjustments).to_excel(
            writer, sheet_name="About", index=False
        )
        for sheet in writer.sheets.values():
            for column in sheet.columns:
                longest = max(len(str(c.value or "")) for c in column)
                sheet.column_dimensions[column[0].column_letter].width = min(
                    max(10, longest + 2), 80
                )
    return out.getvalue()
