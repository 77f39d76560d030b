"""The plan first in Chromium, at desktop and phone width, on a copy of data/ with
the test plans and one local figure loaded (the ``planned`` fixture)."""

from __future__ import annotations

from urllib.parse import urljoin

import pytest
from playwright.sync_api import expect

from tests.support.areas import DONCASTER
from tests.support.browser import chromium_or_skip, open_page
from tests.support.data import ROOT
from tests.support.servers import StreamlitServer

VIEWPORTS = [{"width": 1400, "height": 1000}, {"width": 390, "height": 844}]


@pytest.fixture(scope="module")
def plan_server(planned):
    chromium_or_skip()
    data, db = planned
    env = {"DASHBOARD_DATA": str(data), "DASHBOARD_DB": str(db)}
    with StreamlitServer(ROOT / "app.py", env=env) as server:
        yield server.url


HEADINGS_JS = """
() => [...document.querySelectorAll('[data-testid=stMain] h1, [data-testid=stMain] h3')]
  .map((h) => h.innerText.trim())
"""


@pytest.mark.parametrize("viewport", VIEWPORTS, ids=["desktop", "phone"])
def test_the_overview_opens_with_the_plan(plan_server, browser, viewport):
    phone = viewport["width"] < 900
    context = browser.new_context(viewport=viewport, is_mobile=phone, has_touch=phone)
    try:
        page = context.new_page()
        open_page(page, plan_server, "overview", DONCASTER.code)
        expect(page.get_by_role("heading", name="Improvement plan")).to_be_visible()
        expect(page.get_by_role("heading", name="Contract targets")).to_be_visible()
        headings = page.evaluate(HEADINGS_JS)
        after_title = headings[1:]
        assert after_title[0] == "Improvement plan"
        assert after_title.index("Contract targets") > 0
        card = page.locator(".st-key-plan-ReReferral")
        expect(card).to_be_visible()
        expect(card).to_contain_text("Re-referrals")
        expect(card).to_contain_text("▲ Off track")
        expect(card).to_contain_text("Next checkpoint: at most 20 by Mar 2027")
        expect(card).to_contain_text("Re-referrals up after the duty review")
        # The status counts and cards stack on a phone: nothing scrolls sideways.
        wide = page.evaluate(
            "() => document.documentElement.scrollWidth > window.innerWidth + 1"
        )
        assert not wide
        box = card.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= viewport["width"]
        link = card.get_by_role("link")
        href = link.get_attribute("href")
        assert href == f"scorecard?la={DONCASTER.code}"
        page.goto(urljoin(page.url, href))
        plots = page.locator(".js-plotly-plot").filter(has_text="Re-referrals")
        expect(plots.first).to_be_visible(timeout=90_000)
        expect(page.locator("[data-testid=stException]")).to_have_count(0)
    finally:
        context.close()


def test_without_a_plan_the_overview_is_as_before(plan_server, page):
    open_page(page, plan_server, "overview", "E08000038")  # Barnsley
    expect(page.get_by_role("heading", name="Contract targets")).to_be_visible()
    expect(page.get_by_role("heading", name="Improvement plan")).to_have_count(0)
