"""The improvement plan scorecard: one row per measure with a target (and the headline
indicators below them) and one chart per measure against its trajectory."""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from charts.frame import Chart, source_line
from charts.trajectory import trajectory_lines
from metrics.areas import Area
from metrics.formatting import as_at, decimals, escape_markdown, fmt, slugify
from metrics.queries import HEADLINE_METRICS, Database, Group
from metrics.ranking import benchmark
from views.comparators import chosen_group, comparable
from views.options import KEEP, ChartOptions

# The improvement plan's statuses in words with a symbol (never colour alone); the
# contract targets' are views.overview.CONTRACT_STATUS_TEXT.
PLAN_STATUS_TEXT = {
    "met": "✔ Met",
    "on track": "● On track",
    "off track": "▲ Off track",
    "missed": "✖ Missed",
    "no data": "○ No data",
    "no target": "— No target",
}
EXCEPTIONS = ("off track", "missed")  # the statuses a board asks about first
LOCAL = "local, not official statistics"
REFERENCE_NAMES = {"england": "England", "neighbours": "Neighbours' mean"}
COLUMNS = [
    "metric_id",
    "measure",
    "status",
    "latest",
    "period",
    "figure",
    "next_checkpoint",
    "trend",
    "england",
    "neighbours",
    "national_rank",
    "commentary",
    "target_changes",
    "unit",
]


# The scorecard's columns at desktop width, each measure's text under its header.
HEADERS = {
    "measure": "Measure",
    "status": "Status",
    "latest": "Latest figure",
    "next_checkpoint": "Next checkpoint",
    "england": "England (latest annual)",
    "neighbours": "Neighbours' mean (latest)",
    "national_rank": "National rank",
    "commentary": "Latest commentary",
    "target_changes": "Target changes",
}
NONE = "—"  # a cell with nothing to show


@dataclass(frozen=True)
class MeasureCard:
    """One measure of the scorecard with every figure already in words: a card below
    the desktop width, a row of the table at it."""

    metric_id: str
    measure: str
    status: str  # in words with its symbol
    latest: str  # '23.4 in Sep 2026 (local, not official statistics)'
    next_checkpoint: str
    england: str
    neighbours: str
    national_rank: str
    commentary: str
    target_changes: str

    def lines(self) -> list[tuple[str, str]]:
        """The card's labelled lines after its name: status, latest figure, next
        checkpoint, then commentary and target changes where there are any."""
        lines = [
            ("Status", self.status),
            ("Latest figure", self.latest),
            ("Next checkpoint", self.next_checkpoint),
            ("Latest commentary", self.commentary),
            ("Target changes", self.target_changes),
        ]
        return [(label, text) for label, text in lines if text]

    def markdown(self) -> str:
        """The card as markdown, its text from the data escaped: the name in bold,
        then a paragraph a line."""
        lines = [f"**{escape_markdown(self.measure)}**"]
        lines += [f"{label}: {escape_markdown(text)}" for label, text in self.lines()]
        return "\n\n".join(lines)


@dataclass
class Scorecard:
    """What the scorecard shows for an area."""

    area: Area
    table: pd.DataFrame  # one row per measure, the columns the page shows
    charts: dict[str, Chart] = field(default_factory=dict)  # metric_id -> chart
    counts: dict[str, int] = field(default_factory=dict)  # status -> measures
    statuses: dict[str, str] = field(default_factory=dict)  # metric_id -> status
    cards: list[MeasureCard] = field(default_factory=list)  # in table order
    # The heading of the comparison group's column: the neighbours' mean unless the
    # page chose another group.
    reference: str = HEADERS["neighbours"]

    @property
    def has_targets(self) -> bool:
        """Whether any target is loaded for the area."""
        return bool(self.charts)

    @property
    def stem(self) -> str:
        """The downloads' file name, less its extension: 'doncaster-scorecard'."""
        return slugify(self.area.name, "scorecard")

    def exceptions(self) -> list[str]:
        """Measures off track or missed, in table order."""
        return [m for m, s in self.statuses.items() if s in EXCEPTIONS]

    def shown(self, only_exceptions: bool = False) -> list[MeasureCard]:
        """The measures the page shows: all, or only those off track or missed."""
        wanted = set(self.exceptions()) if only_exceptions else None
        return [c for c in self.cards if wanted is None or c.metric_id in wanted]


def text_table(
    cards: list[MeasureCard], reference: str = HEADERS["neighbours"]
) -> pd.DataFrame:
    """The measures as the desktop table shows them, under their headers, the
    comparison group's column headed ``reference``."""
    rows = [[getattr(c, key) or NONE for key in HEADERS] for c in cards]
    headers = dict(HEADERS, neighbours=reference)
    return pd.DataFrame(rows, columns=list(headers.values()))


