"""What several test modules share: the areas they test, running a page under
AppTest, reading a chart's figure back, and raw LAIT values."""

from __future__ import annotations

import base64
import csv
import hashlib
import json
import math
import os
import shutil
import subprocess
import sys
from functools import cache
from pathlib import Path
from typing import NamedTuple

import duckdb
import numpy as np
import pandas as pd
from streamlit.testing.v1 import AppTest

from metrics.areas import Area
from metrics.config import DATA_DIR
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
    "scorecard": {"Doncaster": 0, "Leeds": 0},  # no targets in data/
    "ofsted": {"Doncaster": 2, "Leeds": 2},
    "timeliness": {"Doncaster": 4, "Leeds": 1},
    "caseloads": {"Doncaster": 8, "Leeds": 6},
    "explorer": {"Doncaster": 2, "Leeds": 2},
    "upload": {"Doncaster": 0, "Leeds": 0},
    "sources": {"Doncaster": 0, "Leeds": 0},
    "accessibility": {"Doncaster": 0, "Leeds": 0},
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


# --- copies of data/ for loads ----------------------------------------------------


def copy_data(dst: Path) -> Path:
    """Copy data/ (all but database files) to ``dst``."""
    for src in DATA_DIR.rglob("*"):
        if src.is_file() and ".duckdb" not in src.name:
            target = dst / src.relative_to(DATA_DIR)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(src, target)
    return dst


def content_hash(db: Path) -> str:
    """One hash over the row count and the rows of every table of a database."""
    digest = hashlib.sha256()
    with duckdb.connect(str(db), read_only=True) as con:
        tables = con.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = "
            "'main' AND table_type = 'BASE TABLE' ORDER BY table_name"
        ).fetchall()
        for (table,) in tables:
            # Table names come from the catalog; values are hashed by DuckDB.
            count, total = con.execute(
                f'SELECT count(*), sum(hash(t)) FROM "{table}" AS t'
            ).fetchone()
            digest.update(f"{table}:{count}:{total};".encode())
    return digest.hexdigest()


def files(folder: Path) -> dict[str, str]:
    """Every file under a folder with the SHA-256 of its bytes."""
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def table(db: Path, sql: str, params: list | tuple = ()) -> pd.DataFrame:
    """A query's rows (values passed as parameters) from a database file, opened
    read-only."""
    with duckdb.connect(str(db), read_only=True) as con:
        return con.execute(sql, list(params)).df()


def read_rows(path: Path) -> list[list[str]]:
    """A CSV file's rows as lists of cells."""
    with open(path, newline="", encoding="utf-8") as handle:
        return list(csv.reader(handle))


def write_rows(path: Path, rows: list[list[str]]) -> None:
    """Write rows of cells as a CSV file."""
    with open(path, "w", newline="", encoding="utf-8") as handle:
        csv.writer(handle, lineterminator="\n").writerows(rows)


def cli(*args: str, env: dict | None = None, **kw) -> subprocess.Popen:
    """``python -m metrics ARGS`` in the project folder, output captured as text."""
    return subprocess.Popen(
        [sys.executable, "-m", "metrics", *args],
        cwd=ROOT,
        env={**os.environ, **(env or {})},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        **kw,
    )


# --- LAIT's quartile banding, written independently of the project ---------------
# (dfe-analytical-services/local-authority-interactive-tool, R/fn_analysis.R,
# calculate_quartile_band: R's quantile() type 7 of every LA's latest value; values,
# polarity and the no-quartile flag read straight from the raw LAIT files.)


@cache
def current_la_numbers() -> frozenset[int]:
    """DfE LA numbers of the 153 current LAs: those in the 2025 neighbour model."""
    model = pd.read_csv(RAW / "sn_model_2025_wide.csv", encoding="utf-8-sig")
    return frozenset(int(n) for n in model.old_la_code)


@cache
def lait_dictionary() -> pd.DataFrame:
    """LAIT's dictionary as published (every cell text)."""
    return pd.read_csv(
        RAW / "lait_data_dictionary.csv",
        encoding="utf-8-sig",
        dtype=str,
        keep_default_na=False,
    )


@cache
def polarities() -> dict[str, str]:
    """Each measure's polarity: 'High', 'Low' or LAIT's mark for none ('-', 'NA')."""
    pairs = lait_dictionary()[["Measure_short", "Polarity"]].drop_duplicates()
    assert pairs.Measure_short.is_unique  # a measure listed twice keeps its polarity
    return dict(zip(pairs.Measure_short, pairs.Polarity))


def lait_polarity(measure: str) -> str:
    return polarities()[measure]


@cache
def raw_lait() -> dict[str, pd.DataFrame]:
    """LAIT's long file by measure, each value parsed; marks such as '-' are NaN."""
    raw = pd.read_parquet(RAW / "lait_bds_long.parquet")
    raw = raw.assign(number=pd.to_numeric(raw["Values"], errors="coerce"))
    return dict(tuple(raw.groupby("Short Desc")))


@cache
def latest_values(measure: str, published: bool = False) -> tuple[str, pd.Series, int]:
    """The latest Years with a value, current LAs' values then by LA number, and
    how many current LAs have a row that year but no value (suppressed).

    ``published``: round to 12 significant figures, which removes the file's
    floating-point noise (97.19999999999999 for 97.2) as the build does; LAIT itself
    compares the numbers as written.
    """
    raw = raw_lait()[measure]
    rows = raw[raw["LA Number"].isin(current_la_numbers())]
    latest = max(rows.dropna(subset=["number"]).Years)
    at = rows[rows.Years == latest]
    valued = at.dropna(subset=["number"])
    values = pd.Series(
        valued.number.to_numpy(), index=valued["LA Number"].astype(int).to_numpy()
    )
    if published:
        values = values.map(lambda v: float(f"{v:.12g}"))
    assert values.index.is_unique
    return latest, values, len(at) - len(valued)


