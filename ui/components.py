"""Streamlit glue: one cached database per build, cached queries, chart display."""

from __future__ import annotations

import plotly.graph_objects as go
import streamlit as st

from charts import Chart
from charts.dashboard import as_at  # noqa: F401  (re-exported for pages)
from metrics.build import data_hash, ensure_database
from metrics.config import DEFAULT_FOCUS, OGL_ATTRIBUTION, default_db_path
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
    """Build the database if needed (with a progress bar) and return its build id."""
    if "build_id" in st.session_state:
        return st.session_state.build_id
    path = default_db_path()
    current = data_hash()
    if not path.exists() or _stored(path) != current:
        bar = st.progress(0.0, text="Building the database from data/ …")
        ensure_database(path, progress=lambda f, m: bar.progress(min(f, 1.0), text=m))
        bar.empty()
    st.session_state.build_id = current
    return current


def _stored(path) -> str | None:
    from metrics.build import stored_hash

    return stored_hash(path)


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
    code = st.session_state.get("focus", DEFAULT_FOCUS)
    las = q("local_authorities")
    names = dict(zip(las.area_code, las.area_name))
    if code not in names:
        code = DEFAULT_FOCUS
    return code, names[code]


class CachedDatabase:
    """The Database methods, each call cached on the build and its arguments."""

    def __getattr__(self, method: str):
        return lambda *args: q(method, *args)


cached_db = CachedDatabase()


def has_contract(area_code: str) -> bool:
    """Whether the area has contract targets (only Doncaster in the data)."""
    return not q("target_status", area_code).empty


def show_chart(chart: Chart) -> None:
    """Show a chart with its alt text, a table of the same numbers and a CSV download."""
    fig = chart.fig
    if presenting():
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
    with st.expander(f"Table: the numbers behind “{chart.title}”"):
        st.dataframe(chart.table, hide_index=True)
    st.download_button(
        "Download the chart's data (CSV)",
        chart.table.to_csv(index=False).encode("utf-8"),
        file_name=f"{chart.slug}.csv",
        mime="text/csv",
        key=f"csv-{chart.slug}",
    )


def footer() -> None:
    """OGL attribution shown under every page."""
    st.divider()
    st.caption(
        f"{OGL_ATTRIBUTION} Report figures come from Doncaster Council documents and news "
        "articles, cited on each chart and on the Sources and caveats page."
    )
