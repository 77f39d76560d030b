"""The benchmark (python -m bench) measures every declared page against a matched bare
page, and builds its rows from the figures; no timings asserted."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import duckdb
import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from bench import report
from bench.pages import Page, bare_file, bare_spec, declared, write_bare
from bench.queries import AREA, MEASURES, NotUnderstood, calls_for, methods
from bench.snapshot import EXAMPLES
from bench.synthetic import is_synthetic, make_synthetic
from metrics.areas import Area
from tests.support.areas import CHARTS
from tests.support.charts import decode
from views.pages import PAGES

ROOT = Path(__file__).resolve().parents[2]


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


def example_plan_measures() -> set[str]:
    """The measures of the worked example's targets file."""
    plan = ROOT / "data" / "examples" / EXAMPLES[0]
    return set(pd.read_csv(plan).metric_id)


@pytest.mark.slow
def test_quick_run_measures_every_declared_page_against_its_bare_page(quick_results):
    data, _ = quick_results
    assert [(p["key"], p["address"]) for p in data["raw"]["pages"]] == [
        (p.key, p.url_path) for p in PAGES
    ]
    rows = [r for r in data["rows"] if r["section"].startswith("AppTest page")]
    assert [r["item"] for r in rows] == [p.title for p in PAGES]
    for r in rows:
        assert r["status"] in ("PASS", "MISS"), r
        assert r["value"] > 0 and r["reference"] > 0
        assert r["ratio"] == pytest.approx(r["value"] / r["reference"])
        assert r["reference_label"].startswith("bare ")
    # Every page with charts against the same charts drawn alone.
    alone = [r for r in data["rows"] if r["section"].startswith("AppTest: the page")]
    charted = [
        p["key"]
        for p in data["raw"]["pages"]
        if data["raw"]["counts"][p["key"]]["charts"]
    ]
    assert [r["item"] for r in alone] == [p.title for p in PAGES if p.key in charted]
    for r in alone:
        assert r["status"] == "info" and r["value"] > 0 and r["reference"] > 0, r
    for key in charted:
        floor = data["raw"]["apptest_1x"][report.CHARTS + key]
        assert floor["charts"] == data["raw"]["counts"][key]["charts"], key
    # The floor: the dashboard's own shell around an empty page, and the bare shell.
    (floor,) = [r for r in data["rows"] if r["section"].startswith("AppTest floor")]
    assert floor["status"] == "info" and floor["value"] > 0 and floor["reference"] > 0
    empty = {"charts": 0, "metrics": 0, "errors": []}
    for key in (report.SHELL, report.BARE + report.SHELL):
        shell = data["raw"]["apptest_1x"][key]
        assert {k: shell[k] for k in empty} == empty, key
        # The title (and the footer: divider, caption, accessibility statement link).
        assert shell["elements"] <= 4


@pytest.mark.slow
def test_each_matched_bare_page_shows_what_its_page_shows(quick_results):
    raw = quick_results[0]["raw"]
    assert raw["shell"] == {"selectbox_options": [153], "toggles": 1, "buttons": 1}
    for p in PAGES:
        page, bare = raw["apptest_1x"][p.key], raw["apptest_1x"][report.BARE + p.key]
        shown = {k: page[k] for k in ("charts", "metrics")}
        assert shown == {k: bare[k] for k in ("charts", "metrics")}, p.key
        assert shown == {k: raw["counts"][p.key][k] for k in shown}, p.key
        if p.key == "scorecard":
            # The copy measured holds the worked example plan: a chart a measure.
            assert shown["charts"] == len(example_plan_measures()), p.key
        elif p.key in CHARTS:
            assert shown["charts"] == CHARTS[p.key]["Doncaster"], p.key
    assert raw["counts"]["overview"]["metrics"] > 0  # the headline indicators


