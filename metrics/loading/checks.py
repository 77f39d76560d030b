"""The one way a loaded file's cells are checked. A kind declares its columns (a Form)
and the rules its cells follow, each a test of one column over every row at once (a
method of its Cells marked with @rule); check_file reports every broken rule by file,
row and column, one problem a cell (the first rule in the kind's order of
precedence), in sheet order.

The standard rules (no formulas, no markup, required cells, known measure and area,
month-end dates, numbers, short notes, one row per key) hold for every kind; a kind
adds its own (metrics.loading.returns, metrics.loading.targets).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from functools import cached_property
from pathlib import Path

import pandas as pd

from metrics.loading.context import Context
from metrics.loading.files import (
    FileProblem,
    FileRejected,
    Rules,
    ValidFile,
    clean_file_name,
    read_cells,
    reject,
)

NOTE_MAX = 500
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
# What a figure or a target of a measure may be, by the measure's value kind.
VALUE_KINDS = {
    "count": "a whole number, 0 or more",
    "percent": "a percentage from 0 to 100",
    "rate": "a rate, 0 or more (decimals allowed)",
    "average": "a number, 0 or more (decimals allowed)",
    "number": "a number, which may be below zero",
}
# Rules of any text cell; each kind places them in its own order of precedence.
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
NOTE_RULE = {
    "note_too_long": (
        f"a note may be at most {NOTE_MAX} characters",
        "shorten the note",
    )
}


def show(text: object, limit: int = 40) -> str:
    """A cell's text quoted for a message, cut to ``limit`` characters."""
    text = str(text)
    return repr(text if len(text) <= limit else text[: limit - 1] + "…")


def words(names: tuple[str, ...]) -> str:
    """Column names as a list in words: 'a, b and c'."""
    return ", ".join(names[:-1]) + f" and {names[-1]}" if len(names) > 1 else names[0]


# --- the declarations ---------------------------------------------------------------


@dataclass(frozen=True)
class Form:
    """What a kind's file holds: its columns, how a row is identified, and the rules
    its cells follow (in words, in their order of precedence)."""

    name: str  # as a message says it: "the monthly return"
    columns: tuple[str, ...]  # every column accepted, in the order problems are listed
    required: tuple[str, ...]
    date: str  # the column of month-end dates
    number: str  # the column of numbers
    key: tuple[str, ...]  # the columns that identify a row
    values: tuple[str, ...]  # the number and what else makes a revision when changed
    duplicate: str  # the rule of a key given twice (reported under metric_id)
    rules: Rules  # rule -> (what it says, how to fix a breach), in precedence order

    def template_columns(self) -> tuple[str, ...]:
        """A template's columns: all but area_code (blank: the area chosen)."""
        return tuple(c for c in self.columns if c != "area_code")


@dataclass(frozen=True)
class Check:
    """One rule tested on one column's cells, in every row at once.

    ``detail`` says what is wrong with a cell; it is formatted with the fields of
    Cells.fields ({cell}, {shown}: quoted and cut short, {metric}, ...).
    """

    rule: str  # or "duplicate": the form's rule of a key given twice
    column: str  # or "date", "number": the form's date or number column; or "*"
    # (the file's Cells) -> True on each row where it is broken; for column "*", a
    # frame of such columns, one for each column the rule covers.
    broken: Callable[..., pd.Series | pd.DataFrame]
    detail: str
    anywhere: bool = False  # checked even when the file has no such column


def rule(name: str, column: str, detail: str, anywhere: bool = False) -> Callable:
    """Mark a method of Cells as the test of a rule: True on each row breaking it."""

    def mark(test: Callable[..., pd.Series]) -> Callable[..., pd.Series]:
        test.check = Check(name, column, test, detail, anywhere)
        return test

    return mark


def _column(cells: pd.DataFrame, column: str) -> pd.Series:
    if column in cells.columns:
        return cells[column].astype(str)
    return pd.Series("", index=cells.index, dtype=object)


