"""The width the browser gives a chart, so charts can be laid out for it.

A small component in the page measures the main column and reports its width
(rounded to charts.reflow's step) whenever it changes: on opening, on turning a
phone, on opening or closing the sidebar. The session keeps the last width, and a
session cookie (the width, nothing else) gives it to the next page the browser
opens, so pages are laid out right the first time. Until the browser has reported,
and in presentation mode, charts keep the desktop layout.
"""

from __future__ import annotations

import streamlit as st

from charts.reflow import DESKTOP, SMALLEST, STEP, layout_width

KEY = "chart_width"  # the component's key, the session's last width, the cookie

# Measures the main column's content box; reports only a change of step.
_JS = """
export default function (component) {
  const { data, setStateValue } = component;
  const main = document.querySelector('[data-testid="stMainBlockContainer"]');
  if (!main) return;
  // Unknown counts as desktop, the layout charts are built with: a desktop browser
  // then never makes the page run again just to say so.
  let last = data.current ?? data.desktop;
  const report = () => {
    const style = getComputedStyle(main);
    const width = main.clientWidth - parseFloat(style.paddingLeft)
      - parseFloat(style.paddingRight);
    if (width <= 0) return;
    const step = width >= data.desktop ? data.desktop
      : Math.max(data.smallest, Math.floor(width / data.step) * data.step);
    document.cookie = `${data.cookie}=${step}; path=/; SameSite=Lax`;
    if (step !== last) {
      last = step;
      setStateValue("width", step);
    }
  };
  const observer = new ResizeObserver(report);
  observer.observe(main);
  report();
  return () => observer.disconnect();
}
"""
_probe = st.components.v2.component("dashboard_chart_width", js=_JS)

# Constant CSS (no data in it). A closed sidebar only slides out of view, and its
# links and controls would still take the keyboard's focus out of sight: hide them
# until it is opened.
PAGE_CSS = """<style>
[data-testid="stSidebar"][data-collapsed="true"],
[data-testid="stSidebar"][data-collapsed="true"] * { visibility: hidden !important; }
</style>"""


def watch_width() -> int | None:
    """Mount the width probe (once a run, in the sidebar, where it takes no room);
    return the width to lay charts out for (None: the desktop layout)."""
    last = _known_width()
    with st.sidebar:
        st.html(PAGE_CSS)
        result = _probe(
            key=KEY,
            data={
                "desktop": DESKTOP,
                "step": STEP,
                "smallest": SMALLEST,
                "current": last,
                "cookie": KEY,
            },
            on_width_change=lambda: None,
        )
    width = getattr(result, "width", None)
    if isinstance(width, int | float):
        st.session_state[f"{KEY}_last"] = int(width)
    return layout_width(_known_width())


def _known_width() -> int | None:
    """The width this session last reported, else the one the browser's cookie gave
    when the session began (read once a session; 0 is kept for none)."""
    width = st.session_state.get(f"{KEY}_last")
    if width is None:
        # Only a string of digits counts (a cookie is the browser's to send; outside
        # a browser, as under AppTest, there is none).
        cookie = st.context.cookies.get(KEY)
        width = int(cookie) if isinstance(cookie, str) and cookie.isdigit() else 0
        st.session_state[f"{KEY}_last"] = width
    return width or None
