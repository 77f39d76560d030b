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

import csv
import datetime as dt
import io
import os
import shutil
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import pandas as pd

from metrics.build import (
    DataError,
    _build_lock,
    build,
    data_hash,
    ensure_database,
    needs_build,
    read_curated,
)
from metrics.config import DATA_DIR, DEFAULT_FOCUS, default_db_path
from metrics.returns import (
    ReturnRejected,
    ValidReturn,
    clean_file_name,
    load_rules,
    read_cells,
    sha256,
    validate,
)

IMPORTS = Path("imports")
ARCHIVE = IMPORTS / "archive"
LOG = IMPORTS / "log.csv"
LOG_COLUMNS = [
    "import_id",
    "imported_at",
    "file_name",
    "sha256",
    "archive_file",
    "default_area",
    "rows_new",
    "rows_revised",
    "rows_unchanged",
]
PAUSE_ENV = "DASHBOARD_IMPORT_PAUSE_SECONDS"  # test hook: sleep before the swap
SOURCE_KIND = "monthly return"
LICENCE = "Local management information"
PUBLISHER = "Local authority children's services performance team"
KEY = ["metric_id", "area_code", "period_end", "service_area"]

Run = Callable[..., pd.DataFrame]


@dataclass
class LogEntry:
    """One accepted return, as logged in data/imports/log.csv and import_log."""

    import_id: int
    imported_at: dt.datetime  # UTC, naive
    file_name: str
    sha256: str
    archive_file: str  # relative to the data folder
    default_area: str
    rows_new: int = 0
    rows_revised: int = 0
    rows_unchanged: int = 0

    @property
    def source_id(self) -> str:
        """The sources row that cites this return."""
        return f"monthly_return_{self.sha256[:12]}"

    def csv_row(self) -> list[str]:
        """The entry as log.csv cells."""
        return [
            str(self.import_id),
            self.imported_at.isoformat(timespec="seconds") + "Z",
            self.file_name,
            self.sha256,
            self.archive_file,
            self.default_area,
            str(self.rows_new),
            str(self.rows_revised),
            str(self.rows_unchanged),
        ]


@dataclass
class Preview:
    """What loading a return would do: rejected, already imported, or its changes."""

    file_name: str
    sha256: str
    status: str  # "ready", "already imported" or "rejected"
    changes: pd.DataFrame = field(default_factory=pd.DataFrame)
    rejected: ReturnRejected | None = None
    earlier: LogEntry | None = None

    def count(self, status: str) -> int:
        """How many rows are new, revised or unchanged."""
        return 0 if self.changes.empty else int((self.changes.status == status).sum())

    def table(self, status: str) -> pd.DataFrame:
        """The rows of one status, as the upload page lists them."""
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


# --- the log and the archive --------------------------------------------------------


def read_log(data_dir: Path = DATA_DIR) -> list[LogEntry]:
    """Every logged import, in log order (empty when nothing has been imported)."""
    path = data_dir / LOG
    if not path.exists():
        return []
    frame = read_curated(path, {c: ("str", True) for c in LOG_COLUMNS}, data_dir)
    entries = []
    for i, r in enumerate(frame.itertuples(index=False)):
        try:
            entries.append(
                LogEntry(
                    import_id=int(r.import_id),
                    imported_at=dt.datetime.fromisoformat(
                        r.imported_at.removesuffix("Z")
                    ),
                    file_name=r.file_name,
                    sha256=r.sha256,
                    archive_file=r.archive_file,
                    default_area=r.default_area,
                    rows_new=int(r.rows_new),
                    rows_revised=int(r.rows_revised),
                    rows_unchanged=int(r.rows_unchanged),
                )
            )
        except ValueError as exc:
            raise DataError(
                LOG, i + 2, None, f"is not a valid log row ({exc})"
            ) from exc
    return entries


