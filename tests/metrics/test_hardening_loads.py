"""Bad input to the loads: files that expand, control characters, targets without
bounds, a date Excel cannot hold, a byte-order mark, the same file for another area.
Each is refused with a message naming the file, row and column, exit status 2 and
nothing changed (or, for the last, loaded)."""

from __future__ import annotations

import io
import json
import os
import re
import resource
import subprocess
import sys
import zipfile
from pathlib import Path

import openpyxl
import pytest

from bench import hostile
from tests.support.data import ROOT, files, table

AS_LIMIT = 2_750 * 2**20  # address space: a normal load maps about 2,130 MB
# What refusing a file may add to the peak memory of a process that has just checked
# a good file (which itself, with the database open, takes about 180 MB or more).
ADDED_LIMIT_MB = 100
# The probe: with WARM set, first the same command on that good file (a dry run), so
# that the peak it reports after the file given is compared with a warm process's.
PROBE = """
import json, os, sys
from bench.memory import peak_mb as peak
from metrics.__main__ import main
warm = None
if os.environ.get("WARM"):
    main([sys.argv[1], os.environ["WARM"], "--dry-run", *sys.argv[3:]])
    warm = peak()
code = main(sys.argv[1:])
print(json.dumps({"exit": code, "peak_mb": peak(), "warm_mb": warm}), file=sys.stderr)
"""


def _limited() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (AS_LIMIT, AS_LIMIT))


def load(
    kind: str, path: Path, data: Path, db: Path, *extra: str, warm: Path | None = None
) -> tuple[int, str, str, float]:
    """``python -m metrics KIND PATH`` in a process with bounded memory: the exit
    status, stdout, stderr (less the probe's line) and the peak memory in MB (with
    ``warm``, the memory added to that of the command on the good file ``warm``)."""
    env = {**os.environ, "WARM": str(warm or "")}
    proc = subprocess.run(
        [sys.executable, "-c", PROBE, kind, str(path), "--data-dir", str(data),
         "--db", str(db), *extra],
        cwd=ROOT, capture_output=True, text=True, timeout=120, preexec_fn=_limited,
        env=env,
    )  # fmt: skip
    lines = proc.stderr.strip().splitlines()
    try:
        probe = json.loads(lines[-1])
    except (IndexError, json.JSONDecodeError):
        return proc.returncode, proc.stdout, proc.stderr, float("nan")
    peak = probe["peak_mb"] - (probe["warm_mb"] or 0)
    return probe["exit"], proc.stdout, "\n".join(lines[:-1]), peak


def refused(kind: str, path: Path, env, *extra: str) -> str:
    """Load a file that must be refused: exit 2, nothing changed; the message."""
    data, db = env
    before = files(data), db.stat().st_mtime_ns
    code, out, err, peak = load(kind, path, data, db, *extra)
    assert code == 2, out + err
    assert (files(data), db.stat().st_mtime_ns) == before
    assert "Traceback" not in err
    return err


# --- files that expand ---------------------------------------------------------------


@pytest.fixture(scope="module")
def expanding(tmp_path_factory) -> dict[str, Path]:
    """The three SYNTHETIC hostile files of the benchmark (bench/hostile.py)."""
    folder = tmp_path_factory.mktemp("hostile")
    return {
        "wide": hostile.wide_csv(folder / "SYNTHETIC-wide-header.csv"),
        "declared": hostile.declared_xlsx(folder / "SYNTHETIC-declared.xlsx"),
        "expanding": hostile.expanding_xlsx(folder / "SYNTHETIC-expanding.xlsx"),
    }


def test_the_hostile_files_are_small(expanding):
    sizes = {k: p.stat().st_size for k, p in expanding.items()}
    assert all(size < 1_048_576 for size in sizes.values()), sizes
    with __import__("zipfile").ZipFile(expanding["expanding"]) as z:
        assert z.getinfo(hostile.SHEET).file_size > 300_000_000


