"""Command line: python -m metrics build | import FILE | template."""

from __future__ import annotations

import argparse
import sys
import traceback
from pathlib import Path

from metrics.build import BuildFailure, build, built_at, ensure_database
from metrics.config import (
    DEFAULT_AREA,
    TEMPLATE_DIR,
    default_data_dir,
    default_db_path,
)
from metrics.storage import DataError, build_lock


def main(argv: list[str] | None = None) -> int:
    """Run the command named on the command line and return its exit code."""
    parser = argparse.ArgumentParser(prog="python -m metrics")
    sub = parser.add_subparsers(dest="command", required=True)
    b = sub.add_parser("build", help="build the DuckDB database from data/")
    b.add_argument("--db", type=Path, default=None, help="database file to write")
    b.add_argument(
        "--data-dir", type=Path, default=default_data_dir(), help=argparse.SUPPRESS
    )
    b.add_argument(
        "--debug", action="store_true", help="show the traceback of a failed build"
    )
    b.add_argument(
        "--if-needed",
        action="store_true",
        help="build only if the data files changed since the database was built",
    )
    i = sub.add_parser(
        "import",
        help="load a monthly return (CSV or XLSX) all or nothing",
        description="Validate a monthly return and load it whole, or reject it and "
        "change nothing (exit code 2). See docs/MONTHLY_RETURNS.md.",
    )
    i.add_argument("file", type=Path, help="the return, .csv or .xlsx")
    i.add_argument("--db", type=Path, default=None, help="database file to update")
    i.add_argument(
        "--dry-run", action="store_true", help="validate and show changes only"
    )
    i.add_argument(
        "--area",
        default=DEFAULT_AREA,
        help=f"ONS code for rows without an area_code (default {DEFAULT_AREA})",
    )
    i.add_argument(
        "--data-dir", type=Path, default=default_data_dir(), help=argparse.SUPPRESS
    )
    t = sub.add_parser("template", help="write the blank monthly return templates")
    t.add_argument("--out", type=Path, default=None, help="folder to write them to")
    args = parser.parse_args(argv)

    if args.command == "build":
        return _build(args)
    elif args.command == "import":
        return _import(args)
    elif args.command == "template":
        from metrics.templates import write_templates

        for path in write_templates(args.out or TEMPLATE_DIR):
            print(f"wrote {path}")
    return 0


def _build(args: argparse.Namespace) -> int:
    """Build the database; on failure say what is wrong and what to do, in two lines."""
    db = Path(args.db or default_db_path())
    db.parent.mkdir(parents=True, exist_ok=True)
    # Progress lines only for a person watching: a log or a test reads the outcome.
    progress = None
    if sys.stderr.isatty():
        progress = lambda f, m: print(f"[{f:4.0%}] {m}", file=sys.stderr)  # noqa: E731
    try:
        # The lock keeps a build and an import from swapping files at once.
        if args.if_needed:
            result = ensure_database(db, args.data_dir, progress=progress)
            if not result.rebuilt:
                print(f"{db} is up to date with the data files")
                return 0
        else:
            with build_lock(db):
                result = build(db, args.data_dir, progress=progress)
    except Exception as exc:
        if args.debug:
            traceback.print_exc()
        _failed(BuildFailure.of(exc), db)
        return 2 if isinstance(exc, DataError) else 1
    for severity, file, detail, count in result.report:
        print(f"{severity}: {file}: {detail} ({count} rows)")
    print(f"built {result.db_path} in {result.seconds:.2f} s")
    return 0


def _failed(failure: BuildFailure, db: Path) -> None:
    """The two lines a failed build prints: what is wrong, and what to do."""
    when = built_at(db)
    kept = (
        f"the last good database, built {when}, is unchanged"
        if when
        else "no database has been built yet"
    )
    print(f"error: {failure.problem}; {kept}", file=sys.stderr)
    again = ", then run `python -m metrics build` again" if failure.file else ""
    print(f"fix: {failure.fix}{again}", file=sys.stderr)


def _import(args: argparse.Namespace) -> int:
    from metrics import imports
    from metrics.import_log import os_user
    from metrics.uploads import MAX_BYTES, FileRejected, too_large

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
                content, args.file.name, args.db, args.data_dir, args.area
            )
            if preview.rejected:
                raise preview.rejected
            if preview.earlier:
                _already(preview.earlier)
                return 0
            _changes(preview.changes)
            print(
                f"dry run: {args.file.name} would load {preview.count('new')} new, "
                f"{preview.count('revised')} revised and {preview.count('unchanged')} "
                "unchanged figures; nothing was written"
            )
            return 0
        result = imports.import_return(
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
    _changes(result.changes)
    e = result.entry
    print(
        f"imported {e.file_name} as import {e.import_id}: {e.rows_new} new, "
        f"{e.rows_revised} revised, {e.rows_unchanged} unchanged; loaded by "
        f"{e.loaded_by}; archived as data/{e.archive_file} ({result.seconds:.2f} s)"
    )
    return 0


def _already(entry) -> None:
    print(
        f"already imported: the same file was loaded as import {entry.import_id} "
        f"({entry.file_name}, {entry.imported_at:%Y-%m-%d %H:%M} UTC); nothing changed"
    )


def _changes(changes) -> None:
    for c in changes.itertuples():
        where = f"row {c.row}: {c.metric_id}"
        if isinstance(c.service_area, str):
            where += f" ({c.service_area})"
        where += f", {c.area_code}, {c.period_end}"
        if c.status == "revised":
            print(f"revised  {where}: {c.previous_value:g} -> {c.value:g}")
        else:
            print(f"{c.status:<8} {where}: {c.value:g}")


if __name__ == "__main__":
    sys.exit(main())
