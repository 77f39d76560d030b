"""The results table: the rows built from the raw figures, as Markdown and JSON.

Every row has a figure, what it is compared with, the ratio, the target and PASS,
MISS, ERROR, SKIP (not measured) or info (no target). The row builders take the raw
figures that bench/run.py collects (the JSON's ``raw``), so the table can be rebuilt
or tested from a fixed results dict.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

# Targets (issue #6, restated in issue #10).
PAGE_RATIO = 1.25  # every page vs its matched bare page in the browser
APPTEST_RATIO = 1.5  # every page vs its matched bare page under AppTest
SESSIONS_RATIO = 1.25  # sessions opening a page at once vs the bare page's
BUILD_COLD_S = 5.0
BUILD_UNCHANGED_S = 0.2
QUERY_MS = 30.0
SCALE_RATIO = 1.5  # page time at 10x data vs 1x
MEMORY_RATIO = 1.3  # server RSS after 20 sessions vs the floor server's
SESSION_MB = 1.0  # server RSS growth per extra session

BARE = "bare/"  # results key prefix of a page's matched bare page
SHELL = "shell"  # results key of the dashboard's shell around an empty page
CHARTS = "charts/"  # results key prefix of a page's own charts, nothing around them
MEMORY = "Server memory (RSS of server and children)"

COLUMNS = ["Measure", "Item", "Figure", "Against", "Ratio", "Target", "Result"]


def row(
    section: str,
    item: str,
    value: float | None,
    unit: str,
    *,
    reference: float | None = None,
    reference_label: str = "",
    limit: float | None = None,
    limit_on: str = "value",
    note: str = "",
    error: str = "",
) -> dict:
    """One result row; its status is computed from value, reference and limit."""
    ratio = value / reference if value is not None and reference else None
    checked = ratio if limit_on == "ratio" else value
    if error or value is None:
        status = "ERROR" if error else "SKIP"
    elif limit is None:
        status = "info"
    else:
        status = "PASS" if checked is not None and checked <= limit else "MISS"
    if limit is None:
        target = ""
    elif limit_on == "ratio":
        target = f"≤ {limit:g}×"
    else:
        target = f"≤ {limit:g} {unit}"
    return {
        "section": section,
        "item": item,
        "value": value,
        "unit": unit,
        "reference": reference,
        "reference_label": reference_label,
        "ratio": ratio,
        "limit": limit,
        "limit_on": limit_on if limit is not None else None,
        "target": target,
        "status": status,
        "note": note,
        "error": error,
    }


def number(value: float | None, unit: str) -> str:
    if value is None:
        return "—"
    if unit == "MB":
        return f"{value:,.0f} MB" if abs(value) >= 10 else f"{value:.1f} MB"
    if unit == "s":
        return f"{value:.2f} s" if value < 10 else f"{value:.1f} s"
    return f"{value:,.0f} ms" if value >= 100 else f"{value:.1f} ms"


# --- rows built from the raw figures ------------------------------------------------


def median(values: list[float]) -> float | None:
    """The median, or None for no values."""
    return statistics.median(values) if values else None


def content(shown: dict) -> str:
    """'4 charts, 0 metrics': what a page showed."""
    charts, metrics = shown.get("charts"), shown.get("metrics")
    if charts is None:
        return "charts: ?"
    return (
        f"{charts} chart{'' if charts == 1 else 's'}, "
        f"{metrics} metric{'' if metrics == 1 else 's'}"
    )


def build_rows(b: dict) -> list[dict]:
    """Cold builds and unchanged checks of the database."""
    return [
        row(
            "Database build",
            f"cold: new file, fresh process (median of {len(b['cold_s'])})",
            median(b["cold_s"]),
            "s",
            limit=BUILD_COLD_S,
            note=f"process wall {median(b['cold_process_wall_s']):.1f} s",
        ),
        row(
            "Database build",
            "unchanged: ensure_database on an up-to-date db, fresh process "
            f"(median of {len(b['unchanged_s'])})",
            median(b["unchanged_s"]),
            "s",
            limit=BUILD_UNCHANGED_S,
            error="it rebuilt: the database did not match data/"
            if b["unchanged_rebuilt"]
            else "",
        ),
    ]


def _errors(*results: dict, prefix: str = "bare page: ") -> str:
    page, *bare = results
    errors = list(page.get("errors", []))
    for r in bare:
        errors += [prefix + e for e in r.get("errors", [])]
    return "; ".join(errors)[:300]


def _elements(page: dict, bare: dict) -> str:
    return (
        f"elements in all {page.get('elements', '?')}, bare {bare.get('elements', '?')}"
    )


def against_bare(
    section: str,
    title: str,
    page: dict,
    bare: dict,
    note: str,
    error: str,
    limit: float = PAGE_RATIO,
    figure: str = "median_ms",
    unit: str = "ms",
) -> dict:
    """A page's figure (its median) against its matched bare page's, to at most
    ``limit``."""
    return row(
        section,
        title,
        page.get(figure),
        unit,
        reference=bare.get(figure),
        reference_label=f"bare {number(bare.get(figure), unit)}",
        limit=limit,
        limit_on="ratio",
        note=note,
        error=error,
    )


def apptest_rows(pages: list, results: dict, repeats: int) -> list[dict]:
    """Each page's warm AppTest run against its matched bare page's (CPU time)."""
    section = (
        "AppTest page run against its matched bare page (warm, CPU ms, median of "
        f"{repeats})"
    )
    rows = []
    for p in pages:
        r, b = results.get(p.key, {}), results.get(BARE + p.key, {})
        error = _errors(r, b)
        page_shows, bare_shows = content(r), content(b)
        if not error and page_shows != bare_shows:
            error = f"the bare page shows {bare_shows}, the page {page_shows}"
        note = (
            f"{page_shows}; {_elements(r, b)}; wall "
            f"{number(r.get('median_wall_ms'), 'ms')} against "
            f"{number(b.get('median_wall_ms'), 'ms')}"
        )
        rows.append(against_bare(section, p.title, r, b, note, error, APPTEST_RATIO))
    return rows


def sessions_rows(pages: list, results: dict, sessions: int) -> list[dict]:
    """Sessions opening each page at once, over Streamlit's protocol, against the
    same number opening its matched bare page: when the last was served."""
    section = (
        f"{sessions} sessions opening a page at once (Streamlit's websocket protocol, "
        "no browser): s until the last run finished, against the matched bare page"
    )
    rows = []
    for p in pages:
        r, b = results.get(p.key, {}), results.get(BARE + p.key, {})
        note = (
            f"median session {number(r.get('median_s'), 's')} against "
            f"{number(b.get('median_s'), 's')}; one session alone "
            f"{number(r.get('alone_s'), 's')} against {number(b.get('alone_s'), 's')}"
            f"; messages a session {r.get('messages', '?')}, bare "
            f"{b.get('messages', '?')}"
        )
        error = _errors(r, b)
        rows.append(
            against_bare(
                section, p.title, r, b, note, error, SESSIONS_RATIO, "all_served_s", "s"
            )
        )
    return rows


def shell_row(results: dict, repeats: int) -> dict:
    """The dashboard's own shell around an empty page against the bare shell's."""
    r, b = results.get(SHELL, {}), results.get(BARE + SHELL, {})
    return row(
        f"AppTest floor (warm, CPU ms, median of {repeats})",
        "the dashboard's shell (app.py, sidebar, footer) around an empty page, "
        "against the bare shell around an empty page",
        r.get("median_ms"),
        "ms",
        reference=b.get("median_ms"),
        reference_label=f"bare shell {number(b.get('median_ms'), 'ms')}",
        error=_errors(r, b),
    )


def charts_floor_rows(
    pages: list,
    results: dict,
    repeats: int,
    where: str,
    figure: str,
    unit: str = "ms",
) -> list[dict]:
    """Each page with charts against the same charts drawn alone (informational):
    how far the page is above the floor its charts set."""
    counted = f"median of {repeats}" if unit == "ms" else f"{repeats} sessions at once"
    section = (
        f"{where}: the page against its own charts alone, the floor (bench/bare_page.py "
        f"with the page's figures; {counted})"
    )
    rows = []
    for p in pages:
        r, f = results.get(p.key, {}), results.get(CHARTS + p.key)
        if f is None:
            continue
        rows.append(
            row(
                section,
                p.title,
                r.get(figure),
                unit,
                reference=f.get(figure),
                reference_label=f"its charts alone {number(f.get(figure), unit)}",
                error=_errors(r, f),
            )
        )
    return rows


def scale_rows(
    pages: list, ten: dict, one: dict, repeats: int, lait: int
) -> list[dict]:
    """Each page's AppTest run on the SYNTHETIC 10x database against the 1x run."""
    section = (
        f"10× data, SYNTHETIC ({lait:,} LAIT rows): AppTest page run (warm, CPU ms, "
        f"median of {repeats})"
    )
    rows = []
    for p in pages:
        r10, ref = ten.get(p.key, {}), one.get(p.key, {}).get("median_ms")
        rows.append(
            row(
                section,
                p.title,
                r10.get("median_ms"),
                "ms",
                reference=ref,
                reference_label=f"1× {number(ref, 'ms')}",
                limit=SCALE_RATIO,
                limit_on="ratio",
                error=_errors(r10),
            )
        )
    return rows


