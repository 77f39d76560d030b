"""What several test modules share: the areas they test, running a page under
AppTest, reading a chart's figure back, and raw LAIT values."""

from __future__ import annotations

import base64
import json
from pathlib import Path
from typing import NamedTuple

import numpy as np
import pandas as pd
from streamlit.testing.v1 import AppTest

from metrics.areas import Area
from views.pages import PAGES

ROOT = Path(__file__).resolve().parent.parent
RAW = ROOT / "data" / "raw" / "dfe"
PAGE_KEYS = [p.key for p in PAGES]


class TestArea(NamedTuple):
    """An area the tests use: ONS code, name and LAIT's LA number."""

    code: str
    name: str
    la_number: int

    @property
    def area(self) -> Area:
        return Area(self.code, self.name)


# Charts each page shows (AppTest and browser tests): Doncaster has the report figures, milestones and contract.
CHARTS = {
    "overview": {"Doncaster": 1, "Leeds": 0},
    "ofsted": {"Doncaster": 2, "Leeds": 2},
    "timeliness": {"Doncaster": 4, "Leeds": 1},
    "caseloads": {"Doncaster": 8, "Leeds": 6},
    "explorer": {"Doncaster": 2, "Leeds": 2},
    "upload": {"Doncaster": 0, "Leeds": 0},
    "sources": {"Doncaster": 0, "Leeds": 0},
}

DONCASTER = TestArea("E08000017", "Doncaster", 371)
LEEDS = TestArea("E08000035", "Leeds", 383)


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


def figures(at: AppTest) -> list[dict]:
    """The Plotly figures a run drew, as JSON."""
    return [json.loads(el.proto.spec) for el in at.get("plotly_chart")]


def decode(values) -> np.ndarray:
    """Plotly JSON arrays may be base64 typed arrays."""
    if isinstance(values, dict) and "bdata" in values:
        return np.frombuffer(base64.b64decode(values["bdata"]), dtype=values["dtype"])
    return np.asarray(values)


def title_of(fig: dict) -> str:
    """A figure's title text (title and subtitle, as HTML)."""
    return fig["layout"]["title"]["text"]


def lait(measure: str, la_number: int) -> pd.Series:
    """Raw LAIT values of one measure for one LA, by Years label."""
    raw = pd.read_parquet(RAW / "lait_bds_long.parquet")
    rows = raw[(raw["Short Desc"] == measure) & (raw["LA Number"] == la_number)]
    return pd.to_numeric(rows.set_index("Years")["Values"], errors="coerce")


# --- the browser tests ---------------------------------------------------------------


def open_page(page, url: str, name: str, code: str, extra: str = "") -> None:
    """Open a page of the app by its address and wait for the app's run to finish."""
    from playwright.sync_api import expect

    spec = next(p for p in PAGES if p.key == name)
    page.goto(f"{url}/{spec.address}?la={code}{extra}")
    # The app has finished its run when the sidebar's focus control is there.
    expect(page.get_by_text("Focus local authority", exact=True)).to_be_visible(
        timeout=90_000
    )
    page.wait_for_load_state("networkidle")
    expect(page.get_by_text("Page not found")).to_have_count(0)


def wait_for_charts(page, count: int) -> None:
    """Wait until a page shows exactly ``count`` Plotly charts."""
    from playwright.sync_api import expect

    expect(page.locator(".js-plotly-plot")).to_have_count(count, timeout=60_000)
