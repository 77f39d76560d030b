"""Hosted mode in Chromium against a real OpenID Connect provider on this machine
(oidc-provider-mock): anonymous visitors, a viewer, a loader, an unlisted person,
signing out; and local mode, which needs no sign-in."""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb
import pandas as pd
import pytest
from playwright.sync_api import Page, expect

from tests.support.areas import CHARTS, DONCASTER
from tests.support.browser import chromium_or_skip, wait_for_charts
from tests.support.data import ROOT, copy_data
from tests.support.identity import (
    TIMEOUT_MS,
    MockProvider,
    hosted_secrets,
    sign_in,
    sign_out,
)
from tests.support.servers import StreamlitServer
from views.pages import PAGES

LOADER = "loader@example.org"
VIEWER = "viewer@example.org"
STRANGER = "stranger@elsewhere.example"
RETURN = ROOT / "tests" / "returns" / "good" / "april_may_2024.csv"
READ_TITLES = [p.title for p in PAGES if not p.loads_data]
LOAD_PAGES = [p for p in PAGES if p.loads_data]
NAV = "[data-testid=stSidebarNav] a"


@pytest.fixture(scope="module")
def hosted(built_db, tmp_path_factory):
    """A provider, and the app in hosted mode on copies of data/ and the database.

    Yields the app's address (at localhost: the sign-in cookie follows the host of
    the redirect address) and the data folder the app loads into.
    """
    chromium_or_skip()
    root = tmp_path_factory.mktemp("hosted")
    data = copy_data(root / "data")
    db = root / "db" / "dashboard.duckdb"
    db.parent.mkdir()
    shutil.copyfile(built_db, db)
    with MockProvider([LOADER, VIEWER, STRANGER], log=root / "provider.log") as idp:
        secrets = root / "secrets.toml"
        secrets.write_text(hosted_secrets(idp, [LOADER], ["@example.org"]))
        env = {"DASHBOARD_DB": str(db), "DASHBOARD_DATA": str(data)}
        with StreamlitServer(
            ROOT / "app.py",
            env=env,
            log=root / "streamlit.log",
            args=("--secrets.files", str(secrets)),
        ) as server:
            yield f"http://localhost:{server.port}", data, db


