"""Showing what a view built: a chart laid out for the screen's width with its table
and downloads, a section as views.section_content builds it (with adjust controls
above its charts), a page that is only its sections, and the controls a chart page
shares."""

from __future__ import annotations

from dataclasses import replace

import plotly.graph_objects as go
import streamlit as st

from charts.export import INSTALL, can_draw, csv_bytes, picture, workbook
from charts.frame import Chart
from charts.reflow import for_width
from metrics.areas import Area
from ui.adjust import adjust_control
from ui.context import current
from ui.data import area_names, cached
from views.figures import comparator_choices
from views.options import KEEP, ChartOptions
from views.pages import PageSpec
from views.section_content import Note, SectionContent, area_notes, build_section
from views.sections import Item, Trajectories, build_charts

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
    (st.warning if note.kind == "warning" else st.info)(note.said)


def section_content(
    page: PageSpec, key: str, area: Area, model: str = "2025"
) -> SectionContent:
    """One of a page's sections as the views build it, its charts from the cache."""
    return build_section(
        page.section(key),
        area,
        notes_for(area, page.key),
        lambda item: cached(build_charts, item, area, model),
    )


def show_section(
    page: PageSpec,
    key: str,
    area: Area,
    model: str = "2025",
    group: ChartOptions = KEEP,
) -> None:
    """One of a page's sections: its heading, its notes for the area, then each chart
    or why it is not there; charts that can be adjusted get their control above
    them; ``group`` carries the page's comparison group (group=, stat=) to them."""
    content = section_content(page, key, area, model)
    if content.heading:
        st.subheader(content.heading)
    for note in content.notes:
        show_note(note)
    for shown in content.items:
        if shown.charts and shown.item.adjusts:
            _adjustable(shown.item, shown.charts, area, model, group)
        else:
            charts = shown.charts
            if charts and not group.is_default:
                charts = cached(build_charts, shown.item, area, model, group)
            for chart in charts:
                show_chart(chart, group)
        if shown.missing:
            st.info(shown.missing)
    if content.empty:
        st.info(content.empty)


@st.fragment
def _adjustable(
    item: Item, charts: list[Chart], area: Area, model: str, group: ChartOptions
) -> None:
    """A declared chart's adjust control and its charts as adjusted, with the page's
    comparison group: a choice, or opening the control, runs this part alone."""
    options = item_control(item)
    if not group.is_default:
        options = replace(options, group=group.group, stat=group.stat)
    if not options.is_default:
        charts = cached(build_charts, item, area, model, options)
    for chart in charts:
        show_chart(chart, options)


def show_sections(
    page: PageSpec, area: Area, model: str = "2025", group: ChartOptions = KEEP
) -> None:
    """Each of a page's sections in order."""
    for section in page.sections:
        show_section(page, section.key, area, model, group)


def show_page(page: PageSpec, area: Area) -> None:
    """A page that is only its declared sections: the neighbour model, its title and
    introduction, then each section."""
    model = model_control()
    st.title(page.heading_for(area.name))
    if page.intro:
        st.info(page.intro)
    show_sections(page, area, model)


def item_control(item: Item) -> ChartOptions:
    """The adjust control of a declared chart, offering what the chart allows."""
    comparators = ()
    if "comparators" in item.adjusts:
        comparators = cached(comparator_choices, item.metric_id)
    return adjust_control(
        item.key,
        y_default=item.y_default,
        comparators=comparators,
        add="added" in item.adjusts,
        label="Adjust these charts" if isinstance(item, Trajectories) else None,
    )


def show_chart(chart: Chart, options: ChartOptions = KEEP) -> None:
    """Show a chart with its alt text, a table of the same numbers and downloads of
    the picture (PNG, SVG, at the desktop layout) and the data (CSV, Excel)."""
    context = current()
    present, width = context.presenting, context.width
    if chart.cache_key is None:
        _plot(for_width(chart, width), present, width)
    else:
        # A shared chart is turned into its page element once per width; later runs
        # replay it.
        _replay_plot(key=chart.cache_key, present=present, width=width, _chart=chart)
    _behind(chart, options)


def _behind(chart: Chart, options: ChartOptions) -> None:
    """The chart's table and downloads, each sent to the browser only once opened.

    Not a fragment of its own: a fragment's set-up on every run of the page costs
    more than it saves on opening (an adjustable chart's is its adjust fragment).
    """
    table = st.expander(
        f"Table: the numbers behind “{chart.title}”",
        key=f"table-{chart.slug}",
        on_change="rerun",
    )
    if table.open:
        table.dataframe(chart.table, hide_index=True)
    downloads(chart, options)


def downloads(chart: Chart, options: ChartOptions = KEEP) -> None:
    """The chart's downloads behind one control; its buttons are sent when it is
    opened, and each file is written when its button is pressed."""
    menu = st.popover(
        "Download this chart or its data",
        icon=":material/download:",
        key=f"downloads-{chart.slug}",
        on_change="rerun",
    )
    if not menu.open:
        return
    if can_draw():
        menu.download_button(
            "Download the chart (PNG)",
            lambda: picture(chart, "png", scale=2),
            file_name=f"{chart.slug}.png",
            mime="image/png",
            key=f"png-{chart.slug}",
            on_click="ignore",
        )
        menu.download_button(
            "Download the chart (SVG)",
            lambda: picture(chart, "svg"),
            file_name=f"{chart.slug}.svg",
            mime="image/svg+xml",
            key=f"svg-{chart.slug}",
            on_click="ignore",
        )
    menu.download_button(
        "Download the chart's data (CSV)",
        lambda: csv_bytes(chart.table),
        file_name=f"{chart.slug}.csv",
        mime="text/csv",
        key=f"csv-{chart.slug}",
        on_click="ignore",
    )
    adjustments = options.words(area_names())
    menu.download_button(
        "Download the chart's data (Excel)",
        lambda: workbook(chart, adjustments),
        file_name=f"{chart.slug}.xlsx",
        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        key=f"xlsx-{chart.slug}",
        on_click="ignore",
    )
    if not can_draw():
        menu.caption(
            "Picture downloads need Chromium on the server "
            f"({INSTALL}); at desktop width the chart's toolbar saves a PNG meanwhile."
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
