"""The benchmark explorer's content for one selection, computed without Streamlit.

``explorer_view`` turns (measure, focus LA, neighbour model, average, show each
neighbour) into everything the page shows: the dictionary facts, the rank, the two
charts and the neighbours table. The page only lays it out, so the whole view can
be computed once per build and selection and shared by every session.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import pandas as pd

from charts.bars import ranking_bars
from charts.frame import Chart, source_line
from metrics.areas import Area
from metrics.formatting import as_at, decimals, fmt, ordinal, slugify
from metrics.grades import grade_label
from metrics.queries import STATISTICS, Database
from metrics.ranking import Position, benchmark, direction
from views.comparators import (
    Comparison,
    chosen_group,
    comparable,
    comparator_figure,
    compare,
)
from views.freshness import next_update_text
from views.options import KEEP, ChartOptions
from views.ranking_words import (
    BAND_LABELS,
    band_basis,
    band_words,
    quartile_values,
    rank_title,
    series_title,
)
from views.titles import change_title

ALL_TOPICS = "All topics"
STATS = STATISTICS  # the neighbours' averages the explorer offers


@dataclass(frozen=True)
class Measures:
    """The LAIT measures by topic, in the order the page lists them."""

    ids: tuple[str, ...]
    topic_of: dict[str, str]
    label_of: dict[str, str]
    topics: tuple[str, ...]  # "All topics" first

    def in_topic(self, topic: str) -> list[str]:
        """Measure ids of one topic (all of them for "All topics")."""
        if topic == ALL_TOPICS:
            return list(self.ids)
        return [m for m in self.ids if self.topic_of[m] == topic]


def lait_measures(db: Database) -> Measures:
    """Every LAIT measure in the dictionary, sorted by topic, label and code."""
    dictionary = db.dictionary()
    lait = dictionary[dictionary.source_id == "dfe_lait"].assign(
        topic=lambda d: d.topic.fillna("Other")
    )
    lait = lait.sort_values(["topic", "label", "metric_id"])
    return Measures(
        ids=tuple(lait.metric_id),
        topic_of=dict(zip(lait.metric_id, lait.topic)),
        label_of=dict(zip(lait.metric_id, lait.label)),
        topics=(ALL_TOPICS, *sorted(lait.topic.unique())),
    )


@dataclass
class ExplorerView:
    """What the explorer shows for one measure, focus LA, model and average."""

    meta: dict
    label: str
    unit: str
    polarity: str
    quartiles: bool
    dps: int
    source: str
    as_at: str | None = None  # the date the official data are as at
    position: Position | None = None
    table: pd.DataFrame | None = None  # every current LA with rank and band
    period: str | None = None
    previous: str | None = None
    messages: list[str] = field(default_factory=list)  # shown as notices
    benchmark: Chart | None = None
    ranking: Chart | None = None
    neighbours: pd.DataFrame | None = None  # None: no neighbours in the model
    comparison: str | None = None  # the focus LA's own rank and grade, in words
    # How the bands are computed, with the quartiles; None when there are no bands.
    band_basis: str | None = None
    choices: tuple[str, ...] = ()  # the comparator lines its adjust control offers

    @property
    def directed(self) -> bool:
        """Whether higher or lower is better (else LAs are only ordered by value)."""
        return self.polarity in ("higher", "lower")

    def facts(self) -> list[str]:
        """The measure's dictionary entry as the page lists it (markdown)."""
        meta = self.meta
        facts = [
            f"**Unit:** {plain(self.unit) or 'not given'}",
            f"**Polarity:** {self.polarity} ({direction(self.polarity)})",
            f"**Topic:** {meta.get('topic') or 'none'}; **year type:** "
            f"{meta.get('year_type') or 'not given'}",
            f"**Source:** {meta['source_title']} ({meta['publisher']}), code "
            f"`{meta['metric_id']}`; published "
            f"{as_at(meta.get('published')) or 'date not given'}; this measure last "
            f"updated {as_at(meta.get('last_updated')) or 'date not given'}; "
            + next_update_text(meta.get("next_update")),
        ]
        if isinstance(meta.get("link"), str) and meta["link"]:
            facts.append(f"**Underlying publication:** {meta['link']}")
        if isinstance(meta.get("methodology"), str) and meta["methodology"]:
            facts.append(
                "**Methodology (from the LAIT dictionary):** "
                + plain(" ".join(meta["methodology"].split()))
            )
        return facts

    def band_help(self) -> str:
        """What the focus area's quartile band means, or why it has none."""
        if not self.directed:
            return "No better direction, so no band (as in DfE's LAIT)."
        if not self.quartiles:
            return "The dictionary says quartiles do not apply."
        basis = f"{self.band_basis[0].upper()}{self.band_basis[1:]}."
        if self.position.band is None:
            return f"No value, so no band. {basis}"
        words = band_words(self.position.band, self.polarity)
        return (
            f"{words[0].upper()}{words[1:]}. A is the best band, D the worst. {basis}"
        )

    def value_text(self) -> str:
        """The focus area's latest value, as the page's metric shows it."""
        value = self.position.value
        return fmt(value, self.dps) if value is not None else "No value"

    def change_text(self) -> str | None:
        """Its change on the previous period ('+1.2 on 2024'), or None."""
        change = self.position.change
        if change is None:
            return None
        return f"{change:+,.{self.dps}f} on {self.previous}"


