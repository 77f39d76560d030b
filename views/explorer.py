"""The benchmark explorer's content for one selection, computed without Streamlit.

``explorer_view`` turns (measure, focus LA, neighbour model, average, show each
neighbour) into everything the page shows: the dictionary facts, the rank, the two
charts and the neighbours table. The page only lays it out, so the whole view can
be computed once per build and selection and shared by every session.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from charts.bars import ranking_bars
from charts.frame import Chart, set_y_axis, source_line
from charts.lines import add_local_points, comparator_lines
from metrics.areas import Area
from metrics.formatting import as_at, decimals, fmt, ordinal, slugify
from metrics.grades import grade_label
from metrics.queries import Database
from metrics.ranking import (
    Position,
    benchmark,
    direction,
    neighbour_summary,
)
from metrics.units import is_count
from views.figures import local_figures
from views.options import KEEP, ChartOptions
from views.ranking_words import (
    BAND_LABELS,
    band_basis,
    quartile_values,
    rank_title,
    series_title,
)
from views.titles import change_title

ALL_TOPICS = "All topics"


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


def explorer_view(
    db: Database,
    measure: str,
    area: Area,
    model: str,
    stat: str,
    show: bool,
    options: ChartOptions = KEEP,
) -> ExplorerView:
    """Compute the explorer's content for a measure and an area; ``options`` adjusts
    the time series chart (its y axis, comparator lines and added areas; ``show``
    draws each neighbour)."""
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
    )
    raw = db.ranking(measure)
    comparators = db.comparator_series(measure, area.code, model)
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
    neighbours = db.neighbour_series(measure, area.code, model).assign(
        source_title=meta["source_title"]
    )
    local = local_figures(db, measure, area)
    added = [code for code in options.added if code != area.code]
    if added:
        comparators = pd.concat(
            [comparators, db.area_series(measure, added)], ignore_index=True
        )
    view.benchmark = _benchmark_chart(
        view, measure, area, model, stat, show, comparators, neighbours, local, options
    )
    if view.table is not None:
        view.ranking = _ranking_chart(view, measure, area, raw, comparators)
    for chart in (view.benchmark, view.ranking):
        if chart is not None:
            chart.as_at = view.as_at
    _neighbours_table(view, db, area, model, raw, neighbours)
    return view


def _benchmark_chart(
    view: ExplorerView,
    measure: str,
    area: Area,
    model: str,
    stat: str,
    show: bool,
    comparators: pd.DataFrame,
    neighbours: pd.DataFrame,
    local: pd.DataFrame,
    options: ChartOptions,
) -> Chart | None:
    """The measure over time: focus, region, England and the neighbours' average
    (those the options show), any areas added, and the area's local monthly figures
    beside them where any are loaded."""
    meta, label, dps = view.meta, view.label, view.dps
    summary = neighbour_summary(
        neighbours, stat, model, meta["source_id"], meta["source_title"]
    )
    if not options.shows("neighbours"):
        summary = summary.iloc[0:0]
    count = is_count(view.unit)
    # A count's England and region totals are no benchmark and would dwarf the line.
    dropped = ["neighbours", "england", "region"] if count else ["neighbours"]
    dropped += [r for r in ("england", "region") if not options.shows(r)]
    parts = [comparators[~comparators.role.isin(dropped)], summary]
    series = pd.concat([p for p in parts if not p.empty], ignore_index=True)
    focus_rows = series[(series.role == "focus") & series.value.notna()].sort_values(
        "period_end"
    )
    if series.dropna(subset=["value"]).empty:
        view.messages.append(
            f"No published values of {label} for {area.name} or its comparators."
        )
        return None
    if focus_rows.empty:
        view.messages.append(
            f"No published values of {label} for {area.name}; comparators only."
        )
    labels = sorted(series.dropna(subset=["value"]).period_label)
    others = ", ".join(sorted(set(series.series) - {area.name}))
    subtitle = (
        f"{label}; {area.name} against {others}; {labels[0]}–{labels[-1]}; "
        f"{model} statistical neighbour model"
    )
    if count:
        subtitle += "; a count, so England and the region are not compared"
    if show:
        subtitle += "; thin grey lines: each neighbour"
    source = view.source
    if not local.empty:
        subtitle += "; open circles: local monthly figures, not official statistics"
        source = source_line(
            [
                f"{meta['source_title']} ({measure})",
                ", ".join(sorted(set(local.source_title)))
                + " (local management information, not official statistics)",
            ],
            view.as_at,
        )
    compared = sorted(set(series[series.role != "focus"].series))
    alt = (
        f"Line chart of {label} for {area.name}: "
        + (
            "; ".join(
                f"{p} {fmt(v, dps)}"
                for p, v in zip(focus_rows.period_label, focus_rows.value)
            )
            or "no values"
        )
        + (f". Shown for comparison: {', '.join(compared)}" if compared else "")
        + ("; each neighbour is a thin grey line." if show else ".")
        + (
            " Local monthly figures, not official statistics: "
            + "; ".join(
                f"{p} {fmt(v, dps)}" for p, v in zip(local.period_label, local.value)
            )
            + "."
            if not local.empty
            else ""
        )
    )
    if count and not focus_rows.empty:
        title = change_title(focus_rows, f"{area.name}:", dps, "")
    else:
        title = series_title(series, area.name, dps, stat)
    chart = comparator_lines(
        series,
        neighbours=neighbours if show else None,
        title=title,
        subtitle=subtitle,
        unit=view.unit,
        source=source,
        alt=alt,
        slug=slugify(area.name, measure, "benchmark", labels[0], labels[-1]),
    )
    chart = add_local_points(chart, local, area.name, view.unit)
    set_y_axis(chart.fig, options.y_axis)
    return chart


def _ranking_chart(
    view: ExplorerView,
    measure: str,
    area: Area,
    raw: pd.DataFrame,
    comparators: pd.DataFrame,
) -> Chart:
    """Every current LA in rank order for the latest period, the focus marked."""
    table, position, period = view.table, view.position, view.period
    label, dps, polarity = view.label, view.dps, view.polarity
    ranked = table[table["rank"].notna()]
    england = comparators[
        (comparators.role == "england")
        & (
            pd.to_datetime(comparators.period_end)
            == pd.Timestamp(raw.period_end.iloc[0])
        )
        & comparators.value.notna()
    ]
    reference = (
        ("England", float(england.value.iloc[0]))
        if len(england) and not is_count(view.unit)
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
