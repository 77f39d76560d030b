"""What a new official release changed: the build compares the official figures it
has just loaded with those of the database it replaces, and records each figure
that is new, revised or removed, with a summary per file.

The comparison is by (metric_id, area_code, period_end, service_area) over official
figures only (sources of kind "official statistics"); monthly returns and report
figures are not releases. Earlier builds' records are carried into the new database,
so the history of updates survives every rebuild.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import duckdb

from metrics.official import EES_SOURCE, LAIT_FILE

# The raw file each official source's figures come from.
SOURCE_FILES = {"dfe_lait": str(LAIT_FILE)} | {
    source: str(path) for path, source in EES_SOURCE.items()
}
KEY = "metric_id, area_code, period_end, coalesce(service_area, '')"


CATALOGS = ("main", "previous")  # the new database and the earlier one, attached


def _official(schema: str) -> str:
    # Only names from this module are put in the text; values travel as parameters.
    if schema not in CATALOGS:
        raise ValueError(f"not a catalog of the comparison: {schema!r}")
    return f"""
        SELECT o.metric_id, o.area_code, o.period_end, o.period_label,
               coalesce(o.service_area, '') AS service_area, o.value, o.source_id
        FROM {schema}.observations AS o
        JOIN {schema}.sources AS s ON s.source_id = o.source_id
        WHERE s.kind = 'official statistics'
    """


def record_changes(
    con: duckdb.DuckDBPyConnection,
    previous: Path,
    build_id: str,
    built_at: dt.datetime,
    report: list,
) -> list[str]:
    """Compare the new build with the database at ``previous`` and record changes.

    Returns the summary lines the command line prints (none where nothing changed
    or there is no earlier database to compare with).
    """
    if not previous.exists():
        return []
    try:
        con.execute("ATTACH ? AS previous (READ_ONLY)", [str(previous)])
    except duckdb.Error:
        report.append(
            ("info", str(previous.name), "no readable earlier database to compare", 0)
        )
        return []
    try:
        return _compare(con, build_id, built_at)
    except duckdb.Error as exc:
        # An earlier database of another schema: nothing to compare, but say so.
        report.append(
            ("info", str(previous.name), f"earlier database not compared ({exc})", 0)
        )
        return []
    finally:
        con.execute("DETACH previous")


def _compare(con: duckdb.DuckDBPyConnection, build_id: str, built_at) -> list[str]:
    kept = con.execute(
        "SELECT count(*) FROM information_schema.tables WHERE table_catalog = "
        "'previous' AND table_name IN ('data_changes', 'data_updates')"
    ).fetchone()[0]
    if kept == 2:
        con.execute("INSERT INTO data_changes SELECT * FROM previous.data_changes")
        con.execute("INSERT INTO data_updates SELECT * FROM previous.data_updates")
    con.execute(f"CREATE TEMP TABLE new_official AS {_official('main')}")
    con.execute(f"CREATE TEMP TABLE old_official AS {_official('previous')}")
    con.execute(
        """
        CREATE TEMP TABLE changed AS
        SELECT coalesce(n.source_id, o.source_id) AS source_id,
               coalesce(n.metric_id, o.metric_id) AS metric_id,
               coalesce(n.area_code, o.area_code) AS area_code,
               coalesce(n.period_end, o.period_end) AS period_end,
               coalesce(n.period_label, o.period_label) AS period_label,
               CASE WHEN o.metric_id IS NULL THEN 'new'
                    WHEN n.metric_id IS NULL THEN 'removed'
                    ELSE 'revised' END AS change,
               o.value AS old_value, n.value AS new_value
        FROM new_official AS n
        FULL OUTER JOIN old_official AS o
          ON n.metric_id = o.metric_id AND n.area_code = o.area_code
         AND n.period_end = o.period_end AND n.service_area = o.service_area
        WHERE o.metric_id IS NULL OR n.metric_id IS NULL
           OR n.value IS DISTINCT FROM o.value
        """
    )
    files = con.execute(
        "SELECT DISTINCT source_id FROM changed ORDER BY source_id"
    ).fetchall()
    lines = []
    for (source_id,) in files:
        file = SOURCE_FILES.get(source_id, source_id)
        con.execute(
            "INSERT INTO data_changes SELECT ?, ?, metric_id, area_code, period_end, "
            "change, old_value, new_value FROM changed WHERE source_id = ?",
            [build_id, file, source_id],
        )
        new, revised, removed, periods = con.execute(
            """
            SELECT count(*) FILTER (change = 'new'), count(*) FILTER (change = 'revised'),
                   count(*) FILTER (change = 'removed'),
                   string_agg(DISTINCT period_label, ', ' ORDER BY period_label)
                       FILTER (change = 'new')
            FROM changed WHERE source_id = ?
            """,
            [source_id],
        ).fetchone()
        added, dropped = con.execute(
            """
            SELECT
              (SELECT count(DISTINCT metric_id) FROM new_official WHERE source_id = $s
                 AND metric_id NOT IN (SELECT metric_id FROM old_official)),
              (SELECT count(DISTINCT metric_id) FROM old_official WHERE source_id = $s
                 AND metric_id NOT IN (SELECT metric_id FROM new_official))
            """,
            {"s": source_id},
        ).fetchone()
        con.execute(
            "INSERT INTO data_updates VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [build_id, built_at, file, periods, new, revised, removed, added, dropped],
        )
        lines.append(
            f"changed: {file}: {new:,} new figures"
            + (f" (periods {periods})" if periods else "")
            + f", {revised:,} revised, {removed:,} removed; measures added {added}, "
            f"removed {dropped}"
        )
    for table in ("changed", "new_official", "old_official"):
        con.execute(f"DROP TABLE {table}")
    return lines
