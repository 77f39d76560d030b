"""Ofsted journey: grade over time, sub-judgements, neighbours, national picture."""

import pandas as pd
import streamlit as st

import charts
from metrics.grades import grade_label
from metrics.messages import distribution_title, grade_journey_title
from ui.components import (
    CONTRACT_NOTE,
    as_at,
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
targets = q("target_status", code) if contract else None
trust = q("trust_period") if contract else None
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
    first, last = judgements.iloc[0], judgements.iloc[-1]
    show_chart(
        charts.grade_steps(
            judgements,
            title=grade_journey_title(judgements, name),
            subtitle=f"Ofsted overall grade, {name}, "
            f"{pd.Timestamp(first.decided_on):%Y}–{pd.Timestamp(last.decided_on):%Y}; "
            "adequate, requires improvement and requires improvement to be good share a level",
            source=charts.source_line(
                list(judgements.source_title), as_at(last.decided_on)
            ),
            alt=f"Step chart of {name}'s Ofsted overall grade: "
            + "; ".join(
                f"{pd.Timestamp(d):%b %Y} {g}"
                for d, g in zip(judgements.decided_on, judgements.overall_grade)
            ),
            slug=charts.slugify(
                name,
                "ofsted-grades",
                f"{pd.Timestamp(first.decided_on):%Y}",
                f"{pd.Timestamp(last.decided_on):%Y}",
            ),
            trust=trust,
            targets=targets,
            until=pd.Timestamp(
                max(pd.Timestamp(last.decided_on), pd.Timestamp("today").normalize())
            ),
        )
    )

    st.subheader("Judgements and sub-judgements")
    table = judgements[
        [
            "decided_on",
            "framework",
            "inspection_type",
            "overall_grade",
            "help_and_protection",
            "children_in_care",
            "care_leavers",
            "leadership",
            "adoption",
            "source_title",
            "locator",
        ]
    ].copy()
    for column in (
        "overall_grade",
        "help_and_protection",
        "children_in_care",
        "care_leavers",
        "leadership",
        "adoption",
    ):
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
latest = q("latest_grades")
show_chart(
    charts.grade_distribution(
        latest,
        code,
        title=distribution_title(latest, code, name),
        subtitle=f"Latest Ofsted overall grade of all {len(latest)} English local authorities",
        source=charts.source_line(
            ["Ofsted, local authority inspection outcomes as at 31 March 2025"],
            "25 Sep 2025",
        ),
        alt=f"Bar chart of the latest overall grade of {len(latest)} local authorities: "
        + "; ".join(f"{n} {g}" for g, n in latest.overall_grade.value_counts().items())
        + f". {name} is highlighted.",
        slug=charts.slugify(name, "national-grade-distribution-2025"),
    )
)
