"""What a page is shown for, decided once a run by the router (app.py): the focus
area, who is looking, the width charts are laid out for and presentation mode.

A page asks for it with one call, ``current()``, rather than deciding any of it
again."""

from __future__ import annotations

from dataclasses import dataclass

import streamlit as st

from metrics.areas import Area
from ui.access import Visitor, visitor
from ui.data import area_names
from ui.state import presenting, require_app, wanted_area

_KEY = "page_context"  # session state: this run's context, set before the page runs


@dataclass(frozen=True)
class PageContext:
    """The focus area, the visitor, the chart width (None: the desktop layout) and
    whether presentation mode is on."""

    area: Area
    visitor: Visitor
    width: int | None = None
    presenting: bool = False


def begin(context: PageContext) -> None:
    """Hand this run's context to the page (the router, before the page runs)."""
    st.session_state[_KEY] = context


def current() -> PageContext:
    """This run's context, as the router decided it (a page's first call)."""
    require_app()
    context = st.session_state.get(_KEY)
    if context is None:
        # A page file run on its own, without the router: decided from the address
        # and the session alone (no control drawn), so a page still refuses a
        # visitor who may not use it.
        names = area_names()
        code = wanted_area(names)
        context = PageContext(Area(code, names[code]), visitor(), None, presenting())
    return context
