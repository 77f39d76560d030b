"""The rules that turn a date a document gives loosely into a stored date, and the
checks that hold every curated date to its rule (docs/DATA_DICTIONARY.md, section 5).

A row dated by its document's own date takes that date as sources.csv records it, to
the month (a year where the document's date is known only to the year): "now" in a
document is when it was written, which may be days before the date it bears.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

import pandas as pd

PRECISIONS = ("day", "month", "quarter", "year")
INFERRED = "inferred_document_date"


@dataclass(frozen=True)
class Rule:
    """What a rule allows: the precisions of its dates, whether the date is the
    source's own, whether a row must explain itself in a note, and the word shown
    beside the date where a label does not already say it."""

    precisions: tuple[str, ...] = ()
    from_document: bool = False  # the date is the source's own (sources.csv)
    note: bool = False  # the row's note must say how the date was read
    shown: str = ""


RULES: dict[str, Rule] = {
    "exact": Rule(("day",)),
    "start_of_year": Rule(("month", "year")),
    "start_of_month": Rule(("month",)),
    "document_date": Rule(from_document=True),
    INFERRED: Rule(from_document=True, note=True, shown="date inferred"),
    "same_period": Rule(("day", "month")),
    "assumed_same_period": Rule(("day", "month"), note=True, shown="date assumed"),
    "end_of_month": Rule(("month",)),
    "by_date_year_inferred": Rule(("day",), note=True, shown="year inferred"),
    "later_in_month": Rule(("month",)),
    "scheduled": Rule(("day",), note=True, shown="scheduled"),
    "assumed_start_of_year": Rule(("month",), note=True, shown="date assumed"),
    "assumed_document_date": Rule(from_document=True, note=True, shown="date assumed"),
    "inferred_from_go_live": Rule(("day",), note=True, shown="date inferred"),
    "five_years_after_start": Rule(("year",)),
    "ten_years_after_start": Rule(("year",)),
    "month_in_inspection_year": Rule(("month",), shown="year inferred"),
    "by_inspection_end": Rule(("day",), note=True),
    "date_reported": Rule(from_document=True, note=True),
    "quarter_end": Rule(("quarter",)),
    "financial_year_end": Rule(("year",)),
}

# How a source's own publication date was read (sources.csv, published_rule).
SOURCE_RULES: dict[str, tuple[str, ...]] = {
    "exact": ("day",),
    "start_of_month": ("month",),
    INFERRED: ("day", "month", "year"),
}


@dataclass(frozen=True)
class SourceDate:
    """A source's publication date as sources.csv gives it."""

    published: dt.date | None
    precision: str | None
    rule: str | None


def _blank(value: object) -> bool:
    """A cell left empty (None, or NaN in a pandas string column)."""
    return value is None or bool(pd.isna(value))


def shown(rule: object) -> str:
    """The word a timeline shows beside a date made by ``rule`` ('' for none)."""
    found = RULES.get(rule) if isinstance(rule, str) else None
    return found.shown if found else ""


def document_precision(source_precision: str) -> str:
    """The precision of a row dated by its document: month, or year if coarser."""
    return "year" if source_precision == "year" else "month"


def check_source_dates(sources: pd.DataFrame, fault: Callable) -> None:
    """Each source's date has a known precision and rule, and an inferred date says
    how it was inferred; ``fault(i, column, problem)`` raises for row ``i``."""
    for i, s in enumerate(sources.itertuples()):
        if _blank(s.published):
            if not (_blank(s.published_precision) and _blank(s.published_rule)):
                fault(i, "published", "give the date its precision and rule describe")
            continue
        if s.published_rule not in SOURCE_RULES:
            fault(i, "published_rule", f"use one of {sorted(SOURCE_RULES)}")
        if s.published_precision not in SOURCE_RULES[s.published_rule]:
            fault(
                i,
                "published_precision",
                f"a date read by rule {s.published_rule!r} has precision "
                f"{' or '.join(SOURCE_RULES[s.published_rule])}",
            )
        if s.published_rule == INFERRED and _blank(s.published_note):
            fault(i, "published_note", "say how the document's date was inferred")


def check_dates(
    rows: pd.DataFrame,
    columns: tuple[str, str, str],
    sources: dict[str, SourceDate],
    fault: Callable,
    notes: str | None = "note",
) -> None:
    """Each row's date, precision and rule agree with the rule and, for a date taken
    from its document, with the source's date; ``columns`` names the date, precision
    and rule columns; ``fault(i, column, problem)`` raises for row ``i``."""
    date_col, precision_col, rule_col = columns
    for i, row in enumerate(rows.to_dict("records")):
        name, precision = row[rule_col], row[precision_col]
        rule = RULES.get(name)
        if rule is None:
            fault(
                i,
                rule_col,
                f"unknown date rule {name!r}; use a rule of docs/DATA_DICTIONARY.md "
                f"section 5: {', '.join(sorted(RULES))}",
            )
        if precision not in PRECISIONS:
            fault(i, precision_col, f"use one of {list(PRECISIONS)}")
        if rule.note and notes and _blank(row.get(notes)):
            fault(i, notes, f"a date read by rule {name!r} needs a note saying how")
        source = sources.get(row["source_id"])
        if source is None:
            fault(i, "source_id", f"unknown source {row['source_id']!r}")
        problem = _rule_problem(name, rule, row[date_col], precision, source)
        if problem:
            which, text = problem
            fault(i, dict(zip(("date", "precision", "rule"), columns))[which], text)


def _rule_problem(
    name: str, rule: Rule, date: dt.date, precision: str, source: SourceDate
) -> tuple[str, str] | None:
    """("date", "precision" or "rule", problem) where a row breaks its rule."""
    inferred = source.rule == INFERRED
    if rule.from_document:
        if source.published is None:
            return "rule", f"rule {name!r} needs a source with a date"
        if date != source.published:
            return "date", (
                f"rule {name!r} takes the source's date, {source.published}, not {date}"
            )
        wanted = document_precision(source.precision)
        if precision != wanted:
            return "precision", (
                f"rule {name!r} stores the document's date to the {wanted}, as every "
                f"row dated by it; this row says {precision!r}"
            )
        if name == "document_date" and inferred:
            return "rule", (
                f"the source's own date is inferred (sources.csv); use {INFERRED!r}"
            )
        if name == INFERRED and not inferred:
            return "rule", "the source is dated (sources.csv): use 'document_date'"
    elif precision not in rule.precisions:
        return "precision", (
            f"a date read by rule {name!r} has precision "
            f"{' or '.join(rule.precisions)}, not {precision!r}"
        )
    if name == "by_date_year_inferred" and not (
        inferred and source.published and date.year == source.published.year
    ):
        return "date", (
            f"rule {name!r} takes the year inferred for an undated source "
            "(sources.csv, published_rule)"
        )
    return None
