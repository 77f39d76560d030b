"""Overview: contract targets, latest grade, headline indicators, milestones."""

import streamlit as st

from ui.context import current
from ui.data import cached, q
from ui.display import show_section
from views.freshness import whats_new
from views.overview import contract_note, headline_cards, judgement_card, target_cards
from views.pages import OVERVIEW

area = current().area
targets = q("target_status", area.code)
judgements = q("judgements", area.code)
headline = q("headline", area.code)
note = cached(contract_note, area)

st.title(f"{area.name}: are we on track, and how do we compare?")
news = whats_new(q("data_updates"))
if news:
    st.info(news)

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
latest = judgement_card(judgements)
if latest is None:
    st.write("No Ofsted judgement is held for this local authority.")
else:
    st.metric("Overall effectiveness", latest.grade, help=latest.help)
    st.caption(latest.caption)

st.subheader("Headline indicators")
st.caption(
    "Latest published year; change on the year before; England for the same year. "
    "RAG: green same as or better than England; amber worse by 5% or less; red worse "
    "by more than 5%; indicators with no better direction get no RAG."
)
cards = headline_cards(headline)
for start in range(0, len(cards), 3):
    for column, h in zip(st.columns(3), cards[start : start + 3]):
        with column.container(border=True):
            st.markdown(f"**{h.label}** ({h.period})")
            st.metric(
                f"{h.label} ({h.period})",
                h.value,
                delta=h.delta,
                delta_color=h.delta_colour,
                help=h.help,
                label_visibility="collapsed",
            )
            st.write(h.england)

for section in OVERVIEW.sections:
    show_section(section, area)
    if note and section.key == "milestones":
        st.info(note)