@pytest.mark.slow
def test_quick_run_reports_build_and_queries(quick_results):
    data, md = quick_results
    build = [r for r in data["rows"] if r["section"] == "Database build"]
    assert [r["item"].split(":")[0] for r in build] == ["cold", "unchanged"]
    assert [r["limit"] for r in build] == [5.0, 0.2]
    queries = [r for r in data["rows"] if r["section"].startswith("Query")]
    names = {r["item"].split("(")[0] for r in queries}
    assert {
        "comparator_series",
        "headline",
        "ranking",
        "target_status",
        "kpi_status",
    } <= names
    # The copy measured holds the worked example plan, so the scorecard's status
    # query has checkpoints to judge.
    status = next(r for r in queries if r["item"].startswith("kpi_status"))
    assert int(status["note"].split()[0]) > 0, status
    assert any("data/examples" in n for n in data["meta"]["notes"])
    assert all(r["status"] in ("PASS", "MISS") for r in queries)
    # The 10x scale test and the browser are left out of the quick run, and say so.
    assert not any("10×" in r["section"] for r in data["rows"])
    assert any("--skip-browser" in n for n in data["meta"]["notes"])
    assert md.count("\n| ") == len(data["rows"]) + 1  # header plus one line a row


def test_declared_pages_are_the_page_declarations():
    assert [(p.key, p.title, p.url_path, p.default, p.file) for p in declared()] == [
        (p.key, p.title, p.url_path, p.default, p.file) for p in PAGES
    ]
    # Every page, the default one too, is opened at its own address.
    assert [p.address for p in declared()] == [p.url_path for p in PAGES]


def test_matched_bare_app_shows_the_counts_and_shell_it_is_given(tmp_path):
    pages = [
        Page("first", "First page", "first", True, "pages/first.py"),
        Page("second", "Second page", "second-page", False, "pages/second.py"),
    ]
    counts = {
        "first": {"charts": 3, "metrics": 2},
        "second": {"charts": 0, "metrics": 0},
    }
    shell = {"selectbox_options": [153, 4], "toggles": 1, "buttons": 2}
    app = write_bare(tmp_path, bare_spec(pages, counts, shell))
    at = AppTest.from_file(str(app), default_timeout=60).run()
    assert not at.exception
    for p in pages:
        at.switch_page(bare_file(p.key)).run()
        assert not at.exception
        assert at.title[0].value == p.title
        assert len(at.get("plotly_chart")) == counts[p.key]["charts"]
        assert len(at.metric) == counts[p.key]["metrics"]
        assert [len(s.options) for s in at.sidebar.selectbox] == [153, 4]
        assert (len(at.sidebar.toggle), len(at.sidebar.button)) == (1, 2)
        for chart in at.get("plotly_chart"):
            (line,) = json.loads(chart.proto.spec)["data"]
            assert len(decode(line["y"])) == 100


def test_charts_floor_draws_the_pages_own_figures(tmp_path):
    """With a figures folder, each bare page sends the figures the dashboard page
    sent (same traces, layout and Plotly config), and its metrics, nothing else."""
    import plotly.graph_objects as go

    pages = [Page("first", "First page", "first", True, "pages/first.py")]
    figures = tmp_path / "figures"
    figures.mkdir()
    made = [
        go.Figure(go.Bar(x=["a", "b"], y=[3, 5]), layout={"title": {"text": "One"}}),
        go.Figure(go.Scatter(x=[1, 2, 3], y=[2, 4, 8], name="Two")),
    ]
    sent = [
        {"spec": f.to_json(), "config": json.dumps({"displaylogo": False})}
        for f in made
    ]
    (figures / "first.json").write_text(json.dumps(sent), encoding="utf-8")
    counts = {"first": {"charts": 2, "metrics": 1}}
    shell = {"selectbox_options": [153], "toggles": 1, "buttons": 1}
    app = write_bare(tmp_path / "app", bare_spec(pages, counts, shell, figures=figures))
    at = AppTest.from_file(str(app), default_timeout=60).run()
    at.switch_page(bare_file("first")).run()
    assert not at.exception
    assert len(at.metric) == 1
    charts = at.get("plotly_chart")
    assert [json.loads(c.proto.config) for c in charts] == [{"displaylogo": False}] * 2
    drawn = [json.loads(c.proto.spec) for c in charts]
    assert drawn[0]["layout"]["title"]["text"] == "One"
    assert list(decode(drawn[0]["data"][0]["y"])) == [3, 5]
    assert drawn[1]["data"][0]["name"] == "Two"
    assert list(decode(drawn[1]["data"][0]["y"])) == [2, 4, 8]


