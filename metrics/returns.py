"""The monthly return format: read a CSV or XLSX return and validate it with pandera.

A return has one row per figure: period_end, metric_id, service_area (optional),
value, note (optional) and, if wanted, area_code. docs/MONTHLY_RETURNS.md describes
the same rules for the people who fill it in. Which metric ids and service areas a
return may hold is data: data/curated/return_rules.csv and return_service_areas.csv.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import re
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from metrics.build import CURATED, DataError, read_curated
from metrics.config import DATA_DIR

MAX_BYTES = 1_048_576  # 1 MB: a month's return is a few kilobytes
MAX_ROWS = 5_000
NOTE_MAX = 500
EXTENSIONS = (".csv", ".xlsx")
TEMPLATE_COLUMNS = ["period_end", "metric_id", "service_area", "value", "note"]
REQUIRED = ["period_end", "metric_id", "value"]
OPTIONAL = ["service_area", "area_code", "note"]
COLUMN_ORDER = ["period_end", "metric_id", "service_area", "area_code", "value", "note"]
KEY = ["period_end", "metric_id", "service_area", "area_code"]
TEMPLATE_DIR = DATA_DIR / "templates"
TEMPLATE_STEM = "monthly_return_template"
VALUE_KINDS = {
    "count": "a whole number, 0 or more",
    "percent": "a percentage from 0 to 100",
    "average": "a number, 0 or more (decimals allowed)",
}

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

# Each rule: what it says (shown as "rule: …") and how to fix a breach. The order is
# the order of precedence when one cell breaks several.
RULES: dict[str, tuple[str, str]] = {
    "file_type": (
        "only .csv and .xlsx files are accepted",
        "save the return as CSV UTF-8 or as an Excel workbook (.xlsx), e.g. from the "
        "template",
    ),
    "file_too_large": (
        f"a return may be at most {MAX_BYTES:,} bytes (1 MB)",
        "remove anything but the figures (extra sheets, formatting, images) or split "
        "the return into smaller files",
    ),
    "empty_file": (
        "a return must hold at least one figure",
        "put the column names in row 1 and one figure a row beneath them (start from "
        "the template)",
    ),
    "not_utf8": (
        "CSV files must be UTF-8 text",
        "in Excel use Save As > 'CSV UTF-8 (Comma delimited) (*.csv)', or upload the "
        ".xlsx workbook instead",
    ),
    "unreadable": (
        "the file must be a readable CSV file or Excel workbook",
        "open the file, check it holds the return, and save it again as CSV UTF-8 or "
        ".xlsx",
    ),
    "too_many_rows": (
        f"a return may hold at most {MAX_ROWS:,} figures",
        "split the return into smaller files",
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
    "missing_column": (
        "columns period_end, metric_id and value are required",
        "add the missing column to row 1 (see the template)",
    ),
    "unknown_column": (
        "only the columns period_end, metric_id, service_area, area_code, value and "
        "note are accepted; returns hold aggregate figures and must never contain "
        "child-level data (names, dates of birth or identifiers)",
        "delete the column; if it holds details of individual children, delete the "
        "file too and tell your information governance lead",
    ),
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
    "required": (
        "period_end, metric_id and value must each have a value in every row",
        "fill in the cell, or delete the row if it is not a figure",
    ),
    "not_a_date": (
        "period_end must be a date written YYYY-MM-DD",
        "write the date as year-month-day, e.g. 2024-04-30 (or use a date cell in "
        "the .xlsx template)",
    ),
    "not_month_end": (
        "period_end must be the last day of a month",
        "give the last day of the month the figure is for, e.g. 2024-04-30",
    ),
    "future_date": (
        "period_end may not be in the future",
        "return only months that have ended; check the year",
    ),
    "unknown_metric": (
        "metric_id must be one of the monthly return metric ids",
        "use one of the ids listed in the template's Guidance sheet or "
        "docs/MONTHLY_RETURNS.md",
    ),
    "unknown_service_area": (
        "service_area must be blank or one of the service areas listed for returns",
        "use one of the service areas listed in the template's Guidance sheet, or "
        "leave it blank for the whole service",
    ),
    "unknown_area": (
        "area_code must be blank or the ONS code of an English local authority",
        "leave area_code blank to use the default area, or give an ONS code such as "
        "E08000017 (Doncaster)",
    ),
    "not_a_number": (
        "value must be a number",
        "write digits only, with a decimal point if needed: no thousands commas, "
        "units, % signs or words (e.g. 1234 or 85.5)",
    ),
    "negative": (
        "values may not be negative",
        "give the figure as 0 or more",
    ),
    "not_whole": (
        "counts must be whole numbers",
        "give the count as a whole number (no decimals)",
    ),
    "percent_range": (
        "percentages must be between 0 and 100",
        "give the percentage as a number from 0 to 100 (85.5 for 85.5%, not 0.855)",
    ),
    "service_area_required": (
        "this metric is reported by service area",
        "put the team in service_area (one row per team)",
    ),
    "note_too_long": (
        f"a note may be at most {NOTE_MAX} characters",
        "shorten the note",
    ),
    "not_above": (
        "assessments out of timescale cannot exceed those in progress (open) for the "
        "same period, service area and area",
        "check both figures: out of timescale counts only assessments that are also "
        "in progress",
    ),
    "duplicate_key": (
        "each period_end, metric_id, service_area and area_code may appear once",
        "keep one row per figure; to correct a figure already loaded, load a new "
        "return with the corrected value (it is kept as a revision)",
    ),
}
PRECEDENCE = {rule: i for i, rule in enumerate(RULES)}


class ReturnProblem(DataError):
    """One broken rule in a return: file, row, column, the rule and how to fix it."""

    def __init__(
        self, file: str, row: int | None, column: str | None, rule: str, detail: str
    ):
        title, fix = RULES[rule]
        super().__init__(file, row, column, f"{detail} (rule: {title}). To fix: {fix}")
        self.rule, self.detail, self.fix = rule, detail, fix


class ReturnRejected(ValueError):
    """A return that broke one or more rules; nothing of it is loaded."""

    def __init__(self, problems: list[ReturnProblem]):
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))

    def table(self) -> pd.DataFrame:
        """The problems as rows: row, column, rule, problem, how to fix."""
        return pd.DataFrame(
            [
                {
                    "row": p.row,
                    "column": p.column,
                    "rule": RULES[p.rule][0],
                    "problem": p.detail,
                    "how to fix": p.fix,
                }
                for p in self.problems
            ],
            columns=["row", "column", "rule", "problem", "how to fix"],
        )


@dataclass(frozen=True)
class ReturnRules:
    """What a return may hold, read from data/curated."""

    kinds: dict[str, str]  # metric_id -> count | percent | average
    service_area_rule: dict[str, str]  # metric_id -> required | optional
    not_above: dict[str, str]  # metric_id -> the metric it may not exceed
    service_areas: tuple[str, ...]

    def table(self) -> pd.DataFrame:
        """The metric ids a return may hold and the rule each value follows."""
        return pd.DataFrame(
            {
                "metric_id": list(self.kinds),
                "value": [VALUE_KINDS[k] for k in self.kinds.values()],
                "service_area": [self.service_area_rule[m] for m in self.kinds],
                "may not exceed": [self.not_above.get(m, "") for m in self.kinds],
            }
        )


@dataclass
class ValidReturn:
    """A return that passed every rule, with its figures typed."""

    file_name: str
    extension: str
    content: bytes
    # row, period_end, metric_id, service_area, area_code, value, note
    rows: pd.DataFrame

    @property
    def sha256(self) -> str:
        """SHA-256 of the file's bytes, which names it in the archive."""
        return sha256(self.content)


