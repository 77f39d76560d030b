"""AppTest over app.py and every page, for Doncaster and one other LA."""

from __future__ import annotations

import pandas as pd
import pytest

from tests.support.apptest import forget_shared_runs

# Every test here only reads its run: tests of the same page and address share one.
from tests.support.apptest import shared_run as run_page
from tests.support.areas import CHARTS, DONCASTER, LEEDS, PAGE_KEYS
from tests.support.charts import decode, figures, title_of
from tests.support.data import RAW, ROOT
from tests.support.lait import lait


@pytest.fixture(scope="module", autouse=True)
def _app_on_test_db(app_db):
    """Every AppTest in this module reads the test database; its runs go after it."""
    yield app_db
    forget_shared_runs()


def test_every_declared_page_has_its_expected_charts():
    assert set(CHARTS) == set(PAGE_KEYS)


@pytest.mark.parametrize("area", [DONCASTER, LEEDS], ids=lambda a: a[1])
@pytest.mark.parametrize("page", PAGE_KEYS)
def test_page_renders_with_its_charts(page, area):
    at = run_page(page, area[0])
    assert not at.exception, [e.value for e in at.exception]
    assert len(at.get("plotly_chart")) == CHARTS[page][area[1]]
    assert at.sidebar.selectbox[0].value == area[0]
    titles = [t.value for t in at.title]
    if page not in ("sources", "upload", "accessibility"):
        assert any(area[1] in t for t in titles), titles
    for fig in figures(at):
        # Every chart carries a title, a subtitle and a source line inside itself.
        assert "<br>" in title_of(fig)
        assert any("Source:" in a.get("text", "") for a in fig["layout"]["annotations"])


def test_overview_shows_doncaster_target_status_and_how_days_are_counted():
    at = run_page("overview", DONCASTER[0])
    text = " ".join(m.value for m in at.markdown)
    assert "Met late" in text and "Missed" in text
    # The 2018 re-inspection (data/curated/ofsted_reports.csv): inspected 9-24 Nov
    # 2017, published 19 Jan 2018; the deadline "by October 2017" is 31 Oct 2017.
    reports = pd.read_csv(ROOT / "data/curated/ofsted_reports.csv", dtype=str)
    sif = reports[reports.inspection_start == "2017-11-09"].iloc[0]
    end, published = pd.Timestamp(sif.inspection_end), pd.Timestamp(sif.published)
    deadline = pd.Timestamp("2017-10-31")
    assert "'By October 2017' is read as 31 Oct 2017." in text
    assert (
        f"inspected 9–24 Nov 2017, {(end - deadline).days} days after the deadline; "
        f"published 19 Jan 2018, {(published - deadline).days} days after the "
        "deadline." in text
    )
    assert (end - deadline).days == 24 and (published - deadline).days == 80
    early = pd.Timestamp("2016-04-30")
    assert (
        "'By April 2016' is read as 30 Apr 2016. Not reached by the deadline; first "
        "exceeded by the SIF (2013-2017) judgement Good" in text
    )
    assert f"{(published - early).days} days after the deadline" in text
    assert at.metric[0].value.endswith("Good")


def test_overview_says_targets_are_doncaster_only_for_other_las():
    at = run_page("overview", LEEDS[0])
    assert any("held for Doncaster only" in i.value for i in at.info)
    assert not any("Met late" in m.value for m in at.markdown)


@pytest.mark.parametrize("area", [DONCASTER, LEEDS], ids=lambda a: a[1])
def test_headline_assessment_value_matches_raw_lait(area):
    raw = lait("Continue_Assess_Comp", area[2]).dropna()
    latest_label = max(raw.index)
    at = run_page("overview", area[0])
    metric = next(m for m in at.metric if "45 working days" in m.label)
    assert latest_label in metric.label
    assert float(metric.value) == pytest.approx(raw[latest_label])


@pytest.mark.parametrize("area", [DONCASTER, LEEDS], ids=lambda a: a[1])
def test_timeliness_chart_plots_raw_lait_values(area):
    raw = lait("Continue_Assess_Comp", area[2]).dropna().sort_index()
    at = run_page("timeliness", area[0])
    fig = figures(at)[0]
    trace = next(t for t in fig["data"] if t["name"] == area[1])
    assert decode(trace["y"]) == pytest.approx(raw.values)
    england = lait("Continue_Assess_Comp", 970).dropna().sort_index()
    assert f"England ({england.iloc[-1]:g}%)" in title_of(fig)


def test_timeliness_report_figures_flag_approximate_values():
    at = run_page("timeliness", DONCASTER[0])
    figs = figures(at)
    initial = next(f for f in figs if "Initial assessments in progress" in title_of(f))
    assert "over 552" in title_of(initial)
    bars = next(
        t for t in initial["data"] if t["name"] == "Initial assessments in progress"
    )
    assert list(decode(bars["y"])) == [552, 165]
    assert bars["marker"]["pattern"]["shape"] == ["/", ""]
    assert bars["text"] == ["over 552", "165"]


