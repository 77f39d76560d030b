"""How numbers, dates and file names are written, everywhere the dashboard writes them."""

from __future__ import annotations

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
