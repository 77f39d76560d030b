"""State every page shares: values kept in the page's address, the focus area,
presentation mode, and running inside app.py's navigation."""

from __future__ import annotations

from collections.abc import Collection, Mapping

import streamlit as st

from metrics.areas import Area
from metrics.config import DEFAULT_AREA
from views.pages import PAGES

AREA_KEY = "area"  # session state: the focus area's code
AREA_PARAM = "la"  # the address: ?la= and the focus area's ONS code


def from_address(
    name: str, allowed: Collection[str], default: str, kept: object = None
) -> str:
    """A value kept in the address: the address's if allowed, else ``kept`` (what
    this session last used) if allowed, else the default."""
    for value in (st.query_params.get(name), kept):
        if value in allowed:
            return value
    return default


def to_address(values: Mapping[str, str], prefix: str = "") -> None:
    """Write values into the address where they differ from it; with ``prefix``, the
    address's other parameters that start with it go (choices back at their default).

    Only a change is written: every write is sent to the browser.
    """
    params = st.query_params
    stale = [p for p in params if prefix and p.startswith(prefix) and p not in values]
    for name in stale:
        del params[name]
    changed = {k: v for k, v in values.items() if params.get(k) != v}
    if changed:
        params.update(changed)


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


def wanted_area(names: Mapping[str, str]) -> str:
    """The focus area's code: from the address, else this session, else the default."""
    return from_address(AREA_PARAM, names, DEFAULT_AREA, st.session_state.get(AREA_KEY))


def set_area(code: str, names: Mapping[str, str]) -> Area:
    """Make an area the focus of this session and of the address; return it."""
    st.session_state[AREA_KEY] = code
    to_address({AREA_PARAM: code})
    return Area(code, names[code])