def r_quantile_type7(values: list[float], p: float) -> float:
    """R's quantile(x, p, type = 7): h = (n - 1) p, between the order statistics."""
    x = sorted(values)
    h = (len(x) - 1) * p
    lo, hi = math.floor(h), math.ceil(h)
    if x[hi] == x[lo]:  # R leaves the order statistic as it is
        return x[lo]
    return (1 - (h - lo)) * x[lo] + (h - lo) * x[hi]


def lait_band(value: float, q: tuple[float, float, float], polarity: str) -> str:
    """LAIT's calculate_quartile_band, its case_when written out."""
    q25, q50, q75 = q
    if polarity == "High":
        if value <= q25:
            return "D"
        if value <= q50:
            return "C"
        if value <= q75:
            return "B"
        return "A"
    if polarity == "Low":
        if value <= q25:
            return "A"
        if value <= q50:
            return "B"
        if value <= q75:
            return "C"
        return "D"
    raise ValueError(polarity)


def lait_quartiles(values: pd.Series) -> tuple[float, float, float]:
    numbers = [float(v) for v in values]
    return tuple(r_quantile_type7(numbers, p) for p in (0.25, 0.5, 0.75))


def lait_bands(measure: str, published: bool = False) -> dict[int, str]:
    """Each current LA with a value, by LA number, with LAIT's band."""
    _, values, _ = latest_values(measure, published)
    q = lait_quartiles(values)
    polarity = lait_polarity(measure)
    return {n: lait_band(v, q, polarity) for n, v in values.items()}


def rank_bands(measure: str, published: bool = False) -> dict[int, str]:
    """The former rule, for comparison: band = ceil(4 × competition rank / n)."""
    _, values, _ = latest_values(measure, published)
    x = values.to_numpy()
    # Row i counts the LAs with a strictly better value than LA i.
    if lait_polarity(measure) == "High":
        better = (x[None, :] > x[:, None]).sum(axis=1)
    else:
        better = (x[None, :] < x[:, None]).sum(axis=1)
    n = len(x)
    return {
        number: "ABCD"[math.ceil(4 * (1 + int(b)) / n) - 1]
        for number, b in zip(values.index, better)
    }


# --- the browser tests ---------------------------------------------------------------


def open_page(page, url: str, name: str, code: str, extra: str = "") -> None:
    """Open a page of the app by its address and wait for the app's run to finish."""
    from playwright.sync_api import expect

    spec = next(p for p in PAGES if p.key == name)
    page.goto(f"{url}/{spec.address}?la={code}{extra}")
    # The app has finished its run when the sidebar's focus control is there (out of
    # sight while a narrow screen's sidebar is closed).
    expect(page.get_by_text("Focus local authority", exact=True)).to_be_attached(
        timeout=90_000
    )
    page.wait_for_load_state("networkidle")
    expect(page.get_by_text("Page not found")).to_have_count(0)


def wait_for_charts(page, count: int) -> None:
    """Wait until a page shows exactly ``count`` Plotly charts."""
    from playwright.sync_api import expect

    expect(page.locator(".js-plotly-plot")).to_have_count(count, timeout=60_000)


# For every chart: its box, its plot area's width, every SVG text outside the box,
# and whether the page as a whole is wider than the window.
FIT_JS = """
() => {
  const charts = [...document.querySelectorAll('.js-plotly-plot')].map((plot) => {
    const box = plot.getBoundingClientRect();
    const drag = plot.querySelector('.draglayer .nsewdrag');
    const outside = [];
    for (const text of plot.querySelectorAll('svg text')) {
      const r = text.getBoundingClientRect();
      if (r.width === 0 || r.height === 0) continue;
      if (r.left < box.left - 0.5 || r.right > box.right + 0.5
          || r.top < box.top - 0.5 || r.bottom > box.bottom + 0.5) {
        outside.push(text.textContent.slice(0, 60));
      }
    }
    const meta = (plot.layout && plot.layout.meta) || {};
    return {
      title: (plot.querySelector('.gtitle') || {}).textContent || '',
      laid_out_for: meta.width || null,
      width: box.width,
      plot: drag ? drag.getBoundingClientRect().width : 0,
      outside,
    };
  });
  const page = document.documentElement;
  return {charts, sideways: page.scrollWidth > window.innerWidth};
}
"""


def fit_problems(result: dict) -> list[str]:
    """What breaks the rules in a FIT_JS result, in words."""
    problems = [
        f"{c['title'][:50]!r}: text outside the chart: {c['outside']}"
        for c in result["charts"]
        if c["outside"]
    ] + [
        f"{c['title'][:50]!r}: plot {c['plot']:.0f} px of {c['width']:.0f} px"
        for c in result["charts"]
        if c["plot"] < c["width"] / 2
    ]
    if result["sideways"]:
        problems.append("the page scrolls sideways")
    return problems


def settled_fit(page, count: int, timeout_s: float = 60) -> dict:
    """FIT_JS once ``count`` charts are drawn and laid out for the width they have:
    the page measures its width after it opens, then the charts are laid out again
    (charts.reflow marks each with the width it was laid out for)."""
    laid_out = (
        "(n) => { const r = (" + FIT_JS + ")(); "
        "return r.charts.length === n && r.charts.every(c => c.width > 0 "
        "&& c.laid_out_for === (c.width >= 900 ? null : Math.max(280, "
        "Math.floor(c.width / 20) * 20))); }"
    )
    page.wait_for_function(laid_out, arg=count, timeout=timeout_s * 1000, polling=250)
    return page.evaluate(FIT_JS)