def sha256(content: bytes) -> str:
    """Hex SHA-256 of some bytes."""
    return hashlib.sha256(content).hexdigest()


def load_rules(data_dir: Path = DATA_DIR) -> ReturnRules:
    """Read the allowed metric ids and service areas from data/curated."""
    path = data_dir / CURATED / "return_rules.csv"
    rules = read_curated(
        path,
        {
            "metric_id": ("str", True),
            "value_kind": ("str", True),
            "service_area": ("str", True),
            "not_above": ("str", False),
        },
        data_dir,
    )
    name = path.relative_to(data_dir)
    for i, r in enumerate(rules.itertuples()):
        if r.value_kind not in VALUE_KINDS:
            raise DataError(
                name, i + 2, "value_kind", f"use one of {list(VALUE_KINDS)}"
            )
        if r.service_area not in ("required", "optional"):
            raise DataError(name, i + 2, "service_area", "use required or optional")
        if pd.notna(r.not_above) and r.not_above not in set(rules.metric_id):
            raise DataError(name, i + 2, "not_above", "name a metric_id of this file")
    areas = read_curated(
        data_dir / CURATED / "return_service_areas.csv",
        {
            "service_area": ("str", True),
            "source_id": ("str", True),
            "locator": ("str", True),
        },
        data_dir,
    )
    return ReturnRules(
        kinds=dict(zip(rules.metric_id, rules.value_kind)),
        service_area_rule=dict(zip(rules.metric_id, rules.service_area)),
        not_above={
            m: n for m, n in zip(rules.metric_id, rules.not_above) if pd.notna(n)
        },
        service_areas=tuple(areas.service_area),
    )


