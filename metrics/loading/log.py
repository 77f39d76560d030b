"""The record of accepted files: data/imports/log.csv, one row per file in load order,
and the archive that keeps each file unchanged, named by its SHA-256.

The log row is the commit point of a load: every build replays the logged files from
the archive in log order (metrics.loading.replay).
"""

from __future__ import annotations

import csv
import datetime as dt
import getpass
import io
import os
from dataclasses import dataclass
from pathlib import Path

import duckdb

from metrics.config import ARCHIVE, DATA_DIR, LOG
from metrics.storage import DataError, sha256, write_atomically

# The columns of log.csv. A log written before the later columns existed still
# reads: its rows take the defaults below, and the next load adds the columns to its
# header and a blank cell to its rows. Columns after these that this version does
# not know are read past and kept.
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
OPTIONAL_COLUMNS = {"kind": "monthly return", "baselines": "", "loaded_by": ""}
LOG_COLUMNS = REQUIRED_COLUMNS + list(OPTIONAL_COLUMNS)


@dataclass(frozen=True)
class Source:
    """The sources row that the figures or targets of a loaded file cite."""

    title: str  # "<title> <file name>"
    publisher: str
    kind: str
    licence: str


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
    kind: str = "monthly return"  # the load kind's name (metrics.loading.kinds)
    baselines: str = ""  # targets files: JSON of the baselines recorded on loading
    loaded_by: str = ""  # the signed-in email, or the OS user of the command line

    @property
    def source_id(self) -> str:
        """The sources row that cites this file: its kind and its SHA-256's start."""
        return f"{self.kind.replace(' ', '_')}_{self.sha256[:12]}"

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
            "kind": self.kind,
            "baselines": self.baselines,
            "loaded_by": self.loaded_by,
        }

    def insert(self, con: duckdb.DuckDBPyConnection, source: Source) -> None:
        """Write the entry's sources row (which its figures or targets cite) and its
        import_log row."""
        con.execute(
            "INSERT INTO sources (source_id, title, publisher, published, "
            "published_precision, kind, licence, reference) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            [
                self.source_id,
                f"{source.title} {self.file_name}",
                source.publisher,
                self.imported_at.date(),
                "day",
                source.kind,
                source.licence,
                f"data/{self.archive_file}; import {self.import_id} of "
                f"{self.imported_at:%Y-%m-%d %H:%M} UTC",
            ],
        )
        con.execute(
            "INSERT INTO import_log (import_id, imported_at, file_name, sha256, "
            "archive_file, default_area, source_id, rows_new, rows_revised, "
            "rows_unchanged, kind, loaded_by) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
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
                self.loaded_by or None,
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
                    loaded_by=r["loaded_by"],
                )
            )
        except (KeyError, ValueError) as exc:
            raise DataError(LOG, line, None, f"is not a valid log row ({exc})") from exc
    return entries


def logged(sha: str, data_dir: Path = DATA_DIR) -> LogEntry | None:
    """The earlier import of a file with this SHA-256, if any."""
    return next((e for e in read_log(data_dir) if e.sha256 == sha), None)


def archive_file(content: bytes, extension: str) -> str:
    """Where a file is archived, relative to the data folder: named by its SHA-256."""
    return str(ARCHIVE / f"{sha256(content)}{extension}")


def archive(content: bytes, extension: str, data_dir: Path) -> str:
    """Keep the file exactly as received, read-only, named by its SHA-256."""
    relative = archive_file(content, extension)
    path = data_dir / relative
    if not (path.exists() and sha256(path.read_bytes()) == sha256(content)):
        if path.exists():
            path.chmod(0o644)
        write_atomically(path, content, mode=0o444)
    return relative


def os_user() -> str:
    """Who runs this process, as the operating system knows them."""
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # a container's user without a passwd entry
        return f"uid {os.getuid()}"


def append_log(entry: LogEntry, data_dir: Path) -> None:
    """Add one row to log.csv; earlier rows keep their values.

    A log written before a column was added gains it in its header, and its earlier
    rows a blank cell for it; otherwise earlier rows are kept byte for byte.
    """
    path = data_dir / LOG
    read_log(data_dir)  # refuse to add to a log that does not read
    old = path.read_bytes() if path.exists() else b""
    header = _log_rows(data_dir)[0] if old else []
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
