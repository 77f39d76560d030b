"""An uploaded CSV or XLSX file (a monthly return or a targets file) read as cells.

The rules here hold for every upload: the file's type, size and encoding, one header
row, no formulas, no markup. Each format adds its own rules (metrics.returns,
metrics.plan). A broken rule is a FileProblem naming file, row, column, the rule and
how to fix it; a rejected file raises FileRejected with every problem found.
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

MAX_BYTES = 1_048_576  # 1 MB: a month's return or a plan is a few kilobytes
MAX_ROWS = 5_000
EXTENSIONS = (".csv", ".xlsx")
NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")
ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
# A cell a spreadsheet would run as a formula (OWASP "CSV injection").
FORMULA = re.compile(r"^\s*[=+\-@]|^[\t\r]")
MARKUP = re.compile(
    r"<\s*/?\s*[a-z!?]|javascript\s*:|vbscript\s*:|&#?\w+;", re.IGNORECASE
)
# Column names that suggest records about individual children.
CHILD_LEVEL = re.compile(
    r"name|birth|dob|\bid\b|_id\b|\bid_|nhs|upn|child|pupil|person|address|postcode|"
    r"ethnic|gender|\bsex\b|case_?(?:ref|no|number)|reference|identifier",
    re.IGNORECASE,
)

Rules = Mapping[str, tuple[str, str]]  # rule -> (what it says, how to fix a breach)

# Rules of the file as a whole, first in precedence.
FILE_RULES: dict[str, tuple[str, str]] = {
    "file_type": (
        "only .csv and .xlsx files are accepted",
        "save the file as CSV UTF-8 or as an Excel workbook (.xlsx), e.g. from the "
        "template",
    ),
    "file_too_large": (
        f"a file may be at most {MAX_BYTES:,} bytes (1 MB)",
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
        f"a file may hold at most {MAX_ROWS:,} rows",
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
# Rules of any text cell; each format places them in its own order of precedence.
CELL_RULES: dict[str, tuple[str, str]] = {
    "formula": (
        "cells may not start with = + - or @ because a spreadsheet would run them "
        "as formulas",
        "type the value itself (paste values, not formulas); start text with a "
        "letter or a number",
    ),
    "markup": (
        "text may not contain HTML or script",
        "write plain text, without angle-bracket tags, entities or 'javascript:'",
    ),
}


class FileProblem(DataError):
    """One broken rule in an upload: file, row, column, the rule and how to fix it."""

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


@dataclass
class ValidFile:
    """An upload that passed every rule of its format, with its rows typed."""

    file_name: str
    extension: str
    content: bytes
    rows: pd.DataFrame  # the format's columns, typed, with the sheet row of each

    @property
    def sha256(self) -> str:
        """SHA-256 of the file's bytes, which names it in the archive."""
        return sha256(self.content)


class FileRejected(ValueError):
    """An upload that broke one or more rules; nothing of it is loaded."""

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


def clean_file_name(name: str) -> str:
    """The uploaded file's base name, safe to log, show and put in a CSV."""
    base = re.split(r"[\\/]", name or "")[-1]
    base = re.sub(r"[^A-Za-z0-9 ._()\-]", "_", base).strip(" .")
    base = base.lstrip("=+-@_ ") or "upload"
    return base[:120]


def reject(
    file: str,
    row: int | None,
    column: str | None,
    rule: str,
    detail: str,
    rules: Rules = FILE_RULES,
) -> FileRejected:
    """A rejection for one broken rule."""
    return FileRejected([FileProblem(file, row, column, rule, detail, rules)])


def too_large(file_name: str, size: int) -> FileRejected:
    """The rejection of a file over the size limit."""
    return reject(
        clean_file_name(file_name),
        None,
        None,
        "file_too_large",
        f"the file is {size:,} bytes",
    )


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


