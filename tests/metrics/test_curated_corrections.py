"""The date rules, inferences and facts a second check of the curated rows against
their sources corrected or added, read back from the built database: each value,
date, precision, rule, source_id and locator.

Facts from the Ofsted reports and the official files are read here from data/raw;
facts from the council reports and news articles (not kept in data/) are typed in
with the place they are found.
"""

from __future__ import annotations

import datetime as dt
import re
import shutil

import duckdb
import pandas as pd
import pytest

from metrics.date_rules import INFERRED, RULES, SOURCE_RULES, document_precision
from metrics.queries import Database
from tests.support.curated import (
    CAVEATS,
    DICTIONARY,
    curated_figures,
    inspection_dates,
    milestone,
    observation,
    report_page,
    rows,
)
from tests.support.data import RAW

AUG_2013 = dt.date(2013, 8, 13)  # the Mayor's letter, dated on its first page
SEP_2014 = dt.date(2014, 9, 10)  # a week before Cabinet of Wednesday 17 Sep 2014


def source(con, source_id: str) -> dict:
    found = rows(con, "SELECT * FROM sources WHERE source_id = ?", [source_id])
    assert len(found) == 1
    return found[0]


def at(m: dict, date: dt.date, precision: str, rule: str) -> None:
    """A milestone's date, precision and rule."""
    assert (m["milestone_date"], m["date_precision"], m["date_rule"]) == (
        date,
        precision,
        rule,
    )


def cites(row: dict, source_id: str, locator: str) -> None:
    assert (row["source_id"], row["locator"]) == (source_id, locator)


# --- rules: one table, defined once ---------------------------------------------------


def test_the_dictionary_defines_exactly_the_rules_the_build_checks() -> None:
    text = DICTIONARY.read_text(encoding="utf-8")
    section = text[text.index("## 5. Dates") : text.index("## 6.")]
    defined = set(re.findall(r"^\| ([a-z_]+) \|", section, re.MULTILINE))
    assert defined - {"rule"} == set(RULES) | set(SOURCE_RULES)  # less the headers


def test_rows_of_one_document_date_share_its_date_and_one_precision(ro) -> None:
    dated = rows(
        ro,
        "SELECT o.period_end AS date, o.date_precision, o.date_rule, o.source_id, "
        "s.published, s.published_precision, s.published_rule FROM observations o "
        "JOIN sources s USING (source_id) WHERE o.origin = 'report' "
        "UNION ALL SELECT m.milestone_date, m.date_precision, m.date_rule, "
        "m.source_id, s.published, s.published_precision, s.published_rule "
        "FROM milestones m JOIN sources s USING (source_id)",
    )
    by_document = [r for r in dated if RULES[r["date_rule"]].from_document]
    assert len(by_document) >= 30
    for r in by_document:
        assert r["date"] == r["published"], r
        assert r["date_precision"] == document_precision(r["published_precision"]), r
        if r["date_rule"] in ("document_date", INFERRED):
            # "inferred" exactly where the document's own date is inferred.
            assert (r["date_rule"] == INFERRED) == (r["published_rule"] == INFERRED)
    # The Aug 2013 proposal's rows (F10-F19 and F26-F41 among them): all one month.
    proposal = {
        (r["date"], r["date_precision"])
        for r in by_document
        if r["source_id"] == "dmbc_2013_08_proposal"
    }
    assert proposal == {(AUG_2013, "month")}


# --- the eight corrections ------------------------------------------------------------


def test_direction_and_scrutiny_paper_of_18_september_2014_were_scheduled(ro) -> None:
    # Council report of Sep 2014, paragraph 10: written while the Direction was still
    # expected on 18 Sep 2014; paragraph 15 lists the paper of 18 Sep among its
    # background papers.
    direction = milestone(ro, "Direction to enter arrangements with the Trust")
    paper = milestone(ro, "Safeguarding Board annual report")
    for m in (direction, paper):
        at(m, dt.date(2014, 9, 18), "day", "scheduled")
        assert "written before this day" in m["note"]
    assert direction["label"].endswith("expected to be issued")
    assert "scheduled for Overview and Scrutiny" in paper["label"]
    cites(direction, "dmbc_2014_09_year", "Paragraph 10 (legal implications)")
    cites(paper, "dmbc_2014_09_year", "Paragraph 15 (background papers)")


