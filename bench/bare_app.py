"""Matched bare app: the dashboard's shell around pages of bare Streamlit and Plotly.

Not run from here: bench/pages.py:write_bare copies this router into a folder with a
spec.json and, in pages/, one copy of bare_page.py for each dashboard page. Like
app.py it has st.navigation over the same pages (a hidden root that opens the default
page at its own address); its sidebar has a select box with as many options as the
focus area's, a toggle and a button. With ``database`` in the spec it is the memory
floor: pandas imported and the database open and queried once, which every page of
the dashboard needs before it shows anything.
"""

import json
from pathlib import Path

import streamlit as st

spec = json.loads(Path(__file__).with_name("spec.json").read_text(encoding="utf-8"))

if spec.get("database"):
    import pandas  # noqa: F401  (the point: its memory is part of the floor)

    from metrics.queries import Database

    @st.cache_resource
    def database() -> Database:
        return Database(spec["database"])

    database().local_authorities()

st.set_page_config(page_title="Bare pages", layout="wide")

pages = {
    p["key"]: st.Page(f"pages/{p['key']}.py", title=p["title"], url_path=p["url"])
    for p in spec["pages"]
}
home = next(p["key"] for p in spec["pages"] if p["default"])


def _home() -> None:
    st.switch_page(pages[home])


root = st.Page(_home, title="Home", url_path="home", default=True, visibility="hidden")
page = st.navigation([root, *pages.values()])

shell = spec["shell"]
for i, options in enumerate(shell["selectbox_options"]):
    st.sidebar.selectbox(f"Choice {i + 1}", [f"Option {n}" for n in range(options)])
for i in range(shell["toggles"]):
    st.sidebar.toggle(f"Switch {i + 1}")
for i in range(shell["buttons"]):
    st.sidebar.button(f"Button {i + 1}")

page.run()
