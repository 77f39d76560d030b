"""Ofsted journey: grade over time, sub-judgements, neighbours, national picture."""

import pandas as pd
import streamlit as st

from charts import date_text
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
    # A pre-2013 judgement is dated by its inspection month only.
    table["decided_on"] = [
        date_text(d, "day" if pd.notna(published) or pd.notna(end) else precision)
        for d, published, end, precision in zip(
            judgements.decided_on,
            judgements.published,
            judgements.inspection_end,
            judgements.date_precision,
        )
    ]
    for column in graded:
        table[column] = [
            grade_label(g) if isinstance(g, str) else "—" for g in table[column]
        ]
    st.dataframe(
        table,
        hide_index=True,
        column_config={
            "decided_on": "Published (or inspected)",
            "framework": "Framework",
            "inspection_type": "Inspection",
            **{
                column: st.column_config.TextColumn(
                    column.replace("_", " ").capitalize()
                    if column != "overall_grade"
                    else "Overall",
                    width="medium",
                )
                for column in graded
            },
            "source_title": "Source",
            "locator": "Where in the source",
        },
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
        column_config={
            "rank": "Closeness rank",
            "area_name": "Local authority",
            "closeness": "Closeness",
            "latest_grade": st.column_config.TextColumn("Latest grade", width="medium"),
            "published": "Published",
        },
    )
    st.caption(
        "Source: DfE statistical neighbour model; Ofsted local authority inspection "
        "outcomes as at 31 March 2025."
    )

st.subheader("Where the focus LA sits nationally")
show_chart(cached(distribution_chart, code, name))