def test_charts_floor_rows_compare_a_page_with_its_charts_alone():
    pages = [_page("a", "Alpha"), _page("b", "Beta")]
    results = {
        "a": {"median_ms": 30.0, "errors": []},
        report.CHARTS + "a": {"median_ms": 20.0, "errors": []},
        "b": {"median_ms": 9.0, "errors": []},  # no charts: no floor row
    }
    (only,) = report.charts_floor_rows(pages, results, 9, "AppTest", "median_ms")
    assert only["item"] == "Alpha" and only["status"] == "info"
    assert only["ratio"] == pytest.approx(1.5)
    assert only["reference_label"] == "its charts alone 20.0 ms"


def _page(key: str, title: str) -> Page:
    return Page(key, title, key, key == "a", f"pages/{key}.py")


def test_page_rows_compare_each_page_with_its_bare_page():
    pages = [_page("a", "Page A"), _page("b", "Page B"), _page("c", "Page C")]
    shows = {"charts": 2, "metrics": 1}
    results = {
        "a": {"median_ms": 12.0, "median_wall_ms": 15.0, **shows, "elements": 9},
        "bare/a": {"median_ms": 10.0, "median_wall_ms": 11.0, **shows, "elements": 4},
        "b": {"median_ms": 30.0, "charts": 0, "metrics": 0, "errors": []},
        "bare/b": {"median_ms": 10.0, "charts": 0, "metrics": 0, "errors": []},
        "c": {"median_ms": 10.0, "charts": 2, "metrics": 0, "errors": []},
        "bare/c": {"median_ms": 10.0, "charts": 1, "metrics": 0, "errors": []},
    }
    a, b, c = report.apptest_rows(pages, results, repeats=9)
    assert "median of 9" in a["section"]
    assert (a["item"], a["value"], a["reference"]) == ("Page A", 12.0, 10.0)
    assert a["ratio"] == pytest.approx(1.2) and a["status"] == "PASS"
    assert a["note"] == (
        "2 charts, 1 metric; elements in all 9, bare 4; wall 15.0 ms against 11.0 ms"
    )
    assert b["ratio"] == pytest.approx(3.0) and b["status"] == "MISS"
    assert c["status"] == "ERROR"  # a bare page that does not match is no reference
    assert "the bare page shows 1 chart, 0 metrics, the page 2 charts" in c["error"]

    floor = report.shell_row({"shell": {"median_ms": 9.0}, "bare/shell": {}}, 9)
    assert floor["status"] == "info" and floor["reference"] is None
    floor = report.shell_row(
        {"shell": {"median_ms": 9.0}, "bare/shell": {"median_ms": 7.5}}, 9
    )
    assert floor["ratio"] == pytest.approx(1.2) and floor["status"] == "info"

    ten = {"a": {"median_ms": 18.0}, "b": {"errors": ["boom"]}}
    sa, sb, sc = report.scale_rows(pages, ten, results, 9, lait=6_409_000)
    assert "6,409,000 LAIT rows" in sa["section"]
    assert sa["ratio"] == pytest.approx(1.5) and sa["status"] == "PASS"
    assert sb["status"] == "ERROR" and sc["status"] == "SKIP"

    times = {
        "a": {"median_ms": 3000.0},
        "bare/a": {"median_ms": 2000.0},
        "b": {"median_ms": 1000.0},
        "bare/b": {"median_ms": 1000.0},
    }
    counts = {"a": {"charts": 2}, "b": {"charts": 0}, "c": {"charts": 1}}
    ba, bb, bc = report.browser_rows(pages, times, counts, repeats=5)
    assert ba["ratio"] == pytest.approx(1.5) and ba["status"] == "MISS"
    assert ba["note"] == "until 2 charts drawn"
    assert bb["status"] == "PASS" and bb["note"] == "until heading drawn"
    assert bc["status"] == "SKIP" and bc["note"] == "until 1 chart drawn"


