"""When a board pack was prepared, per area: an aggregate event (area, format, time;
never who), kept in ``packs.csv`` beside the database, so the overview's "since the
last meeting" can start from the last pack a board was given."""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

PACK_LOG = "packs.csv"
FIELDS = ("prepared_at", "area_code", "format")


def log_path(db_path: Path | str) -> Path:
    """The pack log of a database: packs.csv in its folder (the data folder)."""
    return Path(db_path).parent / PACK_LOG


def record_prepared(
    db_path: Path | str, area_code: str, fmt: str, when: dt.datetime | None = None
) -> None:
    """Add one row: a pack for ``area_code`` prepared now (UTC) in ``fmt``."""
    path = log_path(db_path)
    when = when or dt.datetime.now(dt.UTC).replace(tzinfo=None, microsecond=0)
    new = not path.exists()
    # One short appended line: packs prepared at once never interleave within a row.
    with path.open("a", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        if new:
            writer.writerow(FIELDS)
        writer.writerow([when.isoformat(timespec="seconds"), area_code, fmt])


def last_prepared(
    db_path: Path | str, area_code: str, before: dt.date | None = None
) -> dt.datetime | None:
    """When the last pack for an area was prepared on a day before ``before``
    (default: any day), or None; a row that cannot be read is passed over."""
    path = log_path(db_path)
    if not path.exists():
        return None
    latest = None
    with path.open(newline="", encoding="utf-8") as rows:
        for row in csv.DictReader(rows):
            try:
                when = dt.datetime.fromisoformat(row["prepared_at"])
            except (KeyError, TypeError, ValueError):
                continue
            if row.get("area_code") != area_code:
                continue
            if before is not None and when.date() >= before:
                continue
            if latest is None or when > latest:
                latest = when
    return latest
