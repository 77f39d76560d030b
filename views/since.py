"""What changed since a day a board chooses (by default the day the last board pack
was prepared, else 30 days ago), built once for the overview and the pack: new
official releases and what they changed for the focus area, new Ofsted judgements
of the area and its statistical neighbours, local figures loaded, and improvement
plan statuses that changed, each item with the address of its chart."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from urllib.parse import urlencode

import pandas as pd

from metrics.areas import Area
from metrics.formatting import as_at, decimals, fmt
from metrics.grades import grade_label
from metrics.pack_log import last_prepared
from metrics.queries import HEADLINE_METRICS, Database
from metrics.ranking import benchmark
from metrics.sources import BY_NAME
from views.freshness import update_summary
from views.pages import PAGES
from views.scorecard import PLAN_STATUS_TEXT, current_checkpoint

DEFAULT_DAYS = 30  # without a pack prepared before today
PARAM = "since"  # the address: ?since=YYYY-MM-DD
CHOSEN = "the date chosen"


@dataclass(frozen=True)
class SinceItem:
    """One change in a sentence, and where its chart is."""

    text: str
    link: str  # the chart's address, relative to the dashboard's root
    link_text: str  # what the link says: the page and the chart


@dataclass(frozen=True)
class SinceGroup:
    """A kind of change: its heading, its items and what is said without any."""

    heading: str
    items: tuple[SinceItem, ...]
    empty: str


@dataclass(frozen=True)
class Since:
    """Everything that changed for an area since a day."""

    day: dt.date
    basis: str  # why this day: chosen, the last pack, or the default
    groups: tuple[SinceGroup, ...]

    @property
    def heading(self) -> str:
        """'Since 3 Nov 2026'."""
        return f"Since {as_at(self.day)}"

    @property
    def intro(self) -> str:
        """What the section lists, and from when."""
        return (
            f"What has changed since {as_at(self.day)} ({self.basis}): new official "
            "releases, Ofsted judgements, local figures and improvement plan "
            "statuses."
        )


def parse_day(text: str | None, today: dt.date | None = None) -> dt.date | None:
    """A day from the address (YYYY-MM-DD, not after today), or None."""
    try:
        day = dt.date.fromisoformat(str(text))
    except ValueError:
        return None
    return day if day <= (today or dt.date.today()) else None


class SinceDays:
    """The values ?since= may hold: dates written YYYY-MM-DD on or before today (the
    ``allowed`` of ui.state.from_address)."""

    def __init__(self, today: dt.date | None = None):
        self.today = today

    def __contains__(self, text: object) -> bool:
        return isinstance(text, str) and parse_day(text, self.today) is not None


def default_day(db: Database, area: Area, today: dt.date | None = None):
    """The day the last pack for the area was prepared before today, else
    DEFAULT_DAYS ago; with the reason in words."""
    today = today or dt.date.today()
    last = last_prepared(db.path, area.code, before=today)
    if last is not None:
        return last.date(), f"the last board pack, prepared {as_at(last)}"
    return today - dt.timedelta(days=DEFAULT_DAYS), f"{DEFAULT_DAYS} days ago"


def _address(page: str, **params: str) -> str:
    return f"{page}?{urlencode(params)}"


def _page_of(metric_id: str) -> tuple[str, str] | None:
    """The url path and title of the first page with a chart of the measure."""
    for page in PAGES:
        for section in page.sections:
            for item in section.items:
                ids = getattr(item, "metric_ids", ()) or (
                    getattr(item, "metric_id", None),
                )
                if metric_id in ids:
                    return page.url_path, page.title
    return None


class _Links:
    """The address of each measure's chart for an area: its trajectory on the
    scorecard where it is planned, else the benchmark explorer for a LAIT measure,
    else the page that charts it."""

    def __init__(self, db: Database, area: Area, planned: set[str]):
        self.area, self.planned = area, planned
        dictionary = db.dictionary()
        self.lait = set(dictionary.metric_id[dictionary.source_id == "dfe_lait"])

    def measure(self, metric_id: str, label: str) -> tuple[str, str]:
        code = self.area.code
        if metric_id in self.planned:
            return _address(
                "scorecard", la=code
            ), "the chart against the plan on the Scorecard"
        if metric_id in self.lait:
            return (
                _address("explorer", la=code, measure=metric_id),
                "the chart in the Benchmark explorer",
            )
        page = _page_of(metric_id)
        if page is not None:
            return _address(page[0], la=code), f"the chart on the {page[1]} page"
        return _address("sources", la=code), "the Sources and caveats page"

    def item(self, text: str, metric_id: str, label: str) -> SinceItem:
        return SinceItem(text, *self.measure(metric_id, label))


# --- new official releases ---------------------------------------------------------


def _rank_words(db: Database, metric_id: str, area: Area, row) -> str:
    """', ranked 12th of 152, was 30th in 2025; band A, was B' for a new period
    that is the measure's latest, else ''."""
    ranking = db.ranking(metric_id)
    if ranking.empty or area.code not in set(ranking.area_code):
        return ""
    if pd.Timestamp(ranking.period_end.iloc[0]) != pd.Timestamp(row.period_end):
        return ""
    polarity, bands = row.polarity, bool(row.quartiles_apply)
    _, now = benchmark(ranking, area.code, polarity, bands)
    if now.rank is None:
        return ""
    words = f", ranked {now.rank_words()}"
    before = ranking.assign(value=ranking.previous_value).drop(columns="previous_value")
    _, then = benchmark(before, area.code, polarity, bands)
    label = ranking.previous_label.iloc[0]
    if then.rank is not None:
        words += f", was {then.rank_words()} in {label}"
    if now.band:
        words += f"; quartile band {now.band}"
        if then.band and then.band != now.band:
            words += f", was {then.band}"
        elif then.band:
            words += " (unchanged)"
    return words


