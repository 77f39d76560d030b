"""Load a file all or nothing, keep every revision, and say beforehand what it would
change.

A load never opens the live database read-write: DuckDB's single-writer lock would
block every dashboard process reading it. Under the build's file lock it copies the
live file to a temporary file beside it, applies the whole file there in one
transaction, archives the file and appends it to data/imports/log.csv, records the
new data hash, fsyncs, and os.replace()s the copy onto the live path. Readers that
already have the old file open keep reading it; new connections see the new file.

The log row is the commit point. `python -m metrics build` replays every logged file
from data/imports/archive/ in log order (metrics.loading.replay), so a process killed
after the log row was written leaves a database that the next build (which the
changed data hash triggers) completes; killed before it, none of the file is loaded.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import pandas as pd

from metrics.build import build, data_hash, needs_build
from metrics.config import DEFAULT_AREA, default_db_path
from metrics.loading.compare import counts
from metrics.loading.context import Context, context, runner
from metrics.loading.files import FileRejected, ValidFile, clean_file_name, read_cells
from metrics.loading.kinds import KINDS, MONTHLY_RETURN, TARGETS_FILE, LoadKind
from metrics.loading.log import (
    LogEntry,
    append_log,
    archive,
    archive_file,
    logged,
    os_user,
    read_log,
    unarchive,
)
from metrics.queries import Database
from metrics.storage import build_lock, remove_partial, sha256, swap_in

PAUSE_ENV = "DASHBOARD_IMPORT_PAUSE_SECONDS"  # test hook: sleep before the swap


@dataclass
class Preview:
    """What loading a file would do: rejected, already imported, or its changes."""

    kind: LoadKind
    file_name: str
    sha256: str
    status: str  # "ready", "already imported" or "rejected"
    changes: pd.DataFrame = field(default_factory=pd.DataFrame)
    rejected: FileRejected | None = None
    earlier: LogEntry | None = None

    def count(self, status: str) -> int:
        """How many rows are new, revised or unchanged."""
        return 0 if self.changes.empty else int((self.changes.status == status).sum())

    def table(self, status: str) -> pd.DataFrame:
        """The rows of one status, as the load page lists them."""
        columns = self.kind.shown(status)
        if self.changes.empty:
            return pd.DataFrame(columns=columns)
        return self.changes.loc[self.changes.status == status, columns]


@dataclass
class ImportResult:
    """What a load did."""

    status: str  # "imported" or "already imported"
    entry: LogEntry
    changes: pd.DataFrame
    seconds: float


def _utc_now() -> dt.datetime:
    """Now in UTC, naive, to the second: how the log records times."""
    return dt.datetime.now(dt.UTC).replace(tzinfo=None, microsecond=0)


def _kind(kind: LoadKind | str) -> LoadKind:
    return KINDS[kind] if isinstance(kind, str) else kind


def preview(
    content: bytes,
    file_name: str,
    db_path: Path | None,
    data_dir: Path,
    area: str = DEFAULT_AREA,
    kind: LoadKind | str = MONTHLY_RETURN,
) -> Preview:
    """Check a file against the live database and say what loading would change.

    Reads only: the database is opened read-only and nothing is written.
    """
    kind = _kind(kind)
    db_path = Path(db_path or default_db_path())
    name, sha = clean_file_name(file_name), sha256(content)
    earlier = logged(sha, area, data_dir)
    if earlier:
        return Preview(kind, name, sha, "already imported", earlier=earlier)
    database = Database(db_path)
    try:
        ctx = context(database.df, kind.rules.loaded, area, data_dir, _utc_now().date())
    finally:
        database.close()
    try:
        valid = kind.check(content, file_name, ctx)
    except FileRejected as exc:
        return Preview(kind, name, sha, "rejected", rejected=exc)
    return Preview(kind, name, sha, "ready", changes=kind.compare(valid, ctx))


def _entry(
    kind: LoadKind,
    valid: ValidFile,
    changes: pd.DataFrame,
    con: duckdb.DuckDBPyConnection,
    ctx: Context,
    data_dir: Path,
    now: dt.datetime,
    area: str,
    loaded_by: str,
) -> LogEntry:
    """The log row of a checked file: its counts of new, revised and unchanged rows
    and what its kind records on the day it is loaded."""
    new, revised, unchanged = counts(changes)
    recorded = kind.rules.record(runner(con), valid, ctx, now.date())
    return LogEntry(
        import_id=max([ctx.next_id] + [e.import_id + 1 for e in read_log(data_dir)]),
        imported_at=now,
        file_name=valid.file_name,
        sha256=valid.sha256,
        archive_file=archive_file(valid.content, valid.extension),
        default_area=area,
        rows_new=new,
        rows_revised=revised,
        rows_unchanged=unchanged,
        kind=kind.kind,
        baselines=json.dumps(recorded, sort_keys=True) if recorded else "",
        loaded_by=loaded_by,
    )


def _apply(
    kind: LoadKind,
    content: bytes,
    file_name: str,
    tmp: Path,
    data_dir: Path,
    area: str,
    loaded_by: str,
) -> tuple[LogEntry, pd.DataFrame]:
    """Check and apply a file in the copy of the database, archive it and log it."""
    now = _utc_now()
    con = duckdb.connect(str(tmp))
    try:
        ctx = context(runner(con), kind.rules.loaded, area, data_dir, now.date())
        valid = kind.check(content, file_name, ctx)
        changes = kind.compare(valid, ctx)
        entry = _entry(kind, valid, changes, con, ctx, data_dir, now, area, loaded_by)
        con.execute("BEGIN TRANSACTION")
        kind.write(con, changes, entry, ctx)
        new_archive = not (data_dir / entry.archive_file).exists()
        archive(valid.content, valid.extension, data_dir)
        try:
            append_log(entry, data_dir)  # the commit point: replayed on build
        except Exception:
            # A file archived for a load that did not log it would stop the build.
            if new_archive:
                unarchive(entry.archive_file, data_dir)
            raise
        con.execute(
            "UPDATE build_info SET value = ? WHERE key = 'data_hash'",
            [data_hash(data_dir)],
        )
        con.execute("COMMIT")
        con.execute("CHECKPOINT")
    finally:
        con.close()
    return entry, changes


def load_file(
    kind: LoadKind | str,
    content: bytes,
    file_name: str,
    db_path: Path | None,
    data_dir: Path,
    area: str = DEFAULT_AREA,
    loaded_by: str = "",
) -> ImportResult:
    """Load a file of a kind whole or not at all (copy, apply, swap); raise
    FileRejected if it breaks a rule. ``loaded_by`` (the signed-in email) is logged;
    blank, the OS user."""
    kind = _kind(kind)
    loaded_by = loaded_by or os_user()
    db_path = Path(db_path or default_db_path())
    db_path.parent.mkdir(parents=True, exist_ok=True)
    start = time.perf_counter()
    read_cells(content, file_name)  # refuse an unreadable file before any copying
    with build_lock(db_path):
        for stale in db_path.parent.glob(f"{db_path.name}.importing-*"):
            stale.unlink()  # left by a killed load; no one else holds the lock
        if needs_build(db_path, data_dir):
            build(db_path, data_dir)
        earlier = logged(sha256(content), area, data_dir)
        if earlier:
            seconds = time.perf_counter() - start
            return ImportResult("already imported", earlier, pd.DataFrame(), seconds)
        tmp = db_path.with_name(f"{db_path.name}.importing-{os.getpid()}")
        shutil.copyfile(db_path, tmp)
        try:
            entry, changes = _apply(
                kind, content, file_name, tmp, data_dir, area, loaded_by
            )
            _pause(tmp)
            swap_in(tmp, db_path)
        finally:
            remove_partial(tmp)
    return ImportResult("imported", entry, changes, time.perf_counter() - start)


def import_return(content: bytes, file_name: str, *args, **kwargs) -> ImportResult:
    """Load a monthly return (load_file's arguments after the kind)."""
    return load_file(MONTHLY_RETURN, content, file_name, *args, **kwargs)


def import_targets(content: bytes, file_name: str, *args, **kwargs) -> ImportResult:
    """Load a targets file (load_file's arguments after the kind)."""
    return load_file(TARGETS_FILE, content, file_name, *args, **kwargs)


def _pause(tmp: Path) -> None:
    """Wait before the swap when the tests ask to (to kill a load mid-way)."""
    seconds = float(os.environ.get(PAUSE_ENV) or 0)
    if seconds > 0:
        print(
            f"{PAUSE_ENV}: batch applied in {tmp.name}, pausing {seconds:g} s "
            "before the swap",
            file=sys.stderr,
            flush=True,
        )
        time.sleep(seconds)