def test_return_to_the_council_is_a_plan_in_a_year_inferred(ro) -> None:
    # 2022 trade press, paragraph 2: the return would take effect by 30 September
    # (no year); its copyright line runs to 2022; paragraph 13: set up eight years ago.
    m = milestone(ro, "Services to return to the council")
    at(m, dt.date(2022, 9, 30), "day", "by_date_year_inferred")
    assert "planned by" in m["label"] and m["kind"] == "trust"
    assert "year" in m["note"] and "inferred" in m["note"] and "plan" in m["note"]
    cites(m, "press_2022_inhouse", "Paragraph 2")
    article = source(ro, "press_2022_inhouse")
    assert (article["published"], article["published_precision"]) == (
        dt.date(2022, 1, 1),
        "year",
    )
    assert article["published_rule"] == INFERRED
    assert "copyright line" in article["published_note"]
    assert "eight years" in article["published_note"]
    # The 2025 report says the council decided to take the service back, undated.
    page = report_page("18-march-2025", 1)
    assert "took the decision to decommission the Doncaster" in page
    assert "2025 Ofsted report (p. 1)" in m["note"]


def test_july_2013_announcement_rows_say_their_date_is_inferred(ro) -> None:
    # July 2013 article: undated; "this month" of the improvement partner and new
    # Director (Mayor's statement), dated to July 2013 by the Aug 2013 proposal
    # (introduction) and the Sep 2014 council report (paragraph 5).
    article = source(ro, "news_2013_07_trust")
    assert (article["published"], article["published_rule"]) == (
        dt.date(2013, 7, 1),
        INFERRED,
    )
    for place in ("paragraph 18", "July 2013", "paragraph 5"):
        assert place in article["published_note"]
    announced = milestone(ro, "Government announces an independent trust")
    at(announced, dt.date(2013, 7, 1), "month", INFERRED)
    assert "inferred" in announced["note"]
    figures = curated_figures()
    for figure_id, metric_id, value in (
        ("F20", "staff_announced_for_trust", 700),
        ("F33", "trust_term_years", 5),
    ):
        assert figures.loc[figure_id, "date_rule"] == INFERRED
        o = observation(ro, metric_id, period_end=dt.date(2013, 7, 1))
        assert (o["value"], o["date_precision"], o["source_id"]) == (
            value,
            "month",
            "news_2013_07_trust",
        )
        assert "its month is inferred" in o["note"]


def test_core_assessment_periods_say_where_they_come_from(ro, built_db) -> None:
    # Aug 2013 progress report, section 1: the 328 to 51 fall is "over the same
    # period"; the 602 to 273 sentence gives no period of its own.
    figures = curated_figures()
    assert (figures.loc["F05", "date_rule"], figures.loc["F06", "date_rule"]) == (
        "same_period",
        "same_period",
    )
    assert figures.loc["F07", "date_rule"] == "assumed_same_period"
    assert figures.loc["F08", "date_rule"] == "assumed_same_period"
    for date, value in ((dt.date(2013, 1, 1), 602), (dt.date(2013, 8, 4), 273)):
        o = observation(ro, "core_assessments_open", period_end=date)
        assert o["value"] == value
        assert o["note"].startswith("Its sentence gives no period")
        assert o["locator"] == "Report on Progress this Year: section 1"
    assert (
        observation(
            ro, "core_assessments_out_of_timescale", period_end=dt.date(2013, 1, 1)
        )["value"]
        == 328
    )
    # The chart of these figures says which dates were assumed.
    from metrics.areas import Area
    from views.figures import report_chart

    chart = report_chart(
        Database(built_db),
        ("core_assessments_open", "core_assessments_out_of_timescale"),
        "{name}",
        "assessments",
        "core",
        Area("E08000017", "Doncaster"),
    )
    assert "Dates assumed: Start of 2013: Its sentence gives no period" in chart.source


