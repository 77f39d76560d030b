"""A comparison group in the address reproduces the chart in Chromium: the explorer's
group (group=, stat=) and a section chart's own (KEY.group=, KEY.stat=)."""

from __future__ import annotations

from playwright.sync_api import expect

from tests.support.areas import CHARTS, DONCASTER
from tests.support.browser import open_page, wait_for_charts


def chart_texts(page) -> str:
    """Every text drawn in the page's charts (titles, legends, labels)."""
    return page.evaluate(
        "() => [...document.querySelectorAll('.js-plotly-plot svg text')]"
        ".map(t => t.textContent).join(' ')"
    )


def test_explorer_group_in_the_address_draws_the_groups_median(server, page):
    open_page(
        page,
        server,
        "explorer",
        DONCASTER.code,
        "&measure=ReReferral&group=outstanding&stat=median",
    )
    wait_for_charts(page, CHARTS["explorer"]["Doncaster"])
    texts = chart_texts(page)
    assert "LAs rated outstanding (median)" in texts
    assert "Statistical neighbours" not in texts
    assert "group=outstanding" in page.url and "stat=median" in page.url
    heading = "Every current local authority in Yorkshire and The Humber"
    expect(page.get_by_role("heading", name=heading)).to_be_visible()


def test_own_group_in_a_section_charts_address_draws_its_mean(server, page):
    codes = "E08000035,E08000018"
    open_page(
        page,
        server,
        "timeliness",
        DONCASTER.code,
        f"&Continue_Assess_Comp.group={codes}",
    )
    wait_for_charts(page, CHARTS["timeliness"]["Doncaster"])
    texts = chart_texts(page)
    assert "Chosen LAs (mean)" in texts
    assert "mean of 2 chosen LAs (Leeds, Rotherham)" in texts
