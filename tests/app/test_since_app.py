"""What changed since the last meeting on the overview under AppTest, on a copy of
data/ with changes either side of the chosen day (tests/support/since.py): the
section for the day in the address, a day typed into the address, a text that is
not a date refused."""

from __future__ import annotations

import re

import pytest

from tests.support import since as since_data
from tests.support.apptest import run_page
from tests.support.areas import DONCASTER

SCORECARD = f"scorecard?la={DONCASTER.code}"


@pytest.fixture
def app_env(since_made, monkeypatch):
    monkeypatch.setenv("DASHBOARD_DB", str(since_made.db))
    monkeypatch.setenv("DASHBOARD_DATA", str(since_made.data))


def since_markdown(at) -> list[str]:
    return [m.value for m in at.markdown if m.value.startswith("- ")]


@pytest.mark.slow
def test_overview_lists_the_changes_since_the_day_in_the_address(app_env, since_made):
    at = run_page("overview", DONCASTER.code, since="2026-09-01")
    assert not at.exception
    assert "Since the last meeting" in [s.value for s in at.subheader]
    assert at.text_input(key="since_day").value == since_data.CHOSEN.isoformat()
    assert at.query_params["since"] == "2026-09-01"
    items = since_markdown(at)
    assert len(items) >= 8
    links = re.findall(r"\]\(([^)]+)\)$", "\n".join(items), flags=re.M)
    assert f"explorer?la={DONCASTER.code}&measure=Continue_Assess_Comp" in links
    assert SCORECARD in links and f"ofsted?la={DONCASTER.code}" in links
    assert any("Off track now" in i for i in items)
    assert any(since_made.neighbour_name in i for i in items)


@pytest.mark.slow
def test_choosing_a_day_puts_it_in_the_address(app_env):
    at = run_page("overview", DONCASTER.code)
    assert "since" not in at.query_params  # the default day is not written
    at.text_input(key="since_day").set_value("2026-10-20").run()
    assert at.query_params["since"] == "2026-10-20"
    items = since_markdown(at)
    assert any("missed" in i for i in items)
    assert not any("Off track now" in i for i in items)


@pytest.mark.slow
def test_a_date_that_is_not_one_is_refused_and_the_address_kept(app_env):
    at = run_page("overview", DONCASTER.code, since="2026-09-01")
    at.text_input(key="since_day").set_value("31/10/2026").run()
    assert not at.exception
    assert any("is not a date on or before today" in w.value for w in at.warning)
    assert at.query_params["since"] == "2026-09-01"
    assert any("Off track now" in i for i in since_markdown(at))
