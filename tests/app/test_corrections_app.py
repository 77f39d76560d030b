"""AppTest: the overview timeline, the Sources page and the Ofsted page show the
corrected and added dates and facts, each with its rule and source."""

from __future__ import annotations

import pandas as pd
import pytest

from tests.support.apptest import run_page
from tests.support.areas import DONCASTER
from tests.support.charts import figures, title_of


@pytest.fixture(scope="module", autouse=True)
def _app_on_test_db(app_db):
    """Every AppTest in this module reads the test database."""
    return app_db


def frame(at, column: str) -> pd.DataFrame:
    """The first table on the page that has ``column``."""
    return next(d.value for d in at.dataframe if column in d.value.columns)


def test_timeline_says_which_dates_are_scheduled_inferred_or_planned():
    at = run_page("overview", DONCASTER.code)
    assert not at.exception
    (timeline,) = figures(at)
    assert "planned return in 2022" in title_of(timeline)
    rows = {y: c for t in timeline["data"] for y, c in zip(t["y"], t["customdata"])}
    for row in (
        "Direction to enter arrangements with the Trust expected to be issued "
        "(18 Sep 2014, scheduled)",
        "Children's Safeguarding Board annual report scheduled for Overview and "
        "Scrutiny (18 Sep 2014, scheduled)",
        "Services to return to the council, planned by this date (30 Sep 2022, year "
        "inferred)",
        "Government announces an independent trust (Jul 2013, date inferred)",
        "Cabinet to consider the draft Trust contract (17 Sep 2014, scheduled)",
        "Government to appoint a Commissioner for Children's Social Care, reporting "
        "to the Education Secretary (Jul 2013, date inferred)",
        "Ofsted review of the Local Safeguarding Children Board published: requires "
        "improvement (27 Nov 2015)",
        "Director of Children's Services in post from Aug 2015 (Aug 2015)",
    ):
        assert row in rows, row
    # The hover says how the date was read: source, place, rule and note.
    handback = rows[
        "Services to return to the council, planned by this date (30 Sep 2022, year "
        "inferred)"
    ]
    assert handback[1:3] == ["Paragraph 2", "by_date_year_inferred"]
    assert "inferred" in handback[3] and "2025 Ofsted report" in handback[3]
    assert any(r.startswith("New front-door multi-agency assessment") for r in rows), (
        "practice milestone"
    )


def test_timeline_table_carries_each_rows_rule_and_note(built_db):
    # The table under the timeline (opened on demand on the page), built by the view.
    from metrics.queries import Database
    from views.ofsted import milestones_chart

    table = milestones_chart(Database(built_db), DONCASTER.area).table
    assert list(table.columns[:4]) == [
        "milestone_date",
        "date_precision",
        "date_rule",
        "kind",
    ]
    scheduled = table[table.date_rule == "scheduled"]
    assert len(scheduled) == 4 and scheduled.note.notna().all()
    inferred = table[table.date_rule.str.contains("inferred")]
    assert inferred.note.notna().all() and len(inferred) == 9
    assert set(table.kind) >= {"practice", "governance", "plan"}


def test_sources_page_shows_inferred_dates_figures_and_caveats():
    at = run_page("sources", DONCASTER.code)
    assert not at.exception
    sources = frame(at, "published_rule").set_index("source_id")
    for source_id in (
        "news_2013_07_trust",
        "news_2014_09_trust",
        "dmbc_2014_09_year",
        "press_2022_inhouse",
    ):
        assert sources.loc[source_id, "published_rule"] == "inferred_document_date"
        assert sources.loc[source_id, "published_note"]
    assert (
        "paragraph 3 (recommendations)" in sources.loc["dmbc_2014_09_year", "reference"]
    )
    quoted = frame(at, "statement")
    setup = quoted[quoted.measure == "Estimated cost of setting up the Trust"]
    assert list(setup.statement) == [
        "Statement 1 of 2 of one figure in this document, not a series",
        "Statement 2 of 2 of one figure in this document, not a series",
    ]
    context = quoted[quoted.locator.str.endswith("(p. 6)")]
    assert sorted(context.value) == sorted(
        ["2,495", "2,239", "312", "331", "498", "500", "75.8", "77", "8"]
    )
    core = quoted[quoted.measure == "Core assessments open"]
    assert set(core.date_rule) == {"assumed_same_period"}
    caveats = " ".join(m.value for m in at.markdown)
    assert "22. Four of the documents carry no date" in caveats
    assert "23. The 2015 Ofsted report's context section" in caveats


def test_ofsted_page_counts_every_inspection_to_publication():
    at = run_page("ofsted", DONCASTER.code)
    assert not at.exception
    table = frame(at, "days_to_publication")
    counted = table.dropna(subset=["days_to_publication"])
    assert list(counted.days_to_publication.astype(int)) == [50, 56, 42, 46]
    assert list(counted.inspected) == [
        "14 Sep – 08 Oct 2015",
        "9–24 Nov 2017",
        "14–25 Feb 2022",
        "20–31 Jan 2025",
    ]
    ilacs = counted[counted.framework == "ILACS (2018-)"]
    assert all(s.endswith("(Front page (inspection dates))") for s in ilacs.end_source)
