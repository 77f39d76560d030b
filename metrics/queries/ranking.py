"""Every current LA on one measure, and each statistical neighbour over time."""

from __future__ import annotations

import pandas as pd


class RankingQueries:
    """Every current LA on one measure, and each statistical neighbour over time."""

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
                  AND o.origin = 'official'
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
             AND o.service_area IS NULL AND o.origin = 'official'
            WHERE s.area_code = $area AND s.model = $model
            ORDER BY s.rank, o.period_end
            """,
            {"metric": metric_id, "area": area_code, "model": model},
        )
