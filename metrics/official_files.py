"""What each official file in data/raw must hold (metrics.sources declares it),
checked before the build reads it.

A file that is missing, empty, cut short, damaged, without a column the build reads,
or with text where the build needs a number or a date becomes a DataError that names
the file (and the row and column where there is one), so that a bad copy of a
published file is reported in plain words instead of a reader's traceback.
"""

from __future__ import annotations

import csv
import re
from pathlib import Path

import duckdb
import pandas as pd

from metrics.releases import Found, find
from metrics.sources import Expected
from metrics.storage import DataError

WHOLE_NUMBER = re.compile(r"-?\d+(\.0*)?")
DAMAGED = "it may be cut short or damaged"


def check_official_files(data_dir: Path) -> Found:
    """Find the release of each source the build uses and check each of its files;
    raise DataError on the first fault. Older releases are kept, not read."""
    found = find(data_dir)
    for release in found.chosen.values():
        for key, name in release.files:
            part = next(p for p in release.source.parts if p.key == key)
            check(part.expected, data_dir, name)
    return found


def check(expected: Expected, data_dir: Path, name: Path) -> None:
    """Check one official file (``name`` within the data folder); raise DataError
    naming it on the first fault."""
    path = data_dir / name
    if not path.is_file():
        raise DataError(name, None, None, "the file is missing")
    if path.stat().st_size == 0:
        raise DataError(name, None, None, "the file is empty")
    suffix = path.suffix.lower()
    if suffix == ".csv":
        _check_csv(path, expected, name)
    elif suffix == ".parquet":
        _check_parquet(path, expected, name)
    elif suffix in (".ods", ".xlsx", ".xls"):
        _check_spreadsheet(path, expected, name)


def _check_csv(path: Path, expected: Expected, name: Path) -> None:
    try:
        with open(path, encoding="utf-8-sig", newline="") as handle:
            reader = csv.reader(handle)
            header = [h.strip() for h in next(reader, [])]
            if not any(header):
                raise DataError(name, 1, None, "the header row is blank")
            _require(name, header, expected.columns, 1)
            typed = [(c, header.index(c)) for c in expected.whole_numbers]
            line = reader.line_num
            for record in reader:
                start, line = line + 1, reader.line_num
                if not any(cell.strip() for cell in record):
                    continue
                if len(record) != len(header):
                    raise DataError(
                        name,
                        start,
                        None,
                        f"has {len(record)} fields where the header has "
                        f"{len(header)} ({DAMAGED})",
                    )
                for column, i in typed:
                    _whole_number(record[i], name, start, column)
    except UnicodeDecodeError as exc:
        raise DataError(name, None, None, f"is not UTF-8 text ({DAMAGED})") from exc
    except csv.Error as exc:
        raise DataError(name, None, None, f"is not valid CSV ({exc})") from exc


def _check_parquet(path: Path, expected: Expected, name: Path) -> None:
    try:
        with duckdb.connect() as con:
            schema = con.execute(
                "DESCRIBE SELECT * FROM read_parquet(?)", [str(path)]
            ).fetchall()
    except duckdb.Error as exc:
        raise DataError(
            name, None, None, f"is not a complete Parquet file ({DAMAGED})"
        ) from exc
    types = {column: kind for column, kind, *_ in schema}
    _require(name, list(types), expected.text + expected.numbers, None)
    for column in expected.text:
        if types[column] != "VARCHAR":
            raise DataError(
                name, None, column, f"holds {types[column]} where text is expected"
            )
    for column in expected.numbers:
        if not _numeric(types[column]):
            raise DataError(
                name, None, column, f"holds {types[column]} where numbers are expected"
            )


def _numeric(kind: str) -> bool:
    return kind in {"DOUBLE", "FLOAT", "BIGINT", "INTEGER", "SMALLINT", "TINYINT",
                    "HUGEINT", "UBIGINT", "UINTEGER", "USMALLINT", "UTINYINT"} or (
        kind.startswith("DECIMAL")
    )  # fmt: skip


def _check_spreadsheet(path: Path, expected: Expected, name: Path) -> None:
    sheets = [s for s, _ in expected.sheets] or [0]
    try:
        frames = pd.read_excel(
            path,
            engine="calamine",
            sheet_name=sheets,
            header=expected.header_row - 1,
        )
    except ValueError as exc:
        missing = [s for s in sheets if isinstance(s, str) and f"'{s}'" in str(exc)]
        if missing:
            raise DataError(name, None, None, f"has no sheet '{missing[0]}'") from exc
        raise DataError(
            name, None, None, f"is not a complete spreadsheet ({DAMAGED})"
        ) from exc
    except Exception as exc:  # the reader raises several kinds on a damaged file
        raise DataError(
            name, None, None, f"is not a complete spreadsheet ({DAMAGED})"
        ) from exc
    wanted = dict(expected.sheets) or {0: expected.columns}
    for sheet, frame in frames.items():
        # The sheet is named in the problem so that DataError.file stays a path.
        within = "" if sheet == 0 else f" (sheet {sheet})"
        header = [str(c).strip() for c in frame.columns]
        _require(name, header, wanted[sheet], expected.header_row, within)
        first = expected.header_row + 1
        for column in expected.whole_numbers:
            for i, value in enumerate(frame[column]):
                if not pd.isna(value):
                    _whole_number(str(value), name, first + i, column, within)
        for column in (c for c in expected.dates if c in frame.columns):
            values = frame[column]
            if pd.api.types.is_datetime64_any_dtype(values):
                continue
            for i, value in enumerate(values):
                if not (pd.isna(value) or _is_date(value)):
                    raise DataError(
                        name, first + i, column, f"{value!r} is not a date{within}"
                    )


def _is_date(value: object) -> bool:
    return not pd.isna(pd.to_datetime(value, errors="coerce"))


def _require(
    name: Path,
    header: list[str],
    columns: tuple[str, ...],
    row: int | None,
    within: str = "",
) -> None:
    missing = [c for c in columns if c not in header]
    if missing:
        raise DataError(
            name,
            row,
            missing[0],
            f"column is missing{within}: the build reads it (was it renamed?)",
        )


def _whole_number(
    text: str, name: Path, row: int, column: str, within: str = ""
) -> None:
    text = text.strip()
    if text and not WHOLE_NUMBER.fullmatch(text):
        raise DataError(name, row, column, f"{text!r} is not a whole number{within}")
