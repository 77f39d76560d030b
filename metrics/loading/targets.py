"""Targets files, the improvement plan: one row per checkpoint, checked against every
rule below, then written into the database keeping every earlier target as a
revision and recording each new trajectory's baseline.

A row has metric_id, area_code (blank: the area chosen when loading), due (a month
end), target, direction ("at least" or "at most"; blank: from the measure's
polarity) and note. Several rows of one measure and area are its trajectory.
docs/TARGETS.md says the same for the people who fill it in.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import duckdb
import pandas as pd

from metrics.loading.checks import CELL_RULES, NOTE_RULE, VALUE_KINDS, Cells, Form, rule
from metrics.loading.context import Context, Run
from metrics.loading.files import FILE_RULES, ValidFile
from metrics.loading.log import LogEntry

DIRECTIONS = ("at least", "at most")
BY_POLARITY = {"higher": "at least", "lower": "at most"}
RULES: dict[str, tuple[str, str]] = {
    **FILE_RULES,
    "missing_column": (
        "columns metric_id, due and target are required",
        "add the missing column to row 1 (see the targets template)",
    ),
    "unknown_column": (
        "only the columns metric_id, area_code, due, target, direction and note are "
        "accepted; a plan holds aggregate targets and must never contain child-level "
        "data (names, dates of birth or identifiers)",
        "delete the column; if it holds details of individual children, delete the "
        "file too and tell your information governance lead",
    ),
    **CELL_RULES,
    "required": (
        "metric_id, due and target must each have a value in every row",
        "fill in the cell, or delete the row if it is not a checkpoint",
    ),
    "unknown_metric": (
        "metric_id must be a measure of the data dictionary",
        "use an id listed in the targets template's Guidance sheet or on the Sources "
        "and caveats page (e.g. Continue_Assess_Comp, ReReferral, sw_caseload_fte)",
    ),
    "unknown_area": (
        "area_code must be blank or the ONS code of an English local authority",
        "leave area_code blank to use the area chosen when loading, or give an ONS "
        "code such as E08000017",
    ),
    "not_a_date": (
        "due must be a date written YYYY-MM-DD",
        "write the date as year-month-day, e.g. 2027-03-31",
    ),
    "not_month_end": (
        "due must be the last day of a month",
        "give the last day of the month the checkpoint falls in, e.g. 2027-03-31",
    ),
    "not_a_number": (
        "target must be a number",
        "write digits only, with a decimal point if needed: no % signs, units or "
        "words (e.g. 90 or 17.5)",
    ),
    "target_range": (
        "a target must be a value the measure can take: a percentage from 0 to 100, "
        "a count a whole number 0 or more, a rate or average 0 or more",
        "give the target in the measure's own unit (90 for 90%, not 0.9)",
    ),
    "unknown_direction": (
        "direction must be blank, 'at least' or 'at most'",
        "write 'at least' when the figure must reach the target or more, 'at most' "
        "when it must not exceed it; leave it blank to follow the measure's polarity",
    ),
    "direction_required": (
        "a measure with no better direction (neutral polarity) needs a direction",
        "write 'at least' or 'at most' in the direction column",
    ),
    **NOTE_RULE,
    "duplicate_checkpoint": (
        "each metric_id, area_code and due may appear once in a file",
        "keep one row per checkpoint; to change a target already loaded, load a new "
        "file with the new value (it is kept as a revision)",
    ),
}


def in_range(kind: str | None, value: float) -> bool:
    """Whether a target is a value a measure of this kind can take."""
    if kind == "number":
        return True
    if value < 0:
        return False
    if kind == "percent":
        return value <= 100
    if kind == "count":
        return float(value).is_integer()
    return True


class TargetCells(Cells):
    """A targets file's cells, with each row's direction as written and as taken."""

    def __init__(self, cells: pd.DataFrame, form: Form, ctx: Context):
        super().__init__(cells, form, ctx)
        self.direction = self.text["direction"].str.lower().str.split().str.join(" ")
        self.polarity_known = self.metric.isin(list(ctx.polarity))
        self.by_polarity = self.metric.map(ctx.polarity).map(BY_POLARITY)

    def typed(self) -> dict[str, object]:
        """The checkpoints' columns, typed; a blank direction from the polarity."""
        given = self.direction != ""
        return {
            "metric_id": self.metric,
            "area_code": self.area,
            "due": self.date.dt.date,
            "target": self.number,
            "direction": self.direction.where(given, self.by_polarity),
            "direction_given": given,
        }

    @rule(
        "target_range",
        "target",
        "{cell} is not {kind_words}, and {metric} is measured as {kind}",
    )
    def _target_range(self) -> pd.Series:
        fits = [in_range(k, v) for k, v in zip(self.value_kind, self.number)]
        known = self.number.notna() & self.value_kind.notna()
        return known & ~pd.Series(fits, self.index)

    @rule("unknown_direction", "direction", "{shown} is not a direction")
    def _unknown_direction(self) -> pd.Series:
        return (self.direction != "") & ~self.direction.isin(DIRECTIONS)

    @rule(
        "direction_required",
        "direction",
        "{metric} has no better direction, so the direction is blank",
        anywhere=True,
    )
    def _direction_required(self) -> pd.Series:
        neutral = self.polarity_known & self.by_polarity.isna()
        return (self.direction == "") & neutral


