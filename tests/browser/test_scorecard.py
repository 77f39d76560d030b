"""The Scorecard page in Chromium, on a copy of data/ with the test plans loaded."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from playwright.sync_api import expect
from pypdf import PdfReader

from tests.support.areas import DONCASTER, LEEDS
from tests.support.browser import chromium_or_skip, wait_for_charts
from tests.support.charts import fit_problems, settled_fit
from tests.support.data import ROOT, table
from tests.support.servers import StreamlitServer

GOOD = ROOT / "tests" / "targets" / "good"


@pytest.fixture(scope="module")
def planned_server(planned):
    """A server on a copy of data/ with the test plans and one local figure."""
    chromium_or_skip()
    data, db = planned
    env = {"DASHBOARD_DATA": str(data), "DASHBOARD_DB": str(db)}
    with StreamlitServer(ROOT / "app.py", env=env) as server:
        yield server.url, db


@pytest.mark.parametrize("area", [DONCASTER, LEEDS], ids=lambda a: a.name)
def test_the_scorecard_shows_each_measure_against_its_plan(planned_server, page, area):
    url, db = planned_server
    page.goto(f"{url}/scorecard?la={area.code}")
    heading = f"{area.name}: improvement plan scorecard"
    expect(page.get_by_role("heading", name=heading)).to_be_visible(timeout=90_000)
    measures = table(
        db,
        "SELECT count(DISTINCT metric_id) AS n FROM plan_targets WHERE area_code = ?",
        [area.code],
    ).n[0]
    wait_for_charts(page, int(measures))
    for status in ("Met", "On track", "Off track", "Missed", "No data"):
        expect(page.get_by_test_id("stMetric").filter(has_text=status)).to_have_count(1)
    with page.expect_download(timeout=60_000) as info:
        page.get_by_role("button", name="Download the scorecard (CSV)").click()
    rows = list(csv.DictReader(io.StringIO(Path(info.value.path()).read_text())))
    assert {"measure", "status", "next_checkpoint", "commentary"} <= set(rows[0])
    planned = table(
        db,
        "SELECT DISTINCT m.label FROM plan_targets AS t JOIN metrics AS m "
        "USING (metric_id) WHERE t.area_code = ?",
        [area.code],
    )
    assert set(planned.label) <= {r["measure"] for r in rows}
    expect(page.locator("[data-testid=stException]")).to_have_count(0)


def test_the_trajectory_charts_fit_a_phone(planned_server, browser):
    url, db = planned_server
    context = browser.new_context(
        viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True
    )
    try:
        phone = context.new_page()
        phone.goto(f"{url}/scorecard?la={DONCASTER.code}")
        measures = table(
            db,
            "SELECT count(DISTINCT metric_id) AS n FROM plan_targets "
            "WHERE area_code = ?",
            [DONCASTER.code],
        ).n[0]
        result = settled_fit(phone, int(measures), timeout_s=90)
        assert len(result["charts"]) == measures
        assert fit_problems(result) == []
        assert all(c["laid_out_for"] for c in result["charts"])  # the narrow layout
    finally:
        context.close()


def test_an_area_without_targets_is_offered_the_template(planned_server, page):
    url, _ = planned_server
    page.goto(f"{url}/scorecard?la=E08000038")
    expect(
        page.get_by_text("No improvement plan targets are loaded for Barnsley")
    ).to_be_visible(timeout=90_000)
    with page.expect_download(timeout=60_000) as info:
        page.get_by_role("button", name="Download the targets template (CSV)").click()
    assert Path(info.value.path()).read_text().startswith("metric_id,due,target")


def test_the_packs_second_page_is_the_scorecard_with_the_exceptions(
    planned_server, page
):
    url, db = planned_server
    page.goto(f"{url}/scorecard?la={DONCASTER.code}")
    heading = f"{DONCASTER.name}: improvement plan scorecard"
    expect(page.get_by_role("heading", name=heading)).to_be_visible(timeout=90_000)
    sidebar = page.locator("[data-testid=stSidebar]")
    sidebar.get_by_text("PDF", exact=True).click()
    sidebar.get_by_role("button", name="Prepare board pack").click()
    button = sidebar.get_by_role("button", name="Download the board pack (PDF)")
    expect(button).to_be_visible(timeout=180_000)
    with page.expect_download(timeout=60_000) as info:
        button.click()
    reader = PdfReader(io.BytesIO(Path(info.value.path()).read_bytes()))
    pages = [" ".join(p.extract_text().split()) for p in reader.pages]
    # What changed since the last meeting, then the scorecard.
    assert "Since the last meeting" in pages[1]
    second = next(i for i, p in enumerate(pages) if "Measures off track" in p)
    assert "Scorecard" in pages[second] and second in (2, 3)
    off = table(
        db,
        "SELECT DISTINCT m.label FROM kpi_status AS k JOIN metrics AS m "
        "USING (metric_id) WHERE k.area_code = ? "
        "AND k.status IN ('off track', 'missed')",
        [DONCASTER.code],
    )
    text = " ".join(pages[second : second + 3])
    for label in off.label:
        assert label in text
