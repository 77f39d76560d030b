"""Load the hand-curated files in data/curated: sources, report figures, Ofsted
judgements from reports and inspection end dates from them, milestones, contract
targets and notes per area.

Every row cites a source_id and the place in it (locator); read_curated checks each
cell, and the loaders each date against its rule (metrics.date_rules), naming the
file, row and column of the first fault.
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import pandas as pd

from metrics.config import CURATED
from metrics.date_rules import SourceDate, check_dates, check_source_dates
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
    "published_rule": ("str", False),
    "published_note": ("str", False),
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
    "note": ("str", False),
}
MILESTONE_KINDS = (
    "intervention",
    "direction",
    "governance",
    "practice",
    "finance",
    "inspection",
    "plan",
    "trust",
    "target",
    "caveat",
)
# The last day of an inspection where the national file gives only its first.
INSPECTION_ENDS: Spec = {
    "area_code": ("str", True),
    "inspection_start": ("date", True),
    "inspection_end": ("date", True),
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


def _faults(file: str, frame: pd.DataFrame):
    """A ``fault(i, column, problem)`` that raises the DataError of row ``i``."""

    def fault(i: int, column: str, problem: str):
        raise _fault(file, frame, i, column, problem)

    return fault


def _source_dates(con: duckdb.DuckDBPyConnection) -> dict[str, SourceDate]:
    rows = con.execute(
        "SELECT source_id, published, published_precision, published_rule FROM sources"
    ).fetchall()
    return {r[0]: SourceDate(*r[1:]) for r in rows}


def _check_dates(
    con: duckdb.DuckDBPyConnection,
    file: str,
    frame: pd.DataFrame,
    columns: tuple[str, str, str],
    notes: str | None = "note",
) -> None:
    """Every row's date against its rule and its source's date (metrics.date_rules)."""
    check_dates(frame, columns, _source_dates(con), _faults(file, frame), notes)


def load_sources(con: duckdb.DuckDBPyConnection, data_dir: Path) -> None:
    """Every source with its publisher, date and licence, and the grade scale."""
    file = "sources.csv"
    sources = _read(data_dir, file, SOURCES, ("source_id",))
    check_source_dates(sources, _faults(file, sources))
    insert(con, "sources", sources)
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
    _check_dates(con, file, figures, ("period_end", "date_precision", "date_rule"))
    figures = figures.drop(columns=["figure_id"]).assign(origin="report")
    insert(con, "observations", figures)


def ofsted_reports(data_dir: Path) -> pd.DataFrame:
    """Judgements taken from inspection reports (those before the outcomes file);
    a report's end date cites the report."""
    reports = _read(data_dir, "ofsted_reports.csv", REPORTS)
    ended = reports.inspection_end.notna()
    reports["inspection_end_source_id"] = reports.source_id.where(ended, None)
    reports["inspection_end_locator"] = reports.locator.where(ended, None)
    return reports


def with_inspection_ends(
    con: duckdb.DuckDBPyConnection, judgements: pd.DataFrame, data_dir: Path
) -> pd.DataFrame:
    """Judgements with the last days of inspection that reports give and the
    national file does not (ofsted_inspection_ends.csv), each citing its report."""
    file = "ofsted_inspection_ends.csv"
    ends = _read(data_dir, file, INSPECTION_ENDS, ("area_code", "inspection_start"))
    fault = _faults(file, ends)
    sources = _source_dates(con)
    out = judgements.copy()
    for column in (
        "inspection_end",
        "inspection_end_source_id",
        "inspection_end_locator",
    ):
        if column not in out:
            out[column] = None
        out[column] = out[column].astype(object)
    for i, e in enumerate(ends.itertuples()):
        match = (out.area_code == e.area_code) & (
            pd.to_datetime(out.inspection_start) == pd.Timestamp(e.inspection_start)
        )
        if match.sum() != 1:
            fault(
                i,
                "inspection_start",
                f"no single judgement of {e.area_code} began on {e.inspection_start} "
                f"(found {int(match.sum())})",
            )
        if e.inspection_end < e.inspection_start:
            fault(i, "inspection_end", "the last day is before the first")
        if out.loc[match, "inspection_end"].notna().any():
            fault(i, "inspection_end", "the judgement already has a last day")
        if e.source_id not in sources:
            fault(i, "source_id", f"unknown source {e.source_id!r}")
        out.loc[match, "inspection_end"] = e.inspection_end
        out.loc[match, "inspection_end_source_id"] = e.source_id
        out.loc[match, "inspection_end_locator"] = e.locator
    return out


def load_milestones(con: duckdb.DuckDBPyConnection, data_dir: Path) -> None:
    """The improvement timeline and the contract targets, each date to its rule."""
    file = "milestones.csv"
    milestones = _read(data_dir, file, MILESTONES)
    for i, kind in enumerate(milestones.kind):
        if kind not in MILESTONE_KINDS:
            raise _fault(
                file, milestones, i, "kind", f"use one of {list(MILESTONE_KINDS)}"
            )
    columns = ("milestone_date", "date_precision", "date_rule")
    _check_dates(con, file, milestones, columns)
    targets = _read(data_dir, "targets.csv", TARGETS, ("target_id",))
    deadline = ("deadline", "deadline_precision", "deadline_rule")
    _check_dates(con, "targets.csv", targets, deadline, notes=None)
    insert(con, "milestones", milestones)
    insert(con, "targets", targets)


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
