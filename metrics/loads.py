"""The two kinds of file a performance team loads, monthly returns and targets files,
each as a Format (check, compare, apply), and the replay of every logged file that
each build ends with."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pandas as pd

from metrics.config import ARCHIVE, LOG
from metrics.import_log import LogEntry, read_log
from metrics.load_context import Context, context, runner
from metrics.plan import apply_plan, compare_plan
from metrics.plan_rules import validate_plan
from metrics.return_rules import load_rules
from metrics.returns import validate
from metrics.revisions import apply, compare
from metrics.storage import DataError, sha256
from metrics.uploads import FileRejected, ValidFile


@dataclass(frozen=True)
class Format:
    """How one kind of file is checked, compared with what is loaded, and applied."""

    kind: str  # as import_log.kind says it
    noun: str  # "return", "targets file"
    check: Callable[[bytes, str, Context, Path, str, dt.date], ValidFile]
    compare: Callable[[ValidFile, Context], pd.DataFrame]
    apply: Callable[[duckdb.DuckDBPyConnection, ValidFile, pd.DataFrame, LogEntry, Context], None]  # fmt: skip


def _check_return(content, name, ctx: Context, data_dir: Path, area, day):
    rules = load_rules(data_dir, ctx.kinds)
    return validate(content, name, rules, ctx.areas, ctx.figures, area, day)


def _check_plan(content, name, ctx: Context, data_dir: Path, area, day):
    return validate_plan(content, name, ctx.areas, ctx.kinds, ctx.polarity, area)


RETURN = Format("monthly return", "return", _check_return, compare, apply)
TARGETS = Format("targets", "targets file", _check_plan, compare_plan, apply_plan)
FORMATS = {f.kind: f for f in (RETURN, TARGETS)}


def log_entry(
    fmt: Format,
    valid: ValidFile,
    changes: pd.DataFrame,
    import_id: int,
    now: dt.datetime,
    area: str,
    archive_file: str,
    baselines: dict | None = None,
    loaded_by: str = "",
) -> LogEntry:
    """The log row of a file, with its counts of new, revised and unchanged rows."""
    counts = changes.status.value_counts()
    return LogEntry(
        import_id=import_id,
        imported_at=now,
        file_name=valid.file_name,
        sha256=valid.sha256,
        archive_file=archive_file,
        default_area=area,
        rows_new=int(counts.get("new", 0)),
        rows_revised=int(counts.get("revised", 0)),
        rows_unchanged=int(counts.get("unchanged", 0)),
        kind=fmt.kind,
        baselines=json.dumps(baselines, sort_keys=True) if baselines else "",
        loaded_by=loaded_by,
    )


def replay(con: duckdb.DuckDBPyConnection, data_dir: Path, report: list) -> None:
    """Load every logged file from the archive, in log order (part of the build)."""
    entries = read_log(data_dir)
    archived = {
        str(p.relative_to(data_dir))
        for p in (data_dir / ARCHIVE).glob("*")
        if p.is_file() and not p.name.startswith(".")
    }
    for orphan in sorted(archived - {e.archive_file for e in entries}):
        report.append(
            (
                "info",
                orphan,
                "archived file not in imports/log.csv (its load stopped before the "
                "log row was written); not loaded",
                0,
            )
        )
    for i, entry in enumerate(entries):
        fmt = FORMATS[entry.kind]
        path = data_dir / entry.archive_file
        if not path.exists():
            raise DataError(LOG, i + 2, "archive_file", "the archived file is missing")
        content = path.read_bytes()
        if sha256(content) != entry.sha256:
            raise DataError(
                entry.archive_file,
                None,
                None,
                "differs from the file loaded (SHA-256 mismatch); archived files must "
                "never be edited",
            )
        ctx = context(runner(con))
        try:
            valid = fmt.check(
                content,
                entry.file_name,
                ctx,
                data_dir,
                entry.default_area,
                entry.imported_at.date(),
            )
        except FileRejected as exc:
            first = exc.problems[0]
            raise DataError(
                entry.archive_file,
                first.row,
                first.column,
                f"import {entry.import_id} ({entry.file_name}) no longer passes the "
                f"{fmt.noun} rules: {first.problem}",
            ) from exc
        changes = fmt.compare(valid, ctx)
        counts = changes.status.value_counts()
        replayed = (
            int(counts.get("new", 0)),
            int(counts.get("revised", 0)),
            int(counts.get("unchanged", 0)),
        )
        if replayed != (entry.rows_new, entry.rows_revised, entry.rows_unchanged):
            report.append(
                (
                    "warning",
                    str(LOG),
                    f"import {entry.import_id} replayed as {replayed[0]} new, "
                    f"{replayed[1]} revised, {replayed[2]} unchanged, unlike its log "
                    "row",
                    len(changes),
                )
            )
        # The log row is applied as recorded: its counts and, for a targets file,
        # the baselines recorded on the day it was loaded.
        fmt.apply(con, valid, changes, entry, ctx)
