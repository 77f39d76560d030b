"""Ofsted journey: grade over time, sub-judgements, neighbours, national picture."""

import streamlit as st

from charts.dashboard import distribution_chart, grade_journey_chart
from metrics.grades import SUBJUDGEMENTS, grade_label
from ui.components import (
    CONTRACT_NOTE,
    as_at,
    cached,
    focus,
    has_contract,
    q,
    require_app,
    show_chart,
)

require_app()

code, name = focus()
judgements = q("judgements", code)
contract = has_contract(code)
model = st.radio(
    "Statistical neighbour model",
    ["2025", "2021"],
    horizontal=True,
    help="DfE's statistical neighbour models of May 2025 and April 2021.",
)

st.title(f"{name}: Ofsted journey")
if not contract:
    st.info(CONTRACT_NOTE)

if judgements.empty:
    st.warning("No Ofsted judgements are held for this local authority.")
else:
    show_chart(cached(grade_journey_chart, code, name))

    st.subheader("Judgements and sub-judgements")
    graded = ["overall_grade", *SUBJUDGEMENTS]
    table = judgements[
        [
            "decided_on",
            "framework",
            "inspection_type",
            *graded,
            "source_title",
            "locator",
        ]
    ].copy()
    for column in graded:
        table[column] = [
            grade_label(g) if isinstance(g, str) else "—" for g in table[column]
        ]
    st.dataframe(
        table.rename(columns={"decided_on": "published (or inspected)"}),
        hide_index=True,
    )

st.subheader(f"Statistical neighbours' latest grades ({model} model)")
neighbours = q("neighbour_grades", code, model)
if neighbours.empty:
    st.write(f"{name} has no statistical neighbours in the {model} model.")
else:
    neighbours = neighbours.assign(
        latest_grade=[
            grade_label(g) if isinstance(g, str) else "—"
            for g in neighbours.overall_grade
        ],
        published=[as_at(d) for d in neighbours.published],
    )
    st.dataframe(
        neighbours[["rank", "area_name", "closeness", "latest_grade", "published"]],
        hide_index=True,
    )
    st.caption(
        "Source: DfE statistical neighbour model; Ofsted local authority inspection "
        "outcomes as at 31 March 2025."
    )

st.subheader("Where the focus LA sits nationally")
show_chart(cached(distribution_chart, code, name))