def test_census_note_and_sources_cite_what_the_place_says(ro) -> None:
    # Ofsted 2022, paragraph 46: the system not used consistently; leaders did not
    # resolve it; records and performance reports still inaccurate.
    text = " ".join(report_page("08-april-2022", p) for p in range(1, 13))
    paragraph = text[text.index("46. ") : text.index("47. ")]
    assert "not being used consistently" in paragraph
    assert "Senior leaders have been ineffective in resolving" in paragraph
    note = rows(ro, "SELECT * FROM area_notes WHERE note_id = 'doncaster_census_2022'")
    assert "not used consistently" in note[0]["text"]
    assert "senior leaders not resolving" in note[0]["text"]
    assert "left performance reports inaccurate" not in note[0]["text"]
    cites(note[0], "ofsted_2022_ilacs", "Paragraph 46")
    # Council report of Sep 2014: paragraph 3 is under Recommendations.
    reference = source(ro, "dmbc_2014_09_year")["reference"]
    assert "paragraph 3 (recommendations)" in reference
    assert "3 and 5 (background)" not in reference
    cabinet = milestone(ro, "Cabinet agrees functions transferring")
    cites(cabinet, "dmbc_2014_09_year", "Paragraph 3 (recommendations)")


def test_set_up_cost_is_two_statements_of_one_estimate(ro, built_db) -> None:
    # Aug 2013 proposal, section 7: in the order of £2 million; Costs of
    # Implementation: £1,500k-£2,000K.
    from views.documents import document_figures_table

    figures = curated_figures()
    assert figures.loc["F26", "metric_id"] == figures.loc["F27", "metric_id"]
    assert figures.loc["F26", "period_end"] == figures.loc["F27", "period_end"]
    table = document_figures_table(Database(built_db))
    stated = table[table.statement != ""]
    assert list(stated.value) == ["in the order of £2,000,000", "£1,500,000–£2,000,000"]
    assert list(stated.statement) == [
        "Statement 1 of 2 of one figure in this document, not a series",
        "Statement 2 of 2 of one figure in this document, not a series",
    ]
    assert set(stated.date) == {"Aug 2013"}
    assert list(stated.locator) == [
        "Section 7 (Financial)",
        "Section 7: Costs of Implementation",
    ]
    assert all("not" in n and "estimate" in n for n in stated.note)


# --- facts added: contract, governance, practice --------------------------------------


@pytest.mark.parametrize(
    "label, date, precision, rule, kind, source_id, locator",
    [
        # Sep 2014 article, paragraph 2: Cabinet a week today (Wednesday, Sep 17).
        (
            "Cabinet to consider the draft Trust contract",
            dt.date(2014, 9, 17),
            "day",
            "scheduled",
            "governance",
            "news_2014_09_trust",
            "Paragraph 2",
        ),
        # Paragraph 3: authority to sign later this month.
        (
            "Contract to be signed by the council's Chief Executive",
            dt.date(2014, 9, 30),
            "month",
            "later_in_month",
            "plan",
            "news_2014_09_trust",
            "Paragraph 3",
        ),
        # Paragraph 17: the council remains statutorily responsible.
        (
            "Council stays statutorily responsible",
            SEP_2014,
            "month",
            INFERRED,
            "governance",
            "news_2014_09_trust",
            "Paragraph 17",
        ),
        # Paragraphs 12-13: what transfers; 15-16: what stays with the council.
        (
            "Trust to take children in need and in care, care leavers",
            SEP_2014,
            "month",
            INFERRED,
            "plan",
            "news_2014_09_trust",
            "Paragraphs 12-13",
        ),
        (
            "Disabled children's services, education, children's and youth centres",
            SEP_2014,
            "month",
            INFERRED,
            "plan",
            "news_2014_09_trust",
            "Paragraphs 15-16",
        ),
        # Paragraph 9: board members recruited, the chief executive started.
        (
            "Trust board members recruited",
            SEP_2014,
            "month",
            INFERRED,
            "governance",
            "news_2014_09_trust",
            "Paragraph 9",
        ),
        # July 2013 article, paragraph 9 (the DfE's statement).
        (
            "Commissioner for Children's Social Care, reporting to the Education",
            dt.date(2013, 7, 1),
            "month",
            INFERRED,
            "governance",
            "news_2013_07_trust",
            "Paragraph 9 (DfE statement)",
        ),
        # 2022 trade press, paragraphs 2 and 5: by mutual agreement; ring-fenced.
        (
            "ring-fenced in-house operation",
            dt.date(2022, 1, 1),
            "year",
            INFERRED,
            "governance",
            "press_2022_inhouse",
            "Paragraphs 2 and 5",
        ),
        # Aug 2013 progress report, section 6: the front door live within seven
        # weeks of the new Director and IMPOWER.
        (
            "front-door multi-agency assessment and referral service live",
            AUG_2013,
            "month",
            "document_date",
            "practice",
            "dmbc_2013_08_proposal",
            "Report on Progress this Year: section 6",
        ),
    ],
)
def test_contract_governance_and_practice_milestones(
    ro, label, date, precision, rule, kind, source_id, locator
) -> None:
    m = milestone(ro, label)
    at(m, date, precision, rule)
    assert m["kind"] == kind
    cites(m, source_id, locator)
    if RULES[rule].note:
        assert m["note"]


