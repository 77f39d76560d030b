"""The record of accepted uploads: data/imports/log.csv, one row per file in load
order, and the archive that keeps each file unchanged, named by its SHA-256.

The log row is the commit point of an import: every build replays the logged files
from the archive in log order (metrics.revisions.replay).
"""

from __future__ import annotations

import csv
import datetime as dt
import getpass
import io
import os
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

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
    "loaded_by",
]
# Columns added after the first logs were written: a log without them still reads
# (the value is blank), and the next import adds them to its header. Columns after
# these that this version does not know are read past, not refused.
OPTIONAL_COLUMNS = ("loaded_by",)
REQUIRED_COLUMNS = [c for c in LOG_COLUMNS if c not in OPTIONAL_COLUMNS]


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
    loaded_by: str = ""  # the signed-in email, or the OS user of the command line

    @property
    def source_id(self) -> str:
        """The sources row that cites this return."""
        return f"monthly_return_{self.sha256[:12]}"

    def record(self) -> dict[str, str]:
        """The entry as log.csv cells, by column."""
        return {
            "import_id": str(self.import_id),
            "imported_at": self.imported_at.isoformat(timespec="seconds") + "Z",
            "file_name": self.file_name,
            "sha256": self.sha256,
            "archive_file": self.archive_file,
            "default_area": self.default_area,
            "rows_new": str(self.rows_new),
            "rows_revised": str(self.rows_revised),
            "rows_unchanged": str(self.rows_unchanged),
            "loaded_by": self.loaded_by,
        }


def os_user() -> str:
    """Who runs this process, as the operating system knows them."""
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # a container's user without a passwd entry
        return f"uid {os.getuid()}"


def _header(path: Path) -> list[str]:
    with open(path, encoding="utf-8", newline="") as handle:
        return [h.strip() for h in next(csv.reader(handle), [])]


def _text(value: object) -> str:
    """An optional cell as text: blank when absent (None, or pandas' missing mark)."""
    return "" if value is None or pd.isna(value) else str(value)


def read_log(data_dir: Path = DATA_DIR) -> list[LogEntry]:
    """Every logged import, in log order (empty when nothing has been imported)."""
    path = data_dir / LOG
    if not path.exists():
        return []
    # The required columns must be there; optional ones, and columns this version
    # does not know, are read when present and may be blank.
    spec = {c: ("str", True) for c in REQUIRED_COLUMNS}
    spec.update({c: ("str", False) for c in _header(path) if c not in spec})
    frame = read_curated(path, spec, data_dir)
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
                    loaded_by=_text(getattr(r, "loaded_by", None)),
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
    """Add one row to log.csv; earlier rows keep their values.

    A log written before a column was added gains it in its header, and its earlier
    rows a blank cell for it; otherwise earlier rows are kept byte for byte.
    """
    path = data_dir / LOG
    read_log(data_dir)  # refuse to add to a log that does not read
    old = path.read_bytes() if path.exists() else b""
    header = _header(path) if old else []
    columns = header + [c for c in LOG_COLUMNS if c not in header]
    if old and columns != header:
        old = _with_columns(old, columns)
    elif not old:
        old = (",".join(LOG_COLUMNS) + "\n").encode()
    elif not old.endswith(b"\n"):
        old += b"\n"
    record = entry.record()
    line = io.StringIO()
    csv.writer(line, lineterminator="\n").writerow([record.get(c, "") for c in columns])
    write_atomically(path, old + line.getvalue().encode("utf-8"))


def _with_columns(content: bytes, columns: list[str]) -> bytes:
    """A log's content with a new header, earlier rows padded with blank cells."""
    rows = list(csv.reader(io.StringIO(content.decode("utf-8"))))
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(columns)
    for row in rows[1:]:
        if any(cell.strip() for cell in row):
            writer.writerow(row + [""] * (len(columns) - len(row)))
    return out.getvalue().encode("utf-8")
