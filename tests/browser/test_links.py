"""Every page's own link, opened in a fresh browser context (a new session of the
module's server), opens that page for the local authority in the address. (A link
as the very first request of a server: test_browser.py.)"""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.support.areas import LEEDS, PAGE_KEYS
from views.pages import PAGES

# The main heading each page shows for Leeds.
HEADINGS = {
    "overview": "Leeds: are we on track, and how do we compare?",
    "scorecard": "Leeds: improvement plan scorecard",
    "ofsted": "Leeds: Ofsted journey",
    "timeliness": "Leeds: assessment timeliness",
    "caseloads": "Leeds: caseloads and demand",
    "upload": "Load monthly figures and targets",
    "explorer": "Leeds: benchmark explorer",
    "sources": "Sources and caveats",
    "accessibility": "Accessibility statement",
}


@pytest.fixture(scope="module")
def links(server, browser) -> dict[str, str]:
    """Each navigation link's address, as the sidebar of a running app gives it."""
    context = browser.new_context()
    page = context.new_page()
    page.goto(f"{server}/?la={LEEDS.code}")
    nav = page.locator("[data-testid=stSidebarNav] a")
    expect(nav).to_have_count(len(PAGES), timeout=90_000)
    expect(page.get_by_role("heading", name=HEADINGS["overview"])).to_be_visible(
        timeout=90_000
    )
    found = {
        nav.nth(i).inner_text().strip(): nav.nth(i).get_attribute("href")
        for i in range(nav.count())
    }
    context.close()
    titles = {p.key: p.title for p in PAGES}
    return {key: found[titles[key]].replace(server, "") for key in PAGE_KEYS}


def test_every_page_has_a_heading_to_check():
    assert set(HEADINGS) == set(PAGE_KEYS)


@pytest.mark.parametrize("key", PAGE_KEYS)
def test_a_pages_link_opens_it_in_a_fresh_session(server, browser, links, key):
    # The link is the page's declared address: /overview too, not only the root.
    assert links[key] == "/" + next(p.url_path for p in PAGES if p.key == key)
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    page.goto(f"{server}{links[key]}?la={LEEDS.code}")
    heading = page.get_by_role("heading", name=HEADINGS[key], exact=True)
    expect(heading).to_be_visible(timeout=90_000)
    focus = page.get_by_role("combobox", name="Focus local authority")
    expect(focus).to_have_value(LEEDS.name, timeout=30_000)
    expect(page.get_by_text("Page not found")).to_have_count(0)
    assert page.url.startswith(f"{server}{links[key]}")
    context.close()
