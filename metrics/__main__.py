"""Command line: python -m metrics build | import FILE | targets FILE | template |
update | derive EXTRACT."""

from __future__ import annotations

import argparse
import os
import sys
import traceback
from pathlib import Path

from metrics.build import build, built_at, ensure_database
from metrics.config import (
    DB_ENV,
    DEFAULT_AREA,
    TEMPLATE_DIR,
    default_data_dir,
    default_db_path,
)
from metrics.derive import cli as derive
from metrics.loading.kinds import KINDS
from metrics.serving import BuildFailure
from metrics.storage import DataError, build_lock
from metrics.update import add_parser as add_update


def _load_parser(sub, name: str, noun: str, doc: str) -> None:
    p = sub.add_parser(
        name,
        help=f"load a {noun} (CSV or XLSX) all or nothing",
        description=f"Check a {noun} and load it whole, or reject it and change "
        f"nothing (exit code 2). See {doc}.",
    )
    p.add_argument("file", type=Path, help=f"the {noun}, .csv or .xlsx")
    p.add_argument("--db", type=Path, default=None, help="database file to update")
    p.add_argument("--dry-run", action="store_true", help="check and show changes")
    p.add_argument(
        "--area",
        default=DEFAULT_AREA,
        help=f"ONS code for rows without an area_code (default {DEFAULT_AREA})",
    )
    _data_dir(p)


def _data_dir(p) -> None:
    p.add_argument(
        "--data-dir",
        type=Path,
        default=default_data_dir(),
        help="the data folder to read and, for loads, to archive into (default: "
        "data/ of this project; a copy keeps data/ untouched)",
    )


def main(argv: list[str] | None = None) -> int:
    """Run the command named on the command line and return its exit code."""
    parser = argparse.ArgumentParser(prog="python -m metrics")
    sub = parser.add_subparsers(dest="command", required=True)
    b = sub.add_parser("build", help="build the DuckDB database from data/")
    b.add_argument("--db", type=Path, default=None, help="database file to write")
    b.add_argument(
        "--debug", action="store_true", help="show the traceback of a failed build"
    )
    b.add_argument(
        "--if-needed",
        action="store_true",
        help="build only if the data files changed since the database was built",
    )
    _data_dir(b)
    loads = {kind.command: kind for kind in KINDS.values()}
    for command, kind in loads.items():
        _load_parser(sub, command, kind.noun, kind.doc)
    _data_dir(add_update(sub))
    t = sub.add_parser("template", help="write the blank templates")
    t.add_argument("--out", type=Path, default=None, help="folder to write them to")
    t.add_argument("--db", type=Path, default=None, help="database to read")
    _data_dir(t)
    derive.add_parser(sub, _data_dir)
    args = parser.parse_args(argv)
    if args.db is None:
        args.db = _db_for(args.data_dir)

    if args.command == "build":
        return _build(args)
    elif args.command in loads:
        from metrics.loading.cli import load

        return load(args, loads[args.command])
    elif args.command == "update":
        return args.run(args)
    elif args.command == "derive":
        return derive.run(args)
    elif args.command == "template":
        from metrics.loading.templates import write_templates
        from metrics.queries import Database

        db = Database(ensure_database(args.db, args.data_dir).db_path)
        try:
            for path in write_templates(db, args.out or TEMPLATE_DIR, args.data_dir):
                print(f"wrote {path}")
        finally:
            db.close()
    return 0


def _build(args: argparse.Namespace) -> int:
    """Build the database; on failure say what is wrong and what to do, in two lines."""
    db = args.db
    db.parent.mkdir(parents=True, exist_ok=True)
    # Progress lines only for a person watching: a log or a test reads the outcome.
    progress = None
    if sys.stderr.isatty():
        progress = lambda f, m: print(f"[{f:4.0%}] {m}", file=sys.stderr)  # noqa: E731
    try:
        if args.if_needed:
            result = ensure_database(db, args.data_dir, progress=progress)
            if not result.rebuilt:
                print(f"{db} is up to date with the data files")
                return 0
        else:
            # The lock keeps a build and an import from swapping files at once.
            with build_lock(db):
                result = build(db, args.data_dir, progress=progress)
    except Exception as exc:
        if args.debug:
            traceback.print_exc()
        _failed(BuildFailure.of(exc), db)
        return 2 if isinstance(exc, DataError) else 1
    for severity, file, detail, count in result.report:
        print(f"{severity}: {file}: {detail} ({count} rows)")
    for line in result.changes:
        print(line)
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


def _db_for(data_dir: Path) -> Path:
    """The default database: $DASHBOARD_DB, else beside a --data-dir other than the
    default data folder, else the default database."""
    given = Path(data_dir).resolve() != default_data_dir().resolve()
    if given and not os.environ.get(DB_ENV):
        return Path(data_dir) / "dashboard.duckdb"
    return default_db_path()


if __name__ == "__main__":
    sys.exit(main())
