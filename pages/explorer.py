"""Benchmark explorer: any LAIT measure against neighbours, region and England."""

import streamlit as st

from ui.adjust import adjust_control, group_from_address, group_picker
from ui.context import current
from ui.data import area_names, cached, q
from ui.display import MODELS, show_chart
from ui.state import from_address, to_address
from ui.tables import OWN_TABLE_KEY, show_table
from views.explorer import ALL_TOPICS, STATS, explorer_view, lait_measures, plain
from views.groups import MAX_MEASURES, own_table, region_view
from views.options import KEEP
from views.ranking_words import change_sentence, rank_sentences

DEFAULT_MEASURE = "ReReferral"
SAVED = "explorer_saved"  # the last selection, kept while other pages are shown

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


def topic_changed() -> None:
    topic = st.session_state.explorer_topic
    if topic != ALL_TOPICS and topic_of[st.session_state.explorer_measure] != topic:
        st.session_state.explorer_measure = measures.in_topic(topic)[0]


st.title(f"{area.name}: benchmark explorer")
st.caption(
    f"Any of the {len(measures.ids)} measures in DfE's Local Authority Interactive Tool, for "
    "the focus local authority (chosen in the sidebar) against a comparison group "
    "(its statistical neighbours unless another is chosen), its region and England, "
    "with its rank among all current English local authorities, every LA of its "
    "region, and a table of your own."
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
    "Group figure",
    STATS,
    key="explorer_stat",
    horizontal=True,
    help="Mean or median of the comparison group's LAs that have a value in each "
    "period; the focus LA is never in its own group's figure.",
)
show = three.toggle(
    "Show each LA of the group as a thin grey line", key="explorer_show"
)
names = area_names()
group = group_picker(
    "explorer",
    group_from_address(st.session_state.get(SAVED, {}).get("group"), names),
    names,
)
settings = {
    "measure": measure,
    "model": model,
    "stat": stat,
    "show": "1" if show else "0",
}
if group:
    settings["group"] = group
st.session_state[SAVED] = settings
to_address(settings)
to_address({"group": group} if group else {}, prefix="group")

# --- the measure's dictionary entry ----------------------------------------------

view = cached(explorer_view, measure, area, model, stat, show, KEEP, group)
label, unit, polarity, position = view.label, view.unit, view.polarity, view.position

st.subheader(plain(label))
definition = view.meta.get("definition") or "not given in the dictionary"
st.markdown("**Definition:** " + plain(definition))
st.markdown("\n".join(f"- {f}" for f in view.facts()))
if not view.quartiles:
    st.info(
        "No quartile bands for this measure: the dictionary says quartiles do not "
        "apply."
    )
if not view.directed:
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
        "Rank (1 = best)" if view.directed else "Position (1 = highest value)",
        position.rank_words(),
    )
    second.metric("Quartile band", position.band or "None", help=view.band_help())
    third.metric(
        f"Value, {period}" + (f" ({unit})" if unit else ""),
        view.value_text(),
        delta=view.change_text(),
        delta_color={"lower": "inverse", "higher": "normal"}.get(polarity, "off"),
    )
    for sentence in rank_sentences(position, label, period, view.dps):
        st.markdown(sentence)
    st.markdown(
        "**Change on the previous period:** "
        + change_sentence(position, previous, view.dps, unit)
    )

# --- time series ------------------------------------------------------------------

st.subheader(f"{area.name} against its comparison group, region and England")
for message in view.messages:
    st.info(message)
if view.benchmark is not None:
    options = adjust_control(
        "benchmark",
        y_default="fitted",
        comparators=view.choices,
        add=True,
        groups=False,
    )
    if not options.is_default:
        view = cached(explorer_view, measure, area, model, stat, show, options, group)
    show_chart(view.benchmark, options)

# --- ranking chart ----------------------------------------------------------------

if view.ranking is not None:
    st.subheader(f"Every current local authority, {view.period}")
    show_chart(view.ranking)

# --- every LA of the region --------------------------------------------------------

region = cached(region_view, measure, area)
st.subheader(f"Every current local authority in {region.region}")
for message in region.messages:
    st.info(message)
if region.table is not None:
    st.markdown(
        f"**{region.summary}.** Click a column's heading to sort by it; "
        f"{area.name}'s row is highlighted. Rank in region and national rank: 1 = "
        "best (for a measure with no better direction, 1 = highest); the quartile "
        "band is national. An LA without a figure is listed as such."
    )
    show_table(region.table, region.slug, region.about)
if region.chart is not None:
    show_chart(region.chart)

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

# --- your own table ------------------------------------------------------------------

st.subheader("Your own table")
st.caption(
    f"Up to {MAX_MEASURES} measures for {area.name} and the comparison group chosen "
    "above: each LA's latest figure, its change on the previous period and its rank "
    "in the group (1 = best)."
)
picked = st.multiselect(
    f"Measures (up to {MAX_MEASURES})",
    list(measures.ids),
    default=[measure],
    format_func=lambda m: f"{label_of[m]} ({m})",
    max_selections=MAX_MEASURES,
    key="explorer_table",
)
if picked:
    own = cached(own_table, tuple(picked), area, model, group)
    st.markdown(f"**{own.title}.**")
    show_table(own.table, own.slug, own.about)
    for note in own.notes:
        st.caption(note)
    in_pack = st.toggle(
        "Add this table to the board pack (a page of its own, in every format)",
        value=st.session_state.get(OWN_TABLE_KEY) == own,
        key="explorer_table_in_pack",
    )
    if in_pack:
        st.session_state[OWN_TABLE_KEY] = own
    elif st.session_state.get(OWN_TABLE_KEY) == own:
        del st.session_state[OWN_TABLE_KEY]
