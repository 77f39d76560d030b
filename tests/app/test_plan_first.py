"""The plan first: with an improvement plan loaded (tests/targets/good and one local
figure, the ``planned`` fixture), the overview and the pack's cover open with the
count per status and each measure off track or missed; without one, as before.
Expected figures are the test's own inputs and the raw LAIT file."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd
import pytest

from metrics.queries import Database
from reports import content
from tests.support.apptest import run_page
from tests.support.areas import DONCASTER, LEEDS
from tests.support.lait import lait

GOOD = Path(__file__).resolve().parent.parent / "targets" / "good"
LOCAL = 23.4  # conftest's planned: ReReferral, Sep 2026, local
NOTE = "Re-referrals up after the duty review"


@pytest.fixture
def planned_app(planned, monkeypatch):
    data, db = planned
    monkeypatch.setenv("DASHBOARD_DB", str(db))
    monkeypatch.setenv("DASHBOARD_DATA", str(data))
    return data, db


def rereferral_off_track() -> bool:
    """Whether Sep 2026's 23.4 is above the line from the 2025 figure (the baseline
    when the plan was loaded) to at most 20 by Mar 2027."""
    plan = pd.read_csv(GOOD / "plan.csv")
    target = float(plan[plan.metric_id == "ReReferral"].target.iloc[0])
    start = float(lait("ReReferral", DONCASTER.la_number)["2025"])
    share = (dt.date(2026, 9, 30) - dt.date(2025, 3, 31)) / (
        dt.date(2027, 3, 31) - dt.date(2025, 3, 31)
    )
    return start + (target - start) * share < LOCAL


def test_the_overview_opens_with_the_plan_then_the_contract_targets(planned_app):
    at = run_page("overview", DONCASTER.code)
    assert not at.exception
    headings = [s.value for s in at.subheader]
    assert headings[0] == "Improvement plan"
    assert headings.index("Contract targets") > 0
    plan = pd.read_csv(GOOD / "plan.csv")
    metrics = {m.label: m.value for m in at.metric}
    statuses = ["✔ Met", "● On track", "▲ Off track", "✖ Missed", "○ No data"]
    assert sum(int(metrics[s]) for s in statuses) == plan.metric_id.nunique()
    text = "\n".join(m.value for m in at.markdown)
    assert rereferral_off_track()
    assert int(metrics["▲ Off track"]) >= 1
    assert "Re\\-referrals" in text and "▲ Off track" in text
    assert f"Latest: {LOCAL} \\(Sep 2026, local, not official statistics\\)" in text
    assert "Next checkpoint: at most 20 by Mar 2027" in text
    assert any(NOTE.replace("-", "\\-") in c.value for c in at.caption)
    assert f"(scorecard?la={DONCASTER.code})" in text
    # The contract targets stay, in full.
    assert "Ofsted good by October 2017" in text


def test_an_area_without_a_plan_sees_the_overview_as_before(planned_app):
    at = run_page("overview", "E08000038")  # Barnsley: no targets loaded
    assert not at.exception
    headings = [s.value for s in at.subheader]
    assert "Improvement plan" not in headings
    assert headings[:2] == ["Since the last meeting", "Contract targets"]


def test_leeds_plan_is_first_too(planned_app):
    at = run_page("overview", LEEDS.code)
    assert [s.value for s in at.subheader][0] == "Improvement plan"


def test_the_packs_cover_opens_with_the_plan(planned):
    _, db_path = planned
    db = Database(db_path)
    try:
        cover = [make(db, DONCASTER.area) for make in content.COVER_BLOCKS]
    finally:
        db.close()
    cover = [b for b in cover if b is not None]
    assert [b.heading for b in cover[:2]] == ["Improvement plan", "Contract targets"]
    plan = cover[0]
    rows = {row[0]: row for row in plan.table.rows}
    rereferral = next(r for m, r in rows.items() if m.startswith("Re-referrals"))
    assert rereferral[1] == "▲ Off track"
    assert rereferral[2] == f"{LOCAL} (Sep 2026, local, not official statistics)"
    assert rereferral[3] == "at most 20 by Mar 2027" and rereferral[4] == NOTE
    assert f"{len(rows)} off track or missed" in plan.paragraphs[0]
