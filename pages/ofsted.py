"""Ofsted journey: grade over time, sub-judgements, neighbours, national picture."""

import streamlit as st

from ui.context import current
from ui.data import cached, q
from ui.display import model_control, show_section
from views.ofsted import GRADED, judgements_table, neighbour_grade_table
from views.overview import contract_note
from views.pages import OFSTED

area = current().area
judgements = q("judgements", area.code)
note = cached(contract_note, area)
model = model_control()

st.title(OFSTED.heading_for(area.name))
if note:
    st.info(note)

show_section(OFSTED, "journey", area, model)
if not judgements.empty:
    st.subheader("Judgements and sub-judgements")
    st.dataframe(
        judgements_table(judgements),
        hide_index=True,
        column_config={
            "decided_on": "Published (or inspected)",
            "inspected": "Inspected",
            "days_to_publication": st.column_config.NumberColumn(
                "Days from the inspection's last day to publication"
            ),
            "framework": "Framework",
            "inspection_type": "Inspection",
            **{
                column: st.column_config.TextColumn(
                    column.replace("_", " ").capitalize()
                    if column != "overall_grade"
                    else "Overall",
                    width="medium",
                )
                for column in GRADED
            },
            "source_title": "Source",
            "locator": "Where in the source",
            "end_source": "Last day of the inspection from",
        },
    )

st.subheader(f"Statistical neighbours' latest grades ({model} model)")
neighbours = cached(neighbour_grade_table, area, model)
if neighbours.empty:
    st.write(f"{area.name} has no statistical neighbours in the {model} model.")
else:
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
    grades = sorted(set(neighbours.source_title.dropna()))
    st.caption(
        f"Source: DfE statistical neighbour model ({model}); " + "; ".join(grades) + "."
    )

show_section(OFSTED, "national", area, model)