def query_rows(section: str, queries: dict, one: dict | None = None) -> list[dict]:
    """Query rows: checked against the limit, or (``one`` given) against the 1x time."""
    rows = []
    for q in queries.get("rows", []):
        if one is None:
            against = {"limit": QUERY_MS}
        else:
            ref = one.get((q["query"], q["args"]))
            against = {"reference": ref, "reference_label": f"1× {number(ref, 'ms')}"}
        if q.get("skipped"):
            note = q["skipped"]
        else:
            note = f"{q['rows']} rows" if q.get("rows") is not None else ""
        rows.append(
            row(
                section,
                f"{q['query']}({q['args']})",
                q.get("median_ms"),
                "ms",
                note=note,
                error=q.get("error", ""),
                **against,
            )
        )
    return rows


def browser_rows(pages: list, times: dict, counts: dict, repeats: int) -> list[dict]:
    """Each page in Chromium against its matched bare page on its own server."""
    section = (
        "Browser: navigation to charts drawn against the matched bare page (median "
        f"of {repeats}, fresh context)"
    )
    rows = []
    for p in pages:
        r, b = times.get(p.key, {}), times.get(BARE + p.key, {})
        charts = counts.get(p.key, {}).get("charts", 0)
        until = content({"charts": charts, "metrics": 0}).split(",")[0]
        note = f"until {until if charts else 'heading'} drawn"
        rows.append(against_bare(section, p.title, r, b, note, _errors(r, b)))
    return rows


