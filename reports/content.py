"""What a board pack says, whatever its format: the cover's blocks, any pages after
the cover, then every dashboard page's sections with their charts and commentary.

What it says is built by the views, once for the screen and the pack: the overview's
targets, judgement and headline indicators (views.overview) and each section's notes,
charts, messages and commentary (views.section_content). This module puts them in
the pack's order; renderers (reports/pdf.py, slides.py, word.py) only lay it out.

To add to the cover, write a function ``(db, area) -> Block | None`` and put it in
COVER_BLOCKS where it should print; to add a page after the cover (a scorecard, say),
write a function ``(db, area) -> PackPage | None`` and put it in FRONT_PAGES. Every
format then prints it: a Block's heading, paragraphs, table and source are all plain
text.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field

import pandas as pd

from charts.frame import Chart
from metrics.areas import Area
from metrics.config import OGL_ATTRIBUTION
from metrics.formatting import fmt
from metrics.queries import Database
from reports.export import Picture, unframe
from views.overview import (
    contract_note,
    headlines,
    latest_judgement,
    plan_summary,
    target_cards,
)
from views.pages import PAGES, PageSpec
from views.scorecard import scorecard
from views.section_content import (
    area_notes,
    build_section,
    commentary,
    latest_as_at,
)
from views.sections import Item, build_charts
from views.since import Since, since

PACK_NAME = "Children's social care board pack"

ChartFor = Callable[[Item, Area, str], list[Chart]]
Progress = Callable[[float, str], None]


def long_date(date: object) -> str:
    """'3 December 2026'."""
    d = pd.Timestamp(date)
    return f"{d.day} {d:%B %Y}"


@dataclass(frozen=True)
class Table:
    """A table of text: header cells, then rows of as many cells."""

    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]


@dataclass(frozen=True)
class Block:
    """A headed part of the cover or of a text page: sentences, a table, a source."""

    heading: str
    paragraphs: tuple[str, ...] = ()
    table: Table | None = None
    source: str = ""


@dataclass
class PackChart:
    """A chart as the pack prints it: numbered, unframed, with its commentary."""

    chart: Chart
    number: int  # "Figure N"
    picture: Picture
    commentary: list[str] = field(default_factory=list)

    @property
    def footer(self) -> str:
        """What the chart says under itself (notes, source, as at, licence)."""
        return self.picture.footer or self.chart.source


@dataclass
class PackSection:
    """A section of a dashboard page: its heading, commentary and charts."""

    heading: str
    commentary: list[str]
    charts: list[PackChart]


@dataclass
class PackPage:
    """A page of the pack: a dashboard page, or a text page after the cover."""

    title: str
    intro: str = ""
    blocks: list[Block] = field(default_factory=list)
    sections: list[PackSection] = field(default_factory=list)
    front: bool = False  # printed right after the cover, before the contents


@dataclass
class Pack:
    """The whole pack for one area, ready for any renderer."""

    area: Area
    generated: dt.date
    data_as_at: str
    cover: list[Block]
    pages: list[PackPage]

    @property
    def title(self) -> str:
        return f"{self.area.name}: {PACK_NAME[0].lower()}{PACK_NAME[1:]}"

    @property
    def summary(self) -> str:
        """The sentence under the title."""
        return (
            f"Generated {long_date(self.generated)}; data as at {self.data_as_at}. "
            "Every chart states its source and the date its data are as at."
        )

    @property
    def header(self) -> tuple[str, str, str]:
        """The running header: area, the pack's name, data as at."""
        return self.area.name, PACK_NAME, f"Data as at {self.data_as_at}"

    @property
    def charts(self) -> list[PackChart]:
        return [c for p in self.pages for s in p.sections for c in s.charts]


# --- the cover ---------------------------------------------------------------------


def targets_block(db: Database, area: Area) -> Block | None:
    """Each contract target with its computed status, or whose targets these are."""
    cards = target_cards(db.target_status(area.code))
    if not cards:
        note = contract_note(db, area)
        return Block("Contract targets", (note,)) if note else None
    return Block(
        "Contract targets",
        tuple(f"{c.heading}: {c.status.lower()}. {c.explanation}" for c in cards),
        source="Source: " + "; ".join(dict.fromkeys(c.source for c in cards)) + ".",
    )


