"""The improvement plan: checkpoints with their computed status, their revisions, the
recorded baselines, and a measure's latest figures for the scorecard."""

from __future__ import annotations

import pandas as pd


class PlanQueries:
    """The improvement plan: checkpoints, status, revisions, baselines, figures."""

    def kpi_status(self, area_code: str) -> pd.DataFrame:
        """Every checkpoint of an area with its status today, by measure and due."""
        return self.df(
            """
            SELECT k.*, m.label, m.unit, m.polarity, m.dps, m.value_kind,
                   t.note AS target_note, t.revision AS target_revision,
                   t.loaded_at AS target_loaded_at
            FROM kpi_status AS k
            JOIN metrics AS m USING (metric_id)
            JOIN plan_targets AS t USING (area_code, metric_id, due)
            WHERE k.area_code = ?
            ORDER BY m.label, k.due
            """,
            [area_code],
        )

    def target_revisions(self, area_code: str) -> pd.DataFrame:
        """Every earlier value of each revised checkpoint of an area, oldest first."""
        return self.df(
            """
            SELECT r.metric_id, m.label, r.due, r.revision, r.target, r.direction,
                   r.previous_target, r.previous_direction, r.note, r.import_id,
                   l.file_name, r.source_row, r.loaded_at
            FROM target_revisions AS r
            JOIN metrics AS m USING (metric_id)
            JOIN import_log AS l USING (import_id)
            WHERE r.area_code = ? AND r.revision > 1
            ORDER BY m.label, r.due, r.revision
            """,
            [area_code],
        )

    def baselines(self, area_code: str) -> pd.DataFrame:
        """The baseline recorded for each of an area's trajectories."""
        return self.df(
            "SELECT * FROM plan_baselines WHERE area_code = ? ORDER BY metric_id",
            [area_code],
        )

    def plan_sources(self, area_code: str, metric_id: str) -> list[str]:
        """Titles of the targets files that set a measure's checkpoints."""
        rows = self.df(
            "SELECT DISTINCT s.title FROM plan_targets AS t JOIN sources AS s "
            "USING (source_id) WHERE t.area_code = ? AND t.metric_id = ? "
            "ORDER BY s.title",
            [area_code, metric_id],
        )
        return list(rows.title)

    def plan_areas(self) -> dict[str, str]:
        """Areas with at least one checkpoint loaded: code -> name."""
        rows = self.df(
            "SELECT DISTINCT t.area_code, a.area_name FROM plan_targets AS t "
            "JOIN areas AS a USING (area_code) ORDER BY a.area_name"
        )
        return dict(zip(rows.area_code, rows.area_name))

    def measure_figures(self, metric_id: str, area_code: str) -> pd.DataFrame:
        """An area's whole-service figures of a measure, official and local, oldest
        first, with the note (commentary) each local figure came with."""
        return self.df(
            """
            SELECT o.period_end, o.period_label, o.value, o.origin, o.note,
                   o.locator, s.title AS source_title
            FROM observations AS o JOIN sources AS s USING (source_id)
            WHERE o.metric_id = ? AND o.area_code = ? AND o.service_area IS NULL
              AND o.origin IN ('official', 'local') AND o.value IS NOT NULL
            ORDER BY o.period_end, o.origin
            """,
            [metric_id, area_code],
        )
