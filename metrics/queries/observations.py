"""Areas, measures and their values: the focus area against England, its region
and its statistical neighbours."""

from __future__ import annotations

import pandas as pd

from metrics.queries.groups import Group

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


class ObservationQueries:
    """Areas, measures and their values: the focus area against England, its region"""

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
              AND o.origin <> 'local'
            ORDER BY o.metric_id, o.period_end, o.service_area
            """,
            [metric_ids, area_code],
        )

    def comparator_series(
        self,
        metric_id: str,
        area_code: str,
        model: str = "2025",
        group: Group | None = None,
    ) -> pd.DataFrame:
        """A metric over time for the LA, its region, England and a comparison group's
        mean or median (by default the neighbours' mean under ``model``), computed
        over the group's members with a value in each period."""
        group = group or self.neighbour_group(area_code, model)
        return self.df(
            """
            WITH focus AS (SELECT * FROM areas WHERE area_code = $area),
            picked AS (
                SELECT o.period_end, o.period_label, o.value, o.area_name AS series,
                       CASE WHEN o.area_code = $area THEN 'focus'
                            WHEN o.area_code = 'E92000001' THEN 'england'
                            ELSE 'region' END AS role,
                       o.source_id, o.locator, o.approximate, o.qualifier, o.note
                FROM observations AS o
                WHERE o.metric_id = $metric AND o.origin = 'official'
                  AND (o.area_code = $area OR o.area_code = 'E92000001'
                       OR o.area_code = (SELECT region_code FROM focus))
            ),
            grouped AS (
                SELECT o.period_end, any_value(o.period_label) AS period_label,
                       CASE WHEN $statistic = 'median' THEN median(o.value)
                            ELSE avg(o.value) END AS value,
                       count(o.value) AS n
                FROM observations AS o
                WHERE o.metric_id = $metric AND o.origin = 'official'
                  AND list_contains($members, o.area_code) AND o.area_code <> $area
                GROUP BY o.period_end
            )
            SELECT p.*, s.title AS source_title, NULL::BIGINT AS n_neighbours
            FROM picked AS p JOIN sources AS s USING (source_id)
            UNION ALL
            SELECT g.period_end, g.period_label, g.value, $label, $role,
                   (SELECT source_id FROM metrics WHERE metric_id = $metric),
                   $statistic || ' of ' || g.n || ' ' || $noun || ' with a value'
                   || CASE WHEN $basis = '' THEN '' ELSE ' (' || $basis || ')' END,
                   false, NULL, NULL,
                   (SELECT title FROM sources WHERE source_id =
                       (SELECT source_id FROM metrics WHERE metric_id = $metric)),
                   g.n
            FROM grouped AS g WHERE g.n > 0
            ORDER BY role, period_end
            """,
            {
                "area": area_code,
                "metric": metric_id,
                "members": list(group.members),
                "statistic": group.statistic,
                "label": group.series,
                "role": group.key,
                "noun": group.noun,
                "basis": group.basis,
            },
        )

    def area_series(self, metric_id: str, area_codes: list[str]) -> pd.DataFrame:
        """A metric's official series for some areas, in the order given, shaped like
        comparator_series with role 'added' (areas a reader adds to a chart)."""
        return self.df(
            """
            SELECT o.period_end, o.period_label, o.value, a.area_name AS series,
                   'added' AS role, o.source_id, o.locator, o.approximate,
                   o.qualifier, s.title AS source_title, NULL::BIGINT AS n_neighbours
            FROM observations AS o
            JOIN areas AS a USING (area_code)
            JOIN sources AS s USING (source_id)
            WHERE o.metric_id = $metric AND o.origin = 'official'
              AND o.service_area IS NULL AND list_contains($codes, o.area_code)
            ORDER BY list_position($codes, o.area_code), o.period_end
            """,
            {"metric": metric_id, "codes": list(area_codes)},
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
                  AND o.origin = 'official'
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
