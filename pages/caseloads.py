"""Caseloads and demand: children in need, caseloads by team, workforce."""

import streamlit as st

from ui.context import current
from ui.display import model_control, notes_for, show_section
from views.pages import CASELOADS

area = current().area
model = model_control()

st.title(f"{area.name}: caseloads and demand")
notes = notes_for(area, CASELOADS.key)
for section in CASELOADS.sections:
    show_section(section, area, model, notes)
