"""Fixtures of the browser tests: a Streamlit server on the test database for each
module, Chromium driven by Playwright, and a fresh desktop-sized page for each test."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, sync_playwright

from bench.browser import ARGS
from tests.support.browser import chromium_or_skip
from tests.support.data import ROOT
from tests.support.servers import StreamlitServer


@pytest.fixture(scope="module")
def server(built_db):
    """A fresh Streamlit server on a free local port, stopped after the module."""
    chromium_or_skip()
    with StreamlitServer(ROOT / "app.py", env={"DASHBOARD_DB": str(built_db)}) as s:
        yield s.url


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium, headless, with the flags this machine needs: one for the
    session (each test opens a context of its own)."""
    executable = chromium_or_skip()
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=executable, args=ARGS)
        yield b
        b.close()


@pytest.fixture
def page(browser) -> Page:
    """A page in a fresh browser context, 1400 px wide, downloads allowed."""
    context = browser.new_context(
        viewport={"width": 1400, "height": 1000}, accept_downloads=True
    )
    pg = context.new_page()
    yield pg
    context.close()