class Cells:
    """A file's cells as its rules see them: the text of each column (blank where the
    file has no such column), the values typed, and the standard rules."""

    def __init__(self, cells: pd.DataFrame, form: Form, ctx: Context):
        self.form = form
        self.index = cells.index
        self.header = list(cells.columns)
        self.present = set(cells.columns)
        self.raw = {c: _column(cells, c) for c in form.columns}
        self.text = {c: s.str.strip() for c, s in self.raw.items()}
        self.metric = self.text["metric_id"]
        self.value_kind = self.metric.map(ctx.value_kinds)
        code = self.text["area_code"].str.upper()
        self.area_known = code.isin(list(ctx.areas))
        self.area = code.where(code != "", ctx.area)
        date = self.text[form.date]
        self.date = pd.to_datetime(
            date.where(date.str.fullmatch(ISO_DATE)), format="%Y-%m-%d", errors="coerce"
        )
        value = self.text[form.number]
        number = pd.to_numeric(
            value.where(value.str.fullmatch(NUMBER)), errors="coerce"
        ).astype(float)
        self.number = number.where(number.abs() < 1e15)  # 1e400 reads as infinity

    def key_value(self, column: str) -> pd.Series:
        """A key column's cells as rows are told apart (NaN: not comparable)."""
        if column == self.form.date:
            return self.date
        if column == "area_code":
            return self.area
        return self.text[column]

    @cached_property
    def first_row(self) -> pd.Series:
        """For each row with a whole key, the first row with the same key."""
        key = pd.DataFrame(
            {c: self.key_value(c) for c in self.form.key}, index=self.index
        ).dropna()
        first = key.reset_index().groupby(list(key.columns), dropna=False)["row"]
        return pd.Series(first.transform("min").values, index=key.index)

    def fields(self, row: int, column: str) -> dict[str, object]:
        """What a rule's detail may say of a cell."""
        cell = self.text[column][row]
        kind = self.value_kind[row]
        return {
            "cell": cell,
            "shown": show(cell),
            "start": self.raw[column][row].strip(" ")[:1],
            "length": len(cell),
            "row": row,
            "metric": self.metric[row],
            "kind": kind,
            "kind_words": VALUE_KINDS.get(kind, ""),
            "first": self.first_row.get(row),
            "key": words(self.form.key),
        }

    def typed(self) -> dict[str, object]:
        """The columns of the kind's rows but the sheet row and the note, typed."""
        raise NotImplementedError

    def rows(self) -> pd.DataFrame:
        """The file's rows typed as the kind stores them, with the sheet row of each."""
        note = self.text["note"]
        return pd.DataFrame(
            {
                "row": self.index.astype(int),
                **self.typed(),
                "note": note.where(note != "", None),
            }
        ).reset_index(drop=True)

    @rule("formula", "*", "{shown} starts with {start!r}")
    def _formula(self) -> pd.DataFrame:
        found = pd.DataFrame({c: s.str.contains(FORMULA) for c, s in self.raw.items()})
        # A negative number is a number, not a formula (the negative rule judges it).
        found[self.form.number] &= self.number.isna()
        return found

    @rule("markup", "*", "{shown} contains markup")
    def _markup(self) -> pd.DataFrame:
        return pd.DataFrame({c: s.str.contains(MARKUP) for c, s in self.raw.items()})

    @rule("required", "*", "the cell is blank")
    def _required(self) -> pd.DataFrame:
        return pd.DataFrame({c: self.text[c] == "" for c in self.form.required})

    @rule(
        "unknown_metric", "metric_id", "{shown} is not a measure of the data dictionary"
    )
    def _unknown_metric(self) -> pd.Series:
        return (self.metric != "") & self.value_kind.isna()

    @rule("unknown_area", "area_code", "{shown} is not an English local authority code")
    def _unknown_area(self) -> pd.Series:
        return (self.text["area_code"] != "") & ~self.area_known

    @rule("not_a_date", "date", "{shown} is not a date")
    def _not_a_date(self) -> pd.Series:
        return (self.text[self.form.date] != "") & self.date.isna()

    @rule("not_month_end", "date", "{cell} is not the last day of its month")
    def _not_month_end(self) -> pd.Series:
        return self.date.notna() & ~self.date.dt.is_month_end

    @rule("not_a_number", "number", "{shown} is not a number")
    def _not_a_number(self) -> pd.Series:
        return (self.text[self.form.number] != "") & self.number.isna()

    @rule("note_too_long", "note", "the note has {length} characters")
    def _note_too_long(self) -> pd.Series:
        return self.text["note"].str.len() > NOTE_MAX

    @rule("duplicate", "metric_id", "row {row} repeats the {key} of row {first}")
    def _duplicate(self) -> pd.Series:
        first = self.first_row
        return pd.Series(self.index.isin(first[first != first.index].index), self.index)


