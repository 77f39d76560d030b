"""Real-browser tests: the app served by Streamlit, driven by Playwright in Chromium."""

from __future__ import annotations

import csv
import io
import tempfile
from pathlib import Path
from xml.etree import ElementTree

import openpyxl
import pytest
from playwright.sync_api import expect

from tests.support.areas import CHARTS, DONCASTER, LEEDS, PAGE_KEYS
from tests.support.browser import download_button, open_page, wait_for_charts

SHOTS = Path(tempfile.gettempdir()) / "dashboard-screenshots"


def test_a_deep_link_to_a_fresh_server_runs_inside_the_app(server, page):
    # First request of this server goes straight to a page, as a shared link would.
    open_page(page, server, "timeliness", LEEDS[0])
    expect(
        page.get_by_role("heading", name="Leeds: assessment timeliness")
    ).to_be_visible()
    expect(page.locator("[data-testid=stSidebar]")).to_contain_text("Ofsted journey")


@pytest.mark.parametrize("area", [DONCASTER, LEEDS], ids=lambda a: a[1])
@pytest.mark.parametrize("name", PAGE_KEYS)
def test_every_page_renders_its_charts(server, page, name, area):
    open_page(page, server, name, area[0])
    count = CHARTS[name][area[1]]
    wait_for_charts(page, count)
    plots = page.locator(".js-plotly-plot")
    for i in range(count):
        plot = plots.nth(i)
        plot.scroll_into_view_if_needed()
        expect(plot.locator(".main-svg").first).to_be_visible()
        expect(plot.locator(".gtitle")).to_have_count(1)
    expect(page.locator("[data-testid=stException]")).to_have_count(0)
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{area[1].lower()}-{name}.png"), full_page=True)


def test_png_download_from_the_chart_toolbar(server, page):
    open_page(page, server, "timeliness", DONCASTER[0])
    wait_for_charts(page, CHARTS["timeliness"]["Doncaster"])
    plot = page.locator(".js-plotly-plot").first
    plot.hover()
    with page.expect_download(timeout=60_000) as info:
        plot.locator(".modebar-btn[data-title^='Download plot']").click()
    download = info.value
    assert download.suggested_filename == "doncaster-continue-assess-comp-2016-2025.png"
    data = Path(download.path()).read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width = int.from_bytes(data[16:20], "big")
    rendered = plot.bounding_box()["width"]
    assert width >= 2 * rendered - 2  # twice screen resolution


def test_csv_download_has_the_chart_data_with_sources(server, page):
    open_page(page, server, "timeliness", DONCASTER[0])
    wait_for_charts(page, CHARTS["timeliness"]["Doncaster"])
    with page.expect_download(timeout=60_000) as info:
        download_button(page, "Download the chart's data (CSV)").click()
    download = info.value
    assert download.suggested_filename == "doncaster-continue-assess-comp-2016-2025.csv"
    rows = list(csv.DictReader(io.StringIO(Path(download.path()).read_text())))
    assert {"area", "value", "approximate", "source_title", "locator"} <= set(rows[0])
    doncaster = [r for r in rows if r["area"] == "Doncaster"]
    assert [r["period_label"] for r in doncaster][-1] == "2025"
    assert float(doncaster[-1]["value"]) == 88.1


def test_presentation_mode_hides_the_sidebar_and_keeps_the_view(server, page):
    page.goto(f"{server}/ofsted?la={LEEDS[0]}&present=1")
    expect(page.get_by_role("heading", name="Leeds: Ofsted journey")).to_be_visible(
        timeout=90_000
    )
    expect(page.locator("[data-testid=stSidebar]")).to_be_hidden(timeout=30_000)
    expect(page.locator("[data-testid=stHeader]")).to_be_hidden(timeout=30_000)
    page.get_by_role("button", name="Leave presentation mode").click()
    expect(page.get_by_text("Focus local authority", exact=True)).to_be_visible(
        timeout=30_000
    )
    assert "present" not in page.url


