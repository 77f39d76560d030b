"""Streamlit glue: one cached database per build, cached queries, chart display."""

from __future__ import annotations

import dataclasses

import plotly.graph_objects as go
import streamlit as st

from charts import Chart
from charts.dashboard import as_at  # noqa: F401  (re-exported for pages)
from metrics.build import ensure_database
from metrics.config import DEFAULT_AREA, OGL_ATTRIBUTION, default_db_path
from metrics.queries import Database

CONTRACT_NOTE = (
    "The contract targets, the Trust period and the 2013 council report figures are "
    "Doncaster's; for other local authorities this page shows official statistics only."
)


# Constant CSS (no data in it): hides the sidebar and Streamlit's menus, larger type.
PRESENTATION_CSS = """<style>
[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"],
[data-testid="stHeader"], [data-testid="stToolbar"], [data-testid="stDecoration"],
[data-testid="stExpandSidebarButton"] { display: none !important; }
html, body, [data-testid="stApp"], [data-testid="stAppViewContainer"] {
  background: #FFFFFF !important; }
[data-testid="stMainBlockContainer"] { font-size: 1.25rem; max-width: 1500px; }
[data-testid="stMainBlockContainer"] p { font-size: 1.25rem; }
</style>"""


def presenting() -> bool:
    """Whether presentation mode is on (?present=1 in the address)."""
    return st.query_params.get("present") == "1"


def require_app() -> None:
    """Make a page run inside app.py's navigation, even on a deep link to a new server.

    Streamlit serves the first request of a new server whose folder has pages/ in its
    legacy mode, which runs the page file alone (no sidebar, no focus LA). Switching
    the process to st.navigation mode, as app.py's first run would, and rerunning
    lands on the same page through app.py.
    """
    from streamlit.runtime.pages_manager import PagesManager

    if PagesManager.uses_pages_directory:
        PagesManager.uses_pages_directory = False
        st.rerun()


def ensure_built() -> str:
    """Build the database if needed (with a progress bar) and return its build id.

    A session keeps the id it started with; the build's own freshness check decides
    whether anything changed (the database file included, so an import or a rebuild
    by the command line is seen).
    """
    if "build_id" in st.session_state:
        return st.session_state.build_id
    bar = None

    def progress(fraction: float, message: str) -> None:
        nonlocal bar
        bar = bar or st.progress(0.0, text="Building the database from data/ …")
        bar.progress(min(fraction, 1.0), text=message)

    result = ensure_database(default_db_path(), progress=progress)
    if bar is not None:
        bar.empty()
    st.session_state.build_id = result.data_hash
    return result.data_hash


@st.cache_resource(show_spinner=False)
def _database(path: str, build_id: str) -> Database:
    return Database(path)


def db() -> Database:
    """The read-only database of the current build."""
    return _database(str(default_db_path()), ensure_built())


@st.cache_data(ttl=3600, show_spinner=False, max_entries=512)
def _query(path: str, build_id: str, method: str, args: tuple) -> object:
    return getattr(_database(path, build_id), method)(*args)


def q(method: str, *args: object) -> object:
    """Call a Database method, cached on the build and the arguments."""
    return _query(str(default_db_path()), ensure_built(), method, args)


def focus() -> tuple[str, str]:
    """The focus LA's (code, name), as chosen in the sidebar."""
    code = st.session_state.get("focus", DEFAULT_AREA)
    names = area_names()
    if code not in names:
        code = DEFAULT_AREA
    return code, names[code]


def _area_names(database: Database) -> dict[str, str]:
    las = database.local_authorities()
    return dict(zip(las.area_code, las.area_name))


def area_names() -> dict[str, str]:
    """Current LAs' code -> name, in name order (shared: do not change it)."""
    return cached(_area_names)


@st.cache_resource(show_spinner=False, max_entries=512)
def _built(path: str, build_id: str, token: str, _builder, _args: tuple) -> object:
    """``_builder(database, *_args)``; ``token`` names the builder and arguments.

    Hashing one string is much cheaper than Streamlit hashing the argument objects.
    """
    result = _builder(_database(path, build_id), *_args)
    key = (path, build_id, token)
    if isinstance(result, Chart):
        result.cache_key = key
    elif dataclasses.is_dataclass(result):
        for f in dataclasses.fields(result):
            value = getattr(result, f.name)
            if isinstance(value, Chart):
                value.cache_key = (*key, f.name)
    return result


def cached(builder, *args: object):
    """``builder(database, *args)``, computed once per build and arguments, shared.

    For chart builders and views that depend only on the database and their
    arguments (which must have a faithful repr: strings, numbers, frozen
    dataclasses). The result is shared by every session: callers must not change it.
    Charts in it are marked so that show_chart can replay their page element.
    """
    token = f"{builder.__module__}:{builder.__qualname__}{args!r}"
    return _built(str(default_db_path()), ensure_built(), token, builder, args)


def has_contract(area_code: str) -> bool:
    """Whether the area has contract targets (only Doncaster in the data)."""
    return not q("target_status", area_code).empty


def show_chart(chart: Chart) -> None:
    """Show a chart with its alt text, a table of the same numbers and a CSV download."""
    present = presenting()
    if chart.cache_key is None:
        _plot(chart, present)
    else:
        # A shared chart is turned into its page element once; later runs replay it.
        _replay_plot(chart.cache_key, present, chart)
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


@st.cache_resource(show_spinner=False, max_entries=512)
def _replay_plot(key: tuple, present: bool, _chart: Chart) -> None:
    """_plot, recorded on the first call for each key and replayed after that."""
    _plot(_chart, present)


def _plot(chart: Chart, present: bool) -> None:
    """The chart itself (PNG at 2x from its toolbar) and its notes."""
    fig = chart.fig
    if present:
        fig = go.Figure(fig).update_layout(font_size=17)
    st.plotly_chart(
        fig,
        theme=None,
        key=f"chart-{chart.slug}",
        alt=chart.alt,
        config={
            "displaylogo": False,
            "toImageButtonOptions": {
                "format": "png",
                "filename": chart.slug,
                "scale": 2,
            },
        },
    )
    for note in chart.notes:
        st.caption(note)


def footer() -> None:
    """OGL attribution shown under every page."""
    st.divider()
    st.caption(
        f"{OGL_ATTRIBUTION} Report figures come from Doncaster Council documents and news "
        "articles, cited on each chart and on the Sources and caveats page."
    )
