"""Storage helpers every writer shares: data errors, curated CSVs, inserts, the build
lock and whole-or-nothing file writes."""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
import fcntl
import hashlib
import os
import re
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pandas as pd

from metrics.config import DATA_DIR

IDENTIFIER = re.compile(r"[a-z_][a-z0-9_]*")

Spec = dict[str, tuple[str, bool]]  # column -> (kind, required)


class DataError(ValueError):
    """A data file that cannot be loaded; the message names file, row and column."""

    def __init__(
        self, file: str | Path, row: int | None, column: str | None, problem: str
    ):
        where = str(file)
        if row is not None:
            where += f", row {row}"
        if column is not None:
            where += f", column '{column}'"
        super().__init__(f"{where}: {problem}")
        self.file, self.row, self.column, self.problem = str(file), row, column, problem


def sha256(content: bytes) -> str:
    """Hex SHA-256 of some bytes."""
    return hashlib.sha256(content).hexdigest()


# --- curated CSV files -------------------------------------------------------------


def _records(path: Path, name: Path) -> tuple[list[str], list[tuple[int, list[str]]]]:
    """The header and each record with the file line it starts on; blank lines skipped."""
    try:
        with open(path, encoding="utf-8", newline="") as handle:
            reader = csv.reader(handle)
            header = next(reader, None)
            if header is None:
                raise DataError(name, None, None, "the file is empty")
            records, line = [], reader.line_num
            for record in reader:
                start, line = line + 1, reader.line_num
                if any(cell.strip() for cell in record):
                    records.append((start, record))
    except FileNotFoundError as exc:
        raise DataError(name, None, None, "the file is missing") from exc
    except UnicodeDecodeError as exc:
        raise DataError(
            name, None, None, f"cannot be read as UTF-8 text ({exc})"
        ) from exc
    except csv.Error as exc:
        raise DataError(name, None, None, f"is not valid CSV ({exc})") from exc
    return [h.strip() for h in header], records


def read_curated(
    path: Path, spec: Spec, data_dir: Path = DATA_DIR, key: tuple[str, ...] = ()
) -> pd.DataFrame:
    """Read a hand-curated CSV, checking each cell; raise DataError on the first fault.

    ``frame.attrs["lines"]`` holds the file line each row starts on, so that later
    checks can name it.
    """
    name = path.relative_to(data_dir) if path.is_relative_to(data_dir) else path
    header, records = _records(path, name)
    missing = [c for c in spec if c not in header]
    if missing:
        raise DataError(name, 1, missing[0], "column is missing from the header")
    extra = [c for c in header if c not in spec]
    if extra:
        raise DataError(name, 1, extra[0], "column is not part of this file's format")
    position = {c: header.index(c) for c in spec}
    out: dict[str, list[object]] = {c: [] for c in spec}
    seen: dict[tuple[object, ...], int] = {}
    for line, record in records:
        if len(record) != len(header):
            raise DataError(
                name,
                line,
                None,
                f"has {len(record)} fields where the header has {len(header)}; "
                "check for a stray comma or an unquoted comma in a value",
            )
        for column, (kind, required) in spec.items():
            text = record[position[column]].strip()
            if not text:
                if required:
                    raise DataError(name, line, column, "a value is required")
                out[column].append(None)
            else:
                out[column].append(_convert(text, kind, name, line, column))
        if key:
            values = tuple(out[c][-1] for c in key)
            if values in seen:
                raise DataError(
                    name,
                    line,
                    key[0],
                    f"repeats the key {values!r} already given on row {seen[values]}",
                )
            seen[values] = line
    frame = pd.DataFrame(out, columns=list(spec))
    frame.attrs["lines"] = [line for line, _ in records]
    return frame


def _convert(text: str, kind: str, name: Path, row: int, column: str) -> object:
    try:
        if kind == "str":
            return text
        if kind == "date":
            return dt.date.fromisoformat(text)
        if kind == "float":
            return float(text)
        if kind == "bool":
            if text.lower() not in ("true", "false"):
                raise ValueError("expected true or false")
            return text.lower() == "true"
    except ValueError as exc:
        raise DataError(
            name, row, column, f"{text!r} is not a valid {kind} ({exc})"
        ) from exc
    raise AssertionError(f"unknown kind {kind}")


# --- the database ------------------------------------------------------------------


def insert(con: duckdb.DuckDBPyConnection, table: str, frame: pd.DataFrame) -> None:
    """Insert a frame's rows into a table by column name."""
    # Table names come from this package only; column names may come from a file's
    # header, so both must be plain identifiers; values travel as a registered frame.
    for name in (table, *frame.columns):
        if not isinstance(name, str) or not IDENTIFIER.fullmatch(name):
            raise ValueError(f"not a plain column or table name: {name!r}")
    con.register("incoming", frame)
    try:
        columns = ", ".join(f'"{c}"' for c in frame.columns)
        con.execute(f"INSERT INTO {table} ({columns}) SELECT {columns} FROM incoming")
    finally:
        con.unregister("incoming")


@contextlib.contextmanager
def build_lock(db_path: Path) -> Iterator[None]:
    """Hold the lock that keeps builds and imports from swapping files at once."""
    lock_path = db_path.with_name(db_path.name + ".lock")
    db_path.parent.mkdir(parents=True, exist_ok=True)
    with open(lock_path, "w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


# --- whole-or-nothing files --------------------------------------------------------


def fsync(path: Path) -> None:
    """Flush a file's (or a folder's) contents to disk."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def swap_in(new: Path, live: Path) -> None:
    """Replace ``live`` by the finished file ``new`` in one step, durably."""
    fsync(new)
    os.replace(new, live)
    fsync(live.parent)


def write_atomically(path: Path, content: bytes, mode: int = 0o644) -> None:
    """Write a file whole or not at all: temp file, fsync, rename, fsync the folder."""
    path.parent.mkdir(parents=True, exist_ok=True)
    # A leading dot keeps a half-written temp file out of the build's inputs.
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
    fsync(path.parent)


def remove_partial(path: Path) -> None:
    """Remove an unfinished database file and its write-ahead log, if any."""
    path.unlink(missing_ok=True)
    Path(f"{path}.wal").unlink(missing_ok=True)
