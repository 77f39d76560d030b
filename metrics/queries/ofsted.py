"""Ofsted judgements, contract targets, milestones and notes per area."""

from __future__ import annotations

import pandas as pd


class OfstedQueries:
    """Ofsted judgements, contract targets, milestones and notes per area."""

    # --- Ofsted, targets, milestones --------------------------------------

    def judgements(self, area_code: str) -> pd.DataFrame:
        """An area's Ofsted judgements, oldest first, with source titles and the days
        from the inspection's last day to publication (NULL without both) and the
        source of that last day."""
        return self.df(
            """
            SELECT j.*, COALESCE(j.published, j.inspection_end, j.inspection_start)
                   AS decided_on, s.title AS source_title,
                   date_diff('day', j.inspection_end, j.published)
                       AS days_end_to_published,
                   e.title AS inspection_end_source_title
            FROM ofsted_judgements AS j JOIN sources AS s USING (source_id)
            LEFT JOIN sources AS e ON e.source_id = j.inspection_end_source_id
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
