"""Assessment timeliness: the 2013 report figures and the 45-day series."""

import streamlit as st

from ui.components import (
    comparator_chart,
    focus,
    q,
    report_chart,
    require_app,
    show_chart,
)

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
chart = comparator_chart(
    "Continue_Assess_Comp",
    code,
    name,
    what="assessments on time",
    unit_word="%",
    model=model,
)
if chart:
    show_chart(chart)

st.subheader("2013: the council's report on progress")
if q("observations", ["initial_assessments_in_progress"], code).empty:
    st.info(
        f"The 2013 council report figures are Doncaster's; none are held for {name}."
    )
else:
    for ids, subtitle, unit, slug in [
        (
            ["initial_assessments_in_progress", "initial_assessments_out_of_timescale"],
            f"Initial assessments open and past the 10-day timescale, {name}, start of 2013 "
            "and 4 Aug 2013",
            "assessments",
            "doncaster-initial-assessments-2013",
        ),
        (
            ["core_assessments_open", "core_assessments_out_of_timescale"],
            f"Core assessments open and past the 35-day timescale, {name}, start of 2013 and "
            "4 Aug 2013",
            "assessments",
            "doncaster-core-assessments-2013",
        ),
        (
            ["initial_assessments_on_time_pct"],
            f"Initial assessments completed within 10 working days, {name}, 2013",
            "% on time",
            "doncaster-initial-assessment-timeliness-2013",
        ),
    ]:
        chart = report_chart(ids, code, name, subtitle=subtitle, unit=unit, slug=slug)
        if chart:
            show_chart(chart)
