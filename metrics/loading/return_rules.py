"""The rules a monthly return's figures follow by measure: every measure's value kind,
and the council report measures' own service area rules and orderings, which are
data (data/curated/return_rules.csv and return_service_areas.csv)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from metrics.config import CURATED, DATA_DIR
from metrics.loading.checks import VALUE_KINDS
from metrics.storage import DataError, read_curated


@dataclass(frozen=True)
class ReturnRules:
    """What a return may hold: any measure, each value by its kind (metrics.units),
    with the council report measures' own service area and ordering rules."""

    kinds: dict[str, str]  # metric_id -> a key of VALUE_KINDS
    service_area_rule: dict[str, str]  # metric_id -> required | optional (listed)
    not_above: dict[str, str]  # metric_id -> the metric it may not exceed
    service_areas: tuple[str, ...]


def load_rules(
    data_dir: Path = DATA_DIR, kinds: dict[str, str] | None = None
) -> ReturnRules:
    """The return's rules: ``kinds`` is every measure's value kind (the database's
    metrics.value_kind); without it, only the council report measures are listed."""
    path = data_dir / CURATED / "return_rules.csv"
    rules = read_curated(
        path,
        {
            "metric_id": ("str", True),
            "value_kind": ("str", True),
            "service_area": ("str", True),
            "not_above": ("str", False),
        },
        data_dir,
    )
    name = path.relative_to(data_dir)
    for i, r in enumerate(rules.itertuples()):
        if r.value_kind not in VALUE_KINDS:
            raise DataError(
                name,
                rules.attrs["lines"][i],
                "value_kind",
                f"use one of {list(VALUE_KINDS)}",
            )
        if r.service_area not in ("required", "optional"):
            raise DataError(
                name,
                rules.attrs["lines"][i],
                "service_area",
                "use required or optional",
            )
        if pd.notna(r.not_above) and r.not_above not in set(rules.metric_id):
            raise DataError(
                name,
                rules.attrs["lines"][i],
                "not_above",
                "name a metric_id of this file",
            )
    areas = read_curated(
        data_dir / CURATED / "return_service_areas.csv",
        {
            "service_area": ("str", True),
            "source_id": ("str", True),
            "locator": ("str", True),
        },
        data_dir,
    )
    listed = dict(zip(rules.metric_id, rules.value_kind))
    return ReturnRules(
        kinds=listed if kinds is None else dict(kinds),
        service_area_rule=dict(zip(rules.metric_id, rules.service_area)),
        not_above={
            m: n for m, n in zip(rules.metric_id, rules.not_above) if pd.notna(n)
        },
        service_areas=tuple(areas.service_area),
    )