PLOT_STATE_JS = """
(i) => {
  const plot = document.querySelectorAll('.js-plotly-plot')[i];
  return {
    names: plot.data.filter((t) => t.showlegend !== false).map((t) => t.name),
    hidden: plot.data.filter((t) => t.visible === 'legendonly').map((t) => t.name),
    y0: plot._fullLayout.yaxis.range[0],
  };
}
"""


def test_an_adjusted_chart_is_kept_in_its_address(server, page):
    open_page(page, server, "timeliness", DONCASTER.code)
    wait_for_charts(page, CHARTS["timeliness"]["Doncaster"])
    assert page.evaluate(PLOT_STATE_JS, 0)["y0"] > 50  # fitted to the data as published
    page.get_by_text("Adjust this chart").first.click()
    page.get_by_text("From zero", exact=True).click()
    page.wait_for_url("**Continue_Assess_Comp.y=zero**", timeout=30_000)
    added = page.get_by_role("combobox", name="Add local authorities (up to 4)")
    added.click()
    added.fill(LEEDS.name)
    page.get_by_role("option", name=LEEDS.name, exact=True).click()
    page.wait_for_url(f"**Continue_Assess_Comp.add={LEEDS.code}**", timeout=30_000)
    page.keyboard.press("Escape")

    # The address alone reproduces the adjusted chart, in a new session.
    address = page.url
    page.goto(address)
    page.get_by_role("heading", name="Doncaster: assessment timeliness").wait_for(
        timeout=90_000
    )
    wait_for_charts(page, CHARTS["timeliness"]["Doncaster"])
    page.wait_for_function(
        "(js) => eval(js)(0).names.includes('Leeds')", arg=PLOT_STATE_JS
    )
    state = page.evaluate(PLOT_STATE_JS, 0)
    assert state["y0"] == 0
    assert {"Doncaster", "England", "Leeds"} <= set(state["names"])
    subtitle = page.locator(".js-plotly-plot").first.locator(".gtitle")
    expect(subtitle).to_contain_text("Leeds")

    # A legend entry hides its line (and the line's end label).
    legend = page.locator(".js-plotly-plot").first.locator(".legend .traces")
    legend.filter(has_text="England").click()
    page.wait_for_function(
        "(js) => eval(js)(0).hidden.includes('England')", arg=PLOT_STATE_JS
    )
    assert set(page.evaluate(PLOT_STATE_JS, 0)["hidden"]) == {"England"}


def test_svg_and_excel_downloads_of_a_chart(server, page):
    open_page(page, server, "timeliness", DONCASTER.code)
    wait_for_charts(page, CHARTS["timeliness"]["Doncaster"])
    stem = "doncaster-continue-assess-comp-2016-2025"
    with page.expect_download(timeout=90_000) as info:
        download_button(page, "Download the chart (SVG)").click()
    assert info.value.suggested_filename == f"{stem}.svg"
    svg = ElementTree.parse(info.value.path()).getroot()
    assert svg.tag.endswith("svg")
    texts = " ".join(
        "".join(t.itertext()) for t in svg.iter() if t.tag.endswith("text")
    )
    assert "Doncaster: assessments on time 88.1% in 2025" in texts
    with page.expect_download(timeout=60_000) as info:
        # The menu stays open after a download.
        page.get_by_role("button", name="Download the chart's data (Excel)").click()
    assert info.value.suggested_filename == f"{stem}.xlsx"
    book = openpyxl.load_workbook(io.BytesIO(Path(info.value.path()).read_bytes()))
    assert book.sheetnames == ["Data", "About"]
    header = [c.value for c in book["Data"][1]]
    assert {"area", "value", "source", "locator", "approximate"} <= set(header)
    about = dict(book["About"].iter_rows(min_row=2, values_only=True))
    assert about["Title"].startswith("Doncaster: assessments on time 88.1% in 2025")
    assert about["As at"] == "01 Nov 2025"
