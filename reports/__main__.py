"""Command line: python -m reports --area CODE --out FILE (.pdf, .pptx or .docx)
[--since YYYY-MM-DD].

For a scheduled monthly pack: builds the database first if its data changed (as
the app does), then writes the focus area's board pack in the format the file's
extension names. Exit status 2 for an unknown area, extension or --since date.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path

from metrics.areas import Area
from metrics.build import ensure_database
from metrics.config import DEFAULT_AREA, default_db_path
from metrics.queries import Database
from metrics.storage import DataError, write_atomically
from reports import export
from reports.boardpack import PACK_FORMATS, BoardPackError, build_board_pack
from views.since import parse_day, since


def _say(fraction: float, message: str) -> None:
    print(f"[{fraction:4.0%}] {message}", file=sys.stderr)


def _day(text: str) -> dt.date:
    """A --since day: a date YYYY-MM-DD not after today."""
    day = parse_day(text)
    if day is None:
        raise argparse.ArgumentTypeError(
            f"{text!r} is not a date YYYY-MM-DD on or before today"
        )
    return day


def main(argv: list[str] | None = None) -> int:
    """Write the pack and return the exit status."""
    parser = argparse.ArgumentParser(
        prog="python -m reports",
        description="Write a local authority's children's social care board pack.",
    )
    parser.add_argument(
        "--area",
        default=DEFAULT_AREA,
        help=f"the local authority's ONS code (default {DEFAULT_AREA})",
    )
    parser.add_argument(
        "--out",
        type=Path,
        required=True,
        help="the file to write; its extension (.pdf, .pptx, .docx) is the format",
    )
    parser.add_argument(
        "--since",
        type=_day,
        default=None,
        help="list what changed since this day (YYYY-MM-DD); default: since the "
        "last pack prepared for the area before today, else 30 days",
    )
    parser.add_argument("--db", type=Path, default=None, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)

    fmt = args.out.suffix.lower().lstrip(".")
    if fmt not in PACK_FORMATS:
        known = ", ".join(f".{f}" for f in PACK_FORMATS)
        print(
            f"error: {args.out}: unknown extension {args.out.suffix or '(none)'!r}; "
            f"the board pack is written as {known}",
            file=sys.stderr,
        )
        return 2
    db_path = Path(args.db or default_db_path())
    try:
        ensure_database(db_path, progress=_say)
    except DataError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    db = Database(db_path)
    try:
        las = db.local_authorities()
        names = dict(zip(las.area_code, las.area_name))
        if args.area not in names:
            print(
                f"error: unknown area code {args.area!r}: not a current English "
                f"local authority (for example {DEFAULT_AREA} is "
                f"{names.get(DEFAULT_AREA, 'the default')})",
                file=sys.stderr,
            )
            return 2
        area = Area(args.area, names[args.area])
        changes = since(db, area, args.since) if args.since else None
        pack = build_board_pack(db, area, fmt, progress=_say, changes=changes)
    except BoardPackError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    finally:
        db.close()
        export.stop()
    write_atomically(args.out, pack.content)
    timing = ", ".join(f"{k} {v:.1f} s" for k, v in pack.seconds.items())
    print(
        f"wrote {args.out}: {area.name}, {len(pack.pack.charts)} charts, "
        f"{len(pack.content) / 1024:,.0f} KiB ({timing})"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
