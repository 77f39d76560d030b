"""Freshness a board can trust: per source, the release in use, when it was
published, when the next is expected (from its declared cadence) and "overdue" once
that day has passed; the overview's one line when a source it uses is overdue."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from metrics.config import DATA_DIR, PROVENANCE_CSV
from metrics.queries import Database
from metrics.sources import BY_NAME
from tests.support.apptest import run_page
from tests.support.areas import DONCASTER
from views.freshness import overdue_line, release_status, update_summary

OFSTED_TITLE = BY_NAME["ofsted_outcomes"].title.format(release="2025", first="")


@pytest.fixture(scope="module")
def in_use(built_db) -> pd.DataFrame:
    db = Database(built_db)
    try:
        return db.releases_in_use()
    finally:
        db.close()


def test_the_release_in_use_of_each_source_is_listed_with_its_publication(in_use):
    rows = in_use.set_index("source")
    assert set(rows.index) == {
        "ofsted_outcomes", "dfe_lait", "dfe_cin_b1", "dfe_csww", "dfe_sn", "dfe_sn_2021",
    }  # fmt: skip
    assert rows.loc["ofsted_outcomes", "release"] == "2025"
    assert rows.loc["ofsted_outcomes", "title"] == OFSTED_TITLE
    # Published dates as data/provenance.csv records them.
    provenance = pd.read_csv(
        DATA_DIR / PROVENANCE_CSV, dtype=str, keep_default_na=False
    )
    ofsted = provenance[provenance.source == "ofsted_outcomes"].published.iloc[-1]
    assert str(rows.loc["ofsted_outcomes", "published"].date()) == ofsted
    assert rows.loc["dfe_lait", "files"].count("; ") == 2  # three files, one release


def test_the_next_release_follows_each_cadence_and_is_overdue_once_passed(in_use):
    before = release_status(in_use, dt.date(2026, 9, 1)).set_index("source")
    after = release_status(in_use, dt.date(2026, 9, 26)).set_index("source")
    # Ofsted: a year after the release in use was published (25 Sep 2025).
    assert before.loc["ofsted_outcomes", "next_expected"] == dt.date(2026, 9, 25)
    assert not before.loc["ofsted_outcomes", "overdue"]
    assert after.loc["ofsted_outcomes", "overdue"]
    assert after.loc["ofsted_outcomes", "status"] == (
        "overdue: the next release was expected by 25 Sep 2026"
    )
    # Children in need: no publication date recorded, so 31 March + 12 + 7 months.
    assert before.loc["dfe_cin_b1", "next_expected"] == dt.date(2026, 10, 31)
    assert before.loc["dfe_cin_b1", "status"] == "next release expected by 31 Oct 2026"
    # Workforce: 30 September + 12 + 5 months.
    assert before.loc["dfe_csww", "next_expected"] == dt.date(2027, 2, 28)
    # LAIT: its dictionary's earliest Next Update after the release in use.
    lait = in_use.set_index("source").loc["dfe_lait"]
    assert before.loc["dfe_lait", "next_expected"] == lait.dictionary_next.date()
    assert lait.dictionary_next.date() > dt.date.fromisoformat(lait.release)
    # Neighbour models have no cadence: never overdue.
    assert before.loc["dfe_sn", "next_expected"] is None
    assert not after.loc["dfe_sn", "overdue"]
    assert after.loc["dfe_sn", "status"].startswith("no set date: ")


def test_the_overview_line_names_only_overdue_sources_the_page_uses(in_use):
    status = release_status(in_use, dt.date(2026, 9, 26))
    line = overdue_line(status, {OFSTED_TITLE})
    assert line == (
        "Official data may be out of date: no newer release is here of "
        f"{OFSTED_TITLE} (as at 31 March 2025; next release expected by 25 Sep 2026)."
        " Run `python -m metrics update`, or see Sources and caveats."
    )
    assert (
        overdue_line(release_status(in_use, dt.date(2026, 9, 1)), {OFSTED_TITLE})
        is None
    )
    assert overdue_line(status, {"A source the page does not use"}) is None


def test_the_sources_page_and_overview_show_it_under_apptest(app_db, in_use):
    today = dt.date.today()
    status = release_status(in_use, today).set_index("source")
    at = run_page("sources", DONCASTER.code)
    shown = [f.value for f in at.dataframe]
    table = next(f for f in shown if "next_expected" in f.columns)
    by_title = table.set_index("title")
    assert (
        by_title.loc[OFSTED_TITLE, "status"] == status.loc["ofsted_outcomes", "status"]
    )
    assert by_title.loc[OFSTED_TITLE, "release"] == "as at 31 March 2025"
    overview = run_page("overview", DONCASTER.code)
    lines = [w.value for w in overview.warning if "may be out of date" in w.value]
    if status.loc["ofsted_outcomes", "overdue"]:
        assert len(lines) == 1 and OFSTED_TITLE in lines[0]
    else:
        assert lines == [] or OFSTED_TITLE not in lines[0]


def test_an_ofsted_update_is_summarised_in_judgements():
    updates = pd.DataFrame(
        [
            {"source_file": "raw/ofsted/x.ods", "source": "ofsted_outcomes",
             "values_new": 2, "values_revised": 1, "values_removed": 0,
             "periods_added": None, "measures_added": 0, "measures_removed": 0},
        ]
    )  # fmt: skip
    assert update_summary(updates) == ["raw/ofsted/x.ods: 2 new judgements, 1 revised"]