@pytest.mark.parametrize(
    ("name", "message"),
    [
        (
            "wide",
            "SYNTHETIC-wide-header.csv, row 1: the row has 500,004 columns (rule: a "
            "file may have at most 100 columns)",
        ),
        (
            "declared",
            "SYNTHETIC-declared.xlsx, row 10002: the file goes on past row 10,001 "
            "(rule: a file may hold at most 5,000 rows)",
        ),
        (
            "expanding",
            "SYNTHETIC-expanding.xlsx: xl/worksheets/sheet1.xml unpacks to 390,000,",
        ),
    ],
)
def test_a_small_file_that_expands_is_refused_in_bounded_memory(
    env, expanding, name, message
):
    data, db = env
    good = data.parent / "good.csv"
    good.write_text(",".join(hostile.HEADER) + "\n" + ",".join(hostile.GOOD_ROW) + "\n")
    before = files(data), db.stat().st_mtime_ns
    code, out, err, added = load("targets", expanding[name], data, db, warm=good)
    assert code == 2, out + err
    assert message in err, err
    assert (files(data), db.stat().st_mtime_ns) == before
    assert added < ADDED_LIMIT_MB, f"{added:.0f} MB more than checking a good file"


# --- control characters --------------------------------------------------------------

RETURN_HEADER = "period_end,metric_id,service_area,value,note\n"


@pytest.mark.parametrize(
    ("char", "named"),
    [("\x0b", "0x0B"), ("\x01", "0x01"), ("\x00", "0x00"), ("\x1b", "0x1B")],
    ids=["vertical-tab", "ctrl-a", "nul", "escape"],
)
def test_a_control_character_is_refused_naming_row_and_column(env, tmp_path, char,
                                                              named):  # fmt: skip
    path = tmp_path / "return.csv"
    path.write_bytes(
        (RETURN_HEADER + f"2026-09-30,ReReferral,,23.4,Up{char}after the review\n")
        .encode()
    )  # fmt: skip
    err = refused("import", path, env)
    assert f"error: return.csv, row 2, column 'note': the cell holds the control " \
           f"character {named}" in err  # fmt: skip
    assert "To fix: retype the cell's text" in err


def test_a_pasted_line_break_in_a_workbook_is_refused(env, tmp_path):
    book = openpyxl.Workbook()
    book.active.append(["period_end", "metric_id", "value", "note"])
    # As Excel stores a vertical tab: escaped, since XML cannot hold it.
    book.active.append(["2026-09-30", "ReReferral", 23.4, "Up_x000B_after the review"])
    path = tmp_path / "return.xlsx"
    book.save(path)
    err = refused("import", path, env)
    assert "return.xlsx, row 2, column 'note': the cell holds the control character " \
           "0x0B (a line break pasted from Word or PowerPoint)" in err  # fmt: skip


def test_tab_newline_and_carriage_return_in_a_quoted_cell_load(env, tmp_path):
    path = tmp_path / "return.csv"
    path.write_bytes(
        (RETURN_HEADER + '2026-09-30,ReReferral,,23.4,"Up\tafter\r\nthe review"\n')
        .encode()
    )  # fmt: skip
    data, db = env
    code, out, err, _ = load("import", path, data, db, "--dry-run")
    assert code == 0, out + err


# --- targets without bounds ----------------------------------------------------------

TARGETS_HEADER = "metric_id,due,target\n"


@pytest.mark.parametrize(
    ("row", "column", "detail"),
    [
        # CIN is a rate (0 or more, no upper bound), AVG_Prog8_Score a number.
        ("CIN,2027-03-31,1e400", "target", "'1e400' is not a number"),
        ("AVG_Prog8_Score,2027-03-31,-1e400", "target", "'-1e400' starts with '-'"),
        ("CIN,2027-03-31,inf", "target", "'inf' is not a number"),
        ("CIN,2027-03-31,nan", "target", "'nan' is not a number"),
        ("ReReferral,2027-03-31,150", "target", "150 is not a percentage from 0"),
        ("CIN,9999-12-31,20", "due", "9999-12-31 is more than 10 years after today"),
        ("CIN,1899-12-31,20", "due", "1899-12-31 is before 2000-01-01"),
    ],
    ids=["1e400", "minus-1e400", "inf", "nan", "percent-150", "year-9999", "year-1899"],
)
def test_a_target_out_of_bounds_is_refused(env, tmp_path, row, column, detail):
    path = tmp_path / "plan.csv"
    path.write_text(TARGETS_HEADER + row + "\n")
    err = refused("targets", path, env)
    assert f"error: plan.csv, row 2, column '{column}': {detail}" in err, err


