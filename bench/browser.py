"""Page times and server memory measured in Chromium through Playwright."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from pathlib import Path

from bench.report import BARE, CHARTS

CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
VIEWPORT = {"width": 1400, "height": 1000}
TIMEOUT_MS = 90_000

# Resolves to performance.now() (ms since navigation start) once ``n`` Plotly charts
# have drawn their SVG with a non-empty box; with n = 0, once the page's main
# heading (h1 in the main area) is visible.
READY_JS = """
(n) => {
  const shown = (el) => {
    if (!el) return false;
    const r = el.getBoundingClientRect();
    return r.width > 0 && r.height > 0;
  };
  if (n === 0) {
    return shown(document.querySelector('[data-testid="stMain"] h1'))
      ? performance.now() : false;
  }
  const plots = document.querySelectorAll('.js-plotly-plot');
  if (plots.length < n) return false;
  for (const p of plots) if (!shown(p.querySelector('.main-svg'))) return false;
  return performance.now();
}
"""
RUNNING_JS = "() => !document.querySelector('[data-testid=\"stStatusWidget\"]')"


def launch(playwright):
    """Debian's Chromium, headless, with the project's launch arguments."""
    return playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)


def open_and_wait(context, url: str, charts: int) -> float:
    """Open ``url`` in a new page of ``context``; ms from navigation to ready."""
    page = context.new_page()
    page.goto(url, wait_until="commit", timeout=TIMEOUT_MS)
    handle = page.wait_for_function(
        READY_JS, arg=charts, polling=16, timeout=TIMEOUT_MS
    )
    return float(handle.json_value())


def time_once(browser, url: str, charts: int) -> float:
    """One measurement in a fresh browser context (no cache, no cookies)."""
    context = browser.new_context(viewport=VIEWPORT)
    try:
        return open_and_wait(context, url, charts)
    finally:
        context.close()


def time_pages(
    browser,
    targets: list[dict],
    repeats: int,
    warmups: int = 1,
    say: Callable[[str], None] = print,
) -> dict:
    """Median ms per target; targets ({key, url, charts}) interleaved round by round.

    Every other round goes through the targets backwards, so that no target always
    follows the same one.
    """
    out = {t["key"]: {"runs_ms": [], "errors": []} for t in targets}
    for n in range(warmups + repeats):
        for t in targets if n % 2 == 0 else targets[::-1]:
            try:
                ms = time_once(browser, t["url"], t["charts"])
            except Exception as exc:  # noqa: BLE001 (reported in the table)
                out[t["key"]]["errors"].append(f"{type(exc).__name__}: {exc}"[:300])
                continue
            if n >= warmups:
                out[t["key"]]["runs_ms"].append(ms)
        say(f"  browser round {n + 1}/{warmups + repeats} done")
    for r in out.values():
        r["errors"] = sorted(set(r["errors"]))
        r["median_ms"] = statistics.median(r["runs_ms"]) if r["runs_ms"] else None
    return out


def memory_sessions(
    browser, server, url: str, charts: int, sessions: int, settle: float = 2.0
) -> dict:
    """Server RSS (bytes) after the 1st and the last of ``sessions`` open sessions.

    Each session is a new context that opens ``url`` and waits for it to be drawn
    and for the script run to end; every context stays open until measured.
    """
    contexts, rss, errors = [], {}, []
    try:
        for i in range(1, sessions + 1):
            context = browser.new_context(viewport=VIEWPORT)
            contexts.append(context)
            try:
                open_and_wait(context, url, charts)
                context.pages[0].wait_for_function(RUNNING_JS, timeout=TIMEOUT_MS)
            except Exception as exc:  # noqa: BLE001 (reported in the table)
                errors.append(f"session {i}: {type(exc).__name__}: {exc}"[:300])
            if i in (1, sessions):
                time.sleep(settle)  # let the run's last messages and GC finish
                rss[i] = server.rss()
    finally:
        for context in contexts:
            context.close()
    return {"rss": rss, "errors": errors}


def measure(
    apps: dict[str, Path], root: Path, db: Path, pages: list, counts: dict, s, say
) -> dict:
    """Every page against its matched bare page, then the three servers' memory.

    ``apps``: the scripts of the dashboard (``app``), the matched bare app (``bare``),
    the bare app drawing each page's own charts (``charts``) and the floor app
    (``floor``); each server runs in ``root`` and reads ``db``.
    ``s``: the run's settings (browser_repeats, warmups, sessions).
    """
    from playwright.sync_api import sync_playwright

    from bench.sessions import measure_sessions
    from tests.support.servers import StreamlitServer

    env = {"DASHBOARD_DB": str(db)}
    default = next(p for p in pages if p.default)
    charts = {p.key: counts[p.key]["charts"] for p in pages}
    out: dict = {}
    with sync_playwright() as pw:
        browser = launch(pw)
        try:
            with (
                StreamlitServer(apps["bare"], env, cwd=root) as bare,
                StreamlitServer(apps["app"], env, cwd=root) as app,
                StreamlitServer(apps["charts"], env, cwd=root) as alone,
            ):
                targets = []
                for p in pages:
                    targets += [
                        {"key": p.key, "url": f"{app.url}/{p.address}"},
                        {"key": BARE + p.key, "url": f"{bare.url}/{p.address}"},
                    ]
                    if charts[p.key]:
                        targets.append(
                            {"key": CHARTS + p.key, "url": f"{alone.url}/{p.address}"}
                        )
                for t in targets:
                    key = t["key"].removeprefix(BARE).removeprefix(CHARTS)
                    t["charts"] = charts[key]
                out["times"] = time_pages(
                    browser, targets, s.browser_repeats, s.warmups, say=say
                )
                out["sessions"] = measure_sessions(
                    app.url,
                    bare.url,
                    pages,
                    s.sessions,
                    say=say,
                    charts_alone=(alone.url, {k for k, n in charts.items() if n}),
                )
            out["memory"] = {}
            for key in ("bare", "floor", "app"):
                # A fresh server each, so all start from the same state.
                with StreamlitServer(apps[key], env, cwd=root) as server:
                    out["memory"][key] = memory_sessions(
                        browser,
                        server,
                        f"{server.url}/{default.address}",
                        charts[default.key],
                        s.sessions,
                    )
                say(f"  memory of the {key} server measured")
        finally:
            browser.close()
    return out
