"""What a monthly return may hold: its columns, the rules each cell follows (in words,
with how to fix a breach), and which metrics and service areas it may name.

A return has one row per figure: period_end, metric_id, service_area (optional),
value, note (optional) and, if wanted, area_code. docs/MONTHLY_RETURNS.md describes
the same rules for the people who fill it in. Which metric ids and service areas a
return may hold is data: data/curated/return_rules.csv and return_service_areas.csv.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from metrics.config import CURATED, DATA_DIR
from metrics.storage import DataError, read_curated
from metrics.uploads import CELL_RULES, FILE_RULES

NOTE_MAX = 500
TEMPLATE_COLUMNS = ["period_end", "metric_id", "service_area", "value", "note"]
REQUIRED = ["period_end", "metric_id", "value"]
COLUMN_ORDER = ["period_end", "metric_id", "service_area", "area_code", "value", "note"]
VALUE_KINDS = {
    "count": "a whole number, 0 or more",
    "percent": "a percentage from 0 to 100",
    "rate": "a rate, 0 or more (decimals allowed)",
    "average": "a number, 0 or more (decimals allowed)",
    "number": "a number, which may be below zero",
}

# Each rule: what it says (shown as "rule: …") and how to fix a breach. The order is
# the order of precedence when one cell breaks several.
RULES: dict[str, tuple[str, str]] = {
    **FILE_RULES,
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
    **CELL_RULES,
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
        "metric_id must be a measure of the data dictionary: a council report "
        "measure, a LAIT code or another DfE measure",
        "use an id listed in the template's Guidance sheet or on the Sources and "
        "caveats page (e.g. Continue_Assess_Comp, ReReferral, sw_caseload_fte)",
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
        "values may not be negative, except for measures whose published values "
        "are (scores and gaps)",
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


@dataclass(frozen=True)
class ReturnRules:
    """What a return may hold: any measure, each value by its kind (metrics.units),
    with the council report measures' own service area and ordering rules."""

    kinds: dict[str, str]  # metric_id -> a key of VALUE_KINDS
    service_area_rule: dict[str, str]  # metric_id -> required | optional (listed)
    not_above: dict[str, str]  # metric_id -> the metric it may not exceed
    service_areas: tuple[str, ...]
    report_metrics: tuple[str, ...]  # the measures of data/curated/return_rules.csv

    def table(self) -> pd.DataFrame:
        """The metric ids a return may hold and the rule each value follows."""
        return pd.DataFrame(
            {
                "metric_id": list(self.kinds),
                "value": [VALUE_KINDS[k] for k in self.kinds.values()],
                "service_area": [
                    self.service_area_rule.get(m, "optional") for m in self.kinds
                ],
                "may not exceed": [self.not_above.get(m, "") for m in self.kinds],
            }
        )


def load_rules(
    data_dir: Path = DATA_DIR, kinds: dict[str, str] | None = None
) -> ReturnRules:
    """The return's rules: ``kinds`` is every measure's value kind (the database's
    metrics.value_kind); without it, only the council report measures are listed."""
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
                name,
                rules.attrs["lines"][i],
                "value_kind",
                f"use one of {list(VALUE_KINDS)}",
            )
        if r.service_area not in ("required", "optional"):
            raise DataError(
                name,
                rules.attrs["lines"][i],
                "service_area",
                "use required or optional",
            )
        if pd.notna(r.not_above) and r.not_above not in set(rules.metric_id):
            raise DataError(
                name,
                rules.attrs["lines"][i],
                "not_above",
                "name a metric_id of this file",
            )
    areas = read_curated(
        data_dir / CURATED / "return_service_areas.csv",
        {
            "service_area": ("str", True),
            "source_id": ("str", True),
            "locator": ("str", True),
        },
        data_dir,
    )
    listed = dict(zip(rules.metric_id, rules.value_kind))
    return ReturnRules(
        kinds=listed if kinds is None else dict(kinds),
        service_area_rule=dict(zip(rules.metric_id, rules.service_area)),
        not_above={
            m: n for m, n in zip(rules.metric_id, rules.not_above) if pd.notna(n)
        },
        service_areas=tuple(areas.service_area),
        report_metrics=tuple(rules.metric_id),
    )
