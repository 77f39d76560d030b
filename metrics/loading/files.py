"""Reading a file from outside safely: its type, size and encoding, its cells as text
and its header row. Every file taken from a person (a monthly return, a targets file)
is read here, and so may an official release's spreadsheet be: what makes a file
safe to read has this one home.

A broken rule is a FileProblem naming file, row, column, the rule and how to fix it;
a rejected file raises FileRejected with every problem found.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from metrics.storage import DataError, sha256


@dataclass(frozen=True)
class Limits:
    """What a file read here may be: its extensions, its size and its rows."""

    extensions: tuple[str, ...]
    max_bytes: int
    max_rows: int


# A month's return or a plan is a few kilobytes.
UPLOADS = Limits((".csv", ".xlsx"), max_bytes=1_048_576, max_rows=5_000)
MAX_BYTES = UPLOADS.max_bytes

Rules = Mapping[str, tuple[str, str]]  # rule -> (what it says, how to fix a breach)

# Rules of the file as a whole, first in precedence.
FILE_RULES: dict[str, tuple[str, str]] = {
    "file_type": (
        "only .csv and .xlsx files are accepted",
        "save the file as CSV UTF-8 or as an Excel workbook (.xlsx), e.g. from the "
        "template",
    ),
    "file_too_large": (
        f"a file may be at most {UPLOADS.max_bytes:,} bytes "
        f"({UPLOADS.max_bytes / 1_048_576:g} MB)",
        "remove anything but the figures (extra sheets, formatting, images) or split "
        "the file into smaller files",
    ),
    "empty_file": (
        "a file must hold at least one row below its header",
        "put the column names in row 1 and one figure or checkpoint a row beneath "
        "them (start from the template)",
    ),
    "not_utf8": (
        "CSV files must be UTF-8 text",
        "in Excel use Save As > 'CSV UTF-8 (Comma delimited) (*.csv)', or upload the "
        ".xlsx workbook instead",
    ),
    "unreadable": (
        "the file must be a readable CSV file or Excel workbook",
        "open the file, check it holds the figures, and save it again as CSV UTF-8 "
        "or .xlsx",
    ),
    "too_many_rows": (
        f"a file may hold at most {UPLOADS.max_rows:,} rows",
        "split the file into smaller files",
    ),
    "header_row": (
        "the column names must be in row 1, one name per column",
        "put the column names from the template in row 1 and remove any title rows, "
        "unnamed or repeated columns",
    ),
    "ragged_row": (
        "a row may not have more cells than the header has columns",
        "remove the stray cells, or quote text that contains commas",
    ),
}


class FileProblem(DataError):
    """One broken rule in a file: file, row, column, the rule and how to fix it."""

    def __init__(
        self,
        file: str,
        row: int | None,
        column: str | None,
        rule: str,
        detail: str,
        rules: Rules = FILE_RULES,
    ):
        title, fix = rules[rule]
        super().__init__(file, row, column, f"{detail} (rule: {title}). To fix: {fix}")
        self.rule, self.title, self.detail, self.fix = rule, title, detail, fix


class FileRejected(ValueError):
    """A file that broke one or more rules; nothing of it is loaded."""

    def __init__(self, problems: list[FileProblem]):
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))

    def table(self) -> pd.DataFrame:
        """The problems as rows: row, column, rule, problem, how to fix."""
        return pd.DataFrame(
            [
                {
                    "row": p.row,
                    "column": p.column,
                    "rule": p.title,
                    "problem": p.detail,
                    "how to fix": p.fix,
                }
                for p in self.problems
            ],
            columns=["row", "column", "rule", "problem", "how to fix"],
        )


@dataclass
class ValidFile:
    """A file that passed every rule of its kind, with its rows typed."""

    file_name: str
    extension: str
    content: bytes
    rows: pd.DataFrame  # the kind's columns, typed, with the sheet row of each

    @property
    def sha256(self) -> str:
        """SHA-256 of the file's bytes, which names it in the archive."""
        return sha256(self.content)


def clean_file_name(name: str) -> str:
    """A file's base name, safe to log, show and put in a CSV."""
    base = re.split(r"[\\/]", name or "")[-1]
    base = re.sub(r"[^A-Za-z0-9 ._()\-]", "_", base).strip(" .")
    base = base.lstrip("=+-@_ ") or "upload"
    return base[:120]


def reject(*problem: object, rules: Rules = FILE_RULES) -> FileRejected:
    """A rejection for one broken rule: FileProblem's file, row, column, rule and
    detail."""
    return FileRejected([FileProblem(*problem, rules=rules)])


def too_large(file_name: str, size: int) -> FileRejected:
    """The rejection of a file over the size limit."""
    file = clean_file_name(file_name)
    return reject(file, None, None, "file_too_large", f"the file is {size:,} bytes")


def read_file(path: Path, limits: Limits = UPLOADS) -> bytes:
    """A file's bytes, refused unread when it is over the size limit (OSError when it
    cannot be read at all)."""
    size = path.stat().st_size
    if size > limits.max_bytes:
        raise too_large(path.name, size)
    with open(path, "rb") as handle:
        content = handle.read(limits.max_bytes + 1)
    if len(content) > limits.max_bytes:  # it grew while being read
        raise too_large(path.name, len(content))
    return content


# --- a file's cells as text ------------------------------------------------------


