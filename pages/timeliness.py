"""Assessment timeliness: the 45-day series, the 2013 report figures, monthly returns."""

import streamlit as st

from ui.context import current
from ui.display import model_control, notes_for, show_section
from views.pages import TIMELINESS

area = current().area
model = model_control()

st.title(f"{area.name}: assessment timeliness")
st.info(TIMELINESS.intro)
notes = notes_for(area, TIMELINESS.key)
for section in TIMELINESS.sections:
    show_section(section, area, model, notes)
