"""Monthly returns into the database: compare a return with the figures already
loaded (new, revised, unchanged) and apply it, keeping every earlier value."""

from __future__ import annotations

import duckdb
import pandas as pd

from metrics.import_log import LogEntry
from metrics.load_context import Context
from metrics.uploads import ValidFile

SOURCE_KIND = "monthly return"
LICENCE = "Local management information"
PUBLISHER = "Local authority children's services performance team"


def compare(valid: ValidFile, context: Context) -> pd.DataFrame:
    """Each row of a return marked new, revised (with the old value) or unchanged."""
    rows = valid.rows.assign(_sa=valid.rows.service_area.fillna(""))
    current = context.figures
    loaded = current.assign(_sa=current.service_area.fillna("")).rename(
        columns={"value": "previous_value", "revision": "previous_revision"}
    )[["metric_id", "area_code", "period_end", "_sa", "previous_value",
       "previous_revision"]]  # fmt: skip
    out = rows.merge(
        loaded, on=["metric_id", "area_code", "period_end", "_sa"], how="left"
    ).drop(columns="_sa")
    same = (out.value - out.previous_value).abs() < 1e-9
    out["status"] = "revised"
    out.loc[out.previous_value.isna(), "status"] = "new"
    out.loc[same, "status"] = "unchanged"
    out["revision"] = out.previous_revision.fillna(0).astype(int) + (
        out.status != "unchanged"
    ).astype(int)
    return out.drop(columns="previous_revision")


# --- applying a return ----------------------------------------------------------------


def apply(
    con: duckdb.DuckDBPyConnection,
    valid: ValidFile,
    changes: pd.DataFrame,
    entry: LogEntry,
    context: Context,
) -> None:
    """Write one return's source, log row, figures and revisions (no commit here)."""
    entry.insert(con, "Monthly return", PUBLISHER, SOURCE_KIND, LICENCE)
    changed = changes[changes.status != "unchanged"].copy()
    if changed.empty:
        return
    changed["area_name"] = changed.area_code.map(context.areas)
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
