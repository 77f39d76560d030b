"""Reading a file from outside safely: its type, size and encoding, its cells as text
and its header row. Every file taken from a person (a monthly return, a targets file)
is read here, and so may an official release's spreadsheet be: what makes a file
safe to read has this one home.

A broken rule is a FileProblem naming file, row, column, the rule and how to fix it;
a rejected file raises FileRejected with every problem found.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
import warnings
import zipfile
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from metrics.loading import workbooks
from metrics.storage import DataError, sha256


@dataclass(frozen=True)
class Limits:
    """What a file read here may be: its extensions, its size, its rows and columns,
    and (an .xlsx) how large its parts may unpack."""

    extensions: tuple[str, ...]
    max_bytes: int
    max_rows: int
    max_columns: int = 100
    max_part: int = 16 * 1_048_576  # bytes an .xlsx part may unpack to
    max_unpacked: int = 32 * 1_048_576  # bytes all its parts may unpack to
    max_parts: int = 500

    @property
    def last_row(self) -> int:
        """The last row read: the rows allowed, as many blank rows, and the header.
        Reading stops there, whatever the file says of its size."""
        return 2 * self.max_rows + 1


# A month's return or a plan is a few kilobytes.
UPLOADS = Limits((".csv", ".xlsx"), max_bytes=1_048_576, max_rows=5_000)
MAX_BYTES = UPLOADS.max_bytes
# C0 control characters but tab, newline and carriage return, which CSV and Excel
# cells may hold; the others break the workbooks, documents and PDFs made from them.
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
PASTED_BREAKS = {"\x0b": "a line break pasted from Word or PowerPoint",
                 "\x0c": "a page break pasted from Word"}  # fmt: skip

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
        "split the file into smaller files, and delete any rows below the figures "
        "(select them, right-click, Delete) before saving",
    ),
    "too_many_columns": (
        f"a file may have at most {UPLOADS.max_columns:,} columns",
        "delete the columns after the last one the template has (select them, "
        "right-click, Delete), then save the file again",
    ),
    "unpacks_too_large": (
        f"an .xlsx file's parts may unpack to at most "
        f"{UPLOADS.max_part / 1_048_576:g} MB each and "
        f"{UPLOADS.max_unpacked / 1_048_576:g} MB in all",
        "copy the figures alone into a new workbook (no other sheets, images or "
        "formatting) or save them as CSV UTF-8",
    ),
    "bad_date_cell": (
        "a date cell must hold a date from 1900 to 9999",
        "type the date as YYYY-MM-DD, e.g. 2027-03-31",
    ),
    "control_character": (
        "cells may not hold control characters (other than tab and line breaks)",
        "retype the cell's text, or replace the pasted line break with an ordinary "
        "one (Alt+Enter in Excel) or a space",
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


def _not_utf8(body: bytes, file: str, exc: UnicodeDecodeError) -> FileRejected:
    """The rejection of a CSV file that is not UTF-8, at the row and column of the
    first byte that is not (``body``: the file after any byte-order mark, the bytes
    the error's offset counts)."""
    row = body[: exc.start].count(b"\n") + 1
    start = body.rfind(b"\n", 0, exc.start) + 1
    before = body[start : exc.start].decode("utf-8", "replace")
    index = len(next(csv.reader([before]), [""])) - 1 if before else 0
    first = body.split(b"\n", 1)[0].decode("utf-8", "replace")
    header = [h.strip().lower() for h in next(csv.reader([first]), [])]
    column = header[index] if row > 1 and 0 <= index < len(header) else None
    detail = f"byte 0x{body[exc.start]:02X} is not UTF-8 text"
    return reject(file, row, column, "not_utf8", detail)


def _bounded(
    records: Iterable[list[str]],
    file: str,
    limits: Limits,
    out: list[list[str]] | None = None,
) -> list[list[str]]:
    """Rows read one at a time (into ``out``) and refused at the first that is too
    wide or past the last row read: a file never gets to say how much is read."""
    out = [] if out is None else out
    for i, record in enumerate(records):
        if i >= limits.last_row:
            detail = f"the file goes on past row {limits.last_row:,}"
            raise reject(file, i + 1, None, "too_many_rows", detail)
        if len(record) > limits.max_columns:
            detail = f"the row has {len(record):,} columns"
            raise reject(file, i + 1, None, "too_many_columns", detail)
        out.append(record)
    return out


def _csv_records(content: bytes, file: str, limits: Limits) -> list[list[str]]:
    body = content.removeprefix(codecs.BOM_UTF8)
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise _not_utf8(body, file, exc) from exc
    try:
        return _bounded(csv.reader(io.StringIO(text, newline="")), file, limits)
    except csv.Error as exc:
        raise reject(file, None, None, "unreadable", f"not valid CSV ({exc})") from exc


def _check_parts(content: bytes, file: str, limits: Limits) -> None:
    """Refuse a workbook whose parts would unpack too large, before unpacking any."""
    try:
        detail = workbooks.oversized(
            content, limits.max_parts, limits.max_part, limits.max_unpacked
        )
    except (zipfile.BadZipFile, ValueError) as exc:
        raise reject(
            file, None, None, "unreadable", "not a readable Excel workbook (.xlsx)"
        ) from exc
    if detail:
        raise reject(file, None, None, "unpacks_too_large", detail)


def _sheet_rows(found, counted: list[int]) -> Iterator[list[str]]:
    """A read-only sheet's rows as text, counting them as they come (so a cell that
    cannot be read is placed in its row)."""
    for values in found.iter_rows(min_row=1, values_only=True):
        counted[0] += 1
        yield [workbooks.cell_text(v) for v in values]


def _unreadable_cell(
    content: bytes, file: str, found, row: int, header: list[str]
) -> FileRejected:
    """The rejection of a sheet whose row ``row`` has a cell that cannot be read."""
    from openpyxl.utils import column_index_from_string

    bad = workbooks.bad_date_cell(content, found._worksheet_path, row)
    if bad is None:
        detail = "a cell of the row cannot be read"
        return reject(file, row, None, "unreadable", detail)
    letters, text = bad
    index = column_index_from_string(letters) - 1
    column = header[index] if row > 1 and index < len(header) else letters
    detail = f"the cell holds a date Excel cannot show ({text[:20]!r})"
    return reject(file, row, column or letters, "bad_date_cell", detail)


def _xlsx_records(
    content: bytes, file: str, sheet: str | None, limits: Limits
) -> list[list[str]]:
    """A workbook's sheet (the first unless named) as rows of text."""
    from openpyxl import load_workbook

    _check_parts(content, file, limits)
    with warnings.catch_warnings():
        # openpyxl warns (naming its own files) of a date serial Excel cannot show;
        # the cell reads as '#VALUE!', which the kind's rules refuse.
        warnings.simplefilter("ignore")
        try:
            # data_only=False: a formula cell reads as its formula, to be refused.
            book = load_workbook(io.BytesIO(content), read_only=True, data_only=False)
        except Exception as exc:  # openpyxl raises many kinds for a damaged file
            raise reject(
                file, None, None, "unreadable", "not a readable Excel workbook (.xlsx)"
            ) from exc
        try:
            if sheet is not None and sheet not in book.sheetnames:
                detail = f"no sheet named {sheet!r}"
                raise reject(file, None, None, "unreadable", detail)
            found = book[sheet] if sheet is not None else book.worksheets[0]
            # The sheet's declared size is ignored: rows are as long as their cells.
            found.reset_dimensions()
            counted, records = [0], []
            try:
                _bounded(_sheet_rows(found, counted), file, limits, records)
            except FileRejected:
                raise
            except Exception as exc:  # a cell openpyxl cannot turn into a value
                header = [h.strip().lower() for h in records[0]] if records else []
                raise _unreadable_cell(
                    content, file, found, counted[0] + 1, header
                ) from exc
            return records
        finally:
            book.close()


def _control_characters(cells: pd.DataFrame, file: str) -> None:
    """Refuse the first cell (or column name) holding a control character."""
    for j, name in enumerate(cells.columns):
        if CONTROL.search(str(name)):
            char = CONTROL.search(str(name)).group()
            detail = f"the column name holds the control character 0x{ord(char):02X}"
            raise reject(file, 1, None, "control_character", detail)
        column = cells.iloc[:, j].astype(str)
        hits = column[column.str.contains(CONTROL)]
        if not hits.empty:
            char = CONTROL.search(hits.iloc[0]).group()
            named = f"0x{ord(char):02X}"
            if char in PASTED_BREAKS:
                named += f" ({PASTED_BREAKS[char]})"
            detail = f"the cell holds the control character {named}"
            raise reject(file, int(hits.index[0]), name, "control_character", detail)


def read_records(
    content: bytes, file_name: str, limits: Limits = UPLOADS, sheet: str | None = None
) -> list[list[str]]:
    """A CSV file's or a workbook sheet's rows as text, after the checks of the file
    as a whole: its type, size, that it is not empty, its encoding, and (read a row
    at a time) its rows and columns."""
    file = clean_file_name(file_name)
    extension = Path(file).suffix.lower()
    if extension not in limits.extensions:
        raise reject(file, None, None, "file_type", f"'{extension or 'no'}' extension")
    if len(content) > limits.max_bytes:
        raise too_large(file, len(content))
    if not content.strip():
        raise reject(file, None, None, "empty_file", "the file is empty")
    if extension == ".csv":
        return _csv_records(content, file, limits)
    return _xlsx_records(content, file, sheet, limits)


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
    cells = pd.DataFrame(
        [[record[j] for j in keep] for _, record in rows],
        index=pd.Index([row for row, _ in rows], name="row"),
        columns=[header[j] for j in keep],
        dtype=object,
    )
    _control_characters(cells, file)
    return cells
