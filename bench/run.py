"""Run every measurement of the benchmark in one go and write the results table."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path

from bench import report
from bench.pages import ROOT, PageSpec, discover
from bench.report import row
from bench.snapshot import snapshot

RESULTS = Path(__file__).with_name("results")
BARE_KEY = "bare"
FLOOR_KEY = "floor"  # bare page + pandas + an open DuckDB database (memory only)
MEMORY = "Server memory (RSS of server and children)"


@dataclass(frozen=True)
class Settings:
    """How many times each thing is measured."""

    warmups: int = 1
    repeats: int = 5  # AppTest runs per page, after the warm-up
    browser_repeats: int = 5  # browser loads per page, after the warm-up
    sessions: int = 20  # browser sessions held open for the memory figure
    cold_builds: int = 3
    unchanged_builds: int = 5
    query_calls: int = 20
    scale: bool = True  # the 10x synthetic database
    browser: bool = True

    @classmethod
    def quick(cls, browser: bool = True) -> Settings:
        """Tiny: one of each, two browser sessions, no 10x database."""
        return cls(1, 1, 1, 2, 1, 1, 5, scale=False, browser=browser)

    def text(self) -> str:
        return ", ".join(f"{k}={v}" for k, v in asdict(self).items())


@dataclass(frozen=True)
class Tree:
    """The frozen copy of the project that every measurement runs from."""

    root: Path

    @property
    def app(self) -> Path:
        return self.root / "app.py"

    @property
    def bare(self) -> Path:
        return self.root / "bench" / "bare_app.py"

    @property
    def floor(self) -> Path:
        return self.root / "bench" / "floor_app.py"

    def python(self, args: list[str], env: dict | None = None, timeout: float = 1800):
        """Run ``python -m ...`` in the copy; the completed process."""
        return subprocess.run(
            [sys.executable, "-m", *args],
            cwd=self.root,
            env={**os.environ, **(env or {})},
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )


def say(message: str) -> None:
    """Progress on stderr, so stdout carries only the table."""
    stamp = dt.datetime.now().strftime("%H:%M:%S")
    print(f"[bench {stamp}] {message}", file=sys.stderr, flush=True)


def _last_json(proc: subprocess.CompletedProcess) -> dict:
    if proc.returncode != 0:
        raise RuntimeError(proc.stderr.strip()[-1500:] or f"exit {proc.returncode}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def _median(values: list[float]) -> float | None:
    return statistics.median(values) if values else None


def _charts(n: int | None) -> str:
    return "charts: ?" if n is None else f"{n} chart{'' if n == 1 else 's'}"


# --- measurements -----------------------------------------------------------------


def bench_build(tree: Tree, tmp: Path, s: Settings) -> tuple[Path, dict]:
    """Cold builds (new file, fresh process) and unchanged checks; the first db built."""
    cold, walls, first = [], [], None
    for i in range(s.cold_builds):
        db = tmp / f"cold-{i}" / "dashboard.duckdb"
        db.parent.mkdir()
        start = time.perf_counter()
        result = _last_json(tree.python(["bench.build_worker", "cold", str(db)]))
        walls.append(time.perf_counter() - start)
        cold.append(result["seconds"])
        say(f"  cold build {i + 1}/{s.cold_builds}: {result['seconds']:.2f} s")
        if first is None:
            first = db
        else:
            db.unlink()  # keep one copy only
    unchanged, rebuilt = [], 0
    for _ in range(s.unchanged_builds):
        result = _last_json(
            tree.python(["bench.build_worker", "unchanged", str(first)])
        )
        unchanged.append(result["seconds"])
        rebuilt += bool(result["rebuilt"])
    return first, {
        "cold_s": cold,
        "cold_process_wall_s": walls,
        "unchanged_s": unchanged,
        "unchanged_rebuilt": rebuilt,
    }


def bench_apptest(
    tree: Tree,
    pages: list[PageSpec],
    dbs: dict[str, Path],
    s: Settings,
    tmp: Path,
) -> dict:
    """The bare page and every registered page against each database, interleaved.

    One fresh worker process runs them all round by round, so a change in machine
    load between the 1x and the 10x figures cannot masquerade as a scale effect.
    Result keys: ``bare``, and ``page key`` plus ``@label`` for each database.
    """
    targets = [{"key": BARE_KEY, "app": str(tree.bare), "page": None}] + [
        {
            "key": f"{p.key}@{label}",
            "app": str(tree.app),
            "page": None if p.default else p.path,
            "db": str(db),
        }
        for label, db in dbs.items()
        for p in pages
        if p.registered
    ]
    spec = tmp / "apptest.json"
    out = tmp / "apptest-out.json"
    spec.write_text(
        json.dumps({"targets": targets, "warmups": s.warmups, "repeats": s.repeats})
    )
    proc = tree.python(
        ["bench.apptest_worker", str(spec), str(out)],
        env={"DASHBOARD_DB": str(next(iter(dbs.values())))},
    )
    if proc.returncode != 0 or not out.exists():
        raise RuntimeError(proc.stderr.strip()[-1500:] or f"exit {proc.returncode}")
    return json.loads(out.read_text())["results"]


def bench_queries(tree: Tree, db: Path, s: Settings, tmp: Path, label: str) -> dict:
    """Query timings from a fresh worker process."""
    out = tmp / f"queries-{label}.json"
    proc = tree.python(["bench.query_worker", str(db), str(s.query_calls), str(out)])
    if proc.returncode != 0 or not out.exists():
        raise RuntimeError(proc.stderr.strip()[-1500:] or f"exit {proc.returncode}")
    return json.loads(out.read_text())


def bench_browser(
    tree: Tree, pages: list[PageSpec], db: Path, charts: dict, s: Settings
) -> dict:
    """Page times in Chromium against the bare server, then memory after sessions."""
    from playwright.sync_api import sync_playwright

    from bench.browser import launch, memory_sessions, time_pages
    from bench.servers import StreamlitServer

    app_env = {"DASHBOARD_DB": str(db)}
    default = next(p for p in pages if p.default)
    out: dict = {}
    with sync_playwright() as pw:
        browser = launch(pw)
        try:
            with (
                StreamlitServer(tree.bare, cwd=tree.root) as bare,
                StreamlitServer(tree.app, app_env, cwd=tree.root) as app,
            ):
                targets = [{"key": BARE_KEY, "url": f"{bare.url}/", "charts": 1}] + [
                    {
                        "key": p.key,
                        "url": f"{app.url}/{p.address}",
                        "charts": charts.get(p.key, 0),
                    }
                    for p in pages
                    if p.registered
                ]
                out["times"] = time_pages(
                    browser, targets, s.browser_repeats, s.warmups, say=say
                )
            out["memory"] = {}
            for key, script, env, n in (
                (BARE_KEY, tree.bare, None, 1),
                (FLOOR_KEY, tree.floor, app_env, 1),
                ("app", tree.app, app_env, charts.get(default.key, 0)),
            ):
                # A fresh server each, so both start from the same state.
                with StreamlitServer(script, env, cwd=tree.root) as server:
                    out["memory"][key] = memory_sessions(
                        browser, server, f"{server.url}/", n, s.sessions
                    )
                say(f"  memory of the {key} server measured")
        finally:
            browser.close()
    return out


# --- rows of the table ------------------------------------------------------------


def build_rows(b: dict) -> list[dict]:
    return [
        row(
            "Database build",
            f"cold: new file, fresh process (median of {len(b['cold_s'])})",
            _median(b["cold_s"]),
            "s",
            limit=report.BUILD_COLD_S,
            note=f"process wall {_median(b['cold_process_wall_s']):.1f} s",
        ),
        row(
            "Database build",
            "unchanged: ensure_database on an up-to-date db, fresh process "
            f"(median of {len(b['unchanged_s'])})",
            _median(b["unchanged_s"]),
            "s",
            limit=report.BUILD_UNCHANGED_S,
            error="it rebuilt: the database did not match data/"
            if b["unchanged_rebuilt"]
            else "",
        ),
    ]


def page_rows(
    section: str,
    pages: list[PageSpec],
    results: dict,
    reference: float | None,
    reference_word: str,
    limit: float,
    note: Callable[[PageSpec, dict], str],
) -> list[dict]:
    rows = []
    for p in pages:
        r = results.get(p.key, {})
        rows.append(
            row(
                section,
                p.title,
                r.get("median_ms"),
                "ms",
                reference=reference,
                reference_label=f"{reference_word} {report._number(reference, 'ms')}",
                limit=limit,
                limit_on="ratio",
                note=note(p, r),
                error="; ".join(r.get("errors", []))[:300],
            )
        )
    return rows


def query_rows(section: str, queries: dict, one: dict | None = None) -> list[dict]:
    """Query rows: checked against the limit, or (``one`` given) against the 1x time."""
    rows = []
    for q in queries.get("rows", []):
        if one is None:
            against = {"limit": report.QUERY_MS}
        else:
            ref = one.get((q["query"], q["args"]))
            against = {
                "reference": ref,
                "reference_label": f"1× {report._number(ref, 'ms')}",
            }
        rows.append(
            row(
                section,
                f"{q['query']}({q['args']})",
                q.get("median_ms"),
                "ms",
                note=f"{q['rows']} rows" if q.get("rows") is not None else "",
                error=q.get("error", ""),
                **against,
            )
        )
    return rows


def _rss(memory: dict, key: str) -> dict[int, int]:
    """A server's RSS in bytes by number of sessions open."""
    return {int(k): v for k, v in memory.get(key, {}).get("rss", {}).items()}


