"""The Scorecard page in Chromium, on a copy of data/ with the test plans loaded."""

from __future__ import annotations

import csv
import io
from contextlib import contextmanager
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


@contextmanager
def phone_page(browser):
    """A page in a fresh context of a phone's screen (390 px, touch)."""
    context = browser.new_context(
        viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True
    )
    try:
        yield context.new_page()
    finally:
        context.close()


def test_the_trajectory_charts_fit_a_phone(planned_server, browser):
    url, db = planned_server
    with phone_page(browser) as phone:
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


# Every element of a scorecard card or table cell whose text reaches past its box or
# past the window's right edge, and how wide the document is against the window.
_OVERFLOW = """(selector) => {
  const width = window.innerWidth;
  const cut = [];
  for (const el of document.querySelectorAll(selector)) {
    const box = el.getBoundingClientRect();
    if (el.scrollWidth > el.clientWidth + 1 || box.left < 0 || box.right > width + 1)
      cut.push([el.tagName, el.innerText.slice(0, 60), el.scrollWidth, el.clientWidth,
                Math.round(box.left), Math.round(box.right)]);
  }
  return {cut, scroll: document.scrollingElement.scrollWidth, width};
}"""


def _planned_labels(db) -> dict[str, str]:
    """Each measure with a target for Doncaster: its id and label."""
    rows = table(
        db,
        "SELECT DISTINCT t.metric_id, m.label FROM plan_targets AS t JOIN metrics "
        "AS m USING (metric_id) WHERE t.area_code = ?",
        [DONCASTER.code],
    )
    return dict(zip(rows.metric_id, rows.label))


def test_on_a_phone_each_measure_is_a_card_and_nothing_scrolls_sideways(
    planned_server, browser
):
    url, db = planned_server
    with phone_page(browser) as phone:
        phone.goto(f"{url}/scorecard?la={DONCASTER.code}")
        planned = _planned_labels(db)
        for metric_id, label in planned.items():
            card = phone.locator(f".st-key-card-{metric_id}")
            expect(card).to_be_visible(timeout=90_000)
            card.scroll_into_view_if_needed()
            expect(card.get_by_text(label, exact=True)).to_be_visible()
            for line in ("Status:", "Latest figure:", "Next checkpoint:"):
                expect(card.get_by_text(line)).to_be_visible()
        expect(phone.locator("[data-testid=stTable]")).to_have_count(0)
        expect(phone.locator("[data-testid=stDataFrame]")).to_have_count(0)
        off = phone.locator(".st-key-card-ReReferral")
        expect(off).to_contain_text("▲ Off track")
        expect(off).to_contain_text("Re-referrals up after the duty review")
        phone.wait_for_load_state("networkidle")
        result = phone.evaluate(_OVERFLOW, "[class*=st-key-card-] p")
        assert result["cut"] == []
        assert result["scroll"] <= result["width"]


def test_at_desktop_width_no_column_of_the_scorecard_is_cut(planned_server, page):
    url, db = planned_server
    page.goto(f"{url}/scorecard?la={DONCASTER.code}")
    grid = page.locator("[data-testid=stTable]")
    expect(grid).to_be_visible(timeout=90_000)
    for header in ("Measure", "Status", "Latest figure", "Next checkpoint"):
        expect(grid.get_by_role("columnheader", name=header)).to_be_visible()
    for label in _planned_labels(db).values():
        expect(grid.get_by_text(label, exact=True)).to_be_visible()
    page.wait_for_load_state("networkidle")
    cells = page.evaluate(
        _OVERFLOW, "[data-testid=stTable] th, [data-testid=stTable] td"
    )
    assert cells["cut"] == []
    whole = page.evaluate(_OVERFLOW, "[data-testid=stTable], [data-testid=stTable] *")
    assert whole["cut"] == [] and whole["scroll"] <= whole["width"]
    assert len(page.locator("[data-testid=stTable] th").all()) >= 9
