"""How numbers, dates and file names are written, everywhere the dashboard writes them."""

from __future__ import annotations

import dataclasses
import re

import pandas as pd

DEFAULT_DPS = 1  # decimal places where the data dictionary gives a measure none


def decimals(dps: object) -> int:
    """Decimal places to show a measure's figures to: the dictionary's, else one."""
    return DEFAULT_DPS if dps is None or pd.isna(dps) else int(dps)


def fmt(value: float | None, dps: int | None = DEFAULT_DPS) -> str:
    """Format a number for a sentence: thousands separators, trailing zeros dropped;
    ``dps`` decimal places at most (the default where it is None or missing)."""
    if value is None or pd.isna(value):
        return "no value"
    text = f"{value:,.{decimals(dps)}f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def as_at(date: object) -> str | None:
    """'18 Mar 2025' from a date, or None."""
    if date is None or pd.isna(date):
        return None
    return f"{pd.Timestamp(date):%d %b %Y}"


def date_text(date: object, precision: str) -> str:
    """A date as precisely as it is known: '2011', 'May 2011' or '19 Jan 2018'."""
    d = pd.Timestamp(date)
    return {"year": f"{d:%Y}", "month": f"{d:%b %Y}"}.get(precision, f"{d:%d %b %Y}")


def slugify(*parts: object) -> str:
    """File-name-safe stem from parts, e.g. 'doncaster-assessments-2016-2025'."""
    text = "-".join(str(p) for p in parts if p not in (None, ""))
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def ordinal(n: int) -> str:
    """1st, 2nd, 3rd, 4th, 11th, 12th, 13th, 21st, 112th."""
    if 10 <= n % 100 <= 20:
        suffix = "th"
    else:
        suffix = {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def escape_markdown(text: str) -> str:
    """Text from outside (a file's cell or header, an email) shown as written when
    a page renders it as markdown: every markdown mark escaped."""
    return re.sub(r"([\\`*_{}\[\]()<>#+!|$~:-])", r"\\\1", str(text))


# C0 control characters but tab, newline and carriage return: XML 1.0 (Excel, Word,
# PowerPoint) and typst's PDF refuse them. A vertical tab or form feed is the line
# break Word and PowerPoint put in pasted text, so it stays a line break.
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f]")
_PASTED_BREAK = re.compile(r"[\x0b\x0c]")
# What a spreadsheet would take for the start of a formula in a text cell.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe_text(text: object) -> str:
    """Text every writer (CSV, Excel, Word, PowerPoint, PDF) can take: a vertical tab
    or form feed made a newline, other C0 controls but tab, newline and CR dropped."""
    return _CONTROL.sub("", _PASTED_BREAK.sub("\n", str(text)))


def safe_cell(value: object) -> object:
    """A CSV or Excel cell's value: text made safe and, if it starts like a formula
    (FORMULA_START), written after an apostrophe so it stays text; numbers, dates
    and missing values as they are (a negative number stays a number)."""
    if not isinstance(value, str):
        return value
    text = safe_text(value)
    return "'" + text if text.startswith(FORMULA_START) else text


def safe_table(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of a table with every text cell and header made a safe cell."""
    out = frame.copy()
    out.columns = [safe_cell(c) for c in out.columns]
    for i in range(out.shape[1]):
        column = out.iloc[:, i]
        if column.dtype == object or pd.api.types.is_string_dtype(column):
            out.isetitem(i, column.map(safe_cell, na_action="ignore"))
    return out


def safe_texts(value: object) -> object:
    """A copy of a document's content with every string in it made safe: through
    dataclasses, lists, tuples and dicts; anything else (a figure, a table) as is."""
    if isinstance(value, str):
        return safe_text(value)
    if isinstance(value, list):
        return [safe_texts(v) for v in value]
    if isinstance(value, tuple):
        items = [safe_texts(v) for v in value]
        return type(value)(*items) if hasattr(value, "_fields") else tuple(items)
    if isinstance(value, dict):
        return {k: safe_texts(v) for k, v in value.items()}
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        fields = [f.name for f in dataclasses.fields(value) if f.init]
        return dataclasses.replace(
            value, **{f: safe_texts(getattr(value, f)) for f in fields}
        )
    return value
