"""Monthly returns: one row per figure of any measure, checked against every rule
below, then written into the database keeping every earlier value as a revision.

A return has the columns period_end, metric_id, service_area (optional), value, note
(optional) and, if wanted, area_code (kinds.toml). docs/MONTHLY_RETURNS.md describes
the same rules for the people who fill a return in.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import duckdb
import pandas as pd

from metrics.loading.checks import CELL_RULES, NOTE_RULE, VALUE_KINDS, Cells, Form, rule
from metrics.loading.context import Context, Run
from metrics.loading.files import FILE_RULES, ValidFile
from metrics.loading.log import LogEntry
from metrics.loading.return_rules import load_rules

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
    **NOTE_RULE,
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


class ReturnCells(Cells):
    """A return's cells, with its service areas and the figures it would leave out
    of order ("out of timescale" above "in progress")."""

    def __init__(self, cells: pd.DataFrame, form: Form, ctx: Context):
        super().__init__(cells, form, ctx)
        self.rules = load_rules(ctx.data_dir, ctx.value_kinds)
        self.today = pd.Timestamp(ctx.today)
        by_lower = {s.lower(): s for s in self.rules.service_areas}
        self.service_area = self.text["service_area"].str.lower().map(by_lower)
        # Blank is the whole service; an unknown service area is no key at all.
        self.team = self.service_area.fillna("").where(
            self.text["service_area"] == "", self.service_area
        )
        self.above = self._above(ctx.loaded)

    def key_value(self, column: str) -> pd.Series:
        """A key column's cells as rows are told apart (NaN: not comparable)."""
        return self.team if column == "service_area" else super().key_value(column)

    def _above(self, current: pd.DataFrame) -> dict[int, str]:
        """Rows whose figure breaks an 'out of timescale <= in progress' rule, with
        the figures already loaded standing where the file gives none."""
        file = pd.DataFrame(
            {
                "metric_id": self.metric,
                "area_code": self.area,
                "period_end": self.date.dt.strftime("%Y-%m-%d"),
                "service_area": self.team,
                "value": self.number,
                "row": self.index,
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
                found.update(_out_of_order(p, larger))
        return found

    def fields(self, row: int, column: str) -> dict[str, object]:
        """What a rule's detail may say of a cell: also today, and the figure a
        figure is above."""
        return {
            **super().fields(row, column),
            "today": self.today,
            "above": self.above.get(row, ""),
        }

    def typed(self) -> dict[str, object]:
        """The figures' columns, typed."""
        return {
            "period_end": self.date.dt.date,
            "metric_id": self.metric,
            "service_area": self.service_area.where(self.service_area.notna(), None),
            "area_code": self.area,
            "value": self.number,
        }

    @rule("future_date", "period_end", "{cell} is after today ({today:%Y-%m-%d})")
    def _future_date(self) -> pd.Series:
        return self.date.notna() & (self.date > self.today)

    @rule(
        "unknown_service_area", "service_area", "{shown} is not a listed service area"
    )
    def _unknown_service_area(self) -> pd.Series:
        return (self.text["service_area"] != "") & self.service_area.isna()

    @rule("negative", "value", "{cell} is below zero")
    def _negative(self) -> pd.Series:
        return (self.number < 0) & (self.value_kind != "number")

    @rule("not_whole", "value", "{cell} is not a whole number and {metric} is a count")
    def _not_whole(self) -> pd.Series:
        whole = self.number % 1 == 0
        return (self.value_kind == "count") & ~whole & self.number.notna()

    @rule("percent_range", "value", "{cell} is above 100 and {metric} is a percentage")
    def _percent_range(self) -> pd.Series:
        return (self.value_kind == "percent") & (self.number > 100)

    @rule("service_area_required", "service_area", "{metric} has no service_area", True)
    def _service_area_required(self) -> pd.Series:
        by_team = self.metric.map(self.rules.service_area_rule) == "required"
        return by_team & (self.text["service_area"] == "")

    @rule("not_above", "value", "{above}")
    def _not_above(self) -> pd.Series:
        return pd.Series(self.index.isin(list(self.above)), self.index)


def _out_of_order(p, larger: str) -> dict[int, str]:
    """The row at fault where a figure is above the one it may not exceed: the file's
    smaller figure, else the file's larger one (the smaller one already loaded)."""
    if pd.notna(p.row):
        where = f"row {int(p.row_limit)}" if pd.notna(p.row_limit) else "already loaded"
        return {
            int(p.row): f"{p.metric_id} {p.value:g} is above {larger} "
            f"{p.value_limit:g} ({where})"
        }
    return {
        int(p.row_limit): f"{larger} {p.value_limit:g} is below {p.metric_id} "
        f"{p.value:g} (already loaded)"
    }


def loaded(run: Run) -> pd.DataFrame:
    """The latest revision of every figure loaded from returns."""
    figures = run(
        """
        SELECT metric_id, area_code, period_end, service_area, value, revision
        FROM observation_revisions
        QUALIFY row_number() OVER (
            PARTITION BY metric_id, area_code, period_end, service_area
            ORDER BY revision DESC) = 1
        """
    )
    figures["period_end"] = pd.to_datetime(figures.period_end).dt.date
    return figures


def apply(
    con: duckdb.DuckDBPyConnection, changes: pd.DataFrame, entry: LogEntry, ctx: Context
) -> None:
    """Write one return's new and revised figures and their revisions (no commit)."""
    changed = changes[changes.status != "unchanged"].copy()
    if changed.empty:
        return
    changed["area_name"] = changed.area_code.map(ctx.areas)
    changed["period_label"] = [f"{d:%b %Y}" for d in changed.period_end]
    changed["source_id"] = entry.source_id
    changed["locator"] = [f"{entry.file_name}, row {r}" for r in changed.row]
    changed["import_id"] = entry.import_id
    con.register("incoming", changed)
    try:
        con.execute(
            """
            INSERT INTO observations (metric_id, area_code, area_name, period_end,
                period_label, date_precision, service_area, value, value_low,
                value_high, approximate, qualifier, source_id, locator, note, origin)
            SELECT metric_id, area_code, area_name, period_end, period_label, 'day',
                   service_area, value, NULL, NULL, false, NULL, source_id, locator, note,
                   'local'
            FROM incoming WHERE status = 'new'
            """
        )
        con.execute(
            """
            UPDATE observations AS o
            SET value = i.value, note = i.note, source_id = i.source_id,
                locator = i.locator
            FROM incoming AS i
            WHERE i.status = 'revised'
              AND o.metric_id = i.metric_id AND o.area_code = i.area_code
              AND o.period_end = i.period_end
              AND o.service_area IS NOT DISTINCT FROM i.service_area
              AND o.origin = 'local'
            """
        )
        con.execute(
            """
            INSERT INTO observation_revisions (metric_id, area_code, period_end,
                service_area, revision, value, previous_value, note, import_id,
                source_id, source_row, locator)
            SELECT metric_id, area_code, period_end, service_area, revision, value,
                   previous_value, note, import_id, source_id, row, locator
            FROM incoming
            """
        )
    finally:
        con.unregister("incoming")


def describe(change) -> tuple[str, str]:
    """Where a figure is, as the command line lists it, and nothing after its value."""
    where = f"row {change.row}: {change.metric_id}"
    if isinstance(change.service_area, str):
        where += f" ({change.service_area})"
    return f"{where}, {change.area_code}, {change.period_end}", ""


def value_rules(measures: pd.DataFrame, data_dir: Path) -> dict[str, list]:
    """The rule each measure's figures follow, by column, in the measures' order."""
    rules = load_rules(data_dir, dict(zip(measures.metric_id, measures.value_kind)))
    ids = list(measures.metric_id)
    return {
        "value": [VALUE_KINDS[rules.kinds[m]] for m in ids],
        "service_area": [rules.service_area_rule.get(m, "optional") for m in ids],
        "may not exceed": [rules.not_above.get(m, "") for m in ids],
    }


def choices(data_dir: Path) -> tuple[str, ...]:
    """The service areas a return may name (its template's drop-down list)."""
    return load_rules(data_dir).service_areas


def record(run: Run, valid: ValidFile, ctx: Context, day: dt.date) -> dict:
    """What the log row records of a return on the day it is loaded: nothing."""
    return {}
