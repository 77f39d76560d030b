"""Provenance and loads: sources, the dictionary, the build report, and the
figures loaded from monthly returns with their revisions."""

from __future__ import annotations

import pandas as pd


class LoadQueries:
    """Provenance and loads: sources, the dictionary, the build report, and the"""

    # --- provenance -------------------------------------------------------

    def sources(self) -> pd.DataFrame:
        """Every source with publisher, date and licence."""
        return self.df("SELECT * FROM sources ORDER BY published NULLS LAST, source_id")

    def report_figures(self) -> pd.DataFrame:
        """Every figure quoted in a document, oldest first, with its measure and
        source; ``statements`` counts the figures one document gives for the same
        measure, area, date and service area, ``statement`` numbers them."""
        return self.df(
            """
            SELECT o.metric_id, m.label AS metric_label, m.unit, o.area_name,
                   o.period_end, o.date_precision, o.date_rule, o.period_label,
                   o.service_area, o.value, o.value_low, o.value_high, o.approximate,
                   o.qualifier, o.source_id, s.title AS source_title, o.locator,
                   o.note,
                   count(*) OVER same AS statements,
                   row_number() OVER (same ORDER BY o.value IS NULL, o.locator)
                       AS statement
            FROM observations AS o
            JOIN metrics AS m USING (metric_id)
            JOIN sources AS s ON s.source_id = o.source_id
            WHERE o.origin = 'report'
            WINDOW same AS (
                PARTITION BY o.metric_id, o.area_code, o.period_end,
                    coalesce(o.service_area, ''), o.source_id
            )
            ORDER BY o.period_end, o.metric_id, o.service_area, statement
            """
        )

    def dictionary(self) -> pd.DataFrame:
        """The metrics dictionary."""
        return self.df(
            "SELECT metric_id, label, unit, polarity, topic, definition, source_id, dps, "
            "year_type, quartiles_apply, last_updated, next_update, value_kind, "
            "methodology, link FROM metrics "
            "ORDER BY topic, metric_id"
        )

    def build_info(self) -> dict[str, str]:
        """Key facts of the build (hash, time)."""
        return dict(self.df("SELECT key, value FROM build_info").values.tolist())

    def freshness(self) -> pd.DataFrame:
        """Each source with measures: when it was last updated and when its next
        updates are expected (from the LAIT data dictionary), as of today."""
        return self.df(
            """
            SELECT s.source_id, s.title, s.published AS last_updated,
                   count(m.metric_id) AS measures,
                   min(m.next_update) FILTER (m.next_update >= current_date)
                       AS next_update_expected,
                   count(*) FILTER (m.next_update < current_date) AS measures_overdue,
                   min(m.next_update) FILTER (m.next_update < current_date)
                       AS earliest_overdue
            FROM sources AS s JOIN metrics AS m USING (source_id)
            WHERE s.kind = 'official statistics'
            GROUP BY ALL ORDER BY s.source_id
            """
        )

    def releases_in_use(self) -> pd.DataFrame:
        """Each official source's release in use: its files, when it was published
        (data/provenance.csv, else the sources table) and, for LAIT, the dictionary's
        first Next Update after the release."""
        return self.df(
            """
            SELECT r.source, r.source_id, s.title, r.release, r.period_end,
                   coalesce(min(r.published), s.published) AS published,
                   string_agg(r.file, '; ' ORDER BY r.file) AS files,
                   min(r.fetched_at) AS fetched_at,
                   (SELECT min(m.next_update) FROM metrics AS m
                    WHERE m.source_id = r.source_id AND m.next_update > r.period_end)
                       AS dictionary_next
            FROM source_releases AS r LEFT JOIN sources AS s USING (source_id)
            WHERE r.in_use AND r.source_id IS NOT NULL
            GROUP BY r.source, r.source_id, s.title, r.release, r.period_end,
                     s.published
            ORDER BY r.source
            """
        )

    def data_updates(self) -> pd.DataFrame:
        """Every build that changed official figures, newest first, per file."""
        return self.df("SELECT * FROM data_updates ORDER BY built_at DESC, source_file")

    def data_changes(self, build_id: str) -> pd.DataFrame:
        """The figures one build found new, revised or removed, with their areas."""
        return self.df(
            """
            SELECT c.source_file, c.release, c.change, c.metric_id, m.label,
                   c.area_code, a.area_name, c.period_end, c.old_value, c.new_value,
                   c.old_text, c.new_text, c.first_seen
            FROM data_changes AS c
            LEFT JOIN metrics AS m USING (metric_id)
            LEFT JOIN areas AS a USING (area_code)
            WHERE c.build_id = ?
            ORDER BY c.source_file, c.change, c.metric_id, a.area_name, c.period_end
            """,
            [build_id],
        )

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
        """Every file loaded (monthly returns and targets files), oldest first."""
        return self.df(
            "SELECT import_id, imported_at, loaded_by, kind, file_name, default_area, "
            "rows_new, "
            "rows_revised, rows_unchanged, sha256, archive_file, source_id "
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
