"""The target_status view of metrics/schema.sql: was each Ofsted target met, and when."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest

from metrics.build import SCHEMA_SQL

AREA = "E99999999"
FRAMEWORK = "ILACS (2018-)"
SET_ON = dt.date(2020, 1, 1)
DEADLINE = dt.date(2021, 6, 30)  # in the past, so an unmet target is 'missed'
FUTURE = dt.date(2099, 12, 31)


# --- the real Doncaster targets ------------------------------------------------------


def status_of(con: duckdb.DuckDBPyConnection, target_id: str) -> dict[str, object]:
    cursor = con.execute("SELECT * FROM target_status WHERE target_id = ?", [target_id])
    names = [d[0] for d in cursor.description]
    rows = cursor.fetchall()
    assert len(rows) == 1, target_id
    return dict(zip(names, rows[0]))


def test_doncaster_good_by_oct_2017_was_met_late(ro) -> None:
    s = status_of(ro, "good_by_oct_2017")
    assert s["area_code"] == "E08000017"
    assert s["grade"] == "Good"
    assert s["deadline"] == dt.date(2017, 10, 31)
    assert s["status"] == "met late"
    assert s["decided_on"] == dt.date(2018, 1, 19)
    assert s["days_from_deadline"] == 80
    assert (
        s["days_from_deadline"] == (dt.date(2018, 1, 19) - dt.date(2017, 10, 31)).days
    )
    assert "Good" in s["decided_by"] and "SIF" in s["decided_by"]


def test_doncaster_outstanding_by_oct_2019_was_missed(ro) -> None:
    s = status_of(ro, "outstanding_by_oct_2019")
    assert s["status"] == "missed"
    assert s["decided_on"] == dt.date(2019, 10, 31)
    assert s["days_from_deadline"] is None
    assert "Good" in s["decided_by"]
    assert "in force" in s["decided_by"]


def test_every_target_has_one_status(ro) -> None:
    targets = ro.execute("SELECT count(*) FROM targets").fetchone()[0]
    assert targets >= 2
    rows = ro.execute("SELECT target_id, status FROM target_status").fetchall()
    assert len(rows) == targets == len({t for t, _ in rows})
    assert {s for _, s in rows} <= {"met", "met late", "missed", "not yet due"}


# --- crafted cases on a small database -------------------------------------------------


@pytest.fixture
def small(tmp_path: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    """A database made from schema.sql alone, with one source and the grade scale."""
    con = duckdb.connect(str(tmp_path / "small.duckdb"))
    con.execute(SCHEMA_SQL.read_text())
    con.execute(
        "INSERT INTO sources (source_id, title, publisher, kind, licence) "
        "VALUES ('test', 'Test source', 'Tests', 'test', 'none')"
    )
    con.executemany(
        "INSERT INTO grade_scale VALUES (?, ?)",
        [
            ("Outstanding", 1),
            ("Good", 2),
            ("Requires improvement", 3),
            ("Inadequate", 4),
        ],
    )
    try:
        yield con
    finally:
        con.close()


def add_target(
    con: duckdb.DuckDBPyConnection,
    target_id: str = "t",
    grade: str = "Good",
    deadline: dt.date = DEADLINE,
    set_on: dt.date = SET_ON,
    area: str = AREA,
) -> None:
    con.execute(
        "INSERT INTO targets VALUES (?, ?, ?, ?, 'day', 'exact', ?, 'test', 'here')",
        [target_id, area, grade, deadline, set_on],
    )


def add_judgement(
    con: duckdb.DuckDBPyConnection,
    grade: str,
    rank: int,
    published: dt.date | None,
    start: dt.date | None = None,
    end: dt.date | None = None,
    area: str = AREA,
    framework: str = FRAMEWORK,
) -> None:
    start = start or (published or end) - dt.timedelta(days=60)
    con.execute(
        "INSERT INTO ofsted_judgements (area_code, area_name, framework, inspection_start,"
        " inspection_end, date_precision, published, overall_grade, grade_rank,"
        " source_id, locator) VALUES (?, 'Testshire', ?, ?, ?, 'day', ?, ?, ?, 'test', 'x')",
        [area, framework, start, end, published, grade, rank],
    )


def test_judged_exactly_on_the_deadline_is_met_with_zero_days(small) -> None:
    add_target(small)
    add_judgement(small, "Good", 2, published=DEADLINE)
    s = status_of(small, "t")
    assert s["status"] == "met"
    assert s["days_from_deadline"] == 0
    assert s["decided_on"] == DEADLINE
    assert s["decided_by"] == f"{FRAMEWORK} judgement Good"


def test_judged_before_the_deadline_is_met_with_negative_days(small) -> None:
    add_target(small)
    add_judgement(small, "Good", 2, published=DEADLINE - dt.timedelta(days=45))
    s = status_of(small, "t")
    assert s["status"] == "met"
    assert s["days_from_deadline"] == -45
    assert s["decided_on"] == DEADLINE - dt.timedelta(days=45)


def test_judged_after_the_deadline_is_met_late_with_positive_days(small) -> None:
    add_target(small)
    add_judgement(small, "Good", 2, published=DEADLINE + dt.timedelta(days=12))
    s = status_of(small, "t")
    assert s["status"] == "met late"
    assert s["days_from_deadline"] == 12


def test_never_judged_and_deadline_passed_is_missed(small) -> None:
    add_target(small)
    s = status_of(small, "t")
    assert s["status"] == "missed"
    assert s["days_from_deadline"] is None
    assert s["decided_on"] == DEADLINE
    assert s["decided_by"] is None


def test_worse_grade_does_not_meet_the_target(small) -> None:
    add_target(small)
    add_judgement(
        small, "Requires improvement", 3, published=DEADLINE - dt.timedelta(days=30)
    )
    s = status_of(small, "t")
    assert s["status"] == "missed"
    assert s["days_from_deadline"] is None
    assert (
        s["decided_by"]
        == f"{FRAMEWORK} judgement Requires improvement in force at the deadline"
    )


def test_future_deadline_not_judged_is_not_yet_due(small) -> None:
    add_target(small, deadline=FUTURE)
    add_judgement(small, "Inadequate", 4, published=SET_ON + dt.timedelta(days=100))
    s = status_of(small, "t")
    assert s["status"] == "not yet due"
    assert s["decided_on"] is None
    assert s["decided_by"] is None
    assert s["days_from_deadline"] is None


def test_future_deadline_already_judged_is_met(small) -> None:
    add_target(small, deadline=FUTURE)
    add_judgement(small, "Good", 2, published=dt.date(2022, 3, 1))
    s = status_of(small, "t")
    assert s["status"] == "met"
    assert s["days_from_deadline"] == (dt.date(2022, 3, 1) - FUTURE).days


def test_good_judgement_before_the_target_was_set_does_not_count(small) -> None:
    add_target(small)
    add_judgement(small, "Good", 2, published=SET_ON - dt.timedelta(days=1))
    s = status_of(small, "t")
    assert s["status"] == "missed"
    assert s["days_from_deadline"] is None


def test_judgement_published_on_the_day_the_target_was_set_counts(small) -> None:
    add_target(small)
    add_judgement(small, "Good", 2, published=SET_ON)
    s = status_of(small, "t")
    assert s["status"] == "met"
    assert s["decided_on"] == SET_ON


def test_better_grade_than_the_target_counts(small) -> None:
    add_target(small, grade="Good")
    add_judgement(small, "Outstanding", 1, published=DEADLINE - dt.timedelta(days=3))
    s = status_of(small, "t")
    assert s["status"] == "met"
    assert s["days_from_deadline"] == -3
    assert s["decided_by"] == f"{FRAMEWORK} judgement Outstanding"


def test_no_published_date_uses_inspection_end(small) -> None:
    add_target(small)
    # Started before the deadline, ended after it: the end date decides.
    add_judgement(
        small,
        "Good",
        2,
        published=None,
        start=DEADLINE - dt.timedelta(days=20),
        end=DEADLINE + dt.timedelta(days=10),
    )
    s = status_of(small, "t")
    assert s["status"] == "met late"
    assert s["decided_on"] == DEADLINE + dt.timedelta(days=10)
    assert s["days_from_deadline"] == 10


def test_no_published_or_end_date_uses_inspection_start(small) -> None:
    add_target(small)
    add_judgement(
        small, "Good", 2, published=None, start=DEADLINE - dt.timedelta(days=7)
    )
    s = status_of(small, "t")
    assert s["status"] == "met"
    assert s["days_from_deadline"] == -7


def test_published_date_wins_over_inspection_end(small) -> None:
    add_target(small)
    add_judgement(
        small,
        "Good",
        2,
        published=DEADLINE + dt.timedelta(days=5),
        start=DEADLINE - dt.timedelta(days=40),
        end=DEADLINE - dt.timedelta(days=30),
    )
    s = status_of(small, "t")
    assert s["status"] == "met late"
    assert s["days_from_deadline"] == 5


def test_first_qualifying_judgement_decides(small) -> None:
    add_target(small)
    add_judgement(small, "Inadequate", 4, published=SET_ON + dt.timedelta(days=30))
    add_judgement(
        small,
        "Outstanding",
        1,
        published=DEADLINE + dt.timedelta(days=200),
        framework="Later framework",
    )
    add_judgement(small, "Good", 2, published=DEADLINE + dt.timedelta(days=90))
    s = status_of(small, "t")
    assert s["status"] == "met late"
    assert s["days_from_deadline"] == 90
    assert s["decided_by"] == f"{FRAMEWORK} judgement Good"


def test_other_areas_judgements_do_not_count(small) -> None:
    add_target(small)
    add_judgement(
        small,
        "Outstanding",
        1,
        published=DEADLINE - dt.timedelta(days=5),
        area="E88888888",
    )
    s = status_of(small, "t")
    assert s["status"] == "missed"
    assert s["decided_by"] is None


def test_judgement_in_force_is_the_latest_before_the_deadline(small) -> None:
    add_target(small, grade="Outstanding")
    add_judgement(small, "Inadequate", 4, published=SET_ON + dt.timedelta(days=10))
    add_judgement(small, "Good", 2, published=DEADLINE - dt.timedelta(days=10))
    add_judgement(
        small, "Requires improvement", 3, published=DEADLINE + dt.timedelta(days=10)
    )
    s = status_of(small, "t")
    assert s["status"] == "missed"
    assert s["decided_by"] == f"{FRAMEWORK} judgement Good in force at the deadline"


def test_each_target_judged_on_its_own(small) -> None:
    add_target(small, "good", grade="Good")
    add_target(small, "outstanding", grade="Outstanding")
    add_target(
        small, "later", grade="Good", deadline=FUTURE, set_on=dt.date(2022, 1, 1)
    )
    add_judgement(small, "Good", 2, published=DEADLINE - dt.timedelta(days=1))
    rows = dict(small.execute("SELECT target_id, status FROM target_status").fetchall())
    assert rows == {"good": "met", "outstanding": "missed", "later": "not yet due"}


# --- the decisive inspection and the first judgement that exceeded the target --------


def test_decisive_inspection_end_is_counted_from_the_deadline(small) -> None:
    add_target(small)
    start, end = DEADLINE - dt.timedelta(days=20), DEADLINE - dt.timedelta(days=6)
    add_judgement(small, "Good", 2, DEADLINE + dt.timedelta(days=40), start, end)
    s = status_of(small, "t")
    assert s["status"] == "met late" and s["days_from_deadline"] == 40
    assert (s["decisive_inspection_start"], s["decisive_inspection_end"]) == (
        start,
        end,
    )
    assert s["days_from_deadline_to_inspection_end"] == -6


def test_decisive_inspection_without_an_end_has_no_day_count(small) -> None:
    add_target(small)
    start = DEADLINE + dt.timedelta(days=3)
    add_judgement(small, "Good", 2, DEADLINE + dt.timedelta(days=50), start)
    s = status_of(small, "t")
    assert s["decisive_inspection_start"] == start
    assert s["decisive_inspection_end"] is None
    assert s["days_from_deadline_to_inspection_end"] is None


def test_missed_target_has_no_decisive_inspection(small) -> None:
    add_target(small)
    add_judgement(
        small,
        "Requires improvement",
        3,
        DEADLINE - dt.timedelta(days=30),
        end=DEADLINE - dt.timedelta(days=90),
    )
    s = status_of(small, "t")
    assert s["status"] == "missed"
    assert s["decisive_inspection_start"] is None
    assert s["days_from_deadline_to_inspection_end"] is None
    assert s["first_exceeded_grade"] is None


def test_first_exceeded_is_the_first_better_grade_after_a_late_target(small) -> None:
    add_target(small, grade="Requires improvement")
    add_judgement(small, "Inadequate", 4, DEADLINE + dt.timedelta(days=10))
    add_judgement(small, "Requires improvement", 3, DEADLINE + dt.timedelta(days=100))
    add_judgement(small, "Good", 2, DEADLINE + dt.timedelta(days=400))
    add_judgement(small, "Outstanding", 1, DEADLINE + dt.timedelta(days=900))
    s = status_of(small, "t")
    assert s["status"] == "met late" and s["days_from_deadline"] == 100
    assert s["first_exceeded_grade"] == "Good"
    assert s["first_exceeded_published"] == DEADLINE + dt.timedelta(days=400)


def test_missed_target_later_exceeded(small) -> None:
    add_target(small, grade="Good")
    add_judgement(small, "Inadequate", 4, DEADLINE - dt.timedelta(days=10))
    add_judgement(small, "Outstanding", 1, None, end=DEADLINE + dt.timedelta(days=5))
    s = status_of(small, "t")
    # The outstanding judgement met the target late and is also the first better one;
    # it has no publication date, so it counts from its last day.
    assert s["status"] == "met late" and s["days_from_deadline"] == 5
    assert s["first_exceeded_grade"] == "Outstanding"
    assert s["first_exceeded_published"] is None


def test_target_met_on_time_has_no_first_exceeded(small) -> None:
    add_target(small, grade="Requires improvement")
    add_judgement(small, "Requires improvement", 3, DEADLINE - dt.timedelta(days=5))
    add_judgement(small, "Good", 2, DEADLINE + dt.timedelta(days=200))
    s = status_of(small, "t")
    assert s["status"] == "met"
    assert s["first_exceeded_grade"] is None
    assert s["first_exceeded_published"] is None


def test_equal_grade_after_the_deadline_does_not_exceed(small) -> None:
    add_target(small, grade="Good")
    add_judgement(small, "Good", 2, DEADLINE + dt.timedelta(days=30))
    add_judgement(small, "Good", 2, DEADLINE + dt.timedelta(days=700))
    s = status_of(small, "t")
    assert s["status"] == "met late"
    assert s["first_exceeded_grade"] is None
