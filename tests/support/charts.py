"""Reading a chart's figure back (AppTest's JSON) and checking that charts fit their
width in Chromium."""

from __future__ import annotations

import base64
import json

import numpy as np
from streamlit.testing.v1 import AppTest


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
