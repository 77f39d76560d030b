"""Load monthly returns all or nothing, keep every revision, and replay them on build.

An import never opens the live database read-write: DuckDB's single-writer lock would
block every dashboard process reading it. Under the build's file lock it copies the
live file to a temporary file beside it, applies the whole return there in one
transaction, archives the return and appends it to data/imports/log.csv, records the
new data hash, fsyncs, and os.replace()s the copy onto the live path. Readers that
already have the old file open keep reading it; new connections see the new file.

The log row is the commit point. `python -m metrics build` replays every logged
return from data/imports/archive/ in log order, so a process killed after the log
row was written leaves a database that the next build (which the changed data hash
triggers) completes; killed before it, none of the return is loaded.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import pandas as pd

from metrics.build import build, data_hash, ensure_database, needs_build
from metrics.config import ARCHIVE, DATA_DIR, DEFAULT_AREA, default_db_path
from metrics.import_log import (
    LogEntry,
    append_log,
    archive,
    logged,
    os_user,
    read_log,
)
from metrics.load_context import context, runner
from metrics.loads import FORMATS, RETURN, TARGETS, Format, log_entry
from metrics.plan import baselines
from metrics.queries import Database
from metrics.storage import build_lock, remove_partial, sha256, swap_in
from metrics.uploads import FileRejected, clean_file_name, read_cells

PAUSE_ENV = "DASHBOARD_IMPORT_PAUSE_SECONDS"  # test hook: sleep before the swap


@dataclass
class Preview:
    """What loading a file would do: rejected, already imported, or its changes."""

    kind: str  # "monthly return" or "targets"
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
        if self.kind == "targets":
            columns = ["row", "metric_id", "area_code", "due", "direction"]
            columns += (
                ["previous_target", "target"] if status == "revised" else ["target"]
            )
        else:
            columns = ["row", "period_end", "metric_id", "service_area", "area_code"]
            columns += ["previous_value", "value"] if status == "revised" else ["value"]
        if self.changes.empty:
            return pd.DataFrame(columns=columns + ["note"])
        return self.changes.loc[self.changes.status == status, columns + ["note"]]


@dataclass
class ImportResult:
    """What an import did."""

    status: str  # "imported" or "already imported"
    entry: LogEntry
    changes: pd.DataFrame
    seconds: float


def _utc_now() -> dt.datetime:
    """Now in UTC, naive, to the second: how the log records times."""
    return dt.datetime.now(dt.UTC).replace(tzinfo=None, microsecond=0)


def preview(
    content: bytes,
    file_name: str,
    db_path: Path | None = None,
    data_dir: Path = DATA_DIR,
    area: str = DEFAULT_AREA,
    kind: str = RETURN.kind,
) -> Preview:
    """Check a file against the live database and say what loading would change.

    Reads only: the database is opened read-only and nothing is written.
    """
    fmt = FORMATS[kind]
    db_path = Path(db_path or default_db_path())
    name, sha = clean_file_name(file_name), sha256(content)
    earlier = logged(sha, data_dir)
    if earlier:
        return Preview(kind, name, sha, "already imported", earlier=earlier)
    database = Database(db_path)
    try:
        ctx = context(database.df)
    finally:
        database.close()
    try:
        valid = fmt.check(content, file_name, ctx, data_dir, area, _utc_now().date())
    except FileRejected as exc:
        return Preview(kind, name, sha, "rejected", rejected=exc)
    return Preview(kind, name, sha, "ready", changes=fmt.compare(valid, ctx))


def import_return(
    content: bytes,
    file_name: str,
    db_path: Path | None = None,
    data_dir: Path = DATA_DIR,
    area: str = DEFAULT_AREA,
    loaded_by: str | None = None,
) -> ImportResult:
    """Load a monthly return whole or not at all; raise FileRejected if it breaks a
    rule. ``loaded_by`` (the signed-in email) is logged; by default the OS user."""
    return load_file(RETURN, content, file_name, db_path, data_dir, area, loaded_by)


def import_targets(
    content: bytes,
    file_name: str,
    db_path: Path | None = None,
    data_dir: Path = DATA_DIR,
    area: str = DEFAULT_AREA,
    loaded_by: str | None = None,
) -> ImportResult:
    """Load a targets file whole or not at all; raise FileRejected if it breaks a
    rule. ``loaded_by`` (the signed-in email) is logged; by default the OS user."""
    return load_file(TARGETS, content, file_name, db_path, data_dir, area, loaded_by)


def load_file(
    fmt: Format,
    content: bytes,
    file_name: str,
    db_path: Path | None = None,
    data_dir: Path = DATA_DIR,
    area: str = DEFAULT_AREA,
    loaded_by: str | None = None,
) -> ImportResult:
    """Load a file of a format whole or not at all (copy, apply, swap)."""
    loaded_by = loaded_by or os_user()
    db_path = Path(db_path or default_db_path())
    db_path.parent.mkdir(parents=True, exist_ok=True)
    start = time.perf_counter()
    read_cells(content, file_name)  # refuse an unreadable file before any copying
    with build_lock(db_path):
        for stale in db_path.parent.glob(f"{db_path.name}.importing-*"):
            stale.unlink()  # left by a killed import; no one else holds the lock
        if needs_build(db_path, data_dir):
            build(db_path, data_dir)
        sha = sha256(content)
        earlier = logged(sha, data_dir)
        if earlier:
            return ImportResult(
                "already imported", earlier, pd.DataFrame(), time.perf_counter() - start
            )
        now = _utc_now()
        tmp = db_path.with_name(f"{db_path.name}.importing-{os.getpid()}")
        shutil.copyfile(db_path, tmp)
        try:
            con = duckdb.connect(str(tmp))
            try:
                ctx = context(runner(con))
                next_id = max(
                    [ctx.next_id] + [e.import_id + 1 for e in read_log(data_dir)]
                )
                valid = fmt.check(content, file_name, ctx, data_dir, area, now.date())
                changes = fmt.compare(valid, ctx)
                archive_file = str(ARCHIVE / f"{valid.sha256}{valid.extension}")
                recorded = (
                    baselines(runner(con), valid, ctx, now.date())
                    if fmt is TARGETS
                    else None
                )
                entry = log_entry(
                    fmt,
                    valid,
                    changes,
                    next_id,
                    now,
                    area,
                    archive_file,
                    recorded,
                    loaded_by,
                )
                con.execute("BEGIN TRANSACTION")
                fmt.apply(con, valid, changes, entry, ctx)
                archive(valid, data_dir)
                append_log(entry, data_dir)  # the commit point: replayed on build
                con.execute(
                    "UPDATE build_info SET value = ? WHERE key = 'data_hash'",
                    [data_hash(data_dir)],
                )
                con.execute("COMMIT")
                con.execute("CHECKPOINT")
            finally:
                con.close()
            _pause(tmp)
            swap_in(tmp, db_path)
        finally:
            remove_partial(tmp)
    return ImportResult("imported", entry, changes, time.perf_counter() - start)


def _pause(tmp: Path) -> None:
    """Wait before the swap when the tests ask to (to kill an import mid-way)."""
    seconds = float(os.environ.get(PAUSE_ENV) or 0)
    if seconds > 0:
        print(
            f"{PAUSE_ENV}: batch applied in {tmp.name}, pausing {seconds:g} s "
            "before the swap",
            file=sys.stderr,
            flush=True,
        )
        time.sleep(seconds)


def dry_run(
    content: bytes,
    file_name: str,
    db_path: Path | None = None,
    data_dir: Path = DATA_DIR,
    area: str = DEFAULT_AREA,
    kind: str = RETURN.kind,
) -> Preview:
    """Preview for the command line: bring the database up to date, then preview."""
    ensure_database(db_path, data_dir)
    return preview(content, file_name, db_path, data_dir, area, kind)
