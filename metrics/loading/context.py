"""What a load checks a file against: the database's areas and measures, the rows
of the file's kind already loaded and the next import id; the area of rows that name
none, the data folder (whose rules apply) and the day of the load."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

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
    value_kinds: dict[str, str]  # metric_id -> a key of VALUE_KINDS
    polarity: dict[str, str]  # metric_id -> higher | lower | neutral
    loaded: pd.DataFrame  # the latest revision of every row of the kind loaded
    next_id: int
    area: str  # the area of rows without an area_code
    data_dir: Path
    today: dt.date  # the day of the load (a later period is in the future)


def context(
    run: Run,
    loaded: Callable[[Run], pd.DataFrame],
    area: str,
    data_dir: Path,
    today: dt.date,
) -> Context:
    """Read the context of a load from the database (``run`` from runner or a
    Database's df; ``loaded`` the kind's query of what it has loaded)."""
    areas = run(
        "SELECT area_code, area_name FROM areas WHERE level = 'local authority'"
    )
    metrics = run("SELECT metric_id, value_kind, polarity FROM metrics")
    next_id = run("SELECT coalesce(max(import_id), 0) + 1 AS n FROM import_log").n[0]
    return Context(
        areas=dict(zip(areas.area_code, areas.area_name)),
        value_kinds=dict(zip(metrics.metric_id, metrics.value_kind)),
        polarity=dict(zip(metrics.metric_id, metrics.polarity)),
        loaded=loaded(run),
        next_id=int(next_id),
        area=area,
        data_dir=Path(data_dir),
        today=today,
    )