def memory_rows(memory: dict, sessions: int) -> list[dict]:
    app_rss, bare_rss = _rss(memory, "app"), _rss(memory, BARE_KEY)
    errors = "; ".join(memory.get("app", {}).get("errors", []))[:300]
    rows = []
    for n in sorted({1, sessions}):
        app_mb = app_rss[n] / 2**20 if n in app_rss else None
        bare_mb = bare_rss[n] / 2**20 if n in bare_rss else None
        rows.append(
            row(
                MEMORY,
                f"after {n} browser session{'s' if n > 1 else ''} (overview)",
                app_mb,
                "MB",
                reference=bare_mb,
                reference_label=f"bare server {report._number(bare_mb, 'MB')}",
                limit=report.MEMORY_RATIO if n == sessions else None,
                limit_on="ratio",
                error=errors,
            )
        )
    floor_rss = {int(k): v for k, v in memory.get(FLOOR_KEY, {}).get("rss", {}).items()}
    if sessions in floor_rss:
        floor_mb = floor_rss[sessions] / 2**20
        rows.append(
            row(
                MEMORY,
                f"floor after {sessions} sessions: bare page + pandas + open DuckDB "
                "database, one query (bench/floor_app.py; informational)",
                floor_mb,
                "MB",
                reference=bare_rss[sessions] / 2**20 if sessions in bare_rss else None,
                reference_label="bare server",
            )
        )
        if sessions in app_rss:
            rows.append(
                row(
                    MEMORY,
                    f"dashboard against the floor, after {sessions} sessions "
                    "(informational)",
                    app_rss[sessions] / 2**20,
                    "MB",
                    reference=floor_mb,
                    reference_label=f"floor {report._number(floor_mb, 'MB')}",
                )
            )
    if sessions > 1 and {1, sessions} <= set(app_rss) & set(bare_rss):
        app_per, bare_per = (
            (r[sessions] - r[1]) / (sessions - 1) / 2**20 for r in (app_rss, bare_rss)
        )
        rows.append(
            row(
                MEMORY,
                "growth per extra session",
                app_per,
                "MB",
                reference_label=f"bare server {bare_per:.1f} MB",
            )
        )
    return rows


