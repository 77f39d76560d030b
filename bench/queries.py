"""Median time of the Database queries the pages and the benchmark explorer use."""

from __future__ import annotations

import inspect
import statistics
import time
from pathlib import Path

# Always timed; plus every Database method whose name contains one of KEYWORDS
# (the benchmark explorer's ranking and neighbour queries).
CORE = ("comparator_series", "headline")
KEYWORDS = ("rank", "neighbour")
MEASURES = ("Continue_Assess_Comp", "CIN", "sw_caseload_fte")
AREA = "E08000017"  # Doncaster, the default focus
MODEL = "2025"

METRIC_NAMES = {"metric_id", "metric", "measure", "measure_id"}
METRICS_NAMES = {"metric_ids", "metrics", "measures"}
AREA_NAMES = {"area_code", "area", "code", "focus", "la", "la_code"}


def methods(database_class: type) -> tuple[list[str], list[str]]:
    """The method names to time, and a note on what was looked for but not found."""
    names = [n for n in CORE if callable(getattr(database_class, n, None))]
    found = sorted(
        n
        for n, f in inspect.getmembers(database_class, inspect.isfunction)
        if not n.startswith("_") and any(k in n.lower() for k in KEYWORDS)
    )
    notes = [f"Database has no {n}()" for n in CORE if n not in names]
    if not any("rank" in n for n in found):
        notes.append("Database has no ranking query yet (no method name with 'rank')")
    if not any("neighbour" in n for n in found):
        notes.append(
            "Database has no neighbour query (no method name with 'neighbour')"
        )
    return names + [n for n in found if n not in names], notes


def calls_for(function: object) -> list[tuple[str, tuple]] | None:
    """(label, args) for each call to time, filled in by parameter name; None if unknown."""
    params = [p for p in inspect.signature(function).parameters.values()][1:]
    takes_metric = any(
        p.name in METRIC_NAMES
        or (p.name in METRICS_NAMES and p.default is inspect.Parameter.empty)
        for p in params
    )
    measures = MEASURES if takes_metric else (None,)
    calls = []
    for measure in measures:
        args = []
        for p in params:
            if p.kind in (p.VAR_POSITIONAL, p.VAR_KEYWORD):
                continue
            if p.name in METRIC_NAMES:
                args.append(measure)
            elif p.name in METRICS_NAMES and p.default is inspect.Parameter.empty:
                args.append([measure])
            elif p.name in AREA_NAMES:
                args.append(AREA)
            elif p.name == "model":
                args.append(MODEL)
            elif p.default is not inspect.Parameter.empty:
                break  # the rest keep their defaults
            else:
                return None
        calls.append((measure or AREA, tuple(args)))
    return calls


def time_queries(db_path: Path, calls_each: int = 20) -> dict:
    """Median and max milliseconds over ``calls_each`` calls of each query, after one."""
    from metrics.queries import Database

    names, notes = methods(Database)
    db = Database(db_path)
    rows = []
    try:
        for name in names:
            plan = calls_for(getattr(Database, name))
            if plan is None:
                notes.append(f"{name}(): parameters not understood, not timed")
                continue
            for label, args in plan:
                method = getattr(db, name)
                try:
                    result = method(*args)  # first call: connection, plan caches
                except Exception as exc:  # noqa: BLE001 (reported in the table)
                    rows.append({"query": name, "args": label, "error": str(exc)[:300]})
                    continue
                times = []
                for _ in range(calls_each):
                    start = time.perf_counter()
                    method(*args)
                    times.append((time.perf_counter() - start) * 1000)
                rows.append(
                    {
                        "query": name,
                        "args": label,
                        "median_ms": statistics.median(times),
                        "max_ms": max(times),
                        "calls": calls_each,
                        "rows": len(result) if hasattr(result, "__len__") else None,
                    }
                )
    finally:
        db.close()
    return {"rows": rows, "notes": notes}
