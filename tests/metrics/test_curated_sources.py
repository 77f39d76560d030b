"""The curated timeline and report figures, read back from the built database.

Each expected value is checked against the source it cites: the Ofsted reports and
the outcomes spreadsheet are read here from data/raw; facts from the council reports
and news articles (which are not kept in data/) are typed in with the place they are
found, never copied from the database.
"""

from __future__ import annotations

import datetime as dt
import re

import pandas as pd
import pytest

from metrics.config import DATA_DIR
from tests.support.curated import (
    CAVEATS,
    DICTIONARY,
    OFFICIAL,
    curated_figures,
    front_page_dates,
    inspection_dates,
    milestone,
    observation,
    ods_row,
    ods_sheet,
    report_page,
    row_number,
    target,
    timeline,
)

# --- labels that name a date must agree with the row's date --------------------------

MONTHS = {
    m: i
    for i, m in enumerate(
        "jan feb mar apr may jun jul aug sep oct nov dec".split(), start=1
    )
}
DAY_MONTH_YEAR = re.compile(
    r"\b(?:(\d{1,2}) )?(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]* "
    r"((?:19|20)\d\d)\b",
    re.IGNORECASE,
)
FINANCIAL_YEAR = re.compile(r"\b((?:19|20)\d\d)/(\d\d)\b")
YEAR = re.compile(r"(?<![/\d])((?:19|20)\d\d)(?![/\d])")


def label_disagreements(label: str, date: dt.date) -> list[str]:
    """Dates a label names that the row's own date does not fall in."""
    problems = []
    for day, month, year in DAY_MONTH_YEAR.findall(label):
        wanted = (int(year), MONTHS[month.lower()[:3]])
        if (date.year, date.month) != wanted or (day and int(day) != date.day):
            problems.append(f"{label!r} names {day} {month} {year}, dated {date}")
    for first, _ in FINANCIAL_YEAR.findall(label):
        start = dt.date(int(first), 4, 1)
        if not start <= date <= dt.date(int(first) + 1, 3, 31):
            problems.append(f"{label!r} names the financial year {first}, dated {date}")
    named_years = {int(y) for y in YEAR.findall(FINANCIAL_YEAR.sub("", label))}
    if named_years and date.year not in named_years:
        problems.append(f"{label!r} names {sorted(named_years)}, dated {date}")
    return problems


@pytest.mark.parametrize(
    "label, date, agrees",
    [
        ("From Oct 2014", dt.date(2014, 9, 10), False),
        ("Sep 2014", dt.date(2014, 9, 10), True),
        ("Cabinet 27 Mar 2013", dt.date(2013, 3, 27), True),
        ("Cabinet 27 Mar 2013", dt.date(2013, 3, 28), False),
        ("Start of 2013", dt.date(2013, 1, 1), True),
        ("By 2016/17", dt.date(2017, 3, 31), True),
        ("2014/15 Q1", dt.date(2014, 6, 30), True),
        ("By 2016/17", dt.date(2017, 4, 30), False),
        ("Trust start planned in July 2013", dt.date(2014, 4, 1), False),
        ("Contract target: Ofsted good", dt.date(2017, 10, 31), True),
    ],
)
def test_label_check_catches_a_label_that_names_another_date(label, date, agrees):
    assert (label_disagreements(label, date) == []) is agrees


def test_every_curated_label_agrees_with_its_date(ro) -> None:
    problems = []
    for label, date in ro.execute(
        "SELECT label, milestone_date FROM milestones"
    ).fetchall():
        problems += label_disagreements(label, date)
    for label, date in ro.execute(
        "SELECT period_label, period_end FROM observations "
        "WHERE source_id NOT IN (?, ?, ?)",
        OFFICIAL,
    ).fetchall():
        problems += label_disagreements(label, date)
    assert problems == []


