"""Running the app's pages under AppTest."""

from __future__ import annotations

import os

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


_SHARED: dict[tuple, AppTest] = {}


def shared_run(page: str, area_code: str, **params: str) -> AppTest:
    """``run_page``'s run, made once for every test that only reads it: one run for
    each page, address, database and data folder."""
    key = (
        page,
        area_code,
        tuple(sorted(params.items())),
        os.environ.get("DASHBOARD_DB"),
        os.environ.get("DASHBOARD_DATA"),
    )
    if key not in _SHARED:
        _SHARED[key] = run_page(page, area_code, **params)
    return _SHARED[key]


def forget_shared_runs() -> None:
    """Drop the runs ``shared_run`` keeps (at the end of the module that made them)."""
    _SHARED.clear()
