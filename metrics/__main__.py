"""Command line: python -m metrics build | import FILE | targets FILE | template."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from metrics.build import build
from metrics.config import DATA_DIR, DEFAULT_AREA, TEMPLATE_DIR, default_db_path
from metrics.storage import DataError, build_lock


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
        default=DATA_DIR,
        help="the data folder to read and, for loads, to archive into (default: "
        "data/ of this project; a copy keeps data/ untouched)",
    )


def main(argv: list[str] | None = None) -> int:
    """Run the command named on the command line and return its exit code."""
    parser = argparse.ArgumentParser(prog="python -m metrics")
    sub = parser.add_subparsers(dest="command", required=True)
    b = sub.add_parser("build", help="build the DuckDB database from data/")
    b.add_argument("--db", type=Path, default=None, help="database file to write")
    _data_dir(b)
    _load_parser(sub, "import", "monthly return", "docs/MONTHLY_RETURNS.md")
    _load_parser(sub, "targets", "targets file", "docs/TARGETS.md")
    t = sub.add_parser("template", help="write the blank templates")
    t.add_argument("--out", type=Path, default=None, help="folder to write them to")
    t.add_argument("--db", type=Path, default=None, help="database to read")
    _data_dir(t)
    args = parser.parse_args(argv)
    if args.db is None:
        args.db = _db_for(args.data_dir)

    if args.command == "build":
        args.db.parent.mkdir(parents=True, exist_ok=True)
        try:
            # The lock keeps a build and an import from swapping files at once.
            with build_lock(args.db):
                result = build(
                    args.db,
                    args.data_dir,
                    progress=lambda f, m: print(f"[{f:4.0%}] {m}", file=sys.stderr),
                )
        except DataError as exc:
            print(f"error: {exc}", file=sys.stderr)
            return 2
        for severity, file, detail, count in result.report:
            print(f"{severity}: {file}: {detail} ({count} rows)")
        for line in result.changes:
            print(line)
        print(f"built {result.db_path} in {result.seconds:.2f} s")
    elif args.command in ("import", "targets"):
        from metrics.cli_loads import load

        return load(args, "targets" if args.command == "targets" else "monthly return")
    elif args.command == "template":
        from metrics.build import ensure_database
        from metrics.queries import Database
        from metrics.templates import write_templates

        db = Database(ensure_database(args.db, args.data_dir).db_path)
        try:
            for path in write_templates(db, args.out or TEMPLATE_DIR, args.data_dir):
                print(f"wrote {path}")
        finally:
            db.close()
    return 0


def _db_for(data_dir: Path) -> Path:
    """The default database: $DASHBOARD_DB, or beside a data folder other than ours."""
    if Path(data_dir).resolve() != DATA_DIR.resolve():
        return Path(data_dir) / "dashboard.duckdb"
    return default_db_path()


if __name__ == "__main__":
    sys.exit(main())