def _card(row: dict, dps: int) -> MeasureCard:
    """A scorecard row in words, its figures to the measure's decimal places (the
    measure's name carries its unit, as the table's numbers always have)."""
    if row["latest"] is None:
        latest = "no figure yet"
    else:
        latest = f"{fmt(row['latest'], dps)} in {row['period']}"
        if row["figure"] == LOCAL:
            latest += f" ({LOCAL})"

    def number(value: float | None) -> str:
        return NONE if value is None else fmt(value, dps)

    return MeasureCard(
        metric_id=row["metric_id"],
        measure=row["measure"],
        status=row["status"],
        latest=latest,
        next_checkpoint=row["next_checkpoint"],
        england=number(row["england"]),
        neighbours=number(row["neighbours"]),
        national_rank=row["national_rank"],
        commentary=row["commentary"],
        target_changes=row["target_changes"],
    )


def current_checkpoint(checkpoints: pd.DataFrame, today: pd.Timestamp) -> pd.Series:
    """The checkpoint a measure is judged by now: the next one due, else the last."""
    ahead = checkpoints[pd.to_datetime(checkpoints.due) >= today]
    return ahead.iloc[0] if len(ahead) else checkpoints.iloc[-1]


def _latest(figures: pd.DataFrame) -> pd.Series | None:
    """The newest figure, official where an official and a local share a period."""
    if figures.empty:
        return None
    order = figures.assign(official=figures.origin == "official")
    return order.sort_values(["period_end", "official"]).iloc[-1]


def _revision_text(revisions: pd.DataFrame, metric_id: str, due, dps: int) -> str:
    """'re-baselined on 3 Mar 2026 from 90 to 85' for a checkpoint's last change."""
    mine = revisions[
        (revisions.metric_id == metric_id)
        & (pd.to_datetime(revisions.due) == pd.Timestamp(due))
    ]
    if mine.empty:
        return ""
    last = mine.iloc[-1]
    return (
        f"re-baselined on {as_at(last.loaded_at)} from "
        f"{fmt(last.previous_target, dps)} to {fmt(last.target, dps)}"
    )


def _comparators(db: Database, metric_id: str, area: Area, group: Group):
    """England's and the comparison group's latest annual figures."""
    data = db.comparator_series(metric_id, area.code, group=group)
    out = {}
    for role in ("england", "neighbours"):
        part = data[(data.role == role) & data.value.notna()].sort_values("period_end")
        out[role] = part.iloc[-1] if len(part) else None
    return data, out


def _rank(db: Database, metric_id: str, area: Area, meta: dict) -> str:
    raw = db.ranking(metric_id)
    if raw.empty or area.code not in set(raw.area_code):
        return "—"
    _, pos = benchmark(raw, area.code, meta["polarity"], bool(meta["quartiles_apply"]))
    if pos.rank is None:
        return "not ranked"
    band = f", band {pos.band}" if pos.band else ""
    return f"{pos.rank_words()} ({raw.period_label.iloc[0]}){band}"


def scorecard(
    db: Database, area: Area, model: str = "2025", options: ChartOptions = KEEP
) -> Scorecard:
    """The scorecard of an area: its plan's measures, then the headline indicators;
    ``options`` chooses the comparison group of the reference lines (by default the
    statistical neighbours' mean under ``model``)."""
    group = chosen_group(db, area, model, options)
    today = pd.Timestamp.today().normalize()
    kpis = db.kpi_status(area.code)
    revisions = db.target_revisions(area.code)
    planned = list(dict.fromkeys(kpis.metric_id))
    others = [m for m in HEADLINE_METRICS if m not in planned]
    card = Scorecard(area, pd.DataFrame())
    if group is not None and not group.spec.startswith("neighbours_"):
        card.reference = f"{group.series}, latest"
    rows = []
    for metric_id in planned + others:
        meta = db.metric(metric_id)
        dps = decimals(meta.get("dps"))
        figures = db.measure_figures(metric_id, area.code)
        latest = _latest(figures)
        data, comparison = _comparators(db, metric_id, area, group)
        checkpoints = kpis[kpis.metric_id == metric_id]
        row = {
            "metric_id": metric_id,
            "measure": meta["label"],
            "latest": None if latest is None else float(latest.value),
            "period": None if latest is None else latest.period_label,
            "figure": None
            if latest is None
            else ("official" if latest.origin == "official" else LOCAL),
            "trend": [float(v) for v in figures.value.tail(12)],
        }
        if checkpoints.empty:
            row.update(next_checkpoint="—", status=PLAN_STATUS_TEXT["no target"])
            status = "no target"
            note = None
            changed = ""
        else:
            current = current_checkpoint(checkpoints, today)
            status = current.status
            row.update(
                next_checkpoint=f"{current.direction} {fmt(current.target, dps)} by "
                f"{pd.Timestamp(current.due):%b %Y}",
                status=PLAN_STATUS_TEXT[status],
            )
            local_notes = figures[(figures.origin == "local") & figures.note.notna()]
            note = (
                local_notes.note.iloc[-1] if len(local_notes) else current.target_note
            )
            changed = _revision_text(revisions, metric_id, current.due, dps)
            card.charts[metric_id] = trajectory_chart(
                db, area, metric_id, checkpoints, figures, data, meta, group
            )
        card.statuses[metric_id] = status
        england, neighbours = comparison["england"], comparison["neighbours"]
        row.update(
            england=None
            if england is None or "england" not in comparable(meta["unit"])
            else float(england.value),
            neighbours=None if neighbours is None else float(neighbours.value),
            national_rank=_rank(db, metric_id, area, meta),
            commentary=note if isinstance(note, str) else "",
            target_changes=changed,
            unit=meta["unit"],
        )
        rows.append(row)
        card.cards.append(_card(row, dps))
    # What a board asks first: the measure and where it stands, then the detail.
    card.table = pd.DataFrame(rows, columns=COLUMNS)
    planned_statuses = [card.statuses[m] for m in planned]
    card.counts = {
        s: planned_statuses.count(s) for s in PLAN_STATUS_TEXT if s != "no target"
    }
    return card