def _cell_text(value: object) -> str:
    """An XLSX cell as the text a CSV would hold (dates as YYYY-MM-DD)."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        if value.time() == dt.time(0, 0):
            return value.date().isoformat()
        return value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    return str(value)


def _not_utf8(content: bytes, file: str, exc: UnicodeDecodeError) -> FileRejected:
    """The rejection of a CSV file that is not UTF-8, at the row and column of the
    first byte that is not."""
    row = content[: exc.start].count(b"\n") + 1
    start = content.rfind(b"\n", 0, exc.start) + 1
    before = content[start : exc.start].decode("utf-8", "replace")
    index = len(next(csv.reader([before]), [""])) - 1 if before else 0
    first = content.split(b"\n", 1)[0].decode("utf-8", "replace").lstrip("\ufeff")
    header = [h.strip().lower() for h in next(csv.reader([first]), [])]
    column = header[index] if row > 1 and 0 <= index < len(header) else None
    detail = f"byte 0x{content[exc.start]:02X} is not UTF-8 text"
    return reject(file, row, column, "not_utf8", detail)


def _csv_records(content: bytes, file: str) -> list[list[str]]:
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise _not_utf8(content, file, exc) from exc
    try:
        return list(csv.reader(io.StringIO(text, newline="")))
    except csv.Error as exc:
        raise reject(file, None, None, "unreadable", f"not valid CSV ({exc})") from exc


def _xlsx_records(content: bytes, file: str, sheet: str | None) -> list[list[str]]:
    """A workbook's sheet (the first unless named) as rows of text."""
    from openpyxl import load_workbook

    try:
        # data_only=False: a formula cell reads as its formula, so it can be refused.
        book = load_workbook(io.BytesIO(content), read_only=True, data_only=False)
    except Exception as exc:  # openpyxl raises many kinds for a damaged file
        raise reject(
            file, None, None, "unreadable", "not a readable Excel workbook (.xlsx)"
        ) from exc
    try:
        if sheet is not None and sheet not in book.sheetnames:
            raise reject(file, None, None, "unreadable", f"no sheet named {sheet!r}")
        found = book[sheet] if sheet is not None else book.worksheets[0]
        return [
            [_cell_text(v) for v in values]
            for values in found.iter_rows(min_row=1, values_only=True)
        ]
    finally:
        book.close()


def read_records(
    content: bytes, file_name: str, limits: Limits = UPLOADS, sheet: str | None = None
) -> list[list[str]]:
    """A CSV file's or a workbook sheet's rows as text, after the checks of the file
    as a whole: its type, size, that it is not empty, and its encoding."""
    file = clean_file_name(file_name)
    extension = Path(file).suffix.lower()
    if extension not in limits.extensions:
        raise reject(file, None, None, "file_type", f"'{extension or 'no'}' extension")
    if len(content) > limits.max_bytes:
        raise too_large(file, len(content))
    if not content.strip():
        raise reject(file, None, None, "empty_file", "the file is empty")
    if extension == ".csv":
        return _csv_records(content, file)
    return _xlsx_records(content, file, sheet)


def _rows(
    records: list[list[str]], file: str, limits: Limits
) -> tuple[list[str], list[tuple[int, list[str]]]]:
    """The header of row 1 and each filled row below it (with its sheet row), cut to
    the header's width."""
    filled = [i for i, r in enumerate(records) if any(c.strip() for c in r)]
    if not filled:
        raise reject(file, None, None, "empty_file", "the file has no cells filled in")
    if filled[0] != 0:
        detail = f"row 1 is blank; row {filled[0] + 1} is not"
        raise reject(file, 1, None, "header_row", detail)
    header = [h.strip().lower() for h in records[0]]
    width = len(header)
    rows: list[tuple[int, list[str]]] = []
    for i in filled[1:]:
        record = records[i] + [""] * (width - len(records[i]))
        if any(c.strip() for c in record[width:]):
            detail = f"the row has {len(record)} cells; the header has {width} columns"
            raise reject(file, i + 1, None, "ragged_row", detail)
        rows.append((i + 1, record[:width]))
    if not rows:
        raise reject(
            file, 2, None, "empty_file", "the file has a header but no figures"
        )
    if len(rows) > limits.max_rows:
        raise reject(file, None, None, "too_many_rows", f"it has {len(rows):,} rows")
    return header, rows


def _named_columns(header: list[str], rows: list, file: str) -> list[int]:
    """The positions of the named columns; refused: values under no name, a name
    used twice."""
    keep = []
    for j, name in enumerate(header):
        if name:
            keep.append(j)
        elif any(record[j].strip() for _, record in rows):
            detail = f"column {j + 1} has values but no name in row 1"
            raise reject(file, 1, None, "header_row", detail)
    names = [header[j] for j in keep]
    repeated = sorted({n for n in names if names.count(n) > 1})
    if repeated:
        detail = "the column name appears twice"
        raise reject(file, 1, repeated[0], "header_row", detail)
    return keep


def read_cells(
    content: bytes, file_name: str, limits: Limits = UPLOADS
) -> pd.DataFrame:
    """A file's cells as text under its column names (row 1, lower case), indexed by
    spreadsheet row (the header is row 1)."""
    file = clean_file_name(file_name)
    header, rows = _rows(read_records(content, file_name, limits), file, limits)
    keep = _named_columns(header, rows, file)
    return pd.DataFrame(
        [[record[j] for j in keep] for _, record in rows],
        index=pd.Index([row for row, _ in rows], name="row"),
        columns=[header[j] for j in keep],
        dtype=object,
    )
