"""Benchmark explorer: any LAIT measure against neighbours, region and England."""

import re

import pandas as pd
import streamlit as st

from charts import benchmark_lines, ranking_bars, slugify, source_line
from charts.dashboard import OFSTED_OUTCOMES
from metrics.benchmark import (
    BAND_WORDS,
    STATS,
    band_words,
    benchmark,
    change_sentence,
    direction,
    neighbour_summary,
    ordinal,
    rank_sentences,
    rank_title,
    series_title,
    value_format,
)
from metrics.grades import grade_label
from metrics.messages import fmt
from ui.components import as_at, focus, q, require_app, show_chart

require_app()

DEFAULT_MEASURE = "ReReferral"
ALL_TOPICS = "All topics"
MODELS = ["2025", "2021"]
SAVED = "explorer_saved"  # the last selection, kept while other pages are shown

code, name = focus()
dictionary = q("dictionary")
lait = dictionary[dictionary.source_id == "dfe_lait"].assign(
    topic=lambda d: d.topic.fillna("Other")
)
lait = lait.sort_values(["topic", "label", "metric_id"])
topic_of = dict(zip(lait.metric_id, lait.topic))
label_of = dict(zip(lait.metric_id, lait.label))
topics = [ALL_TOPICS, *sorted(lait.topic.unique())]


def wanted(key: str, allowed, default: str) -> str:
    """A setting from the address, else the one last used, else the default."""
    saved = st.session_state.get(SAVED, {})
    for value in (st.query_params.get(key), saved.get(key)):
        if value in allowed:
            return value
    return default


# Widgets' state goes when the page is left; start again from the address.
if "explorer_measure" not in st.session_state:
    measure = wanted("measure", topic_of, DEFAULT_MEASURE)
    st.session_state.explorer_measure = measure
    st.session_state.explorer_topic = topic_of[measure]
    st.session_state.explorer_model = wanted("model", MODELS, MODELS[0])
    st.session_state.explorer_stat = wanted("stat", STATS, STATS[0])
    st.session_state.explorer_show = wanted("show", ["0", "1"], "0") == "1"


def plain(text: str) -> str:
    """Dictionary text shown as written: markdown marks escaped, paragraphs kept."""
    text = re.sub(r"\n{3,}", "\n\n", str(text).replace("\r", "")).strip()
    return re.sub(r"([\\`*_{}\[\]<>#+!|$~])", r"\\\1", text)


def topic_changed() -> None:
    topic = st.session_state.explorer_topic
    if topic != ALL_TOPICS and topic_of[st.session_state.explorer_measure] != topic:
        st.session_state.explorer_measure = lait[lait.topic == topic].metric_id.iloc[0]


st.title(f"{name}: benchmark explorer")
st.caption(
    f"Any of the {len(lait)} measures in DfE's Local Authority Interactive Tool, for "
    "the focus local authority (chosen in the sidebar) against its statistical "
    "neighbours, its region and England, with its rank among all current English "
    "local authorities."
)

left, right = st.columns([1, 2])
topic = left.selectbox("Topic", topics, key="explorer_topic", on_change=topic_changed)
in_topic = lait if topic == ALL_TOPICS else lait[lait.topic == topic]
measure = right.selectbox(
    "Measure (type to search by name or code)",
    list(in_topic.metric_id),
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
st.query_params.update(settings)

# --- the measure's dictionary entry ----------------------------------------------

meta = q("metric", measure)
label = meta["label"]
unit = meta["unit"] or ""
polarity = meta["polarity"]
quartiles = bool(meta["quartiles_apply"])
dps = value_format(meta.get("dps"))
as_at_date = as_at(meta.get("last_updated")) or as_at(meta.get("published"))
source = source_line([f"{meta['source_title']} ({measure})"], as_at_date)

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
    f"last updated {as_at(meta.get('last_updated')) or 'date not given'}",
]
if isinstance(meta.get("link"), str) and meta["link"]:
    facts.append(f"**Underlying publication:** {meta['link']}")
st.markdown("\n".join(f"- {f}" for f in facts))
if not quartiles:
    st.info(
        "No quartile bands for this measure: the dictionary says quartiles do not "
        "apply."
    )
