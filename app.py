"""Router: page navigation, the shared focus-LA control, board pack, presentation mode."""

import datetime as dt

import streamlit as st

from charts import slugify
from metrics.config import DEFAULT_AREA
from ui.components import (
    PRESENTATION_CSS,
    area_names,
    db,
    ensure_built,
    footer,
    presenting,
)

st.set_page_config(
    page_title="Children's social care improvement dashboard",
    page_icon=":bar_chart:",
    layout="wide",
    initial_sidebar_state="collapsed" if presenting() else "auto",
)

ensure_built()

PAGES = [
    st.Page("pages/overview.py", title="Overview", default=True, url_path="overview"),
    st.Page("pages/ofsted.py", title="Ofsted journey", url_path="ofsted"),
    st.Page(
        "pages/timeliness.py", title="Assessment timeliness", url_path="timeliness"
    ),
    st.Page("pages/caseloads.py", title="Caseloads and demand", url_path="caseloads"),
    st.Page("pages/upload.py", title="Load monthly figures", url_path="upload"),
    st.Page("pages/explorer.py", title="Benchmark explorer", url_path="explorer"),
    st.Page("pages/sources.py", title="Sources and caveats", url_path="sources"),
]
page = st.navigation(PAGES)

names = area_names()
codes = list(names)
wanted = st.query_params.get("la", st.session_state.get("focus", DEFAULT_AREA))
if wanted not in names:
    wanted = DEFAULT_AREA
st.session_state.focus = st.sidebar.selectbox(
    "Focus local authority",
    codes,
    index=codes.index(wanted),
    format_func=names.get,
    help="Every page follows this choice; the link in the address bar keeps it.",
)
st.query_params["la"] = st.session_state.focus
code, name = st.session_state.focus, names[st.session_state.focus]


def set_presentation() -> None:
    if st.session_state.present_toggle:
        st.query_params["present"] = "1"
    else:
        st.query_params.pop("present", None)


st.sidebar.toggle(
    "Presentation mode",
    value=presenting(),
    key="present_toggle",
    on_change=set_presentation,
    help="Hides the sidebar and menus, enlarges the type and uses a white background "
    "for screenshots. The address (with ?present=1) reproduces the view.",
)

with st.sidebar:
    st.divider()
    st.markdown("**Board pack**")
    if st.button(
        "Prepare board pack (PDF)", help="Overview and every chart, in page order"
    ):
        # Imported here: the PDF libraries cost memory that most sessions never need.
        from charts.boardpack import BoardPackError, build_board_pack

        bar = st.progress(0.0, text="Preparing the board pack …")
        try:
            pdf, _ = build_board_pack(
                db(),
                code,
                name,
                progress=lambda f, m: bar.progress(min(f, 1.0), text=m),
            )
            st.session_state.board_pack = (code, pdf)
        except BoardPackError as exc:
            st.error(str(exc))
        bar.empty()
    pack = st.session_state.get("board_pack")
    if pack and pack[0] == code:
        st.download_button(
            "Download the board pack",
            pack[1],
            file_name=f"{slugify(name, 'board-pack', dt.date.today().isoformat())}.pdf",
            mime="application/pdf",
        )

if presenting():
    st.html(PRESENTATION_CSS)
    if st.button("Leave presentation mode"):
        st.query_params.pop("present", None)
        st.rerun()

page.run()
footer()