def _figure_item(db: Database, area: Area, row, links: _Links) -> SinceItem:
    """One changed official figure of a headline or planned measure."""
    dps = decimals(row.dps)
    what = f"{row.label}, {row.period_label}"
    if row.first_change == "new" and row.last_change != "removed":
        text = f"{what}: {fmt(row.new_value, dps)}, a new figure"
        text += _rank_words(db, row.metric_id, area, row)
    elif row.last_change == "removed":
        text = f"{what}: {fmt(row.old_value, dps)} removed by the release"
    else:
        text = (
            f"{what}: revised from {fmt(row.old_value, dps)} to "
            f"{fmt(row.new_value, dps)}"
        )
    return links.item(text + ".", row.metric_id, row.label)


def release_group(
    db: Database, area: Area, day: dt.date, measures: list[str], links: _Links
) -> SinceGroup:
    """Each release taken since the day, then what it changed for the area: the
    headline and planned measures one by one, the other figures counted."""
    updates = db.updates_since(day)
    titles = dict(zip(db.sources().source_id, db.sources().title))
    items = []
    for line, u in zip(update_summary(updates), updates.itertuples()):
        source = BY_NAME.get(u.source)
        release = source.words(u.release) if source and u.release else u.release
        title = titles.get(source.source_id_for(u.release)) if source else None
        was = (
            f", replacing {source.words(u.previous_release)}"
            if source and isinstance(u.previous_release, str)
            else ""
        )
        items.append(
            SinceItem(
                f"{title or u.source_file} ({release}{was}), taken "
                f"{as_at(u.built_at)}: {line.split(': ', 1)[-1]}.",
                _address("sources", la=area.code),
                "what each release changed on Sources and caveats",
            )
        )
    changes = db.figure_changes_since(area.code, day)
    mine = changes[changes.metric_id.isin(measures)]
    order = {m: i for i, m in enumerate(measures)}
    mine = mine.sort_values(
        ["metric_id", "period_end"],
        key=lambda c: c.map(order) if c.name == "metric_id" else c,
    )
    items += [_figure_item(db, area, r, links) for r in mine.itertuples()]
    others = changes[~changes.metric_id.isin(measures)]
    if len(others):
        items.append(
            SinceItem(
                f"{len(others):,} other official figures for {area.name} new, "
                f"revised or removed, across {others.metric_id.nunique():,} measures.",
                _address("sources", la=area.code),
                "what each release changed on Sources and caveats",
            )
        )
    return SinceGroup(
        "New official releases",
        tuple(items),
        f"No official release has been taken since {as_at(day)}.",
    )


# --- Ofsted, local figures ---------------------------------------------------------


def ofsted_group(db: Database, area: Area, day: dt.date, model: str) -> SinceGroup:
    """New Ofsted judgements of the area and its statistical neighbours."""
    neighbours = db.neighbours(area.code, model)
    codes = [area.code, *neighbours.area_code]
    items = []
    for j in db.judgements_since(codes, day).itertuples():
        who = j.area_name + ("" if j.area_code == area.code else " (neighbour)")
        was = (
            f", was {grade_label(j.previous_grade)}"
            if isinstance(j.previous_grade, str)
            else ""
        )
        items.append(
            SinceItem(
                f"{who}: {grade_label(j.overall_grade)} ({j.framework}, inspection "
                f"from {as_at(j.inspection_start)}, published "
                f"{as_at(j.decided_on)}){was}. Source: {j.source_title}.",
                _address("ofsted", la=area.code),
                "the charts on the Ofsted journey page",
            )
        )
    return SinceGroup(
        "New Ofsted judgements",
        tuple(items),
        f"No new Ofsted judgement of {area.name} or its statistical neighbours "
        f"since {as_at(day)}.",
    )


