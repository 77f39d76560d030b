"""The replay of every logged file that each build ends with: the loads are kept as
the files themselves (data/imports/archive) and their log (data/imports/log.csv), and
the database is rebuilt from them, each file checked again by the rules of its kind.
"""

from __future__ import annotations

from pathlib import Path

import duckdb

from metrics.config import ARCHIVE, LOG
from metrics.loading.compare import counts
from metrics.loading.context import context, runner
from metrics.loading.files import FileRejected
from metrics.loading.kinds import KINDS, LoadKind
from metrics.loading.log import LogEntry, read_log
from metrics.storage import DataError, sha256

Report = list[tuple[str, str, str, int]]


def _orphans(data_dir: Path, entries: list[LogEntry], report: Report) -> None:
    """Report archived files without a log row (their load stopped before it)."""
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


def _archived(data_dir: Path, entry: LogEntry, line: int) -> bytes:
    """A logged file's bytes from the archive, refused if missing or changed."""
    path = data_dir / entry.archive_file
    if not path.exists():
        raise DataError(LOG, line, "archive_file", "the archived file is missing")
    content = path.read_bytes()
    if sha256(content) != entry.sha256:
        raise DataError(
            entry.archive_file,
            None,
            None,
            "differs from the file loaded (SHA-256 mismatch); archived files must "
            "never be edited",
        )
    return content


def _kind(entry: LogEntry, line: int) -> LoadKind:
    if entry.kind not in KINDS:
        raise DataError(
            LOG, line, "kind", f"{entry.kind!r} is not one of {', '.join(KINDS)}"
        )
    return KINDS[entry.kind]


def replay(con: duckdb.DuckDBPyConnection, data_dir: Path, report: Report) -> None:
    """Load every logged file from the archive, in log order (part of the build)."""
    entries = read_log(data_dir)
    _orphans(data_dir, entries, report)
    for i, entry in enumerate(entries):
        kind = _kind(entry, i + 2)
        content = _archived(data_dir, entry, i + 2)
        day = entry.imported_at.date()
        ctx = context(runner(con), kind.rules.loaded, entry.default_area, data_dir, day)
        try:
            valid = kind.check(content, entry.file_name, ctx)
        except FileRejected as exc:
            first = exc.problems[0]
            raise DataError(
                entry.archive_file,
                first.row,
                first.column,
                f"import {entry.import_id} ({entry.file_name}) no longer passes the "
                f"{kind.noun} rules: {first.problem}",
            ) from exc
        changes = kind.compare(valid, ctx)
        replayed = counts(changes)
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
        kind.write(con, changes, entry, ctx)