def test_every_date_rule_is_defined_in_the_data_dictionary(ro) -> None:
    text = DICTIONARY.read_text(encoding="utf-8")
    section = text[text.index("## 5. Dates") : text.index("## 6.")]
    defined = set(re.findall(r"^\| ([a-z_]+) \|", section, re.MULTILINE))
    used = {
        r[0] for r in ro.execute("SELECT DISTINCT date_rule FROM milestones").fetchall()
    }
    used |= {
        r[0]
        for r in ro.execute("SELECT DISTINCT deadline_rule FROM targets").fetchall()
    }
    figures = pd.read_csv(DATA_DIR / "curated" / "document_figures.csv", dtype=str)
    used |= set(figures.date_rule)
    assert used - defined == set()


# --- corrections to the milestones ---------------------------------------------------


def test_november_2013_is_the_memorandum_of_understanding_per_ofsted_2015(ro) -> None:
    page = report_page("27-november-2015", 34)
    assert re.search(
        r"125\..*In November 2013, the Secretary of State and the cabinet of "
        r"Doncaster Council agreed a memorandum of understanding",
        page,
    )
    m = milestone(ro, "memorandum of understanding")
    assert (m["milestone_date"], m["date_precision"]) == (dt.date(2013, 11, 1), "month")
    assert (m["source_id"], m["locator"]) == (
        "ofsted_2015_sif",
        "Paragraph 125 (p. 34)",
    )
    assert m["kind"] == "governance"
    # The trade press account that disagrees is a caveat, not a milestone.
    assert not [t for t in timeline(ro) if "government instructions" in t.lower()]
    caveats = CAVEATS.read_text(encoding="utf-8")
    assert "set up on government instructions in November 2013" in caveats


def test_july_2013_director_and_improvement_partner_are_two_rows(ro) -> None:
    director = milestone(ro, "New Director of Children's Services")
    partner = milestone(ro, "IMPOWER")
    # Council report of Sep 2014, paragraph 5: the new Director took up post in July
    # 2013. Aug 2013 progress report, introduction: IMPOWER on site at the beginning
    # of July.
    assert (director["source_id"], director["locator"]) == (
        "dmbc_2014_09_year",
        "Paragraph 5",
    )
    assert (partner["source_id"], partner["locator"]) == (
        "dmbc_2013_08_proposal",
        "Report on Progress this Year: introduction",
    )
    for m in (director, partner):
        assert (m["milestone_date"], m["date_precision"], m["date_rule"]) == (
            dt.date(2013, 7, 1),
            "month",
            "start_of_month",
        )
    assert "partner" not in director["label"] and "Director" not in partner["label"]


def test_april_2013_says_procurement_could_start_not_that_a_notice_was_issued(
    ro,
) -> None:
    m = milestone(ro, "Improvement Notice")
    assert (m["milestone_date"], m["date_precision"], m["date_rule"]) == (
        dt.date(2013, 4, 1),
        "month",
        "start_of_month",
    )
    assert m["kind"] == "intervention"  # a notice is not a Direction
    assert "issued" not in m["label"].lower().replace("issuing", "")
    assert "procurement can start" in m["label"]
    assert (m["source_id"], m["locator"]) == (
        "dmbc_2013_08_proposal",
        "Report on Progress this Year: introduction",
    )


def test_1_october_2014_is_a_scheduled_date_not_a_reported_one(ro) -> None:
    m = milestone(ro, "scheduled to become operational")
    assert (m["milestone_date"], m["date_rule"]) == (dt.date(2014, 10, 1), "scheduled")
    # News article of 10 Sep 2014, paragraph 4: scheduled to become operational on 1 Oct.
    assert (m["source_id"], m["locator"]) == ("news_2014_09_trust", "Paragraph 4")
    assert not [t for t in timeline(ro) if "first full day" in t.lower()]
    # Ofsted 2015, executive summary: the Trust went live on 30 Sep 2014.
    assert "The trust went live on 30 September 2014" in report_page(
        "27-november-2015", 2
    )
    live = milestone(ro, "Trust goes live")
    assert live["milestone_date"] == dt.date(2014, 9, 30) and live["kind"] == "trust"


