"""Benchmark explorer: any LAIT measure against neighbours, region and England."""

import re

import streamlit as st

from metrics.formatting import as_at, fmt
from metrics.ranking import STATS, direction
from metrics.units import is_count
from ui.adjust import adjust_control
from ui.context import current
from ui.data import cached, q
from ui.display import MODELS, show_chart
from ui.state import from_address, to_address
from views.explorer import ALL_TOPICS, explorer_view, lait_measures
from views.freshness import next_update_text
from views.ranking_words import band_words, change_sentence, rank_sentences

DEFAULT_MEASURE = "ReReferral"
SAVED = "explorer_saved"  # the last selection, kept while other pages are shown
COMPARED = ("england", "region", "neighbours")  # lines the chart's control offers

area = current().area
measures = cached(lait_measures)
topic_of, label_of = measures.topic_of, measures.label_of


# Widgets' state goes when the page is left; start again from the address, else
# from the selection last used.
if "explorer_measure" not in st.session_state:
    saved = st.session_state.get(SAVED, {})
    measure = from_address("measure", topic_of, DEFAULT_MEASURE, saved.get("measure"))
    st.session_state.explorer_measure = measure
    st.session_state.explorer_topic = topic_of[measure]
    st.session_state.explorer_model = from_address(
        "model", MODELS, MODELS[0], saved.get("model")
    )
    st.session_state.explorer_stat = from_address(
        "stat", STATS, STATS[0], saved.get("stat")
    )
    show = from_address("show", ("0", "1"), "0", saved.get("show"))
    st.session_state.explorer_show = show == "1"


def plain(text: str) -> str:
    """Dictionary text shown as written: markdown marks escaped, paragraphs kept."""
    text = re.sub(r"\n{3,}", "\n\n", str(text).replace("\r", "")).strip()
    return re.sub(r"([\\`*_{}\[\]<>#+!|$~])", r"\\\1", text)


def topic_changed() -> None:
    topic = st.session_state.explorer_topic
    if topic != ALL_TOPICS and topic_of[st.session_state.explorer_measure] != topic:
        st.session_state.explorer_measure = measures.in_topic(topic)[0]


st.title(f"{area.name}: benchmark explorer")
st.caption(
    f"Any of the {len(measures.ids)} measures in DfE's Local Authority Interactive Tool, for "
    "the focus local authority (chosen in the sidebar) against its statistical "
    "neighbours, its region and England, with its rank among all current English "
    "local authorities."
)

left, right = st.columns([1, 2])
topic = left.selectbox(
    "Topic", measures.topics, key="explorer_topic", on_change=topic_changed
)
measure = right.selectbox(
    "Measure (type to search by name or code)",
    measures.in_topic(topic),
    key="explorer_measure",
    format_func=lambda m: f"{label_of[m]} ({m})",
)
one, two, three = st.columns(3)
model = one.radio(
    "Statistical neighbour model",
    MODELS,
    key="explorer_model",
    horizontal=True,
    help="DfE's statistical neighbour models of May 2025 and April 2021.",
)
stat = two.radio(
    "Neighbours' average",
    STATS,
    key="explorer_stat",
    horizontal=True,
    help="Mean or median of the neighbours that have a value in each period.",
)
show = three.toggle("Show each neighbour as a thin grey line", key="explorer_show")
settings = {
    "measure": measure,
    "model": model,
    "stat": stat,
    "show": "1" if show else "0",
}
st.session_state[SAVED] = settings
to_address(settings)

# --- the measure's dictionary entry ----------------------------------------------

view = cached(explorer_view, measure, area, model, stat, show)
meta, label, unit, polarity = view.meta, view.label, view.unit, view.polarity
dps, position = view.dps, view.position

