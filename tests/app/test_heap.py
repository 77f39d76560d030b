"""A server keeps what its first run made out of each later run's garbage collection
(ui.heap.settle): checked in fresh processes, so the test process's heap is not the
one measured."""

from __future__ import annotations

import json
import os
import subprocess
import sys

from tests.support.data import ROOT


def _python(code: str, env: dict | None = None) -> dict:
    proc = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
        env=env,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    return json.loads(proc.stdout.strip().splitlines()[-1])


def test_settle_freezes_once_a_process():
    found = _python(
        "import gc, json\n"
        "from ui.heap import settle\n"
        "before = gc.get_freeze_count()\n"
        "first = settle()\n"
        "frozen = gc.get_freeze_count()\n"
        "made = [[i] for i in range(10000)]\n"
        "second = settle()\n"
        "print(json.dumps({'before': before, 'first': first, 'frozen': frozen,\n"
        "                  'second': second, 'after': gc.get_freeze_count()}))\n"
    )
    assert found["before"] == 0 and found["first"] is True
    assert found["frozen"] > 10_000  # the interpreter's and the imports' objects
    # A second call freezes nothing more: what later runs make is still collected.
    assert found["second"] is False and found["after"] == found["frozen"]


def test_the_apps_first_run_settles_the_heap(built_db):
    env = {**os.environ, "DASHBOARD_DB": str(built_db)}
    found = _python(
        "import gc, json, logging\n"
        "logging.disable(logging.WARNING)\n"
        "from streamlit.testing.v1 import AppTest\n"
        "at = AppTest.from_file('app.py', default_timeout=120)\n"
        "before = gc.get_freeze_count()\n"
        "at.run()\n"
        "import pandas, plotly.graph_objects\n"
        "print(json.dumps({'before': before, 'after': gc.get_freeze_count(),\n"
        "                  'errors': [str(e.value) for e in at.exception],\n"
        "                  'title': [t.value for t in at.title]}))\n",
        env,
    )
    assert found["errors"] == [] and found["title"], found
    assert found["before"] == 0
    # pandas, Plotly and DuckDB imported by the run: hundreds of thousands of objects.
    assert found["after"] > 100_000, found
