"""Router: who may see what, then the declared pages become Streamlit's navigation;
every page shares the sidebar, the data banner and the footer."""

import streamlit as st

from ui.access import account, allowed, gate, refused_page, visitor
from ui.banner import cannot_build, data_banner
from ui.data import build_failure, ensure_built
from ui.sidebar import footer, sidebar
from ui.state import presenting
from ui.viewport import watch_width
from views.pages import PAGES

st.set_page_config(
    page_title="Children's social care improvement dashboard",
    page_icon=":bar_chart:",
    layout="wide",
    initial_sidebar_state="collapsed" if presenting() else "auto",
)
person = visitor()
if not person.may_view:
    gate(person)  # sign-in or not-authorised page only; stops here
if ensure_built() is None:
    cannot_build(build_failure())  # no database yet: the reason only; stops here

pages = {
    p.key: st.Page(p.file, title=p.title, url_path=p.url_path)
    if allowed(p, person)
    else refused_page(p)
    for p in PAGES
}
home = next(p for p in PAGES if p.default)


def _home() -> None:
    # The root address opens the default page at its own address, so that every
    # page, the default one included, has a link that opens it on a fresh server.
    st.switch_page(pages[home.key], query_params=st.query_params.to_dict())


root = st.Page(
    _home, title=home.title, url_path="home", default=True, visibility="hidden"
)
page = st.navigation([root, *pages.values()])
sidebar()
account(person)
data_banner()
watch_width()  # the width charts are laid out for
page.run()
footer()
