"""The width cookie is the browser's to send: whatever it holds, pages still work."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from tests.support.areas import CHARTS, DONCASTER
from tests.support.charts import figures
from tests.support.data import ROOT
from ui.viewport import cookie_width


@pytest.mark.parametrize(
    ("cookie", "width"),
    [
        ("600", 600),
        ("900", 900),
        ("\u00b2", 0),  # superscript two: str.isdigit() is true, int() fails
        ("\u0661\u0662\u0660", 0),  # Arabic-Indic digits
        ("-600", 0),
        ("6e2", 0),
        ("", 0),
        ("0", 0),
        ("12", 0),  # below the narrowest layout
        ("9" * 5000, 0),
        (None, 0),
    ],
)
def test_only_a_plain_width_counts(cookie, width):
    assert cookie_width(cookie) == width


def test_a_page_opened_with_a_strange_cookie_works(app_db, monkeypatch):
    import streamlit as st

    class Context:
        cookies = {"chart_width": "\u00b2"}

    # Only the viewport module's view of st.context is replaced.
    monkeypatch.setattr("ui.viewport.st.context", Context(), raising=False)
    assert st.context.cookies["chart_width"] == "\u00b2"
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=90)
    at.query_params["la"] = DONCASTER.code
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert len(figures(at)) == CHARTS["overview"]["Doncaster"]
