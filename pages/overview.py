"""Overview: contract targets, latest grade, headline indicators, milestones."""

import pandas as pd
import streamlit as st

from charts.dashboard import milestones_chart
from metrics.formatting import fmt
from metrics.grades import grade_label
from ui.components import (
    CONTRACT_NOTE,
    as_at,
    cached,
    focus,
    q,
    require_app,
    show_chart,
)

require_app()

STATUS_TEXT = {
    "met": "✓ Met",
    "met late": "◐ Met late",
    "missed": "✗ Missed",
    "not yet due": "… Not yet due",
}
DELTA_COLOUR = {"higher": "normal", "lower": "inverse"}

code, name = focus()
targets = q("target_status", code)
judgements = q("judgements", code)
headline = q("headline", code)

st.title(f"{name}: are we on track, and how do we compare?")

st.subheader("Contract targets")
if targets.empty:
    st.info(CONTRACT_NOTE)
for column, t in zip(st.columns(max(len(targets), 1)), targets.itertuples()):
    with column.container(border=True):
        deadline = pd.Timestamp(t.deadline)
        st.markdown(f"**Ofsted {t.grade.lower()} by {deadline:%B %Y}**")
        st.markdown(f"### {STATUS_TEXT[t.status]}")
        if t.status in ("met", "met late"):
            days = int(t.days_from_deadline)
            when = "early" if days < 0 else "late" if days > 0 else "on the deadline"
            st.write(
                f"Decided by the {t.decided_by} published {as_at(t.decided_on)}: "
                f"{abs(days)} days {when}."
                if days
                else f"Decided by the {t.decided_by} published {as_at(t.decided_on)}, "
                "on the deadline."
            )
        elif t.status == "missed":
            st.write(f"Not achieved by {as_at(t.deadline)}; {t.decided_by}.")
        else:
            st.write(f"Deadline {as_at(t.deadline)} is still ahead.")
        st.caption(
            f"Target source: {t.source_title} ({t.locator}). Status computed from "
            "Ofsted judgements; a judgement counts from its publication date."
        )

st.subheader("Latest Ofsted judgement")
if judgements.empty:
    st.write("No Ofsted judgement is held for this local authority.")
else:
    last = judgements.iloc[-1]
    st.metric(
        "Overall effectiveness",
        grade_label(last.overall_grade),
        help=f"{last.framework}, published {as_at(last.decided_on)}. "
        f"Source: {last.source_title}.",
    )
    st.caption(
        f"{last.framework} inspection published {as_at(last.decided_on)} — "
        f"{last.source_title}, {last.locator}."
    )

st.subheader("Headline indicators")
st.caption(
    "Latest published year; change on the year before; England for the same year. "
    "RAG: green same as or better than England; amber worse by 5% or less; red worse "
    "by more than 5%; indicators with no better direction get no RAG."
)
for start in range(0, len(headline), 3):
    row = headline.iloc[start : start + 3]
    for column, h in zip(st.columns(3), row.itertuples()):
        with column.container(border=True):
            dps = 1 if pd.isna(h.dps) else int(h.dps)
            delta = (
                None
                if pd.isna(h.previous_value) or pd.isna(h.value)
                else round(h.value - h.previous_value, 4)
            )
            st.markdown(f"**{h.label}** ({h.period_label})")
            st.metric(
                f"{h.label} ({h.period_label})",
                fmt(h.value, dps),
                delta=None
                if delta is None
                else f"{fmt(delta, dps)} on {h.previous_label}",
                delta_color=DELTA_COLOUR.get(h.polarity, "off") if delta else "off",
                help=f"Unit: {h.unit}. Source: DfE LAIT, measure {h.metric_id}.",
                label_visibility="collapsed",
            )
            st.write(f"England: {fmt(h.england_value, dps)} · **{h.rag}**")

st.subheader("Milestones")
if targets.empty:
    st.info(CONTRACT_NOTE)
else:
    show_chart(cached(milestones_chart, name))