def local_group(db: Database, area: Area, day: dt.date, links: _Links) -> SinceGroup:
    """Local figures loaded from monthly returns since the day."""
    items = []
    for r in db.local_figures_since(area.code, day).itertuples():
        dps = decimals(r.dps)
        where = f" ({r.service_area})" if isinstance(r.service_area, str) else ""
        change = (
            f", revised from {fmt(r.previous_value, dps)}"
            if pd.notna(r.previous_value)
            else ""
        )
        items.append(
            links.item(
                f"{r.label}{where}, {pd.Timestamp(r.period_end):%b %Y}: "
                f"{fmt(r.value, dps)}{change} (local figure, loaded "
                f"{as_at(r.imported_at)} from {r.file_name}).",
                r.metric_id,
                r.label,
            )
        )
    return SinceGroup(
        "New local figures",
        tuple(items),
        f"No monthly return has been loaded for {area.name} since {as_at(day)}.",
    )


# --- the improvement plan ----------------------------------------------------------


def _standing(kpis: pd.DataFrame, day: dt.date) -> dict[str, pd.Series]:
    """Each planned measure's checkpoint it was judged by on a day."""
    return {
        metric: current_checkpoint(rows, pd.Timestamp(day))
        for metric, rows in kpis.groupby("metric_id", sort=False)
    }


def _detail(c: pd.Series) -> str:
    """'23.4 in Sep 2026 against 21.0 expected on the way to at most 20 by Mar 2027'."""
    dps = decimals(c.dps)
    target = f"{c.direction} {fmt(c.target, dps)}"
    due = f"{pd.Timestamp(c.due):%b %Y}"
    if pd.isna(c.actual):
        return f"no figure to judge against {target} by {due}"
    actual = f"{fmt(c.actual, dps)} in {c.actual_period_label}"
    if c.status in ("on track", "off track"):
        return f"{actual} against {fmt(c.expected, dps)} expected on the way to {target} by {due}"
    return f"{actual} against {target} due {due}"


def plan_group(
    db: Database, area: Area, day: dt.date, today: dt.date, links: _Links
) -> SinceGroup:
    """Planned measures whose status changed between the day and today (as the
    checkpoints and figures loaded by then judged them), and checkpoints that fell
    due in between, met or missed."""
    then = _standing(db.kpi_status_known(area.code, day, day), day)
    now_kpis = db.kpi_status_known(area.code, today, None)
    now = _standing(now_kpis, today)
    items = []
    for metric, c in now.items():
        before = then.get(metric)
        was = "no target" if before is None else before.status
        if was != c.status:
            items.append(
                links.item(
                    f"{c.label}: {PLAN_STATUS_TEXT[was]} on {as_at(day)} → "
                    f"{PLAN_STATUS_TEXT[c.status]} now; {_detail(c)}.",
                    metric,
                    c.label,
                )
            )
    due = pd.to_datetime(now_kpis.due)
    fell_due = now_kpis[
        (due >= pd.Timestamp(day))
        & (due < pd.Timestamp(today))
        & now_kpis.status.isin(["met", "missed"])
    ]
    for c in fell_due.itertuples():
        row = pd.Series(c._asdict())
        items.append(
            links.item(
                f"{c.label}: checkpoint due {pd.Timestamp(c.due):%b %Y} "
                f"{PLAN_STATUS_TEXT[c.status].lower()}: {_detail(row)}.",
                c.metric_id,
                c.label,
            )
        )
    if now_kpis.empty and not then:
        empty = f"No improvement plan targets are loaded for {area.name}."
    else:
        empty = f"No plan status has changed since {as_at(day)}."
    return SinceGroup("Improvement plan statuses", tuple(items), empty)


def since(
    db: Database,
    area: Area,
    day: dt.date | None = None,
    today: dt.date | None = None,
    basis: str = CHOSEN,
    model: str = "2025",
) -> Since:
    """What changed for an area since ``day`` (None: default_day), ``basis`` saying
    why that day."""
    today = today or dt.date.today()
    if day is None:
        day, basis = default_day(db, area, today)
    planned = list(dict.fromkeys(db.kpi_status(area.code).metric_id))
    links = _Links(db, area, set(planned))
    measures = list(dict.fromkeys(HEADLINE_METRICS + planned))
    return Since(
        day,
        basis,
        (
            release_group(db, area, day, measures, links),
            ofsted_group(db, area, day, model),
            local_group(db, area, day, links),
            plan_group(db, area, day, today, links),
        ),
    )


def md(text: str) -> str:
    """Text from the data as markdown shows it: its marks escaped, so that nothing
    in a figure's label or a file's name becomes a link, emphasis or HTML."""
    return re.sub(r"([\\`*_{}\[\]<>()#+!|$~-])", r"\\\1", text)
