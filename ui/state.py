"""Session state every page shares: the focus area, presentation mode, and running
inside app.py's navigation."""

from __future__ import annotations

import streamlit as st

from metrics.areas import Area
from metrics.config import DEFAULT_AREA
from views.pages import PAGES

AREA_KEY = "area"  # session state: the focus area's code
AREA_PARAM = "la"  # the address: ?la= and the focus area's ONS code


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


def only_page(draw, title: str, url_path: str) -> None:
    """Show one page instead of the dashboard, whatever its address; then stop.

    Every declared page's address leads to it too (a shared link opens it rather
    than Streamlit's "page not found"), and no navigation is shown.
    """
    home = st.Page(draw, title=title, url_path=url_path, default=True)
    others = [
        st.Page(draw, title=title, url_path=p.url_path, visibility="hidden")
        for p in PAGES
    ]
    st.navigation([home, *others], position="hidden").run()
    st.stop()


def wanted_area(names: dict[str, str]) -> str:
    """The focus area's code: from the address, else this session, else the default."""
    for code in (st.query_params.get(AREA_PARAM), st.session_state.get(AREA_KEY)):
        if code in names:
            return code
    return DEFAULT_AREA


def set_area(code: str) -> None:
    """Make an area the focus of this session and of the address."""
    st.session_state[AREA_KEY] = code
    st.query_params[AREA_PARAM] = code


def current_area() -> Area:
    """The focus area, as chosen in the sidebar."""
    from ui.data import area_names

    names = area_names()
    code = st.session_state.get(AREA_KEY)
    if code not in names:
        code = DEFAULT_AREA
    return Area(code, names[code])


def address_value(name: str) -> str | None:
    """A value kept in the address (``?name=value``), or None."""
    return st.query_params.get(name)


def set_address_value(name: str, value: str | None) -> None:
    """Keep a value in the address (None takes it out); only a change is written."""
    if value is None:
        st.query_params.pop(name, None)
    elif st.query_params.get(name) != value:
        st.query_params[name] = value
