"""What changed since a day: official releases taken, figures and judgements they
brought, local figures loaded, and the plan's status as it stood on that day."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from metrics.changes import JUDGEMENT


def _start(day: dt.date) -> dt.datetime:
    """The first moment of a day: "since" a day includes the day itself."""
    return dt.datetime.combine(day, dt.time())


class SinceQueries:
    """What changed since a day, for one area."""

    def updates_since(self, day: dt.date) -> pd.DataFrame:
        """Each file of each build since the day that changed official data."""
        return self.df(
            "SELECT * FROM data_updates WHERE built_at >= ? "
            "ORDER BY built_at, source_file",
            [_start(day)],
        )

    def figure_changes_since(self, area_code: str, day: dt.date) -> pd.DataFrame:
        """An area's official figures new, revised or removed by builds since the
        day, with the measure's label and decimal places; a figure changed twice
        keeps its first old value and its latest new one."""
        return self.df(
            """
            SELECT c.metric_id, m.label, m.dps, m.unit, m.polarity,
                   m.quartiles_apply, c.period_end,
                   coalesce(o.period_label, strftime(c.period_end, '%Y'))
                       AS period_label,
                   arg_min(c.change, c.first_seen) AS first_change,
                   arg_max(c.change, c.first_seen) AS last_change,
                   arg_min(c.old_value, c.first_seen) AS old_value,
                   arg_max(c.new_value, c.first_seen) AS new_value,
                   max(c.first_seen) AS first_seen, any_value(c.source) AS source,
                   arg_max(c.release, c.first_seen) AS release
            FROM data_changes AS c
            JOIN metrics AS m USING (metric_id)
            LEFT JOIN observations AS o
              ON o.metric_id = c.metric_id AND o.area_code = c.area_code
             AND o.period_end = c.period_end AND o.origin = 'official'
             AND o.service_area IS NULL
            WHERE c.area_code = ? AND c.first_seen >= ? AND c.metric_id <> ?
            GROUP BY ALL
            ORDER BY m.label, c.period_end
            """,
            [area_code, _start(day), JUDGEMENT],
        )

    def judgements_since(self, area_codes: list[str], day: dt.date) -> pd.DataFrame:
        """Ofsted judgements of the areas published since the day, or first held
        since then (new or regraded by a release), each with the grade before it."""
        return self.df(
            """
            WITH j AS (
                SELECT *, coalesce(published, inspection_end, inspection_start)
                              AS decided_on,
                       lag(overall_grade) OVER (PARTITION BY area_code
                           ORDER BY coalesce(published, inspection_end,
                                             inspection_start)) AS previous_grade
                FROM ofsted_judgements WHERE list_contains($areas, area_code)
            )
            SELECT j.area_code, j.area_name, j.framework, j.inspection_start,
                   j.inspection_end, j.published, j.decided_on, j.overall_grade,
                   j.previous_grade, s.title AS source_title, j.locator
            FROM j JOIN sources AS s USING (source_id)
            WHERE j.decided_on >= $day OR EXISTS (
                SELECT 1 FROM data_changes AS c
                WHERE c.metric_id = $judgement AND c.area_code = j.area_code
                  AND c.period_end = j.inspection_start AND c.first_seen >= $start
                  AND c.change <> 'removed')
            ORDER BY j.decided_on, j.area_name
            """,
            {
                "areas": area_codes,
                "day": day,
                "start": _start(day),
                "judgement": JUDGEMENT,
            },
        )

    def local_figures_since(self, area_code: str, day: dt.date) -> pd.DataFrame:
        """An area's local figures loaded from monthly returns since the day: each
        value, the one it replaced and the file it came in."""
        return self.df(
            """
            SELECT r.metric_id, m.label, m.dps, r.period_end, r.service_area,
                   r.value, r.previous_value, r.revision, r.note, l.file_name,
                   l.imported_at
            FROM observation_revisions AS r
            JOIN import_log AS l USING (import_id)
            JOIN metrics AS m USING (metric_id)
            WHERE r.area_code = ? AND l.imported_at >= ?
            ORDER BY m.label, r.period_end, r.service_area NULLS FIRST, r.revision
            """,
            [area_code, _start(day)],
        )

    def kpi_status_known(
        self,
        area_code: str,
        day: dt.date | None = None,
        known: dt.date | None = None,
    ) -> pd.DataFrame:
        """Every checkpoint of an area with its status on ``day`` (None: today),
        judged on the checkpoints and figures loaded before ``known`` (None: those
        held now)."""
        return self.df(
            """
            SELECT k.*, m.label, m.dps
            FROM kpi_status_known($day, $known) AS k
            JOIN metrics AS m USING (metric_id)
            WHERE k.area_code = $area
            ORDER BY m.label, k.due
            """,
            {
                "day": day or dt.date.today(),
                "known": None if known is None else _start(known),
                "area": area_code,
            },
        )
