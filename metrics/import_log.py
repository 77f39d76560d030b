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

from metrics.config import ARCHIVE, DATA_DIR, LOG
from metrics.return_rules import ValidReturn
from metrics.storage import DataError, read_curated, sha256, write_atomically

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
                LOG, frame.attrs["lines"][i], None, f"is not a valid log row ({exc})"
            ) from exc
    return entries


def logged(sha: str, data_dir: Path = DATA_DIR) -> LogEntry | None:
    """The earlier import of a file with this SHA-256, if any."""
    return next((e for e in read_log(data_dir) if e.sha256 == sha), None)


def archive(valid: ValidReturn, data_dir: Path) -> str:
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
    if not old:
        old = (",".join(LOG_COLUMNS) + "\n").encode()
    elif not old.endswith(b"\n"):
        old += b"\n"
    line = io.StringIO()
    csv.writer(line, lineterminator="\n").writerow(entry.csv_row())
    write_atomically(path, old + line.getvalue().encode("utf-8"))