def plain(text: str) -> str:
    """Dictionary text shown as written: markdown marks escaped, paragraphs kept."""
    text = re.sub(r"\n{3,}", "\n\n", str(text).replace("\r", "")).strip()
    return re.sub(r"([\\`*_{}\[\]<>#+!|$~])", r"\\\1", text)


def explorer_view(
    db: Database,
    measure: str,
    area: Area,
    model: str,
    stat: str,
    show: bool,
    options: ChartOptions = KEEP,
    group: str = "",
) -> ExplorerView:
    """Compute the explorer's content for a measure and an area; ``options`` adjusts
    the time series chart (its y axis, comparator lines and added areas; ``show``
    draws each neighbour); ``group`` chooses the comparison group whose ``stat`` is
    drawn (by default the statistical neighbours under ``model``)."""
    meta = db.metric(measure)
    unit = meta["unit"] or ""
    dps = decimals(meta.get("dps"))
    as_at_date = as_at(meta.get("last_updated")) or as_at(meta.get("published"))
    view = ExplorerView(
        meta=meta,
        label=meta["label"],
        unit=unit,
        polarity=meta["polarity"],
        quartiles=bool(meta["quartiles_apply"]),
        dps=dps,
        source=source_line([f"{meta['source_title']} ({measure})"], as_at_date),
        as_at=as_at_date,
        choices=tuple(c for c in comparable(unit) if c != "each"),
    )
    raw = db.ranking(measure)
    if not raw.empty:
        view.table, view.position = benchmark(
            raw, area.code, view.polarity, view.quartiles
        )
        view.period = raw.period_label.iloc[0]
        previous = raw.previous_label.iloc[0]
        view.previous = previous if isinstance(previous, str) else None
        cuts = view.position.quartiles
        if cuts is not None:
            view.band_basis = (
                f"{band_basis(view.position.n_ranked, view.period)} "
                f"({quartile_values(cuts, dps)})"
            )
    # The explorer's own toggle, not the adjust control, draws each neighbour.
    shown = tuple(c for c in options.shown if c != "each") + (("each",) if show else ())
    chosen = ChartOptions(options.y_axis, shown, options.added, group, stat)
    comparison = compare(
        db, measure, area, chosen_group(db, area, model, chosen), chosen
    )
    view.benchmark = _benchmark_chart(view, comparison, model, stat)
    if view.table is not None:
        view.ranking = _ranking_chart(view, measure, area, raw, comparison)
    for chart in (view.benchmark, view.ranking):
        if chart is not None:
            chart.as_at = view.as_at
    neighbours = db.neighbour_series(measure, area.code, model)
    _neighbours_table(view, db, area, model, raw, neighbours)
    return view


def _benchmark_chart(
    view: ExplorerView, comparison: Comparison, model: str, stat: str
) -> Chart | None:
    """The measure over time: focus, region, England and the neighbours' average
    (those the options show), any areas added, and the area's local monthly figures
    beside them where any are loaded."""
    name, label, dps = comparison.area.name, view.label, view.dps
    series, focus = comparison.series, comparison.focus
    if series.dropna(subset=["value"]).empty:
        view.messages.append(
            f"No published values of {label} for {name} or its comparators."
        )
        return None
    if focus.empty:
        view.messages.append(
            f"No published values of {label} for {name}; comparators only."
        )
    if comparison.count and not focus.empty:
        title = change_title(focus, f"{name}:", dps, "")
    else:
        title = series_title(series, name, dps, stat)
    neighbours = comparison.group.spec.startswith("neighbours_")
    return comparator_figure(
        comparison,
        title,
        basis=f"{model} statistical neighbour model" if neighbours else None,
        slug=("benchmark",),
    )


