"""The record of accepted uploads: data/imports/log.csv, one row per file in load
order, and the archive that keeps each file unchanged, named by its SHA-256.

The log row is the commit point of an import: every build replays the logged files
from the archive in log order (metrics.revisions.replay).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass
from pathlib import Path

import duckdb

from metrics.config import ARCHIVE, DATA_DIR, LOG
from metrics.plan_rules import ValidPlan
from metrics.return_rules import ValidReturn
from metrics.storage import DataError, sha256, write_atomically

# The columns of log.csv. A log written before the later columns existed still
# reads: its rows take the defaults below, and the next load rewrites the header.
REQUIRED_COLUMNS = [
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
OPTIONAL_COLUMNS = {"kind": "monthly return", "baselines": ""}
LOG_COLUMNS = REQUIRED_COLUMNS + list(OPTIONAL_COLUMNS)
KINDS = ("monthly return", "targets")
SOURCE_PREFIX = {"monthly return": "monthly_return", "targets": "targets"}


@dataclass
class LogEntry:
    """One accepted file, as logged in data/imports/log.csv and import_log."""

    import_id: int
    imported_at: dt.datetime  # UTC, naive
    file_name: str
    sha256: str
    archive_file: str  # relative to the data folder
    default_area: str
    rows_new: int = 0
    rows_revised: int = 0
    rows_unchanged: int = 0
    kind: str = "monthly return"
    baselines: str = ""  # targets files: JSON of the baselines recorded on loading

    @property
    def source_id(self) -> str:
        """The sources row that cites this file."""
        return f"{SOURCE_PREFIX[self.kind]}_{self.sha256[:12]}"

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
            self.kind,
            self.baselines,
        ]

    def insert(self, con: duckdb.DuckDBPyConnection) -> None:
        """Write the entry's import_log row."""
        con.execute(
            "INSERT INTO import_log (import_id, imported_at, file_name, sha256, "
            "archive_file, default_area, source_id, rows_new, rows_revised, "
            "rows_unchanged, kind) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                self.import_id,
                self.imported_at,
                self.file_name,
                self.sha256,
                self.archive_file,
                self.default_area,
                self.source_id,
                self.rows_new,
                self.rows_revised,
                self.rows_unchanged,
                self.kind,
            ],
        )


def _log_rows(data_dir: Path) -> tuple[list[str], list[tuple[int, dict[str, str]]]]:
    """The log's header and each row (with its line) as column -> text."""
    path = data_dir / LOG
    try:
        with open(path, encoding="utf-8", newline="") as handle:
            reader = csv.reader(handle)
            header = [h.strip() for h in next(reader, [])]
            rows, line = [], reader.line_num
            for record in reader:
                start, line = line + 1, reader.line_num
                if any(c.strip() for c in record):
                    rows.append((start, record))
    except (UnicodeDecodeError, csv.Error) as exc:
        raise DataError(LOG, None, None, f"cannot be read as CSV ({exc})") from exc
    missing = [c for c in REQUIRED_COLUMNS if c not in header]
    if missing:
        raise DataError(LOG, 1, missing[0], "column is missing from the header")
    unknown = [c for c in header if c not in LOG_COLUMNS]
    if unknown:
        raise DataError(LOG, 1, unknown[0], "column is not part of the log's format")
    out = []
    for line, record in rows:
        if len(record) > len(header):
            raise DataError(LOG, line, None, "has more fields than the header")
        cells = dict(zip(header, record))
        for column, default in OPTIONAL_COLUMNS.items():
            cells[column] = cells.get(column) or default
        out.append((line, cells))
    return header, out


def read_log(data_dir: Path = DATA_DIR) -> list[LogEntry]:
    """Every logged load, in log order (empty when nothing has been loaded)."""
    if not (data_dir / LOG).exists():
        return []
    entries = []
    for line, r in _log_rows(data_dir)[1]:
        try:
            if r["kind"] not in KINDS:
                raise ValueError(f"kind {r['kind']!r} is not one of {KINDS}")
            entries.append(
                LogEntry(
                    import_id=int(r["import_id"]),
                    imported_at=dt.datetime.fromisoformat(
                        r["imported_at"].removesuffix("Z")
                    ),
                    file_name=r["file_name"],
                    sha256=r["sha256"],
                    archive_file=r["archive_file"],
                    default_area=r["default_area"],
                    rows_new=int(r["rows_new"]),
                    rows_revised=int(r["rows_revised"]),
                    rows_unchanged=int(r["rows_unchanged"]),
                    kind=r["kind"],
                    baselines=r["baselines"],
                )
            )
        except (KeyError, ValueError) as exc:
            raise DataError(LOG, line, None, f"is not a valid log row ({exc})") from exc
    return entries


def logged(sha: str, data_dir: Path = DATA_DIR) -> LogEntry | None:
    """The earlier import of a file with this SHA-256, if any."""
    return next((e for e in read_log(data_dir) if e.sha256 == sha), None)


def archive(valid: ValidReturn | ValidPlan, data_dir: Path) -> str:
    """Keep the file exactly as received, read-only, named by its SHA-256."""
    relative = ARCHIVE / f"{valid.sha256}{valid.extension}"
    path = data_dir / relative
    if not (path.exists() and sha256(path.read_bytes()) == valid.sha256):
        if path.exists():
            path.chmod(0o644)
        write_atomically(path, valid.content, mode=0o444)
    return str(relative)


def append_log(entry: LogEntry, data_dir: Path) -> None:
    """Add one row to log.csv; earlier rows are kept byte for byte."""
    path = data_dir / LOG
    read_log(data_dir)  # refuse to add to a log that does not read
    old = path.read_bytes() if path.exists() else b""
    header = (",".join(LOG_COLUMNS) + "\n").encode()
    if not old:
        old = header
    else:
        # A log of an earlier format gains the later columns in its header; its
        # rows are kept as they are and read with the defaults.
        first, _, rest = old.partition(b"\n")
        if first.decode("utf-8").strip().split(",") != LOG_COLUMNS:
            old = header + rest
        if not old.endswith(b"\n"):
            old += b"\n"
    line = io.StringIO()
    csv.writer(line, lineterminator="\n").writerow(entry.csv_row())
    write_atomically(path, old + line.getvalue().encode("utf-8"))