# --- facts added: the 2015 report's context page --------------------------------------


def context_page() -> str:
    return report_page("27-november-2015", 6)


def number(text: str) -> float:
    words = {"eight": 8}
    return float(words.get(text, text.replace(",", "")))


@pytest.mark.parametrize(
    "metric_id, pattern",
    [
        (
            "children_in_need_assessed",
            r"At 31 August 2015, ([\d,]+) children were identified through assessment"
            r".*?increase from ([\d,]+) at 31 March 2014",
        ),
        (
            "CPP_Num",
            r"At 31 August 2015, (\d+) children and young people were the subject of a"
            r" child protection plan\. This is a reduction from (\d+) at 31 March 2014",
        ),
        (
            "LACnum",
            r"At 31 August 2015, (\d+) children are being looked after.*?"
            r"reduction from (\d+) \(",
        ),
        (
            "LAC",
            r"a rate of ([\d.]+) per 10,000 children\)\. This is a reduction from \d+ "
            r"\((\d+) per 10,000",
        ),
    ],
)
def test_context_page_figures_against_the_report(ro, metric_id, pattern) -> None:
    found = re.search(pattern, context_page())
    assert found, metric_id
    august, march = (number(g) for g in found.groups())
    for date, value in ((dt.date(2015, 8, 31), august), (dt.date(2014, 3, 31), march)):
        o = observation(ro, metric_id, period_end=date)
        assert (o["value"], o["date_precision"], o["date_rule"]) == (
            value,
            "day",
            "exact",
        )
        assert (o["approximate"], o["origin"]) == (False, "report")
        assert o["source_id"] == "ofsted_2015_sif"
        assert o["locator"].startswith("Information about this local authority area")
        assert o["locator"].endswith("(p. 6)")
        assert "local unvalidated data" in o["note"]


def test_children_in_need_of_march_2014_equals_the_census(ro) -> None:
    census = pd.read_csv(RAW / "b1_children_in_need_2013_to_2025.csv", dtype=str)
    row = census[(census.old_la_code == "371") & (census.time_period == "2014")]
    o = observation(ro, "children_in_need_assessed", period_end=dt.date(2014, 3, 31))
    assert float(row.At31_episodes.iloc[0]) == o["value"] == 2239


def test_serious_incidents_director_and_lscb(ro) -> None:
    found = re.search(
        r"November 2012\), (\w+) serious incident notifications", context_page()
    )
    assert found
    o = observation(ro, "serious_incident_notifications")
    assert o["value"] == number(found.group(1)) == 8
    assert (o["period_end"], o["date_rule"], o["period_label"]) == (
        inspection_dates("27-november-2015")[1],
        "by_inspection_end",
        "By 8 Oct 2015",
    )
    assert "since the previous inspection (Nov 2012)" in o["note"]
    assert "The Director of Children’s Services has been in post since August 2015" in (
        report_page("27-november-2015", 5)
    )
    director = milestone(ro, "Director of Children's Services in post from Aug 2015")
    at(director, dt.date(2015, 8, 1), "month", "start_of_month")
    cites(
        director,
        "ofsted_2015_sif",
        "Information about this local authority area: local leadership (p. 5)",
    )
    assert "The Local Safeguarding Children Board requires improvement" in (
        report_page("27-november-2015", 39)
    )
    lscb = milestone(ro, "Local Safeguarding Children Board published")
    assert lscb["label"].endswith("requires improvement")
    at(lscb, dt.date(2015, 11, 27), "day", "exact")
    cites(lscb, "ofsted_2015_sif", "The Local Safeguarding Children Board (p. 39)")