# --- the run ----------------------------------------------------------------------


def _versions() -> str:
    import duckdb
    import pandas
    import plotly
    import streamlit

    return (
        f"Python {platform.python_version()}, Streamlit {streamlit.__version__}, "
        f"plotly {plotly.__version__}, pandas {pandas.__version__}, "
        f"DuckDB {duckdb.__version__}"
    )


def _git_head() -> str:
    # Read-only: which commit the working tree was on, and whether it had edits.
    try:
        head = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"],
            cwd=ROOT, capture_output=True, text=True, timeout=10, check=False,
        ).stdout.strip()  # fmt: skip
        dirty = subprocess.run(
            ["git", "status", "--porcelain", "--untracked-files=no"],
            cwd=ROOT, capture_output=True, text=True, timeout=10, check=False,
        ).stdout.strip()  # fmt: skip
    except (OSError, subprocess.SubprocessError):
        return "unknown"
    return f"{head} plus uncommitted edits" if dirty else head


def run(s: Settings) -> tuple[list[dict], dict, dict]:
    """Measure everything the settings ask for; (rows, meta, raw figures)."""
    started = time.perf_counter()
    meta = {
        "started_at": dt.datetime.now().astimezone().isoformat(timespec="seconds"),
        "host": f"{platform.node() or 'host'}, {os.cpu_count()} CPUs, load "
        f"{os.getloadavg()[0]:.1f}",
        "versions": _versions(),
        "git": _git_head(),
        "settings": asdict(s),
        "settings_text": s.text(),
        "notes": [],
    }
    notes = meta["notes"]
    raw: dict = {}
    rows: list[dict] = []

    with tempfile.TemporaryDirectory(prefix="dashboard-bench-") as tmp_name:
        tmp = Path(tmp_name)
        tree = Tree(snapshot(ROOT, tmp / "tree"))
        pages = discover(tree.app)
        registered = [p for p in pages if p.registered]
        raw["pages"] = [p.as_dict() for p in pages]
        for p in pages:
            if not p.registered:
                notes.append(f"{p.path} is in pages/ but not in app.py: not measured")
        say(f"pages: {', '.join(p.title for p in registered)}")

        # 1. Database build.
        say("database build: cold (fresh process, new file) and unchanged")
        try:
            db1, raw["build"] = bench_build(tree, tmp, s)
        except Exception as exc:  # noqa: BLE001 (nothing else can run without it)
            rows.append(row("Database build", "cold", None, "s", error=str(exc)))
            meta["duration_s"] = time.perf_counter() - started
            return rows, meta, raw
        rows += build_rows(raw["build"])

        # 2. The SYNTHETIC 10x database.
        dbs = {"1x": db1}
        if s.scale:
            from bench.synthetic import FILE_NAME, make_synthetic

            say("10x: synthetic database (LAIT observations replicated)")
            synthetic = tmp / "synthetic" / FILE_NAME
            synthetic.parent.mkdir()
            try:
                raw["synthetic"] = make_synthetic(db1, synthetic)
                dbs["10x"] = synthetic
            except Exception as exc:  # noqa: BLE001
                notes.append(f"10x synthetic database failed: {exc}")

        # 3. AppTest: the bare page, every page at 1x and at 10x, interleaved.
        say(f"AppTest: bare page and every page at {' and '.join(dbs)}")
        results: dict = {}
        try:
            results = bench_apptest(tree, pages, dbs, s, tmp)
        except Exception as exc:  # noqa: BLE001
            notes.append(f"AppTest failed: {exc}")
        apptest = {
            k.removesuffix("@1x"): v
            for k, v in results.items()
            if "@" not in k or k.endswith("@1x")
        }
        raw["apptest_1x"] = apptest
        raw["apptest_10x"] = {
            k.removesuffix("@10x"): v for k, v in results.items() if k.endswith("@10x")
        }
        bare_ms = apptest.get(BARE_KEY, {}).get("median_ms")
        section = f"AppTest page run (warm, median of {s.repeats})"
        rows.append(row(section, "Bare page (bench/bare_app.py)", bare_ms, "ms"))
        rows += page_rows(
            section,
            registered,
            apptest,
            bare_ms,
            "bare",
            report.PAGE_RATIO,
            lambda p, r: _charts(r.get("charts")),
        )
        charts = {k: v.get("charts", 0) for k, v in apptest.items()}

        # 4. Queries at 1x (and 10x).
        say(f"queries at {' and '.join(dbs)}")
        for label, db in dbs.items():
            try:
                raw[f"queries_{label}"] = bench_queries(tree, db, s, tmp, label)
            except Exception as exc:  # noqa: BLE001
                raw[f"queries_{label}"] = {"rows": [], "notes": [f"failed: {exc}"]}
        notes.extend(raw["queries_1x"]["notes"])
        rows += query_rows(
            f"Query (median of {s.query_calls} calls)", raw["queries_1x"]
        )
        if s.scale:
            rows += scale_rows(registered, s, raw, notes, dbs.get("10x"))
        else:
            notes.append("10× synthetic data: skipped (--quick)")

        # 5. Browser.
        if s.browser:
            say("browser: page times and server memory")
            try:
                raw["browser"] = bench_browser(tree, pages, db1, charts, s)
            except Exception as exc:  # noqa: BLE001
                raw["browser"] = {}
                notes.append(f"browser measurement failed: {exc}")
            times = raw["browser"].get("times", {})
            bare_b = times.get(BARE_KEY, {}).get("median_ms")
            section = (
                f"Browser: navigation to charts visible (median of "
                f"{s.browser_repeats}, fresh context)"
            )
            rows.append(row(section, "Bare page (own server)", bare_b, "ms"))
            rows += page_rows(
                section,
                registered,
                times,
                bare_b,
                "bare",
                report.PAGE_RATIO,
                lambda p, r: (
                    "until "
                    + (_charts(charts[p.key]) if charts.get(p.key) else "heading")
                    + " visible"
                ),
            )
            rows += memory_rows(raw["browser"].get("memory", {}), s.sessions)
        else:
            notes.append("browser times and server memory: skipped (--skip-browser)")

    notes.append(
        "Measured on a copy of the working tree taken at the start (edits made "
        "during the run do not reach it)."
    )
    notes.append(
        "AppTest figure: the run that renders the page in a fresh AppTest session "
        "(the default page: its first run; others: the run after switch_page). Two "
        "harness costs a server does not pay per run are shared across AppTests in "
        "the worker: component discovery (~0.3 s per AppTest) and script bytecode "
        "(AppTest compiles app.py and the page afresh for every session; a server "
        "compiles each once)."
    )
    meta["duration_s"] = time.perf_counter() - started
    meta["host"] += f" (load {os.getloadavg()[0]:.1f} at the end)"
    return rows, meta, raw