# --- checking a file ---------------------------------------------------------------


def _checks(cells: Cells) -> list[Check]:
    """The rules of a file: its Cells' methods marked with @rule, the form's date,
    number and duplicate rule put in for their roles."""
    form = cells.form
    roles = {"date": form.date, "number": form.number, "duplicate": form.duplicate}
    checks = []
    for name in dir(type(cells)):
        check = getattr(getattr(type(cells), name), "check", None)
        if check is not None:
            rule = roles.get(check.rule, check.rule)
            checks.append(
                replace(check, rule=rule, column=roles.get(check.column, check.column))
            )
    return checks


def _header(form: Form, cells: Cells) -> dict[tuple[int, str], tuple[str, str]]:
    """The header's problems: columns the kind does not have, required ones missing."""
    found = {}
    for column in cells.header:
        if column not in form.columns:
            detail = f"{column!r} is not a column of {form.name}"
            if CHILD_LEVEL.search(column):
                detail += " and looks like child-level data"
            found[(1, column)] = ("unknown_column", detail)
    for column in form.required:
        if column not in cells.present:
            detail = f"there is no column named {column!r}"
            found[(1, column)] = ("missing_column", detail)
    return found


def problems(cells: Cells, file: str) -> list[FileProblem]:
    """Every broken rule, one a cell (the first in precedence), in sheet order."""
    form = cells.form
    precedence = {rule: i for i, rule in enumerate(form.rules)}
    first: dict[tuple[int, str], str] = {}
    checks = {c.rule: c for c in _checks(cells)}
    for check in checks.values():
        broken = check.broken(cells)
        if isinstance(broken, pd.Series):
            broken = broken.to_frame(check.column)
        for column in broken.columns:
            if not (check.anywhere or column in cells.present):
                continue
            hits = broken[column].fillna(False).astype(bool)
            for row in hits[hits].index:
                key = (int(row), column)
                if key not in first or precedence[check.rule] < precedence[first[key]]:
                    first[key] = check.rule
    found = _header(form, cells)
    for (row, column), rule in first.items():
        detail = checks[rule].detail.format(**cells.fields(row, column))
        found[(row, column)] = (rule, detail)
    order = {c: i for i, c in enumerate(form.columns)}
    listed = [
        FileProblem(file, row, column, rule, detail, form.rules)
        for (row, column), (rule, detail) in found.items()
    ]
    return sorted(listed, key=lambda p: (p.row or 0, order.get(p.column, -1)))


def check_file(
    form: Form, view: type[Cells], content: bytes, file_name: str, ctx: Context
) -> ValidFile:
    """Check a file against every rule of its kind (``view``: the kind's Cells);
    raise FileRejected listing each breach."""
    file = clean_file_name(file_name)
    if ctx.area not in ctx.areas:
        detail = f"default area {ctx.area!r}"
        raise reject(file, None, None, "unknown_area", detail, rules=form.rules)
    cells = view(read_cells(content, file_name), form, ctx)
    found = problems(cells, file)
    if found:
        raise FileRejected(found)
    return ValidFile(file, Path(file).suffix.lower(), content, cells.rows())