def ofsted_block(db: Database, area: Area) -> Block | None:
    """The latest Ofsted judgement."""
    last = latest_judgement(db, area)
    if last is None:
        return None
    return Block(
        "Latest Ofsted judgement",
        (f"{last.grade} ({last.when}).",),
        source=f"Source: {last.source}.",
    )


def headline_block(db: Database, area: Area) -> Block | None:
    """The headline indicators: latest, England, previous year, against England."""
    shown = [h for h in headlines(db, area) if h.has_value]
    if not shown:
        return None
    rows = tuple(
        (h.label, h.period, h.value, h.england, h.previous, h.rag) for h in shown
    )
    return Block(
        "Headline indicators",
        table=Table(
            (
                "Indicator",
                "Period",
                area.name,
                "England",
                "Previous",
                "Against England",
            ),
            rows,
        ),
        source="Source: " + "; ".join(dict.fromkeys(h.source for h in shown)) + ".",
    )


def plan_block(db: Database, area: Area) -> Block | None:
    """The improvement plan first, as the overview opens: how many measures stand
    where, then each one off track or missed with its latest figure, checkpoint and
    commentary; None without a plan."""
    plan = plan_summary(db, area)
    if plan is None:
        return None
    n = len(plan.exceptions)
    said = plan.sentence + (
        f" {n} off track or missed, each with its chart and commentary after the "
        "scorecard."
        if n
        else " No measure is off track or missed."
    )
    table = Table(
        ("Measure", "Status", "Latest", "Next checkpoint", "Commentary"),
        tuple(
            (m.measure, m.status, m.latest, m.checkpoint, m.commentary)
            for m in plan.exceptions
        ),
    )
    return Block(
        "Improvement plan",
        (said,),
        table if n else None,
        "Status computed from the targets files and the latest figures.",
    )


def scorecard_blocks(db: Database, area: Area) -> list[Block]:
    """The scorecard as a table: each measure, its latest figure and its status."""
    card = scorecard(db, area)
    rows = tuple(
        (
            r.measure,
            r.status,
            "no figure" if r.latest is None or pd.isna(r.latest) else fmt(r.latest),
            r.period or "",
            r.figure or "",
            r.next_checkpoint,
            r.commentary or "",
        )
        for r in card.table.itertuples()
    )
    intro = (
        ()
        if card.has_targets
        else (
            f"No improvement plan targets are loaded for {area.name}; the headline "
            "indicators are listed.",
        )
    )
    return [
        Block(
            "Scorecard",
            intro,
            Table(
                (
                    "Measure",
                    "Status",
                    "Latest",
                    "Period",
                    "Figure",
                    "Next checkpoint",
                    "Commentary",
                ),
                rows,
            ),
            "Latest figures: official statistics, or local management information "
            "where marked; status computed, never typed in.",
        )
    ]


# Blocks a page of the pack prints before its sections, by page key.
PAGE_BLOCKS: dict[str, Callable[[Database, Area], list[Block]]] = {
    "scorecard": scorecard_blocks,
}


def licence_block(db: Database, area: Area) -> Block:
    """The OGL attribution and where other figures are cited."""
    return Block(
        "Sources and licence",
        (
            f"{OGL_ATTRIBUTION} Figures from council reports and news articles are "
            "cited under each chart.",
        ),
    )


# The cover prints these in order; a block that returns None is left out.
COVER_BLOCKS: tuple[Callable[[Database, Area], Block | None], ...] = (
    plan_block,
    targets_block,
    ofsted_block,
    headline_block,
    licence_block,
)

# Pages printed after the cover and the contents, before the dashboard's pages, in
# this order (a scorecard page goes here); one that returns None is left out.
FRONT_PAGES: tuple[Callable[[Database, Area], PackPage | None], ...] = ()


