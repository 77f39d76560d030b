"""The record of accepted files: data/imports/log.csv, one row per file in load order,
and the archive that keeps each file unchanged, named by its SHA-256.

The log row is the commit point of a load: every build replays the logged files from
the archive in log order (metrics.loading.replay).

Each row is chained to the one before: previous_hash is the row before's row_hash,
and row_hash the SHA-256 of previous_hash and the row's own cells. Reading the log
checks the chain, so a row edited, removed, added or moved by hand stops the build
(the last good database keeps being served, under a banner saying so). A log written
before rows were chained (no row has a row_hash) still reads; the next load chains
every row, as it then stands.
"""

from __future__ import annotations

import csv
import datetime as dt
import getpass
import hashlib
import io
import json
import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import duckdb

from metrics.config import ARCHIVE, LOG
from metrics.formatting import safe_cell
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
OPTIONAL_COLUMNS = {
    "kind": "monthly return",
    "baselines": "",
    "loaded_by": "",
    "previous_hash": "",
    "row_hash": "",
}
LOG_COLUMNS = REQUIRED_COLUMNS + list(OPTIONAL_COLUMNS)
CHAIN = ("previous_hash", "row_hash")
HASHED = [c for c in LOG_COLUMNS if c not in CHAIN]  # what a row's hash covers


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
        """The sources row that cites this load: its kind, its file's SHA-256's start
        and its import id (one file may be loaded once for each area)."""
        return f"{self.kind.replace(' ', '_')}_{self.sha256[:12]}_{self.import_id}"

    def record(self) -> dict[str, str]:
        """The entry as log.csv cells, by column (the chain's cells apart), each a
        safe CSV cell: who loaded it cannot be a formula when the log is opened."""
        cells = {
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
        return {k: str(safe_cell(v)) for k, v in cells.items()}

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


def read_log(data_dir: Path) -> list[LogEntry]:
    """Every logged load, in log order (empty when nothing has been loaded)."""
    if not (data_dir / LOG).exists():
        return []
    rows = _log_rows(data_dir)[1]
    _check_chain(rows)
    entries = []
    for line, r in rows:
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


def logged(sha: str, area: str, data_dir: Path) -> LogEntry | None:
    """The earlier import of a file with this SHA-256 for this area (the one its rows
    without an area_code were given), if any: the same file may be loaded for
    another area."""
    return next(
        (e for e in read_log(data_dir) if e.sha256 == sha and e.default_area == area),
        None,
    )


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


def unarchive(relative: str, data_dir: Path) -> None:
    """Remove a file archived by a load that did not log it."""
    path = data_dir / relative
    if path.exists():
        path.chmod(0o644)
        path.unlink()


def os_user() -> str:
    """Who runs this process, as the operating system knows them."""
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # a container's user without a passwd entry
        return f"uid {os.getuid()}"


def row_hash(cells: Mapping[str, str], previous: str) -> str:
    """A log row's hash: SHA-256 of the row before's hash and the row's own cells."""
    text = json.dumps([previous, *(cells.get(c, "") for c in HASHED)])
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def chained(rows: list[tuple[int, dict[str, str]]]) -> bool:
    """Whether a log's rows are chained (a log written before has no row_hash)."""
    return any(cells.get("row_hash") for _, cells in rows)


def _check_chain(rows: list[tuple[int, dict[str, str]]]) -> None:
    """Refuse a log whose chain is broken, naming the first row that breaks it."""
    if not chained(rows):
        return
    previous, restore = "", "restore imports/log.csv from its backup"
    for line, cells in rows:
        if not cells.get("row_hash"):
            problem = "is blank, though the log's rows are chained"
        elif cells.get("previous_hash", "") != previous:
            problem = (
                "previous_hash is not the row_hash of the row before: a row was "
                "removed, added or moved by hand"
            )
        elif row_hash(cells, previous) != cells["row_hash"]:
            problem = "does not match the row's cells: the row was changed by hand"
        else:
            previous = cells["row_hash"]
            continue
        raise DataError(LOG, line, "row_hash", f"{problem}; {restore}")


def log_is_chained(data_dir: Path) -> bool:
    """Whether the data folder's log has its rows chained (True when there is none)."""
    if not (data_dir / LOG).exists():
        return True
    return chained(_log_rows(data_dir)[1])


def append_log(entry: LogEntry, data_dir: Path) -> None:
    """Add one row to log.csv, chained to the row before; earlier rows keep their
    values.

    A log written before a column was added gains it in its header, and its earlier
    rows a blank cell for it; one written before rows were chained is chained whole,
    as it stands; otherwise earlier rows are kept byte for byte.
    """
    path = data_dir / LOG
    read_log(data_dir)  # refuse to add to a log that does not read or is broken
    old = path.read_bytes() if path.exists() else b""
    header, rows = _log_rows(data_dir) if old else ([], [])
    columns = header + [c for c in LOG_COLUMNS if c not in header]
    if rows and not chained(rows):
        old = _chain_all(rows, columns)
    elif old and columns != header:
        old = _with_columns(old, columns)
    elif not old:
        old = (",".join(LOG_COLUMNS) + "\n").encode()
    elif not old.endswith(b"\n"):
        old += b"\n"
    previous = _last_hash(old)
    record = entry.record()
    record.update(previous_hash=previous, row_hash=row_hash(record, previous))
    line = io.StringIO()
    csv.writer(line, lineterminator="\n").writerow([record.get(c, "") for c in columns])
    write_atomically(path, old + line.getvalue().encode("utf-8"))


def _last_hash(content: bytes) -> str:
    """The row_hash of a log's last row ("" for none)."""
    rows = list(csv.DictReader(io.StringIO(content.decode("utf-8"))))
    filled = [r for r in rows if any((v or "").strip() for v in r.values())]
    return (filled[-1].get("row_hash") or "") if filled else ""


def _chain_all(rows: list[tuple[int, dict[str, str]]], columns: list[str]) -> bytes:
    """A log written before rows were chained, every row chained in order."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(columns)
    previous = ""
    for _, cells in rows:
        cells = {**cells, "previous_hash": previous}
        cells["row_hash"] = previous = row_hash(cells, previous)
        writer.writerow([cells.get(c, "") for c in columns])
    return out.getvalue().encode("utf-8")


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
