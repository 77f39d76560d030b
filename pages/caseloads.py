"""Caseloads and demand: children in need, caseloads by team, workforce."""

import streamlit as st

from charts.dashboard import (
    CASELOAD_SERIES,
    DEMAND_REPORT,
    DEMAND_SERIES,
    WORKFORCE_SERIES,
    caseload_range_chart,
    comparator_chart,
    report_chart,
)
from charts.monthly import CASELOAD_MONTHLY, DEMAND_MONTHLY, monthly_chart
from ui.components import cached, focus, require_app, show_chart

require_app()

code, name = focus()
model = st.radio("Statistical neighbour model", ["2025", "2021"], horizontal=True)


def show_series(series_list) -> None:
    for series in series_list:
        chart = cached(comparator_chart, series, code, name, model)
        if chart:
            show_chart(chart)
        else:
            st.info(f"No published figures of {series.what} for {name}.")


st.title(f"{name}: caseloads and demand")

st.subheader("Children in need")
show_series(DEMAND_SERIES)
if code == "E08000017":
    st.warning(
        "Doncaster's 2022 census figures are unreliable: a new children's recording system "
        "in use from August 2021 left performance reports inaccurate (Ofsted, Feb 2022 "
        "inspection, paragraph 46). The 2022 count awaiting assessment (429) is far above "
        "the years either side. See Sources and caveats."
    )
report = cached(report_chart, DEMAND_REPORT, code, name)
if report:
    show_chart(report)
monthly = cached(monthly_chart, DEMAND_MONTHLY, code, name)
if monthly:
    show_chart(monthly)

st.subheader("Social worker caseloads")
ranges = cached(caseload_range_chart, code, name)
if ranges:
    show_chart(ranges)
else:
    st.info(
        f"Caseloads by team come from Doncaster's 2013 report; none are held for {name}."
    )
monthly = cached(monthly_chart, CASELOAD_MONTHLY, code, name)
if monthly:
    show_chart(monthly)
show_series(CASELOAD_SERIES)

st.subheader("Workforce")
show_series(WORKFORCE_SERIES)
