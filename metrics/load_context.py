"""What a load checks a file against: the database's areas, measures, the figures
and targets already loaded, and the next import id."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import duckdb
import pandas as pd

Run = Callable[..., pd.DataFrame]


def runner(con: duckdb.DuckDBPyConnection) -> Run:
    """Run a query on a connection and return its rows as a frame."""
    return lambda sql, params=None: con.execute(sql, params or []).df()


@dataclass
class Context:
    """The database as a load finds it."""

    areas: dict[str, str]  # local authority code -> name
    kinds: dict[str, str]  # metric_id -> value kind
    polarity: dict[str, str]  # metric_id -> higher | lower | neutral
    figures: pd.DataFrame  # latest revision of every loaded figure
    targets: pd.DataFrame  # latest revision of every loaded checkpoint
    next_id: int


def context(run: Run) -> Context:
    """Read the context of a load from a connection (``run`` from runner or a
    Database's df)."""
    areas = run(
        "SELECT area_code, area_name FROM areas WHERE level = 'local authority'"
    )
    metrics = run("SELECT metric_id, value_kind, polarity FROM metrics")
    figures = run(
        """
        SELECT metric_id, area_code, period_end, service_area, value, revision
        FROM observation_revisions
        QUALIFY row_number() OVER (
            PARTITION BY metric_id, area_code, period_end, service_area
            ORDER BY revision DESC) = 1
        """
    )
    figures["period_end"] = pd.to_datetime(figures.period_end).dt.date
    targets = run(
        "SELECT area_code, metric_id, due, target, direction, revision "
        "FROM plan_targets"
    )
    targets["due"] = pd.to_datetime(targets.due).dt.date
    next_id = int(
        run("SELECT coalesce(max(import_id), 0) + 1 AS n FROM import_log").n[0]
    )
    return Context(
        areas=dict(zip(areas.area_code, areas.area_name)),
        kinds=dict(zip(metrics.metric_id, metrics.value_kind)),
        polarity=dict(zip(metrics.metric_id, metrics.polarity)),
        figures=figures,
        targets=targets,
        next_id=next_id,
    )
