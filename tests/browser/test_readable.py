"""Readable on a phone, a tablet and at 200% zoom, and no WCAG 2.2 A or AA failure
that axe-core finds: the app in Chromium, one server and one browser context a width
for the whole module."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.support.areas import CHARTS, DONCASTER, LEEDS, PAGE_KEYS
from tests.support.browser import open_page, wait_for_charts
from tests.support.charts import fit_problems, settled_fit
from tests.support.data import ROOT

# Widths as the issue names them: the narrowest phone WCAG's reflow names, a phone,
# a tablet upright and on its side (touch screens), and a 1,280 px screen at 200%
# zoom, which gives pages 640 CSS px.
SCREENS = {
    "phone-320": {
        "viewport": {"width": 320, "height": 640},
        "is_mobile": True,
        "has_touch": True,
    },
    "phone-390": {
        "viewport": {"width": 390, "height": 844},
        "is_mobile": True,
        "has_touch": True,
    },
    "tablet-768": {
        "viewport": {"width": 768, "height": 1024},
        "is_mobile": True,
        "has_touch": True,
    },
    "tablet-1024": {
        "viewport": {"width": 1024, "height": 768},
        "is_mobile": True,
        "has_touch": True,
    },
    "zoom-200": {"viewport": {"width": 640, "height": 400}, "device_scale_factor": 2},
}
AXE_SCREENS = {
    "desktop-1400": {"viewport": {"width": 1400, "height": 1000}},
    "phone-390": SCREENS["phone-390"],
}
CHART_PAGES = [key for key in PAGE_KEYS if any(CHARTS[key].values())]
AXE = ROOT / ".ci" / "node" / "node_modules" / "axe-core" / "axe.min.js"
AXE_INSTALL = "npm install --prefix .ci/node axe-core@4"
WCAG = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


def _context(browser, options: dict):
    context = browser.new_context(**options)
    page = context.new_page()
    return context, page


@pytest.fixture(scope="module", params=list(SCREENS))
def screen(request, browser) -> Page:
    """One page at one of the issue's widths, shared by every test at that width."""
    context, page = _context(browser, SCREENS[request.param])
    page.screen_name = request.param
    yield page
    context.close()


@pytest.mark.parametrize("area", [DONCASTER, LEEDS], ids=lambda a: a.name)
@pytest.mark.parametrize("name", CHART_PAGES)
def test_every_chart_fits_the_width(server, screen, name, area):
    open_page(screen, server, name, area.code)
    count = CHARTS[name][area.name]
    result = settled_fit(screen, count)
    assert len(result["charts"]) == count
    assert fit_problems(result) == [], screen.screen_name
    for chart in result["charts"]:
        # Laid out for the width: the chart fills the column it has.
        assert chart["width"] <= screen.viewport_size["width"]


def test_the_focus_area_is_reachable_from_the_closed_sidebar(server, browser):
    context, page = _context(browser, SCREENS["phone-390"])
    try:
        page.goto(f"{server}/timeliness?la={LEEDS.code}")
        page.get_by_role("heading", name="Leeds: assessment timeliness").wait_for(
            timeout=90_000
        )
        focus = page.get_by_role("combobox", name="Focus local authority")
        expect(focus).not_to_be_in_viewport()  # the sidebar starts closed
        page.locator("[data-testid=stExpandSidebarButton]").click()
        expect(focus).to_be_in_viewport(timeout=30_000)
        expect(focus).to_have_value(LEEDS.name)
    finally:
        context.close()


@pytest.fixture(scope="module")
def axe_script() -> str:
    """axe-core's script, installed by .ci/run (required in CI, optional locally)."""
    if not AXE.exists():
        message = f"axe-core is not installed; from the project folder: {AXE_INSTALL}"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    return Path(AXE).read_text(encoding="utf-8")


@pytest.fixture(scope="module", params=list(AXE_SCREENS))
def viewer(request, browser) -> Page:
    """One page at desktop or phone width for the axe-core checks."""
    context, page = _context(browser, AXE_SCREENS[request.param])
    yield page
    context.close()


@pytest.mark.parametrize("name", PAGE_KEYS)
def test_no_wcag_22_a_or_aa_failure(server, viewer, axe_script, name):
    open_page(viewer, server, name, DONCASTER.code)
    count = CHARTS[name][DONCASTER.name]
    if count:
        settled_fit(viewer, count)
    viewer.add_script_tag(content=axe_script)
    result = viewer.evaluate(
        "async (tags) => await axe.run(document, {runOnly: tags})", WCAG
    )
    failures = [
        (v["id"], v["impact"], [n["target"] for n in v["nodes"]][:5])
        for v in result["violations"]
    ]
    assert failures == []
    assert len(result["passes"]) > 10  # axe really ran its rules on the page


# What has the keyboard's focus: its role or tag, its accessible name or text, whether
# it lies in the sidebar, and whether any of it is inside the window.
FOCUSED_JS = """
() => {
  const el = document.activeElement;
  if (!el || el === document.body) return null;
  const r = el.getBoundingClientRect();
  return {
    tag: el.tagName.toLowerCase(),
    role: el.getAttribute('role') || '',
    name: (el.getAttribute('aria-label') || el.textContent || '').trim().slice(0, 80),
    in_sidebar: !!el.closest('[data-testid="stSidebar"]'),
    in_view: r.bottom > 0 && r.right > 0 && r.top < window.innerHeight
      && r.left < window.innerWidth && r.width > 0 && r.height > 0,
  };
}
"""


def tab_until(page: Page, wanted, most: int = 120) -> list[dict]:
    """Press Tab (from where the focus is: the top of a page just opened) until
    ``wanted(focused)`` holds; every element focused on the way. Fails if it never
    does within ``most`` presses."""
    seen = []
    for _ in range(most):
        page.keyboard.press("Tab")
        focused = page.evaluate(FOCUSED_JS)
        if focused is None:
            continue
        seen.append(focused)
        if wanted(focused):
            return seen
    raise AssertionError(f"never reached by Tab; went through {seen[-15:]}")


def test_the_keyboard_reaches_the_focus_area_and_adjusts_a_chart(server, browser):
    context, page = _context(browser, AXE_SCREENS["desktop-1400"])
    try:
        open_page(page, server, "timeliness", DONCASTER.code)
        wait_for_charts(page, CHARTS["timeliness"][DONCASTER.name])
        seen = tab_until(page, lambda f: f["name"] == "Focus local authority")
        assert all(f["in_view"] for f in seen), [f for f in seen if not f["in_view"]]
        seen = tab_until(page, lambda f: "Adjust this chart" in f["name"])
        # Past the sidebar into the page, every stop in sight (the page scrolls to it).
        assert all(f["in_view"] for f in seen), [f for f in seen if not f["in_view"]]
        page.keyboard.press("Enter")  # opens the adjust control
        y_axis = page.get_by_text("Y axis", exact=False).first
        expect(y_axis).to_be_visible(timeout=30_000)
    finally:
        context.close()


def test_a_closed_sidebar_takes_no_focus_on_a_phone(server, browser):
    context, page = _context(browser, SCREENS["phone-390"])
    try:
        open_page(page, server, "timeliness", LEEDS.code)
        wait_for_charts(page, CHARTS["timeliness"][LEEDS.name])
        seen = tab_until(page, lambda f: "Adjust this chart" in f["name"])
        # Nothing in the closed sidebar, and nothing out of sight, takes the focus.
        assert not any(f["in_sidebar"] for f in seen), seen
        assert all(f["in_view"] for f in seen), [f for f in seen if not f["in_view"]]
    finally:
        context.close()
