"""Overview: contract targets, latest grade, headline indicators, milestones."""

import pandas as pd
import streamlit as st

from metrics.formatting import as_at, fmt
from metrics.grades import grade_label
from ui.data import cached, q
from ui.display import show_section
from ui.state import current_area, require_app
from views.freshness import overdue_line, release_status, whats_new
from views.overview import contract_note, target_cards
from views.pages import OVERVIEW

require_app()

DELTA_COLOUR = {"higher": "normal", "lower": "inverse"}

area = current_area()
targets = q("target_status", area.code)
judgements = q("judgements", area.code)
headline = q("headline", area.code)
note = cached(contract_note, area)

st.title(f"{area.name}: are we on track, and how do we compare?")
news = whats_new(q("data_updates"))
if news:
    st.info(news)
# One line when a source this page uses has a release overdue (views.freshness).
late = overdue_line(
    release_status(q("releases_in_use")),
    set(judgements.get("source_title", [])) | set(headline.get("source_title", [])),
)
if late:
    st.warning(late)

st.subheader("Contract targets")
if note:
    st.info(note)
cards = target_cards(targets)
for column, card in zip(st.columns(max(len(cards), 1)), cards):
    with column.container(border=True):
        st.markdown(f"**{card.heading}**")
        st.markdown(f"### {card.status}")
        st.write(card.explanation)
        st.caption(
            f"Target source: {card.source}. Status computed from Ofsted judgements; a "
            "judgement counts from its publication date."
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
                help=f"Unit: {h.unit}. Source: {h.source_title}, measure "
                f"{h.metric_id}.",
                label_visibility="collapsed",
            )
            st.write(f"England: {fmt(h.england_value, dps)} · **{h.rag}**")

for section in OVERVIEW.sections:
    show_section(section, area)
    if note and section.key == "milestones":
        st.info(note)
