"""The command line's loads: python -m metrics COMMAND FILE, a command for each kind
of file (metrics.loading.kinds)."""

from __future__ import annotations

import argparse
import sys

import pandas as pd

from metrics.build import ensure_database
from metrics.loading.files import FileRejected, read_file
from metrics.loading.kinds import LoadKind
from metrics.loading.load import load_file, preview
from metrics.loading.log import LogEntry, os_user
from metrics.serving import BuildFailure
from metrics.storage import DataError


def load(args: argparse.Namespace, kind: LoadKind) -> int:
    """Check and load (or with --dry-run, only check) one file; the exit status."""
    try:
        content = read_file(args.file)
    except OSError as exc:
        print(f"error: {args.file}: cannot be read ({exc.strerror})", file=sys.stderr)
        return 2
    except FileRejected as exc:
        return _rejected(args.file.name, exc)
    try:
        if args.dry_run:
            return _dry_run(args, kind, content)
        result = load_file(
            kind,
            content,
            args.file.name,
            args.db,
            args.data_dir,
            args.area,
            loaded_by=os_user(),
        )
    except FileRejected as exc:
        return _rejected(args.file.name, exc)
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
        f"{e.rows_revised} revised, {e.rows_unchanged} unchanged {kind.unit}; loaded "
        f"by {e.loaded_by}; archived as data/{e.archive_file} ({result.seconds:.2f} s)"
    )
    return 0


def _dry_run(args: argparse.Namespace, kind: LoadKind, content: bytes) -> int:
    """Say what loading the file would change (the database brought up to date
    first), writing nothing else."""
    ensure_database(args.db, args.data_dir)
    seen = preview(content, args.file.name, args.db, args.data_dir, args.area, kind)
    if seen.rejected:
        raise seen.rejected
    if seen.earlier:
        _already(seen.earlier)
        return 0
    _changes(seen.changes, kind)
    print(
        f"dry run: {args.file.name} would load {seen.count('new')} new, "
        f"{seen.count('revised')} revised and {seen.count('unchanged')} "
        f"unchanged {kind.unit}; nothing was written"
    )
    return 0


def _rejected(name: str, exc: FileRejected) -> int:
    for problem in exc.problems:
        print(f"error: {problem}", file=sys.stderr)
    print(
        f"rejected: {name} broke {len(exc.problems)} rule(s); nothing was loaded",
        file=sys.stderr,
    )
    return 2


def _already(entry: LogEntry) -> None:
    print(
        f"already imported: the same file was loaded as import {entry.import_id} "
        f"({entry.file_name}, {entry.imported_at:%Y-%m-%d %H:%M} UTC); nothing changed"
    )


def _changes(changes: pd.DataFrame, kind: LoadKind) -> None:
    value = kind.form.values[0]
    for c in changes.itertuples():
        where, after = kind.rules.describe(c)
        new = getattr(c, value)
        if c.status == "revised":
            old = getattr(c, f"previous_{value}")
            print(f"revised  {where}: {old:g} -> {new:g}{after}")
        else:
            print(f"{c.status:<8} {where}: {new:g}{after}")