def scale_rows(
    registered: list[PageSpec],
    s: Settings,
    raw: dict,
    notes: list[str],
    synthetic: Path | None,
) -> list[dict]:
    """Pages and queries against the SYNTHETIC 10x database; ratio to 1x."""
    from bench.synthetic import is_synthetic

    scale10 = raw.get("apptest_10x", {})
    if synthetic is not None and not is_synthetic(synthetic):
        scale10 = {}
        notes.append("the synthetic database lost its label: 10x figures dropped")
    syn = raw.get("synthetic", {})
    one = raw.get("apptest_1x", {})
    rows = []
    for p in registered:
        r10 = scale10.get(p.key, {})
        ref = one.get(p.key, {}).get("median_ms")
        rows.append(
            row(
                f"10× data, SYNTHETIC ({syn.get('lait_rows', 0):,} LAIT rows): "
                f"AppTest page run (warm, median of {s.repeats})",
                p.title,
                r10.get("median_ms"),
                "ms",
                reference=ref,
                reference_label=f"1× {report._number(ref, 'ms')}",
                limit=report.SCALE_RATIO,
                limit_on="ratio",
                error="; ".join(r10.get("errors", []))[:300],
            )
        )
    ones = {
        (q["query"], q["args"]): q.get("median_ms")
        for q in raw.get("queries_1x", {}).get("rows", [])
    }
    rows += query_rows(
        "Query at 10× SYNTHETIC (informational)", raw.get("queries_10x", {}), ones
    )
    return rows