def test_ofsted_step_chart_follows_doncaster_grades():
    at = run_page("ofsted", DONCASTER[0])
    fig = figures(at)[0]
    judged = next(t for t in fig["data"] if t["name"] == "Judgement")
    assert list(decode(judged["y"])) == [3, 4, 4, 2, 3, 2]
    assert "Inadequate (2012)" in title_of(fig) and "Good (2025)" in title_of(fig)
    texts = [a["text"] for a in fig["layout"]["annotations"]]
    assert any(t.startswith("Target: good by Oct 2017") for t in texts)
    assert any(t.startswith("Trust runs services") for t in texts)


def test_ofsted_page_for_another_la_has_no_trust_period():
    at = run_page("ofsted", LEEDS[0])
    fig = figures(at)[0]
    texts = [a["text"] for a in fig["layout"]["annotations"]]
    assert not any(t.startswith("Trust runs services") for t in texts)
    ods = pd.read_excel(
        ROOT / "data/raw/ofsted/LA_Inspection_Outcomes_as_at_31_March_2025.ods",
        engine="odf",
        sheet_name="ILACS_inspection_history",
        header=2,
    )
    leeds = ods[ods["Local authority name"] == "Leeds"].sort_values("Publication date")
    judged = next(t for t in fig["data"] if t["name"] == "Judgement")
    assert len(decode(judged["y"])) == len(leeds)


def test_caseloads_page_shows_team_ranges_from_the_report():
    at = run_page("caseloads", DONCASTER[0])
    fig = next(f for f in figures(at) if "Caseloads ranged" in title_of(f))
    bars = fig["data"][0]
    ranges = dict(zip(bars["y"], bars["text"]))
    assert ranges == {
        "Children in Care": "10–13 cases",
        "Targeted Family Support": "16–24 cases",
        "CMARAS": "16–25 cases",
    }


def test_caseloads_cin_count_matches_the_census(area=LEEDS):
    b1 = pd.read_csv(RAW / "b1_children_in_need_2013_to_2025.csv", dtype=str)
    rows = b1[b1.new_la_code == area[0]].sort_values("time_period")
    at = run_page("caseloads", area[0])
    fig = next(f for f in figures(at) if "children in need at 31 March" in title_of(f))
    trace = next(t for t in fig["data"] if t["name"] == area[1])
    assert decode(trace["y"]) == pytest.approx(pd.to_numeric(rows.At31_episodes).values)


def test_sources_page_lists_every_source_and_the_ogl_line():
    at = run_page("sources", DONCASTER[0])
    sources = pd.read_csv(ROOT / "data/curated/sources.csv")
    shown = at.dataframe[0].value
    assert set(shown.source_id) == set(sources.source_id)
    assert any("Open Government Licence v3.0" in m.value for m in at.markdown)


def test_ofsted_table_dates_each_judgement_as_precisely_as_it_is_known():
    at = run_page("ofsted", DONCASTER[0])
    shown = at.dataframe[0].value
    reports = pd.read_csv(ROOT / "data/curated/ofsted_reports.csv", dtype=str)
    mine = reports[reports.area_code == DONCASTER[0]]
    for row in mine.itertuples():
        if row.date_precision == "month" and pd.isna(row.published):
            expected = f"{pd.Timestamp(row.inspection_start):%b %Y}"
        else:
            expected = f"{pd.Timestamp(row.published):%d %b %Y}"
        match = shown[shown.inspection_type == row.inspection_type]
        assert expected in set(match.decided_on), (row.inspection_type, expected)


def test_a_count_is_compared_with_its_own_past_not_with_englands_total(area=LEEDS):
    b1 = pd.read_csv(RAW / "b1_children_in_need_2013_to_2025.csv", dtype=str)
    rows = b1[b1.new_la_code == area[0]].sort_values("time_period")
    values = pd.to_numeric(rows.At31_episodes).tolist()
    at = run_page("caseloads", area[0])
    fig = next(f for f in figures(at) if "children in need at 31 March" in title_of(f))
    names = {t["name"] for t in fig["data"]}
    assert area[1] in names
    assert "England" not in names and not any("Yorkshire" in n for n in names)
    last, before = values[-1], values[-2]
    word = (
        "up from" if last > before else "down from" if last < before else "the same as"
    )
    assert f"{last:,.0f} in 2025, {word} {before:,.0f} in 2024" in title_of(fig)
    # A rate is still compared with England.
    rate = next(f for f in figures(at) if "per 10,000 children" in title_of(f))
    assert "England" in {t["name"] for t in rate["data"]}
