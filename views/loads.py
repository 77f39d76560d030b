"""What the load page says of each kind of file (metrics.loading.kinds): its purpose,
its columns, the rule each measure's values follow, and the log of files loaded."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from metrics.formatting import as_at
from metrics.loading.files import MAX_BYTES
from metrics.loading.kinds import KINDS, LoadKind
from metrics.loading.load import ImportResult
from metrics.loading.templates import measures, template_bytes
from metrics.queries import Database

# What the load page and the scorecard take from the loads as they are.
__all__ = ["KINDS", "MAX_BYTES", "template_bytes"]

NO_CHILD_DATA = (
    "No other columns are accepted: a file must never contain details of individual "
    "children (names, dates of birth or identifiers)."
)


def rules_table(db: Database, kind: str, data_dir: Path) -> pd.DataFrame:
    """Every measure a file of this kind may name and the rule its values follow."""
    table = KINDS[kind].measure_rules(measures(db), data_dir)
    return table.rename(columns={"label": "measure"})


def choices_text(kind: LoadKind, data_dir: Path) -> str | None:
    """The values a column of the kind is chosen from, as the page lists them."""
    listed_as = kind.template.choices_listed_as
    if listed_as is None:
        return None
    return f"{listed_as}: " + "; ".join(kind.rules.choices(data_dir)) + "."


def log_caption(log: pd.DataFrame) -> str:
    """What the import log holds, in a sentence."""
    if log.empty:
        return "No monthly returns or targets files have been loaded yet."
    return (
        f"{len(log)} file(s) loaded, the latest on {as_at(log.imported_at.max())}; "
        "each file is archived unchanged under data/imports/archive, named by its "
        "SHA-256."
    )


def loaded_text(result: ImportResult, kind: LoadKind) -> str:
    """What a load did, in a sentence."""
    e = result.entry
    if result.status == "already imported":
        return f"{e.file_name} was already imported (import {e.import_id})."
    return (
        f"Loaded {e.file_name} as import {e.import_id}: {e.rows_new} new, "
        f"{e.rows_revised} revised and {e.rows_unchanged} unchanged {kind.unit}."
    )
