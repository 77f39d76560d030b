"""The benchmark (python -m bench) runs and reports every page; no timings asserted."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from bench.pages import discover
from bench.run import memory_rows
from bench.synthetic import is_synthetic, make_synthetic

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def quick_results(tmp_path_factory) -> tuple[dict, str]:
    """Run the quick benchmark without a browser once; its JSON and Markdown."""
    out = tmp_path_factory.mktemp("bench")
    proc = subprocess.run(
        [sys.executable, "-m", "bench", "--quick", "--skip-browser", "--out", str(out)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    return (
        json.loads((out / "latest.json").read_text()),
        (out / "latest.md").read_text(),
    )


def test_quick_run_reports_every_page_against_the_bare_page(quick_results):
    data, _ = quick_results
    rows = [r for r in data["rows"] if r["section"].startswith("AppTest")]
    items = [r["item"] for r in rows]
    assert items[0].startswith("Bare page")
    titles = [p.title for p in discover() if p.registered]
    assert items[1:] == titles
    for r in rows[1:]:
        assert r["status"] in ("PASS", "MISS"), r
        assert r["value"] > 0 and r["reference"] > 0
        assert r["ratio"] == pytest.approx(r["value"] / r["reference"])


def test_quick_run_reports_build_and_queries(quick_results):
    data, md = quick_results
    build = [r for r in data["rows"] if r["section"] == "Database build"]
    assert [r["item"].split(":")[0] for r in build] == ["cold", "unchanged"]
    assert [r["limit"] for r in build] == [5.0, 0.2]
    queries = {
        r["item"].split("(")[0]
        for r in data["rows"]
        if r["section"].startswith("Query")
    }
    assert {"comparator_series", "headline"} <= queries
    # The 10x scale test and the browser are left out of the quick run, and say so.
    assert not any("10×" in r["section"] for r in data["rows"])
    assert any("--skip-browser" in n for n in data["meta"]["notes"])
    assert md.count("\n| ") == len(data["rows"]) + 1  # header plus one line a row


def test_discover_finds_a_new_page_and_unregistered_files(tmp_path):
    (tmp_path / "pages").mkdir()
    for name in ("home.py", "new.py", "loose.py"):
        (tmp_path / "pages" / name).write_text("")
    (tmp_path / "app.py").write_text(
        "import streamlit as st\n"
        "page = st.navigation([\n"
        '    st.Page("pages/home.py", title="Home", default=True, url_path="home"),\n'
        '    st.Page("pages/new.py", title="New page"),\n'
        "])\n"
    )
    pages = discover(tmp_path / "app.py")
    assert [(p.title, p.address, p.registered) for p in pages] == [
        ("Home", "", True),
        ("New page", "new", True),
        ("Loose", "loose", False),
    ]


def test_synthetic_database_is_labelled_and_scaled(built_db, tmp_path):
    target = tmp_path / "synthetic-10x.duckdb"
    info = make_synthetic(built_db, target, copies=3)
    assert is_synthetic(target) and not is_synthetic(built_db)
    assert info["lait_rows"] == 3 * info["lait_rows_1x"]
    with duckdb.connect(str(target), read_only=True) as con:
        synth, synth_last, real_first = con.execute(
            "SELECT count(*) FILTER (WHERE period_label LIKE 'SYNTH %'), "
            "max(period_end) FILTER (WHERE period_label LIKE 'SYNTH %'), "
            "min(period_end) FILTER (WHERE period_label NOT LIKE 'SYNTH %') "
            "FROM observations WHERE source_id = 'dfe_lait'"
        ).fetchone()
    # Every extra copy is labelled, and lies before the real years (no shared period).
    assert synth == 2 * info["lait_rows_1x"]
    assert synth_last < real_first


def test_memory_rows_compare_the_dashboard_with_the_bare_and_floor_servers():
    mb = 2**20
    memory = {
        "bare": {"rss": {"1": 70 * mb, "20": 72 * mb}},
        "floor": {"rss": {"1": 170 * mb, "20": 175 * mb}},
        "app": {"rss": {"1": 200 * mb, "20": 219 * mb}, "errors": []},
    }
    rows = {r["item"].split(" (")[0].split(":")[0]: r for r in memory_rows(memory, 20)}
    last = rows["after 20 browser sessions"]
    assert last["value"] == pytest.approx(219)
    assert last["ratio"] == pytest.approx(219 / 72)
    assert last["status"] == "MISS"  # the target is 1.3x the bare server
    floor = rows["floor after 20 sessions"]
    assert floor["ratio"] == pytest.approx(175 / 72) and floor["status"] == "info"
    against = rows["dashboard against the floor, after 20 sessions"]
    assert against["ratio"] == pytest.approx(219 / 175)
    assert rows["growth per extra session"]["value"] == pytest.approx(19 / 19)
