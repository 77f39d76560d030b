"""What changed since a chosen day, built by views.since from a copy of data/ with
changes on either side of the day (tests/support/since.py); and the pack log that
gives the default day. Expected figures are read from the raw files or are the
test's own inputs, never from the code under test."""

from __future__ import annotations

import datetime as dt
import re

import pandas as pd
import pytest

from metrics.formatting import ordinal
from metrics.pack_log import PACK_LOG, last_prepared, record_prepared
from metrics.queries import Database
from tests.support import since as since_data
from tests.support.areas import DONCASTER
from tests.support.releases import NEW_INSPECTION, OLD_ODS
from views.since import DEFAULT_DAYS, Since, SinceDays, parse_day, since

TODAY = dt.date.today()
SCORECARD = f"scorecard?la={DONCASTER.code}"


@pytest.fixture(scope="module")
def database(since_made):
    db = Database(since_made.db)
    yield db
    db.close()


def changes(database, day: dt.date) -> Since:
    return since(database, DONCASTER.area, day, TODAY)


def group(found: Since, heading: str):
    return next(g for g in found.groups if g.heading == heading)


def numbers(text: str) -> list[float]:
    return [float(n) for n in re.findall(r"(?<![\w.])\d+(?:\.\d+)?(?![\w])", text)]


@pytest.mark.slow
def test_releases_taken_since_the_day_and_their_figures_for_the_area(
    since_made, database
):
    releases = group(changes(database, since_data.CHOSEN), "New official releases")
    texts = [i.text for i in releases.items]
    assert any("2026-06-01" in t and "1 revised" in t for t in texts)
    assert any("as at 31 March 2026" in t and "2 new judgements" in t for t in texts)
    new = next(i for i in releases.items if "measure=Continue_Assess_Comp" in i.link)
    assert new.link == (f"explorer?la={DONCASTER.code}&measure=Continue_Assess_Comp")
    assert ", 2026: " in new.text and "a new figure" in new.text
    assert numbers(new.text.split(": ", 1)[1])[0] == pytest.approx(
        since_made.assess_2026
    )
    assert "ranked 1st of " in new.text
    assert f"was {ordinal(since_made.assess_rank_2025)} of " in new.text or (
        f"was joint {ordinal(since_made.assess_rank_2025)} of " in new.text
    )
    assert "quartile band A" in new.text
    revised = next(i for i in releases.items if i.link.endswith("measure=CIN"))
    assert f"{since_data.REVISED_YEAR}: revised from" in revised.text
    old, new_value = numbers(revised.text.split("revised from", 1)[1])[:2]
    assert old == pytest.approx(since_made.cin_old)
    assert new_value == pytest.approx(since_made.cin_old + 1)


@pytest.mark.slow
def test_new_judgements_of_the_area_and_its_neighbours(since_made, database):
    ofsted = group(changes(database, since_data.CHOSEN), "New Ofsted judgements")
    sheet = pd.read_excel(
        since_made.data / OLD_ODS, sheet_name="ILACS_inspection_history", header=2
    )
    mine = sheet[sheet["Local authority area code"] == DONCASTER.code]
    before = str(mine["Overall effectiveness"].iloc[-1]).lower()
    texts = [i.text for i in ofsted.items]
    assert len(texts) == 2
    doncaster = next(t for t in texts if t.startswith("Doncaster: "))
    assert "Outstanding" in doncaster and f"{NEW_INSPECTION:%d %b %Y}" in doncaster
    assert before in doncaster.lower().split(", was ", 1)[1]
    neighbour = next(t for t in texts if t.startswith(since_made.neighbour_name))
    assert "(neighbour)" in neighbour and "Good" in neighbour
    assert {i.link for i in ofsted.items} == {f"ofsted?la={DONCASTER.code}"}


@pytest.mark.slow
def test_local_figures_loaded_since_the_day(since_made, database):
    local = group(changes(database, since_data.CHOSEN), "New local figures")
    (item,) = local.items
    assert "Sep 2026" in item.text and "september.csv" in item.text
    assert "15 Oct 2026" in item.text
    assert numbers(item.text.split("Sep 2026: ", 1)[1])[0] == pytest.approx(
        since_made.local_figure
    )
    assert item.link == SCORECARD


