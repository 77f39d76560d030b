"""Overview: the improvement plan first where there is one, what changed since the
last meeting, contract targets, latest grade, headline indicators, milestones."""

import datetime as dt

import streamlit as st

from ui.context import current
from ui.data import cached, db, q
from ui.display import show_section
from ui.state import from_address, to_address
from views.freshness import overdue_line, release_status, whats_new
from views.overview import PlanSummary, overview
from views.pages import OVERVIEW
from views.since import (
    CHOSEN,
    PARAM,
    Since,
    SinceDays,
    default_day,
    md,
    parse_day,
    since,
)

DELTA_COLOUR = {"higher": "normal", "lower": "inverse"}

area = current().area
view = cached(overview, area)

st.title(OVERVIEW.heading_for(area.name))
news = whats_new(q("data_updates"))
if news:
    st.info(news)
# One line when a source this page uses has a release overdue (views.freshness).
late = overdue_line(
    release_status(q("releases_in_use")),
    view.source_titles,
)
if late:
    st.warning(late)


def show_plan(plan: PlanSummary) -> None:
    """The plan first: how many measures stand where, then each one off track or
    missed with its latest figure, checkpoint, commentary and chart."""
    st.subheader("Improvement plan")
    st.caption(
        f"{plan.sentence} Status is computed from the targets files and the latest "
        "figures, never typed in."
    )
    # In a row that wraps, so that five counts take two short lines on a phone.
    counts = st.container(horizontal=True, gap="medium")
    for status, n in plan.counts:
        counts.metric(status, n, width="content")
    if not plan.exceptions:
        st.success("No measure is off track or missed.")
    for m in plan.exceptions:
        with st.container(border=True, key=f"plan-{m.metric_id}"):
            st.markdown(f"**{md(m.measure)}**: {m.status}")
            st.markdown(
                f"Latest: {md(m.latest)}  \nNext checkpoint: {md(m.checkpoint)}"
            )
            if m.commentary:
                st.caption(f"Commentary: {md(m.commentary)}")
            st.markdown(f"[Its chart against the plan on the Scorecard]({m.link})")


def since_day() -> tuple[dt.date, str]:
    """The day changes are listed from (in the address as ?since=), and why."""
    today = dt.date.today()
    fallback, basis = default_day(db(), area, today)
    start = parse_day(from_address(PARAM, SinceDays(today), ""), today) or fallback
    # A text box, not a date picker: the picker's day and month fields are smaller
    # than a touch target (WCAG 2.2, 2.5.8).
    typed = st.text_input(
        "Changes since (a date, YYYY-MM-DD)",
        value=start.isoformat(),
        help="By default the day the last board pack was prepared (else 30 days "
        "ago); a date chosen here is kept in the page's address.",
        key="since_day",
    )
    picked = parse_day(typed.strip(), today)
    if picked is None:
        st.warning(
            f"'{md(typed)}' is not a date on or before today written YYYY-MM-DD; "
            f"showing the changes since {start.isoformat()}."
        )
        picked = start
    # The default day is not written: a link keeps meaning "since the last pack".
    to_address({} if picked == fallback else {PARAM: picked.isoformat()}, PARAM)
    return picked, basis if picked == fallback else CHOSEN


def show_since(changes: Since) -> None:
    """What changed since the chosen day, each item with a link to its chart."""
    st.caption(f"{changes.intro} Each item links to its chart.")
    for group in changes.groups:
        with st.container(border=True):
            st.markdown(f"**{group.heading}**")
            if not group.items:
                st.write(group.empty)
            for item in group.items:
                st.markdown(f"- {md(item.text)} [{md(item.link_text)}]({item.link})")


if view.plan is not None:
    show_plan(view.plan)

st.subheader("Since the last meeting")
day, basis = since_day()
show_since(cached(since, area, day, dt.date.today(), basis))

st.subheader("Contract targets")
if view.contract_note:
    st.info(view.contract_note)
cards = view.targets
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
last = view.judgement
if last is None:
    st.write("No Ofsted judgement is held for this local authority.")
else:
    st.metric(
        "Overall effectiveness",
        last.grade,
        help=f"{last.when}. Source: {last.source}.",
    )
    st.caption(
        f"{last.framework} inspection published {last.published} — "
        f"{last.source}, {last.locator}."
    )

st.subheader("Headline indicators")
st.caption(
    "Latest published year; change on the year before; England for the same year. "
    "RAG: green same as or better than England; amber worse by 5% or less; red worse "
    "by more than 5%; indicators with no better direction get no RAG."
)
for start in range(0, len(view.headlines), 3):
    row = view.headlines[start : start + 3]
    for column, h in zip(st.columns(3), row):
        with column.container(border=True):
            st.markdown(f"**{h.label}** ({h.period})")
            st.metric(
                f"{h.label} ({h.period})",
                h.value,
                delta=h.change_text,
                delta_color=DELTA_COLOUR.get(h.polarity, "off") if h.change else "off",
                help=f"Unit: {h.unit}. Source: {h.source}, measure {h.metric_id}.",
                label_visibility="collapsed",
            )
            st.write(f"England: {h.england} · **{h.rag}**")

show_section(OVERVIEW, "milestones", area)
if view.contract_note:
    st.info(view.contract_note)
