"""Assessment timeliness: the 2013 report figures and the 45-day series."""

import streamlit as st

from charts.dashboard import (
    TIMELINESS_REPORT,
    TIMELINESS_SERIES,
    comparator_chart,
    report_chart,
)
from charts.monthly import TIMELINESS_MONTHLY, monthly_chart
from ui.components import cached, focus, require_app, show_chart

require_app()

code, name = focus()
model = st.radio("Statistical neighbour model", ["2025", "2021"], horizontal=True)

st.title(f"{name}: assessment timeliness")
st.info(
    "Until 2013/14 councils recorded an initial assessment (due within 10 working days) "
    "and, where needed, a core assessment (due within 35 working days). Statutory "
    "guidance in 2013 replaced both with a single assessment due within 45 working days, "
    "which is what the national series below measures. The 2013 report figures and the "
    "45-day series are therefore different measures and are charted separately."
)

st.subheader("Annual: assessments completed within 45 working days")
for series in TIMELINESS_SERIES:
    chart = cached(comparator_chart, series, code, name, model)
    if chart:
        show_chart(chart)
    else:
        st.info(f"No published figures of {series.what} for {name}.")

st.subheader("2013: the council's report on progress")
reports = [cached(report_chart, r, code, name) for r in TIMELINESS_REPORT]
if not any(reports):
    st.info(
        f"The 2013 council report figures are Doncaster's; none are held for {name}."
    )
for chart in filter(None, reports):
    show_chart(chart)

st.subheader("Monthly returns from the performance team")
monthly = [cached(monthly_chart, m, code, name) for m in TIMELINESS_MONTHLY]
if not any(monthly):
    st.caption(
        f"No monthly figures have been loaded for {name}; the Load monthly figures "
        "page loads them."
    )
for chart in filter(None, monthly):
    show_chart(chart)
