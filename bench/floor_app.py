"""Memory floor for the benchmark: the bare page plus what every dashboard page needs.

The bare reference page (bare_app.py) imports neither pandas nor DuckDB. Any page of
the dashboard has pandas loaded and the database open; this page adds just that
(pandas imported, the database attached read-only, one query answered) to the bare
page's metric and line, so the server-memory table can show what the stack itself
costs before the dashboard does anything.
"""

import math

import pandas  # noqa: F401  (the point: its memory is part of the floor)
import plotly.graph_objects as go
import streamlit as st

from metrics.config import default_db_path
from metrics.queries import Database


@st.cache_resource
def database() -> Database:
    return Database(str(default_db_path()))


areas = database().local_authorities()

x = list(range(100))
figure = go.Figure(go.Scatter(x=x, y=[math.sin(i / 10) for i in x], mode="lines"))

st.metric("Reference metric", "42")
st.plotly_chart(figure, theme=None)
st.caption(f"{len(areas)} local authorities in the database")