def _rss_mb(memory: dict, key: str) -> dict[int, float]:
    """A server's RSS in MB by number of sessions open."""
    rss = memory.get(key, {}).get("rss", {})
    return {int(n): v / 2**20 for n, v in rss.items()}


def memory_rows(memory: dict, sessions: int, page: str) -> list[dict]:
    """The dashboard's server against the floor server; growth per session."""
    app, floor, bare = (_rss_mb(memory, k) for k in ("app", "floor", "bare"))
    errors = _errors(*(memory.get(k, {}) for k in ("app", "floor", "bare")), prefix="")
    rows = []
    for n in sorted({1, sessions}):
        rows.append(
            row(
                MEMORY,
                f"dashboard after {n} browser session{'s' if n > 1 else ''} ({page})",
                app.get(n),
                "MB",
                reference=floor.get(n),
                reference_label=f"floor server {number(floor.get(n), 'MB')}",
                limit=MEMORY_RATIO if n == sessions else None,
                limit_on="ratio",
                error=errors,
            )
        )
    rows.append(
        row(
            MEMORY,
            f"floor server after {sessions} sessions: the matched bare page plus pandas "
            "and the database open and queried (informational)",
            floor.get(sessions),
            "MB",
            reference=bare.get(sessions),
            reference_label=f"bare server {number(bare.get(sessions), 'MB')}",
        )
    )
    if sessions > 1:
        per = {
            k: (r[sessions] - r[1]) / (sessions - 1)
            if {1, sessions} <= set(r)
            else None
            for k, r in (("app", app), ("floor", floor), ("bare", bare))
        }
        rows.append(
            row(
                MEMORY,
                "dashboard: growth per extra session",
                per["app"],
                "MB",
                reference_label=f"floor {number(per['floor'], 'MB')}, bare "
                f"{number(per['bare'], 'MB')}",
                limit=SESSION_MB,
                error=errors,
            )
        )
    return rows


