"""The board pack PDF: page count, every chart title, cover, attribution."""

from __future__ import annotations

import datetime as dt
import io
import re

import pytest
from pypdf import PdfReader

from metrics.config import OGL_ATTRIBUTION
from metrics.queries import Database
from reports.boardpack import BoardPackError, build_board_pack
from tests.chromium import chromium_or_skip
from tests.helpers import DONCASTER


def squash(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


@pytest.fixture(scope="module")
def doncaster_pack(built_db):
    chromium_or_skip()
    db = Database(built_db)
    steps = []
    try:
        pdf, charts = build_board_pack(
            db,
            DONCASTER.area,
            progress=lambda f, m: steps.append((f, m)),
            today=dt.date(2026, 11, 23),
        )
    finally:
        db.close()
    return PdfReader(io.BytesIO(pdf)), charts, steps


def test_one_page_for_the_cover_and_one_per_chart(doncaster_pack):
    reader, charts, _ = doncaster_pack
    assert len(charts) == 15
    assert len(reader.pages) == 1 + len(charts)


def test_each_chart_page_carries_its_title_and_source(doncaster_pack):
    reader, charts, _ = doncaster_pack
    for page, chart in zip(reader.pages[1:], charts):
        text = squash(page.extract_text())
        assert squash(chart.title) in text, chart.title
        assert "Source:" in text


def test_cover_gives_target_status_date_and_attribution(doncaster_pack):
    reader, _, _ = doncaster_pack
    cover = squash(reader.pages[0].extract_text())
    assert "Generated 23 November 2026" in cover
    assert "Ofsted good by October 2017" in cover and "met late" in cover
    assert "published 19 Jan 2018, 80 days after the deadline" in cover
    assert "Ofsted outstanding by October 2019" in cover and "missed" in cover
    assert squash(OGL_ATTRIBUTION) in cover


def test_progress_is_reported_from_start_to_finish(doncaster_pack):
    _, charts, steps = doncaster_pack
    fractions = [f for f, _ in steps]
    assert fractions[0] == 0.0 and fractions[-1] == 1.0
    assert fractions == sorted(fractions)
    assert len(steps) == len(charts) + 2


def test_missing_chromium_gives_a_plain_message(built_db, monkeypatch):
    monkeypatch.setattr("reports.boardpack.chromium_path", lambda: None)
    with pytest.raises(BoardPackError, match="apt-get install chromium"):
        build_board_pack(Database(built_db), DONCASTER.area)
