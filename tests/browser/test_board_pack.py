"""The sidebar's board pack in a real browser: choose a format, prepare, download."""

from __future__ import annotations

import io
from pathlib import Path

from docx import Document
from playwright.sync_api import expect

from tests.support.areas import DONCASTER
from tests.support.browser import open_page


def test_sidebar_prepares_the_chosen_format_for_download(server, page):
    open_page(page, server, "sources", DONCASTER[0])
    sidebar = page.locator("[data-testid=stSidebar]")
    sidebar.get_by_text("Word", exact=True).click()
    sidebar.get_by_role("button", name="Prepare board pack").click()
    button = sidebar.get_by_role("button", name="Download the board pack (Word)")
    expect(button).to_be_visible(timeout=120_000)
    with page.expect_download(timeout=60_000) as info:
        button.click()
    download = info.value
    assert download.suggested_filename.startswith("doncaster-board-pack-")
    assert download.suggested_filename.endswith(".docx")
    doc = Document(io.BytesIO(Path(download.path()).read_bytes()))
    assert len(doc.inline_shapes) == 15
    assert doc.paragraphs[0].text == "Doncaster: children's social care board pack"