def trajectory_chart(
    db: Database,
    area: Area,
    metric_id: str,
    checkpoints: pd.DataFrame,
    figures: pd.DataFrame,
    comparators: pd.DataFrame,
    meta: dict,
    group: Group | None = None,
) -> Chart:
    """One measure against its plan, in the chart standard, with England and the
    comparison group's figure (the neighbours' mean by default) for reference."""
    named = group is not None and not group.spec.startswith("neighbours_")
    names = dict(REFERENCE_NAMES, neighbours=group.series) if named else REFERENCE_NAMES
    group_words = f"the {group.series}" if named else "the neighbours' mean"
    dps = decimals(meta.get("dps"))
    official = figures[figures.origin == "official"]
    local = figures[figures.origin == "local"]
    count = "england" not in comparable(meta["unit"])
    roles = ["neighbours"] if count else ["england", "neighbours"]
    reference = comparators[
        comparators.role.isin(roles) & comparators.value.notna()
    ].assign(series=lambda d: d.role.map(names))
    baselines = db.baselines(area.code)
    mine = baselines[baselines.metric_id == metric_id]
    baseline = (
        {"value": mine.value.iloc[0], "period_end": mine.period_end.iloc[0]}
        if len(mine) and pd.notna(mine.value.iloc[0])
        else None
    )
    today = pd.Timestamp.today().normalize()
    current = current_checkpoint(checkpoints, today)
    title = plan_title(area.name, meta["label"], current, dps)
    start = pd.to_datetime(
        pd.concat([official.period_end, local.period_end, checkpoints.due])
    )
    subtitle = (
        f"{meta['label']}; {area.name}'s improvement plan ({current.direction} each "
        "checkpoint); official annual figures, local monthly "
        "figures (not official statistics), "
        + (group_words if count else f"England and {group_words}")
        + f" for reference; {start.min():%Y}–{start.max():%Y}"
    )
    titles = [f"{meta['source_title']} ({metric_id})"]
    if len(local):
        titles.append(
            ", ".join(sorted(set(local.source_title)))
            + " (local management information, not official statistics)"
        )
    if named:
        titles.append(f"comparison group: {group.words}")
    plan_sources = sorted(set(db.plan_sources(area.code, metric_id)))
    titles.append(", ".join(plan_sources) + " (improvement plan)")
    day = as_at(meta.get("last_updated")) or as_at(meta.get("published"))
    source = source_line(titles, day)
    alt = (
        f"Line chart of {meta['label']} for {area.name} against its improvement "
        "plan. Checkpoints: "
        + "; ".join(
            f"{c.direction} {fmt(c.target, dps)} by {pd.Timestamp(c.due):%b %Y}, "
            f"{c.status}"
            for c in checkpoints.itertuples()
        )
        + ". Figures: "
        + "; ".join(
            f"{p} {fmt(v, dps)}" + (" (local)" if o == "local" else "")
            for p, v, o in zip(figures.period_label, figures.value, figures.origin)
        )
        + "."
    )
    chart = trajectory_lines(
        official,
        local,
        reference,
        checkpoints,
        baseline,
        area_name=area.name,
        title=title,
        subtitle=subtitle,
        unit=meta["unit"],
        source=source,
        alt=alt,
        slug=slugify(area.name, metric_id, "plan"),
        status_text=PLAN_STATUS_TEXT,
    )
    chart.as_at = day
    return chart


def plan_title(area_name: str, label: str, checkpoint, dps: int) -> str:
    """The message of a measure against its plan, worded from its status."""
    due = f"{pd.Timestamp(checkpoint.due):%b %Y}"
    target = fmt(checkpoint.target, dps)
    if checkpoint.status == "no data":
        return f"{area_name}: no figure yet to judge {label} against its {due} target"
    actual = f"{fmt(checkpoint.actual, dps)} in {checkpoint.actual_period_label}"
    if checkpoint.status in ("on track", "off track"):
        return (
            f"{area_name}: {label} {checkpoint.status}: {actual} against "
            f"{fmt(checkpoint.expected, dps)} on the way to {target} by {due}"
        )
    return (
        f"{area_name}: {label} target {checkpoint.status}: {actual} against "
        f"{checkpoint.direction} {target} due {due}"
    )
