"""AppTest runs in one fresh process: python -m bench.apptest_worker MODE ARGS.

``count APP OUT``: every page declared in views.pages.PAGES, run once for the
database in DASHBOARD_DB; OUT receives the pages, each page's Plotly charts and
st.metric elements, and the sidebar's widgets (the shell the bare app copies); the
folder ``figures`` beside OUT receives KEY.json for each page: the spec and config of
every chart it sent (the charts floor draws them).

``time SPEC OUT``: SPEC is a JSON file {"targets": [{"key", "app", "file", "db"}],
"warmups", "repeats"}; ``file`` is the page to open, relative to ``app``; ``db``
(optional) is the database the app reads for that target. Targets are interleaved
round by round, so drift in machine load hits all alike. OUT receives, per target,
the CPU and wall time of each timed run and the charts and metrics it showed.

Either way a page's run is timed as a server would serve it to a new session: a
fresh AppTest runs the app once (its root opens the default page), switches to the
page and runs again; that second run is the figure. Its CPU time (of this process,
script thread and DuckDB's threads alike) is the figure the table uses: the wall time
on these shared cores also counts whatever else they ran at that moment.
"""

from __future__ import annotations

import gc
import json
import logging
import os
import statistics
import sys
import time
import traceback
from pathlib import Path


def share_script_cache() -> bool:
    """Compile each script once per process, as a running server does.

    AppTest makes a new ScriptCache for every run, so every run compiles app.py and
    the page again (with Streamlit's magic rewrite): 0.4-7 ms a page here, in
    proportion to the page file's size (the explorer and load pages about 7 ms, a
    bare page under 1 ms), which would count the length of a page's source against
    it. A server keeps the bytecode until the file changes. AppTest has no public
    setting for this; False if this Streamlit lacks the hook.
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


def open_page(app: str, file: str, db: str | None = None):
    """A fresh AppTest session after its first run, switched to ``file``."""
    from streamlit.testing.v1 import AppTest

    if db:
        # Read by the app on every call; its caches are keyed on the path.
        os.environ["DASHBOARD_DB"] = db
    at = AppTest.from_file(Path(app).resolve(), default_timeout=180)
    at.run()
    return at.switch_page(file)


def timed_run(at) -> tuple[float, float]:
    """Run the session once: (wall ms, CPU ms of this process)."""
    gc.collect()  # so that no run pays for garbage an earlier one left
    start, cpu = time.perf_counter(), time.process_time()
    at.run()
    return (time.perf_counter() - start) * 1000, (time.process_time() - cpu) * 1000


def page_run(app: str, file: str, db: str | None = None) -> tuple[object, float, float]:
    """A fresh AppTest session on ``file``: (AppTest, wall ms, CPU ms) of its run."""
    at = open_page(app, file, db)
    return at, *timed_run(at)


def _leaves(node) -> list:
    from streamlit.testing.v1.element_tree import Block

    if not isinstance(node, Block):
        return [node]
    return [leaf for child in node.children.values() for leaf in _leaves(child)]


def shown(at) -> dict:
    """What a run showed: charts, metrics, main-area elements in all, exceptions."""
    return {
        "charts": len(at.get("plotly_chart")),
        "metrics": len(at.metric),
        "elements": len(_leaves(at.main)),
        "errors": [str(e.value)[:500] for e in at.exception],
    }


def count(app: str, out: str) -> int:
    """Write every declared page with what it shows, and the sidebar's widgets."""
    from bench.pages import declared

    pages = declared()
    counts, shell = {}, None
    figures = Path(out).parent / "figures"
    figures.mkdir(exist_ok=True)
    for p in pages:
        try:
            at, _, _ = page_run(app, p.file)
        except Exception as exc:  # noqa: BLE001 (reported, the others go on)
            counts[p.key] = {"charts": 0, "metrics": 0, "errors": [repr(exc)[:500]]}
            continue
        counts[p.key] = shown(at)
        sent = [
            {"spec": c.proto.spec, "config": c.proto.config}
            for c in at.get("plotly_chart")
        ]
        (figures / f"{p.key}.json").write_text(json.dumps(sent), encoding="utf-8")
        if shell is None or p.default:
            shell = {
                "selectbox_options": [len(s.options) for s in at.sidebar.selectbox],
                "toggles": len(at.sidebar.toggle),
                "buttons": len(at.sidebar.button),
            }
    result = {"pages": [p.as_dict() for p in pages], "counts": counts, "shell": shell}
    Path(out).write_text(json.dumps(result, indent=1))
    return 0


def time_targets(spec_path: str, out_path: str) -> int:
    """Run every target (warm-up rounds, then timed rounds) and write the results."""
    spec = json.loads(Path(spec_path).read_text())
    shared_cache = share_script_cache()
    results = {
        t["key"]: {"cpu_ms": [], "wall_ms": [], "errors": []} for t in spec["targets"]
    }
    for n in range(spec["warmups"] + spec["repeats"]):
        for target in spec["targets"]:
            r = results[target["key"]]
            try:
                at, wall, cpu = page_run(
                    target["app"], target["file"], target.get("db")
                )
            except Exception as exc:  # noqa: BLE001 (reported, the others go on)
                r["errors"].append(f"{type(exc).__name__}: {exc}"[:500])
                r.setdefault("trace", traceback.format_exc()[-2000:])
                continue
            seen = shown(at)
            r["errors"].extend(seen.pop("errors"))
            r.update(seen)
            if n >= spec["warmups"]:
                r["cpu_ms"].append(cpu)
                r["wall_ms"].append(wall)
    for r in results.values():
        r["errors"] = sorted(set(r["errors"]))
        r["median_ms"] = statistics.median(r["cpu_ms"]) if r["cpu_ms"] else None
        r["median_wall_ms"] = statistics.median(r["wall_ms"]) if r["wall_ms"] else None
    out = {"results": results, "shared_script_cache": shared_cache}
    Path(out_path).write_text(json.dumps(out, indent=1))
    return 0


def main(mode: str, *args: str) -> int:
    """Count the pages or time the targets."""
    logging.getLogger("streamlit").setLevel(logging.ERROR)
    # Libraries every page needs are imported before timing, app modules are not.
    import pandas  # noqa: F401
    import plotly.graph_objects  # noqa: F401
    import streamlit.testing.v1  # noqa: F401

    if mode == "count":
        return count(*args)
    if mode == "time":
        return time_targets(*args)
    raise SystemExit(f"unknown mode {mode!r}: count or time")


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:]))