@pytest.mark.parametrize(
    "report, grade",
    [("08-april-2022", "requires improvement"), ("18-march-2025", "good")],
)
def test_ilacs_publication_milestones_cite_the_outcomes_file(ro, report, grade) -> None:
    # The reports' first pages give the inspection dates but no publication date.
    assert "published" not in report_page(report, 1).lower()
    m = milestone(ro, f"Ofsted ILACS judgement published: {grade}")
    assert m["source_id"] == "ofsted_outcomes_2025"
    assert m["locator"].startswith("ILACS_inspection_history, row ")
    row = ods_row("ILACS_inspection_history", row_number(m["locator"]))
    assert row[2] == "Doncaster"
    assert pd.Timestamp(row[6]).date() == m["milestone_date"]
    assert row[8].lower().startswith(grade)


def test_august_2013_direction_follows_the_letter_that_answered_its_draft(ro) -> None:
    direction = milestone(ro, "Direction to appoint a Commissioner")
    letter = milestone(ro, "Mayor's letter")
    # Ofsted 2015, paragraph 125: the Direction was made in August 2013 (month only).
    assert "made a Direction in August 2013" in report_page("27-november-2015", 34)
    assert (direction["milestone_date"].year, direction["milestone_date"].month) == (
        2013,
        8,
    )
    assert direction["date_precision"] == "month"
    assert direction["date_rule"] == "later_in_month"
    assert letter["milestone_date"] == dt.date(2013, 8, 13)
    order = timeline(ro)
    assert order.index(direction["label"]) > order.index(letter["label"])
    draft = milestone(ro, "draft direction")
    assert order.index(draft["label"]) < order.index(letter["label"])


def test_trust_period_is_still_go_live_to_return(ro) -> None:
    assert ro.execute(
        "SELECT min(milestone_date), max(milestone_date) FROM milestones "
        "WHERE kind = 'trust'"
    ).fetchone() == (dt.date(2014, 9, 30), dt.date(2022, 9, 30))


# --- corrections to the report figures -----------------------------------------------


def test_staff_figures_carry_three_scopes_under_three_metric_ids(ro) -> None:
    page = report_page("27-november-2015", 34)
    paragraph_126 = page[page.index("126.") : page.index("127.")]
    assert "The trust inherited over 500 staff from the council" in paragraph_126
    assert not re.search(r"(19|20)\d\d", paragraph_126)  # no date given
    # July 2013 article, paragraph 3: to take on the current 700 staff. Sep 2014
    # article: the transfer of around 450 council staff has begun.
    expected = {
        "staff_announced_for_trust": (700, False, None, "news_2013_07_trust"),
        "staff_transferring_to_trust": (450, True, "around", "news_2014_09_trust"),
        "staff_inherited_by_trust": (500, True, "over", "ofsted_2015_sif"),
    }
    for metric_id, (value, approximate, qualifier, source) in expected.items():
        o = observation(ro, metric_id)
        assert (o["value"], o["approximate"], o["qualifier"], o["source_id"]) == (
            value,
            approximate,
            qualifier,
            source,
        )
        assert o["note"].startswith("Scope: ")
    labels = ro.execute(
        "SELECT count(DISTINCT label) FROM metrics WHERE metric_id LIKE 'staff_%_trust'"
    ).fetchone()
    assert labels == (3,)
    inherited = observation(ro, "staff_inherited_by_trust")
    assert inherited["locator"] == "Paragraph 126 (p. 34)"
    assert inherited["period_end"] == dt.date(2014, 9, 30)
    assert curated_figures().loc["F32", "date_rule"] == "inferred_from_go_live"
    assert "go-live" in inherited["note"]


