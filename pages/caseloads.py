"""Caseloads and demand: children in need, caseloads by team, workforce."""

import streamlit as st

import charts
from metrics.messages import range_title
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

st.title(f"{name}: caseloads and demand")

st.subheader("Children in need")
for metric_id, what, unit_word in [
    ("CIN", "children in need per 10,000 children", ""),
    ("cin_at_31_march", "children in need at 31 March", ""),
]:
    chart = comparator_chart(
        metric_id, code, name, what=what, unit_word=unit_word, model=model
    )
    if chart:
        show_chart(chart)
if code == "E08000017":
    st.warning(
        "Doncaster's 2022 census figures are unreliable: a new children's recording system "
        "in use from August 2021 left performance reports inaccurate (Ofsted, Feb 2022 "
        "inspection, paragraph 46). The 2022 count awaiting assessment (429) is far above "
        "the years either side. See Sources and caveats."
    )

report = report_chart(
    ["children_in_need_cases"],
    code,
    name,
    subtitle=f"Open children in need cases, {name}, start of 2013 and "
    "Aug 2013 (council performance count)",
    unit="cases",
    slug="doncaster-children-in-need-cases-2013",
)
if report:
    show_chart(report)

st.subheader("Social worker caseloads")
ranges = q("observations", ["social_worker_caseload"], code)
if ranges.empty:
    st.info(
        f"Caseloads by team come from Doncaster's 2013 report; none are held for {name}."
    )
else:
    show_chart(
        charts.caseload_ranges(
            ranges,
            title=range_title(ranges),
            subtitle=f"Range of cases per social worker by service area, {name}, "
            f"{ranges.period_label.iloc[0]}",
            source=charts.source_line(
                [f"{ranges.source_title.iloc[0]} ({ranges.locator.iloc[0]})"], None
            ),
            alt="Range bars of caseloads per social worker: "
            + "; ".join(
                f"{s} {lo:g} to {hi:g}"
                for s, lo, hi in zip(
                    ranges.service_area, ranges.value_low, ranges.value_high
                )
            ),
            slug="doncaster-caseloads-by-team-2013",
        )
    )
chart = comparator_chart(
    "Work_Force_AvgNumCase_SW",
    code,
    name,
    what="average caseload per social worker (FTE)",
    model=model,
)
if chart:
    show_chart(chart)

st.subheader("Workforce")
for metric_id, what in [
    ("sw_agency_rate_fte", "agency social workers"),
    ("sw_turnover_rate_fte", "social worker turnover"),
    ("sw_vacancy_rate_fte", "social worker vacancies"),
]:
    chart = comparator_chart(
        metric_id, code, name, what=what, unit_word="%", model=model
    )
    if chart:
        show_chart(chart)