def _csv_records(content: bytes, file: str) -> list[list[str]]:
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        row = content[: exc.start].count(b"\n") + 1
        start = content.rfind(b"\n", 0, exc.start) + 1
        before = content[start : exc.start].decode("utf-8", "replace")
        index = len(next(csv.reader([before]), [""])) - 1 if before else 0
        first = content.split(b"\n", 1)[0].decode("utf-8", "replace").lstrip("\ufeff")
        header = [h.strip().lower() for h in next(csv.reader([first]), [])]
        column = header[index] if row > 1 and 0 <= index < len(header) else None
        raise reject(
            file,
            row,
            column,
            "not_utf8",
            f"byte 0x{content[exc.start]:02X} is not UTF-8 text",
        ) from exc
    try:
        return list(csv.reader(io.StringIO(text, newline="")))
    except csv.Error as exc:
        raise reject(file, None, None, "unreadable", f"not valid CSV ({exc})") from exc


def _xlsx_records(content: bytes, file: str) -> list[list[str]]:
    from openpyxl import load_workbook

    try:
        # data_only=False: a formula cell reads as its formula, so it can be refused.
        book = load_workbook(io.BytesIO(content), read_only=True, data_only=False)
    except Exception as exc:  # openpyxl raises many kinds for a damaged file
        raise reject(
            file, None, None, "unreadable", "not a readable Excel workbook (.xlsx)"
        ) from exc
    try:
        sheet = book.worksheets[0]
        return [
            [_cell_text(v) for v in values]
            for values in sheet.iter_rows(min_row=1, values_only=True)
        ]
    finally:
        book.close()


def read_cells(content: bytes, file_name: str) -> pd.DataFrame:
    """An upload's cells as text, indexed by spreadsheet row (the header is row 1)."""
    file = clean_file_name(file_name)
    extension = Path(file).suffix.lower()
    if extension not in EXTENSIONS:
        raise reject(file, None, None, "file_type", f"'{extension or 'no'}' extension")
    if len(content) > MAX_BYTES:
        raise too_large(file, len(content))
    if not content.strip():
        raise reject(file, None, None, "empty_file", "the file is empty")
    records = (
        _csv_records(content, file)
        if extension == ".csv"
        else _xlsx_records(content, file)
    )
    filled = [i for i, r in enumerate(records) if any(c.strip() for c in r)]
    if not filled:
        raise reject(file, None, None, "empty_file", "the file has no cells filled in")
    if filled[0] != 0:
        raise reject(
            file, 1, None, "header_row", f"row 1 is blank; row {filled[0] + 1} is not"
        )
    header = [h.strip().lower() for h in records[0]]
    width = len(header)
    rows: list[tuple[int, list[str]]] = []
    for i in filled[1:]:
        record = records[i] + [""] * (width - len(records[i]))
        if any(c.strip() for c in record[width:]):
            raise reject(
                file,
                i + 1,
                None,
                "ragged_row",
                f"the row has {len(record)} cells; the header has {width} columns",
            )
        rows.append((i + 1, record[:width]))
    if not rows:
        raise reject(
            file, 2, None, "empty_file", "the file has a header but no figures"
        )
    if len(rows) > MAX_ROWS:
        raise reject(file, None, None, "too_many_rows", f"it has {len(rows):,} rows")
    keep = []
    for j, name in enumerate(header):
        if name:
            keep.append(j)
        elif any(record[j].strip() for _, record in rows):
            raise reject(
                file,
                1,
                None,
                "header_row",
                f"column {j + 1} has values but no name in row 1",
            )
    names = [header[j] for j in keep]
    repeated = sorted({n for n in names if names.count(n) > 1})
    if repeated:
        raise reject(
            file, 1, repeated[0], "header_row", "the column name appears twice"
        )
    return pd.DataFrame(
        [[record[j] for j in keep] for _, record in rows],
        index=pd.Index([row for row, _ in rows], name="row"),
        columns=names,
        dtype=object,
    )


def show(text: object, limit: int = 40) -> str:
    """A cell's text quoted for a message, cut to ``limit`` characters."""
    text = str(text)
    return repr(text if len(text) <= limit else text[: limit - 1] + "…")