def test_build_and_query_rows():
    build = report.build_rows(
        {
            "cold_s": [3.0, 2.0, 6.0],
            "cold_process_wall_s": [4.0, 3.0, 7.0],
            "unchanged_s": [0.05, 0.04, 0.3],
            "unchanged_rebuilt": 1,
        }
    )
    assert [(r["value"], r["status"]) for r in build] == [
        (3.0, "PASS"),
        (0.05, "ERROR"),
    ]
    assert build[0]["note"] == "process wall 4.0 s"
    one = {
        "rows": [
            {"query": "ranking", "args": "CIN", "median_ms": 12.0, "rows": 153},
            {"query": "headline", "args": AREA, "median_ms": 40.0, "rows": 5},
            {"query": "odd_status", "args": "", "skipped": "not timed: parameter x"},
            {"query": "neighbours", "args": AREA, "error": "no table"},
        ]
    }
    rows = report.query_rows("Query", one)
    assert [r["status"] for r in rows] == ["PASS", "MISS", "SKIP", "ERROR"]
    assert rows[0]["item"] == "ranking(CIN)" and rows[0]["note"] == "153 rows"
    assert rows[2]["note"] == "not timed: parameter x"
    ten = report.query_rows(
        "Query at 10×",
        {"rows": [{"query": "ranking", "args": "CIN", "median_ms": 24.0, "rows": 153}]},
        {("ranking", "CIN"): 12.0},
    )
    assert ten[0]["ratio"] == pytest.approx(2.0) and ten[0]["status"] == "info"


def test_memory_rows_compare_the_dashboard_with_the_floor_server():
    mb = 2**20
    memory = {
        "bare": {"rss": {"1": 70 * mb, "20": 72 * mb}},
        "floor": {"rss": {"1": 170 * mb, "20": 175 * mb}},
        "app": {"rss": {"1": 200 * mb, "20": 219 * mb}, "errors": []},
    }
    rows = report.memory_rows(memory, 20, "Overview")
    first, last, floor, growth = rows
    assert first["item"] == "dashboard after 1 browser session (Overview)"
    assert first["ratio"] == pytest.approx(200 / 170) and first["status"] == "info"
    assert last["value"] == pytest.approx(219)
    assert last["ratio"] == pytest.approx(219 / 175)
    assert last["status"] == "PASS"  # the target is 1.3x the floor server
    assert floor["ratio"] == pytest.approx(175 / 72) and floor["status"] == "info"
    assert growth["value"] == pytest.approx(19 / 19) and growth["status"] == "PASS"
    assert growth["reference_label"] == "floor 0.3 MB, bare 0.1 MB"
    memory["app"]["rss"]["20"] = 260 * mb
    last, growth = report.memory_rows(memory, 20, "Overview")[1::2]
    assert last["status"] == "MISS" and growth["status"] == "MISS"


class _Database:
    """Stands in for metrics.queries.Database in the discovery tests."""

    def comparator_series(self, metric_id: str, area_code: str, model: str = "2025"):
        return (metric_id, area_code, model)

    def headline(self, area_code: str, metric_ids: list[str] | None = None):
        return (area_code, metric_ids)

    def kpi_status(self, area_code: str, due: str | None = None):
        return (area_code, due)

    def neighbour_view(self, area: Area, *, model: str = "2021"):
        return (area, model)

    def odd_status(self, threshold: float):
        return threshold

    def monthly_points(self, metric_ids: list[str], area_code: str):
        return metric_ids  # not a name the discovery looks for

    @property
    def ranking_note(self) -> str:
        return "a property, not a query"


