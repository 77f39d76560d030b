"""Bare reference page for the benchmark: one metric and one 100-point Plotly line."""

import math

import plotly.graph_objects as go
import streamlit as st

x = list(range(100))
figure = go.Figure(go.Scatter(x=x, y=[math.sin(i / 10) for i in x], mode="lines"))

st.metric("Reference metric", "42")
st.plotly_chart(figure, theme=None)
