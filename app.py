"""Router: who may see what, the declared pages as navigation, the focus area and the
visitor decided once a run and handed to the page, the sidebar, banner and footer."""

import streamlit as st

from ui.access import account, allowed, gate, refused_page, visitor
from ui.banner import cannot_build, data_banner
from ui.context import PageContext, begin
from ui.data import build_failure, ensure_built
from ui.heap import settle
from ui.sidebar import footer, sidebar
from ui.state import presenting
from ui.viewport import watch_width
from views.pages import PAGES

present = presenting()
st.set_page_config(
    page_title="Children's social care improvement dashboard",
    page_icon=":bar_chart:",
    layout="wide",
    initial_sidebar_state="collapsed" if present else "auto",
)
person = visitor()
if not person.may_view:
    gate(person)  # sign-in or not-authorised page only; stops here
if ensure_built() is None:
    cannot_build(build_failure())  # no database yet: the reason only; stops here

pages = {
    p.key: st.Page(p.file, title=p.title, url_path=p.url_path)
    if allowed(p, person)
    else refused_page(p, person)
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
area = sidebar()  # the focus area: the address's, this session's or the default
account(person)
data_banner()
width = watch_width()  # the width charts are laid out for
begin(PageContext(area, person, None if present else width, present))
page.run()
footer()
settle()  # once a process: what the first run made is kept out of each run's GC
