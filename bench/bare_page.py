"""One matched bare page: a title, its st.metric elements and 100-point Plotly lines,
or, where the spec names a figures file, the dashboard page's own charts.

Copied by bench/pages.py:write_bare to pages/KEY.py beside the bare router; the counts for
KEY come from the spec.json there. Each figure is built and sent on every run, as
plain Streamlit and Plotly do. With the page's own figures (the spec and Plotly config
each chart sent, as the dashboard page sent them for Doncaster), built once a server
and only sent on each run, the page is the floor for those charts: what sending and
drawing them costs with nothing of the dashboard around them.
"""

import json
import math
from pathlib import Path

import plotly.graph_objects as go
import streamlit as st
from streamlit.runtime.pages_manager import PagesManager

# What every dashboard page does first (ui.state.require_app): a request that
# Streamlit serves in its legacy pages/ mode is rerun through the router.
if PagesManager.uses_pages_directory:
    PagesManager.uses_pages_directory = False
    st.rerun()

here = Path(__file__)
spec = json.loads((here.parent.parent / "spec.json").read_text(encoding="utf-8"))
page = next(p for p in spec["pages"] if p["key"] == here.stem)

st.title(page["title"])
for i in range(page["metrics"]):
    st.metric(f"Metric {i + 1}", f"{10 * i + 42}", f"{i + 1}")


@st.cache_resource
def _figures(path: str) -> list[tuple[go.Figure, dict]]:
    """The page's figures, built once a server (only sending them is left a run)."""
    sent = json.loads(Path(path).read_text(encoding="utf-8"))
    return [
        (go.Figure(json.loads(f["spec"])), json.loads(f["config"] or "{}"))
        for f in sent
    ]


if page.get("figures"):
    for i, (figure, config) in enumerate(_figures(page["figures"])):
        st.plotly_chart(figure, theme=None, key=f"chart-{i}", config=config)
else:
    x = list(range(100))
    for i in range(page["charts"]):
        y = [math.sin((j + 7 * i) / 10) for j in x]
        st.plotly_chart(go.Figure(go.Scatter(x=x, y=y, mode="lines")), theme=None)