def logged(sha: str, data_dir: Path = DATA_DIR) -> LogEntry | None:
    """The earlier import of a file with this SHA-256, if any."""
    return next((e for e in read_log(data_dir) if e.sha256 == sha), None)


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _write_atomically(path: Path, content: bytes, mode: int = 0o644) -> None:
    """Write a file whole or not at all: temp file, fsync, rename, fsync the folder."""
    path.parent.mkdir(parents=True, exist_ok=True)
    # A leading dot keeps a half-written temp file out of data_hash().
    tmp = path.with_name(f".{path.name}.tmp-{os.getpid()}")
    try:
        with open(tmp, "wb") as handle:
            handle.write(content)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, mode)
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)
    _fsync(path.parent)


def _archive(valid: ValidReturn, data_dir: Path) -> str:
    """Keep the file exactly as received, read-only, named by its SHA-256."""
    relative = ARCHIVE / f"{valid.sha256}{valid.extension}"
    path = data_dir / relative
    if not (path.exists() and sha256(path.read_bytes()) == valid.sha256):
        if path.exists():
            path.chmod(0o644)
        _write_atomically(path, valid.content, mode=0o444)
    return str(relative)


def _append_log(entry: LogEntry, data_dir: Path) -> None:
    """Add one row to log.csv; earlier rows are kept byte for byte."""
    path = data_dir / LOG
    read_log(data_dir)  # refuse to add to a log that does not read
    old = path.read_bytes() if path.exists() else b""
    if not old:
        old = (",".join(LOG_COLUMNS) + "\n").encode()
    elif not old.endswith(b"\n"):
        old += b"\n"
    line = io.StringIO()
    csv.writer(line, lineterminator="\n").writerow(entry.csv_row())
    _write_atomically(path, old + line.getvalue().encode("utf-8"))


# --- reading the database -------------------------------------------------------------


def _runner(con: duckdb.DuckDBPyConnection) -> Run:
    return lambda sql, params=None: con.execute(sql, params or []).df()


def context(run: Run) -> tuple[dict[str, str], pd.DataFrame, int]:
    """Local authorities, the latest imported figures, and the next import id."""
    areas = run(
        "SELECT area_code, area_name FROM areas WHERE level = 'local authority'"
    )
    current = run(
        """
        SELECT metric_id, area_code, period_end, service_area, value, revision
        FROM observation_revisions
        QUALIFY row_number() OVER (
            PARTITION BY metric_id, area_code, period_end, service_area
            ORDER BY revision DESC) = 1
        """
    )
    current["period_end"] = pd.to_datetime(current.period_end).dt.date
    next_id = int(
        run("SELECT coalesce(max(import_id), 0) + 1 AS n FROM import_log").n[0]
    )
    return dict(zip(areas.area_code, areas.area_name)), current, next_id


def compare(valid: ValidReturn, current: pd.DataFrame) -> pd.DataFrame:
    """Each row of a return marked new, revised (with the old value) or unchanged."""
    rows = valid.rows.assign(_sa=valid.rows.service_area.fillna(""))
    loaded = current.assign(_sa=current.service_area.fillna("")).rename(
        columns={"value": "previous_value", "revision": "previous_revision"}
    )[["metric_id", "area_code", "period_end", "_sa", "previous_value",
       "previous_revision"]]  # fmt: skip
    out = rows.merge(
        loaded, on=["metric_id", "area_code", "period_end", "_sa"], how="left"
    ).drop(columns="_sa")
    same = (out.value - out.previous_value).abs() < 1e-9
    out["status"] = "revised"
    out.loc[out.previous_value.isna(), "status"] = "new"
    out.loc[same, "status"] = "unchanged"
    out["revision"] = out.previous_revision.fillna(0).astype(int) + (
        out.status != "unchanged"
    ).astype(int)
    return out.drop(columns="previous_revision")


# --- applying a return ----------------------------------------------------------------