def test_query_discovery_picks_up_new_queries_by_name():
    names, notes = methods(_Database)
    assert names == [
        "comparator_series",
        "headline",
        "kpi_status",
        "neighbour_view",
        "odd_status",
    ]
    assert notes == []
    db, area = _Database(), Area(AREA, "Doncaster")
    assert calls_for(db.comparator_series, area) == [
        (m, (), {"metric_id": m, "area_code": AREA, "model": "2025"}) for m in MEASURES
    ]
    assert calls_for(db.headline, area) == [(AREA, (), {"area_code": AREA})]
    assert calls_for(db.kpi_status, area) == [(AREA, (), {"area_code": AREA})]
    assert calls_for(db.neighbour_view, area) == [
        (AREA, (), {"area": area, "model": "2025"})
    ]
    with pytest.raises(NotUnderstood, match="threshold"):
        calls_for(db.odd_status, area)
    assert [n for n in methods(type("Empty", (), {}))[1]] == [
        "Database has no comparator_series()",
        "Database has no headline()",
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


def test_the_sessions_row_compares_when_the_last_session_was_served():
    pages = [Page("overview", "Overview", "overview", True, "pages/overview.py")]
    results = {
        "overview": {"all_served_s": 5.0, "median_s": 4.0, "alone_s": 0.3},
        report.BARE + "overview": {"all_served_s": 4.0, "median_s": 3.0},
    }
    (r,) = report.sessions_rows(pages, results, 20)
    assert r["ratio"] == 1.25 and r["status"] == "PASS"
    assert r["section"].startswith("20 sessions opening a page at once")
    results["overview"]["all_served_s"] = 5.2
    (r,) = report.sessions_rows(pages, results, 20)
    assert r["status"] == "MISS"
    (r,) = report.sessions_rows(pages, {"overview": {"errors": ["boom"]}}, 20)
    assert r["status"] == "ERROR" and "boom" in r["error"]


@pytest.mark.slow
def test_sessions_are_served_over_streamlits_protocol(tmp_path):
    from bench.sessions import sessions_at_once
    from tests.support.servers import StreamlitServer

    pages = declared()
    counts = {p.key: {"charts": 1, "metrics": 2} for p in pages}
    shell = {"selectbox_options": [3], "toggles": 1, "buttons": 1}
    app = write_bare(tmp_path / "bare", bare_spec(pages, counts, shell))
    with StreamlitServer(app, cwd=ROOT) as server:
        result = sessions_at_once(server.url, "caseloads", "", 3)
        missing = sessions_at_once(server.url, "no-such-page", "", 1)
    assert result["errors"] == [] and result["sessions"] == 3
    assert result["all_served_s"] > 0 and result["median_s"] <= result["all_served_s"]
    # A run's messages: at least the page's chart, its two metrics and its title.
    assert result["messages"] >= 4
    assert missing["all_served_s"] is None
    assert missing["errors"] == ["RuntimeError: page not found: 'no-such-page'"]


@pytest.mark.slow
def test_sessions_are_driven_from_inside_a_running_event_loop(tmp_path):
    """As the benchmark does: Playwright's synchronous API runs a loop meanwhile."""
    import asyncio

    from bench.sessions import sessions_at_once
    from tests.support.servers import StreamlitServer

    pages = declared()
    counts = {p.key: {"charts": 0, "metrics": 1} for p in pages}
    shell = {"selectbox_options": [3], "toggles": 1, "buttons": 1}
    app = write_bare(tmp_path / "bare", bare_spec(pages, counts, shell))

    async def inside() -> dict:
        return sessions_at_once(server.url, "overview", "", 2)

    with StreamlitServer(app, cwd=ROOT) as server:
        result = asyncio.run(inside())
    assert result["errors"] == [] and result["all_served_s"] is not None


def test_peak_memory_is_the_processs_own_not_its_parents():
    """A small process started by a large one reports its own peak (ru_maxrss would
    carry the parent's across fork and exec)."""
    from bench.memory import peak_mb

    held = bytearray(400 * 2**20)
    held[:: 2**12] = b"\x01" * len(held[:: 2**12])  # touched, so resident
    assert peak_mb() > 400
    proc = subprocess.run(
        [sys.executable, "-c", "from bench.memory import peak_mb; print(peak_mb())"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    del held
    assert 0 < float(proc.stdout) < 100
