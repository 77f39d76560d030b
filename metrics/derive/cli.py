"""The command line's derive: a monthly return computed from a CIN census extract.

python -m metrics derive EXTRACT.xml --period-end YYYY-MM-DD
    [--window month|year-to-date] [--area CODE] --out RETURN.csv [--load]

Only aggregates leave this module: the return's rows, and messages that place a
problem by line and element, never by a child's identifier, dates or other values.
Any problem writes nothing and exits 2 with one message.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import os
import sys
from collections.abc import Callable
from pathlib import Path

from metrics.build import ensure_database
from metrics.derive.extract import ROOT, Extract, ExtractError, Header
from metrics.derive.measures import MONTH, WINDOWS, Figure, Window, day_text, tally
from metrics.loading.kinds import MONTHLY_RETURN
from metrics.queries import Database
from metrics.serving import BuildFailure
from metrics.storage import DataError

# The template's columns, then the area, so the return lands on the extract's area
# wherever it is loaded (a row's area_code wins over the page's or --area's).
COLUMNS = [*MONTHLY_RETURN.form.template_columns(), "area_code"]
LA_BY_NUMBER = (
    "SELECT area_code, area_name FROM areas "
    "WHERE level = 'local authority' AND la_number = ?"
)
LA_BY_CODE = (
    "SELECT area_code, area_name FROM areas "
    "WHERE level = 'local authority' AND area_code = ?"
)


class Refused(Exception):
    """Why nothing is written, in one line."""


def add_parser(
    sub: argparse._SubParsersAction,
    data_dir: Callable[[argparse.ArgumentParser], None],
) -> None:
    """Declare ``derive`` and its options (``data_dir`` adds --data-dir)."""
    p = sub.add_parser(
        "derive",
        help="compute a monthly return from a CIN census extract (XML)",
        description="Compute this month's (or the year to date's) referrals, "
        "re-referrals, assessment and conference timeliness and child protection "
        "figures from the council's CIN census extract, by DfE's definitions, and "
        "write them as a monthly return. Only the aggregates are written. On a "
        "problem nothing is written and the exit status is 2. See "
        "docs/MONTHLY_RETURNS.md.",
    )
    p.add_argument("extract", type=Path, help="the CIN census extract, .xml")
    p.add_argument(
        "--period-end",
        required=True,
        help="the last day of the month the figures are for, YYYY-MM-DD",
    )
    p.add_argument(
        "--window",
        choices=WINDOWS,
        default=MONTH,
        help="the calendar month ending on the period end (default), or the "
        "financial year to date (from 1 April)",
    )
    p.add_argument(
        "--area",
        default=None,
        help="ONS code of the local authority (default: the extract's LEA number, "
        "through LAIT's LA code list)",
    )
    p.add_argument("--out", type=Path, required=True, help="the return to write, .csv")
    p.add_argument(
        "--load",
        action="store_true",
        help="then load the return as `python -m metrics import` does",
    )
    p.add_argument("--db", type=Path, default=None, help="database file to use")
    data_dir(p)


def run(args: argparse.Namespace) -> int:
    """Derive the return (and with --load, load it); the exit status."""
    try:
        window = _window(args.period_end, args.window)
        out = _out(args.out, args.extract)
        extract = Extract(args.extract)
        check_window(extract.header, window)
        code, name = _area(args, extract.header)
        figures = tally(extract.children(), window)
        write_return(out, figures, window, extract.header, code)
    except ExtractError as exc:
        return _refused(f"{args.extract}: {exc}")
    except Refused as exc:
        return _refused(str(exc))
    except OSError as exc:
        return _refused(f"{exc.filename or args.extract}: {exc.strerror}")
    except Exception as exc:  # noqa: BLE001
        # Its message could quote the extract: the type alone is said.
        fault = f"{args.extract}: could not be read ({type(exc).__name__})"
        return _refused(fault, status=1)
    for f in figures:
        if f.value is None:
            print(f"left out: {f.measure.metric_id}: {f.note(window)}")
    written = sum(f.value is not None for f in figures)
    print(
        f"wrote {out}: {written} figures for {name} ({code}) {window.words()}, "
        f"period_end {window.last}; extract of {day_text(extract.header.extracted)}"
    )
    return load_return(args, out, code) if args.load else 0


def load_return(args: argparse.Namespace, path: Path, area: str) -> int:
    """Load the derived return through the monthly return import (the same checks,
    archive and log as `python -m metrics import`); its exit status."""
    from metrics.loading.cli import load

    given = argparse.Namespace(
        file=path, db=args.db, dry_run=False, area=area, data_dir=args.data_dir
    )
    return load(given, MONTHLY_RETURN)


def _refused(message: str, status: int = 2) -> int:
    print(f"error: {message}; no return was written", file=sys.stderr)
    return status


def _window(text: str, kind: str) -> Window:
    try:
        return Window.ending(dt.date.fromisoformat(text), kind)
    except ValueError as exc:
        problem = exc.args[0] if "last day" in str(exc) else "is not a date YYYY-MM-DD"
        raise Refused(f"--period-end {text} {problem}") from None


def _out(out: Path, extract: Path) -> Path:
    if out.suffix.lower() != ".csv":
        raise Refused(f"--out {out}: a monthly return is written as a .csv file")
    if not out.parent.is_dir():
        raise Refused(f"--out {out}: the folder {out.parent} does not exist")
    if out.exists() and extract.exists() and out.samefile(extract):
        raise Refused(f"--out {out}: is the extract itself")
    return out


def check_window(header: Header, window: Window) -> None:
    """Refuse a window the extract cannot hold whole."""
    census = f"{ROOT}/Header/CollectionDetails/ReferenceDate"
    made = f"{ROOT}/Header/Source/DateTime"
    if window.first < header.year_start:
        raise ExtractError(
            header.lines["ReferenceDate"],
            census,
            f"the census year starts on {day_text(header.year_start)}, after the "
            f"window's first day ({day_text(window.first)}); give a later "
            "--period-end or an extract of the year that holds it",
        )
    if window.last > header.reference_date:
        raise ExtractError(
            header.lines["ReferenceDate"],
            census,
            f"the census year ends on {day_text(header.reference_date)}, before "
            "--period-end; give an extract of the next census year",
        )
    if header.extracted.date() <= window.last:
        raise ExtractError(
            header.lines["DateTime"],
            made,
            f"the extract was made on {day_text(header.extracted)}, not after "
            "--period-end, so the window is not complete in it; give an earlier "
            "--period-end or a later extract",
        )


def _area(args: argparse.Namespace, header: Header) -> tuple[str, str]:
    """The local authority's code and name: --area, else the LEA number's area."""
    try:
        db = Database(ensure_database(args.db, args.data_dir).db_path)
    except DataError as exc:
        raise Refused(
            f"the database could not be built ({BuildFailure.of(exc).problem})"
        ) from None
    try:
        if args.area:
            found = db.df(LA_BY_CODE, [args.area.strip().upper()])
            if found.empty:
                raise Refused(
                    f"--area {args.area}: is not the ONS code of an English local "
                    "authority"
                )
        else:
            lea, where = header.lea or "", f"{ROOT}/Header/Source/LEA"
            found = db.df(LA_BY_NUMBER, [int(lea)]) if lea.isdigit() else None
            if found is None or found.empty:
                raise ExtractError(
                    header.lines["LEA"],
                    where,
                    "is missing or not the number of a local authority in LAIT's "
                    "LA code list; give --area",
                )
    finally:
        db.close()
    return str(found.area_code.iloc[0]), str(found.area_name.iloc[0])


def write_return(
    out: Path, figures: list[Figure], window: Window, header: Header, area: str
) -> None:
    """Write the return whole or not at all (a temporary file renamed over it): a
    row a figure with a value, each noted with what it counts and the extract's
    date."""
    made = f"extract of {day_text(header.extracted)}"
    rows = [
        [
            window.last.isoformat(),
            f.measure.metric_id,
            "",
            f.text(),
            f"{f.note(window)}; {made}",
            area,
        ]
        for f in figures
        if f.value is not None
    ]
    tmp = out.with_name(f".{out.name}.{os.getpid()}.tmp")
    try:
        with open(tmp, "w", newline="", encoding="utf-8") as handle:
            writer = csv.writer(handle, lineterminator="\n")
            writer.writerow(COLUMNS)
            writer.writerows(rows)
        os.replace(tmp, out)
    except OSError as exc:
        raise OSError(exc.errno, exc.strerror, str(out)) from None
    finally:
        tmp.unlink(missing_ok=True)