def apply(
    con: duckdb.DuckDBPyConnection,
    valid: ValidReturn,
    changes: pd.DataFrame,
    entry: LogEntry,
    area_names: dict[str, str],
) -> None:
    """Write one return's source, log row, figures and revisions (no commit here)."""
    con.execute(
        "INSERT INTO sources (source_id, title, publisher, published, "
        "published_precision, kind, licence, reference) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        [
            entry.source_id,
            f"Monthly return {entry.file_name}",
            PUBLISHER,
            entry.imported_at.date(),
            "day",
            SOURCE_KIND,
            LICENCE,
            f"data/{entry.archive_file}; import {entry.import_id} of "
            f"{entry.imported_at:%Y-%m-%d %H:%M} UTC",
        ],
    )
    con.execute(
        "INSERT INTO import_log (import_id, imported_at, file_name, sha256, "
        "archive_file, default_area, source_id, rows_new, rows_revised, rows_unchanged) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            entry.import_id,
            entry.imported_at,
            entry.file_name,
            entry.sha256,
            entry.archive_file,
            entry.default_area,
            entry.source_id,
            entry.rows_new,
            entry.rows_revised,
            entry.rows_unchanged,
        ],
    )
    changed = changes[changes.status != "unchanged"].copy()
    if changed.empty:
        return
    changed["area_name"] = changed.area_code.map(area_names)
    changed["period_label"] = [f"{d:%b %Y}" for d in changed.period_end]
    changed["source_id"] = entry.source_id
    changed["locator"] = [f"{entry.file_name}, row {r}" for r in changed.row]
    changed["import_id"] = entry.import_id
    con.register("incoming", changed)
    try:
        con.execute(
            """
            INSERT INTO observations (metric_id, area_code, area_name, period_end,
                period_label, date_precision, service_area, value, value_low,
                value_high, approximate, qualifier, source_id, locator, note)
            SELECT metric_id, area_code, area_name, period_end, period_label, 'day',
                   service_area, value, NULL, NULL, false, NULL, source_id, locator, note
            FROM incoming WHERE status = 'new'
            """
        )
        con.execute(
            """
            UPDATE observations AS o
            SET value = i.value, note = i.note, source_id = i.source_id,
                locator = i.locator
            FROM incoming AS i
            WHERE i.status = 'revised'
              AND o.metric_id = i.metric_id AND o.area_code = i.area_code
              AND o.period_end = i.period_end
              AND o.service_area IS NOT DISTINCT FROM i.service_area
              AND o.source_id IN (SELECT source_id FROM import_log)
            """
        )
        con.execute(
            """
            INSERT INTO observation_revisions (metric_id, area_code, period_end,
                service_area, revision, value, previous_value, note, import_id,
                source_id, source_row, locator)
            SELECT metric_id, area_code, period_end, service_area, revision, value,
                   previous_value, note, import_id, source_id, row, locator
            FROM incoming
            """
        )
    finally:
        con.unregister("incoming")


def _entry(
    valid: ValidReturn,
    changes: pd.DataFrame,
    import_id: int,
    now: dt.datetime,
    area: str,
    archive_file: str,
) -> LogEntry:
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
    )


def _utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None, microsecond=0)


def preview(
    content: bytes,
    file_name: str,
    db_path: Path | None = None,
    data_dir: Path = DATA_DIR,
    area: str = DEFAULT_FOCUS,
) -> Preview:
    """Validate a return against the live database and say what loading would change.

    Reads only: the database is opened read-only and nothing is written.
    """
    from metrics.queries import Database

    db_path = Path(db_path or default_db_path())
    name, sha = clean_file_name(file_name), sha256(content)
    earlier = logged(sha, data_dir)
    if earlier:
        return Preview(name, sha, "already imported", earlier=earlier)
    database = Database(db_path)
    try:
        areas, current, _ = context(database.df)
    finally:
        database.close()
    try:
        valid = validate(
            content, file_name, load_rules(data_dir), areas, current, area,
            _utc_now().date(),
        )  # fmt: skip
    except ReturnRejected as exc:
        return Preview(name, sha, "rejected", rejected=exc)
    return Preview(name, sha, "ready", changes=compare(valid, current))


