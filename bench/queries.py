"""Median time of the Database queries behind the pages, the explorer and targets.

Which queries: ``comparator_series`` and ``headline``, and every public method of
metrics.queries.Database whose name contains one of KEYWORDS (the explorer's ranking
and neighbour queries, the targets' and the scorecard's status queries). A new query
is measured as soon as its name says so; nothing in bench/ changes.

Its arguments are filled in by parameter name (or type): an area (``area_code``,
``area``, ``code``, ``la``..., or a parameter annotated ``Area``) is Doncaster; a
measure (``metric_id``, ``metric``, ``measure``) is each of MEASURES in turn, a
list of measures (``metric_ids``...) without a default is ``[measure]``; ``model``
is 2025. Any other parameter keeps its default; one without a default makes the
query a SKIP row that names it.
"""

from __future__ import annotations

import inspect
import statistics
import time
from pathlib import Path

CORE = ("comparator_series", "headline")
KEYWORDS = ("rank", "neighbour", "status")
MEASURES = ("Continue_Assess_Comp", "CIN", "sw_caseload_fte")
AREA = "E08000017"  # Doncaster, the default focus
MODEL = "2025"

METRIC_NAMES = {"metric_id", "metric", "measure", "measure_id"}
METRICS_NAMES = {"metric_ids", "metrics", "measures", "measure_ids"}
AREA_NAMES = {"area_code", "area", "code", "focus", "la", "la_code"}


class NotUnderstood(Exception):
    """A parameter the benchmark cannot fill in."""


def methods(database_class: type) -> tuple[list[str], list[str]]:
    """The method names to time, and notes on core queries not found."""
    names = [n for n in CORE if callable(getattr(database_class, n, None))]
    # dir(), not vars(): Database is put together from query groups (mixins).
    found = sorted(
        n
        for n in dir(database_class)
        if not n.startswith("_")
        and n not in CORE
        and any(k in n.lower() for k in KEYWORDS)
        and not isinstance(inspect.getattr_static(database_class, n), property)
        and callable(getattr(database_class, n))
    )
    notes = [f"Database has no {n}()" for n in CORE if n not in names]
    return names + found, notes


def _is_area(p: inspect.Parameter) -> bool:
    return p.name in AREA_NAMES or "Area" in str(p.annotation).split("|")[0]


def _required(p: inspect.Parameter) -> bool:
    return p.default is inspect.Parameter.empty


def calls_for(method: object, area: object = AREA) -> list[tuple[str, tuple, dict]]:
    """(label, args, kwargs) for each call of a bound method to time.

    Raises NotUnderstood naming a parameter that has no default and no known name.
    """
    params = [
        p
        for p in inspect.signature(method).parameters.values()
        if p.kind not in (p.VAR_POSITIONAL, p.VAR_KEYWORD)
    ]
    takes_metric = any(
        p.name in METRIC_NAMES or (p.name in METRICS_NAMES and _required(p))
        for p in params
    )
    calls = []
    for measure in MEASURES if takes_metric else (None,):
        args, kwargs = [], {}
        for p in params:
            if p.name in METRIC_NAMES:
                value = measure
            elif p.name in METRICS_NAMES and _required(p):
                value = [measure]
            elif _is_area(p):
                value = area if "Area" in str(p.annotation) else AREA
            elif p.name == "model":
                value = MODEL
            elif not _required(p):
                continue  # keeps its default
            else:
                raise NotUnderstood(p.name)
            if p.kind == p.POSITIONAL_ONLY:
                args.append(value)
            else:
                kwargs[p.name] = value
        calls.append((measure or AREA, tuple(args), kwargs))
    return calls


def _time(method, args: tuple, kwargs: dict, calls_each: int) -> dict:
    result = method(*args, **kwargs)  # first call: connection, plan caches
    times = []
    for _ in range(calls_each):
        start = time.perf_counter()
        method(*args, **kwargs)
        times.append((time.perf_counter() - start) * 1000)
    return {
        "median_ms": statistics.median(times),
        "max_ms": max(times),
        "calls": calls_each,
        "rows": len(result) if hasattr(result, "__len__") else None,
    }


def time_queries(db_path: Path, calls_each: int = 20) -> dict:
    """Median and max milliseconds over ``calls_each`` calls of each query, after one."""
    from metrics.areas import Area
    from metrics.queries import Database

    names, notes = methods(Database)
    db = Database(db_path)
    rows = []
    try:
        area = Area(AREA, db.area(AREA).get("area_name", AREA))
        for name in names:
            method = getattr(db, name)
            try:
                plan = calls_for(method, area)
            except NotUnderstood as exc:
                rows.append(
                    {
                        "query": name,
                        "args": "",
                        "skipped": f"not timed: parameter {exc} has no default and "
                        "no name the benchmark knows (bench/queries.py)",
                    }
                )
                continue
            for label, args, kwargs in plan:
                try:
                    timed = _time(method, args, kwargs, calls_each)
                except Exception as exc:  # noqa: BLE001 (reported in the table)
                    rows.append({"query": name, "args": label, "error": str(exc)[:300]})
                    continue
                rows.append({"query": name, "args": label, **timed})
    finally:
        db.close()
    return {"rows": rows, "notes": notes}