@pytest.mark.slow
def test_plan_status_on_the_day_from_what_was_loaded_by_then(since_made, database):
    plan = group(changes(database, since_data.CHOSEN), "Improvement plan statuses")
    moved, fell_due = plan.items
    # On 1 Sep 2026 only the 2025 figure was held: at the baseline, on track; the
    # Sep 2026 local figure, loaded later, is above the line.
    assert "● On track on 01 Sep 2026 → ▲ Off track now" in moved.text
    tail = moved.text.split("now; ", 1)[1]
    actual, expected, target = numbers(
        tail.replace("Sep 2026", "").replace("Mar 2027", "")
    )[:3]
    assert actual == pytest.approx(since_made.local_figure)
    assert expected == pytest.approx(since_made.rereferral_2025)
    assert target == pytest.approx(since_data.SECOND_TARGET)
    assert "checkpoint due Oct 2026 ✖ missed" in fell_due.text
    assert {moved.link, fell_due.link} == {SCORECARD}


@pytest.mark.slow
def test_a_day_before_the_plan_was_loaded_had_no_target(database):
    plan = group(changes(database, dt.date(2026, 5, 1)), "Improvement plan statuses")
    assert any(
        "— No target on 01 May 2026 → ▲ Off track now" in i.text for i in plan.items
    )
    local = group(changes(database, dt.date(2026, 5, 1)), "New local figures")
    assert len(local.items) == 1


@pytest.mark.slow
def test_a_day_after_the_local_figure_keeps_the_status_and_lists_the_checkpoint(
    database,
):
    found = changes(database, dt.date(2026, 10, 20))
    plan = group(found, "Improvement plan statuses")
    assert [("→" in i.text, "missed" in i.text) for i in plan.items] == [(False, True)]
    assert group(found, "New local figures").items == ()


@pytest.mark.slow
def test_today_lists_nothing_new_and_says_so(database):
    found = changes(database, TODAY + dt.timedelta(days=1))
    for g in found.groups:
        if g.heading != "Improvement plan statuses":
            assert g.items == () and g.empty


@pytest.mark.slow
def test_default_day_on_the_overview(since_made, database):
    before = since(database, DONCASTER.area, None, TODAY)
    if last_prepared(since_made.db, DONCASTER.code, before=TODAY) is None:
        assert before.day == TODAY - dt.timedelta(days=DEFAULT_DAYS)
        assert before.basis == f"{DEFAULT_DAYS} days ago"
    record_prepared(
        since_made.db, DONCASTER.code, "pdf", dt.datetime(2026, 10, 1, 8, 30)
    )
    after = since(database, DONCASTER.area, None, TODAY)
    assert after.day == dt.date(2026, 10, 1)
    assert after.basis == "the last board pack, prepared 01 Oct 2026"
    # Since 1 Oct 2026: the return of 15 Oct, not the plan of 1 Jun.
    assert len(group(after, "New local figures").items) == 1


def test_the_day_from_the_address_must_be_a_real_past_date():
    assert parse_day("2026-09-01", dt.date(2026, 12, 1)) == dt.date(2026, 9, 1)
    for bad in ("2026-13-01", "yesterday", "", None, "2026-12-02"):
        assert parse_day(bad, dt.date(2026, 12, 1)) is None
        assert bad not in SinceDays(dt.date(2026, 12, 1))
    assert "2026-09-01" in SinceDays(dt.date(2026, 12, 1))


def test_default_day_is_the_last_pack_prepared_before_today(tmp_path):
    db_path = tmp_path / "dashboard.duckdb"
    assert last_prepared(db_path, DONCASTER.code) is None
    record_prepared(db_path, DONCASTER.code, "pdf", dt.datetime(2026, 10, 2, 9, 0))
    record_prepared(db_path, DONCASTER.code, "docx", dt.datetime(2026, 11, 3, 9, 0))
    record_prepared(db_path, "E08000035", "pdf", dt.datetime(2026, 11, 20, 9, 0))
    record_prepared(db_path, DONCASTER.code, "pdf", dt.datetime(2026, 11, 23, 8, 0))
    rows = (tmp_path / PACK_LOG).read_text().splitlines()
    assert rows[0] == "prepared_at,area_code,format" and len(rows) == 5
    # A pack prepared on the day itself is this meeting's, not the last one.
    got = last_prepared(db_path, DONCASTER.code, before=dt.date(2026, 11, 23))
    assert got == dt.datetime(2026, 11, 3, 9, 0)
