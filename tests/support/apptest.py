"""Running the app's pages under AppTest."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from tests.support.data import ROOT


def run_page(page: str, area_code: str, **params: str) -> AppTest:
    """Run app.py for an area (and address parameters), then switch to a page."""
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=90)
    at.query_params["la"] = area_code
    for key, value in params.items():
        at.query_params[key] = value
    at.run()
    if page != "overview":
        at.switch_page(f"pages/{page}.py").run()
    return at