def markdown(rows: list[dict], meta: dict) -> str:
    """The table and its notes as Markdown."""
    lines = [
        "| " + " | ".join(COLUMNS) + " |",
        "|" + "|".join("---" for _ in COLUMNS) + "|",
    ]
    for r in rows:
        against = r["reference_label"]
        if r["reference"] is not None and not against:
            against = number(r["reference"], r["unit"])
        result = r["status"] if r["status"] != "info" else ""
        if r["error"]:
            result = f"ERROR: {r['error'][:120]}"
        cells = [
            r["section"],
            r["item"] + (f" ({r['note']})" if r["note"] else ""),
            number(r["value"], r["unit"]),
            against,
            f"{r['ratio']:.2f}×" if r["ratio"] is not None else "",
            r["target"],
            result,
        ]
        lines.append("| " + " | ".join(c.replace("|", "/") for c in cells) + " |")
    missed = [r for r in rows if r["status"] == "MISS"]
    errors = [r for r in rows if r["status"] == "ERROR"]
    lines += [
        "",
        f"{sum(r['status'] == 'PASS' for r in rows)} PASS, {len(missed)} MISS, "
        f"{len(errors)} ERROR.",
    ]
    if meta.get("notes"):
        lines += ["", "Notes:", ""] + [f"- {n}" for n in meta["notes"]]
    header = [
        f"Run {meta.get('started_at', '?')} on {meta.get('host', '?')}, "
        f"{meta.get('duration_s', 0):.0f} s; {meta.get('versions', '')}; "
        f"code {meta.get('git', '?')}.",
        f"Settings: {meta.get('settings_text', '')}.",
        "",
    ]
    return "\n".join(header + lines) + "\n"


def write(rows: list[dict], meta: dict, raw: dict, md_path: Path) -> tuple[Path, Path]:
    """Write the Markdown table and the JSON (rows, meta, raw figures) atomically."""
    md_path.parent.mkdir(parents=True, exist_ok=True)
    json_path = md_path.with_suffix(".json")
    for path, text in (
        (md_path, markdown(rows, meta)),
        (json_path, json.dumps({"meta": meta, "rows": rows, "raw": raw}, indent=1)),
    ):
        tmp = path.with_name(path.name + ".tmp")
        tmp.write_text(text, encoding="utf-8")
        os.replace(tmp, path)
    return md_path, json_path


def alone_meta(load: tuple[float, float, float], started: float, settings: str) -> dict:
    """The header of a row run alone (python -m bench.derive, bench.hostile): when,
    the machine and its load average at the start, the code, the settings."""
    head = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"],
        capture_output=True, text=True, check=False,
    ).stdout.strip()  # fmt: skip
    one, five, fifteen = load
    return {
        "started_at": dt.datetime.now().astimezone().isoformat(timespec="seconds"),
        "host": f"{os.cpu_count()} CPUs, load average (1 / 5 / 15 min) "
        f"{one:.1f} / {five:.1f} / {fifteen:.1f} at the start",
        "duration_s": time.perf_counter() - started,
        "versions": f"Python {sys.version.split()[0]}",
        "git": head or "unknown",
        "settings_text": settings,
    }