def test_audit_sample_is_not_said_to_be_monthly(ro) -> None:
    # Aug 2013 progress report, section 4: monthly audits commenced in May, managers
    # auditing a random sample of 40 cases; how many each month is not stated.
    o = observation(ro, "qa_audit_sample_cases")
    assert (o["value"], o["period_label"]) == (40, "Audit begun May 2013")
    assert o["locator"] == "Report on Progress this Year: section 4"
    assert "does not say" in o["note"]
    assert ro.execute(
        "SELECT count(*) FROM metrics WHERE metric_id LIKE 'qa_audit%' "
        "AND (label ILIKE '%each month%' OR metric_id LIKE '%per_month%')"
    ).fetchone() == (0,)


def test_children_in_need_dates_are_assumed_and_the_rows_say_so(ro) -> None:
    # Aug 2013 progress report, section 3: reduced from 2,510 to 1,645, no dates.
    figures = curated_figures()
    for figure_id, value, date, rule in (
        ("F11", 2510, dt.date(2013, 1, 1), "assumed_start_of_year"),
        ("F12", 1645, dt.date(2013, 8, 13), "assumed_document_date"),
    ):
        o = observation(ro, "children_in_need_cases", period_end=date)
        assert o["value"] == value
        assert o["locator"] == "Report on Progress this Year: section 3"
        assert o["note"].startswith("The report gives no date for this figure; taken")
        assert figures.loc[figure_id, "date_rule"] == rule


# --- figures and milestones added from the documents ----------------------------------


def test_trust_set_up_steps_of_ofsted_2015_paragraph_125(ro) -> None:
    page = report_page("27-november-2015", 34)
    assert (
        "In February 2014, the Secretary of State appointed the chairman of the trust "
        "and in July 2014, the chief executive of the trust was appointed" in page
    )
    for label, date in (
        ("appoints the Trust's chair", dt.date(2014, 2, 1)),
        ("chief executive appointed", dt.date(2014, 7, 1)),
    ):
        m = milestone(ro, label)
        assert (m["milestone_date"], m["date_precision"], m["date_rule"]) == (
            date,
            "month",
            "start_of_month",
        )
        assert (m["source_id"], m["locator"]) == (
            "ofsted_2015_sif",
            "Paragraph 125 (p. 34)",
        )
        assert m["kind"] == "governance"
    # Ofsted 2015, local leadership (p. 5): chief executive in post since July 2014.
    assert "The Chief Executive of the trust has been in post since July 2014" in (
        report_page("27-november-2015", 5)
    )


def test_term_of_the_trust_as_announced_and_as_contracted(ro) -> None:
    # July 2013 article, paragraph 4: in control for at least five, possibly ten
    # years. Sep 2014 article: a ten-year term with a review after five years.
    announced = observation(ro, "trust_term_years", period_end=dt.date(2013, 7, 1))
    assert (announced["value"], announced["approximate"], announced["qualifier"]) == (
        5,
        True,
        "at least",
    )
    assert "possibly ten" in announced["note"]
    assert (announced["source_id"], announced["locator"]) == (
        "news_2013_07_trust",
        "Paragraph 4",
    )
    contracted = observation(ro, "trust_term_years", period_end=dt.date(2014, 9, 10))
    assert (contracted["value"], contracted["approximate"]) == (10, False)
    assert contracted["source_id"] == "news_2014_09_trust"
    end = milestone(ro, "End of the Trust's ten-year term")
    start = milestone(ro, "Trust goes live")["milestone_date"]
    assert end["milestone_date"].year == start.year + 10
    assert (end["date_precision"], end["date_rule"], end["kind"]) == (
        "year",
        "ten_years_after_start",
        "plan",
    )
    assert (end["source_id"], end["locator"]) == (
        "news_2014_09_trust",
        "Paragraph on the contract term",
    )


