"""Targets files into the database: compare a plan with the checkpoints already
loaded (new, revised, unchanged), apply it keeping every earlier target, and record
each new trajectory's baseline."""

from __future__ import annotations

import datetime as dt
import json

import duckdb
import pandas as pd

from metrics.import_log import LogEntry
from metrics.load_context import Context, Run
from metrics.uploads import ValidFile

SOURCE_KIND = "targets file"
LICENCE = "Local management information"
PUBLISHER = "Local authority children's services improvement board"
KEY = ["area_code", "metric_id", "due"]


def compare_plan(valid: ValidFile, context: Context) -> pd.DataFrame:
    """Each checkpoint of a plan marked new, revised (with the old target) or
    unchanged."""
    loaded = context.targets.rename(
        columns={
            "target": "previous_target",
            "direction": "previous_direction",
            "revision": "previous_revision",
        }
    )
    out = valid.rows.merge(loaded, on=KEY, how="left")
    same = ((out.target - out.previous_target).abs() < 1e-9) & (
        out.direction == out.previous_direction
    )
    out["status"] = "revised"
    out.loc[out.previous_target.isna(), "status"] = "new"
    out.loc[same, "status"] = "unchanged"
    out["revision"] = out.previous_revision.fillna(0).astype(int) + (
        out.status != "unchanged"
    ).astype(int)
    return out.drop(columns="previous_revision")


def baselines(
    run: Run, valid: ValidFile, context: Context, day: dt.date
) -> dict[str, dict]:
    """For each trajectory the plan starts (no checkpoint loaded before), the latest
    figure at or before ``day``: official where an official and a local one share
    a period. Keyed "area_code|metric_id"; value None where there is no figure."""
    started = set(zip(context.targets.area_code, context.targets.metric_id))
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


def apply_plan(
    con: duckdb.DuckDBPyConnection,
    valid: ValidFile,
    changes: pd.DataFrame,
    entry: LogEntry,
    context: Context,
) -> None:
    """Write one plan's source, log row, checkpoints, revisions and baselines."""
    entry.insert(con, "Targets file", PUBLISHER, SOURCE_KIND, LICENCE)
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
