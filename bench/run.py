"""Run every measurement of the benchmark in one go and write the results table."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass
from pathlib import Path

from bench import report
from bench.pages import (
    ROOT,
    SHELL,
    Page,
    bare_file,
    bare_spec,
    write_bare,
    write_shell,
)
from bench.report import BARE, row
from bench.snapshot import Tree, load_example_plan, snapshot
from metrics.config import add_data_dir, data_dir

RESULTS = Path(__file__).with_name("results")


@dataclass(frozen=True)
class Settings:
    """How many times each thing is measured."""

    warmups: int = 1
    repeats: int = 9  # AppTest runs per page and bare page, after the warm-up
    browser_repeats: int = 5  # browser loads per page and bare page, after warm-up
    sessions: int = 20  # browser sessions held open for the memory figure
    cold_builds: int = 3
    unchanged_builds: int = 5
    query_calls: int = 20
    scale: bool = True  # the 10x synthetic database
    browser: bool = True
    extract_children: int = 30_000  # the SYNTHETIC CIN census extract derived from

    @classmethod
    def quick(cls, browser: bool = True) -> Settings:
        """Tiny: one of each, two browser sessions, no 10x database."""
        return cls(1, 1, 1, 2, 1, 1, 5, False, browser, extract_children=3_000)

    def text(self) -> str:
        return ", ".join(f"{k}={v}" for k, v in asdict(self).items())


def say(message: str) -> None:
    """Progress on stderr, so stdout carries only the table."""
    stamp = dt.datetime.now().strftime("%H:%M:%S")
    print(f"[bench {stamp}] {message}", file=sys.stderr, flush=True)


def _last_json(proc: subprocess.CompletedProcess) -> dict:
    if proc.returncode != 0:
        raise RuntimeError(proc.stderr.strip()[-1500:] or f"exit {proc.returncode}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


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
    pages: list[Page],
    dbs: dict[str, Path],
    apps: dict,
    s: Settings,
    charted: list[str] | None = None,
) -> dict:
    """Every page against each database and its matched bare page, interleaved.

    One fresh worker process runs them all round by round, so a change in machine
    load between the 1x and the 10x figures cannot masquerade as a scale effect.
    Result keys: ``page key@label`` for each database, ``bare/page key``,
    ``charts/page key`` for each page in ``charted`` (its own charts alone), and
    ``shell``, ``bare/shell`` for the two shells around an empty default page.
    """
    bare, default = apps["bare"], next(p for p in pages if p.default)
    charted = set(charted or ())
    db1 = str(next(iter(dbs.values())))
    targets = [
        {
            "key": report.SHELL,
            "app": str(apps["shell"]),
            "file": default.file,
            "db": db1,
        },
        {
            "key": BARE + report.SHELL,
            "app": str(apps["bare_shell"]),
            "file": bare_file(default.key),
        },
    ]
    for p in pages:
        targets += [
            {
                "key": f"{p.key}@{label}",
                "app": str(tree.app),
                "file": p.file,
                "db": str(db),
            }
            for label, db in dbs.items()
        ]
        targets.append(
            {"key": BARE + p.key, "app": str(bare), "file": bare_file(p.key)}
        )
        if p.key in charted:
            # The page's own charts with nothing of the dashboard around them.
            targets.append(
                {
                    "key": report.CHARTS + p.key,
                    "app": str(apps["charts"]),
                    "file": bare_file(p.key),
                }
            )
    spec = bare.parent / "apptest.json"
    spec.write_text(
        json.dumps({"targets": targets, "warmups": s.warmups, "repeats": s.repeats})
    )
    out = tree.worker(
        ["bench.apptest_worker", "time", str(spec)], bare.parent / "apptest-out.json"
    )
    return out["results"]


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


def _load() -> str:
    one, five, fifteen = os.getloadavg()
    return f"{one:.1f} / {five:.1f} / {fifteen:.1f}"


NOTES = [
    "Measured on a copy of the working tree taken at the start (edits made during "
    "the run do not reach it).",
    "Pages: every page in views.pages.PAGES, opened at /url_path. Each is compared "
    "with a matched bare page (bench/bare_app.py, bench/bare_page.py): the same "
    "number of Plotly charts (100-point lines, built and sent on every run) and "
    "st.metric elements as the page showed for Doncaster, in the same shell "
    "(st.navigation over the same pages, the sidebar's select box, toggle and "
    "button), served in the browser by its own Streamlit server.",
    "AppTest figure: CPU time of the worker process during the run that shows the "
    "page in a fresh session (after the session's first run, and a switch_page); "
    "the wall time is in the note. One harness cost a server does not pay per run is "
    "shared across sessions in the worker: script bytecode (AppTest compiles each "
    "script afresh on every run, 0.4-7 ms a page, in proportion to its source). "
    "'Elements in all': every element of the main area (text, tables, widgets, "
    "charts, metrics), of which the bare page matches only the charts and metrics.",
    "AppTest floor: the same dashboard router, sidebar and footer with every page "
    "replaced by its title (bench/pages.py:write_shell), against the bare shell with "
    "its pages empty.",
    "The page against its own charts alone: each page with charts against the bare "
    "shell drawing that page's own figures (the spec and Plotly config of each chart "
    "the page sent for Doncaster, built once a server and sent on every run) and its "
    "metrics: the floor those charts set, whatever the page's code does. Where a page "
    "misses its ratio to the matched bare page but sits near its charts alone, the "
    "time goes to drawing its charts (their traces, texts and shapes), not to the "
    "dashboard around them.",
]


def prepare(tmp: Path, data: Path | None = None) -> Tree:
    """The frozen copy of the project, its data/ a copy of ``data`` (the data folder:
    data_dir()), with the worked example plan loaded into it."""
    tree = Tree(snapshot(ROOT, tmp / "tree", data_dir(data)))
    say(
        "the worked example plan loaded into the copy (data/examples), unless it "
        "holds loads"
    )
    load_example_plan(tree, tmp)
    return tree


def run(s: Settings, data: Path | None = None) -> tuple[list[dict], dict, dict]:
    """Measure everything the settings ask for, on a copy of the data folder ``data``
    (default data_dir()); (rows, meta, raw figures)."""
    started = time.perf_counter()
    meta = {
        "started_at": dt.datetime.now().astimezone().isoformat(timespec="seconds"),
        "host": f"{platform.node() or 'host'}, {os.cpu_count()} CPUs, load average "
        f"(1 / 5 / 15 min) {_load()} at the start",
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
        tree = prepare(tmp, data)
        notes.append(
            "The copy measured holds the worked example of data/examples (an "
            "illustrative improvement plan and monthly return for Doncaster, loaded "
            "as an analyst would), so the scorecard and kpi_status do real work; "
            "every build replays those two loads."
        )

        # 1. Database build.
        say("database build: cold (fresh process, new file) and unchanged")
        try:
            db1, raw["build"] = bench_build(tree, tmp, s)
        except Exception as exc:  # noqa: BLE001 (nothing else can run without it)
            rows.append(row("Database build", "cold", None, "s", error=str(exc)))
            meta["duration_s"] = time.perf_counter() - started
            return rows, meta, raw
        rows += report.build_rows(raw["build"])

        # 2. The pages, what each shows, and the matched bare app.
        say("pages: what each shows (AppTest, Doncaster, the database built)")
        try:
            found = tree.worker(
                ["bench.apptest_worker", "count", str(tree.app)],
                tmp / "count.json",
                {"DASHBOARD_DB": str(db1)},
            )
        except Exception as exc:  # noqa: BLE001
            rows.append(row("Pages", "count", None, "ms", error=str(exc)[:300]))
            meta["duration_s"] = time.perf_counter() - started
            return rows, meta, raw
        pages = [Page.from_dict(p) for p in found["pages"]]
        counts, shell = found["counts"], found["shell"] or SHELL
        raw.update(pages=found["pages"], counts=counts, shell=shell)
        say(
            "pages: "
            + "; ".join(f"{p.title}: {report.content(counts[p.key])}" for p in pages)
        )
        apps = {
            "bare": write_bare(tmp / "bare", bare_spec(pages, counts, shell)),
            "floor": write_bare(
                tmp / "floor", bare_spec(pages, counts, shell, str(db1))
            ),
            "charts": write_bare(
                tmp / "charts",
                bare_spec(pages, counts, shell, figures=tmp / "figures"),
            ),
            "shell": write_shell(tmp / "shell", tree.app, pages),
            "bare_shell": write_bare(
                tmp / "bare_shell",
                bare_spec(
                    pages, {p.key: {"charts": 0, "metrics": 0} for p in pages}, shell
                ),
            ),
        }

        charted = [p.key for p in pages if counts[p.key].get("charts")]

        # 3. The SYNTHETIC 10x database.
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

        # 4. AppTest: every page at 1x (and 10x) and its matched bare page.
        say(f"AppTest: every page at {' and '.join(dbs)} and its matched bare page")
        results: dict = {}
        try:
            results = bench_apptest(tree, pages, dbs, apps, s, charted)
        except Exception as exc:  # noqa: BLE001
            notes.append(f"AppTest failed: {exc}")
        for label in dbs:
            raw[f"apptest_{label}"] = {
                k.removesuffix(f"@{label}"): v
                for k, v in results.items()
                if k.endswith(f"@{label}") or (label == "1x" and "@" not in k)
            }
        rows += report.apptest_rows(pages, raw["apptest_1x"], s.repeats)
        rows.append(report.shell_row(raw["apptest_1x"], s.repeats))
        rows += report.charts_floor_rows(
            pages, raw["apptest_1x"], s.repeats, "AppTest", "median_ms"
        )

        # 5. Queries at 1x (and 10x).
        say(f"queries at {' and '.join(dbs)}")
        for label, db in dbs.items():
            try:
                raw[f"queries_{label}"] = tree.worker(
                    ["bench.query_worker", str(db), str(s.query_calls)],
                    tmp / f"queries-{label}.json",
                )
            except Exception as exc:  # noqa: BLE001
                raw[f"queries_{label}"] = {"rows": [], "notes": [f"failed: {exc}"]}
        notes.extend(raw["queries_1x"]["notes"])
        rows += report.query_rows(
            f"Query (median of {s.query_calls} calls)", raw["queries_1x"]
        )
        if s.scale:
            rows += scale_rows(pages, s, raw, notes, dbs.get("10x"))
        else:
            notes.append("10× synthetic data: skipped (--quick)")

        # 6. A monthly return derived from a SYNTHETIC CIN census extract.
        say(f"derive: a {s.extract_children:,}-child SYNTHETIC CIN census extract")
        from bench.derive import bench_derive

        raw["derive"], found = bench_derive(tree.root, tmp, s.extract_children)
        rows += found

        # 7. Refusing SYNTHETIC small files that expand.
        say("hostile files: refusing three SYNTHETIC small files that expand")
        from bench.hostile import bench_hostile

        raw["hostile"], found = bench_hostile(tree.root, tmp, tree.root / "data", db1)
        rows += found

        # 8. Browser.
        if s.browser:
            say("browser: page times and server memory")
            try:
                from bench.browser import measure

                raw["browser"] = measure(
                    {"app": tree.app, **apps}, tree.root, db1, pages, counts, s, say
                )
            except Exception as exc:  # noqa: BLE001
                raw["browser"] = {}
                notes.append(f"browser measurement failed: {exc}")
            rows += report.browser_rows(
                pages, raw["browser"].get("times", {}), counts, s.browser_repeats
            )
            rows += report.charts_floor_rows(
                pages,
                raw["browser"].get("times", {}),
                s.browser_repeats,
                "Browser",
                "median_ms",
            )
            rows += report.sessions_rows(
                pages, raw["browser"].get("sessions", {}), s.sessions
            )
            rows += report.charts_floor_rows(
                pages,
                raw["browser"].get("sessions", {}),
                s.sessions,
                "Sessions opening a page at once",
                "all_served_s",
                "s",
            )
            default = next(p for p in pages if p.default)
            rows += report.memory_rows(
                raw["browser"].get("memory", {}), s.sessions, default.title
            )
        else:
            notes.append("browser times and server memory: skipped (--skip-browser)")

    notes.extend(NOTES)
    meta["duration_s"] = time.perf_counter() - started
    meta["host"] += f", {_load()} at the end"
    return rows, meta, raw


def scale_rows(
    pages: list[Page], s: Settings, raw: dict, notes: list[str], synthetic: Path | None
) -> list[dict]:
    """Pages and queries against the SYNTHETIC 10x database; ratio to 1x."""
    from bench.synthetic import is_synthetic

    ten = raw.get("apptest_10x", {})
    if synthetic is not None and not is_synthetic(synthetic):
        ten = {}
        notes.append("the synthetic database lost its label: 10x figures dropped")
    lait = raw.get("synthetic", {}).get("lait_rows", 0)
    rows = report.scale_rows(pages, ten, raw.get("apptest_1x", {}), s.repeats, lait)
    ones = {
        (q["query"], q["args"]): q.get("median_ms")
        for q in raw.get("queries_1x", {}).get("rows", [])
    }
    rows += report.query_rows(
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
        description="Measure every page against a matched bare Streamlit page, the "
        "database build, the queries, 10x synthetic data and server memory; print the "
        "table and write it to bench/results/latest.md and latest.json.",
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
    add_data_dir(parser)
    args = parser.parse_args(argv)
    browser = not args.skip_browser
    settings = Settings.quick(browser) if args.quick else Settings(browser=browser)
    rows, meta, raw = run(settings, args.data_dir)
    md, js = report.write(rows, meta, raw, out_path(args.out))
    print(report.markdown(rows, meta))
    say(f"wrote {md} and {js}")
    return 1 if any(r["status"] == "ERROR" for r in rows) else 0
