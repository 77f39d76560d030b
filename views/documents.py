"""What the Sources page lists of the figures quoted in documents: each as written,
with its date as precisely as it is known, the rule that dated it and its place."""

from __future__ import annotations

import pandas as pd

from metrics.formatting import date_text, fmt
from metrics.queries import Database


def as_written(figure) -> str:
    """'in the order of £2,000,000', '£1,500,000–£2,000,000' or 'around 80%'."""
    money = "£" if figure.unit == "£" else ""
    percent = "%" if figure.unit == "%" else ""
    if pd.isna(figure.value):
        low, high = fmt(figure.value_low, 2), fmt(figure.value_high, 2)
        return f"{money}{low}–{money}{high}{percent}"
    text = f"{money}{fmt(figure.value, 2)}{percent}"
    qualifier = figure.qualifier if isinstance(figure.qualifier, str) else ""
    return f"{qualifier} {text}" if figure.approximate and qualifier else text


def statement_text(statement: int, statements: int) -> str:
    """Where one document gives one figure more than once: which statement this is."""
    if statements < 2:
        return ""
    return (
        f"Statement {statement} of {statements} of one figure in this document, "
        "not a series"
    )


def document_figures_table(db: Database) -> pd.DataFrame:
    """Every figure quoted in a document, oldest first, as the Sources page lists it."""
    f = db.report_figures()
    rows = list(f.itertuples())
    return pd.DataFrame(
        {
            "measure": [
                r.metric_label
                + (f" ({r.service_area})" if isinstance(r.service_area, str) else "")
                for r in rows
            ],
            "area": f.area_name,
            "period": f.period_label,
            "date": [date_text(r.period_end, r.date_precision) for r in rows],
            "date_rule": f.date_rule,
            "value": [as_written(r) for r in rows],
            "statement": [statement_text(r.statement, r.statements) for r in rows],
            "source": f.source_title,
            "locator": f.locator,
            "note": f.note,
        }
    )