def _ranking_chart(
    view: ExplorerView,
    measure: str,
    area: Area,
    raw: pd.DataFrame,
    comparison: Comparison,
) -> Chart:
    """Every current LA in rank order for the latest period, the focus marked."""
    table, position, period = view.table, view.position, view.period
    label, dps, polarity = view.label, view.dps, view.polarity
    ranked = table[table["rank"].notna()]
    # England's line whatever the time series shows, but never against a count.
    official = comparison.official
    england = official[
        (official.role == "england")
        & (pd.to_datetime(official.period_end) == pd.Timestamp(raw.period_end.iloc[0]))
        & official.value.notna()
    ]
    reference = (
        ("England", float(england.value.iloc[0]))
        if len(england) and not comparison.count
        else None
    )
    kind = "directed" if polarity in ("higher", "lower") else "neutral"
    subtitle = (
        f"{label}, {period}; {position.n_ranked} current English local "
        f"authorities ranked; {direction(polarity)}"
    )
    if position.n_without:
        subtitle += f"; {position.n_without} without a value not ranked"
    if position.quartiles is not None:
        # Said on the chart itself, which is screenshotted without the page; the
        # subtitle already gives the number ranked and the period.
        subtitle += (
            "; quartile bands by value as in DfE's LAIT (quartiles "
            f"{quartile_values(position.quartiles, dps, named=False)})"
        )
    top, bottom = ranked.iloc[0], ranked.iloc[-1]
    focus_words = (
        f"{area.name} {position.rank_words()} ({fmt(position.value, dps)})"
        if position.rank is not None
        else f"{area.name} has no value"
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
    ].assign(band_basis=view.band_basis, source=view.source)
    return ranking_bars(
        table,
        area_code=area.code,
        unit=view.unit,
        title=rank_title(position, label, period),
        subtitle=subtitle,
        source=view.source,
        alt=f"Bar chart of {label} for {position.n_ranked} local authorities in "
        f"rank order, {period}. {focus_words}. First: {top.area_name} "
        f"({fmt(top.value, dps)}); last: {bottom.area_name} "
        f"({fmt(bottom.value, dps)}).",
        slug=slugify(area.name, measure, "ranking", period),
        xaxis_title="Local authorities in rank order, 1st (best) on the left"
        if kind == "directed"
        else "Local authorities by value, highest on the left (no better direction)",
        band_labels=BAND_LABELS[polarity] if view.band_basis else None,
        reference=reference,
        value_format=f",.{dps}f",
        focus_text=None
        if position.rank is None
        else f"<b>{area.name}</b><br>{ordinal(position.rank)}: {fmt(position.value, dps)}",
        table=shown,
    )


def _neighbours_table(
    view: ExplorerView,
    db: Database,
    area: Area,
    model: str,
    raw: pd.DataFrame,
    neighbours: pd.DataFrame,
) -> None:
    """The neighbours with their value, national rank and latest Ofsted grade."""
    grades = db.neighbour_grades(area.code, model)
    if grades.empty:
        return
    table, position, dps = view.table, view.position, view.dps
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
    view.neighbours = pd.DataFrame(
        {
            "closeness rank": frame["rank"],
            "local authority": frame.area_name,
            "closeness": frame.closeness,
            f"{view.label} ({when})": frame.value,
            "national rank": frame.national_rank,
            "quartile band": frame.band,
            "latest Ofsted grade": [
                grade_label(g) if isinstance(g, str) else "— none held"
                for g in frame.overall_grade
            ],
            "grade published": frame.published,
        }
    )
    own = db.latest_grades()
    own = own[own.area_code == area.code]
    own_grade = grade_label(own.overall_grade.iloc[0]) if len(own) else "none held"
    own_rank = (
        f"{fmt(position.value, dps)}, {position.rank_words()}"
        + (f", quartile {position.band}" if position.band else "")
        if position is not None and position.value is not None
        else "no value"
    )
    view.comparison = (
        f"For comparison, {area.name}: {own_rank} in {when}; latest Ofsted grade "
        f"{own_grade}."
    )