if polarity not in ("higher", "lower"):
    st.info(
        "This measure has no better direction (neutral polarity): local authorities "
        "are ordered by value, highest first, and a higher or lower position is "
        "neither better nor worse."
    )

# --- rank among current local authorities ------------------------------------------

raw = q("ranking", measure)
comparators = q("comparator_series", measure, code, model)
table = position = None
if raw.empty:
    st.warning(f"No current local authority has a value for {label}.")
else:
    table, position = benchmark(raw, code, polarity, quartiles)
    period = raw.period_label.iloc[0]
    previous = raw.previous_label.iloc[0]
    previous = previous if isinstance(previous, str) else None
    st.subheader(f"Rank in {period}")
    first, second, third = st.columns(3)
    first.metric(
        "Rank (1 = best)"
        if polarity in ("higher", "lower")
        else "Position (1 = highest value)",
        position.rank_words(),
    )
    band_help = band_words(position.band, polarity) if position.band else None
    second.metric(
        "Quartile band",
        position.band or "None",
        help=band_help
        or (
            "The dictionary says quartiles do not apply."
            if not quartiles
            else "No value, so no band."
        ),
    )
    third.metric(
        f"Value, {period}" + (f" ({unit})" if unit else ""),
        fmt(position.value, dps) if position.value is not None else "No value",
        delta=None
        if position.change is None
        else f"{position.change:+,.{dps}f} on {previous}",
        delta_color={"lower": "inverse", "higher": "normal"}.get(polarity, "off"),
    )
    for sentence in rank_sentences(position, label, period):
        st.markdown(sentence)
    st.markdown(
        "**Change on the previous period:** "
        + change_sentence(position, previous, dps, unit)
    )

# --- time series ------------------------------------------------------------------

st.subheader(f"{name} against statistical neighbours, region and England")
neighbours = q("neighbour_series", measure, code, model).assign(
    source_title=meta["source_title"]
)
summary = neighbour_summary(
    neighbours, stat, model, meta["source_id"], meta["source_title"]
)
parts = [comparators[comparators.role != "neighbours"], summary]
series = pd.concat([p for p in parts if not p.empty], ignore_index=True)
focus_rows = series[(series.role == "focus") & series.value.notna()].sort_values(
    "period_end"
)
if series.dropna(subset=["value"]).empty:
    st.info(f"No published values of {label} for {name} or its comparators.")
else:
    if focus_rows.empty:
        st.info(f"No published values of {label} for {name}; comparators only.")
    labels = sorted(series.dropna(subset=["value"]).period_label)
    others = ", ".join(sorted(set(series.series) - {name}))
    subtitle = (
        f"{label}; {name} against {others}; {labels[0]}–{labels[-1]}; "
        f"{model} statistical neighbour model"
    )
    if show:
        subtitle += "; thin grey lines: each neighbour"
    alt = (
        f"Line chart of {label} for {name}: "
        + (
            "; ".join(
                f"{p} {fmt(v, dps)}"
                for p, v in zip(focus_rows.period_label, focus_rows.value)
            )
            or "no values"
        )
        + f". England, the region and the statistical neighbours' {stat} are shown "
        "for comparison" + ("; each neighbour is a thin grey line." if show else ".")
    )
    show_chart(
        benchmark_lines(
            series,
            neighbours=neighbours if show else None,
            title=series_title(series, name, dps, stat),
            subtitle=subtitle,
            unit=unit,
            source=source,
            alt=alt,
            slug=slugify(name, measure, "benchmark", labels[0], labels[-1]),
        )
    )

# --- ranking chart ----------------------------------------------------------------