def test_the_2013_review_proposed_a_five_year_budget_and_contract(ro) -> None:
    # Aug 2013 proposal: section 7 quotes the review's initial five-year budget; the
    # summary table gives its five-year contract.
    budget = observation(ro, "review_budget_years")
    contract = observation(ro, "review_contract_years")
    assert (budget["value"], budget["locator"]) == (5, "Section 7 (Financial)")
    assert (contract["value"], contract["locator"]) == (
        5,
        "Summary Table: Relationship to Council",
    )
    for o in (budget, contract):
        assert o["source_id"] == "dmbc_2013_08_proposal"
        assert o["period_end"] == dt.date(2013, 8, 13)


def test_board_and_reporting_of_the_council_model_and_as_ofsted_found(ro) -> None:
    # Aug 2013 proposal, features 4 and 5: chair, five non-executive directors and
    # five executive members; the chair reports quarterly to the Secretary of State.
    for metric_id, value, item in (
        ("proposed_board_non_executives", 5, 4),
        ("proposed_board_executives", 5, 4),
        ("proposed_chair_reports_per_year", 4, 5),
    ):
        o = observation(ro, metric_id)
        assert (o["value"], o["source_id"]) == (value, "dmbc_2013_08_proposal")
        assert o["locator"] == f"Doncaster Children's Trust features, item {item}"
        assert o["note"].startswith("Council's proposed model")
    assert (
        "chair is appointed by the Secretary of State"
        in observation(ro, "proposed_board_non_executives")["note"]
    )
    page = report_page("27-november-2015", 34)
    assert "The Chair of the Trust Board provides a six monthly report" in page
    assert "Inspection date: 14 September – 8 October 2015" in report_page(
        "27-november-2015", 1
    )
    found = observation(ro, "trust_chair_reports_per_year")
    assert (found["value"], found["period_end"], found["period_label"]) == (
        2,
        dt.date(2015, 10, 8),
        "By 8 Oct 2015",
    )
    assert found["locator"] == "Paragraph 129 (pp. 34-35)"
    assert curated_figures().loc["F40", "date_rule"] == "by_inspection_end"


def test_pension_bond_is_a_ceiling_and_the_valuation_has_no_number(ro) -> None:
    # Aug 2013 proposal, section 4: bonds of up to £1m; the valuation's cost is given
    # only as tens of thousands of pounds, so it is a caveat, not a figure.
    bond = observation(ro, "pension_bond_gbp")
    assert (bond["value"], bond["value_high"], bond["approximate"]) == (
        1_000_000,
        1_000_000,
        True,
    )
    assert bond["qualifier"] == "up to"
    assert bond["locator"] == "Section 4 (Human resources), on pensions"
    assert "tens of thousands of pounds" in CAVEATS.read_text(encoding="utf-8")


def test_annual_contract_review_and_childrens_homes_refurbishment(ro) -> None:
    page = report_page("27-november-2015", 35)
    assert (
        "the contract is reviewed annually. The first review was scheduled for "
        "early November" in page
    )
    assert "A decision by the council to invest £500,000" in page
    review = milestone(ro, "First annual review of the Trust contract")
    assert (review["milestone_date"], review["date_precision"]) == (
        dt.date(2015, 11, 1),
        "month",
    )
    assert review["date_rule"] == "month_in_inspection_year"
    assert (review["source_id"], review["locator"]) == (
        "ofsted_2015_sif",
        "Paragraph 130 (p. 35)",
    )
    homes = observation(ro, "childrens_homes_refurbishment_gbp")
    assert (homes["value"], homes["approximate"], homes["locator"]) == (
        500_000,
        False,
        "Paragraph 131 (p. 35)",
    )
    assert homes["period_end"] == dt.date(2015, 10, 8)
    assert "does not date" in homes["note"]


