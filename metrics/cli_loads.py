"""The command line's loads: python -m metrics import FILE | targets FILE."""

from __future__ import annotations

import argparse
import sys

import pandas as pd

from metrics import imports
from metrics.import_log import LogEntry, os_user
from metrics.loads import FORMATS
from metrics.serving import BuildFailure
from metrics.storage import DataError
from metrics.uploads import MAX_BYTES, FileRejected, too_large

UNITS = {"monthly return": "figures", "targets": "checkpoints"}


def load(args: argparse.Namespace, kind: str) -> int:
    """Check and load (or with --dry-run, only check) one file; the exit status."""
    fmt, unit = FORMATS[kind], UNITS[kind]
    try:
        size = args.file.stat().st_size
        with open(args.file, "rb") as handle:
            content = handle.read(MAX_BYTES + 1)
    except OSError as exc:
        print(f"error: {args.file}: cannot be read ({exc.strerror})", file=sys.stderr)
        return 2
    try:
        if size > MAX_BYTES:
            raise too_large(args.file.name, size)
        if args.dry_run:
            preview = imports.dry_run(
                content, args.file.name, args.db, args.data_dir, args.area, kind
            )
            if preview.rejected:
                raise preview.rejected
            if preview.earlier:
                _already(preview.earlier)
                return 0
            _changes(preview.changes, kind)
            print(
                f"dry run: {args.file.name} would load {preview.count('new')} new, "
                f"{preview.count('revised')} revised and {preview.count('unchanged')} "
                f"unchanged {unit}; nothing was written"
            )
            return 0
        result = imports.load_file(
            fmt,
            content,
            args.file.name,
            args.db,
            args.data_dir,
            args.area,
            loaded_by=os_user(),
        )
    except FileRejected as exc:
        for problem in exc.problems:
            print(f"error: {problem}", file=sys.stderr)
        print(
            f"rejected: {args.file.name} broke {len(exc.problems)} rule(s); nothing "
            "was loaded",
            file=sys.stderr,
        )
        return 2
    except DataError as exc:
        failure = BuildFailure.of(exc)
        print(f"error: {failure.problem}; nothing was loaded", file=sys.stderr)
        print(f"fix: {failure.fix}", file=sys.stderr)
        return 2
    if result.status == "already imported":
        _already(result.entry)
        return 0
    _changes(result.changes, kind)
    e = result.entry
    print(
        f"imported {e.file_name} as import {e.import_id}: {e.rows_new} new, "
        f"{e.rows_revised} revised, {e.rows_unchanged} unchanged {unit}; loaded by "
        f"{e.loaded_by}; archived as data/{e.archive_file} ({result.seconds:.2f} s)"
    )
    return 0


def _already(entry: LogEntry) -> None:
    print(
        f"already imported: the same file was loaded as import {entry.import_id} "
        f"({entry.file_name}, {entry.imported_at:%Y-%m-%d %H:%M} UTC); nothing changed"
    )


def _changes(changes: pd.DataFrame, kind: str) -> None:
    for c in changes.itertuples():
        if kind == "targets":
            where = f"row {c.row}: {c.metric_id}, {c.area_code}, due {c.due}"
            old, new = c.previous_target, c.target
            suffix = f" ({c.direction})"
        else:
            where = f"row {c.row}: {c.metric_id}"
            if isinstance(c.service_area, str):
                where += f" ({c.service_area})"
            where += f", {c.area_code}, {c.period_end}"
            old, new, suffix = c.previous_value, c.value, ""
        if c.status == "revised":
            print(f"revised  {where}: {old:g} -> {new:g}{suffix}")
        else:
            print(f"{c.status:<8} {where}: {new:g}{suffix}")