@pytest.fixture
def fresh(browser) -> Page:
    """A page in a browser context of its own: no cookie from another test."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    yield page
    context.close()


def shows_nothing_of_the_dashboard(page: Page) -> None:
    expect(page.locator(NAV)).to_have_count(0)
    expect(page.locator(".js-plotly-plot")).to_have_count(0)
    expect(page.locator("[data-testid=stMetric]")).to_have_count(0)
    expect(page.get_by_text("Focus local authority")).to_have_count(0)
    assert DONCASTER.name not in page.locator("[data-testid=stApp]").inner_text()


def test_an_anonymous_visitor_sees_only_the_sign_in_page(hosted, fresh):
    url, _, _ = hosted
    # The server's first request: a shared link to the load page.
    for address in (f"{url}/{LOAD_PAGES[0].url_path}", f"{url}/ofsted?la=E08000017"):
        fresh.goto(address)
        expect(fresh.get_by_role("button", name="Sign in")).to_be_visible(
            timeout=TIMEOUT_MS
        )
        fresh.wait_for_load_state("networkidle")
        shows_nothing_of_the_dashboard(fresh)
        expect(fresh.get_by_text("Page not found")).to_have_count(0)
        expect(fresh.locator("[data-testid=stFileUploader]")).to_have_count(0)


def test_an_unlisted_person_is_told_they_are_not_authorised(hosted, fresh):
    url, _, _ = hosted
    sign_in(fresh, url, STRANGER)
    expect(fresh.get_by_role("heading", name="Not authorised")).to_be_visible(
        timeout=TIMEOUT_MS
    )
    expect(fresh.get_by_text(f"You are signed in as {STRANGER}")).to_be_visible()
    shows_nothing_of_the_dashboard(fresh)
    sign_out(fresh, url)
    shows_nothing_of_the_dashboard(fresh)


def test_a_viewer_sees_the_read_pages_and_board_pack_but_not_the_load_page(
    hosted, fresh
):
    url, _, _ = hosted
    sign_in(fresh, url, VIEWER)
    wait_for_charts(fresh, CHARTS["overview"]["Doncaster"])
    sidebar = fresh.locator("[data-testid=stSidebar]")
    expect(sidebar).to_contain_text(f"Signed in as {VIEWER} (may view)")
    nav = fresh.locator(NAV)
    expect(nav).to_have_count(len(READ_TITLES))
    assert [nav.nth(i).inner_text().strip() for i in range(nav.count())] == (
        READ_TITLES
    )
    fresh.get_by_role("button", name="Prepare board pack").click()
    download = fresh.get_by_role("button", name="Download the board pack")
    expect(download).to_be_visible(timeout=180_000)
    with fresh.expect_download(timeout=60_000) as info:
        download.click()
    assert Path(info.value.path()).read_bytes()[:5] == b"%PDF-"
    for spec in LOAD_PAGES:
        fresh.goto(f"{url}/{spec.url_path}")
        expect(
            fresh.get_by_role("heading", name="Not available to your account")
        ).to_be_visible(timeout=TIMEOUT_MS)
        expect(fresh.get_by_text("only its loaders may do")).to_be_visible()
        expect(fresh.locator("[data-testid=stFileUploader]")).to_have_count(0)


def test_a_loader_loads_a_return_and_the_log_records_their_email(hosted, fresh):
    url, data, db = hosted
    sign_in(fresh, url, LOADER)
    sidebar = fresh.locator("[data-testid=stSidebar]")
    expect(sidebar).to_contain_text(f"Signed in as {LOADER} (may load figures)")
    expect(fresh.locator(NAV)).to_have_count(len(PAGES), timeout=TIMEOUT_MS)
    fresh.goto(f"{url}/{LOAD_PAGES[0].url_path}?la={DONCASTER.code}")
    uploader = fresh.locator("[data-testid=stFileUploader] input[type=file]")
    uploader.set_input_files(str(RETURN), timeout=TIMEOUT_MS)
    fresh.get_by_role("button", name=f"Load {RETURN.name}").click(timeout=TIMEOUT_MS)
    expect(fresh.get_by_text(f"Loaded {RETURN.name} as import 1")).to_be_visible(
        timeout=TIMEOUT_MS
    )
    log = pd.read_csv(data / "imports" / "log.csv", dtype=str)
    assert list(log.file_name) == [RETURN.name]
    assert list(log.loaded_by) == [LOADER]
    with duckdb.connect(str(db), read_only=True) as con:
        assert con.execute("SELECT loaded_by FROM import_log").fetchall() == [(LOADER,)]


def test_signing_out_returns_to_the_sign_in_page(hosted, fresh):
    url, _, _ = hosted
    sign_in(fresh, url, VIEWER)
    expect(fresh.locator(NAV)).to_have_count(len(READ_TITLES), timeout=TIMEOUT_MS)
    sign_out(fresh, url)
    shows_nothing_of_the_dashboard(fresh)
    fresh.goto(f"{url}/overview")  # the sign-in cookie is gone
    expect(fresh.get_by_role("button", name="Sign in")).to_be_visible(
        timeout=TIMEOUT_MS
    )
    shows_nothing_of_the_dashboard(fresh)


def test_local_mode_needs_no_sign_in(server, fresh):
    fresh.goto(f"{server}/?la={DONCASTER.code}")
    wait_for_charts(fresh, CHARTS["overview"]["Doncaster"])
    sidebar = fresh.locator("[data-testid=stSidebar]")
    expect(sidebar).to_contain_text("Running locally without sign-in")
    expect(fresh.get_by_role("button", name="Sign in")).to_have_count(0)
    expect(fresh.locator(NAV)).to_have_count(len(PAGES))