# --- facts added: the ILACS inspections' last days ------------------------------------


@pytest.mark.parametrize(
    "report, source_id, start, end, published",
    [
        (
            "08-april-2022",
            "ofsted_2022_ilacs",
            dt.date(2022, 2, 14),
            dt.date(2022, 2, 25),
            dt.date(2022, 4, 8),
        ),
        (
            "18-march-2025",
            "ofsted_2025_ilacs",
            dt.date(2025, 1, 20),
            dt.date(2025, 1, 31),
            dt.date(2025, 3, 18),
        ),
    ],
)
def test_ilacs_last_days_from_the_front_pages(
    ro, built_db, report, source_id, start, end, published
) -> None:
    assert inspection_dates(report) == (start, end)
    j = rows(
        ro,
        "SELECT * FROM ofsted_judgements WHERE area_code = 'E08000017' "
        "AND inspection_start = ?",
        [start],
    )
    assert len(j) == 1
    assert (j[0]["inspection_end"], j[0]["published"]) == (end, published)
    assert j[0]["source_id"] == "ofsted_outcomes_2025"  # the judgement's own source
    assert (j[0]["inspection_end_source_id"], j[0]["inspection_end_locator"]) == (
        source_id,
        "Front page (inspection dates)",
    )
    # The gap from the last day of the inspection to publication, as the Ofsted page
    # counts it.
    judgements = Database(built_db).judgements("E08000017")
    first = pd.to_datetime(judgements.inspection_start) == pd.Timestamp(start)
    gap = judgements.loc[first, "days_end_to_published"]
    assert int(gap.iloc[0]) == (published - end).days


def test_target_status_counts_to_an_ilacs_inspections_last_day(built_db, tmp_path):
    # A target made up for this test only (no such target is in data/): good by
    # 31 Dec 2024, set after the 2022 inspection, so the 2025 ILACS judgement
    # decides it.
    db = tmp_path / "copy.duckdb"
    shutil.copyfile(built_db, db)
    deadline, end, published = (
        dt.date(2024, 12, 31),
        dt.date(2025, 1, 31),
        dt.date(2025, 3, 18),
    )
    with duckdb.connect(str(db)) as con:
        con.execute(
            "INSERT INTO targets VALUES ('test_good_by_dec_2024', 'E08000017', "
            "'Good', ?, 'month', 'end_of_month', DATE '2022-05-01', "
            "'ofsted_outcomes_2025', 'made up for a test')",
            [deadline],
        )
        s = rows(con, "SELECT * FROM target_status WHERE target_id LIKE 'test_%'")[0]
    assert (s["status"], s["decided_by"]) == (
        "met late",
        "ILACS (2018-) judgement Good",
    )
    assert (s["decisive_inspection_start"], s["decisive_inspection_end"]) == (
        dt.date(2025, 1, 20),
        end,
    )
    assert s["days_from_deadline_to_inspection_end"] == (end - deadline).days == 31
    assert s["days_from_deadline"] == (published - deadline).days == 77


def test_every_doncaster_gap_from_last_day_to_publication(built_db) -> None:
    judgements = Database(built_db).judgements("E08000017")
    counted = judgements.dropna(subset=["days_end_to_published"])
    assert list(counted.days_end_to_published.astype(int)) == [50, 56, 42, 46]
    assert judgements.days_end_to_published.isna().sum() == 2  # 2011, 2012: no end


def test_caveats_log_the_corrections_and_additions() -> None:
    text = CAVEATS.read_text(encoding="utf-8")
    for heading in (
        "### 22. Four of the documents carry no date",
        "### 23. The 2015 Ofsted report's context section is local, unvalidated data",
        "### 24. The contract and the Trust's scope as planned in September 2014",
    ):
        assert heading in text
    assert "`by_date_year_inferred`" in text and "`assumed_same_period`" in text
    assert "statements 1 and 2 of one figure, not a series" in text
    assert "25 Feb 2022 and 31 Jan 2025" in text