# --- a date Excel cannot hold --------------------------------------------------------


def _plan_with_due(path: Path, cell: str) -> Path:
    """A targets workbook whose due cell (B2) is the XML ``cell``."""
    book = openpyxl.Workbook()
    book.active.append(["metric_id", "due", "target"])
    book.active.append(["CIN", "2027-03-31", 20])
    book.save(path)
    sheet = "xl/worksheets/sheet1.xml"
    with zipfile.ZipFile(path) as z:
        parts = {i: z.read(i) for i in z.namelist()}
    xml = parts[sheet].decode()
    parts[sheet] = re.sub(r'<c r="B2"[^>]*>.*?</c>', cell, xml).encode()
    assert parts[sheet] != xml.encode()
    with zipfile.ZipFile(path, "w") as z:
        for name, data in parts.items():
            z.writestr(name, data)
    return path


def test_an_xlsx_date_beyond_9999_is_refused_with_status_2(env, tmp_path):
    # A date cell written as text (t="d"), as other programs than Excel write them.
    path = _plan_with_due(
        tmp_path / "plan.xlsx", '<c r="B2" t="d"><v>99999-12-31</v></c>'
    )
    err = refused("targets", path, env)
    assert "error: plan.xlsx, row 2, column 'due': the cell holds a date Excel cannot " \
           "show ('99999-12-31')" in err, err  # fmt: skip


def test_an_xlsx_date_serial_beyond_9999_is_refused_without_a_warning(env, tmp_path):
    path = _plan_with_due(tmp_path / "plan.xlsx", '<c r="B2" s="0"><v>36524000</v></c>')
    book = openpyxl.load_workbook(path)
    book.active["B2"].number_format = "yyyy-mm-dd"
    book.save(path)
    err = refused("targets", path, env)
    assert "error: plan.xlsx, row 2, column 'due': " in err, err
    assert "Warning" not in err and "site-packages" not in err


# --- a byte-order mark ---------------------------------------------------------------


def test_a_bad_byte_after_a_byte_order_mark_is_placed_right(env, tmp_path):
    path = tmp_path / "return.csv"
    body = RETURN_HEADER.encode() + b"2026-09-30,ReReferral,,23.4,caf\xe9 notes\n"
    path.write_bytes(b"\xef\xbb\xbf" + body)
    err = refused("import", path, env)
    said = "error: return.csv, row 2, column 'note': byte 0xE9 is not UTF-8 text"
    assert said in err
    # Without the mark, the same place.
    path.write_bytes(body)
    assert said in refused("import", path, env)


# --- the same file for another area --------------------------------------------------


def test_a_file_loaded_for_one_area_loads_for_another(env, tmp_path):
    data, db = env
    path = tmp_path / "plan.csv"
    path.write_text(TARGETS_HEADER + "ReReferral,2027-03-31,20\n")
    code, out, err, _ = load("targets", path, data, db, "--area", "E08000017")
    assert code == 0 and out.startswith("new "), out + err
    code, out, err, _ = load("targets", path, data, db, "--area", "E08000035")
    assert code == 0, out + err
    assert "imported plan.csv as import 2" in out, out
    code, out, err, _ = load("targets", path, data, db, "--area", "E08000035")
    assert code == 0 and out.startswith("already imported"), out
    loaded = table(db, "SELECT area_code FROM plan_targets ORDER BY area_code")
    assert loaded.area_code.tolist() == ["E08000017", "E08000035"]


def test_the_workbook_reader_keeps_a_real_workbook(env):
    """The guards do not refuse an ordinary workbook (the test plan for Leeds)."""
    data, db = env
    path = ROOT / "tests" / "targets" / "good" / "plan_leeds.xlsx"
    code, out, err, peak = load("targets", path, data, db, "--dry-run")
    assert code == 0, out + err
    assert io.StringIO(out).read().startswith("new ")