def test_june_2024_focused_visit_is_a_milestone_not_a_judgement(ro) -> None:
    m = milestone(ro, "focused visit")
    assert m["source_id"] == "ofsted_outcomes_2025"
    assert m["locator"].startswith("In-year_inspections, row ")
    row = ods_row("In-year_inspections", row_number(m["locator"]))
    assert row[1:3] == ["E08000017", "Doncaster"]
    assert pd.Timestamp(row[4]).date() == m["milestone_date"] == dt.date(2024, 6, 26)
    assert row[6] == "ILACS Focused Visit" and pd.isna(row[7])  # no grade
    assert row[12].lower() in m["label"].lower()  # the visit's theme
    assert (m["kind"], m["date_precision"]) == ("inspection", "day")
    history = ods_sheet("ILACS_inspection_history")
    assert not (
        (history[2] == "Doncaster") & (history[7].astype(str).str.contains("Focused"))
    ).any()
    assert ro.execute(
        "SELECT count(*) FROM ofsted_judgements WHERE area_code = 'E08000017' "
        "AND year(inspection_start) = 2024"
    ).fetchone() == (0,)


def test_seven_deaths_are_stored_at_the_date_reported(ro) -> None:
    # 2022 trade press, paragraph on the Trust's history: seven deaths over five years.
    o = observation(ro, "child_deaths_before_supervision")
    assert (o["value"], o["approximate"], o["source_id"]) == (
        7,
        False,
        "press_2022_inhouse",
    )
    assert (o["period_label"], o["date_precision"]) == ("Reported 2022", "year")
    assert "does not say which years" in o["note"]
    assert curated_figures().loc["F43", "date_rule"] == "date_reported"


def test_scrutiny_reports_and_tupe_from_the_september_2014_council_report(ro) -> None:
    # Council report of Sep 2014: paragraph 15 lists the two papers to Overview and
    # Scrutiny; paragraph 12 says the staff transfer follows TUPE 2006.
    # The report was written before 18 Sep 2014 (paragraph 10: the Direction still
    # expected that day), so the paper of 18 Sep was scheduled, not yet presented.
    for label, date, rule in (
        ("Children missing from care report", dt.date(2014, 3, 24), "exact"),
        ("Safeguarding Board annual report", dt.date(2014, 9, 18), "scheduled"),
    ):
        m = milestone(ro, label)
        assert (m["milestone_date"], m["date_precision"], m["date_rule"]) == (
            date,
            "day",
            rule,
        )
        assert "Overview and Scrutiny" in m["label"]
        assert (m["source_id"], m["locator"]) == (
            "dmbc_2014_09_year",
            "Paragraph 15 (background papers)",
        )
    tupe = milestone(ro, "under the TUPE regulations")
    assert (tupe["source_id"], tupe["locator"]) == (
        "dmbc_2014_09_year",
        "Paragraph 12 (human resources)",
    )
    assert (tupe["milestone_date"], tupe["date_precision"]) == (
        dt.date(2014, 9, 1),
        "month",
    )
    # Aug 2013 proposal: the council's model seconds staff instead (section 4;
    # features, item 9).
    secondment = milestone(ro, "seconding staff")
    assert secondment["milestone_date"] == dt.date(2013, 8, 13)
    assert secondment["source_id"] == "dmbc_2013_08_proposal"


def test_every_curated_measure_is_in_the_data_dictionary(ro) -> None:
    text = DICTIONARY.read_text(encoding="utf-8")
    defined = set(re.findall(r"^\| ([a-z0-9_]+) \|", text, re.MULTILINE))
    curated = pd.read_csv(DATA_DIR / "curated" / "metrics.csv", dtype=str)
    assert set(curated.metric_id) - defined == set()
    used = {
        r[0]
        for r in ro.execute(
            "SELECT DISTINCT metric_id FROM observations "
            "WHERE source_id NOT IN (?, ?, ?) AND origin = 'report'",
            OFFICIAL,
        ).fetchall()
    }
    # A document figure of a measure LAIT publishes keeps LAIT's id; section 1 of
    # the dictionary names each such id.
    lait = used - set(curated.metric_id)
    assert lait == {"CPP_Num", "LACnum", "LAC"}
    section = text[: text.index("## 2. ")]
    assert all(f"`{m}`" in section for m in lait)