def import_return(
    content: bytes,
    file_name: str,
    db_path: Path | None = None,
    data_dir: Path = DATA_DIR,
    area: str = DEFAULT_FOCUS,
) -> ImportResult:
    """Load a return whole or not at all; raise ReturnRejected if it breaks a rule."""
    db_path = Path(db_path or default_db_path())
    db_path.parent.mkdir(parents=True, exist_ok=True)
    start = time.perf_counter()
    read_cells(content, file_name)  # refuse an unreadable file before any copying
    with _build_lock(db_path):
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
                areas, current, next_id = context(_runner(con))
                next_id = max([next_id] + [e.import_id + 1 for e in read_log(data_dir)])
                valid = validate(
                    content, file_name, load_rules(data_dir), areas, current, area,
                    now.date(),
                )  # fmt: skip
                changes = compare(valid, current)
                archive_file = str(ARCHIVE / f"{valid.sha256}{valid.extension}")
                entry = _entry(valid, changes, next_id, now, area, archive_file)
                con.execute("BEGIN TRANSACTION")
                apply(con, valid, changes, entry, areas)
                _archive(valid, data_dir)
                _append_log(entry, data_dir)  # the commit point: replayed on build
                con.execute(
                    "UPDATE build_info SET value = ? WHERE key = 'data_hash'",
                    [data_hash(data_dir)],
                )
                con.execute("COMMIT")
                con.execute("CHECKPOINT")
            finally:
                con.close()
            _fsync(tmp)
            _pause(tmp)
            os.replace(tmp, db_path)
            _fsync(db_path.parent)
        finally:
            tmp.unlink(missing_ok=True)
            Path(f"{tmp}.wal").unlink(missing_ok=True)
    return ImportResult("imported", entry, changes, time.perf_counter() - start)


def _pause(tmp: Path) -> None:
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
    area: str = DEFAULT_FOCUS,
) -> Preview:
    """Preview for the command line: bring the database up to date, then preview."""
    ensure_database(db_path, data_dir)
    return preview(content, file_name, db_path, data_dir, area)


# --- replay on build ------------------------------------------------------------------


def replay(con: duckdb.DuckDBPyConnection, data_dir: Path, report: list) -> None:
    """Load every logged return from the archive, in log order (part of the build)."""
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
                "archived return not in imports/log.csv (its import stopped before "
                "the log row was written); not loaded",
                0,
            )
        )
    if not entries:
        return
    rules = load_rules(data_dir)
    for i, entry in enumerate(entries):
        path = data_dir / entry.archive_file
        if not path.exists():
            raise DataError(LOG, i + 2, "archive_file", "the archived file is missing")
        content = path.read_bytes()
        if sha256(content) != entry.sha256:
            raise DataError(
                entry.archive_file,
                None,
                None,
                "differs from the file imported (SHA-256 mismatch); archived returns "
                "must never be edited",
            )
        areas, current, _ = context(_runner(con))
        try:
            valid = validate(
                content,
                entry.file_name,
                rules,
                areas,
                current,
                entry.default_area,
                entry.imported_at.date(),
            )
        except ReturnRejected as exc:
            first = exc.problems[0]
            raise DataError(
                entry.archive_file,
                first.row,
                first.column,
                f"import {entry.import_id} ({entry.file_name}) no longer passes the "
                f"return rules: {first.problem}",
            ) from exc
        changes = compare(valid, current)
        replayed = _entry(
            valid,
            changes,
            entry.import_id,
            entry.imported_at,
            entry.default_area,
            entry.archive_file,
        )
        if (replayed.rows_new, replayed.rows_revised, replayed.rows_unchanged) != (
            entry.rows_new,
            entry.rows_revised,
            entry.rows_unchanged,
        ):
            report.append(
                (
                    "warning",
                    str(LOG),
                    f"import {entry.import_id} replayed as {replayed.rows_new} new, "
                    f"{replayed.rows_revised} revised, {replayed.rows_unchanged} "
                    "unchanged, unlike its log row",
                    len(changes),
                )
            )
        apply(con, valid, changes, replayed, areas)