def loaded(run: Run) -> pd.DataFrame:
    """Every checkpoint loaded (plan_targets holds each one's latest revision)."""
    targets = run(
        "SELECT area_code, metric_id, due, target, direction, revision "
        "FROM plan_targets"
    )
    targets["due"] = pd.to_datetime(targets.due).dt.date
    return targets


def baselines(
    run: Run, valid: ValidFile, context: Context, day: dt.date
) -> dict[str, dict]:
    """For each trajectory the plan starts (no checkpoint loaded before), the latest
    figure at or before ``day``: official where an official and a local one share
    a period. Keyed "area_code|metric_id"; value None where there is no figure."""
    started = set(zip(context.loaded.area_code, context.loaded.metric_id))
    out: dict[str, dict] = {}
    for area, metric in sorted(set(zip(valid.rows.area_code, valid.rows.metric_id))):
        if (area, metric) in started:
            continue
        rows = run(
            """
            SELECT value, period_end, period_label, origin FROM observations
            WHERE area_code = ? AND metric_id = ? AND service_area IS NULL
              AND origin IN ('official', 'local') AND value IS NOT NULL
              AND period_end <= ?
            ORDER BY period_end DESC, origin = 'official' DESC LIMIT 1
            """,
            [area, metric, day],
        )
        key = f"{area}|{metric}"
        if rows.empty:
            out[key] = {"value": None}
        else:
            r = rows.iloc[0]
            out[key] = {
                "value": float(r.value),
                "period_end": pd.Timestamp(r.period_end).date().isoformat(),
                "period_label": str(r.period_label),
                "origin": str(r.origin),
            }
    return out


# The log row of a targets file records its new trajectories' baselines, so that
# every replay writes the same even after a later release adds an older period.
record = baselines


def apply(
    con: duckdb.DuckDBPyConnection, changes: pd.DataFrame, entry: LogEntry, ctx: Context
) -> None:
    """Write one plan's new and revised checkpoints, their revisions, and the
    baselines its log row recorded (no commit)."""
    changed = changes[changes.status != "unchanged"].assign(
        import_id=entry.import_id,
        source_id=entry.source_id,
        loaded_at=entry.imported_at,
    )
    if not changed.empty:
        con.register("incoming", changed)
        try:
            con.execute(
                "DELETE FROM plan_targets AS t USING incoming AS i WHERE i.status = "
                "'revised' AND t.area_code = i.area_code AND t.metric_id = "
                "i.metric_id AND t.due = i.due"
            )
            con.execute(
                """
                INSERT INTO plan_targets (area_code, metric_id, due, target, direction,
                    direction_given, note, revision, import_id, source_id, source_row,
                    loaded_at)
                SELECT area_code, metric_id, due, target, direction, direction_given,
                       note, revision, import_id, source_id, "row", loaded_at
                FROM incoming
                """
            )
            con.execute(
                """
                INSERT INTO target_revisions (area_code, metric_id, due, revision,
                    target, direction, previous_target, previous_direction, note,
                    import_id, source_row, loaded_at)
                SELECT area_code, metric_id, due, revision, target, direction,
                       previous_target, previous_direction, note, import_id, "row",
                       loaded_at
                FROM incoming
                """
            )
        finally:
            con.unregister("incoming")
    for key, b in json.loads(entry.baselines or "{}").items():
        area, metric = key.split("|", 1)
        con.execute(
            "INSERT INTO plan_baselines (area_code, metric_id, value, period_end, "
            "period_label, origin, recorded_on, import_id) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            [
                area,
                metric,
                b.get("value"),
                b.get("period_end"),
                b.get("period_label"),
                b.get("origin"),
                entry.imported_at.date(),
                entry.import_id,
            ],
        )


def describe(change) -> tuple[str, str]:
    """Where a checkpoint is, as the command line lists it, and its direction."""
    where = (
        f"row {change.row}: {change.metric_id}, {change.area_code}, due {change.due}"
    )
    return where, f" ({change.direction})"


def value_rules(measures: pd.DataFrame, data_dir: Path) -> dict[str, list]:
    """The value each measure's target may be, and the direction taken when the
    direction is blank, by column, in the measures' order."""
    return {
        "target": [VALUE_KINDS[k] for k in measures.value_kind],
        "direction when blank": [
            BY_POLARITY.get(p, "required: no better direction")
            for p in measures.polarity
        ],
    }


def choices(data_dir: Path) -> tuple[str, ...]:
    """The directions a checkpoint may name (its template's drop-down list)."""
    return DIRECTIONS
