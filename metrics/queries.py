"""Parameterised read-only queries returning DataFrames; the only SQL the pages use."""

from __future__ import annotations

import threading
from pathlib import Path

import duckdb
import pandas as pd

from metrics.config import default_db_path

# Headline indicators on the overview, in order.
HEADLINE_METRICS = [
    "Continue_Assess_Comp",
    "CIN",
    "ReReferral",
    "CPP_rate",
    "Work_Force_AvgNumCase_SW",
]
# A value worse than England by at most this share of England's value is amber.
RAG_TOLERANCE = 0.05
NEIGHBOUR_MEAN = "Statistical neighbours (mean)"


class Database:
    """A read-only view of the built database; one connection, a cursor per query."""

    def __init__(self, path: Path | str | None = None):
        self.path = Path(path or default_db_path())
        self._con: duckdb.DuckDBPyConnection | None = None
        self._lock = threading.Lock()

    def _connection(self) -> duckdb.DuckDBPyConnection:
        with self._lock:
            if self._con is None:
                # ATTACH from a private in-memory database rather than connect(path):
                # DuckDB shares one instance per path within a process, so a new
                # connect() would keep reading a file that an import or a build has
                # since replaced while any older connection to it is still open.
                self._con = duckdb.connect(":memory:")
                self._con.execute("ATTACH ? AS dashboard (READ_ONLY)", [str(self.path)])
                # The ART index on observations is for the build's upserts; for
                # these queries, which pick a few areas of one metric, a scan of
                # the metric-ordered table is about twice as fast as many probes.
                self._con.execute("SET index_scan_max_count = 0")
            return self._con

    def close(self) -> None:
        """Close the connection (a later query reopens it)."""
        with self._lock:
            if self._con is not None:
                self._con.close()
                self._con = None

    def df(self, sql: str, params: list | dict | None = None) -> pd.DataFrame:
        """Run one parameterised query and return its rows."""
        cursor = self._connection().cursor()
        try:
            cursor.execute("USE dashboard")  # each cursor starts in the memory catalog
            return cursor.execute(sql, params or []).df()
        finally:
            cursor.close()

    # --- areas -------------------------------------------------------------

    def local_authorities(self) -> pd.DataFrame:
        """Current English LAs (code, name, region), by name."""
        return self.df(
            "SELECT area_code, area_name, region_code, region_name FROM areas "
            "WHERE level = 'local authority' AND is_current ORDER BY area_name"
        )

    def area(self, area_code: str) -> dict:
        """One area's row as a dict (empty if unknown)."""
        rows = self.df("SELECT * FROM areas WHERE area_code = ?", [area_code])
        return rows.iloc[0].to_dict() if len(rows) else {}

    def neighbours(self, area_code: str, model: str = "2025") -> pd.DataFrame:
        """An LA's statistical neighbours under a model, closest first."""
        return self.df(
            """
            SELECT s.rank, s.neighbour_code AS area_code, a.area_name, s.closeness
            FROM statistical_neighbours AS s JOIN areas AS a ON a.area_code = s.neighbour_code
            WHERE s.area_code = ? AND s.model = ? ORDER BY s.rank
            """,
            [area_code, model],
        )

    # --- metrics and observations -----------------------------------------

    def metric(self, metric_id: str) -> dict:
        """One metric's dictionary entry with its source."""
        rows = self.df(
            "SELECT m.*, s.title AS source_title, s.publisher, s.published "
            "FROM metrics AS m JOIN sources AS s USING (source_id) WHERE metric_id = ?",
            [metric_id],
        )
        return rows.iloc[0].to_dict() if len(rows) else {}

    def observations(self, metric_ids: list[str], area_code: str) -> pd.DataFrame:
        """Observations of some metrics for one area, with source titles.

        Figures loaded from monthly returns are left out: monthly_points has them.
        """
        return self.df(
            """
            SELECT o.*, s.title AS source_title, m.label AS metric_label, m.unit
            FROM observations AS o
            JOIN sources AS s USING (source_id)
            JOIN metrics AS m USING (metric_id)
            WHERE o.metric_id IN (SELECT unnest(?)) AND o.area_code = ?
              AND o.source_id NOT IN (SELECT source_id FROM import_log)
            ORDER BY o.metric_id, o.period_end, o.service_area
            """,
            [metric_ids, area_code],
        )

    def comparator_series(
        self, metric_id: str, area_code: str, model: str = "2025"
    ) -> pd.DataFrame:
        """A metric over time for the LA, its region, England and its neighbours' mean."""
        return self.df(
            """
            WITH focus AS (SELECT * FROM areas WHERE area_code = $area),
            picked AS (
                SELECT o.period_end, o.period_label, o.value, o.area_name AS series,
                       CASE WHEN o.area_code = $area THEN 'focus'
                            WHEN o.area_code = 'E92000001' THEN 'england'
                            ELSE 'region' END AS role,
                       o.source_id, o.locator, o.approximate, o.qualifier
                FROM observations AS o
                WHERE o.metric_id = $metric
                  AND (o.area_code = $area OR o.area_code = 'E92000001'
                       OR o.area_code = (SELECT region_code FROM focus))
            ),
            nbrs AS (
                SELECT o.period_end, any_value(o.period_label) AS period_label,
                       avg(o.value) AS value, count(o.value) AS n
                FROM statistical_neighbours AS s
                JOIN observations AS o
                  ON o.area_code = s.neighbour_code AND o.metric_id = $metric
                WHERE s.area_code = $area AND s.model = $model
                GROUP BY o.period_end
            )
            SELECT p.*, s.title AS source_title, NULL::BIGINT AS n_neighbours
            FROM picked AS p JOIN sources AS s USING (source_id)
            UNION ALL
            SELECT n.period_end, n.period_label, n.value, $label, 'neighbours',
                   (SELECT source_id FROM metrics WHERE metric_id = $metric),
                   'mean of ' || n.n || ' neighbours with a value ('
                   || $model || ' model)', false, NULL,
                   (SELECT title FROM sources WHERE source_id =
                       (SELECT source_id FROM metrics WHERE metric_id = $metric)),
                   n.n
            FROM nbrs AS n WHERE n.n > 0
            ORDER BY role, period_end
            """,
            {
                "area": area_code,
                "metric": metric_id,
                "model": model,
                "label": NEIGHBOUR_MEAN,
            },
        )

    def headline(
        self, area_code: str, metric_ids: list[str] | None = None
    ) -> pd.DataFrame:
        """Latest value, previous value and England's latest for headline metrics."""
        ids = metric_ids or HEADLINE_METRICS
        frame = self.df(
            """
            WITH ranked AS (
                SELECT o.metric_id, o.area_code, o.period_end, o.period_label, o.value,
                       row_number() OVER (PARTITION BY o.metric_id, o.area_code
                                          ORDER BY o.period_end DESC) AS n
                FROM observations AS o
                WHERE o.metric_id IN (SELECT unnest($ids))
                  AND o.area_code IN ($area, 'E92000001') AND o.value IS NOT NULL
            )
            SELECT m.metric_id, m.label, m.unit, m.polarity, m.dps,
                   (SELECT title FROM sources WHERE source_id = m.source_id)
                       AS source_title,
                   f.period_label, f.period_end, f.value,
                   p.value AS previous_value, p.period_label AS previous_label,
                   e.value AS england_value
            FROM metrics AS m
            LEFT JOIN ranked AS f ON f.metric_id = m.metric_id
                 AND f.area_code = $area AND f.n = 1
            LEFT JOIN ranked AS p ON p.metric_id = m.metric_id
                 AND p.area_code = $area AND p.n = 2
            LEFT JOIN ranked AS e ON e.metric_id = m.metric_id
                 AND e.area_code = 'E92000001' AND e.period_end = f.period_end
            WHERE m.metric_id IN (SELECT unnest($ids))
            """,
            {"ids": ids, "area": area_code},
        )
        frame["rag"] = [
            rag(v, e, p)
            for v, e, p in zip(frame.value, frame.england_value, frame.polarity)
        ]
        order = {m: i for i, m in enumerate(ids)}
        return frame.sort_values("metric_id", key=lambda s: s.map(order)).reset_index(
            drop=True
        )

    # --- Ofsted, targets, milestones --------------------------------------

    def judgements(self, area_code: str) -> pd.DataFrame:
        """An area's Ofsted judgements, oldest first, with source titles."""
        return self.df(
            """
            SELECT j.*, COALESCE(j.published, j.inspection_end, j.inspection_start)
                   AS decided_on, s.title AS source_title
            FROM ofsted_judgements AS j JOIN sources AS s USING (source_id)
            WHERE j.area_code = ? ORDER BY decided_on
            """,
            [area_code],
        )

    def latest_grades(self) -> pd.DataFrame:
        """Every current LA's latest overall grade."""
        return self.df(
            """
            SELECT a.area_code, a.area_name, j.overall_grade, j.grade_rank, j.published,
                   s.publisher || ', ' || s.title AS source_title
            FROM areas AS a JOIN latest_judgements AS j USING (area_code)
            JOIN sources AS s ON s.source_id = j.source_id
            WHERE a.level = 'local authority' AND a.is_current
            ORDER BY j.grade_rank, a.area_name
            """
        )

    def neighbour_grades(self, area_code: str, model: str = "2025") -> pd.DataFrame:
        """The latest grade of each statistical neighbour."""
        return self.df(
            """
            SELECT s.rank, a.area_name, s.closeness, j.overall_grade, j.grade_rank,
                   j.published, src.publisher || ', ' || src.title AS source_title
            FROM statistical_neighbours AS s
            JOIN areas AS a ON a.area_code = s.neighbour_code
            LEFT JOIN latest_judgements AS j ON j.area_code = s.neighbour_code
            LEFT JOIN sources AS src ON src.source_id = j.source_id
            WHERE s.area_code = ? AND s.model = ? ORDER BY s.rank
            """,
            [area_code, model],
        )

    def target_status(self, area_code: str) -> pd.DataFrame:
        """Contract targets for an area with their computed status."""
        return self.df(
            """
            SELECT ts.*, t.deadline_precision, t.set_on, t.source_id, t.locator,
                   s.title AS source_title
            FROM target_status AS ts JOIN targets AS t USING (target_id)
            JOIN sources AS s ON s.source_id = t.source_id
            WHERE ts.area_code = ? ORDER BY ts.deadline
            """,
            [area_code],
        )

    def contract_areas(self) -> dict[str, str]:
        """Areas that have contract targets: code -> name."""
        rows = self.df(
            "SELECT DISTINCT t.area_code, a.area_name FROM targets AS t "
            "JOIN areas AS a USING (area_code) ORDER BY a.area_name"
        )
        return dict(zip(rows.area_code, rows.area_name))

    def area_notes(self, area_code: str, page: str) -> pd.DataFrame:
        """Notes a page shows for one area, with their sources."""
        return self.df(
            """
            SELECT n.*, s.title AS source_title
            FROM area_notes AS n JOIN sources AS s USING (source_id)
            WHERE n.area_code = ? AND n.page = ? ORDER BY n.note_id
            """,
            [area_code, page],
        )

    def milestones(self) -> pd.DataFrame:
        """The Doncaster improvement timeline, oldest first."""
        return self.df(
            "SELECT m.*, s.title AS source_title, s.publisher, "
            "CAST(year(s.published) AS VARCHAR) AS year FROM milestones AS m "
            "JOIN sources AS s USING (source_id) ORDER BY milestone_date"
        )

    def trust_period(self) -> tuple[pd.Timestamp, pd.Timestamp] | None:
        """Start and end of the Trust's running of the service, from the milestones."""
        rows = self.df(
            "SELECT min(milestone_date) AS start, max(milestone_date) AS finish "
            "FROM milestones WHERE kind = 'trust'"
        )
        if rows.empty or pd.isna(rows.start[0]):
            return None
        return pd.Timestamp(rows.start[0]), pd.Timestamp(rows.finish[0])

    # --- provenance -------------------------------------------------------

    def sources(self) -> pd.DataFrame:
        """Every source with publisher, date and licence."""
        return self.df("SELECT * FROM sources ORDER BY published NULLS LAST, source_id")

    def dictionary(self) -> pd.DataFrame:
        """The metrics dictionary."""
        return self.df(
            "SELECT metric_id, label, unit, polarity, topic, definition, source_id, dps, "
            "year_type, quartiles_apply, last_updated FROM metrics ORDER BY topic, metric_id"
        )

    def build_info(self) -> dict[str, str]:
        """Key facts of the build (hash, time)."""
        return dict(self.df("SELECT key, value FROM build_info").values.tolist())

    def build_report(self) -> pd.DataFrame:
        """What the build reported: unparseable labels, suppression marks, code fixes."""
        return self.df("SELECT * FROM build_report ORDER BY severity DESC, file")

    # --- monthly returns --------------------------------------------------

    def monthly_points(self, metric_ids: list[str], area_code: str) -> pd.DataFrame:
        """Latest figures from monthly returns, each with its revision and source row."""
        return self.df(
            """
            WITH latest AS (
                SELECT * FROM observation_revisions
                QUALIFY row_number() OVER (
                    PARTITION BY metric_id, area_code, period_end, service_area
                    ORDER BY revision DESC) = 1
            )
            SELECT o.metric_id, m.label AS metric_label, m.unit, o.area_code,
                   o.service_area, o.period_end, o.period_label, o.value, o.note,
                   r.revision, r.previous_value, r.source_row, r.import_id,
                   s.title AS source_title, o.locator
            FROM observations AS o
            JOIN import_log AS l ON l.source_id = o.source_id
            JOIN latest AS r ON r.metric_id = o.metric_id
                AND r.area_code = o.area_code AND r.period_end = o.period_end
                AND r.service_area IS NOT DISTINCT FROM o.service_area
            JOIN sources AS s ON s.source_id = o.source_id
            JOIN metrics AS m ON m.metric_id = o.metric_id
            WHERE o.metric_id IN (SELECT unnest(?)) AND o.area_code = ?
            ORDER BY o.metric_id, o.service_area NULLS FIRST, o.period_end
            """,
            [metric_ids, area_code],
        )

    def import_log(self) -> pd.DataFrame:
        """Every monthly return loaded, oldest first."""
        return self.df(
            "SELECT import_id, imported_at, loaded_by, file_name, default_area, "
            "rows_new, rows_revised, rows_unchanged, sha256, archive_file, source_id "
            "FROM import_log ORDER BY import_id"
        )

    def revisions(self, area_code: str) -> pd.DataFrame:
        """Every value of each revised monthly figure for an area, oldest first."""
        return self.df(
            """
            SELECT r.metric_id, m.label AS metric_label, r.service_area, r.period_end,
                   r.revision, r.value, r.previous_value, r.note, r.import_id,
                   l.file_name, r.source_row, l.imported_at
            FROM observation_revisions AS r
            JOIN import_log AS l USING (import_id)
            JOIN metrics AS m USING (metric_id)
            WHERE r.area_code = ?
            QUALIFY max(r.revision) OVER (
                PARTITION BY r.metric_id, r.area_code, r.period_end, r.service_area
            ) > 1
            ORDER BY r.metric_id, r.service_area NULLS FIRST, r.period_end, r.revision
            """,
            [area_code],
        )

    # --- benchmark explorer -----------------------------------------------

    def ranking(self, metric_id: str) -> pd.DataFrame:
        """Every current LA's value in a metric's latest period and the one before.

        The latest period is the newest in which any current LA has a value; an LA
        without one there (suppressed or not published) keeps its row, value NULL.
        """
        return self.df(
            """
            WITH las AS (
                SELECT area_code, area_name, region_name FROM areas
                WHERE level = 'local authority' AND is_current
            ),
            obs AS (
                SELECT o.area_code, o.period_end, o.period_label, o.value, o.locator
                FROM observations AS o JOIN las USING (area_code)
                WHERE o.metric_id = $metric AND o.service_area IS NULL
            ),
            periods AS (
                SELECT period_end, any_value(period_label) AS period_label,
                       row_number() OVER (ORDER BY period_end DESC) AS n
                FROM obs WHERE value IS NOT NULL GROUP BY period_end
            ),
            latest AS (SELECT * FROM periods WHERE n = 1),
            previous AS (SELECT * FROM periods WHERE n = 2)
            SELECT l.area_code, l.area_name, l.region_name,
                   latest.period_end, latest.period_label, c.value, c.locator,
                   previous.period_end AS previous_period_end,
                   previous.period_label AS previous_label,
                   p.value AS previous_value
            FROM las AS l
            JOIN latest ON true
            LEFT JOIN previous ON true
            LEFT JOIN obs AS c
                   ON c.area_code = l.area_code AND c.period_end = latest.period_end
            LEFT JOIN obs AS p
                   ON p.area_code = l.area_code AND p.period_end = previous.period_end
            ORDER BY l.area_name
            """,
            {"metric": metric_id},
        )

    def neighbour_series(
        self, metric_id: str, area_code: str, model: str = "2025"
    ) -> pd.DataFrame:
        """Each statistical neighbour's values of a metric over time, closest first."""
        return self.df(
            """
            SELECT s.rank, s.neighbour_code AS area_code, a.area_name, o.period_end,
                   o.period_label, o.value, o.locator
            FROM statistical_neighbours AS s
            JOIN areas AS a ON a.area_code = s.neighbour_code
            JOIN observations AS o
              ON o.area_code = s.neighbour_code AND o.metric_id = $metric
             AND o.service_area IS NULL
            WHERE s.area_code = $area AND s.model = $model
            ORDER BY s.rank, o.period_end
            """,
            {"metric": metric_id, "area": area_code, "model": model},
        )


def rag(value: float | None, england: float | None, polarity: str) -> str:
    """Text RAG against England: better, close (within 5%) or worse, by polarity."""
    if value is None or england is None or pd.isna(value) or pd.isna(england):
        return "No comparison"
    if polarity not in ("higher", "lower"):
        return "No better direction"
    better = value >= england if polarity == "higher" else value <= england
    if better:
        return "Green: same as or better than England"
    gap = abs(value - england) / abs(england) if england else float("inf")
    if gap <= RAG_TOLERANCE:
        return "Amber: worse than England by 5% or less"
    return "Red: worse than England by more than 5%"