def out_path(value: str | None) -> Path:
    """The Markdown file to write: PATH itself if it ends .md/.json, else PATH/latest.md."""
    if not value:
        return RESULTS / "latest.md"
    path = Path(value)
    if path.suffix in (".md", ".json"):
        return path.with_suffix(".md")
    return path / "latest.md"


def main(argv: list[str] | None = None) -> int:
    """Command line entry point of ``python -m bench``."""
    parser = argparse.ArgumentParser(
        prog="python -m bench",
        description="Measure every page against a bare Streamlit page, the database "
        "build, the queries, 10x synthetic data and server memory; print the table "
        "and write it to bench/results/latest.md and latest.json.",
    )
    parser.add_argument(
        "--quick",
        action="store_true",
        help="tiny run: 1 repeat, 2 browser sessions, no 10x data",
    )
    parser.add_argument(
        "--skip-browser",
        action="store_true",
        help="no Chromium: skip browser times and server memory",
    )
    parser.add_argument(
        "--out",
        default=None,
        help="folder for latest.md/.json, or a .md file (its .json goes beside it)",
    )
    args = parser.parse_args(argv)
    browser = not args.skip_browser
    settings = Settings.quick(browser) if args.quick else Settings(browser=browser)
    rows, meta, raw = run(settings)
    md, js = report.write(rows, meta, raw, out_path(args.out))
    print(report.markdown(rows, meta))
    say(f"wrote {md} and {js}")
    return 1 if any(r["status"] == "ERROR" for r in rows) else 0
