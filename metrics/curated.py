"""Load the hand-curated files in data/curated: sources, report figures, Ofsted
judgements from reports, milestones, contract targets and notes per area.

Every row cites a source_id and the place in it (locator); read_curated checks each
cell and names the file, row and column of the first fault.
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import pandas as pd

from metrics.config import CURATED
from metrics.grades import GRADE_RANK
from metrics.storage import DataError, Spec, insert, read_curated

SOURCES: Spec = {
    "source_id": ("str", True),
    "title": ("str", True),
    "publisher": ("str", True),
    "published": ("date", False),
    "published_precision": ("str", False),
    "kind": ("str", True),
    "licence": ("str", True),
    "reference": ("str", False),
}
METRICS: Spec = {
    "metric_id": ("str", True),
    "label": ("str", True),
    "unit": ("str", True),
    "polarity": ("str", True),
    "definition": ("str", True),
    "source_id": ("str", True),
    "topic": ("str", True),
    "dps": ("float", False),
}
FIGURES: Spec = {
    "figure_id": ("str", True),
    "metric_id": ("str", True),
    "area_code": ("str", True),
    "area_name": ("str", True),
    "period_end": ("date", True),
    "date_precision": ("str", True),
    "date_rule": ("str", True),
    "period_label": ("str", True),
    "service_area": ("str", False),
    "value": ("float", False),
    "value_low": ("float", False),
    "value_high": ("float", False),
    "approximate": ("bool", True),
    "qualifier": ("str", False),
    "source_id": ("str", True),
    "locator": ("str", True),
    "note": ("str", False),
}
REPORT_DATES = ("inspection_start", "inspection_end", "published")
REPORT_REQUIRED = (
    "area_code",
    "area_name",
    "framework",
    "inspection_start",
    "date_precision",
    "overall_grade",
    "source_id",
    "locator",
)
REPORTS: Spec = {
    c: ("date" if c in REPORT_DATES else "str", c in REPORT_REQUIRED)
    for c in [
        "area_code",
        "area_name",
        "framework",
        "inspection_type",
        "inspection_start",
        "inspection_end",
        "date_precision",
        "published",
        "overall_grade",
        "help_and_protection",
        "children_in_care",
        "care_leavers",
        "leadership",
        "adoption",
        "source_id",
        "locator",
    ]
}
MILESTONES: Spec = {
    "milestone_date": ("date", True),
    "date_precision": ("str", True),
    "date_rule": ("str", True),
    "kind": ("str", True),
    "label": ("str", True),
    "source_id": ("str", True),
    "locator": ("str", True),
}
TARGETS: Spec = {
    "target_id": ("str", True),
    "area_code": ("str", True),
    "grade": ("str", True),
    "deadline": ("date", True),
    "deadline_precision": ("str", True),
    "deadline_rule": ("str", True),
    "set_on": ("date", True),
    "source_id": ("str", True),
    "locator": ("str", True),
}
AREA_NOTES: Spec = {
    "note_id": ("str", True),
    "area_code": ("str", True),
    "page": ("str", True),
    "section": ("str", True),
    "kind": ("str", True),
    "text": ("str", True),
    "metric_id": ("str", False),
    "period_label": ("str", False),
    "source_id": ("str", True),
    "locator": ("str", True),
}
NOTE_KINDS = ("warning", "info")
# A note's text may name the figure of its metric and period, and of the periods
# either side: it is filled in from the observations, never typed.
PLACEHOLDERS = ("value", "previous", "next")


def _read(data_dir: Path, file: str, spec: Spec, key: tuple[str, ...] = ()):
    return read_curated(data_dir / CURATED / file, spec, data_dir, key=key)


def _fault(file: str, frame: pd.DataFrame, i: int, column: str, text: str) -> DataError:
    """A DataError naming the curated file and the line row ``i`` was read from."""
    return DataError(CURATED / file, frame.attrs["lines"][i], column, text)


def load_sources(con: duckdb.DuckDBPyConnection, data_dir: Path) -> None:
    """Every source with its publisher, date and licence, and the grade scale."""
    insert(con, "sources", _read(data_dir, "sources.csv", SOURCES, ("source_id",)))
    con.executemany(
        "INSERT INTO grade_scale VALUES (?, ?)",
        [(grade.capitalize(), rank) for grade, rank in GRADE_RANK.items()],
    )


def load_metrics(con: duckdb.DuckDBPyConnection, data_dir: Path) -> None:
    """The metrics of the report figures and the DfE files LAIT does not hold."""
    curated = _read(data_dir, "metrics.csv", METRICS, ("metric_id",))
    curated["quartiles_apply"] = True
    insert(con, "metrics", curated)


def load_document_figures(con: duckdb.DuckDBPyConnection, data_dir: Path) -> None:
    """Figures quoted in the source documents, as observations."""
    file = "document_figures.csv"
    figures = _read(data_dir, file, FIGURES, ("figure_id",))
    known = {r[0] for r in con.execute("SELECT metric_id FROM metrics").fetchall()}
    for i, (metric, value, low, high) in enumerate(
        zip(figures.metric_id, figures.value, figures.value_low, figures.value_high)
    ):
        if metric not in known:
            raise _fault(
                file,
                figures,
                i,
                "metric_id",
                f"unknown metric {metric!r}; add it to curated/metrics.csv",
            )
        if value is None and (low is None or high is None):
            raise _fault(
                file,
                figures,
                i,
                "value",
                "give a value, or both value_low and value_high for a range",
            )
    figures = figures.drop(columns=["figure_id"]).assign(origin="report")
    insert(con, "observations", figures)


def ofsted_reports(data_dir: Path) -> pd.DataFrame:
    """Judgements taken from inspection reports (those before the outcomes file)."""
    return _read(data_dir, "ofsted_reports.csv", REPORTS)


def load_milestones(con: duckdb.DuckDBPyConnection, data_dir: Path) -> None:
    """The improvement timeline and the contract targets."""
    insert(con, "milestones", _read(data_dir, "milestones.csv", MILESTONES))
    insert(con, "targets", _read(data_dir, "targets.csv", TARGETS, ("target_id",)))


def load_area_notes(con: duckdb.DuckDBPyConnection, data_dir: Path) -> None:
    """Notes a page shows for one area only, each with its source."""
    file = "area_notes.csv"
    notes = _read(data_dir, file, AREA_NOTES, ("note_id",))
    known = {r[0] for r in con.execute("SELECT metric_id FROM metrics").fetchall()}
    for i, n in enumerate(notes.itertuples()):
        if n.kind not in NOTE_KINDS:
            raise _fault(file, notes, i, "kind", f"use one of {list(NOTE_KINDS)}")
        if n.metric_id is not None and n.metric_id not in known:
            raise _fault(file, notes, i, "metric_id", f"unknown metric {n.metric_id!r}")
        placeholder = any(f"{{{p}}}" in n.text for p in PLACEHOLDERS)
        if placeholder != (n.metric_id is not None and n.period_label is not None):
            raise _fault(
                file,
                notes,
                i,
                "period_label",
                "a text with {value}, {previous} or {next} needs metric_id and "
                "period_label, and only then",
            )
    insert(con, "area_notes", notes)