if table is not None:
    st.subheader(f"Every current local authority, {period}")
    ranked = table[table["rank"].notna()]
    england = comparators[
        (comparators.role == "england")
        & (
            pd.to_datetime(comparators.period_end)
            == pd.Timestamp(raw.period_end.iloc[0])
        )
        & comparators.value.notna()
    ]
    reference = ("England", float(england.value.iloc[0])) if len(england) else None
    kind = "directed" if polarity in ("higher", "lower") else "neutral"
    subtitle = (
        f"{label}, {period}; {position.n_ranked} current English local "
        f"authorities ranked; {direction(polarity)}"
    )
    if position.n_without:
        subtitle += f"; {position.n_without} without a value not ranked"
    top, bottom = ranked.iloc[0], ranked.iloc[-1]
    focus_words = (
        f"{name} {position.rank_words()} ({fmt(position.value, dps)})"
        if position.rank is not None
        else f"{name} has no value"
    )
    shown = table.rename(columns={"area_name": "local_authority"})[
        [
            "rank",
            "band",
            "local_authority",
            "area_code",
            "region_name",
            "period_label",
            "value",
            "previous_label",
            "previous_value",
            "previous_rank",
            "change",
            "locator",
        ]
    ].assign(source=source)
    show_chart(
        ranking_bars(
            table,
            focus_code=code,
            unit=unit,
            title=rank_title(position, label, period),
            subtitle=subtitle,
            source=source,
            alt=f"Bar chart of {label} for {position.n_ranked} local authorities in "
            f"rank order, {period}. {focus_words}. First: {top.area_name} "
            f"({fmt(top.value, dps)}); last: {bottom.area_name} "
            f"({fmt(bottom.value, dps)}).",
            slug=slugify(name, measure, "ranking", period),
            xaxis_title="Local authorities in rank order, 1st (best) on the left"
            if kind == "directed"
            else "Local authorities by value, highest on the left (no better direction)",
            band_labels=BAND_WORDS[kind] if quartiles else None,
            reference=reference,
            value_format=f",.{dps}f",
            focus_text=None
            if position.rank is None
            else f"<b>{name}</b><br>{ordinal(position.rank)}: "
            f"{fmt(position.value, dps)}",
            table=shown,
        )
    )

# --- neighbours and their Ofsted grades ---------------------------------------------

st.subheader(f"Statistical neighbours ({model} model) and their latest Ofsted grades")
grades = q("neighbour_grades", code, model)
if grades.empty:
    st.write(f"{name} has no statistical neighbours in the {model} model.")
else:
    latest_end = raw.period_end.iloc[0] if not raw.empty else None
    latest = (
        neighbours[pd.to_datetime(neighbours.period_end) == pd.Timestamp(latest_end)][
            ["rank", "area_code", "value"]
        ]
        if latest_end is not None
        else pd.DataFrame(columns=["rank", "area_code", "value"])
    )
    frame = grades.merge(latest, on="rank", how="left")
    if table is not None:
        frame = frame.merge(
            table[["area_code", "rank", "band"]].rename(
                columns={"rank": "national_rank"}
            ),
            on="area_code",
            how="left",
        )
    else:
        frame = frame.assign(national_rank=pd.NA, band=None)
    when = raw.period_label.iloc[0] if not raw.empty else "latest"
    st.dataframe(
        pd.DataFrame(
            {
                "closeness rank": frame["rank"],
                "local authority": frame.area_name,
                "closeness": frame.closeness,
                f"{label} ({when})": frame.value,
                "national rank": frame.national_rank,
                "quartile": frame.band,
                "latest Ofsted grade": [
                    grade_label(g) if isinstance(g, str) else "— none held"
                    for g in frame.overall_grade
                ],
                "grade published": frame.published,
            }
        ),
        hide_index=True,
    )
    own = q("latest_grades")
    own = own[own.area_code == code]
    own_grade = grade_label(own.overall_grade.iloc[0]) if len(own) else "none held"
    own_rank = (
        f"{fmt(position.value, dps)}, {position.rank_words()}"
        + (f", quartile {position.band}" if position.band else "")
        if position is not None and position.value is not None
        else "no value"
    )
    st.markdown(
        f"For comparison, {name}: {own_rank} in {when}; latest Ofsted grade "
        f"{own_grade}."
    )
    st.caption(
        "Grades: ★ Outstanding, ✓ Good, ▲ Requires improvement / adequate, "
        f"✗ Inadequate. Source: {OFSTED_OUTCOMES}. National rank is among all "
        "current local authorities."
    )
