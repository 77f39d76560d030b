"""Showing what a view built: a chart with its table and CSV, a section of charts
with its notes, and the controls a chart page shares."""

from __future__ import annotations

import plotly.graph_objects as go
import streamlit as st

from charts.frame import Chart
from charts.reflow import for_width
from metrics.areas import Area
from ui.data import cached
from ui.state import presenting
from ui.viewport import chart_width
from views.overview import Note, area_notes
from views.sections import Section, build_charts

MODELS = ("2025", "2021")


def model_control() -> str:
    """The page's one choice of statistical neighbour model."""
    return st.radio(
        "Statistical neighbour model",
        MODELS,
        horizontal=True,
        help="DfE's statistical neighbour models of May 2025 and April 2021.",
    )


def notes_for(area: Area, page: str) -> list[Note]:
    """The area's notes for a page (from data/curated/area_notes.csv)."""
    return cached(area_notes, area, page)


def show_note(note: Note) -> None:
    """A note as a warning or an information box, with its source."""
    text = f"{note.text} (Source: {note.source}.)"
    (st.warning if note.kind == "warning" else st.info)(text)


def show_section(
    section: Section, area: Area, model: str = "2025", notes: list[Note] = ()
) -> None:
    """A section's heading, its notes for the area, then each chart or why it is not."""
    if section.heading:
        st.subheader(section.heading)
    for note in notes:
        if note.section == section.key:
            show_note(note)
    charts = [cached(build_charts, item, area, model) for item in section.items]
    for item, drawn in zip(section.items, charts):
        for chart in drawn:
            show_chart(chart)
        if not drawn and (message := item.missing(area)):
            st.info(message)
    if section.empty and not any(charts):
        st.info(section.empty.format(name=area.name))


def show_chart(chart: Chart) -> None:
    """Show a chart with its alt text, a table of the same numbers and a CSV download."""
    present = presenting()
    width = chart_width()
    if chart.cache_key is None:
        _plot(for_width(chart, width), present, width)
    else:
        # A shared chart is turned into its page element once per width; later runs
        # replay it.
        _replay_plot(chart.cache_key, present, width, chart)
    # The table is only built when somebody opens it (a rerun on opening).
    table = st.expander(
        f"Table: the numbers behind “{chart.title}”",
        key=f"table-{chart.slug}",
        on_change="rerun",
    )
    if table.open:
        table.dataframe(chart.table, hide_index=True)
    st.download_button(
        "Download the chart's data (CSV)",
        # Written when the button is pressed, not on every run of the page.
        lambda: chart.table.to_csv(index=False).encode("utf-8"),
        file_name=f"{chart.slug}.csv",
        mime="text/csv",
        key=f"csv-{chart.slug}",
        on_click="ignore",
    )


@st.cache_resource(show_spinner=False, max_entries=1024)
def _replay_plot(key: tuple, present: bool, width: int | None, _chart: Chart) -> None:
    """_plot, recorded on the first call for each key and width, replayed after that."""
    _plot(for_width(_chart, width), present, width)


def _plot(chart: Chart, present: bool, width: int | None) -> None:
    """The chart itself (PNG at 2x from its toolbar at the desktop width) and notes."""
    fig = chart.fig
    if present:
        fig = go.Figure(fig).update_layout(font_size=17)
    config = {
        "displaylogo": False,
        "toImageButtonOptions": {"format": "png", "filename": chart.slug, "scale": 2},
    }
    if width is not None:
        # The toolbar would cover the title of a narrow chart, and save its narrow
        # layout; the PNG button below saves the desktop one.
        config["displayModeBar"] = False
    st.plotly_chart(
        fig,
        theme=None,
        key=f"chart-{chart.slug}",
        alt=chart.alt,
        config=config,
    )
    for note in chart.notes:
        st.caption(note)
