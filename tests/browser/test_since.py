"""Since the last meeting in Chromium, on a copy of data/ with changes on either side
of the chosen day (tests/since_data.py): the overview's section lists them for the
day in the address, at desktop and phone width, and each link opens its chart."""

from __future__ import annotations

from urllib.parse import urljoin

import pytest
from playwright.sync_api import expect

from tests.support import since as since_data
from tests.support.areas import DONCASTER
from tests.support.browser import chromium_or_skip, open_page
from tests.support.data import ROOT
from tests.support.servers import StreamlitServer

DAY = since_data.CHOSEN.isoformat()


@pytest.fixture(scope="module")
def since_server(since_made):
    chromium_or_skip()
    env = {"DASHBOARD_DATA": str(since_made.data), "DASHBOARD_DB": str(since_made.db)}
    with StreamlitServer(ROOT / "app.py", env=env) as server:
        yield server.url


def section(page):
    """The section's items: each list item under 'Since the last meeting'."""
    expect(page.get_by_role("heading", name="Since the last meeting")).to_be_visible(
        timeout=90_000
    )
    return page.locator("[data-testid=stMarkdownContainer] li")


@pytest.mark.parametrize(
    "viewport",
    [{"width": 1400, "height": 1000}, {"width": 390, "height": 844}],
    ids=["desktop", "phone"],
)
def test_the_address_reproduces_the_section_for_its_day(
    since_server, browser, since_made, viewport
):
    phone = viewport["width"] < 900
    context = browser.new_context(viewport=viewport, is_mobile=phone, has_touch=phone)
    try:
        page = context.new_page()
        open_page(page, since_server, "overview", DONCASTER.code, f"&since={DAY}")
        items = section(page)
        expect(items.filter(has_text="Off track now")).to_have_count(1)
        expect(items.filter(has_text="september.csv")).to_have_count(1)
        expect(items.filter(has_text=since_made.neighbour_name)).to_have_count(1)
        expect(items.filter(has_text="ranked 1st of")).to_have_count(1)
        assert f"since={DAY}" in page.url
        field = page.get_by_role("textbox", name="Changes since (a date, YYYY-MM-DD)")
        expect(field).to_have_value(DAY)
        # Nothing runs off the side of a phone: the section's boxes stack.
        wide = page.evaluate(
            "() => document.documentElement.scrollWidth > window.innerWidth + 1"
        )
        assert not wide
        expect(page.locator("[data-testid=stException]")).to_have_count(0)
    finally:
        context.close()


def test_each_link_opens_its_chart(since_server, page, since_made):
    open_page(page, since_server, "overview", DONCASTER.code, f"&since={DAY}")
    items = section(page)
    expect(items.filter(has_text="Off track now")).to_have_count(1)
    links = items.locator("a")
    hrefs = {links.nth(i).get_attribute("href") for i in range(links.count())}
    wanted = {
        f"explorer?la={DONCASTER.code}&measure=Continue_Assess_Comp": (
            "Continuous assessments completed within 45 working days"
        ),
        f"scorecard?la={DONCASTER.code}": "Re-referrals",
        f"ofsted?la={DONCASTER.code}": "Ofsted",
    }
    assert set(wanted) <= hrefs
    base = page.url
    for href, words in wanted.items():
        page.goto(urljoin(base, href))
        plots = page.locator(".js-plotly-plot")
        expect(plots.first).to_be_visible(timeout=90_000)
        expect(plots.filter(has_text=words).first).to_be_visible(timeout=60_000)
        expect(page.get_by_text("Page not found")).to_have_count(0)