def since_page(changes: Since) -> PackPage:
    """What changed since the chosen day (views.since), a block per kind of change,
    each item naming where its chart is."""
    blocks = [
        Block(
            group.heading,
            tuple(f"{item.text} See {item.link_text}." for item in group.items)
            or (group.empty,),
        )
        for group in changes.groups
    ]
    return PackPage(
        "Since the last meeting",
        f"{changes.intro} Each item names the dashboard page and chart that show it.",
        blocks,
        front=True,
    )


# --- the dashboard's pages -----------------------------------------------------------


def pack_charts(
    db: Database, area: Area, model: str = "2025", chart_for: ChartFor | None = None
) -> list[Chart]:
    """Every chart the pages show for an area, in page and section order."""
    build = chart_for or (lambda item, a, m: build_charts(db, item, a, m))
    return [
        chart
        for page in PAGES
        for section in page.pack
        for item in section.items
        for chart in build(item, area, model)
    ]


class _Charts:
    """Builds the pack's charts one declaration after another: each chart numbered,
    unframed and handed on as soon as it is built."""

    def __init__(
        self,
        build: ChartFor,
        area: Area,
        model: str,
        progress: Progress,
        on_chart: Callable[[PackChart], None],
    ):
        self.build, self.area, self.model = build, area, model
        self.progress, self.on_chart = progress, on_chart
        self.total = sum(len(s.items) for p in PAGES for s in p.pack)
        self.done = 0
        self.packed: list[PackChart] = []

    def __call__(self, item: Item) -> list[Chart]:
        self.progress(
            self.done / self.total,
            f"Building the charts: {self.done + 1} of {self.total}",
        )
        drawn = self.build(item, self.area, self.model)
        self.done += 1
        for chart in drawn:
            packed = PackChart(
                chart, len(self.packed) + 1, unframe(chart.fig), commentary(chart)
            )
            self.packed.append(packed)
            self.on_chart(packed)
        return drawn


def _page(db: Database, area: Area, spec: PageSpec, charts: _Charts) -> PackPage:
    """A dashboard page as the pack prints it: its blocks, then each section that has
    a chart or something to say."""
    notes = area_notes(db, area, spec.key) if spec.pack else []
    blocks = PAGE_BLOCKS[spec.key](db, area) if spec.key in PAGE_BLOCKS else []
    sections = []
    for section in spec.pack:
        first = len(charts.packed)
        content = build_section(section, area, notes, charts)
        if content.charts or content.said:
            sections.append(
                PackSection(content.heading, content.said, charts.packed[first:])
            )
    return PackPage(spec.title, spec.intro, blocks, sections, spec.in_front)


def gather(
    db: Database,
    area: Area,
    *,
    model: str = "2025",
    chart_for: ChartFor | None = None,
    progress: Progress | None = None,
    today: dt.date | None = None,
    on_chart: Callable[[PackChart], None] | None = None,
    changes: Since | None = None,
) -> Pack:
    """The pack's content for an area.

    ``chart_for`` may serve charts from a cache; ``on_chart`` is told of each chart
    as soon as it is built, so its picture can be drawn while the next is built.
    ``changes`` is what changed since the day the board chose (by default since the
    last pack prepared before today, else 30 days).
    """
    charts = _Charts(
        chart_for or (lambda item, a, m: build_charts(db, item, a, m)),
        area,
        model,
        progress or (lambda fraction, message: None),
        on_chart or (lambda packed: None),
    )
    changes = changes or since(db, area, today=today)
    pages = [since_page(changes)]
    pages += [page for make in FRONT_PAGES if (page := make(db, area))]
    for spec in sorted(PAGES, key=lambda p: not p.in_front):
        page = _page(db, area, spec, charts)
        if page.sections or page.blocks:
            pages.append(page)
    cover = [block for make in COVER_BLOCKS if (block := make(db, area))]
    as_at = latest_as_at([c.chart for c in charts.packed])
    data_as_at = long_date(as_at) if as_at else "the dates on each chart"
    return Pack(area, today or dt.date.today(), data_as_at, cover, pages)
