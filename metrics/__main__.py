"""Command line: python -m metrics build | import FILE | template."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from metrics.build import build
from metrics.config import DATA_DIR, DEFAULT_AREA, TEMPLATE_DIR, default_db_path
from metrics.storage import DataError, build_lock


def main(argv: list[str] | None = None) -> int:
    """Run the command named on the command line and return its exit code."""
    parser = argparse.ArgumentParser(prog="python -m metrics")
    sub = parser.add_subparsers(dest="command", required=True)
    b = sub.add_parser("build", help="build the DuckDB database from data/")
    b.add_argument("--db", type=Path, default=None, help="database file to write")
    b.add_argument("--data-dir", type=Path, default=DATA_DIR, help=argparse.SUPPRESS)
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
    i.add_argument("--data-dir", type=Path, default=DATA_DIR, help=argparse.SUPPRESS)
    t = sub.add_parser("template", help="write the blank monthly return templates")
    t.add_argument("--out", type=Path, default=None, help="folder to write them to")
    args = parser.parse_args(argv)

    if args.command == "build":
        db = Path(args.db or default_db_path())
        db.parent.mkdir(parents=True, exist_ok=True)
        try:
            # The lock keeps a build and an import from swapping files at once.
            with build_lock(db):
                result = build(
                    db,
                    args.data_dir,
                    progress=lambda f, m: print(f"[{f:4.0%}] {m}", file=sys.stderr),
                )
        except DataError as exc:
            print(f"error: {exc}", file=sys.stderr)
            return 2
        for severity, file, detail, count in result.report:
            print(f"{severity}: {file}: {detail} ({count} rows)")
        print(f"built {result.db_path} in {result.seconds:.2f} s")
    elif args.command == "import":
        return _import(args)
    elif args.command == "template":
        from metrics.templates import write_templates

        for path in write_templates(args.out or TEMPLATE_DIR):
            print(f"wrote {path}")
    return 0


def _import(args: argparse.Namespace) -> int:
    from metrics import imports
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
            content, args.file.name, args.db, args.data_dir, args.area
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
        print(f"error: {exc}", file=sys.stderr)
        return 2
    if result.status == "already imported":
        _already(result.entry)
        return 0
    _changes(result.changes)
    e = result.entry
    print(
        f"imported {e.file_name} as import {e.import_id}: {e.rows_new} new, "
        f"{e.rows_revised} revised, {e.rows_unchanged} unchanged; archived as "
        f"data/{e.archive_file} ({result.seconds:.2f} s)"
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