# --- target_status: days to the decisive inspection's end, first exceeded -----------


def test_good_by_october_2017_counted_to_the_inspections_end_and_publication(ro):
    # Ofsted 2015, executive summary: good by October 2017 (read as 31 Oct 2017).
    assert "judged good by October 2017" in report_page("27-november-2015", 2)
    deadline = dt.date(2017, 10, 31)
    start, end, published = front_page_dates("19-january-2018")
    assert (start, end, published) == (
        dt.date(2017, 11, 9),
        dt.date(2017, 11, 24),
        dt.date(2018, 1, 19),
    )
    assert "Children’s services in Doncaster are good" in report_page(
        "19-january-2018", 1
    )
    s = target(ro, "good_by_oct_2017")
    assert s["status"] == "met late"
    assert (s["decisive_inspection_start"], s["decisive_inspection_end"]) == (
        start,
        end,
    )
    assert s["days_from_deadline_to_inspection_end"] == (end - deadline).days == 24
    assert s["days_from_deadline"] == (published - deadline).days == 80
    # No later judgement has been outstanding.
    assert s["first_exceeded_grade"] is None
    assert s["first_exceeded_published"] is None


def test_requires_improvement_by_april_2016_was_first_exceeded_by_good(ro) -> None:
    # Ofsted 2015, paragraph 130: requires improvement by April 2016 (30 Apr 2016).
    assert "reach requires improvement by April 2016" in report_page(
        "27-november-2015", 35
    )
    deadline = dt.date(2016, 4, 30)
    _, end_2015, published_2015 = front_page_dates("27-november-2015")
    assert "Children’s services in Doncaster are inadequate" in report_page(
        "27-november-2015", 1
    )
    assert published_2015 < deadline  # inadequate: counts, but does not meet it
    start, end, published = front_page_dates("19-january-2018")
    s = target(ro, "requires_improvement_by_apr_2016")
    assert s["status"] == "met late"
    assert s["decisive_inspection_start"] == start
    assert s["days_from_deadline_to_inspection_end"] == (end - deadline).days == 573
    assert s["days_from_deadline"] == (published - deadline).days == 629
    assert (s["first_exceeded_grade"], s["first_exceeded_published"]) == (
        "Good",
        published,
    )


def test_outstanding_by_october_2019_missed_has_no_decisive_inspection(ro) -> None:
    s = target(ro, "outstanding_by_oct_2019")
    assert s["status"] == "missed"
    assert s["decisive_inspection_start"] is None
    assert s["decisive_inspection_end"] is None
    assert s["days_from_deadline_to_inspection_end"] is None
    # No Doncaster judgement in the outcomes file is outstanding.
    history = ods_sheet("ILACS_inspection_history")
    assert "Outstanding" not in set(history.loc[history[2] == "Doncaster", 8])
    assert s["first_exceeded_grade"] is None


def test_doncaster_judgements_with_an_inspection_end(ro) -> None:
    with_end = ro.execute(
        "SELECT framework, inspection_start, inspection_end FROM ofsted_judgements "
        "WHERE area_code = 'E08000017' AND inspection_end IS NOT NULL "
        "ORDER BY inspection_start"
    ).fetchall()
    # Each from its report's front page: the two SIF reports and the two ILACS
    # reports (data/curated/ofsted_inspection_ends.csv).
    reports = ("27-november-2015", "19-january-2018", "08-april-2022", "18-march-2025")
    assert [(r[1], r[2]) for r in with_end] == [inspection_dates(r) for r in reports]
    assert [r[0] for r in with_end] == ["SIF (2013-2017)"] * 2 + ["ILACS (2018-)"] * 2
