"""Command line: python -m metrics build [--db PATH]."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from metrics.build import DataError, build
from metrics.config import default_db_path


def main(argv: list[str] | None = None) -> int:
    """Run the command named on the command line and return its exit code."""
    parser = argparse.ArgumentParser(prog="python -m metrics")
    sub = parser.add_subparsers(dest="command", required=True)
    b = sub.add_parser("build", help="build the DuckDB database from data/")
    b.add_argument("--db", type=Path, default=None, help="database file to write")
    args = parser.parse_args(argv)

    if args.command == "build":
        db = args.db or default_db_path()
        try:
            result = build(
                db, progress=lambda f, m: print(f"[{f:4.0%}] {m}", file=sys.stderr)
            )
        except DataError as exc:
            print(f"error: {exc}", file=sys.stderr)
            return 2
        for severity, file, detail, count in result.report:
            print(f"{severity}: {file}: {detail} ({count} rows)")
        print(f"built {result.db_path} in {result.seconds:.2f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
