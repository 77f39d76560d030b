"""kpi_status_on(day): each checkpoint's status, computed in the database from the
targets, the baseline and the figures (docs/DATA_DICTIONARY.md, "Status against the
improvement plan"). Made-up figures on an empty database built from the schema."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import duckdb
import pytest

from metrics.build import SCHEMA_SQL

DAY = dt.date(2026, 6, 30)  # the day every status below is asked for
AREA = "E00000001"


@pytest.fixture
def con() -> Iterator[duckdb.DuckDBPyConnection]:
    c = duckdb.connect()
    c.execute(SCHEMA_SQL.read_text())
    c.execute(
        "INSERT INTO sources (source_id, title, publisher, kind, licence) "
        "VALUES ('s', 'Test source', 'Tests', 'test', 'none')"
    )
    for metric, polarity in (("up", "higher"), ("down", "lower"), ("flat", "neutral")):
        c.execute(
            "INSERT INTO metrics (metric_id, label, unit, polarity, source_id, "
            "quartiles_apply, value_kind) VALUES (?, ?, '%', ?, 's', true, 'percent')",
            [metric, metric, polarity],
        )
    c.execute(
        "INSERT INTO import_log (import_id, imported_at, file_name, sha256, "
        "archive_file, default_area, source_id, rows_new, rows_revised, "
        "rows_unchanged, kind) VALUES (1, TIMESTAMP '2026-01-15 10:00:00', 't.csv', "
        "'x', 'a', ?, 's', 0, 0, 0, 'targets')",
        [AREA],
    )
    yield c
    c.close()


def figure(con, metric: str, period_end: str, value: float, origin="official"):
    con.execute(
        "INSERT INTO observations (metric_id, area_code, area_name, period_end, "
        "period_label, date_precision, value, approximate, source_id, locator, "
        "origin) VALUES (?, ?, 'Test', ?, ?, 'day', ?, false, 's', 'test', ?)",
        [metric, AREA, period_end, period_end[:7], value, origin],
    )


def target(con, metric: str, due: str, value: float, direction: str, revision=1):
    con.execute(
        "INSERT OR REPLACE INTO plan_targets VALUES (?, ?, ?, ?, ?, true, NULL, ?, "
        "1, 's', 2, TIMESTAMP '2026-01-15 10:00:00')",
        [AREA, metric, due, value, direction, revision],
    )


def baseline(con, metric: str, period_end: str, value: float):
    con.execute(
        "INSERT INTO plan_baselines VALUES (?, ?, ?, ?, ?, 'official', "
        "DATE '2026-01-15', 1)",
        [AREA, metric, value, period_end, period_end[:7]],
    )


def status(con, metric: str, due: str, day: dt.date = DAY) -> dict:
    row = con.execute(
        "SELECT * FROM kpi_status_on(?) WHERE metric_id = ? AND due = ?",
        [day, metric, due],
    ).df()
    assert len(row) == 1
    return row.iloc[0].to_dict()


@pytest.mark.parametrize(
    "metric, direction, value, expected",
    [
        ("up", "at least", 90.0, "met"),
        ("up", "at least", 89.9, "missed"),
        ("down", "at most", 20.0, "met"),
        ("down", "at most", 20.1, "missed"),
    ],
)
def test_a_passed_checkpoint_is_met_or_missed_in_its_direction(
    con, metric, direction, value, expected
):
    target(con, metric, "2026-03-31", 90.0 if metric == "up" else 20.0, direction)
    figure(con, metric, "2026-03-31", value)
    figure(con, metric, "2026-05-31", 0.0)  # after the due date: not the actual
    s = status(con, metric, "2026-03-31")
    assert s["status"] == expected
    assert s["actual"] == value
    assert str(s["actual_period_end"])[:10] == "2026-03-31"


def test_the_latest_figure_on_or_before_the_due_date_decides(con):
    target(con, "up", "2026-03-31", 80.0, "at least")
    figure(con, "up", "2025-12-31", 70.0)
    figure(con, "up", "2026-02-28", 81.0)
    assert status(con, "up", "2026-03-31")["actual"] == 81.0


def test_no_figure_in_the_twelve_months_before_a_passed_checkpoint_is_no_data(con):
    target(con, "up", "2026-03-31", 80.0, "at least")
    figure(con, "up", "2025-03-31", 95.0)  # exactly 12 months before: too old
    assert status(con, "up", "2026-03-31")["status"] == "no data"
    figure(con, "up", "2025-04-30", 95.0)  # within the twelve months
    assert status(con, "up", "2026-03-31")["status"] == "met"


def test_without_any_figure_a_future_checkpoint_has_no_data(con):
    target(con, "up", "2027-03-31", 80.0, "at least")
    assert status(con, "up", "2027-03-31")["status"] == "no data"


@pytest.mark.parametrize(
    "metric, direction, start, goal, value, expected",
    [
        # From 60 (baseline, 31 Mar 2026) to 80 by 31 Mar 2027: the line is at
        # 60 + 20 * 61/365 = 63.34 at 31 May 2026.
        ("up", "at least", 60.0, 80.0, 63.4, "on track"),
        ("up", "at least", 60.0, 80.0, 63.3, "off track"),
        # From 30 down to 20: the line is at 30 - 10 * 61/365 = 28.33.
        ("down", "at most", 30.0, 20.0, 28.3, "on track"),
        ("down", "at most", 30.0, 20.0, 28.4, "off track"),
    ],
)
def test_a_future_checkpoint_is_on_or_off_the_line_from_the_baseline(
    con, metric, direction, start, goal, value, expected
):
    baseline(con, metric, "2026-03-31", start)
    target(con, metric, "2027-03-31", goal, direction)
    figure(con, metric, "2026-03-31", start)
    figure(con, metric, "2026-05-31", value, origin="local")
    s = status(con, metric, "2027-03-31")
    line = start + (goal - start) * 61 / 365
    assert s["expected"] == pytest.approx(line)
    assert s["status"] == expected
    assert s["actual_origin"] == "local"


def test_a_later_checkpoint_starts_its_line_at_the_previous_one(con):
    baseline(con, "up", "2025-03-31", 50.0)
    target(con, "up", "2026-03-31", 60.0, "at least")
    target(con, "up", "2027-03-31", 80.0, "at least")
    figure(con, "up", "2026-05-31", 62.0, origin="local")
    s = status(con, "up", "2027-03-31")
    assert str(s["start_date"])[:10] == "2026-03-31" and s["start_value"] == 60.0
    assert s["expected"] == pytest.approx(60 + 20 * 61 / 365)
    assert s["status"] == "off track"  # 62.0 < 63.34


def test_a_neutral_measure_follows_the_direction_the_plan_gives(con):
    target(con, "flat", "2026-03-31", 50.0, "at most")
    figure(con, "flat", "2026-03-31", 49.0)
    assert status(con, "flat", "2026-03-31")["status"] == "met"
    target(con, "flat", "2026-03-31", 50.0, "at least", revision=2)
    assert status(con, "flat", "2026-03-31")["status"] == "missed"


def test_a_checkpoint_due_today_is_still_ahead_and_judged_the_next_day(con):
    target(con, "up", "2026-06-30", 80.0, "at least")
    figure(con, "up", "2026-04-30", 79.0)
    today = status(con, "up", "2026-06-30", DAY)
    assert today["status"] == "off track"  # no start: judged against the target
    assert status(con, "up", "2026-06-30", DAY + dt.timedelta(days=1))["status"] == (
        "missed"
    )


def test_a_revised_target_is_the_one_judged(con):
    target(con, "down", "2026-03-31", 20.0, "at most")
    figure(con, "down", "2026-03-31", 22.0)
    assert status(con, "down", "2026-03-31")["status"] == "missed"
    target(con, "down", "2026-03-31", 25.0, "at most", revision=2)
    s = status(con, "down", "2026-03-31")
    assert s["target"] == 25.0 and s["status"] == "met"


def test_an_official_figure_wins_over_a_local_one_for_the_same_period(con):
    target(con, "up", "2026-03-31", 80.0, "at least")
    figure(con, "up", "2026-03-31", 85.0, origin="local")
    figure(con, "up", "2026-03-31", 78.0)
    s = status(con, "up", "2026-03-31")
    assert (s["actual"], s["actual_origin"], s["status"]) == (
        78.0,
        "official",
        "missed",
    )


def test_a_report_figure_and_a_team_figure_never_count(con):
    target(con, "up", "2026-03-31", 80.0, "at least")
    figure(con, "up", "2026-03-31", 99.0, origin="report")
    con.execute(
        "INSERT INTO observations (metric_id, area_code, area_name, period_end, "
        "period_label, date_precision, service_area, value, approximate, source_id, "
        "locator, origin) VALUES ('up', ?, 'Test', DATE '2026-03-31', 'Mar', 'day', "
        "'A team', 99, false, 's', 'test', 'local')",
        [AREA],
    )
    assert status(con, "up", "2026-03-31")["status"] == "no data"


def test_the_view_is_the_macro_on_todays_date(con):
    today = dt.date.today()
    due = dt.date(today.year + 1, 1, 31)
    target(con, "up", due.isoformat(), 80.0, "at least")
    figure(con, "up", today.replace(day=1).isoformat(), 90.0)
    view = con.execute("SELECT status FROM kpi_status").fetchall()
    assert view == [("on track",)]
