"""The browser tests' Chromium (required in CI, optional on a developer machine)
and opening the app's pages in it."""

from __future__ import annotations

import os
import shutil

import pytest

from views.pages import PAGES

INSTALL = "apt-get update && apt-get install -y chromium"


def chromium_or_skip() -> str:
    """Return Chromium's path; fail in CI and skip elsewhere when it is missing."""
    path = shutil.which("chromium") or shutil.which("chromium-browser")
    if path:
        return path
    if os.environ.get("CI"):
        pytest.fail(f"Chromium is required in CI; .ci/run installs it with: {INSTALL}")
    pytest.skip(f"these tests need Chromium; install it with: {INSTALL}")


def open_page(page, url: str, name: str, code: str, extra: str = "") -> None:
    """Open a page of the app by its address and wait for the app's run to finish."""
    from playwright.sync_api import expect

    spec = next(p for p in PAGES if p.key == name)
    page.goto(f"{url}/{spec.address}?la={code}{extra}")
    # The app has finished its run when the sidebar's focus control is there (out of
    # sight while a narrow screen's sidebar is closed).
    expect(page.get_by_text("Focus local authority", exact=True)).to_be_attached(
        timeout=90_000
    )
    page.wait_for_load_state("networkidle")
    expect(page.get_by_text("Page not found")).to_have_count(0)


def wait_for_charts(page, count: int) -> None:
    """Wait until a page shows exactly ``count`` Plotly charts."""
    from playwright.sync_api import expect

    expect(page.locator(".js-plotly-plot")).to_have_count(count, timeout=60_000)


DOWNLOADS = "Download this chart or its data"  # the menu of a chart's four downloads


def download_button(page, name: str, chart: int = 0):
    """A download of a page's ``chart``-th chart, its menu opened (its buttons are
    sent only then)."""
    from playwright.sync_api import expect

    page.get_by_role("button", name=DOWNLOADS).nth(chart).click()
    button = page.get_by_role("button", name=name)
    expect(button).to_be_visible(timeout=60_000)
    return button
