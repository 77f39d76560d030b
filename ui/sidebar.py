"""What every page shares around its content: the sidebar (focus area, presentation
mode, board pack), presentation styling and the footer."""

from __future__ import annotations

import datetime as dt

import streamlit as st

from metrics.areas import Area
from metrics.config import OGL_ATTRIBUTION
from metrics.formatting import slugify
from ui.data import area_names, cached, db
from ui.state import from_address, presenting, set_area, wanted_area

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


def sidebar() -> Area:
    """The sidebar's controls, and presentation mode's styling when it is on; returns
    the focus area chosen."""
    area = focus_control()
    presentation_control()
    board_pack_control(area)
    if presenting():
        st.html(PRESENTATION_CSS)
        if st.button("Leave presentation mode"):
            st.query_params.pop("present", None)
            st.rerun()
    return area


def focus_control() -> Area:
    """The focus local authority, kept in the session and the address."""
    names = area_names()
    codes = list(names)
    chosen = st.sidebar.selectbox(
        "Focus local authority",
        codes,
        index=codes.index(wanted_area(names)),
        format_func=names.get,
        help="Every page follows this choice; the link in the address bar keeps it.",
    )
    return set_area(chosen, names)


def _set_presentation() -> None:
    if st.session_state.present_toggle:
        st.query_params["present"] = "1"
    else:
        st.query_params.pop("present", None)


def presentation_control() -> None:
    """Presentation mode on or off, kept in the address (?present=1)."""
    st.sidebar.toggle(
        "Presentation mode",
        value=presenting(),
        key="present_toggle",
        on_change=_set_presentation,
        help="Hides the sidebar and menus, enlarges the type and uses a white "
        "background for screenshots. The address (with ?present=1) reproduces the "
        "view.",
    )


def board_pack_control(area: Area) -> None:
    """Prepare the focus area's board pack on request, then offer it for download."""
    with st.sidebar:
        st.divider()
        st.markdown("**Board pack**")
        # Imported here: the pack's modules cost memory most sessions never need.
        from reports.boardpack import PACK_FORMATS

        fmt = st.radio(
            "Format",
            list(PACK_FORMATS),
            format_func=lambda f: PACK_FORMATS[f].label,
            horizontal=True,
            key="board_pack_format",
            help="PDF for printing (A4, contents, page numbers); PowerPoint, a slide a "
            "chart with the commentary in the notes; Word, for committee papers.",
        )
        if st.button(
            "Prepare board pack",
            help="A cover (contract targets, latest Ofsted grade, headline "
            "indicators), then every chart in page order with its commentary",
        ):
            from reports.boardpack import BoardPackError, build_board_pack
            from views.sections import build_charts
            from views.since import PARAM, SinceDays, parse_day, since

            # A date chosen on the overview (?since=) is the pack's too; else the
            # pack lists what changed since the last pack.
            chosen = parse_day(from_address(PARAM, SinceDays(), ""))

            bar = st.progress(0.0, text="Preparing the board pack …")
            try:
                pack = build_board_pack(
                    db(),
                    area,
                    fmt,
                    # The charts the pages have already built are reused.
                    chart_for=lambda item, a, model: cached(
                        build_charts, item, a, model
                    ),
                    progress=lambda f, m: bar.progress(min(f, 1.0), text=m),
                    changes=cached(since, area, chosen, dt.date.today())
                    if chosen
                    else None,
                )
                st.session_state.board_pack = (area.code, fmt, pack.content)
            except BoardPackError as exc:
                st.error(str(exc))
            bar.empty()
        pack = st.session_state.get("board_pack")
        if pack and pack[0] == area.code:
            _, made, content = pack
            stem = slugify(area.name, "board-pack", dt.date.today().isoformat())
            st.download_button(
                f"Download the board pack ({PACK_FORMATS[made].label})",
                content,
                file_name=f"{stem}.{made}",
                mime=PACK_FORMATS[made].mime,
            )


def footer() -> None:
    """OGL attribution and the accessibility statement's link, under every page."""
    st.divider()
    st.caption(
        f"{OGL_ATTRIBUTION} Figures from council reports and news articles are cited "
        "on each chart and on the Sources and caveats page."
    )
    st.page_link("pages/accessibility.py", label="Accessibility statement")
