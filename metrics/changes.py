"""What a new official release changed: the build compares the official figures and
Ofsted judgements it has just loaded with those of the database it replaces, and
records each figure or judgement that is new, revised or removed, with the release
that brought it, when it was first seen and a summary per file.

The comparison is by (metric_id, area_code, period_end, service_area) over official
figures only (sources of kind "official statistics"), and by (area, inspection's
first day, framework) over the judgements of Ofsted's outcomes files; monthly
returns and report figures are not releases. Earlier builds' records, and which
release of each source every build used (release_builds), are carried into the new
database, so the history of updates survives every rebuild.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import duckdb

from metrics.sources import BY_NAME

KEY = "metric_id, area_code, period_end, coalesce(service_area, '')"
HISTORY = ("data_changes", "data_updates", "release_builds")
JUDGEMENT = "ofsted_judgement"  # data_changes.metric_id of a judgement's change


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
    con.execute(
        "INSERT INTO release_builds SELECT ?, ?, source, release, file, sha256, "
        "published, fetched_at FROM source_releases "
        "WHERE in_use AND source_id IS NOT NULL",
        [build_id, built_at],
    )
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
    kept = {
        name
        for (name,) in con.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_catalog = "
            "'previous' AND table_name IN ('data_changes', 'data_updates', "
            "'release_builds', 'source_releases')"
        ).fetchall()
    }
    for table in HISTORY:
        if table in kept:
            # By name: a database of an earlier schema lacks the newer columns.
            con.execute(f"INSERT INTO {table} BY NAME SELECT * FROM previous.{table}")
    in_use = _in_use(con)
    was = _previous_releases(con) if "source_releases" in kept else {}
    lines = _release_lines(in_use, was)
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
    for (source_id,) in files:
        source, release, file = in_use.get(source_id, (source_id, None, source_id))
        context = [build_id, file, source, release, was.get(source), built_at]
        lines.append(_figures(con, source_id, context))
    lines += _judgements(con, build_id, built_at, in_use, was)
    for table in ("changed", "new_official", "old_official"):
        con.execute(f"DROP TABLE {table}")
    return lines


def _in_use(con: duckdb.DuckDBPyConnection) -> dict[str, tuple[str, str, str]]:
    """source_id -> (source, release, file of its first part) of each release used."""
    rows = con.execute(
        "SELECT source_id, source, release, part, file FROM source_releases "
        "WHERE in_use AND source_id IS NOT NULL"
    ).fetchall()
    out = {}
    for source_id, source, release, part, file in rows:
        if part == BY_NAME[source].parts[0].key:
            out[source_id] = (source, release, file)
    return out


def _previous_releases(con: duckdb.DuckDBPyConnection) -> dict[str, str]:
    """source -> the release the database being replaced used."""
    return dict(
        con.execute(
            "SELECT DISTINCT source, release FROM previous.source_releases "
            "WHERE in_use AND source_id IS NOT NULL"
        ).fetchall()
    )


def _release_lines(in_use: dict, was: dict[str, str]) -> list[str]:
    """One line per source whose release in use is not the one used before."""
    lines = []
    for source, release, file in sorted(in_use.values()):
        before = was.get(source)
        if before and before != release:
            words = BY_NAME[source].words
            lines.append(
                f"release: {source}: now {file} ({words(release)}), was {words(before)}"
            )
    return lines


def _figures(con: duckdb.DuckDBPyConnection, source_id: str, context: list) -> str:
    """Record one source's changed figures and return its summary line."""
    build_id, file, source, release, previous_release, built_at = context
    con.execute(
        "INSERT INTO data_changes BY NAME SELECT ? AS build_id, ? AS source_file, "
        "metric_id, area_code, period_end, change, old_value, new_value, "
        "? AS source, ? AS release, ? AS first_seen FROM changed WHERE source_id = ?",
        [build_id, file, source, release, built_at, source_id],
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
        "INSERT INTO data_updates VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [build_id, built_at, file, periods, new, revised, removed, added, dropped,
         source, release, previous_release],
    )  # fmt: skip
    return (
        f"changed: {file}: {new:,} new figures"
        + (f" (periods {periods})" if periods else "")
        + f", {revised:,} revised, {removed:,} removed; measures added {added}, "
        f"removed {dropped}"
    )


def _judgements_of(schema: str) -> str:
    if schema not in CATALOGS:
        raise ValueError(f"not a catalog of the comparison: {schema!r}")
    return f"""
        SELECT j.area_code, j.inspection_start, j.framework, j.overall_grade,
               j.grade_rank, j.source_id
        FROM {schema}.ofsted_judgements AS j
        JOIN {schema}.sources AS s ON s.source_id = j.source_id
        WHERE s.kind = 'official statistics'
    """


def _judgements(
    con: duckdb.DuckDBPyConnection, build_id: str, built_at, in_use: dict, was: dict
) -> list[str]:
    """Record each Ofsted judgement new, regraded or removed; one line if any."""
    rows = con.execute(
        f"""
        WITH n AS ({_judgements_of("main")}), o AS ({_judgements_of("previous")})
        SELECT coalesce(n.area_code, o.area_code),
               coalesce(n.inspection_start, o.inspection_start),
               CASE WHEN o.area_code IS NULL THEN 'new'
                    WHEN n.area_code IS NULL THEN 'removed' ELSE 'revised' END,
               o.grade_rank, n.grade_rank, o.overall_grade, n.overall_grade,
               coalesce(n.source_id, o.source_id)
        FROM n FULL OUTER JOIN o
          ON n.area_code = o.area_code AND n.inspection_start = o.inspection_start
         AND n.framework = o.framework
        WHERE o.area_code IS NULL OR n.area_code IS NULL
           OR n.overall_grade IS DISTINCT FROM o.overall_grade
        ORDER BY 1, 2
        """
    ).fetchall()
    if not rows:
        return []
    source_id = next((r[7] for r in rows if r[7] in in_use), rows[0][7])
    source, release, file = in_use.get(source_id, ("ofsted_outcomes", None, source_id))
    con.executemany(
        "INSERT INTO data_changes VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            [build_id, file, JUDGEMENT, area, start, change, old, new, source,
             release, built_at, old_text, new_text]
            for area, start, change, old, new, old_text, new_text, _ in rows
        ],
    )  # fmt: skip
    counts = {c: sum(r[2] == c for r in rows) for c in ("new", "revised", "removed")}
    con.execute(
        "INSERT INTO data_updates VALUES (?, ?, ?, NULL, ?, ?, ?, 0, 0, ?, ?, ?)",
        [build_id, built_at, file, counts["new"], counts["revised"],
         counts["removed"], source, release, was.get(source)],
    )  # fmt: skip
    return [
        f"changed: {file}: {counts['new']:,} new Ofsted judgements, "
        f"{counts['revised']:,} regraded, {counts['removed']:,} removed"
    ]
