"""Small files that expand: how long the loader takes to refuse each, and the memory
it needs to. Every file is SYNTHETIC, made here in a temporary folder and labelled
so in its name; none is ever kept.

- a CSV whose header has 500,000 empty columns, then 4,000 rows (under 1 MB);
- an .xlsx whose sheet declares the range A1:XFD1048576 and has a cell in its last
  row (a few kilobytes);
- an .xlsx whose one sheet expands to 15 million rows (under 1 MB on disk: the
  rows are identical, so they compress about a thousand to one).

Each is given to `python -m metrics targets FILE --dry-run` in a fresh process (the
command's own code, called in the process after a warm-up load of a good file), so
the time is the refusal's alone, not Python's start.

`python -m bench.hostile` runs this row alone and prints it; `python -m bench`
includes it.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import re
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

from bench.memory import peak_mb
from bench.report import alone_meta, markdown, row

SECTION = "Refusing small files that expand (SYNTHETIC)"
LIMIT_S = 1.0
WIDE_COLUMNS = 500_000
WIDE_ROWS = 4_000
EXPANDED_ROWS = 15_000_000
HEADER = ["area_code", "metric_id", "due", "target"]
GOOD_ROW = ["E08000017", "ReReferral", "2027-03-31", "20"]
SHEET = "xl/worksheets/sheet1.xml"


def wide_csv(path: Path, columns: int = WIDE_COLUMNS, rows: int = WIDE_ROWS) -> Path:
    """A CSV whose header row ends in ``columns`` empty columns, then ``rows`` good
    rows (each of which a reader that pads rows to the header would widen)."""
    header = ",".join(HEADER) + "," * columns
    body = (",".join(GOOD_ROW) + "\n") * rows
    path.write_text(f"{header}\n{body}", encoding="utf-8")
    return path


def _workbook() -> bytes:
    """A good one-row targets workbook, the base of the two hostile ones."""
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(HEADER)
    sheet.append(GOOD_ROW)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _rewrite(path: Path, sheet_xml) -> Path:
    """The good workbook with its sheet's XML replaced by what ``sheet_xml(old,
    handle)`` writes to the handle."""
    with (
        zipfile.ZipFile(io.BytesIO(_workbook())) as src,
        zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as dst,
    ):
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename != SHEET:
                dst.writestr(item, data)
                continue
            with dst.open(SHEET, "w", force_zip64=True) as handle:
                sheet_xml(data.decode("utf-8"), handle)
    return path


def declared_xlsx(path: Path) -> Path:
    """An .xlsx whose sheet declares the whole grid, A1:XFD1048576, with a cell in
    its last row (a reader that trusts the declaration fills every row between)."""
    last = '<row r="1048576"><c r="A1048576"><v>1</v></c></row></sheetData>'

    def write(old: str, handle) -> None:
        new = re.sub(r'<dimension ref="[^"]*"\s*/>', '<dimension ref="A1:XFD1048576"/>',
                     old)  # fmt: skip
        assert new != old and "</sheetData>" in new
        handle.write(new.replace("</sheetData>", last).encode("utf-8"))

    return _rewrite(path, write)


def expanding_xlsx(path: Path, rows: int = EXPANDED_ROWS) -> Path:
    """An .xlsx whose sheet holds ``rows`` identical rows after the header."""

    def write(old: str, handle) -> None:
        head, rest = old.split("<sheetData>", 1)
        handle.write(head.encode("utf-8") + b"<sheetData>")
        first = rest.split("</row>", 1)[0] + "</row>"
        handle.write(first.encode("utf-8"))
        chunk = b"<row><c><v>1</v></c></row>" * 100_000
        for _ in range(rows // 100_000):
            handle.write(chunk)
        handle.write(b"</sheetData></worksheet>")

    return _rewrite(path, write)


def make(folder: Path) -> dict[str, Path]:
    """The three SYNTHETIC files, by what they are."""
    return {
        "CSV, header of 500,000 empty columns": wide_csv(
            folder / "SYNTHETIC-wide-header.csv"
        ),
        ".xlsx declaring A1:XFD1048576": declared_xlsx(
            folder / "SYNTHETIC-declared-dimension.xlsx"
        ),
        ".xlsx expanding to 15 million rows": expanding_xlsx(
            folder / "SYNTHETIC-expanding.xlsx"
        ),
    }


def worker(files: dict[str, str], data: str, db: str) -> dict:
    """In this process: a good file checked (the warm-up), then each hostile file;
    the seconds, exit status and peak memory of each."""
    from contextlib import redirect_stderr, redirect_stdout

    from metrics.__main__ import main

    good = Path(tempfile.mkdtemp()) / "good.csv"
    good.write_text(",".join(HEADER) + "\n" + ",".join(GOOD_ROW) + "\n")
    base = ["--dry-run", "--data-dir", data, "--db", db]
    with redirect_stdout(io.StringIO()), redirect_stderr(io.StringIO()):
        main(["targets", str(good), *base])
    out = {}
    for name, path in files.items():
        said = io.StringIO()
        before = peak_mb()
        start = time.perf_counter()
        with redirect_stdout(said), redirect_stderr(said):
            code = main(["targets", path, *base])
        seconds = time.perf_counter() - start
        out[name] = {
            "seconds": seconds,
            "exit": code,
            "said": said.getvalue().strip().splitlines()[:1],
            "peak_mb": peak_mb(),
            "before_mb": before,
            "bytes": Path(path).stat().st_size,
        }
    return out


def measure(root: Path, tmp: Path, data: Path, db: Path) -> dict:
    """Make the files, then refuse each in a fresh process run in ``root``."""
    files = {k: str(v) for k, v in make(tmp).items()}
    proc = subprocess.run(
        [sys.executable, "-m", "bench.hostile", "--worker", json.dumps(files),
         str(data), str(db)],
        cwd=root, capture_output=True, text=True, timeout=900, check=False,
    )  # fmt: skip
    for path in files.values():
        Path(path).unlink()
    if proc.returncode != 0:
        raise RuntimeError(proc.stderr.strip()[-1500:] or f"exit {proc.returncode}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def rows(raw: dict) -> list[dict]:
    """A row a file: the seconds to refuse it (target 1 s), exit status, memory."""
    if "error" in raw:
        return [row(SECTION, "refusal", None, "s", error=raw["error"])]
    out = []
    for name, r in raw.items():
        refused = r["exit"] == 2
        out.append(
            row(
                SECTION,
                f"{name} ({r['bytes'] / 1024:,.0f} KB): refused",
                r["seconds"],
                "s",
                limit=LIMIT_S,
                error="" if refused else f"exit {r['exit']}, not refused",
                note=f"exit {r['exit']}; peak memory {r['peak_mb']:.0f} MB "
                f"({r['peak_mb'] - r['before_mb']:.0f} MB above the warm process); "
                + (r["said"][0][:160] if r["said"] else ""),
            )
        )
    return out


def bench_hostile(root: Path, tmp: Path, data: Path, db: Path) -> tuple[dict, list]:
    """The raw figures and rows, an ERROR row if the measurement failed."""
    try:
        raw = measure(root, tmp, data, db)
    except Exception as exc:  # noqa: BLE001 (the rest of the benchmark goes on)
        raw = {"error": str(exc)[:300]}
    return raw, rows(raw)


def main(argv: list[str] | None = None) -> int:
    """``python -m bench.hostile``: this row alone (or, with --worker, one run)."""
    parser = argparse.ArgumentParser(prog="python -m bench.hostile")
    parser.add_argument("--worker", nargs=3, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.worker:
        files, data, db = args.worker
        print(json.dumps(worker(json.loads(files), data, db)))
        return 0
    from metrics.build import build
    from metrics.config import data_dir

    load = os.getloadavg()
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="dashboard-bench-hostile-") as tmp:
        db = Path(tmp) / "db" / "dashboard.duckdb"
        build(db, data_dir())
        raw, found = bench_hostile(Path.cwd(), Path(tmp), data_dir(), db)
    meta = alone_meta(load, started, f"columns={WIDE_COLUMNS}, rows={EXPANDED_ROWS}")
    print(markdown(found, meta))
    return 1 if "error" in raw or any(r["status"] == "ERROR" for r in found) else 0


if __name__ == "__main__":
    sys.exit(main())