# --- reading ------------------------------------------------------------------------


def clean_file_name(name: str) -> str:
    """The uploaded file's base name, safe to log, show and put in a CSV."""
    base = re.split(r"[\\/]", name or "")[-1]
    base = re.sub(r"[^A-Za-z0-9 ._()\-]", "_", base).strip(" .")
    base = base.lstrip("=+-@_ ") or "return"
    return base[:120]


def _reject(file: str, row: int | None, column: str | None, rule: str, detail: str):
    return ReturnRejected([ReturnProblem(file, row, column, rule, detail)])


def too_large(file_name: str, size: int) -> ReturnRejected:
    """The rejection of a file over the size limit."""
    return _reject(
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
        raise _reject(
            file,
            row,
            column,
            "not_utf8",
            f"byte 0x{content[exc.start]:02X} is not UTF-8 text",
        ) from exc
    try:
        return list(csv.reader(io.StringIO(text, newline="")))
    except csv.Error as exc:
        raise _reject(file, None, None, "unreadable", f"not valid CSV ({exc})") from exc


def _xlsx_records(content: bytes, file: str) -> list[list[str]]:
    from openpyxl import load_workbook

    try:
        # data_only=False: a formula cell reads as its formula, so it can be refused.
        book = load_workbook(io.BytesIO(content), read_only=True, data_only=False)
    except Exception as exc:  # openpyxl raises many kinds for a damaged file
        raise _reject(
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
    """A return's cells as text, indexed by spreadsheet row (the header is row 1)."""
    file = clean_file_name(file_name)
    extension = Path(file).suffix.lower()
    if extension not in EXTENSIONS:
        raise _reject(file, None, None, "file_type", f"'{extension or 'no'}' extension")
    if len(content) > MAX_BYTES:
        raise too_large(file, len(content))
    if not content.strip():
        raise _reject(file, None, None, "empty_file", "the file is empty")
    records = (
        _csv_records(content, file)
        if extension == ".csv"
        else _xlsx_records(content, file)
    )
    filled = [i for i, r in enumerate(records) if any(c.strip() for c in r)]
    if not filled:
        raise _reject(file, None, None, "empty_file", "the file has no cells filled in")
    if filled[0] != 0:
        raise _reject(
            file, 1, None, "header_row", f"row 1 is blank; row {filled[0] + 1} is not"
        )
    header = [h.strip().lower() for h in records[0]]
    width = len(header)
    rows: list[tuple[int, list[str]]] = []
    for i in filled[1:]:
        record = records[i] + [""] * (width - len(records[i]))
        if any(c.strip() for c in record[width:]):
            raise _reject(
                file,
                i + 1,
                None,
                "ragged_row",
                f"the row has {len(record)} cells; the header has {width} columns",
            )
        rows.append((i + 1, record[:width]))
    if not rows:
        raise _reject(
            file, 2, None, "empty_file", "the file has a header but no figures"
        )
    if len(rows) > MAX_ROWS:
        raise _reject(file, None, None, "too_many_rows", f"it has {len(rows):,} rows")
    keep = []
    for j, name in enumerate(header):
        if name:
            keep.append(j)
        elif any(record[j].strip() for _, record in rows):
            raise _reject(
                file,
                1,
                None,
                "header_row",
                f"column {j + 1} has values but no name in row 1",
            )
    names = [header[j] for j in keep]
    repeated = sorted({n for n in names if names.count(n) > 1})
    if repeated:
        raise _reject(
            file, 1, repeated[0], "header_row", "the column name appears twice"
        )
    return pd.DataFrame(
        [[record[j] for j in keep] for _, record in rows],
        index=pd.Index([row for row, _ in rows], name="row"),
        columns=names,
        dtype=object,
    )


# --- validation -----------------------------------------------------------------------


def _show(text: object, limit: int = 40) -> str:
    text = str(text)
    return repr(text if len(text) <= limit else text[: limit - 1] + "…")


class _Derived:
    """Typed views of a return's cells that the checks and messages share."""

    def __init__(
        self,
        cells: pd.DataFrame,
        rules: ReturnRules,
        areas: dict[str, str],
        current: pd.DataFrame,
        default_area: str,
        today: dt.date,
    ):
        def text(column: str) -> pd.Series:
            if column in cells.columns:
                return cells[column].astype(str).str.strip()
            return pd.Series("", index=cells.index, dtype=object)

        self.text = {c: text(c) for c in COLUMN_ORDER}
        self.today = pd.Timestamp(today)
        self.rules = rules
        period = self.text["period_end"]
        self.period = pd.to_datetime(
            period.where(period.str.fullmatch(ISO_DATE)),
            format="%Y-%m-%d",
            errors="coerce",
        )
        self.metric = self.text["metric_id"]
        self.kind = self.metric.map(rules.kinds)
        by_lower = {s.lower(): s for s in rules.service_areas}
        self.service_area = self.text["service_area"].str.lower().map(by_lower)
        code = self.text["area_code"].str.upper()
        self.area_known = code.isin(list(areas))
        self.area = code.where(code != "", default_area)
        value = self.text["value"]
        number = pd.to_numeric(
            value.where(value.str.fullmatch(NUMBER)), errors="coerce"
        ).astype(float)
        self.number = number.where(number.abs() < 1e15)  # 1e400 reads as infinity
        self.key = pd.DataFrame(
            {
                "period_end": self.period,
                "metric_id": self.metric,
                "service_area": self.service_area.fillna("").where(
                    self.text["service_area"] == "", self.service_area
                ),
                "area_code": self.area,
            },
            index=cells.index,
        )
        self.first_row = self._first_rows()
        self.repeats = list(
            self.first_row[self.first_row != self.first_row.index].index
        )
        self.above = self._above(current)

    def _first_rows(self) -> pd.Series:
        """For each row repeating an earlier row's key, that earlier row."""
        key = self.key.dropna()
        first = key.reset_index().groupby(list(key.columns), dropna=False)["row"]
        return pd.Series(first.transform("min").values, index=key.index)

    def _above(self, current: pd.DataFrame) -> dict[int, str]:
        """Rows whose figure breaks an 'out of timescale <= in progress' rule."""
        file = pd.DataFrame(
            {
                "metric_id": self.metric,
                "area_code": self.area,
                "period_end": self.period.dt.strftime("%Y-%m-%d"),
                "service_area": self.key.service_area,
                "value": self.number,
                "row": self.key.index,
            }
        ).dropna(subset=["period_end", "service_area", "value"])
        file = file[file.metric_id.isin(list(self.rules.kinds))]
        loaded = current.assign(
            period_end=pd.to_datetime(current.period_end).dt.strftime("%Y-%m-%d"),
            service_area=current.service_area.fillna(""),
            row=pd.NA,
        )[file.columns]
        keys = ["metric_id", "area_code", "period_end", "service_area"]
        loaded = loaded.merge(file[keys], on=keys, how="left", indicator=True)
        loaded = loaded[loaded._merge == "left_only"].drop(columns="_merge")
        after = pd.concat([file, loaded], ignore_index=True)
        found: dict[int, str] = {}
        for smaller, larger in self.rules.not_above.items():
            pairs = after[after.metric_id == smaller].merge(
                after[after.metric_id == larger],
                on=["area_code", "period_end", "service_area"],
                suffixes=("", "_limit"),
            )
            for p in pairs[pairs.value > pairs.value_limit].itertuples():
                where = (
                    f"row {int(p.row_limit)}"
                    if pd.notna(p.row_limit)
                    else "already loaded"
                )
                if pd.notna(p.row):
                    found[int(p.row)] = (
                        f"{p.metric_id} {p.value:g} is above {larger} "
                        f"{p.value_limit:g} ({where})"
                    )
                else:
                    found[int(p.row_limit)] = (
                        f"{larger} {p.value_limit:g} is below {p.metric_id} "
                        f"{p.value:g} (already loaded)"
                    )
        return found


def _schema(d: _Derived):
    """The pandera schema of a return, its checks closing over the typed views."""
    import pandera.pandas as pa

    def check(rule: str, fn, **kw) -> pa.Check:
        return pa.Check(fn, name=rule, **kw)

    def text_checks(column: str) -> list:
        formula = check("formula", lambda s: ~s.astype(str).str.contains(FORMULA))
        if column == "value":
            formula = check(
                "formula",
                lambda s: ~s.astype(str).str.contains(FORMULA) | d.number.notna(),
            )
        return [formula, check("markup", lambda s: ~s.astype(str).str.contains(MARKUP))]

    def filled(column: str):
        return check("required", lambda s: d.text[column] != "")

    t = d.text
    columns = {
        "period_end": [
            filled("period_end"),
            check("not_a_date", lambda s: (t["period_end"] == "") | d.period.notna()),
            check(
                "not_month_end", lambda s: d.period.isna() | d.period.dt.is_month_end
            ),
            check("future_date", lambda s: d.period.isna() | (d.period <= d.today)),
        ],
        "metric_id": [
            filled("metric_id"),
            check("unknown_metric", lambda s: (t["metric_id"] == "") | d.kind.notna()),
        ],
        "service_area": [
            check(
                "unknown_service_area",
                lambda s: (t["service_area"] == "") | d.service_area.notna(),
            )
        ],
        "area_code": [
            check("unknown_area", lambda s: (t["area_code"] == "") | d.area_known)
        ],
        "value": [
            filled("value"),
            check("not_a_number", lambda s: (t["value"] == "") | d.number.notna()),
            check("negative", lambda s: ~(d.number < 0)),
        ],
        "note": [check("note_too_long", lambda s: t["note"].str.len() <= NOTE_MAX)],
    }
    wide = [
        check(
            "not_whole",
            lambda df: ~((d.kind == "count") & (d.number % 1 != 0) & d.number.notna()),
        ),
        check("percent_range", lambda df: ~((d.kind == "percent") & (d.number > 100))),
        check(
            "service_area_required",
            lambda df: (
                ~(
                    (d.metric.map(d.rules.service_area_rule) == "required")
                    & (t["service_area"] == "")
                )
            ),
        ),
        check("not_above", lambda df: pd.Series(~df.index.isin(d.above), df.index)),
        check(
            "duplicate_key",
            lambda df: pd.Series(~df.index.isin(d.repeats), df.index),
        ),
    ]
    return pa.DataFrameSchema(
        {
            c: pa.Column(
                None, checks=text_checks(c) + columns[c], required=c in REQUIRED
            )
            for c in COLUMN_ORDER
        },
        checks=wide,
        strict=True,
    )


WIDE_COLUMN = {
    "not_whole": "value",
    "percent_range": "value",
    "service_area_required": "service_area",
    "not_above": "value",
    "duplicate_key": "metric_id",
}


def _detail(d: _Derived, rule: str, row: int, column: str) -> str:
    """What is wrong with one cell, in words, showing the value where it helps."""
    cell = d.text[column][row] if column in d.text else ""
    metric = d.metric[row]
    return {
        "formula": f"{_show(cell)} starts with {cell.strip()[:1]!r}",
        "markup": f"{_show(cell)} contains markup",
        "required": "the cell is blank",
        "not_a_date": f"{_show(cell)} is not a date",
        "not_month_end": f"{cell} is not the last day of its month",
        "future_date": f"{cell} is after today ({d.today:%Y-%m-%d})",
        "unknown_metric": f"{_show(cell)} is not a monthly return metric id",
        "unknown_service_area": f"{_show(cell)} is not a listed service area",
        "unknown_area": f"{_show(cell)} is not an English local authority code",
        "not_a_number": f"{_show(cell)} is not a number",
        "negative": f"{cell} is below zero",
        "not_whole": f"{cell} is not a whole number and {metric} is a count",
        "percent_range": f"{cell} is above 100 and {metric} is a percentage",
        "service_area_required": f"{metric} has no service_area",
        "note_too_long": f"the note has {len(cell)} characters",
        "not_above": d.above.get(row, ""),
        "duplicate_key": f"row {row} repeats the period_end, metric_id, "
        f"service_area and area_code of row {d.first_row.get(row)}",
    }[rule]


def validate(
    content: bytes,
    file_name: str,
    rules: ReturnRules,
    areas: dict[str, str],
    current: pd.DataFrame,
    default_area: str,
    today: dt.date | None = None,
) -> ValidReturn:
    """Check a return against every rule; raise ReturnRejected listing each breach.

    ``areas`` maps the local authority codes a return may name to their names;
    ``current`` holds the figures already loaded (metric_id, area_code, period_end,
    service_area, value), so a return cannot leave out-of-timescale counts above the
    in-progress counts they belong to.
    """
    import pandera.pandas as pa

    file = clean_file_name(file_name)
    if default_area not in areas:
        raise _reject(
            file, None, None, "unknown_area", f"default area {default_area!r}"
        )
    cells = read_cells(content, file_name)
    d = _Derived(cells, rules, areas, current, default_area, today or dt.date.today())
    try:
        _schema(d).validate(cells, lazy=True)
    except pa.errors.SchemaErrors as exc:
        raise ReturnRejected(_problems(exc.failure_cases, d, file)) from None
    return ValidReturn(
        file_name=file,
        extension=Path(file).suffix.lower(),
        content=content,
        rows=pd.DataFrame(
            {
                "row": cells.index.astype(int),
                "period_end": d.period.dt.date,
                "metric_id": d.metric,
                "service_area": d.service_area.where(d.service_area.notna(), None),
                "area_code": d.area,
                "value": d.number,
                "note": d.text["note"].where(d.text["note"] != "", None),
            }
        ).reset_index(drop=True),
    )


def _problems(failures: pd.DataFrame, d: _Derived, file: str) -> list[ReturnProblem]:
    """One problem per broken cell (the first rule in RULES order), in sheet order."""
    found: dict[tuple[int, str], str] = {}
    for f in failures.itertuples():
        if f.check == "column_in_dataframe":
            found[(1, f.failure_case)] = "missing_column"
        elif f.check == "column_in_schema":
            found[(1, f.failure_case)] = "unknown_column"
        elif f.index is None or pd.isna(f.index):
            # A check that raised instead of returning a verdict: a bug, not the file.
            raise RuntimeError(f"return check {f.check!r} failed: {f.failure_case}")
        elif f.check in WIDE_COLUMN:
            key = (int(f.index), WIDE_COLUMN[f.check])
            found.setdefault(key, f.check)
        elif f.check in RULES:
            key = (int(f.index), f.column)
            if key not in found or PRECEDENCE[f.check] < PRECEDENCE[found[key]]:
                found[key] = f.check
    problems = []
    for (row, column), rule in found.items():
        if rule == "missing_column":
            detail = f"there is no column named {column!r}"
        elif rule == "unknown_column":
            detail = f"{column!r} is not a column of the monthly return"
            if CHILD_LEVEL.search(column):
                detail += " and looks like child-level data"
        else:
            detail = _detail(d, rule, row, column)
        problems.append(ReturnProblem(file, row, column, rule, detail))
    order = {c: i for i, c in enumerate(COLUMN_ORDER)}
    return sorted(problems, key=lambda p: (p.row or 0, order.get(p.column, -1)))


# --- templates ------------------------------------------------------------------------


def write_templates(
    folder: Path = TEMPLATE_DIR, data_dir: Path = DATA_DIR
) -> list[Path]:
    """Write the blank CSV and XLSX templates of the return format; return the paths."""
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.worksheet.datavalidation import DataValidation

    rules = load_rules(data_dir)
    labels = pd.read_csv(data_dir / CURATED / "metrics.csv", dtype=str).set_index(
        "metric_id"
    )["label"]
    folder.mkdir(parents=True, exist_ok=True)
    csv_path = folder / f"{TEMPLATE_STEM}.csv"
    csv_path.write_text(",".join(TEMPLATE_COLUMNS) + "\n", encoding="utf-8")

    book = Workbook()
    sheet = book.active
    sheet.title = "Return"
    sheet.append(TEMPLATE_COLUMNS)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for letter, width in zip("ABCDE", (14, 40, 26, 12, 60)):
        sheet.column_dimensions[letter].width = width
    for row in range(2, 502):
        sheet.cell(row=row, column=1).number_format = "yyyy-mm-dd"
    guide = book.create_sheet("Guidance")
    guide.append(["metric_id", "label", "value", "service_area", "may not exceed"])
    for metric_id, kind in rules.kinds.items():
        guide.append(
            [
                metric_id,
                labels.get(metric_id, ""),
                VALUE_KINDS[kind],
                rules.service_area_rule[metric_id],
                rules.not_above.get(metric_id, ""),
            ]
        )
    guide.append([])
    guide.append(["service_area"])
    first = guide.max_row + 1
    for area in rules.service_areas:
        guide.append([area])
    guide.append([])
    for line in (
        "One row per figure. period_end: last day of the month, YYYY-MM-DD. "
        "value: a number only.",
        "Optional column area_code: ONS code of the local authority; blank means "
        "the area chosen when loading (Doncaster, E08000017, by default).",
        "Never add child-level data (names, dates of birth, identifiers). "
        "See docs/MONTHLY_RETURNS.md.",
    ):
        guide.append([line])
    for cell in guide[1]:
        cell.font = Font(bold=True)
    guide.column_dimensions["A"].width = 40
    guide.column_dimensions["B"].width = 40
    guide.column_dimensions["C"].width = 36
    ids = DataValidation(
        type="list", formula1=f"=Guidance!$A$2:$A${len(rules.kinds) + 1}"
    )
    ids.add("B2:B501")
    teams = DataValidation(
        type="list",
        formula1=f"=Guidance!$A${first}:$A${first + len(rules.service_areas) - 1}",
        allow_blank=True,
    )
    teams.add("C2:C501")
    for validation in (ids, teams):
        sheet.add_data_validation(validation)
    book.properties.creator = "metrics.returns.write_templates"
    book.properties.created = dt.datetime(2025, 1, 1)
    xlsx_path = folder / f"{TEMPLATE_STEM}.xlsx"
    book.save(xlsx_path)
    return [csv_path, xlsx_path]


def template_bytes(kind: str, folder: Path = TEMPLATE_DIR) -> bytes:
    """The committed template file of a kind ('csv' or 'xlsx')."""
    return (folder / f"{TEMPLATE_STEM}.{kind}").read_bytes()