st.subheader(plain(label))
definition = meta.get("definition") or "not given in the dictionary"
st.markdown("**Definition:** " + plain(definition))
facts = [
    f"**Unit:** {plain(unit) or 'not given'}",
    f"**Polarity:** {polarity} ({direction(polarity)})",
    f"**Topic:** {meta.get('topic') or 'none'}; **year type:** "
    f"{meta.get('year_type') or 'not given'}",
    f"**Source:** {meta['source_title']} ({meta['publisher']}), code `{measure}`; "
    f"published {as_at(meta.get('published')) or 'date not given'}; this measure "
    f"last updated {as_at(meta.get('last_updated')) or 'date not given'}; "
    + next_update_text(meta.get("next_update")),
]
if isinstance(meta.get("link"), str) and meta["link"]:
    facts.append(f"**Underlying publication:** {meta['link']}")
if isinstance(meta.get("methodology"), str) and meta["methodology"]:
    facts.append(
        "**Methodology (from the LAIT dictionary):** "
        + plain(" ".join(meta["methodology"].split()))
    )
st.markdown("\n".join(f"- {f}" for f in facts))
if not view.quartiles:
    st.info(
        "No quartile bands for this measure: the dictionary says quartiles do not "
        "apply."
    )
if polarity not in ("higher", "lower"):
    st.info(
        "This measure has no better direction (neutral polarity): local authorities "
        "are ordered by value, highest first, and a higher or lower position is "
        "neither better nor worse. So there is no quartile band: DfE's LAIT bands "
        "only measures where higher or lower is better."
    )

# --- rank among current local authorities ------------------------------------------

if view.table is None:
    st.warning(f"No current local authority has a value for {label}.")
else:
    period, previous = view.period, view.previous
    st.subheader(f"Rank in {period}")
    first, second, third = st.columns(3)
    first.metric(
        "Rank (1 = best)"
        if polarity in ("higher", "lower")
        else "Position (1 = highest value)",
        position.rank_words(),
    )
    if polarity not in ("higher", "lower"):
        band_help = "No better direction, so no band (as in DfE's LAIT)."
    elif not view.quartiles:
        band_help = "The dictionary says quartiles do not apply."
    else:
        basis = f"{view.band_basis[0].upper()}{view.band_basis[1:]}."
        if position.band is None:
            band_help = f"No value, so no band. {basis}"
        else:
            words = band_words(position.band, polarity)
            band_help = (
                f"{words[0].upper()}{words[1:]}. A is the best band, D the worst. "
                f"{basis}"
            )
    second.metric("Quartile band", position.band or "None", help=band_help)
    third.metric(
        f"Value, {period}" + (f" ({unit})" if unit else ""),
        fmt(position.value, dps) if position.value is not None else "No value",
        delta=None
        if position.change is None
        else f"{position.change:+,.{dps}f} on {previous}",
        delta_color={"lower": "inverse", "higher": "normal"}.get(polarity, "off"),
    )
    for sentence in rank_sentences(position, label, period, dps):
        st.markdown(sentence)
    st.markdown(
        "**Change on the previous period:** "
        + change_sentence(position, previous, dps, unit)
    )

# --- time series ------------------------------------------------------------------

st.subheader(f"{area.name} against statistical neighbours, region and England")
for message in view.messages:
    st.info(message)
if view.benchmark is not None:
    options = adjust_control(
        "benchmark",
        y_default="fitted",
        comparators=("neighbours",) if is_count(unit) else COMPARED,
        add=True,
    )
    if not options.is_default:
        view = cached(explorer_view, measure, area, model, stat, show, options)
    show_chart(view.benchmark, options)

# --- ranking chart ----------------------------------------------------------------

if view.ranking is not None:
    st.subheader(f"Every current local authority, {view.period}")
    show_chart(view.ranking)

# --- neighbours and their Ofsted grades ---------------------------------------------

grades_source = "; ".join(sorted(set(q("latest_grades").source_title)))
st.subheader(f"Statistical neighbours ({model} model) and their latest Ofsted grades")
if view.neighbours is None:
    st.write(f"{area.name} has no statistical neighbours in the {model} model.")
else:
    st.dataframe(view.neighbours, hide_index=True)
    st.markdown(view.comparison)
    st.caption(
        "Grades: ★ Outstanding, ✓ Good, ▲ Requires improvement / adequate, "
        f"✗ Inadequate. Source: {grades_source}. National rank is among all "
        "current local authorities"
        + (f"; {view.band_basis}." if view.band_basis else ".")
    )
