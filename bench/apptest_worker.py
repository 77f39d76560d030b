"""Time AppTest runs in one fresh process: python -m bench.apptest_worker SPEC OUT.

SPEC is a JSON file: {"targets": [{"key", "app", "page", "db"}], "warmups", "repeats"}.
``page`` is a path relative to the app to switch to, or null for its default page;
``db`` (optional) is the database the app reads (DASHBOARD_DB) for that target.
Targets are interleaved round by round, so drift in machine load hits all alike.
OUT receives, per target: the first (cold) run, each timed run and the charts shown.
"""

from __future__ import annotations

import json
import logging
import os
import statistics
import sys
import time
import traceback
from pathlib import Path


def _shared_registry() -> object | None:
    """One custom-component registry for every AppTest of this process.

    AppTest discovers installed components afresh for each new instance (about
    0.3 s here), which would swamp a bare page's ~10 ms. Sharing the registry
    leaves the app's own work in the timing; None if this Streamlit lacks it.
    """
    try:
        from streamlit.components.v2.component_manager import BidiComponentManager

        registry = BidiComponentManager()
        registry.discover_and_register_components(start_file_watching=False)
        return registry
    except Exception:  # noqa: BLE001 (private API: fall back to the full cost)
        return None


def _share_script_cache() -> bool:
    """Compile each script once per process, as a running server does.

    AppTest makes a new ScriptCache for every run, so every run recompiles app.py
    and the page (with Streamlit's magic rewrite, ~40 ms for the overview); a
    server keeps the bytecode until the file changes. False if this Streamlit
    lacks the hook.
    """
    try:
        from streamlit.testing.v1 import app_test, local_script_runner

        shared = app_test.ScriptCache()
        # Both: the pages manager compiles pages, the script runner the main script.
        app_test.ScriptCache = lambda: shared
        local_script_runner.ScriptCache = lambda: shared
        return True
    except Exception:  # noqa: BLE001 (private API: fall back to the full cost)
        return False


def run_once(target: dict, registry: object | None) -> dict:
    """One fresh AppTest session that ends on the target's page; times its run."""
    from streamlit.testing.v1 import AppTest

    if target.get("db"):
        # Read by the app on every call; its caches are keyed on the path.
        os.environ["DASHBOARD_DB"] = target["db"]
    at = AppTest.from_file(target["app"], default_timeout=180)
    if registry is not None and hasattr(at, "_bidi_component_manager"):
        at._bidi_component_manager = registry
    start = time.perf_counter()
    at.run()
    first = time.perf_counter() - start
    page_seconds = first
    if target.get("page"):
        at.switch_page(target["page"])
        start = time.perf_counter()
        at.run()
        page_seconds = time.perf_counter() - start
    return {
        "page_ms": page_seconds * 1000,
        "session_ms": (first + (page_seconds if target.get("page") else 0)) * 1000,
        "charts": len(at.get("plotly_chart")),
        "errors": [str(e.value)[:500] for e in at.exception],
    }


def main(spec_path: str, out_path: str) -> int:
    """Run every target (warm-up rounds, then timed rounds) and write the results."""
    logging.getLogger("streamlit").setLevel(logging.ERROR)
    spec = json.loads(Path(spec_path).read_text())
    # Libraries every page needs are imported before timing, app modules are not.
    import pandas  # noqa: F401
    import plotly.graph_objects  # noqa: F401
    import streamlit.testing.v1  # noqa: F401

    registry = _shared_registry()
    shared_cache = _share_script_cache()
    results = {
        t["key"]: {"cold_ms": None, "runs_ms": [], "session_ms": [], "errors": []}
        for t in spec["targets"]
    }
    rounds = spec["warmups"] + spec["repeats"]
    for n in range(rounds):
        for target in spec["targets"]:
            r = results[target["key"]]
            try:
                run = run_once(target, registry)
            except Exception as exc:  # noqa: BLE001 (reported, the others go on)
                r["errors"].append(f"{type(exc).__name__}: {exc}"[:500])
                r.setdefault("trace", traceback.format_exc()[-2000:])
                continue
            r["charts"] = run["charts"]
            if run["errors"]:
                r["errors"].extend(run["errors"])
            if n == 0:
                r["cold_ms"] = run["page_ms"]
            if n >= spec["warmups"]:
                r["runs_ms"].append(run["page_ms"])
                r["session_ms"].append(run["session_ms"])
    for r in results.values():
        r["errors"] = sorted(set(r["errors"]))
        r["median_ms"] = statistics.median(r["runs_ms"]) if r["runs_ms"] else None
    out = {
        "results": results,
        "shared_registry": registry is not None,
        "shared_script_cache": shared_cache,
    }
    Path(out_path).write_text(json.dumps(out, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:3]))
