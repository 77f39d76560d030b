"""Assessment timeliness: the 45-day series, the 2013 report figures, monthly returns."""

import streamlit as st

from ui.display import model_control, notes_for, show_section
from ui.state import current_area, require_app
from views.pages import TIMELINESS

require_app()

area = current_area()
model = model_control()

st.title(f"{area.name}: assessment timeliness")
st.info(TIMELINESS.intro)
notes = notes_for(area, TIMELINESS.key)
for section in TIMELINESS.sections:
    show_section(section, area, model, notes)
