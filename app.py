"""Router: page navigation, the shared focus-LA control and the footer."""

import streamlit as st

from metrics.config import DEFAULT_FOCUS
from ui.components import ensure_built, footer, q

st.set_page_config(
    page_title="Children's social care improvement dashboard",
    page_icon=":bar_chart:",
    layout="wide",
)

ensure_built()

PAGES = [
    st.Page("pages/overview.py", title="Overview", default=True, url_path="overview"),
    st.Page("pages/ofsted.py", title="Ofsted journey", url_path="ofsted"),
    st.Page(
        "pages/timeliness.py", title="Assessment timeliness", url_path="timeliness"
    ),
    st.Page("pages/caseloads.py", title="Caseloads and demand", url_path="caseloads"),
    st.Page("pages/sources.py", title="Sources and caveats", url_path="sources"),
]
page = st.navigation(PAGES)

las = q("local_authorities")
codes = list(las.area_code)
names = dict(zip(las.area_code, las.area_name))
wanted = st.query_params.get("la", st.session_state.get("focus", DEFAULT_FOCUS))
if wanted not in names:
    wanted = DEFAULT_FOCUS
st.session_state.focus = st.sidebar.selectbox(
    "Focus local authority",
    codes,
    index=codes.index(wanted),
    format_func=names.get,
    help="Every page follows this choice; the link in the address bar keeps it.",
)
st.query_params["la"] = st.session_state.focus

page.run()
footer()
