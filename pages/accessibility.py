"""Accessibility statement: what was tested and how, what is known not to work, how
to report a problem."""

import streamlit as st

from ui.state import require_app
from views.accessibility import statement

require_app()

st.title("Accessibility statement")
st.markdown(statement())
