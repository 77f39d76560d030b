"""The kinds of file a performance team loads, each declared once: its words and its
columns in kinds.toml (what the load page, the command line and its template call it
and say of it; its columns, key and values; the sources row it cites) and its own
module (its rules, what of it is loaded, how it is written into the database and how
the command line lists a change). The load page, the command line, the templates and
the build's replay all read KINDS; a new kind of file is a module of its own, a
section of kinds.toml and a line here (README.md, "Adding a kind of file").
"""

from __future__ import annotations

import datetime as dt
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

import duckdb
import pandas as pd

from metrics.config import DEFAULT_AREA
from metrics.loading import returns, targets
from metrics.loading.checks import Cells, Form, check_file
from metrics.loading.compare import compare
from metrics.loading.context import Context, Run
from metrics.loading.files import ValidFile
from metrics.loading.log import LogEntry, Source

Connection = duckdb.DuckDBPyConnection
WORDS = tomllib.loads(Path(__file__).with_name("kinds.toml").read_text("utf-8"))
# The words of a kind that LoadKind holds as kinds.toml gives them.
TEXTS = ("label", "noun", "unit", "command", "doc", "purpose", "columns_text")


class Rules(Protocol):
    """What a kind's own module declares (metrics.loading.returns, .targets)."""

    # rule -> (what it says, how to fix a breach), in the order of precedence when
    # one cell breaks several
    RULES: dict[str, tuple[str, str]]

    def loaded(self, run: Run) -> pd.DataFrame:
        """The latest revision of every row of the kind loaded."""

    def apply(
        self, con: Connection, changes: pd.DataFrame, entry: LogEntry, ctx: Context
    ) -> None:
        """Write a checked file's changes (inside the load's transaction)."""

    def describe(self, change: object) -> tuple[str, str]:
        """Where a changed row is, and what follows its value, as the CLI lists it."""

    def value_rules(self, measures: pd.DataFrame, data_dir: Path) -> dict[str, list]:
        """The rule each measure's values follow, by column."""

    def choices(self, data_dir: Path) -> tuple[str, ...]:
        """The values the template's drop-down column is chosen from."""

    def record(self, run: Run, valid: ValidFile, ctx: Context, day: dt.date) -> dict:
        """What the log row records on the day a file is loaded (JSON), so that
        every replay writes the same: a targets file's baselines."""


@dataclass(frozen=True)
class Template:
    """A kind's blank template: data/templates/<stem>.csv and .xlsx."""

    stem: str
    sheet: str  # the title of the workbook's sheet to fill in
    widths: tuple[int, ...]  # of the sheet's columns, in characters
    choices: str  # the column with a drop-down list (Rules.choices)
    notes: tuple[str, ...]  # lines at the foot of the Guidance sheet
    choices_listed_as: str | None = None  # the load page's name for them, if listed


@dataclass(frozen=True)
class LoadKind:
    """One kind of file that is loaded, and everything that differs by kind."""

    kind: str  # its name in the import log: "monthly return", "targets"
    label: str  # what the load page calls it
    noun: str  # what the command line and the build call one: "monthly return"
    unit: str  # what its rows are: "figures"
    command: str  # python -m metrics COMMAND FILE
    doc: str  # the document that describes it for the people who fill it in
    purpose: str  # the load page's words for it
    columns_text: str  # its columns in words; may name {area}
    form: Form  # its columns, key and values, and its rules in words
    source: Source  # the sources row its rows cite
    template: Template
    cells: type[Cells]  # its cells as its rules see them, with its own rules
    rules: Rules  # how it is written into the database, and its rules in words

    @classmethod
    def declared(cls, kind: str, rules: Rules, cells: type[Cells]) -> LoadKind:
        """The kind of this name in kinds.toml, with its module's rules and cells."""
        words = WORDS[kind]
        template = _tuples(words["template"])
        notes = tuple(
            n.format(default_area=DEFAULT_AREA) for n in template.pop("notes")
        )
        return cls(
            kind=kind,
            **{f: words[f] for f in TEXTS},
            form=Form(**_tuples(words["form"]), rules=rules.RULES),
            source=Source(**words["source"]),
            template=Template(**template, notes=notes),
            cells=cells,
            rules=rules,
        )

    def check(self, content: bytes, file_name: str, ctx: Context) -> ValidFile:
        """Check a file against every rule of the kind; raise FileRejected listing
        each breach."""
        return check_file(self.form, self.cells, content, file_name, ctx)

    def compare(self, valid: ValidFile, ctx: Context) -> pd.DataFrame:
        """Each row of a checked file marked new, revised or unchanged."""
        return compare(valid.rows, ctx.loaded, self.form.key, self.form.values)

    def write(
        self, con: Connection, changes: pd.DataFrame, entry: LogEntry, ctx: Context
    ) -> None:
        """Write a checked file's source, log row and changes (no commit here)."""
        entry.insert(con, self.source)
        self.rules.apply(con, changes, entry, ctx)

    def shown(self, status: str) -> list[str]:
        """The columns the load page lists rows of one status with."""
        value, *others = self.form.values
        changed = [f"previous_{value}", value] if status == "revised" else [value]
        return ["row", *self.form.key, *others, *changed, "note"]

    def measure_rules(self, measures: pd.DataFrame, data_dir: Path) -> pd.DataFrame:
        """Every measure (metric_id, label) and the rule its values follow."""
        rules = self.rules.value_rules(measures, data_dir)
        return measures[["metric_id", "label"]].assign(**rules).reset_index(drop=True)


def _tuples(table: dict) -> dict:
    """A TOML table's values, its lists as tuples."""
    return {k: tuple(v) if isinstance(v, list) else v for k, v in table.items()}


MONTHLY_RETURN = LoadKind.declared("monthly return", returns, returns.ReturnCells)
TARGETS_FILE = LoadKind.declared("targets", targets, targets.TargetCells)
KINDS: dict[str, LoadKind] = {k.kind: k for k in (MONTHLY_RETURN, TARGETS_FILE)}
