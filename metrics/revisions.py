"""Revisions of loaded figures: compare a return with the figures already loaded
(new, revised, unchanged), apply it keeping every earlier value, and replay every
logged return on build."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

import duckdb
import pandas as pd

from metrics.config import ARCHIVE, LOG
from metrics.import_log import LogEntry, read_log
from metrics.return_rules import ValidReturn, load_rules
from metrics.returns import validate
from metrics.storage import DataError, sha256
from metrics.uploads import FileRejected

SOURCE_KIND = "monthly return"
LICENCE = "Local management information"
PUBLISHER = "Local authority children's services performance team"

Run = Callable[..., pd.DataFrame]


def runner(con: duckdb.DuckDBPyConnection) -> Run:
    """Run a query on a connection and return its rows as a frame."""
    return lambda sql, params=None: con.execute(sql, params or []).df()


def context(run: Run) -> tuple[dict[str, str], pd.DataFrame, int]:
    """Local authorities, the latest imported figures, and the next import id."""
    areas = run(
        "SELECT area_code, area_name FROM areas WHERE level = 'local authority'"
    )
    current = run(
        """
        SELECT metric_id, area_code, period_end, service_area, value, revision
        FROM observation_revisions
        QUALIFY row_number() OVER (
            PARTITION BY metric_id, area_code, period_end, service_area
            ORDER BY revision DESC) = 1
        """
    )
    current["period_end"] = pd.to_datetime(current.period_end).dt.date
    next_id = int(
        run("SELECT coalesce(max(import_id), 0) + 1 AS n FROM import_log").n[0]
    )
    return dict(zip(areas.area_code, areas.area_name)), current, next_id


def compare(valid: ValidReturn, current: pd.DataFrame) -> pd.DataFrame:
    """Each row of a return marked new, revised (with the old value) or unchanged."""
    rows = valid.rows.assign(_sa=valid.rows.service_area.fillna(""))
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
    valid: ValidReturn,
    changes: pd.DataFrame,
    entry: LogEntry,
    area_names: dict[str, str],
) -> None:
    """Write one return's source, log row, figures and revisions (no commit here)."""
    con.execute(
        "INSERT INTO sources (source_id, title, publisher, published, "
        "published_precision, kind, licence, reference) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        [
            entry.source_id,
            f"Monthly return {entry.file_name}",
            PUBLISHER,
            entry.imported_at.date(),
            "day",
            SOURCE_KIND,
            LICENCE,
            f"data/{entry.archive_file}; import {entry.import_id} of "
            f"{entry.imported_at:%Y-%m-%d %H:%M} UTC",
        ],
    )
    con.execute(
        "INSERT INTO import_log (import_id, imported_at, file_name, sha256, "
        "archive_file, default_area, source_id, rows_new, rows_revised, rows_unchanged, "
        "loaded_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            entry.import_id,
            entry.imported_at,
            entry.file_name,
            entry.sha256,
            entry.archive_file,
            entry.default_area,
            entry.source_id,
            entry.rows_new,
            entry.rows_revised,
            entry.rows_unchanged,
            entry.loaded_by or None,
        ],
    )
    changed = changes[changes.status != "unchanged"].copy()
    if changed.empty:
        return
    changed["area_name"] = changed.area_code.map(area_names)
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
                value_high, approximate, qualifier, source_id, locator, note)
            SELECT metric_id, area_code, area_name, period_end, period_label, 'day',
                   service_area, value, NULL, NULL, false, NULL, source_id, locator, note
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
              AND o.source_id IN (SELECT source_id FROM import_log)
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


def log_entry(
    valid: ValidReturn,
    changes: pd.DataFrame,
    import_id: int,
    now: dt.datetime,
    area: str,
    archive_file: str,
    loaded_by: str = "",
) -> LogEntry:
    """The log row of a return, with its counts of new, revised and unchanged rows."""
    counts = changes.status.value_counts()
    return LogEntry(
        import_id=import_id,
        imported_at=now,
        file_name=valid.file_name,
        sha256=valid.sha256,
        archive_file=archive_file,
        default_area=area,
        rows_new=int(counts.get("new", 0)),
        rows_revised=int(counts.get("revised", 0)),
        rows_unchanged=int(counts.get("unchanged", 0)),
        loaded_by=loaded_by,
    )


def replay(con: duckdb.DuckDBPyConnection, data_dir: Path, report: list) -> None:
    """Load every logged return from the archive, in log order (part of the build)."""
    entries = read_log(data_dir)
    archived = {
        str(p.relative_to(data_dir))
        for p in (data_dir / ARCHIVE).glob("*")
        if p.is_file() and not p.name.startswith(".")
    }
    for orphan in sorted(archived - {e.archive_file for e in entries}):
        report.append(
            (
                "info",
                orphan,
                "archived return not in imports/log.csv (its import stopped before "
                "the log row was written); not loaded",
                0,
            )
        )
    if not entries:
        return
    rules = load_rules(data_dir)
    for i, entry in enumerate(entries):
        path = data_dir / entry.archive_file
        if not path.exists():
            raise DataError(LOG, i + 2, "archive_file", "the archived file is missing")
        content = path.read_bytes()
        if sha256(content) != entry.sha256:
            raise DataError(
                entry.archive_file,
                None,
                None,
                "differs from the file imported (SHA-256 mismatch); archived returns "
                "must never be edited",
            )
        areas, current, _ = context(runner(con))
        try:
            valid = validate(
                content,
                entry.file_name,
                rules,
                areas,
                current,
                entry.default_area,
                entry.imported_at.date(),
            )
        except FileRejected as exc:
            first = exc.problems[0]
            raise DataError(
                entry.archive_file,
                first.row,
                first.column,
                f"import {entry.import_id} ({entry.file_name}) no longer passes the "
                f"return rules: {first.problem}",
            ) from exc
        changes = compare(valid, current)
        replayed = log_entry(
            valid,
            changes,
            entry.import_id,
            entry.imported_at,
            entry.default_area,
            entry.archive_file,
            entry.loaded_by,
        )
        if (replayed.rows_new, replayed.rows_revised, replayed.rows_unchanged) != (
            entry.rows_new,
            entry.rows_revised,
            entry.rows_unchanged,
        ):
            report.append(
                (
                    "warning",
                    str(LOG),
                    f"import {entry.import_id} replayed as {replayed.rows_new} new, "
                    f"{replayed.rows_revised} revised, {replayed.rows_unchanged} "
                    "unchanged, unlike its log row",
                    len(changes),
                )
            )
        apply(con, valid, changes, replayed, areas)
